"""GameState survives JSON unchanged, and a damaged one is refused with a reason."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.rng import Pcg32
from game.engine.state import GameState
from game.errors import SaveError

names = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)
numbers = st.integers(-10**9, 10**9) | st.floats(allow_nan=False, allow_infinity=False, width=64)
scalars = numbers | st.booleans()

states = st.builds(
    GameState,
    seed=st.integers(0, 2**31),
    node=names,
    vars=st.dictionaries(names, scalars, max_size=8),
    items=st.sets(names, max_size=5),
    visits=st.dictionaries(names, st.integers(0, 1000), max_size=8),
    rng=st.builds(lambda s, i: Pcg32(s, i).to_json(), st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)),
    step=st.integers(0, 10**6),
    journal=st.lists(st.fixed_dictionaries({"node": names, "text": st.lists(st.text(max_size=40), max_size=3)}),
                     max_size=4),
    story_version=st.text(max_size=5),
    story_digest=st.text(alphabet="0123456789abcdef", max_size=16),
)


@settings(max_examples=200, deadline=None)
@given(states)
def test_state_round_trips_through_json_unchanged(state):
    text = json.dumps(state.to_dict())
    again = GameState.from_dict(json.loads(text))
    assert again.to_dict() == state.to_dict()
    assert again == state


@pytest.mark.parametrize("damage, message", [
    (lambda d: d.pop("node"), "has no 'node'"),
    (lambda d: d.update(seed="7"), "'seed' is str, expected int"),
    (lambda d: d.update(vars={"cash": [1]}), "not a number or true/false"),
    (lambda d: d.update(rng="zz"), "damaged"),
    (lambda d: d.update(state_version=99), "format 99"),
    (lambda d: d.update(undo=[{"node": "x"}]), "rollback point"),
])
def test_damaged_state_is_refused_with_a_reason(damage, message):
    data = GameState(1, "a", {"cash": 1}, set(), {}, Pcg32.seeded(1).to_json()).to_dict()
    damage(data)
    with pytest.raises(SaveError, match=message):
        GameState.from_dict(data)


def test_rng_is_deterministic_and_serialisable():
    a = Pcg32.seeded(42)
    seq = [a.next_u32() for _ in range(5)]
    b = Pcg32.seeded(42)
    assert [b.next_u32() for _ in range(5)] == seq
    c = Pcg32.from_json(a.to_json())
    assert c.random() == a.random()
    assert all(0 <= Pcg32.seeded(s).below(6) < 6 for s in range(100))
