"""A malformed route map is one RouteMapError (file, line, hint), never a crash; a lost terrain image is a
diagnostic for ``check`` and a plain sheet on the map screen.

The fuzz test mutates the shipped ``assets/maps/route.tmx`` 200 ways (seeded, so a failure replays):
each mutant either loads into a sane model or raises RouteMapError, nothing else.
"""

from __future__ import annotations

import math
import os
import random
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
import zlib
from base64 import b64encode
from pathlib import Path

import pytest

from conftest import REPO, TINY, write_story
from game.errors import RouteMapError
from game.route import load_route_map
from game.route.map import LABEL_KINDS
from game.story.loader import analyse, load_story

TMX = REPO / "assets" / "maps" / "route.tmx"
TERRAIN = REPO / "assets" / "maps" / "route_terrain.png"
SOURCE = TMX.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _write(folder: Path, text: str | bytes, name: str = "route.tmx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _one_line(exc: RouteMapError) -> str:
    text = str(exc)
    assert "\n" not in text and exc.path and exc.message
    return text


def _story_with_map(folder: Path, tmx: Path) -> Path:
    """TINY, placed on the given map (its first scene at Hyesan, heading for Changbai)."""
    files = dict(TINY)
    files["story.yaml"] = TINY["story.yaml"] + f"map: {tmx.as_posix()}\n"
    files["01_river.yaml"] = TINY["01_river.yaml"].replace(
        "    title: The river\n", "    title: The river\n    location: hyesan\n    heading: changbai\n")
    return write_story(folder, files)


# --------------------------------------------------------------------------- the three reported crashes
def test_an_empty_polyline_is_a_route_map_error_at_its_line(tmp_path):
    needle = '<polyline points="0,0 1.5556,-2.1689"/>'
    path = _write(tmp_path, SOURCE.replace(needle, '<polyline points=""/>'))
    with pytest.raises(RouteMapError, match="polyline of leg 'hyesan-changbai' has 0 points") as info:
        load_route_map(path)
    assert info.value.line == _line_of(SOURCE, needle)
    assert info.value.hint and info.value.path == str(path)


def test_check_reports_an_empty_polyline_instead_of_raising(tmp_path):
    tmx = _write(tmp_path / "map", SOURCE.replace('<polyline points="0,0 1.5556,-2.1689"/>', '<polyline points=""/>'))
    analysis = analyse(_story_with_map(tmp_path / "story", tmx))
    (diag,) = [d for d in analysis.errors if d.code == "ER061"]
    line = _line_of(SOURCE, '<polyline points="0,0 1.5556,-2.1689"/>')
    assert "has 0 points" in str(diag) and f"{tmx}:{line}" in str(diag)


@pytest.mark.parametrize("second", [
    ' <objectgroup id="9" name="legs"/>\n',
    ' <objectgroup id="9" name="legs">\n  <object id="99" name="x" x="1" y="1"><polyline points="0,0 1,1"/></object>\n'
    ' </objectgroup>\n',
])
def test_a_second_layer_named_legs_is_a_route_map_error(tmp_path, second):
    path = _write(tmp_path, SOURCE.replace("</map>", second + "</map>"))
    with pytest.raises(RouteMapError, match="2 object layers named 'legs'") as info:
        load_route_map(path)
    assert info.value.line == _line_of(SOURCE, "</map>")  # where the second one starts
    assert "line 19" in info.value.hint  # and where the first one is


def test_check_reports_a_missing_terrain_image(tmp_path):
    tmx = _write(tmp_path / "map", SOURCE)  # the map alone, without its image beside it
    analysis = analyse(_story_with_map(tmp_path / "story", tmx))
    assert not analysis.errors  # a warning: the game draws the map without it, so the story is still played
    (diag,) = [d for d in analysis.warnings if d.code == "ER061"]
    text = str(diag)
    assert "so the map screen draws the map without it" in text
    assert "terrain image is missing" in text and "route_terrain.png" in text
    assert f"{tmx}:{_line_of(SOURCE, '<image source=')}" in text  # the line of the TMX that names it
    assert diag.span.file.endswith("story.yaml")


def test_check_reports_a_damaged_terrain_image(tmp_path):
    tmx = _write(tmp_path / "map", SOURCE)
    (tmp_path / "map" / "route_terrain.png").write_bytes(b"not a picture at all")
    analysis = analyse(_story_with_map(tmp_path / "story", tmx))
    assert any("not a PNG image" in str(d) for d in analysis.warnings if d.code == "ER061")


def test_check_is_clean_with_the_shipped_map_and_its_terrain(tmp_path):
    analysis = analyse(_story_with_map(tmp_path / "story", TMX))
    assert not [d for d in analysis.diagnostics if d.code.startswith("ER06")]


def test_read_terrain_refuses_a_png_claiming_gigapixels(tmp_path):
    from game.route.map import read_terrain

    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + (100_000).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    with pytest.raises(RouteMapError, match="100,000 × 100,000 pixels"):
        read_terrain(_write(tmp_path, header, "big.png"))
    with pytest.raises(RouteMapError, match="missing"):
        read_terrain(tmp_path / "nothing.png")
    assert read_terrain(TERRAIN)[:4] == b"\x89PNG"


# --------------------------------------------------------------------------- the map screen without its terrain
@pytest.fixture
def app_on(tmp_path):
    import pygame

    from game.ui.app import App

    apps = []

    def make(tmx: Path):
        pygame.init()
        story = load_story(_story_with_map(tmp_path / f"story{len(apps)}", tmx))
        app = App(story, seed=2, size=(1280, 720), skip_title=True)
        apps.append(app)
        app.step(events=[])
        return app

    yield make
    for app in apps:
        app.close()
    pygame.quit()


def _open_map(app):
    import pygame

    for key in (pygame.K_SPACE, pygame.K_m):
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
        app.step()
    for _ in range(3):
        app.step(events=[])
    return app.stack.top


@pytest.mark.parametrize("terrain", ["missing", "damaged"])
def test_the_map_screen_draws_the_map_without_a_missing_or_damaged_terrain(tmp_path, app_on, terrain):
    folder = tmp_path / "map"
    tmx = _write(folder, SOURCE)
    if terrain == "damaged":
        (folder / "route_terrain.png").write_bytes(TERRAIN.read_bytes()[:5000])  # a truncated PNG
    app = app_on(tmx)
    scene = _open_map(app)
    assert scene.name == "map"
    view = app.map_view
    assert view.terrain_problem and "route_terrain.png" in view.terrain_problem
    x, y = (round(v) for v in view.screen_pos(scene.rect, "hyesan"))
    assert tuple(app.screen.get_at((x, y)))[:3] != (0, 0, 0)  # the place is drawn on the plain sheet
    assert any("without its terrain" in text for text, _ in app.toasts)


def test_the_map_screen_with_its_terrain_has_no_notice(app_on):
    app = app_on(TMX)
    scene = _open_map(app)
    assert scene.name == "map" and app.map_view.terrain_problem is None
    assert not any("terrain" in text for text, _ in app.toasts)


# --------------------------------------------------------------------------- bounded reading
def test_a_fifo_named_as_the_map_is_refused_at_once(tmp_path):
    """Read through game.files.read_bytes: a FIFO is refused instead of blocking the game for ever."""
    fifo = tmp_path / "route.tmx"
    os.mkfifo(fifo)
    code = f"from game.route import load_route_map\nload_route_map({str(fifo)!r})\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 1 and "RouteMapError" in result.stderr and "named pipe" in result.stderr


def test_a_doctype_is_refused_so_entities_cannot_expand(tmp_path):
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE map [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
              + ']>\n<map width="1" height="1" tilewidth="1" tileheight="1">&i;</map>\n')
    with pytest.raises(RouteMapError, match="DOCTYPE") as info:
        load_route_map(_write(tmp_path, laughs))
    assert info.value.line == 2


def test_a_compressed_tile_layer_bomb_is_skipped_not_expanded(tmp_path):
    bomb = b64encode(zlib.compress(b"\0" * 200_000_000, 9)).decode()  # 200 MB of tiles in ~200 KB
    layer = (f' <layer id="7" name="bomb" width="100000" height="500">\n  <data encoding="base64" '
             f'compression="zlib">{bomb}</data>\n </layer>\n')
    route = load_route_map(_write(tmp_path, SOURCE.replace(" <imagelayer", layer + " <imagelayer", 1)))
    assert "hyesan" in route.locations


def test_too_many_elements_are_refused(tmp_path):
    filler = "<properties>" + "<property name='p' value='v'/>" * 120_000 + "</properties>"
    with pytest.raises(RouteMapError, match="more than 100,000 elements"):
        load_route_map(_write(tmp_path, SOURCE.replace("<point/>", filler, 1)))


# --------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(("find", "replace", "message"), [
    ('x="2860.2222" y="314.3449">\n   <properties>\n     <property name="label" value="Hyesan"/>',
     'x="nan" y="314.3449">\n   <properties>\n     <property name="label" value="Hyesan"/>', "x of location 'hyesan' must be finite"),
    ('x="2860.2222" y="314.3449">\n   <properties>\n     <property name="label" value="Hyesan"/>',
     'x="1e300" y="314.3449">\n   <properties>\n     <property name="label" value="Hyesan"/>', "lies off the map"),
    ('<polyline points="0,0 1.5556,-2.1689"/>', '<polyline points="0,0 inf,-2.1689"/>', "must be finite"),
    ('<polyline points="0,0 1.5556,-2.1689"/>', '<polyline points="0,0 1.5556"/>', "is not a point 'x,y'"),
    ('<polyline points="0,0 1.5556,-2.1689"/>', '<polyline points="0,0 99999,-2.1689"/>', "lies off the map"),
    ('<property name="km" type="float" value="2.5"/>', '<property name="km" type="float" value="1e308"/>', "km of leg"),
    ('<property name="km" type="float" value="2.5"/>', '<property name="km" type="float" value="two"/>',
     "must be a number"),
    ('width="100" height="103"', 'width="100000000" height="103"', "width"),
    ('tilewidth="32"', 'tilewidth="0"', "tile width"),
    ('<property name="width_px" type="int" value="3200"/>', '<property name="width_px" type="int" value="3200.5"/>',
     "width_px"),
    ('<property name="lon_max" type="float" value="132"/>', '<property name="lon_max" type="float" value="96"/>',
     "bad projection"),
    ('<object id="33" name="hyesan"', '<object id="thirty-three" name="hyesan"', "not a whole number"),
])
def test_bad_numbers_are_route_map_errors_with_their_line(tmp_path, find, replace, message):
    assert find in SOURCE
    broken = SOURCE.replace(find, replace, 1)
    with pytest.raises(RouteMapError, match=re.escape(message)) as info:
        load_route_map(_write(tmp_path, broken))
    assert info.value.line is not None
    _one_line(info.value)


