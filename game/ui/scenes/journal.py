"""The journal: everything read and chosen so far (``GameState.journal``), to reread at leisure.

Opens at the latest page. Wheel, arrows, PgUp/PgDn, Home/End scroll; H or Esc closes.
The page is laid out once per window size into placed text blocks; a frame blits
only the blocks that are on screen.
"""

from __future__ import annotations

import pygame

from game.engine.wording import risk_words
from game.l10n import _
from game.ui import commands as c
from game.ui.scenes.base import StillScene
from game.ui.widgets.scroll import Scrolling
from game.ui.widgets.text import Block, blit_block


class JournalScene(Scrolling, StillScene):
    name = "journal"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.scroll = 0.0
        self.placed: list[tuple[Block, int, int]] = []
        self.rules: list[int] = []
        self.height = 0
        self._first = True

    def enter(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        theme, text, story = self.theme, self.app.text, self.app.story
        p = theme.palette
        w, h = theme.size
        m = theme.margin
        serif = text.fonts.get("serif", theme.body)
        col = min(w - 2 * m, round(serif.size("x" * 10)[0] / 10 * 68))
        x = (w - col) // 2
        self.title = text.line(_("Journal"), "serif-bold", round(theme.body * 1.5), p.strong)
        self.title_y = theme.px(28)
        # The hint sits beside the title when there is room, else under it (large text, small window).
        hint = _("Wheel, arrows or Page Up/Down to scroll  ·  H or Esc to return")
        hint_w = col - self.title.get_width() - theme.px(24)
        beside = hint_w >= theme.px(200)
        self.hint = text.block(hint, "sans", theme.small, hint_w if beside else col, p.faint, 1.3, align="right")
        beside = beside and len(self.hint.lines) == 1
        if not beside:
            hint_w = col
            self.hint = text.block(hint, "sans", theme.small, col, p.faint, 1.3, align="right")
        head_bottom = self.title_y + self.title.get_height()
        if beside:
            self.hint_pos = (x + col - hint_w, head_bottom - self.hint.height - theme.px(4))
        else:
            self.hint_pos = (x + col - hint_w, head_bottom)
            head_bottom += self.hint.height
        # What she carries (the terminal shows it on every page; the window shows it here).
        state = self.app.state
        carried = sorted(state.items) if state is not None else []
        labels = [self.app.story.items[i].label if i in self.app.story.items else i for i in carried]
        words = _("Carrying: {items}").format(items=", ".join(labels) if labels else _("nothing but what she wears"))
        self.carrying = text.block(words, "sans", theme.small, col, p.muted, 1.3)
        self.carrying_pos = (x, head_bottom + theme.px(8))
        head_bottom = self.carrying_pos[1] + self.carrying.height
        self.header_h = head_bottom + theme.px(22)
        self.view_rect = pygame.Rect(0, self.header_h, w, max(0, h - self.header_h - theme.px(24)))
        self.col_x = x
        placed: list[tuple[Block, int, int]] = []
        rules: list[int] = []
        y = theme.px(10)
        chapter = None
        entries = state.journal if state is not None else []
        small_gap = round(theme.body * 0.5)
        for entry in entries:
            if entry.get("chapter") and entry.get("chapter") != chapter:
                chapter = entry.get("chapter")
                y += theme.px(18)
                block = text.block(str(chapter).upper(), "sans-bold", theme.small, col, p.accent, 1.3)
                placed.append((block, x, y))
                y += block.height + theme.px(10)
            elif placed:
                rules.append(y)
                y += theme.px(20)
            place = self.app.place(str(entry.get("location", "")))[0] if entry.get("location") else ""
            meta = " · ".join(part for part in (_("Day {day}").format(day=entry.get("day", 0)), place) if part)
            block = text.block(meta, "sans", theme.small, col, p.muted, 1.3)
            placed.append((block, x, y))
            y += block.height + theme.px(4)
            if entry.get("title"):
                block = text.block(str(entry["title"]), "serif-bold", round(theme.body * 1.15), col, p.strong, 1.3)
                placed.append((block, x, y))
                y += block.height + small_gap
            for para in entry.get("text", []):
                block = text.block(str(para), "serif", theme.body, col, p.text, 1.55)
                placed.append((block, x, y))
                y += block.height + small_gap
            if entry.get("choice"):
                block = text.block(_("You chose: {choice}").format(choice=entry["choice"]), "sans-bold", theme.ui, col, p.accent, 1.4)
                placed.append((block, x, y))
                y += block.height + theme.px(4)
            roll = entry.get("roll")
            if isinstance(roll, dict):
                fell = bool(roll.get("failed"))
                words = risk_words(float(roll.get("chance", 0)), str(roll.get("label", "")), fell)
                block = text.block(words, "sans", theme.small, col, p.bad if fell else p.good, 1.4)
                placed.append((block, x, y))
                y += block.height + theme.px(4)
            y += small_gap
        self.placed, self.rules, self.height = placed, rules, y
        self.col_w = col
        del story
        if self._first:
            self.scroll = float(self.max_scroll)
            self._first = False
        self.clamp_scroll()

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, (c.Back, c.OpenJournal)):
            self.app.pop()
            return None
        self.scroll_with(cmd, round(self.theme.body * 1.55), arrows=True)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        surface.fill(p.bg)
        m = theme.margin
        surface.blit(self.title, (self.col_x, self.title_y))
        blit_block(surface, self.hint, *self.hint_pos)
        blit_block(surface, self.carrying, *self.carrying_pos)
        top = self.view_rect.y
        pygame.draw.line(surface, p.rule, (self.col_x, top - theme.px(12)), (self.col_x + self.col_w, top - theme.px(12)))
        self.blit_visible(surface, self.placed)
        clip = surface.get_clip()
        surface.set_clip(self.view_rect)
        scroll = round(self.scroll)
        for y in self.rules:
            sy = top + y - scroll + theme.px(10)
            if top <= sy <= self.view_rect.bottom:
                cx = self.col_x + self.col_w // 2
                pygame.draw.line(surface, p.rule, (cx - theme.px(30), sy), (cx + theme.px(30), sy))
        surface.set_clip(clip)
        # A thin scroll indicator on the right.
        if self.max_scroll > 0:
            track = pygame.Rect(theme.size[0] - m // 2, top, max(2, theme.px(3)), self.view_rect.h)
            pygame.draw.rect(surface, p.panel, track)
            frac = self.view_rect.h / self.height
            thumb = pygame.Rect(track.x, top + round((self.scroll / self.height) * self.view_rect.h),
                                track.w, max(theme.px(30), round(frac * self.view_rect.h)))
            pygame.draw.rect(surface, p.muted, thumb)
