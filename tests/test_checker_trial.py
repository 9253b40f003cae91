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


# ---------------------------------------------------------------- 2. no "never reached" after a broken link

HIDE = "  c:\n    text: Hidden.\n    choices:\n      - {text: Out, goto: b}\n"
CAUGHT = "  c:\n    text: Caught.\n    ending: {id: caught, kind: caught, title: Caught}\n"


def test_a_node_named_under_a_misspelt_goto_is_not_also_called_unreachable(tmp_path):
    chapter = A.replace("        goto: b\n", "        goto: b\n      - text: Hide\n        gotoo: c\n") + HIDE
    lines = diagnose(tmp_path, chapter)
    assert [line.split(": ", 2)[1:] for line in first_lines(lines, "ER012") + first_lines(lines, "ER010")] == [
        ["error", "ER012 a choice of node 'a' needs 'goto'"],
        ["error", "ER010 unknown key 'gotoo' in a choice of node 'a'"]]
    assert first_lines(lines, "ER040") == []
    assert len(lines) == 2


@pytest.mark.parametrize("roll, error", [
    ("{chance: 15%, label: caught, fail: c}", "01_a.yaml:7:26: error: ER031 unexpected character '%'"),
    ("{label: caught, fail: c}", "01_a.yaml:7:15: error: ER012 a roll in node 'a' needs 'chance'"),
    ("{chance: 0.2, fial: c, label: caught}", "01_a.yaml:7:15: error: ER012 a roll in node 'a' needs 'fail'"),
])
def test_the_fail_node_of_a_roll_that_could_not_be_built_is_not_also_called_unreachable(tmp_path, roll, error):
    for name, after in (("passage", HIDE), ("ending", CAUGHT)):
        chapter = A.replace("        goto: b\n", f"        goto: b\n        roll: {roll}\n") + after
        lines = diagnose(tmp_path / name, chapter)
        assert error in [line.splitlines()[0] for line in lines]
        assert first_lines(lines, "ER040") == first_lines(lines, "ER043") == [], lines


def test_the_branch_after_a_misspelt_goto_counts_as_led_to_but_a_node_nothing_names_is_still_reported(tmp_path):
    chapter = (A.replace("        goto: b\n", "        goto: b\n      - text: Hide\n        Goto: c\n")
               + HIDE.replace("goto: b", "goto: d")
               + "  d:\n    text: Deeper.\n    choices:\n      - {text: Out, goto: b}\n"
               + "  e:\n    text: Lonely.\n    choices:\n      - {text: Out, goto: b}\n")
    assert first_lines(diagnose(tmp_path, chapter), "ER040") == [
        "01_a.yaml:20:3: warning: ER040 node 'e' cannot be reached from the start"]


# ---------------------------------------------------------------- 3. what the writer meant in an expression or a tag

@pytest.mark.parametrize("condition, said", [
    ("cash => 8", "'=>' is not a comparison; write '>=' (greater than or equal)"),
    ("cash =< 8", "'=<' is not a comparison; write '<=' (less than or equal)"),
    ("cash = 8", "'=' is not a comparison; write '==' to compare"),
])
def test_a_comparison_written_backwards_is_told_the_one_meant(tmp_path, condition, said):
    chapter = A.replace("        goto: b\n", f"        if: {condition}\n        goto: b\n      - text: Wait\n        goto: b\n")
    assert first_lines(diagnose(tmp_path, chapter), "ER031") == [f"01_a.yaml:6:18: error: ER031 {said}"]


@pytest.mark.parametrize("text, said", [
    ("{if exposure >= 30 He waits.\n      {end}Then.", "the '{if exposure >= 30 He…' opened here is never closed with '}'"),
    ("{cash and {warned}.", "the '{cash and' opened here is never closed with '}'"),
    ("{else and more.", "the '{else and more.' opened here is never closed with '}'"),
    ("{ and {end}.", "a lone '{': write '{{' for a brace in the text"),
])
def test_a_tag_left_open_is_named_with_its_first_words_not_as_a_lone_brace(tmp_path, text, said):
    lines = diagnose(tmp_path, A.replace("text: The start.", "text: |\n      The start. " + text))
    (line,) = [line for line in lines if " ER034 " in line]
    assert line.splitlines()[0] == f"01_a.yaml:4:18: error: ER034 {said}"
    if "opened here" in said:
        assert line.splitlines()[1] == ("    hint: Close the tag with '}' where it ends, as in {if cash >= 30}…{end} or "
                                        "{cash}; for a brace in the text, write '{{'.")


