"""Colours, sizes and fonts, all derived from the window size and the player's settings.

A :class:`Theme` is rebuilt whenever the window or a setting changes (rare), and
then read by every scene while drawing. Sizes are in pixels at the current window:
``unit`` is 1.0 for a 1080-pixel-tall window, and the text-size setting multiplies
the type sizes (not the margins), so large text reflows instead of overflowing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygame

from game.l10n import language
from game.paths import assets_dir
from game.ui.settings import Settings

Color = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Palette:
    bg: Color
    panel: Color          # cards, buttons
    panel_hi: Color       # a focused or hovered button
    rule: Color           # thin separators
    text: Color           # story text
    strong: Color         # headings
    muted: Color          # secondary text
    faint: Color          # disabled text
    accent: Color         # warm accent: focus marks, chosen lines
    danger: Color         # risk badges, things that went wrong
    danger_text: Color    # text on a danger badge
    good: Color           # a change for the better
    bad: Color            # a change for the worse
    shade: tuple[int, int, int, int]  # dimming behind an overlay


DARK = Palette(
    bg=(27, 29, 31), panel=(37, 39, 42), panel_hi=(50, 50, 50), rule=(62, 62, 60),
    text=(226, 220, 206), strong=(240, 234, 221), muted=(150, 144, 134), faint=(98, 96, 92),
    accent=(196, 122, 78), danger=(178, 28, 36), danger_text=(250, 236, 230),
    good=(132, 178, 120), bad=(222, 104, 88), shade=(12, 13, 14, 200),
)

HIGH_CONTRAST = Palette(
    bg=(0, 0, 0), panel=(22, 22, 22), panel_hi=(44, 44, 0), rule=(200, 200, 200),
    text=(255, 255, 255), strong=(255, 255, 255), muted=(225, 225, 225), faint=(150, 150, 150),
    accent=(255, 210, 0), danger=(200, 0, 0), danger_text=(255, 255, 255),
    good=(110, 255, 120), bad=(255, 120, 110), shade=(0, 0, 0, 230),
)

FONT_FILES = {
    "serif": "NotoSerif-Regular.ttf",
    "serif-italic": "NotoSerif-Italic.ttf",
    "serif-bold": "NotoSerif-Bold.ttf",
    "sans": "NotoSans-Regular.ttf",
    "sans-bold": "NotoSans-Bold.ttf",
    "ko": "NanumGothic.ttf",
}
#: In Korean, every kind of type is a Nanum face (Noto's subsets have no Hangul): story text
#: in the serif Nanum Myeongjo, the interface in Nanum Gothic. Both have Latin letters too.
KOREAN_FONT_FILES = {
    "serif": "NanumMyeongjo.ttf",
    "serif-italic": "NanumMyeongjo.ttf",
    "serif-bold": "NanumMyeongjoBold.ttf",
    "sans": "NanumGothic.ttf",
    "sans-bold": "NanumGothicBold.ttf",
    "ko": "NanumGothic.ttf",
}


def font_file(kind: str, lang: str | None = None) -> str:
    """The font file for a kind of type in a language (the language spoken now by default)."""
    table = KOREAN_FONT_FILES if (lang or language()) == "ko" else FONT_FILES
    return table[kind]


def font_dir() -> Path:
    return assets_dir() / "fonts"


def fallback_files(kind: str, lang: str | None = None) -> tuple[str, ...]:
    """The faces tried, in order, for a character the kind's own face lacks.

    Nanum Myeongjo has no yen sign (a trial showed every Korean amount in the story as
    "□3,100"), and Noto's subsets have no Hangul and no up or down arrows. The same kind in the
    other language comes first (Noto Serif for Nanum Myeongjo keeps a serif ¥ in serif
    text), then the two sans faces.
    """
    files = (font_file(kind, lang), FONT_FILES[kind], KOREAN_FONT_FILES[kind], "NanumGothic.ttf",
             "NotoSans-Regular.ttf")
    return tuple(dict.fromkeys(files))


# A character no font has: what a face draws for it is its .notdef box.
_NOT_A_CHARACTER = "\uffff"


class Fonts:
    """Font objects by (file, pixel size); opening a TTF is slow, so each is opened once.

    Keyed by the file rather than the kind, so that Korean (its own faces) and English
    never share a font object when the language changes.
    """

    def __init__(self) -> None:
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._glyphs: dict[tuple[str, str], bool] = {}

    def get(self, kind: str, size: int) -> pygame.font.Font:
        return self.get_file(font_file(kind), size)

    def get_file(self, file: str, size: int) -> pygame.font.Font:
        key = (file, size)
        font = self._fonts.get(key)
        if font is None:
            path = font_dir() / file
            font = pygame.font.Font(str(path) if path.is_file() else None, size)
            self._fonts[key] = font
        return font

    def has_glyph(self, file: str, char: str) -> bool:
        """Whether the face draws ``char`` itself rather than its .notdef box (asked once per face and character).

        ``Font.metrics`` cannot tell: SDL_ttf reports the box's metrics for a missing glyph.
        """
        if char.isascii():
            return True
        key = (file, char)
        known = self._glyphs.get(key)
        if known is None:
            font = self.get_file(file, 16)
            def picture(text: str) -> tuple[bytes, tuple[int, int]]:
                image = font.render(text, False, (255, 255, 255), (0, 0, 0))
                return pygame.image.tobytes(image, "RGB"), image.get_size()
            known = picture(char) != picture(_NOT_A_CHARACTER)
            self._glyphs[key] = known
        return known

    def runs(self, kind: str, size: int, text: str) -> list[tuple[str, pygame.font.Font]]:
        """``text`` cut into runs, each with the first face (of :func:`fallback_files`) that has its characters."""
        files = fallback_files(kind)
        if text.isascii() or all(self.has_glyph(files[0], ch) for ch in text):
            return [(text, self.get_file(files[0], size))]
        runs: list[tuple[str, str]] = []
        for ch in text:
            file = next((f for f in files if self.has_glyph(f, ch)), files[0])
            if ch.isspace() and runs:
                file = runs[-1][1]  # a space stays with the run before it
            if runs and runs[-1][1] == file:
                runs[-1] = (runs[-1][0] + ch, file)
            else:
                runs.append((ch, file))
        return [(part, self.get_file(file, size)) for part, file in runs]

    def width(self, kind: str, size: int, text: str) -> int:
        """The width of ``text`` as :meth:`runs` draws it."""
        return sum(font.size(part)[0] for part, font in self.runs(kind, size, text))

    def render(self, kind: str, size: int, text: str, color: Color) -> pygame.Surface:
        """``text`` drawn in the kind's face, each character it lacks in a face that has it, on one baseline."""
        runs = self.runs(kind, size, text)
        if len(runs) == 1:
            return runs[0][1].render(runs[0][0], True, color)
        images = [(font.render(part, True, color), font.get_ascent()) for part, font in runs]
        # On the kind's own baseline and as tall as its own lines, so a borrowed glyph never moves a
        # line (a face's ascent also covers accents above capitals, which a borrowed ¥ does not use).
        own = self.get(kind, size)
        baseline = own.get_ascent()
        line = pygame.Surface((sum(img.get_width() for img, _a in images), own.get_height()), pygame.SRCALPHA)
        x = 0
        for image, ascent in images:
            line.blit(image, (x, baseline - ascent))
            x += image.get_width()
        return line


