"""How a simulated player chooses: uniform random, first available, careful, greedy.

A policy sees exactly what a human sees (the ChoiceViews: availability, costs as
numbers, risk) plus the current resources, and returns the index of a choice. Ties
are broken with the run's own generator so that results stay reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from game.engine.engine import ChoiceView
from game.engine.rng import Pcg32

Policy = Callable[[Sequence[ChoiceView], dict, Pcg32], int]


def _pick_lowest(choices: Sequence[ChoiceView], score: Callable[[ChoiceView], float], rng: Pcg32) -> int:
    scores = [(score(c), c.index) for c in choices]
    best = min(s for s, _ in scores)
    tied = [i for s, i in scores if s <= best + 1e-9]
    return tied[rng.below(len(tied))] if len(tied) > 1 else tied[0]


def random_policy(choices: Sequence[ChoiceView], values: dict, rng: Pcg32) -> int:
    """Uniform among the available choices: the baseline a story's balance is judged against."""
    return choices[rng.below(len(choices))].index


def first_policy(choices: Sequence[ChoiceView], values: dict, rng: Pcg32) -> int:
    return choices[0].index


def careful_policy(choices: Sequence[ChoiceView], values: dict, rng: Pcg32) -> int:
    """Prefers lower risk, and keeps cash and health in reserve.

    The score is the visible chance of failure, plus a penalty for spending more
    than half the cash in hand, and for losing health when health is already low.
    A choice that leads straight to an ending other than safety (staying home,
    turning back) counts as certain failure: a careful player still wants to arrive.
    It is deliberately simple: a teacher should be able to explain it to a class.
    """
    cash = max(float(values.get("cash", 0)), 1.0)
    health = float(values.get("health", 100))

    def score(choice: ChoiceView) -> float:
        if choice.ends_in and choice.ends_in != "safe":
            return 2.0  # giving up is a certain failure, not a safe choice
        risk = choice.risk.chance if choice.risk else 0.0
        penalty = 0.0
        for cost in choice.costs:
            if cost.name == "cash" and cost.delta < 0 and -cost.delta > cash / 2:
                penalty += 0.05
            if cost.name == "health" and cost.delta < 0 and health + cost.delta < 40:
                penalty += 0.05
            if cost.name == "exposure" and cost.delta > 0:
                penalty += cost.delta / 1000
        return risk + penalty

    return _pick_lowest(choices, score, rng)


def greedy_policy(choices: Sequence[ChoiceView], values: dict, rng: Pcg32) -> int:
    """Wants it over quickly and cheaply: least time and money spent, whatever the risk."""

    def score(choice: ChoiceView) -> float:
        if choice.ends_in and choice.ends_in != "safe":
            return 1e9  # greedy for the goal, not for giving up
        total = 0.0
        for cost in choice.costs:
            if cost.name == "days":
                total += cost.delta * 10
            elif cost.name == "cash":
                total -= cost.delta / 10
        return total

    return _pick_lowest(choices, score, rng)


#: What each policy reads besides a choice's availability, risk and ending kind: the values
#: it looks at itself, and the costs it weighs. The exact-odds explorer keeps these in its
#: state only where the policy can read them (see game.engine.sim), so a change to a
#: policy's score must be reflected here.
READS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "random": (frozenset(), frozenset()),
    "first": (frozenset(), frozenset()),
    "careful": (frozenset({"cash", "health"}), frozenset({"cash", "health", "exposure"})),
    "greedy": (frozenset(), frozenset({"days", "cash"})),
}

POLICIES: dict[str, Policy] = {
    "random": random_policy,
    "careful": careful_policy,
    "greedy": greedy_policy,
    "first": first_policy,
}
