"""The checker speaks Korean all the way with --lang ko, and its English stays word for word.

Every catalogue entry's example story (game/story/diagnostics.py) is checked by the real
command line in Korean: the message and the hint of each problem it reports must be
Korean, not an English sentence with a Korean frame around it. What may stay as it is:
quoted and backticked text, {names}, ids, paths, file names, YAML keys and code, and
lists of allowed values ("safe, caught, lost"). A run of three or more English words
separated by spaces, once those are taken out, is an English sentence a Korean writer
would have to read.

The English of every example is compared with a golden file
(tests/data/checker_examples_en.txt), written before the checker's sentences went
through gettext, so the translation layer cannot change a word of the English.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_checker_cascade import _copy_story
from test_diagnostics import SMALL_MAP

from conftest import REPO, write_story
from game.l10n import set_language
from game.story import diagnostics as dx
from game.story.loader import analyse

HANGUL = re.compile(r"[\uac00-\ud7a3]")
GOLDEN = REPO / "tests" / "data" / "checker_examples_en.txt"
#: What a Korean message may quote as it is: 'quoted', "quoted", `code`, {name} and {if …} tags.
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\{[^{}]*\}")
#: Tokens that are data, not words: paths and file names, ids with _ or digits, options, and/or lists.
DATA = re.compile(r"\S*[/\\.:_\d=-]\S*")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){2,}")


def _example(tmp_path: Path, entry: dx.Entry) -> Path:
    files = dict(dx.BASE_STORY)
    files.update(entry.example)
    if "map.tmx" in files:
        files["map.tmx"] = SMALL_MAP
    for name in files:
        (tmp_path / "story" / name).parent.mkdir(parents=True, exist_ok=True)
    return write_story(tmp_path / "story", files)


def _check(folder: Path, entry: dx.Entry, data_dir: Path, *lang: str) -> list[dict]:
    args = ["check", str(folder), "--json", *lang]
    if entry.lang:
        args += ["--translation", entry.lang]
    env = {"ESCAPE_ROUTE_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "LANGUAGE": "en"}
    result = subprocess.run([sys.executable, "-m", "game", *args], cwd=REPO, capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return [d for d in report["errors"] + report["warnings"] if d["code"] == entry.code]


def english_left(text: str) -> str | None:
    """The first English sentence left in ``text`` once what may stay as it is is taken out (None: none)."""
    bare = " ".join(DATA.sub(" ", QUOTED.sub(" ", text)).split())
    found = ENGLISH_SENTENCE.search(bare)
    return found.group() if found else None


def test_the_sentence_finder_finds_english_and_lets_data_be():
    assert english_left("'goto'이(가) 가리키는 'bb'은(는) 노드가 아닙니다") is None
    assert english_left("결말 종류 'great'은(는) safe, caught, lost, stayed 중 하나가 아닙니다") is None
    assert english_left("/tmp/x/story/01_a.yaml:7:3에도 and/or/not, {if warned}…{end}") is None
    assert english_left("노드 'b': has both 'choices' and 'ending'") == "has both and"
    assert english_left("숫자 .inf: is not a finite number") == "is not a finite number"


@pytest.mark.parametrize("code", sorted(dx.CATALOGUE))
def test_every_catalogue_example_is_reported_in_korean(tmp_path, code):
    entry = dx.CATALOGUE[code]
    found = _check(_example(tmp_path, entry), entry, tmp_path / "data", "--lang", "ko")
    assert found, f"{code} not reported"
    for diagnostic in found:
        for part in ("message", "hint"):
            text = diagnostic[part]
            if not text and part == "hint":
                continue
            assert HANGUL.search(text), f"{code} {part} has no Korean: {text!r}"
            assert english_left(text) is None, f"{code} {part} has English: {english_left(text)!r} in {text!r}"


def _english_lines(tmp_path: Path) -> list[str]:
    """Every example's diagnostics of its own code, as ``CODE | message | hint``, with the folder as STORY."""
    lines = []
    set_language("en")
    for code, entry in sorted(dx.CATALOGUE.items()):
        folder = _example(tmp_path / code, entry)
        for d in analyse(folder, translation=entry.lang or None).diagnostics:
            if d.code == code:
                lines.append(f"{code} | {d.message} | {d.hint}".replace(str(folder), "STORY"))
    return lines


