"""The discussion pause: the passage's ``discuss`` prompt, large, with a countdown the facilitator runs.

T starts the countdown, and pauses and resumes it; ←/→ take a minute off or add one;
S skips the discussion; Enter (or Space) ends it and goes on to the vote. The time
the prompt was on screen and the time the countdown ran are both recorded. Time
comes only from ``update`` (the fixed step), so a test can run a minute in a loop.
"""

from __future__ import annotations

import pygame

from game.l10n import _
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, letter
from game.ui.widgets.text import blit_block

IDLE, RUNNING, PAUSED, DONE = "idle", "running", "paused", "done"


class DiscussionScene(FacilitateScene):
    name = "facilitate-discussion"
    facts_on_f = True

    def __init__(self, app, fac) -> None:  # noqa: ANN001
        super().__init__(app, fac)
        self.prompt = fac.view().discuss
        self.planned = fac.settings.discussion_seconds
        self.left = float(self.planned)
        self.mode = IDLE
        self.open_seconds = 0.0
        self.timer_seconds = 0.0

    def enter(self) -> None:
        self.relayout()

    def handle(self, cmd: c.Command) -> c.Command | None:
        if self.common(cmd):
            return None
        key = letter(cmd)
        if key == "t":
            self.mode = {IDLE: RUNNING, RUNNING: PAUSED, PAUSED: RUNNING, DONE: DONE}[self.mode]
        elif isinstance(cmd, c.Move) and cmd.dx:
            self.left = max(0.0, self.left + 60 * cmd.dx)
            self.planned = max(0, self.planned + 60 * cmd.dx)
            if self.left > 0 and self.mode == DONE:
                self.mode = PAUSED
        elif key == "s":
            self.finish("skipped")
        elif isinstance(cmd, c.Confirm):
            self.finish("finished" if self.mode == DONE else "closed", then_vote=True)
        elif isinstance(cmd, c.Back):
            self.finish("closed", then_vote=False)
        return None

    def finish(self, how: str, then_vote: bool = True) -> None:
        self.fac.discussion_held(self.open_seconds, self.planned, how)
        app = self.app
        app.pop()
        if then_vote:
            from game.ui.classroom.story import FacilitateStoryScene

            story = app.stack.find(FacilitateStoryScene)
            if story is not None and self.fac.view().ending is None:
                story.open_vote()

    def update(self, dt: float) -> None:
        self.open_seconds += dt
        if self.mode == RUNNING:
            self.timer_seconds += dt
            self.left = max(0.0, self.left - dt)
            if self.left <= 0:
                self.mode = DONE

    def relayout(self) -> None:
        pj, p = self.pj, self.theme.palette
        self.prompt_block = self.block(self.prompt, "serif-bold", pj.title, pj.safe.w, p.strong, 1.3)

    def draw(self, surface: pygame.Surface) -> None:
        pj, p, text = self.pj, self.theme.palette, self.app.text
        safe = pj.safe
        h = self.kicker(surface, _("Discuss"))
        blit_block(surface, self.prompt_block, safe.x, safe.y + h + pj.px(12))
        seconds = int(self.left + 0.999)
        clock = f"{seconds // 60}:{seconds % 60:02d}"
        colour = p.bad if self.mode == DONE else p.accent if self.mode == RUNNING else p.muted
        image = text.line(clock, "sans-bold", pj.huge, colour)
        y = safe.bottom - round(pj.small * 1.3) - pj.px(24) - image.get_height()
        surface.blit(image, (safe.x, y))
        state = {IDLE: _("Press T to start the timer"), RUNNING: _("Running"), PAUSED: _("Paused"),
                 DONE: _("Time is up")}[self.mode]
        label = text.line(state, "sans-bold", pj.ui, colour)
        surface.blit(label, (safe.x + image.get_width() + pj.px(30), y + image.get_height() // 2
                             - label.get_height() // 2))
        self.hints(surface, _("T: start / pause the timer  ·  ←→ one minute less / more  ·  S: skip  ·  "
                              "Enter: to the vote  ·  F: facts  ·  B: blank"))
