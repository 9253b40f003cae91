"""Class journeys in the teacher's window: the command line, the set-up choices, the dashboard's controls,
the class debrief's numbers against the record, and nothing drawn outside the window (issue 19)."""

from __future__ import annotations

import random
import sys
import urllib.request

import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

import pygame  # noqa: E402

from conftest import REPO, STORY  # noqa: E402
from game.classroom import session as s  # noqa: E402
from game.classroom.journeys import JourneySettings, class_debrief  # noqa: E402
from game.cli.classroom import JourneysRoom, projector_mode  # noqa: E402
from game.cli.main import main  # noqa: E402
from game.l10n import set_language  # noqa: E402
from game.story.loader import load_story  # noqa: E402
from game.story.model import ENDING_KIND_LABELS  # noqa: E402
from game.ui.app import App  # noqa: E402

sys.path.insert(0, str(REPO / "tools"))
from journeys_standin import StandInRoom  # noqa: E402

KEYS = {"\n": pygame.K_RETURN, " ": pygame.K_SPACE, "?": pygame.K_SLASH}


@pytest.fixture(scope="module")
def story():
    return load_story(STORY)


@pytest.fixture
def make_window():
    apps: list[App] = []

    def make(story, size=(1280, 720)) -> App:  # noqa: ANN001
        pygame.init()
        app = App(story, size=size, seed=1)
        projector_mode(app)  # high contrast and the largest text, as facilitate does
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()
    pygame.quit()


