"""Class journeys, the pure model: each student's own journey on the one engine, recorded, resumed, debriefed.

Plays the real story: random students choose among the open choices, some undo; the
record on disk is then read back (as ``report`` and the debrief scene will) and every
number of the class debrief is checked against it, and a resume from the record puts
every student exactly where she was.
"""

from __future__ import annotations

import json
import random
import secrets
from functools import cache

import pytest

from conftest import STORY
from game.classroom import session as s
from game.classroom.journeys import (
    ClassJourneys,
    JourneySettings,
    Refused,
    class_debrief,
    device_key,
    journey_map,
    student_seed,
)
from game.engine.engine import Engine
from game.story.loader import load_story


@cache
def story():
    return load_story(STORY)


def make(tmp_path, luck="same", undo=True, seed=2010, nicknames=False):
    where = journey_map(story())
    path = tmp_path / "class.jsonl"
    journeys, writer = ClassJourneys.create(Engine(story()), JourneySettings(luck, undo, seed, nicknames), path,
                                            name="9B", places=where.places, route_points=where.route_points)
    return journeys, writer, path


def play(journeys, tokens, rnd, moves, undo_rate=0.0):
    for _ in range(moves):
        token = rnd.choice(tokens)
        page = journeys.page(token)
        if page["ending"]:
            continue
        if page["can_undo"] and rnd.random() < undo_rate:
            assert journeys.undo(token, page["step"])[0] == "ok"
            continue
        open_ = [c["index"] for c in page["choices"] if c["available"]]
        status, after = journeys.choose(token, page["step"], rnd.choice(open_))
        assert status == "ok" and after["step"] == page["step"] + 1


def a_class(tmp_path, luck, students, moves, seed):
    """A class of ``students`` who joined and made ``moves`` random moves between them, a few of them undos."""
    journeys, writer, path = make(tmp_path, luck=luck)
    rnd = random.Random(seed)
    tokens = [secrets.token_urlsafe(18) for _ in range(students)]
    for t in tokens:
        journeys.join(t)
    play(journeys, tokens, rnd, moves, undo_rate=0.05)
    return journeys, writer, path, tokens, rnd


def play_to_endings(journeys, tokens, rnd):
    for token in tokens:
        for _ in range(500):
            page = journeys.page(token)
            if page["ending"]:
                break
            open_ = [c["index"] for c in page["choices"] if c["available"]]
            assert journeys.choose(token, page["step"], rnd.choice(open_))[0] == "ok"
        assert journeys.page(token)["ending"], "a journey did not end within 500 choices"


def test_a_choice_sent_twice_is_taken_once(tmp_path):
    journeys, writer, path = make(tmp_path)
    token = secrets.token_urlsafe(18)
    first = journeys.join(token)
    assert first["step"] == 0 and first["title"] and first["choices"]
    status, second = journeys.choose(token, 0, 0)
    assert status == "ok" and second["step"] == 1
    again, same = journeys.choose(token, 0, 0)            # the same message again (a double tap, a reconnect)
    assert again == "stale" and same == second
    assert journeys.choose(token, 7, 0)[0] == "stale"      # a step from the future changes nothing either
    writer.close()
    chosen = list(s.read_session(path).of(s.CHOSE))
    assert len(chosen) == 1 and chosen[0]["step"] == 0


def test_a_page_shows_the_engines_own_words(tmp_path):
    journeys, writer, _ = make(tmp_path)
    token = secrets.token_urlsafe(18)
    page = journeys.join(token)
    engine = Engine(story())
    state = engine.new_game(2010)
    view = engine.view(state)
    assert page["title"] == view.title and page["paragraphs"] == list(view.paragraphs)
    assert page["place"] == "Hyesan" and page["chapter"] == view.chapter
    for sent, c in zip(page["choices"], view.choices, strict=True):
        assert sent["text"] == c.text and sent["available"] == c.available
        if c.available:
            assert [x["text"] for x in sent["costs"]] == [x.text for x in c.costs]
            assert sent["risk"] == (f"{c.risk.percent} risk: {c.risk.label}" if c.risk else "")
        else:
            assert sent["reason"] == c.reason and sent["costs"] == [] and sent["risk"] == ""
    assert [r["label"] for r in page["resources"]] == [r.label for r in story().resources.values()]
    assert page["resources"][0]["value"] == "¥300"
    json.dumps(page)  # everything a page gets is plain JSON
    writer.close()


