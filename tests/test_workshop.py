"""The workshop: self-checks, quiz, ladder, editions, hand-out folder, HTML, episodes."""

from __future__ import annotations

import copy
import json
import re

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamkit.cli import main
from kamkit.data import labels
from kamkit.data.synth import company_x
from kamkit.exceptions import EditionError, ParameterError
from kamkit.identification import selection as idn
from kamkit.plan import ladder
from kamkit.run.notebooks import read_parameters
from kamkit.text.i18n import use_language
from kamkit.workshop import account_dossier as m2
from kamkit.workshop import account_plan as m3
from kamkit.workshop import checks, editions, modules, quiz, widgets
from kamkit.workshop import evaluation as m4
from kamkit.workshop import identifying as m1
from kamkit.workshop import perception_ladder as m5
from kamkit.workshop import what_makes_key as m0
from tests.conftest import ROOT

NOTEBOOKS = modules.module_notebooks()


@pytest.fixture(scope="module")
def p():
    return company_x()


# --------------------------------------------------------------------------------------
# The self-check framework


def test_results_render_as_text_and_escaped_html():
    r = checks.incorrect("a <b> & c", "look at <this>")
    assert not r.ok and r.status == "incorrect"
    assert str(r) == "✘ Not yet: a <b> & c\n  Hint: look at <this>"
    page = r._repr_html_()
    assert "&lt;b&gt;" in page and "<b>" not in page and "kamkit-check-incorrect" in page
    assert 'dir="ltr"' in page
    with use_language("fa"):
        assert 'dir="rtl"' in checks.correct("x")._repr_html_()
    with pytest.raises(ValueError):
        checks.CheckResult("maybe", "x")


def test_results_speak_the_current_language():
    with use_language("pl"):
        title = checks.not_answered().title
    assert title and checks.not_answered().title == "Not answered yet"


@pytest.mark.parametrize("value", [..., None, {"a": ..., "b": ...}, [..., ...]])
def test_placeholders_are_unanswered(value):
    assert checks.is_unanswered(value)


@pytest.mark.parametrize("value", [0, "", {}, [], {"a": 1, "b": ...}, False])
def test_real_answers_are_not_placeholders(value):
    assert not checks.is_unanswered(value)


def test_self_check_turns_unreadable_answers_into_invalid_and_lets_bugs_through():
    @checks.self_check
    def check(answer):
        if answer == "bug":
            raise RuntimeError("a bug")
        return checks.correct(str(checks.read_number(answer, whole=True, minimum=1,
                                                     maximum=5)))

    assert check(...).status == "not_answered"
    assert check(3).ok and check("3").ok
    for bad, words in [("x", "not a number"), (2.5, "whole"), (9, "from 1 to 5"),
                       (True, "yes/no"), ([1], "list")]:
        result = check(bad)
        assert result.status == "invalid" and words in result.message + result.hint, bad
    with pytest.raises(RuntimeError):
        check("bug")


def test_read_choice_and_mapping_suggest_close_spellings():
    with pytest.raises(checks.AnswerError, match="not a") as info:
        checks.read_choice("loyality", {"loyalty": [], "price_focus": []})
    assert '"loyalty"' in info.value.hint
    with pytest.raises(checks.AnswerError) as info:
        checks.read_mapping({"joint_valeu": 3}, ["joint_value"])
    assert '"joint_value"' in info.value.hint
    with pytest.raises(checks.AnswerError, match="missing: b"):
        checks.read_mapping({"a": 1, "b": ...}, ["a", "b"])
    with pytest.raises(checks.AnswerError, match="empty"):
        checks.read_text("   ")


def test_answer_errors_pickle():
    import pickle

    err = pickle.loads(pickle.dumps(checks.AnswerError("m", "h")))
    assert (err.message, err.hint) == ("m", "h")


# --------------------------------------------------------------------------------------
# The quiz


@pytest.mark.parametrize("question", m0.QUIZ, ids=[q.key for q in m0.QUIZ])
def test_every_option_gets_its_own_feedback(question):
    feedback = set()
    for letter, option in zip(question.letters, question.options, strict=True):
        result = quiz.check_answer(question, letter)
        assert result.ok == option.correct
        assert result.message == option.feedback
        feedback.add(result.message)
    assert len(feedback) == len(question.options)


def test_quiz_reads_letters_numbers_and_option_text():
    q = m0.QUIZ[1]
    right = q.option(q.answer)
    for choice in (q.answer, q.answer.upper() + ")", q.letters.index(q.answer) + 1,
                   right.text, f"  {right.text.upper()} "):
        assert quiz.check_answer(q, choice).ok, choice


@pytest.mark.parametrize("choice", ["z", 0, 9, True, "", ["b"], 2.0])
def test_quiz_rejects_malformed_choices(choice):
    result = quiz.check_answer(m0.QUIZ[0], choice)
    assert result.status == "invalid" and "a, b, c, d" in result.hint


def test_quiz_score_and_answer_key():
    answers = {q.key: q.answer for q in m0.QUIZ[:3]} | {m0.QUIZ[3].key: "a",
                                                        m0.QUIZ[4].key: "nonsense"}
    score = quiz.score(m0.QUIZ, answers)
    assert (score.right, score.answered, score.total) == (3, 5, 6)
    key = quiz.answer_key(m0.QUIZ)
    assert key["right_answer"].str[0].tolist() == [q.answer for q in m0.QUIZ]


def test_a_question_needs_exactly_one_right_option():
    with pytest.raises(ValueError):
        quiz.Question("x", "?", (quiz.Option("a", "a"), quiz.Option("b", "b")))


# --------------------------------------------------------------------------------------
# M0 checks


def test_big_not_key_right_answers(p):
    assert m0.big_not_key(p) == ["CX-004"]
    # M0's plain rule (refuses key status, or weak on role and collaboration) names the
    # account that identification's scoring puts in its "big but not key" group (M1)
    assert m0.big_not_key(p) == idn.identify(p).big_not_key["account_id"].tolist()
    for answer in ("CX-004", "cx-004", " Voltmarkt ", "voltmarkt components"):
        result = m0.check_big_not_key(answer, p)
        assert result.ok, answer
        assert "Voltmarkt" in result.message and "10.8%" in result.message


@pytest.mark.parametrize("answer, says, hint", [
    ("CX-001", "big and key", "low ratings"),
    ("Nordwerk", "big and key", "low ratings"),
    ("CX-005", "opposite case", "big customer that is not key"),
    ("CX-040", "number 146", "table of the 5 biggest"),
])
def test_big_not_key_typical_wrong_answers_get_specific_hints(p, answer, says, hint):
    result = m0.check_big_not_key(answer, p)
    assert result.status == "incorrect"
    assert says in result.message and hint in result.hint


@pytest.mark.parametrize("answer, words", [
    ("CX004", '"CX-004"'), ("XYZ", "copy the account id"), (4, "not text"),
    ("", "empty"), (["CX-004"], "list"), ({"a": 1}, "not text")])
def test_big_not_key_malformed_answers(p, answer, words):
    result = m0.check_big_not_key(answer, p)
    assert result.status == "invalid"
    assert words in result.message + result.hint


@pytest.mark.parametrize("answer, status, words", [
    (9, "correct", "up to three"), ("9", "correct", "up to three"), (9.0, "correct", ""),
    (3, "incorrect", "lower bound"), (6, "incorrect", "Multiply by 3"),
    (12, "incorrect", "uncontrolled"), (150, "incorrect", "uncontrolled"),
    (0, "incorrect", "nothing to manage"), (-1, "invalid", "at least 0"),
    (7.5, "invalid", "whole"), ("nine", "invalid", "not a number"), (..., "not_answered", ""),
])
def test_cap_check(p, answer, status, words):
    result = m0.check_cap(answer, p)
    assert result.status == status and words in result.message + result.hint


def test_cap_check_without_managers_tells_the_trainer(p):
    import dataclasses

    other = copy.copy(p)
    other.meta = dataclasses.replace(p.meta, key_account_managers=None)
    result = m0.check_cap(9, other)
    assert result.status == "invalid" and "key_account_managers" in result.hint


def test_four_languages_and_biggest(p):
    frame = m0.four_languages(["dossier"])
    assert frame.columns.tolist() == ["en", "fa", "pl", "ru"]
    big = m0.biggest_customers(p, 3)
    assert big["revenue_rank"].tolist() == [1, 2, 3]
    assert big["revenue"].is_monotonic_decreasing
    with pytest.raises(ParameterError):
        m0.biggest_customers(p, 0)


# --------------------------------------------------------------------------------------
# The perception ladder


