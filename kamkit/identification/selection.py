"""Stage 1 — identification of key accounts.

Key accounts are not simply the biggest customers: the organisation writes down which
criteria matter and how much, caps the number of key accounts, and records every
exception. This module turns such a definition into a computation that any trainee can
check line by line::

    from kamkit.identification import selection as identification
    result = identification.identify(portfolio)            # default definition
    result.key_accounts                                    # the selected accounts
    identification.explain(result, "CX-005")               # why, criterion by criterion

The definition
--------------
**Criteria.** Data-driven ones are computed from the portfolio (see :data:`CRITERIA`):
revenue in the last twelve months and over three rolling years, revenue growth (CAGR),
gross margin, and growth potential (probability-weighted opportunities and the wallet
headroom, both taken from :mod:`kamkit.needs.dossier`). Rated ones come from the accounts
table: strategic role, willingness to collaborate, relationship stage (ordinal), the
team's growth-potential rating, the perception-ladder step, and any extra column of
numbers the organisation adds to its accounts (a column ``innovation`` can be weighted
as ``weights={"innovation": 0.1, ...}``). Higher is always better.

**Scores from 0 to 100 (percentile rule).** An account's score on a criterion is the
share of the *other* accounts with a known value that it beats::

    score = 100 * (number of accounts with a strictly lower value) / (n - 1)

so the lowest value scores 0 and a unique highest value 100; tied accounts share the
score of the lowest of them. Ranks ignore how far apart values are, so one giant
customer or one data-entry error cannot squash everybody else (robust to outliers).
A criterion whose known values are all equal (no spread), or known for fewer than two
accounts, scores 0 everywhere: it contributes nothing.

**Missing values score 0: no evidence, no credit.** A key account has to show its
strengths; an unknown rating, a growth rate that cannot be computed (no revenue in the
first year) or a wallet that was never estimated earns nothing on that criterion. The
``missing`` column names them, so the list of missing data is also a to-do list.
Zero is a real value, not a missing one: no sales in a year means revenue 0, and an
account without opportunities in a portfolio that records opportunities has 0.

**Weights** are non-negative, at least one is positive, and they are normalised to sum
to 1 (so scaling all of them changes nothing). The score of an account is the sum of
its *points*: ``points = weight * score`` per criterion, so every ranking can be
explained criterion by criterion (:func:`explain`).

**Selection.** The cap on key accounts is ``max_key`` or, by the method's rule, the
number of key account managers times one to three accounts each (:func:`key_account_cap`).
Accounts forced in (each with a reason) are selected first; accounts forced out, and
customers that do not accept key-account status (``accepts_key_status = no``), are not
selected; the others are taken by score, highest first (ties by account id), while they
reach ``min_score`` and places remain.

**Two groups the method names** among the accounts not selected:

* *big but not key*: among the ``cap`` largest by revenue in the last twelve months (the
  list revenue alone would choose), but scoring below 50 on the other criteria;
* *may become key* (potential key): growth potential — the weighted score on growth,
  opportunities, wallet headroom and the growth-potential rating — at least that of the
  typical (median) selected key account, and a score of at least ``min_score``.

Default weights
---------------
:data:`DEFAULT_WEIGHTS` follows Jones' four criteria (methodology, stage 1) and adds the
two things a KAM expert checks before investing in a partnership::

    revenue stream      30%  revenue_12m 15%, revenue_3y 15% (current and lasting)
    growth potential    20%  growth 5%, opportunity_value 10%, headroom 5%
    strategic role      15%
    collaboration       15%
    relationship stage  10%  how far the partnership has come
    gross margin        10%  value to us, not volume alone

Revenue matters but cannot make an account key on its own (30%); the four qualitative
and potential criteria together weigh more than size. Growth (CAGR) carries only 5%
because percentage growth of small accounts is noisy; opportunities, sized by the
account team with probabilities, carry more.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kamkit._fast import codes
from kamkit.data.labels import Field, register_fields, register_values
from kamkit.data.portfolio import Portfolio
from kamkit.data.sales import yearly
from kamkit.data.schema import LADDER_STEPS, RELATIONSHIP_STAGES, SCHEMAS
from kamkit.exceptions import ParameterError, whole_number
from kamkit.text.i18n import N_, _, format_money, format_number, format_percent, get_language

__all__ = [
    "Criterion",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "DEFAULT_MIN_SCORE",
    "DEFAULT_PER_MANAGER",
    "LEAN",
    "QUADRANTS",
    "GROUPS",
    "DECISIONS",
    "STRENGTH_CRITERIA",
    "Identification",
    "Stability",
    "available_criteria",
    "criterion_values",
    "percentile_scores",
    "criterion_scores",
    "check_weights",
    "key_account_cap",
    "identify",
    "reweigh",
    "explain",
    "contrasting_accounts",
    "criteria_table",
    "ranking",
    "concentration",
    "top_share",
    "concentration_summary",
    "abc_summary",
    "portfolio_matrix",
    "weight_stability",
    "result_data",
]


@dataclass(frozen=True)
class Criterion:
    """One criterion a definition of "key" can weigh.

    Parameters
    ----------
    name : str
        The name used in ``weights`` and as the column of raw values.
    label : str
        How it is shown (English source, translated when shown).
    description : str
        How it is measured (English source).
    side : {"customer", "ours"}
        ``customer``: a fact about the customer (account attractiveness);
        ``ours``: a fact about our position with it (relative strength).
    group : {"revenue", "potential", "other"}
        The revenue criteria and the potential criteria name the two groups of
        accounts the method cares about (big but not key, may become key).
    fmt : str
        How raw values are shown (a :data:`kamkit.reports.present.FORMATS` entry).
    """

    name: str
    label: str
    description: str
    side: str = "customer"
    group: str = "other"
    fmt: str = "number"


#: The criteria kamkit computes or reads, in the order tables show them. Columns of
#: numbers the organisation adds to its accounts become criteria of the same kind as
#: ``strategic_role`` (see :func:`available_criteria`).
CRITERIA: dict[str, Criterion] = {c.name: c for c in (
    Criterion("revenue_12m", N_("Revenue (12 months)"),
              N_("Net revenue in the twelve months up to the as-of date, after returns and "
                 "credit notes."), group="revenue", fmt="money"),
    Criterion("revenue_3y", N_("Revenue (3 years)"),
              N_("Net revenue over the three rolling years up to the as-of date: a lasting "
                 "revenue stream rather than one good year."), group="revenue", fmt="money"),
    Criterion("growth", N_("Growth (CAGR)"),
              N_("Compound annual growth of net revenue from the first to the last of the "
                 "three rolling years; missing when the first year had no revenue."),
              group="potential", fmt="percent"),
    Criterion("margin", N_("Gross margin %"),
              N_("Gross margin as a share of net revenue in the last twelve months; missing "
                 "without revenue."), side="ours", fmt="percent"),
    Criterion("opportunity_value", N_("Opportunities (weighted)"),
              N_("Probability-weighted annual revenue of the account's open opportunities in "
                 "year three (the size of opportunity of the dossier)."),
              group="potential", fmt="money"),
    Criterion("headroom", N_("Wallet headroom"),
              N_("The customer's spend in our categories that goes to other suppliers, in "
                 "the latest wallet year; missing without a wallet estimate."),
              group="potential", fmt="money"),
    Criterion("strategic_role", N_("Strategic role"),
              N_("Strategic role in its market, as rated (1-5): a leader or reference "
                 "customer rates high even with modest volume."), fmt="number"),
    Criterion("collaboration", N_("Collaboration"),
              N_("Willingness to collaborate long term and take advice, as rated (1-5)."),
              fmt="number"),
    Criterion("relationship_stage", N_("Relationship stage"),
              N_("Stage of the relationship, from exploratory (lowest) to integrated "
                 "(highest)."), side="ours", fmt="category"),
    Criterion("share_of_wallet", N_("Share of wallet"),
              N_("Our share of the customer's spend in our categories, in the latest wallet "
                 "year; missing without a wallet estimate."), side="ours", fmt="percent"),
    Criterion("growth_potential", N_("Growth potential (rated)"),
              N_("Growth potential as the account team rates it (1-5)."), group="potential",
              fmt="number"),
    Criterion("ladder_step", N_("Perception ladder"),
              N_("Where the customer places us on the perception ladder, from commodity "
                 "broker (lowest) to value enhancer (highest)."), side="ours",
              fmt="category"),
)}

#: The definition kamkit starts from (see the module documentation for the reasons).
DEFAULT_WEIGHTS: dict[str, float] = {
    "revenue_12m": 0.15,
    "revenue_3y": 0.15,
    "growth": 0.05,
    "opportunity_value": 0.10,
    "headroom": 0.05,
    "strategic_role": 0.15,
    "collaboration": 0.15,
    "relationship_stage": 0.10,
    "margin": 0.10,
}
#: An account must score at least this to be selected without being forced in.
DEFAULT_MIN_SCORE = 50.0
#: Key accounts per key account manager when the cap comes from the managers.
DEFAULT_PER_MANAGER = 3
#: One to three key accounts per manager (methodology, source 004).
PER_MANAGER_RANGE = (1, 3)
#: The criteria that measure our relative strength in the portfolio matrix (equal weights).
STRENGTH_CRITERIA = ("relationship_stage", "share_of_wallet", "margin")
#: Middle of the 0-100 scale: the line between "high" and "low" in groups and quadrants.
MIDDLE = 50.0
#: Quadrants of the attractiveness x relative-strength matrix, named after the strategy
#: McDonald's directional policy matrix gives each (Cranfield KAM portfolio).
QUADRANTS = {
    "invest_for_growth": N_("Invest for growth"),
    "invest_selectively": N_("Invest selectively"),
    "maintain": N_("Maintain"),
    "manage_for_cash": N_("Manage for cash"),
}
#: What identification reads from a portfolio: ``kamkit.load(path, **LEAN)`` reads (and
#: validates) only these tables and transaction columns, for large data, and keeps the
#: transactions only as sums by account and rolling year (``lines=False``).
LEAN: dict = {"tables": ("accounts", "transactions", "opportunities", "wallet"),
              "columns": {"transactions": ("date", "account_id", "doc_type", "quantity",
                                           "revenue", "cost")},
              "lines": False}
#: Orders of the ordinal criteria (lowest first).
_ORDINALS = {"relationship_stage": RELATIONSHIP_STAGES, "ladder_step": LADDER_STEPS}
_YEARS = 3
_OPPORTUNITY_HORIZON = 3

GROUPS = {
    "key": N_("Key account"),
    "big_not_key": N_("Big but not key"),
    "potential_key": N_("May become key"),
    "other": N_("Other"),
}
DECISIONS = {
    "forced_in": N_("Forced in"),
    "selected": N_("Selected by score"),
    "forced_out": N_("Forced out"),
    "declined": N_("Declines key status"),
    "below_min_score": N_("Below minimum score"),
    "cap_reached": N_("Cap reached"),
}

register_values({**GROUPS, **DECISIONS, **QUADRANTS})
register_fields({
    "score": Field(N_("Score"), "score"),
    "score_rank": Field(N_("Rank by score"), "int"),
    "rank": Field(N_("Key rank"), "int"),
    "selected": Field(N_("Key account"), "bool"),
    "group": Field(N_("Group"), "category"),
    "decision": Field(N_("Decision"), "category"),
    "reason": Field(N_("Reason"), "text"),
    "potential_score": Field(N_("Potential score"), "score"),
    "other_score": Field(N_("Score without revenue"), "score"),
    "missing": Field(N_("Missing data"), "text"),
    "accepts_key_status": Field(N_("Accepts key status"), "bool"),
    "criterion": Field(N_("Criterion"), "text"),
    "value": Field(N_("Value"), "text"),
    "weight": Field(N_("Weight"), "percent", 0),
    "points": Field(N_("Points"), "score"),
    "side": Field(N_("Side"), "category"),
    "known": Field(N_("Accounts with data"), "int"),
    "how_measured": Field(N_("How it is measured"), "text"),
    "attractiveness": Field(N_("Attractiveness"), "score"),
    "strength": Field(N_("Relative strength"), "score"),
    "revenue_share": Field(N_("Share of our revenue"), "percent"),
    "cumulative_share": Field(N_("Cumulative share of revenue"), "percent"),
    "customer_share": Field(N_("Share of customers"), "percent"),
    "abc": Field(N_("ABC class"), "text"),
    "accounts": Field(N_("Accounts"), "int"),
    "selected_share": Field(N_("Selected in draws"), "percent", 0),
    "depends_on_weights": Field(N_("Depends on the weights"), "bool"),
    **{c.name: Field(c.label, c.fmt, 0 if c.fmt == "number" else 1)
       for c in CRITERIA.values() if c.name not in ("strategic_role", "collaboration",
                                                     "growth_potential", "ladder_step",
                                                     "relationship_stage", "share_of_wallet")},
    **{f"{c.name}_points": Field(c.label, "score") for c in CRITERIA.values()},
})
register_values({"customer": N_("Customer"), "ours": N_("Ours")})


# --------------------------------------------------------------------------------------
# Criteria: raw values


def _extra_numbers(accounts: pd.DataFrame) -> dict[str, pd.Series]:
    """Columns the organisation added to its accounts that hold numbers only."""
    from kamkit.data.validation import to_numbers

    schema = SCHEMAS["accounts"]
    out: dict[str, pd.Series] = {}
    for col in accounts.columns:
        if schema.has_column(col) or col in CRITERIA:
            continue
        values, bad = to_numbers(accounts[col], decimal_comma=False)
        if not bad.any() and values.notna().any():
            out[col] = values
    return out


def available_criteria(portfolio: Portfolio) -> dict[str, Criterion]:
    """Every criterion this portfolio can be scored on: the built-in ones and extras.

    Extras are the accounts table's own numeric columns ``employees`` and
    ``annual_revenue`` (the customer's size) and any column the organisation added whose
    values are all numbers.

    Parameters
    ----------
    portfolio : Portfolio

    Returns
    -------
    dict of str to Criterion

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> list(available_criteria(company_x()))[:4]
    ['revenue_12m', 'revenue_3y', 'growth', 'margin']
    """
    out = dict(CRITERIA)
    accounts = portfolio.accounts
    for col, label in (("employees", N_("Employees")),
                       ("annual_revenue", N_("Customer's own revenue"))):
        if col in accounts.columns and accounts[col].notna().any():
            out[col] = Criterion(col, label, N_("A column of the accounts table."),
                                 fmt="money" if col == "annual_revenue" else "number")
    for col in _extra_numbers(accounts):
        out[col] = Criterion(col, col, N_("A column of numbers the organisation added to "
                                          "its accounts."))
    return out


def _opportunity_values(portfolio: Portfolio, ids: pd.Index) -> pd.Series:
    """Weighted opportunity in year three, by :func:`kamkit.needs.dossier.size_of_opportunity`."""
    from kamkit.needs.dossier import size_of_opportunity

    if not portfolio.has("opportunities"):
        return pd.Series(np.nan, index=ids)
    sizes = size_of_opportunity(portfolio)
    sizes = sizes[sizes["horizon"] == _OPPORTUNITY_HORIZON]
    (out,) = _per_account(ids, sizes["account_id"], sizes["weighted"], fill=0.0)
    out[np.isnan(out)] = 0.0
    return pd.Series(out, index=ids)


def _per_account(ids: pd.Index, keys: pd.Series, *columns: pd.Series, fill: float
                 ) -> list[np.ndarray]:
    """Each column (one value per row of ``keys``, keys unique) laid out along ``ids``,
    ``fill`` for ids without a row: one Arrow hash lookup for all columns, where
    ``reindex`` would hash every id through Python objects."""
    at = codes.positions(ids, keys)
    found = at >= 0
    out = []
    for column in columns:
        values = np.full(len(ids), fill)
        values[found] = column.to_numpy(dtype="float64")[at[found]]
        out.append(values)
    return out


def _wallet_values(portfolio: Portfolio, ids: pd.Index, sales: pd.DataFrame | None = None
                   ) -> tuple[pd.Series, pd.Series]:
    """Our share of wallet and the headroom in each account's latest wallet year, as
    :func:`kamkit.needs.dossier.share_of_wallet` computes them (for all accounts at once, with
    the last years' sales already summed, if given)."""
    from kamkit.needs.dossier import US, _wallet_shares

    if not portfolio.has("wallet"):
        return pd.Series(np.nan, index=ids), pd.Series(np.nan, index=ids)

    def by_year(years: int) -> pd.DataFrame:
        return sales if sales is not None and years <= _YEARS else yearly(portfolio, years)

    sow = _wallet_shares(portfolio.wallet, by_year, portfolio.competitors, portfolio.as_of)
    ours = sow[sow["party"] == US]
    ours = ours[ours["year"] == ours.groupby("account_id")["year"].transform("max")]
    share, headroom = _per_account(
        ids, ours["account_id"], ours["share"],
        (ours["wallet_spend"] - ours["our_revenue"]).clip(lower=0.0), fill=np.nan)
    return pd.Series(share, index=ids), pd.Series(headroom, index=ids)


def criterion_values(portfolio: Portfolio, criteria: Sequence[str] | None = None) -> pd.DataFrame:
    """Raw values of the criteria for every account, before scoring.

    Parameters
    ----------
    portfolio : Portfolio
    criteria : sequence of str, optional
        Names to compute (default: every :func:`available_criteria`).

    Returns
    -------
    DataFrame
        Indexed by ``account_id`` (sorted), one column per criterion. Ordinal criteria
        hold the position of the category (``relationship_stage``: 0 = exploratory ...
        4 = integrated). NaN means missing (see the module documentation).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> v = criterion_values(company_x(), ["revenue_12m", "strategic_role"])
    >>> v.loc["CX-005"].round(0).tolist()
    [158115.0, 5.0]
    """
    available = available_criteria(portfolio)
    names = list(available) if criteria is None else list(criteria)
    accounts = portfolio.accounts.sort_values("account_id", kind="stable")
    ids = pd.Index(accounts["account_id"], name="account_id")
    by_id = accounts.set_index("account_id")
    out: dict[str, pd.Series] = {}
    sales_needed = {"revenue_12m", "revenue_3y", "growth", "margin"} & set(names)
    years = None
    if sales_needed:
        years = yearly(portfolio, _YEARS)
        # Each row's account found once; then plain arrays (100,000 accounts: no pivot).
        at = codes.positions(years["account_id"], ids)
        known = at >= 0
        year = years["year"].to_numpy()[known]
        at = at[known]
        sold = years["revenue"].to_numpy(dtype="float64")[known]
        revenue = np.zeros((len(ids), _YEARS))
        revenue[at, year] = sold
        last_revenue = np.full(len(ids), np.nan)
        last_margin = np.full(len(ids), np.nan)
        now = year == 0
        last_revenue[at[now]] = sold[now]
        last_margin[at[now]] = years["gross_margin"].to_numpy(dtype="float64")[known][now]
        first = revenue[:, _YEARS - 1]
        total = revenue[:, 0].copy()
        for k in range(1, _YEARS):  # year by year, as a row sum adds them
            total += revenue[:, k]
        with np.errstate(invalid="ignore", divide="ignore"):
            growth = (revenue[:, 0].clip(min=0.0) / np.where(first > 0, first, np.nan)) ** (
                1.0 / (_YEARS - 1)) - 1.0
            margin = np.where(last_revenue > 0, last_margin / last_revenue, np.nan)
        out.update({name: pd.Series(v, index=ids) for name, v in (
            ("revenue_12m", revenue[:, 0]), ("revenue_3y", total), ("growth", growth),
            ("margin", margin))})
    if "opportunity_value" in names:
        out["opportunity_value"] = _opportunity_values(portfolio, ids)
    if {"share_of_wallet", "headroom"} & set(names):
        out["share_of_wallet"], out["headroom"] = _wallet_values(
            portfolio, ids, years)
    extras = _extra_numbers(portfolio.accounts)
    for name in names:
        if name in out:
            continue
        if name not in available:
            check_weights({name: 1.0}, available)  # raises with close matches
        if name in _ORDINALS:
            position = codes.positions(by_id[name], list(_ORDINALS[name]))
            out[name] = pd.Series(np.where(position >= 0, position, np.nan), index=ids)
        elif name in extras:
            out[name] = pd.Series(extras[name].to_numpy(), index=portfolio.accounts[
                "account_id"]).reindex(ids)
        else:
            out[name] = by_id[name].astype("float64")
    frame = pd.DataFrame({n: out[n].reindex(ids).astype("float64") for n in names},
                         index=ids)
    return frame


# --------------------------------------------------------------------------------------
# Scores 0-100


def percentile_scores(values: pd.Series | Sequence[float]) -> pd.Series:
    """Score values 0-100 by the percentile rule: the share of other accounts beaten.

    ``100 * (accounts with a strictly lower value) / (n - 1)``, where ``n`` counts the
    known values. Missing values score 0; so does everybody when the known values have
    no spread or fewer than two are known.

    Parameters
    ----------
    values : Series or sequence of float

    Returns
    -------
    Series
        Same index as ``values``.

    Examples
    --------
    >>> percentile_scores([10.0, 40.0, 40.0, 1000.0, 5000.0, None]).tolist()
    [0.0, 25.0, 25.0, 75.0, 100.0, 0.0]
    >>> percentile_scores([3.0, 3.0, 3.0]).tolist()
    [0.0, 0.0, 0.0]
    """
    s = pd.Series(values, dtype="float64") if not isinstance(values, pd.Series) else \
        values.astype("float64")
    x = s.to_numpy()
    known = ~np.isnan(x)
    values_known = x[known]
    order = np.argsort(values_known)  # ties get their run's start whatever their order
    sorted_known = values_known[order]
    n = len(sorted_known)
    out = np.zeros(len(x))
    if n >= 2 and sorted_known[0] != sorted_known[-1]:
        # accounts strictly lower = where the run of equal values starts in sorted order
        starts = np.flatnonzero(np.r_[True, sorted_known[1:] != sorted_known[:-1]])
        below = np.empty(n, dtype=np.int64)
        below[order] = np.repeat(starts, np.diff(np.r_[starts, n]))
        out[known] = 100.0 * below / (n - 1)
    return pd.Series(out, index=s.index)


def criterion_scores(values: pd.DataFrame) -> pd.DataFrame:
    """Apply :func:`percentile_scores` to every column of :func:`criterion_values`.

    Parameters
    ----------
    values : DataFrame
        Raw values, one column per criterion.

    Returns
    -------
    DataFrame
        Scores 0-100, same shape.

    Examples
    --------
    >>> criterion_scores(pd.DataFrame({"growth": [0.1, None, 0.5]}))["growth"].tolist()
    [0.0, 0.0, 100.0]
    """
    return pd.DataFrame({c: percentile_scores(values[c]) for c in values.columns},
                        index=values.index)


# --------------------------------------------------------------------------------------
# Parameters


def check_weights(weights: Mapping[str, float] | None,
                  available: Mapping[str, Criterion] | Sequence[str] | None = None
                  ) -> dict[str, float]:
    """Validate weights and normalise them to sum to 1 (zero weights are dropped).

    Parameters
    ----------
    weights : mapping of criterion name to number, optional
        ``None`` means :data:`DEFAULT_WEIGHTS`.
    available : mapping or sequence of str, optional
        Criterion names allowed (default: the built-in :data:`CRITERIA`).

    Returns
    -------
    dict
        Positive weights, normalised, in the order of ``available``.

    Raises
    ------
    ParameterError
        For a weight that is negative or not a number, an unknown criterion (with close
        matches), or when no weight is above 0.

    Examples
    --------
    >>> check_weights({"revenue_12m": 2, "strategic_role": 2, "growth": 0})
    {'revenue_12m': 0.5, 'strategic_role': 0.5}
    """
    import difflib

    names = list(available if available is not None else CRITERIA)
    if weights is None:
        weights = DEFAULT_WEIGHTS
    if not isinstance(weights, Mapping):
        raise ParameterError("weights", _("a mapping of criterion name to weight, such as "
                                          "{example}").format(
            example='{"revenue_12m": 0.3, "strategic_role": 0.2}'))
    clean: dict[str, float] = {}
    for name, value in weights.items():
        key = str(name).strip()
        if key not in names:
            near = difflib.get_close_matches(key, names, n=3, cutoff=0.5)
            hint = _("did you mean {names}?").format(names=_(" or ").join(
                repr(n) for n in near)) if near else _("the criteria are {names}").format(
                names=", ".join(names))
            raise ParameterError("weights", _("unknown criterion {name!r}; {hint}").format(
                name=key, hint=hint))
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer,
                                                             np.floating)):
            raise ParameterError("weights", _("the weight of {name} must be a number; got "
                                              "{value!r}").format(name=key, value=value))
        number = float(value)
        if not math.isfinite(number) or number < 0:
            raise ParameterError("weights", _("the weight of {name} is {value}; weights "
                                              "must be 0 or more").format(
                name=key, value=value))
        clean[key] = clean.get(key, 0.0) + number
    total = math.fsum(clean.values())
    if total <= 0:
        raise ParameterError("weights", _("at least one weight must be above 0"))
    if math.isclose(total, 1.0, rel_tol=1e-12):
        total = 1.0  # already normalised: keep the weights as written
    return {n: clean[n] / total for n in names if clean.get(n, 0.0) > 0}


