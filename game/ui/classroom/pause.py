"""Blank screen (B), the facilitator's pause menu (P or Esc), and the question before going back.

The blank screen is entirely black and shows nothing until any key is pressed:
for when the class must look at the facilitator, not at the screen. Both the blank
and the pause record how long they lasted. Going back one decision asks first,
because a class that wants "to try the other way" must see that this is a choice,
and the record marks it as such.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pygame

from game.errors import Impossible
from game.l10n import N_, _
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, letter
from game.ui.widgets.text import blit_block


class BlankScene(FacilitateScene):
    name = "facilitate-blank"

    def __init__(self, app, fac) -> None:  # noqa: ANN001
        super().__init__(app, fac)
        self.seconds = 0.0

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, (c.Hover, c.Scroll, c.AnyKey, c.Pick)):
            # A letter key sends AnyKey and then its TypeText: leave on the text, so that the letter is
            # used up here and does not also act on the screen below (B would blank again).
            return None
        self.fac.blanked(self.seconds)
        self.app.pop()
        return None

    def update(self, dt: float) -> None:
        self.seconds += dt

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill((0, 0, 0))


class Row(NamedTuple):
    """One numbered row of a menu: the number is the key that takes it, the same on every screen.

    ``why_not`` greys the row out and says why it cannot be taken now; ``confirm`` makes the
    first press ask ("press 6 again to quit") and only a second press act. ``row[0]`` is the
    label and ``row[1]`` the action, as in the plain (label, action) pairs menus may give."""

    label: str
    action: Callable[[], None]
    number: int
    why_not: str = ""
    confirm: str = ""


class _Panel(FacilitateScene):
    """A card over the dimmed screen with numbered rows (the number's key, Up/Down and Enter)."""

    transparent = True
    title = ""
    body = ""
    default_focus = 0  # the row Enter takes at first (a question's safe answer)

    def rows(self) -> list[Row | tuple[str, Callable[[], None]]]:
        return []

    def enter(self) -> None:
        self.armed: Row | None = None
        self.relayout()
        usable = [i for i, row in enumerate(self.menu) if not row.why_not]
        self.focus = self.default_focus if self.default_focus in usable else (usable[0] if usable else 0)

    def _rows(self) -> list[Row]:
        out = []
        for i, row in enumerate(self.rows()):
            out.append(row if isinstance(row, Row) else Row(row[0], row[1], i + 1))
        return out

    def label(self, row: Row) -> str:
        if row is self.armed:
            return row.confirm
        return f"{row.label} — {row.why_not}" if row.why_not else row.label

    def relayout(self) -> None:
        pj, p = self.pj, self.theme.palette
        armed = getattr(self, "armed", None)
        self.menu = self._rows()
        self.items = [(row.label, row.action) for row in self.menu]  # (label, action) pairs, as menus give them
        self.armed = next((r for r in self.menu if armed is not None and r.number == armed.number), None)
        width = min(pj.safe.w, pj.px(820))
        pad = pj.px(28)
        inner = width - 2 * pad
        self.title_block = self.block(_(self.title) if self.title else "", "serif-bold", pj.title, inner, p.strong, 1.15)
        self.body_block = self.block(_(self.body), "serif", pj.ui, inner, p.text, 1.4) if self.body else None
        self.row_blocks = [self.block(f"{row.number}.  {self.label(row)}", "sans" if row.why_not else "sans-bold",
                                      pj.ui, inner - pj.px(20),
                                      p.faint if row.why_not else (p.accent if row is self.armed else p.strong), 1.3)
                           for row in self.menu]
        height = pad + self.title_block.height + pj.px(14)
        height += (self.body_block.height + pj.px(14)) if self.body_block else 0
        height += sum(b.height + pj.px(16) for b in self.row_blocks) + pad
        self.card = pygame.Rect(0, 0, width, min(height, pj.safe.h))
        self.card.center = pj.safe.center
        self.pad = pad
        self.shade = pygame.Surface(self.theme.size, pygame.SRCALPHA)
        self.shade.fill(p.shade)

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Move) and cmd.dy and self.items:
            usable = [i for i, row in enumerate(self.menu) if not row.why_not] or [self.focus]
            at = usable.index(self.focus) if self.focus in usable else 0
            self.focus = usable[(at + cmd.dy) % len(usable)]
            self._disarm()
        elif isinstance(cmd, c.Pick):
            found = next((i for i, row in enumerate(self.menu) if row.number == cmd.index + 1), None)
            if found is not None:
                self.focus = found
                self.activate()
        elif isinstance(cmd, c.Confirm) and self.items:
            self.activate()
        elif isinstance(cmd, c.Back):
            if self.armed is not None:
                self._disarm()  # Esc takes back the first press: the menu stays
            else:
                self.cancel()
        elif letter(cmd) == "b" and self.fac is not None:
            self.common(cmd)
        return None

    def _disarm(self) -> None:
        if self.armed is not None:
            self.armed = None
            self.relayout()

    def activate(self) -> None:
        row = self.menu[self.focus]
        if row.why_not:
            self.app.notify(_("Not now: {reason}.").format(reason=row.why_not))
            return
        if row.confirm and row is not self.armed:
            self.armed = row  # the first press asks; the same number (or Enter) again acts
            self.relayout()
            return
        self.armed = None
        row.action()

    def cancel(self) -> None:
        self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        pj, p = self.pj, self.theme.palette
        surface.blit(self.shade, (0, 0))
        pygame.draw.rect(surface, p.bg, self.card, border_radius=pj.px(8))
        pygame.draw.rect(surface, p.accent, self.card, max(2, pj.px(2)), border_radius=pj.px(8))
        x, y = self.card.x + self.pad, self.card.y + self.pad
        blit_block(surface, self.title_block, x, y)
        y += self.title_block.height + pj.px(14)
        if self.body_block is not None:
            blit_block(surface, self.body_block, x, y)
            y += self.body_block.height + pj.px(14)
        for i, block in enumerate(self.row_blocks):
            rect = pygame.Rect(x - pj.px(10), y - pj.px(6), self.card.w - 2 * self.pad + pj.px(20),
                               block.height + pj.px(12))
            if i == self.focus:
                pygame.draw.rect(surface, p.panel_hi, rect, border_radius=pj.px(6))
                pygame.draw.rect(surface, p.accent, pygame.Rect(rect.x, rect.y, pj.px(5), rect.h))
            blit_block(surface, block, x + pj.px(6), y)
            y += block.height + pj.px(16)


