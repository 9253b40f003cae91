"""The vote room: the room code, the open decision, one ballot per device token, and the counts.

Pure and thread-safe (one lock, never held across I/O): the server's event-loop
thread calls :meth:`Room.join` and :meth:`Room.vote`, the game's thread calls
:meth:`Room.open`, :meth:`Room.close` and reads :meth:`Room.tally`. No address,
name or device detail is kept with a ballot: a ballot is a random token (issued by
the room on join) and an option index, for the open decision only; at close the
ballots are dropped and only the counts remain. The wrong-code limiter keeps, for
each client address, the times of its wrong tries within the last window and
nothing else.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.lan.protocol import CODE_DIGITS, clean_choices, clean_title

WAITING, VOTING, CLOSED = "waiting", "voting", "closed"


def new_room_code(digits: int = CODE_DIGITS) -> str:
    """A random code of ``digits`` digits (digits only: a phone shows its number pad)."""
    return "".join(secrets.choice("0123456789") for _ in range(digits))


@dataclass(frozen=True, slots=True)
class JoinResult:
    ok: bool
    token: str = ""
    reason: str = ""          # "wrong-code", "too-many-tries", "full"
    retry_after: int = 0      # seconds, for "too-many-tries"
    tries_left: int = 0       # for "wrong-code"


class Room:
    def __init__(self, code: str | None = None, *, wrong_code_limit: int = 5, wrong_code_window: float = 60.0,
                 max_tokens: int = 5000, clock: Callable[[], float] = time.monotonic) -> None:
        self.code = code or new_room_code()
        self.wrong_code_limit = wrong_code_limit
        self.wrong_code_window = wrong_code_window
        self.max_tokens = max_tokens
        self.clock = clock
        self.lock = threading.Lock()
        self.status = WAITING
        self.decision_id = ""
        self.title = ""
        self.choices: tuple[dict[str, Any], ...] = ()
        self._open_indices: frozenset[int] = frozenset()
        self._all_indices: frozenset[int] = frozenset()
        self.ballots: dict[str, int] = {}     # token -> option index, for the open decision only
        self.counts: dict[int, int] = {}
        self.result: dict[int, int] = {}
        self.chosen: int | None = None  # the option the class took, once the facilitator decided
        self.version = 0                      # bumped at every change the projector may show
        self.tokens: set[str] = set()
        self._wrong: dict[str, deque[float]] = {}
        self.rejected = 0                     # votes refused (closed, unknown decision, unavailable option)

    # ------------------------------------------------------------------ devices
    def join(self, address: str, code: str, token: str | None) -> JoinResult:
        """Check the room code for a client at ``address``; a device that joined before keeps its token."""
        now = self.clock()
        with self.lock:
            if token is not None and token in self.tokens and hmac.compare_digest(code.encode(), self.code.encode()):
                # A device that joined before comes back (a network drop): its token proves it had the code,
                # so others' wrong tries from the same address (a shared hotspot) do not lock it out.
                return JoinResult(True, token=token)
            tries = self._wrong.get(address)
            if tries is not None:
                while tries and now - tries[0] >= self.wrong_code_window:
                    tries.popleft()
                if not tries:
                    del self._wrong[address]
                elif len(tries) >= self.wrong_code_limit:
                    wait = max(1, int(tries[0] + self.wrong_code_window - now + 0.999))
                    return JoinResult(False, reason="too-many-tries", retry_after=wait)
            if not hmac.compare_digest(code.encode(), self.code.encode()):
                if len(self._wrong) > 10_000:  # forget addresses whose tries are all old
                    self._forget_old(now)
                tries = self._wrong.setdefault(address, deque())
                tries.append(now)
                return JoinResult(False, reason="wrong-code", tries_left=max(0, self.wrong_code_limit - len(tries)))
            if token is not None and token in self.tokens:
                return JoinResult(True, token=token)
            if len(self.tokens) >= self.max_tokens:
                return JoinResult(False, reason="full")
            token = secrets.token_urlsafe(18)
            self.tokens.add(token)
            return JoinResult(True, token=token)

    def _forget_old(self, now: float) -> None:
        for address in [a for a, t in self._wrong.items() if not t or now - t[-1] >= self.wrong_code_window]:
            del self._wrong[address]

    # ------------------------------------------------------------------ ballots
    def vote(self, token: str, decision_id: str, choice: int) -> str:
        """Count (or replace) this token's ballot; returns "ok" or why it was refused."""
        with self.lock:
            if token not in self.tokens:
                reason = "not-joined"
            elif self.status != VOTING or decision_id != self.decision_id:
                reason = "closed" if decision_id == self.decision_id else "unknown-decision"
            elif choice not in self._open_indices:
                reason = "unavailable" if choice in self._all_indices else "unknown-choice"
            else:
                old = self.ballots.get(token)
                if old == choice:
                    return "ok"
                if old is not None:
                    left = self.counts[old] - 1
                    if left:
                        self.counts[old] = left
                    else:
                        del self.counts[old]
                self.ballots[token] = choice
                self.counts[choice] = self.counts.get(choice, 0) + 1
                self.version += 1
                return "ok"
            self.rejected += 1
            return reason

    def ballot(self, token: str | None) -> int | None:
        with self.lock:
            return self.ballots.get(token) if token and self.status == VOTING else None

    # ------------------------------------------------------------------ the game's side
    def open(self, decision_id: str, title: str, choices: Sequence[Mapping[str, Any]]) -> None:
        cleaned = clean_choices(choices)
        if not isinstance(decision_id, str) or not decision_id:
            raise ValueError("decision_id must be a non-empty string")
        with self.lock:
            self.status = VOTING
            self.decision_id = decision_id
            self.title = clean_title(title)
            self.choices = cleaned
            self._open_indices = frozenset(c["index"] for c in cleaned if c["available"])
            self._all_indices = frozenset(c["index"] for c in cleaned)
            self.ballots = {}
            self.counts = {}
            self.result = {}
            self.chosen = None
            self.version += 1

    def announce(self, index: int) -> None:
        """After the vote closed: which option the class took (the count's winner, a tie-break or an override)."""
        with self.lock:
            if self.status == CLOSED and index in self._all_indices:
                self.chosen = index
                self.version += 1

    def close(self) -> dict[int, int]:
        """Stop counting; the final counts (only available options can have any). Ballots are dropped."""
        with self.lock:
            if self.status == VOTING:
                self.status = CLOSED
                self.result = dict(self.counts)
                self.ballots = {}
                self.version += 1
            return dict(self.result) if self.status == CLOSED else {}

    def tally(self) -> dict[int, int]:
        with self.lock:
            return dict(self.counts) if self.status == VOTING else dict(self.result)

    def votes_cast(self) -> int:
        with self.lock:
            return sum(self.counts.values()) if self.status == VOTING else sum(self.result.values())

    def state(self) -> dict[str, Any]:
        """The class's state as the pages see it (without the device's own ballot)."""
        with self.lock:
            decision = None
            if self.status != WAITING:
                decision = {"id": self.decision_id, "title": self.title, "choices": list(self.choices)}
            result = None
            if self.status == CLOSED:
                result = {"counts": [{"index": c["index"], "votes": self.result.get(c["index"], 0)}
                                     for c in self.choices if c["available"]],
                          "total": sum(self.result.values()), "chosen": self.chosen}
            return {"type": "state", "status": self.status, "decision": decision, "result": result}
