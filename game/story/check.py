"""Story-wide checks that need the whole model: links, reachability, endings, facts, the map.

The loader calls :func:`check_story` after building the model; each check reports
into the same list of diagnostics, so a writer sees every problem at once.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from game.errors import RouteMapError
from game.l10n import N_, _, ngettext
from game.story import diagnostics as dx
from game.story.diagnostics import Diagnostic
from game.story.expr import negates, reads, show, worded
from game.story.graphs import strongly_connected
from game.story.model import Story
from game.story.salvage import Salvage
from game.story.source import SourceSpan
from game.story.suggest import did_you_mean

if TYPE_CHECKING:
    from game.story.ambience import Resolution


def check_story(story: Story, check_map: bool = True, salvage: Salvage | None = None) -> list[Diagnostic]:
    """Every story-wide problem of a built model (the loader has already reported those of each file).

    It needs only the model: the loader imports the checker, never the reverse.
    ``salvage`` says what files that could not be read would likely have declared;
    problems that exist only because those went missing are held back (see
    :mod:`game.story.salvage`).
    """
    salvage = salvage or Salvage()
    out: list[Diagnostic] = []
    _check_links(story, out, salvage)
    _check_closed_choices(story, out)
    _check_reachability(story, out, salvage)
    _check_endings(story, out)
    _check_debriefs(story, out)
    loops_found = _check_loops(story, out)
    if not loops_found and not salvage:
        _check_journey_length(story, out)
    _check_facts(story, out, salvage)
    if check_map:
        _check_map(story, out)
    _check_ambiences(story, out)
    return out


#: How many different misspelt node ids get a did-you-mean. Each suggestion compares the
#: name with every node id; a file of broken gotos (a bad search-and-replace) would
#: otherwise take minutes. Past this many, the hint says only how to fix it.
MAX_SUGGESTIONS = 200
_NO_CLOSE_NODE = N_("Create a node with that id, or fix the spelling.")


class _NodeSuggestions:
    """Did-you-mean for missing node ids: each name looked up once, at most MAX_SUGGESTIONS names."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.known: dict[str, str] = {}

    def __call__(self, target: str) -> str:
        hint = self.known.get(target)
        if hint is None:
            hint = (did_you_mean(target, self.story.nodes, _(_NO_CLOSE_NODE)) if len(self.known) < MAX_SUGGESTIONS
                    else _(_NO_CLOSE_NODE))
            self.known[target] = hint
        return hint


def _check_links(story: Story, out: list[Diagnostic], salvage: Salvage) -> None:
    _missing_node = _NodeSuggestions(story)
    span = story.spans.get("start", SourceSpan(str(Path(story.root) / "story.yaml"), 1, 1))
    missing = salvage.nodes  # in a file that cannot be read: that file's syntax error is the problem
    if story.start and story.start not in story.nodes and story.start not in missing:
        out.append(dx.make("ER022", span, target=story.start, suggestion=_missing_node(story.start)))
    for node in story.nodes.values():
        for choice in node.choices:
            if choice.goto and choice.goto not in story.nodes and choice.goto not in missing:
                out.append(dx.make("ER020", choice.goto_span, key="goto", target=choice.goto,
                                   suggestion=_missing_node(choice.goto)))
            if choice.roll and choice.roll.fail and choice.roll.fail not in story.nodes \
                    and choice.roll.fail not in missing:
                out.append(dx.make("ER020", choice.roll.fail_span, key="fail", target=choice.roll.fail,
                                   suggestion=_missing_node(choice.roll.fail)))
        if node.ending is None and not node.choices:
            out.append(dx.make("ER041", node.span, node=node.id))
        if node.choices and all(c.condition_source for c in node.choices) and not _always_one_open(node):
            out.append(dx.make("ER042", node.span, node=node.id))


def _check_closed_choices(story: Story, out: list[Diagnostic]) -> None:
    """ER038: a choice that can be closed, has no ``reason:``, and whose condition the game cannot word.

    Without a reason the game says why a choice is closed in its own words, which it
    has only for thresholds on resources and for items (:func:`game.story.expr.worded`);
    any other condition reaches the player as it is written ("needs not visited(hyesan
    crew office)"). A condition that reads nothing (``true``) is never closed.
    """
    resources = story.resources
    for node in story.nodes.values():
        for choice in node.choices:
            tree = choice.condition_tree
            if tree is None or choice.reason or worded(tree, resources):
                continue
            names: set = set()
            reads(tree, names)
            if not names:
                continue
            shown = _("needs {what}").format(what=show(tree, story.label))
            out.append(dx.make("ER038", choice.condition_span or choice.span, condition=choice.condition_source,
                               shown=shown))


