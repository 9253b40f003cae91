"""Map screen widget: draws the journey over the terrain image.

Layout: the map sheet fills the height of the given rect (it is a tall map),
cropped to the journey's bounding box; the space left over becomes a side
panel with the distance caption, the current place and a legend. When the rect
is too narrow for a panel, the caption sits on a translucent strip over the map.

Area names (countries, seas, rivers) come from the map's ``labels`` layer and are set
here, on the static layer, in the language spoken and at a size the window can read;
they are never baked into the terrain image. Each goes where it covers no place's dot
or marker, preferably nor any place's name wherever that name could
be drawn; else it is moved a little, else left out. Where a place name actually drawn
for the journey, or the caption, would meet one, the route overlay takes the area names
away (with the terrain kept from under them) and sets them again around what is drawn:
no two texts ever overlap.

Performance: everything that only depends on the rect size (scaled terrain,
every place's dot, the area names, panel background, legend) is cached per size;
the route overlay is cached per journey state. A frame is then two blits plus an
optional tooltip.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from game.errors import RouteMapError
from game.l10n import N_, _, language, number
from game.paths import assets_dir
from game.route.map import GROUND_MODES, AreaLabel, Leg, RouteMap, read_terrain

FontFactory = Callable[[int], pygame.font.Font]
Point = tuple[float, float]
Color = tuple[int, int, int]

FONT_DIR = assets_dir() / "fonts"

BACKGROUND: Color = (27, 29, 31)
PANEL_TEXT: Color = (222, 214, 198)
PANEL_MUTED: Color = (150, 144, 134)
PANEL_RULE: Color = (70, 70, 68)
FRAME: Color = (12, 13, 14)
INK: Color = (46, 44, 42)
PAPER: Color = (240, 234, 221)
TRAVELLED: Color = (166, 92, 52)
PLANNED: Color = (122, 76, 52)
VISITED: Color = (140, 70, 38)
CURRENT: Color = (178, 28, 36)
PLACE_DOT: Color = (98, 96, 92)
COUNTRY_INK: Color = (108, 94, 84)
SEA_INK: Color = (64, 86, 104)
RIVER_INK: Color = (52, 96, 134)


@dataclass(frozen=True)
class LabelStyle:
    """How one kind of area name is set: the atlas conventions.

    Countries in muted ink, Latin in letter-spaced capitals, Hangul plain; seas blue-grey,
    in an italic serif (Myeongjo slanted in Hangul, which has no italic); rivers small and
    blue, in the same faces. ``size`` is the type size at 1080p,
    ``floor`` the smallest it may become (both grow with the text-size setting);
    ``tracking`` is letter spacing in ems, for Latin only.
    """

    latin: str
    hangul: str
    size: float
    floor: int
    color: Color
    tracking: float
    halo: int  # alpha of the paper-coloured halo that lifts the name off rivers and borders (0: none)


LABEL_STYLES: dict[str, LabelStyle] = {
    "country": LabelStyle("NotoSans-Regular.ttf", "NanumGothic.ttf", 22, 14, COUNTRY_INK, 0.3, 120),
    "country_small": LabelStyle("NotoSans-Regular.ttf", "NanumGothic.ttf", 17, 12, COUNTRY_INK, 0.2, 120),
    "sea": LabelStyle("NotoSerif-Italic.ttf", "NanumMyeongjo.ttf", 18, 12, SEA_INK, 0.0, 0),
    "river": LabelStyle("NotoSerif-Italic.ttf", "NanumMyeongjo.ttf", 15, 11, RIVER_INK, 0.0, 140),
}
#: Which names are placed first when two would meet: countries, then seas, then rivers.
LABEL_ORDER = ("country", "country_small", "sea", "river")
#: Where a name is tried, in fractions of its own width and height from its point: the point
#: itself, then a little above or below, then a little to either side; the first free one wins.
NUDGES = ((0, 0), (0, -0.3), (0, 0.3), (-0.15, 0), (0.15, 0), (0, -0.6), (0, 0.6), (0, -1.2), (0, 1.2),
          (-0.25, 0), (0.25, 0), (-0.25, -0.8), (0.25, 0.8), (0.25, -0.8), (-0.25, 0.8), (0, -1.8), (0, 1.8),
          (-0.5, 0), (0.5, 0), (-0.5, -1.0), (0.5, 1.0), (0.5, -1.0), (-0.5, 1.0))
NEAR = tuple((dx, dy) for dx, dy in NUDGES if abs(dx) <= 0.25 and abs(dy) <= 0.6)


@dataclass(frozen=True)
class DrawnLabel:
    """An area name as the view last set it: the words shown, its kind, and where (relative to the view's rect)."""

    id: str
    text: str
    kind: str
    rect: pygame.Rect


#: Why the game's figure is not the one in the title or the papers: one sentence, shown on
#: the debrief beside the computed total, so that nobody mistakes either for the "true" length.
DISTANCE_NOTE = N_("Published figures differ because routes differ and some count straight lines: "
                   "Liberty in North Korea's early campaign said 3,500 miles, its 2025 pages \"nearly 3,000\", "
                   "the Washington Post (2017) \"almost 2,700\". The figure here is this map's roads, "
                   "rivers and rails, measured leg by leg.")


@dataclass(frozen=True)
class RouteMiles:
    """The route's length, computed from its legs: ``way`` overland from the first place to the
    farthest one reached without flying (Hyesan to Bangkok), ``flight`` the flight beyond it."""

    way: float
    flight: float
    start_label: str = ""
    end_label: str = ""
    start_id: str = ""
    end_id: str = ""


def route_miles(route: RouteMap, start: str | None = None) -> RouteMiles:
    """The length of the way, from the map's legs (never a figure typed in by hand).

    ``start`` is where the journey begins (the first place of the map when None). The
    way is the shortest overland path to the place farthest from it by land; the
    flight is the longest flight leg, counted apart because it is not "the way" she
    walks, rides and swims.
    """
    if not route.locations:
        return RouteMiles(0.0, 0.0)
    origin = start if start in route.locations else next(iter(route.locations))
    best, farthest = 0.0, origin
    for loc_id in route.locations:
        try:
            km = sum(leg.km for leg in route.path(origin, loc_id, GROUND_MODES))
        except RouteMapError:
            continue
        if km > best:
            best, farthest = km, loc_id
    flight = max((leg.km for leg in route.legs_at(farthest) if leg.mode == "plane"), default=0.0)
    return RouteMiles(route.km_to_miles(best), route.km_to_miles(flight), route.locations[origin].label,
                      route.locations[farthest].label, origin, farthest)


SUBTITLE = N_("North Korea to South Korea, overland")


def legend_rows(ahead: bool) -> list[tuple[str, str]]:
    """(label, style) of the legend; "the way ahead" only when a way ahead is drawn."""
    return [(_("travelled"), "solid")] + ([(_("the way ahead"), "dashed")] if ahead else []) + [
        (_("you are here"), "ring"), (_("a place on the way"), "dot")]


class TerrainUnavailable(pygame.error):
    """The terrain image is missing, damaged or absurd; the message says which and where.

    A ``pygame.error``, so callers that already expect pygame's own decoding errors
    (the title screen's backdrop) handle it too.
    """


def map_problem(exc: Exception) -> str:
    """What went wrong with the map, for the player: its message and hint in the language spoken."""
    if not isinstance(exc, RouteMapError):
        return str(exc)
    text = f"{exc.where}: {exc.message}"
    return text + " (" + _("hint: {hint}").format(hint=exc.hint) + ")" if exc.hint else text


def _load_image(path: Path) -> pygame.Surface:
    """Decode an image read through :func:`read_terrain` (bounded, a regular file, sane dimensions)."""
    try:
        data = read_terrain(path)
        return pygame.image.load(io.BytesIO(data), path.name)
    except RouteMapError as exc:
        raise TerrainUnavailable(map_problem(exc)) from None
    except (pygame.error, ValueError, MemoryError) as exc:
        raise TerrainUnavailable(_("{path}: the terrain image cannot be decoded ({error})").format(
            path=path, error=exc)) from None


def scaled_terrain(path: Path, crop: pygame.Rect, size: tuple[int, int]) -> pygame.Surface:
    """``crop`` (in full-size map pixels) of the terrain image, scaled to ``size``.

    Reads the half-size copy beside the image (``route_terrain_half.png``) when the
    result is no larger than half the crop: decoding a quarter of the pixels keeps
    both memory and start-up low, and the picture is the same. Nothing is cached: the
    caller keeps only the scaled result. A missing or damaged image raises
    :class:`TerrainUnavailable` (a damaged half-size copy falls back to the full image).
    """
    path = Path(path)
    half = path.with_name(path.stem + "_half" + path.suffix)
    image = None
    if size[0] * 2 <= crop.w and size[1] * 2 <= crop.h and half.is_file():
        try:
            image = _load_image(half)
            crop = pygame.Rect(crop.x // 2, crop.y // 2, crop.w // 2, crop.h // 2).clip(image.get_rect())
        except TerrainUnavailable:
            image = None
    if image is None:
        image = _load_image(path)
        crop = crop.clip(image.get_rect())
    if crop.w <= 0 or crop.h <= 0:
        raise TerrainUnavailable(_("{path}: the terrain image ({width} × {height} pixels) does not cover the map")
                                 .format(path=path, width=image.get_width(), height=image.get_height()))
    return pygame.transform.smoothscale(image.subsurface(crop), size)


def draw_dashed_polyline(surface: pygame.Surface, color: Color, points: Sequence[Point],
                         width: int, dash: float, gap: float) -> None:
    """Dashed polyline whose dash pattern runs on across vertices (pygame has none)."""
    period = dash + gap
    phase = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        seg_len = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while pos < seg_len:
            in_dash = phase < dash
            step = min(seg_len - pos, (dash - phase) if in_dash else (period - phase))
            if in_dash and step > 0:
                t0, t1 = pos / seg_len, (pos + step) / seg_len
                pygame.draw.line(surface, color,
                                 (x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0),
                                 (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1), width)
            pos += step
            phase = (phase + step) % period


Segment = tuple[Point, Point, pygame.Rect]  # its two ends and the rect round it


def _segments(lines: Sequence[Sequence[Point]]) -> list[Segment]:
    """The straight pieces of ``lines``, each with its bounding rect (a cheap first test)."""
    out = []
    for line in lines:
        for a, b in itertools.pairwise(line):
            box = pygame.Rect(min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]) + 1, abs(a[1] - b[1]) + 1)
            out.append((a, b, box))
    return out


