"""Load the journey map (``assets/maps/route.tmx``) into a pure, pygame-free model.

Every way a map can be wrong is a ``RouteMapError`` with the file, the line (where
there is one) and a hint; nothing else escapes :func:`load_route_map`.

1. The file is read with :func:`game.files.read_bytes`: a regular file of bounded
   size (a FIFO, a device or a link to ``/dev/zero`` is refused before it is read).
2. expat parses it, keeping each element's line. A DOCTYPE is refused (Tiled never
   writes one); tile layers and tilesets are skipped (the game uses neither, and a
   compressed tile layer or a tileset's file could make pytmx read without bounds).
3. The game's own rules are checked and the model is built from the same elements,
   so what was checked is exactly what is used: one layer each of ``locations`` and
   ``legs``; every place named, with its properties, lat/lon and country, on the map;
   every leg a polyline of finite points on the map between two places, with a mode
   and a distance; all places joined by legs; a map of sane size. The ``labels`` layer
   (names of countries, seas and rivers) is optional; each of its objects has both
   names and a known kind, and lies on the map.
4. pytmx, Tiled's reader for Python, then parses the same checked elements (never the
   file again, and without loading images) so the map stays readable by other tools.

The terrain image the map names is not read here: :func:`read_terrain` checks it
(``escape-route check`` reports a missing one) and the map screen draws without it.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import os
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import pytmx
from pytmx.pytmx import convert_to_bool
from pytmx.pytmx import prop_type as pytmx_property_types
from pytmx.pytmx import types as pytmx_types

from game.errors import DataFileError
from game.files import LIMITS, read_bytes
from game.l10n import N_, _, ngettext, number
from game.route.errors import RouteMapError
from game.route.geo import Mercator, haversine_km
from game.route.geo import km_to_miles as _km_to_miles

LOCATIONS_LAYER = "locations"
LEGS_LAYER = "legs"
LABELS_LAYER = "labels"
TERRAIN_LAYER = "terrain"
REQUIRED_LOCATION_PROPS = ("label", "label_ko", "country", "lat", "lon", "note")
REQUIRED_LEG_PROPS = ("from", "to", "mode", "km")
COUNTRIES = frozenset({"KP", "CN", "LA", "TH", "KR"})
MODES = frozenset({"foot", "river", "bus", "train", "boat", "plane"})
GROUND_MODES = MODES - {"plane"}
REQUIRED_LABEL_PROPS = ("label", "label_ko", "kind")
#: How an area's name is set: a large country, a small one (Korea, Japan), a sea or gulf, a river.
LABEL_KINDS = ("country", "country_small", "sea", "river")
#: Marked here, translated where it is shown (the language is chosen after import).
REGENERATE_HINT = N_("regenerate with: python tools/make_map.py")


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


@dataclass(frozen=True, slots=True)
class AreaLabel:
    """The name of a country, sea or river, set on the map over the terrain (not a place of the story).

    ``label`` is the English (``SOUTH KOREA``, ``Gulf of Tonkin``), ``label_ko`` the Korean
    (``한국``, ``통킹만``); ``kind`` is one of :data:`LABEL_KINDS` and decides how it is set;
    ``x``/``y`` are the pixels of the terrain image where its middle goes.
    """

    id: str
    label: str
    label_ko: str
    kind: str
    x: float
    y: float


class RouteMap:
    """Places and legs of the journey, with shortest-path distances over the legs.

    Immutable after construction: renderers and the story engine may share one
    instance freely. ``terrain`` is the image the map names (None when it names
    none), ``terrain_line`` the line of the TMX that names it; ``labels`` the names of
    countries, seas and rivers of its optional ``labels`` layer.
    """

    def __init__(self, locations: Mapping[str, Location], legs: Sequence[Leg],
                 pixel_size: tuple[int, int], projection: Mercator | None = None,
                 source: str | None = None, terrain: Path | None = None,
                 terrain_line: int | None = None, labels: Sequence[AreaLabel] = ()) -> None:
        self.locations: dict[str, Location] = dict(locations)
        self.legs: tuple[Leg, ...] = tuple(legs)
        self.labels: tuple[AreaLabel, ...] = tuple(labels)
        self.pixel_size = pixel_size
        self.projection = projection
        self.source = source
        self.terrain = terrain
        self.terrain_line = terrain_line
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
            raise RouteMapError(_("unknown location {location}").format(location=repr(loc_id)), self.source,
                                hint=_("known ids: {ids}").format(ids=", ".join(self.location_ids()))) from None

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
            raise RouteMapError(_("no route from {start} to {end} using {modes}").format(
                start=repr(a), end=repr(b), modes=sorted(allowed)), self.source)
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
#: Bounds on what a route map may describe: far beyond the shipped map (3,200 × 3,296
#: pixels, 58 objects, a few hundred elements), far below what would exhaust memory.
MAX_MAP_SIDE = 32_768          # pixels, each way
MAX_ELEMENTS = 100_000         # XML elements the game keeps (tile layers and tilesets are skipped)
MAX_LEG_KM = 50_000.0          # more than once round the Earth is a typing mistake
MAX_IMAGE_SIDE = 16_384        # pixels, each way, of the terrain image
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Elements the game does not use and pytmx would decode without bounds (a compressed
#: tile layer can expand a thousandfold; a tileset can name any file to read): skipped.
SKIPPED = frozenset({"layer", "tileset"})
#: The elements whose attributes pytmx casts to numbers (see pytmx.pytmx.types).
CAST_BY_PYTMX = frozenset({"map", "group", "imagelayer", "objectgroup", "object"})

# pytmx logs an error before it raises; the game reports the RouteMapError instead,
# so its records go nowhere unless the application configures logging.
logging.getLogger("pytmx").addHandler(logging.NullHandler())


class _Tree:
    """The TMX as ElementTree elements, with the line each element starts on (ElementTree keeps none)."""

    def __init__(self, root: ET.Element, lines: dict[ET.Element, int]) -> None:
        self.root = root
        self.lines = lines

    def line(self, element: ET.Element | None) -> int | None:
        return None if element is None else self.lines.get(element)

    def prop_line(self, obj: ET.Element, name: str) -> int | None:
        """The line of one of an object's properties, else the object's own line."""
        for prop in obj.iterfind("properties/property"):
            if prop.get("name") == name:
                return self.line(prop)
        return self.line(obj)


class _Refused(Exception):
    """Raised from inside the XML parser's callbacks; carries the message."""


