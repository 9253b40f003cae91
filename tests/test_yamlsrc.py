"""The YAML reader gives the same values as PyYAML's safe loader, plus positions."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.story.yamlsrc import LList, LMap, Positions, parse_yaml

# Plain scalars whose type YAML 1.1 decides by their spelling.
TRICKY = ["yes", "No", "NO", "on", "Off", "true", "False", "TRUE", "null", "Null", "~", "y", "n", "nothing",
          "yesterday", "Ontario", "offer", "truth", "Nullable", "12", "-7", "+3", "1_000", "0x1F", "0b101", "1.5",
          "-.5", "1e3", "6.02e+23", ".inf", "-.Inf", ".nan", "190:20:30", "n503", "end_35",
          "Night village", "Yes, she said", "no one", "true story", "0.09", "cash >= 63", "= 3"]


def read(text: str):
    src, problems = parse_yaml("t.yaml", text.encode())
    # Values resolve as PyYAML's do; numbers a story cannot play with are also reported (ER008).
    assert [p for p in problems if p.code != "ER008"] == []
    return src.data


@pytest.mark.parametrize("word, reported", [(".inf", True), ("-.Inf", True), (".nan", True), ("6.02e+23", True),
                                            ("1" * 400, True), ("1e15", False), ("-1000000000000000", False),
                                            ("0.09", False)])
def test_numbers_a_story_cannot_play_with_are_reported_where_they_stand(word, reported):
    _, problems = parse_yaml("t.yaml", f"a: 1\nkey: [x, {word}]\n".encode())
    codes = [(p.code, p.span.line, p.span.col) for p in problems]
    assert codes == ([("ER008", 2, 10)] if reported else [])


def plain(value):
    """LMap/LList as dict/list, to compare with what PyYAML builds."""
    if isinstance(value, LMap):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, LList):
        return [plain(item) for item in value]
    return value


@pytest.mark.parametrize("word", TRICKY)
def test_plain_scalars_resolve_as_pyyaml_does(word):
    text = f"key: {word}\nlist: [{word}]\n"
    expected = yaml.safe_load(text)
    got = plain(read(text))
    if expected["key"] != expected["key"]:  # .nan
        assert got["key"] != got["key"]
    else:
        assert got == expected
        assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]


_KEYS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                     st.floats(allow_nan=False, allow_infinity=False, width=32),
                     st.sampled_from(TRICKY), st.text(max_size=30))
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _DATA, min_size=1, max_size=5), st.sampled_from([False, True, None]))
def test_any_dumped_data_reads_back_the_same(data, flow):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    assert plain(read(text)) == yaml.safe_load(text)


def test_dates_and_merge_marks_stay_text():
    """Unlike PyYAML, which makes a date object or fails: a story has no use for either."""
    assert plain(read("when: 2010-03-01\nmark: <<\n")) == {"when": "2010-03-01", "mark": "<<"}


def test_positions_of_keys_values_and_items():
    data = read("nodes:\n  river:\n    text: Cold water.\n    tags: [night, border]\n")
    river = data["nodes"]["river"]
    assert tuple(data["nodes"].key_span("river"))[:3] == ("t.yaml", 2, 3)
    assert tuple(river.value_span("text"))[:5] == ("t.yaml", 3, 11, 3, 22)
    assert tuple(river["tags"].item_span(1))[:3] == ("t.yaml", 4, 19)


_LINES = st.lists(st.sampled_from(["key: value", "- item", "  nested: 1", "text: |", "  block line", "# note",
                                   "", "quoted: \"a b\"", "é: ü"]), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(_LINES, st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]))
def test_lines_and_columns_match_libyaml_whatever_the_line_breaks(lines, newline):
    """Positions are kept as character indexes; lines and columns are worked out as libyaml counts them."""
    text = newline.join(lines) + newline
    try:
        events = list(yaml.parse(text, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader))
    except yaml.YAMLError:
        return  # not every mix of these lines is valid YAML
    positions = Positions("t.yaml", text)
    for event in events:
        for mark in (event.start_mark, event.end_mark):
            assert positions.mark(mark.index) == (mark.line, mark.column, mark.index)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\n\r\x85", max_size=40), st.data())
def test_a_span_agrees_with_the_marks_of_its_ends(text, data):
    positions = Positions("t.yaml", text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = positions.mark(start), positions.mark(end)
    assert tuple(positions.span(start << 32 | end)) == ("t.yaml", s.line + 1, s.column + 1, e.line + 1, e.column + 1)