def key_account_cap(portfolio: Portfolio, max_key: int | None = None,
                    key_account_managers: int | None = None,
                    accounts_per_manager: int = DEFAULT_PER_MANAGER) -> int:
    """The largest number of key accounts: ``max_key``, or managers x accounts each.

    Parameters
    ----------
    portfolio : Portfolio
    max_key : int, optional
        The cap itself (1 or more); when given, it wins.
    key_account_managers : int, optional
        Defaults to ``portfolio.meta.key_account_managers``.
    accounts_per_manager : int
        One to three key accounts per manager (the method's rule).

    Returns
    -------
    int

    Raises
    ------
    ParameterError
        For a cap below 1, managers below 1, accounts per manager outside 1-3, or when
        neither ``max_key`` nor a number of managers is known.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> key_account_cap(company_x())
    9
    >>> key_account_cap(company_x(), accounts_per_manager=2)
    6
    """
    per = whole_number("accounts_per_manager", accounts_per_manager, *PER_MANAGER_RANGE)
    if max_key is not None:
        return whole_number("max_key", max_key, 1)
    managers = key_account_managers if key_account_managers is not None else \
        portfolio.meta.key_account_managers
    if managers is None:
        raise ParameterError("key_account_managers", _(
            "the portfolio's meta does not say how many key account managers there are; "
            "pass key_account_managers or max_key"))
    return whole_number("key_account_managers", managers, 1) * per


