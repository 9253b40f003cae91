"""The ``escape-route`` command: argument parsing only; the work happens in the modules it calls.

``escape-route`` alone starts the game; ``python -m game`` is the same command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from game import __version__
from game.errors import StoryError, StoryLoadError
from game.paths import story_dir


def _story_arg(parser: argparse.ArgumentParser, positional: bool = False) -> None:
    if positional:
        parser.add_argument("story", nargs="?", type=Path, default=None,
                            help="story folder (default: the shipped story)")
    else:
        parser.add_argument("--story", type=Path, default=None, help="story folder (default: the shipped story)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="escape-route",
        description="3,500 Miles: an interactive story of one escape from North Korea.",
    )
    parser.add_argument("--version", action="version", version=f"escape-route {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play the story (the default)")
    _story_arg(play)
    play.add_argument("--text", action="store_true", help="play in the terminal (also for screen readers)")
    play.add_argument("--seed", type=int, default=None, help="seed for the risks, to replay a journey exactly")
    play.add_argument("--continue", dest="resume", action="store_true", help="continue the autosaved journey")
    play.add_argument("--start", metavar="NODE", default=None, help="start at this node (for writers)")
    play.add_argument("--set", metavar="NAME=VALUE", action="append", default=[],
                      help="set a resource or flag before starting (for writers); may be repeated")
    play.add_argument("--autoplay", choices=("random", "first", "careful"), default=None,
                      help="let the game play itself through the real interface")
    play.add_argument("--fast", action="store_true", help="with --autoplay: no reading pauses")
    play.add_argument("--quit-at-end", action="store_true", help="with --autoplay: exit at the ending")
    play.add_argument("--replay", metavar="SESSION", default=None,
                      help="re-enact a recorded classroom session step by step")
    play.add_argument("--from-note", metavar="ID", default=None,
                      help="start at the exact moment a playtest note was taken")

    check = sub.add_parser("check", help="check story files and report every problem")
    _story_arg(check, positional=True)
    check.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    check.add_argument("--list-codes", action="store_true", help="list every diagnostic code with its hint")
    simulate = sub.add_parser("simulate", help="play the story many times and report endings, coverage, soft-locks")
    _story_arg(simulate, positional=True)
    simulate.add_argument("--runs", type=int, default=1000, help="number of playthroughs (default 1000)")
    simulate.add_argument("--seed", type=int, default=1, help="base seed (default 1)")
    simulate.add_argument("--policy", choices=("random", "careful", "greedy", "first", "all"), default="random",
                          help="how the simulated player chooses (default random; 'all' compares them)")
    simulate.add_argument("--workers", type=int, default=1, help="processes to use (results do not change)")
    simulate.add_argument("--json", action="store_true", help="print one JSON object")
    simulate.add_argument("--exhaustive", action="store_true",
                          help="exact ending probabilities over every choice and roll outcome")
    simulate.add_argument("--state-limit", type=int, default=200_000, help="with --exhaustive: states to explore")
    facilitate = sub.add_parser("facilitate", help="run the story with a class: votes, discussion, debrief")
    _story_arg(facilitate)
    from game.cli.classroom import add_facilitate_arguments, add_report_arguments

    add_facilitate_arguments(facilitate)
    report = sub.add_parser("report", help="write a class report (HTML, CSV) from recorded sessions")
    add_report_arguments(report)

    notes = sub.add_parser("notes", help="list playtest notes by file and line")
    notes.add_argument("file", nargs="?", type=Path, default=None, help="notes file (default: your notes)")
    notes.add_argument("--json", action="store_true")

    graph = sub.add_parser("graph", help="draw the story map (DOT, SVG, Mermaid or a self-contained HTML page)")
    _story_arg(graph, positional=True)
    graph.add_argument("--format", choices=("dot", "svg", "mermaid", "html"), default="dot")
    graph.add_argument("-o", "--output", default=None, help="output file (default: standard output)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["play", *(argv if argv is not None else sys.argv[1:])])
    try:
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
        return cmd_play(args)
    except KeyboardInterrupt:
        return 130
    except StoryLoadError as exc:
        print(f"escape-route: {exc}", file=sys.stderr)
        for diag in exc.diagnostics[:10]:
            print(diag, file=sys.stderr)
        return 1
    except StoryError as exc:
        print(f"escape-route: {exc}", file=sys.stderr)
        return 1


def cmd_check(args: argparse.Namespace) -> int:
    from game.story.diagnostics import CATALOGUE
    from game.story.loader import analyse

    if args.list_codes:
        for entry in CATALOGUE.values():
            print(f"{entry.code} {entry.severity.value:7} {entry.title}")
            hint = entry.hint if "{" not in entry.hint else "(a hint specific to the problem)"
            print(f"    {hint}")
        return 0
    root = args.story or story_dir()
    analysis = analyse(root)
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
        errors, warnings = len(analysis.errors), len(analysis.warnings)
        print(f"{root}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
              f"({stats['nodes']} nodes, {stats['choices']} choices, {stats['endings']} endings, "
              f"{stats['words']:,} words, {stats['facts']} facts in {stats['files']} files)")
    return 1 if analysis.errors else 0


def cmd_play(args: argparse.Namespace) -> int:
    from game.engine.presets import parse_presets
    from game.story.loader import load_story
    from game.story.suggest import did_you_mean

    root = args.story or story_dir()
    story = load_story(root)
    if args.start and args.start not in story.nodes:
        hint = did_you_mean(args.start, story.nodes, "Run 'escape-route check' to list problems.")
        raise StoryError(f"--start: there is no node '{args.start}'. {hint}")
    presets = parse_presets(story, args.set)
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
        print(f"escape-route: the graphical game is unavailable ({exc}); play in the terminal with --text",
              file=sys.stderr)
        return 1
    from game.paths import running_from_repository

    hot_reload = (running_from_repository() or args.story is not None) and not args.autoplay
    return run_game(story, seed=args.seed, start=args.start, presets=presets, resume=args.resume,
                    autoplay=args.autoplay, fast=args.fast, quit_at_end=args.quit_at_end, state=state,
                    hot_reload=hot_reload)
