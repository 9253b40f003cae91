"""The story's small expression language: parsed by hand, checked, and run by our own interpreter.

Conditions, chances and computed effects are written as text in YAML, for example
``cash >= 150 and not winter_crossing`` or ``max(0.05, 0.3 - trust / 50)``. Python's
``eval`` would make every story file a program; instead the text is tokenised and
parsed here into a tree whose nodes carry their column, checked against what the
story declares, and compiled into small closures that only know numbers, booleans,
the declared names and five functions. There is no attribute access, no strings, no
indexing and no way to reach a Python builtin: the grammar cannot express them.

Grammar (one function per precedence level, as in jinja2's parser)::

    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
    sum     := product (("+"|"-") product)*
    product := unary (("*"|"/") unary)*
    unary   := "-" unary | "+" unary | atom
    atom    := NUMBER | "true" | "false" | NAME | NAME "(" args ")" | "(" or ")"
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from game.errors import ExprError
from game.l10n import _
from game.story.limits import MAX_NESTING, number_problem

NUMBER, BOOL = "number", "true/false"


class Env(Protocol):
    """What an expression may read: declared values, carried items and visit counts."""

    vars: dict[str, Any]
    items: set[str]
    visits: dict[str, int]


# ---------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num", "name", "op", "end"
    text: str
    col: int  # 1-based


_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|[-+*/(),<>]))")
_KEYWORDS = {"and", "or", "not", "true", "false"}


def tokenize(text: str) -> list[Token]:
    """Split an expression into tokens, or raise ExprError at the first character we don't know."""
    tokens: list[Token] = []
    pos, length = 0, len(text)
    while pos < length:
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            rest = text[pos:].lstrip()
            if not rest:
                break
            col = length - len(rest) + 1
            char = rest[0]
            if rest.startswith("=>"):  # the order of the signs as they are said: "equal or greater"
                raise ExprError(_("'=>' is not a comparison; write '>=' (greater than or equal)"), col)
            if rest.startswith("=<"):
                raise ExprError(_("'=<' is not a comparison; write '<=' (less than or equal)"), col)
            if char == "=":
                raise ExprError(_("'=' is not a comparison; write '==' to compare"), col)
            if char in "'\"":
                raise ExprError(_("text in quotes is not allowed in expressions"), col,
                                _("Conditions compare numbers and true/false values; names need no quotes."))
            if char in ".[]":
                raise ExprError(_("'{char}' is not allowed in expressions").format(char=char), col,
                                _("Expressions have no attributes or indexing: use a declared name."))
            raise ExprError(_("unexpected character '{char}'").format(char=char), col)
        number, name, op = match.groups()
        start = match.start(match.lastindex or 0) + 1
        if number is not None:
            tokens.append(Token("num", number, start))
        elif name is not None:
            tokens.append(Token("op" if name in _KEYWORDS else "name", name, start))
        else:
            tokens.append(Token("op", op, start))
        pos = match.end()
    tokens.append(Token("end", "", length + 1))
    return tokens


# ---------------------------------------------------------------- tree


@dataclass(frozen=True, slots=True)
class Num:
    value: float | int
    col: int


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool
    col: int


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    col: int


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-", "+", "not"
    operand: Expr
    col: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * / == != < <= > >= and or
    left: Expr
    right: Expr
    col: int


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[Expr, ...]
    col: int


Expr = Num | Bool | Name | Unary | Binary | Call


