"""Where something is in a story file."""

from __future__ import annotations

import re
from typing import NamedTuple


class SourceSpan(NamedTuple):
    """A place in a file. Lines and columns are 1-based; ``end_line``/``end_col`` are exclusive.

    Every diagnostic, model object and expression node carries one, so that any
    problem found at any stage can be reported where the writer can fix it. A named
    tuple rather than a frozen dataclass: just as immutable, and several times
    cheaper to create, which matters for a story with a hundred thousand of them.
    """

    file: str
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def shifted(self, columns: int) -> SourceSpan:
        """The same line, ``columns`` further right (for a position inside a one-line scalar)."""
        return SourceSpan(self.file, self.line, self.col + columns, self.line, self.col + columns + 1)


# What ends a line in YAML (1.1, as libyaml reads it): "\n", and these rarer ones.
RARE_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def position_of(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of character ``index`` in ``text``, counting lines as YAML does.

    Besides "\n", YAML ends a line at "\r\n", a lone "\r" (old Mac files), NEL,
    and the Unicode line and paragraph separators.
    """
    head = text[:index]
    if not any(rare in head for rare in RARE_LINE_BREAKS):
        return head.count("\n") + 1, index - (head.rfind("\n") + 1) + 1
    breaks = [found.end() for found in LINE_BREAK.finditer(head)]
    return len(breaks) + 1, index - (breaks[-1] if breaks else 0) + 1
