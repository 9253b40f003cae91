"""Input turned into commands: small verbs that scenes understand, whatever produced them.

Keys, mouse and the autoplayer all end up here, so a scene never reads a raw
pygame event and the autoplayer drives exactly the path a player's hands do. The
mapping is one table (:func:`from_event`); a scene decides what a command means
for it (``Confirm`` picks a button in a menu and completes the text reveal in the
story) and either consumes it or lets it flow down the stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame


@dataclass(frozen=True, slots=True)
class Command:
    """Base class of everything a scene can be told."""


@dataclass(frozen=True, slots=True)
class Pick(Command):
    """Take item ``index`` (0-based) of whatever list is shown: keys 1-9."""

    index: int


@dataclass(frozen=True, slots=True)
class Move(Command):
    """Move the keyboard focus: dy -1 up, +1 down; dx for left/right (settings values)."""

    dx: int = 0
    dy: int = 0


@dataclass(frozen=True, slots=True)
class Confirm(Command):
    """Enter (or Space, with ``space`` set: a text field types it instead): take the focused item."""

    space: bool = False


@dataclass(frozen=True, slots=True)
class Back(Command):
    """Escape: close this screen (or open the menu from the story)."""


@dataclass(frozen=True, slots=True)
class Scroll(Command):
    """Scroll by ``lines`` (positive: further down) or by ``pages``; ``to`` = -1 top, +1 bottom."""

    lines: float = 0
    pages: float = 0
    to: int = 0


@dataclass(frozen=True, slots=True)
class Click(Command):
    pos: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Hover(Command):
    pos: tuple[int, int]


@dataclass(frozen=True, slots=True)
class AnyKey(Command):
    """A key with no meaning of its own; it still completes a text reveal."""


@dataclass(frozen=True, slots=True)
class Rollback(Command):
    """Undo the last choice (Backspace)."""


@dataclass(frozen=True, slots=True)
class OpenJournal(Command):
    pass


@dataclass(frozen=True, slots=True)
class OpenMap(Command):
    pass


@dataclass(frozen=True, slots=True)
class OpenSaves(Command):
    mode: str  # "save" or "load"


@dataclass(frozen=True, slots=True)
class OpenSettings(Command):
    pass


@dataclass(frozen=True, slots=True)
class ToggleFullscreen(Command):
    pass


@dataclass(frozen=True, slots=True)
class ToggleMute(Command):
    """F8, on every screen: sound off or on (M is the map; the facilitator's keys are letters)."""


@dataclass(frozen=True, slots=True)
class Resize(Command):
    size: tuple[int, int]


@dataclass(frozen=True, slots=True)
class ReloadStory(Command):
    """F5: read the story files again now (writers; the game also notices saved files by itself)."""


@dataclass(frozen=True, slots=True)
class OpenNote(Command):
    """N: write a one-line playtest note about this moment."""


@dataclass(frozen=True, slots=True)
class TypeText(Command):
    """Characters typed (from SDL's text input, so any keyboard layout and IME works)."""

    text: str


@dataclass(frozen=True, slots=True)
class Quit(Command):
    """The window was closed or the player chose to quit."""


_KEYS: dict[int, Command] = {
    pygame.K_UP: Move(dy=-1), pygame.K_DOWN: Move(dy=1),
    pygame.K_LEFT: Move(dx=-1), pygame.K_RIGHT: Move(dx=1),
    pygame.K_TAB: Move(dy=1),
    pygame.K_RETURN: Confirm(), pygame.K_KP_ENTER: Confirm(), pygame.K_SPACE: Confirm(space=True),
    pygame.K_ESCAPE: Back(),
    pygame.K_BACKSPACE: Rollback(), pygame.K_u: Rollback(),
    pygame.K_PAGEUP: Scroll(pages=-1), pygame.K_PAGEDOWN: Scroll(pages=1),
    pygame.K_HOME: Scroll(to=-1), pygame.K_END: Scroll(to=1),
    pygame.K_h: OpenJournal(), pygame.K_j: OpenJournal(),
    pygame.K_m: OpenMap(),
    pygame.K_F6: OpenSaves("save"), pygame.K_F9: OpenSaves("load"),
    pygame.K_F5: ReloadStory(), pygame.K_n: OpenNote(),
    pygame.K_F2: OpenSettings(),
    pygame.K_F11: ToggleFullscreen(),
    pygame.K_F8: ToggleMute(),
}


def from_event(event: pygame.event.Event) -> Command | None:
    """The command a pygame event means, or None for events nobody needs (key releases, focus...)."""
    kind = event.type
    if kind == pygame.QUIT:
        return Quit()
    if kind == pygame.KEYDOWN:
        key = getattr(event, "key", 0)
        mod = getattr(event, "mod", 0)
        if key == pygame.K_TAB and mod & pygame.KMOD_SHIFT:
            return Move(dy=-1)
        if key == pygame.K_RETURN and mod & pygame.KMOD_ALT:
            return ToggleFullscreen()
        if key == pygame.K_s and mod & pygame.KMOD_CTRL:
            return OpenSaves("save")
        if key == pygame.K_o and mod & pygame.KMOD_CTRL:
            return OpenSaves("load")
        if pygame.K_1 <= key <= pygame.K_9:
            return Pick(key - pygame.K_1)
        if pygame.K_KP1 <= key <= pygame.K_KP9:
            return Pick(key - pygame.K_KP1)
        return _KEYS.get(key, AnyKey())
    if kind == pygame.TEXTINPUT:
        text = getattr(event, "text", "")
        return TypeText(text) if text else None
    if kind == pygame.MOUSEBUTTONDOWN:
        button = getattr(event, "button", 1)
        pos = tuple(getattr(event, "pos", (0, 0)))
        if button == 1:
            return Click((int(pos[0]), int(pos[1])))
        if button == 3:
            return Back()
        return None
    if kind == pygame.MOUSEWHEEL:
        y = getattr(event, "precise_y", None) or getattr(event, "y", 0)
        return Scroll(lines=-3 * float(y)) if y else None
    if kind == pygame.MOUSEMOTION:
        pos = tuple(getattr(event, "pos", (0, 0)))
        return Hover((int(pos[0]), int(pos[1])))
    if kind == pygame.VIDEORESIZE:
        size = getattr(event, "size", None) or (getattr(event, "w", 0), getattr(event, "h", 0))
        return Resize((int(size[0]), int(size[1])))
    return None


# Commands a held key may send again and again: they only move or scroll, so repeating
# them is the point. Everything else acts, and an act is one press.
REPEATABLE = (Move, Scroll)
# Commands that never act on a screen, so the settling gate lets them through.
PASSIVE = (Move, Scroll, Hover, Resize, Quit)
SETTLE_SECONDS = 0.25
# A held key repeats every 40 ms after 350 ms (App sets pygame.key.set_repeat(350, 40)); a key
# "held" with no KEYDOWN for longer than this lost its KEYUP somewhere and counts as released.
STALE_HOLD_SECONDS = 1.0


@dataclass
class InputGate:
    """Keeps one press one act, whatever the keyboard's auto-repeat and the screen changes do.

    Two rules, after issue 15 (holding Enter on the debrief started a journey, skipped
    the content note and took four choices):

    - A key already down (a KEYDOWN with no KEYUP since: SDL's auto-repeat) only
      repeats moving and scrolling; a repeated activating key is dropped.
    - A screen that has just appeared ignores activating input for ``SETTLE_SECONDS``
      and until every activating key that was down when it appeared is released,
      so the press that opened it (or its echo as typed text) never acts on it.

    Only physical input passes through here; the autoplayer and tests that post
    commands with :meth:`App.post` are not gated.
    """

    held: dict[int, tuple[bool, float]] = field(default_factory=dict)  # key -> (it activates, last KEYDOWN)
    blocking: set[int] = field(default_factory=set)
    since: float = -1e9

    def convert(self, event: pygame.event.Event, now: float, guard: bool = True) -> Command | None:
        """The command an event means, or None when it is a release or (``guard``) a repeat that must not act."""
        kind = event.type
        if kind == pygame.KEYUP:
            key = getattr(event, "key", 0)
            self.held.pop(key, None)
            self.blocking.discard(key)
            return None
        if kind == pygame.WINDOWFOCUSLOST:
            # A key released in another window never sends its KEYUP here.
            self.held.clear()
            self.blocking.clear()
            return None
        cmd = from_event(event)
        if kind == pygame.KEYDOWN and cmd is not None:
            key = getattr(event, "key", 0)
            last = self.held.get(key)
            repeat = last is not None and now - last[1] < STALE_HOLD_SECONDS
            self.held[key] = (not isinstance(cmd, PASSIVE), now)
            if guard and repeat and not isinstance(cmd, REPEATABLE):
                return None
        return cmd

    def screen_changed(self, now: float) -> None:
        """A new screen is showing from ``now``: hold activating input back for a moment."""
        self.since = now
        self.blocking = {key for key, (acts, last) in self.held.items()
                         if acts and now - last < STALE_HOLD_SECONDS}

    def shown(self, now: float) -> None:
        """The new screen has been drawn at ``now``: its settling pause starts here (the held keys stay held back)."""
        self.since = max(self.since, now)

    def settling(self, cmd: Command, now: float) -> bool:
        """True when ``cmd`` would act on a screen that has only just appeared."""
        if isinstance(cmd, PASSIVE):
            return False
        if self.blocking and all(now - self.held.get(k, (False, -1e9))[1] >= STALE_HOLD_SECONDS
                                 for k in self.blocking):
            self.blocking.clear()  # their KEYUPs were lost
        if isinstance(cmd, TypeText):
            # Typing may start at once; only the echo of the key that opened the field is dropped.
            return bool(self.blocking)
        return now - self.since < SETTLE_SECONDS or bool(self.blocking)
