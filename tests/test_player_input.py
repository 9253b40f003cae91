"""Issue 15, as a player meets it: held keys, Space, the risk line, closed choices, saves, notes, idling.

Every test posts the key events SDL really sends into the real App and scene stack
(headless, ``SDL_VIDEODRIVER=dummy``): a tap is KEYDOWN then KEYUP; a held key is
KEYDOWN, then a KEYDOWN again after 350 ms and every 40 ms while held (the repeat
the game sets), then one KEYUP; a printable key is followed by its TEXTINPUT.
"""

from __future__ import annotations

import io
import json

import pygame
import pytest

from conftest import TINY, write_story
from game.engine.save import AUTOSAVE, list_saves, read_save, slot_path
from game.story.loader import load_story
from game.ui.app import App
from game.ui.settings import Settings, save_settings

FRAME = 1 / 60


@pytest.fixture
def story(tmp_path):
    return load_story(write_story(tmp_path / "tiny", TINY))


@pytest.fixture
def make_app(make_app):  # noqa: F811 - conftest's factory, with this file's defaults
    def make(story, instant: bool = True, **kw) -> App:  # noqa: ANN003
        if instant:  # no text reveal, unless a test is about it: a page takes choices at once
            save_settings(Settings().changed(text_speed="instant", **kw.pop("settings", {})))
        kw.setdefault("writer", False)
        return make_app(story, **kw)

    return make


def frames(app: App, seconds: float, events: list[pygame.event.Event] | None = None) -> None:
    for i in range(max(1, round(seconds / FRAME))):
        app.step(events=list(events or []) if i == 0 else [], dt=FRAME)


def down(key: int, text: str = "") -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=text, scancode=0)


def up(key: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)


def tap(app: App, key: int, text: str = "", wait: float = 0.5) -> None:
    """Wait (a person does not press within a blink of a screen appearing), then press and release."""
    frames(app, wait)
    events = [down(key, text)] + ([pygame.event.Event(pygame.TEXTINPUT, text=text)] if text else [])
    frames(app, 0.08, events)
    frames(app, FRAME, [up(key)])


def hold(app: App, key: int, seconds: float) -> None:
    """Hold a key as SDL reports it with pygame.key.set_repeat(350, 40), then release it."""
    frames(app, FRAME, [down(key)])
    held, next_repeat = FRAME, 0.35
    while held < seconds:
        events = []
        if held >= next_repeat:
            events.append(down(key))
            next_repeat += 0.04
        app.step(events=events, dt=FRAME)
        held += FRAME
    app.step(events=[up(key)], dt=FRAME)


# --------------------------------------------------------------------------- 1. held keys


def test_held_enter_on_the_title_opens_the_content_note_and_stops_there(story, make_app):
    app = make_app(story)
    assert app.stack.top.name == "title"
    hold(app, pygame.K_RETURN, 0.6)
    assert app.stack.top.name == "content-note"  # not skipped, and no journey begun
    assert app.state is None and not slot_path(AUTOSAVE).exists()


def test_held_enter_on_a_story_page_takes_one_choice_only(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_DOWN)  # "Wait a week" ("Buy a boat" is closed; the page comes back after it,
    # so every repeat could take it again)
    hold(app, pygame.K_RETURN, 1.0)
    assert app.state.step == 1
    assert app.state.vars["days"] == 7


def test_held_number_key_takes_one_choice_only(story, make_app):
    app = make_app(story, skip_title=True)
    hold(app, pygame.K_3, 1.0)
    assert app.state.step == 1


def test_a_new_page_ignores_a_press_for_a_moment_then_takes_the_next(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_3)
    tap(app, pygame.K_3, wait=0.1)  # a double press: the second lands on the new page at once
    assert app.state.step == 1
    tap(app, pygame.K_3, wait=0.3)
    assert app.state.step == 2


def test_held_arrows_still_repeat(story, make_app):
    app = make_app(story)
    tap(app, pygame.K_F2)
    assert app.stack.top.name == "settings"
    hold(app, pygame.K_DOWN, 0.45)
    assert app.stack.top.menu.focus == 4  # the press, then repeats at 350, 390 and 430 ms


# --------------------------------------------------------------------------- 2. Space and focus


def test_space_shows_the_text_and_never_takes_a_choice(story, make_app):
    app = make_app(story, instant=False, skip_title=True)
    scene = app.stack.top
    assert not scene.revealed
    tap(app, pygame.K_SPACE, " ", wait=0.05)
    assert scene.revealed and app.state.step == 0
    tap(app, pygame.K_SPACE, " ")
    assert app.state.step == 0  # once the text is out, Space still does not choose
    tap(app, pygame.K_RETURN)
    assert app.state.step == 1  # Enter takes the focused choice


