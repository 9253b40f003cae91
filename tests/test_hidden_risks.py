"""Death is never a percentage on the screen, and never only the careless player's: the river's hidden risk.

Two readings of the story by a North Korean refugee pulled in opposite directions: no
death may follow a risk badge ("one click after a percentage banner, she is dead"), and
no death may come only to a player who chose the option that says she is too weak ("the
dead chose badly"). The story's answer is a risk marked ``hidden``: in the water, the
river may not let go, whoever she is, and no odds are shown before or after.
"""

from __future__ import annotations

from conftest import STORY, TINY, write_story
from game.classroom import session as s
from game.classroom.facilitation import Facilitation, FacilitatorSettings
from game.engine.engine import Engine
from game.story.loader import load_story


def test_in_the_shipped_story_every_way_to_a_death_is_a_hidden_risk_never_a_choice_or_a_badge():
    story = load_story(STORY)
    lost = {n.id for n in story.nodes.values() if n.ending and n.ending.kind == "lost"}
    assert lost
    for node in story.nodes.values():
        for choice in node.choices:
            assert choice.goto not in lost, f"{node.id}: choosing '{choice.text_source}' is certain death"
            if choice.roll is not None and choice.roll.fail in lost:
                assert choice.roll.hidden, f"{node.id}: a visible percentage leads to a death"
    # And every death is reachable: the hidden risk is there for every player, not only the weakest.
    reached = {c.roll.fail for n in story.nodes.values() for c in n.choices if c.roll and c.roll.hidden}
    assert {story.nodes[i].ending.id for i in reached} == {story.nodes[i].ending.id for i in lost}


HIDDEN = TINY["01_river.yaml"].replace(
    "roll: {chance: 0.5, label: turned in, fail: caught}",
    "roll: {chance: 0.5, label: the river does not let go, fail: caught, hidden: true}")


def test_a_hidden_risk_shows_no_odds_before_or_after_and_the_record_replays_it(tmp_path):
    story = load_story(write_story(tmp_path / "s", {**TINY, "01_river.yaml": HIDDEN}))
    engine = Engine(story)
    fell = passed = 0
    for seed in range(12):
        state = engine.new_game(seed=seed)
        pay = engine.view(state).choices[0]
        assert pay.risk is None  # no badge before the choice
        outcome = engine.choose(state, 0)
        assert outcome.roll is None and outcome.hidden_roll is not None  # no banner after it
        assert "roll" not in state.journal[0]  # nor in the journal or the debrief's list of risks
        fell += outcome.hidden_roll.failed
        passed += not outcome.hidden_roll.failed
    assert fell and passed
    # A class session records it apart from the visible risks, and a replay re-enacts it exactly.
    for seed in range(6):
        fac = Facilitation.start(story, FacilitatorSettings(name="9B", seed=seed), tmp_path / f"c{seed}.jsonl")
        fac.open_vote()
        fac.keyboard.set(0, 3)
        fac.close_vote(0, "vote")
        end = fac.state.node
        fac.close()
        record = s.read_session(fac.path)
        choice = next(e for e in record.events if e["type"] == s.CHOICE)
        assert choice.get("roll") is None and isinstance(choice["hidden_roll"]["failed"], bool)
        rebuilt = s.rebuild(story, record)
        assert rebuilt.state.node == end and rebuilt.notes == []
