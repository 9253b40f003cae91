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
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.classroom.journeys import device_key
from game.lan.protocol import CODE_DIGITS, clean_choices, clean_title

WAITING, VOTING, CLOSED = "waiting", "voting", "closed"


TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
PER_ADDRESS = 10        # device tokens one address may hold (a phone needs one; a shared hotspot a few)
GLOBAL_WRONG = 30       # wrong codes from all addresses together within the window: someone is guessing


#: What the session record keeps of a device: a one-way digest of its random token, never the token
#: (one function for the vote room and the class journeys, whose record is written below this layer).
digest = device_key


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
                 max_tokens: int = 5000, per_address: int = PER_ADDRESS, global_wrong: int = GLOBAL_WRONG,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.code = code or new_room_code()
        self.wrong_code_limit = wrong_code_limit
        self.wrong_code_window = wrong_code_window
        self.max_tokens = max_tokens
        self.clock = clock
        self.lock = threading.Lock()
        self.status = WAITING
        self.decision_id = ""
        self.round = ""                       # new at every open: a reset vote is a new round of the same decision
        self.title = ""
        self.choices: tuple[dict[str, Any], ...] = ()
        self._open_indices: frozenset[int] = frozenset()
        self._all_indices: frozenset[int] = frozenset()
        self.ballots: dict[str, int] = {}     # token -> option index, for the open decision only
        self.counts: dict[int, int] = {}
        self.result: dict[int, int] = {}
        self.hands: dict[int, int] = {}   # the other sources' counts (hands typed on the projector), shown with ours
        self.chosen: int | None = None  # the option the class took, once the facilitator decided
        self.version = 0                      # bumped at every change the projector may show
        self.tokens: set[str] = set()
        self._wrong: dict[str, deque[float]] = {}
        self.rejected = 0                     # votes refused (closed, unknown decision, unavailable option)
        self.per_address = per_address
        self.global_wrong = global_wrong
        self._all_wrong: deque[float] = deque()   # every wrong try, from any address, within the window
        self._minted: dict[str, int] = {}     # address -> tokens issued to it (the per-address cap)
        self.locked = False                   # no new devices (joined ones come back)
        self.how = ""                         # how the class's option was decided, once announced
        self.journal: list[tuple[str, int]] = []  # (device digest, option) per ballot cast, for the record

    def guessing(self) -> bool:
        """True while wrong codes from all addresses together are over the limit (the projector warns)."""
        with self.lock:
            self._expire_global(self.clock())
            return len(self._all_wrong) >= self.global_wrong

    def _expire_global(self, now: float) -> None:
        while self._all_wrong and now - self._all_wrong[0] >= self.wrong_code_window:
            self._all_wrong.popleft()

    def new_code(self) -> str:
        """A new room code: joined devices stay (their token lets them back in), guesses start again."""
        with self.lock:
            old = self.code
            while self.code == old:
                self.code = new_room_code(len(old))
            self._all_wrong.clear()
            self._wrong.clear()
            self.version += 1
            return self.code

    def set_locked(self, locked: bool) -> None:
        with self.lock:
            self.locked = locked
            self.version += 1

    # ------------------------------------------------------------------ devices
    def join(self, address: str, code: str, token: str | None) -> JoinResult:
        """Check the room code for a client at ``address``; a device that joined before keeps its token.

        A device that joined before comes back with its token whatever the code is now (a
        network drop, a new code, or the game restarted after a crash: the token is then
        adopted again, and a ballot it cast before the crash is its own again).
        """
        now = self.clock()
        with self.lock:
            if token is not None and token in self.tokens:
                return JoinResult(True, token=token)
            if token is not None and TOKEN.fullmatch(token) and ("#" + digest(token)) in self.ballots \
                    and hmac.compare_digest(code.encode(), self.code.encode()):
                self.tokens.add(token)
                self.ballots[token] = self.ballots.pop("#" + digest(token))
                return JoinResult(True, token=token)
            self._expire_global(now)
            if len(self._all_wrong) >= self.global_wrong:
                wait = max(1, int(self._all_wrong[0] + self.wrong_code_window - now + 0.999))
                return JoinResult(False, reason="too-many-tries", retry_after=wait)
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
                self._all_wrong.append(now)
                if len(self._all_wrong) == self.global_wrong:
                    self.version += 1  # the projector shows the warning
                return JoinResult(False, reason="wrong-code", tries_left=max(0, self.wrong_code_limit - len(tries)))
            if self.locked:
                return JoinResult(False, reason="locked")
            if token is not None and TOKEN.fullmatch(token):
                # The code is right and the device has a token of its own from before (the game restarted):
                # it keeps it, so its page and its ballot stay the same.
                adopted = token
            else:
                adopted = None
            if len(self.tokens) >= self.max_tokens or self._minted.get(address, 0) >= self.per_address:
                return JoinResult(False, reason="full")
            token = adopted or secrets.token_urlsafe(18)
            self.tokens.add(token)
            self._minted[address] = self._minted.get(address, 0) + 1
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
                self.journal.append((digest(token), choice))
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
            # Random, not counted: a page must never take a round of an earlier run of the game for this one.
            self.round = secrets.token_hex(4)
            self.title = clean_title(title)
            self.choices = cleaned
            self._open_indices = frozenset(c["index"] for c in cleaned if c["available"])
            self._all_indices = frozenset(c["index"] for c in cleaned)
            self.ballots = {}
            self.counts = {}
            self.result = {}
            self.hands = {}
            self.chosen = None
            self.how = ""
            self.journal = []
            self.version += 1

    def restore(self, ballots: Mapping[str, int]) -> None:
        """Ballots of the open decision cast before a crash (device digest -> option): counted again, and each
        device's own again when it rejoins with its token."""
        with self.lock:
            for key, choice in ballots.items():
                if self.status == VOTING and choice in self._open_indices:
                    self.ballots["#" + key] = choice
                    self.counts[choice] = self.counts.get(choice, 0) + 1
            self.version += 1

    def take_journal(self) -> list[tuple[str, int]]:
        """The ballots cast since the last call (device digest, option), for the session record."""
        with self.lock:
            out, self.journal = self.journal, []
            return out

    def cancel(self) -> None:
        """The vote ends without a decision: the pages go back to waiting, the ballots are dropped."""
        with self.lock:
            self.status = WAITING
            self.ballots = {}
            self.counts = {}
            self.result = {}
            self.hands = {}
            self.chosen = None
            self.version += 1

    def announce(self, index: int, counts: Mapping[int, int] | None = None, how: str = "vote") -> None:
        """After the vote closed: which option the class took (the count's winner, a tie-break or an override),
        and the counts of every source (phones and hands) the decision was made on."""
        with self.lock:
            if self.status == CLOSED and index in self._all_indices:
                self.chosen = index
                self.how = how
                if counts is not None:  # every source's counts: the hands are in them now
                    self.result = {i: n for i, n in counts.items() if i in self._open_indices and n}
                    self.hands = {}
                self.version += 1

    def set_hands(self, counts: Mapping[int, int]) -> bool:
        """The counts of the vote's other sources (hands typed on the projector), so that a closed vote's page
        shows the same counts and total as the projector; True when that changed what the pages show."""
        with self.lock:
            hands = {i: int(n) for i, n in counts.items() if i in self._open_indices and n}
            if hands == self.hands:
                return False
            self.hands = hands
            if self.status != CLOSED:
                return False  # the pages show no counts while the vote is open
            self.version += 1
            return True

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
                decision = {"id": self.decision_id, "round": self.round, "title": self.title,
                            "choices": list(self.choices)}
            result = None
            if self.status == CLOSED:  # the phones' counts and the hands: what the projector shows
                shown = {c["index"]: self.result.get(c["index"], 0) + self.hands.get(c["index"], 0)
                         for c in self.choices if c["available"]}
                result = {"counts": [{"index": i, "votes": n} for i, n in shown.items()],
                          "total": sum(shown.values()), "chosen": self.chosen, "how": self.how}
            return {"type": "state", "status": self.status, "decision": decision, "result": result}
