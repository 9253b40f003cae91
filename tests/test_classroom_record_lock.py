"""One copy of the game per session record: a second ``facilitate --resume`` is refused, and says why.

A real first copy runs in a child process (it holds the record open, as a projector
does); the second copy is the real command line in another process. The lock dies
with the first copy: once it is killed, the record resumes at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from conftest import REPO, STORY
from game.classroom import session as s

HOLDER = r"""
import sys, time
from pathlib import Path
from game.story.loader import load_story
from game.classroom.facilitation import Facilitation, FacilitatorSettings
fac = Facilitation.start(load_story(sys.argv[1]), FacilitatorSettings(name="Lock", seed=5), path=Path(sys.argv[2]))
print("READY", flush=True)
time.sleep(120)  # bounded: the test kills it long before
"""


def env(data_dir) -> dict[str, str]:
    return dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=str(REPO),
                ESCAPE_ROUTE_DATA_DIR=str(data_dir), LANGUAGE="en")


@pytest.mark.skipif(os.name == "nt", reason="the child is killed with SIGKILL")
def test_a_second_copy_on_one_record_is_refused_and_the_lock_dies_with_the_first(tmp_path, private_data_dir):
    record_path = tmp_path / "class.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(STORY), str(record_path)], cwd=REPO,
                              env=env(private_data_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = holder.stdout.readline()
        assert line.startswith("READY"), line + holder.stderr.read()
        before = record_path.read_bytes()

        # The second copy, as a teacher starts it: refused before any room opens, with one clear message.
        second = subprocess.run([sys.executable, "-m", "game", "facilitate", "--resume", str(record_path), "--lan",
                                 "--bind", "127.0.0.1"], cwd=REPO, env=env(private_data_dir),
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 1, second.stdout + second.stderr
        message = second.stderr.strip()
        assert message.startswith("escape-route facilitate: the session record ")
        assert str(record_path) in message and "open in another copy of the game" in message
        assert "close it first and then resume here" in message
        assert "Traceback" not in second.stderr
        assert "class voting:" not in second.stdout          # no second room with the same code
        assert record_path.read_bytes() == before            # and not one byte written

        # Class journeys' records are written by the same writer: refused the same way.
        with pytest.raises(s.RecordInUse):
            s.SessionWriter.reopen(record_path, s.read_session(record_path))
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)

    # The first copy crashed: its lock went with it, and the record resumes at once.
    from game.classroom.facilitation import Facilitation
    from game.story.loader import load_story

    fac = Facilitation.resume(load_story(STORY), record_path)
    try:
        with pytest.raises(s.RecordInUse, match="another copy of the game"):
            Facilitation.resume(load_story(STORY), record_path)   # a second resume in the same process too
    finally:
        fac.close()
    seqs = [e["seq"] for e in s.read_session(record_path).events]
    assert seqs == list(range(1, len(seqs) + 1))   # one writer: the numbers never interleave


def test_a_resumed_room_whose_port_is_taken_tells_the_teacher_the_phones_must_rejoin(tmp_path, capsys):
    """The old port is busy: the room opens elsewhere, and the teacher is told that phones cannot find it."""
    pytest.importorskip("aiohttp")
    pytest.importorskip("segno")
    import socket

    import pygame

    from game.cli.classroom import open_app, start_vote_channel
    from game.story.loader import load_story

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    taken = busy.getsockname()[1]
    app = open_app(load_story(STORY), (1280, 720))
    server = start_vote_channel(app, "127.0.0.1", taken, "4321")
    try:
        assert server is not None and server.port != taken and server.room_code == "4321"
        err = capsys.readouterr().err
        assert f"Port {taken}, where the phones were, is taken" in err
        assert "The phones cannot reconnect by themselves" in err and f"port {server.port}" in err
        assert any("cannot reconnect by themselves" in text for text, _age in app.toasts)
    finally:
        server.stop()
        busy.close()
        pygame.quit()

