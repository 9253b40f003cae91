"""The status bar over the story: where she is, and every resource, with change markers.

After a choice each changed resource gets a marker ("−¥150", "+1") coloured by
whether the change is good for her (the resource's ``better``). Markers rise and
fade over a couple of seconds; with reduced motion they stand still and simply
disappear. Marker ages advance only in ``update`` (the fixed timestep).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.story.model import Story
from game.ui.theme import Theme
from game.ui.widgets.text import TextCache

MARKER_LIFE = 2.6


@dataclass
class Marker:
    name: str
    text: str
    good: bool | None
    age: float = 0.0


class Hud:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.markers: list[Marker] = []
        self.chip_rects: dict[str, pygame.Rect] = {}
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.values: dict[str, float] = {}
        self.chips_left = 0

    def changes(self, deltas: dict[str, float]) -> None:
        """Show markers for ``deltas`` (resource name → change) from an Outcome."""
        self.markers = []
        for name, delta in deltas.items():
            resource = self.story.resources.get(name)
            if resource is None or not delta:
                continue
            good = (delta < 0) if resource.better == "lower" else (delta > 0)
            text = resource.format(delta, signed=True) if resource.is_currency else \
                ("+" if delta > 0 else "−") + f"{abs(round(delta)):,}"
            self.markers.append(Marker(name, text, good))

    def update(self, dt: float) -> None:
        if self.markers:
            for m in self.markers:
                m.age += dt
            self.markers = [m for m in self.markers if m.age < MARKER_LIFE]

    @staticmethod
    def height(theme: Theme) -> int:
        return theme.px(18) * 2 + round(theme.small * 1.3) + round(theme.ui * 1.3) + theme.px(8)

    def value_text(self, name: str, value: float) -> str:
        resource = self.story.resources[name]
        return resource.format(value) if resource.is_currency else f"{round(value):,}"

    def arrange(self, rect: pygame.Rect, theme: Theme, text: TextCache, values: dict[str, float]) -> None:
        """Place the chips for these values (after a choice, a load or a resize); draw only reads this."""
        self.rect = rect
        self.values = dict(values)
        top = rect.y + theme.px(18)
        x = rect.right - theme.margin
        gap = theme.px(30)
        self.chip_rects = {}
        for name in reversed(list(self.story.resources)):
            resource = self.story.resources[name]
            label = text.line(resource.label.upper(), "sans", theme.small, theme.palette.muted)
            val = text.line(self.value_text(name, values.get(name, 0)), "sans-bold", theme.ui, theme.palette.strong)
            w = max(label.get_width(), val.get_width(), theme.px(56) if resource.max is not None else 0)
            chip = pygame.Rect(x - w, top, w, rect.bottom - top - theme.px(12))
            self.chip_rects[name] = chip
            x = chip.x - gap
        self.chips_left = x + gap

    def draw(self, surface: pygame.Surface, theme: Theme, text: TextCache,
             place: str, place_ko: str, chapter: str) -> None:
        rect = self.rect
        p = theme.palette
        pygame.draw.rect(surface, p.bg, rect)
        pygame.draw.line(surface, p.rule, (rect.x, rect.bottom - 1), (rect.right, rect.bottom - 1))
        active = {m.name: m for m in self.markers}
        top = rect.y + theme.px(18)
        for name, chip in self.chip_rects.items():
            resource = self.story.resources[name]
            value = self.values.get(name, 0)
            marker = active.get(name)
            colour = p.strong
            if marker is not None and marker.age < 1.4:
                colour = p.good if marker.good else p.bad if marker.good is False else p.strong
            label = text.line(resource.label.upper(), "sans", theme.small, p.muted)
            val = text.line(self.value_text(name, value), "sans-bold", theme.ui, colour)
            surface.blit(label, (chip.right - label.get_width(), top))
            vy = top + round(theme.small * 1.3)
            surface.blit(val, (chip.right - val.get_width(), vy))
            if resource.max is not None and resource.min is not None and resource.max > resource.min:
                frac = max(0.0, min(1.0, (value - resource.min) / (resource.max - resource.min)))
                bar = pygame.Rect(chip.x, vy + val.get_height() + theme.px(5), chip.w, max(2, theme.px(3)))
                pygame.draw.rect(surface, p.rule, bar)
                fill = pygame.Rect(bar.x, bar.y, round(bar.w * frac), bar.h)
                warn = (frac < 0.3) if resource.better != "lower" else (frac > 0.6)
                pygame.draw.rect(surface, p.bad if warn else p.muted, fill)
        # Place and chapter on the left, clipped so big text never runs under the chips.
        pad_x = theme.margin
        clip = surface.get_clip()
        room = pygame.Rect(rect.x, rect.y, max(0, self.chips_left - theme.px(30) - rect.x), rect.h)
        surface.set_clip(room.clip(clip))
        if chapter:
            surface.blit(text.line(chapter.upper(), "sans", theme.small, p.accent), (rect.x + pad_x, top))
        name_img = text.line(place, "serif-bold", theme.ui, p.strong)
        ny = top + round(theme.small * 1.3)
        surface.blit(name_img, (rect.x + pad_x, ny))
        if place_ko:
            ko = text.line(place_ko, "ko", theme.small, p.muted)
            surface.blit(ko, (rect.x + pad_x + name_img.get_width() + theme.px(10),
                              ny + name_img.get_height() - ko.get_height() - theme.px(3)))
        surface.set_clip(clip)

    def draw_markers(self, surface: pygame.Surface, theme: Theme, text: TextCache) -> None:
        p = theme.palette
        for m in self.markers:
            chip = self.chip_rects.get(m.name)
            if chip is None:
                continue
            colour = p.good if m.good else p.bad if m.good is False else p.muted
            img = text.line(m.text, "sans-bold", theme.ui, colour)
            t = m.age / MARKER_LIFE
            rise = 0 if theme.reduced_motion else round(theme.px(22) * min(1.0, t * 1.6))
            x = chip.right - img.get_width()
            y = chip.bottom + theme.px(14) - rise
            alpha = 255 if theme.reduced_motion or t < 0.6 else round(255 * (1 - (t - 0.6) / 0.4))
            img.set_alpha(alpha)
            surface.blit(img, (x, y))
            img.set_alpha(None)
