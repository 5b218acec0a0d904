"""One-way travel minutes from each trip start (the office, or a researcher's base) to each school,
and on demand from one school to another.

Computed once per problem and shared by every policy that needs it. With a road table the
times are shortest paths along the roads (`assign.travel.roads`); without one, the great-circle distance
× a detour factor ÷ an average speed. School-to-school minutes follow the same method but are
not a matrix: a calendar asks for a few pairs, and a province's 15,000² would not fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Iterable, Literal, Protocol

from pydantic import BaseModel, ConfigDict, PrivateAttr

from assign.locale import N_, _

OFFICE = "office"
EARTH_RADIUS_KM = 6371.0088



METHOD_LABELS = {"great-circle": N_("great-circle estimate (straight line × detour ÷ speed)"), "roads": N_("road network shortest paths")}

class TravelMatrix(BaseModel):
    """Minutes by start then school, which start each researcher uses, and how it was computed."""

    model_config = ConfigDict(frozen=True)
    method: Literal["great-circle", "roads"]
    minutes: dict[str, dict[str, float]]
    start_of: dict[str, str]
    # School-to-school minutes by the same method, attached by the builder (`attach`). Private and
    # not serialised: it may hold the road network, which a plan.json has no business carrying.
    _between: Any = PrivateAttr(None)

    def of(self, researcher_id: str, school_id: str) -> float:
        return self.minutes[self.start_of[researcher_id]][school_id]

    def between(self, a: str, b: str) -> float:
        """One-way minutes from school `a` to school `b` (0 from a school to itself; inf if no road leads there).

        Rounded to 0.1 like the matrix, so a researcher based at `a` has `of(r, b) == between(a, b)`.
        """
        if self._between is None:
            raise ValueError(_("this travel matrix knows no school positions: build it with build_problem (a matrix read back from JSON has start "
                               "→ school minutes only)"))
        return self._between(a, b)

    def attach(self, between: "SchoolMinutes") -> "TravelMatrix":
        """Give the matrix its school-to-school method (a frozen model's private attribute may be set once built)."""
        self._between = between
        return self

    def part(self, researcher_ids: Iterable[str], school_ids: Iterable[str]) -> "TravelMatrix":
        """The slice of the matrix for some researchers and schools, keeping school-to-school minutes for those schools."""
        school_ids = list(school_ids)
        start_of = {rid: self.start_of[rid] for rid in researcher_ids}
        starts = set(start_of.values())
        minutes = {start: {sid: row[sid] for sid in school_ids} for start, row in self.minutes.items() if start in starts}
        part = TravelMatrix(method=self.method, minutes=minutes, start_of=start_of)
        return part.attach(self._between.only(school_ids)) if self._between is not None else part

    @property
    def label(self) -> str:
        """How the minutes were found, in the reader's words (路网最短路)."""
        return _(METHOD_LABELS[self.method])


class SchoolMinutes(Protocol):
    """How a travel matrix times a trip between two schools."""

    def __call__(self, a: str, b: str) -> float: ...

    def only(self, school_ids: list[str]) -> "SchoolMinutes": ...


@dataclass(frozen=True)
class GreatCircleBetween:
    """School-to-school minutes by the great-circle estimate, as `great_circle_matrix` times a start."""

    points: dict[str, tuple[float, float]]
    detour_factor: float
    speed_kmh: float

    def __call__(self, a: str, b: str) -> float:
        if a == b:
            return 0.0
        if a not in self.points or b not in self.points:
            return math.inf  # a school known by its 单程分钟 alone: how far it lies from another is not known
        return round(great_circle_minutes(self.points[a], self.points[b], self.detour_factor, self.speed_kmh), 1)

    def only(self, school_ids: list[str]) -> "GreatCircleBetween":
        return replace(self, points={sid: self.points[sid] for sid in school_ids if sid in self.points})


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance in km between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def great_circle_minutes(start: tuple[float, float], end: tuple[float, float], detour_factor: float, speed_kmh: float) -> float:
    return great_circle_km(*start, *end) * detour_factor / speed_kmh * 60.0


def great_circle_matrix(
    starts: dict[str, tuple[float, float]],
    schools: dict[str, tuple[float, float]],
    start_of: dict[str, str],
    detour_factor: float,
    speed_kmh: float,
) -> TravelMatrix:
    minutes = {
        key: {sid: round(great_circle_minutes(point, spot, detour_factor, speed_kmh), 1) for sid, spot in schools.items()}
        for key, point in starts.items()
    }
    matrix = TravelMatrix(method="great-circle", minutes=minutes, start_of=start_of)
    return matrix.attach(GreatCircleBetween(dict(schools), detour_factor, speed_kmh))
