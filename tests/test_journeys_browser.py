"""The class-journeys student page in real headless Chromium: a whole journey by keyboard, axe-core, resume.

- A student joins by typing the room code, then plays to an ending with the keyboard
  alone (each choice is a button reached and pressed with keys), at a phone's 360×740
  and at a Chromebook's 1366×768; what the page shows is checked against what the
  engine says (the words of costs and risks).
- axe-core (from npm, injected into the page) audits the join form, a passage with
  choices, the paused page and the ending: no serious or critical violation.
- The laptop's program is SIGKILLed mid-journey and started again with ``--resume``:
  the page reconnects by itself and shows the same passage, step and resources.

Screenshots go to the test's folder; with ESCAPE_ROUTE_SCREENSHOTS=1 they are
also copied to docs/screenshots/ (journey-360-*.png, journey-1366-*.png). axe-core is
looked for in $ESCAPE_ROUTE_AXE (a folder holding node_modules/axe-core), then in
~/.cache/escape-route/axe (``.ci/run`` installs it there and sets ESCAPE_ROUTE_EXPECT_AXE,
so a missing one fails there); elsewhere the audit skips, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

from test_journeys_lan import headless  # noqa: E402
from test_lan_browser import wait_for  # noqa: E402

from conftest import REPO, STORY, headless_chromium  # noqa: E402
from game.classroom.journeys import ClassJourneys, JourneySettings, device_key, journey_map  # noqa: E402
from game.engine.engine import Engine  # noqa: E402
from game.engine.policies import careful_policy  # noqa: E402
from game.engine.rng import Pcg32  # noqa: E402
from game.lan.journeys import JourneyServer  # noqa: E402
from game.story.loader import load_story  # noqa: E402

CODE = "5170"
SHOTS = REPO / "docs" / "screenshots"


@cache
def story():
    return load_story(STORY)


def serve(tmp_path, **settings):
    where = journey_map(story())
    journeys, writer = ClassJourneys.create(Engine(story()), JourneySettings(**{"luck": "same", "allow_undo": True,
                                                                                "seed": 2010, **settings}),
                                            tmp_path / "class.jsonl", places=where.places,
                                            route_points=where.route_points)
    # This student reads nothing and chooses several times a second: more than the 30 messages in 10 s a page
    # may send (a real student sends a few a minute).
    server = JourneyServer(journeys, bind="127.0.0.1", room_code=CODE, journey_map=where, message_burst=1000)
    server.start()
    return server, writer


def chrome(tmp_path, size):
    browser = headless_chromium(tmp_path / f"chromium-{size[0]}", size)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": size[0] < 500})
    return browser


def shot(browser, tmp_path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    time.sleep(0.15)
    browser.save_screenshot(str(path))
    if os.environ.get("ESCAPE_ROUTE_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SHOTS / path.name)
    return path


def axe_source() -> str | None:
    """axe-core's script, or None where it is not installed (an error where CI installed it: EXPECT_AXE)."""
    for folder in (os.environ.get("ESCAPE_ROUTE_AXE"), Path.home() / ".cache" / "escape-route" / "axe"):
        if folder:
            script = Path(folder) / "node_modules" / "axe-core" / "axe.min.js"
            if script.is_file():
                return script.read_text(encoding="utf-8")
    if os.environ.get("ESCAPE_ROUTE_EXPECT_AXE"):
        pytest.fail("axe-core should be installed (.ci/run installs it with npm) but was not found")
    return None


def audit(browser, source: str, where: str) -> None:
    """axe-core's WCAG A/AA rules on the page as it is now: no serious or critical violation."""
    browser.execute_script(source)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']}}).then(r => done(JSON.stringify(r.violations)), e => done('error: ' + e));")
    assert not result.startswith("error"), result
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
           for v in json.loads(result) if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe-core at {where}: {bad}"


