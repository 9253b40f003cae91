"""The LAN vote benchmark, for tools/bench.py: how soon the game sees a class's votes.

``bench_lan()`` starts a :class:`VoteServer` on 127.0.0.1, joins ``clients`` simulated
devices (aiohttp WebSockets, on this machine only) and runs ``rounds`` decisions in
which every device votes at once. The devices run in a child process of their own
(so the server shares the interpreter only with the game, as in class); the calling
thread stands for the game and reads the tally through the game-side API
(``votes_cast()``) as a frame loop would, but every half millisecond. The figure is
the time from the last vote leaving its device to the game seeing the full count
(target: p99 < 100 ms). The projector's frame time is measured elsewhere.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from typing import Any


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def _devices(url: str, code: str, clients: int, rounds: int, seed: int, conn) -> None:  # noqa: ANN001
    """The class, in a process of its own (as phones are): join, then vote once per round when told."""
    import aiohttp

    rng = random.Random(seed)

    async def next_decision(ws, decision: str) -> None:
        while True:
            msg = await ws.receive_json(timeout=30)
            if msg.get("type") == "state" and msg["status"] == "voting" and msg["decision"]["id"] == decision:
                return

    async def run() -> None:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            sockets = []
            for _ in range(clients):
                ws = await session.ws_connect(url + "ws")
                await ws.send_json({"type": "join", "code": code})
                await ws.receive_json(timeout=10)
                await ws.receive_json(timeout=10)
                sockets.append(ws)
            loop = asyncio.get_running_loop()
            conn.send("ready")
            for _ in range(rounds):
                decision = await loop.run_in_executor(None, conn.recv)
                await asyncio.gather(*(next_decision(ws, decision) for ws in sockets))
                sent: list[float] = []
                acks: list[float] = []

                async def vote(ws, choice: int) -> None:
                    t = time.perf_counter()
                    sent.append(t)
                    await ws.send_json({"type": "vote", "decision": decision, "choice": choice})
                    while (await ws.receive_json(timeout=10))["type"] != "ack":
                        pass
                    acks.append(time.perf_counter() - t)

                await asyncio.gather(*(vote(ws, rng.randrange(3)) for ws in sockets))
                conn.send((min(sent), max(sent), acks))
            await asyncio.gather(*(ws.close() for ws in sockets))

    asyncio.run(asyncio.wait_for(run(), 300))


def bench_server() -> Any:
    """A server for the benchmark: loopback, a fixed code, and no per-connection message limit
    (every device votes once a round, a hundred rounds in a few seconds). Every simulated device
    comes from 127.0.0.1, so the per-address caps (10 connections, 10 devices) are lifted here."""
    from game.lan.server import MAX_CONNECTIONS, VoteServer

    server = VoteServer(bind="127.0.0.1", room_code="1234", message_burst=10_000, per_address=MAX_CONNECTIONS)
    server.start()
    return server


def bench_lan(clients: int = 200, rounds: int = 100, seed: int = 1, quiet: bool = False, server: Any = None,
              frame: Any = None) -> dict[str, Any]:
    """Print (unless ``quiet``) and return the figures; the devices run in a child process.

    With ``frame`` (a callable), the game side draws a projector frame each time it
    looks at the tally, as the real vote screen does, instead of only polling.
    """
    import multiprocessing

    own_server = server is None
    choices = [{"index": i, "text": f"Option {i + 1}", "cost": "¥100", "risk": "", "available": True} for i in range(3)]
    server = server or bench_server()
    latencies: list[float] = []     # last vote sent -> full tally visible to the game
    bursts: list[float] = []        # first vote sent -> full tally visible
    acks: list[float] = []          # one device: vote sent -> its ack received
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    devices = context.Process(target=_devices, args=(server.url, server.room_code, clients, rounds, seed, child),
                              daemon=True)
    devices.start()
    try:
        if not parent.poll(120) or parent.recv() != "ready":
            raise RuntimeError("the simulated devices did not join")
        for r in range(rounds):
            decision = f"d{r + 1}"
            server.open_decision(decision, f"Round {r + 1}", choices)
            parent.send(decision)
            deadline = time.perf_counter() + 30
            while server.votes_cast() < clients:          # the game's side: read the tally as a frame would
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"round {r + 1}: the game never saw {clients} votes")
                if frame is not None:
                    frame()
                else:
                    time.sleep(0.0005)
            seen = time.perf_counter()
            if not parent.poll(30):
                raise RuntimeError("the simulated devices stopped")
            first, last, round_acks = parent.recv()
            latencies.append(max(0.0, seen - last))
            bursts.append(seen - first)
            acks.extend(round_acks)
            final = server.close_decision()
            assert sum(final.values()) == clients
        devices.join(30)
    finally:
        if devices.is_alive():
            devices.terminate()
        if own_server:
            server.stop()
    ms = lambda xs, q: round(_percentile(xs, q) * 1000, 2)  # noqa: E731
    result = {
        "clients": clients, "rounds": rounds,
        "last_vote_to_tally_ms": {"p50": ms(latencies, 50), "p99": ms(latencies, 99), "max": round(max(latencies) * 1000, 2)},
        "burst_to_tally_ms": {"p50": ms(bursts, 50), "p99": ms(bursts, 99)},
        "vote_ack_ms": {"p50": ms(acks, 50), "p99": ms(acks, 99)},
        "mean_last_vote_to_tally_ms": round(statistics.fmean(latencies) * 1000, 2),
    }
    if not quiet:
        lat, burst, ack = result["last_vote_to_tally_ms"], result["burst_to_tally_ms"], result["vote_ack_ms"]
        print("== LAN voting ==")
        print(f"{clients} devices on 127.0.0.1, {rounds} decisions, every device votes at once")
        print(f"last vote sent -> tally visible to the game: p50 {lat['p50']} ms, p99 {lat['p99']} ms, "
              f"max {lat['max']} ms (target p99 < 100 ms)")
        print(f"first vote sent -> all {clients} visible: p50 {burst['p50']} ms, p99 {burst['p99']} ms")
        print(f"one device's vote -> its acknowledgement: p50 {ack['p50']} ms, p99 {ack['p99']} ms")
    return result


if __name__ == "__main__":
    bench_lan()
