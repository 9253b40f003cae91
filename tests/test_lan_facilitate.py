"""Phones feed the real facilitator vote step: the projector shows how to join, hides and reveals, records."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

import pygame  # noqa: E402

from conftest import STORY, press  # noqa: E402
from game.classroom.facilitation import Facilitation, FacilitatorSettings  # noqa: E402
from game.classroom.session import read_session  # noqa: E402
from game.story.loader import load_story  # noqa: E402
from game.ui.app import App  # noqa: E402


def test_phone_votes_reach_the_projector_and_the_record(tmp_path):
    from game.cli.classroom import start_vote_channel
    from game.ui.classroom.story import start_session
    from game.ui.classroom.vote import VoteScene

    story = load_story(STORY)
    pygame.display.init()
    pygame.font.init()
    app = App(story, size=(1280, 720))
    server = start_vote_channel(app, "127.0.0.1", 0)  # the command line starts it and hands it to the screens
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    try:
        start_session(app, fac)
        assert server.url.startswith("http://127.0.0.1:") and len(server.room_code) == 4
        vote = VoteScene(app, fac)
        app.push(vote)
        app.step([])
        # Three phones vote for the second option, straight through the server's own ballot box.
        room = server.room  # the network path itself is tested in test_lan_load.py
        tokens = []
        for _ in range(3):
            token = room.join("127.0.0.1", room.code, None).token
            assert room.vote(token, fac.decision.id, 1) == "ok"
            tokens.append(token)
        code = room.code
        for _ in range(5):
            app.step([], dt=0.05)
        assert fac.tally() == {1: 3}
        assert not vote.revealed  # the class cannot see the counts yet
        panel = dict(vote.boxes)["qr"]
        colours = {app.screen.get_at((x, y))[:3] for x in range(panel.x, panel.right, 7)
                   for y in range(panel.y, panel.bottom, 7)}
        assert (0, 0, 0) in colours and (255, 255, 255) in colours  # the QR code is drawn
        press(app, pygame.K_v, "v")
        assert vote.revealed
        # V closed the phones' vote: a late phone vote is refused, the counts shown are the ones decided on.
        late = room.join("127.0.0.1", room.code, None).token
        assert room.vote(late, fac.decision.id, 0) == "closed"
        press(app, pygame.K_RETURN)
        assert fac.state.step == 1
    finally:
        fac.close()
        server.stop()
        pygame.quit()
    events = [e for e in read_session(tmp_path / "s.jsonl").events if e.get("type") == "tally_recorded"]
    assert events and events[0]["by_source"]["phones"] == {"1": 3}
    assert json.dumps(events[0])  # plain JSON
    # docs/lan.md, "What is stored": of what the server holds, only the room code (with the port) and each
    # ballot as a digest beside its option reach the disk; no token and no address.
    raw = (tmp_path / "s.jsonl").read_text(encoding="utf-8")
    assert code in raw and "room_opened" in raw and "votes_counted" in raw
    assert "127.0.0.1" not in raw and not any(token in raw for token in tokens)
