"""The simulator finds planted problems, and exhaustive odds equal hand-computed fractions."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from conftest import REPO, write_story
from game.engine import sim
from game.story.loader import load_story

HEADER = """\
title: Planted
version: "1"
year: 2010
start: start
content_note: A test story.
resources:
  cash: {start: 100, min: 0, label: Cash, unit: "¥"}
"""

PLANTED = """\
nodes:
  start:
    text: Where now?
    choices:
      - text: Into the dead end
        goto: stuck
      - text: Home
        goto: home
      - text: A door that never opens
        if: cash > 99999
        goto: never_end
      - text: Stay
        if: cash <= 99999
        goto: home
  stuck:
    text: Nothing opens.
    choices:
      - text: Pay a fortune
        if: cash > 5000
        goto: home
  home:
    text: Home.
    ending: {id: home, kind: safe, title: Home}
  never_end:
    text: Never seen.
    ending: {id: never, kind: lost, title: Never}
  island:
    text: Nobody comes here.
    choices:
      - text: Leave
        goto: home
"""

ODDS = """\
nodes:
  start:
    text: Two ways.
    choices:
      - text: The guard
        roll: {chance: 0.2, label: turned in, fail: caught}
        goto: river
      - text: Give up
        goto: lost
  river:
    text: The river.
    choices:
      - text: Swim
        roll: {chance: 0.5, label: current, fail: drowned}
        goto: safe
  caught:
    text: Caught.
    ending: {id: caught, kind: caught, title: Caught}
  drowned:
    text: Drowned.
    ending: {id: drowned, kind: lost, title: Drowned}
  safe:
    text: Safe.
    ending: {id: safe, kind: safe, title: Safe}
  lost:
    text: Gave up.
    ending: {id: gave_up, kind: returned, title: Gave up}
