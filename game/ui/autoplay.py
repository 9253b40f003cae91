"""Attract mode and automatic playthroughs: the game plays itself through the real interface.

The autoplayer looks at the top scene and posts the command a player would give
(``App.post``), so it exercises the same path as the keyboard: title → content note
→ story pages → ending → debrief. Its choices come from its own seeded generator
(never the ``random`` module's global one, and never the engine's). Without
``--fast`` it waits a reading pause between commands.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from game.ui import commands as c

if TYPE_CHECKING:
    from game.ui.app import App


class Driver:
    """Something that plays through the real UI: each frame (``App.step`` calls ``tick``), once
    its pause is over and the last command was handled, it posts the next command."""

    app: App
    wait: float = 0.0

    def tick(self, dt: float) -> None:
        self.wait -= dt
        if self.wait > 0 or self.app.commands:
            return
        cmd = self.next_command()
        if cmd is not None:
            self.app.post(cmd)
        self.wait = self.pause_after(cmd)

    def next_command(self) -> c.Command | None:
        raise NotImplementedError

    def pause_after(self, cmd: c.Command | None) -> float:
        return 0.0


class Autoplayer(Driver):
    def __init__(self, app: App, mode: str, seed: int | None, fast: bool) -> None:
        self.app = app
        self.mode = mode
        self.rng = random.Random(seed if seed is not None else 0)
        self.fast = fast
        self.wait = 0.0 if fast else 1.2
        self.pages = 0

    def pause_after(self, cmd: c.Command | None) -> float:
        if self.fast:
            return 0.0
        scene = self.app.stack.top
        if scene is not None and scene.name == "story" and isinstance(cmd, c.Confirm):
            return 0.4
        return 2.5 if isinstance(cmd, (c.Pick, c.Confirm)) else 1.0

    def next_command(self) -> c.Command | None:
        from game.ui.scenes.ending import DebriefScene
        from game.ui.scenes.story import StoryScene
        from game.ui.scenes.title import ContentNoteScene, TitleScene

        app = self.app
        scene = app.stack.top
        if isinstance(scene, TitleScene):
            scene.menu.focus = 0
            return c.Confirm()  # New journey
        if isinstance(scene, ContentNoteScene):
            scene.menu.focus = 0
            return c.Confirm()  # Begin
        if isinstance(scene, StoryScene):
            if not scene.revealed:
                return c.AnyKey() if self.fast else None
            view = scene.view
            if view is None:
                return None
            if view.ending is not None:
                return c.Confirm()  # See what it cost
            index = self.pick(view)
            self.pages += 1
            return c.Pick(index) if index is not None else None
        if isinstance(scene, DebriefScene):
            if app.quit_at_end:
                app.finish(scene.ending)
                return None
            scene.menu.focus = next(i for i, item in enumerate(scene.menu.items) if item.label.startswith("Start"))
            return c.Confirm()  # attract mode: play again
        return c.Back()  # anything else (a message, a menu): close it

    def pick(self, view) -> int | None:  # noqa: ANN001
        open_ = [ch for ch in view.choices if ch.available]
        if not open_:
            return None
        if self.mode == "first":
            return open_[0].index
        if self.mode == "careful":
            def danger(ch) -> tuple[float, float]:  # noqa: ANN001
                cost = -sum(cost.delta for cost in ch.costs if cost.good is False and cost.name == "cash")
                return (ch.risk.chance if ch.risk else 0.0, cost)
            return min(open_, key=danger).index
        return self.rng.choice(open_).index


def play_to_end(app: App, limit: int = 5000) -> None:
    """Drive ``app`` with a fast random autoplayer until the debrief shows (for tools and benchmarks)."""
    from game.ui.scenes.ending import DebriefScene

    player = Autoplayer(app, "random", 1, fast=True)
    for _ in range(limit):
        if isinstance(app.stack.top, DebriefScene):
            return
        cmd = player.next_command()
        if cmd is not None:
            app.post(cmd)
        app.step(events=[], dt=0.05)
