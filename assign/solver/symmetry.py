"""Interchangeable researchers: the types of the aggregated model (`assign.solver.aggregate`).

In one office every researcher starts at the office, and many share their subjects, stages, kind and
limits: two such researchers can swap their schools and every rule and every objective term reads
the same. A county of 120 researchers has about 37 such types, one of 250 or 400 about 40, so a model
of how many of each type take a school is several times smaller than one of who takes it.

Two researchers are of one type when a policy cannot tell them apart:
- every field of their row a policy can read is equal (all of `Researcher` but the id, the name and
  what is only carried to outputs: the unknown columns, where the row came from);
- their trips start at the same place (the same row of minutes);
- they have the same candidate schools (after every pruning policy).
A researcher named anywhere by id is a type of their own: in a policy's parameters, in a pinned pair;
so is one a policy keeps `apart` (whose rule its counts cannot state exactly for several researchers
together). The plan in force of a re-plan does not part a type: a policy that reads it counts, for
each type and school, how many of the type's researchers held the school (`stability`), and the
naming gives the school back to those who held it (`assign.solver.aggregate.expand`). Types are in the order of their first researcher in the table,
each type's researchers in table order, so the same problem gives the same types.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from pydantic import BaseModel

from assign.candidates import candidate_pairs
from assign.problem import Problem

# Fields of a researcher no policy decides by: who (id, name) and what is carried to outputs or messages.
UNREAD_FIELDS = frozenset({"id", "name", "extra", "source", "row", "headers"})


def researcher_types(problem: Problem, pairs: list[tuple[str, str]] | None = None) -> list[list[str]]:
    """Groups of interchangeable researcher ids (see the module's docstring), each group in table
    order and the groups in the order of their first researcher. `pairs`: the candidate pairs, when
    the caller has them (else they are found, relaxed as the problem's model would be)."""
    if pairs is None:
        pairs = candidate_pairs(problem, relaxed=problem.relaxing)
    schools: dict[str, list[str]] = defaultdict(list)
    for rid, sid in pairs:
        schools[rid].append(sid)
    named = named_researchers(problem)
    groups: dict[Any, list[str]] = {}
    for r in problem.researchers:
        if r.id in named:
            key: Any = ("named", r.id)
        else:
            # The fields as one text (dates and lists dump to dicts and lists, which do not hash); fields keep their order.
            key = (repr(r.model_dump(exclude=set(UNREAD_FIELDS))), problem.travel.start_of.get(r.id), tuple(schools.get(r.id, ())))
        groups.setdefault(key, []).append(r.id)
    return list(groups.values())


def named_researchers(problem: Problem) -> set[str]:
    """Researchers named by id where a policy or the solve may single them out: a policy's parameters,
    a pinned pair; and those a policy keeps `apart`."""
    ids = {r.id for r in problem.researchers}
    named = {rid for rid, _sid in problem.pinned_pairs}
    for use in problem.policies:
        named |= {text for text in strings_in(use.params) if text in ids}
        apart = getattr(use.policy, "apart", None)
        if callable(apart):
            named |= set(apart(problem, use.params)) & ids
    return named


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a value: a pydantic model's fields, mapping keys and values, list items."""
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from strings_in(item)
