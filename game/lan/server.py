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
no request and keeps nothing about who voted: see docs/lan-voting.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import WSMsgType, web

from game.lan import protocol as p
from game.lan.address import pick_address
from game.lan.room import Room

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 300
PER_ADDRESS = 10              # connections one address may hold open at once
JOIN_TIMEOUT = 120.0          # seconds from the first byte a connection may stay open without joining
HEADER_TIMEOUT = 10.0         # seconds a request may take to send its headers (slow, half-finished requests)
HEARTBEAT = 20.0              # WebSocket ping interval: finds phones that went away
MESSAGE_BURST = 30            # messages a connection may send ...
MESSAGE_WINDOW = 10.0         # ... within this many seconds
STATIC = {"/": ("index.html", "text/html"), "/app.js": ("app.js", "text/javascript"),
          "/style.css": ("style.css", "text/css")}


@dataclass(frozen=True, slots=True)
class TallyUpdate:
    """What the projector shows, as of one moment: the counts of the open (or last closed) decision."""

    decision_id: str
    status: str               # "waiting", "voting", "closed"
    counts: dict[int, int]
    votes_cast: int
    connected: int
    version: int


class _NoAddresses(logging.Filter):
    """aiohttp's own log lines name the client's address ("Error handling request from 10.0.0.7"): the vote
    server promises to log no address, so such a line is kept without its address and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "from" in message or record.exc_info or record.args:
            record.msg = "LAN voting: a request was refused (bad or incomplete)"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_FILTER = _NoAddresses()
for _name in ("aiohttp.server", "aiohttp.access", "aiohttp.web", "aiohttp.websocket"):
    if _FILTER not in logging.getLogger(_name).filters:
        logging.getLogger(_name).addFilter(_FILTER)


class VoteServer:
    """LAN voting for one class. ``bind`` is "auto" (this machine's LAN address) or one IP address."""

    def __init__(self, bind: str = "auto", port: int = 0, *, room_code: str | None = None,
                 max_connections: int = MAX_CONNECTIONS, wrong_code_limit: int = 5, wrong_code_window: float = 60.0,
                 message_burst: int = MESSAGE_BURST, on_change: Callable[[TallyUpdate], None] | None = None,
                 per_address: int = PER_ADDRESS, join_timeout: float = JOIN_TIMEOUT,
                 header_timeout: float = HEADER_TIMEOUT, global_wrong: int | None = None) -> None:
        address = pick_address() if bind == "auto" else bind
        try:
            ip = ipaddress.ip_address(address)  # one address, never a name: the command line resolves names
        except ValueError:
            raise ValueError(f"{address!r} is not an IP address; the vote server binds to one address, never a "
                             "name (game.lan.address.resolve_bind resolves one)") from None
        if ip.is_unspecified:
            raise ValueError("bind to one address (the LAN or loopback address), not to every interface")
        self.address = str(ip)
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"the port must be a whole number from 0 to 65535 (0: any free port), not {port!r}")
        self.port = port
        self.max_connections = max_connections
        self.message_burst = message_burst     # messages one connection may send in MESSAGE_WINDOW seconds
        self.per_address = per_address
        self.join_timeout = join_timeout
        self.header_timeout = header_timeout
        self.room = Room(room_code, wrong_code_limit=wrong_code_limit, wrong_code_window=wrong_code_window,
                         per_address=per_address,
                         **({"global_wrong": global_wrong} if global_wrong is not None else {}))
        self.on_change = on_change
        self._files = {route: (resources.files("game.lan").joinpath("static", name).read_bytes(), kind)
                       for route, (name, kind) in STATIC.items()}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._sockets: dict[web.WebSocketResponse, str | None] = {}   # open connection -> its token once joined
        self._connections = 0
        self._by_address: dict[str, int] = {}   # open connections per address (counts only, while open)
        self._joined = 0
        self._polled = -1

    # ------------------------------------------------------------------ the game's side
    @property
    def room_code(self) -> str:
        return self.room.code

    @property
    def url(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{host}:{self.port}/"

    @property
    def join_link(self) -> str:
        """The join address with the room code after ``#`` (the page fills the code in): what the QR code holds."""
        return f"{self.url}#{self.room_code}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> str:
        """Start serving in a background thread; returns the join URL (``OSError`` if the address is unusable)."""
        if self.running:
            return self.url
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(ready, failure), name="lan-vote-server", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("the vote server did not start")
        if failure:
            self._thread.join(timeout)
            self._thread = None
            raise failure[0]
        log.info("LAN voting is open at %s", self.url)
        return self.url

    def stop(self, timeout: float = 5.0) -> None:
        """Close every connection and stop the server (idempotent)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if thread.is_alive():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
        self._thread = None

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

    def waiting(self) -> int:
        """Connections open that have not joined (yet): shown on the projector, so a full room is explained."""
        return max(0, self._connections - self._joined)

    def tally(self) -> dict[int, int]:
        """The counts now, by option index (cheap: call it every frame if you like)."""
        return self.room.tally()

    def votes_cast(self) -> int:
        return self.room.votes_cast()

    def connected(self) -> int:
        """Devices connected now that have joined with the room code."""
        return self._joined

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

    def qr_matrix(self, border: int = 4, with_code: bool = True) -> list[list[bool]]:
        """The join address as a QR code: rows of modules, True for dark, with a quiet zone of ``border``."""
        return [[bool(m) for m in row] for row in self._qr(with_code).matrix_iter(scale=1, border=border)]

    def qr_png(self, scale: int = 8, border: int = 4, with_code: bool = True) -> bytes:
        """The join address as a black-on-white PNG (``pygame.image.load(io.BytesIO(png))`` draws it)."""
        import io

        out = io.BytesIO()
        self._qr(with_code).save(out, kind="png", scale=scale, border=border, dark="#000000", light="#ffffff")
        return out.getvalue()

    def _qr(self, with_code: bool):  # noqa: ANN202
        import segno

        return segno.make(self.join_link if with_code else self.url, error="m", micro=False)

    # ------------------------------------------------------------------ the server thread
    def _run(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._setup())
        except BaseException as exc:  # noqa: BLE001 - reported to start()
            failure.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            with contextlib.suppress(Exception):
                loop.run_until_complete(self._shutdown())
            loop.close()

    async def _setup(self) -> None:
        app = web.Application(client_max_size=4096)
        app.router.add_get("/ws", self._ws)
        for route in STATIC:
            app.router.add_get(route, self._static)
        app.on_response_prepare.append(self._headers)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0,
                                     keepalive_timeout=self.header_timeout, max_line_size=4096, max_field_size=4096)
        await self._runner.setup()
        # Address reuse: a session resumed seconds after a crash binds its port again (the old connections
        # may still be in TIME_WAIT). It does not let two servers listen on one port (that needs SO_REUSEPORT).
        site = web.TCPSite(self._runner, self.address, self.port, reuse_address=True, backlog=128)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _shutdown(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=p.CLOSE_GOING_AWAY, message=b"the vote server stopped")
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    def _publish(self) -> None:
        """Tell the game (callback) and every joined page (state message) that the decision changed."""
        self._notify()
        loop = self._loop
        if loop is not None and self.running:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(lambda: loop.create_task(self._broadcast()))

    def _notify(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self.snapshot())
            except Exception:  # the game's callback must not break the server
                log.exception("LAN voting: the on_change callback failed")

    async def _broadcast(self) -> None:
        state = self.room.state()
        state["vote"] = None  # a new or closed decision: no ballot of its own to show
        text = p.dumps(state)
        targets = [ws for ws, token in self._sockets.items() if token and not ws.closed]
        await asyncio.gather(*(ws.send_str(text) for ws in targets), return_exceptions=True)

    # ------------------------------------------------------------------ HTTP
    def _authorities(self) -> set[str]:
        """The Host values this server answers to: its own address and port (no other name: DNS rebinding)."""
        own = self.url.split("/")[2]
        return {own, own.rsplit(":", 1)[0]} if self.port == 80 else {own}

    def _host_ok(self, request: web.Request) -> bool:
        return request.host in self._authorities()

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'self'; style-src 'self'; connect-src ws://{self.url.split('/')[2]}; "
            "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

    async def _static(self, request: web.Request) -> web.Response:
        if not self._host_ok(request):
            raise web.HTTPMisdirectedRequest()
        body, kind = self._files[request.path]
        return web.Response(body=body, content_type=kind, charset="utf-8")

    # ------------------------------------------------------------------ WebSocket
    async def _ws(self, request: web.Request) -> web.StreamResponse:
        if not self._host_ok(request):
            raise web.HTTPMisdirectedRequest()
        origin = request.headers.get("Origin")
        if origin is not None and origin.removeprefix("http://").rstrip("/") not in self._authorities():
            raise web.HTTPForbidden(text="cross-origin")
        ws = web.WebSocketResponse(max_msg_size=p.MAX_MESSAGE, heartbeat=HEARTBEAT, compress=False)
        address = request.remote or ""
        if self._connections >= self.max_connections or self._by_address.get(address, 0) >= self.per_address:
            await ws.prepare(request)
            await ws.send_str(p.dumps({"type": "full", "limit": self.max_connections}))
            await ws.close(code=p.CLOSE_FULL, message=b"the room is full")
            return ws
        self._connections += 1
        self._by_address[address] = self._by_address.get(address, 0) + 1
        self._sockets[ws] = None
        self._notify_connected()
        # The join deadline runs from the connection's start, whatever it sends meanwhile (pings included).
        deadline = asyncio.get_running_loop().call_later(self.join_timeout, self._expire, ws)
        try:
            await ws.prepare(request)
            await self._serve(ws, address)
        finally:
            deadline.cancel()
            self._connections -= 1
            left = self._by_address.get(address, 1) - 1
            if left:
                self._by_address[address] = left
            else:
                self._by_address.pop(address, None)
            if self._sockets.pop(ws, None):
                self._joined -= 1
            self._notify_connected()
        return ws

    def _expire(self, ws: web.WebSocketResponse) -> None:
        if not self._sockets.get(ws) and not ws.closed:
            asyncio.get_running_loop().create_task(ws.close(code=p.CLOSE_GOING_AWAY, message=b"join timeout"))

    def _notify_connected(self) -> None:
        with self.room.lock:
            self.room.version += 1
        self._notify()

    async def _serve(self, ws: web.WebSocketResponse, address: str) -> None:
        recent: list[float] = []
        while not ws.closed:
            msg = await ws.receive()
            if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                return  # includes a message over MAX_MESSAGE: aiohttp has closed with 1009
            now = time.monotonic()
            recent = [t for t in recent if now - t < MESSAGE_WINDOW]
            recent.append(now)
            try:
                if len(recent) > self.message_burst:
                    raise p.BadMessage("too many messages")
                if msg.type != WSMsgType.TEXT:
                    raise p.BadMessage("not text")
                message = p.parse(msg.data)
                if isinstance(message, p.Join):
                    await self._join(ws, address, message)
                else:
                    await self._vote(ws, message)
            except p.BadMessage:
                await ws.close(code=p.CLOSE_BAD_MESSAGE, message=b"bad message")
                return

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
        if self._sockets.get(ws) is None:
            self._joined += 1
            self._notify_connected()
        self._sockets[ws] = result.token
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
