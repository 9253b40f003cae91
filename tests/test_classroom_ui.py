"""Facilitator mode through the real pygame UI (headless), a crash in the middle of a session, and the replay."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pygame
import pytest
from test_classroom import CLASS

from conftest import REPO, STORY, write_story
from game.classroom import session as s
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.cli.classroom import projector_mode
from game.story.loader import load_story
from game.ui.app import App


@pytest.fixture
def class_story(tmp_path):
    return load_story(write_story(tmp_path / "class", CLASS))


@pytest.fixture
def make_app():
    apps: list[App] = []

    def make(story) -> App:  # noqa: ANN001
        pygame.init()
        app = App(story, size=(1280, 720), seed=1)
        projector_mode(app)
        apps.append(app)
        return app

    yield make
    for app in apps:
        fac = getattr(app, "facilitation", None)
        if fac is not None:
            fac.close()
        app.close()
    pygame.quit()


KEYS = {"\n": pygame.K_RETURN, " ": pygame.K_SPACE}


def press(app: App, key: int, text: str = "", frames: int = 1) -> None:
    """A tap as SDL delivers it: KEYDOWN, then TEXTINPUT for a printable key, then KEYUP, in the same frame."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=text, scancode=0))
    if text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode=text, scancode=0))
    for _ in range(frames):
        app.step()


def type_text(app: App, text: str) -> None:
    for ch in text:
        key = pygame.key.key_code(ch) if ch.isalnum() else KEYS.get(ch, pygame.K_SPACE)
        press(app, key, ch)


def settle(app: App, seconds: float) -> None:
    for _ in range(round(seconds * 60)):
        app.step(events=[])


def mean(surface: pygame.Surface, rect: pygame.Rect | None = None) -> float:
    r, g, b, _ = pygame.transform.average_color(surface, rect or surface.get_rect())
    return (r + g + b) / 3


def lit_pixels(surface: pygame.Surface, rect: pygame.Rect) -> int:
    """How many pixels in ``rect`` differ from the (black) background, sampled every 3 pixels."""
    count = 0
    for x in range(rect.left, rect.right, 3):
        for y in range(rect.top, rect.bottom, 3):
            if surface.get_at((x, y))[:3] != (0, 0, 0):
                count += 1
    return count


def events(app: App) -> list[dict]:
    return s.read_session(app.facilitation.path).events


