"""The shipped story: it checks clean, its numbers are sourced, and its balance holds (issue: the story)."""

from __future__ import annotations

import shutil
import sys

import pytest

from conftest import REPO, STORY
from game.engine import sim
from game.story.loader import analyse, load_story


@pytest.fixture(scope="module")
def analysis():
    return analyse(STORY)


@pytest.fixture(scope="module")
def story(analysis):
    return analysis.story


def test_the_story_checks_clean_and_is_full_length(analysis):
    assert [str(d) for d in analysis.errors] == []
    story = analysis.story
    assert len(story.nodes) >= 120
    assert analysis.words >= 25_000
    assert len({n.ending.id for n in story.nodes.values() if n.ending}) >= 10
    assert len(story.facts) >= 30
    assert sum(1 for n in story.nodes.values() if n.discuss) >= 15


def test_every_fact_has_a_source_year_and_confidence(analysis):
    """The rules are the checker's (ER012 a key missing, ER014 a source that is no address or a year before 1900)."""
    assert [str(d) for d in analysis.diagnostics if d.span.file.endswith("facts.yaml")] == []
    assert all(fact.year > 1900 and fact.source_title for fact in analysis.story.facts.values())


def test_every_node_stating_money_or_distance_links_a_fact(analysis):
    """The rule is the checker's (ER054 for passages, choices and reasons; ER052 for debriefs)."""
    assert [str(d) for d in analysis.diagnostics if d.code in ("ER052", "ER054")] == []


def test_every_ending_has_a_debrief(analysis):
    """The rule is the checker's (ER047: a debrief of at least 30 words), so writers see it too."""
    assert all(n.ending.debrief for n in analysis.story.nodes.values() if n.ending)
    assert [str(d) for d in analysis.diagnostics if d.code == "ER047"] == []


def test_every_ending_is_reachable_and_journeys_have_the_length_aimed_at(analysis):
    assert analysis.story.journey_choices == (25, 45)
    assert [str(d) for d in analysis.diagnostics if d.code in ("ER040", "ER043", "ER045", "ER046", "ER048")] == []


@pytest.fixture(scope="module")
def reports(story):
    return {policy: sim.summarise(story, sim.run_many(story, policy, 2000, 1), policy, 1)
            for policy in ("random", "careful")}


def test_random_play_reaches_every_ending_without_soft_locks(story, reports):
    report = reports["random"]
    endings = {n.ending.id for n in story.nodes.values() if n.ending}
    assert set(report["endings"]) == endings
    assert max(report["endings"].values()) <= report["runs"] / 2
    assert report["soft_locks"] == [] and report["loops"] == []
    assert report["node_coverage"] >= 0.95
    assert 25 <= report["mean_choices"] <= 45


def test_decisions_matter_more_than_dice(reports):
    random_rate, careful_rate = reports["random"]["safe_rate"], reports["careful"]["safe_rate"]
    assert careful_rate >= 2 * random_rate
    assert careful_rate <= 0.8  # there is no sure path


def test_the_model_lists_every_number_of_the_chapters(tmp_path):
    """docs/model.md's "Every number, by chapter" has a row for each effect, hidden cost, risk and numeric
    condition the chapters set, and none they no longer set (``tools/model_numbers.py --check`` says which)."""
    sys.path.insert(0, str(REPO / "tools"))
    import model_numbers

    story = load_story(STORY)
    text = (REPO / "docs" / "model.md").read_text(encoding="utf-8")
    missing, stale = model_numbers.check(story, text)
    assert not missing and not stale, (missing, stale)
    # The check is not empty-handed: a changed number in a copy of a chapter is named, with its new row.
    copy = tmp_path / "story"
    shutil.copytree(STORY, copy)
    (copy / "story.yaml").write_text((copy / "story.yaml").read_text(encoding="utf-8").replace(
        "map: ../assets/maps/route.tmx", f"map: {REPO / 'assets' / 'maps' / 'route.tmx'}"), encoding="utf-8")
    chapter = copy / "01_hyesan.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("effects: {cash: 30}", "effects: {cash: 35}", 1),
                       encoding="utf-8")
    missing, stale = model_numbers.check(load_story(copy), text)
    assert [row[2] for row in missing] == ["cash +35"] and [row[2] for row in stale] == ["cash +30"]


def test_the_models_table_of_sources_is_facts_yaml_as_it_is(tmp_path):
    """docs/model.md's "Sources of the facts" gives each fact's source, year and confidence as facts.yaml does
    (``tools/model_numbers.py --check`` names the rows that differ, ``--write-facts`` writes them anew)."""
    sys.path.insert(0, str(REPO / "tools"))
    import model_numbers

    story = load_story(STORY)
    text = (REPO / "docs" / "model.md").read_text(encoding="utf-8")
    assert model_numbers.check_facts(story, text) == ([], [])
    assert len(model_numbers.fact_table(story)) == len(story.facts) + 2
    # A fact whose confidence changes in facts.yaml makes the table stale, row by row, until it is written anew.
    copy = tmp_path / "story"
    shutil.copytree(STORY, copy)
    (copy / "story.yaml").write_text((copy / "story.yaml").read_text(encoding="utf-8").replace(
        "map: ../assets/maps/route.tmx", f"map: {REPO / 'assets' / 'maps' / 'route.tmx'}"), encoding="utf-8")
    facts = copy / "facts.yaml"
    source = facts.read_text(encoding="utf-8")
    at = source.index("  jangmadang_markets:")
    facts.write_text(source[:at] + source[at:].replace("confidence: medium", "confidence: weak", 1),
                     encoding="utf-8")
    edited = load_story(copy)
    missing, stale = model_numbers.check_facts(edited, text)
    assert [row.split(" | ")[0] for row in missing] == ["| `jangmadang_markets`"] and "| weak |" in missing[0]
    assert [row.split(" | ")[0] for row in stale] == ["| `jangmadang_markets`"] and "| medium |" in stale[0]
    assert model_numbers.check_facts(edited, model_numbers.write_facts(edited, text)) == ([], [])
    # So does a fact with no row; the rest of the page is left as it was.
    dropped = text.replace(model_numbers.fact_row(story.facts["jangmadang_markets"]) + "\n", "")
    assert model_numbers.check_facts(story, dropped)[0] == [model_numbers.fact_row(story.facts["jangmadang_markets"])]
    assert model_numbers.write_facts(story, dropped) == text
