"""The classroom core: the session record, rebuilding a session, the vote, content levels, the report, the guide."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO, STORY, TINY, write_story
from game.classroom import session as s
from game.classroom.content import SENSITIVE_NODES, content_note, veil_for
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.classroom.report import load_sessions, render_html, votes_csv, write_report
from game.classroom.vote import KeyboardTally, RandomTally, combine, settle
from game.engine.engine import Engine
from game.story.loader import load_story

CLASS = dict(TINY)
CLASS["story.yaml"] = TINY["story.yaml"].replace("start: river", "start: market") + (
    "debrief_questions:\n  - Was the guard worth the money?\n  - Who decided, and how?\n")
CLASS["00_market.yaml"] = """\
chapter: The Market
nodes:
  market:
    title: The market
    discuss: Would you leave?
    facts: [fact_one, fact_two]
    text: |
      The market is loud. You have {cash}.
    choices:
      - text: Go to the river
        effects: {days: 1}
        goto: river
      - text: Stay at home
        goto: home
  home:
    text: You stay.
    ending: {id: home, kind: stayed, title: At home}
"""
CLASS["facts.yaml"] = """\
facts:
  fact_one:
    text: The first fact, in the project's words.
    source: https://example.org/one
    source_title: Example One
    year: 2010
    confidence: strong
  fact_two:
    text: The second fact.
    source: https://example.org/two
    source_title: Example Two
    year: 2012
    confidence: medium
