"""A value too large to matter any more, for exact odds on a story with an endless loop.

The shipped story's Laos detention can repeat, and each round adds to the debt to the
broker, which Seoul reads much later: the exact states never end. But past some
amount every test on the debt answers the same way (``cash >= debt`` is false, a
year's repayment is a full year's, the debt is never paid off), so every debt past
it has the same future. The exact-odds explorer stands for all of them with one
:class:`Beyond`: "x + offset" (or "offset − x", …) for an unknown x of at least a
floor. Arithmetic with numbers keeps it symbolic (a year's repayment takes 15,000
off whatever x is); subtracting it from itself gives a number again (a cost's size).

Every test asks whether *all* x at or above the floor give the same answer; if
not, it raises :class:`Undecided` and the explorer starts again with a higher
floor (or without this shortcut for that value). So no result ever rests on a
guess: a finished walk proves that the floor was high enough.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from numbers import Real
from typing import Any


class Undecided(Exception):
    """A test on a :class:`Beyond` that not every value past its floor answers alike."""

    def __init__(self, name: str, turns_at: Any = None) -> None:
        super().__init__(f"'{name}' is not past every threshold that matters")
        self.name = name
        #: Where the test's answer changes (a floor above it would have decided it), if known.
        self.turns_at = turns_at


@dataclass(frozen=True, eq=False)
class Beyond:
    """``coef * x + offset`` for every x >= ``floor`` (x stands for the resource ``name``'s large values)."""

    name: str
    floor: Any
    coef: Any = 1
    offset: Any = 0

    # ------------------------------------------------------------------ arithmetic

    def _linear(self, other: Any) -> tuple[Any, Any] | None:
        """``other`` as (coef, offset) over the same unknown, or None if it is not a number or one of ours."""
        if isinstance(other, Beyond):
            if other.name != self.name or other.floor != self.floor:
                raise Undecided(self.name)  # two unknowns: nothing can be said of their sum
            return other.coef, other.offset
        if isinstance(other, Real) and not isinstance(other, bool):
            if isinstance(other, float) and not math.isfinite(other):
                raise Undecided(self.name)
            return 0, other
        return None

    def _made(self, coef: Any, offset: Any) -> Any:
        return offset if coef == 0 else Beyond(self.name, self.floor, coef, offset)

    def __add__(self, other: Any) -> Any:
        got = self._linear(other)
        return NotImplemented if got is None else self._made(self.coef + got[0], self.offset + got[1])

    __radd__ = __add__

    def __neg__(self) -> Any:
        return self._made(-self.coef, -self.offset)

    def __pos__(self) -> Any:
        return self

    def __sub__(self, other: Any) -> Any:
        got = self._linear(other)
        return NotImplemented if got is None else self._made(self.coef - got[0], self.offset - got[1])

    def __rsub__(self, other: Any) -> Any:
        got = self._linear(other)
        return NotImplemented if got is None else self._made(got[0] - self.coef, got[1] - self.offset)

    def __mul__(self, other: Any) -> Any:
        got = self._linear(other)
        if got is None:
            return NotImplemented
        if got[0] != 0:
            raise Undecided(self.name)  # x * x is not linear
        return self._made(self.coef * got[1], self.offset * got[1])

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        got = self._linear(other)
        if got is None:
            return NotImplemented
        if got[0] != 0 or got[1] == 0:
            raise Undecided(self.name)
        k = Fraction(got[1]) if not isinstance(got[1], float) else got[1]
        return self._made(self.coef / k, self.offset / k)

    def __rtruediv__(self, other: Any) -> Any:
        raise Undecided(self.name)

    # ------------------------------------------------------------------ tests

    def _range(self) -> tuple[Any, Any]:
        """The least and greatest values over every x >= floor (one of them infinite)."""
        at_floor = self.coef * self.floor + self.offset
        return (at_floor, math.inf) if self.coef > 0 else (-math.inf, at_floor)

    def _sign_of_difference(self, other: Any) -> Any:
        """``self - other`` as a number, or as a Beyond whose sign the tests below decide."""
        if isinstance(other, float) and not math.isfinite(other):
            return -other  # any finite value minus +inf is -inf: the sign is known
        got = self._linear(other)
        if got is None:
            raise Undecided(self.name)
        return self._made(self.coef - got[0], self.offset - got[1])

    def __lt__(self, other: Any) -> bool:
        return self._decide(other, lambda d: d < 0)

    def __le__(self, other: Any) -> bool:
        return self._decide(other, lambda d: d <= 0)

    def __gt__(self, other: Any) -> bool:
        return self._decide(other, lambda d: d > 0)

    def __ge__(self, other: Any) -> bool:
        return self._decide(other, lambda d: d >= 0)

    def __eq__(self, other: object) -> bool:
        return self._decide(other, lambda d: d == 0)

    def __ne__(self, other: object) -> bool:
        return self._decide(other, lambda d: d != 0)

    def _decide(self, other: Any, holds: Any) -> bool:
        """Whether ``holds(self - other)`` is true for every x past the floor, false for every one, or neither."""
        d = self._sign_of_difference(other)
        if not isinstance(d, Beyond):
            return bool(holds(d))
        lo, hi = d._range()
        # d is linear in x, so the signs it takes are those of its finite end and of one side of it.
        end, side = (lo, 1) if hi == math.inf else (hi, -1)
        signs = {side} if end * side > 0 else {0, side} if end == 0 else {-1, 0, 1}
        answers = {bool(holds(sign)) for sign in signs}
        if len(answers) != 1:
            raise Undecided(self.name, turns_at=-d.offset / d.coef)
        return answers.pop()

    def __hash__(self) -> int:
        return hash((self.name, self.floor, self.coef, self.offset))

    def __bool__(self) -> bool:
        return self != 0

    # Anything that would need the value itself cannot be answered for all of them.
    def _undecided(self, *args: Any) -> Any:
        raise Undecided(self.name)

    __float__ = __int__ = __index__ = __round__ = __format__ = __abs__ = __floor__ = __ceil__ = _undecided

    def __repr__(self) -> str:
        return f"Beyond({self.name} >= {self.floor}: {self.coef}x + {self.offset})"

    def marker(self) -> tuple:
        """What stands for it in a state's key: equal only to the same Beyond, never to a number."""
        return ("beyond", self.name, self.floor, self.coef, self.offset)
