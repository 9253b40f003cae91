"""`escape-route i18n`: the story's gettext catalogs, made and kept up to date for translators.

``extract`` gives every choice that needs one a stable ``id`` (by inserting one line in
the YAML, so comments such as ``# estimate`` and the layout stay as the writer left
them), then writes one template (``locale/<file>.pot``) per story file. ``update``
merges the templates into a language's catalogs (``locale/<lang>/<file>.po``) by
gettext's rule: an entry whose English changed keeps its translation but is marked
fuzzy, with the old English beside it (``#| msgid``) so the translator sees what
changed; an entry whose place is gone becomes obsolete (``#~``) rather than lost.
"""

from __future__ import annotations

import dataclasses
import io
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from game.engine.save import atomic_write_bytes
from game.files import read_bytes
from game.l10n import _, ngettext
from game.story.loader import analyse
from game.story.model import Node, Story
from game.story.translation import (
    LOCALE_FOLDER,
    MAX_CATALOG_BYTES,
    StoryString,
    available_languages,
    choice_keys,
    map_texts,
    story_strings,
    valid_lang,
)

_WORD = re.compile(r"[A-Za-z]+")
_TAG = re.compile(r"\{[^{}]*\}")
_SKIP = {"a", "an", "the", "to", "of", "and", "or", "for", "in", "on", "at", "with", "your", "you", "it", "is", "her",
         "his", "she", "he", "them", "that", "this", "no", "not", "all", "as", "be", "by", "from", "into", "what"}
_HEADER = """\
# {what} of the story "{title}".
# Made by 'escape-route i18n {command}'; translators: see docs/translating.md.
# Edit it with Poedit or any gettext tool, never by hand in YAML.
#"""


class I18nError(Exception):
    """A refusal with a message for the writer (no catalog is written)."""


@dataclass(frozen=True, slots=True)
class Added:
    """A choice id the tool added: where, and what."""

    file: str
    line: int
    node: str
    id: str


def _slug(text: str, taken: set[str]) -> str:
    """A short id from a choice's words: ``Take the family photographs`` → ``take_family_photographs``."""
    words = [w.lower() for w in _WORD.findall(_TAG.sub(" ", text))]
    useful = [w for w in words if w not in _SKIP] or words or ["choice"]
    base = "_".join(useful[:3])
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _ids_needed(node: Node) -> list[tuple[int, int, str]]:
    """(line, column, new id) for each choice of the node that has no stable key."""
    taken = {c.id for c in node.choices if c.id} | {k for k in choice_keys(node) if k}
    needed = []
    for choice, key in zip(node.choices, choice_keys(node), strict=True):
        if key is None:
            needed.append((choice.span.line, choice.span.col, _slug(choice.text_source, taken)))
    return needed


def add_choice_ids(root: Path, story: Story) -> list[Added]:
    """Give each choice that translators cannot otherwise tell apart an ``id:`` line of its own.

    The line goes just before the choice's first key, at the same indentation, so a
    block scalar that follows is untouched. Files are replaced atomically.
    """
    by_file: dict[str, list[tuple[int, int, str, str]]] = {}
    for node in story.nodes.values():
        for line, col, new_id in _ids_needed(node):
            by_file.setdefault(node.file, []).append((line, col, new_id, node.id))
    added: list[Added] = []
    for file, edits in by_file.items():
        path = root / Path(file).name
        text = path.read_bytes().decode("utf-8")
        newline = "\r\n" if "\r\n" in text else "\n"
        lines = text.split(newline)
        for line, col, new_id, node_id in sorted(edits, reverse=True):
            current = lines[line - 1]
            head, rest = current[: col - 1], current[col - 1:]
            if not rest or rest.lstrip().startswith(("{", "[")):
                raise I18nError(f"{file}:{line}:{col}: " + _("this choice is written in one line of braces; write it "
                                                             "as '- text: …' with one key per line, or add 'id: {id}' "
                                                             "to it yourself").format(id=new_id))
            lines[line - 1: line] = [f"{head}id: {new_id}", " " * (col - 1) + rest]
            added.append(Added(file, line, node_id, new_id))
        atomic_write_bytes(path, newline.join(lines).encode("utf-8"))
    return sorted(added, key=lambda a: (a.file, a.line))


