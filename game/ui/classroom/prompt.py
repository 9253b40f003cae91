"""D on the dashboard: a discussion prompt for every student's page, from the story or typed by the teacher.

The story's own questions (each passage's ``discuss:``) come first, from the chapter
where most students are now, then from the chapters on either side of it: the class
talks about what most of it has just met. The teacher may also type a question
(Enter sends it, Esc leaves without sending) or take the prompt off every page.
What the teacher sends is shown on the dashboard too; nothing a student types ever is.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.classroom.journeys import MAX_PROMPT  # the most a page shows, as the model keeps it
from game.ui import commands as c
from game.ui.classroom.common import letter
from game.ui.classroom.pause import _Panel
from game.ui.widgets.text import blit_block

MAX_STORY_PROMPTS = 5


def prompts_near(story: Any, by_chapter: tuple[tuple[str, int], ...]) -> tuple[str | None, list[str]]:
    """(the chapter where most students are, or None before anyone plays; the story's questions nearest it).

    Questions of that chapter first, in story order, then of the chapters next to it,
    nearer ones first; each question once."""
    titles = [title for _, title in story.chapters]
    crowd = max((item for item in by_chapter if item[1] > 0), key=lambda item: item[1], default=None)
    centre = titles.index(crowd[0]) if crowd is not None and crowd[0] in titles else 0
    order = sorted(range(len(titles)), key=lambda i: (abs(i - centre), i < centre))
    asked: dict[str, None] = {}
    for i in order:
        for node in story.nodes.values():
            if node.chapter == titles[i] and node.discuss.strip():
                asked.setdefault(" ".join(node.discuss.split()), None)
    if not titles:
        for node in story.nodes.values():
            if node.discuss.strip():
                asked.setdefault(" ".join(node.discuss.split()), None)
    return (crowd[0] if crowd else None), list(asked)


class PromptPickerScene(_Panel):
    """The story's questions by number (1-9, Up/Down and Enter), a typed one, or none."""

    name = "journeys-prompt"
    title = "A discussion prompt on every page"

    def __init__(self, app, journeys: Any, snap: Any) -> None:  # noqa: ANN001
        super().__init__(app, None)
        self.journeys = journeys
        self.snap = snap
        self.crowd, self.questions = prompts_near(app.story, tuple(snap.by_chapter))
        self.limit = MAX_STORY_PROMPTS
        if self.crowd is not None:
            n = dict(snap.by_chapter).get(self.crowd, 0)
            self.body = f"The story's questions near “{self.crowd}”, where most students are ({n}):"
        else:
            self.body = "Nobody is playing yet. The story's first questions:"

    def rows(self) -> list[tuple[str, object]]:
        items: list[tuple[str, object]] = [(q, self.sender(q)) for q in self.questions[:self.limit]]
        items.append(("Type a question of your own…", self.type_one))
        if self.snap.prompt:
            items.append(("Take the prompt off every page", self.sender(None)))
        return items

    def relayout(self) -> None:
        """Fewer of the story's questions until the card fits the screen (long questions at 1024×600)."""
        while True:
            super().relayout()
            needed = self.pad * 2 + self.title_block.height + (self.body_block.height if self.body_block else 0) \
                + sum(b.height + self.pj.px(16) for b in self.row_blocks) + self.pj.px(28)
            if needed <= self.pj.safe.h or self.limit <= 1:
                break
            self.limit -= 1
        self.focus = min(getattr(self, "focus", 0), max(0, len(self.items) - 1))

    def sender(self, text: str | None):  # noqa: ANN201
        def send() -> None:
            self.app.pop()
            send_prompt(self.app, self.journeys, text)
        return send

    def type_one(self) -> None:
        self.app.pop()
        self.app.push(TypePromptScene(self.app, self.journeys))


def send_prompt(app, journeys: Any, text: str | None) -> None:  # noqa: ANN001
    journeys.send_prompt(text)
    app.notify("The prompt is on every page." if text else "The prompt was taken off every page.")


class TypePromptScene(_Panel):
    """A question typed by the teacher: Enter sends it to every page, Esc goes back without sending."""

    name = "journeys-type-prompt"
    title = "Type a question for every page"

    def __init__(self, app, journeys: Any) -> None:  # noqa: ANN001
        super().__init__(app, None)
        self.journeys = journeys
        self.text = ""
        self._erase = False
        self.opened = app.frames   # the digit that chose "Type a question" must not be typed into it too
        self.body = "Enter sends it to every page; Esc goes back without sending."

    def rows(self) -> list[tuple[str, object]]:
        return []

    def relayout(self) -> None:
        super().relayout()
        pj, p = self.pj, self.theme.palette
        inner = self.card.w - 2 * self.pad
        self.field = self.block((self.text or " ") + "|", "serif", pj.ui, inner - pj.px(20), p.strong, 1.3)
        count = self.block(f"{len(self.text)} of {MAX_PROMPT} characters", "sans", pj.small, inner, p.muted, 1.2)
        self.count = count
        extra = self.field.height + count.height + pj.px(40)
        self.card.h = min(pj.safe.h, self.card.h + extra)
        self.card.center = pj.safe.center

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Back):
            self.app.pop()
        elif isinstance(cmd, c.Confirm) and not getattr(cmd, "space", False):
            if self.text.strip():
                self.app.pop()
                send_prompt(self.app, self.journeys, " ".join(self.text.split()))
            else:
                self.app.notify("Type a question first, or press Esc.")
        elif isinstance(cmd, c.Rollback):
            self._erase = True  # Backspace; the U key also sends Rollback and then types its letter
        elif isinstance(cmd, c.TypeText) and self.app.frames != self.opened:
            if self._erase and letter(cmd) == "u":
                self._erase = False
            typed = "".join(ch for ch in cmd.text if ch.isprintable())
            self.text = (self.text + typed)[:MAX_PROMPT]
            self.relayout()
        return None

    def update(self, dt: float) -> None:
        if self._erase:
            self._erase = False
            self.text = self.text[:-1]
            self.relayout()
            self.app.dirty = True

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        pj, p = self.pj, self.theme.palette
        x = self.card.x + self.pad
        y = self.card.y + self.pad + self.title_block.height + pj.px(14)
        y += (self.body_block.height + pj.px(14)) if self.body_block else 0
        box = pygame.Rect(x - pj.px(6), y - pj.px(6), self.card.w - 2 * self.pad + pj.px(12),
                          self.field.height + pj.px(12))
        pygame.draw.rect(surface, p.panel_hi, box, border_radius=pj.px(6))
        pygame.draw.rect(surface, p.accent, box, max(1, pj.px(2)), border_radius=pj.px(6))
        blit_block(surface, self.field, x + pj.px(4), y)
        blit_block(surface, self.count, x, box.bottom + pj.px(8))
