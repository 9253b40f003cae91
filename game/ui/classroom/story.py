"""The passage on the projector: resources, title, text in pages, then discussion and the vote.

Enter (or Space) turns the page; after the last page it opens the discussion when
the passage has a ``discuss`` prompt and it has not been held yet, then the vote.
At an ending it opens the class debrief. Other keys: ← previous page, F fact cards,
D discuss (again), V vote now, R reveal a veiled passage, M map, B blank, P/Esc
pause, Backspace go back one decision (asks first; recorded).
"""

from __future__ import annotations

import pygame

from game.engine.engine import NodeView, Outcome
from game.l10n import N_, _
from game.ui import commands as c
from game.ui.classroom.common import FacilitateScene, draw_page, letter, wrap_pages
from game.ui.widgets.text import Block, blit_block

HINTS = N_("Enter: next  ·  F: facts  ·  D: discuss  ·  V: vote  ·  M: map  ·  B: blank  ·  P: pause  ·  "
           "Backspace: go back")


def start_session(app, fac) -> None:  # noqa: ANN001
    """Show a started or resumed session: the journey becomes the app's, the passage goes on screen.

    When the command line started a vote channel (phones over the LAN) and handed it
    to the app as ``app.vote_channel``, the class's votes come from it too.
    """
    app.state = fac.state
    app.facilitation = fac
    channel = getattr(app, "vote_channel", None)
    if channel is not None and channel not in fac.sources:
        fac.sources.append(channel)
    if channel is not None and not fac.read_only:
        fac.room_opened(channel.room_code, int(getattr(channel, "port", 0) or 0))
    app.stack.replace_all(FacilitateStoryScene(app, fac))
    if fac.ended:
        from game.ui.classroom.debrief import ClassDebriefScene

        app.push(ClassDebriefScene(app, fac))
    elif fac.pending is not None:  # the vote that was open when the session stopped, with its votes
        from game.ui.classroom.vote import VoteScene

        app.push(VoteScene(app, fac))
    for note in fac.notes[:3]:
        app.notify(note)


def resource_strip(scene: FacilitateScene, surface: pygame.Surface, values: dict, y: int) -> int:  # noqa: ANN001
    """The resources across the top of the safe area, label over value; returns the height used."""
    pj, p, text = scene.pj, scene.theme.palette, scene.app.text
    story = scene.app.story
    names = list(story.resources)
    if not names:
        return 0
    cell = pj.safe.w // len(names)
    height = 0
    for i, name in enumerate(names):
        r = story.resources[name]
        label = text.line(r.label.upper(), "sans", pj.small, p.muted)
        value = values.get(name, r.start)
        shown = r.format(value) if r.is_currency else f"{round(value):,}"
        image = text.line(shown, "sans-bold", pj.ui, p.strong)
        x = pj.safe.x + i * cell
        surface.blit(label, (x, y))
        surface.blit(image, (x, y + label.get_height()))
        height = max(height, label.get_height() + image.get_height())
    return height


