"""The teacher's dashboard of class journeys, on the projector: the whole class at a glance, nobody named.

What it shows, from the model's :class:`~game.classroom.journeys.ClassSnapshot` only:
how to join (QR code, address, room code), how many joined, play and finished, how
many are in each chapter (bars), dots on the route map where they are, the endings
so far by kind, and the time played. The game window is often mirrored to the
projector, so nothing here names a student or shows anything a student typed
(nicknames live on the teacher's phone page, served by game.lan).

Controls (keys shown on screen as buttons, which a click also presses; the letters
keep the facilitator's meanings): **P** pause everyone ("Eyes on the board" on every
page) or let them go on, **D** a discussion prompt on every page (the story's
questions near where most students are, or one typed), **L** lock or open the room,
**N** a new room code, **T** the teacher link, **E** end the session (asks first,
then the class debrief), **B** blank this screen, **Esc** the menu (where Quit is:
the session stays resumable).

The teacher link (the teacher page, with the students' nicknames, behind its own
code) is hidden by default, because this window is usually the projector: **T**
shows it in place of the join panel, as a QR code for the teacher's phone with the
link and the code, and hides it again; it hides itself after
:data:`TEACHER_SECONDS`, so it is never left up in front of the class. When many
wrong room codes arrive from anywhere (someone guessing), the join panel says so
in red, as the voting projector does: **N** gives a new code.

Redrawing: the loop is woken 60 times a second by a timer while the dashboard is up,
and the scene reports itself busy (so the window is redrawn) only when the
snapshot's ``version`` changed, or the minute shown did: at most 60 redraws a second,
none while nothing changes.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import pygame

from game.l10n import N_, _
from game.story.model import ENDING_KIND_LABELS, ENDING_KINDS
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, letter, qr_image
from game.ui.classroom.pause import _Panel
from game.ui.widgets.text import blit_block

POLL_SECONDS = 1 / 60
WAKE_EVENT = pygame.event.custom_type()  # the 60 Hz timer that wakes a sleeping loop to look for changes
SCALES = (1.0, 0.9, 0.8, 0.72, 0.64, 0.56)
TEACHER_SECONDS = 60.0   # the teacher link hides itself after this long (the projector is public)


@dataclass(frozen=True, slots=True)
class Control:
    """A key on the dashboard: ``Control("p", "P", "Pause everyone")``."""

    key: str
    cap: str
    label: str
    other: str = ""   # the words it shows in the other state (measured too, so the buttons never move)


def controls_for(paused: bool, locked: bool, prompt: bool, renew: bool, teacher: bool | None = None
                 ) -> tuple[Control, ...]:
    """The controls as they read now (Pause or Let them go on, Lock or Open the room). ``teacher``: whether
    the teacher link is shown now (None: this room has no teacher page)."""
    def two(key: str, cap: str, on: bool, yes: str, no: str) -> Control:
        return Control(key, cap, yes if on else no, no if on else yes)

    shown = [two("p", "P", paused, _("Let everyone go on"), _("Pause everyone")),
             two("d", "D", prompt, _("Change the prompt"), _("Discussion prompt")),
             two("l", "L", locked, _("Open the room"), _("Lock the room"))]
    if renew:
        shown.append(Control("n", "N", _("New room code")))
    if teacher is not None:
        shown.append(two("t", "T", teacher, _("Hide the teacher link"), _("Teacher link")))
    shown += [Control("e", "E", _("End the session")), Control("b", "B", _("Blank")),
              Control("esc", "Esc", _("Menu"))]
    return tuple(shown)


def minutes_words(minutes: float) -> str:
    whole = max(0, int(minutes))
    if whole >= 60:
        return _("{hours} h {minutes} min").format(hours=whole // 60, minutes=f"{whole % 60:02d}")
    return _("{minutes} min").format(minutes=whole)


class DashboardScene(FacilitateScene):
    """The class's journeys as a whole. ``channel``: the LAN server (or a stand-in) with ``journeys``,
    ``url``, ``room_code`` and ``qr_png``/``qr_matrix``."""

    name = "journeys-dashboard"

    def __init__(self, app, channel: Any, title: str = "") -> None:  # noqa: ANN001
        super().__init__(app, None)
        self.channel = channel
        self.journeys = channel.journeys
        self.title = title
        self.snap = self.journeys.snapshot()
        self.drawn: tuple[int, int] | None = None   # (version, minute) last drawn
        self._polled = 0.0
        self._qr: tuple[int, pygame.Surface] | None = None
        self._still: tuple[tuple, pygame.Surface, list[tuple[str, pygame.Rect]]] | None = None
        self.boxes: list[tuple[str, pygame.Rect]] = []
        self.buttons: list[tuple[Control, pygame.Rect]] = []
        self.cut_short: set[str] = set()  # chapter titles or ending words drawn shortened ("…"), for the tests
        self.teacher_until: float | None = None   # the teacher link is shown until then (monotonic seconds)
        self._teacher_qr: tuple[int, pygame.Surface] | None = None
        self.dot_counts: list[int] = []   # the counts drawn on the map's dots, for the tests (they add up)

    # ------------------------------------------------------------------ lifecycle
    def enter(self) -> None:
        self.relayout()
        self._wake(True)

    def resume(self) -> None:
        self.poll(force=True)
        self.relayout()
        self._wake(True)

    def pause(self) -> None:
        self._wake(False)

    def exit(self) -> None:
        self._wake(False)

    @staticmethod
    def _wake(on: bool) -> None:
        """A timer event 60 times a second keeps the loop looking for changes (it is dropped as no command)."""
        if pygame.get_init():
            pygame.time.set_timer(WAKE_EVENT, round(POLL_SECONDS * 1000) if on else 0)

    # ------------------------------------------------------------------ the model
    def poll(self, force: bool = False) -> None:
        """Take a fresh snapshot, at most 60 times a second (cheap: the model bumps a version on change)."""
        now = time.monotonic()
        if not force and now - self._polled < POLL_SECONDS:
            return
        self._polled = now
        version = getattr(self.journeys, "version", None)
        if not force and isinstance(version, int) and version == self.snap.version:
            return
        self.snap = self.journeys.snapshot()

    def shown_key(self) -> tuple[int, int, bool, bool]:
        return self.snap.version, int(self.snap.minutes_played), self.teacher_shown, self.guessing()

    def busy(self) -> bool:
        self.poll()
        if self.teacher_until is not None and time.monotonic() >= self.teacher_until:
            self.teacher_until = None   # hidden again by itself: the projector is public
        return self.shown_key() != self.drawn

    @property
    def teacher_shown(self) -> bool:
        return self.teacher_until is not None

    def has_teacher_page(self) -> bool:
        return bool(getattr(self.channel, "teacher_link", ""))

    def guessing(self) -> bool:
        """Whether wrong room codes from all addresses together are over the limit now (someone guessing)."""
        room = getattr(self.channel, "room", None)
        try:
            return bool(room.guessing()) if room is not None else False
        except Exception:  # noqa: BLE001 - a stand-in without a room: no warning
            return False

    def act(self, key: str) -> bool:
        """Carry out a control; True when ``key`` is one."""
        snap, app = self.snap, self.app
        if key == "p":
            self.journeys.pause(not snap.paused)
            app.notify(_("Every page shows “Eyes on the board” and takes no input.") if not snap.paused
                       else _("The pages take input again."))
        elif key == "d":
            from game.ui.classroom.prompt import PromptPickerScene

            app.push(PromptPickerScene(app, self.journeys, self.snap))
        elif key == "l":
            self.journeys.lock(not snap.locked)
            app.notify(_("Room locked: nobody new can join; everyone in plays on.") if not snap.locked
                       else _("Room open again: new students can join."))
        elif key == "t" and self.has_teacher_page():
            self.teacher_until = None if self.teacher_shown else time.monotonic() + TEACHER_SECONDS
            if self.teacher_shown:
                app.notify(_("The teacher link is on the screen: it hides itself after a minute, or press T."))
        elif key == "n" and hasattr(self.channel, "new_code"):
            self.channel.new_code()
            self._qr = None
            app.notify(_("New room code {code}: students already in stay in.").format(code=self.channel.room_code))
        elif key == "e":
            app.push(ConfirmEndScene(app, self.journeys, self.title))
        elif key == "b":
            app.push(BlankScreen(app))
        elif key == "esc":
            app.push(DashboardMenuScene(app, self))
        else:
            return False
        self.poll(force=True)
        return True

    # ------------------------------------------------------------------ input
    def handle(self, cmd: c.Command) -> c.Command | None:
        key = letter(cmd)
        if key:
            self.act(key)
        elif isinstance(cmd, c.Back):
            self.act("esc")
        elif isinstance(cmd, c.Click):
            for control, rect in self.buttons:
                if rect.collidepoint(cmd.pos):
                    self.act(control.key)
                    break
        return None

    # ------------------------------------------------------------------ layout
    def relayout(self) -> None:
        """Rects that do not depend on the snapshot; text sizes shrink step by step until the column fits."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        safe = pj.safe
        self.kicker_h = text.line("X", "sans-bold", pj.small, p.accent).get_height()
        gap = pj.px(18)
        panel_w = min(pj.px(300), round(safe.w * 0.28))
        top = safe.y + self.kicker_h + pj.px(10)
        self.control_scale = next((sc for sc in (1.0, 0.9, 0.8) if len({r.y for _, r in self._place_controls(sc)}) == 1),
                                  0.8)
        self.control_rows = self._place_controls(self.control_scale)
        controls_h = self.control_rows[-1][1].bottom - self.control_rows[0][1].top if self.control_rows else 0
        self.controls_top = safe.bottom - controls_h
        prompt_h = 2 * round(pj.small * 1.3) + pj.px(4)
        self.prompt_rect = pygame.Rect(safe.x, self.controls_top - pj.px(10) - prompt_h, safe.w, prompt_h)
        bottom = self.prompt_rect.top - pj.px(10)
        self.panel = pygame.Rect(safe.x, top, panel_w, bottom - top)
        x0 = self.panel.right + gap
        self.stats = pygame.Rect(x0, top, safe.right - x0, round(pj.title * 1.25) + round(pj.small * 1.3))
        body_top = self.stats.bottom + pj.px(12)
        body_h = bottom - body_top
        story = self.app.story
        self.chapters = [title for _, title in story.chapters] or sorted({n.chapter for n in story.nodes.values()})
        # The map takes the width its shape needs at this height; the chapters and the endings share the rest,
        # side by side when there is room for both, else one above the other.
        width = safe.right - x0
        # Side by side, each column as wide as its longest words need at full size (at least 220 px each),
        # the map giving up width down to 30% of the space for it: a chapter's title is never cut short
        # where there is room for it ("Hiding in China", not "Hiding in Chi…").
        two = max(2 * pj.px(220), sum(self._needs(max(12, round(pj.small * SCALES[0]))))) + gap
        map_w = min(round(body_h * self.map_aspect()), max(round(width * 0.3), width - gap - two))
        self.map_rect = pygame.Rect(x0, body_top, map_w, body_h)
        col_x = self.map_rect.right + gap
        col_w = safe.right - col_x
        self.side_by_side = col_w >= min(two, 2 * pj.px(220) + gap)
        rows, heads = ((max(len(self.chapters), len(ENDING_KINDS)), 1) if self.side_by_side
                       else (len(self.chapters) + len(ENDING_KINDS), 2))
        self.row_scale = SCALES[-1]
        for scale in SCALES:
            size = max(12, round(pj.small * scale))
            row_h = text.line("Xg", "sans", size, p.text).get_height() + max(2, round(pj.px(6) * scale))
            head_h = text.line("X", "sans-bold", size, p.accent).get_height() + pj.px(6)
            if rows * row_h + heads * (head_h + pj.px(14)) <= body_h:
                self.row_scale = scale
                break
        self.row_size = max(12, round(pj.small * self.row_scale))
        if self.side_by_side:
            # The width left over is shared in proportion to what each column needs; if there is not enough
            # for both, each gives up in proportion too (a label loses its end, never its count).
            chapters, endings = self._needs(self.row_size)
            room = col_w - gap
            spare = max(0, room - chapters - endings)
            half = min(room - 1, max(1, round(chapters + spare * chapters / (chapters + endings)) if spare
                                     else round(room * chapters / (chapters + endings))))
            self.columns = [pygame.Rect(col_x, body_top, half, body_h),
                            pygame.Rect(col_x + half + gap, body_top, col_w - half - gap, body_h)]
        else:
            self.columns = [pygame.Rect(col_x, body_top, col_w, body_h)]
        self.drawn = None
        self._still = None

    def _needs(self, size: int) -> tuple[int, int]:
        """The widths the chapters' column and the endings' column need at a type size: the widest words of
        a row (or the heading) beside a three-figure count, with the row's padding (see draw_column)."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        count = text.line("888", "sans-bold", size, p.strong).get_width() + pj.px(26)

        def need(head: str, labels: list[str]) -> int:
            words = max([text.line(label, "sans", size, p.text).get_width() for label in labels] + [0])
            return max(words + count, text.line(_(head), "sans-bold", size, p.accent).get_width())

        return (need(N_("WHERE THEY ARE"), list(self.chapters)),
                need(N_("ENDINGS SO FAR"), [ENDING_KIND_LABELS.get(k, k) for k in ENDING_KINDS]))

    def map_aspect(self) -> float:
        """Width over height of the part of the map the dashboard shows (every place, with a margin)."""
        route = self.app.route
        if route is None or not route.locations:
            return 1.0
        xs = [loc.x for loc in route.locations.values()]
        ys = [loc.y for loc in route.locations.values()]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        margin = 0.12 * max(w, h)
        return (w + 2 * margin) / max(1.0, h + 2 * margin)

    def _place_controls(self, scale: float) -> list[tuple[Control, pygame.Rect]]:
        """The control buttons in rows from the bottom of the safe area (wrapping when the window is narrow)."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        safe = pj.safe
        size = max(13, round(pj.small * scale))
        pad = pj.px(8)
        h = text.line("Xg", "sans-bold", size, p.strong).get_height() + 2 * pad // 2
        placed: list[tuple[Control, pygame.Rect]] = []
        x, row = safe.x, 0
        for control in controls_for(self.snap.paused, self.snap.locked, self.snap.prompt is not None,
                                    hasattr(self.channel, "new_code"),
                                    self.teacher_shown if self.has_teacher_page() else None):
            words = max(text.line(words, "sans", size, p.strong).get_width()
                        for words in (control.label, control.other or control.label))
            w = text.line(control.cap, "sans-bold", size, p.bg).get_width() + 2 * pad + words + 2 * pad
            if x > safe.x and x + w > safe.right:
                x, row = safe.x, row + 1
            placed.append((control, pygame.Rect(x, row, min(w, safe.w), h)))
            x += w + pj.px(10)
        rows = row + 1
        out = []
        for control, rect in placed:
            rect.y = safe.bottom - (rows - rect.y) * (h + pj.px(6)) + pj.px(6)
            out.append((control, rect))
        self.control_size = size
        return out

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        """The still parts from one cached surface (redrawn when the room's state or the prompt changes), then
        what moves with every change: the numbers, the dots and the bars (a frame stays within a few ms)."""
        snap = self.snap
        key = (surface.get_size(), snap.paused, snap.locked, snap.ended, snap.prompt, self.channel.room_code,
               self.title, self.row_size, self.teacher_shown, self.guessing())
        if self._still is None or self._still[0] != key:
            still = pygame.Surface(surface.get_size(), 0, surface)  # the window's own pixel format: a plain copy
            still.fill(self.theme.palette.bg)
            self.boxes = []
            self.draw_still(still)
            self._still = (key, still, list(self.boxes))
        for area in self.still_areas():  # only where something is: a whole-window copy costs several ms at 1080p
            surface.blit(self._still[1], area, area)
        self.boxes = list(self._still[2])
        self.drawn = self.shown_key()
        self.draw_stats(surface, self.stats)
        self.draw_dots(surface, self.map_rect)
        self.draw_column(surface, still=False)

    def still_areas(self) -> list[pygame.Rect]:
        """The parts of the window the cached layer has drawn on (the rest is the background the window fills)."""
        pj = self.pj
        top = pygame.Rect(pj.safe.x, 0, pj.safe.w, self.panel.top)
        controls = [rect for _, rect in self.buttons] or [pygame.Rect(pj.safe.x, self.controls_top, 1, 1)]
        return [top, self.panel, self.map_rect, *self.columns, self.prompt_rect, controls[0].unionall(controls)]

    def draw_still(self, surface: pygame.Surface) -> None:
        pj, p, text = self.pj, self.theme.palette, self.app.text
        safe, snap = pj.safe, self.snap
        # The kicker, and what the pages show now when they are held.
        words = _("Class journeys") + "  ·  " + (self.title or _("teacher's dashboard"))
        image = text.line(words.upper(), "sans-bold", pj.small, p.accent)
        if image.get_width() > safe.w // 2:
            image = text.line(_("Class journeys").upper(), "sans-bold", pj.small, p.accent)
        surface.blit(image, safe.topleft)
        self.boxes.append(("kicker", pygame.Rect(*safe.topleft, *image.get_size())))
        state = _("PAUSED: EYES ON THE BOARD") if snap.paused else (_("ENDED") if snap.ended else "")
        if state:
            badge = text.line(state, "sans-bold", pj.small, p.bg)
            box = pygame.Rect(0, safe.y - pj.px(2), badge.get_width() + pj.px(16), badge.get_height() + pj.px(4))
            box.right = safe.right
            pygame.draw.rect(surface, p.accent, box, border_radius=pj.px(4))
            surface.blit(badge, (box.x + pj.px(8), box.y + pj.px(2)))
            self.boxes.append(("state", box))
        if self.teacher_shown:
            self.draw_teacher(surface, self.panel)
        else:
            self.draw_join(surface, self.panel)
        self.draw_map(surface, self.map_rect)
        self.draw_column(surface, still=True)
        self.draw_prompt(surface, self.prompt_rect)
        self.draw_controls(surface)

    def draw_join(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """How to join: the QR code as large as the words leave room for, the address, the room code."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        channel = self.channel
        pygame.draw.rect(surface, p.panel, rect, border_radius=pj.px(8))
        self.boxes.append(("panel", rect))
        x, w = rect.x + pj.px(12), rect.w - pj.px(24)
        label = self.block(_("JOIN ON YOUR DEVICE"), "sans-bold", pj.small, w, p.accent, 1.2)
        address = self.block(str(channel.url).removeprefix("http://").rstrip("/"), "sans", pj.small, w, p.text, 1.2)
        room = _("Room {code}").format(code=channel.room_code)
        code = text.line(room, "sans-bold", pj.title, p.strong)
        if code.get_width() > w:
            code = text.line(room, "sans-bold", max(12, round(pj.title * w / code.get_width())),
                             p.strong)
        warnings = [_("Locked: nobody new can join.")] if self.snap.locked else []
        if self.guessing():  # as the voting projector says it (docs/lan.md): N gives a new code
            warnings.append(_("Many wrong room codes: someone may be guessing. N: a new code."))
        note = self.block("\n".join(warnings), "sans-bold", pj.small, w, p.bad, 1.2)
        gap = pj.px(6)
        fixed = label.height + address.height + code.get_height() + note.height + 5 * gap + pj.px(24)
        side = min(w, rect.h - fixed)
        y = rect.y + pj.px(12)
        blit_block(surface, label, x, y)
        self.boxes.append(("join label", pygame.Rect(x, y, label.width, label.height)))
        y += label.height + gap
        qr = self.qr_surface(side) if side >= pj.px(64) else None
        if qr is not None:
            qx = x + (w - qr.get_width()) // 2
            surface.blit(qr, (qx, y))
            self.boxes.append(("qr", pygame.Rect(qx, y, *qr.get_size())))
            y += qr.get_height() + gap
        blit_block(surface, address, x, y)
        self.boxes.append(("address", pygame.Rect(x, y, address.width, address.height)))
        y += address.height + gap
        surface.blit(code, (x, y))
        self.boxes.append(("room code", pygame.Rect(x, y, *code.get_size())))
        y += code.get_height() + gap
        if warnings:
            blit_block(surface, note, x, y)
            self.boxes.append(("warnings", pygame.Rect(x, y, note.width, note.height)))

    def draw_teacher(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """T: the teacher page's link as a QR code for the teacher's phone, the link and its code, in place of
        the join panel until T is pressed again (or :data:`TEACHER_SECONDS` pass)."""
        pj, p = self.pj, self.theme.palette
        channel = self.channel
        pygame.draw.rect(surface, p.panel, rect, border_radius=pj.px(8))
        pygame.draw.rect(surface, p.bad, rect, max(2, pj.px(3)), border_radius=pj.px(8))
        self.boxes.append(("panel", rect))
        x, w = rect.x + pj.px(12), rect.w - pj.px(24)
        label = self.block(_("TEACHER PAGE: FOR YOUR PHONE, NOT THE CLASS"), "sans-bold", pj.small, w, p.bad, 1.2)
        link = self.block(str(channel.teacher_link).removeprefix("http://"), "sans", pj.small, w, p.text, 1.2)
        code = self.block(_("Teacher code {code}").format(code=channel.teacher_code), "sans-bold", pj.ui, w,
                          p.strong, 1.2)
        hint = self.block(_("T: hide it (it hides itself after a minute)"), "sans", pj.small, w, p.muted, 1.2)
        gap = pj.px(6)
        side = min(w, rect.h - (label.height + link.height + code.height + hint.height + 5 * gap + pj.px(24)))
        y = rect.y + pj.px(12)
        for name, item in (("teacher label", label), ("teacher qr", None), ("teacher link", link),
                           ("teacher code", code), ("teacher hint", hint)):
            if item is None:
                self._teacher_qr = qr_image(_TeacherQR(channel), side, self._teacher_qr) if side >= pj.px(64) \
                    else None
                if self._teacher_qr is not None:
                    qr = self._teacher_qr[1]
                    qx = x + (w - qr.get_width()) // 2
                    surface.blit(qr, (qx, y))
                    self.boxes.append((name, pygame.Rect(qx, y, *qr.get_size())))
                    y += qr.get_height() + gap
                continue
            blit_block(surface, item, x, y)
            self.boxes.append((name, pygame.Rect(x, y, item.width, item.height)))
            y += item.height + gap

    def qr_surface(self, width: int) -> pygame.Surface | None:
        """The join link as a QR code, as large as fits (the shared helper, cached per width)."""
        self._qr = qr_image(self.channel, width, self._qr)
        return self._qr[1] if self._qr is not None else None

    def draw_stats(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Four numbers across the top: joined, playing, finished, time played."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        snap = self.snap
        tiles = ((str(snap.joined), N_("joined")), (str(snap.playing), N_("playing now")),
                 (str(snap.finished), N_("finished")), (minutes_words(snap.minutes_played), N_("played")))
        w = rect.w // len(tiles)
        for i, (number, label) in enumerate(tiles):
            x = rect.x + i * w
            big = text.line(number, "sans-bold", pj.title, p.strong)
            if big.get_width() > w - pj.px(12):
                big = text.line(number, "sans-bold", max(12, round(pj.title * (w - pj.px(12)) / big.get_width())),
                                p.strong)
            small = text.line(_(label), "sans", pj.small, p.muted)
            if small.get_width() > w - pj.px(12):
                small = text.line(_(label), "sans", max(11, round(pj.small * (w - pj.px(12)) / small.get_width())),
                                  p.muted)
            surface.blit(big, (x, rect.y))
            surface.blit(small, (x, rect.y + big.get_height()))
            self.boxes.append((f"stat {label}", pygame.Rect(x, rect.y, max(big.get_width(), small.get_width()),
                                                            big.get_height() + small.get_height())))

    def draw_map(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """The route map (drawn once per size) with a dot at each place where students are, sized by how many."""
        view = self.app.map_view
        pj = self.pj
        if view is None or rect.w < pj.px(80) or rect.h < pj.px(80):
            return
        _, static = view.layout(rect)  # the sheet and its places, drawn once per size: no journey, no caption
        surface.blit(static, rect)
        self.boxes.append(("map", rect))

    def draw_dots(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """A dot where students are, sized by how many, with its count. Places so close on the screen that their
        dots would overlap are drawn as one dot with the sum (at the place of most), so the counts shown always
        add up to the class: never a "20" over a crowd of 29."""
        view = self.app.map_view
        pj, p, text = self.pj, self.theme.palette, self.app.text
        self.dot_counts = []
        if view is None or rect.w < pj.px(80) or rect.h < pj.px(80):
            return
        known = view.route.locations
        positions = [(loc, n) for loc, n in self.snap.positions if loc in known and n > 0]
        if not positions:
            return
        base = max(4, pj.px(7))
        total = sum(n for _, n in positions)

        def radius(n: int) -> int:
            return round(base + (pj.px(22) - base) * math.sqrt(n / total)) if total > 1 else base + pj.px(4)

        # Greedy clusters, the largest place first: a place whose dot would touch a cluster's joins it.
        clusters: list[list] = []   # [x, y, n]
        for loc, n in sorted(positions, key=lambda item: (-item[1], item[0])):
            x, y = view.screen_pos(rect, loc)
            for cl in clusters:
                if math.hypot(cl[0] - x, cl[1] - y) < radius(cl[2]) + radius(n) + pj.px(3):
                    cl[2] += n
                    break
            else:
                clusters.append([x, y, n])
        # Joining can make a dot grow into another: join again until no two touch.
        merged = True
        while merged:
            merged = False
            for i, a in enumerate(clusters):
                for b in clusters[i + 1:]:
                    if math.hypot(a[0] - b[0], a[1] - b[1]) < radius(a[2]) + radius(b[2]) + pj.px(3):
                        a[2] += b[2]
                        clusters.remove(b)
                        merged = True
                        break
                if merged:
                    break
        clip = surface.get_clip()
        surface.set_clip(rect)
        for x, y, n in sorted(clusters, key=lambda cl: -cl[2]):
            r = radius(n)
            label = text.line(str(n), "sans-bold", max(12, min(pj.small, round(r * 1.2))), (0, 0, 0))
            r = max(r, label.get_width() // 2 + pj.px(3))     # the count always fits inside its dot
            pygame.draw.circle(surface, (0, 0, 0), (x, y), r + max(2, pj.px(2)))
            pygame.draw.circle(surface, p.accent, (x, y), r)
            surface.blit(label, label.get_rect(center=(round(x), round(y))))
            self.dot_counts.append(n)
        surface.set_clip(clip)

    def draw_column(self, surface: pygame.Surface, still: bool) -> None:
        """How many in each chapter, then the endings so far by kind: a bar behind each row's words.

        ``still``: the headings and the empty tracks (the cached layer); else the bars, words and counts."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        size = self.row_size
        snap = self.snap
        in_chapter = dict(snap.by_chapter)
        kinds: dict[str, int] = {}
        for kind, _title, n in snap.endings:
            kinds[kind] = kinds.get(kind, 0) + n
        sections = ((N_("WHERE THEY ARE"), [(title, in_chapter.get(title, 0)) for title in self.chapters]
                     + [(t, n) for t, n in snap.by_chapter if t not in self.chapters]),
                    (N_("ENDINGS SO FAR"), [(ENDING_KIND_LABELS.get(k, k), kinds.get(k, 0)) for k in ENDING_KINDS]
                     + [(k, n) for k, n in kinds.items() if k not in ENDING_KINDS]))
        most = max([n for _, rows in sections for _, n in rows] + [1])
        rect = self.columns[0]
        y = rect.y
        for i, (head, rows) in enumerate(sections):
            if i and len(self.columns) > 1:
                rect = self.columns[1]
                y = rect.y
            image = text.line(_(head), "sans-bold", size, p.accent)
            if still:
                surface.blit(image, (rect.x, y))
                self.boxes.append((head.lower(), pygame.Rect(rect.x, y, *image.get_size())))
            y += image.get_height() + pj.px(6)
            for label, n in rows:
                words = text.line(label, "sans", size, p.text if n else p.muted)
                count = text.line(str(n), "sans-bold", size, p.strong if n else p.muted)
                row_h = words.get_height() + max(2, round(pj.px(6) * self.row_scale))
                if y + row_h > rect.bottom:
                    break
                track = pygame.Rect(rect.x, y, rect.w, row_h - max(1, pj.px(2)))
                if still:
                    pygame.draw.rect(surface, p.panel, track, border_radius=pj.px(3))
                    self.boxes.append((f"row {label}", track))
                    y += row_h
                    continue
                if n:
                    fill = track.copy()
                    fill.w = max(pj.px(4), round(track.w * n / most))
                    surface.fill(p.panel_hi, fill)
                    surface.fill(p.accent, pygame.Rect(fill.x, fill.y, max(2, pj.px(4)), fill.h))
                room = rect.w - count.get_width() - pj.px(26)
                cut = len(label)
                if words.get_width() > room:
                    self.cut_short.add(label)
                while words.get_width() > room and cut > 1:  # a long label loses its end, never its count
                    cut -= 1
                    words = text.line(label[:cut].rstrip() + "…", "sans", size, p.text if n else p.muted)
                surface.blit(words, (rect.x + pj.px(10), y + (track.h - words.get_height()) // 2))
                surface.blit(count, (rect.right - pj.px(8) - count.get_width(),
                                     y + (track.h - count.get_height()) // 2))
                y += row_h
            y += pj.px(14)

    def draw_prompt(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """The discussion prompt on every page now (the teacher's words or the story's), or how to send one."""
        pj, p = self.pj, self.theme.palette
        prompt = self.snap.prompt
        words = (_("On every page now: “{prompt}”").format(prompt=prompt) if prompt
                 else _("No discussion prompt on the pages. D: send one."))
        block = self.block(words, "sans-bold" if prompt else "sans", pj.small, rect.w, p.strong if prompt else p.muted,
                           1.3)
        keep = len(words)
        while block.height > rect.h and keep > 20:  # a long prompt: as much as two lines hold, cut after a word
            keep = min(keep - 8, len(words) * rect.h // max(1, block.height))
            block = self.block(words[:keep].rsplit(" ", 1)[0] + "…”", "sans-bold", pj.small, rect.w, p.strong, 1.3)
        blit_block(surface, block, rect.x, rect.y)
        self.boxes.append(("prompt", pygame.Rect(rect.x, rect.y, block.width, block.height)))

    def draw_controls(self, surface: pygame.Surface) -> None:
        pj, p, text = self.pj, self.theme.palette, self.app.text
        placed = self._place_controls(self.control_scale)
        self.buttons = placed
        if placed:  # the app's notices stand above the buttons, never over them
            self.toast_bottom = min(rect.top for _, rect in placed) - pj.px(10)
        size = self.control_size
        pad = pj.px(8)
        for control, rect in placed:
            pygame.draw.rect(surface, p.panel, rect, border_radius=pj.px(6))
            cap = text.line(control.cap, "sans-bold", size, p.bg)
            key_box = pygame.Rect(rect.x, rect.y, cap.get_width() + 2 * pad, rect.h)
            pygame.draw.rect(surface, p.accent, key_box, border_radius=pj.px(6))
            surface.blit(cap, cap.get_rect(center=key_box.center))
            label = text.line(control.label, "sans", size, p.strong)
            surface.blit(label, (key_box.right + pad, rect.centery - label.get_height() // 2))
            self.boxes.append((f"control {control.cap}", rect))


# --------------------------------------------------------------------------- the panels over the dashboard


class BlankScreen(FacilitateScene):
    """B: the projector goes black until any key, so that the class looks at the teacher."""

    name = "journeys-blank"

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, (c.Hover, c.Scroll, c.AnyKey, c.Pick)):
            return None  # a letter sends AnyKey, then its text: leave on the text, so B does not blank again
        self.app.pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill((0, 0, 0))


class ConfirmEndScene(_Panel):
    """E: end the session for everyone, after a question: an ended session cannot go on."""

    name = "journeys-confirm-end"
    title = N_("End the session for everyone?")
    body = N_("Every page stops where it is and shows its journey so far; the class debrief opens here. "
              "Students cannot play on after this.")

    def __init__(self, app, journeys: Any, session_title: str = "") -> None:  # noqa: ANN001
        super().__init__(app, None)
        self.journeys = journeys
        self.session_title = session_title

    def rows(self) -> list[tuple[str, object]]:
        return [(_("No, keep playing"), self.cancel), (_("Yes, end it and show the class debrief"), self.confirm)]

    def confirm(self) -> None:
        end_session(self.app, self.journeys, self.session_title)


def end_session(app, journeys: Any, title: str = "") -> None:  # noqa: ANN001
    """End every journey (the model records it) and show the class debrief in place of the dashboard."""
    debrief = journeys.end()
    from game.ui.classroom.journeys_debrief import JourneysDebriefScene

    app.stack.replace_all(JourneysDebriefScene(app, debrief, title))


class DashboardMenuScene(_Panel):
    """Esc: every control by number, and Quit (the record stays, and ``--resume`` opens the room again)."""

    name = "journeys-menu"
    title = N_("Class journeys")

    def __init__(self, app, dashboard: DashboardScene) -> None:  # noqa: ANN001
        super().__init__(app, None)
        self.dashboard = dashboard

    def rows(self) -> list[tuple[str, object]]:
        snap = self.dashboard.snap
        return [(_("Continue"), self.cancel),
                (_("Let everyone go on") if snap.paused else _("Pause everyone (Eyes on the board)"), self.then("p")),
                (_("Send a discussion prompt"), self.then("d")),
                (_("Open the room") if snap.locked else _("Lock the room"), self.then("l")),
                *([(_("Hide the teacher link") if self.dashboard.teacher_shown else _("Teacher link"),
                    self.then("t"))] if self.dashboard.has_teacher_page() else []),
                (_("End the session for everyone…"), self.then("e")),
                (_("Quit (the session is kept: resume it with --resume)"), self.quit)]

    def then(self, key: str):  # noqa: ANN201
        def run() -> None:
            self.app.pop()
            self.dashboard.act(key)
        return run

    def quit(self) -> None:
        self.app.running = False


class _TeacherQR:
    """The teacher link in the shape :func:`qr_image` reads (``qr_matrix``, ``qr_png``)."""

    def __init__(self, channel: Any) -> None:
        self.channel = channel

    def qr_matrix(self, border: int = 4) -> list[list[bool]]:
        return self.channel.teacher_qr_matrix(border=border)

    def qr_png(self, scale: int = 8, border: int = 4) -> bytes:
        return self.channel.teacher_qr_png(scale=scale, border=border)
