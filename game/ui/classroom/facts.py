"""Fact cards: the facts linked to the passage, one per screen, each with its source.

←/→ (or F again) go through the cards; Enter or Esc returns to the passage. Each
card shown is recorded, so the report can say which facts a class looked at.
"""

from __future__ import annotations

import pygame

from game.classroom.sources import confidence_words, source_line
from game.l10n import _, language
from game.story.model import also_line
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, letter
from game.ui.widgets.text import blit_block


class FactCardScene(FacilitateScene):
    name = "facilitate-facts"

    def __init__(self, app, fac, fact_ids: list[str]) -> None:  # noqa: ANN001
        super().__init__(app, fac)
        self.ids = fact_ids
        self.index = 0
        self.seen: set[int] = set()

    def enter(self) -> None:
        self.show(0)

    def show(self, index: int) -> None:
        self.index = index % len(self.ids)
        if self.index not in self.seen:
            self.seen.add(self.index)
            self.fac.fact_shown(self.ids[self.index])
        self.relayout()

    def handle(self, cmd: c.Command) -> c.Command | None:
        if self.common(cmd):
            return None
        key = letter(cmd)
        if isinstance(cmd, c.Move) and (cmd.dx or cmd.dy):
            self.show(self.index + (cmd.dx or cmd.dy))
        elif key == "f":
            self.show(self.index + 1)
        elif isinstance(cmd, (c.Confirm, c.Back)):
            self.app.pop()
        return None

    def relayout(self) -> None:
        pj, p = self.pj, self.theme.palette
        fact = self.app.story.facts[self.ids[self.index]]
        w = pj.safe.w
        self.text_block = self.block(" ".join(fact.text.split()), "serif", pj.body, w, p.strong, 1.45)
        source = source_line(fact)  # the year once, or "about 2001" beside a title that gives another
        self.source_block = self.block(_("Source: {source}").format(source=source), "sans-bold", pj.ui, w, p.text, 1.3)
        self.url_block = self.block(fact.source, "sans", pj.small, w, p.muted, 1.3)
        # A source in the language spoken (a Korean report of the same figures), under the main one: its
        # name and year only, as a class reads it from the back of the room (the debrief gives the addresses).
        also = also_line(fact, language())
        self.also_blocks = [self.block(also, "sans-bold", pj.ui, w, p.text, 1.3)] if also else []
        self.confidence = self.block(_("Evidence: {level}").format(level=confidence_words(fact)), "sans", pj.small,
                                     w, p.muted, 1.3)

    def draw(self, surface: pygame.Surface) -> None:
        pj = self.pj
        safe = pj.safe
        h = self.kicker(surface, _("Fact {n} of {total}").format(n=self.index + 1, total=len(self.ids)))
        y = safe.y + h + pj.px(16)
        blit_block(surface, self.text_block, safe.x, y)
        y += self.text_block.height + pj.px(24)
        pygame.draw.line(surface, self.theme.palette.rule, (safe.x, y), (safe.x + pj.px(120), y), 2)
        y += pj.px(14)
        for block in (self.source_block, self.url_block, *self.also_blocks, self.confidence):
            blit_block(surface, block, safe.x, y)
            y += block.height + pj.px(6)
        self.hints(surface, _("←→ or F: next fact  ·  Enter or Esc: back to the passage  ·  B: blank"))
