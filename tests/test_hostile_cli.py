"""Bad input on the command line: one clear line and a clean exit, never a traceback.

Each test runs the real command (``python -m game ...``) in a subprocess and looks at
its exit status and standard error. Out-of-range numbers are usage errors (argparse's
usage line, then one ``error:`` line; status 2). A file or a socket that cannot be used
is one line naming it and saying what to do (status 1). A reader that closes the pipe
early ends the command quietly (status 141, as SIGPIPE does for Unix tools).

Tests run as root, for whom ``chmod`` makes nothing read-only: an unwritable data folder
is a path under a regular FILE (every mkdir there fails with ENOTDIR, whoever you are),
and a read-only output file is simulated in-process by refusing the writes (see there).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

MISSING_STORY = "/nonexistent/story"  # so that today's parser, which accepts the bad number, fails safely


def run(*args: str, data_dir: Path, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=str(REPO),
               ESCAPE_ROUTE_DATA_DIR=str(data_dir), PYGAME_HIDE_SUPPORT_PROMPT="1")
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=REPO, env=env,
                          input=stdin, timeout=timeout)


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def usage_error(result: subprocess.CompletedProcess[str], option: str) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("escape-route ") and ": error: " in last and option in last, result.stderr
    return last


# --------------------------------------------------------------------------- refused while parsing (exit 2)
@pytest.mark.parametrize(("args", "option", "says"), [
    (["simulate", MISSING_STORY, "--runs", "-1"], "--runs", "from 1 to 1,000,000"),
    (["simulate", MISSING_STORY, "--runs", "1000000000000"], "--runs", "out of range"),
    (["simulate", MISSING_STORY, "--runs", "lots"], "--runs", "not a whole number"),
    (["simulate", MISSING_STORY, "--workers", "0"], "--workers", "from 1 to 64"),
    (["simulate", MISSING_STORY, "--workers", "100000"], "--workers", "from 1 to 64"),
    (["simulate", MISSING_STORY, "--exhaustive", "--state-limit", "10000000000000"], "--state-limit", "5,000,000"),
    (["facilitate", "--story", MISSING_STORY, "--size", "100000x100000"], "--size", "from 320x240 to 7680x4320"),
    (["facilitate", "--story", MISSING_STORY, "--size", "10x10"], "--size", "out of range"),
    (["facilitate", "--story", MISSING_STORY, "--size", "wide"], "--size", "WIDTHxHEIGHT"),
    (["facilitate", "--story", MISSING_STORY, "--lan", "--port", "99999"], "--port", "from 0 to 65,535"),
    (["facilitate", "--story", MISSING_STORY, "--lan", "--port", "-5"], "--port", "from 0 to 65,535"),
    (["facilitate", "--story", MISSING_STORY, "--groups", "50"], "--groups", "from 0 to 8"),
    (["facilitate", "--story", MISSING_STORY, "--groups", "-2"], "--groups", "from 0 to 8"),
    (["facilitate", "--story", MISSING_STORY, "--group", "0"], "--group", "from 1 to 8"),
    (["facilitate", "--story", MISSING_STORY, "--groups", "3", "--group", "5"], "--group 5", "only 3 groups"),
    (["facilitate", "--story", MISSING_STORY, "--group", "2"], "--group 2", "needs --groups"),
    (["facilitate", "--story", MISSING_STORY, "--groups", "0", "--group", "1"], "--group 1", "needs --groups"),
    (["facilitate", "--story", MISSING_STORY, "--minutes", "0"], "--minutes", "from 1 to 20"),
    (["facilitate", "--story", MISSING_STORY, "--minutes", "99999999"], "--minutes", "from 1 to 20"),
    (["facilitate", "--story", MISSING_STORY, "--lan", "--bind", "999.1.1.1"], "--bind", "neither an IP address"),
    (["facilitate", "--story", MISSING_STORY, "--lan", "--bind", "0.0.0.0"], "--bind", "every network"),
])
def test_out_of_range_arguments_are_usage_errors(private_data_dir, args, option, says):
    result = run(*args, data_dir=private_data_dir)
    assert says in usage_error(result, option)


# --------------------------------------------------------------------------- graph -o (exit 1, one line)
@pytest.mark.parametrize(("where", "says"), [
    ("folder", "It is a folder: give the name of a file"),
    ("missing", "does not exist: create it, or choose another"),
    ("under-a-file", "A part of the path is a file, not a folder"),
])
def test_graph_output_that_cannot_be_written_is_one_line(tmp_path, private_data_dir, where, says):
    (tmp_path / "plain").write_text("x")
    target = {"folder": tmp_path, "missing": tmp_path / "no" / "such" / "map.dot",
              "under-a-file": tmp_path / "plain" / "map.dot"}[where]
    result = run("graph", "-o", str(target), data_dir=private_data_dir)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith(f"escape-route: {target}: cannot write the graph there") and says in line


def test_graph_output_onto_a_read_only_file_is_one_line_and_keeps_the_file(tmp_path, capsys, monkeypatch):
    """As root nothing is read-only, so the refusals a normal user meets are simulated: the folder refuses
    a new file (EACCES) and the file refuses to be opened for writing (EACCES)."""
    import builtins

    from game.cli.main import main
    from game.writer import graph

    target = tmp_path / "map.dot"
    target.write_text("the old graph")
    real_os_open, real_open = os.open, builtins.open

    def refuse_new(path, flags, *rest):  # noqa: ANN001, ANN002
        if Path(path).parent == tmp_path and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_os_open(path, flags, *rest)

    def refuse_write(file, mode="r", *rest, **kw):  # noqa: ANN001, ANN002, ANN003
        if Path(str(file)) == target and "w" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, mode, *rest, **kw)

    monkeypatch.setattr(graph.os, "open", refuse_new)
    monkeypatch.setattr(builtins, "open", refuse_write)
    assert main(["graph", "-o", str(target)]) == 1
    monkeypatch.undo()
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"escape-route: {target}: cannot write the graph there (Permission denied)")
    assert "change its permissions" in line
    assert target.read_text() == "the old graph"


def test_graph_output_is_replaced_whole_and_a_device_is_written_in_place(tmp_path, private_data_dir):
    target = tmp_path / "map.dot"
    target.write_text("the old graph")
    result = run("graph", "-o", str(target), data_dir=private_data_dir)
    assert result.returncode == 0 and target.read_text().startswith("digraph")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.dot"]  # no temporary file left
    result = run("graph", "-o", os.devnull, data_dir=private_data_dir)
    assert result.returncode == 0 and Path(os.devnull).is_char_device()


def test_report_into_a_folder_names_the_folder_not_a_temporary_file(tmp_path, private_data_dir):
    record = tmp_path / "class.jsonl"
    made = run("facilitate", "--autotally", "random", "--autotally-pace", "0", "--quit-at-end", "--session-file",
               str(record), data_dir=private_data_dir)
    assert made.returncode == 0 and record.is_file(), made.stderr
    out = tmp_path / "out"
    out.mkdir()
    result = run("report", str(record), "-o", str(out), data_dir=private_data_dir)
    assert result.returncode == 1
    assert one_line(result.stderr) == (f"escape-route report: could not write the report: {out}: Is a directory. "
                                       "It is a folder: give the name of a file.")


# --------------------------------------------------------------------------- facilitate
def test_facilitate_with_an_unwritable_data_folder_says_so_in_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("facilitate", "--autotally", "random", "--autotally-pace", "0", "--quit-at-end",
                 data_dir=blocker / "data")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith("escape-route facilitate: cannot record the session: ")
    assert str(blocker / "data") in line and "ESCAPE_ROUTE_DATA_DIR" in line and "not a folder" in line


def test_facilitate_bind_localhost_is_resolved_and_works(private_data_dir):
    result = run("facilitate", "--lan", "--bind", "localhost", "--autotally", "random", "--autotally-pace", "0",
                 "--quit-at-end", data_dir=private_data_dir)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "class voting: http://127.0.0.1:" in result.stdout and "THE END" in result.stdout


def test_facilitate_on_an_address_of_another_machine_says_so_and_the_lesson_goes_on(private_data_dir):
    result = run("facilitate", "--lan", "--bind", "192.0.2.1", "--autotally", "random", "--autotally-pace", "0",
                 "--quit-at-end", data_dir=private_data_dir)  # 192.0.2.0/24 is reserved for documentation
    assert result.returncode == 0
    line = one_line(result.stderr)
    assert line.startswith("escape-route facilitate: voting from phones could not start on 192.0.2.1:0")
    assert "not an address of this machine" in line and "keyboard tally still works" in line
    assert "THE END" in result.stdout


def test_facilitate_on_a_port_in_use_says_so_and_the_lesson_goes_on(private_data_dir):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("facilitate", "--lan", "--bind", "127.0.0.1", "--port", str(port), "--autotally", "random",
                     "--autotally-pace", "0", "--quit-at-end", data_dir=private_data_dir)
    assert result.returncode == 0
    line = one_line(result.stderr)
    assert f"could not start on 127.0.0.1:{port}" in line and "Another program uses that port" in line


# --------------------------------------------------------------------------- notes FILE (exit 1, one line)
@pytest.mark.parametrize(("where", "says"), [
    ("folder", "is a folder, not a notes file. Give the path of a real notes file."),
    ("missing", "there is no notes file here. Check the name and the folder."),
])
def test_a_notes_file_that_cannot_be_read_is_one_line_and_status_1(tmp_path, private_data_dir, where, says):
    target = {"folder": tmp_path, "missing": tmp_path / "notse.jsonl"}[where]
    for extra in ([], ["--json"]):
        result = run("notes", str(target), *extra, data_dir=private_data_dir)
        assert result.returncode == 1, result
        assert one_line(result.stderr) == f"escape-route: {target}: {says}"
        assert result.stdout == ""  # not "No playtest notes yet": that is not the problem


def test_no_notes_yet_is_said_and_is_not_a_problem(private_data_dir):
    result = run("notes", data_dir=private_data_dir)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("No playtest notes yet.")


# --------------------------------------------------------------------------- pipes, Ctrl-C
def test_play_text_into_a_reader_that_stops_early_ends_quietly_with_141(private_data_dir):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", PYTHONPATH=str(REPO), ESCAPE_ROUTE_DATA_DIR=str(private_data_dir))
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "--text", "--seed", "1"], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"3,500 MILES"  # `| head -1`
        proc.stdout.close()
        for _ in range(50):  # the player goes on typing
            try:
                proc.stdin.write(b"1\n")
                proc.stdin.flush()
            except BrokenPipeError:
                break
            time.sleep(0.01)
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        proc.wait(timeout=60)
        stderr = proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 141, stderr
    assert stderr == ""


def test_ctrl_c_ends_with_130_and_no_traceback(tmp_path, private_data_dir):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", PYTHONPATH=str(REPO), ESCAPE_ROUTE_DATA_DIR=str(private_data_dir))
    proc = subprocess.Popen([sys.executable, "-m", "game", "simulate", "--runs", "1000000"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(3)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130 and b"Traceback" not in stderr


def test_ctrl_c_at_the_text_prompt_is_leaving_saved_with_0(private_data_dir):
    """The one exception README names: at ``play --text``'s prompt Ctrl-C is the player leaving, as ``q`` is."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", PYTHONPATH=str(REPO), ESCAPE_ROUTE_DATA_DIR=str(private_data_dir))
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "--text", "--seed", "1"], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        seen = b""
        deadline = time.monotonic() + 60
        while not seen.endswith(b"> ") and time.monotonic() < deadline:  # the prompt: now it waits for the player
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
        assert seen.endswith(b"> "), seen[-300:]
        proc.send_signal(signal.SIGINT)
        out, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0 and b"Traceback" not in stderr, stderr
    assert b"Your journey is saved." in out


