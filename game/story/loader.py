"""Story files → :class:`~game.story.model.Story`, with every problem reported where it is.

Loading runs in passes so that one mistake never hides the next:

1. read and parse every file (``yamlsrc``: positions, safety limits);
2. read the declarations in ``story.yaml`` and ``facts.yaml``, and every chapter's
   node ids and flags (expressions may name any node or flag of any file);
3. build each node, parsing and checking its expressions, text and effects;
4. run the story-wide checks in ``game.story.check`` (targets, reachability, …).

The result is the model (as complete as the mistakes allow) and the full list of
diagnostics. ``load_story`` is the strict door for players: it raises
``StoryLoadError`` with all the errors instead of returning a broken story.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from game.errors import DataFileError, ExprError, StoryLoadError
from game.files import LIMITS, read_bytes
from game.l10n import N_, _, language, ngettext
from game.story import diagnostics as dx
from game.story import expr as ex
from game.story import template as tpl
from game.story.check import check_story
from game.story.diagnostics import Diagnostic, Severity
from game.story.limits import number_problem
from game.story.model import (
    CONFIDENCE,
    ENDING_KINDS,
    Choice,
    Effect,
    Ending,
    Fact,
    FactSource,
    Item,
    Node,
    Resource,
    Roll,
    Story,
)
from game.story.salvage import Salvage, hold_back_without_resources
from game.story.source import SourceSpan
from game.story.suggest import did_you_mean
from game.story.translation import translated_story, translation_diagnostics
from game.story.yamlsrc import LList, LMap, Loc, SourceFile, locate_in, parse_yaml

STORY_FILE, FACTS_FILE = "story.yaml", "facts.yaml"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


# Whether a value has a field type's shape (the loader reports it where it does not).
_CHECKS: dict[str, Callable[[Any], bool]] = {
    "text": lambda value: isinstance(value, str),
    "version": _is_scalar,
    "number": _is_number,
    "int": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "bool": lambda value: isinstance(value, bool),
    "texts": lambda value: isinstance(value, list) and all(isinstance(v, str) for v in value),
    "map": lambda value: isinstance(value, LMap),
    "list": lambda value: isinstance(value, LList),
    "expr": _is_scalar,
}


class _Spec(dict):
    """A field spec: key -> (type, required). It also keeps its required keys, in order.

    Types: text, number, int, bool, texts (list of text), map, list, expr (text or
    number), version (text or number).
    """

    def __init__(self, fields: dict[str, tuple[str, bool]]) -> None:
        super().__init__(fields)
        self.required = tuple(key for key, (_, required) in fields.items() if required)
        self.checks = {key: _CHECKS[kind] for key, (kind, _) in fields.items()}


_STORY = _Spec({"title": ("text", True), "version": ("version", True), "year": ("int", True), "start": ("text", True),
                "map": ("text", False), "content_note": ("text", True), "resources": ("map", True),
                "flags": ("texts", False), "items": ("map", False), "debrief_questions": ("texts", False),
                "journey_choices": ("list", False), "ambiences": ("map", False)})
_RESOURCE = _Spec({"start": ("number", True), "min": ("number", False), "max": ("number", False),
                   "label": ("text", True), "unit": ("text", False), "unit_plural": ("text", False),
                   "better": ("text", False)})
_ITEM = _Spec({"label": ("text", True), "tone": ("text", False)})
_CHAPTER = _Spec({"chapter": ("text", False), "flags": ("texts", False), "nodes": ("map", True)})
_NODE = _Spec({"text": ("text", True), "title": ("text", False), "location": ("text", False),
               "heading": ("text", False), "effects": ("map", False), "facts": ("texts", False),
               "discuss": ("text", False), "tags": ("texts", False), "rollback": ("bool", False),
               "choices": ("list", False), "ending": ("map", False), "ambience": ("text", False)})
_CHOICE = _Spec({"id": ("text", False), "text": ("text", True), "goto": ("text", True), "if": ("expr", False), "reason": ("text", False),
                 "effects": ("map", False), "hidden_cost": ("map", False), "roll": ("map", False)})
_ROLL = _Spec({"chance": ("expr", True), "fail": ("text", True), "label": ("text", True), "fail_effects": ("map", False),
               "hidden": ("bool", False)})
_ENDING = _Spec({"id": ("text", True), "kind": ("text", True), "title": ("text", True), "debrief": ("text", False)})
_FACTS = _Spec({"facts": ("map", True)})
_FACT = _Spec({"text": ("text", True), "source": ("text", True), "source_title": ("text", True), "year": ("int", True),
               "confidence": ("text", True), "quote": ("text", False), "where": ("text", False),
               "checked": ("text", False), "not_rechecked": ("text", False), "also": ("list", False)})
#: One of a fact's further sources (``also:``): read against the fact like the main one, so quote and date are required.
_FACT_SOURCE = _Spec({"source": ("text", True), "source_title": ("text", True), "lang": ("text", True),
                      "quote": ("text", True), "checked": ("text", True), "where": ("text", False)})
#: A BCP-47 language tag as sources need it: "ko", "en", "ko-KR", "zh-Hans".
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")

# What a field holds and what was found, in words (translated where the message is made: ER011).
_TYPE_WORDS = {"text": N_("text"), "number": N_("a number"), "int": N_("a whole number"), "bool": N_("true or false"),
               "texts": N_("a list of words or texts"), "map": N_("a mapping (indented 'key: value' lines)"),
               "list": N_("a list ('- ' items)"), "expr": N_("a number or an expression"), "version": N_("text")}


_MISSING = object()
_NONE_WRONG: frozenset[str] = frozenset()


def _kind_of(value: Any) -> str:
    """What ``value`` is, in the writer's words and the language spoken ("a number", "empty")."""
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("empty") if value is None else type(value).__name__


def _fits(kind: str, value: Any) -> bool:
    return _CHECKS[kind](value)


_TYPE_FIX = {
    "texts": N_("Write a list: [a, b] or one '- item' per line."),
    "map": N_("Indent 'key: value' lines under this key."),
    "list": N_("Start each entry on its own line with '- '."),
    "text": N_("Put the text in quotes if it looks like a number or true/false."),
}


_PLACE_PART = re.compile(r"\{[^{}]*\}|[^{}]+")  # the tags and the stretches between them
#: A price or a distance as the player reads it, written with a figure (ER054): a currency sign
#: before it (¥150, ₩5,000, ฿500, $300, US$300, €20, £20), or a currency or a unit of length
#: after it (150 yuan, 40 RMB, 5,000 won, 500 baht, 300 dollars, 2 million won, 300 km,
#: 3,500 miles, 300 metres). The story's route runs through China, both Koreas, Laos and
#: Thailand, so their money is named as writers spell it, in words and in ISO codes.
MONEY_OR_DISTANCE = re.compile(r"""
      (?<![A-Za-z])(?-i:US\s?|HK\s?)?[¥₩฿$€£]\s?\d(?:[\d,]*\d)?(?:\.\d+)?
    | \d(?:[\d,]*\d)?(?:\.\d+)?(?:\s?(?:hundred|thousand|million|billion))?\s?
      (?:(?:US|Chinese|North\ Korean|South\ Korean|Korean|Thai|Lao|Laotian)\s)?
      (?:yuan|renminbi|RMB|CNY|won|KRW|KPW|baht|THB|kip|LAK|dollars?|USD|euros?|EUR|pounds?\ sterling|GBP)\b
    | \d(?:[\d,.]*\d)?\s?(?:km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?)\b
""", re.I | re.X)


