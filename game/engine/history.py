"""The endings this player has reached and the journeys behind them, kept beside the saves.

The title screen's gallery reads it: which endings were reached (the others stay
hidden, only counted), and each past journey, enough to show its debrief again and
to draw its route small. One JSON file in the saves folder, written atomically,
read bounded. A damaged file is never written over: it is moved aside like an
unreadable save, and the gallery starts empty with a notice that says where it went.

Pure: no pygame. The journal is kept without its page texts (a journey's text is
the story's, and would make the file grow a hundred times for nothing the debrief
shows).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine.save import HISTORY_FILE, atomic_write_text, saves_dir, set_aside
from game.engine.state import GameState
from game.errors import StoryError
from game.files import LIMITS, os_reason, read_json
from game.l10n import N_, _
from game.story.model import ENDING_KINDS, Fact, Story

#: Said in every debrief, on every front-end (the class report will say it too): choices were never
#: the whole story. Here, in the core, so that the terminal and the classroom can import it.
LUCK_SENTENCE = N_("In reality, how an escape ended depended on money, contacts and luck as much as on "
                   "the choices anyone made.")
#: The facts of the card "What has changed since 2010", in order (debriefs and the classroom reuse it).
SINCE_2010_FACTS = ("fees_fences_surveillance_since_2010", "covid_border_closure_2020", "mass_repatriation_2023",
                    "arrivals_by_year")



def facts_for(story: Story, journal: list[dict], ending_node: str) -> list[str]:
    """Fact ids behind this journey: the ending's first, then each visited node's, without repeats.

    The window's debrief, the class debrief and the terminal all list these, so a fact a
    writer links to any passage she passed through is shown with its source at the end.
    """
    ids: list[str] = []
    nodes = [ending_node] + [str(e.get("node", "")) for e in journal]
    for node_id in nodes:
        node = story.nodes.get(node_id)
        if node is None:
            continue
        for fact in node.facts:
            if fact in story.facts and fact not in ids:
                ids.append(fact)
    return ids


def cite(fact: Fact) -> str:
    """"Daily NK, 2010; medium confidence": who says it, when, and how far it can be trusted.

    The year is left out when the source's title already gives one ("Yonhap, 2021").
    """
    year = str(fact.year) if fact.year and not re.search(r"\b(1[89]|20)\d\d\b", fact.source_title) else ""
    where = ", ".join(x for x in (fact.source_title, year) if x)
    return where + (_("; {confidence} confidence").format(confidence=_(fact.confidence)) if fact.confidence else "")


HISTORY_FORMAT = "escape-route-history"
HISTORY_VERSION = 1
#: The oldest journeys are dropped past this many, so the file stays far below its read limit.
MAX_JOURNEYS = 200
#: Journal keys kept for a past journey's debrief (no page text).
_KEPT = ("node", "title", "chapter", "location", "day", "choice", "roll")
#: Where the journey is home: a journey that never left it was not "on the road".
HOME_COUNTRY = "KP"
#: Arrival here ends the road (the years after arrival are not days on the road).
ARRIVAL_COUNTRY = "KR"


@dataclass(frozen=True, slots=True)
class PastJourney:
    """One finished journey: ``ending_id`` ("seoul_family_later"), its ``kind`` and ``title``,
    when it ended (``finished_at``, seconds since 1970), and what its debrief needs again."""

    key: str
    ending_id: str
    kind: str
    title: str
    finished_at: float
    node: str
    journal: tuple[dict[str, Any], ...]
    vars: dict[str, Any] = field(default_factory=dict)
    items: tuple[str, ...] = ()

    def places(self) -> list[str]:
        """Location ids in travel order, without repeats (for the small route drawing)."""
        out: list[str] = []
        for entry in self.journal:
            loc = entry.get("location")
            if isinstance(loc, str) and loc and loc not in out:
                out.append(loc)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "ending_id": self.ending_id, "kind": self.kind, "title": self.title,
                "finished_at": self.finished_at, "node": self.node, "journal": list(self.journal),
                "vars": dict(self.vars), "items": list(self.items)}

    @classmethod
    def from_dict(cls, data: Any) -> PastJourney:
        """Raises ValueError on anything that is not a journey this module wrote."""
        if not isinstance(data, dict):
            raise ValueError(_("a journey is not an object"))
        text = {k: data.get(k) for k in ("key", "ending_id", "kind", "title", "node")}
        if not all(isinstance(v, str) for v in text.values()) or text["kind"] not in ENDING_KINDS:
            raise ValueError(_("a journey's ending is damaged"))
        when = data.get("finished_at")
        journal, values, items = data.get("journal"), data.get("vars", {}), data.get("items", [])
        if (not isinstance(when, (int, float)) or isinstance(when, bool) or not 0 <= when < 4102444800
                or not isinstance(journal, list) or not all(isinstance(e, dict) for e in journal)
                or not isinstance(values, dict) or not isinstance(items, list)
                or not all(isinstance(i, str) for i in items)):
            raise ValueError(_("a journey's record is damaged"))
        return cls(text["key"], text["ending_id"], text["kind"], text["title"], float(when), text["node"],
                   tuple(_clean(e) for e in journal), dict(values), tuple(items))


def _clean(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in _KEPT if k in entry}


def history_path() -> Path:
    return saves_dir() / HISTORY_FILE


def journey_key(state: GameState, ending_id: str) -> str:
    """The same journey reaching the same ending gives the same key (a page shown twice is one record)."""
    steps = [(e.get("node"), e.get("choice_index")) for e in state.journal]
    raw = json.dumps([state.seed, ending_id, steps], default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def from_state(state: GameState, story: Story, now: float | None = None) -> PastJourney | None:
    """The record of a journey that stands at an ending (None when it does not)."""
    node = story.nodes.get(state.node)
    if node is None or node.ending is None:
        return None
    ending = node.ending
    values = {k: v for k, v in state.vars.items() if k in story.resources}
    return PastJourney(journey_key(state, ending.id), ending.id, ending.kind, ending.title,
                       time.time() if now is None else now, state.node,
                       tuple(_clean(e) for e in state.journal), values, tuple(sorted(state.items)))


def load_history(path: Path | None = None) -> tuple[list[PastJourney], str]:
    """(past journeys, oldest first; a notice or ''). Never raises: a damaged file is moved aside."""
    path = path or history_path()
    if not os.path.lexists(path):
        return [], ""
    try:
        data = read_json(path, LIMITS["endings"], "the endings gallery")
        if not isinstance(data, dict) or data.get("format") != HISTORY_FORMAT:
            raise ValueError(_("it is not the game's record of past journeys"))
        if not isinstance(data.get("version"), int) or data["version"] > HISTORY_VERSION:
            raise ValueError(_("it was written by a newer version of the game"))
        raw = data.get("journeys")
        if not isinstance(raw, list):
            raise ValueError(_("its list of journeys is missing"))
        return [PastJourney.from_dict(item) for item in raw], ""
    except (StoryError, ValueError, OSError) as exc:
        reason = str(exc).rstrip(".")
    kept = set_aside(path)
    where = (_("it was kept as {path}").format(path=kept) if kept is not None
             else _("it could not be moved aside and is left as it is"))
    return [], _("The record of past journeys cannot be read ({reason}); {where}. The gallery starts empty.").format(
        reason=reason, where=where)


def record(journey: PastJourney, path: Path | None = None) -> str:
    """Add a finished journey (once: the same key is not added twice). Returns a problem or ''.

    A file that cannot be read is moved aside first (so it is never lost), then a new
    one is started.
    """
    path = path or history_path()
    journeys, notice = load_history(path)
    if notice and os.path.lexists(path):
        return notice  # damaged and could not be moved: never write over it
    if any(j.key == journey.key for j in journeys):
        return notice
    journeys = (journeys + [journey])[-MAX_JOURNEYS:]
    text = json.dumps({"format": HISTORY_FORMAT, "version": HISTORY_VERSION,
                       "journeys": [j.to_dict() for j in journeys]}, ensure_ascii=False)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        return _("Could not record this ending in the gallery ({path}): {reason}").format(path=path,
                                                                                      reason=os_reason(exc))
    return notice


def endings_reached(journeys: Sequence[PastJourney]) -> dict[str, PastJourney]:
    """Each ending id reached, with the latest journey that reached it."""
    out: dict[str, PastJourney] = {}
    for journey in journeys:
        out[journey.ending_id] = journey
    return out


def road_days(journal: Sequence[Mapping[str, Any]], country_of: Mapping[str, str]) -> int | None:
    """Days on the road: from the day she left home to the day she arrived (or the last day).

    None when she never left home: then she was not "on the road" at all. The years
    after arrival are not counted (an arrival ending's journal runs on in Seoul).
    """
    left: float | None = None
    last: float = 0.0
    for entry in journal:
        day = entry.get("day")
        if not isinstance(day, (int, float)) or isinstance(day, bool):
            continue
        country = country_of.get(str(entry.get("location", "")), "")
        if left is None:
            if country and country != HOME_COUNTRY:
                # She left on the day of the last page at home (the crossing), else this one.
                left = last if last else float(day)
            else:
                last = float(day)
                continue
        last = float(day)
        if country == ARRIVAL_COUNTRY:
            break
    if left is None:
        return None
    return max(0, round(last - left))
