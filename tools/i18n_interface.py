"""Keep the program's own catalogs up to date: extract, update every language, compile.

    python tools/i18n_interface.py            # after changing any _("…") in game/
    python tools/i18n_interface.py --check    # exit 1 if the catalogs are out of date (the tests run this)

It runs Babel's own commands (pybabel extract / update / compile) with the project's
options, so a translator can run the same ones by hand (docs/translating.md). The
story's catalogs are made by `escape-route i18n` instead.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "game" / "locale"
POT = LOCALE / "escape-route.pot"
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "translate", "-k", "ngettext:1,2", "-k", "pgettext:1c,2"]


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def extract(target: Path) -> None:
    pybabel("extract", "-F", "babel.cfg", *KEYWORDS, "--no-wrap", "--sort-by-file", "--omit-header",
            "-o", str(target), "game")


def languages() -> list[str]:
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "escape-route.po").is_file())


def messages(path: Path) -> set[tuple[str | None, str]]:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the template is up to date")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "fresh.pot"
            extract(fresh)
            missing = messages(fresh) - messages(POT)
            gone = messages(POT) - messages(fresh)
        if missing or gone:
            for _ctx, msg in sorted(missing, key=str)[:20]:
                print(f"not in the template: {msg!r}")
            for _ctx, msg in sorted(gone, key=str)[:20]:
                print(f"no longer in the code: {msg!r}")
            print("run: python tools/i18n_interface.py")
            return 1
        return 0
    extract(POT)
    for lang in languages():
        pybabel("update", "-D", "escape-route", "-i", str(POT), "-d", str(LOCALE), "-l", lang, "--no-wrap",
                "--previous", "--no-fuzzy-matching")
    pybabel("compile", "-D", "escape-route", "-d", str(LOCALE), "--statistics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
