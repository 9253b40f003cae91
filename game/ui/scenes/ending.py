"""The debrief after an ending: the route taken, what it cost, the risks that fell, and the real facts.

Everything here is read from the journey (``GameState.journal`` and ``vars``) and
the story (ending debrief, facts with their sources); nothing is decided. A journey
that did not end in safety can be tried again from before the last risk that fell,
by rolling the engine back, or started anew.
"""

from __future__ import annotations

import pygame

from game.errors import Impossible
from game.story.model import Story
from game.ui import commands as c
from game.ui.scenes.base import Scene
from game.ui.scenes.map import MapCache, journey_places
from game.ui.widgets.button import Menu, MenuItem
from game.ui.widgets.scroll import Scrolling
from game.ui.widgets.text import Block

KIND_WORDS = {"safe": "She reached safety", "caught": "Caught", "lost": "Lost", "stayed": "She stayed",
              "trapped": "Trapped", "returned": "Sent back"}


def facts_for(story: Story, journal: list[dict], ending_node: str) -> list[str]:
    """Fact ids behind this journey: the ending's first, then each visited node's, without repeats."""
    ids: list[str] = []
    nodes = [ending_node] + [str(e.get("node", "")) for e in journal]
    for node_id in nodes:
        node = story.nodes.get(node_id)
        if node is None:
            continue
        for fact in node.facts:
            if fact in story.facts and fact not in ids:
                ids.append(fact)
    return ids


def retry_point(journal: list[dict]) -> int | None:
    """Index of the journal entry whose choice last triggered a risk that fell (None: no risk fell)."""
    for i in range(len(journal) - 1, -1, -1):
        roll = journal[i].get("roll")
        if isinstance(roll, dict) and roll.get("failed"):
            return i
    return None


