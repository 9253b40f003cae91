"""The pygame front-end: window, loop, scene stack, and the journey the scenes share.

The loop follows "Fix Your Timestep!": real time is accumulated and spent in fixed
steps of 1/60 s that advance only animation (text reveal, HUD markers, fades);
the engine never sees time. Each frame: events → commands → the scene stack (top
first, down until a scene consumes the command) → fixed updates → draw → flip.
:meth:`App.step` is one such frame and is what the tests and the benchmark call,
so they drive the very code a player does, without sleeping.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from pathlib import Path
from typing import Any

import pygame

from game.alert import alert
from game.engine.engine import Engine
from game.engine.presets import start_with
from game.engine.save import (
    AUTOSAVE,
    claim_data_folder,
    load_save_safely,
    read_info,
    remove_stale_temporaries,
    saves_dir,
    slot_path,
    write_autosave,
)
from game.engine.state import GameState
from game.errors import RouteMapError, StoryError
from game.l10n import N_, _, language, ngettext, number, set_language
from game.paths import user_data_dir
from game.story.loader import load_story
from game.story.model import Story
from game.ui import commands as c
from game.ui.bench_support import first_frame_seconds
from game.ui.scenes.base import Scene, SceneStack
from game.ui.settings import Settings, load_settings, save_settings
from game.ui.theme import Fonts, Theme
from game.ui.widgets.text import TextCache, blit_block

STEP = 1 / 60
MIN_SIZE = (640, 400)
NO_DISPLAY = N_("no display available; play in the terminal with: escape-route play --text")
TOAST_LIFE = 4.5
IDLE_WAKE_MS = 250


class App:
    """One game window and one journey at a time."""

    def __init__(self, story: Story, *, seed: int | None = None, start: str | None = None,
                 presets: dict[str, Any] | None = None, resume: bool = False, autoplay: str | None = None,
                 fast: bool = False, quit_at_end: bool = False, size: tuple[int, int] | None = None,
                 skip_title: bool = False, state: GameState | None = None, hot_reload: bool = False,
                 writer: bool | None = None) -> None:
        self.story = story
        self.engine = Engine(story)
        self.seed = seed
        self.start = start
        self.presets = presets  # with the items given, if any (see game.engine.presets.start_with)
        self.quit_at_end = quit_at_end
        # Writer mode: playtest notes (N). A player's N does nothing; writers run from a checkout
        # or pass --writer (issue 15: players met the note box and typed into it by accident).
        if writer is None:
            from game.paths import running_from_repository

            writer = running_from_repository()
        self.writer = writer
        self.state: GameState | None = None
        self.running = True
        self.exit_code = 0
        self.ended_line = ""
        # True when the autosave slot holds a save that could not be read nor moved aside:
        # then this window never autosaves over it.
        self.autosave_blocked = False
        # The id of the journey this window last wrote to the autosave slot (see write_autosave);
        # None until it has: the journey in the slot is then another one, kept before the first autosave.
        self.journey: str | None = None
        self.autosave_problem = ""  # why the last autosave failed ('' when it worked)
        remove_stale_temporaries(saves_dir(), user_data_dir())
        self.settings, notice = load_settings()
        self.toasts: list[list[Any]] = []
        if notice:
            self.notify(notice)
        # Only the modules the game uses: pygame.init() would also open the audio device,
        # which costs start-up time and prints ALSA errors on machines without sound.
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption(story.title)
        pygame.key.set_repeat(350, 40)
        self._windowed_size = size or self.settings.window
        self.screen = self._open_window(fullscreen=self.settings.fullscreen and size is None)
        self.fonts = Fonts()
        self.text = TextCache(self.fonts)
        self.theme = Theme.build(self.screen.get_size(), self.settings)
        self.stack = SceneStack()
        self.commands: deque[tuple[c.Command, bool]] = deque()  # (command, from the player's hands)
        self.gate = c.InputGate()
        # Redraw only when something changed: a still page costs nothing (issue 15, item 12).
        self.dirty = True
        self._was_animating = False
        self.draws = 0
        self.clock = pygame.time.Clock()
        self.time = 0.0
        self._accumulator = 0.0
        self._fade = 0.0
        self._unseen = False  # a new screen not yet drawn
        self._seen_change = 0
        self._veil: pygame.Surface | None = None
        self._route: Any = None
        self._map_view: Any = None
        self.frames = 0
        # Sound: decoded and mixed off the frame; silent (captions only) without a device.
        from game.ui.audio import Audio

        self.audio = Audio(story, self.settings)
        self.audio.preload()
        # Writers: the story folder is watched and reloaded when a file is saved (see game.writer.reload).
        self.reloader = None
        self.reload_errors: list[Any] = []
        self._reload_clock = 0.0
        if hot_reload:
            from game.writer.reload import StoryReloader

            self.reloader = StoryReloader(story.root)
        from game.ui.autoplay import Autoplayer
        self.autoplayer = Autoplayer(self, autoplay, seed, fast) if autoplay else None
        from game.ui.scenes.title import TitleScene
        if state is not None:
            self.state = state
            from game.ui.scenes.story import StoryScene

            self.stack.replace_all(StoryScene(self))
        elif resume and self.continue_journey():
            pass
        elif skip_title or start:
            self.new_journey()
        else:
            self.stack.replace_all(TitleScene(self))
        self._seen_change = self.stack.changed

    # ------------------------------------------------------------------ window
    def _open_window(self, fullscreen: bool) -> pygame.Surface:
        if fullscreen:
            try:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            except pygame.error:
                pass
        w, h = self._windowed_size
        return pygame.display.set_mode((max(MIN_SIZE[0], w), max(MIN_SIZE[1], h)), pygame.RESIZABLE)

    def resize(self, size: tuple[int, int]) -> None:
        if self.settings.fullscreen:
            return
        w, h = max(MIN_SIZE[0], min(8192, size[0])), max(MIN_SIZE[1], min(8192, size[1]))
        if (w, h) != self.screen.get_size():
            try:
                self.screen = pygame.display.set_mode((w, h), pygame.RESIZABLE)
            except pygame.error as exc:
                self.notify(_("Could not resize the window: {problem}").format(problem=exc))
                return
        self._windowed_size = (w, h)
        self._relayout()

    def _relayout(self) -> None:
        surface = pygame.display.get_surface()
        if surface is not None:
            self.screen = surface
        self.theme = Theme.build(self.screen.get_size(), self.settings)
        self._veil = None
        self.stack.relayout()
        self.dirty = True

    def apply_settings(self, settings: Settings) -> None:
        """Use and persist new settings (called by the settings screen)."""
        old = self.settings
        self.settings = settings
        self.audio.apply(settings)
        if settings.fullscreen != old.fullscreen:
            try:
                self.screen = self._open_window(settings.fullscreen)
            except pygame.error as exc:
                self.settings = settings = settings.changed(fullscreen=old.fullscreen)
                self.notify(_("Could not change the display mode: {problem}").format(problem=exc))
        if settings.language != old.language:
            self.change_language(settings.language)
        problem = save_settings(self.settings.changed(window=tuple(self._windowed_size)))
        if problem:
            self.notify(problem)
        self._relayout()

    def change_language(self, lang: str) -> None:
        """Speak ``lang`` now ("" follows the system): the program's words, the story's text and the fonts.

        The journey stays exactly where it is: a translation changes words, never node ids
        or numbers, so the state carries over as it is.
        """
        set_language(lang or None)
        self.toasts.clear()  # notices in the other language (its fonts may not even have their letters)
        try:
            story = load_story(self.story.root, lang=language())
        except StoryError as exc:  # the story loaded a moment ago; only a file changed under it can fail
            self.notify(str(exc))
            return
        self._use_story(story)
        self.text = TextCache(self.fonts)  # lines rendered in the other language's faces are not reused

    def _use_story(self, story: Story) -> None:
        """Play ``story`` from now on (a reload or another language): the engine, the sound and the map follow."""
        self.story = story
        self.engine = Engine(story)
        self.audio.story = story
        self._route = self._map_view = None

    # ------------------------------------------------------------------ journey
    def new_journey(self) -> None:
        from game.ui.scenes.story import StoryScene

        self.state = self.engine.new_game(self.seed, start=self.start)
        start_with(self.state, self.presets)
        self.journey = None
        self.autosave()
        self.stack.replace_all(StoryScene(self))

    def continue_journey(self) -> bool:
        return self.load(slot_path(AUTOSAVE))

    def load(self, path: Path) -> bool:
        """Load a save and go to the story; on failure show why (never raise). True when loaded."""
        from game.ui.scenes.dialog import MessageScene
        from game.ui.scenes.story import StoryScene
        from game.ui.scenes.title import TitleScene

        state, notice = load_save_safely(path, self.story)
        if state is None:
            if path == slot_path(AUTOSAVE) and os.path.lexists(path):
                self.autosave_blocked = True
            if not self.stack.scenes:
                self.stack.replace_all(TitleScene(self))
            self.stack.push(MessageScene(self, _("This save cannot be loaded"), notice))
            return False
        self.state = state
        # The autosave follows the journey being played, so Continue resumes the one last played:
        # continuing it adopts its journey id; any other save's journey keeps it first.
        self.journey = read_info(path).journey if path == slot_path(AUTOSAVE) else None
        if self.journey is None:
            self.autosave()
        self.stack.replace_all(StoryScene(self))
        if notice:
            self.notify(notice)
        return True

    def autosave(self) -> None:
        """Save the journey in the autosave slot, keeping any other journey found there (and saying so)."""
        if self.state is None or self.autosave_blocked:
            return
        try:
            done = write_autosave(self.state, self.story, self.journey)
        except StoryError as exc:
            problem = _("Could not autosave: {problem}").format(problem=exc)
            if problem != self.autosave_problem:  # said once, not at every page while the folder stays closed
                self.notify(problem)
            self.autosave_problem = problem
            return
        self.autosave_problem = ""
        self.journey = done.journey
        kept = done.kept
        if kept is not None:
            place = self.place(kept.location)[0] if kept.location else ""
            where = ", ".join(p for p in (place, _("day {day}").format(day=kept.day)) if p)
            if done.other_copy:
                self.notify(_("Another copy of the game had autosaved a journey ({where}); it is kept: Load (F9) "
                              "lists it as “{kept}”.").format(where=where, kept=_("Kept journey")))
            else:
                self.notify(_("Your other journey ({where}) is kept: Load (F9) lists it as “{kept}”.").format(
                    where=where, kept=_("Kept journey")))

    def to_title(self) -> None:
        from game.ui.scenes.title import TitleScene

        self.stack.replace_all(TitleScene(self))

    def finish(self, ending: Any) -> None:
        """The journey reached its end and the game was asked to stop there (--quit-at-end)."""
        self.ended_line = f"THE END — {ending.title} [{ending.kind}]"
        print(self.ended_line, flush=True)
        self.running = False

    def place(self, location: str) -> tuple[str, str]:
        """(English, Korean) name of a location id."""
        route = self.route
        if route is not None and location in route.locations:
            loc = route.locations[location]
            if self.story.lang == "ko":  # the Korean edition's own spelling first, the English after
                return self.story.place(location, loc.label_ko), loc.label
            return self.story.place(location, loc.label), loc.label_ko
        return location.replace("_", " ").title(), ""

    @property
    def route(self) -> Any:
        """The story's route map, loaded once; None when the story has none or it cannot be read."""
        if self._route is None and self.story.map_path is not None:
            from game.route import load_route_map

            try:
                self._route = load_route_map(self.story.map_path)
            except (RouteMapError, OSError) as exc:
                from game.ui.map_view import map_problem

                self._route = False
                self.notify(_("The map could not be loaded: {problem}").format(problem=map_problem(exc)))
        return self._route or None

    @property
    def map_view(self) -> Any:
        if self._map_view is None and self.route is not None:
            from game.ui.map_view import MapView

            self._map_view = MapView(self.route, terrain_path(self.route), names=self.story.places,
                                     notes=self.story.place_notes)
        return self._map_view

    # ------------------------------------------------------------------ messages
    def notify(self, text: str) -> None:
        """A one-line notice at the bottom of the screen for a few seconds.

        The same notice again (an autosave that fails at every page) is not stacked: the
        one showing starts its few seconds over.
        """
        self.toasts = [toast for toast in self.toasts if toast[0] != text]
        self.toasts.append([text, 0.0])
        self.toasts = self.toasts[-3:]
        self.dirty = True

    def push(self, scene: Scene) -> None:
        self.stack.push(scene)

    def pop(self) -> None:
        self.stack.pop()
        if not self.stack.scenes:
            self.to_title()

    # ------------------------------------------------------------------ loop
    def post(self, cmd: c.Command) -> None:
        """Queue a command as if it came from the keyboard or mouse (the autoplayer uses this).

        Posted commands are deliberate, so the input gate (key repeat, a screen that has
        just appeared) does not hold them back; only real events pass through it.
        """
        self.commands.append((cmd, False))

    def new_screen(self) -> None:
        """A different screen is showing (a scene came or went, or a new story page)."""
        self.gate.screen_changed(self.time)
        self._unseen = True
        self.dirty = True

    def show_now(self) -> None:
        """Draw and show a frame at once, before slow work, so the player sees that the press was taken."""
        self.draw()
        pygame.display.flip()
        self.draws += 1

    def dispatch(self, cmd: c.Command) -> None:
        self.dirty = True
        if isinstance(cmd, c.Quit):
            self.running = False
            return
        if isinstance(cmd, c.Resize):
            self.resize(cmd.size)
            return
        if isinstance(cmd, c.ToggleMute):
            self.toggle_mute()
            return
        if isinstance(cmd, c.ToggleFullscreen):
            self.apply_settings(self.settings.changed(fullscreen=not self.settings.fullscreen))
            return
        if isinstance(cmd, c.ReloadStory):
            self.reload_story(force=True)
            return
        if isinstance(cmd, c.OpenNote) and self.writer and self.state is not None \
                and getattr(self.stack.top, "name", "") == "story":
            from game.ui.scenes.note import NoteScene

            self.push(NoteScene(self))
            return
        self.stack.handle(cmd)

    def toggle_mute(self) -> None:
        """F8: sound off or on. Saved with the settings, except in the classroom, where it lasts the session."""
        muted = self.audio.toggle_mute()
        if self.audio.room_muted is None:
            self.apply_settings(self.settings.changed(muted=muted))
        self.notify((_("Sound muted (F8).") if muted else _("Sound on (F8).")) + (
            "" if self.audio.device else " " + _("There is no sound device: captions (F2) say what would be heard.")))

    # ------------------------------------------------------------------ hot reload
    def reload_story(self, force: bool = False) -> None:
        """Pick up edited story files; on errors keep the old story and show them over the game."""
        if self.reloader is None:
            if force:
                self.notify(_("Reloading is for writers: run the game from the repository or with --story DIR."))
            return
        result = self.reloader.poll(force=force)
        if result is None:
            return
        if result.story is None:
            self.reload_errors = result.errors
            self.notify(result.message)
            return
        from game.writer.reload import carry_over

        if self.state is not None:
            trial = self.state.copy()
            problem = carry_over(trial, result.story)
            if problem:
                self.reload_errors = []
                self.notify(problem)
                return
            self.state = trial
        self.reload_errors = []
        story = result.story
        if language() != "en":  # the edited English, with the translation wherever it still fits
            from game.story.translation import translated_story

            story = translated_story(story, story.root, language())
        self._use_story(story)
        if self.state is not None:
            from game.ui.scenes.story import StoryScene

            self.stack.replace_all(StoryScene(self))
        count = len(result.story.nodes)
        self.notify(ngettext("Story reloaded ({count} passage).", "Story reloaded ({count} passages).", count).format(
            count=number(count)))

    def step(self, events: list[pygame.event.Event] | None = None, dt: float = STEP) -> None:
        """One frame: input, fixed-step animation, drawing. Deterministic for a given ``dt``."""
        if events is None:
            events = pygame.event.get()
        for event in events:
            if event.type in (pygame.WINDOWSIZECHANGED,) and not self.settings.fullscreen:
                size = (getattr(event, "x", 0), getattr(event, "y", 0))
                if size != self.screen.get_size() and size[0] > 0:
                    self.post(c.Resize(size))
                continue
            if event.type in (pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED, pygame.WINDOWSHOWN):
                self.dirty = True
            # Each event is turned into a command and carried out before the next is read, so the
            # gate sees a screen change the moment it happens (a tap's KEYUP may be in the same batch).
            cmd = self.gate.convert(event, self.time, self._guarded())
            if cmd is not None and self.running:
                self._run((cmd, True))
        if self.autoplayer is not None:
            self.autoplayer.tick(dt)
        while self.commands and self.running:
            self._run(self.commands.popleft())
        self._note_stack_change()
        self._accumulator += min(dt, 0.25)
        while self._accumulator >= STEP:
            self._accumulator -= STEP
            self.update(STEP)
        animating = self.animating()
        # The frame after an animation ends is drawn too: it shows where it ended (the whole
        # page and its choices once a reveal completes, a marker gone, the fade over).
        if self.dirty or animating or self._was_animating:
            self.dirty = False
            self._was_animating = animating
            self.draw()
            pygame.display.flip()
            self.draws += 1
            if self._unseen:
                # The settling pause runs from when the new screen is seen, not from when it was asked
                # for: a screen that took two seconds to build (the debrief) had its pause eaten by a
                # frame time, and a Space pressed meanwhile chose on it (a trial: one Enter then Space
                # opened "See another path" over the debrief).
                self._unseen = False
                self.gate.shown(self.time)
        self.frames += 1

    def _run(self, entry: tuple[c.Command, bool]) -> None:
        cmd, physical = entry
        if physical and (self.gate.settling(cmd, self.time) if self._guarded() else self._held_over(cmd)):
            return
        self.dispatch(cmd)
        self._note_stack_change()

    def _held_over(self, cmd: c.Command) -> bool:
        """True when a key that was already down as this screen appeared would act on it.

        An input that started on one screen never acts on the next, guarded or not: the
        facilitator's held Enter on "Begin the session" went on, by key repeat, to turn
        the first passage's pages (issue 17). The projector's screens skip only the
        guarded screens' short settling pause, so hands can be counted with quick presses.
        ``settling`` also forgets a hold whose release was lost; what is left blocking
        is exactly the keys held over.
        """
        return self.gate.settling(cmd, self.time) and bool(self.gate.blocking)

    def _guarded(self) -> bool:
        top = self.stack.top
        return top is None or top.guard_input

    def _note_stack_change(self) -> None:
        if self.stack.changed != self._seen_change:
            self._seen_change = self.stack.changed
            self._fade = 0.0 if self.settings.reduced_motion else 1.0
            self.new_screen()

    def animating(self) -> bool:
        """True while something on screen moves (a fade, a reveal, a rising number): draw every frame."""
        if self._fade > 0 or self.reload_errors:
            return True
        scenes = self.stack.scenes
        first = len(scenes) - 1
        while first > 0 and scenes[first].transparent:
            first -= 1
        return any(scene.busy() for scene in scenes[max(0, first):])

    def idle(self) -> bool:
        """Nothing to draw and nothing queued: the loop may sleep until an event comes."""
        return not (self.dirty or self.commands or self.animating() or self.autoplayer is not None)

    def update(self, dt: float) -> None:
        self.time += dt
        self._fade = max(0.0, self._fade - dt / 0.22)
        if self.reloader is not None:
            self._reload_clock += dt
            if self._reload_clock >= 0.5:  # two looks a second at a dozen file dates costs nothing
                self._reload_clock = 0.0
                self.reload_story()
        for toast in self.toasts:
            toast[1] += dt
        alive = [t for t in self.toasts if t[1] < TOAST_LIFE]
        if len(alive) != len(self.toasts):
            self.dirty = True
        self.toasts = alive
        if self.audio.update(dt) and self.settings.captions:
            self.stack.relayout()  # the captions line under the text changed (a cue's words expired)
            self.dirty = True
        self.stack.update(dt)

    def draw(self) -> None:
        surface = self.screen
        surface.fill(self.theme.palette.bg)
        self.stack.draw(surface)
        if self._fade > 0:
            if self._veil is None or self._veil.get_size() != surface.get_size():
                self._veil = pygame.Surface(surface.get_size())
                self._veil.fill(self.theme.palette.bg)
            self._veil.set_alpha(round(200 * self._fade))
            surface.blit(self._veil, (0, 0))
        if self.reload_errors:
            self._draw_reload_errors(surface)
        if self.toasts:
            self._draw_toasts(surface)

    def _draw_reload_errors(self, surface: pygame.Surface) -> None:
        """The edited story's errors over the game, until a save fixes them (the old story keeps running)."""
        theme, p = self.theme, self.theme.palette
        width = surface.get_width() - 2 * theme.margin
        lines = [_("The edited story has errors — still playing the previous version. Fix and save, or press F5.")]
        for diag in self.reload_errors[:5]:
            lines.append(f"{diag.span}: {diag.code} {diag.message}" + (f" — {diag.hint}" if diag.hint else ""))
        if len(self.reload_errors) > 5:
            lines.append(_("… and {count} more (escape-route check)").format(count=number(len(self.reload_errors) - 5)))
        blocks = [self.text.block(line, "sans", theme.small if i else theme.ui, width - theme.px(32),
                                  p.strong if i == 0 else p.text, 1.3) for i, line in enumerate(lines)]
        height = sum(b.height for b in blocks) + theme.px(12) * (len(blocks) + 1)
        box = pygame.Rect(theme.margin, theme.px(12), width, height)
        pygame.draw.rect(surface, p.panel_hi, box, border_radius=theme.px(6))
        pygame.draw.rect(surface, p.danger, box, max(2, theme.px(2)), border_radius=theme.px(6))
        y = box.y + theme.px(12)
        for block in blocks:
            for line in block.lines:
                surface.blit(line.image, (box.x + theme.px(16) + line.x, y + line.y))
            y += block.height + theme.px(12)

    def _draw_toasts(self, surface: pygame.Surface) -> None:
        theme, p = self.theme, self.theme.palette
        # Above the key hints (and buttons) of the screen below, when it says where they begin (toast_bottom).
        y = next((bottom for scene in reversed(self.stack.scenes) if (bottom := getattr(scene, "toast_bottom", 0))),
                 surface.get_height() - theme.px(70))
        for text, age in reversed(self.toasts):
            width = min(surface.get_width() - 2 * theme.margin, theme.px(1100))
            block = self.text.block(text, "sans", theme.ui, width - theme.px(40), p.strong, 1.35)
            box = pygame.Rect(0, 0, block.width + theme.px(40), block.height + theme.px(24))
            box.midbottom = (surface.get_width() // 2, y)
            pygame.draw.rect(surface, p.panel_hi, box, border_radius=theme.px(6))
            pygame.draw.rect(surface, p.accent, box, max(1, theme.px(1)), border_radius=theme.px(6))
            for line in block.lines:
                surface.blit(line.image, (box.x + theme.px(20) + line.x, box.y + theme.px(12) + line.y))
            y = box.y - theme.px(10)
            del age

    def run(self) -> int:
        bench = os.environ.get("ESCAPE_ROUTE_BENCH_FIRST_FRAME") == "1"
        self.step(dt=0.0)
        if bench:
            print(f"first-frame {first_frame_seconds():.4f}", flush=True)
            return 0
        while self.running:
            if self.idle():
                # A still screen: sleep in SDL until an event comes, waking a few times a
                # second for toasts to expire and for hot reload to look at the files.
                event = pygame.event.wait(IDLE_WAKE_MS)
                events = ([event] if event.type != pygame.NOEVENT else []) + pygame.event.get()
                self.step(events, dt=min(0.25, self.clock.tick() / 1000.0))
            else:
                self.step(dt=self.clock.tick(60) / 1000.0)
        return self.exit_code

    def close(self) -> None:
        while self.stack.scenes:
            self.stack.pop()
        self.audio.close()


def terrain_path(route: Any) -> Path:
    """The terrain image the route map names (the loader found it, bounded), or the default beside the map."""
    terrain = getattr(route, "terrain", None)
    if terrain is not None:
        return Path(terrain)
    return Path(route.source or ".").parent / "route_terrain.png"


def display_available() -> bool:
    """False when SDL has nothing to open a window on (a server, an SSH session without X)."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return True
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return True


def refuse(message: str, title: str) -> None:
    """Say why the game does not start on standard error and in a window of its own (never raises).

    The player who double-clicked the game a second time looks at the screen, not at a
    terminal: SDL's native message box shows it there; where SDL has none (Linux without
    zenity), a small window of the game's own (:func:`message_window`); where no window
    can open at all, the system dialog of :func:`game.alert.alert`.
    """
    from game.alert import has_terminal

    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            print("escape-route: " + message, file=sys.stderr, flush=True)
    try:
        pygame.display.message_box(title, message, message_type="error")
        return
    except pygame.error:  # SDL found no message box (on Linux it needs zenity): a window of our own
        pass
    try:
        if pygame.display.get_driver() != "dummy":  # a window nobody can see would wait for ever
            message_window(message, title)
            return
    except pygame.error:
        pass
    if not has_terminal():
        alert(message, title)


def message_window(message: str, title: str) -> None:
    """A small window of the game's own that shows ``message`` until a key, a click or its close button.

    In the game's fonts and colours (Korean included), so that it works wherever the
    game's own window would.
    """
    settings = load_settings()[0]
    palette = Theme.build((1500, 1080), settings).palette
    width, pad = 720, 32
    text = TextCache(Fonts())
    body = text.block(message, "sans", round(20 * settings.text_scale), width - 2 * pad, palette.strong, 1.4)
    hint = text.block(_("Press any key or close this window."), "sans", round(16 * settings.text_scale),
                      width - 2 * pad, palette.muted, 1.3)
    height = pad + body.height + pad // 2 + hint.height + pad
    screen = pygame.display.set_mode((width, height))
    pygame.display.set_caption(title)
    while True:
        screen.fill(palette.bg)
        pygame.draw.rect(screen, palette.accent, (0, 0, 6, height))
        blit_block(screen, body, pad, pad)
        blit_block(screen, hint, pad, pad + body.height + pad // 2)
        pygame.display.flip()
        event = pygame.event.wait()
        if event.type in (pygame.QUIT, pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.WINDOWCLOSE):
            return


def run_game(story: Story, *, seed: int | None = None, start: str | None = None, presets: dict | None = None,
             resume: bool = False, autoplay: str | None = None, fast: bool = False, quit_at_end: bool = False,
             state: GameState | None = None, hot_reload: bool = False, writer: bool = False) -> int:
    """Entry point for ``escape-route play`` (graphical); the command line has parsed and checked the arguments."""
    if not display_available():
        alert("escape-route: " + _(NO_DISPLAY))
        return 1
    try:
        pygame.display.init()
        pygame.font.init()
    except pygame.error:
        alert("escape-route: " + _(NO_DISPLAY))
        return 1
    try:
        # One copy of the game at a time on one data folder: two would autosave over each other's journeys.
        folder_lock = claim_data_folder()
    except StoryError as exc:
        refuse(str(exc), story.title)
        return 1
    try:
        try:
            app = App(story, seed=seed, start=start, presets=presets, resume=resume, autoplay=autoplay,
                      fast=fast, quit_at_end=quit_at_end, state=state, hot_reload=hot_reload, writer=writer)
        except pygame.error as exc:
            alert(f"escape-route: {_(NO_DISPLAY)} ({exc})")
            return 1
        try:
            return app.run()
        finally:
            pygame.quit()
    finally:
        if folder_lock is not None:
            folder_lock.release()
