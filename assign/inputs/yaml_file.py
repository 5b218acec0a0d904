"""Reading a YAML file a user hands in (a scenario, a what-if) into a mapping, with one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assign.errors import InputError


def read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise InputError.at(path, None, None, None, "scenario file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError.at(path, row, None, None, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise InputError.at(path, None, None, None, "not UTF-8 text") from None
    if not isinstance(data, dict):
        raise InputError.at(path, None, None, type(data).__name__, "expected a mapping of keys such as name, data, policies")
    return data
