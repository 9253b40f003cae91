"""The endings gallery as the player meets it: reach an ending, go to the title, open the gallery."""

from __future__ import annotations

import json

import pygame
import pytest
from test_ui import click, key, map_story  # noqa: F401 - fixtures

from game.engine.history import history_path, load_history
from game.ui.scenes.gallery import HIDDEN


def reach_caught(make_app, story):  # noqa: ANN001, ANN201, F811
    for seed in range(1, 60):
        app = make_app(story, seed=seed)
        key(app, pygame.K_1)  # New journey (Continue has the focus once a journey is saved)
        key(app, pygame.K_RETURN)  # Begin
        key(app, pygame.K_SPACE)
        key(app, pygame.K_1)
        if app.state.node == "caught":
            return app
        history_path().unlink(missing_ok=True)  # that seed's ending is not this test's
    raise AssertionError("no seed made the risk fall")


def open_gallery(app) -> None:  # noqa: ANN001
    title = app.stack.top
    assert title.name == "title"
    index = next(i for i, item in enumerate(title.menu.items) if item.label == "Endings and past journeys")
    key(app, pygame.K_1 + index)
    assert app.stack.top.name == "gallery"


def texts(scene) -> str:  # noqa: ANN001
    return " ".join(getattr(block, "text", "") for block, _, _ in scene.placed)


def test_an_ending_reached_is_in_the_gallery_and_reopens_its_debrief(map_story, make_app):  # noqa: F811
    app = reach_caught(make_app, map_story)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_RETURN)  # the debrief
    key(app, pygame.K_3)  # Back to the title screen
    title = app.stack.top
    item = next(i for i in title.menu.items if i.label == "Endings and past journeys")
    assert "1 of 2 endings reached" in item.detail and "1 past journey" in item.detail
    open_gallery(app)
    gallery = app.stack.top
    words = texts(gallery)
    assert "Caught at the river" in words and HIDDEN in words and "Across" not in words
    assert "1 of 2 endings reached" in words
    before = app.screen.copy()
    assert len(gallery.cards) == 1  # the past journey, with its route drawn small
    rect = gallery.cards[0][0]
    click(app, rect.center)
    debrief = app.stack.top
    assert debrief.name == "ending" and debrief.past is not None
    assert [item.label for item in debrief.menu.items] == ["Back"]
    assert "Caught at the river" in " ".join(block.text for block, _, _ in debrief.placed)
    assert pygame.image.tobytes(before, "RGB") != pygame.image.tobytes(app.screen, "RGB")
    key(app, pygame.K_ESCAPE)
    assert app.stack.top.name == "gallery"
    # The same journey shown again is recorded once.
    assert len(load_history()[0]) == 1


def test_a_damaged_history_file_gives_an_empty_gallery_and_a_notice(map_story, make_app):  # noqa: F811
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ not json", encoding="utf-8")
    app = make_app(map_story)
    assert any("cannot be read" in text for text, _ in app.toasts)
    assert not path.exists()  # moved aside, never lost
    kept = list((path.parent / "unreadable").glob("history.unreadable-*.json"))
    assert kept and kept[0].read_text(encoding="utf-8") == "{ not json"
    open_gallery(app)
    assert "0 of 2 endings reached" in texts(app.stack.top)
    app.step()


def test_a_history_file_with_a_damaged_journey_is_kept_aside(map_story, make_app):  # noqa: F811
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": "escape-route-history", "version": 1,
                                "journeys": [{"key": 1, "kind": "victory"}]}), encoding="utf-8")
    app = make_app(map_story)
    open_gallery(app)
    assert app.stack.top.journeys == [] and list((path.parent / "unreadable").iterdir())


@pytest.mark.parametrize(("content", "english", "korean"), [
    ("{ not json", "", ""),
    (json.dumps({"format": "something else"}), "it is not the game's record of past journeys",
     "게임이 쓴 지난 여정 기록이 아닙니다"),
    (json.dumps({"format": "escape-route-history", "version": 1, "journeys": [{"key": 1}]}),
     "a journey's ending is damaged", "한 여정의 결말이 손상되었습니다"),
])
def test_the_notice_of_a_damaged_history_is_in_the_language_spoken(content, english, korean):
    """The gallery's notice and its reason were English f-strings in the Korean edition."""
    from game.l10n import set_language

    path = history_path()
    for lang, reason in (("en", english), ("ko", korean)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        try:
            set_language(lang)
            journeys, notice = load_history()
        finally:
            set_language("en")
        assert journeys == []
        start = ("The record of past journeys cannot be read (" if lang == "en"
                 else "지난 여정 기록을 읽을 수 없습니다(")
        assert notice.startswith(start + reason), notice
        assert notice.endswith("The gallery starts empty." if lang == "en" else "결말 모음은 빈 채로 시작합니다."), notice
