"""Class journeys: every student plays her own journey, driven by the one Engine (issue 19).

The classroom's second mode. One :class:`ClassJourneys` holds every student's
GameState; the LAN server (game.lan.journeys) hands it what each page sends (a join
with a device token, a choice index with its step number, an undo) and sends back
the page dict it returns; the teacher's dashboard reads :meth:`ClassJourneys.snapshot`
and calls :meth:`pause`, :meth:`send_prompt`, :meth:`lock` and :meth:`end`.

Why it is shaped like this:

- Every rule stays in the engine. The page dict is built here, from ``Engine.view``
  and the engine's own wording (``risk_words``, the costs' texts, ``RiskView.percent``),
  so a page only shows words and sends back a choice index: a student cannot change
  her money from the browser console.
- Luck is the teacher's lesson. ``same``: every journey starts from the class seed, so
  journeys differ only by choices; ``own``: each student's seed derives from the class
  seed and her number (:func:`student_seed`), so a resumed session gives her the same dice.
- Idempotent by step. Every page carries ``step``, the number of actions (choices and
  undos) that student has taken; an action is applied only when it names the current
  step, so a page that sends the same choice twice (a reconnect, a double tap) changes
  nothing the second time.
- Everything is recorded as it happens, through ``record(event_type, **fields)`` (the
  crash-safe ``SessionWriter.write``): who joined (a digest of her device token, never
  the token), each choice with its roll and the generator state after it, each undo,
  pauses, prompts, lock, end. :meth:`ClassJourneys.resume` replays the record through
  the engine, so every student is exactly where she was; :func:`class_debrief` reads
  the record alone (no story needed), so the debrief scene and ``report`` agree.

Thread-safe: one lock around every change (the server's event loop and the game's
thread both call in). Pure: no pygame, no aiohttp.
"""

from __future__ import annotations

import contextlib
import hashlib
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from game.classroom import session as s
from game.classroom.content import LEVELS, helplines, story_note, veil_for
from game.engine.engine import Engine
from game.engine.history import LUCK_SENTENCE, SINCE_2010_FACTS, cite
from game.engine.state import GameState
from game.engine.wording import ESTIMATE_NOTE, risk_words
from game.errors import EngineError, Impossible
from game.l10n import N_, _, language
from game.story.model import ENDING_KIND_LABELS, ENDING_KINDS, Fact, Story, also_line

LuckMode = Literal["same", "own"]
MODE = "journeys"                 # settings["mode"] in session_started
PLAYING_WINDOW = 60.0             # seconds: a student seen this recently (or connected) is "playing"
MAX_STUDENTS = 500
MAX_NICKNAME = 24
MAX_PROMPT = 280
SPLITS_SHOWN = 5
#: A veiled passage on a student's page (younger classes), after what it deals with.
VEILED_ON_PAGE = N_("For your class it is not shown on this page: your teacher may read it aloud or tell you what "
                    "happens. The choices are the same either way.")

Record = Callable[..., Any]


# --------------------------------------------------------------------------- the shapes the dashboard reads


@dataclass(frozen=True, slots=True)
class JourneySettings:
    """What the teacher chose before starting."""

    luck: LuckMode            # "same": one seed for everyone; "own": a seed per student
    allow_undo: bool
    seed: int                 # the class seed (own-luck seeds derive from it and the student's number)
    nicknames: bool = False   # off by default
    level: str = "full"       # the content level (game.classroom.content): "younger" veils passages on every page

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"content level must be one of {', '.join(LEVELS)}")

    def to_record(self) -> dict[str, Any]:
        return {"mode": MODE, "luck": self.luck, "allow_undo": self.allow_undo, "seed": self.seed,
                "nicknames": self.nicknames, "level": self.level}

    @classmethod
    def from_record(cls, settings: Mapping[str, Any], seed: int) -> JourneySettings:
        """The settings a record holds; a record from before levels (or a damaged one) is read as "full"."""
        luck = settings.get("luck")
        level = settings.get("level")
        return cls("own" if luck == "own" else "same", bool(settings.get("allow_undo", False)),
                   int(settings.get("seed", seed)) if isinstance(settings.get("seed", seed), int) else seed,
                   bool(settings.get("nicknames", False)), level if level in LEVELS else "full")


@dataclass(frozen=True, slots=True)
class ClassSnapshot:
    """What the dashboard draws; no student identified."""

    joined: int
    playing: int              # joined, not finished, connected or seen within the last PLAYING_WINDOW seconds
    finished: int
    by_chapter: tuple[tuple[str, int], ...]    # (chapter title, students now in it), story order
    positions: tuple[tuple[str, int], ...]     # (map location id, students there)
    endings: tuple[tuple[str, str, int], ...]  # (ending kind, ending title, count)
    minutes_played: float      # since the session started (minus pauses)
    paused: bool
    locked: bool
    prompt: str | None         # the discussion prompt on every page now, if any
    ended: bool
    version: int               # bumps on every change (the dashboard redraws only when it changes)