def _overrides(portfolio: Portfolio, name: str, value: Mapping[str, str] | None) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ParameterError(name, _("a mapping of account id to the reason, such as "
                                     "{example}").format(
            example='{"CX-006": "fastest grower, board decision"}'))
    out: dict[str, str] = {}
    for account_id, reason in value.items():
        key = portfolio.check_account(account_id)
        if not isinstance(reason, str) or not reason.strip():
            raise ParameterError(name, _("give the reason for {id}: every override is "
                                         "recorded with its reason").format(id=key))
        out[key] = reason.strip()
    return out


# --------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True)
class Identification:
    """The outcome of :func:`identify`: scores, decisions and the definition used.

    Attributes
    ----------
    table : DataFrame
        One row per account, best score first: ``account_id``, ``name``,
        ``revenue_12m``, ``score``, ``score_rank`` (1 = best), ``selected``, ``rank``
        (1.. among key accounts, empty otherwise), ``group`` (``key``,
        ``big_not_key``, ``potential_key``, ``other``), ``decision`` (``forced_in``,
        ``selected``, ``forced_out``, ``declined``, ``below_min_score``,
        ``cap_reached``), ``reason`` (a sentence in the current language),
        ``potential_score``, ``other_score`` and ``missing``.
    values, scores, points : DataFrame
        Per account (index ``account_id``, sorted) and criterion: raw values, 0-100
        scores, and points (weight x score; a row sums to the account's score).
    weights : dict
        The normalised positive weights.
    cap, min_score : int, float
    force_in, force_out : dict
        Account id -> reason.
    criteria : dict
        Every criterion that could be weighted.
    """

    table: pd.DataFrame
    values: pd.DataFrame
    scores: pd.DataFrame
    points: pd.DataFrame
    weights: dict[str, float]
    cap: int
    min_score: float
    force_in: dict[str, str]
    force_out: dict[str, str]
    criteria: dict[str, Criterion]
    as_of: pd.Timestamp
    currency: str | None = None
    _accounts: pd.DataFrame = field(default=None, repr=False)  # type: ignore[assignment]

    @property
    def key_accounts(self) -> pd.DataFrame:
        """The selected accounts in rank order."""
        t = self.table
        return t[t["selected"]].sort_values("rank", kind="stable").reset_index(drop=True)

    @property
    def big_not_key(self) -> pd.DataFrame:
        """Big by revenue, low on the other criteria, not selected."""
        return self._group("big_not_key")

    @property
    def potential_key(self) -> pd.DataFrame:
        """Not selected, but with the growth potential of a typical key account."""
        return self._group("potential_key")

    @property
    def overrides(self) -> pd.DataFrame:
        """Accounts forced in or out, with the recorded reason."""
        t = self.table
        return t[t["decision"].isin(["forced_in", "forced_out"])].reset_index(drop=True)

    def _group(self, name: str) -> pd.DataFrame:
        t = self.table
        return t[t["group"] == name].reset_index(drop=True)


