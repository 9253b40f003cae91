"""``escape-route simulate``: runs the simulator and prints its report for writers."""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction

from game.engine import sim
from game.paths import story_dir
from game.story.loader import load_story


def _progress(stream):
    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def cmd_simulate(args: argparse.Namespace) -> int:
    from game.engine.presets import parse_presets
    from game.errors import StoryError
    from game.story.suggest import did_you_mean

    root = args.story or story_dir()
    story = load_story(root)
    start = getattr(args, "start", None)
    if start and start not in story.nodes:
        raise StoryError(f"--start: there is no node '{start}'. "
                         + did_you_mean(start, story.nodes, "Run 'escape-route check' to list problems."))
    presets = parse_presets(story, getattr(args, "set", []) or [])
    if args.exhaustive:
        return _exhaustive(story, args, start, presets)
    policies = ["random", "careful", "greedy", "first"] if args.policy == "all" else [args.policy]
    progress = _progress(sys.stderr) if sys.stderr.isatty() and not args.json else None
    reports = {}
    for policy in policies:
        results = sim.run_many(story, policy, args.runs, args.seed, args.workers, progress, start, presets)
        reports[policy] = sim.summarise(story, results, policy, args.seed)
    if args.json:
        if len(reports) == 1:
            print(json.dumps(next(iter(reports.values())), ensure_ascii=False, indent=2))
        else:
            out = dict(reports["random"])
            out["policies"] = {p: {"safe_rate": r["safe_rate"], "endings": r["endings"], "mean_choices": r["mean_choices"]}
                               for p, r in reports.items()}
            print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for report in reports.values():
            _print_report(report)
        if len(reports) > 1:
            print("Safe-ending rate by policy:")
            for policy, report in reports.items():
                print(f"  {policy:8} {report['safe_rate']:6.1%}")
    return 1 if any(r["soft_locks"] or r["loops"] for r in reports.values()) else 0


def _print_report(report: dict) -> None:
    runs = report["runs"]
    print(f"{runs} playthroughs, policy '{report['policy']}', seed {report['seed']}")
    print()
    print("Endings (share, 95% interval):")
    for eid, info in sorted(report["ending_shares"].items(), key=lambda kv: -kv[1]["count"]):
        low, high = info["ci95"]
        print(f"  {eid:28} {info['count']:6}  {info['share']:6.1%}  [{low:.1%}–{high:.1%}]")
    print(f"  safe endings: {report['safe_rate']:.1%}")
    print()
    print(f"Node coverage {report['node_coverage']:.1%}, choice coverage {report['choice_coverage']:.1%}")
    for item in report["unvisited_nodes"][:20]:
        print(f"  never visited: {item['file']}:{item['line']}: {item['node']}")
    for item in report["untaken_choices"][:20]:
        print(f"  never taken:   {item['file']}:{item['line']}: {item['node']} choice {item['choice']} "
              f"({item['text'][:50]})")
    if len(report["untaken_choices"]) > 20:
        print(f"  … and {len(report['untaken_choices']) - 20} more choices never taken")
    print()
    for lock in report["soft_locks"][:10]:
        print(f"  SOFT-LOCK at '{lock['node']}' in run {lock['run']}: {' → '.join(lock['path'][-8:])}")
    for loop in report["loops"][:10]:
        print(f"  LOOP: run {loop['run']} still at '{loop['node']}' after {loop['steps']} choices")
    if not report["soft_locks"] and not report["loops"]:
        print("No soft-locks, no endless loops.")
    print()
    print("Resources at the endings (min / median / max):")
    for name, stats in report["resources_at_endings"].items():
        print(f"  {name:10} {stats['min']:>10,.0f} {stats['median']:>10,.0f} {stats['max']:>10,.0f}")
    words = report["mean_words"]
    print(f"A journey: {report['mean_choices']:.1f} choices on average (median {report['median_choices']}), "
          f"{words:,.0f} words (about {words / 200:.0f} minutes of reading at 200 words a minute)")
    print()


def _fraction(value: Fraction) -> dict:
    return {"fraction": f"{value.numerator}/{value.denominator}", "value": float(value)}


def _exhaustive(story, args: argparse.Namespace, start: str | None = None, presets: dict | None = None) -> int:
    policies = ["random", "careful", "greedy", "first"] if args.policy == "all" else [args.policy]
    results = {p: sim.exhaustive(story, p, args.state_limit, start=start, presets=presets) for p in policies}
    if args.json:
        print(json.dumps({p: {
            "endings": {k: _fraction(v) for k, v in r["endings"].items()},
            "kinds": {k: _fraction(v) for k, v in r["kinds"].items()},
            "soft_locks": {k: _fraction(v) for k, v in r["soft_locks"].items()},
            "loops": {k: _fraction(v) for k, v in r["loops"].items()},
            "unresolved": _fraction(r["unresolved"]),
            "states": r["states"],
            "hit_limit": r["hit_limit"],
            "seconds": round(r["seconds"], 3),
        } for p, r in results.items()}, indent=2))
        return 1 if any(r["soft_locks"] or r["loops"] for r in results.values()) else 0
    for policy, r in results.items():
        label = "uniform choice" if policy == "random" else f"the '{policy}' policy"
        where = f" from '{start}'" if start else ""
        print(f"Exact ending probabilities under {label}{where} ({r['states']:,} distinct states, "
              f"{r['seconds']:.1f} s):")
        for eid, p in sorted(r["endings"].items(), key=lambda kv: -kv[1]):
            print(f"  {eid:28} {float(p):8.3%}   {p.numerator}/{p.denominator}")
        for node, p in r["soft_locks"].items():
            print(f"  SOFT-LOCK at {node:21} {float(p):8.3%}   {p.numerator}/{p.denominator}")
        for node, p in r["loops"].items():
            print(f"  ENDLESS LOOP at {node:18} {float(p):8.3%}   {p.numerator}/{p.denominator}")
        if r["hit_limit"]:
            undecided = float(r["unresolved"])
            share = f"{undecided:.3%}" if undecided >= 1e-5 else f"{undecided:.1e}"
            print(f"  state limit reached: {share} of the probability is still undecided; each figure above is "
                  f"exact for the decided journeys, and the true one lies between it and it plus that share "
                  f"(raise --state-limit, or start from a scene with --start NODE --set NAME=VALUE)")
        print()
    return 1 if any(r["soft_locks"] or r["loops"] for r in results.values()) else 0
