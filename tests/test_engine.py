"""The rules, played through the engine: views, costs and risks, effects, rolls, endings, rollback."""

from __future__ import annotations

import pytest

from game.engine.engine import Engine, Phase
from game.errors import EngineError, Impossible
from game.story.loader import load_story


@pytest.fixture
def engine(tiny_story) -> Engine:
    return Engine(load_story(tiny_story))


def test_view_shows_text_costs_risks_and_reasons(engine):
    state = engine.new_game(seed=1)
    view = engine.view(state)
    assert view.title == "The river" and view.chapter == "The River"
    assert view.paragraphs == ("You have ¥300. Nobody warned you.", "The water is cold.")
    pay, boat, wait = view.choices
    assert (pay.available, pay.cost_text, pay.risk.text) == (True, "¥150 · 1 day · + Chinese phone", "50%: turned in")
    assert [c.good for c in pay.costs] == [False, False, True]
    assert (boat.available, boat.reason) == (False, "needs ¥1,000; you have ¥300")
    assert (wait.cost_text, wait.risk) == ("7 days · −10 Health", None)
    assert view.phase is Phase.CHOOSING and not view.can_rollback


def test_effects_and_text_follow_the_state(engine):
    state = engine.new_game(seed=1)
    outcome = engine.choose(state, 2)
    assert outcome.deltas == {"days": 7, "health": -10} and outcome.to_node == "river"
    assert engine.view(state).paragraphs[0] == "You have ¥300. You were warned."
    assert state.visits == {"river": 2}


def test_bounds_are_kept(engine):
    state = engine.new_game(seed=1)
    for _ in range(8):
        engine.choose(state, 2)
    assert state.vars["health"] == 0  # min 0, not -30


def test_unavailable_choice_is_refused_for_the_player(engine):
    state = engine.new_game(seed=1)
    with pytest.raises(Impossible, match="needs ¥1,000"):
        engine.choose(state, 1)
    with pytest.raises(EngineError):
        engine.choose(state, 7)


def test_risk_falls_as_often_as_shown(engine):
    outcomes = []
    for seed in range(400):
        state = engine.new_game(seed=seed)
        outcomes.append(engine.choose(state, 0).roll.failed)
    assert 0.42 < sum(outcomes) / len(outcomes) < 0.58  # chance 0.5


def test_both_endings_are_reached_and_the_journey_stops(engine):
    reached = {}
    for seed in range(20):
        state = engine.new_game(seed=seed)
        outcome = engine.choose(state, 0)
        reached[outcome.ending.id] = outcome
        assert engine.phase(state) is Phase.ENDED
        with pytest.raises(EngineError, match="the journey is over"):
            engine.choose(state, 0)
    assert set(reached) == {"crossed", "caught"}
    assert reached["caught"].to_node == "caught" and reached["crossed"].to_node == "bank"


def test_same_seed_same_choices_same_journey(engine):
    def play(seed):
        state = engine.new_game(seed=seed)
        engine.choose(state, 2)
        engine.choose(state, 0)
        return state.to_dict()

    assert play(11) == play(11)
    assert any(play(11)["rng"] != play(s)["rng"] for s in range(12, 20))


def test_rollback_restores_the_state_and_rolls_the_dice_again(engine):
    rerolled = 0
    for seed in range(20):
        state = engine.new_game(seed=seed)
        engine.choose(state, 2)
        before = state.to_dict()
        first = engine.choose(state, 0)
        engine.rollback(state)
        after = state.to_dict()
        same = {k for k in before if k not in ("undo", "rng")}
        assert {k: after[k] for k in same} == {k: before[k] for k in same}
        assert after["rng"] != before["rng"]  # the generator went on: the dice are rolled again
        again = engine.choose(state, 0)
        rerolled += again.roll.value != first.roll.value
        # Deterministic all the same: the same seed, choices and rollbacks give the same dice.
        replay = engine.new_game(seed=seed)
        engine.choose(replay, 2)
        engine.choose(replay, 0)
        engine.rollback(replay)
        assert engine.choose(replay, 0).roll == again.roll
    assert rerolled == 20


