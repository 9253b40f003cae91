"""Story text templates: {name}, {if …}{elif …}{else}{end}, {{ and }} for braces."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.story import expr as ex
from game.story import template as tpl

ENV = SimpleNamespace(vars={"cash": 120, "days": 3, "trust": 0}, items={"phone"}, visits={"river": 1})


def show(name: str, value: object) -> str:
    return f"<{name}={value}>"


def render(text: str) -> str:
    return tpl.Template(tpl.parse_template(text))(ENV, show)


@pytest.mark.parametrize(("text", "expected"), [
    ("Plain words.", "Plain words."),
    ("Day {days}.", "Day <days=3>."),
    ("Day { days }.", "Day <days=3>."),
    ("{if cash > 100}rich{else}poor{end}", "rich"),
    ("{if cash > 500}rich{elif has(phone)}phone{else}poor{end}", "phone"),
    ("{if trust > 0}kind{end}.", "."),
    ("{if visited(river)}{if cash > 1}a{else}b{end}{end}", "a"),
    ("Braces: {{ and }}, {{days}}.", "Braces: { and }, {days}."),
    ("", ""),
])
def test_renders(text, expected):
    assert render(text) == expected


@pytest.mark.parametrize(("text", "message", "offset", "snippet", "code"), [
    ("a } b", "a lone '}': write '}}' for a brace in the text", 2, "}", "ER034"),
    ("a { b", "a lone '{': write '{{' for a brace in the text", 2, "{", "ER034"),
    ("a {b {c}", "the '{b' opened here is never closed with '}'", 2, "{", "ER034"),
    ("{if}x{end}", "'{if}' needs a condition", 0, "{if}", "ER034"),
    ("x{else}y", "'{else}' without an '{if}' before it", 1, "{else}", "ER034"),
    ("x{end}", "'{end}' without an '{if}' before it", 1, "{end}", "ER034"),
    ("{if cash}a{else}b{elif days}c{end}", "'{elif}' without an '{if}' before it", 17, "{elif days}", "ER034"),
    ("ab{if cash > 1}never closed", "'{if cash > 1}' is never closed with '{end}'", 2, "{if cash > 1}", "ER034"),
    ("{cash days}", "'{cash days}' is neither a name nor {if …}, {elif …}, {else} or {end}", 0, "{cash days}",
     "ER034"),
    ("{if cash >}x{end}", "expected a number, a name or '(', got the end of the expression", 10, "{if cash >}",
     "ER031"),
])
def test_errors_say_what_and_where(text, message, offset, snippet, code):
    with pytest.raises(tpl.TemplateError) as caught:
        tpl.parse_template(text)
    assert (caught.value.message, caught.value.offset, caught.value.snippet, caught.value.code) == \
        (message, offset, snippet, code)


def test_value_offsets_point_at_the_name():
    text = "Day {  days }, {if cash > 1}{cash}{end}"
    found = [(kind, payload if kind == "value" else payload[0], offset) for kind, payload, offset in
             tpl.names_in(tpl.parse_template(text))]
    assert found == [("value", "days", 7), ("cond", "cash > 1", 19), ("value", "cash", 29)]
    for _kind, payload, offset in found:
        assert text[offset:].startswith(payload)


def test_templates_and_programs_pickle_and_render_the_same():
    template = tpl.Template(tpl.parse_template("Day {days}: {if has(phone)}call{else}wait{end}"))
    program = ex.Program(ex.parse("max(cash - 20, 0) / 2"))
    assert template(ENV, show) == "Day <days=3>: call"  # compiled now; the copies compile afresh
    copy_template, copy_program = pickle.loads(pickle.dumps((template, program)))
    assert copy_template(ENV, show) == template(ENV, show)
    assert copy_program(ENV) == program(ENV) == 50


_PIECES = st.sampled_from(["{", "}", "{{", "}}", " ", "a", "days", "if ", "else", "end", "elif ", "cash > 50",
                           "{if cash > 50}", "{else}", "{end}", "{days}", "{ cash }", "{if}", "{elif days}",
                           "\n", "é", "{x y}"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=10).map("".join))
def test_any_text_parses_or_fails_with_a_template_error_inside_it(text):
    try:
        parts = tpl.parse_template(text)
    except tpl.TemplateError as exc:
        assert 0 <= exc.offset <= len(text)
        assert exc.snippet and (exc.code == "ER031" or text[exc.offset:].startswith(exc.snippet))
        return
    rendered = tpl.Template(parts)(ENV, show)
    if "{" not in text and "}" not in text:
        assert rendered == text


@given(st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=40))
def test_escaped_braces_round_trip(words):
    text = words.replace("a", "{{").replace("b", "}}")
    assert render(text) == words.replace("a", "{").replace("b", "}")
