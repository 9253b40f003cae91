"""What a teacher's trial of class journeys found, each as the teacher met it (docs/reviews, November 2026).

- The younger content level: passages veiled on every student's page (over real
  WebSockets), recorded, kept on resume, chosen with ``--level`` and on the set-up screen.
- The story's content note before a student's first page; its helplines under her ending.
- The teacher link on the dashboard (T), hidden by default, and the teacher code kept on resume.
- The session's language kept by ``--resume`` (class journeys and voting), with a real
  process killed with SIGKILL and started again.
- The dashboard's warning when room codes are being guessed: 35 wrong codes from 35
  addresses (127.0.0.2 … 127.0.0.36, real connections to the real server).
- ``play --replay`` of a class-journeys record; session file names in Hangul; the map's
  dots' counts adding up to the class.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.request
from functools import cache

import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

import aiohttp  # noqa: E402
import pygame  # noqa: E402
import test_journeys_dash  # noqa: E402
from test_journeys_dash import press, settle  # noqa: E402
from test_journeys_lan import joined, receive  # noqa: E402

from conftest import REPO, STORY  # noqa: E402
from game.classroom import session as s  # noqa: E402
from game.classroom.content import helplines  # noqa: E402
from game.classroom.journeys import ClassJourneys, JourneySettings, journey_map, last_teacher_code  # noqa: E402
from game.cli.main import main  # noqa: E402
from game.engine.engine import Engine  # noqa: E402
from game.lan.journeys import JourneyServer  # noqa: E402
from game.story.loader import load_story  # noqa: E402

sys.path.insert(0, str(REPO / "tools"))
from journeys_standin import StandInRoom  # noqa: E402

make_window = test_journeys_dash.make_window   # the fixture: a projector-mode window, closed after the test
CODE = "3141"
SEWN = "sewn into"     # words of the passage about carrying the means to die (hyesan_packing)


@cache
def story():
    return load_story(STORY)


def serve(tmp_path, level="full", **limits):
    where = journey_map(story())
    journeys, writer = ClassJourneys.create(Engine(story()), JourneySettings("same", False, 2010, False, level),
                                            tmp_path / "class.jsonl", name="9B", places=where.places,
                                            route_points=where.route_points)
    server = JourneyServer(journeys, bind="127.0.0.1", room_code=CODE, journey_map=where, **limits)
    server.start()
    return server, writer


async def to_packing(ws, page):
    """Take the first open choice until the passage about what she sews into her collar (seed 2010: 5 choices)."""
    for _ in range(30):
        if page["node"] == "hyesan_packing":
            return page
        index = next(c["index"] for c in page["choices"] if c["available"])
        await ws.send_json({"type": "choose", "step": page["step"], "choice": index})
        page = await receive(ws, "page")
    raise AssertionError("the first choices did not reach hyesan_packing")


# --------------------------------------------------------------------------- 1. the content level


def test_younger_classes_never_get_a_veiled_passage_on_their_phones(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "young").mkdir()
    full, full_writer = serve(tmp_path / "full")
    young, young_writer = serve(tmp_path / "young", level="younger")

    async def run(server):
        async with aiohttp.ClientSession() as session:
            ws, _token, page = await joined(session, server.url, code=CODE)
            page = await to_packing(ws, page)
            await ws.close()
            return page

    try:
        shown = asyncio.run(run(full))
        veiled = asyncio.run(run(young))
    finally:
        for server, writer in ((full, full_writer), (young, young_writer)):
            server.stop()
            writer.close()
    assert SEWN in " ".join(shown["paragraphs"]) and not shown["veiled"]
    words = " ".join(veiled["paragraphs"])
    assert SEWN not in words and veiled["veiled"] and veiled["title"] == shown["title"]
    assert words.startswith("This passage depicts carrying the means to die rather than be sent back.")
    assert "your teacher may read it aloud" in words
    assert [c["text"] for c in veiled["choices"]] == [c["text"] for c in shown["choices"]]   # the same choices
    record = s.read_session(young_writer.path)
    assert record.settings["level"] == "younger"
    again, writer, _ = ClassJourneys.resume(Engine(story()), young_writer.path)
    try:
        assert again.settings.level == "younger"                                       # kept on resume
        assert SEWN not in " ".join(again._page(next(iter(again.students.values())), "")["paragraphs"])
    finally:
        writer.close()


def test_a_veiled_ending_keeps_its_account_off_the_page_and_every_ending_gives_the_helplines(tmp_path):
    room = StandInRoom(story(), tmp_path / "e.jsonl")
    room.journeys.settings = JourneySettings("same", False, 4, False, "younger")
    room.join(1)
    student = next(iter(room.journeys.students.values()))
    engine = room.journeys.engine
    student.state = engine.new_game(4)
    student.state.node = "china_trapped"                 # an ending that depicts forced marriage
    page = room.journeys._page(student, "")
    debrief = " ".join(page["ending"]["debrief"])
    real = " ".join(story().nodes["china_trapped"].ending.debrief.split())
    assert debrief.startswith("This ending's account deals with forced marriage, and a child born into it.")
    assert real[:80] not in debrief
    assert page["ending"]["helplines"] == helplines(story()) and "Childline (0800 1111" in \
        page["ending"]["helplines"][0]
    room.close()


def test_korean_helplines_are_the_korean_editions():
    ko = load_story(STORY, lang="ko")
    lines = helplines(ko)
    assert len(lines) == 1 and "1388" in lines[0] and "109" in lines[0] and "Childline" not in lines[0]


def test_every_student_page_opens_with_the_content_note(tmp_path):
    server, writer = serve(tmp_path)

    async def run():
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(server.url + "ws")
            await ws.send_json({"type": "join", "code": CODE})
            welcome = await receive(ws, "welcome")
            await ws.close()
            return welcome

    try:
        welcome = asyncio.run(run())
    finally:
        server.stop()
        writer.close()
    assert welcome["note"][0].startswith("This story follows one young woman's escape")
    assert any("Childline" in para for para in welcome["note"])


# --------------------------------------------------------------------------- 2. the teacher link


def test_the_teacher_link_is_hidden_until_t_and_hides_itself(tmp_path, make_window, monkeypatch):
    from game.ui.classroom import dashboard as d

    server, writer = serve(tmp_path)
    app = make_window(story())
    seen: list[str] = []
    real_line, real_block = app.text.line, app.text.block
    app.text.line = lambda words, *a, **k: seen.append(str(words)) or real_line(words, *a, **k)
    app.text.block = lambda words, *a, **k: seen.append(str(words)) or real_block(words, *a, **k)
    try:
        app.stack.replace_all(d.DashboardScene(app, server, "9B"))
        settle(app, 5)
        dash = app.stack.top
        names = {name for name, _ in dash.boxes}
        assert "qr" in names and "teacher qr" not in names
        assert not any(server.teacher_code in words for words in seen)      # not on the projector by default
        assert "control T" in names
        press(app, pygame.K_t, "t")
        settle(app, 2)
        names = {name for name, _ in dash.boxes}
        assert {"teacher qr", "teacher link", "teacher code"} <= names and "qr" not in names
        assert any(f"Teacher code {server.teacher_code}" == words for words in seen)
        assert any(server.teacher_link.removeprefix("http://") == words for words in seen)
        window = app.screen.get_rect()
        assert all(window.contains(rect) for _, rect in dash.boxes)
        pygame.image.save(app.screen, str(tmp_path / "teacher-link.png"))
        press(app, pygame.K_t, "t")                                         # T again: hidden
        settle(app, 2)
        assert "teacher qr" not in {name for name, _ in dash.boxes}
        press(app, pygame.K_t, "t")
        settle(app, 2)
        later = time.monotonic() + d.TEACHER_SECONDS + 1
        monkeypatch.setattr(d.time, "monotonic", lambda: later)
        settle(app, 2)
        assert "teacher qr" not in {name for name, _ in dash.boxes}        # it hid itself
    finally:
        server.stop()
        writer.close()


# --------------------------------------------------------------------------- 2, 3. kill -9, then --resume


def start_facilitate(env, *extra):
    proc = subprocess.Popen([sys.executable, "-m", "game", "facilitate", "--bind", "127.0.0.1", "--size", "1024x600",
                             *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if "--journeys" not in extra and ".jsonl" in line:
            break
        if line.startswith(("teacher page", "교사 페이지")) or "http" in line and "#" in line:
            break
    assert lines, proc.stderr.read() if proc.poll() is not None else "nothing printed"
    return proc, lines


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(REPO),
            "ESCAPE_ROUTE_DATA_DIR": str(tmp_path / "data"), "LANGUAGE": "en", "LC_ALL": "C.UTF-8"}


def test_a_korean_class_journeys_session_resumed_stays_korean_with_its_teacher_code(tmp_path, env):
    record = tmp_path / "9반.jsonl"
    proc, first = start_facilitate(env, "--journeys", "--lang", "ko", "--level", "younger", "--skip-setup",
                                   "--name", "9반 여정", "--session-file", str(record))
    try:
        url = re.search(r"http://[0-9.:]+/", "\n".join(first)).group(0)
        link = re.search(r"http://\S+/teacher#\d+", "\n".join(first)).group(0)
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert '<html lang="ko"' in answer.read().decode()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    started = s.read_session(record)
    assert started.start["lang"] == "ko" and started.settings["level"] == "younger"
    assert last_teacher_code(started) == link.rsplit("#", 1)[1]
    proc, again = start_facilitate(env, "--journeys", "--resume", str(record))   # no --lang, as the guide says
    try:
        assert re.search(r"http://\S+/teacher#\d+", "\n".join(again)).group(0) == link   # her phone gets back in
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert '<html lang="ko"' in answer.read().decode()          # the pages stay Korean
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    resumed = s.read_session(record)
    assert [e["type"] for e in resumed.events].count(s.RESUMED) == 1


def test_a_korean_voting_session_resumed_stays_korean(tmp_path, env):
    record = tmp_path / "vote.jsonl"
    proc, first = start_facilitate(env, "--lang", "ko", "--skip-setup", "--name", "9반 역사", "--session-file",
                                   str(record))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert s.read_session(record).start["lang"] == "ko"
    proc, again = start_facilitate(env, "--resume", str(record))
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    korean = first[-1].split(":", 1)[0]
    assert korean != "session record" and again[-1].startswith(korean)     # "세션 기록: …", not "session record: …"


# --------------------------------------------------------------------------- 4. someone guessing the code


def test_the_dashboard_warns_when_codes_are_guessed_and_n_stops_it(tmp_path, make_window):
    from game.ui.classroom.dashboard import DashboardScene

    server, writer = serve(tmp_path)
    app = make_window(story())
    warning = "Many wrong room codes: someone may be guessing. N: a new code."

    async def guess(n):
        """One wrong code from each of ``n`` addresses (127.0.0.2 …), then a student with the right code."""
        answers = []
        for i in range(n):
            connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{i + 2}", 0))
            async with aiohttp.ClientSession(connector=connector) as session:
                ws = await session.ws_connect(server.url + "ws")
                await ws.send_json({"type": "join", "code": "0000"})
                answers.append((await receive(ws, "refused"))["reason"])
                await ws.close()
        return answers

    async def student():
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(server.url + "ws")
            await ws.send_json({"type": "join", "code": server.room_code})
            msg = json.loads((await ws.receive(timeout=10)).data)
            await ws.close()
            return msg

    try:
        app.stack.replace_all(DashboardScene(app, server, "9B"))
        settle(app, 3)
        dash = app.stack.top
        assert not dash.guessing() and "warnings" not in {name for name, _ in dash.boxes}
        assert set(asyncio.run(guess(35))) == {"wrong-code", "too-many-tries"}
        assert asyncio.run(student())["type"] == "refused"                  # what the trial's student met
        time.sleep(0.05)
        settle(app, 3)
        assert dash.guessing() and "warnings" in {name for name, _ in dash.boxes}
        pygame.image.save(app.screen, str(tmp_path / "guessing.png"))
        press(app, pygame.K_n, "n")                                         # a new code
        settle(app, 3)
        assert "warnings" not in {name for name, _ in dash.boxes}
        assert asyncio.run(student())["type"] == "welcome"
    finally:
        server.stop()
        writer.close()
    assert warning  # the words: the same as the voting projector's (game/ui/classroom/vote.py)


# --------------------------------------------------------------------------- 5, 6, 8


def test_replaying_a_class_journeys_record_says_to_read_it_with_report(tmp_path, capsys):
    room = StandInRoom(story(), tmp_path / "j.jsonl")
    room.join(3)
    room.play(10, random.Random(1))
    room.close()
    for extra in ([], ["--text"]):
        assert main(["play", "--story", str(STORY), "--replay", str(room.writer.path), *extra]) == 1
        captured = capsys.readouterr()
        assert "THE END" not in captured.out
        assert "a class-journeys session has no single journey to replay" in captured.err
        assert f"escape-route report {room.writer.path}" in captured.err


def test_session_file_names_keep_hangul_and_stay_safe():
    history, journeys = s.session_filename("9반 역사", when=0), s.session_filename("9반 여정", when=0)
    assert history.endswith("-9반-역사.jsonl") and journeys.endswith("-9반-여정.jsonl") and history != journeys
    odd = s.session_filename('a<b>c:d"e/f\\g|h?i*j\x01k. ', when=0)
    assert not set('<>:"/\\|?*\x01 ') & set(odd) and odd.endswith("-a-b-c-d-e-f-g-h-i-j-k.jsonl")
    assert len(s.session_filename("역" * 300, when=0).encode()) < 255
    assert s.session_filename("...", when=0).endswith("-session.jsonl")


def test_the_dots_on_the_dashboard_map_add_up_to_the_class(tmp_path, make_window):
    from game.ui.classroom.dashboard import DashboardScene

    room = StandInRoom(story(), tmp_path / "dots.jsonl", seed=7)
    room.join(29)
    room.play(90, random.Random(3))
    app = make_window(story(), (1024, 600))
    app.stack.replace_all(DashboardScene(app, room, "9B"))
    settle(app, 3)
    dash = app.stack.top
    known = app.map_view.route.locations
    on_map = sum(n for loc, n in dash.snap.positions if loc in known)
    assert on_map == 29 and sum(dash.dot_counts) == on_map
    pygame.image.save(app.screen, str(tmp_path / "dots.png"))
    room.close()



@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_set_up_value_leaves_room_for_its_arrows(lang, tmp_path, make_window):
    """"‹ Same luck for everyone ›" and the rest never touch the row's edge, in either language, at 1024×600."""
    from game.l10n import set_language
    from game.ui.classroom.journeys_setup import JourneyChoices, JourneysSetupScene

    set_language(lang)
    try:
        app = make_window(load_story(STORY, lang=lang) if lang != "en" else story(), (1024, 600))
        app.stack.replace_all(JourneysSetupScene(app, JourneyChoices("9B History", "same", False, True, 1234,
                                                                     "younger"), lambda choices: None))
        settle(app, 3)
        setup = app.stack.top
        for luck in ("same", "own"):
            setup.values["luck"] = luck
            for focus in range(len(setup.fields) - 1):
                setup.focus = focus
                setup.relayout()
                rect, (_label, value, _arrows, _focused, _button) = setup.rows[focus], setup.row_images[focus]
                arrow = app.text.line("›", "sans-bold", setup.pj.ui, (0, 0, 0)).get_width()
                right = rect.x + round(rect.w * 0.42) + value.get_width() + setup.pj.px(8) + arrow
                assert right < rect.right - setup.pj.px(4), (setup.fields[focus].key, setup.shown(
                    setup.fields[focus].key))
        setup.focus = 0
        setup.relayout()
        # At this smallest size the note for younger classes (first) and the helplines are there, whole.
        shown = [words for words, _kind, _size in setup.side()][:len(setup.note)]
        assert "veiled on every student's page" in shown[1] or "학생마다 자기 화면에서 가려집니다" in shown[1]
        assert any("Childline" in words or "1388" in words for words in shown)
        pygame.image.save(app.screen, str(tmp_path / f"setup-{lang}.png"))
    finally:
        set_language("en")


def test_the_student_handout_tells_of_class_journeys_and_prints_on_two_pages(tmp_path):
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("pdfinfo") is None:
        pytest.skip("no Chromium or pdfinfo here (.ci/run installs both)")
    handout = REPO / "docs" / "student-handout.html"
    assert "class journeys" in handout.read_text(encoding="utf-8")
    pdf = tmp_path / "handout.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    handout.as_uri()], capture_output=True, timeout=120, check=False)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M), info      # the handout on one sheet, the exit ticket on another
