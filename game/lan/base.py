"""What every LAN server of the classroom shares: one address, the room code, the limits, strict headers.

The vote server (game.lan.server) and the class-journeys server (game.lan.journeys)
are both a :class:`LanServer`: a small aiohttp application in a background thread,
bound to exactly one address, serving a few static files and one WebSocket. This
class holds every protection once, so both have them all:

- the room code (:class:`~game.lan.room.Room`: wrong-code limits per address and in
  total, tokens per address, lock);
- connection limits per address and in total, a join deadline counted from the
  connection's first byte, message size and rate limits (a page that breaks the
  protocol is closed);
- the pages in the program's language (game.lan.pages), rendered once per language;
- strict headers (CSP with nothing from outside, no framing, no referrer, no caching
  unless a file asks for it), a Host check against DNS rebinding, an Origin check;
- no client address in any log line; address reuse, so a resumed session binds its
  port again seconds after a crash.

A subclass lists its files in ``STATIC`` and implements :meth:`LanServer._parse`
(one message, validated) and :meth:`LanServer._handle` (what to do with it).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from importlib import resources
from typing import Any, ClassVar

from aiohttp import WSMsgType, web

from game.l10n import language
from game.lan import protocol as p
from game.lan.address import pick_address
from game.lan.pages import render
from game.lan.room import Room

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 300
PER_ADDRESS = 10              # connections one address may hold open at once
JOIN_TIMEOUT = 120.0          # seconds from the first byte a connection may stay open without joining
HEADER_TIMEOUT = 10.0         # seconds a request may take to send its headers (slow, half-finished requests)
HEARTBEAT = 20.0              # WebSocket ping interval: finds phones that went away
MESSAGE_BURST = 30            # messages a connection may send ...
MESSAGE_WINDOW = 10.0         # ... within this many seconds


class _NoAddresses(logging.Filter):
    """aiohttp's own log lines name the client's address ("Error handling request from 10.0.0.7"): the LAN
    servers promise to log no address, so such a line is kept without its address and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "from" in message or record.exc_info or record.args:
            record.msg = "LAN: a request was refused (bad or incomplete)"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_FILTER = _NoAddresses()
for _name in ("aiohttp.server", "aiohttp.access", "aiohttp.web", "aiohttp.websocket"):
    if _FILTER not in logging.getLogger(_name).filters:
        logging.getLogger(_name).addFilter(_FILTER)


