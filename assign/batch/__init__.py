"""Many counties at once: `assign batch` runs every county folder × every what-if as independent
tasks (`tasks`), on this machine's cores or on Ray (`executors`, also used by `sweep` and `pareto`),
and resumes an interrupted batch from the content hash of each task's inputs (`runner`)."""
