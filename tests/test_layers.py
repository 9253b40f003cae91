"""The layers of the house, as written in pyproject.toml, hold; and no package imports in a circle.

``lint-imports`` checks the contracts (command line → front-ends → classroom and
writer logic → engine → story → route → shared). These tests run it as CI does, plant
a forbidden import in a copy of the package to see it caught, and use ``grimp`` (the
import graph import-linter is built on) to find circles between ``game``'s parts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from conftest import REPO as ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=120)


def test_the_layers_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "BROKEN" not in result.stdout


@pytest.mark.parametrize("module, planted, contract", [
    # The engine reaching up into the window: against the layers.
    ("game/engine/state.py", "import game.ui.app", "Layers run one way"),
    # One front-end knowing another: the terminal importing the LAN server.
    ("game/textui.py", "import game.lan.server", "Layers run one way"),
    # The core needing a display.
    ("game/story/model.py", "import pygame", "no pygame below the front-ends"),
    # The classroom's pure logic opening sockets.
    ("game/classroom/vote.py", "import aiohttp", "Only the LAN front-end"),
])
def test_a_forbidden_import_fails_with_a_message_that_names_it(tmp_path, module, planted, contract):
    shutil.copytree(ROOT / "game", tmp_path / "game", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert lint_imports(tmp_path).returncode == 0  # the copy itself is clean
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}  # planted by the test\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    importer = module.removesuffix(".py").replace("/", ".")
    broken = " ".join(result.stdout[result.stdout.index("Broken contracts"):].split())  # names wrap at 80
    assert contract in broken and importer in broken, result.stdout


def _parts_importing(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Which of game's direct children (subpackages and top-level modules) each one imports."""
    children = graph.find_children("game")

    def part(module: str) -> str | None:
        pieces = module.split(".")
        return ".".join(pieces[:2]) if len(pieces) > 1 and ".".join(pieces[:2]) in children else None

    arrows: dict[str, set[str]] = {c: set() for c in children}
    for child in children:
        for module in {child, *graph.find_descendants(child)}:
            for imported in graph.find_modules_directly_imported_by(module):
                other = part(imported)
                if other is not None and other != child:
                    arrows[child].add(other)
    return arrows


def _find_cycle(arrows: dict[str, set[str]]) -> list[str] | None:
    """One circle in the graph, as the list of its nodes, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(arrows.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(arrows):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_planted_circle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_part_of_the_game_imports_in_a_circle():
    graph = grimp.build_graph("game")
    arrows = _parts_importing(graph)
    assert {"game.story", "game.engine", "game.cli", "game.ui"} <= set(arrows)
    assert _find_cycle(arrows) is None, " → ".join(_find_cycle(arrows) or [])
    # The story model and the engine, the classroom, the command line and the UI: the old knots.
    assert "game.story" not in arrows["game.engine"] or "game.engine" not in arrows["game.story"]
    assert "game.cli" not in arrows["game.ui"] and "game.cli" not in arrows["game.classroom"]


def test_the_checker_does_not_import_the_loader():
    graph = grimp.build_graph("game")
    assert graph.direct_import_exists(importer="game.story.loader", imported="game.story.check")
    assert not graph.chain_exists(importer="game.story.check", imported="game.story.loader")
