"""Saving to and loading from named slots, with the place, the day and when each was saved.

Saves are the core's: atomic, versioned JSON under the user's data folder. A save
that cannot be loaded (damaged, from a newer game, from a story that changed too
much) is listed with its problem in words and opens a message instead of loading.
"""

from __future__ import annotations

import pygame

from game.engine.save import AUTOSAVE, KEPT_PREFIX, SaveInfo, list_saves, slot_path, write_save
from game.errors import StoryError
from game.l10n import _, moment
from game.ui import commands as c
from game.ui.scenes.base import StillScene
from game.ui.widgets.button import Menu, MenuItem, menu_viewport
from game.ui.widgets.text import blit_block

SLOTS = tuple(f"slot-{i}" for i in range(1, 7))
MAX_LISTED = 9


def slot_name(slot: str) -> str:
    if slot == AUTOSAVE:
        return _("Autosave")
    if slot.startswith("slot-"):
        return _("Slot {number}").format(number=slot[5:])
    if slot.startswith(KEPT_PREFIX):
        return _("Kept journey")
    return slot


def without_repeats(parts: list[str]) -> list[str]:
    """The parts in order, dropping any already said (a chapter named after the place: "Hyesan · Hyesan")."""
    said: list[str] = []
    for part in parts:
        if part and not any(part.casefold() == other.casefold() for other in said):
            said.append(part)
    return said


class SavesScene(StillScene):
    name = "saves"

    def __init__(self, app, mode: str) -> None:  # noqa: ANN001
        super().__init__(app)
        self.mode = mode if mode in ("save", "load") else "load"
        if self.mode == "save" and app.state is None:
            self.mode = "load"
        self.menu = Menu([])

    def enter(self) -> None:
        self.rebuild()

    def describe(self, info: SaveInfo) -> str:
        when = moment(info.saved_at) if info.saved_at else ""
        if info.problem:
            return _("Cannot be loaded: {problem}").format(problem=info.problem)
        place = self.app.place(info.location)[0] if info.location else ""
        where = without_repeats([place, info.chapter if info.chapter.casefold() not in info.title.casefold() else ""])
        return " · ".join(without_repeats([*where, _("day {day}").format(day=info.day),
                                           _("saved {when}").format(when=when) if when else ""]))

    def rebuild(self) -> None:
        # In the language spoken now, whatever the language the save was made in.
        infos = {info.slot: info.in_language_of(self.app.story) for info in list_saves()}
        items: list[MenuItem] = []
        if self.mode == "save":
            for slot in SLOTS:
                info = infos.get(slot)
                label = slot_name(slot) + (f": {info.title}" if info and info.title else "" if info else _(": empty"))
                items.append(MenuItem(label, lambda s=slot: self.save(s),
                                      self.describe(info) if info else _("Save the journey here")))
        else:
            listed = list(infos.values())[:MAX_LISTED]
            for info in listed:
                label = slot_name(info.slot) + (f": {info.title}" if info.title else "")
                items.append(MenuItem(label, lambda i=info: self.load(i), self.describe(info),
                                      danger=bool(info.problem)))
            if not listed:
                items.append(MenuItem(_("No saved journeys yet"), None, _("Your journey is saved automatically at "
                                      "every page; F6 saves it in a slot."), enabled=False))
        items.append(MenuItem(_("Back"), self.app.pop, key_hint="Esc"))
        focus = self.menu.focus if len(self.menu.items) == len(items) else 0
        self.menu = Menu(items, focus=focus, numbered=True)
        self.relayout()

    def save(self, slot: str) -> None:
        """Save in ``slot``; a slot that holds a journey is only written over after asking."""
        info = next((i.in_language_of(self.app.story) for i in list_saves() if i.slot == slot), None)
        if info is None:
            self.write(slot)
            return
        from game.ui.scenes.dialog import ConfirmScene

        what = " · ".join(without_repeats([info.title, self.describe(info)]))
        self.app.push(ConfirmScene(self.app, _("Save over {slot}?").format(slot=slot_name(slot).lower()),
                                   _("It holds: {what}. Saving here replaces it.").format(what=what), _("Save over it"),
                                   lambda: self.write(slot)))

    def write(self, slot: str) -> None:
        app = self.app
        if app.state is None:
            return
        place = app.place(app.engine.view(app.state).location)[0]
        label = _("{place}, day {day}").format(place=place, day=round(app.state.vars.get("days", 0)))
        try:
            write_save(slot_path(slot), app.state, app.story, label=label)
        except StoryError as exc:
            app.notify(str(exc))
            return
        app.notify(_("Saved in {slot}: {label}.").format(slot=slot_name(slot).lower(), label=label))
        self.rebuild()

    def load(self, info: SaveInfo) -> None:
        if info.problem:
            from game.ui.scenes.dialog import MessageScene
            self.app.push(MessageScene(self.app, _("This save cannot be loaded"),
                                       f"{slot_name(info.slot)}: {info.problem}"))
            return
        self.app.load(info.path)

    def relayout(self) -> None:
        theme, text = self.theme, self.app.text
        p = theme.palette
        w, h = theme.size
        col = min(w - 2 * theme.margin, theme.px(900) + round(theme.px(200) * (theme.text_scale - 1)))
        x = (w - col) // 2
        y = theme.px(48)
        title = _("Save the journey") if self.mode == "save" else _("Load a journey")
        self.title = text.block(title, "serif-bold", round(theme.body * 1.5), col, p.strong, 1.2)
        self.title_pos = (x, y)
        y += self.title.height + theme.px(24)
        self.menu.layout(theme, text, x, y, col, gap=8, viewport=menu_viewport(theme, x, y, col, h - theme.px(16)))

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Back) or (isinstance(cmd, c.OpenSaves) and cmd.mode == self.mode):
            self.app.pop()
        elif isinstance(cmd, c.OpenSaves):
            self.mode = cmd.mode if self.app.state is not None else "load"
            self.rebuild()
        else:
            self.menu.handle(cmd)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.theme.palette.bg)
        blit_block(surface, self.title, *self.title_pos)
        self.menu.draw(surface, self.theme, self.app.text)
