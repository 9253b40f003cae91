"""Play a story thousands of times through the real engine, and explore it exhaustively.

``simulate`` plays N seeded playthroughs with a policy and reports what a writer
needs before a player finds it: how often each ending is reached, which nodes and
choices are never seen, soft-locks (a node with no available choice that is not an
ending) with the path that led there, endless loops, resources at the endings and
the length of a journey. Run *i* is seeded from the base seed and *i* alone, so the
report is the same whatever the number of worker processes.

``exhaustive`` gives exact ending probabilities (fractions) by a walk over the
distinct live states of the story, solving waiting loops exactly (see the comment
before :func:`exhaustive`), until every state is decided or a state limit is reached.
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
from game.engine.policies import POLICIES, READS
from game.engine.rng import Pcg32
from game.story.graphs import strongly_connected
from game.story.model import Story

STEP_LIMIT = 1000
# Distinct states the exact walk keeps before it stops (about 2 KB each): enough for every policy but
# 'random' on the shipped story (greedy needs 228,781), small enough for a writer's laptop.
STATE_LIMIT = 300_000


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


def play_one(engine: Engine, policy_name: str, seed: int, index: int, start: str | None = None,
             presets: dict[str, Any] | None = None) -> RunResult:
    """One full playthrough with ``policy_name``; the run's seed is derived from (seed, index).

    ``start`` and ``presets`` begin at a scene with given values (``simulate --start --set``).
    """
    story = engine.story
    run_seed = (seed * 1_000_003 + index) & 0x7FFFFFFF
    state = engine.new_game(run_seed, start=start)
    if presets is not None:
        _preset(state, presets)
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


def _preset(state, presets: dict[str, Any]) -> None:
    """Values (and, for a ``Presets``, items) a writer gave with ``--set``."""
    state.vars.update(presets)
    for name, carried in getattr(presets, "carried", {}).items():
        (state.items.add if carried else state.items.discard)(name)


def _run_chunk(args: tuple) -> list[RunResult]:
    root, policy, seed, first, stop, start, values, carried = args
    from game.engine.presets import Presets
    from game.story.loader import load_story

    presets = Presets(values)
    presets.carried = carried
    engine = Engine(load_story(root), keep_journal=False, keep_undo=False)
    return [play_one(engine, policy, seed, i, start, presets) for i in range(first, stop)]


def run_many(story: Story, policy: str, runs: int, seed: int, workers: int = 1,
             progress: Callable[[int, int], None] | None = None, start: str | None = None,
             presets: dict[str, Any] | None = None) -> list[RunResult]:
    """Play ``runs`` journeys; with workers > 1 the runs are shared among processes (same results)."""
    if workers <= 1 or runs < 200:
        engine = Engine(story, keep_journal=False, keep_undo=False)
        results = []
        for i in range(runs):
            results.append(play_one(engine, policy, seed, i, start, presets))
            if progress and (i % 50 == 0 or i == runs - 1):
                progress(i + 1, runs)
        return results
    chunk = max(50, runs // (workers * 8))
    values, carried = dict(presets or {}), dict(getattr(presets, "carried", {}))
    jobs = [(str(story.root), policy, seed, first, min(runs, first + chunk), start, values, carried)
            for first in range(0, runs, chunk)]
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
#
# Exact odds by dynamic programming over distinct states.
#
# A state is what can still change the journey's course: the node, and of the values
# only those that something reachable reads before they are set again, each exactly or
# as the range between the numbers it is compared with (see game.engine.liveness).
# Two journeys that reach the same node in the same such state have the same future,
# so each distinct state is expanded once, and the states form a graph whose
# edges carry exact probabilities: the policy's choice (uniform over the open choices
# for 'random', over tied best choices for the others) times the roll's outcome (its
# chance computed with Fractions from the decimals as written). What a node's decision
# reads is a part of its state, so the choices and odds are worked out once per node
# and per combination of those values, and reused by every state that shares it.
#
# The probability then flows forward from the first state, one component at a time
# in topological order (Tarjan's algorithm yields the strongly connected components
# sinks first, so they are taken in reverse): a component of one state without a
# self-loop passes its mass along each edge; a waiting loop (a larger component) is
# solved exactly by Gaussian elimination over Fractions for the expected visits of
# each of its states, which then pass their mass out. A component with a way out is
# always solvable (its matrix is substochastic and irreducible with a leak); one with
# no way out is an endless loop, and what enters it is reported as such. One
# multiplication per edge, whatever the number of endings.
#
# Values outside the story's bounds cannot occur (the engine clamps them), which keeps
# the state space finite unless a value that is still read grows without a bound (the
# shipped story's Laos loop adds debt on every round, and Seoul reads it). Such a value
# past a floor becomes a Beyond (game.engine.beyond), which stands for every value past
# it and refuses any test they would not all answer alike; a refusal doubles the floor
# and starts the walk again, so a finished walk proves its floor. A value that no floor
# settles stays exact, and ``state_limit`` then stops the walk: the probability past it
# is "unresolved", every figure is exact for the journeys that were decided, and the
# truth lies between it and it plus the unresolved share.

from time import perf_counter  # noqa: E402

from game.engine.beyond import Beyond, Undecided  # noqa: E402
from game.engine.liveness import Liveness  # noqa: E402
from game.engine.spread import spread  # noqa: E402
from game.story import expr as ex  # noqa: E402


def _exact(tree, env) -> Any:
    """An expression's value with Fractions: a decimal as written (0.15) is exactly 3/20."""
    if isinstance(tree, ex.Num):
        v = tree.value
        return Fraction(v) if isinstance(v, int) else Fraction(repr(v))
    if isinstance(tree, ex.Bool):
        return tree.value
    if isinstance(tree, ex.Name):
        v = env.vars[tree.name]
        if isinstance(v, bool | Beyond):
            return v
        return Fraction(v) if isinstance(v, int) else Fraction(repr(v))
    if isinstance(tree, ex.Unary):
        v = _exact(tree.operand, env)
        return (not v) if tree.op == "not" else -v if tree.op == "-" else v
    if isinstance(tree, ex.Binary):
        op = tree.op
        if op == "and":
            return bool(_exact(tree.left, env)) and bool(_exact(tree.right, env))
        if op == "or":
            return bool(_exact(tree.left, env)) or bool(_exact(tree.right, env))
        a, b = _exact(tree.left, env), _exact(tree.right, env)
        if op == "/":
            return a / b if b else Fraction(0)
        return ex._BINARY[op](a, b)
    if isinstance(tree, ex.Call):
        if tree.func in ("has", "visited", "visits"):
            arg = tree.args[0].name
            if tree.func == "has":
                return arg in env.items
            count = env.visits.get(arg, 0)
            return count > 0 if tree.func == "visited" else count if type(count) is Beyond else Fraction(count)
        values = [_exact(a, env) for a in tree.args]
        return min(values) if tree.func == "min" else max(values)
    raise TypeError(tree)  # pragma: no cover


