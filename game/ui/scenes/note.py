"""N during play: a one-line playtest note, stored with the exact moment (see game.writer.notes)."""

from __future__ import annotations

import pygame

from game.errors import StoryError
from game.l10n import _
from game.ui import commands as c
from game.ui.scenes.base import StillScene
from game.ui.widgets.text import blit_block
from game.writer.notes import add_note

MAX_NOTE = 300


class NoteScene(StillScene):
    """A text field over the story. Enter keeps the note, Esc drops it; nothing else reaches the story."""

    transparent = True
    name = "note"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.text = ""
        self._shade: pygame.Surface | None = None

    def enter(self) -> None:
        pygame.key.start_text_input()
        self.relayout()

    def exit(self) -> None:
        pygame.key.stop_text_input()

    def relayout(self) -> None:
        w, h = self.theme.size
        self._shade = pygame.Surface((w, h), pygame.SRCALPHA)
        self._shade.fill(self.theme.palette.shade)

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.TypeText):
            self.text = (self.text + cmd.text)[:MAX_NOTE]
        elif isinstance(cmd, c.Rollback):  # Backspace deletes, it does not undo the story here
            self.text = self.text[:-1]
        elif isinstance(cmd, c.Confirm) and not cmd.space:
            self.keep()
        elif isinstance(cmd, c.Back):
            self.app.pop()
        elif isinstance(cmd, (c.Quit, c.Resize)):
            return cmd
        return None

    def keep(self) -> None:
        app = self.app
        self.app.pop()
        if not self.text.strip() or app.state is None:
            return
        try:
            note = add_note(app.story, app.state, self.text)
        except (OSError, StoryError) as exc:
            app.notify(_("The note could not be saved: {problem}").format(problem=exc))
            return
        app.notify(_("Note {id} kept at {place}.").format(id=note["id"], place=f"{note['file']}:{note['line']}"))

    def draw(self, surface: pygame.Surface) -> None:
        theme, text = self.theme, self.app.text
        p = theme.palette
        if self._shade is not None:
            surface.blit(self._shade, (0, 0))
        w, h = theme.size
        width = min(w - 2 * theme.margin, theme.px(900))
        pad = theme.px(24)
        title = text.block(_("Playtest note"), "serif-bold", round(theme.body * 1.2), width - 2 * pad, p.strong, 1.2)
        hint = text.block(_("Enter keeps it with this exact moment · Esc drops it"), "sans", theme.small,
                          width - 2 * pad, p.muted, 1.3)
        field = text.block(self.text + "|" if self.text else _("What should change here?"), "sans", theme.ui,
                           width - 2 * pad, p.text if self.text else p.muted, 1.35)
        box = pygame.Rect(0, 0, width, title.height + field.height + hint.height + 4 * pad)
        box.center = (w // 2, h // 3)
        box.top = max(box.top, theme.px(12))  # a long note grows down, never off the top
        pygame.draw.rect(surface, p.bg, box, border_radius=theme.px(8))
        pygame.draw.rect(surface, p.accent, box, max(1, theme.px(2)), border_radius=theme.px(8))
        y = box.y + pad
        blit_block(surface, title, box.x + pad, y)
        y += title.height + pad
        blit_block(surface, field, box.x + pad, y)
        y += field.height + pad
        blit_block(surface, hint, box.x + pad, y)
