"""An automatic facilitator, for tests and demonstrations: a random class votes, the driver presses keys.

``escape-route facilitate --autotally random`` (a hidden option) adds a
:class:`~game.classroom.vote.RandomTally` as a tally source and lets this driver post
the commands a facilitator would: turn the pages, run a short discussion, close the
vote, read the debrief. It goes through the real scenes and the real record, so a
test can kill the process in the middle of a session and resume it.
``pace`` is the pause between two commands, in seconds of game time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.ui import commands as c
from game.ui.autoplay import Driver

if TYPE_CHECKING:
    from game.ui.app import App


class FacilitateDriver(Driver):
    def __init__(self, app: App, pace: float = 0.0, quit_at_end: bool = False) -> None:
        self.app = app
        self.pace = pace
        self.quit_at_end = quit_at_end
        self.wait = pace

    def pause_after(self, cmd: c.Command | None) -> float:
        return self.pace

    def next_command(self) -> c.Command | None:
        scene = self.app.stack.top
        name = getattr(scene, "name", "")
        if name == "facilitate-story":
            if scene.fac.veil() is not None:
                return c.TypeText("r")
            return c.Confirm()
        if name == "facilitate-discussion":
            if scene.mode == "idle":
                return c.TypeText("t")
            return c.Confirm()
        if name == "facilitate-vote":
            return c.Confirm()  # the random class has voted; a tie is settled by a second Enter
        if name == "facilitate-debrief":
            if scene.page < len(scene.pages) - 1:
                return c.Confirm()
            if self.quit_at_end:
                view = scene.fac.view()
                if view.ending is not None:
                    print(f"THE END — {view.ending.title} [{view.ending.kind}]", flush=True)
                self.app.running = False
            return None
        if name == "facilitate-setup":
            scene.begin()
            return None
        return c.Back()
