"""Hostile story files and saves: one clear message every time, and no save ever overwritten.

Each test here is a defect a tester reproduced with the real program (issue 14:
D1 data loss, D2 numbers, D3 saves, D4 recursion, D7 special files, D11, D12); each
fails on the code before the fix. The commands run as a player runs them, in a
subprocess, and the tests assert the exit code, the one message, and that nothing
was lost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, TINY, write_story
from game.engine.engine import Engine
from game.engine.save import (
    AUTOSAVE,
    STALE_TEMP_SECONDS,
    load_save_safely,
    read_info,
    remove_stale_temporaries,
    saves_dir,
    slot_path,
    write_save,
)
from game.errors import StoryError
from game.story.loader import analyse, load_story


def run(*args: str, stdin: str = "", env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO, timeout=timeout, env={**os.environ, **(env or {})})


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


def codes(folder: Path) -> list[str]:
    return [d.code for d in analyse(folder).errors]


# --------------------------------------------------------------------------- D1: a save that cannot be loaded is kept

def _autosave_of(story_dir: Path) -> bytes:
    story = load_story(story_dir)
    engine = Engine(story)
    state = engine.new_game(seed=3)
    write_save(slot_path(AUTOSAVE), state, story)
    return slot_path(AUTOSAVE).read_bytes()


@pytest.mark.parametrize("damage", [
    lambda raw: raw.replace(b'"save_version": 1', b'"save_version": 2'),   # from a newer version of the game
    lambda raw: raw[: len(raw) // 2],                                       # torn
    lambda raw: raw.replace(b'"seed"', b'"seeds"'),                          # damaged inside the state
])
def test_continue_never_overwrites_a_save_it_cannot_load(tiny_story, damage):
    original = damage(_autosave_of(tiny_story))
    slot_path(AUTOSAVE).write_bytes(original)
    result = run("play", "--story", str(tiny_story), "--text", "--continue", stdin="3\n")
    no_traceback(result)
    kept = list((saves_dir() / "unreadable").glob("autosave.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert str(kept[0]) in result.stdout and "will not overwrite it" in result.stdout
    # The new journey autosaved into the freed slot, and the old one is untouched beside it.
    assert json.loads(slot_path(AUTOSAVE).read_text())["state"]["step"] == 1


def test_a_save_that_cannot_be_moved_aside_is_not_written_over(tiny_story):
    original = b'{"format": "escape-route-save", "save_version": 1, "state": 7}'
    slot_path(AUTOSAVE).parent.mkdir(parents=True, exist_ok=True)
    slot_path(AUTOSAVE).write_bytes(original)
    (saves_dir() / "unreadable").write_text("a file where the folder would go")  # so the move fails
    result = run("play", "--story", str(tiny_story), "--text", "--continue", stdin="3\n")
    no_traceback(result)
    assert slot_path(AUTOSAVE).read_bytes() == original
    assert "could not be moved aside" in result.stdout and "could not be saved" in result.stdout
    assert "Your journey is saved" not in result.stdout


# --------------------------------------------------------------------------- D11: no false "saved"

def test_quitting_after_a_failed_autosave_does_not_say_saved(tiny_story, private_data_dir):
    (private_data_dir / "saves").write_text("not a folder: every autosave fails")
    result = run("play", "--story", str(tiny_story), "--text", stdin="")
    no_traceback(result)
    assert "Could not autosave" in result.stdout
    assert "Your journey is saved" not in result.stdout and "could not be saved" in result.stdout


# --------------------------------------------------------------------------- D2: numbers

@pytest.mark.parametrize("replace, where", [
    (("start: 300,", "start: .nan,"), ("story.yaml", 7)),
    (("start: 300,", "start: .inf,"), ("story.yaml", 7)),
    (("start: 300,", "start: -.inf,"), ("story.yaml", 7)),
    (("start: 300,", "start: 1.0e+400,"), ("story.yaml", 7)),
    (("start: 300,", "start: 6.02e+23,"), ("story.yaml", 7)),
    (("cash: -150,", "cash: -" + "9" * 400 + ","), ("01_river.yaml", 12)),
])
def test_numbers_no_story_can_play_with_are_errors_at_check(tmp_path, replace, where):
    files = dict(TINY)
    name = where[0]
    files[name] = files[name].replace(*replace)
    folder = write_story(tmp_path / "s", files)
    errors = analyse(folder).errors
    assert [(d.code, Path(d.span.file).name, d.span.line) for d in errors] == [("ER008", *where)]
    result = run("play", "--story", str(folder), "--text", stdin="1\n")
    no_traceback(result)
    assert result.returncode == 1 and "error" in result.stderr


@pytest.mark.parametrize("field, text", [
    ("if", "cash >= " + "9" * 400),
    ("chance", "0.5 + " + "9" * 30),
    ("text", "{if cash > " + "1" * 20 + "}Rich.{end}"),
])
def test_huge_numbers_in_expressions_are_errors_at_check(tmp_path, field, text):
    files = dict(TINY)
    river = files["01_river.yaml"]
    if field == "if":
        river = river.replace("if: cash >= 150", f"if: {text}")
    elif field == "chance":
        river = river.replace("chance: 0.5", f'chance: "{text}"')
    else:
        river = river.replace("text: Safe on the far bank with {cash}.", f'text: "{text}"')
    folder = write_story(tmp_path / "s", {**files, "01_river.yaml": river})
    diagnostics = analyse(folder).errors
    assert diagnostics and all("too large" in d.message for d in diagnostics), diagnostics


def test_a_preset_that_is_not_a_finite_number_is_refused_in_one_line(tiny_story):
    for value in ("1.0e999", "nan", "inf", "9" * 5000):
        result = run("play", "--story", str(tiny_story), "--text", "--set", f"cash={value}")
        no_traceback(result)
        assert result.returncode == 1 and f"--set cash={value[:20]}" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_expression_that_overflows_at_play_gives_nothing_rather_than_a_crash(tmp_path):
    files = dict(TINY)
    product = " * ".join(["cash"] * 22)  # (10^15)^22 is an integer too large for a float
    files["01_river.yaml"] = files["01_river.yaml"].replace("chance: 0.5", f'chance: "{product} / 2.5"')
    story = load_story(write_story(tmp_path / "s", files))
    engine = Engine(story)
    state = engine.new_game(seed=1)
    state.vars["cash"] = 10**15  # as --set cash=1000000000000000 would
    view = engine.view(state)
    assert view.choices[0].risk is not None and view.choices[0].risk.chance == 0
    engine.choose(state, 0)


# --------------------------------------------------------------------------- D4: nesting

@pytest.mark.parametrize("depth", [300, 1200])
def test_deeply_nested_text_tags_are_an_error_at_check_not_at_play(tmp_path, depth):
    files = dict(TINY)
    text = "{if true}" * depth + "deep" + "{end}" * depth
    files["01_river.yaml"] = files["01_river.yaml"].replace("text: Safe on the far bank with {cash}.",
                                                            f'text: "{text}"')
    folder = write_story(tmp_path / "s", files)
    assert codes(folder) == ["ER034"]
    assert "nested more than 32" in analyse(folder).errors[0].message


def test_a_deeply_nested_condition_is_an_error_at_check(tmp_path):
    files = dict(TINY)
    files["01_river.yaml"] = files["01_river.yaml"].replace("if: cash >= 150", 'if: "' + "not " * 499 + 'true"')
    folder = write_story(tmp_path / "s", files)
    errors = analyse(folder).errors
    assert [d.code for d in errors] == ["ER031"] and "nested more than 32" in errors[0].message
    long_sum = " + ".join(["cash"] * 400)
    files["01_river.yaml"] = TINY["01_river.yaml"].replace("if: cash >= 150", f'if: "{long_sum} > 0"')
    assert [d.code for d in analyse(write_story(tmp_path / "t", files)).errors] == ["ER031"]


# --------------------------------------------------------------------------- D3: saves checked against the story

def _save_with(tiny_story: Path, change) -> Path:
    story = load_story(tiny_story)
    engine = Engine(story)
    state = engine.new_game(seed=2)
    engine.choose(state, 2)
    path = slot_path("x")
    write_save(path, state, story)
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def _set_in(keys, value):
    def change(data):
        target = data
        for key in keys[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[keys[-1]]
        else:
            target[keys[-1]] = value
    return change


_DELETE = object()


@pytest.mark.parametrize("change, words", [
    (_set_in(["state", "vars", "cash"], _DELETE), "no number for 'cash'"),
    (_set_in(["state", "vars", "cash"], "300"), "not a number"),
    (_set_in(["state", "vars", "cash"], -5), "outside what the story allows"),
    (_set_in(["state", "vars", "cash"], 10**20), "outside what the story allows"),
    (_set_in(["state", "vars", "warned"], 1), "no true/false value for 'warned'"),
    (_set_in(["state", "vars", "invented"], 3), "does not declare"),
    (_set_in(["state", "items"], ["phone", "rocket"]), "item 'rocket'"),
    (_set_in(["state", "journal"], [1]), "not an entry"),
    (_set_in(["state", "journal"], [{"node": "river", "text": "not a list"}]), "list of paragraphs"),
    (_set_in(["state", "node"], "nowhere"), "does not have"),
    (_set_in(["state", "visits"], {"nowhere": 1}), "visit counts"),
    (_set_in(["state", "undo"], [{"node": "river", "vars": {"cash": "x"}, "items": [], "visits": {}, "rng": "0:0",
                                  "step": 0, "journal_len": 0}]), "point to go back to"),
])
def test_a_save_that_does_not_fit_the_story_is_refused_with_a_reason(tiny_story, change, words):
    path = _save_with(tiny_story, change)
    story = load_story(tiny_story)
    state, message = load_save_safely(path, story)
    assert state is None and words in message, message


@pytest.mark.parametrize("text", [
    lambda raw: raw.replace('"seed": 2', '"seed": ' + "7" * 5000),        # an integer too long to read
    lambda raw: raw.replace('"cash": 300', '"cash": NaN'),
    lambda raw: raw.replace('"cash": 300', '"cash": Infinity'),
    lambda raw: "\ufeff" + raw.replace('"seed": 2', '"seed": 2.5'),
])
def test_numbers_json_should_not_hold_are_refused(tiny_story, text):
    path = _save_with(tiny_story, lambda d: None)
    path.write_text(text(path.read_text()))
    state, message = load_save_safely(path, load_story(tiny_story))
    assert state is None and "damaged" in message


def test_a_save_with_a_bom_loads(tiny_story):
    path = _save_with(tiny_story, lambda d: None)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    state, message = load_save_safely(path, load_story(tiny_story))
    assert state is not None and message == ""


def test_a_save_dated_in_the_far_future_still_lists_and_the_window_starts(tiny_story):
    path = _save_with(tiny_story, _set_in(["saved_at"], 1e300))
    info = read_info(path)
    assert info.problem == "" and 0 <= info.saved_at <= 4102444800
    time.strftime("%d %b, %H:%M", time.localtime(info.saved_at))  # what the title screen does with it
    path2 = _save_with(tiny_story, _set_in(["summary", "day"], 1e300))
    assert read_info(path2).day == 0


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8)


def _paths(value, prefix=()):
    """Every place in a JSON document where a value could be put."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_in_any_field_of_a_save_loads_or_is_refused_with_a_reason(tiny_story, data):
    story = load_story(tiny_story)
    engine = Engine(story)
    state = engine.new_game(seed=2)
    engine.choose(state, 2)
    path = slot_path("prop")
    write_save(path, state, story)
    document = json.loads(path.read_text())
    places = [p for p in _paths(document) if p]
    where = data.draw(st.sampled_from(places))
    value = data.draw(_JSON)
    target = document
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    path.write_text(json.dumps(document))
    loaded, message = load_save_safely(path, story)
    read_info(path) if path.exists() else None
    if loaded is None:
        assert message
        return
    # What loaded is trusted from here on: the engine can show and play it.
    view = engine.view(loaded)
    for choice in view.choices:
        if choice.available:
            engine.choose(loaded.copy(), choice.index)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_random_bytes_as_a_save_are_refused_with_a_reason(tiny_story, raw):
    story = load_story(tiny_story)
    path = slot_path("bytes")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    assert read_info(path).problem
    state, message = load_save_safely(path, story)
    assert state is None and message