def _parse_xml(raw: bytes, path: Path) -> _Tree:
    """Parse with expat directly, so every element knows its line.

    A DOCTYPE is refused (Tiled never writes one; it is how entity expansion bombs
    start), tile layers and tilesets are skipped (see :data:`SKIPPED`), and the number
    of elements kept is bounded.
    """
    parser = expat.ParserCreate()
    parser.buffer_text = True
    stack: list[ET.Element] = []
    lines: dict[ET.Element, int] = {}
    top: list[ET.Element] = []
    skipping = 0  # depth inside a skipped element

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal skipping
        if skipping or (stack and tag in SKIPPED):
            skipping += 1
            return
        if len(lines) >= MAX_ELEMENTS:
            raise _Refused(_("not a usable TMX file: it has more than {count} elements").format(
                count=number(MAX_ELEMENTS)))
        element = ET.Element(tag, attrs)
        if stack:
            stack[-1].append(element)
        else:
            top.append(element)
        stack.append(element)
        lines[element] = parser.CurrentLineNumber

    def end(tag: str) -> None:
        nonlocal skipping
        if skipping:
            skipping -= 1
        else:
            stack.pop()

    def text(data: str) -> None:
        if skipping or not stack:
            return
        element = stack[-1]
        if len(element):
            element[-1].tail = (element[-1].tail or "") + data
        else:
            element.text = (element.text or "") + data

    def doctype(*_args: object) -> None:
        raise _Refused(_("not a usable TMX file: it has a DOCTYPE declaration, which Tiled never writes"))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as exc:
        raise RouteMapError(_("not a valid TMX file ({reason})").format(reason=expat.ErrorString(exc.code)), path,
                            exc.lineno, exc.offset + 1,
                            hint=_("the file is damaged or truncated; regenerate with: python tools/make_map.py")) from None
    except _Refused as exc:
        raise RouteMapError(str(exc), path, parser.CurrentLineNumber, hint=_(REGENERATE_HINT)) from None
    except RecursionError:  # pragma: no cover - expat is iterative; kept for safety
        raise RouteMapError(_("not a usable TMX file: it nests too deeply"), path, hint=_(REGENERATE_HINT)) from None
    return _Tree(top[0], lines)


