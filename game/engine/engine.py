"""The rules: what the player sees now, and what happens when she chooses.

Front-ends *ask* (:meth:`Engine.view`) and *tell* (:meth:`Engine.choose`); they
never decide anything themselves, so the pygame game, the terminal mode, the
simulator and the classroom mode all play by exactly the same rules. Every choice
comes with ``available`` and a ``reason``, its costs and its risk as numbers and
as text, so each front-end can show them its own way (Yarn Spinner's options).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from game.engine.rng import Pcg32
from game.engine.state import GameState
from game.errors import EngineError, Impossible
from game.l10n import _, number
from game.story import expr as ex
from game.story import template as tpl
from game.story.model import Choice, Effect, Ending, Node, Resource, Story


class Phase(Enum):
    CHOOSING = "choosing"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class CostView:
    """One visible consequence of a choice: ``¥150``, ``1 day``, ``−10 Health``."""

    name: str
    delta: float
    text: str
    good: bool | None  # True: better for her, False: worse, None: neither


@dataclass(frozen=True, slots=True)
class RiskView:
    """A visible risk: the chance (0..1) that it goes wrong, and what going wrong means."""

    chance: float
    label: str

    @property
    def percent(self) -> str:
        if 0 < self.chance < 0.01:
            return "<1%"
        if 0.99 < self.chance < 1:
            return ">99%"
        return f"{round(self.chance * 100)}%"

    @property
    def text(self) -> str:
        return f"{self.percent}: {self.label}"


@dataclass(frozen=True, slots=True)
class ChoiceView:
    index: int
    text: str
    available: bool
    reason: str
    costs: tuple[CostView, ...]
    risk: RiskView | None
    goto: str
    # The kind of ending the choice leads to directly ('' if none): for simulated players,
    # who must know that "stay home" gives up the journey as a human reader does.
    ends_in: str = ""

    @property
    def cost_text(self) -> str:
        """The costs in one line: ``¥150 · 1 day``."""
        return " · ".join(c.text for c in self.costs)


@dataclass(frozen=True, slots=True)
class NodeView:
    """What to show now."""

    node_id: str
    title: str
    chapter: str
    paragraphs: tuple[str, ...]
    location: str
    heading: str
    choices: tuple[ChoiceView, ...]
    ending: Ending | None
    facts: tuple[str, ...]
    discuss: str
    can_rollback: bool

    @property
    def phase(self) -> Phase:
        return Phase.ENDED if self.ending else Phase.CHOOSING


@dataclass(frozen=True, slots=True)
class RetryPoint:
    """A decision of the journey she can go back to: ``depth`` is how many choices back (1 = the last).

    ``title`` is the passage where she chose, ``choice`` what she chose there, and
    ``risk_fell`` whether that choice's risk fell. Going back rolls the dice again.
    """

    depth: int
    node: str
    title: str
    choice: str
    risk_fell: bool


@dataclass(frozen=True, slots=True)
class RollResult:
    chance: float
    label: str
    value: float
    failed: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a choice did: for the HUD's change markers, the journal and the class record."""

    from_node: str
    index: int
    choice_text: str
    deltas: dict[str, float]
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    roll: RollResult | None  # a visible risk's result, for every screen to show
    to_node: str
    ending: Ending | None
    #: A hidden risk's result (the story marks it ``hidden``): never shown as odds, kept only
    #: so that a recorded session replays exactly.
    hidden_roll: RollResult | None = None



def mid_sentence(label: str) -> str:
    """An item's label as it reads inside a sentence: "only without a disc of South Korean dramas", not
    "only without A disc of …". Only an English leading article is lowered; a name keeps its capital."""
    return re.sub(r"^(A|An|The)(?= )", lambda m: m[1].lower(), label)

