"""Filling or stuffing the room, against a real server on 127.0.0.1, from many loopback source addresses.

Each attack is bounded in connections and in time. The server's limits are set short
(a 1-second join deadline and header timeout) so the tests run in seconds; the
defaults are in game/lan/server.py and docs/lan.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time

import pytest

aiohttp = pytest.importorskip("aiohttp")

from game.lan import protocol as p  # noqa: E402
from game.lan.server import VoteServer  # noqa: E402
from game.lan.tally import LanTally  # noqa: E402

CODE = "2468"
CHOICES = [{"index": 0, "text": "Cross", "available": True}, {"index": 1, "text": "Wait", "available": True}]


def run(coro, timeout: float = 60.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def session_from(ip: str):
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, local_addr=(ip, 0)))


@pytest.fixture
def server():
    srv = VoteServer(bind="127.0.0.1", room_code=CODE, join_timeout=1.0, header_timeout=1.0)
    srv.start()
    srv.open_decision("d1", "The river", CHOICES)
    yield srv
    srv.stop()


def test_connections_that_never_join_are_closed_on_time_even_if_they_answer_pings(server):
    async def go():
        sessions = [session_from(f"127.0.1.{n}") for n in range(1, 11)]
        try:
            # No client heartbeat: aiohttp's would close a socket itself (ERROR) when a pong is late on a busy
            # machine. Each socket pings on its own every 0.2 s instead, and answers the server's pings.
            sockets = await asyncio.gather(*(s.ws_connect(server.url + "ws") for s in sessions for _ in range(10)))
            assert server.waiting() == 100 and server.connected() == 0   # the projector can say so
            started = time.monotonic()

            async def keep_pinging(ws) -> None:  # keep pinging, never join
                while not ws.closed:
                    try:
                        await ws.ping()
                    except (ConnectionError, RuntimeError):
                        return
                    await asyncio.sleep(0.2)

            pingers = [asyncio.create_task(keep_pinging(ws)) for ws in sockets]
            closed = await asyncio.gather(*(ws.receive(timeout=5) for ws in sockets))
            for task in pingers:
                task.cancel()
            assert all(m.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED) for m in closed), \
                {m.type for m in closed}
            assert time.monotonic() - started < 4
            # The places are free again: a real student joins.
            async with session_from("127.0.2.1") as student:
                ws = await student.ws_connect(server.url + "ws")
                await ws.send_json({"type": "join", "code": CODE})
                assert (await ws.receive_json(timeout=5))["type"] == "welcome"
                await ws.close()
        finally:
            for s in sessions:
                await s.close()

    run(go())


def test_one_address_holds_at_most_ten_connections_and_ten_tokens(server):
    async def go():
        async with session_from("127.0.3.1") as attacker, session_from("127.0.3.2") as student:
            sockets = [await attacker.ws_connect(server.url + "ws") for _ in range(10)]
            extra = await attacker.ws_connect(server.url + "ws")
            assert await extra.receive_json(timeout=5) == {"type": "full", "limit": 300}
            tokens = set()
            for ws in sockets:
                await ws.send_json({"type": "join", "code": CODE})
                tokens.add((await ws.receive_json(timeout=5))["token"])
                await ws.receive_json(timeout=5)
                await ws.close()
            assert len(tokens) == 10
            ws = await attacker.ws_connect(server.url + "ws")
            await ws.send_json({"type": "join", "code": CODE})
            assert (await ws.receive_json(timeout=5))["reason"] == "full"      # the eleventh token
            await ws.close()
            ws = await student.ws_connect(server.url + "ws")                   # another device is not affected
            await ws.send_json({"type": "join", "code": CODE})
            assert (await ws.receive_json(timeout=5))["type"] == "welcome"
            await ws.close()

    run(go())


def test_joining_again_on_one_connection_never_gives_a_second_ballot(server):
    async def go():
        async with session_from("127.0.4.1") as s:
            ws = await s.ws_connect(server.url + "ws")
            tokens = set()
            for n in range(12):
                await ws.send_json({"type": "join", "code": CODE})
                welcome = await ws.receive_json(timeout=5)
                tokens.add(welcome["token"])
                if n == 0:
                    await ws.receive_json(timeout=5)             # the state, once
                await ws.send_json({"type": "vote", "decision": "d1", "choice": n % 2})
                assert (await ws.receive_json(timeout=5))["type"] == "ack"
            await ws.close()
            return tokens

    tokens = run(go())
    assert len(tokens) == 1 and server.votes_cast() == 1


def test_guessing_the_code_from_many_addresses_is_stopped_and_the_projector_warns(server):
    channel = LanTally(server)
    assert not channel.guessing()

    async def go():
        replies = []
        for n in range(1, 41):                                   # 40 addresses, 2 wrong codes each
            async with session_from(f"127.0.5.{n}") as s:
                ws = await s.ws_connect(server.url + "ws")
                for guess in (f"{n:04d}", f"{n + 100:04d}"):
                    await ws.send_json({"type": "join", "code": guess})
                    replies.append((await ws.receive_json(timeout=5))["reason"])
                await ws.close()
        async with session_from("127.0.6.1") as s:                # even the right code waits now
            ws = await s.ws_connect(server.url + "ws")
            await ws.send_json({"type": "join", "code": CODE})
            late = await ws.receive_json(timeout=5)
            await ws.close()
        return replies, late

    replies, late = run(go())
    assert replies.count("wrong-code") == 30 and set(replies[30:]) == {"too-many-tries"}
    assert late["reason"] == "too-many-tries"
    assert channel.guessing()                                   # the projector shows the warning
    old = server.room_code
    channel.new_code()                                          # N: a new code, the guesses start again
    assert server.room_code != old and not channel.guessing()


def test_votes_outnumbering_devices_and_a_locked_room(server):
    channel = LanTally(server)
    room = server.room
    for n in range(3):
        token = room.join(f"10.0.0.{n}", CODE, None).token
        assert room.vote(token, "d1", 0) == "ok"
    assert channel.votes_cast() > channel.connected()            # the vote screen warns (VoteScene.warnings)
    channel.lock(True)
    assert room.join("10.0.1.1", CODE, None).reason == "locked"
    channel.lock(False)
    assert room.join("10.0.1.1", CODE, None).ok


def test_slow_half_finished_requests_are_closed_and_big_headers_log_no_address(server, caplog):
    caplog.set_level(logging.DEBUG)
    slow = []
    for n in range(40):
        sock = socket.socket()
        sock.bind((f"127.0.7.{n % 200 + 1}", 0))
        sock.settimeout(8)
        sock.connect(("127.0.0.1", server.port))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")   # and never finish
        slow.append(sock)
    started = time.monotonic()
    closed = 0
    for sock in slow:
        with contextlib.suppress(ConnectionResetError):
            closed += sock.recv(1024) == b""             # the server closed it (a TimeoutError fails the test)
    assert closed == 40 and time.monotonic() - started < 6                         # closed by the header timeout, not left open
    for sock in slow:
        sock.close()

    async def big():
        async with aiohttp.ClientSession() as s, s.get(server.url, headers={"X-Big": "x" * 20_000}) as response:
            return response.status

    assert run(big()) in (400, 431)
    time.sleep(0.2)
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "127.0.0.1" not in text and "127.0.7." not in text
    assert p.CLOSE_FULL  # the protocol constants are shared with the pages
