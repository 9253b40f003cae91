"""Story translations: gettext catalogs beside the story, applied to the model after loading.

A translator never edits YAML. Every translatable string of the story (titles, texts,
choices, reasons, risk labels, endings, debriefs, questions, facts, resource and item
labels, chapter titles, place names) becomes one gettext message whose *context* says
where it lives (``node:hyesan_night/text``, ``node:broker_meeting/choice:broker_vetting/text``)
and whose *msgid* is the English. The context is what keeps a translation tied to its
place when a file is reordered (Yarn Spinner's line IDs, in gettext's own terms); the
msgid is what shows that the English changed, so the update marks the old translation
"fuzzy" for the translator instead of showing it stale.

Catalogs live in ``story/locale/<lang>/<file>.po``, one per story file, so several
translators can work at once and Poedit, Weblate or Crowdin read them as they are.

A translation is never shown half-broken: a string whose translation is missing, fuzzy,
or does not keep the English's ``{name}`` and ``{if …}…{end}`` is shown in English, and
:func:`check_translation` says which and where (``.po`` file and line).
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from game.errors import DataFileError
from game.files import read_bytes
from game.l10n import _
from game.story import diagnostics as dx
from game.story import template as tpl
from game.story.diagnostics import Diagnostic
from game.story.model import Choice, Node, Story
from game.story.source import SourceSpan

#: The largest catalog file read (the shipped story's largest chapter makes a .po of about 120 KB).
MAX_CATALOG_BYTES = 4 * 1024 * 1024
LOCALE_FOLDER = "locale"
#: The file that holds the place names (they come from the route map, not from a story file).
PLACES_FILE = "places"
_LANG = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")


@dataclass(frozen=True, slots=True)
class StoryString:
    """One translatable string: where it lives (``context``), its English, and a note for the translator."""

    context: str
    english: str
    file: str  # the catalog it belongs to: the story file's stem ("01_hyesan"), or "places"
    line: int  # where the English is, for the catalog's "#:" reference (0 when unknown)
    note: str  # what it is, for the translator: "choice text", "title of a passage", …
    template: bool  # whether it may hold {name} and {if …}…{end}


@dataclass(frozen=True, slots=True)
class Entry:
    """A translation as read from a catalog, with where it is."""

    context: str
    english: str
    text: str
    fuzzy: bool
    path: str  # as shown to the translator, e.g. story/locale/ko/01_hyesan.po
    line: int


@dataclass(frozen=True, slots=True)
class Translation:
    """Every entry of one language's catalogs, by context, and the problems met reading them."""

    lang: str
    entries: Mapping[str, Entry]
    problems: tuple[Diagnostic, ...] = ()
    files: tuple[str, ...] = ()
    shown_root: str = "story"  # the story folder as the writer named it, for messages


def valid_lang(lang: str) -> bool:
    """A language code as gettext folders name it: ``ko``, ``en``, ``pt_BR``."""
    return bool(_LANG.match(lang))


def choice_keys(node: Node) -> list[str | None]:
    """Each choice's stable key in its node, or None where two choices share a goto and no ``id`` tells them apart."""
    gotos = Counter(choice.goto for choice in node.choices if not choice.id)
    ids = {choice.id for choice in node.choices if choice.id}
    keys: list[str | None] = []
    for choice in node.choices:
        if choice.id:
            keys.append(choice.id)
        elif gotos[choice.goto] == 1 and choice.goto not in ids:
            keys.append(choice.goto)
        else:
            keys.append(None)
    return keys


def choice_context(node: Node, key: str, field: str) -> str:
    return f"node:{node.id}/choice:{key}/{field}"


def _stem(file: str) -> str:
    return Path(file).stem


def chapter_files(story: Story) -> dict[str, str]:
    """Each chapter title and the first file that has it. A file that continues a chapter (``01b_…`` with
    ``chapter: Hyesan``) is translated with it, under the first file's context, so the translated chapter
    cannot differ between its files (a second, different title would show a chapter card mid-chapter)."""
    first: dict[str, str] = {}
    for file, title in story.chapters:
        first.setdefault(title, file)
    return first