def exact_chance(engine: Engine, state, choice) -> Fraction:
    """The chance that ``choice``'s risk falls, as an exact fraction (clamped to 0..1 as in play)."""
    roll = choice.roll
    if roll is None:
        return Fraction(0)
    try:
        value = _exact(roll.chance.tree, engine.bind(state))
    except (TypeError, AttributeError):  # pragma: no cover - a chance the loader accepted is a number
        value = Fraction(repr(engine.risk_of(state, choice)))
    if isinstance(value, Beyond):  # certain (or impossible) for every value past the floor, else Undecided
        if value >= 1:
            return Fraction(1)
        if value <= 0:
            return Fraction(0)
        raise Undecided(value.name)
    return min(Fraction(1), max(Fraction(0), Fraction(value)))


class _Ties:
    """A stand-in generator that makes a policy's tie-break an explicit, enumerable choice."""

    def __init__(self, pick: int = 0) -> None:
        self.pick = pick
        self.asked = 1

    def below(self, n: int) -> int:
        self.asked = n
        return self.pick % n


def _picks(engine: Engine, policy: str, state, options) -> list[tuple[Any, Fraction]]:
    """The choices the policy takes in ``state``, each with its probability."""
    if policy == "random":
        share = Fraction(1, len(options))
        return [(c, share) for c in options]
    own, weighs = READS[policy]
    views = [engine.choice_view(state, c, own | weighs) for c in options]
    by_index = {c.index: c for c in options}
    ties = _Ties()
    first = POLICIES[policy](views, state.vars, ties)
    n = ties.asked
    if n <= 1:
        return [(by_index[first], Fraction(1))]
    picked: Counter = Counter()
    for k in range(n):
        picked[POLICIES[policy](views, state.vars, _Ties(k))] += Fraction(1, n)
    return [(by_index[i], p) for i, p in picked.items()]


