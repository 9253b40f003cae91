"""Settings: text size and speed, display, contrast, motion, sound and captions. Each change applies and is saved at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pygame

from game.l10n import LANGUAGES, N_, NATIVE_NAMES, _
from game.ui import commands as c
from game.ui.scenes.base import StillScene
from game.ui.settings import TEXT_SIZES, TEXT_SPEEDS, VOLUMES
from game.ui.widgets.button import Menu, MenuItem, menu_viewport
from game.ui.widgets.text import blit_block

NAMES = {"small": N_("Small"), "medium": N_("Medium"), "large": N_("Large"), "x-large": N_("Extra large"),
         "slow": N_("Slow"), "normal": N_("Normal"), "fast": N_("Fast"), "instant": N_("Instant (no reveal)")}

# (field, label, values, words for each value, explanation)
ROWS: Sequence[tuple[str, str, tuple[Any, ...], tuple[str, ...], str]] = (
    ("text_size", N_("Text size"), TEXT_SIZES, tuple(NAMES[v] for v in TEXT_SIZES),
     N_("Story and interface text; the page reflows to fit.")),
    ("text_speed", N_("Text speed"), TEXT_SPEEDS, tuple(NAMES[v] for v in TEXT_SPEEDS),
     N_("How fast a new page appears. Space, any letter or a click on the text shows it all at once; "
        "it never takes a choice.")),
    ("fullscreen", N_("Display"), (False, True), (N_("Window"), N_("Full screen")), N_("F11 switches at any time.")),
    ("high_contrast", N_("High contrast"), (False, True), (N_("Off"), N_("On")), N_("Pure black and white, stronger outlines.")),
    ("reduced_motion", N_("Reduced motion"), (False, True), (N_("Off"), N_("On")),
     N_("No fades, no rising numbers: changes appear and disappear in place.")),
    ("language", N_("Language"), ("", *LANGUAGES), (N_("Same as the system"), *(NATIVE_NAMES[k] for k in LANGUAGES)),
     N_("The story and every screen. The journey stays where it is.")),
    ("muted", N_("Sound"), (False, True), (N_("On"), N_("Muted")), N_("F8 mutes and unmutes on every screen.")),
    ("master_volume", N_("Volume"), VOLUMES, tuple(f"{v}%" for v in VOLUMES), N_("All the game's sound.")),
    ("ambience_volume", N_("Places"), VOLUMES, tuple(f"{v}%" for v in VOLUMES),
     N_("The sound of each place: the river, the train, the rain.")),
    ("music_volume", N_("Music and cues"), VOLUMES, tuple(f"{v}%" for v in VOLUMES),
     N_("The title and ending themes, and the short notes when a risk falls or passes.")),
    ("interface_sounds", N_("Interface sounds"), (False, True), (N_("Off"), N_("On")),
     N_("A soft tap when you move between choices and take one.")),
    ("interface_volume", N_("Interface volume"), VOLUMES, tuple(f"{v}%" for v in VOLUMES), N_("The taps, when they are on.")),
    ("captions", N_("Captions"), (False, True), (N_("Off"), N_("On")),
     N_("A line under the text says what is heard, such as [river under ice, ice cracking].")),
)
#: Rows whose values stop at the ends instead of going round (a volume never jumps from 100% to 0%).
CLAMPED = {"master_volume", "ambience_volume", "music_volume", "interface_volume"}


class SettingsScene(StillScene):
    name = "settings"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.menu = Menu([])

    def enter(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        s = self.app.settings
        items = []
        for i, (field, label, values, words, explain) in enumerate(ROWS):
            value = getattr(s, field)
            word = words[values.index(value)] if value in values else str(value)
            if field == "muted" and self.app.audio.room_muted is not None:
                word, explain = (N_("Muted") if self.app.audio.muted else N_("On")), N_("For this class only: F8 switches it.")
            label_text = f"{_(label)}:  ‹ {_(word)} ›"
            if field == "muted" and self.app.audio.no_device:
                # Not "On" where nothing can be heard (a trial: "Sound: On" with no sound card at all).
                silent = _("no audio device")
                label_text = f"{_(label)}:  {silent}"
                explain = N_("No sound device here: the game plays silent. Captions still say what would be heard.")
            items.append(MenuItem(label_text, lambda i=i: self.change(i, 1), _(explain)))
        items.append(MenuItem(_("Back"), self.app.pop, key_hint="Esc"))
        focus = self.menu.focus if self.menu.items else 0
        self.menu = Menu(items, focus=focus, numbered=True)
        self.relayout()

    def change(self, row: int, step: int) -> None:
        field, _label, values, _words, _explain = ROWS[row]
        if field == "muted":
            self.app.toggle_mute()  # F8's path: in the classroom it lasts the session and is not saved
            self.app.audio.wait_for_device(0.5)  # so the row says at once whether a device opened
            self.rebuild()
            return
        current = getattr(self.app.settings, field)
        if field in CLAMPED:
            index = min(range(len(values)), key=lambda i: abs(values[i] - current))
            new = values[max(0, min(len(values) - 1, index + step))]
        else:
            index = values.index(current) if current in values else 0
            new = values[(index + step) % len(values)]
        self.app.apply_settings(self.app.settings.changed(**{field: new}))
        self.rebuild()

    def relayout(self) -> None:
        theme, text = self.theme, self.app.text
        p = theme.palette
        w, h = theme.size
        col = min(w - 2 * theme.margin, theme.px(820) + round(theme.px(240) * (theme.text_scale - 1)))
        x = (w - col) // 2
        y = theme.px(48)
        self.title = text.block(_("Settings"), "serif-bold", round(theme.body * 1.5), col, p.strong, 1.2)
        self.title_pos = (x, y)
        y += self.title.height + theme.px(8)
        self.sub = text.block(_("Left and right arrows change a setting; it is saved at once."), "sans", theme.small,
                              col, p.muted, 1.3)
        self.sub_pos = (x, y)
        y += self.sub.height + theme.px(20)
        self.menu.layout(theme, text, x, y, col, gap=8, viewport=menu_viewport(theme, x, y, col, h - theme.px(16)))
        self.sample_pos = (x, self.menu.rects[-1].bottom + theme.px(28)) if self.menu.rects else (x, y)
        self.sample = text.block(_("The lights of Changbai burn across the Yalu."), "serif", theme.body, col, p.text,
                                 1.5)

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, (c.Back, c.OpenSettings)):
            self.app.pop()
        elif isinstance(cmd, c.Move) and cmd.dx and self.menu.focus < len(ROWS):
            self.change(self.menu.focus, cmd.dx)
        else:
            self.menu.handle(cmd)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.theme.palette.bg)
        blit_block(surface, self.title, *self.title_pos)
        blit_block(surface, self.sub, *self.sub_pos)
        self.menu.draw(surface, self.theme, self.app.text)
        if not self.menu.max_offset and self.sample_pos[1] + self.sample.height < self.theme.size[1]:
            blit_block(surface, self.sample, *self.sample_pos)
