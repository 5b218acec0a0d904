"""The policies that ship with `assign`, each registered in pyproject.toml like a third-party plugin."""