def _free_spot(img: pygame.Surface, anchor: Point, inside: pygame.Rect, taken: list[pygame.Rect],
               crossing: Sequence[Segment], nudges: Sequence[tuple[float, float]]) -> pygame.Rect | None:
    """The first of ``nudges`` (from ``anchor``) where ``img``, with a little air round it, meets nothing
    ``taken`` and no segment of ``crossing``; None when there is no such spot."""
    w, h = img.get_size()
    air = max(4, min(6, w // 4, h // 4))
    for dx, dy in nudges:
        box = img.get_rect(center=(round(anchor[0] + dx * w), round(anchor[1] + dy * h)))
        box.clamp_ip(inside)  # a name near the edge moves onto the sheet (over its point still)
        room = box.inflate(air, air)
        if room.collidelist(taken) >= 0:
            continue
        if any(room.colliderect(bounds) and room.clipline(a, b) for a, b, bounds in crossing):
            continue
        return box
    return None


def _font_file(*names: str) -> Path | None:
    for name in names:
        path = FONT_DIR / name
        if path.is_file():
            return path
    return None


@dataclass(frozen=True)
class _Layout:
    """Geometry for one rect size; all rects are relative to the view's rect."""

    size: tuple[int, int]
    crop: pygame.Rect  # source pixels of the terrain shown
    sheet: pygame.Rect  # where the crop lands
    panel: pygame.Rect | None  # side panel, or None when the caption overlays the map
    scale: float
    unit: float  # 1.0 at 1080 px tall: sizes of lines, dots and text scale with it


class MapView:
    """Renders a :class:`RouteMap` with the player's progress. Never mutates the model."""

    def __init__(self, route: RouteMap, terrain_path: str | Path, *, total_miles: float | None = None,
                 font: FontFactory | None = None, zoom_to_journey: bool = True,
                 travel_modes: Sequence[str] | None = None, frame: Sequence[str] | None = None,
                 start: str | None = None, names: Mapping[str, str] | None = None,
                 notes: Mapping[str, str] | None = None) -> None:
        self.route = route
        # The edition's own place names and notes (the Korean edition's), else the map's English.
        self.names = dict(names or {})
        self.notes = dict(notes or {})
        self.terrain_path = Path(terrain_path)
        # The total is the route's own length (the same figure on every screen), unless a caller insists.
        miles = route_miles(route, start)
        self.total_miles = miles.way if total_miles is None else total_miles
        self.way_words = (_("overland, {start} to {end}, measured on this map").format(
            start=self.names.get(miles.start_id, miles.start_label), end=self.names.get(miles.end_id, miles.end_label))
            if total_miles is None and miles.end_label else "")
        # ``frame``: frame the sheet on these places only (the debrief shows the journey taken).
        self.frame = tuple(f for f in (frame or ()) if f in route.locations)
        self.zoom_to_journey = zoom_to_journey
        self.travel_modes = None if travel_modes is None else tuple(travel_modes)
        self._font_factory = font
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._layouts: dict[tuple[int, int], tuple[_Layout, pygame.Surface]] = {}
        self._overlays: dict[tuple[object, ...], tuple[pygame.Surface, pygame.Rect]] = {}
        self._text_cache: dict[tuple[object, ...], pygame.Surface] = {}
        self.caption_rect: pygame.Rect | None = None  # screen rect of the caption, after draw
        self.terrain_problem: str | None = None  # why the terrain is not drawn, after draw
        self.legend: list[str] = []  # the legend's rows as last drawn
        self.legend_rect: pygame.Rect | None = None  # where the legend was drawn, relative to the view's rect
        self.place_card: tuple[str, list[str]] | None = None  # the panel's place and note lines, as last drawn
        self.drawn_labels: list[DrawnLabel] = []  # the area names shown, as last drawn
        self._area: list[tuple[DrawnLabel, pygame.Surface]] = []  # each with the terrain from under it
        self._area_hard: list[pygame.Rect] = []  # where no area name may go: every place's dot or marker
        self.place_labels: list[tuple[str, pygame.Rect]] = []  # place names as last drawn, relative to the rect
        # The player's text-size setting: the panel, labels and legend grow with it, and never
        # fall below sizes a class can read on a projector (issue 17: too small at 1280x720).
        self.text_scale = 1.0

    def name(self, loc: Any) -> str:
        """A place's name in this edition."""
        return self.names.get(loc.id, loc.label)

    def second_name(self, loc: Any) -> str:
        """The name shown smaller beside it: the Hangul in English, the map's English in Korean."""
        return loc.label if loc.id in self.names and language() == "ko" else loc.label_ko

    def note(self, loc: Any) -> str:
        return self.notes.get(loc.id, loc.note)

    def set_text_scale(self, scale: float) -> None:
        """Follow the text-size setting (the cached drawings are redone when it changes)."""
        if scale != self.text_scale:
            self.text_scale = scale
            self._text_cache.clear()
            self._layouts.clear()
            self._overlays.clear()

    def _type(self, lay: _Layout, size: float, minimum: int) -> int:
        """A type size: ``size`` at 1080p scaled with the window and the text setting, never below ``minimum``."""
        return max(round(minimum * self.text_scale), round(size * lay.unit * self.text_scale))

    # ------------------------------------------------------------------ fonts
    def _font(self, kind: str, size: int) -> pygame.font.Font:
        """kind: 'sans', 'bold', 'serif', 'ko' (Hangul). Cached per (kind, size)."""
        key = (kind, size)
        if key in self._fonts:
            return self._fonts[key]
        path: Path | None = None
        korean = language() == "ko"  # Noto has no Hangul: the Korean edition draws every label in Nanum
        if kind == "ko" or (korean and kind in ("sans", "bold")):
            path = _font_file("NanumGothicBold.ttf" if kind == "bold" else "NanumGothic.ttf")
        elif korean and kind == "serif":
            path = _font_file("NanumMyeongjo.ttf")
        elif kind == "ko":
            path = _font_file("NanumGothic.ttf", "NotoSansKR-Regular.otf", "NotoSansKR-Regular.ttf")
        elif self._font_factory is not None:
            self._fonts[key] = self._font_factory(size)
            return self._fonts[key]
        else:
            path = _font_file({"sans": "NotoSans-Regular.ttf", "bold": "NotoSans-Bold.ttf",
                               "serif": "NotoSerif-Regular.ttf"}[kind])
        self._fonts[key] = pygame.font.Font(str(path) if path else None, size)
        return self._fonts[key]

    def _text(self, kind: str, size: int, text: str, color: Color,
              halo: Color | None = None) -> pygame.Surface:
        """Rendered (and cached) text; ``halo`` draws a soft outline for text on the map."""
        key = (kind, size, text, color, halo)
        cached = self._text_cache.get(key)
        if cached is not None:
            return cached
        font = self._font(kind, size)
        img = font.render(text, True, color)
        if halo is not None:
            back = font.render(text, True, halo)
            out = pygame.Surface((img.get_width() + 4, img.get_height() + 4), pygame.SRCALPHA)
            for dx, dy in ((0, 0), (4, 0), (0, 4), (4, 4), (2, 0), (0, 2), (4, 2), (2, 4)):
                out.blit(back, (dx, dy))
            out.blit(img, (2, 2))
            img = out
        self._text_cache[key] = img
        return img

    # ------------------------------------------------------------------ geometry
    def _journey_bounds(self) -> pygame.Rect:
        width, height = self.route.pixel_size
        if not self.zoom_to_journey or not self.route.locations:
            return pygame.Rect(0, 0, width, height)
        places = [self.route.locations[f] for f in self.frame] or list(self.route.locations.values())
        xs = [loc.x for loc in places]
        ys = [loc.y for loc in places]
        margin = 0.06 * max(width, height)
        if self.frame:  # a small journey still gets room around it for its labels
            span = max(max(xs) - min(xs), max(ys) - min(ys))
            margin = max(0.08 * max(width, height), 0.2 * span)
        left, top = max(0.0, min(xs) - margin), max(0.0, min(ys) - margin)
        right, bottom = min(width, max(xs) + margin), min(height, max(ys) + margin)
        return pygame.Rect(round(left), round(top), round(right - left), round(bottom - top))

    def _compute_layout(self, size: tuple[int, int]) -> _Layout:
        w, h = size
        unit = max(0.5, min(w / 1920 * 1.78, h / 1080))
        pad = round(28 * unit)
        bounds = self._journey_bounds()
        img_w, img_h = self.route.pixel_size
        panel_w = round(420 * unit)
        avail_w = w - 2 * pad
        # Prefer a side panel if the map, at full height, leaves room for it.
        scale = (h - 2 * pad) / bounds.h
        with_panel = bounds.w * scale + panel_w + pad <= avail_w
        map_w = avail_w - (panel_w + pad if with_panel else 0)
        scale = min(scale, map_w / bounds.w)
        # Grow the crop around the journey to fill the sheet's aspect where the image allows.
        crop_w = min(img_w, map_w / scale)
        crop_h = min(img_h, (h - 2 * pad) / scale)
        cx, cy = bounds.centerx, bounds.centery
        left = min(max(0.0, cx - crop_w / 2), img_w - crop_w)
        top = min(max(0.0, cy - crop_h / 2), img_h - crop_h)
        crop = pygame.Rect(round(left), round(top), round(crop_w), round(crop_h))
        sheet = pygame.Rect(0, 0, round(crop.w * scale), round(crop.h * scale))
        panel = None
        if with_panel:
            # Centre panel + sheet as one composition; spare width goes to the margins.
            panel_w = min(w - sheet.w - 3 * pad, round(560 * unit))
            left = (w - (panel_w + pad + sheet.w)) // 2
            panel = pygame.Rect(left, pad, panel_w, h - 2 * pad)
            sheet.topleft = (panel.right + pad, (h - sheet.h) // 2)
        else:
            sheet.center = (w // 2, h // 2)
        return _Layout(size, crop, sheet, panel, scale, unit)

    def _to_sheet(self, lay: _Layout, x: float, y: float) -> Point:
        return (lay.sheet.x + (x - lay.crop.x) * lay.scale,
                lay.sheet.y + (y - lay.crop.y) * lay.scale)

    def screen_pos(self, rect: pygame.Rect, loc_id: str) -> Point:
        """Screen position of a place for the given view rect."""
        lay, _ = self.layout(rect)
        loc = self.route.locations[loc_id]
        sx, sy = self._to_sheet(lay, loc.x, loc.y)
        return rect.x + sx, rect.y + sy

    def location_at(self, rect: pygame.Rect, pos: Point) -> str | None:
        """The place under ``pos`` (screen coordinates), nearest within a small radius."""
        lay, _ = self.layout(rect)
        radius = 12 * lay.unit
        best: tuple[float, str] | None = None
        for loc_id in sorted(self.route.locations):
            sx, sy = self.screen_pos(rect, loc_id)
            d = math.hypot(sx - pos[0], sy - pos[1])
            if d <= radius and (best is None or d < best[0]):
                best = (d, loc_id)
        return best[1] if best else None

    # ------------------------------------------------------------------ static layer
    def layout(self, rect: pygame.Rect) -> tuple[_Layout, pygame.Surface]:
        """Geometry and the static layer for ``rect``'s size (computed once per size)."""
        size = (rect.w, rect.h)
        cached = self._layouts.get(size)
        if cached is None:
            lay = self._compute_layout(size)
            cached = (lay, self._render_static(lay))
            self._layouts = {size: cached}  # one size at a time: resizes are rare
            self._overlays.clear()
        return cached

    def _render_static(self, lay: _Layout) -> pygame.Surface:
        surf = pygame.Surface(lay.size)
        surf.fill(BACKGROUND)
        u = lay.unit
        try:
            sheet_img = scaled_terrain(Path(self.terrain_path), pygame.Rect(lay.crop), lay.sheet.size)
            self.terrain_problem = None
        except TerrainUnavailable as exc:  # the map without its terrain, and a notice that says why
            self.terrain_problem = str(exc)
            sheet_img = self._plain_sheet(lay)
        shadow = lay.sheet.move(round(6 * u), round(8 * u))
        pygame.draw.rect(surf, FRAME, shadow)
        surf.blit(sheet_img, lay.sheet)
        pygame.draw.rect(surf, (88, 84, 78), lay.sheet.inflate(2, 2), 1)
        r = max(2, round(2.6 * u))
        for loc in sorted(self.route.locations.values(), key=lambda item: item.id):
            pos = self._to_sheet(lay, loc.x, loc.y)
            if not lay.sheet.inflate(-2 * r, -2 * r).collidepoint(pos):
                continue  # a place off the sheet (a framed journey) leaves no dot on the frame
            pygame.draw.circle(surf, PAPER, pos, r + 1)
            pygame.draw.circle(surf, PLACE_DOT, pos, r)
        self._draw_area_labels(surf, lay)
        if lay.panel is not None:
            self._draw_panel_static(surf, lay)
        return surf

    # ------------------------------------------------------------------ area names
    def area_label_text(self, label: AreaLabel) -> str:
        """The name in the language spoken: the Korean edition reads the map's ``label_ko``."""
        return label.label_ko if language() == "ko" else label.label

    def _label_font(self, kind: str, size: int) -> pygame.font.Font:
        korean = language() == "ko"
        key = (f"label:{kind}:{'ko' if korean else 'latin'}", size)
        font = self._fonts.get(key)
        if font is None:
            style = LABEL_STYLES[kind]
            path = _font_file(style.hangul if korean else style.latin)
            font = pygame.font.Font(str(path) if path else None, size)
            # Myeongjo has no italic: water names are slanted, as Korean atlases set them.
            font.italic = korean and kind in ("sea", "river")
            self._fonts[key] = font
        return font

    @staticmethod
    def _label_lines(text: str, kind: str) -> list[str]:
        """A small country's two words stacked (NORTH / KOREA); a sea of three words or more on two
        balanced lines (Gulf of / Tonkin), as atlases set them to stay inside the area they name."""
        words = text.split()
        if kind == "country_small" and len(words) > 1:
            return words
        if kind == "sea" and len(words) > 2:
            cut = min(range(1, len(words)),
                      key=lambda i: (max(len(" ".join(words[:i])), len(" ".join(words[i:]))), i))
            return [" ".join(words[:cut]), " ".join(words[cut:])]
        return [text]

    def _area_label_image(self, label: AreaLabel, lay: _Layout) -> pygame.Surface:
        """The name set in its kind's style, centred line under line, with a soft halo where the kind has one."""
        style = LABEL_STYLES[label.kind]
        korean = language() == "ko"
        # Slanted Myeongjo reads smaller than the Latin italic at one size: Hangul water names get a pixel more.
        size = self._type(lay, style.size, style.floor) + (1 if korean and label.kind in ("sea", "river") else 0)
        text = self.area_label_text(label)
        key = ("area", label.kind, size, text, korean)
        cached = self._text_cache.get(key)
        if cached is not None:
            return cached
        font = self._label_font(label.kind, size)
        tracking = 0 if korean else round(style.tracking * size)
        lines = [self._tracked(font, line, style.color, tracking) for line in self._label_lines(text, label.kind)]
        step = round(font.get_linesize() * 0.92)
        width = max(img.get_width() for img in lines)
        ink = pygame.Surface((width, step * (len(lines) - 1) + lines[-1].get_height()), pygame.SRCALPHA)
        for i, img in enumerate(lines):
            ink.blit(img, ((width - img.get_width()) // 2, i * step))
        pad = 2
        out = pygame.Surface((ink.get_width() + 2 * pad, ink.get_height() + 2 * pad), pygame.SRCALPHA)
        if style.halo:
            back = ink.copy()
            back.fill((*PAPER, 0), special_flags=pygame.BLEND_RGBA_MAX)  # the ink's shape, in paper
            back.fill((255, 255, 255, style.halo), special_flags=pygame.BLEND_RGBA_MULT)
            for dx, dy in ((0, pad), (2 * pad, pad), (pad, 0), (pad, 2 * pad), (1, 1), (3, 3), (1, 3), (3, 1)):
                out.blit(back, (dx, dy))
        out.blit(ink, (pad, pad))
        self._text_cache[key] = out
        return out

    @staticmethod
    def _tracked(font: pygame.font.Font, text: str, color: Color, tracking: int) -> pygame.Surface:
        """``text`` with ``tracking`` pixels between letters (pygame has no letter spacing); plain when 0."""
        if tracking <= 0:
            return font.render(text, True, color)
        glyphs = [font.render(ch, True, color) for ch in text]
        width = sum(g.get_width() for g in glyphs) + tracking * (len(glyphs) - 1)
        out = pygame.Surface((max(1, width), font.get_height()), pygame.SRCALPHA)
        x = 0
        for glyph in glyphs:
            out.blit(glyph, (x, 0))
            x += glyph.get_width() + tracking
        return out

    def _reserved(self, lay: _Layout) -> tuple[list[pygame.Rect], list[pygame.Rect]]:
        """Where an area name must not go (every place's dot or marker) and where it had better not
        (each place's name wherever it may be drawn: right of the dot, in the size of the place she
        is at, or left of it; the place she is at goes left only when its right runs off the sheet).
        The caption is the overlay's business: it depends on the journey (see _rearrange_area_labels)."""
        u = lay.unit
        marker = max(6, round(10 * u)) + 2  # the ring of the place she is at, with its paper edge
        gap = round(10 * u)
        strong, plain = self._type(lay, 26, 20), self._type(lay, 21, 16)
        hard: list[pygame.Rect] = []
        soft: list[pygame.Rect] = []
        for loc in self.route.locations.values():
            x, y = self._to_sheet(lay, loc.x, loc.y)
            if not lay.sheet.collidepoint(x, y):
                continue
            hard.append(pygame.Rect(round(x) - marker, round(y) - marker, 2 * marker, 2 * marker))
            bold = self._text("bold", strong, self.name(loc), CURRENT, halo=PAPER)
            right = bold.get_rect(midleft=(round(x + gap), round(y)))
            left = (bold if not lay.sheet.contains(right) else
                    self._text("sans", plain, self.name(loc), INK, halo=PAPER)).get_rect(midright=(round(x - gap), round(y)))
            soft += [right, left]
        return hard, soft

    def _draw_area_labels(self, surf: pygame.Surface, lay: _Layout) -> None:
        """Set the map's area names on the sheet (see the module's docstring); records :attr:`drawn_labels`."""
        hard, soft = self._reserved(lay)
        self._area_hard = hard
        self._area = []
        for label, img, box in self._arrange(lay, hard, soft):
            patch = surf.subsurface(box).copy()  # the terrain under it, to take it away again
            surf.blit(img, box)
            self._area.append((DrawnLabel(label.id, self.area_label_text(label), label.kind, box), patch))
        self.drawn_labels = [drawn for drawn, _ in self._area]

    def _arrange(self, lay: _Layout, hard: list[pygame.Rect], soft: list[pygame.Rect],
                 lines: Sequence[Sequence[Point]] = ()) -> list[tuple[AreaLabel, pygame.Surface, pygame.Rect]]:
        """Where each area name goes (countries first): clear of ``hard`` and of the names placed before
        it; near its point, clear of ``soft`` and not crossed by ``lines`` (the route drawn) where it can
        be. A name with no place clear of ``hard`` is left out."""
        taken = list(hard)
        inside = lay.sheet.inflate(-4, -4)
        segments = _segments(lines)
        placed = []
        for label in sorted(self.route.labels, key=lambda label: LABEL_ORDER.index(label.kind)):
            anchor = self._to_sheet(lay, label.x, label.y)
            if not inside.collidepoint(anchor):
                continue  # named somewhere this sheet does not show
            img = self._area_label_image(label, lay)
            # Near its point first, even where a place's name may come (the overlay then rearranges) or
            # the route crosses it, before further away; a sea's or river's name only near (further away,
            # it would land on the coast or name another stream).
            tries = [(NEAR, taken + soft, segments), (NEAR, taken + soft, ()), (NEAR, taken, ())]
            if label.kind.startswith("country"):
                tries += [(NUDGES, taken + soft, segments), (NUDGES, taken + soft, ()), (NUDGES, taken, ())]
            box = next((found for nudges, avoid, crossing in tries
                        if (found := _free_spot(img, anchor, inside, avoid, crossing, nudges))), None)
            if box is not None:
                placed.append((label, img, box))
                taken.append(box)
        return placed

    def _plain_sheet(self, lay: _Layout) -> pygame.Surface:
        """The sheet without terrain: paper, with one line at the foot that says the image is missing."""
        sheet = pygame.Surface(lay.sheet.size)
        sheet.fill(PAPER)
        notice = self._text("sans", max(10, round(15 * lay.unit)), _("The terrain image could not be loaded: "
                            "the places and the route are shown without it."), INK)
        if notice.get_width() > sheet.get_width() - 8:
            scale = (sheet.get_width() - 8) / notice.get_width()
            notice = pygame.transform.smoothscale(notice, (max(1, round(notice.get_width() * scale)),
                                                           max(1, round(notice.get_height() * scale))))
        sheet.blit(notice, notice.get_rect(midbottom=(sheet.get_width() // 2, sheet.get_height() - 6)))
        return sheet

    def _draw_panel_static(self, surf: pygame.Surface, lay: _Layout) -> None:
        assert lay.panel is not None
        u = lay.unit
        p = lay.panel
        title = self._text("serif", self._type(lay, 40, 24), _("The Route"), PANEL_TEXT)
        surf.blit(title, (p.x, p.y))
        y = p.y + title.get_height() + round(6 * u)
        size = self._type(lay, 18, 14)
        for line in self._wrap(_(SUBTITLE), "sans", size, p.w):  # two lines in a narrow panel with large text
            sub = self._text("sans", size, line, PANEL_MUTED)
            surf.blit(sub, (p.x, y))
            y += sub.get_height()

    def _legend_layout(self, lay: _Layout, ahead: bool) -> tuple[list[tuple[str, str]], int, int, pygame.Rect]:
        """The legend's rows, type size, row height and rect (the rule above it included) at the panel's foot."""
        assert lay.panel is not None
        rows = legend_rows(ahead)
        size = self._type(lay, 22, 17)
        line_h = max(round(34 * lay.unit), round(self._font("sans", size).get_linesize() * 1.25))
        if line_h * len(rows) > 0.3 * lay.panel.h:
            # Large text in a small window: a tighter legend, one step smaller, leaves the place's card
            # room above it (with extra-large text at 1024x600 the card had none and was left out).
            size = self._type(lay, 19, 15)
            line_h = self._font("sans", size).get_linesize()
        rule_gap = round(16 * lay.unit)
        top = lay.panel.bottom - line_h * len(rows) - rule_gap
        return rows, size, line_h, pygame.Rect(lay.panel.x, top, lay.panel.w, lay.panel.bottom - top)

    def _draw_legend(self, surf: pygame.Surface, lay: _Layout, ahead: bool) -> None:
        """The legend at the foot of the panel; "the way ahead" only when a way ahead is drawn."""
        assert lay.panel is not None
        u = lay.unit
        p = lay.panel
        rows, size, line_h, box = self._legend_layout(lay, ahead)
        self.legend_rect = box
        pygame.draw.line(surf, PANEL_RULE, (p.x, box.y), (p.right, box.y))
        y = p.bottom - line_h * len(rows)
        mark_w = max(round(40 * u), size * 2)
        for label, style in rows:
            cy = y + line_h // 2
            x0, x1 = p.x, p.x + mark_w
            if style == "solid":
                pygame.draw.line(surf, TRAVELLED, (x0, cy), (x1, cy), max(2, round(3 * u)))
            elif style == "dashed":
                draw_dashed_polyline(surf, (196, 140, 108), [(x0, cy), (x1, cy)], max(2, round(2 * u)),
                                     max(6.0, 8 * u), max(4.0, 5 * u))
            elif style == "ring":
                self._draw_current(surf, ((x0 + x1) / 2, cy), u)
            else:
                pygame.draw.circle(surf, PAPER, ((x0 + x1) / 2, cy), max(3, round(3.6 * u)))
                pygame.draw.circle(surf, PLACE_DOT, ((x0 + x1) / 2, cy), max(2, round(2.6 * u)))
            text = self._text("sans", size, label, PANEL_TEXT)
            surf.blit(text, (x1 + round(14 * u), cy - text.get_height() // 2))
            y += line_h

    # ------------------------------------------------------------------ route overlay
    @staticmethod
    def _draw_current(surf: pygame.Surface, pos: Point, u: float) -> None:
        outer = max(6, round(10 * u))
        pygame.draw.circle(surf, PAPER, pos, outer + 2)
        pygame.draw.circle(surf, CURRENT, pos, outer, max(2, round(3 * u)))
        pygame.draw.circle(surf, CURRENT, pos, max(2, round(3.5 * u)))

    def _way(self, a: str, b: str) -> list[Leg]:
        """The legs from ``a`` to ``b``; none when the map has no way between them with the allowed modes
        (the loader makes sure every place is joined, but ``travel_modes`` may leave some apart)."""
        try:
            return self.route.path(a, b, self.travel_modes)
        except RouteMapError:
            return []

    def miles_so_far(self, visited: Sequence[str]) -> tuple[float, float]:
        """(overland, flown) miles along ``visited``: the flight is not part of "the way"."""
        legs = [leg for a, b in itertools.pairwise(visited) for leg in self._way(a, b)]
        ground = sum(leg.km for leg in legs if leg.mode != "plane")
        flown = sum(leg.km for leg in legs if leg.mode == "plane")
        return self.route.km_to_miles(ground), self.route.km_to_miles(flown)

    def _overlay(self, lay: _Layout, visited: tuple[str, ...], current: str | None,
                 heading: str | None) -> tuple[pygame.Surface, pygame.Rect]:
        """Route, markers, labels and caption for one journey state (cached), and the
        caption's rect relative to the view."""
        key = (lay.size, visited, current, heading)
        cached = self._overlays.get(key)
        if cached is not None:
            return cached
        u = lay.unit
        surf = pygame.Surface(lay.size, pygame.SRCALPHA)
        stops = list(visited)
        if current is not None and (not stops or stops[-1] != current):
            stops.append(current)
        here = stops[-1] if stops else None
        width = max(2, round(3.2 * u))
        lines: list[list[Point]] = []  # the route as drawn: area names keep off it where they can
        if here is not None and heading is not None and heading != here:
            node = here
            for leg in self._way(here, heading):
                pts = [self._to_sheet(lay, *p) for p in leg.points_from(node)]
                pygame.draw.lines(surf, (*PAPER, 150), False, pts, width + 3)
                draw_dashed_polyline(surf, PLANNED, pts, width, 10 * u, 6 * u)
                lines.append(pts)
                node = leg.other(node)
        for a, b in itertools.pairwise(stops):
            node = a
            for leg in self._way(a, b):
                pts = [self._to_sheet(lay, *p) for p in leg.points_from(node)]
                pygame.draw.lines(surf, (*PAPER, 200), False, pts, width + 3)
                pygame.draw.lines(surf, TRAVELLED, False, pts, width)
                lines.append(pts)
                node = leg.other(node)
        for loc_id in dict.fromkeys(stops):
            loc = self.route.locations[loc_id]
            pos = self._to_sheet(lay, loc.x, loc.y)
            if loc_id == here:
                self._draw_current(surf, pos, u)
            else:
                pygame.draw.circle(surf, PAPER, pos, round(5.5 * u))
                pygame.draw.circle(surf, VISITED, pos, round(4.2 * u))
        self._draw_labels(surf, lay, list(dict.fromkeys(stops)), here, heading)
        ahead = here is not None and heading is not None and heading != here and bool(self._way(here, heading))
        self.legend_rect = self._legend_layout(lay, ahead)[3] if lay.panel is not None else None
        caption = self._draw_caption(surf, lay, stops, here, heading)
        self.legend = [label for label, _ in legend_rows(ahead)] if lay.panel is not None else []
        if lay.panel is not None:
            self._draw_legend(surf, lay, ahead)
        surf = self._rearrange_area_labels(surf, lay, caption, lines)
        self._overlays = {key: (surf, caption)}
        return surf, caption

    def _rearrange_area_labels(self, surf: pygame.Surface, lay: _Layout, caption: pygame.Rect,
                               lines: Sequence[Sequence[Point]]) -> pygame.Surface:
        """When a place name drawn for this journey or the caption's strip would meet an area name of the
        static layer, or the route crosses one, the area names are taken away (the terrain put back under
        the overlay) and set again around what is really drawn: a place's name always wins, and the
        route goes round a name where the name can move. Sets :attr:`drawn_labels`."""
        covers = [box for _, box in self.place_labels]
        if lay.panel is None:
            covers.append(caption.inflate(round(24 * lay.unit), round(16 * lay.unit)))
        self.drawn_labels = [drawn for drawn, _ in self._area]
        segments = _segments(lines)
        if all(drawn.rect.collidelist(covers) < 0 and not any(
                drawn.rect.colliderect(bounds) and drawn.rect.clipline(a, b) for a, b, bounds in segments)
               for drawn in self.drawn_labels):
            return surf
        under = pygame.Surface(lay.size, pygame.SRCALPHA)
        for drawn, patch in self._area:
            under.blit(patch, drawn.rect)
        self.drawn_labels = []
        for label, img, box in self._arrange(lay, self._area_hard + covers, [], lines):
            under.blit(img, box)
            self.drawn_labels.append(DrawnLabel(label.id, self.area_label_text(label), label.kind, box))
        under.blit(surf, (0, 0))
        return under

    def _draw_labels(self, surf: pygame.Surface, lay: _Layout, places: Sequence[str],
                     here: str | None, heading: str | None) -> None:
        u = lay.unit
        shown = list(places)
        if heading is not None and heading not in shown:
            shown.append(heading)
        # Most important first (here, then heading, then latest stops) so that
        # crowded border towns keep the label that matters.
        ranked = sorted(shown, key=lambda i: (i != here, i != heading, -shown.index(i)))
        taken: list[pygame.Rect] = []
        self.place_labels = []
        for loc_id in ranked:
            loc = self.route.locations[loc_id]
            x, y = self._to_sheet(lay, loc.x, loc.y)
            strong = loc_id == here
            size = self._type(lay, 26, 20) if strong else self._type(lay, 21, 16)
            kind = "bold" if strong else "sans"
            color = CURRENT if strong else INK
            img = self._text(kind, size, self.name(loc), color, halo=PAPER)
            gap = round(10 * u)
            for lx in (x + gap, x - gap - img.get_width()):  # right of the dot, else left
                box = img.get_rect(midleft=(round(lx), round(y)))
                if lay.sheet.contains(box) and box.collidelist(taken) < 0:
                    surf.blit(img, box)
                    taken.append(box)
                    self.place_labels.append((loc_id, box))
                    break

    def _draw_caption(self, surf: pygame.Surface, lay: _Layout, stops: Sequence[str],
                      here: str | None, heading: str | None) -> pygame.Rect:
        u = lay.unit
        ground, flown = self.miles_so_far(stops)
        main = _("{ground} of {total} miles").format(ground=number(min(ground, self.total_miles)),
                                                     total=number(self.total_miles))
        lines: list[tuple[str, int, str, Color]] = [("serif", self._type(lay, 36, 22), main, PANEL_TEXT)]
        line_size = self._type(lay, 22, 16)
        if flown:
            lines.append(("sans", line_size, _("then {miles} miles by air").format(miles=number(flown)), PANEL_TEXT))
        if here is not None and heading is not None and heading != here:
            ahead = self.route.km_to_miles(sum(leg.km for leg in self._way(here, heading)))
            lines.append(("sans", line_size,
                          _("{miles} miles to {place}").format(miles=number(ahead),
                                                               place=self.name(self.route.locations[heading])),
                          PANEL_TEXT))
        if lay.panel is not None and self.way_words:
            small = self._type(lay, 17, 14)
            lines += [("sans", small, line, PANEL_MUTED)
                      for line in self._wrap(self.way_words, "sans", small, lay.panel.w)]
        if lay.panel is not None:
            x, y = lay.panel.x, lay.panel.y + self._panel_head(lay)
            label = self._text("sans", self._type(lay, 15, 13), _("DISTANCE TRAVELLED"), PANEL_MUTED)
            surf.blit(label, (x, y))
            y += label.get_height() + round(4 * u)
        elif self.frame:  # a framed journey: its places are at the foot as often as not; the top is open
            x, y = lay.sheet.x + round(16 * u), lay.sheet.y + round(16 * u)
        else:
            x, y = lay.sheet.x + round(16 * u), lay.sheet.bottom - round(100 * u)
        # A line wider than its room (large text, a small window or map) takes a smaller size.
        room = lay.panel.w if lay.panel is not None else lay.sheet.w - round(56 * u)
        imgs = [self._text(kind, size, text, color) for kind, size, text, color in lines]
        imgs = [img if img.get_width() <= room else
                self._text(kind, max(8, size * room // img.get_width()), text, color)
                for img, (kind, size, text, color) in zip(imgs, lines, strict=True)]
        box = pygame.Rect(x, y, max(i.get_width() for i in imgs),
                          sum(i.get_height() for i in imgs) + round(6 * u) * (len(imgs) - 1))
        if lay.panel is None and not self.frame:  # at the sheet's foot: as high as its lines need
            y = box.y = min(y, lay.sheet.bottom - round(16 * u) - box.h)
        if lay.panel is None:
            strip = box.inflate(round(24 * u), round(16 * u))
            pygame.draw.rect(surf, (*BACKGROUND, 215), strip, border_radius=round(4 * u))
        for img in imgs:
            surf.blit(img, (x, y))
            y += img.get_height() + round(6 * u)
        if lay.panel is not None and here is not None:
            self._draw_place_card(surf, lay, here, y + round(30 * u))
        return box

    def _panel_head(self, lay: _Layout) -> int:
        """How far below the panel's top the caption starts: under the title and its subtitle."""
        title = self._font("serif", self._type(lay, 40, 24)).get_linesize()
        size = self._type(lay, 18, 14)
        sub = self._font("sans", size).get_linesize() * len(self._wrap(_(SUBTITLE), "sans", size, lay.panel.w))
        return max(round(150 * lay.unit), title + sub + round(40 * lay.unit))

    def _draw_place_card(self, surf: pygame.Surface, lay: _Layout, loc_id: str, y: int) -> None:
        """Current place in the panel: name, Hangul name and its note."""
        assert lay.panel is not None
        u = lay.unit
        loc = self.route.locations[loc_id]
        x = lay.panel.x
        bottom = (self.legend_rect.y if self.legend_rect is not None else lay.panel.bottom) - round(12 * u)
        # With large text in a small window the card's type steps down to the smallest the map
        # uses (its own labels' size) before anything is left out (a trial at 1024x600 saw the note cut
        # mid-sentence, and with extra-large text the whole card gone).
        name_size, note_size = self._type(lay, 30, 20), self._type(lay, 20, 16)
        smallest = max(12, round(15 * u))
        while True:
            name = self._text("serif", name_size, self.name(loc), PANEL_TEXT)
            lines = self._wrap(self.note(loc), "sans", note_size, lay.panel.w)
            line_h = self._font("sans", note_size).get_linesize()
            need = round(18 * u) + name.get_height() + round(8 * u) + line_h * len(lines)
            if y + need <= bottom or note_size <= smallest:
                break
            name_size, note_size = max(smallest, name_size - 1), max(smallest, note_size - 1)
        self.place_card = None
        if y + round(18 * u) + name.get_height() > bottom:  # no room above the legend: the map's tooltip has it
            return
        pygame.draw.line(surf, PANEL_RULE, (x, y), (lay.panel.right, y))
        y += round(18 * u)
        surf.blit(name, (x, y))
        ko = self._text("ko", max(smallest, round(name_size * 0.72)), self.second_name(loc), PANEL_MUTED)
        surf.blit(ko, (x + name.get_width() + round(12 * u),
                       y + name.get_height() - ko.get_height() - round(4 * u)))
        y += name.get_height() + round(8 * u)
        room = max(0, (bottom - y) // line_h)
        if room < len(lines) and room:
            # What does not fit ends with an ellipsis, never mid-sentence without a sign; the whole
            # note is in the tooltip of the place on the map.
            lines = lines[:room]
            last = lines[-1]
            while last and self._font("sans", note_size).size(last + "…")[0] > lay.panel.w:
                last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
            lines[-1] = last.rstrip(",;:") + "…"
        self.place_card = (self.name(loc), lines[:room])
        for line in lines[:room]:
            img = self._text("sans", note_size, line, PANEL_MUTED)
            surf.blit(img, (x, y))
            y += line_h

    def _wrap(self, text: str, kind: str, size: int, width: int) -> list[str]:
        """``text`` in lines no wider than ``width`` pixels, measured in the font (a lone long word stays whole)."""
        font = self._font(kind, size)
        lines: list[str] = []
        for word in text.split():
            if lines and font.size(f"{lines[-1]} {word}")[0] <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return lines

    # ------------------------------------------------------------------ tooltip
    def _draw_tooltip(self, surface: pygame.Surface, rect: pygame.Rect, lay: _Layout,
                      loc_id: str, pos: Point) -> None:
        u = lay.unit
        loc = self.route.locations[loc_id]
        pad = round(12 * u)
        head = self._text("bold", round(19 * u), self.name(loc), INK)
        ko = self._text("ko", round(17 * u), self.second_name(loc), (96, 90, 82))
        body = [self._text("sans", round(16 * u), line, INK)
                for line in self._wrap(self.note(loc), "sans", round(16 * u), round(330 * u))]
        w = max([head.get_width() + ko.get_width() + round(10 * u)] + [b.get_width() for b in body])
        h = head.get_height() + round(6 * u) + sum(b.get_height() for b in body)
        box = pygame.Rect(0, 0, w + 2 * pad, h + 2 * pad)
        box.topleft = (round(pos[0] + 16 * u), round(pos[1] + 16 * u))
        sheet = lay.sheet.move(rect.topleft)
        if box.right > sheet.right:  # flip to the cursor's left rather than leave the map
            box.right = round(pos[0] - 16 * u)
        box.clamp_ip(rect)
        shadow = box.move(round(3 * u), round(4 * u))
        pygame.draw.rect(surface, FRAME, shadow, border_radius=round(3 * u))
        pygame.draw.rect(surface, PAPER, box, border_radius=round(3 * u))
        pygame.draw.rect(surface, (150, 140, 126), box, 1, border_radius=round(3 * u))
        x, y = box.x + pad, box.y + pad
        surface.blit(head, (x, y))
        surface.blit(ko, (x + head.get_width() + round(10 * u),
                          y + head.get_height() - ko.get_height() - round(2 * u)))
        y += head.get_height() + round(6 * u)
        for img in body:
            surface.blit(img, (x, y))
            y += img.get_height()

    # ------------------------------------------------------------------ frame
    def draw(self, surface: pygame.Surface, rect: pygame.Rect, visited: Sequence[str],
             current: str | None, heading: str | None, hover_pos: Point | None = None,
             fonts: FontFactory | None = None) -> None:
        """Draw one frame into ``rect`` of ``surface``.

        ``visited`` are location ids in travel order; ``current`` the place the
        player is at (appended to ``visited`` if not already last); ``heading``
        the next destination, drawn dashed with its distance. ``fonts``
        replaces the Latin font factory (caches are reset when it changes).
        """
        if fonts is not None and fonts is not self._font_factory:
            self._font_factory = fonts
            self._fonts.clear()
            self._text_cache.clear()
            self._layouts.clear()
            self._overlays.clear()
        lay, static = self.layout(rect)
        surface.blit(static, rect)
        overlay, caption = self._overlay(lay, tuple(visited), current, heading)
        surface.blit(overlay, rect)
        self.caption_rect = caption.move(rect.topleft)
        if hover_pos is not None:
            hit = self.location_at(rect, hover_pos)
            if hit is not None:
                self._draw_tooltip(surface, rect, lay, hit, hover_pos)

    def draw_tooltip(self, surface: pygame.Surface, rect: pygame.Rect, hover_pos: Point) -> bool:
        """Draw only the tooltip of the place under ``hover_pos`` (for callers that keep the
        drawn map in a surface of their own); False when no place is there."""
        lay, _ = self.layout(rect)
        hit = self.location_at(rect, hover_pos)
        if hit is None:
            return False
        self._draw_tooltip(surface, rect, lay, hit, hover_pos)
        return True


def draw_route_small(surface: pygame.Surface, rect: pygame.Rect, route: RouteMap, places: Sequence[str],
                     faint: Color, ink: Color, here: Color, zoom: bool = False) -> None:
    """The way faint and the part travelled through ``places`` in ink, small, without terrain.

    Framed on all the map's places, so drawings side by side compare at a glance; with
    ``zoom``, framed on the places visited, but never on less than a fifth of the whole
    way, so that a short journey still looks short. Cheap: a few dozen lines.
    """
    locs = list(route.locations.values())
    if not locs or rect.w < 4 or rect.h < 4:
        return
    min_x, max_x = min(loc.x for loc in locs), max(loc.x for loc in locs)
    min_y, max_y = min(loc.y for loc in locs), max(loc.y for loc in locs)
    seen = [route.locations[p] for p in places if p in route.locations]
    if zoom and seen:
        span = 0.2 * max(max_x - min_x, max_y - min_y)
        cx = (min(loc.x for loc in seen) + max(loc.x for loc in seen)) / 2
        cy = (min(loc.y for loc in seen) + max(loc.y for loc in seen)) / 2
        half_w = max(span, max(loc.x for loc in seen) - min(loc.x for loc in seen)) / 2 * 1.15
        half_h = max(span, max(loc.y for loc in seen) - min(loc.y for loc in seen)) / 2 * 1.15
        min_x, max_x, min_y, max_y = cx - half_w, cx + half_w, cy - half_h, cy + half_h
    scale = min((rect.w - 8) / max(1.0, max_x - min_x), (rect.h - 8) / max(1.0, max_y - min_y))
    ox = rect.x + (rect.w - (max_x - min_x) * scale) / 2
    oy = rect.y + (rect.h - (max_y - min_y) * scale) / 2

    def at(x: float, y: float) -> Point:
        return ox + (x - min_x) * scale, oy + (y - min_y) * scale

    clip = surface.get_clip()
    surface.set_clip(rect)
    for leg in route.legs:
        if leg.mode != "plane" and len(leg.points) >= 2:
            pygame.draw.lines(surface, faint, False, [at(*p) for p in leg.points], 1)
    known = [p for p in places if p in route.locations]
    for a, b in itertools.pairwise(known):
        try:
            legs = route.path(a, b)
        except RouteMapError:
            continue
        node = a
        for leg in legs:
            if leg.mode != "plane" and len(leg.points) >= 2:
                pygame.draw.lines(surface, ink, False, [at(*p) for p in leg.points_from(node)], 2)
            node = leg.other(node)
    for loc_id in known[:1]:
        loc = route.locations[loc_id]
        pygame.draw.circle(surface, ink, at(loc.x, loc.y), 2)
    if known:
        loc = route.locations[known[-1]]
        pygame.draw.circle(surface, here, at(loc.x, loc.y), 4, 2)
    surface.set_clip(clip)
