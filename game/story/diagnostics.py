"""The catalogue of everything the checker can say about a story.

Each problem has a stable code (``ER###``), a message template, a severity, a hint
that says how to fix it, and a tiny example story that shows it. The examples are
not decoration: ``tests/test_diagnostics.py`` loads every one and asserts that its
code is reported at the stated file and line, so the catalogue cannot drift from
what the checker does (the idea is Yarn Spinner's).

The templates and hints are written here in English only; :func:`make` says them in
the language the program speaks (``--lang``), and Babel finds them for the
translators through ``game.story.diagnostics_extract`` (named in ``babel.cfg``), so a
new entry needs no ``_()`` of its own. The values filled in are either data (names,
numbers, paths), shown as they are, or sentences the loader and the expression
compiler wrote for this one problem (a ``{detail}``, a ``{fix}``): those go through
gettext where they are written, with named fields, so they are extracted and
translated like the catalogue.

An entry whose message counts something has a ``plural`` form too ("1 translation is
fuzzy", "2 translations are fuzzy"): :func:`make` chooses with ``ngettext`` by the
``count`` field, as the language counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from game.l10n import _, ngettext
from game.story.source import SourceSpan


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place, ready to print as ``file:line:col: severity: CODE message``."""

    code: str
    severity: Severity
    message: str
    span: SourceSpan
    hint: str = ""
    #: What kind of problem within the code, for the program's own decisions (never shown, not in
    #: to_dict): "undeclared", "near_miss", "not_node", "flag_not_item", … The message is in the
    #: language spoken, so nothing may look inside it.
    variant: str = field(default="", compare=False, repr=False)

    def __str__(self) -> str:
        text = f"{self.span}: {self.severity.value}: {self.code} {self.message}"
        if self.hint:
            text += "\n    " + _("hint: {hint}").format(hint=self.hint)
        return text

    def to_dict(self) -> dict:
        return {
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """A catalogue entry. ``example`` files are laid over the base story; ``at`` is (file, line)."""

    code: str
    title: str
    severity: Severity
    template: str
    hint: str
    example: dict[str, str] = field(default_factory=dict)
    at: tuple[str, int] = ("", 0)
    #: For a translation's problems: the language the example is checked in (check --translation).
    lang: str = ""
    #: The template's plural ("{count} translations are fuzzy"); ``template`` is then the singular.
    plural: str = ""
    #: How to fix any problem of this kind, for ``check --list-codes``, where nothing fills a hint's
    #: ``{fields}``: given for every entry whose hint is made for the one problem ("{suggestion}",
    #: "Add '{key}:' here"); an entry whose hint is the same for every problem lists that hint.
    advice: str = ""

    def listed_hint(self) -> str:
        """How to fix this kind of problem, in English, for the list of codes (see :attr:`advice`)."""
        return self.advice or self.hint


# The smallest valid story. Every example replaces some of these files.
BASE_STORY: dict[str, str] = {
    "story.yaml": """\
title: Example
version: "1"
year: 2010
start: a
content_note: An example.
resources:
  cash: {start: 10, min: 0, label: Cash, unit: "¥"}
flags: [warned]
items:
  phone: {label: Phone}
""",
    "01_a.yaml": """\
nodes:
  a:
    text: The start.
    choices:
      - text: Go on
        goto: b
  b:
    text: The end.
    ending: {id: done, kind: safe, title: Done}
""",
}

E, W = Severity.ERROR, Severity.WARNING

# The head of a .po file, for the translation examples.
_PO_HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ko\\n"\n\n'

_ENTRIES = [
    Entry("ER001", "YAML syntax error", E, "{detail}",
          "Check indentation and quoting on this line or the one before; quote text that contains ': ' or starts with a special character.",
          {"01_a.yaml": "nodes:\n  a:\n    text: The start.\n    choices:\n      - text: Go: on\n        goto: b\n"},
          ("01_a.yaml", 5)),
    Entry("ER002", "file too large", E, "file is {size} bytes; story files may be at most {limit} bytes",
          "Split the chapter into several files.",
          {"01_a.yaml": "# " + "x" * (4 * 1024 * 1024 + 16) + "\n"}, ("01_a.yaml", 1)),
    Entry("ER003", "not UTF-8", E, "file is not valid UTF-8 ({detail})",
          "Save the file as UTF-8 in your editor (in VS Code: the encoding in the status bar, 'Save with Encoding').",
          {"01_a.yaml": "nodes:\n  a:\n    text: caf\udce9\n"}, ("01_a.yaml", 3)),
    Entry("ER004", "forbidden YAML tag", E, "the tag '{tag}' is not allowed in story files",
          "Story files are plain data: remove the tag. Only strings, numbers, true/false, lists and mappings are allowed.",
          {"01_a.yaml": "nodes:\n  a: !!python/object:os.system\n    text: x\n"}, ("01_a.yaml", 2)),
    Entry("ER005", "alias expansion too large", E, "YAML aliases expand to more than {limit} values",
          "Write the values out instead of nesting anchors (&) and aliases (*).",
          {"01_a.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                        "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"},
          ("01_a.yaml", 3)),
    Entry("ER006", "duplicate key", E, "the key '{key}' appears twice in this mapping (first at line {first})",
          "Remove one of them; YAML would silently keep only the last.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("    text: The start.\n", "    text: The start.\n    text: Again.\n")},
          ("01_a.yaml", 4)),
    Entry("ER007", "story folder incomplete", E, "{detail}",
          "A story folder needs story.yaml and at least one chapter file with 'nodes:'.",
          {"story.yaml": None}, ("story.yaml", 1)),  # type: ignore[dict-item]
    Entry("ER008", "number out of range", E, "the number {value} {problem}",
          "Write a finite number no larger than 1,000,000,000,000,000 (.nan and .inf are not numbers a story can use).",
          {"story.yaml": BASE_STORY["story.yaml"].replace("start: 10,", "start: .inf,")}, ("story.yaml", 7)),
    Entry("ER009", "empty chapter file", W, "the chapter file {file} has no nodes",
          "Write its nodes under 'nodes:', or delete the file; if it was emptied by mistake, restore it "
          "(git checkout -- the file, or your editor's undo). While it has none, what other files say about "
          "its nodes is not checked.",
          {"02_b.yaml": ""}, ("02_b.yaml", 1)),
    Entry("ER010", "unknown key", E, "unknown key '{key}' in {where}",
          "{suggestion}",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("        goto: b", "        goto: b\n        gotoo: b")},
          ("01_a.yaml", 7),
          advice="Fix the key's spelling (the checker names the closest allowed key) or remove it; docs/story-format.md "
                 "lists the keys of each part of a story."),
    Entry("ER011", "wrong type", E, "{key} must be {expected}, not {got}",
          "{fix}",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("    choices:\n", "    tags: checkpoint\n    choices:\n")},
          ("01_a.yaml", 4),
          advice="Write the value as the key expects it (a text, a number, true or false, a list [a, b] or a mapping "
                 "of keys); docs/story-format.md gives each key's type."),
    Entry("ER012", "missing key", E, "{where} needs '{key}'",
          "Add '{key}:' here; see docs/story-format.md.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("        goto: b\n", "")}, ("01_a.yaml", 5),
          advice="Add the key the message names, at the place it points to; docs/story-format.md says which keys each "
                 "part of a story needs."),
    Entry("ER013", "choices and ending", E, "node '{node}' {detail}",
          "A node has either 'choices:' (a list) or 'ending:', never both.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("    ending:", "    choices: []\n    ending:")},
          ("01_a.yaml", 7)),
    Entry("ER014", "bad value", E, "{detail}",
          "{fix}",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("kind: safe", "kind: great")}, ("01_a.yaml", 9),
          advice="Write one of the values the message allows (the checker says which); docs/story-format.md lists them "
                 "for each key."),
    Entry("ER020", "missing target", E, "'{key}' leads to '{target}', which is not a node",
          "{suggestion}",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("goto: b", "goto: bb")}, ("01_a.yaml", 6),
          advice="Fix the node id's spelling (the checker names the closest id), or add a node with that id."),
    Entry("ER021", "duplicate node id", E, "node '{node}' is also defined at {other}",
          "Node ids are shared by all chapter files: rename one of them.",
          {"02_b.yaml": "nodes:\n  b:\n    text: Again.\n    ending: {id: done, kind: safe, title: Done}\n"},
          ("02_b.yaml", 2)),
    Entry("ER022", "start node missing", E, "the start node '{target}' is not defined",
          "{suggestion}",
          {"story.yaml": BASE_STORY["story.yaml"].replace("start: a", "start: aa")}, ("story.yaml", 4),
          advice="Set 'start:' in story.yaml to the id of a node the chapters define (the checker names the closest)."),
    Entry("ER023", "duplicate declaration", E, "'{name}' is declared as {what} and also at {other}",
          "Each name is declared once, as a resource, a flag or an item; rename one.",
          {"01_a.yaml": "flags: [warned]\n" + BASE_STORY["01_a.yaml"]}, ("01_a.yaml", 1)),
    Entry("ER030", "undeclared name", E, "'{name}' is not declared",
          "{suggestion}",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("      - text: Go on\n", "      - text: Go on\n        if: cahs > 5\n")},
          ("01_a.yaml", 6),
          advice="Declare the name in story.yaml (under 'resources:', 'flags:' or 'items:'; a chapter may declare its "
                 "own 'flags:'), or fix its spelling (the checker names the closest declared name)."),
    Entry("ER031", "expression syntax", E, "{detail}",
          "Expressions use numbers, declared names, + - * /, comparisons, and/or/not and parentheses.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("      - text: Go on\n", "      - text: Go on\n        if: cash >= \n")},
          ("01_a.yaml", 6)),
    Entry("ER032", "type mismatch", E, "{detail}",
          "Compare numbers with numbers; use and/or/not only with true/false values.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("      - text: Go on\n", "      - text: Go on\n        if: cash + warned\n")},
          ("01_a.yaml", 6)),
    Entry("ER033", "unknown function", E, "{detail}",
          "The functions are visited(node), visits(node), has(item), min(a, b, ...) and max(a, b, ...).",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("      - text: Go on\n", "      - text: Go on\n        if: hass(phone)\n")},
          ("01_a.yaml", 6)),
    Entry("ER034", "bad text template", E, "{detail}",
          "Write {name} for a value, and {if condition}...{else}...{end} for conditional text; {{ and }} for braces.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("text: The start.", "text: \"{if warned}Careful.\"")},
          ("01_a.yaml", 3)),
    Entry("ER035", "bad effect", E, "{detail}",
          "{fix}",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("        goto: b\n", "        goto: b\n        effects: {money: -5}\n", 1)},
          ("01_a.yaml", 7),
          advice='Change a resource by a number or an expression (cash: -40, health: "-health / 2"), set a flag or '
                 "give an item with true or false, and name only declared resources, flags and items; the checker says "
                 "what to change in each case."),
    Entry("ER036", "division by zero", W, "'{text}' divides by zero, which gives 0 in play",
          "Divide by a number that is not 0; if you meant 'nothing', write 0 instead of the division.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("        goto: b\n",
                                                         "        goto: b\n        effects: {cash: \"cash / 0\"}\n", 1)},
          ("01_a.yaml", 7)),
    Entry("ER037", "reason without a condition", W, "this choice has a 'reason:' but no 'if:', so the reason is "
          "never shown",
          "'reason:' says why a choice is closed, and a choice closes only by its 'if:'. Add the condition, or "
          "remove the reason.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("        goto: b\n", "        reason: You need more.\n"
                                                         "        goto: b\n", 1)},
          ("01_a.yaml", 6)),
    Entry("ER038", "closed choice shown as its condition", W, "this choice's 'if: {condition}' has no 'reason:', "
          "and the game cannot put it in words: when it is closed, the player may read \"{shown}\"",
          "Add 'reason:' saying why the choice is closed, in the story's words (\"You have asked him already.\"). "
          "Without one, the game words only a resource's threshold (cash >= 80: \"needs ¥80\") and an item "
          "(has(phone)), alone or joined with 'and'.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("        goto: b\n", "        if: not visited(b)\n"
                                                         "        goto: b\n      - text: Wait\n        goto: b\n", 1)},
          ("01_a.yaml", 6)),
    Entry("ER040", "unreachable node", W, "node '{node}' cannot be reached from the start{more}",
          "Add a choice that leads here (a 'goto:' or 'fail:' in a node the story reaches), or delete the node.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"] + "  c:\n    text: Lonely.\n    choices:\n      - {text: Back, goto: b}\n"},
          ("01_a.yaml", 10)),
    Entry("ER041", "dead end", E, "node '{node}' has no choices and is not an ending",
          "Add at least one choice, or make it an ending with 'ending:'.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("goto: b", "goto: c") + "  c:\n    text: Stuck.\n"},
          ("01_a.yaml", 10)),
    Entry("ER042", "possible soft-lock", W, "every choice of node '{node}' has a condition; if all are false the player is stuck",
          "Add one choice without 'if:' so there is always a way on.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("      - text: Go on\n", "      - text: Go on\n        if: cash > 5\n")},
          ("01_a.yaml", 2)),
    Entry("ER043", "ending never referenced", W, "ending node '{node}' is never the target of a choice",
          "Point a 'goto' or 'fail' at it, or delete it.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"] + "  c:\n    text: Orphan.\n    ending: {id: orphan, kind: lost, title: Orphan}\n"},
          ("01_a.yaml", 10)),
    Entry("ER044", "inconsistent ending", W, "ending '{ending}' has kind '{kind}' here but '{other_kind}' at {other}",
          "Nodes that share an ending id should share its kind and title.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("      - text: Go on\n        goto: b\n",
                                                           "      - text: Go on\n        goto: b\n      - text: Other\n        goto: c\n")
                        + "  c:\n    text: Also.\n    ending: {id: done, kind: lost, title: Done}\n"},
          ("01_a.yaml", 12)),
    Entry("ER045", "loop with no way out", E, "node {nodes} leads only to itself: a player who reaches it can "
          "never leave ({where})",
          "Add a choice that leads out of the loop (to a node outside it, or an ending).",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("goto: b", "goto: c") +
           "  c:\n    text: Wait.\n    choices:\n      - {text: Wait, goto: d}\n"
           "  d:\n    text: Wait more.\n    choices:\n      - {text: Again, goto: c}\n"},
          ("01_a.yaml", 10),
          plural="nodes {nodes} lead only to each other: a player who reaches them can never leave ({where})"),
    Entry("ER046", "loop whose exits never open", W, "every way out of the loop {nodes} has a condition on "
          "{names}, which nothing in the loop changes: a player who enters with it false stays forever ({where})",
          "Add a way out without a condition, or let a choice in the loop change what the exit needs "
          "(for example days or cash).",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("goto: b", "goto: c") +
           "  c:\n    text: Wait.\n    choices:\n      - {text: Wait, goto: c}\n"
           "      - {text: Leave, if: warned, goto: b}\n"},
          ("01_a.yaml", 10)),
    Entry("ER047", "short debrief", W, "the debrief of ending '{ending}' has {words} words; the debriefs of "
          "this story have at least {minimum}",
          "A debrief says what happened and what was real about it: write at least {minimum} words, with "
          "the facts it rests on.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("title: Done}", "title: Done, debrief: Too short.}")
           .replace("      - text: Go on\n", "      - text: Other\n        goto: c\n      - text: Go on\n")
           + "  c:\n    text: Also.\n    ending:\n      id: other\n      kind: lost\n      title: Other\n"
             "      debrief: " + " ".join(["word"] * 30) + "\n"},
          ("01_a.yaml", 11),
          advice="A debrief says what happened and what was real about it: write at least 30 words, with the facts it "
                 "rests on."),
    Entry("ER048", "journeys too short or too long", W, "a journey takes about {mean} choices on average "
          "(uniform choice, ignoring conditions); this story aims at {low} to {high}",
          "Add or remove scenes on the main routes, or change the aim in story.yaml ('journey_choices: "
          "[low, high]').",
          {"story.yaml": BASE_STORY["story.yaml"] + "journey_choices: [5, 10]\n"}, ("story.yaml", 11)),
    Entry("ER050", "unknown fact", E, "fact '{fact}' is not in facts.yaml",
          "{suggestion}",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("    text: The start.\n", "    text: The start.\n    facts: [no_such_fact]\n")},
          ("01_a.yaml", 4),
          advice="Link a fact id that facts.yaml defines (the checker names the closest), or add the fact to facts.yaml "
                 "with its source."),
    Entry("ER051", "fact never linked", W, "fact '{fact}' is not linked from any node",
          "Link it with 'facts: [{fact}]' on the node that states it, or remove it.",
          {"facts.yaml": "facts:\n  spare:\n    text: A fact.\n    source: https://example.org\n    source_title: Example, 2010\n"
                         "    year: 2010\n    confidence: medium\n"},
          ("facts.yaml", 2),
          advice="Link the fact with 'facts: [its_id]' on the node that states it, or remove it from facts.yaml."),
    Entry("ER052", "number without a fact", W, "the debrief of '{node}' states {number}, which none of its facts says",
          "Link the fact that gives this number with 'facts: [...]' on the node. A debrief states only numbers its "
          "facts give: if this one is your estimate, say it without a figure (\"a few months' wages\").",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("ending: {id: done, kind: safe, title: Done}",
                                                         "ending: {id: done, kind: safe, title: Done, debrief: It cost 4,000 yuan.}")},
          ("01_a.yaml", 9)),
    Entry("ER053", "fact not re-checked", W, "fact '{fact}' has neither a quote from its source nor a reason why not",
          "Add 'quote:' (the source's own words) and 'checked: \"YYYY-MM-DD\"', or 'not_rechecked:' saying why the "
          "source cannot be read.",
          {"facts.yaml": "facts:\n  bare:\n    text: A fact.\n    source: https://example.org\n    source_title: Example, 2010\n"
                         "    year: 2010\n    confidence: medium\n",
           "01_a.yaml": BASE_STORY["01_a.yaml"].replace("    text: The start.\n", "    text: The start.\n    facts: [bare]\n")},
          ("facts.yaml", 2)),
    Entry("ER054", "price or distance without a fact", W, "'{node}' states {number} but links no fact",
          "A price or a distance the player reads needs a source: link the fact that gives it with "
          "'facts: [...]' on this node (facts live in facts.yaml). If the figure is your estimate, link the fact "
          "it rests on and list the estimate in docs/model.md (see 'Numbers and estimates' in "
          "docs/writing-guide.md).",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("text: The start.", "text: She pays you 150 yuan.")},
          ("01_a.yaml", 3)),
    Entry("ER060", "unknown location", E, "location '{location}' is not on the route map",
          "{suggestion}",
          {"story.yaml": BASE_STORY["story.yaml"] + "map: map.tmx\n",
           "map.tmx": None,  # filled in by the test helper with a small valid map
           "01_a.yaml": BASE_STORY["01_a.yaml"].replace("    text: The start.\n", "    text: The start.\n    location: hyesn\n")},
          ("01_a.yaml", 4),
          advice="Use a place id of the route map (the checker names the closest; 'escape-route check --locations' lists "
                 "them all), or add the place to the map's 'locations' layer in Tiled (docs/map.md)."),
    Entry("ER061", "map unusable", E, "the route map cannot be used: {detail}",
          "{fix}",
          {"story.yaml": BASE_STORY["story.yaml"] + "map: missing.tmx\n"}, ("story.yaml", 11),
          advice="Make 'map:' in story.yaml name the route map from the story folder (or by an absolute path), with "
                 "its terrain image beside it, or regenerate the map with 'python tools/make_map.py'; the checker says "
                 "what was found."),
    Entry("ER070", "no such translation", E, "{detail}", "{fix}", {}, ("", 1), lang="xx",
          advice="Give the code of a language the story has catalogs for (a folder locale/LANG/), or start one with "
                 "'escape-route i18n update STORY --lang LANG'."),
    Entry("ER071", "catalog unreadable", E, "{detail}",
          "Open it in Poedit, which shows and repairs the broken entry, or restore it from git.",
          {"locale/ko/01_a.po": _PO_HEAD + 'msgctxt "node:a/text"\nmsgid "The start."\nmsgstr "\udcff"\n'},
          ("locale/ko/01_a.po", 8), lang="ko"),
    Entry("ER072", "translated twice", E, "'{context}' is translated twice (also at {other})",
          "Delete one of the two entries.",
          {"locale/ko/01_a.po": _PO_HEAD + 'msgctxt "node:a/text"\nmsgid "The start."\nmsgstr "A"\n\n',
           "locale/ko/story.po": _PO_HEAD + 'msgctxt "node:a/text"\nmsgid "The start."\nmsgstr "B"\n'},
          ("locale/ko/story.po", 7), lang="ko"),
    Entry("ER073", "broken translation", E, "the translation of '{context}' is broken: {why}",
          "Keep every {name} of the English and its {if …}…{else}…{end} with the same conditions; translate only "
          "the words. Until then the English is shown.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("text: The start.", "text: You have {cash}."),
           "locale/ko/01_a.po": _PO_HEAD + 'msgctxt "node:a/text"\nmsgid "You have {cash}."\nmsgstr "{cahs} 있다."\n'},
          ("locale/ko/01_a.po", 7), lang="ko"),
    Entry("ER074", "not translated", W, "{count} string of {file} is not translated (first: \"{english}\", "
          "{first})",
          "Translate them in Poedit; if the file is missing or old, run 'escape-route i18n update STORY --lang "
          "LANG' first. Until then the English is shown.",
          {"locale/ko/01_a.po": _PO_HEAD + 'msgctxt "node:a/text"\nmsgid "The start."\nmsgstr ""\n'},
          ("locale/ko/01_a.po", 7), lang="ko",
          plural="{count} strings of {file} are not translated (first: \"{english}\", {first})"),
    Entry("ER075", "fuzzy translation", W, "{count} translation is fuzzy (the English changed or the entry is "
          "marked for review; first: '{first}')",
          "Review each against the new English, correct it and clear its fuzzy mark (in Poedit: 'Needs work' off). "
          "Until then the English is shown.",
          {"locale/ko/01_a.po": _PO_HEAD + 'msgctxt "node:a/text"\nmsgid "The beginning."\nmsgstr "시작."\n'},
          ("locale/ko/01_a.po", 7), lang="ko",
          plural="{count} translations are fuzzy (the English changed or the entry is marked for review; "
                 "first: '{first}')"),
    Entry("ER076", "translation of nothing", W, "'{context}' is translated but the story has no such string any more",
          "Run 'escape-route i18n update STORY --lang LANG' to retire it.",
          {"locale/ko/01_a.po": _PO_HEAD + 'msgctxt "node:gone/text"\nmsgid "Gone."\nmsgstr "없다."\n'},
          ("locale/ko/01_a.po", 7), lang="ko"),
    Entry("ER077", "choice id repeated", E, "two choices of node '{node}' have the id '{id}' (the other at "
          "line {line})",
          "Give each choice of a node its own id.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("      - text: Go on\n        goto: b\n",
                                                         "      - id: go\n        text: Go on\n        goto: b\n"
                                                         "      - id: go\n        text: Run\n        goto: b\n")},
          ("01_a.yaml", 8)),
    Entry("ER078", "choice without a stable name", W, "this choice of node '{node}' shares its goto '{goto}' with another "
          "choice and has no id, so translations cannot tell them apart",
          "Run 'escape-route i18n extract STORY', which adds the ids, or add 'id: a_short_name' to the choice "
          "yourself.",
          {"01_a.yaml": BASE_STORY["01_a.yaml"].replace("      - text: Go on\n        goto: b\n",
                                                         "      - text: Go on\n        goto: b\n"
                                                         "      - text: Run\n        goto: b\n"),
           "locale/ko/01_a.po": _PO_HEAD}, ("01_a.yaml", 5)),
    Entry("ER080", "unknown ambience", E, "ambience '{ambience}' is not declared in story.yaml's ambiences",
          "{suggestion}",
          {"story.yaml": BASE_STORY["story.yaml"] + "ambiences:\n  river: water at night\n  wind: wind on a hill\n",
           "01_a.yaml": BASE_STORY["01_a.yaml"].replace("    text: The start.\n", "    text: The start.\n    ambience: rivr\n")},
          ("01_a.yaml", 4),
          advice="Use a name declared under 'ambiences:' in story.yaml (the checker names the closest), or declare it "
                 "there with its caption."),
    Entry("ER081", "two ambiences meet", W, "node '{node}' sounds like '{first}' on one path ({first_path}) and like "
          "'{second}' on another ({second_path})",
          "Give node '{node}' an ambience of its own, or set the same one on both paths.",
          {"story.yaml": BASE_STORY["story.yaml"] + "ambiences:\n  river: water at night\n  wind: wind on a hill\n",
           "01_a.yaml": "nodes:\n  a:\n    text: The start.\n    ambience: river\n    choices:\n      - text: Climb\n"
                        "        goto: b\n      - text: Wade\n        goto: c\n  b:\n    text: On the hill.\n"
                        "    ambience: wind\n    choices:\n      - text: Go on\n        goto: d\n  c:\n"
                        "    text: In the water.\n    choices:\n      - text: Go on\n        goto: d\n  d:\n"
                        "    text: The end.\n    ending: {id: done, kind: safe, title: Done}\n"},
          ("01_a.yaml", 21),
          advice="Give the node where the paths meet an ambience of its own, or set the same one on both paths."),
    Entry("ER082", "no ambience", W, "the story starts at node '{node}' with no ambience; {after} would be silent too",
          "Add 'ambience: NAME' to node '{node}' (story.yaml declares {names}).",
          {"story.yaml": BASE_STORY["story.yaml"] + "ambiences:\n  river: water at night\n  wind: wind on a hill\n"}, ("01_a.yaml", 2),
          advice="Add 'ambience: NAME' to the start node, with a NAME declared under 'ambiences:' in story.yaml."),
]

