"""Arguments and entry points for ``escape-route facilitate``, ``escape-route report`` and ``play --replay``.

Argument parsing and dispatch only; the work is in :mod:`game.classroom` (pure) and
the facilitator scenes (pygame, imported only when a window is needed, so
``report`` and ``play --replay --text`` run on a machine without a display).

``facilitate --journeys`` (class journeys: every student her own journey on her own
device) is the other classroom mode: :class:`JourneysRoom` ties the record, the model
(:class:`game.classroom.journeys.ClassJourneys`) and the LAN server
(:class:`game.lan.journeys.JourneyServer`) to the set-up screen and the dashboard.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from game.classroom.content import LEVELS
from game.cli.main import MAX_SIZE, MIN_SIZE, decimal_number, describe_os_error, whole_number, window_size
from game.errors import StoryError
from game.l10n import _, ngettext, number

MAX_GROUPS = 8          # as on the set-up screen (game.ui.classroom.setup)
MAX_MINUTES = 20        # the discussion timer, as on the set-up screen


def group_count(text: str) -> int:
    """``--groups``: 0 (the whole class) or 2 to :data:`MAX_GROUPS`."""
    value = whole_number(0, MAX_GROUPS)(text)
    if value == 1:
        raise argparse.ArgumentTypeError(_("1 group is the whole class: give 0, or 2 to {limit} groups").format(
            limit=number(MAX_GROUPS)))
    return value


def bind_address(text: str) -> str:
    """``--bind``: ``auto``, an IP address of this machine, or a name of it (``localhost``), resolved here."""
    from game.lan.address import resolve_bind

    try:
        return resolve_bind(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def check_facilitate_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Arguments that are each fine but wrong together: a usage error (exit 2)."""
    if args.group is not None and not args.groups:
        parser.error(_("--group {group} needs --groups: without it the session is the whole class, which has "
                       "no groups (give --groups 2 to {limit}, or leave out --group)").format(
            group=args.group, limit=number(MAX_GROUPS)))
    if args.groups and args.group is not None and args.group > args.groups:
        parser.error(_("--group {group}: there are only {groups} groups (--groups {groups})").format(
            group=args.group, groups=args.groups))
    if args.journeys:
        voting = [flag for flag, used in (("--lan", args.lan), ("--groups", args.groups), ("--autotally",
                                          args.autotally)) if used]
        if voting:
            parser.error(_("{option} is for a voting session; with --journeys every student plays her own journey "
                           "on her own device (leave out {option})").format(option=voting[0]))
    else:
        journeys_only = [flag for flag, used in (("--luck", args.luck is not None), ("--allow-undo", args.allow_undo),
                                                 ("--nicknames", args.nicknames)) if used]
        if journeys_only:
            parser.error(_("{option} is for class journeys: add --journeys").format(option=journeys_only[0]))


