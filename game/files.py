"""The one way the program reads a file it did not write this minute: bounded, regular, decoded, explained.

Every file the game reads (story chapters, saves, settings, playtest notes, session
records, the route map) can be damaged by a disk or by a person, or be something
other than a file: a link to ``/dev/zero`` has no end, a FIFO blocks the first
``read`` forever, and ``stat()`` says 0 bytes for both. So every reader here

1. opens without blocking (``O_NONBLOCK``: opening a FIFO returns at once),
2. asks the *open* descriptor (``fstat``) whether it is a regular file,
3. reads at most ``limit + 1`` bytes, so a file that grows or lies is still bounded,
4. decodes UTF-8, with or without a byte order mark (editors on Windows add one),

and answers every problem with :class:`~game.errors.DataFileError`, whose message
names the file and says what to do, never with a traceback.

It also holds the two other things every writer of the player's files shares: the
system's reasons for a failed write in the player's language (:func:`os_reason`),
and a lock that keeps two copies of the program off the same files (:func:`hold_lock`).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

from game.errors import DataFileError
from game.l10n import N_, _

KB = 1024
MB = 1024 * KB

#: The largest file of each kind the program reads. Generous for real use (the
#: shipped story's largest chapter is 60 KB; a whole class session a few hundred KB).
LIMITS = {
    "story": 16 * MB,       # one chapter, story.yaml or facts.yaml
    "map": 32 * MB,         # the Tiled map (.tmx)
    "save": 4 * MB,
    "settings": 64 * KB,
    "notes": 16 * MB,
    "session": 64 * MB,     # a session record (JSONL)
    "endings": 4 * MB,
}

_KINDS = ((stat.S_ISDIR, N_("a folder")), (stat.S_ISFIFO, N_("a named pipe (FIFO)")), (stat.S_ISCHR, N_("a device")),
          (stat.S_ISBLK, N_("a device")), (stat.S_ISSOCK, N_("a socket")))
#: The kinds of file the callers name (``what``), so that a message says them in the current language.
#: (Korean translates each with a noun ending in a consonant, …파일 or …기록, so its particles are fixed.)
_WHATS = (N_("file"), N_("save"), N_("settings file"), N_("story file"), N_("notes file"), N_("session record"),
          N_("route map"), N_("terrain image"), N_("translation catalog"), N_("the endings gallery"))


def _size_words(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{n // KB} KB" if n >= KB else f"{n} bytes"


def read_bytes(path: str | os.PathLike[str], limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is a :class:`DataFileError`.

    ``what`` names the kind of file for the message ("save", "settings file", "story file";
    a new one belongs in ``_WHATS``, so that it is translated).
    """
    path = Path(path)
    what = _(what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DataFileError(_("there is no {what} here").format(what=what), path,
                            _("Check the name and the folder.")) from None
    except IsADirectoryError:
        raise DataFileError(_("is a folder, not a {what}").format(what=what), path,
                            _("Give the path of the {what} itself.").format(what=what)) from None
    except OSError as exc:
        raise DataFileError(_("cannot be read: {reason}").format(reason=os_reason(exc)), path,
                            _("Check that the file exists and that you may read it.")) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise DataFileError(_("is {kind}, not a {what}").format(kind=_(kind), what=what), path,
                                _("Give the path of a real {what}.").format(what=what))
        if info.st_size > limit:
            raise DataFileError(_("is too large to be a {what} ({size}; at most {limit})").format(
                what=what, size=_size_words(info.st_size), limit=_size_words(limit)), path,
                _("It is damaged, or not the file you meant."))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, MB))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise DataFileError(_("cannot be read: {reason}").format(reason=os_reason(exc)), path,
                            _("The disk may be failing; copy the file somewhere safe.")) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise DataFileError(_("is too large to be a {what} (more than {limit})").format(
            what=what, limit=_size_words(limit)), path, _("It is damaged, or not the file you meant."))
    return data


