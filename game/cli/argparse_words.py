"""argparse's own words ("usage:", "options", its usage errors) in the language the program speaks.

argparse writes its headings and errors through ``gettext`` names it imported at module
level (``from gettext import gettext as _, ngettext``), so an ``ArgumentParser`` cannot be
told another catalog. :func:`route` points those two names in the ``argparse`` module at
:func:`words` and :func:`plural_words`, which look each message up in the program's catalog
(``game.l10n``) in the language spoken *at the moment argparse asks*, and fall back to
argparse's own lookup, that is the English, for any message the catalog lacks (a newer
Python's new message, or a language without a translation). In English nothing changes.

argparse measures text with ``len()``, but a terminal gives a Hangul syllable two columns:
:class:`Formatter` wraps the help and indents the usage by the columns text takes on screen,
so Korean help stays inside the terminal's width and the usage's lines stay aligned.

The messages themselves are listed in :func:`_marked_for_translation`, which is never called:
it is there so that Babel puts them in ``escape-route.pot`` for translators. The list covers
argparse from Python 3.10 to 3.13; ``tests/test_cli_korean.py`` compares it with the
argparse of the Python running the tests, so a new Python's new message is noticed.
"""

from __future__ import annotations

import argparse
import gettext
import unicodedata
from typing import NoReturn

from game.l10n import N_, _, ngettext

# What argparse looked its words up with before we came (gettext's own functions: English).
_ARGPARSE_GETTEXT = getattr(argparse, "_", gettext.gettext)
_ARGPARSE_NGETTEXT = getattr(argparse, "ngettext", gettext.ngettext)


def words(message: str | None) -> str | None:
    """argparse's ``_``: the message in the language spoken, else argparse's own (English) text."""
    if not message:  # Python 3.13 passes a subcommand group's missing description (None) through _()
        return message
    translated = _(message)
    return translated if translated != message else _ARGPARSE_GETTEXT(message)


def plural_words(singular: str, plural: str, n: int) -> str:
    """argparse's ``ngettext``: the form for ``n`` in the language spoken, else argparse's own."""
    translated = ngettext(singular, plural, n)
    return translated if translated not in (singular, plural) else _ARGPARSE_NGETTEXT(singular, plural, n)


def route() -> None:
    """From now on, argparse says its words in the language the program speaks (safe to call twice).

    A Python whose argparse no longer has these module names keeps its English: nothing fails.
    """
    if hasattr(argparse, "_"):
        argparse._ = words  # type: ignore[attr-defined]
    if hasattr(argparse, "ngettext"):
        argparse.ngettext = plural_words  # type: ignore[attr-defined]


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a wide character (Hangul, CJK), one otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken between words (a longer word keeps its own line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and columns(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


class Formatter(argparse.HelpFormatter):
    """argparse's help layout, measured in terminal columns; text of one-column characters is laid out as before."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        if columns(text) == len(text):
            return super()._split_lines(text, width)
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if columns(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _format_usage(self, usage, actions, groups, prefix):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        shown = prefix if prefix is not None else words("usage: ") or ""
        extra = columns(shown) - len(shown)  # the columns the prefix takes beyond what argparse counts
        if extra <= 0:
            return super()._format_usage(usage, actions, groups, prefix)
        self._width -= extra
        try:
            text = super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width += extra
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line.startswith(" ") else line for line in rest)])


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors are two lines: a short usage and what is wrong.

    argparse prints the whole usage first, eight lines for ``facilitate``, above the one line
    that matters; a mistake is answered in one line (README), so the usage is cut to the
    command, ``[options]`` and its positional arguments, and ``--help`` gives the rest.
    """

    def error(self, message: str) -> NoReturn:
        usage = self.format_usage().strip()
        if "\n" in usage:
            positionals = " ".join(
                f"[{action.metavar or action.dest}]" if action.nargs in ("?", "*") else str(action.metavar or action.dest)
                for action in self._get_positional_actions())
            usage = (words("usage: ") or "usage: ") + " ".join(
                part for part in (self.prog, _("[options]"), positionals) if part)
        self.exit(2, f"{usage}\n" + (words("%(prog)s: error: %(message)s\n") or "%(prog)s: error: %(message)s\n")
                  % {"prog": self.prog, "message": message})


def _marked_for_translation() -> None:  # pragma: no cover - never called: Babel reads it
    """Every message argparse translates (Python 3.10 to 3.13), for extraction into the template."""
    # The help page.
    N_("usage: ")
    N_("positional arguments")
    N_("options")
    N_("subcommands")
    N_("%(heading)s:")
    N_(" (default: %(default)s)")
    N_("show this help message and exit")
    N_("show program's version number and exit")
    # Usage errors a person meets.
    N_("%(prog)s: error: %(message)s\n")
    N_("%(prog)s: warning: %(message)s\n")
    N_("argument %(argument_name)s: %(message)s")
    N_("unrecognized arguments: %s")
    N_("the following arguments are required: %s")
    N_("one of the arguments %s is required")
    N_("not allowed with argument %s")
    N_("expected one argument")
    N_("expected at most one argument")
    N_("expected at least one argument")
    ngettext("expected %s argument", "expected %s arguments", 0)
    N_("invalid choice: %(value)r (choose from %(choices)s)")
    N_("invalid %(type)s value: %(value)r")
    N_("ambiguous option: %(option)s could match %(matches)s")
    N_("ignored explicit argument %r")
    N_("unexpected option string: %s")
    N_("unknown parser %(parser_name)r (choices: %(choices)s)")
    N_("can't open '%(filename)s': %(error)s")
    N_("argument '%(argument_name)s' is deprecated")
    N_("option '%(option)s' is deprecated")
    N_("command '%(parser_name)s' is deprecated")
    # Mistakes in a program's own parser (a developer's, never a user's): translated all the same.
    N_("argument \"-\" with mode %r")
    N_("%r is not callable")
    N_("'required' is an invalid argument for positionals")
    N_(".__call__() not defined")
    N_("cannot have multiple subparser arguments")
    N_("cannot merge actions - two groups are named %r")
    N_("conflicting subparser: %s")
    N_("conflicting subparser alias: %s")
    ngettext("conflicting option string: %s", "conflicting option strings: %s", 0)
    N_("dest= is required for options like %r")
    N_("invalid conflict_resolution value: %r")
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r")
    N_("mutually exclusive arguments must be optional")
