"""Play in a terminal: plain text, numbered choices, works with a screen reader and with pipes.

Input comes from stdin one line at a time, so a playthrough can be piped in
(``printf '1\n2\n' | escape-route play --text``). Bad input is answered politely
and asked again. End of input or Ctrl-C saves the journey and exits 0. The last
line of a finished journey is always ``THE END — <title> [<kind>]``.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import TextIO

from game.engine.engine import ChoiceView, Engine, NodeView, Outcome
from game.engine.history import LUCK_SENTENCE, SINCE_2010_FACTS, cite, facts_for
from game.engine.presets import start_with
from game.engine.save import (
    AUTOSAVE,
    claim_data_folder,
    keep_autosave_aside,
    load_save_safely,
    read_info,
    remove_stale_temporaries,
    saves_dir,
    slot_path,
    write_autosave,
)
from game.engine.state import GameState
from game.engine.wording import risk_words
from game.errors import Impossible, StoryError
from game.l10n import N_, _, language, number
from game.story import template as tpl
from game.story.model import ENDING_KIND_LABELS, Fact, Story, also_line

HELP = N_("Type the number of a choice and press Enter. Other commands: "
          "'u' undoes the last choice, 's' shows what she carries, 'q' saves and quits, '?' shows this help.")


class _Style:
    """ANSI emphasis, only when the output is a terminal that wants it (NO_COLOR, TERM=dumb respected)."""

    def __init__(self, stream: TextIO) -> None:
        self.on = (hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM", "") not in ("", "dumb")
                   and "NO_COLOR" not in os.environ)

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.on else text

    def dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[0m" if self.on else text


class TextGame:
    """One terminal session over an Engine."""

    def __init__(self, story: Story, state: GameState, stdin: TextIO, stdout: TextIO, autosave: bool = True) -> None:
        self.story = story
        self.engine = Engine(story)
        self.state = state
        self.stdin = stdin
        self.out = stdout
        self.autosave = autosave
        self.journey: str | None = None  # the journey id in the autosave slot once this session wrote it
        self.style = _Style(stdout)
        self.width = max(40, min(100, shutil.get_terminal_size((80, 24)).columns - 2))
        self.chapter = ""

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def wrap(self, text: str, indent: str = "") -> None:
        self.say(textwrap.fill(text, self.width, initial_indent=indent, subsequent_indent=indent))

    def run(self) -> int:
        while True:
            view = self.engine.view(self.state)
            self.show(view)
            if view.ending is not None:
                self.show_ending(view)
                return 0
            self.save()
            index = self.ask(view)
            if index is None:
                self.say()
                if self.save():
                    self.say(_("Your journey is saved. Continue it with: {command}").format(
                        command="escape-route play --text --continue"))
                else:
                    self.say(_("Your journey could not be saved (see above)."))
                return 0
            if index == "undo":
                self.undo()
                continue
            try:
                outcome = self.engine.choose(self.state, index)
            except Impossible as exc:
                self.say(_("That choice is not open to her: {reason}.").format(reason=str(exc).rstrip(".")))
                continue
            self.report(outcome)

    def show(self, view: NodeView) -> None:
        if view.chapter and view.chapter != self.chapter:
            self.chapter = view.chapter
            self.say()
            self.say(self.style.bold(f"== {view.chapter} =="))
        self.say()
        if view.title:
            self.say(self.style.bold(view.title))
            self.say()
        for para in view.paragraphs:
            self.wrap(para)
            self.say()
        if view.ending is None:
            self.say(self.style.dim(self.status_line()))
            self.say()
            for choice in view.choices:
                self.show_choice(choice)

    def status_line(self) -> str:
        parts = [f"{r.label} {r.format(self.state.vars[name]) if r.is_currency else number(self.state.vars[name])}"
                 for name, r in self.story.resources.items()]
        line = " · ".join(parts)
        if self.state.items:
            line += " | " + _("Carrying: {items}").format(
                items=", ".join(self.story.items[i].label for i in sorted(self.state.items)))
        return line

    def show_choice(self, choice: ChoiceView) -> None:
        number = f"{choice.index + 1}."
        details = [choice.cost_text] if choice.costs else []
        if choice.risk is not None:
            details.append(_("risk {risk}").format(risk=choice.risk.text))
        text = choice.text + (" — " + " · ".join(details) if details else "")
        if not choice.available:
            self.wrap(_("{number} (not available: {reason}) {text}").format(number=number, reason=choice.reason,
                                                                            text=text), "   ")
        else:
            self.wrap(f"{number} {text}", "   ")

    def ask(self, view: NodeView) -> int | str | None:
        """Read until a valid choice number (or a command); None on end of input or Ctrl-C."""
        count = len(view.choices)
        while True:
            try:
                self.out.write("> ")
                self.out.flush()
                line = self.stdin.readline()
            except KeyboardInterrupt:
                return None
            if not line:
                return None
            answer = line.strip().lower()
            if answer in ("q", "quit", "exit"):
                return None
            if answer in ("?", "h", "help"):
                self.wrap(_(HELP))
                continue
            if answer in ("u", "undo", "back"):
                return "undo"
            if answer in ("s", "status"):
                self.say(self.status_line())
                continue
            if answer.isdigit() and 1 <= int(answer) <= count:
                choice = view.choices[int(answer) - 1]
                if not choice.available:
                    self.say(_("That choice is not open to her: {reason}. Pick another.").format(
                        reason=choice.reason.rstrip(".")))
                    continue
                return int(answer) - 1
            if count == 1:  # "from 1 to 1" reads as a slip
                self.say(_("Please type 1, or '?' for help."))
            else:
                self.say(_("Please type a number from 1 to {count}, or '?' for help.").format(count=count))

    def undo(self) -> None:
        try:
            self.engine.rollback(self.state)
            self.say(_("The last choice is undone."))
        except Impossible as exc:
            self.say(_("Cannot undo: {reason}.").format(reason=exc))

    def report(self, outcome: Outcome) -> None:
        lines = []
        if outcome.roll is not None:
            lines.append(risk_words(outcome.roll.chance, outcome.roll.label, outcome.roll.failed))
        changes = [self.story.resources[name].format(delta, signed=True) + ("" if self.story.resources[name].unit
                                                                            else f" {self.story.resources[name].label}")
                   for name, delta in outcome.deltas.items()]
        changes += [f"+ {self.story.items[i].label}" for i in outcome.gained]
        changes += [f"− {self.story.items[i].label}" for i in outcome.lost]
        if changes:
            lines.append(_("Changes: {changes}.").format(changes=", ".join(changes)))
        if lines:
            self.say()
            for line in lines:
                self.wrap(self.style.dim(line))

    def show_ending(self, view: NodeView) -> None:
        ending = view.ending
        assert ending is not None
        self.say(self.style.bold(_("How it ended: {kind}.").format(kind=ENDING_KIND_LABELS.get(ending.kind, ending.kind))))
        self.wrap(_(LUCK_SENTENCE))
        self.say()
        if ending.debrief:
            self.say(self.style.bold(_("What followed, in reality")))
            self.say()
            for para in ending.debrief.split("\n\n"):
                self.wrap(" ".join(para.split()))
                self.say()
        facts = [self.story.facts[f] for f in facts_for(self.story, self.state.journal, self.state.node)
                 if f not in SINCE_2010_FACTS]
        if facts:
            self.say(self.style.bold(_("Sources")))
            for fact in facts:
                self.wrap(self.fact_line(fact), "  ")
            self.say()
        since = [self.story.facts[f] for f in SINCE_2010_FACTS if f in self.story.facts]
        if since:
            self.say(self.style.bold(_("What has changed since 2010")))
            for fact in since:
                self.wrap(self.fact_line(fact), "  ")
            self.say()
        self.say(_("Play again with: {command}").format(command="escape-route play --text"))
        self.save()
        self.say(f"THE END — {ending.title} [{ending.kind}]")

    @staticmethod
    def fact_line(fact: Fact) -> str:
        """"- text (Daily NK, 2010; medium confidence: https://…)": the source and how far it can be trusted.

        In Korean, a Korean source of the fact follows ("; 한국어 출처: 연합뉴스TV, 2026: https://…").
        """
        also = also_line(fact, language(), addresses=True)
        return (f"- {' '.join(fact.text.split())} ({cite(fact)}{': ' + fact.source if fact.source else ''}"
                f"{'; ' + also if also else ''})")

    def save(self) -> bool:
        """Autosave; True when the journey is on disk now."""
        if not self.autosave:
            return False
        try:
            done = write_autosave(self.state, self.story, self.journey)
        except StoryError as exc:
            self.say(_("(Could not autosave: {problem})").format(problem=exc))
            return False
        self.journey = done.journey
        if done.kept is not None:
            said = (_("another copy of the game had autosaved a journey (day {day}); it is kept as {path}.")
                    if done.other_copy else
                    _("your other saved journey (day {day}) is kept as {path}; this is a new journey."))
            print("escape-route: " + said.format(day=done.kept.day, path=done.kept.path), file=sys.stderr)
        return True


def run_text(story: Story, seed: int | None, resume: bool, start: str | None = None,
             presets: dict | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None,
             state: GameState | None = None) -> int:
    """Entry point for ``escape-route play --text`` (``state``: start from a given moment, e.g. a note)."""
    try:
        # One copy of the game at a time on one data folder: two would autosave over each other's journeys.
        folder_lock = claim_data_folder()
    except StoryError as exc:
        print("escape-route: " + str(exc), file=sys.stderr)
        return 1
    try:
        return _run_text(story, seed, resume, start, presets, stdin, stdout, state)
    finally:
        if folder_lock is not None:
            folder_lock.release()


def _run_text(story: Story, seed: int | None, resume: bool, start: str | None, presets: dict | None,
              stdin: TextIO | None, stdout: TextIO | None, state: GameState | None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    engine = Engine(story)
    if state is not None:
        game = TextGame(story, state, stdin, stdout)
        game.autosave = keep_other_journey()
        return game.run()
    remove_stale_temporaries(saves_dir())
    keep_autosave = False
    if resume:
        state, notice = load_save_safely(slot_path(AUTOSAVE), story)
        print(notice or _("Continuing your saved journey."), file=stdout)
        # A save that could not be read nor moved aside stays where it is: never write over it.
        keep_autosave = state is None and os.path.lexists(slot_path(AUTOSAVE))
    game = None
    fresh = state is None
    if state is None:
        state = engine.new_game(seed, start=start)
        start_with(state, presets)
        if not start:
            game = TextGame(story, state, stdin, stdout)
            game.say(story.title.upper())
            game.say()
            for count, para in enumerate(tpl.paragraphs(story.content_note)):
                if count:
                    game.say()
                game.wrap((_("Content note: ") if count == 0 else "") + para)
    game = game or TextGame(story, state, stdin, stdout)
    if resume and not fresh:  # continuing the autosaved journey: the slot is this journey's
        game.journey = read_info(slot_path(AUTOSAVE)).journey
    if keep_autosave:
        game.autosave = False
    elif fresh:
        game.autosave = keep_other_journey()
    return game.run()


def keep_other_journey() -> bool:
    """Before a journey that is not the autosaved one autosaves: keep the other one, and say where.

    The terminal and the window share the autosave slot (so ``--continue`` resumes the
    journey last played in either); a new journey never replaces another silently.
    False when the other journey could not be kept: then this one must not autosave over it.
    """
    try:
        kept = keep_autosave_aside()
    except StoryError as exc:
        print("escape-route: " + _("Could not autosave: {problem}").format(problem=exc), file=sys.stderr)
        return False
    if kept is not None:
        # On stderr: the terminal shows it, and the story's own output (pipes, transcripts) stays the same.
        print("escape-route: " + _("your other saved journey (day {day}) is kept as {path}; this is a new journey.")
              .format(day=kept.day, path=kept.path), file=sys.stderr)
    return True
