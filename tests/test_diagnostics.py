"""Every catalogue entry's example story reports its code at the stated file and line."""

from __future__ import annotations

import pytest

from conftest import write_story
from game.story import diagnostics as dx
from game.story.loader import analyse

SMALL_MAP = """<?xml version="1.0" encoding="UTF-8"?>
<map version="1.10" orientation="orthogonal" renderorder="right-down" width="4" height="4" tilewidth="32"
     tileheight="32" infinite="0" nextlayerid="3" nextobjectid="2">
 <objectgroup id="1" name="locations">
  <object id="1" name="hyesan" x="10" y="10">
   <properties>
    <property name="label" value="Hyesan"/>
    <property name="label_ko" value="혜산"/>
    <property name="country" value="KP"/>
    <property name="lat" type="float" value="41.4"/>
    <property name="lon" type="float" value="128.18"/>
    <property name="note" value="A market city on the Yalu."/>
   </properties>
   <point/>
  </object>
 </objectgroup>
 <objectgroup id="2" name="legs"/>
</map>
"""


@pytest.mark.parametrize("code", sorted(dx.CATALOGUE))
def test_catalogue_example_reports_its_code(tmp_path, code):
    entry = dx.CATALOGUE[code]
    files = dict(dx.BASE_STORY)
    files.update(entry.example)
    if "map.tmx" in files:
        files["map.tmx"] = SMALL_MAP
    for name in files:
        (tmp_path / "story" / name).parent.mkdir(parents=True, exist_ok=True)
    folder = write_story(tmp_path / "story", files)
    analysis = analyse(folder, translation=entry.lang or None)
    hits = [d for d in analysis.diagnostics if d.code == code]
    want_file, want_line = entry.at
    assert hits, f"{code} not reported; got {[str(d) for d in analysis.diagnostics]}"
    assert any(d.span.file.endswith(want_file) and d.span.line == want_line for d in hits), \
        [str(d) for d in hits]
    assert all(d.severity == entry.severity for d in hits)


def test_base_story_is_clean(tmp_path):
    analysis = analyse(write_story(tmp_path / "story", dx.BASE_STORY))
    assert analysis.diagnostics == []
    assert analysis.story is not None and set(analysis.story.nodes) == {"a", "b"}


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("goto: b", "goto: bb").replace(
        "      - text: Go on\n", "      - text: Go on\n        if: cahs > 1\n        colour: red\n")
    analysis = analyse(write_story(tmp_path / "story", files))
    codes = sorted(d.code for d in analysis.errors)
    assert codes == ["ER010", "ER020", "ER030"]


def test_exact_messages_for_common_mistakes(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("goto: b", "goto: bb").replace(
        "      - text: Go on\n", "      - text: Go on\n        if: cash >= 5 and hass(phone)\n")
    folder = write_story(tmp_path / "story", files)
    lines = [str(d).splitlines() for d in analyse(folder).errors]
    name = str(folder / "01_a.yaml")
    assert lines == [
        [f"{name}:6:27: error: ER033 there is no function 'hass'", "    hint: Did you mean 'has'?"],
        [f"{name}:7:15: error: ER020 'goto' leads to 'bb', which is not a node", "    hint: Did you mean 'b'?"],
    ]


def test_undeclared_name_in_block_text_points_at_its_line_and_column(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace(
        "    text: The start.\n", "    text: |\n      First line.\n      You have {cahs} left.\n")
    analysis = analyse(write_story(tmp_path / "story", files))
    (diag,) = analysis.errors
    assert (diag.code, diag.span.line, diag.span.col) == ("ER030", 5, 17)
    assert diag.hint == "Did you mean 'cash'?"


def test_complementary_conditions_are_not_a_soft_lock(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace(
        "      - text: Go on\n        goto: b\n",
        "      - text: Go on\n        if: cash > 5\n        goto: b\n      - text: Stay\n        if: cash <= 5\n        goto: b\n")
    assert [d.code for d in analyse(write_story(tmp_path / "story", files)).diagnostics] == []


@pytest.mark.parametrize("value", ['!!str "You have {cahs} left."', '&words "You have {cahs} left."',
                                   "!!str 'You have {cahs} left.'"])
def test_a_tag_or_anchor_before_quoted_text_does_not_move_the_column(tmp_path, value):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("    text: The start.\n", f"    text: {value}\n")
    (diag,) = analyse(write_story(tmp_path / "story", files)).errors
    line = files["01_a.yaml"].splitlines()[diag.span.line - 1]
    assert diag.code == "ER030"
    assert line[diag.span.col - 1:].startswith("cahs}")


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\u2028"])
def test_an_error_in_block_text_is_on_its_line_whatever_ends_the_lines(tmp_path, newline):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace(
        "    text: The start.\n", "    text: |\n      First line.\n      You have {cahs} left.\n").replace("\n", newline)
    (diag,) = analyse(write_story(tmp_path / "story", files)).errors
    assert (diag.code, diag.span.line, diag.span.col) == ("ER030", 5, 17)


def test_two_byte_order_marks_do_not_shift_positions(tmp_path):
    files = dict(dx.BASE_STORY)
    plain = analyse(write_story(tmp_path / "plain", files))
    files["01_a.yaml"] = "\ufeff\ufeff" + files["01_a.yaml"].replace("goto: b", "goto: bb")
    marked = analyse(write_story(tmp_path / "marked", files))
    (diag,) = marked.errors
    lines = files["01_a.yaml"].lstrip("\ufeff").splitlines()
    where = next((number, line.index("bb") + 1) for number, line in enumerate(lines, 1) if "goto: bb" in line)
    assert (diag.code, diag.span.line, diag.span.col) == ("ER020", *where)
    assert [n.span[1:] for n in marked.story.nodes.values()] == [n.span[1:] for n in plain.story.nodes.values()]


def test_equal_numbers_written_differently_stay_different_effects(tmp_path):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace(
        "      - text: Go on\n        goto: b\n",
        "      - text: Go on\n        effects: {cash: 0.0}\n        goto: b\n"
        "      - text: Wait\n        effects: {cash: -0.0}\n        goto: b\n")
    analysis = analyse(write_story(tmp_path / "story", files))
    assert not analysis.errors
    sources = [c.effects[0].source for n in analysis.story.nodes.values() for c in n.choices if c.effects]
    assert sources == ["0.0", "-0.0"]