def _always_one_open(node) -> bool:
    """Whether two of the node's conditions are plainly each other's negation, so one is always true."""
    trees = [c.condition_tree for c in node.choices if c.condition_tree is not None]
    return any(negates(a, b) for i, a in enumerate(trees) for b in trees[i + 1:])


def successors(story: Story, node_id: str) -> list[str]:
    """Nodes a choice of ``node_id`` can lead to, by goto or by a failed roll."""
    return story.successors(node_id)


def reachable(story: Story, salvage: Salvage | None = None, as_meant: bool = False) -> set[str]:
    """Every node reachable from the start, ignoring conditions (they can all be true somehow).

    With ``salvage``, a path into a file that cannot be read is taken to go on to every
    node that file's text leads to, so that nodes after it are not called unreachable.
    With ``as_meant``, a choice also leads where it meant to under a misspelt key or in
    a roll that could not be built (:func:`_as_meant`): those are errors already.
    """
    missing = salvage.nodes if salvage else set()
    seen: set[str] = set()
    queue: deque[str] = deque()
    through_missing = False

    def reach(node_id: str) -> None:
        nonlocal through_missing
        if node_id in story.nodes:
            if node_id not in seen:
                seen.add(node_id)
                queue.append(node_id)
        elif node_id in missing and not through_missing:
            through_missing = True
            for target in salvage.targets:
                reach(target)

    reach(story.start)
    while queue:
        node_id = queue.popleft()
        node = story.nodes[node_id]
        for choice in node.choices:
            reach(choice.goto)
            if choice.roll:
                reach(choice.roll.fail)
            if as_meant:
                for target in choice.broken_targets:
                    if target in story.nodes:
                        reach(target)
    return seen


def _as_meant(story: Story, node_id: str) -> list[str]:
    """Where a node's choices lead, and where its broken ones meant to (``gotoo: x``, ``chance: 15%``).

    A choice whose link is an error where it is written (ER010, ER011, ER012, ER031, …)
    still says where the writer wanted it to go. The reachability warnings follow that
    too: "node 'x' cannot be reached, add a choice that leads here" would send the
    writer looking for a choice they wrote, away from the error that is the real one.
    """
    meant = [t for c in story.nodes[node_id].choices for t in c.broken_targets if t in story.nodes]
    return successors(story, node_id) + meant if meant else successors(story, node_id)


def _check_reachability(story: Story, out: list[Diagnostic], salvage: Salvage) -> None:
    if story.start not in story.nodes and story.start not in salvage.nodes:
        return
    seen = reachable(story, salvage, as_meant=True)
    targeted = {t for n in story.nodes for t in _as_meant(story, n)} | salvage.targets
    lost: list[str] = []
    for node in story.nodes.values():
        if node.id in seen:
            continue
        if node.ending is not None and node.id not in targeted:
            out.append(dx.make("ER043", node.span, node=node.id))
        else:
            lost.append(node.id)
    for entrance, followers in _unreachable_branches(story, lost):
        more = ""
        if followers:
            named = ", ".join(f"'{n}'" for n in followers[:3]) + (", …" if len(followers) > 3 else "")
            more = ngettext(", nor can the {count} node it leads to ({names})",
                            ", nor can the {count} nodes it leads to ({names})", len(followers)).format(
                                count=len(followers), names=named)
        out.append(dx.make("ER040", story.nodes[entrance].span, node=entrance, more=more))