def test_a_place_no_leg_reaches_is_a_route_map_error(tmp_path):
    route = load_route_map(TMX)
    leg, place = next((legs[0], name) for name in sorted(route.locations) if len(legs := route.legs_at(name)) == 1)
    start = SOURCE.index(f'name="{leg.id}"')
    start, end = SOURCE.rindex("<object ", 0, start), SOURCE.index("</object>", start) + len("</object>")
    with pytest.raises(RouteMapError, match=f"'{place}' is not joined") as info:
        load_route_map(_write(tmp_path, SOURCE[:start] + SOURCE[end:]))
    assert info.value.line is not None and "add a leg" in info.value.hint


# --------------------------------------------------------------------------- fuzz
def _mutate(rng: random.Random, source: str) -> str:
    """One random mutation of the TMX text: of its elements, of an attribute, or of its bytes."""
    kind = rng.choice(["delete", "duplicate", "blank", "garble", "nonnumeric", "nonfinite", "huge", "negative",
                       "truncate", "splice", "swap"])
    if kind == "truncate":
        return source[: rng.randrange(len(source))]
    if kind == "splice":
        at = rng.randrange(len(source))
        junk = "".join(rng.choice('<>/="& \n\tx0.,-') for _ in range(rng.randint(1, 12)))
        return source[:at] + junk + source[at + rng.randint(0, 8):]
    root = ET.fromstring(source)
    elements = list(root.iter())
    if kind in ("delete", "duplicate", "swap"):
        parents = {child: parent for parent in elements for child in parent}
        victim = rng.choice(elements[1:])
        parent = parents[victim]
        if kind == "delete":
            parent.remove(victim)
        elif kind == "duplicate":
            parent.insert(list(parent).index(victim), ET.fromstring(ET.tostring(victim)))
        else:
            siblings = list(parent)
            other = rng.choice(siblings)
            i, j = siblings.index(victim), siblings.index(other)
            parent[i], parent[j] = other, victim
    else:
        element = rng.choice([e for e in elements if e.attrib])
        name = rng.choice(sorted(element.attrib))
        value = element.get(name, "")
        if kind == "blank":
            new = ""
        elif kind == "garble":
            chars = list(value) or ["x"]
            for _ in range(rng.randint(1, 4)):
                chars[rng.randrange(len(chars))] = rng.choice("abc-.,;: 9é\u202e")
            new = "".join(chars)
        elif kind == "nonnumeric":
            new = rng.choice(["north", "1,5", "12px", "0x10", "--1", "1e", "½"])
        elif kind == "nonfinite":
            new = rng.choice(["nan", "NaN", "inf", "-inf", "Infinity"])
            if name == "points":
                new = f"0,0 {new},{new}"
        elif kind == "huge":
            new = rng.choice(["1e308", "9" * 400, "1e999", "-1e308", "123456789012345678901234567890"])
            if name == "points":
                new = f"0,0 {new},{new}"
        else:
            new = "-" + value.lstrip("-") if value else "-1"
        element.set(name, new)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _assert_sane(route) -> None:
    width, height = route.pixel_size
    assert 0 < width <= 32_768 and 0 < height <= 32_768
    for loc in route.locations.values():
        assert math.isfinite(loc.x) and math.isfinite(loc.y) and -1 <= loc.x <= width + 1 and -1 <= loc.y <= height + 1
        assert math.isfinite(loc.lat) and math.isfinite(loc.lon)
    for leg in route.legs:
        assert len(leg.points) >= 2 and math.isfinite(leg.km) and leg.km >= 0
        assert all(math.isfinite(v) for point in leg.points for v in point)
    for label in route.labels:  # the area names: both written, of a kind the map screen can set, on the map
        assert label.label.strip() and label.label_ko.strip() and label.kind in LABEL_KINDS
        assert math.isfinite(label.x) and math.isfinite(label.y)
        assert -1 <= label.x <= width + 1 and -1 <= label.y <= height + 1
    names = sorted(route.locations)
    for a, b in zip(names, names[1:], strict=False):
        route.path(a, b)  # every place joined to every other


