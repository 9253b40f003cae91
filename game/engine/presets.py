"""Starting values a writer gives on the command line (``--set NAME=VALUE``), checked against the story.

The play command, the terminal and the window all start a journey from these, so
they live here, below every front-end, rather than in the command line.
"""

from __future__ import annotations

from typing import Any

from game.errors import StoryError
from game.story.limits import number_problem
from game.story.model import Story
from game.story.suggest import did_you_mean


def parse_presets(story: Story, items: list[str]) -> dict[str, Any]:
    """``--set cash=100 --set told_mother=true`` → values, checked against the story's declarations.

    Numbers are held to the same limits as numbers written in a story (finite, at most
    :data:`game.story.limits.MAX_NUMBER`), so a preset can never start a journey that
    the engine cannot show.
    """
    values: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep:
            raise StoryError(f"--set {item}: write NAME=VALUE, for example --set cash=100")
        if name in story.resources:
            try:
                number = float(raw) if any(c in raw for c in ".eE") or raw.lower() in ("nan", "inf", "-inf") else int(raw)
            except ValueError:
                raise StoryError(f"--set {item}: '{raw}' is not a number") from None
            problem = number_problem(number)
            if problem:
                raise StoryError(f"--set {item}: '{raw}' {problem}")
            values[name] = story.resources[name].clamp(number)
        elif name in story.flags:
            if raw.lower() not in ("true", "false"):
                raise StoryError(f"--set {item}: a flag is true or false")
            values[name] = raw.lower() == "true"
        else:
            hint = did_you_mean(name, [*story.resources, *story.flags], "")
            raise StoryError(f"--set {item}: '{name}' is not a declared resource or flag. {hint}".strip())
    return values
