"""``escape-route graph``: the story as a map of nodes and choices (DOT, SVG, Mermaid, HTML).

Nodes are coloured by chapter file, endings shaped and coloured by kind, edges
labelled with the (shortened) choice text; conditional choices are dashed, the
failure branch of a risk is a red dotted edge labelled with its odds, and nodes
that cannot be reached from the start are outlined in red.

The HTML page is one self-contained file: the SVG drawn by Graphviz (or, where
Graphviz is not installed, by a simple layered layout here), the story data as
JSON, and a small script for pan, zoom, search and a side panel that shows a
clicked node's text and its file:line. It loads nothing from the network.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import html
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections import defaultdict, deque
from pathlib import Path

from game.l10n import _, language
from game.paths import story_dir
from game.story.check import reachable, successors
from game.story.loader import load_story
from game.story.model import Story
from game.story.template import as_read

CHAPTER_COLOURS = ["#e8dcc8", "#d9e4d0", "#d6e0ea", "#eadad6", "#e4dbe9", "#f0e6c4", "#d3e6e2", "#e6d6c4",
                   "#dde0e6", "#e9e3d3"]
ENDING_STYLE = {  # kind: (fill, shape)
    "safe": ("#9cc49a", "doubleoctagon"),
    "caught": ("#d98c8c", "octagon"),
    "lost": ("#8f9bb3", "octagon"),
    "stayed": ("#c9b68f", "octagon"),
    "trapped": ("#b38fb3", "octagon"),
    "returned": ("#c2c2b0", "octagon"),
}


def short(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _dot_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _edges(story: Story):
    """(source, target, label, style) for every choice and every risk's failure branch."""
    for node in story.nodes.values():
        for choice in node.choices:
            style = "conditional" if choice.condition_source else "plain"
            if choice.goto in story.nodes:
                yield node.id, choice.goto, short(as_read(choice.text_source)), style
            if choice.roll and choice.roll.fail in story.nodes:
                odds = f"{round(choice.roll.constant * 100)}%" if choice.roll.constant is not None else "risk"
                yield node.id, choice.roll.fail, f"{odds}: {short(choice.roll.label, 20)}", "risk"


def _chapter_colours(story: Story) -> dict[str, str]:
    return {file: CHAPTER_COLOURS[i % len(CHAPTER_COLOURS)] for i, (file, _unused) in enumerate(story.chapters)}


