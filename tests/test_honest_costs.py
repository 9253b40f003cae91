"""What a choice shows is what it does: every choice of the shipped story, played, against what it showed.

A tester found choices that showed 7 days and cost 21, or +1 Trust and cost 30 days:
the next page's own costs were left out. Here random journeys through the shipped
story stop at every page, and every open choice is taken on a copy (its risk not
falling, since the costs shown are those of the choice going as planned); the
change in every resource and item must be exactly what the choice showed.
"""

from __future__ import annotations

import random

from conftest import STORY
from game.engine.engine import Engine
from game.story.loader import load_story


def shown(view_choice) -> dict[str, float]:
    return {c.name: c.delta for c in view_choice.costs}


def changed(engine: Engine, before, after) -> dict[str, float]:
    story = engine.story
    out = {k: after.vars[k] - before.vars[k] for k in story.resources if after.vars[k] != before.vars[k]}
    out.update({k: 1 for k in after.items - before.items})
    out.update({k: -1 for k in before.items - after.items})
    return out


def test_every_choice_shows_what_it_will_cost_including_the_next_page():
    story = load_story(STORY)
    engine = Engine(story, keep_journal=False)
    rng = random.Random(7)
    checked = set()
    for run in range(150):
        state = engine.new_game(seed=run)
        for _ in range(400):
            view = engine.view(state)
            if view.ending is not None:
                break
            open_choices = [c for c in view.choices if c.available]
            node = story.nodes[view.node_id]
            for choice in open_choices:
                trial = state.copy()
                engine.choose(trial, choice.index, forced_failure=False)
                # A cost the story marks hidden on purpose (hidden_cost:) is the one exception.
                hidden = {e.target for e in node.choices[choice.index].hidden}
                expected = {k: v for k, v in shown(choice).items() if k not in hidden}
                actual = {k: v for k, v in changed(engine, state, trial).items() if k not in hidden}
                assert expected == actual, (view.node_id, choice.index, choice.text)
                checked.add((view.node_id, choice.index))
            engine.choose(state, rng.choice(open_choices).index)
    assert len(checked) > 200  # most of the story's choices were looked at


def test_a_choice_whose_next_page_costs_more_shows_it(tmp_path):
    from conftest import TINY, write_story

    chapter = TINY["01_river.yaml"].replace(
        "  bank:\n    text: Safe", "  bank:\n    effects: {days: 14, health: -5}\n    text: Safe")
    engine = Engine(load_story(write_story(tmp_path / "s", {**TINY, "01_river.yaml": chapter})))
    view = engine.view(engine.new_game(seed=1))
    pay = view.choices[0]
    assert [c.text for c in pay.costs] == ["¥150", "15 days", "−5 Health", "+ Chinese phone"]
