"""Sizes for a projector: large type, a safe area, nothing small near the edges.

A class reads the screen from up to ten metres away, on a projector that often
crops or blurs the edges. So the facilitator scenes size their type from the
window height alone (body text is 1/21 of it: 34 px at 720p, 51 px at 1080p;
the smallest text, the key hints, 1/34: 21 px at 720p), and keep everything inside
a safe area inset 6% from the sides and 6% from the top and bottom. Colours come
from the high-contrast palette (the facilitator mode turns it on for the session
without changing the player's saved settings).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame


@dataclass(frozen=True, slots=True)
class Projector:
    width: int
    height: int

    @classmethod
    def of(cls, surface_size: tuple[int, int]) -> Projector:
        return cls(max(320, surface_size[0]), max(240, surface_size[1]))

    @property
    def base(self) -> float:
        # Type follows the height, but a very wide, short window must not make lines overflow.
        return min(self.height, self.width * 9 / 16)

    @property
    def body(self) -> int:
        return round(self.base / 21)

    @property
    def title(self) -> int:
        return round(self.base / 13)

    @property
    def huge(self) -> int:
        return round(self.base / 5)

    @property
    def ui(self) -> int:
        return round(self.base / 25)

    @property
    def small(self) -> int:
        return max(16, round(self.base / 34))

    @property
    def safe(self) -> pygame.Rect:
        """The area that holds every word and mark the class must read."""
        mx, my = round(self.width * 0.06), round(self.height * 0.06)
        return pygame.Rect(mx, my, self.width - 2 * mx, self.height - 2 * my)

    def px(self, value: float) -> int:
        """``value`` pixels at 720p, scaled to this height."""
        return max(1, round(value * self.height / 720))
