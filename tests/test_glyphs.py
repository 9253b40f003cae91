"""Every character the player can be shown is drawn with a real glyph, never a .notdef box.

A trial in Korean showed every amount in the story text and in the closed choices' reasons as
"□3,100": Nanum Myeongjo, the Korean story face, has no yen sign. The text cache now draws each
character a face lacks in the next face that has it (``Fonts.runs``); these tests take every
character of the catalogs (the Korean story and interface translations, and the English
originals) and check each kind of type in each language.
"""

from __future__ import annotations

import re
from pathlib import Path

import pygame
import pytest

from game.l10n import set_language
from game.ui.theme import FONT_FILES, Fonts, fallback_files
from game.ui.widgets.text import TextCache, printable

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = [*sorted((ROOT / "story" / "locale" / "ko").glob("*.po")),
            ROOT / "game" / "locale" / "ko" / "LC_MESSAGES" / "escape-route.po"]
STRING = re.compile(r'^(?:msgid|msgstr(?:\[\d\])?|msgid_plural)?\s*"(.*)"\s*$')


def shown_characters(field: str) -> set[str]:
    """The characters of every msgid (English) or msgstr (Korean) in the catalogs, as printed on screen."""
    chars: set[str] = set()
    for path in CATALOGS:
        current = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("msgid", "msgstr")):
                current = "msgstr" if line.startswith("msgstr") else "msgid"
            match = STRING.match(line)
            if match and current == field and not line.startswith("#"):
                chars |= set(printable(match.group(1).encode().decode("unicode_escape", "ignore")
                                       if "\\u" in match.group(1) else match.group(1)))
    return {ch for ch in chars if ch.isprintable() and not ch.isspace()}


@pytest.fixture(scope="module")
def fonts():
    pygame.font.init()
    yield Fonts()
    set_language("en")


@pytest.mark.parametrize(("lang", "field"), [("ko", "msgstr"), ("en", "msgid")])
@pytest.mark.parametrize("kind", sorted(FONT_FILES))
def test_every_character_of_the_catalogs_has_a_glyph(fonts, lang, field, kind):
    set_language(lang)
    chars = shown_characters(field)
    assert "¥" in chars or lang == "en"
    missing = sorted(ch for ch in chars
                     if not any(fonts.has_glyph(file, ch) for file in fallback_files(kind, lang)))
    assert not missing, f"{kind} in {lang}: no face draws {''.join(missing)!r}"
    # And the runs the text cache draws put each character in a face that has it.
    for part, font in fonts.runs(kind, 20, "".join(sorted(chars))):
        file = next(f for f in fallback_files(kind, lang) if fonts.get_file(f, 20) is font)
        assert all(fonts.has_glyph(file, ch) for ch in part), (kind, part, file)


def test_the_yen_sign_in_korean_story_text_is_not_a_box(fonts):
    """Pixels: the Korean story face alone draws "¥50" with the .notdef box; the text cache does not."""
    set_language("ko")
    face = fonts.get("serif", 24)

    def pixels(image: pygame.Surface) -> tuple[bytes, tuple[int, int]]:
        return pygame.image.tobytes(image, "RGBA"), image.get_size()

    white = (255, 255, 255)
    assert pixels(face.render("¥50이 없다", True, white)) == pixels(face.render("\uffff50이 없다", True, white))
    line = TextCache(fonts).line("옥희가 달라는 ¥50이 없다", "serif", 24, white)
    assert pixels(line) != pixels(face.render("옥희가 달라는 \uffff50이 없다", True, white))
    # The borrowed glyph does not make the line taller: lines keep their places.
    assert line.get_height() == face.get_height()
