"""The command line and the class sessions in Korean, as a Korean teacher or writer meets them.

The real command runs in a subprocess: argparse's own words (``usage:``, ``options``, its
usage errors) and the program's help lines are Korean under ``--lang ko`` and English
without it, with argparse's exit status 2. The list of argparse's messages in our catalog
is compared with the argparse of the Python running the tests, so a new Python's new
message is noticed. A damaged session record's problems and the vote session's refusals
are read in Korean.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TINY, write_story
from game import l10n
from game.classroom import session as s
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.cli import argparse_words
from game.errors import Impossible
from game.story.loader import load_story

HANGUL = re.compile(r"[\uac00-\ud7a3]")
GOLDEN = REPO / "tests" / "data" / "session-format-1.jsonl"


def run(*args: str, columns: int = 100) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", LANG="C.UTF-8",
               LANGUAGE="", LC_ALL="", PYGAME_HIDE_SUPPORT_PROMPT="1", COLUMNS=str(columns))
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=120, stdin=subprocess.DEVNULL)


def usage_error(result: subprocess.CompletedProcess[str]) -> tuple[str, str]:
    """The usage line and the error line of a usage error (exit 2, no traceback)."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    return lines[0], lines[-1]


# --------------------------------------------------------------------------- argparse's words, in a subprocess


def test_an_unknown_option_is_refused_in_korean():
    usage, error = usage_error(run("play", "--lang", "ko", "--nonsense"))
    assert usage.startswith("사용법: escape-route")
    assert error == "escape-route play: 오류: 알 수 없는 인수: --nonsense"


def test_a_missing_argument_is_refused_in_korean():
    usage, error = usage_error(run("report", "--lang", "ko"))
    assert usage.startswith("사용법: escape-route report")
    assert error == "escape-route report: 오류: 다음 인수가 필요합니다: sessions"
    _, error = usage_error(run("check", "--lang", "ko", "--translation"))
    assert error == "escape-route check: 오류: 인수 --translation: 값이 하나 필요합니다"


def test_a_wrong_value_is_refused_in_korean_with_the_programs_own_reason():
    _, error = usage_error(run("simulate", "--lang", "ko", "--runs", "0"))
    assert error == ("escape-route simulate: 오류: 인수 --runs: 0은(는) 범위를 벗어납니다. 1에서 1,000,000 사이의 "
                     "정수를 주세요")
    _, error = usage_error(run("simulate", "--lang", "ko", "--policy", "lucky"))
    assert error.startswith("escape-route simulate: 오류: 인수 --policy: 잘못된 선택: 'lucky' ('random', ")
    assert error.endswith(" 중에서 고르세요)")
    _, error = usage_error(run("facilitate", "--lang", "ko", "--luck", "own"))
    assert error == "escape-route facilitate: 오류: --luck은(는) 학급 여정용입니다. --journeys를 더하세요"
    _, error = usage_error(run("facilitate", "--lang", "ko", "--bind", "0.0.0.0"))
    assert error == ("escape-route facilitate: 오류: 인수 --bind: 0.0.0.0은(는) 모든 네트워크를 한꺼번에 뜻합니다. "
                     "주소 하나를 주세요(이 컴퓨터의 LAN 주소, 또는 이 컴퓨터 안에서만 쓰려면 127.0.0.1). 아니면 "
                     "--bind를 빼세요")
    _, error = usage_error(run("facilitate", "--lang", "ko", "--bind", "not a host"))
    assert error == ("escape-route facilitate: 오류: 인수 --bind: 'not a host'은(는) IP 주소(예: 192.168.1.20)도 "
                     "호스트 이름도 아닙니다")


