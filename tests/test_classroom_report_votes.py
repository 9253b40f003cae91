"""The report and the CSV tell a cancelled or unfinished vote from a decision, split phones from hands, and
lead with the spread of endings by kind (neutral labels and what each means)."""

from __future__ import annotations

import csv
import io

from test_classroom import CLASS

from conftest import write_story
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.classroom.report import load_sessions, render_html, votes_csv
from game.classroom.vote import KeyboardTally
from game.story.loader import load_story
from game.story.model import ENDING_KIND_LABELS, ENDING_KIND_MEANINGS


class Phones(KeyboardTally):
    name = "phones"


def test_cancelled_votes_phones_and_hands_and_the_endings_lead(tmp_path):
    story = load_story(write_story(tmp_path / "class", CLASS))
    fac = Facilitation.start(story, FacilitatorSettings(name="9B History", groups=2, group=1, seed=3),
                             path=tmp_path / "a.jsonl")
    phones = Phones()
    fac.sources.append(phones)
    decision = fac.open_vote()
    fac.keyboard.set(decision.open_indices[0], 2)
    fac.tally()
    fac.cancel_vote()                                        # Esc, then "Cancel this vote"
    decision = fac.open_vote()
    phones.set(decision.open_indices[0], 5)
    fac.keyboard.set(decision.open_indices[0], 3)
    fac.close_vote(decision.open_indices[0], "vote")
    while not fac.ended:
        decision = fac.open_vote()
        fac.close_vote(decision.open_indices[0], "facilitator")
    kind = fac.view().ending.kind
    fac.close()
    loaded = load_sessions([tmp_path / "a.jsonl"])
    rows = list(csv.DictReader(io.StringIO(votes_csv(loaded))))
    first = [r for r in rows if r["decision"] == "d1"]
    assert first and {r["status"] for r in first} == {"cancelled"} and {r["chosen"] for r in first} == {"no"}
    second = [r for r in rows if r["decision"] == "d2"]
    assert {(r["phones_total"], r["hands_total"]) for r in second} == {("5", "3")}
    assert all(r["date"][:2] == "20" for r in rows)
    page = render_html(loaded)
    assert "vote cancelled, no decision" in page and "5 phones, 3 hands" in page
    assert "reached safety" not in page
    lead = page.index("Where the journeys ended")
    assert page.index(ENDING_KIND_LABELS[kind]) > lead and ENDING_KIND_MEANINGS[kind].split(";")[0][:40] in page
    assert "9B History · Group 1 of 2" in page


def test_a_vote_open_at_a_crash_is_reopened_with_its_counts_and_ids_stay_unique(tmp_path):
    story = load_story(write_story(tmp_path / "class", CLASS))
    path = tmp_path / "b.jsonl"
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=3), path=path)
    decision = fac.open_vote()
    fac.close_vote(decision.open_indices[0], "facilitator")
    decision = fac.open_vote()
    fac.keyboard.set(decision.open_indices[0], 4)
    fac.tally()                                              # seen on screen: recorded
    fac.writer.close()                                       # the power goes (no tally, no choice)
    again = Facilitation.resume(story, path)
    assert again.pending is not None and again.pending.decision == decision.id
    reopened = again.open_vote()
    assert reopened.id == decision.id and again.tally() == {decision.open_indices[0]: 4}
    again.close_vote(decision.open_indices[0], "vote")
    if not again.ended:
        assert again.open_vote().id not in ("d1", decision.id)
    again.close()


def test_the_report_opens_with_a_one_page_summary_in_one_colour(tmp_path):
    """Page 1 is what a teacher hands a colleague: the spread of endings, the numbers, the sessions, the
    endings reached, and that every percentage is an estimate; the details start on page 2."""
    import random
    import sys

    from conftest import REPO, STORY
    from game.classroom.report import ENDING_COLOUR, write_report
    from game.story.loader import load_story

    sys.path.insert(0, str(REPO / "tests"))
    from test_classroom import play_session

    story = load_story(STORY)
    paths = []
    for g in (1, 2):
        path = tmp_path / f"g{g}.jsonl"
        play_session(story, path, 2024, random.Random(g * 7), name="9B", group=g, groups=2).close()
        paths.append(path)
    out = tmp_path / "report.html"
    write_report(paths, out)
    page = out.read_text(encoding="utf-8")
    summary = page[page.index('<section class="summary">'):page.index('<section class="pagebreak">')]
    for heading in ("Where the journeys ended", "Endings reached"):
        assert heading in summary
    assert "writers&#x27; estimate" in summary or "writers' estimate" in summary
    assert ".summary { break-after: page" in page and "The risks that fell</h2>" not in summary
    assert "#b3261e" not in page and "#2e7d4f" not in page and ENDING_COLOUR in summary


def test_chart_words_are_not_cut_at_the_edge(tmp_path):
    """"34 s in 5 pa…": the words after the longest discussion bar, and the money ticks, stay inside the chart."""
    import re
    import types

    from game.classroom.report import svg_discussion, svg_lines

    sessions = [types.SimpleNamespace(label=f"9B History · Group {g} of 4", colour="#000", discussion_seconds=secs,
                                      discussions=[None] * n, points=[{"vars": {"cash": v}} for v in (0, 35000, 40000)])
                for g, (secs, n) in enumerate(((286, 2), (2656, 21)), 1)]
    svg = svg_discussion(sessions)
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    for x, words in re.findall(r'<text x="([\d.]+)"[^>]*class="num">([^<]+)</text>', svg):
        assert float(x) + len(words) * 7.5 <= width, words
    lines = svg_lines(sessions, "cash", {"label": "Cash", "unit": "¥", "min": 0})
    for x, label in re.findall(r'<text x="([\d.-]+)"[^>]*text-anchor="end" class="tick">([^<]+)</text>', lines):
        assert float(x) - len(label) * 6.5 >= 0, label
