"""Buttons and vertical menus that work the same with the mouse, the arrow keys and 1-9."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pygame

from game.ui import commands as c
from game.ui.theme import Theme
from game.ui.widgets.text import TextCache, blit_block


@dataclass
class MenuItem:
    label: str
    action: Callable[[], None] | None = None
    detail: str = ""
    enabled: bool = True
    key_hint: str = ""  # shown at the right: "H", "F6"
    danger: bool = False


@dataclass
class Menu:
    """A column of buttons. Holds its own focus; layout is recomputed by the owner on resize."""

    items: Sequence[MenuItem]
    focus: int = 0
    hover: int = -1
    rects: list[pygame.Rect] = field(default_factory=list)
    numbered: bool = False

    def __post_init__(self) -> None:
        self.focus = self._first_enabled(self.focus)

    def _first_enabled(self, start: int) -> int:
        for i in range(len(self.items)):
            j = (start + i) % max(1, len(self.items))
            if self.items[j].enabled:
                return j
        return 0

    def layout(self, theme: Theme, text: TextCache, x: int, y: int, width: int, gap: float = 12) -> int:
        """Place the buttons from (x, y) down; returns the bottom."""
        self.rects = []
        for item in self.items:
            h = button_height(theme, text, item, width)
            self.rects.append(pygame.Rect(x, y, width, h))
            y += h + theme.px(gap)
        return y - theme.px(gap) if self.items else y

    def move(self, dy: int) -> None:
        if not self.items:
            return
        i = self.focus
        for _ in range(len(self.items)):
            i = (i + dy) % len(self.items)
            if self.items[i].enabled:
                self.focus = i
                return

    def activate(self, index: int) -> bool:
        if 0 <= index < len(self.items) and self.items[index].enabled and self.items[index].action:
            self.focus = index
            self.items[index].action()  # type: ignore[misc]
            return True
        return False

    def handle(self, cmd: c.Command) -> bool:
        """True when the menu used the command."""
        if isinstance(cmd, c.Move) and cmd.dy:
            self.move(cmd.dy)
            return True
        if isinstance(cmd, c.Confirm):
            return self.activate(self.focus)
        if isinstance(cmd, c.Pick) and self.numbered:
            return self.activate(cmd.index)
        if isinstance(cmd, c.Hover):
            self.hover = self.index_at(cmd.pos)
            if self.hover >= 0 and self.items[self.hover].enabled:
                self.focus = self.hover
            return False  # hover is shared: other widgets may want it too
        if isinstance(cmd, c.Click):
            i = self.index_at(cmd.pos)
            if i >= 0:
                self.activate(i)
                return True
        return False

    def index_at(self, pos: tuple[int, int]) -> int:
        for i, rect in enumerate(self.rects):
            if rect.collidepoint(pos):
                return i
        return -1

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        for i, (item, rect) in enumerate(zip(self.items, self.rects, strict=False)):
            draw_button(surface, theme, text, item, rect, focused=(i == self.focus and item.enabled))


def button_height(theme: Theme, text: TextCache, item: MenuItem, width: int) -> int:
    pad = theme.px(14)
    inner = width - 2 * pad - theme.px(10)
    block = text.block(item.label, "sans", theme.ui, inner, theme.palette.strong, 1.35)
    h = block.height + 2 * pad
    if item.detail:
        h += text.block(item.detail, "sans", theme.small, inner, theme.palette.muted, 1.35).height
    return h


def draw_button(surface: pygame.Surface, theme: Theme, text: TextCache, item: MenuItem, rect: pygame.Rect,
                focused: bool) -> None:
    p = theme.palette
    radius = theme.px(6)
    pygame.draw.rect(surface, p.panel_hi if focused else p.panel, rect, border_radius=radius)
    if focused:
        bar = pygame.Rect(rect.x, rect.y + radius, theme.px(4) + 1, rect.h - 2 * radius)
        pygame.draw.rect(surface, p.accent, bar)
    elif theme.high_contrast:
        pygame.draw.rect(surface, p.rule, rect, 1, border_radius=radius)
    pad = theme.px(14)
    x = rect.x + pad + theme.px(10)
    inner = rect.w - (x - rect.x) - pad
    colour = p.strong if item.enabled else p.faint
    if item.danger and item.enabled:
        colour = p.bad
    label = text.block(item.label, "sans", theme.ui, inner, colour, 1.35)
    blit_block(surface, label, x, rect.y + pad)
    if item.detail:
        detail = text.block(item.detail, "sans", theme.small, inner, p.muted if item.enabled else p.faint, 1.35)
        blit_block(surface, detail, x, rect.y + pad + label.height)
    if item.key_hint:
        hint = text.line(item.key_hint, "sans", theme.small, p.faint if not focused else p.muted)
        surface.blit(hint, (rect.right - pad - hint.get_width(), rect.y + pad + (label.lines[0].image.get_height()
                                                                                   - hint.get_height()) // 2
                            + label.lines[0].y))
