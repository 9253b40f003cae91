"""A class-journeys server without the game window: for tests and the benchmark (not a user command).

    python -m game.lan.headless --story story --session S.jsonl [--resume] [--bind 127.0.0.1] [--port 0]
                                [--code 1234] [--luck same|own] [--undo] [--nicknames] [--seed N] [--lang ko]
                                [--level full|younger]

It starts (or resumes) the session record, serves the student pages, prints one JSON
line (``url``, ``code``, ``teacher``, ``port``) and runs until it is killed, or until
a line "end" on its standard input ends the session. ``escape-route facilitate
--journeys`` is what a teacher runs; this is the same server and the same record
without pygame, so a test can SIGKILL a real process and resume it.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

from game.classroom.content import LEVELS
from game.classroom.journeys import ClassJourneys, JourneySettings, journey_map, last_teacher_code
from game.classroom.session import last_room, read_session
from game.engine.engine import Engine
from game.l10n import LANGUAGES, set_language
from game.lan.journeys import JourneyServer
from game.story.loader import load_story


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m game.lan.headless", description=__doc__.split("\n")[0])
    parser.add_argument("--story", default="story")
    parser.add_argument("--session", required=True)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--code", default=None)
    parser.add_argument("--teacher-code", default=None)
    parser.add_argument("--luck", choices=("same", "own"), default="same")
    parser.add_argument("--undo", action="store_true")
    parser.add_argument("--nicknames", action="store_true")
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--level", choices=LEVELS, default="full")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="the language the pages and the story speak (as `facilitate --lang`)")
    parser.add_argument("--per-address", type=int, default=10)
    parser.add_argument("--dashboard-poll", action="store_true",
                        help="read the dashboard's snapshot on every change, at most 60 times a second (the bench)")
    args = parser.parse_args(argv)
    lang = set_language(args.lang)
    story = load_story(Path(args.story), lang=None if lang == "en" else lang)
    engine = Engine(story)
    where = journey_map(story)
    extra = {"places": where.places, "route_points": where.route_points} if where else {}
    path = Path(args.session)
    code, port, teacher = args.code, args.port, args.teacher_code
    if args.resume:
        record = read_session(path)
        room = last_room(record)
        if room is not None:
            code, port = room
        teacher = teacher or last_teacher_code(record)
        journeys, writer, _ = ClassJourneys.resume(engine, path, **extra)
    else:
        settings = JourneySettings(args.luck, args.undo, args.seed, args.nicknames, args.level)
        journeys, writer = ClassJourneys.create(engine, settings, path, name="headless", **extra)
    server = JourneyServer(journeys, bind=args.bind, port=port, room_code=code, teacher_code=teacher,
                           journey_map=where, per_address=args.per_address)
    server.start()
    if args.dashboard_poll:
        threading.Thread(target=_dashboard, args=(journeys,), daemon=True).start()
    print(json.dumps({"url": server.url, "code": server.room_code, "teacher": server.teacher_code,
                      "port": server.port}), flush=True)
    try:
        for line in sys.stdin:
            command = line.strip()
            if command == "end":
                journeys.end()
            elif command in ("pause", "play"):
                journeys.pause(command == "pause")
            elif command.startswith("prompt "):
                journeys.send_prompt(command[7:])
    except KeyboardInterrupt:
        pass
    server.stop()
    writer.close()
    return 0


def _dashboard(journeys: ClassJourneys) -> None:
    """What the game window does with the class: a snapshot whenever the version changed, at most 60 a second."""
    seen = -1
    while True:
        if journeys.version != seen:
            seen = journeys.snapshot().version
        time.sleep(1 / 60)


if __name__ == "__main__":
    sys.exit(main())
