"""Load the journey map (``assets/maps/route.tmx``) into a pure, pygame-free model.

The TMX is read twice on purpose:

1. ElementTree validates the XML and the game's own rules (required layers,
   properties, numeric coordinates) so every problem is reported as a
   ``RouteMapError`` with a line number an author can jump to; pytmx/expat
   tracebacks never reach the player.
2. pytmx then loads the validated file (without loading images, so no display
   is needed), which keeps us compatible with whatever Tiled writes.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytmx

from game.route.errors import RouteMapError
from game.route.geo import Mercator, haversine_km
from game.route.geo import km_to_miles as _km_to_miles

LOCATIONS_LAYER = "locations"
LEGS_LAYER = "legs"
TERRAIN_LAYER = "terrain"
REQUIRED_LOCATION_PROPS = ("label", "label_ko", "country", "lat", "lon", "note")
REQUIRED_LEG_PROPS = ("from", "to", "mode", "km")
COUNTRIES = frozenset({"KP", "CN", "LA", "TH", "KR"})
MODES = frozenset({"foot", "river", "bus", "train", "boat", "plane"})
GROUND_MODES = MODES - {"plane"}
REGENERATE_HINT = "regenerate with: python tools/make_map.py"


@dataclass(frozen=True)
class Location:
    """A named place; ``x``/``y`` are pixels in the terrain image."""

    id: str
    label: str
    label_ko: str
    country: str
    lat: float
    lon: float
    note: str
    x: float
    y: float


@dataclass(frozen=True)
class Leg:
    """A way between two places. ``points`` are terrain pixels from ``from_id`` to ``to_id``."""

    id: str
    from_id: str
    to_id: str
    mode: str
    km: float
    points: tuple[tuple[float, float], ...]

    def other(self, loc_id: str) -> str:
        """The far end of the leg as seen from ``loc_id``."""
        return self.to_id if loc_id == self.from_id else self.from_id

    def points_from(self, loc_id: str) -> tuple[tuple[float, float], ...]:
        """Vertices in travel order when the leg is walked starting at ``loc_id``."""
        return self.points if loc_id == self.from_id else tuple(reversed(self.points))


class RouteMap:
    """Places and legs of the journey, with shortest-path distances over the legs.

    Immutable after construction: renderers and the story engine may share one
    instance freely.
    """

    def __init__(self, locations: Mapping[str, Location], legs: Sequence[Leg],
                 pixel_size: tuple[int, int], projection: Mercator | None = None,
                 source: str | None = None) -> None:
        self.locations: dict[str, Location] = dict(locations)
        self.legs: tuple[Leg, ...] = tuple(legs)
        self.pixel_size = pixel_size
        self.projection = projection
        self.source = source
        self._adjacent: dict[str, list[Leg]] = {loc: [] for loc in self.locations}
        for leg in self.legs:
            self._adjacent[leg.from_id].append(leg)
            self._adjacent[leg.to_id].append(leg)

    def location_ids(self) -> list[str]:
        """Sorted ids, for did-you-mean suggestions in the story tooling."""
        return sorted(self.locations)

    def legs_at(self, loc_id: str) -> list[Leg]:
        """Legs that start or end at ``loc_id``."""
        self._require(loc_id)
        return list(self._adjacent[loc_id])

    def _require(self, loc_id: str) -> Location:
        try:
            return self.locations[loc_id]
        except KeyError:
            raise RouteMapError(f"unknown location {loc_id!r}", self.source,
                                hint="known ids: " + ", ".join(self.location_ids())) from None

    def path(self, a: str, b: str, modes: Iterable[str] | None = None) -> list[Leg]:
        """Shortest way from ``a`` to ``b`` by km (Dijkstra, legs are two-way).

        ``modes`` restricts the legs used, e.g. ``GROUND_MODES`` to ignore flights.
        Returns ``[]`` when ``a == b``; raises ``RouteMapError`` if unreachable.
        """
        self._require(a)
        self._require(b)
        allowed = MODES if modes is None else frozenset(modes)
        best: dict[str, float] = {a: 0.0}
        came_by: dict[str, Leg] = {}
        queue: list[tuple[float, str]] = [(0.0, a)]
        while queue:
            dist, node = heapq.heappop(queue)
            if node == b:
                break
            if dist > best[node]:
                continue
            for leg in self._adjacent[node]:
                if leg.mode not in allowed:
                    continue
                nxt = leg.other(node)
                nd = dist + leg.km
                if nd < best.get(nxt, math.inf):
                    best[nxt] = nd
                    came_by[nxt] = leg
                    heapq.heappush(queue, (nd, nxt))
        if b not in best:
            raise RouteMapError(f"no route from {a!r} to {b!r} using {sorted(allowed)}",
                                self.source)
        legs: list[Leg] = []
        node = b
        while node != a:
            leg = came_by[node]
            legs.append(leg)
            node = leg.other(node)
        legs.reverse()
        return legs

    def journey(self, stops: Sequence[str], modes: Iterable[str] | None = None) -> list[Leg]:
        """Legs travelled when visiting ``stops`` in order (shortest way between each pair)."""
        allowed = None if modes is None else frozenset(modes)
        out: list[Leg] = []
        for a, b in itertools.pairwise(stops):
            out.extend(self.path(a, b, allowed))
        return out

    def distance_km(self, a: str, b: str, modes: Iterable[str] | None = None) -> float:
        """Length of :meth:`path` in km."""
        return sum(leg.km for leg in self.path(a, b, modes))

    def great_circle_km(self, a: str, b: str) -> float:
        """As the crow flies (haversine), for sanity checks and flight legs."""
        la, lb = self._require(a), self._require(b)
        return haversine_km(la.lat, la.lon, lb.lat, lb.lon)

    @staticmethod
    def km_to_miles(km: float) -> float:
        """Statute miles (the game's captions speak in miles)."""
        return _km_to_miles(km)


# --------------------------------------------------------------------------- loading
class _SourceIndex:
    """Line numbers of elements in the raw TMX text (ElementTree keeps none)."""

    _OBJECT = re.compile(r"<object\b[^>]*?\bid=\"(\d+)\"")
    _GROUP = re.compile(r"<objectgroup\b[^>]*?\bname=\"([^\"]*)\"")

    def __init__(self, text: str) -> None:
        self.text = text
        self.objects = {m.group(1): m.start() for m in self._OBJECT.finditer(text)}
        self.groups = {m.group(1): m.start() for m in self._GROUP.finditer(text)}

    def line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def object_line(self, obj_id: str | None, prop: str | None = None) -> int | None:
        """Line of an object, or of one of its properties when present."""
        if obj_id is None or obj_id not in self.objects:
            return None
        start = self.objects[obj_id]
        if prop is not None:
            end = self.text.find("</object>", start)
            hit = self.text.find(f'name="{prop}"', start, end if end >= 0 else None)
            if hit >= 0:
                return self.line_at(hit)
        return self.line_at(start)

    def group_line(self, name: str) -> int | None:
        return self.line_at(self.groups[name]) if name in self.groups else None


def _properties(node: ET.Element) -> dict[str, str]:
    props = node.find("properties")
    if props is None:
        return {}
    return {p.get("name", ""): p.get("value", p.text or "") for p in props.findall("property")}


def _object_layer(root: ET.Element, name: str, path: Path, index: _SourceIndex) -> ET.Element:
    for group in root.iter("objectgroup"):
        if group.get("name") == name:
            return group
    raise RouteMapError(f"the map has no object layer named {name!r}", path,
                        line=index.line_at(index.text.find("<map")) if "<map" in index.text else 1,
                        hint=REGENERATE_HINT + f", or add an object layer '{name}' in Tiled")


def _number(value: str, what: str, path: Path, line: int | None) -> float:
    try:
        number = float(value)
    except ValueError:
        raise RouteMapError(f"{what} must be a number, got {value!r}", path, line) from None
    if not math.isfinite(number):
        raise RouteMapError(f"{what} must be finite, got {value!r}", path, line)
    return number


def _validate(root: ET.Element, path: Path, index: _SourceIndex) -> None:
    """Check the game's rules on the raw XML so errors can cite lines."""
    if root.tag != "map":
        raise RouteMapError(f"not a Tiled map: root element is <{root.tag}>", path, 1,
                            hint=REGENERATE_HINT)
    seen: set[str] = set()
    for obj in _object_layer(root, LOCATIONS_LAYER, path, index).findall("object"):
        oid = obj.get("id")
        name = obj.get("name", "")
        if not name:
            raise RouteMapError("a location object has no name (its location id)", path,
                                index.object_line(oid))
        if name in seen:
            raise RouteMapError(f"location {name!r} is defined twice", path, index.object_line(oid))
        seen.add(name)
        props = _properties(obj)
        for key in REQUIRED_LOCATION_PROPS:
            if key not in props:
                raise RouteMapError(f"location {name!r} has no {key!r} property", path,
                                    index.object_line(oid),
                                    hint="required: " + ", ".join(REQUIRED_LOCATION_PROPS))
        lat = _number(props["lat"], f"lat of {name!r}", path, index.object_line(oid, "lat"))
        lon = _number(props["lon"], f"lon of {name!r}", path, index.object_line(oid, "lon"))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise RouteMapError(f"lat/lon of {name!r} out of range: {lat}, {lon}", path,
                                index.object_line(oid, "lat"))
        if props["country"] not in COUNTRIES:
            raise RouteMapError(f"country of {name!r} is {props['country']!r}", path,
                                index.object_line(oid, "country"),
                                hint="one of " + ", ".join(sorted(COUNTRIES)))
    for obj in _object_layer(root, LEGS_LAYER, path, index).findall("object"):
        oid = obj.get("id")
        name = obj.get("name", f"object {oid}")
        props = _properties(obj)
        for key in REQUIRED_LEG_PROPS:
            if key not in props:
                raise RouteMapError(f"leg {name!r} has no {key!r} property", path,
                                    index.object_line(oid),
                                    hint="required: " + ", ".join(REQUIRED_LEG_PROPS))
        for key in ("from", "to"):
            if props[key] not in seen:
                raise RouteMapError(f"leg {name!r}: {key} {props[key]!r} is not a location",
                                    path, index.object_line(oid, key))
        if props["mode"] not in MODES:
            raise RouteMapError(f"leg {name!r}: mode {props['mode']!r} is unknown", path,
                                index.object_line(oid, "mode"), hint="one of " + ", ".join(sorted(MODES)))
        km = _number(props["km"], f"km of leg {name!r}", path, index.object_line(oid, "km"))
        if km < 0:
            raise RouteMapError(f"km of leg {name!r} is negative", path, index.object_line(oid, "km"))
        if obj.find("polyline") is None:
            raise RouteMapError(f"leg {name!r} is not a polyline", path, index.object_line(oid))


def _parse_xml(path: Path) -> tuple[ET.Element, _SourceIndex]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RouteMapError("route map file not found", path, hint=REGENERATE_HINT) from None
    except OSError as exc:
        raise RouteMapError(f"cannot read route map: {exc.strerror}", path) from None
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise RouteMapError(f"not a valid TMX file ({reason})", path, line, column + 1,
                            hint="the file is damaged or truncated; " + REGENERATE_HINT) from None
    return root, _SourceIndex(raw.decode("utf-8", errors="replace"))


def load_route_map(path: str | Path) -> RouteMap:
    """Read and validate a route TMX; every failure is a ``RouteMapError``."""
    path = Path(path)
    root, index = _parse_xml(path)
    _validate(root, path, index)
    try:
        tmx = pytmx.TiledMap(str(path))
        loc_layer = tmx.get_layer_by_name(LOCATIONS_LAYER)
        leg_layer = tmx.get_layer_by_name(LEGS_LAYER)
    except Exception as exc:  # noqa: BLE001 - pytmx raises assorted types; never leak them
        raise RouteMapError(f"Tiled could not load the map: {exc}", path,
                            hint=REGENERATE_HINT) from None

    locations: dict[str, Location] = {}
    for obj in loc_layer:
        p = obj.properties
        locations[obj.name] = Location(
            id=obj.name, label=str(p["label"]), label_ko=str(p["label_ko"]),
            country=str(p["country"]), lat=float(p["lat"]), lon=float(p["lon"]),
            note=str(p["note"]), x=float(obj.x), y=float(obj.y))
    legs = []
    for obj in leg_layer:
        p = obj.properties
        legs.append(Leg(
            id=obj.name or f"{p['from']}-{p['to']}", from_id=str(p["from"]), to_id=str(p["to"]),
            mode=str(p["mode"]), km=float(p["km"]),
            points=tuple((float(pt.x), float(pt.y)) for pt in obj.points)))

    props = tmx.properties
    projection = None
    if props.get("projection") == "mercator":
        try:
            projection = Mercator.from_properties(props)
        except (KeyError, TypeError, ValueError) as exc:
            raise RouteMapError(f"bad projection properties: {exc}", path, 1,
                                hint=REGENERATE_HINT) from None
    size = (int(tmx.width * tmx.tilewidth), int(tmx.height * tmx.tileheight))
    if projection is not None:
        size = (projection.width, projection.height)
    return RouteMap(locations, legs, size, projection, str(path))
