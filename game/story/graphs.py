"""Strongly connected parts of a directed graph: where a story (or a walk through its states) can loop.

One implementation for the checker's loops (node ids) and the exact simulator's cycles
(state numbers, possibly millions of them): iterative, because a story's graph is deeper
than Python's recursion limit allows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def strongly_connected(nodes: Iterable[N], following: Callable[[N], Iterable[N]]) -> list[list[N]]:
    """The strongly connected sets of the graph given by ``nodes`` and each one's successors (Tarjan).

    Sets come sinks first: a set is listed before every set that can reach it, so
    ``reversed(...)`` walks them in the order probability flows.
    """
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    on: set[N] = set()
    stack: list[N] = []
    out: list[list[N]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(following(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(following(w))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(comp)
    return out
