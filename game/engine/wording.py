"""The words for what a risk did, shared by every front-end: the window, the terminal, the projector.

Issue 15: "The risk passed: 10%, the policeman isn't convinced" read as if the bad
thing had happened. The sentence now says plainly whether it happened. And wherever
a percentage is shown after the fact, ESTIMATE_NOTE says what it is (a teacher's
review): the writers' estimate, not a measured rate.
"""

from __future__ import annotations

from game.l10n import N_, _


def percent(chance: float) -> str:
    """A chance as the player reads it: "26%", never "0%" or "100%" for a real risk."""
    if chance < 0.01:
        return "<1%"
    if chance > 0.99:
        return ">99%"
    return f"{round(chance * 100)}%"


def risk_words(chance: float, label: str, failed: bool) -> str:
    """"The 26% risk happened: caught at the checkpoint." / "The 10% risk (…) did not happen."

    Said plainly both ways, never "You were lucky": a risk that did not happen may lead somewhere
    worse (a trial read "You were lucky" heading the page where she is about to be sold).
    """
    if failed:
        if label:
            return _("The {percent} risk happened: {label}.").format(percent=percent(chance), label=label)
        return _("The {percent} risk happened.").format(percent=percent(chance))
    if label:
        return _("The {percent} risk ({label}) did not happen.").format(percent=percent(chance), label=label)
    return _("The {percent} risk did not happen.").format(percent=percent(chance))


#: Marked for translation here, translated where it is shown (``_(ESTIMATE_NOTE)``).
ESTIMATE_NOTE = N_("Every percentage in this game is the writers' estimate: nobody recorded the real odds.")