UNDO_STORY = {
    "story.yaml": TINY["story.yaml"],
    "01_river.yaml": """\
chapter: The River
nodes:
  river:
    title: The river
    text: Two ways.
    choices:
      - text: Go down to the water
        goto: water
      - text: Stay
        goto: end
  water:
    title: The water
    text: Three ways.
    choices:
      - text: Swim
        goto: end
      - text: Wade
        goto: end
      - text: Wait for the boat
        goto: end
  end:
    text: Done.
    ending: {id: done, kind: safe, title: Done}
""",
}


def test_after_an_undo_a_choice_is_focused_and_looks_it_in_high_contrast(tmp_path, make_app):
    story = load_story(write_story(tmp_path / "undo", UNDO_STORY))
    app = make_app(story, skip_title=True, settings={"high_contrast": True})
    tap(app, pygame.K_1)
    tap(app, pygame.K_DOWN)
    tap(app, pygame.K_DOWN)  # "Wait for the boat": there is no third choice on the page before
    tap(app, pygame.K_BACKSPACE)
    scene = app.stack.top
    assert app.state.node == "river"
    assert scene.focus in [b.index for b in scene.buttons if b.available]
    button = next(b for b in scene.buttons if b.index == scene.focus)
    rect = button.rect.move(scene.choices_rect.x, scene.choices_rect.y - scene.choice_scroll)
    # The focus outline is the accent colour, at the card's edge.
    assert tuple(app.screen.get_at((rect.centerx, rect.y))[:3]) == app.theme.palette.accent
    tap(app, pygame.K_RETURN)
    assert app.state.node == "water"


# --------------------------------------------------------------------------- 5, 6. what the page says


def test_the_risk_line_has_its_own_place_and_says_what_happened(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_1)  # pay the guard: a 50% risk of being turned in
    scene = app.stack.top
    message, failed = scene.banner
    if failed:
        assert message == "The 50% risk happened: turned in."
    else:
        assert message == "The 50% risk (turned in) did not happen."
    # Laid out above the page's text, overlapping nothing: not an overlay on the heading.
    box = scene.banner_rect
    others = [item for item in scene.items if item.block.text != message]
    assert all(item.y >= box.bottom for item in others)
    on_screen = box.move(scene.col_x, scene.text_pane.y)
    assert scene.text_pane.contains(on_screen)
    colour = app.theme.palette.danger if failed else app.theme.palette.panel_hi
    assert tuple(app.screen.get_at((on_screen.right - 3, on_screen.centery))[:3]) == colour


def test_a_closed_choice_shows_its_whole_reason_wrapped_under_it(story, make_app):
    app = make_app(story, skip_title=True, size=(1024, 600), settings={"text_size": "x-large"})
    scene = app.stack.top
    closed = next(ch for ch in scene.view.choices if not ch.available)
    reason = f"Not possible: {closed.reason}"
    button = next(b for b in scene.buttons if b.index == closed.index)
    blocks = [block for key, block in app.text._blocks.items() if block.text == reason]
    assert blocks, "the reason is set as a wrapped block"
    block = blocks[-1]
    assert "".join(line.chars * "x" for line in block.lines).__len__() >= len(reason)  # no word dropped
    assert block.width <= button.rect.w
    assert button.rect.h >= block.height  # the card grew to hold it


# --------------------------------------------------------------------------- 8. saves


def test_a_new_journey_keeps_the_other_journey_and_says_so(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_3)
    assert app.state.step == 1
    app.new_journey()
    kept = [info for info in list_saves() if info.slot.startswith("kept-")]
    assert len(kept) == 1
    assert json.loads(kept[0].path.read_text())["state"]["step"] == 1
    assert any("kept" in text for text, _ in app.toasts)
    assert json.loads(slot_path(AUTOSAVE).read_text())["state"]["step"] == 0


def test_continue_resumes_the_journey_last_played(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_3)
    tap(app, pygame.K_F6)
    tap(app, pygame.K_1)  # slot 1: one week waited
    tap(app, pygame.K_ESCAPE)
    tap(app, pygame.K_3)
    tap(app, pygame.K_3)  # three weeks: the autosave
    tap(app, pygame.K_F9)
    names = [item.label for item in app.stack.top.menu.items]
    tap(app, pygame.K_1 + next(i for i, n in enumerate(names) if n.startswith("Slot 1")))
    assert app.state.step == 1
    app.to_title()
    assert app.continue_journey()
    assert app.state.step == 1 and app.state.vars["days"] == 7