def add_facilitate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=None, help=_("seed, so every group can meet the same fate"))
    parser.add_argument("--name", default=None, help=_("session name (class, group), shown and recorded"))
    parser.add_argument("--groups", type=group_count, default=0,
                        help=_("number of groups: 0 (the whole class, the default) or 2 to {limit}").format(
                            limit=number(MAX_GROUPS)))
    parser.add_argument("--group", type=whole_number(1, MAX_GROUPS), default=None,
                        help=_("with --groups: which group this screen is, from 1 to --groups (default 1)"))
    parser.add_argument("--level", choices=LEVELS, default="full",
                        help=_("content level: full, or younger (veils, on the projector and on the students' pages, "
                               "the passages that depict forced marriage, and the one about carrying the means to die "
                               "rather than be sent back; the choices stay the same)"))
    parser.add_argument("--minutes", type=whole_number(1, MAX_MINUTES), default=3,
                        help=_("default discussion timer in minutes, 1 to {limit} (default {default})").format(
                            limit=number(MAX_MINUTES), default=number(3)))
    parser.add_argument("--resume", metavar="SESSION", nargs="?", const="last", default=None,
                        help=_("continue a session after a crash (default: the latest record)"))
    parser.add_argument("--size", type=window_size, default=None, metavar="WxH",
                        help=_("window size (default {default}; from {smallest} to {largest})").format(
                            default="1280x720", smallest=f"{MIN_SIZE[0]}x{MIN_SIZE[1]}",
                            largest=f"{MAX_SIZE[0]}x{MAX_SIZE[1]}"))
    parser.add_argument("--skip-setup", action="store_true", help=_("start at once with the given settings"))
    parser.add_argument("--lan", action="store_true",
                        help=_("let students vote from their phones and laptops over the local network"))
    parser.add_argument("--port", type=whole_number(0, 65535), default=0,
                        help=_("with --lan or --journeys: the port, 0 to 65535 (default 0: any free one)"))
    parser.add_argument("--bind", type=bind_address, default="auto",
                        help=_("with --lan or --journeys: the address to listen on, an IP address or a name of this "
                             "machine such as localhost (default: this machine's LAN address)"))
    parser.add_argument("--journeys", action="store_true",
                        help=_("class journeys: every student plays her own journey on her own device, served over "
                             "the local network; the window shows the teacher's dashboard"))
    parser.add_argument("--luck", choices=("same", "own"), default=None,
                        help=_("with --journeys: the same luck for everyone (one seed) or each their own (default: "
                             "same; the set-up screen asks)"))
    parser.add_argument("--allow-undo", action="store_true",
                        help=_("with --journeys: students may go back one decision (the set-up screen asks)"))
    parser.add_argument("--nicknames", action="store_true",
                        help=_("with --journeys: students may give a nickname, shown only on the teacher page "
                             "(the set-up screen asks)"))
    # Hidden: an automatic class and facilitator, for tests and demonstrations.
    parser.add_argument("--autotally", choices=("random",), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--autotally-pace", type=decimal_number(0, 60), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--quit-at-end", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--session-file", type=Path, default=None, help=argparse.SUPPRESS)
    parser.set_defaults(check_arguments=lambda args: check_facilitate_arguments(parser, args))


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sessions", nargs="+", help=_("session record files (.jsonl)"))
    parser.add_argument("-o", "--output", default="report.html", help=_("the HTML report to write"))
    parser.add_argument("--csv", default=None,
                        help=_("also write CSV: the votes, and the class journeys' choices (beside it as "
                             "NAME-journeys.csv when the report holds both kinds of session)"))
    parser.add_argument("--title", default="", help=_("the report's title (default: the session name)"))
    parser.add_argument("--story", type=Path, default=None,
                        help=_("the story folder the sessions were played from, for the texts and sources of its "
                               "facts (default: the shipped story)"))


# --------------------------------------------------------------------------- report


def cmd_report(args: argparse.Namespace) -> int:
    from game.classroom.report import read_facts_from, write_report

    read_facts_from(args.story)  # None: the shipped story's
    paths = [Path(p) for p in args.sessions]
    output = Path(args.output)
    csv_path = Path(args.csv) if args.csv else None
    try:
        loaded, messages = write_report(paths, output, csv_path, title=args.title)
    except OSError as exc:
        print("escape-route report: " + _("could not write the report: {problem}").format(
            problem=describe_os_error(exc)), file=sys.stderr)
        return 1
    for line in messages:
        print(f"escape-route report: {line}", file=sys.stderr)
    from game.classroom.report import journeys_csv_path

    n = len(loaded.sessions) + len(loaded.journeys)
    tables = []
    if csv_path and (loaded.sessions or not loaded.journeys):
        tables.append(_("votes in {path}").format(path=csv_path))
    if csv_path and loaded.journeys:
        tables.append(_("journeys' choices in {path}").format(path=journeys_csv_path(csv_path, bool(loaded.sessions))))
    skipped = len(loaded.skipped)
    print(f"{output}: " + ngettext("{count} session", "{count} sessions", n).format(count=number(n))
          + "".join(f", {t}" for t in tables)
          + ("; " + ngettext("{count} file skipped", "{count} files skipped", skipped).format(count=number(skipped))
             if skipped else ""))
    return 0 if n else 1


# --------------------------------------------------------------------------- facilitate


def latest_session() -> Path | None:
    from game.classroom.session import sessions_dir

    folder = sessions_dir()
    found: list[tuple[float, Path]] = []
    for path in folder.glob("*.jsonl") if folder.is_dir() else ():
        try:  # a record, not a FIFO, a device or a link to nowhere, which read_session would refuse anyway
            if path.is_file():
                found.append((path.stat().st_mtime, path))
        except OSError:
            continue
    return max(found)[1] if found else None


def resume_language(args: argparse.Namespace) -> None:
    """``--resume`` without ``--lang``: speak the language the session was started in (its first line says).

    A Korean lesson resumed after a crash stays Korean: its pages, its record and its
    report, whatever this machine's settings say. An explicit ``--lang`` still wins.
    """
    if not args.resume or getattr(args, "lang", None):
        return
    from game.classroom.session import read_session
    from game.l10n import set_language, supported

    path = latest_session() if args.resume == "last" else Path(args.resume)
    try:
        lang = read_session(path).start.get("lang") if path is not None and path.is_file() else None
    except (OSError, ValueError):
        return  # the resume itself says what is wrong with the file
    if isinstance(lang, str) and supported(lang):
        set_language(lang)


def _size(size: tuple[int, int] | None) -> tuple[int, int]:
    """The window size: ``--size`` (checked by :func:`game.cli.main.window_size`), else 1280×720."""
    return size or (1280, 720)


def cmd_facilitate(args: argparse.Namespace) -> int:
    from game.errors import StoryError
    from game.l10n import language
    from game.paths import story_dir
    from game.story.loader import load_story

    resume_language(args)
    story = load_story(args.story or story_dir(), lang=language())
    if getattr(args, "journeys", False):
        return cmd_journeys(story, args)
    from game.classroom.facilitation import Facilitation, FacilitatorSettings

    resume_path, found = _resume_path(args)
    if not found:
        return 1
    try:
        preset = FacilitatorSettings(name=args.name or _("Class session"), groups=max(0, args.groups),
                                     group=args.group or 1, level=args.level,
                                     discussion_seconds=max(1, args.minutes) * 60,
                                     **({"seed": args.seed} if args.seed is not None else {}))
    except ValueError as exc:
        print(f"escape-route facilitate: {exc}", file=sys.stderr)
        return 2
    app = open_app(story, _size(args.size))
    if app is None:
        return 1
    fac = None
    server = None
    try:
        from game.ui.classroom.setup import FacilitateSetupScene
        from game.ui.classroom.story import start_session

        try:
            # The record first: a second copy on the same record is refused (its lock) before any room opens.
            if resume_path is not None:
                fac = Facilitation.resume(story, resume_path)
            elif args.skip_setup or args.autotally:
                fac = Facilitation.start(story, preset, path=args.session_file)
        except OSError as exc:  # a class is never run unrecorded: say why, and stop
            print("escape-route facilitate: " + _("cannot record the session: {problem}").format(
                problem=describe_os_error(exc)), file=sys.stderr)
            return 1
        room = fac.room if resume_path is not None and fac is not None else None  # the phones rejoin this room
        port = args.port if args.port or room is None else room[1]
        server = start_vote_channel(app, args.bind, port, room[0] if room else None) if args.lan else None
        if args.autotally:
            from game.classroom.vote import RandomTally
            from game.ui.classroom.auto import FacilitateDriver

            pace = args.autotally_pace
            if pace is None:
                pace = float(os.environ.get("ESCAPE_ROUTE_AUTOTALLY_PACE", "0") or 0)
            fac.sources.append(RandomTally(fac.settings.seed * 31 + fac.settings.group))  # each group its own class
            app.autoplayer = FacilitateDriver(app, pace=pace, quit_at_end=args.quit_at_end)
        if fac is not None:
            start_session(app, fac)
            print(_("session record: {path}").format(path=fac.path), flush=True)
        else:
            app.stack.replace_all(FacilitateSetupScene(app, preset))
        return app.run()
    except StoryError as exc:
        print(f"escape-route facilitate: {exc}", file=sys.stderr)
        return 1
    finally:
        fac = getattr(app, "facilitation", None) or fac
        if fac is not None:
            fac.close()
        if server is not None:
            server.stop()
        import pygame

        pygame.quit()


def start_vote_channel(app: Any, bind: str, port: int, code: str | None = None) -> Any:
    """Open the class vote to phones: start the LAN server and hand it to the projector as its vote channel.

    Returns the running server (the caller stops it), or None when it cannot run;
    then the projector says why and the keyboard tally still works. ``code``: the room
    code to keep (a resumed session); when its port is taken, any free port is used.
    """
    from game import lan

    if not lan.available():
        app.notify(_("Voting from phones needs {packages}; the keyboard tally still works.").format(
            packages=", ".join(lan.missing())))
        return None
    from game.lan.address import candidates
    from game.lan.server import VoteServer
    from game.lan.tally import LanTally

    where = f"{bind}:{port}" if bind != "auto" else _("this machine's LAN address")
    try:
        server = VoteServer(bind=bind, port=port, room_code=code)
        try:
            url = server.start()
        except OSError:
            if not (code and port):
                raise
            server = VoteServer(bind=bind, port=0, room_code=code)  # the old port is taken: the code still holds
            url = server.start()
            moved = port_moved_message(port, server.port)
            print("escape-route facilitate: " + moved, file=sys.stderr, flush=True)
            app.notify(moved)
    except (OSError, ValueError) as exc:
        reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        print("escape-route facilitate: " + _("voting from phones could not start on {where}: {reason} The "
                                               "keyboard tally still works.").format(where=where, reason=reason),
              file=sys.stderr, flush=True)
        app.notify(_("Voting from phones could not start ({reason}); the keyboard tally still works.").format(
            reason=reason))
        return None
    app.vote_channel = LanTally(server)
    print(_("class voting: {url}  room code {code}").format(url=url, code=server.room_code), flush=True)
    if bind == "auto":
        others = [f"{c.address} ({c.interface})" if c.interface else c.address
                  for c in candidates() if c.address not in url]
        if others:
            print("  " + _("if phones cannot reach it, choose another network with --bind: {addresses}").format(
                addresses=", ".join(others)), flush=True)
    return server


def port_moved_message(old: int, new: int) -> str:
    """What the teacher must know when a resumed room cannot have its old port: the phones will not find it."""
    return _("Port {old}, where the phones were, is taken (another program, or another copy of the game), so "
             "the room opened on port {new}. The phones cannot reconnect by themselves: ask the class to scan "
             "the QR code again (the room code is the same).").format(old=old, new=new)


def open_app(story: Any, size: tuple[int, int]) -> Any:
    """The game window in projector mode (high contrast for this run only, not saved), or None."""
    from game.ui.app import App, display_available

    if not display_available():
        print("escape-route: " + _("no display available; facilitate needs a screen (a projector)"), file=sys.stderr)
        return None
    import pygame

    try:
        pygame.display.init()
        pygame.font.init()
        app = App(story, size=size)
    except pygame.error as exc:
        print("escape-route: " + _("could not open a window ({problem})").format(problem=exc), file=sys.stderr)
        return None
    projector_mode(app)
    return app


def projector_mode(app: Any) -> None:
    """High contrast and large text for this session only: the player's saved settings are not touched."""
    from game.ui.theme import Theme

    app.settings = app.settings.changed(high_contrast=True, text_size="x-large")
    app.audio.mute_for_room()  # a projector starts silent; the facilitator's F8 turns the sound on
    app.theme = Theme.build(app.screen.get_size(), app.settings)
    app.stack.relayout()


# --------------------------------------------------------------------------- class journeys


def journeys_missing() -> str | None:
    """Why class journeys cannot run here (the LAN packages or the server module are missing), or None."""
    from game import lan

    missing = lan.missing()
    if missing:
        return ngettext("class journeys need {packages}, which is not installed. Install the game again with its "
                        "dependencies (pip install escape-route), or run a voting session without --journeys.",
                        "class journeys need {packages}, which are not installed. Install the game again with its "
                        "dependencies (pip install escape-route), or run a voting session without --journeys.",
                        len(missing)).format(packages=_(" and ").join(missing))
    try:
        import game.lan.journeys  # noqa: F401
    except ImportError as exc:
        return _("class journeys are not available in this build ({problem}).").format(problem=exc)
    return None


class JourneysRoom:
    """The session of class journeys the window drives: its record, its model and its LAN server.

    :meth:`begin` (from the set-up screen) and :meth:`resume` (``--resume``) open it;
    :meth:`close` stops the server and closes the record, whatever happened.
    """

    def __init__(self, app: Any, bind: str, port: int, session_file: Path | None = None) -> None:
        self.app = app
        self.bind, self.port = bind, port
        self.session_file = session_file
        self.journeys: Any = None
        self.writer: Any = None
        self.server: Any = None
        self.title = ""
        self.map, self.extras = journey_extras(app.story)

    def begin(self, choices: Any) -> str | None:
        """Open the record and the room with the teacher's choices, then show the dashboard; or say why not."""
        from game.classroom.journeys import ClassJourneys, JourneySettings
        from game.classroom.session import new_session_path
        from game.engine.engine import Engine

        settings = JourneySettings(luck=choices.luck, allow_undo=choices.allow_undo, seed=choices.seed,
                                   nicknames=choices.nicknames, level=choices.level)
        if self.journeys is not None and self.journeys.settings == settings and self.title == choices.name:
            return self.open_room(None)  # the room failed to open a moment ago: the same record, tried again
        if self.writer is not None:
            self.writer.close()  # other choices since: that record (nobody joined it) stays, a new one begins
        try:
            path = self.session_file or new_session_path(choices.name)
            self.journeys, self.writer = ClassJourneys.create(Engine(self.app.story), settings, path,
                                                              name=choices.name, **self.extras)
        except (StoryError, OSError) as exc:
            reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
            return _("Could not record the session: {reason}").format(reason=reason)
        self.title = choices.name
        print(_("session record: {path}").format(path=self.writer.path), flush=True)
        return self.open_room(None)

    def resume(self, path: Path) -> str | None:
        """Continue a recorded session: every student where she was, the room with its code and port."""
        from game.classroom.journeys import ClassJourneys, last_teacher_code
        from game.classroom.session import last_room, read_session
        from game.engine.engine import Engine

        record = read_session(path)
        try:
            self.journeys, self.writer, notes = ClassJourneys.resume(Engine(self.app.story), path, **self.extras)
        except (StoryError, OSError) as exc:
            reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
            return _("cannot resume {path}: {reason}").format(path=path, reason=reason)
        self.title = record.name
        for note in notes:
            self.app.notify(note)
        print(_("session record: {path} (resumed)").format(path=self.writer.path), flush=True)
        room = last_room(record)
        if room is not None and not self.port:
            self.port = room[1]
        return self.open_room(room[0] if room else None, last_teacher_code(record))

    def open_room(self, code: str | None, teacher_code: str | None = None) -> str | None:
        """Start the LAN server on the model (keeping ``code``, ``teacher_code`` and the port when they are free) and
        show the dashboard."""
        from game.lan.journeys import JourneyServer

        where = f"{self.bind}:{self.port}" if self.bind != "auto" else _("this machine's LAN address")
        try:
            try:
                server = JourneyServer(self.journeys, bind=self.bind, port=self.port, room_code=code,
                                       teacher_code=teacher_code, journey_map=self.map)
                url = server.start()
            except OSError:
                if not (code and self.port):
                    raise
                server = JourneyServer(self.journeys, bind=self.bind, port=0, room_code=code,  # the port is taken
                                       teacher_code=teacher_code, journey_map=self.map)
                url = server.start()
                moved = port_moved_message(self.port, server.port)
                print("escape-route facilitate: " + moved, file=sys.stderr, flush=True)
                self.app.notify(moved)
        except (OSError, ValueError, TimeoutError) as exc:
            reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
            print("escape-route facilitate: " + _("the class's room could not open on {where}: {reason}").format(
                where=where, reason=reason), file=sys.stderr, flush=True)
            return _("The room could not open on {where}: {reason}").format(where=where, reason=reason)
        self.server = server  # it records its room code and port itself, so that --resume keeps them
        print(_("class journeys: {url}  room code {code}").format(url=url, code=server.room_code), flush=True)
        teacher = getattr(server, "teacher_link", "")
        if teacher:  # the teacher's own page (nicknames): here, and on the dashboard only when T is pressed
            print(_("teacher page (open it on your phone; do not project it): {link}").format(link=teacher),
                  flush=True)
        if self.journeys.ended:  # a session resumed after its end: its debrief (the pages show their endings)
            from game.ui.classroom.journeys_debrief import JourneysDebriefScene

            self.app.stack.replace_all(JourneysDebriefScene(self.app, self.journeys.debrief_now(), self.title))
            return None
        from game.ui.classroom.dashboard import DashboardScene

        self.app.stack.replace_all(DashboardScene(self.app, server, self.title))
        return None

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self.writer is not None:
            self.writer.close()


def _resume_path(args: argparse.Namespace) -> tuple[Path | None, bool]:
    """The session record ``--resume`` names (the latest with ``--resume`` alone); False when there is none."""
    if not args.resume:
        return None, True
    path = latest_session() if args.resume == "last" else Path(args.resume)
    if path is None:  # --resume alone, and no session has been recorded yet
        from game.classroom.session import sessions_dir

        print("escape-route facilitate: " + _("no session record to resume yet in {folder}: start a session with "
                                              "'escape-route facilitate'").format(folder=sessions_dir()),
              file=sys.stderr)
        return None, False
    if not path.is_file():
        print("escape-route facilitate: " + _("no session record to resume at {path}: give the file the session "
                                              "wrote, or --resume alone for the latest").format(path=path), file=sys.stderr)
        return None, False
    return path, True


def journey_extras(story: Any) -> tuple[Any, dict[str, Any]]:
    """The story's map for the student pages (or None) and what the model needs of it (place names, routes)."""
    from game.classroom.journeys import journey_map

    where = journey_map(story)
    return where, ({"places": where.places, "route_points": where.route_points} if where is not None else {})


def cmd_journeys(story: Any, args: argparse.Namespace) -> int:
    """``facilitate --journeys``: the set-up screen (or ``--resume``), then the dashboard, until the window closes."""
    problem = journeys_missing()
    if problem:
        print(f"escape-route facilitate --journeys: {problem}", file=sys.stderr)
        return 1
    resume_path, found = _resume_path(args)
    if not found:
        return 1
    if resume_path is not None:
        from game.classroom.journeys import is_journeys
        from game.classroom.session import read_session

        if not is_journeys(read_session(resume_path)):
            print("escape-route facilitate: " + _("{path} is not a class-journeys session; resume it without "
                                                   "--journeys").format(path=resume_path), file=sys.stderr)
            return 1
    app = open_app(story, _size(args.size))
    if app is None:
        return 1
    room = JourneysRoom(app, args.bind, args.port, args.session_file)
    try:
        from game.ui.classroom.journeys_setup import JourneyChoices, JourneysSetupScene

        choices = JourneyChoices(name=args.name or _("Class journeys"), luck=args.luck or "same",
                                 allow_undo=args.allow_undo, nicknames=args.nicknames, level=args.level,
                                 seed=args.seed if args.seed is not None else secrets.randbelow(9000) + 1000)
        problem = None
        if resume_path is not None:
            problem = room.resume(resume_path)
        elif args.skip_setup:
            problem = room.begin(choices)
        else:
            app.stack.replace_all(JourneysSetupScene(app, choices, room.begin))
        if problem:
            print(f"escape-route facilitate: {problem}", file=sys.stderr)
            return 1
        return app.run()
    finally:
        room.close()
        import pygame

        pygame.quit()


# --------------------------------------------------------------------------- replay


def cmd_replay(story: Any, args: argparse.Namespace) -> int:
    """``escape-route play --replay SESSION``: with --text print the session, else step through it on screen."""
    from game.classroom.session import SessionError, read_session

    path = Path(args.replay)
    record = read_session(path)
    if not record.is_session:
        print(f"escape-route: {path}: " + (record.problems[-1] if record.problems else _("not a session record")),
              file=sys.stderr)
        return 1
    from game.classroom.journeys import is_journeys

    if is_journeys(record):  # every student played her own journey: there is no one class's path to re-enact
        print(f"escape-route: {path.name}: " + _("a class-journeys session has no single journey to replay (each "
                                                  "student played her own); read it with: escape-route report "
                                                  "{path}").format(path=path), file=sys.stderr)
        return 1
    for problem in record.problems:
        print(f"escape-route: {path.name}: {problem}", file=sys.stderr)
    if getattr(args, "text", False):
        from game.classroom.transcript import print_session

        try:
            print_session(story, record, sys.stdout)
        except SessionError as exc:
            print(f"escape-route: {exc}", file=sys.stderr)
            return 1
        return 0  # piped into head or less, which stopped reading: game.cli.main ends quietly (141)
    from game.classroom.facilitation import Facilitation
    from game.ui.classroom.replay import ReplayScene, replay_steps

    try:
        fac = Facilitation.replay(story, record)
        steps = replay_steps(story, record)
    except SessionError as exc:
        print(f"escape-route: {exc}", file=sys.stderr)
        return 1
    app = open_app(story, _size(None))
    if app is None:
        return 1
    try:
        app.state = fac.state
        app.stack.replace_all(ReplayScene(app, fac, record, steps))
        return app.run()
    finally:
        import pygame

        pygame.quit()
