#!/usr/bin/env python3
"""The rows of "Every number, by chapter" in docs/model.md, as the chapter files give them today.

docs/model.md lists every number a chapter sets (each effect, hidden cost, risk and
numeric condition of every choice, and each effect on arriving at a node) with its
basis: sourced, estimated or a model scale. The basis is a person's judgement and is
kept by hand; which numbers there are is not, and it drifts when a writer changes a
chapter. This tool writes the first three columns from the story, so that

    python tools/model_numbers.py --check     # what docs/model.md lacks or still lists (exit 1 if any)
    python tools/model_numbers.py             # every row, with the YAML's own comment as a first basis

tell the writer which rows to add, change or remove. ``tests/test_model_numbers.py``
runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.story import expr as ex  # noqa: E402
from game.story.loader import load_story  # noqa: E402
from game.story.model import Effect, Story  # noqa: E402

MODEL = ROOT / "docs" / "model.md"
WHEN_WIDTH = 60  # a choice's text is cut to this many characters in the table
_ROW = re.compile(r"^\| `(?P<node>[^`]+)` \| (?P<when>.*?) \| (?P<numbers>.*?) \| (?P<basis>.*) \|$")


def _effects(effects: tuple[Effect, ...], story: Story) -> list[str]:
    """``cash +30``, ``set cash = 0``, ``cash 0 - min(cash / 2, 1000)``: the resources an effect changes."""
    out = []
    for e in effects:
        if e.target not in story.resources:
            continue  # flags and items are not numbers
        value = e.source if e.computed else _number(e.value)
        if e.kind == "set":
            out.append(f"set {e.target} = {value}")
        elif e.computed:
            out.append(f"{e.target} {value}")
        else:
            out.append(f"{e.target} {'+' if e.value >= 0 else ''}{value}")
    return out


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _has_number(tree: ex.Expr | None) -> bool:
    return tree is not None and any(isinstance(node, ex.Num) for node in ex.walk(tree))


_DIRECTIVE = re.compile(r"\{(if [^}]*|elif [^}]*|else|end)\}")


def first_branches(template: str) -> str:
    """A choice's text as the table names it: each ``{if …}`` read as its first branch ("Keep up with Phet"
    for ``{if with_group}Keep up with Phet{else}Keep going{end}``); ``{name}``s stay as written."""
    out, skipping = [], []  # per open {if}: whether its current branch is left out
    at = 0
    for match in _DIRECTIVE.finditer(template):
        if not any(skipping):
            out.append(template[at:match.start()])
        word = match.group(1)
        if word.startswith("if "):
            skipping.append(False)
        elif skipping and word != "end":
            skipping[-1] = True  # {elif} or {else}: past the first branch
        elif skipping:
            skipping.pop()
        at = match.end()
    out.append(template[at:])
    return "".join(out)


def _when(text: str) -> str:
    text = " ".join(first_branches(text).split())
    return text if len(text) <= WHEN_WIDTH else text[:WHEN_WIDTH - 1] + "…"


def rows(story: Story) -> dict[str, list[tuple[str, str, str]]]:
    """For each chapter file (in reading order), its rows: (node, when, numbers)."""
    by_file: dict[str, list[tuple[str, str, str]]] = {file: [] for file, _title in story.chapters}
    for node in story.nodes.values():
        found = by_file.setdefault(node.file, [])
        arriving = _effects(node.effects, story)
        if arriving:
            found.append((node.id, "on arrival", ", ".join(arriving)))
        for choice in node.choices:
            parts = []
            shown = _effects(choice.effects, story)
            if shown:
                parts.append(", ".join(shown))
            hidden = _effects(choice.hidden, story)
            if hidden:
                parts.append("hidden: " + ", ".join(hidden))
            roll = choice.roll
            if roll is not None:
                risk = f"risk {roll.chance_source} ({roll.label} → {roll.fail})"
                failed = _effects(roll.fail_effects, story)
                if failed:
                    risk += ", then " + ", ".join(failed)
                parts.append(f"**hidden** {risk}, no odds shown" if roll.hidden else risk)
            if _has_number(choice.condition_tree):
                parts.append(f"needs {' '.join(choice.condition_source.split())}")
            if parts:
                found.append((node.id, _when(choice.text_source), "; ".join(parts)))
    return by_file


def documented(text: str) -> set[tuple[str, str, str]]:
    """The (node, when, numbers) of every row of the tables in docs/model.md."""
    found = set()
    section = text.split("\n## Every number, by chapter", 1)[-1].split("\n## ", 1)[0]
    for line in section.splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        # A row may add where a choice leads ("days +7 (→ china_guide_wait)") or say it has no roll: notes for the
        # reader, not numbers. A row of notes alone ("→ seoul_hanawon if not laos_detained, …") lists none.
        numbers = re.sub(r" ?\(→ [a-z0-9_]+\)", "", match["numbers"].replace("\\|", "|"))
        numbers = re.sub(r"(^|; )no roll$", "", numbers).strip()
        if numbers and not numbers.startswith("→"):
            found.add((match["node"], match["when"].replace("\\|", "|"), numbers))
    return found


def check(story: Story, text: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(rows the chapters have and the model lacks, rows the model has and the chapters no longer give)."""
    wanted = [row for file_rows in rows(story).values() for row in file_rows]
    have = documented(text)
    return [row for row in wanted if row not in have], sorted(have - set(wanted))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="say what docs/model.md lacks or lists in excess")
    parser.add_argument("--story", type=Path, default=ROOT / "story")
    args = parser.parse_args(argv)
    story = load_story(args.story)
    if args.check:
        missing, stale = check(story, MODEL.read_text(encoding="utf-8"))
        for node, when, numbers in missing:
            print(f"missing: | `{node}` | {when} | {numbers} | BASIS |")
        for node, when, numbers in stale:
            print(f"stale:   | `{node}` | {when} | {numbers} |")
        if missing or stale:
            print(f"docs/model.md, 'Every number, by chapter': {len(missing)} rows to add, {len(stale)} to change or "
                  "remove (a changed row shows as one of each; keep its basis, add the reason of a new number)")
            return 1
        print("docs/model.md lists every number of the chapters")
        return 0
    for file, file_rows in rows(story).items():
        print(f"\n### {Path(file).name}\n\n| node | when | numbers | basis |\n|---|---|---|---|")
        for node, when, numbers in file_rows:
            print(f"| `{node}` | {when} | {numbers} | BASIS |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
