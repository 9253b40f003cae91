"""The class's session record: one JSON object per line, appended and fsynced event by event.

A facilitated session is a story played with a class; the record says what the
class saw, how it voted, what it chose and what the dice did, so that a report can
be written and a crashed session resumed. The format (``docs/facilitator-guide.md``
shows an example):

- one JSON object per line (JSON Lines), UTF-8, ``\\n`` after every line;
- every line carries ``v`` (the format version), ``seq`` (1, 2, 3, ... without gaps),
  ``t`` (Unix time in seconds) and ``type`` (what happened, in the past tense);
- the first line is ``session_started``: story title, version and digest, the seed and
  the facilitator's settings, and the story's resource labels, so a report can be
  written without the story files.

One copy at a time: the writer holds an operating-system lock on the record for as
long as it is open (``flock`` on POSIX, ``msvcrt.locking`` on Windows), so a second
copy of the game that tries to resume or write the same record is refused with
:class:`RecordInUse` instead of interleaving its events with the first one's. The
lock dies with the process that holds it: a crashed session can be resumed at once.

Writing: each event is one ``write`` of a whole line to a file opened for appending,
then ``flush`` and ``fsync``. A crash or a power cut can therefore lose only the
event being written, and can leave at worst one torn last line, which the reader
reports and skips and :meth:`SessionWriter.reopen` cuts off before appending again.

Reading never raises for damage, and never changes the file: a torn last line, a
garbage line in the middle, a gap in the numbering, a line from a newer version or an
event whose fields have the wrong shape are collected in ``SessionRecord.problems``
(one sentence each, naming the line and the field) and the rest of the file is used.
Every event is checked at this boundary against the shape its type has (``_EVENTS``):
types, finite numbers of sane size, lists and mappings shaped right. An event that
fails is skipped; a first event (``session_started``) that fails makes the file "not a
session record". Past the boundary, the report, the transcript, the replay and resume
trust the values they read.

Rebuilding: :func:`rebuild` replays the recorded choices through the engine with their
recorded roll outcomes (``Engine.choose(..., forced_failure=...)``) and rollbacks, then
restores the generator state recorded with each choice, so the rebuilt GameState is
the exact one the class had: same node, same resources, same future.

This module is part of the pure core of the classroom: it imports no pygame.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game import __version__
from game.engine.engine import Engine
from game.engine.state import GameState
from game.errors import DataFileError, EngineError, Impossible, StoryError
from game.files import LIMITS, lock_descriptor, parse_json, read_bytes
from game.l10n import N_, _, language
from game.paths import user_data_dir
from game.story.model import Story

SESSION_FORMAT = "escape-route-session"
SESSION_VERSION = 1
MAX_SESSION_BYTES = LIMITS["session"]
MAX_LINE_CHARS = 1024 * 1024
MAX_PROBLEMS = 50  # problem lines kept per record; the rest are counted in one more line

# Event types, in the past tense (they record what happened).
STARTED = "session_started"
RESUMED = "session_resumed"
NODE = "node_shown"
VOTE_OPENED = "vote_opened"
TALLY = "tally_recorded"
CHOICE = "choice_made"
ROLLBACK = "rolled_back"
DISCUSSION = "discussion_held"
FACT = "fact_shown"
BLANKED = "screen_blanked"
PAUSED = "paused"
VEIL = "passage_revealed"
ENDED = "session_ended"
VOTES = "votes_counted"          # a source's counts changed while the vote is open (phones: the new ballots)
CANCELLED = "vote_cancelled"     # a vote closed without a decision (the facilitator, or a crash found on resume)
ROOM = "room_opened"             # phones: the room code and port, so a resumed session keeps them
# Class journeys (game.classroom.journeys): each student's own journey, and the teacher's controls.
JOINED = "student_joined"        # a new device: its number, key (a digest of its token), seed and first page
CHOSE = "student_chose"          # a student's choice, with its roll and the generator after it
UNDID = "student_undid"          # a student went back one choice
NAMED = "student_named"          # a nickname for the teacher page (only when the teacher allows them)
PAUSED_ALL = "class_paused"      # the teacher paused every page, or let them play on
PROMPT = "prompt_sent"           # a discussion prompt on every page (null: taken away)
LOCKED = "room_locked"           # the room locked, or opened again
EVENT_TYPES = (STARTED, RESUMED, NODE, VOTE_OPENED, TALLY, CHOICE, ROLLBACK, DISCUSSION, FACT, BLANKED, PAUSED,
               VEIL, ENDED, VOTES, CANCELLED, ROOM, JOINED, CHOSE, UNDID, NAMED, PAUSED_ALL, PROMPT, LOCKED)


class SessionError(StoryError):
    """A session record that cannot be written, or cannot be used for what was asked (resume, replay)."""


class RecordInUse(SessionError):
    """Another running copy of the game holds the record open (it writes to it): this one must not."""


#: Where the Windows lock sits: one byte far past any real record, so readers never meet it.
_WINDOWS_LOCK_AT = 2**62


def _lock(handle: Any, path: Path) -> None:
    """Take the record's lock for this process, or raise :class:`RecordInUse`; it dies with the process.

    An advisory lock on the open file itself (no lock file is left behind after a crash),
    taken with the same code as the game's own one-copy lock (:func:`game.files.lock_descriptor`)."""
    here = handle.tell()
    try:
        if not lock_descriptor(handle.fileno(), offset=_WINDOWS_LOCK_AT):
            raise OSError("held by another process")
        if os.name == "nt":  # pragma: no cover - Windows moved the descriptor to the lock's byte
            handle.seek(here)
    except OSError:
        with contextlib.suppress(OSError):
            handle.close()
        raise RecordInUse(_(
            "the session record {path} is open in another copy of the game, which is still writing to it. "
            "Use that copy (look for its window), or close it first and then resume here; two copies writing "
            "one record would mix up the class's decisions").format(path=path)) from None


