"""The student page in headless Chromium at a phone's size: join, vote, change, reconnect, see the result.

Saves docs/student-page.png (the page while voting). Skipped, with the reason, where
Chromium or chromedriver is not installed. The server binds to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import os
import time

import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

from conftest import REPO, headless_chromium  # noqa: E402
from game.lan.server import VoteServer  # noqa: E402

CODE = "3907"
XSS = [
    {"index": 0, "text": "<script>window.__xss = 1</script>Run", "cost": "<b>¥100</b>", "available": True},
    {"index": 1, "text": '<img src=x onerror="window.__xss = 2">Hide', "risk": "<i>10%</i>", "available": True},
]
# A real passage (01_hyesan: the go-between), with its costs and risks as the projector shows them.
GO_BETWEEN = [
    {"index": 0, "text": "Take the money, and her number on a scrap of paper",
     "cost": "+¥200 · + Sister's number, written on a scrap · +5 Exposure", "available": True},
    {"index": 1, "text": "Take the money, and pay for the call on the hill", "cost": "+¥150 · 1 day",
     "risk": "22% risk: call traced", "available": True},
    {"index": 2, "text": "Refuse it all. Anyone can say they come from Seoul.", "cost": "−1 Trust", "available": True},
    {"index": 3, "text": "Ask her to carry a letter instead", "available": False, "reason": "needs Trust 3 or more"},
]


def chrome(tmp_path):
    browser = headless_chromium(tmp_path / "chromium-profile", (360, 740))
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    return browser


def wait_for(check, timeout: float = 10.0, what: str = "the page"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # noqa: BLE001 - the element may be re-rendered meanwhile
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_phone_joins_votes_reconnects_and_sees_the_result(tmp_path):
    browser = chrome(tmp_path)
    server = VoteServer(bind="127.0.0.1", room_code=CODE)
    server.start()
    by_id = lambda name: browser.find_element("id", name)  # noqa: E731
    text = lambda name: by_id(name).text  # noqa: E731
    try:
        browser.get(server.url)
        assert browser.execute_script("return document.documentElement.clientWidth") == 360
        assert by_id("join").is_displayed() and not by_id("room").is_displayed()
        label = browser.find_element("css selector", "label[for=code]")
        assert label.text == "Room code"

        # A wrong code, then the right one (typed; Enter submits the form, as on a phone's keyboard).
        by_id("code").send_keys("0000\n")
        wait_for(lambda: "not the room code" in text("join-error"), what="the wrong-code message")
        assert by_id("code").get_attribute("aria-invalid") == "true"
        by_id("code").clear()
        by_id("code").send_keys(CODE + "\n")
        wait_for(lambda: by_id("room").is_displayed(), what="the room")
        assert text("phase") == "Waiting" and server.connected() == 1
        assert text("connection") == "Connected"

        # Story text with markup is shown as text, never run.
        server.open_decision("d1", "<em>Night</em>", XSS)
        wait_for(lambda: text("title") == "<em>Night</em>", what="the first decision")
        buttons = browser.find_elements("css selector", "button.choice")
        assert "<script>window.__xss = 1</script>Run" in buttons[0].text and "<b>¥100</b>" in buttons[0].text
        assert buttons[1].text.startswith("2\n<img src=x") and "<i>10%</i>" in buttons[1].text
        assert browser.execute_script("return window.__xss") is None
        assert browser.find_elements("css selector", "#choices script, #choices img, #choices b") == []
        buttons[0].click()
        wait_for(lambda: server.tally() == {0: 1}, what="the vote to count")
        server.close_decision()
        wait_for(lambda: text("phase") == "Vote closed", what="the result")

        # A real passage: vote with the keyboard, change the vote, lose the connection, see the result.
        server.open_decision("d2", "The go-between", GO_BETWEEN)
        wait_for(lambda: text("title") == "The go-between" and text("phase") == "Voting is open", what="d2")
        buttons = browser.find_elements("css selector", "button.choice")
        assert [b.is_enabled() for b in buttons] == [True, True, True, False]
        assert "Closed: needs Trust 3 or more" in buttons[3].text
        assert buttons[1].get_attribute("aria-label") == ("2. Take the money, and pay for the call on the hill. "
                                                          "+¥150 · 1 day. 22% risk: call traced")
        assert text("mine") == "You have not voted yet."
        buttons[2].send_keys("\n")                         # a real button: Enter presses it
        wait_for(lambda: server.tally() == {2: 1}, what="the keyboard vote")
        buttons[1].click()                                 # changed: replaces, does not add
        wait_for(lambda: server.tally() == {1: 1} and buttons[1].get_attribute("aria-pressed") == "true",
                 what="the changed vote")
        assert buttons[2].get_attribute("aria-pressed") == "false"
        assert text("mine").startswith("Your vote: 2. Take the money, and pay for the call")
        assert by_id("mine").get_attribute("aria-live") == "polite"
        assert by_id("connection").get_attribute("role") == "status"
        browser.execute_script("document.activeElement.blur()")
        # The picture in docs/ is refreshed only when asked (ESCAPE_ROUTE_SCREENSHOTS=1), so
        # that running the tests never changes a tracked file.
        shot = REPO / "docs" / "student-page.png" if os.environ.get("ESCAPE_ROUTE_SCREENSHOTS") \
            else tmp_path / "student-page.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000

        # The Wi-Fi drops: the server loses the connection; the page comes back on its own, vote intact.
        token = browser.execute_script("return JSON.parse(sessionStorage.getItem('escape-route-vote')).token")
        assert len(token) >= 16

        async def drop_all():
            for ws in list(server._sockets):
                await ws.close(code=1012, message=b"restart")

        asyncio.run_coroutine_threadsafe(drop_all(), server._loop).result(5)
        wait_for(lambda: "Trying again" in text("connection") or text("connection") == "Reconnecting…", 5,
                 what="the page to notice the drop")
        wait_for(lambda: text("connection") == "Connected" and server.connected() == 1, 10, what="the reconnection")
        assert server.tally() == {1: 1} and server.votes_cast() == 1
        assert buttons[1].get_attribute("aria-pressed") == "true" or \
            browser.find_elements("css selector", "button.choice")[1].get_attribute("aria-pressed") == "true"

        server.close_decision()
        wait_for(lambda: text("phase") == "Vote closed" and by_id("result").is_displayed(), what="the result")
        counts = browser.find_elements("css selector", "#counts li")
        assert [c.text.split("\n")[-1] for c in counts] == ["0 votes", "1 vote", "0 votes"]
        assert "top" in counts[1].get_attribute("class") and "Your vote" in counts[1].text
        assert not by_id("choices").is_displayed()          # the result takes the choices' place
        assert text("mine") == "You voted for 2. Take the money, and pay for the call on the hill."
        assert not by_id("taken").is_displayed()
        server.announce(0, {1: 1}, "override")  # the facilitator takes option 1: every phone is told
        wait_for(lambda: by_id("taken").is_displayed(), what="the option the class took")
        assert text("taken").startswith("Your teacher chose: 1.")
        browser.save_screenshot(str(tmp_path / "result.png"))
        severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert severe == [], severe
    finally:
        browser.quit()
        server.stop()