@dataclass(frozen=True, slots=True)
class Spread:
    """A number across the class's finished journeys: (min, median, max, every value)."""

    min: float
    median: float
    max: float
    values: tuple[float, ...]

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        if not values:
            return cls(0.0, 0.0, 0.0, ())
        return cls(min(values), float(statistics.median(values)), max(values), tuple(sorted(values)))


@dataclass(frozen=True, slots=True)
class SplitDecision:
    """A decision where the class split: each option, how many took it, and the endings they met later."""

    node_id: str
    title: str
    options: tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...]  # (choice text, how many, ((kind, n), ...))


@dataclass(frozen=True, slots=True)
class ClassDebrief:
    """Computed from the session record alone (so ``report`` and the debrief scene agree)."""

    settings: JourneySettings
    students: int
    finished: int
    endings_by_kind: tuple[tuple[str, int], ...]           # (kind, count), kinds in ENDING_KINDS order
    endings: tuple[tuple[str, str, int], ...]              # (kind, title, count), most first
    same_choices_same_end: tuple[tuple[int, int], ...] | None  # same luck only: (group size, how many met its
    #                                                           most common ending), for groups of 2 or more
    splits: tuple[SplitDecision, ...]                      # decisions where the class split most
    money: Spread
    days: Spread
    risks_fell: Spread
    facts_seen: tuple[tuple[str, int], ...]                # (fact id, students who saw it), most first
    minutes_played: float


class Refused(Exception):
    """A page the class cannot take now: ``reason`` is "locked", "ended" or "full" (the page says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def device_key(token: str) -> str:
    """What the record keeps of a device: a one-way digest of its random token, never the token (the vote room uses it too)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def student_seed(settings: JourneySettings, number: int) -> int:
    """The seed of student ``number`` (1, 2, ...): the class seed in same-luck mode, else one derived from it."""
    if settings.luck == "same":
        return settings.seed
    raw = hashlib.sha256(f"{settings.seed}:{number}".encode()).digest()
    return int.from_bytes(raw[:4], "big") & 0x7FFFFFFF


# --------------------------------------------------------------------------- one student


@dataclass
class _Student:
    number: int
    key: str
    seed: int
    state: GameState
    step: int = 0                 # actions taken (choices and undos): what a page must name to act
    nickname: str = ""
    connected: int = 0
    seen: float = 0.0
    facts: set[str] = field(default_factory=set)
    busy: threading.Lock = field(default_factory=threading.Lock)   # one action of hers at a time


# --------------------------------------------------------------------------- the class


