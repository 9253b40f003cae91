"""What a writer who knew only the docs met in a second trial of the checker: each finding, as the writer
wrote it, gives one clear message at the line to fix (and no follow-on warning that sends them elsewhere)."""

from __future__ import annotations

import pytest
from test_checker_cascade import _copy_story, _edit

from conftest import write_story
from game.story import diagnostics as dx
from game.story.loader import analyse

A = dx.BASE_STORY["01_a.yaml"]


def diagnose(tmp_path, chapter: str, **more: str) -> list[str]:
    """The checker's report on the base story with ``01_a.yaml`` replaced, one line per problem, paths cut."""
    files = {**dx.BASE_STORY, "01_a.yaml": chapter, **more}
    folder = write_story(tmp_path / "story", files)
    return [str(d).replace(str(folder) + "/", "") for d in analyse(folder).diagnostics]


def first_lines(lines: list[str], code: str) -> list[str]:
    return [line.splitlines()[0] for line in lines if f" {code} " in line]


# ---------------------------------------------------------------- 1. every price and distance (ER054)

#: Each form a writer may use, as the docs promise: "a price or a distance … written with a figure".
FORMS = ["₩5,000", "฿500", "300 dollars", "40 RMB", "300 metres", "300 meters", "500 baht", "US$300", "€20",
         "£15", "5,000 won", "2 million won", "1,811 miles", "20 yuan", "$300", "300 km", "2 kilometres", "¥150"]


def test_every_written_form_of_a_price_or_a_distance_is_reported_where_it_stands(tmp_path):
    body = "".join(f"      It came to {form} then.\n" for form in FORMS)
    chapter = A.replace("    text: The start.\n", "    text: |\n" + body)
    found = first_lines(diagnose(tmp_path, chapter), "ER054")
    assert found == [f"01_a.yaml:{4 + i}:18: warning: ER054 'a' states {form} but links no fact"
                     for i, form in enumerate(FORMS)]


def test_words_that_only_look_like_units_are_not_prices(tmp_path):
    chapter = A.replace("text: The start.", "text: She won 2 games; the 3 metrics; pay us now; 4 metals.")
    assert first_lines(diagnose(tmp_path, chapter), "ER054") == []
