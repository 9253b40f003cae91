"""Small overlays over another scene: a message with an OK button, and the in-game menu."""

from __future__ import annotations

import pygame

from game.l10n import N_, _
from game.ui import commands as c
from game.ui.scenes.base import StillScene
from game.ui.widgets.button import Menu, MenuItem, menu_viewport
from game.ui.widgets.text import blit_block


class PanelScene(StillScene):
    """A card in the middle of the screen over a dimmed scene: a title, some words, buttons."""

    transparent = True
    title = ""
    body = ""

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.menu = Menu(self.items())
        self._shade: pygame.Surface | None = None

    def items(self) -> list[MenuItem]:
        return [MenuItem(_("OK"), self.close)]

    def close(self) -> None:
        self.app.pop()

    def enter(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        theme, text = self.theme, self.app.text
        p = theme.palette
        w, h = theme.size
        width = min(w - 2 * theme.margin, theme.px(720) + round(200 * (theme.text_scale - 1)))
        pad = theme.px(36)
        inner = width - 2 * pad
        self.title_block = text.block(_(self.title) if self.title else "", "serif-bold", round(theme.body * 1.3), inner, p.strong, 1.25)
        self.body_block = text.block(self.body, "serif", theme.body, inner, p.text, 1.5) if self.body else None
        height = pad + self.title_block.height + theme.px(18)
        if self.body_block is not None:
            height += self.body_block.height + theme.px(24)
        probe_y = height
        bottom = self.menu.layout(theme, text, 0, 0, inner, gap=10)
        height += bottom + pad
        self.card = pygame.Rect(0, 0, width, min(height, h - theme.px(20)))
        self.card.center = (w // 2, h // 2)
        # A short window with large text: the buttons scroll inside the card (the focused one stays in view).
        top = min(self.card.y + probe_y, self.card.bottom - theme.px(60))
        view = menu_viewport(theme, self.card.x + pad, top, inner, self.card.bottom - theme.px(12)).clip(self.card)
        self.menu.layout(theme, text, self.card.x + pad, top, inner, gap=10, viewport=view)
        self.pad = pad
        self._shade = pygame.Surface((w, h), pygame.SRCALPHA)
        self._shade.fill(p.shade)

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Back) or isinstance(cmd, c.Click) and not self.card.collidepoint(cmd.pos):
            self.close()
        else:
            self.menu.handle(cmd)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.theme
        p = theme.palette
        if self._shade is not None:
            surface.blit(self._shade, (0, 0))
        pygame.draw.rect(surface, p.bg, self.card, border_radius=theme.px(8))
        pygame.draw.rect(surface, p.rule, self.card, 1, border_radius=theme.px(8))
        x, y = self.card.x + self.pad, self.card.y + self.pad
        clip = surface.get_clip()
        words = self.card.copy()
        if self.menu.viewport is not None:
            words.height = self.menu.viewport.y - self.card.y
        surface.set_clip(words.clip(clip))
        blit_block(surface, self.title_block, x, y)
        y += self.title_block.height + theme.px(18)
        if self.body_block is not None:
            blit_block(surface, self.body_block, x, y)
        surface.set_clip(clip)
        self.menu.draw(surface, theme, self.app.text)


class MessageScene(PanelScene):
    """Something the player must read (a save that cannot load): title, explanation, OK."""

    def __init__(self, app, title: str, body: str) -> None:  # noqa: ANN001
        self.title = title
        self.body = body
        super().__init__(app)


class ConfirmScene(PanelScene):
    """A question before something that cannot be undone: the safe answer is focused first."""

    def __init__(self, app, title: str, body: str, yes: str, action, no: str = "") -> None:  # noqa: ANN001
        self.title = title
        self.body = body
        self._yes, self._no, self._action = yes, no or _("Cancel"), action
        super().__init__(app)

    def items(self) -> list[MenuItem]:
        def yes() -> None:
            self.app.pop()
            self._action()

        return [MenuItem(self._no, self.close, key_hint="Esc"), MenuItem(self._yes, yes)]


class PauseScene(PanelScene):
    """Esc in the story: everything the footer offers, plus leaving."""

    title = N_("Paused")

    def items(self) -> list[MenuItem]:
        def then(cmd: c.Command):  # noqa: ANN202
            def run() -> None:
                self.app.pop()
                self.app.post(cmd)
            return run

        return [
            MenuItem(_("Return to the story"), self.close, key_hint="Esc"),
            MenuItem(_("Journal"), then(c.OpenJournal()), key_hint="H"),
            MenuItem(_("Map"), then(c.OpenMap()), key_hint="M", enabled=self.app.route is not None),
            MenuItem(_("Save"), then(c.OpenSaves("save")), key_hint="F6"),
            MenuItem(_("Load"), then(c.OpenSaves("load")), key_hint="F9"),
            MenuItem(_("Settings"), then(c.OpenSettings()), key_hint="F2"),
            MenuItem(_("Leave to the title screen"), self.app.to_title,
                     detail=_("Your journey is saved automatically at every page.")),
            MenuItem(_("Quit the game"), self.quit),
        ]

    def handle(self, cmd: c.Command) -> c.Command | None:
        # The keys the menu shows beside its items work here as they do on the page (a trial pressed
        # H, M and F2 with the menu open and nothing happened).
        if isinstance(cmd, (c.OpenJournal, c.OpenSaves, c.OpenSettings)) or (
                isinstance(cmd, c.OpenMap) and self.app.route is not None):
            self.app.pop()
            self.app.post(cmd)
            return None
        return super().handle(cmd)

    def quit(self) -> None:
        self.app.running = False
