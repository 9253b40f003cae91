"""The pygame front-end, driven headless through real pygame events and the real scene stack."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from conftest import REPO, TINY, write_story
from game.engine.save import AUTOSAVE, read_save, slot_path
from game.story.loader import load_story
from game.ui import commands as c
from game.ui.app import App
from game.ui.settings import Settings, load_settings, save_settings

MAP = REPO / "assets" / "maps" / "route.tmx"


def mapped_story() -> dict[str, str]:
    """TINY with the real route map and real places, so the map scene has something to show."""
    files = dict(TINY)
    files["story.yaml"] = TINY["story.yaml"] + f"map: {MAP.as_posix()}\n"
    files["01_river.yaml"] = (TINY["01_river.yaml"]
                              .replace("    title: The river\n", "    title: The river\n    location: hyesan\n"
                                       "    heading: changbai\n")
                              .replace("  bank:\n", "  bank:\n    location: changbai\n")
                              .replace("  caught:\n", "  caught:\n    location: hyesan\n"))
    return files


@pytest.fixture
def story(tmp_path):
    return load_story(write_story(tmp_path / "tiny", TINY))


@pytest.fixture
def map_story(tmp_path):
    return load_story(write_story(tmp_path / "mapped", mapped_story()))


def let_screen_settle(app: App) -> None:
    """Wait, as a person does, until the screen takes presses (it ignores them for a moment after it appears)."""
    for _ in range(60):
        if not app.gate.settling(c.Confirm(), app.time):
            return
        app.step(events=[])


def key(app: App, k: int, frames: int = 1, **extra) -> None:  # noqa: ANN003
    """Post a real key press (down, then up) to SDL's queue and run frames."""
    let_screen_settle(app)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=extra.get("mod", 0), unicode="",
                                         scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=extra.get("mod", 0), unicode="", scancode=0))
    for _ in range(frames):
        app.step()


def click(app: App, pos: tuple[int, int]) -> None:
    let_screen_settle(app)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos))
    app.step()


def settle(app: App, seconds: float = 1.0) -> None:
    for _ in range(round(seconds * 60)):
        app.step(events=[])


def pixel_mean(surface: pygame.Surface, rect: pygame.Rect) -> tuple[float, float, float]:
    r, g, b, _ = pygame.transform.average_color(surface, rect.clip(surface.get_rect()))
    return float(r), float(g), float(b)


def begin(app: App) -> None:
    """Title → content note → story, with the keyboard."""
    assert app.stack.top.name == "title"
    key(app, pygame.K_RETURN)  # New journey (focused: nothing saved yet)
    assert app.stack.top.name == "content-note"
    assert "A test story." in " ".join(block.text for block, _, _ in app.stack.top.placed)
    key(app, pygame.K_RETURN)  # Begin
    assert app.stack.top.name == "story"
    key(app, pygame.K_SPACE)  # completes the reveal


# --------------------------------------------------------------------------- the journey


def test_title_to_ending_with_the_keyboard(story, make_app):
    app = make_app(story)
    begin(app)
    scene = app.stack.top
    assert scene.revealed and app.state.node == "river"
    key(app, pygame.K_3)  # Wait a week
    assert app.state.vars["days"] == 7 and app.state.vars["warned"] is True
    assert {m.name for m in scene.hud.markers} == {"days", "health"}
    assert {m.name: m.good for m in scene.hud.markers} == {"days": False, "health": False}
    key(app, pygame.K_RETURN)  # completes the new page's reveal
    key(app, pygame.K_DOWN)
    key(app, pygame.K_UP)
    key(app, pygame.K_RETURN)  # focused: Pay the guard (the first available)
    assert app.state.node in ("bank", "caught")
    assert scene.banner is not None  # whether the risk fell is shown
    assert read_save(slot_path(AUTOSAVE), story)[0].node == app.state.node  # autosaved at every node
    key(app, pygame.K_SPACE)
    key(app, pygame.K_RETURN)  # See what it cost
    assert app.stack.top.name == "ending"
    settle(app, 0.2)


