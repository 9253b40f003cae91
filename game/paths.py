"""Where the story, the assets and the player's data live.

Run from the repository, the story is ``story/`` beside ``game/``. Installed from a
wheel, the same folders ship inside the package as ``game/data/story`` and
``game/data/assets`` (see pyproject.toml), keeping their relative layout so that
``story.yaml``'s ``map: ../assets/maps/route.tmx`` works in both.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "escape-route"
_PACKAGE = Path(__file__).resolve().parent


def _data_root() -> Path:
    repo = _PACKAGE.parent
    if (repo / "story" / "story.yaml").is_file():
        return repo
    return _PACKAGE / "data"


def story_dir() -> Path:
    """The shipped story's folder."""
    return _data_root() / "story"


def assets_dir() -> Path:
    """The shipped assets' folder (maps, fonts)."""
    return _data_root() / "assets"


def running_from_repository() -> bool:
    """True when the story files are the writer's working copy (hot reload makes sense)."""
    return (_PACKAGE.parent / "story" / "story.yaml").is_file()


def user_data_dir() -> Path:
    """The player's own data (saves, settings, session records).

    ``ESCAPE_ROUTE_DATA_DIR`` overrides it, so that tests and classroom machines can
    point it somewhere else without touching the user's real saves.
    """
    override = os.environ.get("ESCAPE_ROUTE_DATA_DIR")
    path = Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)
    return path