def _properties(node: ET.Element) -> dict[str, str]:
    props = node.find("properties")
    if props is None:
        return {}
    return {p.get("name", ""): p.get("value", p.text or "") for p in props.findall("property")}


def _object_layers(tree: _Tree, name: str, path: Path) -> list[ET.Element]:
    """The object layer called ``name``, as a list of none or one: two of them are an error (which one is meant?)."""
    found = [group for group in tree.root.iter("objectgroup") if group.get("name") == name]
    if len(found) > 1:
        raise RouteMapError(_("the map has {count} object layers named {name}; the game needs exactly one").format(
                                count=len(found), name=repr(name)),
                            path, tree.line(found[1]),
                            hint=_("rename or merge the layers in Tiled (the first is on line {line})").format(
                                line=tree.line(found[0])))
    return found


def _object_layer(tree: _Tree, name: str, path: Path) -> ET.Element:
    found = _object_layers(tree, name, path)
    if not found:
        raise RouteMapError(_("the map has no object layer named {name}").format(name=repr(name)), path,
                            line=tree.line(tree.root) or 1,
                            hint=_("regenerate with: python tools/make_map.py, or add an object layer '{name}' "
                                   "in Tiled").format(name=name))
    return found[0]


def _number(value: str | None, what: str, path: Path, line: int | None) -> float:
    if value is None:
        raise RouteMapError(_("{what} is missing").format(what=what), path, line, hint=_(REGENERATE_HINT))
    try:
        result = float(value)
    except ValueError:
        raise RouteMapError(_("{what} must be a number, got {value}").format(what=what, value=repr(value)),
                            path, line) from None
    if not math.isfinite(result):
        raise RouteMapError(_("{what} must be finite, got {value}").format(what=what, value=repr(value)), path, line)
    return result


def _whole(value: str | None, what: str, path: Path, line: int | None, low: int, high: int) -> int:
    if value is None:
        raise RouteMapError(_("{what} is missing").format(what=what), path, line, hint=_(REGENERATE_HINT))
    try:
        result = int(value)
    except ValueError:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise RouteMapError(_("{what} must be a whole number, got {value}").format(what=what, value=repr(shown)),
                            path, line) from None
    if not low <= result <= high:
        raise RouteMapError(_("{what} must be from {low} to {high}, got {value}").format(
                                what=what, low=number(low), high=number(high), value=number(result)), path, line,
                            hint=_(REGENERATE_HINT))
    return result


def _check_pytmx_types(tree: _Tree, path: Path) -> None:
    """The attributes and typed properties pytmx will convert, converted first here, so a bad
    value is reported with its line instead of as a bare ValueError from inside pytmx."""
    for element in tree.root.iter():
        if element.tag in CAST_BY_PYTMX:
            for key, value in element.items():
                cast = pytmx_types[key]
                if cast in (int, float, convert_to_bool):
                    try:
                        cast(value)
                    except (ValueError, OverflowError):
                        shown = value if len(value) <= 40 else value[:40] + "…"
                        message = (_("<{tag}> has {key}={value}, which is not a whole number") if cast is int
                                   else _("<{tag}> has {key}={value}, which is not a number") if cast is float
                                   else _("<{tag}> has {key}={value}, which is not a boolean"))
                        raise RouteMapError(message.format(tag=element.tag, key=key, value=repr(shown)),
                                            path, tree.line(element), hint=_(REGENERATE_HINT)) from None
        elif element.tag == "property":
            kind = element.get("type")
            if kind is not None and (kind not in pytmx_property_types or kind == "class"):
                raise RouteMapError(_("property {name} has the type {kind}, which the game cannot read").format(
                                        name=repr(element.get("name")), kind=repr(kind)), path, tree.line(element),
                                    hint=_("one of {choices}").format(
                                        choices=", ".join(sorted(set(pytmx_property_types) - {"class"}))))
            cast = {"int": int, "object": int, "float": float, "bool": convert_to_bool}.get(kind or "")
            if cast is not None:
                try:
                    cast(element.get("value"))
                except (ValueError, TypeError, OverflowError):
                    raise RouteMapError(_("property {name} is of type {kind} but its value is {value}").format(
                                            name=repr(element.get("name")), kind=kind, value=repr(element.get("value"))),
                                        path, tree.line(element), hint=_("fix the value or the type in Tiled")) from None
        elif element.tag in ("polyline", "polygon"):
            _points(element.get("points"), _("the points of a <{tag}>").format(tag=element.tag), path,
                    tree.line(element))


