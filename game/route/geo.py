"""Geodesy and projection helpers shared by the route loader and the map generator.

Pure Python on purpose: the generator (tools/make_map.py) and the game core must
agree exactly on how a latitude/longitude becomes a pixel, so both import this
module instead of carrying their own copy of the formulas.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius; haversine error < 0.5 % at these latitudes
KM_PER_MILE = 1.609344


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a spherical Earth, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def polyline_km(latlons: Iterable[tuple[float, float]]) -> float:
    """Sum of haversine distances between consecutive (lat, lon) vertices."""
    pts = list(latlons)
    return sum(haversine_km(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(pts))


def km_to_miles(km: float) -> float:
    """Statute miles; the story speaks in miles ("3,500 Miles")."""
    return km / KM_PER_MILE


def _merc_y(lat: float) -> float:
    """Mercator ordinate in radians of the equator's arc."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _merc_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


@dataclass(frozen=True)
class Mercator:
    """Spherical Mercator fitted to a pixel rectangle.

    Mercator is conformal, so the Korean peninsula, Hainan and the Indochinese
    coast keep the shapes players know from atlases; between 12°N and 44°N the
    area exaggeration (1.02x to 1.39x) is acceptable for a narrative map.
    ``lat_min`` is derived from the other values so that pixels are square.
    """

    lon_min: float
    lon_max: float
    lat_max: float
    width: int
    height: int

    @property
    def px_per_radian(self) -> float:
        return self.width / math.radians(self.lon_max - self.lon_min)

    @property
    def lat_min(self) -> float:
        return _merc_lat(_merc_y(self.lat_max) - self.height / self.px_per_radian)

    def to_pixel(self, lat: float, lon: float) -> tuple[float, float]:
        """(lat, lon) in degrees -> (x, y) in image pixels, origin top-left."""
        x = math.radians(lon - self.lon_min) * self.px_per_radian
        y = (_merc_y(self.lat_max) - _merc_y(lat)) * self.px_per_radian
        return x, y

    def to_latlon(self, x: float, y: float) -> tuple[float, float]:
        """Inverse of :meth:`to_pixel`."""
        lon = self.lon_min + math.degrees(x / self.px_per_radian)
        lat = _merc_lat(_merc_y(self.lat_max) - y / self.px_per_radian)
        return lat, lon

    def properties(self) -> dict[str, float | int | str]:
        """Map properties written into the TMX so any tool can convert both ways."""
        return {
            "projection": "mercator",
            "projection_doc": (
                "Spherical Mercator. x = (lon - lon_min) * k; "
                "y = (ln tan(pi/4 + lat_max/2) - ln tan(pi/4 + lat/2)) * k; "
                "k = width_px / radians(lon_max - lon_min)"
            ),
            "lon_min": self.lon_min,
            "lon_max": self.lon_max,
            "lat_min": round(self.lat_min, 6),
            "lat_max": self.lat_max,
            "width_px": self.width,
            "height_px": self.height,
        }

    @classmethod
    def from_properties(cls, props: Mapping[str, object]) -> Mercator:
        """Rebuild the projection from TMX map properties (see :meth:`properties`)."""
        return cls(
            lon_min=float(props["lon_min"]),  # type: ignore[arg-type]
            lon_max=float(props["lon_max"]),  # type: ignore[arg-type]
            lat_max=float(props["lat_max"]),  # type: ignore[arg-type]
            width=int(props["width_px"]),  # type: ignore[call-overload]
            height=int(props["height_px"]),  # type: ignore[call-overload]
        )
