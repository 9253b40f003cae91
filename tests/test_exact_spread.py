"""When exact odds stop at the state limit, the writer is told which values kept the states apart, and where.

A story in which a chance reads exposure, and each choice adds a different amount of
it, has as many states at a passage as there are amounts of exposure that reach it;
a value that is only compared with a number is kept as a range and splits less. The
report names them, most splitting first, with the file and line of each read, in the
text report and in the JSON, in English and in Korean.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO, write_story
from game.engine import sim
from game.engine.spread import where_read
from game.story.loader import load_story

HEADER = """\
title: Spread
version: "1"
year: 2010
start: n0
content_note: A test story.
resources:
  exposure: {start: 0, min: 0, max: 100, label: Exposure}
  days: {start: 0, min: 0, label: Days, unit: day, better: lower}
"""


def _chapter(steps: int) -> str:
    """``steps`` passages; at each, three ways on that add 1, 2 or 3 to exposure and ten days, and a
    patrol whose chance reads exposure. At the end, a gate that compares the days with a number."""
    out = ["nodes:"]
    for i in range(steps):
        after = f"n{i + 1}" if i + 1 < steps else "gate"
        out += [f"  n{i}:", f"    text: Step {i}.", "    choices:"]
        for k in (1, 2, 3):
            out += [f"      - text: Way {k}",
                    f"        effects: {{exposure: {k}, days: 10}}",
                    f"        goto: {after}"]
        out += ["      - text: Run past the patrol",
                "        effects: {days: 10}",
                "        roll: {chance: 0.01 + exposure / 400, label: seen, fail: end_lost}",
                f"        goto: {after}"]
    out += ["  gate:", "    text: The gate.", "    choices:",
            "      - {text: Go through, if: days >= 150, goto: end_safe}",
            "      - {text: Turn back, goto: end_lost}",
            "  end_safe:", "    text: Safe.", "    ending: {id: safe, kind: safe, title: Safe}",
            "  end_lost:", "    text: Lost.", "    ending: {id: lost, kind: lost, title: Lost}"]
    return "\n".join(out) + "\n"


def _folder(tmp_path, steps: int = 10):
    return write_story(tmp_path / "s", {"story.yaml": HEADER, "01.yaml": _chapter(steps)})


def test_a_walk_that_stops_at_the_limit_names_what_kept_its_states_apart(tmp_path):
    story = load_story(_folder(tmp_path))
    result = sim.exhaustive(story, "random", state_limit=100)
    assert result["hit_limit"]
    spread = {item.name: item for item in result["spread"]}
    # Exposure is read in a chance, so every amount is its own state: up to 3 steps x 3 amounts apart.
    assert result["spread"][0].name == "exposure"
    assert spread["exposure"].most >= 7 and spread["exposure"].typical > 3
    # Days are only compared with a number, and every journey has spent as many at the same passage:
    # a value that splits no passage is not named.
    assert "days" not in spread
    assert story.nodes[spread["exposure"].where].ending is None


def test_a_walk_that_finishes_says_nothing_about_spread(tmp_path):
    result = sim.exhaustive(load_story(_folder(tmp_path, steps=2)), "random")
    assert not result["hit_limit"] and result["spread"] == []


def test_where_read_tells_a_chance_from_a_comparison_with_a_number(tmp_path):
    folder = _folder(tmp_path, steps=2)
    reads = where_read(load_story(folder))
    chance = reads["exposure"].places["chance"]
    assert [(span.line) for span in chance] == [_line(folder, "0.01 + exposure", 1), _line(folder, "0.01 + exposure", 2)]
    assert set(reads["days"].places) == {"compared"}
    assert reads["days"].places["compared"][0].line == _line(folder, "days >= 150", 1)


def _line(folder, text: str, nth: int) -> int:
    """The line of the ``nth`` line of the chapter that holds ``text`` (1-based, as spans count)."""
    lines = [i for i, line in enumerate((folder / "01.yaml").read_text().splitlines(), 1) if text in line]
    return lines[nth - 1]


def _simulate(folder, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "game", "simulate", str(folder), *extra, "--exhaustive",
                           "--policy", "random", "--state-limit", "100"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_the_report_lists_the_values_and_their_places(tmp_path):
    folder = _folder(tmp_path)
    out = _simulate(folder)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "state limit reached" in text
    head = "The states are many because these values take many different amounts at the same passage:"
    assert head in text
    after = text.split(head, 1)[1].splitlines()
    assert after[1].lstrip().startswith("exposure: about ")
    chance_line = _line(folder, "0.01 + exposure", 1)
    assert f"read in 10 chances ({folder / '01.yaml'}:{chance_line}," in after[1]
    assert not any(line.lstrip().startswith("days: ") for line in after)


def test_the_json_has_every_value_with_every_place(tmp_path):
    folder = _folder(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "game", "simulate", str(folder), "--exhaustive", "--json",
                          "--policy", "random", "--state-limit", "100"],
                         capture_output=True, text=True, env=env, timeout=120, check=False)
    data = json.loads(out.stdout)["random"]
    first = data["spread"][0]
    assert first["name"] == "exposure" and first["most"] >= 7
    assert len(first["read"]["chance"]) == 10  # all of them, where the text shows three


def test_the_report_speaks_korean(tmp_path):
    out = _simulate(_folder(tmp_path), "--lang", "ko")
    assert out.returncode == 0, out.stderr
    assert "The states are many" not in out.stdout and "read in" not in out.stdout
    assert "exposure:" in out.stdout  # the story's own names stay as written


def test_the_writing_guide_shows_what_the_report_says_on_the_shipped_story():
    """docs/writing-guide.md quotes the report for 'random' with --state-limit 60000: it is the report, word for
    word (run from the repository, so the places read 'story/…' as in the guide)."""
    guide = (REPO / "docs" / "writing-guide.md").read_text(encoding="utf-8")
    head = "  The states are many because"
    quoted = guide[guide.index(head):]
    quoted = quoted[:quoted.index("```")].rstrip("\n").splitlines()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "game", "simulate", "story", "--exhaustive", "--policy", "random",
                          "--state-limit", "60000"], capture_output=True, text=True, env=env, cwd=REPO, timeout=600,
                         check=False)
    lines = out.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(head))
    assert lines[start:start + len(quoted)] == quoted


def test_a_ranged_value_counts_its_ranges_not_its_amounts(tmp_path):
    """Days differ with the way taken, but the one test on them (days >= 1000) is out of reach: every amount
    lies in the same range, so days keep no state apart and are not named, however many amounts there are."""
    chapter = "\n".join(line.replace("exposure: 1, days: 10", "exposure: 1, days: 3")
                        .replace("exposure: 3, days: 10", "exposure: 3, days: 17")
                        .replace("days >= 150", "days >= 1000") for line in _chapter(10).splitlines()) + "\n"
    story = load_story(write_story(tmp_path / "s", {"story.yaml": HEADER, "01.yaml": chapter}))
    result = sim.exhaustive(story, "random", state_limit=100)
    assert result["hit_limit"]
    names = [item.name for item in result["spread"]]
    assert names[0] == "exposure" and "days" not in names