"""


@pytest.fixture
def class_story(tmp_path):
    return load_story(write_story(tmp_path / "class", CLASS))


def play_session(story, path: Path, seed: int, rng: random.Random, rollbacks: bool = True,
                 name: str = "9B", group: int = 1, groups: int = 3) -> Facilitation:
    """Drive a Facilitation like a class would: votes from a random class, some discussion, some rollbacks."""
    fac = Facilitation.start(story, FacilitatorSettings(name=name, groups=groups, group=group, seed=seed), path)
    fac.sources.append(RandomTally(rng.randrange(10**6)))
    for _ in range(60):
        if fac.ended:
            break
        if fac.needs_discussion():
            fac.discussion_held(rng.uniform(30, 200), 180, "finished")
        view = fac.view()
        if view.facts and rng.random() < 0.3:
            fac.fact_shown(view.facts[0])
        decision = fac.open_vote()
        settled = settle(fac.tally(), decision.open_indices)
        index = settled.winner if settled.winner is not None else settled.tied[0]
        fac.close_vote(index, "vote" if settled.winner is not None else "tie-break")
        if rollbacks and rng.random() < 0.15 and fac.can_rollback()[0]:
            fac.rollback()
    return fac


# --------------------------------------------------------------------------- the record


def test_every_event_is_a_whole_line_on_disk_with_version_seq_and_time(class_story, tmp_path):
    path = tmp_path / "one.jsonl"
    fac = Facilitation.start(class_story, FacilitatorSettings(name="7C", seed=5), path)
    sizes = [path.stat().st_size]
    fac.discussion_held(42.0, 180, "closed")
    sizes.append(path.stat().st_size)
    fac.open_vote()
    fac.keyboard.set(0, 12)
    fac.close_vote(0, "vote")
    fac.close()
    assert sizes[0] > 0 and sizes[1] > sizes[0]  # written before the call returned, not at close
    lines = path.read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert all(e["v"] == s.SESSION_VERSION and isinstance(e["t"], float) for e in events)
    assert [e["type"] for e in events] == [s.STARTED, s.NODE, s.DISCUSSION, s.VOTE_OPENED, s.TALLY, s.CHOICE,
                                           s.NODE]
    assert events[0]["story"]["digest"] == class_story.digest and events[0]["seed"] == 5
    assert events[4]["counts"] == {"0": 12} and events[4]["by_source"] == {"keyboard": {"0": 12}}
    assert events[5]["to_node"] == "river" and events[6]["vars"]["days"] == 1


def test_a_torn_last_line_and_a_garbage_line_are_reported_and_the_rest_used(class_story, tmp_path):
    path = tmp_path / "torn.jsonl"
    play_session(class_story, path, 3, random.Random(1)).close()
    lines = path.read_bytes().split(b"\n")[:-1]
    damaged = lines[:3] + [b"\x00\xffgarbage{{"] + lines[3:] + [lines[-1][: len(lines[-1]) // 2]]
    path.write_bytes(b"\n".join(damaged))  # no final newline: the last line was being written
    record = s.read_session(path)
    assert record.is_session and record.torn_tail
    assert len(record.events) == len(lines)
    assert any("line 4 is damaged" in p for p in record.problems)
    assert any("incomplete" in p for p in record.problems)


def test_files_that_are_not_sessions_are_recognised(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"hello": 1}\n')
    (tmp_path / "b.jsonl").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "c.jsonl").write_text("")
    newer = {"v": 99, "seq": 1, "t": 1.0, "type": "session_started", "format": s.SESSION_FORMAT}
    (tmp_path / "d.jsonl").write_text(json.dumps(newer) + "\n")
    for name in "abcd":
        record = s.read_session(tmp_path / f"{name}.jsonl")
        assert not record.is_session and record.problems
    assert any("newer version" in p for p in s.read_session(tmp_path / "d.jsonl").problems)
    assert s.read_session(tmp_path / "missing.jsonl").problems


@pytest.mark.parametrize("seed", range(6))
def test_rebuild_gives_the_exact_state_with_rollbacks_and_rolls(seed, tmp_path):
    story = load_story(STORY)
    path = tmp_path / f"s{seed}.jsonl"
    fac = play_session(story, path, 100 + seed, random.Random(seed))
    expected = fac.state.to_dict()
    fac.close()
    rebuilt = s.rebuild(story, s.read_session(path))
    assert rebuilt.notes == []
    assert rebuilt.state.to_dict() == expected  # node, resources, items, visits, journal, undo, generator


def test_resume_appends_after_a_torn_line_and_continues_the_same_journey(class_story, tmp_path):
    path = tmp_path / "resume.jsonl"
    fac = Facilitation.start(class_story, FacilitatorSettings(seed=9), path)
    fac.open_vote()
    fac.keyboard.set(0, 3)
    fac.close_vote(0, "vote")
    state = fac.state.to_dict()
    fac.writer._handle.write(b'{"v":1,"seq":99,"t":1.0,"type":"fac')  # the crash: half an event
    fac.writer._handle.flush()
    fac.writer._handle.close()  # the crashed program's file (and its lock on the record) is gone with it
    again = Facilitation.resume(class_story, path)
    assert again.state.to_dict() == state
    again.open_vote()
    again.keyboard.set(0, 1)
    again.close_vote(0, "vote")
    again.close()
    record = s.read_session(path)
    assert record.problems == []  # the torn half-line was cut before appending
    kinds = [e["type"] for e in record.events]
    assert s.RESUMED in kinds and kinds.count(s.CHOICE) == 2
    resumed = next(e for e in record.events if e["type"] == s.RESUMED)
    assert resumed["cut_bytes"] > 0


def test_session_filenames_are_safe_and_unique(tmp_path):
    first = s.new_session_path("9B / History <script>", "Group 2 of 5", tmp_path)
    assert re.fullmatch(r"\d{8}-\d{6}-9B-History-script-Group-2-of-5\.jsonl", first.name)
    first.write_text("")
    assert s.new_session_path("9B / History <script>", "Group 2 of 5", tmp_path) != first


# --------------------------------------------------------------------------- the vote


def test_settle_winner_tie_and_no_votes():
    assert settle({0: 3, 2: 5}, [0, 2]).winner == 2
    tie = settle({0: 4, 1: 4, 2: 1}, [0, 1, 2])
    assert tie.winner is None and tie.tied == (0, 1) and tie.how == "tie"
    assert settle({}, [0, 1]).how == "facilitator"
    assert settle({1: 9, 0: 2}, [0]).winner == 0  # votes for a closed option do not count


@given(st.dictionaries(st.integers(0, 5), st.integers(0, 50)), st.sets(st.integers(0, 5), min_size=1))
def test_settle_never_picks_a_closed_option_or_a_loser(counts, open_set):
    result = settle(counts, sorted(open_set))
    top = max(counts.get(i, 0) for i in open_set)
    if result.winner is not None:
        assert result.winner in open_set and counts.get(result.winner, 0) == top > 0
    else:
        assert set(result.tied) <= open_set


def test_keyboard_tally_typing_erasing_and_combining():
    from game.classroom.vote import Decision, Option

    kb = KeyboardTally()
    kb.open(Decision("d1", "n", "t", (Option(0, "a", True), Option(1, "b", False), Option(2, "c", True))))
    for digit in (1, 2):
        kb.type_digit(0, digit)
    kb.type_digit(1, 7)  # closed: ignored
    kb.add(2, 1)
    kb.add(2, 1)
    kb.erase(0)
    assert kb.current() == {0: 1, 2: 2}
    assert combine([kb.current(), {2: 5, 1: 0}]) == {0: 1, 2: 7}


# --------------------------------------------------------------------------- content levels


def test_every_sensitive_node_named_in_the_code_is_in_the_story():
    story = load_story(STORY)
    for node_id in SENSITIVE_NODES:
        assert node_id in story.nodes, f"content.py names '{node_id}', which the story no longer has"
        node = story.nodes[node_id]
        assert veil_for(story, node, "younger") is not None and veil_for(story, node, "full") is None
    assert veil_for(story, story.nodes[story.start], "younger") is None
    assert len(content_note(story, "younger")) == len(content_note(story, "full")) + 1


# --------------------------------------------------------------------------- the report


def make_sessions(story, folder: Path, n: int = 4, seed: int = 2024) -> list[Path]:
    paths = []
    for g in range(1, n + 1):
        path = folder / f"group{g}.jsonl"
        play_session(story, path, seed, random.Random(g * 7), name="9B History", group=g, groups=n).close()
        paths.append(path)
    return paths


def test_report_on_several_sessions_and_csv_rows_match_the_record(class_story, tmp_path):
    paths = make_sessions(class_story, tmp_path)
    out, csv_path = tmp_path / "report.html", tmp_path / "votes.csv"
    loaded, messages = write_report(paths, out, csv_path)
    assert messages == [] and len(loaded.sessions) == 4
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 4 and "<script" not in page and "http" not in page.split("<body>")[0]
    assert "Endings reached" in page and "How the votes split" in page and "@media print" in page
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    expected = []
    for path in paths:
        record = s.read_session(path)
        tallies = {e["decision"]: e["counts"] for e in record.of(s.TALLY)}
        chosen = {e["decision"]: e["index"] for e in record.of(s.CHOICE)}
        for opened in record.of(s.VOTE_OPENED):
            for opt in opened["options"]:
                expected.append((path.name, opened["decision"], opt["index"] + 1,
                                 tallies[opened["decision"]].get(str(opt["index"]), 0),
                                 chosen[opened["decision"]] == opt["index"]))
    got = [(r["session_file"], r["decision"], int(r["option"]), int(r["votes"]), r["chosen"] == "yes")
           for r in rows]
    assert got == expected


def test_damaged_and_foreign_files_do_not_stop_the_report(class_story, tmp_path):
    paths = make_sessions(class_story, tmp_path, n=2)
    data = paths[1].read_bytes()
    paths[1].write_bytes(data[: len(data) - 40])  # torn in the middle of the last event
    foreign = tmp_path / "notes.jsonl"
    foreign.write_text("shopping list\n")
    loaded, messages = write_report([*paths, foreign, tmp_path / "gone.jsonl"], tmp_path / "r.html")
    assert len(loaded.sessions) == 2
    assert {name for name, _ in loaded.skipped} == {"notes.jsonl", "gone.jsonl"}
    assert any("incomplete" in m for m in messages)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "notes.jsonl" in page and "was skipped" in page


def test_names_from_a_session_file_cannot_inject_script(class_story, tmp_path):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
    path = tmp_path / "evil.jsonl"
    fac = Facilitation.start(class_story, FacilitatorSettings(name=evil, groups=2, group=1, seed=1), path)
    fac.open_vote()
    fac.close_vote(0, "facilitator")
    fac.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[2])
    assert event["type"] == s.VOTE_OPENED
    event["options"][0]["text"] = evil
    event["title"] = evil
    lines[2] = json.dumps(event)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = render_html(load_sessions([path]))
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#x27;&amp;" in page
    table = votes_csv(load_sessions([path]))
    assert "<script>" in table  # CSV keeps the text as typed; spreadsheets show it as text


def test_csv_cells_are_not_spreadsheet_formulas(class_story, tmp_path):
    path = tmp_path / "f.jsonl"
    fac = Facilitation.start(class_story, FacilitatorSettings(name="=HYPERLINK(\"x\")", seed=1), path)
    fac.close()
    fac2 = Facilitation.start(class_story, FacilitatorSettings(name="=cmd", seed=1), tmp_path / "g.jsonl")
    fac2.open_vote()
    fac2.close_vote(1, "facilitator")
    fac2.close()
    rows = list(csv.reader(io.StringIO(votes_csv(load_sessions([tmp_path / "g.jsonl"])))))
    assert rows[1][2] == "'=cmd"


def test_report_command_line(class_story, tmp_path, capsys):
    from game.cli import main

    paths = make_sessions(class_story, tmp_path, n=2)
    code = main(["report", *map(str, paths), "-o", str(tmp_path / "r.html"), "--csv", str(tmp_path / "v.csv")])
    assert code == 0 and (tmp_path / "r.html").exists() and (tmp_path / "v.csv").exists()
    assert "2 sessions" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "nothing.jsonl"), "-o", str(tmp_path / "n.html")]) == 1


def test_replay_as_text(class_story, tmp_path, capsys):
    from game.cli import main

    path = tmp_path / "t.jsonl"
    fac = Facilitation.start(class_story, FacilitatorSettings(name="7A", seed=4), path)
    fac.discussion_held(65, 120, "finished")
    fac.open_vote()
    fac.keyboard.set(0, 9)
    fac.keyboard.set(1, 4)
    fac.close_vote(0, "vote")
    fac.rollback()
    fac.open_vote()
    fac.close_vote(1, "facilitator")
    fac.close()
    assert main(["play", "--story", str(class_story.root), "--replay", str(path), "--text"]) == 0
    out = capsys.readouterr().out
    assert "Session: 7A" in out
    assert "1. Go to the river: 9 votes" in out and "2. Stay at home: 4 votes" in out
    assert "> The class took 1: Go to the river (by vote)" in out
    assert "< The class went back" in out and "Discussion, 65 s (finished): Would you leave?" in out
    assert out.rstrip().endswith("THE END — At home [stayed]")


# --------------------------------------------------------------------------- the facilitator guide


GUIDE = REPO / "docs" / "facilitator-guide.md"


def test_the_guide_names_only_nodes_facts_and_questions_the_story_has():
    story = load_story(STORY)
    text = GUIDE.read_text(encoding="utf-8")
    nodes = re.findall(r"`node:([a-z0-9_]+)`", text)
    facts = re.findall(r"`fact:([a-z0-9_]+)`", text)
    assert len(nodes) >= 8 and len(facts) >= 5
    for node_id in nodes:
        assert node_id in story.nodes, f"the guide names node '{node_id}', which the story does not have"
    for fact_id in facts:
        assert fact_id in story.facts, f"the guide names fact '{fact_id}', which facts.yaml does not have"
    # Discussion questions quoted next to a node reference are that node's discuss prompt, word for word.
    for node_id, quoted in re.findall(r"`node:([a-z0-9_]+)`[^\n]*?“([^”]+)”", text):
        assert story.nodes[node_id].discuss, f"'{node_id}' has no discuss prompt"
        assert " ".join(quoted.split()) == " ".join(story.nodes[node_id].discuss.split()), node_id
    # The debrief questions the guide lists are the story's.
    for question in re.findall(r"^- \*\*Debrief:\*\* (.+)$", text, re.M):
        assert question.strip() in story.debrief_questions, question


def test_engine_determinism_used_by_replays(class_story):
    engine = Engine(class_story)
    a, b = engine.new_game(3), engine.new_game(3)
    for state in (a, b):
        engine.choose(state, 0)
        engine.choose(state, 0)
    assert a.to_dict() == b.to_dict()


def test_headless_chromium_renders_the_report_with_its_charts(class_story, tmp_path):
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no headless browser installed")
    out = tmp_path / "report.html"
    write_report(make_sessions(class_story, tmp_path, n=3), out)
    png = tmp_path / "shot.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1400", f"--screenshot={png}",
                    out.as_uri()], capture_output=True, timeout=120, check=False)
    assert png.exists()
    import pygame

    image = pygame.image.load(str(png))
    colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, image.get_width(), 7)
               for y in range(0, image.get_height(), 7)}
    # The page, its text, and the chart colours (an ending bar, the session swatches) are all drawn.
    assert (0x5F, 0x6B, 0x7A) in colours  # every kind of ending in one neutral colour
    assert len(colours) > 50
