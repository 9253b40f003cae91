"""The title screen and the content note that comes before every new journey."""

from __future__ import annotations

import pygame

from game import __version__
from game.engine.history import endings_reached, load_history
from game.engine.save import AUTOSAVE, read_info, slot_path
from game.l10n import _, moment, ngettext, number
from game.ui import commands as c
from game.ui.scenes.base import Scene
from game.ui.widgets.button import Menu, MenuItem, menu_viewport
from game.ui.widgets.scroll import Scrolling
from game.ui.widgets.text import Block, blit_block


def backdrop(app, size: tuple[int, int]) -> pygame.Surface | None:  # noqa: ANN001
    """The route's terrain with the whole way drawn faintly, dimmed into the background from the left."""
    route = app.route
    if route is None or app.story.map_path is None:
        return None
    from game.ui.app import terrain_path
    from game.ui.map_view import TerrainUnavailable, scaled_terrain

    full = pygame.Rect((0, 0), route.pixel_size)
    w, h = size
    theme = app.theme
    xs = [loc.x for loc in route.locations.values()]
    ys = [loc.y for loc in route.locations.values()]
    pad = 0.08 * max(full.size)
    box = pygame.Rect(round(min(xs) - pad), round(min(ys) - pad), round(max(xs) - min(xs) + 2 * pad),
                      round(max(ys) - min(ys) + 2 * pad)).clip(full)
    area = pygame.Rect(round(w * 0.38), 0, w - round(w * 0.38), h)
    scale = max(area.h / box.h, area.w / full.w)  # the whole way, top to bottom
    crop_w, crop_h = round(area.w / scale), round(area.h / scale)
    crop = pygame.Rect(0, 0, crop_w, crop_h)
    crop.center = box.center
    crop.clamp_ip(full)
    crop = crop.clip(full)
    try:
        image = scaled_terrain(terrain_path(route), crop, area.size)
    except (pygame.error, OSError, TerrainUnavailable):
        return None
    # The whole route, faint: where she will go.
    width = max(2, theme.px(3))
    for leg in route.legs:
        if leg.mode == "plane":  # the flight to Seoul is not a line on the ground
            continue
        pts = [(area.x + (x - crop.x) * scale, area.y + (y - crop.y) * scale) for x, y in leg.points]
        if len(pts) >= 2:
            pygame.draw.lines(image, (150, 84, 50), False, [(x - area.x, y - area.y) for x, y in pts], width)
    surf = pygame.Surface((w, h))
    surf.fill(theme.palette.bg)
    surf.blit(image, area)
    veil = pygame.Surface((w, h), pygame.SRCALPHA)
    strength = 200 if not theme.high_contrast else 225
    for x in range(w):
        t = min(1.0, max(0.0, (x - area.x) / (w * 0.32)))
        alpha = round(255 - t * (255 - strength))
        pygame.draw.line(veil, (*theme.palette.bg, alpha), (x, 0), (x, h))
    surf.blit(veil, (0, 0))
    return surf


