"""Every sentence a window scene draws goes through gettext, so Korean players never meet stray English.

A translator can only translate what Babel extracts: a literal passed straight to the
text renderer (``text.line("Space or a click shows the whole page", …)``) is drawn in
English whatever the language. This walks the front-ends' source and finds any call
given a literal of two or more words that is not wrapped in ``_()`` (or another
gettext function), apart from calls that never reach the screen.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRONT_ENDS = [*sorted((ROOT / "game" / "ui").rglob("*.py")), ROOT / "game" / "textui.py"]

#: Calls that take words but never show them: gettext itself, string methods, logging, paths.
NOT_SHOWN = frozenset({
    "_", "N_", "pgettext", "ngettext", "get", "startswith", "endswith", "split", "rsplit", "join", "replace",
    "strip", "rstrip", "lstrip", "removeprefix", "removesuffix", "partition", "encode", "getLogger", "Path",
    "compile", "search", "match", "sub", "debug", "info", "isinstance", "setdefault", "pop", "index", "count",
})
#: "THE END — {title} [{kind}]" closes every piped journey in every language: scripts and tests look for it.
MARKERS = ("THE END",)
WORDS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")


def _literal_words(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if WORDS.search(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return text if WORDS.search(text) else None
    return None


def test_no_front_end_draws_an_untranslated_sentence():
    found = []
    for path in FRONT_ENDS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            words = _literal_words(node.args[0])
            if words is not None and name not in NOT_SHOWN and not words.startswith(MARKERS):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}({words!r})")
    assert not found, "wrap these in _() and translate them:\n" + "\n".join(found)
