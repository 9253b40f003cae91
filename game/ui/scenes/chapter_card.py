"""A short, quiet title card as each chapter begins; and the moment an ending is reached.

The story scene calls :func:`page_shown` once each time it shows a new page. Two
things hang on that moment and on nothing else: a chapter's first page brings up
its card (the chapter's name, the place in English and Korean, the route so far,
small), and an ending's page is recorded in the gallery (:mod:`game.engine.history`),
whether or not the player then opens the debrief.

The card goes after about 2.5 seconds, or at any key or click; that key is spent on
the card and never reaches the page below. With reduced motion it is not shown at all.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.engine import history
from game.l10n import _
from game.ui import commands as c
from game.ui.scenes.base import Scene
from game.ui.widgets.text import blit_block

CARD_SECONDS = 2.5


def page_shown(scene: Any, anew: bool) -> None:
    """Called by the story scene after each refresh (``scene.view`` is the page; ``anew``: shown anew,
    not redrawn after a scene above it closed)."""
    app = scene.app
    state, view = app.state, scene.view
    if state is None or view is None or not anew:
        return
    if view.ending is not None:
        journey = history.from_state(state, app.story)
        if journey is not None:
            problem = history.record(journey)
            if problem:
                app.notify(problem)
        return
    if app.settings.reduced_motion or not view.chapter:
        return
    if len(state.journal) < 2:
        return  # the journey's first page: the title and the content note have just introduced it
    before = state.journal[-2].get("chapter")
    key = (id(state), len(state.journal), view.node_id)
    if before != view.chapter and getattr(scene, "_chapter_card_for", None) != key:
        scene._chapter_card_for = key  # a page shown again (a resume, a relayout) does not bring it back
        app.push(ChapterCardScene(app, view.chapter, view.location))


class ChapterCardScene(Scene):
    """The card itself: full screen and quiet, over the page that waits beneath."""

    name = "chapter-card"

    def __init__(self, app, chapter: str, location: str | None) -> None:  # noqa: ANN001
        super().__init__(app)
        self.chapter = chapter
        self.location = location
        self.age = 0.0

    def enter(self) -> None:
        self.app.audio.cue("chapter")
        self.relayout()

    def relayout(self) -> None:
        theme, text, app = self.theme, self.app.text, self.app
        p = theme.palette
        w, h = theme.size
        number = app.story.chapter_number(self.chapter)
        col = min(w - 2 * theme.margin, theme.px(900))
        self.blocks = []
        if number:
            kicker = _("CHAPTER {number}").format(number=number)
            self.blocks.append(text.block(kicker, "sans", theme.small, col, p.accent, 1.3, align="center"))
        self.blocks.append(text.block(self.chapter, "serif-bold", theme.type(64, 32), col, p.strong, 1.15,
                                      align="center"))
        english, korean = app.place(self.location) if self.location else ("", "")
        # A chapter named after its place says the name once ("Hyesan", not "Hyesan / Hyesan / 혜산");
        # the name in the other script stays under it, as everywhere the place is named.
        if english.casefold() == self.chapter.casefold():
            english = ""
        self.place = text.block(english, "serif-italic", theme.type(28, 18), col, p.text, 1.3, align="center") \
            if english else None
        self.korean = text.line(korean, "ko", theme.type(24, 16), p.muted) if korean else None
        self.thumb = None
        route = app.route
        if route is not None:
            from game.ui.map_view import draw_route_small
            from game.ui.scenes.ending import places_in

            size = (theme.px(150), theme.px(190))
            self.thumb = pygame.Surface(size, pygame.SRCALPHA)
            places = places_in(app.state.journal if app.state else [], route.locations)
            draw_route_small(self.thumb, self.thumb.get_rect(), route, places, p.faint, p.accent, p.strong)
        total = sum(b.height for b in self.blocks) + theme.px(12) * len(self.blocks)
        total += (self.place.height + theme.px(6)) if self.place else 0
        total += (self.korean.get_height() + theme.px(28)) if self.korean else theme.px(22)
        total += self.thumb.get_height() if self.thumb else 0
        self.top = (h - total) // 2
        self.col_x = (w - col) // 2

    def update(self, dt: float) -> None:
        self.age += dt
        if self.age >= CARD_SECONDS and self.app.stack.top is self:
            self.app.pop()

    def handle(self, cmd: c.Command) -> c.Command | None:
        # Any key or click ends the card and goes no further: it must not also choose on the page.
        if not isinstance(cmd, (c.Hover, c.TypeText)) and self.app.stack.top is self:
            self.app.pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        w = surface.get_width()
        y = self.top
        for block in self.blocks:
            blit_block(surface, block, self.col_x, y)
            y += block.height + theme.px(12)
        if self.place is not None:
            blit_block(surface, self.place, self.col_x, y)
            y += self.place.height + theme.px(6)
        if self.korean is not None:
            surface.blit(self.korean, ((w - self.korean.get_width()) // 2, y))
            y += self.korean.get_height() + theme.px(28)
        else:
            y += theme.px(22)
        if self.thumb is not None:
            surface.blit(self.thumb, ((w - self.thumb.get_width()) // 2, y))