class FacilitatePauseScene(_Panel):
    """The facilitator's menu. Every action keeps its number on every screen (1 Continue ... 6 Quit): a row
    that cannot be taken here is shown greyed with the reason, never left out so that the others move up.
    Only "End the session now" is left out at the debrief, where the session already ends. Ending and
    quitting ask first: press the number again (or Enter), or Esc to stay."""

    name = "facilitate-pause"
    title = N_("Paused")

    def __init__(self, app, fac) -> None:  # noqa: ANN001
        super().__init__(app, fac)
        self.seconds = 0.0

    def rows(self) -> list[Row | tuple[str, Callable[[], None]]]:
        fac = self.fac
        at_debrief = self._at_debrief()
        ok, why = fac.can_rollback()
        rows = [Row(_("Continue"), self.cancel, 1),
                Row(_("Blank the screen"), self.blank, 2),
                Row(_("Cancel this vote (no decision; phones are told)"), self.cancel_the_vote, 3,
                    why_not="" if fac.decision is not None else _("no vote is open")),
                Row(_("Go back one decision (try the other way)"), self.back_one, 4, why_not="" if ok else why)]
        if not at_debrief:
            rows.append(Row(_("End the session now and go to the debrief"), self.end_now, 5,
                            why_not=_("the journey is over") if fac.ended else "",
                            confirm=_("Press 5 again (or Enter) to end the session and go to the debrief; "
                                      "Esc: stay")))
        rows.append(Row(_("Quit (the session is saved; resume it with --resume)"), self.quit, 6,
                        confirm=_("Press 6 again (or Enter) to quit; the session is saved. Esc: stay")))
        return rows

    def _at_debrief(self) -> bool:
        from game.ui.classroom.debrief import ClassDebriefScene

        return self.app.stack.find(ClassDebriefScene) is not None

    def update(self, dt: float) -> None:
        self.seconds += dt

    def cancel(self) -> None:
        self.fac.paused(self.seconds)
        self.app.pop()

    def blank(self) -> None:
        self.cancel()
        self.app.push(BlankScene(self.app, self.fac))

    def back_one(self) -> None:
        self.cancel()
        self.app.push(ConfirmRollbackScene(self.app, self.fac))

    def cancel_the_vote(self) -> None:
        self.cancel()
        self.fac.cancel_vote()
        while self.app.stack.top is not None and self.app.stack.top.name != "facilitate-story":
            self.app.stack.pop()
        self.app.notify(_("The vote was cancelled: nothing was decided."))

    def end_now(self) -> None:
        self.cancel()
        self.fac.cancel_vote()
        while self.app.stack.top is not None and self.app.stack.top.name != "facilitate-story":
            self.app.stack.pop()
        from game.ui.classroom.debrief import ClassDebriefScene

        self.app.push(ClassDebriefScene(self.app, self.fac))

    def quit(self) -> None:
        self.cancel()
        self.app.running = False


class ConfirmRollbackScene(_Panel):
    """Going back is a choice the class must see: the safe answer, "No", is the one Enter takes at first."""

    name = "facilitate-confirm"
    default_focus = 1
    title = N_("Go back one decision?")
    body = N_("The class returns to before its last decision, with the same money, days and risks, and can try "
              "the other way. The dice are not rolled again for the same choice. The session record keeps both.")

    def rows(self) -> list[tuple[str, object]]:
        return [(_("Yes, go back"), self.confirm), (_("No, stay here"), self.cancel)]

    def confirm(self) -> None:
        app = self.app
        app.pop()
        try:
            self.fac.rollback()
        except Impossible as exc:
            app.notify(_("Cannot go back: {reason}.").format(reason=exc))
            return
        # Back to the passage, whatever was open over it (the debrief of an ending, a vote).
        from game.ui.classroom.story import FacilitateStoryScene

        while app.stack.top is not None and not isinstance(app.stack.top, FacilitateStoryScene):
            app.stack.pop()
        story = app.stack.top
        if isinstance(story, FacilitateStoryScene):
            story.refresh()
        app.notify(_("Back before the last decision. The class can try the other way."))
