"""The class report holds the facts the game promises it holds, and says plainly how each vote went.

The trial: the projector's debrief says "2 more facts behind this journey, with their
sources, are in the class report", but the report listed only "hyesan_changbai_lights
×1"; the journeys report listed raw ids; "then undone the facilitator overrode the vote"
ran on; "0 fell (listed under 'The risks that fell')" pointed at a missing section.
Sessions of the shipped story are played through the real facilitation (votes, an
override, a rollback, a fact card), then reported, in English and in Korean.
"""

from __future__ import annotations

import html
import random
import re
import sys

from conftest import REPO, STORY
from game.classroom import session as s
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.classroom.report import load_sessions, render_html
from game.classroom.sources import source_line
from game.engine.history import SINCE_2010_FACTS
from game.l10n import set_language
from game.story.loader import load_story

sys.path.insert(0, str(REPO / "tools"))
from journeys_standin import StandInRoom  # noqa: E402


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", page, flags=re.S))))


def played(tmp_path, story, decisions: int = 6):
    """A session of the shipped story: hands typed, an override, a rollback, a fact card on the projector."""
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "9b.jsonl")
    rng = random.Random(2)
    for n in range(decisions):
        if fac.ended:
            break
        view = fac.view()
        if n == 0 and view.facts:
            fac.fact_shown(view.facts[0])
        decision = fac.open_vote()
        pick = rng.choice(decision.open_indices)
        fac.keyboard.set(pick, 5)
        fac.close_vote(pick if n != 1 else decision.open_indices[-1], "vote" if n != 1 else "override")
        if n == 1:
            fac.rollback()
    fac.close()
    return fac.path


def test_the_voting_report_gives_each_fact_met_with_its_text_and_linked_source(tmp_path):
    story = load_story(STORY)
    path = played(tmp_path, story)
    record = s.read_session(path)
    met = []
    for event in record.of(s.NODE):
        met += [f for f in event.get("facts", []) if f not in met]
    assert len(met) >= 3
    page = render_html(load_sessions([path]))
    words = text_of(page)
    for fid in met:
        fact = story.facts[fid]
        assert " ".join(fact.text.split()) in words, fid
        assert f'<a href="{html.escape(fact.source, quote=True)}">{html.escape(fact.source_title, quote=True)}</a>' \
            in page, fid
    assert "fact card shown 1 time" in words
    assert "evidence: medium (one credible source)" in words
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+ ×\d", words)         # no raw ids with counts
    # How each vote went reads as sentences, not run on.
    assert "then undone the facilitator" not in words
    assert "undone later (the class went back)" in words and "The facilitator overrode the vote." in words
    # No pointer to a section that is not there.
    if "The risks that fell" not in re.findall(r"<h2>(.*?)</h2>", page):
        assert "listed under" not in words


def test_a_years_source_line_says_which_year_is_which():
    story = load_story(STORY)
    facts = story.facts
    assert source_line(facts["photos_carried"]) == 'Reuters, "The Wider Image: Escape from North Korea", 2018 · about 2001'
    same = next(f for f in facts.values() if f.source_title.endswith(f", {f.year}"))
    assert source_line(same) == same.source_title                      # "2013 · 2013" no more
    for fact in facts.values():
        assert not re.search(r"(\d{4}) · \1$", source_line(fact)), fact.id


def test_the_reports_facts_speak_korean_when_the_report_does(tmp_path):
    story = load_story(STORY)
    path = played(tmp_path, story, decisions=3)
    set_language("ko")
    korean = load_story(STORY, lang="ko")
    words = text_of(render_html(load_sessions([path])))
    fid = next(iter(s.read_session(path).of(s.NODE)))["facts"][0]
    assert " ".join(korean.facts[fid].text.split()) in words
    assert re.search("[\uac00-\ud7a3]", korean.facts[fid].text)


def test_the_journeys_report_gives_the_facts_with_their_sources_not_ids(tmp_path):
    story = load_story(STORY)
    room = StandInRoom(story, tmp_path / "j.jsonl", luck="same", seed=3, allow_undo=False, nicknames=False,
                       name="9B")
    room.join(6)
    rng = random.Random(5)
    room.play(20, rng)
    room.journeys.end()
    room.close()
    page = render_html(load_sessions([room.writer.path]))
    words = text_of(page)
    section = words[words.index("The facts the class saw most"):]
    assert "the texts and their sources are in the story's facts file" not in words
    debrief = load_sessions([room.writer.path]).journeys[0].debrief
    shown = [(f, n) for f, n in debrief.facts_seen if f not in SINCE_2010_FACTS]
    assert shown
    for fid, n in shown:
        fact = story.facts[fid]
        assert " ".join(fact.text.split()) in section, fid
        assert (f"seen by {n} student" + ("s" if n != 1 else "")) in section
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+ ×\d", section)


def test_the_debriefs_promise_is_kept(tmp_path):
    """What the projector's debrief leaves out "is in the class report": every fact of the journey is there."""
    from game.engine.history import facts_for

    story = load_story(STORY)
    path = played(tmp_path, story, decisions=8)
    record = s.read_session(path)
    journal = [{"node": e["node"]} for e in record.of(s.NODE)]
    ids = facts_for(story, journal, journal[-1]["node"])
    words = text_of(render_html(load_sessions([path])))
    assert all(" ".join(story.facts[f].text.split()) in words for f in ids)


def test_report_story_gives_the_facts_of_the_story_the_sessions_were_played_from(tmp_path, capsys):
    """A writer's own story: `report --story` gives its facts' texts, not the shipped story's (or none)."""
    import shutil

    from game.cli.main import main

    path = played(tmp_path, load_story(STORY))
    copy = tmp_path / "own"
    shutil.copytree(STORY, copy)
    (copy / "story.yaml").write_text((copy / "story.yaml").read_text(encoding="utf-8").replace(
        "map: ../assets/", f"map: {REPO}/assets/"), encoding="utf-8")
    facts = copy / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("    text: ", "    text: OWN EDITION. "),
                     encoding="utf-8")
    try:
        assert main(["report", str(path), "-o", str(tmp_path / "own.html"), "--story", str(copy)]) == 0
        assert main(["report", str(path), "-o", str(tmp_path / "shipped.html")]) == 0
    finally:
        set_language(None)
    assert "OWN EDITION." in (tmp_path / "own.html").read_text(encoding="utf-8")
    assert "OWN EDITION." not in (tmp_path / "shipped.html").read_text(encoding="utf-8")