@pytest.mark.parametrize("answers, step, score", [
    ((5, 1, 2, 1), "commodity_broker", 6.25),
    ((4, 2, 5, 5), "commodity_broker", 62.5),     # price only, no loyalty wins
    ((3, 3, 3, 3), "product_supplier", 50.0),
    ((1, 5, 5, 3), "product_supplier", 87.5),     # no partner without joint value
    ((4, 5, 5, 5), "product_supplier", 81.25),    # nor with a high price focus
    ((3, 4, 3, 5), "value_enhancer", 68.75),
    ((1, 5, 5, 5), "value_enhancer", 100.0),
    ((3, 2, 2, 2), "commodity_broker", 31.25),    # score under 40
])
def test_assess_hand_computed(answers, step, score):
    keys = list(ladder.QUESTIONS)
    result = ladder.assess(dict(zip(keys, answers, strict=True)))
    assert (result.step, result.score) == (step, score)


def test_moves_follow_the_weakest_answers():
    result = ladder.assess({"price_focus": 2, "loyalty": 1, "differentiation": 5,
                            "joint_value": 5})
    codes = [m.code for m in result.moves]
    assert codes[0] in ("trust_transparency", "multi_level_relationships", "continuous_value")
    assert "tailored_solutions" not in codes
    table = result.moves_table()
    assert table.columns.tolist() == ["ladder_move", "move_priority", "because"]
    assert "Loyalty is 1 of 5" in table["because"].iloc[0]
    assert set(ladder.MOVES) == set(ladder.MOVE_TARGETS)


_answer = st.integers(1, 5)


@given(_answer, _answer, _answer, _answer)
def test_assess_properties(price, loyalty, diff, joint):
    answers = {"price_focus": price, "loyalty": loyalty, "differentiation": diff,
               "joint_value": joint}
    result = ladder.assess(answers)
    assert result.step in ladder.STEPS and 0 <= result.score <= 100
    codes = [m.code for m in result.moves]
    assert len(codes) == 3 == len(set(codes))
    # Better answers never move the account down the ladder.
    for key, better in (("loyalty", min(loyalty + 1, 5)), ("price_focus", max(price - 1, 1)),
                        ("differentiation", min(diff + 1, 5)),
                        ("joint_value", min(joint + 1, 5))):
        improved = ladder.assess(answers | {key: better})
        assert ladder.STEPS.index(improved.step) >= ladder.STEPS.index(result.step)
        assert improved.score >= result.score


@pytest.mark.parametrize("answers", [
    {"price_focus": 3}, {"price_focus": 3, "loyalty": 3, "differentiation": 3,
                         "joint_value": 6},
    {"price_focus": 3, "loyalty": 3, "differentiation": 3, "joint_value": "3"},
    {"price_focus": 3, "loyalty": 3, "differentiation": 3, "joint_value": 3, "x": 1},
    [3, 3, 3, 3]])
def test_assess_rejects_bad_answers(answers):
    with pytest.raises(ParameterError):
        ladder.assess(answers)


def test_evidence_and_compare(p):
    ev = ladder.evidence(p, "CX-004")
    assert ev["question"].tolist() == list(ladder.QUESTIONS)
    assert "21.1%" in ev["data_says"].iloc[0]
    # The data suggests the recorded step for most story accounts.
    agree = 0
    for i in range(1, 16):
        account = f"CX-{i:03d}"
        suggested = dict(zip(ev["question"], ladder.evidence(p, account)["suggested"],
                             strict=True))
        step = ladder.assess({k: int(v) for k, v in suggested.items()}).step
        agree += step == p.account(account)["ladder_step"]
    assert agree >= 11
    table = ladder.compare(p, {"CX-001": ladder.assess(dict.fromkeys(ladder.QUESTIONS, 3)),
                               "CX-004": "value_enhancer"})
    assert table["step_gap"].tolist() == [-1, 2]
    with pytest.raises(ParameterError):
        ladder.compare(p, {"CX-001": "partner"})


# --------------------------------------------------------------------------------------
# M5 checks


@pytest.mark.parametrize("answer", ["commodity broker", "commodity_broker", "Commodity Broker",
                                    1, "broker"])
def test_ladder_step_right_answers(p, answer):
    result = m5.check_ladder_step(answer, p, "CX-004")
    assert result.ok and "21.1%" in result.message


def test_ladder_step_accepts_labels_in_every_language(p):
    from kamkit.data.labels import value_label

    for language in ("fa", "pl", "ru"):
        with use_language(language):
            label = value_label("commodity_broker")
        assert m5.check_ladder_step(label, p, "CX-004").ok, language


@pytest.mark.parametrize("account, answer, says", [
    ("CX-004", "value enhancer", "higher"), ("CX-004", 2, "higher"),
    ("CX-001", "commodity broker", "lower")])
def test_ladder_step_wrong_answers(p, account, answer, says):
    result = m5.check_ladder_step(answer, p, account)
    assert result.status == "incorrect" and says in result.message
    assert "The data:" in result.hint


@pytest.mark.parametrize("answer, words", [
    ("brokr", '"commodity_broker"'), ("middle", "choose one of"), (7, "from 1 to 3"),
    ("", "empty"), (None, "replace the ...")])
def test_ladder_step_malformed(p, answer, words):
    result = m5.check_ladder_step(answer, p, "CX-004")
    assert result.status in ("invalid", "not_answered")
    assert words in result.message + result.hint


def _answers(price, loyalty, diff, joint):
    return {"price_focus": price, "loyalty": loyalty, "differentiation": diff,
            "joint_value": joint}


def test_ladder_answers_right(p):
    result = m5.check_ladder_answers(_answers(4, 3, 3, 4), p, "CX-002")
    assert result.ok and "Moves:" in result.message and result.hint == ""
    # Right step, but one answer far from the data: correct, with a pointer.
    result = m5.check_ladder_answers(_answers(4, 3, 5, 4), p, "CX-002")
    assert result.ok and result.hint.startswith("Look at Differentiation")


@pytest.mark.parametrize("answers, points_at", [
    (_answers(2, 4, 4, 5), "Price focus"),          # too rosy: price focus too low
    (_answers(5, 1, 1, 1), "Joint value"),          # too dark: collaboration is rated 4
])
def test_ladder_answers_wrong_point_at_the_answer_furthest_from_the_data(p, answers,
                                                                          points_at):
    result = m5.check_ladder_answers(answers, p, "CX-002")
    assert result.status == "incorrect" and "the team recorded" in result.message
    assert result.hint.startswith(f"Look at {points_at}")


@pytest.mark.parametrize("answers, words", [
    ({"price_focus": 4, "loyality": 3, "differentiation": 3, "joint_value": 3}, '"loyalty"'),
    ({"price_focus": 4, "loyalty": 3}, "missing"),
    (_answers(4, ..., 3, 3), "missing: loyalty"),
    (_answers(4, 3, 3, 9), "joint_value"),
    (_answers(4, 3, "3", "x"), "not a number"),
    ([4, 3, 3, 3], "not a dictionary"), ("4, 3, 3, 3", "not a dictionary")])
def test_ladder_answers_malformed(p, answers, words):
    result = m5.check_ladder_answers(answers, p, "CX-002")
    assert result.status == "invalid" and words in result.message + result.hint


def test_ladder_answers_placeholder(p):
    blank = dict.fromkeys(ladder.QUESTIONS, ...)
    assert m5.check_ladder_answers(blank, p, "CX-002").status == "not_answered"
    assert m5.check_ladder_answers({}, p, "CX-002").status == "invalid"


def test_ladder_checks_without_a_recorded_step_tell_the_trainer(p):
    other = copy.copy(p)
    other.tables = dict(p.tables)
    other.tables["accounts"] = p.accounts.assign(ladder_step=None)
    result = m5.check_ladder_step("broker", other, "CX-004")
    assert result.status == "invalid" and "ladder_step" in result.hint


# --------------------------------------------------------------------------------------
# Readers shared by the module checks


def test_read_account_and_accounts(p):
    assert checks.read_account(" cx-004 ", p) == "CX-004"
    assert checks.read_account("Voltmarkt", p) == "CX-004"
    assert checks.read_accounts(["CX-006", "cx-008", "CX-006"], p) == ["CX-006", "CX-008"]
    assert checks.read_accounts("CX-006; CX-008", p) == ["CX-006", "CX-008"]
    assert checks.read_accounts({"CX-008", "CX-006"}, p) == ["CX-006", "CX-008"]
    for none in ("none", " Nobody ", [], ()):
        assert checks.read_accounts(none, p) == []
    for bad, words in [("CX004", '"CX-004"'), (["CX-999"], "no account"), (3, "list of")]:
        with pytest.raises(checks.AnswerError) as info:
            checks.read_accounts(bad, p)
        assert words in info.value.message + info.value.hint