def _points(text: str | None, what: str, path: Path, line: int | None) -> list[tuple[float, float]]:
    """Tiled's ``points="x,y x,y ..."``: pairs of finite numbers."""
    points = []
    for token in (text or "").split():
        parts = token.split(",")
        if len(parts) != 2:
            raise RouteMapError(_("{what}: {token} is not a point 'x,y'").format(what=what, token=repr(token[:40])),
                                path, line, hint=_(REGENERATE_HINT))
        points.append((_number(parts[0], what, path, line), _number(parts[1], what, path, line)))
    return points


def _pixel_size(tree: _Tree, path: Path) -> tuple[tuple[int, int], Mercator | None]:
    root, line = tree.root, tree.line(tree.root)
    tiles_w = _whole(root.get("width"), _("the map's width (in tiles)"), path, line, 1, MAX_MAP_SIDE)
    tiles_h = _whole(root.get("height"), _("the map's height (in tiles)"), path, line, 1, MAX_MAP_SIDE)
    tile_w = _whole(root.get("tilewidth"), _("the map's tile width"), path, line, 1, MAX_MAP_SIDE)
    tile_h = _whole(root.get("tileheight"), _("the map's tile height"), path, line, 1, MAX_MAP_SIDE)
    size = (tiles_w * tile_w, tiles_h * tile_h)
    props = _properties(root)
    projection = None
    if props.get("projection") == "mercator":
        def at(name: str) -> int | None:
            return next((tree.line(p) for p in root.iterfind("properties/property") if p.get("name") == name), line)

        def setting(name: str) -> str:
            return _("the projection's {name}").format(name=name)

        lon_min = _number(props.get("lon_min"), setting("lon_min"), path, at("lon_min"))
        lon_max = _number(props.get("lon_max"), setting("lon_max"), path, at("lon_max"))
        lat_max = _number(props.get("lat_max"), setting("lat_max"), path, at("lat_max"))
        width = _whole(props.get("width_px"), setting("width_px"), path, at("width_px"), 1, MAX_MAP_SIDE)
        height = _whole(props.get("height_px"), setting("height_px"), path, at("height_px"), 1, MAX_MAP_SIDE)
        if not (-180 <= lon_min < lon_max <= 180 and -85 < lat_max < 85):
            raise RouteMapError(_("bad projection properties: lon_min {lon_min}, lon_max {lon_max}, "
                                  "lat_max {lat_max}").format(lon_min=lon_min, lon_max=lon_max, lat_max=lat_max),
                                path, at("lon_min"),
                                hint=_("lon_min < lon_max within ±180, lat_max within ±85; "
                                       "regenerate with: python tools/make_map.py"))
        projection = Mercator(lon_min=lon_min, lon_max=lon_max, lat_max=lat_max, width=width, height=height)
        size = (width, height)
    if size[0] > MAX_MAP_SIDE or size[1] > MAX_MAP_SIDE:
        raise RouteMapError(_("the map is {width} × {height} pixels; at most {most} each way").format(
                                width=number(size[0]), height=number(size[1]), most=number(MAX_MAP_SIDE)),
                            path, line, hint=_(REGENERATE_HINT))
    return size, projection


def _position(obj: ET.Element, what: str, size: tuple[int, int], path: Path, line: int | None) -> tuple[float, float]:
    x = _number(obj.get("x", "0"), _("x of {what}").format(what=what), path, line)
    y = _number(obj.get("y", "0"), _("y of {what}").format(what=what), path, line)
    _on_map(x, y, what, size, path, line)
    return x, y


def _on_map(x: float, y: float, what: str, size: tuple[int, int], path: Path, line: int | None) -> None:
    if not (-0.5 <= x <= size[0] + 0.5 and -0.5 <= y <= size[1] + 0.5):
        raise RouteMapError(_("{what} lies off the map, at ({x}, {y}); the map is {width} × {height} pixels").format(
                                what=what, x=f"{x:g}", y=f"{y:g}", width=size[0], height=size[1]),
                            path, line,
                            hint=_("move it onto the map in Tiled, or regenerate with: python tools/make_map.py"))


