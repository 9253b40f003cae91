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


FRAME = 1 / 60


def _frames(app, seconds: float, events=None) -> None:  # noqa: ANN001
    for i in range(max(1, round(seconds / FRAME))):
        app.step(events=list(events or []) if i == 0 else [], dt=FRAME)


def _tap(app, key: int) -> None:  # noqa: ANN001
    _frames(app, 0.5)
    _frames(app, 0.08, [pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)])
    _frames(app, FRAME, [pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0)])


def test_the_language_setting_switches_story_and_screens_and_keeps_the_journey(make_app):
    """F2, down to Language, right twice (system → English → 한국어): the page is Korean, the journey the same."""
    from game import l10n
    from game.ui.settings import Settings, load_settings, save_settings

    save_settings(Settings().changed(text_speed="instant"))
    story = load_story(REPO / "story")
    app = make_app(story, writer=False)
    try:
        _tap(app, pygame.K_RETURN)  # New journey → the content note
        _tap(app, pygame.K_RETURN)  # Begin the journey
        node, step = app.state.node, app.state.step
        english = " ".join(app.engine.view(app.state).paragraphs)
        assert not HANGUL.search(english)
        _tap(app, pygame.K_F2)
        assert app.stack.top.name == "settings"
        for _i in range(5):
            _tap(app, pygame.K_DOWN)
        _tap(app, pygame.K_RIGHT)
        _tap(app, pygame.K_RIGHT)
        assert load_settings()[0].language == "ko" and l10n.language() == "ko"
        assert app.story.lang == "ko" and (app.state.node, app.state.step) == (node, step)
        assert app.audio.story is app.story  # the captions of what is heard switch language too
        assert "설정" in str(app.stack.top.title.text)
        _tap(app, pygame.K_ESCAPE)
        korean = " ".join(app.engine.view(app.state).paragraphs)
        assert len(HANGUL.findall(korean)) > 100
        assert app.stack.top.name == "story"
        _frames(app, 0.2)
        surface = app.screen.copy()
        assert surface.get_at((0, 0)) is not None  # drawn without a missing-font crash
        _tap(app, pygame.K_F2)
        for _i in range(5):
            _tap(app, pygame.K_DOWN)
        _tap(app, pygame.K_LEFT)  # 한국어 → English
        assert l10n.language() == "en" and app.story.lang == "en"
        assert " ".join(app.engine.view(app.state).paragraphs) == english
    finally:
        l10n.set_language("en")
