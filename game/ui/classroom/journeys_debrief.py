"""The class debrief of class journeys, in pages for the projector, from the model's ClassDebrief alone.

Pages: how the journeys ended, by kind (and, with the same luck for everyone, how
many who chose alike met the same end: the lesson about choices and luck); the
decisions where the class split most, with what each side met later; money, days
and the risks that fell, spread across the class (a dot for each journey); the facts
the class saw most, with their sources; what changed since 2010; questions.

→ / Enter / Space the next page, ← the previous, Home/End the first/last; B blanks
the screen; Esc opens the menu (where Quit is). Nothing is decided here; no student
is named (the game window is often mirrored to the projector).

Layout: the pages are cut to the room under the heading, and the charts are sized
to the page, so everything fits from 1024×600 to 4K; ``boxes`` holds what was drawn
where (a test checks that nothing leaves the window).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pygame

from game.classroom.report import luck_lines
from game.engine.history import LUCK_SENTENCE, SINCE_2010_FACTS, cite
from game.engine.wording import ESTIMATE_NOTE
from game.story.model import ENDING_KIND_LABELS
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, letter, wrap_pages
from game.ui.classroom.pause import _Panel
from game.ui.widgets.text import Block, blit_block

MAX_FACTS = 5
MAX_SPLITS = 3      # on the projector; the report lists every split the model gives
MAX_QUESTIONS = 4


@dataclass
class Chart:
    """Something drawn by hand on a page (bars, a strip of dots), ``height`` pixels tall."""

    height: int
    paint: Callable[[pygame.Surface, int, int, int], list[pygame.Rect]]  # (surface, x, y, width) -> drawn rects


Item = tuple["Block | Chart", int]   # (what, the gap after it); a negative gap: keep it with the next item


def spread_numbers(spread: Any) -> tuple[float, float, float, tuple[float, ...]]:
    return float(spread.min), float(spread.median), float(spread.max), tuple(float(v) for v in spread.values)


class JourneysDebriefScene(FacilitateScene):
    name = "journeys-debrief"

    def __init__(self, app, debrief: Any, title: str = "") -> None:  # noqa: ANN001
        super().__init__(app, None)
        self.debrief = debrief
        self.title = title
        self.page = 0
        self.pages: list[tuple[str, list[tuple[Block | Chart, int, int]]]] = []
        self.boxes: list[tuple[str, pygame.Rect]] = []

    def enter(self) -> None:
        self.relayout()

    def resume(self) -> None:
        self.relayout()

    # ------------------------------------------------------------------ content
    def relayout(self) -> None:
        pj, p = self.pj, self.theme.palette
        safe = pj.safe
        self.top = safe.y + round(pj.small * 1.5) + pj.px(10)
        hint_h = self.block(self.hint_text(), "sans", pj.small, safe.w, p.muted, 1.3).height
        self.bottom = safe.bottom - hint_h - pj.px(12)
        height = self.bottom - self.top
        w = safe.w
        d, story = self.debrief, self.app.story
        pages: list[tuple[str, list[tuple[Block | Chart, int, int]]]] = []

        def text(words: str, kind: str = "serif", size: int | None = None, colour: Any = None,
                 line: float = 1.35) -> Block:
            return self.block(words, kind, size or pj.body, w, colour or p.text, line)

        def section(name: str, items: list[Item]) -> None:
            for page in self.paginate(items, height):
                pages.append((name, page))

        # 1. How the journeys ended.
        minutes = round(d.minutes_played)
        first: list[Item] = [
            (text(f"{d.students} student{'s' * (d.students != 1)} played; {d.finished} reached an ending"
                  f"{'' if d.finished == d.students else f', {d.students - d.finished} were still on the way'}; "
                  f"{minutes} minute{'s' * (minutes != 1)} of play.", "sans", pj.small, p.muted, 1.3), pj.px(10)),
        ]
        kinds = [(ENDING_KIND_LABELS.get(k, k), n) for k, n in d.endings_by_kind]
        self.bar_rows = kinds
        if kinds:
            first.append((self.bars(kinds, min(height // 2, len(kinds) * round(pj.ui * 1.5))), pj.px(14)))
        else:
            first.append((text("No journey reached an ending.", "serif", pj.body), pj.px(14)))
        for i, words in enumerate(luck_lines(d)):
            first.append((text(words, "sans-bold" if i == 0 else "serif", pj.ui, p.strong if i == 0 else p.text),
                          pj.px(8)))
        first.append((text(LUCK_SENTENCE, "sans", pj.small, p.muted, 1.3), 0))
        section("How the journeys ended", first)
        # 2. Where the class split.
        splits: list[Item] = []
        for split in d.splits[:MAX_SPLITS]:
            splits.append((text(split.title or split.node_id, "serif-bold", pj.ui, p.strong, 1.25), -pj.px(6)))
            for words, n, later in split.options:
                met = ", ".join(f"{ENDING_KIND_LABELS.get(k, k).lower()} {m}" for k, m in later) or \
                    "none has reached an ending yet"
                splits.append((text(f"{n} chose “{words}”", "sans-bold", pj.small, p.text, 1.3), -pj.px(2)))
                splits.append((text(f"Later: {met}.", "sans", pj.small, p.muted, 1.3), pj.px(8)))
            splits[-1] = (splits[-1][0], pj.px(18))
        if splits:
            section("Where the class split", splits)
        # 3. What it cost, across the class.
        if d.finished:
            strips: list[Item] = [(text("Each dot is one journey that reached an ending; the line marks the middle "
                                        "one (the median).", "sans", pj.small, p.muted, 1.3), pj.px(10))]
            note = text(ESTIMATE_NOTE, "sans", pj.small, p.muted, 1.3)
            room = height - strips[0][0].height - pj.px(10) - note.height
            rows = [(self.resource_label("cash", "Money at the end"), d.money, self.formatter("cash")),
                    (self.resource_label("days", "Days"), d.days, self.formatter("days")),
                    ("Risks that fell", d.risks_fell, lambda v: f"{round(v)}")]
            each = max(pj.px(60), room // len(rows) - pj.px(8))
            for label, spread, fmt in rows:
                strips.append((self.strip(label, spread, fmt, each), pj.px(8)))
            strips.append((note, 0))
            section("What it cost, across the class", strips)
        # 4. The facts the class saw most.
        facts: list[Item] = []
        shown = [(fid, n) for fid, n in d.facts_seen if fid in story.facts and fid not in SINCE_2010_FACTS]
        for fid, n in shown[:MAX_FACTS]:
            fact = story.facts[fid]
            facts.append((text(" ".join(fact.text.split()), "serif", pj.ui, p.text, 1.35), -pj.px(2)))
            facts.append((text(f"Seen by {n} student{'s' * (n != 1)}  ·  Source: {cite(fact)}", "sans", pj.small,
                               p.muted, 1.3), pj.px(16)))
        if facts:
            section("The facts the class saw most, and their sources", facts)
        # 5. What changed since 2010.
        since = [story.facts[f] for f in SINCE_2010_FACTS if f in story.facts]
        if since:
            items: list[Item] = [(text("The story is set around 2010. Since then:", "sans-bold", pj.ui, p.strong, 1.3),
                                  pj.px(8))]
            for fact in since:
                items.append((text(" ".join(fact.text.split()), "serif", pj.ui, p.text, 1.35), -pj.px(2)))
                items.append((text(f"Source: {cite(fact)}", "sans", pj.small, p.muted, 1.3), pj.px(14)))
            section("What changed since 2010", items)
        # 6. Questions: the luck first, then the story's own.
        ask = ("Everyone had the same luck. Where did your choices take you apart, and why did you choose as you did?"
               if d.settings.luck == "same" else
               "Some of you chose alike and ended differently. How much of her fate was hers to choose?")
        questions = [ask, *story.debrief_questions[:MAX_QUESTIONS]]
        section("To think about", [(text(f"{i + 1}.  {q}", "serif", pj.body, p.strong, 1.35), pj.px(14))
                                   for i, q in enumerate(questions)])
        self.pages = pages or [("Class debrief", [])]
        self.page = min(self.page, len(self.pages) - 1)

    def paginate(self, items: list[Item], height: int) -> list[list[tuple[Block | Chart, int, int]]]:
        """Items onto pages ``height`` tall: a chart or a block that does not fit what is left starts a page,
        with the items it is kept with (a negative gap: a fact and its source); a block taller than a page is
        cut between sentences (:func:`wrap_pages`)."""
        pages: list[list[tuple[Block | Chart, int, int]]] = [[]]
        y = 0
        for i, (item, gap) in enumerate(items):
            together = item.height
            j = i
            while items[j][1] < 0 and j + 1 < len(items):  # the items this one is kept with
                together += abs(items[j][1]) + items[j + 1][0].height
                j += 1
            if pages[-1] and y + together > height and (i == 0 or items[i - 1][1] >= 0) and together <= height:
                pages.append([])
                y = 0
            pieces = [item] if isinstance(item, Chart) or item.height <= height else \
                [b for page in wrap_pages([(item, 0)], height) for b, _, _ in page]
            for piece in pieces:
                if pages[-1] and y + piece.height > height:
                    pages.append([])
                    y = 0
                pages[-1].append((piece, 0, y))
                y += piece.height + abs(gap)
        return [page for page in pages if page]

    def resource_label(self, name: str, fallback: str) -> str:
        resource = self.app.story.resources.get(name)
        return resource.label if resource is not None else fallback

    def formatter(self, name: str) -> Callable[[float], str]:
        resource = self.app.story.resources.get(name)
        if resource is None:
            return lambda v: f"{round(v):,}"
        return lambda v: resource.format(round(v))

    # ------------------------------------------------------------------ charts
    def bars(self, rows: list[tuple[str, int]], height: int) -> Chart:
        """Horizontal bars, one per row, in one neutral colour (no ending is a win or a loss)."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        row_h = max(pj.px(18), height // max(1, len(rows)))
        size = max(13, min(pj.ui, round(row_h * 0.62)))
        most = max((n for _, n in rows), default=1) or 1

        def paint(surface: pygame.Surface, x: int, y: int, width: int) -> list[pygame.Rect]:
            drawn = []
            labels = [text.line(label, "sans", size, p.text) for label, _ in rows]
            label_w = min(max(img.get_width() for img in labels) + pj.px(16), width // 2)
            for i, ((_label, n), image) in enumerate(zip(rows, labels, strict=True)):
                top = y + i * row_h
                if image.get_width() > label_w - pj.px(16):
                    scale = (label_w - pj.px(16)) / image.get_width()
                    image = pygame.transform.smoothscale(image, (max(1, round(image.get_width() * scale)),
                                                                 max(1, round(image.get_height() * scale))))
                surface.blit(image, (x, top + (row_h - image.get_height()) // 2))
                count = text.line(str(n), "sans-bold", size, p.strong)
                room = width - label_w - count.get_width() - pj.px(12)
                bar = pygame.Rect(x + label_w, top + row_h // 6, max(pj.px(4), round(room * n / most)),
                                  row_h - row_h // 3)
                pygame.draw.rect(surface, p.muted, bar, border_radius=pj.px(3))
                surface.blit(count, (bar.right + pj.px(8), top + (row_h - count.get_height()) // 2))
                drawn += [pygame.Rect(x, top, label_w + bar.w + pj.px(8) + count.get_width(), row_h)]
            return drawn

        return Chart(row_h * len(rows), paint)

    def strip(self, label: str, spread: Any, fmt: Callable[[float], str], height: int) -> Chart:
        """One number across the class: its label, then a line from the least to the most with a dot per journey
        and the median marked, the three numbers written under it."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        lo, med, hi, values = spread_numbers(spread)
        size = max(13, min(pj.ui, round(height * 0.24)))
        small = max(12, min(pj.small, round(height * 0.2)))

        def paint(surface: pygame.Surface, x: int, y: int, width: int) -> list[pygame.Rect]:
            head = text.line(label, "sans-bold", size, p.strong)
            surface.blit(head, (x, y))
            line_y = y + head.get_height() + round(height * 0.18)
            left, right = x + pj.px(12), x + width - pj.px(12)
            pygame.draw.line(surface, p.rule, (left, line_y), (right, line_y), max(1, pj.px(2)))
            span = (hi - lo) or 1.0
            r = max(3, pj.px(6))
            counts: dict[int, int] = {}
            for v in values:
                px = round(left + (right - left) * (v - lo) / span) if hi > lo else (left + right) // 2
                stack = counts.get(px, 0)
                counts[px] = stack + 1
                dy = -min(stack, 3) * (r + 1)  # dots at one value stack a little upward
                pygame.draw.circle(surface, p.accent, (px, line_y + dy), r)
            mx = round(left + (right - left) * (med - lo) / span) if hi > lo else (left + right) // 2
            pygame.draw.line(surface, p.strong, (mx, line_y - 3 * r), (mx, line_y + 2 * r), max(2, pj.px(3)))
            words = f"least {fmt(lo)}   ·   middle {fmt(med)}   ·   most {fmt(hi)}"
            under = text.line(words, "sans", small, p.muted)
            if under.get_width() > width:
                under = text.line(words, "sans", max(11, round(small * width / under.get_width())), p.muted)
            surface.blit(under, (x, line_y + 2 * r + pj.px(4)))
            return [pygame.Rect(x, y, max(head.get_width(), width, under.get_width()),
                                line_y + 2 * r + pj.px(4) + under.get_height() - y)]

        return Chart(height, paint)

    # ------------------------------------------------------------------ input
    def hint_text(self) -> str:
        return "→ or Enter: next page  ·  ← previous  ·  B: blank  ·  Esc: menu"

    def handle(self, cmd: c.Command) -> c.Command | None:
        if letter(cmd) == "b":
            from game.ui.classroom.dashboard import BlankScreen

            self.app.push(BlankScreen(self.app))
        elif isinstance(cmd, c.Confirm) or isinstance(cmd, c.Move) and (cmd.dx > 0 or cmd.dy > 0) or \
                isinstance(cmd, c.Scroll) and (cmd.pages > 0 or cmd.lines > 0):
            if self.page < len(self.pages) - 1:
                self.page += 1
            elif isinstance(cmd, c.Confirm):
                self.app.notify("That was the last page. Esc: menu (quit).")
        elif isinstance(cmd, c.Move) and (cmd.dx < 0 or cmd.dy < 0) or \
                isinstance(cmd, c.Scroll) and (cmd.pages < 0 or cmd.lines < 0):
            self.page = max(0, self.page - 1)
        elif isinstance(cmd, c.Scroll) and cmd.to:
            self.page = 0 if cmd.to < 0 else len(self.pages) - 1
        elif isinstance(cmd, c.Back):
            self.app.push(DebriefMenuScene(self.app))
        return None

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        pj = self.pj
        self.boxes = []
        name, page = self.pages[self.page]
        h = self.kicker(surface, f"Class debrief  ·  {name}  ·  page {self.page + 1} of {len(self.pages)}")
        self.boxes.append(("kicker", pygame.Rect(pj.safe.x, pj.safe.y, 1, h)))
        for item, dx, dy in page:
            x, y = pj.safe.x + dx, self.top + dy
            if isinstance(item, Chart):
                for rect in item.paint(surface, x, y, pj.safe.w):
                    self.boxes.append(("chart", rect))
            else:
                blit_block(surface, item, x, y)
                for line in item.lines:
                    self.boxes.append(("text", pygame.Rect(x + line.x, y + line.y, *line.image.get_size())))
        self.hints(surface, self.hint_text())


class DebriefMenuScene(_Panel):
    name = "journeys-debrief-menu"
    title = "Class debrief"
    body = "The session is recorded. escape-route report writes the class report from it."

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app, None)

    def rows(self) -> list[tuple[str, object]]:
        return [("Back to the debrief", self.cancel), ("Quit", self.quit)]

    def quit(self) -> None:
        self.app.running = False