class TitleScene(Scene):
    name = "title"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.menu = Menu([])
        self._backdrop: pygame.Surface | None = None
        self._backdrop_key: object = None
        self._backdrop_wanted: object = None  # set by relayout, built by the next update

    def enter(self) -> None:
        self.app.audio.title()
        self._build_menu()

    def resume(self) -> None:
        self.app.audio.title()
        self._build_menu()

    def _build_menu(self) -> None:
        app = self.app
        info = read_info(slot_path(AUTOSAVE)).in_language_of(app.story) if slot_path(AUTOSAVE).exists() else None
        if info is None:
            cont = MenuItem(_("Continue"), None, _("No journey saved yet"), enabled=False)
        elif info.problem:
            cont = MenuItem(_("Continue"), lambda: app.continue_journey(),
                            _("The autosave cannot be loaded: {problem}").format(problem=info.problem))
        else:
            place = app.place(info.location)[0] if info.location else info.title
            when = moment(info.saved_at, year=False)
            parts = [place, _("day {day}").format(day=info.day), _("saved {when}").format(when=when)]
            cont = MenuItem(_("Continue"), lambda: app.continue_journey(), " · ".join(p for p in parts if p))
        journeys, notice = load_history()
        if notice:
            app.notify(notice)
        from game.ui.scenes.gallery import count_line, story_endings
        endings = story_endings(app.story)
        seen = endings_reached(journeys)
        reached = len([e for e in endings if e[0] in seen])
        past = (ngettext("{count} past journey", "{count} past journeys", len(journeys)).format(count=number(len(journeys)))
                if journeys else _("none yet"))
        self.menu = Menu([
            MenuItem(_("New journey"), self.new_journey),
            cont,
            MenuItem(_("Load a saved journey"), lambda: self._push_saves()),
            MenuItem(_("Endings and past journeys"), lambda: self._push_gallery(),
                     f"{count_line(reached, len(endings))} · {past}"),
            MenuItem(_("Settings"), lambda: self._push_settings()),
            MenuItem(_("Quit"), self.quit),
        ], focus=1 if info is not None and not info.problem else 0, numbered=True)
        self.relayout()

    def new_journey(self) -> None:
        self.app.push(ContentNoteScene(self.app))

    def _push_saves(self) -> None:
        from game.ui.scenes.saves import SavesScene
        self.app.push(SavesScene(self.app, "load"))

    def _push_settings(self) -> None:
        from game.ui.scenes.settings import SettingsScene
        self.app.push(SettingsScene(self.app))

    def _push_gallery(self) -> None:
        from game.ui.scenes.gallery import GalleryScene
        self.app.push(GalleryScene(self.app))

    def quit(self) -> None:
        self.app.running = False

    def relayout(self) -> None:
        """Title, line, menu and footer, so that the footer never covers a button and every button can be seen.

        The column (title, subtitle, menu) stands at a sixth of the height; where it is taller than the
        window above the footer (a small window, large text, Korean), it first moves up to the margin,
        then the menu stands in a column of its own at the right of the title, and past that the menu
        scrolls inside the room it has, keeping the focused button wholly in view (a trial at
        1024x600 with the largest text showed two buttons, the footer over them, and a hidden Quit
        focused with the arrows).
        """
        theme, text = self.theme, self.app.text
        p = theme.palette
        w, h = theme.size
        m = theme.margin
        x = max(m, round(w * 0.08))
        col = min(round(w * 0.4), theme.px(620) + round(theme.px(200) * (theme.text_scale - 1)))
        col = max(col, min(w - 2 * m, theme.px(460)))
        self.title_block = text.block(self.app.story.title, "serif-bold", theme.type(96, 40), col, p.strong, 1.1)
        self.sub_block = text.block(_("One woman's escape from North Korea, from the Yalu river to Seoul{distance}. "
                                      "A story drawn from published accounts.").format(distance=self._distance()),
                                    "serif-italic",
                                    theme.type(24, 16), col, p.muted, 1.45)
        self.foot = text.block(f"escape-route {__version__}  ·  " + _("Enter or 1-6 to choose  ·  F11 full screen"),
                               "sans", theme.small, w - x - m, p.faint, 1.3)
        self.foot_pos = (x, h - m - self.foot.height)
        bottom = self.foot_pos[1] - theme.px(20)  # no button below this line
        gap = 10
        menu_w = min(col, theme.px(520) + round(theme.px(160) * (theme.text_scale - 1)))
        menu_h = self.menu.layout(theme, text, 0, 0, menu_w, gap=gap)
        head_h = self.title_block.height + theme.px(14) + self.sub_block.height
        menu_gap = theme.px(44)
        y = round(h * 0.16)
        if y + head_h + menu_gap + menu_h > bottom:  # move the whole column up to the margin
            y = max(m, bottom - head_h - menu_gap - menu_h)
        self.title_pos = (x, y)
        self.sub_pos = (x, y + self.title_block.height + theme.px(14))
        menu_x, menu_y = x, self.sub_pos[1] + self.sub_block.height + menu_gap
        right_x = x + col + theme.px(56)
        right_w = min(menu_w, w - right_x - m - theme.px(14))
        if menu_y + menu_h > bottom and right_w >= min(menu_w, theme.px(380)):
            # Side by side: the title where it stands by default, the menu in the right-hand column,
            # in the middle of the room above the footer.
            self.title_pos = (x, round(h * 0.16))
            self.sub_pos = (x, self.title_pos[1] + self.title_block.height + theme.px(14))
            menu_x, menu_w = right_x, right_w
            menu_h = self.menu.layout(theme, text, 0, 0, menu_w, gap=gap)
            menu_y = max(m, (m + bottom - menu_h) // 2)
        viewport = menu_viewport(theme, menu_x, menu_y, menu_w, bottom) if menu_y + menu_h > bottom else None
        self.menu.layout(theme, text, menu_x, menu_y, menu_w, gap=gap, viewport=viewport)
        self._backdrop_wanted = (theme.key, (w, h))

    def _distance(self) -> str:
        """", 3,444 miles overland and a flight": the route's own figure, the same as on the map and debrief."""
        route = self.app.route
        if route is None:
            return ""
        from game.ui.map_view import route_miles
        story = self.app.story
        start = story.nodes[story.start].location if story.start in story.nodes else None
        miles = route_miles(route, start)
        return _(": {miles} miles overland, then a flight").format(miles=number(miles.way)) if miles.way else ""

    def update(self, dt: float) -> None:
        # The map behind the title is built on the first update, not in the first frame:
        # decoding and scaling the terrain would otherwise delay the window's first picture.
        if self._backdrop_wanted is not None and self._backdrop_wanted != self._backdrop_key:
            self._backdrop_key = self._backdrop_wanted
            self._backdrop = backdrop(self.app, self._backdrop_key[1])

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Back):
            return None
        if isinstance(cmd, c.OpenSettings):
            self._push_settings()
        elif isinstance(cmd, c.OpenSaves) and cmd.mode == "load":
            self._push_saves()
        else:
            self.menu.handle(cmd)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        if self._backdrop is not None:
            surface.blit(self._backdrop, (0, 0))
        blit_block(surface, self.title_block, *self.title_pos)
        pygame.draw.line(surface, self.theme.palette.accent,
                         (self.title_pos[0], self.sub_pos[1] - self.theme.px(8)),
                         (self.title_pos[0] + self.theme.px(64), self.sub_pos[1] - self.theme.px(8)),
                         max(2, self.theme.px(3)))
        blit_block(surface, self.sub_block, self.sub_pos[0], self.sub_pos[1] + self.theme.px(6))
        self.menu.draw(surface, self.theme, self.app.text)
        blit_block(surface, self.foot, *self.foot_pos)