def test_label_choices_read_every_language():
    choices = checks.label_choices(["sponsor", "anti_sponsor"], {"anti_sponsor": ["against"]})
    for text in ("anti-sponsor", "Anti_Sponsor", "against"):
        assert checks.read_choice(text, choices) == "anti_sponsor"
    from kamkit.data.labels import value_label

    with use_language("ru"):
        russian = value_label("anti_sponsor")
    assert checks.read_choice(russian, choices) == "anti_sponsor"


# --------------------------------------------------------------------------------------
# M1 checks


@pytest.fixture(scope="module")
def m1_result(p):
    return idn.identify(p)


@pytest.fixture(scope="module")
def by_revenue(p, m1_result):
    return idn.reweigh(m1_result, p, {"revenue_12m": 1.0})


def test_m1_anchors_leader_and_largest(p, m1_result):
    assert m1.anchors(p) == ["CX-001", "CX-002", "CX-003"]
    assert m1.small_market_leader(p) == "CX-005"
    largest = m1.largest_customers(m1_result, points=True)
    assert len(largest) == m1_result.cap and largest["revenue_rank"].tolist() == list(
        range(1, 10))
    assert "strategic_role_points" in largest.columns
    assert largest.set_index("account_id").at["CX-004", "strategic_role_points"] == 0
    with pytest.raises(ParameterError):
        m1.largest_customers(m1_result, 0)


def _big(account, because):
    return {"account": account, "because": because}


@pytest.mark.parametrize("answer, words", [
    (_big("CX-004", "collaboration"), "loses the most points on Strategic role and Coll"),
    (_big("Voltmarkt", "strategic role"), "Big, not key"),
    (_big("cx-004", "declines key status"), "does not accept key status"),
    (_big("CX-004", "Collaboration"), "Big, not key"),
])
def test_m1_big_not_key_right(p, m1_result, answer, words):
    result = m1.check_big_not_key(answer, p, m1_result)
    assert result.ok and words in result.message


def test_m1_big_not_key_weak_criterion_is_right_with_a_pointer(p, m1_result):
    result = m1.check_big_not_key(_big("CX-004", "margin"), p, m1_result)
    assert result.ok and "score 0 of 100" in result.message
    assert "even more points on Strategic role" in result.hint


@pytest.mark.parametrize("answer, says, hint", [
    (_big("CX-004", "revenue"), "Revenue is where", "scores lowest"),
    (_big("CX-004", "employees"), "has no weight", "weighted criteria"),
    (_big("CX-001", "margin"), "on the key list", "leaves out"),
    (_big("CX-005", "margin"), "key, not big", "table of the 9 largest"),
    (_big("CX-011", "margin"), "not among the 9 largest", "table of the 9 largest"),
    (_big("CX-006", "revenue"), "just below the cut-off", "weak on everything but"),
    (_big("none", "nothing"), "does name", "not on the list"),
])
def test_m1_big_not_key_typical_wrong_answers(p, m1_result, answer, says, hint):
    result = m1.check_big_not_key(answer, p, m1_result)
    assert result.status == "incorrect"
    assert says in result.message and hint in result.hint


def test_m1_big_not_key_says_when_a_strong_account_is_named_weak(p, m1_result):
    result = m1.check_big_not_key(_big("CX-004", "opportunities"), p, m1_result)
    assert result.status == "incorrect" and "one of its better criteria" in result.message


@pytest.mark.parametrize("answer, words", [
    (_big("CX-004", "colaboration"), '"collaboration"'),
    (_big("CX004", "margin"), '"CX-004"'),
    ({"account": "CX-004"}, "missing: because"),
    ("CX-004", "not a dictionary"),
    (_big(4, "margin"), "not text"),
])
def test_m1_big_not_key_malformed(p, m1_result, answer, words):
    result = m1.check_big_not_key(answer, p, m1_result)
    assert result.status == "invalid" and words in result.message + result.hint


def test_m1_big_not_key_none_when_the_definition_names_none(p, by_revenue):
    result = by_revenue  # revenue alone: nobody is weak "on the other criteria"
    assert result.big_not_key.empty
    assert m1.check_big_not_key(_big("none", "-"), p, result).ok
    assert m1.check_big_not_key(..., p, result).status == "not_answered"


@pytest.mark.parametrize("weights", [
    {"revenue_12m": 0.6, "revenue_3y": 0, "strategic_role": 0.2, "collaboration": 0.2},
    {"revenue_12m": 8, "strategic_role": 2},
    dict(idn.DEFAULT_WEIGHTS),
])
def test_m1_leader_weights_right(p, by_revenue, weights):
    result = m1.check_leader_weights(weights, p, by_revenue)
    assert result.ok and "every anchor stays" in result.message


@pytest.mark.parametrize("weights, says, hint", [
    ({"revenue_12m": 1}, "is not selected", "strong on Strategic role"),
    ({"revenue_12m": 0.9, "strategic_role": 0.1}, "is not selected", "your weights give"),
    ({"strategic_role": 1}, "not every anchor stayed", "keep enough weight on revenue"),
    ({"revenue_12m": 0.3, "strategic_role": 0.7}, "CX-003", "number 3 by revenue"),
    ({"margin": 1}, "is not selected", "your weights give"),
])
def test_m1_leader_weights_typical_wrong_answers(p, by_revenue, weights, says, hint):
    result = m1.check_leader_weights(weights, p, by_revenue)
    assert result.status == "incorrect"
    assert says in result.message and hint in result.hint


@pytest.mark.parametrize("weights, words", [
    ({"revenu": 1}, '"revenue_12m"'), ({"revenue_12m": -1}, "at least 0"),
    ({"revenue_12m": 0, "margin": 0}, "every weight is 0"),
    ({"revenue_12m": ..., "margin": 0.3}, "missing: revenue_12m"),
    ({"revenue_12m": "lots"}, "not a number"), ([0.5, 0.5], "not a dictionary"),
])
def test_m1_leader_weights_malformed(p, by_revenue, weights, words):
    result = m1.check_leader_weights(weights, p, by_revenue)
    assert result.status == "invalid" and words in result.message + result.hint


def test_m1_leader_weights_without_ratings_tell_the_trainer(p, by_revenue):
    other = copy.copy(p)
    other.tables = dict(p.tables)
    other.tables["accounts"] = p.accounts.assign(strategic_role=float("nan"))
    assert m1.small_market_leader(other) is None
    result = m1.check_leader_weights({"revenue_12m": 1}, other, by_revenue)
    assert result.status == "invalid" and "trainer" in result.hint


@pytest.mark.parametrize("answer, status, words", [
    (12, "correct", "4 managers"), ("12", "correct", ""), (9, "incorrect", "today's 3"),
    (4, "incorrect", "lower bound"), (8, "incorrect", "Multiply by 4"),
    (15, "incorrect", "uncontrolled"), (0, "incorrect", "nothing to manage"),
    (-2, "invalid", "at least 0"), ("twelve", "invalid", "not a number"),
])
def test_m1_cap_for_another_number_of_managers(p, answer, status, words):
    result = m1.check_cap(answer, p, key_account_managers=4)
    assert result.status == status and words in result.message + result.hint


@pytest.fixture(scope="module")
def stability(m1_result):
    return idn.weight_stability(m1_result, draws=500, seed=0)


def test_m1_depends_on_weights(p, stability):
    fragile = stability.fragile["account_id"].tolist()
    assert fragile and set(fragile) == {"CX-015", "CX-006", "CX-008"}
    assert m1.check_depends_on_weights(fragile, p, stability).ok
    assert m1.check_depends_on_weights(", ".join(reversed(fragile)), p, stability).ok
    cases = [(fragile[:1], "Right so far: 1 of 3", "on the list and off it"),
             ("CX-001", "in 100% of the draws", "more than 10%"),
             ([*fragile, "CX-150"], "not selected in any draw", "fewer than 90%"),
             ("none", "do depend", "names in red")]
    for answer, says, hint in cases:
        result = m1.check_depends_on_weights(answer, p, stability)
        assert result.status == "incorrect", answer
        assert says in result.message and hint in result.hint, answer
    for bad in ("CX-999", 3, ["CX-001", 4]):
        assert m1.check_depends_on_weights(bad, p, stability).status == "invalid"


def test_m1_depends_on_weights_none(p, m1_result):
    still = idn.weight_stability(m1_result, draws=20, spread=0.0)
    assert still.fragile.empty
    assert m1.check_depends_on_weights("none", p, still).ok
    assert m1.check_depends_on_weights(["CX-001"], p, still).status == "incorrect"


# --------------------------------------------------------------------------------------
# M2 checks

BRAMBILLA = "CX-009"
DMU = {"Andrea Colombo": ("executive", "economic buyer", "sponsor", 5),
       "Luca Greco": ("executive", "technical buyer", "anti-sponsor", 5),
       "Francesca Marino": ("middle", "gatekeeper", "neutral", 3),
       "Chiara Fontana": ("senior", "user buyer", "sponsor", 4),
       "Matteo Caruso": ("middle", "coach", "supporter", 3),
       "Elena De Luca": ("operational", "influencer", "neutral", 2)}
