"""The desktop download: built with PyInstaller, it plays with no Python on the machine.

The build (tools/build_desktop.py, packaging/escape-route.spec) is made once for this
module and tested by tools/smoke_desktop.py exactly as the release workflow tests the
Windows and macOS builds: unpacked into an empty folder and run with an empty PATH,
no virtual environment and a fresh home. Skips, saying why, where PyInstaller is not
installed or the platform is not Linux.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install pyinstaller)")
    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux build is tested here; Windows and macOS in .github/workflows/release.yml")
    import build_desktop

    out = tmp_path_factory.mktemp("desktop")
    build_desktop.main(["--dist", str(out / "dist"), "--work", str(out / "work")])
    found = sorted((out / "dist").glob("escape-route-*-linux-*.tar.gz"))
    assert len(found) == 1
    return found[0]


@pytest.mark.slow
def test_the_linux_download_plays_with_no_python_on_the_machine(archive):
    import smoke_desktop

    assert smoke_desktop.smoke(archive) == []


@pytest.mark.slow
def test_the_linux_download_has_a_launcher_an_icon_and_its_data(archive):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    top = names[0].split("/")[0]
    for needed in ("escape-route", "3,500 Miles.desktop", "install-menu-entry.sh", "README.txt",
                   "icons/escape-route-256.png", "_internal/game/data/story/story.yaml",
                   "_internal/game/data/assets/maps/route.tmx", "_internal/game/data/assets/fonts/LICENSE-Noto.txt",
                   "_internal/game/lan/static/index.html", "_internal/game/story/schema.json",
                   "_internal/game/data/assets/audio/river_ice.ogg", "_internal/game/data/assets/audio/LICENCE.md"):
        assert f"{top}/{needed}" in names, needed
    assert not any("/pytest/" in n or "/hypothesis/" in n for n in names)  # no test tools shipped
    assert not any("/numpy/" in n or "/scipy/" in n for n in names)  # the sound generator's tools stay out


def test_the_build_carries_what_the_wheel_carries():
    """game/paths.py decides the bundle; it must cover every kind of package data pyproject.toml ships."""
    from game.paths import bundled_files

    targets = {target for _, target in bundled_files()}
    for package in ("game/data/story", "game/data/assets/maps", "game/data/assets/fonts", "game/data/assets/audio",
                    "game/story", "game/writer", "game/lan/static"):
        assert package in targets, package
    sources = {Path(source).name for source, _ in bundled_files()}
    assert {"story.yaml", "facts.yaml", "route.tmx", "route_terrain.png", "schema.json", "graph_page.html"} <= sources


def test_the_release_workflow_fits_githubs_schema():
    checker = Path(sys.executable).with_name("check-jsonschema")
    if not checker.exists():
        pytest.skip("check-jsonschema is not installed (pip install check-jsonschema)")
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows",
                             str(REPO / ".github" / "workflows" / "release.yml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