def _locations(tree: _Tree, path: Path, size: tuple[int, int]) -> dict[str, Location]:
    locations: dict[str, Location] = {}
    layer = _object_layer(tree, LOCATIONS_LAYER, path)
    for obj in layer.findall("object"):
        line = tree.line(obj)
        name = obj.get("name", "")
        if not name:
            raise RouteMapError(_("a location object has no name (its location id)"), path, line,
                                hint=_("name the object in Tiled: the name is the id the story uses"))
        if name in locations:
            raise RouteMapError(_("location {name} is defined twice").format(name=repr(name)), path, line)
        props = _properties(obj)
        for key in REQUIRED_LOCATION_PROPS:
            if key not in props:
                raise RouteMapError(_("location {name} has no {key} property").format(name=repr(name), key=repr(key)),
                                    path, line,
                                    hint=_("required: {names}").format(names=", ".join(REQUIRED_LOCATION_PROPS)))
        lat = _number(props["lat"], _("lat of {name}").format(name=repr(name)), path, tree.prop_line(obj, "lat"))
        lon = _number(props["lon"], _("lon of {name}").format(name=repr(name)), path, tree.prop_line(obj, "lon"))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise RouteMapError(_("lat/lon of {name} out of range: {lat}, {lon}").format(name=repr(name), lat=lat,
                                                                                         lon=lon),
                                path, tree.prop_line(obj, "lat"))
        if props["country"] not in COUNTRIES:
            raise RouteMapError(_("country of {name} is {country}").format(name=repr(name),
                                                                          country=repr(props["country"])),
                                path, tree.prop_line(obj, "country"),
                                hint=_("one of {choices}").format(choices=", ".join(sorted(COUNTRIES))))
        x, y = _position(obj, _("location {name}").format(name=repr(name)), size, path, line)
        locations[name] = Location(id=name, label=props["label"], label_ko=props["label_ko"], country=props["country"],
                                   lat=lat, lon=lon, note=props["note"], x=x, y=y)
    if not locations:
        raise RouteMapError(_("the object layer {name} has no places").format(name=repr(LOCATIONS_LAYER)), path,
                            tree.line(layer), hint=_(REGENERATE_HINT))
    return locations


def _legs(tree: _Tree, path: Path, size: tuple[int, int], locations: Mapping[str, Location]) -> list[Leg]:
    legs = []
    for obj in _object_layer(tree, LEGS_LAYER, path).findall("object"):
        line = tree.line(obj)
        props = _properties(obj)
        # Shown quoted, as Python writes a string; an unnamed leg by its Tiled object id.
        name = repr(obj.get("name") or _("object {id}").format(id=obj.get("id", "?")))
        for key in REQUIRED_LEG_PROPS:
            if key not in props:
                raise RouteMapError(_("leg {name} has no {key} property").format(name=name, key=repr(key)), path, line,
                                    hint=_("required: {names}").format(names=", ".join(REQUIRED_LEG_PROPS)))
        for key in ("from", "to"):
            if props[key] not in locations:
                raise RouteMapError(_("leg {name}: {key} {value} is not a location").format(
                                        name=name, key=key, value=repr(props[key])), path, tree.prop_line(obj, key))
        if props["mode"] not in MODES:
            raise RouteMapError(_("leg {name}: mode {mode} is unknown").format(name=name, mode=repr(props["mode"])),
                                path, tree.prop_line(obj, "mode"),
                                hint=_("one of {choices}").format(choices=", ".join(sorted(MODES))))
        km = _number(props["km"], _("km of leg {name}").format(name=name), path, tree.prop_line(obj, "km"))
        if not 0 <= km <= MAX_LEG_KM:
            raise RouteMapError(_("km of leg {name} is {km}; it must be from 0 to {most}").format(
                                    name=name, km=f"{km:g}", most=number(MAX_LEG_KM)), path, tree.prop_line(obj, "km"))
        polyline = obj.find("polyline")
        if polyline is None:
            raise RouteMapError(_("leg {name} is not a polyline").format(name=name), path, line,
                                hint=_("draw the leg with Tiled's polyline tool, from one place to the other"))
        x0, y0 = _position(obj, _("leg {name}").format(name=name), size, path, line)
        where = tree.line(polyline)
        relative = _points(polyline.get("points"), _("the polyline of leg {name}").format(name=name), path, where)
        if len(relative) < 2:
            raise RouteMapError(ngettext("the polyline of leg {name} has {count} point; a leg needs at least two",
                                         "the polyline of leg {name} has {count} points; a leg needs at least two",
                                         len(relative)).format(name=name, count=len(relative)), path, where,
                                hint=_("redraw the leg in Tiled, or regenerate with: python tools/make_map.py"))
        points = tuple((x0 + dx, y0 + dy) for dx, dy in relative)
        for index, (x, y) in enumerate(points, 1):
            _on_map(x, y, _("point {number} of leg {name}").format(number=index, name=name), size, path, where)
        legs.append(Leg(id=obj.get("name") or f"{props['from']}-{props['to']}", from_id=props["from"],
                        to_id=props["to"], mode=props["mode"], km=km, points=points))
    return legs