def join(browser, url, seen=None):
    """Join with the room code typed, read the content note and go on to the first passage, by keyboard.

    ``seen(where)`` is called on the content note (a screenshot, an audit)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(url)
    by_id = lambda name: browser.find_element("id", name)  # noqa: E731
    wait_for(lambda: by_id("join").is_displayed(), what="the join form")
    assert browser.find_element("css selector", "label[for=code]").text == "Room code"
    by_id("code").send_keys(CODE + "\n")
    # Before her first page, the story's content note (its helplines too); one key press goes on.
    wait_for(lambda: by_id("note").is_displayed() and by_id("note-text").text, what="the content note")
    assert not by_id("play").is_displayed()
    assert by_id("note-text").text.startswith("This story follows one young woman's escape")
    assert "Childline (0800 1111" in by_id("note-text").text
    assert browser.execute_script("return document.activeElement.id") == "note-heading"
    if seen is not None:
        seen("the content note")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.execute_script("return document.activeElement.id") == "note-go"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait_for(lambda: by_id("play").is_displayed() and by_id("title").text, what="the first passage")
    assert not by_id("note").is_displayed()


def page_state(browser) -> dict:
    return browser.execute_script(
        "const q = s => Array.from(document.querySelectorAll(s)).map(e => e.textContent);"
        "return {title: document.getElementById('title').textContent, where: document.getElementById('where')"
        ".textContent, paragraphs: q('#text p'), choices: q('#choices .what'), risks: q('#choices .risk'),"
        "costs: q('#choices .costs'), reasons: q('#choices .reason'), resources: q('#resources dd'),"
        "journal: document.querySelectorAll('#journal li').length, ending: !document.getElementById('ending').hidden,"
        "mapShown: !document.getElementById('map-section').hidden, active: document.activeElement.id};")


def press_choice(browser, position: int) -> None:
    """Reach choice ``position`` with the keyboard from the passage's title and press Enter, as a keyboard user."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.execute_script("document.getElementById('title').focus()")
    actions = ActionChains(browser)
    for _ in range(position + 1):
        actions.send_keys(Keys.TAB)
    actions.perform()
    focused = browser.execute_script("return document.activeElement.getAttribute('data-index')")
    assert focused is not None, "Tab from the title did not reach the choices"
    ActionChains(browser).send_keys(Keys.ENTER).perform()


@pytest.mark.parametrize("size", [(360, 740), (1366, 768)], ids=["phone", "chromebook"])
def test_a_student_plays_a_whole_journey_by_keyboard(tmp_path, size):
    server, writer = serve(tmp_path, seed=2)
    browser = chrome(tmp_path, size)
    source = axe_source()
    rng = Pcg32.seeded(1)
    tag = f"journey-{size[0]}"
    try:
        join(browser, server.url, lambda where: (shot(browser, tmp_path, f"{tag}-note"),
                                                 source and audit(browser, source, where)))
        assert browser.execute_script("return document.documentElement.scrollWidth") <= size[0]
        token = browser.execute_script("return JSON.parse(localStorage.getItem('escape-route-journey')).token")
        engine_page = server.journeys.page(token)
        state = page_state(browser)
        assert state["title"] == engine_page["title"] and state["where"] == "Chapter 1: Hyesan"
        assert state["paragraphs"] == engine_page["paragraphs"]
        shot(browser, tmp_path, f"{tag}-passage")
        if source:
            audit(browser, source, "a passage")
        risk_shot = False
        for _ in range(200):
            state = page_state(browser)
            if state["ending"]:
                break
            engine_page = server.journeys.page(token)
            # The page's words are the engine's: choices, costs and risks.
            assert state["choices"] == [c["text"] for c in engine_page["choices"]]
            assert state["risks"] == [c["risk"] for c in engine_page["choices"] if c["risk"]]
            assert state["reasons"] == ["Not possible: " + c["reason"] for c in engine_page["choices"]
                                        if not c["available"]]
            assert state["resources"] == [r["value"] for r in engine_page["resources"]]
            if state["risks"] and not risk_shot:
                browser.execute_script("document.querySelector('#choices .risk').closest('li').scrollIntoView("
                                       "{block: 'center'})")
                shot(browser, tmp_path, f"{tag}-choice-risk")
                risk_shot = True
            # Deterministic and long: the simulator's careful player (seed 2 reaches Seoul by 23 places).
            state_now = server.journeys.students[device_key(token)].state
            open_ = [c for c in server.journeys.engine.view(state_now).choices if c.available]
            index = careful_policy(open_, state_now.vars, rng)
            position = next(i for i, c in enumerate(engine_page["choices"]) if c["index"] == index)
            step = engine_page["step"]
            press_choice(browser, position)
            wait_for(lambda s=step: server.journeys.page(token)["step"] == s + 1, what="the choice to be taken")
            wait_for(lambda s=step: browser.execute_script(
                "return document.activeElement.id === 'title'") and page_state(browser)["title"] ==
                server.journeys.page(token)["title"], what="the next passage, focused")
        state = page_state(browser)
        assert state["ending"], "the journey did not reach an ending in 200 choices"
        ending_page = server.journeys.page(token)
        ending = ending_page["ending"]
        assert browser.find_element("id", "ending-heading").text == ending["title"]
        facts = browser.find_elements("css selector", "#facts li, #since li")
        assert len(facts) == len(ending["facts"]) >= 1
        assert browser.find_element("css selector", "#facts .cite, #since .cite").text
        browser.execute_script("document.getElementById('ending').scrollIntoView()")
        shot(browser, tmp_path, f"{tag}-ending")
        # Under her ending, on her own phone, the helplines of the story's content note.
        helplines = browser.find_element("id", "helplines")
        browser.execute_script("arguments[0].scrollIntoView()", helplines)
        assert helplines.is_displayed() and "Samaritans (116 123" in helplines.text
        assert browser.find_element("id", "helplines-heading").text == "IF THIS TOUCHES YOUR OWN LIFE"
        shot(browser, tmp_path, f"{tag}-helplines")
        # The whole route on the terrain, drawn in SVG over the cached image.
        browser.execute_script("document.getElementById('map-section').scrollIntoView()")
        wait_for(lambda: browser.execute_script(
            "const i = document.querySelector('#map image'); return i && i.getBBox().width > 0"), what="the map")
        points = browser.execute_script("return document.querySelector('#map .route').points.numberOfItems")
        assert points == len(ending_page["route"]) > 20
        assert "She is at Seoul" in browser.find_element("id", "map-caption").text
        shot(browser, tmp_path, f"{tag}-map")
        assert risk_shot
        if source:
            audit(browser, source, "the ending")
        # The teacher pauses: "Eyes on the board", no input taken.
        server.journeys.pause(True)
        wait_for(lambda: browser.find_element("id", "paused").is_displayed(), what="the pause")
        assert browser.find_element("id", "paused-heading").text == "Eyes on the board"
        if source:
            audit(browser, source, "the paused page")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= size[0]
    finally:
        browser.quit()
        server.stop()
        writer.close()


