"""Hostile or broken story files give diagnostics, quickly, and never a traceback."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TINY, write_story
from game.story.loader import analyse
from game.story.yamlsrc import MAX_FILE_BYTES


def codes(folder):
    return {d.code for d in analyse(folder).diagnostics}


def test_billion_laughs_is_refused_quickly(tmp_path):
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    bomb += "nodes: *i\n"
    folder = write_story(tmp_path / "s", {**TINY, "02_bomb.yaml": bomb})
    started = time.perf_counter()
    found = codes(folder)
    assert time.perf_counter() - started < 0.5
    assert "ER005" in found


def test_huge_file_is_refused_without_parsing(tmp_path):
    folder = write_story(tmp_path / "s", {**TINY, "02_big.yaml": "x: " + "y" * (MAX_FILE_BYTES + 1) + "\n"})
    started = time.perf_counter()
    assert "ER002" in codes(folder)
    assert time.perf_counter() - started < 0.5


def test_python_tags_are_refused(tmp_path):
    evil = "nodes:\n  x: !!python/object/apply:os.system [echo pwned]\n"
    folder = write_story(tmp_path / "s", {**TINY, "02_evil.yaml": evil})
    assert "ER004" in codes(folder)


def test_non_utf8_file_reports_the_byte_position(tmp_path):
    folder = write_story(tmp_path / "s", {**TINY, "02_latin1.yaml": "nodes:\n  x:\n    text: caf\udce9\n"})
    (diag,) = [d for d in analyse(folder).diagnostics if d.code == "ER003"]
    assert (diag.span.line, diag.span.col) == (3, 14)


def test_expression_injection_is_rejected_at_load_with_position(tmp_path):
    chapter = TINY["01_river.yaml"].replace("if: cash >= 1000", "if: __import__('os').system('x')")
    folder = write_story(tmp_path / "s", {**TINY, "01_river.yaml": chapter})
    (diag,) = [d for d in analyse(folder).errors]
    assert diag.code == "ER031"
    assert (diag.span.line, diag.span.col) == (16, 24)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_randomly_corrupted_story_files_only_produce_diagnostics(tmp_path, data):
    name = data.draw(st.sampled_from(sorted(TINY)))
    original = TINY[name].encode("utf-8")
    position = data.draw(st.integers(0, len(original)))
    mode = data.draw(st.sampled_from(["cut", "insert", "replace"]))
    junk = data.draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
        [b": ", b"\n  - ", b"{", b"&a ", b"*a", b"!!python/object ", b"\t", b"'", b"\xff", b"{if x}", b"{end}"]))
    if mode == "cut":
        broken = original[:position]
    elif mode == "insert":
        broken = original[:position] + junk + original[position:]
    else:
        broken = original[:position] + junk + original[position + len(junk):]
    folder = tmp_path / f"fuzz{data.draw(st.integers(0, 10**9))}"
    write_story(folder, TINY)
    (folder / name).write_bytes(broken)
    analysis = analyse(folder)  # must not raise anything
    for diag in analysis.diagnostics:
        assert diag.span.line >= 1 and diag.span.col >= 1
        assert diag.message


def test_complex_and_tagged_keys_are_reported_and_the_rest_is_read():
    from game.story.yamlsrc import parse_yaml

    source, problems = parse_yaml("t.yaml", b"? {a: 1}\n: b\n!!python/name:os.system k: v\nc: [1, x]\n")
    assert dict(source.data) == {"c": [1, "x"]}
    assert [(d.code, d.span.line) for d in problems] == [("ER011", 1), ("ER004", 3)]