def test_mouse_chooses_and_unavailable_choice_is_refused_with_its_reason(story, make_app):
    app = make_app(story, skip_title=True)
    scene = app.stack.top
    click(app, (5, 5))  # any click completes the reveal
    assert scene.revealed
    boat = next(b for b in scene.buttons if b.index == 1)
    rect = boat.rect.move(scene.choices_rect.topleft)
    click(app, rect.center)
    assert app.state.node == "river" and app.state.step == 0
    assert any("needs ¥1,000" in t[0] for t in app.toasts)
    wait = next(b for b in scene.buttons if b.index == 2).rect.move(scene.choices_rect.topleft)
    click(app, wait.center)
    assert app.state.step == 1


def test_choice_buttons_are_drawn_and_greyed(story, make_app):
    app = make_app(story, skip_title=True)
    key(app, pygame.K_SPACE)
    settle(app, 0.5)
    scene = app.stack.top
    bg = app.theme.palette.bg
    rects = {b.index: b.rect.move(scene.choices_rect.topleft) for b in scene.buttons}
    for rect in rects.values():
        assert tuple(app.screen.get_at(rect.move(0, 0).inflate(-40, -10).topleft))[:3] != bg
    key(app, pygame.K_DOWN)  # focus off the first, so both compared buttons are unfocused
    settle(app, 0.1)
    available = pixel_mean(app.screen, rects[2])
    greyed = pixel_mean(app.screen, rects[1])
    assert sum(available) > sum(greyed) + 3  # the closed choice's text is fainter
    # The risk badge of choice 1 is the danger red somewhere in its button.
    red = app.theme.palette.danger
    button = app.screen.subsurface(rects[0])
    assert any(tuple(button.get_at((x, y)))[:3] == red
               for x in range(0, rects[0].w, 3) for y in range(0, rects[0].h, 3))


def test_rollback_with_backspace_restores_the_state(story, make_app):
    app = make_app(story, skip_title=True)
    key(app, pygame.K_SPACE)
    before = app.state.to_dict()
    key(app, pygame.K_3)
    assert app.state.step == 1
    key(app, pygame.K_BACKSPACE)
    after = app.state.to_dict()
    assert after["vars"] == before["vars"] and after["node"] == "river" and after["step"] == 0
    assert len(app.state.journal) == 1 and "choice" not in app.state.journal[-1]
    key(app, pygame.K_BACKSPACE)  # nothing left to undo: a reason, not a crash
    assert any("no choice to undo" in t[0] for t in app.toasts)


def test_rollback_forbidden_by_the_story_shows_why(tmp_path, make_app):
    files = dict(TINY)
    files["01_river.yaml"] = TINY["01_river.yaml"].replace("    title: The river\n",
                                                           "    title: The river\n    rollback: false\n")
    app = make_app(load_story(write_story(tmp_path / "s", files)), skip_title=True)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_3)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_BACKSPACE)
    assert app.state.step == 1
    assert any("cannot be undone" in t[0] for t in app.toasts)


def test_journal_shows_what_was_read_and_chosen_and_scrolls(story, make_app):
    app = make_app(story, skip_title=True, size=(1024, 600))
    key(app, pygame.K_SPACE)
    for _ in range(4):
        key(app, pygame.K_3)
        key(app, pygame.K_SPACE)
    key(app, pygame.K_h)
    journal = app.stack.top
    assert journal.name == "journal"
    words = [line for block, _, _ in journal.placed for line in block.lines]
    assert len(words) > 10
    assert journal.max_scroll > 0 and journal.scroll == journal.max_scroll  # opens at the latest page
    key(app, pygame.K_PAGEUP)
    assert journal.scroll < journal.max_scroll
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-2, precise_x=0.0, precise_y=-2.0, flipped=False))
    app.step()
    key(app, pygame.K_HOME)
    assert journal.scroll == 0
    key(app, pygame.K_h)
    assert app.stack.top.name == "story"


def test_save_to_a_slot_and_load_it_back(story, make_app):
    app = make_app(story, skip_title=True)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_3)
    key(app, pygame.K_F6)
    assert app.stack.top.name == "saves"
    key(app, pygame.K_1)  # slot 1
    assert slot_path("slot-1").exists()
    saved = app.state.to_dict()
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_3)
    assert app.state.step == 2
    key(app, pygame.K_F9)
    scene = app.stack.top
    index = next(i for i, item in enumerate(scene.menu.items) if item.label.startswith("Slot 1"))
    key(app, pygame.K_1 + index)
    assert app.stack.top.name == "story"
    assert app.state.to_dict()["vars"] == saved["vars"] and app.state.step == 1


