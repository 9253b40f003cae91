"""What makes an exhaustive walk's states many: for a writer whose exact odds stop at the state limit.

The exact-odds explorer (:func:`game.engine.sim.exhaustive`) merges journeys that reach
a passage with the same values that still matter there. When a story still has more
distinct states than the limit allows, "0.7 of the probability is undecided" tells the
writer nothing they can act on. This module says which values keep the states apart
and where the story reads them, so the writer can see what to simplify (a chance that
reads exposure could read a flag set when exposure passes a line; a computed effect
that halves the cash keeps every amount of cash apart).

How much a value splits the states is measured on the states the walk did reach: how
many different values of it meet at the same passage (a state is one combination of
them, so they multiply).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from game.engine.beyond import Beyond
from game.engine.liveness import View, part, reads_in
from game.story.model import Story
from game.story.source import SourceSpan

#: How many places of each kind a report names (the rest are counted).
PLACES_SHOWN = 3


@dataclass
class Reads:
    """Where a story reads one value: by kind (chance, computed, condition, compared), each a list of places."""

    places: dict[str, list[SourceSpan]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, span: SourceSpan) -> None:
        spans = self.places[kind]
        if not spans or spans[-1][:2] != span[:2]:
            spans.append(span)


def column_names(view: View) -> list[str]:
    """The name of each part of a state's sample at a passage, in the sample's order (see ``sim._walk``)."""
    return [*view.values(), *(f"has({n})" for n in sorted(view.items)), *(f"visits({n})" for n in view.counted),
            *(f"visited({n})" for n in view.seen)]


def _columns(sample: tuple, view: View) -> tuple:
    """A sample (node, values, items held, counts, seen) flattened into one value per column name, each as the
    state's key holds it: a ranged value as the range it lies in (two samples of different states may hold
    different amounts in the same range), and an amount past a floor as its marker (a Beyond is never
    compared with a number)."""
    _, values, items, counts, seen = sample
    exact = len(view.exact)
    held = [v.marker() if type(v) is Beyond else v for v in values]
    for i, (_name, cuts) in enumerate(view.ranged, start=exact):
        if type(values[i]) is not Beyond:
            held[i] = part(cuts, values[i])
    return (*held, *(n in items for n in sorted(view.items)),
            *(c.marker() if type(c) is Beyond else c for c in counts), *seen)


@dataclass(frozen=True)
class Spread:
    """How many different values of one name reach the same passage: ``typical`` over the states
    walked (a geometric mean, weighted by the states at each passage), ``most`` at ``where``."""

    name: str
    typical: float
    most: int
    where: str


def spread(samples: list[tuple], views: dict[str, View]) -> list[Spread]:
    """For each value that keeps states apart, how many different values of it meet at a passage, the most
    splitting first. The states multiply: twenty amounts of exposure times ten of health at one passage can
    be two hundred states there.

    ``samples`` are the walk's states (one per distinct state), ``views`` the liveness views
    that say which values each passage keeps.
    """
    by_node: dict[str, list[tuple]] = defaultdict(list)
    for sample in samples:
        by_node[sample[0]].append(sample)
    weighted: dict[str, float] = defaultdict(float)
    most: dict[str, tuple[int, str]] = {}
    for node, group in sorted(by_node.items()):
        view = views[node]
        rows = [_columns(s, view) for s in group]
        for j, name in enumerate(column_names(view)):
            count = len({row[j] for row in rows})
            if count > 1:
                weighted[name] += len(group) * math.log(count)
                if count > most.get(name, (0, ""))[0]:
                    most[name] = (count, node)
    total = max(1, len(samples))
    found = [Spread(name, math.exp(w / total), *most[name]) for name, w in weighted.items()]
    return sorted(found, key=lambda item: (-item.typical, -item.most, item.name))


def where_read(story: Story) -> dict[str, Reads]:
    """For each value, the places a story reads it: exactly (in a chance, a computed effect, a condition that
    does more than compare it with a number) or only compared with a number (``days >= 300``: a range is kept).

    Names of the functions' arguments are given as they are written: ``has(phone)``, ``visits(safehouse)``.
    """
    found: dict[str, Reads] = defaultdict(Reads)

    def read(tree: Any, kind: str, span: SourceSpan) -> None:
        # Only a condition's comparison keeps a range; in a chance or a computed effect all of the value matters.
        for one in reads_in(tree, lambda _name: kind == "condition"):
            if one[0] == "compared":
                found[one[1]].add("compared", span)
            elif one[0] == "name":
                found[one[1]].add(kind, span)
            else:
                found[f"{one[1]}({one[2]})"].add(kind, span)

    for node in story.nodes.values():
        for effect in node.effects:
            if effect.computed:
                read(effect.value.tree, "computed", node.span)
        for choice in node.choices:
            if choice.condition is not None:
                read(choice.condition.tree, "condition", choice.span)
            for effect in (*choice.effects, *choice.hidden):
                if effect.computed:
                    read(effect.value.tree, "computed", choice.span)
            if choice.roll is not None:
                read(choice.roll.chance.tree, "chance", choice.roll.span)
                for effect in choice.roll.fail_effects:
                    if effect.computed:
                        read(effect.value.tree, "computed", choice.roll.span)
    return found
