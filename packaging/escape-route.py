"""The desktop build's entry point: the same ``escape-route`` command, frozen by PyInstaller."""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()  # `simulate --workers N` starts worker processes from the frozen binary
    from game.cli import main

    raise SystemExit(main())
