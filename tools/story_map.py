"""Regenerate the parts of docs/story-map.md that come from the story: the chapter links, the endings graph and table.

    python tools/story_map.py          # rewrites the marked parts of docs/story-map.md
    python tools/story_map.py --links  # only the chapter links (no simulation, so no new shares)

The chapter boxes and the "Main branches" table are written by hand. The arrows between
chapters (each labelled with the nodes by which the story enters the next chapter), the
endings (their ids, kinds, nodes, places, what leads to them) and the shares a random and
a careful simulated player reach are generated between markers (Mermaid comments in the
graph, an HTML comment around the table), so the page cannot fall behind the story.
``--links`` exists because the shares move with every story change and are refreshed on
purpose, while the links must simply be right.
tests/test_project.py checks that the page's links are :func:`chapter_links` of the story
and that it names exactly the story's endings.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.engine import sim  # noqa: E402
from game.story.check import successors  # noqa: E402
from game.story.loader import load_story  # noqa: E402
from game.story.model import ENDING_KIND_LABELS  # noqa: E402

DOC = ROOT / "docs" / "story-map.md"
RUNS, SEED = 2000, 1


def shares(story, policy: str) -> dict[str, float]:
    results = sim.run_many(story, policy, RUNS, SEED)
    report = sim.summarise(story, results, policy, SEED)
    return {ending: data["share"] for ending, data in report["ending_shares"].items()}


def chapter_numbers(story) -> dict[str, int]:
    """Node id → its chapter's number (1 for the first file; 0 for a node in no chapter)."""
    chapters = [title for _, title in story.chapters]
    return {node.id: chapters.index(node.chapter) + 1 if node.chapter in chapters else 0
            for node in story.nodes.values()}


def chapter_links(story) -> str:
    """The graph's arrows between chapters, each labelled with the nodes it enters by.

    A choice that leads into another chapter's node (an ending aside: endings have their
    own arrows) makes a link. Most chapters hand over through one node, but not all: the
    river reaches China at two banks, a flight from Laos skips the Mekong and Thailand, the
    Lao police send a player back from the Mekong. A link that goes back, or skips a
    chapter, is dotted, so the usual order stands out.
    """
    number = chapter_numbers(story)
    entries: dict[tuple[int, int], set[str]] = defaultdict(set)
    for node in story.nodes.values():
        for target in successors(story, node.id):
            a, b = number[node.id], number.get(target, 0)
            if a and b and a != b and story.nodes[target].ending is None:
                entries[a, b].add(target)
    lines = []
    for (a, b), targets in sorted(entries.items()):
        arrow = "-->" if b == a + 1 else "-.->"
        lines.append(f"  C{a} {arrow}|{' or '.join(sorted(targets))}| C{b}")
    return "\n".join(lines)


def generate() -> tuple[str, str]:
    """(the graph's ending lines, the endings table) for the story as it is."""
    story = load_story(ROOT / "story")
    chapter_of = chapter_numbers(story)
    sources = defaultdict(set)
    for node in story.nodes.values():
        for target in successors(story, node.id):
            sources[target].add(node.id)
    random_share, careful_share = shares(story, "random"), shares(story, "careful")
    graph, rows = [], []
    seen = set()
    for node in story.nodes.values():
        ending = node.ending
        if ending is None or ending.id in seen:
            continue
        seen.add(ending.id)
        nodes = [n for n in story.nodes.values() if n.ending and n.ending.id == ending.id]
        label = ENDING_KIND_LABELS.get(ending.kind, ending.kind)
        graph.append(f"  C{chapter_of[node.id]} --> {ending.id}{{{{{ending.id} · {label}}}}}")
        froms = sorted({s for n in nodes for s in sources[n.id]})
        where = ", ".join(sorted({place for n in nodes for place in n.places()})) or "—"
        files = ", ".join(f"`{n.id}` ({Path(n.file).name})" for n in nodes)
        rows.append(f"| `{ending.id}` | {label} | {files} | {where} | {', '.join(f'`{f}`' for f in froms)} | "
                    f"{random_share.get(ending.id, 0):.1%} | {careful_share.get(ending.id, 0):.1%} |")
    ids = ",".join(sorted(seen))
    graph += ["", "  classDef ending fill:#e6e6e6,stroke:#616161;", f"  class {ids} ending;"]
    table = ["| ending id | kind | node (file) | where | how it is reached (from) | R | C |",
             "|---|---|---|---|---|---|---|", *rows]
    return "\n".join(graph), "\n".join(table)


def replace_between(text: str, begin: str, end: str, body: str) -> str:
    pattern = re.compile(rf"({re.escape(begin)}\n).*?({re.escape(end)})", re.S)
    if not pattern.search(text):
        raise SystemExit(f"story_map: docs/story-map.md has no {begin} … {end} markers")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


LINKS = ("  %% chapter links: begin (tools/story_map.py)", "  %% chapter links: end")


def main(argv: list[str] | None = None) -> int:
    # An option the tool does not know must not rewrite the page: `--help` once did.
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Rewrites the chapter links, the endings graph and the endings table between their markers in "
               f"docs/story-map.md; shares from {RUNS} simulated journeys per policy, seed {SEED}.")
    parser.add_argument("--links", action="store_true", help="rewrite only the chapter links (no simulation)")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    text = replace_between(text, *LINKS, chapter_links(load_story(ROOT / "story")))
    if args.links:
        DOC.write_text(text, encoding="utf-8")
        print(f"story_map: the chapter links in {DOC} rewritten")
        return 0
    graph, table = generate()
    text = replace_between(text, "  %% endings graph: begin (tools/story_map.py)", "  %% endings graph: end", graph)
    text = replace_between(text, "<!-- endings table: begin (tools/story_map.py) -->", "<!-- endings table: end -->", table)
    DOC.write_text(text, encoding="utf-8")
    print(f"story_map: {DOC} rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
