"""The vote: each option with its cost and risk, the tally as a number and a bar, and the class's decision.

↑/↓ choose a row; digits type that option's count (Backspace erases, + and − add
or take one); Enter takes the decision. Most votes wins. A tie asks the facilitator
to pick one of the tied options (↑/↓ then Enter). With no votes at all, the first
Enter asks for a second to take the highlighted option as the class's decision.
The counts shown are the sum of every tally source (the keyboard, and the students'
phones); the record keeps each source's counts and how it was decided.

With phones (``facilitate --lan``) a panel shows the join address as a QR code, the
room code, live counts of devices and votes, and warnings (codes being guessed, more
votes than devices, a locked room); the per-option counts stay hidden until the
facilitator reveals them (V, or the first Enter), which also closes the phones' vote,
so what the class sees is what is decided. T starts a 30-second countdown that
closes the vote (the facilitator still decides); O takes the highlighted option
whatever the votes (recorded as an override); N a new room code, L lock the room,
R reset this vote. Esc opens the pause menu with the vote still open (the countdown
stops while anything covers the vote: the menu, the blank screen, a fact); F the facts.

Layout: every option, its count, the totals, the messages and the hints fit the
window: the text shrinks step by step (``SCALES``), then the options go into two
columns; the QR code takes the height the panel's words leave. ``boxes`` holds what
was drawn where (a test checks that nothing leaves the window or covers the hints).
"""

from __future__ import annotations

import pygame

from game.classroom.vote import VoteChannel, settle
from game.errors import Impossible
from game.l10n import _, ngettext
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, letter, qr_image
from game.ui.widgets.text import blit_block

SCALES = (1.0, 0.9, 0.8, 0.72, 0.64, 0.58)  # text sizes tried, largest first, before going to two columns


