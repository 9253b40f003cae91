"""What the phones show is what the projector shows: counts with the hands, a reset, the countdown.

The real projector (the vote scene, real key events) drives the real vote server on
127.0.0.1; phones are real WebSocket clients (aiohttp, in their own thread) or a real
page in headless Chromium.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("segno")

import pygame  # noqa: E402

from conftest import STORY, headless_chromium, press  # noqa: E402
from game.classroom.facilitation import Facilitation, FacilitatorSettings  # noqa: E402
from game.story.loader import load_story  # noqa: E402


def wait_for(check, app=None, timeout: float = 10.0, what: str = "it"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except Exception:  # noqa: BLE001 - a page element may be re-rendered meanwhile
            value = None
        if value:
            return value
        if app is not None:
            app.step([], dt=0.02)
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Phones:
    """Joined phones over real WebSockets, in their own event loop; ``seen[n]`` is phone n's last state."""

    def __init__(self, url: str, code: str, count: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.seen: list[dict | None] = [None] * count
        self.sockets: list = []
        self.run(self._open(url, code, count))

    def run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(15)

    async def _open(self, url: str, code: str, count: int) -> None:
        self.session = aiohttp.ClientSession()
        for n in range(count):
            ws = await self.session.ws_connect(url + "ws")
            await ws.send_json({"type": "join", "code": code})
            assert (await ws.receive_json(timeout=5))["type"] == "welcome"
            self.sockets.append(ws)
            self.loop.create_task(self._listen(n, ws))

    async def _listen(self, n: int, ws) -> None:
        async for message in ws:
            data = message.json()
            if data.get("type") == "state":
                self.seen[n] = data

    def vote(self, n: int, decision: str, choice: int) -> None:
        self.run(self.sockets[n].send_json({"type": "vote", "decision": decision, "choice": choice}))

    def close(self) -> None:
        async def shut():
            for ws in self.sockets:
                await ws.close()
            await self.session.close()

        self.run(shut())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def projector(tmp_path):
    from game.cli.classroom import start_vote_channel
    from game.ui.classroom.story import start_session
    from game.ui.classroom.vote import VoteScene

    story = load_story(STORY)
    pygame.display.init()
    pygame.font.init()
    from game.ui.app import App

    app = App(story, size=(1280, 720))
    server = start_vote_channel(app, "127.0.0.1", 0)
    fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=4), path=tmp_path / "s.jsonl")
    start_session(app, fac)
    vote = VoteScene(app, fac)
    app.push(vote)
    app.step([])
    yield app, server, fac, vote
    fac.close()
    server.stop()
    pygame.quit()


def shown(state: dict | None) -> tuple[dict[int, int], int] | None:
    """The counts and the total a phone shows (None while it shows none)."""
    if not state or not state.get("result"):
        return None
    result = state["result"]
    return {r["index"]: r["votes"] for r in result["counts"] if r["votes"]}, result["total"]


def test_phones_show_the_projectors_counts_with_the_hands_from_v_on(projector):
    """The trial: 11 phones and 3 hands; V showed 14 on the projector but 11 on the phones until Enter."""
    app, server, fac, vote = projector
    decision = fac.decision.id
    first, second = fac.decision.open_indices[:2]
    phones = Phones(server.url, server.room_code, 5)
    try:
        for n, choice in enumerate([first, first, first, second, second]):
            phones.vote(n, decision, choice)
        wait_for(lambda: fac.tally() == {first: 3, second: 2}, app, what="the phones' votes")
        vote.focus = second
        press(app, pygame.K_3, "3")                     # three hands up for the second option
        assert fac.tally() == {first: 3, second: 5}
        press(app, pygame.K_v, "v")                     # reveal: the projector shows 3 / 5, 8 votes
        assert vote.revealed
        projector_counts = fac.tally()
        for n in range(5):
            wait_for(lambda n=n: shown(phones.seen[n]) == (projector_counts, 8), app,
                     what=f"phone {n} to show the projector's counts")
        # A hand counted late, after V: every phone shows it at once, not only after Enter.
        vote.focus = first
        press(app, pygame.K_EQUALS, "+")
        assert fac.tally() == {first: 4, second: 5}
        for n in range(5):
            wait_for(lambda n=n: shown(phones.seen[n]) == ({first: 4, second: 5}, 9), app,
                     what=f"phone {n} to show the late hand")
        press(app, pygame.K_RETURN)                      # the decision: the same counts, and what was taken
        wait_for(lambda: phones.seen[0]["result"]["chosen"] == second, app, what="the decision")
        assert shown(phones.seen[0]) == ({first: 4, second: 5}, 9)
    finally:
        phones.close()


def test_reset_clears_every_phones_vote_even_after_a_reload(projector, tmp_path):
    """The trial: after R the projector said 0 voted, a phone still showed its vote (and after a reload)."""
    app, server, fac, vote = projector
    browser = headless_chromium(tmp_path / "chromium-profile", (360, 740))
    text = lambda name: browser.find_element("id", name).text  # noqa: E731
    try:
        browser.get(server.url + "#" + server.room_code)
        wait_for(lambda: text("phase") == "Voting is open", app, what="the open vote on the phone")
        button = browser.find_elements("css selector", "button.choice")[fac.decision.open_indices[0]]
        button.click()
        wait_for(lambda: server.votes_cast() == 1 and "Your vote" in button.text, app, what="the phone's vote")
        assert text("mine").startswith("Your vote: ")

        press(app, pygame.K_r, "r")                      # the teacher resets the vote
        assert server.votes_cast() == 0
        wait_for(lambda: "Your vote" not in text("choices"), app, what="the phone to forget its vote")
        assert text("mine") == "The vote started again from zero: your earlier vote no longer counts. Choose again."
        assert all(b.get_attribute("aria-pressed") == "false"
                   for b in browser.find_elements("css selector", "button.choice"))

        browser.refresh()                                 # and after a reload too
        wait_for(lambda: text("phase") == "Voting is open" and text("mine"), app, what="the reloaded page")
        assert text("mine") == "You have not voted yet."
        assert "Your vote" not in text("choices")
        # It votes again, and that vote counts once.
        browser.find_elements("css selector", "button.choice")[fac.decision.open_indices[-1]].click()
        wait_for(lambda: server.votes_cast() == 1, app, what="the new vote")
        assert fac.tally() == {fac.decision.open_indices[-1]: 1}
    finally:
        browser.quit()


def test_the_vote_countdown_stops_while_the_pause_menu_is_open(projector):
    """The trial: T then Esc; 28 s later the vote closed behind a screen that said 'Paused'."""
    app, server, fac, vote = projector
    press(app, pygame.K_t, "t")
    assert vote.countdown == pytest.approx(30.0, abs=0.1)
    press(app, pygame.K_ESCAPE)
    assert app.stack.top.name == "facilitate-pause"
    for _ in range(40 * 4):                               # 40 seconds behind the menu
        app.step([], dt=0.25)
    assert not vote.revealed and server.status == "voting"
    assert vote.countdown == pytest.approx(30.0, abs=0.2)
    press(app, pygame.K_ESCAPE)                           # back to the vote: the countdown goes on from there
    assert app.stack.top is vote
    for _ in range(10 * 4):
        app.step([], dt=0.25)
    assert 19 <= vote.countdown <= 21 and not vote.revealed
