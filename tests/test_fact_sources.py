"""A fact's further sources (``also:``): loaded with their language, checked with positions, shown in their language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import STORY, TINY, write_story
from game.story.loader import analyse

FACT_HEAD = """\
facts:
  arrivals:
    text: Arrivals fell to 63 in 2021.
    source: https://example.org/en
    source_title: Example News, 2022
    year: 2021
    confidence: strong
    quote: "63 arrived."
    checked: "2026-11-30"
    also:
"""
GOOD = """\
      - source: https://example.org/ko
        source_title: 예시뉴스, 2022
        lang: ko
        quote: "지난해 1년 동안 탈북민 63명이 입국한 것으로 집계됐다."
        where: first paragraph
        checked: "2026-11-30"
"""


def load(tmp_path, also: str):
    """The tiny story with one fact whose ``also:`` list is ``also``; the river node links it."""
    chapter = TINY["01_river.yaml"].replace("    title: The river\n", "    title: The river\n    facts: [arrivals]\n")
    folder = write_story(tmp_path / "s", {**TINY, "01_river.yaml": chapter, "facts.yaml": FACT_HEAD + also})
    return analyse(folder)


def test_a_further_source_is_loaded_with_its_language_quote_and_date(tmp_path):
    analysis = load(tmp_path, GOOD)
    assert not analysis.errors, analysis.errors
    fact = analysis.story.facts["arrivals"]
    (ko,) = fact.also
    assert (ko.source, ko.source_title, ko.lang, ko.where, ko.checked) == (
        "https://example.org/ko", "예시뉴스, 2022", "ko", "first paragraph", "2026-11-30")
    assert ko.quote.startswith("지난해 1년 동안")
    assert (Path(ko.span.file).name, ko.span.line, ko.span.col) == ("facts.yaml", 11, 9)
    assert fact.also_in("ko") == (ko,) and fact.also_in("ko-KR") == (ko,) and fact.also_in("en") == ()


@pytest.mark.parametrize(("change", "code", "line", "col", "words"), [
    (("https://example.org/ko", "example.org/ko"), "ER014", 11, 17, "not a URL"),
    (('        quote: "지난해 1년 동안 탈북민 63명이 입국한 것으로 집계됐다."\n', ""), "ER012", 11, 9, "quote"),
    (('        checked: "2026-11-30"\n', ""), "ER012", 11, 9, "checked"),
    (('checked: "2026-11-30"', 'checked: "last week"'), "ER014", 16, 18, "not a date"),
    (("lang: ko", "lang: Korean!"), "ER014", 13, 15, "not a language code"),
    (("lang: ko", "lang: 82"), "ER011", 13, 15, "text"),
    (("where:", "were:"), "ER010", 15, 9, "where"),
    (("source_title: 예시뉴스, 2022", 'source_title: "  "'), "ER014", 12, 23, "empty"),
])
def test_a_bad_further_source_is_reported_where_it_is(tmp_path, change, code, line, col, words):
    old, new = change
    assert old in GOOD
    analysis = load(tmp_path, GOOD.replace(old, new))
    found = [d for d in analysis.diagnostics if d.code == code and Path(d.span.file).name == "facts.yaml"]
    assert found, [str(d) for d in analysis.diagnostics]
    diag = found[0]
    assert (diag.span.line, diag.span.col) == (line, col), str(diag)
    assert words in diag.message + (diag.hint or "")
    if code != "ER010":
        assert analysis.story is None or analysis.story.facts["arrivals"].also == ()


def test_a_further_source_that_is_not_a_mapping_is_reported(tmp_path):
    analysis = load(tmp_path, "      - https://example.org/ko\n")
    (diag,) = [d for d in analysis.diagnostics if d.code == "ER011"]
    assert (diag.span.line, diag.span.col) == (11, 9)
    assert "further source 1 of fact 'arrivals'" in diag.message


def test_every_further_source_of_the_shipped_facts_has_a_quote_a_date_and_a_language():
    story = analyse(STORY).story
    sources = [(fid, s) for fid, fact in story.facts.items() for s in fact.also]
    assert len(sources) >= 10
    for fid, s in sources:
        assert s.quote.strip() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.checked), fid
        assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", s.lang), fid
        assert s.source.startswith("https://") or s.source.startswith("http://"), fid
        if s.lang == "ko":
            assert re.search(r"[\uac00-\ud7a3]", s.quote), f"{fid}: a Korean source quotes Korean"