def test_the_english_of_every_example_is_word_for_word_as_before(tmp_path):
    assert _english_lines(tmp_path) == GOLDEN.read_text(encoding="utf-8").splitlines()


def test_the_english_plural_and_singular_of_the_translation_counts(tmp_path):
    entry = dx.CATALOGUE["ER075"]
    folder = _example(tmp_path, entry)
    (fuzzy,) = [d for d in analyse(folder, translation="ko").diagnostics if d.code == "ER075"]
    assert fuzzy.message == ("1 translation is fuzzy (the English changed or the entry is marked for review; "
                             "first: 'node:a/text')")
    missing = [d.message for d in analyse(folder, translation="ko").diagnostics if d.code == "ER074"]
    assert '4 strings of story are not translated (first: "Example", story/title)' in missing
    (folder / "story.yaml").write_text(dx.BASE_STORY["story.yaml"].replace("content_note: An example.\n",
                                                                           "content_note: An example.\n"))
    set_language("ko")
    try:
        (fuzzy,) = [d for d in analyse(folder, translation="ko").diagnostics if d.code == "ER075"]
    finally:
        set_language("en")
    assert fuzzy.message.startswith("번역 1개가 퍼지입니다")


def test_an_emptied_chapter_holds_back_its_follow_ons_in_korean_too(tmp_path):
    """Which problems follow from an emptied chapter is decided by kind, not by the English words."""
    folder = _copy_story(tmp_path)
    (folder / "03_china.yaml").write_text("", encoding="utf-8")
    set_language("ko")
    try:
        diagnostics = analyse(folder).diagnostics
    finally:
        set_language("en")
    assert [d.code for d in diagnostics] == ["ER009"], [str(d) for d in diagnostics]
    assert diagnostics[0].message.startswith("장 파일 03_china.yaml에 노드가 없어서")
    assert english_left(diagnostics[0].message) is None


@pytest.mark.parametrize("text, expected", [
    ("cash = 5", "'='는 비교가 아닙니다. 비교하려면 '=='를 쓰세요"),
    ("has(warned)", "'warned'은(는) 물건이 아니라 플래그입니다. has() 없이 warned(이)라고 쓰세요"),
    ("not cash", "'not'에는 숫자가 아니라 참/거짓 값이 필요합니다"),
])
def test_expression_mistakes_beyond_the_examples_are_korean(tmp_path, text, expected):
    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("      - text: Go on\n",
                                                    f"      - text: Go on\n        if: \"{text}\"\n")
    set_language("ko")
    try:
        messages = [d.message for d in analyse(write_story(tmp_path / "story", files)).errors]
    finally:
        set_language("en")
    assert expected in messages, messages


def test_a_reload_after_the_language_changes_speaks_the_new_language(tmp_path):
    """Hot reload keeps parsed files and tags across reloads; their problems must not stay in the old language."""
    from game.story.loader import ParseCache

    files = dict(dx.BASE_STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("text: The start.", "text: \"{if warned}Careful.\"").replace(
        "      - text: Go on\n", "      - text: Go on\n        if: cash >= \n")
    folder = write_story(tmp_path / "story", files)
    broken_yaml = write_story(tmp_path / "other", {**dx.CATALOGUE["ER001"].example, "story.yaml": files["story.yaml"]})
    cache = ParseCache()
    english = [d.message for d in analyse(folder, cache).errors] + [d.message for d in analyse(broken_yaml, cache).errors]
    set_language("ko")
    try:
        korean = [d.message for d in analyse(folder, cache).errors] + [d.message for d in analyse(broken_yaml, cache).errors]
    finally:
        set_language("en")
    assert len(english) == len(korean) == 3, (english, korean)
    assert not any(HANGUL.search(m) for m in english)
    assert all(HANGUL.search(m) and english_left(m) is None for m in korean), korean
