"""The customer perception ladder: where the customer places us, and how to climb.

The method (stage 3, after Jones) names three steps, lowest first (``LADDER_STEPS`` in
:mod:`kamkit.data.schema`, the ``ladder_step`` column of the accounts table):

1. ``commodity_broker``: the customer buys on price only and shows no loyalty;
2. ``product_supplier``: some differentiation, weak loyalty;
3. ``value_enhancer``: a strategic partner that helps the customer reach its strategic
   goals; the customer is willing to pay more for that.

We climb by five moves (:data:`MOVES`): uncover hidden needs, tailored solutions,
continuous value creation, trust and transparency, multi-level relationships.

The self-assessment
-------------------
:func:`assess` places an account from four answers, each from 1 (not at all) to 5
(fully), to the statements of :data:`QUESTIONS`:

* ``price_focus`` — the customer chooses mainly on price (*high is bad*);
* ``loyalty`` — it stays with us when a competitor offers a lower price;
* ``differentiation`` — it sees our offer as different from, and better than, others;
* ``joint_value`` — we work with it on its strategic goals, and it would pay more for that.

**Value score** (0 to 100): the mean of the four answers with price focus reversed
(``6 - price_focus``), rescaled from 1..5 to 0..100::

    score = 100 * (mean(6 - price_focus, loyalty, differentiation, joint_value) - 1) / 4

**Step**, in this order:

* commodity broker when price focus is at least 4 *and* loyalty at most 2 (price only, no
  loyalty), or when the score is below 40;
* value enhancer when the score is at least 65, joint value at least 4 and price focus at
  most 3 (no strategic partner without joint value, however loyal);
* product/service supplier otherwise.

**Moves**: each move works on some answers (:data:`MOVE_TARGETS`). An answer's *gap* is
how far it is from the best answer (``5 - answer``, or ``price_focus - 1``); a move's
priority is the mean gap of the answers it works on. :func:`assess` proposes the three
moves with the highest priority (ties in the order of :data:`MOVES`), each with the
answer that most calls for it. At the top step the same moves keep the position.

:func:`evidence` reads what the portfolio says about the four questions (discounts,
relationship stage, margin, collaboration rating), so a team's view can be compared with
the data; :func:`compare` sets the team's views beside the steps the portfolio records.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from kamkit.data.labels import Field, register_fields, register_values, value_label
from kamkit.data.portfolio import Portfolio
from kamkit.data.sales import gross_margin_rate, period, sales_by_account
from kamkit.data.schema import LADDER_STEPS, RELATIONSHIP_STAGES
from kamkit.exceptions import ParameterError
from kamkit.text.i18n import N_, _, format_number, format_percent

__all__ = ["QUESTIONS", "MOVES", "MOVE_TARGETS", "STEPS", "Move", "Assessment", "assess",
           "step_label", "evidence", "compare", "SCALE"]

#: The steps, lowest first (the data model's ``ladder_step`` values).
STEPS: tuple[str, ...] = LADDER_STEPS

#: Answers run from 1 (not at all) to 5 (fully).
SCALE = (1, 5)

#: The four questions of the self-assessment: key -> the statement rated 1..5.
QUESTIONS: dict[str, str] = {
    "price_focus": N_("The customer chooses mainly on price."),
    "loyalty": N_("The customer stays with us when a competitor offers a lower price."),
    "differentiation": N_("The customer sees our offer as different from, and better than, "
                          "the alternatives."),
    "joint_value": N_("We work with the customer on its strategic goals, and it would pay "
                      "more for that."),
}
#: Short names of the questions, for tables and sliders.
QUESTION_LABELS: dict[str, str] = {
    "price_focus": N_("Price focus"),
    "loyalty": N_("Loyalty"),
    "differentiation": N_("Differentiation"),
    "joint_value": N_("Joint value"),
}

#: The climbing moves: code -> (label, what the move means). The codes are those of
#: the plan's ``ladder_move`` column.
MOVES: dict[str, tuple[str, str]] = {
    "uncover_hidden_needs": (N_("Uncover hidden needs"), N_(
        "Deep interviews, active listening and analysis of the customer's data, to find "
        "needs it has not stated.")),
    "tailored_solutions": (N_("Tailored solutions"), N_(
        "Offers built around this customer's problems rather than the catalogue.")),
    "continuous_value": (N_("Continuous value creation"), N_(
        "Keep bringing something new: service, availability, ideas, training.")),
    "trust_transparency": (N_("Trust and transparency"), N_(
        "Open information on prices, delivery and problems; promises kept.")),
    "multi_level_relationships": (N_("Multi-level relationships"), N_(
        "Contacts at several levels and departments, so that the relationship never "
        "hangs on one person.")),
}

#: Which answers each move works on.
MOVE_TARGETS: dict[str, tuple[str, ...]] = {
    "uncover_hidden_needs": ("differentiation", "joint_value", "price_focus"),
    "tailored_solutions": ("differentiation", "price_focus"),
    "continuous_value": ("joint_value", "loyalty"),
    "trust_transparency": ("loyalty", "price_focus"),
    "multi_level_relationships": ("loyalty", "joint_value"),
}

#: Thresholds of the step rule (see the module docstring).
COMMODITY_SCORE = 40.0
PARTNER_SCORE = 65.0
PROPOSED_MOVES = 3

register_values({code: label for code, (label, _text) in MOVES.items()})
register_values(QUESTION_LABELS)
register_fields({
    "question": Field(N_("Question"), "category"),
    "answer": Field(N_("Answer"), "int"),
    "data_says": Field(N_("What the data says"), "text"),
    "suggested": Field(N_("Suggested answer"), "int"),
    "ladder_move": Field(N_("Move up the ladder"), "category"),
    "move_priority": Field(N_("Priority"), "number", 1),
    "because": Field(N_("Because"), "text"),
    "assessed_step": Field(N_("Team's view"), "category"),
    "step_gap": Field(N_("Difference (steps)"), "int"),
    "value_score": Field(N_("Value score"), "score"),
})


@dataclass(frozen=True)
class Move:
    """One proposed move up the ladder.

    Attributes
    ----------
    code : str
        A key of :data:`MOVES`.
    priority : float
        Mean gap (0..4) of the answers the move works on.
    weakest : str
        The question, among those the move works on, with the largest gap.
    """

    code: str
    priority: float
    weakest: str

    @property
    def label(self) -> str:
        """The move's name in the current language."""
        return _(MOVES[self.code][0])

    def because(self, answers: Mapping[str, int]) -> str:
        """Why this move, in one line: the answer that calls for it."""
        return _("{question} is {answer} of 5").format(
            question=_(QUESTION_LABELS[self.weakest]), answer=answers[self.weakest])


