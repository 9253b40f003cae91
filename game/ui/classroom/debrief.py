"""The class debrief, in pages for the projector: the route and what it cost, the risks, what followed
in reality, the facts with their sources, and the questions to talk about.

→ / Enter / Space next page, ← previous; Backspace goes back one decision (asks
first); R shows a veiled ending text (younger classes); B blank; Esc or P pause
(where Quit is). Everything is read from the journey and the story; nothing is
decided here.
"""

from __future__ import annotations

import pygame

from game.classroom.sources import source_line
from game.engine.wording import ESTIMATE_NOTE, risk_words
from game.l10n import _, language, ngettext
from game.story.model import ENDING_KIND_LABELS, also_line
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, draw_page, letter, wrap_pages
from game.ui.scenes.ending import facts_for
from game.ui.scenes.map import MapCache, journey_places
from game.ui.widgets.text import Block

MAX_QUESTIONS = 5
MAX_FACTS = 8  # the ending's facts come first; the report lists them all


SINCE_2010 = ("fees_fences_surveillance_since_2010", "covid_border_closure_2020", "arrivals_by_year",
              "mass_repatriation_2023")
#: Words that tie a debrief question to arriving in the South: asked only of a journey that got there.
ARRIVAL_WORDS = ("arriv", "south korea", "seoul", "hanawon", "resettle")


