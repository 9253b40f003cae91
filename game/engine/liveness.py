"""What of a state can still change the journey's course: the exact-odds explorer's state key.

Two journeys that reach the same node and cannot be told apart by anything that
happens from there on have the same future, so the exhaustive explorer
(:func:`game.engine.sim.exhaustive`) expands such states once. This module works
out, for every node, how much of a state the future can tell apart:

* a value nothing reachable reads before it is overwritten is **dead** and left out
  (days counted after the last condition on days, a flag never tested again, cash
  before it is set to 0);
* a value read only by comparisons with numbers (``days >= 300``, ``health < 30``,
  ``cash >= 700``), and changed only by adding numbers, is kept as **the range it
  lies in** between the numbers that matter (its *cuts*), not as itself: 212 days and
  213 days are the same state if every later test on days asks only whether 300 have
  passed;
* anything else (a value in a chance, in arithmetic, compared with another value, or
  looked at by the policy) is kept **exactly**.

This is the compiler's live-variable analysis with one refinement, solved backwards to
its least fixed point over the story graph (waiting loops make it cyclic). Along a
choice, effects are undone in reverse: a value set to a number is dead before it; a
number added shifts the cuts (``v + 5 >= 30`` is ``v >= 25``). A bound needs no cut of
its own: every cut lies inside the bounds, so the values that clamp to ``min: 0`` and
the smallest that do not are all below the lowest cut, in one range. Cuts outside a
resource's bounds split nothing and are dropped, which keeps a loop that adds days
every round finite; a value whose cuts would grow past :data:`MAX_CUTS` (a loop that
takes away from a value with no maximum) is kept exactly instead.

Why the ranges are exact: at a node, two values in the same range answer every
comparison there alike; after adding a number and clamping, they land in the same
range of the next node (its cuts, shifted back, are cuts here); so every journey in
a range takes the same choices with the same odds into the same ranges, all the way
to the same endings. Any member of a range can stand for all of it, and the explorer
walks on from the first one it meets. (Tested against a plain enumeration of every
path on generated stories, in ``tests/test_exact_odds.py``.)

The policy reads only where it decides (two choices or more), and only what
``policies.READS`` says it reads: its own values when a choice there changes them,
and a weighed cost's size where that size depends on the value (a bound can clamp
it, or it is set or computed). 'random' and 'first' read nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from game.engine.policies import READS
from game.story import expr as ex
from game.story.model import Effect, Resource, Story

#: A resource's range splits into at most this many + 1 parts before it is kept exactly (only a loop that
#: shifts the cuts towards no bound reaches it; the shipped story's largest set is about 160).
MAX_CUTS = 4096

#: A cut ``(k, strict)`` splits values at k: above it means ``v > k`` if strict, else ``v >= k``.
#: Sorted as tuples, the cuts a value is above form a prefix: see :func:`part`.
Cut = tuple[Any, bool]

EXACT = "exact"

_COMPARE = frozenset({"<", "<=", ">", ">=", "==", "!="})
# For ``v OP k``: the cuts the test needs. (``k OP v`` is turned round first.)
_CUTS_OF = {">=": (False,), "<": (False,), ">": (True,), "<=": (True,), "==": (False, True), "!=": (False, True)}
_MIRROR = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def part(cuts: tuple[Cut, ...], value: Any) -> int:
    """Which range between ``cuts`` a value lies in: the number of cuts it is above."""
    return bisect_right(cuts, (value, False))


@dataclass(frozen=True)
class View:
    """What of a state at one node goes into its key, each part sorted.

    ``exact``: values kept as they are (resources and flags); ``ranged``: resources kept
    as the range they lie in, with their cuts; then items held, nodes whose visits are
    counted, and nodes of which only "visited or not" matters.
    """

    exact: tuple[str, ...]
    ranged: tuple[tuple[str, tuple[Cut, ...]], ...]
    items: frozenset[str]
    counted: tuple[str, ...]
    seen: tuple[str, ...]

    def key(self, vars_: dict, items: set, visits: dict) -> tuple:
        """The part of a state this view keeps (values in ``ranged`` by their range)."""
        return (tuple([vars_[n] for n in self.exact]),
                tuple([part(cuts, vars_[n]) for n, cuts in self.ranged]),
                self.items.intersection(items),
                tuple([visits.get(n, 0) for n in self.counted]),
                tuple([n in visits for n in self.seen]))

    def values(self) -> tuple[str, ...]:
        """The names of every value the view keeps, exactly or by range."""
        return self.exact + tuple(n for n, _ in self.ranged)


class _Flow:
    """One node's facts during the analysis: name -> EXACT | frozenset of cuts, plus other reads."""

    __slots__ = ("values", "others")

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.others: set = set()  # ('has', item), ('visits', node), ('visited', node)

    def copy(self) -> _Flow:
        flow = _Flow()
        flow.values = dict(self.values)
        flow.others = set(self.others)
        return flow

    def exact(self, name: str) -> None:
        self.values[name] = EXACT

    def cut(self, name: str, cuts: Iterable[Cut]) -> None:
        old = self.values.get(name)
        if old == EXACT:
            return
        new = frozenset(cuts) | (old or frozenset())
        self.values[name] = EXACT if len(new) > MAX_CUTS else new

    def read(self, tree: ex.Expr, resources: dict[str, Resource]) -> None:
        """What an expression reads: comparisons of a resource with a number as cuts, the rest exactly."""
        for read in reads_in(tree, lambda name: name in resources):
            if read[0] == "compared":
                _, name, number, op = read
                self.cut(name, [(number, strict) for strict in _CUTS_OF[op]])
            elif read[0] == "name":
                self.exact(read[1])
            else:
                self.others.add((read[1], read[2]))

    def read_exactly(self, tree: ex.Expr) -> None:
        found: set = set()
        ex.reads(tree, found)
        for name in found:
            if isinstance(name, str):
                self.exact(name)
            else:
                self.others.add(name)

    def join(self, other: _Flow) -> None:
        for name, got in other.values.items():
            if got == EXACT:
                self.exact(name)
            else:
                self.cut(name, got)
        self.others |= other.others