@dataclass(frozen=True)
class Assessment:
    """Where four answers place an account on the ladder, and the moves to climb.

    Attributes
    ----------
    answers : dict
        The four answers, 1..5.
    score : float
        Value score, 0..100.
    step : str
        One of :data:`STEPS`.
    moves : tuple of Move
        The proposed moves, highest priority first.
    """

    answers: dict[str, int]
    score: float
    step: str
    moves: tuple[Move, ...]

    @property
    def next_step(self) -> str | None:
        """The step above, or None at the top."""
        i = STEPS.index(self.step)
        return STEPS[i + 1] if i + 1 < len(STEPS) else None

    def moves_table(self) -> pd.DataFrame:
        """The proposed moves: ``ladder_move``, ``move_priority``, ``because``."""
        return pd.DataFrame({
            "ladder_move": [m.code for m in self.moves],
            "move_priority": [m.priority for m in self.moves],
            "because": [m.because(self.answers) for m in self.moves],
        })

    def summary(self) -> str:
        r"""The assessment as a few lines of text in the current language.

        Examples
        --------
        >>> a = assess({"price_focus": 5, "loyalty": 1, "differentiation": 2,
        ...             "joint_value": 1})
        >>> print("\n".join(a.summary().splitlines()[:2]))
        Step: Commodity broker (value score 6 of 100)
        Next step: Product/service supplier
        >>> a.summary().splitlines()[2][:56]
        'Moves: Continuous value creation (Joint value is 1 of 5)'
        """
        lines = [_("Step: {step} (value score {score} of 100)").format(
            step=step_label(self.step), score=format_number(self.score))]
        if self.next_step:
            lines.append(_("Next step: {step}").format(step=step_label(self.next_step)))
        else:
            lines.append(_("Top step: keep it with the same moves."))
        lines.append(_("Moves: {moves}").format(moves="; ".join(
            f"{m.label} ({m.because(self.answers)})" for m in self.moves)))
        return "\n".join(lines)