def test_a_damaged_save_shows_a_message_and_does_not_crash(story, make_app):
    slot_path(AUTOSAVE).parent.mkdir(parents=True, exist_ok=True)
    slot_path(AUTOSAVE).write_text('{"format": "escape-route-save", "save_version": 1, "state": 7}')
    slot_path("slot-3").write_bytes(b"\x00\xff not json")
    app = make_app(story)
    title = app.stack.top
    cont = title.menu.items[1]
    assert cont.enabled  # the summary looks fine; the damage is inside the saved state
    key(app, pygame.K_2)  # Continue
    assert app.stack.top.name == "scene" and "cannot be loaded" in app.stack.top.title
    settle(app, 0.2)
    key(app, pygame.K_RETURN)  # OK
    assert app.stack.top.name == "title" and app.state is None
    key(app, pygame.K_3)  # Load
    scene = app.stack.top
    damaged = [item for item in scene.menu.items if item.danger]
    assert len(damaged) == 1 and all("Cannot be loaded" in item.detail for item in damaged)
    scene.menu.activate(scene.menu.items.index(damaged[0]))
    app.step()
    assert "cannot be loaded" in app.stack.top.title and "damaged" in app.stack.top.body
    settle(app, 0.1)
    slot_path(AUTOSAVE).write_text("{ truncated")
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_ESCAPE)
    assert app.stack.top.name == "title"
    assert "cannot be loaded" in app.stack.top.menu.items[1].detail


def test_a_damaged_settings_file_gives_defaults_and_a_notice(story, make_app, private_data_dir):
    (private_data_dir / "settings.json").write_text("{ not json at all")
    app = make_app(story)
    assert app.settings == Settings()
    assert any("settings file was damaged" in t[0] for t in app.toasts)
    (private_data_dir / "settings.json").write_text(json.dumps({"text_size": "gigantic", "high_contrast": "yes",
                                                                 "reduced_motion": True, "window": [1, 2]}))
    settings, notice = load_settings()
    assert notice == "" and settings == Settings(reduced_motion=True)


