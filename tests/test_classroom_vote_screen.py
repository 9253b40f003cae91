"""The vote screen fits every decision of the shipped story, and its keys do what the facilitator guide says.

Every decision is drawn in the real vote scene at 1280x720 in projector mode (the
largest text), with the phone panel and 25 phones that voted; after a tie the tie
message and the totals are shown. Nothing may be outside the window, nothing may
overlap the key hints, and no two options may overlap. Korean is checked also at the
smallest supported window (1024x600) and at 1920x1080; four decisions are saved as
screenshots (docs/screenshots, and docs/screenshots/ko for the other sizes).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pygame
import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

from conftest import STORY, press  # noqa: E402
from game.classroom import session as s  # noqa: E402
from game.classroom.facilitation import Facilitation, FacilitatorSettings  # noqa: E402
from game.cli.classroom import projector_mode  # noqa: E402
from game.l10n import language, set_language  # noqa: E402
from game.lan.server import VoteServer  # noqa: E402
from game.lan.tally import LanTally  # noqa: E402
from game.story.loader import load_story  # noqa: E402
from game.ui.app import App  # noqa: E402

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture
def room(tmp_path, request):
    """A projector at 1280x720 with the phones' channel (a real server, not listening: the ballot box is used
    directly) and a session at the start of the shipped story; in English, or the language (and window size)
    given as the fixture's parameter: "ko" or ("ko", (1024, 600)) (conftest speaks English again after each
    test)."""
    param = getattr(request, "param", "en")
    lang, size = (param, (1280, 720)) if isinstance(param, str) else param
    set_language(lang)
    story = load_story(STORY, lang=lang)
    pygame.display.init()
    pygame.font.init()
    app = App(story, size=size, seed=1)
    projector_mode(app)
    server = VoteServer(bind="127.0.0.1", port=8765, room_code="4821")
    channel = LanTally(server)
    app.vote_channel = channel
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    from game.ui.classroom.story import start_session

    start_session(app, fac)
    yield app, fac, server
    fac.close()
    app.close()
    pygame.quit()


_DEVICES = itertools.count(1)


def phones(server: VoteServer, decision: str, votes: list[int]) -> None:
    """One phone per vote, each from its own address, as the server would count them."""
    room = server.room
    for choice in votes:
        n = next(_DEVICES)
        token = room.join(f"10.{n // 60000}.{n // 250 % 240}.{n % 250 + 1}", room.code, None).token
        assert room.vote(token, decision, choice) == "ok"
    server._joined = max(server._joined, len(votes))


def save_shot(app: App, name: str) -> None:
    """``docs/screenshots/NAME.png`` at 1280x720 (``NAME-ko.png`` in Korean); other sizes in the language's
    folder, as the other Korean screenshots are: ``docs/screenshots/ko/1024x600-NAME.png``."""
    w, h = app.screen.get_size()
    lang = language()
    if (w, h) == (1280, 720):
        path = SHOTS / (f"{name}.png" if lang == "en" else f"{name}-{lang}.png")
    else:
        path = SHOTS / lang / f"{w}x{h}-{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(app.screen, str(path))


def check_layout(scene, where: str) -> None:
    boxes = scene.boxes
    window = scene.app.screen.get_rect()
    hints = dict(boxes)["hints"]
    for name, rect in boxes:
        assert window.contains(rect), f"{where}: {name} {rect} is outside the window {window}"
        if name != "hints":
            assert not rect.colliderect(hints), f"{where}: {name} {rect} overlaps the key hints {hints}"
    rows = [(name, rect) for name, rect in boxes if name.startswith("option ")]
    for i, (a, ra) in enumerate(rows):
        for b, rb in rows[i + 1:]:
            assert not ra.colliderect(rb), f"{where}: {a} overlaps {b}"
        for name, rect in boxes:
            if name in ("total", "message", "panel", "qr", "code", "voted", "devices", "warning"):
                assert not ra.colliderect(rect), f"{where}: {a} overlaps the {name}"
        count = dict(boxes).get(a.replace("option", "count"))
        if count is not None:
            assert ra.contains(count), f"{where}: the count of {a} is outside its row"


@pytest.mark.parametrize("room", ["en", "ko", ("ko", (1024, 600)), ("ko", (1920, 1080))], indirect=True,
                         ids=["en", "ko", "ko-1024x600", "ko-1920x1080"])
def test_every_decision_of_the_story_fits_the_vote_screen_with_phones_a_tie_and_the_totals(room):
    app, fac, server = room
    from game.ui.classroom.vote import VoteScene

    story = app.story
    nodes = [n for n in story.nodes.values() if n.choices]
    assert len(nodes) > 50
    checked = 0
    for node in nodes:
        fac.state.node = node.id
        fac.decision = None
        try:
            view = fac.view()
        except Exception:  # noqa: BLE001 - a node the engine cannot show from the start state
            continue
        if view.ending is not None or not view.choices:
            continue
        scene = VoteScene(app, fac)
        app.push(scene)
        app.step([])
        check_layout(scene, node.id)
        open_ = list(scene.open)
        # 25 phones: a tie between the first two open options (or all on one), then more votes than devices.
        votes = ([open_[0]] * 12 + [open_[1]] * 12 + [open_[0]]) if len(open_) > 1 else [open_[0]] * 25
        phones(server, fac.decision.id, votes[:24] if len(open_) > 1 else votes)
        press(app, pygame.K_RETURN)          # the first Enter reveals the final counts
        assert scene.revealed
        check_layout(scene, node.id + " (revealed)")
        if len(open_) > 1:
            press(app, pygame.K_RETURN)      # a tie: the message asks the facilitator to settle it
            assert scene.tied and scene.message == scene.tie_message(scene.tied)
            assert "message" in dict(scene.boxes) or app.step([]) is None
            app.step([])
            check_layout(scene, node.id + " (tie)")
            assert "total" in dict(scene.boxes) and "message" in dict(scene.boxes)
        if node.id in ("hyesan_decision", "hyesan_packing", "china_wages", "laos_police_stop"):
            for _ in range(20):                  # past the fade-in
                app.step([], dt=0.05)
            save_shot(app, f"classroom-vote-{node.id}")
        fac.cancel_vote()
        app.pop()
        checked += 1
    assert checked > 50


def test_esc_pauses_the_vote_and_keeps_its_votes_f_shows_facts_and_v_closes_the_phones(room):
    app, fac, server = room
    from game.ui.classroom.vote import VoteScene

    scene = VoteScene(app, fac)
    app.push(scene)
    app.step([])
    decision = fac.decision.id
    phones(server, decision, [scene.open[0]] * 3)
    press(app, pygame.K_ESCAPE)
    assert app.stack.top.name == "facilitate-pause" and fac.decision is not None
    assert server.tally() == {scene.open[0]: 3}          # the vote is still open behind the menu
    press(app, pygame.K_RETURN)                           # Continue
    assert app.stack.top is scene and fac.decision.id == decision
    press(app, pygame.K_f, "f")
    if fac.view().facts:
        assert app.stack.top.name == "facilitate-facts"
        press(app, pygame.K_ESCAPE)
    assert app.stack.top is scene
    press(app, pygame.K_v, "v")                           # reveal: the phones' vote closes
    token = server.room.join("10.9.9.9", server.room.code, None).token
    assert server.room.vote(token, decision, scene.open[0]) == "closed"
    press(app, pygame.K_RETURN)
    assert fac.decisions == 1 and fac.decision is None   # decided on the counts shown
    result = server.room.state()["result"]
    assert result["chosen"] == scene.open[0] and result["how"] == "vote" and result["total"] == 3


def test_the_timer_and_the_first_enter_reveal_the_counts_they_never_decide_unseen(room):
    app, fac, server = room
    from game.ui.classroom.vote import VoteScene

    scene = VoteScene(app, fac)
    app.push(scene)
    app.step([])
    phones(server, fac.decision.id, [scene.open[0]] * 2)
    press(app, pygame.K_t, "t")
    for _ in range(31 * 4):
        app.step([], dt=0.25)
    assert scene.revealed and fac.decision is not None and app.stack.top is scene
    press(app, pygame.K_RETURN)
    assert fac.decision is None


def test_hands_and_phones_together_on_the_phones_and_an_override_says_so(room):
    app, fac, server = room
    from game.ui.classroom.vote import VoteScene

    scene = VoteScene(app, fac)
    app.push(scene)
    app.step([])
    first, second = scene.open[0], scene.open[1]
    phones(server, fac.decision.id, [first] * 2)
    for _ in range(second):
        press(app, pygame.K_DOWN)
    press(app, pygame.K_5, "5")                            # five hands for the second option
    press(app, pygame.K_o, "o")                            # the facilitator takes the highlighted option
    result = server.room.state()["result"]
    assert result["how"] == "override" and result["total"] == 7
    assert {c["index"]: c["votes"] for c in result["counts"]}[second] == 5


def test_cancelling_a_vote_is_recorded_and_the_phones_go_back_to_waiting(room):
    app, fac, server = room
    from game.ui.classroom.vote import VoteScene

    scene = VoteScene(app, fac)
    app.push(scene)
    app.step([])
    phones(server, fac.decision.id, [scene.open[0]] * 4)
    app.step([])
    press(app, pygame.K_ESCAPE)
    pause = app.stack.top
    row = next(r for r in pause.menu if r.label == "Cancel this vote (no decision; phones are told)")
    assert row.number == 3                                 # the same number on every screen
    press(app, pygame.K_0 + row.number, str(row.number))
    assert fac.decision is None and server.room.state()["status"] == "waiting"
    record = s.read_session(fac.path)
    assert [e["reason"] for e in record.of(s.CANCELLED)] == ["cancelled"]
    assert any(e.get("ballots") for e in record.of(s.VOTES))   # the phones' ballots were recorded as they came


@pytest.mark.skipif(not os.environ.get("SDL_VIDEODRIVER"), reason="headless only")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_vote_screen_at_1920x1080_fits_too(tmp_path, lang):
    set_language(lang)
    story = load_story(STORY, lang=lang)
    pygame.display.init()
    pygame.font.init()
    app = App(story, size=(1920, 1080), seed=1)
    projector_mode(app)
    app.vote_channel = LanTally(VoteServer(bind="127.0.0.1", port=8765, room_code="4821"))
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    from game.ui.classroom.story import start_session
    from game.ui.classroom.vote import VoteScene

    start_session(app, fac)
    try:
        for node in ("hyesan_decision", "hyesan_packing", "china_wages"):
            if node not in story.nodes:
                continue
            fac.state.node = node
            fac.decision = None
            scene = VoteScene(app, fac)
            app.push(scene)
            app.step([])
            check_layout(scene, node + " at 1920x1080")
            fac.cancel_vote()
            app.pop()
    finally:
        fac.close()
        app.close()
        pygame.quit()


def test_teacher_controls_lock_new_code_reset_and_the_warnings(room):
    app, fac, server = room
    from game.ui.classroom.vote import VoteScene

    scene = VoteScene(app, fac)
    app.push(scene)
    app.step([])
    phones(server, fac.decision.id, [scene.open[0]] * 30)
    server._joined = 25                                       # 30 votes, 25 devices: a warning
    for n in range(40):                                       # someone guessing codes from many addresses
        server.room.join(f"10.200.0.{n}", "0000", None)
    press(app, pygame.K_l, "l")                               # L locks the room
    assert server.room.locked
    for _ in range(20):
        app.step([], dt=0.05)
    warnings = [name for name, _ in scene.boxes if name == "warning"]
    assert len(warnings) == 3 and scene.warnings()[0].startswith("Many wrong room codes")
    check_layout(scene, "teacher controls")
    SHOTS.mkdir(exist_ok=True)
    pygame.image.save(app.screen, str(SHOTS / "classroom-teacher-controls.png"))
    old = server.room_code
    press(app, pygame.K_n, "n")                               # N: a new code
    assert server.room_code != old and not server.room.guessing()
    press(app, pygame.K_r, "r")                               # R: this vote again, from zero
    assert server.votes_cast() == 0 and fac.tally() == {}
    record = s.read_session(fac.path)
    assert any(e.get("reset") for e in record.of(s.VOTES))
