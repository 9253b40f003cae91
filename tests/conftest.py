"""Shared fixtures: headless SDL, a private data folder, and tiny stories written to disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# The program follows the system's language; the tests expect English unless they ask for another.
os.environ["LANGUAGE"] = "en"

REPO = Path(__file__).resolve().parent.parent
STORY = REPO / "story"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder, so no test touches real saves or another test's."""
    path = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("ESCAPE_ROUTE_DATA_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def english_after_each_test():
    """The language is process-wide (a player chooses it once): a test that changes it in the settings
    screen must not leave the next test speaking Korean."""
    yield
    from game import l10n

    l10n.set_language("en")


def write_story(folder: Path, files: dict[str, str | None]) -> Path:
    """Write a story folder from {name: text}; None deletes the file. Text may carry surrogate-escaped bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return folder


TINY = {
    "story.yaml": """\
title: Tiny
version: "1"
year: 2010
start: river
content_note: A test story.
resources:
  cash: {start: 300, min: 0, label: Cash, unit: "¥"}
  health: {start: 50, min: 0, max: 100, label: Health}
  days: {start: 0, min: 0, label: Days, unit: day, better: lower}
flags: [warned]
items:
  phone: {label: Chinese phone}
""",
    "01_river.yaml": """\
chapter: The River
nodes:
  river:
    title: The river
    text: |
      You have {cash}. {if warned}You were warned.{else}Nobody warned you.{end}

      The water is cold.
    choices:
      - text: Pay the guard
        if: cash >= 150
        effects: {cash: -150, days: 1, phone: true}
        roll: {chance: 0.5, label: turned in, fail: caught}
        goto: bank
      - text: Buy a boat
        if: cash >= 1000
        goto: bank
      - text: Wait a week
        effects: {days: 7, health: -10, warned: true}
        goto: river
  bank:
    text: Safe on the far bank with {cash}.
    ending: {id: crossed, kind: safe, title: Across}
  caught:
    text: The guard's torch finds you.
    ending: {id: caught, kind: caught, title: Caught at the river}
""",
}


@pytest.fixture
def tiny_story(tmp_path) -> Path:
    return write_story(tmp_path / "tiny", TINY)


def headless_chromium(profile: Path, size: tuple[int, int] = (1400, 900)):
    """Debian's Chromium through Selenium, headless, with a fresh profile; skips with the reason where absent."""
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    # No background networking: this machine (and CI) has no network beyond package registries.
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                 "--disable-extensions", "--no-default-browser-check", "--metrics-recording-only",
                 f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))


@pytest.fixture
def make_app():
    """A factory of real game windows (headless), closed after the test: ``make_app(story, **App kwargs)``.

    Defaults: seed 2 and a 1280x720 window, so screenshots and pixels are comparable.
    """
    import pygame

    from game.ui.app import App

    apps: list = []

    def make(story, **kw):  # noqa: ANN001, ANN003, ANN202
        kw.setdefault("seed", 2)
        kw.setdefault("size", (1280, 720))
        pygame.init()
        app = App(story, **kw)
        apps.append(app)
        app.step(events=[])
        return app

    yield make
    for app in apps:
        app.close()
    pygame.quit()


def press(app, key, text=""):
    """One key as a person presses it: down, the text it types (if any), up; then one frame of the app."""
    import pygame

    events = [pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=text, scancode=0)]
    if text:
        events.append(pygame.event.Event(pygame.TEXTINPUT, text=text))
    events.append(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode=text, scancode=0))  # a tap is released
    app.step(events)
