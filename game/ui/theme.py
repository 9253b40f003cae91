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


class Fonts:
    """Font objects by (file, pixel size); opening a TTF is slow, so each is opened once.

    Keyed by the file rather than the kind, so that Korean (its own faces) and English
    never share a font object when the language changes.
    """

    def __init__(self) -> None:
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}

    def get(self, kind: str, size: int) -> pygame.font.Font:
        file = font_file(kind)
        key = (file, size)
        font = self._fonts.get(key)
        if font is None:
            path = font_dir() / file
            font = pygame.font.Font(str(path) if path.is_file() else None, size)
            self._fonts[key] = font
        return font


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