def decode(data: bytes, path: str | os.PathLike[str], what: str = "file") -> str:
    """UTF-8 text, a leading byte order mark dropped; undecodable bytes are a :class:`DataFileError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DataFileError(_("is damaged (not UTF-8 text: a stray byte {byte} on line {line})").format(
            byte=f"0x{data[exc.start]:02x}", line=line), path,
            _("Save the {what} as UTF-8, or replace it.").format(what=_(what))) from None


def read_text(path: str | os.PathLike[str], limit: int, what: str = "file") -> str:
    """:func:`read_bytes`, then :func:`decode`."""
    return decode(read_bytes(path, limit, what), path, what)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


#: Digits an integer in a data file may have: any real value has far fewer, and the
#: cost of converting a long one grows with the square of its length.
MAX_INT_DIGITS = 100


def _int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise ValueError(f"a number has {len(text):,} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


# The json module's reasons, in words a player or teacher can act on (and translate).
_JSON_REASONS = {
    "Expecting value": N_("a value is missing"),
    "Expecting ',' delimiter": N_("a comma is missing"),
    "Expecting ':' delimiter": N_("a colon is missing"),
    "Expecting property name enclosed in double quotes": N_("a name in double quotes was expected"),
    "Invalid control character": N_("a line break or control character inside a text in quotes"),
    "Invalid \\escape": N_("a backslash that starts no escape"),
    "Invalid \\uXXXX escape": N_("a \\u escape without four hexadecimal digits"),
    "Extra data": N_("more follows the end of the data"),
    "Illegal trailing comma before end of object": N_("a comma before the closing brace"),
    "Illegal trailing comma before end of array": N_("a comma before the closing bracket"),
}


def json_reason(message: str) -> str:
    """What is wrong, in our words (json's own are English, and some end in "at": "starting at at line 15")."""
    for start, words in _JSON_REASONS.items():  # some go on with the character: "Invalid \\escape: 'q'"
        if message.startswith(start):
            return _(words)
    return message.removesuffix(" at")


def parse_json(text: str, path: str | os.PathLike[str], what: str = "file") -> Any:
    """Strict JSON: no NaN or Infinity, no number too large for a float, integers of at most 100 digits.

    A document nested too deeply for the parser raises RecursionError inside ``json``;
    it is answered like any other damage.
    """
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_int, parse_float=_float)
    except json.JSONDecodeError as exc:
        kept = text.rstrip()
        # The usual damage: a copy or a write that stopped part-way (a text in quotes left open runs to the end).
        if exc.pos >= len(kept) or exc.msg.startswith("Unterminated string"):
            problem = _("is damaged (it ends too soon, at line {line}, column {column}: the file was cut short)")
            line, column = kept.count("\n") + 1, len(kept) - kept.rfind("\n")
        else:
            problem = _("is damaged (not valid JSON: {reason} at line {line}, column {column})")
            line, column = exc.lineno, exc.colno
        raise DataFileError(problem.format(reason=json_reason(exc.msg), line=line, column=column), path,
                            _("Replace the {what}, or fix it in a text editor.").format(what=_(what))) from None
    except RecursionError:
        raise DataFileError(_("is damaged (it nests too deeply)"), path,
                            _("Replace the {what}.").format(what=_(what))) from None
    except ValueError as exc:  # NaN/Infinity, an integer too long to convert
        raise DataFileError(_("is damaged ({reason})").format(reason=exc), path,
                            _("Replace the {what}.").format(what=_(what))) from None


def read_json(path: str | os.PathLike[str], limit: int, what: str = "file") -> Any:
    """A whole JSON file, read with :func:`read_text` and parsed with :func:`parse_json`."""
    return parse_json(read_text(path, limit, what), path, what)


# --------------------------------------------------------------------------- why a write failed

# The system's reasons (``strerror``) are English whatever the player speaks: the common ones
# in our words, which say what to do about them.
_OS_REASONS = {
    "EACCES": N_("you do not have permission"),
    "EPERM": N_("you do not have permission"),
    "EROFS": N_("the disk or folder is read-only"),
    "ENOSPC": N_("the disk is full"),
    "EDQUOT": N_("the disk is full (your share of it is used up)"),
    "ENOENT": N_("the folder does not exist"),
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in the current language for the common reasons (the system's words otherwise)."""
    for name, words in _OS_REASONS.items():
        if exc.errno is not None and exc.errno == getattr(errno, name, None):
            return _(words)
    return exc.strerror or str(exc)


# --------------------------------------------------------------------------- one copy at a time


class LockHeld(Exception):
    """Another process holds the lock on ``path`` (another copy of the game, say)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is locked by another process")
        self.path = path


class HeldLock:
    """A lock on a file that this process holds until :meth:`release`, the end of a ``with``, or its exit.

    The operating system keeps the lock (``flock`` on POSIX, ``msvcrt.locking`` on
    Windows) and drops it when the process ends however it ends, even killed: a
    crashed game never leaves a lock that needs deleting by hand, and the lock file
    itself may stay on disk for ever. Locks are between processes: one process that
    asks twice for the same file holds it twice (counted), so two parts of one
    program never lock each other out; threads of one process need a threading lock.
    """

    def __init__(self, key: str) -> None:
        self.key = key
        self.held = True

    @property
    def path(self) -> Path:
        return Path(self.key)

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        with _HELD_GUARD:
            entry = _HELD.get(self.key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _HELD[self.key]
            unlock_descriptor(entry[0])
            os.close(entry[0])

    def __enter__(self) -> HeldLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


_HELD: dict[str, list[int]] = {}  # lock file → [descriptor, times held]
_HELD_GUARD = threading.Lock()


def hold_lock(path: str | os.PathLike[str]) -> HeldLock:
    """Lock the file ``path`` (created if missing) for this process; :class:`LockHeld` if another holds it.

    It tries once: the game's start refuses at once rather than wait for another copy.
    Any other failure (a read-only folder) is the ``OSError`` it is; the caller decides
    whether to go on without the lock.
    """
    key = os.path.realpath(path)
    with _HELD_GUARD:
        if key in _HELD:  # this process holds it already (a second window, a test): share it
            _HELD[key][1] += 1
            return HeldLock(key)
        Path(key).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            taken = lock_descriptor(fd)
        except BaseException:
            os.close(fd)
            raise
        if not taken:
            os.close(fd)
            raise LockHeld(Path(key))
        _HELD[key] = [fd, 1]
    return HeldLock(key)


def lock_descriptor(fd: int, offset: int = 0) -> bool:
    """Lock an open file for this process, without waiting: True when taken, False when another process holds it.

    For a file that is itself read and written while locked (a session record), give an
    ``offset`` far past its end: Windows' locks are mandatory on the bytes they cover.
    Other failures are the ``OSError`` they are.
    """
    if os.name == "nt":
        import msvcrt

        try:
            os.lseek(fd, offset, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EDEADLK):
                raise
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def unlock_descriptor(fd: int, offset: int = 0) -> None:
    """Let go of :func:`lock_descriptor`'s lock (closing the file does too)."""
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, offset, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass  # closing the descriptor drops it anyway
