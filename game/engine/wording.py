"""The words for what a risk did, shared by every front-end: the window, the terminal, the projector.

Issue 15: "The risk passed: 10%, the policeman isn't convinced" read as if the bad
thing had happened. The sentence now says plainly whether it happened. And wherever
a percentage is shown after the fact, ESTIMATE_NOTE says what it is (a teacher's
review): the writers' estimate, not a measured rate.
"""

from __future__ import annotations


def percent(chance: float) -> str:
    """A chance as the player reads it: "26%", never "0%" or "100%" for a real risk."""
    if chance < 0.01:
        return "<1%"
    if chance > 0.99:
        return ">99%"
    return f"{round(chance * 100)}%"


def risk_words(chance: float, label: str, failed: bool) -> str:
    """"The 26% risk happened: caught at the checkpoint." / "You were lucky: the 10% risk (…) did not happen." """
    if failed:
        return f"The {percent(chance)} risk happened: {label}." if label else f"The {percent(chance)} risk happened."
    what = f" ({label})" if label else ""
    return f"You were lucky: the {percent(chance)} risk{what} did not happen."


ESTIMATE_NOTE = "Every percentage in this game is the writers' estimate: nobody recorded the real odds."