def _load(root: Path) -> Story:
    analysis = analyse(root, check_map=False)
    if analysis.story is None or analysis.errors:
        count = len(analysis.errors)
        raise I18nError(ngettext("the story in {root} has {count} error; fix it first ('escape-route check {root}' "
                                 "shows it): catalogs are made from a story that loads",
                                 "the story in {root} has {count} errors; fix them first ('escape-route check {root}' "
                                 "lists them): catalogs are made from a story that loads", count)
                        .format(root=root, count=count))
    return analysis.story


def _group(strings: Iterable[StoryString]) -> dict[str, list[StoryString]]:
    groups: dict[str, list[StoryString]] = {}
    for string in strings:
        groups.setdefault(string.file, []).append(string)
    return groups


def _template(strings: list[StoryString], file: str, title: str, version: str) -> Catalog:
    catalog = Catalog(project=title, version=version, charset="utf-8", fuzzy=False,
                      header_comment=_HEADER.format(what="The template for translations", title=title,
                                                    command="extract"),
                      creation_date=datetime(2000, 1, 1, tzinfo=timezone.utc))
    source = "places (assets/maps/route.tmx)" if file == "places" else f"story/{file}.yaml"
    for string in strings:
        notes = [string.note]
        if string.template:
            notes.append("Keep every {name} and every {if …}, {elif …}, {else}, {end} as it is; translate the words "
                         "between them.")
        catalog.add(string.english, context=string.context, auto_comments=notes,
                    locations=[(source, string.line)] if string.line else [], flags=())
    return catalog


def extract(root: Path) -> tuple[list[Added], list[Path]]:
    """Add the choice ids that are missing, then write one .pot per story file; returns both."""
    story = _load(root)
    added = add_choice_ids(root, story)
    if added:
        story = _load(root)
    folder = root / LOCALE_FOLDER
    folder.mkdir(exist_ok=True)
    written = []
    groups = _group(story_strings(story, *map_texts(story)))
    for file, strings in groups.items():
        path = folder / f"{file}.pot"
        atomic_write_bytes(path, _po_bytes(_template(strings, file, story.title, story.version)))
        written.append(path)
    for stale in folder.glob("*.pot"):
        if stale.stem not in groups:
            stale.unlink()
    return added, written


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, include_previous=True, include_lineno=True)
    return buffer.getvalue()


def _read(path: Path) -> Catalog:
    data = read_bytes(path, MAX_CATALOG_BYTES, "translation catalog")
    try:
        catalog = read_po(io.BytesIO(data), charset="utf-8", abort_invalid=True)
    except Exception as exc:  # Babel raises several kinds on a damaged file
        raise I18nError(f"{path}: " + _("this catalog cannot be read ({problem}); open it in Poedit to repair it, "
                                        "or restore it from git").format(problem=exc)) from exc
    previous = _previous_ids(data.decode("utf-8", "replace"))
    for message in catalog:
        if message.context in previous and not message.previous_id:
            message.previous_id = [previous[message.context]]
    return catalog


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _previous_ids(text: str) -> dict[str, str]:
    """The old English (``#| msgid``) of each fuzzy entry, by context: Babel writes it but does not read it back."""
    found: dict[str, str] = {}
    pending: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("#| msgid "):
            pending = _QUOTED.findall(line[9:])
        elif line.startswith('#| "') and pending is not None:
            pending += _QUOTED.findall(line[3:])
        elif line.startswith("msgctxt ") and pending is not None:
            context = "".join(_QUOTED.findall(line[8:]))
            found[_unescape(context)] = _unescape("".join(pending))
            pending = None
        elif line.startswith("msgid "):
            pending = None
    return found


