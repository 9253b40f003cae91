"""The Korean student handout (docs/student-handout-ko.html), as a Korean teacher prints it.

Headless Chromium prints it to PDF exactly as the English handout's test does
(tests/test_journeys_trial.py); poppler's tools then read the PDF back: two A4 pages,
the handout on the first and the exit ticket on the second, every Hangul syllable of
the page in the PDF's text and set in an embedded Nanum font (no tofu boxes), and the
helplines exactly those of the Korean story's content note, none invented.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO

HANDOUT = REPO / "docs" / "student-handout-ko.html"
HANGUL = re.compile(r"[\uac00-\ud7a3]")      # the precomposed syllables: all the handout uses


class _Text(HTMLParser):
    """The text a reader sees: the body without the <style> and <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=True).stdout


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    """The handout printed once by headless Chromium, as a teacher's 'Print to PDF' would."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or not all(shutil.which(tool) for tool in ("pdfinfo", "pdffonts", "pdftotext")):
        pytest.skip("no Chromium or poppler-utils here (.ci/run installs both)")
    folder = tmp_path_factory.mktemp("handout-ko")
    out = folder / "handout-ko.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
                    HANDOUT.as_uri()], capture_output=True, timeout=120, check=False)
    assert out.exists(), "Chromium printed no PDF"
    return out


def test_the_korean_handout_prints_on_two_a4_pages_handout_then_exit_ticket(pdf):
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"^Pages:\s+2$", info, re.M), info
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M), info
    # Lines wrap where the printed page wraps them (at spaces, with keep-all): read them as one run of words.
    first = " ".join(_run("pdftotext", "-f", "1", "-l", "1", str(pdf), "-").split())
    second = " ".join(_run("pdftotext", "-f", "2", "-l", "2", str(pdf), "-").split())
    # The game's own words: the room code, class journeys, fact cards, endings; the heroine as the Korean story spells her.
    for phrase in ("학생 활동지", "지연", "학급 여정", "입장 코드", "결말", "사실 카드", "강제송환 금지",
                   "2010년 이후 달라진 것", "청소년상담 1388", "자살예방 상담전화 109"):
        assert phrase in first, phrase
    for phrase in ("출구 카드", "교실을 나가기 전에", "이름", "강제송환 금지 원칙", "아직 궁금한 것 하나"):
        assert phrase in second, phrase
    assert "출구 카드" not in first and "학생 활동지" not in second


def test_every_hangul_syllable_is_printed_in_an_embedded_nanum_font(pdf):
    fonts = _run("pdffonts", str(pdf))
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    names = [row[0].split("+")[-1] for row in rows]
    assert any(name.startswith("NanumGothic") for name in names), fonts     # the body
    assert any(name.startswith("NanumMyeongjo") for name in names), fonts   # the two titles
    # Every font is embedded (emb = yes), so the sheet prints the same from any computer.
    assert all(row[-5] == "yes" for row in rows), fonts   # counted from the end: a type may have a space
    # No syllable lost to a missing glyph: the PDF's text holds every one the page shows.
    wanted = set(HANGUL.findall(_visible_text(HANDOUT.read_text(encoding="utf-8"))))
    printed = set(HANGUL.findall(_run("pdftotext", str(pdf), "-")))
    assert len(wanted) > 200 and wanted <= printed, sorted(wanted - printed)


def test_the_helplines_are_those_of_the_korean_content_note():
    with (REPO / "story" / "locale" / "ko" / "story.po").open("rb") as po:
        note = next(message for message in read_po(po) if message.context == "story/content_note")
    assert note.string
    text = _visible_text(HANDOUT.read_text(encoding="utf-8"))
    # Korean helplines are short numbers from 1: 1388, 109, 1577-6635 (not a count such as 196명 or 2,402명).
    numbers = set(re.findall(r"(?<![\d,])1\d{2,3}(?:-\d{4})?(?![\d,\uac00-\ud7a3])", text))
    assert {"1388", "109", "1577-6635"} <= numbers, numbers
    assert all(number in note.string for number in numbers), numbers
    assert "Childline" not in text and "Samaritans" not in text and "0800" not in text


def test_the_korean_handout_is_korean_and_linked_from_the_facilitator_guide():
    html = HANDOUT.read_text(encoding="utf-8")
    assert '<html lang="ko">' in html and "word-break: keep-all" in html
    assert "(student-handout-ko.html)" in (REPO / "docs" / "facilitator-guide.md").read_text(encoding="utf-8")
