"""A story folder as the editor sees it: files on disk, overlaid with the unsaved text of open documents.

:class:`OverlayCache` is the loader's own :class:`~game.story.loader.ParseCache` with
one change: for a file open in the editor, ``read`` parses the editor's text instead
of the file's. Each text is parsed once, so an edit re-parses only the edited file
and the loader reuses the nodes it built from the others. :class:`StoryFolder`
runs the same checker as ``escape-route check`` over that and keeps the story, its
diagnostics and the :class:`~game.lsp.index.StoryIndex` of its names.
"""

from __future__ import annotations

from pathlib import Path

from game.lsp.index import StoryIndex
from game.story.diagnostics import Diagnostic
from game.story.loader import FACTS_FILE, STORY_FILE, Analysis, ParseCache, analyse
from game.story.yamlsrc import SourceFile, parse_yaml


class OverlayCache(ParseCache):
    """A parse cache where open documents are read from the editor's text, not from disk."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[Path, str] = {}
        self._parsed: dict[Path, tuple[str, str, bytes, SourceFile, list[Diagnostic]]] = {}
        self.sources: dict[Path, SourceFile] = {}  # the last parse of every file read

    def open(self, path: Path, text: str) -> None:
        self.texts[path] = text

    def close(self, path: Path) -> None:
        self.texts.pop(path, None)
        self._parsed.pop(path, None)

    def read(self, path: Path, name: str) -> tuple[bytes, SourceFile, list[Diagnostic]]:
        text = self.texts.get(path)
        if text is None:
            raw, src, problems = super().read(path, name)
        else:
            cached = self._parsed.get(path)
            if cached is not None and cached[0] == text and cached[1] == name:
                raw, src, problems = cached[2], cached[3], cached[4]
            else:
                raw = text.encode("utf-8", "surrogatepass")
                src, problems = parse_yaml(name, raw)
                self._parsed[path] = (text, name, raw, src, problems)
        self.sources[path] = src
        return raw, src, problems


def story_root(path: Path) -> Path | None:
    """The story folder a file belongs to: its own folder, if that holds a story.yaml."""
    folder = path.parent
    return folder if (folder / STORY_FILE).is_file() else None


def role_of(path: Path) -> str:
    return {STORY_FILE: "story", FACTS_FILE: "facts"}.get(path.name, "chapter")


class StoryFolder:
    """One story folder: check it, keep what the checker learnt, and index its names."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.cache = OverlayCache()
        self.analysis: Analysis | None = None
        self.last_good = None  # the last story that could be built, for hover and completion while broken
        self.index = StoryIndex()
        self._map: tuple[Path, tuple[int, int], str] | None = None  # path, (mtime, size), text

    def check(self) -> Analysis:
        analysis = analyse(self.root, self.cache, check_map=True)
        self.analysis = analysis
        if analysis.story is not None:
            self.last_good = analysis.story
        files = {str(p): p for p in self.cache.sources}
        sources = [(self.cache.sources[files[name]], role_of(files[name])) for name in analysis.files if name in files]
        map_text = None
        story = self.last_good
        if story is not None and story.map_path is not None:
            map_text = self.map_text(story.map_path.resolve())
        self.index.update(story, sources, map_text)
        return analysis

    def map_text(self, path: Path) -> tuple[Path, str] | None:
        """The route map's text, read again only when the file changed."""
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size)
            if self._map is None or self._map[0] != path or self._map[1] != key:
                self._map = (path, key, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
        return path, self._map[2]

    def text_of(self, path: Path) -> str:
        src = self.cache.sources.get(path)
        return src.text if src is not None else ""
