#!/usr/bin/env python3
"""Benchmarks: prints figures and ratios (never a pass/fail test).

    python tools/bench.py            # everything available
    python tools/bench.py load       # story loading and checking only

Targets (from the issues): load+check of a 10,000-node story ≤ 1.5× the time
libyaml's CSafeLoader takes merely to compose the same files.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import yaml  # noqa: E402
from genstory import generate  # noqa: E402

from game.story.loader import analyse, load_story  # noqa: E402


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_load() -> None:
    print("== Story loading ==")
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        print("libyaml is not available: PyYAML's pure-Python loader is used (slower)")
        loader = yaml.SafeLoader
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in generate(10_000, 20, seed=1).items():
            (folder / name).write_text(text, encoding="utf-8")
        files = sorted(folder.glob("*.yaml"))
        size = sum(f.stat().st_size for f in files)

        def compose_only():
            for f in files:
                yaml.compose(f.read_text(encoding="utf-8"), Loader=loader)

        def load_and_check():
            analysis = analyse(folder, check_map=False)
            assert not analysis.errors, analysis.errors[:3]

        compose = best_of(compose_only)
        ours = best_of(load_and_check)
        print(f"generated story: 10,000 nodes in {len(files) - 1} chapter files, {size / 1e6:.2f} MB")
        print(f"libyaml compose only:   {compose:6.3f} s")
        print(f"our load + full check:  {ours:6.3f} s")
        print(f"ratio: {ours / compose:.2f}× compose (target ≤ 1.5×)")
    try:
        shipped = best_of(lambda: load_story(ROOT / "story"), repeat=5)
    except Exception as exc:  # the shipped story may be mid-edit
        print(f"shipped story does not load: {exc}")
        return
    check = best_of(lambda: analyse(ROOT / "story"), repeat=3)
    print(f"shipped story: load {shipped * 1000:.0f} ms, load + check with the map {check * 1000:.0f} ms")


def bench_reload() -> None:
    print("== Hot reload ==")
    from game.story.reload import StoryReloader

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in generate(10_000, 20, seed=1).items():
            (folder / name).write_text(text, encoding="utf-8")
        reloader = StoryReloader(folder)
        started = time.perf_counter()
        assert reloader.load().story is not None
        first = time.perf_counter() - started
        times = []
        for round_ in range(5):
            chapter = folder / f"{round_ + 3:02d}_part.yaml"
            chapter.write_text(chapter.read_text(encoding="utf-8").replace("Day {days}.", "Day {days}:", 1),
                               encoding="utf-8")
            os.utime(chapter, (time.time() + round_ + 1, time.time() + round_ + 1))
            started = time.perf_counter()
            result = reloader.poll()
            times.append(time.perf_counter() - started)
            assert result is not None and result.story is not None
        print(f"first load of the 10,000-node story: {first:.2f} s")
        print(f"reload after editing one chapter: best {min(times):.3f} s, worst {max(times):.3f} s (target < 0.5 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", default=["load", "reload"], help="which benchmarks: load, reload")
    args = parser.parse_args()
    for part in args.parts:
        {"load": bench_load, "reload": bench_reload}[part]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
