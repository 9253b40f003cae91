"""Every screen of the player's (story, journal, settings, saves, dialogs, note) at 1024×600 with the
largest text, in English and in Korean: nothing is drawn outside the window, and the focused item is
wholly visible.

"Outside the window" is checked with pixels: the scenes draw onto a surface larger than the
window they are laid out for, and everything beyond the window's edge must still be the
background (a full-screen fill) or the untouched marker colour.
"""

from __future__ import annotations

import os

import pygame
import pytest

from conftest import STORY
from game.l10n import _, set_language
from game.story.loader import load_story
from game.ui.app import App
from game.ui.settings import Settings, save_settings

SIZE = (1024, 600)
MARK = (255, 0, 255)


@pytest.fixture(scope="module")
def stories():
    return {lang: load_story(STORY, lang=lang) for lang in ("en", "ko")}


@pytest.fixture(params=["en", "ko"])
def app(request, stories):
    set_language(request.param)
    save_settings(Settings().changed(text_size="x-large", language=request.param))
    pygame.init()
    app = App(stories[request.param], seed=3, size=SIZE, skip_title=True)
    app.step(events=[])
    yield app
    app.close()
    pygame.quit()


def press(app: App, key: int) -> None:
    """A real key press as SDL delivers it (down, up), after the screen has settled."""
    for _i in range(60):
        app.step(events=[])
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))
    app.step()


def outside_pixels(app: App) -> int:
    """How many pixels beyond the window's edge a draw of the whole stack touched (not the background)."""
    size = app.theme.size
    big = pygame.Surface((size[0] + 240, size[1] + 240))
    big.fill(MARK)
    big.fill(app.theme.palette.bg, pygame.Rect((0, 0), size))
    app.stack.draw(big)
    if os.environ.get("ESCAPE_ROUTE_LAYOUT_SHOTS"):
        name = "-".join(s.name for s in app.stack.scenes)
        pygame.image.save(big, os.path.join(os.environ["ESCAPE_ROUTE_LAYOUT_SHOTS"], f"{name}.png"))
    window = pygame.Rect((0, 0), size)
    bad = 0
    bg = app.theme.palette.bg
    for x in range(0, big.get_width(), 2):
        for y in range(0, big.get_height(), 2):
            if not window.collidepoint(x, y) and big.get_at((x, y))[:3] not in (MARK, bg):
                bad += 1
    return bad


def focused_menu_rect_visible(app: App) -> None:
    menu = app.stack.top.menu
    rect = menu.rects[menu.focus]
    window = pygame.Rect((0, 0), SIZE)
    assert window.contains(rect), (rect, menu.items[menu.focus].label)
    if menu.viewport is not None:
        assert menu.viewport.contains(rect), (rect, menu.viewport, menu.items[menu.focus].label)


def walk_menu(app: App) -> None:
    """Down through every item of the top scene's menu and back up: the focus is always in view."""
    count = len(app.stack.top.menu.items)
    for key in [pygame.K_DOWN] * count + [pygame.K_UP] * count:
        press(app, key)
        focused_menu_rect_visible(app)
        assert outside_pixels(app) == 0


def test_story_page_fits(app):
    press(app, pygame.K_SPACE)
    scene = app.stack.top
    assert scene.name == "story"
    window = pygame.Rect((0, 0), SIZE)
    for tool in scene.tools:
        assert window.contains(tool.rect), tool.label
    assert outside_pixels(app) == 0
    for key in [pygame.K_DOWN] * 4:
        press(app, key)
        button = next(b for b in scene.buttons if b.index == scene.focus)
        on_screen = button.rect.move(scene.choices_rect.x, scene.choices_rect.y - scene.choice_scroll)
        assert scene.choices_rect.contains(on_screen)
        assert outside_pixels(app) == 0


def test_settings_fit_and_scroll_to_the_focus(app):
    press(app, pygame.K_F2)
    assert app.stack.top.name == "settings"
    labels = [item.label for item in app.stack.top.menu.items]
    assert any(label.startswith(_("Language")) for label in labels) and _("Back") in labels
    assert outside_pixels(app) == 0
    walk_menu(app)
    # Back is reachable and visible with the keyboard alone.
    for _i in range(len(labels)):
        if app.stack.top.menu.items[app.stack.top.menu.focus].label == _("Back"):
            break
        press(app, pygame.K_DOWN)
    focused_menu_rect_visible(app)
    press(app, pygame.K_RETURN)
    assert app.stack.top.name == "story"


