"""The debrief after an ending: the route taken, what it cost, the risks that fell, and the real facts.

Everything here is read from the journey (``GameState.journal`` and ``vars``, or a
past journey kept in the gallery) and the story (ending debrief, facts with their
sources); nothing is decided. Every ending, safe or not, offers the same ways on: go
back to an earlier decision (the dice are rolled again), start anew, or the title.
Arrival is not a victory and the other endings are not failures: every kind is
named with its neutral label and drawn in the same colour.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.engine.engine import RetryPoint
from game.engine.history import LUCK_SENTENCE, SINCE_2010_FACTS, PastJourney, cite, facts_for, road_days
from game.engine.wording import ESTIMATE_NOTE, risk_words
from game.errors import Impossible
from game.l10n import N_, _, language, moment, ngettext, number
from game.story.model import ENDING_KIND_LABELS, also_line
from game.ui import commands as c
from game.ui.scenes.base import Scene
from game.ui.scenes.map import MapCache
from game.ui.widgets.button import Menu, MenuItem
from game.ui.widgets.scroll import Scrolling
from game.ui.widgets.text import Block, blit_block

#: Kept for the classroom's debrief, which imports this name: the neutral labels.
KIND_WORDS = ENDING_KIND_LABELS
__all__ = ["KIND_WORDS", "LUCK_SENTENCE", "SINCE_2010_FACTS", "DebriefScene", "RetryScene", "facts_for"]
#: The three ways on from every ending, in this order (the tests and the terminal say the same).
WAYS_ON = (N_("See another path from an earlier decision"), N_("Start a new journey"), N_("Back to the title screen"))
#: Said wherever the game offers to go back, so that no one reads it as "she should have chosen better"
#: (a refugee reader's review): the game can go back; a life cannot, and careful people were caught too.
NO_GOING_BACK = N_("In life there was no going back, and careful people were caught too.")

DICE_AGAIN = N_("the dice will be rolled again")


def ordered_points(points: tuple[RetryPoint, ...]) -> list[RetryPoint]:
    """The decision before the last risk that fell first, then the others, the latest first."""
    fell = next((p for p in points if p.risk_fell), None)
    return ([fell] if fell else []) + [p for p in points if p is not fell]


def point_words(point: RetryPoint) -> tuple[str, str]:
    """(label, detail) of a retry point in the list."""
    label = (_("Before the risk that fell: “{title}”") if point.risk_fell else _("“{title}”")).format(title=point.title)
    chose = _("She chose: {choice}. ").format(choice=point.choice) if point.choice else ""
    return label, chose + _("Going back, {dice}.").format(dice=_(DICE_AGAIN))


def places_in(journal: list[dict], known: Any) -> list[str]:
    """Location ids of a journal in travel order, without repeats, only those on the map."""
    out: list[str] = []
    for entry in journal:
        loc = entry.get("location")
        if loc and loc in known and loc not in out:
            out.append(loc)
    return out


def summary_line(days: int | None, places: int, miles: tuple[float, float] | None, total: float | None) -> str:
    """"123 days on the road · 9 places · 1,234 of 3,444 miles overland" (no road when she never left)."""
    parts = []
    if days is not None:
        parts.append(ngettext("{days} day on the road", "{days} days on the road", days).format(days=number(days)))
    parts.append(ngettext("{count} place", "{count} places", places).format(count=number(places)))
    if miles is not None and total:
        ground, flown = miles
        way = _("{ground} of {total} miles overland").format(ground=number(min(ground, total)), total=number(total))
        if flown:
            way = _("{way}, then {flown} by air").format(way=way, flown=number(flown))
        parts.append(way)
    return "  ·  ".join(parts)


class DebriefScene(Scrolling, Scene):
    """The debrief of the journey at its ending, or of a ``past`` journey from the gallery.

    A past journey is only read: its menu is "Back" alone.
    """

    name = "ending"

    def __init__(self, app, past: PastJourney | None = None) -> None:  # noqa: ANN001
        super().__init__(app)
        self.past = past
        self.scroll = 0.0
        self.menu = Menu([])
        self.map_cache = MapCache()
        self.map_view: Any = None
        self.points: list[RetryPoint] = []
        self._fade_cache: dict[object, pygame.Surface] = {}

    def enter(self) -> None:
        app = self.app
        story = app.story
        if self.past is not None:
            self.journal, self.vars, self.items = list(self.past.journal), dict(self.past.vars), set(self.past.items)
            self.node_id = self.past.node
        else:
            state = app.state
            assert state is not None
            self.journal, self.vars, self.items, self.node_id = state.journal, state.vars, state.items, state.node
        node = story.nodes.get(self.node_id)
        self.ending = node.ending if node is not None else None
        route = app.route
        known = route.locations if route is not None else {}
        self.visited = places_in(self.journal, known)
        self.current = self.visited[-1] if self.visited else None
        if route is not None and app.story.map_path is not None:
            from game.ui.app import terrain_path
            from game.ui.map_view import MapView

            start = story.nodes[story.start].location if story.start in story.nodes else None
            self.map_view = MapView(route, terrain_path(route), frame=self.visited, start=start,
                                    names=story.places, notes=story.place_notes)
            self.miles = self.map_view.miles_so_far(self.visited)
            self.total = self.map_view.total_miles
        else:
            self.miles, self.total = None, None
        self.road = road_days(self.journal, {k: v.country for k, v in known.items()}) if known else None
        if not known and self.journal:  # no map: every day is on the road
            self.road = round(float(self.vars.get("days", 0)))
        if self.past is not None:
            when = moment(self.past.finished_at)
            self.menu = Menu([MenuItem(_("Back"), self.app.pop, _("A journey that ended on {when}").format(when=when))],
                             numbered=True)
        else:
            self.points = ordered_points(app.engine.retry_points(app.state, differing=True))
            if self.points:
                first = _("the one before the risk that fell, first") if self.points[0].risk_fell \
                    else _("the latest first")
                count = ngettext("{count} decision that can still lead elsewhere",
                                 "{count} decisions that can still lead elsewhere", len(self.points))
                detail = _("{count}, {first}; {dice}. {no_going_back}").format(
                    count=count.format(count=len(self.points)), first=first, dice=_(DICE_AGAIN),
                    no_going_back=_(NO_GOING_BACK))
                back = MenuItem(_(WAYS_ON[0]), self.choose_point, detail)
            else:
                back = MenuItem(_(WAYS_ON[0]), None, _("No earlier decision can lead anywhere else."), enabled=False)
            self.menu = Menu([back, MenuItem(_(WAYS_ON[1]), self.new_journey), MenuItem(_(WAYS_ON[2]), self.to_title)],
                             numbered=True)
        self.relayout()

    def choose_point(self) -> None:
        self.app.push(RetryScene(self.app, self.points))

    def new_journey(self) -> None:
        if self.app.quit_at_end and self.ending is not None:
            self.app.finish(self.ending)
            return
        from game.ui.scenes.title import ContentNoteScene
        self.app.stack.replace_all(ContentNoteScene(self.app))

    def to_title(self) -> None:
        if self.app.quit_at_end and self.ending is not None:
            self.app.finish(self.ending)
            return
        self.app.to_title()

    # ------------------------------------------------------------------ layout
    def relayout(self) -> None:
        theme, text, app = self.theme, self.app.text, self.app
        p = theme.palette
        w, h = theme.size
        m = theme.margin
        story = app.story
        has_map = self.map_view is not None and w >= 1.2 * h
        if has_map:
            self.map_rect = pygame.Rect(0, 0, round(w * 0.42), h)
            col_x = self.map_rect.right + theme.px(40)
        else:
            self.map_rect = None
            col_x = m
        col = min(w - col_x - m, theme.px(900))
        serif = text.fonts.get("serif", theme.body)
        col = min(col, round(serif.size("x" * 10)[0] / 10 * 74))
        self.col_x = col_x
        # Buttons at the bottom, fixed.
        menu_w = col
        probe = Menu(self.menu.items)
        menu_h = probe.layout(theme, text, 0, 0, menu_w, gap=8)
        self.menu.layout(theme, text, col_x, h - m - menu_h, menu_w, gap=8)
        # Under the text, above the buttons: a line of its own for "Scroll for more" (it once sat over
        # the last line of text and the first button).
        self.hint = text.line(_("Scroll for more  ·  wheel or Page Down"), "sans", theme.small, p.faint)
        hint_h = self.hint.get_height() + theme.px(8)
        self.view_rect = pygame.Rect(col_x - theme.px(10), m, col + theme.px(20),
                                     h - 2 * m - menu_h - theme.px(24) - hint_h)
        placed: list[tuple[Block, int, int]] = []
        rules: list[int] = []
        cards: list[tuple[int, int]] = []
        y = 0
        pad = theme.px(16)

        def add(block: Block, gap: float = 0.6, indent: int = 0) -> None:
            nonlocal y
            placed.append((block, col_x + indent, y))
            y += block.height + round(theme.body * gap)

        def section(title: str) -> None:
            nonlocal y
            y += theme.px(18)
            rules.append(y)
            y += theme.px(16)
            add(text.block(title.upper(), "sans-bold", theme.small, col, p.accent, 1.3), 0.5)

        ending = self.ending
        kind = ENDING_KIND_LABELS.get(ending.kind, ending.kind.title()) if ending else ""
        # One colour for every kind: the heading names what happened, it does not judge it.
        add(text.block(_("THE END") + "  ·  " + kind.upper(), "sans-bold", theme.small, col, p.accent, 1.3), 0.3)
        add(text.block(ending.title if ending else "", "serif-bold", round(theme.body * 1.7), col, p.strong, 1.2), 0.5)
        add(text.block(summary_line(self.road, len(self.visited), self.miles, self.total), "sans", theme.ui, col,
                       p.muted, 1.35), 0.5)
        add(text.block(_(LUCK_SENTENCE), "serif-italic", theme.body, col, p.text, 1.5), 0.4)
        if ending and ending.debrief:
            section(_("What followed, in reality"))
            for para in ending.debrief.split("\n\n"):
                if para.strip():
                    add(text.block(" ".join(para.split()), "serif", theme.body, col, p.text, 1.55), 0.7)
        # What it cost: start → end.
        section(_("What it cost"))
        label_w = round(col * 0.4)
        num_w = (col - label_w) // 2
        row_y = y
        for head, x0 in ((_("At the start"), label_w), (_("At the end"), label_w + num_w)):
            img = text.block(head, "sans", theme.small, num_w, p.muted, 1.3, align="right")
            placed.append((img, col_x + x0 - theme.px(8), row_y))
        y += text.block(_("At the start"), "sans", theme.small, num_w, p.muted, 1.3).height + theme.px(6)
        for name, resource in story.resources.items():
            start, end = resource.start, self.vars.get(name, resource.start)
            row_y = y
            label = resource.label
            if name == "days" and self.road is not None and round(end) != self.road:
                label = _("{label} (the years after arrival too)").format(label=label)  # the road alone: the summary
            add(text.block(label, "sans", theme.ui, label_w, p.text, 1.45), 0.05)
            placed.append((text.block(resource.format(start), "sans", theme.ui, num_w, p.muted, 1.45, "right"),
                           col_x + label_w - theme.px(8), row_y))
            placed.append((text.block(resource.format(end), "sans-bold", theme.ui, num_w, p.strong, 1.45, "right"),
                           col_x + label_w + num_w - theme.px(8), row_y))
        if self.items:
            carried = ", ".join(story.items[i].label for i in sorted(self.items) if i in story.items)
            add(text.block(_("Carrying at the end: {items}").format(items=carried), "sans", theme.small, col, p.muted, 1.4), 0.3)
        if self.total:
            add(text.block(_("The way from the map: {miles} miles overland.").format(miles=number(self.total)) + " "
                           + distance_note(),
                           "sans", theme.small, col, p.muted, 1.45), 0.3)
        # The decisive moments and the risks.
        moments = []
        for entry in self.journal:
            roll = entry.get("roll")
            node = story.nodes.get(str(entry.get("node", "")))
            decisive = node is not None and "decisive" in node.tags
            if entry.get("choice") and (isinstance(roll, dict) or decisive):
                moments.append(entry)
        if moments:
            section(_("The decisive moments"))
            if any(isinstance(e.get("roll"), dict) for e in moments):
                add(text.block(_(ESTIMATE_NOTE), "sans", theme.small, col, p.muted, 1.4), 0.6)
            for entry in moments:
                place = app.place(str(entry.get("location", "")))[0] if entry.get("location") else ""
                day = entry.get("day", 0)
                day_text = _("Day {day}").format(day=number(day)) if isinstance(day, (int, float)) else ""
                meta = " · ".join(x for x in (day_text, place, str(entry.get("title", ""))) if x)
                add(text.block(meta, "sans", theme.small, col, p.muted, 1.3), 0.1)
                add(text.block(str(entry["choice"]), "sans", theme.ui, col, p.text, 1.4), 0.1)
                roll = entry.get("roll")
                if isinstance(roll, dict):
                    fell = bool(roll.get("failed"))
                    words = risk_words(float(roll.get("chance", 0)), str(roll.get("label", "")), fell)
                    add(text.block(words, "sans-bold" if fell else "sans", theme.small, col,
                                   p.strong if fell else p.muted, 1.3), 0.6)
                else:
                    y += round(theme.body * 0.4)

        def fact_block(fid: str, width: int, indent: int = 0) -> None:
            fact = story.facts[fid]
            add(text.block(" ".join(fact.text.split()), "serif", theme.body, width, p.text, 1.5), 0.15, indent)
            source = cite(fact)
            add(text.block(source, "sans", theme.small, width, p.muted, 1.35), 0.05, indent)
            also = fact.also_in(language())
            if fact.source:
                add(text.block(fact.source, "sans", theme.small, width, p.faint, 1.35), 0.05 if also else 0.8, indent)
            if also:  # a source in the language spoken (a Korean report), under the main one
                add(text.block(also_line(fact, language()), "sans", theme.small, width, p.muted, 1.35), 0.05, indent)
                for n, further in enumerate(also, 1):
                    add(text.block(further.source, "sans", theme.small, width, p.faint, 1.35),
                        0.8 if n == len(also) else 0.05, indent)

        fact_ids = [f for f in facts_for(story, self.journal, self.node_id) if f not in SINCE_2010_FACTS]
        if fact_ids:
            section(_("The facts behind this journey"))
            for fid in fact_ids:
                fact_block(fid, col)
        since = [f for f in SINCE_2010_FACTS if f in story.facts]
        if since:
            y += theme.px(28)
            top = y
            y += pad
            add(text.block(_("WHAT HAS CHANGED SINCE 2010"), "sans-bold", theme.small, col - 2 * pad, p.accent, 1.3),
                0.3, pad)
            add(text.block(_("This story is set in 2010. Escape is harder, dearer and rarer now."), "serif-italic",
                           theme.body, col - 2 * pad, p.text, 1.5), 0.6, pad)
            for fid in since:
                fact_block(fid, col - 2 * pad, pad)
            cards.append((top, y))
        if story.debrief_questions:
            section(_("To think about"))
            for q in story.debrief_questions:
                add(text.block("—  " + q, "serif-italic", theme.body, col, p.text, 1.5), 0.4)
        self.placed, self.rules, self.cards, self.height, self.col_w = placed, rules, cards, y, col
        self.clamp_scroll()

    def handle(self, cmd: c.Command) -> c.Command | None:
        if self.scroll_with(cmd, round(self.theme.body * 1.5)):
            return None
        if isinstance(cmd, c.Back):
            self.app.pop()  # back to the ending's page (or the gallery)
        elif isinstance(cmd, c.OpenJournal):
            from game.ui.scenes.journal import JournalScene
            self.app.push(JournalScene(self.app))
        elif isinstance(cmd, c.OpenSaves) and cmd.mode == "load":  # F9 works on every screen of a journey
            from game.ui.scenes.saves import SavesScene
            self.app.push(SavesScene(self.app, "load"))
        else:
            self.menu.handle(cmd)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        if self.map_rect is not None and self.map_view is not None:
            self.map_cache.draw(self.map_view, surface, self.map_rect, self.visited, self.current, None)
        clip = surface.get_clip()
        surface.set_clip(self.view_rect)
        top = self.view_rect.y
        scroll = round(self.scroll)
        for y0, y1 in self.cards:
            card = pygame.Rect(self.col_x, top + y0 - scroll, self.col_w, y1 - y0)
            pygame.draw.rect(surface, p.panel, card, border_radius=theme.px(6))
        surface.set_clip(clip)
        self.blit_visible(surface, self.placed)
        surface.set_clip(self.view_rect)
        for y in self.rules:
            sy = top + y - scroll
            pygame.draw.line(surface, p.rule, (self.col_x, sy), (self.col_x + self.col_w, sy))
        surface.set_clip(clip)
        if self.max_scroll > 0 and self.scroll < self.max_scroll:
            fade = self._fade_cache.get((self.view_rect.size, p.bg))
            if fade is None:
                from game.ui.scenes.story import _gradient
                fade = _gradient(self.view_rect.w, theme.px(48), p.bg, down=False)
                self._fade_cache = {(self.view_rect.size, p.bg): fade}
            surface.blit(fade, (self.view_rect.x, self.view_rect.bottom - fade.get_height()))
        if self.max_scroll > 0 and self.scroll < self.max_scroll:  # gone once the end is reached
            surface.blit(self.hint, (self.col_x + self.col_w - self.hint.get_width(), self.view_rect.bottom + theme.px(4)))
        self.menu.draw(surface, theme, self.app.text)


def distance_note() -> str:
    from game.ui.map_view import DISTANCE_NOTE
    return _(DISTANCE_NOTE)


class RetryScene(Scene):
    """The decisions she can go back to from an ending; choosing one rolls the engine back there.

    Over the debrief, which still shows beneath. Esc goes back to the debrief.
    """

    name = "retry"
    transparent = True

    def __init__(self, app, points: list[RetryPoint]) -> None:  # noqa: ANN001
        super().__init__(app)
        self.points = points
        self.menu = Menu([])
        self.offset = 0  # the first decision shown
        self.shown = 0
        self._shade: pygame.Surface | None = None

    def enter(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        theme, text = self.theme, self.app.text
        p = theme.palette
        w, h = theme.size
        width = min(w - 2 * theme.margin, theme.px(760))
        self.box = pygame.Rect(0, 0, width + 2 * theme.px(28), h - 2 * theme.margin)
        self.box.center = (w // 2, h // 2)
        x = self.box.x + theme.px(28)
        y = self.box.y + theme.px(24)
        self.head = text.block(_(WAYS_ON[0]), "serif-bold", round(theme.body * 1.4), width, p.strong, 1.2)
        self.head_pos = (x, y)
        y += self.head.height + theme.px(8)
        sub = _("Going back undoes what followed, and {dice}: the same choice can end differently.").format(
            dice=_(DICE_AGAIN)) + " " + _(NO_GOING_BACK)
        self.sub = text.block(sub, "sans", theme.small, width, p.muted, 1.4)
        self.sub_pos = (x, y)
        y += self.sub.height + theme.px(18)
        # A window of as many decisions as fit, the one before the last risk that fell first;
        # the arrows move it over the rest (1-9 choose among those shown).
        from game.ui.widgets.button import button_height

        self.list_top, self.list_w, self.list_x = y, width, x
        limit = self.box.bottom - theme.px(24) - round(theme.small * 1.6)
        items: list[MenuItem] = []
        bottom = y
        for point in self.points[self.offset:self.offset + 9]:
            label, detail = point_words(point)
            item = MenuItem(label, lambda d=point.depth, t=point.title: self.go_back(d, t), detail)
            need = button_height(theme, text, item, width) + theme.px(8)
            if bottom + need > limit and items:
                break
            items.append(item)
            bottom += need
        self.shown = len(items)
        self.menu = Menu(items, numbered=True)
        self.menu.layout(theme, text, x, y, width, gap=8)
        first, last = self.offset + 1, self.offset + len(items)
        where = (_("Decisions {first}–{last} of {count}  ·  Up/Down for the others  ·  Esc: back").format(
            first=first, last=last, count=len(self.points)) if len(items) < len(self.points)
            else _("Esc: back to the debrief"))
        self.more_block = text.block(where, "sans", theme.small, width, p.faint, 1.3)
        self.more_pos = (x, bottom + theme.px(4))
        self.box.h = self.more_pos[1] + self.more_block.height + theme.px(24) - self.box.y  # as tall as it needs

    def go_back(self, depth: int, title: str) -> None:
        app = self.app
        try:
            app.engine.rollback(app.state, depth)
        except Impossible as exc:
            app.notify(_("Cannot go back there: {reason}.").format(reason=exc))
            return
        app.autosave()
        from game.ui.scenes.story import StoryScene
        app.stack.replace_all(StoryScene(app))
        app.notify(_("Back at “{title}”. Whatever you choose, {dice}.").format(title=title, dice=_(DICE_AGAIN)))

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Back):
            self.app.pop()
        elif isinstance(cmd, c.Move) and cmd.dy and self.shown:
            at = self.offset + self.menu.focus + cmd.dy
            if 0 <= at < len(self.points):
                if at < self.offset:
                    self.offset = at
                    self.relayout()
                elif at >= self.offset + self.shown:
                    self.offset = at - self.shown + 1
                    self.relayout()
                self.menu.focus = max(0, min(at - self.offset, len(self.menu.items) - 1))
        elif isinstance(cmd, c.Scroll) and cmd.pages:
            self.offset = max(0, min(self.offset + cmd.pages * max(1, self.shown), len(self.points) - 1))
            self.menu.focus = 0
            self.relayout()
        else:
            self.menu.handle(cmd)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)  # a memo, not state
            self._shade.fill(p.shade)
        surface.blit(self._shade, (0, 0))
        pygame.draw.rect(surface, p.panel, self.box, border_radius=theme.px(8))
        pygame.draw.rect(surface, p.rule, self.box, 1, border_radius=theme.px(8))
        blit_block(surface, self.head, *self.head_pos)
        blit_block(surface, self.sub, *self.sub_pos)
        self.menu.draw(surface, theme, self.app.text)
        blit_block(surface, self.more_block, *self.more_pos)
