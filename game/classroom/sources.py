"""How a fact's source is named on the projector and in the class report: the same words everywhere.

A fact has a ``source_title`` that a reader would cite ("New Focus International,
2013": the outlet and the year it was published) and a ``year`` (the year the fact
describes, or the year of publication). Shown side by side they read "2013 · 2013",
or, worse, "Reuters, 2018 · 2001" with nothing to say which year is which. So the
year is shown once when the title already gives it, and otherwise as what it is:
"about 2001" (the year the fact describes).

Pure: no pygame (the facilitator's screens and the report both use it).
"""

from __future__ import annotations

import re

from game.l10n import N_, _
from game.story.model import Fact

_YEARS = re.compile(r"\b(?:1[89]|20)\d\d\b")

#: What each confidence level means, in words a class reads (the fact cards and the report say it alike).
CONFIDENCE = {
    "strong": N_("strong (official data or two reputable sources)"),
    "medium": N_("medium (one credible source)"),
    "weak": N_("weak (a memoir, undated or disputed)"),
}


def fact_year(fact: Fact) -> str:
    """The fact's year as it should follow its source title: '' when the title says it already,
    "about 2001" when the title gives another year (the publication's), "2009" when it gives none."""
    if not fact.year:
        return ""
    years = _YEARS.findall(fact.source_title)
    if str(fact.year) in years:
        return ""
    if years:
        return _("about {year}").format(year=fact.year)
    return str(fact.year)


def source_line(fact: Fact) -> str:
    """'New Focus International, 2013' or 'Reuters, "The Wider Image…", 2018 · about 2001'."""
    return " · ".join(x for x in (fact.source_title, fact_year(fact)) if x)


def confidence_words(fact: Fact) -> str:
    """'medium (one credible source)', in the language spoken ('' when the fact gives no level)."""
    if not fact.confidence:
        return ""
    return _(CONFIDENCE[fact.confidence]) if fact.confidence in CONFIDENCE else _(fact.confidence)
