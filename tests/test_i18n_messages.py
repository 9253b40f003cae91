"""The program's words to writers and players outside the window, in Korean with --lang ko.

The checker's messages come from its catalogue (game/story/diagnostics.py), which Babel
reads with the project's own extractor; a Korean writer gets the same file:line:col and
codes as an English one, with the words around them in Korean. A damaged save is
explained in Korean too.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from conftest import REPO
from game.l10n import ngettext, set_language
from game.story.diagnostics import BASE_STORY, CATALOGUE, translate
from game.story.diagnostics_extract import entries, translatable

HANGUL = re.compile(r"[\uac00-\ud7a3]")
POT = REPO / "game" / "locale" / "escape-route.pot"
#: file:line:col: severity: CODE (what must not change with the language)
WHERE = re.compile(r"^(\S+:\d+:\d+: (?:error|warning): ER\d{3}) (.*)$")


def run(*args: str, data_dir, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"ESCAPE_ROUTE_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "LANGUAGE": "en"}
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=REPO, input=stdin, capture_output=True,
                          text=True, timeout=120, env=env)


def test_the_extractor_finds_every_entry_and_the_template_has_each():
    found = {code: fields for _line, code, fields in entries((REPO / "game/story/diagnostics.py").read_text())}
    assert set(found) == set(CATALOGUE)
    with POT.open("rb") as handle:
        # a plural message's id is (singular, plural): an entry with a plural form is one of those
        ids = {text for m in read_po(handle) for text in ((m.id,) if isinstance(m.id, str) else m.id)}
    for entry in CATALOGUE.values():
        for text in (entry.title, entry.template, entry.hint, entry.plural):
            if translatable(text):
                assert text in ids, f"{entry.code}: {text!r} is not in the template; run tools/i18n_interface.py"


def test_every_catalogue_message_has_korean():
    set_language("ko")
    try:
        for entry in CATALOGUE.values():
            for text in (entry.title, entry.template, entry.hint):
                if translatable(text):
                    assert HANGUL.search(translate(text)), f"{entry.code}: {text!r} has no Korean"
            if entry.plural:
                assert HANGUL.search(ngettext(entry.template, entry.plural, 2)), f"{entry.code}: no Korean plural"
    finally:
        set_language("en")


@pytest.fixture
def broken_story(tmp_path):
    """The catalogue's base story with a misspelt goto and an undeclared name."""
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_text(BASE_STORY["story.yaml"])
    (folder / "01_a.yaml").write_text(BASE_STORY["01_a.yaml"].replace("goto: b", "goto: bb").replace(
        "      - text: Go on\n", "      - text: Go on\n        if: cahs > 5\n"))
    return folder


def test_check_in_korean_keeps_every_place_and_code(broken_story, tmp_path):
    english = run("check", str(broken_story), data_dir=tmp_path)
    korean = run("check", str(broken_story), "--lang", "ko", data_dir=tmp_path)
    assert english.returncode == korean.returncode == 1
    en = [WHERE.match(line) for line in english.stdout.splitlines() if WHERE.match(line)]
    ko = [WHERE.match(line) for line in korean.stdout.splitlines() if WHERE.match(line)]
    assert [m.group(1) for m in ko] == [m.group(1) for m in en]
    where = {m.group(1).split(": ")[-1]: (m.group(1), m.group(2)) for m in ko}
    assert where["ER020"] == (f"{broken_story}/01_a.yaml:7:15: error: ER020", "'goto'이(가) 가리키는 'bb'은(는) 노드가 아닙니다")
    assert where["ER030"] == (f"{broken_story}/01_a.yaml:6:13: error: ER030", "'cahs'은(는) 선언되지 않았습니다")
    assert "    도움말: 'b'을(를) 뜻했나요?" in korean.stdout
    assert "    도움말: 'cash'을(를) 뜻했나요?" in korean.stdout
    assert korean.stdout.splitlines()[-1].startswith(f"{broken_story}: 오류 2개, 경고 2개 (파일 2개에 노드 2개,")
    assert "hint:" not in korean.stdout and "Did you mean" not in korean.stdout
    assert english.stdout.splitlines()[-1].startswith(f"{broken_story}: 2 errors, 2 warnings (2 nodes,")


def test_check_json_in_korean_keeps_codes_and_positions(broken_story, tmp_path):
    import json

    english = json.loads(run("check", str(broken_story), "--json", data_dir=tmp_path).stdout)
    korean = json.loads(run("check", str(broken_story), "--json", "--lang", "ko", data_dir=tmp_path).stdout)
    keys = ("file", "line", "column", "severity", "code")
    assert [[d[k] for k in keys] for d in korean["errors"]] == [[d[k] for k in keys] for d in english["errors"]]
    assert all(HANGUL.search(d["message"]) for d in korean["errors"])


def test_list_codes_in_korean(tmp_path):
    result = run("check", "--list-codes", "--lang", "ko", data_dir=tmp_path)
    assert result.returncode == 0
    assert "ER020 error   없는 목적지" in result.stdout
    assert "    도움말: 노드 id의 철자를 고치거나(검사기가 가장 가까운 id를 알려 줍니다) 그 id로 노드를 더하세요." in result.stdout
    assert "    예: 01_a.yaml 6번째 줄: goto: bb" in result.stdout


def test_a_damaged_save_is_explained_in_korean_and_kept(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "autosave.json").write_text('{"format": "escape-route-save", "save_ver')
    result = run("play", "--text", "--continue", "--lang", "ko", "--seed", "1", data_dir=tmp_path, stdin="q\n")
    kept = list((saves / "unreadable").glob("autosave.unreadable-*.json"))
    assert len(kept) == 1
    notice = next(line for line in result.stdout.splitlines() if line.startswith("autosave.json"))
    assert notice.startswith("autosave.json: 손상되었습니다(1번째 줄 ") and "파일이 중간에 잘렸습니다" in notice, notice
    assert "새 여정을 시작하거나 다른 저장 파일을 불러오세요. 파일은 " in notice
    assert f"{kept[0]}(으)로 옮겨 보관했습니다. 새 여정이 덮어쓰지 않습니다." in notice


def test_a_missing_node_to_start_at_is_refused_in_korean(tmp_path):
    result = run("play", "--text", "--lang", "ko", "--start", "hyesan_nigth", data_dir=tmp_path)
    assert result.returncode == 1
    assert "--start: 'hyesan_nigth' 노드가 없습니다." in result.stderr
