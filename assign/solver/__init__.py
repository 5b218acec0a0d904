"""The one CP-SAT backend, used by the assignment and the term calendar alike: settings, status
names, gap, progress and complete hints (`cpsat`); the lexicographic or weighted passes of a
solve (`passes`); a plan from a solver (`result`); exact decomposition into independent parts
(`decompose`); the by-hand baseline the solver starts from (`baseline`)."""
