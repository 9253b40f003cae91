"""The set-up screen of class journeys: the luck, going back, nicknames, the content level, the seed, then Begin.

The same form as the voting session's set-up (:class:`FacilitateSetupScene`: ↑/↓ or
Tab move, ←/→ change, the name and the seed are typed, Enter goes on and begins;
a click on a row takes it). Beside the form, what each choice means for the class:
*same luck for everyone* or *each their own luck* is itself a lesson about choices
and luck (the class debrief comes back to it), so the teacher reads why before
choosing. On the other rows (the name first, so on entry) the story's content note
stands there instead, with the note for younger classes when that level is chosen,
as on the voting set-up: the teacher reads it before any student sees a page.
Nothing starts until Begin: the callback given by the command line opens the
record and the room, and returns a sentence when it cannot.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from game.classroom.content import LEVEL_LABELS, LEVELS, content_note
from game.classroom.report import LUCK_LABELS, LUCK_WHY  # one wording for the luck everywhere
from game.l10n import N_, _
from game.ui.classroom.setup import FacilitateSetupScene, Field

UNDO_WHY = {
    True: N_("Students may go back one decision and try the other way; the record keeps both."),
    False: N_("Every choice stands, as it did for her: nobody can go back."),
}
NICKNAME_WHY = {
    False: N_("Off: students play anonymously, known to the game only by a number."),
    True: N_("On: a nickname each, shown only on the teacher page on your phone, never on this screen."),
}

FIELDS = (Field("name", N_("Session name")), Field("luck", N_("Luck")), Field("undo", N_("Going back")),
          Field("nicknames", N_("Nicknames")), Field("level", N_("Content level")), Field("seed", N_("Seed")),
          Field("begin", N_("Open the room")))


@dataclass(frozen=True, slots=True)
class JourneyChoices:
    """What the teacher chose: ``JourneyChoices("9B History", "same", False, False, 4242, "younger")``."""

    name: str
    luck: str            # "same" or "own"
    allow_undo: bool
    nicknames: bool
    seed: int
    level: str = "full"  # game.classroom.content.LEVELS: "younger" veils passages on every student's page


#: Begin: given the choices, start the room; returns None when it started, else one sentence saying why not.
Begin = Callable[[JourneyChoices], "str | None"]


class JourneysSetupScene(FacilitateSetupScene):
    name = "journeys-setup"
    fields = FIELDS
    arrow_fields = ("luck", "undo", "nicknames", "level", "seed")
    heading = N_("CLASS JOURNEYS · SET UP THE ROOM")
    hint_line = N_("Up/Down move  ·  ←→ change  ·  type the name and the seed  ·  Enter: next / open the room  ·  "
                   "Esc: quit")

    def __init__(self, app, choices: JourneyChoices, begin: Begin) -> None:  # noqa: ANN001
        super().__init__(app, None)
        self.values = {"name": choices.name, "luck": choices.luck, "undo": choices.allow_undo,
                       "nicknames": choices.nicknames, "seed": str(choices.seed), "level": choices.level}
        self.on_begin = begin

    def choices(self) -> JourneyChoices:
        v = self.values
        return JourneyChoices(name=str(v["name"]).strip() or _("Class journeys"), luck=str(v["luck"]),
                              allow_undo=bool(v["undo"]), nicknames=bool(v["nicknames"]), seed=int(v["seed"] or 0),
                              level=str(v["level"]))

    def skipped(self, key: str) -> bool:
        return False

    def shown(self, key: str) -> str:
        v = self.values
        if key == "name":
            return str(v["name"])
        if key == "luck":
            return _(LUCK_LABELS[str(v["luck"])])
        if key == "undo":
            return _("Allowed") if v["undo"] else _("Not allowed")
        if key == "nicknames":
            return _("On") if v["nicknames"] else _("Off")
        if key == "level":
            return _(LEVEL_LABELS[str(v["level"])])
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
        elif key == "level":
            v["level"] = LEVELS[(LEVELS.index(str(v["level"])) + dx) % len(LEVELS)]
        elif key == "seed":
            v["seed"] = str(secrets.randbelow(9000) + 1000)
        self.relayout()

    def side(self) -> list[tuple[str, str, int]]:
        """Beside the form, what the focused row means: the luck and its lesson, going back and nicknames, and
        everywhere else (the name first, so on entry) the content note for the level, as the voting set-up."""
        pj = self.pj
        size = max(12, round(pj.small * 0.95 * self.side_scale))
        v = self.values
        focused = self.fields[self.focus].key
        if focused not in ("luck", "undo", "nicknames"):
            paras = content_note(self.app.story, str(v["level"]), journeys=True)
            if v["level"] == "younger":  # what the level does first: it is what the teacher must know before opening
                paras = paras[-1:] + paras[:-1]
            return [(_("CONTENT NOTE"), "sans-bold", pj.small)] + [(para, "serif", size) for para in paras]
        luck, other = str(v["luck"]), "own" if v["luck"] == "same" else "same"
        return [(_("WHY THE LUCK MATTERS"), "sans-bold", pj.small),
                (f"{_(LUCK_LABELS[luck])}. {_(LUCK_WHY[luck])}", "serif", size),
                (f"{_(LUCK_LABELS[other])}. {_(LUCK_WHY[other])}", "serif", size),
                (_("GOING BACK AND NICKNAMES"), "sans-bold", pj.small),
                (_(UNDO_WHY[bool(v["undo"])]), "serif", size),
                (_(NICKNAME_WHY[bool(v["nicknames"])]), "serif", size)]

    side_scale = 1.0

    def relayout(self) -> None:
        """As the voting set-up, with the words beside the form set smaller until all of them fit, or as many
        as fit at the smallest size (the note for younger classes comes first, then the story's note with its
        helplines: what a teacher must read is never the part left out)."""
        for scale in (1.0, 0.9, 0.8, 0.72, 0.65):
            self.side_scale = scale
            super().relayout()
            if len(self.note) == len(self.side()):
                break
        self._fit_values()

    def _fit_values(self) -> None:
        """A value too wide for its row with the arrows beside it ("‹ Same luck for everyone ›" on a small
        window) is set smaller, so the arrow never touches the row's edge."""
        pj, p, text = self.pj, self.theme.palette, self.app.text
        if not self.rows:
            return
        arrow = text.line("›", "sans-bold", pj.ui, p.accent).get_width() + pj.px(8)
        room = self.rows[0].w - round(self.rows[0].w * 0.42) - arrow - pj.px(10)
        for i, (label, value, arrows, focused, is_button) in enumerate(self.row_images):
            if is_button or value.get_width() <= room:
                continue
            key = self.fields[i].key
            words = self.shown(key) + ("|" if focused and key in ("name", "seed") else "")
            size = max(12, int(pj.ui * room / value.get_width()))
            self.row_images[i] = (label, text.line(words, "sans-bold", size, p.strong), arrows, focused, is_button)

    def begin(self) -> None:
        problem = self.on_begin(self.choices())
        if problem:
            self.error = problem
            self.relayout()
