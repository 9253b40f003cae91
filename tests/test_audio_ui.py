"""Sound as the player meets it: F8, the settings screen's volumes and captions, silence without a device.

Real key events go through SDL's queue into the real scene stack (SDL_VIDEODRIVER=dummy).
With SDL_AUDIODRIVER=dummy (CI) there is no sound device: the game must run exactly as
before, and the captions still say what would be heard. One test runs the real mixer on
SDL's disk driver, in a process of its own, to check the crossfade and the memory budget.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pygame
import pytest
from test_ui import key, settle

from game.story.loader import load_story
from game.ui.audio import CUE_CAPTIONS, Audio
from game.ui.settings import Settings, load_settings, settings_path

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def story():
    return load_story(REPO / "story")


def _audio_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "escape-route-audio"]


def test_without_a_device_the_game_plays_silent_and_opens_nothing(story, make_app, monkeypatch):
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    app = make_app(story, skip_title=True)
    assert not app.audio.device and not app.audio.active
    key(app, pygame.K_SPACE)
    key(app, pygame.K_1, frames=3)
    key(app, pygame.K_SPACE)
    assert app.state.node != story.start and app.running
    assert _audio_threads() == [], "no audio thread without a device"
    assert app.audio.ambience == "market_dawn"  # the words are kept for the captions


def test_f8_mutes_everywhere_and_is_saved(story, make_app):
    app = make_app(story, skip_title=True)
    key(app, pygame.K_F8)
    assert app.settings.muted and app.audio.muted
    assert json.loads(settings_path().read_text())["muted"] is True
    assert any("Sound muted (F8)" in t[0] for t in app.toasts)
    key(app, pygame.K_m, frames=2)  # the map is open: F8 still works there
    assert app.stack.top.name == "map"
    key(app, pygame.K_F8)
    assert not app.settings.muted and load_settings()[0].muted is False


def _settings_row(app, field: str) -> None:
    from game.ui.scenes.settings import ROWS

    key(app, pygame.K_F2, frames=2)
    assert app.stack.top.name == "settings"
    for _ in range([r[0] for r in ROWS].index(field)):
        key(app, pygame.K_DOWN)


def test_volumes_change_with_the_arrows_stop_at_the_ends_and_are_saved(story, make_app):
    app = make_app(story, skip_title=True)
    _settings_row(app, "master_volume")
    key(app, pygame.K_LEFT)
    assert app.settings.master_volume == 70
    for _ in range(5):
        key(app, pygame.K_RIGHT)
    assert app.settings.master_volume == 100, "a volume stops at 100%, it never wraps to 0%"
    key(app, pygame.K_DOWN)
    for _ in range(12):
        key(app, pygame.K_LEFT)
    assert app.settings.ambience_volume == 0
    saved = load_settings()[0]
    assert (saved.master_volume, saved.ambience_volume) == (100, 0)
    assert app.audio.volume("ambience") == 0 and app.audio.volume("music") == pytest.approx(0.7)
    labels = [item.label for item in app.stack.top.menu.items]
    assert not any("no sound yet" in label for label in labels)
    assert any(label.startswith("Volume:  ‹ 100% ›") for label in labels)


def test_captions_are_written_under_the_text(story, make_app):
    app = make_app(story, skip_title=True)
    scene = app.stack.top
    assert not any(_is_caption(item) for item in scene.items), "captions are off by default"
    _settings_row(app, "captions")
    key(app, pygame.K_RIGHT)
    assert app.settings.captions
    key(app, pygame.K_ESCAPE, frames=2)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_END)  # the end of the page, where the caption is
    settle(app, 0.5)
    caption = next(item for item in scene.items if _is_caption(item))
    assert caption.block.text == "[market at dawn: voices, footsteps, birds]"
    assert caption.y >= max(item.y + item.block.height for item in scene.items if item is not caption)
    # The words are on the screen, where the scene placed them.
    y = scene.text_pane.y + caption.y - round(scene.scroll)
    strip = pygame.Rect(scene.col_x, y, caption.block.width, caption.block.height).clip(scene.text_pane)
    assert strip.height == caption.block.height, "the caption is inside the text column, not cut"
    colours = {tuple(app.screen.get_at((x, yy)))[:3] for x in range(strip.x, strip.right, 2)
               for yy in range(strip.y, strip.bottom, 2)}
    assert len(colours) > 3, "the caption is drawn"
    pygame.image.save(app.screen, str(Path(os.environ["ESCAPE_ROUTE_DATA_DIR"]) / "captions.png"))


def _is_caption(item) -> bool:  # noqa: ANN001
    return getattr(item.block, "text", "").startswith("[")


def test_a_risk_that_falls_is_captioned_and_the_words_expire(story):
    audio = Audio(story, Settings(captions=True), device=False)
    audio.at_node("hyesan_market")
    audio.cue("risk_fell")
    assert audio.caption() == f"[{CUE_CAPTIONS['risk_fell']}] [market at dawn: voices, footsteps, birds]"
    audio.update(6.0)
    assert audio.caption() == "[market at dawn: voices, footsteps, birds]"
    ending = next(n for n in story.nodes.values() if n.ending is not None)
    audio.at_node(ending.id)
    assert audio.ambience == "" and audio.music == "ending_theme" and "bell" in audio.caption()


def test_projector_mode_starts_muted_and_the_facilitators_f8_is_not_saved(story, make_app):
    from game.cli.classroom import projector_mode

    app = make_app(story, skip_title=True)
    projector_mode(app)
    assert app.audio.muted and not app.settings.muted
    key(app, pygame.K_F8)
    assert not app.audio.muted
    assert not settings_path().exists() or json.loads(settings_path().read_text()).get("high_contrast") is not True


@pytest.mark.parametrize("bad", [{"master_volume": 1000}, {"master_volume": True}, {"music_volume": -5},
                                 {"ambience_volume": "70"}, {"captions": "yes"}, {"muted": 1},
                                 {"interface_volume": 3.5}])
def test_hostile_sound_settings_fall_back_key_by_key(bad):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"text_size": "large", **bad}))
    settings, notice = load_settings()
    assert notice == "" and settings.text_size == "large"
    field = next(iter(bad))
    assert getattr(settings, field) == getattr(Settings(), field)


MIXER_SCRIPT = """
import sys, time
from game.story.loader import load_story
from game.ui.audio import Audio, MAX_AMBIENCES
from game.ui.settings import Settings
story = load_story(sys.argv[1])
audio = Audio(story, Settings(), device=True)
audio.preload()
for name in ["market_dawn", "river_night", "train", "coach", "airport", "seoul"]:
    audio.set_ambience(name)
    deadline = time.monotonic() + 20
    while name not in audio._playing.values() and time.monotonic() < deadline:
        audio.update(1 / 60)
        time.sleep(0.01)
    assert name in audio._playing.values(), name
