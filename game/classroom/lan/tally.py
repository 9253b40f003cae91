"""The phones as a tally source for the facilitator's vote step (:class:`game.classroom.vote.TallySource`).

    server = VoteServer(bind="auto"); server.start()
    fac.sources.append(LanTally(server, view=fac.view))

The vote step then opens and closes the phones' vote with every decision, shows
``current()`` each frame, and records the phones' counts under the name "phones".
With ``view`` the phones see each option's cost and risk as the projector shows
them; without it, only the option texts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.classroom.lan.server import VoteServer
from game.classroom.vote import Decision


def choices_from_view(view: Any) -> list[dict[str, Any]]:
    """A :class:`game.engine.engine.NodeView`'s choices as :meth:`VoteServer.open_decision` takes them."""
    out = []
    for c in view.choices:
        risk = getattr(c, "risk", None)
        out.append({"index": c.index, "text": c.text, "cost": getattr(c, "cost_text", "") or "",
                    "risk": f"{risk.percent} risk: {risk.label}" if risk is not None else "",
                    "available": bool(c.available), "reason": getattr(c, "reason", "") or ""})
    return out


class LanTally:
    """Counts from the students' devices; ``name`` is what the session record files them under."""

    def __init__(self, server: VoteServer, view: Callable[[], Any] | None = None, name: str = "phones") -> None:
        self.server = server
        self.view = view
        self.name = name
        self.decision_id: str | None = None

    def open(self, decision: Decision) -> None:
        choices = None
        if self.view is not None:
            view = self.view()
            if getattr(view, "node_id", None) == decision.node:
                choices = choices_from_view(view)
        if choices is None:
            choices = [{"index": o.index, "text": o.text, "available": o.available} for o in decision.options]
        self.decision_id = decision.id
        self.server.open_decision(decision.id, decision.title, choices)

    def current(self) -> dict[int, int]:
        return self.server.tally() if self.decision_id is not None else {}

    def close(self, decision_id: str) -> dict[int, int]:
        if decision_id != self.decision_id:
            return {}
        self.decision_id = None
        return self.server.close_decision()

    def announce(self, decision_id: str, index: int) -> None:
        """The phones show which option the class took (the vote step calls this after deciding)."""
        self.server.announce(index)
