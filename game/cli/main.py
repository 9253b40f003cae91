"""The ``escape-route`` command: argument parsing only; the work happens in the modules it calls.

``escape-route`` alone starts the game; ``python -m game`` is the same command.

Bad input never ends in a traceback:

- a number or size out of range is refused while the arguments are parsed, with
  argparse's usage line and one sentence (exit status 2);
- :func:`main` answers, in one line on standard error, a story, save or map problem
  (``StoryError``, exit 1) and a file or network problem (``OSError``: what failed, on
  which path, what to do; exit 1);
- Ctrl-C exits with 130, like any Unix tool;
- output piped into a reader that stops early (``escape-route check | head -1``) ends
  quietly with 141, the status a shell gives a tool ended by SIGPIPE: standard output
  is pointed at the null device first, as the Python documentation recommends, so
  nothing more is written to the closed pipe.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from game import __version__
from game.alert import alert
from game.cli.argparse_words import Formatter, Parser, words
from game.cli.argparse_words import route as route_argparse
from game.engine.sim import STATE_LIMIT
from game.errors import StoryError, StoryLoadError
from game.l10n import N_, _, language, ngettext, number, set_language
from game.paths import story_dir

EXIT_INTERRUPTED = 130     # 128 + SIGINT
EXIT_BROKEN_PIPE = 141     # 128 + SIGPIPE
MAX_RUNS = 1_000_000       # simulate --runs
MAX_WORKERS = 64           # simulate --workers
MAX_STATE_LIMIT = 5_000_000  # simulate --exhaustive --state-limit (the default is sim.STATE_LIMIT)
MIN_SIZE, MAX_SIZE = (320, 240), (7680, 4320)  # facilitate --size: from a small window to an 8K projector


# --------------------------------------------------------------------------- argument types
def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number from ``low`` to ``high``; anything else is a usage error."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_("{text} is not a whole number; give one from {low} to {high}").format(
                text=_shown(text), low=number(low), high=number(high))) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(_("{value} is out of range; give a whole number from {low} to {high}")
                                             .format(value=number(value), low=number(low), high=number(high)))
        return value

    parse.__name__ = "whole number"
    return parse


def language_code(text: str) -> str:
    """An argparse ``type`` for a language code such as ``ko`` or ``pt_BR`` (``ko-KR`` is read as ``ko_KR``)."""
    code = text.strip().replace("-", "_")
    if "_" in code:
        head, tail = code.split("_", 1)
        code = f"{head.lower()}_{tail.upper()}"
    else:
        code = code.lower()
    from game.story.translation import valid_lang

    if not valid_lang(code):
        raise argparse.ArgumentTypeError(_("{text} is not a language code; give one such as ko or en").format(
            text=_shown(text)))
    return code


def decimal_number(low: float, high: float) -> Callable[[str], float]:
    """An argparse ``type`` for a finite number from ``low`` to ``high``."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_("{text} is not a number").format(text=_shown(text))) from None
        if not low <= value <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(_("{value} is out of range; give a number from {low} to {high}").format(
                value=text, low=f"{low:g}", high=f"{high:g}"))
        return value

    parse.__name__ = "number"
    return parse