def _weighted_mean(scores: pd.DataFrame, weights: Mapping[str, float],
                   names: Sequence[str], fallback: Sequence[str]) -> pd.Series:
    """Mean of ``scores`` over ``names`` with the chosen weights (equal over ``fallback``
    when none of ``names`` is weighted); NaN when there is nothing to average."""
    chosen = {n: w for n, w in weights.items() if n in names and w > 0}
    if not chosen:
        chosen = {n: 1.0 for n in fallback if n in scores.columns}
    if not chosen:
        return pd.Series(np.nan, index=scores.index)
    total = sum(chosen.values())
    return sum(scores[n] * (w / total) for n, w in chosen.items())  # type: ignore[return-value]


@functools.lru_cache(maxsize=4096)
def _fmt_score(value: float, language: str) -> str:
    return format_number(value, 1, language)


def _labels(criteria: Mapping[str, Criterion], names: Sequence[str]) -> str:
    labels = [_(criteria[n].label) for n in names]
    if len(labels) == 2:
        return _("{first} and {second}").format(first=labels[0], second=labels[1])
    return ", ".join(labels) if labels else "\u2013"


def _total(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Scores of accounts (rows) under normalised weights, rounded to 1e-9 so that float
    noise from normalising never reorders accounts that tie."""
    return np.round(scores @ weights, 9)


def _score_range(scores: np.ndarray, weights: np.ndarray, spread: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest score of each account (rows) when every weight may move by up
    to ``spread`` up or down (then normalised).

    A weighted mean is largest when the weights are at their top on the criteria where
    the account scores best and at their bottom elsewhere (smallest: the other way
    round), so trying each cut of the criteria sorted by score finds both exactly.
    """
    n, k = scores.shape
    if k == 0 or n == 0:
        return np.zeros(n), np.zeros(n)
    order = np.argsort(-scores, axis=1, kind="stable")
    s = np.take_along_axis(scores, order, axis=1)  # best criterion first
    w = weights[order]
    top, bottom = w * (1 + spread), w * (1 - spread)
    zero = np.zeros((n, 1))

    def extreme(first: np.ndarray, rest: np.ndarray, pick) -> np.ndarray:
        # cut j: the j best criteria weigh `first`, the others `rest`
        num = np.hstack([zero, np.cumsum(first * s, axis=1)]) + (
            (rest * s).sum(axis=1, keepdims=True)
            - np.hstack([zero, np.cumsum(rest * s, axis=1)]))
        den = np.hstack([zero, np.cumsum(first, axis=1)]) + (
            rest.sum(axis=1, keepdims=True) - np.hstack([zero, np.cumsum(rest, axis=1)]))
        return pick(num / den, axis=1)

    return extreme(bottom, top, np.min), extreme(top, bottom, np.max)


def _select(score: np.ndarray, forced_in: np.ndarray, blocked: np.ndarray, cap: int,
            min_score: float) -> np.ndarray:
    """Selected mask: forced-in accounts, then the best eligible scores (ties: row order,
    which is account-id order) while places remain and scores reach ``min_score``."""
    selected = forced_in.copy()
    slots = cap - int(forced_in.sum())
    if slots > 0:
        idx = np.flatnonzero(~blocked & ~forced_in & (score >= min_score - 1e-9))
        if len(idx) > slots:
            idx = idx[np.lexsort((idx, -score[idx]))][:slots]
        selected[idx] = True
    return selected


def _basis(portfolio: Portfolio) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Criterion]]:
    available = available_criteria(portfolio)
    values = criterion_values(portfolio, list(available))
    accounts = portfolio.accounts.set_index("account_id").reindex(values.index)
    info = pd.DataFrame({
        "name": accounts["name"],
        "accepts_key_status": accounts["accepts_key_status"] if "accepts_key_status" in
        accounts.columns else pd.Series(pd.NA, index=values.index, dtype="boolean"),
    }, index=values.index)
    return values, info, available