@dataclass(frozen=True, slots=True)
class Theme:
    """Everything a scene needs to lay itself out at one window size with one set of settings."""

    size: tuple[int, int]
    palette: Palette
    unit: float
    text_scale: float
    reduced_motion: bool
    high_contrast: bool

    @classmethod
    def build(cls, size: tuple[int, int], settings: Settings) -> Theme:
        w, h = size
        unit = max(0.5, min(h / 1080, w / 1500))
        return cls(size, HIGH_CONTRAST if settings.high_contrast else DARK, unit, settings.text_scale,
                   settings.reduced_motion, settings.high_contrast)

    # Sizes --------------------------------------------------------------------------
    def px(self, value: float) -> int:
        """A length in pixels for ``value`` at 1080p."""
        return max(1, round(value * self.unit))

    def type(self, value: float, minimum: int = 15) -> int:
        """A type size for ``value`` at 1080p, scaled by the text-size setting, never below ``minimum``."""
        return max(round(minimum * self.text_scale), round(value * self.unit * self.text_scale))

    @property
    def body(self) -> int:
        return self.type(25, 17)

    @property
    def ui(self) -> int:
        return self.type(20, 15)

    @property
    def small(self) -> int:
        return self.type(16, 13)

    @property
    def margin(self) -> int:
        return max(16, round(min(self.size[0] * 0.04, self.size[1] * 0.06)))

    @property
    def key(self) -> tuple[object, ...]:
        """Identifies this theme for layout caches."""
        return (self.size, self.palette, self.unit, self.text_scale)
