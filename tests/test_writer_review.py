"""What a review of the writer tools against their documentation found, each kept fixed by a test.

Every test runs the real command (``game.cli.main.main``) or the real module on a small
story written to disk, and asserts what the writer reads.
"""

from __future__ import annotations

import re

import pytest
from test_diagnostics import SMALL_MAP

from conftest import write_story
from game.cli.main import main
from game.story import diagnostics as dx

A = dx.BASE_STORY["01_a.yaml"]


def story_with(tmp_path, chapter: str = A, **more: str | None):
    files = {**dx.BASE_STORY, "01_a.yaml": chapter, **more}
    for name in files:
        (tmp_path / "story" / name).parent.mkdir(parents=True, exist_ok=True)
    return write_story(tmp_path / "story", files)


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


# ---------------------------------------------------------------- A. errors stop play, with check's count

MAPPED = {"story.yaml": dx.BASE_STORY["story.yaml"] + "map: map.tmx\n", "map.tmx": SMALL_MAP}


@pytest.mark.parametrize("command", [["play", "--text", "--story"], ["simulate", "--runs", "3"], ["graph"],
                                     ["facilitate", "--story"]])
def test_every_command_that_plays_refuses_a_story_with_errors_and_counts_as_check_does(tmp_path, capsys,
                                                                                        command):
    chapter = A.replace("    text: The start.\n", "    text: The start.\n    location: hyesn\n") \
               .replace("goto: b", "goto: bb")
    folder = story_with(tmp_path, chapter, **MAPPED)
    status, out, _ = run(capsys, "check", str(folder))
    assert status == 1
    assert re.search(r": 2 errors, ", out), out  # ER020 and the route map's ER060
    status, _, err = run(capsys, *command, str(folder))
    assert status == 1
    assert f"the story in {folder} has 2 errors; run 'escape-route check {folder}' to see them" in err, err
    assert "ER060 location 'hyesn' is not on the route map" in err


def test_a_story_with_only_a_map_error_is_not_played(tmp_path, capsys):
    chapter = A.replace("    text: The start.\n", "    text: The start.\n    location: hyesn\n")
    folder = story_with(tmp_path, chapter, **MAPPED)
    status, _, err = run(capsys, "play", "--text", str(folder))
    assert status == 1 and "has 1 error;" in err, err


# ---------------------------------------------------------------- B. ER074 at the first untranslated entry

PO_HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ko\\n"\n\n'


def test_an_untranslated_string_is_named_at_its_po_line_with_its_english(tmp_path, capsys):
    chapter = A.replace("      - text: Go on\n", "      - text: Look for a torch before the long crossing of the river at night\n")
    catalog = (PO_HEAD + 'msgctxt "node:a/text"\nmsgid "The start."\nmsgstr "시작."\n\n'  # lines 6-8
               'msgctxt "node:a/choice:b/text"\nmsgid "Look for a torch before the long crossing of the river at night"\n'
               'msgstr ""\n\n'  # its msgid: line 11
               'msgctxt "node:b/text"\nmsgid "The end."\nmsgstr ""\n')  # line 14
    folder = story_with(tmp_path, chapter, **{"locale/ko/01_a.po": catalog})
    status, out, _ = run(capsys, "check", str(folder), "--translation", "ko")
    (line,) = [line for line in out.splitlines() if "ER074" in line and "01_a.po" in line]
    assert line == (f"{folder}/locale/ko/01_a.po:11:1: warning: ER074 4 strings of 01_a are not translated "
                    "(first: \"Look for a torch before the long crossing of the …\", node:a/choice:b/text)"), line


# ---------------------------------------------------------------- C. --list-codes gives every code a real hint

STORY_SYNTAX = {"name", "else", "end"}  # the story's own {name} and {if …}{else}{end}, shown as they are


@pytest.mark.parametrize("code", sorted(dx.CATALOGUE))
def test_every_code_has_a_hint_of_its_own_to_list(code):
    listed = dx.CATALOGUE[code].listed_hint()
    assert len(listed.split()) >= 6, listed
    assert set(dx._FIELD.findall(listed)) <= STORY_SYNTAX, f"{code} lists a hint with a blank to fill: {listed}"