class FacilitateStoryScene(FacilitateScene):
    name = "facilitate-story"

    def __init__(self, app, fac) -> None:  # noqa: ANN001
        super().__init__(app, fac)
        self.view: NodeView | None = None
        self.page = 0
        self.pages: list[list[tuple[Block, int, int]]] = []
        self.banner: tuple[str, bool] | None = None

    def enter(self) -> None:
        self.refresh()

    def resume(self) -> None:
        if self.view is None or self.view.node_id != self.fac.state.node or self.veiled != bool(self.fac.veil()):
            self.refresh()

    def refresh(self, banner: tuple[str, bool] | None = None) -> None:
        self.view = self.fac.view()
        self.app.state = self.fac.state
        self.app.audio.at_node(self.view.node_id)
        self.banner = banner
        self.page = 0
        self.relayout()

    @property
    def veiled(self) -> bool:
        return getattr(self, "_veiled", False)

    def relayout(self) -> None:
        if self.view is None:
            return
        pj, p, view = self.pj, self.theme.palette, self.view
        safe = pj.safe
        text = self.app.text
        number = self.app.story.chapter_number(view.chapter)
        place = self.app.place(view.location)[0] if view.location else ""
        # A chapter named after its place ("Hyesan") names it once: not "CHAPTER 1 · HYESAN · HYESAN".
        same = place and view.chapter and place.casefold() == view.chapter.casefold()
        kicker = " · ".join(x for x in (_("Chapter {n}").format(n=number) if number else "", view.chapter,
                                        "" if same else place) if x)
        self.kicker_text = kicker
        self.kicker_image = text.line(kicker.upper(), "sans-bold", pj.small, p.accent)
        self.strip_h = round(pj.small * 1.4 + pj.ui * 1.4)
        y = safe.y + self.strip_h + pj.px(14)
        self.kicker_y = y
        y += self.kicker_image.get_height() + pj.px(4)
        self.title = self.block(view.title or view.node_id, "serif-bold", pj.title, safe.w, p.strong, 1.15)
        self.title_y = y
        y += self.title.height + pj.px(12)
        self.banner_image = None
        if self.banner is not None:
            message, failed = self.banner
            img = text.line(message, "sans-bold", pj.ui, p.danger_text if failed else p.bg)
            pill = pygame.Surface(img.get_rect().inflate(pj.px(36), pj.px(14)).size)
            pill.fill(p.danger if failed else p.good)
            pill.blit(img, (pj.px(18), pj.px(7)))
            self.banner_image = pill
            self.banner_y = y
            y += pill.get_height() + pj.px(14)
        self.text_y = y
        bottom = safe.bottom - round(pj.small * 1.3) - pj.px(16)
        veil = self.fac.veil()
        self._veiled = veil is not None
        blocks: list[tuple[Block, int]] = []
        if veil is not None:
            blocks.append((self.block(_("This passage depicts {what}.").format(what=veil.text), "serif-bold", pj.body, safe.w,
                                      p.strong, 1.4), pj.px(14)))
            blocks.append((self.block(_("Read it aloud, tell it in your own words, or press R to show it on the "
                                        "screen. The choices that follow are the same either way."), "serif",
                                      pj.body, safe.w, p.text, 1.45), 0))
        else:
            for para in view.paragraphs:
                blocks.append((self.block(para, "serif", pj.body, min(safe.w, pj.body * 34), p.text, 1.45),
                               round(pj.body * 0.6)))
        if view.ending is not None:
            blocks.append((self.block(_("THE END  ·  {title}").format(title=view.ending.title), "sans-bold", pj.ui, safe.w,
                                      p.good if view.ending.kind == "safe" else p.bad, 1.3), 0))
        body_w = min(safe.w, pj.body * 34)

        def rewrap(block: Block, words: str) -> Block:  # a paragraph cut between sentences, set again
            return self.block(words, "serif", pj.body, body_w, p.text, 1.45)

        self.pages = wrap_pages(blocks, bottom - y, rewrap if veil is None else None) or [[]]
        self.page = min(self.page, len(self.pages) - 1)

    # ------------------------------------------------------------------ input
    def handle(self, cmd: c.Command) -> c.Command | None:
        if self.common(cmd):
            return None
        key = letter(cmd)
        fac = self.fac
        if isinstance(cmd, c.Confirm) or isinstance(cmd, c.Move) and cmd.dx > 0 or \
                isinstance(cmd, c.Scroll) and (cmd.pages > 0 or cmd.lines > 0):
            if self.page < len(self.pages) - 1:
                self.page += 1
            elif isinstance(cmd, c.Confirm):
                self.next_step()
        elif isinstance(cmd, c.Move) and cmd.dx < 0 or isinstance(cmd, c.Scroll) and (cmd.pages < 0 or
                                                                                       cmd.lines < 0):
            self.page = max(0, self.page - 1)
        elif key == "f":
            self.open_facts()
        elif key == "d":
            if self.view is not None and self.view.discuss:
                self.open_discussion()
            else:
                self.app.notify(_("This passage has no discussion prompt."))
        elif key == "v":
            if self.view is not None and self.view.ending is None:
                self.open_vote()
        elif key == "r":
            if fac.veil() is not None:
                fac.reveal()
                self.relayout()
        elif isinstance(cmd, c.OpenMap):
            if self.app.route is None:
                self.app.notify(_("This story has no map."))
            else:
                self.app.push(class_map(self.app))
        elif isinstance(cmd, c.Rollback):
            self.ask_rollback()
        elif isinstance(cmd, c.Back):
            from game.ui.classroom.pause import FacilitatePauseScene
            self.app.push(FacilitatePauseScene(self.app, fac))
        return None

    def next_step(self) -> None:
        view = self.view
        if view is None:
            return
        if view.ending is not None:
            from game.ui.classroom.debrief import ClassDebriefScene
            self.app.push(ClassDebriefScene(self.app, self.fac))
        elif self.fac.needs_discussion():
            self.open_discussion()
        else:
            self.open_vote()

    def open_discussion(self) -> None:
        from game.ui.classroom.discussion import DiscussionScene
        self.app.push(DiscussionScene(self.app, self.fac))

    def open_vote(self) -> None:
        from game.ui.classroom.vote import VoteScene
        self.app.push(VoteScene(self.app, self.fac))

    def open_facts(self) -> None:
        view = self.view
        facts = [f for f in (view.facts if view else ()) if f in self.app.story.facts]
        if not facts:
            self.app.notify(_("No facts are linked to this passage."))
            return
        from game.ui.classroom.facts import FactCardScene
        self.app.push(FactCardScene(self.app, self.fac, facts))

    def ask_rollback(self) -> None:
        ok, why = self.fac.can_rollback()
        if not ok:
            self.app.notify(_("Cannot go back: {reason}.").format(reason=why))
            return
        from game.ui.classroom.pause import ConfirmRollbackScene
        self.app.push(ConfirmRollbackScene(self.app, self.fac))

    def chosen(self, outcome: Outcome) -> None:
        """Called by the vote once the class's choice is taken: show where it led, and what the dice did."""
        banner = None
        if outcome.roll is not None:
            pct = round(outcome.roll.chance * 100)
            banner = ((_("The risk fell: {pct}%, {risk}").format(pct=pct, risk=outcome.roll.label), True)
                      if outcome.roll.failed else
                      (_("The risk passed: {pct}%, {risk}").format(pct=pct, risk=outcome.roll.label), False))
            self.app.audio.cue("risk_fell" if outcome.roll.failed else "risk_avoided")
        self.refresh(banner)

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        if self.view is None:
            return
        pj = self.pj
        resource_strip(self, surface, self.fac.state.vars, pj.safe.y)
        surface.blit(self.kicker_image, (pj.safe.x, self.kicker_y))
        blit_block(surface, self.title, pj.safe.x, self.title_y)
        if self.banner_image is not None:
            surface.blit(self.banner_image, (pj.safe.x, self.banner_y))
        if self.pages:
            draw_page(surface, self.pages[self.page], pj.safe.x, self.text_y)
        more = ""
        if len(self.pages) > 1:
            more = _("Page {page} of {pages}").format(page=self.page + 1, pages=len(self.pages)) + "  ·  "
        if self.view.ending is not None:
            hint = more + _("Enter: the class debrief  ·  F: facts  ·  B: blank  ·  Backspace: go back")
        elif self._veiled:
            hint = more + _("R: show the passage") + "  ·  " + _(HINTS)
        else:
            hint = more + _(HINTS)
        self.hints(surface, hint)


def class_map(app):  # noqa: ANN001, ANN201
    """The route map (M) over the facilitator's passage, with the room code still in its top margin."""
    from game.ui.classroom.common import draw_room_badge
    from game.ui.scenes.map import MapScene

    class ClassMapScene(MapScene):
        def draw(self, surface: pygame.Surface) -> None:
            super().draw(surface)
            draw_room_badge(self.app, surface)

    return ClassMapScene(app)
