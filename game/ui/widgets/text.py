"""Text set once, drawn many times: wrapping, line height, and a cache of rendered lines.

Rendering a line of TrueType text costs far more than blitting it, so every line is
rendered once and kept, keyed by (text, font, size, colour); a wrapped block is
kept by (text, font, size, width, colour). Frames then only blit surfaces. The
caches are bounded (least recently used lines are dropped) so a long session or a
resize storm cannot grow memory without limit. The bound is in bytes as well as in
entries: a line of story text at 1080p is some 150 kB of pixels, so 4,000 of them
would be half a gigabyte (issue 15: memory doubled over one journey).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import pygame

from game.ui.theme import Color, Fonts


@dataclass(frozen=True, slots=True)
class Line:
    """One set line: its surface, where it sits in its block, and how many characters it shows."""

    image: pygame.Surface
    x: int
    y: int
    chars: int


@dataclass(frozen=True, slots=True)
class Block:
    """Wrapped text: lines relative to the block's top-left, and the block's size."""

    lines: tuple[Line, ...]
    width: int
    height: int
    chars: int
    text: str = ""  # what the block says (for tests and, one day, a screen reader)


# The shipped Noto subsets lack a few symbols the engine and the story use; draw the nearest glyph
# they have rather than a box (the minus sign becomes an en dash, arrows a guillemet).
GLYPH_FIXES = str.maketrans({"\u2212": "\u2013", "\u2192": "\u203a", "\u2190": "\u2039"})


def printable(text: str) -> str:
    return text.replace(" \u2192 ", " to ").translate(GLYPH_FIXES)


class TextCache:
    """Renders and wraps text; the only place in the UI that calls ``Font.render``."""

    def __init__(self, fonts: Fonts, max_lines: int = 4000, max_blocks: int = 800,
                 max_bytes: int = 24 * 1024 * 1024) -> None:
        self.fonts = fonts
        self._lines: OrderedDict[tuple[object, ...], pygame.Surface] = OrderedDict()
        self._blocks: OrderedDict[tuple[object, ...], Block] = OrderedDict()
        self.max_lines = max_lines
        self.max_blocks = max_blocks
        # Pixels kept by each cache (a block's lines are usually the very surfaces the line
        # cache holds, so together they keep at most twice this, usually far less).
        self.max_bytes = max_bytes
        self.line_bytes = 0
        self.block_bytes = 0
        self.renders = 0  # for tests: how many times Font.render ran

    def line(self, text: str, kind: str, size: int, color: Color) -> pygame.Surface:
        key = (text, kind, size, color)
        image = self._lines.get(key)
        if image is not None:
            self._lines.move_to_end(key)
            return image
        font = self.fonts.get(kind, size)
        image = (self.fonts.render(kind, size, printable(text), color) if text
                 else pygame.Surface((0, font.get_height()), pygame.SRCALPHA))
        self.renders += 1
        self._lines[key] = image
        self.line_bytes += _bytes(image)
        while len(self._lines) > 1 and (len(self._lines) > self.max_lines or self.line_bytes > self.max_bytes):
            self.line_bytes -= _bytes(self._lines.popitem(last=False)[1])
        return image

    def wrap(self, text: str, kind: str, size: int, width: int) -> list[str]:
        """Greedy word wrap to ``width`` pixels; a word longer than the width is cut."""
        font = self.fonts.get(kind, size)
        space = font.size(" ")[0]
        lines: list[str] = []
        for raw in text.split("\n"):
            words = raw.split()
            current: list[str] = []
            current_w = 0
            for word in words:
                w = self.fonts.width(kind, size, printable(word))
                while w > width and len(word) > 1:  # a URL or a very long word: cut it
                    cut = max(1, int(len(word) * width / w) - 1)
                    if current:
                        lines.append(" ".join(current))
                        current, current_w = [], 0
                    lines.append(word[:cut])
                    word = word[cut:]
                    w = self.fonts.width(kind, size, printable(word))
                if current and current_w + space + w > width:
                    lines.append(" ".join(current))
                    current, current_w = [], 0
                current_w = current_w + space + w if current else w
                current.append(word)
            lines.append(" ".join(current))
        return lines

    def block(self, text: str, kind: str, size: int, width: int, color: Color,
              line_height: float = 1.5, align: str = "left") -> Block:
        """``text`` wrapped to ``width`` with ``line_height`` times the type size between baselines."""
        key = (text, kind, size, width, color, line_height, align)
        block = self._blocks.get(key)
        if block is not None:
            self._blocks.move_to_end(key)
            return block
        step = round(size * line_height)
        font = self.fonts.get(kind, size)
        # Centre each line's glyph box in its line step so the leading is shared above and below.
        offset = (step - font.get_height()) // 2
        lines = []
        y = 0
        chars = 0
        widest = 0
        for text_line in self.wrap(text, kind, size, max(8, width)):
            image = self.line(text_line, kind, size, color)
            x = 0
            if align == "center":
                x = (width - image.get_width()) // 2
            elif align == "right":
                x = width - image.get_width()
            lines.append(Line(image, x, y + offset, len(text_line) + 1))
            chars += len(text_line) + 1
            widest = max(widest, image.get_width())
            y += step
        block = Block(tuple(lines), widest, y, chars, text)
        self._blocks[key] = block
        self.block_bytes += _block_bytes(block)
        while len(self._blocks) > 1 and (len(self._blocks) > self.max_blocks or self.block_bytes > self.max_bytes):
            self.block_bytes -= _block_bytes(self._blocks.popitem(last=False)[1])
        return block


def _bytes(image: pygame.Surface) -> int:
    return image.get_width() * image.get_height() * image.get_bytesize()


def _block_bytes(block: Block) -> int:
    return sum(_bytes(line.image) for line in block.lines)


def blit_block(surface: pygame.Surface, block: Block, x: int, y: int, reveal: float | None = None) -> None:
    """Draw a block at (x, y); ``reveal`` (characters) shows only the beginning, wiping the last line in."""
    if reveal is None:
        for line in block.lines:
            surface.blit(line.image, (x + line.x, y + line.y))
        return
    left = reveal
    for line in block.lines:
        if left <= 0:
            break
        if left >= line.chars:
            surface.blit(line.image, (x + line.x, y + line.y))
        else:
            w = round(line.image.get_width() * left / max(1, line.chars))
            surface.blit(line.image, (x + line.x, y + line.y), pygame.Rect(0, 0, w, line.image.get_height()))
        left -= line.chars
