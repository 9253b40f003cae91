"""The vote server: the student page and a WebSocket, in a background thread, for the game to drive.

    server = VoteServer(bind="auto")          # or bind="127.0.0.1", port=8765
    url = server.start()                      # "http://192.168.1.20:51234/": show it and server.qr_png()
    server.room_code                          # "4821": show it too
    server.open_decision("d1", "The river", [{"index": 0, "text": "Cross tonight", "cost": "¥150",
                                               "risk": "30% risk: caught", "available": True}, ...])
    server.poll()                             # every frame: a TallyUpdate when the counts changed, else None
    final = server.close_decision()           # {0: 12, 1: 17}
    server.stop()

Every method is safe to call from the game's thread and none blocks on the network
(``start`` and ``stop`` wait for the server thread, at most a few seconds). The
server binds to exactly one address (the machine's LAN address by default), logs
no request and keeps nothing about who voted: see docs/lan.md.
Everything it shares with the class-journeys server (limits, headers, the thread)
is in game.lan.base.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from game.lan import protocol as p
from game.lan.base import (
    HEADER_TIMEOUT,
    JOIN_TIMEOUT,
    MAX_CONNECTIONS,
    MESSAGE_BURST,
    PER_ADDRESS,
    LanServer,
)

log = logging.getLogger(__name__)

__all__ = ["MAX_CONNECTIONS", "TallyUpdate", "VoteServer"]


@dataclass(frozen=True, slots=True)
class TallyUpdate:
    """What the projector shows, as of one moment: the counts of the open (or last closed) decision."""

    decision_id: str
    status: str               # "waiting", "voting", "closed"
    counts: dict[int, int]
    votes_cast: int
    connected: int
    version: int


class VoteServer(LanServer):
    """LAN voting for one class. ``bind`` is "auto" (this machine's LAN address) or one IP address."""

    STATIC = {"/": ("index.html", "text/html", 0), "/app.js": ("app.js", "text/javascript", 0),
              "/l10n.js": ("l10n.js", "text/javascript", 0), "/style.css": ("style.css", "text/css", 0)}
    NAME = "vote server"

    def __init__(self, bind: str = "auto", port: int = 0, *, room_code: str | None = None,
                 max_connections: int = MAX_CONNECTIONS, wrong_code_limit: int = 5, wrong_code_window: float = 60.0,
                 message_burst: int = MESSAGE_BURST, on_change: Callable[[TallyUpdate], None] | None = None,
                 per_address: int = PER_ADDRESS, join_timeout: float = JOIN_TIMEOUT,
                 header_timeout: float = HEADER_TIMEOUT, global_wrong: int | None = None) -> None:
        super().__init__(bind, port, room_code=room_code, max_connections=max_connections,
                         wrong_code_limit=wrong_code_limit, wrong_code_window=wrong_code_window,
                         message_burst=message_burst, per_address=per_address, join_timeout=join_timeout,
                         header_timeout=header_timeout, global_wrong=global_wrong)
        self.on_change = on_change
        self._polled = -1

    # ------------------------------------------------------------------ the game's side
    def open_decision(self, decision_id: str, title: str, choices: Sequence[Mapping[str, Any]]) -> None:
        """Publish a decision to every page and start counting (a previous open one is replaced).

        ``choices``: dicts with ``index`` (int), ``text``, ``cost``, ``risk``, ``available`` and
        optionally ``reason`` (why it is closed). All text is sent as plain text.
        """
        self.room.open(decision_id, title, choices)
        self._publish()

    def close_decision(self) -> dict[int, int]:
        """Stop accepting votes; the final counts by option index (show the result on every page)."""
        final = self.room.close()
        self._publish()
        return final

    def announce(self, index: int, counts: Mapping[int, int] | None = None, how: str = "vote") -> None:
        """Tell every page which option the class took, how, and on which counts (phones and hands)."""
        self.room.announce(index, counts, how)
        self._publish()

    def publish(self) -> None:
        """Send the room's state to every page (after the game changed the room directly)."""
        self._publish()

    def tally(self) -> dict[int, int]:
        """The counts now, by option index (cheap: call it every frame if you like)."""
        return self.room.tally()

    def votes_cast(self) -> int:
        return self.room.votes_cast()

    @property
    def status(self) -> str:
        return self.room.status

    def snapshot(self) -> TallyUpdate:
        room = self.room
        with room.lock:
            counts = dict(room.counts) if room.status == "voting" else dict(room.result)
            return TallyUpdate(room.decision_id, room.status, counts, sum(counts.values()), self._joined,
                               room.version)

    def poll(self) -> TallyUpdate | None:
        """A fresh :class:`TallyUpdate` when anything changed since the last ``poll``, else None (per frame)."""
        version = self.room.version
        if version == self._polled:
            return None
        update = self.snapshot()
        self._polled = update.version
        return update

    def _publish(self) -> None:
        """Tell the game (callback) and every joined page (state message) that the decision changed."""
        self._notify()
        self._call_soon(self._broadcast)

    def _notify(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self.snapshot())
            except Exception:  # the game's callback must not break the server
                log.exception("LAN voting: the on_change callback failed")

    async def _broadcast(self) -> None:
        state = self.room.state()
        state["vote"] = None  # a new or closed decision: no ballot of its own to show
        await self._send_all(p.dumps(state))

    # ------------------------------------------------------------------ WebSocket
    def _connections_changed(self) -> None:
        with self.room.lock:
            self.room.version += 1
        self._notify()

    def _parse(self, raw: str) -> p.Join | p.Vote:
        return p.parse(raw)

    async def _handle(self, ws: web.WebSocketResponse, address: str, message: p.Join | p.Vote) -> None:
        if isinstance(message, p.Join):
            await self._join(ws, address, message)
        else:
            await self._vote(ws, message)

    async def _join(self, ws: web.WebSocketResponse, address: str, message: p.Join) -> None:
        held = self._sockets.get(ws)
        if held:  # one token per connection: joining again gives the same one, never a second ballot
            await ws.send_str(p.dumps({"type": "welcome", "token": held}))
            return
        result = self.room.join(address, message.code, message.token)
        if not result.ok:
            await ws.send_str(p.dumps({"type": "refused", "reason": result.reason, "retry_after": result.retry_after,
                                       "tries_left": result.tries_left}))
            return
        self._joined_as(ws, result.token)
        state = self.room.state()
        state["vote"] = self.room.ballot(result.token)
        await ws.send_str(p.dumps({"type": "welcome", "token": result.token}))
        await ws.send_str(p.dumps(state))

    async def _vote(self, ws: web.WebSocketResponse, message: p.Vote) -> None:
        token = self._sockets.get(ws)
        if not token:
            raise p.BadMessage("vote before join")
        outcome = self.room.vote(token, message.decision, message.choice)
        if outcome == "ok":
            self._notify()
            await ws.send_str(p.dumps({"type": "ack", "decision": message.decision, "choice": message.choice}))
        else:
            await ws.send_str(p.dumps({"type": "rejected", "decision": message.decision, "reason": outcome}))
