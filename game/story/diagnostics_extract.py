"""Babel's extraction method for the checker's catalogue: every Entry's message template and hint.

The catalogue (``game/story/diagnostics.py``) keeps its messages as data, not as
``_("…")`` calls, so Babel's Python extractor cannot see them; this one reads the
file's syntax tree (nothing is imported or run) and yields each ``Entry(…)``'s
``title``, ``template``, ``hint`` and ``advice`` (the hint ``check --list-codes`` gives) as a message, with the code as the translator's
comment (an entry with a ``plural`` gives its template as a plural message, as
``ngettext`` would). It then runs Babel's own Python extractor on the same file, so an ordinary
``_("…")`` there is found too. ``babel.cfg`` maps the file to it:

    [extractors]
    diagnostics = game.story.diagnostics_extract:extract
    [diagnostics: **/story/diagnostics.py]

:func:`game.story.diagnostics.make` translates the template and hint with ``_()``
when it builds a diagnostic, so the catalogue is written once, in English.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

#: Entry's positional fields, in order (code, title, severity, template, hint, ...).
_FIELDS = ("code", "title", "severity", "template", "hint")
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _text(node: ast.expr | None) -> str | None:
    """The string a literal (or a sum of literals) spells, or None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return left + right if left is not None and right is not None else None
    return None


def translatable(text: str) -> bool:
    """Whether a template has words of its own (``{detail}`` alone is only data: nothing to translate)."""
    return bool(text) and any(ch.isalpha() for ch in _PLACEHOLDER.sub("", text))


def entries(source: str) -> Iterator[tuple[int, str, dict[str, str]]]:
    """``(line, code, {field: text})`` for every ``Entry(…)`` call in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Entry"):
            continue
        fields: dict[str, str] = {}
        for name, arg in zip(_FIELDS, node.args, strict=False):
            text = _text(arg)
            if text is not None:
                fields[name] = text
        for keyword in node.keywords:
            text = _text(keyword.value)
            if keyword.arg in (*_FIELDS, "plural", "advice") and text is not None:
                fields[keyword.arg] = text
        if "code" in fields:
            yield node.lineno, fields["code"], fields


def extract(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
            options: Mapping[str, Any]) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extraction interface: ``(line, function, message, comments)`` for each message."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, code, fields in sorted(entries(source), key=lambda item: item[0]):
        title = fields.get("title", "")
        if title:
            yield line, None, title, [f"checker {code}: the problem's name (check --list-codes)"]
        for name in ("template", "hint", "advice"):
            text = fields.get(name, "")
            if translatable(text):
                what = {"template": "message", "hint": "hint: how to fix it",
                        "advice": "how to fix any problem of the kind (check --list-codes)"}[name]
                comments = [f"checker {code} ({title}), {what}; keep every {{name}}"]
                if name == "template" and fields.get("plural"):
                    yield line, "ngettext", (text, fields["plural"]), comments
                else:
                    yield line, None, text, comments
    from babel.messages.extract import extract_python

    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
