"""The projector's small things from the teacher trial: each checked on the real screens with real keys.

The chapter named after its place is named once; notices stand above the key hints;
the map keeps the room code on screen; hands typed show before V; an item's article is
lower-cased mid-sentence; the Korean screens call the four digits 입장 코드, as the phones do.
"""

from __future__ import annotations

import pygame
import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

from conftest import STORY, press  # noqa: E402
from game.classroom.facilitation import Facilitation, FacilitatorSettings  # noqa: E402
from game.cli.classroom import projector_mode  # noqa: E402
from game.engine.engine import mid_sentence  # noqa: E402
from game.lan.server import VoteServer  # noqa: E402
from game.lan.tally import LanTally  # noqa: E402
from game.story.loader import load_story  # noqa: E402
from game.ui.app import App  # noqa: E402


@pytest.fixture
def projector(tmp_path):
    story = load_story(STORY)
    pygame.display.init()
    pygame.font.init()
    app = App(story, size=(1280, 720), seed=1)
    projector_mode(app)
    app.vote_channel = LanTally(VoteServer(bind="127.0.0.1", port=8765, room_code="4821"))  # not listening
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    from game.ui.classroom.story import start_session

    start_session(app, fac)
    for _ in range(30):
        app.step([], dt=0.1)
    yield app, fac
    fac.close()
    pygame.quit()


def test_a_chapter_named_after_its_place_is_named_once(projector):
    app, fac = projector
    scene = app.stack.top
    assert scene.name == "facilitate-story"
    assert scene.kicker_text.casefold().count("hyesan") == 1, scene.kicker_text   # not "HYESAN · HYESAN"


def test_notices_stand_above_the_key_hints(projector, tmp_path):
    app, fac = projector
    app.dirty = True
    app.step([])
    before = app.screen.copy()
    scene = app.stack.top
    app.notify("Back before the last decision. The class can try the other way.")
    app.step([])
    pygame.image.save(app.screen, str(tmp_path / "toast.png"))
    hints_top = scene.toast_bottom + scene.pj.px(10)
    for y in range(hints_top, scene.pj.safe.bottom, 3):        # the hints' rows are untouched by the notice
        for x in range(0, app.screen.get_width(), 5):
            assert app.screen.get_at((x, y)) == before.get_at((x, y)), (x, y)
    changed = [y for y in range(0, hints_top) if any(app.screen.get_at((x, y)) != before.get_at((x, y))
                                                    for x in range(0, app.screen.get_width(), 9))]
    assert changed, "the notice is drawn"


def test_the_map_keeps_the_room_code_at_the_top(projector):
    from game.ui.classroom.common import draw_room_badge

    app, fac = projector
    press(app, pygame.K_m, "m")
    for _ in range(10):
        app.step([], dt=0.1)
    assert "map" in app.stack.top.name
    app.dirty = True
    app.step([])
    with_code = app.screen.copy()
    badge = draw_room_badge(app, pygame.Surface(app.screen.get_size()))
    assert badge is not None and badge.bottom <= app.stack.top.app.theme.size[1] // 8   # in the top margin
    channel, app.vote_channel = app.vote_channel, None
    app.dirty = True
    app.step([])
    app.vote_channel = channel
    differs = [(x, y) for x in range(badge.left, badge.right, 2) for y in range(badge.top, badge.bottom, 2)
               if with_code.get_at((x, y)) != app.screen.get_at((x, y))]
    assert len(differs) > 20, "the room code is drawn over the map"


def test_hands_typed_show_before_the_counts_are_revealed(projector, tmp_path):
    from game.ui.classroom.vote import VoteScene

    app, fac = projector
    vote = VoteScene(app, fac)
    app.push(vote)
    app.step([])
    assert not vote.revealed
    press(app, pygame.K_3, "3")
    app.dirty = True
    app.step([])
    boxes = dict(vote.boxes)
    assert f"hands {vote.focus + 1}" in boxes
    pygame.image.save(app.screen, str(tmp_path / "hands.png"))
    hints = boxes["hints"]
    assert not boxes[f"hands {vote.focus + 1}"].colliderect(hints)


def test_an_items_article_is_lower_case_mid_sentence():
    assert mid_sentence("A disc of South Korean dramas") == "a disc of South Korean dramas"
    assert mid_sentence("An old phone") == "an old phone" and mid_sentence("The letter") == "the letter"
    assert mid_sentence("Andong's map") == "Andong's map" and mid_sentence("Sister's number") == "Sister's number"


def test_korean_calls_the_code_by_one_name():
    from game.l10n import _, set_language

    set_language("ko")
    try:
        for words in (_("Room {code}"), _("Join: {address}  ·  Room {code}"), _("Room code"),
                      _("New room code {code}: joined devices stay in.")):
            assert "입장 코드" in words, words
            assert "방 " not in words
    finally:
        set_language("en")