def step_label(step: str) -> str:
    """The translated name of a step (``commodity_broker`` -> ``Commodity broker``)."""
    return value_label(step)


def _check_answers(answers: Mapping[str, object]) -> dict[str, int]:
    if not isinstance(answers, Mapping):
        raise ParameterError("answers", _("give a dictionary with the keys {keys}").format(
            keys=", ".join(QUESTIONS)))
    missing = [k for k in QUESTIONS if k not in answers]
    unknown = [k for k in answers if k not in QUESTIONS]
    if missing or unknown:
        raise ParameterError("answers", _("expected the keys {keys}; missing: {missing}; "
                                          "unknown: {unknown}").format(
            keys=", ".join(QUESTIONS), missing=", ".join(missing) or "\u2013",
            unknown=", ".join(map(str, unknown)) or "\u2013"))
    out: dict[str, int] = {}
    for key in QUESTIONS:
        value = answers[key]
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != int(
                value) or not SCALE[0] <= value <= SCALE[1]:
            raise ParameterError("answers", _("{key} must be a whole number from 1 to 5, "
                                              "not {value!r}").format(key=key, value=value))
        out[key] = int(value)
    return out


def _gap(key: str, value: int) -> int:
    return value - SCALE[0] if key == "price_focus" else SCALE[1] - value


def assess(answers: Mapping[str, int]) -> Assessment:
    """Place an account on the perception ladder from the four answers.

    Parameters
    ----------
    answers : mapping
        ``price_focus``, ``loyalty``, ``differentiation``, ``joint_value``: whole
        numbers from 1 (not at all) to 5 (fully). The rules are in the module docstring.

    Returns
    -------
    Assessment

    Raises
    ------
    ParameterError
        When a key is missing or unknown, or an answer is not a whole number 1..5.

    Examples
    --------
    >>> a = assess({"price_focus": 2, "loyalty": 4, "differentiation": 4, "joint_value": 5})
    >>> a.step, a.score, [m.code for m in a.moves]
    ('value_enhancer', 81.25, ['tailored_solutions', 'trust_transparency', 'uncover_hidden_needs'])
    >>> assess({"price_focus": 4, "loyalty": 2, "differentiation": 5, "joint_value": 5}).step
    'commodity_broker'
    """
    values = _check_answers(answers)
    signals = [SCALE[1] + SCALE[0] - values["price_focus"], values["loyalty"],
               values["differentiation"], values["joint_value"]]
    score = 100.0 * (sum(signals) / len(signals) - SCALE[0]) / (SCALE[1] - SCALE[0])
    if (values["price_focus"] >= 4 and values["loyalty"] <= 2) or score < COMMODITY_SCORE:
        step = "commodity_broker"
    elif score >= PARTNER_SCORE and values["joint_value"] >= 4 and values["price_focus"] <= 3:
        step = "value_enhancer"
    else:
        step = "product_supplier"
    ranked = []
    for order, (code, targets) in enumerate(MOVE_TARGETS.items()):
        gaps = {k: _gap(k, values[k]) for k in targets}
        weakest = max(targets, key=lambda k: gaps[k])  # first target wins ties
        ranked.append((-sum(gaps.values()) / len(gaps), order, Move(
            code, sum(gaps.values()) / len(gaps), weakest)))
    moves = tuple(m for *_key, m in sorted(ranked, key=lambda t: (t[0], t[1])))
    return Assessment(values, score, step, moves[:PROPOSED_MOVES])


def _percentile(series: pd.Series, value: float) -> float:
    known = series.dropna()
    if len(known) < 2 or pd.isna(value):
        return float("nan")
    return float((known < value).sum()) / (len(known) - 1)


def _to_scale(fraction: float) -> int | None:
    if fraction != fraction:
        return None
    return int(SCALE[0] + round(fraction * (SCALE[1] - SCALE[0])))


