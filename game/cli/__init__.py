"""The ``escape-route`` command line: the top layer, which parses arguments and wires the front-ends.

Nothing imports this package except ``game.__main__`` and the console script.
``main`` parses; :mod:`game.cli.classroom` wires ``facilitate``, ``report`` and
``play --replay`` (it starts the LAN vote server and hands it to the projector).
"""

from game.cli.main import main

__all__ = ["main"]
