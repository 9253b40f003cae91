"""An input that started on one screen never acts on the next, on the projector too (issue 17, item 6).

"Begin the session lands on page 2 of 3": the facilitator's screens take presses at
once (no settling pause, for counting hands), so a held Enter on "Begin the session"
went on, through SDL's key repeat (350 ms, then every 40 ms), to turn the first
passage's pages. These tests post the events SDL sends, repeats included.
"""

from __future__ import annotations

import pygame
import pytest

from conftest import REPO
from game.cli.classroom import projector_mode
from game.story.loader import load_story
from game.ui.app import App
from game.ui.classroom.setup import FIELDS, FacilitateSetupScene

BEGIN = [f.key for f in FIELDS].index("begin")
FRAME = 1 / 60


@pytest.fixture(scope="module")
def story():
    return load_story(REPO / "story")


@pytest.fixture
def setup(story):
    pygame.init()
    app = App(story, size=(1280, 720), seed=1)
    projector_mode(app)  # as 'escape-route facilitate' runs: high contrast, extra-large text
    app.stack.replace_all(FacilitateSetupScene(app))
    for _ in range(30):
        app.step(events=[])
    yield app
    fac = getattr(app, "facilitation", None)
    if fac is not None:
        fac.close()
    app.close()
    pygame.quit()


def post(*events: pygame.event.Event) -> None:
    for event in events:
        pygame.event.post(event)


def enter(kind: int, **extra) -> pygame.event.Event:  # noqa: ANN003
    return pygame.event.Event(kind, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=40, **extra)


def frames(app: App, seconds: float) -> None:
    for _ in range(round(seconds / FRAME)):
        app.step(events=[])


def hold_enter(app: App, seconds: float) -> None:
    """Enter held down for ``seconds``, as SDL sends it: one KEYDOWN, repeats after 350 ms every 40 ms, a KEYUP."""
    post(enter(pygame.KEYDOWN))
    app.step()
    frames(app, 0.35)
    held = 0.35
    while held < seconds:
        post(enter(pygame.KEYDOWN, repeat=1))
        app.step()
        frames(app, 0.04 - FRAME)
        held += 0.04
    post(enter(pygame.KEYUP))
    app.step()


def focus_begin(app: App) -> None:
    scene = app.stack.top
    scene.focus = BEGIN
    scene.relayout()


def test_a_held_enter_on_begin_opens_the_first_page_and_stops_there(setup):
    focus_begin(setup)
    hold_enter(setup, 0.6)
    scene = setup.stack.top
    assert scene.name == "facilitate-story"
    assert len(scene.pages) > 1 and scene.page == 0  # was the last page after 0.6 s


def test_the_next_press_after_the_release_turns_the_page_at_once(setup):
    """The projector still takes quick presses: no settling pause, only the held key is held back."""
    focus_begin(setup)
    hold_enter(setup, 0.5)
    post(enter(pygame.KEYDOWN), enter(pygame.KEYUP))
    setup.step()
    assert setup.stack.top.page == 1


def test_a_click_on_begin_with_its_release_opens_the_first_page(setup):
    pos = setup.stack.top.rows[BEGIN].center
    post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos))
    setup.step()
    frames(setup, 0.1)
    post(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=pos))
    setup.step()
    frames(setup, 0.5)
    assert setup.stack.top.name == "facilitate-story" and setup.stack.top.page == 0


def test_a_release_that_was_lost_does_not_freeze_the_projector(setup):
    """A key whose KEYUP never came (focus went elsewhere) stops blocking once it has been quiet for a second."""
    focus_begin(setup)
    post(enter(pygame.KEYDOWN))
    setup.step()
    frames(setup, 1.1)
    assert setup.stack.top.page == 0
    post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=44),
         pygame.event.Event(pygame.KEYUP, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=44))
    setup.step()
    assert setup.stack.top.page == 1