def test_the_join_form_passes_axe_core(tmp_path):
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is not installed (npm install --prefix ~/.cache/escape-route/axe axe-core)")
    server, writer = serve(tmp_path)
    browser = chrome(tmp_path, (360, 740))
    try:
        browser.get(server.url)
        wait_for(lambda: browser.find_element("id", "join").is_displayed(), what="the join form")
        audit(browser, source, "the join form")
        browser.find_element("id", "code").send_keys("0000\n")
        wait_for(lambda: "not the room code" in browser.find_element("id", "join-error").text, what="the error")
        audit(browser, source, "the join form with an error")
    finally:
        browser.quit()
        server.stop()
        writer.close()


def test_the_page_resumes_by_itself_after_the_laptops_program_is_killed(tmp_path):
    path = tmp_path / "class.jsonl"
    proc, info = headless(path, "--code", CODE, "--luck", "own")
    browser = chrome(tmp_path, (360, 740))
    try:
        join(browser, info["url"])
        for _ in range(4):
            title = page_state(browser)["title"]
            press_choice(browser, browser.execute_script(
                "return Array.from(document.querySelectorAll('#choices button'))"
                ".findIndex(b => !b.classList.contains('closed'))"))
            wait_for(lambda t=title: page_state(browser)["title"] != t or browser.execute_script(
                "return document.getElementById('journal').children.length") > 0, what="the next passage")
            time.sleep(0.2)
        before = page_state(browser)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        wait_for(lambda: "Connection lost" in browser.find_element("id", "connection").text, what="the lost line")
        proc, again = headless(path, "--resume")
        assert again["port"] == info["port"]
        wait_for(lambda: browser.find_element("id", "connection").text == "Connected", timeout=20,
                 what="the page to reconnect by itself")
        time.sleep(0.3)
        after = page_state(browser)
        for key in ("title", "where", "paragraphs", "choices", "risks", "costs", "resources", "journal"):
            assert after[key] == before[key], key
    finally:
        browser.quit()
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait(10)


