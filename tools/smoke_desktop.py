"""Smoke-test a desktop build as a player's machine would run it: no Python, no virtual environment.

    python tools/smoke_desktop.py dist/escape-route-0.3.0-linux-x86_64.tar.gz   # or the built folder

The archive is unpacked into an empty temporary folder, and the program runs with an
environment that has nothing of this machine's Python in it: PATH is an empty
folder (so no `python3` can be found), no PYTHONPATH, PYTHONHOME or VIRTUAL_ENV,
HOME and the data folder fresh and empty. Then, as CI and the release workflow both
check on every platform:

1. ``--version`` names the game;
2. ``check`` on the bundled story finds no error;
3. a piped ``play --text`` reaches an ending (the answers are worked out with the
   engine from this repository for the same seed: the first open choice each time);
4. the window starts headless (``SDL_VIDEODRIVER=dummy``) and plays through the title
   screen and the content note to an ending (``--autoplay first --fast --quit-at-end``).

This script itself runs with the repository's Python; the program it tests does not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = 7


def unpack(build: Path, into: Path) -> Path:
    """The program inside a copy of the build (archive or folder) in ``into``."""
    if build.is_dir():
        shutil.copytree(build, into / build.name, symlinks=True)
    elif build.name.endswith(".zip"):
        with zipfile.ZipFile(build) as zf:
            zf.extractall(into)
    else:
        with tarfile.open(build) as tar:
            tar.extractall(into, filter="tar") if hasattr(tarfile, "data_filter") else tar.extractall(into)
    names = ("escape-route.exe",) if sys.platform == "win32" else ("escape-route",)
    for path in sorted(into.rglob("*")):
        if path.name in names and path.is_file() and "_internal" not in path.parts:
            return path
    raise SystemExit(f"smoke_desktop: no escape-route program in {build}")


def bare_environment(home: Path) -> dict[str, str]:
    """An environment with no Python on PATH and nothing pointing into a Python installation."""
    empty = home / "empty-path"
    empty.mkdir()
    env = {"PATH": str(empty), "HOME": str(home), "ESCAPE_ROUTE_DATA_DIR": str(home / "data"),
           "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    for keep in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA"):  # Windows needs these
        if keep in os.environ:
            env[keep] = os.environ[keep]
    return env


def answers(seed: int) -> str:
    """The first open choice at every page of a journey with ``seed``, as the lines to type."""
    sys.path.insert(0, str(REPO))
    from game.engine.engine import Engine
    from game.paths import story_dir
    from game.story.loader import load_story

    engine = Engine(load_story(story_dir()))
    state = engine.new_game(seed=seed)
    lines = []
    while engine.view(state).ending is None:
        choice = next(c for c in engine.view(state).choices if c.available)
        lines.append(str(choice.index + 1))
        engine.choose(state, choice.index)
    return "\n".join(lines) + "\n"


def run(program: Path, args: list[str], env: dict[str, str], stdin: str = "", timeout: float = 180) -> tuple[int, str]:
    result = subprocess.run([str(program), *args], input=stdin, capture_output=True, text=True, env=env,
                            cwd=env["HOME"], timeout=timeout, encoding="utf-8", errors="replace")
    return result.returncode, result.stdout + result.stderr


def smoke(build: Path) -> list[str]:
    """Run every check; returns the failures (empty when the build is good)."""
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="escape-route-smoke-") as tmp:
        root = Path(tmp)
        home = root / "home"
        home.mkdir()
        program = unpack(build, root / "unpacked")
        env = bare_environment(home)
        assert shutil.which("python3", path=env["PATH"]) is None and shutil.which("python", path=env["PATH"]) is None

        code, out = run(program, ["--version"], env)
        if code != 0 or "escape-route" not in out:
            failures.append(f"--version: exit {code}: {out.strip()[-300:]}")
        code, out = run(program, ["check"], env)
        if code != 0 or " 0 errors" not in out:
            failures.append(f"check: exit {code}: {out.strip()[-300:]}")
        code, out = run(program, ["play", "--text", "--seed", str(SEED)], env, stdin=answers(SEED))
        last = out.rstrip().splitlines()[-1] if out.strip() else ""
        if code != 0 or not last.startswith("THE END"):
            failures.append(f"play --text: exit {code}, last line {last!r}")
        started = time.monotonic()
        code, out = run(program, ["play", "--autoplay", "first", "--fast", "--quit-at-end"], env)
        if code != 0:
            failures.append(f"window (headless autoplay): exit {code}: {out.strip()[-300:]}")
        print(f"smoke_desktop: the window played to an ending in {time.monotonic() - started:.1f} s")
        if "Traceback" in out:
            failures.append("a traceback was printed")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="the archive (.tar.gz, .zip) or the built folder")
    args = parser.parse_args(argv)
    failures = smoke(args.build.resolve())
    for failure in failures:
        print(f"smoke_desktop: FAILED {failure}", file=sys.stderr)
    print(f"smoke_desktop: {4 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
