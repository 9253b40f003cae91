"""escape-route ("3,500 Miles"): an interactive story of one escape from North Korea.

The package is in layers, so that the rules never depend on a screen; each imports
only from those below it (the contracts are in pyproject.toml, checked by lint-imports):

- ``game.cli``       — the command line: parses arguments and wires the front-ends;
- ``game.ui``, ``game.textui``, ``game.lan`` — the window, the terminal, the LAN pages;
- ``game.classroom``, ``game.writer`` — the pure logic of the classroom and of the writers' tools;
- ``game.engine``    — the rules that play a story (state, choices, rolls, saves);
- ``game.story``     — the story model, its loader, the expression language and the checker;
- ``game.route``     — the Tiled route map, read without a display;
- ``game.errors``, ``game.paths`` — the exception tree and where files live.
"""

__version__ = "0.3.0"

import os as _os

# pytmx imports pygame, which would print its banner into every command's output.
_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
