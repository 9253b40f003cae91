"""What the language server says, worked out from the story and its index: no LSP types here.

Hover texts, completions, quick fixes, the outline of a file and word counts. The
server's handlers translate positions and results to and from the protocol; every
decision is here, and what a choice costs is asked of the engine exactly as the
game asks it (style §8: no rule is written twice).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from game.engine.engine import Engine
from game.l10n import N_, _, language
from game.lsp.index import Occurrence
from game.lsp.workspace import StoryFolder
from game.story.expr import FUNCTIONS
from game.story.model import Choice, Node, Story
from game.story.template import as_read

#: The did-you-mean hints as game.story.suggest writes them (the same msgids, so the same translations).
_ONE = N_("Did you mean '{name}'?")
_MANY = N_("Did you mean {names} or '{last}'?")
_FIELDS = {r"\{name\}": r"(?P<one>[^']+)", r"\{names\}": r"(?P<many>(?:'[^']+'(?:, )?)+)", r"\{last\}": r"(?P<last>[^']+)"}


@cache
def _did_you_mean(lang: str) -> tuple[re.Pattern[str], ...]:
    """The hints' patterns in ``lang`` and in English (a hint is in the language the checker spoke)."""
    patterns = []
    # Several names first: the one-name pattern would match the last name of a list in some languages.
    for template in dict.fromkeys((_(_MANY), _MANY, _(_ONE), _ONE)):
        pattern = re.escape(template)
        for field, group in _FIELDS.items():
            pattern = pattern.replace(field, group)
        patterns.append(re.compile(pattern))
    return tuple(patterns)


@dataclass(frozen=True, slots=True)
class Completion:
    label: str
    kind: str  # node, fact, resource, flag, item, location, function, key
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Symbol:
    """A node in a file's outline: its id, title and the lines it spans (1-based, inclusive)."""

    name: str
    detail: str
    line: int
    col: int
    end_col: int
    last_line: int


def suggestions(hint: str) -> list[str]:
    """The names a did-you-mean hint proposes ("Did you mean 'a'?", "Did you mean 'a', 'b' or 'c'?"), in English
    or in the language the program speaks ("'a'을(를) 뜻했나요?")."""
    for pattern in _did_you_mean(language()):
        found = pattern.search(hint or "")
        if found is None:
            continue
        groups = found.groupdict()
        if groups.get("one"):
            return [groups["one"]]
        return [*re.findall(r"'([^']+)'", groups.get("many") or ""), groups["last"]]
    return []


def words(text: str) -> int:
    return len(text.split())


def node_words(node: Node) -> int:
    """The words a reader reads in a node: its text and its choices' texts (as the checker counts them)."""
    return words(node.text_source) + sum(words(c.text_source) for c in node.choices)


def nodes_in(story: Story | None, file: str) -> list[Node]:
    if story is None:
        return []
    return sorted((n for n in story.nodes.values() if n.span.file == file), key=lambda n: n.span.line)


def outline(story: Story | None, file: str, last_line: int) -> list[Symbol]:
    """The nodes of a file, each spanning the lines up to the next node."""
    nodes = nodes_in(story, file)
    out = []
    for i, node in enumerate(nodes):
        end = nodes[i + 1].span.line - 1 if i + 1 < len(nodes) else last_line
        out.append(Symbol(node.id, node.title, node.span.line, node.span.col, node.span.end_col or node.span.col + len(node.id),
                          max(end, node.span.line)))
    return out


def word_counts(story: Story | None, file: str) -> str:
    nodes = nodes_in(story, file)
    total = sum(node_words(n) for n in nodes)
    lines = [_("**{words} words** in {count} nodes").format(words=f"{total:,}", count=len(nodes)), ""]
    lines += [f"- `{n.id}`: {node_words(n):,}" for n in nodes]
    return "\n".join(lines)


