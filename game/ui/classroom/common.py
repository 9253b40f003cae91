"""What every facilitator scene shares: projector sizes, the keys that work everywhere, drawing helpers.

Keys that work on every facilitator screen: **B** blanks the screen, **P** or
**Esc** pauses (Esc closes an overlay first); on the passage, the discussion and the
vote **F** shows the passage's fact cards. Letters arrive as ``TypeText`` (SDL's
text input, so any keyboard layout works); a key that also has a game command
(Backspace/U: Rollback, M: OpenMap, digits: Pick) is handled through that command
and its letter is ignored, so one key press never does two things.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.l10n import _
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
    toast_bottom = 0    # where the app's notices end (above the key hints), once the hints are drawn

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
        self.toast_bottom = pj.safe.bottom - block.height - pj.px(10)  # the app's notices stand above the hints
        self.room_badge(surface)

    def room_badge(self, surface: pygame.Surface) -> None:
        """With phones, the room code and address in the top margin of every screen: latecomers join any time."""
        if self.name not in ("facilitate-vote", "facilitate-blank"):  # the vote shows its own panel
            draw_room_badge(self.app, surface)

    def kicker(self, surface: pygame.Surface, text: str, y: int | None = None) -> int:
        pj, p = self.pj, self.theme.palette
        image = self.app.text.line(text.upper(), "sans-bold", pj.small, p.accent)
        surface.blit(image, (pj.safe.x, pj.safe.y if y is None else y))
        return image.get_height()


def draw_room_badge(app, surface: pygame.Surface) -> pygame.Rect | None:  # noqa: ANN001
    """The join address and room code in the top margin (the facilitator's screens, and the map over them)."""
    channel = getattr(app, "vote_channel", None)
    if channel is None:
        return None
    pj, p = Projector.of(app.theme.size), app.theme.palette
    words = _("Join: {address}  ·  Room {code}").format(address=channel.url.removeprefix("http://").rstrip("/"),
                                                         code=channel.room_code)
    image = app.text.line(words, "sans-bold", max(14, pj.small - 2), p.muted)
    y = max(0, (pj.safe.y - image.get_height()) // 2)
    return surface.blit(image, (pj.safe.right - image.get_width(), y))


def open_facts(app, fac) -> None:  # noqa: ANN001
    """The fact cards of the passage the class is at, over whatever screen is showing."""
    view = fac.view()
    facts = [f for f in view.facts if f in app.story.facts]
    if not facts:
        app.notify(_("No facts are linked to this passage."))
        return
    from game.ui.classroom.facts import FactCardScene

    app.push(FactCardScene(app, fac, facts))


SENTENCE_ENDS = (".", "!", "?", ".\u201d", "?\u201d", "!\u201d", '."', '?"', '!"', ":", ";", "\u2026")


def wrap_pages(blocks: list[tuple[Block, int]], height: int,
               rewrap: Callable[[Block, str], Block] | None = None) -> list[list[tuple[Block, int, int]]]:
    """Split (block, gap after) into pages at most ``height`` pixels tall.

    Pages break between paragraphs: a paragraph that does not fit what is left of a page
    starts the next one. Only a paragraph taller than a whole page is cut, and then after
    the last line that ends a sentence (a line's end otherwise), so a page never begins
    in the middle of a sentence when it can be helped, nor holds only a paragraph's last words.
    ``rewrap(block, text)`` sets ``text`` in ``block``'s style: with it, a paragraph is cut
    between sentences (re-set in two blocks) rather than at a line's end."""
    pages: list[list[tuple[Block, int, int]]] = [[]]
    y = 0
    for block, gap in blocks:
        rest = block
        while rest.lines:
            if y + rest.height <= height or (not pages[-1] and rest.height <= height):
                pages[-1].append((rest, 0, y))
                y += rest.height + gap
                break
            if pages[-1] and rest.height <= height:
                pages.append([])  # the paragraph fits a page of its own: break before it
                y = 0
                continue
            step = rest.height // max(1, len(rest.lines))
            fit = max(0, (height - y) // max(1, step))
            if fit == 0:
                if not pages[-1]:
                    fit = 1  # a page always takes at least one line
                else:
                    pages.append([])
                    y = 0
                    continue
            fit = min(fit, len(rest.lines))
            if rewrap is not None:
                cut = _cut_at_sentence(rest, height - y, rewrap)
                if cut is not None:
                    head, rest = cut
                    pages[-1].append((head, 0, y))
                    pages.append([])
                    y = 0
                    continue
            fit = _sentence_end(rest, fit) or (fit if not pages[-1] else 0)
            if fit == 0:
                pages.append([])
                y = 0
                continue
            head, rest = _split(rest, fit, step)
            pages[-1].append((head, 0, y))
            pages.append([])
            y = 0
    return [page for page in pages if page]


_SENTENCE = re.compile(r"(?<=[.!?\u2026])[\"\u201d\u2019']?\s+")


def _cut_at_sentence(block: Block, room: int, rewrap: Callable[[Block, str], Block]) -> tuple[Block, Block] | None:
    """The most whole sentences of ``block`` that fit in ``room`` pixels, and the rest (at least two lines),
    each set anew; None when not even the first sentence fits."""
    text = " ".join(block.text.split())
    cuts = [m.end() for m in _SENTENCE.finditer(text)]
    best = None
    for end in cuts:
        head = rewrap(block, text[:end].rstrip())
        if head.height > room:
            break
        tail = rewrap(block, text[end:].strip())
        if tail.lines and (len(tail.lines) >= 2 or best is None):
            best = (head, tail)
    return best


def _line_words(block: Block) -> list[int]:
    """How many of the block's words each line holds (the lines were wrapped at spaces)."""
    words = block.text.split()
    counts, i = [], 0
    for line in block.lines:
        length, j = line.chars - 1, i
        while j < len(words) and len(" ".join(words[i:j + 1])) <= length:
            j += 1
        counts.append(max(0, j - i))
        i = j
    return counts


def _sentence_end(block: Block, most: int) -> int:
    """The most lines (up to ``most``) of ``block`` that end a sentence and leave at least two lines for the
    next page (or, failing that, any sentence end); 0 when no line ends a sentence."""
    words = block.text.split()
    ends, seen = [], 0
    for n, count in enumerate(_line_words(block)[:most], 1):
        seen += count
        if seen and words[seen - 1].endswith(SENTENCE_ENDS):
            ends.append(n)
    roomy = [n for n in ends if len(block.lines) - n >= 2]
    return (roomy or ends or [0])[-1]


def _split(block: Block, n: int, step: int) -> tuple[Block, Block]:
    from game.ui.widgets.text import Line

    head = block.lines[:n]
    tail = tuple(Line(line.image, line.x, line.y - n * step, line.chars) for line in block.lines[n:])
    chars = sum(line.chars for line in head)
    words = block.text.split()
    used = sum(_line_words(block)[:n])
    return (Block(tuple(head), block.width, n * step, chars, " ".join(words[:used])),
            Block(tail, block.width, block.height - n * step, block.chars - chars, " ".join(words[used:])))


def draw_page(surface: pygame.Surface, page: list[tuple[Block, int, int]], x: int, y: int) -> None:
    for block, dx, dy in page:
        blit_block(surface, block, x + dx, y + dy)


def qr_image(channel: object, width: int, cached: tuple[int, pygame.Surface] | None) -> tuple[int, pygame.Surface] | None:
    """The channel's join link as a QR code ``width`` pixels wide, whole pixels per module so it stays sharp.

    ``cached`` is the last one made (reused when the width is the same); None when the code
    would be too small to scan or the channel cannot make one.
    """
    if cached is not None and cached[0] == width:
        return cached
    try:
        modules = len(channel.qr_matrix(border=2))  # type: ignore[attr-defined]
        if width // max(1, modules) < 2:
            return None
        data = channel.qr_png(scale=width // modules, border=2)  # type: ignore[attr-defined]
        image = pygame.image.load(io.BytesIO(data), "qr.png")
    except (pygame.error, OSError, ValueError, AttributeError):
        return None
    return width, image