def _unescape(text: str) -> str:
    """A .po string's escapes (\\n, \\t, \\", \\\\) read back, in one pass."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


@dataclass(frozen=True, slots=True)
class Merged:
    """What an update did to one language's catalog."""

    path: Path
    kept: int
    fuzzy: int
    new: int  # strings the catalog did not have before
    retired: int
    untranslated: int = 0  # strings with no translation yet, new or not


def merge(template: Catalog, old: Catalog | None, lang: str) -> tuple[Catalog, Merged]:
    """gettext's update rule, keyed by context: keep, mark fuzzy where the English changed, add, retire."""
    catalog = Catalog(locale=lang, project=template.project, version=template.version, charset="utf-8",
                      fuzzy=False, creation_date=datetime(2000, 1, 1, tzinfo=timezone.utc),
                      header_comment=_HEADER.format(what=f"The '{lang}' translation", title=template.project,
                                                    command="update"))
    previous: dict[str, Message] = {}
    if old is not None:
        for message in old:
            if message.id and message.context:
                previous[message.context] = message
        catalog.revision_date = old.revision_date
        catalog.last_translator = old.last_translator
        catalog.msgid_bugs_address = old.msgid_bugs_address
        catalog.language_team = old.language_team
    kept = fuzzy = new = untranslated = 0
    for message in template:
        if not message.id:
            continue
        before = previous.pop(message.context, None)
        if before is None:
            new += 1
        flags: set[str] = set()
        string: str = ""
        previous_id: list[str] = []
        if before is not None and isinstance(before.string, str) and before.string:
            string = before.string
            if before.id != message.id:
                flags.add("fuzzy")
                previous_id = [str(before.id)]
                fuzzy += 1
            else:
                if before.fuzzy:
                    flags.add("fuzzy")
                    previous_id = list(before.previous_id or [])
                kept += 1
        else:
            untranslated += 1
        catalog.add(message.id, string, context=message.context, locations=message.locations,
                    auto_comments=message.auto_comments, user_comments=before.user_comments if before else [],
                    flags=flags, previous_id=previous_id)
    for context, message in previous.items():
        if message.string:
            catalog.obsolete[(message.id, context)] = Message(message.id, message.string, context=context)
    return catalog, Merged(Path(), kept, fuzzy, new, len([m for m in previous.values() if m.string]), untranslated)


def update(root: Path, lang: str) -> list[Merged]:
    """Bring ``locale/<lang>/*.po`` up to date with the templates (run ``extract`` first)."""
    if not valid_lang(lang):
        raise I18nError(_("'{lang}' is not a language code; use one such as ko, en or pt_BR").format(lang=lang))
    folder = root / LOCALE_FOLDER
    templates = sorted(folder.glob("*.pot")) if folder.is_dir() else []
    if not templates:
        raise I18nError(_("{folder} has no templates (.pot); run 'escape-route i18n extract {root}' first").format(
            folder=folder, root=root))
    target = folder / lang
    target.mkdir(exist_ok=True)
    results = []
    for pot in templates:
        path = target / f"{pot.stem}.po"
        old = _read(path) if path.exists() else None
        catalog, merged = merge(_read(pot), old, lang)
        atomic_write_bytes(path, _po_bytes(catalog))
        results.append(dataclasses.replace(merged, path=path))
    return results


def update_all(root: Path) -> dict[str, list[Merged]]:
    """Update every language the story already has."""
    return {lang: update(root, lang) for lang in available_languages(root)}


def prefill(root: Path, lang: str, translations: Mapping[str, str]) -> int:
    """Fill empty entries by context (used once to seed Korean place names from the map's label_ko)."""
    count = 0
    for path in sorted((root / LOCALE_FOLDER / lang).glob("*.po")):
        catalog = _read(path)
        changed = False
        for message in catalog:
            if message.context in translations and not message.string:
                message.string = translations[message.context]
                changed = True
                count += 1
        if changed:
            atomic_write_bytes(path, _po_bytes(catalog))
    return count


