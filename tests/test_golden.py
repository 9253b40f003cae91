"""Files written by earlier versions keep loading: a saved game and a classroom session record.

They were made once (with the tiny story in conftest.py) and must never be rewritten:
a change that stops them loading needs a format version bump and a migration, or a
documented message. See game/engine/save.py and game/classroom/session.py.
"""

from __future__ import annotations

import shutil

from conftest import REPO, TINY, write_story
from game.classroom.session import read_session, rebuild
from game.engine.save import read_save
from game.story.loader import load_story

DATA = REPO / "tests" / "data"


def test_a_format_1_save_still_loads(tmp_path):
    story = load_story(write_story(tmp_path / "tiny", TINY))
    copy = tmp_path / "save.json"
    shutil.copy(DATA / "save-format-1.json", copy)
    state, notice = read_save(copy, story)
    assert notice == ""
    assert (state.node, state.vars["days"], state.vars["health"], state.seed) == ("river", 7, 40, 8)


def test_a_format_1_session_record_still_rebuilds(tmp_path):
    story = load_story(write_story(tmp_path / "tiny", TINY))
    record = read_session(DATA / "session-format-1.jsonl")
    assert record.is_session and record.problems == []
    rebuilt = rebuild(story, record)
    assert rebuilt.state.step == 2
    assert rebuilt.state.node in ("bank", "caught")
