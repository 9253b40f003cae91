"""A facilitated session: the journey, the vote sources and the record, kept in step.

Front-ends (the facilitator scenes, the automatic driver, the tests) tell a
:class:`Facilitation` what happened in the room; it asks the engine, and writes each
event to the record *before* the screen moves on, so what the record holds is what
the class saw. It decides nothing the engine does not: the vote only picks which
``Engine.choose`` index to take.

Pure core: no pygame, no clock of its own (durations are passed in by the caller,
who measures them with its fixed-step timer).
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from game.classroom import session as s
from game.classroom.content import LEVELS, veil_for
from game.classroom.vote import Decision, KeyboardTally, Option, TallySource, combine, settle
from game.engine.engine import Engine, NodeView, Outcome
from game.engine.state import GameState
from game.errors import Impossible
from game.l10n import N_, _
from game.story.model import Story

WHOLE_CLASS = N_("Whole class")  # translated where shown


@dataclass(frozen=True, slots=True)
class FacilitatorSettings:
    """What the set-up screen asks. ``groups`` is 0 for the whole class; ``group`` is 1-based."""

    name: str = "Class session"
    groups: int = 0
    group: int = 1
    seed: int = field(default_factory=lambda: secrets.randbelow(9000) + 1000)
    level: str = "full"
    discussion_seconds: int = 180

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"content level must be one of {', '.join(LEVELS)}")

    @property
    def group_label(self) -> str:
        return "" if self.groups <= 0 else f"Group {self.group} of {self.groups}"

    def to_record(self) -> dict[str, Any]:
        data = asdict(self)
        data["group"] = self.group_label
        data["group_number"] = self.group if self.groups > 0 else 0
        return data


class Facilitation:
    """One class's journey and its record. Create with :meth:`start` or :meth:`resume`."""

    def __init__(self, story: Story, engine: Engine, state: GameState, writer: s.SessionWriter,
                 settings: FacilitatorSettings) -> None:
        self.story = story
        self.engine = engine
        self.state = state
        self.writer = writer
        self.settings = settings
        self.keyboard = KeyboardTally()
        self.sources: list[TallySource] = [self.keyboard]
        self.decision: Decision | None = None
        self.decisions = 0
        self.discussed: set[str] = set()     # nodes whose discussion was held at this visit
        self.revealed: set[str] = set()      # veiled nodes the facilitator chose to project at this visit
        self.prompts_met: list[tuple[str, str]] = []  # (node id, discuss prompt) in order met
        self.notes: list[str] = []
        self.read_only = False
        self.pending: s.OpenVote | None = None   # a vote open when the session stopped: reopened as it was
        self.room: tuple[str, int] | None = None   # the phones' room code and port, as last recorded
        self._live: dict[str, dict[int, int]] = {}  # each source's counts as last recorded

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def start(cls, story: Story, settings: FacilitatorSettings, path: Path | None = None) -> Facilitation:
        engine = Engine(story)
        state = engine.new_game(settings.seed)
        path = path or s.new_session_path(settings.name, settings.group_label)
        writer = s.SessionWriter.create(path)
        fac = cls(story, engine, state, writer, settings)
        writer.write(s.STARTED, **s.started_event(story, settings.seed, settings.to_record()))
        fac._shown()
        return fac

    @classmethod
    def replay(cls, story: Story, record: s.SessionRecord) -> Facilitation:
        """A read-only session rebuilt from ``record`` (for ``play --replay``): nothing is written."""
        rebuilt = s.rebuild(story, record)
        fac = cls(story, Engine(story), rebuilt.state, _NoWriter(record.path), _settings_of(record))
        fac.read_only = True
        fac.notes = list(rebuilt.notes)
        fac.prompts_met = _prompts(story, record)
        return fac

    @classmethod
    def resume(cls, story: Story, path: Path) -> Facilitation:
        """Continue a record after a crash: rebuild the exact state, then append to the same file."""
        record = s.read_session(path)
        rebuilt = s.rebuild(story, record)
        settings = _settings_of(record)
        writer, cut = s.SessionWriter.reopen(path, record)
        engine = Engine(story)
        fac = cls(story, engine, rebuilt.state, writer, settings)
        fac.decisions = sum(1 for _ in record.of(s.VOTE_OPENED))
        fac.discussed = rebuilt.discussed
        fac.notes = list(rebuilt.notes) + [p for p in record.problems]
        fac.prompts_met = _prompts(story, record)
        fac.room = s.last_room(record)
        pending = s.open_vote_of(record)
        if pending is not None and pending.node == rebuilt.state.node:
            fac.pending = pending  # open_vote reopens it under its own id, with its votes
        writer.write(s.RESUMED, after_seq=record.last_seq, cut_bytes=cut, problems=record.problems[:20],
                     notes=rebuilt.notes[:20], node=fac.state.node)
        fac._shown()
        return fac

    def close(self) -> None:
        for source in self.sources:
            if self.decision is not None:
                source.close(self.decision.id)
        self.writer.close()

    def room_opened(self, code: str, port: int) -> None:
        """Record the phones' room code and port (once per change), so a resumed session keeps them."""
        if self.room != (code, port):
            self.room = (code, port)
            self.writer.write(s.ROOM, code=code, port=port)

    @property
    def path(self) -> Path:
        return self.writer.path

    # ------------------------------------------------------------------ asking
    def view(self) -> NodeView:
        return self.engine.view(self.state)

    @property
    def ended(self) -> bool:
        return self.view().ending is not None

    def veil(self) -> Any:
        """The veil over the current passage (younger classes), or None once revealed or when there is none."""
        node = self.engine.node(self.state)
        if node.id in self.revealed:
            return None
        return veil_for(self.story, node, self.settings.level)

    def needs_discussion(self) -> bool:
        node = self.engine.node(self.state)
        return bool(node.discuss) and node.id not in self.discussed

    # ------------------------------------------------------------------ telling
    def _shown(self) -> None:
        view = self.view()
        node = self.engine.node(self.state)
        self.discussed.discard(node.id)
        self.revealed.discard(node.id)
        if node.discuss and (node.id, node.discuss) not in self.prompts_met:
            self.prompts_met.append((node.id, node.discuss))
        self.writer.write(s.NODE, node=node.id, title=node.title, chapter=node.chapter, location=view.location,
                          discuss=node.discuss, facts=list(node.facts), veiled=self.veil() is not None,
                          **s.state_summary(self.story, self.state))
        if view.ending is not None:
            self.writer.write(s.ENDED, node=node.id, ending=view.ending.id, kind=view.ending.kind,
                              title=view.ending.title, decisions=self.decisions,
                              **s.state_summary(self.story, self.state))

    def open_vote(self) -> Decision:
        """Start the vote at the current node (idempotent while it is open)."""
        if self.decision is not None and self.decision.node == self.state.node:
            return self.decision
        view = self.view()
        if view.ending is not None:
            raise Impossible(_("the journey is over; there is nothing to vote on"))
        pending = self.pending if self.pending is not None and self.pending.node == view.node_id else None
        self.pending = None
        if pending is None:
            self.decisions += 1
        options = tuple(Option(c.index, c.text, c.available, c.cost_text or "",
                               _("{percent} risk: {risk}").format(percent=c.risk.percent, risk=c.risk.label)
                               if c.risk else "", c.reason or "")
                        for c in view.choices)
        decision = Decision(pending.decision if pending else f"d{self.decisions}", view.node_id, view.title,
                            options)
        self.decision = decision
        self._live = {}
        for source in self.sources:
            source.open(decision)
        if pending is not None:  # the votes cast before the session stopped count again
            for source in self.sources:
                if source.name in pending.ballots and hasattr(source, "restore"):
                    source.restore(pending.ballots[source.name])
                elif source is self.keyboard:
                    for index, n in pending.counts.get(source.name, {}).items():
                        self.keyboard.set(index, n)
                self._live[source.name] = source.current()
            return decision
        self.writer.write(s.VOTE_OPENED, decision=decision.id, node=view.node_id, title=view.title,
                          step=self.state.step,
                          options=[{"index": c.index, "text": c.text, "available": c.available, "reason": c.reason,
                                    "costs": c.cost_text, "risk": c.risk.text if c.risk else ""}
                                   for c in view.choices])
        return decision

    def tally(self) -> dict[int, int]:
        """The combined count now, over every source (what the vote screen shows).

        Every change of a source's counts is recorded as it is seen (the phones' new
        ballots, the keyboard's counts), so a crash in the middle of a vote loses none."""
        now = [(src, src.current()) for src in self.sources]
        if self.decision is not None and not self.read_only:
            for src, counts in now:
                if counts != self._live.get(src.name, {}):
                    self._record_live(src, counts)
        if self.decision is not None:
            # A source that shows the class the counts (the phones) is told the others' (the hands), so that
            # what the class sees on its phones is what the projector shows, as soon as it shows it.
            for src, _counts in now:
                share = getattr(src, "show_others", None)
                if share is not None:
                    share(combine(counts for other, counts in now if other is not src))
        return combine(counts for _, counts in now)

    def _record_live(self, src: TallySource, counts: dict[int, int], reset: bool = False) -> None:
        self._live[src.name] = dict(counts)
        data: dict[str, Any] = {"decision": self.decision.id, "source": src.name}
        if reset:
            data["reset"] = True
        take = getattr(src, "new_ballots", None)
        if take is not None:
            data["ballots"] = [[d, i] for d, i in take()]
        else:
            data["counts"] = {str(k): v for k, v in sorted(counts.items()) if v}
        self.writer.write(s.VOTES, **data)

    def reset_vote(self) -> None:
        """Start the open vote again from zero (every source), recorded."""
        decision = self.decision
        if decision is None:
            return
        for src in self.sources:
            reset = getattr(src, "reset", None)
            if reset is not None:
                reset(decision)
            else:
                src.close(decision.id)
                src.open(decision)
            self._record_live(src, {}, reset=True)

    def close_vote(self, index: int, how: str) -> Outcome:
        """Record the tally and take choice ``index`` (``how``: vote, tie-break or facilitator)."""
        decision = self.decision
        if decision is None:
            raise Impossible(_("no vote is open"))
        if index not in decision.open_indices:
            raise Impossible(_("that option is not open to the class"))
        by_source = {src.name: {str(k): v for k, v in sorted(src.close(decision.id).items()) if v}
                     for src in self.sources}
        counts = combine({int(k): v for k, v in c.items()} for c in by_source.values())
        settled = settle(counts, decision.open_indices)
        self.writer.write(s.TALLY, decision=decision.id, node=decision.node,
                          counts={str(k): v for k, v in sorted(counts.items())}, by_source=by_source,
                          total=sum(counts.values()), tied=list(settled.tied) if settled.how == "tie" else [])
        view = self.view()
        before = self.engine.node(self.state)
        outcome = self.engine.choose(self.state, index)
        self.decision = None
        for src in self.sources:  # sources that show the class the result (the phones) hear what was taken
            announce = getattr(src, "announce", None)
            if announce is not None:  # with every source's counts (hands too), and how it was decided
                announce(decision.id, index, counts=counts, how=how)
        roll, hidden = outcome.roll, outcome.hidden_roll
        self.writer.write(s.CHOICE, decision=decision.id, from_node=before.id, index=index,
                          text=view.choices[index].text, decided_by=how, to_node=outcome.to_node,
                          deltas={k: v for k, v in outcome.deltas.items()},
                          roll=None if roll is None else {"chance": roll.chance, "label": roll.label,
                                                          "value": roll.value, "failed": roll.failed},
                          # A hidden risk is kept apart from "roll", which reports and screens show.
                          **({} if hidden is None else {"hidden_roll": {"failed": hidden.failed, "value": hidden.value}}),
                          rng=self.state.rng, step=self.state.step)
        self._shown()
        return outcome

    def cancel_vote(self, reason: str = "cancelled") -> None:
        """Close the open vote without a choice (a rollback, or the facilitator ended it); recorded, so the
        report does not mistake it for a decision, and the phones are told it was cancelled."""
        decision = self.decision
        if decision is not None:
            counts = combine(src.current() for src in self.sources)
            for source in self.sources:
                cancel = getattr(source, "cancel", None)
                if cancel is not None:
                    cancel(decision.id)
                else:
                    source.close(decision.id)
            self.decision = None
            if not self.read_only:
                self.writer.write(s.CANCELLED, decision=decision.id, node=decision.node, reason=reason,
                                  counts={str(k): v for k, v in sorted(counts.items())})

    def can_rollback(self) -> tuple[bool, str]:
        if self.read_only:
            return False, _("this is a replay of a recorded session")
        return self.engine.can_rollback(self.state)

    def rollback(self, reason: str = "the class wanted to try the other way") -> None:
        ok, why = self.can_rollback()
        if not ok:
            raise Impossible(why)
        self.cancel_vote("went back")
        from_node = self.state.node
        self.engine.rollback(self.state)
        self.writer.write(s.ROLLBACK, from_node=from_node, to_node=self.state.node, reason=reason,
                          step=self.state.step)
        self._shown()

    def discussion_held(self, seconds: float, planned: int, how: str) -> None:
        """``how``: finished (the countdown ran out), skipped, or closed (ended by the facilitator)."""
        node = self.engine.node(self.state)
        self.discussed.add(node.id)
        self.writer.write(s.DISCUSSION, node=node.id, prompt=node.discuss, seconds=round(seconds, 1),
                          planned=planned, how=how)

    def fact_shown(self, fact_id: str) -> None:
        self.writer.write(s.FACT, node=self.state.node, fact=fact_id)

    def blanked(self, seconds: float) -> None:
        self.writer.write(s.BLANKED, node=self.state.node, seconds=round(seconds, 1))

    def paused(self, seconds: float) -> None:
        self.writer.write(s.PAUSED, node=self.state.node, seconds=round(seconds, 1))

    def reveal(self) -> None:
        node = self.engine.node(self.state)
        if node.id not in self.revealed:
            self.revealed.add(node.id)
            self.writer.write(s.VEIL, node=node.id)