def sessions_dir() -> Path:
    return user_data_dir() / "sessions"


_GROUP_LABEL = re.compile(r"Group (\d+) of (\d+)")  # as FacilitatorSettings.group_label writes it


def session_filename(name: str, group: str = "", when: float | None = None) -> str:
    """``20240315-0930-9B-history-group-2.jsonl``: sortable by time, readable, safe on every filesystem."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(when if when is not None else time.time()))
    return f"{stamp}-{file_words(f'{name} {group}')}.jsonl"


def file_words(words: str, limit: int = 60) -> str:
    """``9반 역사`` → ``9반-역사``: the letters and digits of any script kept, every other run of characters
    (the reserved ``<>:"/\\|?*``, spaces, dots, control characters) one hyphen; NFC (as macOS and Windows
    compare names), at most ``limit`` characters (180 bytes of Hangul: far below every file system's 255)."""
    text = unicodedata.normalize("NFC", words)
    safe = "".join(ch if ch.isalnum() and ch.isprintable() else "-" for ch in text)
    return re.sub(r"-+", "-", safe).strip("-")[:limit].strip("-") or "session"


def new_session_path(name: str, group: str = "", folder: Path | None = None) -> Path:
    """A path for a new record that does not exist yet (a suffix is added if two start in one second)."""
    folder = folder or sessions_dir()
    base = session_filename(name, group)
    path = folder / base
    n = 2
    while path.exists():
        path = folder / base.replace(".jsonl", f"-{n}.jsonl")
        n += 1
    return path


# --------------------------------------------------------------------------- writing


class SessionWriter:
    """Appends events to one record; every event is on disk (fsynced) before ``write`` returns.

    Lifecycle: :meth:`create` for a new session, :meth:`reopen` to continue one after a
    crash, :meth:`close` at the end (closing twice is harmless).
    """

    def __init__(self, path: Path, handle: Any, next_seq: int) -> None:
        self.path = path
        self._handle = handle
        self.seq = next_seq - 1  # the last sequence number written

    @classmethod
    def create(cls, path: Path) -> SessionWriter:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = open(path, "xb")  # noqa: SIM115 - kept open for the whole session
        except FileExistsError:
            raise SessionError(_("the session record {path} already exists").format(path=path)) from None
        except OSError as exc:
            raise SessionError(_("could not create the session record {path}: {problem}").format(
                path=path, problem=exc.strerror or exc)) from None
        _lock(handle, path)
        _fsync_dir(path.parent)
        return cls(path, handle, 1)

    @classmethod
    def reopen(cls, path: Path, record: SessionRecord) -> tuple[SessionWriter, int]:
        """Continue ``record`` (read from ``path``): cut a torn last line, then append after the last event.

        Returns the writer and how many bytes of a torn line were cut (0 normally).
        """
        try:
            # The lock first: a second copy must be refused before it cuts or appends anything.
            handle = open(path, "ab")  # noqa: SIM115 - kept open for the whole session
        except OSError as exc:
            raise SessionError(_("could not reopen the session record {path}: {problem}").format(
                path=path, problem=exc.strerror or exc)) from None
        _lock(handle, path)
        try:
            data = read_bytes(path, MAX_SESSION_BYTES, "session record")
        except DataFileError as exc:
            handle.close()
            raise SessionError(_("could not reopen the session record: {problem}").format(problem=exc)) from None
        if record.size is not None and len(data) != record.size:
            # Written to after it was read (by a copy that has since closed): resume from what is there now.
            handle.close()
            raise SessionError(_("the session record {path} changed while it was being resumed; resume it "
                                 "again").format(path=path))
        try:
            cut = 0
            if data and not data.endswith(b"\n"):
                keep = data.rfind(b"\n") + 1
                cut = len(data) - keep
                with open(path, "r+b") as fixer:
                    fixer.truncate(keep)
                    fixer.flush()
                    os.fsync(fixer.fileno())
        except OSError as exc:
            handle.close()
            raise SessionError(_("could not reopen the session record {path}: {problem}").format(
                path=path, problem=exc.strerror or exc)) from None
        return cls(path, handle, record.last_seq + 1), cut

    def write(self, event_type: str, /, **data: Any) -> dict[str, Any]:
        """Append one event and make it durable; returns the event as written."""
        if self._handle is None:
            raise SessionError(_("the session record {name} is closed").format(name=self.path.name))
        event = {"v": SESSION_VERSION, "seq": self.seq + 1, "t": round(time.time(), 3), "type": event_type, **data}
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
        try:
            self._handle.write(line.encode("utf-8"))
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as exc:
            raise SessionError(_("could not write to the session record {name}: {problem}").format(
                name=self.path.name, problem=exc.strerror or exc)) from None
        self.seq += 1
        return event

    def close(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None

    @property
    def closed(self) -> bool:
        return self._handle is None


def _fsync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- reading


@dataclass
class SessionRecord:
    """A record as read: the good events in order, and a sentence for each problem met."""

    path: Path
    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    torn_tail: bool = False
    size: int | None = None  # bytes read (resume checks that nobody wrote meanwhile)

    @property
    def is_session(self) -> bool:
        return bool(self.events) and self.events[0].get("type") == STARTED

    @property
    def start(self) -> dict[str, Any]:
        return self.events[0] if self.is_session else {}

    @property
    def settings(self) -> dict[str, Any]:
        value = self.start.get("settings")
        return value if isinstance(value, dict) else {}

    @property
    def name(self) -> str:
        return str(self.settings.get("name") or self.path.stem)

    @property
    def group(self) -> str:
        return str(self.settings.get("group") or "")

    @property
    def label(self) -> str:
        """``9B History · Group 2 of 3`` — how reports and lists name this session. The record keeps the group
        in English (it is data); it is shown in the language spoken."""
        group = self.group
        numbers = _GROUP_LABEL.fullmatch(group)
        if numbers:
            group = _("Group {group} of {groups}").format(group=numbers[1], groups=numbers[2])
        return f"{self.name} · {group}" if group else self.name

    @property
    def last_seq(self) -> int:
        return max((int(e["seq"]) for e in self.events), default=0)

    @property
    def ended(self) -> dict[str, Any] | None:
        return next((e for e in reversed(self.events) if e.get("type") == ENDED), None)

    def of(self, *kinds: str) -> Iterator[dict[str, Any]]:
        return (e for e in self.events if e.get("type") in kinds)


def read_session(path: Path) -> SessionRecord:
    """Read a record defensively. Never raises for a damaged or foreign file, never writes: see ``problems``."""
    record = SessionRecord(Path(path))
    try:
        raw = read_bytes(record.path, MAX_SESSION_BYTES, "session record")
    except DataFileError as exc:
        record.problems.append(str(exc))
        return record
    record.size = len(raw)
    if raw.startswith(b"\xef\xbb\xbf"):  # a byte order mark, from an editor on Windows
        raw = raw[3:]
    lines = raw.split(b"\n")
    complete = raw.endswith(b"\n")
    if complete:
        lines.pop()  # the empty string after the final newline
    seen = 0  # problems met so far; the first MAX_PROBLEMS are kept, then only counted

    def note(problem: str) -> None:
        nonlocal seen
        seen += 1
        if seen <= MAX_PROBLEMS:
            record.problems.append(problem)

    last_seq = 0
    unusable_start = False  # the first line is a session_started this game cannot use
    problems_then = 0  # how many problems had been met when the last event was kept
    for number, line in enumerate(lines, 1):
        is_last = number == len(lines)
        if not line.strip():
            continue
        event, not_finite = _parse_line(line, record.path)
        if event is None or not isinstance(event, dict):
            if is_last and not complete:
                record.torn_tail = True
                note(_("line {number} is incomplete (the game stopped while writing it); it was skipped").format(
                    number=number))
            else:
                note(_("line {number} is damaged (not a JSON object); it was skipped").format(number=number))
            continue
        problem = _check_event(event)
        if problem:
            note(_("line {number} {problem}; it was skipped").format(number=number, problem=problem))
            continue
        if not record.events and event["type"] != STARTED:
            note(_("line {number}: the record does not begin with '{started}'").format(number=number, started=STARTED))
            if number > 3:
                break
            continue
        if record.events and event["type"] == STARTED:
            note(_("line {number} starts a second session in the same file; it was skipped").format(number=number))
            continue
        where = check_fields(event)
        if not where and not_finite:
            where = _("{event} holds NaN or Infinity, which JSON does not allow").format(event=event["type"])
        if where:
            if event["type"] == STARTED:
                record.problems.append(_("line {number}: {problem}, so {name} is not a session record this game can "
                                         "use").format(number=number, problem=where, name=record.path.name))
                unusable_start = True
                break
            note(_("line {number}: {problem}; the event was skipped").format(number=number, problem=where))
            continue
        seq = event["seq"]
        if seq <= last_seq:
            note(_("line {number} repeats or goes back in the numbering (seq {seq}); skipped").format(number=number, seq=seq))
            continue
        # A gap the skipped lines above explain was said once already, line by line.
        skipped = seen - problems_then
        if last_seq and seq - last_seq - 1 > skipped:
            first, last = last_seq + 1, seq - 1
            note(_("event {first} is missing before line {number}").format(first=first, number=number) if first == last
                 else _("events {first}-{last} are missing before line {number}").format(first=first, last=last,
                                                                                          number=number))
        last_seq = seq
        problems_then = seen
        record.events.append(event)
    if seen > MAX_PROBLEMS:
        record.problems.append(_("… and {count} more problems like these").format(count=f"{seen - MAX_PROBLEMS:,}"))
    if record.events and record.events[0].get("format") != SESSION_FORMAT:
        record.problems.append(_("{name} does not say it is an {format} record").format(name=record.path.name,
                                                                                       format=SESSION_FORMAT))
        record.events.clear()
    if not record.events and not unusable_start:  # that first line's problem said so already
        record.problems.append(_("{name} is not a session record of this game").format(name=record.path.name))
    return record


def _parse_line(line: bytes, path: Path) -> tuple[Any, bool]:
    """One line as strict JSON (no NaN or Infinity, bounded integers and nesting): (value, False).

    A line that is JSON only with NaN or Infinity in it is parsed again allowing them,
    so that the problem line can name the field; it comes back as (value, True) and is
    never used. Anything else that is not JSON is (None, False).
    """
    if len(line) > MAX_LINE_CHARS:
        return None, False
    try:
        text = line.decode("utf-8")
        return parse_json(text, path, "session record"), False
    except UnicodeDecodeError:
        return None, False
    except DataFileError:
        pass
    try:
        return json.loads(text), True
    except (ValueError, RecursionError):
        return None, False


def _check_event(event: dict[str, Any]) -> str:
    """'' when the line has the shape every event has; else what is wrong with it, in the language spoken."""
    version = event.get("v")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return _("has no format version")
    if version > SESSION_VERSION:
        return _("was written by a newer version of the game (format {format})").format(format=_clip(version))
    seq = event.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_WHOLE:
        return _("has no sequence number")
    moment = event.get("t")
    if not isinstance(moment, (int, float)) or isinstance(moment, bool) or not 0 <= moment <= MAX_TIME:
        return _("has no time")
    if event.get("type") not in EVENT_TYPES:
        return _("has an unknown event type {type}").format(type=_clip(event.get("type")))
    return ""


# --------------------------------------------------------------------------- the shape of each event
#
# One small checker per event type, built from the pieces below. A checker answers None
# when the value has its shape, or a :class:`_Wrong`: where inside the value, and what is
# wrong as a message marked for translation, with ``{field}`` where the field's name goes
# (".roll.chance", "{field} is not a number"). The checkers are built when the module is
# imported, before the language is chosen, so the message is translated only when a
# record is read (:func:`check_fields`). Fields an event may lack are not required (the
# readers use defaults); a field that is there must have the right shape. Fields the
# game does not know are left alone (a later version of format 1 may add some).

MAX_NUMBER = 1e15          # no count, resource, duration or money in a session comes near this
MAX_WHOLE = 10**15
MAX_SEED = 10**30          # the generator uses 64 bits of a seed; a longer one is damage
MAX_TIME = 1e11            # Unix time in seconds: the year 5138
MAX_TEXT = 100_000         # characters in one text field
MAX_ENTRIES = 10_000       # entries in one list or mapping
MAX_OPTION = 999           # option numbers (0-based) a vote can have


@dataclass(frozen=True, slots=True)
class _Wrong:
    """What is wrong with a field: ``.roll.chance`` and "{field} is not a number" (marked with N_, not yet translated).

    ``what`` is a description marked with N_ too ("a device digest"), translated with the
    message; ``values`` are shown as they are (a key, a range).
    """

    where: str
    message: str
    what: str = ""
    values: tuple[tuple[str, str], ...] = ()

    def inside(self, prefix: str) -> _Wrong:
        return _Wrong(prefix + self.where, self.message, self.what, self.values)

    def say(self, field: str) -> str:
        return _(self.message).format(field=field + self.where, what=_(self.what) if self.what else "",
                                      **dict(self.values))


Check = Callable[[Any], "_Wrong | None"]
NOT_A_NUMBER = N_("{field} is not a number")


def _clip(value: Any) -> str:
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else _("(a number too long to show)")
    return text if len(text) <= 40 else text[:39] + "…"


def _text(pattern: str | None = None, what: str = "") -> Check:
    """Text; with ``pattern``, text it must match whole (``what``, marked with N_, says what it should be)."""
    compiled = re.compile(pattern) if pattern else None

    def check(value: Any) -> _Wrong | None:
        if not isinstance(value, str):
            return _Wrong("", N_("{field} is not text"))
        if len(value) > MAX_TEXT:
            return _Wrong("", N_("{field} is too long"))
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return _Wrong("", N_("{field} is not text (it holds half of a character)"))
        if compiled is not None and not compiled.fullmatch(value):
            return _Wrong("", N_("{field} is not {what}"), what)
        return None
    return check


def _number(low: float = -MAX_NUMBER, high: float = MAX_NUMBER, whole: bool = False) -> Check:
    def check(value: Any) -> _Wrong | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or whole and not isinstance(value, int):
            return _Wrong("", N_("{field} is not a whole number") if whole else NOT_A_NUMBER)
        if not ((isinstance(value, int) or math.isfinite(value)) and low <= value <= high):
            return _Wrong("", N_("{field} is out of range ({low} to {high})"),
                          values=(("low", f"{low:g}"), ("high", f"{high:g}")))
        return None
    return check


def _whole(low: float = -MAX_WHOLE, high: float = MAX_WHOLE) -> Check:
    return _number(low, high, whole=True)


def _flag(value: Any) -> _Wrong | None:
    return None if isinstance(value, bool) else _Wrong("", N_("{field} is not true or false"))


def _number_or_flag(value: Any) -> _Wrong | None:
    if isinstance(value, bool):
        return None
    found = _NUMBER(value)
    return _Wrong("", N_("{field} is not a number or true/false")) if found and found.message == NOT_A_NUMBER \
        else found


def _maybe(inner: Check) -> Check:
    def check(value: Any) -> _Wrong | None:
        return None if value is None else inner(value)
    return check


def _list(inner: Check) -> Check:
    def check(value: Any) -> _Wrong | None:
        if not isinstance(value, list):
            return _Wrong("", N_("{field} is not a list"))
        if len(value) > MAX_ENTRIES:
            return _Wrong("", N_("{field} is too long a list"))
        for i, item in enumerate(value):
            found = inner(item)
            if found:
                return found.inside(f"[{i}]")
        return None
    return check


def _mapping(inner: Check, keys: str | None = None, key_words: str = "") -> Check:
    """A mapping of names to values; ``keys``, a pattern every name must match (``key_words``, marked with N_, says what)."""
    compiled = re.compile(keys) if keys else None

    def check(value: Any) -> _Wrong | None:
        if not isinstance(value, dict):
            return _Wrong("", N_("{field} is not a mapping"))
        if len(value) > MAX_ENTRIES:
            return _Wrong("", N_("{field} has too many entries"))
        for key, item in value.items():
            if compiled is not None and not compiled.fullmatch(key):
                return _Wrong("", N_("{field} has a key {key} that is not {what}"), key_words,
                              (("key", _clip(key)),))
            found = inner(item)
            if found:
                return found.inside(f"[{_clip(key)}]")
        return None
    return check


def _fields(shape: dict[str, Check], required: tuple[str, ...] = ()) -> Check:
    """A mapping with named fields, each of its own shape; ``required`` ones must be there."""
    def check(value: Any) -> _Wrong | None:
        if not isinstance(value, dict):
            return _Wrong("", N_("{field} is not a mapping"))
        for name in required:
            if name not in value:
                return _Wrong(f".{name}", N_("{field} is missing"))
        for name, inner in shape.items():
            if name in value:
                found = inner(value[name])
                if found:
                    return found.inside(f".{name}")
        return None
    return check


_TEXT = _text()
_NUMBER = _number()
_COUNT = _whole(0)
_STEP = _whole(0)
_SECONDS = _number(0)
_OPTION = _whole(0, MAX_OPTION)
_OPTION_KEY = r"0|[1-9][0-9]{0,2}"
_VOTES = _mapping(_COUNT, keys=_OPTION_KEY, key_words=N_("an option number"))
_NAMES = _list(_TEXT)
_VALUES = _mapping(_number_or_flag)
_SUMMARY = {"vars": _VALUES, "flags": _VALUES, "items": _NAMES, "step": _STEP}
_STUDENT = _whole(1, 100_000)
_PAGE = {"node": _TEXT, "title": _TEXT, "chapter": _TEXT, "location": _TEXT, "facts": _NAMES}

def _ballot(value: Any) -> _Wrong | None:
    """One phone ballot as recorded: [a digest of the device's random token, an option number]."""
    if not isinstance(value, list) or len(value) != 2:
        return _Wrong("", N_("{field} is not a ballot [device, option]"))
    found = _text(r"[0-9a-f]{1,64}", N_("a device digest"))(value[0]) or _OPTION(value[1])
    return found


_EVENTS: dict[str, Check] = {
    STARTED: _fields({
        "format": _TEXT, "game_version": _TEXT, "started_at": _TEXT, "seed": _whole(-MAX_SEED, MAX_SEED),
        "story": _fields({
            "title": _TEXT, "version": _TEXT, "digest": _TEXT, "start": _TEXT,
            "resources": _mapping(_fields({"label": _TEXT, "unit": _TEXT, "start": _NUMBER, "min": _maybe(_NUMBER),
                                           "max": _maybe(_NUMBER), "better": _TEXT})),
        }),
        "settings": _fields({"name": _TEXT, "group": _TEXT, "level": _TEXT, "seed": _whole(-MAX_SEED, MAX_SEED),
                             "groups": _COUNT, "group_number": _COUNT, "discussion_seconds": _COUNT,
                             "presets": _VALUES, "mode": _text("vote|journeys", N_("a session mode")),
                             "luck": _text("same|own", N_("'same' or 'own'")), "allow_undo": _flag,
                             "nicknames": _flag}),
    }, required=("format", "story", "seed")),
    RESUMED: _fields({"after_seq": _COUNT, "cut_bytes": _COUNT, "problems": _NAMES, "notes": _NAMES, "node": _TEXT}),
    NODE: _fields({"node": _TEXT, "title": _TEXT, "chapter": _TEXT, "location": _TEXT, "discuss": _TEXT,
                   "facts": _NAMES, "veiled": _flag, **_SUMMARY}, required=("node",)),
    VOTE_OPENED: _fields({
        "decision": _TEXT, "node": _TEXT, "title": _TEXT, "step": _STEP,
        "options": _list(_fields({"index": _OPTION, "text": _TEXT, "available": _flag, "reason": _maybe(_TEXT),
                                  "costs": _maybe(_TEXT), "risk": _maybe(_TEXT)}, required=("index",))),
    }, required=("decision", "options")),
    TALLY: _fields({"decision": _TEXT, "node": _TEXT, "counts": _VOTES, "by_source": _mapping(_VOTES),
                    "total": _COUNT, "tied": _list(_OPTION)}, required=("decision", "counts")),
    CHOICE: _fields({
        "decision": _TEXT, "from_node": _TEXT, "to_node": _TEXT, "index": _OPTION, "text": _TEXT,
        "decided_by": _TEXT, "deltas": _VALUES, "step": _STEP,
        "roll": _maybe(_fields({"chance": _number(0, 1), "label": _TEXT, "value": _number(0, 1),
                                "failed": _flag})),
        "hidden_roll": _maybe(_fields({"value": _number(0, 1), "failed": _flag})),
        # As Pcg32.to_json writes it; '' for none.
        "rng": _text(r"([0-9a-fA-F]{1,16}:[0-9a-fA-F]{1,16})?", N_("a generator state")),
    }, required=("index",)),
    ROLLBACK: _fields({"from_node": _TEXT, "to_node": _TEXT, "reason": _TEXT, "step": _STEP}),
    DISCUSSION: _fields({"node": _TEXT, "prompt": _TEXT, "seconds": _SECONDS, "planned": _SECONDS, "how": _TEXT}),
    FACT: _fields({"node": _TEXT, "fact": _TEXT}),
    BLANKED: _fields({"node": _TEXT, "seconds": _SECONDS}),
    PAUSED: _fields({"node": _TEXT, "seconds": _SECONDS}),
    VEIL: _fields({"node": _TEXT}),
    VOTES: _fields({"decision": _TEXT, "source": _TEXT, "counts": _VOTES, "ballots": _list(_ballot),
                    "reset": _flag}, required=("decision", "source")),
    CANCELLED: _fields({"decision": _TEXT, "node": _TEXT, "reason": _TEXT, "counts": _VOTES},
                       required=("decision",)),
    ROOM: _fields({"code": _text(r"[0-9]{1,12}", N_("a room code")), "port": _whole(0, 65535)},
                  required=("code", "port")),
    ENDED: _fields({"node": _TEXT, "ending": _TEXT, "kind": _TEXT, "title": _TEXT, "decisions": _COUNT,
                    "students": _COUNT, "finished": _COUNT, **_SUMMARY}),
    JOINED: _fields({"student": _STUDENT, "key": _text(r"[0-9a-f]{16}", N_("a device digest")),
                     "seed": _whole(-MAX_SEED, MAX_SEED), **_PAGE}, required=("student", "key", "seed")),
    CHOSE: _fields({
        "student": _STUDENT, "step": _STEP, "from_node": _TEXT, "to_node": _TEXT, "index": _OPTION, "text": _TEXT,
        "title": _TEXT, "to_title": _TEXT, **_PAGE, "deltas": _VALUES, "vars": _VALUES,
        "roll": _maybe(_fields({"chance": _number(0, 1), "label": _TEXT, "value": _number(0, 1), "failed": _flag},
                               required=("failed",))),
        "hidden_roll": _maybe(_fields({"value": _number(0, 1), "failed": _flag}, required=("failed",))),
        "rng": _text(r"([0-9a-fA-F]{1,16}:[0-9a-fA-F]{1,16})?", N_("a generator state")),
        "ending": _maybe(_fields({"id": _TEXT, "kind": _TEXT, "title": _TEXT}, required=("kind", "title"))),
    }, required=("student", "step", "from_node", "index")),
    UNDID: _fields({"student": _STUDENT, "step": _STEP, "from_node": _TEXT, "to_node": _TEXT, "vars": _VALUES},
                   required=("student", "step")),
    NAMED: _fields({"student": _STUDENT, "nickname": _text(r"[^\x00-\x1f\x7f]{0,24}", N_("a short nickname"))},
                   required=("student", "nickname")),
    PAUSED_ALL: _fields({"paused": _flag}, required=("paused",)),
    PROMPT: _fields({"text": _maybe(_TEXT)}, required=("text",)),
    LOCKED: _fields({"locked": _flag}, required=("locked",)),
}


def check_fields(event: dict[str, Any]) -> str:
    """'' when every field of ``event`` has the shape its type gives it; else which field and what is wrong.

    For example ``discussion_held.seconds is not a number``, in the language spoken.
    ``event`` must have passed :func:`_check_event` (a known type).
    """
    found = _EVENTS[event["type"]](event)
    return found.say(event["type"]) if found else ""


# --------------------------------------------------------------------------- the phones' room and an open vote


def last_room(record: SessionRecord) -> tuple[str, int] | None:
    """The room code and port the phones last used in this session, or None (no phones)."""
    event = next((e for e in reversed(record.events) if e["type"] == ROOM), None)
    return (str(event["code"]), int(event["port"])) if event is not None else None


@dataclass
class OpenVote:
    """A vote that was open when the session stopped: its decision, and each source's counts so far."""

    decision: str
    node: str
    counts: dict[str, dict[int, int]]          # source name -> counts (sources without ballots: the keyboard)
    ballots: dict[str, dict[str, int]]         # source name -> device digest -> option (the phones)


def open_vote_of(record: SessionRecord) -> OpenVote | None:
    """The vote left open at the end of ``record`` (opened, never tallied nor cancelled), with its counts."""
    opened = None
    for event in record.events:
        kind = event["type"]
        if kind == VOTE_OPENED:
            opened = OpenVote(str(event["decision"]), str(event.get("node", "")), {}, {})
        elif kind in (TALLY, CHOICE, CANCELLED, ROLLBACK, ENDED) and opened is not None \
                and event.get("decision", opened.decision) == opened.decision:
            opened = None
        elif kind == VOTES and opened is not None and event["decision"] == opened.decision:
            source = str(event["source"])
            if event.get("reset"):
                opened.counts.pop(source, None)
                opened.ballots.pop(source, None)
            if "ballots" in event:
                book = opened.ballots.setdefault(source, {})
                for digest, option in event["ballots"]:
                    book[digest] = option
            elif "counts" in event:
                opened.counts[source] = {int(k): v for k, v in event["counts"].items() if v}
    return opened


# --------------------------------------------------------------------------- what a story says about itself


def story_header(story: Story) -> dict[str, Any]:
    """The story's identity and resource labels, stored in ``session_started`` for readers without the story."""
    return {
        "title": story.title,
        "version": story.version,
        "digest": story.digest,
        "start": story.start,
        "resources": {name: {"label": r.label, "unit": r.unit, "start": r.start, "min": r.min, "max": r.max,
                             "better": r.better} for name, r in story.resources.items()},
    }


def state_summary(story: Story, state: GameState) -> dict[str, Any]:
    """The resources and items now: what ``node_shown`` carries, and what a resume is checked against."""
    return {"vars": {k: v for k, v in state.vars.items() if k in story.resources},
            "flags": {k: v for k, v in state.vars.items() if k in story.flags},
            "items": sorted(state.items), "step": state.step}


def started_event(story: Story, seed: int, settings: dict[str, Any]) -> dict[str, Any]:
    """The first line of a record. ``lang``: the language the session is run in (a ``--resume`` keeps it)."""
    return {"format": SESSION_FORMAT, "game_version": __version__, "story": story_header(story), "seed": seed,
            "settings": settings, "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "lang": language()}


# --------------------------------------------------------------------------- rebuilding


@dataclass
class Rebuilt:
    """A session re-enacted through the engine."""

    state: GameState
    notes: list[str]          # anything that did not match exactly (a changed story), for the facilitator
    decisions: int            # choices replayed
    discussed: set[str]       # node ids whose discussion was held at their latest visit


def rebuild(story: Story, record: SessionRecord, engine: Engine | None = None,
            upto_seq: int | None = None) -> Rebuilt:
    """Replay ``record`` (up to ``upto_seq``) through the engine to the exact state the class had.

    Raises SessionError when the record is not a session or its choices cannot be
    replayed on this story (a node or a choice that no longer exists).
    """
    if not record.is_session:
        raise SessionError(record.problems[-1] if record.problems else
                           _("{name} is not a session record of this game").format(name=record.path.name))
    engine = engine or Engine(story)
    start = record.start
    notes: list[str] = []
    header = start.get("story") if isinstance(start.get("story"), dict) else {}
    if header.get("digest") != story.digest:
        notes.append(_("The session was recorded with story version {then}; the story is now version {now}. The "
                       "recorded choices and dice are replayed as they were.").format(then=header.get("version", "?"),
                                                                                       now=story.version))
    seed = start.get("seed")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise SessionError(_("{name} has no seed in its first line").format(name=record.path.name))
    start_node = header.get("start") if isinstance(header.get("start"), str) else None
    try:
        state = engine.new_game(seed, start=start_node if start_node in story.nodes else None)
    except EngineError as exc:
        raise SessionError(_("cannot start the session again: {problem}").format(problem=exc)) from None
    presets = start.get("settings", {}).get("presets") if isinstance(start.get("settings"), dict) else None
    if isinstance(presets, dict):
        state.vars.update({k: v for k, v in presets.items() if k in state.vars})
    decisions = 0
    discussed: set[str] = set()
    for event in record.events:
        if upto_seq is not None and event["seq"] > upto_seq:
            break
        kind = event["type"]
        if kind == CHOICE:
            _replay_choice(engine, state, event, notes)
            decisions += 1
            discussed.discard(state.node)
        elif kind == ROLLBACK:
            try:
                engine.rollback(state)
            except Impossible as exc:
                raise SessionError(_("event {seq}: the recorded rollback cannot be replayed ({problem})").format(
                    seq=event["seq"], problem=exc)) from None
            discussed.discard(state.node)
        elif kind == DISCUSSION and event.get("node") == state.node:
            discussed.add(state.node)
        elif kind == NODE and event.get("node") != state.node:
            notes.append(_("Event {seq} showed '{shown}' but the replay is at '{node}'.").format(
                seq=event["seq"], shown=event.get("node"), node=state.node))
    return Rebuilt(state, notes, decisions, discussed)


def _replay_choice(engine: Engine, state: GameState, event: dict[str, Any], notes: list[str]) -> None:
    seq = event["seq"]
    if event.get("from_node") != state.node:
        raise SessionError(_("event {seq}: the choice was made at '{made}', but the replay is at '{node}'").format(
            seq=seq, made=event.get("from_node"), node=state.node))
    index = event.get("index")
    if not isinstance(index, int) or isinstance(index, bool):
        raise SessionError(_("event {seq}: the choice has no index").format(seq=seq))
    roll = event.get("roll") if isinstance(event.get("roll"), dict) else None
    hidden = event.get("hidden_roll") if isinstance(event.get("hidden_roll"), dict) else None
    recorded = roll if roll is not None else hidden
    forced = bool(recorded.get("failed")) if recorded is not None else None
    try:
        outcome = engine.choose(state, index, forced_failure=forced)
    except (EngineError, Impossible) as exc:
        raise SessionError(_("event {seq}: the recorded choice {number} at '{node}' cannot be replayed ({problem})")
                           .format(seq=seq, number=index + 1, node=state.node, problem=exc)) from None
    # A forced roll does not advance the generator; the record holds its state after the real roll.
    rng = event.get("rng")
    if isinstance(rng, str) and rng:
        state.rng = rng
    if (roll is None) != (outcome.roll is None) or (hidden is None) != (outcome.hidden_roll is None):
        notes.append(_("Event {seq}: the choice's risk differs in the current story.").format(seq=seq))
    if event.get("to_node") and event["to_node"] != state.node:
        notes.append(_("Event {seq}: the choice led to '{then}' then, and to '{now}' now.").format(
            seq=seq, then=event["to_node"], now=state.node))