SWOT = {"strengths": ["Technology leader in high-speed pharma packaging",
                      "Strong export network"],
        "weaknesses": ["Many machine variants and rising engineering hours"],
        "opportunities": ["Serialisation and track-and-trace retrofits in pharma"],
        "threats": "Food customers postponing orders; interest rates"}


def test_m2_interview_note_matches_the_record(p):
    note = m2.interview_note()
    assert note == m2.interview_note(BRAMBILLA)
    contacts = p.table_for("contacts", BRAMBILLA)
    for name, title in zip(contacts["name"], contacts["title"], strict=True):
        assert name in note and title in note, name
    assert p.account(BRAMBILLA)["name"] in note
    assert "Brevi Automazione" in note  # the competitor ahead of us
    # Every recorded need and SWOT item can be found in the note (most of its words).
    for text in [*p.table_for("needs", BRAMBILLA)["need"],
                 *p.table_for("swot", BRAMBILLA)["item"]]:
        assert any(m2._similar(text, line) >= 0.5 for line in note.split(".")), text
    assert len(note.split()) < 900, "one page"
    with pytest.raises(Exception, match="CX-001"):
        m2.interview_note("CX-001")


def test_m2_dmu_right(p):
    result = m2.check_dmu(DMU, p, BRAMBILLA)
    assert result.ok and "all 6 people" in result.message and result.hint == ""
    # Influence is a judgement: one point off still matches, with a pointer.
    close = DMU | {"Francesca Marino": ("Middle management", "Gatekeeper", "Neutral", 4)}
    result = m2.check_dmu(close, p, BRAMBILLA)
    assert result.ok and "Francesca Marino" in result.hint
    with use_language("pl"):
        assert m2.check_dmu(DMU, p, BRAMBILLA).ok


@pytest.mark.parametrize("change, says, hint", [
    ({"Luca Greco": ("executive", "technical buyer", "skeptic", 5)},
     "Luca Greco (attitude)", "an anti-sponsor works against us"),
    ({"Chiara Fontana": ("senior", "user buyer", "supporter", 4)},
     "Chiara Fontana (attitude)", "more on our side"),
    ({"Elena De Luca": ("operational", "user buyer", "neutral", 2)},
     "Elena De Luca (buying role)", "uses what we sell"),
    ({"Chiara Fontana": ("executive", "user buyer", "sponsor", 4)},
     "Chiara Fontana (level)", "on the board"),
    ({"Elena De Luca": ("operational", "influencer", "neutral", 5)},
     "Elena De Luca (influence)", "give input"),
    ({"Andrea Colombo": ("executive", "economic buyer", "sponsor", 2)},
     "Andrea Colombo (influence)", "stop or push"),
])
def test_m2_dmu_typical_wrong_answers(p, change, says, hint):
    result = m2.check_dmu(DMU | change, p, BRAMBILLA)
    assert result.status == "incorrect" and "5 of 6 people" in result.message
    assert says in result.message and hint in result.hint
    recorded = p.table_for("contacts", BRAMBILLA).set_index("name")
    name = next(iter(change))
    field = says.split("(")[1].rstrip(")")
    if field == "attitude":  # the message names the field, never the recorded value
        assert recorded.at[name, "attitude"] not in result.message


def test_m2_dmu_points_at_the_anti_sponsor_first_and_at_missing_people(p):
    wrong = DMU | {"Matteo Caruso": ("middle", "influencer", "supporter", 3),
                   "Luca Greco": ("executive", "technical buyer", "neutral", 5)}
    assert m2.check_dmu(wrong, p, BRAMBILLA).hint.startswith("Luca Greco")
    partial = {k: v for k, v in DMU.items() if k != "Elena De Luca"}
    result = m2.check_dmu(partial, p, BRAMBILLA)
    assert result.status == "incorrect" and "Not in your table: Elena De Luca" in \
        result.message


@pytest.mark.parametrize("answer, words", [
    ({"Luca Greko": DMU["Luca Greco"]}, '"Luca Greco"'),
    ({"Bob": DMU["Luca Greco"]}, "the people recorded are"),
    ({"Luca Greco": ("executive", "technical buyer", "anti-sponsor")}, "four values"),
    ({"Luca Greco": ("top", "technical buyer", "anti-sponsor", 5)}, "choose one of"),
    ({"Luca Greco": ("executive", "technical buyer", "antisponser", 5)}, "anti_sponsor"),
    ({"Luca Greco": ("executive", "technical buyer", "anti-sponsor", 7)}, "from 1 to 5"),
    ({"Luca Greco": ..., "Matteo Caruso": DMU["Matteo Caruso"]}, "no answer yet: Luca"),
    ({"greco": DMU["Luca Greco"], "Luca Greco": DMU["Luca Greco"]}, "twice"),
    ("Luca Greco", "not a table of people"),
])
def test_m2_dmu_malformed(p, answer, words):
    result = m2.check_dmu(answer, p, BRAMBILLA)
    assert result.status == "invalid" and words in result.message + result.hint


def test_m2_dmu_placeholder_and_an_account_without_contacts(p):
    blank = dict.fromkeys(DMU, ...)
    assert m2.check_dmu(blank, p, BRAMBILLA).status == "not_answered"
    result = m2.check_dmu(DMU, p, "CX-011")  # the empty dossier
    assert result.status == "invalid" and "trainer" in result.hint


def test_m2_maps(p):
    from kamkit.charts import title_of

    contacts = m2.answer_contacts(DMU, p, BRAMBILLA)
    assert len(contacts) == 6 and contacts["relationship_strength"].notna().all()
    assert title_of(m2.answer_map(DMU, p, BRAMBILLA)) == "Your stakeholder map"
    for bad in (..., dict.fromkeys(DMU, ...), {"Bob": (1, 2, 3, 4)}, "x"):
        assert m2.answer_contacts(bad, p, BRAMBILLA) is None
        figure = m2.answer_map(bad, p, BRAMBILLA)
        assert "Fill in the table" in figure.axes[0].texts[0].get_text()


@pytest.mark.parametrize("account, answer, status, words", [
    (BRAMBILLA, "Luca Greco", "correct", "enough to block"),
    (BRAMBILLA, "greco", "correct", "Technical Director"),
    (BRAMBILLA, "Francesca Marino", "incorrect", "recorded as neutral"),
    (BRAMBILLA, "none", "incorrect", "works against us"),
    ("CX-010", "none", "correct", "Nobody"),
    ("CX-010", "Душан Павловић", "incorrect", "a skeptic"),
    ("CX-002", "Омаров", "correct", "Head of Procurement"),
    (BRAMBILLA, "Greko", "invalid", '"Luca Greco"'),
    (BRAMBILLA, 5, "invalid", "not text"),
    (BRAMBILLA, ..., "not_answered", ""),
])
def test_m2_anti_sponsor(p, account, answer, status, words):
    result = m2.check_anti_sponsor(answer, p, account)
    assert result.status == status and words in result.message + result.hint


@pytest.mark.parametrize("account, answer, status, words", [
    ("CX-010", "economic buyer", "correct", "signs off the money"),
    ("CX-010", "Economic_Buyer", "correct", ""),
    ("CX-010", "budget holder", "correct", ""),
    ("CX-010", "coach", "incorrect", "covered: Ана Ђорђевић"),
    ("CX-010", "gatekeeper", "incorrect", "not one of the roles"),
    ("CX-010", "none", "incorrect", "nobody in it"),
    (BRAMBILLA, "none", "correct", "Every required buying role"),
    (BRAMBILLA, "technical buyer", "incorrect", "covered: Luca Greco"),
    ("CX-010", "economic buyr", "invalid", '"economic_buyer"'),
    ("CX-010", ["coach"], "invalid", "not text"),
])
def test_m2_uncovered_role(p, account, answer, status, words):
    result = m2.check_uncovered_role(answer, p, account)
    assert result.status == status and words in result.message + result.hint


def test_m2_swot_right(p):
    result = m2.check_swot(SWOT, p, BRAMBILLA)
    assert result.ok and "all about the customer" in result.message
    assert "match what the account team recorded" in result.message
    # An account without a recorded SWOT or needs: the quadrants are still checked.
    assert m2.check_swot(SWOT, p, "CX-011").ok