def story_strings(story: Story, places: Mapping[str, str] | None = None,
                  notes: Mapping[str, str] | None = None) -> list[StoryString]:
    """Every translatable string of the story, in reading order, grouped by the file that holds it.

    ``places`` maps a route-map location id to its English name. Choices that share a
    goto with another choice of their node and have no ``id`` are left out: they have
    no stable key yet (``escape-route i18n extract`` gives them one).
    """
    out: list[StoryString] = []
    story_file = "story"

    def add(context: str, english: str, file: str, line: int, note: str, template: bool = False) -> None:
        if english.strip():
            out.append(StoryString(context, english, file, line, note, template))

    top = story.spans
    add("story/title", story.title, story_file, _line(top.get("title")), "the story's title")
    add("story/content_note", story.content_note, story_file, _line(top.get("content_note")),
        "the content note shown before a journey begins")
    for name, res in story.resources.items():
        add(f"resource:{name}/label", res.label, story_file, res.span.line, f"the name of the resource '{name}'")
        if res.unit and not res.is_currency:
            add(f"resource:{name}/unit", res.unit, story_file, res.span.line, f"the unit of '{name}' for 1 (singular)")
            add(f"resource:{name}/unit_plural", res.unit_plural, story_file, res.span.line,
                f"the unit of '{name}' for any other number (plural)")
    for name, item in story.items.items():
        add(f"item:{name}/label", item.label, story_file, item.span.line, f"the name of the item '{name}'")
    for name, caption in story.ambiences.items():
        add(f"ambience:{name}/caption", caption, story_file, _line(top.get("ambiences")),
            "what the player hears, written under the text when captions are on (short, lower case)")
    for number, question in enumerate(story.debrief_questions, 1):
        add(f"story/debrief_question:{number}", question, story_file, 0, "a question for the class debrief")
    for title, file in chapter_files(story).items():
        add(f"chapter:{_stem(file)}/title", title, _stem(file), 1, "the chapter's title")
    for node in story.nodes.values():
        file, line = _stem(node.file), node.span.line
        add(f"node:{node.id}/title", node.title, file, line, "the title of a passage")
        add(f"node:{node.id}/text", node.text_source, file, line, "the text of a passage", template=True)
        add(f"node:{node.id}/discuss", node.discuss, file, line, "a discussion question for the class")
        for choice, key in zip(node.choices, choice_keys(node), strict=True):
            if key is None:
                continue
            cline = choice.span.line
            add(choice_context(node, key, "text"), choice.text_source, file, cline, "a choice", template=True)
            add(choice_context(node, key, "reason"), choice.reason, file, cline,
                "why the choice is closed, shown when it cannot be taken")
            if choice.roll is not None:
                add(choice_context(node, key, "risk"), choice.roll.label, file, choice.roll.span.line,
                    "what the risk is, shown with its chance ('a patrol sees you')")
        if node.ending is not None:
            line = (node.ending.debrief_span or node.span).line
            add(f"node:{node.id}/ending/title", node.ending.title, file, line, "the title of an ending")
            add(f"node:{node.id}/ending/debrief", node.ending.debrief, file, line,
                "the debrief after an ending: what really happens to people in her place")
    for fact in story.facts.values():
        add(f"fact:{fact.id}/text", fact.text, "facts", fact.span.line,
            f"a fact, in the project's words (source: {fact.source_title}, {fact.year}); keep every number")
    for location, name in (places or {}).items():
        add(f"place:{location}", name, PLACES_FILE, 0, "a place on the route map")
        if notes and notes.get(location):
            add(f"place:{location}/note", notes[location], PLACES_FILE, 0,
                f"what the map says about {name} when the player points at it")
    return out


def _line(span: SourceSpan | None) -> int:
    return span.line if span is not None else 0


# --- reading catalogs -------------------------------------------------------------------------------

def catalog_folder(root: Path, lang: str) -> Path:
    return root / LOCALE_FOLDER / lang


def available_languages(root: Path) -> list[str]:
    """The languages the story has catalogs for (folders of ``story/locale`` with a .po file)."""
    folder = root / LOCALE_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and valid_lang(p.name) and any(p.glob("*.po")))