def cmd_i18n(args) -> int:  # noqa: ANN001 (argparse.Namespace)
    """``escape-route i18n extract|update [STORY] [--lang LANG]``."""
    from game.paths import story_dir

    root = Path(args.story or story_dir())
    try:
        if args.action == "extract":
            added, written = extract(root)
            for item in added:
                print(f"{item.file}:{item.line}: " + _("added 'id: {id}' to a choice of '{node}'").format(
                    id=item.id, node=item.node))
            print(ngettext("wrote {count} template in {folder}", "wrote {count} templates in {folder}",
                           len(written)).format(count=len(written), folder=root / LOCALE_FOLDER)
                  + (_("; added {count} choice ids").format(count=len(added)) if added else ""))
            results = update_all(root)
        else:
            results = {args.lang: update(root, args.lang)} if args.lang else update_all(root)
            if not results:
                raise I18nError(_("{folder} has no language yet; start one with 'escape-route i18n update {root} "
                                  "--lang ko'").format(folder=root / LOCALE_FOLDER, root=root))
    except I18nError as exc:
        print(f"escape-route i18n: {exc}", file=sys.stderr)
        return 1
    for lang, merged in results.items():
        kept = sum(m.kept for m in merged)
        fuzzy = sum(m.fuzzy for m in merged)
        new = sum(m.new for m in merged)
        retired = sum(m.retired for m in merged)
        untranslated = sum(m.untranslated for m in merged)
        print(_("{lang}: {count} catalogs in {folder}: {kept} kept, {fuzzy} now fuzzy (the English changed), "
                "{new} new, {untranslated} still to translate, {retired} retired").format(
                    lang=lang, count=len(merged), folder=root / LOCALE_FOLDER / lang, kept=kept, fuzzy=fuzzy, new=new,
                    untranslated=untranslated, retired=retired))
    return 0


@dataclass(frozen=True, slots=True)
class ContextEdit:
    """A ``msgctxt`` to rewrite in a catalog: 1-based line, 0-based columns of the text inside the quotes."""

    path: Path
    line: int
    start: int
    end: int
    text: str


_CONTEXT_LINE = re.compile(r'^(?:#~ )?msgctxt "([^"]*)"\s*$')


def renamed_context(context: str, kind: str, old: str, new: str) -> str:
    """``context`` after renaming the ``kind`` named ``old`` to ``new`` (unchanged when it is not about it)."""
    if kind == "node":
        if context.startswith(f"node:{old}/"):
            context = f"node:{new}/" + context[len(f"node:{old}/"):]
        return context.replace(f"/choice:{old}/", f"/choice:{new}/")  # a choice named by its goto
    prefix = {"fact": "fact", "resource": "resource", "item": "item"}.get(kind)
    if prefix and context.startswith(f"{prefix}:{old}/"):
        return f"{prefix}:{new}/" + context[len(f"{prefix}:{old}/"):]
    if kind == "location" and context == f"place:{old}":
        return f"place:{new}"
    return context


def catalog_renames(root: Path, kind: str, old: str, new: str) -> list[ContextEdit]:
    """Every context in the story's catalogs (templates and every language) that a rename changes.

    The language server adds these to its workspace edit, so renaming a node keeps
    every translation tied to it instead of leaving it to become obsolete.
    """
    edits: list[ContextEdit] = []
    folder = root / LOCALE_FOLDER
    if not folder.is_dir():
        return edits
    for path in sorted([*folder.glob("*.pot"), *folder.glob("*/*.po")]):
        try:
            text = read_bytes(path, MAX_CATALOG_BYTES, "translation catalog").decode("utf-8")
        except Exception:  # noqa: BLE001 - a damaged catalog is the checker's to report, not the rename's
            continue
        for number, line in enumerate(text.splitlines(), 1):
            found = _CONTEXT_LINE.match(line)
            if not found:
                continue
            after = renamed_context(found.group(1), kind, old, new)
            if after != found.group(1):
                edits.append(ContextEdit(path, number, found.start(1), found.end(1), after))
    return edits
