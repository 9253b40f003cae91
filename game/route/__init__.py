"""The journey map: places, legs and distances (pure core, no pygame).

Load with :func:`load_route_map`; draw with ``game.ui.map_view.MapView``.
"""

from game.route.errors import RouteMapError
from game.route.geo import Mercator, haversine_km, km_to_miles
from game.route.map import GROUND_MODES, MODES, AreaLabel, Leg, Location, RouteMap, load_route_map

__all__ = [
    "GROUND_MODES",
    "MODES",
    "AreaLabel",
    "Leg",
    "Location",
    "Mercator",
    "RouteMap",
    "RouteMapError",
    "haversine_km",
    "km_to_miles",
    "load_route_map",
]