def _own_numbers(choice: LMap) -> set[str]:
    """The whole numbers a choice's condition and effects contain, as digits ("40" for cash >= 40)."""
    written = [choice.get("if")]
    effects = choice.get("effects")
    if isinstance(effects, dict):
        written += list(effects.values())
    return {n for value in written if isinstance(value, (str, int, float)) and not isinstance(value, bool)
            for n in re.findall(r"\d+", str(value).replace(",", ""))}


def _names_in_broken(data: LMap, spec: _Spec) -> list[str]:
    """The texts under a checked mapping's unknown or mistyped keys (``gotoo: x`` gives ``x``), for
    :attr:`Choice.broken_targets`. Any text: the checker keeps only those that are node ids."""
    wrong = data.wrong or _NONE_WRONG
    found: list[str] = []
    for key, value in data.items():
        if key in spec and key not in wrong:
            continue
        for one in (value if isinstance(value, list) else (value,)):
            if isinstance(one, str) and one.strip():
                found.append(one.strip())
    return found


def _named(where: str | Callable[[], str]) -> str:
    return where() if callable(where) else where


@dataclass
class _File:
    """A parsed file and the diagnostics list it reports into."""

    src: SourceFile
    out: list[Diagnostic]

    @property
    def name(self) -> str:
        return self.src.name

    def report(self, code: str, span: SourceSpan, variant: str = "", **fields: object) -> None:
        self.out.append(dx.make(code, span, variant, **fields))

    def fields(self, data: Any, spec: _Spec, where: str | Callable[[], str], loc: Loc) -> LMap | None:
        """Check a mapping against a spec; report unknown, missing and mistyped keys. Returns the map or None.

        It walks the keys that are there rather than every key the spec allows: a
        node or choice sets three or four of its eleven possible keys. ``where`` names
        the mapping in the language spoken; for nodes and choices it is a function,
        called only to report a problem (a story has tens of thousands of them).
        """
        if not isinstance(data, LMap):
            self.report("ER011", loc.span, key=_named(where), expected=_("a mapping"), got=_kind_of(data),
                        fix=_(_TYPE_FIX["map"]))
            return None
        wrong: list[str] = []
        checks = spec.checks
        for key, value in data.items():
            fits = checks.get(key)
            if fits is None:
                hint = did_you_mean(str(key), spec, _("Allowed here: {keys}.").format(keys=", ".join(spec)))
                self.report("ER010", data.key_span(key), key=key, where=_named(where), suggestion=hint)
            elif not fits(value):
                wrong.append(key)
                kind = spec[key][0]
                self.report("ER011", data.value_span(key), f"key:{key}", key=f"'{key}'", expected=_(_TYPE_WORDS[kind]),
                            got=_kind_of(value), fix=_(_TYPE_FIX.get(kind, N_("See docs/story-format.md."))))
        for key in spec.required:
            if key not in data:
                self.report("ER012", data.loc.span, f"key:{key}", key=key, where=_named(where))
        data.wrong = frozenset(wrong) if wrong else _NONE_WRONG
        return data

    @staticmethod
    def getter(data: LMap) -> Callable[..., Any]:
        """``get(key, default)`` for a mapping checked by :meth:`fields`: its value, or default if mistyped.

        For the usual mapping with nothing mistyped, that is the dictionary's own
        ``get``: the loader reads hundreds of thousands of fields.
        """
        wrong = data.wrong
        if not wrong:
            return data.get
        return lambda key, default=None: default if key in wrong else data.get(key, default)

    @staticmethod
    def get(data: LMap | None, key: str, kind: str, default: Any = None) -> Any:
        """The value at ``key`` if it has the right type (already reported otherwise).

        A mapping that went through :meth:`fields` knows its mistyped keys, so the
        common case costs one dictionary look-up instead of a second type check.
        """
        if data is None:
            return default
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        wrong = data.wrong
        if (key in wrong) if wrong is not None else not _fits(kind, value):
            return default
        return str(value) if kind == "version" else value


@dataclass
class Analysis:
    """Everything the loader learnt: the story (if it could be built), all diagnostics, file stats."""

    story: Story | None
    diagnostics: list[Diagnostic]
    files: list[str] = field(default_factory=list)
    words: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def story_files(root: Path) -> tuple[Path | None, Path | None, list[Path]]:
    """story.yaml, facts.yaml and the chapter files (sorted by name) of a story folder."""
    if not root.is_dir():
        return None, None, []
    story = root / STORY_FILE
    facts = root / FACTS_FILE
    chapters = sorted(p for p in root.glob("*.yaml") if p.name not in (STORY_FILE, FACTS_FILE)
                      and not p.name.startswith("."))
    return (story if story.is_file() else None), (facts if facts.is_file() else None), chapters


class ParseCache:
    """Parsed files keyed by path, kept while their size and modification time are unchanged.

    Hot reload uses one cache across reloads, so that after an edit only the changed
    file is parsed and built again. The language spoken is part of the key: a file's
    problems are kept as words, and the settings may change the language between reloads.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int, str], bytes, SourceFile, list[Diagnostic]]] = {}
        # Built nodes per chapter, reused while the file is the same parsed object and the
        # story's declarations and node ids are unchanged (the loader checks both).
        self.built: dict[str, tuple] = {}

    def read(self, path: Path, name: str) -> tuple[bytes, SourceFile, list[Diagnostic]]:
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size, language())  # its diagnostics are in the language spoken
            cached = self._entries.get(path)
            if cached and cached[0] == key and cached[2].name == name:
                return cached[1], cached[2], cached[3]
            raw = read_bytes(path, LIMITS["story"], "story file")
        except OSError as exc:
            span = SourceSpan(name, 1, 1)
            return b"", SourceFile(name, "", None), [dx.make("ER007", span, detail=_("cannot read the file: {problem}").format(
                problem=exc.strerror))]
        except DataFileError as exc:  # a FIFO, a device, a link to /dev/zero, far too large
            span = SourceSpan(name, 1, 1)
            return b"", SourceFile(name, "", None), [dx.make("ER007", span, detail=_("the file {problem}").format(
                problem=exc.message))]
        src, problems = parse_yaml(name, raw)
        self._entries[path] = (key, raw, src, problems)
        return raw, src, problems


def analyse(root: str | Path, cache: ParseCache | None = None, check_map: bool = True,
            translation: str | None = None) -> Analysis:
    """Load a story folder and run every check. Never raises for a problem in the files.

    With ``translation`` (a language code such as ``ko``), also check that language's
    catalogs in ``locale/`` against the story, at their .po files and lines.

    The cyclic garbage collector is paused while loading: a large story creates
    hundreds of thousands of small objects that all stay alive until the model is
    built, and every collection would walk all of them again for nothing (it tripled
    the load time of the 10,000-node benchmark story). Nothing here creates cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(Path(root), cache, check_map, translation)
    finally:
        if was_enabled:
            gc.enable()


