"""Voting from phones and laptops over the school's local network (optional).

A :class:`~game.lan.server.VoteServer` runs a small web server in a
background thread: students open the join address (or scan its QR code), type the
room code and vote on the open decision. :class:`~game.lan.tally.LanTally`
plugs it into the facilitator's vote step as one more tally source. A
:class:`~game.lan.journeys.JourneyServer` serves class journeys instead: every
student plays her own journey from the teacher's laptop. Nothing here is
imported by the game unless the facilitator turns LAN voting on; it needs the
optional packages aiohttp and segno (:func:`available` says whether they are there).

What travels over the network and what is kept: docs/lan.md.
"""

from __future__ import annotations

import importlib.util

__all__ = ["available", "missing"]


def missing() -> list[str]:
    """The optional packages LAN voting needs that are not installed (empty when it can run)."""
    return [name for name in ("aiohttp", "segno") if importlib.util.find_spec(name) is None]


def available() -> bool:
    return not missing()
