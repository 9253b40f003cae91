"""Hostile playtest notes and settings files: a bad note is skipped with a line naming it, bad settings give
the defaults and one notice; never a traceback, a hang, or a window the size of a wall.

Cases that could hang or eat memory on a regression (a FIFO, ``/dev/zero``) run in a
forked child with a time limit and capped memory (``in_child`` from test_hostile_records).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_records import JSON_VALUES, dumps, field_paths, in_child, put

from conftest import TINY, write_story
from game.engine.engine import Engine
from game.errors import StoryError
from game.story.loader import load_story
from game.ui.settings import TEXT_SIZES, TEXT_SPEEDS, Settings, load_settings
from game.writer.notes import add_note, cmd_notes, read_notes, state_from_note

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def tiny(tmp_path):
    return load_story(write_story(tmp_path / "tiny", TINY))


@pytest.fixture
def noted(tiny, tmp_path):
    """A notes file with two good notes (the second after a choice); returns (story, path, notes)."""
    path = tmp_path / "notes.jsonl"
    engine = Engine(tiny)
    state = engine.new_game(seed=5)
    first = add_note(tiny, state, "The river is too easy.", path)
    engine.choose(state, 2)
    second = add_note(tiny, state, "The wait is too cheap.", path)
    second["id"] = first["id"] + "b"  # two notes in one millisecond would share an id
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = json.dumps(second)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tiny, path, [first, second]


def notes_args(path: Path, as_json: bool = False) -> Any:
    import argparse

    return argparse.Namespace(file=path, json=as_json)


# --------------------------------------------------------------------------- D8: notes


def test_a_note_whose_file_is_a_number_is_skipped_and_the_list_still_prints(noted, capsys):
    _, path, notes = noted
    bad = dict(notes[0], id="bad1", file=5)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(bad) + "\n")
    assert cmd_notes(notes_args(path)) == 0
    out, err = capsys.readouterr()
    assert f"{path}:3: note bad1: 'file' is not text; the note was skipped" in err
    assert notes[0]["id"] in out and notes[1]["id"] in out and "[bad1]" not in out and "skipped" not in out
    assert cmd_notes(notes_args(path, as_json=True)) == 0
    out, err = capsys.readouterr()
    listed = json.loads(out)  # the whole of stdout is the JSON; the skipped line is said on stderr
    assert "the note was skipped" in err
    assert [n["id"] for n in listed] == [notes[0]["id"], notes[1]["id"]]


def test_deep_nesting_in_a_notes_file_is_one_damaged_line(noted, capsys):
    _, path, notes = noted
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("[" * 100_000 + "]" * 100_000 + "\n")
        handle.write(json.dumps(dict(notes[0], id="deep", state={"a": json.loads("[" * 70 + "]" * 70)})) + "\n")
    loaded, problems = read_notes(path)
    assert [n["id"] for n in loaded] == [notes[0]["id"], notes[1]["id"]]
    assert problems[0] == f"{path}:3: not a note (damaged line skipped)"
    assert problems[1].startswith(f"{path}:4: note deep:") and "nests too deeply" in problems[1]


@pytest.mark.parametrize("bad_id", [5, None, ["x"], {"a": 1}, True, "", "a\nb"])
def test_a_note_whose_id_is_not_text_does_not_break_from_note(noted, bad_id):
    story, path, notes = noted
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(dict(notes[0], id=bad_id)) + "\n")
    loaded, problems = read_notes(path)
    assert len(loaded) == 2 and len(problems) == 1 and "'id'" in problems[0] and "skipped" in problems[0]
    with pytest.raises(StoryError, match="there is no playtest note 'nope'"):
        state_from_note("nope", story, path)
    state, _ = state_from_note(notes[1]["id"], story, path)
    assert state.to_dict() == notes[1]["state"]


def test_from_note_on_the_command_line_with_a_bad_id_in_the_file(noted, private_data_dir, capsys):
    from game.cli import main

    story, path, notes = noted
    (private_data_dir / "notes.jsonl").write_text(path.read_text(encoding="utf-8") + json.dumps(
        dict(notes[0], id=7)) + "\n", encoding="utf-8")
    assert main(["play", "--story", str(story.root), "--from-note", "missing", "--text"]) == 1
    assert "there is no playtest note 'missing'" in capsys.readouterr().err


@pytest.mark.parametrize("field, value, words", [
    ("text", 5, "'text' is not text"), ("node", ["river"], "'node' is not text"),
    ("line", "three", "'line' is not a whole number"), ("line", 10**40, "'line' is out of range"),
    ("time", "today", "'time' is not a number"), ("seed", 1.5, "'seed' is not a whole number"),
    ("state", [], "'state' is not a mapping"), ("text", "\ud800", "'text' is not text"),
])
def test_each_field_of_a_note_is_checked(noted, field, value, words):
    _, path, notes = noted
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(dict(notes[0], id="odd", **{field: value})) + "\n")
    loaded, problems = read_notes(path)
    assert len(loaded) == 2
    assert problems == [f"{path}:3: note odd: {words}; the note was skipped"]


def test_a_note_with_an_infinite_resource_is_skipped(noted):
    _, path, notes = noted
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(dict(notes[0], id="inf")).replace('"cash": 300', '"cash": 1e999', 1) + "\n")
    loaded, problems = read_notes(path)
    # 1e999 is refused as the line is read (JSON numbers too large for a float are damage).
    assert len(loaded) == 2 and problems == [f"{path}:3: not a note (damaged line skipped)"]


def test_a_notes_file_with_a_byte_order_mark_and_a_bad_byte_keeps_its_good_notes(noted):
    _, path, notes = noted
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\xef\xbb\xbf" + lines[0] + b"\n\xff\xfe{\n" + lines[1] + b"\n")
    loaded, problems = read_notes(path)
    assert [n["id"] for n in loaded] == [notes[0]["id"], notes[1]["id"]]
    assert problems == [f"{path}:2: not a note (damaged line skipped)"]


def test_thousands_of_bad_lines_are_fifty_problem_lines_and_a_count(noted):
    _, path, notes = noted
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("garbage\n" * 3000)
    loaded, problems = read_notes(path)
    assert len(loaded) == 2 and len(problems) == 51
    assert problems[-1] == f"{path}: … and 2,950 more lines skipped like these"


def test_no_notes_file_is_no_notes_and_no_problem(tmp_path):
    assert read_notes(tmp_path / "none.jsonl") == ([], [])


def _read_notes(path: str) -> tuple[int, list[str]]:
    notes, problems = read_notes(Path(path))
    return len(notes), problems


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_notes_file_that_is_a_fifo_dev_zero_or_a_folder_is_one_problem_at_once(tmp_path, kind):
    path = tmp_path / "notes.jsonl"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    status, value, took = in_child(_read_notes, str(path))
    assert status == "ok", value
    count, problems = value
    assert count == 0 and len(problems) == 1 and took < 1.0
    assert {"fifo": "named pipe", "zero": "device", "folder": "folder"}[kind] in problems[0]


# --------------------------------------------------------------------------- D6: settings


def test_a_five_thousand_digit_text_size_gives_the_defaults_and_a_notice(private_data_dir):
    (private_data_dir / "settings.json").write_text('{"text_size": ' + "9" * 5000 + "}")
    settings_, notice = load_settings()
    assert settings_ == Settings() and "settings file was damaged" in notice
    assert "\n" not in notice


@pytest.mark.parametrize("window, kept", [
    ([16384, 16384], False), ([7681, 1000], False), ([1000, 4321], False), ([7680, 4320], True),
    ([320, 320], True), ([319, 600], False), ([1e3, 700], False), ([1280, 760, 1], False), ("1280x760", False),
])
def test_the_window_is_bounded_to_a_sane_size(private_data_dir, window, kept):
    (private_data_dir / "settings.json").write_text(json.dumps({"window": window, "high_contrast": True}))
    settings_, notice = load_settings()
    assert notice == "" and settings_.high_contrast
    assert settings_.window == (tuple(window) if kept else Settings().window)


def test_a_settings_file_with_a_byte_order_mark_is_read(private_data_dir):
    (private_data_dir / "settings.json").write_bytes(b"\xef\xbb\xbf" + json.dumps({"text_size": "large"}).encode())
    assert load_settings() == (Settings(text_size="large"), "")


def _load_settings(path: str) -> tuple[Settings, str]:
    return load_settings(Path(path))


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_settings_file_that_is_a_fifo_dev_zero_or_a_folder_gives_the_defaults_at_once(tmp_path, kind):
    path = tmp_path / "settings.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    status, value, took = in_child(_load_settings, str(path))
    assert status == "ok", value
    settings_, notice = value
    assert settings_ == Settings() and took < 1.0
    assert "settings" in notice and "defaults" in notice and "\n" not in notice


# --------------------------------------------------------------------------- properties


GOOD_SETTINGS = {"text_size": "large", "text_speed": "fast", "fullscreen": False, "high_contrast": True,
                 "reduced_motion": False, "window": [1280, 760]}
SETTINGS_PLACES = field_paths(GOOD_SETTINGS)


def valid(settings_: Settings) -> bool:
    w, h = settings_.window
    return (settings_.text_size in TEXT_SIZES and settings_.text_speed in TEXT_SPEEDS
            and all(isinstance(v, bool) for v in (settings_.fullscreen, settings_.high_contrast,
                                                  settings_.reduced_motion))
            and type(w) is int and type(h) is int and 320 <= w <= 7680 and 320 <= h <= 4320)


@PROPERTY
@given(place=st.sampled_from(SETTINGS_PLACES), value=JSON_VALUES)
def test_any_json_in_any_settings_field_gives_valid_settings(private_data_dir, place, value):
    data = json.loads(json.dumps(GOOD_SETTINGS))
    put(data, place, value)
    (private_data_dir / "settings.json").write_text(dumps(data), encoding="utf-8")
    settings_, notice = load_settings()
    assert valid(settings_) and isinstance(notice, str) and "\n" not in notice


@PROPERTY
@given(data=st.binary(max_size=300) | JSON_VALUES.map(lambda v: dumps(v).encode("utf-8", "surrogatepass")))
def test_any_bytes_as_settings_give_valid_settings(private_data_dir, data):
    (private_data_dir / "settings.json").write_bytes(data)
    settings_, notice = load_settings()
    assert valid(settings_) and isinstance(notice, str)


@pytest.fixture(scope="module")
def note_example(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notes")
    story = load_story(write_story(folder / "tiny", TINY))
    engine = Engine(story)
    state = engine.new_game(seed=5)
    engine.choose(state, 2)
    return story, add_note(story, state, "A note.", folder / "example.jsonl")


def consume_notes(story, path: Path) -> None:  # noqa: ANN001
    """What reads notes: the listing, the JSON listing, and --from-note for every note that loaded."""
    notes, problems = read_notes(path)
    assert all(isinstance(p, str) and "\n" not in p for p in problems)
    cmd_notes(notes_args(path))
    cmd_notes(notes_args(path, as_json=True))
    for note in notes:
        try:
            state, _ = state_from_note(note["id"], story, path)
        except StoryError:
            continue
        engine = Engine(story)
        engine.view(state)
        if engine.can_rollback(state)[0]:
            engine.rollback(state)
            engine.view(state)


@PROPERTY
@given(data=st.data(), value=JSON_VALUES)
def test_any_json_in_any_field_of_a_note_is_loaded_or_skipped(note_example, tmp_path, capsys, data, value):
    story, example = note_example
    note = json.loads(json.dumps(example))
    place = data.draw(st.sampled_from(field_paths(note)))
    put(note, place, value)
    path = tmp_path / "notes.jsonl"
    path.write_text(json.dumps(example) + "\n" + dumps(note) + "\n", encoding="utf-8", errors="surrogatepass")
    consume_notes(story, path)
    capsys.readouterr()


@PROPERTY
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_notes_file_are_loaded_or_skipped(note_example, tmp_path, capsys, data):
    story, _ = note_example
    path = tmp_path / "notes.jsonl"
    path.write_bytes(data)
    consume_notes(story, path)
    capsys.readouterr()