def test_undo_only_when_the_teacher_allows_it(tmp_path):
    journeys, writer, _ = make(tmp_path, undo=False)
    token = secrets.token_urlsafe(18)
    journeys.join(token)
    _, page = journeys.choose(token, 0, 0)
    assert page["can_undo"] is False
    assert journeys.undo(token, 1)[0] == "no-undo"
    writer.close()
    journeys, writer, _ = make(tmp_path / "b", undo=True)
    journeys.join(token)
    before = journeys.page(token)
    _, page = journeys.choose(token, 0, 0)
    assert page["can_undo"] is True
    status, back = journeys.undo(token, 1)
    assert status == "ok" and back["node"] == before["node"] and back["step"] == 2
    assert back["resources"] == before["resources"]
    assert journeys.undo(token, 1)[0] == "stale"          # the undo sent twice goes back only once
    writer.close()


def test_same_luck_shares_one_seed_and_own_luck_gives_each_her_own(tmp_path):
    same = JourneySettings("same", False, 99)
    own = JourneySettings("own", False, 99)
    assert {student_seed(same, n) for n in range(1, 31)} == {99}
    seeds = [student_seed(own, n) for n in range(1, 31)]
    assert len(set(seeds)) == 30 and seeds == [student_seed(own, n) for n in range(1, 31)]


def test_pause_lock_prompt_and_end_are_kept_and_refuse_what_they_should(tmp_path):
    journeys, writer, path = make(tmp_path)
    a, b, c = (secrets.token_urlsafe(18) for _ in range(3))
    journeys.join(a)
    journeys.pause(True)
    assert journeys.choose(a, 0, 0)[0] == "paused" and journeys.snapshot().paused
    journeys.pause(False)
    journeys.send_prompt("Would you have told your mother?\x07")
    assert journeys.class_state()["prompt"] == "Would you have told your mother?"
    journeys.lock(True)
    with pytest.raises(Refused) as refused:
        journeys.join(b)
    assert refused.value.reason == "locked"
    assert journeys.join(a)["student"] == 1                 # she comes back into a locked room
    journeys.lock(False)
    journeys.join(b)
    journeys.end()
    assert journeys.choose(b, 0, 0)[0] == "ended"
    with pytest.raises(Refused):
        journeys.join(c)
    writer.close()
    kinds = [e["type"] for e in s.read_session(path).events]
    assert kinds.count(s.PAUSED_ALL) == 2 and kinds.count(s.PROMPT) == 1 and kinds.count(s.LOCKED) == 2
    assert kinds[-1] == s.ENDED and not s.read_session(path).problems


def test_the_record_keeps_no_token_and_nicknames_only_when_allowed(tmp_path):
    journeys, writer, path = make(tmp_path, nicknames=False)
    token = secrets.token_urlsafe(18)
    journeys.join(token)
    assert journeys.set_nickname(token, "Min") == ""
    writer.close()
    raw = path.read_text()
    assert token not in raw and device_key(token) in raw and "Min" not in raw
    journeys, writer, path = make(tmp_path / "n", nicknames=True)
    journeys.join(token)
    assert journeys.set_nickname(token, "  Min\n\x00ji  ") == "Minji"
    assert journeys.nicknames()[0][:2] == (1, "Minji")
    assert "Minji" not in repr(journeys.snapshot())          # never on the dashboard
    writer.close()


@pytest.mark.parametrize("luck", ["same", "own"])
def test_resume_puts_every_student_exactly_where_she_was(tmp_path, luck):
    journeys, writer, path, tokens, _ = a_class(tmp_path, luck, students=12, moves=300, seed=7)
    journeys.pause(True)
    journeys.send_prompt("Where is she now?")
    before = {t: journeys.page(t) for t in tokens}
    states = {t: journeys.students[device_key(t)].state.to_dict() for t in tokens}
    writer.close()
    where = journey_map(story())
    again, writer2, notes = ClassJourneys.resume(Engine(story()), path, places=where.places,
                                                 route_points=where.route_points)
    assert notes == []
    for t in tokens:
        assert again.page(t) == before[t]
        assert again.students[device_key(t)].state.to_dict() == states[t]   # same node, values, dice, undo
    assert again.paused and again.prompt == "Where is she now?" and again.snapshot().joined == 12
    # The same future: the same choice now gives the same page in both.
    again.pause(False)
    journeys.paused = False
    journeys.record = lambda *a, **k: None  # the first class's record is closed: it only plays along
    t = tokens[0]
    page = again.page(t)
    if not page["ending"]:
        index = next(c["index"] for c in page["choices"] if c["available"])
        assert again.choose(t, page["step"], index)[1]["node"] == journeys.choose(t, page["step"], index)[1]["node"]
    writer2.close()


