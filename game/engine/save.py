"""Saved games: JSON with a format version, written atomically, read defensively.

A save is written to a temporary file in the same folder, flushed and fsynced,
then renamed over the old one: on every filesystem we target the rename is atomic,
so a crash or a kill at any moment leaves either the old save or the new one,
never half of each. Reading checks everything and raises one SaveError with a
sentence a player can act on; it never lets a traceback through.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game import __version__
from game.engine.state import GameState
from game.errors import SaveError, StoryError
from game.paths import user_data_dir
from game.story.model import Story

SAVE_FORMAT = "escape-route-save"
SAVE_VERSION = 1
MIN_LOADABLE_VERSION = 1
AUTOSAVE = "autosave"
MAX_SAVE_BYTES = 16 * 1024 * 1024


def saves_dir() -> Path:
    return user_data_dir() / "saves"


def slot_path(slot: str, folder: Path | None = None) -> Path:
    """The file for a named slot; the name is reduced to safe characters."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in slot.strip())[:64] or "save"
    return (folder or saves_dir()) / f"{safe}.json"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that the file is always either the old or the new content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


@dataclass(frozen=True, slots=True)
class SaveInfo:
    """What the load screen shows about a save, read without loading the whole game."""

    slot: str
    path: Path
    label: str
    saved_at: float
    node: str
    title: str
    location: str
    day: int
    chapter: str
    problem: str = ""  # non-empty when the save cannot be loaded, and why


def write_save(path: Path, state: GameState, story: Story, label: str = "") -> None:
    node = story.nodes.get(state.node)
    data = {
        "format": SAVE_FORMAT,
        "save_version": SAVE_VERSION,
        "game_version": __version__,
        "story": {"title": story.title, "version": story.version, "digest": story.digest},
        "saved_at": time.time(),
        "label": label,
        "summary": {
            "node": state.node,
            "title": node.title if node else "",
            "chapter": node.chapter if node else "",
            "location": node.location if node else "",
            "day": round(state.vars.get("days", 0)),
        },
        "state": state.to_dict(),
    }
    try:
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))
    except OSError as exc:
        raise SaveError(f"could not write the save {path}: {exc.strerror or exc}") from None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError(f"{path.name} is too large to be a save")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError(f"there is no save {path.name}") from None
    except OSError as exc:
        raise SaveError(f"could not read {path.name}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SaveError(f"{path.name} is damaged (it is not valid JSON); start a new journey or load another "
                        f"save") from None
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(f"{path.name} is not a save of this game")
    version = data.get("save_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(f"{path.name} has no save format version; it is damaged")
    if version > SAVE_VERSION:
        raise SaveError(f"{path.name} was made by a newer version of the game (save format {version}); "
                        f"update the game to load it")
    if version < MIN_LOADABLE_VERSION:
        raise SaveError(f"{path.name} is from an old version of the game (save format {version}) that this "
                        f"version cannot read")
    return data


def read_info(path: Path) -> SaveInfo:
    """The summary of a save for the load screen; a damaged save gives an info with ``problem`` set."""
    slot = path.stem
    try:
        data = _read_json(path)
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        return SaveInfo(slot, path, str(data.get("label", "")), float(data.get("saved_at", 0) or 0),
                        str(summary.get("node", "")), str(summary.get("title", "")),
                        str(summary.get("location", "")), int(summary.get("day", 0) or 0),
                        str(summary.get("chapter", "")))
    except (SaveError, ValueError, TypeError) as exc:
        mtime = path.stat().st_mtime if path.exists() else 0.0
        return SaveInfo(slot, path, "", mtime, "", "", "", 0, "", problem=str(exc))


def list_saves(folder: Path | None = None) -> list[SaveInfo]:
    """Every save in the folder, newest first (damaged ones included, with their problem)."""
    folder = folder or saves_dir()
    if not folder.is_dir():
        return []
    infos = [read_info(p) for p in folder.glob("*.json") if not p.name.startswith(".")]
    return sorted(infos, key=lambda i: i.saved_at, reverse=True)


def read_save(path: Path, story: Story) -> tuple[GameState, str]:
    """Load a save for ``story``. Returns the state and a notice ('' when nothing needed adapting).

    A save made with another version of the story still loads when the node it was
    at still exists: new resources take their start values, names the story no
    longer has are dropped, and rollback history is cleared (it may point at nodes
    that changed). Otherwise SaveError says precisely why not.
    """
    data = _read_json(path)
    try:
        state = GameState.from_dict(data.get("state"))
    except SaveError as exc:
        raise SaveError(f"{path.name} is damaged: {exc}") from None
    if state.story_digest == story.digest:
        if state.node not in story.nodes:  # pragma: no cover - same files, so the node exists
            raise SaveError(f"{path.name} points at an unknown node '{state.node}'")
        return state, ""
    saved_story = data.get("story") if isinstance(data.get("story"), dict) else {}
    saved_version = saved_story.get("version", "?")
    if state.node not in story.nodes:
        raise SaveError(f"{path.name} was made with story version {saved_version} and is at the passage "
                        f"'{state.node}', which the current story (version {story.version}) no longer has")
    adapt(state, story)
    return state, (f"This save was made with story version {saved_version}; the story is now version "
                   f"{story.version}. The journey continues at the same passage; earlier choices can no longer "
                   f"be undone.")


def adapt(state: GameState, story: Story) -> None:
    """Fit a state from another version of the story to this one (also used by hot reload)."""
    fresh: dict[str, Any] = {name: r.start for name, r in story.resources.items()}
    fresh.update({flag: False for flag in story.flags})
    for name in list(state.vars):
        if name not in fresh or isinstance(state.vars[name], bool) != isinstance(fresh[name], bool):
            del state.vars[name]
    for name, value in fresh.items():
        state.vars.setdefault(name, value)
    for name, resource in story.resources.items():
        state.vars[name] = resource.clamp(state.vars[name])
    state.items &= set(story.items)
    state.visits = {k: v for k, v in state.visits.items() if k in story.nodes}
    state.undo.clear()
    state.story_version, state.story_digest = story.version, story.digest


def load_save_safely(path: Path, story: Story) -> tuple[GameState | None, str]:
    """For front-ends: (state, notice) or (None, the reason in one sentence). Never raises a StoryError."""
    try:
        return read_save(path, story)
    except StoryError as exc:
        return None, str(exc)
