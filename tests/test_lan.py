"""LAN voting: the protocol, the room's rules, the server's limits, and the vote step's tally source.

Every server here binds to 127.0.0.1 and every client talks only to it.
"""

from __future__ import annotations

import asyncio
import io
import ipaddress
import json
import logging
import subprocess
import sys

import pytest

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("segno")

from conftest import REPO, TINY, write_story  # noqa: E402
from game.lan import protocol as p  # noqa: E402
from game.lan.address import candidates, pick_address  # noqa: E402
from game.lan.room import Room  # noqa: E402
from game.lan.server import VoteServer  # noqa: E402
from game.lan.tally import LanTally, choices_from_decision  # noqa: E402

CODE = "2468"
CHOICES = [
    {"index": 0, "text": "Pay the guard", "cost": "¥150 · 1 day", "risk": "50% risk: turned in", "available": True},
    {"index": 1, "text": "Buy a boat", "cost": "", "risk": "", "available": False, "reason": "needs Cash 1000 or more"},
    {"index": 2, "text": "Wait a week", "cost": "7 days", "risk": "", "available": True},
]


def run(coro, timeout: float = 30.0):
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.fixture
def server():
    srv = VoteServer(bind="127.0.0.1", room_code=CODE)
    srv.start()
    yield srv
    srv.stop()


async def joined(session, srv: VoteServer, token: str | None = None):
    """A connected, joined client: (ws, token, first state message)."""
    ws = await session.ws_connect(srv.url + "ws")
    await ws.send_json({"type": "join", "code": srv.room_code, **({"token": token} if token else {})})
    welcome = await ws.receive_json(timeout=5)
    assert welcome["type"] == "welcome", welcome
    state = await ws.receive_json(timeout=5)
    assert state["type"] == "state"
    return ws, welcome["token"], state


# --------------------------------------------------------------------------- protocol (pure)

@pytest.mark.parametrize("raw", [
    '{"type":"join","code":"1234"}',
    '{"type":"join","code":"1234","token":"abcdefghijklmnopqrstuvwx"}',
    '{"type":"vote","decision":"d12","choice":3}',
])
def test_valid_messages_parse(raw):
    assert p.parse(raw)


@pytest.mark.parametrize("raw", [
    "not json", "[1, 2]", '"join"', "null", "{}", '{"type":"steer","node":"bank"}', '{"type":"choose","index":0}',
    '{"type":"vote","decision":"d1"}', '{"type":"vote","decision":"d1","choice":"0"}',
    '{"type":"vote","decision":"d1","choice":true}', '{"type":"vote","decision":"d1","choice":1.0}',
    '{"type":"vote","decision":"d1","choice":-1}', '{"type":"vote","decision":"d1","choice":100}',
    '{"type":"vote","decision":"d1","choice":0,"weight":50}', '{"type":"vote","decision":"<x>","choice":0}',
    '{"type":"vote","decision":"","choice":0}', '{"type":"join","code":1234}', '{"type":"join","code":"12a4"}',
    '{"type":"join","code":"1234","token":"short"}', '{"type":"join","code":"1234","token":"a b c d e f g h i j k l"}',
    '{"type":"join"}', "[" * 5000, '{"type":"join","code":"' + "1" * 2000 + '"}', b'{"type":"join","code":"1234"}',
])
def test_malformed_messages_are_refused(raw):
    with pytest.raises(p.BadMessage):
        p.parse(raw)


def test_story_text_is_sent_as_plain_text_cut_and_without_control_characters():
    (c,) = p.clean_choices([{"index": 0, "text": "<script>alert(1)</script>\x00\x1b[2J", "cost": "x" * 500}])
    assert c["text"] == "<script>alert(1)</script>[2J"  # unchanged markup: the page inserts it with textContent
    assert len(c["cost"]) == p.MAX_META and c["cost"].endswith("…")
    assert c["available"] is True and c["risk"] == "" and c["reason"] == ""
    with pytest.raises(ValueError):
        p.clean_choices([{"index": 0, "text": "a"}, {"index": 0, "text": "b"}])
    with pytest.raises(ValueError):
        p.clean_choices([{"index": True, "text": "a"}])


# --------------------------------------------------------------------------- the room (pure)

