"""The LAN pages in the program's language (issue 20): what the server renders, what Babel extracts, real Chromium.

- Every marked element of every page and every ``t``/``tn`` of every script is in the
  catalog, and has a Korean translation; what the server's reader finds in a script is
  exactly what Babel's javascript extractor finds (so ``--check`` catches a new string).
- A server whose program speaks Korean serves ``<html lang="ko">`` with its words in
  Korean and the scripts' words in a JSON block that is never run; its headers (the CSP)
  are the English server's; a page is rendered once per language.
- In headless Chromium: a student joins the class-journeys page of a Korean server and
  plays to an ending (headings, buttons, passages, risks, map and ending in Hangul), with
  no console error, axe-core clean, nothing wider than a 360-px phone; the vote page the
  same. Screenshots: journey-{360,1366}-{join,choice-risk,map,ending}-ko.png and vote-360-ko.png
  (copied to docs/screenshots with ESCAPE_ROUTE_SCREENSHOTS=1).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import urllib.request
from functools import cache

import pytest

pytest.importorskip("aiohttp")
pytest.importorskip("segno")

from test_journeys_browser import CODE, audit, axe_source, chrome, shot  # noqa: E402
from test_journeys_lan import headless  # noqa: E402
from test_lan_browser import wait_for  # noqa: E402

from conftest import REPO, STORY  # noqa: E402
from game import l10n  # noqa: E402
from game.classroom.journeys import ClassJourneys, JourneySettings, device_key, journey_map  # noqa: E402
from game.engine.engine import Engine  # noqa: E402
from game.engine.policies import careful_policy  # noqa: E402
from game.engine.rng import Pcg32  # noqa: E402
from game.lan import pages  # noqa: E402
from game.lan.journeys import JourneyServer  # noqa: E402
from game.lan.server import VoteServer  # noqa: E402
from game.story.loader import load_story  # noqa: E402

STATIC = REPO / "game" / "lan" / "static"
KO_PO = REPO / "game" / "locale" / "ko" / "LC_MESSAGES" / "escape-route.po"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")


def hangul_share(text: str) -> float:
    """Hangul syllables among the letters (Hangul and Latin) of ``text``."""
    ko, latin = len(HANGUL.findall(text)), len(LATIN.findall(text))
    return ko / max(1, ko + latin)


@cache
def korean_catalog() -> dict[str, object]:
    from babel.messages.pofile import read_po

    with KO_PO.open("rb") as handle:
        return {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(handle) if m.id}


def page_messages() -> list[tuple[str, str]]:
    """(file, message) for every translatable word of the LAN pages."""
    found = []
    for html in sorted(STATIC.glob("*.html")):
        found += [(html.name, item.message) for item in pages.marked(html.read_text(encoding="utf-8"))]
    for script in sorted(STATIC.glob("*.js")):
        found += [(script.name, one) for one, _two in pages.script_messages(script.read_text(encoding="utf-8"))]
    return found


# ---------------------------------------------------------------------------------------- extraction
def test_the_servers_reader_finds_exactly_what_babels_javascript_extractor_finds():
    from babel.messages.extract import extract

    for script in sorted(STATIC.glob("*.js")):
        source = script.read_bytes()
        babel = {m[1] if isinstance(m[1], str) else m[1][0]
                 for m in extract("javascript", io.BytesIO(source), keywords={"t": None, "tn": (1, 2)})}
        ours = {one for one, _ in pages.script_messages(source.decode("utf-8"))}
        assert ours == babel, script.name
    assert len(page_messages()) > 100


def test_every_page_string_is_in_the_catalog_and_translated_into_korean():
    catalog = korean_catalog()
    for where, message in page_messages():
        assert message in catalog, f"{where}: {message!r} is not in the catalog (run tools/i18n_interface.py)"
        said = catalog[message]
        said = said if isinstance(said, str) else "".join(said)
        assert said and (HANGUL.search(said) or not LATIN.search(message)), \
            f"{where}: {message!r} has no Korean translation"


def test_a_marked_element_must_hold_plain_text():
    with pytest.raises(ValueError, match="line 3: an element marked data-i18n must hold plain text"):
        pages.marked('<html lang="en">\n<p data-i18n>ok</p>\n<p class="x" data-i18n>Press <b>Start</b></p>\n')
    with pytest.raises(ValueError, match="line 1: .* has no text"):
        pages.marked("<h1 data-i18n> </h1>")
    assert [m.message for m in pages.marked("<p data-i18n>Tom &amp; Jerry\n   say\thi</p>")] == ["Tom & Jerry say hi"]


def test_the_extractor_is_registered_in_babel_cfg_and_check_catches_a_new_page_string(tmp_path, monkeypatch):
    """A new marked element: the template is out of date until tools/i18n_interface.py runs."""
    import runpy

    tool = type("Tool", (), runpy.run_path(str(REPO / "tools" / "i18n_interface.py")))

    cfg = (REPO / "babel.cfg").read_text(encoding="utf-8")
    assert "game.lan.pages:extract_html" in cfg and "keywords = t tn:1,2" in cfg
    fresh = tmp_path / "fresh.pot"
    tool.extract(fresh)
    extracted = {msg for _ctx, msg in tool.messages(fresh)}
    assert {message for _where, message in page_messages()} <= extracted
    assert "The room code has four digits." in extracted and "Eyes on the board" in extracted
    assert tool.messages(fresh) == tool.messages(tool.POT)   # the shipped template is up to date


# ---------------------------------------------------------------------------------------- rendering
def test_a_korean_page_says_its_language_translates_its_words_and_hides_nothing_executable():
    source = (STATIC / "journey.html").read_text(encoding="utf-8")
    read = lambda name: (STATIC / name).read_text(encoding="utf-8")  # noqa: E731
    english = pages.render(source, read)
    assert '<html lang="en">' in english and '"messages":{}' in english
    l10n.set_language("ko")
    korean = pages.render(source, read)
    assert '<html lang="ko">' in korean
    assert "<h2 id=\"choices-heading\" data-i18n>그녀는 어떻게 할까요?</h2>" in korean
    assert "What will she do?" not in korean and "Room code" not in korean
    block = re.search(r'<script type="application/json" id="strings">(.*?)</script>', korean).group(1)
    data = json.loads(block)
    assert data["lang"] == "ko"
    assert data["messages"]["That is not the room code. Check the four digits on the projector."].startswith("입장 코드")
    # Korean has one plural form: a plain string, where English would pick by number.
    assert data["messages"]["Too many wrong codes. Wait {n} second, then try again."] == \
        "틀린 코드가 너무 많습니다. {n}초 기다린 뒤 다시 해 보세요."
    # The only scripts are the page's own files, before which the data block sits.
    assert re.findall(r"<script[^>]*>", korean) == ['<script type="application/json" id="strings">',
                                                    '<script src="/l10n.js" defer>', '<script src="/journey.js" defer>']


def data_of(block: str) -> dict:
    inner = block.removeprefix('<script type="application/json" id="strings">').removesuffix("</script>")
    return json.loads(inner)


def test_a_translation_cannot_end_the_data_block(monkeypatch):
    monkeypatch.setattr(pages, "_", lambda message: "</script><script>alert(1)</script> & <!--")
    block = pages.strings_block([("Connected", None)])
    assert block.count("</script>") == 1 and "<!--" not in block
    assert data_of(block)["messages"]["Connected"] == "</script><script>alert(1)</script> & <!--"


def test_a_plural_follows_the_catalogs_own_rule(monkeypatch):
    """A language with two forms gets them with the form for each number (the script cannot run gettext's rule)."""
    monkeypatch.setattr(pages, "ngettext", lambda one, many, n: f"[{n % 10 == 1 and n % 100 != 11}]")
    value = data_of(pages.strings_block([("{n} vote", "{n} votes")]))["messages"]["{n} vote"]
    forms, index = value
    assert forms == ["[False]", "[True]"] and len(index) == pages.PLURAL_SPAN
    assert forms[index[21]] == "[True]" and forms[index[11]] == "[False]" and forms[index[111]] == "[False]"


def fetch(url: str) -> tuple[str, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8"), dict(response.headers)


@cache
def story(lang: str | None = None):
    return load_story(STORY, lang=lang)


def journeys_server(tmp_path, lang: str | None = None, **settings):
    where = journey_map(story(lang))
    journeys, writer = ClassJourneys.create(Engine(story(lang)),
                                            JourneySettings(**{"luck": "same", "allow_undo": False, "seed": 1,
                                                               **settings}),
                                            tmp_path / "class.jsonl", places=where.places,
                                            route_points=where.route_points)
    server = JourneyServer(journeys, bind="127.0.0.1", room_code=CODE, journey_map=where, message_burst=1000)
    server.start()
    return server, writer


def test_the_server_serves_each_page_in_the_language_spoken_with_the_same_headers(tmp_path):
    server, writer = journeys_server(tmp_path)
    try:
        english, english_headers = fetch(server.url)
        l10n.set_language("ko")
        korean, korean_headers = fetch(server.url)
        teacher, _ = fetch(server.url + "teacher")
        assert '<html lang="ko">' in korean and "입장 코드" in korean and "Room code" not in korean
        assert '<html lang="ko">' in teacher and "교사 코드" in teacher
        for name in ("Content-Security-Policy", "X-Frame-Options", "Cache-Control", "X-Content-Type-Options",
                     "Referrer-Policy"):
            assert korean_headers[name] == english_headers[name], name
        assert "script-src 'self';" in korean_headers["Content-Security-Policy"]
        assert fetch(server.url)[0] == korean              # rendered once, served again from the cache
        assert set(server._pages) == {("/", "en"), ("/", "ko"), ("/teacher", "ko")}
        l10n.set_language("en")
        assert fetch(server.url)[0] == english
        script, headers = fetch(server.url + "l10n.js")
        assert "function t(" in script and headers["Content-Type"].startswith("text/javascript")
    finally:
        server.stop()
        writer.close()


def test_the_headless_server_takes_lang(tmp_path):
    proc, info = headless(tmp_path / "class.jsonl", "--code", CODE, "--lang", "ko")
    try:
        body, _ = fetch(info["url"])
        assert '<html lang="ko">' in body and "나만의 여정" in body
    finally:
        proc.stdin.close()
        proc.wait(10)
    bad = subprocess.run([sys.executable, "-m", "game.lan.headless", "--session", str(tmp_path / "x.jsonl"),
                          "--lang", "xx"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "invalid choice: 'xx'" in bad.stderr


# ---------------------------------------------------------------------------------------- Chromium
def no_console_errors(browser) -> None:
    # Chromium asks every site for /favicon.ico on its own; the pages have no icon (the CSP allows no image
    # but the map), so that 404 is not the page's.
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]]
    assert severe == [], severe


def words_of(browser, selector: str) -> str:
    """The text shown in ``selector`` without the facts' sources (their titles and addresses are as published)."""
    return browser.execute_script(
        "const copy = document.querySelector(arguments[0]).cloneNode(true);"
        "copy.querySelectorAll('.cite, .source, [hidden]').forEach(e => e.remove());"
        "return copy.textContent;", selector)


def overflowing(browser, width: int) -> list[str]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('body *')).filter(e => e.getClientRects().length &&"
        f" e.getBoundingClientRect().right > {width} + 1).map(e => e.tagName + '#' + e.id + '.' + e.className)"
        ".slice(0, 8);")


@pytest.mark.parametrize("size", [(360, 740), (1366, 768)], ids=["phone", "chromebook"])
def test_a_student_plays_a_whole_journey_in_korean(tmp_path, size):
    l10n.set_language("ko")
    server, writer = journeys_server(tmp_path, "ko", seed=2)  # the careful player reaches Seoul from seed 2
    browser = chrome(tmp_path, size)
    source = axe_source()
    by_id = lambda name: browser.find_element("id", name)  # noqa: E731
    tag = f"journey-{size[0]}"
    rng = Pcg32.seeded(1)
    try:
        browser.get(server.url)
        wait_for(lambda: by_id("join").is_displayed() and by_id("connection").text == "연결됨", what="the join form")
        assert browser.execute_script("return document.documentElement.lang") == "ko"
        assert browser.find_element("css selector", "label[for=code]").text == "입장 코드"
        assert by_id("join-button").text == "시작" and by_id("join-heading").text == "나만의 여정"
        assert browser.title == "3,500 Miles · 나의 여정"
        if source:
            audit(browser, source, "the Korean join form")
        by_id("code").send_keys("0000\n")
        wait_for(lambda: by_id("join-error").text.startswith("입장 코드가 아닙니다"), what="the Korean error")
        shot(browser, tmp_path, f"{tag}-join-ko")
        by_id("code").clear()
        by_id("code").send_keys(CODE + "\n")
        # The story's content note in Korean, with the Korean edition's helplines, before her first page.
        wait_for(lambda: by_id("note").is_displayed() and by_id("note-text").text, what="the Korean content note")
        assert by_id("note-heading").text == "시작하기 전에" and "청소년상담 1388" in by_id("note-text").text
        if source:
            audit(browser, source, "the Korean content note")
        by_id("note-go").click()
        wait_for(lambda: by_id("play").is_displayed() and by_id("title").text, what="the first passage")
        assert by_id("choices-heading").text == "그녀는 어떻게 할까요?"
        assert by_id("status-heading").text == "그녀가 가진 것"
        assert by_id("where").text.startswith("1장: ")
        passage = by_id("passage").text
        assert hangul_share(passage) > 0.9, passage[:300]
        if source:
            audit(browser, source, "a Korean passage")
        token = browser.execute_script("return JSON.parse(localStorage.getItem('escape-route-journey')).token")
        risk_shot = False
        for _ in range(200):
            page = server.journeys.page(token)
            if page["ending"]:
                break
            assert browser.execute_script("return document.documentElement.scrollWidth") <= size[0], \
                overflowing(browser, size[0])
            risks = [e.text for e in browser.find_elements("css selector", "#choices .risk")]
            assert risks == [c["risk"] for c in page["choices"] if c["risk"]]
            if risks and not risk_shot:
                assert all(r.startswith("위험 ") for r in risks), risks
                browser.execute_script("document.querySelector('#choices .risk').closest('li').scrollIntoView("
                                       "{block: 'center'})")
                shot(browser, tmp_path, f"{tag}-choice-risk-ko")
                risk_shot = True
            state = server.journeys.students[device_key(token)].state
            index = careful_policy([c for c in server.journeys.engine.view(state).choices if c.available],
                                   state.vars, rng)
            step = page["step"]
            browser.execute_script(f"document.querySelector('#choices button[data-index=\"{index}\"]').click()")
            wait_for(lambda s=step: server.journeys.page(token)["step"] == s + 1, what="the choice to be taken")
            wait_for(lambda: by_id("title").text == server.journeys.page(token)["title"], what="the next passage")
        assert server.journeys.page(token)["ending"], "no ending in 200 choices"
        wait_for(lambda: by_id("ending").is_displayed(), what="the ending")
        assert risk_shot
        ending = words_of(browser, "#ending")
        assert by_id("ending-kind").text.startswith("끝 · ")
        assert "자살예방 상담전화 109" in by_id("helplines-text").text and "Childline" not in ending
        assert "실제로 그 뒤에 일어난 일" in ending and hangul_share(ending) > 0.75, ending[:400]
        # The Korean sources of the facts, as the page draws them, under each main source.
        drawn = [e.text for e in browser.find_elements("css selector", "#facts .cite.also, #since .cite.also")]
        said = [f["also"]["cite"] for f in server.journeys.page(token)["ending"]["facts"] if f["also"]]
        assert drawn == said and "한국어 출처: 뉴데일리, 2024; 동아일보 (뉴시스), 2022" in drawn, drawn
        addresses = [e.text for e in browser.find_elements("css selector", "#facts .source, #since .source")]
        assert "https://www.newdaily.co.kr/site/data/html/2024/04/30/2024043000327.html" in addresses
        browser.execute_script("document.getElementById('ending').scrollIntoView()")
        shot(browser, tmp_path, f"{tag}-ending-ko")
        browser.execute_script("document.getElementById('map-section').scrollIntoView()")
        wait_for(lambda: browser.execute_script(
            "const i = document.querySelector('#map image'); return i && i.getBBox().width > 0"), what="the map")
        assert by_id("map-heading").text == "지금까지의 경로"
        assert by_id("map-caption").text.startswith("그녀는 지금 서울에 있습니다")   # the place names too
        shot(browser, tmp_path, f"{tag}-map-ko")
        everything = words_of(browser, "body")
        assert hangul_share(everything) > 0.85, "the page is not mostly Korean"
        assert browser.execute_script("return document.documentElement.scrollWidth") <= size[0], \
            overflowing(browser, size[0])
        if source:
            audit(browser, source, "the Korean ending")
        server.journeys.pause(True)
        wait_for(lambda: by_id("paused").is_displayed(), what="the pause")
        assert by_id("paused-heading").text == "앞 화면을 봐 주세요"
        no_console_errors(browser)
    finally:
        browser.quit()
        server.stop()
        writer.close()


def test_the_vote_page_in_korean(tmp_path):
    l10n.set_language("ko")
    browser = chrome(tmp_path, (360, 740))
    server = VoteServer(bind="127.0.0.1", room_code=CODE)
    server.start()
    source = axe_source()
    by_id = lambda name: browser.find_element("id", name)  # noqa: E731
    try:
        _, headers = fetch(server.url)
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        browser.get(server.url)
        wait_for(lambda: by_id("join").is_displayed(), what="the join form")
        assert browser.execute_script("return document.documentElement.lang") == "ko"
        assert browser.find_element("tag name", "h1").text == "학급 투표"
        assert by_id("join-button").text == "참여"
        by_id("code").send_keys("12\n")
        wait_for(lambda: by_id("join-error").text == "입장 코드는 숫자 네 자리입니다.", what="the Korean check")
        by_id("code").clear()
        by_id("code").send_keys(CODE + "\n")
        wait_for(lambda: by_id("room").is_displayed(), what="the room")
        wait_for(lambda: by_id("title").text == "다음 결정을 기다리는 중", what="waiting, in Korean")
        server.open_decision("d1", "강", [
            {"index": 0, "text": "오늘 밤 강을 건넌다", "cost": "¥150", "risk": "위험 30%: 붙잡힌다", "available": True},
            {"index": 1, "text": "브로커를 기다린다", "cost": "", "risk": "", "available": True}])
        wait_for(lambda: by_id("phase").text == "투표 중", what="voting, in Korean")
        assert by_id("hint").text.startswith("하나를 고르세요")
        if source:
            audit(browser, source, "the Korean vote")
        browser.find_elements("css selector", "#choices button")[1].click()
        wait_for(lambda: by_id("mine").text.startswith("내 표: 2. 브로커를 기다린다"), what="my vote, in Korean")
        assert "비용 없음" in by_id("choices").text
        server.close_decision()
        wait_for(lambda: by_id("result").is_displayed(), what="the result")
        assert by_id("result-heading").text == "반의 투표 결과"
        assert [e.text for e in browser.find_elements("css selector", "#counts .n")] == ["0표", "1표"]
        assert by_id("total").text == "모두 1표 (휴대전화와 손든 표 합계)."
        assert hangul_share(browser.execute_script("return document.body.innerText")) > 0.85
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
        shot(browser, tmp_path, "vote-360-ko")
        if source:
            audit(browser, source, "the Korean result")
        no_console_errors(browser)
    finally:
        browser.quit()
        server.stop()


def test_student_page_weight_stays_small():
    """The first load (HTML in Korean, its scripts and style) stays well under the 200 KB budget."""
    read = lambda name: (STATIC / name).read_text(encoding="utf-8")  # noqa: E731
    l10n.set_language("ko")
    html = pages.render(read("journey.html"), read).encode("utf-8")
    total = len(html) + sum(len((STATIC / n).read_bytes()) for n in ("l10n.js", "journey.js", "journey.css"))
    assert total < 200_000, total
    assert (STATIC / "l10n.js").stat().st_size < 3000