@pytest.mark.parametrize("luck", ["same", "own"])
def test_the_class_debrief_is_computed_from_the_record_alone(tmp_path, luck):
    journeys, writer, path, tokens, rnd = a_class(tmp_path, luck, students=30, moves=200, seed=3)
    play_to_endings(journeys, tokens[:25], rnd)
    live = journeys.end()
    writer.close()
    record = s.read_session(path)
    assert not record.problems
    debrief = class_debrief(record)
    assert debrief.endings == live.endings and debrief.splits == live.splits and debrief.facts_seen == live.facts_seen
    assert debrief.money == live.money and debrief.risks_fell == live.risks_fell and debrief.days == live.days
    # Checked against the record by hand: the last student_chose of each student says where she ended.
    last: dict[int, dict] = {}
    for event in record.events:
        if event["type"] in (s.CHOSE, s.UNDID):
            last[event["student"]] = event
    ended = [e for e in last.values() if e["type"] == s.CHOSE and e.get("ending")]
    assert debrief.students == 30 and debrief.finished == len(ended) >= 25
    assert sum(n for _, n in debrief.endings_by_kind) == len(ended)
    assert sorted(debrief.money.values) == sorted(float(e["vars"]["cash"]) for e in ended)
    assert debrief.splits and all(len(split.options) >= 2 for split in debrief.splits)
    assert debrief.splits[0].options[0][1] >= debrief.splits[0].options[-1][1]
    assert debrief.facts_seen[0][1] == 30                   # every student saw the first page's facts
    if luck == "same":
        assert debrief.same_choices_same_end is not None
        for size, same_end in debrief.same_choices_same_end:
            assert size >= 2 and same_end == size          # one seed: the same choices meet the same end
    else:
        assert debrief.same_choices_same_end is None


def test_hostile_journeys_events_are_skipped_with_a_reason(tmp_path):
    journeys, writer, path = make(tmp_path)
    token = secrets.token_urlsafe(18)
    journeys.join(token)
    journeys.choose(token, 0, 0)
    writer.close()
    lines = path.read_text().splitlines()
    seq = len(lines)
    bad = [
        {"type": s.JOINED, "student": 2, "key": "<script>", "seed": 1},
        {"type": s.CHOSE, "student": 1, "step": -1, "from_node": "x", "index": 0},
        {"type": s.CHOSE, "student": 1, "step": 1, "from_node": "x", "index": 0, "roll": {"failed": "yes"}},
        {"type": s.UNDID, "student": True, "step": 1},
        {"type": s.NAMED, "student": 1, "nickname": "x" * 500},
        {"type": s.PAUSED_ALL, "paused": "no"},
        {"type": s.PROMPT},
        {"type": s.LOCKED, "locked": 1},
    ]
    with path.open("a") as out:
        for i, event in enumerate(bad, seq + 1):
            out.write(json.dumps({"v": 1, "seq": i, "t": 1.0, **event}) + "\n")
    record = s.read_session(path)
    assert len(record.problems) == len(bad)
    assert all("skipped" in p for p in record.problems)
    assert "student_joined.key is not a device digest" in record.problems[0]
    debrief = class_debrief(record)                         # the good events still make a debrief
    assert debrief.students == 1
    resumed, writer2, _ = ClassJourneys.resume(Engine(story()), path)
    assert resumed.page(token)["step"] == 1
    writer2.close()


def test_a_vote_record_is_not_a_journeys_record(tmp_path):
    path = tmp_path / "vote.jsonl"
    writer = s.SessionWriter.create(path)
    writer.write(s.STARTED, **s.started_event(story(), 1, {"name": "vote"}))
    writer.close()
    with pytest.raises(s.SessionError, match="not a class-journeys session"):
        class_debrief(s.read_session(path))
    with pytest.raises(s.SessionError):
        ClassJourneys.resume(Engine(story()), path)


def test_a_choice_the_record_cannot_keep_does_not_happen(tmp_path):
    journeys, writer, path = make(tmp_path)
    token = secrets.token_urlsafe(18)
    before = journeys.join(token)
    state = journeys.students[device_key(token)].state.to_dict()
    writer.close()                                           # as a full disk would: every write fails now
    status, page = journeys.choose(token, 0, 1)
    assert status == "unsaved" and page == before
    assert journeys.students[device_key(token)].state.to_dict() == state and "closed" in journeys.problem


def test_an_ending_is_final_even_when_undo_is_allowed(tmp_path):
    journeys, writer, _ = make(tmp_path, undo=True)
    token = secrets.token_urlsafe(18)
    journeys.join(token)
    play_to_endings(journeys, [token], random.Random(5))
    page = journeys.page(token)
    assert page["ending"] and page["can_undo"] is False
    assert journeys.undo(token, page["step"])[0] == "over"
    assert journeys.choose(token, page["step"], 0)[0] == "over"
    writer.close()