def test_help_has_korean_headings_and_the_computed_limits_in_korean():
    result = run("simulate", "--lang", "ko", "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("사용법: escape-route simulate")
    for heading in ("위치 인수:", "옵션:"):
        assert f"\n{heading}\n" in out
    assert "이 도움말을 보여 주고 끝냄" in out
    flat = " ".join(out.split())  # argparse wraps the help column
    assert "플레이 횟수, 1–1,000,000 (기본 1,000)" in flat
    assert "쓸 프로세스 수, 1–64" in flat
    assert "탐색할 상태 수, 1–5,000,000 (기본 300,000)" in flat
    assert not re.search(r"usage:|options:|positional arguments|show this help|number of playthroughs", out)
    result = run("facilitate", "--lang", "ko", "--help")
    flat = " ".join(result.stdout.split())
    assert "모둠 수: 0(학급 전체, 기본) 또는 2–8" in flat and "토론 타이머 기본값(분), 1–20 (기본 3)" in flat
    assert "창 크기 (기본 1280x720, 320x240부터 7680x4320까지)" in flat
    top = run("--help").stdout  # the top level, in English: no --lang
    assert top.startswith("usage: escape-route") and "show program's version number and exit" in top


@pytest.mark.parametrize("command", ["facilitate", "simulate", "check", "report"])
def test_korean_help_fits_an_80_column_terminal_and_its_usage_lines_align(command):
    """A Hangul syllable takes two columns: the help wraps by what the terminal shows, not by len()."""
    out = run(command, "--lang", "ko", "--help", columns=80).stdout
    assert HANGUL.search(out)
    too_wide = [line for line in out.splitlines() if argparse_words.columns(line) > 78]  # argparse leaves 2
    assert not too_wide, too_wide
    usage = out.split("\n\n")[0].splitlines()
    first = usage[0]
    bracket = argparse_words.columns(first[:first.index("[")])  # where the first option starts on screen
    for line in usage[1:]:
        assert len(line) - len(line.lstrip(" ")) == bracket, usage


def test_english_is_unchanged_without_lang():
    usage, error = usage_error(run("play", "--nonsense"))
    assert usage.startswith("usage: escape-route") and error == "escape-route play: error: unrecognized arguments: --nonsense"
    _, error = usage_error(run("simulate", "--runs", "0"))
    assert error == "escape-route simulate: error: argument --runs: 0 is out of range; give a whole number from 1 to " \
                    "1,000,000"
    out = " ".join(run("simulate", "--help").stdout.split())
    assert "options:" in out and "number of playthroughs, 1 to 1,000,000 (default 1,000)" in out
    assert not HANGUL.search(out)


# --------------------------------------------------------------------------- the catalog keeps up with argparse


def running_argparse_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal message the running Python's argparse passes to _() and ngettext()."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    single: set[str] = set()
    plural: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and len(texts) == 1:
                single.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                plural.add((texts[0], texts[1]))
    return single, plural


def korean_catalog() -> gettext.GNUTranslations:
    return gettext.translation(l10n.DOMAIN, l10n.LOCALE_DIR, languages=["ko"])


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\([a-z_]+\)[rsd]|%[rsd]", text))


def test_every_argparse_message_of_this_python_is_translated_and_keeps_its_placeholders():
    single, plural = running_argparse_messages()
    assert "usage: " in single and "unrecognized arguments: %s" in single  # the scan finds argparse's messages
    catalog = korean_catalog()
    untranslated = [m for m in single if catalog.gettext(m) == m and m != "%(heading)s:"]
    untranslated += [s for s, p in plural if catalog.ngettext(s, p, 2) in (s, p)]
    assert not untranslated, f"argparse messages missing from game/cli/argparse_words.py: {untranslated}"
    for message in single:
        assert placeholders(catalog.gettext(message)) == placeholders(message), message
    for one, many in plural:
        assert placeholders(catalog.ngettext(one, many, 2)) == placeholders(many), one


def test_routing_is_idempotent_and_falls_back_to_argparse_english():
    argparse_words.route()
    argparse_words.route()
    assert argparse._ is argparse_words.words  # type: ignore[attr-defined]
    assert argparse_words.words(None) is None  # Python 3.13 asks for a missing description
    l10n.set_language("ko")
    assert argparse_words.words("usage: ") == "사용법: "
    assert argparse_words.words("a message no catalog has") == "a message no catalog has"
    assert argparse_words.plural_words("expected %s argument", "expected %s arguments", 2) == "값이 %s개 필요합니다"
    l10n.set_language("en")
    assert argparse_words.words("usage: ") == "usage: "
    assert argparse_words.plural_words("expected %s argument", "expected %s arguments", 2) == "expected %s arguments"


# --------------------------------------------------------------------------- the class sessions' refusals


def events_with(change_index: int, **fields: object) -> list[dict]:
    events = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    events[change_index].update(fields)
    return events


def write(path: Path, events: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "english", "korean"), [
    ({"type": "discussion_held", "node": "river", "seconds": "x"},
     "line 3: discussion_held.seconds is not a number; the event was skipped",
     "3번째 줄: discussion_held.seconds 값이 숫자가 아닙니다. 이 사건은 건너뛰었습니다"),
    ({"type": "screen_blanked", "node": "river", "seconds": -4},
     "line 3: screen_blanked.seconds is out of range (0 to 1e+15); the event was skipped",
     "3번째 줄: screen_blanked.seconds 값이 범위를 벗어납니다 (0–1e+15). 이 사건은 건너뛰었습니다"),
    ({"type": "room_opened", "code": "abc", "port": 80},
     "line 3: room_opened.code is not a room code; the event was skipped",
     "3번째 줄: room_opened.code 값이 입장 코드 형식에 맞지 않습니다. 이 사건은 건너뛰었습니다"),
    ({"type": "tally_recorded", "decision": "d1", "counts": {"two": 5}},
     "line 3: tally_recorded.counts has a key 'two' that is not an option number; the event was skipped",
     "3번째 줄: tally_recorded.counts의 키 'two'이(가) 선택지 번호 형식에 맞지 않습니다. 이 사건은 건너뛰었습니다"),
    ({"type": "student_undid"},
     "line 3: student_undid.student is missing; the event was skipped",
     "3번째 줄: student_undid.student 항목이 없습니다. 이 사건은 건너뛰었습니다"),
    ({"v": 9},
     "line 3 was written by a newer version of the game (format 9); it was skipped",
     "3번째 줄: 더 새로운 버전의 게임이 쓴 줄입니다 (형식 9). 건너뛰었습니다"),
])
def test_a_damaged_events_field_is_described_in_the_language_spoken(tmp_path, change, english, korean):
    events = events_with(2, **change)
    path = write(tmp_path / "damaged.jsonl", events)
    assert english in s.read_session(path).problems
    l10n.set_language("ko")
    assert korean in s.read_session(path).problems


