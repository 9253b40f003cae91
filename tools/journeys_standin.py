"""A class of simulated students on a real ClassJourneys, and a stand-in for its LAN server (no sockets).

For the dashboard's benchmark and screenshots (and the tests of the window side):
the model is the real one, recording into a real session file; only the network is
left out, since what is measured and looked at is the window.

    room = StandInRoom(story, tmp / "s.jsonl", luck="same", seed=4)
    room.join(30); room.play(200, random.Random(1))     # 30 students, 200 choices among them
    DashboardScene(app, room)                           # room has .journeys, .url, .room_code, .qr_png, ...
"""

from __future__ import annotations

import random
from pathlib import Path

from game.classroom.journeys import ClassJourneys, JourneySettings
from game.engine.engine import Engine


class StandInRoom:
    """The attributes of the LAN server the dashboard reads, over a real :class:`ClassJourneys`."""

    url = "http://192.168.1.20:8765/"
    room_code = "4821"
    port = 8765

    def __init__(self, story, path: Path, luck: str = "same", seed: int = 4, allow_undo: bool = False,  # noqa: ANN001
                 name: str = "9B History", nicknames: bool = False) -> None:
        settings = JourneySettings(luck=luck, allow_undo=allow_undo, seed=seed,  # type: ignore[arg-type]
                                   nicknames=nicknames)
        self.now = 0.0   # the class's clock, in seconds: each choice moves it on (``seconds_per_choice``)
        self.seconds_per_choice = 0.0
        self.journeys, self.writer = ClassJourneys.create(Engine(story), settings, path, name=name,
                                                          clock=lambda: self.now)
        self.tokens: list[str] = []
        self.steps: dict[str, int] = {}
        self.join_link = self.url + "#" + self.room_code

    def join(self, n: int) -> None:
        for _ in range(n):
            token = f"device-{len(self.tokens) + 1:04d}-standin"
            page = self.journeys.join(token)
            self.journeys.connected(token, True)   # her page is open, as the server would say
            self.tokens.append(token)
            self.steps[token] = page["step"]

    def choose_once(self, rng: random.Random, token: str | None = None) -> bool:
        """One student (``token``, or one picked by ``rng`` among those still on the way) takes an open choice."""
        token = token or rng.choice(self.tokens)
        page = self.journeys.page(token)
        open_ = [c["index"] for c in page["choices"] if c["available"]]
        if page["ending"] is not None or not open_:
            return False
        why, page = self.journeys.choose(token, page["step"], rng.choice(open_))
        self.now += self.seconds_per_choice
        return why == "ok"

    def play(self, choices: int, rng: random.Random) -> None:
        for _ in range(choices):
            self.choose_once(rng)

    def finish_all(self, rng: random.Random, limit: int = 400) -> None:
        for token in self.tokens:
            for _ in range(limit):
                if not self.choose_once(rng, token):
                    break

    def qr_matrix(self, border: int = 4) -> list[list[bool]]:
        import segno

        return [[bool(m) for m in row] for row in segno.make(self.join_link, error="m").matrix_iter(border=border)]

    def qr_png(self, scale: int = 8, border: int = 4) -> bytes:
        import io

        import segno

        out = io.BytesIO()
        segno.make(self.join_link, error="m").save(out, kind="png", scale=scale, border=border)
        return out.getvalue()

    def close(self) -> None:
        self.writer.close()