def first_line(text: str) -> str:
    for line in text.strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def describe(story: Story, occ: Occurrence) -> str:
    """Hover text for a name: a node's title and first line, a fact's text and source, a declaration."""
    name = occ.name
    if occ.kind == "node":
        node = story.nodes.get(name)
        if node is None:
            return _("`{name}`: no such node").format(name=name)
        head = f"**{node.title or name}** (`{name}`, {node.file})"
        ending = ("\n\n" + _("Ending: {kind} — {title}").format(kind=node.ending.kind, title=node.ending.title)
                  if node.ending else "")
        return (f"{head}\n\n{first_line(as_read(node.text_source))}{ending}\n\n"
                + _("{words} words").format(words=f"{node_words(node):,}"))
    if occ.kind == "fact":
        fact = story.facts.get(name)
        if fact is None:
            return _("`{name}`: no such fact").format(name=name)
        # Every further source, whatever the language spoken: the writer checks them all.
        also = "".join("\n\n" + _("Also ({lang}): {title}, {source}").format(
            lang=s.lang, title=s.source_title, source=s.source) for s in fact.also)
        return (_("**Fact** `{name}`").format(name=name) + f"\n\n{fact.text.strip()}\n\n"
                + _("Source: {title} ({year}), {source}").format(title=fact.source_title, year=fact.year,
                                                                 source=fact.source)
                + also + "\n\n" + _("Confidence: {confidence}").format(confidence=fact.confidence))
    if occ.kind == "resource":
        res = story.resources.get(name)
        if res is None:
            return _("`{name}`: no such resource").format(name=name)
        bounds = ", ".join(f"{k} {v:g}" for k, v in (("min", res.min), ("max", res.max)) if v is not None)
        unit = _(", unit {unit}").format(unit=res.unit) if res.unit else ""
        return (_("**Resource** `{name}`: {label}").format(name=name, label=res.label) + "\n\n"
                + _("Starts at {start}").format(start=res.format(res.start))
                + f"{'; ' + bounds if bounds else ''}{unit}; " + _("better {better}").format(better=res.better))
    if occ.kind == "item":
        item = story.items.get(name)
        return (_("**Item** `{name}`: {label}").format(name=name, label=item.label) if item
                else _("`{name}`: no such item").format(name=name))
    if occ.kind == "flag":
        return (_("**Flag** `{name}`").format(name=name) if name in story.flags
                else _("**Flag** `{name}`: not declared").format(name=name))
    return _("**Location** `{name}` (on the route map)").format(name=name)


def choice_at(story: Story, file: str, line: int) -> Choice | None:
    """The choice written over a line of a file: from its '- ' to the next choice or node."""
    nodes = nodes_in(story, file)
    for i, node in enumerate(nodes):
        next_node = nodes[i + 1].span.line if i + 1 < len(nodes) else 1 << 30
        for j, choice in enumerate(node.choices):
            end = node.choices[j + 1].span.line if j + 1 < len(node.choices) else next_node
            if choice.span.line <= line < end:
                return choice
    return None


def describe_choice(story: Story, choice: Choice) -> str:
    """A choice as the player will see it at the start of a game: text, costs and risk, from the engine."""
    engine = Engine(story, keep_journal=False, keep_undo=False)
    state = engine.new_game(seed=0)
    view = engine.choice_view(state, choice)
    none = _("none")
    lines = [_("**Choice**: {text}").format(text=view.text), ""]
    lines.append(_("Costs: {costs}").format(costs=view.cost_text or none))
    lines.append(_("Risk: {risk}").format(risk=view.risk.text if view.risk else none))
    if not view.available:
        lines.append(_("Unavailable: {reason}").format(reason=view.reason))
    lines += ["", f"→ `{view.goto}`" + (_(" (ending: {kind})").format(kind=view.ends_in) if view.ends_in else ""), "",
              _("_As the player sees it at the start values of a new game (costs and risks may depend on the "
                "state)._")]
    return "\n".join(lines)


@cache
def schema_keys() -> dict[str, dict[str, str]]:
    """The keys of each kind of mapping the schema defines (storyFile, node, choice, …), with descriptions."""
    schema = json.loads(resources.files("game.story").joinpath("schema.json").read_text(encoding="utf-8"))
    return {name: {key: prop.get("description", "") for key, prop in (definition.get("properties") or {}).items()
                   if isinstance(prop, dict)}
            for name, definition in schema["definitions"].items()}


_ROOTS = {"story": "storyFile", "facts": "factsFile", "chapter": "chapterFile"}
# Where a key leads: to a mapping of ids each holding a definition, or straight to a definition.
_BY_ID = {("storyFile", "resources"): "resource", ("factsFile", "facts"): "fact", ("chapterFile", "nodes"): "node"}
_DIRECT = {("node", "choices"): "choice", ("node", "ending"): "ending", ("choice", "roll"): "roll",
           ("fact", "also"): "factSource"}
_EFFECTS = ("effects", "hidden_cost", "fail_effects")
_KEY_LINE = re.compile(r"^(\s*)(-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:")
_KEY_START = re.compile(r"^(\s*)(-\s+)?[A-Za-z_]*$")


def parent_keys(lines: list[str], line: int, column: int) -> list[str]:
    """The keys above a key written at ``column`` of ``line``, outermost first, found by indentation."""
    chain: list[str] = []
    for text in reversed(lines[:line]):
        found = _KEY_LINE.match(text)
        if found is None:
            continue  # a blank line, a comment or a line of block text
        key_column = len(found.group(1)) + len(found.group(2) or "")
        if key_column < column:
            chain.append(found.group(3))
            column = len(found.group(1)) if found.group(2) else key_column
            if column == 0:
                break
    return chain[::-1]