def press(app: App, key: int, text: str = "") -> None:
    """A key as SDL delivers it: KEYDOWN, then TEXTINPUT for a printable key, in the same frame."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=text, scancode=0))
    if text:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
    app.step()
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0))
    app.step()


def type_text(app: App, text: str) -> None:
    for ch in text:
        press(app, pygame.key.key_code(ch) if ch.isalnum() else KEYS.get(ch, pygame.K_SPACE), ch)


def settle(app: App, frames: int = 30) -> None:
    for _ in range(frames):
        app.step(events=[])


def click(app: App, pos: tuple[int, int]) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos))
    app.step()


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize(("argv", "words"), [
    (["facilitate", "--luck", "own"], "--luck is for class journeys: add --journeys"),
    (["facilitate", "--allow-undo"], "--allow-undo is for class journeys: add --journeys"),
    (["facilitate", "--journeys", "--lan"], "--lan is for a voting session; with --journeys every student plays"),
    (["facilitate", "--journeys", "--groups", "3"], "--groups is for a voting session"),
    (["facilitate", "--journeys", "--luck", "mine"], "invalid choice: 'mine'"),
    (["facilitate", "--journeys", "--port", "70000"], "70,000 is out of range"),
])
def test_arguments_wrong_for_journeys_are_usage_errors(argv, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert words in capsys.readouterr().err


def test_missing_packages_are_named_before_any_window_opens(monkeypatch, capsys):
    import game.lan

    monkeypatch.setattr(game.lan, "missing", lambda: ["aiohttp", "segno"])
    assert main(["facilitate", "--journeys"]) == 1
    err = capsys.readouterr().err
    assert "class journeys need aiohttp and segno, which are not installed" in err
    assert "pip install escape-route" in err and "Traceback" not in err


def test_resume_of_a_voting_record_says_so(tmp_path, story, capsys):
    from game.classroom.facilitation import Facilitation, FacilitatorSettings

    path = tmp_path / "vote.jsonl"
    Facilitation.start(story, FacilitatorSettings(name="9B", seed=3), path=path).close()
    assert main(["facilitate", "--journeys", "--resume", str(path)]) == 1
    assert "is not a class-journeys session; resume it without --journeys" in capsys.readouterr().err
    assert main(["facilitate", "--journeys", "--resume", str(tmp_path / "none.jsonl")]) == 1
    assert f"no session record to resume at {tmp_path / 'none.jsonl'}: give the file" in capsys.readouterr().err


def test_resume_with_no_session_yet_says_where_it_looked(tmp_path, monkeypatch, capsys):
    """`--resume` alone before any session: not "no session record to resume (last)" but where, and what to do."""
    monkeypatch.setenv("ESCAPE_ROUTE_DATA_DIR", str(tmp_path / "fresh"))
    assert main(["facilitate", "--journeys", "--resume"]) == 1
    err = capsys.readouterr().err
    assert "no session record to resume yet in " in err and "start a session with 'escape-route facilitate'" in err
    assert "(last)" not in err


# --------------------------------------------------------------------------- the set-up screen


def test_the_teacher_sets_up_the_room_with_keys_and_it_opens_on_the_network(tmp_path, story, make_window, capsys):
    from game.ui.classroom.dashboard import DashboardScene
    from game.ui.classroom.journeys_setup import LUCK_WHY, JourneyChoices, JourneysSetupScene

    app = make_window(story)
    room = JourneysRoom(app, "127.0.0.1", 0, tmp_path / "s.jsonl")
    try:
        app.stack.replace_all(JourneysSetupScene(app, JourneyChoices("Class journeys", "same", False, False, 1234),
                                                 room.begin))
        settle(app)
        setup = app.stack.top
        # On entry, beside the form: the story's content note, as on the voting set-up.
        side = [words for words, _, _ in setup.side()]
        assert side[0] == "CONTENT NOTE" and side[1].startswith("This story follows one young woman's escape")
        assert any("Childline" in para for para in side)
        for _ in range(len("Class journeys")):
            press(app, pygame.K_BACKSPACE)
        type_text(app, "7C Humanities")            # a U typed in a name is a letter, not an undo
        press(app, pygame.K_DOWN)
        assert [words for words, _, _ in setup.side()][1].endswith(LUCK_WHY["same"])
        press(app, pygame.K_RIGHT)                 # each their own luck
        assert LUCK_WHY["own"] in setup.side()[1][0]
        press(app, pygame.K_DOWN)
        press(app, pygame.K_LEFT)                  # going back allowed
        press(app, pygame.K_DOWN)                  # nicknames stay off
        press(app, pygame.K_DOWN)
        press(app, pygame.K_RIGHT)                 # younger classes
        assert setup.shown("level") == "Younger classes (11-13)"
        assert setup.side()[1][0].startswith("Younger classes: the passages that depict forced marriage") and \
            "veiled on every student's page" in setup.side()[1][0]
        press(app, pygame.K_DOWN)
        type_text(app, "77")
        assert setup.choices() == JourneyChoices("7C Humanities", "own", True, False, 77, "younger")
        press(app, pygame.K_DOWN)
        press(app, pygame.K_RETURN)                # open the room
        settle(app, 3)
        assert isinstance(app.stack.top, DashboardScene)
        assert room.journeys.settings == JourneySettings("own", True, 77, False, "younger")
        record = s.read_session(tmp_path / "s.jsonl")
        assert record.name == "7C Humanities" and record.settings["mode"] == "journeys"
        assert record.settings["luck"] == "own" and record.settings["allow_undo"] is True
        assert record.settings["level"] == "younger" and record.start["lang"] == "en"
        # The student page answers on the network, and the room code is on the screen.
        with urllib.request.urlopen(room.server.url, timeout=10) as answer:
            assert answer.status == 200
        out = capsys.readouterr().out
        assert f"room code {room.server.room_code}" in out and "teacher page" in out
        assert room.server.teacher_code not in "".join(str(scene.__dict__) for scene in app.stack.scenes)
    finally:
        room.close()


def test_the_set_up_form_takes_clicks(tmp_path, story, make_window):
    from game.ui.classroom.journeys_setup import JourneyChoices, JourneysSetupScene

    app = make_window(story)
    began = []
    app.stack.replace_all(JourneysSetupScene(app, JourneyChoices("9B", "same", False, False, 5),
                                             lambda choices: began.append(choices) or "The port is taken."))
    settle(app)
    setup = app.stack.top
    click(app, setup.rows[3].center)              # the nicknames row takes the focus
    press(app, pygame.K_RIGHT)
    click(app, setup.rows[-1].center)             # Open the room
    assert began == [JourneyChoices("9B", "same", False, True, 5)]
    assert setup.error == "The port is taken." and app.stack.top is setup   # the form stays, with the reason


# --------------------------------------------------------------------------- the dashboard


@pytest.fixture
def class_room(tmp_path, story):
    room = StandInRoom(story, tmp_path / "class.jsonl", luck="same", seed=4)
    room.join(30)
    room.play(120, random.Random(2))
    yield room
    room.close()


def test_dashboard_controls_act_on_the_model_with_real_keys(class_room, story, make_window):
    from game.ui.classroom.dashboard import DashboardScene
    from game.ui.classroom.journeys_debrief import JourneysDebriefScene
    from game.ui.classroom.prompt import PromptPickerScene, TypePromptScene, prompts_near

    app = make_window(story)
    journeys = class_room.journeys
    app.stack.replace_all(DashboardScene(app, class_room, "9B History"))
    settle(app)
    press(app, pygame.K_p, "p")
    assert journeys.snapshot().paused
    press(app, pygame.K_p, "p")
    assert not journeys.snapshot().paused
    press(app, pygame.K_l, "l")
    assert journeys.snapshot().locked
    # D: the story's questions near the chapter where most students are; 1 sends the first.
    press(app, pygame.K_d, "d")
    picker = app.stack.top
    assert isinstance(picker, PromptPickerScene)
    crowd, questions = prompts_near(story, journeys.snapshot().by_chapter)
    assert crowd == max(journeys.snapshot().by_chapter, key=lambda item: item[1])[0]
    assert picker.items[0][0] == questions[0]
    press(app, pygame.K_1, "1")
    assert journeys.snapshot().prompt == questions[0]
    assert isinstance(app.stack.top, DashboardScene)
    # D, then "Type a question of your own…" by its number (the digit is not typed into it), typed, Enter.
    press(app, pygame.K_d, "d")
    number = [label for label, _ in app.stack.top.items].index("Type a question of your own…") + 1
    press(app, pygame.key.key_code(str(number)), str(number))
    assert isinstance(app.stack.top, TypePromptScene) and app.stack.top.text == ""
    type_text(app, "Would you go ")
    press(app, pygame.K_BACKSPACE)
    type_text(app, "?")
    press(app, pygame.K_RETURN)
    assert journeys.snapshot().prompt == "Would you go?"
    # E asks first: the first answer is No.
    press(app, pygame.K_e, "e")
    press(app, pygame.K_RETURN)
    assert not journeys.snapshot().ended and isinstance(app.stack.top, DashboardScene)
    press(app, pygame.K_e, "e")
    press(app, pygame.K_DOWN)
    press(app, pygame.K_RETURN)
    assert journeys.snapshot().ended and isinstance(app.stack.top, JourneysDebriefScene)
    events = [e["type"] for e in s.read_session(class_room.writer.path).events]
    assert events.count(s.PAUSED_ALL) == 2 and s.LOCKED in events and events.count(s.PROMPT) == 2
    assert events[-1] == s.ENDED


def test_dashboard_buttons_take_clicks_and_esc_opens_the_menu(class_room, story, make_window):
    from game.ui.classroom.dashboard import DashboardMenuScene, DashboardScene

    app = make_window(story)
    app.stack.replace_all(DashboardScene(app, class_room, "9B"))
    settle(app)
    dash = app.stack.top
    lock = next(rect for control, rect in dash.buttons if control.key == "l")
    click(app, lock.center)
    assert class_room.journeys.snapshot().locked
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.stack.top, DashboardMenuScene)
    press(app, pygame.K_2, "2")                    # Pause everyone
    assert class_room.journeys.snapshot().paused and app.stack.top is dash


def test_the_dashboard_redraws_only_when_the_class_changes(class_room, story, make_window):
    from game.ui.classroom.dashboard import DashboardScene

    app = make_window(story)
    app.stack.replace_all(DashboardScene(app, class_room, "9B"))
    settle(app, 40)
    before = app.draws
    import time

    for _ in range(10):
        time.sleep(1 / 50)
        app.step(events=[])
    assert app.draws == before                     # nothing changed: nothing drawn
    class_room.join(1)
    time.sleep(1 / 50)
    app.step(events=[])
    assert app.draws == before + 1 and app.stack.top.snap.joined == 31


def test_the_projector_names_no_student(tmp_path, story, make_window):
    """Nicknames on: they reach the model, never the dashboard's words."""
    from game.ui.classroom.dashboard import DashboardScene

    room = StandInRoom(story, tmp_path / "n.jsonl", nicknames=True)
    room.join(3)
    assert room.journeys.set_nickname(room.tokens[0], "Zebulon") == "Zebulon"
    app = make_window(story)
    app.stack.replace_all(DashboardScene(app, room, "9B"))
    seen: list[str] = []
    real = app.text.line

    def spy(text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(str(text))
        return real(text, *args, **kwargs)

    app.text.line = spy
    app.stack.top.relayout()
    settle(app, 3)
    app.dirty = True
    app.step(events=[])
    assert seen and not any("Zebulon" in words for words in seen)
    room.close()


# --------------------------------------------------------------------------- the class debrief


def finished_class(tmp_path, story, luck: str = "same", n: int = 30) -> StandInRoom:
    room = StandInRoom(story, tmp_path / f"{luck}.jsonl", luck=luck, seed=7)
    room.join(n)
    room.finish_all(random.Random(5))
    return room


def page_words(scene) -> list[str]:  # noqa: ANN001
    from game.ui.classroom.journeys_debrief import Chart

    return [" ".join(item.text.split()) for _, page in scene.pages for item, _, _ in page
            if not isinstance(item, Chart)]


def test_the_class_debrief_shows_the_numbers_of_the_record(tmp_path, story, make_window):
    from game.ui.classroom.journeys_debrief import JourneysDebriefScene

    room = finished_class(tmp_path, story)
    # Two more students who take exactly the same choices: with the same luck they meet the same end.
    room.join(2)
    twins = room.tokens[-2:]
    rng = random.Random(9)
    for _ in range(200):
        page = room.journeys.page(twins[0])
        open_ = [c["index"] for c in page["choices"] if c["available"]]
        if page["ending"] is not None or not open_:
            break
        index = rng.choice(open_)
        for token in twins:
            assert room.journeys.choose(token, room.journeys.page(token)["step"], index)[0] == "ok"
    shown = room.journeys.end()
    room.close()
    recorded = class_debrief(s.read_session(room.writer.path))
    assert shown.endings_by_kind == recorded.endings_by_kind and shown.splits == recorded.splits
    assert shown.money == recorded.money and shown.facts_seen == recorded.facts_seen
    assert recorded.students == 32 and any(size >= 2 and met == size for size, met in
                                           recorded.same_choices_same_end)
    app = make_window(story)
    scene = JourneysDebriefScene(app, recorded, "9B")
    app.stack.replace_all(scene)
    settle(app, 3)
    words = page_words(scene)
    assert words[0].startswith(f"32 students played; {recorded.finished} reached an ending")
    alike = sum(size for size, _ in recorded.same_choices_same_end)
    same = sum(met for _, met in recorded.same_choices_same_end)
    assert any(w.startswith(f"{alike} students chose exactly as at least one other student did") and
               f"{same} of them met the same end" in w for w in words)
    first = recorded.splits[0]
    text, n, later = first.options[0]
    assert f"{n} chose “{text}”" in words
    assert any(w.startswith("Later: ") and all(f"{ENDING_KIND_LABELS[k].lower()} {m}" in w for k, m in later)
               for w in words)
    fact_id, seen = next((f, n) for f, n in recorded.facts_seen if f in story.facts
                         and f not in ("fees_fences_surveillance_since_2010",))
    assert any(w.startswith(f"Seen by {seen} students") for w in words)
    assert any("The story is set around 2010" in w for w in words)
    # The endings chart: one bar per kind, with its count.
    assert [label for label, _ in scene.bar_rows] == [ENDING_KIND_LABELS[k] for k, _ in recorded.endings_by_kind]
    assert [n for _, n in scene.bar_rows] == [n for _, n in recorded.endings_by_kind]
    # The pages turn with the keys.
    press(app, pygame.K_RIGHT)
    assert scene.page == 1
    press(app, pygame.K_END)
    assert scene.page == len(scene.pages) - 1 and scene.pages[-1][0] == "To think about"


def test_own_luck_says_that_luck_decided_part_of_it(tmp_path, story, make_window):
    from game.ui.classroom.journeys_debrief import JourneysDebriefScene

    room = finished_class(tmp_path, story, "own", 8)
    debrief = room.journeys.end()
    room.close()
    assert debrief.same_choices_same_end is None
    app = make_window(story)
    scene = JourneysDebriefScene(app, debrief)
    app.stack.replace_all(scene)
    settle(app, 2)
    assert any("could still meet different ends" in w for w in page_words(scene))


# --------------------------------------------------------------------------- nothing outside the window


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (1024, 600)])
def test_dashboard_and_debrief_fit_the_window(size, lang, tmp_path, story, make_window):
    """Korean is wider per character in Nanum Gothic: every size is checked in both languages."""
    from game.ui.classroom.dashboard import DashboardScene
    from game.ui.classroom.journeys_debrief import JourneysDebriefScene

    set_language(lang)
    story = load_story(STORY, lang=lang) if lang != "en" else story
    room = finished_class(tmp_path, story, "same", 30)
    room.join(10)
    room.play(40, random.Random(1))
    room.journeys.send_prompt("Which decision would have been hardest for you, and why? " * 6)
    room.journeys.lock(True)
    room.journeys.pause(True)
    app = make_window(story, size)
    window = app.screen.get_rect()
    app.stack.replace_all(DashboardScene(app, room, "A class name long enough to be cut short on a small screen"))
    settle(app, 20)
    dash = app.stack.top
    names = {name for name, _ in dash.boxes}
    assert {"qr", "room code", "map", "prompt", "where they are", "endings so far", "warnings", "state"} <= names
    for name, rect in dash.boxes:
        assert window.contains(rect), (name, rect)
    controls = [rect for name, rect in dash.boxes if name.startswith("control")]
    content = [rect for name, rect in dash.boxes if not name.startswith("control")]
    assert not [(c, r) for c in controls for r in content if c.colliderect(r)]
    assert dash.row_scale >= 0.72                      # the chapter and ending rows stay readable
    assert not dash.cut_short, f"cut short: {sorted(dash.cut_short)}"  # "Hiding in China", never "Hiding in Chi…"
    scene = JourneysDebriefScene(app, room.journeys.end(), "9B")
    app.stack.replace_all(scene)
    settle(app, 20)
    for page in range(len(scene.pages)):
        assert scene.page == page
        app.dirty = True
        app.step(events=[])
        for name, rect in scene.boxes:
            assert window.contains(rect), (page, scene.pages[page][0], name, rect)
            assert rect.bottom <= scene.bottom + 1 or name == "kicker", (page, name, rect)
        press(app, pygame.K_RIGHT)
    room.close()


