"""The words for what a risk did: plain both ways, in every language."""

from __future__ import annotations

import pytest

from game.engine.wording import risk_words
from game.l10n import set_language


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_risk_that_did_not_happen_is_said_plainly_never_lucky(lang):
    """A trial read "You were lucky: the 10% risk … did not happen" heading the page where she is about to be sold."""
    set_language(lang)
    try:
        for label in ("", "the policeman isn't convinced"):
            words = risk_words(0.1, label, failed=False)
            assert "10%" in words and "lucky" not in words.lower() and "운이 좋" not in words
        assert set_language("en") == "en"
        assert risk_words(0.1, "stopped", failed=False) == "The 10% risk (stopped) did not happen."
        assert risk_words(0.1, "", failed=False) == "The 10% risk did not happen."
    finally:
        set_language("en")


def test_an_item_with_a_neutral_tone_is_shown_neither_good_nor_bad(tmp_path):
    """The means to end her life if caught was shown as a green gain ("+ Something to make sure they never
    take you back"); ``tone: neutral`` shows it in the muted colour, and the shipped story marks it."""
    from conftest import STORY, TINY, write_story
    from game.engine.engine import Engine
    from game.story.loader import analyse, load_story

    story = load_story(STORY)
    assert story.items["poison"].tone == "neutral"
    files = dict(TINY)
    files["story.yaml"] = TINY["story.yaml"].replace("phone: {label: Chinese phone}",
                                                     "phone: {label: Chinese phone, tone: neutral}")
    tiny = load_story(write_story(tmp_path / "neutral", files))
    engine = Engine(tiny)
    state = engine.new_game(1)
    pay = engine.view(state).choices[0]  # gives her the phone
    phone = next(cost for cost in pay.costs if cost.name == "phone")
    assert phone.text == "+ Chinese phone" and phone.good is None
    # Any other tone is a checker error that names the item's line.
    files["story.yaml"] = TINY["story.yaml"].replace("phone: {label: Chinese phone}",
                                                     "phone: {label: Chinese phone, tone: sad}")
    lines = [str(d) for d in analyse(write_story(tmp_path / "sad", files)).diagnostics]
    assert any(" ER014 " in line and "tone must be 'neutral', not 'sad'" in line and "story.yaml:" in line
               for line in lines), lines
