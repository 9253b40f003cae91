#!/usr/bin/env python3
"""The rows of docs/model.md's two generated tables, as the story's files give them today.

docs/model.md lists every number a chapter sets (each effect, hidden cost, risk and
numeric condition of every choice, and each effect on arriving at a node) with its
basis: sourced, estimated or a model scale. The basis is a person's judgement and is
kept by hand; which numbers there are is not, and it drifts when a writer changes a
chapter. This tool writes the first three columns from the story, so that

    python tools/model_numbers.py --check     # what docs/model.md lacks or still lists (exit 1 if any)
    python tools/model_numbers.py             # every row, with the YAML's own comment as a first basis

tell the writer which rows to add, change or remove.

The second table, "Sources of the facts", is a plain copy of ``story/facts.yaml`` (each
fact's id, source title, year, confidence and further sources), so nothing in it is kept by
hand: ``--check`` also says which of its rows differ from the facts, and

    python tools/model_numbers.py --write-facts   # rewrite that table from story/facts.yaml

writes it anew. A fact changed without the table once left seventeen rows stating an old
confidence or year beside the new one, so ``tests/test_story.py`` runs both checks.
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
from game.story.model import Effect, Fact, Story  # noqa: E402

MODEL = ROOT / "docs" / "model.md"
WHEN_WIDTH = 60  # a choice's text is cut to this many characters in the table
_ROW = re.compile(r"^\| `(?P<node>[^`]+)` \| (?P<when>.*?) \| (?P<numbers>.*?) \| (?P<basis>.*) \|$")
FACTS_HEADING = "\n## Sources of the facts"
FACTS_HEADER = ("| fact id | source | year | confidence | further sources |", "|---|---|---|---|---|")


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


def _cell(text: str) -> str:
    """A table cell: one line, with any ``|`` escaped so that it does not end the cell."""
    return " ".join(text.split()).replace("|", "\\|")


def fact_row(fact: Fact) -> str:
    """``| `id` | source title | year | confidence | further sources |``: one fact as the table gives it."""
    also = "; ".join(f"{s.source_title} ({s.lang})" for s in fact.also)
    return (f"| `{fact.id}` | {_cell(fact.source_title)} | {fact.year} | {fact.confidence} | "
            f"{_cell(also) or '–'} |")


def fact_table(story: Story) -> list[str]:
    """The whole "Sources of the facts" table, header first, one row per fact in the order of facts.yaml."""
    return [*FACTS_HEADER, *(fact_row(fact) for fact in story.facts.values())]


def _facts_section(text: str) -> tuple[int, int]:
    """Where the facts table lies in docs/model.md: (start, end) offsets of its lines, header included."""
    at = text.find(FACTS_HEADING)
    if at < 0:
        raise ValueError("docs/model.md has no section 'Sources of the facts'")
    end_of_section = text.find("\n## ", at + len(FACTS_HEADING))
    end_of_section = len(text) if end_of_section < 0 else end_of_section
    start = text.find("\n" + FACTS_HEADER[0], at, end_of_section)
    if start < 0:
        raise ValueError(f"docs/model.md's 'Sources of the facts' has no table headed {FACTS_HEADER[0]}")
    end = start + 1
    while end < end_of_section and text.startswith("|", end):
        line_end = text.find("\n", end)
        end = end_of_section if line_end < 0 else line_end + 1
    return start + 1, end


def check_facts(story: Story, text: str) -> tuple[list[str], list[str]]:
    """(rows facts.yaml gives and the table lacks, rows the table has and facts.yaml no longer gives)."""
    start, end = _facts_section(text)
    have = text[start:end].splitlines()
    wanted = fact_table(story)
    return [row for row in wanted if row not in have], [row for row in have if row not in wanted]


def write_facts(story: Story, text: str) -> str:
    """docs/model.md with its facts table written anew from the story's facts (the rest untouched)."""
    start, end = _facts_section(text)
    return text[:start] + "\n".join(fact_table(story)) + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="say what docs/model.md lacks or lists in excess")
    parser.add_argument("--write-facts", action="store_true",
                        help="rewrite docs/model.md's 'Sources of the facts' table from story/facts.yaml")
    parser.add_argument("--story", type=Path, default=ROOT / "story")
    args = parser.parse_args(argv)
    story = load_story(args.story)
    if args.write_facts:
        MODEL.write_text(write_facts(story, MODEL.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"docs/model.md: 'Sources of the facts' written from {len(story.facts)} facts")
        return 0
    if args.check:
        text = MODEL.read_text(encoding="utf-8")
        missing, stale = check(story, text)
        for node, when, numbers in missing:
            print(f"missing: | `{node}` | {when} | {numbers} | BASIS |")
        for node, when, numbers in stale:
            print(f"stale:   | `{node}` | {when} | {numbers} |")
        fact_missing, fact_stale = check_facts(story, text)
        for row in fact_missing:
            print(f"missing: {row}")
        for row in fact_stale:
            print(f"stale:   {row}")
        if missing or stale:
            print(f"docs/model.md, 'Every number, by chapter': {len(missing)} rows to add, {len(stale)} to change or "
                  "remove (a changed row shows as one of each; keep its basis, add the reason of a new number)")
        if fact_missing or fact_stale:
            print(f"docs/model.md, 'Sources of the facts': {len(fact_missing)} rows to add, {len(fact_stale)} to "
                  "change or remove; `python tools/model_numbers.py --write-facts` writes the table from facts.yaml")
        if missing or stale or fact_missing or fact_stale:
            return 1
        print("docs/model.md lists every number of the chapters and every fact as facts.yaml gives it")
        return 0
    for file, file_rows in rows(story).items():
        print(f"\n### {Path(file).name}\n\n| node | when | numbers | basis |\n|---|---|---|---|")
        for node, when, numbers in file_rows:
            print(f"| `{node}` | {when} | {numbers} | BASIS |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
