"""CP-SAT parameters by name, checked against OR-Tools' own `SatParameters` protobuf descriptor.

A scenario's `solver.parameters` are validated when the scenario is loaded, each by its field's
type (bool, integer of the field's width, finite number, text, an enum's value names) and whether it
is a list, so that `{max_time_in_seconds: abc}` or `{subsolvers: 5}` is one message naming the
parameter and not a TypeError deep inside a solve. The solver then receives them through the
protobuf text format (`apply_parameters`), which takes enum names as written.
"""

from __future__ import annotations

import functools
import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from assign.locale import _

INT_RANGES = {
    "TYPE_INT32": (-(2**31), 2**31 - 1),
    "TYPE_SINT32": (-(2**31), 2**31 - 1),
    "TYPE_SFIXED32": (-(2**31), 2**31 - 1),
    "TYPE_INT64": (-(2**63), 2**63 - 1),
    "TYPE_SINT64": (-(2**63), 2**63 - 1),
    "TYPE_SFIXED64": (-(2**63), 2**63 - 1),
    "TYPE_UINT32": (0, 2**32 - 1),
    "TYPE_FIXED32": (0, 2**32 - 1),
    "TYPE_UINT64": (0, 2**64 - 1),
    "TYPE_FIXED64": (0, 2**64 - 1),
}
SEED_MAX = INT_RANGES["TYPE_INT32"][1]  # CP-SAT's random_seed is a 32-bit integer


def _not_in_a_scenario(value: Any) -> Any:
    raise ValueError(_("a nested parameter message cannot be set from a scenario"))


def _field_type(field) -> Any:
    """The pydantic type of one protobuf field."""
    from google.protobuf.descriptor import FieldDescriptor

    kind = {number: name for name, number in vars(FieldDescriptor).items() if name.startswith("TYPE_")}[field.type]
    if kind == "TYPE_BOOL":
        scalar: Any = bool
    elif kind in INT_RANGES:
        low, high = INT_RANGES[kind]
        scalar = Annotated[int, Field(strict=False, ge=low, le=high)]
    elif kind in ("TYPE_DOUBLE", "TYPE_FLOAT"):
        scalar = Annotated[float, Field(allow_inf_nan=False)]
    elif kind == "TYPE_STRING":
        scalar = str
    elif kind == "TYPE_ENUM":
        scalar = Literal[tuple(field.enum_type.values_by_name)]
    else:
        scalar = Annotated[Any, AfterValidator(_not_in_a_scenario)]
    repeated = getattr(field, "is_repeated", None)
    repeated = repeated if repeated is not None else field.label == FieldDescriptor.LABEL_REPEATED
    return list[scalar] if repeated else scalar


@functools.cache
def parameters_model() -> type[BaseModel]:
    """A pydantic model with one optional field per CP-SAT parameter (built once, from the descriptor)."""
    from ortools.sat import sat_parameters_pb2  # only here: loading a scenario needs no solver otherwise

    fields = {f.name: (_field_type(f) | None, None) for f in sat_parameters_pb2.SatParameters.DESCRIPTOR.fields}
    return create_model("SatParameters", __config__=ConfigDict(extra="forbid"), **fields)


def check_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters as the solver will take them; a pydantic ValidationError with one entry per bad name or value."""
    return parameters_model().model_validate(parameters).model_dump(exclude_unset=True)


def parameters_text(parameters: dict[str, Any], ours: dict[str, Any] | None = None) -> str:
    """`parameters` (a scenario's, a caller's) checked, over `ours` (the measured defaults, which a
    test checks once), in the protobuf text format (what `SatParameters.merge_text_format` reads).

    Only what a user can set is checked per solver: building the checking model costs 0.05 s, a
    tenth of the demo county's whole solve, and our own defaults need no check each time."""
    checked = check_parameters(parameters) if parameters else {}
    return _text_of(json.dumps({**(ours or {}), **checked}, sort_keys=True))


@functools.lru_cache(maxsize=64)
def _text_of(parameters_json: str) -> str:
    from google.protobuf import json_format, text_format
    from ortools.sat import sat_parameters_pb2

    return text_format.MessageToString(json_format.ParseDict(json.loads(parameters_json), sat_parameters_pb2.SatParameters()))