class _Parser:
    """Recursive descent over the token list; errors say what was expected and what was found."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, text: str) -> Token:
        if self.tok.text != text or self.tok.kind not in ("op",):
            raise ExprError(_("expected '{expected}', got {got}").format(expected=text, got=_describe(self.tok)),
                            self.tok.col)
        return self.take()

    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise ExprError(_("the expression is empty"), 1)
        expr = self.parse_or()
        if self.tok.kind != "end":
            raise ExprError(_("expected an operator or the end, got {got}").format(got=_describe(self.tok)),
                            self.tok.col)
        return expr

    def parse_or(self) -> Expr:
        left = self.parse_and()
        while self.tok.kind == "op" and self.tok.text == "or":
            col = self.take().col
            left = Binary("or", left, self.parse_and(), col)
        return left

    def parse_and(self) -> Expr:
        left = self.parse_not()
        while self.tok.kind == "op" and self.tok.text == "and":
            col = self.take().col
            left = Binary("and", left, self.parse_not(), col)
        return left

    def parse_not(self) -> Expr:
        if self.tok.kind == "op" and self.tok.text == "not":
            col = self.take().col
            return Unary("not", self.parse_not(), col)
        return self.parse_compare()

    def parse_compare(self) -> Expr:
        left = self.parse_sum()
        if self.tok.kind == "op" and self.tok.text in ("==", "!=", "<", "<=", ">", ">="):
            tok = self.take()
            left = Binary(tok.text, left, self.parse_sum(), tok.col)
            if self.tok.kind == "op" and self.tok.text in ("==", "!=", "<", "<=", ">", ">="):
                raise ExprError(_("comparisons cannot be chained; join them with 'and'"), self.tok.col)
        return left

    def parse_sum(self) -> Expr:
        left = self.parse_product()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            tok = self.take()
            left = Binary(tok.text, left, self.parse_product(), tok.col)
        return left

    def parse_product(self) -> Expr:
        left = self.parse_unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            tok = self.take()
            left = Binary(tok.text, left, self.parse_unary(), tok.col)
        return left

    def parse_unary(self) -> Expr:
        if self.tok.kind == "op" and self.tok.text in ("-", "+"):
            tok = self.take()
            return Unary(tok.text, self.parse_unary(), tok.col)
        return self.parse_atom()

    def parse_atom(self) -> Expr:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            value = float(tok.text) if "." in tok.text else int(tok.text)
            problem = number_problem(value)
            if problem:
                raise ExprError(_("the number {value} {problem}").format(value=tok.text, problem=problem), tok.col)
            return Num(value, tok.col)
        if tok.kind == "op" and tok.text in ("true", "false"):
            self.take()
            return Bool(tok.text == "true", tok.col)
        if tok.kind == "name":
            self.take()
            if self.tok.kind == "op" and self.tok.text == "(":
                self.take()
                args: list[Expr] = []
                if not (self.tok.kind == "op" and self.tok.text == ")"):
                    args.append(self.parse_or())
                    while self.tok.kind == "op" and self.tok.text == ",":
                        self.take()
                        args.append(self.parse_or())
                self.expect(")")
                return Call(tok.text, tuple(args), tok.col)
            return Name(tok.text, tok.col)
        if tok.kind == "op" and tok.text == "(":
            self.take()
            inner = self.parse_or()
            self.expect(")")
            return inner
        raise ExprError(_("expected a number, a name or '(', got {got}").format(got=_describe(tok)), tok.col)


def _describe(tok: Token) -> str:
    return _("the end of the expression") if tok.kind == "end" else f"'{tok.text}'"


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Expr:
    """Parse expression text into a tree, or raise ExprError with the column of the problem.

    Cached: trees are immutable, and the same conditions recur across a story and its
    texts' {if …} tags. Failures are not cached (lru_cache does not keep exceptions).
    """
    if not isinstance(text, str):
        raise ExprError(_("an expression must be text"), 1)
    if len(text) > 2000:
        raise ExprError(_("the expression is longer than {count} characters").format(count="2000"), 1)
    try:
        tree = _Parser(text).parse()
    except RecursionError:
        raise ExprError(_("the expression is nested more than {count} levels deep").format(count=MAX_NESTING), 1,
                        _("Split it, or name a part of it as a resource.")) from None
    if _depth(tree) > MAX_NESTING:
        raise ExprError(_("the expression is nested more than {count} levels deep").format(count=MAX_NESTING), 1,
                        _("Split it, or name a part of it as a resource."))
    return tree


def walk(tree: Expr) -> Iterator[Expr]:
    """Every node of an expression tree, without recursion (a tree may be deeper than the stack)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Unary):
            stack.append(node.operand)
        elif isinstance(node, Binary):
            stack.extend((node.left, node.right))
        elif isinstance(node, Call):
            stack.extend(node.args)


