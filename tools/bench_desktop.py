"""Benchmark of the desktop build: how big the folder is, and how fast it shows its first frame.

    python tools/bench.py desktop      # builds into a temporary folder, or uses --build DIR
    python tools/bench_desktop.py [--build dist/escape-route]

Prints the unpacked size beside the goal (80 MB with the Korean fonts and the audio)
and the time from starting the program to its first frame, beside the installed
package's in the same run (goal: within 1.5×). Figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE_GOAL_MB = 80
RATIO_GOAL = 1.5


def _first_frame(command: list[str], runs: int = 5) -> float | None:
    """Best seconds to the first frame over ``runs`` starts (the first start warms the disk cache)."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "ESCAPE_ROUTE_BENCH_FIRST_FRAME": "1",
           "ESCAPE_ROUTE_DATA_DIR": tempfile.mkdtemp()}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times = []
    for _ in range(runs):
        out = subprocess.run(command + ["play"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
        line = [x for x in out.stdout.splitlines() if x.startswith("first-frame")]
        if line:
            times.append(float(line[0].split()[1]))
    return min(times[1:] or times) if times else None


def bench_desktop(build: Path | None = None) -> None:
    print("== The desktop build (PyInstaller, one folder) ==")
    if build is None:
        try:
            import PyInstaller  # noqa: F401
        except ImportError:
            print("PyInstaller is not installed (pip install pyinstaller): skipped")
            return
        sys.path.insert(0, str(ROOT / "tools"))
        import build_desktop

        scratch = Path(tempfile.mkdtemp(prefix="bench-desktop-"))
        build_desktop.main(["--dist", str(scratch / "dist"), "--work", str(scratch / "work"), "--no-archive"])
        build = scratch / "dist" / "escape-route"
    size = sum(p.stat().st_size for p in build.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    print(f"unpacked size: {size:.0f} MB (goal < {SIZE_GOAL_MB} MB with the Korean fonts and the audio)")
    program = build / ("escape-route.exe" if sys.platform == "win32" else "escape-route")
    built = _first_frame([str(program)])
    installed = _first_frame([sys.executable, "-m", "game"])
    if built is None or installed is None:
        print("first frame: could not be measured (no first-frame line)")
        return
    print(f"first frame: built {built:.2f} s, installed package {installed:.2f} s, ratio {built / installed:.2f}× "
          f"(goal ≤ {RATIO_GOAL}×)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=None, help="a built folder (default: build one now)")
    args = parser.parse_args()
    bench_desktop(args.build)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
