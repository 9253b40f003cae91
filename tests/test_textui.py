"""The terminal mode, driven through real pipes and through the command line."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from conftest import REPO, TINY, write_story
from game.engine.save import AUTOSAVE, read_save, slot_path
from game.story.loader import load_story
from game.textui import run_text


def play(story_dir, answers: str, seed=1, resume=False):
    out = io.StringIO()
    code = run_text(load_story(story_dir), seed, resume, stdin=io.StringIO(answers), stdout=out)
    return code, out.getvalue()


def test_golden_transcript(tiny_story):
    code, out = play(tiny_story, "2\nx\n3\n1\n", seed=2)
    assert code == 0
    assert out == (REPO / "tests" / "data" / "tiny_transcript.txt").read_text()


def test_piped_playthrough_ends_with_the_end_line(tiny_story):
    for seed in range(6):
        code, out = play(tiny_story, "1\n", seed=seed)
        assert code == 0
        last = out.rstrip("\n").splitlines()[-1]
        assert last in ("THE END — Across [safe]", "THE END — Caught at the river [caught]")


def test_bad_input_is_answered_politely(tiny_story):
    code, out = play(tiny_story, "9\nhello\n2\n3\n", seed=2)
    assert "Please type a number from 1 to 3, or '?' for help." in out
    assert "That choice is not open to her: needs ¥1,000; you have ¥300. Pick another." in out


def test_end_of_input_saves_and_continue_resumes(tiny_story):
    code, out = play(tiny_story, "3\n")
    assert code == 0 and "Your journey is saved." in out
    state, _ = read_save(slot_path(AUTOSAVE), load_story(tiny_story))
    assert state.vars["days"] == 7
    code, out = play(tiny_story, "1\n", resume=True)
    assert "You have ¥300. You were warned." in out and "THE END" in out


def test_undo_in_the_terminal(tiny_story):
    code, out = play(tiny_story, "3\nu\n", seed=1)
    assert "The last choice is undone." in out


def test_same_seed_replays_identically_through_the_command(tmp_path):
    folder = write_story(tmp_path / "s", TINY)
    env = {**os.environ, "ESCAPE_ROUTE_DATA_DIR": str(tmp_path / "data")}

    def run():
        return subprocess.run([sys.executable, "-m", "game", "play", "--text", "--story", str(folder), "--seed", "9"],
                              input="3\n1\n", capture_output=True, text=True, env=env, cwd=REPO, timeout=60)

    first, second = run(), run()
    assert first.returncode == 0 and first.stderr == ""
    assert first.stdout == second.stdout
    assert first.stdout.rstrip().splitlines()[-1].startswith("THE END — ")


def test_shipped_story_plays_to_the_end_through_a_pipe(tmp_path):
    """Always choosing the last available choice reaches an ending of the real story."""
    from game.engine.engine import Engine

    story = load_story(REPO / "story")
    engine = Engine(story)
    state = engine.new_game(seed=3)
    answers = []
    while engine.view(state).ending is None and len(answers) < 500:
        choices = [c for c in engine.view(state).choices if c.available]
        answers.append(str(choices[-1].index + 1))
        engine.choose(state, choices[-1].index)
    env = {**os.environ, "ESCAPE_ROUTE_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "game", "play", "--text", "--seed", "3"],
                            input="\n".join(answers) + "\n", capture_output=True, text=True, env=env, cwd=REPO,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    ending = engine.view(state).ending
    assert result.stdout.rstrip().splitlines()[-1] == f"THE END — {ending.title} [{ending.kind}]"


def test_a_page_with_one_choice_asks_for_1_not_a_number_from_1_to_1(tmp_path):
    from conftest import write_story

    story = {"story.yaml": "title: One\nversion: '1'\nyear: 2010\nstart: a\ncontent_note: A test story.\n"
                           "resources:\n  days: {start: 0, min: 0, label: Days}\n",
             "01.yaml": "chapter: One\nnodes:\n  a:\n    text: Only one way.\n    choices:\n"
                        "      - text: Go on\n        goto: b\n"
                        "  b:\n    text: There.\n    ending: {id: there, kind: safe, title: There}\n"}
    code, out = play(write_story(tmp_path / "one", story), "2\n1\n")
    assert code == 0
    assert "Please type 1, or '?' for help." in out and "from 1 to 1" not in out