class LanServer:
    """One classroom server on the LAN. ``bind`` is "auto" (this machine's LAN address) or one IP address."""

    #: route -> (file in game/lan/static, content type, seconds a browser may cache it: 0 for never)
    STATIC: ClassVar[dict[str, tuple[str, str, int]]] = {}
    #: what the log and the thread call it
    NAME: ClassVar[str] = "LAN server"

    def __init__(self, bind: str = "auto", port: int = 0, *, room_code: str | None = None,
                 max_connections: int = MAX_CONNECTIONS, wrong_code_limit: int = 5, wrong_code_window: float = 60.0,
                 message_burst: int = MESSAGE_BURST, per_address: int = PER_ADDRESS,
                 join_timeout: float = JOIN_TIMEOUT, header_timeout: float = HEADER_TIMEOUT,
                 global_wrong: int | None = None) -> None:
        address = pick_address() if bind == "auto" else bind
        try:
            ip = ipaddress.ip_address(address)  # one address, never a name: the command line resolves names
        except ValueError:
            raise ValueError(f"{address!r} is not an IP address; the {self.NAME} binds to one address, never a "
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
        self._files = {route: (self._read_static(name), kind, cache)
                       for route, (name, kind, cache) in self.STATIC.items()}
        self._pages: dict[tuple[str, str], bytes] = {}   # (route, language) -> the page rendered in it
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._sockets: dict[web.WebSocketResponse, str | None] = {}   # open connection -> its token once joined
        self._connections = 0
        self._by_address: dict[str, int] = {}   # open connections per address (counts only, while open)
        self._joined = 0

    def _read_static(self, name: str) -> bytes:
        return resources.files("game.lan").joinpath("static", name).read_bytes()

    def _page(self, route: str) -> bytes:
        """An HTML page in the language the program speaks now, rendered once per language (game.lan.pages)."""
        key = (route, language())
        body = self._pages.get(key)
        if body is None:
            source = self._files[route][0].decode("utf-8")
            body = render(source, lambda name: self._read_static(name).decode("utf-8")).encode("utf-8")
            self._pages[key] = body
        return body

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
        self._thread = threading.Thread(target=self._run, args=(ready, failure), name=self.NAME, daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError(f"the {self.NAME} did not start")
        if failure:
            self._thread.join(timeout)
            self._thread = None
            raise failure[0]
        log.info("The %s is open at %s", self.NAME, self.url)
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

    def waiting(self) -> int:
        """Connections open that have not joined (yet): shown on the projector, so a full room is explained."""
        return max(0, self._connections - self._joined)

    def connected(self) -> int:
        """Devices connected now that have joined with the room code."""
        return self._joined

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

    def _call_soon(self, make: Callable[[], Any]) -> None:
        """Run ``make()`` (a coroutine) on the server's loop, from any thread; nothing when the server is down."""
        loop = self._loop
        if loop is not None and self.running:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(lambda: loop.create_task(make()))

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
        for route in self._files:
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
                await ws.close(code=p.CLOSE_GOING_AWAY, message=f"the {self.NAME} stopped".encode())
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _send_all(self, text: str) -> None:
        """Send one message to every page that joined."""
        targets = [ws for ws, token in self._sockets.items() if token and not ws.closed]
        await asyncio.gather(*(ws.send_str(text) for ws in targets), return_exceptions=True)

    # ------------------------------------------------------------------ HTTP
    def _authorities(self) -> set[str]:
        """The Host values this server answers to: its own address and port (no other name: DNS rebinding)."""
        own = self.url.split("/")[2]
        return {own, own.rsplit(":", 1)[0]} if self.port == 80 else {own}

    def _host_ok(self, request: web.Request) -> bool:
        return request.host in self._authorities()

    def _images(self) -> str:
        """The CSP's img-src: 'none' unless a subclass serves an image of its own."""
        return "'none'"

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'self'; style-src 'self'; connect-src ws://{self.url.split('/')[2]}; "
            f"img-src {self._images()}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

    async def _static(self, request: web.Request) -> web.Response:
        if not self._host_ok(request):
            raise web.HTTPMisdirectedRequest()
        body, kind, cache = self._files[request.path]
        if kind == "text/html":
            body = self._page(request.path)
        response = web.Response(body=body, content_type=kind, charset=None if kind.startswith("image/") else "utf-8")
        if cache:
            response.headers["Cache-Control"] = f"public, max-age={cache}"
        return response

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
        self._connections_changed()
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
            token = self._sockets.pop(ws, None)
            if token:
                self._joined -= 1
                self._left(token)
            self._connections_changed()
        return ws

    def _expire(self, ws: web.WebSocketResponse) -> None:
        if not self._sockets.get(ws) and not ws.closed:
            asyncio.get_running_loop().create_task(ws.close(code=p.CLOSE_GOING_AWAY, message=b"join timeout"))

    def _joined_as(self, ws: web.WebSocketResponse, token: str) -> None:
        """The connection joined with ``token`` (counted once, however often it joins)."""
        if self._sockets.get(ws) is None:
            self._joined += 1
            self._sockets[ws] = token
            self._connections_changed()

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
                await self._handle(ws, address, self._parse(msg.data))
            except p.BadMessage:
                await ws.close(code=p.CLOSE_BAD_MESSAGE, message=b"bad message")
                return

    # ------------------------------------------------------------------ what a subclass says
    def _parse(self, raw: str) -> Any:
        """One message from a page, validated, or :class:`~game.lan.protocol.BadMessage`."""
        raise NotImplementedError

    async def _handle(self, ws: web.WebSocketResponse, address: str, message: Any) -> None:
        raise NotImplementedError

    def _connections_changed(self) -> None:
        """A connection opened, joined or closed (the projector's count)."""

    def _left(self, token: str) -> None:
        """A joined connection closed."""
