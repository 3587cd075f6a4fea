"""Module M5 — The perception ladder: example accounts and the self-checks.

The notebook ``notebooks/workshop/M5_perception_ladder.ipynb`` uses :mod:`kamkit.plan.ladder`
(the assessment itself) and, from here:

* :func:`example_accounts`: a few accounts with the step the portfolio records;
* :func:`account_facts`: what the data says about an account, without the suggested
  answers (those would give the exercise away);
* :func:`check_ladder_step` and :func:`check_ladder_answers`: the self-checks.

Both checks compare the participant's view with the step *recorded* in the portfolio
(``accounts.ladder_step``) and build their hints from :func:`kamkit.plan.ladder.evidence`,
so they work on any portfolio that records the step.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import pandas as pd

from kamkit.data.labels import value_label
from kamkit.data.portfolio import Portfolio
from kamkit.plan import ladder
from kamkit.text.i18n import _
from kamkit.workshop.checks import (
    AnswerError,
    CheckResult,
    correct,
    incorrect,
    label_choices,
    read_choice,
    read_mapping,
    read_number,
    self_check,
)

__all__ = ["example_accounts", "account_facts", "check_ladder_step", "check_ladder_answers",
           "STEP_WORDS"]

#: Everyday words for the steps that a participant may type (any language's label is
#: accepted too).
STEP_WORDS: dict[str, tuple[str, ...]] = {
    "commodity_broker": ("commodity", "broker", "commodity broker", "1"),
    "product_supplier": ("supplier", "product supplier", "service supplier",
                         "product/service supplier", "2"),
    "value_enhancer": ("value enhancer", "strategic partner", "partner", "3"),
}


def _step_choices() -> dict[str, list[str]]:
    return label_choices(ladder.STEPS, STEP_WORDS)


def example_accounts(portfolio: Portfolio, account_ids: Sequence[str]) -> pd.DataFrame:  # noqa: ANN001
    """The named accounts with the perception-ladder step the portfolio records.

    Returns
    -------
    DataFrame
        ``account_id``, ``name``, ``segment``, ``relationship_stage``, ``ladder_step``,
        in the order given.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> example_accounts(company_x(), ["CX-004", "CX-001"])["ladder_step"].tolist()
    ['commodity_broker', 'value_enhancer']
    """
    rows = [portfolio.account(a) for a in account_ids]
    columns = ["account_id", "name", "segment", "relationship_stage", "ladder_step"]
    return pd.DataFrame([r.reindex(columns) for r in rows], columns=columns).reset_index(
        drop=True)


def account_facts(portfolio: Portfolio, account_id: str) -> pd.DataFrame:  # noqa: ANN001
    """What the data says about one account, question by question (no suggestions).

    Returns
    -------
    DataFrame
        ``question`` and ``fact`` of :func:`kamkit.plan.ladder.evidence`.
    """
    return ladder.evidence(portfolio, account_id)[["question", "data_says"]]


def _recorded(portfolio: Portfolio, account_id: str) -> tuple[pd.Series, str]:  # noqa: ANN001
    row = portfolio.account(account_id)
    step = row.get("ladder_step")
    if not isinstance(step, str) or step not in ladder.STEPS:
        raise AnswerError(_("the portfolio records no perception-ladder step for {id}.").format(
            id=row["account_id"]), _("trainer: fill in the column ladder_step of the accounts "
                                     "table, or choose another account."))
    return row, step


def _facts_line(portfolio: Portfolio, account_id: str) -> str:  # noqa: ANN001
    return "; ".join(ladder.evidence(portfolio, account_id)["data_says"])


@self_check
def check_ladder_step(answer: object, portfolio: Portfolio, account_id: str) -> CheckResult:  # noqa: ANN001
    """Exercise "which step?": name the step the customer places us on.

    Parameters
    ----------
    answer : str or int
        A step code (``"commodity_broker"``), its label in any kit language, an everyday
        word (``"partner"``) or its number, 1 (lowest) to 3.
    portfolio : Portfolio
    account_id : str
        The account of the exercise; its ``ladder_step`` is the answer.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> [check_ladder_step(a, p, "CX-004").status for a in ("commodity broker", 3, "brokr")]
    ['correct', 'incorrect', 'invalid']
    """
    row, recorded = _recorded(portfolio, account_id)
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        number = int(read_number(answer, whole=True, minimum=1, maximum=len(ladder.STEPS)))
        step = ladder.STEPS[number - 1]
    else:
        step = read_choice(answer, _step_choices(), what=_("step of the ladder"))
    facts = {"name": row["name"], "step": ladder.step_label(step),
             "recorded": ladder.step_label(recorded),
             "facts": _facts_line(portfolio, row["account_id"])}
    if step == recorded:
        return correct(_("{name} places us as {step}. The data agrees: {facts}.").format(
            **facts))
    if ladder.STEPS.index(step) > ladder.STEPS.index(recorded):
        return incorrect(_("{step} is higher than where {name} places us.").format(**facts),
                         _("Would this customer pay more for what we do, or stay when a "
                           "competitor is cheaper? The data: {facts}.").format(**facts))
    return incorrect(_("{step} is lower than where {name} places us.").format(**facts),
                     _("This customer does more than compare prices. The data: "
                       "{facts}.").format(**facts))


def _read_answers(answers: object) -> dict[str, int]:
    values = read_mapping(answers, ladder.QUESTIONS)
    out: dict[str, int] = {}
    for key, value in values.items():
        try:
            out[key] = int(read_number(value, whole=True, minimum=1, maximum=5))
        except AnswerError as exc:
            raise AnswerError(f"{key}: {exc.message}", exc.hint) from None
    return out


def _excess(key: str, answer: int, suggested: int) -> int:
    """How much rosier than the data an answer is (price focus counts the other way)."""
    return suggested - answer if key == "price_focus" else answer - suggested


@self_check
def check_ladder_answers(answers: object, portfolio: Portfolio, account_id: str) -> CheckResult:  # noqa: ANN001
    """Exercise "assess an account": do the four answers place it where the team did?

    Parameters
    ----------
    answers : dict
        ``price_focus``, ``loyalty``, ``differentiation``, ``joint_value``, each 1..5.
    portfolio : Portfolio
    account_id : str
        The account of the exercise.

    Returns
    -------
    CheckResult
        Correct when :func:`kamkit.plan.ladder.assess` puts the account on the recorded step.
        The hint names the answer furthest from what the data suggests
        (:func:`kamkit.plan.ladder.evidence`), in the direction of the disagreement.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> check_ladder_answers({"price_focus": 4, "loyalty": 3, "differentiation": 3,
    ...                       "joint_value": 3}, p, "CX-002").ok
    True
    >>> check_ladder_answers({"price_focus": 4, "loyalty": 3}, p, "CX-002").status
    'invalid'
    """
    row, recorded = _recorded(portfolio, account_id)
    values = _read_answers(answers)
    result = ladder.assess(values)
    ev = ladder.evidence(portfolio, row["account_id"]).set_index("question")
    known = {k: int(ev.at[k, "suggested"]) for k in values if not pd.isna(ev.at[k, "suggested"])}
    facts = {"name": row["name"], "step": ladder.step_label(result.step),
             "recorded": ladder.step_label(recorded), "summary": result.summary()}

    def look_at(key: str) -> str:
        return _("Look at {question}: you answered {answer}; the data suggests {suggested} "
                 "({fact}).").format(question=value_label(key), answer=values[key],
                                     suggested=known[key], fact=ev.at[key, "data_says"])

    if result.step == recorded:
        far = [k for k in known if abs(values[k] - known[k]) >= 2]
        hint = look_at(far[0]) if far else ""
        return CheckResult("correct", _("Your answers place {name} as {step}, where the team "
                                        "recorded it.").format(**facts) + "\n" + facts[
            "summary"], hint)
    higher = ladder.STEPS.index(result.step) > ladder.STEPS.index(recorded)
    sign = 1 if higher else -1
    candidates = sorted(known, key=lambda k: -sign * _excess(k, values[k], known[k]))
    if candidates and sign * _excess(candidates[0], values[candidates[0]],
                                     known[candidates[0]]) > 0:
        hint = look_at(candidates[0])
    else:
        hint = _("The data agrees with your answers here; talk to the account team: is the "
                 "recorded step out of date?")
    return incorrect(_("Your answers place {name} as {step}; the team recorded {recorded}.")
                     .format(**facts), hint)
