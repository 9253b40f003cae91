"""Playtest notes: a writer presses N during play and types one line; it is kept with the exact moment.

Each note is one JSON line in ``user_data_dir()/notes.jsonl`` holding the note, the
node and its file:line, the story's version, the seed and the whole GameState, so
``escape-route play --from-note ID`` starts at that very moment (same resources,
same dice to come). Appending a line is atomic enough here: a note torn by a crash
is skipped when the file is read, and the others are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from game.engine.state import GameState
from game.errors import SaveError, StoryError
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
    """All readable notes, and one message per line that could not be read."""
    path = path or notes_path()
    notes, problems = [], []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [f"cannot read {path}: {exc.strerror or exc}"]
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            note = json.loads(line)
            if not isinstance(note, dict) or not {"id", "text", "node", "state"} <= set(note):
                raise ValueError("missing fields")
            notes.append(note)
        except ValueError:
            problems.append(f"{path}:{number}: not a note (damaged line skipped)")
    return notes, problems


def state_from_note(note_id: str, story: Story, path: Path | None = None) -> tuple[GameState, str]:
    """The saved moment of note ``note_id`` fitted to ``story``; raises StoryError if it cannot be used."""
    from game.engine.save import adapt

    notes, _ = read_notes(path)
    match = [n for n in notes if n["id"] == note_id]
    if not match:
        known = ", ".join(n["id"] for n in notes[-5:]) or "none yet"
        raise StoryError(f"there is no playtest note '{note_id}' (latest: {known}); list them with 'escape-route notes'")
    note = match[-1]
    try:
        state = GameState.from_dict(note["state"])
    except SaveError as exc:
        raise StoryError(f"note {note_id} holds a damaged state: {exc}") from None
    if state.node not in story.nodes:
        raise StoryError(f"note {note_id} was taken at '{state.node}', which the story no longer has")
    notice = ""
    if state.story_digest != story.digest:
        adapt(state, story)
        notice = "The story changed since this note was taken; resources were fitted to the current story."
    return state, notice


def cmd_notes(args: argparse.Namespace) -> int:
    notes, problems = read_notes(args.file)
    for problem in problems:
        print(problem)
    if args.json:
        print(json.dumps([{k: v for k, v in n.items() if k != "state"} for n in notes], ensure_ascii=False, indent=2))
        return 0
    if not notes:
        print("No playtest notes yet. Press N during play to write one.")
        return 0
    for note in sorted(notes, key=lambda n: (n.get("file", ""), n.get("line", 0), n.get("time", 0))):
        print(f"{note.get('file', '?')}:{note.get('line', 0)}: [{note['id']}] {note['node']}: {note['text']}")
    print("\nReplay a moment with: escape-route play --from-note ID   (add --text for the terminal)")
    return 0
