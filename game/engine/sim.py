"""Play a story thousands of times through the real engine, and explore it exhaustively.

``simulate`` plays N seeded playthroughs with a policy and reports what a writer
needs before a player finds it: how often each ending is reached, which nodes and
choices are never seen, soft-locks (a node with no available choice that is not an
ending) with the path that led there, endless loops, resources at the endings and
the length of a journey. Run *i* is seeded from the base seed and *i* alone, so the
report is the same whatever the number of worker processes.

``exhaustive`` follows every choice and both outcomes of every roll with their
exact probabilities (as fractions), merging identical states, until every path has
ended or a state limit is reached.
"""

from __future__ import annotations

import math
import multiprocessing
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from game.engine.engine import Engine
from game.engine.policies import POLICIES
from game.engine.rng import Pcg32
from game.story.model import Story

STEP_LIMIT = 1000


@dataclass
class RunResult:
    """One playthrough, reduced to what the report needs."""

    index: int
    ending: str | None  # None: soft-lock or loop
    kind: str
    choices: int
    words: int
    values: dict[str, Any]
    visited: set[str]
    taken: set[tuple[str, int]]
    problem: str = ""  # "soft-lock" or "loop"
    path: list[str] = field(default_factory=list)


def play_one(engine: Engine, policy_name: str, seed: int, index: int) -> RunResult:
    """One full playthrough with ``policy_name``; the run's seed is derived from (seed, index)."""
    story = engine.story
    run_seed = (seed * 1_000_003 + index) & 0x7FFFFFFF
    state = engine.new_game(run_seed)
    chooser = Pcg32.seeded(run_seed, stream=7)
    policy = POLICIES[policy_name]
    nodes = story.nodes
    path = [state.node]
    taken: set[tuple[str, int]] = set()
    words = 0
    steps = 0
    show = engine.show_value
    env = engine.bind(state)
    while True:
        node = nodes[state.node]
        text = node.text(env, show)
        words += text.count(" ") + text.count("\n") + 1  # about the word count, at a fraction of split()'s cost
        if node.ending is not None:
            return RunResult(index, node.ending.id, node.ending.kind, steps, words, dict(state.vars),
                             set(path), taken, path=path)
        if steps >= STEP_LIMIT:
            return RunResult(index, None, "", steps, words, dict(state.vars), set(path), taken, "loop", path)
        if policy_name == "random":
            open_ = [c.index for c in node.choices if c.condition is None or c.condition(env)]
            pick = open_[chooser.below(len(open_))] if open_ else -1
        else:
            views = [v for v in (engine.choice_view(state, c) for c in node.choices) if v.available]
            pick = policy(views, state.vars, chooser) if views else -1
        if pick < 0:
            return RunResult(index, None, "", steps, words, dict(state.vars), set(path), taken, "soft-lock", path)
        taken.add((node.id, pick))
        engine.advance(state, pick)
        env = engine.bind(state)
        path.append(state.node)
        steps += 1


def _run_chunk(args: tuple[str, str, int, int, int]) -> list[RunResult]:
    root, policy, seed, start, stop = args
    from game.story.loader import load_story

    engine = Engine(load_story(root), keep_journal=False, keep_undo=False)
    return [play_one(engine, policy, seed, i) for i in range(start, stop)]


