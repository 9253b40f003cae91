"""The debrief as the player meets it: the same ways on from every ending, neutral words and colours,
the luck sentence, honest numbers and distances, and what has changed since 2010."""

from __future__ import annotations

import pygame
import pytest
from test_ui import MAP, key, map_story  # noqa: F401 - fixtures

from game.engine.history import road_days
from game.route import load_route_map
from game.story.model import ENDING_KIND_LABELS
from game.ui.map_view import route_miles
from game.ui.scenes.ending import LUCK_SENTENCE, SINCE_2010_FACTS, WAYS_ON, DebriefScene, summary_line


def reach(make_app, story, want: str):  # noqa: ANN001, ANN201, F811
    """Play the tiny mapped story with seeds until the 50% risk lands on ``want``; the debrief is on top."""
    for seed in range(1, 60):
        app = make_app(story, skip_title=True, seed=seed)
        key(app, pygame.K_SPACE)
        key(app, pygame.K_1)
        if app.state.node == want:
            key(app, pygame.K_SPACE)
            key(app, pygame.K_RETURN)
            assert app.stack.top.name == "ending"
            return app
    pytest.fail(f"no seed reached {want}")


def words(scene) -> str:  # noqa: ANN001
    return " ".join(block.text for block, _, _ in scene.placed)


def test_safe_and_caught_endings_offer_the_same_ways_on(map_story, make_app):  # noqa: F811
    menus = {}
    for node in ("bank", "caught"):
        debrief = reach(make_app, map_story, node).stack.top
        menus[node] = [item.label for item in debrief.menu.items]
        assert all(item.enabled for item in debrief.menu.items), node
    assert menus["bank"] == menus["caught"] == list(WAYS_ON)


def test_going_back_before_the_fallen_risk_rolls_the_dice_again(map_story, make_app):  # noqa: F811
    app = reach(make_app, map_story, "caught")
    met = []
    for _ in range(30):  # the same choice again, until the dice fall the other way
        key(app, pygame.K_1)  # See another path from an earlier decision
        retry = app.stack.top
        assert retry.name == "retry"
        first = retry.menu.items[0]
        assert first.label.startswith("Before the risk that fell") and "the dice will be rolled again" in first.detail
        key(app, pygame.K_1)
        assert app.stack.top.name == "story" and app.state.node == "river"
        key(app, pygame.K_SPACE)
        key(app, pygame.K_1)  # the same choice: pay the guard
        met.append(app.state.node)
        if app.state.node == "bank":
            break
        key(app, pygame.K_SPACE)
        key(app, pygame.K_RETURN)  # the debrief again
    assert met[-1] == "bank"


def test_every_kind_has_its_neutral_label_and_one_colour(map_story, make_app):  # noqa: F811
    colours = set()
    for node, kind in (("bank", "safe"), ("caught", "caught")):
        debrief = reach(make_app, map_story, node).stack.top
        head = debrief.placed[0][0]
        assert head.text == "THE END  ·  " + ENDING_KIND_LABELS[kind].upper()
        colours.add(tuple(pygame.transform.average_color(head.lines[0].image)[:3]))
        assert LUCK_SENTENCE in words(debrief)
    assert len(colours) == 1


def test_the_numbers_count_the_road_and_use_separators():
    country = {"hyesan": "KP", "changbai": "CN", "seoul": "KR"}
    journal = [{"location": "hyesan", "day": 0}, {"location": "hyesan", "day": 60}]
    assert road_days(journal, country) is None  # she never left: no "days on the road"
    journal = [{"location": "hyesan", "day": 0}, {"location": "hyesan", "day": 10},
               {"location": "changbai", "day": 12}, {"location": "seoul", "day": 300},
               {"location": "seoul", "day": 1772}]
    assert road_days(journal, country) == 290
    line = summary_line(1234, 3, (1000.4, 0.0), 3444.3)
    assert line.startswith("1,234 days on the road") and "1,000 of 3,444 miles overland" in line
    assert "on the road" not in summary_line(None, 1, None, None)


def test_the_distance_is_the_routes_own_on_every_screen(map_story, make_app):  # noqa: F811
    miles = route_miles(load_route_map(MAP), "hyesan")
    assert 3300 < miles.way < 3700 and 2000 < miles.flight < 2500  # Hyesan to Bangkok, then the flight
    app = reach(make_app, map_story, "caught")
    debrief = app.stack.top
    assert f"{miles.way:,.0f} miles overland" in words(debrief)
    assert "3,500 miles" in words(debrief) and "almost 2,700" in words(debrief)
    assert app.map_view.total_miles == pytest.approx(miles.way)


def test_the_debrief_map_frames_the_journey_taken(map_story, make_app):  # noqa: F811
    debrief = reach(make_app, map_story, "bank").stack.top
    assert isinstance(debrief, DebriefScene) and debrief.map_rect is not None
    view = debrief.map_view
    for place in debrief.visited:
        x, y = view.screen_pos(debrief.map_rect, place)
        assert debrief.map_rect.inflate(-40, -40).collidepoint(x, y), place


