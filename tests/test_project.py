"""Rules of the codebase itself: a pure core, no eval, a README that CI follows, a schema that fits."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

from conftest import REPO, STORY

CORE = ["game/story", "game/engine", "game/route"]


def python_files(*folders):
    for folder in folders:
        yield from sorted((REPO / folder).rglob("*.py"))


def test_core_source_never_imports_pygame():
    for path in python_files(*CORE):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not name.startswith(("pygame", "game.ui")), f"{path} imports {name}"


def test_core_runs_without_loading_pygame():
    code = ("import sys, game.story.loader, game.story.check, game.engine.engine, game.engine.save, game.textui, "
            "game.cli; print('pygame' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_no_eval_exec_or_unsafe_yaml():
    pattern = re.compile(r"\b(eval|exec)\(|yaml\.load\(|yaml\.unsafe_load|FullLoader|UnsafeLoader")
    for path in python_files("game", "tools"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert not pattern.search(line), f"{path}:{number}: {line.strip()}"


def quick_start_blocks() -> list[str]:
    text = (REPO / "README.md").read_text()
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.S | re.M).group(1)
    return re.findall(r"```(?:sh)?\n(.*?)\n```", section, re.S)


def test_readme_has_two_commands_and_ci_runs_the_test_one():
    blocks = quick_start_blocks()
    assert len(blocks) == 2
    play, test = blocks
    assert "python3 -m venv" in play and "escape-route" in play
    assert "python3 -m venv" in test and "pytest" in test
    assert test in (REPO / ".ci" / "run").read_text()


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((REPO / "game" / "story" / "schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("path", sorted(STORY.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_story_file_fits_the_schema(validator, path):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
    assert errors == []


def test_schema_catches_a_misspelt_key(validator):
    chapter = {"nodes": {"a": {"text": "x", "choices": [{"text": "go", "gotoo": "b"}]}}}
    assert list(validator.iter_errors(chapter))


def test_check_command_exit_codes_and_json(tmp_path):
    from conftest import TINY, write_story

    good = write_story(tmp_path / "good", TINY)
    bad = write_story(tmp_path / "bad", {**TINY, "01_river.yaml": TINY["01_river.yaml"].replace("goto: bank", "goto: bnak", 1)})

    def check(folder):
        return subprocess.run([sys.executable, "-m", "game", "check", str(folder), "--json"], capture_output=True,
                              text=True, cwd=REPO)

    ok = check(good)
    assert ok.returncode == 0
    report = json.loads(ok.stdout)
    assert report["errors"] == [] and report["stats"] == {"nodes": 3, "choices": 3, "endings": 2, "words": 34,
                                                          "facts": 0, "files": 2}
    failed = check(bad)
    assert failed.returncode == 1
    (error,) = json.loads(failed.stdout)["errors"]
    assert {k: error[k] for k in ("line", "column", "code", "hint")} == {
        "line": 14, "column": 15, "code": "ER020", "hint": "Did you mean 'bank'?"}
    assert error["file"].endswith("01_river.yaml")


def test_every_code_folder_is_packaged():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "game").rglob("*.py")}
    assert folders <= listed, f"add to pyproject.toml's packages: {sorted(folders - listed)}"


@pytest.mark.slow
def test_the_installed_package_finds_its_story_and_assets(tmp_path):
    """Built as a wheel and installed elsewhere, the game still finds the story, the map, the fonts and the sounds."""
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheel_dir),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    wheel = next(wheel_dir.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {**__import__("os").environ, "PYTHONPATH": str(target), "ESCAPE_ROUTE_DATA_DIR": str(tmp_path / "data")}
    check = subprocess.run([sys.executable, "-m", "game", "check", "--json"], capture_output=True, text=True,
                           cwd=tmp_path, env=env, timeout=120)
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["errors"] == [] and report["stats"]["nodes"] >= 120
    where = subprocess.run([sys.executable, "-c", "import game.paths as p; print(p.story_dir()); "
                            "print(sorted(f.name for f in (p.assets_dir() / 'fonts').glob('*.ttf'))); "
                            "print(sorted(f.name for f in (p.assets_dir() / 'audio').glob('*')))"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    story_path, fonts, sounds = where.stdout.splitlines()
    assert story_path.startswith(str(target)) and "NanumGothic.ttf" in fonts
    assert "river_ice.ogg" in sounds and "title_theme.ogg" in sounds and "LICENCE.md" in sounds


def test_readme_layout_matches_the_tree():
    """Every part of game/ has its line in the README's Layout section, and every path there exists."""
    text = (REPO / "README.md").read_text()
    section = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", text, re.S | re.M).group(1)
    block = re.search(r"```\n(.*?)\n```", section, re.S).group(1)
    listed = {m for line in block.splitlines() for m in re.findall(r"\b((?:game|story|assets|tools|tests)/[\w./]*)",
                                                                      line)}
    for path in listed:
        assert (REPO / path).exists(), f"README's Layout names {path}, which does not exist"
    parts = {f"game/{p.name}/" for p in (REPO / "game").iterdir() if (p / "__init__.py").is_file()}
    parts |= {f"game/{p.name}" for p in (REPO / "game").glob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    missing = {p for p in parts if p not in listed and p.rstrip("/") + "/" not in listed}
    assert not missing, f"README's Layout does not describe {sorted(missing)}"


def test_the_story_map_page_names_exactly_the_storys_endings():
    """docs/story-map.md's endings are generated (tools/story_map.py); they must match the story."""
    from game.story.loader import load_story

    story = load_story(STORY)
    endings = {n.ending.id for n in story.nodes.values() if n.ending}
    page = (REPO / "docs" / "story-map.md").read_text()
    table = page[page.index("<!-- endings table: begin"):page.index("<!-- endings table: end")]
    assert set(re.findall(r"^\| `(\w+)` \|", table, re.M)) == endings
    assert "green" not in page and "#d8f0d8" not in page  # one colour for every kind of ending


def test_the_story_map_pages_chapter_arrows_are_the_storys():
    """docs/story-map.md's arrows between chapters are the story's own (tools/story_map.py --links).

    Not every chapter hands over through one node (two banks into China, a flight from
    Laos past the Mekong and Thailand, a way back from the Mekong to Laos): a page written
    by hand said so and drew none of them.
    """
    sys.path.insert(0, str(REPO / "tools"))
    from story_map import LINKS, chapter_links

    from game.story.loader import load_story

    expected = chapter_links(load_story(STORY))
    page = (REPO / "docs" / "story-map.md").read_text()
    assert LINKS[0] in page and LINKS[1] in page, "the graph has no generated chapter links"
    drawn = page[page.index(LINKS[0]) + len(LINKS[0]) + 1:page.index(LINKS[1])].rstrip("\n")
    assert drawn == expected, "run python tools/story_map.py --links"
    assert "china_bank or china_bank_tumen| C3" in drawn and "C6 -.->|incheon_arrival| C9" in drawn
    assert "C7 -.->|laos_questioning| C6" in drawn
    assert "one fixed node" not in page and "Ok-hee" not in page



def test_the_lan_pages_tables_name_each_row_once():
    """A limit listed twice drifts apart: docs/lan.md had "Wrong room codes" twice, worded differently."""
    repeated, seen = [], {}
    for number, line in enumerate((REPO / "docs" / "lan.md").read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith("|"):
            seen = {}  # a new table starts after any other line
            continue
        first = line.strip("|").split("|")[0].strip()
        if first in seen and not set(first) <= set("-: "):
            repeated.append(f"docs/lan.md:{number}: {first!r} (also line {seen[first]})")
        seen[first] = number
    assert not repeated, repeated