def _shown_example(entry: Entry) -> str:
    """The line of the example story that shows the problem, as ``file line N: text`` (for --list-codes)."""
    name, line = entry.at
    if entry.lang and not entry.example:
        return _("check --translation {lang} on a story that has no locale/{lang} folder").format(lang=entry.lang)
    if not name:
        return ""
    text = entry.example.get(name, BASE_STORY.get(name))
    if text is None:
        return _("no {file} in the story folder").format(file=name)
    lines = text.splitlines()
    if not lines:
        return _("an empty {file}").format(file=name)
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    shown = shown.encode("utf-8", "backslashreplace").decode("utf-8")  # ER003's byte that is not UTF-8
    if len(shown) > 70:
        shown = shown[:60] + " … (" + _("{count} characters").format(count=f"{len(shown):,}") + ")"
    return _("{file} line {line}: {text}").format(file=name, line=line, text=shown)


Entry.shown_example = _shown_example  # type: ignore[attr-defined]

CATALOGUE: dict[str, Entry] = {entry.code: entry for entry in _ENTRIES}


_FIELD = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, fields: dict[str, object]) -> str:
    """``text`` with each ``{name}`` that ``fields`` has replaced by its value; any other brace stays.

    Not ``str.format``: a hint may show the story's own ``{name}`` and ``{if …}…{end}``
    (ER073) beside its fields, and those must reach the writer as they are.
    """
    return _FIELD.sub(lambda m: str(fields[m.group(1)]) if m.group(1) in fields else m.group(0), text)


