"""Everything that changes during a journey, in one object that turns into JSON and back.

Saves, rollback, the simulator and the classroom record all use this one shape. It
holds plain values only (str, int, float, bool, lists, dicts); the random
generator's state is here too, as text, so a save restores the exact future.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from game.errors import SaveError
from game.l10n import _

STATE_VERSION = 1


@dataclass
class GameState:
    """One journey in progress.

    ``vars`` holds resources (numbers) and flags (booleans) under their declared
    names; ``journal`` is what was read and chosen, for the history screen;
    ``undo`` holds snapshots taken before each choice, for rollback.
    """

    seed: int
    node: str
    vars: dict[str, Any]
    items: set[str]
    visits: dict[str, int]
    rng: str
    step: int = 0
    journal: list[dict[str, Any]] = field(default_factory=list)
    undo: list[dict[str, Any]] = field(default_factory=list)
    story_version: str = ""
    story_digest: str = ""

    def snapshot(self) -> dict[str, Any]:
        """What rollback restores: everything except the journal and the undo stack themselves."""
        return {
            "node": self.node,
            "vars": dict(self.vars),
            "items": sorted(self.items),
            "visits": dict(self.visits),
            "rng": self.rng,
            "step": self.step,
            "journal_len": len(self.journal),
        }

    def restore(self, snap: dict[str, Any]) -> None:
        self.node = snap["node"]
        self.vars = dict(snap["vars"])
        self.items = set(snap["items"])
        self.visits = dict(snap["visits"])
        self.rng = snap["rng"]
        self.step = snap["step"]
        del self.journal[snap["journal_len"]:]

    def to_dict(self) -> dict[str, Any]:
        return {
            "state_version": STATE_VERSION,
            "seed": self.seed,
            "node": self.node,
            "vars": dict(self.vars),
            "items": sorted(self.items),
            "visits": dict(self.visits),
            "rng": self.rng,
            "step": self.step,
            "journal": copy.deepcopy(self.journal),
            "undo": copy.deepcopy(self.undo),
            "story_version": self.story_version,
            "story_digest": self.story_digest,
        }

    def copy(self) -> GameState:
        return GameState.from_dict(self.to_dict())

    def light_copy(self) -> GameState:
        """The values, items, visits and generator, without journal or undo: for looking ahead
        (a choice's preview, the search for another ending), where a full copy would cost a
        deep copy of the whole journal for every step."""
        return GameState(seed=self.seed, node=self.node, vars=dict(self.vars), items=set(self.items),
                         visits=dict(self.visits), rng=self.rng, step=self.step)

    @classmethod
    def from_dict(cls, data: Any) -> GameState:
        """Rebuild a state, checking every field's type: a damaged file must not become a broken game."""
        if not isinstance(data, dict):
            raise SaveError(_("the saved state is not a JSON object"))
        version = data.get("state_version")
        if version != STATE_VERSION:
            raise SaveError(_("the saved state has format {version}; this version of the game reads format "
                              "{supported}").format(version=repr(version), supported=STATE_VERSION))
        try:
            seed = _typed(data, "seed", int)
            node = _typed(data, "node", str)
            variables = _typed(data, "vars", dict)
            for key, value in variables.items():
                if not isinstance(key, str) or isinstance(value, (list, dict, str)) or value is None:
                    raise SaveError(_("the saved value of {key} is not a number or true/false").format(key=repr(key)))
            items = _typed(data, "items", list)
            if not all(isinstance(i, str) for i in items):
                raise SaveError(_("the saved items are not a list of names"))
            visits = _typed(data, "visits", dict)
            if not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in visits.items()):
                raise SaveError(_("the saved visit counts are not whole numbers"))
            rng = _typed(data, "rng", str)
            from game.engine.rng import Pcg32

            Pcg32.from_json(rng)
            journal = _typed(data, "journal", list)
            undo = _typed(data, "undo", list)
            for snap in undo:
                if not isinstance(snap, dict) or not {"node", "vars", "items", "visits", "rng", "step",
                                                      "journal_len"} <= set(snap):
                    raise SaveError(_("a rollback point in the save is incomplete"))
            return cls(
                seed=seed,
                node=node,
                vars=dict(variables),
                items=set(items),
                visits=dict(visits),
                rng=rng,
                step=_typed(data, "step", int),
                journal=copy.deepcopy(journal),
                undo=copy.deepcopy(undo),
                story_version=str(data.get("story_version", "")),
                story_digest=str(data.get("story_digest", "")),
            )
        except (ValueError, TypeError) as exc:
            raise SaveError(_("the saved state is damaged ({problem})").format(problem=exc)) from None


def _typed(data: dict, key: str, kind: type) -> Any:
    if key not in data:
        raise SaveError(_("the saved state has no '{key}'").format(key=key))
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SaveError(_("the saved '{key}' is {found}, expected {wanted}").format(
            key=key, found=type(value).__name__, wanted=kind.__name__))
    return value