# ---------------------------------------------------------------- 4. a divisor that is always 0 (ER036)

@pytest.mark.parametrize("divisor", ["0", "(2 - 2)", "(cash - cash)", "((cash + 1) - (cash + 1))", "(cash * 0)",
                                     "(0 / cash)", "min(0, 0)", "-(cash - cash)"])
def test_a_divisor_that_is_0_whatever_the_values_is_reported_at_the_division(tmp_path, divisor):
    effect = f"cash / {divisor}"
    chapter = A.replace("        goto: b\n", f"        goto: b\n        effects: {{cash: \"{effect}\"}}\n", 1)
    assert first_lines(diagnose(tmp_path, chapter), "ER036") == [
        f"01_a.yaml:7:31: warning: ER036 '{effect}' divides by zero, which gives 0 in play"]


@pytest.mark.parametrize("divisor", ["(cash - 5)", "(1 / 2)", "max(cash, 0)", "(cash - days)"])
def test_a_divisor_that_is_0_only_for_some_values_is_the_storys_business(tmp_path, divisor):
    chapter = A.replace("        goto: b\n", f"        goto: b\n        effects: {{cash: \"cash / {divisor}\"}}\n", 1)
    story = dx.BASE_STORY["story.yaml"].replace("resources:\n", "resources:\n  days: {start: 0, label: Days}\n")
    assert first_lines(diagnose(tmp_path, chapter, **{"story.yaml": story}), "ER036") == []


def test_a_division_by_0_in_a_texts_condition_is_reported_each_time_where_it_is(tmp_path):
    shown = "{if cash / (cash - cash) > 1}rich{end}"
    chapter = A.replace("text: The start.", f"text: |\n      The start.\n      Then {shown}.").replace(
        "text: The end.", f"text: \"{shown}\"")
    assert first_lines(diagnose(tmp_path, chapter), "ER036") == [
        "01_a.yaml:5:21: warning: ER036 'cash / (cash - cash) > 1' divides by zero, which gives 0 in play",
        "01_a.yaml:10:21: warning: ER036 'cash / (cash - cash) > 1' divides by zero, which gives 0 in play"]


# ---------------------------------------------------------------- 5. two ambiences meeting, in a loop too (ER081)

SIDE = ("      - text: Take the train\n        goto: hyesan_side\n\n  hyesan_side:\n    title: Side\n"
        "    location: hyesan\n    ambience: train\n    text: A side.\n    choices:\n      - text: Go\n"
        "        goto: {target}\n\n  hyesan_go_between:")
OFFICE = ("      - text: Ask the security man first\n        if: not visited(hyesan_office)\n"
          "        reason: You have asked him already.\n        goto: hyesan_office\n"
          "      - text: Stay. There is your mother, the market, next year.\n        goto: hyesan_winter\n\n"
          "  hyesan_office:\n    title: Office\n    location: hyesan\n    text: An office.\n    choices:\n"
          "      - text: Back\n        goto: hyesan_decision\n")


def _ambiences_met(tmp_path, target: str, office: bool) -> list[tuple[str, str]]:
    """ER081 on the shipped story with a node after hyesan_market that sounds like a train and leads to ``target``."""
    folder = _copy_story(tmp_path)
    chapter = folder / "01_hyesan.yaml"
    _edit(chapter, "\n  hyesan_go_between:", "\n" + SIDE.replace("{target}", target))
    if office:  # hyesan_decision → hyesan_office → hyesan_decision, as a side branch writes it
        _edit(chapter, "      - text: Stay. There is your mother, the market, next year.\n        goto: hyesan_winter\n",
              OFFICE)
    return [(d.message.split("'")[1], d.message) for d in analyse(folder, check_map=False).diagnostics
            if d.code == "ER081"]


