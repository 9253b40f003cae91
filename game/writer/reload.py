"""Hot reload: notice edited story files and rebuild only what changed.

A front-end asks :meth:`StoryReloader.poll` now and then (the pygame game does
twice a second, and on F5). When a file changed, the story is loaded again through
a shared :class:`ParseCache`, so unchanged chapters are neither parsed nor built
again. If the new files have errors the result carries them and no story: the game
keeps running on the old one and shows the errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.engine.save import adapt
from game.engine.state import GameState
from game.story.diagnostics import Diagnostic
from game.story.loader import ParseCache, analyse, story_files
from game.story.model import Story


@dataclass
class ReloadResult:
    story: Story | None
    errors: list[Diagnostic] = field(default_factory=list)
    message: str = ""


class StoryReloader:
    """Watches one story folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.cache = ParseCache()
        self._stamps = self._read_stamps()

    def _read_stamps(self) -> dict[str, tuple[int, int]]:
        story, facts, chapters = story_files(self.root)
        stamps = {}
        for path in [p for p in (story, facts) if p] + chapters:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps[path.name] = (stat.st_mtime_ns, stat.st_size)
        return stamps

    def changed(self) -> bool:
        return self._read_stamps() != self._stamps

    def load(self) -> ReloadResult:
        """Load (or reload) the story; errors come back in the result, never as an exception."""
        self._stamps = self._read_stamps()
        analysis = analyse(self.root, self.cache)  # every check, as load_story runs
        if analysis.errors or analysis.story is None:
            count = len(analysis.errors)
            return ReloadResult(None, analysis.errors,
                                f"The story has {count} error{'s' * (count != 1)}; still playing the previous version.")
        return ReloadResult(analysis.story)

    def poll(self, force: bool = False) -> ReloadResult | None:
        """A new load if a file changed (or ``force``), else None."""
        if not force and not self.changed():
            return None
        return self.load()


def carry_over(state: GameState, story: Story) -> str:
    """Fit a journey in progress to a reloaded story. Returns '' or why it cannot continue there."""
    if state.node not in story.nodes:
        return f"The passage '{state.node}' is gone from the edited story; still playing the previous version."
    adapt(state, story)
    return ""
