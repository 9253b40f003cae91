"""What a writer who knows only the docs met in a trial (issue 18): each rule is the checker's, each
message points at the line to fix, and each promise of the docs is what the tools do."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

from conftest import REPO, STORY, write_story
from game.story import diagnostics as dx
from game.story.loader import analyse, load_story

A = dx.BASE_STORY["01_a.yaml"]
FACTS = ("facts:\n  pay:\n    text: Kitchen work paid about 150 yuan a week.\n    source: https://example.org\n"
         "    source_title: Example, 2010\n    year: 2010\n    confidence: weak\n    quote: 150 yuan\n"
         "    checked: \"2026-11-29\"\n")


def diagnose(tmp_path, chapter: str, **more: str) -> list[str]:
    """The checker's report on the base story with ``01_a.yaml`` replaced, one line per problem, paths cut."""
    files = {**dx.BASE_STORY, "01_a.yaml": chapter, **more}
    folder = write_story(tmp_path / "story", files)
    return [str(d).replace(str(folder) + "/", "") for d in analyse(folder).diagnostics]


# ---------------------------------------------------------------- prices and distances (ER054)

def test_a_price_or_distance_without_a_fact_is_reported_at_the_number(tmp_path):
    chapter = A.replace("    text: The start.\n", "    text: |\n      The cook says the road is long.\n"
                                                 "      She pays you ¥150 for the week.\n") \
               .replace("      - text: Go on\n", "      - text: Walk the 300 km to Yanji\n") \
               .replace("        goto: b\n", "        if: cash > 1\n        reason: It costs 80 yuan.\n"
                                             "        goto: b\n      - text: Stay\n        goto: b\n")
    warnings = [d for d in diagnose(tmp_path, chapter) if "ER054" in d]
    assert [w.splitlines()[0] for w in warnings] == [
        "01_a.yaml:5:20: warning: ER054 'a' states ¥150 but links no fact",
        "01_a.yaml:7:24: warning: ER054 'a' states 300 km but links no fact",
        "01_a.yaml:9:26: warning: ER054 'a' states 80 yuan but links no fact",
    ]
    assert "link the fact that gives it with 'facts: [...]'" in warnings[0]


def test_a_linked_fact_or_the_choices_own_cost_needs_nothing_more(tmp_path):
    costed = A.replace("        goto: b\n", "        if: cash >= 40\n        reason: You need ¥40.\n"
                                            "        effects: {cash: -40}\n        goto: b\n"
                                            "      - text: Leave it\n        goto: b\n")
    assert [d for d in diagnose(tmp_path / "own", costed) if "ER054" in d] == []
    sourced = A.replace("    text: The start.\n", "    text: She pays you 150 yuan.\n    facts: [pay]\n")
    assert diagnose(tmp_path / "fact", sourced, **{"facts.yaml": FACTS}) == []


def test_a_fact_from_before_1900_is_refused_with_its_line(tmp_path):
    linked = A.replace("    text: The start.\n", "    text: The start.\n    facts: [pay]\n")
    (line,) = [d for d in diagnose(tmp_path, linked, **{"facts.yaml": FACTS.replace("year: 2010", "year: 210")})
               if "ER014" in d]
    assert line.startswith("facts.yaml:6:11: error: ER014 year 210 of fact 'pay' is not the year of a modern source")


# ---------------------------------------------------------------- messages at the line to fix

def test_a_tab_in_the_indentation_is_named_at_its_line(tmp_path):
    (line,) = diagnose(tmp_path, A.replace("        goto: b\n", "\t    goto: b\n"))
    assert line.startswith("01_a.yaml:6:1: error: ER001 this line is indented with a tab\n"
                           "    hint: YAML indents with spaces only: replace the tab with spaces")


def test_a_list_dash_one_space_short_is_the_line_reported(tmp_path):
    chapter = ("nodes:\n  a:\n    text: The start.\n    choices:\n      - text: Go on\n        goto: b\n"
               "      - text: Run\n        goto: b\n     - text: Take your pay in yuan\n        goto: b\n"
               "  b:\n    text: The end.\n    ending: {id: done, kind: safe, title: Done}\n")
    (line,) = diagnose(tmp_path, chapter)
    assert line.splitlines()[0] == ("01_a.yaml:9:6: error: ER001 this line is indented 5 spaces, which matches no "
                                    "line above it (the lines of line 5's block are indented 6, their parent 4)")
    assert "6 spaces, as line 5" in line


def test_a_first_list_dash_one_space_short_is_the_line_reported_not_a_quoting_problem(tmp_path):
    item = "      - text: Onward\n        goto: b\n"
    chapter = ("nodes:\n  a:\n    text: The start.\n    choices:\n" + item + item + "  c:\n    text: Pay day.\n"
               "    choices:\n     - text: Take your pay in yuan\n        effects: {cash: 120}\n        goto: b\n"
               + item + "  b:\n    text: The end.\n    ending: {id: done, kind: safe, title: Done}\n")
    (line,) = diagnose(tmp_path, chapter)
    assert line.splitlines() == [
        "01_a.yaml:12:6: error: ER001 this '- ' is indented 5 spaces, but the other items of such lists are "
        "indented 6",
        "    hint: Indent it 6 spaces; the lines of its item (line 13 on) then line up under its first key. Until "
        "then nothing else in this file is checked, and problems in other files that come only from what it "
        "declares (its nodes, flags, fact links) are held back."]