def read_catalog(path: Path, shown: str) -> tuple[list[Entry], list[Diagnostic]]:
    """The entries of one .po file; a file that cannot be read gives one diagnostic and no entries."""
    from babel.messages.pofile import read_po  # imported here: only translations need Babel

    try:
        data = read_bytes(path, MAX_CATALOG_BYTES, "translation catalog")
    except DataFileError as exc:
        return [], [_diag("ER071", shown, 1, detail=_("cannot read this catalog: {problem}").format(problem=exc),
                          hint=_("Check that the file is a .po file saved by a gettext tool (Poedit, Weblate)."))]
    if b"\x00" in data:
        return [], [_diag("ER071", shown, 1, detail=_("this catalog is not a text file (it holds NUL bytes)"),
                          hint=_("Save the catalog again from Poedit or another gettext tool, as UTF-8 text."))]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [_diag("ER071", shown, line, detail=_("this catalog is not UTF-8 text"),
                          hint=_("Save it as UTF-8 (Poedit does by default) and set 'charset=UTF-8' in its header."))]
    try:
        catalog = read_po(io.BytesIO(data), charset="utf-8", abort_invalid=True)
    except Exception as exc:  # Babel raises PoFileError, and ValueError/IndexError on some garbage
        line = getattr(exc, "lineno", 0) or 1
        # Babel's own words about the entry (quoted as they are, like a YAML parser's)
        return [], [_diag("ER071", shown, line, detail=_("this catalog cannot be read: {problem}").format(problem=exc))]
    entries = []
    for message in catalog:
        if not message.id or not message.context or isinstance(message.id, tuple):
            continue
        text = message.string if isinstance(message.string, str) else ""
        entries.append(Entry(message.context, message.id, text, message.fuzzy, shown, message.lineno or 1))
    return entries, []


def load_translation(root: str | Path, lang: str, display_root: str | None = None) -> Translation:
    """Read every catalog of ``lang`` under ``root/locale/lang``; problems are returned, never raised."""
    root = Path(root)
    folder = catalog_folder(root, lang)
    shown_root = display_root if display_root is not None else str(root)
    entries: dict[str, Entry] = {}
    problems: list[Diagnostic] = []
    files: list[str] = []
    if not valid_lang(lang):
        problems.append(_diag("ER070", shown_root, 1, detail=_("'{lang}' is not a language code").format(lang=lang),
                              fix=_("Use a code such as ko, en or pt_BR.")))
        return Translation(lang, entries, tuple(problems))
    if not folder.is_dir():
        problems.append(_diag("ER070", shown_root, 1,
                              detail=_("there is no translation '{lang}' ({folder} is not a folder)").format(
                                  lang=lang, folder=folder),
                              fix=_("Create it with: escape-route i18n update {story} --lang {lang}").format(
                                  story=shown_root, lang=lang)))
        return Translation(lang, entries, tuple(problems))
    for path in sorted(folder.glob("*.po")):
        shown = f"{shown_root}/{LOCALE_FOLDER}/{lang}/{path.name}"
        files.append(shown)
        found, trouble = read_catalog(path, shown)
        problems.extend(trouble)
        for entry in found:
            if entry.context in entries:
                other = entries[entry.context]
                problems.append(_diag("ER072", entry.path, entry.line, context=entry.context,
                                      other=f"{other.path}:{other.line}"))
                continue
            entries[entry.context] = entry
    return Translation(lang, entries, tuple(problems), tuple(files), shown_root)


def _diag(code: str, path: str, line: int, hint: str | None = None, **fields: object) -> Diagnostic:
    """The catalogue's diagnostic ``code`` at a catalog's line, in the language spoken.

    ``hint`` (already translated) replaces the catalogue's where one code has several causes (ER071).
    """
    found = dx.make(code, SourceSpan(path, line, 1, line, 2), **fields)
    return found if hint is None else dataclasses.replace(found, hint=hint)


def _for(lang: str, code: str) -> str:
    """The hint of ``code`` with its command written for ``lang`` (the catalogue says LANG, for --list-codes)."""
    return dx.hint(code).replace("LANG", lang)


# --- keeping the English's shape -------------------------------------------------------------------

_NAME_IN_BRACES = re.compile(r"\{\s*([^{}]*?)\s*\}")


