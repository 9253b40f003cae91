"""Chapter cards as the player meets them: a quiet card as a chapter begins, gone at a key (which does
nothing else) or after a few seconds, and never shown with reduced motion."""

from __future__ import annotations

import pygame
import pytest
from test_ui import MAP, key, pixel_mean, settle  # noqa: F401 - fixtures

from conftest import TINY, write_story
from game.story.loader import load_story
from game.ui.settings import Settings, save_settings

TWO_CHAPTERS = {
    "story.yaml": TINY["story.yaml"] + f"map: {MAP.as_posix()}\n",
    "01_river.yaml": """\
chapter: The River
nodes:
  river:
    title: The river
    location: hyesan
    text: The water is cold.
    choices:
      - text: Cross
        goto: town
      - text: Stay
        goto: home
  home:
    location: hyesan
    text: You stay.
    ending: {id: home, kind: stayed, title: Home}
""",
    "02_town.yaml": """\
chapter: The Other Side
nodes:
  town:
    title: Changbai
    location: changbai
    text: The lights.
    choices:
      - text: Go on
        goto: far
      - text: Wait
        goto: far
  far:
    location: changbai
    text: Further.
    ending: {id: far, kind: safe, title: Further}
""",
}


@pytest.fixture
def two(tmp_path):
    return load_story(write_story(tmp_path / "two", TWO_CHAPTERS))


def test_a_chapter_begins_with_its_card_and_the_key_that_ends_it_does_nothing_else(two, make_app):  # noqa: F811
    app = make_app(two, skip_title=True)
    assert app.stack.top.name == "story"  # the journey's first page has the title and content note before it
    key(app, pygame.K_SPACE)
    key(app, pygame.K_1)  # Cross
    card = app.stack.top
    assert card.name == "chapter-card" and app.state.node == "town"
    words = " ".join(block.text for block in card.blocks)
    assert "CHAPTER 2" in words and "The Other Side" in words
    assert card.place.text == "Changbai" and card.korean is not None and card.thumb is not None
    settle(app, 0.3)
    title = card.blocks[1]
    area = pygame.Rect(card.col_x, card.top + card.blocks[0].height, title.width, title.height)
    assert pixel_mean(app.screen, area) != pytest.approx(app.theme.palette.bg, abs=2)  # its words are drawn
    key(app, pygame.K_1)  # ends the card: it must not choose "Go on" on the page below
    assert app.stack.top.name == "story" and app.state.node == "town"
    key(app, pygame.K_1)
    assert app.state.node == "far"


def test_the_card_goes_by_itself_after_a_few_seconds(two, make_app):  # noqa: F811
    app = make_app(two, skip_title=True)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_1)
    assert app.stack.top.name == "chapter-card"
    settle(app, 1.5)
    assert app.stack.top.name == "chapter-card"
    settle(app, 1.5)
    assert app.stack.top.name == "story" and app.state.node == "town"


def test_a_click_ends_the_card_too(two, make_app):  # noqa: F811
    app = make_app(two, skip_title=True)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_1)
    settle(app, 0.3)  # as a person would: a screen ignores input for a moment after it appears
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(5, 5)))
    app.step()
    assert app.stack.top.name == "story" and app.state.node == "town"


def test_reduced_motion_skips_the_cards(two, make_app):  # noqa: F811
    save_settings(Settings(reduced_motion=True))
    app = make_app(two, skip_title=True)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_1)
    assert app.stack.top.name == "story" and app.state.node == "town"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_chapter_named_after_its_place_says_the_name_once(make_app, lang):
    """A trial's card read "Hyesan / Hyesan / 혜산": the chapter title is the place, so it is not repeated."""
    from conftest import STORY
    from game.l10n import set_language
    from game.ui.scenes.chapter_card import ChapterCardScene

    set_language(lang)
    story = load_story(STORY, lang=lang)
    app = make_app(story, skip_title=True)
    english, korean = app.place("hyesan")
    chapter = story.nodes[story.start].chapter
    assert chapter == english  # "Hyesan" / "혜산"
    card = ChapterCardScene(app, chapter, "hyesan")
    app.push(card)
    app.step(events=[])
    shown = [b.text for b in card.blocks] + ([card.place.text] if card.place else [])
    assert shown.count(english) == 1 and card.korean is not None
    set_language("en")