def test_one_ballot_per_token_per_decision_and_only_open_options():
    room = Room(CODE)
    a, b = room.join("10.0.0.5", CODE, None).token, room.join("10.0.0.6", CODE, None).token
    assert a != b and len(a) >= 16
    assert room.vote(a, "d1", 0) == "unknown-decision"          # nothing open yet
    room.open("d1", "The river", CHOICES)
    assert room.vote(a, "d1", 0) == "ok"
    assert room.vote(a, "d1", 2) == "ok"                        # replaces, does not add
    assert room.vote(a, "d1", 2) == "ok"
    assert room.vote(b, "d1", 1) == "unavailable"
    assert room.vote(b, "d1", 7) == "unknown-choice"
    assert room.vote(b, "d0", 0) == "unknown-decision"
    assert room.vote("forged-token-aaaaaaaaaa", "d1", 0) == "not-joined"
    assert room.vote(b, "d1", 0) == "ok"
    assert room.tally() == {0: 1, 2: 1} and room.votes_cast() == 2
    assert room.close() == {0: 1, 2: 1}
    assert room.vote(b, "d1", 2) == "closed"
    assert room.tally() == {0: 1, 2: 1} and room.ballots == {}  # ballots are dropped at close: counts only
    room.open("d2", "Next", CHOICES)
    assert room.tally() == {} and room.vote(a, "d2", 0) == "ok" and room.tally() == {0: 1}
    assert room.join("10.0.0.5", CODE, a).token == a            # a device that rejoins keeps its token


def test_wrong_codes_are_limited_per_address_and_forgotten_after_the_window():
    now = [1000.0]
    room = Room(CODE, wrong_code_limit=5, wrong_code_window=60, clock=lambda: now[0])
    tries = [room.join("10.0.0.9", "0000", None) for _ in range(5)]
    assert [t.reason for t in tries] == ["wrong-code"] * 5 and [t.tries_left for t in tries] == [4, 3, 2, 1, 0]
    locked = room.join("10.0.0.9", CODE, None)                  # even the right code, for a minute
    assert not locked.ok and locked.reason == "too-many-tries" and 1 <= locked.retry_after <= 60
    other = room.join("10.0.0.10", CODE, None)
    assert other.ok                                             # another device is not affected
    assert room.join("10.0.0.9", CODE, other.token).ok          # nor one that joined before, behind the same address
    assert room.join("10.0.0.9", "0000", other.token).ok        # its token lets it back in after a new code
    now[0] += 30
    assert room.join("10.0.0.9", CODE, None).reason == "too-many-tries"
    now[0] += 31
    assert room.join("10.0.0.9", CODE, None).ok
    assert "10.0.0.9" not in room._wrong                         # nothing kept once the window has passed


def test_room_codes_are_four_digits():
    codes = {Room().code for _ in range(50)}
    assert all(len(c) == 4 and c.isdigit() for c in codes) and len(codes) > 10


# --------------------------------------------------------------------------- addresses and binding

def test_the_lan_address_is_found_without_traffic_and_is_never_loopback():
    for c in candidates():
        ip = ipaddress.IPv4Address(c.address)
        assert not ip.is_loopback and not ip.is_link_local
    assert ipaddress.IPv4Address(pick_address())


@pytest.mark.parametrize("bind", ["0.0.0.0", "::", "localhost", "example.org"])
def test_the_server_binds_to_one_address_only(bind):
    with pytest.raises(ValueError):
        VoteServer(bind=bind)


def test_the_server_listens_only_on_the_given_address(server):
    assert server._runner.addresses == [("127.0.0.1", server.port)]
    assert server.url == f"http://127.0.0.1:{server.port}/" and server.join_link.endswith("/#" + CODE)

    async def other_loopback_address():
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientConnectionError):
                await session.get(f"http://127.0.0.2:{server.port}/", timeout=aiohttp.ClientTimeout(total=3))

    run(other_loopback_address())


# --------------------------------------------------------------------------- HTTP and WebSocket

def test_the_page_is_served_with_strict_headers_and_other_hosts_or_origins_are_refused(server):
    async def go():
        async with aiohttp.ClientSession() as session:
            async with session.get(server.url) as r:
                page = await r.text()
                assert r.status == 200 and "Room code" in page and 'src="/app.js"' in page
                assert "script-src 'self'" in r.headers["Content-Security-Policy"]
                assert r.headers["Cache-Control"] == "no-store"
            for path in ("app.js", "style.css"):
                async with session.get(server.url + path) as r:
                    assert r.status == 200
            for path in ("../server.py", "static/app.js", "nope"):
                async with session.get(server.url + path) as r:
                    assert r.status == 404
            async with session.get(server.url, headers={"Host": "evil.example:80"}) as r:
                assert r.status == 421                              # DNS rebinding: not our address
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await session.ws_connect(server.url + "ws", origin="http://evil.example")
            ws, _, _ = await joined(session, server)                # the server still answers
            await ws.close()

    run(go())


