"""Translations: the story's catalogs (extract, update, check, play) and the program's own.

As a translator meets them: catalogs written and read by Babel as Poedit does, broken
translations planted in real .po files and found at their line, and a translated story
that never shows a broken string.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import REPO, write_story
from game.story import diagnostics as dx
from game.story.loader import analyse, load_story
from game.story.translation import story_strings
from game.writer.i18n import extract, update

STORY = dict(dx.BASE_STORY)
STORY["01_a.yaml"] = """\
chapter: The start
nodes:
  a:
    title: At home
    text: |
      You have {cash}. {if warned}She warned you.{else}Nobody warned you.{end}
    choices:
      # the quiet way
      - text: Go on
        goto: b
      - text: Run for it
        reason: Too tired.
        if: cash > 5
        goto: b
        roll: {chance: 0.2, label: a patrol sees you, fail: b}
  b:
    text: The end.
    ending:
      id: done
      kind: safe
      title: Done
      debrief: >-
        It was over, and the debrief says so in more than thirty words, because the checker asks every
        debrief to say what happened and what was real about it, with the facts it rests on, for a class.

"""


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=cwd or REPO,
                          timeout=120)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return write_story(tmp_path / "story", STORY)


def entries(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        return {m.context: m for m in read_po(handle) if m.id}


def translate(path: Path, table: dict[str, str], fuzzy: bool = False) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context in table:
            message.string = table[message.context]
            if fuzzy:
                message.flags.add("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def test_extract_gives_ids_by_inserting_lines_and_keeps_comments(story):
    before = (story / "01_a.yaml").read_text()
    added, written = extract(story)
    after = (story / "01_a.yaml").read_text()
    assert [a.id for a in added] == ["go", "run"]
    assert "      # the quiet way\n      - id: go\n        text: Go on\n" in after
    assert "      - id: run\n        text: Run for it\n" in after
    # Only the two id lines were added (the dash moved onto them): everything else is as the writer left it.
    assert after.replace("- id: go\n        text", "- text").replace("- id: run\n        text", "- text") == before
    assert {p.name for p in written} == {"01_a.pot", "story.pot"}
    assert analyse(story).diagnostics == []
    again, _ = extract(story)
    assert again == []  # nothing more to add the second time


def test_every_translatable_field_has_a_stable_context(story):
    extract(story)
    contexts = {s.context for s in story_strings(load_story(story))}
    assert {"story/title", "story/content_note", "resource:cash/label", "item:phone/label", "chapter:01_a/title",
            "node:a/title", "node:a/text", "node:a/choice:go/text", "node:a/choice:run/text",
            "node:a/choice:run/reason", "node:a/choice:run/risk", "node:b/text", "node:b/ending/title",
            "node:b/ending/debrief"} <= contexts


def test_update_keeps_marks_fuzzy_and_retires_by_context(story):
    extract(story)
    update(story, "ko")
    po = story / "locale" / "ko" / "01_a.po"
    translate(po, {"node:a/title": "집에서", "node:b/text": "끝."})
    # The writer changes one English text and reorders the choices: contexts keep their place.
    text = (story / "01_a.yaml").read_text().replace("title: At home", "title: At home, at night")
    (story / "01_a.yaml").write_text(text)
    result = run_cli("i18n", "extract", str(story))  # as a writer runs it: templates, then every language
    assert result.returncode == 0 and "1 now fuzzy" in result.stdout, result.stdout + result.stderr
    found = entries(po)
    assert found["node:a/title"].fuzzy and found["node:a/title"].string == "집에서"
    assert '#| msgid "At home"\nmsgctxt "node:a/title"' in po.read_text()  # the old English, for the translator
    assert not found["node:b/text"].fuzzy and found["node:b/text"].string == "끝."
    (story / "01_a.yaml").write_text(text.replace("  b:\n    text: The end.", "  b:\n    text: The very end."))
    extract(story)
    update(story, "ko")
    assert entries(po)["node:b/text"].fuzzy
    assert '#| msgid "At home"\nmsgctxt "node:a/title"' in po.read_text()  # kept by a second update


@pytest.mark.parametrize(("english_ctx", "bad", "why"), [
    ("node:a/text", "{cahs}가 있다. {if warned}경고했다.{else}아무도.{end}", "not a name the story declares"),
    ("node:a/text", "돈이 있다. {if warned}경고했다.{else}아무도.{end}", "{cash} of the English is missing"),
    ("node:a/text", "{cash} {cash}. {if warned}경고했다.{else}아무도.{end}", "is not in the English"),
    ("node:a/text", "{cash}. {if warned}경고했다.{else}아무도.", "cannot be read"),
    ("node:a/text", "{cash}. {if not warned}아무도.{else}경고했다.{end}", "differ from the English"),
    ("node:a/title", "{집}", "the English has no {…}"),
])
def test_a_broken_translation_is_found_at_its_po_line_and_shown_in_english(story, english_ctx, bad, why):
    extract(story)
    update(story, "ko")
    po = story / "locale" / "ko" / "01_a.po"
    translate(po, {english_ctx: bad})
    line = entries(po)[english_ctx].lineno
    found = [d for d in analyse(story, translation="ko").diagnostics if d.code == "ER073"]
    assert len(found) == 1, [str(d) for d in found]
    assert found[0].span.file.endswith("locale/ko/01_a.po") and found[0].span.line == line
    assert why in found[0].message
    played = load_story(story, lang="ko")
    node = played.nodes["a"] if english_ctx.startswith("node:a") else played.nodes["b"]
    assert (node.text_source if english_ctx.endswith("/text") else node.title) == \
        (load_story(story).nodes["a"].text_source if english_ctx.endswith("/text") else "At home")


def test_coverage_counts_missing_and_fuzzy_and_a_full_translation_is_clean(story):
    extract(story)
    update(story, "ko")
    result = run_cli("check", str(story), "--translation", "ko")
    assert "ER074" in result.stdout and "not translated" in result.stdout
    table = {s.context: f"번역 {i}" for i, s in enumerate(story_strings(load_story(story)))}
    table["node:a/text"] = "{cash}가 있다. {if warned}그녀가 경고했다.{else}아무도 경고하지 않았다.{end}"
    table["node:a/choice:go/text"] = "계속 간다"
    for po in (story / "locale" / "ko").glob("*.po"):
        translate(po, table)
    result = run_cli("check", str(story), "--translation", "ko")
    assert result.returncode == 0 and "0 errors, 0 warnings" in result.stdout, result.stdout
    translate(story / "locale" / "ko" / "01_a.po", {"node:a/title": "집"}, fuzzy=True)
    result = run_cli("check", str(story), "--translation", "ko")
    assert "ER075 1 translation is fuzzy" in result.stdout


def test_translated_story_shows_korean_and_keeps_the_rules(story):
    extract(story)
    update(story, "ko")
    translate(story / "locale" / "ko" / "01_a.po", {
        "node:a/text": "{cash}가 있다. {if warned}그녀가 경고했다.{else}아무도 경고하지 않았다.{end}",
        "node:a/choice:run/risk": "순찰대에 들킨다", "node:a/choice:run/reason": "너무 지쳤다."})
    english, korean = load_story(story), load_story(story, lang="ko")
    assert korean.nodes["a"].choices[1].roll.label == "순찰대에 들킨다"
    assert korean.nodes["a"].choices[1].reason == "너무 지쳤다."
    assert korean.nodes["a"].choices[1].goto == english.nodes["a"].choices[1].goto
    assert korean.nodes["a"].choices[1].roll.chance_source == english.nodes["a"].choices[1].roll.chance_source
    from game.engine.engine import Engine

    state = Engine(korean).new_game(1)
    assert "아무도 경고하지 않았다." in " ".join(Engine(korean).view(state).paragraphs)


@pytest.mark.parametrize("damage", [b"\x00\x01garbage", b"msgid \"x\nmsgstr", b"\xff\xfe\xfa", b""])
def test_a_damaged_catalog_is_one_clear_problem_never_a_crash(story, damage):
    extract(story)
    update(story, "ko")
    (story / "locale" / "ko" / "01_a.po").write_bytes(damage)
    result = run_cli("check", str(story), "--translation", "ko")
    assert "Traceback" not in result.stderr
    if damage:
        assert "ER071" in result.stdout or "ER074" in result.stdout
    assert load_story(story, lang="ko").nodes["a"].title == "At home"


def test_choice_ids_must_be_unique_in_a_node(story):
    text = (story / "01_a.yaml").read_text().replace("      - text: Run for it", "      - id: same\n        text: Run for it")
    text = text.replace("      - text: Go on", "      - id: same\n        text: Go on")
    (story / "01_a.yaml").write_text(text)
    assert [d.code for d in analyse(story).errors] == ["ER077"]


def test_the_shipped_catalogs_cover_every_string_of_the_story():
    """The shipped templates are what `i18n extract` makes now (a writer who edits the story runs it)."""
    story = load_story(REPO / "story")
    now = {s.context for s in story_strings(story, None) if not s.context.startswith("place:")}
    shipped = set()
    for pot in (REPO / "story" / "locale").glob("*.pot"):
        shipped |= {c for c in entries(pot) if c and not c.startswith("place:")}
    assert now == shipped, f"run: escape-route i18n extract story/ ({sorted(now ^ shipped)[:5]})"


def test_the_program_catalog_is_up_to_date_and_compiled():
    result = subprocess.run([sys.executable, "tools/i18n_interface.py", "--check"], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    import gettext

    po = REPO / "game" / "locale" / "ko" / "LC_MESSAGES" / "escape-route.po"
    with po.with_suffix(".mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    with po.open("rb") as handle:
        for message in read_po(handle):
            if not message.id or not message.string or message.fuzzy:
                continue
            if isinstance(message.id, tuple):  # plural forms: Korean has one
                assert mo.ngettext(message.id[0], message.id[1], 2) == message.string[-1], f"recompile: {message.id!r}"
            else:
                assert mo.gettext(message.id) == message.string, f"recompile: {message.id!r}"


def test_program_translations_keep_their_placeholders():
    po = REPO / "game" / "locale" / "ko" / "LC_MESSAGES" / "escape-route.po"
    with po.open("rb") as handle:
        for message in read_po(handle):
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            want = sorted(re.findall(r"\{[a-z_]*\}", ids[0]))
            for string in strings:
                assert sorted(re.findall(r"\{[a-z_]*\}", string)) == want, (message.lineno, message.id)


def test_lang_is_checked_on_the_command_line():
    result = run_cli("check", "--lang", "k@")
    assert result.returncode == 2 and "not a language code" in result.stderr


def test_the_system_language_is_followed(monkeypatch):
    from game import l10n

    monkeypatch.setenv("LANGUAGE", "ko_KR.UTF-8")
    assert l10n.system_language() == "ko"
    monkeypatch.setenv("LANGUAGE", "fr_FR")
    monkeypatch.setenv("LANG", "C")
    assert l10n.system_language() == "en"
    try:
        assert l10n.set_language("ko") == "ko" and l10n._("Sources") == "출처"
    finally:
        l10n.set_language("en")
    assert l10n._("Sources") == "Sources"


def test_i18n_refuses_a_story_with_errors(tmp_path):
    folder = write_story(tmp_path / "story", {**STORY, "01_a.yaml": STORY["01_a.yaml"].replace("goto: b", "goto: bb", 1)})
    result = run_cli("i18n", "extract", str(folder))
    assert result.returncode == 1 and "has 1 error; fix it first" in result.stderr
    assert not (folder / "locale").exists()


def test_copy_of_the_shipped_story_extracts_without_changes(tmp_path):
    """Running extract on the shipped story changes nothing: the ids and templates are committed."""
    copy = tmp_path / "story"
    shutil.copytree(REPO / "story", copy)
    text = (copy / "story.yaml").read_text().replace("map: ../assets/", f"map: {REPO}/assets/")
    (copy / "story.yaml").write_text(text)
    added, _ = extract(copy)
    assert added == []
    for pot in (REPO / "story" / "locale").glob("*.pot"):
        assert (copy / "locale" / pot.name).read_bytes() == pot.read_bytes(), pot.name


def test_a_language_the_story_does_not_have_is_one_error(story):
    result = run_cli("check", str(story), "--translation", "ja")
    assert result.returncode == 1
    assert result.stdout.count("ER070") == 1 and "ER074" not in result.stdout, result.stdout


def test_options_with_no_command_are_the_games(tmp_path):
    """`escape-route --lang ko --text`: what a player types without a command plays, in the language asked."""
    result = subprocess.run([sys.executable, "-m", "game", "--lang", "ko", "--text", "--seed", "3"], input="q\n",
                            capture_output=True, text=True, cwd=REPO, timeout=60,
                            env={"ESCAPE_ROUTE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "LANGUAGE": "en"})
    assert result.returncode == 0, result.stderr
    assert "내용 안내" in result.stdout and "여정이 저장되었습니다" in result.stdout


def test_help_is_in_the_language_asked():
    result = run_cli("check", "--lang", "ko", "--help")
    assert result.returncode == 0
    assert "모든 진단 코드와 도움말을 나열" in result.stdout  # --list-codes
    assert "list every diagnostic code" in run_cli("check", "--help").stdout


def test_a_file_that_continues_a_chapter_is_translated_with_it(tmp_path):
    """01b_more.yaml says `chapter: The start` like 01_a.yaml: one title to translate (the first file's), and
    both files carry it, so the Korean edition shows no chapter card half-way through the chapter."""
    files = dict(STORY)
    files["01_a.yaml"] = files["01_a.yaml"].replace("      - text: Go on\n        goto: b",
                                                    "      - text: Go on\n        goto: side")
    files["01b_more.yaml"] = ("chapter: The start\nnodes:\n  side:\n    title: A side street\n"
                              "    text: A side street.\n    choices:\n      - text: Go back\n        goto: b\n")
    folder = write_story(tmp_path / "story", files)
    extract(folder)
    update(folder, "ko")
    assert "chapter:01_a/title" in entries(folder / "locale" / "01_a.pot")
    assert not any(c.startswith("chapter:") for c in entries(folder / "locale" / "01b_more.pot"))
    translate(folder / "locale" / "ko" / "01_a.po", {"chapter:01_a/title": "시작"})
    korean = load_story(folder, lang="ko")
    assert [title for _file, title in korean.chapters] == ["시작", "시작"]
    assert korean.nodes["side"].chapter == korean.nodes["a"].chapter == "시작"


def test_extract_counts_new_strings_apart_from_those_still_to_translate(story):
    """After one new passage, extract says '3 new' (its title, text and choice), and apart from that how many
    strings are still to translate (before, 'new' counted every untranslated entry)."""
    extract(story)
    update(story, "ko")
    chapter = story / "01_a.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "  b:\n", "  c:\n    title: A side road\n    text: A side road.\n    choices:\n      - text: Back\n"
                  "        goto: b\n  b:\n", 1), encoding="utf-8")
    out = run_cli("i18n", "extract", str(story))
    assert out.returncode == 0, out.stderr
    empty = sum(1 for po in (story / "locale" / "ko").glob("*.po") for m in entries(po).values() if not m.string)
    assert empty > 3  # nothing was translated: the old strings are still to translate too
    assert f", 3 new, {empty} still to translate, " in out.stdout, out.stdout  # the title, the text, the choice
