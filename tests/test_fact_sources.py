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


SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(params=["en", "ko", ("ko", (1024, 600))], ids=["en", "ko", "ko-1024x600"])
def projector(request, tmp_path):
    """The facilitator's projector (1280x720 unless given) at the start of the shipped story, in a language."""
    import pygame

    from game.classroom.facilitation import Facilitation, FacilitatorSettings
    from game.cli.classroom import projector_mode
    from game.l10n import set_language
    from game.story.loader import load_story
    from game.ui.app import App
    from game.ui.classroom.story import start_session

    lang, size = (request.param, (1280, 720)) if isinstance(request.param, str) else request.param
    set_language(lang)
    story = load_story(STORY, lang=lang)
    pygame.init()
    app = App(story, size=size, seed=1)
    projector_mode(app)
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    start_session(app, fac)
    yield app, fac, lang
    fac.close()
    app.close()
    pygame.quit()


def test_a_fact_card_shows_the_korean_source_in_korean_only(projector):
    import pygame
    from test_classroom_korean_layout import overflow

    from game.ui.classroom.facts import FactCardScene

    app, fac, lang = projector
    with_korean = [fid for fid, fact in app.story.facts.items() if fact.also_in("ko")]
    assert "arrivals_by_year" in with_korean
    for fid in with_korean:
        scene = FactCardScene(app, fac, [fid])
        app.push(scene)
        app.step(events=[])
        said = [b.text for b in scene.also_blocks]
        fact = app.story.facts[fid]
        korean = [s.source_title for s in fact.also if s.lang == "ko"]
        english = [s.source_title for s in fact.also if s.lang == "en"]
        if lang == "ko":
            assert said == ["한국어 출처: " + "; ".join(korean)], fid
        else:  # no Korean source on an English card; a second English report is "Also: …"
            assert said == (["Also: " + "; ".join(english)] if english else []), fid
        assert not overflow(app), f"fact {fid} ({lang}): drawn outside the window"
        if fid == "arrivals_by_year":  # the card with the most sources, once it has faded in
            for _frame in range(60):
                app.step(events=[])
            w, h = app.screen.get_size()
            name = "fact-card-sources"
            path = SHOTS / (f"{name}.png" if lang == "en" else f"{name}-{lang}.png") if (w, h) == (1280, 720) \
                else SHOTS / lang / f"{w}x{h}-{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            pygame.image.save(app.screen, str(path))
        app.pop()


def test_the_terminal_debrief_line_gives_the_korean_source_in_korean_only():
    from game.l10n import set_language
    from game.story.loader import load_story
    from game.textui import TextGame

    for lang in ("en", "ko"):
        set_language(lang)
        fact = load_story(STORY, lang=lang).facts["covid_border_closure_2020"]
        line = TextGame.fact_line(fact)
        assert "https://en.yna.co.kr/view/AEN20210120003100325" in line
        if lang == "ko":
            assert line.endswith("; 한국어 출처: 뉴데일리, 2024: https://www.newdaily.co.kr/site/data/html/2024/04/30/"
                                 "2024043000327.html; 동아일보 (뉴시스), 2022: "
                                 "https://donga.com/news/Politics/article/all/20220120/111337892/1)"), line
        else:
            assert "뉴데일리" not in line and "한국어" not in line


def test_the_hover_of_a_fact_lists_every_further_source():
    from game.lsp.features import describe
    from game.lsp.index import Occurrence

    story = analyse(STORY).story
    fact = story.facts["women_share_defectors"]
    text = describe(story, Occurrence("fact", "women_share_defectors", fact.span))
    assert "Also (ko): 동아일보 (뉴시스), 2022, https://donga.com/news/Politics/article/all/20220120/111337892/1" in text


def test_the_language_server_completes_the_keys_of_a_further_source():
    from game.lsp.features import parent_keys, schema_keys, schema_place

    lines = (FACT_HEAD + GOOD + "        \n").splitlines()
    chain = parent_keys(lines, len(lines) - 1, 8)
    assert chain == ["facts", "arrivals", "also"]
    place = schema_place("facts", chain)
    assert place == "factSource"
    assert set(schema_keys()[place]) == {"source", "source_title", "lang", "quote", "where", "checked"}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_students_debrief_page_gives_the_korean_sources_when_the_class_runs_in_korean(tmp_path, lang):
    import random
    import secrets

    from game.classroom.journeys import ClassJourneys, JourneySettings, journey_map
    from game.engine.engine import Engine
    from game.l10n import set_language
    from game.story.loader import load_story

    set_language(lang)
    story = load_story(STORY, lang=lang)
    where = journey_map(story)
    journeys, writer = ClassJourneys.create(Engine(story), JourneySettings("same", False, 2010, False),
                                            tmp_path / "class.jsonl", name="9B", places=where.places,
                                            route_points=where.route_points)
    token = secrets.token_urlsafe(18)
    journeys.join(token)
    rnd = random.Random(4)
    for _ in range(500):
        page = journeys.page(token)
        if page["ending"]:
            break
        open_ = [c["index"] for c in page["choices"] if c["available"]]
        assert journeys.choose(token, page["step"], rnd.choice(open_))[0] == "ok"
    facts = {f["id"]: f for f in journeys.page(token)["ending"]["facts"]}
    writer.close()
    covid = facts["covid_border_closure_2020"]  # a "since 2010" fact: on every ending page
    if lang == "ko":
        assert covid["also"] == {"cite": "한국어 출처: 뉴데일리, 2024; 동아일보 (뉴시스), 2022",
                                 "sources": ["https://www.newdaily.co.kr/site/data/html/2024/04/30/2024043000327.html",
                                             "https://donga.com/news/Politics/article/all/20220120/111337892/1"]}
    else:
        assert covid["also"] is None
    assert all(f["also"] is None for f in facts.values() if not story.facts[f["id"]].also)


def test_a_second_english_report_is_linked_in_english_as_also():
    """mekong_cargo_boats cites "(Pattaya Mail, 2014)" in its text: that report is a further source with its
    address and quote, shown in English as "Also: …" (the main sources are English), and not in Korean."""
    from game.l10n import set_language
    from game.story.loader import load_story
    from game.story.model import also_line
    from game.textui import TextGame

    try:
        set_language("en")
        fact = load_story(STORY).facts["mekong_cargo_boats"]
        assert "(Pattaya Mail, 2014)" in fact.text
        assert [s.source_title for s in fact.also_in("en")] == ["Pattaya Mail, 2014"]
        assert also_line(fact, "en") == "Also: Pattaya Mail, 2014"
        assert TextGame.fact_line(fact).endswith(
            "; Also: Pattaya Mail, 2014: http://www.pattayamail.com/thailandnews/"
            "15-north-korean-nationals-arrested-for-illegal-entry-38436)")
        set_language("ko")
        assert also_line(load_story(STORY, lang="ko").facts["mekong_cargo_boats"], "ko") == ""
    finally:
        set_language("en")


def test_no_fact_names_a_source_in_its_text_that_it_does_not_link():
    """A "(Outlet, year)" in a fact's text is its main source or one of its further sources, never a bare name
    a reader cannot follow (the 2013 claim in vientiane_embassy_route had none, and was taken out)."""
    story = analyse(STORY).story
    for fid, fact in story.facts.items():
        for outlet, year in re.findall(r"\(([A-Z][A-Za-z .]+?),? (?:c\. )?(\d{4})\)", fact.text):
            titles = [fact.source_title, *(s.source_title for s in fact.also)]
            assert any(outlet in t and year in t for t in titles), f"{fid}: '({outlet}, {year})' has no link"
