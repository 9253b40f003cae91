"""Where every name of a story is declared and used: the language server's knowledge, without LSP types.

The index walks the parsed files (``SourceFile.data``: mappings and lists that know
where each key and value is) and records an :class:`Occurrence` for every node id,
fact id, resource, flag, item and location written in them: declarations (a node's
key under ``nodes:``, a fact's key in ``facts.yaml``, a name under ``resources:``,
``flags:`` or ``items:`` in ``story.yaml``, a place's ``<object name="…">`` in the
map) and uses (``goto:``, ``fail:``, ``start:``, ``facts: […]``, ``location:``,
``heading:``, effect keys, and names inside expressions and ``{…}`` in text).

Names inside an expression or a text are found in the file's own characters
between the scalar's start and end, so a position is exact whatever the YAML style
(plain, quoted, or a ``|`` block). Each file's occurrences are kept while its parse
is the same object, so after an edit only the edited file is indexed again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.story.expr import FUNCTIONS
from game.story.model import Story
from game.story.source import SourceSpan
from game.story.yamlsrc import LList, LMap, LocView, SourceFile

KINDS = ("node", "fact", "resource", "flag", "item", "location")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACES = re.compile(r"\{([^{}]*)\}")
_OUTSIDE_TAGS = re.compile(r"\{[^{}]*\}|[^{}\"']+")  # a tag, or a stretch between tags (quotes left out)
_KEYWORDS = frozenset({"and", "or", "not", "true", "false", "if", "elif", "else", "end"})
_MAP_OBJECT = re.compile(r'<object\b[^>]*?\bname="([^"]+)"[^>]*?\btype="location"|'
                         r'<object\b[^>]*?\btype="location"[^>]*?\bname="([^"]+)"')


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a name is written: ``kind`` is one of :data:`KINDS`; ``declares`` for its definition."""

    kind: str
    name: str
    span: SourceSpan
    declares: bool = False


