"""The class-journeys benchmark, for tools/bench.py: 300 students choosing over real WebSockets.

The server is the real one in a child process (``python -m game.lan.headless``, on
127.0.0.1, with a thread that reads the dashboard's snapshot on every change, at most
60 times a second, as the game window does), so its peak memory is its own. The
students are aiohttp WebSocket clients in this process. Each joins, then reads for a
while and chooses among the open choices, again and again; a student who reaches an
ending starts a new journey as a new student.

Time is compressed five times: a real student reads for 5 to 15 s before choosing,
these read for 1 to 3 s, so 300 of them send about 150 choices a second (a real class
of 300 would send about 30). The figure is the time from a choice leaving its page to
the next page arriving (target p99 < 150 ms on a 2-core machine), with the server's
peak memory (VmHWM, target < 500 MB) and the student page's first load without the
map (HTML, script, stylesheet and the first messages: target < 200 KB).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COMPRESSION = 5.0
READ_SECONDS = (5.0, 15.0)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))] if ordered else 0.0


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _serve(story: Path | None, students: int, *extra: str) -> tuple[subprocess.Popen, str]:
    """The real server in a child process (python -m game.lan.headless): the process and its URL."""
    root = Path(__file__).resolve().parent.parent.parent
    folder = Path(tempfile.mkdtemp())
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "game.lan.headless", "--story", str(story or root / "story"),
                             "--session", str(folder / "bench.jsonl"), "--code", "1234", "--luck", "own",
                             "--per-address", str(students + 50), *extra],
                            cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return proc, json.loads(proc.stdout.readline())["url"]


async def _weigh(session: Any, url: str) -> int:
    """Bytes of a student's first load without the map: the page, its scripts and style, the first messages."""
    total = 0
    for path in ("", "l10n.js", "journey.js", "journey.css"):
        async with session.get(url + path) as reply:
            total += len(await reply.read())
    async with session.ws_connect(url + "ws") as ws:
        await ws.send_json({"type": "join", "code": "1234"})
        for _ in range(3):  # welcome, class, page
            total += len((await ws.receive(timeout=10)).data)
    return total


def _weigh_in(lang: str, story: Path | None) -> int:
    """The first load from a server whose program speaks ``lang`` (Korean: a longer page and its strings)."""
    import aiohttp

    proc, url = _serve(story, 1, "--lang", lang)

    async def run() -> int:
        async with aiohttp.ClientSession() as session:
            return await _weigh(session, url)

    try:
        return asyncio.run(run())
    finally:
        proc.stdin.close()
        proc.wait(20)


def bench_journeys(students: int = 300, seconds: float = 40.0, story: Path | None = None) -> dict[str, float]:
    """Run the benchmark and print its figures; returns them too (for a caller that wants numbers)."""
    import aiohttp

    proc, url = _serve(story, students, "--dashboard-poll")
    latencies: list[float] = []
    first_load = 0
    endings = 0
    low, high = (s / COMPRESSION for s in READ_SECONDS)

    async def student(session: aiohttp.ClientSession, number: int, stop: float) -> None:
        nonlocal endings
        rng = random.Random(number)
        await asyncio.sleep(rng.uniform(0, high))   # they do not all arrive in the same millisecond
        while time.monotonic() < stop:
            async with session.ws_connect(url + "ws") as ws:
                await ws.send_json({"type": "join", "code": "1234"})
                page = await _next_page(ws)
                if page is None:
                    return
                while time.monotonic() < stop and not page["ending"]:
                    await asyncio.sleep(rng.uniform(low, high))
                    index = rng.choice([c["index"] for c in page["choices"] if c["available"]])
                    sent = time.perf_counter()
                    await ws.send_json({"type": "choose", "step": page["step"], "choice": index})
                    page = await _next_page(ws)
                    if page is None:
                        return
                    latencies.append(time.perf_counter() - sent)
                if page["ending"]:
                    endings += 1

    async def run() -> None:
        nonlocal first_load
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            first_load = await _weigh(session, url)
            stop = time.monotonic() + seconds
            await asyncio.gather(*(student(session, n, stop) for n in range(students)))

    started = time.monotonic()
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    try:
        asyncio.run(run())
        peak = _peak_kb(proc.pid)
    finally:
        proc.stdin.close()
        proc.wait(20)
    spent = time.monotonic() - started
    p50, p99 = _percentile(latencies, 50) * 1000, _percentile(latencies, 99) * 1000
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"== class journeys: {students} students over WebSockets on 127.0.0.1, {spent:.0f} s "
          f"(load average {load_before:.1f} before, {load:.1f} after, on {os.cpu_count()} cores) ==")
    print(f"time compressed {COMPRESSION:g}x: each student reads {low:g}-{high:g} s (in class 5-15 s) before "
          f"choosing; {len(latencies):,} choices ({len(latencies) / seconds:.0f}/s), {endings} journeys ended")
    print(f"choice to next page: p50 {p50:.1f} ms, p99 {p99:.1f} ms (target p99 < 150 ms)")
    print(f"server peak memory: {peak / 1024:.0f} MB (target < 500 MB)")
    print(f"student page first load without the map: {first_load / 1024:.1f} KB (target < 200 KB)")
    korean = _weigh_in("ko", story)
    print(f"the same in Korean (--lang ko): {korean / 1024:.1f} KB (target < 200 KB)")
    return {"first_load_ko_kb": korean / 1024, "p50_ms": p50, "p99_ms": p99, "peak_mb": peak / 1024, "first_load_kb": first_load / 1024,
            "choices": float(len(latencies))}


async def _next_page(ws) -> dict | None:  # noqa: ANN001
    while True:
        msg = await ws.receive(timeout=30)
        if msg.type.name != "TEXT":
            return None
        data = json.loads(msg.data)
        if data["type"] == "page":
            return data
        if data["type"] in ("refused", "full"):
            return None