def test_list_codes_prints_each_codes_hint_and_example(capsys):
    status, out, _ = run(capsys, "check", "--list-codes")
    assert status == 0
    blocks = re.split(r"\n(?=ER\d{3} )", out.strip())
    assert len(blocks) == len(dx.CATALOGUE)
    for block in blocks:
        code = block[:5]
        title, hint, example = block.splitlines()
        assert hint == "    hint: " + dx.CATALOGUE[code].listed_hint(), block
        assert example.startswith("    for example: "), block
    assert "specific to the problem" not in out
    assert ("ER020 error   missing target\n    hint: Fix the node id's spelling (the checker names the closest id), or "
            "add a node with that id.\n    for example: 01_a.yaml line 6: goto: bb") in out


# ---------------------------------------------------------------- D. messages that say what is wrong

def test_a_mistyped_chapter_path_is_named_as_missing_not_as_a_folder_without_story_yaml(tmp_path, capsys):
    folder = story_with(tmp_path)
    status, out, _ = run(capsys, "check", str(folder / "01b_herbalist.yaml"))
    assert status == 1
    first, hint = out.splitlines()[:2]
    assert first == f"{folder}/01b_herbalist.yaml:1:1: error: ER007 there is no file or folder {folder}/01b_herbalist.yaml"
    assert hint == f"    hint: Give the story's folder, the one with story.yaml in it: {folder}/"
    assert "story.yaml:1:1" not in out and "is not a folder" not in out
    status, out, _ = run(capsys, "check", str(tmp_path / "stroy"))
    assert out.splitlines()[:2] == [f"{tmp_path}/stroy:1:1: error: ER007 there is no file or folder {tmp_path}/stroy",
                                    "    hint: Check the path for a typo, and give the story's folder, the one with "
                                    "story.yaml in it."]
    status, _, err = run(capsys, "simulate", str(folder / "01_a.yaml"))
    assert status == 1
    assert err.strip() == (f"escape-route: {folder}/01_a.yaml is a file, not the story's folder. Give the story's "
                           f"folder, the one with story.yaml in it: {folder}/")


def test_a_story_yaml_without_resources_is_one_error_not_hundreds(tmp_path, capsys):
    uses = "".join(f"      - text: Pay {n}\n        if: cash > {n}\n        effects: {{cash: -{n}, health: -1}}\n"
                   "        goto: b\n" for n in range(1, 40))
    chapter = A.replace("    choices:\n", "    choices:\n" + uses).replace("goto: b\n  b:", "goto: bb\n  b:")
    story_yaml = dx.BASE_STORY["story.yaml"].replace("resources:\n", "resource:\n")
    folder = story_with(tmp_path, chapter, **{"story.yaml": story_yaml})
    status, out, _ = run(capsys, "check", str(folder))
    assert status == 1
    errors = [line for line in out.splitlines() if ": error: " in line]
    assert [e.split(": error: ")[1] for e in errors] == [
        "ER020 'goto' leads to 'bb', which is not a node",  # a real mistake of its own is still reported
        "ER012 story.yaml needs 'resources'; 117 problems elsewhere that follow from it are held back until it "
        "is fixed",
        "ER010 unknown key 'resource' in story.yaml",
    ], out


# ---------------------------------------------------------------- E. text as a reader sees it, not its markup

@pytest.mark.parametrize(("source", "shown"), [
    ("Tell Sun-hui, and ask about {if visited(a)}her cousin{else}her husband's people at the post{end}",
     "Tell Sun-hui, and ask about [her cousin / her husband's people at the post]"),
    ("Pay ¥{cash} now. {if warned}Careful.\n\nVery careful.{end}", "Pay ¥… now. [Careful. Very careful.]"),
    ("{if warned}Run{elif has(phone)}Call{else}Run{end} now", "[Run / Call] now"),
    ("{if warned}{end}Quiet. Braces: {{x}}", "Quiet. Braces: {x}"),
    ("{if warned", "{if warned"),  # not a template: shown as written
])
def test_template_text_as_a_reader_sees_it(source, shown):
    from game.story.template import as_read

    assert as_read(source) == shown


