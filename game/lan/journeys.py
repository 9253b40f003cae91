"""The class-journeys server: every student plays her own journey from the teacher's laptop (issue 19).

    journeys, writer = ClassJourneys.create(engine, settings, path, places=..., route_points=...)
    server = JourneyServer(journeys, bind="auto", map_image=journey_map(story).terrain)
    server.start()                 # server.join_link and server.qr_png() on the projector, server.room_code too
    server.teacher_link            # the teacher page (nicknames), behind its own code: never on the projector
    server.journeys.snapshot()     # the dashboard; pause(), send_prompt(), lock(), end() on it
    server.stop()

It is a :class:`~game.lan.base.LanServer` (the vote server's room code, limits,
headers and thread), with four pages' worth of messages (docs/lan.md lists them):
a page joins with the room code and gets a random device token; from then on the
connection acts only on the journey of that token (a token reaches only her own
journey; the record keeps a digest of it, never the token). Every page is built by
:class:`~game.classroom.journeys.ClassJourneys` from the engine's own words; the
page sends back a choice index and the step it was shown at, nothing else.

A page that comes back (a network drop, or the laptop's program killed and resumed
with ``--resume``) sends its token and finds its journey where it was, even in a
locked room.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from aiohttp import web

from game.classroom.journeys import ClassJourneys, JourneyMap, Refused
from game.lan import protocol as p
from game.lan.base import LanServer
from game.lan.room import TOKEN, Room

log = logging.getLogger(__name__)

TEACHER_DIGITS = 6
MAP_CACHE = 7 * 24 * 3600     # seconds a browser keeps the terrain image: it never changes during a lesson
ROSTER_EVERY = 1.0            # seconds between the teacher page's updates (at most)


class JourneyServer(LanServer):
    """The students' journeys and the teacher page, on the LAN, for one :class:`ClassJourneys`."""

    STATIC = {"/": ("journey.html", "text/html", 0), "/journey.js": ("journey.js", "text/javascript", 0),
              "/l10n.js": ("l10n.js", "text/javascript", 0), "/journey.css": ("journey.css", "text/css", 0),
              "/teacher": ("teacher.html", "text/html", 0), "/teacher.js": ("teacher.js", "text/javascript", 0)}
    NAME = "class-journeys server"

    def __init__(self, journeys: ClassJourneys, bind: str = "auto", port: int = 0, *, room_code: str | None = None,
                 teacher_code: str | None = None, journey_map: JourneyMap | None = None, **limits: Any) -> None:
        self.journey_map = journey_map
        super().__init__(bind, port, room_code=room_code, **limits)
        self.journeys = journeys
        self.teacher_code = teacher_code or "".join(secrets.choice("0123456789") for _ in range(TEACHER_DIGITS))
        # The teacher page's own code, with the same wrong-code limits as the room's.
        self.teachers = Room(self.teacher_code, wrong_code_limit=3, per_address=4,
                             wrong_code_window=self.room.wrong_code_window)
        self._teacher_sockets: set[web.WebSocketResponse] = set()
        self._roster_tasks: dict[web.WebSocketResponse, asyncio.Task] = {}
        self._map_info: dict[str, Any] | None = None
        if journey_map is not None and journey_map.terrain is not None:
            try:
                image = journey_map.terrain.read_bytes()
            except OSError:
                image = b""
            if image:
                self._files["/map.png"] = (image, "image/png", MAP_CACHE)
                self._map_info = {"src": "/map.png", "width": journey_map.size[0], "height": journey_map.size[1]}
        journeys.on_change = self._class_changed

    @property
    def teacher_link(self) -> str:
        """The teacher page with its code after ``#``: for the teacher's phone, never the projector."""
        return f"{self.url}teacher#{self.teacher_code}"

    def teacher_qr_png(self, scale: int = 8, border: int = 4) -> bytes:
        """The teacher link as a QR code (PNG), for the dashboard's T panel: only while the teacher asks for it."""
        import io

        import segno

        out = io.BytesIO()
        segno.make(self.teacher_link, error="m", micro=False).save(out, kind="png", scale=scale, border=border,
                                                                    dark="#000000", light="#ffffff")
        return out.getvalue()

    def teacher_qr_matrix(self, border: int = 4) -> list[list[bool]]:
        import segno

        return [[bool(m) for m in row]
                for row in segno.make(self.teacher_link, error="m", micro=False).matrix_iter(scale=1, border=border)]

    def start(self, timeout: float = 10.0) -> str:
        url = super().start(timeout)
        self.journeys.note_room(self.room_code, self.port, self.teacher_code)
        return url

    def new_code(self) -> str:
        """A new room code (someone outside the class has the old one): joined pages stay; recorded for resume."""
        code = self.room.new_code()
        self.journeys.note_room(code, self.port, self.teacher_code)
        return code

    # ------------------------------------------------------------------ HTTP
    def _images(self) -> str:
        return "'self'" if self._map_info else "'none'"

    # ------------------------------------------------------------------ messages
    def _parse(self, raw: str) -> Any:
        return p.parse_journey(raw)

    async def _handle(self, ws: web.WebSocketResponse, address: str, message: Any) -> None:
        if isinstance(message, p.Join):
            await self._join(ws, address, message)
            return
        if isinstance(message, p.Teacher):
            await self._teacher(ws, address, message)
            return
        token = self._sockets.get(ws)
        if not token:
            raise p.BadMessage("not joined")
        journeys = self.journeys
        if isinstance(message, p.Choose):
            status, page = await self._off_loop(journeys.choose, token, message.step, message.choice)
        elif isinstance(message, p.Undo):
            status, page = await self._off_loop(journeys.undo, token, message.step)
        else:
            name = await self._off_loop(journeys.set_nickname, token, message.name)
            await ws.send_str(p.dumps({"type": "nickname", "name": name}))
            return
        await ws.send_str(p.dumps({**page, "status": status}))

    async def _off_loop(self, call: Any, *args: Any) -> Any:
        """Run a class action in a worker thread: its record is fsynced there, and the loop serves other pages."""
        return await asyncio.get_running_loop().run_in_executor(None, call, *args)

    async def _join(self, ws: web.WebSocketResponse, address: str, message: p.Join) -> None:
        held = self._sockets.get(ws)
        token = message.token
        if held:  # one journey per connection: joining again shows the same one
            token = held
        elif token is not None and TOKEN.fullmatch(token) and self.journeys.known(token):
            with self.room.lock:  # her journey is here: she comes back, whatever the code or the lock now
                self.room.tokens.add(token)
        else:
            result = self.room.join(address, message.code, token)
            if not result.ok:
                await ws.send_str(p.dumps({"type": "refused", "reason": result.reason,
                                           "retry_after": result.retry_after, "tries_left": result.tries_left}))
                return
            token = result.token
        try:
            page = await self._off_loop(self.journeys.join, token)
        except Refused as exc:
            await ws.send_str(p.dumps({"type": "refused", "reason": exc.reason, "retry_after": 0, "tries_left": 0}))
            return
        if not held:
            self._joined_as(ws, token)
            self.journeys.connected(token, True)
        await ws.send_str(p.dumps({"type": "welcome", "token": token, "student": page["student"],
                                   "map": self._map_info, "note": self.journeys.content_note()}))
        await ws.send_str(p.dumps(self.journeys.class_state()))
        await ws.send_str(p.dumps({**page, "status": "ok"}))

    def _left(self, token: str) -> None:
        self.journeys.connected(token, False)

    def _expire(self, ws: web.WebSocketResponse) -> None:
        if ws not in self._teacher_sockets:
            super()._expire(ws)

    # ------------------------------------------------------------------ the teacher page
    async def _teacher(self, ws: web.WebSocketResponse, address: str, message: p.Teacher) -> None:
        if ws in self._teacher_sockets:
            return
        result = self.teachers.join(address, message.code, None)
        if not result.ok:
            await ws.send_str(p.dumps({"type": "refused", "reason": result.reason, "retry_after": result.retry_after,
                                       "tries_left": result.tries_left}))
            return
        self._teacher_sockets.add(ws)
        # The roster is sent from a task of its own, so the connection's messages are still read meanwhile.
        self._roster_tasks[ws] = asyncio.get_running_loop().create_task(self._send_rosters(ws))

    async def _send_rosters(self, ws: web.WebSocketResponse) -> None:
        version = -1
        while not ws.closed:
            if self.journeys.version != version:
                version = self.journeys.version
                await ws.send_str(p.dumps(self._roster()))
            await asyncio.sleep(ROSTER_EVERY)

    async def _serve(self, ws: web.WebSocketResponse, address: str) -> None:
        try:
            await super()._serve(ws, address)
        finally:
            self._teacher_sockets.discard(ws)
            task = self._roster_tasks.pop(ws, None)
            if task is not None:
                task.cancel()

    def _roster(self) -> dict[str, Any]:
        snap = self.journeys.snapshot()
        return {"type": "roster", "nicknames": self.journeys.settings.nicknames,
                "joined": snap.joined, "playing": snap.playing, "finished": snap.finished,
                "paused": snap.paused, "locked": snap.locked, "ended": snap.ended,
                "students": [{"number": n, "nickname": name, "where": where, "place": place}
                             for n, name, where, place in self.journeys.nicknames()]}

    # ------------------------------------------------------------------ the class's state, to every page
    def _class_changed(self) -> None:
        text = p.dumps(self.journeys.class_state())
        self._call_soon(lambda: self._send_all(text))