def test_what_has_changed_since_2010_is_a_card_of_cited_facts(make_app):  # noqa: F811
    from conftest import STORY
    from game.story.loader import load_story
    story = load_story(STORY)
    for fid in SINCE_2010_FACTS:
        assert fid in story.facts
    app = make_app(story, skip_title=True, seed=3)
    app.state.node = next(n.id for n in story.nodes.values() if n.ending and n.ending.kind == "stayed")
    app.push(DebriefScene(app))
    debrief = app.stack.top
    text = words(debrief)
    assert "WHAT HAS CHANGED SINCE 2010" in text and debrief.cards
    for fid in SINCE_2010_FACTS:
        fact = story.facts[fid]
        assert " ".join(fact.text.split()) in text and fact.source_title in text


def test_the_terminal_names_the_kind_neutrally_and_gives_each_sources_confidence():
    import io
    import random

    from conftest import STORY
    from game.engine.engine import Engine
    from game.story.loader import load_story
    from game.textui import run_text

    story = load_story(STORY)
    engine = Engine(story)
    for seed in range(1, 40):  # a caught journey, and the answers that lead there
        state, rng, answers = engine.new_game(seed), random.Random(seed), []
        while engine.view(state).ending is None:
            choice = rng.choice([ch for ch in engine.view(state).choices if ch.available])
            answers.append(str(choice.index + 1))
            engine.choose(state, choice.index)
        if engine.view(state).ending.kind == "caught":
            break
    out = io.StringIO()
    run_text(story, seed, False, stdin=io.StringIO("\n".join(answers) + "\n"), stdout=out)
    text = " ".join(out.getvalue().split())
    assert "How it ended: Caught and sent back." in text and " ".join(LUCK_SENTENCE.split()) in text
    assert "confidence:" in text and "(Yonhap, 2021; strong confidence: https://" in text
    assert "What has changed since 2010" in text and "Play again with: escape-route play --text" in text
    assert out.getvalue().rstrip().splitlines()[-1].startswith("THE END — ")


def test_the_map_legend_shows_the_way_ahead_only_when_one_is_drawn(map_story, make_app):  # noqa: F811
    app = make_app(map_story, skip_title=True)
    key(app, pygame.K_SPACE)
    key(app, pygame.K_m)  # at the river, heading for Changbai
    assert app.stack.top.name == "map" and "the way ahead" in app.map_view.legend
    key(app, pygame.K_ESCAPE)
    app.state.journal[-1]["location"] = "changbai"
    app.state.node = "bank"  # the far bank: an ending, nowhere ahead
    key(app, pygame.K_m)
    assert app.stack.top.name == "map" and app.map_view.legend and "the way ahead" not in app.map_view.legend


def test_the_list_of_decisions_scrolls_to_the_earliest(make_app):  # noqa: F811
    from conftest import STORY
    from game.story.loader import load_story
    from game.ui.scenes.ending import RetryScene
    from game.ui.scenes.story import StoryScene
    from tools.screenshots import find_kind

    story = load_story(STORY)
    state = find_kind(story, "caught")
    app = make_app(story, skip_title=True)
    app.state = state
    app.stack.replace_all(StoryScene(app))
    app.push(DebriefScene(app))
    key(app, pygame.K_1)
    retry = app.stack.top
    assert isinstance(retry, RetryScene) and len(retry.points) > retry.shown > 0
    for _ in range(len(retry.points) + 2):
        key(app, pygame.K_DOWN)
    assert retry.offset + retry.menu.focus == len(retry.points) - 1  # the earliest decision, reachable
    earliest = retry.points[-1]
    key(app, pygame.K_RETURN)
    assert app.stack.top.name == "story" and app.state.node == earliest.node


def test_scroll_for_more_sits_between_the_text_and_the_buttons_and_goes_at_the_end(map_story, make_app):  # noqa: F811
    """A trial saw "Scroll for more" over the debrief's last line and the first button, still there after End."""
    app = reach(make_app, map_story, "caught")
    app.apply_settings(app.settings.changed(text_size="x-large"))
    app.step(events=[])
    scene = app.stack.top
    assert scene.max_scroll > 0
    hint = scene.hint.get_rect(topright=(scene.col_x + scene.col_w, scene.view_rect.bottom + app.theme.px(4)))
    assert not hint.colliderect(scene.view_rect)
    assert not any(hint.colliderect(rect) for rect in scene.menu.rects)

    def hint_drawn() -> bool:
        surface = pygame.Surface(app.theme.size)
        surface.fill(app.theme.palette.bg)
        scene.draw(surface)
        return any(surface.get_at((x, y))[:3] != app.theme.palette.bg
                   for x in range(hint.left, hint.right, 2) for y in range(hint.top, hint.bottom, 2))

    assert hint_drawn()
    key(app, pygame.K_END)
    assert scene.scroll == scene.max_scroll
    assert not hint_drawn()
