"""``escape-route play --replay SESSION``: re-enact a recorded session, one decision per key press.

Each step shows the passage the class was at, the vote as it was counted, what the
class took and what the dice did; → or Enter steps forward, ← back. After the last
decision the class debrief of the rebuilt journey follows. The steps are computed
once by replaying the record through the engine (``session.rebuild``), so what is
shown is what the rules produce from the recorded choices and rolls, not a copy of
the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

from game.classroom import session as s
from game.engine.engine import Engine, NodeView
from game.l10n import _, ngettext
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene
from game.ui.classroom.story import resource_strip
from game.ui.widgets.text import blit_block


@dataclass(frozen=True, slots=True)
class ReplayStep:
    view: NodeView
    vars: dict[str, Any]
    counts: dict[int, int]
    chosen: int
    decided_by: str
    roll: dict[str, Any] | None
    undone: bool


def replay_steps(story, record: s.SessionRecord) -> list[ReplayStep]:  # noqa: ANN001
    """Every recorded decision, with the passage as the rules show it at that point of the replay."""
    engine = Engine(story)
    steps: list[ReplayStep] = []
    tallies: dict[str, dict[int, int]] = {}
    for event in record.events:
        if event["type"] == s.TALLY and isinstance(event.get("counts"), dict):
            tallies[str(event.get("decision"))] = {int(k): int(v) for k, v in event["counts"].items()
                                                   if str(k).isdigit() and isinstance(v, int)}
    taken: list[int] = []
    for event in record.events:
        if event["type"] == s.CHOICE:
            before = s.rebuild(story, record, engine, upto_seq=event["seq"] - 1).state
            steps.append(ReplayStep(engine.view(before), dict(before.vars),
                                    tallies.get(str(event.get("decision")), {}), int(event.get("index", 0)),
                                    str(event.get("decided_by", "")),
                                    event.get("roll") if isinstance(event.get("roll"), dict) else None, False))
            taken.append(len(steps) - 1)
        elif event["type"] == s.ROLLBACK and taken:
            i = taken.pop()
            steps[i] = ReplayStep(*[getattr(steps[i], f) for f in ("view", "vars", "counts", "chosen",
                                                                   "decided_by", "roll")], True)
    return steps


class ReplayScene(FacilitateScene):
    name = "facilitate-replay"

    def __init__(self, app, fac, record: s.SessionRecord, steps: list[ReplayStep]) -> None:  # noqa: ANN001
        super().__init__(app, fac)
        self.record = record
        self.steps = steps
        self.index = 0

    def enter(self) -> None:
        self.relayout()

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Confirm) or isinstance(cmd, c.Move) and (cmd.dx > 0 or cmd.dy > 0):
            if self.index < len(self.steps) - 1:
                self.index += 1
                self.relayout()
            else:
                from game.ui.classroom.debrief import ClassDebriefScene
                self.app.push(ClassDebriefScene(self.app, self.fac))
        elif isinstance(cmd, c.Move) and (cmd.dx < 0 or cmd.dy < 0):
            self.index = max(0, self.index - 1)
            self.relayout()
        elif isinstance(cmd, c.Back):
            self.app.running = False
        return None

    def relayout(self) -> None:
        if not self.steps:
            return
        pj, p = self.pj, self.theme.palette
        step = self.steps[self.index]
        w = pj.safe.w
        self.title = self.block(step.view.title or step.view.node_id, "serif-bold", pj.title, w, p.strong, 1.15)
        first = step.view.paragraphs[0] if step.view.paragraphs else ""
        self.excerpt = self.block(first, "serif", pj.ui, w, p.text, 1.4)
        total = sum(step.counts.values())
        rows = []
        for choice in step.view.choices:
            n = step.counts.get(choice.index, 0)
            mark = "  ✓ " + _("taken") if choice.index == step.chosen else ""
            share = ngettext("{n} vote", "{n} votes", n).format(n=n) if total else ""
            colour = p.accent if choice.index == step.chosen else p.text if choice.available else p.faint
            rows.append(self.block(f"{choice.index + 1}.  {choice.text}   {share}{mark}", "sans-bold"
                                   if choice.index == step.chosen else "sans", pj.ui, w, colour, 1.3))
        self.rows = rows
        how = {"vote": _("by vote"), "tie-break": _("tie settled by the facilitator"),
               "facilitator": _("decided by the facilitator")}.get(step.decided_by, step.decided_by)
        result = how
        if step.roll is not None:
            pct = round(float(step.roll.get("chance", 0)) * 100)
            result += "  ·  " + (_("{percent} risk, {risk}: it fell") if step.roll.get("failed") else
                                 _("{percent} risk, {risk}: it passed")).format(percent=f"{pct}%",
                                                                                risk=step.roll.get("label", ""))
        if step.undone:
            result += "  ·  " + _("then undone: the class went back")
        self.result = self.block(result, "sans-bold", pj.ui, w, p.bad if step.roll and step.roll.get("failed")
                                 else p.good, 1.3)

    def draw(self, surface: pygame.Surface) -> None:
        pj = self.pj
        safe = pj.safe
        if not self.steps:
            self.kicker(surface, _("This session has no recorded decision"))
            return
        step = self.steps[self.index]
        h = resource_strip(self, surface, step.vars, safe.y)
        y = safe.y + h + pj.px(12)
        y += self.kicker(surface, _("Replay · {session} · decision {n} of {total}").format(
            session=self.record.label, n=self.index + 1, total=len(self.steps)),
                         y) + pj.px(4)
        blit_block(surface, self.title, safe.x, y)
        y += self.title.height + pj.px(8)
        room = safe.bottom - y - sum(r.height + pj.px(6) for r in self.rows) - self.result.height - pj.px(70)
        if self.excerpt.height <= room:
            blit_block(surface, self.excerpt, safe.x, y)
            y += self.excerpt.height + pj.px(14)
        for row in self.rows:
            blit_block(surface, row, safe.x, y)
            y += row.height + pj.px(6)
        blit_block(surface, self.result, safe.x, y + pj.px(8))
        self.hints(surface, _("→ or Enter: next decision  ·  ← previous  ·  Esc: quit"))
