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

from kamkit import ladder
from kamkit.cli import main
from kamkit.exceptions import EditionError, ParameterError
from kamkit.i18n import use_language
from kamkit.notebooks import read_parameters
from kamkit.synth import company_x
from kamkit.workshop import checks, editions, m0, m5, modules, quiz, widgets
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
    from kamkit.present import value_label

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


def test_both_modules_exist_and_agenda_fills_the_day():
    assert {"M0", "M5"} <= set(NOTEBOOKS)
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
    from kamkit import present

    for column in ("assessed_step", "step_gap", "ladder_move", "because", "data_says",
                   "revenue_rank", "revenue_share", "start_time", "right_answer", "question",
                   "suggested"):
        assert column in present._FIELDS, column
    assert isinstance(ladder.assess(dict.fromkeys(ladder.QUESTIONS, 3)).moves_table(),
                      pd.DataFrame)