class ContentNoteScene(Scrolling, Scene):
    """What the story depicts and where it comes from, read before a new journey begins."""

    name = "content-note"

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        self.scroll, self.height, self.view_rect = 0.0, 0, pygame.Rect(0, 0, 0, 0)
        self.menu = Menu([MenuItem(_("Begin the journey"), app.new_journey),
                          MenuItem(_("Back"), self.back)])

    def back(self) -> None:
        self.app.pop()

    def enter(self) -> None:
        self.relayout()

    def relayout(self) -> None:
        theme, text = self.theme, self.app.text
        w, h = theme.size
        serif = text.fonts.get("serif", theme.body)
        col = min(w - 2 * theme.margin, round(serif.size("x" * 10)[0] / 10 * 64))
        x = (w - col) // 2
        paras = [" ".join(part.split()) for part in self.app.story.content_note.split("\n\n") if part.strip()]
        menu_w = min(col, theme.px(460))
        menu_h = self.menu.layout(theme, text, 0, 0, menu_w)
        room = h - 2 * theme.margin - menu_h - theme.px(16)
        # The note must be read whole before a journey: where it is taller than the window (a small
        # window, the largest text, a longer translation), the type steps down to the interface's small
        # size, and past that the note scrolls above a menu that stays in view.
        for body in range(theme.body, min(theme.body, theme.small) - 1, -1):
            blocks = self._blocks(paras, col, body)
            gap = round(body * 0.8)
            total = sum(b.height for _key, b in blocks) + gap * (len(blocks) - 1)
            if total <= room:
                break
        top = max(theme.margin, (h - total - menu_h - theme.px(40)) // 2) if total <= room else theme.margin
        self.placed = []
        y = 0
        for _key, block in blocks:
            self.placed.append((block, x, y))
            y += block.height + gap
        self.height = y - gap
        self.view_rect = pygame.Rect(0, top, w, min(total, room))
        self.clamp_scroll()
        self.menu.layout(theme, text, x, self.view_rect.bottom + theme.px(16), menu_w)

    def _blocks(self, paras: list[str], col: int, body: int) -> list[tuple[str, Block]]:
        theme, text = self.theme, self.app.text
        p = theme.palette
        small = min(theme.small, body)
        blocks = [("kicker", text.block(_("BEFORE YOU BEGIN"), "sans", small, col, p.accent, 1.3)),
                  ("title", text.block(_("A note on what this story contains"), "serif-bold",
                                       round(body * 1.4), col, p.strong, 1.25))]
        blocks += [("para", text.block(para, "serif", body, col, p.text, 1.55)) for para in paras]
        blocks.append(("help", text.block(
            _("Every choice shows what it costs and what it risks before you make it. You can reread the journal "
              "(H), undo a choice (Backspace), see the map (M) and save (F6) at any time. If you would rather read "
              "in a terminal or with a screen reader, start the game with: {command}").format(
                command="escape-route play --text"),
            "sans", small, col, p.muted, 1.5)))
        return blocks

    def handle(self, cmd: c.Command) -> c.Command | None:
        if isinstance(cmd, c.Back):
            self.back()
        elif not self.scroll_with(cmd, round(self.theme.body * 1.5)):
            self.menu.handle(cmd)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        self.blit_visible(surface, self.placed)
        self.menu.draw(surface, self.theme, self.app.text)
