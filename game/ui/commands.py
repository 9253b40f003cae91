"""Input turned into commands: small verbs that scenes understand, whatever produced them.

Keys, mouse and the autoplayer all end up here, so a scene never reads a raw
pygame event and the autoplayer drives exactly the path a player's hands do. The
mapping is one table (:func:`from_event`); a scene decides what a command means
for it (``Confirm`` picks a button in a menu and completes the text reveal in the
story) and either consumes it or lets it flow down the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

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