def _unreachable_branches(story: Story, lost: list[str]) -> list[tuple[str, list[str]]]:
    """Unreachable nodes grouped by the branch they belong to: (its entrance, the nodes after it).

    One missing ``goto`` cuts off a whole branch; one warning at the branch's entrance
    (a node no other unreachable node leads to, or the first in the file of a closed
    loop) says it all, where one per node would bury it.
    """
    cut = set(lost)
    led_to = {t for n in lost for t in _as_meant(story, n) if t in cut}
    entrances = [n for n in lost if n not in led_to]
    placed: set[str] = set()
    groups: list[tuple[str, list[str]]] = []
    for entrance in entrances + lost:
        if entrance in placed:
            continue
        placed.add(entrance)
        followers: list[str] = []
        queue = deque([entrance])
        while queue:
            for target in _as_meant(story, queue.popleft()):
                if target in cut and target not in placed:
                    placed.add(target)
                    followers.append(target)
                    queue.append(target)
        groups.append((entrance, followers))
    return groups


def _check_endings(story: Story, out: list[Diagnostic]) -> None:
    first: dict[str, tuple[str, SourceSpan]] = {}
    for node in story.nodes.values():
        if node.ending is None:
            continue
        kind, span = first.setdefault(node.ending.id, (node.ending.kind, node.span))
        if kind != node.ending.kind:
            out.append(dx.make("ER044", node.span, ending=node.ending.id, kind=node.ending.kind, other_kind=kind,
                               other=str(span)))


def _node_sccs(story: Story) -> list[list[str]]:
    """Strongly connected sets of nodes (Tarjan, iterative), ignoring conditions."""
    return strongly_connected(story.nodes, lambda node_id: successors(story, node_id))


def _written(story: Story, node_ids: set[str]) -> set[str]:
    """Every name the nodes' effects and choices can change (values, items, and the visits of the nodes)."""
    names: set[str] = set(node_ids)
    for node_id in node_ids:
        node = story.nodes[node_id]
        effects = [*node.effects]
        for choice in node.choices:
            effects += [*choice.effects, *choice.hidden, *(choice.roll.fail_effects if choice.roll else ())]
        names.update(effect.target for effect in effects)
    return names


def _read(tree, into: set[str]) -> None:
    """The names an expression reads, the argument of has()/visited()/visits() included."""
    found: set = set()
    reads(tree, found)
    into.update(x[1] if isinstance(x, tuple) else x for x in found)


def _check_loops(story: Story, out: list[Diagnostic]) -> bool:
    """Loops a player cannot leave: none of their choices leads out (ER045, certain), or every way out
    has a condition on something nothing in the loop changes (ER046, a warning: it may be true on entry).

    Conditions are ignored for the first (a choice that exists may open), so it never
    reports a loop that has a way out; the second only looks at names, so a loop whose
    exit condition reads a value the loop changes is never reported. Returns whether
    any loop was reported.
    """
    found = False
    for comp in _node_sccs(story):
        members = set(comp)
        first = min(comp, key=lambda n: (story.nodes[n].span.file, story.nodes[n].span.line))
        if len(comp) == 1 and first not in successors(story, first):
            continue
        exits = [c for n in comp for c in story.nodes[n].choices
                 if (c.goto in story.nodes and c.goto not in members)
                 or (c.roll and c.roll.fail in story.nodes and c.roll.fail not in members)]
        if any(story.nodes[n].ending is not None for n in comp):
            continue
        ordered = sorted(comp, key=lambda n: (story.nodes[n].span.file, story.nodes[n].span.line))
        names = ", ".join(f"'{n}'" for n in ordered[:6]) + (" …" if len(ordered) > 6 else "")
        where = ", ".join(_("{node} at line {line}").format(node=story.nodes[n].id, line=story.nodes[n].span.line)
                          for n in ordered[:6])
        span = story.nodes[first].span
        if not exits:
            out.append(dx.make("ER045", span, nodes=names, where=where, count=len(comp)))
            found = True
            continue
        if any(c.condition_tree is None for c in exits):
            continue
        read: set[str] = set()
        for c in exits:
            _read(c.condition_tree, read)
        if read and not read & _written(story, members):
            out.append(dx.make("ER046", span, nodes=names, where=where,
                               names=", ".join(f"'{n}'" for n in sorted(read))))
            found = True
    return found


#: A debrief shorter than this is a warning (ER047), once the story writes debriefs at all.
MIN_DEBRIEF_WORDS = 30


