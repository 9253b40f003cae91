"""Read a YAML story file safely, keeping where every key and value came from.

Why not ``yaml.safe_load``: it forgets positions, silently keeps the last of two
duplicate keys, and expands aliases without limit. We let libyaml (when present)
*compose* the file into nodes, then walk the nodes ourselves into plain Python
values: mappings become :class:`LMap` and lists :class:`LList`, which remember the
position of each key and value. Anything that is not plain data is refused with a
diagnostic: tags that would build Python objects, alias bombs, huge files, and
bytes that are not UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from game.story import diagnostics as dx
from game.story.diagnostics import Diagnostic
from game.story.source import SourceSpan, position_of

MAX_FILE_BYTES = 4 * 1024 * 1024

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _TIMESTAMP = _TAG + "map", _TAG + "seq", _TAG + "timestamp"
_constructor = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a value sits: its span, and for scalars the style and character range.

    ``style`` is '' for plain scalars, '"' or "'" for quoted ones and '|' or '>' for
    block text; with ``start``/``end`` (character indexes into the file) it lets us
    point at a column inside an expression or a text template.
    """

    span: SourceSpan
    style: str = ""
    start: int = 0
    end: int = 0


class LMap(dict):
    """A mapping that remembers the location of itself, each key and each value."""

    __slots__ = ("loc", "key_locs", "value_locs")

    def __init__(self, loc: Loc) -> None:
        super().__init__()
        self.loc = loc
        self.key_locs: dict[str, Loc] = {}
        self.value_locs: dict[str, Loc] = {}


class LList(list):
    """A list that remembers the location of itself and of each item."""

    __slots__ = ("loc", "item_locs")

    def __init__(self, loc: Loc) -> None:
        super().__init__()
        self.loc = loc
        self.item_locs: list[Loc] = []


@dataclass(slots=True)
class SourceFile:
    """A story file read from disk: its name as reported, its text, and the data (or None)."""

    name: str
    text: str
    data: Any


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "A ': ' inside a text starts a new key: put the whole text in quotes, or use 'text: |' on its own line."
    if "\\t" in problem or "tab" in problem:
        return "YAML does not allow tabs for indentation: indent with spaces."
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "The indentation of this line does not match its neighbours: line it up with the keys of the same level."
    if "found undefined alias" in problem:
        return "An alias (*name) must refer to an anchor (&name) defined before it in the same file."
    return dx.CATALOGUE["ER001"].hint


class _Walker:
    """Turns composed YAML nodes into LMap/LList/scalars and collects diagnostics."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        # No honest file has more values than half its characters; aliases that expand
        # beyond that are a "billion laughs" bomb and are refused early.
        self.budget = len(text) // 2 + 1000
        self.exhausted = False

    def loc(self, node: yaml.Node) -> Loc:
        start, end = node.start_mark, node.end_mark
        span = SourceSpan(self.name, start.line + 1, start.column + 1, end.line + 1, end.column + 1)
        style = getattr(node, "style", "") or ""
        return Loc(span, style, start.index, end.index)

    def walk(self, node: yaml.Node) -> Any:
        self.budget -= 1
        if self.budget < 0:
            if not self.exhausted:
                self.exhausted = True
                self.diagnostics.append(dx.make("ER005", self.loc(node).span, limit=len(self.text) // 2 + 1000))
            return None
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, tag)
        if isinstance(node, yaml.MappingNode):
            if tag != _MAP:
                return self.refuse(node)
            result = LMap(self.loc(node))
            for key_node, value_node in node.value:
                key_loc = self.loc(key_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    self.diagnostics.append(dx.make(
                        "ER011", key_loc.span, key="a key", expected="a plain word", got="a list or mapping",
                        fix="Keys are plain words such as 'text' or a node id."))
                    continue
                key = key_node.value
                if key_node.tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL):
                    self.refuse(key_node)
                    continue
                if key in result:
                    self.diagnostics.append(dx.make("ER006", key_loc.span, key=key,
                                                    first=result.key_locs[key].span.line))
                    continue
                result[key] = self.walk(value_node)
                result.key_locs[key] = key_loc
                result.value_locs[key] = self.loc(value_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            if tag != _SEQ:
                return self.refuse(node)
            items = LList(self.loc(node))
            for item in node.value:
                items.append(self.walk(item))
                items.item_locs.append(self.loc(item))
            return items
        return self.refuse(node)  # pragma: no cover - PyYAML has no other node kinds

    def scalar(self, node: yaml.ScalarNode, tag: str) -> Any:
        value = node.value
        if tag == _STR:
            return value
        if tag == _INT:
            try:
                return int(value)
            except ValueError:
                return _constructor.construct_yaml_int(node)
        if tag == _FLOAT:
            return _constructor.construct_yaml_float(node)
        if tag == _BOOL:
            return value.lower() in ("true", "yes", "on")
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            return value  # a date written in a text stays text
        return self.refuse(node)

    def refuse(self, node: yaml.Node) -> None:
        self.diagnostics.append(dx.make("ER004", self.loc(node).span, tag=node.tag.replace(_TAG, "!!")))
        return None


def parse_yaml(name: str, raw: bytes) -> tuple[SourceFile, list[Diagnostic]]:
    """Parse one story file's bytes. Never raises: problems come back as diagnostics."""
    if len(raw) > MAX_FILE_BYTES:
        return SourceFile(name, "", None), [dx.make("ER002", SourceSpan(name, 1, 1), size=len(raw), limit=MAX_FILE_BYTES)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = position_of(good, len(good))
        detail = f"byte 0x{raw[exc.start]:02x} at line {line}, column {col}"
        return SourceFile(name, "", None), [dx.make("ER003", SourceSpan(name, line, col), detail=detail)]
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "the file could not be read as YAML"
        detail = problem if not exc.context or exc.context == problem else f"{problem} ({exc.context})"
        return SourceFile(name, text, None), [
            dx.Diagnostic("ER001", dx.Severity.ERROR, detail, SourceSpan(name, line, col), _syntax_hint(problem))
        ]
    except yaml.YAMLError as exc:  # e.g. a reader error for a control character
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return SourceFile(name, text, None), [
            dx.Diagnostic("ER001", dx.Severity.ERROR, str(getattr(exc, "problem", None) or exc).splitlines()[0],
                          SourceSpan(name, line, col), dx.CATALOGUE["ER001"].hint)
        ]
    if node is None:
        return SourceFile(name, text, None), []
    walker = _Walker(name, text)
    data = walker.walk(node)
    return SourceFile(name, text, data), walker.diagnostics


def locate_in(source: SourceFile, loc: Loc, offset: int, snippet: str) -> SourceSpan:
    """The position of ``snippet`` found at character ``offset`` of the scalar at ``loc``.

    In plain and quoted one-line scalars the offset maps straight to a column. In block
    text, line folding and indentation break that mapping, so we look for the snippet
    in the scalar's stretch of the file instead, which is exact for any text a writer
    can recognise.
    """
    if loc.style in ("", '"', "'") and loc.span.line == loc.span.end_line:
        return loc.span.shifted(offset + (1 if loc.style else 0))
    if snippet and source.text:
        found = source.text.find(snippet, loc.start, max(loc.end, loc.start + 1))
        if found >= 0:
            line, col = position_of(source.text, found)
            return SourceSpan(loc.span.file, line, col, line, col + len(snippet))
    return loc.span
