"""The story's ``ambience:`` key: resolved along the graph, checked, completed in editors.

Each checker code has its own test from the diagnostics catalogue (tests/test_diagnostics.py);
these tests check what the codes say and what the game is told.
"""

from __future__ import annotations

from conftest import write_story
from game.story import diagnostics as dx
from game.story.ambience import resolve, resolve_all
from game.story.loader import analyse


def _story(tmp_path, code: str):
    files = dict(dx.BASE_STORY)
    files.update(dx.CATALOGUE[code].example)
    return analyse(write_story(tmp_path / "story", files))


def test_two_paths_meeting_name_both_paths_and_the_node(tmp_path):
    analysis = _story(tmp_path, "ER081")
    (found,) = [d for d in analysis.diagnostics if d.code == "ER081"]
    assert found.message == ("node 'd' sounds like 'wind' on one path (b → d) and like 'river' on another (a → c → d)")
    assert str(found.span).endswith("01_a.yaml:21:3")
    story = analysis.story
    assert set(resolve_all(story).heard("d")) == {"river", "wind"}
    assert resolve(story, "d", came_with="wind") == "wind"  # in play, the way the player came decides
    assert resolve(story, "c") == "river"  # a node without one keeps the one before


def test_an_unknown_name_gets_the_nearest_and_the_start_without_one_is_named(tmp_path):
    (unknown,) = [d for d in _story(tmp_path / "a", "ER080").diagnostics if d.code == "ER080"]
    assert unknown.hint == "Did you mean 'river'?"
    (silent,) = [d for d in _story(tmp_path / "b", "ER082").diagnostics if d.code == "ER082"]
    assert silent.message == "the story starts at node 'a' with no ambience; 1 node after it would be silent too"
    assert "'river', 'wind'" in silent.hint


def test_a_story_without_ambiences_is_not_asked_for_them(tmp_path):
    analysis = analyse(write_story(tmp_path / "story", dx.BASE_STORY))
    assert analysis.diagnostics == [] and analysis.story.ambiences == {}


def test_a_bad_ambiences_declaration_is_one_clear_problem(tmp_path):
    files = dict(dx.BASE_STORY)
    files["story.yaml"] += "ambiences:\n  river: water\n  bad name: x\n  wind: [not, words]\n"
    analysis = analyse(write_story(tmp_path / "story", files))
    problems = [d for d in analysis.diagnostics if d.code == "ER014"]
    assert len(problems) == 2 and all("caption in words" in d.message for d in problems)
    assert analysis.story.ambiences == {"river": "water"}


def test_the_language_server_completes_ambience_names_with_their_captions(tmp_path):
    from game.lsp.features import complete
    from game.lsp.workspace import StoryFolder

    files = dict(dx.BASE_STORY)
    files.update(dx.CATALOGUE["ER081"].example)
    folder = StoryFolder(write_story(tmp_path / "story", files))
    folder.check()
    lines = files["01_a.yaml"].splitlines()
    lines[3] = "    ambience: "
    found = complete(folder, lines, 3, len(lines[3]), "chapter")
    assert {(c.label, c.detail) for c in found} == {("river", "water at night"), ("wind", "wind on a hill")}
    keys = {c.label for c in complete(folder, ["nodes:", "  a:", "    "], 2, 4, "chapter")}
    assert "ambience" in keys


def test_after_an_undo_the_ambience_playing_is_kept_only_where_a_path_brings_it(tmp_path):
    story = _story(tmp_path, "ER081").story
    assert resolve(story, "c", came_with="wind") == "river"  # no path brings the hill's wind to c
    assert resolve(story, "d", came_with="wind") == "wind"
