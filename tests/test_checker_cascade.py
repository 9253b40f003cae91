"""A file that cannot be read is named once, with its syntax error in plain words, and never cascades."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, STORY, write_story
from game.story import diagnostics as dx
from game.story.loader import analyse


def _copy_story(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    story_yaml = folder / "story.yaml"
    text = story_yaml.read_text(encoding="utf-8")
    story_yaml.write_text(text.replace("map: ../assets/maps/route.tmx", f"map: {REPO / 'assets/maps/route.tmx'}"),
                          encoding="utf-8")
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_one_unquoted_colon_in_the_first_chapter_is_one_error(tmp_path):
    folder = _copy_story(tmp_path)
    _edit(folder / "01_hyesan.yaml", "Follow Ok-hui behind", "Follow Ok-hui: behind")
    analysis = analyse(folder, check_map=False)
    lines = (folder / "01_hyesan.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "Follow Ok-hui:" in text)  # where the colon went in
    assert [(Path(d.span.file).name, d.span.line, d.code) for d in analysis.diagnostics] == [
        ("01_hyesan.yaml", line, "ER001")]
    assert "held back" in analysis.diagnostics[0].hint


def test_an_indentation_slip_in_a_new_chapter_is_one_error_listed_first(tmp_path):
    folder = _copy_story(tmp_path)
    (folder / "02b_bridge.yaml").write_text(
        "nodes:\n  bridge_wait:\n    text: You wait under the bridge.\n    choices:\n"
        "      - text: Go on\n        goto: bridge_more\n   bridge_more:\n    text: More.\n"
        "    choices:\n      - {text: On, goto: river_start}\n", encoding="utf-8")
    _edit(folder / "01_hyesan.yaml", "    choices:\n", "    choices:\n      - text: Wait under the bridge\n"
                                                     "        goto: bridge_wait\n")
    analysis = analyse(folder, check_map=False)
    assert [(Path(d.span.file).name, d.code) for d in analysis.diagnostics] == [("02b_bridge.yaml", "ER001")]
    assert "indented 3 spaces, which matches no line above it" in analysis.diagnostics[0].message


def test_every_unreadable_file_has_its_own_syntax_error(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("goto: b", "goto: c").replace("- text: Go on", "- text: Go: on")
    files["02_c.yaml"] = "nodes:\n  c:\n    text: \"Open\n    ending: {id: done, kind: safe, title: Done}\n  d:\n" \
                         "    text: \"x\"\n"
    analysis = analyse(write_story(tmp_path / "story", files))
    assert sorted((Path(d.span.file).name, d.code) for d in analysis.diagnostics) == [
        ("01_a.yaml", "ER001"), ("02_c.yaml", "ER001")]


def test_an_unreadable_facts_file_does_not_make_every_fact_link_unknown(tmp_path):
    folder = _copy_story(tmp_path)
    _edit(folder / "facts.yaml", "    text: ", "    text: \"", )
    analysis = analyse(folder, check_map=False)
    assert [d.code for d in analysis.diagnostics] == ["ER001"]


def test_an_emptied_chapter_is_named(tmp_path):
    folder = _copy_story(tmp_path)
    (folder / "08_thailand.yaml").write_text("", encoding="utf-8")
    analysis = analyse(folder, check_map=False)
    assert any(d.code == "ER009" and d.span.file.endswith("08_thailand.yaml") for d in analysis.diagnostics)


def test_a_new_empty_chapter_is_named(tmp_path):
    files = dict(dx.BASE_STORY, **{"02_new.yaml": "# to be written\n"})
    analysis = analyse(write_story(tmp_path / "story", files))
    assert [(Path(d.span.file).name, d.code, d.severity.value) for d in analysis.diagnostics] == [
        ("02_new.yaml", "ER009", "warning")]


def test_an_unclosed_quote_is_reported_where_it_opened(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = ("nodes:\n  a:\n    text: \"The start.\n    choices:\n      - text: Go on\n        goto: b\n"
                          "  b:\n    text: \"The end.\"\n    ending: {id: done, kind: safe, title: Done}\n")
    (diag,) = analyse(write_story(tmp_path / "story", files)).diagnostics
    assert (diag.code, diag.span.line, diag.span.col) == ("ER001", 3, 11)
    assert diag.message.startswith("the text opened with a quote at line 3 never closes")
    assert "indentation" not in diag.hint


@pytest.mark.parametrize(("text", "line", "words"), [
    ("nodes:\n  a:\n    text: x\n    choices:\n      - text: Go on\n        goto:herb_talk\n      - text: y\n"
     "        goto: a\n", 6, "'goto:herb_talk' needs a space after the colon"),
    ("nodes:\n  a:\n    text: x\n    choices:\n      - text: Go on\n      goto: a\n", 6,
     "where the next list item ('- ') was expected"),
    ("nodes:\n  a:\n    text: x\n    choices:\n      - text: Go on\n        goto: a\n   b:\n    text: y\n", 7,
     "indented 3 spaces, which matches no line above it"),
])
def test_syntax_errors_are_in_plain_words(tmp_path, text, line, words):
    files = dict(dx.BASE_STORY, **{"01_a.yaml": text})
    (diag,) = analyse(write_story(tmp_path / "story", files)).diagnostics
    assert diag.code == "ER001" and diag.span.line == line and words in diag.message, str(diag)
    assert "indicator" not in diag.message and "simple key" not in diag.message


def test_the_same_undeclared_name_twice_on_a_line_is_reported_at_each(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace(
        "    text: The start.\n", "    text: |\n      First line.\n      {cahs} and {cahs} again.\n")
    errors = analyse(write_story(tmp_path / "story", files)).errors
    assert sorted((d.span.line, d.span.col) for d in errors) == [(5, 8), (5, 19)]


def test_a_misspelt_node_id_without_a_close_match_gets_a_hint_about_nodes(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("      - text: Go on\n",
                                                    "      - text: Go on\n        if: visited(zzzqqq)\n")
    (diag,) = analyse(write_story(tmp_path / "story", files)).errors
    assert "node" in diag.hint and "story.yaml" not in diag.hint


def test_has_of_a_flag_says_it_is_a_flag(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("      - text: Go on\n",
                                                    "      - text: Go on\n        if: has(warned)\n")
    (diag,) = analyse(write_story(tmp_path / "story", files)).errors
    assert "is a flag" in diag.message and "has(" in diag.hint


def test_a_loop_without_a_way_out_names_every_node_with_its_line(tmp_path):
    files = dict(dx.BASE_STORY)
    entry = dx.CATALOGUE["ER045"]
    files.update(entry.example)
    (diag,) = [d for d in analyse(write_story(tmp_path / "story", files)).diagnostics if d.code == "ER045"]
    assert "'c'" in diag.message and "'d'" in diag.message and "line 10" in diag.message and "line 14" in diag.message


def test_a_loop_whose_exit_the_loop_can_change_is_not_reported(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("goto: b", "goto: c") + (
        "  c:\n    text: Wait.\n    choices:\n      - {text: Wait, goto: c, effects: {cash: 1}}\n"
        "      - {text: Leave, if: cash > 12, goto: b}\n")
    assert [d.code for d in analyse(write_story(tmp_path / "story", files)).diagnostics] == []


def test_dividing_by_zero_is_a_warning_where_the_slash_is(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("      - text: Go on\n",
                                                    "      - text: Go on\n        if: cash / (1 - 1) > 2\n")
    # ER042 (the only choice has a condition) and ER038 (it has no reason) are true too, and beside the point
    (diag,) = [d for d in analyse(write_story(tmp_path / "story", files)).diagnostics
               if d.code not in ("ER042", "ER038")]
    assert (diag.code, diag.severity.value, diag.span.line, diag.span.col) == ("ER036", "warning", 6, 18)


def test_a_copied_story_folder_is_told_that_the_map_path_is_relative(tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(STORY, folder)
    (diag,) = [d for d in analyse(folder).errors if d.code == "ER061"]
    assert "relative" in diag.hint or "read from the story folder" in diag.hint
    assert "copied or moved" in diag.hint and "make_map" not in diag.hint


def test_check_takes_a_chapter_file_and_checks_its_folder(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "game", "check", str(STORY / "01_hyesan.yaml")],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0 and "is not a folder" not in out.stdout + out.stderr
    assert "0 errors" in out.stdout


def test_list_codes_shows_an_example_of_every_code():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "game", "check", "--list-codes"],
                         capture_output=True, text=True, cwd=REPO, timeout=120).stdout
    assert "a hint specific to the problem" not in out
    assert out.count("for example:") == len(dx.CATALOGUE)
