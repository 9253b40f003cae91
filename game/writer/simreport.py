"""``escape-route simulate``: runs the simulator and prints its report for writers (in the language of ``--lang``;
the JSON keeps its keys)."""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction

from game.engine import sim
from game.engine.spread import PLACES_SHOWN, Reads, Spread, where_read
from game.l10n import _, language, ngettext, number
from game.paths import story_dir
from game.story.loader import load_story
from game.story.template import as_read


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
    story = load_story(root, lang=language())  # the text in the language spoken, where the story is translated
    start = getattr(args, "start", None)
    if start and start not in story.nodes:
        hint = did_you_mean(start, story.nodes, _("Run 'escape-route check' to list problems."))
        raise StoryError(_("--start: there is no node '{node}'. {hint}").format(node=start, hint=hint))
    presets = parse_presets(story, getattr(args, "set", []) or [])
    for note in presets.notes:
        print(f"escape-route: {note}", file=sys.stderr)
    if args.exhaustive:
        return _exhaustive(story, args, start, presets)
    policies = ["random", "careful", "greedy", "first"] if args.policy == "all" else [args.policy]
    progress = _progress(sys.stderr) if sys.stderr.isatty() and not args.json else None
    reports = {}
    for policy in policies:
        results = sim.run_many(story, policy, args.runs, args.seed, args.workers, progress, start, presets)
        reports[policy] = sim.summarise(story, results, policy, args.seed)
        if start:
            _cover_from(story, reports[policy], start)
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
            print(_("Safe-ending rate by policy:"))
            for policy, report in reports.items():
                print(f"  {policy:8} {report['safe_rate']:6.1%}")
    return 1 if any(r["soft_locks"] or r["loops"] for r in reports.values()) else 0


def _cover_from(story, report: dict, start: str) -> None:
    """Coverage counted over the nodes reachable from ``start`` (ignoring conditions), not the whole story.

    A run that starts mid-story cannot visit the scenes before it; counting them would
    bury the writer's own branch under nodes no run could reach.
    """
    from game.story.check import successors

    reach, queue = {start}, [start]
    while queue:
        for target in successors(story, queue.pop()):
            if target not in reach:
                reach.add(target)
                queue.append(target)
    unvisited = [item for item in report["unvisited_nodes"] if item["node"] in reach]
    untaken = [item for item in report["untaken_choices"] if item["node"] in reach]
    choices = sum(len(story.nodes[n].choices) for n in reach)
    report.update(
        coverage_from=start,
        coverage_nodes=len(reach),
        node_coverage=(len(reach) - len(unvisited)) / len(reach),
        choice_coverage=(choices - len(untaken)) / choices if choices else 0.0,
        unvisited_nodes=unvisited,
        untaken_choices=untaken,
    )


#: Without --start, how many never-visited nodes and never-taken choices the text report lists
#: (it says how many more there are; --json lists them all).
SHOWN = 20


