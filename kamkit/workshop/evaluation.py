"""Module M4 — Evaluation: what an account is worth, how healthy it is, what to change.

The notebook ``notebooks/workshop/M4_evaluation.ipynb`` teaches stages 4 and 5 with
:mod:`kamkit.evaluation.measures` (customer lifetime value, the health score and its evidence),
:mod:`kamkit.review.portfolio` (the portfolio review and its recommendations) and the health
weight sliders (:func:`kamkit.widgets.evaluation.health_weight_panel`). This module adds
what the exercises need:

* customer lifetime value: :func:`check_margin_multiple` (the multiple by hand),
  :func:`growth_table` and :func:`refusal_text` (what margin growth does, and where the
  model refuses), :func:`growth_limit` and :func:`check_growth_limit`, and
  :func:`check_scenario` (a scenario of one's own for a key account);
* the health score: :func:`check_main_drag` (which component pulls the score down most)
  and :func:`check_band_weights` (weights that change the band, and what that does not
  change);
* the next cycle: :func:`review_facts` (what the review knows, per account, without its
  recommendations) and :func:`check_next_cycle` (promote, demote, rebalance, intervene or
  nothing, compared with :func:`kamkit.review.portfolio.recommendations`).

Every right answer is computed with the stage modules
(:func:`kamkit.evaluation.measures.clv_multiple`, :func:`kamkit.evaluation.measures.reweigh`,
the review's tables), so the checks work on an organisation's own data, or say which data they lack.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kamkit.data.labels import Field, register_fields, register_values, value_label
from kamkit.data.portfolio import Portfolio
from kamkit.evaluation import measures as ev_
from kamkit.exceptions import ParameterError
from kamkit.review import portfolio as rv
from kamkit.text.i18n import N_, _, format_money, format_number, format_percent, ngettext
from kamkit.workshop.checks import (
    AnswerError,
    CheckResult,
    correct,
    incorrect,
    is_none,
    label_choices,
    read_account,
    read_choice,
    read_mapping,
    read_number,
    read_weights,
    self_check,
)

__all__ = ["GROWTHS", "MULTIPLE_TOLERANCE", "GROWTH_TOLERANCE", "COMPONENT_WORDS", "KINDS",
           "check_margin_multiple", "growth_table", "refusal_text", "growth_limit",
           "check_growth_limit", "check_scenario", "main_drag", "check_main_drag",
           "check_band_weights", "review_facts", "check_next_cycle"]

#: Margin growth rates of :func:`growth_table`: shrinking, flat, and up to the refusal.
GROWTHS = (-0.05, 0.0, 0.05, 0.10, 0.20, 0.30, 0.35, 0.40)
#: A margin multiple computed by hand counts as right within this distance (2.67, 2.667).
MULTIPLE_TOLERANCE = 0.01
#: A growth limit counts as right within this distance (0.37 or 0.38 for 0.375).
GROWTH_TOLERANCE = 0.005
#: The review's kinds of recommendation, in its order.
KINDS = ("promote", "demote", "rebalance", "intervene")
#: The answer "no change" in exercise "next cycle".
NO_CHANGE = "no_change"

#: Everyday words for the health components (their labels in every kit language count
#: too).
COMPONENT_WORDS: dict[str, tuple[str, ...]] = {
    "revenue_growth": ("revenue", "growth", "sales", "sales growth", "revenue trend"),
    "margin_trend": ("margin", "gross margin", "margin rate"),
    "discount_erosion": ("discount", "discounts", "erosion"),
    "wallet_trend": ("wallet", "share of wallet", "share"),
    "satisfaction": ("customer satisfaction", "csat"),
    "nps": ("net promoter score", "promoters", "recommendation"),
    "relationship_depth": ("depth", "relationship", "relationships", "contacts"),
    "plan_attainment": ("plan", "goals", "attainment", "goal attainment"),
    "action_delivery": ("actions", "delivery", "actions on time", "overdue actions"),
}
_KIND_WORDS = {
    "promote": ("promotion", "make key", "add", "add to the list"),
    "demote": ("demotion", "drop", "remove", "remove from the list"),
    "rebalance": ("balance", "hand over", "reassign", "another manager"),
    "intervene": ("intervention", "act", "corrective actions", "fix"),
    NO_CHANGE: ("keep", "no change", "nothing", "none", "as is", "keep as is", "stay",
                "no action"),
}

register_values({NO_CHANGE: N_("No change")})
register_fields({
    "kept_factor": Field(N_("r(1 + g)"), "number", 3),
    "owner_key_accounts": Field(N_("Owner's key accounts"), "int"),
    "model_says": Field(N_("What the model says"), "text"),
})


def _real(value: float) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _num(value: float, digits: int = 3) -> str:
    """A number as the exercises write it (0.8, 2.667), in the current language."""
    text = format_number(value, digits)
    sep = format_number(1.5, 1)[1]
    return text.rstrip("0").rstrip(sep) if sep in text else text


# --------------------------------------------------------------------------------------
# Exercise 1: the margin multiple by hand


def _wrong_multiples(r: float, i: float, g: float) -> dict[str, float]:
    """What the typical mistakes give for the multiple (only those that are finite)."""
    def ratio(top: float, bottom: float) -> float:
        return top / bottom if bottom != 0 else float("nan")

    kept = r * (1.0 + g)
    return {
        "one_minus_r": ratio(1.0 - r, 1.0 + i - (1.0 - r) * (1.0 + g)),
        "no_discount": ratio(r, 1.0 - kept),
        "lifetime": ratio(1.0, 1.0 - r),
        "no_r_on_top": ratio(1.0, 1.0 + i - kept),
        "plus_r": ratio(r, 1.0 + i + kept),
        "percent_i": ratio(r, 1.0 + 100.0 * i - kept),
        "percent_r": ratio(100.0 * r, 1.0 + i - 100.0 * kept),
        "percent_answer": 100.0 * ratio(r, 1.0 + i - kept),
    }


_MULTIPLE_HINTS = {
    "one_minus_r": N_("You used 1 \u2212 r = {churn}, the chance that the customer leaves. The "
                      "margin comes in each year the customer stays: use r = {r}, above the "
                      "line and below it."),
    "no_discount": N_("That is the multiple without discounting (i = 0). A euro of margin in "
                      "five years is worth less than a euro today: put the discount rate in, "
                      "1 + i \u2212 r."),
    "lifetime": N_("1 / (1 \u2212 r) is the number of years the customer stays on average, "
                   "not the multiple: the multiple also discounts later years, and counts a "
                   "year's margin only if the customer stays through it."),
    "no_r_on_top": N_("The r above the line is missing: the first year's margin arrives only "
                      "if the customer stays that year."),
    "plus_r": N_("Below the line, r is subtracted: 1 + i \u2212 r."),
    "percent_i": N_("The discount rate is a fraction: {i_percent} is {i}, not {i_hundred}."),
    "percent_r": N_("Retention is a fraction: {r_percent} is {r}, not {r_hundred}. A multiple "
                    "below 0 is always a sign of a mix-up."),
    "percent_answer": N_("A multiple is not a percentage: write it as a number of times the "
                         "annual margin."),
}


def _multiple_hint(code: str, facts: Mapping[str, str]) -> str:
    """The translated hint for the slip ``code`` of :data:`_MULTIPLE_HINTS`."""
    return _(_MULTIPLE_HINTS[code]).format(**facts)


@self_check
def check_margin_multiple(answer: object, retention: float, discount_rate: float,
                          margin_growth: float = 0.0) -> CheckResult:
    """Exercise "the margin multiple": ``r / (1 + i - r(1 + g))`` computed by hand.

    Parameters
    ----------
    answer : number
        The multiple (a number, or the expression that computes it).
    retention, discount_rate, margin_growth : float
        ``r``, ``i`` and ``g`` of the exercise.

    Returns
    -------
    CheckResult
        Correct within :data:`MULTIPLE_TOLERANCE` of
        :func:`kamkit.evaluation.measures.clv_multiple`. A wrong answer that one of the typical
        mistakes gives (1 - r instead of r, no discount rate, the expected lifetime,
        percentages instead of fractions ...) gets the hint for that mistake.

    Examples
    --------
    >>> check_margin_multiple(0.8 / (1 + 0.10 - 0.8), 0.8, 0.10).ok
    True
    >>> print(check_margin_multiple(4, 0.8, 0.10).hint)  # doctest: +ELLIPSIS
    That is the multiple without discounting (i = 0). ...
    """
    right = ev_.clv_multiple(retention, discount_rate, margin_growth)
    value = read_number(answer)
    facts = {"r": _num(retention), "i": _num(discount_rate), "g": _num(margin_growth),
             "right": format_number(right, 3), "value": _num(value),
             "churn": _num(1.0 - retention), "r_percent": format_percent(retention, 0),
             "r_hundred": _num(100.0 * retention), "i_percent": format_percent(discount_rate, 0),
             "i_hundred": _num(100.0 * discount_rate)}
    if abs(value - right) <= MULTIPLE_TOLERANCE:
        message = _("Right: {right}. With r = {r} and i = {i}, one euro of yearly margin is "
                    "worth {right} euros today, over the whole relationship.").format(**facts)
        return correct(message)
    for code, wrong in _wrong_multiples(retention, discount_rate, margin_growth).items():
        if _real(wrong) and abs(value - wrong) <= max(MULTIPLE_TOLERANCE, 0.001 * abs(wrong)):
            return incorrect(_("{value} is not the multiple.").format(**facts),
                             _multiple_hint(code, facts))
    if value < 0:
        return incorrect(_("{value} is below 0: no account is worth less than nothing.")
                         .format(**facts), _multiple_hint("percent_r", facts))
    if abs(value - right) <= 0.05 * right:
        return CheckResult("correct", _("Close enough: {right} exactly.").format(**facts),
                           _("Keep two or three decimals: rounding early moves the lifetime "
                             "value by thousands."))
    return incorrect(_("{value} is not the multiple.").format(**facts),
                     _("The formula is r / (1 + i \u2212 r): first the part below the line, "
                       "1 + i \u2212 r, then r divided by it."))


# --------------------------------------------------------------------------------------
# What margin growth does, and where the model refuses


def refusal_text(retention: float, discount_rate: float, margin_growth: float) -> str:
    """The model's own refusal for these assumptions, or "" when the value is finite.

    Examples
    --------
    >>> refusal_text(0.8, 0.10, 0.05)
    ''
    >>> refusal_text(0.8, 0.10, 0.40).startswith("the margin-multiple model needs")
    True
    """
    try:
        ev_.clv_multiple(retention, discount_rate, margin_growth)
    except ParameterError as exc:
        return exc.message
    return ""


def growth_table(retention: float, discount_rate: float,
                 growths: Sequence[float] = GROWTHS) -> pd.DataFrame:
    """The margin multiple for a range of margin growth rates, and where it is refused.

    Parameters
    ----------
    retention, discount_rate : float
        ``r`` and ``i``.
    growths : sequence of float
        Margin growth rates ``g`` (default :data:`GROWTHS`).

    Returns
    -------
    DataFrame
        ``margin_growth``, ``kept_factor`` (``r(1 + g)``), ``clv_multiple`` (NaN where
        the model refuses) and ``model_says`` (finite, or the refusal).

    Examples
    --------
    >>> t = growth_table(0.8, 0.10, [0.0, 0.05, 0.40])
    >>> [round(m, 3) for m in t["clv_multiple"].iloc[:2]], t["model_says"].iloc[2]
    ([2.667, 3.077], 'refused: r(1 + g) = 1.12 is not below 1 + i = 1.1')
    """
    limit = 1.0 + discount_rate
    rows = []
    for g in growths:
        kept = retention * (1.0 + g)
        if refusal_text(retention, discount_rate, g):
            multiple = float("nan")
            says = _("refused: r(1 + g) = {kept} is not below 1 + i = {limit}").format(
                kept=_num(kept), limit=_num(limit))
        else:
            multiple = ev_.clv_multiple(retention, discount_rate, g)
            says = _("finite")
        rows.append({"margin_growth": float(g), "kept_factor": kept,
                     "clv_multiple": multiple, "model_says": says})
    return pd.DataFrame(rows, columns=["margin_growth", "kept_factor", "clv_multiple",
                                       "model_says"])


def growth_limit(retention: float, discount_rate: float) -> float:
    """The margin growth from which the model refuses: ``(1 + i) / r - 1``.

    At and above it ``r(1 + g) >= 1 + i``: the margin grows faster than it is lost and
    discounted, the series does not converge, and :func:`kamkit.evaluation.measures.clv_multiple`
    refuses.

    Examples
    --------
    >>> growth_limit(0.8, 0.10)
    0.375
    >>> bool(refusal_text(0.8, 0.10, 0.375)), bool(refusal_text(0.8, 0.10, 0.374))
    (True, False)
    """
    ev_.clv_multiple(retention, discount_rate)  # validates r and i
    if retention <= 0:
        raise ParameterError("retention", _("with r = 0 the customer never stays: no growth "
                                            "makes the value infinite"))
    return round((1.0 + discount_rate) / retention - 1.0, 12)


@self_check
def check_growth_limit(answer: object, retention: float, discount_rate: float
                       ) -> CheckResult:
    """Exercise "where the model refuses": the margin growth at which the value is infinite.

    Parameters
    ----------
    answer : number
        A growth rate as a fraction (0.375 for 37.5%).
    retention, discount_rate : float
        ``r`` and ``i`` of the exercise.

    Returns
    -------
    CheckResult
        Correct within :data:`GROWTH_TOLERANCE` of :func:`growth_limit`. Otherwise the
        message says what the model gives at the growth named (a finite multiple, or a
        refusal) and the hint points at the typical mistake (a percentage, the discount
        rate itself, forgetting the discount rate).

    Examples
    --------
    >>> check_growth_limit(1.1 / 0.8 - 1, 0.8, 0.10).ok
    True
    >>> check_growth_limit(0.10, 0.8, 0.10).status
    'incorrect'
    """
    limit = growth_limit(retention, discount_rate)
    value = read_number(answer)
    if value <= -1:
        raise AnswerError(_("a margin cannot shrink by 100% or more a year."),
                          _("write the growth as a fraction above \u22121, for example 0.05 "
                            "for 5%."))
    facts = {"r": _num(retention), "i": _num(discount_rate), "limit": _num(limit),
             "percent": format_percent(limit), "value": _num(value),
             "one_plus_i": _num(1.0 + discount_rate), "kept": _num(retention * (1.0 + value))}
    if abs(value - limit) <= GROWTH_TOLERANCE + 1e-9:
        return correct(_("Right: from g = {limit} ({percent} a year) r(1 + g) reaches "
                         "1 + i = {one_plus_i}. The margin would then grow faster than it is "
                         "lost to leaving customers and discounting: the sum of all future "
                         "years never stops growing, and no account is worth infinitely much. "
                         "The model refuses rather than give a number.").format(**facts))
    if abs(value - 100.0 * limit) <= 100.0 * GROWTH_TOLERANCE:
        return incorrect(_("{value} as a fraction is a growth of {as_percent} a year.").format(
            as_percent=format_percent(value, 0), **facts),
            _("Write the growth as a fraction: {percent} is {limit}.").format(**facts))
    if value < limit:
        multiple = ev_.clv_multiple(retention, discount_rate, value)
        message = _("At g = {value} the multiple is {multiple}: still finite, because r(1 + g) "
                    "= {kept} is below 1 + i = {one_plus_i}.").format(
            multiple=format_number(multiple, 2), **facts)
        if math.isclose(value, discount_rate, abs_tol=1e-9):
            hint = _("Growth equal to the discount rate is not enough: customers also leave, "
                     "so r(1 + g) stays below 1 + i. Where does r(1 + g) reach 1 + i?")
        elif math.isclose(value, 1.0 / retention - 1.0, abs_tol=GROWTH_TOLERANCE):
            hint = _("That is where r(1 + g) reaches 1: you left out the discount rate. The "
                     "model refuses where r(1 + g) reaches 1 + i.")
        else:
            hint = _("Look higher: the model refuses where r(1 + g) reaches 1 + i, so solve "
                     "r(1 + g) = 1 + i for g.")
        return incorrect(message, hint)
    return incorrect(_("At g = {value} the model already refuses: r(1 + g) = {kept} is not "
                       "below 1 + i = {one_plus_i}.").format(**facts),
                     _("The limit is lower: solve r(1 + g) = 1 + i for g."))


# --------------------------------------------------------------------------------------
# Exercise 3: a scenario of your own


_SCENARIO_KEYS = ("retention", "discount_rate", "margin_growth")


def _read_scenario(answer: object) -> dict[str, float]:
    values = read_mapping(answer, _SCENARIO_KEYS)
    out: dict[str, float] = {}
    for key, value in values.items():
        try:
            out[key] = read_number(value)
        except AnswerError as exc:
            raise AnswerError(f"{key}: {exc.message}", exc.hint) from None
    r, i, g = out["retention"], out["discount_rate"], out["margin_growth"]

    def as_fraction(value: float) -> str:
        return _("{percent}% is {fraction}.").format(percent=_num(value),
                                                     fraction=_num(value / 100.0))

    if 1 < r < 2:
        raise AnswerError(_("retention: {value} is above 1.").format(value=_num(r)),
                          _("Retention is a probability that the customer stays another year: "
                            "it cannot be above 1 (100%)."))
    if 2 <= r <= 100:
        raise AnswerError(_("retention: {value} is above 1.").format(value=_num(r)),
                          _("Retention is a probability, a fraction from 0 to 1:") + " "
                          + as_fraction(r))
    if not 0 <= r <= 1:
        raise AnswerError(_("retention: {value} is not a probability.").format(value=_num(r)),
                          _("Write a fraction from 0 to 1, for example 0.85."))
    if 1 < i <= 100:
        raise AnswerError(_("discount_rate: {value} is above 1.").format(value=_num(i)),
                          _("The discount rate is a fraction:") + " " + as_fraction(i))
    if not 0 <= i <= 1:
        raise AnswerError(_("discount_rate: {value} is outside 0 to 1.").format(value=_num(i)),
                          _("Write a fraction from 0 to 1, for example 0.10."))
    if g >= 1:
        raise AnswerError(_("margin_growth: {value} means the margin grows by {percent} a "
                            "year.").format(value=_num(g), percent=format_percent(g, 0)),
                          _("Margin growth is a fraction:") + " " + as_fraction(g))
    if g <= -1:
        raise AnswerError(_("margin_growth: a margin cannot shrink by 100% or more a year."),
                          _("Write a fraction above \u22121, for example \u22120.02 for "
                            "\u22122%."))
    return out


def _position(clv: float, scenarios: pd.DataFrame, currency: str | None) -> str:
    """Where a lifetime value lies among the scenarios, in words."""
    ordered = scenarios.sort_values("clv", kind="stable")
    values = ordered["clv"].to_numpy(dtype=float)
    names = [value_label(s) for s in ordered["scenario"]]
    money = [format_money(v, currency) for v in values]
    for k, v in enumerate(values):
        if math.isclose(clv, v, rel_tol=0.005):
            return _("about the same as the {name} scenario ({clv}).").format(
                name=names[k], clv=money[k])
    if clv < values[0]:
        return _("below the {name} scenario ({clv}).").format(name=names[0], clv=money[0])
    if clv > values[-1]:
        return _("above the {name} scenario ({clv}).").format(name=names[-1], clv=money[-1])
    k = int(np.searchsorted(values, clv))
    return _("between the {low} ({low_clv}) and {high} ({high_clv}) scenarios.").format(
        low=names[k - 1], low_clv=money[k - 1], high=names[k], high_clv=money[k])


@self_check
def check_scenario(answer: object, evaluation: ev_.Evaluation) -> CheckResult:
    """Exercise "your scenario": retention, discount rate and margin growth for an account.

    Parameters
    ----------
    answer : dict
        ``{"retention": r, "discount_rate": i, "margin_growth": g}``, as fractions.
    evaluation : Evaluation
        The account's evaluation (:func:`kamkit.evaluation.measures.evaluate`): its annual margin
        and its three scenarios.

    Returns
    -------
    CheckResult
        Correct for any scenario the model can value, with the lifetime value it gives and
        where it lies among the account's scenarios; the hint questions assumptions that
        the account's own trend contradicts. Percentages, a retention above 1, a customer
        who never leaves, no discounting and a refused scenario each get their own reply.

    Examples
    --------
    >>> from kamkit.evaluation.measures import evaluate
    >>> from kamkit.data.synth import company_x
    >>> ev = evaluate(company_x(), "CX-009")
    >>> check_scenario({"retention": 0.8, "discount_rate": 0.1, "margin_growth": 0}, ev).ok
    True
    >>> check_scenario({"retention": 85, "discount_rate": 0.1, "margin_growth": 0},
    ...                ev).status
    'invalid'
    """
    values = _read_scenario(answer)
    r, i, g = values["retention"], values["discount_rate"], values["margin_growth"]
    cur = evaluation.currency
    if evaluation.annual_margin <= 0:
        raise AnswerError(_("{name} earned no gross margin in the last 12 months: its lifetime "
                            "value is nothing, whatever the assumptions.").format(
            name=evaluation.name), _("trainer: choose an account with sales in the last 12 "
                                     "months."))
    facts = {"name": evaluation.name, "r": _num(r), "i": _num(i), "g": _num(g),
             "best": format_percent(float(evaluation.clv["retention"].max()), 0)}
    if r >= 1:
        return incorrect(_("With r = 1 {name} never leaves.").format(**facts),
                         _("No customer stays for ever: even the optimistic scenario keeps "
                           "{best} a year.").format(**facts))
    if i == 0:
        return incorrect(_("With i = 0 a euro of margin in ten years counts as much as a euro "
                           "today.").format(**facts),
                         _("Money has a cost: use the company's cost of capital, usually "
                           "8% to 12% (0.08 to 0.12)."))
    try:
        mine = ev_.clv_scenarios(evaluation.annual_margin, {"yours": values})
    except ParameterError:
        kept = r * (1.0 + g)
        return incorrect(_("The model refuses: r(1 + g) = {kept} is not below 1 + i = {limit}. "
                           "The margin would grow faster than it is lost and discounted, so "
                           "the sum of the future years never converges: the account would be "
                           "worth infinitely much.").format(kept=_num(kept), limit=_num(1 + i)),
                         _("Lower the growth g or the retention r, or raise the discount rate "
                           "i, until r(1 + g) is below 1 + i."))
    row = mine.iloc[0]
    fin = evaluation.financial.iloc[-1]
    message = _("Your scenario: a multiple of {multiple}, so a lifetime value of {clv} "
                "({margin} of yearly margin \u00d7 {multiple}); {name} would stay {years} years "
                "on average. That is {where}").format(
        multiple=format_number(row["clv_multiple"], 2), clv=format_money(row["clv"], cur),
        margin=format_money(evaluation.annual_margin, cur), years=format_number(
            row["lifetime_years"], 1), where=_position(float(row["clv"]), evaluation.clv, cur),
        **facts)
    message += "\n" + _("It is today's value of the margin {name} would bring while it stays, "
                        "not a forecast of what it will buy: {revenue} of revenue in the last "
                        "12 months left {margin} of margin.").format(
        revenue=format_money(fin["revenue"], cur),
        margin=format_money(evaluation.annual_margin, cur), **facts)
    growth = fin["revenue_growth"]
    hint = ""
    if g > 0 and _real(growth) and growth < 0:
        hint = _("Your margin grows by {g_percent} a year, while {name}'s revenue fell by "
                 "{fall} last year: what would make it grow?").format(
            g_percent=format_percent(g), fall=format_percent(-growth), **facts)
    elif r > float(evaluation.clv["retention"].max()):
        hint = _("Your retention is above the optimistic scenario's {best}: what makes you that "
                 "sure the customer stays?").format(**facts)
    return CheckResult("correct", message, hint)


# --------------------------------------------------------------------------------------
# Exercise 4: what pulls the score down most


def main_drag(health: ev_.Health) -> str | None:
    """The component that pulls the health score down most (None when none does).

    The most negative *drive* (weight x (score - 50)), ties by component name: the same
    rule as the review's ``main_drag`` (:func:`kamkit.review.portfolio.health_table`).

    Examples
    --------
    >>> from kamkit.evaluation.measures import evaluate
    >>> from kamkit.data.synth import company_x
    >>> main_drag(evaluate(company_x(), "CX-009").health)
    'revenue_growth'
    """
    scored = health.components.dropna(subset=["drive"])
    if scored.empty:
        return None
    drives = sorted(zip(scored["drive"], scored["component"], strict=True))
    drive, component = drives[0]
    return str(component) if drive < 0 else None


def _component_choices() -> dict[str, list[str]]:
    return label_choices(ev_.HEALTH_COMPONENTS, COMPONENT_WORDS)


@self_check
def check_main_drag(answer: object, evaluation: ev_.Evaluation) -> CheckResult:
    """Exercise "what pulls it down": the component with the most negative drive.

    Parameters
    ----------
    answer : str
        A component: its name (``"nps"``), its label in any kit language, an everyday word
        (``"revenue"``), or ``"none"`` when nothing pulls the score down.
    evaluation : Evaluation

    Returns
    -------
    CheckResult
        Correct for :func:`main_drag`. The lowest *score* with a smaller weight, the lowest
        *points*, a component that lifts the score and one without evidence each get
        their own hint.

    Examples
    --------
    >>> from kamkit.evaluation.measures import evaluate
    >>> from kamkit.data.synth import company_x
    >>> ev = evaluate(company_x(), "CX-009")
    >>> check_main_drag("revenue growth", ev).ok, check_main_drag("NPS", ev).status
    (True, 'incorrect')
    """
    h = evaluation.health
    drag = main_drag(h)
    c = h.components.set_index("component")
    name = evaluation.name

    def facts(component: str) -> dict[str, str]:
        row = c.loc[component]
        return {"name": name, "component": value_label(component),
                "measured": str(row["measured"]), "evidence": str(row["evidence"]),
                "score": format_number(row["score"], 1) if _real(row["score"]) else "\u2013",
                "weight": format_percent(row["weight"], 0),
                "drive": format_number(abs(row["drive"]), 1) if _real(row["drive"])
                else "\u2013",
                "points": format_number(row["points"], 1) if _real(row["points"]) else "\u2013"}

    if is_none(answer):
        if drag is None:
            return correct(_("Nothing pulls {name}'s score down: every component with evidence "
                             "is at or above the neutral 50.").format(name=name))
        return incorrect(_("Something does pull {name}'s score down.").format(name=name),
                         _("Look for the red bars of the chart: they go down from the "
                           "neutral 50."))
    given = read_choice(answer, _component_choices(), what=_("component of the health score"))
    f = facts(given)
    if given == drag:
        return correct(_("{component} pulls {name}'s score down most, by {drive} points (its "
                         "own score is {score} of 100, its weight {weight}). The evidence: "
                         "{evidence}").format(**f))
    if drag is None:
        return incorrect(_("{component} does not pull the score down: nothing does.").format(
            **f), _("Answer \"none\" when every bar goes up."))
    if not _real(c.at[given, "score"]):
        return incorrect(_("{component} is not scored for {name}: there is no evidence. {evidence}"
                           ).format(**f),
                         _("A component without evidence neither lifts nor pulls: its weight "
                           "goes to the others. Look at the bars of the chart."))
    if c.at[given, "drive"] >= 0:
        return incorrect(_("{component} lifts the score, by {drive} points (its own score is "
                           "{score}, above the neutral 50).").format(**f),
                         _("The components that pull the score down score below 50: their "
                           "bars are red."))
    scores = h.components.dropna(subset=["score"])
    if c.at[given, "score"] <= scores["score"].min() + 1e-9:
        return incorrect(_("{component} has the lowest score ({score} of 100), but it weighs "
                           "{weight}: it pulls the score down by {drive} points.").format(**f),
                         _("The push of a component is its weight \u00d7 (score \u2212 50). "
                           "Which component has the largest push down?"))
    if c.at[given, "points"] <= scores["points"].min() + 1e-9:
        return incorrect(_("{component} gives the fewest points ({points}), but points are a "
                           "component's share of the total, not its push from neutral: it "
                           "pulls the score down by {drive}.").format(**f),
                         _("Read the column \u201cPush from neutral 50\u201d."))
    return incorrect(_("{component} pulls the score down by {drive} points; another component "
                       "pulls harder.").format(**f),
                     _("Compare the red bars: which is the longest?"))


# --------------------------------------------------------------------------------------
# Exercise 5: weights that change the band


def _read_health_weights(answer: object) -> dict[str, float]:
    """A dictionary component -> weight (0 or more, not all 0), as the sliders give it."""
    return read_weights(
        answer, ev_.HEALTH_COMPONENTS, example='{"satisfaction": 0.3, "nps": 0.1}',
        unknown=_("{key!r} is not a component of the health score."),
        listing=_("the components are {keys}."),
        every=_("give every component a weight (0 leaves it out), then run the cell again."),
        one=_("give at least one component a weight above 0."))


@self_check
def check_band_weights(answer: object, evaluation: ev_.Evaluation, *,
                       bands: Mapping[str, float] | None = None) -> CheckResult:
    """Exercise "another colour": health weights that move the account into another band.

    Parameters
    ----------
    answer : dict
        Component -> weight (numbers of 0 or more; they are normalised).
    evaluation : Evaluation
        The account, scored with the default weights.
    bands : mapping, optional
        Lower bounds of amber and green (default :data:`kamkit.evaluation.measures.BANDS`).

    Returns
    -------
    CheckResult
        Correct when :func:`kamkit.evaluation.measures.reweigh` puts the account in another band
        than ``evaluation`` does; the message says what did *not* change (the evidence).

    Examples
    --------
    >>> from kamkit.evaluation.measures import evaluate
    >>> from kamkit.data.synth import company_x
    >>> ev = evaluate(company_x(), "CX-009")
    >>> check_band_weights({"satisfaction": 1, "relationship_depth": 1}, ev).ok
    True
    >>> check_band_weights({"revenue_growth": 1}, ev).status
    'incorrect'
    """
    weights = _read_health_weights(answer)
    h = evaluation.health
    scored = h.components.dropna(subset=["score"])
    if scored.empty:
        raise AnswerError(_("no component of {name}'s health has evidence, so no weights give "
                            "it a score.").format(name=evaluation.name),
                          _("trainer: record sales, feedback, contacts and a plan for the "
                            "account, or choose another account."))
    low, high = float(scored["score"].min()), float(scored["score"].max())
    reachable = {ev_.health_band(low, bands), ev_.health_band(high, bands)}
    if reachable == {h.band}:
        raise AnswerError(_("every component of {name} scores between {low} and {high}: no "
                            "weights take it out of {band}.").format(
            name=evaluation.name, low=format_number(low, 1), high=format_number(high, 1),
            band=value_label(h.band)),
            _("trainer: choose an account whose components disagree more."))
    new = ev_.reweigh(evaluation, weights, bands=bands).health
    facts = {"name": evaluation.name, "score": format_number(new.score, 1),
             "band": value_label(new.band), "old_score": format_number(h.score, 1),
             "old_band": value_label(h.band)}
    drag = main_drag(h)
    if not _real(new.score):
        return incorrect(_("Your weights fall only on components without evidence for {name}: "
                           "there is nothing to score.").format(**facts),
                         _("Give weight to components with a score in the table."))
    if new.band != h.band:
        same = (_("{component} still says: {evidence}").format(
            component=value_label(drag), evidence=h.evidence.get(drag, ""))
            if drag else "")
        return CheckResult("correct", _("With your weights {name} scores {score} ({band}) "
                                        "instead of {old_score} ({old_band}). Nothing about "
                                        "the account changed, only what counts how much.")
                           .format(**facts) + (" " + same if same else ""),
                           _("Would you score every key account with these weights? Weights "
                             "are agreed once, for the whole portfolio, before the review; "
                             "weights chosen for one account's colour hide its evidence."))
    still = _("With your weights {name} still scores {score} ({band}).").format(**facts)
    if np.allclose(new.components["drive"].fillna(0.0), h.components["drive"].fillna(0.0)):
        unscored = [n for n, w in weights.items() if w > 0 and n in h.missing]
        start = dict(zip(h.components["component"], h.components["weight"], strict=True))
        if unscored and any(not math.isclose(weights.get(n, 0.0) / sum(weights.values()),
                                             start[n]) for n in unscored):
            return incorrect(still, _("{components} has no evidence for {name}: its weight "
                                      "is shared among the others and changes nothing.")
                             .format(components=", ".join(value_label(n) for n in unscored),
                                     name=evaluation.name))
        return incorrect(still, _("These weights give the components the same shares as the "
                                  "starting weights: move the sliders first."))
    order = list(ev_.BANDS)  # red, amber, green
    up = order.index(ev_.health_band(high, bands)) > order.index(h.band)
    side = scored.sort_values("score", ascending=not up, kind="stable")["component"]
    components = _(" and ").join(value_label(n) for n in side.head(2))
    hint = (_("{name} scores best on {components}: give them more weight and the others "
              "less.") if up else _("{name} scores worst on {components}: give them more "
                                    "weight and the others less."))
    return incorrect(still, hint.format(components=components, **facts))


# --------------------------------------------------------------------------------------
# Exercise 6: what to change next cycle


def _owner_load(review: rv.Review) -> dict[str, int]:
    m = review.managers
    return dict(zip(m["manager"].astype(str), m["key_accounts"].astype(int), strict=True))


def _potential(review: rv.Review) -> list[str]:
    ident = review.results.identification or {}
    return [str(a["account_id"]) for a in ident.get("potential_key", []) or []
            if isinstance(a, dict) and a.get("account_id") is not None]


def review_facts(review: rv.Review, portfolio: Portfolio) -> pd.DataFrame:  # noqa: ANN001
    """What the review knows about each account, without its recommendations.

    Parameters
    ----------
    review : Review
        :func:`kamkit.review.portfolio.portfolio_review`.
    portfolio : Portfolio
        For the owners of accounts that are not key.

    Returns
    -------
    DataFrame
        One row per account of the review's matrix movement (the key accounts now, those
        of a period earlier and those that may become key) and of its health table:
        ``account_id``, ``name``, ``owner``, ``group`` (``key``, ``potential_key`` or
        empty), ``change`` (kept, joined, left), ``health_score``, ``health_band``,
        ``health_trend``, ``main_drag``, ``owner_key_accounts``.

    Examples
    --------
    >>> from kamkit.review.portfolio import portfolio_review
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> facts = review_facts(portfolio_review(cx, account_ids=["CX-009"]), cx)
    >>> row = facts.set_index("account_id").loc["CX-009"]
    >>> row["group"], int(row["owner_key_accounts"])
    ('key', 4)
    """
    columns = ["account_id", "name", "owner", "group", "change", "health_score",
               "health_band", "health_trend", "main_drag", "owner_key_accounts"]
    move = review.movement.set_index("account_id") if len(review.movement) else None
    health = review.health.set_index("account_id")
    ids = list(dict.fromkeys([*(review.movement["account_id"] if move is not None else []),
                              *review.health["account_id"]]))
    keys, potential = set(review.results.key_accounts), set(_potential(review))
    load = _owner_load(review)
    acc = portfolio.accounts.set_index("account_id")
    rows = []
    for key in ids:
        owner = acc.at[key, "owner"] if key in acc.index and "owner" in acc.columns else ""
        owner = "" if pd.isna(owner) else str(owner)
        h = health.loc[key] if key in health.index else None
        rows.append({
            "account_id": key,
            "name": str(acc.at[key, "name"]) if key in acc.index else "",
            "owner": owner,
            "group": "key" if key in keys else ("potential_key" if key in potential else None),
            "change": move.at[key, "change"] if move is not None and key in move.index
            else None,
            "health_score": h["health_score"] if h is not None else np.nan,
            "health_band": h["health_band"] if h is not None else None,
            "health_trend": h["health_trend"] if h is not None else np.nan,
            "main_drag": h["main_drag"] if h is not None else None,
            "owner_key_accounts": load.get(owner, 0),
        })
    frame = pd.DataFrame(rows, columns=columns)
    frame["owner_key_accounts"] = frame["owner_key_accounts"].astype("int64")
    return frame.astype({"health_score": "float64", "health_trend": "float64"})


def _kind_choices() -> dict[str, list[str]]:
    return label_choices([*KINDS, NO_CHANGE], _KIND_WORDS)


def _read_kinds(value: object, account: str) -> set[str]:
    items = list(value) if isinstance(value, (list, tuple, set)) else [value]
    if not items:
        return set()
    kinds = set()
    for item in items:
        if is_none(item):
            continue
        try:
            kinds.add(read_choice(item, _kind_choices(), what=_("recommendation")))
        except AnswerError as exc:
            raise AnswerError(f"{account}: {exc.message}", exc.hint) from None
    kinds.discard(NO_CHANGE)
    return kinds


def _read_decisions(answer: object, portfolio: Portfolio) -> dict[str, set[str]]:  # noqa: ANN001
    if not isinstance(answer, Mapping):
        raise AnswerError(_("the answer is not a dictionary of accounts and decisions."),
                          _("fill in the dictionary the exercise gives, for example "
                            "{example}.").format(example='{"CX-006": "promote"}'))
    if not answer:
        raise AnswerError(_("the dictionary is empty."),
                          _("give a decision for each account of the exercise."))
    missing = [str(k) for k, v in answer.items() if v is Ellipsis]
    if missing:
        raise AnswerError(_("some answers are missing: {keys}.").format(keys=", ".join(missing)),
                          _("give every account a decision (\"no change\" is one), then run "
                            "the cell again."))
    decisions: dict[str, set[str]] = {}
    for key, value in answer.items():
        account = read_account(key, portfolio)
        if account in decisions:
            raise AnswerError(_("{account} is named twice.").format(account=account),
                              _("give each account one line."))
        decisions[account] = _read_kinds(value, account)
    return decisions


def _why_not(kind: str, account: str, name: str, facts: pd.DataFrame,
             recommended: pd.DataFrame, falling: float) -> str:
    """Why the review does not recommend ``kind`` for ``account`` (from its tables)."""
    row = facts.loc[account] if account in facts.index else None
    key = row is not None and row["group"] == "key"
    data = {"name": name, "account": account}
    if row is not None and _real(row["health_score"]):
        data |= {"score": format_number(row["health_score"], 1),
                 "band": value_label(row["health_band"]).lower(),
                 "trend": ("+" if row["health_trend"] > 0 else "") + format_number(
                     row["health_trend"], 1) if _real(row["health_trend"]) else "\u2013"}
    own = recommended[recommended["account_id"] == account]
    if kind == "promote":
        if key:
            return _("{name} is a key account already.").format(**data)
        if row is not None and row["change"] == "left":
            return _("{name} was a key account and left the list: the question is whether to "
                     "keep it by a decision with its reason, or let it go.").format(**data)
        return _("Identification does not name {name} as an account that may become key."
                 ).format(**data)
    if kind == "demote":
        if key and row["health_band"] == "red":
            return _("Red health is a reason to intervene, not to drop the account: "
                     "identification still selects {name} as key. A key account in trouble first "
                     "gets corrective actions.").format(**data)
        if key:
            return _("Identification still selects {name} as key: it qualifies.").format(**data)
        return _("{name} is not a key account: there is nothing to demote.").format(**data)
    if kind == "rebalance":
        owner = row["owner"] if row is not None else ""
        load = int(row["owner_key_accounts"]) if row is not None else 0
        handed = recommended[recommended["kind"] == "rebalance"]
        if not key:
            return _("{name} is not a key account: no manager carries it as one.").format(
                **data)
        if owner and owner in set(handed["owner"]):
            other = handed[handed["owner"] == owner]["account_id"].iloc[0]
            return _("{owner} carries too many key accounts, but the review hands over "
                     "{other}, the lowest ranked of them.").format(owner=owner, other=other)
        return ngettext("{owner} carries {n} key account: within what the method allows.",
                        "{owner} carries {n} key accounts: within what the method allows.",
                        load).format(owner=owner or _("(no owner)"), n=load)
    if kind == "intervene":
        if not key or "score" not in data:
            return _("{name} is not a key account with a health score: there is no plan to "
                     "correct.").format(**data)
        return _("Health is {band} ({score}), {trend} points in one period: the review "
                 "intervenes where health is red or fell by {falling} points or more.").format(
            falling=format_number(falling, 0), **data)
    # no change, although the review recommends something
    first = own.iloc[0]
    return _("The review recommends: {kind}. {text}").format(
        kind=value_label(first["kind"]), text=first["recommendation"])


@self_check
def check_next_cycle(answer: object, portfolio: Portfolio, review: rv.Review, *,  # noqa: ANN001
                     falling: float = rv.FALLING) -> CheckResult:
    """Exercise "the next cycle": promote, demote, rebalance, intervene or no change.

    Parameters
    ----------
    answer : dict
        Account (id or part of its name) -> a decision: ``"promote"``, ``"demote"``,
        ``"rebalance"``, ``"intervene"`` (or their labels in any kit language),
        ``"no change"``, or a list of decisions.
    portfolio : Portfolio
    review : Review
        :func:`kamkit.review.portfolio.portfolio_review`; its recommendations are the answer.
    falling : float
        The review's ``falling`` (for the explanation of "intervene").

    Returns
    -------
    CheckResult
        Correct when every decision named is one the review recommends for that account
        (and "no change" where it recommends nothing). The message explains each account
        with the review's own words; a wrong decision gets a hint from the review's tables
        (already key, still selected, within the manager's load, no fall ...).

    Examples
    --------
    >>> from kamkit.review.portfolio import portfolio_review
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> r = portfolio_review(cx, account_ids=["CX-002", "CX-009"])
    >>> check_next_cycle({"CX-006": "promote", "CX-002": "intervene"}, cx, r).ok
    True
    >>> check_next_cycle({"CX-009": "demote"}, cx, r).status
    'incorrect'
    """
    decisions = _read_decisions(answer, portfolio)
    recs = review.recommendations
    facts = review_facts(review, portfolio).set_index("account_id")
    names = dict(zip(portfolio.accounts["account_id"], portfolio.accounts["name"],
                     strict=True))
    lines, wrong, remarks = [], [], []
    for account, given in decisions.items():
        own = recs[recs["account_id"] == account]
        expected = set(own["kind"])
        label = f"{account} {names.get(account, '')}".strip()
        extra = sorted(given - expected, key=KINDS.index)
        if extra:
            wrong.append((account, extra[0]))
            continue
        if not given and expected:
            wrong.append((account, NO_CHANGE))
            continue
        if not given:
            lines.append(_("{account}: no change, as the review says.").format(account=label))
            row = facts.loc[account] if account in facts.index else None
            if row is not None and row["health_band"] == "green" and _real(
                    row["health_trend"]) and row["health_trend"] < 0:
                remarks.append(_("{account} is green and needs no change of status, but not no "
                                 "attention: its score fell by {fall} points, and {drag} pulls "
                                 "it down most.").format(
                    account=label, fall=format_number(-row["health_trend"], 1),
                    drag=value_label(row["main_drag"]).lower() if row["main_drag"] else
                    "\u2013"))
            continue
        for r in own[own["kind"].isin(given)].itertuples():
            lines.append(_("{account}: {kind}. {text}").format(
                account=label, kind=value_label(r.kind), text=r.recommendation))
        for r in own[~own["kind"].isin(given)].itertuples():
            remarks.append(_("{account}: the review also recommends {kind}. {text}").format(
                account=label, kind=value_label(r.kind).lower(), text=r.recommendation))
    if not wrong:
        return CheckResult("correct", _("Every decision matches the review.") + "\n"
                           + "\n".join(lines), "\n".join(remarks))
    account, kind = wrong[0]
    label = f"{account} {names.get(account, '')}".strip()
    hint = _why_not(kind, account, names.get(account, account), facts, recs, falling)
    return incorrect(_("{right} of {n} match the review; look again at {accounts}.").format(
        right=len(decisions) - len(wrong), n=len(decisions),
        accounts=", ".join(a for a, _k in wrong)), f"{label}: {hint}")