def reads(tree: Expr, into: set) -> None:
    """Add what an expression reads to ``into``: each value's name, and ('has', item), ('visited', node) or
    ('visits', node) for the functions. Walked without recursion, like :func:`_depth`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            into.add(node.name)
        elif isinstance(node, Unary):
            stack.append(node.operand)
        elif isinstance(node, Binary):
            stack.extend((node.left, node.right))
        elif isinstance(node, Call):
            if node.func in ("has", "visited", "visits") and node.args and isinstance(node.args[0], Name):
                into.add((node.func, node.args[0].name))
            else:
                stack.extend(node.args)


def _depth(tree: Expr) -> int:
    """How deep a tree goes, counted without recursion (the tree may be deeper than the stack)."""
    deepest, todo = 0, [(tree, 1)]
    while todo:
        node, depth = todo.pop()
        deepest = max(deepest, depth)
        if isinstance(node, Unary):
            todo.append((node.operand, depth + 1))
        elif isinstance(node, Binary):
            todo += [(node.left, depth + 1), (node.right, depth + 1)]
        elif isinstance(node, Call):
            todo += [(arg, depth + 1) for arg in node.args]
    return deepest


# ---------------------------------------------------------------- checking


@dataclass(frozen=True, slots=True)
class Scope:
    """The names an expression may use: resources are numbers, flags are true/false."""

    resources: frozenset[str]
    flags: frozenset[str]
    items: frozenset[str]
    nodes: frozenset[str]

    def names(self) -> list[str]:
        return sorted(self.resources | self.flags)


FUNCTIONS = {"visited": BOOL, "visits": NUMBER, "has": BOOL, "min": NUMBER, "max": NUMBER}


class CheckProblem(ExprError):
    """A problem found while checking a parsed expression; ``code`` is the catalogue code."""

    def __init__(self, code: str, message: str, column: int, name: str = "", candidates: Iterable[str] = (),
                 variant: str = "") -> None:
        super().__init__(message, column)
        self.code = code
        self.name = name
        self.candidates = list(candidates)
        #: What kind of ER030 it is ("undeclared", "item_needs_has", "flag_not_item", "resource_not_item",
        #: "not_node", "not_item"): the loader chooses the hint by it, never by the message's words.
        self.variant = variant


def check(expr: Expr, scope: Scope, expected: str | None = None) -> list[CheckProblem]:
    """Every problem in ``expr``: undeclared names, unknown functions, mixed types."""
    problems: list[CheckProblem] = []
    kind = _type_of(expr, scope, problems)
    if expected and kind and kind != expected and not problems:
        message = (_("this must be a condition (true or false), but it gives a number") if expected == BOOL
                   else _("this must be a number, but it gives true/false"))
        problems.append(CheckProblem("ER032", message, _col(expr)))
    return problems


def _col(expr: Expr) -> int:
    if isinstance(expr, Binary):
        return _col(expr.left)
    return expr.col


def _type_of(expr: Expr, scope: Scope, problems: list[CheckProblem]) -> str | None:
    if isinstance(expr, Num):
        return NUMBER
    if isinstance(expr, Bool):
        return BOOL
    if isinstance(expr, Name):
        if expr.name in scope.resources:
            return NUMBER
        if expr.name in scope.flags:
            return BOOL
        if expr.name in scope.items:
            problems.append(CheckProblem("ER030", _("'{name}' is an item: write has({name})").format(name=expr.name),
                                         expr.col, expr.name, [f"has({expr.name})"], "item_needs_has"))
            return BOOL
        problems.append(CheckProblem("ER030", _("'{name}' is not declared").format(name=expr.name), expr.col,
                                     expr.name, scope.names(), "undeclared"))
        return None
    if isinstance(expr, Unary):
        inner = _type_of(expr.operand, scope, problems)
        want = BOOL if expr.op == "not" else NUMBER
        if inner and inner != want:
            message = (_("'{op}' needs numbers, not true/false values") if want == NUMBER
                       else _("'{op}' needs true/false values, not numbers"))
            problems.append(CheckProblem("ER032", message.format(op=expr.op), expr.col))
        return want
    if isinstance(expr, Binary):
        left = _type_of(expr.left, scope, problems)
        right = _type_of(expr.right, scope, problems)
        if expr.op in ("and", "or"):
            want, result = BOOL, BOOL
        elif expr.op in ("==", "!="):
            if left and right and left != right:
                message = (_("'{op}' compares numbers with true/false values") if left == NUMBER
                           else _("'{op}' compares true/false values with numbers"))
                problems.append(CheckProblem("ER032", message.format(op=expr.op), expr.col))
            return BOOL
        elif expr.op in ("<", "<=", ">", ">="):
            want, result = NUMBER, BOOL
        else:
            want, result = NUMBER, NUMBER
        for side in (left, right):
            if side and side != want:
                message = (_("'{op}' needs numbers on both sides, not true/false values") if want == NUMBER
                           else _("'{op}' needs true/false values on both sides, not numbers"))
                problems.append(CheckProblem("ER032", message.format(op=expr.op), expr.col))
                break
        return result
    if isinstance(expr, Call):
        return _type_of_call(expr, scope, problems)
    raise TypeError(expr)  # pragma: no cover


def _type_of_call(expr: Call, scope: Scope, problems: list[CheckProblem]) -> str | None:
    if expr.func not in FUNCTIONS:
        problems.append(CheckProblem("ER033", _("there is no function '{name}'").format(name=expr.func), expr.col,
                                     expr.func, list(FUNCTIONS)))
        return None
    if expr.func in ("visited", "visits", "has"):
        known = scope.items if expr.func == "has" else scope.nodes
        if len(expr.args) != 1 or not isinstance(expr.args[0], Name):
            message = (_("{func}() takes one name: an item") if expr.func == "has"
                       else _("{func}() takes one name: a node id"))
            problems.append(CheckProblem("ER033", message.format(func=expr.func), expr.col))
        elif expr.args[0].name not in known:
            arg = expr.args[0]
            if expr.func == "has" and arg.name in scope.flags:
                problems.append(CheckProblem("ER030", _("'{name}' is a flag, not an item: write {name} without "
                                                        "has()").format(name=arg.name), arg.col, arg.name,
                                             [arg.name], "flag_not_item"))
            elif expr.func == "has" and arg.name in scope.resources:
                problems.append(CheckProblem("ER030", _("'{name}' is a resource, not an item: compare it, as in "
                                                        "{name} > 0").format(name=arg.name), arg.col, arg.name, [],
                                             "resource_not_item"))
            elif expr.func == "has":
                problems.append(CheckProblem("ER030", _("'{name}' is not an item").format(name=arg.name), arg.col,
                                             arg.name, known, "not_item"))
            else:
                problems.append(CheckProblem("ER030", _("'{name}' is not a node id").format(name=arg.name), arg.col,
                                             arg.name, known, "not_node"))
        return FUNCTIONS[expr.func]
    if not expr.args:
        problems.append(CheckProblem("ER033", _("{func}() needs at least one number").format(func=expr.func), expr.col))
    for arg in expr.args:
        kind = _type_of(arg, scope, problems)
        if kind and kind != NUMBER:
            problems.append(CheckProblem("ER032", _("{func}() takes numbers, not true/false").format(func=expr.func),
                                         _col(arg)))
    return NUMBER


def conjuncts(tree: Expr) -> list[Expr]:
    """The parts of an ``and``, left to right (any other expression is its own only part)."""
    parts, todo = [], [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, Binary) and node.op == "and":
            todo += [node.right, node.left]
        else:
            parts.append(node)
    return parts


def threshold(node: Expr, resources: Iterable[str]) -> Binary | None:
    """``node`` when it is a resource compared with a number (``cash >= 80``), the part the game can word."""
    if isinstance(node, Binary) and node.op in (">=", ">", "<=", "<") and isinstance(node.left, Name) \
            and isinstance(node.right, Num) and node.left.name in resources:
        return node
    return None


def item_test(node: Expr) -> tuple[str, bool] | None:
    """``(item, True)`` for ``has(item)``, ``(item, False)`` for ``not has(item)``; None for anything else."""
    wanted = True
    if isinstance(node, Unary) and node.op == "not":
        node, wanted = node.operand, False
    if isinstance(node, Call) and node.func == "has" and node.args and isinstance(node.args[0], Name):
        return node.args[0].name, wanted
    return None


def worded(expr: Expr, resources: Iterable[str]) -> bool:
    """Whether the game can say why ``expr`` is false in its own words, whichever part of it fails.

    ``Engine.missing`` (``game.engine.engine``) words each part of an ``and`` that fails
    when it is a :func:`threshold` on a resource ("needs ¥80; you have ¥30") or an
    :func:`item_test` ("needs A Chinese phone"). A part it cannot word (``not visited(x)``,
    a flag, an ``or``) reaches the player as the condition itself ("needs not
    visited(hyesan crew office)"), so a choice with such a part needs the writer's
    ``reason:`` (ER038). Both use the two functions above, so they cannot drift apart.
    """
    known = set(resources)
    return all(threshold(part, known) is not None or item_test(part) is not None for part in conjuncts(expr))


_OPPOSITE = {">": "<=", "<=": ">", ">=": "<", "<": ">=", "==": "!=", "!=": "=="}


def negates(a: Expr, b: Expr) -> bool:
    """True when ``b`` is plainly the negation of ``a`` (``x`` / ``not x``, ``debt > 0`` / ``debt <= 0``).

    The checker uses this to see that two conditional choices always leave one open,
    without solving conditions in general.
    """
    if isinstance(a, Unary) and a.op == "not":
        return same(a.operand, b)
    if isinstance(b, Unary) and b.op == "not":
        return same(b.operand, a)
    if isinstance(a, Binary) and isinstance(b, Binary) and _OPPOSITE.get(a.op) == b.op:
        return same(a.left, b.left) and same(a.right, b.right)
    return False


def same(a: Expr, b: Expr) -> bool:
    """Structural equality that ignores columns."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (Num, Bool)):
        return a.value == b.value
    if isinstance(a, Name):
        return a.name == b.name
    if isinstance(a, Unary):
        return a.op == b.op and same(a.operand, b.operand)
    if isinstance(a, Binary):
        return a.op == b.op and same(a.left, b.left) and same(a.right, b.right)
    if isinstance(a, Call):
        return a.func == b.func and len(a.args) == len(b.args) and all(map(same, a.args, b.args))
    return False  # pragma: no cover


# ---------------------------------------------------------------- interpreter

Compiled = Callable[[Env], Any]


def compile_expr(expr: Expr) -> Compiled:
    """Turn a checked tree into a closure over an Env.

    Closures instead of walking the tree at each evaluation: the simulator evaluates
    conditions millions of times, and a closure call is several times cheaper than a
    dispatch on node type. Division by zero gives 0 rather than an error, so a story
    can never crash the game with a number.
    """
    if isinstance(expr, (Num, Bool)):
        value = expr.value
        return lambda env: value
    if isinstance(expr, Name):
        name = expr.name
        return lambda env: env.vars[name]
    if isinstance(expr, Unary):
        inner = compile_expr(expr.operand)
        if expr.op == "not":
            return lambda env: not inner(env)
        if expr.op == "-":
            return lambda env: -inner(env)
        return inner
    if isinstance(expr, Binary):
        return _compile_binary(expr.op, compile_expr(expr.left), compile_expr(expr.right))
    if isinstance(expr, Call):
        return _compile_call(expr)
    raise TypeError(expr)  # pragma: no cover


class Program:
    """A checked expression that compiles itself to a closure the first time it runs.

    Why not compile at load: a story's every expression is checked when it loads, but
    one playthrough evaluates only a few of them. And a tree, unlike a closure, can be
    pickled, which lets the loader build chapters in worker processes
    (:mod:`game.story.parallel`); a Program pickles as its tree.
    """

    __slots__ = ("tree", "_run")

    def __init__(self, tree: Expr) -> None:
        self.tree = tree
        self._run: Compiled | None = None

    def __call__(self, env: Env) -> Any:
        run = self._run
        if run is None:
            run = self._run = compile_expr(self.tree)
        try:
            return run(env)
        except (OverflowError, ValueError):
            # An integer too large for a float met a float (values grew without a bound the
            # story set). A story that checked clean must not crash: the answer is "nothing",
            # which is 0 for a number, false for a condition, and no change for an effect.
            return 0

    def __reduce__(self) -> tuple[type[Program], tuple[Expr]]:
        return Program, (self.tree,)

    def __repr__(self) -> str:
        return f"Program({show(self.tree)!r})"


def _divide(a: float, b: float) -> float:
    return a / b if b else 0


_BINARY: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compile_binary(op: str, left: Compiled, right: Compiled) -> Compiled:
    if op == "and":
        return lambda env: bool(left(env)) and bool(right(env))
    if op == "or":
        return lambda env: bool(left(env)) or bool(right(env))
    if op == ">=":
        return lambda env: left(env) >= right(env)
    if op == "<":
        return lambda env: left(env) < right(env)
    fn = _BINARY[op]
    return lambda env: fn(left(env), right(env))


def _compile_call(expr: Call) -> Compiled:
    if expr.func in ("visited", "visits", "has"):
        arg = expr.args[0].name if expr.args and isinstance(expr.args[0], Name) else ""
        if expr.func == "has":
            return lambda env: arg in env.items
        if expr.func == "visited":
            return lambda env: env.visits.get(arg, 0) > 0
        return lambda env: env.visits.get(arg, 0)
    args = tuple(compile_expr(a) for a in expr.args)
    pick = min if expr.func == "min" else max
    return lambda env: pick(a(env) for a in args)


# ---------------------------------------------------------------- showing


_SHOW = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}
_PRECEDENCE = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6}


