"""What ``--help`` shows is what the program does and what the docs promise.

The real command runs in a subprocess, as a teacher or writer types it. The promises
checked here drifted once: the top-level help did not list ``--lang`` (README promises
Korean by it), ``facilitate --help`` said the younger level veils only the passages of
forced marriage (it veils the means-to-die passage too, :mod:`game.classroom.content`),
and the facilitator's guide named an option that ``--help`` hides.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import REPO, STORY
from game.classroom.content import SENSITIVE_NODES, YOUNGER_NOTE

HANGUL = re.compile(r"[\uac00-\ud7a3]")
GUIDE = REPO / "docs" / "facilitator-guide.md"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", LANG="C.UTF-8",
               LANGUAGE="", LC_ALL="", PYGAME_HIDE_SUPPORT_PROMPT="1", COLUMNS="100")
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=120)


def flat(text: str) -> str:
    """Words as a reader reads them: argparse's line wrapping undone."""
    return " ".join(text.split())


def kinds_veiled() -> set[str]:
    """Each kind of passage the younger level veils, in a few words ("forced marriage")."""
    return {re.split(r"[:,]", topic)[0].strip() for topic in SENSITIVE_NODES.values()}


# --------------------------------------------------------------------------- --lang at the top level
def test_the_top_level_help_lists_lang():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    assert "[--lang LANG]" in result.stdout.splitlines()[0]
    assert "--lang LANG the language to use, such as ko" in flat(result.stdout)


def test_lang_before_a_command_is_that_commands():
    """``escape-route --lang ko check story/``, as the top-level help suggests, checks in Korean."""
    result = run("--lang", "ko", "check", str(STORY))
    assert result.returncode == 0, result.stderr
    assert HANGUL.search(result.stdout) and "errors" not in result.stdout
    top = run("--lang", "ko", "--help")
    assert top.returncode == 0 and top.stdout.startswith("사용법: escape-route [-h] [--version] [--lang LANG] COMMAND")
    assert "사용할 언어, 예: ko" in top.stdout


# --------------------------------------------------------------------------- the younger classes' veil
def test_facilitate_help_names_every_kind_of_passage_the_younger_level_veils():
    out = flat(run("facilitate", "--help").stdout)
    start = out.index("--level {full,younger} content level")
    level = out[start:out.index("--minutes MINUTES", start)]
    assert kinds_veiled() == {"forced marriage", "carrying the means to die rather than be sent back"}
    for kind in kinds_veiled():
        assert kind in level, (kind, level)
        assert kind in YOUNGER_NOTE  # the set-up screen's note for the teacher says the same


def test_the_guides_younger_classes_names_every_kind_of_passage_veiled():
    guide = flat(GUIDE.read_text(encoding="utf-8"))
    bullet = guide[guide.index("**Younger classes** (11–13)"):guide.index("A printable")]
    age_guidance = guide[guide.index("**Younger classes (11–13)**"):guide.index("## Reading the report")]
    for kind in kinds_veiled():
        assert kind in bullet, (kind, bullet)
    for node in SENSITIVE_NODES:
        assert f"node:{node}" in age_guidance, node


# --------------------------------------------------------------------------- the guide names no hidden option
def test_every_option_the_guide_names_is_in_the_help():
    """An option only for tests (``--autotally``) stays out of the guide; one for teachers is in ``--help``."""
    shown = set()
    for command in ("play", "facilitate", "report"):
        shown |= set(re.findall(r"--[a-z][a-z-]*", run(command, "--help").stdout))
    named = set(re.findall(r"--[a-z][a-z-]*", GUIDE.read_text(encoding="utf-8")))
    assert named and not named - shown, sorted(named - shown)
