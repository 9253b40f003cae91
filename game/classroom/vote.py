"""The vote step: where tallies come from, how a decision is settled, and the keyboard tally.

A :class:`Decision` is one vote: a node visit and its options. Tallies come from
one or more :class:`TallySource` objects: the facilitator's keyboard today
(:class:`KeyboardTally`), students' phones over the LAN next (a server thread that
counts ballots for the open decision and answers ``current()``), a random source
for automatic runs (:class:`RandomTally`). The vote scene shows the sum of all open
sources and records each source's counts, so a class can mix hands and phones.

Settling is pure (:func:`settle`): most votes wins among available options; a tie
is settled by the facilitator, who picks one of the tied options; with no votes at
all the facilitator marks the class's decision directly. The record keeps how it
was decided (``vote``, ``tie-break`` or ``facilitator``) beside the counts.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

MAX_VOTES = 9999


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a vote, with what the projector shows beside it (so phones can show the same)."""

    index: int
    text: str
    available: bool
    cost: str = ""  # "¥5,000 · 3 days", as the engine words it
    risk: str = ""  # "12% risk: the guard talks", empty when there is none
    reason: str = ""  # why a closed option is closed


@dataclass(frozen=True, slots=True)
class Decision:
    """One vote: ``id`` is unique within a session (``d1``, ``d2``...), ``node`` the passage it is at."""

    id: str
    node: str
    title: str
    options: tuple[Option, ...]

    @property
    def open_indices(self) -> tuple[int, ...]:
        return tuple(o.index for o in self.options if o.available)


@runtime_checkable
class TallySource(Protocol):
    """Somewhere votes come from. ``current`` may be called every frame: it must be cheap and not block.

    ``open`` starts counting for a decision (a LAN source would publish the options
    to the phones); ``close`` stops accepting votes and returns the final counts.
    Counts are keyed by option index; options nobody voted for may be absent.
    """

    name: str

    def open(self, decision: Decision) -> None: ...

    def current(self) -> dict[int, int]: ...

    def close(self, decision_id: str) -> dict[int, int]: ...


@runtime_checkable
class VoteChannel(TallySource, Protocol):
    """Votes from the students' own devices: a tally source that also says how to join it.

    The LAN server (``game.lan``) offers one; the command line starts it and hands it
    to the projector, which shows the address, the room code and the QR code, and
    how many devices have joined. The classroom's pure logic and the screens know
    only this interface, never the server.
    """

    @property
    def url(self) -> str: ...

    @property
    def room_code(self) -> str: ...

    def connected(self) -> int: ...

    def votes_cast(self) -> int: ...

    def qr_matrix(self, border: int = 4, with_code: bool = True) -> list[list[bool]]: ...

    def qr_png(self, scale: int = 8, border: int = 4, with_code: bool = True) -> bytes: ...

    def announce(self, decision_id: str, index: int) -> None: ...


class KeyboardTally:
    """The facilitator types a count for each option (digits, Backspace, + and -)."""

    name = "keyboard"

    def __init__(self) -> None:
        self.decision: Decision | None = None
        self.counts: dict[int, int] = {}
        self.touched: set[int] = set()  # options whose count the facilitator typed (even 0)

    def open(self, decision: Decision) -> None:
        self.decision = decision
        self.counts = {}
        self.touched = set()

    def current(self) -> dict[int, int]:
        return dict(self.counts)

    def close(self, decision_id: str) -> dict[int, int]:
        final = {k: v for k, v in self.counts.items() if v}
        self.decision = None
        return final

    def _allowed(self, index: int) -> bool:
        return self.decision is not None and index in self.decision.open_indices

    def type_digit(self, index: int, digit: int) -> None:
        if self._allowed(index) and 0 <= digit <= 9:
            value = self.counts.get(index, 0) * 10 + digit if index in self.touched else digit
            self.counts[index] = min(MAX_VOTES, value)
            self.touched.add(index)

    def erase(self, index: int) -> bool:
        """Remove the last digit typed for ``index``; False when there was nothing to erase."""
        if index not in self.touched:
            return False
        value = self.counts.get(index, 0) // 10
        if value:
            self.counts[index] = value
        else:
            self.counts.pop(index, None)
            self.touched.discard(index)
        return True

    def add(self, index: int, delta: int) -> None:
        if self._allowed(index):
            value = max(0, min(MAX_VOTES, self.counts.get(index, 0) + delta))
            self.counts[index] = value
            self.touched.add(index)

    def set(self, index: int, value: int) -> None:
        if self._allowed(index):
            self.counts[index] = max(0, min(MAX_VOTES, value))
            self.touched.add(index)


class RandomTally:
    """A class that votes at random (for automatic runs and tests), from its own seeded generator."""

    name = "auto"

    def __init__(self, seed: int, voters: int = 28) -> None:
        self.rng = random.Random(seed)
        self.voters = voters
        self.counts: dict[int, int] = {}

    def open(self, decision: Decision) -> None:
        self.counts = {}
        choices = list(decision.open_indices)
        if not choices:
            return
        weights = [self.rng.random() ** 2 + 0.05 for _ in choices]
        for _ in range(self.voters):
            pick = self.rng.choices(choices, weights)[0]
            self.counts[pick] = self.counts.get(pick, 0) + 1

    def current(self) -> dict[int, int]:
        return dict(self.counts)

    def close(self, decision_id: str) -> dict[int, int]:
        return dict(self.counts)


def combine(tallies: Iterable[Mapping[int, int]]) -> dict[int, int]:
    """The sum of several sources' counts."""
    total: dict[int, int] = {}
    for counts in tallies:
        for index, n in counts.items():
            if n:
                total[index] = total.get(index, 0) + int(n)
    return total


@dataclass(frozen=True, slots=True)
class Settled:
    """The result of a vote: ``winner`` is None when the facilitator must settle a tie (``tied``)."""

    winner: int | None
    tied: tuple[int, ...]
    how: str  # "vote", "tie" (undecided: the facilitator picks among ``tied``), "facilitator" (no votes)


def settle(counts: Mapping[int, int], open_indices: Sequence[int]) -> Settled:
    """Most votes among the options that are open; a tie or an empty tally is left to the facilitator."""
    valid = {i: counts.get(i, 0) for i in open_indices}
    top = max(valid.values(), default=0)
    if top <= 0:
        return Settled(None, tuple(open_indices), "facilitator")
    best = tuple(i for i, n in valid.items() if n == top)
    if len(best) == 1:
        return Settled(best[0], best, "vote")
    return Settled(None, best, "tie")