def _fits(translated: str, english: str) -> bool:
    """Whether a translation names only the ``{fields}`` its English names (a translator's slip falls back)."""
    return set(_FIELD.findall(translated)) <= set(_FIELD.findall(english))


def translate(text: str, fields: dict[str, object] | None = None) -> str:
    """A catalogue text in the current language, filled from ``fields`` (None: used as it is).

    A translation whose placeholders do not fit the fields (a translator's slip the tests
    would catch) falls back to the English, so the checker never fails on its own words.
    """
    if not text:
        return text
    translated = _(text)
    if fields is None:
        return translated
    return fill(translated if _fits(translated, text) else text, fields)


def _counted(entry: Entry, fields: dict[str, object]) -> str:
    """The template's singular or plural for ``fields["count"]``, in the current language, filled."""
    count = fields["count"]
    n = count if isinstance(count, int) else 2
    translated = ngettext(entry.template, entry.plural, n)
    english = entry.template if n == 1 else entry.plural
    return fill(translated if _fits(translated, english) else english, fields)


def hint(code: str) -> str:
    """The hint of ``code`` in the current language, for a diagnostic built outside :func:`make`."""
    return translate(CATALOGUE[code].hint)


def make(code: str, span: SourceSpan, variant: str = "", **fields: object) -> Diagnostic:
    """Build the diagnostic ``code`` at ``span``, filling its templates from ``fields``, in the current language.

    ``variant`` is kept on the diagnostic for the program's own use (:attr:`Diagnostic.variant`).
    """
    entry = CATALOGUE[code]
    return Diagnostic(
        code=code,
        severity=entry.severity,
        message=_counted(entry, fields) if entry.plural else translate(entry.template, fields),
        span=span,
        hint=translate(entry.hint, fields if "{" in entry.hint else None),
        variant=variant,
    )
