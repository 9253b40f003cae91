"""escape-route ("3,500 Miles"): an interactive story of one escape from North Korea.

The package is split so that the rules never depend on a screen:

- ``game.story``  — the story model, its loader, the expression language and the checker;
- ``game.engine`` — the rules that play a story (state, choices, rolls, saves);
- ``game.route``  — the Tiled route map, read without a display;
- ``game.ui``     — the pygame front-end, which imports the core and never the reverse;
- ``game.textui`` — the terminal front-end.
"""

__version__ = "0.3.0"

import os as _os

# pytmx imports pygame, which would print its banner into every command's output.
_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
