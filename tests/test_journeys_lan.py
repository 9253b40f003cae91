"""Class journeys over real WebSockets on 127.0.0.1: 30 students to their endings, tokens, hostile pages, resume.

The server is the real JourneyServer (in this process, or in a child process for the
SIGKILL test); the students are aiohttp WebSocket clients speaking the page's protocol
(docs/lan.md). Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
import weakref
from functools import cache

import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

import aiohttp  # noqa: E402

from conftest import REPO, STORY  # noqa: E402
from game.classroom import session as s  # noqa: E402
from game.classroom.journeys import ClassJourneys, JourneySettings, class_debrief, journey_map  # noqa: E402
from game.engine.engine import Engine  # noqa: E402
from game.lan.journeys import JourneyServer  # noqa: E402
from game.story.loader import load_story  # noqa: E402

CODE = "4821"


@cache
def story():
    return load_story(STORY)


def serve(tmp_path, luck="same", undo=False, nicknames=False, **limits):
    where = journey_map(story())
    journeys, writer = ClassJourneys.create(Engine(story()), JourneySettings(luck, undo, 2010, nicknames),
                                            tmp_path / "class.jsonl", name="9B", places=where.places,
                                            route_points=where.route_points)
    limits.setdefault("per_address", 100)
    server = JourneyServer(journeys, bind="127.0.0.1", room_code=CODE, teacher_code="246810", journey_map=where,
                           **limits)
    server.start()
    return server, writer


@pytest.fixture
def served(tmp_path):
    """``served(**settings)``: a started server on 127.0.0.1, stopped (and its record closed) after the test."""
    made = []

    def make(**kw):
        made.append(serve(tmp_path, **kw))
        return made[-1][0]

    yield make
    for server, writer in made:
        server.stop()
        writer.close()


# The last message of each type each connection received, as a page keeps the class's state whatever it waits for.
LAST_SEEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def receive(ws, kind, timeout=10.0):
    """The next message of type ``kind``; the others (class updates) are kept as the last of their type."""
    deadline = time.monotonic() + timeout
    while True:
        msg = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
        if msg.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"the connection closed ({msg.type}, {msg.data!r}) waiting for {kind}")
        data = json.loads(msg.data)
        LAST_SEEN.setdefault(ws, {})[data["type"]] = data
        if data["type"] == kind:
            return data


async def class_ended(ws, timeout=60.0):
    """Wait until the class state says the session ended, counting one that came while she waited for her page.

    (The end can reach her between her last choice and its answer; a page shows it whatever it was doing.)
    """
    state = LAST_SEEN.get(ws, {}).get("class")
    while state is None or not state["ended"]:
        state = await receive(ws, "class", timeout=timeout)
    return state


async def joined(session, url, token=None, code=CODE):
    ws = await session.ws_connect(url + "ws")
    await ws.send_json({"type": "join", "code": code, **({"token": token} if token else {})})
    welcome = await receive(ws, "welcome")
    page = await receive(ws, "page")
    return ws, welcome["token"], page


def test_thirty_students_play_to_their_endings_while_the_teacher_pauses_and_ends(tmp_path):
    # These students choose as fast as the server answers (a real page sends a few messages a minute).
    server, writer = serve(tmp_path, message_burst=10_000)
    journeys = server.journeys
    finished_pages: dict[str, dict] = {}

    async def student(session, number, paused_seen, pause_now):
        rnd = random.Random(number)
        ws, token, page = await joined(session, server.url)
        while not page["ending"]:
            index = rnd.choice([c["index"] for c in page["choices"] if c["available"]])
            await ws.send_json({"type": "choose", "step": page["step"], "choice": index})
            reply = await receive(ws, "page")
            if reply["status"] == "paused":
                paused_seen.add(number)
                await pause_now.wait()          # as the page does: no input until the class plays on
                await asyncio.sleep(0.05)
                continue
            assert reply["status"] == "ok" and reply["step"] == page["step"] + 1
            page = reply
        finished_pages[token] = page
        await class_ended(ws)
        await ws.close()

    async def run():
        paused_seen: set[int] = set()
        play_on = asyncio.Event()
        async with aiohttp.ClientSession() as session:
            tasks = [asyncio.create_task(student(session, n, paused_seen, play_on)) for n in range(30)]
            while journeys.snapshot().joined < 30:
                await asyncio.sleep(0.02)
            journeys.pause(True)                   # "Eyes on the board"
            await asyncio.sleep(0.3)
            assert journeys.snapshot().paused
            journeys.pause(False)
            play_on.set()
            deadline = time.monotonic() + 90
            while journeys.snapshot().finished < 30:
                assert time.monotonic() < deadline, "30 journeys did not end in 90 s"
                await asyncio.sleep(0.05)
            journeys.end()
            await asyncio.wait_for(asyncio.gather(*tasks), 30)
            return paused_seen

    try:
        paused_seen = asyncio.run(run())
    finally:
        server.stop()
        writer.close()
    assert paused_seen, "no page met the pause"
    snap = journeys.snapshot()
    assert snap.joined == 30 and snap.finished == 30 and snap.ended
    record = s.read_session(tmp_path / "class.jsonl")
    assert not record.problems
    debrief = class_debrief(record)
    assert debrief.students == 30 and debrief.finished == 30
    # The debrief's endings are the pages' endings.
    from collections import Counter
    pages = Counter((p["ending"]["kind"], p["ending"]["title"]) for p in finished_pages.values())
    assert {(k, t): n for k, t, n in debrief.endings} == dict(pages)
    assert dict(debrief.endings_by_kind) == dict(Counter(k for k, _ in pages.elements()))
    kinds = [e["type"] for e in record.events]
    assert kinds.count(s.JOINED) == 30 and kinds.count(s.PAUSED_ALL) == 2 and kinds[-1] == s.ENDED
    assert kinds.count(s.CHOSE) == sum(p["step"] for p in finished_pages.values())


def test_a_token_reaches_only_its_own_journey(served, tmp_path):
    server = served()

    async def run():
        async with aiohttp.ClientSession() as session:
            a, token_a, page_a = await joined(session, server.url)
            b, token_b, page_b = await joined(session, server.url)
            assert token_a != token_b and page_a["student"] == 1 and page_b["student"] == 2
            await a.send_json({"type": "choose", "step": 0, "choice": 0})
            moved = await receive(a, "page")
            # B's connection cannot join again as A: it keeps its own journey.
            await b.send_json({"type": "join", "code": CODE, "token": token_a})
            again = await receive(b, "page")
            assert again["student"] == 2 and again["step"] == 0
            # A token nobody was given does not reach anyone's journey, with or without the code.
            c = await session.ws_connect(server.url + "ws")
            await c.send_json({"type": "join", "code": "0000", "token": "A" * 24})
            assert (await receive(c, "refused"))["reason"] == "wrong-code"
            # A's token on a new connection (her page reconnecting) finds her journey where it was.
            d, token_d, page_d = await joined(session, server.url, token=token_a, code="0000")
            assert token_d == token_a and page_d["step"] == 1 and page_d["node"] == moved["node"]
            for ws in (a, b, c, d):
                await ws.close()

    asyncio.run(run())
    raw = (tmp_path / "class.jsonl").read_text()
    assert "A" * 24 not in raw


@pytest.mark.parametrize("message", [
    "not json", "[]", '{"type": "choose", "step": 0, "choice": 0}',   # (before join)
    '{"type": "bribe"}', '{"type": "join", "code": "4821", "money": 9999}',
])
def test_hostile_messages_close_only_that_connection(served, message):
    server = served()

    async def run():
        async with aiohttp.ClientSession() as session:
            good, _, _ = await joined(session, server.url)
            bad = await session.ws_connect(server.url + "ws")
            await bad.send_str(message)
            msg = await bad.receive(timeout=5)
            assert msg.type == aiohttp.WSMsgType.CLOSE and msg.data == 1008
            await good.send_json({"type": "choose", "step": 0, "choice": 0})
            assert (await receive(good, "page"))["status"] == "ok"
            await good.close()

    asyncio.run(run())


def test_a_joined_page_cannot_break_the_rules(served):
    server = served()

    async def run():
        async with aiohttp.ClientSession() as session:
            ws, _, page = await joined(session, server.url)
            closed = [c["index"] for c in page["choices"] if not c["available"]]
            await ws.send_json({"type": "choose", "step": 0, "choice": 99})
            assert (await receive(ws, "page"))["status"] == "unknown"
            if closed:
                await ws.send_json({"type": "choose", "step": 0, "choice": closed[0]})
                assert (await receive(ws, "page"))["status"] == "closed"
            await ws.send_json({"type": "undo", "step": 0})
            assert (await receive(ws, "page"))["status"] == "no-undo"
            for hostile in ({"type": "choose", "step": 0, "choice": True}, {"type": "choose", "step": -1, "choice": 0},
                            {"type": "choose", "step": 0, "choice": 0, "cash": 1e9}):
                other, _, _ = await joined(session, server.url)
                await other.send_json(hostile)
                assert (await other.receive(timeout=5)).data == 1008
            big = await session.ws_connect(server.url + "ws")
            await big.send_str(json.dumps({"type": "nickname", "name": "x" * 5000}))
            assert (await big.receive(timeout=5)).data == 1009
            await ws.close()

    asyncio.run(run())
    assert server.journeys.page(next(iter(server.room.tokens)))["resources"][0]["value"] == "¥300"


def test_the_teacher_page_needs_its_own_code_and_only_it_gets_nicknames(served):
    server = served(nicknames=True)

    async def run():
        async with aiohttp.ClientSession() as session:
            ws, _, _ = await joined(session, server.url)
            await ws.send_json({"type": "nickname", "name": "Minji"})
            assert (await receive(ws, "nickname"))["name"] == "Minji"
            teacher = await session.ws_connect(server.url + "ws")
            await teacher.send_json({"type": "teacher", "code": CODE})       # the room code is not the teacher's
            assert (await receive(teacher, "refused"))["reason"] == "wrong-code"
            await teacher.send_json({"type": "teacher", "code": "246810"})
            roster = await receive(teacher, "roster")
            assert roster["students"][0]["nickname"] == "Minji" and roster["joined"] == 1
            async with session.get(server.teacher_link.split("#")[0]) as reply:
                assert reply.status == 200 and "teacher" in (await reply.text())
            await ws.close()
            await teacher.close()

    asyncio.run(run())
    assert "Minji" not in repr(server.journeys.snapshot())


def test_the_map_image_is_cached_and_the_page_is_strict(served):
    server = served()

    async def run():
        async with aiohttp.ClientSession() as session:
            async with session.get(server.url) as page:
                csp = page.headers["Content-Security-Policy"]
                assert page.headers["Cache-Control"] == "no-store" and "default-src 'none'" in csp
                assert "img-src 'self'" in csp and "http" not in csp.replace(server.url.split("/")[2], "")
                html = await page.text()
            assert "<script" in html and "src=\"/journey.js\"" in html and "http" not in html
            async with session.get(server.url + "map.png") as image:
                assert image.status == 200 and image.headers["Cache-Control"].startswith("public, max-age=")
                assert (await image.read())[:4] == b"\x89PNG"

    asyncio.run(run())


def headless(session_path, *extra):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "game.lan.headless", "--story", str(STORY), "--session",
                             str(session_path), "--per-address", "100", *extra], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise AssertionError("the headless server did not start")
    return proc, json.loads(line)


def test_sigkill_then_resume_puts_every_page_where_it_was(tmp_path):
    path = tmp_path / "class.jsonl"
    proc, info = headless(path, "--code", CODE, "--luck", "own", "--undo")

    async def play():
        pages = {}
        async with aiohttp.ClientSession() as session:
            for n in range(6):
                ws, token, page = await joined(session, info["url"])
                rnd = random.Random(n)
                for _ in range(n * 3):
                    if page["ending"]:
                        break
                    index = rnd.choice([c["index"] for c in page["choices"] if c["available"]])
                    await ws.send_json({"type": "choose", "step": page["step"], "choice": index})
                    page = await receive(ws, "page")
                if n == 5 and page["can_undo"]:
                    await ws.send_json({"type": "undo", "step": page["step"]})
                    page = await receive(ws, "page")
                pages[token] = page
        return pages

    async def back(url):
        pages = {}
        async with aiohttp.ClientSession() as session:
            for token in before:
                ws, again, page = await joined(session, url, token=token, code=CODE)
                assert again == token
                pages[token] = page
                await ws.close()
        return pages

    try:
        before = asyncio.run(play())
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    proc, again = headless(path, "--resume")
    try:
        assert again["port"] == info["port"] and again["code"] == CODE    # the same room, on the same port
        after = asyncio.run(back(again["url"]))
    finally:
        proc.stdin.close()
        proc.wait(10)
    for token, page in before.items():
        strip = lambda p: {k: v for k, v in p.items() if k not in ("status", "changed")}  # noqa: E731
        assert strip(after[token]) == strip(page)
    record = s.read_session(path)
    assert [e["type"] for e in record.events].count(s.RESUMED) == 1 and not record.problems