def test_the_page_follows_the_browsers_text_size_without_overflowing_a_phone(tmp_path):
    server, writer = serve(tmp_path)
    browser = chrome(tmp_path, (360, 740))
    try:
        join(browser, server.url)
        browser.execute_cdp_cmd("Page.enable", {})
        browser.execute_cdp_cmd("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})  # 200%
        time.sleep(0.3)
        sizes = browser.execute_script(
            "const px = e => parseFloat(getComputedStyle(e).fontSize);"
            "return [px(document.body), px(document.querySelector('#choices .what')),"
            "document.documentElement.scrollWidth];")
        assert sizes[0] == 32 and sizes[1] > 32, sizes        # every size follows the browser's (rem)
        wide = browser.execute_script(
            "return Array.from(document.querySelectorAll('body *')).filter(e => e.scrollWidth > e.clientWidth + 1"
            " && e.getClientRects().length).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' +"
            " Math.round(e.getBoundingClientRect().right)).slice(0, 8);")
        assert sizes[2] <= 360, f"the page is wider than the phone at twice the text size: {wide}"
        browser.execute_script("document.getElementById('choices').scrollIntoView()")
        shot(browser, tmp_path, "journey-360-text-200")
    finally:
        browser.quit()
        server.stop()
        writer.close()


def test_a_paused_page_takes_no_input_and_every_page_shows_the_prompt(tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    server, writer = serve(tmp_path)
    browser = chrome(tmp_path, (360, 740))
    try:
        join(browser, server.url)
        token = browser.execute_script("return JSON.parse(localStorage.getItem('escape-route-journey')).token")
        server.journeys.send_prompt("Would you have told your mother?")
        wait_for(lambda: browser.find_element("id", "prompt").is_displayed(), what="the prompt")
        assert browser.find_element("id", "prompt-text").text == "Would you have told your mother?"
        wait_for(lambda: "told your mother" in browser.find_element("id", "changed").text, what="the live region")
        server.journeys.pause(True)
        wait_for(lambda: browser.find_element("id", "paused").is_displayed(), what="the pause")
        assert browser.execute_script("return document.getElementById('passage').inert") is True
        # The keyboard cannot reach a choice, and a click on one sends nothing.
        ActionChains(browser).send_keys(Keys.TAB * 6).perform()
        assert not browser.execute_script("return !!document.activeElement.closest('#choices')")
        browser.execute_script("document.querySelector('#choices button').click()")
        time.sleep(0.3)
        assert server.journeys.page(token)["step"] == 0
        server.journeys.pause(False)
        wait_for(lambda: not browser.find_element("id", "paused").is_displayed(), what="the class to play on")
        press_choice(browser, 0)
        wait_for(lambda: server.journeys.page(token)["step"] == 1, what="the choice after the pause")
    finally:
        browser.quit()
        server.stop()
        writer.close()


# --------------------------------------------------------------------------- what the status line says


def connection_text(browser) -> str:
    return browser.find_element("id", "connection").text


def test_a_refused_page_says_why_once_and_never_connection_lost(tmp_path):
    """Refused as full (too many devices from one address), or with a wrong code: the reason beside the form,
    and no red "Connecting…" or "Connection lost: trying again…" beside it."""
    server, writer = serve(tmp_path)
    (tmp_path / "full").mkdir()
    full, full_writer = serve(tmp_path / "full")
    full.per_address = 0                                        # every device here is one too many
    browser = chrome(tmp_path, (360, 740))
    try:
        browser.get(server.url)
        wait_for(lambda: browser.find_element("id", "join").is_displayed(), what="the join form")
        browser.find_element("id", "code").send_keys("0000\n")
        wait_for(lambda: "not the room code" in browser.find_element("id", "join-error").text, what="the error")
        time.sleep(0.5)
        assert connection_text(browser) == ""
        browser.get(full.url + "#" + CODE)
        wait_for(lambda: "The room is full" in browser.find_element("id", "join-error").text, what="full")
        time.sleep(2.5)                                          # long enough for a retry to have said otherwise
        assert browser.find_element("id", "join-error").text == "The room is full. Ask your teacher, then try again."
        assert connection_text(browser) == "Not connected: the room is full."
        shot(browser, tmp_path, "journey-360-full")
    finally:
        browser.quit()
        for srv, wr in ((server, writer), (full, full_writer)):
            srv.stop()
            wr.close()


def test_when_the_teacher_quits_the_page_says_the_room_closed_and_comes_back_on_resume(tmp_path):
    path = tmp_path / "class.jsonl"
    proc, info = headless(path, "--code", CODE)
    browser = chrome(tmp_path, (360, 740))
    try:
        join(browser, info["url"])
        proc.stdin.close()                                     # the teacher quits: the server stops cleanly
        proc.wait(10)
        wait_for(lambda: "closed the room" in connection_text(browser), what="the room-closed line")
        time.sleep(6)                                          # it keeps trying, quietly: the words stay
        assert connection_text(browser) == ("Your teacher's laptop has closed the room. Your journey is kept: it "
                                            "comes back here when the room opens again.")
        shot(browser, tmp_path, "journey-360-closed")
        proc, again = headless(path, "--resume")
        wait_for(lambda: connection_text(browser) == "Connected", timeout=20, what="the page to come back")
        assert browser.find_element("id", "play").is_displayed()
    finally:
        browser.quit()
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait(10)


def test_the_teacher_page_names_a_chapter_once_where_the_place_has_its_name(tmp_path):
    server, writer = serve(tmp_path)
    browser = chrome(tmp_path, (360, 740))
    try:
        join(browser, server.url)
        browser.get(server.teacher_link)
        wait_for(lambda: browser.find_element("id", "roster-section").is_displayed(), what="the roster")
        cells = [td.text for td in browser.find_elements("css selector", "#roster td")]
        assert cells == ["—", "Hyesan"], cells                 # not "Hyesan · Hyesan"
        assert "Press T on the dashboard" in browser.page_source
    finally:
        browser.quit()
        server.stop()
        writer.close()