def _shape(parts: Iterable[tpl.Part]) -> tuple[list[tuple[str, tuple[str, ...], bool]], Counter[str]]:
    """The {if}/{elif} conditions in order, and how often each {name} appears: what a translation must keep."""
    conditions: list[tuple[str, tuple[str, ...], bool]] = []
    values: Counter[str] = Counter()

    def walk(items: Iterable[tpl.Part]) -> None:
        for part in items:
            if isinstance(part, tpl.Value):
                values[part.name] += 1
            elif isinstance(part, tpl.Cond):
                sources = tuple(" ".join(source.split()) for source, _, _, _ in part.branches)
                conditions.append(("if", sources, bool(part.otherwise)))
                for _, _, _, inner in part.branches:
                    walk(inner)
                walk(part.otherwise)

    walk(items=parts)
    return conditions, values


def broken(string: StoryString, text: str, declared: set[str]) -> str | None:
    """Why ``text`` cannot stand for ``string.english`` (None when it keeps the English's shape)."""
    if not string.template:  # shown as written: braces are literal, so they must be the English's own
        braces = ("{" in text or "}" in text, "{" in string.english or "}" in string.english)
        if braces == (True, False):
            return _("the English has no {…}, so braces here would be shown as they are")
        if braces == (True, True) and text.count("{") != string.english.count("{"):
            return _("the braces differ from the English")
        return None
    try:
        mine = tpl.parse_template(text)
    except tpl.TemplateError as exc:
        return dx.fill(_("its {…} cannot be read: {problem}"), {"problem": exc.message})
    theirs = tpl.parse_template(string.english)
    my_conditions, my_values = _shape(mine)
    their_conditions, their_values = _shape(theirs)
    for name in my_values:
        if name not in declared:
            return dx.fill(_("'{value}' is not a name the story declares (the English has {names})"),
                           {"value": "{" + name + "}", "names": _names(their_values)})
    if my_values != their_values:
        missing = their_values - my_values
        added = my_values - their_values
        if missing:
            return dx.fill(_("{names} of the English is missing"), {"names": _names(missing)})
        return dx.fill(_("{names} is not in the English"), {"names": _names(added)})
    if my_conditions != their_conditions:
        return dx.fill(_("its {if …} parts differ from the English's: the English has {english}, the translation "
                         "{translation}"),
                       {"english": _conditions(their_conditions), "translation": _conditions(my_conditions)})
    return None


def _names(values: Counter[str]) -> str:
    if not values:
        return _("no {name}")
    return ", ".join(f"{{{name}}}" + (f" ×{count}" if count > 1 else "") for name, count in sorted(values.items()))


def _conditions(conditions: list[tuple[str, tuple[str, ...], bool]]) -> str:
    if not conditions:
        return _("none")
    shown = []
    for _if, sources, otherwise in conditions:
        text = "{if " + sources[0] + "}" + "".join("{elif " + s + "}" for s in sources[1:])
        shown.append(text + ("{else}" if otherwise else "") + "{end}")
    return "; ".join(shown)


def declared_names(story: Story) -> set[str]:
    """The names a text may show with {name}: resources, flags, items."""
    return set(story.resources) | set(story.flags) | set(story.items)


# --- applying a translation ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Applied:
    """A translated story and what could not be used (shown in English instead)."""

    story: Story
    used: int
    fell_back: int
    places: Mapping[str, str]


def usable(entry: Entry | None, string: StoryString, declared: set[str]) -> bool:
    return (entry is not None and bool(entry.text.strip()) and not entry.fuzzy and entry.english == string.english
            and broken(string, entry.text, declared) is None)


