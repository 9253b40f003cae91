"""Vertical scrolling over text laid out once: shared by the journal and the debrief."""

from __future__ import annotations

import pygame

from game.ui import commands as c
from game.ui.widgets.text import blit_block


class Scrolling:
    """Mixin for a scene with ``self.scroll`` (pixels), ``self.height`` (content) and ``self.view_rect``."""

    scroll: float
    height: int
    view_rect: pygame.Rect

    @property
    def max_scroll(self) -> int:
        return max(0, self.height - self.view_rect.h)

    def clamp_scroll(self) -> None:
        self.scroll = max(0.0, min(self.scroll, float(self.max_scroll)))

    def scroll_with(self, cmd: c.Command, line: int, arrows: bool = False) -> bool:
        """Move for a Scroll command (and for up/down arrows when ``arrows``); True if it was one."""
        if isinstance(cmd, c.Scroll):
            if cmd.to:
                self.scroll = 0.0 if cmd.to < 0 else float(self.max_scroll)
            self.scroll += cmd.lines * line + cmd.pages * self.view_rect.h * 0.9
        elif arrows and isinstance(cmd, c.Move) and cmd.dy:
            self.scroll += cmd.dy * line * 2
        else:
            return False
        self.clamp_scroll()
        return True

    def blit_visible(self, surface: pygame.Surface, placed) -> None:  # noqa: ANN001 - [(Block, x, y)]
        """Draw the blocks that fall inside the view at the current scroll, clipped to it."""
        clip = surface.get_clip()
        surface.set_clip(self.view_rect)
        top, scroll = self.view_rect.y, round(self.scroll)
        for block, x, y in placed:
            sy = top + y - scroll
            if sy > self.view_rect.bottom or sy + block.height < top:
                continue
            blit_block(surface, block, x, sy)
        surface.set_clip(clip)
