"""Read a YAML story file safely, keeping where every key and value came from.

Why not ``yaml.safe_load``: it forgets positions, silently keeps the last of two
duplicate keys, and expands aliases without limit. We read libyaml's (when present)
*event stream* and build plain Python values from it ourselves: mappings become
:class:`LMap` and lists :class:`LList`, which remember the position of each key
and value (as packed character indexes: see :class:`Positions`). Building from
events skips PyYAML's node tree and most of its regex-per-scalar type resolution,
so that reading a story with positions costs about what ``yaml.compose`` alone
costs (``tools/bench.py load``). Anything that is not plain data is refused with a
diagnostic: tags that would build Python objects, alias bombs, huge files, and
bytes that are not UTF-8.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml

from game.l10n import _
from game.story import diagnostics as dx
from game.story.diagnostics import Diagnostic
from game.story.limits import number_problem
from game.story.source import LINE_BREAK, RARE_LINE_BREAKS, SourceSpan, position_of

MAX_FILE_BYTES = 4 * 1024 * 1024

try:  # libyaml's parser, when PyYAML was built with it
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure-Python fallback
    _Parser = None

_TAG = "tag:yaml.org,2002:"
_UNSEEN = object()
_PLAIN_TAGS = {_TAG + t: t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = yaml.constructor.SafeConstructor()
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_SeqStart, _SeqEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent


class Loc:
    """Where a value sits: its span, and for scalars the style and character range.

    ``style`` is '' for plain scalars, '"' or "'" for quoted ones and '|' or '>' for
    block text; with ``start``/``end`` (character indexes into the file) it lets us
    point at a column inside an expression or a text template. The span is built on
    first use: most values never need one, and a large story has hundreds of
    thousands of values.
    """

    __slots__ = ("file", "start_mark", "end_mark", "style", "_span")

    def __init__(self, file: str, start_mark, end_mark, style: str = "") -> None:
        self.file = file
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.style = style
        self._span: SourceSpan | None = None

    @classmethod
    def at(cls, span: SourceSpan) -> Loc:
        """A location with a known span and no marks (for values made up by the loader)."""
        loc = cls(span.file, None, None)
        loc._span = span
        return loc

    @property
    def span(self) -> SourceSpan:
        if self._span is None:
            s, e = self.start_mark, self.end_mark
            self._span = SourceSpan(self.file, s.line + 1, s.column + 1, e.line + 1, e.column + 1)
        return self._span

    @property
    def start(self) -> int:
        return self.start_mark.index if self.start_mark is not None else 0

    @property
    def end(self) -> int:
        return self.end_mark.index if self.end_mark is not None else 0


class Mark(NamedTuple):
    """A position as libyaml reports it: 0-based line and column, and the character index."""

    line: int
    column: int
    index: int


_PROPERTIES = re.compile(r"(?:[!&]\S*\s+)+")  # tags and anchors before a value


class Positions:
    """Where things are in one file, stored the compact way the builder keeps them.

    The builder keeps, for each key, value and list item, one integer: the start and
    end character indexes packed together (``start << 32 | end``). Keeping the
    parser's events instead (each with a dictionary and two mark objects) made the
    parse trees of a large story four times bigger, and allocating and freeing that
    memory was a tenth of the whole load. Lines and columns are found from the index
    when a position is asked for, with a table of where each line starts; the style
    of a scalar is the character it starts with (a quote, ``|`` or ``>``).
    """

    __slots__ = ("name", "text", "_starts")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        text = self.text
        if not any(rare in text for rare in RARE_LINE_BREAKS):  # str's own search: a regex is far slower here
            return list(itertools.accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
        return [0, *(match.end() for match in LINE_BREAK.finditer(text))]

    def _table(self) -> list[int]:
        """Where each line starts (made on first use)."""
        starts = self._starts
        if starts is None:
            starts = self._starts = self._line_starts()
        return starts

    def mark(self, index: int) -> Mark:
        starts = self._table()
        line = bisect.bisect_right(starts, index) - 1
        return Mark(line, index - starts[line], index)

    def loc(self, where: int) -> Loc:
        """Where a value is, for pointing inside it: from its first character, after any tag or anchor.

        libyaml starts a value at its tag or anchor (``!!str "…"``, ``&t "…"``); a
        column inside the text must count from the text itself, and whether it is
        quoted is told by the character the text starts with.
        """
        start, end = where >> 32, where & 0xFFFFFFFF
        text = self.text
        if text[start:start + 1] in ("!", "&"):
            found = _PROPERTIES.match(text, start)
            if found is not None and found.end() < end:
                start = found.end()
        first = text[start:start + 1]
        return Loc(self.name, self.mark(start), self.mark(end), first if first in ("'", '"', "|", ">") else "")

    def span(self, where: int) -> SourceSpan:
        """The span at a stored position (the loader asks for tens of thousands: node ids, choices, gotos)."""
        starts = self._table()
        start, end = where >> 32, where & 0xFFFFFFFF
        line = bisect.bisect_right(starts, start) - 1
        # Most values end on the line they start on, or at the start of the next one.
        end_line = line if line + 1 == len(starts) or end < starts[line + 1] else \
            bisect.bisect_right(starts, end, line + 1) - 1
        return SourceSpan(self.name, line + 1, start - starts[line] + 1, end_line + 1, end - starts[end_line] + 1)


def _loc_of(file: Positions | str, where: Loc | int) -> Loc:
    return where if isinstance(where, Loc) else file.loc(where)  # type: ignore[union-attr]


def _span_of(file: Positions | str, where: Loc | int) -> SourceSpan:
    return where.span if isinstance(where, Loc) else file.span(where)  # type: ignore[union-attr]


class LocView:
    """Locations of a container's keys, values or items, made from stored positions on demand.

    A story has hundreds of thousands of values and the loader asks where only a few
    of them are (to report a problem, or to keep a node's position), so keeping a
    compact position (see :class:`Positions`) and building a :class:`Loc` on access
    is what keeps loading fast.
    """

    __slots__ = ("file", "places")

    def __init__(self, file: Positions | str, places) -> None:
        self.file = file
        self.places = places

    def __getitem__(self, key) -> Loc:
        return _loc_of(self.file, self.places[key])

    def get(self, key, default: Loc | None = None) -> Loc | None:
        return self[key] if key in self else default  # noqa: SIM401 (this is get itself)

    def __contains__(self, key) -> bool:
        if isinstance(self.places, list):
            return isinstance(key, int) and -len(self.places) <= key < len(self.places)
        return key in self.places

    def __len__(self) -> int:
        return len(self.places)


class LMap(dict):
    """A mapping that remembers the location of itself, each key and each value."""

    __slots__ = ("_file", "_start", "_keys", "_values", "wrong")

    def __init__(self, loc: Loc) -> None:
        """An empty mapping said to be at ``loc`` (the builder makes its own, with :func:`_new_map`)."""
        super().__init__()
        self._file: Positions | str = loc.file
        self._start: Loc | int = loc
        self._keys: dict = {}
        self._values: dict = {}
        self.wrong: frozenset[str] | None = None  # keys of the wrong type, once the loader has checked them

    @property
    def loc(self) -> Loc:
        return _loc_of(self._file, self._start)

    @property
    def key_locs(self) -> LocView:
        return LocView(self._file, self._keys)

    @property
    def value_locs(self) -> LocView:
        return LocView(self._file, self._values)

    def key_span(self, key: str) -> SourceSpan:
        """Where ``key`` is written (cheaper than ``key_locs[key].span`` when only the span is needed)."""
        return _span_of(self._file, self._keys[key])

    def value_span(self, key: str) -> SourceSpan:
        return _span_of(self._file, self._values[key])


class LList(list):
    """A list that remembers the location of itself and of each item."""

    __slots__ = ("_file", "_start", "_items")

    def __init__(self, loc: Loc) -> None:
        """An empty list said to be at ``loc`` (the builder makes its own, with :func:`_new_seq`)."""
        super().__init__()
        self._file: Positions | str = loc.file
        self._start: Loc | int = loc
        self._items: list = []

    @property
    def loc(self) -> Loc:
        return _loc_of(self._file, self._start)

    @property
    def item_locs(self) -> LocView:
        return LocView(self._file, self._items)

    def item_span(self, index: int) -> SourceSpan:
        return _span_of(self._file, self._items[index])


@dataclass(slots=True)
class SourceFile:
    """A story file read from disk: its name as reported, its text, and the data (or None)."""

    name: str
    text: str
    data: Any


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return dx.translate("A ': ' inside a text starts a new key: put the whole text in quotes, or use 'text: |' on its own line.")
    if "\\t" in problem or "tab" in problem:
        return dx.translate("YAML does not allow tabs for indentation: indent with spaces.")
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return dx.translate("The indentation of this line does not match its neighbours: line it up with the keys of the same level.")
    if "found undefined alias" in problem:
        return dx.translate("An alias (*name) must refer to an anchor (&name) defined before it in the same file.")
    return dx.hint("ER001")


#: A line whose value starts with a quote: ``text: "…``, ``- "…``, ``- text: '…``.
_OPENS_QUOTE = re.compile(r"^[ \t]*(?:-[ \t]+)?(?:[^\s:#'\"][^:#]*:[ \t]+)?(?:-[ \t]+)?([\"'])")
#: A line that looks like a key of its own (``    choices:``, ``      - text: Go``).
_LOOKS_LIKE_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?[A-Za-z_][\w-]*:(?:[ \t]|$)")
#: A key glued to its value (``goto:herb_talk``).
_GLUED_KEY = re.compile(r"(?<![\w:/])([A-Za-z_][\w-]*):([^\s:/][^\s]*)")


def _closing_quote(text: str, start: int, quote: str) -> int:
    """Where the quoted scalar opened at ``start`` ends, as a YAML parser sees it (-1: never)."""
    i = start + 1
    while i < len(text):
        c = text[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and text.startswith("''", i):
                i += 2
                continue
            return i
        i += 1
    return -1


def _unclosed_quote(text: str, before_line: int) -> tuple[int, int, str] | None:
    """The last quoted value opened before line ``before_line`` (1-based) that swallows the lines after it.

    A quote left open makes the parser read the following lines as part of the text
    up to the next quote in the file, and it complains only there, usually many lines
    later and about indentation. A quoted value whose text runs over a line that looks
    like a key of its own is almost surely such a quote.
    """
    lines = text.split("\n")
    offset = 0
    found = None
    for number, line in enumerate(lines[:before_line], 1):
        match = _OPENS_QUOTE.match(line)
        if match:
            start = offset + match.start(1)
            end = _closing_quote(text, start, match.group(1))
            swallowed = text[start:end if end >= 0 else len(text)].split("\n")[1:]
            if any(_LOOKS_LIKE_KEY.match(s) for s in swallowed):
                found = (number, match.start(1) + 1, match.group(1))
        offset += len(line) + 1
    return found


_KEY_OF_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*):")
_BLOCK_TEXT = re.compile(r":[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _tab_indent(lines: list[str], upto: int) -> tuple[int, int] | None:
    """The first line (1-based, up to ``upto``) with a tab in its indentation, and the tab's column."""
    for number, line in enumerate(lines[:upto], 1):
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip() and not line.lstrip().startswith("#"):
            return number, indent.index("\t") + 1
    return None


def _misindented(lines: list[str], upto: int) -> tuple[int, str, str] | None:
    """The line (1-based, at most ``upto``) whose indentation matches no level above it: (line, message, hint).

    A YAML parser notices an indentation slip only where the structure can no longer
    be read, often a line later and naming another block. Walking the levels of
    indentation as a writer sees them finds the line that is off: a line indented
    between two open levels ("- " one space short), or a block whose first key is
    deeper than the next (a key one space too deep), where both lines are named.
    """
    levels: list[list[int]] = [[0, 0, 0]]  # [indent, the line that opened it, lines at that indent]
    usual: dict[int, set[int]] = {}  # parent indent -> the indents its blocks' lines have had (twice or more)
    opened = False  # the line before ended with ':' (or was a bare '-'): a deeper line is a child
    previous = 0
    block = -1  # inside a 'key: |' text deeper than this indent
    for number, line in enumerate(lines[:upto], 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if block >= 0:
            if indent > block:
                continue
            block = -1
        while len(levels) > 1 and levels[-1][0] > indent:
            first, first_line, count = levels.pop()
            parent = levels[-1][0]
            if count > 1:
                usual.setdefault(parent, set()).add(first)
            if parent < indent:  # between two levels: this line is off, or the block's only line before it
                if count == 1:
                    at = first_line if indent in usual.get(parent, ()) else number
                    fix = (_("Indent lines {first_line} and {line} the same: the keys of one block line up exactly "
                             "(the other blocks here use {indent}).") if at == first_line else
                           _("Indent lines {first_line} and {line} the same: the keys of one block line up exactly."))
                    return (at, _("line {line} is indented {indent} spaces, but line {first_line}, the first line of "
                                  "its block, is indented {first}").format(line=number, indent=indent,
                                                                           first_line=first_line, first=first),
                            fix.format(first_line=first_line, line=number, indent=indent))
                return (number, _("this line is indented {indent} spaces, which matches no line above it (the lines "
                                  "of line {first_line}'s block are indented {first}, their parent {parent})").format(
                                      indent=indent, first_line=first_line, first=first, parent=parent),
                        _("Line it up with the lines of its level: {first} spaces, as line {first_line}, or {parent} "
                          "spaces, as line {parent_line} (a '- ' under the '- ' items above it, a key under the keys "
                          "of its block).").format(first=first, first_line=first_line, parent=parent,
                                                   parent_line=levels[-1][1]))
        if indent == levels[-1][0]:
            levels[-1][2] += 1
        elif opened:
            levels.append([indent, number, 1])
        elif _LOOKS_LIKE_KEY.match(line):  # a key deeper than the line above, which has a value
            return _deeper_key(levels, usual, number, indent, previous)
        item = stripped.startswith("- ") or stripped == "-"
        if item and ":" in stripped[2:] and not stripped.endswith(":"):
            levels.append([indent + 2 + len(stripped[2:]) - len(stripped[2:].lstrip(" ")), number, 1])
        opened = stripped.endswith(":") or stripped == "-"
        previous = number
        if _BLOCK_TEXT.search(line):
            block, opened = indent, False
    return None


def _deeper_key(levels: list[list[int]], usual: dict[int, set[int]], number: int, indent: int,
                previous: int) -> tuple[int, str, str]:
    """A key line deeper than the line above it, which has a value: this line is off, or the '- ' above is.

    YAML reads such a line as more of the value above, and complains of a ': ' in it.
    When the line above is a list item whose '- ' is indented unlike the other items
    of the same kind in the file, the '- ' is the line to fix.
    """
    top = levels[-1][0]
    if len(levels) >= 3 and levels[-1][1] == previous == levels[-2][1]:  # the line above is '- key: value'
        dash, parent = levels[-2][0], levels[-3][0]
        others = sorted(usual.get(parent, set()) - {dash})
        if others and dash not in usual.get(parent, set()):
            return (previous, _("this '- ' is indented {indent} spaces, but the other items of such lists are "
                                "indented {usual}").format(indent=dash, usual=others[0]),
                    _("Indent it {usual} spaces; the lines of its item (line {line} on) then line up under its first "
                      "key.").format(usual=others[0], line=number))
    return (number, _("this line is indented {indent} spaces, deeper than the key on line {previous} ({top} spaces), "
                      "so it is read as more of that key's value").format(indent=indent, previous=previous, top=top),
            _("Line it up with the key above it ({top} spaces), or, if the line above is the one that is off, indent "
              "that one to match its neighbours.").format(top=top))


def _explain(text: str, problem: str, context: str | None, line: int, col: int,
             context_line: int | None, context_col: int | None) -> tuple[int, int, str, str]:
    """A syntax error in a writer's words: (line, column, message, hint).

    libyaml says what its grammar expected ("did not find expected '-' indicator
    (while parsing a block collection)"); a writer needs to know what is wrong with
    the line and what to type instead.
    """
    lines = text.split("\n")
    quoted = _unclosed_quote(text, line)
    if quoted is not None and (quoted[0] < line or "quoted scalar" in (context or "")):
        qline, qcol, quote = quoted
        message = (_("the text opened with a quote at line {start} never closes (the lines after it were read as "
                     "part of the text, up to line {line})") if quote == '"' else
                   _("the text opened with an apostrophe (') at line {start} never closes (the lines after it were "
                     "read as part of the text, up to line {line})"))
        key = _KEY_OF_LINE.match(lines[qline - 1]) if qline <= len(lines) else None
        fix = (_("Close the text with {quote} at its end, or remove the opening {quote}; a {quote} inside the text "
                 "must be written {escaped}, or use '{key}: |'.") if key else
               _("Close the text with {quote} at its end, or remove the opening {quote}; a {quote} inside the text "
                 "must be written {escaped}."))
        return (qline, qcol, message.format(start=qline, line=line),
                fix.format(quote=quote, escaped=quote * 2 if quote == chr(39) else chr(92) + quote,
                           key=key.group(1) if key else ""))
    tab = _tab_indent(lines, line)
    if tab is not None:
        return (tab[0], tab[1], _("this line is indented with a tab"),
                _("YAML indents with spaces only: replace the tab with spaces, lined up with the lines around it "
                  "(most editors can 'Convert Indentation to Spaces')."))
    if any(words in problem for words in ("did not find expected", "expected <block end>",
                                          "mapping values are not allowed")):
        off = _misindented(lines, min(line + 1, len(lines)))
        if off is not None:
            return (off[0], 1 + len(lines[off[0] - 1]) - len(lines[off[0] - 1].lstrip(" ")), off[1], off[2])
    if "could not find expected ':'" in problem and context_line is not None:
        glued = _GLUED_KEY.search(lines[context_line - 1]) if context_line <= len(lines) else None
        if glued:
            key, value = glued.groups()
            return (context_line, glued.start() + 1,
                    _("'{written}' needs a space after the colon").format(written=f"{key}:{value}"),
                    _("Write '{fixed}': YAML reads a key only when a space follows its ':'.").format(
                        fixed=f"{key}: {value}"))
        return (context_line, context_col or 1, _("this line is text where a 'key: value' line was expected"),
                _("Put the text on the line of its key (text: ...), or indent it under 'text: |'."))
    if "did not find expected '-' indicator" in problem:
        return (line, col, _("this line stands where the next list item ('- ') was expected, but does not start "
                             "with '- '"),
                _("If it belongs to the item above, indent it two more spaces, under that item's first key; if it "
                  "is a new item, start it with '- '."))
    if "did not find expected key" in problem or "expected <block end>" in problem:
        message = (_("this line is indented differently from the keys above it (the block that starts at line "
                     "{start})").format(start=context_line) if context_line else
                   _("this line is indented differently from the keys above it"))
        return (line, col, message, _syntax_hint(problem))
    if "mapping values are not allowed" in problem:
        return (line, col, _("a ': ' inside this value starts a new key"), _syntax_hint(problem))
    if "found character '\\t'" in problem or "found character '\t'" in problem:
        return (line, col, _("a tab is used for indentation"), _syntax_hint("tab"))
    detail = problem if not context or context == problem else f"{problem} ({context})"
    return line, col, detail, _syntax_hint(problem)


_new_dict, _new_list = dict.__new__, list.__new__


def _new_map(file: Positions, start_event) -> LMap:
    """An empty LMap, made without the generality of ``LMap.__init__`` (the builder makes tens of thousands)."""
    result = _new_dict(LMap)
    result._file, result._keys, result._values, result.wrong = file, {}, {}, None
    result._start = start_event.start_mark.index << 32 | start_event.end_mark.index
    return result


def _new_seq(file: Positions, start_event) -> LList:
    result = _new_list(LList)
    result._file, result._items = file, []
    result._start = start_event.start_mark.index << 32 | start_event.end_mark.index
    return result


class _Builder:
    """Builds LMap/LList/scalars from a YAML event stream and collects diagnostics."""

    def __init__(self, name: str, text: str, events) -> None:
        self.name = name
        self.text = text
        self.positions = Positions(name, text)
        self.next_event = events
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict[str, tuple[Any, int, Loc]] = {}
        # No honest file has more values than half its characters; aliases that would
        # expand beyond that are a "billion laughs" bomb and are refused early.
        self.limit = len(text) // 2 + 1000
        self.budget = self.limit
        self.exhausted = False
        self.resolved: dict[str, Any] = {}  # plain scalar text -> the value it resolved to

    def loc(self, event) -> Loc:
        return Loc(self.name, event.start_mark, event.end_mark, getattr(event, "style", None) or "")

    def value(self, event) -> tuple[Any, int]:
        """The value that starts with ``event``, and how many values it holds (for the alias budget)."""
        cls = event.__class__
        if cls is _Scalar:
            result, size = self.scalar(event), 1
        elif cls is _MapStart:
            result, size = self.mapping(event)
        elif cls is _SeqStart:
            result, size = self.sequence(event)
        elif cls is _Alias:
            return self.alias(event)
        else:  # pragma: no cover - the parser guarantees one of the above here
            raise yaml.YAMLError(f"unexpected {cls.__name__}")
        anchor = event.anchor
        if anchor is not None:
            self.anchors[anchor] = (result, size, self.loc(event))
        return result, size

    def alias(self, event) -> tuple[Any, int]:
        if event.anchor not in self.anchors:  # libyaml reports this itself; the pure parser does not
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                              event.start_mark)
        result, size, _depth = self.anchors[event.anchor]
        self.budget -= size
        if self.budget < 0 and not self.exhausted:
            self.exhausted = True
            self.diagnostics.append(dx.make("ER005", self.loc(event).span, limit=self.limit))
        return (None, 1) if self.exhausted else (result, size)

    def mapping(self, start) -> tuple[LMap, int]:
        if start.tag not in (None, "!", _TAG + "map"):
            self.refuse(start)
        result = _new_map(self.positions, start)
        keys, values = result._keys, result._values
        size = 1
        next_event, resolved = self.next_event, self.resolved
        while True:
            key_event = next_event()
            kind = key_event.__class__
            if kind is not _Scalar:
                if kind is _MapEnd:
                    break
                # A list or mapping used as a key: consume it and its value
                key_loc = self.loc(key_event)
                self.value(key_event)
                self.value(next_event())
                self.diagnostics.append(dx.make(
                    "ER011", key_loc.span, key=_("a key"), expected=_("a plain word"), got=_("a list or mapping"),
                    fix=_("Keys are plain words such as 'text' or a node id.")))
                continue
            value_event = next_event()
            tag = key_event.tag
            if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
                self.refuse(key_event)
                self.value(value_event)
                continue
            key = key_event.value
            if key in result:
                self.value(value_event)
                self.diagnostics.append(dx.make("ER006", self.loc(key_event).span, key=key,
                                                first=result.key_locs[key].span.line))
                continue
            if value_event.__class__ is _Scalar and value_event.tag is None and value_event.anchor is None:
                # The common case, inline: a scalar with no tag and no anchor.
                text = value_event.value
                # Only short words (yes, No, true, null…) or text starting with a digit or a sign
                # can be anything but a string, so long words skip the resolver's regexes; and
                # the numbers and words that do need them ("4", "-7", "0.09", "n12") recur, so
                # what each resolves to is remembered.
                if value_event.implicit[0] and text[:1] in _RESOLVERS and (len(text) <= 5 or not text[0].isalpha()):
                    value = resolved.get(text, _UNSEEN)
                    if value is _UNSEEN:
                        reported = len(self.diagnostics)
                        value = self.scalar(value_event)
                        if len(self.diagnostics) == reported and len(resolved) < 10_000:
                            resolved[text] = value
                else:
                    value = text
                size += 1
            else:
                value, count = self.value(value_event)
                size += count
            result[key] = value
            keys[key] = key_event.start_mark.index << 32 | key_event.end_mark.index
            values[key] = value_event.start_mark.index << 32 | value_event.end_mark.index
        if start.tag not in (None, "!", _TAG + "map"):
            return None, size  # type: ignore[return-value]
        return result, size

    def sequence(self, start) -> tuple[LList, int]:
        items = _new_seq(self.positions, start)
        locs = items._items
        size = 1
        next_event = self.next_event
        while True:
            event = next_event()
            if event.__class__ is _SeqEnd:
                break
            value, count = self.value(event)
            size += count
            items.append(value)
            locs.append(event.start_mark.index << 32 | event.end_mark.index)
        if start.tag not in (None, "!", _TAG + "seq"):
            self.refuse(start)
            return None, size  # type: ignore[return-value]
        return items, size

    def scalar(self, event) -> Any:
        value = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted or block text: always a string
                return value
            for resolved, regexp in _RESOLVERS.get(value[:1], ()):
                if regexp.match(value):
                    return self.typed(event, resolved[len(_TAG):])
            return value
        kind = _PLAIN_TAGS.get(tag)
        if kind is None:
            return self.refuse(event)
        return self.typed(event, kind)

    def typed(self, event, kind: str) -> Any:
        value = event.value
        try:
            if kind == "int":
                try:
                    return self.bounded(event, int(value))
                except ValueError:
                    return self.bounded(event, _constructor.construct_yaml_int(yaml.ScalarNode(_TAG + "int", value)))
            if kind == "float":
                return self.bounded(event, _constructor.construct_yaml_float(yaml.ScalarNode(_TAG + "float", value)))
            if kind == "bool":
                return value.lower() in ("true", "yes", "on")
            if kind == "null":
                return None
        except (ValueError, TypeError):
            self.diagnostics.append(dx.make("ER011", self.loc(event).span, key=f"'{value}'",
                                            expected=_("a valid {kind}").format(kind=kind), got=_("text"),
                                            fix=_("Quote it to keep it as text.")))
            return None
        return value  # str, and timestamps: a date written in a text stays text

    def bounded(self, event, number: int | float) -> int | float:
        """A number as written; reported as ER008 where it is infinite, NaN or too large to play with.

        The value itself is kept (the reader resolves YAML exactly as PyYAML does); the
        error keeps the story from being played.
        """
        problem = number_problem(number)
        if problem:
            self.diagnostics.append(dx.make("ER008", self.loc(event).span, value=event.value, problem=problem))
        return number

    def refuse(self, event) -> None:
        self.diagnostics.append(dx.make("ER004", self.loc(event).span, tag=event.tag.replace(_TAG, "!!")))
        return None


def _events(text: str):
    """A function returning the next parse event, from libyaml when available."""
    if _Parser is not None:
        return _Parser(text).get_event
    return iter(yaml.parse(text, Loader=yaml.SafeLoader)).__next__


def parse_yaml(name: str, raw: bytes) -> tuple[SourceFile, list[Diagnostic]]:
    """Parse one story file's bytes. Never raises: problems come back as diagnostics."""
    if len(raw) > MAX_FILE_BYTES:
        return SourceFile(name, "", None), [dx.make("ER002", SourceSpan(name, 1, 1), size=len(raw), limit=MAX_FILE_BYTES)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = position_of(good, len(good))
        detail = _("byte {byte} at line {line}, column {column}").format(byte=f"0x{raw[exc.start]:02x}", line=line,
                                                                          column=col)
        return SourceFile(name, "", None), [dx.make("ER003", SourceSpan(name, line, col), detail=detail)]
    # libyaml skips a byte order mark without counting it: drop them all (some editors
    # write two), so that character indexes stay the same as libyaml's.
    text = text.lstrip("\ufeff")
    try:
        next_event = _events(text)
        next_event()  # StreamStart
        first = next_event()
        if first.__class__ is yaml.StreamEndEvent:
            return SourceFile(name, text, None), []
        builder = _Builder(name, text, next_event)
        data, _end = builder.value(next_event())  # after DocumentStart
        next_event()  # DocumentEnd
        after = next_event()
        if after.__class__ is not yaml.StreamEndEvent:
            raise yaml.composer.ComposerError("expected a single document in the stream", first.start_mark,
                                              "but found another document", after.start_mark)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or _("the file could not be read as YAML")
        cmark = exc.context_mark
        line, col, detail, hint = _explain(text, problem, exc.context, line, col,
                                           cmark.line + 1 if cmark else None, cmark.column + 1 if cmark else None)
        return SourceFile(name, text, None), [
            dx.Diagnostic("ER001", dx.Severity.ERROR, detail, SourceSpan(name, line, col), hint)
        ]
    except yaml.YAMLError as exc:  # e.g. a reader error for a control character
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = str(getattr(exc, "problem", None) or getattr(exc, "reason", None) or exc).splitlines()[0]
        return SourceFile(name, text, None), [
            dx.Diagnostic("ER001", dx.Severity.ERROR, message, SourceSpan(name, line, col), dx.hint("ER001"))
        ]
    except RecursionError:
        return SourceFile(name, text, None), [
            dx.Diagnostic("ER001", dx.Severity.ERROR, _("the file is nested too deeply"), SourceSpan(name, 1, 1),
                          _("Story files need only a few levels of indentation."))
        ]
    return SourceFile(name, text, data), builder.diagnostics


def locate_in(source: SourceFile, loc: Loc, offset: int, snippet: str, occurrence: int = 0) -> SourceSpan:
    """The position of ``snippet`` found at character ``offset`` of the scalar at ``loc``.

    In plain and quoted one-line scalars the offset maps straight to a column. In block
    text, line folding and indentation break that mapping, so we look for the snippet
    in the scalar's stretch of the file instead, which is exact for any text a writer
    can recognise.
    """
    if loc.style in ("", '"', "'") and loc.span.line == loc.span.end_line:
        return loc.span.shifted(offset + (1 if loc.style else 0))
    if snippet and source.text:
        # ``occurrence`` earlier copies of the snippet come before it in the text: skip as many
        end = max(loc.end, loc.start + 1)
        found = source.text.find(snippet, loc.start, end)
        for _time in range(occurrence):
            if found < 0:
                break
            found = source.text.find(snippet, found + len(snippet), end)
        if found >= 0:
            line, col = position_of(source.text, found)
            return SourceSpan(loc.span.file, line, col, line, col + len(snippet))
    return loc.span
