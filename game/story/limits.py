"""How large a number and how deep a nesting a story may hold: one place, so check and play agree.

A story that passes ``check`` must never fail at play. Python's integers are
unbounded and its floats overflow to infinity, so a number written in a story is
held to ``MAX_NUMBER`` in size (about a thousand times the largest sum of money
any journey could need) and must be finite; conditions and ``{if}`` tags nest at
most ``MAX_NESTING`` levels, far below the interpreter's recursion limit, so
evaluating what checked clean can never run out of stack.
"""

from __future__ import annotations

import math

from game.l10n import _

MAX_NUMBER = 10**15
MAX_NESTING = 32


def number_problem(value: int | float) -> str:
    """'' when ``value`` may stand in a story; otherwise what is wrong with it, in a writer's words."""
    if isinstance(value, float) and not math.isfinite(value):
        return _("is not a finite number")
    if abs(value) > MAX_NUMBER:
        return _("is too large (numbers in a story are at most {limit})").format(limit=f"{MAX_NUMBER:,}")
    return ""