class ClassJourneys:
    """Every student's journey, driven by the one Engine; records every event through ``record``.

    ``record(event_type, **data)`` is ``SessionWriter.write`` (the session_started line
    must already be written: :meth:`create` does both). ``places`` maps a location id to
    the words a page shows for it, and ``route_points`` a list of location ids to the
    route's polyline in terrain pixels (both optional: without them a page shows no
    place name and no route).
    """

    def __init__(self, engine: Engine, settings: JourneySettings, record: Record, *,
                 places: Mapping[str, str] | None = None,
                 route_points: Callable[[list[str]], list[tuple[float, float]]] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.story: Story = engine.story
        self.settings = settings
        self._record = record
        self.places = dict(places or {})
        self.route_points = route_points
        self.clock = clock
        self.lock_ = threading.RLock()        # the engine (it is not thread-safe) and every state
        self._writing = threading.Lock()      # the record: one event at a time, in order
        self.students: dict[str, _Student] = {}     # device key -> student
        self._last_number = 0                        # students are numbered 1, 2, ... in the order they joined
        self.paused = False
        self.locked = False
        self.prompt: str | None = None
        self.ended = False
        self.version = 0
        self.on_change: Callable[[], None] | None = None   # the server's: broadcast pause, prompt, end
        self.problem = ""        # the last record write that failed (the disk is full?), for the dashboard
        self._started = clock()
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._chapters = {title: i for i, (_, title) in enumerate(self.story.chapters)}

    # ------------------------------------------------------------------ starting and resuming
    @classmethod
    def create(cls, engine: Engine, settings: JourneySettings, path: Path, *, name: str = "", group: str = "",
               **kwargs: Any) -> tuple[ClassJourneys, s.SessionWriter]:
        """A new session record at ``path`` (its first line written) and the class that records into it."""
        writer = s.SessionWriter.create(path)
        record_settings = {"name": name, "group": group, **settings.to_record()}
        writer.write(s.STARTED, **s.started_event(engine.story, settings.seed, record_settings))
        return cls(engine, settings, writer.write, **kwargs), writer

    @classmethod
    def resume(cls, engine: Engine, path: Path, **kwargs: Any) -> tuple[ClassJourneys, s.SessionWriter, list[str]]:
        """Continue the session recorded at ``path``: every student where she was. Returns notes for the teacher.

        Raises SessionError when the record is not a journeys session or cannot be replayed.
        """
        record = s.read_session(path)
        if not is_journeys(record):
            raise s.SessionError(record.problems[-1] if record.problems and not record.is_session else
                                 _("{name} is not a class-journeys session record").format(name=Path(path).name))
        settings = JourneySettings.from_record(record.settings, int(record.start["seed"]))
        writer, cut = s.SessionWriter.reopen(Path(path), record)
        journeys = cls(engine, settings, writer.write, **kwargs)
        notes = journeys._replay(record)
        writer.write(s.RESUMED, after_seq=record.last_seq, cut_bytes=cut, problems=record.problems[:20],
                     notes=notes[:20])
        return journeys, writer, notes

    def _replay(self, record: s.SessionRecord) -> list[str]:
        notes: list[str] = []
        header = record.start.get("story", {})
        if header.get("digest") != self.story.digest:
            notes.append(_("The session was recorded with story version {then}; the story is now version {now}. The "
                           "recorded choices and dice are replayed as they were.").format(
                               then=header.get("version", "?"), now=self.story.version))
        by_number: dict[int, _Student] = {}
        for event in record.events:
            kind = event["type"]
            try:
                if kind == JOINED:
                    student = self._new_student(str(event["key"]), int(event["student"]), int(event["seed"]))
                    by_number[student.number] = student
                elif kind in (CHOSE, UNDID, NAMED) and event["student"] in by_number:
                    student = by_number[event["student"]]
                    if kind == CHOSE:
                        s._replay_choice(self.engine, student.state, event, notes)
                        student.facts.update(self.story.nodes[student.state.node].facts)
                    elif kind == UNDID:
                        self.engine.rollback(student.state)
                    else:
                        student.nickname = str(event.get("nickname", ""))
                        continue
                    student.step = int(event["step"]) + 1
                elif kind == PAUSED_ALL:
                    self.paused = bool(event["paused"])
                elif kind == PROMPT:
                    self.prompt = event.get("text") or None
                elif kind == LOCKED:
                    self.locked = bool(event["locked"])
                elif kind == s.ENDED:
                    self.ended = True
            except (s.SessionError, EngineError, Impossible, KeyError) as exc:
                raise s.SessionError(_("event {seq} cannot be replayed: {problem}").format(
                    seq=event["seq"], problem=exc)) from None
        # The clock goes on from the time played before the stop (the time the program was down is not play).
        self._paused_total = 0.0
        self._started = self.clock() - played_seconds(record.events)
        if self.paused:
            self._paused_at = self.clock()
        self.version += 1
        return notes

    def _new_student(self, key: str, number: int, seed: int) -> _Student:
        state = self.engine.new_game(seed)
        student = _Student(number, key, seed, state, facts=set(self.story.nodes[state.node].facts))
        self.students[key] = student
        self._last_number = max(self._last_number, number)
        return student

    # ------------------------------------------------------------------ the teacher's side
    def snapshot(self) -> ClassSnapshot:
        with self.lock_:
            now = self.clock()
            chapters: Counter[str] = Counter()
            places: Counter[str] = Counter()
            endings: Counter[tuple[str, str]] = Counter()
            playing = finished = 0
            for student in self.students.values():
                node = self.story.nodes[student.state.node]
                if node.ending is not None:
                    finished += 1
                    endings[(node.ending.kind, node.ending.title)] += 1
                else:
                    chapters[node.chapter] += 1
                    if student.connected or now - student.seen < PLAYING_WINDOW:
                        playing += 1
                if node.location:
                    places[node.location] += 1
            order = [title for _, title in self.story.chapters]
            by_chapter = tuple((title, chapters[title]) for title in order if chapters[title]) + tuple(
                (title, n) for title, n in chapters.items() if title not in self._chapters)
            return ClassSnapshot(
                joined=len(self.students), playing=playing, finished=finished, by_chapter=by_chapter,
                positions=tuple(sorted(places.items())),
                endings=tuple((k, t, n) for (k, t), n in sorted(endings.items(), key=lambda x: (-x[1], x[0]))),
                minutes_played=self._played() / 60.0, paused=self.paused, locked=self.locked, prompt=self.prompt,
                ended=self.ended, version=self.version)

    def _played(self) -> float:
        now = self._paused_at if self._paused_at is not None else self.clock()
        return max(0.0, now - self._started - self._paused_total)

    def pause(self, paused: bool) -> None:
        """Pause every page ("Eyes on the board": no input taken) or let them play on."""
        with self.lock_:
            if self.ended or paused == self.paused:
                return
            self.paused = paused
            if paused:
                self._paused_at = self.clock()
            elif self._paused_at is not None:
                self._paused_total += self.clock() - self._paused_at
                self._paused_at = None
            self.record(PAUSED_ALL, paused=paused)
            self._changed()

    def send_prompt(self, text: str | None) -> None:
        """Show a discussion prompt on every page (None or '' takes it away)."""
        text = _clean(text or "", MAX_PROMPT) or None
        with self.lock_:
            if self.ended or text == self.prompt:
                return
            self.prompt = text
            self.record(PROMPT, text=text)
            self._changed()

    def lock(self, locked: bool) -> None:
        """Lock the room: no new student joins (those who joined come back)."""
        with self.lock_:
            if self.ended or locked == self.locked:
                return
            self.locked = locked
            self.record(LOCKED, locked=locked)
            self._changed()

    def end(self) -> ClassDebrief:
        """End the session (every page shows that it ended) and return the class debrief, from the record."""
        with self.lock_:
            if not self.ended:
                if self._paused_at is not None:
                    self._paused_total += self.clock() - self._paused_at
                    self._paused_at = None
                self.ended = True
                self.paused = False
                self.record(s.ENDED, students=len(self.students),
                            finished=sum(1 for st in self.students.values() if self._ending(st) is not None))
                self._changed()
            return self.debrief_now()

    def debrief_now(self) -> ClassDebrief:
        """The class debrief from what is in memory (the same numbers :func:`class_debrief` reads back)."""
        with self.lock_:
            return _debrief(self.settings, self._paths(), self._played() / 60.0)

    def nicknames(self) -> list[tuple[int, str, str, str]]:
        """For the teacher page only: (student number, nickname, chapter or ending, place), by number."""
        with self.lock_:
            out = []
            for st in sorted(self.students.values(), key=lambda x: x.number):
                node = self.story.nodes[st.state.node]
                where = f"{ENDING_KIND_LABELS.get(node.ending.kind, node.ending.kind)}: {node.ending.title}" \
                    if node.ending else node.chapter
                out.append((st.number, st.nickname, where, self.places.get(node.location, "")))
            return out

    def record(self, event_type: str, /, **data: Any) -> Any:
        """Write one event to the session record (durable when it returns); one writer at a time."""
        with self._writing:
            return self._record(event_type, **data)

    def note_room(self, code: str, port: int, teacher: str = "") -> None:
        """Record the room code, port and teacher code, so a resumed session opens the same room and the
        teacher's phone (its link holds the teacher code) comes back in too."""
        with self.lock_:
            self.record(s.ROOM, code=code, port=port, **({"teacher": teacher} if teacher else {}))

    def _changed(self) -> None:
        self.version += 1
        if self.on_change is not None:
            with contextlib.suppress(Exception):
                self.on_change()

    # ------------------------------------------------------------------ the students' side
    def join(self, token: str) -> dict[str, Any]:
        """A device joins (or comes back): its page. Raises :class:`Refused` for a new device the class cannot take.

        A new student's ``student_joined`` is written outside the class's lock (as a choice
        is); if it cannot be written she is not let in ("unsaved"), so no journey exists that
        a resume would not find.
        """
        key = device_key(token)
        with self.lock_:
            student = self.students.get(key)
            if student is None:
                if self.ended:
                    raise Refused("ended")
                if self.locked:
                    raise Refused("locked")
                if len(self.students) >= MAX_STUDENTS:
                    raise Refused("full")
                self._last_number += 1
                number = self._last_number
                student = self._new_student(key, number, student_seed(self.settings, number))
                node = self.story.nodes[student.state.node]
                event = dict(student=number, key=key, seed=student.seed, node=node.id, title=node.title,
                             chapter=node.chapter, location=node.location, facts=list(node.facts))
                student.busy.acquire()          # nothing of hers happens before her first line is on disk
            else:
                event = None
        if event is not None:
            try:
                problem = self._try_record(JOINED, event)
            finally:
                student.busy.release()
            if problem:
                with self.lock_:
                    self.students.pop(key, None)
                raise Refused("unsaved")
        with self.lock_:
            student.seen = self.clock()
            self.version += 1
            return self._page(student, "")

    def known(self, token: str) -> bool:
        """Whether this device has a journey here (it may come back even into a locked room)."""
        with self.lock_:
            return device_key(token) in self.students

    def connected(self, token: str, up: bool) -> None:
        """The server says a page of this device connected (or went away): for "playing" on the dashboard."""
        with self.lock_:
            student = self.students.get(device_key(token))
            if student is not None:
                student.connected = max(0, student.connected + (1 if up else -1))
                student.seen = self.clock()
                self.version += 1

    def page(self, token: str) -> dict[str, Any]:
        with self.lock_:
            return self._page(self._student(token), "")

    def choose(self, token: str, step: int, index: int) -> tuple[str, dict[str, Any]]:
        """Take choice ``index`` if ``step`` is her current step: ("ok", the next page), or (why not, her page).

        Why not: "stale" (that step was taken already: a repeat changes nothing), "paused",
        "ended", "closed" (the choice is not open to her now), "over" (her journey ended),
        "unknown" (no such choice), "unsaved" (the record could not be written: nothing
        happened). The record is written (and fsynced) outside the class's lock, so other
        students' choices and the dashboard go on meanwhile; her own next action waits.
        """
        student = self._find(token)
        with student.busy:
            with self.lock_:
                student.seen = self.clock()
                why = self._refusal(student, step)
                if why:
                    return why, self._page(student, "")
                state = student.state
                node = self.story.nodes[state.node]
                if not 0 <= index < len(node.choices):
                    return "unknown", self._page(student, "")
                rng = state.rng
                try:
                    outcome = self.engine.choose(state, index)
                except Impossible:
                    return "closed", self._page(student, "")
                after = self.story.nodes[state.node]
                roll, hidden = outcome.roll, outcome.hidden_roll
                event = dict(
                    student=student.number, step=student.step, from_node=outcome.from_node, to_node=state.node,
                    index=index, text=_last_choice_text(state), title=node.title, to_title=after.title,
                    chapter=after.chapter, location=after.location, facts=list(after.facts), deltas=outcome.deltas,
                    vars=s.state_summary(self.story, state)["vars"],
                    roll=None if roll is None else {"chance": roll.chance, "label": roll.label, "value": roll.value,
                                                    "failed": roll.failed},
                    hidden_roll=None if hidden is None else {"value": hidden.value, "failed": hidden.failed},
                    rng=state.rng,
                    ending=None if after.ending is None else {"id": after.ending.id, "kind": after.ending.kind,
                                                              "title": after.ending.title})
            problem = self._try_record(CHOSE, event)
            with self.lock_:
                if problem:
                    # A choice that is not on disk would be lost by a crash and a resume would put her
                    # elsewhere: so it does not happen at all (as Engine.rollback, dice included).
                    state.restore(state.undo.pop())
                    state.rng = rng
                    for key in ("choice", "choice_index", "roll"):
                        state.journal[-1].pop(key, None)
                    return "unsaved", self._page(student, "")
                student.facts.update(after.facts)
                student.step += 1
                self.version += 1
                changed = risk_words(roll.chance, roll.label, roll.failed) if roll is not None else ""
                return "ok", self._page(student, changed)

    def undo(self, token: str, step: int) -> tuple[str, dict[str, Any]]:
        """Go back one choice, when the teacher allows it and the engine can (as the window's rollback).

        Not from an ending ("over"): in class an ending is final, so the class debrief counts
        the endings the students met, not the ones they chose to keep.
        """
        student = self._find(token)
        with student.busy:
            with self.lock_:
                student.seen = self.clock()
                why = self._refusal(student, step)   # an ending is final: the class debrief counts it
                if why:
                    return why, self._page(student, "")
                state = student.state
                if not self.settings.allow_undo or not self.engine.can_rollback(state)[0]:
                    return "no-undo", self._page(student, "")
                back = state.undo[-1]
                event = dict(student=student.number, step=student.step, from_node=state.node, to_node=back["node"],
                             vars={k: v for k, v in back["vars"].items() if k in self.story.resources})
            problem = self._try_record(UNDID, event)   # recorded first: an undo not on disk does not happen
            with self.lock_:
                if problem:
                    return "unsaved", self._page(student, "")
                self.engine.rollback(state)
                student.step += 1
                self.version += 1
                return "ok", self._page(student, _("You went back one choice. The dice will be rolled again."))

    def _try_record(self, event_type: str, event: dict[str, Any]) -> str:
        """Record one event; '' when it is on disk, else why not (kept in ``problem`` for the dashboard)."""
        try:
            self.record(event_type, **event)
        except s.SessionError as exc:
            self.problem = str(exc)
            return self.problem
        return ""

    def set_nickname(self, token: str, nickname: str) -> str:
        """Her nickname for the teacher page (when the teacher allows nicknames); returns it as kept."""
        with self.lock_:
            student = self._student(token)
            if not self.settings.nicknames:
                return ""
            name = _clean(nickname, MAX_NICKNAME).strip()
            if name != student.nickname:
                student.nickname = name
                self.record(NAMED, student=student.number, nickname=name)
            return name

    def content_note(self) -> list[str]:
        """The story's content note, which a student's page shows before her first passage (one tap goes on)."""
        return story_note(self.story)

    def class_state(self) -> dict[str, Any]:
        """What every page shows about the class: pause, prompt, end (the server broadcasts it)."""
        with self.lock_:
            return {"type": "class", "paused": self.paused, "prompt": self.prompt, "ended": self.ended,
                    "undo": self.settings.allow_undo, "nicknames": self.settings.nicknames}

    def _find(self, token: str) -> _Student:
        with self.lock_:
            return self._student(token)

    def _student(self, token: str) -> _Student:
        student = self.students.get(device_key(token))
        if student is None:
            raise KeyError("this device has not joined")
        return student

    def _refusal(self, student: _Student, step: int) -> str:
        if step != student.step:
            return "stale"
        if self.ended:
            return "ended"
        if self.paused:
            return "paused"
        if self.story.nodes[student.state.node].ending is not None:
            return "over"
        return ""

    def _ending(self, student: _Student) -> Any:
        return self.story.nodes[student.state.node].ending

    # ------------------------------------------------------------------ what a page shows
    def _page(self, student: _Student, changed: str) -> dict[str, Any]:
        """Everything her page shows now, as words: the server sends it as it is."""
        engine, story, state = self.engine, self.story, student.state
        view = engine.view(state)
        choices = []
        for c in view.choices:
            choices.append({
                "index": c.index, "text": c.text, "available": c.available,
                "reason": c.reason if not c.available else "",
                "costs": [{"text": cost.text, "good": cost.good} for cost in c.costs] if c.available else [],
                "risk": _("{percent} risk: {label}").format(percent=c.risk.percent, label=c.risk.label)
                if c.available and c.risk is not None else "",
            })
        resources = [{"name": name, "label": r.label, "value": r.format(state.vars.get(name, r.start))}
                     for name, r in story.resources.items()]
        items = [story.items[i].label for i in sorted(state.items) if i in story.items]
        journal = []
        for entry in state.journal[:-1]:
            roll = entry.get("roll")
            journal.append({
                "title": str(entry.get("title", "")), "place": self.places.get(str(entry.get("location", "")), ""),
                "day": entry.get("day", 0), "choice": str(entry.get("choice", "")),
                "risk": risk_words(float(roll.get("chance", 0)), str(roll.get("label", "")), bool(roll.get("failed")))
                if isinstance(roll, dict) else "",
                "fell": bool(roll.get("failed")) if isinstance(roll, dict) else False})
        stops: list[str] = []
        for entry in state.journal:
            loc = str(entry.get("location", ""))
            if loc and (not stops or stops[-1] != loc):
                stops.append(loc)
        route: list[list[float]] = []
        if self.route_points is not None and stops:
            with contextlib.suppress(Exception):  # a map that cannot draw this route shows the places alone
                route = [[round(x, 1), round(y, 1)] for x, y in self.route_points(stops)]
        paragraphs = list(view.paragraphs)
        veil = veil_for(story, story.nodes[view.node_id], self.settings.level)
        if veil is not None:  # younger classes: what it deals with, never the passage (the choices stay)
            paragraphs = [_("This passage depicts {what}.").format(what=veil.text), _(VEILED_ON_PAGE)]
        page: dict[str, Any] = {
            "type": "page", "step": student.step, "student": student.number, "node": view.node_id,
            "title": view.title, "chapter": view.chapter, "chapter_number": self._chapters.get(view.chapter, -1) + 1,
            "place": self.places.get(view.location, ""),
            "paragraphs": paragraphs, "veiled": veil is not None, "choices": choices,
            "resources": resources, "items": items, "journal": journal, "route": route,
            "can_undo": bool(self.settings.allow_undo and view.can_rollback and view.ending is None),
            "changed": changed, "ending": None,
        }
        if view.ending is not None:
            page["ending"] = self._ending_page(student)
        return page

    def _ending_page(self, student: _Student) -> dict[str, Any]:
        story, state = self.story, student.state
        ending = story.nodes[state.node].ending
        assert ending is not None
        facts = []
        since = [f for f in SINCE_2010_FACTS if f in story.facts]
        for fid in _facts_for(story, state.journal, state.node):
            fact = story.facts[fid]
            facts.append({"id": fid, "text": " ".join(fact.text.split()), "cite": cite(fact), "source": fact.source,
                          "also": _also(fact), "since": fid in since})
        for fid in since:
            if all(f["id"] != fid for f in facts):
                fact = story.facts[fid]
                facts.append({"id": fid, "text": " ".join(fact.text.split()), "cite": cite(fact),
                              "source": fact.source, "also": _also(fact), "since": True})
        costs = [{"label": r.label, "start": r.format(r.start), "end": r.format(state.vars.get(name, r.start))}
                 for name, r in story.resources.items()]
        debrief = [" ".join(p.split()) for p in ending.debrief.split("\n\n") if p.strip()]
        veil = veil_for(story, story.nodes[state.node], self.settings.level)
        if veil is not None and debrief:  # as the class debrief veils it on the projector
            debrief = [_("This ending's account deals with {what}.").format(what=veil.text), _(VEILED_ON_PAGE)]
        return {"kind": ending.kind, "kind_label": ENDING_KIND_LABELS.get(ending.kind, ending.kind.title()),
                "title": ending.title, "debrief": debrief,
                "luck": _(LUCK_SENTENCE), "estimate": _(ESTIMATE_NOTE), "costs": costs, "facts": facts,
                "helplines": helplines(story)}

    def _paths(self) -> list[_Path]:
        """Every student's journey as the debrief reads it (the same shape :func:`class_debrief` rebuilds)."""
        out = []
        for st in sorted(self.students.values(), key=lambda x: x.number):
            path = _Path(st.number, st.seed)
            path.facts = set(st.facts)
            for entry in st.state.journal[:-1]:
                roll = entry.get("roll")
                path.steps.append((str(entry.get("node", "")), str(entry.get("title", "")),
                                   int(entry.get("choice_index", -1)), str(entry.get("choice", "")),
                                   isinstance(roll, dict) and bool(roll.get("failed"))))
            ending = self._ending(st)
            if ending is not None:
                path.ending = (ending.kind, ending.title)
            path.vars = {k: v for k, v in st.state.vars.items() if k in self.story.resources}
            out.append(path)
        return out


# --------------------------------------------------------------------------- the record

# The event types (their shapes are checked on read in game.classroom.session, like every other event's).
JOINED, CHOSE, UNDID, NAMED = s.JOINED, s.CHOSE, s.UNDID, s.NAMED
PAUSED_ALL, PROMPT, LOCKED = s.PAUSED_ALL, s.PROMPT, s.LOCKED


def last_teacher_code(record: s.SessionRecord) -> str | None:
    """The teacher code this session last used (so the teacher's phone comes back after a resume), or None."""
    for event in reversed(record.events):
        if event["type"] == s.ROOM:
            code = event.get("teacher")
            return code if isinstance(code, str) and code.isdigit() and len(code) <= 12 else None
    return None


def is_journeys(record: s.SessionRecord) -> bool:
    """Whether a record is a class-journeys session (its settings say mode "journeys")."""
    return record.is_session and record.settings.get("mode") == MODE


# --------------------------------------------------------------------------- the class debrief


@dataclass
class _Path:
    number: int
    seed: int
    steps: list[tuple[str, str, int, str, bool]] = field(default_factory=list)  # node, title, index, text, fell
    ending: tuple[str, str] | None = None
    vars: dict[str, Any] = field(default_factory=dict)
    facts: set[str] = field(default_factory=set)


def class_debrief(record: s.SessionRecord) -> ClassDebrief:
    """The class debrief from the session record alone (pure; no story needed).

    Raises SessionError when ``record`` is not a class-journeys session.
    """
    if not is_journeys(record):
        raise s.SessionError(_("{name} is not a class-journeys session record").format(name=record.path.name))
    settings = JourneySettings.from_record(record.settings, int(record.start["seed"]))
    paths: dict[int, _Path] = {}
    for event in record.events:
        kind = event["type"]
        if kind == JOINED:
            path = _Path(int(event["student"]), int(event["seed"]))
            path.facts.update(str(f) for f in event.get("facts", []))
            paths[path.number] = path
        elif kind == CHOSE and event["student"] in paths:
            path = paths[event["student"]]
            roll = event.get("roll")
            path.steps.append((str(event.get("from_node", "")), str(event.get("title", "")), int(event["index"]),
                               str(event.get("text", "")), isinstance(roll, dict) and bool(roll.get("failed"))))
            path.facts.update(str(f) for f in event.get("facts", []))
            if isinstance(event.get("vars"), dict):
                path.vars = dict(event["vars"])
            ending = event.get("ending")
            path.ending = (str(ending.get("kind", "")), str(ending.get("title", ""))) \
                if isinstance(ending, dict) else None
        elif kind == UNDID and event["student"] in paths:
            path = paths[event["student"]]
            if path.steps:
                path.steps.pop()
            path.ending = None
            if isinstance(event.get("vars"), dict):
                path.vars = dict(event["vars"])
        elif kind == s.ENDED:
            break
    return _debrief(settings, [paths[n] for n in sorted(paths)], played_seconds(record.events) / 60.0)


def played_seconds(events: list[dict[str, Any]]) -> float:
    """How long the class played: from the first event to the end (or the last event), without the pauses
    and without the time between a crash's last event and the resume (the program was down, nobody played)."""
    if not events:
        return 0.0
    first = last = float(events[0]["t"])
    paused_since: float | None = None
    away = 0.0
    for event in events:
        kind, t = event["type"], float(event["t"])
        if kind == s.RESUMED:
            away += max(0.0, t - last)
            if paused_since is not None:
                paused_since = t
        elif kind == PAUSED_ALL:
            if event["paused"] and paused_since is None:
                paused_since = t
            elif not event["paused"] and paused_since is not None:
                away += t - paused_since
                paused_since = None
        last = t
        if kind == s.ENDED:
            break
    if paused_since is not None:
        away += last - paused_since
    return max(0.0, last - first - away)


def _debrief(settings: JourneySettings, paths: list[_Path], minutes: float) -> ClassDebrief:
    done = [p for p in paths if p.ending is not None]
    kinds = Counter(p.ending[0] for p in done if p.ending)
    endings = Counter(p.ending for p in done if p.ending)
    same = None
    if settings.luck == "same":
        groups: dict[tuple, list[_Path]] = {}
        for p in done:
            groups.setdefault(tuple((node, index) for node, _, index, _, _ in p.steps), []).append(p)
        same = tuple(sorted(((len(g), Counter(x.ending for x in g).most_common(1)[0][1])
                             for g in groups.values() if len(g) >= 2), reverse=True))
    # The decisions where the class split: per node, each student's last choice there.
    chosen: dict[str, dict[int, tuple[str, int, str]]] = {}
    titles: dict[str, str] = {}
    for p in paths:
        for node, title, index, text, _fell in p.steps:
            chosen.setdefault(node, {})[p.number] = (text, index, p.ending[0] if p.ending else "")
            titles.setdefault(node, title)
    splits = []
    for node, picks in chosen.items():
        options: dict[int, list[tuple[str, str]]] = {}
        for text, index, kind in picks.values():
            options.setdefault(index, []).append((text, kind))
        if len(options) < 2:
            continue
        counts = sorted((len(v) for v in options.values()), reverse=True)
        spread = len(picks) - counts[0]          # how many did not take the most common option
        shown = tuple(
            (v[0][0], len(v), tuple(sorted(Counter(k for _, k in v if k).items(), key=lambda x: (-x[1], x[0]))))
            for _, v in sorted(options.items(), key=lambda x: (-len(x[1]), x[0])))
        splits.append((spread, len(picks), node, SplitDecision(node, titles.get(node, node), shown)))
    splits.sort(key=lambda x: (-x[0], -x[1], x[2]))
    facts = Counter(f for p in paths for f in p.facts)

    def values(name: str) -> list[float]:
        return [float(p.vars[name]) for p in done if isinstance(p.vars.get(name), (int, float))]

    return ClassDebrief(
        settings=settings, students=len(paths), finished=len(done),
        endings_by_kind=tuple((k, kinds[k]) for k in ENDING_KINDS if kinds[k]) + tuple(
            (k, n) for k, n in kinds.items() if k not in ENDING_KINDS),
        endings=tuple((k, t, n) for (k, t), n in sorted(endings.items(), key=lambda x: (-x[1], x[0]))),
        same_choices_same_end=same,
        splits=tuple(x[3] for x in splits[:SPLITS_SHOWN]),
        money=Spread.of(values("cash")), days=Spread.of(values("days")),
        risks_fell=Spread.of([float(sum(1 for step in p.steps if step[4])) for p in done]),
        facts_seen=tuple(sorted(facts.items(), key=lambda x: (-x[1], x[0]))),
        minutes_played=round(minutes, 2))


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class JourneyMap:
    """What a page needs of the route map: place names, the route between places, the image and its size."""

    places: dict[str, str]                     # location id -> the place's name
    size: tuple[int, int]                      # the terrain's pixel size (the SVG's viewBox)
    terrain: Path | None                       # the image a page shows under the route (the half-size copy)
    points: dict[str, tuple[float, float]]     # location id -> its pixel on the terrain
    route: Any = None                          # the RouteMap

    def route_points(self, stops: list[str]) -> list[tuple[float, float]]:
        """The route through ``stops`` in order, as terrain pixels (legs' polylines, shortest way between stops)."""
        out: list[tuple[float, float]] = []
        known = [stop for stop in stops if stop in self.points]
        if known:
            out.append(self.points[known[0]])
        for a, b in zip(known, known[1:], strict=False):
            node = a
            for leg in _legs(self.route, a, b):
                out.extend(leg.points_from(node)[1:])
                node = leg.other(node)
            if not out or out[-1] != self.points[b]:
                out.append(self.points[b])
        return out


def journey_map(story: Story) -> JourneyMap | None:
    """The story's route map for the pages, or None when it has none or it cannot be read (pages show no map)."""
    if story.map_path is None:
        return None
    from game.route import load_route_map
    from game.route.errors import RouteMapError

    try:
        route = load_route_map(story.map_path)
    except RouteMapError:
        return None
    terrain = route.terrain
    if terrain is not None:
        half = terrain.with_name(terrain.stem + "_half" + terrain.suffix)
        terrain = half if half.is_file() else terrain if terrain.is_file() else None
    return JourneyMap({k: story.place(k, loc.label) for k, loc in route.locations.items()}, route.pixel_size, terrain,
                      {k: (loc.x, loc.y) for k, loc in route.locations.items()}, route)


_LEG_CACHE: dict[tuple[int, str, str], list[Any]] = {}


def _legs(route: Any, a: str, b: str) -> list[Any]:
    key = (id(route), a, b)
    legs = _LEG_CACHE.get(key)
    if legs is None:
        try:
            legs = route.path(a, b)
        except Exception:  # noqa: BLE001 - two places the legs do not join: a straight line between them
            legs = []
        if len(_LEG_CACHE) < 10_000:
            _LEG_CACHE[key] = legs
    return legs


# --------------------------------------------------------------------------- small helpers


def _facts_for(story: Story, journal: list[dict[str, Any]], ending_node: str) -> list[str]:
    """Fact ids behind a journey: the ending's first, then each visited page's, without repeats (as the window)."""
    ids: list[str] = []
    for node_id in [ending_node] + [str(e.get("node", "")) for e in journal]:
        node = story.nodes.get(node_id)
        for fact in node.facts if node is not None else ():
            if fact in story.facts and fact not in ids:
                ids.append(fact)
    return ids


def _also(fact: Fact) -> dict[str, Any] | None:
    """The fact's sources in the language the class is run in, for the student's debrief (None: there are none)."""
    found = fact.also_in(language())
    return {"cite": also_line(fact, language()), "sources": [s.source for s in found]} if found else None


def _last_choice_text(state: GameState) -> str:
    """The words of the choice just taken, as she read them (the journal keeps them on the page before)."""
    if len(state.journal) >= 2:
        return str(state.journal[-2].get("choice", ""))
    return ""


def _clean(text: str, limit: int) -> str:
    """Plain text of at most ``limit`` characters: no control characters (a page sends it)."""
    text = "".join(ch for ch in str(text) if ch >= " " and ch != "\x7f")
    return text[:limit]
