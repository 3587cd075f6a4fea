"""Stages 4 and 5 — evaluation of a key account: is the plan working, is the account healthy?

The method judges a key account by **financial measures** (revenue growth, a margin that
discounts may erode, customer lifetime value) and **qualitative measures** (satisfaction,
depth of the relationship across the customer's levels, retention, referrals), and then
feeds what it learns back into identification (methodology, stage 4/5). This module
computes each measure from the portfolio, judges the plan's **attainment**, and combines
everything into an **account health score** that shows its evidence::

    from kamkit.evaluation import measures as evaluation
    ev = evaluation.evaluate(portfolio, "CX-002")
    ev.health.score, ev.health.band, ev.trend       # 0-100, red/amber/green, change
    ev.health.components                             # what drives the score, and why
    evaluation.result_data(ev)                       # evaluation.json

Every function is pure: the portfolio's ``as_of`` is "today". Measures that lack data
are not errors: they are left out of the score and :attr:`Evaluation.gaps` says what is
missing and why it matters.

Financial measures
------------------
:func:`financial_trend` reads the rolling years of :func:`kamkit.needs.dossier.relationship`
and adds what the list price tells: ``list_revenue = revenue + discount`` (revenue is
net of discounts), ``discount_share = discount / list_revenue``, the gross margin rate
at list prices ``list_margin_rate = (gross_margin + discount) / list_revenue``, the
**margin erosion** ``list_margin_rate - margin_rate`` (percentage points the discounts
cost) and ``margin_given_away = discount / (gross_margin + discount)``, the share of
the margin at list prices handed to the customer. Revenue growth is year on year, and
over the years shown the compound annual growth rate :func:`revenue_cagr`. The share of
wallet trend is our share per wallet year from :func:`kamkit.needs.dossier.share_of_wallet`.

Customer lifetime value (margin-multiple model)
-----------------------------------------------
With an annual gross margin ``m``, a yearly retention probability ``r`` and a discount
rate ``i`` (the cost of capital), and the margin received at the end of each year the
customer stays, the lifetime value is the geometric series::

    CLV = m * r / (1 + i - r)                        (constant margin)
    CLV = m * r / (1 + i - r * (1 + g))              (margin growing by g a year)

The factor after ``m`` is the *margin multiple* (:func:`clv_multiple`): with ``r = 0.8``
and ``i = 0.10`` it is ``0.8 / 0.3 = 2.667``. The series converges only when
``1 + i > r * (1 + g)``; otherwise the value would be infinite and the parameters are
refused. Here ``m`` is the account's **gross margin of the last twelve months** (net
revenue minus cost of goods, after returns, credit notes and discounts). ``r``, ``i`` and
``g`` are assumptions, so :func:`clv_scenarios` shows them side by side in three
scenarios (:data:`DEFAULT_SCENARIOS`): pessimistic, expected and optimistic.

Qualitative measures
--------------------
* **Satisfaction** (1-5) and **NPS** per rolling year from the feedback table
  (:func:`feedback_trend`). NPS is the share of promoters (answers 9-10) minus the share
  of detractors (0-6), times 100, so it runs from -100 to 100 (:func:`nps_score`); it is
  a share, so it is computed over a year of answers, not per survey.
* **Referrals** given in each rolling year.
* **Depth of relationship** (:func:`relationship_depth`): how far strong relationships
  (``relationship_strength`` of at least the dossier's ``strong_relationship``, 4)
  reach into the customer::

      depth = 1/2 * levels / 4  +  1/2 * min(departments / target_departments, 1)

  ``levels``: levels of the hierarchy (executive, senior, middle, operational) where we
  hold at least one strong relationship; ``departments``: the customer's departments
  where we do. ``target_departments`` (default 4, as many as the buying roles the
  dossier requires) is where breadth counts as full: a fixed target, so recording one
  more weak contact can never lower the index. 0 = we reach nobody, 1 = every level and
  at least four departments.
* **Retention** (:func:`retention`): of the accounts buying (net revenue above 0) in a
  rolling year, the share still buying in the next. For the portfolio review it is
  computed over the key accounts identified one period earlier: are last year's key
  accounts still buying? Per account, :attr:`Evaluation.retention` says whether it
  bought in both of the last two years and its revenue retention (this year's revenue
  over last year's).

Plan attainment
---------------
:func:`goal_attainment` measures every goal where the plan can be checked:
:func:`kamkit.plan.account_plan.plan_kpis` gives the latest value (revenue, volume and margin from
the transactions of the goal's scope over the last twelve months; share of wallet from
the wallet estimates; any other measure from the goal's recorded ``actual``:
``measured_by`` says which). A goal without a baseline or target takes them as the SMART
check measures them (:func:`kamkit.plan.smart.check_goal`): the scope's revenue or units in
the twelve months before the goal started. Then::

    progress = (latest - baseline) / (target - baseline)      (1 = target reached)
    time elapsed = (as_of - start) / (deadline - start)       (0..1)

A goal is *achieved* when progress reaches 1, *missed* when its deadline has passed
before, *on track* when progress is at least the time elapsed (a straight path from
baseline to target), *behind* otherwise, *open* when it has no dates to judge the pace,
and *not measured* without numbers. A goal that holds a level (target equal to the
baseline: "keep our share at 50%") is on track while the latest value meets the target
(within 1% of it, :data:`HOLD_TOLERANCE`: estimates carry noise), and achieved when it
still does at the deadline.
Its **pace** is progress over time elapsed, capped to 0..1 (1 for achieved and on-track
goals). :func:`action_delivery` and :func:`milestone_slippage` judge the actions: done
on time, done late, overdue (relative to ``as_of``), and how many days milestones slip.

Account health score
--------------------
Nine components, each scored 0-100 where **50 is neutral** (flat, middling) so that every
component pushes the score up or down from the middle (:func:`component_score`):

==================  ====================================================  ========
component           score 0-100                                          weight
==================  ====================================================  ========
revenue_growth      50 + 250 x year-on-year growth (-20% -> 0, +20% -> 100)   15%
margin_trend        50 + 1000 x change of margin rate (+-5 points saturate)  10%
discount_erosion    100 x (1 - 2 x margin given away) (half or more -> 0)     5%
wallet_trend        50 + 500 x change of our share (+-10 points saturate)    10%
satisfaction        (mean satisfaction - 1) / 4 x 100, last 12 months         15%
nps                 (NPS + 100) / 2, last 12 months                          10%
relationship_depth  depth index x 100                                        10%
plan_attainment     mean pace of the measured goals x 100                    15%
action_delivery     share of actions due (or done) that were done on time     10%
==================  ====================================================  ========

The weights (:data:`DEFAULT_HEALTH_WEIGHTS`) give the money 40%, the customer's voice and
the relationship 35% and the plan 25%: revenue, satisfaction and plan attainment weigh
most, each being what the method names first in its group. They are a parameter,
validated and normalised as identification's weights are
(:func:`kamkit.identification.selection.check_weights`). A component without evidence (no
feedback, no plan, no wallet estimate, one year of sales) is left out and the weights of
the others are scaled up to 1; :attr:`Health.coverage` is the share of the weight that
had evidence. The score is ``sum(weight x score)``: each component's **points**; its
**drive** ``weight x (score - 50)`` is how far it moves the score from the neutral 50,
so the components that drive the score are read off directly.

**Bands** (:data:`BANDS`): green from 60, amber from 45, red below 45. Green asks for
evidence that is clearly good on balance, ten points above neutral. Red starts five
points below neutral, closer than green: a key account is an asset the company invests
in to grow, so an account that is losing ground on balance needs attention before it is
clearly lost. A flat, middling account (about 50) is amber: it holds, but does not yet
repay the investment.

**Trend**: the same score computed at ``as_of`` minus one period (``period_months``,
default 12; 3 for a quarter) from the same data, cut to what was known then
(:func:`portfolio_at`): sales, feedback, wallet and competitor estimates, needs, goals
started and actions finished by then. The data holds no history of contacts and their
relationship strength, or of the accounts' ratings, so those are read as they are today;
recorded goal actuals are today's and are not used for the earlier score.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from kamkit.data.labels import Field, register_fields, register_values
from kamkit.data.portfolio import Portfolio
from kamkit.data.sales import period, year_label
from kamkit.data.validation import is_blank
from kamkit.exceptions import ParameterError, whole_number
from kamkit.text.i18n import (
    N_,
    _,
    format_date,
    format_money,
    format_number,
    format_percent,
    ngettext,
)

__all__ = [
    "HEALTH_COMPONENTS",
    "DEFAULT_HEALTH_WEIGHTS",
    "DEFAULT_SCENARIOS",
    "DEFAULT_PERIOD_MONTHS",
    "BANDS",
    "NEUTRAL",
    "TARGET_DEPARTMENTS",
    "HOLD_TOLERANCE",
    "GOAL_STATUSES",
    "Scenario",
    "RelationshipDepth",
    "Health",
    "Gap",
    "Evaluation",
    "previous_as_of",
    "portfolio_at",
    "financial_trend",
    "revenue_cagr",
    "wallet_trend",
    "clv_multiple",
    "check_scenarios",
    "clv_scenarios",
    "nps_score",
    "feedback_trend",
    "feedback_history",
    "relationship_depth",
    "retention",
    "goal_attainment",
    "action_delivery",
    "milestone_slippage",
    "check_health_weights",
    "component_score",
    "measured_text",
    "health_band",
    "health_score",
    "evaluate",
    "reweigh",
    "result_data",
]

#: The components of the health score, in the order they are shown, with their labels.
HEALTH_COMPONENTS: dict[str, str] = {
    "revenue_growth": N_("Revenue growth"),
    "margin_trend": N_("Margin trend"),
    "discount_erosion": N_("Discount erosion"),
    "wallet_trend": N_("Share of wallet trend"),
    "satisfaction": N_("Satisfaction"),
    "nps": N_("NPS"),
    "relationship_depth": N_("Depth of relationship"),
    "plan_attainment": N_("Plan attainment"),
    "action_delivery": N_("Actions on time"),
}
#: Which part of the evaluation each component belongs to.
COMPONENT_GROUPS: dict[str, str] = {
    "revenue_growth": "financial", "margin_trend": "financial",
    "discount_erosion": "financial", "wallet_trend": "financial",
    "satisfaction": "qualitative", "nps": "qualitative", "relationship_depth": "qualitative",
    "plan_attainment": "plan", "action_delivery": "plan",
}
#: Default weights of the health score (reasons in the module documentation).
DEFAULT_HEALTH_WEIGHTS: dict[str, float] = {
    "revenue_growth": 0.15,
    "margin_trend": 0.10,
    "discount_erosion": 0.05,
    "wallet_trend": 0.10,
    "satisfaction": 0.15,
    "nps": 0.10,
    "relationship_depth": 0.10,
    "plan_attainment": 0.15,
    "action_delivery": 0.10,
}
#: A component scoring this neither helps nor hurts the account: flat, middling.
NEUTRAL = 50.0
#: Lower bounds of the bands: red below 45, amber from 45, green from 60.
BANDS: dict[str, float] = {"red": 0.0, "amber": 45.0, "green": 60.0}
#: Months between the score and the earlier one it is compared with.
DEFAULT_PERIOD_MONTHS = 12
#: Departments with a strong relationship at which breadth counts as full.
TARGET_DEPARTMENTS = 4
#: A goal that holds a level counts as met within this share of its target: estimates
#: such as a share of wallet carry noise (49.97% holds "50% or more").
HOLD_TOLERANCE = 0.01
#: Outcomes of a goal (:func:`goal_attainment`), best first.
GOAL_STATUSES = ("achieved", "on_track", "open", "behind", "missed", "not_measured")
#: Outcomes of an action (:func:`action_delivery`).
DELIVERY = ("on_time", "done", "late", "overdue", "not_due", "cancelled")
_LEVELS = 4
_YEARS = 3


@dataclass(frozen=True)
class Scenario:
    """One set of assumptions of the customer lifetime value.

    Parameters
    ----------
    name : str
        ``pessimistic``, ``expected``, ``optimistic`` or a name of your own.
    retention : float
        ``r``: probability that the customer stays another year (0-1).
    discount_rate : float
        ``i``: the yearly rate future margin is discounted at (cost of capital, 0-1).
    margin_growth : float
        ``g``: yearly growth of the margin while the customer stays (above -1).

    Examples
    --------
    >>> s = Scenario("expected", retention=0.8, discount_rate=0.1)
    >>> round(clv_multiple(s.retention, s.discount_rate, s.margin_growth), 3)
    2.667
    """

    name: str
    retention: float
    discount_rate: float
    margin_growth: float = 0.0


#: Pessimistic, expected and optimistic assumptions. Expected: a key account stays with
#: 85% probability a year (an expected relationship of 1 / (1 - 0.85) = 6.7 years) and
#: money costs 10% a year, a usual cost of capital for an industrial company, with a
#: flat margin. The other two move every assumption against or in our favour.
DEFAULT_SCENARIOS: tuple[Scenario, ...] = (
    Scenario("pessimistic", 0.75, 0.12, -0.02),
    Scenario("expected", 0.85, 0.10, 0.0),
    Scenario("optimistic", 0.92, 0.08, 0.03),
)

register_values({
    "red": N_("Red"),
    "amber": N_("Amber"),
    "green": N_("Green"),
    **HEALTH_COMPONENTS,
    "pessimistic": N_("Pessimistic"),
    "expected": N_("Expected"),
    "optimistic": N_("Optimistic"),
    "achieved": N_("Achieved"),
    "on_track": N_("On track"),
    "open": N_("Open: no dates to judge"),
    "behind": N_("Behind"),
    "missed": N_("Missed"),
    "not_measured": N_("Not measured"),
    "on_time": N_("Done on time"),
    "late": N_("Done late"),
    "overdue": N_("Overdue"),
    "not_due": N_("Not due yet"),
    "goal_text": N_("the goal's text"),
    "financial": N_("Financial"),
    "qualitative": N_("Qualitative"),
    "plan": N_("Plan"),
})
register_fields({
    "list_revenue": Field(N_("Revenue at list prices"), "money"),
    "discount_share": Field(N_("Discount, share of list price"), "percent"),
    "list_margin_rate": Field(N_("Margin % at list prices"), "percent"),
    "margin_erosion": Field(N_("Margin % lost to discounts"), "percent"),
    "margin_given_away": Field(N_("Share of margin given away"), "percent"),
    "share_of_wallet_change": Field(N_("Change of share"), "percent"),
    "scenario": Field(N_("Scenario"), "category"),
    "retention": Field(N_("Retention r"), "percent", 0),
    "discount_rate": Field(N_("Discount rate i"), "percent", 0),
    "margin_growth": Field(N_("Margin growth g"), "percent", 0),
    "annual_margin": Field(N_("Annual gross margin m"), "money"),
    "clv_multiple": Field(N_("Margin multiple"), "number", 2),
    "clv": Field(N_("Customer lifetime value"), "money"),
    "lifetime_years": Field(N_("Expected lifetime (years)"), "number", 1),
    "responses": Field(N_("Answers"), "int"),
    "nps_answers": Field(N_("NPS answers"), "int"),
    "promoters": Field(N_("Promoters (9-10)"), "int"),
    "passives": Field(N_("Passives (7-8)"), "int"),
    "detractors": Field(N_("Detractors (0-6)"), "int"),
    "nps_score": Field(N_("NPS"), "number", 0),
    "buying_before": Field(N_("Buying the year before"), "int"),
    "retained": Field(N_("Still buying"), "int"),
    "retention_rate": Field(N_("Retention rate"), "percent"),
    "baseline_from": Field(N_("Baseline from"), "category"),
    "progress": Field(N_("Progress"), "percent", 0),
    "time_elapsed": Field(N_("Time elapsed"), "percent", 0),
    "pace": Field(N_("Pace"), "percent", 0),
    "goal_status": Field(N_("Goal status"), "category"),
    "delivery": Field(N_("Delivery"), "category"),
    "days_late": Field(N_("Days late"), "int"),
    "slip_days": Field(N_("Slippage (days)"), "int"),
    "reached": Field(N_("Reached"), "bool"),
    "component": Field(N_("Component"), "category"),
    "component_group": Field(N_("Part"), "category"),
    "measured": Field(N_("Measured"), "text"),
    "drive": Field(N_("Push from neutral 50"), "number", 1),
})


# --------------------------------------------------------------------------------------
# Small helpers



def _num(value: Any) -> float:
    """A float, NaN for anything missing."""
    return float("nan") if is_blank(value) else float(value)


def _real(name: str, value: object, low: float | None = None, high: float | None = None,
          *, open_low: bool = False) -> float:
    """A real number within bounds, or a :class:`ParameterError` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(
            float(value)):
        raise ParameterError(name, _("a number; got {value!r}").format(value=value))
    number = float(value)
    too_low = low is not None and (number <= low if open_low else number < low)
    if too_low or (high is not None and number > high):
        if high is None:
            text = _("a number above {low}; got {value}") if open_low else _(
                "a number of {low} or more; got {value}")
            raise ParameterError(name, text.format(low=low, value=number))
        raise ParameterError(name, _("a number from {low} to {high}; got {value}").format(
            low=low, high=high, value=number))
    return number