def test_settings_change_apply_and_persist(story, make_app):
    app = make_app(story, skip_title=True)
    key(app, pygame.K_SPACE)
    settle(app, 0.3)
    bg_before = tuple(app.screen.get_at((2, app.screen.get_height() // 2)))[:3]
    key(app, pygame.K_F2)
    assert app.stack.top.name == "settings"
    key(app, pygame.K_RIGHT)  # text size: medium → large
    assert app.settings.text_size == "large"
    for _ in range(3):
        key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)  # high contrast on
    assert app.settings.high_contrast
    key(app, pygame.K_ESCAPE)
    settle(app, 0.5)
    bg_after = tuple(app.screen.get_at((2, app.screen.get_height() // 2)))[:3]
    assert bg_before == (27, 29, 31) and bg_after == (0, 0, 0)
    saved, notice = load_settings()
    assert notice == "" and saved.text_size == "large" and saved.high_contrast


def test_map_scene_shows_the_route_with_tooltips(map_story, make_app):
    app = make_app(map_story, skip_title=True)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_m)
    scene = app.stack.top
    assert scene.name == "map" and scene.current == "hyesan" and scene.heading == "changbai"
    pos = tuple(round(v) for v in app.map_view.screen_pos(scene.rect, "hyesan"))
    plain = app.screen.copy()
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.step()
    settle(app, 0.3)
    assert scene.hover == pos
    assert pygame.image.tobytes(plain, "RGB") != pygame.image.tobytes(app.screen, "RGB")  # the tooltip
    key(app, pygame.K_ESCAPE)
    assert app.stack.top.name == "story"


def test_ending_debrief_offers_to_try_again_before_the_risk_that_fell(map_story, make_app):
    for seed in range(1, 40):
        app = make_app(map_story, skip_title=True, seed=seed)
        key(app, pygame.K_SPACE)
        key(app, pygame.K_1)
        if app.state.node == "caught":
            break
    else:
        pytest.fail("no seed made the 50% risk fall")
    key(app, pygame.K_SPACE)
    key(app, pygame.K_RETURN)
    debrief = app.stack.top
    assert debrief.name == "ending"
    labels = [item.label for item in debrief.menu.items]
    assert labels == ["See another path from an earlier decision", "Start a new journey", "Back to the title screen"]
    texts = " ".join(block.text for block, _, _ in debrief.placed)
    assert "The 50% risk happened: turned in." in texts and "What it cost".upper() in texts
    assert "Every percentage in this game is the writers' estimate" in texts
    key(app, pygame.K_1)
    assert app.stack.top.name == "retry" and app.stack.top.menu.items[0].label.startswith("Before the risk that fell")
    key(app, pygame.K_1)
    assert app.stack.top.name == "story" and app.state.node == "river" and app.state.step == 0


def test_resizing_relays_out_from_1024x600_to_4k(story, make_app):
    app = make_app(story, skip_title=True)
    key(app, pygame.K_SPACE)
    for size in ((1024, 600), (3840, 2160), (800, 1000), (100, 50)):
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1]))
        app.step()
        settle(app, 0.1)
        w, h = app.screen.get_size()
        assert w >= 640 and h >= 400
        scene = app.stack.top
        assert scene.choices_rect.right <= w and scene.text_pane.right <= w
    assert app.screen.get_size() == (640, 400)


def test_text_is_rendered_once_not_every_frame(story, make_app):
    app = make_app(story, skip_title=True, size=(1920, 1080))
    key(app, pygame.K_SPACE)
    settle(app, 0.5)
    before = app.text.renders
    settle(app, 0.5)
    assert app.text.renders == before


def test_quit_request_stops_the_loop_without_exiting_the_process(story, make_app):
    app = make_app(story)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.step()
    assert app.running is False


def test_five_thousand_random_events_raise_nothing(map_story, make_app):
    rng = random.Random(1234)
    app = make_app(map_story, size=(1280, 720))
    keys = [pygame.K_RETURN, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_BACKSPACE, pygame.K_UP, pygame.K_DOWN,
            pygame.K_LEFT, pygame.K_RIGHT, pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_HOME, pygame.K_END,
            pygame.K_h, pygame.K_m, pygame.K_F5, pygame.K_F6, pygame.K_n, pygame.K_F9, pygame.K_F2, pygame.K_TAB, pygame.K_a, pygame.K_u,
            *range(pygame.K_1, pygame.K_9 + 1)]
    seen: set[str] = set()
    for i in range(5000):
        roll = rng.random()
        w, h = app.screen.get_size()
        if roll < 0.55:
            event = pygame.event.Event(pygame.KEYDOWN, key=rng.choice(keys), mod=0, unicode="", scancode=0)
        elif roll < 0.75:
            event = pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=rng.choice((1, 1, 1, 3)),
                                       pos=(rng.randrange(w), rng.randrange(h)))
        elif roll < 0.85:
            event = pygame.event.Event(pygame.MOUSEMOTION, pos=(rng.randrange(w), rng.randrange(h)), rel=(0, 0),
                                       buttons=(0, 0, 0))
        elif roll < 0.95:
            y = rng.choice((-3, -1, 1, 3))
            event = pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, precise_x=0.0, precise_y=float(y),
                                       flipped=False)
        elif roll < 0.98:
            size = (rng.randrange(200, 2600), rng.randrange(150, 1600))
            event = pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])
        else:
            event = pygame.event.Event(pygame.QUIT)
        app.step(events=[event], dt=rng.choice((0.0, 1 / 60, 0.1, 0.5)))
        if not app.running:  # a quit request (or "Quit" chosen): the app stops, the test goes on
            app.running = True
        if app.stack.top is not None:
            seen.add(app.stack.top.name)
        if i % 997 == 0 and app.settings.fullscreen:
            app.apply_settings(app.settings.changed(fullscreen=False))
    assert {"title", "story", "journal", "settings", "saves"} <= seen, seen


# --------------------------------------------------------------------------- the command line


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(REPO)})
    env.update(extra)
    return env


def _playable_story(tmp_path: Path) -> list[str]:
    """--story for the subprocess: the shipped story when it loads, else the tiny one."""
    try:
        load_story(REPO / "story")
        return []
    except Exception:  # noqa: BLE001 - chapters still being written
        return ["--story", str(write_story(tmp_path / "tiny", TINY))]