def test_a_device_joins_votes_changes_its_vote_and_sees_the_result(server):
    seen = []
    server.on_change = seen.append

    async def go():
        async with aiohttp.ClientSession() as session:
            ws, token, state = await joined(session, server)
            assert state["status"] == "waiting" and state["decision"] is None
            assert server.connected() == 1
            server.open_decision("d1", "The river", CHOICES)
            state = await ws.receive_json(timeout=5)
            assert state["status"] == "voting" and state["decision"]["id"] == "d1"
            assert [c["available"] for c in state["decision"]["choices"]] == [True, False, True]
            assert state["decision"]["choices"][0]["risk"] == "50% risk: turned in"
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 0})
            assert await ws.receive_json(timeout=5) == {"type": "ack", "decision": "d1", "choice": 0}
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 2})
            assert (await ws.receive_json(timeout=5))["type"] == "ack"
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 1})
            assert await ws.receive_json(timeout=5) == {"type": "rejected", "decision": "d1", "reason": "unavailable"}
            assert server.tally() == {2: 1} and server.votes_cast() == 1
            await ws.close()
            # The same device comes back (a network drop): same token, its ballot is still there, not doubled.
            ws, again, state = await joined(session, server, token)
            assert again == token and state["vote"] == 2
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 0})
            assert (await ws.receive_json(timeout=5))["type"] == "ack"
            assert server.tally() == {0: 1}
            assert server.close_decision() == {0: 1}
            state = await ws.receive_json(timeout=5)
            assert state["status"] == "closed" and state["result"] == {"counts": [{"index": 0, "votes": 1},
                                                                                  {"index": 2, "votes": 0}], "total": 1,
                                                                       "chosen": None, "how": ""}
            server.announce(2, {0: 1, 2: 3}, "override")  # the facilitator overrode the class (with hands counted)
            state = await ws.receive_json(timeout=5)
            assert state["result"]["chosen"] == 2 and state["result"]["how"] == "override"
            assert state["result"]["total"] == 4
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 2})
            assert (await ws.receive_json(timeout=5))["reason"] == "closed"
            assert server.tally() == {0: 1, 2: 3}
            await ws.close()

    run(go())
    assert seen and seen[-1].status == "closed" and seen[-1].counts == {0: 1, 2: 3}
    assert server.poll() is not None and server.poll() is None   # poll: only when something changed


@pytest.mark.parametrize("bad", ["not json", '{"type":"choose","index":0}', '{"type":"vote","decision":"d1","choice":"0"}',
                                 "x" * 2000, b"\x00\x01"])
def test_a_bad_message_closes_only_that_connection(server, bad):
    server.open_decision("d1", "The river", CHOICES)

    async def go():
        async with aiohttp.ClientSession() as session:
            good, _, _ = await joined(session, server)
            rogue, _, _ = await joined(session, server)
            await (rogue.send_bytes(bad) if isinstance(bad, bytes) else rogue.send_str(bad))
            msg = await rogue.receive(timeout=5)
            assert msg.type == aiohttp.WSMsgType.CLOSE and rogue.close_code in (p.CLOSE_BAD_MESSAGE, p.CLOSE_TOO_BIG)
            await good.send_json({"type": "vote", "decision": "d1", "choice": 0})
            assert (await good.receive_json(timeout=5))["type"] == "ack"
            await good.close()

    run(go())
    assert server.tally() == {0: 1}


def test_voting_without_joining_or_too_fast_closes_the_connection(server):
    server.open_decision("d1", "The river", CHOICES)

    async def go():
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(server.url + "ws")
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 0})
            assert (await ws.receive(timeout=5)).type == aiohttp.WSMsgType.CLOSE
            ws, _, _ = await joined(session, server)
            for _ in range(40):
                await ws.send_json({"type": "vote", "decision": "d1", "choice": 0})
            acks = 0
            while (msg := await ws.receive(timeout=5)).type == aiohttp.WSMsgType.TEXT:
                acks += 1
            assert msg.type == aiohttp.WSMsgType.CLOSE and ws.close_code == p.CLOSE_BAD_MESSAGE
            assert acks == 29            # 30 messages (the join and 29 votes) in MESSAGE_WINDOW, then closed

    run(go())
    assert server.tally() == {0: 1}


def test_wrong_codes_over_the_network_are_rate_limited(server):
    async def go():
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(server.url + "ws")
            replies = []
            for _ in range(6):
                await ws.send_json({"type": "join", "code": "0000"})
                replies.append(await ws.receive_json(timeout=5))
            assert [r["reason"] for r in replies] == ["wrong-code"] * 5 + ["too-many-tries"]
            await ws.send_json({"type": "join", "code": CODE})
            locked = await ws.receive_json(timeout=5)
            assert locked["type"] == "refused" and locked["reason"] == "too-many-tries" and locked["retry_after"] > 0
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 0})   # not joined: closed
            assert (await ws.receive(timeout=5)).type == aiohttp.WSMsgType.CLOSE

    run(go())
    assert server.votes_cast() == 0


