"""``python -m game`` does exactly what the ``escape-route`` command does."""

from game.cli import main

raise SystemExit(main())