def reads_in(tree: ex.Expr, as_cut: Callable[[str], bool]) -> Iterator[tuple]:
    """What an expression reads, one read at a time (the one walk the liveness analysis and the spread report share).

    Yields ``("compared", name, number, op)`` for ``name OP number`` when ``as_cut(name)`` (only which
    side of ``number`` matters), ``("name", name)`` for any other read of a value (all of it matters),
    and ``("marker", func, arg)`` for ``has(item)``, ``visited(node)``, ``visits(node)``.
    """
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ex.Binary) and node.op in _COMPARE:
            name, number, op = compared(node)
            if name is not None and as_cut(name):
                yield "compared", name, number, op
                continue
            stack.extend((node.left, node.right))
        elif isinstance(node, ex.Name):
            yield "name", node.name
        elif isinstance(node, ex.Unary):
            stack.append(node.operand)
        elif isinstance(node, ex.Binary):
            stack.extend((node.left, node.right))
        elif isinstance(node, ex.Call):
            if node.func in ("has", "visited", "visits") and node.args and isinstance(node.args[0], ex.Name):
                yield "marker", node.func, node.args[0].name
            else:
                stack.extend(node.args)


def compared(node: ex.Binary) -> tuple[str | None, Any, str]:
    """``(name, number, op)`` for ``name OP number`` or ``number OP name`` (turned round), else (None, …)."""
    if isinstance(node.left, ex.Name) and isinstance(node.right, ex.Num):
        return node.left.name, node.right.value, node.op
    if isinstance(node.right, ex.Name) and isinstance(node.left, ex.Num):
        return node.right.name, node.left.value, _MIRROR[node.op]
    return None, None, node.op


def _shifted(cuts: frozenset, by: Any, resource: Resource) -> frozenset:
    """The cuts before ``v + by`` (clamped to the resource's bounds), given the cuts after."""
    return _inside({(k - by, strict) for k, strict in cuts}, resource)


def _inside(cuts: Iterable[Cut], resource: Resource) -> frozenset:
    """Only the cuts that split the values a resource can hold (its bounds always apply)."""
    lo, hi = resource.min, resource.max
    return frozenset(
        (k, strict) for k, strict in cuts
        if not (lo is not None and (k < lo or (k == lo and not strict)))
        and not (hi is not None and (k > hi or (k == hi and strict))))


