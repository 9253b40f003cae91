"""Tests for the route map: generated TMX, loader, distances, errors and MapView."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from game.route import GROUND_MODES, RouteMap, RouteMapError, load_route_map

ROOT = Path(__file__).resolve().parent.parent
TMX = ROOT / "assets" / "maps" / "route.tmx"
TERRAIN = ROOT / "assets" / "maps" / "route_terrain.png"

REQUIRED_IDS = [
    "hyesan", "musan", "hoeryong", "changbai", "tumen", "yanji", "helong", "shenyang",
    "beijing", "kunming", "jinghong", "mengla", "mohan", "boten", "oudomxay", "luang_namtha",
    "huay_xai", "chiang_khong", "chiang_saen", "mae_sai", "chiang_rai", "bangkok_idc",
    "incheon", "seoul", "hanawon",
]

REQUIRED_LEGS = [
    ("hyesan", "changbai", "river"), ("hoeryong", "tumen", "river"),
    ("changbai", "yanji", "bus"), ("helong", "yanji", "bus"), ("tumen", "yanji", "bus"),
    ("yanji", "shenyang", "train"), ("shenyang", "beijing", "train"),
    ("shenyang", "kunming", "bus"), ("beijing", "kunming", "train"),
    ("yanji", "kunming", "plane"), ("kunming", "jinghong", "bus"),
    ("jinghong", "mengla", "bus"), ("mengla", "mohan", "bus"), ("mohan", "boten", "foot"),
    ("boten", "luang_namtha", "bus"), ("luang_namtha", "oudomxay", "bus"),
    ("luang_namtha", "huay_xai", "bus"), ("huay_xai", "chiang_saen", "boat"),
    ("huay_xai", "chiang_khong", "boat"), ("chiang_saen", "mae_sai", "bus"),
    ("chiang_khong", "chiang_rai", "bus"), ("chiang_saen", "chiang_rai", "bus"),
    ("chiang_rai", "bangkok_idc", "bus"), ("mae_sai", "bangkok_idc", "bus"),
    ("bangkok_idc", "incheon", "plane"), ("incheon", "seoul", "bus"),
    ("seoul", "hanawon", "bus"), ("incheon", "hanawon", "bus"),
]
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def route() -> RouteMap:
    return load_route_map(TMX)


# --------------------------------------------------------------------------- content
def test_every_required_location_is_loaded_with_sane_properties(route: RouteMap) -> None:
    assert set(REQUIRED_IDS) <= set(route.location_ids())
    width, height = route.pixel_size
    for loc in route.locations.values():
        assert loc.country in {"KP", "CN", "LA", "TH", "KR"}, loc.id
        assert HANGUL.search(loc.label_ko), loc.id
        assert loc.label and loc.note, loc.id
        assert 0 <= loc.x <= width and 0 <= loc.y <= height, loc.id


def test_every_required_leg_is_loaded(route: RouteMap) -> None:
    have = {(frozenset((leg.from_id, leg.to_id)), leg.mode) for leg in route.legs}
    missing = [leg for leg in REQUIRED_LEGS if (frozenset(leg[:2]), leg[2]) not in have]
    assert not missing
    musan_legs = route.legs_at("musan")
    assert any(leg.mode == "river" and route.locations[leg.other("musan")].country == "CN"
               for leg in musan_legs)


def test_leg_endpoints_are_locations_and_polylines_start_and_end_there(route: RouteMap) -> None:
    for leg in route.legs:
        a, b = route.locations[leg.from_id], route.locations[leg.to_id]
        assert len(leg.points) >= 2, leg.id
        assert leg.points[0] == pytest.approx((a.x, a.y), abs=0.01), leg.id
        assert leg.points[-1] == pytest.approx((b.x, b.y), abs=0.01), leg.id


def test_leg_km_is_the_haversine_length_of_its_polyline(route: RouteMap) -> None:
    from game.route.geo import polyline_km

    assert route.projection is not None
    for leg in route.legs:
        latlons = [route.projection.to_latlon(x, y) for x, y in leg.points]
        assert leg.km == pytest.approx(polyline_km(latlons), rel=0.002, abs=0.2), leg.id


def test_projection_round_trips_place_coordinates(route: RouteMap) -> None:
    assert route.projection is not None
    for loc in route.locations.values():
        assert route.projection.to_latlon(loc.x, loc.y) == pytest.approx((loc.lat, loc.lon),
                                                                           abs=1e-3)


# --------------------------------------------------------------------------- distances
def _detour(route: RouteMap, a: str, b: str, modes: frozenset[str] | None = None) -> float:
    km = route.distance_km(a, b, modes)
    great = route.great_circle_km(a, b)
    return abs(km - great) / great


def test_yanji_kunming_shortest_path_is_within_10_percent_of_great_circle(route: RouteMap) -> None:
    # With every mode allowed the shortest way is the flight, which follows the great circle.
    assert [leg.mode for leg in route.path("yanji", "kunming")] == ["plane"]
    assert _detour(route, "yanji", "kunming") <= 0.10


def test_yanji_kunming_ground_path_is_within_25_percent(route: RouteMap) -> None:
    # Roads and rails bend round the Bohai and the mountains; ~1.2x is realistic.
    assert all(leg.mode != "plane" for leg in route.path("yanji", "kunming", GROUND_MODES))
    assert _detour(route, "yanji", "kunming", GROUND_MODES) <= 0.25


def test_kunming_bangkok_ground_path_is_within_25_percent(route: RouteMap) -> None:
    # Not 10 %: straight lines through the towns the route must pass (Jinghong, Mohan,
    # Luang Namtha, Huay Xai, Chiang Rai) are already ~13 % longer than the great circle.
    names = [leg.id for leg in route.path("kunming", "bangkok_idc", GROUND_MODES)]
    assert "mohan-boten" in names and "luang_namtha-huay_xai" in names
    assert _detour(route, "kunming", "bangkok_idc", GROUND_MODES) <= 0.25


def test_yanji_to_bangkok_ground_route_matches_the_research(route: RouteMap) -> None:
    km = route.distance_km("yanji", "bangkok_idc", GROUND_MODES)
    assert 4300 <= km <= 5600
    assert 2700 <= route.km_to_miles(km) <= 3500


def test_path_is_undirected_and_empty_for_the_same_place(route: RouteMap) -> None:
    there = route.path("hyesan", "hanawon")
    back = route.path("hanawon", "hyesan")
    assert [leg.id for leg in back] == [leg.id for leg in reversed(there)]
    assert route.path("kunming", "kunming") == []


def test_unknown_location_and_unreachable_route_raise(route: RouteMap) -> None:
    with pytest.raises(RouteMapError, match="unknown location 'kunmng'"):
        route.path("kunmng", "yanji")
    with pytest.raises(RouteMapError, match="no route"):
        route.path("yanji", "incheon", {"foot"})


# --------------------------------------------------------------------------- errors
def _write(tmp_path: Path, data: bytes | str) -> Path:
    path = tmp_path / "route.tmx"
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_missing_file_raises_route_map_error(tmp_path: Path) -> None:
    with pytest.raises(RouteMapError, match="not found") as info:
        load_route_map(tmp_path / "nope.tmx")
    assert info.value.path == str(tmp_path / "nope.tmx")
    assert info.value.hint


def test_random_bytes_raise_with_position(tmp_path: Path) -> None:
    data = bytes(random.Random(7).randrange(256) for _ in range(4096))
    with pytest.raises(RouteMapError, match="not a valid TMX") as info:
        load_route_map(_write(tmp_path, data))
    assert info.value.line == 1 and info.value.column is not None


def test_truncated_tmx_raises_with_line_number(tmp_path: Path) -> None:
    raw = TMX.read_bytes()
    with pytest.raises(RouteMapError, match="not a valid TMX") as info:
        load_route_map(_write(tmp_path, raw[: len(raw) // 2]))
    assert info.value.line is not None and info.value.line > 10
    assert "line" not in info.value.message  # the position lives in .line/.column


def test_tmx_without_locations_layer_raises(tmp_path: Path) -> None:
    text = TMX.read_text(encoding="utf-8")
    cut = re.sub(r' <objectgroup id="\d+" name="locations".*?</objectgroup>\n', "", text,
                 flags=re.S)
    assert cut != text
    with pytest.raises(RouteMapError, match="no object layer named 'locations'") as info:
        load_route_map(_write(tmp_path, cut))
    assert info.value.line == 2


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_location_without_note_raises_at_its_object(tmp_path: Path) -> None:
    text = TMX.read_text(encoding="utf-8")
    start = text.index('name="kunming" type="location"')
    end = text.index("</object>", start)
    note = re.search(r'\n\s*<property name="note"[^\n]*', text[start:end])
    assert note is not None
    broken = text[:start] + text[start:end].replace(note.group(0), "") + text[end:]
    with pytest.raises(RouteMapError, match="'kunming' has no 'note'") as info:
        load_route_map(_write(tmp_path, broken))
    assert info.value.line == _line_of(text, 'name="kunming" type="location"')


def test_non_numeric_lat_raises_at_its_property(tmp_path: Path) -> None:
    text = TMX.read_text(encoding="utf-8")
    start = text.index('name="yanji" type="location"')
    lat = re.compile(r'(<property name="lat" type="float" value=")[^"]*"')
    broken = text[:start] + lat.sub(r'\1north"', text[start:], count=1)
    with pytest.raises(RouteMapError, match="lat of 'yanji' must be a number") as info:
        load_route_map(_write(tmp_path, broken))
    assert info.value.line == _line_of(broken, 'value="north"')
    assert "lat of 'yanji'" in str(info.value) and ":" in str(info.value)


# --------------------------------------------------------------------------- hygiene
def test_core_never_imports_pygame() -> None:
    pattern = re.compile(r"^\s*(import\s+pygame|from\s+pygame)", re.M)
    for source in (ROOT / "game" / "route").rglob("*.py"):
        assert not pattern.search(source.read_text(encoding="utf-8")), source


@pytest.mark.slow
def test_generator_is_deterministic_and_assets_are_up_to_date(tmp_path: Path) -> None:
    # Two runs in parallel (~10 s each on an idle 2-core machine, 20-40 s under load);
    # both must match each other and the committed files.
    outs = [tmp_path / "a", tmp_path / "b"]
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    procs = [subprocess.Popen([sys.executable, str(ROOT / "tools" / "make_map.py"), "--out", str(out)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for out in outs]
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr.decode()
    for name in ("route.tmx", "route_terrain.png", "route_terrain_half.png"):
        first = (outs[0] / name).read_bytes()
        assert first == (outs[1] / name).read_bytes(), name
        assert first == (ROOT / "assets" / "maps" / name).read_bytes(), f"{name} is stale"


# --------------------------------------------------------------------------- MapView
def test_map_view_draws_route_marker_and_caption_headless(route: RouteMap) -> None:
    import pygame

    from game.ui.map_view import BACKGROUND, CURRENT, MapView

    pygame.font.init()
    surface = pygame.Surface((1920, 1080))
    rect = surface.get_rect()
    view = MapView(route, TERRAIN)
    before = (dict(route.locations), route.legs)
    visited = ["hyesan", "changbai", "yanji", "shenyang", "kunming"]
    view.draw(surface, rect, visited, "kunming", "mohan")
    assert (dict(route.locations), route.legs) == before

    kx, ky = view.screen_pos(rect, "kunming")
    near = [tuple(surface.get_at((round(kx) + dx, round(ky) + dy)))[:3]
            for dx in range(-12, 13) for dy in range(-12, 13)]
    assert CURRENT in near

    assert view.caption_rect is not None
    cap = view.caption_rect
    colours = {tuple(surface.get_at((x, y)))[:3]
               for x in range(cap.left, cap.right, 3) for y in range(cap.top, cap.bottom, 3)}
    assert colours - {BACKGROUND}

    # Hovering a place adds a tooltip; the cached base is not disturbed.
    plain = surface.copy()
    view.draw(surface, rect, visited, "kunming", "mohan", hover_pos=view.screen_pos(rect, "jinghong"))
    assert view.location_at(rect, view.screen_pos(rect, "jinghong")) == "jinghong"
    assert pygame.image.tobytes(surface, "RGB") != pygame.image.tobytes(plain, "RGB")
    view.draw(surface, rect, visited, "kunming", "mohan")
    assert pygame.image.tobytes(surface, "RGB") == pygame.image.tobytes(plain, "RGB")


@pytest.mark.skipif(shutil.which("tmxrasterizer") is None,
                    reason="Tiled's tmxrasterizer is not installed (apt-get install tiled)")
def test_tiled_itself_renders_the_map(tmp_path):
    """The map stays a real Tiled map: Tiled's own renderer draws it, and the picture is not empty."""
    out = tmp_path / "route.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(["tmxrasterizer", "--scale", "0.25", str(TMX), str(out)], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    pygame = pytest.importorskip("pygame")
    image = pygame.image.load(str(out))
    assert image.get_width() > 500
    colours = {image.get_at((x, y))[:3] for x in range(0, image.get_width(), 37) for y in range(0, image.get_height(), 37)}
    assert len(colours) > 50  # sea, land, rivers and borders, not a blank sheet
