"""What an unreadable story file would likely have declared, so its absence does not cascade.

When a chapter cannot be parsed (one unquoted ': ' in a choice text), none of its
nodes, flags or fact links exist, and every other file's goto into it, every flag it
declared, every fact only it linked and every node only reachable through it would be
reported as a problem of its own: dozens of errors, listed before the one that
matters. The loader instead scans the text of each unreadable file tolerantly, line by
line, for what it would have declared (node ids under ``nodes:``, names in ``flags:``
lists, ``facts:`` links, the targets of ``goto:`` and ``fail:``, and for
``facts.yaml`` its fact ids), and the checks hold back every problem that only exists
because those went missing. The scan is a guess, so it only ever *hides* follow-on
problems; it never adds any, and fixing the syntax error brings the real ones back.

An *emptied* chapter (0 bytes, only comments, ``nodes: {}`` or no ``nodes:``) leaves
nothing to scan, so what it declared is unknown. Its own warning (ER009) names it once,
and if anything elsewhere names what is not there (a goto, a ``visited()``, a flag),
every problem elsewhere of a kind that missing nodes, flags or fact links cause
(a goto or ``visited()`` of a node that is not there, an undeclared flag with no close
spelling, unreachable nodes, unlinked facts, the loop and length estimates) is held
back. A flag or value with a close spelling ("Did you mean 'cash'?") is a typo, not a
follow-on, and is still reported; a missing node id is always taken to be the emptied
file's. When anything was held back, ER009 becomes an error that says
how many: the story must not be played with gotos into nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from game.l10n import ngettext
from game.story.diagnostics import Diagnostic, Severity

_KEY = re.compile(r"^([ ]*)([A-Za-z_]\w*)[ \t]*:(?:[ \t]|$)")
_NAME = re.compile(r"[A-Za-z_]\w*")
_TARGET = re.compile(r"\b(?:goto|fail)[ \t]*:[ \t]*[\"']?([A-Za-z_]\w*)")
_FLOW_LIST = re.compile(r"\b(flags|facts)[ \t]*:[ \t]*\[([^\]]*)\]?")
_BLOCK_LIST_START = re.compile(r"^([ ]*)(?:-[ ]+)?(flags|facts)[ \t]*:[ \t]*(?:#.*)?$")
_ITEM = re.compile(r"^[ ]*-[ \t]+[\"']?([A-Za-z_]\w*)")


@dataclass
class Salvage:
    """Names the unreadable files would likely have declared or used (empty when every file was read)."""

    files: list[str] = field(default_factory=list)
    nodes: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # flags, and resources and items if story.yaml is unreadable
    linked_facts: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    facts: set[str] = field(default_factory=set)  # fact ids, if facts.yaml is unreadable
    facts_file: bool = False
    emptied: list[str] = field(default_factory=list)  # chapter files with no nodes at all

    def __bool__(self) -> bool:
        # Only unreadable files: an emptied chapter's follow-ons are held back (and counted)
        # by hold_back_after_emptied, so a new empty chapter silences nothing.
        return bool(self.files)

    def hold_back_after_emptied(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """``diagnostics`` without the follow-on problems of emptied chapters, whose ER009 then counts them."""
        if not self.emptied:
            return diagnostics
        emptied = set(self.emptied)
        if not any(d.span.file not in emptied and _names_missing(d) for d in diagnostics):
            return diagnostics  # nothing leads into it (a new chapter not yet written): nothing follows from it
        kept = [d for d in diagnostics if d.span.file in emptied or not _follows_from_missing(d)]
        held = len(diagnostics) - len(kept)
        if not held:
            return kept
        said = ngettext("the chapter file {file} has no nodes, so {count} problem elsewhere that follows from it is "
                        "held back",
                        "the chapter file {file} has no nodes, so {count} problems elsewhere that follow from it are "
                        "held back", held)
        return [replace(d, severity=Severity.ERROR, message=said.format(file=Path(d.span.file).name, count=f"{held:,}"))
                if d.code == "ER009" and d.span.file in emptied else d for d in kept]

    def add(self, name: str, text: str, kind: str) -> None:
        """Scan one unreadable file; ``kind`` is 'story', 'facts' or 'chapter'."""
        self.files.append(name)
        lines = text.splitlines()
        self.targets.update(m.group(1) for line in lines for m in _TARGET.finditer(line))
        for line in lines:
            for match in _FLOW_LIST.finditer(line):
                names = set(_NAME.findall(match.group(2)))
                (self.names if match.group(1) == "flags" else self.linked_facts).update(names)
        for i, line in enumerate(lines):
            match = _BLOCK_LIST_START.match(line)
            if not match:
                continue
            into = self.names if match.group(2) == "flags" else self.linked_facts
            for after in lines[i + 1:]:
                item = _ITEM.match(after)
                if not item:
                    break
                into.add(item.group(1))
        if kind == "chapter":
            self.nodes.update(_keys_under(lines, "nodes"))
        elif kind == "facts":
            self.facts_file = True
            self.facts.update(_keys_under(lines, "facts"))
        else:
            self.names.update(_keys_under(lines, "resources"))
            self.names.update(_keys_under(lines, "items"))


#: Keys of nodes, choices, facts and resources, which are never ids.
_FIELDS = frozenset({"text", "title", "location", "heading", "effects", "facts", "discuss", "tags", "rollback",
                     "choices", "ending", "goto", "if", "reason", "hidden_cost", "roll", "source", "source_title",
                     "year", "confidence", "quote", "where", "checked", "not_rechecked", "start", "min", "max",
                     "label", "unit", "unit_plural", "better"})


def _keys_under(lines: list[str], top: str) -> set[str]:
    """The keys one level under the top-level key ``top``, as far as indentation tells."""
    found: set[str] = set()
    indent = None
    inside = False
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEY.match(line)
        if match and not match.group(1):  # a top-level key
            inside = match.group(2) == top
            indent = None
            continue
        if not inside or not match:
            continue
        width = len(match.group(1))
        if indent is None:
            indent = width
        # a node id one space off (the slip that broke the file) is still a node id; a field is not
        if abs(width - indent) <= 1 and match.group(2) not in _FIELDS:
            found.add(match.group(2))
    return found


#: Problems that a chapter's missing nodes, flags and fact links cause in other files:
#: a name that leads nowhere, and what the checks of the whole story make of the gap.
_FOLLOW_ON = frozenset({"ER040", "ER042", "ER043", "ER045", "ER046", "ER048", "ER051"})


def hold_back_without_resources(diagnostics: list[Diagnostic], story_file: str) -> list[Diagnostic]:
    """``diagnostics`` without what follows from story.yaml declaring no resources, which its error then counts.

    A story.yaml whose ``resources:`` is missing (a key misspelt, a block deleted) or is not a
    mapping leaves every ``cash`` and ``health`` of every condition, text and effect
    undeclared: hundreds of errors, with the one that matters buried among them. Those
    (an undeclared name with no close spelling, an effect on an undeclared name, and what
    the checks of the whole story make of conditions that no longer compile) are held
    back, as an unreadable file's are, and the error at ``resources`` says how many.
    """
    where = next((i for i, d in enumerate(diagnostics) if d.span.file == story_file and d.code in ("ER011", "ER012")
                  and d.variant == "key:resources"), None)
    if where is None:
        return diagnostics
    kept = [d for d in diagnostics if d.span.file == story_file or not _follows_from_no_resources(d)]
    held = len(diagnostics) - len(kept)
    if not held:
        return diagnostics
    said = ngettext("{count} problem elsewhere that follows from it is held back until it is fixed",
                    "{count} problems elsewhere that follow from it are held back until it is fixed", held)
    first = diagnostics[where]
    return [replace(d, message=f"{d.message}; " + said.format(count=f"{held:,}")) if d is first else d for d in kept]


def _follows_from_no_resources(d: Diagnostic) -> bool:
    if d.code in _FOLLOW_ON:
        return True
    if d.code == "ER030":
        return d.variant not in ("near_miss", "flag_not_item", "not_node")
    return d.code == "ER035" and d.variant == "undeclared"


def _follows_from_missing(d: Diagnostic) -> bool:
    return d.code in _FOLLOW_ON or _names_missing(d)


def _names_missing(d: Diagnostic) -> bool:
    """A goto, visited(), flag or effect naming what is not there, and not a near miss of what is."""
    if d.code in ("ER020", "ER022"):
        return True
    # By the diagnostic's variant, not its words: the message is in the language spoken.
    if d.code == "ER030" and d.variant == "not_node":
        return True  # visited(x): the node was likely in the emptied file, whatever it looks like
    if d.code == "ER030" or (d.code == "ER035" and d.variant in ("undeclared", "near_miss")):
        return d.variant not in ("near_miss", "flag_not_item")  # a close spelling is a typo
    return False
