"""The route map's area names (countries, seas, rivers): written by the tool into ``route.tmx`` as the
``labels`` layer, read by the loader, set by the map screen in the language spoken; never baked into
the terrain image.

A damaged label object is one RouteMapError with its line, in English and in Korean (the style of
``test_hostile_map.py`` and ``test_route_korean.py``).
"""

from __future__ import annotations

import runpy

import pygame
import pytest
from test_checker_korean import HANGUL, english_left
from test_hostile_map import SOURCE, TERRAIN, TMX, _line_of, _write
from test_map_projector import open_map

from conftest import REPO
from game.errors import RouteMapError
from game.l10n import set_language
from game.route import AreaLabel, load_route_map
from game.route.map import LABEL_KINDS

TOOL = runpy.run_path(str(REPO / "tools" / "make_map.py"))  # its tables only: main() is not run
CHINA = ('<object id="59" name="china" type="label" x="1288.8889" y="1306.6042">\n   <properties>\n'
         '     <property name="label" value="CHINA"/>\n     <property name="label_ko" value="중국"/>\n'
         '     <property name="kind" value="country"/>\n')
LATIN = {label for label, *_ in TOOL["AREA_LABELS"]}


# --------------------------------------------------------------------------- the tool writes, the loader reads
def test_the_tool_writes_every_area_name_and_the_loader_reads_both_languages(tmp_path):
    tmx, _ = TOOL["build_tmx"]("route_terrain.png")
    route = load_route_map(_write(tmp_path, tmx))
    assert len(route.labels) == len(TOOL["AREA_LABELS"]) == 25
    for label, (english, korean, lat, lon, kind) in zip(route.labels, TOOL["AREA_LABELS"], strict=True):
        assert isinstance(label, AreaLabel)
        assert (label.label, label.label_ko, label.kind) == (english, korean, kind)
        x, y = TOOL["PROJ"].to_pixel(lat, lon)
        assert (label.x, label.y) == pytest.approx((x, y), abs=1e-3)
        assert HANGUL.search(label.label_ko) and not HANGUL.search(label.label)
    by_name = {label.label: label.label_ko for label in route.labels}
    assert by_name["NORTH KOREA"] == "북한" and by_name["SOUTH KOREA"] == "한국"  # as the story's Korean names them
    assert by_name["Yellow Sea"] == "황해" and by_name["East Sea"] == "동해" and by_name["Mekong"] == "메콩강"
    assert {label.kind for label in route.labels} == set(LABEL_KINDS)


def test_the_shipped_map_has_its_labels_and_keeps_every_place_and_leg(tmp_path):
    route = load_route_map(TMX)
    assert [label.label for label in route.labels] == [label for label, *_ in TOOL["AREA_LABELS"]]
    assert len(route.locations) == 26 and len(route.legs) == 32
    assert "hyesan" in route.locations and route.locations["hyesan"].label_ko == "혜산"


def test_a_map_without_the_layer_still_loads(tmp_path):
    start = SOURCE.index(' <objectgroup id="4" name="labels"')
    end = SOURCE.index("</objectgroup>", start) + len("</objectgroup>\n")
    route = load_route_map(_write(tmp_path, SOURCE[:start] + SOURCE[end:]))
    assert route.labels == () and len(route.locations) == 26


# --------------------------------------------------------------------------- hostile label objects
KIND = '<property name="kind" value="country"/>'
DAMAGE = [
    ("no label", CHINA, CHINA.replace('     <property name="label" value="CHINA"/>\n', ""),
     "area label 'china' has no 'label' property"),
    ("no Korean", CHINA, CHINA.replace('     <property name="label_ko" value="중국"/>\n', ""),
     "area label 'china' has no 'label_ko' property"),
    ("no kind", CHINA, CHINA.replace(f"     {KIND}\n", ""), "area label 'china' has no 'kind' property"),
    ("empty Korean", CHINA, CHINA.replace('value="중국"', 'value=" "'), "area label 'china': its 'label_ko' is empty"),
    ("unknown kind", CHINA, CHINA.replace(KIND, '<property name="kind" value="continent"/>'),
     "area label 'china': kind 'continent' is unknown"),
    ("off the map", CHINA, CHINA.replace('x="1288.8889"', 'x="99999"'), "area label 'china' lies off the map"),
    ("bad number", CHINA, CHINA.replace('y="1306.6042"', 'y="north"'),
     "y of area label 'china' must be a number, got 'north'"),
    ("not finite", CHINA, CHINA.replace('y="1306.6042"', 'y="nan"'), "y of area label 'china' must be finite"),
    ("unnamed", CHINA, CHINA.replace(' name="china"', "").replace(KIND, '<property name="kind" value="x"/>'),
     "area label 'object 59': kind 'x' is unknown"),
    ("two layers", ' <objectgroup id="4" name="labels"',
     ' <objectgroup id="9" name="labels"/>\n <objectgroup id="4" name="labels"', "2 object layers named 'labels'"),
]


