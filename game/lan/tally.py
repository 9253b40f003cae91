"""The phones as the facilitator's vote channel (:class:`game.classroom.vote.VoteChannel`).

    server = VoteServer(bind="auto"); server.start()
    fac.sources.append(LanTally(server))

The vote step then opens and closes the phones' vote with every decision, shows
``current()`` each frame, and records the phones' counts under the name "phones".
The phones see each option's cost and risk as the projector shows them (the
decision's options carry them). The command line builds this and hands it to the
projector's screens, which know only the ``VoteChannel`` interface.
"""

from __future__ import annotations

from typing import Any

from game.classroom.vote import Decision
from game.lan.server import VoteServer


def choices_from_decision(decision: Decision) -> list[dict[str, Any]]:
    """A decision's options as :meth:`VoteServer.open_decision` takes them."""
    return [{"index": o.index, "text": o.text, "cost": o.cost, "risk": o.risk, "available": bool(o.available),
             "reason": o.reason} for o in decision.options]


class LanTally:
    """Counts from the students' devices; ``name`` is what the session record files them under."""

    def __init__(self, server: VoteServer, name: str = "phones") -> None:
        self.server = server
        self.name = name
        self.decision_id: str | None = None

    # ------------------------------------------------------------------ TallySource
    def open(self, decision: Decision) -> None:
        self.decision_id = decision.id
        self.server.open_decision(decision.id, decision.title, choices_from_decision(decision))

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

    # ------------------------------------------------------------------ how to join, for the projector
    @property
    def url(self) -> str:
        return self.server.url

    @property
    def room_code(self) -> str:
        return self.server.room_code

    def connected(self) -> int:
        return self.server.connected()

    def votes_cast(self) -> int:
        return self.server.votes_cast()

    def qr_matrix(self, border: int = 4, with_code: bool = True) -> list[list[bool]]:
        return self.server.qr_matrix(border=border, with_code=with_code)

    def qr_png(self, scale: int = 8, border: int = 4, with_code: bool = True) -> bytes:
        return self.server.qr_png(scale=scale, border=border, with_code=with_code)
