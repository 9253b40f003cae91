"""Hot reload keeps the journey, reports errors without losing the old story, and re-parses only edits."""

from __future__ import annotations

import os
import sys
import time

from conftest import REPO, TINY, write_story
from game.engine.engine import Engine
from game.story import loader
from game.writer.reload import StoryReloader, carry_over


def touch_later(path, text):
    path.write_text(text)
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


def test_edit_is_picked_up_and_the_journey_continues(tmp_path):
    folder = write_story(tmp_path / "s", TINY)
    reloader = StoryReloader(folder)
    story = reloader.load().story
    engine = Engine(story)
    state = engine.new_game(seed=1)
    engine.choose(state, 2)
    assert reloader.poll() is None
    touch_later(folder / "01_river.yaml", TINY["01_river.yaml"].replace("The water is cold.", "The water is icy."))
    result = reloader.poll()
    assert result.story is not None and result.errors == []
    assert carry_over(state, result.story) == ""
    assert Engine(result.story).view(state).paragraphs[1] == "The water is icy."
    assert state.vars["days"] == 7


def test_broken_edit_keeps_the_old_story_and_lists_errors(tmp_path):
    folder = write_story(tmp_path / "s", TINY)
    reloader = StoryReloader(folder)
    reloader.load()
    touch_later(folder / "01_river.yaml", TINY["01_river.yaml"].replace("goto: bank", "goto: bnak", 1))
    result = reloader.poll()
    assert result.story is None
    assert [d.code for d in result.errors] == ["ER020"]
    assert "still playing the previous version" in result.message


def test_a_removed_node_is_reported(tmp_path):
    folder = write_story(tmp_path / "s", TINY)
    reloader = StoryReloader(folder)
    story = reloader.load().story
    state = Engine(story).new_game(seed=1)
    edited = TINY["01_river.yaml"].replace("  river:", "  shore:").replace("goto: river", "goto: shore")
    touch_later(folder / "01_river.yaml", edited)
    touch_later(folder / "story.yaml", TINY["story.yaml"].replace("start: river", "start: shore"))
    result = reloader.poll()
    assert "'river' is gone" in carry_over(state, result.story)


def test_only_the_changed_chapter_is_parsed_and_built_again(tmp_path, monkeypatch):
    sys.path.insert(0, str(REPO / "tools"))
    from genstory import generate

    folder = write_story(tmp_path / "big", generate(2000, 10, seed=3))
    reloader = StoryReloader(folder)
    reloader.load()
    parsed, built = [], []
    real_parse, real_build = loader.parse_yaml, loader._Builder.build_node
    monkeypatch.setattr(loader, "parse_yaml", lambda name, raw: parsed.append(name) or real_parse(name, raw))
    monkeypatch.setattr(loader._Builder, "build_node",
                        lambda self, node_id, *a: built.append(node_id) or real_build(self, node_id, *a))
    path = folder / "03_part.yaml"
    touch_later(path, path.read_text().replace("Day {days}.", "Day {days}!", 1))
    assert reloader.poll().story is not None
    assert [os.path.basename(p) for p in parsed] == ["03_part.yaml"]
    assert built and all(int(n[1:]) in range(400, 600) for n in built if n.startswith("n"))


def test_notes_keep_the_moment_and_replay_it(tmp_path):
    import io
    import json
    import subprocess

    from game.story.loader import load_story
    from game.textui import run_text
    from game.writer.notes import add_note, read_notes, state_from_note

    folder = write_story(tmp_path / "s", TINY)
    story = load_story(folder)
    engine = Engine(story)
    state = engine.new_game(seed=5)
    engine.choose(state, 2)
    note = add_note(story, state, "  The wait  is too cheap. ")
    assert note["text"] == "The wait is too cheap." and note["line"] == 3 and note["file"].endswith("01_river.yaml")
    again, notice = state_from_note(note["id"], story)
    assert notice == "" and again.to_dict() == state.to_dict()
    out = io.StringIO()
    run_text(story, None, False, stdin=io.StringIO("1\n"), stdout=out, state=again)
    assert "You have ¥300. You were warned." in out.getvalue()
    with open(tmp_path / "userdata.jsonl", "w") as handle:
        handle.write('{"torn": ')
    listing = subprocess.run([sys.executable, "-m", "game", "notes", "--json"], capture_output=True, text=True,
                             cwd=REPO, timeout=60)
    assert [n["id"] for n in json.loads(listing.stdout)] == [note["id"]]
    notes, problems = read_notes()
    assert len(notes) == 1 and problems == []