class Engine:
    """Plays a :class:`Story`. Holds no journey state of its own: every call takes a GameState.

    ``keep_journal`` and ``keep_undo`` can be turned off by the simulator, which
    plays millions of choices and never shows a history or rolls back.
    """

    def __init__(self, story: Story, *, keep_journal: bool = True, keep_undo: bool = True) -> None:
        self.story = story
        self.keep_journal = keep_journal
        self.keep_undo = keep_undo
        self._env = _Env()

    # ---------------------------------------------------------------- starting

    def new_game(self, seed: int | None = None, start: str | None = None) -> GameState:
        """A fresh journey at the story's start (or at ``start``, for writers testing a scene)."""
        story = self.story
        if seed is None:
            seed = secrets.randbits(31)
        start = start or story.start
        if start not in story.nodes:
            raise EngineError(f"there is no node '{start}' to start from")
        values: dict[str, Any] = {name: r.start for name, r in story.resources.items()}
        values.update({flag: False for flag in story.flags})
        state = GameState(seed=seed, node=start, vars=values, items=set(), visits={},
                          rng=Pcg32.seeded(seed).to_json(), story_version=story.version,
                          story_digest=story.digest)
        self._enter(state, start)
        return state

    # ---------------------------------------------------------------- asking

    def node(self, state: GameState) -> Node:
        try:
            return self.story.nodes[state.node]
        except KeyError:
            raise EngineError(f"the journey is at '{state.node}', which this story does not have") from None

    def phase(self, state: GameState) -> Phase:
        return Phase.ENDED if self.node(state).ending else Phase.CHOOSING

    def view(self, state: GameState) -> NodeView:
        node = self.node(state)
        return NodeView(
            node_id=node.id,
            title=node.title,
            chapter=node.chapter,
            paragraphs=self.paragraphs(state, node),
            location=node.place(self.bind(state)),
            heading=node.place(self.bind(state), "heading"),
            choices=tuple(self.choice_view(state, c) for c in node.choices),
            ending=node.ending,
            facts=node.facts,
            discuss=node.discuss,
            can_rollback=self.can_rollback(state)[0],
        )

    def paragraphs(self, state: GameState, node: Node) -> tuple[str, ...]:
        return tpl.paragraphs(node.text(self.bind(state), self.show_value))

    def show_value(self, name: str, value: Any) -> str:
        """How ``{name}`` appears in text: a resource with its unit, a flag as yes/no."""
        resource = self.story.resources.get(name)
        if resource is not None:
            return resource.format(value)
        return _("yes") if value else _("no")

    def available(self, state: GameState, choice: Choice) -> bool:
        return choice.condition is None or bool(choice.condition(self.bind(state)))

    def choice_view(self, state: GameState, choice: Choice, weighed: frozenset[str] | None = None) -> ChoiceView:
        """What the player sees of a choice. ``weighed`` limits its costs to those resources (the exact-odds
        explorer asks only for what its policy weighs: a cost it never reads need not be put into words)."""
        env = self.bind(state)
        ok = choice.condition is None or bool(choice.condition(env))
        risk = None
        if choice.roll is not None and not choice.roll.hidden:
            risk = RiskView(_clamp01(choice.roll.chance(env)), choice.roll.label)
        text = choice.text(env, self.show_value).strip()
        return ChoiceView(
            index=choice.index,
            text=text,
            available=ok,
            reason="" if ok else self.reason(state, choice),
            # A closed choice shows what it costs as written: a ¥3,000 bribe with ¥20 in hand is ¥3,000, not the
            # ¥20 that clamping at 0 would take (its reason says "needs ¥3,000; you have ¥20").
            costs=self.costs_of(state, choice, weighed, clamp=ok),
            risk=risk,
            goto=choice.goto,
            ends_in=self._ending_kind(choice.goto),
        )

    def _ending_kind(self, node_id: str) -> str:
        target = self.story.nodes.get(node_id)
        return target.ending.kind if target is not None and target.ending is not None else ""

    def reason(self, state: GameState, choice: Choice) -> str:
        """Why a closed choice is closed: the writer's reason, and what exactly is missing now.

        The writer's ``reason`` says it in the story's words; the engine adds the part of
        the condition that failed with the numbers ("needs ¥40,000; you have ¥38,370"),
        so the player never has to guess which part it was.
        """
        missing = self.missing(state, choice, said=choice.reason)
        if choice.reason:
            return _("{reason} ({missing})").format(reason=choice.reason, missing=missing) if missing else choice.reason
        return missing or self.explain(choice)

    def missing(self, state: GameState, choice: Choice, said: str = "") -> str:
        """The failing parts of a closed choice's condition that name a resource or an item, with values.

        A part whose amount the writer's reason ``said`` already ("You would need ¥20,000.") gives only
        what the player has: "you have ¥4,030", not "needs ¥20,000; you have ¥4,030" after it.
        """
        tree = choice.condition_tree
        if tree is None:
            return ""
        env = self.bind(state)
        parts = [self._missing_part(node, state, said) for node in ex.conjuncts(tree)
                 if not ex.Program(node)(env)]  # the parts that do not hold
        return "; ".join(p for p in parts if p)

    def _missing_part(self, node: ex.Expr, state: GameState, said: str = "") -> str:
        story = self.story
        found = ex.threshold(node, story.resources)
        if found is not None:
            resource = story.resources[found.left.name]
            have = state.vars.get(found.left.name, resource.start)
            need, amount = self._need(resource, found.op, found.right.value)
            if said and self._is_the_money(resource) and resource.format(amount) in said:
                return _("you have {have}").format(have=resource.format(have))
            return _("needs {need}; you have {have}").format(need=need, have=resource.format(have))
        tested = ex.item_test(node)
        if tested is not None:
            name, wanted = tested
            item = story.items.get(name)
            what = mid_sentence(item.label) if item else name
            return _("needs {what}").format(what=what) if wanted else _("only without {what}").format(what=what)
        return ""

    def _is_the_money(self, resource: Resource) -> bool:
        """The story's first sum of money is "the money": its amount alone says what is meant (¥3,000)."""
        first = next((r for r in self.story.resources.values() if r.is_currency), None)
        return first is resource

    def _need(self, resource: Resource, op: str, value: float) -> tuple[str, float]:
        """What ``resource op value`` asks, in words, and the amount it names: "¥3,000" (the money),
        "Debt to broker ¥1 or more", "Health 40 or more", "at most ¥0"."""
        step = 0 if op in (">=", "<=") else 1
        amount = value + step if op in (">=", ">") else value - step
        written = resource.format(amount) if resource.is_currency else number(amount)
        if self._is_the_money(resource):
            return (written if op in (">=", ">") else _("at most {amount}").format(amount=written)), amount
        words = _("{label} {amount} or more") if op in (">=", ">") else _("{label} {amount} or less")
        return words.format(label=resource.label, amount=written), amount

    def explain(self, choice: Choice) -> str:
        """A reason written from the condition, for choices whose writer gave none."""
        tree = choice.condition_tree
        story = self.story
        if isinstance(tree, ex.Binary) and tree.op in (">=", ">") and isinstance(tree.left, ex.Name) \
                and isinstance(tree.right, ex.Num) and tree.left.name in story.resources:
            return _("needs {what}").format(what=self._need(story.resources[tree.left.name], tree.op,
                                                           tree.right.value)[0])
        if tree is None:
            return _("not possible now")
        return _("needs {what}").format(what=ex.show(tree, story.label))

    def preview(self, state: GameState, choice: Choice, clamp: bool = True) -> GameState:
        """Where a choice leads when its risk does not fall: its effects, then the next page's.

        Only values, items and visits are copied (no journal, no undo): cheap enough to
        call for every choice on every page, so what a choice shows is what it does.
        Without ``clamp``, values may pass their bounds: the amounts as written.
        """
        scratch = state.light_copy()
        self._apply(scratch, choice.effects, clamp)
        target = self.story.nodes.get(choice.goto)
        if target is not None:
            scratch.node = target.id
            scratch.visits[target.id] = scratch.visits.get(target.id, 0) + 1
            self._apply(scratch, target.effects, clamp)
        return scratch

    def costs_of(self, state: GameState, choice: Choice, weighed: frozenset[str] | None = None,
                 clamp: bool = True) -> tuple[CostView, ...]:
        """Everything the choice will change when its risk does not fall, including what the next page applies
        (only the resources in ``weighed`` when it is given; without ``clamp``, the amounts as written)."""
        after = self.preview(state, choice, clamp)
        views: list[CostView] = []
        target = self.story.nodes.get(choice.goto)
        written = [e.target for e in (*choice.effects, *(target.effects if target is not None else ()))]
        for name in dict.fromkeys([*written, *self.story.resources]):  # the writer's order first
            if name not in self.story.resources or (weighed is not None and name not in weighed):
                continue
            delta = after.vars[name] - state.vars[name]
            if delta:
                views.append(CostView(name, delta, self._cost_text(name, delta), self._is_good(name, delta)))
        for name in dict.fromkeys([*written, *self.story.items]):
            item = self.story.items.get(name)
            if item is None or (weighed is not None and name not in weighed):
                continue
            neutral = item.tone == "neutral"  # shown in neither the good nor the bad colour
            if name in after.items and name not in state.items:
                views.append(CostView(name, 1, f"+ {item.label}", None if neutral else True))
            elif name in state.items and name not in after.items:
                views.append(CostView(name, -1, f"− {item.label}", None if neutral else False))
        return tuple(views)

    def cost_views(self, state: GameState, effects: Iterable[Effect]) -> Iterable[CostView]:
        env = self.bind(state)
        for effect in effects:
            if effect.kind == "add":
                delta = effect.value(env) if effect.computed else effect.value
                if not delta:
                    continue
                yield CostView(effect.target, delta, self._cost_text(effect.target, delta),
                               self._is_good(effect.target, delta))
            elif effect.kind == "set":
                value = effect.value(env) if effect.computed else effect.value
                resource = self.story.resources[effect.target]
                delta = value - state.vars[effect.target]
                yield CostView(effect.target, delta, f"{resource.label} → {resource.format(value)}",
                               self._is_good(effect.target, delta) if delta else None)
            elif effect.kind == "item":
                item = self.story.items[effect.target]
                has = effect.target in state.items
                neutral = item.tone == "neutral"
                if effect.value and not has:
                    yield CostView(effect.target, 1, f"+ {item.label}", None if neutral else True)
                elif not effect.value and has:
                    yield CostView(effect.target, -1, f"− {item.label}", None if neutral else False)

    def _cost_text(self, name: str, delta: float) -> str:
        resource = self.story.resources[name]
        if resource.is_currency and resource.better == "lower":
            # A debt: "+¥40,000 Debt to broker", never a bare "+¥40,000" that reads like money gained.
            return _("{change} {label}").format(change=resource.format(delta, signed=True), label=resource.label)
        if resource.is_currency:
            # Money spent is shown as a price (¥150); money gained with a plus.
            return resource.format(-delta) if delta < 0 else resource.format(delta, signed=True)
        if resource.unit:
            return resource.format(delta) if delta > 0 else resource.format(delta, signed=True)
        return _("{change} {label}").format(change=resource.format(delta, signed=True), label=resource.label)

    def _is_good(self, name: str, delta: float) -> bool | None:
        if not delta:
            return None
        return (delta < 0) if self.story.resources[name].better == "lower" else (delta > 0)

    # ---------------------------------------------------------------- telling

    def risk_of(self, state: GameState, choice: Choice) -> float:
        """The chance (0..1) that ``choice``'s risk falls, as the player would see it now."""
        return _clamp01(choice.roll.chance(self.bind(state))) if choice.roll is not None else 0.0

    def choose(self, state: GameState, index: int, forced_failure: bool | None = None) -> Outcome:
        """Take choice ``index`` of the current node: apply effects, roll the risk, move on.

        ``forced_failure`` decides the roll instead of the dice (the exhaustive explorer
        follows both outcomes; the classroom replay re-enacts a recorded one); the
        generator is not advanced then. Raises EngineError after the ending or for an
        index that does not exist (a front-end bug), and Impossible for a choice the
        rules do not allow now.
        """
        from_node = state.node
        before = dict(state.vars)
        items_before = set(state.items)
        choice, roll_result = self.advance(state, index, forced_failure)
        hidden = choice.roll is not None and choice.roll.hidden
        deltas = {k: state.vars[k] - before[k] for k in self.story.resources if state.vars[k] != before[k]}
        return Outcome(
            from_node=from_node,
            index=index,
            choice_text=choice.text_source,
            deltas=deltas,
            gained=tuple(sorted(state.items - items_before)),
            lost=tuple(sorted(items_before - state.items)),
            roll=None if hidden else roll_result,
            to_node=state.node,
            ending=self.story.nodes[state.node].ending,
            hidden_roll=roll_result if hidden else None,
        )

    def advance(self, state: GameState, index: int, forced_failure: bool | None = None) -> tuple[Choice, RollResult | None]:
        """The rules of :meth:`choose` without the Outcome report: the simulator's hot path."""
        node = self.node(state)
        if node.ending is not None:
            raise EngineError(f"choose() was called at the ending '{node.ending.id}'; the journey is over")
        if not 0 <= index < len(node.choices):
            raise EngineError(f"node '{node.id}' has {len(node.choices)} choices; there is no choice {index}")
        choice = node.choices[index]
        env = self.bind(state)
        if choice.condition is not None and not choice.condition(env):
            raise Impossible(choice.reason or self.explain(choice))
        # The risk and the words are taken as the player saw them, before any effect applies.
        chance = _clamp01(choice.roll.chance(env)) if choice.roll is not None else 0.0
        chosen_text = choice.text(env, self.show_value).strip() if self.keep_journal else ""
        if self.keep_undo:
            state.undo.append(state.snapshot())
        self._apply(state, choice.effects)
        self._apply(state, choice.hidden)
        roll_result = None
        target = choice.goto
        if choice.roll is not None:
            if forced_failure is None:
                rng = Pcg32.from_json(state.rng)
                value = rng.random()
                state.rng = rng.to_json()
                failed = value < chance
            else:
                failed, value = forced_failure, (0.0 if forced_failure else 1.0)
            roll_result = RollResult(chance, choice.roll.label, value, failed)
            if failed:
                self._apply(state, choice.roll.fail_effects)
                target = choice.roll.fail
        state.step += 1
        if self.keep_journal and state.journal:
            entry = state.journal[-1]
            entry["choice"] = chosen_text
            entry["choice_index"] = index
            if roll_result is not None and not choice.roll.hidden:
                entry["roll"] = {"chance": roll_result.chance, "label": roll_result.label,
                                 "failed": roll_result.failed}
        self._enter(state, target)
        return choice, roll_result

    def can_rollback(self, state: GameState, depth: int = 1) -> tuple[bool, str]:
        """Whether the last ``depth`` choices can be undone, and if not, why."""
        if not state.undo:
            return False, _("there is no choice to undo yet")
        if not 1 <= depth <= len(state.undo):
            return False, _("that point is before this journey was started or loaded")
        for snap in state.undo[-depth:]:
            node = self.story.nodes.get(snap["node"])
            if node is not None and not node.rollback:
                return False, _("the choice at “{title}” cannot be undone").format(title=node.title or node.id)
        return True, ""

    def rollback(self, state: GameState, depth: int = 1) -> None:
        """Go back ``depth`` choices (1: undo the last), to the moment before that choice.

        Everything is restored except the random generator, which goes on from where it
        is: the dice are rolled again from the point she returns to. Restoring it too
        would make every risk that fell fall again, so "try again" could never end
        differently. The journey stays deterministic: the same seed and the same
        choices and rollbacks give the same dice.
        """
        ok, reason = self.can_rollback(state, depth)
        if not ok:
            raise Impossible(reason)
        rng = state.rng
        snap = state.undo[-depth]
        del state.undo[-depth:]
        state.restore(snap)
        state.rng = rng
        if state.journal:
            for key in ("choice", "choice_index", "roll"):
                state.journal[-1].pop(key, None)

    def retry_points(self, state: GameState, differing: bool = False) -> tuple[RetryPoint, ...]:
        """Every decision she can go back to, the last first (only those rollback allows).

        With ``differing`` (at an ending), only the decisions from which the journey can
        still end differently: in the years after arrival, for example, every choice leads
        to the same ending, and offering to go back there would promise what it cannot do.
        """
        points: list[RetryPoint] = []
        ending = self.node(state).ending
        for depth in range(1, len(state.undo) + 1):
            if not self.can_rollback(state, depth)[0]:
                break
            if differing and ending is not None:
                back = state.copy()
                self.rollback(back, depth)
                if self.another_ending(back, ending.id) is None:
                    continue
            snap = state.undo[-depth]
            entry = state.journal[snap["journal_len"] - 1] if 0 < snap["journal_len"] <= len(state.journal) else {}
            node = self.story.nodes.get(snap["node"])
            roll = entry.get("roll")
            points.append(RetryPoint(depth, snap["node"], (node.title if node else "") or snap["node"],
                                     str(entry.get("choice", "")),
                                     isinstance(roll, dict) and bool(roll.get("failed"))))
        return tuple(points)

    def another_ending(self, state: GameState, ending_id: str, limit: int = 4000) -> list[tuple[int, bool]] | None:
        """A way from ``state`` to an ending other than ``ending_id``: [(choice, risk fell), …], or None.

        First a few random journeys from ``state`` (they find a witness at once from most
        points); then depth-first over the choices open at each page and both outcomes of
        each risk, each distinct (page, values, items, visits) visited once, which proves
        it when no other ending can be reached. After ``limit`` states without a witness
        it answers with an empty list ("probably": too large to be sure, and offering the
        retry is the kinder error).
        """
        quiet = Engine(self.story, keep_journal=False, keep_undo=False)
        found = self._dive(quiet, state, ending_id)
        if found is not None:
            return found
        seen: set[tuple] = set()
        todo: list[tuple[GameState, list[tuple[int, bool]]]] = [(state, [])]
        while todo:
            current, path = todo.pop()
            key = (current.node, tuple(sorted(current.vars.items())), tuple(sorted(current.items)),
                   tuple(sorted(current.visits.items())))
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > limit:
                return []
            node = self.story.nodes[current.node]
            if node.ending is not None:
                if node.ending.id != ending_id:
                    return path
                continue
            env = quiet.bind(current)
            for choice in reversed(node.choices):
                if choice.condition is not None and not choice.condition(env):
                    continue
                outcomes = (False, True) if choice.roll is not None else (False,)
                for fell in outcomes:
                    nxt = current.light_copy()
                    quiet.choose(nxt, choice.index, forced_failure=fell if choice.roll is not None else None)
                    todo.append((nxt, [*path, (choice.index, fell)]))
                env = quiet.bind(current)
        return None

    def _dive(self, quiet: Engine, state: GameState, ending_id: str, dives: int = 24,
              steps: int = 600) -> list[tuple[int, bool]] | None:
        """Random journeys (random choices, risks falling at random) looking for another ending."""
        rng = Pcg32.seeded(len(state.journal) * 7919 + state.step)  # deterministic: the same question, the same answer
        for _dive in range(dives):
            current = state.light_copy()
            path: list[tuple[int, bool]] = []
            for _step in range(steps):
                node = self.story.nodes[current.node]
                if node.ending is not None:
                    if node.ending.id != ending_id:
                        return path
                    break
                env = quiet.bind(current)
                open_choices = [c for c in node.choices if c.condition is None or c.condition(env)]
                if not open_choices:
                    break
                choice = open_choices[rng.below(len(open_choices))]
                fell = choice.roll is not None and rng.random() < 0.5
                quiet.choose(current, choice.index, forced_failure=fell if choice.roll is not None else None)
                path.append((choice.index, fell))
        return None

    def jump(self, state: GameState, node_id: str) -> None:
        """Move the journey to another node (writers' --start, hot reload); not a player action."""
        if node_id not in self.story.nodes:
            raise EngineError(f"there is no node '{node_id}'")
        self._enter(state, node_id)

    # ---------------------------------------------------------------- inside

    def bind(self, state: GameState) -> _Env:
        """The expression environment for ``state`` (one reused object: valid until the next call)."""
        env = self._env
        env.vars, env.items, env.visits = state.vars, state.items, state.visits
        return env

    def _apply(self, state: GameState, effects: Iterable[Effect], clamp: bool = True) -> None:
        resources = self.story.resources
        env = self.bind(state)
        for effect in effects:
            kind = effect.kind
            if kind == "add" or kind == "set":
                value = effect.value(env) if effect.computed else effect.value
                if value != value or value in (float("inf"), float("-inf")):
                    continue  # a computed NaN or infinity changes nothing rather than poisoning the state
                new = state.vars[effect.target] + value if kind == "add" else value
                state.vars[effect.target] = resources[effect.target].clamp(new) if clamp else new
            elif kind == "flag":
                state.vars[effect.target] = effect.value
            elif effect.value:
                state.items.add(effect.target)
            else:
                state.items.discard(effect.target)

    def _enter(self, state: GameState, node_id: str) -> None:
        node = self.story.nodes[node_id]
        state.node = node_id
        state.visits[node_id] = state.visits.get(node_id, 0) + 1
        self._apply(state, node.effects)
        if self.keep_journal:
            state.journal.append({
                "node": node_id,
                "title": node.title,
                "chapter": node.chapter,
                "location": node.place(self.bind(state)),
                "day": round(state.vars.get("days", 0)),
                "text": list(self.paragraphs(state, node)),
            })


class _Env:
    """The view of a state that compiled expressions read (reused to avoid an allocation per call)."""

    __slots__ = ("vars", "items", "visits")

    def __init__(self) -> None:
        self.vars: dict[str, Any] = {}
        self.items: set[str] = set()
        self.visits: dict[str, int] = {}


def _clamp01(value: float) -> float:
    if value != value:  # NaN
        return 0.0
    return 0.0 if value < 0 else 1.0 if value > 1 else float(value)