def _check_debriefs(story: Story, out: list[Diagnostic]) -> None:
    endings = [n for n in story.nodes.values() if n.ending is not None]
    if not any(n.ending.debrief for n in endings):
        return  # a story without debriefs (a draft, an example) is not held to their length
    for node in endings:
        words = len(node.ending.debrief.split())
        if words < MIN_DEBRIEF_WORDS:
            out.append(dx.make("ER047", node.ending.debrief_span or node.span, ending=node.ending.id, words=words,
                               minimum=MIN_DEBRIEF_WORDS))


def mean_journey(story: Story) -> float | None:
    """The expected number of choices from the start to an ending, choosing uniformly among all choices.

    Conditions are ignored and a chance that depends on values is taken at the
    story's starting values: a writer's estimate of a journey's length, computed in a
    moment (the simulator gives the real figure per kind of player). None when some
    node cannot reach an ending.
    """
    class _Start:
        vars = {**{n: r.start for n, r in story.resources.items()}, **{f: False for f in story.flags}}
        items: set[str] = set()
        visits: dict[str, int] = {}

    live = [n for n in reachable(story) if story.nodes[n].ending is None and story.nodes[n].choices]
    pos = {n: i for i, n in enumerate(live)}
    size = len(live)
    if not size:
        return 0.0
    rows = [[0.0] * size + [1.0] for _ in range(size)]
    for n, i in pos.items():
        rows[i][i] += 1.0
        choices = story.nodes[n].choices
        for c in choices:
            chance = 0.0
            if c.roll is not None:
                try:
                    chance = min(1.0, max(0.0, float(c.roll.chance(_Start))))
                except (KeyError, TypeError, ValueError):
                    chance = 0.0
            for target, p in ((c.goto, 1 - chance), (c.roll.fail if c.roll else "", chance)):
                if p and target in pos:
                    rows[i][pos[target]] -= p / len(choices)
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        prow = rows[col]
        for r in range(size):
            if r != col and rows[r][col]:
                factor = rows[r][col] / prow[col]
                row = rows[r]
                for k in range(col, size + 1):
                    row[k] -= factor * prow[k]
    i = pos.get(story.start)
    return None if i is None else rows[i][size] / rows[i][i]


def _check_journey_length(story: Story, out: list[Diagnostic]) -> None:
    if story.journey_choices is None:
        return
    mean = mean_journey(story)
    low, high = story.journey_choices
    if mean is not None and not low <= mean <= high:
        span = story.spans.get("journey_choices", SourceSpan(str(Path(story.root) / "story.yaml"), 1, 1))
        out.append(dx.make("ER048", span, mean=f"{mean:.0f}", low=f"{low:g}", high=f"{high:g}"))


def _check_facts(story: Story, out: list[Diagnostic], salvage: Salvage) -> None:
    used: set[str] = set()
    for node in story.nodes.values():
        for fact_id, span in zip(node.facts, node.fact_spans or (node.span,) * len(node.facts), strict=True):
            used.add(fact_id)
            if fact_id not in story.facts and fact_id not in salvage.facts:
                out.append(dx.make("ER050", span, fact=fact_id,
                                   suggestion=did_you_mean(fact_id, story.facts, _("Add the fact to facts.yaml."))))
    for fact in story.facts.values():
        if fact.id not in used and fact.id not in salvage.linked_facts:
            out.append(dx.make("ER051", fact.span, fact=fact.id))
        if not ((fact.quote and fact.checked) or fact.not_rechecked):
            out.append(dx.make("ER053", fact.span, fact=fact.id))
    if not salvage.facts_file:  # without facts.yaml every number would look unsourced
        _check_debrief_numbers(story, out)


#: A number as a writer types it: ¥5,000, $3,500, 30%, 2.5, 1,811. In a debrief, the end of a
#: range written short (2009-10) counts as part of its start.
_NUMBER = re.compile(r"(?<![\w.,])(?:[$¥₩฿€£]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?%| percent)?")
_STATED = re.compile(r"(?<![\w.,\-–])(?:[$¥₩฿€£]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?%| percent)?")


def _digits(number: str) -> str:
    return re.sub(r"[^\d.]", "", number).rstrip(".")