class VoteScene(FacilitateScene):
    name = "facilitate-vote"
    facts_on_f = True

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
        elif isinstance(cmd, c.TypeText) and letter(cmd) in ("v", "t", "o", "n", "l", "r") \
                and self.channel is not None:
            key = letter(cmd)
            if key == "v":
                self.reveal()
            elif key == "t":
                if self.revealed:
                    self.app.notify(_("The vote is already closed."))
                else:
                    self.countdown = None if self.countdown is not None else 30.0
            elif key == "o":
                self.reveal()
                self.take(self.focus, "override")
            else:
                self.room_control(key)
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
                if not self.revealed:
                    self.reveal()  # the first Enter shows the final counts; the next one decides
                else:
                    self.decide()
        elif isinstance(cmd, c.Back):
            from game.ui.classroom.pause import FacilitatePauseScene

            self.app.push(FacilitatePauseScene(self.app, self.fac))  # the vote stays open behind the menu
        return None

    def reveal(self) -> None:
        """Show the counts and close the phones' vote: what the class sees is what is decided."""
        if self.revealed:
            return
        self.revealed = True
        self.countdown = None
        if self.channel is not None and self.fac.decision is not None:
            self.fac.tally()  # the phones hold the hands typed up to now, so they show the projector's counts
            self.channel.close(self.fac.decision.id)
        self._changed()
        self.message = self.reveal_message()

    def room_control(self, key: str) -> None:
        """N a new room code, L lock or unlock the room, R reset this vote (the teacher's controls)."""
        channel = self.channel
        if key == "n" and hasattr(channel, "new_code"):
            channel.new_code()
            self._qr = None
            self.app.notify(_("New room code {code}: joined devices stay in.").format(code=channel.room_code))
        elif key == "l" and hasattr(channel, "lock"):
            channel.lock(not getattr(channel, "locked", False))
            self.app.notify(_("Room locked: no new devices can join.") if channel.locked else _("Room open again."))
        elif key == "r" and self.fac.decision is not None:
            self.fac.reset_vote()
            self.revealed = False
            self.countdown = None
            self._changed()
            self.app.notify(_("The vote starts again: every count is back to zero."))

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
        if self.countdown is not None and self.app.stack.top is self:
            # Only while the class sees the vote: the pause menu, the blank screen or a fact over it stop the clock.
            self.countdown -= dt
            if self.countdown <= 0:
                self.countdown = None
                self.reveal()  # the timer closes the vote and shows the counts; the facilitator decides

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
            self.message = self.tie_message(self.tied)
        else:
            if self.confirm_empty:
                self.take(self.focus, "facilitator")
            else:
                self.confirm_empty = True
                self.message = self.empty_message(self.focus)

    def take(self, index: int, how: str) -> None:
        app = self.app
        try:
            outcome = self.fac.close_vote(index, how)
        except Impossible as exc:
            app.notify(_("Not possible: {error}.").format(error=exc))
            return
        app.pop()
        from game.ui.classroom.story import FacilitateStoryScene

        story = app.stack.find(FacilitateStoryScene)
        if story is not None:
            story.chosen(outcome)

    # ------------------------------------------------------------------ layout and drawing
    def relayout(self) -> None:
        """Fit every option, its count, the footer and the hints into the window: shrink, then two columns."""
        self._layout = None
        for columns in (1, 2):
            for scale in SCALES:
                layout = self._try_layout(scale, columns)
                if layout is not None:
                    self._layout = layout
                    return
        self._layout = self._try_layout(SCALES[-1], 2, force=True)

    def _try_layout(self, scale: float, columns: int, force: bool = False) -> dict | None:
        pj, p = self.pj, self.theme.palette
        safe = pj.safe
        ui = max(14, round(pj.ui * scale))
        small = max(13, round(pj.small * scale))
        title = max(18, round(pj.title * scale))
        hint_h = self.block(self.hint_text(), "sans", pj.small, safe.w, p.muted, 1.3).height
        hint_top = safe.bottom - hint_h
        panel_w = pj.px(300) if self.channel is not None else 0
        gap = pj.px(24)
        rows_w = safe.w - (panel_w + gap if panel_w else 0)
        kicker_h = self.app.text.line("X", "sans-bold", pj.small, p.accent).get_height()
        head = self.block(self.view.title or self.view.node_id, "serif-bold", title, rows_w, p.strong, 1.1)
        top = safe.y + kicker_h + pj.px(4) + head.height + pj.px(10)
        summary_h = self.app.text.line("0", "sans-bold", ui, p.strong).get_height()
        messages = [self.tie_message(self.open), self.empty_message(self.focus), self.reveal_message()]
        msg_h = max(self.block(m, "sans-bold", ui, rows_w, p.accent, 1.25).height for m in messages)
        footer_top = hint_top - pj.px(10) - msg_h - pj.px(4) - summary_h
        col_gap = pj.px(16)
        col_w = (rows_w - (columns - 1) * col_gap) // columns
        count_size = max(18, round(pj.title * scale * 0.9))
        count_w = self.app.text.line("888", "sans-bold", count_size, p.strong).get_width() + pj.px(10)
        bar_w = max(pj.px(40), round(pj.px(150) * scale / columns))
        text_w = col_w - count_w - bar_w - pj.px(40)
        if text_w < pj.px(160) and not force:
            return None
        per_col = -(-len(self.view.choices) // columns)
        rows = []
        col_y = [top] * columns
        row_gap = max(2, round(pj.px(8) * scale))
        pad = max(2, round(pj.px(6) * scale))
        for n, choice in enumerate(self.view.choices):
            col = n // per_col
            words = self.block(f"{choice.index + 1}.  {choice.text}", "sans-bold" if choice.available else "sans",
                               ui, text_w, p.strong if choice.available else p.faint, 1.2)
            if choice.available:
                bits = [choice.cost_text] if choice.cost_text else []
                if choice.risk is not None:
                    bits.append(_("{percent} risk: {risk}").format(percent=choice.risk.percent, risk=choice.risk.label))
                meta = self.block("  ·  ".join(bits) or _("no cost"), "sans", small, text_w,
                                  p.danger_text if choice.risk else p.muted, 1.2)
            else:
                meta = self.block(_("Closed: {reason}").format(reason=choice.reason), "sans", small, text_w, p.faint, 1.2)
            height = words.height + meta.height + 2 * pad
            rect = pygame.Rect(safe.x + col * (col_w + col_gap), col_y[col], col_w, height)
            col_y[col] += height + row_gap
            # A closed option shows its reason in faint text, not its risk: no danger badge behind that text.
            risky = choice.available and choice.risk is not None
            rows.append((choice, words, meta, risky, rect))
        if max(col_y) - row_gap > footer_top and not force:
            return None
        return {"ui": ui, "small": small, "head": head, "rows": rows, "rows_w": rows_w, "count_size": count_size,
                "count_w": count_w, "bar_w": bar_w, "pad": pad, "footer_y": max(footer_top, max(col_y)),
                "hint_top": hint_top, "panel": pygame.Rect(safe.right - panel_w, safe.y, panel_w,
                                                           hint_top - pj.px(12) - safe.y),
                "scale": scale, "columns": columns}

    def hint_text(self) -> str:
        phones = (_("V: reveal and close  ·  T: timer  ·  O: override  ·  N: new code  ·  L: lock  ·  R: reset")
                  + "  ·  " if self.channel is not None else "")
        return (_("Up/Down option  ·  0-9 votes  ·  Backspace erase  ·  +/− one vote") + "  ·  " + phones
                + _("Enter: decide  ·  F: facts  ·  Esc: pause"))

    @staticmethod
    def tie_message(tied: list[int] | tuple[int, ...]) -> str:
        names = ", ".join(str(i + 1) for i in tied)
        return _("A tie between {options}. Choose with Up/Down and press Enter to settle it.").format(options=names)

    @staticmethod
    def empty_message(focus: int) -> str:
        return _("No votes entered. Press Enter again to take option {n} as the class's decision.").format(n=focus + 1)

    @staticmethod
    def reveal_message() -> str:
        return _("The vote is closed: these are the final counts. Press Enter to take the decision.")

    def draw(self, surface: pygame.Surface) -> None:
        pj, p, text = self.pj, self.theme.palette, self.app.text
        safe = pj.safe
        lay = self._layout
        self.boxes: list[tuple[str, pygame.Rect]] = []
        h = self.kicker(surface, _("The class decides"))
        y = safe.y + h + pj.px(4)
        blit_block(surface, lay["head"], safe.x, y)
        self.boxes.append(("title", pygame.Rect(safe.x, y, lay["head"].width, lay["head"].height)))
        counts = self.fac.tally()
        total = sum(counts.values())
        most = max(counts.values(), default=0)
        pad = lay["pad"]
        for choice, words, meta, risky, rect in lay["rows"]:
            focused = choice.index == self.focus
            tied = choice.index in self.tied
            self.boxes.append((f"option {choice.index + 1}", rect))
            if focused:
                pygame.draw.rect(surface, p.panel_hi, rect, border_radius=pj.px(6))
                pygame.draw.rect(surface, p.accent, rect, max(2, pj.px(3)), border_radius=pj.px(6))
            elif tied:
                pygame.draw.rect(surface, p.accent, rect, max(1, pj.px(2)), border_radius=pj.px(6))
            blit_block(surface, words, rect.x + pj.px(12), rect.y + pad)
            if risky:
                pill = pygame.Rect(rect.x + pj.px(8), rect.y + pad + words.height, meta.width + pj.px(10),
                                   meta.height)
                pygame.draw.rect(surface, p.danger, pill, border_radius=pj.px(4))
            blit_block(surface, meta, rect.x + pj.px(12), rect.y + pad + words.height)
            if choice.available and self.revealed:
                n = counts.get(choice.index, 0)
                typed = choice.index in self.fac.keyboard.touched
                number = text.line(str(n) if (n or typed) else "–", "sans-bold", lay["count_size"],
                                   p.accent if focused else p.strong)
                nx = rect.right - pj.px(8) - number.get_width()
                ny = rect.centery - number.get_height() // 2
                surface.blit(number, (nx, ny))
                self.boxes.append((f"count {choice.index + 1}", pygame.Rect(nx, ny, *number.get_size())))
                bar_x = rect.right - lay["count_w"] - lay["bar_w"] - pj.px(8)
                track = pygame.Rect(bar_x, rect.centery - pj.px(8), lay["bar_w"], pj.px(16))
                pygame.draw.rect(surface, p.panel, track, border_radius=pj.px(4))
                if n and most:
                    fill = track.copy()
                    fill.w = max(pj.px(4), round(lay["bar_w"] * n / most))
                    pygame.draw.rect(surface, p.accent if n == most else p.muted, fill, border_radius=pj.px(4))
            elif choice.available and choice.index in self.fac.keyboard.touched:
                # Phones' counts stay hidden until V, but the hands the facilitator types are shown as typed
                # (the room saw the hands go up), in muted words so they do not read as the option's total.
                hands = self.fac.keyboard.counts.get(choice.index, 0)
                words = text.line(ngettext("{n} hand", "{n} hands", hands).format(n=hands), "sans-bold", lay["ui"],
                                  p.accent if focused else p.muted)
                nx = rect.right - pj.px(8) - words.get_width()
                ny = rect.centery - words.get_height() // 2
                surface.blit(words, (nx, ny))
                self.boxes.append((f"hands {choice.index + 1}", pygame.Rect(nx, ny, *words.get_size())))
        if self.channel is not None:
            self.draw_join_panel(surface, lay["panel"])
        summary = ngettext("{n} vote", "{n} votes", total).format(n=total) if total else _("No votes yet")
        if not self.revealed:
            summary += "  ·  " + _("hidden until you reveal them (V)")
        if self.countdown is not None:
            summary += "  ·  " + _("closing in {seconds} s").format(seconds=max(0, round(self.countdown)))
        by_source = {s.name: sum(s.current().values()) for s in self.fac.sources}
        if self.channel is not None and self.revealed:
            hands = sum(n for name, n in by_source.items() if name != self.channel.name)
            summary += "  ·  " + _("{phones} from phones, {hands} by hands").format(
                phones=by_source.get(self.channel.name, 0), hands=hands)
        line = text.line(summary, "sans-bold", lay["ui"], p.strong)
        if line.get_width() > lay["rows_w"]:
            line = text.line(summary, "sans-bold", max(12, round(lay["ui"] * lay["rows_w"] / line.get_width())),
                             p.strong)
        fy = lay["footer_y"]
        surface.blit(line, (safe.x, fy))
        self.boxes.append(("total", pygame.Rect(safe.x, fy, *line.get_size())))
        if self.message:
            msg = self.block(self.message, "sans-bold", lay["ui"], lay["rows_w"], p.accent, 1.25)
            my = fy + line.get_height() + pj.px(4)
            blit_block(surface, msg, safe.x, my)
            self.boxes.append(("message", pygame.Rect(safe.x, my, msg.width, msg.height)))
        hint = self.hint_text()
        self.hints(surface, hint)
        hint_h = self.block(hint, "sans", pj.small, safe.w, p.muted, 1.3).height
        self.boxes.append(("hints", pygame.Rect(safe.x, safe.bottom - hint_h, safe.w, hint_h)))

    def draw_join_panel(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """How to join from a phone: the QR code, the address and the room code, live counts and warnings.

        The QR code takes whatever height the words leave, so the panel always fits above the hints."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        channel = self.channel
        pygame.draw.rect(surface, p.panel, rect, border_radius=pj.px(8))
        self.boxes.append(("panel", rect))
        x, w = rect.x + pj.px(14), rect.w - pj.px(28)
        parts: list[tuple[str, object]] = []
        parts.append(("label", text.line(_("VOTE FROM YOUR PHONE"), "sans-bold", pj.small, p.accent)))
        parts.append(("qr", None))
        parts.append(("address", self.block(channel.url, "sans", pj.small, w, p.text, 1.2)))
        room = _("Room {code}").format(code=channel.room_code)
        code = text.line(room, "sans-bold", pj.title, p.strong)
        if code.get_width() > w:
            code = text.line(room, "sans-bold", round(pj.title * w / code.get_width()),
                             p.strong)
        parts.append(("code", code))
        voted = channel.votes_cast()
        parts.append(("voted", text.line(_("{n} voted").format(n=voted), "sans-bold", pj.ui, p.strong)))
        devices = channel.connected()
        waiting = getattr(channel, "waiting", lambda: 0)()
        words = ngettext("{n} device connected", "{n} devices connected", devices).format(n=devices)
        if waiting:
            words += _(", {n} not joined").format(n=waiting)
        parts.append(("devices", self.block(words, "sans", pj.small, w, p.text, 1.2)))
        for warning in self.warnings():
            parts.append(("warning", self.block(warning, "sans-bold", pj.small, w, p.bad, 1.2)))
        gap = pj.px(6)

        def height(item: object) -> int:
            return item.get_height() if isinstance(item, pygame.Surface) else item.height  # type: ignore[union-attr]

        fixed = sum(height(item) + gap for name, item in parts if name != "qr") + pj.px(24)
        qr_side = min(w, rect.h - fixed - gap)
        y = rect.y + pj.px(12)
        for name, item in parts:
            if name == "qr":
                qr = self.qr_surface(qr_side) if qr_side >= pj.px(72) else None
                if qr is not None:
                    surface.blit(qr, (x + (w - qr.get_width()) // 2, y))
                    self.boxes.append(("qr", pygame.Rect(x + (w - qr.get_width()) // 2, y, *qr.get_size())))
                    y += qr.get_height() + gap
                continue
            if isinstance(item, pygame.Surface):
                surface.blit(item, (x, y))
                self.boxes.append((name, pygame.Rect(x, y, *item.get_size())))
            else:
                blit_block(surface, item, x, y)  # type: ignore[arg-type]
                self.boxes.append((name, pygame.Rect(x, y, item.width, item.height)))  # type: ignore[union-attr]
            y += height(item) + gap

    def warnings(self) -> list[str]:
        """What the facilitator must know about the room: someone guessing the code, more votes than devices."""
        channel = self.channel
        out = []
        if channel is None:
            return out
        if getattr(channel, "guessing", lambda: False)():
            out.append(_("Many wrong room codes: someone may be guessing. N: a new code."))
        if channel.votes_cast() > channel.connected():
            out.append(_("More votes than devices connected."))
        if getattr(channel, "locked", False):
            out.append(_("The room is locked: no new devices."))
        return out

    def qr_surface(self, width: int) -> pygame.Surface | None:
        """The join link as a QR code, as large as fits (the shared helper, cached per width)."""
        self._qr = qr_image(self.channel, width, self._qr)
        return self._qr[1] if self._qr is not None else None
