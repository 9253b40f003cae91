"""The story: set text on the left, choices with their costs and risks on the right, the HUD above.

The scene asks the engine what to show (``Engine.view``) and tells it what was
chosen (``Engine.choose``); it decides nothing else. Layout is computed in
``relayout`` (after a choice, a resize or a settings change) into rectangles and
pre-composed button surfaces; ``draw`` only blits them, which keeps a 1080p frame
well under a millisecond or two.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.engine.engine import ChoiceView, NodeView, RollResult
from game.engine.wording import risk_words
from game.errors import Impossible
from game.l10n import _
from game.ui import commands as c
from game.ui.scenes.base import Scene
from game.ui.scenes.chapter_card import page_shown
from game.ui.theme import Theme
from game.ui.widgets.button import Menu, MenuItem
from game.ui.widgets.hud import Hud
from game.ui.widgets.text import Block, TextCache, blit_block

MEASURE = 66  # characters per line the text column aims for


@dataclass(frozen=True, slots=True)
class Placed:
    block: Block
    x: int
    y: int
    reveal_from: int | None  # character offset where this block starts revealing; None: always shown


@dataclass
class ChoiceButton:
    index: int
    available: bool
    rect: pygame.Rect  # relative to the choices pane's content (before scrolling)
    normal: pygame.Surface
    focused: pygame.Surface


@dataclass(frozen=True, slots=True)
class ToolButton:
    label: str
    hint: str
    command: c.Command
    enabled: bool
    rect: pygame.Rect


def flow_meta(pieces: list[tuple[int, bool, int]], width: int, gap: int, dot: int) -> list[list[tuple[int, int]]]:
    """Rows of a choice's costs and risk: ``pieces`` are (width, is a badge, which cost), the result's
    rows hold (index into ``pieces``, or -1 for a separating dot, x).

    A dot goes only between two costs on one row, so a row never ends with a separator left
    hanging before the wrap (a trial: "+¥2,800 · +5 Exposure ·"); the parts of one cost wrapped
    over rows, and the risk badge, take none.
    """
    rows: list[list[tuple[int, int]]] = [[]]
    x, last = 0, None
    for i, (w, badge, item) in enumerate(pieces):
        joined = bool(rows[-1]) and not badge and last is not None and last >= 0 and item != last
        lead = dot + gap if joined else 0
        if rows[-1] and x + lead + w > width:
            rows.append([])
            x, lead, joined = 0, 0, False
        if joined:
            rows[-1].append((-1, x))
            x += lead
        rows[-1].append((i, x))
        x += w + gap
        last = item
    return rows


def compose_choice(theme: Theme, text: TextCache, choice: ChoiceView, width: int, focused: bool) -> pygame.Surface:
    """One choice as a card: number, words, then what it costs and what it risks (or why it is closed)."""
    p = theme.palette
    pad = theme.px(16)
    num_w = theme.px(34)
    inner = width - 2 * pad - num_w
    colour = p.strong if choice.available else p.faint
    words = text.block(choice.text, "sans", theme.ui, inner, colour, 1.38)
    # The meta row: cost segments, then the risk badge, flowing onto more lines if needed.
    pieces: list[tuple[pygame.Surface, bool, int]] = []  # (image, is_badge, which cost it belongs to)
    badge_room = inner - 2 * theme.px(9)

    def add(words_: str, kind: str, tint: tuple[int, int, int], badge: bool, item: int) -> None:
        # A piece wider than the card (a long item name, large text) wraps onto rows of its own.
        for part in text.wrap(words_, kind, theme.small, badge_room if badge else inner):
            pieces.append((text.line(part, kind, theme.small, tint), badge, item))

    if choice.available:
        for i, cost in enumerate(choice.costs):
            tint = p.good if cost.good else p.bad if cost.good is False else p.muted
            add(cost.text, "sans", tint, False, i)
        if choice.risk is not None:
            add(_("{percent} risk: {label}").format(percent=choice.risk.percent, label=choice.risk.label), "sans-bold",
                p.danger_text, True, -1)
    # A closed choice says why under its words, wrapped to the card: the whole reason, never cut.
    reason = None if choice.available else text.block(_("Not possible: {reason}").format(reason=choice.reason),
                                                      "serif-italic", theme.small, inner, p.muted, 1.35)
    gap = theme.px(10)
    badge_px, badge_py = theme.px(9), theme.px(3)
    dot = text.line("·", "sans", theme.small, p.muted)
    placed = flow_meta([(image.get_width() + (2 * badge_px if badge else 0), badge, item)
                        for image, badge, item in pieces], inner, gap, dot.get_width())
    rows = [[(dot, False, x) if i < 0 else (pieces[i][0], pieces[i][1], x) for i, x in row] for row in placed]
    row_h = text.fonts.get("sans", theme.small).get_height() + 2 * badge_py
    meta_h = (len(rows) * row_h + (len(rows) - 1) * theme.px(4)) if pieces else 0
    height = pad + words.height + (theme.px(6) + meta_h if pieces else 0) + pad
    if reason is not None:
        height += theme.px(6) + reason.height
    surf = pygame.Surface((width, height))
    surf.fill(p.bg)
    radius = theme.px(6)
    box = surf.get_rect()
    pygame.draw.rect(surf, p.panel_hi if focused else p.panel, box, border_radius=radius)
    if focused:
        pygame.draw.rect(surf, p.accent, pygame.Rect(0, radius, theme.px(4) + 1, height - 2 * radius))
    if theme.high_contrast:
        pygame.draw.rect(surf, p.accent if focused else p.rule, box, max(1, theme.px(2)) if focused else 1,
                         border_radius=radius)
    number = text.line(str(choice.index + 1), "sans-bold", theme.ui, p.accent if choice.available else p.faint)
    first_line = words.lines[0] if words.lines else None
    ny = pad + (first_line.y if first_line else 0)
    surf.blit(number, (pad + (num_w - number.get_width()) // 2 - theme.px(6), ny))
    blit_block(surf, words, pad + num_w, pad)
    y = pad + words.height + theme.px(6)
    for row in rows:
        for image, badge, x in row:
            bx = pad + num_w + x
            if badge:
                pill = pygame.Rect(bx, y, image.get_width() + 2 * badge_px, row_h)
                pygame.draw.rect(surf, p.danger, pill, border_radius=row_h // 2)
                surf.blit(image, (bx + badge_px, y + badge_py))
            else:
                surf.blit(image, (bx, y + badge_py))
        y += row_h + theme.px(4)
    if reason is not None:
        blit_block(surf, reason, pad + num_w, pad + words.height + theme.px(6))
    return surf


class StoryScene(Scene):
    name = "story"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.hud = Hud(app.story)
        self.view: NodeView | None = None
        self.reveal = 0.0
        self.total = 0
        self.scroll = 0.0
        self.choice_scroll = 0
        self.focus = 0
        self.hover_tool = -1
        self.banner: tuple[str, bool] | None = None
        self.banner_rect: pygame.Rect | None = None  # the risk line's box in the text column
        self.items: list[Placed] = []
        self.buttons: list[ChoiceButton] = []
        self.tools: list[ToolButton] = []
        self.ending_menu: Menu | None = None
        # The debrief takes a second or two to build (its map above all): "See what it cost" first
        # shows a frame that says it is coming, then builds it.
        self.preparing = False
        self.can_undo = (False, "")
        self.content_h = 0
        self.choices_h = 0

    # ------------------------------------------------------------------ lifecycle
    def enter(self) -> None:
        self.refresh(reveal=True)

    def resume(self) -> None:
        # The state may have changed underneath (a load, a rollback from the menu, a settings change).
        if self.app.state is not None and self.view is not None and self.app.state.node != self.view.node_id:
            self.refresh(reveal=True)
        else:
            self.refresh(reveal=False)

    def refresh(self, reveal: bool) -> None:
        state = self.app.state
        assert state is not None, "the story scene needs a journey"
        self.view = self.app.engine.view(state)
        self.can_undo = self.app.engine.can_rollback(state)
        self.app.audio.at_node(self.view.node_id)
        self.relayout()
        if reveal:
            self.scroll = 0.0
            self.choice_scroll = 0
            self.reveal = 0.0 if self.app.settings.chars_per_second > 0 else float(self.total)
            self.focus = next((ch.index for ch in self.view.choices if ch.available), 0)
        else:
            self.reveal = float(self.total)
        self._keep_focus_visible()
        self._clamp_scroll()
        page_shown(self, reveal)  # a chapter's card, or an ending kept in the gallery

    def _keep_focus_visible(self) -> None:
        """Focus an open choice of this page (after an undo the old index may be closed or gone)."""
        open_ = [b.index for b in self.buttons if b.available]
        if open_ and self.focus not in open_:
            self.focus = open_[0]

    def busy(self) -> bool:
        return self.reveal < self.total or bool(self.hud.markers)

    # ------------------------------------------------------------------ layout
    def relayout(self) -> None:
        if self.view is None:
            return
        theme, text, view = self.theme, self.app.text, self.view
        p = theme.palette
        w, h = theme.size
        m = theme.margin
        hud_h = Hud.height(theme)
        foot_h = theme.px(22) * 2 + round(theme.small * 1.2)
        self.hud_rect = pygame.Rect(0, 0, w, hud_h)
        self.foot_rect = pygame.Rect(0, h - foot_h, w, foot_h)
        top, bottom = hud_h + theme.px(28), h - foot_h - theme.px(16)
        gap = theme.px(56)
        wide = w >= 1.3 * h
        serif = text.fonts.get("serif", theme.body)
        measure = serif.size("abcdefghijklmnopqrstuvwxyz" * 2 + "          ")[0] / 62 * MEASURE
        if wide:
            choices_w = max(min(round(w * 0.34), theme.px(640)), min(w // 3, theme.px(360)))
            text_pane = pygame.Rect(m, top, w - 2 * m - gap - choices_w, bottom - top)
            self.choices_rect = pygame.Rect(text_pane.right + gap, top, choices_w, bottom - top)
        else:
            text_pane = pygame.Rect(m, top, w - 2 * m, bottom - top)
            self.choices_rect = pygame.Rect(m, bottom, w - 2 * m, 0)
        col_w = min(text_pane.w, round(measure))
        # Text: chapter kicker, title, paragraphs.
        items: list[Placed] = []
        y = 0
        chars = 0
        self.banner_rect = None
        if self.banner is not None:
            # What the last risk did, on its own line above the page: it covers nothing.
            message, failed = self.banner
            pad = theme.px(12)
            words = text.block(message, "sans-bold", theme.ui, col_w - 2 * pad - theme.px(6),
                               p.danger_text if failed else p.strong, 1.35)
            items.append(Placed(words, pad + theme.px(6), pad, None))
            self.banner_rect = pygame.Rect(0, 0, col_w, words.height + 2 * pad)
            y += self.banner_rect.h + round(theme.body * 0.9)
        if view.title:
            title = text.block(view.title, "serif-bold", round(theme.body * 1.4), col_w, p.strong, 1.25)
            items.append(Placed(title, 0, y, None))
            y += title.height + round(theme.body * 0.8)
        for para in view.paragraphs:
            block = text.block(para, "serif", theme.body, col_w, p.text, 1.55)
            items.append(Placed(block, 0, y, chars))
            chars += block.chars
            y += block.height + round(theme.body * 0.75)
        caption = self.app.audio.caption() if self.app.settings.captions else ""
        if caption:
            # Captions: what is heard, in words, on a line of its own under the text.
            line = text.block(caption, "sans", theme.small, col_w, p.muted, 1.3)
            items.append(Placed(line, 0, y, chars))  # revealed last, as the page ends
            chars += line.chars
            y += line.height + round(theme.body * 0.75)
        self.items = items
        self.total = chars
        self.content_h = y
        # Choices (or the ending's menu).
        self.buttons = []
        self.ending_menu = None
        cw = self.choices_rect.w
        heading = _("THE END") if view.ending else _("WHAT DO YOU DO?")
        self.choice_heading = text.line(heading, "sans-bold" if view.ending else "sans", theme.small,
                                        p.danger_text if view.ending and theme.high_contrast else p.muted)
        cy = self.choice_heading.get_height() + theme.px(14)
        if view.ending is None:
            for choice in view.choices:
                normal = compose_choice(theme, text, choice, cw, False)
                focused = compose_choice(theme, text, choice, cw, True) if choice.available else normal
                self.buttons.append(ChoiceButton(choice.index, choice.available,
                                                 pygame.Rect(0, cy, cw, normal.get_height()), normal, focused))
                cy += normal.get_height() + theme.px(12)
            self.choices_h = cy
        else:
            self.ending_title = text.block(view.ending.title, "serif-bold", round(theme.body * 1.5), cw, p.strong, 1.2)
            cy += self.ending_title.height + theme.px(24)
            items_ = [MenuItem(_("See what it cost"), self._debrief,
                               _("The route, the risks that fell, and the real facts behind this ending"))]
            if self.can_undo[0]:
                items_.append(MenuItem(_("Undo the last choice"), self.rollback, key_hint="Backspace"))
            self.ending_menu = Menu(items_)
            self.ending_menu_y = cy
            self.choices_h = cy + 200
        if not wide:
            # Stacked: choices take what they need, up to half the height, under the text.
            need = min(self.choices_h, (bottom - top) // 2)
            self.choices_rect = pygame.Rect(m, bottom - need, w - 2 * m, need)
            text_pane.h = self.choices_rect.y - theme.px(20) - text_pane.y
        if self.ending_menu is not None:
            self.ending_menu.layout(theme, text, self.choices_rect.x, self.choices_rect.y + self.ending_menu_y,
                                    self.choices_rect.w)
        self.text_pane = text_pane
        number = self.app.story.chapter_number(view.chapter)
        self.kicker = _("Chapter {number} · {chapter}").format(number=number, chapter=view.chapter) if number \
            else view.chapter
        self.col_x = text_pane.x + (text_pane.w - col_w) // 2
        self.col_w = col_w
        self.fade_h = theme.px(36)
        self._fades = (_gradient(text_pane.w, self.fade_h, p.bg, down=True),
                       _gradient(text_pane.w, self.fade_h, p.bg, down=False))
        # More choices below the pane's edge fade out, as the text does: the cut says "scroll".
        self._choice_fade = _gradient(self.choices_rect.w, self.fade_h, p.bg, down=False)
        self._layout_tools()
        state = self.app.state
        if state is not None:
            self.hud.arrange(self.hud_rect, theme, text, state.vars)
        self._clamp_scroll()

    def _layout_tools(self) -> None:
        theme, text = self.theme, self.app.text
        specs = [(_("Journal"), "H", c.OpenJournal(), True), (_("Map"), "M", c.OpenMap(), self.app.route is not None),
                 (_("Undo"), "Backspace", c.Rollback(), self.can_undo[0]), (_("Save"), "F6", c.OpenSaves("save"), True),
                 (_("Load"), "F9", c.OpenSaves("load"), True), (_("Settings"), "F2", c.OpenSettings(), True),
                 (_("Menu"), "Esc", c.Back(), True)]
        x = theme.margin
        y = self.foot_rect.y + theme.px(22)
        tools = []
        for label, hint, cmd, enabled in specs:
            lw = text.line(label, "sans-bold", theme.small, theme.palette.strong).get_width()
            hw = text.line(hint, "sans", theme.small, theme.palette.faint).get_width()
            rect = pygame.Rect(x, y - theme.px(6), lw + hw + theme.px(8), round(theme.small * 1.2) + theme.px(12))
            tools.append(ToolButton(label, hint, cmd, enabled, rect))
            x = rect.right + theme.px(30)
        self.tools = tools
        self.tools_right = x

    def _clamp_scroll(self) -> None:
        if not hasattr(self, "text_pane"):
            return
        self.scroll = max(0.0, min(self.scroll, float(max(0, self.content_h - self.text_pane.h))))
        self.choice_scroll = max(0, min(self.choice_scroll, max(0, self.choices_h - self.choices_rect.h)))

    # ------------------------------------------------------------------ input
    @property
    def revealed(self) -> bool:
        return self.reveal >= self.total

    def handle(self, cmd: c.Command) -> c.Command | None:
        view = self.view
        if view is None:
            return None
        typed = isinstance(cmd, (c.Pick, c.Confirm, c.AnyKey, c.Move, c.Click))
        if typed and not self.revealed:
            self.reveal = float(self.total)  # any key or click completes the reveal, and does nothing else
            return None
        if isinstance(cmd, c.Hover):
            self.hover_tool = next((i for i, t in enumerate(self.tools) if t.rect.collidepoint(cmd.pos)), -1)
            if self.ending_menu is not None:
                self.ending_menu.handle(cmd)
            hit = self._choice_at(cmd.pos)
            if hit is not None and hit.available:
                self.focus = hit.index
            return None
        if isinstance(cmd, c.Click):
            for tool in self.tools:
                if tool.rect.collidepoint(cmd.pos):
                    return self.handle(tool.command) if tool.enabled else self._closed_tool(tool)
            if self.ending_menu is not None and self.ending_menu.handle(cmd):
                return None
            hit = self._choice_at(cmd.pos)
            if hit is not None:
                self.take(hit.index)
            return None
        # Space never chooses on a story page, the ending's page too: it only shows the text
        # (a trial's Space, meant to finish the last page, opened the debrief).
        spaced = isinstance(cmd, c.Confirm) and cmd.space
        if self.ending_menu is not None and not spaced and self.ending_menu.handle(cmd):
            return None
        if isinstance(cmd, c.Pick):
            if view.ending is None and cmd.index < len(view.choices):
                self.take(cmd.index)
        elif isinstance(cmd, c.Move) and cmd.dy and view.ending is None:
            self._move_focus(cmd.dy)
        elif isinstance(cmd, c.Confirm) and not cmd.space and view.ending is None:
            # Enter takes the focused choice; Space only ever shows the text (issue 15: a Space
            # meant to finish the page took a fatal choice).
            self.take(self.focus)
        elif isinstance(cmd, c.Scroll):
            self._scroll(cmd)
        elif isinstance(cmd, c.Rollback):
            self.rollback()
        elif isinstance(cmd, c.Back):
            from game.ui.scenes.dialog import PauseScene
            self.app.push(PauseScene(self.app))
        elif isinstance(cmd, c.OpenJournal):
            from game.ui.scenes.journal import JournalScene
            self.app.push(JournalScene(self.app))
        elif isinstance(cmd, c.OpenMap):
            if self.app.route is None:
                self.app.notify(_("This story has no map."))
            else:
                from game.ui.scenes.map import MapScene
                self.app.push(MapScene(self.app))
        elif isinstance(cmd, c.OpenSaves):
            from game.ui.scenes.saves import SavesScene
            self.app.push(SavesScene(self.app, cmd.mode))
        elif isinstance(cmd, c.OpenSettings):
            from game.ui.scenes.settings import SettingsScene
            self.app.push(SettingsScene(self.app))
        return None

    def _closed_tool(self, tool: ToolButton) -> None:
        if isinstance(tool.command, c.Rollback):
            self.app.notify(_("Cannot undo: {reason}.").format(reason=self.can_undo[1]))
        return None

    def _choice_at(self, pos: tuple[int, int]) -> ChoiceButton | None:
        if not self.choices_rect.collidepoint(pos) or not self.revealed:
            return None
        local = (pos[0] - self.choices_rect.x, pos[1] - self.choices_rect.y + self.choice_scroll)
        return next((b for b in self.buttons if b.rect.collidepoint(local)), None)

    def shown_whole(self, index: int) -> bool:
        """Whether choice ``index``'s card, its costs and risk included, is wholly inside the choice pane now."""
        button = next((b for b in self.buttons if b.index == index), None)
        if button is None:
            return False
        top = button.rect.top - self.choice_scroll
        return top >= 0 and top + button.rect.h <= self.choices_rect.h

    def _scroll_to_choice(self, index: int) -> None:
        button = next(b for b in self.buttons if b.index == index)
        if button.rect.bottom - self.choice_scroll > self.choices_rect.h:
            self.choice_scroll = button.rect.bottom - self.choices_rect.h
        if button.rect.top - self.choice_scroll < 0:
            self.choice_scroll = button.rect.top - self.choice_heading.get_height() - self.theme.px(14)
        self._clamp_scroll()

    def take(self, index: int) -> None:
        """A player's choice (number key, Enter, click): taken only when the player can see all of it.

        Every cost and risk is shown before choosing; a card cut by the pane's edge (a small window,
        large text) is first scrolled into view and focused, and the same press again takes it (a
        trial: 3 took a 12% risk whose badge was below the window's edge).
        """
        if not self.shown_whole(index):
            button = next((b for b in self.buttons if b.index == index), None)
            if button is None:
                return
            if button.available:
                self.focus = index
            self._scroll_to_choice(index)
            if not self.shown_whole(index):  # taller than the pane itself: its top is shown, it can be taken
                self.choose(index)
            return
        self.choose(index)

    def _move_focus(self, dy: int) -> None:
        open_ = [b.index for b in self.buttons if b.available]
        if not open_:
            return
        i = open_.index(self.focus) if self.focus in open_ else 0
        self.focus = open_[(i + dy) % len(open_)]
        self.app.audio.interface("ui_focus")
        self._scroll_to_choice(self.focus)

    def _scroll(self, cmd: c.Scroll) -> None:
        line = round(self.theme.body * 1.55)
        if cmd.to:
            self.scroll = 0.0 if cmd.to < 0 else float(self.content_h)
        else:
            self.scroll += cmd.lines * line + cmd.pages * self.text_pane.h * 0.85
            self.choice_scroll += round(cmd.lines * line)
        self._clamp_scroll()

    # ------------------------------------------------------------------ telling the engine
    def choose(self, index: int) -> None:
        app, view = self.app, self.view
        if view is None or view.ending is not None or not 0 <= index < len(view.choices):
            return
        try:
            outcome = app.engine.choose(app.state, index)
        except Impossible as exc:
            app.notify(_("Not possible: {reason}.").format(reason=exc))
            return
        self.hud.changes(outcome.deltas)
        self.banner = _banner(outcome.roll)
        app.audio.interface("ui_choose")
        if outcome.roll is not None:
            app.audio.cue("risk_fell" if outcome.roll.failed else "risk_avoided")
        app.autosave()
        self.refresh(reveal=True)
        app.new_screen()  # a new page: the press that chose must not act on it too

    def rollback(self) -> None:
        app = self.app
        ok, reason = app.engine.can_rollback(app.state)
        if not ok:
            app.notify(_("Cannot undo: {reason}.").format(reason=reason))
            return
        app.engine.rollback(app.state)
        self.hud.markers = []
        self.banner = None
        app.autosave()
        self.refresh(reveal=False)
        self.scroll = 0.0
        app.notify(_("The last choice is undone."))

    def _debrief(self) -> None:
        from game.ui.scenes.ending import DebriefScene

        self.preparing = True
        try:
            self.app.show_now()
            self.app.push(DebriefScene(self.app))
        finally:
            self.preparing = False

    # ------------------------------------------------------------------ time
    def update(self, dt: float) -> None:
        self.hud.update(dt)
        if self.reveal < self.total:
            self.reveal = min(float(self.total), self.reveal + self.app.settings.chars_per_second * dt)
            # Follow the reveal down the page.
            y = self._reveal_y()
            target = y - self.text_pane.h + self.theme.px(40)
            if target > self.scroll:
                self.scroll = min(target, self.scroll + max(1.0, (target - self.scroll) * 0.2))
                self._clamp_scroll()

    def _reveal_y(self) -> int:
        for item in self.items:
            if item.reveal_from is None:
                continue
            left = self.reveal - item.reveal_from
            if left <= item.block.chars:
                y = item.y
                for line in item.block.lines:
                    left -= line.chars
                    y = item.y + line.y + line.image.get_height()
                    if left <= 0:
                        break
                return y
        return self.content_h

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        view = self.view
        if view is None:
            return
        theme, text = self.theme, self.app.text
        p = theme.palette
        place, place_ko = self.app.place(view.location) if view.location else ("", "")
        self.hud.draw(surface, theme, text, place, place_ko, self.kicker)
        # Text column.
        pane = self.text_pane
        clip = surface.get_clip()
        surface.set_clip(pane)
        scroll = round(self.scroll)
        if self.banner is not None and self.banner_rect is not None:
            box = self.banner_rect.move(self.col_x, pane.y - scroll)
            failed = self.banner[1]
            pygame.draw.rect(surface, p.danger if failed else p.panel_hi, box, border_radius=theme.px(6))
            pygame.draw.rect(surface, p.danger_text if failed else p.good,
                             pygame.Rect(box.x, box.y, theme.px(5) + 1, box.h))
        for item in self.items:
            y = pane.y + item.y - scroll
            if y > pane.bottom or y + item.block.height < pane.y:
                continue
            if item.reveal_from is None:
                blit_block(surface, item.block, self.col_x + item.x, y)
            else:
                shown = self.reveal - item.reveal_from
                if shown > 0:
                    blit_block(surface, item.block, self.col_x + item.x, y,
                               None if shown >= item.block.chars else shown)
        surface.set_clip(clip)
        if scroll > 0:
            surface.blit(self._fades[0], (pane.x, pane.y))
        if scroll < self.content_h - pane.h - 1:
            surface.blit(self._fades[1], (pane.x, pane.bottom - self.fade_h))
        # Choices.
        cr = self.choices_rect
        surface.set_clip(cr)
        surface.blit(self.choice_heading, (cr.x, cr.y - self.choice_scroll))
        if view.ending is not None:
            surface.set_clip(clip)
            blit_block(surface, self.ending_title, cr.x, cr.y + self.choice_heading.get_height() + theme.px(14))
            if self.preparing and self.ending_menu is not None:
                note = text.block(_("Gathering the route, the risks and the facts…"), "sans", theme.ui,
                                  self.ending_menu.rects[0].w, p.muted, 1.35)
                blit_block(surface, note, self.ending_menu.rects[0].x, self.ending_menu.rects[0].y)
            elif self.revealed and self.ending_menu is not None:
                self.ending_menu.draw(surface, theme, text)
        elif self.revealed:
            for b in self.buttons:
                image = b.focused if b.index == self.focus else b.normal
                surface.blit(image, (cr.x + b.rect.x, cr.y + b.rect.y - self.choice_scroll))
            if self.choice_scroll < self.choices_h - theme.px(12) - cr.h:
                surface.blit(self._choice_fade, (cr.x, cr.bottom - self.fade_h))
                # Said in words too: a fade alone went unnoticed, and a fourth choice was missed.
                more = text.line(_("More choices below ↓"), "sans-bold", theme.small, p.strong)
                box = more.get_rect(bottomright=(cr.right - theme.px(8), cr.bottom - theme.px(6)))
                surface.set_clip(clip)
                pygame.draw.rect(surface, p.panel_hi, box.inflate(theme.px(16), theme.px(8)), border_radius=theme.px(4))
                surface.blit(more, box)
        else:
            hint = text.line(_("Space or a click shows the whole page"), "sans", theme.small, p.faint)
            surface.blit(hint, (cr.x, cr.y + self.choice_heading.get_height() + theme.px(14)))
        surface.set_clip(clip)
        self._draw_footer(surface)
        self.hud.draw_markers(surface, theme, text)

    def _draw_footer(self, surface: pygame.Surface) -> None:
        theme, text = self.theme, self.app.text
        p = theme.palette
        pygame.draw.line(surface, p.rule, (0, self.foot_rect.y), (self.foot_rect.right, self.foot_rect.y))
        for i, tool in enumerate(self.tools):
            hovered = i == self.hover_tool and tool.enabled
            if hovered:
                pygame.draw.rect(surface, p.panel_hi, tool.rect.inflate(theme.px(14), 0), border_radius=theme.px(4))
            label = text.line(tool.label, "sans-bold", theme.small, (p.strong if hovered else p.muted)
                              if tool.enabled else p.faint)
            hint = text.line(tool.hint, "sans", theme.small, p.faint)
            y = tool.rect.y + theme.px(6)
            surface.blit(label, (tool.rect.x, y))
            surface.blit(hint, (tool.rect.x + label.get_width() + theme.px(8), y))
        if not self.can_undo[0] and self.app.state is not None and self.app.state.undo:
            note = text.line(_("Undo: {reason}").format(reason=self.can_undo[1]), "sans", theme.small, p.faint)
            x = self.foot_rect.right - theme.margin - note.get_width()
            if x > self.tools_right:
                surface.blit(note, (x, self.tools[0].rect.y + theme.px(6)))


def _banner(roll: RollResult | None) -> tuple[str, bool] | None:
    if roll is None:
        return None
    return risk_words(roll.chance, roll.label, roll.failed), roll.failed


def _gradient(width: int, height: int, colour: tuple[int, int, int], down: bool) -> pygame.Surface:
    """A strip fading from ``colour`` to transparent (down=True: opaque at the top)."""
    surf = pygame.Surface((max(1, width), max(1, height)), pygame.SRCALPHA)
    for y in range(height):
        t = y / max(1, height - 1)
        alpha = round(255 * ((1 - t) if down else t))
        pygame.draw.line(surf, (*colour, alpha), (0, y), (width, y))
    return surf