class _Lines:
    """Character index → 1-based line and column in one file's text."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\r\n|\n|\r", text))]

    def span(self, start: int, end: int) -> SourceSpan:
        line = bisect.bisect_right(self.starts, start) - 1
        end_line = bisect.bisect_right(self.starts, end) - 1
        return SourceSpan(self.name, line + 1, start - self.starts[line] + 1, end_line + 1, end - self.starts[end_line] + 1)


def _range(view: LocView, key: Any) -> tuple[int, int]:
    """The character indexes where a key, value or item starts and ends.

    Read from the parser's packed position (``start << 32 | end``, see
    ``yamlsrc.Positions``) when it kept one: building a full location for each of
    a chapter's thousands of values would cost more than the rest of the index.
    """
    where = view.places[key]
    if isinstance(where, int):
        return where >> 32, where & 0xFFFFFFFF
    return where.start, where.end


class _FileIndexer:
    """Walks one parsed file and yields its occurrences; ``names`` classifies bare names in expressions."""

    def __init__(self, src: SourceFile, names: dict[str, str]) -> None:
        self.src = src
        self.lines = _Lines(src.name, src.text)
        self.names = names
        self.out: list[Occurrence] = []

    def add(self, kind: str, name: str, start: int, end: int, declares: bool = False) -> None:
        self.out.append(Occurrence(kind, name, self.lines.span(start, end), declares))

    def scalar(self, kind: str, container: LMap | LList, key: Any, declares: bool = False, as_key: bool = False) -> None:
        """A whole scalar (a key, a value or a list item) that is one name, quotes excluded."""
        if isinstance(container, LMap):
            view = container.key_locs if as_key else container.value_locs
            value = key if as_key else container[key]
        else:
            view = container.item_locs
            value = container[key]
        if not isinstance(value, str) or not value:
            return
        start, end = _range(view, key)
        start = self.src.text.find(value, start, max(end, start + len(value)))
        if start >= 0:
            self.add(kind, value, start, start + len(value), declares)

    def names_in(self, start: int, end: int, template: bool) -> None:
        """Names in an expression (or in each ``{…}`` of a text) written between two character indexes."""
        text = self.src.text
        if template:
            for found in _BRACES.finditer(text, start, end):
                self._expression(found.start(1), found.end(1))
        else:
            self._expression(start, end)

    def _expression(self, start: int, end: int) -> None:
        text = self.src.text
        for found in _WORD.finditer(text, start, end):
            word = found.group()
            if word in _KEYWORDS or (found.start() > 0 and text[found.start() - 1].isdigit()):
                continue
            after = text[found.end():end].lstrip()
            if after.startswith("(") and word in FUNCTIONS:
                continue
            before = text[start:found.start()].rstrip()
            if before.endswith("("):
                call = _WORD.findall(before[:-1])
                function = call[-1] if call else ""
                if function in ("visited", "visits"):
                    self.add("node", word, found.start(), found.end())
                    continue
                if function == "has":
                    self.add("item", word, found.start(), found.end())
                    continue
            kind = self.names.get(word)
            if kind:
                self.add(kind, word, found.start(), found.end())

    def place_choice(self, node: LMap, key: str) -> None:
        """A ``location:`` choosing with ``{if …}``: the names in its conditions, and each place id between the tags."""
        start, end = _range(node.value_locs, key)
        self.names_in(start, end, template=True)
        text = self.src.text
        for found in _OUTSIDE_TAGS.finditer(text, start, end):
            if not found.group().startswith("{"):
                for word in _WORD.finditer(text, found.start(), found.end()):
                    self.add("location", word.group(), word.start(), word.end())

    def value_names(self, data: LMap, key: str, template: bool) -> None:
        if key in data and isinstance(data[key], (str, int, float)):
            self.names_in(*_range(data.value_locs, key), template)

    # ------------------------------------------------------------------ the three kinds of file
    def story_file(self, data: LMap) -> None:
        if isinstance(data.get("start"), str):
            self.scalar("node", data, "start")
        for key, kind in (("resources", "resource"), ("items", "item")):
            if isinstance(data.get(key), LMap):
                for name in data[key]:
                    self.scalar(kind, data[key], name, declares=True, as_key=True)
        self.flags(data)

    def flags(self, data: LMap) -> None:
        if isinstance(data.get("flags"), LList):
            for i in range(len(data["flags"])):
                self.scalar("flag", data["flags"], i, declares=True)

    def facts_file(self, data: LMap) -> None:
        if isinstance(data.get("facts"), LMap):
            for name in data["facts"]:
                self.scalar("fact", data["facts"], name, declares=True, as_key=True)

    def chapter(self, data: LMap) -> None:
        self.flags(data)
        nodes = data.get("nodes")
        if not isinstance(nodes, LMap):
            return
        for node_id, node in nodes.items():
            self.scalar("node", nodes, node_id, declares=True, as_key=True)
            if isinstance(node, LMap):
                self.node(node)

    def node(self, node: LMap) -> None:
        for key in ("location", "heading"):
            if isinstance(node.get(key), str):
                if "{" in node[key]:
                    self.place_choice(node, key)
                else:
                    self.scalar("location", node, key)
        if isinstance(node.get("facts"), LList):
            for i in range(len(node["facts"])):
                self.scalar("fact", node["facts"], i)
        self.value_names(node, "text", template=True)
        self.effects(node, "effects")
        choices = node.get("choices")
        if isinstance(choices, LList):
            for choice in choices:
                if isinstance(choice, LMap):
                    self.choice(choice)

    def choice(self, choice: LMap) -> None:
        if isinstance(choice.get("goto"), str):
            self.scalar("node", choice, "goto")
        self.value_names(choice, "text", template=True)
        self.value_names(choice, "if", template=False)
        self.value_names(choice, "reason", template=True)
        self.effects(choice, "effects")
        self.effects(choice, "hidden_cost")
        roll = choice.get("roll")
        if isinstance(roll, LMap):
            if isinstance(roll.get("fail"), str):
                self.scalar("node", roll, "fail")
            self.value_names(roll, "chance", template=False)
            self.effects(roll, "fail_effects")

    def effects(self, data: LMap, key: str) -> None:
        effects = data.get(key)
        if not isinstance(effects, LMap):
            return
        for target, value in effects.items():
            if target == "set" and isinstance(value, LMap):
                for name in value:
                    self.scalar("resource", value, name, as_key=True)
                    if isinstance(value[name], str):
                        self.value_names(value, name, template=False)
                continue
            kind = self.names.get(target)
            if kind in ("resource", "flag", "item"):
                self.scalar(kind, effects, target, as_key=True)
            if isinstance(value, str):
                self.value_names(effects, target, template=False)


def index_file(src: SourceFile, names: dict[str, str], role: str) -> list[Occurrence]:
    """Every occurrence in one parsed file; ``role`` is 'story', 'facts' or 'chapter'."""
    indexer = _FileIndexer(src, names)
    if isinstance(src.data, LMap):
        {"story": indexer.story_file, "facts": indexer.facts_file, "chapter": indexer.chapter}[role](src.data)
    return indexer.out


def index_map(path: Path, text: str) -> list[Occurrence]:
    """The places declared in the route map: each ``<object name="…" type="location">``."""
    lines = _Lines(str(path), text)
    out = []
    for found in _MAP_OBJECT.finditer(text):
        group = 1 if found.group(1) is not None else 2
        out.append(Occurrence("location", found.group(group), lines.span(found.start(group), found.end(group)), True))
    return out


def story_names(story: Story | None) -> dict[str, str]:
    """Bare name → kind, for names in expressions (a node id may be a name: ``visited`` is implied)."""
    if story is None:
        return {}
    names: dict[str, str] = dict.fromkeys(story.nodes, "node")
    names.update(dict.fromkeys(story.items, "item"))
    names.update(dict.fromkeys(story.flags, "flag"))
    names.update(dict.fromkeys(story.resources, "resource"))
    return names


class StoryIndex:
    """All occurrences of one story folder, file by file, re-indexed only where a parse changed."""

    def __init__(self) -> None:
        # file name -> (the parse it was indexed from, its occurrences); the parse itself is kept, not its
        # id(), which a new parse could reuse once the old one is freed
        self._files: dict[str, tuple[SourceFile, list[Occurrence]]] = {}
        self._names: dict[str, str] = {}
        self._names_key: tuple = ()
        self._map: tuple[str, list[Occurrence]] | None = None

    def update(self, story: Story | None, sources: Iterable[tuple[SourceFile, str]], map_text: tuple[Path, str] | None
               ) -> None:
        key = tuple(sorted(story_names(story).items())) if story is not None else self._names_key
        if key != self._names_key:
            self._names_key, self._names = key, dict(key)
            self._files.clear()
        seen = set()
        for src, role in sources:
            seen.add(src.name)
            cached = self._files.get(src.name)
            if cached is None or cached[0] is not src:
                self._files[src.name] = (src, index_file(src, self._names, role))
        for name in set(self._files) - seen:
            del self._files[name]
        if map_text is not None:
            path, text = map_text
            if self._map is None or self._map[0] != text:
                self._map = (text, index_map(path, text))

    def occurrences(self) -> Iterator[Occurrence]:
        for _, found in self._files.values():
            yield from found
        if self._map is not None:
            yield from self._map[1]

    def in_file(self, name: str) -> list[Occurrence]:
        cached = self._files.get(name)
        return cached[1] if cached else []

    def at(self, file: str, line: int, col: int) -> Occurrence | None:
        """The occurrence under a 1-based position (the end counts, for a cursor just after a word)."""
        for occ in self.in_file(file):
            s = occ.span
            if s.line == line and s.col <= col <= s.end_col:
                return occ
        return None

    def definitions(self, occ: Occurrence) -> list[Occurrence]:
        return [o for o in self.occurrences() if o.declares and o.kind == occ.kind and o.name == occ.name]

    def references(self, occ: Occurrence, include_declaration: bool = True) -> list[Occurrence]:
        return [o for o in self.occurrences()
                if o.kind == occ.kind and o.name == occ.name and (include_declaration or not o.declares)]

    def names_of(self, kind: str) -> list[str]:
        return sorted({o.name for o in self.occurrences() if o.kind == kind and o.declares})