def window_size(text: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT`` within :data:`MIN_SIZE` and :data:`MAX_SIZE`."""
    match = re.fullmatch(r"\s*(\d{1,7})\s*[xX×]\s*(\d{1,7})\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(_("{text}: write WIDTHxHEIGHT, e.g. 1280x720").format(text=_shown(text)))
    size = (int(match.group(1)), int(match.group(2)))
    if not all(low <= v <= high for v, low, high in zip(size, MIN_SIZE, MAX_SIZE, strict=True)):
        raise argparse.ArgumentTypeError(_("{size} is out of range; from {smallest} to {largest}").format(
            size=f"{size[0]}x{size[1]}", smallest=f"{MIN_SIZE[0]}x{MIN_SIZE[1]}",
            largest=f"{MAX_SIZE[0]}x{MAX_SIZE[1]}"))
    return size


# --------------------------------------------------------------------------- one line for a failed file or socket
_OS_HINTS = {  # marked with N_ and said with _() when used: the language is chosen after import
    errno.EISDIR: N_("It is a folder: give the name of a file."),
    errno.ENOTDIR: N_("A part of the path is a file, not a folder: check the path."),
    errno.EEXIST: N_("A file of that name stands where a folder should be: check the path."),
    errno.EACCES: N_("You may not use it: choose another place, or change its permissions."),
    errno.EPERM: N_("You may not use it: choose another place, or change its permissions."),
    errno.EROFS: N_("The disk is read-only: choose another place."),
    errno.ENOSPC: N_("The disk is full: free some space, then try again."),
    errno.EDQUOT: N_("Your disk quota is used up: free some space, then try again."),
    errno.ENAMETOOLONG: N_("The name is too long: choose a shorter one."),
    errno.ELOOP: N_("Symbolic links loop: check the path."),
    errno.EMFILE: N_("Too many files are open: close some programs and try again."),
    errno.ENFILE: N_("Too many files are open: close some programs and try again."),
    errno.EADDRINUSE: N_("Another program uses that port: choose another with --port, or leave --port out."),
    errno.EADDRNOTAVAIL: N_("That is not an address of this machine: give one of its addresses, or leave --bind "
                            "out."),
}


def describe_os_error(exc: OSError) -> str:
    """One sentence for a person: the path (or address), what the system said, and what to do."""
    reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")
    name = exc.filename2 if exc.filename2 is not None else exc.filename  # a rename: the place it was to go
    if name is None:
        hint = _(_OS_HINTS[exc.errno]) if exc.errno in _OS_HINTS else ""
        return f"{reason}. {hint}".strip()
    path = os.fsdecode(name) if isinstance(name, (str, bytes, os.PathLike)) else str(name)
    hint = _(_OS_HINTS[exc.errno]) if exc.errno in _OS_HINTS else _("Check the path and try again.")
    if exc.errno == errno.ENOENT:
        parent = Path(path).parent
        hint = (_("The folder {folder} does not exist: create it, or choose another.").format(folder=parent)
                if not parent.is_dir() else _("Check the name."))
    text = f"{path}: {reason}. {hint}"
    from game.paths import user_data_dir

    data = user_data_dir()
    try:
        inside = Path(os.path.abspath(path)).is_relative_to(os.path.abspath(data))
    except (OSError, ValueError):
        inside = False
    if inside:
        text += " " + _("It is in the game's data folder ({folder}); set ESCAPE_ROUTE_DATA_DIR to a folder you "
                        "may write to.").format(folder=data)
    return text


def _say(line: str) -> None:
    """A line on standard error, which may itself be closed (fatal errors go through game.alert instead,
    which also shows a dialog where a desktop build has no terminal)."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def _quiet_stdout() -> None:
    """After a broken pipe: point standard output at the null device, so that Python's last flush at exit
    writes nowhere instead of raising again (https://docs.python.org/3/library/signal.html#note-on-sigpipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


# --------------------------------------------------------------------------- the parser
def _story_arg(parser: argparse.ArgumentParser, positional: bool = False) -> None:
    """The story folder: a positional argument (check, simulate, graph, i18n), or for the commands that start
    the game ``--story`` and, as the others take it, a positional one too (``play story/``)."""
    if positional:
        parser.add_argument("story", nargs="?", type=Path, default=None,
                            help=_("story folder (default: the shipped story)"))
    else:
        parser.add_argument("--story", type=Path, default=None, help=_("story folder (default: the shipped story)"))
        parser.add_argument("story_folder", nargs="?", type=Path, default=None, metavar="STORY",
                            help=_("story folder, the same as --story"))


def _one_story_folder(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``play story/`` is ``play --story story/``; both at once must agree (a usage error, exit 2)."""
    folder = getattr(args, "story_folder", None)
    if folder is None:
        return
    if args.story is not None and Path(args.story) != folder:
        parser.error(_("the story folder is given twice, as {folder} and as --story {story}: give one").format(
            folder=folder, story=args.story))
    args.story = folder


def build_parser() -> argparse.ArgumentParser:
    route_argparse()  # its "usage:", "options" and usage errors, in the language spoken
    parser = Parser(
        prog="escape-route",
        description=_("3,500 Miles: an interactive story of one escape from North Korea."),
    )
    parser.add_argument("--version", action="version", version=f"escape-route {__version__}",
                        help=_("show program's version number and exit"))  # Python 3.13 asks _() itself
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help=_("play the story (the default)"))
    _story_arg(play)
    play.add_argument("--text", action="store_true", help=_("play in the terminal (also for screen readers)"))
    play.add_argument("--seed", type=int, default=None, help=_("seed for the risks, to replay a journey exactly"))
    play.add_argument("--continue", dest="resume", action="store_true", help=_("continue the autosaved journey"))
    play.add_argument("--start", metavar="NODE", default=None, help=_("start at this node (for writers)"))
    play.add_argument("--set", metavar="NAME=VALUE", action="append", default=[],
                      help=_("set a resource, flag or item (true: carried) before starting (for writers); "
                           "may be repeated"))
    play.add_argument("--autoplay", choices=("random", "first", "careful"), default=None,
                      help=_("let the game play itself in the window, through the real interface (not with "
                           "--text: in the terminal, 'simulate' plays many journeys)"))
    play.add_argument("--fast", action="store_true", help=_("with --autoplay: no reading pauses"))
    play.add_argument("--writer", action="store_true",
                      help=_("writer mode in the window: N writes a playtest note (on when run from a checkout)"))
    play.add_argument("--quit-at-end", action="store_true", help=_("with --autoplay: exit at the ending"))
    play.add_argument("--replay", metavar="SESSION", default=None,
                      help=_("re-enact a recorded classroom session step by step"))
    play.add_argument("--from-note", metavar="ID", default=None,
                      help=_("start at the exact moment a playtest note was taken"))

    check = sub.add_parser("check", help=_("check story files and report every problem"))
    _story_arg(check, positional=True)
    check.add_argument("--json", action="store_true", help=_("print one JSON object instead of text"))
    check.add_argument("--list-codes", action="store_true", help=_("list every diagnostic code with its hint"))
    check.add_argument("--locations", action="store_true",
                       help=_("list the place ids of the story's route map (for 'location:' and 'heading:')"))
    check.add_argument("--translation", type=language_code, default=None, metavar="LANG",
                       help=_("also check the story's translation into LANG (its locale/LANG/*.po catalogs)"))
    simulate = sub.add_parser("simulate", help=_("play the story many times and report endings, coverage, soft-locks"))
    _story_arg(simulate, positional=True)
    simulate.add_argument("--runs", type=whole_number(1, MAX_RUNS), default=1000,
                          help=_("number of playthroughs, 1 to {limit} (default {default})").format(
                              limit=number(MAX_RUNS), default=number(1000)))
    simulate.add_argument("--seed", type=int, default=1, help=_("base seed (default 1)"))
    simulate.add_argument("--policy", choices=("random", "careful", "greedy", "first", "all"), default="random",
                          help=_("how the simulated player chooses (default random; 'all' compares them)"))
    simulate.add_argument("--workers", type=whole_number(1, MAX_WORKERS), default=1,
                          help=_("processes to use, 1 to {limit} (results do not change)").format(
                              limit=number(MAX_WORKERS)))
    simulate.add_argument("--json", action="store_true", help=_("print one JSON object"))
    simulate.add_argument("--exhaustive", action="store_true",
                          help=_("exact ending probabilities (fractions) over every choice and roll outcome"))
    simulate.add_argument("--start", metavar="NODE", default=None,
                          help=_("begin every journey at this node (odds for a part of the story)"))
    simulate.add_argument("--set", metavar="NAME=VALUE", action="append", default=[],
                          help=_("a resource, flag or item's value at the start; may be repeated"))
    simulate.add_argument("--state-limit", type=whole_number(1, MAX_STATE_LIMIT), default=STATE_LIMIT,
                          help=_("with --exhaustive: states to explore, 1 to {limit} (default {default})").format(
                              limit=number(MAX_STATE_LIMIT), default=number(STATE_LIMIT)))
    facilitate = sub.add_parser("facilitate", help=_("run the story with a class: votes, discussion, debrief"))
    _story_arg(facilitate)
    from game.cli.classroom import add_facilitate_arguments, add_report_arguments

    add_facilitate_arguments(facilitate)
    report = sub.add_parser("report", help=_("write a class report (HTML, CSV) from recorded sessions"))
    add_report_arguments(report)

    notes = sub.add_parser("notes", help=_("list playtest notes by file and line"))
    notes.add_argument("file", nargs="?", type=Path, default=None, help=_("notes file (default: your notes)"))
    notes.add_argument("--json", action="store_true")

    graph = sub.add_parser("graph", help=_("draw the story map (DOT, SVG, Mermaid or a self-contained HTML page)"))
    _story_arg(graph, positional=True)
    graph.add_argument("--format", choices=("dot", "svg", "mermaid", "html"), default="dot")
    graph.add_argument("-o", "--output", default=None, help=_("output file (default: standard output)"))

    sub.add_parser("lsp", help=_("run the language server on standard input and output (for editors)"))
    i18n = sub.add_parser("i18n", help=_("make and update the story's translation catalogs (gettext .pot/.po)"))
    i18n.add_argument("action", choices=("extract", "update"),
                      help=_("extract: add missing choice ids, write locale/*.pot and merge them into every "
                             "language's locale/LANG/*.po; update: only merge (every language, or the one given "
                             "with --lang)"))
    _story_arg(i18n, positional=True)
    for command in [parser, *sub.choices.values()]:
        command.formatter_class = Formatter  # wraps by the columns Korean takes in a terminal
    for command in sub.choices.values():
        command.add_argument("--lang", type=language_code, default=None, metavar="LANG",
                             help=_("the language to use, such as ko (default: your system's language)")
                             if command is not i18n else
                             _("the language the program speaks, such as ko; with update, also the only "
                               "language whose catalogs are merged (a new one is started)"))
    # Listed by `escape-route --help` too, as README promises Korean by --lang; before a command, main() hands it on.
    parser.add_argument("--lang", type=language_code, default=None, metavar="LANG",
                        help=_("the language to use, such as ko (default: your system's language)"))
    return parser