def test_two_hundred_mutated_maps_load_or_raise_route_map_error(tmp_path):
    rng = random.Random(20240611)
    outcomes = {"loaded": 0, "refused": 0}
    for case in range(200):
        mutant = _mutate(rng, SOURCE)
        path = _write(tmp_path / str(case), mutant)
        try:
            route = load_route_map(path)
        except RouteMapError as exc:
            outcomes["refused"] += 1
            assert exc.path == str(path), (case, exc)
            assert "\n" not in str(exc), (case, exc)
            continue
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"mutant {case} raised {type(exc).__name__}: {exc}\n" + textwrap.shorten(mutant, 300))
        outcomes["loaded"] += 1
        _assert_sane(route)
    assert outcomes["refused"] > 50 and outcomes["loaded"] > 10, outcomes


def test_mutated_maps_that_load_can_be_drawn(tmp_path):
    import pygame

    from game.ui.map_view import MapView

    pygame.font.init()
    rng = random.Random(7)
    drawn = 0
    surface = pygame.Surface((800, 500))
    for case in range(80):
        path = _write(tmp_path / str(case), _mutate(rng, SOURCE))
        try:
            route = load_route_map(path)
        except RouteMapError:
            continue
        view = MapView(route, tmp_path / "no_terrain.png")  # fast: the plain sheet
        names = sorted(route.locations)
        view.draw(surface, surface.get_rect(), names[:3], names[-1], names[0], hover_pos=(400, 250))
        drawn += 1
    assert drawn > 5
