"""The Korean edition as a Korean player meets it: complete, in Korean throughout, every glyph drawn.

Runs against the shipped catalogs: `check --translation ko` is clean, a piped journey in
the terminal is Korean text, every translated string has a glyph in the game's fonts, and
a line never breaks inside a Korean word (eojeol) unless the word is wider than the line.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pygame
import pytest
from babel.messages.pofile import read_po

from conftest import REPO
from game.story.loader import load_story

HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
LETTER = re.compile(r"[^\W\d_]")
CATALOGS = sorted((REPO / "story" / "locale" / "ko").glob("*.po")) + [
    REPO / "game" / "locale" / "ko" / "LC_MESSAGES" / "escape-route.po"]


def korean_strings() -> list[str]:
    found = []
    for path in CATALOGS:
        with path.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                found.extend(s for s in strings if s)
    return found


def test_the_korean_translation_is_complete_and_unbroken():
    result = subprocess.run([sys.executable, "-m", "game", "check", "story/", "--translation", "ko"], cwd=REPO,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 errors, 0 warnings" in result.stdout, result.stdout[-3000:]


def test_a_piped_korean_journey_is_korean_throughout(tmp_path):
    """Choose the first open choice at every page to an ending: at least 90% of the letters shown are Hangul."""
    from game.engine.engine import Engine

    story = load_story(REPO / "story", lang="ko")
    engine = Engine(story)
    state = engine.new_game(7)
    picks = []
    while engine.view(state).ending is None:
        index = next(c.index for c in engine.view(state).choices if c.available)
        picks.append(str(index + 1))
        engine.choose(state, index)
    answers = "\n".join(picks) + "\n"
    env = {"ESCAPE_ROUTE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "LANGUAGE": "en"}
    result = subprocess.run([sys.executable, "-m", "game", "play", "--text", "--lang", "ko", "--seed", "7"], cwd=REPO,
                            input=answers, capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    shown = result.stdout
    assert "THE END" in shown
    # Commands, codes and URLs are Latin by nature: count the words of the story and the interface.
    shown = re.sub(r"https?://\S+|escape-route[^\n]*|THE END[^\n]*|\[[a-z]+\]", " ", shown)
    letters = LETTER.findall(shown)
    hangul = [ch for ch in letters if HANGUL.match(ch)]
    assert len(letters) > 2000
    assert len(hangul) / len(letters) >= 0.9, f"{len(hangul)} of {len(letters)} letters are Hangul"


@pytest.fixture(scope="module")
def korean_fonts():
    from game import l10n
    from game.ui.theme import KOREAN_FONT_FILES, font_dir

    pygame.font.init()
    l10n.set_language("ko")
    try:
        yield {kind: pygame.font.Font(str(font_dir() / file), 20) for kind, file in KOREAN_FONT_FILES.items()}
    finally:
        l10n.set_language("en")


def test_every_korean_string_has_every_glyph_in_the_game_fonts(korean_fonts):
    from game.ui.widgets.text import printable

    missing: dict[str, set[str]] = {}
    for string in korean_strings():
        text = printable(string)
        for kind, font in korean_fonts.items():
            for char, metric in zip(text, font.metrics(text), strict=False):
                if metric is None and not char.isspace():
                    missing.setdefault(kind, set()).add(char)
    assert not missing, {kind: "".join(sorted(chars)) for kind, chars in missing.items()}


def test_korean_lines_break_between_words_never_inside_one(korean_fonts):
    from game.ui.theme import Fonts
    from game.ui.widgets.text import TextCache

    cache = TextCache(Fonts())
    story = load_story(REPO / "story", lang="ko")
    texts = [n.text_source for n in story.nodes.values() if HANGUL.search(n.text_source)][:40]
    assert texts, "no Korean passages"
    for text in texts:
        plain = re.sub(r"\{[^{}]*\}", "", text)
        words = set(plain.split())
        for width in (220, 480, 900):
            lines = cache.wrap(plain, "serif", 20, width)
            font = cache.fonts.get("serif", 20)
            for line in lines:
                for word in line.split():
                    if word not in words:  # a piece of a word: only when the whole word is wider than the line
                        whole = next((w for w in words if word in w and len(w) > len(word)), None)
                        assert whole is not None and font.size(whole)[0] > width, (word, line)