def translate_story(story: Story, translation: Translation, places: Mapping[str, str] | None = None,
                    notes: Mapping[str, str] | None = None) -> Applied:
    """The story with every usable translation in place; any other string stays English."""
    declared = declared_names(story)
    chosen: dict[str, str] = {}
    fell_back = 0
    for string in story_strings(story, places, notes):
        entry = translation.entries.get(string.context)
        if usable(entry, string, declared):
            chosen[string.context] = entry.text  # type: ignore[union-attr]
        elif entry is not None:
            fell_back += 1

    def pick(context: str, english: str) -> str:
        return chosen.get(context, english)

    def pick_template(context: str, render, source: str):  # noqa: ANN001, ANN202
        text = chosen.get(context)
        if text is None:
            return render, source
        return tpl.Template(tpl.parse_template(text)), text

    resources = {}
    for name, res in story.resources.items():
        resources[name] = dataclasses.replace(
            res, label=pick(f"resource:{name}/label", res.label),
            unit=res.unit if res.is_currency else pick(f"resource:{name}/unit", res.unit),
            unit_plural=res.unit_plural if res.is_currency else pick(f"resource:{name}/unit_plural", res.unit_plural))
    items = {name: dataclasses.replace(item, label=pick(f"item:{name}/label", item.label))
             for name, item in story.items.items()}
    facts = {fid: dataclasses.replace(fact, text=pick(f"fact:{fid}/text", fact.text)) for fid, fact in story.facts.items()}
    first = chapter_files(story)
    chapter_titles = {file: pick(f"chapter:{_stem(first[title])}/title", title) for file, title in story.chapters}
    nodes = {}
    for node_id, node in story.nodes.items():
        choices: list[Choice] = []
        for choice, key in zip(node.choices, choice_keys(node), strict=True):
            if key is None:
                choices.append(choice)
                continue
            render, source = pick_template(choice_context(node, key, "text"), choice.text, choice.text_source)
            roll = choice.roll
            if roll is not None:
                roll = dataclasses.replace(roll, label=pick(choice_context(node, key, "risk"), roll.label))
            choices.append(dataclasses.replace(choice, text=render, text_source=source, roll=roll,
                                               reason=pick(choice_context(node, key, "reason"), choice.reason)))
        ending = node.ending
        if ending is not None:
            ending = dataclasses.replace(ending, title=pick(f"node:{node_id}/ending/title", ending.title),
                                         debrief=pick(f"node:{node_id}/ending/debrief", ending.debrief))
        render, source = pick_template(f"node:{node_id}/text", node.text, node.text_source)
        nodes[node_id] = dataclasses.replace(
            node, title=pick(f"node:{node_id}/title", node.title), text=render, text_source=source,
            discuss=pick(f"node:{node_id}/discuss", node.discuss), choices=tuple(choices), ending=ending,
            chapter=chapter_titles.get(node.file, node.chapter))
    questions = tuple(pick(f"story/debrief_question:{n}", q) for n, q in enumerate(story.debrief_questions, 1))
    ambiences = {name: pick(f"ambience:{name}/caption", caption) for name, caption in story.ambiences.items()}
    translated = dataclasses.replace(
        story, title=pick("story/title", story.title), content_note=pick("story/content_note", story.content_note),
        resources=resources, items=items, facts=facts, nodes=nodes, debrief_questions=questions, ambiences=ambiences,
        chapters=tuple((file, chapter_titles[file]) for file, _ in story.chapters),
        lang=translation.lang, places={loc: chosen[f"place:{loc}"] for loc in (places or {}) if f"place:{loc}" in chosen},
        place_notes={loc: chosen[f"place:{loc}/note"] for loc in (notes or {}) if f"place:{loc}/note" in chosen})
    return Applied(translated, len(chosen), fell_back, translated.places)


def translated_story(story: Story, root: str | Path, lang: str) -> Story:
    """``story`` in ``lang`` where its catalogs have a usable translation (English elsewhere, and for ``en``)."""
    if lang == "en" or not valid_lang(lang) or not catalog_folder(Path(root), lang).is_dir():
        return story
    names, notes = map_texts(story)
    return translate_story(story, load_translation(root, lang), names, notes).story


