"""The scene stack and the contract every scene keeps (after Tuxemon's ``state.py``).

Lifecycle, always in this order and always symmetric:

- ``enter()``   the scene was pushed (or replaced another); build what it needs.
- ``pause()``   another scene was pushed over it; stop anything that should not run hidden.
- ``resume()``  the scene above it was popped; it is on top again.
- ``exit()``    the scene was popped or replaced; let go of what it holds.

Input: ``handle(command)`` returns ``None`` when the scene consumed the command,
or the command itself to let it flow down to the scene below. Scenes that cover
the screen consume everything they are given, so a key meant for the map never
chooses something in the story underneath.

Time: ``update(dt)`` is called with a fixed ``dt`` and may only advance animation
(text reveal, HUD markers, fades): nothing the engine decides depends on time.

Drawing: ``draw(surface)`` paints the scene and changes nothing, so two draws at
the same game time give the same picture. (It may fill caches of rendered text,
which are memos, not state.) A ``transparent`` scene is drawn over the one below.

``relayout()`` is called after the window size or a display setting changed.

Redrawing: the window is redrawn only after input, a scene change or a relayout,
and on every frame while a shown scene says it is ``busy()`` (animating). A scene
that does not say is assumed to animate, so it is always drawn; a still scene
returns False and then costs nothing while the player reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui import commands as c

if TYPE_CHECKING:
    from game.ui.app import App


class Scene:
    transparent = False
    name = "scene"

    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def theme(self):  # noqa: ANN201 - game.ui.theme.Theme; kept loose to avoid an import cycle
        return self.app.theme

    def enter(self) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def exit(self) -> None:
        pass

    def relayout(self) -> None:
        pass

    def handle(self, cmd: c.Command) -> c.Command | None:
        return None

    def update(self, dt: float) -> None:
        pass

    @property
    def guard_input(self) -> bool:
        """True when held keys must not repeat acts here and the screen settles before taking presses.

        Every player's screen is guarded. The facilitator's projector screens
        (``game.ui.classroom``) are not: hands are counted there with quick presses
        of the number keys, and the facilitator's keyboard is not the player's.
        """
        return not type(self).__module__.startswith("game.ui.classroom")

    def busy(self) -> bool:
        """True while the picture changes by itself (an animation): the app then draws every frame."""
        return True

    def draw(self, surface: pygame.Surface) -> None:
        pass


class StillScene(Scene):
    """A scene whose picture changes only through input or a relayout: never redrawn while idle."""

    def busy(self) -> bool:
        return False


class SceneStack:
    """Scenes on top of each other; only the top one gets input first."""

    def __init__(self) -> None:
        self.scenes: list[Scene] = []
        self.changed = 0  # bumped on every push/pop, for transitions

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def push(self, scene: Scene) -> None:
        if self.scenes:
            self.scenes[-1].pause()
        self.scenes.append(scene)
        self.changed += 1
        scene.enter()

    def pop(self) -> Scene | None:
        if not self.scenes:
            return None
        scene = self.scenes.pop()
        scene.exit()
        self.changed += 1
        if self.scenes:
            self.scenes[-1].resume()
        return scene

    def replace_all(self, scene: Scene) -> None:
        """Empty the stack (exiting every scene, top first) and start again from ``scene``."""
        while self.scenes:
            self.scenes.pop().exit()
        self.scenes.append(scene)
        self.changed += 1
        scene.enter()

    def find(self, kind: type) -> Scene | None:
        for scene in reversed(self.scenes):
            if isinstance(scene, kind):
                return scene
        return None

    def handle(self, cmd: c.Command) -> c.Command | None:
        for scene in reversed(list(self.scenes)):
            if scene not in self.scenes:  # popped by a scene above while handling
                continue
            cmd = scene.handle(cmd)
            if cmd is None:
                return None
        return cmd

    def update(self, dt: float) -> None:
        for scene in list(self.scenes):
            scene.update(dt)

    def relayout(self) -> None:
        for scene in self.scenes:
            scene.relayout()

    def draw(self, surface: pygame.Surface) -> None:
        first = len(self.scenes) - 1
        while first > 0 and self.scenes[first].transparent:
            first -= 1
        for scene in self.scenes[max(0, first):]:
            scene.draw(surface)