def test_autoplay_plays_to_the_end_and_says_so(tmp_path):
    story_args = _playable_story(tmp_path)
    result = subprocess.run([sys.executable, "-m", "game", "play", *story_args, "--autoplay", "random", "--seed", "3",
                             "--fast", "--quit-at-end"], capture_output=True, text=True, timeout=60, env=_env(),
                            cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("THE END — ")
    assert "Traceback" not in result.stderr


def test_no_display_says_so_in_one_line(tmp_path):
    env = _env()
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "game", "play", "--story", str(write_story(tmp_path / "t", TINY))],
                            capture_output=True, text=True, timeout=60, env=env, cwd=REPO)
    if sys.platform.startswith("linux"):
        assert result.returncode == 1
        assert result.stderr.strip() == ("escape-route: no display available; play in the terminal with: "
                                         "escape-route play --text")
        korean = subprocess.run([sys.executable, "-m", "game", "--lang", "ko", "play", "--story",
                                 str(tmp_path / "t")], capture_output=True, text=True, timeout=60, env=env, cwd=REPO)
        assert korean.returncode == 1
        assert korean.stderr.strip() == "escape-route: 화면을 찾을 수 없습니다. 터미널에서 하려면: escape-route play --text"


def test_bench_first_frame_hook(tmp_path):
    result = subprocess.run([sys.executable, "-m", "game", "play", "--story", str(write_story(tmp_path / "t", TINY))],
                            capture_output=True, text=True, timeout=60,
                            env=_env(ESCAPE_ROUTE_BENCH_FIRST_FRAME="1"), cwd=REPO)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("first-frame ") and 0 < float(line.split()[1]) < 30


def test_bench_frame_times(tmp_path):
    from game.ui.bench_support import frame_times

    root = write_story(tmp_path / "mapped", mapped_story())
    for scene in ("story", "map"):
        times = frame_times(scene, (1280, 720), frames=20, story_root=root)
        assert len(times) == 20 and all(t > 0 for t in times)


def test_commands_from_events():
    assert c.from_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_4, mod=0)) == c.Pick(3)
    assert c.from_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0)) == c.Rollback()
    assert c.from_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q, mod=0)) == c.AnyKey()
    assert c.from_event(pygame.event.Event(pygame.QUIT)) == c.Quit()
    assert c.from_event(pygame.event.Event(pygame.KEYUP, key=pygame.K_a, mod=0)) is None


def test_settings_are_written_atomically_and_read_back(private_data_dir):
    assert save_settings(Settings(text_size="x-large", reduced_motion=True)) == ""
    assert not list(private_data_dir.glob(".settings.json.*"))
    assert load_settings() == (Settings(text_size="x-large", reduced_motion=True), "")


def test_hot_reload_swaps_the_story_and_shows_errors_without_stopping(tmp_path, make_app):
    import os
    import time

    from conftest import TINY, write_story
    from game.story.loader import load_story

    folder = write_story(tmp_path / "live", TINY)
    app = make_app(load_story(folder), skip_title=True, hot_reload=True)
    key(app, pygame.K_SPACE)  # complete the text reveal
    key(app, pygame.K_3)  # wait a week
    days = app.state.vars["days"]
    assert days == 7

    def save(text):
        path = folder / "01_river.yaml"
        path.write_text(text)
        later = time.time() + 5
        os.utime(path, (later, later))

    save(TINY["01_river.yaml"].replace("The water is cold.", "The water is black."))
    key(app, pygame.K_F5)
    assert "The water is black." in app.engine.view(app.state).paragraphs
    assert app.state.vars["days"] == days and app.reload_errors == []
    save(TINY["01_river.yaml"].replace("goto: bank", "goto: bnak", 1))
    for _ in range(3):  # the watcher looks twice a second
        app.step([], dt=0.25)
    assert [d.code for d in app.reload_errors] == ["ER020"]
    assert "The water is black." in app.engine.view(app.state).paragraphs  # still the previous story
    top_left = app.screen.get_at((app.theme.margin + 4, app.theme.px(12) + 4))[:3]
    assert top_left != app.theme.palette.bg  # the error panel is drawn over the game
    key(app, pygame.K_SPACE)
    key(app, pygame.K_1)  # and the old story goes on
    assert app.state.step == 2


def test_playtest_note_is_typed_and_kept(make_app, story):
    from game.writer.notes import read_notes

    app = make_app(story, skip_title=True)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_n)
    assert app.stack.top.name == "note"
    app.step([pygame.event.Event(pygame.TEXTINPUT, text="too easy here")])
    key(app, pygame.K_BACKSPACE)
    key(app, pygame.K_RETURN)
    (note,) = read_notes()[0]
    assert note["text"] == "too easy her" and note["node"] == app.state.node
    assert app.stack.top.name == "story"