def _print_report(report: dict) -> None:
    runs = report["runs"]
    print(_("{runs} playthroughs, policy '{policy}', seed {seed}").format(runs=runs, policy=report["policy"],
                                                                        seed=report["seed"]))
    print()
    print(_("Endings (share, {level} interval):").format(level="95%"))
    for eid, info in sorted(report["ending_shares"].items(), key=lambda kv: -kv[1]["count"]):
        low, high = info["ci95"]
        print(f"  {eid:28} {info['count']:6}  {info['share']:6.1%}  [{low:.1%}–{high:.1%}]")
    print("  " + _("safe endings: {share}").format(share=f"{report['safe_rate']:.1%}"))
    print()
    over = (_(" of the {count} nodes reachable from '{start}'").format(count=report["coverage_nodes"],
                                                                         start=report["coverage_from"])
            if "coverage_from" in report else "")
    print(_("Node coverage {nodes}{over}, choice coverage {choices}").format(
        nodes=f"{report['node_coverage']:.1%}", over=over, choices=f"{report['choice_coverage']:.1%}"))
    shown = None if "coverage_from" in report else SHOWN  # from a scene: every one, it is the writer's branch
    nodes, choices = report["unvisited_nodes"], report["untaken_choices"]
    for item in nodes[:shown]:
        print("  " + _("never visited: {where}").format(where=f"{item['file']}:{item['line']}: {item['node']}"))
    if shown is not None and len(nodes) > shown:
        print("  " + _("… and {count} more nodes never visited (--json lists them all)").format(count=len(nodes) - shown))
    for item in choices[:shown]:
        print("  " + _("never taken:   {where} choice {choice} ({text})").format(
            where=f"{item['file']}:{item['line']}: {item['node']}", choice=item["choice"], text=_short(as_read(item["text"]))))
    if shown is not None and len(choices) > shown:
        print("  " + _("… and {count} more choices never taken (--json lists them all)").format(
            count=len(choices) - shown))
    print()
    for lock in report["soft_locks"][:10]:
        print("  " + _("SOFT-LOCK at '{node}' in run {run}: {path}").format(
            node=lock["node"], run=lock["run"], path=" → ".join(lock["path"][-8:])))
    if len(report["soft_locks"]) > 10:
        print("  " + _("… {count} of the {runs} runs ended in a soft-lock (--json lists them all)").format(
            count=number(len(report["soft_locks"])), runs=number(report["runs"])))
    for loop in report["loops"][:10]:
        print("  " + _("LOOP: run {run} still at '{node}' after {steps} choices").format(
            run=loop["run"], node=loop["node"], steps=loop["steps"]))
    if len(report["loops"]) > 10:
        print("  " + _("… {count} of the {runs} runs were still going round after {steps} choices (--json lists "
                       "them all)").format(count=number(len(report["loops"])), runs=number(report["runs"]),
                                           steps=number(sim.STEP_LIMIT)))
    if not report["soft_locks"] and not report["loops"]:
        print(_("No soft-locks, no endless loops."))
    print()
    print(_("Resources at the endings (min / median / max):"))
    for name, stats in report["resources_at_endings"].items():
        print(f"  {name:10} {stats['min']:>10,.0f} {stats['median']:>10,.0f} {stats['max']:>10,.0f}")
    words = report["mean_words"]
    print(_("A journey: {choices} choices on average (median {median}), {words} words (about {minutes} minutes of "
            "reading at 200 words a minute)").format(choices=f"{report['mean_choices']:.1f}",
                                                     median=report["median_choices"], words=f"{words:,.0f}",
                                                     minutes=f"{words / 200:.0f}"))
    print()


def _short(text: str, width: int = 50) -> str:
    """A choice's text for one line of the report: whole words, and "…" where it was cut."""
    if len(text) <= width:
        return text
    cut = text[:width - 1].rsplit(" ", 1)[0] if " " in text[:width - 1] else text[:width - 1]
    return cut.rstrip(" ,;:") + "…"


def _share(p: Fraction) -> str:
    """An exact probability as a percentage for the eye (8 wide): never "0.000%" for one that is not 0."""
    return f"{'<0.001%':>8}" if 0 < p < Fraction(1, 100_000) else f"{float(p):8.3%}"


FRACTION_WIDTH = 40  # characters of a fraction the text report prints whole


def _written(p: Fraction) -> str:
    """The exact fraction, or its first digits and how long it is (some run to hundreds of digits)."""
    whole = f"{p.numerator}/{p.denominator}"
    if len(whole) <= FRACTION_WIDTH:
        return whole
    top, bottom = str(p.numerator), str(p.denominator)
    return _("{top}…/{bottom}… ({top_digits} and {bottom_digits} digits; --json gives it whole)").format(
        top=top[:6], bottom=bottom[:6], top_digits=len(top), bottom_digits=len(bottom))


def _fraction(value: Fraction) -> dict:
    return {"fraction": f"{value.numerator}/{value.denominator}", "value": float(value)}


#: How many of the values that keep the states apart the report names (the JSON has them all).
SPREAD_SHOWN = 5


def _places(spans: list) -> str:
    """"story/02_river.yaml:95, story/02_river.yaml:120, …": the first few places, then an ellipsis."""
    shown = ", ".join(f"{span.file}:{span.line}" for span in spans[:PLACES_SHOWN])
    return shown + (", …" if len(spans) > PLACES_SHOWN else "")


def _read_words(reads: Reads) -> str:
    """Where the story reads a value, by kind: the reason the walk keeps it (exactly, or as a range)."""
    words = {
        "chance": lambda n: ngettext("read in {count} chance", "read in {count} chances", n),
        "computed": lambda n: ngettext("read in {count} computed effect", "read in {count} computed effects", n),
        "condition": lambda n: ngettext("read in {count} condition that does more than compare it with a number",
                                        "read in {count} conditions that do more than compare it with a number", n),
        "compared": lambda n: ngettext("compared with a number at {count} place",
                                       "compared with a number at {count} places", n),
    }
    parts = [words[kind](len(spans)).format(count=number(len(spans))) + f" ({_places(spans)})"
             for kind in words if (spans := reads.places.get(kind))]
    return "; ".join(parts)


