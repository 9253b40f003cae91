"""The class debrief follows the journey taken, and says what changed since 2010."""

from __future__ import annotations

import pygame

from conftest import STORY
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.cli.classroom import projector_mode
from game.story.loader import load_story
from game.ui.app import App
from game.ui.classroom.debrief import ARRIVAL_WORDS, SINCE_2010, ClassDebriefScene, debrief_questions


def test_a_journey_caught_at_the_river_is_not_asked_about_arriving_and_sees_what_changed(tmp_path):
    story = load_story(STORY)
    caught = next(n for n in story.nodes.values() if getattr(n, "ending", None) is not None
                  and n.ending.kind == "caught")
    # A story whose questions include one about arriving (the shipped story's now fit every ending).
    import dataclasses

    asking = dataclasses.replace(
        story, debrief_questions=("What did arriving in South Korea cost her?", *story.debrief_questions))
    questions, _ = debrief_questions(asking, [], "caught")
    assert questions and not any(any(w in q.lower() for w in ARRIVAL_WORDS) for q in questions)
    assert any("arriving" in q for q in debrief_questions(asking, [], "safe")[0])
    pygame.display.init()
    pygame.font.init()
    app = App(story, size=(1280, 720), seed=1)
    projector_mode(app)
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    try:
        from game.ui.classroom.story import start_session

        start_session(app, fac)
        fac.state.node = caught.id
        scene = ClassDebriefScene(app, fac)
        app.push(scene)
        app.step([])
        names = [name for name, _ in scene.pages]
        assert "What changed since 2010" in names
        assert all(f in story.facts for f in SINCE_2010)
    finally:
        fac.close()
        app.close()
        pygame.quit()
