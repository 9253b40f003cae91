"""The vote: each option with its cost and risk, the tally as a number and a bar, and the class's decision.

↑/↓ choose a row; digits type that option's count (Backspace erases, + and − add
or take one); Enter takes the decision. Most votes wins. A tie asks the facilitator
to pick one of the tied options (↑/↓ then Enter). With no votes at all, the first
Enter asks for a second to take the highlighted option as the class's decision.
The counts shown are the sum of every tally source (the keyboard, and the students'
phones); the record keeps each source's counts and how it was decided.

With phones (``facilitate --lan``) a panel shows the join address as a QR code, the
room code, and live counts of devices and votes; the per-option counts stay hidden
until the facilitator reveals them (V), so the class does not follow the crowd. T
starts a 30-second countdown that closes the vote; O takes the highlighted option
whatever the votes (recorded as an override).
"""

from __future__ import annotations

import io

import pygame

from game.classroom.vote import VoteChannel, settle
from game.errors import Impossible
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, letter
from game.ui.widgets.text import blit_block


class VoteScene(FacilitateScene):
    name = "facilitate-vote"

    def __init__(self, app, fac) -> None:  # noqa: ANN001
        super().__init__(app, fac)
        self.decision = fac.open_vote()
        self.view = fac.view()
        self.open = list(self.decision.open_indices)
        self.focus = self.open[0] if self.open else 0
        self.tied: tuple[int, ...] = ()
        self.confirm_empty = False
        self.message = ""
        self._erase = False
        self._shown_counts: dict[int, int] = {}
        self.channel = next((src for src in fac.sources if isinstance(src, VoteChannel)), None)
        self.revealed = self.channel is None  # with phones, counts wait for the facilitator
        self.countdown: float | None = None
        self._qr: tuple[int, pygame.Surface] | None = None

    def enter(self) -> None:
        self.relayout()

    # ------------------------------------------------------------------ input
    def handle(self, cmd: c.Command) -> c.Command | None:
        if self.common(cmd):
            return None
        kb = self.fac.keyboard
        if isinstance(cmd, c.Move) and cmd.dy:
            pool = list(self.tied) or self.open
            if pool:
                i = pool.index(self.focus) if self.focus in pool else 0
                self.focus = pool[(i + cmd.dy) % len(pool)]
            self.confirm_empty = False
        elif isinstance(cmd, c.Move) and cmd.dx:
            kb.add(self.focus, cmd.dx)
            self._changed()
        elif isinstance(cmd, c.Rollback):
            self._erase = True  # Backspace erases a digit (U also sends Rollback: see update())
        elif isinstance(cmd, c.TypeText) and letter(cmd) in ("v", "t", "o") and self.channel is not None:
            key = letter(cmd)
            if key == "v":
                self.revealed = not self.revealed
            elif key == "t":
                self.countdown = None if self.countdown is not None else 30.0
            else:
                self.revealed = True
                self.take(self.focus, "override")
        elif isinstance(cmd, c.TypeText):
            key = letter(cmd)
            if key == "u":
                self._erase = False
            for ch in cmd.text:
                if ch.isdigit():
                    kb.type_digit(self.focus, int(ch))
                elif ch in "+=":
                    kb.add(self.focus, 1)
                elif ch in "-_":
                    kb.add(self.focus, -1)
            if any(ch.isdigit() or ch in "+=-_" for ch in cmd.text):
                self._changed()
        elif isinstance(cmd, c.Confirm):
            if not getattr(cmd, "space", False):
                self.revealed = True
                self.decide()
        elif isinstance(cmd, c.Back):
            self.fac.cancel_vote()
            self.app.pop()
        return None

    def _changed(self) -> None:
        self.tied = ()
        self.confirm_empty = False
        self.message = ""

    def update(self, dt: float) -> None:
        if self._erase:
            self._erase = False
            if self.fac.keyboard.erase(self.focus):
                self._changed()
        counts = self.fac.tally()
        if counts != self._shown_counts:  # another source (phones) may have counted meanwhile
            self._shown_counts = counts
        if self.countdown is not None:
            self.countdown -= dt
            if self.countdown <= 0:
                self.countdown = None
                self.revealed = True
                self.decide()

    def decide(self) -> None:
        counts = self.fac.tally()
        if self.tied:
            if self.focus in self.tied:
                self.take(self.focus, "tie-break")
            return
        result = settle(counts, self.open)
        if result.how == "vote" and result.winner is not None:
            self.take(result.winner, "vote")
        elif result.how == "tie":
            self.tied = result.tied
            self.focus = self.tied[0]
            names = ", ".join(str(i + 1) for i in self.tied)
            self.message = f"A tie between {names}. Choose with Up/Down and press Enter to settle it."
        else:
            if self.confirm_empty:
                self.take(self.focus, "facilitator")
            else:
                self.confirm_empty = True
                self.message = (f"No votes entered. Press Enter again to take option {self.focus + 1} as the "
                                f"class's decision.")

    def take(self, index: int, how: str) -> None:
        app = self.app
        try:
            outcome = self.fac.close_vote(index, how)
        except Impossible as exc:
            app.notify(f"Not possible: {exc}.")
            return
        app.pop()
        from game.ui.classroom.story import FacilitateStoryScene

        story = app.stack.find(FacilitateStoryScene)
        if story is not None:
            story.chosen(outcome)

    # ------------------------------------------------------------------ layout and drawing
    def relayout(self) -> None:
        pj, p = self.pj, self.theme.palette
        safe = pj.safe
        self.head = self.block(self.view.title or self.view.node_id, "serif-bold", pj.title, safe.w, p.strong, 1.1)
        self.count_w = pj.px(110)
        self.bar_w = pj.px(150)
        self.panel_w = pj.px(300) if self.channel is not None else 0
        self.rows_w = safe.w - (self.panel_w + pj.px(30) if self.panel_w else 0)
        text_w = self.rows_w - self.count_w - self.bar_w - pj.px(70)
        self.rows = []
        for choice in self.view.choices:
            words = self.block(f"{choice.index + 1}.  {choice.text}", "sans-bold" if choice.available else "sans",
                               pj.ui, text_w, p.strong if choice.available else p.faint, 1.3)
            if choice.available:
                bits = [choice.cost_text] if choice.cost_text else []
                if choice.risk is not None:
                    bits.append(f"{choice.risk.percent} risk: {choice.risk.label}")
                meta_text = "  ·  ".join(bits) or "no cost"
                meta = self.block(meta_text, "sans", pj.small, text_w, p.danger_text if choice.risk else p.muted,
                                  1.3)
            else:
                meta = self.block(f"Closed: {choice.reason}", "sans", pj.small, text_w, p.faint, 1.3)
            self.rows.append((choice, words, meta, bool(choice.risk)))

    def draw(self, surface: pygame.Surface) -> None:
        pj, p, text = self.pj, self.theme.palette, self.app.text
        safe = pj.safe
        h = self.kicker(surface, "The class decides")
        y = safe.y + h + pj.px(4)
        blit_block(surface, self.head, safe.x, y)
        y += self.head.height + pj.px(14)
        counts = self.fac.tally()
        total = sum(counts.values())
        most = max(counts.values(), default=0)
        row_gap = pj.px(10)
        for choice, words, meta, risky in self.rows:
            height = words.height + meta.height + pj.px(16)
            rect = pygame.Rect(safe.x, y, self.rows_w, height)
            focused = choice.index == self.focus
            tied = choice.index in self.tied
            if focused:
                pygame.draw.rect(surface, p.panel_hi, rect, border_radius=pj.px(6))
                pygame.draw.rect(surface, p.accent, rect, max(2, pj.px(3)), border_radius=pj.px(6))
            elif tied:
                pygame.draw.rect(surface, p.accent, rect, max(1, pj.px(2)), border_radius=pj.px(6))
            blit_block(surface, words, rect.x + pj.px(14), rect.y + pj.px(8))
            if risky:
                pill = pygame.Rect(rect.x + pj.px(10), rect.y + pj.px(8) + words.height, meta.width + pj.px(10),
                                   meta.height)
                pygame.draw.rect(surface, p.danger, pill, border_radius=pj.px(4))
            blit_block(surface, meta, rect.x + pj.px(14), rect.y + pj.px(8) + words.height)
            if choice.available and self.revealed:
                n = counts.get(choice.index, 0)
                typed = choice.index in self.fac.keyboard.touched
                number = text.line(str(n) if (n or typed) else "–", "sans-bold", pj.title,
                                   p.accent if focused else p.strong)
                nx = rect.right - pj.px(14) - number.get_width()
                surface.blit(number, (nx, rect.centery - number.get_height() // 2))
                bar_x = rect.right - self.count_w - self.bar_w - pj.px(14)
                track = pygame.Rect(bar_x, rect.centery - pj.px(9), self.bar_w, pj.px(18))
                pygame.draw.rect(surface, p.panel, track, border_radius=pj.px(4))
                if n and most:
                    fill = track.copy()
                    fill.w = max(pj.px(4), round(self.bar_w * n / most))
                    pygame.draw.rect(surface, p.accent if n == most else p.muted, fill, border_radius=pj.px(4))
            y += height + row_gap
        if self.channel is not None:
            self.draw_join_panel(surface, pygame.Rect(safe.right - self.panel_w, safe.y, self.panel_w,
                                                      safe.h - pj.px(110)))
        summary = f"{total} vote{'s' * (total != 1)}" if total else "No votes yet"
        if not self.revealed:
            summary += "  ·  hidden until you reveal them (V)"
        if self.countdown is not None:
            summary += f"  ·  closing in {max(0, round(self.countdown))} s"
        sources = [s.name for s in self.fac.sources if s.current()]
        if sources and sources != ["keyboard"]:
            summary += "  ·  counted from " + ", ".join(sources)
        phones = "V reveal  ·  T timer  ·  O override  ·  " if self.channel is not None else ""
        hint = ("Up/Down option  ·  0-9 votes  ·  Backspace erase  ·  +/− one vote  ·  " + phones
                + "Enter: decide  ·  Esc: back")
        hint_h = self.block(hint, "sans", pj.small, safe.w, p.muted, 1.3).height
        line = text.line(summary, "sans-bold", pj.ui, p.strong)
        footer_y = safe.bottom - hint_h - pj.px(14) - line.get_height()
        surface.blit(line, (safe.x, max(y, footer_y)))
        if self.message:
            msg = self.block(self.message, "sans-bold", pj.ui, safe.w - line.get_width() - pj.px(30), p.accent, 1.25)
            blit_block(surface, msg, safe.x + line.get_width() + pj.px(30), max(y, footer_y))
        self.hints(surface, hint)

    def draw_join_panel(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """How to join from a phone: the QR code, the address and the room code, and live counts."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        channel = self.channel
        pygame.draw.rect(surface, p.panel, rect, border_radius=pj.px(8))
        x, y, w = rect.x + pj.px(16), rect.y + pj.px(14), rect.w - pj.px(32)
        label = text.line("VOTE FROM YOUR PHONE", "sans-bold", pj.small, p.accent)
        surface.blit(label, (x, y))
        y += label.get_height() + pj.px(10)
        qr = self.qr_surface(w)
        if qr is not None:
            surface.blit(qr, (x + (w - qr.get_width()) // 2, y))
            y += qr.get_height() + pj.px(10)
        address = self.block(channel.url, "sans", pj.small, w, p.text, 1.25)
        blit_block(surface, address, x, y)
        y += address.height + pj.px(8)
        code = text.line(f"Room {channel.room_code}", "sans-bold", pj.title, p.strong)
        if code.get_width() > w:
            code = text.line(f"Room {channel.room_code}", "sans-bold", round(pj.title * w / code.get_width()), p.strong)
        surface.blit(code, (x, y))
        y += code.get_height() + pj.px(8)
        voted = channel.votes_cast()
        surface.blit(text.line(f"{voted} voted", "sans-bold", pj.ui, p.strong), (x, y))
        y += round(pj.ui * 1.35)
        devices = channel.connected()
        surface.blit(text.line(f"{devices} device{'s' * (devices != 1)} connected", "sans", pj.small, p.text), (x, y))

    def qr_surface(self, width: int) -> pygame.Surface | None:
        """The join link as a QR code, as large as fits (whole pixels per module, so it stays sharp)."""
        if self._qr is not None and self._qr[0] == width:
            return self._qr[1]
        try:
            modules = len(self.channel.qr_matrix(border=2))
            scale = max(2, width // max(1, modules))
            image = pygame.image.load(io.BytesIO(self.channel.qr_png(scale=scale, border=2)), "qr.png")
        except (pygame.error, OSError, ValueError):
            return None
        self._qr = (width, image)
        return image