def test_saving_over_a_slot_asks_first(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_F6)
    tap(app, pygame.K_1)
    before = slot_path("slot-1").read_bytes()
    tap(app, pygame.K_ESCAPE)
    tap(app, pygame.K_3)
    tap(app, pygame.K_F6)
    tap(app, pygame.K_1)
    assert type(app.stack.top).__name__ == "ConfirmScene"
    tap(app, pygame.K_RETURN)  # the focused answer is Cancel
    assert slot_path("slot-1").read_bytes() == before
    tap(app, pygame.K_1)
    tap(app, pygame.K_DOWN)
    tap(app, pygame.K_RETURN)  # Save over it
    state, _ = read_save(slot_path("slot-1"), story)
    assert state.step == 1


def test_the_save_list_names_a_place_once(story, make_app):
    from game.engine.save import SaveInfo
    from game.ui.scenes.saves import SavesScene

    app = make_app(story, skip_title=True)
    scene = SavesScene(app, "load")
    info = SaveInfo("autosave", slot_path(AUTOSAVE), "Autosave", 0.0, "market", "The jangmadang", "hyesan", 0,
                    "Hyesan")
    assert scene.describe(info) == "Hyesan · day 0"


def test_the_terminal_keeps_the_window_journey_before_a_new_one(story, make_app, capsys):
    from game.textui import run_text

    app = make_app(story, skip_title=True)
    tap(app, pygame.K_3)
    window_journey = slot_path(AUTOSAVE).read_bytes()
    run_text(story, 5, False, stdin=io.StringIO(""), stdout=io.StringIO())
    kept = [info for info in list_saves() if info.slot.startswith("kept-")]
    assert len(kept) == 1 and kept[0].path.read_bytes() == window_journey
    assert "is kept as" in capsys.readouterr().err


# --------------------------------------------------------------------------- 10, 11. notes, F9, inventory


def test_n_opens_no_note_for_a_player(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_n, "n")
    assert app.stack.top.name == "story"


def test_the_key_that_opens_the_note_is_not_typed_into_it(story, make_app):
    app = make_app(story, skip_title=True, writer=True)
    frames(app, 0.5)
    frames(app, FRAME, [down(pygame.K_n, "n"), pygame.event.Event(pygame.TEXTINPUT, text="n")])
    frames(app, 0.5, [pygame.event.Event(pygame.TEXTINPUT, text="n")])  # held: the text repeats too
    frames(app, FRAME, [up(pygame.K_n)])
    assert app.stack.top.name == "note" and app.stack.top.text == ""
    frames(app, FRAME, [pygame.event.Event(pygame.TEXTINPUT, text="no")])
    assert app.stack.top.text == "no"


def test_f9_opens_load_on_the_debrief(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_1)  # the 50% risk: either way an ending
    assert app.stack.top.view.ending is not None
    tap(app, pygame.K_RETURN)  # See what it cost
    assert app.stack.top.name == "ending"
    tap(app, pygame.K_F9)
    assert app.stack.top.name == "saves" and app.stack.top.mode == "load"


def test_the_journal_says_what_she_carries(story, make_app):
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_1)  # paying the guard gives her the phone
    tap(app, pygame.K_h)
    assert app.stack.top.name == "journal"
    assert app.stack.top.carrying.text == "Carrying: Chinese phone"


# --------------------------------------------------------------------------- 12. idling


def test_a_still_page_is_not_redrawn(story, make_app):
    app = make_app(story, skip_title=True)
    frames(app, 0.5)
    draws = app.draws
    for _ in range(60):
        app.step(events=[], dt=FRAME)
    assert app.draws == draws
    tap(app, pygame.K_DOWN)  # input redraws
    assert app.draws > draws


def test_a_page_that_reveals_by_itself_ends_drawn_whole_with_its_choices(story, make_app):
    app = make_app(story, instant=False, skip_title=True)
    scene = app.stack.top
    assert not scene.revealed
    frames(app, 8.0)  # no input: the reveal runs to its end
    assert scene.revealed
    button = scene.buttons[0]
    rect = button.rect.move(scene.choices_rect.x, scene.choices_rect.y - scene.choice_scroll)
    assert tuple(app.screen.get_at((rect.right - 4, rect.centery))[:3]) in (app.theme.palette.panel,
                                                                            app.theme.palette.panel_hi)
    draws = app.draws
    frames(app, 1.0)
    assert app.draws == draws  # and then it is still


def test_items_given_with_set_stay_for_every_new_journey_in_the_window(story, make_app):
    """`play --set phone=true`: the first journey and each "Start a new journey" after it begin with the phone."""
    from game.engine.presets import parse_presets

    item = next(iter(story.items))
    presets = parse_presets(story, [f"{item}=true"])  # only an item: the values dict itself is empty (falsy)
    app = make_app(story, skip_title=True, presets=presets)
    assert item in app.state.items
    tap(app, pygame.K_3)
    app.new_journey()
    assert app.state.step == 0 and item in app.state.items


