"""Where the story, the assets and the player's data live.

Run from the repository, the story is ``story/`` beside ``game/``. Installed from a
wheel, the same folders ship inside the package as ``game/data/story`` and
``game/data/assets`` (see pyproject.toml), keeping their relative layout so that
``story.yaml``'s ``map: ../assets/maps/route.tmx`` works in both. The desktop build
(PyInstaller, ``packaging/escape-route.spec``) lays them out the same way inside its
folder, from :func:`bundled_files`: this module is the one place that decides.
"""

from __future__ import annotations

import os
import sys
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


def is_frozen() -> bool:
    """True inside the desktop build (PyInstaller sets ``sys.frozen``)."""
    return bool(getattr(sys, "frozen", False))


#: The data the game reads at run time, as (folder in the repository, glob, folder in the
#: installed package). The wheel ships the same through pyproject.toml's package data.
_DATA = (
    ("story", "*.yaml", "game/data/story"),
    ("story/locale", "*.pot", "game/data/story/locale"),
    ("story/locale/ko", "*.po", "game/data/story/locale/ko"),
    ("assets", "*.md", "game/data/assets"),
    ("assets/maps", "*", "game/data/assets/maps"),
    ("assets/fonts", "*", "game/data/assets/fonts"),
    ("game/story", "schema.json", "game/story"),
    ("game/writer", "graph_page.html", "game/writer"),
    ("game/lan/static", "*", "game/lan/static"),
    ("game/locale/ko/LC_MESSAGES", "*.mo", "game/locale/ko/LC_MESSAGES"),
)


def bundled_files(repo: Path | None = None) -> list[tuple[str, str]]:
    """Every data file a desktop build must carry, as (source path, folder in the build).

    PyInstaller's spec takes this list as its ``datas``, so the build finds its data
    exactly where an installed package does (``game/data/story`` and so on).
    """
    repo = repo or _PACKAGE.parent
    files: list[tuple[str, str]] = []
    for folder, pattern, target in _DATA:
        for path in sorted((repo / folder).glob(pattern)):
            if path.is_file() and not path.name.startswith("."):
                files.append((str(path), target))
    return files


def user_data_dir() -> Path:
    """The player's own data (saves, settings, session records).

    ``ESCAPE_ROUTE_DATA_DIR`` overrides it, so that tests and classroom machines can
    point it somewhere else without touching the user's real saves.
    """
    override = os.environ.get("ESCAPE_ROUTE_DATA_DIR")
    path = Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)
    return path
