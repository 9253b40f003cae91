"""Trying again can end differently: from every ending, every point offered leads somewhere else too.

A tester was caught at "The other side", went back, and met the same end three
times: the dice were fixed in the save. Now going back rolls the dice again, and
the ending screen offers only the decisions from which another ending is possible.
This test plays the shipped story to many endings and, from every point offered,
follows the engine's witness (the choices and the way each risk falls) to an
ending other than the one met.
"""

from __future__ import annotations

import random

from conftest import STORY
from game.engine.engine import Engine
from game.story.loader import load_story


def play(engine: Engine, state, rng: random.Random) -> str:
    while (ending := engine.view(state).ending) is None:
        engine.choose(state, rng.choice([c for c in engine.view(state).choices if c.available]).index)
    return ending.id


def test_from_every_retry_point_trying_again_can_end_differently():
    story = load_story(STORY)
    engine = Engine(story)
    rng = random.Random(11)
    endings_met, points_checked, fell_points = set(), 0, 0
    for run in range(25):
        state = engine.new_game(seed=run)
        ending = play(engine, state, rng)
        endings_met.add(ending)
        points = engine.retry_points(state, differing=True)
        assert points, f"no way back from {ending}"
        for point in points:
            back = state.copy()
            engine.rollback(back, point.depth)
            witness = engine.another_ending(back, ending)
            assert witness, (ending, point)
            for index, fell in witness:
                has_roll = story.nodes[back.node].choices[index].roll is not None
                engine.choose(back, index, forced_failure=fell if has_roll else None)
            assert engine.view(back).ending.id != ending
            points_checked += 1
            fell_points += point.risk_fell
    assert len(endings_met) >= 5 and points_checked > 200 and fell_points > 0