_UNREAD = N_(" Until then nothing else in this file is checked, and problems in other files that come only from "
           "what it declares (its nodes, flags, fact links) are held back.")


def _analyse(root: Path, cache: ParseCache | None, check_map: bool, translation: str | None = None) -> Analysis:
    cache = cache or ParseCache()
    out: list[Diagnostic] = []
    story_path, facts_path, chapter_paths = story_files(root)
    shown = str(root)

    def display(path: Path) -> str:
        return str(Path(shown) / path.name)

    if story_path is None:
        if root.is_dir():
            out.append(dx.make("ER007", SourceSpan(str(Path(shown) / STORY_FILE), 1, 1),
                               detail=_("no {file} in {folder}").format(file=STORY_FILE, folder=shown)))
        else:  # a typo in the path, or a file where the folder goes: said as such, not as a story.yaml missing
            detail = (_("{path} is a file, not the story's folder").format(path=shown) if root.exists()
                      else _("there is no file or folder {path}").format(path=shown))
            near = _story_folder_near(root)
            fix = (_("Give the story's folder, the one with {file} in it: {folder}").format(file=STORY_FILE, folder=near)
                   if near else _("Check the path for a typo, and give the story's folder, the one with {file} in "
                                  "it.").format(file=STORY_FILE))
            out.append(replace(dx.make("ER007", SourceSpan(shown, 1, 1), detail=detail), hint=fix))
        return Analysis(None, out)
    if not chapter_paths:
        out.append(dx.make("ER007", SourceSpan(display(story_path), 1, 1),
                           detail=_("no chapter files (*.yaml with 'nodes:') in {folder}").format(folder=shown)))

    digest = hashlib.sha256()
    files: dict[str, _File] = {}
    salvage = Salvage()
    for path in [story_path, *([facts_path] if facts_path else []), *chapter_paths]:
        raw, src, problems = cache.read(path, display(path))
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        if src.data is None and any(d.severity is Severity.ERROR for d in problems):
            kind = "story" if path == story_path else "facts" if path == facts_path else "chapter"
            salvage.add(display(path), src.text, kind)
            first = next(i for i, d in enumerate(problems) if d.severity is Severity.ERROR)
            problems = list(problems)
            problems[first] = replace(problems[first], hint=problems[first].hint + dx.translate(_UNREAD))
        out.extend(problems)
        files[path.name] = _File(src, out)

    builder = _Builder(root, files, out, cache, salvage)
    story = builder.build(digest.hexdigest()[:16])
    words = builder.words
    if story is not None:
        out.extend(check_story(story, check_map=check_map, salvage=salvage))
        out.extend(translation_diagnostics(story, root, shown, translation))
    out = salvage.hold_back_after_emptied(out)
    out = hold_back_without_resources(out, display(story_path))
    # A file that cannot be read comes first: everything else may change once it is fixed.
    unreadable = set(salvage.files) | set(salvage.emptied)
    out.sort(key=lambda d: (d.span.file not in unreadable, d.span.file, d.span.line, d.span.col, d.code))
    return Analysis(story, out, [f.name for f in files.values()], words)


def _story_folder_near(path: Path) -> str:
    """The story folder a mistyped path most likely meant: the nearest folder above it with a story.yaml ('')."""
    for folder in path.parents:
        if (folder / STORY_FILE).is_file():
            return f"{folder}/" if str(folder) != "." else "."
    return ""


def load_story(root: str | Path, cache: ParseCache | None = None, lang: str | None = None) -> Story:
    """Load a story for playing; raises StoryLoadError listing every error if there is any.

    Every command that plays the story comes through here (play, simulate, graph,
    facilitate, class journeys, hot reload), and it runs every check ``escape-route check``
    runs, the route map's included (ER060, ER061): a story that ``check`` reports errors
    in is never played, and the count in the refusal is the count ``check`` lists. Only a
    translation's problems (``check --translation``) stop nothing: a string whose
    translation is missing or broken is shown in English.

    With ``lang`` (``ko``), the story's text is that language's translation wherever one is
    usable, English elsewhere (``game.story.translation``).
    """
    analysis = analyse(root, cache)
    errors = analysis.errors
    if not Path(root).is_dir():  # no story at all, only a wrong path: one line, not "run check to see it"
        (problem,) = errors
        raise StoryLoadError(f"{problem.message}. {problem.hint}", [])
    if errors or analysis.story is None:
        count = len(errors)
        raise StoryLoadError(ngettext("the story in {root} has {count} error; run 'escape-route check {root}' to see them",
                                      "the story in {root} has {count} errors; run 'escape-route check {root}' to see them",
                                      count).format(root=root, count=count), errors)
    if lang and lang != "en":
        return translated_story(analysis.story, root, lang)
    return analysis.story


