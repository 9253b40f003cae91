"""A session killed (SIGKILL) during an open phone vote resumes with the same room code, port and counts.

A child process runs the real projector (headless) with the real vote server on
127.0.0.1 and opens the vote; 24 phones, each from its own loopback address, join and
vote over the network; the child is killed; the session resumes at once in this
process, as ``facilitate --resume --lan`` does: the port (its old connections in
TIME_WAIT) is bound again, the code is the same, the 24 votes still count, and a
phone that comes back with its token rejoins silently and sees its own vote.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pygame
import pytest

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("segno")

from conftest import REPO, STORY  # noqa: E402
from game.classroom import session as s  # noqa: E402

CHILD = r"""
import sys, time
from pathlib import Path
from game.story.loader import load_story
from game.cli.classroom import open_app, start_vote_channel
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.ui.classroom.story import start_session, FacilitateStoryScene
story = load_story(sys.argv[1])
app = open_app(story, (1280, 720))
server = start_vote_channel(app, "127.0.0.1", 0)
fac = Facilitation.start(story, FacilitatorSettings(name="Crash", seed=11), path=Path(sys.argv[2]))
start_session(app, fac)
app.stack.find(FacilitateStoryScene).open_vote()
print("READY", server.port, server.room_code, fac.decision.id, ",".join(map(str, fac.decision.open_indices)),
      flush=True)
stop = time.monotonic() + 120  # bounded: the test kills it long before
while time.monotonic() < stop:
    app.step([])
    time.sleep(1 / 60)
"""


def test_a_killed_session_resumes_its_phone_vote_with_the_same_code_port_and_counts(tmp_path, private_data_dir):
    record_path = tmp_path / "crash.jsonl"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=str(REPO),
               ESCAPE_ROUTE_DATA_DIR=str(private_data_dir))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(STORY), str(record_path)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        for _ in range(20):
            line = proc.stdout.readline()
            if line.startswith("READY") or not line:
                break
        assert line.startswith("READY"), line + proc.stderr.read()
        _, port, code, decision, opens = line.split()
        port = int(port)
        options = [int(x) for x in opens.split(",")]
        votes = [options[n % len(options)] for n in range(24)]
        tokens: list[str] = []

        async def phones() -> None:
            for n, choice in enumerate(votes):
                connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{n + 2}", 0))
                async with aiohttp.ClientSession(connector=connector) as session:
                    ws = await session.ws_connect(f"http://127.0.0.1:{port}/ws")
                    await ws.send_json({"type": "join", "code": code})
                    welcome = await ws.receive_json(timeout=5)
                    assert welcome["type"] == "welcome"
                    tokens.append(welcome["token"])
                    await ws.receive_json(timeout=5)
                    await ws.send_json({"type": "vote", "decision": decision, "choice": choice})
                    assert (await ws.receive_json(timeout=5))["type"] == "ack"
                    await ws.close()

        asyncio.run(asyncio.wait_for(phones(), 60))
        deadline = time.monotonic() + 20           # the projector records each ballot as it sees it
        while time.monotonic() < deadline:
            ballots = [b for e in s.read_session(record_path).of(s.VOTES) for b in e.get("ballots", [])]
            if len(ballots) >= 24:
                break
            time.sleep(0.05)
        assert len(ballots) == 24
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    # Resume at once, as the command line does with --resume --lan --bind 127.0.0.1.
    from game.classroom.facilitation import Facilitation
    from game.cli.classroom import open_app, start_vote_channel
    from game.story.loader import load_story
    from game.ui.classroom.story import start_session

    story = load_story(STORY)
    record = s.read_session(record_path)
    assert s.last_room(record) == (code, port)
    app = open_app(story, (1280, 720))
    server = start_vote_channel(app, "127.0.0.1", port, code)
    assert server is not None, "the vote server did not start on its old port"
    fac = Facilitation.resume(story, record_path)
    try:
        start_session(app, fac)
        assert (server.port, server.room_code) == (port, code)
        assert app.stack.top.name == "facilitate-vote"          # back in the vote that was open
        app.step([])
        assert fac.decision.id == decision
        assert fac.tally() == dict(Counter(votes))             # the 24 votes still count
        assert server.votes_cast() == 24

        async def rejoin() -> dict:
            connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
            async with aiohttp.ClientSession(connector=connector) as session:
                ws = await session.ws_connect(f"http://127.0.0.1:{port}/ws")
                await ws.send_json({"type": "join", "code": code, "token": tokens[0]})
                welcome = await ws.receive_json(timeout=5)
                state = await ws.receive_json(timeout=5)
                await ws.send_json({"type": "vote", "decision": decision, "choice": options[-1]})
                ack = await ws.receive_json(timeout=5)
                await ws.close()
                return {"welcome": welcome, "state": state, "ack": ack}

        seen = asyncio.run(asyncio.wait_for(rejoin(), 20))
        assert seen["welcome"] == {"type": "welcome", "token": tokens[0]}   # silently, with its own token
        assert seen["state"]["vote"] == votes[0]                               # and its own vote
        assert seen["ack"]["type"] == "ack"
        changed = Counter(votes)
        changed[votes[0]] -= 1
        changed[options[-1]] += 1
        assert server.votes_cast() == 24 and server.tally() == {k: v for k, v in changed.items() if v}
    finally:
        fac.close()
        server.stop()
        pygame.quit()
    events = s.read_session(record_path).events
    assert [e["type"] for e in events].count(s.VOTE_OPENED) == 1   # the same vote, not a second one
