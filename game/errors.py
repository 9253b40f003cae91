"""The exceptions every front-end can catch, in one tree.

::

    StoryError                  anything wrong with the story, a save or a map, told to a person
    ├── StoryLoadError          the story files have problems (carries every Diagnostic)
    ├── ExprError               an expression failed to parse or names something undeclared
    ├── SaveError               a save cannot be written or read (damaged, incompatible)
    ├── RouteMapError           the Tiled map is missing or malformed
    ├── DataFileError           a file cannot be read as what it should be (missing, too large,
    │                           not a regular file, not UTF-8, not JSON): game.files raises it
    └── EngineError             the engine was asked something at the wrong moment (a bug in a front-end)
    Impossible                  a refusal the rules expect (a choice that is not available); shown to
                                the player, never logged as a crash

Every ``StoryError`` has a message written for the person who must act on it.
"""

from __future__ import annotations


class StoryError(Exception):
    """Base of every error the program explains to a person instead of crashing."""


class StoryLoadError(StoryError):
    """The story could not be loaded; ``diagnostics`` holds every problem found, not only the first."""

    def __init__(self, message: str, diagnostics: list | None = None) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics or [])


class ExprError(StoryError):
    """An expression is malformed; ``column`` is 1-based within the expression text."""

    def __init__(self, message: str, column: int = 1, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.hint = hint


class SaveError(StoryError):
    """A save could not be written, read, or matched to the story."""


class RouteMapError(StoryError):
    """A route map that cannot be used, with where (file, line, column) and how to fix it (hint).

    ``line``/``column`` are 1-based and may be None when the problem has no position
    (a missing file).
    """

    def __init__(self, message: str, path: object = None, line: int | None = None, column: int | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint
        super().__init__(str(self))

    @property
    def where(self) -> str:
        """``path:line:column``, as far as it is known."""
        where = self.path or "<route map>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        # The English form, for logs and tracebacks; a front-end words the hint in its own language
        # (game.errors sits beside game.l10n and may not use it).
        text = f"{self.where}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class DataFileError(StoryError):
    """A file the program reads is missing, unreadable, too large, not a regular file, or damaged.

    ``str()`` is one line for a person: the file, what is wrong, and what to do.
    """

    def __init__(self, message: str, path: object = None, hint: str = "") -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{text}. {self.hint}" if self.hint else text


class EngineError(StoryError):
    """The engine was called at the wrong moment (for example choosing after the ending)."""


class Impossible(Exception):
    """A choice the rules refuse; the message is meant for the player."""
