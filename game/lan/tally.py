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
        self.closed: tuple[str, dict[int, int]] | None = None  # the vote closed at V, before the decision

    # ------------------------------------------------------------------ TallySource
    def open(self, decision: Decision) -> None:
        self.decision_id = decision.id
        self.closed = None
        self.server.open_decision(decision.id, decision.title, choices_from_decision(decision))
        self.server.room.take_journal()

    def current(self) -> dict[int, int]:
        if self.decision_id is not None or getattr(self, "closed", None) is not None:
            return self.server.tally()
        return {}

    def close(self, decision_id: str) -> dict[int, int]:
        """Stop the phones' vote; the final counts (again, unchanged, if it was closed already, at V)."""
        closed = getattr(self, "closed", None)
        if closed is not None and closed[0] == decision_id:
            return dict(closed[1])
        if decision_id != self.decision_id:
            return {}
        self.decision_id = None
        final = self.server.close_decision()
        self.closed = (decision_id, dict(final))
        return final

    def cancel(self, decision_id: str) -> None:
        """The vote ends without a decision: the phones go back to waiting."""
        if decision_id == self.decision_id or getattr(self, "closed", None) and self.closed[0] == decision_id:
            self.decision_id = None
            self.closed = None
            self.server.room.cancel()
            self.server.publish()

    def reset(self, decision: Decision) -> None:
        """This vote again from zero: every phone votes again."""
        self.open(decision)

    def restore(self, ballots: dict[str, int]) -> None:
        """Ballots recorded before a crash (device digest -> option) count again."""
        self.server.room.restore(ballots)
        self.server.publish()

    def new_ballots(self) -> list[tuple[str, int]]:
        """Ballots cast since the last call, as (device digest, option), for the session record."""
        return self.server.room.take_journal()

    def show_others(self, counts: dict[int, int]) -> None:
        """The other sources' counts (hands typed on the projector): a closed vote's pages show them with the
        phones', at once, so every phone shows the counts and the total the projector shows."""
        if self.server.room.set_hands(counts):
            self.server.publish()

    def announce(self, decision_id: str, index: int, counts: dict[int, int] | None = None,
                 how: str = "vote") -> None:
        """The phones show which option the class took, how, and the counts of phones and hands together."""
        self.closed = None
        self.server.announce(index, counts, how)

    # ------------------------------------------------------------------ the teacher's controls
    def new_code(self) -> str:
        code = self.server.room.new_code()
        self.server.publish()
        return code

    def lock(self, locked: bool) -> None:
        self.server.room.set_locked(locked)

    @property
    def locked(self) -> bool:
        return self.server.room.locked

    def guessing(self) -> bool:
        return self.server.room.guessing()

    def waiting(self) -> int:
        """Connections open that have not joined with the room code."""
        return self.server.waiting()

    @property
    def port(self) -> int:
        return self.server.port

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