def to_dot(story: Story) -> str:
    colours = _chapter_colours(story)
    live = reachable(story)
    lines = [
        "digraph story {",
        f"  graph [rankdir=TB, fontname=\"Helvetica\", label={_dot_str(story.title)}, labelloc=t, fontsize=20];",
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];",
        "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];",
    ]
    by_file: dict[str, list] = defaultdict(list)
    for node in story.nodes.values():
        by_file[node.file].append(node)
    for i, (file, title) in enumerate(story.chapters):
        lines.append(f"  subgraph cluster_{i} {{")
        lines.append(f"    label={_dot_str(title)}; style=dashed; color=\"#999999\"; fontsize=12;")
        for node in by_file.get(file, []):
            attrs = {"label": node.id if not node.title else f"{node.id}\n{short(node.title, 24)}",
                     "fillcolor": colours.get(node.file, "#eeeeee"), "tooltip": f"{node.file}:{node.span.line}"}
            if node.ending:
                fill, shape = ENDING_STYLE.get(node.ending.kind, ("#dddddd", "octagon"))
                attrs.update(fillcolor=fill, shape=shape, label=f"{node.ending.title}\n[{node.ending.kind}]")
            if node.id not in live:
                attrs.update(color="#d01010", penwidth="3")
            if node.id == story.start:
                attrs.update(penwidth="2.5", color="#222222")
            rendered = ", ".join(f"{k}={_dot_str(str(v))}" for k, v in attrs.items())
            lines.append(f"    {_dot_str(node.id)} [{rendered}];")
        lines.append("  }")
    for source, target, label, style in _edges(story):
        attrs = {"label": label}
        if style == "conditional":
            attrs["style"] = "dashed"
        elif style == "risk":
            attrs.update(style="dotted", color="#b22222", fontcolor="#b22222")
        rendered = ", ".join(f"{k}={_dot_str(v)}" for k, v in attrs.items())
        lines.append(f"  {_dot_str(source)} -> {_dot_str(target)} [{rendered}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_id(node_id: str) -> str:
    return "n_" + node_id


def _mermaid_text(text: str) -> str:
    return text.replace('"', "'").replace("[", "(").replace("]", ")").replace("|", "/")


def to_mermaid(story: Story) -> str:
    live = reachable(story)
    lines = ["flowchart TD"]
    for kind, (fill, _unused) in ENDING_STYLE.items():
        lines.append(f"  classDef {kind} fill:{fill},stroke:#333")
    lines.append("  classDef unreachable stroke:#d01010,stroke-width:3px")
    for i, (file, title) in enumerate(story.chapters):
        lines.append(f"  subgraph ch{i}[\"{_mermaid_text(title)}\"]")
        for node in (n for n in story.nodes.values() if n.file == file):
            label = _mermaid_text(node.ending.title if node.ending else (node.title or node.id))
            shape = f'{{{{"{label}"}}}}' if node.ending else f'["{label}"]'
            lines.append(f"    {_mermaid_id(node.id)}{shape}")
        lines.append("  end")
    for source, target, label, style in _edges(story):
        arrow = {"plain": "-->", "conditional": "-.->", "risk": "-.->"}[style]
        lines.append(f"  {_mermaid_id(source)} {arrow}|\"{_mermaid_text(label)}\"| {_mermaid_id(target)}")
    for node in story.nodes.values():
        if node.ending:
            lines.append(f"  class {_mermaid_id(node.id)} {node.ending.kind}")
        if node.id not in live:
            lines.append(f"  class {_mermaid_id(node.id)} unreachable")
    return "\n".join(lines) + "\n"


def graphviz_svg(dot_text: str) -> str | None:
    """Render DOT with Graphviz's ``dot`` if it is installed; None otherwise."""
    exe = shutil.which("dot")
    if exe is None:
        return None
    result = subprocess.run([exe, "-Tsvg"], input=dot_text, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"Graphviz failed: {result.stderr.strip()[:300]}")
    return result.stdout


def layered_svg(story: Story) -> str:
    """A plain layered drawing for machines without Graphviz: one row per distance from the start."""
    depth: dict[str, int] = {}
    if story.start in story.nodes:
        depth[story.start] = 0
        queue = deque([story.start])
        while queue:
            current = queue.popleft()
            for nxt in successors(story, current):
                if nxt not in depth:
                    depth[nxt] = depth[current] + 1
                    queue.append(nxt)
    extra = max(depth.values(), default=0) + 1
    rows: dict[int, list[str]] = defaultdict(list)
    for node_id in story.nodes:
        rows[depth.get(node_id, extra)].append(node_id)
    width, height, gap_x, gap_y = 150, 40, 30, 70
    pos = {}
    widest = max((len(r) for r in rows.values()), default=1)
    for level, ids in rows.items():
        offset = (widest - len(ids)) * (width + gap_x) / 2
        for i, node_id in enumerate(ids):
            pos[node_id] = (20 + offset + i * (width + gap_x), 20 + level * (height + gap_y))
    colours = _chapter_colours(story)
    live = reachable(story)
    total_w = widest * (width + gap_x) + 40
    total_h = (max(rows) + 1) * (height + gap_y) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:.0f}pt" height="{total_h:.0f}pt" '
             f'viewBox="0 0 {total_w:.0f} {total_h:.0f}"><g id="graph0" class="graph">']
    for source, target, _label, style in _edges(story):
        (x1, y1), (x2, y2) = pos[source], pos[target]
        colour = "#b22222" if style == "risk" else "#555"
        dash = ' stroke-dasharray="4 3"' if style != "plain" else ""
        parts.append(f'<g class="edge"><title>{html.escape(source)}-&gt;{html.escape(target)}</title>'
                     f'<line x1="{x1 + width / 2:.0f}" y1="{y1 + height:.0f}" x2="{x2 + width / 2:.0f}" y2="{y2:.0f}" '
                     f'stroke="{colour}"{dash}/></g>')
    for node_id, (x, y) in pos.items():
        node = story.nodes[node_id]
        fill = ENDING_STYLE.get(node.ending.kind, ("#ddd", ""))[0] if node.ending else colours.get(node.file, "#eee")
        stroke = "#d01010" if node_id not in live else "#333"
        label = node.ending.title if node.ending else node_id
        parts.append(f'<g class="node"><title>{html.escape(node_id)}</title>'
                     f'<rect x="{x:.0f}" y="{y:.0f}" width="{width}" height="{height}" rx="6" fill="{fill}" '
                     f'stroke="{stroke}"/><text x="{x + width / 2:.0f}" y="{y + 24:.0f}" text-anchor="middle" '
                     f'font-family="Helvetica" font-size="11">{html.escape(short(label, 22))}</text></g>')
    parts.append("</g></svg>")
    return "".join(parts)