def _labels(tree: _Tree, path: Path, size: tuple[int, int]) -> list[AreaLabel]:
    """The optional ``labels`` layer: the names of countries, seas and rivers (a map without it has none)."""
    found = _object_layers(tree, LABELS_LAYER, path)
    if not found:
        return []
    labels = []
    for obj in found[0].findall("object"):
        line = tree.line(obj)
        props = _properties(obj)
        # Shown quoted, as Python writes a string; an unnamed label by its Tiled object id.
        name = repr(obj.get("name") or _("object {id}").format(id=obj.get("id", "?")))
        for key in REQUIRED_LABEL_PROPS:
            if key not in props:
                raise RouteMapError(_("area label {name} has no {key} property").format(name=name, key=repr(key)),
                                    path, line,
                                    hint=_("required: {names}").format(names=", ".join(REQUIRED_LABEL_PROPS)))
        for key in ("label", "label_ko"):
            if not props[key].strip():
                raise RouteMapError(_("area label {name}: its {key} is empty").format(name=name, key=repr(key)),
                                    path, tree.prop_line(obj, key),
                                    hint=_("write the name as the map should show it, or delete the label"))
        if props["kind"] not in LABEL_KINDS:
            raise RouteMapError(_("area label {name}: kind {kind} is unknown").format(
                                    name=name, kind=repr(props["kind"])),
                                path, tree.prop_line(obj, "kind"),
                                hint=_("one of {choices}").format(choices=", ".join(LABEL_KINDS)))
        x, y = _position(obj, _("area label {name}").format(name=name), size, path, line)
        labels.append(AreaLabel(id=obj.get("name") or obj.get("id", ""), label=props["label"],
                                label_ko=props["label_ko"], kind=props["kind"], x=x, y=y))
    return labels


