"""The facilitator's menu keeps each action's number on every screen, and ending or quitting asks first.

The trial: on a vote 5 was "End the session now", on a passage 5 was Quit, at once,
with no question; the debrief offered to end the session and go to the debrief. Real
key presses on the real projector screens (keyboard tally, no phones).
"""

from __future__ import annotations

import pygame
import pytest

from conftest import STORY, press
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.cli.classroom import projector_mode
from game.story.loader import load_story
from game.ui.app import App


def number(app, n: int) -> None:
    press(app, pygame.K_0 + n, str(n))


@pytest.fixture
def session(tmp_path):
    story = load_story(STORY)
    pygame.display.init()
    pygame.font.init()
    app = App(story, size=(1280, 720), seed=1)
    projector_mode(app)
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    from game.ui.classroom.story import start_session

    start_session(app, fac)
    app.step([])
    yield app, fac
    fac.close()
    pygame.quit()


def menu(app) -> dict[int, str]:
    """The menu on screen: number -> label (a greyed row's label ends with why it cannot be taken)."""
    top = app.stack.top
    assert top.name == "facilitate-pause", top.name
    return {row.number: top.label(row) for row in top.menu}


ACTIONS = {1: "Continue", 2: "Blank the screen", 3: "Cancel this vote", 4: "Go back one decision",
           5: "End the session now", 6: "Quit"}


def test_each_action_has_the_same_number_on_a_passage_and_on_a_vote(session, tmp_path):
    app, fac = session
    press(app, pygame.K_ESCAPE)                          # on the first passage
    on_passage = menu(app)
    assert sorted(on_passage) == [1, 2, 3, 4, 5, 6]
    assert all(on_passage[n].startswith(words) for n, words in ACTIONS.items())
    assert on_passage[3].endswith("— no vote is open")  # shown greyed, so that 4, 5 and 6 keep their place
    pygame.image.save(app.screen, str(tmp_path / "pause-passage.png"))  # looked at: greyed rows keep their place
    number(app, 3)                                       # a greyed row does nothing but say why
    assert app.stack.top.name == "facilitate-pause" and fac.decision is None
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_v, "v")                          # straight to the first vote
    assert app.stack.top.name == "facilitate-vote"
    press(app, pygame.K_ESCAPE)
    on_vote = menu(app)
    assert all(on_vote[n].startswith(words) for n, words in ACTIONS.items())
    assert on_vote[3] == "Cancel this vote (no decision; phones are told)"


def test_quit_and_end_ask_first_a_second_press_acts_esc_takes_it_back(session, tmp_path):
    app, fac = session
    press(app, pygame.K_ESCAPE)
    number(app, 6)                                       # the trial's slip: one press quit the class
    assert app.running
    assert menu(app)[6].startswith("Press 6 again (or Enter) to quit")
    pygame.image.save(app.screen, str(tmp_path / "pause-armed.png"))
    press(app, pygame.K_ESCAPE)                          # Esc takes the first press back; the menu stays
    assert app.running and menu(app)[6].startswith("Quit")
    number(app, 5)
    assert app.stack.top.name == "facilitate-pause"      # not ended yet
    assert menu(app)[5].startswith("Press 5 again (or Enter) to end the session")
    number(app, 5)
    assert app.stack.top.name == "facilitate-debrief"
    press(app, pygame.K_ESCAPE)                          # at the debrief: no "go to the debrief"
    at_debrief = menu(app)
    assert 5 not in at_debrief and at_debrief[6].startswith("Quit")
    assert not any("debrief" in label for label in at_debrief.values())
    number(app, 6)
    assert app.running
    press(app, pygame.K_RETURN)                          # Enter on the armed row is the second press
    assert not app.running


def test_the_go_back_question_starts_on_no(session):
    app, fac = session
    press(app, pygame.K_v, "v")
    vote = app.stack.top
    number(app, 1)                                       # one hand for the first open option
    press(app, pygame.K_RETURN)
    step = fac.state.step
    assert step == 1
    while app.stack.top.name != "facilitate-story":
        press(app, pygame.K_RETURN)
    press(app, pygame.K_BACKSPACE)
    question = app.stack.top
    assert question.name == "facilitate-confirm"
    assert question.menu[question.focus].label == "No, stay here"
    press(app, pygame.K_RETURN)                          # Enter takes the safe answer
    assert fac.state.step == step and app.stack.top.name == "facilitate-story"
    assert vote is not None
