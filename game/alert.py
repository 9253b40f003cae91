"""Tell the player why the game cannot go on, where she will see it: the terminal, or a dialog.

Started from a terminal, a message on standard error is enough. The desktop build on
Windows and macOS has no terminal: there ``sys.stderr`` is None and a print goes
nowhere, so a game that cannot open its window would vanish without a word. Then the
message goes to the system's own dialog (MessageBox on Windows, ``osascript`` on
macOS, ``zenity``/``kdialog``/``xmessage`` on Linux when one is installed). Nothing
here imports pygame: a dialog must work exactly when pygame could not.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys

TITLE = "3,500 Miles"


def has_terminal() -> bool:
    """True when standard error reaches a person: always when run from Python, in a build only on a terminal.

    A desktop build started by a double-click has no terminal, or (Windows, macOS)
    no standard error at all.
    """
    stream = sys.stderr
    if stream is None:
        return False
    if not getattr(sys, "frozen", False):
        return True
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def alert(message: str, title: str = TITLE) -> None:
    """Print ``message`` to standard error, and where no terminal shows it, in a dialog too. Never raises."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            print(message, file=sys.stderr, flush=True)
    if has_terminal():
        return
    # No dialog to be had is no error: the message went to stderr, the best left.
    with contextlib.suppress(OSError, subprocess.SubprocessError, AttributeError):
        _dialog(message, title)


def _dialog(message: str, title: str) -> None:
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, message, title, 0x10)  # MB_ICONERROR
    elif sys.platform == "darwin":
        script = f"display dialog {_applescript(message)} with title {_applescript(title)} buttons {{\"OK\"}}"
        subprocess.run(["osascript", "-e", script], timeout=600, check=False)
    else:
        for tool, args in (("zenity", ["--error", f"--title={title}", f"--text={message}"]),
                           ("kdialog", ["--title", title, "--error", message]),
                           ("xmessage", ["-center", message])):
            path = shutil.which(tool)
            if path:
                subprocess.run([path, *args], timeout=600, check=False)
                return


def _applescript(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