def _lang_given(given: list[str]) -> str | None:
    """The ``--lang`` of a command line, read before the parser is built so that --help is in that language."""
    for i, word in enumerate(given):
        value = word[len("--lang="):] if word.startswith("--lang=") else given[i + 1] if word == "--lang" and \
            i + 1 < len(given) else None
        if value is not None:
            try:
                return language_code(value)
            except argparse.ArgumentTypeError:
                return None  # the parser says what is wrong with it
    return None


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each command's name and its own parser (argparse keeps them on its private subparsers action)."""
    if parser._subparsers is None:
        return {}
    return {name: sub for action in parser._subparsers._group_actions for name, sub in action.choices.items()}


def _command_first(given: list[str], commands: set[str]) -> list[str]:
    """Options before the command go after it (`escape-route --lang ko facilitate` is `facilitate --lang ko`);
    options with no command are the game's (`escape-route --lang ko` plays)."""
    if not given or not given[0].startswith("-") or given[0] in ("-h", "--help", "--version"):
        return given
    i = 0
    while i < len(given) and given[i].startswith("-"):
        i += 2 if given[i] == "--lang" else 1  # --lang takes the next word; the game's other options are flags
    if i < len(given) and given[i] in commands:
        return [given[i], *given[:i], *given[i + 1:]]
    for asked in ("--version", "--help", "-h"):  # `--lang ko --help`: the program's own help, in Korean
        if asked in given[:i]:
            return [asked]
    return ["play", *given]