def _node_data(story: Story) -> dict:
    live = reachable(story)
    return {
        node.id: {
            "title": node.title,
            "chapter": node.chapter,
            "where": f"{node.file}:{node.span.line}",
            "text": as_read(node.text_source).strip(),  # as read: "[her cousin / the post]"
            "ending": {"kind": node.ending.kind, "title": node.ending.title} if node.ending else None,
            "choices": [{"text": as_read(c.text_source), "goto": c.goto, "if": c.condition_source,
                         "risk": f"{c.roll.chance_source}: {c.roll.label} → {c.roll.fail}" if c.roll else ""}
                        for c in node.choices],
            "reachable": node.id in live,
        }
        for node in story.nodes.values()
    }


PAGE = Path(__file__).with_name("graph_page.html")  # the page around the drawing: styles and script


def to_html(story: Story) -> str:
    svg = graphviz_svg(to_dot(story)) or layered_svg(story)
    svg = svg[svg.find("<svg"):]  # drop the XML prologue and DOCTYPE Graphviz writes
    data = json.dumps(_node_data(story), ensure_ascii=False).replace("</", "<\\/")
    title = html.escape(story.title)
    return PAGE.read_text(encoding="utf-8").replace("__TITLE__", title).replace("__DATA__", data).replace("__SVG__", svg)


def cmd_graph(args: argparse.Namespace) -> int:
    root = args.story or story_dir()
    # A story with errors is refused as play refuses it, with check's count; its text is in the language spoken.
    story = load_story(root, lang=language())
    if args.format == "dot":
        output = to_dot(story)
    elif args.format == "mermaid":
        output = to_mermaid(story)
    elif args.format == "html":
        output = to_html(story)
    else:
        svg = graphviz_svg(to_dot(story))
        if svg is None:
            print("escape-route graph: " + _("--format svg needs Graphviz's 'dot' (on Debian: sudo apt-get install "
                                             "graphviz); --format html works without it"), file=sys.stderr)
            return 1
        output = svg
    if args.output in (None, "-"):
        sys.stdout.write(output)
    else:
        write_output(Path(args.output), output)
        print(f"wrote {args.output} ({len(story.nodes)} nodes)")
    return 0


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole, or leave what was there: a full disk never leaves half a graph.

    A new or regular file is written beside itself and renamed over; a device or a pipe
    (``/dev/stdout``), or a file in a folder where no new file may be made, is written
    in place. A folder, a missing folder or a place that cannot be written raises an
    ``OSError`` naming ``path``, which the command line turns into one sentence
    (``game.cli.main.describe_os_error``).
    """
    target = path.resolve() if path.is_symlink() else path
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "cannot write the graph there", str(path))
    if target.parent.exists() and not target.parent.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "cannot write the graph there", str(path))
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "cannot write the graph there", str(path))
    fd = None
    if not target.exists() or target.is_file():
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the usual mode, after the umask
        except OSError as exc:
            if not target.exists():
                raise type(exc)(exc.errno, f"cannot write the graph there ({exc.strerror})", str(path)) from None
    if fd is None:  # a device or a pipe, or a file in a folder where no new file may be made: in place
        try:
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise type(exc)(exc.errno, f"cannot write the graph there ({exc.strerror})", str(path)) from None
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise type(exc)(exc.errno, f"cannot write the graph there ({exc.strerror})", str(path)) from None
        raise
