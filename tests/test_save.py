"""Saves: atomic under SIGKILL, versioned, readable after story edits, and never a traceback."""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time

import pytest

from conftest import TINY, write_story
from game.engine.engine import Engine
from game.engine.save import list_saves, load_save_safely, read_save, slot_path, write_save
from game.errors import SaveError
from game.story.loader import load_story


@pytest.fixture
def played(tiny_story):
    story = load_story(tiny_story)
    engine = Engine(story)
    state = engine.new_game(seed=4)
    engine.choose(state, 2)
    return story, engine, state


def test_save_and_load_round_trip(played):
    story, _, state = played
    path = slot_path("first try")
    write_save(path, state, story, label="First try")
    loaded, notice = read_save(path, story)
    assert notice == "" and loaded.to_dict() == state.to_dict()
    (info,) = list_saves()
    assert (info.label, info.node, info.title, info.day, info.problem) == ("First try", "river", "The river", 7, "")


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_save_killed_mid_write_200_times_is_always_old_or_new(played, tmp_path):
    story, engine, state = played
    path = tmp_path / "saves" / "autosave.json"
    state.journal[0]["text"] = ["x" * 2000] * 100  # a big save, so that writes take a while
    write_save(path, state, story, label="0")
    rng = random.Random(1)
    for attempt in range(200):
        pid = os.fork()
        if pid == 0:  # child: write saves as fast as it can until killed
            try:
                n = 1
                while True:
                    write_save(path, state, story, label=str(n))
                    n += 1
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        loaded, notice = read_save(path, story)  # raises if the file is torn
        assert loaded.node == "river", attempt
        assert json.loads(path.read_text())["label"].isdigit()
    # The next start removes what the killed writes left behind (their writers are gone).
    from game.engine.save import remove_stale_temporaries

    remove_stale_temporaries(path.parent)
    assert [p.name for p in path.parent.iterdir()] == ["autosave.json"]


def test_damaged_save_gives_one_clear_message(played):
    story, _, state = played
    path = slot_path("broken")
    write_save(path, state, story)
    damaged = path.read_bytes()[:200]
    path.write_bytes(damaged)
    cut_short = "broken.json is damaged (it ends too soon, at line "
    assert list_saves()[0].problem.startswith(cut_short) and "the file was cut short" in list_saves()[0].problem
    loaded, message = load_save_safely(path, story)
    assert loaded is None
    assert message.startswith(cut_short)
    assert "start a new journey or load another save. The file was kept as " in message
    kept = list((path.parent / "unreadable").glob("broken.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged and str(kept[0]) in message
    assert not path.exists()


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(format="other"), "not a save of this game"),
    (lambda d: d.update(save_version=99), "made by a newer version of the game (save format 99)"),
    (lambda d: d["state"].update(vars=[]), "is damaged: the saved 'vars' is list, expected dict"),
])
def test_incompatible_saves_say_why(played, change, message):
    story, _, state = played
    path = slot_path("x")
    write_save(path, state, story)
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError) as info:
        read_save(path, story)
    assert message in str(info.value)


def test_save_from_edited_story_loads_if_its_node_still_exists(played, tmp_path):
    story, _, state = played
    path = slot_path("old")
    write_save(path, state, story)
    edited = TINY["story.yaml"].replace('version: "1"', 'version: "2"').replace(
        "flags: [warned]", "flags: [warned, rested]")
    new_story = load_story(write_story(tmp_path / "v2", {**TINY, "story.yaml": edited}))
    loaded, notice = read_save(path, new_story)
    assert loaded.node == "river" and loaded.vars["rested"] is False and loaded.undo == []
    assert "story version 1; the story is now version 2" in notice


def test_save_from_a_story_edited_without_a_new_version_does_not_name_two_equal_versions(played, tmp_path):
    """A writer's edit that keeps `version:` must not read "made with version 1; the story is now version 1"."""
    story, _, state = played
    path = slot_path("old")
    write_save(path, state, story)
    edited = TINY["story.yaml"].replace("flags: [warned]", "flags: [warned, rested]")
    new_story = load_story(write_story(tmp_path / "same", {**TINY, "story.yaml": edited}))
    assert new_story.version == story.version and new_story.digest != story.digest
    loaded, notice = read_save(path, new_story)
    assert loaded.node == state.node
    assert notice.startswith("This save was made before the story's files last changed (both are version 1). ")
    assert "the story is now version" not in notice


def test_save_from_edited_story_says_which_node_is_gone(played, tmp_path):
    story, engine, state = played
    engine.choose(state, 0)  # to the bank or the caught ending
    path = slot_path("old")
    write_save(path, state, story)
    chapter = TINY["01_river.yaml"].replace("  bank:", "  far_bank:").replace("goto: bank", "goto: far_bank")
    new_story = load_story(write_story(tmp_path / "v2", {**TINY, "01_river.yaml": chapter}))
    if state.node == "bank":
        with pytest.raises(SaveError, match=r"made before the story's files last changed \(both are version 1\), "
                                             "and is at the passage 'bank', which the story no longer has"):
            read_save(path, new_story)
    else:
        assert read_save(path, new_story)[0].node == "caught"


@pytest.mark.parametrize("damage, words", [
    (lambda text: text[:len(text) // 2], "it ends too soon"),                 # a copy that stopped half-way
    (lambda text: text.rstrip()[:-1] + "\n\n", "it ends too soon"),        # the last brace lost
    (lambda text: text.replace('",', '"', 1), "not valid JSON: a comma is missing at line"),
    (lambda text: text.replace('":', '"', 1), "not valid JSON: a colon is missing at line"),
    (lambda text: text + "x", "not valid JSON: more follows the end of the data at line"),
    (lambda text: text.replace('"', "'", 2), "not valid JSON: a name in double quotes was expected at line"),
])
def test_a_damaged_save_says_what_is_wrong_in_plain_words(played, damage, words):
    """A save edited by hand or cut short is named with what is wrong, where, in words (never "at at line")."""
    story, _, state = played
    path = slot_path("hand")
    write_save(path, state, story)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    problem = list_saves()[0].problem
    assert problem.startswith("hand.json is damaged (") and words in problem, problem
    assert " at at " not in problem and "Expecting" not in problem and "delimiter" not in problem