def schema_place(role: str, chain: list[str]) -> str | None:
    """The schema definition whose keys belong under ``chain`` (None: a mapping of names, such as effects)."""
    place = _ROOTS.get(role, "chapterFile")
    by_id = None
    for key in chain:
        if by_id is not None:
            place, by_id = by_id, None
            continue
        if key in _EFFECTS:
            return None
        by_id = _BY_ID.get((place, key))
        if by_id is None:
            place = _DIRECT.get((place, key), "")
    return "" if by_id is not None else place


_CALL = re.compile(r"\b(has|visited|visits)\(\s*[A-Za-z0-9_]*$")
_VALUE_AFTER = re.compile(r"^\s*(?:-\s+)?([A-Za-z_]+)\s*:\s*(.*)$")


def complete(folder: StoryFolder, lines: list[str], line: int, col: int, role: str) -> list[Completion]:
    """Completions at a 0-based line and column of a file ('story', 'facts' or 'chapter')."""
    story = folder.last_good
    index = folder.index
    before = (lines[line] if line < len(lines) else "").rstrip("\r\n")[:col]
    call = _CALL.search(before)
    if call is not None:
        kind = "item" if call.group(1) == "has" else "node"
        return [Completion(n, kind, _label(story, n) if kind == "item" else _node_detail(story, n))
                for n in index.names_of(kind)]
    found = _VALUE_AFTER.match(before)
    if found is not None:
        key, value = found.group(1), found.group(2)
        if key in ("goto", "fail", "start"):
            return [Completion(n, "node", _node_detail(story, n)) for n in index.names_of("node")]
        if key == "facts":
            return [Completion(n, "fact", _fact_detail(story, n)) for n in index.names_of("fact")]
        if key in ("location", "heading"):
            return [Completion(n, "location") for n in index.names_of("location")]
        if key == "ambience":  # the names story.yaml declares, each with its caption
            return [Completion(n, "ambience", caption) for n, caption in (story.ambiences if story else {}).items()]
        if key in ("if", "chance") or _inside_braces(value):
            return _names(story, index)
        if key in ("text", "reason") and not _inside_braces(value):
            return []
        if value.strip():
            return _names(story, index) if _inside_braces(value) else []
    if _inside_braces(before):
        return _names(story, index)
    at_key = _KEY_START.match(before)
    if at_key is None:
        return []
    chain = parent_keys(lines, line, len(at_key.group(1)) + len(at_key.group(2) or ""))
    if chain and chain[-1] == "facts" and at_key.group(2):
        return [Completion(n, "fact", _fact_detail(story, n)) for n in index.names_of("fact")]
    place = schema_place(role, chain)
    if place is None:  # the keys of effects: resources (and set), flags and items
        return [Completion("set", "key", "set resources to values")] + [
            Completion(n, kind, _label(story, n)) for kind in ("resource", "flag", "item") for n in index.names_of(kind)]
    return [Completion(k, "key", d) for k, d in schema_keys().get(place, {}).items()]


def rename_problem(story: Story | None, occ: Occurrence, new_name: str, declared: list[str]) -> str:
    """Why a name cannot be renamed to ``new_name`` ('' if it can)."""
    if occ.kind == "location":
        ok = bool(re.fullmatch(r"[A-Za-z0-9_-]+", new_name))
    else:
        ok = new_name.isidentifier() and new_name.isascii() and not new_name.startswith("__")
    if not ok:
        return f"'{new_name}' is not a valid id: use letters, digits and underscores, not starting with a digit"
    if new_name in declared and new_name != occ.name:
        return f"there is already a {occ.kind} called '{new_name}'"
    if new_name in FUNCTIONS or new_name in ("and", "or", "not", "true", "false", "if", "elif", "else", "end"):
        return f"'{new_name}' is a word of the expression language"
    return ""


def _inside_braces(text: str) -> bool:
    return text.rfind("{") > text.rfind("}")


def _names(story: Story | None, index) -> list[Completion]:
    out = [Completion(f, "function", f"{f}(…)") for f in FUNCTIONS]
    for kind in ("resource", "flag", "item", "node"):
        out += [Completion(n, kind, _label(story, n)) for n in index.names_of(kind)]
    return out


def _label(story: Story | None, name: str) -> str:
    return story.label(name) if story is not None else ""


def _node_detail(story: Story | None, name: str) -> str:
    node = story.nodes.get(name) if story else None
    return node.title if node else ""


def _fact_detail(story: Story | None, name: str) -> str:
    fact = story.facts.get(name) if story else None
    return fact.text.strip()[:80] if fact else ""