@pytest.mark.parametrize("mode", ["save", "load"])
def test_saves_fit(app, mode):
    press(app, pygame.K_F6 if mode == "save" else pygame.K_F9)
    assert app.stack.top.name == "saves"
    assert outside_pixels(app) == 0
    walk_menu(app)


def test_journal_fits(app):
    press(app, pygame.K_SPACE)
    press(app, pygame.K_1)
    press(app, pygame.K_h)
    assert app.stack.top.name == "journal"
    assert outside_pixels(app) == 0


def test_pause_menu_fits(app):
    press(app, pygame.K_ESCAPE)
    assert type(app.stack.top).__name__ == "PauseScene"
    assert outside_pixels(app) == 0
    walk_menu(app)


def test_message_fits(app):
    from game.ui.scenes.dialog import MessageScene

    app.push(MessageScene(app, "This save cannot be loaded", "slot-1.json was made by a newer version of "
                          "the game (save format 9); update the game to load it. " * 3))
    app.step(events=[])
    assert outside_pixels(app) == 0
    focused_menu_rect_visible(app)


def test_note_fits(app, monkeypatch):
    monkeypatch.setattr(app, "writer", True, raising=False)
    from game.ui.scenes.note import NoteScene

    app.push(NoteScene(app))
    app.step([pygame.event.Event(pygame.TEXTINPUT, text="a long note " * 40)])
    assert outside_pixels(app) == 0


def test_save_over_question_fits(app):
    press(app, pygame.K_F6)
    press(app, pygame.K_1)  # an empty slot: saved at once
    press(app, pygame.K_1)  # now it holds a journey: the game asks
    assert type(app.stack.top).__name__ == "ConfirmScene"
    assert outside_pixels(app) == 0
    walk_menu(app)


def test_content_note_fits_with_its_menu_in_view(app):
    """The note before a journey (longer in Korean, with the helplines) never runs under the window's edge."""
    from game.ui.scenes.title import ContentNoteScene

    app.push(ContentNoteScene(app))
    press(app, pygame.K_DOWN)
    assert app.stack.top.name == "content-note"
    assert outside_pixels(app) == 0
    menu = app.stack.top.menu
    assert all(pygame.Rect((0, 0), SIZE).contains(rect) for rect in menu.rects)
    # What does not fit at the smallest type scrolls: the end of the note can be reached.
    scene = app.stack.top
    for _i in range(40):
        press(app, pygame.K_PAGEDOWN)
    assert scene.scroll == scene.max_scroll


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(1024, 600), (1280, 720)])
@pytest.mark.parametrize("text_size", ["small", "medium", "large", "x-large"])
def test_title_menu_and_footer_fit_at_every_text_size(stories, lang, size, text_size):
    """The title screen at every text size: every button can be reached and seen, the footer covers none.

    A trial at 1024×600 with extra-large text showed two buttons with the footer over them, and the
    arrows moved the focus to a Quit below the window's edge, which Enter then took unseen.
    """
    set_language(lang)
    save_settings(Settings().changed(text_size=text_size, language=lang))
    pygame.init()
    first = App(stories[lang], seed=3, size=size, skip_title=True)  # a journey in the autosave: Continue has details
    first.step(events=[])
    first.close()
    app = App(stories[lang], seed=3, size=size)
    try:
        app.step(events=[])
        scene = app.stack.top
        assert scene.name == "title"
        window = pygame.Rect((0, 0), size)
        foot = pygame.Rect(scene.foot_pos, (scene.foot.width, scene.foot.height))
        head = pygame.Rect(scene.title_pos, (scene.title_block.width, scene.sub_pos[1] + scene.sub_block.height
                                             + app.theme.px(6) - scene.title_pos[1]))
        assert window.contains(foot) and window.contains(head)
        menu = scene.menu
        count = len(menu.items)
        for key in [pygame.K_DOWN] * count + [pygame.K_UP] * count:
            rect = menu.rects[menu.focus]
            assert window.contains(rect), (menu.items[menu.focus].label, rect)
            for shown in menu.rects:
                if menu.viewport is None or menu.viewport.colliderect(shown):
                    visible = shown.clip(menu.viewport) if menu.viewport is not None else shown
                    assert not visible.colliderect(foot), "the footer covers a button"
                    assert not visible.colliderect(head), "the title covers a button"
            if menu.viewport is not None:
                assert menu.viewport.contains(rect) and not menu.viewport.colliderect(foot)
            press(app, key)
        assert outside_pixels(app) == 0
    finally:
        app.close()
        pygame.quit()


