"""Every facilitator screen fits the window in Korean too (Hangul is wider per character in Nanum Gothic).

The vote screen and the class-journeys dashboard record what they draw where, and their own tests run
in both languages. The other screens are checked here by drawing them onto a surface larger than the
window, filled with a colour the theme never uses: whatever lands right of or below the window was
cut off on the real screen. Each screen is drawn at the smallest supported size (1024x600) and at
1920x1080, in English and Korean.
"""

from __future__ import annotations

import pygame
import pytest

from conftest import STORY
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.cli.classroom import projector_mode
from game.l10n import _, set_language
from game.story.loader import load_story
from game.ui.app import App

SENTINEL = (255, 0, 255)
MARGIN = 600


def overflow(app: App) -> list[tuple[int, int]]:
    """Pixels drawn outside the window (right of it or below it), sampled every 4 pixels."""
    w, h = app.screen.get_size()
    big = pygame.Surface((w + MARGIN, h + MARGIN))
    big.fill(SENTINEL)
    big.fill(app.theme.palette.bg, pygame.Rect(0, 0, w, h))
    app.stack.draw(big)
    out = []
    for x in range(0, w + MARGIN, 4):
        for y in range(h if x < w else 0, h + MARGIN, 4):
            if big.get_at((x, y))[:3] != SENTINEL:
                out.append((x, y))
    return out


@pytest.fixture(params=[("en", (1024, 600)), ("ko", (1024, 600)), ("ko", (1920, 1080))],
                ids=["en-1024x600", "ko-1024x600", "ko-1920x1080"])
def window(request, tmp_path):
    lang, size = request.param
    set_language(lang)
    story = load_story(STORY, lang=lang)
    pygame.init()
    app = App(story, size=size, seed=1)
    projector_mode(app)
    yield app, tmp_path
    fac = getattr(app, "facilitation", None)
    if fac is not None:
        fac.close()
    app.close()
    pygame.quit()


def shown(app: App, scene, where: str) -> None:  # noqa: ANN001
    app.push(scene)
    app.step(events=[])
    assert not overflow(app), f"{where}: drawn outside the window"
    app.pop()


def test_setup_screens_fit(window):
    from game.ui.classroom.journeys_setup import JourneyChoices, JourneysSetupScene
    from game.ui.classroom.setup import FacilitateSetupScene

    app, _tmp = window
    for level in ("full", "younger"):
        for groups in (0, 4):
            app.stack.replace_all(FacilitateSetupScene(app, FacilitatorSettings(name="9B History", groups=groups,
                                                                                level=level)))
            app.step(events=[])
            assert not overflow(app), f"set-up, {level}, {groups} groups"
    for luck in ("same", "own"):
        for undo in (False, True):
            choices = JourneyChoices("9B History", luck, undo, undo, 4242)
            app.stack.replace_all(JourneysSetupScene(app, choices, lambda _c: None))
            app.step(events=[])
            assert not overflow(app), f"journeys set-up, {luck}, undo {undo}"


def test_every_passage_and_the_screens_over_it_fit(window):
    from game.ui.classroom.discussion import DiscussionScene
    from game.ui.classroom.facts import FactCardScene
    from game.ui.classroom.pause import ConfirmRollbackScene, FacilitatePauseScene
    from game.ui.classroom.story import start_session

    app, tmp = window
    story = app.story
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4, level="younger"), path=tmp / "s.jsonl")
    start_session(app, fac)
    scene = app.stack.top
    checked = 0
    for node in story.nodes.values():
        fac.state.node = node.id
        try:
            scene.refresh((_("The risk fell: {pct}%, {risk}").format(pct=35, risk=_("Not possible: {error}.")), True))
        except Exception:  # noqa: BLE001 - a node the engine cannot show from the start state
            continue
        for page in range(len(scene.pages)):
            scene.page = page
            app.step(events=[])
            assert not overflow(app), f"passage {node.id}, page {page + 1}"
        checked += 1
    assert checked > 100
    fac.state.node = next(n.id for n in story.nodes.values() if n.discuss and n.facts)
    scene.refresh()
    shown(app, DiscussionScene(app, fac), "discussion")
    for fact in list(story.facts)[:40]:
        shown(app, FactCardScene(app, fac, [fact]), f"fact {fact}")
    shown(app, FacilitatePauseScene(app, fac), "pause")
    shown(app, ConfirmRollbackScene(app, fac), "go back?")


def test_the_class_debrief_fits_on_every_page(window):
    from game.ui.classroom.debrief import ClassDebriefScene
    from game.ui.classroom.story import start_session

    app, tmp = window
    story = app.story
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp / "s.jsonl")
    start_session(app, fac)
    for _step in range(200):  # the class takes the first open option each time, to an ending
        view = fac.view()
        if view.ending is not None:
            break
        fac.open_vote()
        fac.close_vote(next(c.index for c in view.choices if c.available), "vote")
    assert fac.view().ending is not None
    scene = ClassDebriefScene(app, fac)
    app.push(scene)
    app.step(events=[])
    assert len(scene.pages) > 2
    for page in range(len(scene.pages)):
        scene.page = page
        app.step(events=[])
        assert not overflow(app), f"class debrief page {page + 1}: {scene.pages[page][0]}"


def test_the_class_report_and_the_transcript_speak_korean(tmp_path):
    """``escape-route report --lang ko``: <html lang="ko">, every heading and table head in Hangul; the
    transcript too. The CSV stays English (column heads are data for spreadsheets)."""
    import io
    import re

    from game.classroom import session as s
    from game.classroom.report import write_report
    from game.classroom.transcript import print_session

    set_language("ko")
    story = load_story(STORY, lang="ko")
    paths = []
    for group in (1, 2):
        fac = Facilitation.start(story, FacilitatorSettings(name="9B", groups=2, group=group, seed=group),
                                 path=tmp_path / f"g{group}.jsonl")
        for _step in range(6):
            view = fac.view()
            fac.open_vote()
            fac.close_vote([c.index for c in view.choices if c.available][-group % 2], "vote")
        paths.append(fac.path)
        fac.close()
    html_path = tmp_path / "report.html"
    write_report(paths, html_path)
    html = html_path.read_text(encoding="utf-8")
    assert '<html lang="ko">' in html
    hangul = re.compile(r"[\uac00-\ud7a3]")
    for tag in ("h1", "h2", "h3", "th"):
        for words in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, re.S):
            text = re.sub(r"<[^>]+>|\b[a-z_]+\b|9B", "", words)  # node ids in tags, the class's own name
            assert hangul.search(text) or not text.strip(), f"<{tag}> not in Korean: {words!r}"
    assert "모둠 1/2" in html and "Group 1 of 2" not in html
    out = io.StringIO()
    print_session(story, s.read_session(paths[0]), out)
    assert "수업: 9B · 모둠 1/2" in out.getvalue() and "학급의 선택" in out.getvalue()