def _check_debrief_numbers(story: Story, out: list[Diagnostic]) -> None:
    """Every number an ending's debrief states is in one of the facts its node links (or is the story's year).

    A debrief is where the game speaks as fact, so a number there that no linked fact
    gives (its text, quote, source or year) is either a fact not linked or a claim
    without a source. Numbers are easy to find; words like "thousands" are not, and
    are left to reviewers.
    """
    for node in story.nodes.values():
        ending = node.ending
        if ending is None or not ending.debrief:
            continue
        facts = [story.facts[f] for f in node.facts if f in story.facts]
        known = {_digits(n) for f in facts for n in _NUMBER.findall(f"{f.text} {f.quote} {f.source_title} {f.year}")}
        known.add(str(story.year))
        for number in dict.fromkeys(_STATED.findall(ending.debrief)):
            if _digits(number) not in known:
                out.append(dx.make("ER052", ending.debrief_span or node.span, node=node.id, number=number.strip(" ,")))


def _check_map(story: Story, out: list[Diagnostic]) -> None:
    """The map loads, names every place the story goes, and its terrain image is there and sound."""
    if story.map_path is None:
        return
    span = story.spans.get("map", SourceSpan(str(Path(story.root) / "story.yaml"), 1, 1))
    from game.route import load_route_map
    from game.route.map import read_terrain

    def unusable(exc: RouteMapError, fix: str) -> None:
        where = exc.path or str(story.map_path)
        if exc.line is not None:
            where += f":{exc.line}" + (f":{exc.column}" if exc.column is not None else "")
        # The route map's own words (game.route) come as they are; the checker's around them are translated.
        out.append(dx.make("ER061", span, detail=f"{exc.message} ({where})", fix=exc.hint or fix))

    if not story.map_path.exists():  # most often a story folder copied away from ../assets
        resolved = Path(os.path.normpath(story.map_path.absolute()))
        out.append(dx.make("ER061", span, detail=_("there is no file at {path}").format(path=resolved),
                           fix=_("'map:' in story.yaml is read from the story folder ({folder}), so it points to "
                                 "{path}. If you copied or moved the story folder, change 'map:' to the map's path "
                                 "from the new place (or an absolute path), or copy the map (with its terrain image) "
                                 "beside the story.").format(folder=story.root, path=resolved)))
        return
    try:
        route = load_route_map(story.map_path)
    except RouteMapError as exc:
        unusable(exc, _("Regenerate it with 'python tools/make_map.py' or fix the path in story.yaml."))
        return
    if route.terrain is not None:
        try:
            read_terrain(route.terrain)
        except RouteMapError as exc:
            # Only a warning: the game still runs, and its map screen draws the places and the route on a
            # plain sheet with a notice. An error would stop the story from being played (load_story).
            named_at = f"{story.map_path}:{route.terrain_line}" if route.terrain_line else str(story.map_path)
            found = dx.make("ER061", span, fix=exc.hint or _("Put the image beside the map, or regenerate it with "
                                                             "'python tools/make_map.py'."))
            out.append(replace(found, severity=dx.Severity.WARNING, message=_(
                "the route map's terrain image cannot be used, so the map screen draws the map without it: "
                "{problem} ({path}, named at {named_at})").format(problem=exc.message, path=exc.path,
                                                                 named_at=named_at)))
    known = set(route.locations)
    for node in story.nodes.values():
        written = [(place, span) for _, place, span in node.place_options]
        for key, place, place_span in (("location", node.location, node.location_span),
                                       ("heading", node.heading, node.heading_span)):
            if (node.location_text if key == "location" else node.heading_text) is None and "{" not in place:
                written.append((place, place_span))  # a plain id ("{" alone: a template problem, reported)
        for place, place_span in written:
            if place and place not in known:
                out.append(dx.make("ER060", place_span or node.span, location=place,
                                   suggestion=_place_hint(place, known)))


def _place_hint(place: str, known: set[str]) -> str:
    """Did-you-mean for a location id: close spellings, else ids that share a word with it."""
    hint = did_you_mean(place, known)
    if not hint:
        words = {w for w in re.split(r"[_\W]+", place.lower()) if len(w) > 2}
        shared = sorted(k for k in known if words & set(re.split(r"[_\W]+", k.lower())))[:3]
        if shared:
            # the same sentences as a close spelling's (game.story.suggest)
            hint = (_("Did you mean '{name}'?").format(name=shared[0]) if len(shared) == 1 else
                    _("Did you mean {names} or '{last}'?").format(names=", ".join(f"'{k}'" for k in shared[:-1]),
                                                                  last=shared[-1]))
    if hint:
        return _("{suggestion} 'escape-route check --locations' lists every id; a new place is added to the map's "
                 "'locations' layer in Tiled (docs/map.md).").format(suggestion=hint)
    return _("Fix the spelling: 'escape-route check --locations' lists every id; a new place is added to the map's "
             "'locations' layer in Tiled (docs/map.md).")