class DebriefScene(Scrolling, Scene):
    name = "ending"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.scroll = 0.0
        self.menu = Menu([])
        self.map_cache = MapCache()
        self._fade_cache: dict[object, pygame.Surface] = {}

    def enter(self) -> None:
        app = self.app
        state = app.state
        assert state is not None
        self.view = app.engine.view(state)
        self.ending = self.view.ending
        self.visited, self.current, _ = journey_places(app)
        items = []
        if self.ending is not None and self.ending.kind != "safe":
            label, detail, enabled = self._retry_words()
            items.append(MenuItem(label, self.try_again, detail, enabled=enabled))
        items.append(MenuItem("Start a new journey", self.new_journey))
        items.append(MenuItem("Back to the title screen", self.to_title))
        self.menu = Menu(items, numbered=True)
        self.relayout()

    def _retry_words(self) -> tuple[str, str, bool]:
        state = self.app.state
        point = retry_point(state.journal)
        if point is None:
            target = max(0, len(state.journal) - 2)
            what = "Go back to the last choice"
        else:
            target = point
            title = state.journal[point].get("title") or "that moment"
            what = f"Try again from before “{title}”"
        steps = len(state.journal) - 1 - target
        blocked = self._blocked(steps)
        if steps <= 0 or blocked:
            return what, blocked or "There is no earlier point to go back to.", False
        undo = "Undo the last choice" if steps == 1 else f"Undo the last {steps} choices"
        return what, f"{undo}. The dice are not rolled again: choose differently.", True

    def _blocked(self, steps: int) -> str:
        """Why rolling back ``steps`` choices is not allowed ('' when it is)."""
        state = self.app.state
        story = self.app.story
        for snap in state.undo[-steps:] if steps > 0 else []:
            node = story.nodes.get(snap["node"])
            if node is not None and not node.rollback:
                return f"The choice at “{node.title or node.id}” cannot be undone."
        if steps > len(state.undo):
            return "That point is before the journey was loaded or started; start a new journey."
        return ""

    def try_again(self) -> None:
        app = self.app
        state = app.state
        point = retry_point(state.journal)
        target = point if point is not None else max(0, len(state.journal) - 2)
        try:
            while len(state.journal) > target + 1 or state.journal[-1].get("choice") is not None:
                app.engine.rollback(state)
        except Impossible as exc:
            app.notify(f"Cannot go back further: {exc}.")
        app.autosave()
        from game.ui.scenes.story import StoryScene
        app.stack.replace_all(StoryScene(app))
        app.notify("You are back before the risk fell. The same choice will end the same way.")

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
        story, state = app.story, app.state
        has_map = app.map_view is not None and w >= 1.2 * h
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
        self.view_rect = pygame.Rect(col_x - theme.px(10), m, col + theme.px(20), h - 2 * m - menu_h - theme.px(24))
        placed: list[tuple[Block, int, int]] = []
        rules: list[int] = []
        y = 0

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
        kind = KIND_WORDS.get(ending.kind, ending.kind.title()) if ending else ""
        add(text.block("THE END  ·  " + kind.upper(), "sans-bold", theme.small, col,
                       p.good if ending and ending.kind == "safe" else p.bad, 1.3), 0.3)
        add(text.block(ending.title if ending else "", "serif-bold", round(theme.body * 1.7), col, p.strong, 1.2), 0.5)
        days = state.vars.get("days")
        places = len(self.visited)
        summary = f"{places} place{'s' * (places != 1)} on the way"
        if days is not None:
            summary = f"{round(days)} day{'s' * (round(days) != 1)} on the road  ·  " + summary
        add(text.block(summary, "sans", theme.ui, col, p.muted, 1.35), 0.4)
        if ending and ending.debrief:
            section("What followed, in reality")
            for para in ending.debrief.split("\n\n"):
                if para.strip():
                    add(text.block(" ".join(para.split()), "serif", theme.body, col, p.text, 1.55), 0.7)
        # What it cost: start → end.
        section("What it cost")
        label_w = round(col * 0.4)
        num_w = (col - label_w) // 2
        row_y = y
        for head, x0 in (("At the start", label_w), ("At the end", label_w + num_w)):
            img = text.block(head, "sans", theme.small, num_w, p.muted, 1.3, align="right")
            placed.append((img, col_x + x0 - theme.px(8), row_y))
        y += text.block("At the start", "sans", theme.small, num_w, p.muted, 1.3).height + theme.px(6)
        for name, resource in story.resources.items():
            start, end = resource.start, state.vars.get(name, resource.start)
            delta = end - start
            good = None if not delta else ((delta < 0) if resource.better == "lower" else (delta > 0))
            colour = p.good if good else p.bad if good is False else p.muted
            row_y = y
            add(text.block(resource.label, "sans", theme.ui, label_w, p.text, 1.45), 0.05)
            placed.append((text.block(resource.format(start), "sans", theme.ui, num_w, p.muted, 1.45, "right"),
                           col_x + label_w - theme.px(8), row_y))
            placed.append((text.block(resource.format(end), "sans-bold", theme.ui, num_w, colour, 1.45, "right"),
                           col_x + label_w + num_w - theme.px(8), row_y))
        if state.items:
            carried = ", ".join(story.items[i].label for i in sorted(state.items) if i in story.items)
            add(text.block(f"Carrying at the end: {carried}", "sans", theme.small, col, p.muted, 1.4), 0.3)
        # The decisive moments and the risks.
        moments = []
        for entry in state.journal:
            roll = entry.get("roll")
            node = story.nodes.get(str(entry.get("node", "")))
            decisive = node is not None and "decisive" in node.tags
            if entry.get("choice") and (isinstance(roll, dict) or decisive):
                moments.append(entry)
        if moments:
            section("The decisive moments")
            for entry in moments:
                place = app.place(str(entry.get("location", "")))[0] if entry.get("location") else ""
                meta = " · ".join(x for x in (f"Day {entry.get('day', 0)}", place, str(entry.get("title", ""))) if x)
                add(text.block(meta, "sans", theme.small, col, p.muted, 1.3), 0.1)
                add(text.block(str(entry["choice"]), "sans", theme.ui, col, p.text, 1.4), 0.1)
                roll = entry.get("roll")
                if isinstance(roll, dict):
                    fell = bool(roll.get("failed"))
                    pct = round(float(roll.get("chance", 0)) * 100)
                    words = f"Risk {pct}%, {roll.get('label', '')}: " + ("it fell." if fell else "it passed.")
                    add(text.block(words, "sans-bold" if fell else "sans", theme.small, col,
                                   p.bad if fell else p.good, 1.3), 0.6)
                else:
                    y += round(theme.body * 0.4)
        fact_ids = facts_for(story, state.journal, state.node)
        if fact_ids:
            section("The facts behind this journey")
            for fid in fact_ids:
                fact = story.facts[fid]
                add(text.block(" ".join(fact.text.split()), "serif", theme.body, col, p.text, 1.5), 0.15)
                source = " · ".join(x for x in (fact.source_title, str(fact.year) if fact.year else "",
                                                f"evidence: {fact.confidence}" if fact.confidence else "") if x)
                add(text.block(source, "sans", theme.small, col, p.muted, 1.35), 0.05)
                if fact.source:
                    add(text.block(fact.source, "sans", theme.small, col, p.faint, 1.35), 0.8)
        if story.debrief_questions:
            section("To think about")
            for q in story.debrief_questions:
                add(text.block("—  " + q, "serif-italic", theme.body, col, p.text, 1.5), 0.4)
        self.placed, self.rules, self.height, self.col_w = placed, rules, y, col
        self.clamp_scroll()

    def handle(self, cmd: c.Command) -> c.Command | None:
        if self.scroll_with(cmd, round(self.theme.body * 1.5)):
            return None
        if isinstance(cmd, c.Back):
            self.app.pop()  # back to the ending's page
        elif isinstance(cmd, c.OpenJournal):
            from game.ui.scenes.journal import JournalScene
            self.app.push(JournalScene(self.app))
        else:
            self.menu.handle(cmd)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        if self.map_rect is not None and self.app.map_view is not None:
            self.map_cache.draw(self.app.map_view, surface, self.map_rect, self.visited, self.current, None)
        self.blit_visible(surface, self.placed)
        clip = surface.get_clip()
        surface.set_clip(self.view_rect)
        top = self.view_rect.y
        scroll = round(self.scroll)
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
        if self.max_scroll > 0:
            hint = self.app.text.line("Scroll for more  ·  wheel or Page Down", "sans", theme.small, p.faint)
            surface.blit(hint, (self.col_x + self.col_w - hint.get_width(), self.view_rect.bottom + theme.px(4)))
        self.menu.draw(surface, theme, self.app.text)