# --------------------------------------------------------------------------- D11: a failed save is not "saved"
def test_quitting_after_the_autosave_failed_does_not_say_the_journey_is_saved(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # the data folder cannot be made: every save fails, as on a full disk
    result = run("play", "--text", "--seed", "1", data_dir=blocker / "data", stdin="q\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "Could not autosave" in result.stdout
    assert "Your journey is saved" not in result.stdout
    assert "Your journey could not be saved" in result.stdout


def test_quitting_after_the_autosave_worked_still_says_saved(private_data_dir):
    result = run("play", "--text", "--seed", "1", data_dir=private_data_dir, stdin="q\n")
    assert result.returncode == 0 and "Your journey is saved." in result.stdout


# --------------------------------------------------------------------------- the pieces
def test_resolve_bind_turns_names_into_one_address():
    from game.lan.address import resolve_bind

    assert resolve_bind("localhost") in ("127.0.0.1", "::1")
    assert resolve_bind("auto") == "auto" and resolve_bind(" 10.0.0.7 ") == "10.0.0.7"
    assert resolve_bind("[::1]") == "::1"
    for bad in ("999.1.1.1", "1.2.3", "0.0.0.0", "::", "224.0.0.1", "not a name!", "x" * 300):
        with pytest.raises(ValueError):
            resolve_bind(bad)


def test_the_vote_server_refuses_a_port_out_of_range():
    pytest.importorskip("aiohttp")
    from game.lan.server import VoteServer

    for port in (-1, 65536, 10**12, True):
        with pytest.raises(ValueError, match="0 to 65535"):
            VoteServer(bind="127.0.0.1", port=port)


@pytest.mark.parametrize(("code", "says"), [
    (errno.ENOSPC, "The disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "change its permissions"),
])
def test_describe_os_error_says_what_to_do(tmp_path, code, says):
    from game.cli.main import describe_os_error

    text = describe_os_error(OSError(code, os.strerror(code), str(tmp_path / "x")))
    assert text.startswith(f"{tmp_path / 'x'}: {os.strerror(code)}. ") and says in text and "\n" not in text


def test_play_takes_the_story_folder_as_the_other_commands_do(tmp_path, private_data_dir):
    """`play story/` is `play --story story/` (check, simulate and graph take it that way; a writer tried it);
    both at once must name the same folder, else a usage error that says so."""
    out = run("play", str(REPO / "story"), "--text", data_dir=private_data_dir, stdin="q\n")
    assert out.returncode == 0 and "3,500 MILES" in out.stdout, out.stderr
    both = run("play", str(REPO / "story"), "--story", str(tmp_path), "--text", data_dir=private_data_dir)
    assert both.returncode == 2 and "the story folder is given twice" in both.stderr, both.stderr
    missing = run("play", str(tmp_path / "nowhere"), "--text", data_dir=private_data_dir)
    assert missing.returncode == 1 and "nowhere" in missing.stderr and "Traceback" not in missing.stderr


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_set_says_what_is_wrong_and_what_it_changed_in_the_language_spoken(private_data_dir, lang):
    """A bad --set is one line in the language asked; a value past the story's bounds is held to them and said
    (it used to start at 100 health without a word when given 500)."""
    bad = run("simulate", "story", "--runs", "1", "--set", "cash=abc", "--lang", lang, data_dir=private_data_dir)
    said = one_line(bad.stderr)
    assert bad.returncode == 1
    assert said == ("escape-route: --set cash=abc: 'abc' is not a number" if lang == "en"
                    else "escape-route: --set cash=abc: 'abc'은(는) 수가 아닙니다"), said
    unknown = run("simulate", "story", "--runs", "1", "--set", "phon=true", "--lang", lang, data_dir=private_data_dir)
    assert "phone" in one_line(unknown.stderr) and ("not a declared" in unknown.stderr) == (lang == "en")
    clamped = run("simulate", "story", "--runs", "1", "--json", "--set", "health=500", "--set", "cash=-50",
                  data_dir=private_data_dir)
    assert clamped.returncode == 0, clamped.stderr
    assert clamped.stderr.splitlines() == [
        "escape-route: --set health=500: Health is at most 100; the journey starts at 100",
        "escape-route: --set cash=-50: Cash is at least ¥0; the journey starts at ¥0"]
