"""A small seeded random generator whose whole state is two integers.

The state must live in the saved game (a save or a rollback restores the exact
future, as ink keeps its ``previousRandom``), so we cannot use ``random.Random``,
whose state is 625 numbers, nor the ``random`` module's shared global generator.
This is PCG32 (O'Neill, 2014): small, fast, and statistically sound for dice.
"""

from __future__ import annotations

_MULT = 6364136223846793005
_MASK64 = (1 << 64) - 1


class Pcg32:
    """PCG-XSH-RR with 64-bit state and a stream increment."""

    __slots__ = ("state", "inc")

    def __init__(self, state: int, inc: int) -> None:
        self.state = state & _MASK64
        self.inc = (inc | 1) & _MASK64

    @classmethod
    def seeded(cls, seed: int, stream: int = 54) -> Pcg32:
        rng = cls(0, (stream << 1) | 1)
        rng.next_u32()
        rng.state = (rng.state + (seed & _MASK64)) & _MASK64
        rng.next_u32()
        return rng

    def next_u32(self) -> int:
        old = self.state
        self.state = (old * _MULT + self.inc) & _MASK64
        xorshifted = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((-rot) & 31))) & 0xFFFFFFFF

    def random(self) -> float:
        """A float in [0, 1) with 32 bits of resolution."""
        return self.next_u32() / 4294967296.0

    def below(self, n: int) -> int:
        """An integer in [0, n) without modulo bias."""
        if n <= 0:
            raise ValueError("below() needs a positive bound")
        threshold = (-n & 0xFFFFFFFF) % n
        while True:
            r = self.next_u32()
            if r >= threshold:
                return r % n

    def to_json(self) -> str:
        """The state as text: JSON numbers above 2**53 lose precision in JavaScript readers."""
        return f"{self.state:016x}:{self.inc:016x}"

    @classmethod
    def from_json(cls, text: str) -> Pcg32:
        state, inc = text.split(":")
        return cls(int(state, 16), int(inc, 16))