@pytest.mark.parametrize("target, office", [("hyesan_decision", True), ("hyesan_decision", False),
                                            ("hyesan_telling", True), ("hyesan_telling", False)])
def test_a_train_path_into_the_shipped_story_is_reported_where_it_meets_another_ambience(tmp_path, target, office):
    other = {"hyesan_decision": ("blackout_street", "hyesan_blackout → hyesan_decision"),
             "hyesan_telling": ("hiding_room", "hyesan_packing → hyesan_telling")}[target]
    ((node, message),) = _ambiences_met(tmp_path, target, office)
    assert node == target
    assert f"'{other[0]}' on" in message and f"({other[1]})" in message
    assert "'train' on" in message and f"(hyesan_side → {target})" in message


def test_a_loop_the_mixture_enters_is_reported_once_where_it_enters(tmp_path):
    story = dx.BASE_STORY["story.yaml"] + "ambiences:\n  river: water at night\n  wind: wind on a hill\n"
    chapter = ("nodes:\n  a:\n    text: The start.\n    ambience: river\n    choices:\n      - {text: Climb, goto: b}\n"
               "      - {text: Wade, goto: d}\n  b:\n    text: On the hill.\n    ambience: wind\n    choices:\n"
               "      - {text: Go on, goto: d}\n  d:\n    text: The meeting.\n    choices:\n      - {text: Ask, goto: e}\n"
               "      - {text: Leave, goto: f}\n  e:\n    text: An office.\n    choices:\n      - {text: Back, goto: d}\n"
               "      - {text: On, goto: g}\n  g:\n    text: After.\n    choices:\n      - {text: Back, goto: d}\n"
               "  f:\n    text: The end.\n    ending: {id: done, kind: safe, title: Done}\n")
    assert first_lines(diagnose(tmp_path, chapter, **{"story.yaml": story}), "ER081") == [
        "01_a.yaml:13:3: warning: ER081 node 'd' sounds like 'river' on one path (a → d) and like 'wind' on another "
        "(b → d)"]


# ---------------------------------------------------------------- 6. a closed choice the game can only show as code (ER038)

def _choice_with(condition: str, reason: str = "") -> str:
    said = f"        reason: {reason}\n" if reason else ""
    return A.replace("        goto: b\n", f"        if: {condition}\n{said}        goto: b\n      - text: Wait\n"
                                        "        goto: b\n", 1)


def test_a_closed_choice_without_a_reason_that_the_game_shows_as_its_condition_is_a_warning(tmp_path):
    chapter = _choice_with("not visited(b)").replace("\n  b:\n", "\n  b:\n    title: The crew office\n")
    (line,) = [line for line in diagnose(tmp_path, chapter) if " ER038 " in line]
    assert line.splitlines() == [
        "01_a.yaml:6:13: warning: ER038 this choice's 'if: not visited(b)' has no 'reason:', and the game cannot put "
        "it in words: when it is closed, the player may read \"needs not visited(b)\"",
        "    hint: Add 'reason:' saying why the choice is closed, in the story's words (\"You have asked him "
        "already.\"). Without one, the game words only a resource's threshold (cash >= 80: \"needs ¥80\") and an "
        "item (has(phone)), alone or joined with 'and'."]


@pytest.mark.parametrize("condition", ["cash >= 8", "cash < 3", "has(phone)", "not has(phone)",
                                       "cash > 8 and has(phone)"])
def test_a_condition_the_game_words_needs_no_reason(tmp_path, condition):
    assert first_lines(diagnose(tmp_path, _choice_with(condition)), "ER038") == []


@pytest.mark.parametrize("condition", ["warned", "not visited(b)", "cash >= 8 or warned", "cash + 1 >= 8",
                                       "cash >= 8 and not visited(b)"])
