"""A Beyond decides a test only when every value past its floor gives the same answer.

Checked against plain numbers: for random linear forms over one unknown and random
tests, whenever a Beyond answers, the same test on many concrete values past the
floor (the floor itself, just above it, and far above it) gives that answer; and
when they disagree, it must refuse (Undecided) rather than guess.
"""

from __future__ import annotations

import operator
import random
from fractions import Fraction

import pytest

from game.engine.beyond import Beyond, Undecided

TESTS = [operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne]


def _concrete(form, x):
    return form.coef * x + form.offset if isinstance(form, Beyond) else form


@pytest.mark.parametrize("seed", range(40))
def test_a_decided_test_holds_for_every_value_past_the_floor(seed):
    rng = random.Random(seed)
    floor = rng.choice([0, 1, 100, 65536])
    x = Beyond("debt", floor)
    answered = 0
    samples = [floor, floor + Fraction(1, 3), floor + 1, floor + 700, floor * 3 + 10_000, 10**12]
    for _ in range(200):
        form = x
        for _step in range(rng.randint(0, 3)):
            k = rng.choice([-15000, -700, -1, 0, 1, 2, 700, 40000, Fraction(1, 2)])
            form = rng.choice([form + k, form - k, k - form, form * (k or 1), -form])
        other = rng.choice([0, floor, floor - 1, floor + 1, -5, 10**6, rng.randint(-10**5, 10**5), x + rng.randint(-5, 5)])
        test = rng.choice(TESTS)
        truths = {test(_concrete(form, v), _concrete(other, v)) for v in samples}
        try:
            answer = test(form, other)
        except Undecided:
            continue  # refusing is always safe; answering wrongly is not
        assert truths == {answer}, (form, test.__name__, other)
        answered += 1
    assert answered > 60  # most tests on these forms are decided: the check above is not vacuous


def test_a_test_that_depends_on_the_amount_is_refused():
    x = Beyond("debt", 1000)
    for undecided in (lambda: x > 1000, lambda: x == 1500, lambda: x < 5000, lambda: x * x, lambda: 5 / x,
                      lambda: float(x), lambda: f"{x:,}", lambda: round(x), lambda: x + Beyond("cash", 1000)):
        with pytest.raises(Undecided):
            undecided()


def test_what_every_value_past_the_floor_shares_is_answered():
    x = Beyond("debt", 65536)
    assert x > 40000 and x >= 65536 and not x <= 0 and x != 0
    assert min(x, 15000) == 15000 and max(x, 15000) is x
    assert (x + 700) - x == 700  # a cost's size is a number again
    assert x - 15000 > 0 and -x < 0
    assert (x != x) is False and x not in (float("inf"), float("-inf"))  # the engine's NaN and infinity guards
    assert hash(x + 1) == hash(Beyond("debt", 65536, 1, 1))
