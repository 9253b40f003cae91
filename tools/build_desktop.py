"""Build the desktop download: a one-folder PyInstaller build of the game, packed for this platform.

    python tools/build_desktop.py                 # dist/escape-route-VERSION-PLATFORM.tar.gz (or .zip)
    python tools/build_desktop.py --no-archive    # only the folder, dist/escape-route/

The folder holds the `escape-route` program with Python, pygame-ce and every data
file inside, so every subcommand works on a machine without Python. On Linux the
archive also carries a `.desktop` launcher, the icons, and a script that adds the
game to the applications menu; on macOS the build is an app bundle; on Windows a
folder with escape-route.exe. The same spec builds all three
(`packaging/escape-route.spec`); `tools/smoke_desktop.py` tests what it made.
Needs `pip install pyinstaller` (not a dependency of the game).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import stat
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "escape-route.spec"

INSTALL_MENU_ENTRY = """#!/bin/sh
# Adds "3,500 Miles" to your applications menu (for this user only). Run it from this folder.
set -e
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
mkdir -p "$apps"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$here/icons/escape-route-$size.png" "$icons/${size}x${size}/apps/escape-route.png"
done
sed -e "s|^Exec=.*|Exec=\\"$here/escape-route\\"|" -e "s|^Icon=.*|Icon=escape-route|" \\
  "$here/3,500 Miles.desktop" > "$apps/escape-route.desktop"
echo "Added to your applications menu: 3,500 Miles"
"""

README_TXT = """3,500 Miles - an interactive story of one escape from North Korea

To play: double-click "3,500 Miles.desktop" (your file manager may ask whether to
trust or run it: answer yes), or double-click "escape-route", or run ./escape-route
in a terminal. To add the game to your applications menu, run ./install-menu-entry.sh.

In a terminal, ./escape-route --help lists everything it can do, for example
./escape-route play --text (the story as plain text, for screen readers).

Your saves and settings are kept in ~/.local/share/escape-route, not in this folder,
so you can replace this folder with a newer version without losing them.
"""


def version() -> str:
    sys.path.insert(0, str(REPO))
    from game import __version__

    return __version__


def platform_tag() -> str:
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64").replace("aarch64", "arm64")
    return f"{system}-{machine}"


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns the built folder."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", str(dist),
                    "--workpath", str(work), str(SPEC)], check=True, cwd=REPO)
    folder = dist / "escape-route"
    if not (folder / ("escape-route.exe" if sys.platform == "win32" else "escape-route")).is_file():
        raise SystemExit(f"build_desktop: PyInstaller finished but {folder} has no escape-route program")
    return folder


def add_linux_extras(folder: Path) -> None:
    """The launcher, the icons beside the program, the menu-entry script and a short README."""
    icons = folder / "icons"
    icons.mkdir(exist_ok=True)
    for png in (REPO / "assets" / "icons").glob("escape-route-*.png"):
        shutil.copy2(png, icons / png.name)
    launcher = (REPO / "packaging" / "escape-route.desktop").read_text(encoding="utf-8")
    desktop = folder / "3,500 Miles.desktop"
    desktop.write_text(launcher.replace("Icon=escape-route", "Icon=icons/escape-route-256.png"), encoding="utf-8")
    script = folder / "install-menu-entry.sh"
    script.write_text(INSTALL_MENU_ENTRY, encoding="utf-8")
    (folder / "README.txt").write_text(README_TXT, encoding="utf-8")
    for path in (desktop, script, folder / "escape-route"):
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def pack(folder: Path, dist: Path) -> Path:
    """A .tar.gz (Linux, macOS) or .zip (Windows) whose one top folder is the game."""
    name = f"escape-route-{version()}-{platform_tag()}"
    if sys.platform == "win32":
        archive = dist / f"{name}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                zf.write(path, Path(name) / path.relative_to(folder))
        return archive
    source = dist / "3,500 Miles.app" if sys.platform == "darwin" and (dist / "3,500 Miles.app").exists() else folder
    archive = dist / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source, arcname=name if source == folder else f"{name}/{source.name}")
    return archive


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the build goes (default dist/)")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "pyinstaller", help="PyInstaller's scratch folder")
    parser.add_argument("--no-archive", action="store_true", help="build the folder only")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    folder = build(args.dist.resolve(), args.work.resolve())
    if sys.platform.startswith("linux"):
        add_linux_extras(folder)
    print(f"build_desktop: {folder} ({folder_size(folder) / 1e6:.0f} MB unpacked)")
    if not args.no_archive:
        archive = pack(folder, args.dist.resolve())
        print(f"build_desktop: {archive} ({archive.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
