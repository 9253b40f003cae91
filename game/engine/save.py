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
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from game import __version__
from game.engine.state import GameState
from game.errors import DataFileError, SaveError, StoryError
from game.files import LIMITS, HeldLock, LockHeld, hold_lock, os_reason, read_json
from game.l10n import _
from game.paths import user_data_dir
from game.story.limits import number_problem
from game.story.model import Story

SAVE_FORMAT = "escape-route-save"
SAVE_VERSION = 1
MIN_LOADABLE_VERSION = 1
AUTOSAVE = "autosave"
MAX_SAVE_BYTES = LIMITS["save"]
UNREADABLE = "unreadable"  # the folder beside the saves where a save that cannot be loaded is kept
#: A temporary file left by a write that was killed is removed once it is this old
#: (younger ones may belong to another copy of the game writing right now).
STALE_TEMP_SECONDS = 60.0
#: Saved-at times outside this range (1970 to 2100) are damage, not dates.
_LATEST_TIME = 4102444800.0
#: The endings gallery's record of past journeys (game.engine.history), kept in the saves folder.
HISTORY_FILE = "history.json"
#: Files in the saves folder that are the game's own but not saves: never listed as saves.
NOT_SAVES = frozenset({HISTORY_FILE})
#: The lock file in the data folder that one running copy of the game holds (see :func:`claim_data_folder`).
LOCK_FILE = "escape-route.lock"


def saves_dir() -> Path:
    return user_data_dir() / "saves"


