"""The set-up screen of class journeys: the luck, going back, nicknames, the seed, then Begin.

The same form as the voting session's set-up (:class:`FacilitateSetupScene`: ↑/↓ or
Tab move, ←/→ change, the name and the seed are typed, Enter goes on and begins;
a click on a row takes it). Beside the form, what each choice means for the class:
*same luck for everyone* or *each their own luck* is itself a lesson about choices
and luck (the class debrief comes back to it), so the teacher reads why before
choosing. Nothing starts until Begin: the callback given by the command line opens
the record and the room, and returns a sentence when it cannot.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from game.classroom.report import LUCK_LABELS, LUCK_WHY  # one wording for the luck everywhere
from game.ui.classroom.setup import FacilitateSetupScene, Field

UNDO_WHY = {
    True: "Students may go back one decision and try the other way; the record keeps both.",
    False: "Every choice stands, as it did for her: nobody can go back.",
}
NICKNAME_WHY = {
    False: "Off: students play anonymously, known to the game only by a number.",
    True: "On: a nickname each, shown only on the teacher page on your phone, never on this screen.",
}

FIELDS = (Field("name", "Session name"), Field("luck", "Luck"), Field("undo", "Going back"),
          Field("nicknames", "Nicknames"), Field("seed", "Seed"), Field("begin", "Open the room"))


@dataclass(frozen=True, slots=True)
class JourneyChoices:
    """What the teacher chose: ``JourneyChoices("9B History", "same", False, False, 4242)``."""

    name: str
    luck: str            # "same" or "own"
    allow_undo: bool
    nicknames: bool
    seed: int


#: Begin: given the choices, start the room; returns None when it started, else one sentence saying why not.
Begin = Callable[[JourneyChoices], "str | None"]


class JourneysSetupScene(FacilitateSetupScene):
    name = "journeys-setup"
    fields = FIELDS
    arrow_fields = ("luck", "undo", "nicknames", "seed")
    heading = "CLASS JOURNEYS · SET UP THE ROOM"
    hint_line = "Up/Down move  ·  ←→ change  ·  type the name and the seed  ·  Enter: next / open the room  ·  Esc: quit"

    def __init__(self, app, choices: JourneyChoices, begin: Begin) -> None:  # noqa: ANN001
        super().__init__(app, None)
        self.values = {"name": choices.name, "luck": choices.luck, "undo": choices.allow_undo,
                       "nicknames": choices.nicknames, "seed": str(choices.seed)}
        self.on_begin = begin

    def choices(self) -> JourneyChoices:
        v = self.values
        return JourneyChoices(name=str(v["name"]).strip() or "Class journeys", luck=str(v["luck"]),
                              allow_undo=bool(v["undo"]), nicknames=bool(v["nicknames"]), seed=int(v["seed"] or 0))

    def skipped(self, key: str) -> bool:
        return False

    def shown(self, key: str) -> str:
        v = self.values
        if key == "name":
            return str(v["name"])
        if key == "luck":
            return LUCK_LABELS[str(v["luck"])]
        if key == "undo":
            return "Allowed" if v["undo"] else "Not allowed"
        if key == "nicknames":
            return "On (teacher page only)" if v["nicknames"] else "Off"
        if key == "seed":
            return str(v["seed"]) or "0"
        return ""

    def _change(self, dx: int) -> None:
        key = self.fields[self.focus].key
        v = self.values
        if key == "luck":
            v["luck"] = "own" if v["luck"] == "same" else "same"
        elif key in ("undo", "nicknames"):
            v[key] = not v[key]
        elif key == "seed":
            v["seed"] = str(secrets.randbelow(9000) + 1000)
        self.relayout()

    def side(self) -> list[tuple[str, str, int]]:
        pj = self.pj
        size = max(15, round(pj.small * 0.95))
        v = self.values
        luck, other = str(v["luck"]), "own" if v["luck"] == "same" else "same"
        return [("WHY THE LUCK MATTERS", "sans-bold", pj.small),
                (f"{LUCK_LABELS[luck]}. {LUCK_WHY[luck]}", "serif", size),
                (f"{LUCK_LABELS[other]}. {LUCK_WHY[other]}", "serif", size),
                ("GOING BACK AND NICKNAMES", "sans-bold", pj.small),
                (UNDO_WHY[bool(v["undo"])], "serif", size),
                (NICKNAME_WHY[bool(v["nicknames"])], "serif", size)]

    def begin(self) -> None:
        problem = self.on_begin(self.choices())
        if problem:
            self.error = problem
            self.relayout()