def _before(after: _Flow, effects: Iterable[Effect], resources: dict[str, Resource]) -> _Flow:
    """What must be known before ``effects`` apply, given what must be known after (effects undone in reverse)."""
    flow = after.copy()
    for effect in reversed(tuple(effects)):
        target = effect.target
        if effect.kind == "item":
            flow.others.discard(("has", target))
            continue
        if effect.kind == "flag" or (effect.kind == "set" and not effect.computed):
            flow.values.pop(target, None)
            continue
        if effect.computed:
            if effect.kind == "set":
                flow.values.pop(target, None)
            elif target in flow.values:
                flow.exact(target)
            flow.read_exactly(effect.value.tree)
            continue
        got = flow.values.get(target)  # a number added
        if got is not None and got != EXACT:
            shifted = _shifted(got, effect.value, resources[target])
            if shifted:
                flow.values[target] = EXACT if len(shifted) > MAX_CUTS else shifted
            else:
                del flow.values[target]
    return flow


class Liveness:
    """For each node of a story, the :class:`View` of a state that the future from there can tell apart.

    ``at[node]``: the key of a state at the node (after its own effects); ``decides[node]``:
    what the decision there reads (conditions, chances and the policy's view), so states
    that agree on it get the same choices with the same odds.
    """

    def __init__(self, story: Story, policy: str) -> None:
        nodes, resources = story.nodes, story.resources
        own, weighed = READS[policy]

        def can_clamp(effect: Effect) -> bool:
            if effect.kind == "set" or effect.computed:
                return True
            res = resources[effect.target]
            return (res.min is not None and effect.value < 0) or (res.max is not None and effect.value > 0)

        local: dict[str, _Flow] = {}
        edges: dict[str, list[tuple[str, tuple[Effect, ...]]]] = {}
        for node in nodes.values():
            here = _Flow()
            out = []
            for choice in node.choices:
                if choice.condition is not None:
                    here.read(choice.condition.tree, resources)
                went = (*choice.effects, *choice.hidden)
                target = nodes.get(choice.goto)
                if target is not None:
                    out.append((target.id, (*went, *target.effects)))
                if choice.roll is not None:
                    here.read_exactly(choice.roll.chance.tree)
                    failed = nodes.get(choice.roll.fail)
                    if failed is not None:
                        out.append((failed.id, (*went, *choice.roll.fail_effects, *failed.effects)))
            if node.ending is None and len(node.choices) > 1 and (own or weighed):
                for choice in node.choices:
                    target = nodes.get(choice.goto)
                    for effect in (*choice.effects, *(target.effects if target is not None else ())):
                        if effect.kind in ("add", "set") and (
                                effect.target in own or (effect.target in weighed and can_clamp(effect))):
                            here.exact(effect.target)
            local[node.id] = here
            edges[node.id] = out

        flows = {node_id: _Flow() for node_id in nodes}
        changed = True
        while changed:  # to the least fixed point: each pass can only add
            changed = False
            for node in nodes.values():
                if node.ending is not None:
                    continue
                flow = local[node.id].copy()
                for target, effects in edges[node.id]:
                    flow.join(_before(flows[target], effects, resources))
                old = flows[node.id]
                if flow.values != old.values or flow.others != old.others:
                    flows[node.id] = flow
                    changed = True
        declared = set(resources) | set(story.flags)
        self.at = {node_id: _view(flow, declared) for node_id, flow in flows.items()}
        self.decides = {node_id: _view(flow, declared) for node_id, flow in local.items()}


def _view(flow: _Flow, declared: set) -> View:
    exact = tuple(sorted(n for n, got in flow.values.items() if got == EXACT and n in declared))
    ranged = tuple(sorted((n, tuple(sorted(got))) for n, got in flow.values.items()
                          if got != EXACT and n in declared))
    counted = {n for f, n in flow.others if f == "visits"}
    return View(
        exact=exact,
        ranged=ranged,
        items=frozenset(n for f, n in flow.others if f == "has"),
        counted=tuple(sorted(counted)),
        seen=tuple(sorted({n for f, n in flow.others if f == "visited"} - counted)),
    )
