"""Story text with values and conditions: ``{cash}``, ``{if has(phone)}…{else}…{end}``.

A template is parsed once at load into a small tree of parts, checked with the same
scope as expressions, and compiled to a render function. ``{{`` and ``}}`` are
literal braces.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from game.errors import ExprError
from game.l10n import _
from game.story import expr as ex
from game.story.limits import MAX_NESTING


@dataclass(frozen=True, slots=True)
class Literal:
    text: str


@dataclass(frozen=True, slots=True)
class Value:
    name: str
    offset: int  # 0-based character offset of the name in the template


@dataclass(frozen=True, slots=True)
class Cond:
    """``{if}`` with its ``{elif}`` branches; each branch is (condition source, tree, offset, parts)."""

    branches: tuple[tuple[str, ex.Expr, int, tuple[Part, ...]], ...]
    otherwise: tuple[Part, ...]


Part = Literal | Value | Cond


class TemplateError(ExprError):
    """A template problem; ``offset`` is the 0-based character offset in the template, ``snippet`` the text there."""

    def __init__(self, message: str, offset: int, snippet: str, code: str = "ER034", hint: str = "") -> None:
        super().__init__(message, offset + 1, hint)
        self.offset = offset
        self.snippet = snippet
        self.code = code


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: How much of a tag left open its message quotes ("'{if exposure >= 30 He…' … is never closed").
_SHOWN_OPEN = 24


@dataclass(slots=True)
class _Open:
    """An ``{if}`` being parsed: its branches so far, the else-branch once seen, and where it began."""

    branches: list[tuple[str, ex.Expr, int, list[Part]]]
    otherwise: list[Part] | None
    outer: list[Part]
    offset: int
    snippet: str


@functools.lru_cache(maxsize=4096)
def _read_tag(raw: str) -> tuple:
    """What the text between a tag's braces says, with offsets counted from the opening brace.

    One of ``("value", name, at)``, ``("if" or "elif", condition, tree, at)``,
    ``("else",)``, ``("end",)`` or ``("error", message, at, code)``. Cached: the same
    few tags (``{cash}``, ``{else}``, ``{if has(phone)}``) recur in text after text. An
    error's message is a function that says it in the language spoken when it is raised,
    since the cache outlives a change of language.
    """
    inner = raw.strip()
    lead = 1 + len(raw) - len(raw.lstrip())  # where ``inner`` starts
    word, _space, rest = inner.partition(" ")
    if not rest and word not in ("if", "elif", "else", "end") and _NAME.fullmatch(inner):
        return ("value", inner, lead)
    if word in ("if", "elif"):
        if not rest.strip():
            return ("error", lambda: _("'{tag}' needs a condition").replace("{tag}", "{" + word + "}", 1), 0, "ER034")
        at = lead + len(word) + 1 + (len(rest) - len(rest.lstrip()))
        try:
            tree = ex.parse(rest)
        except ExprError as exc:
            return ("error", lambda: _expr_problem(rest), at + exc.column - 1, "ER031")
        return (word, rest.strip(), tree, at)
    if word in ("else", "end") and not rest:
        return (word,)
    # Filled by hand, not str.format: the message itself shows the tags {if …} and {else}.
    return ("error", lambda: _("'{tag}' is neither a name nor {if …}, {elif …}, {else} or {end}").replace(
        "{tag}", "{" + raw + "}", 1), 0, "ER034")


def _expr_problem(text: str) -> str:
    """What is wrong with the condition ``text``, in the language spoken now."""
    try:
        ex.parse(text)
    except ExprError as exc:
        return exc.message
    return ""  # pragma: no cover - called only for a condition that failed to parse


def is_value_tag(tag: str) -> bool:
    """Whether ``tag`` (braces included) shows a value, like ``{cash}``, rather than choosing."""
    return _read_tag(tag[1:-1])[0] == "value"


def parse_template(text: str) -> tuple[Part, ...]:
    """Parse template text; raises TemplateError at the first malformed tag.

    Tags are found with ``str.find`` rather than a regular expression, and what a
    tag says is cached: a story has tens of thousands of texts, and scanning for two
    characters in C is several times faster than a regex trying its alternatives at
    every position.
    """
    stack: list[_Open] = []
    parts: list[Part] = []
    pos, find = 0, text.find
    while True:
        opening, closing = find("{", pos), find("}", pos)
        if opening < 0 and closing < 0:
            break
        if closing >= 0 and (opening < 0 or closing < opening):  # a '}' outside any tag
            if text.startswith("}}", closing):
                parts.append(Literal(text[pos:closing + 1]))
                pos = closing + 2
                continue
            raise TemplateError(_("a lone '}': write '}}' for a brace in the text"), closing, "}")
        if text.startswith("{{", opening):
            parts.append(Literal(text[pos:opening + 1]))
            pos = opening + 2
            continue
        following = find("{", opening + 1)
        if closing < 0 or 0 <= following < closing:
            raise _unclosed(text, opening, following)
        if opening > pos:
            parts.append(Literal(text[pos:opening]))
        pos = closing + 1
        tag = _read_tag(text[opening + 1:closing])
        kind = tag[0]
        if kind == "value":
            parts.append(Value(tag[1], opening + tag[2]))
            continue
        whole = text[opening:pos]
        if kind == "error":
            raise TemplateError(tag[1](), opening + tag[2], whole, tag[3])
        if kind == "if":
            if len(stack) >= MAX_NESTING:
                raise TemplateError(_("'{if}' tags are nested more than {count} deep here").replace(
                    "{count}", str(MAX_NESTING)), opening, whole)
            stack.append(_Open([], None, parts, opening, whole))
        elif kind == "elif":
            if not stack or stack[-1].otherwise is not None:
                raise TemplateError(_("'{elif}' without an '{if}' before it"), opening, whole)
        elif kind == "else":
            if not stack or stack[-1].otherwise is not None:
                raise TemplateError(_("'{else}' without an '{if}' before it"), opening, whole)
            parts = stack[-1].otherwise = []
            continue
        else:  # end
            if not stack:
                raise TemplateError(_("'{end}' without an '{if}' before it"), opening, whole)
            done = stack.pop()
            parts = done.outer
            parts.append(Cond(tuple((c, t, o, tuple(p)) for c, t, o, p in done.branches),
                              tuple(done.otherwise or ())))
            continue
        parts = []
        stack[-1].branches.append((tag[1], tag[2], opening + tag[3], parts))
    if stack:
        raise TemplateError(_("'{tag}' is never closed with '{end}'").replace("{tag}", stack[-1].snippet, 1),
                            stack[-1].offset, stack[-1].snippet)
    if pos < len(text):
        parts.append(Literal(text[pos:]))
    return tuple(parts)


def _unclosed(text: str, opening: int, following: int) -> TemplateError:
    """The error for a '{' that no '}' closes before the next '{' or the end of the text.

    A '{' right before a letter starts a tag (``{if …``, ``{else``, ``{end``, ``{cash``)
    whose '}' was forgotten: the writer is told that, with the tag's first words, not
    to double a brace they never meant as one.
    """
    if not _NAME.match(text, opening + 1):
        return TemplateError(_("a lone '{': write '{{' for a brace in the text"), opening, "{")
    stop = min(i for i in (following, text.find("\n", opening), len(text)) if i >= 0)
    shown = text[opening:stop].rstrip()
    if len(shown) > _SHOWN_OPEN:  # cut at a space, so the quote ends on a whole word
        cut = shown.rfind(" ", 0, _SHOWN_OPEN + 1)
        shown = shown[:cut if cut > _SHOWN_OPEN // 2 else _SHOWN_OPEN].rstrip() + "…"
    return TemplateError(_("the '{tag}' opened here is never closed with '}'").replace("{tag}", shown, 1), opening,
                         "{", hint=_("Close the tag with '}' where it ends, as in {if cash >= 30}…{end} or {cash}; for "
                                     "a brace in the text, write '{{'."))


def names_in(parts: tuple[Part, ...]):
    """Yield (kind, payload, offset) for every name and condition, for the checker."""
    for part in parts:
        if isinstance(part, Value):
            yield "value", part.name, part.offset
        elif isinstance(part, Cond):
            for source, tree, offset, inner in part.branches:
                yield "cond", (source, tree), offset
                yield from names_in(inner)
            yield from names_in(part.otherwise)


Renderer = Callable[[ex.Env, Callable[[str, object], str]], str]


class Template:
    """Checked story text that compiles itself to a render function the first time it is shown.

    Called as ``template(env, show_value)``, where ``show_value(name, value)`` formats
    ``{name}``. Compiling on first use keeps loading fast (a playthrough shows a few
    hundred of a story's texts) and keeps the model picklable: a Template pickles as
    its parts, which lets the loader build chapters in worker processes.
    """

    __slots__ = ("parts", "_render")

    def __init__(self, parts: tuple[Part, ...]) -> None:
        self.parts = parts
        self._render: Renderer | None = None

    @classmethod
    def plain(cls, text: str) -> Template:
        """Text shown exactly as written (no tags, or tags that failed their check)."""
        return cls((Literal(text),))

    def __call__(self, env: ex.Env, show: Callable[[str, object], str]) -> str:
        render = self._render
        if render is None:
            render = self._render = compile_template(self.parts)
        return render(env, show)

    def __reduce__(self) -> tuple[type[Template], tuple[tuple[Part, ...]]]:
        return Template, (self.parts,)


def compile_template(parts: tuple[Part, ...]) -> Renderer:
    """A function (env, show_value) → text; ``show_value(name, value)`` formats ``{name}``."""
    if not parts:
        return lambda env, show: ""
    if len(parts) == 1 and isinstance(parts[0], Literal):
        text = parts[0].text
        return lambda env, show: text
    steps: list[Renderer] = []
    for part in parts:
        if isinstance(part, Literal):
            steps.append(lambda env, show, t=part.text: t)
        elif isinstance(part, Value):
            steps.append(lambda env, show, n=part.name: show(n, env.vars.get(n)))
        else:
            branches = tuple((ex.compile_expr(tree), compile_template(inner))
                             for _, tree, _, inner in part.branches)
            otherwise = compile_template(part.otherwise)

            def pick(env, show, branches=branches, otherwise=otherwise):
                for test, render in branches:
                    if test(env):
                        return render(env, show)
                return otherwise(env, show)

            steps.append(pick)
    return lambda env, show: "".join(step(env, show) for step in steps)


_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def paragraphs(text: str) -> tuple[str, ...]:
    """Split rendered text into paragraphs: blank lines separate, single line breaks join."""
    result = []
    for block in _BLANK_LINE.split(text.strip()):
        para = " ".join(line.strip() for line in block.splitlines() if line.strip())
        para = re.sub(r" {2,}", " ", para)
        if para:
            result.append(para)
    return tuple(result)


def neutral(parts: tuple[Part, ...]) -> str:
    """The text as a reader would see it, without a journey to decide it: for the writer tools' lists.

    A value is "…" (its amount depends on the journey); an ``{if}`` shows what it may
    say, each way, in square brackets: ``ask about {if visited(x)}her cousin{else}the
    post{end}`` reads "ask about [her cousin / the post]", and a branch that says nothing
    is left out ("[The phone is warm.]" for an ``{if}`` without ``{else}``).
    """
    out: list[str] = []
    for part in parts:
        if isinstance(part, Literal):
            out.append(part.text)
        elif isinstance(part, Value):
            out.append("…")
        else:
            # each way on one line, so that the brackets open and close on the same line
            ways = [" ".join(neutral(inner).split()) for *_, inner in (*part.branches, ((), (), (), part.otherwise))]
            said = list(dict.fromkeys(way for way in ways if way))
            if said:
                out.append("[" + " / ".join(said) + "]")
    return "".join(out)


def as_read(source: str) -> str:
    """``source`` (template text) as :func:`neutral` shows it; text that does not parse is shown as written."""
    if "{" not in source and "}" not in source:
        return source
    try:
        return neutral(parse_template(source))
    except TemplateError:
        return source
