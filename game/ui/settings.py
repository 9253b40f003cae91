"""The player's settings: a small JSON file in the user data folder, read defensively.

A missing file gives the defaults silently; a damaged one gives the defaults and a
one-line notice for the title screen, never a crash. Values the game does not know
(a hand-edited file, a newer version) fall back key by key. Reading goes through
:mod:`game.files` (bounded, regular files only, a byte order mark accepted, strict
JSON) and never changes the file. Writing goes through ``atomic_write_text`` so a
crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from game.engine.save import atomic_write_text
from game.errors import DataFileError
from game.files import LIMITS, parse_json, read_text
from game.l10n import LANGUAGES
from game.paths import user_data_dir

TEXT_SIZES = ("small", "medium", "large", "x-large")
TEXT_SCALE = {"small": 0.86, "medium": 1.0, "large": 1.2, "x-large": 1.45}
TEXT_SPEEDS = ("slow", "normal", "fast", "instant")
CHARS_PER_SECOND = {"slow": 35.0, "normal": 80.0, "fast": 200.0, "instant": 0.0}  # 0: no reveal
# The window a settings file may ask for, in pixels: from small to an 8K screen. A pure
# bound (the display's own size is the front-end's business): 16384×16384 would take
# 1 GB per surface.
MIN_WINDOW = (320, 320)
MAX_WINDOW = (7680, 4320)


@dataclass(frozen=True, slots=True)
class Settings:
    text_size: str = "medium"
    text_speed: str = "normal"
    fullscreen: bool = False
    high_contrast: bool = False
    reduced_motion: bool = False
    window: tuple[int, int] = (1280, 760)
    language: str = ""  # "" follows the system's language; else one of game.l10n.LANGUAGES

    @property
    def text_scale(self) -> float:
        return TEXT_SCALE[self.text_size]

    @property
    def chars_per_second(self) -> float:
        return CHARS_PER_SECOND[self.text_speed]

    def changed(self, **values: Any) -> Settings:
        return replace(self, **values)


def settings_path() -> Path:
    return user_data_dir() / "settings.json"


def _clean(data: dict[str, Any]) -> Settings:
    """Keep each known value that has the right shape; anything else takes its default."""
    default = Settings()
    values: dict[str, Any] = {}
    choices = {"text_size": TEXT_SIZES, "text_speed": TEXT_SPEEDS, "language": ("", *LANGUAGES)}
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in choices:
            if value in choices[f.name]:
                values[f.name] = value
        elif f.name == "window":
            if (isinstance(value, list) and len(value) == 2
                    and all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high
                            for v, low, high in zip(value, MIN_WINDOW, MAX_WINDOW, strict=True))):
                values[f.name] = (value[0], value[1])
        elif isinstance(value, bool) and isinstance(getattr(default, f.name), bool):
            values[f.name] = value
    return replace(default, **values)


def load_settings(path: Path | None = None) -> tuple[Settings, str]:
    """(settings, notice): the notice is '' unless the file was there but could not be used."""
    path = path or settings_path()
    if not os.path.lexists(path):
        return Settings(), ""
    try:
        data = parse_json(read_text(path, LIMITS["settings"], "settings file"), path, "settings file")
    except DataFileError as exc:
        return Settings(), _damaged(path, exc.message.removeprefix("is damaged: "))
    if not isinstance(data, dict):
        return Settings(), _damaged(path, "it holds no settings")
    return _clean(data), ""


def _damaged(path: Path, why: str) -> str:
    """The one-line notice: where, what is wrong, and that changing any setting (F2) writes a good file."""
    return (f"Your settings file was damaged ({path}: {why}); the defaults are used until you change a "
            f"setting (F2), which rewrites it.")


def saved_language() -> str | None:
    """The language the player chose in the settings (None: follow the system's)."""
    settings, _notice = load_settings()
    return settings.language or None


def save_settings(settings: Settings, path: Path | None = None) -> str:
    """Write the settings; returns '' or a one-line problem for the player."""
    data = asdict(settings)
    data["window"] = list(settings.window)
    try:
        atomic_write_text(path or settings_path(), json.dumps(data, indent=1) + "\n")
    except OSError as exc:
        return f"Could not save your settings: {exc.strerror or exc}."
    return ""