def identify(portfolio: Portfolio, weights: Mapping[str, float] | None = None, *,
             max_key: int | None = None, key_account_managers: int | None = None,
             accounts_per_manager: int = DEFAULT_PER_MANAGER,
             min_score: float = DEFAULT_MIN_SCORE,
             force_in: Mapping[str, str] | None = None,
             force_out: Mapping[str, str] | None = None) -> Identification:
    """Score every account against a definition of "key" and select the key accounts.

    Parameters
    ----------
    portfolio : Portfolio
    weights : mapping of str to float, optional
        Criterion name -> weight (see :func:`available_criteria`); default
        :data:`DEFAULT_WEIGHTS`. Normalised to sum to 1.
    max_key : int, optional
        Cap on the number of key accounts; default: managers x ``accounts_per_manager``.
    key_account_managers : int, optional
        Default: ``portfolio.meta.key_account_managers``.
    accounts_per_manager : int
        One to three.
    min_score : float
        Accounts below it are not selected unless forced in (0-100).
    force_in, force_out : mapping of account id to reason, optional
        Manual decisions; they win over scores, and their reason is shown.

    Returns
    -------
    Identification

    Raises
    ------
    ParameterError
        For bad weights, cap, minimum score or overrides (more accounts forced in than
        the cap allows, an account both forced in and out, a missing reason).
    UnknownAccountError
        When an override names an account the portfolio does not hold.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> result = identify(company_x())
    >>> result.key_accounts["account_id"].tolist()[:3]
    ['CX-001', 'CX-005', 'CX-002']
    >>> result.big_not_key["account_id"].tolist()
    ['CX-004']
    """
    values, info, available = _basis(portfolio)
    return _decide(values, info, available, portfolio, weights, max_key=max_key,
                   key_account_managers=key_account_managers,
                   accounts_per_manager=accounts_per_manager, min_score=min_score,
                   force_in=force_in, force_out=force_out)


def reweigh(result: Identification, portfolio: Portfolio,
            weights: Mapping[str, float] | None = None,
            **selection) -> Identification:
    """:func:`identify` again with other weights or selection rules, reusing the values.

    Computing the criteria (sales by year, opportunities, wallets) is the slow part; the
    weights and the cap only change the arithmetic on top. Interactive sliders use this.

    Parameters
    ----------
    result : Identification
        A previous result for ``portfolio``.
    portfolio : Portfolio
    weights : mapping, optional
    **selection
        ``max_key``, ``key_account_managers``, ``accounts_per_manager``, ``min_score``,
        ``force_in``, ``force_out`` as in :func:`identify`.

    Returns
    -------
    Identification

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> first = identify(p)
    >>> reweigh(first, p, {"revenue_12m": 1.0}, max_key=3).key_accounts["account_id"].tolist()
    ['CX-001', 'CX-002', 'CX-003']
    """
    return _decide(result.values, result._accounts, result.criteria, portfolio, weights,
                   **selection)


def _decide(values: pd.DataFrame, info: pd.DataFrame, available: dict[str, Criterion],
            portfolio: Portfolio, weights: Mapping[str, float] | None, *,
            max_key: int | None = None,
            key_account_managers: int | None = None,
            accounts_per_manager: int = DEFAULT_PER_MANAGER,
            min_score: float = DEFAULT_MIN_SCORE,
            force_in: Mapping[str, str] | None = None,
            force_out: Mapping[str, str] | None = None) -> Identification:
    if isinstance(weights, Mapping):
        for name in weights:
            if name not in available and name in portfolio.accounts.columns:
                raise ParameterError("weights", _(
                    "the accounts column {name!r} holds values that are not numbers, so it "
                    "cannot be a criterion").format(name=name))
    w = check_weights(weights, available)
    cap = key_account_cap(portfolio, max_key, key_account_managers, accounts_per_manager)
    if isinstance(min_score, bool) or not isinstance(min_score, numbers.Real) or not (
            0 <= float(min_score) <= 100):
        raise ParameterError("min_score", _("a score from 0 to 100; got {value!r}").format(
            value=min_score))
    min_score = float(min_score)
    f_in = _overrides(portfolio, "force_in", force_in)
    f_out = _overrides(portfolio, "force_out", force_out)
    both = sorted(set(f_in) & set(f_out))
    if both:
        raise ParameterError("force_out", _("{ids} cannot be forced both in and out").format(
            ids=", ".join(both)))
    if len(f_in) > cap:
        raise ParameterError("force_in", _("{n} accounts are forced in, but the cap allows "
                                           "{cap} key accounts; raise the cap or force fewer"
                                           ).format(n=len(f_in), cap=cap))

    scores = criterion_scores(values)
    names = list(w)
    points = pd.DataFrame({n: scores[n] * w[n] for n in names}, index=values.index)
    total = _total(scores[names].to_numpy(), np.array([w[n] for n in names]))
    ids = values.index.to_numpy()
    forced_in = np.isin(ids, list(f_in))
    forced_out = np.isin(ids, list(f_out))
    declined = (info["accepts_key_status"].astype("boolean") == False  # noqa: E712
                ).fillna(False).to_numpy(dtype=bool)
    blocked = forced_out | declined
    selected = _select(total, forced_in, blocked, cap, min_score)

    order = np.lexsort((np.arange(len(ids)), -total))
    score_rank = np.empty(len(ids), dtype=np.int64)
    score_rank[order] = np.arange(1, len(ids) + 1)
    key_order = order[selected[order]]
    rank = np.full(len(ids), np.nan)
    rank[key_order] = np.arange(1, len(key_order) + 1)

    revenue = values["revenue_12m"].to_numpy()
    potential_names = [n for n, c in available.items() if c.group == "potential"]
    potential = _weighted_mean(scores, w, potential_names,
                               ["growth", "opportunity_value", "headroom"]).to_numpy()
    other_names = [n for n in names if available[n].group != "revenue"]
    other = _weighted_mean(scores, w, other_names, []).to_numpy() if other_names else \
        np.full(len(ids), np.nan)
    rev_order = np.lexsort((np.arange(len(ids)), -np.nan_to_num(revenue, nan=-np.inf)))
    revenue_rank = np.empty(len(ids), dtype=np.int64)
    revenue_rank[rev_order] = np.arange(1, len(ids) + 1)
    big = ~selected & (revenue_rank <= cap) & (np.nan_to_num(revenue) > 0) & (
        np.nan_to_num(other, nan=np.inf) < MIDDLE)
    typical = float(np.median(potential[selected])) if selected.any() else MIDDLE
    maybe = ~selected & ~big & (potential >= typical) & (potential > 0) & (
        total >= min_score - 1e-9)
    group = np.where(selected, "key", np.where(big, "big_not_key",
                                               np.where(maybe, "potential_key", "other")))

    cutoff = float(total[selected & ~forced_in].min()) if (selected & ~forced_in).any() \
        else None
    decision = np.where(forced_in, "forced_in", np.where(
        selected, "selected", np.where(forced_out, "forced_out", np.where(
            declined, "declined", np.where(total < min_score - 1e-9, "below_min_score",
                                           "cap_reached")))))
    reasons = _reasons(ids, total, points.to_numpy(), scores[names].to_numpy(), names, w,
                       available, decision, group, score_rank, revenue_rank, rank,
                       potential, typical, cap, min_score, cutoff, f_in, f_out, len(ids))
    missing_text = _missing_text(values[names])

    table = pd.DataFrame({
        "account_id": values.index.array,
        "name": info["name"].array,
        "revenue_12m": revenue,
        "score": total,
        "score_rank": score_rank,
        "selected": selected,
        "rank": pd.array(np.where(np.isnan(rank), pd.NA, rank), dtype="Int64")
        if len(ids) else pd.array([], dtype="Int64"),
        "group": group,
        "decision": decision,
        "reason": reasons,
        "potential_score": potential,
        "other_score": other,
        "missing": missing_text,
    })
    table = table.iloc[order].reset_index(drop=True)
    return Identification(table=table, values=values, scores=scores, points=points,
                          weights=w, cap=cap, min_score=min_score, force_in=f_in,
                          force_out=f_out, criteria=available, as_of=portfolio.as_of,
                          currency=portfolio.currency, _accounts=info)


def _missing_text(values: pd.DataFrame) -> np.ndarray:
    """Per row, the names of the columns without a value ("growth, headroom")."""
    missing = values.isna().to_numpy()
    if not missing.any():
        return np.full(len(values), "", dtype=object)
    # One text per pattern of gaps, not per row: 100,000 accounts share a few patterns.
    code = missing @ (1 << np.arange(missing.shape[1], dtype=np.int64))
    patterns, inverse = np.unique(code, return_inverse=True)
    names = list(values.columns)
    texts = np.array([", ".join(n for i, n in enumerate(names) if p >> i & 1)
                      for p in patterns], dtype=object)
    return texts[inverse.ravel()]


