"""The map (M): the route so far over the real coastline, with tooltips for every place.

Without its terrain image (missing or damaged) the map still shows the places and the
route on a plain sheet, and a notice says which file could not be loaded.
"""

from __future__ import annotations

import pygame

from game.l10n import N_, _
from game.ui import commands as c
from game.ui.scenes.base import Scene


def journey_places(app) -> tuple[list[str], str | None, str | None]:  # noqa: ANN001
    """(visited in travel order without repeats, current place, heading) for the map widget."""
    route = app.route
    known = route.locations if route is not None else {}
    visited: list[str] = []
    state = app.state
    if state is not None:
        for entry in state.journal:
            loc = entry.get("location")
            if loc and loc in known and loc not in visited:
                visited.append(loc)
    view = app.engine.view(state) if state is not None else None
    current = view.location if view is not None and view.location in known else None
    heading = view.heading if view is not None and view.heading in known else None
    return visited, current, heading


class MapCache:
    """The drawn map in one opaque surface, redrawn only when the size or the journey changes.

    MapView composes a static layer and a translucent route overlay; blending the
    overlay over a full-screen frame costs a few milliseconds, so the result is kept
    and a frame becomes one opaque blit (plus a tooltip).
    """

    def __init__(self) -> None:
        self.key: object = None
        self.surface: pygame.Surface | None = None

    def draw(self, view, surface: pygame.Surface, rect: pygame.Rect, visited, current, heading) -> None:  # noqa: ANN001
        key = (rect.size, tuple(visited), current, heading, id(view))
        if key != self.key or self.surface is None:
            self.surface = pygame.Surface(rect.size)
            view.draw(self.surface, self.surface.get_rect(), visited, current, heading)
            self.key = key
        surface.blit(self.surface, rect)


HINTS = (N_("M or Esc: back to the story  ·  point at a place to read about it"),
         N_("M or Esc: back  ·  point at a place to read about it"),
         N_("M or Esc: back"))


class MapScene(Scene):
    name = "map"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.hover: tuple[int, int] | None = None
        self.cache = MapCache()
        self.told: str | None = None  # the terrain problem already shown as a notice

    def enter(self) -> None:
        self.visited, self.current, self.heading = journey_places(self.app)
        self.relayout()

    def relayout(self) -> None:
        """The map above, the hint line in a strip of its own below it: the two never overlap."""
        theme = self.theme
        w, h = theme.size
        if self.app.map_view is not None:
            self.app.map_view.set_text_scale(theme.text_scale)
        gap = theme.px(10)
        for words in map(_, HINTS):  # the shorter wording where the full one does not fit the width
            self.hint = self.app.text.line(words, "sans", theme.small, theme.palette.muted)
            if self.hint.get_width() <= w - theme.margin:
                break
        self.rect = pygame.Rect(0, 0, w, h - self.hint.get_height() - 2 * gap)
        self.hint_rect = self.hint.get_rect(topleft=(theme.margin // 2, self.rect.bottom + gap))

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, (c.Back, c.OpenMap, c.Click, c.Confirm)):
            if isinstance(cmd, c.Click) and self.app.map_view.location_at(self.rect, cmd.pos):
                self.hover = cmd.pos  # a click on a place shows its note (touch screens have no hover)
                return None
            self.app.pop()
        elif isinstance(cmd, c.Hover):
            self.hover = cmd.pos
        return None

    def draw(self, surface: pygame.Surface) -> None:
        view = self.app.map_view
        if view is None:
            return
        self.cache.draw(view, surface, self.rect, self.visited, self.current, self.heading)
        problem = getattr(view, "terrain_problem", None)
        if problem and problem != self.told:
            self.told = problem
            self.app.notify(_("The map is drawn without its terrain: {problem}").format(problem=problem))
        if self.hover is not None:
            view.draw_tooltip(surface, self.rect, self.hover)
        surface.blit(self.hint, self.hint_rect)