def test_a_reason_is_all_a_condition_the_game_cannot_word_needs(tmp_path, condition):
    assert len(first_lines(diagnose(tmp_path / "bare", _choice_with(condition)), "ER038")) == 1
    assert first_lines(diagnose(tmp_path / "said", _choice_with(condition, "Not now.")), "ER038") == []


CONDITIONS = ["cash >= 8", "cash > 8", "cash <= 3", "cash < 3", "has(phone)", "not has(phone)", "warned",
              "not warned", "visited(b)", "not visited(b)", "cash >= 8 and has(phone)", "cash >= 8 and warned",
              "cash >= 8 or has(phone)", "8 <= cash", "cash + 1 >= 8", "visits(b) > 1", "not (cash >= 8)",
              "cash >= 8 and not has(phone) and cash < 20"]


@pytest.mark.parametrize("condition", CONDITIONS)
def test_the_checker_calls_worded_exactly_what_the_game_words(tmp_path, condition):
    """ER038's rule (game.story.expr.worded) against the engine's: the game shows the bare condition to some
    player it is closed to exactly when the checker says it cannot word it."""
    from game.engine.engine import Engine
    from game.l10n import _
    from game.story import expr as ex
    from game.story.loader import load_story

    story = load_story(write_story(tmp_path / "story", {**dx.BASE_STORY, "01_a.yaml": _choice_with(condition)}))
    engine = Engine(story)
    choice = story.nodes["a"].choices[0]
    bare = _("needs {what}").format(what=ex.show(choice.condition_tree, story.label))
    shown_bare = False
    for cash in (0, 5, 10, 30):
        for phone in (False, True):
            for warned in (False, True):
                for visits in (0, 2):
                    state = engine.new_game(seed=1)
                    state.vars.update(cash=cash, warned=warned)
                    state.items = {"phone"} if phone else set()
                    state.visits["b"] = visits
                    view = engine.view(state).choices[0]
                    if not view.available:
                        assert view.reason
                        # has(phone) reads the same either way ("needs Phone"): bare is when no part was worded
                        shown_bare |= view.reason == bare and not engine.missing(state, choice)
    assert shown_bare == (not ex.worded(choice.condition_tree, story.resources)), condition


# ---------------------------------------------------------------- 7. a loop of one node (ER045)

def test_a_node_that_leads_only_to_itself_is_told_so_in_the_singular(tmp_path):
    chapter = A.replace("goto: b", "goto: c") + "  c:\n    text: Wait.\n    choices:\n      - {text: Wait, goto: c}\n"
    assert first_lines(diagnose(tmp_path, chapter), "ER045") == [
        "01_a.yaml:10:3: error: ER045 node 'c' leads only to itself: a player who reaches it can never leave "
        "(c at line 10)"]


def test_a_loop_of_two_nodes_still_leads_only_to_each_other(tmp_path):
    entry = dx.CATALOGUE["ER045"]
    (line,) = first_lines(diagnose(tmp_path, entry.example["01_a.yaml"]), "ER045")
    assert line.endswith("ER045 nodes 'c', 'd' lead only to each other: a player who reaches them can never leave "
                         "(c at line 10, d at line 14)")


# ---------------------------------------------------------------- every new sentence in Korean too

KOREAN_CASES = {
    "ER031": _choice_with("cash => 8"),
    "ER034": A.replace("text: The start.", "text: \"The start. {if cash >= 30 He waits.\""),
    "ER045": A.replace("goto: b", "goto: c") + "  c:\n    text: Wait.\n    choices:\n      - {text: Wait, goto: c}\n",
}


@pytest.mark.parametrize("code", sorted(KOREAN_CASES))
def test_the_new_sentences_are_korean_with_lang_ko(tmp_path, code):
    from test_checker_korean import HANGUL, english_left

    from game.l10n import set_language

    folder = write_story(tmp_path / "story", {**dx.BASE_STORY, "01_a.yaml": KOREAN_CASES[code]})
    set_language("ko")
    try:
        (found,) = [d for d in analyse(folder).diagnostics if d.code == code]
    finally:
        set_language("en")
    for text in (found.message, found.hint):
        assert HANGUL.search(text) and english_left(text) is None, text
