"""Playtest notes: a writer presses N during play and types one line; it is kept with the exact moment.

Each note is one JSON line in ``user_data_dir()/notes.jsonl`` holding the note, the
node and its file:line, the story's version, the seed and the whole GameState, so
``escape-route play --from-note ID`` starts at that very moment (same resources,
same dice to come). Appending a line is atomic enough here: a note torn by a crash
is skipped when the file is read, and the others are kept.

Reading goes through :mod:`game.files` (bounded; a FIFO or a device is refused at once)
and checks each note at the boundary (:func:`check_note`): every field the program
uses has its type, numbers are finite and of sane size, the note nests no deeper than
a note can. A note that fails is skipped with a line naming it and the field; the
listing, ``--json`` and ``--from-note`` then trust what they get. Reading never
changes the file.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

from game.engine.state import GameState
from game.errors import DataFileError, SaveError, StoryError
from game.files import LIMITS, parse_json, read_bytes
from game.l10n import _
from game.paths import user_data_dir
from game.story.model import Story


def notes_path() -> Path:
    return user_data_dir() / "notes.jsonl"


def add_note(story: Story, state: GameState, text: str, path: Path | None = None) -> dict[str, Any]:
    """Append a note about the current moment of ``state``; returns the note as stored."""
    path = path or notes_path()
    node = story.nodes.get(state.node)
    note = {
        "id": f"{int(time.time() * 1000):x}",
        "time": time.time(),
        "text": " ".join(text.split()),
        "node": state.node,
        "file": node.file if node else "",
        "line": node.span.line if node else 0,
        "story_version": story.version,
        "story_digest": story.digest,
        "seed": state.seed,
        "state": state.to_dict(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(note, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return note


def read_notes(path: Path | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """All usable notes (their known fields only), and one message per line that could not be used.

    No file is no notes and no problem. A file that cannot be read at all (a folder, a
    FIFO, a device, too large) is one problem. Reading never changes the file.
    """
    try:
        return load_notes(path)
    except DataFileError as exc:
        return [], [str(exc)]


def load_notes(path: Path | None = None, missing_ok: bool = True) -> tuple[list[dict[str, Any]], list[str]]:
    """As :func:`read_notes`, but a file that cannot be read at all raises :class:`DataFileError`.

    For ``escape-route notes FILE``: a folder or a mistyped name is the one problem to
    report (exit 1), not an empty list. ``missing_ok``: no file is no notes (the default
    notes file before the first note).
    """
    path = path or notes_path()
    if missing_ok and not os.path.lexists(path):
        return [], []
    raw = read_bytes(path, LIMITS["notes"], "notes file")
    if raw.startswith(b"\xef\xbb\xbf"):  # a byte order mark, from an editor on Windows
        raw = raw[3:]
    notes, problems = [], []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            note = parse_json(line.decode("utf-8"), path, "notes file")
        except (UnicodeDecodeError, DataFileError):
            note = None
        if not isinstance(note, dict) or not {"id", "text", "node", "state"} <= set(note):
            problems.append(f"{path}:{number}: not a note (damaged line skipped)")
            continue
        who, what = check_note(note)
        if what:
            problems.append(f"{path}:{number}: {who}: {what}; the note was skipped")
            continue
        notes.append({name: note[name] for name in _FIELDS if name in note})
    if len(problems) > MAX_PROBLEMS:
        problems[MAX_PROBLEMS:] = [f"{path}: … and {len(problems) - MAX_PROBLEMS:,} more lines skipped like these"]
    return notes, problems


# --------------------------------------------------------------------------- the shape of a note

MAX_ID = 100
MAX_PROBLEMS = 50         # problem lines shown per file; the rest are counted in one more line
MAX_TEXT = 100_000
MAX_NUMBER = 1e15
MAX_DEPTH = 32            # a note's state nests about six deep
_FIELDS = ("id", "time", "text", "node", "file", "line", "story_version", "story_digest", "seed", "state")


def check_note(note: dict[str, Any]) -> tuple[str, str]:
    """(who, '') when ``note`` can be used; else (who, what is wrong): ("note 18c2f", "'file' is not text")."""
    note_id = note.get("id")
    if not isinstance(note_id, str):
        return "a note", "its 'id' is not text"
    if not (0 < len(note_id) <= MAX_ID and note_id.isprintable()):
        return "a note", "its 'id' is not a short one-line name"
    who = f"note {note_id}"
    for name in ("text", "node", "file", "story_version", "story_digest"):
        if name in note and not _is_text(note[name]):
            return who, f"'{name}' is not text"
    for name, high in (("line", 10**9), ("seed", 10**30)):
        if name in note:
            value = note[name]
            if not isinstance(value, int) or isinstance(value, bool):
                return who, f"'{name}' is not a whole number"
            if abs(value) > high:
                return who, f"'{name}' is out of range"
    if "time" in note:
        value = note["time"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return who, "'time' is not a number"
        if not (isinstance(value, int) or math.isfinite(value)) or not 0 <= value <= 1e11:
            return who, "'time' is out of range"
    return who, _state_problem(note["state"])


def _state_problem(state: Any) -> str:
    """'' or what is wrong with a note's saved moment, beyond what GameState.from_dict checks.

    from_dict checks the state's own fields; the rollback points it keeps (``undo``)
    and the journal's entries are checked here, each point with from_dict itself.
    """
    if not isinstance(state, dict):
        return "'state' is not a mapping"
    if _depth(state) > MAX_DEPTH:
        return "'state' nests too deeply"
    values = state.get("vars")
    if isinstance(values, dict) and not all(_is_value(v) for v in values.values()):
        return "'state.vars' holds a value that is not a finite number or true/false"
    step = state.get("step")
    if isinstance(step, int) and not 0 <= step <= MAX_NUMBER:
        return "'state.step' is out of range"
    journal = state.get("journal")
    if isinstance(journal, list) and not all(isinstance(entry, dict) for entry in journal):
        return "'state.journal' holds an entry that is not a mapping"
    undo = state.get("undo")
    for i, point in enumerate(undo if isinstance(undo, list) else ()):
        where = f"'state.undo[{i}]'"
        if not isinstance(point, dict):
            return f"{where} is not a mapping"
        length = point.get("journal_len")
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            return f"{where}.journal_len is not a whole number"
        if isinstance(point.get("vars"), dict) and not all(_is_value(v) for v in point["vars"].values()):
            return f"{where}.vars holds a value that is not a finite number or true/false"
        try:
            GameState.from_dict({"state_version": state.get("state_version"), "seed": 0, "journal": [], "undo": [],
                                 **{k: point.get(k) for k in ("node", "vars", "items", "visits", "rng", "step")}})
        except SaveError as exc:
            return f"{where} is damaged ({exc})"
    return ""


def _is_text(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        return False
    try:
        value.encode("utf-8")  # half a character (a lone surrogate) cannot be printed
    except UnicodeEncodeError:
        return False
    return True


def _is_value(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return abs(value) <= MAX_NUMBER
    return isinstance(value, float) and math.isfinite(value) and abs(value) <= MAX_NUMBER


def _depth(value: Any) -> int:
    """How deep lists and mappings nest in ``value``, counted without recursion (it may be very deep)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            stack.extend((inner, level + 1) for inner in (item.values() if isinstance(item, dict) else item))
    return deepest


