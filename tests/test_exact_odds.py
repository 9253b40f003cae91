"""The exact-odds explorer (merged states, liveness, per-node decisions, mass flow) equals a plain enumerator.

The reference walks every path of a generated acyclic story with the whole state
(every value, item and visit: nothing merged, nothing forgotten), multiplying the
same exact probabilities. Random stories exercise what the liveness analysis must
get right: values read only late, values set or flagged before being read again,
computed effects, chances that read values and visits, bounds that clamp, items,
and every policy's reading of costs.
"""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction

import pytest

from conftest import write_story
from game.engine import sim
from game.engine.engine import Engine
from game.engine.liveness import Liveness
from game.story.loader import load_story

HEADER = """\
title: Generated
version: "1"
year: 2010
start: n0
content_note: A generated test story.
resources:
  cash: {start: 100, min: 0, label: Cash, unit: "¥"}
  health: {start: 60, min: 0, max: 100, label: Health}
  exposure: {start: 10, min: 0, max: 40, label: Exposure, better: lower}
  days: {start: 0, min: 0, label: Days, unit: day, better: lower}
flags: [seen, warned]
items:
  phone: {label: Phone}
"""

CONDITIONS = ["cash >= 60", "health < 50", "seen", "not warned", "has(phone)", "visited(n1)", "exposure > 20",
              "days >= 4 and cash > 10", "health <= 45", "cash == 70", "exposure != 25", "30 < cash", "days < 3"]
CHANCES = ["0.25", "0.1 + exposure / 100", "max(0.05, 0.5 - health / 200)", "0.2 + visits(n2) * 0.1", "0.3"]
EFFECTS = ["cash: -30", "cash: -70", "cash: 25", "health: -15", "health: -30", "health: 20", "exposure: 15", "exposure: -10", "days: 2",
           "seen: true", "warned: true", "phone: true", "phone: false", "set: {cash: 50}",
           'cash: "-cash / 2"', 'health: "days * 2"']


#: Only comparisons with numbers and numbers added: every value is kept as a range, none exactly.
THRESHOLD_CONDITIONS = [c for c in CONDITIONS if "visited" not in c] + ["health > 70", "cash <= 40", "days == 2"]
THRESHOLD_EFFECTS = [e for e in EFFECTS if '"' not in e] + ["days: 1", "cash: -10", "health: 5"]


def generated(seed: int, count: int = 12, thresholds_only: bool = False) -> dict[str, str]:
    """A small forward-only story (so every path ends) with a random mix of everything the explorer reads."""
    rng = random.Random(seed)
    conditions, effects, chances = ((THRESHOLD_CONDITIONS, THRESHOLD_EFFECTS, ["0.25", "0.3", "0.1"]) if thresholds_only
                                    else (CONDITIONS, EFFECTS, CHANCES))
    lines = ["nodes:"]
    endings = ["safe", "caught", "lost"]
    for i in range(count):
        lines += [f"  n{i}:", f"    text: Node {i}."]
        if i and rng.random() < 0.3:
            lines.append(f"    effects: {{{rng.choice(effects)}}}")
        lines.append("    choices:")
        for k in range(rng.randint(1, 3)):
            later = [f"n{j}" for j in range(i + 1, count)] + [f"end_{e}" for e in endings]
            goto = f"n{i + 1}" if k == 0 and i + 1 < count else rng.choice(later)
            lines += [f"      - text: Choice {k}", f"        goto: {goto}"]
            if k and rng.random() < 0.5:
                lines.append(f"        if: {rng.choice(conditions)}")
            picked = list({e.split(":")[0]: e for e in rng.sample(effects, rng.randint(0, 2))}.values())
            if "set: {cash: 50}" in picked and any(e.startswith("cash") for e in picked):
                picked.remove("set: {cash: 50}")
            if picked:
                lines.append(f"        effects: {{{', '.join(picked)}}}")
            if rng.random() < 0.4:
                lines.append(f"        roll: {{chance: \"{rng.choice(chances)}\", label: caught, "
                             f"fail: {rng.choice(later)}}}")
        if i == count - 1 or rng.random() < 0.3:
            lines += ["      - text: Walk on", f"        goto: end_{rng.choice(endings)}"]
    for e in endings:
        lines += [f"  end_{e}:", f"    text: The end ({e}).", f"    ending: {{id: {e}, kind: {'safe' if e == 'safe' else 'lost'}, "
                  f"title: {e.capitalize()}}}"]
    return {"story.yaml": HEADER, "01.yaml": "\n".join(lines) + "\n"}