@pytest.mark.parametrize("change, hint", [
    ({"threats": ["Brevi offers a complete electrical package"]}, "about Brevi Automazione"),
    ({"weaknesses": ["Our spare parts abroad are too slow"]}, "about us, a supplier"),
    ({"threats": ["Company X prices are 8% above Brevi's"]}, "about Company X"),
    ({"weaknesses": ["Spare parts for machines abroad arrive late"]}, "belongs in the needs"),
    ({"opportunities": ["Wants one supplier for the whole electrical package"]},
     "belongs in the needs"),
    ({"threats": ["Many machine variants"]}, "recorded weakness"),
    ({"weaknesses": ["Serialisation retrofits in pharma plants"]}, "recorded opportunity"),
    ({"opportunities": []}, "Opportunities: developments outside"),
    ({"threats": ""}, "Threats: developments outside"),
])
def test_m2_swot_items_that_belong_elsewhere(p, change, hint):
    result = m2.check_swot(SWOT | change, p, BRAMBILLA)
    assert result.status == "incorrect" and hint in result.hint


def test_m2_swot_reads_us_as_a_country():
    assert m2._PRONOUNS.search("Serialisation rules in the EU and US").group(0) == "US"


@pytest.mark.parametrize("answer, words", [
    ({"strenghts": ["a"], "weaknesses": [], "opportunities": [], "threats": []},
     '"strengths"'),
    (SWOT | {"threats": [3]}, "not a text"), (SWOT | {"threats": 3}, "list of texts"),
    ({"strengths": ["a"]}, "missing"), ("a SWOT", "not a dictionary"),
])
def test_m2_swot_malformed(p, answer, words):
    result = m2.check_swot(answer, p, BRAMBILLA)
    assert result.status == "invalid" and words in result.message + result.hint


def test_m2_swot_placeholder(p):
    blank = dict.fromkeys(m2.SWOT_KEYS, ...)
    assert m2.check_swot(blank, p, BRAMBILLA).status == "not_answered"


# --------------------------------------------------------------------------------------
# M3 checks

FLAWS = {"G-002-1": "T", "G-003-1": "M", "G-004-1": "S", "G-006-1": "A", "G-008-1": "T",
         "G-013-1": "R"}


def test_m3_flawed_goals_are_the_six_of_the_case(p):
    table = m3.flawed_goals(p)
    assert table["goal_id"].tolist() == sorted(FLAWS)
    assert table.columns.tolist() == ["goal_id", "account_id", "name", "goal", "linked_to"]
    from kamkit.data.portfolio import from_frames

    bare = from_frames({"accounts": p.accounts, "transactions": p.transactions},
                       {"currency": "EUR", "as_of": "2026-06-30"})
    assert m3.flawed_goals(bare).empty
    result = m3.check_flaws({"G-008-1": "T"}, bare)
    assert result.status == "invalid" and "trainer" in result.hint


def test_m3_flaws(p):
    assert m3.check_flaws(FLAWS, p).ok
    assert m3.check_flaws({"G-004-1": "measurable", "G-008-1": "Time-bound"}, p).ok
    cases = [({"G-004-1": "R"}, "R passes"), ({"G-003-1": "A"}, "cannot be judged yet"),
             ({"G-001-1": "S"}, "this goal is SMART")]
    for answer, hint in cases:
        result = m3.check_flaws(answer, p)
        assert result.status == "incorrect" and hint in result.hint, answer
    result = m3.check_flaws(FLAWS | {"G-013-1": "T"}, p)
    assert "5 of 6 right; look again at G-013-1" in result.message
    for bad, words in [({"G-0081": "T"}, '"G-008-1"'), ({"G-008-1": "Q"}, "choose one of"),
                       ({"G-008-1": ..., "G-006-1": "A"}, "missing: G-008-1"),
                       ("T", "not a dictionary")]:
        result = m3.check_flaws(bad, p)
        assert result.status == "invalid" and words in result.message + result.hint, bad
    assert m3.check_flaws(dict.fromkeys(FLAWS, ...), p).status == "not_answered"


@pytest.mark.parametrize("goal_id, text, link, status, words", [
    ("G-003-1", "+10% spare-parts revenue at ZAŚ by 2027-03-31", None, "correct", ""),
    ("G-006-1", "+180% power-supply revenue by 2027-06-30", None, "correct", ""),
    ("G-006-1", "+50% power-supply revenue by 2027-06-30", None, "correct",
     "Trivially easy"),
    ("G-003-1", "+10% sensor revenue at ZAŚ by 2027-03-31", None, "correct",
     "about spare parts, yours about sensors"),
    ("G-003-1", "Grow spare-parts revenue at ZAŚ", None, "incorrect",
     "as the plan writes it"),
    ("G-003-1", "Grow spare-parts revenue at ZAŚ by 2027-03-31", None, "incorrect",
     "M: No numbers"),
    ("G-006-1", "+300% power-supply revenue by 2026-08-31", None, "incorrect",
     "Ask for less, or give it more time"),
    ("G-003-1", "+10% spare-parts revenue by 2028-12-31", None, "incorrect",
     "beyond the plan horizon"),
    ("G-003-1", "+10% spare-parts revenue by 2026-03-31", None, "incorrect",
     "has passed"),
    ("G-003-1", "+10% spare-parts revenue by 2027-03-31", "N-001-01", "incorrect",
     "belongs to account CX-001"),
    ("G-013-1", "+10% sensor revenue by 2027-03-31", ..., "incorrect",
     "Give the id of the need"),
    ("G-013-1", "+10% sensor revenue by 2027-03-31", "O-013-01", "correct", ""),
    ("G-003-1", "", None, "invalid", "empty"),
    ("G-003-1", 10, None, "invalid", "not text"),
    ("G-003-1", ..., None, "not_answered", ""),
])
def test_m3_rewrite(p, goal_id, text, link, status, words):
    result = m3.check_rewrite(text, p, goal_id, link)
    assert result.status == status
    assert words in result.message + result.hint


def test_m3_rewrite_of_an_unknown_goal_is_the_notebook_s_error(p):
    with pytest.raises(ParameterError):
        m3.check_rewrite("+10% sensor revenue by 2027-03-31", p, "G-999-9")


def test_m3_department_rule_agrees_with_the_recorded_plans(p):
    actions = p.actions
    agree = sum(department in m3.departments_for(action)[0]
                for action, department in zip(actions["action"], actions["department"],
                                              strict=True))
    assert agree >= 0.95 * len(actions)
    # Spare-part availability never goes to sales.
    for action in actions["action"]:
        if re.search(r"\b(stock|warehouse|buffer|consignment)\b", action, re.I):
            assert "sales" not in m3.departments_for(action)[0], action
    assert m3.departments_for("Write the annual report")[0] == m3.DEPARTMENTS


DEPARTMENTS = {"A1": "logistics", "A2": "production", "A3": "sales", "A4": "service",
               "A5": "finance", "A6": "engineering", "A7": "marketing"}


def test_m3_departments(p):
    assert m3.check_departments(DEPARTMENTS).ok
    assert m3.check_departments(DEPARTMENTS | {"A1": "Warehouse", "A5": "sales",
                                               "A6": "R&D"}).ok
    result = m3.check_departments(DEPARTMENTS | {"A1": "sales"})
    assert result.status == "incorrect" and "look again at A1" in result.message
    assert "Sales can promise availability" in result.hint
    everything = dict.fromkeys(DEPARTMENTS, "production")
    result = m3.check_departments(everything)
    assert "production carries 100%" in result.message
    assert result.hint.startswith("A3 (production)")
    result = m3.check_departments(DEPARTMENTS | {"A7": "logistics"})
    assert "marketing's work" in result.hint
    for bad, words in [(DEPARTMENTS | {"A2": "purchasing"}, "A2:"),
                       ({"A1": "logistics"}, "missing"), ("logistics", "not a dictionary")]:
        result = m3.check_departments(bad)
        assert result.status == "invalid" and words in result.message + result.hint
    assert m3.check_departments(dict.fromkeys(DEPARTMENTS, ...)).status == "not_answered"
    assert m3.proposed_actions()["action_id"].tolist() == list(DEPARTMENTS)


@pytest.mark.parametrize("text, link, status, words", [
    ("Keep our share of wallet at 28% or more against Brevi through 2027-06-30",
     "N-009-01", "correct", "against Brevi Automazione"),
    ("Deliver 95% of spare parts for machines abroad within 72 hours (from 60%) by "
     "2027-03-31", "N-009-01", "correct", "pain point"),
    ("Raise the after-sales team's satisfaction from 3 to 4 by 2027-03-31", "N-009-01",
     "correct", "Satisfaction"),
    ("+20% sensor revenue by 2027-06-30", "N-009-01", "incorrect",
     "only because it is linked to a pain point"),
    ("Win EUR 100,000 of display revenue by 2027-06-30", "O-009-01", "incorrect",
     "This goal is expand"),
    ("Keep our share of wallet at 28% or more against Brevi through 2027-06-30", ...,
     "incorrect", "R: Not linked"),
    ("Keep our share of wallet", "N-009-01", "incorrect", "not SMART yet: fix M, T"),
    ("Defend the account", None, "incorrect", "S: No metric"),
    ("", None, "invalid", "empty"),
    (..., "N-009-01", "not_answered", ""),
])
def test_m3_protect_goal(p, text, link, status, words):
    result = m3.check_protect_goal(text, p, "CX-009", link)
    assert result.status == status and words in result.message + result.hint