# --------------------------------------------------------------------------- the real command, killed and resumed


def test_facilitate_journeys_serves_the_room_and_resume_keeps_its_code_and_port(tmp_path):
    """The command a teacher runs: the room opens with the given choices; after the program is killed,
    --resume opens the same room (code and port) on the same record."""
    import os
    import signal
    import subprocess
    import time

    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(REPO),
           "ESCAPE_ROUTE_DATA_DIR": str(tmp_path / "data")}
    record = tmp_path / "9B.jsonl"

    def start(*extra: str) -> tuple[subprocess.Popen, dict[str, str]]:
        proc = subprocess.Popen([sys.executable, "-m", "game", "facilitate", "--journeys", "--bind", "127.0.0.1",
                                 "--size", "1024x600", *extra], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=REPO)
        seen: dict[str, str] = {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "url" not in seen:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("class journeys: "):
                url, _, code = line.removeprefix("class journeys: ").strip().partition("  room code ")
                seen.update(url=url, code=code)
            elif line.startswith("teacher page"):
                seen["teacher"] = line
        assert "url" in seen, proc.stderr.read() if proc.poll() is not None else "no address printed"
        return proc, seen

    proc, first = start("--skip-setup", "--name", "9B", "--luck", "own", "--allow-undo", "--seed", "42",
                        "--session-file", str(record))
    try:
        with urllib.request.urlopen(first["url"], timeout=10) as answer:
            assert answer.status == 200
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    started = s.read_session(record)
    assert started.settings["luck"] == "own" and started.settings["allow_undo"] is True
    assert started.start["seed"] == 42
    assert s.last_room(started) == (first["code"], int(first["url"].rsplit(":", 1)[1].strip("/")))
    proc, again = start("--resume", str(record))
    try:
        assert again["code"] == first["code"] and again["url"] == first["url"]
        with urllib.request.urlopen(again["url"], timeout=10) as answer:
            assert answer.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert s.RESUMED in [e["type"] for e in s.read_session(record).events]


def test_a_room_that_cannot_open_says_why_and_a_second_try_keeps_one_record(story, make_window,
                                                                                monkeypatch):
    import game.lan.journeys as lan_journeys
    from game.ui.classroom.dashboard import DashboardScene
    from game.ui.classroom.journeys_setup import JourneyChoices, JourneysSetupScene

    real = lan_journeys.JourneyServer.start
    tries = []

    def refuse_once(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        tries.append(1)
        if len(tries) == 1:
            raise OSError(98, "Address already in use")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(lan_journeys.JourneyServer, "start", refuse_once)
    app = make_window(story)
    room = JourneysRoom(app, "127.0.0.1", 0)
    try:
        app.stack.replace_all(JourneysSetupScene(app, JourneyChoices("9B", "same", False, False, 3), room.begin))
        settle(app)
        setup = app.stack.top
        for _ in range(6):
            press(app, pygame.K_DOWN)
        press(app, pygame.K_RETURN)
        assert setup.error.startswith("The room could not open on 127.0.0.1:0: Address already in use.")
        assert "Another program uses that port" in setup.error and app.stack.top is setup
        press(app, pygame.K_RETURN)
        assert isinstance(app.stack.top, DashboardScene)
        assert len(list(s.sessions_dir().glob("*.jsonl"))) == 1    # one session, one record
    finally:
        room.close()


def test_resuming_an_ended_session_opens_its_debrief(tmp_path, story, make_window):
    from game.ui.classroom.dashboard import DashboardScene
    from game.ui.classroom.journeys_debrief import JourneysDebriefScene

    room = StandInRoom(story, tmp_path / "r.jsonl")
    room.join(4)
    room.play(10, random.Random(1))
    room.close()                                   # the program stops mid-session
    app = make_window(story)
    again = JourneysRoom(app, "127.0.0.1", 0)
    try:
        assert again.resume(room.writer.path) is None
        assert isinstance(app.stack.top, DashboardScene) and app.stack.top.snap.joined == 4
        again.journeys.end()
    finally:
        again.close()
    last = JourneysRoom(app, "127.0.0.1", 0)
    try:
        assert last.resume(room.writer.path) is None
        assert isinstance(app.stack.top, JourneysDebriefScene) and app.stack.top.debrief.students == 4
    finally:
        last.close()


def test_notices_stand_above_the_dashboard_buttons(class_room, story, make_window):
    """A notice ("New room code …") never covers a button the teacher may need to press or click."""
    from game.ui.classroom.dashboard import DashboardScene

    app = make_window(story)
    scene = DashboardScene(app, class_room, "9B History")
    app.stack.replace_all(scene)
    settle(app)
    before = app.screen.copy()
    app.notify("New room code 1234: students already in stay in. This notice is long enough to need its width.")
    app.step([])
    buttons = [rect for _, rect in scene.buttons]
    assert buttons and scene.toast_bottom <= min(rect.top for rect in buttons)
    for rect in buttons:
        for y in range(rect.top, rect.bottom, 2):
            for x in range(rect.left, rect.right, 4):
                assert app.screen.get_at((x, y)) == before.get_at((x, y)), (x, y)
