"""The LAN pages in the program's language: their HTML translated on the server, their scripts' words as data.

The static pages (game/lan/static) are written in English. When a server serves one,
it is rendered once per language and cached:

- every element marked ``data-i18n`` holds plain text only (no tags): that text,
  with its white space collapsed, is the message; it is replaced by ``_(message)``;
- ``<html lang="…">`` names the language the page now speaks;
- the words of the page's own scripts (every ``t("…")`` and ``tn("…", "…", n)`` in
  them) are put into the page as a JSON data block,
  ``<script type="application/json" id="strings">``, which the browser never runs (the
  strict ``script-src 'self'`` CSP still holds); ``l10n.js`` reads it and gives the
  scripts ``t`` and ``tn``.

The same two readers feed Babel (``babel.cfg``): :func:`extract_html` is the extractor
for the marked elements, and Babel's own ``javascript`` extractor finds ``t`` and ``tn``,
so ``tools/i18n_interface.py --check`` fails while a new page string is missing from the
catalog. A test checks that :func:`script_messages` finds exactly what Babel finds.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from game.l10n import _, language, ngettext

__all__ = ["MarkedText", "extract_html", "marked", "render", "script_messages", "scripts_of", "strings_block"]

#: An element marked for translation: ``<tag … data-i18n …>plain text</tag>``.
_MARK = re.compile(r"<(?P<tag>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>[^<>]*?\sdata-i18n(?:=\"\")?(?=[\s>])[^<>]*)>"
                   r"(?P<text>[^<]*)</(?P=tag)\s*>")
_ANY_MARK = re.compile(r"\sdata-i18n\b")
_LANG = re.compile(r"<html lang=\"[^\"]*\"")
_SCRIPT_SRC = re.compile(r"<script src=\"/(?P<name>[\w.-]+\.js)\"")
_STRING = r"\"(?:[^\"\\\n]|\\.)*\""
#: ``t("…")`` and ``tn("…", "…", …)`` with double-quoted literals (the pages' scripts use no other form).
_CALL = re.compile(rf"(?<![\w.$])(?P<fn>tn?)\(\s*(?P<one>{_STRING})(?:\s*,\s*(?P<two>{_STRING}))?")
#: The numbers a plural's form is worked out for (JavaScript cannot run gettext's rule: the CSP forbids eval).
PLURAL_SPAN = 200


class MarkedText(NamedTuple):
    """One marked element: its line, its message, and where its text is in the source."""

    line: int
    message: str
    start: int
    end: int


def marked(source: str) -> list[MarkedText]:
    """Every element marked ``data-i18n`` in an HTML page, in order.

    ``ValueError`` (with its line) for a marked element the pages cannot translate: one that
    holds a tag, or is empty. The extractor and the renderer both read through here, so what
    Babel extracts is exactly what the server replaces.
    """
    found: list[MarkedText] = []
    matched: set[int] = set()
    for m in _MARK.finditer(source):
        line = source.count("\n", 0, m.start()) + 1
        message = " ".join(html.unescape(m.group("text")).split())
        if not message:
            raise ValueError(f"line {line}: an element marked data-i18n has no text")
        found.append(MarkedText(line, message, m.start("text"), m.end("text")))
        mark = _ANY_MARK.search(m.group("attrs"))
        assert mark is not None
        matched.add(m.start("attrs") + mark.start())
    for m in _ANY_MARK.finditer(source):
        if m.start() not in matched:
            line = source.count("\n", 0, m.start()) + 1
            raise ValueError(f"line {line}: an element marked data-i18n must hold plain text only (no tags inside); "
                             "mark the inner elements instead")
    return found


def script_messages(source: str) -> Iterator[tuple[str, str | None]]:
    """The messages of a page script: (message, its plural or None) for every ``t("…")`` and ``tn("…", "…")``."""
    for m in _CALL.finditer(source):
        one = json.loads(m.group("one"))
        two = json.loads(m.group("two")) if m.group("fn") == "tn" and m.group("two") else None
        yield one, two


def scripts_of(page: str) -> list[str]:
    """The static scripts a page loads (``<script src="/name.js">``), in order."""
    return [m.group("name") for m in _SCRIPT_SRC.finditer(page)]


def strings_block(messages: Iterable[tuple[str, str | None]]) -> str:
    """The scripts' words in the current language, as the page's JSON data block (never executed).

    Only translated messages are listed (a missing one is shown in English). A plural is its
    forms and, when it has more than one, the form for each number below :data:`PLURAL_SPAN`
    (the script takes ``100 + n % 100`` above it), worked out here by gettext's own rule.
    """
    table: dict[str, Any] = {}
    for message, plural in messages:
        if plural is None:
            said = _(message)
            if said != message:
                table[message] = said
            continue
        said_for = [ngettext(message, plural, n) for n in range(PLURAL_SPAN)]
        if said_for[1] == message and said_for[2] == plural:
            continue  # not translated: the script's own English rule
        forms = list(dict.fromkeys(said_for))
        table[message] = forms[0] if len(forms) == 1 else [forms, [forms.index(s) for s in said_for]]
    data = json.dumps({"lang": language(), "messages": table}, ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, "</script" or "<!--" would end or confuse the block: "<" is written as its escape.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="strings">{data}</script>'


def render(page: str, script: Callable[[str], str]) -> str:
    """``page`` (an HTML source) in the current language; ``script(name)`` reads one of its scripts' source."""
    out, at = [], 0
    for item in marked(page):
        out.append(page[at:item.start])
        out.append(html.escape(_(item.message), quote=False))
        at = item.end
    out.append(page[at:])
    text = _LANG.sub(f'<html lang="{language()}"', "".join(out), count=1)
    messages: dict[tuple[str, str | None], None] = {}
    for name in scripts_of(text):
        for message in script_messages(script(name)):
            messages[message] = None
    if messages:
        first = _SCRIPT_SRC.search(text)
        assert first is not None
        text = text[:first.start()] + strings_block(messages) + "\n" + text[first.start():]
    return text


def extract_html(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """Babel's extractor for a page's marked elements (babel.cfg: ``[game.lan.pages:extract_html: …]``)."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for item in marked(source):
        yield item.line, "_", item.message, []