# --- checking a translation ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the story one language covers."""

    total: int
    translated: int
    fuzzy: int
    missing: int
    broken: int

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def check_translation(story: Story, translation: Translation, places: Mapping[str, str] | None = None,
                      notes: Mapping[str, str] | None = None) -> tuple[list[Diagnostic], Coverage]:
    """Every problem of a translation, at its .po file and line, and the coverage counts.

    Missing and fuzzy translations are warnings (the English is shown), one per file with
    the count and the first line; a broken one is an error at its own line: it is shown in
    English at play until it is fixed.
    """
    out: list[Diagnostic] = list(translation.problems)
    declared = declared_names(story)
    strings = story_strings(story, places, notes)
    known = {s.context for s in strings}
    translated = fuzzy = missing = bad = 0
    missing_by_file: dict[str, list[tuple[StoryString, Entry | None]]] = {}
    fuzzy_by_file: dict[str, list[Entry]] = {}
    folder = f"{translation.shown_root}/{LOCALE_FOLDER}/{translation.lang}"
    for string in strings:
        entry = translation.entries.get(string.context)
        if entry is None or not entry.text.strip():
            missing += 1
            missing_by_file.setdefault(string.file, []).append((string, entry))
            continue
        if entry.fuzzy or entry.english != string.english:
            fuzzy += 1
            fuzzy_by_file.setdefault(entry.path, []).append(entry)
            continue
        why = broken(string, entry.text, declared)
        if why is not None:
            bad += 1
            out.append(_diag("ER073", entry.path, entry.line, context=string.context, why=why))
            continue
        translated += 1
    for file, items in missing_by_file.items():
        # At the first entry waiting for its translation, where Poedit opens it; at the top of the
        # catalog only when none of them is in it yet (a new or old file: the hint says to update it).
        present = [(entry.line, entry.path, string) for string, entry in items if entry is not None]
        line, path, first = min(present, key=lambda p: p[0]) if present else (1, f"{folder}/{file}.po", items[0][0])
        out.append(_diag("ER074", path, line, hint=_for(translation.lang, "ER074"), count=len(items),
                         file=file, english=_shortened(first.english), first=first.context))
    for entries in fuzzy_by_file.values():
        first = min(entries, key=lambda e: e.line)
        out.append(_diag("ER075", first.path, first.line, count=len(entries), first=first.context))
    for context, entry in translation.entries.items():
        if context not in known:
            out.append(_diag("ER076", entry.path, entry.line, hint=_for(translation.lang, "ER076"), context=context))
    coverage = Coverage(len(strings), translated, fuzzy, missing, bad)
    return out, coverage


def _shortened(english: str, width: int = 50) -> str:
    """The first line of an English string, cut at a word to about ``width`` characters, for a message."""
    text = " ".join(english.split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0] if " " in text[:width] else text[:width]
    return cut.rstrip(",.;:") + " …"


# --- in the checker -------------------------------------------------------------------------------

def map_texts(story: Story) -> tuple[dict[str, str], dict[str, str]]:
    """The route map's place names and notes by location id, from one reading of the map (empty: no usable map)."""
    from game.route.errors import RouteMapError
    from game.route.map import load_route_map

    if story.map_path is None:
        return {}, {}
    try:
        route = load_route_map(story.map_path)
    except (RouteMapError, OSError, DataFileError):
        return {}, {}  # the checker reports the map's own problem (ER061)
    return ({loc.id: loc.label for loc in route.locations.values()},
            {loc.id: loc.note for loc in route.locations.values() if loc.note})


def choice_id_diagnostics(story: Story, translated: bool) -> list[Diagnostic]:
    """Two choices of a node with one ``id`` (always an error); choices translators cannot tell apart.

    The second is reported only for a story that has translations (a ``locale`` folder),
    where it matters: those choices are left out of the catalogs until they have an ``id``.
    """
    out: list[Diagnostic] = []
    for node in story.nodes.values():
        seen: dict[str, Choice] = {}
        for choice in node.choices:
            if not choice.id:
                continue
            if choice.id in seen:
                out.append(dx.make("ER077", choice.span, node=node.id, id=choice.id, line=seen[choice.id].span.line))
            elif not re.match(r"^[A-Za-z0-9_-]+$", choice.id):
                same = dx.make("ER077", choice.span, node=node.id, id=choice.id, line=0)
                out.append(dataclasses.replace(
                    same, message=_("the choice id '{id}' has characters other than letters, digits, _ and "
                                    "-").format(id=choice.id), hint=_("Write it like take_the_bus.")))
            seen.setdefault(choice.id, choice)
        if not translated:
            continue
        for choice, key in zip(node.choices, choice_keys(node), strict=True):
            if key is None:
                out.append(dx.make("ER078", choice.span, node=node.id, goto=choice.goto))
    return out


def translation_diagnostics(story: Story, root: Path, shown_root: str, lang: str | None) -> list[Diagnostic]:
    """What ``check`` adds about translations: choice ids, and with ``lang`` every problem of that language."""
    translated = lang is not None or bool(available_languages(root))
    out = choice_id_diagnostics(story, translated)
    if lang is not None:
        translation = load_translation(root, lang, shown_root)
        if any(d.code == "ER070" for d in translation.problems):  # no such language: nothing else to say
            out.extend(translation.problems)
            return out
        names, notes = map_texts(story)
        found, _coverage = check_translation(story, translation, names, notes)
        out.extend(found)
    return out