def debrief_questions(story, prompts_met: list[tuple[str, str]],  # noqa: ANN001
                      ending_kind: str | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """(the story's debrief questions that fit the journey taken, the discuss prompts met on the way), at most
    five of each. A question about arriving in the South is left out when the journey ended elsewhere."""
    questions = [q for q in story.debrief_questions
                 if ending_kind == "safe" or not any(w in q.lower() for w in ARRIVAL_WORDS)]
    return questions[:MAX_QUESTIONS], list(prompts_met[-MAX_QUESTIONS:])


class ClassDebriefScene(FacilitateScene):
    name = "facilitate-debrief"

    def __init__(self, app, fac) -> None:  # noqa: ANN001
        super().__init__(app, fac)
        self.page = 0
        self.pages: list[tuple[str, list[tuple[Block, int, int]]]] = []
        self.map_cache = MapCache()

    def enter(self) -> None:
        self.relayout()

    def resume(self) -> None:
        self.relayout()

    # ------------------------------------------------------------------ content
    def relayout(self) -> None:
        pj, p, app, fac = self.pj, self.theme.palette, self.app, self.fac
        story, state = app.story, fac.state
        safe = pj.safe
        view = fac.view()
        ending = view.ending
        top = safe.y + round(pj.small * 1.5) + pj.px(10)
        bottom = safe.bottom - round(pj.small * 1.3) - pj.px(14)
        height = bottom - top
        self.top = top
        self.visited, self.current, _where = journey_places(app)
        has_map = app.map_view is not None
        self.map_rect = pygame.Rect(safe.x, top, round(safe.w * 0.46), height) if has_map else None
        col_x = (self.map_rect.right + pj.px(30)) if self.map_rect else safe.x
        col_w = safe.right - col_x
        self.col_x = col_x
        pages: list[tuple[str, list[tuple[Block, int, int]]]] = []

        def section(name: str, blocks: list[tuple[Block, int]], width_x: int = safe.x) -> None:
            for page in wrap_pages(blocks, height):
                pages.append((name, [(b, dx + width_x - safe.x, dy) for b, dx, dy in page]))

        # 1. The journey: the ending, the days, and what it cost.
        kind = ENDING_KIND_LABELS.get(ending.kind, ending.kind) if ending else _("The session ended before an ending")
        first: list[tuple[Block, int]] = [
            (self.block(kind.upper(), "sans-bold", pj.small, col_w,
                        p.good if ending and ending.kind == "safe" else p.bad, 1.3), pj.px(4)),
            (self.block(ending.title if ending else view.title, "serif-bold", pj.title, col_w, p.strong, 1.15),
             pj.px(10)),
        ]
        days = state.vars.get("days")
        summary = ngettext("{n} place on the way", "{n} places on the way", len(self.visited)).format(n=len(self.visited))
        if days is not None:
            summary = ngettext("{n} day on the road", "{n} days on the road", round(days)).format(n=round(days)) + "  ·  " + summary
        decisions = sum(1 for e in state.journal if e.get("choice"))
        summary += "  ·  " + ngettext("{n} decision", "{n} decisions", decisions).format(n=decisions)
        first.append((self.block(summary, "sans", pj.small, col_w, p.muted, 1.3),
                      pj.px(14)))
        for name, r in story.resources.items():
            start, end = r.start, state.vars.get(name, r.start)
            delta = end - start
            good = None if not delta else ((delta < 0) if r.better == "lower" else (delta > 0))
            colour = p.good if good else p.bad if good is False else p.text
            line = f"{r.label}:  {r.format(start)}  ›  {r.format(end)}"
            first.append((self.block(line, "sans-bold" if delta else "sans", pj.ui, col_w, colour, 1.25),
                          pj.px(4)))
        section(_("The journey"), first, col_x)
        # 2. The risks: those that fell and those that did not.
        risks: list[tuple[Block, int]] = []
        passed: list[str] = []
        for entry in state.journal:
            roll = entry.get("roll")
            if not isinstance(roll, dict):
                continue
            pct = round(float(roll.get("chance", 0)) * 100)
            if not roll.get("failed"):
                # Risks that passed are listed together: a long journey takes dozens of them.
                passed.append(f"{roll.get('label', '')} ({pct}%)")
                continue
            head = _("Day {day} · {title}").format(day=entry.get("day", 0), title=entry.get("title", ""))
            risks.append((self.block(head, "sans", pj.small, safe.w, p.muted, 1.3), 0))
            risks.append((self.block(str(entry.get("choice", "")), "serif", pj.body, safe.w, p.text, 1.3),
                          pj.px(2)))
            risks.append((self.block(risk_words(float(roll.get("chance", 0)), str(roll.get("label", "")), True),
                                     "sans-bold", pj.ui,
                                     safe.w, p.bad, 1.3), pj.px(16)))
        if passed:
            risks.append((self.block(ngettext("{n} risk passed: {risks}.", "{n} risks passed: {risks}.", len(passed)).format(
                n=len(passed), risks=", ".join(passed)), "sans", pj.ui, safe.w, p.good, 1.35), pj.px(16)))
        if not risks:
            risks.append((self.block(_("The class took no risk with a chance attached on this journey."), "serif",
                                     pj.body, safe.w, p.text, 1.4), 0))
        else:
            risks.append((self.block(_(ESTIMATE_NOTE), "sans", pj.small, safe.w, p.muted, 1.35), 0))
        section(_("The risks that fell, and those that did not"), risks)
        # 3. What followed, in reality.
        if ending is not None and ending.debrief:
            veil = fac.veil()
            if veil is not None:
                blocks = [(self.block(_("This ending's account deals with {what}. Read it aloud, tell it in "
                                        "your own words, or press R to show it.").format(what=veil.text), "serif", pj.body, safe.w, p.text,
                                      1.45), 0)]
            else:
                blocks = [(self.block(" ".join(para.split()), "serif", pj.body, safe.w, p.text, 1.45),
                           round(pj.body * 0.6)) for para in ending.debrief.split("\n\n") if para.strip()]
            section(_("What followed, in reality"), blocks)
        # 4. The facts, with their sources.
        facts: list[tuple[Block, int]] = []
        fact_ids = facts_for(story, state.journal, state.node)
        for fid in fact_ids[:MAX_FACTS]:
            fact = story.facts[fid]
            facts.append((self.block(" ".join(fact.text.split()), "serif", pj.ui, safe.w, p.text, 1.35), pj.px(2)))
            source = source_line(fact)
            source = _("Source: {source}").format(source=source)
            also = also_line(fact, language())
            facts.append((self.block(f"{source}  ·  {also}" if also else source, "sans", pj.small, safe.w, p.muted, 1.3),
                          pj.px(16)))
        if len(fact_ids) > MAX_FACTS:
            more = len(fact_ids) - MAX_FACTS
            facts.append((self.block(ngettext(
                "{n} more fact behind this journey, with its source, is in the class report (escape-route report).",
                "{n} more facts behind this journey, with their sources, are in the class report "
                "(escape-route report).", more).format(n=more), "sans", pj.small, safe.w,
                                     p.muted, 1.3), 0))
        if facts:
            section(_("The facts behind this journey, and their sources"), facts)
        # 5. Questions.
        # 5. What changed since 2010: the story is set then; escape is not the same now.
        since = [story.facts[f] for f in SINCE_2010 if f in story.facts]
        if since:
            blocks = [(self.block(_("The story is set around 2010. Since then:"), "sans-bold", pj.ui, safe.w, p.strong,
                                  1.3), pj.px(8))]
            for fact in since:
                source = source_line(fact)
                blocks.append((self.block(" ".join(fact.text.split()), "serif", pj.ui, safe.w, p.text, 1.35),
                               pj.px(2)))
                source = _("Source: {source}").format(source=source)
                also = also_line(fact, language())
                blocks.append((self.block(f"{source}  ·  {also}" if also else source, "sans", pj.small, safe.w, p.muted,
                                          1.3), pj.px(14)))
            section(_("What changed since 2010"), blocks)
        # 6. Questions.
        questions, prompts = debrief_questions(story, fac.prompts_met, ending.kind if ending else None)
        if questions:
            section(_("To think about"), [(self.block(f"{i + 1}.  {q}", "serif", pj.body, safe.w, p.strong, 1.35),
                                        pj.px(14)) for i, q in enumerate(questions)])
        if prompts:
            section(_("Questions met on the way"), [(self.block(f"—  {q}", "serif", pj.body, safe.w, p.text, 1.35),
                                                  pj.px(14)) for _key, q in prompts])
        self.pages = pages or [(_("Debrief"), [])]
        self.page = min(self.page, len(self.pages) - 1)

    # ------------------------------------------------------------------ input
    def handle(self, cmd: c.Command) -> c.Command | None:
        if self.common(cmd):
            return None
        key = letter(cmd)
        if isinstance(cmd, c.Confirm) or isinstance(cmd, c.Move) and (cmd.dx > 0 or cmd.dy > 0) or \
                isinstance(cmd, c.Scroll) and (cmd.pages > 0 or cmd.lines > 0):
            if self.page < len(self.pages) - 1:
                self.page += 1
            elif isinstance(cmd, c.Confirm):
                self.app.notify(_("That was the last page. Esc: menu (quit, or go back one decision)."))
        elif isinstance(cmd, c.Move) and (cmd.dx < 0 or cmd.dy < 0) or \
                isinstance(cmd, c.Scroll) and (cmd.pages < 0 or cmd.lines < 0):
            self.page = max(0, self.page - 1)
        elif isinstance(cmd, c.Scroll) and cmd.to:
            self.page = 0 if cmd.to < 0 else len(self.pages) - 1
        elif key == "r" and self.fac.veil() is not None:
            self.fac.reveal()
            self.relayout()
        elif isinstance(cmd, c.Rollback):
            ok, why = self.fac.can_rollback()
            if not ok:
                self.app.notify(_("Cannot go back: {reason}.").format(reason=why))
            else:
                from game.ui.classroom.pause import ConfirmRollbackScene
                self.app.push(ConfirmRollbackScene(self.app, self.fac))
        elif isinstance(cmd, c.Back):
            from game.ui.classroom.pause import FacilitatePauseScene
            self.app.push(FacilitatePauseScene(self.app, self.fac))
        return None

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        pj = self.pj
        name, page = self.pages[self.page]
        self.kicker(surface, _("Class debrief  ·  {section}  ·  page {page} of {pages}").format(
            section=name, page=self.page + 1, pages=len(self.pages)))
        if self.page == 0 and self.map_rect is not None and self.app.map_view is not None:
            self.map_cache.draw(self.app.map_view, surface, self.map_rect, self.visited, self.current, None)
        draw_page(surface, page, pj.safe.x, self.top)
        self.hints(surface, _("→ or Enter: next page  ·  ← previous  ·  Backspace: go back one decision  ·  "
                              "B: blank  ·  Esc: menu"))
