"""``escape-route lsp``: the Language Server Protocol on stdio, built on pygls.

Thin handlers in the manner of pygls's example servers and jedi-language-server:
each translates LSP types into a call to :mod:`game.lsp.workspace`,
:mod:`game.lsp.index` or :mod:`game.lsp.features` and the answer back. Positions:
the protocol's lines and characters are 0-based, the checker's 1-based; a
character is counted as one code point (the story's text is almost all in the
Basic Multilingual Plane, where that is also one UTF-16 unit).

Diagnostics are published for every file of the story folder after each edit
(debounced), because an edit in one file can break a ``goto`` in another; a file
that became clean gets an empty list.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from game import __version__
from game.l10n import _
from game.lsp import features
from game.lsp.index import Occurrence
from game.lsp.workspace import StoryFolder, role_of, story_root
from game.story.diagnostics import Severity
from game.story.source import SourceSpan
from game.writer.i18n import catalog_renames

DEBOUNCE_SECONDS = 0.03  # a pause this long after a key press means the writer stopped typing
PLAY_COMMAND = "escape-route.playFrom"


class StoryServer(LanguageServer):
    """The language server: one :class:`StoryFolder` per story folder with an open file."""

    def __init__(self) -> None:
        super().__init__("escape-route", __version__)
        self.folders: dict[Path, StoryFolder] = {}
        self.published: dict[Path, set[str]] = {}
        self._pending: dict[Path, asyncio.TimerHandle] = {}

    def folder_of(self, uri: str) -> tuple[StoryFolder, Path] | None:
        path = Path(to_fs_path(uri) or "").resolve()
        root = story_root(path)
        if root is None:
            return None
        root = root.resolve()
        folder = self.folders.get(root)
        if folder is None:
            folder = self.folders[root] = StoryFolder(root)
            folder.check()
        return folder, path

    def check_and_publish(self, folder: StoryFolder) -> None:
        try:
            analysis = folder.check()
        except Exception as exc:  # a bug here must not stop the server: say so in the editor's log
            logging.getLogger(__name__).exception("checking %s failed", folder.root)
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"escape-route: checking {folder.root} "
                                                         f"failed: {exc!r}"))
            return
        by_file: dict[str, list[lsp.Diagnostic]] = {name: [] for name in analysis.files}
        for d in analysis.diagnostics:
            by_file.setdefault(d.span.file, []).append(lsp.Diagnostic(
                range=to_range(d.span), message=d.message + (f"\n{d.hint}" if d.hint else ""),
                severity=lsp.DiagnosticSeverity.Error if d.severity is Severity.ERROR else lsp.DiagnosticSeverity.Warning,
                code=d.code, source="escape-route", data={"hint": d.hint}))
        before = self.published.get(folder.root, set())
        for name in before - set(by_file):
            by_file[name] = []
        for name, found in by_file.items():
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=from_fs_path(name), diagnostics=found))
        self.published[folder.root] = {name for name, found in by_file.items() if found}

    def schedule(self, folder: StoryFolder, delay: float = DEBOUNCE_SECONDS) -> None:
        """Check the folder once the writer pauses: a new edit within ``delay`` postpones it."""
        pending = self._pending.pop(folder.root, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self._pending[folder.root] = loop.call_later(delay, self.check_and_publish, folder)


def to_range(span: SourceSpan) -> lsp.Range:
    end_line = span.end_line or span.line
    end_col = span.end_col if span.end_line else span.col + 1
    return lsp.Range(lsp.Position(span.line - 1, span.col - 1), lsp.Position(end_line - 1, end_col - 1))


def to_location(occ: Occurrence) -> lsp.Location:
    return lsp.Location(uri=from_fs_path(occ.span.file), range=to_range(occ.span))


server = StoryServer()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: StoryServer, params: lsp.DidOpenTextDocumentParams) -> None:
    found = ls.folder_of(params.text_document.uri)
    if found:
        folder, path = found
        folder.cache.open(path, params.text_document.text)
        ls.check_and_publish(folder)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: StoryServer, params: lsp.DidChangeTextDocumentParams) -> None:
    found = ls.folder_of(params.text_document.uri)
    if found:
        folder, path = found
        folder.cache.open(path, ls.workspace.get_text_document(params.text_document.uri).source)
        ls.schedule(folder)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: StoryServer, params: lsp.DidSaveTextDocumentParams) -> None:
    found = ls.folder_of(params.text_document.uri)
    if found:
        ls.schedule(found[0])


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: StoryServer, params: lsp.DidCloseTextDocumentParams) -> None:
    found = ls.folder_of(params.text_document.uri)
    if found:
        folder, path = found
        folder.cache.close(path)
        ls.schedule(folder)


def _occurrence(ls: StoryServer, params: lsp.TextDocumentPositionParams) -> tuple[StoryFolder, Occurrence] | None:
    found = ls.folder_of(params.text_document.uri)
    if not found:
        return None
    folder, path = found
    occ = folder.index.at(str(path), params.position.line + 1, params.position.character + 1)
    return (folder, occ) if occ else None


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: StoryServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    found = _occurrence(ls, params)
    return [to_location(o) for o in found[0].index.definitions(found[1])] if found else None


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: StoryServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    found = _occurrence(ls, params)
    if not found:
        return None
    return [to_location(o) for o in found[0].index.references(found[1], params.context.include_declaration)]


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: StoryServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
    found = _occurrence(ls, params)
    return to_range(found[1].span) if found else None


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def rename(ls: StoryServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    found = _occurrence(ls, params)
    if not found:
        return None
    folder, occ = found
    problem = features.rename_problem(folder.last_good, occ, params.new_name, folder.index.names_of(occ.kind))
    if problem:
        raise JsonRpcInvalidParams(f"Cannot rename: {problem}.")
    changes: dict[str, list[lsp.TextEdit]] = {}
    for occ in found[0].index.references(found[1]):
        changes.setdefault(from_fs_path(occ.span.file), []).append(lsp.TextEdit(to_range(occ.span), params.new_name))
    # The translations follow: every catalog entry tied to the old name is tied to the new one.
    for edit in catalog_renames(folder.root, found[1].kind, found[1].name, params.new_name):
        where = lsp.Range(lsp.Position(edit.line - 1, edit.start), lsp.Position(edit.line - 1, edit.end))
        changes.setdefault(from_fs_path(str(edit.path)), []).append(lsp.TextEdit(where, edit.text))
    return lsp.WorkspaceEdit(changes=changes)


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":", " ", "{", "(", "["]))
def completion(ls: StoryServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    found = ls.folder_of(params.text_document.uri)
    if not found:
        return None
    lines = ls.workspace.get_text_document(params.text_document.uri).lines
    kinds = {"node": lsp.CompletionItemKind.Reference, "fact": lsp.CompletionItemKind.Constant,
             "function": lsp.CompletionItemKind.Function, "key": lsp.CompletionItemKind.Property}
    items = [lsp.CompletionItem(label=c.label, detail=c.detail or c.kind, kind=kinds.get(c.kind, lsp.CompletionItemKind.Variable))
             for c in features.complete(found[0], lines, params.position.line, params.position.character,
                                        role_of(found[1]))]
    return lsp.CompletionList(is_incomplete=False, items=items)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: StoryServer, params: lsp.HoverParams) -> lsp.Hover | None:
    found = ls.folder_of(params.text_document.uri)
    if not found:
        return None
    folder, path = found
    story = folder.last_good
    if story is None:
        return None
    line, col = params.position.line + 1, params.position.character + 1
    occ = folder.index.at(str(path), line, col)
    if occ is not None:
        text = features.describe(story, occ)
    else:
        lines = ls.workspace.get_text_document(params.text_document.uri).lines
        here = lines[line - 1] if line - 1 < len(lines) else ""
        choice = features.choice_at(story, str(path), line)
        if here.strip().startswith("nodes:"):
            text = features.word_counts(story, str(path))
        elif choice is not None:
            text = features.describe_choice(story, choice)
        else:
            return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def code_action(ls: StoryServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    actions = []
    for diagnostic in params.context.diagnostics:
        hint = diagnostic.data.get("hint", "") if isinstance(diagnostic.data, dict) else diagnostic.message
        for name in features.suggestions(hint):
            edit = lsp.TextEdit(diagnostic.range, name)
            actions.append(lsp.CodeAction(title=_("Change to '{name}'").format(name=name),
                                          kind=lsp.CodeActionKind.QuickFix,
                                          diagnostics=[diagnostic], is_preferred=len(actions) == 0,
                                          edit=lsp.WorkspaceEdit(changes={params.text_document.uri: [edit]})))
    return actions


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: StoryServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    found = ls.folder_of(params.text_document.uri)
    if not found:
        return None
    folder, path = found
    last = len(ls.workspace.get_text_document(params.text_document.uri).lines)
    out = []
    for s in features.outline(folder.last_good, str(path), last):
        whole = lsp.Range(lsp.Position(s.line - 1, 0), lsp.Position(s.last_line - 1, 0))
        name = lsp.Range(lsp.Position(s.line - 1, s.col - 1), lsp.Position(s.line - 1, s.end_col - 1))
        out.append(lsp.DocumentSymbol(name=s.name, detail=s.detail, kind=lsp.SymbolKind.Class, range=whole,
                                      selection_range=name))
    return out


@server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
def code_lens(ls: StoryServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
    found = ls.folder_of(params.text_document.uri)
    if not found:
        return None
    folder, path = found
    lenses = []
    for node in features.nodes_in(folder.last_good, str(path)):
        where = lsp.Range(lsp.Position(node.span.line - 1, 0), lsp.Position(node.span.line - 1, 0))
        words = features.node_words(node)
        lenses.append(lsp.CodeLens(range=where, command=lsp.Command(
            title="▶ Play from here", command=PLAY_COMMAND, arguments=[node.id, str(folder.root)])))
        lenses.append(lsp.CodeLens(range=where, command=lsp.Command(title=f"{words:,} words", command="")))
    return lenses


def play_command(node_id: str, root: str) -> list[str]:
    """The command a client runs for "Play from here"."""
    return ["escape-route", "play", "--story", root, "--start", node_id]


def main() -> int:
    """Serve on stdin and stdout until the client says exit (or closes the pipe)."""
    server.start_io()
    # pygls has closed standard output by now; the command line flushes it on the way out, which
    # must find an open file (as ``game.cli.main`` does for a closed pipe).
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (open until the process ends)
    return 0
