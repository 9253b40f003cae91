"""An emptied chapter is named once, and the errors that only follow from its missing nodes are held back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_checker_cascade import _copy_story

from conftest import REPO, write_story
from game.errors import StoryLoadError
from game.story import diagnostics as dx
from game.story.loader import analyse, load_story

EMPTY_FORMS = {
    "0 bytes": "",
    "only comments": "# China: to be rewritten\n\n# (nodes come back tomorrow)\n",
    "nodes: {}": "chapter: Hiding in China\nnodes: {}\n",
    "no nodes key": "chapter: Hiding in China\n",
    "nodes: with nothing": "chapter: Hiding in China\nnodes:\n",
}


@pytest.mark.parametrize("form", list(EMPTY_FORMS))
def test_an_emptied_chapter_is_one_error_and_its_follow_ons_are_held_back(tmp_path, form):
    folder = _copy_story(tmp_path)
    (folder / "03_china.yaml").write_text(EMPTY_FORMS[form], encoding="utf-8")
    (diag,) = analyse(folder).diagnostics  # gotos, visited(), flags, facts and reachability all held back
    assert (Path(diag.span.file).name, diag.span.line, diag.code, diag.severity.value) == (
        "03_china.yaml", 1, "ER009", "error")
    assert diag.message.startswith("the chapter file 03_china.yaml has no nodes, so ")
    assert "held back" in diag.message and "restore it" in diag.hint


def test_a_typo_elsewhere_is_still_reported_while_a_chapter_is_empty(tmp_path):
    folder = _copy_story(tmp_path)
    (folder / "03_china.yaml").write_text("", encoding="utf-8")
    broker = folder / "04_broker.yaml"
    text = broker.read_text(encoding="utf-8")
    assert "{cash}" in text
    broker.write_text(text.replace("{cash}", "{cahs}", 1), encoding="utf-8")
    codes = [(Path(d.span.file).name, d.code) for d in analyse(folder).diagnostics]
    assert codes == [("03_china.yaml", "ER009"), ("04_broker.yaml", "ER030")]


def test_every_chapter_of_the_shipped_story_emptied_in_turn_is_one_error(tmp_path):
    for chapter in sorted(p.name for p in (REPO / "story").glob("0*.yaml")):
        folder = _copy_story(tmp_path / chapter)
        (folder / chapter).write_text("nodes: {}\n", encoding="utf-8")
        assert [(Path(d.span.file).name, d.code) for d in analyse(folder).diagnostics] == [(chapter, "ER009")]


@pytest.mark.parametrize("form", list(EMPTY_FORMS))
def test_a_new_empty_chapter_is_named_as_a_warning(tmp_path, form):
    files = dict(dx.BASE_STORY, **{"02_new.yaml": EMPTY_FORMS[form]})
    analysis = analyse(write_story(tmp_path / "story", files))
    assert [(Path(d.span.file).name, d.code, d.severity.value, d.message) for d in analysis.diagnostics] == [
        ("02_new.yaml", "ER009", "warning", "the chapter file 02_new.yaml has no nodes")]


def test_a_story_with_an_emptied_chapter_cannot_be_played_and_check_says_why(tmp_path):
    folder = _copy_story(tmp_path)
    (folder / "03_china.yaml").write_text("", encoding="utf-8")
    with pytest.raises(StoryLoadError):
        load_story(folder)  # its gotos lead nowhere: held back from the list, never from the rules
    out = subprocess.run([sys.executable, "-m", "game", "check", str(folder)], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert out.returncode != 0
    lines = [line for line in out.stdout.splitlines() if ": error: " in line or ": warning: " in line]
    assert len(lines) == 1 and "03_china.yaml:1:1: error: ER009 the chapter file 03_china.yaml has no nodes" in lines[0]


def test_a_new_empty_chapter_silences_nothing_else(tmp_path):
    files = dict(dx.BASE_STORY, **{"02_new.yaml": ""})
    files["story.yaml"] += "journey_choices: [5, 10]\n"  # the catalogue's example of ER048
    codes = sorted(d.code for d in analyse(write_story(tmp_path / "story", files)).diagnostics)
    assert codes == ["ER009", "ER048"]
