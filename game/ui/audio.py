"""The game's sound: ambiences that crossfade as the passage changes, a few cues, two themes.

Everything here is optional. With no audio device (``SDL_AUDIODRIVER=dummy``, a server,
CI) or when the mixer cannot start, the game runs exactly as it does silent: every call
is accepted and only the captions (what would be heard, in words) are kept.

Two rules keep the frame smooth:

- The mixer is opened, and every sound decoded, on one background thread, never on the
  frame. pygame-ce streams only one music track (used for the themes), so ambiences are
  whole decoded ``Sound`` objects, and decoding a 24-second loop takes tens of
  milliseconds. The frame only starts channels that are ready and sets volumes.
- Memory has a budget: at most :data:`MAX_AMBIENCES` decoded ambiences at a time (the one
  playing, the one fading out, the next); the cues are short. About 13 MB at 44.1 kHz stereo
  (goal: audio adds under 40 MB to peak memory, measured by ``tools/bench.py``).

The scenes say what happens (:meth:`Audio.at_node`, :meth:`Audio.cue`, :meth:`Audio.title`);
this module decides what that sounds like. It decides nothing about the story.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from pathlib import Path
from typing import Any

from game.l10n import N_, _
from game.story.ambience import resolve, resolve_all
from game.story.model import Story
from game.ui.settings import Settings

CROSSFADE_MS = 2500
MUSIC_FADE_MS = 3000
CUE_CAPTION_SECONDS = 5.0
MAX_AMBIENCES = 3
MIXER = {"frequency": 44100, "size": -16, "channels": 2, "buffer": 2048}

#: What a cue sounds like, for the captions.
CUE_CAPTIONS = {
    "risk_fell": N_("a low thud, two dark notes"),
    "risk_avoided": N_("two soft notes, rising"),
    "ending": N_("a low bell, fading"),
    "chapter": N_("a breath of air, one muted note"),
}
MUSIC_CAPTIONS = {"title_theme": N_("music: slow plucked notes"), "ending_theme": N_("music: slow, low notes, fading")}
CUES = ("risk_fell", "risk_avoided", "ending", "chapter")
INTERFACE = ("ui_focus", "ui_choose")


def audio_folder() -> Path:
    from game.paths import assets_dir

    return assets_dir() / "audio"


def device_possible() -> bool:
    """False where there is surely no sound to make: SDL's dummy audio driver (CI, servers, tests), or a
    Linux machine with no sound card and no sound server."""
    driver = os.environ.get("SDL_AUDIODRIVER", "").strip().lower()
    return driver != "dummy" and not no_sound_card(driver)


def no_sound_card(driver: str = "") -> bool:
    """True on Linux when SDL could only try ALSA and ALSA has no card.

    There, opening the mixer fails anyway, after libasound has printed a dozen lines of its own
    on stderr ("cannot find card '0'", "Unknown PCM default": a trial's terminal filled with them).
    Not opening it keeps the terminal quiet. A sound server (PulseAudio, PipeWire) can play
    without a card of its own, so where one is running, or another driver is asked for, SDL tries.
    """
    if not sys.platform.startswith("linux") or driver not in ("", "alsa"):
        return False
    if not driver:
        runtime = Path(os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}")
        if os.environ.get("PULSE_SERVER") or any((runtime / name).exists() for name in ("pulse/native", "pipewire-0")):
            return False
    try:
        cards = Path("/proc/asound/cards").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # no ALSA in this kernel (a container, a server): nothing to open
    return "no soundcards" in cards or not cards.strip()


class _Worker(threading.Thread):
    """Opens the mixer and decodes sounds off the frame; the frame collects what is ready."""

    def __init__(self, folder: Path) -> None:
        super().__init__(name="escape-route-audio", daemon=True)
        self.folder = folder
        self.jobs: queue.Queue[tuple[str, str, int]] = queue.Queue()
        self.lock = threading.Lock()
        self.ready: dict[str, Any] = {}  # name → pygame Sound
        self.failed = ""  # why the mixer could not start (then nothing plays)
        self.started = threading.Event()

    def run(self) -> None:
        try:
            import pygame

            pygame.mixer.init(**MIXER)
            pygame.mixer.set_num_channels(12)
            pygame.mixer.set_reserved(2)  # channels 0 and 1: the two ambiences of a crossfade
        except Exception as exc:  # noqa: BLE001 - no device, no driver, a broken sound server: play silent
            self.failed = str(exc) or type(exc).__name__
            self.started.set()
            return
        self.started.set()
        while True:
            kind, name, loops = self.jobs.get()
            if kind == "stop":
                return
            try:
                self.do(kind, name, loops)
            except Exception:  # noqa: BLE001 - a missing or damaged file: that sound stays silent
                with self.lock:
                    self.ready[name] = None

    def do(self, kind: str, name: str, loops: int) -> None:
        import pygame

        path = self.folder / f"{name}.ogg"
        if kind == "sound":
            sound = pygame.mixer.Sound(str(path))  # decodes the whole file; releases the GIL meanwhile
            with self.lock:
                self.ready[name] = sound
        elif kind == "music":
            if not name:
                pygame.mixer.music.fadeout(MUSIC_FADE_MS)
                return
            pygame.mixer.music.load(str(path))  # streamed: only the headers are read now
            pygame.mixer.music.play(loops=loops, fade_ms=MUSIC_FADE_MS)
        elif kind == "music_volume":
            pygame.mixer.music.set_volume(loops / 1000)


class Audio:
    """What is heard now, in sound when there is a device and always in words (the captions)."""

    def __init__(self, story: Story, settings: Settings, folder: Path | None = None, device: bool | None = None) -> None:
        self.story = story
        self.settings = settings
        self.folder = folder or audio_folder()
        self.device = device_possible() if device is None else device
        self.room_muted: bool | None = None  # the classroom: muted until the facilitator presses F8
        self.ambience = ""  # the ambience heard now ("" none)
        self.music = ""  # the theme heard now
        self.cue_caption = ""
        self._cue_age = 0.0
        self._worker: _Worker | None = None
        self._playing: dict[int, str] = {}  # ambience channel (0, 1) → name
        self._wanted = ""  # the ambience that should be playing once it is decoded
        self._requested: set[str] = set()
        self._last_node = ""
        self._found: Any = None  # the story's ambiences resolved along its graph, once per story

    # ------------------------------------------------------------------ state of the device
    @property
    def muted(self) -> bool:
        return self.room_muted if self.room_muted is not None else self.settings.muted

    @property
    def active(self) -> bool:
        """True when sounds are actually played (a device, the mixer started, not muted)."""
        worker = self._worker
        return worker is not None and worker.started.is_set() and not worker.failed

    @property
    def no_device(self) -> bool:
        """True when no sound can be heard whatever the settings: no device, or the mixer could not open one."""
        worker = self._worker
        return not self.device or (worker is not None and worker.started.is_set() and bool(worker.failed))

    def wait_for_device(self, seconds: float) -> None:
        """Wait (at most ``seconds``) until a mixer just asked for has opened or failed."""
        if self._worker is not None:
            self._worker.started.wait(seconds)

    def _start(self) -> _Worker | None:
        """The worker, started the first time there is something to hear (never when muted or silent)."""
        if self._worker is None:
            if not self.device or self.muted or self.settings.master_volume == 0:
                return None
            self._worker = _Worker(self.folder)
            self._worker.start()
            if self._wanted:
                self._request(self._wanted)
            if self.music:
                self._worker.jobs.put(("music", self.music, -1 if self.music == "title_theme" else 0))
            self._music_volume()
        return None if self._worker.failed else self._worker

    def _request(self, name: str) -> None:
        worker = self._start()
        if worker is not None and name not in self._requested:
            self._requested.add(name)
            worker.jobs.put(("sound", name, 0))

    def _sound(self, name: str) -> Any:
        worker = self._worker
        if worker is None:
            return None
        with worker.lock:
            return worker.ready.get(name)

    def volume(self, group: str) -> float:
        """0–1 for a group ('ambience', 'music', 'interface'): master × group, 0 when muted."""
        if self.muted:
            return 0.0
        s = self.settings
        part = {"ambience": s.ambience_volume, "music": s.music_volume, "interface": s.interface_volume}[group]
        return s.master_volume / 100 * part / 100

    # ------------------------------------------------------------------ what the scenes tell
    def apply(self, settings: Settings) -> None:
        """New settings (the settings screen, F8): volumes change at once; unmuting starts the sound."""
        self.settings = settings
        self._levels()

    def toggle_mute(self) -> bool:
        """F8. In the classroom the change lasts for the session; elsewhere the caller saves it. True: now muted."""
        if self.room_muted is not None:
            self.room_muted = not self.room_muted
        else:
            self.settings = self.settings.changed(muted=not self.settings.muted)
        self._levels()
        return self.muted

    def mute_for_room(self) -> None:
        """Projector mode: start muted, whatever the player's own settings say."""
        self.room_muted = True
        self._levels()

    def at_node(self, node_id: str) -> None:
        """A page is shown: its ambience (or the one the player came with); an ending brings its theme."""
        node = self.story.nodes.get(node_id)
        if node is None or node_id == self._last_node:
            return
        self._last_node = node_id
        self.play_music("")
        if node.ending is not None:
            self.set_ambience("")
            self.cue("ending")
            self.play_music("ending_theme")
            return
        if self._found is None or self._found[0] is not self.story:
            self._found = (self.story, resolve_all(self.story))
        self.set_ambience(resolve(self.story, node_id, self.ambience, self._found[1]))

    def title(self) -> None:
        """The title screen: the title theme, no ambience."""
        self._last_node = ""
        self.set_ambience("")
        self.play_music("title_theme")

    def set_ambience(self, name: str) -> None:
        if name and name not in self.story.ambiences:
            name = ""
        if name == self.ambience:
            return
        self.ambience = name
        self._wanted = name
        if name:
            self._request(name)
        self._crossfade()

    def play_music(self, name: str) -> None:
        if name == self.music:
            return
        self.music = name
        worker = self._start()
        if worker is not None:
            worker.jobs.put(("music", name, -1 if name == "title_theme" else 0))

    def cue(self, name: str) -> None:
        """A story cue (a risk, an ending, a chapter card): heard at the music level, captioned."""
        self.cue_caption = CUE_CAPTIONS.get(name, "")
        self._cue_age = 0.0
        self._play_once(name, "music")

    def interface(self, name: str) -> None:
        """A soft interface sound (focus, choice): only when the player turned them on; never captioned."""
        if self.settings.interface_sounds:
            self._play_once(name, "interface")

    def _play_once(self, name: str, group: str) -> None:
        sound = self._sound(name)
        if sound is None:
            self._request(name)  # next time it is ready; a cue late by a decode would be out of place
            return
        channel = sound.play()
        if channel is not None:
            channel.set_volume(self.volume(group))

    def preload(self) -> None:
        """Decode the cues in the background, so that the first risk is heard when it falls."""
        for name in CUES + (INTERFACE if self.settings.interface_sounds else ()):
            self._request(name)

    # ------------------------------------------------------------------ each fixed step
    def update(self, dt: float) -> bool:
        """Advance the cue's caption and start a decoded crossfade; True when the captions line changed."""
        expired = False
        if self.cue_caption:
            self._cue_age += dt
            if self._cue_age > CUE_CAPTION_SECONDS:
                self.cue_caption = ""
                expired = True
        if self._wanted and self._wanted not in self._playing.values() and self._sound(self._wanted) is not None:
            self._crossfade()
        return expired

    def _crossfade(self) -> None:
        """Fade the ambience out and the wanted one in, on the other reserved channel, once it is decoded."""
        if not self.active:
            return
        import pygame

        for index, name in list(self._playing.items()):
            if name != self._wanted:
                pygame.mixer.Channel(index).fadeout(CROSSFADE_MS)
                del self._playing[index]
        sound = self._sound(self._wanted) if self._wanted else None
        if sound is not None and self._wanted not in self._playing.values():
            index = 0 if 0 not in self._playing and not pygame.mixer.Channel(0).get_busy() else 1
            channel = pygame.mixer.Channel(index)
            channel.set_volume(self.volume("ambience"))
            channel.play(sound, loops=-1, fade_ms=CROSSFADE_MS)
            self._playing[index] = self._wanted
        self._evict()

    def _evict(self) -> None:
        """Keep at most MAX_AMBIENCES decoded ambiences: the wanted one and the most recent others."""
        worker = self._worker
        if worker is None:
            return
        with worker.lock:
            loops = [n for n in worker.ready if n in self.story.ambiences]
            for name in loops[:-MAX_AMBIENCES] if len(loops) > MAX_AMBIENCES else []:
                if name != self._wanted and name not in self._playing.values():
                    del worker.ready[name]
                    self._requested.discard(name)

    def _levels(self) -> None:
        if self._worker is None:
            if not self.muted:
                self._start()
                if self._wanted:
                    self._request(self._wanted)
            return
        if not self.active:
            return
        import pygame

        for index in self._playing:
            pygame.mixer.Channel(index).set_volume(self.volume("ambience"))
        self._music_volume()

    def _music_volume(self) -> None:
        if self._worker is not None:
            self._worker.jobs.put(("music_volume", "", round(self.volume("music") * 1000)))

    # ------------------------------------------------------------------ words
    def caption(self) -> str:
        """What is heard, as the captions line shows it: "[a low bell, fading] [river at night, water running]"."""
        parts = []
        if self.cue_caption:
            parts.append(_(self.cue_caption))
        if self.music:
            parts.append(_(MUSIC_CAPTIONS.get(self.music, N_("music"))))
        elif self.ambience:
            parts.append(self.story.ambiences.get(self.ambience, self.ambience.replace("_", " ")))
        return " ".join(f"[{p}]" for p in parts)

    def memory_bytes(self) -> int:
        """Bytes held by decoded sounds (for tools/bench.py)."""
        worker = self._worker
        if worker is None:
            return 0
        with worker.lock:
            seconds = sum(s.get_length() for s in worker.ready.values() if s is not None)
        return round(seconds * MIXER["frequency"] * MIXER["channels"] * 2)  # 16-bit samples

    def close(self) -> None:
        worker = self._worker
        if worker is not None and worker.is_alive():
            worker.jobs.put(("stop", "", 0))
            worker.join(timeout=2)