def _reasons(ids, total, points, scores, names, weights, available, decision, group, score_rank,
             revenue_rank, rank, potential, typical, cap, min_score, cutoff, f_in, f_out,
             n) -> list[str]:
    """One sentence per account: why it was (not) selected, and its group."""
    lang = get_language()
    top = np.argsort(-points, axis=1, kind="stable")[:, :2] if len(names) else None
    non_revenue = [i for i, c in enumerate(names) if available[c].group != "revenue"]
    lost = (100.0 - scores) * np.array([weights[c] for c in names])
    texts = {
        "forced_in": _("Forced in: {reason}"),
        "selected": _("Selected: rank {rank} of {n} by score ({score}), strongest on "
                      "{criteria}."),
        "forced_out": _("Forced out: {reason}"),
        "declined": _("Not selected: the customer does not accept key-account status."),
        "below_min_score": _("Not selected: score {score} is below the minimum of "
                             "{minimum}."),
        "cap_reached": _("Not selected: score {score} is below {cutoff}, the lowest "
                         "selected score, and all {cap} places are taken."),
        "big_not_key": _("Big but not key: number {rank} by revenue, but weak on "
                         "{criteria}."),
        "potential_key": _("May become key: growth potential {potential} is at least the "
                           "typical key account's {typical}."),
    }
    minimum = _fmt_score(round(min_score, 1), lang)
    cutoff_text = _fmt_score(round(cutoff, 1), lang) if cutoff is not None else "\u2013"
    typical_text = _fmt_score(round(typical, 1), lang)
    # Scores have one decimal: each distinct one is formatted once (a thousand at most).
    rounded, where = np.unique(np.round(np.asarray(total, dtype=float), 1),
                               return_inverse=True)
    score_text = np.array([_fmt_score(v, lang) for v in rounded.tolist()],
                          dtype=object)[where.ravel()] if n else np.empty(0, dtype=object)
    out = np.empty(n, dtype=object)
    # The many accounts that are simply not selected share one sentence but for their
    # score: format it once, and put each score in.
    for d, params in (("below_min_score", {"minimum": minimum}),
                      ("cap_reached", {"cutoff": cutoff_text, "cap": cap})):
        rows = np.flatnonzero(decision == d)
        before, _sep, after = texts[d].format(score="\x00", **params).partition("\x00")
        out[rows] = before + score_text[rows] + after
    for i in np.flatnonzero(~np.isin(decision, ["below_min_score", "cap_reached"])):
        d = decision[i]
        if d == "forced_in":
            out[i] = texts[d].format(reason=f_in[ids[i]])
        elif d == "forced_out":
            out[i] = texts[d].format(reason=f_out[ids[i]])
        elif d == "selected":
            best = [names[j] for j in top[i] if points[i, j] > 0]
            out[i] = texts[d].format(rank=int(score_rank[i]), n=n, score=score_text[i],
                                     criteria=_labels(available, best))
        else:
            out[i] = texts[d]
    for i in np.flatnonzero(group == "big_not_key"):
        # where it loses the most points: weight x (100 - score)
        weakest = sorted(non_revenue, key=lambda j: (-lost[i, j], j))[:2]
        out[i] += " " + texts["big_not_key"].format(
            rank=int(revenue_rank[i]), criteria=_labels(available, [names[j] for j in weakest]))
    for i in np.flatnonzero(group == "potential_key"):
        out[i] += " " + texts["potential_key"].format(
            potential=_fmt_score(round(float(potential[i]), 1), lang), typical=typical_text)
    return out.tolist()


# --------------------------------------------------------------------------------------
# Tables for reading


def _resolve(result: Identification, account_id: object) -> str:
    """The id as the result spells it (case-insensitive), or an error with close ids."""
    import difflib

    from kamkit.exceptions import UnknownAccountError

    key = str(account_id).strip()
    ids = result.values.index.astype(str)
    if key in ids:
        return key
    folded = [i for i in ids if i.casefold() == key.casefold()]
    if len(folded) == 1:
        return folded[0]
    by_fold = {i.casefold(): i for i in ids}
    near = difflib.get_close_matches(key.casefold(), list(by_fold), n=3, cutoff=0.5)
    raise UnknownAccountError(key, [by_fold[n] for n in near])


def _value_text(criterion: Criterion, value: float, currency: str | None) -> str:
    if value != value:
        return "\u2013"
    if criterion.name in _ORDINALS:
        from kamkit.data.labels import value_label

        return value_label(_ORDINALS[criterion.name][int(value)])
    if criterion.fmt == "money":
        return format_money(value, currency)
    if criterion.fmt == "percent":
        return format_percent(value)
    return format_number(value, 0 if float(value).is_integer() else 2)


def explain(result: Identification, account_id: str | Sequence[str]) -> pd.DataFrame:
    """Why an account has its score: one row per weighted criterion.

    Parameters
    ----------
    result : Identification
    account_id : str or sequence of str
        One account, or several (then the table starts with ``account_id`` and
        repeats the criteria for each; an empty sequence gives an empty table).

    Returns
    -------
    DataFrame
        ``criterion`` (label), ``value`` (the raw value as text), ``score`` (0-100),
        ``weight``, ``points`` (weight x score). The points add up to the account's
        score. Rows in the order of the weights.

    Raises
    ------
    UnknownAccountError
        For an account the result does not hold.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> e = explain(identify(company_x()), "CX-005")
    >>> e[["criterion", "value"]].head(2).values.tolist()
    [['Revenue (12 months)', '158,115 EUR'], ['Revenue (3 years)', '438,593 EUR']]
    """
    columns = ["criterion", "value", "score", "weight", "points"]
    if not isinstance(account_id, str):
        parts = [explain(result, a).assign(account_id=a) for a in account_id]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=[*columns, "account_id"])
        return frame[["account_id", *columns]]
    account_id = _resolve(result, account_id)
    rows = []
    for name, weight in result.weights.items():
        c = result.criteria[name]
        value = float(result.values.at[account_id, name])
        rows.append({"criterion": _(c.label),
                     "value": _value_text(c, value, result.currency),
                     "score": float(result.scores.at[account_id, name]),
                     "weight": weight,
                     "points": float(result.points.at[account_id, name])})
    return pd.DataFrame(rows, columns=columns)


def contrasting_accounts(result: Identification) -> list[str]:
    """Two accounts worth explaining side by side: key not by volume, big but not key.

    The selected account with the least revenue, and the account with the most revenue
    that was not selected (either may be missing).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> contrasting_accounts(identify(company_x()))
    ['CX-005', 'CX-004']
    """
    t = result.table
    keys = t[t["selected"]]
    others = t[~t["selected"]]
    out = []
    if len(keys):
        out.append(str(keys.iloc[np.lexsort((keys["account_id"].to_numpy(),
                                             keys["revenue_12m"].to_numpy()))[0]][
            "account_id"]))
    if len(others):
        out.append(str(others.iloc[np.lexsort((others["account_id"].to_numpy(),
                                               -others["revenue_12m"].to_numpy()))[0]][
            "account_id"]))
    return out


def criteria_table(result: Identification) -> pd.DataFrame:
    """The written definition: every weighted criterion, how it is measured, its weight.

    Returns
    -------
    DataFrame
        ``criterion`` (label), ``weight``, ``side`` (``customer`` or ``ours``),
        ``known`` (accounts with a value) and ``description``; a criterion known for
        fewer than two accounts, or without spread, contributes nothing.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> criteria_table(identify(company_x()))[["criterion", "weight", "known"]].tail(2)
                criterion  weight  known
    7       Collaboration    0.15    150
    8  Relationship stage    0.10    150
    """
    rows = []
    for name, weight in result.weights.items():
        c = result.criteria[name]
        rows.append({"criterion": _(c.label), "weight": weight, "side": c.side,
                     "known": int(result.values[name].notna().sum()),
                     "how_measured": _(c.description)})
    return pd.DataFrame(rows, columns=["criterion", "weight", "side", "known",
                                       "how_measured"])


