"""Did-you-mean: the closest known names to a misspelt one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from game.l10n import _


def closest(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Known names that look like ``name``, best first (case-insensitive, typo-tolerant)."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=limit, cutoff=0.65)
    return [lowered[h] for h in hits]


def did_you_mean(name: str, candidates: Iterable[str], fallback: str = "") -> str:
    """A hint sentence: "Did you mean 'x'?", or ``fallback`` when nothing is close."""
    hits = closest(name, candidates)
    if not hits:
        return fallback
    if len(hits) == 1:
        return _("Did you mean '{name}'?").format(name=hits[0])
    return _("Did you mean {names} or '{last}'?").format(names=", ".join(f"'{h}'" for h in hits[:-1]), last=hits[-1])
