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


def test_only_trust_is_ever_a_hidden_cost_as_the_readme_says():
    """README: money, days, health and exposure are always shown before a choice; only trust can fall unseen."""
    story = load_story(STORY)
    hidden = {(node.id, effect.target) for node in story.nodes.values() for choice in node.choices
              for effect in choice.hidden}
    assert hidden and {target for _, target in hidden} == {"trust"}, hidden
    readme = (STORY.parent / "README.md").read_text(encoding="utf-8")
    assert "Only trust (how far the people around her will stand by her)\ncan fall" in readme


def test_a_choice_whose_next_page_costs_more_shows_it(tmp_path):
    from conftest import TINY, write_story

    chapter = TINY["01_river.yaml"].replace(
        "  bank:\n    text: Safe", "  bank:\n    effects: {days: 14, health: -5}\n    text: Safe")
    engine = Engine(load_story(write_story(tmp_path / "s", {**TINY, "01_river.yaml": chapter})))
    view = engine.view(engine.new_game(seed=1))
    pay = view.choices[0]
    assert [c.text for c in pay.costs] == ["¥150", "15 days", "−5 Health", "+ Chinese phone"]


def test_a_closed_choice_shows_its_cost_as_written_not_what_clamping_would_take():
    """With ¥20 in hand, the ¥3,000 for the guard is ¥3,000 on the closed choice (its reason names the ¥3,000 and
    adds "you have ¥20"), not the ¥20 that taking it would leave at 0; an open choice still shows what it does."""
    story = load_story(STORY)
    engine = Engine(story, keep_journal=False)
    state = engine.new_game(seed=1, start="river_yalu_bank")
    state.vars["cash"] = 20
    state.vars["hyesan_guard_contact"] = True
    view = engine.view(state)
    guard = next(c for c in view.choices if "Myong-chol" in c.text)
    assert not guard.available and guard.reason.endswith("the ¥3,000 he wants. (you have ¥20)")
    assert shown(guard)["cash"] == -3000 and "¥3,000" in [c.text for c in guard.costs]
    # The same choice, open with ¥3,500, shows (and takes) ¥3,000.
    state.vars["cash"] = 3500
    assert shown(next(c for c in engine.view(state).choices if "Myong-chol" in c.text))["cash"] == -3000


def test_the_terminal_shows_the_written_cost_of_a_closed_choice(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import REPO

    env = {**os.environ, "ESCAPE_ROUTE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "game", "play", "--text", "--start", "river_yalu_bank", "--set",
                          "cash=20", "--set", "hyesan_guard_contact=true"], input="q\n", capture_output=True, text=True,
                         cwd=REPO, env=env, timeout=60, check=False)
    page = " ".join(out.stdout.split())
    assert "the ¥3,000 he wants. (you have ¥20)) Find Myong-chol and pay him — ¥3,000" in page, page[-1500:]