def test_rollback_goes_back_to_any_earlier_decision(engine):
    state = engine.new_game(seed=3)
    for _ in range(3):
        engine.choose(state, 2)  # wait a week, three times
    points = engine.retry_points(state)
    assert [p.depth for p in points] == [1, 2, 3] and all(p.choice == "Wait a week" for p in points)
    engine.rollback(state, depth=3)
    assert state.step == 0 and state.vars["days"] == 0 and len(state.journal) == 1 and not state.undo
    assert engine.can_rollback(state, 1) == (False, "there is no choice to undo yet")


def test_rollback_can_be_forbidden_by_the_story(tmp_path):
    from conftest import TINY, write_story

    chapter = TINY["01_river.yaml"].replace("    title: The river\n", "    title: The river\n    rollback: false\n")
    engine = Engine(load_story(write_story(tmp_path / "s", {**TINY, "01_river.yaml": chapter})))
    state = engine.new_game(seed=1)
    engine.choose(state, 2)
    assert engine.can_rollback(state) == (False, "the choice at “The river” cannot be undone")
    assert engine.retry_points(state) == ()
    with pytest.raises(Impossible):
        engine.rollback(state)


def test_journal_records_what_was_read_and_chosen(engine):
    state = engine.new_game(seed=3)
    engine.choose(state, 2)
    first = state.journal[0]
    assert first["node"] == "river" and first["choice"] == "Wait a week"
    assert first["text"] == ["You have ¥300. Nobody warned you.", "The water is cold."]
    assert state.journal[1]["text"][0] == "You have ¥300. You were warned."


def test_a_closed_choice_names_a_second_sum_of_money(tmp_path):
    """"needs ¥1; you have ¥0" read as cash while the player held ¥16,000: a sum other than the money is named."""
    from conftest import TINY, write_story

    story_yaml = TINY["story.yaml"].replace(
        '  days: {start: 0, min: 0, label: Days, unit: day, better: lower}\n',
        '  days: {start: 0, min: 0, label: Days, unit: day, better: lower}\n'
        '  debt: {start: 0, min: 0, label: Debt to broker, unit: "¥", better: lower}\n')
    chapter = TINY["01_river.yaml"].replace("        if: cash >= 1000\n", "        if: debt > 0\n")
    engine = Engine(load_story(write_story(tmp_path / "s", {**TINY, "story.yaml": story_yaml,
                                                            "01_river.yaml": chapter})))
    boat = engine.view(engine.new_game(seed=1)).choices[1]
    assert (boat.available, boat.reason) == (False, "needs Debt to broker ¥1 or more; you have ¥0")
    pay = engine.view(engine.new_game(seed=1)).choices[0]
    assert pay.available  # the money itself is still only its amount: "needs ¥150" elsewhere
    assert engine.explain(engine.story.nodes["river"].choices[1]) == "needs Debt to broker ¥1 or more"


def test_a_reason_that_names_the_amount_is_not_told_it_again(tmp_path):
    """"You would need ¥1,000. (needs ¥1,000; you have ¥300)" said it twice: the amount is the writer's."""
    from conftest import TINY, write_story

    chapter = TINY["01_river.yaml"].replace("        if: cash >= 1000\n",
                                            "        if: cash >= 1000\n        reason: You would need ¥1,000.\n")
    engine = Engine(load_story(write_story(tmp_path / "s", {**TINY, "01_river.yaml": chapter})))
    boat = engine.view(engine.new_game(seed=1)).choices[1]
    assert boat.reason == "You would need ¥1,000. (you have ¥300)"
    other = TINY["01_river.yaml"].replace("        if: cash >= 1000\n",
                                          "        if: cash >= 1000\n        reason: The boatman wants more.\n")
    engine = Engine(load_story(write_story(tmp_path / "o", {**TINY, "01_river.yaml": other})))
    assert engine.view(engine.new_game(seed=1)).choices[1].reason == \
        "The boatman wants more. (needs ¥1,000; you have ¥300)"
