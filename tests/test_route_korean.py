"""The route map's messages in Korean (issue #20): a damaged, missing or malformed Tiled map speaks the
writer's language, in the checker (ER061) and wherever the game shows the error.

Each case damages a copy of the shipped ``assets/maps/route.tmx`` as a writer or a bad copy might, loads
it with the program speaking Korean, and holds the message and its hint to the rule the checker's own
Korean test uses: Hangul, and no English sentence outside quotes, ids and paths. The English of the same
problems is held word for word by ``test_hostile_map.py`` and ``test_route.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_checker_korean import HANGUL, english_left
from test_hostile_map import SOURCE, TMX, _story_with_map, _write

from conftest import REPO, write_story
from game.errors import RouteMapError, StoryLoadError
from game.l10n import set_language
from game.route import load_route_map
from game.route.map import read_terrain
from game.story.loader import load_story

HYESAN = '<object id="33" name="hyesan" type="location" x="2860.2222" y="314.3449">'
FIRST_LEG = ('<object id="1" name="hyesan-changbai" type="leg" x="2860.2222" y="314.3449">\n   <properties>\n'
             '     <property name="from" value="hyesan"/>\n     <property name="to" value="changbai"/>\n'
             '     <property name="mode" value="river"/>\n     <property name="km" type="float" value="2.5"/>\n')
POLYLINE = '<polyline points="0,0 1.5556,-2.1689"/>'
KM = '<property name="km" type="float" value="2.5"/>'

#: (what is damaged, text found in the shipped map, what it becomes)
DAMAGE = [
    ("empty polyline", POLYLINE, '<polyline points=""/>'),
    ("one-point polyline", POLYLINE, '<polyline points="0,0"/>'),
    ("not a point", POLYLINE, '<polyline points="0,0 1.5556"/>'),
    ("infinite point", POLYLINE, '<polyline points="0,0 inf,-2.1689"/>'),
    ("point off the map", POLYLINE, '<polyline points="0,0 99999,-2.1689"/>'),
    ("no polyline", POLYLINE, "<point/>"),
    ("x not finite", HYESAN, HYESAN.replace('x="2860.2222"', 'x="nan"')),
    ("place off the map", HYESAN, HYESAN.replace('x="2860.2222"', 'x="1e300"')),
    ("place without a name", HYESAN, HYESAN.replace(' name="hyesan"', "")),
    ("km too large", KM, KM.replace("2.5", "1e308")),
    ("km not a number", KM, KM.replace('type="float" value="2.5"', 'value="two"')),
    ("km missing", KM, ""),
    ("unknown mode", '<property name="mode" value="river"/>', '<property name="mode" value="canoe"/>'),
    ("unknown end", FIRST_LEG, FIRST_LEG.replace('name="from" value="hyesan"', 'name="from" value="nowhere"')),
    ("map too wide", 'width="100" height="103"', 'width="100000000" height="103"'),
    ("tile width zero", 'tilewidth="32"', 'tilewidth="0"'),
    ("tile width missing", 'tilewidth="32" ', ""),
    ("width_px not whole", '<property name="width_px" type="int" value="3200"/>',
     '<property name="width_px" type="int" value="3200.5"/>'),
    ("projection upside down", '<property name="lon_max" type="float" value="132"/>',
     '<property name="lon_max" type="float" value="96"/>'),
    ("object id not a number", '<object id="33" name="hyesan"', '<object id="thirty-three" name="hyesan"'),
    ("unknown property type", '<property name="tile_px" type="int" value="32"/>',
     '<property name="tile_px" type="vector" value="32"/>'),
    ("int property not whole", '<property name="tile_px" type="int" value="32"/>',
     '<property name="tile_px" type="int" value="thirty-two"/>'),
    ("country unknown", '<property name="country" value="KP"/>', '<property name="country" value="XX"/>'),
    ("latitude out of range", '<property name="lat" type="float" value="41.4017"/>',
     '<property name="lat" type="float" value="95"/>'),
    ("label missing", '<property name="label" value="Hyesan"/>', ""),
    ("twice the same place", 'name="musan" type="location"', 'name="hyesan" type="location"'),
    ("no locations layer", 'name="locations"', 'name="places"'),
    ("two legs layers", ' <objectgroup id="3" name="locations"',
     ' <objectgroup id="9" name="legs"/>\n <objectgroup id="3" name="locations"'),
    ("image layer without a file", '<image source="route_terrain.png"', '<image source=""'),
    ("image layer without an image", '<image source="route_terrain.png" width="3200" height="3296"/>', ""),
    ("truncated", SOURCE[SOURCE.index("</objectgroup>"):], "</objectgroup>\n"),
    ("a DOCTYPE", '<?xml version="1.0" encoding="UTF-8"?>\n',
     '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE map [<!ENTITY a "a">]>\n'),
]


def _korean(exc: RouteMapError) -> None:
    """The message and its hint are Korean, with only data (ids, paths, quoted values) left as they are."""
    for part in (exc.message, exc.hint or ""):
        if part:
            assert HANGUL.search(part), f"no Korean in {part!r}"
            assert english_left(part) is None, f"English left in {part!r}: {english_left(part)!r}"


@pytest.mark.parametrize(("find", "replace"), [(find, replace) for _, find, replace in DAMAGE],
                         ids=[name for name, _, _ in DAMAGE])
def test_a_damaged_map_is_reported_in_korean(tmp_path, find, replace):
    assert find in SOURCE
    path = _write(tmp_path, SOURCE.replace(find, replace, 1))
    with pytest.raises(RouteMapError) as english:
        load_route_map(path)
    set_language("ko")
    with pytest.raises(RouteMapError) as korean:
        load_route_map(path)
    _korean(korean.value)
    assert (korean.value.path, korean.value.line) == (english.value.path, english.value.line)
    assert not HANGUL.search(english.value.message + (english.value.hint or ""))


def test_a_file_that_is_not_a_tiled_map_is_reported_in_korean(tmp_path):
    set_language("ko")
    with pytest.raises(RouteMapError) as info:
        load_route_map(_write(tmp_path, SOURCE.replace("<map ", "<mop ").replace("</map>", "</mop>")))
    assert "<mop>" in info.value.message
    _korean(info.value)


def test_a_place_no_leg_reaches_is_reported_in_korean(tmp_path):
    set_language("ko")
    route = load_route_map(TMX)
    leg = next(legs[0] for name in sorted(route.locations) if len(legs := route.legs_at(name)) == 1)
    start = SOURCE.index(f'name="{leg.id}"')
    start, end = SOURCE.rindex("<object ", 0, start), SOURCE.index("</object>", start) + len("</object>")
    with pytest.raises(RouteMapError) as info:
        load_route_map(_write(tmp_path, SOURCE[:start] + SOURCE[end:]))
    _korean(info.value)


def test_a_missing_map_a_pipe_and_unknown_places_are_reported_in_korean(tmp_path):
    set_language("ko")
    with pytest.raises(RouteMapError) as missing:
        load_route_map(tmp_path / "route.tmx")
    _korean(missing.value)
    os.mkfifo(tmp_path / "pipe.tmx")
    with pytest.raises(RouteMapError) as pipe:
        load_route_map(tmp_path / "pipe.tmx")
    _korean(pipe.value)
    route = load_route_map(TMX)
    with pytest.raises(RouteMapError) as unknown:
        route.distance_km("hyesan", "atlantis")
    assert HANGUL.search(unknown.value.message) and english_left(unknown.value.message) is None
    with pytest.raises(RouteMapError) as no_way:
        route.path("hyesan", "bangkok", modes=["plane"])
    _korean(no_way.value)


@pytest.mark.parametrize("data", [None, "folder", b"not a picture at all", b"\x89PNG\r\n\x1a\n\0\0",
                                  b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + (10**6).to_bytes(4, "big") * 2],
                         ids=["missing", "a folder", "not a PNG", "truncated PNG", "gigapixel PNG"])
def test_a_bad_terrain_image_is_reported_in_korean(tmp_path, data: bytes | str | None):
    image = tmp_path / "route_terrain.png"
    if data == "folder":
        image.mkdir()
    elif data is not None:
        image.write_bytes(data)
    set_language("ko")
    with pytest.raises(RouteMapError) as info:
        read_terrain(image)
    _korean(info.value)


def test_a_story_that_cannot_load_says_so_in_korean(tmp_path):
    tmx = _write(tmp_path / "map", SOURCE.replace(POLYLINE, '<polyline points=""/>'))
    story = _story_with_map(tmp_path / "story", tmx)
    write_story(story, {"01_river.yaml": "scenes: [oops\n"})
    with pytest.raises(StoryLoadError) as english:
        load_story(story)
    assert str(english.value).startswith(f"the story in {story} has ")
    set_language("ko")
    with pytest.raises(StoryLoadError) as korean:
        load_story(story)
    assert HANGUL.search(str(korean.value)) and english_left(str(korean.value)) is None
    assert f"'escape-route check {story}'" in str(korean.value)


def test_check_in_korean_reports_a_broken_map_in_korean(tmp_path):
    """The real command, as a writer runs it: `escape-route check STORY --lang ko` on a story whose map is broken."""
    tmx = _write(tmp_path / "map", SOURCE.replace(KM, KM.replace("2.5", "1e308"), 1))
    story = _story_with_map(tmp_path / "story", tmx)
    env = {"ESCAPE_ROUTE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "LANGUAGE": "en"}
    result = subprocess.run([sys.executable, "-m", "game", "check", str(story), "--lang", "ko", "--json"], cwd=REPO,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1, result.stderr
    (diag,) = [d for d in json.loads(result.stdout)["errors"] if d["code"] == "ER061"]
    text = json.dumps(diag, ensure_ascii=False)
    assert "구간 'hyesan-changbai'의 km가 1e+308입니다" in text, text
    plain = subprocess.run([sys.executable, "-m", "game", "check", str(story), "--lang", "ko"], cwd=REPO,
                           capture_output=True, text=True, timeout=120, env=env)
    line = next(line for line in plain.stdout.splitlines() if "ER061" in line)
    assert HANGUL.search(line) and str(tmx) in line, plain.stdout
    assert english_left(line.split("ER061", 1)[1]) is None, line


def test_the_english_is_unchanged(tmp_path):
    """The catalog changes nothing in English: the messages the other tests compare, word for word."""
    path = _write(tmp_path, SOURCE.replace(POLYLINE, '<polyline points="0,0"/>', 1))
    with pytest.raises(RouteMapError) as info:
        load_route_map(path)
    assert info.value.message == "the polyline of leg 'hyesan-changbai' has 1 point; a leg needs at least two"
    assert info.value.hint == "redraw the leg in Tiled, or regenerate with: python tools/make_map.py"
    Path(path).unlink()
    with pytest.raises(RouteMapError) as missing:
        load_route_map(path)
    assert missing.value.message == "route map file not found"



def test_the_window_words_a_broken_maps_hint_in_korean_too(tmp_path, make_app):
    """The window's notice gives the map's problem with its hint, and the word for "hint" is Korean as well."""
    path = _write(tmp_path, SOURCE)
    story = load_story(_story_with_map(tmp_path / "story", path))  # a story whose map is broken is not played
    path.write_text(SOURCE.replace("<map ", "<mop ").replace("</map>", "</mop>"), encoding="utf-8")  # broken since
    set_language("ko")
    app = make_app(story, skip_title=True)
    assert app.route is None
    (notice,) = [text for text, _ in app.toasts if "지도" in text]
    assert "도움말: " in notice and "hint:" not in notice and HANGUL.search(notice)
