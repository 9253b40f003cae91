"""Starting values a writer gives on the command line (``--set NAME=VALUE``), checked against the story.

The play command, the terminal and the window all start a journey from these, so
they live here, below every front-end, rather than in the command line.
"""

from __future__ import annotations

from typing import Any

from game.errors import StoryError
from game.l10n import _
from game.story.limits import number_problem
from game.story.model import Story
from game.story.suggest import did_you_mean


class Presets(dict):
    """Resource and flag values (the dict itself), and ``carried``: items given (True) or taken (False).

    Front-ends that start a journey with ``state.vars.update(presets)`` get only values,
    as before; ``apply`` also gives the items.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.carried: dict[str, bool] = {}
        #: What was changed to fit the story's bounds ("--set health=500: Health is at most 100, …"), to be said.
        self.notes: list[str] = []

    def apply(self, state: Any) -> None:
        state.vars.update(self)
        for name, carried in self.carried.items():
            (state.items.add if carried else state.items.discard)(name)


def start_with(state: Any, presets: dict[str, Any] | None) -> None:
    """Give a journey that has just begun the writer's starting values, and the items if ``presets`` has them.

    Every front-end calls this each time it begins a journey (also "Start a new journey"
    from the window), so items given with ``--set`` are never lost on the way.
    """
    if isinstance(presets, Presets):
        presets.apply(state)
    elif presets:
        state.vars.update(presets)


def parse_presets(story: Story, items: list[str]) -> Presets:
    """``--set cash=100 --set told_mother=true`` → values, checked against the story's declarations.

    Numbers are held to the same limits as numbers written in a story (finite, at most
    :data:`game.story.limits.MAX_NUMBER`), so a preset can never start a journey that
    the engine cannot show.
    """
    values = Presets()
    for item in items:
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep:
            raise StoryError(_("--set {item}: write NAME=VALUE, for example --set cash=100").format(item=item))
        if name in story.resources:
            try:
                number = float(raw) if any(c in raw for c in ".eE") or raw.lower() in ("nan", "inf", "-inf") else int(raw)
            except ValueError:
                raise StoryError(_("--set {item}: '{raw}' is not a number").format(item=item, raw=raw)) from None
            problem = number_problem(number)
            if problem:
                raise StoryError(f"--set {item}: '{raw}' {problem}")
            resource = story.resources[name]
            values[name] = resource.clamp(number)
            if values[name] != number:
                bound = _("at most {bound}") if number > values[name] else _("at least {bound}")
                values.notes.append(_("--set {item}: {label} is {bound_words}; the journey starts at {value}").format(
                    item=item, label=resource.label, bound_words=bound.format(bound=resource.format(values[name])),
                    value=resource.format(values[name])))
        elif name in story.flags or name in story.items:
            what = _("a flag") if name in story.flags else _("an item (true: carried)")
            if raw.lower() not in ("true", "false"):
                raise StoryError(_("--set {item}: {what} is true or false").format(item=item, what=what))
            if name in story.flags:
                values[name] = raw.lower() == "true"
            else:
                values.carried[name] = raw.lower() == "true"
        else:
            hint = did_you_mean(name, [*story.resources, *story.flags, *story.items], "")
            raise StoryError(_("--set {item}: '{name}' is not a declared resource, flag or item. {hint}").format(
                item=item, name=name, hint=hint).strip())
    return values
