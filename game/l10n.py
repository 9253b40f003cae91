"""The language the program speaks: its own words through gettext, and numbers as the language writes them.

Every layer may call :func:`_` (the program's messages, checker messages included), so
this module sits at the bottom with ``errors`` and ``paths`` and imports nothing of
the game. Catalogs are standard gettext: ``game/locale/escape-route.pot`` is extracted
with Babel (``pybabel extract -F babel.cfg``), each language's ``.po`` is translated in
Poedit or Weblate, and the compiled ``.mo`` ships in the wheel and the desktop build
(docs/translating.md). The story's own text has catalogs of its own, beside the story
(``game.story.translation``).

The language is process-wide, chosen once at start (``--lang``, the settings, or the
system's locale) and changed only from the settings screen: a front-end re-draws after.
"""

from __future__ import annotations

import gettext
import locale
import os
import time
from pathlib import Path

DOMAIN = "escape-route"
#: The languages the program has catalogs for, English first (it needs none).
LANGUAGES = ("en", "ko")
#: How each language names itself, for the settings screen.
NATIVE_NAMES = {"en": "English", "ko": "한국어"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = "en"
_translations: gettext.NullTranslations = gettext.NullTranslations()


def system_language() -> str:
    """The first supported language the environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, the OS)."""
    wanted: list[str] = []
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            wanted.extend(value.split(":"))
    if not wanted:
        try:
            code = locale.getlocale()[0]  # Windows and macOS: the user's settings, not the environment
        except (ValueError, TypeError):
            code = None
        if code:
            wanted.append(code)
    for item in wanted:
        code = item.split(".")[0].split("@")[0].replace("-", "_")
        base = code.split("_")[0].lower()
        if code in LANGUAGES:
            return code
        if base in LANGUAGES:
            return base
        if base in ("c", "posix"):
            return "en"
    return "en"


def supported(lang: str) -> bool:
    return lang in LANGUAGES


def set_language(lang: str | None) -> str:
    """Speak ``lang`` from now on (None: the system's language); an unsupported one falls back to English."""
    global _current, _translations
    code = lang or system_language()
    base = code.split("_")[0]
    if code not in LANGUAGES and base in LANGUAGES:
        code = base
    if code not in LANGUAGES or code == "en":
        _current, _translations = "en", gettext.NullTranslations()
        return _current
    try:
        _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])
    except OSError:  # a build without the catalog: English, never a crash
        _current, _translations = "en", gettext.NullTranslations()
        return _current
    _current = code
    return code


def language() -> str:
    """The language now spoken (``en``, ``ko``)."""
    return _current


def _(message: str) -> str:
    """The program's words in the current language (English when there is no translation)."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (a constant read before the language is set)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, as the current language counts (Korean has one form)."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on where it is used (a button, a heading)."""
    return _translations.pgettext(context, message)


def number(value: float, decimals: int = 0) -> str:
    """A number with the current language's separators: ``1,772`` in English and Korean alike."""
    rounded = round(value, decimals) if decimals else round(value)
    return f"{rounded:,.{decimals}f}" if decimals else f"{rounded:,}"


def moment(timestamp: float, year: bool = True) -> str:
    """A local date and time as the language writes it: ``29 Nov 2026, 23:40`` or ``2026년 11월 29일 23:40``."""
    t = time.localtime(timestamp)
    if _current == "ko":
        day = f"{t.tm_mon}월 {t.tm_mday}일"
        return f"{t.tm_year}년 {day} {t.tm_hour:02d}:{t.tm_min:02d}" if year else f"{day} {t.tm_hour:02d}:{t.tm_min:02d}"
    # time.strftime names months in the C locale (English), which this program never changes.
    return time.strftime("%d %b %Y, %H:%M" if year else "%d %b, %H:%M", t)