def test_m3_protect_goal_where_no_competitor_is_strong(p):
    assert plan_strong_competitors(p, "CX-014").empty
    result = m3.check_protect_goal("Keep our share of wallet at 50% or more through "
                                   "2027-06-30", p, "CX-014", "N-014-02")
    assert result.ok and "does not ask for one" in result.hint


def plan_strong_competitors(p, account_id):
    from kamkit.plan.account_plan import strong_competitors

    return strong_competitors(p, account_id)


# --------------------------------------------------------------------------------------
# M4 checks


@pytest.fixture(scope="module")
def brambilla(p):
    from kamkit.evaluation.measures import evaluate

    return evaluate(p, "CX-009")


@pytest.fixture(scope="module")
def cycle(p):
    from kamkit.review.portfolio import portfolio_review

    return portfolio_review(p)


@pytest.mark.parametrize("answer, status, words", [
    (0.8 / 0.3, "correct", "Right: 2.667"),
    (2.667, "correct", "Right"),
    (2.7, "correct", "Close enough"),
    (0.2 / (1.1 - 0.2), "incorrect", "1 − r = 0.2"),
    (4, "incorrect", "without discounting"),
    (5, "incorrect", "number of years the customer stays"),
    (1 / 0.3, "incorrect", "The r above the line is missing"),
    (0.8 / 1.9, "incorrect", "r is subtracted"),
    (266.7, "incorrect", "not a percentage"),
    (-0.5, "incorrect", "below 0"),
    (3.5, "incorrect", "The formula is r / (1 + i − r)"),
    ("2,667", "correct", "Right"),   # a decimal comma is read
    ([2.667], "invalid", ""),
    ("abc", "invalid", "not a number"),
    (..., "not_answered", ""),
])
def test_m4_margin_multiple(answer, status, words):
    result = m4.check_margin_multiple(answer, 0.8, 0.10)
    assert result.status == status and words in result.message + result.hint


def test_m4_margin_multiple_with_growth_and_bad_assumptions():
    assert m4.check_margin_multiple(0.8 / (1.1 - 0.84), 0.8, 0.10, 0.05).ok
    assert not m4.check_margin_multiple(0.8 / 0.3, 0.8, 0.10, 0.05).ok
    with pytest.raises(ParameterError):
        m4.check_margin_multiple(2.0, 1.5, 0.10)
    with pytest.raises(ParameterError):
        m4.check_margin_multiple(2.0, 0.8, 0.10, 0.40)


def test_m4_growth_table_and_limit():
    table = m4.growth_table(0.8, 0.10)
    assert table.columns.tolist() == ["margin_growth", "kept_factor", "clv_multiple",
                                      "model_says"]
    refused = table[table["clv_multiple"].isna()]
    assert refused["margin_growth"].tolist() == [0.40]
    assert refused["model_says"].iloc[0].startswith("refused: r(1 + g) = 1.12")
    assert table["clv_multiple"].dropna().is_monotonic_increasing
    assert m4.growth_limit(0.8, 0.10) == 0.375
    assert m4.refusal_text(0.8, 0.10, 0.375) and not m4.refusal_text(0.8, 0.10, 0.374)
    with pytest.raises(ParameterError):
        m4.growth_limit(0.0, 0.10)
    with pytest.raises(ParameterError):
        m4.growth_limit(0.8, -0.5)


@pytest.mark.parametrize("answer, status, words", [
    (1.1 / 0.8 - 1, "correct", "Right: from g = 0.375"),
    (0.37, "correct", "Right"),
    (37.5, "incorrect", "Write the growth as a fraction"),
    (0.10, "incorrect", "Growth equal to the discount rate is not enough"),
    (0.25, "incorrect", "you left out the discount rate"),
    (0.2, "incorrect", "Look higher"),
    (0.5, "incorrect", "already refuses"),
    (-1, "invalid", "100% or more"),
    ("fast", "invalid", "not a number"),
    (..., "not_answered", ""),
])
def test_m4_growth_limit(answer, status, words):
    result = m4.check_growth_limit(answer, 0.8, 0.10)
    assert result.status == status and words in result.message + result.hint


def _scenario(r, i, g):
    return {"retention": r, "discount_rate": i, "margin_growth": g}


@pytest.mark.parametrize("answer, status, words", [
    (_scenario(0.85, 0.10, 0.0), "correct", "about the same as the Expected scenario"),
    (_scenario(0.8, 0.1, -0.03), "correct", "between the Pessimistic"),
    (_scenario(0.6, 0.12, -0.05), "correct", "below the Pessimistic"),
    (_scenario(0.95, 0.10, 0.03), "correct", "revenue fell by 9.0%"),
    (_scenario(0.95, 0.10, 0.0), "correct", "above the optimistic scenario's 92%"),
    (_scenario(1, 0.10, 0.0), "incorrect", "never leaves"),
    (_scenario(0.8, 0, 0.0), "incorrect", "cost of capital"),
    (_scenario(0.95, 0.10, 0.2), "incorrect", "The model refuses"),
    (_scenario(85, 0.10, 0.0), "invalid", "85% is 0.85"),
    (_scenario(1.2, 0.10, 0.0), "invalid", "cannot be above 1"),
    (_scenario(-0.2, 0.10, 0.0), "invalid", "not a probability"),
    (_scenario(0.8, 10, 0.0), "invalid", "10% is 0.1"),
    (_scenario(0.8, 2000, 0.0), "invalid", "outside 0 to 1"),
    (_scenario(0.8, 0.1, 3), "invalid", "Margin growth is a fraction"),
    (_scenario(0.8, 0.1, -1), "invalid", "100% or more"),
    ({"retention": 0.8, "discount_rate": 0.1}, "invalid", "missing"),
    ({"retention": 0.8, "discount_rate": 0.1, "margin_growth": ...}, "invalid", "missing"),
    (0.8, "invalid", "not a dictionary"),
    (_scenario(..., ..., ...), "not_answered", ""),
])
def test_m4_scenario(brambilla, answer, status, words):
    result = m4.check_scenario(answer, brambilla)
    assert result.status == status, result
    assert words in result.message + result.hint, result


def test_m4_scenario_of_an_account_without_margin(brambilla):
    import dataclasses

    empty = dataclasses.replace(brambilla, annual_margin=0.0)
    result = m4.check_scenario(_scenario(0.8, 0.1, 0.0), empty)
    assert result.status == "invalid" and "trainer" in result.hint


@pytest.mark.parametrize("answer, status, words", [
    ("revenue_growth", "correct", "by 3.7 points"),
    ("Revenue growth", "correct", "Net revenue"),
    ("revenue", "correct", ""),
    ("nps", "incorrect", "has the lowest score"),
    ("share of wallet", "incorrect", "another component pulls harder"),
    ("plan attainment", "incorrect", "another component pulls harder"),
    ("satisfaction", "incorrect", "lifts the score"),
    ("actions", "incorrect", "not scored"),
    ("none", "incorrect", "Something does pull"),
    ("price", "invalid", "choose one of"),
    (3, "invalid", ""),
    (..., "not_answered", ""),
])
def test_m4_main_drag(brambilla, answer, status, words):
    assert m4.main_drag(brambilla.health) == "revenue_growth"
    result = m4.check_main_drag(answer, brambilla)
    assert result.status == status and words in result.message + result.hint, result


def test_m4_main_drag_in_every_kit_language(brambilla):
    from kamkit.data.labels import value_label

    for language in ("fa", "pl", "ru"):
        with use_language(language):
            label = value_label("revenue_growth")
            assert m4.check_main_drag(label, brambilla).ok, language


def test_m4_main_drag_when_nothing_pulls_down(brambilla):
    from types import SimpleNamespace

    from kamkit.evaluation.measures import health_score

    healthy = SimpleNamespace(health=health_score({"satisfaction": 4.5, "nps": 60}),
                              name="Healthy Ltd")
    assert m4.main_drag(healthy.health) is None
    assert m4.check_main_drag("none", healthy).ok
    result = m4.check_main_drag("satisfaction", healthy)
    assert result.status == "incorrect" and "nothing does" in result.message


