"""The messages between the student page and the vote server, and their validation (pure, no I/O).

Every message is one JSON object in a WebSocket text frame of at most
:data:`MAX_MESSAGE` bytes. The vote page sends two kinds (``join`` and ``vote``:
:func:`parse`); the class-journeys page sends ``join``, ``choose``, ``undo`` and
``nickname``, and the teacher page ``teacher`` (:func:`parse_journey`). Anything
else, or a known kind with a missing, extra or mistyped field, is :class:`BadMessage`
and the server closes that one connection. docs/lan.md lists every field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE = 1024          # bytes in one message from a page
MAX_CHOICE = 99             # choice indices are 0..MAX_CHOICE
CODE_DIGITS = 4
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DECISION_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
CODE_RE = re.compile(r"^[0-9]{1,16}$")

# Text sent to the pages is cut to these lengths (the page shows it with textContent).
MAX_TITLE = 300
MAX_TEXT = 600
MAX_META = 200
MAX_CHOICES = 20

# WebSocket close codes the server uses.
CLOSE_GOING_AWAY = 1001     # the server stops
CLOSE_BAD_MESSAGE = 1008    # policy violation: a malformed message
CLOSE_TOO_BIG = 1009        # a message over MAX_MESSAGE
CLOSE_FULL = 1013           # try again later: the room is full


class BadMessage(ValueError):
    """A message that breaks the protocol: the connection that sent it is closed."""


@dataclass(frozen=True, slots=True)
class Join:
    code: str
    token: str | None


@dataclass(frozen=True, slots=True)
class Vote:
    decision: str
    choice: int


@dataclass(frozen=True, slots=True)
class Choose:
    """Take choice ``choice`` at step ``step`` (the step the page shows: a repeat changes nothing)."""

    step: int
    choice: int


@dataclass(frozen=True, slots=True)
class Undo:
    step: int


@dataclass(frozen=True, slots=True)
class Nickname:
    name: str


@dataclass(frozen=True, slots=True)
class Teacher:
    """The teacher page joins with its own code."""

    code: str


MAX_STEP = 1_000_000
MAX_NICKNAME = 24


def parse(raw: str | bytes) -> Join | Vote:
    """One message from a vote page, validated, or :class:`BadMessage`."""
    data = _object(raw)
    kind = data.get("type")
    if kind == "join":
        return _join(data)
    if kind == "vote":
        _fields(data, {"type", "decision", "choice"}, set())
        decision, choice = data["decision"], data["choice"]
        if not isinstance(decision, str) or not DECISION_RE.match(decision):
            raise BadMessage("decision")
        return Vote(decision, _choice(choice))
    raise BadMessage("unknown type")


def parse_journey(raw: str | bytes) -> Join | Choose | Undo | Nickname | Teacher:
    """One message from a class-journeys page (or the teacher page), validated, or :class:`BadMessage`."""
    data = _object(raw)
    kind = data.get("type")
    if kind == "join":
        return _join(data)
    if kind == "choose":
        _fields(data, {"type", "step", "choice"}, set())
        return Choose(_step(data["step"]), _choice(data["choice"]))
    if kind == "undo":
        _fields(data, {"type", "step"}, set())
        return Undo(_step(data["step"]))
    if kind == "nickname":
        _fields(data, {"type", "name"}, set())
        name = data["name"]
        if not isinstance(name, str) or len(name) > MAX_NICKNAME or any(ch < " " or ch == "\x7f" for ch in name):
            raise BadMessage("name")
        return Nickname(name)
    if kind == "teacher":
        _fields(data, {"type", "code"}, set())
        if not isinstance(data["code"], str) or not CODE_RE.match(data["code"]):
            raise BadMessage("code")
        return Teacher(data["code"])
    raise BadMessage("unknown type")


def _step(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= MAX_STEP:
        raise BadMessage("step")
    return value


def _choice(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= MAX_CHOICE:  # bool is not a choice
        raise BadMessage("choice")
    return value


def _join(data: Mapping[str, Any]) -> Join:
    _fields(data, {"type", "code"}, {"token"})
    code, token = data["code"], data.get("token")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise BadMessage("code")
    if token is not None and (not isinstance(token, str) or not TOKEN_RE.match(token)):
        raise BadMessage("token")
    return Join(code, token)


def _object(raw: str | bytes) -> dict[str, Any]:
    """A message's JSON object (size, JSON and shape checked), or :class:`BadMessage`."""
    if isinstance(raw, bytes):
        raise BadMessage("binary frame")
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_MESSAGE:
        raise BadMessage("too long")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadMessage("not JSON") from exc
    if not isinstance(data, dict):
        raise BadMessage("not an object")
    return data


def _fields(data: Mapping[str, Any], required: set[str], optional: set[str]) -> None:
    keys = set(data)
    if not required <= keys or keys - required - optional:
        raise BadMessage("fields")


def _text(value: Any, limit: int) -> str:
    text = "" if value is None else str(value)
    text = "".join(ch for ch in text if ch >= " " or ch in "\n\t")  # no control characters
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_choices(choices: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    """The game's choices as sent to pages: index, text, cost, risk, available, reason (all plain text)."""
    if len(choices) > MAX_CHOICES:
        raise ValueError(f"at most {MAX_CHOICES} choices")
    out, seen = [], set()
    for c in choices:
        index = c["index"]
        if type(index) is not int or not 0 <= index <= MAX_CHOICE or index in seen:
            raise ValueError(f"choice index must be a unique integer 0..{MAX_CHOICE}: {index!r}")
        seen.add(index)
        out.append({"index": index, "text": _text(c.get("text"), MAX_TEXT), "cost": _text(c.get("cost"), MAX_META),
                    "risk": _text(c.get("risk"), MAX_META), "available": bool(c.get("available", True)),
                    "reason": _text(c.get("reason"), MAX_META)})
    return tuple(out)


def clean_title(title: Any) -> str:
    return _text(title, MAX_TITLE)


def dumps(message: Mapping[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
