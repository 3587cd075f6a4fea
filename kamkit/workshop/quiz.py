"""Multiple-choice quizzes with immediate, specific feedback.

A quiz is a tuple of :class:`Question`; every option carries its own feedback, so a
wrong choice is answered with *why* it is wrong, not just "wrong". The logic is plain
functions (:func:`check_answer`, :func:`score`); :func:`kamkit.workshop.widgets.quiz`
only wires radio buttons to them. Texts are marked with ``N_`` where they are defined
and translated when shown.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from kamkit.data.labels import Field, register_fields
from kamkit.text.i18n import N_, _
from kamkit.workshop.checks import (
    CheckResult,
    correct,
    incorrect,
    invalid,
    is_unanswered,
    not_answered,
)

__all__ = ["Option", "Question", "QuizScore", "check_answer", "score", "answer_key"]

register_fields({
    "question_no": Field(N_("No."), "int"),
    "prompt": Field(N_("Question"), "text"),
    "right_answer": Field(N_("Answer"), "text"),
    "explanation": Field(N_("Why"), "text"),
})


@dataclass(frozen=True)
class Option:
    """One choice of a question.

    Parameters
    ----------
    text : str
        The choice as shown (English source, marked with ``N_``).
    feedback : str
        Shown when the choice is picked: why it is right, or why it is wrong.
    correct : bool
        Whether the choice is right (exactly one per question).
    """

    text: str
    feedback: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    """A multiple-choice question; its options are lettered a, b, c ...

    Parameters
    ----------
    key : str
        Stable id (``key_not_biggest``).
    prompt : str
        The question (English source, marked with ``N_``).
    options : tuple of Option
        Exactly one of them is correct.
    """

    key: str
    prompt: str
    options: tuple[Option, ...]

    def __post_init__(self) -> None:
        if sum(o.correct for o in self.options) != 1:
            raise ValueError(f"question {self.key!r} needs exactly one correct option")

    @property
    def letters(self) -> tuple[str, ...]:
        """The option letters, ``("a", "b", ...)``."""
        return tuple("abcdefgh"[: len(self.options)])

    @property
    def answer(self) -> str:
        """The letter of the correct option."""
        return next(k for k, o in zip(self.letters, self.options, strict=True) if o.correct)

    def option(self, letter: str) -> Option:
        """The option with ``letter``."""
        return self.options[self.letters.index(letter)]


def _fold(text: str) -> str:
    return text.strip().rstrip(").").strip().casefold()


def _letter(question: Question, choice: object) -> str | None:
    """The letter a choice names: a letter, a 1-based number, or the option's text."""
    if isinstance(choice, bool):
        return None
    if isinstance(choice, numbers.Integral):
        n = int(choice)
        return question.letters[n - 1] if 1 <= n <= len(question.options) else None
    if isinstance(choice, str):
        text = _fold(choice)
        if text in question.letters:
            return text
        for letter, option in zip(question.letters, question.options, strict=True):
            if text in (_fold(option.text), _fold(_(option.text))):
                return letter
    return None


def check_answer(question: Question, choice: object) -> CheckResult:
    """Check one answer and reply with the feedback of the option chosen.

    Parameters
    ----------
    question : Question
    choice : str or int
        The letter (``"b"``), the option's number (2) or its text; ``None`` or ``...``
        when nothing is chosen yet.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> q = Question("demo", "Two plus two?", (Option("4", "Yes: 2 + 2 = 4.", True),
    ...                                        Option("5", "That is 2 + 3.")))
    >>> print(check_answer(q, "b"))
    ✘ Not yet: That is 2 + 3.
      Hint: look again at the question and try another answer.
    >>> check_answer(q, 1).ok
    True
    """
    if is_unanswered(choice):
        return not_answered(_("choose one of the answers."))
    letter = _letter(question, choice)
    if letter is None:
        return invalid(_("{choice!r} is not one of the answers.").format(choice=choice),
                       _("choose one of {letters}.").format(
                           letters=", ".join(question.letters)))
    option = question.option(letter)
    if option.correct:
        return correct(_(option.feedback))
    return incorrect(_(option.feedback), _("look again at the question and try another "
                                           "answer."))


@dataclass(frozen=True)
class QuizScore:
    """How a quiz went.

    Attributes
    ----------
    right : int
        Questions answered correctly.
    answered : int
        Questions answered at all.
    total : int
        Questions in the quiz.
    """

    right: int
    answered: int
    total: int

    def __str__(self) -> str:
        return _("{right} of {total} right ({answered} answered)").format(
            right=self.right, total=self.total, answered=self.answered)


def score(questions: Sequence[Question], answers: Mapping[str, object]) -> QuizScore:
    """Count right and answered questions; unknown or unreadable choices count as wrong.

    Examples
    --------
    >>> q = Question("demo", "Two plus two?", (Option("4", "Yes.", True), Option("5", "No.")))
    >>> str(score([q], {"demo": "a"}))
    '1 of 1 right (1 answered)'
    """
    results = [check_answer(q, answers.get(q.key)) for q in questions]
    return QuizScore(sum(r.ok for r in results),
                     sum(r.status != "not_answered" for r in results), len(questions))


def answer_key(questions: Sequence[Question]) -> pd.DataFrame:
    """The answers, for the trainer: ``question_no``, ``prompt``, ``right_answer``, ``why``.

    Texts are in the current language.
    """
    rows = []
    for i, q in enumerate(questions, 1):
        option = q.option(q.answer)
        rows.append({"question_no": i, "prompt": _(q.prompt),
                     "right_answer": f"{q.answer}) {_(option.text)}",
                     "explanation": _(option.feedback)})
    return pd.DataFrame(rows, columns=["question_no", "prompt", "right_answer", "explanation"])