def state_from_note(note_id: str, story: Story, path: Path | None = None) -> tuple[GameState, str]:
    """The saved moment of note ``note_id`` fitted to ``story``; raises StoryError if it cannot be used."""
    from game.engine.save import adapt, state_problem

    notes, _unused = read_notes(path)
    match = [n for n in notes if n["id"] == note_id]
    if not match:
        known = ", ".join(n["id"] for n in notes[-5:]) or _("none yet")
        raise StoryError(_("there is no playtest note '{note}' (latest: {known}); list them with 'escape-route notes'")
                         .format(note=note_id, known=known))
    note = match[-1]
    try:
        state = GameState.from_dict(note["state"])
    except SaveError as exc:
        raise StoryError(_("note {note} holds a damaged state: {problem}").format(note=note_id, problem=exc)) from None
    if state.node not in story.nodes:
        raise StoryError(_("note {note} was taken at '{node}', which the story no longer has").format(
            note=note_id, node=state.node))
    notice = ""
    if state.story_digest != story.digest:
        adapt(state, story)
        notice = _("The story changed since this note was taken; resources were fitted to the current story.")
    elif state_problem(state, story):
        adapt(state, story)
        notice = _("Note {note} did not fit the story in places (resources, flags or the choices to undo); they "
                   "were fitted to it.").format(note=note_id)
    problem = state_problem(state, story)  # what fitting could not mend: the same check a save passes
    if problem:
        raise StoryError(_("note {note} holds a state this story cannot play: {problem}").format(note=note_id,
                                                                                            problem=problem))
    return state, notice


def cmd_notes(args: argparse.Namespace) -> int:
    """List the notes. A notes file that cannot be read (a folder, a name that is not there when one
    was given) raises :class:`DataFileError`: the command line says it in one line and exits 1."""
    notes, problems = load_notes(args.file, missing_ok=args.file is None)
    for problem in problems:  # on stderr: the listing (and --json, which a program reads) stays whole
        print(problem, file=sys.stderr)
    if args.json:
        print(json.dumps([{k: v for k, v in n.items() if k != "state"} for n in notes], ensure_ascii=False, indent=2))
        return 0
    if not notes:
        print(_("No playtest notes yet. Press N during play to write one."))
        return 0
    for note in sorted(notes, key=lambda n: (n.get("file", ""), n.get("line", 0), n.get("time", 0))):
        print(f"{note.get('file', '?')}:{note.get('line', 0)}: [{note['id']}] {note['node']}: {note['text']}")
    print("\n" + _("Replay a moment with: escape-route play --from-note ID   (add --text for the terminal)"))
    return 0
