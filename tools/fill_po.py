"""Fill a .po file's empty entries from a Python dict (a translator's helper, not used at run time).

    python tools/fill_po.py CATALOG.po TRANSLATIONS.py

TRANSLATIONS.py defines ``T = {msgid: translation}`` or, for the story's catalogs,
``T = {msgctxt: translation}``, and for plural messages ``P = {singular msgid: (form, ...)}``.
Existing translations are replaced; the file is written by
Babel, so the escaping is always right. Prints how many entries it filled.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    catalog_path, table_path = Path(argv[0]), argv[1]
    loaded = runpy.run_path(table_path)
    table = loaded["T"]
    plurals = loaded.get("P", {})  # {singular msgid: (form, ...)} for messages with plural forms
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        if isinstance(message.id, tuple):
            if message.id[0] in plurals:
                message.string = tuple(plurals[message.id[0]])
                message.flags.discard("fuzzy")
                filled += 1
            continue
        key = message.context if message.context in table else message.id
        if message.id and isinstance(key, str) and key in table:
            message.string = table[key]
            if message.fuzzy:
                message.flags.discard("fuzzy")
            filled += 1
    with catalog_path.open("wb") as handle:
        write_po(handle, catalog, width=0, include_previous=True)
    print(f"{catalog_path}: {filled} {'entry' if filled == 1 else 'entries'} filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