CONDITIONAL = A.replace("      - text: Go on\n        goto: b\n",
                        "      - text: Go on\n        goto: b\n"
                        "      - text: \"Ask about {if warned}her cousin{else}the post{end}\"\n        if: cash > 99\n"
                        "        goto: b\n")


def test_the_simulators_never_taken_list_shows_the_choice_as_read(tmp_path, capsys):
    folder = story_with(tmp_path, CONDITIONAL)
    status, out, _ = run(capsys, "simulate", str(folder), "--runs", "5")
    (line,) = [line for line in out.splitlines() if "never taken" in line]
    assert line.endswith("choice 2 (Ask about [her cousin / the post])"), line


def test_the_graph_labels_a_choice_as_read(tmp_path, capsys):
    folder = story_with(tmp_path, CONDITIONAL)
    status, out, _ = run(capsys, "graph", str(folder), "--format", "dot")
    assert status == 0 and "Ask about [her cousin / the" in out and "{if" not in out, out
    status, out, _ = run(capsys, "graph", str(folder), "--format", "html")
    assert status == 0 and "Ask about [her cousin / the post]" in out and "{if" not in out


# ---------------------------------------------------------------- D. the writer tools speak the story's language too

KOREAN_CHAPTER = A.replace("      - text: Go on\n        goto: b\n",
                           "      - id: go\n        text: Go on\n        goto: b\n"
                           "      - id: stay\n        text: Stay and wait for the dark\n        if: cash > 99\n"
                           "        goto: b\n")
KOREAN_PO = (PO_HEAD + 'msgctxt "node:a/choice:stay/text"\nmsgid "Stay and wait for the dark"\n'
             'msgstr "어두워질 때까지 기다린다"\n\nmsgctxt "node:b/title"\nmsgid "b"\nmsgstr ""\n')


def test_simulate_and_graph_in_korean_show_the_korean_text_where_the_story_has_it(tmp_path, capsys):
    folder = story_with(tmp_path, KOREAN_CHAPTER, **{"locale/ko/01_a.po": KOREAN_PO})
    status, out, _ = run(capsys, "simulate", str(folder), "--runs", "5", "--lang", "ko")
    assert status == 0
    (line,) = [line for line in out.splitlines() if "01_a.yaml:8:" in line]
    assert line.endswith("선택지 2 (어두워질 때까지 기다린다)"), line  # at the English's line in the story file
    status, out, _ = run(capsys, "graph", str(folder), "--format", "dot", "--lang", "ko")
    assert status == 0 and "어두워질 때까지" in out and "Go on" in out  # untranslated: the English
    status, out, _ = run(capsys, "simulate", str(folder), "--runs", "5")
    assert "(Stay and wait for the dark)" in out


# ---------------------------------------------------------------- F. a writer's install is the game and pytest

def test_the_writers_install_has_what_the_story_tests_import():
    """The guide installs '.[writer]': the game's dependencies and that extra must cover every import of the
    tests a writer runs (and of what they load), so a writer never needs the 500 MB of the 'test' extra."""
    import ast
    import sys
    from pathlib import Path

    import tomllib

    from conftest import REPO

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module_of = {"pygame-ce": "pygame", "pyyaml": "yaml", "babel": "babel", "pytest-asyncio": "pytest_asyncio"}
    installed = {module_of.get(name, name.replace("-", "_")) for name in
                 (re.split(r"[<>=\[; ]", spec, maxsplit=1)[0].lower()
                  for spec in project["dependencies"] + project["optional-dependencies"]["writer"])}
    ours = {"game", "conftest", "model_numbers"}
    files = [REPO / "tests" / n for n in ("test_story.py", "test_korean.py", "conftest.py")] + \
            [REPO / "tools" / "model_numbers.py"]
    for path in files:
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in installed | ours, f"{path.name} imports {name}"
    guide = (REPO / "docs" / "writing-guide.md").read_text(encoding="utf-8")
    assert "pip install -e '.[writer]'" in guide