def ranking(result: Identification, top: int | None = None) -> pd.DataFrame:
    """The ranking with each criterion's points: the score explained in one row.

    Parameters
    ----------
    result : Identification
    top : int, optional
        Keep the best ``top`` accounts (default: all).

    Returns
    -------
    DataFrame
        ``score_rank``, ``account_id``, ``name``, ``score``, ``group``, then one
        ``<criterion>_points`` column per weighted criterion.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> r = ranking(identify(company_x(), {"revenue_12m": 1, "strategic_role": 1}), top=2)
    >>> r[["account_id", "revenue_12m_points", "strategic_role_points"]].round(1)
      account_id  revenue_12m_points  strategic_role_points
    0     CX-126                44.0                   47.3
    1     CX-005                43.6                   47.3
    """
    t = result.table if top is None else result.table.head(top)
    pts = result.points.reindex(t["account_id"])
    out = t[["score_rank", "account_id", "name", "score", "group"]].copy()
    for name in result.weights:
        column = f"{name}_points"
        if name not in CRITERIA:
            register_fields({column: Field(result.criteria[name].label, "score")})
        out[column] = pts[name].to_numpy()
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Portfolio views


def concentration(portfolio: Portfolio) -> pd.DataFrame:
    """The concentration (Pareto) curve of the last twelve months' revenue, with ABC classes.

    Accounts are sorted by revenue, largest first (ties by id); an account whose net
    revenue is zero or negative counts as 0. Class A holds the accounts that bring the
    first 80% of revenue (the account that crosses 80% included, so the largest account
    is always A), B those up to 95%, C the rest and every account without sales.

    Returns
    -------
    DataFrame
        ``account_id``, ``name``, ``revenue_12m``, ``revenue_share``,
        ``cumulative_share`` (after this account), ``customer_share`` (accounts so far
        over all accounts) and ``abc``.

    Examples
    --------
    >>> from kamkit import from_frames
    >>> p = from_frames({"accounts": pd.DataFrame({"account_id": list("ABCDE"),
    ...                                            "name": list("ABCDE")}),
    ...     "transactions": pd.DataFrame({"date": ["2026-05-01"] * 5,
    ...         "account_id": list("ABCDE"), "product": ["x"] * 5, "product_line": ["x"] * 5,
    ...         "quantity": [1] * 5, "revenue": [50.0, 20, 15, 10, 5], "cost": [0.0] * 5})},
    ...     {"currency": "EUR", "as_of": "2026-06-30"})
    >>> concentration(p)[["account_id", "cumulative_share", "abc"]]
      account_id  cumulative_share abc
    0          A              0.50   A
    1          B              0.70   A
    2          C              0.85   A
    3          D              0.95   B
    4          E              1.00   C
    """
    values = criterion_values(portfolio, ["revenue_12m"])
    names = portfolio.accounts.set_index("account_id")["name"]
    revenue = values["revenue_12m"].clip(lower=0.0)
    frame = pd.DataFrame({"account_id": values.index, "revenue_12m": revenue.to_numpy()})
    frame = frame.iloc[np.lexsort((np.arange(len(frame)), -frame["revenue_12m"].to_numpy()))]
    frame = frame.reset_index(drop=True)
    total = float(frame["revenue_12m"].sum())
    share = frame["revenue_12m"] / total if total > 0 else frame["revenue_12m"] * 0.0
    cumulative = share.cumsum()
    before = cumulative - share
    abc = np.where((before < 0.80 - 1e-12) & (share > 0), "A",
                   np.where((before < 0.95 - 1e-12) & (share > 0), "B", "C"))
    return pd.DataFrame({
        "account_id": frame["account_id"],
        "name": names.reindex(frame["account_id"]).to_numpy(),
        "revenue_12m": frame["revenue_12m"],
        "revenue_share": share,
        "cumulative_share": cumulative.round(12),
        "customer_share": np.arange(1, len(frame) + 1) / max(len(frame), 1),
        "abc": abc,
    })


def top_share(curve: pd.DataFrame, customers: float = 0.2) -> float:
    """Share of revenue bought by the top ``customers`` fraction of accounts.

    Read off the concentration curve, linear between two accounts (so the top 20% of
    7 customers is 1.4 customers).

    Examples
    --------
    >>> curve = pd.DataFrame({"customer_share": [0.2, 0.4, 0.6, 0.8, 1.0],
    ...                       "cumulative_share": [0.5, 0.7, 0.85, 0.95, 1.0]})
    >>> top_share(curve)
    0.5
    >>> round(top_share(curve, 0.3), 3)
    0.6
    """
    if not 0 <= customers <= 1:
        raise ParameterError("customers", _("a fraction between 0 and 1; got {value!r}"
                                            ).format(value=customers))
    if curve.empty or float(curve["cumulative_share"].iloc[-1]) <= 0:
        return float("nan")
    x = np.concatenate([[0.0], curve["customer_share"].to_numpy(dtype=float)])
    y = np.concatenate([[0.0], curve["cumulative_share"].to_numpy(dtype=float)])
    return float(np.interp(customers, x, y))


def concentration_summary(curve: pd.DataFrame, customers: float = 0.2) -> str:
    """One sentence: what the top ``customers`` share and the three largest buy.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> print(concentration_summary(concentration(company_x())))
    The top 20% of customers (30 of 150) buy 94% of revenue in the last twelve months; \
the three largest buy 58%.
    """
    n = len(curve)
    share = top_share(curve, customers)
    three = float(curve["cumulative_share"].iloc[min(2, n - 1)]) if n else float("nan")
    return _("The top {top} of customers ({k} of {n}) buy {share} of revenue in the last "
             "twelve months; the three largest buy {three}.").format(
        top=format_percent(customers, 0), k=format_number(customers * n, 0),
        n=format_number(n), share=format_percent(share, 0), three=format_percent(three, 0))


def abc_summary(curve: pd.DataFrame) -> pd.DataFrame:
    """Accounts and revenue per ABC class of :func:`concentration`.

    Returns
    -------
    DataFrame
        ``abc``, ``accounts``, ``customer_share``, ``revenue_12m``, ``revenue_share``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> abc_summary(concentration(company_x()))[["abc", "accounts"]].values.tolist()
    [['A', 10], ['B', 26], ['C', 114]]
    """
    n = max(len(curve), 1)
    rows = []
    for cls in ("A", "B", "C"):
        part = curve[curve["abc"] == cls]
        rows.append({"abc": cls, "accounts": len(part), "customer_share": len(part) / n,
                     "revenue_12m": float(part["revenue_12m"].sum()),
                     "revenue_share": float(part["revenue_share"].sum())})
    return pd.DataFrame(rows)


def portfolio_matrix(result: Identification, accounts: str = "candidates") -> pd.DataFrame:
    """The attractiveness x relative-strength matrix (Cranfield / McDonald).

    *Account attractiveness* is the weighted mean of the account's scores on the
    customer-side criteria of the definition (revenue, growth, potential, strategic
    role, collaboration ...; equal weights over them when none is weighted). *Our
    relative strength* is the plain mean of its scores on relationship stage, share of
    wallet and gross margin. Both run 0-100 and split at 50 into four quadrants, named
    after the strategy McDonald's directional policy matrix gives them (the KAM
    literature also calls them strategic, status, streamline and opportunistic accounts):

    ==================  ==================  ===================
    \\                   low strength        high strength
    ==================  ==================  ===================
    high attractiveness  invest selectively  invest for growth
    low attractiveness   manage for cash     maintain
    ==================  ==================  ===================

    Parameters
    ----------
    result : Identification
    accounts : {"candidates", "all"}
        ``candidates``: the key accounts, the big-but-not-key and may-become-key
        accounts, and the best ``2 x cap`` by score; ``all``: every account.

    Returns
    -------
    DataFrame
        ``account_id``, ``name``, ``attractiveness``, ``strength``, ``quadrant``,
        ``revenue`` (last twelve months, for the bubble size), ``group``; best score
        first.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> m = portfolio_matrix(identify(company_x())).set_index("account_id")
    >>> m.loc[["CX-001", "CX-009"], "quadrant"].tolist()
    ['invest_for_growth', 'invest_selectively']
    """
    if accounts not in ("candidates", "all"):
        raise ParameterError("accounts", _("choose candidates or all"))
    t = result.table
    if accounts == "candidates":
        t = t[(t["group"] != "other") | (t["score_rank"] <= 2 * result.cap)]
    customer = [n for n, c in result.criteria.items() if c.side == "customer"]
    fallback = [n for n, c in CRITERIA.items() if c.side == "customer"]
    scores = result.scores.reindex(t["account_id"])
    attract = _weighted_mean(scores, result.weights, customer, fallback).to_numpy()
    strength = scores[list(STRENGTH_CRITERIA)].mean(axis=1).to_numpy()
    high_a = attract >= MIDDLE
    high_s = strength >= MIDDLE
    quadrant = np.where(high_a & high_s, "invest_for_growth", np.where(
        high_a, "invest_selectively", np.where(high_s, "maintain", "manage_for_cash")))
    return pd.DataFrame({"account_id": t["account_id"].to_numpy(),
                         "name": t["name"].to_numpy(), "attractiveness": attract,
                         "strength": strength, "quadrant": quadrant,
                         "revenue": t["revenue_12m"].to_numpy(),
                         "group": t["group"].to_numpy()})


