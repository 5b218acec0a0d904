"""One-way travel minutes from each trip start (the office, or a researcher's base) to each school.

Computed once per problem and shared by every policy that needs it. With a road table the
times are shortest paths along the roads (`assign.roads`); without one, the great-circle distance
× a detour factor ÷ an average speed.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict

OFFICE = "office"
EARTH_RADIUS_KM = 6371.0088


class TravelMatrix(BaseModel):
    """Minutes by start then school, which start each researcher uses, and how it was computed."""

    model_config = ConfigDict(frozen=True)
    method: Literal["great-circle", "roads"]
    minutes: dict[str, dict[str, float]]
    start_of: dict[str, str]

    def of(self, researcher_id: str, school_id: str) -> float:
        return self.minutes[self.start_of[researcher_id]][school_id]

    @property
    def label(self) -> str:
        return {"great-circle": "直线距离估算 (great-circle × detour ÷ speed)", "roads": "路网最短路 (road network)"}[self.method]


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
    return TravelMatrix(method="great-circle", minutes=minutes, start_of=start_of)
