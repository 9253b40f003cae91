"""The passage on the projector breaks pages at paragraph or sentence ends, for every passage of the story."""

from __future__ import annotations

import pygame

from conftest import STORY
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.cli.classroom import projector_mode
from game.story.loader import load_story
from game.ui.app import App
from game.ui.classroom.common import SENTENCE_ENDS


def test_pages_break_between_paragraphs_or_after_a_sentence_never_mid_sentence(tmp_path):
    story = load_story(STORY)
    pygame.display.init()
    pygame.font.init()
    app = App(story, size=(1280, 720), seed=1)
    projector_mode(app)
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    from game.ui.classroom.story import FacilitateStoryScene, start_session

    start_session(app, fac)
    scene = app.stack.find(FacilitateStoryScene)
    cut, checked = [], 0
    try:
        for node in story.nodes.values():
            fac.state.node = node.id
            try:
                scene.refresh()
            except Exception:  # noqa: BLE001 - a passage that needs state the start does not have
                continue
            paragraphs = {" ".join(p.split()) for p in scene.view.paragraphs}
            for number, page in enumerate(scene.pages[:-1]):
                last = page[-1][0]
                whole = " ".join(last.text.split()) in paragraphs or not last.text
                if not whole and not last.text.rstrip().endswith(SENTENCE_ENDS):
                    cut.append(f"{node.id} page {number + 1}: ends with …{last.text[-30:]!r}")
            for number, page in enumerate(scene.pages[1:], 2):
                tail = page[0][0].text
                if len(page) == 1 and len(page[0][0].lines) == 1 and tail not in paragraphs \
                        and not tail.startswith("THE END"):
                    cut.append(f"{node.id} page {number}: holds only a paragraph's last line")
            checked += 1
    finally:
        fac.close()
        app.close()
        pygame.quit()
    assert checked > 100
    assert not cut, "\n".join(cut[:20])
