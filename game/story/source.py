"""Where something is in a story file."""

from __future__ import annotations

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


def position_of(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of character ``index`` in ``text``."""
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1
