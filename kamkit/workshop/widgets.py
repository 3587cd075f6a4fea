"""ipywidgets front ends of the workshop: the quiz and the perception-ladder form.

Widgets only wire controls to plain kamkit functions that tests call without a
browser: the quiz to :func:`kamkit.workshop.quiz.check_answer` and
:func:`~kamkit.workshop.quiz.score`, the ladder form to :func:`kamkit.plan.ladder.assess`
and :func:`ladder_text`.

What a notebook stores
----------------------
Besides the live view, every widget here displays a *static form*: ``text/plain`` (a
deterministic summary, what nbval compares) and ``text/html`` (the questions or the
form as a page shows them). ``kamkit.run.notebooks`` drops the live view's random model id
from committed notebooks, so a notebook opened before it runs, and its static HTML
edition, show the static form; running the notebook in JupyterLab brings the controls.
"""

from __future__ import annotations

import html as _html
from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from kamkit.data.portfolio import Portfolio
from kamkit.plan import ladder
from kamkit.text.i18n import _, get_language, text_direction
from kamkit.widgets import StaticForm, lines_html
from kamkit.workshop.checks import CheckResult
from kamkit.workshop.quiz import Question, check_answer, score

__all__ = ["QuizWidget", "quiz", "LadderForm", "ladder_form", "ladder_text"]

_WIDE = widgets.Layout(width="100%")


def _page(inner: str, css_class: str) -> str:
    return (f'<div class="{css_class}" dir="{text_direction()}" lang="{get_language()}">'
            f"{inner}</div>")


class QuizWidget(StaticForm, widgets.VBox):
    """Radio buttons per question; each choice is answered at once with its feedback.

    Attributes
    ----------
    answers : dict
        Question key -> the letter chosen.
    """

    def __init__(self, questions: Sequence[Question]) -> None:
        self.questions = tuple(questions)
        self.answers: dict[str, str] = {}
        self.buttons: dict[str, widgets.RadioButtons] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.total = widgets.HTML(layout=_WIDE)
        self.total.add_class("kamkit-quiz-score")
        children: list[widgets.Widget] = []
        for i, q in enumerate(self.questions, 1):
            prompt = widgets.HTML(f"<strong>{i}. {_html.escape(_(q.prompt))}</strong>",
                                  layout=_WIDE)
            buttons = widgets.RadioButtons(
                options=[(f"{letter}) {_(o.text)}", letter)
                         for letter, o in zip(q.letters, q.options, strict=True)],
                value=None, layout=_WIDE)
            feedback = widgets.HTML(layout=_WIDE)
            feedback.add_class("kamkit-quiz-feedback")
            buttons.observe(lambda change, key=q.key: self.answer(key, change["new"]),
                            names="value")
            self.buttons[q.key], self.feedback[q.key] = buttons, feedback
            children += [prompt, buttons, feedback]
        super().__init__([*children, self.total])
        self.add_class("kamkit-quiz")
        self._update_total()

    def answer(self, key: str, letter: str | None) -> CheckResult:
        """Record an answer (what a click does) and show its feedback."""
        question = next(q for q in self.questions if q.key == key)
        if letter is None:
            self.answers.pop(key, None)
        else:
            self.answers[key] = letter
        result = check_answer(question, letter)
        self.feedback[key].value = result._repr_html_() if letter is not None else ""
        if self.buttons[key].value != letter:
            self.buttons[key].value = letter
        self._update_total()
        return result

    def _update_total(self) -> None:
        self.total.value = _page(_html.escape(_("Score: {score}").format(
            score=score(self.questions, self.answers))), "kamkit-quiz-total")

    def static_text(self) -> str:
        """The questions and options as text (no answers)."""
        lines = [_("Quiz: {n} questions. Run the notebook to answer them.").format(
            n=len(self.questions))]
        for i, q in enumerate(self.questions, 1):
            lines.append(f"{i}. {_(q.prompt)}")
            lines += [f"   {letter}) {_(o.text)}"
                      for letter, o in zip(q.letters, q.options, strict=True)]
        return "\n".join(lines)

    def static_html(self) -> str:
        """The questions and options as an HTML list (no answers)."""
        items = []
        for q in self.questions:
            options = "".join(f"<li>{_html.escape(_(o.text))}</li>" for o in q.options)
            items.append(f"<li><strong>{_html.escape(_(q.prompt))}</strong>"
                         f'<ol type="a">{options}</ol></li>')
        note = _html.escape(_("Quiz: {n} questions. Run the notebook to answer them.")
                            .format(n=len(self.questions)))
        return _page(f"<p>{note}</p><ol>{''.join(items)}</ol>", "kamkit-quiz-static")