def _settings_of(record: s.SessionRecord) -> FacilitatorSettings:
    raw = record.settings
    try:
        return FacilitatorSettings(
            name=str(raw.get("name", "Class session")), groups=int(raw.get("groups", 0) or 0),
            group=int(raw.get("group_number", 1) or 1), seed=int(record.start["seed"]),
            level=str(raw.get("level", "full")) if raw.get("level") in LEVELS else "full",
            discussion_seconds=int(raw.get("discussion_seconds", 180) or 180))
    except (TypeError, ValueError, KeyError) as exc:
        raise s.SessionError(_("{name}: the session's settings are damaged ({problem})").format(
            name=record.path.name, problem=exc)) from None


def _prompts(story: Story, record: s.SessionRecord) -> list[tuple[str, str]]:
    """The discuss prompts of the passages the class saw, in the order met, without repeats."""
    met: list[tuple[str, str]] = []
    for event in record.of(s.NODE):
        node = story.nodes.get(str(event.get("node")))
        if node is not None and node.discuss and (node.id, node.discuss) not in met:
            met.append((node.id, node.discuss))
    return met


class _NoWriter:
    """The writer of a replay: it records nothing (a replay must not change the record it shows)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seq = 0

    def write(self, event_type: str, /, **data: Any) -> dict[str, Any]:
        return {"type": event_type, **data}

    def close(self) -> None:
        pass