def test_a_node_key_one_space_too_deep_is_named_with_the_line_it_disagrees_with(tmp_path):
    chapter = A.replace("  b:\n    text: The end.\n", "  b:\n     title: The end\n    text: The end.\n")
    (line,) = diagnose(tmp_path, chapter)
    assert line.splitlines()[0] == ("01_a.yaml:8:6: error: ER001 line 9 is indented 4 spaces, but line 8, the "
                                    "first line of its block, is indented 5")
    assert "Indent lines 8 and 9 the same" in line and "the other blocks here use 4" in line


def test_a_quote_left_open_on_a_reason_names_that_key(tmp_path):
    chapter = A.replace("        goto: b\n", "        if: cash > 1\n        reason: \"You need money.\n"
                                            "        goto: b\n")
    (line,) = diagnose(tmp_path, chapter)
    assert line.startswith("01_a.yaml:7:17: error: ER001 the text opened with a quote at line 7 never closes")
    assert "or use 'reason: |'." in line and "text: |" not in line


def test_a_chance_in_percent_is_told_the_fraction(tmp_path):
    chapter = A.replace("        goto: b\n", "        goto: b\n        roll: {chance: 35%, label: x, fail: b}\n", 1)
    (line,) = diagnose(tmp_path, chapter)
    assert line == ("01_a.yaml:7:26: error: ER031 unexpected character '%'\n"
                    "    hint: Write a chance as a fraction, without '%': write 0.35 for 35%.")


def test_a_branch_without_an_entrance_is_one_warning_at_its_first_node(tmp_path):
    branch = "".join(f"  n{i}:\n    text: Step {i}.\n    choices:\n      - {{text: Onward, goto: {f'n{i + 1}' if i < 5 else 'b'}}}\n"
                     for i in range(6))
    (line,) = diagnose(tmp_path, A + branch)
    assert line.splitlines()[0] == ("01_a.yaml:10:3: warning: ER040 node 'n0' cannot be reached from the start, "
                                    "nor can the 5 nodes it leads to ('n1', 'n2', 'n3', …)")


def test_an_undeclared_name_is_told_a_chapter_can_declare_flags(tmp_path):
    lines = diagnose(tmp_path, A.replace("      - text: Go on\n", "      - text: Go on\n        if: gave_name\n"))
    (line,) = [d for d in lines if "ER030" in d]
    assert "a flag in this chapter's 'flags:' list" in line


def test_a_reason_without_a_condition_is_a_warning(tmp_path):
    (line,) = diagnose(tmp_path, A.replace("        goto: b\n", "        reason: You need money.\n        goto: b\n"))
    assert line.startswith("01_a.yaml:6:17: warning: ER037 this choice has a 'reason:' but no 'if:'")


def test_an_unknown_place_gets_ids_sharing_a_word_and_the_command_that_lists_them(tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(STORY, folder / "story")
    shutil.copytree(REPO / "assets" / "maps", folder / "assets" / "maps")
    chapter = folder / "story" / "03_china.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("location: changbai\n",
                                                                    "location: changbai_mountains\n", 1),
                       encoding="utf-8")
    (diag,) = [d for d in analyse(folder / "story").diagnostics if d.code == "ER060"]
    assert diag.hint.startswith("Did you mean 'changbai'?") and "escape-route check --locations" in diag.hint
    out = subprocess.run([sys.executable, "-m", "game", "check", "--locations", str(STORY)],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0
    assert "changbai  " in out.stdout and "Changbai (CN)" in out.stdout
    assert out.stdout.rstrip().splitlines()[-1].endswith("assets/maps/route.tmx")


# ---------------------------------------------------------------- the docs' promises

def test_the_terminal_lists_the_facts_of_every_passage_passed(tmp_path):
    from game.textui import run_text

    chapter = A.replace("    text: The start.\n", "    text: The start.\n    facts: [pay]\n")
    story = load_story(write_story(tmp_path / "story", {**dx.BASE_STORY, "01_a.yaml": chapter, "facts.yaml": FACTS}))
    out = io.StringIO()
    run_text(story, 1, False, stdin=io.StringIO("1\n"), stdout=out)
    text = " ".join(out.getvalue().split())
    assert "Sources - Kitchen work paid about 150 yuan a week. (Example, 2010; weak confidence: https://example.org)" \
        in text


def test_simulate_from_a_scene_counts_coverage_from_that_scene():
    out = subprocess.run([sys.executable, "-m", "game", "simulate", str(STORY), "--start", "laos_border",
                          "--runs", "40", "--seed", "1"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert "nodes reachable from 'laos_border'" in out.stdout
    assert "hyesan_market" not in out.stdout and "more choices never taken" not in out.stdout


def test_autoplay_in_the_terminal_says_it_is_for_the_window():
    out = subprocess.run([sys.executable, "-m", "game", "play", "--text", "--autoplay", "random"],
                         capture_output=True, text=True, cwd=REPO, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("escape-route play: --autoplay plays in the window, not with --text.")


def test_a_branch_file_with_its_chapters_title_renumbers_no_chapter(tmp_path):
    files = {**dx.BASE_STORY,
             "01_a.yaml": "chapter: Home\n" + A.replace("goto: b", "goto: side"),
             "01b_side.yaml": "chapter: Home\nnodes:\n  side:\n    text: A side way.\n    choices:\n"
                              "      - {text: Back, goto: b}\n",
             "02_b.yaml": "chapter: Away\nnodes:\n  b:\n    text: The end.\n"
                          "    ending: {id: done, kind: safe, title: Done}\n"}
    files["01_a.yaml"] = files["01_a.yaml"].replace("  b:\n    text: The end.\n    ending: {id: done, kind: safe, "
                                                    "title: Done}\n", "")
    story = load_story(write_story(tmp_path / "story", files))
    assert [title for _file, title in story.chapters] == ["Home", "Home", "Away"]
    assert (story.chapter_number("Home"), story.chapter_number("Away")) == (1, 2)