# --------------------------------------------------------------------------- the ending's page and the debrief


def test_space_on_the_endings_page_never_opens_the_debrief(story, make_app):
    """README: Space shows the text and never chooses. A trial's Space on the last page opened "See what it cost"."""
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_1)
    scene = app.stack.top
    assert scene.view.ending is not None
    tap(app, pygame.K_SPACE)
    hold(app, pygame.K_SPACE, 1.0)
    frames(app, 0.5)
    assert app.stack.top is scene
    tap(app, pygame.K_RETURN)
    assert app.stack.top.name == "ending"


def test_see_what_it_cost_says_it_is_coming_before_the_debrief_is_built(story, make_app, monkeypatch):
    """The debrief takes up to two seconds to build: a frame that says it is coming is on screen meanwhile."""
    from game.ui.scenes.ending import DebriefScene

    seen = []
    build = DebriefScene.enter

    def enter(self) -> None:  # noqa: ANN001
        story_page = self.app.stack.scenes[-2]
        seen.append((story_page.preparing, self.app.draws))
        build(self)

    monkeypatch.setattr(DebriefScene, "enter", enter)
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_1)
    frames(app, 0.5)
    draws = app.draws
    app.step(events=[down(pygame.K_RETURN)], dt=FRAME)
    assert seen == [(True, draws + 1)]  # drawn, saying so, before the build began
    assert app.stack.top.name == "ending" and not app.stack.scenes[-2].preparing


def test_one_enter_then_space_during_a_slow_debrief_opens_nothing_more(story, make_app, monkeypatch):
    """Enter, then Space while the debrief takes two seconds to build: Space was pressed on a screen not yet seen.

    In the real loop a frame's time is measured after its events, so the second a still page waited
    before the Enter, and the two seconds of building, used up the new screen's settling pause at once
    (a trial: "See another path" opened over the debrief). The pause now runs from the first frame
    that shows the new screen.
    """
    import time as clock

    from game.ui.scenes.ending import DebriefScene

    slow_enter = DebriefScene.enter

    def enter(self) -> None:  # noqa: ANN001
        clock.sleep(0.3)  # a slow build: the key events below are queued meanwhile
        slow_enter(self)

    monkeypatch.setattr(DebriefScene, "enter", enter)
    app = make_app(story, skip_title=True)
    tap(app, pygame.K_1)
    frames(app, 1.0)
    # The loop: a still page sleeps, so each frame's dt is the wait before it, capped at 0.25 s.
    app.step(events=[down(pygame.K_RETURN), up(pygame.K_RETURN)], dt=0.25)
    app.step(events=[down(pygame.K_SPACE), up(pygame.K_SPACE)], dt=0.25)
    app.step(events=[down(pygame.K_SPACE), up(pygame.K_SPACE)], dt=0.25)
    assert app.stack.top.name == "ending"
    # A press made once the debrief is on screen works.
    tap(app, pygame.K_2)
    assert app.stack.top.name == "content-note"


def test_the_settling_pause_runs_from_when_the_new_screen_is_seen(story, make_app):
    """A quick Enter then Space from a still title: the Space must not begin the journey unread.

    A still screen sleeps until a key comes, and the frame's time (the wait, up to 0.25 s) is added
    after its events: the content note's settling pause was over before it was first drawn.
    """
    app = make_app(story)
    frames(app, 1.0)
    app.step(events=[down(pygame.K_RETURN), up(pygame.K_RETURN)], dt=0.25)
    assert app.stack.top.name == "content-note"
    app.step(events=[], dt=FRAME)
    app.step(events=[down(pygame.K_SPACE), up(pygame.K_SPACE)], dt=FRAME)  # 30 ms after the Enter
    assert app.stack.top.name == "content-note"
    tap(app, pygame.K_SPACE)  # seen, then pressed: it begins
    assert app.stack.top.name == "story"


@pytest.mark.parametrize(("key", "scene"), [(pygame.K_h, "journal"), (pygame.K_m, "map"), (pygame.K_F2, "settings"),
                                            (pygame.K_F6, "saves"), (pygame.K_F9, "saves")])
def test_the_keys_the_pause_menu_shows_work_while_it_is_open(key, scene, make_app):
    """The menu shows "Journal H", "Map M", "Settings F2"…: those keys open them from the menu too."""
    from conftest import STORY

    app = make_app(load_story(STORY), skip_title=True)
    tap(app, pygame.K_SPACE)
    tap(app, pygame.K_ESCAPE)
    assert type(app.stack.top).__name__ == "PauseScene"
    tap(app, key)
    assert app.stack.top.name == scene
    assert [s.name for s in app.stack.scenes] == ["story", scene]  # the menu closed behind it