def test_an_unusable_first_line_is_said_once_in_korean(tmp_path):
    path = write(tmp_path / "start.jsonl", events_with(0, seed="eight"))
    l10n.set_language("ko")
    record = s.read_session(path)
    assert not record.is_session
    assert record.problems == ["1번째 줄: session_started.seed 값이 정수가 아닙니다. 그래서 start.jsonl은(는) 이 게임이 "
                               "쓸 수 있는 수업 기록이 아닙니다"]


def test_the_vote_sessions_refusals_are_korean(tmp_path):
    story = load_story(write_story(tmp_path / "tiny", TINY))
    fac = Facilitation.start(story, FacilitatorSettings(seed=3), tmp_path / "class.jsonl")
    try:
        l10n.set_language("ko")
        with pytest.raises(Impossible, match="^열린 투표가 없습니다$"):
            fac.close_vote(0, "vote")
        fac.open_vote()
        with pytest.raises(Impossible, match="^그 선택지는 학급에 열려 있지 않습니다$"):
            fac.close_vote(99, "vote")
    finally:
        fac.close()


def test_the_report_command_says_in_korean_what_it_wrote_and_what_was_damaged(tmp_path):
    events = events_with(2, type="discussion_held", node="river", seconds="x")
    record = write(tmp_path / "9B.jsonl", events)
    (tmp_path / "folder").mkdir()
    output = tmp_path / "report.html"
    result = run("report", str(record), str(tmp_path / "folder"), "-o", str(output), "--lang", "ko")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{output}: 수업 1개; 파일 1개 건너뜀"
    said = result.stderr.splitlines()
    assert "escape-route report: folder: 건너뜀: 폴더입니다. 그 안의 .jsonl 파일을 지정하세요" in said
    assert ("escape-route report: 9B.jsonl: 3번째 줄: discussion_held.seconds 값이 숫자가 아닙니다. 이 사건은 "
            "건너뛰었습니다") in said
    assert '<html lang="ko">' in output.read_text(encoding="utf-8")


@pytest.mark.parametrize("words", [["--lang", "ko", "check", "story"], ["--lang=ko", "check", "story"],
                                   ["check", "story", "--lang", "ko"]])
def test_lang_may_come_before_the_command(words):
    """`escape-route --lang ko check story` is what a Korean teacher types first: it is `check --lang ko`."""
    result = run(*words)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("story: 오류 0개, 경고 0개"), result.stdout


def test_lang_before_help_and_version_and_the_game():
    helped = run("--lang", "ko", "--help")
    assert helped.returncode == 0 and helped.stdout.startswith("사용법: escape-route") and "facilitate" in helped.stdout
    assert run("--lang", "ko", "--version").stdout.startswith("escape-route ")
    played = run("--lang", "ko", "play", "--story", "story", "--text", "--seed", "1")  # stdin is empty: it ends
    assert "두 번 주어졌습니다" not in played.stderr and played.stdout.startswith("3,500마일"), played.stderr


def test_a_usage_error_is_a_short_usage_and_one_line_of_what_is_wrong():
    """`facilitate --group 2` printed eight lines of usage above the one that mattered (teacher trial)."""
    english = run("facilitate", "--group", "2")
    assert english.returncode == 2
    assert english.stderr.splitlines() == [
        "usage: escape-route facilitate [options] [STORY]",
        "escape-route facilitate: error: --group 2 needs --groups: without it the session is the whole class, "
        "which has no groups (give --groups 2 to 8, or leave out --group)"]
    korean = run("--lang", "ko", "facilitate", "--group", "2").stderr.splitlines()
    assert len(korean) == 2 and korean[0] == "사용법: escape-route facilitate [옵션] [STORY]"
    assert korean[1].startswith("escape-route facilitate: 오류: --group 2")