def test_a_number_key_never_takes_a_choice_not_wholly_shown(app):
    """At 1024×600 with the largest text, a choice cut by the pane's edge is first scrolled into view.

    A trial pressed 3 and took a 12% risk whose badge was below the window's edge; a fourth choice
    was invisible until arrowed to. The first press shows the whole card (and says more are below),
    the second takes it.
    """
    press(app, pygame.K_SPACE)
    scene = app.stack.top
    for _page in range(12):
        cut = [b for b in scene.buttons if not scene.shown_whole(b.index) and b.available]
        if cut:
            break
        press(app, pygame.K_1)
        press(app, pygame.K_SPACE)
        scene = app.stack.top
    else:
        pytest.fail("no page with a choice below the pane's edge in the first twelve")
    assert scene.choice_scroll < scene.choices_h - app.theme.px(12) - scene.choices_rect.h  # "more below" shows
    target = cut[-1].index
    node, chosen = app.state.node, len(app.state.journal)
    press(app, pygame.K_1 + target)
    assert (app.state.node, len(app.state.journal)) == (node, chosen), "a choice was taken unseen"
    assert scene.shown_whole(target) and scene.focus == target
    assert outside_pixels(app) == 0
    press(app, pygame.K_1 + target)
    assert len(app.state.journal) > chosen or app.state.node != node


@pytest.mark.parametrize("text_size", ["medium", "large", "x-large"])
@pytest.mark.parametrize("node", ["hyesan_market", "china_guide"])
def test_the_maps_place_card_is_shown_whole_or_says_it_is_cut(app, text_size, node):
    """The map's panel names the place she is in and gives its note, whole or ending with "…".

    A trial at 1024×600 read "Korean is spoken everywhere, and" (cut mid-sentence) and, with
    extra-large text, no card at all.
    """
    app.apply_settings(app.settings.changed(text_size=text_size))
    app.state.node = node
    press(app, pygame.K_m)
    assert app.stack.top.name == "map"
    app.stack.top.draw(pygame.Surface(SIZE))
    view = app.map_view
    loc = app.route.locations[app.story.nodes[node].location]
    assert view.place_card is not None, "the place's card was left out"
    name, lines = view.place_card
    assert name == view.name(loc) and lines
    shown, note = " ".join(lines), " ".join(view.note(loc).split())
    assert shown == note or (shown.endswith("…") and note.startswith(shown[:-1].rstrip(",;:"))), shown
    assert outside_pixels(app) == 0


@pytest.mark.parametrize("keys", [[pygame.K_END], [pygame.K_END, pygame.K_HOME], [pygame.K_PAGEDOWN],
                                  [pygame.K_PAGEDOWN, pygame.K_PAGEDOWN, pygame.K_PAGEUP]])
def test_settings_focus_follows_home_end_and_page_keys(app, keys):
    """End, Home and the Page keys move the focus with the list, so Right never changes a setting unseen.

    A trial's End scrolled the settings to the bottom with the focus left on Text size, off-screen;
    the next Right arrow changed the text size.
    """
    press(app, pygame.K_F2)
    scene = app.stack.top
    assert scene.name == "settings" and scene.menu.max_offset > 0
    for key in keys:
        press(app, key)
        focused_menu_rect_visible(app)
    if keys[-1] == pygame.K_END:
        assert scene.menu.items[scene.menu.focus].label == _("Back")
    if keys[-1] == pygame.K_HOME:
        assert scene.menu.focus == 0
    before = app.settings
    press(app, pygame.K_RIGHT)
    focused_menu_rect_visible(app)
    assert before.text_size == app.settings.text_size or scene.menu.focus == 0


def test_cost_rows_never_end_with_a_separator():
    """Costs flow over rows with a dot between two costs on one row, never a dot left at a row's end."""
    from game.ui.scenes.story import flow_meta

    # "+¥2,800", "+5 Exposure", "+ Sister's number, written on a" / "scrap" (one cost wrapped), a risk badge.
    pieces = [(70, False, 0), (100, False, 1), (190, False, 2), (40, False, 2), (150, True, -1)]
    for width in range(60, 600, 7):
        rows = flow_meta(pieces, width, 10, 6)
        assert [i for row in rows for i, _x in row if i >= 0] == list(range(len(pieces)))
        for row in rows:
            assert row[0][0] >= 0 and row[-1][0] >= 0, (width, row)  # no row starts or ends with a dot
            for (a, xa), (b, _xb) in zip(row, row[1:], strict=False):
                if a >= 0 and b >= 0:  # two pieces side by side: the same cost's parts, or a cost and the badge
                    assert pieces[a][2] == pieces[b][2] or pieces[b][1], (width, row)
                assert xa < _xb
        assert all(x + (pieces[i][0] if i >= 0 else 6) <= width for row in rows for i, x in row if len(row) > 1)