def test_the_301st_connection_is_refused_politely(server):
    assert server.max_connections == 300

    async def go():
        # 30 addresses (127.0.0.2 to 127.0.0.31), 10 connections each: the most one address may hold.
        sessions = [aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, local_addr=(f"127.0.0.{n}", 0)))
                    for n in range(2, 32)]
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            sockets = await asyncio.gather(*(s.ws_connect(server.url + "ws") for s in sessions for _ in range(10)))
            extra = await session.ws_connect(server.url + "ws")
            assert await extra.receive_json(timeout=5) == {"type": "full", "limit": 300}
            assert (await extra.receive(timeout=5)).type == aiohttp.WSMsgType.CLOSE and extra.close_code == p.CLOSE_FULL
            await sockets[0].close()
            for _ in range(50):
                if server._connections < 300:
                    break
                await asyncio.sleep(0.02)
            ws, _, _ = await joined(session, server)                  # a place is free again
            await asyncio.gather(ws.close(), *(s.close() for s in sockets[1:]))
        for s in sessions:
            await s.close()

    run(go(), timeout=60)


def test_the_server_logs_nothing_about_voters(server, caplog):
    caplog.set_level(logging.DEBUG)
    server.open_decision("d1", "The river", CHOICES)

    async def go():
        async with aiohttp.ClientSession() as session:
            ws, token, _ = await joined(session, server)
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 2})
            await ws.receive_json(timeout=5)
            await ws.close()
            return token

    token = run(go())
    server.close_decision()
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("asyncio"))
    assert token not in text and "Wait a week" not in text and "vote" not in text.lower().replace("lan voting", "")


def test_stop_closes_every_page_with_going_away():
    srv = VoteServer(bind="127.0.0.1")
    srv.start()

    async def go():
        async with aiohttp.ClientSession() as session:
            ws, _, _ = await joined(session, srv)
            await asyncio.get_running_loop().run_in_executor(None, srv.stop)
            msg = await ws.receive(timeout=5)
            assert msg.type == aiohttp.WSMsgType.CLOSE and msg.data == p.CLOSE_GOING_AWAY

    run(go())
    assert not srv.running
    srv.stop()  # idempotent


def test_the_join_address_as_a_qr_code(server):
    segno = pytest.importorskip("segno")
    matrix = server.qr_matrix(border=4)
    expected = segno.make(server.join_link, error="m", micro=False)
    assert len(matrix) == len(matrix[0]) == expected.symbol_size(scale=1, border=4)[0]
    assert all(not cell for cell in matrix[0]) and matrix[4][4]          # quiet zone, then a finder pattern
    png = server.qr_png(scale=6)
    assert png.startswith(b"\x89PNG")
    pygame = pytest.importorskip("pygame")
    image = pygame.image.load(io.BytesIO(png))
    assert image.get_width() == len(matrix) * 6


def test_importing_the_game_does_not_need_the_lan_packages():
    code = ("import sys, game.classroom.facilitation, game.lan as lan; "
            "assert 'aiohttp' not in sys.modules and 'segno' not in sys.modules; print(lan.available())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


# --------------------------------------------------------------------------- the vote step's tally source

def test_the_phones_are_a_tally_source_for_the_facilitated_vote(server, tmp_path):
    from game.classroom import session as s
    from game.classroom.facilitation import Facilitation, FacilitatorSettings
    from game.classroom.vote import TallySource, VoteChannel
    from game.story.loader import load_story

    story = load_story(write_story(tmp_path / "tiny", TINY))
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=5), tmp_path / "class.jsonl")
    phones = LanTally(server)
    assert isinstance(phones, TallySource) and isinstance(phones, VoteChannel)
    fac.sources.append(phones)
    decision = fac.open_vote()
    sent = choices_from_decision(decision)
    assert [c["cost"] for c in sent][0] and sent[0]["risk"].endswith("risk: turned in") and not sent[1]["available"]

    async def go():
        async with aiohttp.ClientSession() as session:
            clients = [await joined(session, server) for _ in range(3)]
            for (ws, _, state), choice in zip(clients, (0, 2, 2), strict=True):
                assert state["decision"]["id"] == decision.id and state["decision"]["choices"][0]["cost"]
                await ws.send_json({"type": "vote", "decision": decision.id, "choice": choice})
                assert (await ws.receive_json(timeout=5))["type"] == "ack"
            await asyncio.gather(*(ws.close() for ws, _, _ in clients))

    run(go())
    fac.keyboard.set(0, 4)                                   # hands counted by the facilitator, plus the phones
    assert fac.tally() == {0: 5, 2: 2}
    fac.close_vote(0, "vote")
    fac.close()
    tally = next(e for e in s.read_session(fac.path).events if e["type"] == s.TALLY)
    assert tally["by_source"] == {"keyboard": {"0": 4}, "phones": {"0": 1, "2": 2}} and tally["total"] == 7
    assert server.status == "closed" and phones.current() == {}
    json.dumps(tally)
