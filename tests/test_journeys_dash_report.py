"""`escape-route report` on class-journeys sessions, beside voting sessions: the HTML says what the class
debrief said (both from the record), the CSV has one anonymous row per choice, and it prints on A4."""

from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, STORY
from game.classroom import session as s
from game.classroom.journeys import class_debrief
from game.classroom.report import journeys_csv, load_sessions, render_html
from game.cli.main import main
from game.story.loader import load_story
from game.story.model import ENDING_KIND_LABELS

sys.path.insert(0, str(REPO / "tools"))
from journeys_standin import StandInRoom  # noqa: E402


@pytest.fixture(scope="module")
def story():
    return load_story(STORY)


@pytest.fixture
def journeys_record(tmp_path, story):
    room = StandInRoom(story, tmp_path / "9B-journeys.jsonl", luck="own", seed=11, allow_undo=True,
                       nicknames=True, name="9B <History>")
    room.join(30)
    rng = random.Random(4)
    room.play(60, rng)
    assert room.journeys.set_nickname(room.tokens[0], "Zebulon") == "Zebulon"
    token = room.tokens[1]
    assert room.choose_once(rng, token)
    assert room.journeys.undo(token, room.journeys.page(token)["step"])[0] == "ok"   # one choice taken back
    room.finish_all(rng)
    room.journeys.end()
    room.close()
    return room.writer.path


def test_the_report_tells_what_the_debrief_told(journeys_record):
    debrief = class_debrief(s.read_session(journeys_record))
    loaded = load_sessions([journeys_record])
    assert not loaded.sessions and [j.debrief for j in loaded.journeys] == [debrief]
    page = render_html(loaded)
    assert "<h2>Class journeys: 9B &lt;History&gt;</h2>" in page and "<History>" not in page
    assert "each their own luck (seed 11)" in page and "students could go back one decision" in page
    for kind, n in debrief.endings_by_kind:
        assert f"<tr><td class=n><b>{n}</b></td><td><b>{ENDING_KIND_LABELS[kind]}</b></td>" in page
    assert "Two students who chose alike could still meet different ends" in page
    split = debrief.splits[0]
    text, n, _ = split.options[0]
    assert f"<b>{split.title}</b>" in page and f"<td class=n>{n}</td>" in page
    assert page.count('<svg class="chart"') >= 4          # the endings, money, days, risks that fell
    assert "Zebulon" not in page                          # a nickname never leaves the teacher page


def test_the_csv_has_one_anonymous_row_per_choice_and_marks_the_one_taken_back(journeys_record):
    record = s.read_session(journeys_record)
    rows = list(csv.DictReader(io.StringIO(journeys_csv(load_sessions([journeys_record])))))
    chose = [e for e in record.events if e["type"] == s.CHOSE]
    assert len(rows) == len(chose) and {r["luck"] for r in rows} == {"own"}
    assert sum(r["undone"] == "yes" for r in rows) == 1
    assert {r["student"] for r in rows} <= {str(n) for n in range(1, 31)}
    assert "Zebulon" not in journeys_csv(load_sessions([journeys_record]))
    debrief = class_debrief(record)
    finished = {r["student"] for r in rows if r["ending_kind"]}
    assert len(finished) == debrief.finished


def test_a_report_over_votes_and_journeys_writes_two_tables(tmp_path, journeys_record, story, capsys):
    from game.classroom.facilitation import Facilitation, FacilitatorSettings

    vote = tmp_path / "vote.jsonl"
    fac = Facilitation.start(story, FacilitatorSettings(name="9B History", seed=3), path=vote)
    decision = fac.open_vote()
    fac.close_vote(decision.open_indices[0], "facilitator")
    fac.close()
    out, table = tmp_path / "r.html", tmp_path / "t.csv"
    assert main(["report", str(vote), str(journeys_record), "-o", str(out), "--csv", str(table)]) == 0
    said = capsys.readouterr().out
    assert f"2 sessions, votes in {table}, journeys' choices in {tmp_path / 't-journeys.csv'}" in said
    page = out.read_text(encoding="utf-8")
    assert "1 voting, 1 class journeys" in page and "How the votes split" in page and "Class journeys: 9B" in page
    assert table.read_text(encoding="utf-8").startswith("session_file,date,session,group,decision")
    assert (tmp_path / "t-journeys.csv").read_text(encoding="utf-8").startswith("session_file,date,session,luck")


def test_the_journeys_report_prints_on_a4_pages(tmp_path, journeys_record):
    """Headless Chromium prints it to PDF; each page is rendered with pdftoppm and holds ink."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdftoppm") is None:
        pytest.skip("Chromium and poppler-utils (pdftoppm) are needed for the print check")
    out = tmp_path / "report.html"
    assert main(["report", str(journeys_record), "-o", str(out)]) == 0
    pdf = tmp_path / "report.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    out.as_uri()], capture_output=True, timeout=120, check=False)
    assert pdf.exists()
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 2 <= len(pages) <= 6
    import pygame

    for path in pages:
        image = pygame.image.load(str(path))
        assert abs(image.get_width() / image.get_height() - 210 / 297) < 0.02       # A4 portrait
        ink = sum(1 for x in range(0, image.get_width(), 2) for y in range(0, image.get_height(), 2)
                  if sum(image.get_at((x, y))[:3]) < 450)
        assert ink > 200, path.name                                                   # no empty page
        if path == pages[0]:  # the first page holds the summary, not a heading alone
            lower = sum(1 for x in range(0, image.get_width(), 2) for y in range(image.get_height() // 3,
                        image.get_height(), 2) if sum(image.get_at((x, y))[:3]) < 450)
            assert lower > 200
