"""Reading a YAML file a user hands in (a scenario, a what-if, a holiday file) with one clear error.

YAML can say more than a scenario needs, and some of it can hurt: ten thousand nested brackets
exhaust Python's recursion, and a few lines of anchors and aliases ("billion laughs") expand into
billions of nodes. So a file is read with `BoundedLoader`, PyYAML's safe loader with limits
(documented in README.md, "Limits"):

- at most MAX_YAML_BYTES bytes, in UTF-8, UTF-8 with BOM or GB18030 (like the tables);
- at most MAX_DEPTH levels of nesting;
- at most MAX_ALIASES aliases (`*name`), and at most MAX_NODES nodes once every alias is expanded;
  an alias inside the very node it names is refused;

and what YAML would do silently becomes an error: a key written twice in one mapping (YAML keeps the
last) names the key and both lines; a date that is no day (`2027-02-30`) stays text, so the field
that wants a date says which key and value are wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from assign.errors import CellProblem, InputError
from assign.inputs.files import decode, read_bytes
from assign.locale import N_, _

MAX_YAML_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_ALIASES = 100
MAX_NODES = 100_000
MERGE_TAG = "tag:yaml.org,2002:merge"


class LimitError(yaml.MarkedYAMLError):
    """A YAML file beyond one of the loader's limits, with the place where it went beyond."""


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the module's limits, and every duplicate key noted in `duplicates`."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth = 0
        self.aliases = 0
        self.sizes: dict[int, int] = {}  # id(node) → nodes it stands for, aliases expanded (kept alive by the tree)
        self.duplicates: list[tuple[str, int, int]] = []  # (key, line, line of its first use)

    def fetch_flow_collection_start(self, token_class: type) -> None:
        # Refused as the scanner meets it: before the composer, the scanner looks ahead across every
        # open `[` for a possible key, which costs the square of the nesting.
        super().fetch_flow_collection_start(token_class)
        if self.flow_level > MAX_DEPTH:
            raise LimitError(None, None, _("nested more than {n} levels deep").format(n=MAX_DEPTH), self.get_mark())

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        start = self.peek_event().start_mark
        alias = self.check_event(AliasEvent)
        if alias:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise LimitError(None, None, _("more than {n} aliases (*name)").format(n=MAX_ALIASES), start)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LimitError(None, None, _("nested more than {n} levels deep").format(n=MAX_DEPTH), start)
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if alias:
            if id(node) not in self.sizes:  # the anchor is still open: the alias sits inside what it names
                raise LimitError(None, None, _("an alias inside the node it refers to"), start)
            return node
        if isinstance(node, SequenceNode):
            size = 1 + sum(self.sizes[id(item)] for item in node.value)
        elif isinstance(node, MappingNode):
            size = 1 + sum(self.sizes[id(key)] + self.sizes[id(value)] for key, value in node.value)
        else:
            size = 1
        if size > MAX_NODES:
            raise LimitError(None, None, _("more than {n} values once its aliases are expanded").format(n=f"{MAX_NODES:,}"), start)
        self.sizes[id(node)] = size
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            if key_node.tag == MERGE_TAG:  # `<<: *base` merges keys that the mapping may then override
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    self.duplicates.append((str(key), line, seen[key]))
                else:
                    seen[key] = line
            except TypeError:  # an unhashable key: SafeConstructor says so itself
                pass
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # 2027-02-30: left as text, so the field that wants a date names key and value
            return self.construct_scalar(node)


BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", BoundedLoader.construct_yaml_timestamp)


def load_yaml_text(text: str, source: str | Path) -> Any:
    """The data of one YAML document; an InputError naming `source` and the line for anything the module refuses."""
    loader = BoundedLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or exc
        reason = _("refused: {problem} (see README, Limits)") if isinstance(exc, LimitError) else _("not valid YAML: {problem}")
        reason = reason.format(problem=problem)
        raise InputError.at(source, row, None, None, reason) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise InputError([CellProblem(str(source), line, key, key, _("the key is written twice in one mapping (first on line {first}): YAML would "
                                                                     "keep only the last; remove one")
                                                                       .format(first=first))
                          for key, line, first in loader.duplicates])
    return data


def load_yaml(path: Path, what: str = N_("YAML file")) -> Any:
    """A YAML file's data, read within the module's limits; `what` names the file in messages (e.g. "holiday file")."""
    text, _encoding = decode(read_bytes(path, MAX_YAML_BYTES, what), path)
    return load_yaml_text(text, path)


def read_yaml(path: Path) -> dict[str, Any]:
    """A scenario or what-if file: a mapping of keys such as name, data, policies."""
    data = load_yaml(path, N_("scenario file"))
    if not isinstance(data, dict):
        raise InputError.at(path, None, None, type(data).__name__, _("expected a mapping of keys such as name, data, policies"))
    return data