def enumerate_paths(story, policy: str) -> Counter:
    """Every path with the whole state, no merging: the plain definition of the odds."""
    engine = Engine(story, keep_journal=False, keep_undo=False)
    result: Counter = Counter()

    def walk(state, weight: Fraction) -> None:
        node = story.nodes[state.node]
        if node.ending is not None:
            result[node.ending.id] += weight
            return
        env = engine.bind(state)
        options = [c for c in node.choices if c.condition is None or c.condition(env)]
        if not options:
            result["soft-lock " + node.id] += weight
            return
        for choice, share in sim._picks(engine, policy, state, options):
            chance = sim.exact_chance(engine, state, choice)
            for failed, p in ((False, 1 - chance), (True, chance)):
                if p == 0 or (failed and choice.roll is None):
                    continue
                child = state.light_copy()
                engine.advance(child, choice.index, forced_failure=failed if choice.roll else None)
                walk(child, weight * share * p)

    walk(engine.new_game(0), Fraction(1))
    return result


@pytest.mark.parametrize("seed", range(12))
def test_exact_odds_equal_plain_enumeration_on_generated_stories(tmp_path, seed):
    story = load_story(write_story(tmp_path / f"gen{seed}", generated(seed)))
    for policy in ("random", "careful", "greedy", "first"):
        expected = enumerate_paths(story, policy)
        result = sim.exhaustive(story, policy)
        got = Counter(result["endings"])
        got.update({"soft-lock " + node: p for node, p in result["soft_locks"].items()})
        assert not result["hit_limit"] and result["unresolved"] == 0
        assert got == expected, (seed, policy)
        assert sum(got.values()) == 1


@pytest.mark.parametrize("seed", range(12))
def test_values_kept_as_ranges_give_the_plain_odds(tmp_path, seed):
    """Stories whose values are only compared with numbers: each is kept as the range it lies in, never exactly."""
    story = load_story(write_story(tmp_path / f"th{seed}", generated(seed, count=14, thresholds_only=True)))
    views = Liveness(story, "random").at.values()
    assert any(view.ranged for view in views) and not any(
        name in ("cash", "health", "exposure", "days") for view in views for name in view.exact)
    for policy in ("random", "first"):
        result = sim.exhaustive(story, policy)
        got = Counter(result["endings"])
        got.update({"soft-lock " + node: p for node, p in result["soft_locks"].items()})
        assert not result["hit_limit"] and result["unresolved"] == 0
        assert got == enumerate_paths(story, policy), (seed, policy)


def test_a_value_set_before_it_is_read_again_is_forgotten(tmp_path):
    """Cash differs on two ways to n1, but n1 sets it to 50 before anything reads it: one state, not two."""
    text = """\
nodes:
  n0:
    text: Start.
    choices:
      - {text: Spend, effects: {cash: -40}, goto: n1}
      - {text: Keep, goto: n1}
  n1:
    text: Reset.
    effects: {set: {cash: 50}}
    choices:
      - {text: Pay, if: cash >= 50, goto: end_safe}
      - {text: Wait, goto: end_lost}
  end_safe:
    text: Safe.
    ending: {id: safe, kind: safe, title: Safe}
  end_lost:
    text: Lost.
    ending: {id: lost, kind: lost, title: Lost}
"""
    story = load_story(write_story(tmp_path / "kill", {"story.yaml": HEADER, "01.yaml": text}))
    result = sim.exhaustive(story, "random")
    assert result["endings"] == {"safe": Fraction(1, 2), "lost": Fraction(1, 2)}
    assert result["states"] == 4  # n0, one n1, two endings
