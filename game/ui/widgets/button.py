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
    rects: list[pygame.Rect] = field(default_factory=list)  # where each button is on screen now
    numbered: bool = False
    # Scrolling: with a viewport, buttons below it scroll into view (the focused one always
    # does), so a long menu with large text still works in a small window.
    viewport: pygame.Rect | None = None
    offset: int = 0
    _placed: list[pygame.Rect] = field(default_factory=list)  # unscrolled

    def __post_init__(self) -> None:
        self.focus = self._first_enabled(self.focus)

    def _first_enabled(self, start: int) -> int:
        for i in range(len(self.items)):
            j = (start + i) % max(1, len(self.items))
            if self.items[j].enabled:
                return j
        return 0

    def layout(self, theme: Theme, text: TextCache, x: int, y: int, width: int, gap: float = 12,
               viewport: pygame.Rect | None = None) -> int:
        """Place the buttons from (x, y) down, scrolling inside ``viewport`` if given; returns the bottom
        (unscrolled)."""
        self._placed = []
        for item in self.items:
            h = button_height(theme, text, item, width)
            self._placed.append(pygame.Rect(x, y, width, h))
            y += h + theme.px(gap)
        self.viewport = viewport
        self.reveal_focus()
        return y - theme.px(gap) if self.items else y

    @property
    def max_offset(self) -> int:
        if self.viewport is None or not self._placed:
            return 0
        return max(0, self._placed[-1].bottom - self.viewport.bottom)

    def _apply(self) -> None:
        self.offset = max(0, min(self.offset, self.max_offset)) if self.viewport is not None else 0
        self.rects = [r.move(0, -self.offset) for r in self._placed]

    def reveal_focus(self) -> None:
        """Scroll so the focused button is wholly in the viewport."""
        view = self.viewport
        if view is not None and 0 <= self.focus < len(self._placed):
            rect = self._placed[self.focus]
            if rect.bottom - self.offset > view.bottom:
                self.offset = rect.bottom - view.bottom
            if rect.top - self.offset < view.top:
                self.offset = rect.top - view.top
        self._apply()

    def _focus_in_view(self) -> None:
        """After a scroll: keep the focus, or move it to the nearest enabled button wholly in view."""
        view = self.viewport
        if view is None or not self.rects or view.contains(self.rects[self.focus]):
            return
        shown = [i for i, r in enumerate(self.rects) if self.items[i].enabled and view.contains(r)]
        if shown:
            self.focus = min(shown, key=lambda i: abs(i - self.focus))
        else:
            self.reveal_focus()

    def scroll_by(self, pixels: int) -> None:
        self.offset += pixels
        self._apply()

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
            self.reveal_focus()
            self.items[index].action()  # type: ignore[misc]
            return True
        return False

    def handle(self, cmd: c.Command) -> bool:
        """True when the menu used the command."""
        if isinstance(cmd, c.Move) and cmd.dy:
            self.move(cmd.dy)
            self.reveal_focus()
            return True
        if isinstance(cmd, c.Scroll) and self.max_offset:
            # The focus follows the scroll, so it is always on a button that can be seen (a trial's End
            # scrolled the settings without moving it, and the next Right arrow changed the text size
            # off-screen): Home and End focus the first and last buttons, other scrolls the nearest in view.
            if cmd.to:
                order = range(len(self.items)) if cmd.to < 0 else range(len(self.items) - 1, -1, -1)
                self.focus = next((i for i in order if self.items[i].enabled), self.focus)
                self.reveal_focus()
            else:
                step = self.viewport.h * 0.85 if self.viewport is not None else 0
                self.scroll_by(round(cmd.lines * 30 + cmd.pages * step))
                self._focus_in_view()
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
        if self.viewport is not None and not self.viewport.collidepoint(pos):
            return -1
        for i, rect in enumerate(self.rects):
            if rect.collidepoint(pos):
                return i
        return -1

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        clip = surface.get_clip()
        if self.viewport is not None:
            surface.set_clip(self.viewport.clip(clip))
        for i, (item, rect) in enumerate(zip(self.items, self.rects, strict=False)):
            if self.viewport is None or rect.colliderect(self.viewport):
                draw_button(surface, theme, text, item, rect, focused=(i == self.focus and item.enabled))
        surface.set_clip(clip)
        if self.max_offset and self.viewport is not None:
            # A thin bar at the right says there is more above or below.
            view = self.viewport
            total = self._placed[-1].bottom - self._placed[0].top
            track = pygame.Rect(view.right - max(2, theme.px(4)), view.y, max(2, theme.px(4)), view.h)
            pygame.draw.rect(surface, theme.palette.panel, track)
            thumb_h = max(theme.px(24), round(view.h * view.h / max(1, total)))
            thumb_y = view.y + round((view.h - thumb_h) * self.offset / max(1, self.max_offset))
            pygame.draw.rect(surface, theme.palette.muted, pygame.Rect(track.x, thumb_y, track.w, thumb_h))


def menu_viewport(theme: Theme, x: int, y: int, width: int, bottom: int) -> pygame.Rect:
    """The scrolling area for a menu column at (x, y): down to ``bottom``, with room at the right for
    the scroll bar, never outside the window."""
    w, _ = theme.size
    gutter = theme.px(14)
    left, right = max(0, x - gutter), min(w, x + width + gutter)
    return pygame.Rect(left, y, right - left, max(0, bottom - y))


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
