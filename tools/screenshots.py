"""Render every scene of the game headless to PNG files, to look at the UI without a window.

    python tools/screenshots.py --out /tmp/shots [--story story/] [--size 1920x1080]

Drives the real App with real commands (the same path as the keyboard), so what is
saved is what a player sees. When the shipped story does not load only because
facts it names are not written yet, a temporary copy without those fact links is
used (and said so), so the screens can still be checked while the story is written.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pygame  # noqa: E402

from game.engine.engine import Engine  # noqa: E402
from game.errors import StoryLoadError  # noqa: E402
from game.paths import story_dir  # noqa: E402
from game.story.loader import load_story  # noqa: E402
from game.story.model import Story  # noqa: E402


def load_for_screens(root: Path) -> Story:
    from game.l10n import language
    try:
        return load_story(root, lang=language())
    except StoryLoadError as exc:
        if not exc.diagnostics or any(getattr(d, "code", "") != "ER050" for d in exc.diagnostics):
            raise
    tmp = Path(tempfile.mkdtemp(prefix="er-screens-"))
    copy = tmp / root.name
    shutil.copytree(root, copy)
    if (root.parent / "assets").is_dir():  # story.yaml's map path is relative: keep the layout
        (tmp / "assets").symlink_to(root.parent / "assets")
    for path in copy.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^(\s*)facts:\s*\[[^\]]*\]\s*$", r"\1facts: []", text), encoding="utf-8")
    print(f"note: {root} names facts that are not written yet; screens use a copy without fact links",
          file=sys.stderr)
    return load_story(copy)


def random_journey(engine: Engine, seed: int, rng: random.Random):  # noqa: ANN201
    """A journey with ``seed`` whose choices ``rng`` picks among the open ones, to its end (or 400 pages)."""
    state = engine.new_game(seed)
    for _ in range(400):
        view = engine.view(state)
        if view.ending is not None:
            break
        open_ = [ch for ch in view.choices if ch.available]
        if not open_:
            break
        engine.choose(state, rng.choice(open_).index)
    return state


def find_journey(story: Story, want_failed_roll: bool, tries: int = 400):  # noqa: ANN201
    """A finished journey (state) that ended badly after a risk fell, or any ending."""
    engine = Engine(story)
    fallback = None
    for seed in range(1, tries):
        state = random_journey(engine, seed, random.Random(seed))
        view = engine.view(state)
        if view.ending is None:
            continue
        fell = any(isinstance(e.get("roll"), dict) and e["roll"].get("failed") for e in state.journal)
        if view.ending.kind != "safe" and fell and len(state.journal) > 12:
            return state
        fallback = fallback or state
        if not want_failed_roll:
            return state
    return fallback


def find_kind(story: Story, kind: str, tries: int = 3000):  # noqa: ANN201
    """A finished journey (state) that ended in an ending of ``kind``, or None; the longest of the first few."""
    engine = Engine(story)
    found = []
    for seed in range(1, tries):
        state = random_journey(engine, seed, random.Random(seed * 7919))
        view = engine.view(state)
        if view.ending is not None and view.ending.kind == kind:
            found.append(state)
            if len(found) >= 3:
                break
    return max(found, key=lambda st: len(st.journal)) if found else None


def endings_shots(story: Story, out: Path, size: tuple[int, int], written: list[Path]) -> None:
    """The debrief of each kind of ending, the endings gallery, a chapter card and the map with its total."""
    from game.engine import history
    from game.ui import commands as c
    from game.ui.app import App
    from game.ui.scenes.chapter_card import ChapterCardScene
    from game.ui.scenes.ending import DebriefScene
    from game.ui.scenes.map import MapScene
    from game.ui.scenes.story import StoryScene
    from game.ui.settings import Settings, save_settings

    save_settings(Settings(reduced_motion=True))  # no card over the pages reached by hand below
    app = App(story, seed=7, size=size)

    def shot(name: str, settle: float = 0.6) -> None:
        for _ in range(max(1, round(settle * 20))):
            app.step(events=[], dt=0.05)
        path = out / f"{name}.png"
        pygame.image.save(app.screen, str(path))
        written.append(path)

    for kind in ("safe", "caught", "lost", "stayed", "trapped", "returned"):
        state = find_kind(story, kind)
        if state is None:
            print(f"note: no journey found that ends as {kind!r}", file=sys.stderr)
            continue
        app.state = state
        app.stack.replace_all(StoryScene(app))  # records the ending in the gallery too
        app.push(DebriefScene(app))
        shot(f"debrief-{kind}")
        if kind == "safe" and app.stack.top.cards:  # the card "What has changed since 2010"
            app.stack.top.scroll = float(app.stack.top.cards[0][0] - 20)
            app.stack.top.clamp_scroll()
            shot("debrief-since-2010", settle=0.1)
        if kind == "caught":
            app.post(c.Pick(0))  # See another path from an earlier decision: the list
            shot("debrief-caught-go-back", settle=0.3)
            app.post(c.Back())
            app.step(events=[])
    app.to_title()
    shot("title-with-gallery")
    app.push(__import__("game.ui.scenes.gallery", fromlist=["GalleryScene"]).GalleryScene(app))
    shot("endings-gallery")
    app.post(c.Confirm())
    shot("endings-gallery-reopened-debrief")
    # A chapter card: the first page of a later chapter of the longest safe journey.
    state = find_kind(story, "safe")
    if state is not None:
        chapters = [e.get("chapter") for e in state.journal]
        index = next((i for i, ch in enumerate(chapters) if i and ch != chapters[i - 1] and i > 8), 1)
        app.state = state.copy()
        del app.state.journal[index + 1:]
        entry = app.state.journal[index]
        app.state.node = entry["node"]
        app.stack.replace_all(StoryScene(app))
        app.push(ChapterCardScene(app, str(entry.get("chapter")), entry.get("location")))
        shot("chapter-card", settle=0.4)
        app.stack.replace_all(StoryScene(app))
        app.push(MapScene(app))
        shot("map-with-route-total")
    app.close()
    del history


def journeys_shots(story: Story, out: Path, size: tuple[int, int], written: list[Path]) -> None:
    """Class journeys: the set-up, the dashboard with 30 students, each page of the class debrief, and the
    first pages of the class report (headless Chromium prints it; pdftoppm renders the pages)."""
    import subprocess

    from journeys_standin import StandInRoom

    from game.cli.classroom import projector_mode
    from game.ui import commands as c
    from game.ui.app import App
    from game.ui.classroom.dashboard import DashboardScene
    from game.ui.classroom.journeys_debrief import JourneysDebriefScene
    from game.ui.classroom.journeys_setup import JourneyChoices, JourneysSetupScene

    def shot(app: App, name: str, frames: int = 30) -> None:
        for _ in range(frames):
            app.step(events=[], dt=0.05)
        path = out / f"{name}.png"
        pygame.image.save(app.screen, str(path))
        written.append(path)

    app = App(story, seed=7, size=size)
    projector_mode(app)
    app.stack.replace_all(JourneysSetupScene(app, JourneyChoices("9B History", "same", False, False, 2010),
                                             lambda choices: None))
    shot(app, "journeys-setup")
    tmp = Path(tempfile.mkdtemp(prefix="er-journeys-"))
    room = StandInRoom(story, tmp / "9B-journeys.jsonl", luck="same", seed=2010)
    room.join(30)
    room.seconds_per_choice = 5.0   # 30 students choosing every 2 to 3 minutes: 260 choices in about 22 minutes
    room.play(260, random.Random(3))
    room.journeys.send_prompt(next(n.discuss for n in story.nodes.values() if n.discuss))
    app.stack.replace_all(DashboardScene(app, room, "9B History"))
    shot(app, "journeys-dashboard-30-students")
    rng = random.Random(4)
    room.finish_all(rng)
    scene = JourneysDebriefScene(app, room.journeys.end(), "9B History")
    app.stack.replace_all(scene)
    for page in range(len(scene.pages)):
        shot(app, f"journeys-debrief-{page + 1:02d}", frames=3)
        app.post(c.Confirm())
    room.close()
    app.close()
    from game.classroom.report import write_report

    report = tmp / "report.html"
    write_report([room.writer.path], report)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdftoppm") is None:
        print("note: no Chromium or pdftoppm: the report's pages are not drawn", file=sys.stderr)
        return
    pdf = tmp / "report.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={tmp / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    report.as_uri()], capture_output=True, timeout=120, check=False)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", str(pdf), str(out / "journeys-report-page")],
                   check=True, timeout=120)
    written.extend(sorted(out.glob("journeys-report-page-*.png")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--story", type=Path, default=None)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--journeys", action="store_true",
                        help="only class journeys: the set-up, the dashboard, the class debrief and the report")
    parser.add_argument("--endings", action="store_true",
                        help="only the debrief of each kind of ending, the gallery, a chapter card and the map")
    parser.add_argument("--lang", default="en", help="the language of the screens (ko: the Korean edition)")
    args = parser.parse_args(argv)
    from game.l10n import set_language
    set_language(args.lang)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="er-screens-data-"))
    os.environ["ESCAPE_ROUTE_DATA_DIR"] = str(data)  # never touch the player's saves or settings
    story = load_for_screens(args.story or story_dir())
    w, h = (int(v) for v in args.size.lower().split("x"))

    from game.engine.save import slot_path, write_save
    from game.ui import commands as c
    from game.ui.app import App
    from game.ui.scenes.ending import DebriefScene
    from game.ui.scenes.story import StoryScene
    from game.ui.settings import Settings, save_settings

    pygame.init()
    written: list[Path] = []
    if args.journeys:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        journeys_shots(story, out, (w, h), written)
        pygame.quit()
        for path in written:
            print(path)
        return 0
    if args.endings:
        endings_shots(story, out, (w, h), written)
        pygame.quit()
        for path in written:
            print(path)
        return 0

    def shot(app: App, name: str, settle: float = 1.0) -> None:
        for _ in range(max(1, round(settle * 20))):
            app.step(events=[], dt=0.05)
        path = out / f"{name}.png"
        pygame.image.save(app.screen, str(path))
        written.append(path)

    def fresh(size: tuple[int, int], settings: Settings | None = None, **kw) -> App:  # noqa: ANN003
        save_settings(settings or Settings())
        return App(story, seed=7, size=size, **kw)

    def advance(app: App, picks: int, rng: random.Random) -> None:
        for _ in range(picks):
            view = app.engine.view(app.state)
            if view.ending is not None:
                return
            open_ = [ch for ch in view.choices if ch.available and not ch.risk]
            open_ = open_ or [ch for ch in view.choices if ch.available]
            app.engine.choose(app.state, rng.choice(open_).index)
        app.stack.replace_all(StoryScene(app))

    # Title, content note.
    app = fresh((w, h))
    shot(app, "01-title")
    app.post(c.Confirm())
    shot(app, "02-content-note")
    app.post(c.Pick(0))
    app.stack.top.menu.activate(0)
    app.post(c.AnyKey())
    shot(app, "03-story")
    # A page with a risk, after a few choices; then the HUD change after choosing.
    rng = random.Random(3)
    for _ in range(40):
        view = app.engine.view(app.state)
        if view.ending is None and any(ch.risk for ch in view.choices) and len(view.choices) >= 3:
            break
        advance(app, 1, rng)
    app.post(c.AnyKey())
    shot(app, "04-story-choices-risk")
    view = app.engine.view(app.state)
    pick = max((ch for ch in view.choices if ch.available), key=lambda ch: len(ch.costs))
    app.post(c.Pick(pick.index))
    shot(app, "05-hud-change", settle=0.5)
    app.post(c.AnyKey())
    shot(app, "05b-after-choice", settle=0.2)
    write_save(slot_path("slot-1"), app.state, story, label="Screenshot")
    app.post(c.OpenMap())
    shot(app, "06-map")
    app.post(c.Hover(tuple(round(v) for v in app.map_view.screen_pos(app.stack.top.rect,
                                                                      app.engine.view(app.state).location))))
    shot(app, "06b-map-tooltip", settle=0.1)
    app.post(c.Back())
    app.post(c.OpenJournal())
    shot(app, "07-journal")
    app.post(c.Back())
    app.post(c.OpenSettings())
    shot(app, "08-settings")
    app.post(c.Back())
    app.post(c.OpenSaves("save"))
    shot(app, "09-save")
    app.post(c.Back())
    (slot_path("slot-2")).write_text("{ this is not json", encoding="utf-8")
    app.post(c.OpenSaves("load"))
    shot(app, "10-load")
    app.post(c.Back())
    app.post(c.Back())
    shot(app, "11-pause-menu")
    app.post(c.Back())
    app.step(events=[])
    # Ending and debrief.
    ended = find_journey(story, want_failed_roll=True)
    if ended is not None:
        app.state = ended
        app.stack.replace_all(StoryScene(app))
        app.post(c.AnyKey())
        shot(app, "12-ending")
        app.push(DebriefScene(app))
        shot(app, "13-debrief")
        app.post(c.Scroll(pages=1))
        shot(app, "13b-debrief-scrolled", settle=0.1)
    app.close()
    # High contrast, large text.
    app = fresh((w, h), Settings(high_contrast=True, text_size="large"), skip_title=True)
    advance(app, 3, random.Random(5))
    app.post(c.AnyKey())
    shot(app, "14-high-contrast-large")
    app.close()
    # Small and huge windows.
    for size, name in (((1024, 600), "15-story-1024x600"), ((3840, 2160), "16-story-3840x2160")):
        app = fresh(size, skip_title=True)
        advance(app, 3, random.Random(5))
        app.post(c.AnyKey())
        shot(app, name)
        if size == (1024, 600):
            app.to_title()
            shot(app, "15b-title-1024x600")
        app.close()
    # Damaged settings and save.
    settings_file = data / "settings.json"
    settings_file.write_text("{ broken", encoding="utf-8")
    app = App(story, seed=7, size=(w, h))
    app.post(c.Pick(2))  # Load: the damaged slot is listed with its problem
    shot(app, "17-damaged-settings-notice", settle=0.3)
    app.close()
    # Issue 15, the player's screens: the risk line after a roll, a closed choice with its whole
    # reason, settings and the save list at 1024×600 with the largest text.
    app = fresh((w, h), skip_title=True)
    rng = random.Random(11)
    for _ in range(60):
        view = app.engine.view(app.state)
        risky = [ch for ch in view.choices if ch.available and ch.risk]
        if view.ending is None and risky:
            app.post(c.AnyKey())
            app.step(events=[])
            app.post(c.Pick(risky[0].index))
            break
        advance(app, 1, rng)
    app.post(c.AnyKey())
    app.toasts.clear()  # "your other journey is kept": each fresh window here starts a journey
    shot(app, "18-story-risk-message", settle=0.5)
    app.close()
    app = fresh((1024, 600), Settings(text_size="x-large"), skip_title=True)
    rng = random.Random(4)
    for _ in range(60):
        view = app.engine.view(app.state)
        if view.ending is None and any(not ch.available for ch in view.choices):
            break
        advance(app, 1, rng)
    app.post(c.AnyKey())
    app.toasts.clear()  # "your other journey is kept": each fresh window here starts a journey
    shot(app, "19-closed-choice-reason-1024x600-xlarge")
    app.post(c.OpenSettings())
    for _ in range(5):
        app.post(c.Move(dy=1))
    app.toasts.clear()  # "your other journey is kept": each fresh window here starts a journey
    shot(app, "20-settings-1024x600-xlarge")
    app.post(c.Back())
    write_save(slot_path("slot-1"), app.state, story, label="Screenshot")
    app.post(c.OpenSaves("load"))
    app.toasts.clear()  # "your other journey is kept": each fresh window here starts a journey
    shot(app, "21-load-1024x600-xlarge")
    app.close()
    pygame.quit()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