def test_m4_band_weights(brambilla):
    from kamkit.evaluation.measures import DEFAULT_HEALTH_WEIGHTS

    result = m4.check_band_weights(DEFAULT_HEALTH_WEIGHTS | {"satisfaction": 0.30,
                                                             "revenue_growth": 0.05}, brambilla)
    assert result.ok and "(Amber) instead of 43.9 (Red)" in result.message
    assert "agreed once" in result.hint
    cases = [(DEFAULT_HEALTH_WEIGHTS, "move the sliders first"),
             ({k: 2 * w for k, w in DEFAULT_HEALTH_WEIGHTS.items()}, "move the sliders first"),
             (DEFAULT_HEALTH_WEIGHTS | {"action_delivery": 0.5}, "no evidence"),
             ({"revenue_growth": 1}, "scores best on Depth of relationship"),
             ({"action_delivery": 1}, "without evidence")]
    for answer, words in cases:
        result = m4.check_band_weights(answer, brambilla)
        assert result.status == "incorrect" and words in result.message + result.hint, answer
    for bad, words in [({"nps": 0}, "every weight is 0"), ({"foo": 1}, "not a component"),
                       ({"nsp": 1}, '"nps"'), ({"nps": -1}, "at least 0"),
                       ({"nps": "x"}, "nps:"), ({"nps": ..., "satisfaction": 1}, "missing"),
                       ("satisfaction", "not a dictionary")]:
        result = m4.check_band_weights(bad, brambilla)
        assert result.status == "invalid" and words in result.message + result.hint, bad
    assert m4.check_band_weights(dict.fromkeys(DEFAULT_HEALTH_WEIGHTS, ...),
                                 brambilla).status == "not_answered"


def test_m4_band_weights_where_no_weights_change_the_band(brambilla):
    result = m4.check_band_weights({"satisfaction": 1}, brambilla,
                                   bands={"amber": 80.0, "green": 90.0})
    assert result.status == "invalid" and "no weights take it out" in result.message


DECISIONS = {"CX-001": "no change", "CX-002": "intervene", "CX-006": "promote",
             "CX-008": "demote", "CX-009": ["rebalance", "intervene"], "CX-013": "no change"}


@pytest.mark.slow
def test_m4_review_facts(p, cycle):
    facts = m4.review_facts(cycle, p).set_index("account_id")
    assert set(DECISIONS) <= set(facts.index)
    assert facts.at["CX-006", "group"] == "potential_key"
    assert facts.at["CX-008", "change"] == "left"
    assert facts.at["CX-009", "health_band"] == "red"
    assert facts.at["CX-009", "owner_key_accounts"] == 4
    assert "kind" not in facts.columns and "recommendation" not in facts.columns


@pytest.mark.slow
def test_m4_next_cycle(p, cycle):
    result = m4.check_next_cycle(DECISIONS, p, cycle)
    assert result.ok and "hand CX-009 to Jonas Becker" in result.message
    assert result.message.count("\n") == len(DECISIONS) + 1   # CX-009 twice
    # One of two recommendations is right; the other is named in the hint.
    result = m4.check_next_cycle(DECISIONS | {"CX-009": "intervene"}, p, cycle)
    assert result.ok and "also recommends rebalance" in result.hint
    # Names and labels count as well as ids and codes.
    assert m4.check_next_cycle({"Voltra": "Promote", "cx-001": "keep"}, p, cycle).ok
    assert m4.check_next_cycle({"CX-001": [], "CX-006": ["promote"]}, p, cycle).ok


@pytest.mark.parametrize("change, words", [
    ({"CX-009": "demote"}, "Red health is a reason to intervene"),
    ({"CX-002": "demote"}, "still selects"),
    ({"CX-001": "promote"}, "a key account already"),
    ({"CX-013": "rebalance"}, "the review hands over CX-009"),
    ({"CX-002": "rebalance"}, "within what the method allows"),
    ({"CX-006": "intervene"}, "not a key account with a health score"),
    ({"CX-006": "rebalance"}, "not a key account: no manager"),
    ({"CX-001": "intervene"}, "fell by 10 points or more"),
    ({"CX-008": "no change"}, "The review recommends: Demote"),
    ({"CX-008": "promote"}, "left the list"),
    ({"CX-006": "demote"}, "nothing to demote"),
])
@pytest.mark.slow
def test_m4_next_cycle_wrong_decisions(p, cycle, change, words):
    result = m4.check_next_cycle(DECISIONS | change, p, cycle)
    account = next(iter(change))
    assert result.status == "incorrect"
    assert f"5 of 6 match the review; look again at {account}" in result.message
    assert result.hint.startswith(account) and words in result.hint, result.hint


@pytest.mark.parametrize("bad, words", [
    ({"CX-999": "promote"}, "no account 'CX-999'"),
    ({"CX-001": "sack"}, "CX-001: 'sack' is not a recommendation"),
    ({"Brambilla": "intervene", "CX-009": "rebalance"}, "named twice"),
    (DECISIONS | {"CX-002": ...}, "missing: CX-002"),
    ({}, "empty"),
    ("promote", "not a dictionary"),
])
@pytest.mark.slow
def test_m4_next_cycle_bad_answers(p, cycle, bad, words):
    result = m4.check_next_cycle(bad, p, cycle)
    assert result.status == "invalid" and words in result.message + result.hint


@pytest.mark.slow
def test_m4_next_cycle_not_answered(p, cycle):
    assert m4.check_next_cycle(dict.fromkeys(DECISIONS, ...), p, cycle).status == "not_answered"


def test_m4_health_weight_panel(brambilla):
    from kamkit.evaluation.measures import DEFAULT_HEALTH_WEIGHTS
    from kamkit.widgets.evaluation import health_state, health_weight_panel

    state = health_state(brambilla, DEFAULT_HEALTH_WEIGHTS)
    assert state.band == "red" and "43.9 (Red)" in state.message
    assert "Pulls the score down most: Revenue growth" in state.message
    assert "Not scored (no evidence): Actions on time" in state.message
    bad = health_state(brambilla, {"nps": 0.0})
    assert bad.band is None and bad.components.empty and "above 0" in bad.message
    panel = health_weight_panel(brambilla)
    assert panel.weights() == pytest.approx(DEFAULT_HEALTH_WEIGHTS)
    panel.sliders["satisfaction"].value = 0.3
    panel.sliders["revenue_growth"].value = 0.05
    assert panel.state.band == "amber" and panel.weights()["satisfaction"] == 0.3
    assert m4.check_band_weights(panel.weights(), brambilla).ok
    for slider in panel.sliders.values():
        slider.value = 0.0
    assert panel.state.band is None and "above 0" in panel.summary()
    first = health_weight_panel(brambilla)._repr_mimebundle_()
    second = health_weight_panel(brambilla)._repr_mimebundle_()
    assert first["text/plain"] == second["text/plain"] == repr(health_weight_panel(brambilla))
    assert first["text/html"] == second["text/html"]
    assert "kamkit-health-weights" in first["text/html"]
    assert not re.search(r" at 0x[0-9a-f]+", first["text/plain"])


# --------------------------------------------------------------------------------------
# Widgets: plain logic, deterministic text


def test_quiz_widget_answers_and_scores():
    w = widgets.quiz(m0.QUIZ)
    q = m0.QUIZ[0]
    w.buttons[q.key].value = "a"            # what a click does
    assert w.answers == {q.key: "a"} and "kamkit-check-incorrect" in w.feedback[q.key].value
    w.answer(q.key, q.answer)
    assert w.buttons[q.key].value == q.answer and "1 of 6 right" in w.total.value
    w.answer(q.key, None)
    assert w.answers == {} and w.feedback[q.key].value == ""


def test_ladder_form_follows_the_sliders(p):
    form = widgets.ladder_form(p, "CX-004")
    assert "your view: higher" in form.result.value
    form.sliders["price_focus"].value = 5
    form.sliders["loyalty"].value = 1
    assert form.assessment.step == "commodity_broker"
    assert "your view: the same step" in form.result.value
    with pytest.raises(ParameterError):
        widgets.ladder_form(answers={"loyalty": 9})


@pytest.mark.parametrize("make", [lambda p: widgets.quiz(m0.QUIZ),
                                  lambda p: widgets.ladder_form(p, "CX-009")])
def test_widgets_show_a_deterministic_static_form(p, make):
    first, second = make(p)._repr_mimebundle_(), make(p)._repr_mimebundle_()
    assert first["text/plain"] == second["text/plain"]
    assert first["text/html"] == second["text/html"]
    assert not re.search(r" at 0x[0-9a-f]+", first["text/plain"])
    assert "application/vnd.jupyter.widget-view+json" in first


# --------------------------------------------------------------------------------------
# Editions from one source


def test_strip_keeps_names_and_blanks_values():
    source = ('x = 1\n### BEGIN SOLUTION\na = "CX-004"  # the price buyer\nb: int = 9\n'
              'print(a)\n### END SOLUTION\ncheck(a)')
    assert editions.strip_solutions(source) == (
        "x = 1\na = ...  # your answer here\nb = ...\ncheck(a)")
    assert editions.strip_solutions("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION") == (
        "# your answer here")
    md = "Q?\n<!-- BEGIN SOLUTION -->\nThe answer.\n<!-- END SOLUTION -->\nMore."
    assert editions.strip_solutions(md, "markdown") == (
        "Q?\n*Your answer here (double-click to edit).*\nMore.")