def main(argv: list[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    set_language(_lang_given(given))
    parser = build_parser()
    commands = _subcommands(parser)
    given = _command_first(given, set(commands))
    args, unknown = parser.parse_known_args(given)
    if unknown:  # said by the command's own parser ("escape-route play: error: …"), under its own usage
        command = commands.get(args.command or "", parser)
        command.error(words("unrecognized arguments: %s") % " ".join(unknown))
    if args.command is None:
        args = parser.parse_args(["play"])
    _one_story_folder(parser, args)
    check = getattr(args, "check_arguments", None)
    if check is not None:
        check(args)  # arguments that are wrong together: a usage error, exit 2
    set_language(getattr(args, "lang", None) or _saved_language(args))
    try:
        status = _run(args)
        sys.stdout.flush()  # a reader that left early is found here, not in Python's flush at exit
        return status
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except StoryLoadError as exc:
        alert("\n".join([f"escape-route: {exc}", *(str(d) for d in exc.diagnostics[:10])]))
        return 1
    except StoryError as exc:
        alert(f"escape-route: {exc}")
        return 1
    except OSError as exc:
        alert(f"escape-route: {describe_os_error(exc)}")
        return 1


def _saved_language(args: argparse.Namespace) -> str | None:
    """The language chosen in the window's settings, for the window and the classroom (None: the system's)."""
    if args.command not in (None, "play", "facilitate") or getattr(args, "text", False):
        return None
    try:
        from game.ui.settings import saved_language
    except ImportError:  # pragma: no cover - the UI ships with the package
        return None
    return saved_language()


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return cmd_check(args)
    if args.command == "facilitate":
        from game.cli.classroom import cmd_facilitate

        return cmd_facilitate(args)
    if args.command == "report":
        from game.cli.classroom import cmd_report

        return cmd_report(args)
    if args.command == "notes":
        from game.writer.notes import cmd_notes

        return cmd_notes(args)
    if args.command == "graph":
        from game.writer.graph import cmd_graph

        return cmd_graph(args)
    if args.command == "simulate":
        from game.writer.simreport import cmd_simulate

        return cmd_simulate(args)
    if args.command == "i18n":
        from game.writer.i18n import cmd_i18n

        return cmd_i18n(args)
    if args.command == "lsp":
        from game.lsp.server import main as run_language_server

        return run_language_server()
    return cmd_play(args)


def cmd_check(args: argparse.Namespace) -> int:
    from game.story.diagnostics import CATALOGUE, translate
    from game.story.loader import analyse

    if args.list_codes:
        for entry in CATALOGUE.values():
            print(f"{entry.code} {entry.severity.value:7} {translate(entry.title)}")
            print("    " + _("hint: {hint}").format(hint=translate(entry.listed_hint())))
            example = entry.shown_example()
            if example:
                print("    " + _("for example: {example}").format(example=example))
        return 0
    root = args.story or story_dir()
    if root.is_file():  # check story/01b_herbalist.yaml: a chapter is checked with its story
        root = root.parent
    if args.locations:
        return _list_locations(root)
    analysis = analyse(root, translation=args.translation)
    story = analysis.story
    stats = {
        "nodes": len(story.nodes) if story else 0,
        "choices": sum(len(n.choices) for n in story.nodes.values()) if story else 0,
        "endings": len({n.ending.id for n in story.nodes.values() if n.ending}) if story else 0,
        "words": analysis.words,
        "facts": len(story.facts) if story else 0,
        "files": len(analysis.files),
    }
    if args.json:
        print(json.dumps({
            "errors": [d.to_dict() for d in analysis.errors],
            "warnings": [d.to_dict() for d in analysis.warnings],
            "stats": stats,
        }, ensure_ascii=False, indent=2))
    else:
        for diag in analysis.diagnostics:
            print(diag)
        print(summary_line(root, len(analysis.errors), len(analysis.warnings), stats))
    return 1 if analysis.errors else 0


def _list_locations(root: Path) -> int:
    """Print the ids a story may write in 'location:' and 'heading:', from its route map, in the map's order."""
    from game.errors import RouteMapError
    from game.route import load_route_map
    from game.story.loader import analyse

    story = analyse(root, check_map=False).story
    if story is None or story.map_path is None:
        print(_("{root}: the story names no route map ('map:' in story.yaml)").format(root=root), file=sys.stderr)
        return 1
    try:
        route = load_route_map(story.map_path)
    except RouteMapError as exc:
        print(f"{story.map_path}: {exc.message}", file=sys.stderr)
        return 1
    width = max((len(i) for i in route.locations), default=0)
    for place in route.locations.values():
        print(f"{place.id:{width}}  {place.label} ({place.country})")
    print(ngettext("{count} place on {map}", "{count} places on {map}", len(route.locations)).format(
        count=number(len(route.locations)), map=os.path.normpath(story.map_path)))
    return 0


def summary_line(root: Path, errors: int, warnings: int, stats: dict[str, int]) -> str:
    """The last line of ``check``: ``story: 0 errors, 0 warnings (213 nodes, … in 17 files)``."""
    counts = {key: number(value) for key, value in stats.items()}
    return _("{root}: {errors}, {warnings} ({nodes} nodes, {choices} choices, {endings} endings, {words} words, "
             "{facts} facts in {files} files)").format(
        root=root,
        errors=ngettext("{count} error", "{count} errors", errors).format(count=number(errors)),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=number(warnings)),
        **counts)


def cmd_play(args: argparse.Namespace) -> int:
    from game.engine.presets import parse_presets
    from game.story.loader import load_story
    from game.story.suggest import did_you_mean

    if args.text and args.autoplay:
        print("escape-route play: " + _("--autoplay plays in the window, not with --text. In the terminal, "
                                        "'escape-route simulate' plays thousands of journeys, or give the answers on "
                                        "standard input: {example}").format(
                                            example="printf '1\\n2\\n' | escape-route play --text"), file=sys.stderr)
        return 2
    root = args.story or story_dir()
    story = load_story(root, lang=language())
    if args.start and args.start not in story.nodes:
        hint = did_you_mean(args.start, story.nodes, _("Run 'escape-route check' to list problems."))
        raise StoryError(_("--start: there is no node '{node}'. {hint}").format(node=args.start, hint=hint))
    presets = parse_presets(story, args.set)
    for note in presets.notes:
        print(f"escape-route: {note}", file=sys.stderr)
    if args.replay:
        from game.cli.classroom import cmd_replay

        return cmd_replay(story, args)
    state = None
    if args.from_note:
        from game.writer.notes import state_from_note

        state, notice = state_from_note(args.from_note, story)
        if notice and args.text:
            print(notice)
    if args.text:
        from game.textui import run_text

        return run_text(story, args.seed, args.resume, start=args.start, presets=presets, state=state)
    try:
        from game.ui.app import run_game
    except ImportError as exc:  # pragma: no cover - the UI ships with the package
        print("escape-route: " + _("the graphical game is unavailable ({reason}); play in the terminal with "
                                   "--text").format(reason=exc), file=sys.stderr)
        return 1
    from game.paths import running_from_repository

    hot_reload = (running_from_repository() or args.story is not None) and not args.autoplay
    return run_game(story, seed=args.seed, start=args.start, presets=presets, resume=args.resume,
                    autoplay=args.autoplay, fast=args.fast, quit_at_end=args.quit_at_end, state=state,
                    hot_reload=hot_reload, writer=args.writer or running_from_repository())
