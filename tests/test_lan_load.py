"""200 simulated devices vote at once on 127.0.0.1: the tally is exactly each token's last valid vote.

Some vote once, some change their vote, some try an option that is closed or a decision
that is not open, some type a wrong room code, some send malformed or oversized
messages, some drop off mid-vote (and some of those come back with their token).
Bounded: every client does a fixed handful of steps and the whole run has a time limit.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest

aiohttp = pytest.importorskip("aiohttp")

from game.lan import protocol as p  # noqa: E402
from game.lan.server import VoteServer  # noqa: E402

CODE = "5731"
CHOICES = [
    {"index": 0, "text": "Pay the guard", "cost": "¥150", "risk": "50% risk: turned in", "available": True},
    {"index": 1, "text": "Buy a boat", "available": False, "reason": "needs Cash 1000 or more"},
    {"index": 2, "text": "Wait a week", "cost": "7 days", "available": True},
    {"index": 3, "text": "<script>alert('x')</script>", "available": True},
]
OPEN = [0, 2, 3]
ROLES = (["voter"] * 80 + ["changer"] * 30 + ["unavailable"] * 15 + ["wrong-code"] * 15 + ["malformed-after"] * 10
         + ["malformed-before"] * 10 + ["dropper"] * 20 + ["reconnector"] * 10 + ["stale"] * 10)
MALFORMED = ["not json", "[1,2,3]", '{"type":"steer","node":"bank"}', '{"type":"vote","decision":"d1","choice":"2"}',
             '{"type":"vote","decision":"d1","choice":true}', '{"type":"vote","decision":"d1","choice":0,"weight":99}',
             '{"type":"vote","decision":"d1","choice":0}' + " " * 1100, "{" * 900, b"\x00binary", "x" * 5000]


def test_two_hundred_devices_vote_and_the_tally_is_exact():
    assert len(ROLES) == 200
    rng = random.Random(20240611)
    # Every device here comes from 127.0.0.1: the per-address caps (test_lan_attacks.py) are lifted.
    server = VoteServer(bind="127.0.0.1", room_code=CODE, per_address=1000)
    server.start()
    expected: dict[str, int] = {}      # token -> its last valid vote
    outcomes: Counter[str] = Counter()
    kept = []                          # devices that stay on the page to see the result

    async def ack(ws) -> dict:
        return await ws.receive_json(timeout=10)

    async def closed(ws) -> int | None:
        while (await ws.receive(timeout=10)).type == aiohttp.WSMsgType.TEXT:
            pass
        return ws.close_code

    async def device(session, role: str, start: asyncio.Event) -> None:
        ws = await session.ws_connect(server.url + "ws")
        token = None
        if role != "wrong-code":
            await ws.send_json({"type": "join", "code": CODE})
            token = (await ack(ws))["token"]
            assert (await ack(ws))["status"] == "voting"
        await start.wait()
        await asyncio.sleep(rng.random() * 0.05)
        first, second = rng.choice(OPEN), rng.choice(OPEN)
        if role == "voter":
            await ws.send_json({"type": "vote", "decision": "d1", "choice": first})
            assert (await ack(ws))["type"] == "ack"
            expected[token] = first
        elif role == "changer":
            for choice in (first, second, first, second):
                await ws.send_json({"type": "vote", "decision": "d1", "choice": choice})
                assert (await ack(ws))["type"] == "ack"
            expected[token] = second
        elif role == "unavailable":
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 1})
            assert (await ack(ws))["reason"] == "unavailable"
            if rng.random() < 0.5:
                await ws.send_json({"type": "vote", "decision": "d1", "choice": first})
                assert (await ack(ws))["type"] == "ack"
                expected[token] = first
        elif role == "stale":
            await ws.send_json({"type": "vote", "decision": "d0", "choice": first})
            assert (await ack(ws))["reason"] == "unknown-decision"
        elif role == "wrong-code":
            await ws.send_json({"type": "join", "code": f"{rng.randrange(10000):04d}".replace(CODE, "0000")})
            reply = await ack(ws)
            assert reply["type"] == "refused" and reply["reason"] in ("wrong-code", "too-many-tries")
            outcomes[reply["reason"]] += 1
            await ws.send_json({"type": "vote", "decision": "d1", "choice": first})   # without joining
            assert await closed(ws) == p.CLOSE_BAD_MESSAGE
        elif role.startswith("malformed"):
            if role == "malformed-after":
                await ws.send_json({"type": "vote", "decision": "d1", "choice": first})
                assert (await ack(ws))["type"] == "ack"
                expected[token] = first                  # a valid vote stays counted
            bad = rng.choice(MALFORMED)
            await (ws.send_bytes(bad) if isinstance(bad, bytes) else ws.send_str(bad))
            assert await closed(ws) in (p.CLOSE_BAD_MESSAGE, p.CLOSE_TOO_BIG)
            outcomes["closed-for-bad-message"] += 1
        elif role == "dropper":
            if rng.random() < 0.5:
                await ws.send_json({"type": "vote", "decision": "d1", "choice": first})
                assert (await ack(ws))["type"] == "ack"
                expected[token] = first
            ws._conn.transport.abort()                   # the Wi-Fi drops: no closing handshake
            outcomes["dropped"] += 1
        elif role == "reconnector":
            await ws.send_json({"type": "vote", "decision": "d1", "choice": first})
            assert (await ack(ws))["type"] == "ack"
            ws._conn.transport.abort()
            ws = await session.ws_connect(server.url + "ws")
            await ws.send_json({"type": "join", "code": CODE, "token": token})
            assert (await ack(ws)) == {"type": "welcome", "token": token}
            assert (await ack(ws))["vote"] == first
            await ws.send_json({"type": "vote", "decision": "d1", "choice": second})
            assert (await ack(ws))["type"] == "ack"
            expected[token] = second
        if not ws.closed and role in ("voter", "changer"):
            kept.append(ws)
            return
        if not ws.closed:
            await ws.close()

    async def main() -> None:
        server.open_decision("d1", "The river", CHOICES)
        start = asyncio.Event()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            tasks = [asyncio.create_task(device(session, role, start)) for role in ROLES]
            for _ in range(500):                         # everyone who should has joined
                if server.connected() >= 185:
                    break
                await asyncio.sleep(0.01)
            assert server.connected() == 185
            start.set()
            await asyncio.gather(*tasks)

            want = dict(Counter(expected.values()))
            assert server.tally() == want and server.votes_cast() == len(expected)
            assert 1 not in server.tally()
            assert server.room.rejected == 15 + 10       # the closed option and the unknown decision
            assert outcomes["wrong-code"] == 5 and outcomes["too-many-tries"] == 10
            assert outcomes["closed-for-bad-message"] == 20 and outcomes["dropped"] == 20

            final = server.close_decision()
            assert final == want
            for ws in kept:                              # every page still open is told the result
                state = await ack(ws)
                assert state["status"] == "closed" and state["result"]["total"] == len(expected)

            # The server still answers: the page, a returning device, and the result to those still connected.
            async with session.get(server.url) as r:
                assert r.status == 200
            token = next(iter(expected))
            ws = await session.ws_connect(server.url + "ws")
            await ws.send_json({"type": "join", "code": CODE, "token": token})
            assert (await ack(ws))["type"] == "welcome"
            state = await ack(ws)
            assert state["status"] == "closed"
            assert {r["index"]: r["votes"] for r in state["result"]["counts"] if r["votes"]} == want
            await ws.send_json({"type": "vote", "decision": "d1", "choice": 0})
            assert (await ack(ws))["reason"] == "closed"
            await ws.close()
            assert server.tally() == want
            for _ in range(200):
                if server.connected() == 110:            # the voters and changers, still connected
                    break
                await asyncio.sleep(0.01)
            assert server.connected() == 110

    try:
        asyncio.run(asyncio.wait_for(main(), 90))
    finally:
        server.stop()