print("active", audio.active, "playing", sorted(audio._playing.values()), "bytes", audio.memory_bytes())
import pygame
print("busy", pygame.mixer.Channel(0).get_busy() or pygame.mixer.Channel(1).get_busy())
decoded = [n for n in audio._worker.ready if n in story.ambiences]
print("decoded", len(decoded), MAX_AMBIENCES)
audio.close()
"""


def test_the_real_mixer_crossfades_within_the_memory_budget(tmp_path):
    """On SDL's disk driver (a real mixer writing to a file): ambiences play, old ones are let go."""
    env = dict(os.environ, SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=str(tmp_path / "out.raw"),
               PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", MIXER_SCRIPT, str(REPO / "story")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert lines["active"].startswith("True") and "seoul" in lines["active"]
    assert lines["busy"] == "True"
    decoded, budget = map(int, lines["decoded"].split())
    assert decoded <= budget
    assert int(lines["active"].rsplit(" ", 1)[1]) < 40_000_000
    assert (tmp_path / "out.raw").stat().st_size > 0


NO_CARD = """
import os, sys
import pygame
from game.story.loader import load_story
from game.ui.app import App
from game.ui.scenes.settings import SettingsScene
app = App(load_story(sys.argv[1]), seed=1, size=(1024, 600))
app.step(events=[])
app.audio.wait_for_device(5)
if app.audio.active:
    print("DEVICE")
    sys.exit(0)
app.push(SettingsScene(app))
app.step(events=[])
print("ROW", next(item.label for item in app.stack.top.menu.items if item.label.startswith("Sound")))
app.close()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ALSA is Linux's")
def test_with_no_sound_card_stderr_stays_quiet_and_settings_say_so(tmp_path):
    """SDL's ALSA driver on a machine with no sound card: a trial's terminal filled with "ALSA lib …"
    lines, while Settings said "Sound: On"."""
    env = {k: v for k, v in os.environ.items() if k != "SDL_AUDIODRIVER"}
    env.update(SDL_AUDIODRIVER="alsa", SDL_VIDEODRIVER="dummy", ESCAPE_ROUTE_DATA_DIR=str(tmp_path),
               PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", NO_CARD, str(REPO / "story")], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    if "DEVICE" in result.stdout:
        pytest.skip("this machine has a sound device")
    assert result.returncode == 0, result.stderr
    assert "ROW Sound:  no audio device" in result.stdout
    assert "ALSA lib" not in result.stderr, result.stderr