class _Builder:
    """Builds the model from parsed files, reporting into a shared diagnostics list."""

    def __init__(self, root: Path, files: dict[str, _File], out: list[Diagnostic],
                 cache: ParseCache | None = None, salvage: Salvage | None = None) -> None:
        self.root = root
        self.salvage = salvage if salvage is not None else Salvage()
        # names an unreadable file would likely have declared: not reported as undeclared
        self.held_back = frozenset(self.salvage.names | self.salvage.nodes)
        self.cache = cache
        self.files = files
        self.out = out
        self.words = 0
        self.decl_spans: dict[str, tuple[str, SourceSpan]] = {}  # name -> (what, where)
        self.resources: dict[str, Resource] = {}
        self.flags: list[str] = []
        self.items: dict[str, Item] = {}
        self.node_data: dict[str, tuple[_File, LMap, Loc, str]] = {}  # id -> (file, data, loc, chapter)
        self.node_key_spans: dict[str, SourceSpan] = {}
        self.chapters: list[tuple[str, str]] = []
        self.scope: ex.Scope | None = None
        # Identical conditions and texts recur all over a story ("cash >= 150"); compile each
        # once. Only successes are kept, so every faulty occurrence is still reported where it is.
        self._expr_cache: dict[tuple[str, str], tuple[ex.Program, ex.Expr]] = {}
        self._text_cache: dict[str, tpl.Template] = {}
        self._shown_names: frozenset[str] = frozenset()
        self._good_conditions: set[str] = set()  # {if …} conditions that passed their check
        self._effects: dict[tuple[str, str], Effect] = {}  # plain "add a number" effects, shared

    # ---------------------------------------------------------------- declarations

    def declare(self, f: _File, name: str, what: str, span: SourceSpan) -> bool:
        if name in self.decl_spans:
            other_what, other = self.decl_spans[name]
            f.report("ER023", span, name=name, what=_(what),
                     other=_("{place} (as {what})").format(place=other, what=_(other_what)))
            return False
        self.decl_spans[name] = (what, span)
        return True

    def read_story_yaml(self) -> LMap | None:
        f = self.files[STORY_FILE]
        data = f.src.data
        if data is None:
            if not any(d.span.file == f.name for d in self.out):
                f.report("ER007", SourceSpan(f.name, 1, 1), detail=_("{file} is empty").format(file=f.name))
            return None
        top = f.fields(data, _STORY, STORY_FILE, getattr(data, "loc", Loc.at(SourceSpan(f.name, 1, 1))))
        if top is None:
            return None
        resources = f.get(top, "resources", "map", LMap(top.loc))
        for name, spec in resources.items():
            loc = resources.value_locs[name]
            rdata = f.fields(spec, _RESOURCE, _("resource '{name}'").format(name=name), loc)
            if rdata is None or not self.declare(f, name, N_("a resource"), resources.key_locs[name].span):
                continue
            lo, hi = f.get(rdata, "min", "number"), f.get(rdata, "max", "number")
            start = f.get(rdata, "start", "number", 0)
            if any(number_problem(v) for v in (lo, hi, start) if v is not None):
                pass  # already an ER008 where it stands; comparing it would only repeat the problem
            elif lo is not None and hi is not None and lo > hi:
                f.report("ER014", rdata.value_locs["min"].span,
                         detail=_("resource '{name}' has min {min} above max {max}").format(name=name, min=lo, max=hi),
                         fix=_("Swap min and max."))
            elif (lo is not None and start < lo) or (hi is not None and start > hi):
                f.report("ER014", rdata.value_locs["start"].span,
                         detail=_("resource '{name}' starts at {start}, outside its bounds").format(name=name,
                                                                                                       start=start),
                         fix=_("Make start lie between min and max."))
            unit = f.get(rdata, "unit", "text", "")
            better = f.get(rdata, "better", "text", "higher")
            if better not in ("higher", "lower"):
                f.report("ER014", rdata.value_locs["better"].span,
                         detail=_("better must be 'higher' or 'lower', not '{value}'").format(value=better),
                         fix=_("Write better: lower for things like exposure or debt."))
                better = "higher"
            self.resources[name] = Resource(name, start, lo, hi, f.get(rdata, "label", "text", name), unit,
                                            f.get(rdata, "unit_plural", "text", unit + "s" if unit else ""),
                                            resources.key_locs[name].span, better)
        self.declare_flags(f, top)
        items = f.get(top, "items", "map", LMap(top.loc))
        for name, spec in items.items():
            idata = f.fields(spec, _ITEM, _("item '{name}'").format(name=name), items.value_locs[name])
            if idata is not None and self.declare(f, name, N_("an item"), items.key_locs[name].span):
                tone = f.get(idata, "tone", "text", "")
                if tone not in ("", "neutral"):
                    f.report("ER014", idata.value_locs["tone"].span,
                             detail=_("an item's tone must be 'neutral', not '{value}'").format(value=tone),
                             fix=_("Write tone: neutral for an item that is neither a gain nor a loss to show, "
                                   "or leave tone out."))
                    tone = ""
                self.items[name] = Item(name, f.get(idata, "label", "text", name), items.key_locs[name].span, tone)
        return top

    def declare_flags(self, f: _File, data: LMap) -> None:
        flags = f.get(data, "flags", "texts", [])
        for i, name in enumerate(flags):
            span = flags.item_locs[i].span
            if not _is_identifier(name):
                f.report("ER014", span, detail=_("'{name}' is not a valid flag name").format(name=name),
                         fix=_("Names use letters, digits and _ and start with a letter."))
            elif self.declare(f, name, N_("a flag"), span):
                self.flags.append(name)

    def read_facts(self) -> dict[str, Fact]:
        facts: dict[str, Fact] = {}
        f = self.files.get(FACTS_FILE)
        if f is None or f.src.data is None:
            return facts
        top = f.fields(f.src.data, _FACTS, FACTS_FILE, getattr(f.src.data, "loc", Loc.at(SourceSpan(f.name, 1, 1))))
        entries = f.get(top, "facts", "map", None)
        if entries is None:
            return facts
        for fact_id, data in entries.items():
            loc = entries.value_locs[fact_id]
            fd = f.fields(data, _FACT, _("fact '{fact}'").format(fact=fact_id), loc)
            if fd is None:
                continue
            confidence = f.get(fd, "confidence", "text", "weak")
            if "confidence" in fd and confidence not in CONFIDENCE:
                f.report("ER014", fd.value_locs["confidence"].span,
                         detail=_("confidence '{value}' is not one of {allowed}").format(value=confidence,
                                                                                          allowed=", ".join(CONFIDENCE)),
                         fix=did_you_mean(confidence, CONFIDENCE, _("Use strong, medium or weak.")))
            source = f.get(fd, "source", "text", "")
            if source and not source.startswith(("http://", "https://")):
                f.report("ER014", fd.value_locs["source"].span,
                         detail=_("source of fact '{fact}' is not a URL").format(fact=fact_id),
                         fix=_("Give the address of the article or report, starting with https://."))
            year = f.get(fd, "year", "int", 0)
            if "year" in fd and isinstance(year, int) and not 1900 < year <= 2100:
                f.report("ER014", fd.value_locs["year"].span,
                         detail=_("year {year} of fact '{fact}' is not the year of a modern source").format(
                             year=year, fact=fact_id),
                         fix=_("Write the year the source was published, for example 2010."))
            for key in ("source", "source_title", "text"):
                if key in fd and isinstance(fd[key], str) and not fd[key].strip():
                    f.report("ER014", fd.value_locs[key].span,
                             detail=_("'{key}' of fact '{fact}' is empty").format(key=key, fact=fact_id),
                             fix=_("Write the source's address (source), its name and year (source_title) and the "
                                   "fact in your own words (text)."))
            checked = str(f.get(fd, "checked", "text", ""))
            if checked and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", checked):
                f.report("ER014", fd.value_locs["checked"].span,
                         detail=_("'checked' of fact '{fact}' is not a date").format(fact=fact_id),
                         fix=_('Write the day you read the source as "YYYY-MM-DD", in quotes.'))
            facts[fact_id] = Fact(fact_id, f.get(fd, "text", "text", ""), source,
                                  f.get(fd, "source_title", "text", ""), f.get(fd, "year", "int", 0), confidence,
                                  entries.key_locs[fact_id].span, quote=f.get(fd, "quote", "text", ""),
                                  where=f.get(fd, "where", "text", ""), checked=str(f.get(fd, "checked", "text", "")),
                                  not_rechecked=f.get(fd, "not_rechecked", "text", ""),
                                  also=self.fact_sources(f, fact_id, f.get(fd, "also", "list", None)))
        return facts

    @staticmethod
    def fact_sources(f: _File, fact_id: str, listed: LList | None) -> tuple[FactSource, ...]:
        """A fact's ``also:`` list: further sources, each checked like the main source (ER011, ER012, ER014).

        A source with a problem is reported where it is and left out; the fact keeps
        its other sources, so one bad address never hides the rest.
        """
        out: list[FactSource] = []
        for index, raw in enumerate(listed or ()):
            loc = listed.item_locs[index]
            where = _("further source {n} of fact '{fact}'").format(n=index + 1, fact=fact_id)
            sd = f.fields(raw, _FACT_SOURCE, where, loc)
            if sd is None:
                continue
            ok = all(key in sd and key not in sd.wrong for key in _FACT_SOURCE.required)
            for key in ("source", "source_title", "quote"):
                if key in sd and isinstance(sd[key], str) and not sd[key].strip():
                    ok = False
                    f.report("ER014", sd.value_locs[key].span,
                             detail=_("'{key}' of {where} is empty").format(key=key, where=where),
                             fix=_("Give the source's address (source), its name and year (source_title) and "
                                   "the passage the fact rests on, copied exactly (quote)."))
            address = f.get(sd, "source", "text", "")
            if address.strip() and not address.startswith(("http://", "https://")):
                ok = False
                f.report("ER014", sd.value_locs["source"].span,
                         detail=_("source of {where} is not a URL").format(where=where),
                         fix=_("Give the address of the article or report, starting with https://."))
            lang = f.get(sd, "lang", "text", "")
            if "lang" in sd and "lang" not in sd.wrong and not _LANG_TAG.fullmatch(str(lang)):
                ok = False
                f.report("ER014", sd.value_locs["lang"].span,
                         detail=_("'{lang}' of {where} is not a language code").format(lang=lang, where=where),
                         fix=_("Write the language as a BCP-47 code: ko for Korean, en for English."))
            checked = str(f.get(sd, "checked", "text", ""))
            if "checked" in sd and "checked" not in sd.wrong and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", checked):
                ok = False
                f.report("ER014", sd.value_locs["checked"].span,
                         detail=_("'checked' of {where} is not a date").format(where=where),
                         fix=_('Write the day you read the source as "YYYY-MM-DD", in quotes.'))
            if ok:
                out.append(FactSource(address, f.get(sd, "source_title", "text", ""), str(lang),
                                      f.get(sd, "quote", "text", ""), checked, loc.span,
                                      where=f.get(sd, "where", "text", "")))
        return tuple(out)

    def read_chapters(self) -> None:
        """Pass 1 over chapters: node ids (duplicates across files) and chapter flags."""
        for name, f in self.files.items():
            if name in (STORY_FILE, FACTS_FILE):
                continue
            data = f.src.data
            if data is None or (isinstance(data, LMap) and not data.get("nodes")):
                if f.name not in self.salvage.files:  # emptied: nothing, only comments, no nodes
                    f.report("ER009", SourceSpan(f.name, 1, 1), file=Path(name).name)
                    self.salvage.emptied.append(f.name)
                continue
            top = f.fields(data, _CHAPTER, _("a chapter file"), getattr(data, "loc", Loc.at(SourceSpan(f.name, 1, 1))))
            if top is None:
                continue
            title = f.get(top, "chapter", "text", Path(name).stem)
            self.chapters.append((f.name, title))
            self.declare_flags(f, top)
            nodes = f.get(top, "nodes", "map", None)
            if nodes is None:
                continue
            for node_id, node in nodes.items():
                span = nodes.key_locs[node_id].span
                if not _is_identifier(str(node_id)):
                    f.report("ER014", span, detail=_("'{node}' is not a valid node id").format(node=node_id),
                             fix=_("Node ids use letters, digits and _ and start with a letter."))
                    continue
                if node_id in self.node_data:
                    f.report("ER021", span, node=node_id, other=str(self.node_key_spans[node_id]))
                    continue
                self.node_data[node_id] = (f, node, nodes.value_locs[node_id], title)
                self.node_key_spans[node_id] = span

    # ---------------------------------------------------------------- the whole story

    def build(self, digest: str) -> Story | None:
        top = self.read_story_yaml()
        facts = self.read_facts()
        self.read_chapters()
        if top is None:
            return None
        self.scope = ex.Scope(frozenset(self.resources), frozenset(self.flags), frozenset(self.items),
                              frozenset(self.node_data))
        self._shown_names = self.scope.resources | self.scope.flags  # what a {name} in a text can show
        nodes = {}
        by_file: dict[str, list[str]] = {}
        for node_id, (f, *_rest) in self.node_data.items():
            by_file.setdefault(f.name, []).append(node_id)
        signature = (self.scope, tuple(sorted(self.resources)), self.held_back, language())
        for name, ids in by_file.items():
            source = self.node_data[ids[0]][0]
            key = (id(source.src), signature, tuple(ids))
            cached = self.cache.built.get(name) if self.cache is not None else None
            if cached is not None and cached[0] == key:
                _key, built, problems, words = cached
            else:
                problems: list[Diagnostic] = []
                local = _File(source.src, problems)
                words_before = self.words
                built = {}
                for node_id in ids:
                    _file, data, loc, chapter = self.node_data[node_id]
                    node = self.build_node(node_id, local, data, loc, chapter)
                    if node is not None:
                        built[node_id] = node
                words = self.words - words_before
                self.words = words_before
                if self.cache is not None:
                    self.cache.built[name] = (key, built, problems, words)
            nodes.update(built)
            self.out.extend(problems)
            self.words += words
        f = self.files[STORY_FILE]
        map_text = f.get(top, "map", "text", None)
        spans = {key: top.value_locs[key].span for key in top}
        if isinstance(top.get("start"), str) and not top["start"].strip():
            f.report("ER014", spans["start"], detail=_("'start' is empty"),
                     fix=_("Write the id of the node the story begins at, for example start: hyesan_market."))
        return Story(
            root=self.root,
            title=f.get(top, "title", "text", ""),
            version=f.get(top, "version", "version", ""),
            year=f.get(top, "year", "int", 0),
            start=f.get(top, "start", "text", ""),
            map_path=(self.root / map_text) if map_text else None,
            content_note=f.get(top, "content_note", "text", "").strip(),
            resources=self.resources,
            flags=tuple(self.flags),
            items=self.items,
            facts=facts,
            nodes=nodes,
            chapters=tuple(self.chapters),
            debrief_questions=tuple(f.get(top, "debrief_questions", "texts", [])),
            journey_choices=self.journey_choices(f, top),
            ambiences=self.ambiences(f, top),
            digest=digest,
            spans=spans,
        )

    def journey_choices(self, f: _File, top: LMap) -> tuple[float, float] | None:
        aim = f.get(top, "journey_choices", "list", None)
        if aim is None:
            return None
        if len(aim) != 2 or not all(_is_number(v) and v >= 0 for v in aim) or aim[0] > aim[1]:
            f.report("ER014", top.value_span("journey_choices"),
                     detail=_("journey_choices must be two numbers, the shortest and longest average journey you "
                              "aim at"),
                     fix=_("Write journey_choices: [25, 45]."))
            return None
        return float(aim[0]), float(aim[1])

    def ambiences(self, f: _File, top: LMap) -> dict[str, str]:
        """story.yaml's ``ambiences:``, each name with the caption a player who cannot hear it reads."""
        declared = f.get(top, "ambiences", "map", None)
        out: dict[str, str] = {}
        for name, caption in (declared or {}).items():
            if not _is_identifier(str(name)) or not isinstance(caption, str) or not caption.strip():
                f.report("ER014", declared.key_locs[name].span,
                         detail=_("ambience '{name}' needs a name of letters, digits and _ and a caption in "
                                  "words").format(name=name),
                         fix=_("Write it as river_ice: \"river at night, ice cracking\"."))
                continue
            out[str(name)] = caption.strip()
        return out

    def build_node(self, node_id: str, f: _File, raw: Any, loc: Loc, chapter: str) -> Node | None:
        data = f.fields(raw, _NODE, lambda: _("node '{node}'").format(node=node_id), loc)
        if data is None:
            return None
        get = f.getter(data)
        text_source = get("text", "")
        self.words += len(text_source.split())
        render = self.template(f, text_source, lambda: data.value_locs.get("text", loc))
        has_choices, has_ending = "choices" in data, "ending" in data
        if has_choices and has_ending:
            f.report("ER013", self.node_key_spans[node_id], node=node_id,
                     detail=_("has both 'choices' and 'ending'"))
        choices = []
        listed = get("choices", [])
        for i, choice_data in enumerate(listed):
            choice = self.build_choice(f, node_id, len(choices), choice_data, Loc.at(listed.item_span(i)))
            if choice is not None:
                choices.append(choice)
        ending = None
        if has_ending:
            ending = self.build_ending(f, node_id, data["ending"], data.value_locs["ending"])
        facts = get("facts", [])
        if not facts:
            self.unsourced_numbers(f, node_id, data)
        location, heading = get("location", ""), get("heading", "")
        chosen = {key: self.place_template(f, data, key) for key, value in (("location", location), ("heading", heading))
                  if "{" in value}
        return Node(
            id=node_id,
            file=f.name,
            chapter=chapter,
            title=get("title", ""),
            text=render,
            text_source=text_source,
            location=get("location", ""),
            heading=get("heading", ""),
            effects=self.effects(f, data, "effects"),
            facts=tuple(facts),
            discuss=get("discuss", "").strip(),
            tags=tuple(get("tags", [])),
            rollback=get("rollback", True),
            choices=tuple(choices),
            ending=ending,
            span=self.node_key_spans[node_id],
            location_span=data.value_span("location") if "location" in data else None,
            heading_span=data.value_span("heading") if "heading" in data else None,
            fact_spans=tuple(facts.item_span(i) for i in range(len(facts))) if facts else (),
            ambience=get("ambience", "").strip(),
            ambience_span=data.value_span("ambience") if "ambience" in data else None,
            location_text=chosen["location"][0] if "location" in chosen else None,
            heading_text=chosen["heading"][0] if "heading" in chosen else None,
            place_options=tuple(option for _, options in chosen.values() for option in options),
        )

    def unsourced_numbers(self, f: _File, node_id: str, data: LMap) -> None:
        """ER054: a price or a distance in a passage, a choice or a reason of a node that links no fact.

        The player reads these as true, so each needs a source the debrief can show.
        The debrief's own numbers are ER052's (they must be in the linked facts).
        """
        places: list[tuple[Any, Loc, set[str]]] = []
        if isinstance(data.get("text"), str):
            places.append((data["text"], data.value_locs["text"], set()))
        listed = data.get("choices")
        if isinstance(listed, LList):
            for choice in listed:
                if isinstance(choice, LMap):
                    own = _own_numbers(choice)
                    places += [(choice[key], choice.value_locs[key], own) for key in ("text", "reason")
                               if isinstance(choice.get(key), str)]
        for text, loc, own in places:
            for found in MONEY_OR_DISTANCE.finditer(text):
                snippet = found.group()
                if re.sub(r"\D", "", snippet) in own:
                    continue  # the choice's own cost ("You need ¥40" with cash >= 40): its effect says where it is from
                span = locate_in(f.src, loc, found.start(), snippet, text[:found.start()].count(snippet))
                f.report("ER054", span, node=node_id, number=snippet)

    def place_template(self, f: _File, data: LMap, key: str) -> tuple[tpl.Template | None, list]:
        """A ``location:``/``heading:`` that chooses with ``{if …}``: its template and the ids it can name.

        The conditions are checked like any text's; each stretch outside the tags is one
        place id, kept with its position so the checker can point at an unknown one.
        A ``{name}`` value is kept as written, so the checker reports that it is no place.
        Returns (None, []) when the template is malformed (already reported).
        """
        source, loc = data[key], data.value_locs[key]
        render = self.template(f, source, loc)
        if len(render.parts) == 1 and isinstance(render.parts[0], tpl.Literal):
            return None, []
        options = []
        for found in _PLACE_PART.finditer(source):
            word = found.group()
            if word.startswith("{") and not tpl.is_value_tag(word):
                continue
            stripped = word.strip()
            if stripped:
                at = found.start() + len(word) - len(word.lstrip())
                options.append((key, stripped, locate_in(f.src, loc, at, stripped)))
        return render, options

    def build_choice(self, f: _File, node_id: str, index: int, raw: Any, loc: Loc) -> Choice | None:
        data = f.fields(raw, _CHOICE, lambda: _("a choice of node '{node}'").format(node=node_id), loc)
        if data is None:
            return None
        get = f.getter(data)
        text_source = get("text", "")
        self.words += len(text_source.split())
        condition, tree, cond_source = None, None, ""
        if "if" in data and _fits("expr", data["if"]):
            cond_source = str(data["if"])
            compiled = self.expression(f, data["if"], lambda: data.value_locs["if"], ex.BOOL)
            if compiled:
                condition, tree = compiled
        if "reason" in data and "if" not in data:
            f.report("ER037", data.value_span("reason"))
        roll = None
        broken = _names_in_broken(data, _CHOICE)
        if "roll" in data and isinstance(data["roll"], LMap):
            roll = self.build_roll(f, node_id, data["roll"], data.value_locs["roll"])
            broken += _names_in_broken(data["roll"], _ROLL)
            if roll is None and isinstance(data["roll"].get("fail"), str):
                broken.append(data["roll"]["fail"].strip())
        return Choice(
            index=index,
            text=self.template(f, text_source, lambda: data.value_locs.get("text", loc)),
            text_source=text_source,
            condition=condition,
            condition_source=cond_source,
            condition_tree=tree,
            reason=get("reason", ""),
            effects=self.effects(f, data, "effects"),
            hidden=self.effects(f, data, "hidden_cost"),
            roll=roll,
            goto=get("goto", ""),
            span=loc.span,
            goto_span=data.value_span("goto") if "goto" in data else loc.span,
            id=str(get("id", "")),
            broken_targets=tuple(dict.fromkeys(broken)),
            condition_span=data.value_span("if") if tree is not None else None,
        )

    def build_roll(self, f: _File, node_id: str, raw: LMap, loc: Loc) -> Roll | None:
        data = f.fields(raw, _ROLL, _("a roll in node '{node}'").format(node=node_id), loc)
        if data is None or not _fits("expr", data.get("chance")):
            return None
        chance = data["chance"]
        constant = None
        if isinstance(chance, (int, float)):
            constant = float(chance)
            if not 0 <= constant <= 1:
                f.report("ER014", data.value_locs["chance"].span,
                         detail=_("chance {chance} is not between 0 and 1").format(chance=chance),
                         fix=_("Write a chance as a fraction: 0.2 means 20%."))
            fn: Callable[[Any], float] = ex.Program(ex.Num(constant, 1))
        else:
            compiled = self.expression(f, chance, lambda: data.value_locs["chance"], ex.NUMBER)
            if compiled is None:
                return None
            fn = compiled[0]
        return Roll(
            chance=fn,
            chance_source=str(chance),
            label=f.get(data, "label", "text", "risk"),
            fail=f.get(data, "fail", "text", ""),
            fail_effects=self.effects(f, data, "fail_effects"),
            span=loc.span,
            fail_span=data.value_span("fail") if "fail" in data else loc.span,
            constant=constant,
            hidden=bool(f.get(data, "hidden", "bool", False)),
        )

    def build_ending(self, f: _File, node_id: str, raw: Any, loc: Loc) -> Ending | None:
        data = f.fields(raw, _ENDING, _("the ending of node '{node}'").format(node=node_id), loc)
        if data is None:
            return None
        kind = f.get(data, "kind", "text", "lost")
        if "kind" in data and kind not in ENDING_KINDS:
            f.report("ER014", data.value_locs["kind"].span,
                     detail=_("ending kind '{kind}' is not one of {allowed}").format(kind=kind,
                                                                                   allowed=", ".join(ENDING_KINDS)),
                     fix=did_you_mean(kind, ENDING_KINDS, _("Pick one of the kinds.")))
        return Ending(f.get(data, "id", "text", node_id), kind, f.get(data, "title", "text", ""),
                      f.get(data, "debrief", "text", "").strip(),
                      data.value_locs["debrief"].span if "debrief" in data else loc.span)

    # ---------------------------------------------------------------- expressions, effects, text

    def expression(self, f: _File, value: Any, loc: Loc | Callable[[], Loc], expected: str
                   ) -> tuple[ex.Program, ex.Expr] | None:
        """Parse, check and compile an expression value; report problems at their column.

        ``loc`` may be a function that finds the location: it is called only to report
        a problem, which spares building a location for every expression of a story.
        """
        if isinstance(value, bool):
            value = "true" if value else "false"
        text = str(value)
        cached = self._expr_cache.get((text, expected))
        if cached is not None:
            return cached
        try:
            tree = ex.parse(text)
        except ExprError as exc:
            loc = loc() if callable(loc) else loc
            span = locate_in(f.src, loc, exc.column - 1, text[exc.column - 1:exc.column])
            percent = re.search(r"(\d+(?:\.\d+)?)\s*%", text)
            hint = exc.hint or dx.hint("ER031")
            if percent and text[exc.column - 1:exc.column] == "%":
                fraction = f"{float(percent.group(1)) / 100:.6g}"
                hint = dx.translate("Write a chance as a fraction, without '%': write {fraction} for {percent}%.").format(
                    fraction=fraction, percent=percent.group(1))
            f.out.append(dx.Diagnostic("ER031", Severity.ERROR, exc.message, span, hint))
            return None
        problems = ex.check(tree, self.scope, expected)
        if problems and callable(loc):
            loc = loc()
        for problem in problems:
            self.report_problem(f, loc, text, problem)
        if problems:
            return None
        zero = _divides_by_zero(tree)
        if zero is not None:  # reported each time (not cached: the cache is for expressions without problems)
            loc = loc() if callable(loc) else loc
            f.report("ER036", locate_in(f.src, loc, zero.col - 1, "/"), text=text)
            return ex.Program(tree), tree
        result = self._expr_cache[(text, expected)] = (ex.Program(tree), tree)
        return result

    def report_problem(self, f: _File, loc: Loc, text: str, problem: ex.CheckProblem, base: int = 0) -> None:
        offset = base + problem.column - 1
        snippet = problem.name or text[problem.column - 1:problem.column]
        span = locate_in(f.src, loc, offset, snippet, text[:offset].count(snippet) if snippet else 0)
        if problem.code == "ER030" and problem.name in self.held_back:
            return  # declared (or a node) in a file that cannot be read: that file's error says it all
        if problem.code == "ER030":
            variant = problem.variant
            if variant == "flag_not_item":
                fallback = dx.translate("Write '{name}' instead of 'has({name})': has() is for items, and a "
                                        "flag is already true or false.", {"name": problem.name})
                problem.candidates = []
            elif variant == "resource_not_item":
                fallback = dx.translate("has() is for items; compare a resource with a number instead.")
            elif variant == "not_node":
                fallback = dx.translate("visited() and visits() take a node id: create a node with that id, or fix the "
                                         "spelling.")
            elif variant == "not_item":
                fallback = dx.translate("has() takes an item: declare it under 'items:' in story.yaml, or fix the "
                                         "spelling.")
            else:
                fallback = dx.translate("Fix the spelling, or declare it: a flag in this chapter's 'flags:' list (or in "
                                        "story.yaml's), a resource or an item in story.yaml.")
            hint = did_you_mean(problem.name, problem.candidates, fallback)
            if hint != fallback and variant not in ("not_node", "flag_not_item"):
                variant = "near_miss"  # a declared name is spelt close to it: a typo (salvage asks)
            f.out.append(dx.Diagnostic("ER030", Severity.ERROR, problem.message, span, hint, variant))
        elif problem.code == "ER033":
            hint = did_you_mean(problem.name, problem.candidates, dx.hint("ER033")) if problem.name \
                else dx.hint("ER033")
            f.out.append(dx.Diagnostic("ER033", Severity.ERROR, problem.message, span, hint))
        else:
            f.report(problem.code, span, detail=problem.message)

    def template(self, f: _File, text: str, loc: Loc | Callable[[], Loc]) -> tpl.Template:
        """Parse and check story text; on error, fall back to the raw text so play can continue.

        ``loc`` may be a function that finds the location (called only to report a problem).
        """
        cached = self._text_cache.get(text)
        if cached is not None:
            return cached
        if "{" not in text and "}" not in text:  # most texts: nothing to parse or check
            render = self._text_cache[text] = tpl.Template.plain(text)
            return render
        try:
            parts = tpl.parse_template(text)
        except tpl.TemplateError as exc:
            span = locate_in(f.src, loc() if callable(loc) else loc, exc.offset, exc.snippet)
            code = exc.code
            hint = exc.hint or dx.hint(code)
            f.out.append(dx.Diagnostic(code, Severity.ERROR, exc.message, span, hint))
            return tpl.Template.plain(text)
        ok, divides = True, False
        shown = self._shown_names
        for kind, payload, offset in tpl.names_in(parts):
            if kind == "value":
                if payload not in shown:
                    problem = ex.CheckProblem("ER030", dx.translate("'{name}' in the text is not declared",
                                                                    {"name": payload}), 1, payload,
                                              self.scope.names(), "undeclared")
                    loc = loc() if callable(loc) else loc
                    self.report_problem(f, loc, text, problem, base=offset)
                    ok = False
            elif payload[0] not in self._good_conditions:
                problems = ex.check(payload[1], self.scope, ex.BOOL)
                zero = None if problems else _divides_by_zero(payload[1])
                if not problems and zero is None:
                    self._good_conditions.add(payload[0])
                for problem in problems:
                    loc = loc() if callable(loc) else loc
                    self.report_problem(f, loc, text, problem, base=offset)
                    ok = False
                if zero is not None:  # a warning: the text still works, so it is kept
                    loc = loc() if callable(loc) else loc
                    at = offset + zero.col - 1
                    f.report("ER036", locate_in(f.src, loc, at, "/", text[:at].count("/")), text=payload[0])
                    divides = True
        if not ok:
            return tpl.Template.plain(text)
        render = tpl.Template(parts)
        if not divides:  # a text with a warning is not cached, so each copy of it is reported where it is
            self._text_cache[text] = render
        return render

    def effects(self, f: _File, data: LMap, key: str) -> tuple[Effect, ...]:
        if key not in data:
            return ()
        raw = f.get(data, key, "map", None)
        if raw is None:
            return ()
        result: list[Effect] = []
        for target, value in raw.items():
            if target in self.resources and isinstance(value, (int, float)) and not isinstance(value, bool):
                # The common case, without locations; "days: 1" recurs all over a story, so its
                # (immutable) Effect is made once.
                source = str(value)  # as the key: 0.0 and -0.0 are equal but not the same effect
                effect = self._effects.get((target, source))
                if effect is None:
                    effect = self._effects[(target, source)] = Effect("add", target, value, source)
                result.append(effect)
                continue
            loc = raw.value_locs[target]
            span = raw.key_span(target)
            if target == "set":
                if not isinstance(value, LMap):
                    f.report("ER035", loc.span, detail=_("'set' must be a mapping of resources to values"),
                             fix=_("Write set: {cash: 0}."))
                    continue
                for name, v in value.items():
                    if name not in self.resources:
                        fallback = _("Use a resource name.")
                        fix = did_you_mean(name, self.resources, fallback)
                        f.report("ER035", value.key_locs[name].span, "undeclared" if fix == fallback else "near_miss",
                                 detail=_("'set' can only set resources; '{name}' is not one").format(name=name),
                                 fix=fix)
                        continue
                    effect = self.number_effect(f, "set", name, v, value.value_locs[name])
                    if effect:
                        result.append(effect)
                continue
            if target in self.resources:
                effect = self.number_effect(f, "add", target, value, loc)
                if effect:
                    result.append(effect)
            elif target in self.flags or target in self.items:
                kind = "flag" if target in self.flags else "item"
                if not isinstance(value, bool):
                    if kind == "flag":
                        detail = _("'{name}' is a flag: its effect must be true or false, not {got}")
                        fix = _("Write {name}: true to set it, {name}: false to clear it.")
                    else:
                        detail = _("'{name}' is an item: its effect must be true or false, not {got}")
                        fix = _("Write {name}: true to give it, {name}: false to take it away.")
                    f.report("ER035", loc.span, detail=detail.format(name=target, got=_kind_of(value)),
                             fix=fix.format(name=target))
                    continue
                result.append(Effect(kind, target, value, str(value).lower()))
            elif target in self.held_back:
                continue  # declared in a file that cannot be read
            else:
                known = [*self.resources, *self.flags, *self.items, "set"]
                fallback = _("Declare it in story.yaml first.")
                fix = did_you_mean(target, known, fallback)
                f.report("ER035", span, "undeclared" if fix == fallback else "near_miss",
                         detail=_("'{name}' is not a declared resource, flag or item").format(name=target), fix=fix)
        return tuple(result)

    def number_effect(self, f: _File, kind: str, target: str, value: Any, loc: Loc) -> Effect | None:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            f.report("ER035", loc.span,
                     detail=_("the change to '{name}' must be a number or an expression, not {got}").format(
                         name=target, got=_kind_of(value)),
                     fix=_("Write {name}: -10 or {name}: \"-{name} / 2\".").format(name=target))
            return None
        if isinstance(value, (int, float)):
            return Effect(kind, target, value, str(value))
        compiled = self.expression(f, value, loc, ex.NUMBER)
        if compiled is None:
            return None
        return Effect(kind, target, compiled[0], value, computed=True)