def _spread(comp: list[int], edges: list, mass: list, outcome: Counter) -> None:
    """Pass the probability that enters a cyclic component on to where it leaves, exactly.

    With ``m`` the mass entering each state and ``Q`` the moves inside, the expected
    visits ``x`` solve ``x (I - Q) = m`` (Gaussian elimination over Fractions); each
    state then sends ``x_v`` times each way out. A component with no way out is an
    endless loop: what enters it stays there, reported at the state it entered by.
    """
    pos = {v: i for i, v in enumerate(comp)}
    n = len(comp)
    if all(isinstance(w, int) and w in pos for v in comp for _, w in edges[v]):
        for v in comp:
            if mass[v]:
                outcome[("loop", v)] += mass[v]
        return
    # Row u of the system: x_u - sum over v of x_v Q[v][u] = m_u.
    rows = [[Fraction(0)] * n + [mass[v]] for v in comp]
    for i in range(n):
        rows[i][i] += 1
    for v in comp:
        for p, w in edges[v]:
            if isinstance(w, int) and w in pos:
                rows[pos[w]][pos[v]] -= p
    for col in range(n):
        pivot = next(r for r in range(col, n) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        prow = rows[col]
        inv = 1 / prow[col]
        prow = rows[col] = [x * inv if x else x for x in prow]
        nonzero = [(k, x) for k, x in enumerate(prow) if x]
        for r in range(n):
            factor = rows[r][col]
            if r != col and factor != 0:
                row = rows[r]
                for k, x in nonzero:
                    row[k] -= factor * x
    for v in comp:
        visits = rows[pos[v]][n]
        if not visits:
            continue
        for p, w in edges[v]:
            if isinstance(w, int):
                if w not in pos:
                    mass[w] += visits * p
            else:
                outcome[w] += visits * p


def exhaustive(story: Story, policy: str = "random", state_limit: int = STATE_LIMIT, start: str | None = None,
               presets: dict[str, Any] | None = None) -> dict[str, Any]:
    """Exact ending probabilities under ``policy`` ('random' = uniform over available choices).

    Deterministic policies (careful, greedy, first) pick their best choice in each
    state; a tie between equally good choices is split evenly. Risks branch into both
    outcomes with their exact probabilities. ``start`` and ``presets`` begin at a node
    with given values (for a part of a story). See the comment above for the method.
    """
    began = perf_counter()
    liveness = Liveness(story, policy)
    floors = _first_floors(story, liveness)
    tries: Counter = Counter()
    while True:
        try:
            result = _walk(story, policy, state_limit, start, presets, liveness, floors)
            break
        except Undecided as undecided:  # the floor was too low for a test: raise it, or give up the shortcut
            name = undecided.name
            tries[name] += 1
            if tries[name] >= FLOOR_TRIES:
                del floors[name]
                continue
            # Just past where the test turned, if it said so, else twice as far; and from the second raise on,
            # at least 2%, 4%, 8%… higher, so that a series of tests that each turn a little higher costs few walks.
            turns = undecided.turns_at
            wanted = math.floor(turns) + 1 if turns is not None and turns >= floors[name] else floors[name] * 2
            if tries[name] > 1:
                wanted = max(wanted, math.ceil(floors[name] * (1 + 0.01 * 2 ** (tries[name] - 1))))
            floors[name] = wanted
    result["beyond"] = {(f"visits({name[1]})" if type(name) is tuple else name): floors[name]
                        for name in sorted(result.pop("reached"), key=str)}
    result["seconds"] = perf_counter() - began
    return result


#: How many times the explorer raises a value's floor before it keeps that value exactly.
FLOOR_TRIES = 24


def _first_floors(story: Story, liveness: Liveness) -> dict[Any, Any]:
    """Where each resource without a maximum first counts as "beyond": just past every number it is compared
    with. Usually too low (Seoul compares the debt with the cash); each Undecided raises it (see exhaustive), and
    a failed walk fails early, so the walk that succeeds has few states, not a guess on the safe side."""
    floors = {name: 0 for name, res in story.resources.items() if res.max is None}
    for node in story.nodes.values():
        for choice in node.choices:
            if choice.condition is not None:
                for name, number in _compared_numbers(choice.condition.tree):
                    if name in floors:
                        floors[name] = max(floors[name], abs(number))
    floors = {name: floor + 1 for name, floor in floors.items()}
    # Counts of visits that something reads as a number (a chance that grows with each night in a safe
    # house): a loop can make them grow without end too. Past the count where every test is settled,
    # one more visit changes nothing.
    for view in liveness.at.values():
        for node_id in view.counted:
            floors.setdefault(("visits", node_id), 2)
    return floors


def _compared_numbers(tree) -> list[tuple[str, Any]]:
    """Each (name, number) that an expression compares."""
    return [(this.name, other.value) for node in ex.walk(tree) if isinstance(node, ex.Binary)
            for this, other in ((node.left, node.right), (node.right, node.left))
            if isinstance(this, ex.Name) and isinstance(other, ex.Num)]


def _marked(key: tuple) -> tuple:
    """A key with each Beyond replaced by its marker (so a lookup never asks a Beyond to equal a number)."""
    return tuple(v.marker() if type(v) is Beyond else v for v in key)


def _walk(story: Story, policy: str, state_limit: int, start: str | None, presets: dict[str, Any] | None,
          liveness: Liveness, floors: dict[str, Any]) -> dict[str, Any]:
    """One exhaustive walk with values past ``floors`` merged (raises Undecided if a floor is too low)."""
    engine = Engine(story, keep_journal=False, keep_undo=False)
    first = engine.new_game(0, start=start)
    if presets is not None:
        _preset(first, presets)
    live, decides = liveness.at, liveness.decides
    base_vars = dict(first.vars)
    # (name, floor, is it a count of visits, its key in vars or visits), worked out once, not per state.
    widened = tuple((name, floor, type(name) is tuple, name[1] if type(name) is tuple else name)
                    for name, floor in floors.items())
    reached: set[Any] = set()  # the values that did pass their floor

    def key_of(state) -> tuple:
        """The state's class: what the future from its node can tell apart (ranges, not values, where that is all).

        A value (or a count of visits) past its floor becomes the Beyond that stands for every one past it.
        """
        vars_, visits = state.vars, state.visits
        marked = False
        for name, floor, is_count, key in widened:
            held = visits if is_count else vars_
            value = held.get(key, 0)
            if type(value) is Beyond:
                marked = True
                if value.coef == 1 and value.offset >= 0:
                    held[key] = Beyond(name, floor)
            elif value >= floor:
                held[key] = Beyond(name, floor)
                reached.add(name)
                marked = True
        view = live[state.node].key(vars_, state.items, visits)
        if marked:
            view = (_marked(view[0]), view[1], view[2], _marked(view[3]), view[4])
        return (state.node, *view)

    def sample_of(state) -> tuple:
        """Enough of a state to stand for its whole class: its node and the live values themselves."""
        view = live[state.node]
        vars_, visits = state.vars, state.visits
        return (state.node, tuple([vars_[n] for n in view.values()]), view.items.intersection(state.items),
                tuple([visits.get(n, 0) for n in view.counted]), tuple([n in visits for n in view.seen]))

    def state_of(sample: tuple):
        node, values, items, counts, seen = sample
        view = live[node]
        vars_ = dict(base_vars)
        vars_.update(zip(view.values(), values, strict=True))
        first.node = node
        first.vars = vars_
        first.items = set(items)
        visits = {n: c for n, c in zip(view.counted, counts, strict=True) if c}
        visits.update((n, 1) for n, v in zip(view.seen, seen, strict=True) if v)
        first.visits = visits
        return first

    decided: dict[tuple, list] = {}  # (node, what its decision reads) -> [(choice index, failed, p)]

    def branches(node, state) -> list:
        """The policy's choices at ``node`` and their risks' outcomes, each with its exact probability."""
        view = decides[node.id].key(state.vars, state.items, state.visits)
        local = (node.id, _marked(view[0]), view[1], view[2], _marked(view[3]), view[4])
        found = decided.get(local)
        if found is None:
            env = engine.bind(state)
            options = [c for c in node.choices if c.condition is None or c.condition(env)]
            found = []
            for choice, share in (_picks(engine, policy, state, options) if options else ()):
                if choice.roll is None:
                    found.append((choice.index, None, share))
                    continue
                chance = exact_chance(engine, state, choice)
                found += [(choice.index, failed, share * p) for failed, p in ((False, 1 - chance), (True, chance)) if p]
            decided[local] = found
        return found

    ids: dict[tuple, int] = {}
    samples: list[tuple] = []  # one member of each class, to explore it from
    edges: list = []  # edges[i]: state i's ways on, once it is explored
    ids[key_of(first)] = 0
    samples.append(sample_of(first))
    edges.append(None)
    # States that stand for values past a floor are explored first, depth first: a floor too low
    # shows itself at the first test it cannot answer, so a walk that must start again stops early.
    # (The order changes nothing else: the probability flows only once every state is explored.)
    beyond_first: list[int] = []
    hit_limit = False
    i = 0
    nodes = story.nodes
    while True:
        if beyond_first:
            at = beyond_first.pop()
        elif i < len(samples):
            at = i
            i += 1
            if edges[at] is not None:
                continue
        else:
            break
        sample = samples[at]
        node = nodes[sample[0]]
        if node.ending is not None:
            edges[at] = [(Fraction(1), ("ending", node.ending.id))]
            continue
        if len(samples) > state_limit:
            hit_limit = True
            edges[at] = [(Fraction(1), ("unresolved", ""))]
            continue
        ways = branches(node, state_of(sample))
        if not ways:
            edges[at] = [(Fraction(1), ("soft-lock", node.id))]
            continue
        out: dict = {}
        for index, failed, p in ways:
            child = state_of(sample)
            engine.advance(child, index, forced_failure=failed)
            ck = key_of(child)
            target = ids.get(ck)
            if target is None:
                target = ids[ck] = len(samples)
                samples.append(sample_of(child))
                edges.append(None)
                if any(type(part) is tuple and part and part[0] == "beyond" for part in (*ck[1], *ck[4])):
                    beyond_first.append(target)
            out[target] = out.get(target, 0) + p
        edges[at] = [(p, t) for t, p in out.items()]
    # The probability flows from the first state in topological order (Tarjan gives the
    # components sinks first): one multiplication per edge, whatever the number of endings.
    mass: list = [Fraction(0)] * len(samples)
    mass[0] = Fraction(1)
    result: Counter = Counter()
    largest = 1
    def following(v: int) -> list[int]:  # the states a move leads to (an ending is not a number)
        return [w for _, w in edges[v] if isinstance(w, int)]

    for comp in reversed(strongly_connected(range(len(samples)), following)):
        v = comp[0]
        if len(comp) == 1 and not any(w == v for _, w in edges[v]):
            m = mass[v]
            if not m:
                continue
            for p, w in edges[v]:
                if isinstance(w, int):
                    mass[w] += m * p
                else:
                    result[w] += m * p
        else:
            largest = max(largest, len(comp))
            _spread(comp, edges, mass, result)
    endings: Counter = Counter()
    kinds: Counter = Counter()
    soft_locks: Counter = Counter()
    loops: Counter = Counter()
    unresolved = Fraction(0)
    kind_of = {n.ending.id: n.ending.kind for n in nodes.values() if n.ending}
    for (what, where), p in result.items():
        if what == "ending":
            endings[where] += p
            kinds[kind_of[where]] += p
        elif what == "soft-lock":
            soft_locks[where] += p
        elif what == "loop":
            loops[samples[where][0]] += p
        else:
            unresolved += p
    return {
        "policy": policy,
        # When the limit stops the walk, what kept its states apart (game.engine.spread), for the writer.
        "spread": spread(samples, live) if hit_limit else [],
        "endings": dict(sorted(endings.items())),
        "kinds": dict(sorted(kinds.items())),
        "soft_locks": dict(soft_locks),
        "loops": dict(loops),
        "unresolved": unresolved,
        "states": len(samples),
        "largest_loop": largest,
        "reached": reached,
        "hit_limit": hit_limit,
    }