def _spread_lines(found: list[Spread], reads: dict[str, Reads]) -> list[str]:
    """What kept the walk's states apart, for a writer who wants the exact odds: the values that take the most
    different amounts at one passage, and where the story reads them."""
    shown = [item for item in found if item.typical >= 1.5][:SPREAD_SHOWN]
    if not shown:
        return []
    lines = ["  " + _("The states are many because these values take many different amounts at the same passage:")]
    for item in shown:
        lines.append("    " + _("{name}: about {typical} ({most} at '{node}'), {why}").format(
            name=item.name, typical=number(round(item.typical)), most=number(item.most), node=item.where,
            why=_read_words(reads.get(item.name, Reads())) or _("read by the policy")))
    lines.append("  " + _("A value read in a chance or a computed effect, or compared with another value, is kept "
                          "exactly. One only compared with numbers is kept as the range it lies in between them, "
                          "counted from each passage, so a single test reached after many different sums can still "
                          "split it many ways. The fewer amounts meet at a passage, the fewer states."))
    return lines


def _spread_json(found: list[Spread], reads: dict[str, Reads]) -> list[dict]:
    return [{"name": item.name, "typical": round(item.typical, 2), "most": item.most, "at": item.where,
             "read": {kind: [f"{span.file}:{span.line}" for span in spans]
                      for kind, spans in reads.get(item.name, Reads()).places.items() if spans}}
            for item in found]


def _exhaustive(story, args: argparse.Namespace, start: str | None = None, presets: dict | None = None) -> int:
    policies = ["random", "careful", "greedy", "first"] if args.policy == "all" else [args.policy]
    results = {p: sim.exhaustive(story, p, args.state_limit, start=start, presets=presets) for p in policies}
    reads = where_read(story) if any(r["spread"] for r in results.values()) else {}
    if args.json:
        print(json.dumps({p: {
            "endings": {k: _fraction(v) for k, v in r["endings"].items()},
            "kinds": {k: _fraction(v) for k, v in r["kinds"].items()},
            "soft_locks": {k: _fraction(v) for k, v in r["soft_locks"].items()},
            "loops": {k: _fraction(v) for k, v in r["loops"].items()},
            "unresolved": _fraction(r["unresolved"]),
            "states": r["states"],
            "hit_limit": r["hit_limit"],
            "merged_from": r["beyond"],
            "spread": _spread_json(r["spread"], reads),
            "seconds": round(r["seconds"], 3),
        } for p, r in results.items()}, indent=2))
        return 1 if any(r["soft_locks"] or r["loops"] for r in results.values()) else 0
    for policy, r in results.items():
        label = _("uniform choice") if policy == "random" else _("the '{policy}' policy").format(policy=policy)
        where = _(" from '{node}'").format(node=start) if start else ""
        print(_("Exact ending probabilities under {label}{where} ({states} distinct states, {seconds} s):").format(
            label=label, where=where, states=f"{r['states']:,}", seconds=f"{r['seconds']:.1f}"))
        for eid, p in sorted(r["endings"].items(), key=lambda kv: -kv[1]):
            print(f"  {eid:28} {_share(p)}   {_written(p)}")
        for node, p in r["soft_locks"].items():
            print("  " + _("SOFT-LOCK at {node}").format(node=f"{node:21}")
                  + f" {_share(p)}   {_written(p)}")
        for node, p in r["loops"].items():
            print("  " + _("ENDLESS LOOP at {node}").format(node=f"{node:18}")
                  + f" {_share(p)}   {_written(p)}")
        for name, floor in r["beyond"].items():
            if name.startswith("visits("):
                print("  " + _("{count} visits to '{node}' or more counted as one: the walk proved that nothing "
                               "after tells them apart").format(count=number(floor), node=name[7:-1]))
                continue
            resource = story.resources[name]
            print("  " + _("{label} from {amount} up counted as one: the walk proved that nothing after tells such "
                           "amounts apart").format(label=resource.label, amount=resource.format(floor)))
        if r["hit_limit"]:
            undecided = float(r["unresolved"])
            share = f"{undecided:.3%}" if undecided >= 1e-5 else f"{undecided:.1e}"
            print("  " + _("state limit reached: {share} of the probability is still undecided; each figure above is "
                           "exact for the decided journeys, and the true one lies between it and it plus that share "
                           "(raise --state-limit, or start from a scene with --start NODE --set NAME=VALUE)").format(
                share=share))
            for line in _spread_lines(r["spread"], reads):
                print(line)
        print()
    return 1 if any(r["soft_locks"] or r["loops"] for r in results.values()) else 0