def run_many(story: Story, policy: str, runs: int, seed: int, workers: int = 1,
             progress: Callable[[int, int], None] | None = None) -> list[RunResult]:
    """Play ``runs`` journeys; with workers > 1 the runs are shared among processes (same results)."""
    if workers <= 1 or runs < 200:
        engine = Engine(story, keep_journal=False, keep_undo=False)
        results = []
        for i in range(runs):
            results.append(play_one(engine, policy, seed, i))
            if progress and (i % 50 == 0 or i == runs - 1):
                progress(i + 1, runs)
        return results
    chunk = max(50, runs // (workers * 8))
    jobs = [(str(story.root), policy, seed, start, min(runs, start + chunk)) for start in range(0, runs, chunk)]
    results: list[RunResult] = []
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with context.Pool(workers) as pool:
        for part in pool.imap(_run_chunk, jobs):
            results.extend(part)
            if progress:
                progress(len(results), runs)
    return sorted(results, key=lambda r: r.index)


def wilson(count: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a share: honest even for rare endings."""
    if total == 0:
        return 0.0, 0.0
    p = count / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return max(0.0, centre - margin), min(1.0, centre + margin)


def summarise(story: Story, results: list[RunResult], policy: str, seed: int) -> dict[str, Any]:
    """The report as one JSON-ready dict."""
    runs = len(results)
    endings = Counter(r.ending for r in results if r.ending)
    kinds = Counter(r.kind for r in results if r.ending)
    visited = set().union(*(r.visited for r in results)) if results else set()
    taken = set().union(*(r.taken for r in results)) if results else set()
    all_choices = [(n.id, c.index) for n in story.nodes.values() for c in n.choices]
    unvisited = [n for n in story.nodes.values() if n.id not in visited]
    untaken = [(story.nodes[nid], i) for nid, i in all_choices if (nid, i) not in taken]
    finished = [r for r in results if r.ending]
    resources = {}
    for name in story.resources:
        values = sorted(r.values[name] for r in finished)
        if values:
            resources[name] = {"min": values[0], "median": statistics.median(values), "max": values[-1]}
    problems = [r for r in results if r.problem]
    return {
        "runs": runs,
        "seed": seed,
        "policy": policy,
        "endings": dict(sorted(endings.items())),
        "ending_shares": {
            eid: {"count": n, "share": n / runs, "ci95": list(wilson(n, runs))} for eid, n in sorted(endings.items())
        },
        "kinds": dict(sorted(kinds.items())),
        "safe_rate": kinds.get("safe", 0) / runs if runs else 0.0,
        "node_coverage": len(visited & set(story.nodes)) / len(story.nodes) if story.nodes else 0.0,
        "choice_coverage": len(taken) / len(all_choices) if all_choices else 0.0,
        "unvisited_nodes": [{"node": n.id, "file": n.span.file, "line": n.span.line} for n in unvisited],
        "untaken_choices": [{"node": n.id, "choice": i + 1, "text": n.choices[i].text_source,
                             "file": n.choices[i].span.file, "line": n.choices[i].span.line} for n, i in untaken],
        "soft_locks": [{"run": r.index, "node": r.path[-1], "path": r.path} for r in problems if r.problem == "soft-lock"],
        "loops": [{"run": r.index, "node": r.path[-1], "steps": r.choices} for r in problems if r.problem == "loop"],
        "resources_at_endings": resources,
        "mean_choices": statistics.fmean(r.choices for r in results) if results else 0.0,
        "median_choices": statistics.median(r.choices for r in results) if results else 0,
        "mean_words": statistics.fmean(r.words for r in results) if results else 0.0,
    }


# ---------------------------------------------------------------- exhaustive


def _key(state) -> tuple:
    return (state.node, tuple(sorted(state.vars.items())), tuple(sorted(state.items)),
            tuple(sorted(state.visits.items())))


def exhaustive(story: Story, policy: str = "random", state_limit: int = 200_000) -> dict[str, Any]:
    """Exact ending probabilities under ``policy`` ('random' = uniform over available choices).

    Deterministic policies (careful, greedy, first) pick one choice per state; risks
    branch into both outcomes with their probabilities. Probabilities are Fractions
    built from the chances as written (0.2 is exactly 1/5).
    """
    engine = Engine(story, keep_journal=False, keep_undo=False)
    start = engine.new_game(0)
    frontier: dict[tuple, tuple[Any, Fraction]] = {_key(start): (start, Fraction(1))}
    endings: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    soft_locks: dict[str, Fraction] = Counter()
    seen = 0
    steps = 0
    chooser = Pcg32.seeded(0, stream=9)
    while frontier and seen < state_limit and steps < STEP_LIMIT:
        steps += 1
        nxt: dict[tuple, tuple[Any, Fraction]] = {}
        for state, prob in frontier.values():
            seen += 1
            node = story.nodes[state.node]
            if node.ending is not None:
                endings[node.ending.id] += prob
                kinds[node.ending.kind] += prob
                continue
            env = engine.bind(state)
            options = [c for c in node.choices if c.condition is None or c.condition(env)]
            if not options:
                soft_locks[node.id] += prob
                continue
            if policy != "random":
                views = [engine.choice_view(state, c) for c in options]
                picked = POLICIES[policy](views, state.vars, chooser)
                options = [c for c in options if c.index == picked]
            share = prob / len(options)
            for choice in options:
                chance = Fraction(repr(engine.risk_of(state, choice))) if choice.roll else Fraction(0)
                outcomes = [(False, 1 - chance)] + ([(True, chance)] if chance else [])
                for failed, p in outcomes:
                    if p == 0:
                        continue
                    child = state.copy()
                    engine.advance(child, choice.index, forced_failure=failed if choice.roll else None)
                    key = _key(child)
                    if key in nxt:
                        nxt[key] = (nxt[key][0], nxt[key][1] + share * p)
                    else:
                        nxt[key] = (child, share * p)
        frontier = nxt
    unresolved = sum((p for _, p in frontier.values()), Fraction(0))
    return {
        "policy": policy,
        "endings": {k: v for k, v in sorted(endings.items())},
        "kinds": {k: v for k, v in sorted(kinds.items())},
        "soft_locks": dict(soft_locks),
        "unresolved": unresolved,
        "states": seen,
        "hit_limit": bool(frontier),
    }