def test_a_facilitated_session_from_setup_to_debrief(class_story, make_app):
    from game.ui.classroom.setup import FacilitateSetupScene

    app = make_app(class_story)
    app.stack.replace_all(FacilitateSetupScene(app))
    app.step()
    setup = app.stack.top
    # Set up: a name typed (with a U, which is also the undo key), three groups, group 2, a seed, 2 minutes.
    for _ in range(len("Class session")):
        press(app, pygame.K_BACKSPACE)
    type_text(app, "7C Humanities")
    assert setup.values["name"] == "7C Humanities"
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_DOWN)
    type_text(app, "4242")
    press(app, pygame.K_DOWN)  # content level: full
    press(app, pygame.K_DOWN)
    press(app, pygame.K_LEFT)  # 3 → 2 minutes
    press(app, pygame.K_DOWN)
    assert setup.settings() == FacilitatorSettings(name="7C Humanities", groups=3, group=2, seed=4242, level="full",
                                                   discussion_seconds=120)
    press(app, pygame.K_RETURN)  # Begin
    scene = app.stack.top
    assert scene.name == "facilitate-story" and app.state.node == "market"
    # Projector: high contrast, large type, and nothing drawn near the edges.
    settle(app, 0.5)
    screen = app.screen
    w, h = screen.get_size()
    assert screen.get_at((2, h // 2))[:3] == (0, 0, 0)
    edge = round(min(w, h) * 0.05)
    for strip in (pygame.Rect(0, 0, w, edge), pygame.Rect(0, h - edge, w, edge), pygame.Rect(0, 0, edge, h),
                  pygame.Rect(w - edge, 0, edge, h)):
        assert lit_pixels(screen, strip) == 0, strip
    assert lit_pixels(screen, scene.pj.safe) > 500
    assert scene.pj.body >= 32 and scene.pj.small >= 20  # at 720p
    # A fact card, then the next one.
    press(app, pygame.K_f, "f")
    assert app.stack.top.name == "facilitate-facts"
    press(app, pygame.K_RIGHT)
    settle(app, 0.3)
    assert "Example Two" in app.stack.top.source_block.text
    press(app, pygame.K_ESCAPE)
    # Blank screen, and back with any key.
    press(app, pygame.K_b, "b")
    settle(app, 0.5)
    assert app.stack.top.name == "facilitate-blank" and mean(app.screen) == 0
    press(app, pygame.K_x, "x")
    assert app.stack.top.name == "facilitate-story"
    settle(app, 0.5)
    assert mean(app.screen) > 1
    # Enter: the discussion, with its countdown run for two seconds, paused for one, then the vote.
    press(app, pygame.K_RETURN)
    discussion = app.stack.top
    assert discussion.name == "facilitate-discussion" and discussion.left == 120
    before = app.screen.copy()
    press(app, pygame.K_t, "t")
    settle(app, 2.0)
    assert 117.5 < discussion.left < 118.5
    press(app, pygame.K_t, "t")
    settle(app, 1.0)
    assert 117.5 < discussion.left < 118.5 and discussion.mode == "paused"
    assert pygame.image.tobytes(before, "RGB") != pygame.image.tobytes(app.screen, "RGB")  # the clock moved
    press(app, pygame.K_RETURN)
    vote = app.stack.top
    assert vote.name == "facilitate-vote"
    # Tallies: 12 for option 1, 5 for option 2 (a typo erased with Backspace), then Enter.
    type_text(app, "12")
    press(app, pygame.K_DOWN)
    type_text(app, "57")
    press(app, pygame.K_BACKSPACE)
    settle(app, 0.2)
    assert app.facilitation.tally() == {0: 12, 1: 5}
    press(app, pygame.K_RETURN)
    assert app.stack.top.name == "facilitate-story" and app.state.node == "river"
    # The class wants to try the other way: Backspace, confirm.
    press(app, pygame.K_BACKSPACE)
    assert app.stack.top.name == "facilitate-confirm"
    press(app, pygame.K_1, "1")                           # 1: "Yes, go back" (Enter alone answers No)
    assert app.state.node == "market" and app.stack.top.name == "facilitate-story"
    # Again: the discussion is skipped; a tie is settled by the facilitator.
    press(app, pygame.K_RETURN)
    press(app, pygame.K_s, "s")
    assert app.stack.top.name == "facilitate-vote"
    type_text(app, "3")
    press(app, pygame.K_DOWN)
    type_text(app, "3")
    press(app, pygame.K_RETURN)
    assert app.stack.top.tied == (0, 1) and "tie" in app.stack.top.message.lower()
    assert app.stack.top.focus == 0
    press(app, pygame.K_DOWN)
    press(app, pygame.K_DOWN)  # 0 → 1 → 0: only the tied options can be chosen
    press(app, pygame.K_RETURN)
    assert app.state.node == "river"
    # At the river: pay the guard (a 50% risk).
    press(app, pygame.K_RETURN)
    type_text(app, "9")
    press(app, pygame.K_RETURN)
    assert app.state.node in ("bank", "caught")
    settle(app, 0.3)
    press(app, pygame.K_RETURN)  # the ending's page → the class debrief
    debrief = app.stack.top
    assert debrief.name == "facilitate-debrief"
    names = [name for name, _ in debrief.pages]
    assert names[0] == "The journey" and "To think about" in names and "Questions met on the way" in names
    words = " ".join(b.text for _, page in debrief.pages for b, _, _ in page)
    assert "Was the guard worth the money?" in words and "Would you leave?" in words
    assert "Source: Example One" in words
    fell = app.state.node == "caught"
    assert ("50% risk: turned in: it fell." in words) if fell else ("1 risk passed: turned in (50%)." in words)
    for _ in range(len(names)):
        press(app, pygame.K_RIGHT)
    assert debrief.page == len(names) - 1
    settle(app, 0.3)
    assert lit_pixels(app.screen, debrief.pj.safe) > 300
    # The record says what happened, in order.
    record = events(app)
    kinds = [e["type"] for e in record]
    assert kinds[0] == s.STARTED and kinds[-1] == s.ENDED
    assert record[0]["settings"]["name"] == "7C Humanities" and record[0]["seed"] == 4242
    assert record[0]["settings"]["group"] == "Group 2 of 3"
    facts = [e["fact"] for e in record if e["type"] == s.FACT]
    assert facts == ["fact_one", "fact_two"]
    (blank,) = [e for e in record if e["type"] == s.BLANKED]
    assert 0.4 < blank["seconds"] < 1.0
    talks = [e for e in record if e["type"] == s.DISCUSSION]
    assert [t["how"] for t in talks] == ["closed", "skipped"] and 3.0 <= talks[0]["seconds"] < 4.0
    assert talks[0]["planned"] == 120 and talks[0]["prompt"] == "Would you leave?"
    tallies = [e for e in record if e["type"] == s.TALLY]
    assert tallies[0]["counts"] == {"0": 12, "1": 5} and tallies[1]["tied"] == [0, 1]
    choices = [e for e in record if e["type"] == s.CHOICE]
    assert [(c["index"], c["decided_by"]) for c in choices] == [(0, "vote"), (0, "tie-break"), (0, "vote")]
    assert choices[2]["roll"]["chance"] == 0.5
    (back,) = [e for e in record if e["type"] == s.ROLLBACK]
    assert back["from_node"] == "river" and back["to_node"] == "market"
    assert s.rebuild(class_story, s.read_session(app.facilitation.path)).state.to_dict() == app.state.to_dict()


def test_younger_classes_see_a_veil_until_the_facilitator_reveals(make_app):
    story = load_story(STORY)
    app = make_app(story)
    from game.ui.classroom.story import start_session

    fac = Facilitation.start(story, FacilitatorSettings(seed=1, level="younger"))
    fac.engine.jump(fac.state, "china_sold")
    start_session(app, fac)
    scene = app.stack.top
    settle(app, 0.2)
    assert scene.veiled
    shown = " ".join(b.text for b, _, _ in scene.pages[0])
    assert "forced marriage" in shown and "press R" in shown and "farmer's mother" not in shown
    press(app, pygame.K_r, "r")
    assert not scene.veiled
    assert any(e["type"] == s.VEIL for e in s.read_session(fac.path).events)


def _story_args(tmp_path) -> tuple[list[str], object]:
    try:
        return [], load_story(STORY)
    except Exception:  # noqa: BLE001 - the designer may be mid-edit
        root = write_story(tmp_path / "class", CLASS)
        return ["--story", str(root)], load_story(root)


def test_sigkill_in_the_middle_of_a_session_loses_nothing_but_the_event_in_flight(tmp_path, private_data_dir):
    story_args, story = _story_args(tmp_path)
    record_path = tmp_path / "killed.jsonl"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=str(REPO),
               ESCAPE_ROUTE_DATA_DIR=str(private_data_dir))
    proc = subprocess.Popen([sys.executable, "-m", "game", "facilitate", *story_args, "--autotally", "random",
                             "--autotally-pace", "0.12", "--seed", "11", "--name", "Killed",
                             "--session-file", str(record_path)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if record_path.exists() and record_path.read_bytes().count(b"\n") >= 14:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
        assert proc.poll() is None, "the session ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    raw = record_path.read_bytes()
    record = s.read_session(record_path)
    complete = raw.count(b"\n")
    assert record.is_session and len(record.events) == complete  # every whole line is readable
    assert [e["seq"] for e in record.events] == list(range(1, complete + 1))
    assert all(json.loads(line) for line in raw.split(b"\n")[:complete])
    last_shown = [e for e in record.events if e["type"] == s.NODE][-1]
    fac = Facilitation.resume(story, record_path)
    try:
        assert fac.state.node == last_shown["node"]
        assert {k: fac.state.vars[k] for k in last_shown["vars"]} == last_shown["vars"]
        assert sorted(fac.state.items) == last_shown["items"]
        # The resumed session carries on in the same file.
        if not fac.ended:
            decision = fac.open_vote()
            fac.close_vote(decision.open_indices[0], "facilitator")
    finally:
        fac.close()
    again = s.read_session(record_path)
    assert again.problems == [] and any(e["type"] == s.RESUMED for e in again.events)


def test_resume_in_the_ui_shows_the_same_passage(class_story, make_app, tmp_path):
    from game.ui.classroom.story import start_session

    path = tmp_path / "r.jsonl"
    fac = Facilitation.start(class_story, FacilitatorSettings(seed=3), path)
    fac.open_vote()
    fac.close_vote(0, "facilitator")
    expected = fac.state.to_dict()
    fac.writer._handle.close()  # the process died here
    app = make_app(class_story)
    start_session(app, Facilitation.resume(class_story, path))
    app.step()
    assert app.stack.top.name == "facilitate-story" and app.state.node == "river"
    assert app.state.to_dict() == expected


def test_replay_steps_through_a_recorded_session(class_story, make_app, tmp_path):
    from game.cli.classroom import cmd_replay  # noqa: F401 - the entry point exists
    from game.ui.classroom.replay import ReplayScene, replay_steps

    path = tmp_path / "p.jsonl"
    fac = Facilitation.start(class_story, FacilitatorSettings(name="Replay me", seed=3), path)
    fac.open_vote()
    fac.keyboard.set(0, 8)
    fac.close_vote(0, "vote")
    fac.open_vote()
    fac.keyboard.set(2, 4)
    fac.close_vote(2, "vote")
    fac.close()
    record = s.read_session(path)
    app = make_app(class_story)
    ro = Facilitation.replay(class_story, record)
    steps = replay_steps(class_story, record)
    assert [st.view.node_id for st in steps] == ["market", "river"] and steps[0].counts == {0: 8}
    app.state = ro.state
    app.stack.replace_all(ReplayScene(app, ro, record, steps))
    app.step()
    first = pygame.image.tobytes(app.screen, "RGB")
    press(app, pygame.K_RIGHT)
    assert app.stack.top.index == 1
    assert pygame.image.tobytes(app.screen, "RGB") != first
    press(app, pygame.K_RETURN)
    assert app.stack.top.name == "facilitate-debrief"
    press(app, pygame.K_BACKSPACE)  # a replay cannot be changed
    assert app.stack.top.name == "facilitate-debrief" and any("replay" in t[0] for t in app.toasts)
    assert s.read_session(path).events == record.events
