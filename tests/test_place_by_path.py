"""A node reached from two places shows the place of its text (issue 15, item 11).

The Thai bank, the rangers, the road at dawn and the police station are reached from
the Chiang Saen landing and from the Chiang Khong sandbank alike; their ``location:``
chooses with ``{if visited(mekong_landing)}``. The HUD, the map's current place, the
journal (which draws the route and the debrief) and a save's summary must all name the
town the text is in.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pygame
import pytest

from conftest import REPO
from game.engine.engine import Engine
from game.engine.save import AUTOSAVE, read_info, slot_path
from game.lsp.index import index_file, story_names
from game.story.loader import analyse, load_story
from game.story.yamlsrc import parse_yaml
from game.textui import run_text
from game.ui.commands import Confirm
from game.ui.scenes.map import journey_places

STORY = REPO / "story"
SHARED = ("mekong_thai_shore", "mekong_rangers", "mekong_robbed", "thai_police")
# (where the journey starts, the choice that leaves it, the Thai town the text names)
LANDINGS = {"chiang_saen": ("mekong_landing", 1, "Chiang Saen"), "chiang_khong": ("mekong_midriver", 0, "Chiang Khong")}


@pytest.fixture(scope="module")
def story():
    return load_story(STORY)


def to_police(engine: Engine, start: str, leave: int):
    """From a landing to the police station, through the Thai bank: each step's (node, view)."""
    state = engine.new_game(seed=7, start=start)
    seen = []
    engine.choose(state, leave)  # to the Thai bank (a fall in the channel lands there too)
    while state.node != "thai_police":
        view = engine.view(state)
        seen.append((state.node, view))
        engine.choose(state, 2 if state.node == "mekong_thai_shore" else 0)  # the morning bus
    seen.append((state.node, engine.view(state)))
    return state, seen


@pytest.mark.parametrize("place", sorted(LANDINGS))
def test_the_engine_names_the_landing_the_text_is_at(story, place):
    start, leave, town = LANDINGS[place]
    engine = Engine(story)
    state, seen = to_police(engine, start, leave)
    for node_id, view in seen:
        assert view.location == place, node_id
    assert f"out of {town}" in " ".join(seen[-1][1].paragraphs)
    assert [e["location"] for e in state.journal if e["node"] in SHARED] == [place] * (len(seen))


@pytest.mark.parametrize("place", sorted(LANDINGS))
def test_every_path_through_a_shared_node_shows_the_text_s_town(story, place):
    """Each way on from the Thai bank (rangers, robbed, the bus, the station) keeps the landing's town."""
    start, leave, town = LANDINGS[place]
    engine = Engine(story)
    for seed in range(40):
        state = engine.new_game(seed=seed, start=start)
        engine.choose(state, leave)
        assert state.node == "mekong_thai_shore"
        engine.choose(state, seed % 2)  # walk to the lights (rangers) or hide (robbed)
        while state.node != "thai_police":
            assert engine.view(state).location == place
            engine.choose(state, 0)
        view = engine.view(state)
        assert view.location == place and f"police station in {town}" in " ".join(view.paragraphs)


def test_a_second_try_that_lands_at_chiang_saen_shows_chiang_saen(story):
    """The sandbank first, then back to Laos and over at Chiang Saen: the last landing counts."""
    engine = Engine(story)
    state = engine.new_game(seed=1, start="mekong_midriver")
    state.visits["mekong_landing"] = 1  # as after mekong_second_try → golden triangle → landing
    engine.choose(state, 0)
    assert engine.view(state).location == "chiang_saen"


def test_the_map_and_the_checker_see_every_alternative(story):
    node = story.nodes["thai_police"]
    assert node.places() == ("chiang_saen", "chiang_khong")
    assert node.places("heading") == ("mae_sai",)
    assert story.nodes["thai_court"].places() == ("chiang_rai",)


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copytree(STORY, tmp_path / "story")
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    path = tmp_path / "story" / "08_thailand.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path / "story"


def test_an_unknown_place_in_any_branch_is_reported_where_it_is_written(tmp_path):
    root = broken_copy(tmp_path, "{else}chiang_khong{end}", "{else}chiang_kong{end}")
    found = [d for d in analyse(root).diagnostics if d.code == "ER060"]
    assert len(found) == 1
    line = (root / "08_thailand.yaml").read_text(encoding="utf-8").splitlines()[found[0].span.line - 1]
    assert line[found[0].span.col - 1:].startswith("chiang_kong{end}")
    assert "chiang_khong" in found[0].hint


def test_a_bad_condition_in_a_location_is_one_error_not_two(tmp_path):
    root = broken_copy(tmp_path, "{if visited(mekong_landing)}chiang_saen", "{if visited(mekong_lnding)}chiang_saen")
    errors = [d for d in analyse(root).diagnostics if d.severity.name == "ERROR"]
    assert [d.code for d in errors] == ["ER030"]
    line = (root / "08_thailand.yaml").read_text(encoding="utf-8").splitlines()[errors[0].span.line - 1]
    assert line[errors[0].span.col - 1:].startswith("mekong_lnding")


def test_a_value_in_a_location_is_no_place(tmp_path):
    root = broken_copy(tmp_path, "{else}chiang_khong{end}", "{else}{cash}{end}")
    assert [d.message for d in analyse(root).diagnostics if d.code == "ER060"] == [
        "location '{cash}' is not on the route map"]


def test_the_language_server_indexes_each_place_and_the_condition(story):
    path = STORY / "08_thailand.yaml"
    src, _ = parse_yaml(str(path), path.read_bytes())
    found = index_file(src, story_names(story), "chapter")
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "{else}chiang_khong" in text)
    here = [o for o in found if o.span.line == line]
    assert [(o.kind, o.name) for o in here] == [("node", "mekong_landing"), ("location", "chiang_saen"),
                                                ("location", "chiang_khong")]
    for occ in here:  # each span is exactly the name, so a rename edits only it
        assert lines[line - 1][occ.span.col - 1:occ.span.end_col - 1] == occ.name


def press(app, k: int) -> None:  # noqa: ANN001
    """A real key press (down, then up) once the screen takes input, then half a second of frames."""
    for _ in range(60):
        if not app.gate.settling(Confirm(), app.time):
            break
        app.step(events=[])
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode="", scancode=0))
    for _ in range(30):
        app.step()


@pytest.mark.parametrize("place", sorted(LANDINGS))
def test_the_window_hud_and_map_show_the_landing(story, make_app, place):
    start, leave, town = LANDINGS[place]
    app = make_app(story, start=start)
    for number in (leave + 1, 3):  # to the Thai bank, then the morning bus
        node = app.state.node
        for _ in range(10):  # Space finishes the text (and passes a chapter card); a number chooses
            press(app, pygame.K_0 + number)
            if app.state.node != node:
                break
            press(app, pygame.K_SPACE)
    assert app.state.node == "thai_police"
    assert app.place(app.engine.view(app.state).location)[0] == town
    _, current, _ = journey_places(app)
    assert current == place


@pytest.mark.parametrize("place", sorted(LANDINGS))
def test_play_text_records_the_landing(story, place):
    """The terminal's autosave (what Continue and the save list show) names the landing's town."""
    start, leave, _ = LANDINGS[place]
    out = io.StringIO()
    run_text(story, seed=7, resume=False, start=start, stdin=io.StringIO(f"{leave + 1}\n3\nq\n"), stdout=out)
    info = read_info(slot_path(AUTOSAVE))
    assert info.node == "thai_police" and info.location == place, out.getvalue()[-500:]
