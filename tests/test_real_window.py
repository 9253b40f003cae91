"""The game in a real X11 window (Xvfb), driven by xdotool like a player's keyboard.

The headless tests post SDL events themselves; this one lets the X server and SDL make
them, key repeat included, so it catches what only a real window shows: holding Enter
on the content note must begin the journey and take no story choice (issue 15).
Skips, saying why, where Xvfb, xdotool or ImageMagick's ``import`` is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import REPO, TINY, write_story
from game.engine.save import AUTOSAVE, slot_path
from game.ui.settings import Settings, save_settings

TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}


def need_tools() -> None:
    missing = [package for tool, package in TOOLS.items() if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install {' '.join(missing)})")


@pytest.fixture
def display():
    """A private X server; its display name (":N") comes from -displayfd, so no number is guessed."""
    need_tools()
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        number = b""
        deadline = time.monotonic() + 20
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            chunk = os.read(read, 16)
            if not chunk:
                break
            number += chunk
        os.close(read)
        if not number.strip():
            pytest.skip("Xvfb did not start")
        yield f":{number.decode().strip()}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def xdotool(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=30).stdout.strip()


def autosaved_step() -> int | None:
    path = slot_path(AUTOSAVE)
    if not path.is_file():
        return None
    return json.loads(path.read_text())["state"]["step"]


def test_held_enter_in_a_real_window_takes_no_story_choice(display, tmp_path):
    save_settings(Settings().changed(text_speed="instant", window=(1024, 640)))
    # SDL names the window's X class after this, so xdotool finds it without guessing at titles.
    env = {**os.environ, "DISPLAY": display, "SDL_VIDEO_X11_WMCLASS": "escape-route-test"}
    for name in ("SDL_VIDEODRIVER", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    story = write_story(tmp_path / "tiny", TINY)
    game = subprocess.Popen([sys.executable, "-m", "game", "play", "--story", str(story), "--seed", "2"], env=env,
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        window = xdotool(env, "search", "--sync", "--onlyvisible", "--class", "escape-route-test")
        assert window, "the game window did not appear"
        window = window.splitlines()[0]
        xdotool(env, "windowfocus", "--sync", window)
        time.sleep(1.0)
        xdotool(env, "key", "Return")  # New journey → the content note
        time.sleep(0.8)
        assert autosaved_step() is None  # no journey yet
        # Hold Enter on the content note: it begins the journey, and the repeats take nothing.
        xdotool(env, "keydown", "Return")
        time.sleep(0.6)
        xdotool(env, "keyup", "Return")
        time.sleep(0.8)
        shot = tmp_path / "window.png"
        subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True, timeout=30)
        if os.environ.get("ESCAPE_ROUTE_WINDOW_SHOT"):  # to look at it: a path to copy the screenshot to
            shutil.copy(shot, os.environ["ESCAPE_ROUTE_WINDOW_SHOT"])
        assert autosaved_step() == 0, "the held Enter took a story choice"
        # And the window shows the story's first page, drawn (not a blank screen).
        pygame = pytest.importorskip("pygame")
        image = pygame.image.load(str(shot))
        colours = {tuple(image.get_at((x, y))[:3]) for x in range(0, 1024, 16) for y in range(0, 640, 16)}
        assert len(colours) > 3
        # Then a deliberate press takes a choice: the window does answer the keyboard.
        xdotool(env, "key", "3")
        time.sleep(0.8)
        assert autosaved_step() == 1
    finally:
        game.terminate()
        try:
            game.wait(timeout=10)
        except subprocess.TimeoutExpired:
            game.kill()
            game.wait()
