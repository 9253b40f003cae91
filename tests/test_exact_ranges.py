"""Exact odds on stories whose plain states never end: values kept as ranges, and values merged past a floor.

A waiting loop that adds days, with one later test on days, is finite once days are
kept as the range they lie in; a loop that adds debt on every round, with Seoul
comparing the debt with the cash, is finite once every debt past a proven floor is
one state. Each expected fraction here is worked out by hand (a geometric series),
so a merge that changed any journey's future would show as a wrong fraction.
"""

from __future__ import annotations

from fractions import Fraction

from conftest import STORY, write_story
from game.engine import sim
from game.engine.liveness import Liveness
from game.story.loader import load_story

HEADER = """\
title: Loops
version: "1"
year: 2010
start: n0
content_note: A test story.
resources:
  cash: {start: 1000, min: 0, label: Cash, unit: "¥"}
  days: {start: 0, min: 0, label: Days, unit: day, better: lower}
  debt: {start: 0, min: 0, label: Debt, unit: "¥", better: lower}
"""

ENDINGS = """\
  end_safe:
    text: Safe.
    ending: {id: safe, kind: safe, title: Safe}
  end_lost:
    text: Lost.
    ending: {id: lost, kind: lost, title: Lost}
"""


def _story(tmp_path, nodes: str):
    return load_story(write_story(tmp_path / "s", {"story.yaml": HEADER, "01.yaml": "nodes:\n" + nodes + ENDINGS}))


def test_days_in_a_waiting_loop_are_kept_as_the_range_a_later_test_tells_apart(tmp_path):
    """Waiting adds 7 days; leaving needs 30. Five waits of 1/2 each reach 35, then safe and lost are even."""
    story = _story(tmp_path, """\
  n0:
    text: Wait.
    choices:
      - {text: Wait a week, effects: {days: 7}, goto: n0}
      - {text: Leave, if: days >= 30, goto: end_safe}
      - {text: Give up, goto: end_lost}
""")
    result = sim.exhaustive(story, "random")
    assert not result["hit_limit"] and result["unresolved"] == 0
    assert result["endings"] == {"safe": Fraction(1, 64), "lost": Fraction(63, 64)}
    # Days 0, 7, 14, 21 and 28 are five ranges (each a different number of weeks short of 30), every
    # day past 30 is one, and the two endings: 8 states, where exact days would never end.
    assert result["states"] == 8


DEBT_LOOP = """\
  n0:
    text: The river.
    choices:
      - text: Cross
        roll: {chance: 0.5, label: caught, fail: caught}
        goto: seoul
  caught:
    text: Caught, and released for a fee on your debt.
    effects: {debt: 700}
    choices:
      - {text: Try again, goto: n0}
  seoul:
    text: Seoul. The broker's man calls; you pay what you can.
    effects: {debt: "-min(debt, cash)"}
    choices:
      - {text: Live free, if: debt <= 0, goto: end_safe}
      - {text: Live in debt, if: debt > 0, goto: end_lost}
"""


def test_a_debt_that_grows_every_round_is_one_state_past_a_proven_floor(tmp_path):
    """k arrests cost 700k; Seoul pays up to the cash (1,000): free only for k <= 1, that is 1/2 + 1/4."""
    story = _story(tmp_path, DEBT_LOOP)
    for policy in ("random", "first", "careful", "greedy"):
        result = sim.exhaustive(story, policy)
        assert not result["hit_limit"] and result["unresolved"] == 0, policy
        assert result["endings"] == {"safe": Fraction(3, 4), "lost": Fraction(1, 4)}, policy
        assert result["beyond"]["debt"] > 1000  # the floor had to pass the cash that Seoul compares it with
        assert result["states"] < 40


def test_a_value_whose_every_amount_matters_is_left_to_the_state_limit_and_said_so(tmp_path):
    """The chance of arrest grows with the debt itself, so no floor is ever high enough: it stays exact."""
    story = _story(tmp_path, DEBT_LOOP.replace("chance: 0.5", 'chance: "debt / (debt + 1000) + 0.1"')
                   .replace("debt: 700}", "debt: 700000}"))  # past every floor tried, well within the state limit
    result = sim.exhaustive(story, "random", state_limit=2000)
    assert result["hit_limit"] and result["unresolved"] > 0
    assert "debt" not in result["beyond"]
    assert sum(result["endings"].values()) + result["unresolved"] == 1


def test_careful_odds_on_the_shipped_story_are_exact_and_agree_with_a_walk_that_merges_nothing_past_a_floor():
    """The shipped story's Laos loop, settled by a floor, against the same walk with every debt kept exactly.

    The plain walk stops at its state limit with a sliver of probability undecided; each of its
    fractions is a proven lower bound, and the truth lies within the undecided sliver above it.
    The exact odds must lie in every one of those windows.
    """
    story = load_story(STORY)
    exact = sim.exhaustive(story, "careful", state_limit=400_000)
    assert not exact["hit_limit"] and exact["unresolved"] == 0 and "debt" in exact["beyond"]
    assert sum(exact["endings"].values()) == 1
    plain = sim._walk(story, "careful", 200_000, None, None, Liveness(story, "careful"), {})
    assert plain["hit_limit"] and 0 < plain["unresolved"] < Fraction(1, 10**6)
    for ending in set(exact["endings"]) | set(plain["endings"]):
        low = plain["endings"].get(ending, 0)
        assert low <= exact["endings"].get(ending, 0) <= low + plain["unresolved"], ending


def test_first_and_greedy_odds_on_the_shipped_story_are_exact_as_the_writing_guide_says():
    """docs/writing-guide.md: every policy but 'random' is exact on the whole story with the default state limit
    (a trial found greedy stopped at the old 200,000); greedy needs the visit floors."""
    story = load_story(STORY)
    for policy in ("first", "greedy"):
        result = sim.exhaustive(story, policy)
        assert not result["hit_limit"] and result["unresolved"] == 0, policy
        assert sum(result["endings"].values()) == 1
    assert "visits(china_restaurant)" in result["beyond"]  # greedy's restaurant seasons, past the certain risk