def quiz(questions: Sequence[Question]) -> QuizWidget:
    """A quiz with immediate feedback on every choice.

    Parameters
    ----------
    questions : sequence of Question
        For example :data:`kamkit.workshop.what_makes_key.QUIZ`.

    Returns
    -------
    QuizWidget

    Examples
    --------
    >>> from kamkit.workshop import what_makes_key as m0
    >>> w = quiz(m0.QUIZ)
    >>> w.answer("limited_set", "b").ok, str(score(w.questions, w.answers))
    (True, '1 of 6 right (1 answered)')
    """
    return QuizWidget(questions)


def ladder_text(assessment: ladder.Assessment, portfolio: Portfolio | None = None,
                account_id: str | None = None) -> str:
    """What the ladder form shows for an assessment: the summary, and the record.

    Parameters
    ----------
    assessment : Assessment
    portfolio : Portfolio, optional
    account_id : str, optional
        With a portfolio: compare the assessment with the step the portfolio records.

    Returns
    -------
    str

    Examples
    --------
    >>> a = ladder.assess({"price_focus": 3, "loyalty": 3, "differentiation": 3,
    ...                    "joint_value": 3})
    >>> print(ladder_text(a).splitlines()[0])
    Step: Product/service supplier (value score 50 of 100)
    """
    text = assessment.summary()
    if portfolio is not None and account_id is not None:
        row = portfolio.account(account_id)
        recorded = row.get("ladder_step")
        if isinstance(recorded, str) and recorded in ladder.STEPS:
            gap = ladder.STEPS.index(assessment.step) - ladder.STEPS.index(recorded)
            where = (_("the same step") if gap == 0 else _("higher") if gap > 0
                     else _("lower"))
            text += "\n" + _("Recorded for {name}: {step} (your view: {where}).").format(
                name=row["name"], step=ladder.step_label(recorded), where=where)
        else:
            text += "\n" + _("No step is recorded for {name}.").format(name=row["name"])
    return text


class LadderForm(StaticForm, widgets.VBox):
    """Four sliders (1..5), one per question of :data:`kamkit.plan.ladder.QUESTIONS`, and the
    assessment they give, updated at every move."""

    def __init__(self, answers: Mapping[str, int] | None = None,
                 portfolio: Portfolio | None = None, account_id: str | None = None) -> None:
        start = {k: 3 for k in ladder.QUESTIONS} | dict(answers or {})
        self.assessment = ladder.assess(start)  # validates the starting answers
        self._portfolio, self._account_id = portfolio, account_id
        self.sliders: dict[str, widgets.IntSlider] = {}
        children: list[widgets.Widget] = []
        if portfolio is not None and account_id is not None:
            row = portfolio.account(account_id)
            children.append(widgets.HTML(f"<strong>{_html.escape(row['name'])}</strong>"))
        for key, statement in ladder.QUESTIONS.items():
            slider = widgets.IntSlider(value=start[key], min=1, max=5,
                                       description=_(ladder.QUESTION_LABELS[key]),
                                       style={"description_width": "10em"},
                                       layout=widgets.Layout(width="30em"))
            slider.observe(self._changed, names="value")
            self.sliders[key] = slider
            children += [widgets.HTML(_html.escape(_(statement))), slider]
        self.result = widgets.HTML(layout=_WIDE)
        self.result.add_class("kamkit-ladder-result")
        super().__init__([*children, self.result])
        self.add_class("kamkit-ladder")
        self._render()

    def answers(self) -> dict[str, int]:
        """The sliders' current values."""
        return {k: int(s.value) for k, s in self.sliders.items()}

    def _changed(self, _change: object) -> None:
        self.assessment = ladder.assess(self.answers())
        self._render()

    def _render(self) -> None:
        self.result.value = _page(lines_html(self.static_text()), "kamkit-ladder-text")

    def static_text(self) -> str:
        """The current assessment as text (see :func:`ladder_text`)."""
        return ladder_text(self.assessment, self._portfolio, self._account_id)

    def static_html(self) -> str:
        """The statements with their current answers, and the assessment."""
        rows = "".join(
            f"<li>{_html.escape(_(statement))} <strong>{self.assessment.answers[key]}</strong>"
            " / 5</li>" for key, statement in ladder.QUESTIONS.items())
        return _page(f"<ul>{rows}</ul><p>{lines_html(self.static_text())}</p>",
                     "kamkit-ladder-static")


def ladder_form(portfolio: Portfolio | None = None, account_id: str | None = None,
                answers: Mapping[str, int] | None = None) -> LadderForm:
    """The perception-ladder self-assessment as a form.

    Parameters
    ----------
    portfolio : Portfolio, optional
    account_id : str, optional
        With a portfolio: name the account and compare with its recorded step.
    answers : mapping, optional
        Starting answers (default 3 everywhere).

    Returns
    -------
    LadderForm

    Examples
    --------
    >>> form = ladder_form()
    >>> form.assessment.step
    'product_supplier'
    >>> form.sliders["price_focus"].value = 5
    >>> form.assessment.step
    'commodity_broker'
    """
    return LadderForm(answers, portfolio, account_id)