# --------------------------------------------------------------------------- D7: things that are not files

def _within(seconds: float, fn):
    """Run fn in a thread; fail (rather than hang the suite) if it does not return in time."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.update(result=fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "it blocked"
    return box["result"]


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_save_that_is_not_a_regular_file_is_refused_at_once(tiny_story, kind):
    path = slot_path(AUTOSAVE)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    story = load_story(tiny_story)
    assert _within(5, lambda: read_info(path)).problem
    state, message = _within(5, lambda: load_save_safely(path, story))
    assert state is None and ("not a save" in message or "folder" in message), message


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_chapter_that_is_not_a_regular_file_is_one_error(tmp_path, kind):
    folder = write_story(tmp_path / "s", TINY)
    odd = folder / "02_odd.yaml"
    if kind == "fifo":
        os.mkfifo(odd)
    else:
        odd.symlink_to("/dev/zero")
    errors = _within(10, lambda: analyse(folder).errors)
    assert [(d.code, Path(d.span.file).name) for d in errors] == [("ER007", "02_odd.yaml")]
    assert ("named pipe" if kind == "fifo" else "device") in errors[0].message


# --------------------------------------------------------------------------- D12

def test_stale_temporary_files_are_removed_on_the_next_start(tiny_story):
    folder = saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / f".autosave.json.{os.getpid()}.k2j3h4.tmp"     # a writer still running, but long ago
    young = folder / f".autosave.json.{os.getpid()}.zz9.tmp"      # a writer still running, now
    dead = folder / ".autosave.json.999999999.x1.tmp"            # a writer that is gone
    for p in (old, young, dead):
        p.write_text("{")
    past = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(old, (past, past))
    result = run("play", "--story", str(tiny_story), "--text", stdin="")
    no_traceback(result)
    assert not old.exists() and not dead.exists()
    assert young.exists()  # a young one whose writer runs may be another copy of the game writing
    assert remove_stale_temporaries(folder) == []


def test_an_empty_start_is_an_error(tmp_path):
    files = dict(TINY)
    files["story.yaml"] = files["story.yaml"].replace("start: river", "start: ''")
    errors = analyse(write_story(tmp_path / "s", files)).errors
    assert [(d.code, d.span.line) for d in errors] == [("ER014", 4)] and "'start' is empty" in errors[0].message


def test_thousands_of_broken_gotos_look_for_a_close_match_a_bounded_number_of_times(tmp_path, monkeypatch):
    from game.story import check

    nodes = "\n".join(f"  n{i}:\n    text: x\n    choices:\n      - text: go\n        goto: missing_{i}" for i in range(2000))
    files = {**TINY, "02_many.yaml": f"nodes:\n{nodes}\n"}
    calls = []
    real = check.did_you_mean
    monkeypatch.setattr(check, "did_you_mean", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    errors = analyse(write_story(tmp_path / "s", files)).errors
    assert sum(d.code == "ER020" for d in errors) == 2000
    assert len(calls) == check.MAX_SUGGESTIONS


def test_the_story_error_type_is_what_callers_catch():
    assert issubclass(__import__("game.errors").errors.DataFileError, StoryError)
