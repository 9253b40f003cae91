"""What every facilitator scene shares: projector sizes, the keys that work everywhere, drawing helpers.

Keys that work on every facilitator screen: **B** blanks the screen, **P** or
**Esc** pauses (Esc closes an overlay first); on the passage, the discussion and the
vote **F** shows the passage's fact cards. Letters arrive as ``TypeText`` (SDL's
text input, so any keyboard layout works); a key that also has a game command
(Backspace/U: Rollback, M: OpenMap, digits: Pick) is handled through that command
and its letter is ignored, so one key press never does two things.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.ui import commands as c
from game.ui.scenes.base import Scene
from game.ui.widgets.projector import Projector
from game.ui.widgets.text import Block, blit_block

if TYPE_CHECKING:
    from game.classroom.facilitation import Facilitation


def letter(cmd: c.Command) -> str:
    """The lower-case letter typed, or '' (for TypeText commands of one character)."""
    if isinstance(cmd, c.TypeText) and len(cmd.text) == 1:
        return cmd.text.lower()
    return ""


class FacilitateScene(Scene):
    """Base of the facilitator scenes: knows the session, sizes itself for a projector."""

    name = "facilitate"
    facts_on_f = False  # F opens the passage's fact cards (the story scene handles F itself)

    def __init__(self, app, fac: Facilitation | None) -> None:  # noqa: ANN001
        super().__init__(app)
        self.fac = fac

    @property
    def pj(self) -> Projector:
        return Projector.of(self.theme.size)

    def block(self, text: str, kind: str, size: int, width: int, colour: tuple[int, int, int] | None = None,
              line_height: float = 1.4, align: str = "left") -> Block:
        return self.app.text.block(text, kind, size, width, colour or self.theme.palette.text, line_height, align)

    def common(self, cmd: c.Command) -> bool:
        """B and P on every screen; True when used."""
        key = letter(cmd)
        if key == "b" and self.fac is not None:
            from game.ui.classroom.pause import BlankScene

            self.app.push(BlankScene(self.app, self.fac))
            return True
        if key == "f" and self.fac is not None and self.facts_on_f:
            open_facts(self.app, self.fac)
            return True
        if key == "p" and self.fac is not None:
            from game.ui.classroom.pause import FacilitatePauseScene

            self.app.push(FacilitatePauseScene(self.app, self.fac))
            return True
        return False

    def hints(self, surface: pygame.Surface, text: str) -> None:
        """The key hints, at the bottom of the safe area (never at the very edge)."""
        pj, p = self.pj, self.theme.palette
        block = self.block(text, "sans", pj.small, pj.safe.w, p.muted, 1.3)
        blit_block(surface, block, pj.safe.x, pj.safe.bottom - block.height)
        self.room_badge(surface)

    def room_badge(self, surface: pygame.Surface) -> None:
        """With phones, the room code and address in the top margin of every screen: latecomers join any time."""
        channel = getattr(self.app, "vote_channel", None)
        if channel is None or self.name in ("facilitate-vote", "facilitate-blank"):
            return
        pj, p = self.pj, self.theme.palette
        words = f"Join: {channel.url.removeprefix('http://').rstrip('/')}  ·  Room {channel.room_code}"
        image = self.app.text.line(words, "sans-bold", max(14, pj.small - 2), p.muted)
        y = max(0, (pj.safe.y - image.get_height()) // 2)
        surface.blit(image, (pj.safe.right - image.get_width(), y))

    def kicker(self, surface: pygame.Surface, text: str, y: int | None = None) -> int:
        pj, p = self.pj, self.theme.palette
        image = self.app.text.line(text.upper(), "sans-bold", pj.small, p.accent)
        surface.blit(image, (pj.safe.x, pj.safe.y if y is None else y))
        return image.get_height()


def open_facts(app, fac) -> None:  # noqa: ANN001
    """The fact cards of the passage the class is at, over whatever screen is showing."""
    view = fac.view()
    facts = [f for f in view.facts if f in app.story.facts]
    if not facts:
        app.notify("No facts are linked to this passage.")
        return
    from game.ui.classroom.facts import FactCardScene

    app.push(FactCardScene(app, fac, facts))


def wrap_pages(blocks: list[tuple[Block, int]], height: int) -> list[list[tuple[Block, int, int]]]:
    """Split (block, gap after) into pages at most ``height`` pixels tall; a block that does not fit is cut
    between lines, so a long paragraph continues on the next page instead of running off the screen."""
    pages: list[list[tuple[Block, int, int]]] = [[]]
    y = 0
    for block, gap in blocks:
        rest = block
        while rest.lines:
            if y + rest.height <= height or (not pages[-1] and rest.height <= height):
                pages[-1].append((rest, 0, y))
                y += rest.height + gap
                break
            step = rest.height // max(1, len(rest.lines))
            fit = max(0, (height - y) // max(1, step))
            if fit == 0:
                if not pages[-1]:
                    fit = 1  # a page always takes at least one line
                else:
                    pages.append([])
                    y = 0
                    continue
            head, rest = _split(rest, fit, step)
            pages[-1].append((head, 0, y))
            pages.append([])
            y = 0
    return [page for page in pages if page]


def _split(block: Block, n: int, step: int) -> tuple[Block, Block]:
    from game.ui.widgets.text import Line

    head = block.lines[:n]
    tail = tuple(Line(line.image, line.x, line.y - n * step, line.chars) for line in block.lines[n:])
    chars = sum(line.chars for line in head)
    return (Block(tuple(head), block.width, n * step, chars, block.text),
            Block(tail, block.width, block.height - n * step, block.chars - chars, block.text))


def draw_page(surface: pygame.Surface, page: list[tuple[Block, int, int]], x: int, y: int) -> None:
    for block, dx, dy in page:
        blit_block(surface, block, x + dx, y + dy)