def _divides_by_zero(tree: ex.Expr) -> ex.Binary | None:
    """The first division by a number that is always 0 (``exposure / 0``, ``x / (2 - 2)``, ``x / (trust - trust)``)."""
    return next((node for node in ex.walk(tree)
                 if isinstance(node, ex.Binary) and node.op == "/" and _always_zero(node.right)), None)


def _always_zero(node: ex.Expr) -> bool:
    """Whether an expression is 0 whatever the story's values are.

    Not a solver: numbers alone (``2 - 2``), a part taken from itself (``trust - trust``,
    ``(cash + 1) - (cash + 1)``), and what multiplies or divides such a part (``days * 0``,
    ``0 / cash``). That is what a writer types by mistake; a divisor that is 0 only for
    some values (``trust - 5``) is the story's business, and gives 0 in play.
    """
    value = _constant(node)
    if value is not None:
        return value == 0
    if isinstance(node, ex.Unary) and node.op in ("-", "+"):
        return _always_zero(node.operand)
    if isinstance(node, ex.Binary):
        if node.op == "-":
            return ex.same(node.left, node.right)
        if node.op == "*":
            return _always_zero(node.left) or _always_zero(node.right)
        if node.op == "/":
            return _always_zero(node.left)
    return False


def _constant(node: ex.Expr) -> float | None:
    """The value of an expression made only of numbers (and min/max of them), or None."""
    if isinstance(node, ex.Num):
        return node.value
    if isinstance(node, ex.Unary) and node.op in ("-", "+"):
        inner = _constant(node.operand)
        return None if inner is None else (-inner if node.op == "-" else inner)
    if isinstance(node, ex.Binary) and node.op in ("+", "-", "*", "/"):
        a, b = _constant(node.left), _constant(node.right)
        if a is None or b is None:
            return None
        if node.op == "/":
            return a / b if b else 0  # as in play (a division by 0 is reported where it is)
        return a + b if node.op == "+" else a - b if node.op == "-" else a * b
    if isinstance(node, ex.Call) and node.func in ("min", "max") and node.args:
        values = [_constant(arg) for arg in node.args]
        if any(v is None for v in values):
            return None
        return min(values) if node.func == "min" else max(values)
    return None


def _is_identifier(name: str) -> bool:
    return name.isidentifier() and name.isascii() and not name.startswith("__")