def _check_connected(tree: _Tree, path: Path, locations: Mapping[str, Location], legs: Sequence[Leg]) -> None:
    """Every place reachable from every other over the legs: the map screen draws the way between any two."""
    neighbours: dict[str, set[str]] = {name: set() for name in locations}
    for leg in legs:
        neighbours[leg.from_id].add(leg.to_id)
        neighbours[leg.to_id].add(leg.from_id)
    first = next(iter(locations))
    seen, todo = {first}, [first]
    while todo:
        for nxt in neighbours[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    apart = [name for name in locations if name not in seen]
    if apart:
        layer = _object_layer(tree, LOCATIONS_LAYER, path)
        obj = next((o for o in layer.findall("object") if o.get("name") == apart[0]), None)
        others = len(apart) - 1
        message = (ngettext("location {name} is not joined to {first} by any legs (nor is {count} more)",
                            "location {name} is not joined to {first} by any legs (nor are {count} more)", others)
                   if others else _("location {name} is not joined to {first} by any legs"))
        raise RouteMapError(message.format(name=repr(apart[0]), first=repr(first), count=others), path,
                            tree.line(obj),
                            hint=_("add a leg to it in the 'legs' layer, or regenerate with: python tools/make_map.py"))


def _terrain(tree: _Tree, path: Path) -> tuple[Path | None, int | None]:
    """The terrain image the map names (its image layer 'terrain', else the first image layer), and its line."""
    layers = list(tree.root.iter("imagelayer"))
    layers.sort(key=lambda layer: layer.get("name") != TERRAIN_LAYER)
    for layer in layers:
        image = layer.find("image")
        if image is None:
            raise RouteMapError(_("the image layer {name} has no image").format(name=repr(layer.get("name", ""))),
                                path, tree.line(layer), hint=_("choose its image in Tiled, or delete the layer"))
        source = image.get("source")
        if not source:
            raise RouteMapError(_("the image layer {name} names no image file").format(
                                    name=repr(layer.get("name", ""))), path, tree.line(image),
                                hint=_("choose its image in Tiled, or regenerate with: python tools/make_map.py"))
        return path.parent / source, tree.line(image)
    return None, None


def _tiled_reads(tree: _Tree, path: Path) -> None:
    """pytmx, the library that reads Tiled's files, must accept the map too (it is what other tools use).

    It is given the tree already read and checked (never the file), so it reads nothing
    more from the disk: tile layers and tilesets were skipped, and the image loader
    only names images.
    """
    try:
        tmx = pytmx.TiledMap()
        tmx.filename = str(path)
        tmx.parse_xml(tree.root)
    except Exception as exc:  # noqa: BLE001 - pytmx raises assorted types; never leak them
        reason = str(exc).strip() or type(exc).__name__
        raise RouteMapError(_("Tiled's reader (pytmx) cannot load the map: {reason}").format(reason=reason), path,
                            hint=_(REGENERATE_HINT)) from None


def _read(path: Path) -> bytes:
    try:
        return read_bytes(path, LIMITS["map"], "route map")
    except DataFileError as exc:
        if not os.path.lexists(path):
            raise RouteMapError(_("route map file not found"), path, hint=_(REGENERATE_HINT)) from None
        raise RouteMapError(exc.message, path, hint=exc.hint or _(REGENERATE_HINT)) from None


def load_route_map(path: str | Path) -> RouteMap:
    """Read and validate a route TMX; every failure is a ``RouteMapError`` (file, line, hint)."""
    path = Path(path)
    tree = _parse_xml(_read(path), path)
    if tree.root.tag != "map":
        raise RouteMapError(_("not a Tiled map: root element is <{tag}>").format(tag=tree.root.tag), path,
                            tree.line(tree.root) or 1, hint=_(REGENERATE_HINT))
    size, projection = _pixel_size(tree, path)
    locations = _locations(tree, path, size)
    legs = _legs(tree, path, size, locations)
    _check_connected(tree, path, locations, legs)
    labels = _labels(tree, path, size)
    terrain, terrain_line = _terrain(tree, path)
    _check_pytmx_types(tree, path)
    _tiled_reads(tree, path)
    return RouteMap(locations, legs, size, projection, str(path), terrain=terrain, terrain_line=terrain_line,
                    labels=labels)


def read_terrain(path: str | Path) -> bytes:
    """The terrain image's bytes: a regular file of bounded size and, for a PNG, of sane dimensions.

    Anything else is a ``RouteMapError``: ``escape-route check`` reports it, and the map
    screen draws the map without its terrain. Pure (no pygame): the decoding is the
    screen's business.
    """
    path = Path(path)
    try:
        data = read_bytes(path, LIMITS["map"], "terrain image")
    except DataFileError as exc:
        missing = not os.path.lexists(path)
        if missing:
            raise RouteMapError(_("the terrain image is missing"), path,
                                hint=_("put the image beside the map, or regenerate with: python tools/make_map.py")
                                ) from None
        # exc.message is game.files' own sentence about the file (already in the language spoken).
        raise RouteMapError(_("the terrain image {problem}").format(problem=exc.message), path,
                            hint=_(REGENERATE_HINT)) from None
    if data[:8] == PNG_SIGNATURE:
        if len(data) < 24:
            raise RouteMapError(_("the terrain image is a truncated PNG"), path, hint=_(REGENERATE_HINT))
        width, height = struct.unpack(">II", data[16:24])
        if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE):
            raise RouteMapError(_("the terrain image is {width} × {height} pixels; at most {most} each way").format(
                                    width=number(width), height=number(height), most=number(MAX_IMAGE_SIDE)),
                                path, hint=_(REGENERATE_HINT))
    elif path.suffix.lower() == ".png":
        raise RouteMapError(_("the terrain image is not a PNG image (its first bytes are wrong)"), path,
                            hint=_("it is damaged; regenerate with: python tools/make_map.py"))
    return data