def show(expr: Expr, label: Callable[[str], str] = str) -> str:
    """Write an expression back as readable text, with labels for names (for 'needs …' reasons)."""
    if isinstance(expr, Num):
        return f"{expr.value:g}" if isinstance(expr.value, float) else str(expr.value)
    if isinstance(expr, Bool):
        return "true" if expr.value else "false"
    if isinstance(expr, Name):
        return label(expr.name)
    if isinstance(expr, Unary):
        return ("not " if expr.op == "not" else expr.op) + _wrap(expr.operand, 7, label)
    if isinstance(expr, Binary):
        level = _PRECEDENCE[expr.op]
        return f"{_wrap(expr.left, level, label)} {_SHOW.get(expr.op, expr.op)} {_wrap(expr.right, level + 1, label)}"
    if isinstance(expr, Call):
        if expr.func == "has" and expr.args and isinstance(expr.args[0], Name):
            return label("has:" + expr.args[0].name)
        return f"{expr.func}({', '.join(show(a, label) for a in expr.args)})"
    raise TypeError(expr)  # pragma: no cover


def _wrap(expr: Expr, level: int, label: Callable[[str], str]) -> str:
    text = show(expr, label)
    if isinstance(expr, Binary) and _PRECEDENCE[expr.op] < level:
        return f"({text})"
    return text