def evidence(portfolio: Portfolio, account_id: object) -> pd.DataFrame:  # noqa: ANN001 - Portfolio
    """What the portfolio says about the four questions for one account.

    The data can only suggest; the team knows the customer. Each suggestion is on the
    1..5 scale:

    * price focus: the account's discounts as a share of list price (revenue plus
      discount) in the last twelve months, as a percentile among all accounts;
    * loyalty: the relationship stage (exploratory 1 ... integrated 5);
    * differentiation: the account's gross margin rate, as a percentile (customers that
      see a difference pay for it);
    * joint value: the team's rating of willingness to collaborate (1..5).

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str

    Returns
    -------
    DataFrame
        ``question``, ``fact`` (one line of text), ``suggested`` (1..5, missing when the
        data is silent), one row per question.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> evidence(company_x(), "CX-004")["suggested"].tolist()
    [5, 2, 1, 1]
    """
    row = portfolio.account(account_id)
    key = row["account_id"]
    start, end = period(portfolio.as_of)
    sales = sales_by_account(portfolio.transactions, start, end)
    sales = sales[sales["revenue"] > 0]
    list_price = sales["revenue"] + sales["discount"]
    discount_rate = (sales["discount"] / list_price).where(list_price > 0)
    margin_rate = gross_margin_rate(sales["revenue"], sales["cost"])
    facts, suggested = [], []

    if key in sales.index:
        rate = float(discount_rate[key])
        facts.append(_("discounts {rate} of list price (median {median})")
                     .format(rate=format_percent(rate), median=format_percent(
                         float(discount_rate.median()))))
        suggested.append(_to_scale(_percentile(discount_rate, rate)))
    else:
        facts.append(_("no sales in the last twelve months"))
        suggested.append(None)

    stage = row.get("relationship_stage")
    if isinstance(stage, str) and stage in RELATIONSHIP_STAGES:
        facts.append(_("relationship stage: {stage}").format(stage=value_label(stage)))
        suggested.append(RELATIONSHIP_STAGES.index(stage) + 1)
    else:
        facts.append(_("relationship stage not recorded"))
        suggested.append(None)

    if key in sales.index:
        rate = float(margin_rate[key])
        facts.append(_("gross margin {rate} (median {median})").format(
            rate=format_percent(rate), median=format_percent(float(margin_rate.median()))))
        suggested.append(_to_scale(_percentile(margin_rate, rate)))
    else:
        facts.append(_("no sales in the last twelve months"))
        suggested.append(None)

    rating = row.get("collaboration")
    if rating is not None and not pd.isna(rating):
        facts.append(_("collaboration rated {rating} of 5").format(
            rating=format_number(float(rating))))
        suggested.append(int(min(max(round(float(rating)), SCALE[0]), SCALE[1])))
    else:
        facts.append(_("collaboration not rated"))
        suggested.append(None)

    return pd.DataFrame({"question": list(QUESTIONS), "data_says": facts,
                         "suggested": pd.array(suggested, dtype="Int64")})


def compare(portfolio: Portfolio, views: Mapping[str, object]) -> pd.DataFrame:  # noqa: ANN001
    """The team's view of each account beside the step the portfolio records.

    Parameters
    ----------
    portfolio : Portfolio
    views : mapping
        Account id -> a step code, or an :class:`Assessment`.

    Returns
    -------
    DataFrame
        ``account_id``, ``name``, ``ladder_step`` (recorded), ``assessed_step``,
        ``step_gap`` (steps the team's view is above the record; negative below; missing
        when nothing is recorded), in the order of ``views``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> compare(company_x(), {"CX-004": "product_supplier"})["step_gap"].tolist()
    [1]
    """
    rows = []
    for account_id, view in views.items():
        row = portfolio.account(account_id)
        step = view.step if isinstance(view, Assessment) else view
        if step not in STEPS:
            raise ParameterError("views", _("{step!r} is not a step of the ladder; choose one "
                                            "of {steps}").format(step=step,
                                                                 steps=", ".join(STEPS)))
        recorded = row.get("ladder_step")
        known = isinstance(recorded, str) and recorded in STEPS
        rows.append({"account_id": row["account_id"], "name": row["name"],
                     "ladder_step": recorded if known else None, "assessed_step": step,
                     "step_gap": STEPS.index(step) - STEPS.index(recorded) if known
                     else None})
    frame = pd.DataFrame(rows, columns=["account_id", "name", "ladder_step", "assessed_step",
                                        "step_gap"])
    frame["step_gap"] = frame["step_gap"].astype("Int64")
    return frame