def _clip(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return float(min(high, max(low, value)))


def _points(fraction: float, signed: bool = True) -> str:
    """A rate, or a change of one, in percentage points ("+2.1 points")."""
    return _("{sign}{value} points").format(sign="+" if signed and fraction > 0 else "",
                                            value=format_number(100.0 * fraction, 1))


def _signed_percent(fraction: float) -> str:
    return ("+" if fraction > 0 else "") + format_percent(fraction)


# --------------------------------------------------------------------------------------
# The portfolio at an earlier date


def previous_as_of(as_of: pd.Timestamp | str, months: int = DEFAULT_PERIOD_MONTHS
                   ) -> pd.Timestamp:
    """The day one period of ``months`` before ``as_of``; a month's end stays a month's end.

    Examples
    --------
    >>> str(previous_as_of("2026-06-30", 3).date()), str(previous_as_of("2026-06-15").date())
    ('2026-03-31', '2025-06-15')
    """
    day = pd.Timestamp(as_of)
    months = whole_number("months", months, 1, 24)
    earlier = day - pd.DateOffset(months=months)
    if day.is_month_end:
        earlier = earlier + pd.offsets.MonthEnd(0)
    return pd.Timestamp(earlier)


def portfolio_at(portfolio: Portfolio, as_of: pd.Timestamp | str):
    """The portfolio as its data stood on an earlier day: what was known then.

    Sales, feedback, needs and the dates of contacts and reviews after ``as_of`` are
    dropped; wallet and competitor estimates keep the years up to ``as_of``'s year;
    goals that started later are dropped, and so are their actions; actions finished
    later count as still in progress, and recorded goal actuals (today's values) are
    cleared. Contacts, ratings and opportunities carry no history and stay as they are.
    Used for the health trend and the portfolio matrix one period earlier.

    Parameters
    ----------
    portfolio : Portfolio
    as_of : Timestamp or str
        The earlier "today" (not after the portfolio's own ``as_of``).

    Returns
    -------
    Portfolio
        A new portfolio sharing the unchanged tables; nothing is validated again (every
        row comes from the validated portfolio).

    Raises
    ------
    ParameterError
        When ``as_of`` lies after the portfolio's ``as_of``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> earlier = portfolio_at(cx, "2026-03-31")
    >>> str(earlier.as_of.date()), str(earlier.transactions["date"].max().date())
    ('2026-03-31', '2026-03-31')
    >>> a = earlier.table_for("actions", "CX-001").set_index("action_id")
    >>> a.loc["A-001-01", "status"], len(a), len(cx.table_for("actions", "CX-001"))
    ('in_progress', 9, 11)
    """
    day = pd.Timestamp(as_of)
    if day > pd.Timestamp(portfolio.as_of):
        raise ParameterError("as_of", _("{date} lies after the portfolio's as-of date {as_of}; "
                                        "only an earlier day can be looked back at").format(
            date=format_date(day), as_of=format_date(portfolio.as_of)))
    t = dict(portfolio.tables)

    def upto(frame: pd.DataFrame, column: str, keep_blank: bool = True) -> pd.DataFrame:
        if frame.empty or column not in frame.columns:
            return frame
        dates = frame[column]
        mask = dates <= day
        if keep_blank:
            mask = mask | dates.isna()
        return frame.loc[mask.to_numpy(dtype=bool)].reset_index(drop=True)

    def blank_after(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        if frame.empty or column not in frame.columns:
            return frame
        later = (frame[column] > day).to_numpy(dtype=bool)
        if not later.any():
            return frame
        frame = frame.copy()
        frame.loc[later, column] = pd.NaT
        return frame

    t["transactions"] = upto(t["transactions"], "date", keep_blank=False)
    t["feedback"] = upto(t["feedback"], "date", keep_blank=False)
    t["needs"] = upto(t["needs"], "date")
    for name in ("wallet", "competitors"):
        frame = t[name]
        if not frame.empty:
            years = frame["year"].astype("Float64")
            keep = (years <= day.year).fillna(name == "competitors").to_numpy(dtype=bool)
            t[name] = frame.loc[keep].reset_index(drop=True)
    goals = upto(t["goals"], "start")
    if "actual" in goals.columns and not goals.empty:
        goals = goals.assign(actual=np.nan)
    t["goals"] = goals
    actions = t["actions"]
    if not actions.empty:
        actions = actions.loc[actions["goal_id"].isin(goals["goal_id"]).to_numpy(dtype=bool)]
        later = (actions["done_date"] > day).to_numpy(dtype=bool)
        if later.any():
            actions = actions.copy()
            actions.loc[later, "status"] = "in_progress"
            actions.loc[later, "done_date"] = pd.NaT
        t["actions"] = actions.reset_index(drop=True)
    t["accounts"] = blank_after(t["accounts"], "last_review")
    t["contacts"] = blank_after(t["contacts"], "last_contact")
    return replace(portfolio, tables=t, meta=replace(portfolio.meta, as_of=day))


# --------------------------------------------------------------------------------------
# Financial measures


def financial_trend(portfolio: Portfolio, account_id: str, *, years: int = _YEARS) -> pd.DataFrame:
    """Revenue, gross margin and the margin discounts take, per rolling year.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    years : int
        Rolling years to show (fewer when the portfolio's sales start later).

    Returns
    -------
    DataFrame
        Oldest year first: ``year`` (0 = last twelve months), ``label``, ``revenue``,
        ``gross_margin``, ``margin_rate``, ``discount``, ``revenue_growth`` (as
        :attr:`kamkit.needs.dossier.Relationship.by_year`), then ``list_revenue``
        (``revenue + discount``), ``discount_share`` (``discount / list_revenue``),
        ``list_margin_rate`` (margin rate at list prices), ``margin_erosion``
        (``list_margin_rate - margin_rate``) and ``margin_given_away``
        (``discount / (gross_margin + discount)``). Rates are NaN without revenue.

    Examples
    --------
    A year with revenue 90 after a discount of 10, and cost 60: the margin is 33.3% of
    net revenue but would be 40% at list prices, so discounts cost 6.7 points and give
    away a quarter of the margin.

    >>> from kamkit import from_frames
    >>> p = from_frames({
    ...     "accounts": pd.DataFrame({"account_id": ["A"], "name": ["Acme"]}),
    ...     "transactions": pd.DataFrame({"date": ["2026-03-31"], "account_id": ["A"],
    ...         "product": ["X"], "product_line": ["x"], "quantity": [1], "revenue": [90.0],
    ...         "cost": [60.0], "discount": [10.0]})}, {"as_of": "2026-06-30"})
    >>> row = financial_trend(p, "A").iloc[-1]
    >>> [round(float(row[c]), 4) for c in ("margin_rate", "list_margin_rate",
    ...                                    "margin_erosion", "margin_given_away")]
    [0.3333, 0.4, 0.0667, 0.25]
    """
    from kamkit.needs.dossier import relationship

    return _with_list_prices(relationship(portfolio, account_id, years=years).by_year)


def _with_list_prices(by_year: pd.DataFrame) -> pd.DataFrame:
    by_year = by_year.copy()
    revenue, margin, discount = by_year["revenue"], by_year["gross_margin"], by_year["discount"]
    listed = revenue + discount
    list_margin = margin + discount
    by_year["list_revenue"] = listed
    by_year["discount_share"] = (discount / listed).where(listed > 0)
    by_year["list_margin_rate"] = (list_margin / listed).where(listed > 0)
    by_year["margin_erosion"] = (by_year["list_margin_rate"] - by_year["margin_rate"]).where(
        revenue > 0)
    by_year["margin_given_away"] = (discount / list_margin).where(list_margin > 0)
    return by_year.reset_index(drop=True)


def revenue_cagr(trend: pd.DataFrame) -> float:
    """Compound annual growth of net revenue from the first to the last year of a trend.

    ``(last / first) ** (1 / (years - 1)) - 1``, as identification's growth criterion;
    NaN with fewer than two years or no revenue in the first year.

    Parameters
    ----------
    trend : DataFrame
        :func:`financial_trend` (oldest year first).

    Returns
    -------
    float

    Examples
    --------
    >>> revenue_cagr(pd.DataFrame({"revenue": [100.0, 110.0, 121.0]}))
    0.1
    >>> revenue_cagr(pd.DataFrame({"revenue": [0.0, 50.0]}))
    nan
    """
    values = trend["revenue"].astype(float).tolist()
    if len(values) < 2 or values[0] <= 0:
        return float("nan")
    return round((max(values[-1], 0.0) / values[0]) ** (1.0 / (len(values) - 1)) - 1.0, 12)


def wallet_trend(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """Our share of the customer's wallet per wallet year, and its change.

    Read from :func:`kamkit.needs.dossier.share_of_wallet` (our revenue over the customer's
    spend in the year).

    Returns
    -------
    DataFrame
        Oldest year first: ``year``, ``label``, ``share``, ``wallet_spend``,
        ``our_revenue``, ``share_of_wallet_change`` (against the year before). Empty
        without wallet estimates.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> w = wallet_trend(company_x(), "CX-009")
    >>> w["label"].tolist(), bool(w["share_of_wallet_change"].iloc[-1] < 0)
    (['2023/24', '2024/25', '2025/26'], True)
    """
    from kamkit.needs.dossier import share_of_wallet

    return _our_share(share_of_wallet(portfolio, account_id))


def _our_share(sow: pd.DataFrame) -> pd.DataFrame:
    from kamkit.needs.dossier import US

    columns = ["year", "label", "share", "wallet_spend", "our_revenue", "share_of_wallet_change"]
    if sow.empty:
        return pd.DataFrame(columns=columns)
    ours = sow[sow["party"] == US].sort_values("year", kind="stable").reset_index(drop=True)
    ours = ours.assign(share=ours["share"].astype(float))
    ours["share_of_wallet_change"] = ours["share"] - ours["share"].shift(1)
    return ours[columns]


# --------------------------------------------------------------------------------------
# Customer lifetime value


def clv_multiple(retention: float, discount_rate: float, margin_growth: float = 0.0) -> float:
    """The margin multiple ``r / (1 + i - r (1 + g))`` of the customer lifetime value.

    ``CLV = m x multiple`` for an annual margin ``m`` received at the end of each year
    the customer stays (module documentation).

    Parameters
    ----------
    retention : float
        ``r``, 0 to 1.
    discount_rate : float
        ``i``, 0 to 1.
    margin_growth : float
        ``g``, above -1 (0 = constant margin).

    Returns
    -------
    float

    Raises
    ------
    ParameterError
        For values out of range, and when ``r (1 + g) >= 1 + i``: the margin would grow
        faster than it is lost and discounted, and the value would be infinite.

    Examples
    --------
    >>> round(clv_multiple(0.8, 0.10), 3)
    2.667
    >>> round(clv_multiple(0.8, 0.10, 0.05), 3)
    3.077
    >>> clv_multiple(0.95, 0.10, 0.2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kamkit.exceptions.ParameterError: margin_growth: the margin-multiple model needs
    1 + i > r(1 + g), but r = 0.95, i = 0.1 and g = 0.2 give r(1 + g) = 1.14, not below ...
    """
    r = _real("retention", retention, 0.0, 1.0)
    i = _real("discount_rate", discount_rate, 0.0, 1.0)
    g = _real("margin_growth", margin_growth, -1.0, open_low=True)
    kept = r * (1.0 + g)
    if kept >= 1.0 + i:
        raise ParameterError("margin_growth", _(
            "the margin-multiple model needs 1 + i > r(1 + g), but r = {r}, i = {i} and g = {g} "
            "give r(1 + g) = {kept}, not below 1 + i = {limit}: the margin would grow faster "
            "than it is lost and discounted, and the lifetime value would be infinite. Lower "
            "the growth g or the retention r, or raise the discount rate i.").format(
            r=round(r, 6), i=round(i, 6), g=round(g, 6), kept=round(kept, 6),
            limit=round(1.0 + i, 6)))
    return r / (1.0 + i - kept)


def check_scenarios(scenarios: Mapping[str, Mapping[str, float]] | Iterable[Scenario] | None
                    = None) -> tuple[Scenario, ...]:
    """Validate CLV scenarios: ``{name: {"retention": r, "discount_rate": i,
    "margin_growth": g}}`` or :class:`Scenario` objects; ``None`` gives
    :data:`DEFAULT_SCENARIOS`.

    Returns
    -------
    tuple of Scenario
        In the order given.

    Raises
    ------
    ParameterError
        For an unknown or missing key, a bad value, or a scenario whose value is infinite.

    Examples
    --------
    >>> check_scenarios({"expected": {"retention": 0.8, "discount_rate": 0.1}})
    (Scenario(name='expected', retention=0.8, discount_rate=0.1, margin_growth=0.0),)
    """
    if scenarios is None:
        return DEFAULT_SCENARIOS
    out: list[Scenario] = []
    if isinstance(scenarios, Mapping):
        for name, values in scenarios.items():
            if not isinstance(values, Mapping):
                raise ParameterError("scenarios", _(
                    "each scenario is a mapping such as {example}; got {value!r} for {name}"
                ).format(example='{"retention": 0.85, "discount_rate": 0.1, "margin_growth": 0}',
                         value=values, name=name))
            unknown = sorted(set(values) - {"retention", "discount_rate", "margin_growth"})
            if unknown or "retention" not in values or "discount_rate" not in values:
                raise ParameterError("scenarios", _(
                    "scenario {name} needs retention and discount_rate (and may give "
                    "margin_growth); got {keys}").format(name=name, keys=", ".join(
                        sorted(map(str, values)))))
            out.append(Scenario(str(name), values["retention"], values["discount_rate"],
                                values.get("margin_growth", 0.0)))
    else:
        for s in scenarios:
            if not isinstance(s, Scenario):
                raise ParameterError("scenarios", _("a mapping of scenario name to "
                                                    "assumptions, or Scenario objects"))
            out.append(s)
    if not out:
        raise ParameterError("scenarios", _("give at least one scenario"))
    for s in out:
        clv_multiple(s.retention, s.discount_rate, s.margin_growth)  # raises when invalid
    return tuple(out)


def clv_scenarios(annual_margin: float, scenarios: Mapping[str, Mapping[str, float]]
                  | Iterable[Scenario] | None = None) -> pd.DataFrame:
    """The customer lifetime value under each scenario, side by side.

    Parameters
    ----------
    annual_margin : float
        ``m``: the account's gross margin of the last twelve months.
    scenarios : mapping or iterable of Scenario, optional
        See :func:`check_scenarios`; default :data:`DEFAULT_SCENARIOS`.

    Returns
    -------
    DataFrame
        One row per scenario: ``scenario``, ``retention``, ``discount_rate``,
        ``margin_growth``, ``lifetime_years`` (``1 / (1 - r)``, the expected years the
        customer stays; NaN when r = 1), ``clv_multiple``, ``annual_margin``, ``clv``.

    Examples
    --------
    >>> t = clv_scenarios(300000.0, {"expected": {"retention": 0.8, "discount_rate": 0.1}})
    >>> round(float(t.loc[0, "clv_multiple"]), 3), round(float(t.loc[0, "clv"]))
    (2.667, 800000)
    """
    m = _real("annual_margin", annual_margin)
    rows = []
    for s in check_scenarios(scenarios):
        multiple = clv_multiple(s.retention, s.discount_rate, s.margin_growth)
        rows.append({"scenario": s.name, "retention": float(s.retention),
                     "discount_rate": float(s.discount_rate),
                     "margin_growth": float(s.margin_growth),
                     "lifetime_years": 1.0 / (1.0 - s.retention) if s.retention < 1 else
                     float("nan"),
                     "clv_multiple": multiple, "annual_margin": m, "clv": m * multiple})
    return pd.DataFrame(rows, columns=["scenario", "retention", "discount_rate",
                                       "margin_growth", "lifetime_years", "clv_multiple",
                                       "annual_margin", "clv"])


# --------------------------------------------------------------------------------------
# Qualitative measures


def nps_score(answers: Iterable[object]) -> float:
    """Net Promoter Score of 0-10 answers: % promoters (9-10) minus % detractors (0-6).

    Parameters
    ----------
    answers : iterable of numbers
        Answers to "how likely are you to recommend us?"; missing ones are skipped.

    Returns
    -------
    float
        -100 to 100; NaN without answers.

    Raises
    ------
    ParameterError
        For an answer outside 0-10.

    Examples
    --------
    >>> nps_score([10, 9, 8, 7, 6, 0])
    0.0
    >>> nps_score([10, 10, 9, 5])
    50.0
    >>> nps_score([])
    nan
    """
    values = [float(a) for a in answers if not is_blank(a)]
    if not values:
        return float("nan")
    if any(v < 0 or v > 10 for v in values):
        raise ParameterError("answers", _("NPS answers run from 0 to 10"))
    promoters = sum(v >= 9 for v in values)
    detractors = sum(v <= 6 for v in values)
    return 100.0 * (promoters - detractors) / len(values)


def feedback_history(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """The account's feedback, oldest first: every answer with its comment.

    Returns
    -------
    DataFrame
        ``date``, ``respondent``, ``satisfaction``, ``nps``, ``referrals``, ``comment``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> h = feedback_history(company_x(), "CX-001")
    >>> h.loc[h["satisfaction"] == 2, ["date", "comment"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [[Timestamp('2025-05-15 00:00:00'),
      'Spare parts not available on time again; escalated to our management']]
    """
    fb = portfolio.table_for("feedback", account_id)
    columns = ["date", "respondent", "satisfaction", "nps", "referrals", "comment"]
    for c in columns:
        if c not in fb.columns:
            fb[c] = None
    return fb.sort_values("date", kind="stable")[columns].reset_index(drop=True)


def feedback_trend(portfolio: Portfolio, account_id: str, *, years: int = _YEARS) -> pd.DataFrame:
    """Satisfaction, NPS and referrals per rolling year (the same years as sales).

    Returns
    -------
    DataFrame
        Oldest year first, one row per rolling year ending at ``as_of``: ``year`` (0 =
        last twelve months), ``label``, ``responses``, ``satisfaction`` (mean, 1-5),
        ``nps_answers``, ``promoters``, ``passives``, ``detractors``, ``nps_score``
        (:func:`nps_score`) and ``referrals`` (sum). Years without answers show 0
        answers and NaN means.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> f = feedback_trend(company_x(), "CX-002")
    >>> f[["label", "responses", "satisfaction", "nps_score"]]
         label  responses  satisfaction  nps_score
    0  2023/24          4          3.50      -75.0
    1  2024/25          4          3.00      -50.0
    2  2025/26          4          3.25      -50.0
    """
    years = whole_number("years", years, 1)
    fb = portfolio.table_for("feedback", account_id)
    rows = []
    for k in range(years - 1, -1, -1):
        start, end = period(portfolio.as_of, 12, k)
        here = fb[(fb["date"] > start) & (fb["date"] <= end)]
        answers = here["nps"].dropna().astype(float)
        rows.append({
            "year": k, "label": year_label(portfolio.as_of, k), "responses": len(here),
            "satisfaction": float(here["satisfaction"].mean()) if here["satisfaction"].notna(
            ).any() else float("nan"),
            "nps_answers": len(answers), "promoters": int((answers >= 9).sum()),
            "passives": int(((answers >= 7) & (answers <= 8)).sum()),
            "detractors": int((answers <= 6).sum()), "nps_score": nps_score(answers),
            "referrals": int(here["referrals"].fillna(0).sum()),
        })
    return pd.DataFrame(rows, columns=["year", "label", "responses", "satisfaction",
                                       "nps_answers", "promoters", "passives", "detractors",
                                       "nps_score", "referrals"])


@dataclass(frozen=True, eq=False)
class RelationshipDepth:
    """How far strong relationships reach into the customer (:func:`relationship_depth`).

    Attributes
    ----------
    index : float
        0..1, NaN when the portfolio records no contacts at all.
    levels : int
        Levels of the customer's hierarchy with a strong relationship (of 4).
    departments : tuple of str
        The customer's departments with a strong relationship.
    target_departments : int
    strong_contacts, contacts : int
        Contacts with a strong relationship, and all contacts.
    strong_relationship : int
        The relationship strength (1-5) that counts as strong.
    by_level : DataFrame
        :attr:`kamkit.needs.dossier.DecisionMakingUnit.by_level` (``level``, ``contacts``,
        ``strong``, ``sponsors``, ``strongest``).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> print(relationship_depth(company_x(), "CX-007").describe())
    ... # doctest: +NORMALIZE_WHITESPACE
    Depth 25%: strong relationships (strength 4 or more) at 1 of 4 levels and in 1 of the
    4 departments that count as full breadth; 1 of 5 contacts are strong.
    """

    index: float
    levels: int
    departments: tuple[str, ...]
    target_departments: int
    strong_contacts: int
    contacts: int
    strong_relationship: int
    by_level: pd.DataFrame

    def describe(self) -> str:
        """The index and its parts in one sentence, in the current language."""
        if self.index != self.index:
            return _("The portfolio records no contacts, so the depth of the relationship "
                     "cannot be measured.")
        return _("Depth {index}: strong relationships (strength {strong} or more) at {levels} "
                 "of 4 levels and in {departments} of the {target} departments that count as "
                 "full breadth; {n} of {total} contacts are strong.").format(
            index=format_percent(self.index, 0), strong=self.strong_relationship,
            levels=self.levels, departments=len(self.departments),
            target=self.target_departments, n=self.strong_contacts, total=self.contacts)


def relationship_depth(portfolio: Portfolio, account_id: str, *, thresholds: Any = None,
                       target_departments: int = TARGET_DEPARTMENTS) -> RelationshipDepth:
    """The depth of relationship index: levels and departments reached with strong ties.

    ``depth = 1/2 x levels / 4 + 1/2 x min(departments / target_departments, 1)``, where
    levels and departments count those with at least one contact whose
    ``relationship_strength`` is the dossier's ``strong_relationship`` (4) or more
    (module documentation). Read from :func:`kamkit.needs.dossier.decision_making_unit`.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : kamkit.needs.dossier.Thresholds or mapping, optional
        ``strong_relationship`` is used (the same rule as the dossier's flags).
    target_departments : int
        Departments at which breadth counts as full (1 or more).

    Returns
    -------
    RelationshipDepth

    Examples
    --------
    Strong ties with the CEO (management) and a senior buyer (procurement), a weak one
    with an engineer: 2 of 4 levels and 2 of 4 departments, so the depth is 0.5.

    >>> from kamkit import from_frames
    >>> def person(n, dept, level, strength):
    ...     return {"account_id": "A", "name": n, "title": "", "department": dept,
    ...             "level": level, "buying_role": "", "influence": 3,
    ...             "attitude": "neutral", "relationship_strength": strength,
    ...             "our_owner": "", "last_contact": ""}
    >>> p = from_frames({
    ...     "accounts": pd.DataFrame({"account_id": ["A"], "name": ["Acme"]}),
    ...     "transactions": pd.DataFrame({"date": ["2026-03-31"], "account_id": ["A"],
    ...         "product": ["X"], "product_line": ["x"], "quantity": [1], "revenue": [90.0],
    ...         "cost": [60.0]}),
    ...     "contacts": pd.DataFrame([person("Ann", "management", "executive", 5),
    ...         person("Bo", "procurement", "senior", 4),
    ...         person("Cy", "engineering", "middle", 2)])}, {"as_of": "2026-06-30"})
    >>> d = relationship_depth(p, "A")
    >>> d.index, d.levels, d.departments
    (0.5, 2, ('management', 'procurement'))
    """
    from kamkit.needs.dossier import decision_making_unit, thresholds_of

    limits = thresholds_of(thresholds)
    target = whole_number("target_departments", target_departments, 1)
    dmu = decision_making_unit(portfolio, account_id, thresholds=limits)
    contacts = dmu.contacts
    strong = contacts[contacts["relationship_strength"] >= limits.strong_relationship]
    levels = int((dmu.by_level["strong"] > 0).sum())
    departments = tuple(sorted({str(d).strip() for d in strong["department"].dropna()
                                if str(d).strip()}))
    if not portfolio.has("contacts"):
        index = float("nan")
    else:
        index = 0.5 * levels / _LEVELS + 0.5 * min(len(departments) / target, 1.0)
    return RelationshipDepth(index=index, levels=levels, departments=departments,
                             target_departments=target, strong_contacts=len(strong),
                             contacts=len(contacts),
                             strong_relationship=int(limits.strong_relationship),
                             by_level=dmu.by_level)


def retention(portfolio: Portfolio, account_ids: Iterable[str] | None = None, *,
              years: int = _YEARS) -> pd.DataFrame:
    """Retention year over year: of the accounts buying in a year, how many still buy.

    An account is *buying* in a rolling year when its net revenue there is above 0.

    Parameters
    ----------
    portfolio : Portfolio
    account_ids : iterable of str, optional
        The accounts to follow (e.g. the key accounts identified a period earlier);
        default every account.
    years : int
        Rolling years to look at (``years - 1`` transitions).

    Returns
    -------
    DataFrame
        One row per transition, oldest first: ``label`` (the later year), ``buying_before``
        (accounts buying the year before), ``retained`` (of them, still buying),
        ``retention_rate`` (NaN when none bought the year before).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> r = retention(company_x(), ["CX-001", "CX-002", "CX-009"])
    >>> r[["label", "buying_before", "retained", "retention_rate"]]
         label  buying_before  retained  retention_rate
    0  2024/25              3         3             1.0
    1  2025/26              3         3             1.0
    """
    from kamkit.data.sales import sales_by_year

    years = whole_number("years", years, 2)
    tx = portfolio.transactions
    ids = None
    if account_ids is not None:
        ids = [portfolio.check_account(a) for a in account_ids]
        tx = tx[tx["account_id"].isin(ids)]
    by_year = sales_by_year(tx, portfolio.as_of, years=years)
    buying = {k: set(by_year.loc[(by_year["year"] == k) & (by_year["revenue"] > 0),
                                 "account_id"]) for k in range(years)}
    rows = []
    for k in range(years - 2, -1, -1):
        before = buying[k + 1]
        kept = before & buying[k]
        rows.append({"label": year_label(portfolio.as_of, k), "buying_before": len(before),
                     "retained": len(kept),
                     "retention_rate": len(kept) / len(before) if before else float("nan")})
    return pd.DataFrame(rows, columns=["label", "buying_before", "retained", "retention_rate"])


# --------------------------------------------------------------------------------------
# Plan attainment


def _time_elapsed(start: Any, deadline: Any, as_of: pd.Timestamp) -> float:
    if is_blank(deadline):
        return float("nan")
    deadline = pd.Timestamp(deadline)
    if deadline <= as_of:
        return 1.0
    if is_blank(start):
        return float("nan")
    start = pd.Timestamp(start)
    if start >= as_of:
        return 0.0
    return float((as_of - start).days) / float((deadline - start).days)


def goal_attainment(portfolio: Portfolio, account_id: str, *,
                    thresholds: Any = None) -> pd.DataFrame:
    """How far each goal of the plan has come, against its baseline, target and dates.

    The latest value comes from :func:`kamkit.plan.account_plan.plan_kpis` (``measured_by`` says
    from where); a missing baseline or target is taken as the SMART check measures it
    (:func:`kamkit.plan.smart.check_goal`). Progress, time elapsed, status and pace follow the
    rules of the module documentation.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : kamkit.plan.smart.SmartThresholds, optional
        For the SMART check that fills missing numbers.

    Returns
    -------
    DataFrame
        One row per goal, in the plan's order: ``goal_id``, ``goal``, ``metric``,
        ``scope``, ``baseline``, ``target``, ``baseline_from`` (``given``,
        ``goal_text``, ``transactions`` or ``wallet``; None without a baseline),
        ``current``, ``measured_by``, ``reading`` (baseline, target and latest value in
        words, formatted for the metric, as :func:`kamkit.plan.account_plan.plan_kpis` writes them),
        ``start``, ``deadline``, ``progress``, ``time_elapsed``, ``goal_status`` (one of
        :data:`GOAL_STATUSES`), ``pace`` (0..1, NaN when not measured), ``note``. Empty
        when the account has no goals.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> g = goal_attainment(company_x(), "CX-002").set_index("goal_id")
    >>> g.loc["G-002-1", ["goal_status", "measured_by"]].tolist()
    ['missed', 'recorded']
    >>> round(float(g.loc["G-002-1", "progress"]), 3)
    0.786
    """
    from kamkit.plan.account_plan import plan_kpis
    from kamkit.plan.smart import check_goal

    key = portfolio.check_account(account_id)
    as_of = pd.Timestamp(portfolio.as_of)
    goals = portfolio.table_for("goals", key)
    kpis = plan_kpis(portfolio, key)
    rows = []
    for g, k in zip(goals.to_dict(orient="records"), kpis.to_dict(orient="records"),
                    strict=True):
        baseline, target = _num(g.get("baseline")), _num(g.get("target"))
        source = "given" if baseline == baseline else None
        if baseline != baseline or target != target:
            parsed = check_goal(portfolio, key, g, thresholds=thresholds).goal
            if baseline != baseline and parsed.baseline is not None:
                baseline = float(parsed.baseline)
                origin = parsed.sources.get("baseline")
                source = "goal_text" if origin == "text" else (
                    "wallet" if g.get("metric") == "share_of_wallet" else "transactions")
            if target != target and parsed.target is not None:
                target = float(parsed.target)
        current = _num(k["current"])
        elapsed = _time_elapsed(g.get("start"), g.get("deadline"), as_of)
        progress, pace, note = float("nan"), float("nan"), ""
        if baseline != baseline or target != target:
            status = "not_measured"
            note = _("No baseline or target: the goal gives no numbers to measure against.")
        elif current != current:
            status = "not_measured"
            note = _("Nothing measures it yet: record its latest value in the goals table's "
                     "actual column.")
        elif target == baseline:
            met = current >= target - HOLD_TOLERANCE * abs(target)
            progress = 1.0 if met else (max(current, 0.0) / target if target > 0 else 0.0)
            status = ("achieved" if elapsed == 1.0 else "on_track") if met else (
                "missed" if elapsed == 1.0 else "behind")
            pace = 1.0 if met else _clip(progress, 0.0, 1.0)
            note = _("Holds a level: on track while the latest value meets the target (within "
                     "1%).")
        else:
            progress = (current - baseline) / (target - baseline)
            if progress >= 1.0:
                status, pace = "achieved", 1.0
            elif elapsed == 1.0:
                status, pace = "missed", _clip(progress, 0.0, 1.0)
            elif elapsed != elapsed:
                status, pace = "open", _clip(progress, 0.0, 1.0)
                note = _("Without a start and a deadline the pace cannot be judged.")
            elif progress >= elapsed:
                status, pace = "on_track", 1.0
            else:
                status, pace = "behind", _clip(progress / elapsed, 0.0, 1.0)
        rows.append({"goal_id": g["goal_id"], "goal": g["goal"], "metric": k["metric"],
                     "scope": g.get("scope"), "baseline": baseline, "target": target,
                     "baseline_from": source, "current": current,
                     "measured_by": k["measured_by"], "reading": k["reading"],
                     "start": g.get("start"),
                     "deadline": g.get("deadline"), "progress": progress,
                     "time_elapsed": elapsed, "goal_status": status, "pace": pace,
                     "note": note})
    columns = ["goal_id", "goal", "metric", "scope", "baseline", "target", "baseline_from",
               "current", "measured_by", "reading", "start", "deadline", "progress",
               "time_elapsed", "goal_status", "pace", "note"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"baseline": "float64", "target": "float64", "current": "float64",
                         "progress": "float64", "time_elapsed": "float64", "pace": "float64",
                         "start": "datetime64[ns]", "deadline": "datetime64[ns]"})


def action_delivery(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """Whether each action of the plan was delivered on time, relative to ``as_of``.

    ``delivery`` is ``on_time`` (done by its due date), ``done`` (done, without the date
    it was finished: counted as on time), ``late`` (done after its due date),
    ``overdue`` (due before ``as_of``, neither done nor cancelled), ``not_due`` (open,
    due later) or ``cancelled``. ``days_late`` counts the days after the due date (done
    late or overdue), else 0.

    Returns
    -------
    DataFrame
        :func:`kamkit.plan.account_plan.plan_actions` plus ``delivery`` and ``days_late``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> d = action_delivery(company_x(), "CX-003")
    >>> d.set_index("action_id").loc[["A-003-01", "A-003-03"], ["delivery", "days_late"]]
               delivery  days_late
    action_id
    A-003-01    overdue         30
    A-003-03       late          6
    """
    from kamkit.plan.account_plan import plan_actions

    a = plan_actions(portfolio, account_id)
    delivery, late = [], []
    for r in a.to_dict(orient="records"):
        if r["status"] == "cancelled":
            delivery.append("cancelled")
            late.append(0)
        elif r["status"] == "done":
            if is_blank(r["done_date"]):
                delivery.append("done")
                late.append(0)
            else:
                days = int((pd.Timestamp(r["done_date"]) - pd.Timestamp(r["due"])).days)
                delivery.append("on_time" if days <= 0 else "late")
                late.append(max(days, 0))
        elif r["overdue"]:
            delivery.append("overdue")
            late.append(int(r["days_overdue"]))
        else:
            delivery.append("not_due")
            late.append(0)
    return a.assign(delivery=pd.Series(delivery, index=a.index, dtype="object"),
                    days_late=pd.Series(late, index=a.index, dtype="int64"))


def milestone_slippage(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """The plan's milestone actions and how many days each has slipped.

    ``slip_days``: for a reached milestone, its finish date minus its due date (below 0 =
    early); for an open one past its due date, the days since (it is still slipping);
    NaN for an open one not yet due, a cancelled one, or one done without a date.

    Returns
    -------
    DataFrame
        ``action_id``, ``goal_id``, ``action``, ``department``, ``due``, ``done_date``,
        ``status``, ``reached`` (bool), ``slip_days``; by due date.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> m = milestone_slippage(company_x(), "CX-003")
    >>> m[["action_id", "reached", "slip_days"]]
      action_id  reached  slip_days
    0  A-003-01    False       30.0
    """
    from kamkit.plan.account_plan import plan_actions

    as_of = pd.Timestamp(portfolio.as_of)
    a = plan_actions(portfolio, account_id)
    m = a[a["milestone"].fillna(False).astype(bool)].copy()
    slips = []
    for r in m.to_dict(orient="records"):
        due = pd.Timestamp(r["due"])
        if r["status"] == "done" and not is_blank(r["done_date"]):
            slips.append(float((pd.Timestamp(r["done_date"]) - due).days))
        elif r["status"] not in ("done", "cancelled") and due < as_of:
            slips.append(float((as_of - due).days))
        else:
            slips.append(float("nan"))
    m["reached"] = (m["status"] == "done").astype(bool)
    m["slip_days"] = pd.Series(slips, index=m.index, dtype="float64")
    columns = ["action_id", "goal_id", "action", "department", "due", "done_date", "status",
               "reached", "slip_days"]
    return m.sort_values(["due", "action_id"], kind="stable")[columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# The health score


def check_health_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Validate health weights and normalise them to sum to 1, as identification's are.

    Parameters
    ----------
    weights : mapping of component to weight, optional
        Components of :data:`HEALTH_COMPONENTS`; ``None`` means
        :data:`DEFAULT_HEALTH_WEIGHTS`. Components left out weigh 0.

    Returns
    -------
    dict
        Positive weights, normalised, in the order of :data:`HEALTH_COMPONENTS`.

    Raises
    ------
    ParameterError
        For a negative or non-numeric weight, an unknown component (with close
        matches), or when no weight is above 0.

    Examples
    --------
    >>> check_health_weights({"satisfaction": 1, "nps": 1})
    {'satisfaction': 0.5, 'nps': 0.5}
    >>> check_health_weights({"nsp": 1})
    Traceback (most recent call last):
    ...
    kamkit.exceptions.ParameterError: weights: unknown criterion 'nsp'; did you mean 'nps'?
    """
    from kamkit.identification.selection import check_weights

    return check_weights(DEFAULT_HEALTH_WEIGHTS if weights is None else weights,
                         list(HEALTH_COMPONENTS))


def component_score(component: str, value: float) -> float:
    """Score a component's measured value 0-100 (50 = neutral); NaN stays NaN.

    ================== =========================================== =====================
    component          value                                       score
    ================== =========================================== =====================
    revenue_growth     year-on-year growth (0.06 = +6%)            50 + 250 x value
    margin_trend       change of the margin rate (0.01 = 1 point)  50 + 1000 x value
    discount_erosion   share of the margin given away (0..1)       100 x (1 - 2 x value)
    wallet_trend       change of our share (0.05 = 5 points)       50 + 500 x value
    satisfaction       mean satisfaction, 1-5                      (value - 1) x 25
    nps                NPS, -100..100                              (value + 100) / 2
    relationship_depth depth index, 0..1                           100 x value
    plan_attainment    mean pace of the goals, 0..1                100 x value
    action_delivery    share of actions done on time, 0..1         100 x value
    ================== =========================================== =====================

    Every score is capped to 0..100.

    Examples
    --------
    >>> component_score("revenue_growth", 0.06), component_score("nps", -20.0)
    (65.0, 40.0)
    >>> component_score("margin_trend", -0.08)
    0.0
    """
    if component not in HEALTH_COMPONENTS:
        raise ParameterError("component", _("one of {names}; got {value!r}").format(
            names=", ".join(HEALTH_COMPONENTS), value=component))
    if value is None or value != value:
        return float("nan")
    v = float(value)
    raw = {
        "revenue_growth": lambda: NEUTRAL + 250.0 * v,
        "margin_trend": lambda: NEUTRAL + 1000.0 * v,
        "discount_erosion": lambda: 100.0 * (1.0 - 2.0 * v),
        "wallet_trend": lambda: NEUTRAL + 500.0 * v,
        "satisfaction": lambda: (v - 1.0) * 25.0,
        "nps": lambda: (v + 100.0) / 2.0,
        "relationship_depth": lambda: 100.0 * v,
        "plan_attainment": lambda: 100.0 * v,
        "action_delivery": lambda: 100.0 * v,
    }[component]()
    return round(_clip(raw), 10)


def measured_text(component: str, value: float | None) -> str:
    """A component's measured value as people read it, in the current language.

    Examples
    --------
    >>> measured_text("revenue_growth", 0.063), measured_text("margin_trend", -0.012)
    ('+6.3%', '-1.2 points')
    >>> measured_text("satisfaction", 3.25), measured_text("nps", None)
    ('3.25', '\u2013')
    """
    if component not in HEALTH_COMPONENTS:
        raise ParameterError("component", _("one of {names}; got {value!r}").format(
            names=", ".join(HEALTH_COMPONENTS), value=component))
    v = _num(value)
    if v != v:
        return "\u2013"
    if component == "revenue_growth":
        return _signed_percent(v)
    if component in ("margin_trend", "wallet_trend"):
        return _points(v)
    if component == "satisfaction":
        return format_number(v, 2)
    if component == "nps":
        return format_number(v, 0)
    if component == "discount_erosion":
        return format_percent(v)
    return format_percent(v, 0)


def health_band(score: float, bands: Mapping[str, float] | None = None) -> str | None:
    """The band of a health score: ``red``, ``amber`` or ``green`` (None without a score).

    Parameters
    ----------
    score : float
    bands : mapping, optional
        Lower bound of ``amber`` and ``green`` (default :data:`BANDS`: 45 and 60).

    Examples
    --------
    >>> health_band(44.9), health_band(45.0), health_band(60.0), health_band(float("nan"))
    ('red', 'amber', 'green', None)
    """
    limits = _check_bands(bands)
    if score is None or score != score:
        return None
    if score >= limits["green"]:
        return "green"
    return "amber" if score >= limits["amber"] else "red"


def _check_bands(bands: Mapping[str, float] | None) -> dict[str, float]:
    if bands is None:
        return dict(BANDS)
    if not isinstance(bands, Mapping) or set(bands) - {"red", "amber", "green"} or not {
            "amber", "green"} <= set(bands):
        raise ParameterError("bands", _("a mapping with the lower bounds of amber and green, "
                                        "such as {example}").format(
            example='{"amber": 45, "green": 60}'))
    amber = _real("bands", bands["amber"], 0.0, 100.0)
    green = _real("bands", bands["green"], 0.0, 100.0)
    if not amber < green:
        raise ParameterError("bands", _("amber must start below green; got amber {amber} and "
                                        "green {green}").format(amber=amber, green=green))
    return {"red": 0.0, "amber": amber, "green": green}


@dataclass(frozen=True, eq=False)
class Health:
    """The account health score and its evidence (:func:`health_score`).

    Attributes
    ----------
    score : float
        0-100; NaN when no component has evidence.
    band : str or None
        ``red``, ``amber``, ``green``.
    components : DataFrame
        One row per component of :data:`HEALTH_COMPONENTS`: ``component``,
        ``component_group``, ``measured`` (the measured value, as text), ``score``
        (0-100, NaN without evidence), ``weight`` (as given), ``points`` (its share of
        the total: normalised weight x score), ``drive`` (normalised weight x
        (score - 50): how far it moves the score from neutral), ``evidence``.
    coverage : float
        Share of the weight whose components had evidence (0..1).
    as_of : Timestamp
    values, measured, evidence : dict
        The inputs of :func:`health_score`, so the score can be weighed again
        (:func:`reweigh`).

    Examples
    --------
    >>> h = health_score({"nps": -40.0, "satisfaction": 4.5, "revenue_growth": 0.02})
    >>> h.band, h.missing[:2], h.drivers(2)["component"].tolist()
    ('green', ['margin_trend', 'discount_erosion'], ['satisfaction', 'nps'])
    """

    score: float
    band: str | None
    components: pd.DataFrame
    coverage: float
    as_of: pd.Timestamp | None = None
    values: dict[str, float] = field(default_factory=dict, repr=False)
    measured: dict[str, str] = field(default_factory=dict, repr=False)
    evidence: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def missing(self) -> list[str]:
        """Components weighed but without evidence."""
        c = self.components
        return c.loc[(c["weight"] > 0) & c["score"].isna(), "component"].tolist()

    def explain(self) -> str:
        """Every component's push and evidence, the largest first, then those without
        evidence: one line each, in the current language.

        Examples
        --------
        >>> h = health_score({"nps": 20.0}, {"nps": 1, "satisfaction": 1},
        ...                  evidence={"nps": "NPS 20.", "satisfaction": "No answers."})
        >>> print(h.explain())
        +10.0 NPS (20): NPS 20.
        not scored Satisfaction: No answers.
        """
        from kamkit.data.labels import value_label

        lines = []
        for r in self.drivers(len(self.components)).itertuples():
            lines.append(_("{drive} {component} ({measured}): {evidence}").format(
                drive=("+" if r.drive > 0 else "") + format_number(r.drive, 1),
                component=value_label(r.component), measured=r.measured,
                evidence=r.evidence))
        for component in self.missing:
            lines.append(_("not scored {component}: {evidence}").format(
                component=value_label(component), evidence=self.evidence.get(component, "")))
        return "\n".join(lines)

    def drivers(self, n: int = 3) -> pd.DataFrame:
        """The ``n`` components that move the score most from neutral, either way."""
        c = self.components.dropna(subset=["drive"])
        order = np.lexsort((c["component"].to_numpy(), -c["drive"].abs().to_numpy()))
        return c.iloc[order[:n]].reset_index(drop=True)


def health_score(values: Mapping[str, float | None], weights: Mapping[str, float] | None
                 = None, *, bands: Mapping[str, float] | None = None,
                 measured: Mapping[str, str] | None = None,
                 evidence: Mapping[str, str] | None = None,
                 as_of: pd.Timestamp | None = None) -> Health:
    """Combine measured values into the health score (module documentation).

    Parameters
    ----------
    values : mapping of component to measured value
        Raw measures (see :func:`component_score`); missing or NaN = no evidence.
    weights : mapping, optional
        See :func:`check_health_weights`.
    bands : mapping, optional
        See :func:`health_band`.
    measured, evidence : mapping of component to text, optional
        How each value reads (default: :func:`measured_text`), and the evidence behind
        it (or why it is missing).
    as_of : Timestamp, optional

    Returns
    -------
    Health

    Examples
    --------
    Growth of +6% (score 65) and satisfaction 3.5 of 5 (62.5), weighted 2 to 1; NPS
    has no answers, so its weight goes to the others:

    >>> h = health_score({"revenue_growth": 0.06, "satisfaction": 3.5, "nps": None},
    ...                  {"revenue_growth": 2, "satisfaction": 1, "nps": 1})
    >>> round(h.score, 2), h.band, h.coverage, h.missing
    (64.17, 'green', 0.75, ['nps'])
    >>> growth = h.components.set_index("component").loc["revenue_growth"]
    >>> round(float(growth["points"]), 2), round(float(growth["drive"]), 2)
    (43.33, 10.0)
    """
    w = check_health_weights(weights)
    limits = _check_bands(bands)
    scores = {c: component_score(c, _num(values.get(c))) for c in HEALTH_COMPONENTS}
    used = {c: w.get(c, 0.0) for c in HEALTH_COMPONENTS if scores[c] == scores[c]}
    coverage = math.fsum(v for v in used.values())
    rows = []
    for c in HEALTH_COMPONENTS:
        s = scores[c]
        share = used.get(c, 0.0) / coverage if coverage > 0 and c in used else float("nan")
        rows.append({
            "component": c, "component_group": COMPONENT_GROUPS[c],
            "measured": (measured or {}).get(c) or measured_text(c, values.get(c)),
            "score": s, "weight": w.get(c, 0.0),
            "points": share * s if share == share else float("nan"),
            "drive": share * (s - NEUTRAL) if share == share else float("nan"),
            "evidence": (evidence or {}).get(c, ""),
        })
    frame = pd.DataFrame(rows, columns=["component", "component_group", "measured", "score",
                                        "weight", "points", "drive", "evidence"])
    total = math.fsum(frame["points"].dropna()) if coverage > 0 else float("nan")
    return Health(score=total, band=health_band(total, limits), components=frame,
                  coverage=coverage, as_of=as_of,
                  values={c: _num(values.get(c)) for c in HEALTH_COMPONENTS},
                  measured={c: r["measured"] for c, r in zip(HEALTH_COMPONENTS, rows,
                                                             strict=True)},
                  evidence=dict(evidence or {}))


# --------------------------------------------------------------------------------------
# Evaluating one account


@dataclass(frozen=True)
class Gap:
    """Something the evaluation could not measure: a stable ``code`` and a ``message``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> [g.code for g in evaluate(company_x(), "CX-011").gaps]
    ['no_wallet', 'no_plan']
    """

    code: str
    message: str


@dataclass(frozen=True, eq=False)
class _Measures:
    """What :func:`evaluate` measures at one date (now, or one period earlier)."""

    financial: pd.DataFrame
    wallet: pd.DataFrame
    feedback: pd.DataFrame
    depth: RelationshipDepth
    goals: pd.DataFrame
    actions: pd.DataFrame
    milestones: pd.DataFrame
    values: dict[str, float]
    evidence: dict[str, str]


def _discounts_recorded(portfolio: Portfolio) -> bool:
    """Whether any line of the portfolio records a discount (else the column was empty)."""
    tx = portfolio.transactions
    return "discount" in tx.columns and bool((tx["discount"].fillna(0.0) != 0).any())


def _measure(portfolio: Portfolio, key: str, *, years: int, dossier_thresholds: Any,
             smart_thresholds: Any, target_departments: int,
             discounts_recorded: bool) -> _Measures:
    from kamkit.needs.dossier import relationship

    cur = portfolio.currency
    rel = relationship(portfolio, key, years=years)  # read once: sales by year and wallet
    fin = _with_list_prices(rel.by_year)
    wallet = _our_share(rel.wallet)
    fb = feedback_trend(portfolio, key, years=years)
    depth = relationship_depth(portfolio, key, thresholds=dossier_thresholds,
                               target_departments=target_departments)
    goals = goal_attainment(portfolio, key, thresholds=smart_thresholds)
    actions = action_delivery(portfolio, key)
    milestones = milestone_slippage(portfolio, key)
    values: dict[str, float] = {}
    evidence: dict[str, str] = {}

    now = fin[fin["year"] == 0].iloc[0]
    before = fin[fin["year"] == 1].iloc[0] if (fin["year"] == 1).any() else None
    label_now = str(now["label"])
    label_before = year_label(portfolio.as_of, 1)
    # Revenue growth
    if before is not None and before["revenue"] > 0:
        g = float(now["revenue"]) / float(before["revenue"]) - 1.0
        values["revenue_growth"] = g
        evidence["revenue_growth"] = _("Net revenue {now} in {year} against {before} in "
                                       "{previous}.").format(
            now=format_money(now["revenue"], cur), year=label_now,
            before=format_money(before["revenue"], cur), previous=label_before)
    else:
        evidence["revenue_growth"] = _("No revenue in {previous}: growth needs sales in two "
                                       "years.").format(previous=label_before)
    # Margin trend
    if before is not None and now["revenue"] > 0 and before["revenue"] > 0:
        change = float(now["margin_rate"]) - float(before["margin_rate"])
        values["margin_trend"] = change
        evidence["margin_trend"] = _("Gross margin {now} of net revenue in {year} against "
                                     "{before} in {previous}.").format(
            now=format_percent(now["margin_rate"]), year=label_now,
            before=format_percent(before["margin_rate"]), previous=label_before)
    else:
        evidence["margin_trend"] = _("The margin trend needs revenue in {previous} and "
                                     "{year}.").format(previous=label_before, year=label_now)
    # Discount erosion
    given = float(now["margin_given_away"])
    if not discounts_recorded:
        evidence["discount_erosion"] = _("The portfolio records no discounts, so their "
                                         "erosion of the margin cannot be measured.")
    elif given == given:
        values["discount_erosion"] = given
        evidence["discount_erosion"] = _("Discounts of {discount} in {year} gave away {share} "
                                         "of the gross margin at list prices: margin {net} "
                                         "of net revenue instead of {listed}.").format(
            discount=format_money(now["discount"], cur), year=label_now,
            share=format_percent(given), net=format_percent(now["margin_rate"]),
            listed=format_percent(now["list_margin_rate"]))
    else:
        evidence["discount_erosion"] = _("No gross margin at list prices in {year}: nothing "
                                         "to erode.").format(year=label_now)
    # Share of wallet trend
    known = wallet.dropna(subset=["share"])
    if len(known) >= 2:
        last, prev = known.iloc[-1], known.iloc[-2]
        change = float(last["share"]) - float(prev["share"])
        values["wallet_trend"] = change
        evidence["wallet_trend"] = _("Our share of the customer's wallet {now} in {year} "
                                     "against {before} in {previous}.").format(
            now=format_percent(last["share"]), year=last["label"],
            before=format_percent(prev["share"]), previous=prev["label"])
    else:
        evidence["wallet_trend"] = _("The share-of-wallet trend needs estimates of the "
                                     "customer's spend in two years.")
    # Satisfaction and NPS over the last twelve months
    last_fb = fb[fb["year"] == 0].iloc[0]
    if last_fb["satisfaction"] == last_fb["satisfaction"]:
        values["satisfaction"] = float(last_fb["satisfaction"])
        evidence["satisfaction"] = ngettext(
            "Mean satisfaction {mean} of 5 from {n} answer in the last 12 months.",
            "Mean satisfaction {mean} of 5 from {n} answers in the last 12 months.",
            int(last_fb["responses"])).format(mean=format_number(last_fb["satisfaction"], 2),
                                              n=int(last_fb["responses"]))
    else:
        evidence["satisfaction"] = _("No satisfaction answer in the last 12 months.")
    if last_fb["nps_answers"] > 0:
        values["nps"] = float(last_fb["nps_score"])
        evidence["nps"] = ngettext(
            "NPS {nps} from {n} answer in the last 12 months: {promoters} promoters, "
            "{detractors} detractors.",
            "NPS {nps} from {n} answers in the last 12 months: {promoters} promoters, "
            "{detractors} detractors.", int(last_fb["nps_answers"])).format(
            nps=format_number(last_fb["nps_score"], 0), n=int(last_fb["nps_answers"]),
            promoters=int(last_fb["promoters"]), detractors=int(last_fb["detractors"]))
    else:
        evidence["nps"] = _("No answer to the recommendation question in the last 12 months.")
    # Depth of relationship
    if depth.index == depth.index:
        values["relationship_depth"] = depth.index
    evidence["relationship_depth"] = depth.describe()
    # Plan attainment
    judged = goals[goals["goal_status"] != "not_measured"]
    if len(judged):
        pace = float(judged["pace"].mean())
        values["plan_attainment"] = pace
        counts = judged["goal_status"].value_counts()
        evidence["plan_attainment"] = ngettext(
            "{n} goal measured: {achieved} achieved, {on_track} on track, {behind} behind, "
            "{missed} missed, {open} without dates.",
            "{n} goals measured: {achieved} achieved, {on_track} on track, {behind} behind, "
            "{missed} missed, {open} without dates.", len(judged)).format(
            n=len(judged), **{s: int(counts.get(s, 0)) for s in ("achieved", "on_track",
                                                                  "behind", "missed",
                                                                  "open")})
        if len(judged) < len(goals):
            evidence["plan_attainment"] += " " + ngettext(
                "{n} goal cannot be measured.", "{n} goals cannot be measured.",
                len(goals) - len(judged)).format(n=len(goals) - len(judged))
    elif goals.empty:
        evidence["plan_attainment"] = _("The account has no key account plan: there is no "
                                        "goal to measure.")
    else:
        evidence["plan_attainment"] = _("No goal of the plan can be measured yet: the goals "
                                        "have no numbers or no recorded value.")
    # Actions delivered on time
    due = actions[(actions["delivery"] != "cancelled") & (
        (actions["due"] <= portfolio.as_of) | actions["status"].eq("done"))]
    if len(due):
        counts = due["delivery"].value_counts()
        on_time = int(counts.get("on_time", 0) + counts.get("done", 0))
        share = on_time / len(due)
        values["action_delivery"] = share
        evidence["action_delivery"] = ngettext(
            "{on_time} of {n} action due or done by now was done on time; {late} done late, "
            "{overdue} overdue.",
            "{on_time} of {n} actions due or done by now were done on time; {late} done "
            "late, {overdue} overdue.", len(due)).format(
            on_time=on_time, n=len(due), late=int(counts.get("late", 0)),
            overdue=int(counts.get("overdue", 0)))
    elif actions.empty:
        evidence["action_delivery"] = _("The plan has no actions.")
    else:
        evidence["action_delivery"] = _("No action of the plan is due or done yet.")
    return _Measures(fin, wallet, fb, depth, goals, actions, milestones, values, evidence)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The evaluation of one key account (:func:`evaluate`).

    Attributes
    ----------
    account_id, name : str
    as_of : Timestamp
    currency : str or None
    period_months : int
        The period of the trend.
    financial : DataFrame
        :func:`financial_trend`.
    cagr : float
        :func:`revenue_cagr` over the years of ``financial``.
    wallet : DataFrame
        :func:`wallet_trend`.
    annual_margin : float
        ``m`` of the CLV: gross margin of the last twelve months.
    clv : DataFrame
        :func:`clv_scenarios` for ``annual_margin``.
    feedback : DataFrame
        :func:`feedback_trend`.
    history : DataFrame
        :func:`feedback_history`.
    depth : RelationshipDepth
    goals, actions, milestones : DataFrame
        :func:`goal_attainment`, :func:`action_delivery`, :func:`milestone_slippage`.
    health : Health
        Now.
    previous : Health
        The same score one period earlier (:func:`portfolio_at`).
    gaps : tuple of Gap
        What could not be measured, and why it matters.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> ev = evaluate(company_x(), "CX-001")
    >>> round(ev.trend, 1), ev.retention["retained"], round(ev.expected_clv())
    (13.9, True, 11705473)
    >>> ev.headline().iloc[0].tolist()
    ['Health', '72.5 (Green), +13.9 since Jun 30, 2025']
    >>> print(ev.gaps_text())
    Every measure had data: nothing is missing.
    """

    account_id: str
    name: str
    as_of: pd.Timestamp
    currency: str | None
    period_months: int
    financial: pd.DataFrame
    cagr: float
    wallet: pd.DataFrame
    annual_margin: float
    clv: pd.DataFrame
    feedback: pd.DataFrame
    history: pd.DataFrame
    depth: RelationshipDepth
    goals: pd.DataFrame
    actions: pd.DataFrame
    milestones: pd.DataFrame
    health: Health
    previous: Health
    gaps: tuple[Gap, ...] = field(default=())

    @property
    def trend(self) -> float:
        """Change of the health score since the previous period (points; NaN when either
        score is missing)."""
        return self.health.score - self.previous.score

    @property
    def retention(self) -> dict[str, Any]:
        """Per account: ``retained`` (bought in both of the last two rolling years; None
        with one year of history), ``revenue_retention`` (revenue of the last twelve
        months over the twelve before) and ``years_buying`` (rolling years with revenue
        above 0, of those shown)."""
        fin = self.financial
        now = fin[fin["year"] == 0]["revenue"]
        before = fin[fin["year"] == 1]["revenue"]
        rev_now = float(now.iloc[0]) if len(now) else 0.0
        rev_before = float(before.iloc[0]) if len(before) else float("nan")
        return {
            "retained": (bool(rev_now > 0 and rev_before > 0) if rev_before == rev_before
                         else None),
            "revenue_retention": rev_now / rev_before if rev_before > 0 else None,
            "years_buying": int((fin["revenue"] > 0).sum()),
            "years_shown": len(fin),
        }

    def expected_clv(self) -> float:
        """The CLV of the ``expected`` scenario, else of the middle scenario."""
        rows = self.clv[self.clv["scenario"] == "expected"]
        if rows.empty:
            rows = self.clv.iloc[[len(self.clv) // 2]]
        return float(rows["clv"].iloc[0])

    def gaps_text(self) -> str:
        """What could not be measured, one line each; a sentence saying so when nothing
        is missing."""
        if not self.gaps:
            return _("Every measure had data: nothing is missing.")
        return "\n".join(f"- {g.message}" for g in self.gaps)

    def gaps_table(self) -> pd.DataFrame:
        """What could not be measured: ``code`` and ``gap`` (the message), one row each."""
        return pd.DataFrame([{"code": g.code, "gap": g.message} for g in self.gaps],
                            columns=["code", "gap"])

    def headline(self) -> pd.DataFrame:
        """The headline figures as a two-column table (``figure``, ``figure_value``), as
        text in the current language."""
        cur = self.currency
        fin = self.financial.iloc[-1]
        fb = self.feedback.iloc[-1]
        share = self.wallet["share"].dropna()
        attained = self.goals[self.goals["goal_status"] != "not_measured"]
        rows = [
            (_("Health"), self._health_text()),
            (_("Revenue, last 12 months"), format_money(fin["revenue"], cur)),
            (_("Revenue growth, year on year"), _signed_percent(fin["revenue_growth"])
             if fin["revenue_growth"] == fin["revenue_growth"] else "\u2013"),
            (_("Revenue growth per year (CAGR)"), _signed_percent(self.cagr)
             if self.cagr == self.cagr else "\u2013"),
            (_("Gross margin, last 12 months"), _("{amount} ({rate})").format(
                amount=format_money(self.annual_margin, cur),
                rate=format_percent(fin["margin_rate"]))),
            (_("Margin eroded by discounts"), _points(fin["margin_erosion"], signed=False)
             if fin["margin_erosion"] == fin["margin_erosion"] else "\u2013"),
            (_("Share of wallet"), format_percent(share.iloc[-1]) if len(share) else "\u2013"),
            (_("Customer lifetime value (expected)"), format_money(self.expected_clv(), cur)),
            (_("Satisfaction, last 12 months"), format_number(fb["satisfaction"], 2)),
            (_("NPS, last 12 months"), format_number(fb["nps_score"], 0)),
            (_("Referrals, last 12 months"), format_number(fb["referrals"], 0)),
            (_("Depth of relationship"), format_percent(self.depth.index, 0)),
            (_("Goals achieved or on track"), _("{n} of {total}").format(
                n=int(attained["goal_status"].isin(["achieved", "on_track"]).sum()),
                total=len(self.goals)) if len(self.goals) else "\u2013"),
            (_("Overdue actions"), format_number(int((self.actions["delivery"] == "overdue"
                                                      ).sum()), 0)),
        ]
        return pd.DataFrame(rows, columns=["figure", "figure_value"])

    def _health_text(self) -> str:
        from kamkit.data.labels import value_label

        h = self.health
        if h.score != h.score:
            return _("not scored: no evidence")
        text = _("{score} ({band})").format(score=format_number(h.score, 1),
                                           band=value_label(h.band))
        if self.trend == self.trend:
            text += ", " + _("{change} since {date}").format(
                change=("+" if self.trend > 0 else "") + format_number(self.trend, 1),
                date=format_date(self.previous.as_of))
        return text

    def render(self) -> str:
        """A short text summary in the current language (what ``kamkit evaluate`` prints).

        Examples
        --------
        >>> from kamkit.data.synth import company_x
        >>> print(evaluate(company_x(), "CX-002").render())  # doctest: +ELLIPSIS
        Evaluation: АО «Казэнергоприбор» (CX-002)
        As of: Jun 30, 2026
        Health: 51.2 (Amber), -12.3 since Jun 30, 2025
        ...
        """
        from kamkit.data.labels import value_label

        lines = [_("Evaluation: {name} ({id})").format(name=self.name, id=self.account_id),
                 _("As of: {date}").format(date=format_date(self.as_of))]
        for label_, value in self.headline().itertuples(index=False):
            lines.append(f"{label_}: {value}")
        drivers = self.health.drivers()
        if len(drivers):
            lines.append(_("What drives the score:"))
            lines.extend("  {sign}{drive} {name}: {evidence}".format(
                sign="+" if d.drive > 0 else "", drive=format_number(d.drive, 1),
                name=value_label(d.component), evidence=d.evidence)
                for d in drivers.itertuples())
        if self.gaps:
            lines.append(_("Not measured:"))
            lines.extend(f"  - {g.message}" for g in self.gaps)
        return "\n".join(lines)


_GAP_TEXTS = {
    "one_year": N_("The account has sales in one rolling year only: revenue growth, CAGR and "
                   "the margin trend need at least two."),
    "no_sales": N_("The account has no sales in the last 12 months: the lifetime value has "
                   "no margin to build on."),
    "no_feedback": N_("No feedback is recorded for the account: satisfaction, NPS and "
                      "referrals cannot be measured. Ask the customer (a short survey each "
                      "quarter)."),
    "no_recent_feedback": N_("No feedback in the last 12 months: satisfaction and NPS are not "
                             "scored. Ask the customer again."),
    "no_wallet": N_("No estimate of the customer's spend in two years: the share-of-wallet "
                    "trend cannot be measured."),
    "no_contacts": N_("The portfolio records no contacts: the depth of the relationship "
                      "cannot be measured."),
    "no_plan": N_("The account has no key account plan: goal attainment and delivery cannot "
                  "be judged (stage 3)."),
    "goals_not_measured": N_("Some goals cannot be measured: they lack numbers or a recorded "
                             "latest value."),
    "no_discounts": N_("The portfolio records no discounts, so their erosion of the margin "
                       "cannot be measured."),
}


def _gaps(portfolio: Portfolio, key: str, m: _Measures) -> tuple[Gap, ...]:
    gaps: list[str] = []
    if int((m.financial["revenue"] != 0).sum()) <= 1 and "revenue_growth" not in m.values:
        gaps.append("one_year")
    if m.financial.iloc[-1]["revenue"] <= 0:
        gaps.append("no_sales")
    if not _discounts_recorded(portfolio):
        gaps.append("no_discounts")
    if portfolio.table_for("feedback", key).empty:
        gaps.append("no_feedback")
    elif "satisfaction" not in m.values and "nps" not in m.values:
        gaps.append("no_recent_feedback")
    if "wallet_trend" not in m.values:
        gaps.append("no_wallet")
    if "relationship_depth" not in m.values:
        gaps.append("no_contacts")
    if m.goals.empty:
        gaps.append("no_plan")
    elif (m.goals["goal_status"] == "not_measured").any():
        gaps.append("goals_not_measured")
    return tuple(Gap(code, _(_GAP_TEXTS[code])) for code in dict.fromkeys(gaps))


def evaluate(portfolio: Portfolio, account_id: str, *, weights: Mapping[str, float] | None = None,
             scenarios: Mapping[str, Mapping[str, float]] | Iterable[Scenario] | None = None,
             period_months: int = DEFAULT_PERIOD_MONTHS,
             bands: Mapping[str, float] | None = None, thresholds: Any = None,
             smart_thresholds: Any = None, target_departments: int = TARGET_DEPARTMENTS,
             years: int = _YEARS) -> Evaluation:
    """Evaluate one key account: measures, plan attainment, health and its trend.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    weights : mapping, optional
        Health weights (:func:`check_health_weights`; default
        :data:`DEFAULT_HEALTH_WEIGHTS`).
    scenarios : mapping or iterable of Scenario, optional
        CLV assumptions (:func:`check_scenarios`; default :data:`DEFAULT_SCENARIOS`).
    period_months : int
        How far back the trend looks: 12 (a year, default) or 3 (a quarter); 1 to 24.
    bands : mapping, optional
        Lower bounds of amber and green (:data:`BANDS`).
    thresholds : kamkit.needs.dossier.Thresholds or mapping, optional
        The dossier's rules (``strong_relationship`` for the depth index).
    smart_thresholds : kamkit.plan.smart.SmartThresholds, optional
        For the SMART check that fills missing goal numbers.
    target_departments : int
        See :func:`relationship_depth`.
    years : int
        Rolling years of history shown (2 or more).

    Returns
    -------
    Evaluation

    Raises
    ------
    UnknownAccountError
        When the portfolio has no such account (with close matches).
    ParameterError
        For bad weights, scenarios, bands or periods.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> ev = evaluate(company_x(), "CX-002")
    >>> ev.health.band, [g.code for g in ev.gaps]
    ('amber', [])
    >>> ev.goals.set_index("goal_id").loc["G-002-1", "goal_status"]
    'missed'
    """
    key = portfolio.check_account(account_id)
    period_months = whole_number("period_months", period_months, 1, 24)
    years = whole_number("years", years, 2)
    w = check_health_weights(weights)
    limits = _check_bands(bands)
    chosen = check_scenarios(scenarios)
    # Whether the data records discounts is a fact about the whole portfolio, not about
    # what is left of it at the earlier date.
    options = {"years": years, "dossier_thresholds": thresholds,
               "smart_thresholds": smart_thresholds, "target_departments": target_departments,
               "discounts_recorded": _discounts_recorded(portfolio)}
    now = _measure(portfolio, key, **options)
    earlier_day = previous_as_of(portfolio.as_of, period_months)
    before = _measure(portfolio_at(portfolio, earlier_day), key, **options)
    health = health_score(now.values, w, bands=limits, evidence=now.evidence,
                          as_of=pd.Timestamp(portfolio.as_of))
    previous = health_score(before.values, w, bands=limits, evidence=before.evidence,
                            as_of=earlier_day)
    margin = float(now.financial.iloc[-1]["gross_margin"])
    return Evaluation(
        account_id=key, name=str(portfolio.account(key)["name"]),
        as_of=pd.Timestamp(portfolio.as_of), currency=portfolio.currency,
        period_months=period_months, financial=now.financial,
        cagr=revenue_cagr(now.financial), wallet=now.wallet, annual_margin=margin,
        clv=clv_scenarios(margin, chosen), feedback=now.feedback,
        history=feedback_history(portfolio, key), depth=now.depth, goals=now.goals,
        actions=now.actions, milestones=now.milestones, health=health, previous=previous,
        gaps=_gaps(portfolio, key, now))


def reweigh(evaluation: Evaluation, weights: Mapping[str, float] | None = None, *,
            bands: Mapping[str, float] | None = None) -> Evaluation:
    """The same evaluation with other health weights or bands; nothing is measured again.

    Parameters
    ----------
    evaluation : Evaluation
    weights : mapping, optional
        See :func:`check_health_weights`.
    bands : mapping, optional
        See :func:`health_band`.

    Returns
    -------
    Evaluation
        ``health`` and ``previous`` scored with the new weights; the rest unchanged.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> ev = evaluate(company_x(), "CX-002")
    >>> round(reweigh(ev, {"nps": 1.0}).health.score, 1)
    25.0
    """
    def again(h: Health) -> Health:
        return health_score(h.values, weights, bands=bands, measured=h.measured,
                            evidence=h.evidence, as_of=h.as_of)

    return replace(evaluation, health=again(evaluation.health),
                   previous=again(evaluation.previous))


# --------------------------------------------------------------------------------------
# The results file


def _round(value: Any, digits: int = 4) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    f = float(value)
    return None if f != f or math.isinf(f) else round(f, digits)


def result_data(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as plain data for ``evaluation.json`` (docs/architecture.md).

    Holds ``account_id``, ``name``, ``as_of``, ``currency``, ``period_months``,
    ``health`` (``score``, ``band``, ``trend``, ``previous_score``, ``previous_band``,
    ``previous_as_of``, ``coverage``, ``components``: list of ``{component, score,
    weight, points, drive, measured, evidence}``, ``missing``), ``financial``, ``clv``
    (``annual_margin``, ``expected``, ``scenarios``), ``nps``, ``satisfaction``,
    ``referrals``, ``relationship_depth``, ``retention``, ``attainment`` (goals, actions,
    milestones) and ``gaps`` (``{code, message}``). Scores are rounded to 0.01 and
    fractions to 0.0001 so files do not churn on float noise; messages are in the
    current language.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> data = result_data(evaluate(company_x(), "CX-002"))
    >>> sorted(data["health"]), data["health"]["band"]  # doctest: +NORMALIZE_WHITESPACE
    (['band', 'components', 'coverage', 'missing', 'previous_as_of', 'previous_band',
      'previous_score', 'score', 'trend'], 'amber')
    >>> data["attainment"]["goals"]["missed"], data["attainment"]["actions"]["overdue"]
    (1, 1)
    """
    from kamkit.artifacts import to_jsonable

    ev = evaluation
    h, prev = ev.health, ev.previous
    fin = ev.financial.iloc[-1]
    fb = ev.feedback
    last, before = fb.iloc[-1], (fb.iloc[-2] if len(fb) > 1 else None)
    share = ev.wallet.dropna(subset=["share"]) if len(ev.wallet) else ev.wallet
    goals, actions, ms = ev.goals, ev.actions, ev.milestones
    judged = goals[goals["goal_status"] != "not_measured"]
    delivery = actions["delivery"].value_counts()
    due = actions[(actions["delivery"] != "cancelled") & (
        (actions["due"] <= ev.as_of) | actions["status"].eq("done"))]
    slips = ms["slip_days"].dropna()
    data = {
        "account_id": ev.account_id,
        "name": ev.name,
        "as_of": ev.as_of,
        "currency": ev.currency,
        "period_months": ev.period_months,
        "health": {
            "score": _round(h.score, 2),
            "band": h.band,
            "trend": _round(ev.trend, 2),
            "previous_score": _round(prev.score, 2),
            "previous_band": prev.band,
            "previous_as_of": prev.as_of,
            "coverage": _round(h.coverage),
            "components": [{"component": r.component, "score": _round(r.score, 2),
                            "weight": _round(r.weight), "points": _round(r.points, 2),
                            "drive": _round(r.drive, 2), "measured": r.measured,
                            "evidence": r.evidence}
                           for r in h.components.itertuples()],
            "missing": h.missing,
        },
        "financial": {
            "revenue_12m": _round(fin["revenue"], 2),
            "revenue_growth": _round(fin["revenue_growth"]),
            "cagr": _round(ev.cagr),
            "gross_margin_12m": _round(fin["gross_margin"], 2),
            "margin_rate": _round(fin["margin_rate"]),
            "discount_12m": _round(fin["discount"], 2),
            "margin_erosion": _round(fin["margin_erosion"]),
            "margin_given_away": _round(fin["margin_given_away"]),
            "share_of_wallet": _round(share["share"].iloc[-1]) if len(share) else None,
            "share_of_wallet_change": _round(share["share_of_wallet_change"].iloc[-1])
            if len(share) else None,
            "by_year": [{"label": r.label, "revenue": _round(r.revenue, 2),
                         "gross_margin": _round(r.gross_margin, 2),
                         "margin_rate": _round(r.margin_rate),
                         "discount": _round(r.discount, 2),
                         "margin_erosion": _round(r.margin_erosion)}
                        for r in ev.financial.itertuples()],
        },
        "clv": {
            "annual_margin": _round(ev.annual_margin, 2),
            "expected": _round(ev.expected_clv(), 2),
            "scenarios": [{"scenario": r.scenario, "retention": _round(r.retention),
                           "discount_rate": _round(r.discount_rate),
                           "margin_growth": _round(r.margin_growth),
                           "multiple": _round(r.clv_multiple), "clv": _round(r.clv, 2)}
                          for r in ev.clv.itertuples()],
        },
        "nps": {"score": _round(last["nps_score"], 2), "answers": int(last["nps_answers"]),
                "promoters": int(last["promoters"]), "passives": int(last["passives"]),
                "detractors": int(last["detractors"]),
                "previous": _round(before["nps_score"], 2) if before is not None else None},
        "satisfaction": {"mean": _round(last["satisfaction"]),
                         "answers": int(last["responses"]),
                         "previous": _round(before["satisfaction"]) if before is not None
                         else None},
        "referrals": {"last_12m": int(last["referrals"]),
                      "previous": int(before["referrals"]) if before is not None else None},
        "relationship_depth": {"index": _round(ev.depth.index), "levels": ev.depth.levels,
                               "departments": list(ev.depth.departments),
                               "target_departments": ev.depth.target_departments,
                               "strong_contacts": ev.depth.strong_contacts,
                               "contacts": ev.depth.contacts},
        "retention": {k: _round(v) if isinstance(v, float) else v
                      for k, v in ev.retention.items()},
        "attainment": {
            "score": _round(100.0 * judged["pace"].mean(), 2) if len(judged) else None,
            "goals": {"total": len(goals), "measured": len(judged),
                      **{s: int((goals["goal_status"] == s).sum()) for s in GOAL_STATUSES}},
            "goal_details": [{"goal_id": r.goal_id, "status": r.goal_status,
                              "progress": _round(r.progress), "pace": _round(r.pace),
                              "measured_by": r.measured_by}
                             for r in goals.itertuples()],
            "actions": {"total": len(actions), "due_or_done": len(due),
                        **{s: int(delivery.get(s, 0)) for s in DELIVERY}},
            "milestones": {"total": len(ms), "reached": int(ms["reached"].sum()),
                           "slipped": int((slips > 0).sum()),
                           "max_slip_days": int(slips.max()) if len(slips) else None},
        },
        "gaps": [{"code": g.code, "message": g.message} for g in ev.gaps],
    }
    return to_jsonable(data)