@pytest.mark.parametrize(("find", "replace", "message"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_a_damaged_label_is_one_clear_message_in_english_and_korean(tmp_path, find, replace, message):
    assert find in SOURCE
    path = _write(tmp_path, SOURCE.replace(find, replace, 1))
    with pytest.raises(RouteMapError) as english:
        load_route_map(path)
    assert message in str(english.value), str(english.value)
    assert english.value.path == str(path) and english.value.line is not None
    assert english.value.line >= _line_of(SOURCE, ' <objectgroup id="4" name="labels"')  # in the labels layer
    assert "\n" not in str(english.value) and not HANGUL.search(english.value.message)
    set_language("ko")
    with pytest.raises(RouteMapError) as korean:
        load_route_map(path)
    assert (korean.value.path, korean.value.line) == (english.value.path, english.value.line)
    for part in (korean.value.message, korean.value.hint or ""):
        if part:
            assert HANGUL.search(part) and english_left(part) is None, part


def test_the_english_of_a_label_problem_word_for_word(tmp_path):
    path = _write(tmp_path, SOURCE.replace(CHINA, CHINA.replace(KIND, '<property name="kind" value="continent"/>')))
    with pytest.raises(RouteMapError) as info:
        load_route_map(path)
    assert info.value.message == "area label 'china': kind 'continent' is unknown"
    assert info.value.hint == "one of country, country_small, sea, river"
    assert info.value.line == _line_of(SOURCE, KIND)


# --------------------------------------------------------------------------- no text baked into the terrain
def _ink_contrast(image: pygame.Surface, label: AreaLabel, text: str, kind: str) -> float:
    """How much darker the terrain is inside the strokes of ``text`` (set as the tool used to bake it,
    centred on the label's point) than around them in the same box: about 0 without baked text."""
    size, tracking = {"country": (30, 9), "country_small": (19, 4), "sea": (24, 2), "river": (17, 1)}[kind]
    name = "NotoSans-Regular.ttf" if kind.startswith("country") else "NotoSerif-Italic.ttf"
    font = pygame.font.Font(str(REPO / "assets" / "fonts" / name), size)
    glyphs = [font.render(ch, True, (255, 255, 255)) for ch in text]
    mask = pygame.Surface((sum(g.get_width() for g in glyphs) + tracking * (len(glyphs) - 1), font.get_linesize()))
    x = 0
    for glyph in glyphs:
        mask.blit(glyph, (x, 0))
        x += glyph.get_width() + tracking
    box = mask.get_rect(center=(round(label.x), round(label.y)))
    inside, outside = [], []
    for mx in range(mask.get_width()):
        for my in range(mask.get_height()):
            r, g, b, _ = image.get_at((box.x + mx, box.y + my))
            (inside if mask.get_at((mx, my))[0] > 200 else outside).append(0.3 * r + 0.59 * g + 0.11 * b)
    return sum(outside) / len(outside) - sum(inside) / len(inside)


def test_the_terrain_has_no_area_names_baked_in():
    """Where the tool used to draw CHINA, Yellow Sea or Yangtze, the strokes of the word are no darker
    than the terrain around them (with the words baked in, they were 35 to 47 levels darker)."""
    pygame.font.init()
    image = pygame.image.load(str(TERRAIN))
    route = load_route_map(TMX)
    for label in route.labels:
        if label.label in ("CHINA", "THAILAND", "Yellow Sea", "South China Sea", "East China Sea"):
            assert abs(_ink_contrast(image, label, label.label, label.kind)) < 6, label.label


def test_the_tool_draws_no_labels_into_the_terrain():
    assert "_draw_labels" not in TOOL and "_spaced_text" not in TOOL
    assert "AREA_LABELS" not in (REPO / "tools" / "make_map.py").read_text(encoding="utf-8").split(
        "def render_terrain", 1)[1].split("# ---", 1)[0]


# --------------------------------------------------------------------------- the map screen, in each language
@pytest.fixture(scope="module")
def story():
    from game.story.loader import load_story

    return load_story(REPO / "story")


def _check_drawn(app) -> list[str]:  # noqa: ANN001
    """The area names drawn: inside the sheet, clear of each other, of every place name drawn, of every
    place's dot and of the caption (on its strip, when it lies over the map)."""
    view = app.map_view
    lay, _ = view.layout(app.stack.top.rect)
    caption = view.caption_rect.move(-app.stack.top.rect.x, -app.stack.top.rect.y)
    if lay.panel is None:
        caption = caption.inflate(round(24 * lay.unit), round(16 * lay.unit))
    drawn = view.drawn_labels
    rects = [d.rect for d in drawn]
    for i, d in enumerate(drawn):
        assert lay.sheet.contains(d.rect), d
        assert d.rect.collidelist(rects[:i] + rects[i + 1:]) < 0, d
        assert d.rect.collidelist([box for _, box in view.place_labels]) < 0, d
        assert not d.rect.colliderect(caption), d
        for loc in view.route.locations.values():
            assert not d.rect.collidepoint(view._to_sheet(lay, loc.x, loc.y)), (d, loc.id)
    return [d.text for d in drawn]


@pytest.mark.parametrize(("size", "text_size"), [((1920, 1080), "medium"), ((1024, 600), "x-large"),
                                                 ((1280, 720), "medium")])
def test_the_korean_map_draws_hangul_area_names_and_no_english_ones(story, size, text_size):
    set_language("ko")
    from game.story.loader import load_story

    app = open_map(load_story(REPO / "story", lang="ko"), size, text_size)
    try:
        texts = _check_drawn(app)
        assert {"중국", "한국", "황해"} <= set(texts), texts
        assert all(HANGUL.search(text) for text in texts), texts
        assert not LATIN & set(texts)
        # The screen itself: the Hangul word is on the screen where the view says it drew it.
        view = app.map_view
        china = next(d for d in view.drawn_labels if d.text == "중국")
        shot = app.screen.subsurface(china.rect.move(app.stack.top.rect.topleft))
        inked = [shot.get_at((x, y)) for x in range(shot.get_width()) for y in range(shot.get_height())]
        dark = sum(1 for c in inked if 0.3 * c.r + 0.59 * c.g + 0.11 * c.b < 150)
        assert dark > 15  # the glyphs' ink, darker than any land the terrain has
    finally:
        app.close()
        pygame.quit()


@pytest.mark.parametrize(("size", "text_size"), [((1920, 1080), "medium"), ((1024, 600), "x-large"),
                                                 ((800, 1000), "medium")])  # the last: the caption over the map
def test_the_english_map_draws_readable_area_names(story, size, text_size):
    app = open_map(story, size, text_size)
    try:
        texts = _check_drawn(app)
        assert {"CHINA", "SOUTH KOREA", "Yellow Sea"} <= set(texts), texts
        assert (app.map_view.layout(app.stack.top.rect)[0].panel is None) == (size == (800, 1000))
        assert not any(HANGUL.search(text) for text in texts)
        view = app.map_view
        lay, _ = view.layout(app.stack.top.rect)
        for drawn in view.drawn_labels:  # never the 9-pixel words of the baked terrain
            assert drawn.rect.h >= round(11 * view.text_scale), drawn
        china = next(d for d in view.drawn_labels if d.text == "CHINA")
        assert china.rect.h >= 18
    finally:
        app.close()
        pygame.quit()


def test_area_names_follow_the_text_size_setting(story):
    heights = {}
    for text_size in ("medium", "x-large"):
        app = open_map(story, (1280, 720), text_size)
        try:
            heights[text_size] = next(d.rect.h for d in app.map_view.drawn_labels if d.text == "CHINA")
        finally:
            app.close()
            pygame.quit()
    assert heights["x-large"] > heights["medium"]


def test_a_framed_sheet_leaves_out_names_whose_point_it_does_not_show():
    pygame.font.init()
    from game.ui.map_view import MapView

    route = load_route_map(TMX)
    view = MapView(route, TERRAIN, frame=["hyesan", "changbai", "musan"])
    surface = pygame.Surface((1280, 720))
    view.draw(surface, surface.get_rect(), ["hyesan", "changbai"], "changbai", None)
    lay, _ = view.layout(surface.get_rect())
    texts = {d.text for d in view.drawn_labels}
    assert "THAILAND" not in texts and "South China Sea" not in texts
    for d in view.drawn_labels:
        label = next(label for label in route.labels if label.id == d.id)
        assert lay.crop.collidepoint(label.x, label.y)


def test_check_with_lang_ko_reports_a_damaged_label_in_korean(tmp_path):
    """The real command, as a writer runs it: `escape-route check STORY --lang ko` on a story whose map has a
    label of an unknown kind; and the same in English."""
    import json
    import subprocess
    import sys

    from test_hostile_map import _story_with_map

    tmx = _write(tmp_path / "map", SOURCE.replace(KIND, '<property name="kind" value="continent"/>', 1))
    story = _story_with_map(tmp_path / "story", tmx)
    env = {"ESCAPE_ROUTE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "LANGUAGE": "en"}
    texts = {}
    for lang in ("en", "ko"):
        result = subprocess.run([sys.executable, "-m", "game", "check", str(story), "--lang", lang, "--json"],
                                cwd=REPO, capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == 1, result.stderr
        (diag,) = [d for d in json.loads(result.stdout)["errors"] if d["code"] == "ER061"]
        texts[lang] = json.dumps(diag, ensure_ascii=False)
        assert f"{tmx}:{_line_of(SOURCE, KIND)}" in texts[lang], texts[lang]
    assert "area label 'china': kind 'continent' is unknown" in texts["en"]
    assert "지역 이름표 'china': kind 'continent'은(는) 알 수 없는 종류입니다" in texts["ko"], texts["ko"]