@pytest.mark.parametrize("source, cell_type, words", [
    ("### BEGIN SOLUTION\nx = 1", "code", "never closed"),
    ("x = 1\n### END SOLUTION", "code", "without a start"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "code", "inside another"),
    ("<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->", "code", "belongs in a Markdown"),
    ("### BEGIN SOLUTION\nx\n### END SOLUTION", "markdown", "belongs in a code")])
def test_broken_markers_are_named(source, cell_type, words):
    with pytest.raises(EditionError, match=words):
        editions.strip_solutions(source, cell_type)


def test_set_parameters_keeps_comments_and_order():
    nb = nbformat.read(str(NOTEBOOKS["M0"]), as_version=4)
    editions.set_parameters(nb, {"language": "fa", "portfolio": "datasets/x", "extra": 1})
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert cell.source.splitlines() == [
        "portfolio = 'datasets/x'  # the case study; a folder or an .xlsx workbook",
        "language = 'fa'  # en, fa, pl or ru", "extra = 1"]


def _all_text(nb) -> str:
    return json.dumps(nb, ensure_ascii=False)


@pytest.mark.parametrize("code", sorted(NOTEBOOKS))
def test_participant_edition_has_no_solution_and_no_instructor_cell(code):
    trainer = nbformat.read(str(NOTEBOOKS[code]), as_version=4)
    solutions = editions.solution_lines(trainer)
    assert solutions, "every module has exercises"
    participant = editions.participant_notebook(trainer)
    text = "\n".join(c.source for c in participant.cells)
    for line in solutions:
        assert line not in text, line
    assert "BEGIN SOLUTION" not in _all_text(participant)
    assert not any("instructor" in c.metadata.get("tags", []) for c in participant.cells)
    assert all(not c.get("outputs") for c in participant.cells)
    assert len(editions.code_exercises(participant)) == 0
    assert "your answer here" in text.lower()
    assert trainer == nbformat.read(str(NOTEBOOKS[code]), as_version=4)  # unchanged


@pytest.fixture(scope="module")
def executed():
    """Each module's participant edition, run top to bottom with its exercises open."""
    return {code: editions.execute(editions.participant_notebook(
        nbformat.read(str(path), as_version=4)), path.parent)
        for code, path in NOTEBOOKS.items()}


def _text_outputs(cell) -> list[str]:
    return [o.get("data", {}).get("text/plain", o.get("text", "")) for o in cell.outputs]


@pytest.mark.slow
@pytest.mark.parametrize("code", sorted(NOTEBOOKS))
def test_participant_edition_runs_and_checks_say_not_answered(executed, code):
    nb = executed[code]
    trainer = nbformat.read(str(NOTEBOOKS[code]), as_version=4)
    learner = [c for c in trainer.cells if "instructor" not in c.metadata.get("tags", [])]
    first = editions.exercise_cells(editions.participant_notebook(trainer))  # none left
    assert first == []
    # Up to the first exercise, the participant sees what the trainer's notebook shows.
    first_exercise = editions.exercise_cells(trainer)[0]
    before = [c for c in trainer.cells[:first_exercise] if c in learner]
    for theirs, ours in zip(nb.cells, before, strict=False):
        if ours.cell_type == "code":
            assert _text_outputs(theirs) == _text_outputs(ours)
    # Every cell ran, without an error; each self-check says "not answered yet".
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None
            assert all(o.output_type != "error" for o in cell.outputs)
    checks_out = [t for c in nb.cells if c.cell_type == "code" and "check_" in c.source
                  for t in _text_outputs(c)]
    assert checks_out and all(t.startswith("… Not answered yet") for t in checks_out)
    solutions = [line for line in editions.solution_lines(trainer) if len(line) > 3]
    text = _all_text(nb)
    for line in solutions:
        assert line not in text, line
    page = editions.html_page(nb)
    for line in solutions:
        assert line.replace('"', "&quot;") not in page and line not in page, line


def test_handout_folder(tmp_path):
    out = tmp_path / "handout"
    assert editions.build_handout(out, language="pl") == out
    names = sorted(x.name for x in out.iterdir())
    assert names == sorted(["README.md", "datasets", *[p.name for p in NOTEBOOKS.values()]])
    assert (out / "datasets" / "company_x" / "accounts.csv").is_file()
    for path in NOTEBOOKS.values():
        params = read_parameters(out / path.name)
        assert params["portfolio"] == "datasets/company_x" and params["language"] == "pl"
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "M0" in readme and "M5" in readme and "html/index.html" not in readme
    # Never overwritten unless forced; nothing left behind either way.
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(ParameterError, match="already exists"):
        editions.build_handout(out)
    assert (out / "mine.txt").exists()
    editions.build_handout(out, force=True)
    assert not (out / "mine.txt").exists()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["handout"]


def test_a_failed_build_leaves_nothing(tmp_path):
    root = tmp_path / "notebooks"
    root.mkdir()
    nb = nbformat.read(str(NOTEBOOKS["M0"]), as_version=4)
    nb.cells[-1].source += "\n<!-- BEGIN SOLUTION -->"
    nbformat.write(nb, str(root / NOTEBOOKS["M0"].name))
    with pytest.raises(EditionError, match="cell"):
        editions.build_handout(tmp_path / "out", root=root)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["notebooks"]


@pytest.mark.slow
def test_trainer_html_edition_opens_offline(tmp_path):
    out = editions.build_html(tmp_path / "html", edition="trainer")
    pages = sorted(x.name for x in out.iterdir())
    assert pages == sorted([f"{p.stem}.html" for p in NOTEBOOKS.values()] + ["index.html"])
    for name in pages:
        page = (out / name).read_text(encoding="utf-8")
        assert not re.search(r'(?:src|href)="https?://', page), name
        assert "<script" not in page or name != "index.html"
    m0_page = (out / NOTEBOOKS["M0"].with_suffix(".html").name).read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" in m0_page and "Instructor note" in m0_page
    assert "kamkit-quiz-static" in m0_page      # the quiz's static form
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="M5_perception_ladder.html"' in index
    with pytest.raises(ParameterError):
        editions.build_html(tmp_path / "x", edition="teacher")


# --------------------------------------------------------------------------------------
# Episodes, agenda, trainer guide, command line


@pytest.mark.parametrize("code", sorted(NOTEBOOKS))
def test_modules_follow_the_episode_template(code):
    assert modules.episode_problems(NOTEBOOKS[code]) == []


def test_episode_check_names_what_is_missing(tmp_path):
    nb = nbformat.read(str(NOTEBOOKS["M5"]), as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("45 min", "50 min").replace(
        "Objectives", "Aims")
    nb.cells = [c for c in nb.cells if "BEGIN SOLUTION" not in c.source][:-1]
    path = tmp_path / NOTEBOOKS["M5"].name
    nbformat.write(nb, str(path))
    problems = "\n".join(modules.episode_problems(path))
    for words in ("'Objectives'", "Timing says 50", "Key points", "no exercise"):
        assert words in problems


def test_modules_exist_and_agenda_fills_the_day():
    assert {"M0", "M1", "M2", "M3", "M4", "M5"} <= set(NOTEBOOKS)
    day = modules.agenda()
    assert day["minutes"].sum() == 8 * 60 + 15
    assert [m.code for m in modules.MODULES] == ["M0", "M1", "M2", "M3", "M4", "M5"]


def test_trainer_guide_holds_the_agenda_and_is_linked():
    guide = (ROOT / "docs" / "trainer-guide.md").read_text(encoding="utf-8")
    assert modules.agenda_markdown() in guide, "paste `kamkit workshop agenda` into the guide"
    assert "docs/trainer-guide.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("kamkit workshop build", "kamkit workshop html", "kamkit validate"):
        assert command in guide


def test_cli_workshop(tmp_path, capsys):
    assert main(["workshop", "agenda"]) == 0
    assert "M5 — The perception ladder" in capsys.readouterr().out
    (tmp_path / "out").mkdir()
    assert main(["workshop", "build", "--out", str(tmp_path / "out")]) == 2
    assert "--force" in capsys.readouterr().err


def test_present_labels_for_new_columns():

    for column in ("assessed_step", "step_gap", "ladder_move", "because", "data_says",
                   "revenue_rank", "revenue_share", "start_time", "right_answer", "question",
                   "suggested"):
        assert column in labels._FIELDS, column
    assert isinstance(ladder.assess(dict.fromkeys(ladder.QUESTIONS, 3)).moves_table(),
                      pd.DataFrame)