def _check_ambiences(story: Story, out: list[Diagnostic]) -> None:
    """Names that are not declared (ER080); where paths bring different ambiences (ER081) or none (ER082)."""
    from game.story.ambience import resolve_all

    known = story.ambiences
    declared = ", ".join(f"'{name}'" for name in known) or _("none")
    for node in story.nodes.values():
        if node.ambience and node.ambience not in known:
            fallback = _("Declare it under ambiences: in story.yaml with its caption, or use one of: {names}.").format(
                names=declared)
            out.append(dx.make("ER080", node.ambience_span or node.span, ambience=node.ambience,
                               suggestion=did_you_mean(node.ambience, known, fallback)))
    if not known or story.start not in story.nodes:
        return
    found = resolve_all(story)
    before: dict[str, list[str]] = {}
    for node_id in found.came_from:
        for target in successors(story, node_id):
            before.setdefault(target, []).append(node_id)

    def heard(node_id: str) -> tuple[str, ...]:
        return tuple(a for a in found.heard(node_id) if a)

    def shown(path: list[str]) -> str:
        names = path if len(path) <= 4 else [path[0], "…", *path[-2:]]
        return " → ".join(names)

    for node_id in _where_ambiences_meet(story, found, before, heard):
        first, second = heard(node_id)[:2]
        out.append(dx.make("ER081", story.nodes[node_id].span, node=node_id, first=first, second=second,
                           first_path=shown(found.path(node_id, first, story)),
                           second_path=shown(found.path(node_id, second, story))))
    silent = [n for n in found.came_from if "" in found.came_from[n]]
    if silent:
        count = len(silent) - 1
        after = (ngettext("{count} node after it", "{count} nodes after it", count).format(count=count) if count
                 else _("no node after it"))
        out.append(dx.make("ER082", story.nodes[story.start].span, node=story.start, after=after, names=declared))


def _where_ambiences_meet(story: Story, found: Resolution, before: dict[str, list[str]],
                          heard: Callable[[str], tuple[str, ...]]) -> list[str]:
    """The nodes without an ambience of their own where paths bringing different ones meet (ER081).

    One warning where the paths meet, not one at every node after it that inherits the
    same mixture: a node is left out when a node before it, without an ambience of its
    own, already brings it the whole mixture. That alone would leave out every node of a
    loop that the mixture enters (``decision → office → decision``: each brings the
    other the mixture), so the walk keeps, of each such loop that nothing before brings
    the mixture, the node the walk reached first, which is where the paths meet.
    """
    mixed = [n for n in found.came_from if not story.nodes[n].ambience and len(heard(n)) >= 2]
    whole: dict[str, list[str]] = {}  # node -> the nodes right after it that inherit its whole mixture
    brought: set[str] = set()  # nodes that some node before them brings the whole mixture
    for node_id in mixed:
        sounds = set(heard(node_id))
        for p in before.get(node_id, []):
            if not story.nodes[p].ambience and set(heard(p)) == sounds:
                whole.setdefault(p, []).append(node_id)
                brought.add(node_id)
    meet = [n for n in mixed if n not in brought]
    covered: set[str] = set()
    todo = list(meet)
    while todo:
        for after in whole.get(todo.pop(), ()):
            if after not in covered:
                covered.add(after)
                todo.append(after)
    loose = [n for n in mixed if n in brought and n not in covered]  # in a loop, or after one only
    if loose:
        order = {n: i for i, n in enumerate(found.came_from)}
        still = set(loose)
        for comp in strongly_connected(loose, lambda n: [m for m in whole.get(n, ()) if m in still]):
            members = set(comp)
            if not any(m in whole.get(p, ()) and p not in members for m in comp for p in before.get(m, ())):
                meet.append(min(comp, key=order.__getitem__))  # a loop nothing brings the mixture to
    return meet
