"""One-way travel minutes, computed once per problem and read by every policy: the travel matrix
and the great-circle estimate (`matrix`), and trips along a road table (`roads`)."""
