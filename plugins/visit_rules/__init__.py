"""Built-in visit rules of the term calendar (entry-point group `assign.visit_rules`), one per module."""
