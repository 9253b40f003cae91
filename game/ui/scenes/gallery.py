"""The endings this player has reached, and past journeys with their routes drawn small.

Opened from the title screen. Endings not reached yet keep their titles hidden (only
the count says how many there are): the gallery invites another journey without
spoiling what it holds. Every reached ending and every past journey reopens its
debrief. Read from :mod:`game.engine.history`; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.engine.history import PastJourney, endings_reached, load_history, road_days
from game.l10n import N_, _, moment, ngettext, number
from game.story.model import ENDING_KIND_LABELS, Story
from game.ui import commands as c
from game.ui.scenes.base import Scene
from game.ui.widgets.text import blit_block

HIDDEN = N_("— not yet reached —")


def story_endings(story: Story) -> list[tuple[str, str, str]]:
    """(id, kind, title) of every ending, in story order, each once."""
    seen: dict[str, tuple[str, str, str]] = {}
    for node in story.nodes.values():
        if node.ending is not None and node.ending.id not in seen:
            seen[node.ending.id] = (node.ending.id, node.ending.kind, node.ending.title)
    return list(seen.values())


def count_line(reached: int, total: int) -> str:
    return _("{reached} of {total} endings reached").format(reached=number(reached), total=number(total))


@dataclass
class _Row:
    """One line or card that can be chosen (``journey`` None: an ending not reached, shown but not chosen)."""

    rect: pygame.Rect
    journey: PastJourney | None


class GalleryScene(Scene):
    name = "gallery"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.journeys: list[PastJourney] = []
        self.notice = ""
        self.rows: list[_Row] = []
        self.focus = 0

    def enter(self) -> None:
        self.journeys, self.notice = load_history()
        if self.notice:
            self.app.notify(self.notice)
        self.relayout()

    def open(self, journey: PastJourney) -> None:
        from game.ui.scenes.ending import DebriefScene
        self.app.push(DebriefScene(self.app, past=journey))

    # ------------------------------------------------------------------ layout
    def relayout(self) -> None:
        from game.ui.map_view import draw_route_small

        theme, text, app = self.theme, self.app.text, self.app
        p = theme.palette
        w, h = theme.size
        m = theme.margin
        gap = theme.px(48)
        left_w = min(round((w - 2 * m - gap) * 0.48), theme.px(620))
        right_x = m + left_w + gap
        right_w = w - m - right_x
        self.placed: list[tuple[object, int, int]] = []
        self.rows = []
        self.cards: list[tuple[pygame.Rect, PastJourney, list]] = []
        endings = story_endings(app.story)
        reached = endings_reached(self.journeys)
        y = m
        head = text.block(_("Endings and past journeys"), "serif-bold", round(theme.body * 1.5), w - 2 * m, p.strong, 1.2)
        self.placed.append((head, m, y))
        y += head.height + theme.px(6)
        sub = text.block(count_line(len([e for e in endings if e[0] in reached]), len(endings))
                         + _(". Each one reopens its debrief. None of them is a score."), "sans", theme.ui,
                         w - 2 * m, p.muted, 1.35)
        self.placed.append((sub, m, y))
        y += sub.height + theme.px(22)
        top = y
        # Left: every ending, reached or hidden.
        label = text.block(_("ENDINGS"), "sans-bold", theme.small, left_w, p.accent, 1.3)
        self.placed.append((label, m, y))
        y += label.height + theme.px(8)
        foot_h = theme.small * 2 + theme.px(16)
        row_h = max(round(theme.small * 1.55), (h - y - m - foot_h) // max(1, len(endings)))
        row_h = min(row_h, round(theme.ui * 1.9))
        kind_w = round(left_w * 0.36)
        for eid, kind, title in endings:
            past = reached.get(eid)
            name = title if past else _(HIDDEN)
            colour = p.text if past else p.faint
            line = text.block(name, "sans", theme.small, left_w - kind_w - theme.px(12), colour, 1.2)
            rect = pygame.Rect(m - theme.px(8), y, left_w + theme.px(16), row_h)
            self.placed.append((line, m, y + (row_h - line.height) // 2))
            if past:
                kind_img = text.block(ENDING_KIND_LABELS.get(kind, kind), "sans", theme.small, kind_w, p.muted, 1.2,
                                      align="right")
                self.placed.append((kind_img, m + left_w - kind_w, y + (row_h - kind_img.height) // 2))
                self.rows.append(_Row(rect, past))
            y += row_h
        # Right: past journeys, the latest first, as many cards as fit.
        y = top
        label = text.block(_("PAST JOURNEYS"), "sans-bold", theme.small, right_w, p.accent, 1.3)
        self.placed.append((label, right_x, y))
        y += label.height + theme.px(8)
        card_h = theme.px(96)
        thumb_w = round(card_h * 0.8)
        shown = 0
        latest = list(reversed(self.journeys))
        if not latest:
            empty = text.block(_("No journey has ended yet. When one does, it is kept here, with its route and "
                                 "its debrief."), "serif-italic", theme.body, right_w, p.muted, 1.5)
            self.placed.append((empty, right_x, y))
        for journey in latest:
            if y + card_h > h - m - foot_h:
                break
            rect = pygame.Rect(right_x, y, right_w, card_h)
            tx = rect.x + thumb_w + theme.px(16)
            tw = rect.right - tx - theme.px(12)
            when = moment(journey.finished_at)
            route = app.route
            days = road_days(list(journey.journal), {k: v.country for k, v in route.locations.items()}) \
                if route is not None else None
            facts = [ENDING_KIND_LABELS.get(journey.kind, journey.kind), when]
            if days is not None:
                facts.insert(1, ngettext("{days} day on the road", "{days} days on the road", days).format(
                    days=number(days)))
            title = text.block(journey.title, "serif-bold", theme.ui, tw, p.strong, 1.25)
            meta = text.block("  ·  ".join(facts), "sans", theme.small, tw, p.muted, 1.3)
            blocks = [(title, tx, rect.y + theme.px(14)), (meta, tx, rect.y + theme.px(18) + title.height)]
            # The small route is drawn once here (a memo), not every frame.
            thumb = pygame.Surface((thumb_w, card_h - theme.px(12)), pygame.SRCALPHA)
            if route is not None:
                draw_route_small(thumb, thumb.get_rect(), route, journey.places(), p.faint, p.accent, p.strong,
                                 zoom=True)
            blocks.insert(0, (thumb, rect.x + theme.px(8), rect.y + theme.px(6)))
            self.cards.append((rect, journey, blocks))
            self.rows.append(_Row(rect, journey))
            y += card_h + theme.px(10)
            shown += 1
        self.more = len(latest) - shown
        foot = _("Enter or click: open its debrief  ·  Esc: back to the title")
        if self.more:
            foot = ngettext("and {count} earlier journey not shown", "and {count} earlier journeys not shown",
                            self.more).format(count=number(self.more)) + "  ·  " + foot
        if self.notice:
            foot = self.notice
        self.foot = text.block(foot, "sans", theme.small, w - 2 * m, p.muted, 1.35)
        self.foot_pos = (m, h - m - self.foot.height)
        self.thumb_w = thumb_w
        self.focus = min(self.focus, max(0, len(self.rows) - 1))

    # ------------------------------------------------------------------ input
    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Back):
            self.app.pop()
        elif isinstance(cmd, c.Move) and cmd.dy and self.rows:
            self.focus = (self.focus + cmd.dy) % len(self.rows)
        elif isinstance(cmd, c.Confirm) and self.rows:
            self.open(self.rows[self.focus].journey)
        elif isinstance(cmd, c.Hover):
            for i, row in enumerate(self.rows):
                if row.rect.collidepoint(cmd.pos):
                    self.focus = i
        elif isinstance(cmd, c.Click):
            for row in self.rows:
                if row.rect.collidepoint(cmd.pos):
                    self.open(row.journey)
                    break
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme, p = self.theme, self.theme.palette
        if self.rows:
            pygame.draw.rect(surface, p.panel_hi, self.rows[self.focus].rect, border_radius=theme.px(4))
        for rect, _journey, blocks in self.cards:
            if self.rows[self.focus].rect != rect:
                pygame.draw.rect(surface, p.panel, rect, border_radius=theme.px(6))
            for block, x, y in blocks:
                if isinstance(block, pygame.Surface):
                    surface.blit(block, (x, y))
                else:
                    blit_block(surface, block, x, y)
        for block, x, y in self.placed:
            blit_block(surface, block, x, y)
        blit_block(surface, self.foot, *self.foot_pos)
