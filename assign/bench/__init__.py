"""Benchmarks and generators: synthetic regions (`generate`), our solver against a HiGHS MIP and
the greedy baseline (`run`, `mip`), and the travel-matrix and re-plan measurements. The product
never imports this folder; only `assign bench` and `assign generate` reach it."""