"""


@pytest.fixture
def planted(tmp_path):
    return write_story(tmp_path / "planted", {"story.yaml": HEADER, "01.yaml": PLANTED})


def simulate_json(folder, *extra):
    out = subprocess.run([sys.executable, "-m", "game", "simulate", str(folder), "--json", *extra],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    return out.returncode, json.loads(out.stdout)


def test_simulate_reports_planted_problems(planted):
    code, report = simulate_json(planted, "--runs", "300", "--seed", "2")
    assert code == 1  # a soft-lock makes the command fail
    assert report["runs"] == 300
    assert {lock["node"] for lock in report["soft_locks"]} == {"stuck"}
    assert report["soft_locks"][0]["path"] == ["start", "stuck"]
    assert {n["node"] for n in report["unvisited_nodes"]} == {"never_end", "island"}
    assert {(c["node"], c["choice"]) for c in report["untaken_choices"]} >= {("start", 3), ("stuck", 1), ("island", 1)}
    assert set(report["endings"]) == {"home"}
    assert report["node_coverage"] == pytest.approx(3 / 5)
    first = report["unvisited_nodes"][0]
    assert first["file"].endswith("01.yaml") and first["line"] > 1


def test_exhaustive_reports_the_soft_lock_and_the_unreachable_ending(planted):
    result = sim.exhaustive(load_story(planted))
    assert result["soft_locks"] == {"stuck": Fraction(1, 3)}
    assert result["endings"] == {"home": Fraction(2, 3)}
    assert "never" not in result["endings"]


def test_exhaustive_odds_equal_hand_computed_fractions(tmp_path):
    story = load_story(write_story(tmp_path / "odds", {"story.yaml": HEADER, "01.yaml": ODDS}))
    uniform = sim.exhaustive(story, "random")
    assert uniform["endings"] == {"caught": Fraction(1, 10), "drowned": Fraction(1, 5), "safe": Fraction(1, 5),
                                  "gave_up": Fraction(1, 2)}
    assert uniform["unresolved"] == 0 and not uniform["hit_limit"]
    careful = sim.exhaustive(story, "careful")  # never gives up: takes the guard
    assert careful["endings"] == {"caught": Fraction(1, 5), "drowned": Fraction(2, 5), "safe": Fraction(2, 5)}


def test_simulated_shares_match_the_exact_odds(tmp_path):
    story = load_story(write_story(tmp_path / "odds", {"story.yaml": HEADER, "01.yaml": ODDS}))
    report = sim.summarise(story, sim.run_many(story, "random", 4000, 7), "random", 7)
    for ending, exact in {"caught": 0.1, "drowned": 0.2, "safe": 0.2, "gave_up": 0.5}.items():
        low, high = report["ending_shares"][ending]["ci95"]
        assert low - 0.01 <= exact <= high + 0.01


def test_results_do_not_depend_on_the_number_of_workers(tmp_path):
    story = load_story(write_story(tmp_path / "odds", {"story.yaml": HEADER, "01.yaml": ODDS}))
    one = sim.summarise(story, sim.run_many(story, "random", 400, 3, workers=1), "random", 3)
    two = sim.summarise(story, sim.run_many(story, "random", 400, 3, workers=2), "random", 3)
    assert one == two


def test_exhaustive_state_limit_is_reported(tmp_path):
    looping = ODDS.replace("      - text: Give up\n        goto: lost\n",
                           "      - text: Give up\n        goto: lost\n      - text: Wait\n        effects: {cash: 1}\n"
                           "        goto: start\n")
    story = load_story(write_story(tmp_path / "loop", {"story.yaml": HEADER.replace("min: 0,", "min: 0,"),
                                                       "01.yaml": looping}))
    result = sim.exhaustive(story, "random", state_limit=50)
    # cash is never read, so waiting leads back to the same state: a loop solved exactly
    assert not result["hit_limit"] and result["unresolved"] == 0 and result["states"] < 10
    assert result["endings"] == {"caught": Fraction(1, 10), "drowned": Fraction(1, 5), "safe": Fraction(1, 5),
                                 "gave_up": Fraction(1, 2)}
    counting = looping.replace("      - text: Wait\n", "      - text: Wait\n        if: cash < 100000\n")
    story = load_story(write_story(tmp_path / "count", {"story.yaml": HEADER, "01.yaml": counting}))
    result = sim.exhaustive(story, "random", state_limit=50)
    assert result["hit_limit"] and result["unresolved"] > 0


def test_exhaustive_merges_states_and_splits_ties_exactly(tmp_path):
    story = load_story(write_story(tmp_path / "odds", {"story.yaml": HEADER, "01.yaml": ODDS}))
    result = sim.exhaustive(story, "random")
    assert result["states"] <= 7 and result["seconds"] >= 0
    assert sum(result["endings"].values()) == 1


def test_a_loop_without_a_way_out_is_an_endless_loop_in_the_exact_odds(tmp_path):
    text = ODDS.replace("      - text: Give up\n        goto: lost\n", "      - text: Give up\n        goto: wait\n") + \
        "  wait:\n    text: Waiting.\n    choices:\n      - {text: Wait more, goto: wait2}\n" \
        "      - {text: Pay your way out, if: cash > 1000, goto: safe}\n" \
        "  wait2:\n    text: Still.\n    choices:\n      - {text: Back, goto: wait}\n"
    story = load_story(write_story(tmp_path / "stuck", {"story.yaml": HEADER, "01.yaml": text}))
    result = sim.exhaustive(story, "random")
    assert result["loops"] == {"wait": Fraction(1, 2)} or result["loops"] == {"wait2": Fraction(1, 2)}


def test_exhaustive_from_a_scene_with_values(tmp_path):
    story = load_story(write_story(tmp_path / "odds", {"story.yaml": HEADER, "01.yaml": ODDS}))
    result = sim.exhaustive(story, "random", start="river")
    assert result["endings"] == {"drowned": Fraction(1, 2), "safe": Fraction(1, 2)}


def test_decimal_chances_are_exact_fractions_of_their_text(tmp_path):
    text = ODDS.replace("chance: 0.2,", "chance: \"0.1 + cash / 1000\",")
    story = load_story(write_story(tmp_path / "odds", {"story.yaml": HEADER, "01.yaml": text}))
    result = sim.exhaustive(story, "careful", start="start")
    assert result["endings"]["caught"] == Fraction(1, 5)  # 0.1 + 100/1000, not 0.20000000000000001


def test_shipped_story_has_no_soft_locks_in_2000_runs():
    code, report = simulate_json(REPO / "story", "--runs", "2000", "--seed", "1", "--workers", "2")
    assert report["soft_locks"] == [] and report["loops"] == []
    assert code == 0


def test_a_waiting_loop_that_counts_days_is_solved_exactly(tmp_path):
    header = HEADER + "  days: {start: 0, min: 0, label: Days}\n"
    text = ODDS.replace("      - text: Give up\n        goto: lost\n",
                        "      - text: Give up\n        if: days >= 3\n        goto: lost\n"
                        "      - text: Wait\n        effects: {days: 1}\n        goto: start\n")
    story = load_story(write_story(tmp_path / "wait", {"story.yaml": header, "01.yaml": text}))
    result = sim.exhaustive(story, "random", state_limit=1000)
    assert not result["hit_limit"] and result["states"] < 20
    assert sum(result["endings"].values()) == 1


def test_simulate_starts_from_a_scene_with_values_and_items(tmp_path):
    text = ODDS.replace("      - text: Swim\n", "      - text: Phone ahead\n        if: has(phone)\n        goto: safe\n"
                                                "      - text: Swim\n")
    header = HEADER + "items:\n  phone: {label: Phone}\n"
    folder = write_story(tmp_path / "scene", {"story.yaml": header, "01.yaml": text})
    code, report = simulate_json(folder, "--runs", "300", "--start", "river", "--set", "phone=true",
                                 "--policy", "careful")
    assert code == 0 and report["endings"] == {"safe": 300}
    out = subprocess.run([sys.executable, "-m", "game", "simulate", str(folder), "--exhaustive", "--json",
                          "--start", "river", "--set", "cash=5"], capture_output=True, text=True, cwd=REPO, timeout=120)
    exact = json.loads(out.stdout)["random"]["endings"]
    assert exact == {"drowned": {"fraction": "1/2", "value": 0.5}, "safe": {"fraction": "1/2", "value": 0.5}}


def test_the_text_report_counts_every_soft_lock_and_cuts_choice_text_at_a_word(planted):
    """Ten soft-locks are listed, then how many runs there were in all; a long choice's text is cut at a word
    with "…" (a writer trial read "(… ask the market's security man abo)")."""
    chapter = planted / "01.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "text: A door that never opens", "text: A door that never opens, however long you stand in front of it"),
        encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "game", "simulate", str(planted), "--runs", "300", "--seed", "2"],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    code, report = simulate_json(planted, "--runs", "300", "--seed", "2")
    locks = len(report["soft_locks"])
    assert out.returncode == 1 and locks > 10
    assert out.stdout.count("SOFT-LOCK at 'stuck'") == 10
    assert f"… {locks} of the 300 runs ended in a soft-lock (--json lists them all)" in out.stdout
    assert "(A door that never opens, however long you stand…)" in out.stdout, out.stdout


def test_a_tiny_exact_share_is_never_printed_as_zero():
    from game.writer.simreport import _share, _short

    assert _share(Fraction(1, 10**9)).strip() == "<0.001%" and _share(Fraction(0)).strip() == "0.000%"
    assert _share(Fraction(1, 3)).strip() == "33.333%" and len(_share(Fraction(1, 10**9))) == 8
    cut = _short("word " * 20)
    assert len(cut) <= 50 and cut.endswith(" word…") and set(cut[:-1].split()) == {"word"}
    assert _short("short") == "short"


def test_a_long_exact_fraction_is_shortened_in_the_text_and_whole_in_the_json():
    """The text report keeps a line readable (the shipped story's fractions run to 230 digits); --json is exact."""
    from game.writer.simreport import FRACTION_WIDTH, _written

    assert _written(Fraction(4, 25)) == "4/25"
    long = Fraction(3**300 + 1, 2**500)
    shown = _written(long)
    top, bottom = str(long.numerator), str(long.denominator)
    assert shown == f"{top[:6]}…/{bottom[:6]}… ({len(top)} and {len(bottom)} digits; --json gives it whole)"
    assert len(shown) < 2 * FRACTION_WIDTH


def test_the_shipped_story_exact_report_fits_a_terminal_and_its_json_is_whole():
    args = ["--exhaustive", "--policy", "careful"]
    text = subprocess.run([sys.executable, "-m", "game", "simulate", "story", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    code, report = simulate_json("story", *args)
    assert text.returncode == code == 0
    lines = [line for line in text.stdout.splitlines() if line.startswith("  seoul_in_debt")]
    assert len(lines) == 1 and len(lines[0]) < 120 and "digits; --json gives it whole" in lines[0], lines
    written = report["careful"]["endings"]["seoul_in_debt"]["fraction"]
    top, bottom = written.split("/")
    assert len(top) > 100 and f"{top[:6]}…/{bottom[:6]}… ({len(top)} and {len(bottom)} digits" in lines[0]
