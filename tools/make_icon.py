"""Draw the game's icon at the usual sizes: night over the river, the lights of the far bank, a path across.

    python tools/make_icon.py            # writes assets/icons/escape-route-{16..512}.png

The icon is drawn here from shapes (no font, no photograph), so it is the project's
own work under the project's licence (assets/icons/LICENSE.md). It is drawn once at
1024 px and scaled down with smoothing; the smallest sizes are drawn with fewer,
bolder shapes so they stay legible in a taskbar.
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
NIGHT = (18, 26, 44)
NIGHT_LOW = (30, 44, 70)
RIVER = (58, 96, 140)
RIVER_LIGHT = (120, 160, 200)
LIGHT = (250, 200, 110)
PATH = (236, 232, 220)
DARK_BANK = (10, 14, 24)


def draw(size: int, simple: bool) -> pygame.Surface:
    """The icon at ``size`` pixels; ``simple`` drops the fine detail for tiny sizes."""
    s = pygame.Surface((size, size), pygame.SRCALPHA)
    radius = round(size * 0.2)
    body = pygame.Surface((size, size), pygame.SRCALPHA)
    for y in range(size):  # the night sky, darker at the top
        t = y / size
        colour = tuple(round(a + (b - a) * t) for a, b in zip(NIGHT, NIGHT_LOW, strict=True))
        pygame.draw.line(body, colour, (0, y), (size, y))
    river_top, river_bottom = round(size * 0.5), round(size * 0.74)
    pygame.draw.rect(body, RIVER, (0, river_top, size, river_bottom - river_top))
    if not simple:  # a few ripples on the water
        for i in range(4):
            y = river_top + (river_bottom - river_top) * (i + 1) / 5
            points = [(x, y + math.sin(x / size * 18 + i) * size * 0.006) for x in range(0, size + 1, max(1, size // 64))]
            pygame.draw.lines(body, RIVER_LIGHT, False, points, max(1, size // 160))
    pygame.draw.rect(body, DARK_BANK, (0, river_bottom, size, size - river_bottom))  # the near bank, dark
    # The far bank: a low town against the sky, its windows lit (the river runs dark on this side).
    heights = (0.07, 0.11, 0.06, 0.14, 0.09, 0.12, 0.05, 0.1, 0.08, 0.13, 0.06, 0.09)
    blocks = 6 if simple else len(heights)
    block_w = size / blocks
    for i in range(blocks):
        h = size * heights[i % len(heights)] * (1.3 if simple else 1.0)
        rect = pygame.Rect(round(i * block_w), round(river_top - h), round(block_w) + 1, round(h) + 1)
        pygame.draw.rect(body, DARK_BANK, rect)
        if simple:
            if i % 2 == 0:
                r = max(1, round(size * 0.045))
                pygame.draw.rect(body, LIGHT, (rect.centerx - r // 2, rect.y + r, r, r))
            continue
        win = max(1, round(size * 0.016))
        for row in range(int(h // (win * 2.6))):
            for col in range(2):
                if (i * 3 + row * 5 + col) % 4 != 0:  # not every window is lit
                    x = rect.x + round(block_w * (0.25 + 0.4 * col))
                    y = rect.y + round(win * 1.3 + row * win * 2.6)
                    pygame.draw.rect(body, LIGHT, (x, y, win, win))
    # The way across: a path from the near bank, over the water, towards the lights.
    width = max(1, round(size * (0.05 if simple else 0.03)))
    path = [(size * 0.3, size * 0.98), (size * 0.42, size * 0.8), (size * 0.55, size * 0.62), (size * 0.66, size * 0.47)]
    if simple:
        pygame.draw.lines(body, PATH, False, path, width)
    else:  # dashed, like the route on the game's map
        for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
            steps = 6
            for k in range(steps):
                if k % 2 == 0:
                    a, b = k / steps, (k + 1) / steps
                    pygame.draw.line(body, PATH, (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                                     (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b), width)
    mask = pygame.Surface((size, size), pygame.SRCALPHA)
    pygame.draw.rect(mask, (255, 255, 255, 255), (0, 0, size, size), border_radius=radius)
    body.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
    s.blit(body, (0, 0))
    return s


def render(size: int) -> pygame.Surface:
    """Draw large and scale down (smooth edges); tiny sizes use the simple drawing."""
    simple = size <= 32
    big = draw(1024 if not simple else size * 8, simple)
    return pygame.transform.smoothscale(big, (size, size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "assets" / "icons")
    args = parser.parse_args()
    pygame.display.init()
    args.out.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        pygame.image.save(render(size), str(args.out / f"escape-route-{size}.png"))
    print(f"{len(SIZES)} icons in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