def slot_path(slot: str, folder: Path | None = None) -> Path:
    """The file for a named slot; the name is reduced to safe characters."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in slot.strip())[:64] or "save"
    return (folder or saves_dir()) / f"{safe}.json"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that the file is always either the old or the new content."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is always either the old or the new content.

    Bytes, not text, so the same file comes out on every system (no newline translation).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's process id is in the name, so the next start can tell a file left by
    # a killed write from one another copy of the game is writing right now.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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
    journey: str = ""  # the id of the journey this save's writer was playing ('' in saves made before ids)

    def in_language_of(self, story: Story) -> SaveInfo:
        """This info with the passage's title and chapter as ``story`` words them now.

        The summary stores the words of the language the save was made in; the node id
        beside them finds today's. A passage the story no longer has keeps the stored words.
        """
        node = story.nodes.get(self.node)
        if node is None or self.problem:
            return self
        return replace(self, title=node.title, chapter=node.chapter)


def write_save(path: Path, state: GameState, story: Story, label: str = "", journey: str = "") -> None:
    """Write ``state`` to ``path`` atomically; SaveError (in the player's words) when it cannot be written.

    The summary's node id, location id and day are what the load screen shows, in the
    language spoken when it shows them; the title and chapter words are kept only for
    a passage a later story no longer has. ``journey`` names the journey (see
    :func:`write_autosave`).
    """
    node = story.nodes.get(state.node)
    data = {
        "format": SAVE_FORMAT,
        "save_version": SAVE_VERSION,
        "game_version": __version__,
        "story": {"title": story.title, "version": story.version, "digest": story.digest},
        "saved_at": time.time(),
        "label": label,
        "journey": journey,
        "summary": {
            "node": state.node,
            "title": node.title if node else "",
            "chapter": node.chapter if node else "",
            "location": node.place(state) if node else "",
            "day": round(state.vars.get("days", 0)),
        },
        "state": state.to_dict(),
    }
    try:
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))
    except OSError as exc:
        raise SaveError(_("could not write the save {path}: {reason}").format(path=path, reason=os_reason(exc))) \
            from None


def _read_json(path: Path) -> dict[str, Any]:
    if not os.path.lexists(path):
        raise SaveError(_("there is no save {name}").format(name=path.name))
    try:
        data = read_json(path, MAX_SAVE_BYTES, "save")
    except DataFileError as exc:
        raise SaveError(_("{name} {problem}; start a new journey or load another save").format(
            name=path.name, problem=exc.message)) from None
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise SaveError(_("{name} is not a save of this game").format(name=path.name))
    version = data.get("save_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SaveError(_("{name} has no save format version; it is damaged").format(name=path.name))
    if version > SAVE_VERSION:
        raise SaveError(_("{name} was made by a newer version of the game (save format {version}); update the "
                          "game to load it").format(name=path.name, version=version))
    if version < MIN_LOADABLE_VERSION:
        raise SaveError(_("{name} is from an old version of the game (save format {version}) that this version "
                          "cannot read").format(name=path.name, version=version))
    return data


def read_info(path: Path) -> SaveInfo:
    """The summary of a save for the load screen; a damaged save gives an info with ``problem`` set."""
    slot = path.stem
    try:
        data = _read_json(path)
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        saved_at = data.get("saved_at")
        if not _plain_number(saved_at) or not 0 <= saved_at <= _LATEST_TIME:
            saved_at = _mtime(path)
        day = summary.get("day")
        return SaveInfo(slot, path, _short(data.get("label")), float(saved_at), _short(summary.get("node")),
                        _short(summary.get("title")), _short(summary.get("location")),
                        round(day) if _plain_number(day) and abs(day) < 1e9 else 0, _short(summary.get("chapter")),
                        journey=_short(data.get("journey"), 64))
    except SaveError as exc:
        return SaveInfo(slot, path, "", _mtime(path), "", "", "", 0, "", problem=str(exc))


KEPT_PREFIX = "kept-"  # a journey moved out of the autosave slot so that a new one never replaces it


def keep_autosave_aside(folder: Path | None = None) -> SaveInfo | None:
    """Move the autosave to a slot of its own when it holds a journey with progress; its info there.

    Called before the first autosave of a journey that is not the one in the slot (a
    new journey, a journey loaded from another slot), and when another copy of the
    game wrote the slot: one journey never silently replaces another. Returns None
    when there is nothing worth keeping: no autosave, an untouched start (no choice
    made), or a journey another save already holds exactly (loading slot 2 that holds
    the very point autosaved makes no second copy of it). A save that cannot be read
    is moved into ``unreadable/`` (:func:`set_aside`).

    Raises SaveError when the journey must be kept but cannot be moved (a read-only
    folder): the caller must then not write over it.
    """
    path = slot_path(AUTOSAVE, folder)
    if not os.path.lexists(path):
        return None
    try:
        data = _read_json(path)
    except SaveError:
        if set_aside(path) is None:
            raise SaveError(_("the autosave {path} cannot be read, nor moved aside; this journey is not saved over "
                              "it").format(path=path)) from None
        return None
    state = data.get("state")
    step = state.get("step") if isinstance(state, dict) else 0
    if not _plain_number(step) or step <= 0 or _held_elsewhere(state, path):
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(_mtime(path)))
    target = slot_path(KEPT_PREFIX + stamp, folder)
    number = 2
    while os.path.lexists(target):
        target = slot_path(f"{KEPT_PREFIX}{stamp}-{number}", folder)
        number += 1
    try:
        os.replace(path, target)
    except OSError as exc:
        raise SaveError(_("your other journey in {path} could not be kept ({reason}), so this journey is not saved "
                          "over it").format(path=path, reason=os_reason(exc))) from None
    return read_info(target)


def _held_elsewhere(state: dict[str, Any], autosave: Path) -> bool:
    """True when another save in the folder holds exactly this state (the same journey at the same point)."""
    for other in autosave.parent.glob("*.json"):
        if other == autosave or other.name.startswith(".") or other.name in NOT_SAVES:
            continue
        try:
            if _read_json(other).get("state") == state:
                return True
        except SaveError:
            continue
    return False


def new_journey_id() -> str:
    """A fresh id for a journey: random, so no two journeys (nor two copies of the game) share one."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class Autosaved:
    """What :func:`write_autosave` did: the journey id now in the slot (pass it to the next call),
    the other journey it kept first (or None), and whether another copy of the game had written it."""

    journey: str
    kept: SaveInfo | None = None
    other_copy: bool = False


def write_autosave(state: GameState, story: Story, journey: str | None, folder: Path | None = None) -> Autosaved:
    """Autosave ``state``, never replacing a journey that is not this one.

    ``journey`` is the id this process last autosaved (or adopted by loading the
    autosave), or None when this journey has not autosaved yet. The slot is replaced
    as it is only when it still holds that id; otherwise it holds another journey (one
    played before, or one another copy of the game wrote since) and it is kept under
    a name of its own first (:func:`keep_autosave_aside`). Raises SaveError, in the
    player's words, when the slot cannot be written or the other journey cannot be kept.
    """
    path = slot_path(AUTOSAVE, folder)
    found = read_info(path).journey if os.path.lexists(path) else None
    other_copy = journey is not None and found is not None and found != journey
    kept = keep_autosave_aside(folder) if journey is None or other_copy else None
    journey = journey or new_journey_id()
    write_save(path, state, story, label="Autosave", journey=journey)
    return Autosaved(journey, kept, other_copy and kept is not None)


def claim_data_folder() -> HeldLock | None:
    """Hold the data folder for this copy of the game, so that a second copy cannot play on the same saves.

    Raises SaveError with the message to show when another copy holds it. Returns None
    (and plays on, unlocked) when no lock can be made at all, a read-only data folder
    for instance: the autosave's journey id still keeps each journey from replacing another.
    """
    folder = user_data_dir()
    try:
        return hold_lock(folder / LOCK_FILE)
    except LockHeld:
        raise SaveError(_("Another copy of the game is already open, using the data folder {folder}. Two copies "
                          "would save over each other's journeys, so this one does not start. Close the other "
                          "copy (its window may be behind others or minimised), then start the game again.").format(
            folder=folder)) from None
    except OSError:
        return None


def _plain_number(value: Any) -> bool:
    """A finite number of sane size (what a story may hold), not true/false."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not number_problem(value)


def _short(value: Any, limit: int = 200) -> str:
    """A text field of a save summary, as text of sane length (the summary is for show only)."""
    return value[:limit] if isinstance(value, str) else ""


def _mtime(path: Path) -> float:
    try:
        return min(max(path.lstat().st_mtime, 0.0), _LATEST_TIME)
    except OSError:
        return 0.0


def list_saves(folder: Path | None = None) -> list[SaveInfo]:
    """Every save in the folder, newest first (damaged ones included, with their problem)."""
    folder = folder or saves_dir()
    if not folder.is_dir():
        return []
    infos = [read_info(p) for p in folder.glob("*.json") if not p.name.startswith(".") and p.name not in NOT_SAVES]
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
        raise SaveError(_("{name} is damaged: {problem}").format(name=path.name, problem=exc)) from None
    if state.story_digest == story.digest:
        problem = state_problem(state, story)
        if problem:
            raise SaveError(_("{name} is damaged: {problem}").format(name=path.name, problem=problem))
        return state, ""
    saved_story = data.get("story") if isinstance(data.get("story"), dict) else {}
    saved_version = saved_story.get("version", "?")
    same_version = str(saved_version) == str(story.version)  # the files changed, the version was not raised
    if state.node not in story.nodes:
        if same_version:
            raise SaveError(_("{name} was made before the story's files last changed (both are version {version}), "
                              "and is at the passage '{node}', which the story no longer has").format(
                name=path.name, node=state.node, version=story.version))
        raise SaveError(_("{name} was made with story version {saved} and is at the passage '{node}', which the "
                          "current story (version {version}) no longer has").format(
            name=path.name, saved=saved_version, node=state.node, version=story.version))
    adapt(state, story)
    problem = state_problem(state, story)
    if problem:
        raise SaveError(_("{name} is damaged: {problem}").format(name=path.name, problem=problem))
    if same_version:
        return state, _("This save was made before the story's files last changed (both are version {version}). The "
                        "journey continues at the same passage; earlier choices can no longer be undone.").format(
            version=story.version)
    return state, _("This save was made with story version {saved}; the story is now version {version}. The journey "
                    "continues at the same passage; earlier choices can no longer be undone.").format(
        saved=saved_version, version=story.version)


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


def state_problem(state: GameState, story: Story) -> str:
    """'' when a loaded state fits ``story`` exactly; otherwise what does not, in one phrase.

    ``GameState.from_dict`` checked the types; this checks the state against the story
    it will be played with, so that nothing a save says can fail later, at play: every
    declared resource is a finite number within its bounds, every flag true or false,
    every item, node and visit one the story has, and the journal and the rollback
    points have the shape the screens read.
    """
    problem = _values_problem(state.vars, story)
    if problem:
        return problem
    if state.node not in story.nodes:
        return _("it is at a passage '{node}' that the story does not have").format(node=_short(state.node, 60))
    unknown = sorted(state.items - set(story.items))
    if unknown:
        return _("it carries an item '{item}' that the story does not declare").format(item=_short(unknown[0], 60))
    if any(node not in story.nodes or count < 0 for node, count in state.visits.items()):
        return _("its visit counts name passages the story does not have")
    if not 0 <= state.step <= 10**9:
        return _("its step count is out of range")
    for entry in state.journal:
        problem = _journal_problem(entry)
        if problem:
            return problem
    for snap in state.undo:
        problem = _snapshot_problem(snap, story, len(state.journal))
        if problem:
            return problem
    return ""


def _values_problem(values: Any, story: Story) -> str:
    if not isinstance(values, dict):
        return _("its values are not a mapping")
    for name, resource in story.resources.items():
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _("it has no number for '{name}'").format(name=name)
        if number_problem(value) or resource.clamp(value) != value:
            return _("its value of '{name}' ({value}) is outside what the story allows").format(name=name,
                                                                                              value=f"{value!r:.40}")
    for flag in story.flags:
        if not isinstance(values.get(flag), bool):
            return _("it has no true/false value for '{name}'").format(name=flag)
    extra = sorted(set(values) - set(story.resources) - set(story.flags))
    if extra:
        return _("it has a value '{name}' that the story does not declare").format(name=_short(extra[0], 60))
    return ""


_JOURNAL_TEXT = ("node", "title", "chapter", "location")


def _journal_problem(entry: Any) -> str:
    if not isinstance(entry, dict):
        return _("its journal holds something that is not an entry")
    if not all(isinstance(entry.get(key, ""), str) for key in (*_JOURNAL_TEXT, "choice")):
        return _("a journal entry has a title or place that is not text")
    text = entry.get("text", [])
    if not isinstance(text, list) or not all(isinstance(t, str) for t in text):
        return _("a journal entry's text is not a list of paragraphs")
    for key in ("day", "choice_index"):
        if key in entry and not _plain_number(entry[key]):
            return _("a journal entry's {key} is not a number").format(key=key)
    roll = entry.get("roll")
    if roll is not None and not (isinstance(roll, dict) and _plain_number(roll.get("chance"))
                                 and isinstance(roll.get("label", ""), str)
                                 and isinstance(roll.get("failed", False), bool)):
        return _("a journal entry's risk is damaged")
    return ""


def _snapshot_problem(snap: dict[str, Any], story: Story, journal_len: int) -> str:
    from game.engine.rng import Pcg32

    problem = _values_problem(snap["vars"], story)
    if problem:
        return _("a point to go back to is damaged ({problem})").format(problem=problem)
    items, visits, step, length = snap["items"], snap["visits"], snap["step"], snap["journal_len"]
    if (not isinstance(snap["node"], str) or snap["node"] not in story.nodes or not isinstance(items, list)
            or not all(isinstance(i, str) and i in story.items for i in items)
            or not isinstance(visits, dict)
            or not all(k in story.nodes and isinstance(v, int) and not isinstance(v, bool) for k, v in visits.items())
            or not isinstance(step, int) or isinstance(step, bool) or not 0 <= step <= 10**9
            or not isinstance(length, int) or isinstance(length, bool) or not 0 <= length <= journal_len
            or not isinstance(snap["rng"], str)):
        return _("a point to go back to is damaged")
    try:
        Pcg32.from_json(snap["rng"])
    except (ValueError, TypeError, SaveError):
        return _("a point to go back to is damaged")
    return ""


def set_aside(path: Path) -> Path | None:
    """Move a save that cannot be loaded into ``saves/unreadable/``, under a name that says when; never delete it.

    Returns where it went, or None when it could not be moved (then it must not be
    written over either: the caller stops autosaving).
    """
    folder = path.parent / UNREADABLE
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(1000):
            target = folder / f"{path.stem}.unreadable-{stamp}{f'-{n}' if n else ''}{path.suffix}"
            if not os.path.lexists(target):
                os.replace(path, target)
                return target
    except OSError:
        return None
    return None


def load_save_safely(path: Path, story: Story) -> tuple[GameState | None, str]:
    """For front-ends: (state, notice) or (None, the reason in one sentence). Never raises a StoryError.

    A save that is there but cannot be loaded is moved aside (:func:`set_aside`) and
    the reason says where it is now, so that the next autosave can never overwrite it.
    If it cannot be moved, the reason says so, and the file is still at ``path``: a
    front-end then must not autosave over it.
    """
    try:
        return read_save(path, story)
    except StoryError as exc:
        reason = str(exc)
    if not os.path.lexists(path):
        return None, reason
    kept = set_aside(path)
    if kept is not None:
        return None, _("{reason}. The file was kept as {kept}; a new journey will not overwrite it.").format(
            reason=reason, kept=kept)
    return None, _("{reason}. It could not be moved aside, so this journey will not be saved over it.").format(
        reason=reason)


def _writer_alive(name: str) -> bool:
    """Whether the process that named a temporary file (``.NAME.PID.RANDOM.tmp``) may still be writing it."""
    parts = name.split(".")
    pid = int(parts[-3]) if len(parts) >= 5 and parts[-3].isdigit() else None
    if pid is None or os.name != "posix":
        return True  # cannot tell: the file's age decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours
        return True
    return True


def remove_stale_temporaries(*folders: Path) -> list[Path]:
    """Delete the temporary files (``.NAME.json.*.tmp``) that writes killed mid-way left behind.

    A file whose writer (named by its process id) is no longer running goes at once;
    any other only once it is older than STALE_TEMP_SECONDS, since it may be another
    copy of the game writing at this moment. Returns what was removed.
    """
    removed: list[Path] = []
    now = time.time()
    for folder in folders:
        try:
            candidates = [p for p in folder.glob(".*.tmp") if p.name.count(".") >= 3]
        except OSError:
            continue
        for tmp in candidates:
            try:
                info = tmp.lstat()
                if not os.path.isfile(tmp) or tmp.is_symlink():
                    continue
                if not _writer_alive(tmp.name) or now - info.st_mtime >= STALE_TEMP_SECONDS:
                    tmp.unlink()
                    removed.append(tmp)
            except OSError:
                continue
    return removed