# --------------------------------------------------------------------------------------
# Stability


@dataclass(frozen=True)
class Stability:
    """How the selection holds when the weights move a little (:func:`weight_stability`).

    Attributes
    ----------
    table : DataFrame
        ``account_id``, ``name``, ``score``, ``selected`` (with the chosen weights),
        ``selected_share`` (share of draws that select it) and ``depends_on_weights``;
        every account selected at least once or selected now, most often selected first.
    draws, spread, seed, tolerance
        The parameters of the experiment.
    same_list_share : float
        Share of draws that select exactly the chosen key accounts.
    """

    table: pd.DataFrame
    draws: int
    spread: float
    seed: int
    tolerance: float
    same_list_share: float

    @property
    def fragile(self) -> pd.DataFrame:
        """Accounts whose selection depends on a small change of weights."""
        return self.table[self.table["depends_on_weights"]].reset_index(drop=True)

    def summary(self) -> str:
        """One sentence in the current language: how often the list stays the same, and
        which accounts depend on the weights.

        Examples
        --------
        >>> from kamkit.data.synth import company_x
        >>> print(weight_stability(identify(company_x()), draws=100, seed=3).summary())
        ... # doctest: +ELLIPSIS
        With every weight moved up to 20% up or down (100 draws), ... depend on the weights: ...
        """
        text = _("With every weight moved up to {spread} up or down ({draws} draws), "
                 "{same} of the draws select exactly the same key accounts.").format(
            spread=format_percent(self.spread, 0), draws=self.draws,
            same=format_percent(self.same_list_share, 0))
        fragile = self.fragile["account_id"].tolist()
        if fragile:
            text += " " + _("These accounts depend on the weights: {ids}.").format(
                ids=", ".join(fragile))
        else:
            text += " " + _("No account depends on the weights.")
        return text


def weight_stability(result: Identification, draws: int = 500, spread: float = 0.2,
                     seed: int = 0, tolerance: float = 0.1) -> Stability:
    """Would a manager with slightly different priorities pick the same accounts?

    Each draw multiplies every positive weight by its own random factor between
    ``1 - spread`` and ``1 + spread`` (uniform, seeded), normalises the weights again,
    and repeats the selection with the same cap, minimum score and overrides. Zero
    weights stay zero: the experiment moves the priorities, not the choice of criteria.
    An account *depends on the weights* when the draws disagree with today's decision
    more often than ``tolerance`` (selected in fewer than 90% of draws although
    selected, or in more than 10% although not).

    Parameters
    ----------
    result : Identification
    draws : int
        Number of random weightings (1 or more).
    spread : float
        Largest relative change of a weight, 0 to 0.9 (0.2 = up to 20% up or down).
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same answer.
    tolerance : float
        See above (0 to 0.5).

    Returns
    -------
    Stability

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> s = weight_stability(identify(company_x()), draws=50, seed=1)
    >>> bool(s.table.set_index("account_id").at["CX-001", "selected_share"] == 1.0)
    True
    """
    draws = whole_number("draws", draws, 1)
    seed = whole_number("seed", seed, 0)
    for name, value, high in (("spread", spread, 0.9), ("tolerance", tolerance, 0.5)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
                0 <= value <= high):
            raise ParameterError(name, _("a number from 0 to {high}; got {value!r}").format(
                high=high, value=value))
    names = list(result.weights)
    base = np.array([result.weights[n] for n in names])
    scores = result.scores[names].to_numpy()
    ids = result.scores.index.to_numpy()
    info = result._accounts
    forced_in = np.isin(ids, list(result.force_in))
    declined = (info["accepts_key_status"].astype("boolean") == False  # noqa: E712
                ).fillna(False).to_numpy(dtype=bool)
    blocked = np.isin(ids, list(result.force_out)) | declined
    total = _total(scores, base)
    chosen = _select(total, forced_in, blocked, result.cap, result.min_score)
    # Accounts that no draw can select are left out of the arithmetic, exactly: each
    # account's lowest and highest possible score over all jittered weights bound it.
    # The `slots` best lowest scores are reached in every draw, so an account whose
    # highest score stays below them (or below min_score) is never selected.
    low, high = _score_range(scores, base, spread)
    slots = result.cap - int(forced_in.sum())
    eligible_low = low[~blocked & ~forced_in]
    threshold = result.min_score
    if slots > 0 and len(eligible_low) >= slots:
        threshold = max(threshold, float(np.sort(eligible_low)[-slots]))
    consider = forced_in | (~blocked & (high >= threshold - 1e-9) & (slots > 0))
    rows = np.flatnonzero(consider)
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - spread, 1 + spread, size=(draws, len(names)))
    weights = base * factors
    weights /= weights.sum(axis=1, keepdims=True)
    counts = np.zeros(len(rows))
    same = 0
    sub_scores = scores[rows]
    for k in range(draws):
        mask = _select(_total(sub_scores, weights[k]), forced_in[rows], blocked[rows], result.cap,
                       result.min_score)
        counts += mask
        same += bool(np.array_equal(mask, chosen[rows]))
    share = counts / draws
    table = pd.DataFrame({"account_id": ids[rows],
                          "name": info["name"].to_numpy()[rows],
                          "score": total[rows], "selected": chosen[rows],
                          "selected_share": share})
    table = table[(table["selected_share"] > 0) | table["selected"]]
    table["depends_on_weights"] = np.where(table["selected"],
                                           table["selected_share"] < 1 - tolerance,
                                           table["selected_share"] > tolerance)
    table = table.iloc[np.lexsort((table["account_id"].to_numpy(),
                                   -table["score"].to_numpy(),
                                   -table["selected_share"].to_numpy()))]
    return Stability(table=table.reset_index(drop=True), draws=draws, spread=float(spread),
                     seed=seed, tolerance=float(tolerance), same_list_share=same / draws)


# --------------------------------------------------------------------------------------
# The results file


def result_data(result: Identification, matrix: pd.DataFrame | None = None,
                stability: Stability | None = None) -> dict:
    """The identification result as plain data for ``identification.json``.

    Holds what docs/architecture.md promises: ``key_accounts`` (``account_id``,
    ``name``, ``score``, ``rank``, ``reason``) in rank order, ``big_not_key`` and
    ``potential_key`` (``account_id``, ``name``, ``reason``), ``weights``, ``cap`` and
    ``matrix``; besides them ``min_score``, ``as_of``, ``overrides`` and, when given,
    ``stability``. Scores are rounded to 0.01 so files do not churn on float noise.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> data = result_data(identify(company_x()))
    >>> data["cap"], data["key_accounts"][0]["account_id"], data["key_accounts"][0]["rank"]
    (9, 'CX-001', 1)
    """
    def brief(frame: pd.DataFrame) -> list[dict]:
        return [{"account_id": r.account_id, "name": r.name, "reason": r.reason}
                for r in frame.itertuples()]

    keys = result.key_accounts
    data: dict = {
        "as_of": result.as_of,
        "cap": result.cap,
        "min_score": result.min_score,
        "weights": {k: round(v, 6) for k, v in result.weights.items()},
        "key_accounts": [{"account_id": r.account_id, "name": r.name,
                          "score": round(float(r.score), 2), "rank": int(r.rank),
                          "reason": r.reason} for r in keys.itertuples()],
        "big_not_key": brief(result.big_not_key),
        "potential_key": brief(result.potential_key),
        "overrides": [{"account_id": r.account_id, "name": r.name, "override": r.decision,
                       "reason": (result.force_in | result.force_out)[r.account_id]}
                      for r in result.overrides.itertuples()],
        "matrix": [] if matrix is None else [
            {"account_id": r.account_id, "attractiveness": round(float(r.attractiveness), 2),
             "strength": round(float(r.strength), 2), "quadrant": r.quadrant,
             "revenue": round(float(r.revenue), 2)} for r in matrix.itertuples()],
    }
    if stability is not None:
        data["stability"] = {
            "draws": stability.draws, "spread": stability.spread, "seed": stability.seed,
            "same_list_share": round(stability.same_list_share, 4),
            "depends_on_weights": stability.fragile["account_id"].tolist()}
    return data

