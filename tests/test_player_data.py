"""The player's journeys are never lost nor muddled: the player trial's findings on saves, as she met them.

1. Two copies of the game on one data folder: the second refuses to start (two real
   processes), and a journey another copy autosaved is kept, never replaced.
2. The endings gallery's own file is not listed as a broken save.
3. Save labels are shown in the language spoken now, not the one they were made in.
4. Loading a slot that holds exactly the autosaved point makes no duplicate "Kept journey".
5. A folder that cannot be written: one notice, in the player's language, and a
   journey that could not be kept is never written over.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest
from test_real_window import display as x_display  # noqa: F401 - a private X server, as the window tests use
from test_real_window import xdotool

from conftest import REPO, STORY, TINY, write_story
from game import l10n
from game.engine import save as save_module
from game.engine.history import from_state, history_path, record
from game.engine.save import AUTOSAVE, KEPT_PREFIX, list_saves, read_info, slot_path, write_autosave
from game.files import LockHeld, hold_lock
from game.story.loader import load_story
from game.ui.app import App
from game.ui.settings import Settings, save_settings

FRAME = 1 / 60
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture
def story(tmp_path):
    return load_story(write_story(tmp_path / "tiny", TINY))


@pytest.fixture
def make_app(make_app):  # noqa: F811 - conftest's factory, with this file's defaults
    def make(story, **kw) -> App:  # noqa: ANN003
        save_settings(Settings().changed(text_speed="instant", **kw.pop("settings", {})))
        kw.setdefault("writer", False)
        return make_app(story, **kw)

    return make


def frames(app: App, seconds: float, events: list | None = None) -> None:
    for i in range(max(1, round(seconds / FRAME))):
        app.step(events=list(events or []) if i == 0 else [], dt=FRAME)


def tap(app: App, key: int, wait: float = 0.5) -> None:
    """Wait as a person does, then press and release a key (the events SDL sends)."""
    frames(app, wait)
    frames(app, 0.08, [pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)])
    frames(app, FRAME, [pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)])


def kept_saves() -> list:
    return [info for info in list_saves() if info.slot.startswith(KEPT_PREFIX)]


def load_menu(app: App) -> list[str]:
    tap(app, pygame.K_F9)
    assert app.stack.top.name == "saves"
    return [item.label for item in app.stack.top.menu.items]


# --------------------------------------------------------------------------- 1. two copies


def game_process(story: Path, data: Path, *args: str, lang: str = "en", display: str = "") -> subprocess.Popen:
    env = {**os.environ, "ESCAPE_ROUTE_DATA_DIR": str(data), "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(REPO),
           **({"DISPLAY": display} if display else {"SDL_VIDEODRIVER": "dummy"})}
    if display:
        env.pop("SDL_VIDEODRIVER", None)
    command = [sys.executable, "-m", "game", "--lang", lang, "play", "--story", str(story), *args]
    return subprocess.Popen(command, env=env, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(test, seconds: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_second_copy_on_the_same_data_folder_refuses_to_start_and_says_why(tiny_story, private_data_dir):
    first = game_process(tiny_story, private_data_dir, "--start", "river", "--seed", "2")
    try:
        wait_for(lambda: slot_path(AUTOSAVE).is_file())
        journey = slot_path(AUTOSAVE).read_bytes()
        for args in (("--start", "river", "--seed", "5"), ("--text", "--seed", "5")):  # window or terminal
            second = game_process(tiny_story, private_data_dir, *args)
            out, err = second.communicate("1\n", timeout=60)
            assert second.returncode == 1, (out, err)
            assert "Another copy of the game is already open" in err and str(private_data_dir) in err
            assert "Close the other copy" in err and "Traceback" not in err
            assert slot_path(AUTOSAVE).read_bytes() == journey and not kept_saves()
        korean = game_process(tiny_story, private_data_dir, "--text", lang="ko")
        _out, err = korean.communicate("1\n", timeout=60)
        assert korean.returncode == 1 and "게임이 이미 하나 열려 있고" in err and str(private_data_dir) in err
        assert first.poll() is None  # the first copy plays on
    finally:
        first.kill()
        first.wait(timeout=30)
    # The lock died with the process (killed, not closed): the game starts again at once.
    again = game_process(tiny_story, private_data_dir, "--text", "--continue")
    out, err = again.communicate("q\n", timeout=60)
    assert "Another copy" not in err and "Continuing your saved journey" in out


def test_on_a_screen_the_second_copy_says_it_in_a_window(tiny_story, private_data_dir, x_display, tmp_path):  # noqa: F811
    """With a real X display, the refusal is a window the player sees, closed by a key; then the copy exits."""
    display = x_display
    first = game_process(tiny_story, private_data_dir, "--start", "river", display=display)
    second = None
    try:
        wait_for(lambda: slot_path(AUTOSAVE).is_file())
        second = game_process(tiny_story, private_data_dir, "--start", "river", display=display)
        env = {**os.environ, "DISPLAY": display}
        window = ""
        deadline = time.monotonic() + 60
        while not window and time.monotonic() < deadline:
            window = xdotool(env, "search", "--onlyvisible", "--pid", str(second.pid))
            time.sleep(0.2)
        assert window, "no window said why the second copy does not start"
        window = window.splitlines()[0]
        time.sleep(0.5)
        shot = tmp_path / "refused.png"
        subprocess.run(["import", "-display", display, "-window", window, str(shot)], check=True, timeout=30)
        if os.environ.get("ESCAPE_ROUTE_WINDOW_SHOT"):  # to look at it: a path to copy the screenshot to
            shutil.copy(shot, os.environ["ESCAPE_ROUTE_WINDOW_SHOT"])
        image = pygame.image.load(str(shot))
        assert image.get_width() >= 600 and len({tuple(image.get_at((x, y))[:3]) for x in range(0, 600, 7)
                                                 for y in range(0, image.get_height(), 7)}) > 3  # text drawn
        assert second.poll() is None  # it waits for the player to read it
        xdotool(env, "key", "--window", window, "Return")
        _out, err = second.communicate(timeout=30)
        assert second.returncode == 1 and "Another copy of the game is already open" in err
        assert first.poll() is None
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)


def test_the_lock_is_per_process_and_dies_with_its_holder(tmp_path):
    path = tmp_path / "data" / "x.lock"
    with hold_lock(path) as held, hold_lock(path):  # one process asking twice holds it twice
        assert held.path == path.resolve()
        child = [sys.executable, "-c", "import sys; from game.files import hold_lock, LockHeld\n"
                 "try:\n hold_lock(sys.argv[1])\nexcept LockHeld:\n sys.exit(3)", str(path)]
        assert subprocess.run(child, cwd=REPO, timeout=60).returncode == 3
    # Another process holds it: this one is refused, then gets it once that process is killed.
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from game.files import hold_lock\n"
                               "hold_lock(sys.argv[1]); print('held', flush=True); sys.stdin.read()", str(path)],
                              cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld):
            hold_lock(path)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    held = hold_lock(path)  # the kernel let go of it with the process
    held.release()
    held.release()  # twice is harmless


def test_a_journey_another_copy_autosaved_is_kept_not_replaced(story, make_app):
    """The trial, in one process: copy A continues, copy B starts a new journey and plays, then A chooses."""
    first = make_app(story, skip_title=True)
    tap(first, pygame.K_3)  # A: a week waited
    a_journey = json.loads(slot_path(AUTOSAVE).read_text())["state"]
    second = make_app(story, skip_title=True, seed=9)  # B: a new journey; A's is kept, as before
    assert [json.loads(k.path.read_text())["state"] for k in kept_saves()] == [a_journey]
    tap(second, pygame.K_3)
    tap(second, pygame.K_3)
    b_journey = json.loads(slot_path(AUTOSAVE).read_text())["state"]
    assert b_journey["step"] == 2
    tap(first, pygame.K_3)  # one choice in A: its autosave must not silently replace B's journey
    kept = [json.loads(k.path.read_text())["state"] for k in kept_saves()]
    assert b_journey in kept and a_journey in kept
    assert json.loads(slot_path(AUTOSAVE).read_text())["state"]["step"] == 2  # A's own, one choice on
    assert any("Another copy of the game" in text for text, _age in first.toasts)
    # And from now on A's autosaves follow each other without keeping anything more.
    tap(first, pygame.K_3)
    assert len(kept_saves()) == 2


def test_the_autosave_is_replaced_only_while_it_holds_this_journey(story, tmp_path):
    from game.engine.engine import Engine

    engine = Engine(story)
    state = engine.new_game(seed=3)
    engine.choose(state, 2)
    done = write_autosave(state, story, None)
    assert done.kept is None and done.journey and read_info(slot_path(AUTOSAVE)).journey == done.journey
    engine.choose(state, 2)
    again = write_autosave(state, story, done.journey)
    assert again.journey == done.journey and again.kept is None and not kept_saves()
    # A save made before journey ids (no "journey"): continuing it adopts it, and the next autosave names it.
    data = json.loads(slot_path(AUTOSAVE).read_text())
    del data["journey"]
    slot_path(AUTOSAVE).write_text(json.dumps(data))
    legacy = write_autosave(state, story, read_info(slot_path(AUTOSAVE)).journey)
    assert legacy.kept is None and legacy.journey and not kept_saves()


# --------------------------------------------------------------------------- 2. the endings file


def test_the_endings_gallery_file_is_not_listed_as_a_save(story, make_app):
    app = make_app(story, skip_title=True)
    from game.engine.engine import Engine

    ended = Engine(story).new_game(seed=2)
    ended.node = "bank"  # a journey at its ending, as the chapter card records it
    assert record(from_state(ended, story)) == "" and history_path().is_file()
    assert [info.slot for info in list_saves()] == [AUTOSAVE]
    labels = load_menu(app)
    assert not any("history" in label.lower() for label in labels)
    assert all(not item.danger for item in app.stack.top.menu.items)


# --------------------------------------------------------------------------- 3. the language of labels


def real_story(lang: str):  # noqa: ANN201
    return load_story(STORY, lang=lang)


def test_save_labels_are_in_the_language_spoken_now(make_app):
    l10n.set_language("ko")
    korean = real_story("ko")
    app = make_app(korean, skip_title=True, seed=4)
    tap(app, pygame.K_1)
    tap(app, pygame.K_F6)
    tap(app, pygame.K_1)  # slot 1, made in Korean
    tap(app, pygame.K_ESCAPE)
    stored = json.loads(slot_path(AUTOSAVE).read_text())["summary"]
    assert HANGUL.search(stored["title"]), "the save was made in Korean"
    # In English: every label and line of the Load screen in English, without a Korean letter.
    app.change_language("en")
    english = app.story
    labels = load_menu(app)
    shown = [(item.label, item.detail) for item in app.stack.top.menu.items]
    assert not any(HANGUL.search(f"{label} {detail}") for label, detail in shown), shown
    title = english.nodes[stored["node"]].title
    assert f"Autosave: {title}" in labels and any(label.startswith("Slot 1: ") for label in labels)
    tap(app, pygame.K_ESCAPE)
    # And back in Korean, an English-made save reads in Korean ("Autosave" itself too).
    tap(app, pygame.K_3)
    for _ in range(3):  # a new chapter's card comes first
        if app.stack.top.name != "story":
            tap(app, pygame.K_RETURN)
    app.change_language("ko")
    labels = load_menu(app)
    autosave = next(label for label in labels if label.startswith(l10n._("Autosave")))
    assert l10n._("Autosave") != "Autosave" and HANGUL.search(autosave)
    assert not re.search("[A-Za-z]{3,}", autosave), autosave


def test_a_passage_the_story_no_longer_has_keeps_its_stored_words(story):
    from game.engine.save import SaveInfo

    info = SaveInfo(AUTOSAVE, slot_path(AUTOSAVE), "", 0.0, "gone", "Stored title", "", 1, "Stored chapter")
    assert info.in_language_of(story) == info
    known = SaveInfo(AUTOSAVE, slot_path(AUTOSAVE), "", 0.0, "river", "Old words", "", 1, "Old chapter")
    assert (known.in_language_of(story).title, known.in_language_of(story).chapter) == ("The river", "The River")


# --------------------------------------------------------------------------- 4. no duplicate copy


def test_loading_a_slot_that_holds_the_autosaved_point_keeps_no_copy(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_3)
    tap(app, pygame.K_F6)
    tap(app, pygame.K_2)  # slot 2: exactly the autosaved point
    tap(app, pygame.K_ESCAPE)
    app.toasts.clear()
    labels = load_menu(app)
    tap(app, pygame.K_1 + next(i for i, label in enumerate(labels) if label.startswith("Slot 2")))
    assert app.stack.top.name == "story" and app.state.step == 1
    assert not kept_saves()
    assert not any("kept" in text for text, _age in app.toasts)
    # A slot at another point than the autosave is another journey: that one is kept.
    tap(app, pygame.K_3)
    labels = load_menu(app)
    tap(app, pygame.K_1 + next(i for i, label in enumerate(labels) if label.startswith("Slot 2")))
    assert len(kept_saves()) == 1 and json.loads(kept_saves()[0].path.read_text())["state"]["step"] == 2


# --------------------------------------------------------------------------- 5. a folder that cannot be written


def refuse_writes(monkeypatch, code: int) -> None:
    """The saves folder as a read-only disk shows it: every rename into it fails with ``code``."""
    def denied(*_args, **_kw):  # noqa: ANN002, ANN003, ANN202
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(save_module.os, "replace", denied)


def test_a_read_only_folder_is_said_once_in_korean_and_the_kept_journey_is_not_written_over(story, make_app,
                                                                                        monkeypatch):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_3)  # a journey with progress in the autosave
    journey = slot_path(AUTOSAVE).read_bytes()
    l10n.set_language("ko")
    refuse_writes(monkeypatch, errno.EPERM)
    said: list[str] = []
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda text: (said.append(text), notify(text)))
    app.new_journey()  # the other journey cannot be kept: it must not be autosaved over
    assert slot_path(AUTOSAVE).read_bytes() == journey
    tap(app, pygame.K_3)
    frames(app, 6.0)  # the notice has gone
    tap(app, pygame.K_3)
    assert slot_path(AUTOSAVE).read_bytes() == journey
    assert len(said) == 1, said  # one notice, not one per page
    assert "Operation not permitted" not in said[0] and l10n._("you do not have permission") in said[0]
    assert not re.search("[A-Za-z]{4,}", said[0].replace(str(slot_path(AUTOSAVE)), "")), said[0]
    # Two of the same notice at once (say, from two scenes) show as one.
    app.notify("Same")
    app.notify("Same")
    assert [text for text, _age in app.toasts].count("Same") == 1


@pytest.mark.parametrize("code, english", [(errno.EACCES, "you do not have permission"),
                                           (errno.ENOSPC, "the disk is full"),
                                           (errno.EROFS, "the disk or folder is read-only"),
                                           (errno.ENOENT, "the folder does not exist")])
def test_the_system_reason_for_a_failed_write_is_in_our_words(story, monkeypatch, code, english):
    from game.engine.engine import Engine
    from game.errors import SaveError

    state = Engine(story).new_game(seed=1)
    refuse_writes(monkeypatch, code)
    for lang in ("en", "ko"):
        l10n.set_language(lang)
        with pytest.raises(SaveError) as raised:
            save_module.write_save(slot_path("slot-1"), state, story)
        assert str(raised.value).endswith(l10n._(english)) and os.strerror(code) not in str(raised.value)
        if lang == "ko":
            assert HANGUL.search(l10n._(english))


def test_the_terminal_keeps_a_journey_another_copy_autosaved(story, capsys):
    import io

    from game.engine.engine import Engine
    from game.textui import TextGame

    engine = Engine(story)
    mine, theirs = engine.new_game(seed=1), engine.new_game(seed=2)
    engine.choose(theirs, 2)
    game = TextGame(story, mine, io.StringIO(""), io.StringIO())
    assert game.save()
    write_autosave(theirs, story, None)  # another copy starts its journey on the same folder, and plays
    engine.choose(mine, 2)
    assert game.save()
    assert [json.loads(k.path.read_text())["state"] for k in kept_saves()] == [theirs.to_dict()]
    assert "another copy of the game had autosaved a journey (day 7)" in capsys.readouterr().err
