"""Stage 2 — needs analysis: the account dossier.

The dossier is what the organisation knows about one key account, in the four parts
of the method (methodology.md, stage 2), revised at least every three months:

1. **general information** (:class:`GeneralInformation`): who the customer is;
2. **the account seen by us** (:class:`Relationship`, :class:`Opportunity`): history,
   revenue and margin, our people, the customer's wallet and our share of it, the
   size of opportunity and the whitespace that comparable customers reveal;
3. **the decision-making unit** (:class:`DecisionMakingUnit`): every actor, their
   level, role, influence, attitude and our relationship with them;
4. **competitors** (:class:`Competition`): who else takes the customer's spend.

Around them sit the customer's **needs** and **SWOT** (:class:`Needs`), the dossier's
**freshness** and the sections without data (:class:`Freshness`), and the
**relationship risk flags** (:class:`Flag`), each with the evidence that raised it.
:func:`account_dossier` builds the whole :class:`Dossier`; every part also has its own
function. :func:`to_html` writes a dossier as a standalone page an analyst can send.

Rules and thresholds are parameters (:class:`Thresholds`) with documented defaults.
"Today" is always the portfolio's ``as_of``, never the wall clock.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kamkit._fast import codes
from kamkit.data.labels import Field, register_fields, register_values, value_label
from kamkit.data.portfolio import Portfolio
from kamkit.data.sales import gross_margin_rate, period, sales_by_year, year_label, yearly
from kamkit.data.schema import CONTACT_LEVELS
from kamkit.data.validation import is_blank
from kamkit.exceptions import ParameterError
from kamkit.text.i18n import (
    N_,
    _,
    check_language,
    format_date,
    format_money,
    format_number,
    format_percent,
    ngettext,
    text_direction,
    use_language,
)

__all__ = [
    "thresholds_of",
    "size_of_opportunity",
    "share_of_wallet",
    "HORIZONS",
    "US",
    "REST",
    "Thresholds",
    "Dossier",
    "GeneralInformation",
    "Relationship",
    "Opportunity",
    "PeerGroup",
    "DecisionMakingUnit",
    "Competition",
    "Needs",
    "Freshness",
    "MissingSection",
    "Flag",
    "FLAG_CODES",
    "SECTIONS",
    "account_dossier",
    "general_information",
    "relationship",
    "opportunity",
    "peer_group",
    "whitespace",
    "decision_making_unit",
    "competition",
    "needs",
    "freshness",
    "relationship_flags",
    "VIEWS",
    "table",
    "narrative",
    "document",
    "to_html",
]

#: How our own company appears in share-of-wallet tables.
US = "us"
REST = "rest"

#: Years ahead the opportunity is sized for, and the column of the opportunities table.
HORIZONS: dict[int, str] = {1: "value_1y", 3: "value_3y", 5: "value_5y"}

register_fields({
    "party": Field(N_("Supplier"), "category"),
    "share": Field(N_("Share of wallet"), "percent"),
    "wallet_spend": Field(N_("Customer spend"), "money"),
    "our_revenue": Field(N_("Our revenue"), "money"),
    "horizon": Field(N_("Years ahead"), "int"),
    "opportunities": Field(N_("Opportunities"), "int"),
    "pipeline": Field(N_("Pipeline (unweighted)"), "money"),
    "weighted": Field(N_("Probability-weighted"), "money"),
})


register_values({US: N_("Us"), REST: N_("Other suppliers")})


# --------------------------------------------------------------------------------------
# Parameters


@dataclass(frozen=True)
class Thresholds:
    """The rules of the dossier's checks, with the defaults the kit teaches.

    Parameters
    ----------
    strong_relationship : int
        A contact whose ``relationship_strength`` is at least this (1-5) is a *strong*
        relationship. Default 4: "good" or better on the usual five-point scale.
    key_influence : int
        A contact whose ``influence`` is at least this (1-5) is a *key* contact, whom
        we must not lose touch with. Default 4: the people who shape the decision.
    anti_sponsor_influence : int
        An anti-sponsor is flagged when their influence is at least this. Default 3:
        an anti-sponsor of medium influence can already delay or block a decision,
        so the bar is lower than for ``key_influence``.
    contact_days : int
        Key contacts not reached for more than this many days before ``as_of`` are
        flagged. Default 90: one quarter, the rhythm of the dossier review.
    review_months : int
        A dossier last reviewed more than this many months before ``as_of`` (or never)
        is stale. Default 3: the method asks for a review at least every quarter.
    required_roles : tuple of str
        Buying roles somebody we know must hold: the economic buyer (signs), the
        technical buyer (specifies), the user buyer (lives with it) and a coach
        (guides us inside the account).
    min_peers : int
        Smallest peer group for whitespace: with fewer comparable customers the next,
        wider rule is used (segment, then industry, then the whole portfolio).
    min_penetration : float
        A product line is whitespace only when at least this fraction of the peers buy
        it (default 0.2: one in five), so one peer's odd purchase is not an opening.
    min_buyers : int
        ... and at least this many peers buy it (default 3).

    Examples
    --------
    >>> Thresholds(contact_days=60).contact_days
    60
    >>> Thresholds(key_influence=9)
    Traceback (most recent call last):
    ...
    kamkit.exceptions.ParameterError: key_influence: must be a whole number from 1 to 5
    """

    strong_relationship: int = 4
    key_influence: int = 4
    anti_sponsor_influence: int = 3
    contact_days: int = 90
    review_months: int = 3
    required_roles: tuple[str, ...] = ("economic_buyer", "technical_buyer", "user_buyer",
                                       "coach")
    min_peers: int = 5
    min_penetration: float = 0.2
    min_buyers: int = 3

    def __post_init__(self) -> None:
        from kamkit.data.schema import BUYING_ROLES

        for name in ("strong_relationship", "key_influence", "anti_sponsor_influence"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise ParameterError(name, _("must be a whole number from 1 to 5"))
        for name in ("contact_days", "review_months", "min_peers", "min_buyers"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ParameterError(name, _("must be a whole number of at least 1"))
        if not 0.0 <= float(self.min_penetration) <= 1.0:
            raise ParameterError("min_penetration", _("must be a fraction from 0 to 1"))
        roles = tuple(self.required_roles)
        unknown = [r for r in roles if r not in BUYING_ROLES]
        if unknown:
            raise ParameterError("required_roles", _("unknown buying roles: {roles}").format(
                roles=", ".join(unknown)))
        object.__setattr__(self, "required_roles", roles)


def thresholds_of(thresholds: Thresholds | Mapping[str, Any] | None) -> Thresholds:
    """The dossier's :class:`Thresholds` from ``None`` (the defaults), a
    :class:`Thresholds`, or a mapping of some of its fields (an unknown field is a
    :class:`~kamkit.exceptions.ParameterError`)."""
    if thresholds is None:
        return Thresholds()
    if isinstance(thresholds, Thresholds):
        return thresholds
    known = {f.name for f in fields(Thresholds)}
    unknown = sorted(set(thresholds) - known)
    if unknown:
        raise ParameterError("thresholds", _("unknown thresholds: {names}; known: {known}")
                             .format(names=", ".join(unknown), known=", ".join(sorted(known))))
    return Thresholds(**dict(thresholds))


# --------------------------------------------------------------------------------------
# Display of the columns this module adds

register_fields({
    "employees": Field(N_("Employees"), "int"),
    "annual_revenue": Field(N_("Customer's annual revenue"), "money"),
    "description": Field(N_("Description"), "text"),
    "decision_process": Field(N_("Decision process"), "text"),
    "previous_suppliers": Field(N_("Previous suppliers"), "text"),
    "accepts_key_status": Field(N_("Accepts key status"), "bool"),
    "years_as_customer": Field(N_("Years as a customer"), "int"),
    "fact": Field(N_("Fact"), "text"),
    "value": Field(N_("Value"), "text"),
    "revenue_growth": Field(N_("Growth"), "percent"),
    "revenue_share": Field(N_("Share of our revenue"), "percent"),
    "contacts": Field(N_("Contacts"), "int"),
    "key_contacts": Field(N_("Key contacts"), "int"),
    "strong": Field(N_("Strong relationships"), "int"),
    "sponsors": Field(N_("Sponsors"), "int"),
    "strongest": Field(N_("Strongest relationship"), "number", 0),
    "days_since_contact": Field(N_("Days since contact"), "int"),
    "covered": Field(N_("Covered"), "bool"),
    "holders": Field(N_("Who"), "text"),
    "weighted_1y": Field(N_("Weighted, next year"), "money"),
    "weighted_3y": Field(N_("Weighted, year 3"), "money"),
    "weighted_5y": Field(N_("Weighted, year 5"), "money"),
    "peers": Field(N_("Peers"), "int"),
    "peers_buying": Field(N_("Peers buying it"), "int"),
    "penetration": Field(N_("Share of peers buying it"), "percent", 0),
    "median_revenue": Field(N_("Median per buying peer"), "money"),
    "mean_revenue": Field(N_("Mean per buying peer"), "money"),
    "median_share": Field(N_("Median share of a peer's purchases"), "percent"),
    "indicative_value": Field(N_("Indicative value for this account"), "money"),
    "share_change": Field(N_("Share change since first estimate"), "percent"),
    "flag_title": Field(N_("Flag"), "text"),
    "message": Field(N_("Finding"), "text"),
    "section": Field(N_("Section"), "text"),
    "gap": Field(N_("What is missing"), "text"),
    "why": Field(N_("Why it matters"), "text"),
})


# --------------------------------------------------------------------------------------
# Shared helpers

_FSI, _PDI = "\u2068", "\u2069"


def _isolate(text: object) -> str:
    """Wrap a name in Unicode isolates when it is written against the language's
    direction (a Persian name in English, a Latin one in Persian), so that it keeps its
    place in the sentence and the sentence keeps its punctuation; two such names in a
    list then stay in order. Other names are left as they are.

    Examples
    --------
    >>> _isolate("Nordwerk")
    'Nordwerk'
    >>> _isolate("پارس") == "\u2068پارس\u2069"
    True
    """
    text = str(text)
    against = ("L",) if text_direction() == "rtl" else ("R", "AL")
    if any(unicodedata.bidirectional(ch) in against for ch in text):
        return f"{_FSI}{text}{_PDI}"
    return text


def _join(items: Sequence[str]) -> str:
    """'A, B and C' in the current language (Babel's list patterns)."""
    from babel.lists import format_list

    items = [str(i) for i in items]
    if not items:
        return ""
    return format_list(items, locale=check_language(None))



def _scalar(value: object) -> Any:
    """A plain Python value (None for missing) from a pandas cell."""
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def _int(value: object) -> int | None:
    v = _scalar(value)
    return None if v is None else int(v)


def _float(value: object) -> float:
    v = _scalar(value)
    return float("nan") if v is None else float(v)


def _split_names(text: object) -> tuple[str, ...]:
    """Suppliers written as 'A; B' (or one per line); commas stay, names contain them."""
    if is_blank(text):
        return ()
    parts = str(text).replace("\n", ";").split(";")
    return tuple(p.strip() for p in parts if p.strip())


def _order(values: pd.Series, order: Sequence[str]) -> pd.Series:
    """Position of each value in ``order`` (unknown and missing last)."""
    rank = {v: i for i, v in enumerate(order)}
    return values.map(lambda v: rank.get(v, len(order))).astype(int)


# --------------------------------------------------------------------------------------
# Shared with stages 3 and 4


_SOW_COLUMNS = ["year", "label", "party", "share", "threat", "wallet_spend", "our_revenue"]
_SIZE_COLUMNS = ["horizon", "opportunities", "pipeline", "weighted"]


def share_of_wallet(portfolio: Portfolio, account_id: str | None = None) -> pd.DataFrame:
    """Who gets the customer's spend in our categories, year by year.

    Our share is measured: our net revenue in the year divided by the customer's total
    spend from the ``wallet`` table. Competitors' shares are the estimates of the
    ``competitors`` table (a row without a year counts for the latest wallet year).
    ``rest`` is what neither we nor a named competitor get.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str, optional
        One account; ``None`` computes every account at once (with an ``account_id``
        column first), which is how the portfolio-level stages use it.

    Returns
    -------
    DataFrame
        One row per year and party: ``year`` (the wallet year), ``label`` (the rolling
        year it covers), ``party`` (``us``, a competitor's name, or ``rest``),
        ``share`` (0..1), ``threat`` (competitors only), ``wallet_spend`` and
        ``our_revenue`` (repeated on every row of the year). Sorted by year, then us,
        competitors by share (largest first), rest. Empty when the account has no
        wallet rows: our share cannot be measured without the customer's spend.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> sow = share_of_wallet(company_x(), "CX-009")
    >>> latest = sow[sow["year"] == sow["year"].max()]
    >>> latest.loc[latest["party"] == "us", "share"].round(2).item()
    0.28
    >>> latest["party"].tolist()
    ['us', 'Brevi Automazione', 'Nordic Sense', 'rest']
    >>> share_of_wallet(company_x())["account_id"].nunique()
    14
    """
    if account_id is None:
        return _wallet_shares(portfolio.wallet, lambda years: yearly(portfolio, years),
                              portfolio.competitors, portfolio.as_of)
    lines = portfolio.table_for("transactions", account_id)
    frame = _wallet_shares(portfolio.table_for("wallet", account_id),
                           lambda years: sales_by_year(lines, portfolio.as_of, years),
                           portfolio.table_for("competitors", account_id), portfolio.as_of)
    return frame[_SOW_COLUMNS].reset_index(drop=True)


def _wallet_shares(wallet: pd.DataFrame, sales: Callable[[int], pd.DataFrame],
                   competitors: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """:func:`share_of_wallet` for every account of ``wallet`` at once (vectorised).

    ``sales(years)`` gives the sales by account and rolling year of at least the last
    ``years`` years (:func:`kamkit.data.sales.yearly`, or what the caller summed already).
    """
    columns = ["account_id", *_SOW_COLUMNS]
    w = wallet.dropna(subset=["year"])
    if w.empty:
        return pd.DataFrame(columns=columns)
    w = w.assign(year=w["year"].astype(int))
    w = w.assign(offset=int(as_of.year) - w["year"])
    depth = max(int(w["offset"].max()) + 1, 1)
    # All accounts' sales, then the wallet's accounts: aggregating the whole table reuses
    # its factorised ids (kamkit.data.sales), cheaper on millions of lines than a filtered copy.
    summed = sales(depth)
    summed = summed[codes.isin(summed["account_id"], w["account_id"])]  # few wallets
    revenue = summed.set_index(["account_id", "year"])["revenue"]
    ours = revenue.reindex(pd.MultiIndex.from_arrays([w["account_id"], w["offset"]]))
    spend = w["spend"].astype(float).to_numpy()
    base = pd.DataFrame({
        "account_id": w["account_id"].to_numpy(),
        "year": w["year"].to_numpy(),
        "label": w["offset"].map({k: year_label(as_of, k) for k in w["offset"].unique()})
                            .to_numpy(),
        "wallet_spend": spend,
        "our_revenue": ours.fillna(0.0).to_numpy(),
    })
    with np.errstate(invalid="ignore", divide="ignore"):
        share_us = np.where(spend > 0, base["our_revenue"].to_numpy() / spend, np.nan)
    us = base.assign(party=US, share=share_us, threat=None, _order=0, _key=0.0)
    latest = w.groupby("account_id")["year"].max()
    comp = competitors[competitors["account_id"].isin(latest.index)]
    comp_year = comp["year"].astype("Float64").fillna(
        comp["account_id"].map(latest).astype("Float64")).astype(int)
    named = comp.assign(year=comp_year.to_numpy()).merge(base, on=["account_id", "year"])
    rivals = named.assign(party=named["competitor"],
                          share=named["share_of_wallet"].astype(float),
                          threat=named["threat"], _order=1,
                          _key=-named["share_of_wallet"].astype(float))
    taken = rivals.groupby(["account_id", "year"])["share"].sum()
    taken = taken.reindex(pd.MultiIndex.from_arrays([base["account_id"], base["year"]]))
    rest_share = np.clip(1.0 - np.nan_to_num(share_us) - taken.fillna(0.0).to_numpy(), 0.0,
                         None)
    rest = base.assign(party=REST, share=rest_share, threat=None, _order=2, _key=0.0)
    out = pd.concat([us, rivals[us.columns], rest], ignore_index=True)
    out = out.sort_values(["account_id", "year", "_order", "_key", "party"], kind="stable")
    out["threat"] = out["threat"].astype("str")  # NaN where there is no competitor
    out["party"] = out["party"].astype("str")
    return out[columns].reset_index(drop=True)


def size_of_opportunity(portfolio: Portfolio, account_id: str | None = None) -> pd.DataFrame:
    """Possible annual revenue from an account's opportunities, next year and at 3 and 5.

    Each opportunity states the annual revenue it would bring in year 1, 3 and 5 and
    its probability; the size of opportunity is the sum over opportunities, plain
    (``pipeline``) and probability-weighted (``weighted``, the figure to plan with).

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str, optional
        One account; ``None`` sizes every account that has opportunities at once (with
        an ``account_id`` column first).

    Returns
    -------
    DataFrame
        One row per horizon (1, 3, 5): ``horizon``, ``opportunities`` (how many),
        ``pipeline``, ``weighted``. Zeros when the account has no opportunities.

    Raises
    ------
    UnknownAccountError
        When the portfolio has no such account.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> size_of_opportunity(company_x(), "CX-001")[["horizon", "weighted"]]
       horizon   weighted
    0        1   470000.0
    1        3  1560000.0
    2        5  2010000.0
    """
    if account_id is None:
        return _opportunity_sizes(portfolio.opportunities)
    sizes = _opportunity_sizes(portfolio.table_for("opportunities", account_id))
    if sizes.empty:
        return pd.DataFrame({"horizon": list(HORIZONS), "opportunities": 0, "pipeline": 0.0,
                             "weighted": 0.0}, columns=_SIZE_COLUMNS)
    return sizes[_SIZE_COLUMNS].reset_index(drop=True)


def _opportunity_sizes(opps: pd.DataFrame) -> pd.DataFrame:
    """:func:`size_of_opportunity` for every account of ``opps`` at once (vectorised)."""
    columns = ["account_id", *_SIZE_COLUMNS]
    if opps.empty:
        return pd.DataFrame(columns=columns)
    probability = opps["probability"].astype(float).fillna(0.0)
    parts = []
    for horizon, column in HORIZONS.items():
        values = opps[column].astype(float).fillna(0.0)
        frame = pd.DataFrame({"account_id": opps["account_id"], "count": values > 0,
                              "pipeline": values, "weighted": values * probability})
        sums = frame.groupby("account_id", sort=True).sum()
        parts.append(pd.DataFrame({
            "account_id": sums.index, "horizon": horizon,
            "opportunities": sums["count"].astype(int).to_numpy(),
            "pipeline": sums["pipeline"].to_numpy(), "weighted": sums["weighted"].to_numpy()}))
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["account_id", "horizon"], kind="stable")[columns].reset_index(
        drop=True)


# --------------------------------------------------------------------------------------
# 1. General information

#: Columns of the accounts table the fact sheet shows, in reading order.
_PROFILE = ("account_id", "name", "industry", "segment", "country", "owner", "first_year",
            "years_as_customer", "employees", "annual_revenue", "relationship_stage",
            "ladder_step", "accepts_key_status", "strategic_role", "collaboration",
            "growth_potential", "previous_suppliers", "last_review")


@dataclass(frozen=True, eq=False)
class GeneralInformation:
    """Who the customer is: the accounts row, as the organisation recorded it.

    Attributes
    ----------
    account_id, name : str
    industry, segment, country, owner : str or None
    first_year : int or None
        Year the relationship began; ``years_as_customer`` counts from it to ``as_of``.
    employees : int or None
    annual_revenue : float or None
        The customer's own revenue (not ours with it).
    description, decision_process : str or None
    previous_suppliers : tuple of str
    relationship_stage, ladder_step : str or None
    accepts_key_status : bool or None
    strategic_role, collaboration, growth_potential : float or None
        The organisation's 1-5 ratings.
    last_review : Timestamp or None
    """

    account_id: str
    name: str
    industry: str | None = None
    segment: str | None = None
    country: str | None = None
    owner: str | None = None
    first_year: int | None = None
    years_as_customer: int | None = None
    employees: int | None = None
    annual_revenue: float | None = None
    description: str | None = None
    decision_process: str | None = None
    previous_suppliers: tuple[str, ...] = ()
    relationship_stage: str | None = None
    ladder_step: str | None = None
    accepts_key_status: bool | None = None
    strategic_role: float | None = None
    collaboration: float | None = None
    growth_potential: float | None = None
    last_review: pd.Timestamp | None = None

    @property
    def profile(self) -> pd.DataFrame:
        """The facts as a one-row table with raw values (columns of :data:`_PROFILE`)."""
        row = {c: getattr(self, c) for c in _PROFILE}
        row["previous_suppliers"] = "; ".join(self.previous_suppliers) or None
        return pd.DataFrame([row], columns=list(_PROFILE))

    def fact_sheet(self, currency: str | None = None) -> pd.DataFrame:
        """The facts for reading: one row per known fact, ``fact`` and ``value`` as text.

        Facts without a value are left out, so the sheet shows what we know.
        """
        from kamkit.reports.present import table

        shown = table(self.profile, currency=currency).iloc[0]
        raw = self.profile.iloc[0]
        keep = [not is_blank(raw[c]) for c in _PROFILE]
        return pd.DataFrame({"fact": [str(k) for k in shown.index[keep]],
                             "value": [str(v) for v in shown.to_numpy()[keep]]})


def general_information(portfolio: Portfolio, account_id: str) -> GeneralInformation:
    """Section 1 of the dossier: the customer as the accounts table describes it.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str

    Returns
    -------
    GeneralInformation

    Raises
    ------
    UnknownAccountError
        When the portfolio has no such account (the message lists close matches).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> g = general_information(company_x(), "CX-001")
    >>> g.name, g.first_year, g.previous_suppliers
    ('Nordwerk Automation GmbH', 2009, ('Asterion Controls', 'Kraftline Drives'))
    """
    row = portfolio.account(account_id)
    first = _int(row.get("first_year"))
    as_of = portfolio.as_of
    return GeneralInformation(
        account_id=str(row["account_id"]),
        name=str(row["name"]),
        industry=_scalar(row.get("industry")),
        segment=_scalar(row.get("segment")),
        country=_scalar(row.get("country")),
        owner=_scalar(row.get("owner")),
        first_year=first,
        years_as_customer=None if first is None else max(0, int(as_of.year) - first),
        employees=_int(row.get("employees")),
        annual_revenue=_scalar(row.get("annual_revenue")),
        description=_scalar(row.get("description")),
        decision_process=_scalar(row.get("decision_process")),
        previous_suppliers=_split_names(row.get("previous_suppliers")),
        relationship_stage=_scalar(row.get("relationship_stage")),
        ladder_step=_scalar(row.get("ladder_step")),
        accepts_key_status=_scalar(row.get("accepts_key_status")),
        strategic_role=_scalar(row.get("strategic_role")),
        collaboration=_scalar(row.get("collaboration")),
        growth_potential=_scalar(row.get("growth_potential")),
        last_review=_scalar(row.get("last_review")),
    )


# --------------------------------------------------------------------------------------
# 2. The account seen by us: relationship, wallet, opportunity


@dataclass(frozen=True, eq=False)
class Relationship:
    """The relationship as our own data shows it.

    Attributes
    ----------
    first_year : int or None
        Year the relationship began (accounts table).
    revenue_12m, gross_margin_12m : float
        Net revenue and gross margin in the twelve months up to ``as_of``.
    margin_rate : float
        Gross margin / revenue over those months (NaN without revenue).
    revenue_growth : float
        Revenue of the last twelve months against the twelve before, minus 1 (NaN
        when the year before had no revenue).
    by_year : DataFrame
        One row per rolling year, oldest first: ``year`` (0 = last twelve months),
        ``label``, ``revenue``, ``gross_margin``, ``margin_rate``, ``discount``,
        ``revenue_growth``. Years before the portfolio's first sale are left out;
        years inside it without sales show zero.
    by_line : DataFrame
        Revenue and margin per product line and rolling year: ``product_line``,
        ``year``, ``label``, ``revenue``, ``gross_margin``, ``margin_rate``; lines
        by revenue of the last twelve months (largest first), then oldest year first.
    our_people : DataFrame
        Our people in contact: ``our_owner``, ``contacts``, ``key_contacts``,
        ``strongest``, ``last_contact``; most contacts first.
    wallet : DataFrame
        :func:`share_of_wallet` (every year).
    wallet_year : int or None
        The latest wallet year.
    wallet_spend, our_share, headroom : float
        In the latest wallet year: the customer's spend in our categories, our share
        of it, and the spend we do not get (NaN without a wallet estimate).
    previous_suppliers : tuple of str
    relationship_stage, ladder_step : str or None
        The state of the relationship now.
    """

    first_year: int | None
    revenue_12m: float
    gross_margin_12m: float
    margin_rate: float
    revenue_growth: float
    by_year: pd.DataFrame
    by_line: pd.DataFrame
    our_people: pd.DataFrame
    wallet: pd.DataFrame
    wallet_year: int | None
    wallet_spend: float
    our_share: float
    headroom: float
    previous_suppliers: tuple[str, ...] = ()
    relationship_stage: str | None = None
    ladder_step: str | None = None


def _history_years(portfolio: Portfolio, years: int) -> int:
    """How many rolling years to show: ``years``, fewer when the data starts later."""
    dates = portfolio.transactions["date"]
    if dates.empty:
        return 1
    first = dates.min()
    shown = 1
    while shown < years and period(portfolio.as_of, 12, shown)[1] >= first:
        shown += 1
    return shown


def relationship(portfolio: Portfolio, account_id: str, *, years: int = 5,
                 thresholds: Thresholds | Mapping[str, Any] | None = None) -> Relationship:
    """Section 2 of the dossier: history, revenue, margin, our people and the wallet.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    years : int
        Rolling years of history to show (fewer when the portfolio's sales start later).
    thresholds : Thresholds or mapping, optional
        ``key_influence`` decides who counts among ``key_contacts``.

    Returns
    -------
    Relationship

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> r = relationship(company_x(), "CX-009")
    >>> r.by_year["label"].tolist()
    ['2023/24', '2024/25', '2025/26']
    >>> round(r.our_share, 2), bool(r.revenue_growth < 0)
    (0.28, True)
    """
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ParameterError("years", _("must be a whole number of at least 1"))
    limits = thresholds_of(thresholds)
    key = portfolio.check_account(account_id)
    info = portfolio.account(key)
    as_of = portfolio.as_of
    depth = _history_years(portfolio, years)
    sales = portfolio.table_for("transactions", key)

    totals = sales_by_year(sales, as_of, years=depth, by=()).set_index("year")
    by_year = pd.DataFrame({"year": list(range(depth - 1, -1, -1))})
    by_year["label"] = by_year["year"].map(lambda k: year_label(as_of, int(k)))
    for col in ("revenue", "gross_margin", "discount"):
        by_year[col] = by_year["year"].map(totals[col]).fillna(0.0).astype(float) \
            if not totals.empty else 0.0
    by_year["margin_rate"] = gross_margin_rate(by_year["revenue"],
                                               by_year["revenue"] - by_year["gross_margin"])
    previous = by_year["revenue"].shift(1)
    by_year["revenue_growth"] = (by_year["revenue"] / previous - 1).where(previous > 0)
    by_year = by_year[["year", "label", "revenue", "gross_margin", "margin_rate", "discount",
                       "revenue_growth"]]

    lines = sales_by_year(sales, as_of, years=depth, by=("product_line",))
    lines["margin_rate"] = gross_margin_rate(lines["revenue"], lines["cost"])
    latest = lines[lines["year"] == 0].set_index("product_line")["revenue"]
    lines["_rank"] = -lines["product_line"].map(latest).astype(float).fillna(0.0)
    by_line = lines.sort_values(["_rank", "product_line", "year"],
                                ascending=[True, True, False], kind="stable")[
        ["product_line", "year", "label", "revenue", "gross_margin", "margin_rate"]
    ].reset_index(drop=True)

    last = by_year.iloc[-1]
    wallet = share_of_wallet(portfolio, key)
    if wallet.empty:
        wallet_year, spend, ours = None, float("nan"), float("nan")
    else:
        wallet_year = int(wallet["year"].max())
        now = wallet[wallet["year"] == wallet_year]
        spend = float(now["wallet_spend"].iloc[0])
        ours = float(now.loc[now["party"] == US, "share"].iloc[0])
    headroom = spend - float(wallet.loc[wallet["year"] == wallet_year, "our_revenue"].iloc[0]) \
        if wallet_year is not None else float("nan")

    return Relationship(
        first_year=_int(info.get("first_year")),
        revenue_12m=float(last["revenue"]),
        gross_margin_12m=float(last["gross_margin"]),
        margin_rate=_float(last["margin_rate"]),
        revenue_growth=_float(last["revenue_growth"]),
        by_year=by_year.reset_index(drop=True),
        by_line=by_line,
        our_people=_our_people(portfolio.table_for("contacts", key), limits),
        wallet=wallet,
        wallet_year=wallet_year,
        wallet_spend=spend,
        our_share=ours,
        headroom=max(0.0, headroom) if headroom == headroom else headroom,
        previous_suppliers=_split_names(info.get("previous_suppliers")),
        relationship_stage=_scalar(info.get("relationship_stage")),
        ladder_step=_scalar(info.get("ladder_step")),
    )


def _our_people(contacts: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    columns = ["our_owner", "contacts", "key_contacts", "strongest", "last_contact"]
    if contacts.empty:
        return pd.DataFrame(columns=columns)
    frame = contacts.assign(
        our_owner=contacts["our_owner"].astype(object).where(contacts["our_owner"].notna(),
                                                             None),
        _key=contacts["influence"] >= thresholds.key_influence)
    grouped = frame.groupby("our_owner", dropna=False, sort=True)
    out = pd.DataFrame({
        "contacts": grouped.size(),
        "key_contacts": grouped["_key"].sum().astype(int),
        "strongest": grouped["relationship_strength"].max(),
        "last_contact": grouped["last_contact"].max(),
    }).reset_index()
    out = out.sort_values(["contacts", "our_owner"], ascending=[False, True],
                          kind="stable", na_position="last")
    return out[columns].reset_index(drop=True)


@dataclass(frozen=True)
class PeerGroup:
    """The comparable customers whitespace is measured against.

    Attributes
    ----------
    basis : str
        ``segment``, ``industry`` or ``portfolio`` (see :func:`peer_group`).
    value : str or None
        The segment or industry shared (None for the whole portfolio).
    account_ids : tuple of str
        The peers, sorted.
    """

    basis: str
    value: str | None
    account_ids: tuple[str, ...]

    def describe(self) -> str:
        """One sentence, in the current language, saying who the peers are."""
        n = len(self.account_ids)
        if self.basis == "segment":
            text = ngettext("{n} other customer of the segment {value} buying from us in the "
                            "last 12 months",
                            "{n} other customers of the segment {value} buying from us in the "
                            "last 12 months", n)
        elif self.basis == "industry":
            text = ngettext("{n} other customer in the industry {value} buying from us in the "
                            "last 12 months",
                            "{n} other customers in the industry {value} buying from us in the "
                            "last 12 months", n)
        else:
            text = ngettext("{n} other customer buying from us in the last 12 months",
                            "all {n} other customers buying from us in the last 12 months", n)
        return text.format(n=format_number(n), value=_isolate(self.value))


def _line_revenue_12m(portfolio: Portfolio) -> pd.DataFrame:
    """Net revenue of the last twelve months per account (rows) and product line."""
    t = portfolio.transactions
    start, end = period(portfolio.as_of)
    recent = t.loc[(t["date"] > start) & (t["date"] <= end), ["account_id", "product_line",
                                                              "revenue"]]
    return recent.pivot_table(index="account_id", columns="product_line", values="revenue",
                              aggfunc="sum", fill_value=0.0, observed=True, sort=True)


def peer_group(portfolio: Portfolio, account_id: str, *, min_peers: int = 5) -> PeerGroup:
    """The customers comparable to ``account_id``, for whitespace analysis.

    The rule, narrowest first: customers of the **same segment** (the organisation's
    own grouping of comparable customers, when the account has one); if fewer than
    ``min_peers`` of them buy, customers of the **same industry**; if still too few,
    **every customer**. Only customers with net revenue above zero in the last twelve
    months count: a peer that buys nothing from us shows no pattern to compare with.
    The account itself is never its own peer.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    min_peers : int
        Smallest group accepted before widening (default 5).

    Returns
    -------
    PeerGroup

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> g = peer_group(company_x(), "CX-015")
    >>> g.basis, g.value, len(g.account_ids)
    ('segment', 'system integrator', 13)
    """
    key = portfolio.check_account(account_id)
    return _peer_group(portfolio, key, min_peers, _line_revenue_12m(portfolio))


def _peer_group(portfolio: Portfolio, key: str, min_peers: int, lines: pd.DataFrame) -> PeerGroup:
    active = set(lines.index[lines.sum(axis=1) > 0]) - {key}
    accounts = portfolio.accounts.set_index("account_id")
    for basis in ("segment", "industry"):
        if basis not in accounts.columns:
            continue
        value = accounts.at[key, basis]
        if is_blank(value):
            continue
        same = accounts.index[(accounts[basis] == value).fillna(False).to_numpy()]
        peers = sorted(active & set(same))
        if len(peers) >= min_peers:
            return PeerGroup(basis, str(value), tuple(peers))
    return PeerGroup("portfolio", None, tuple(sorted(active)))


_WHITESPACE = ["product_line", "peers", "peers_buying", "penetration", "median_revenue",
               "mean_revenue", "median_share", "indicative_value"]


def whitespace(portfolio: Portfolio, account_id: str, *,
               thresholds: Thresholds | Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Product lines comparable customers buy and this account does not.

    Peers are chosen by :func:`peer_group`. A line is whitespace when the account had
    no net revenue on it in the last twelve months, while at least
    ``thresholds.min_penetration`` of the peers, and at least
    ``thresholds.min_buyers`` of them, bought it in those months.

    What the peers spend on it is told three ways, over the peers that buy the line:
    the **median** and **mean** revenue per peer (the median resists one huge peer;
    the mean shows the pull of the big ones), and the **median share** of the line in
    a peer's purchases from us. Applied to this account's own revenue, that share gives
    an **indicative value**: what the line would bring if this account bought it in
    the proportion a typical buying peer does. It is a prompt for a conversation, not a
    forecast; size real openings in the ``opportunities`` table.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : Thresholds or mapping, optional
        ``min_peers``, ``min_penetration`` and ``min_buyers`` are used.

    Returns
    -------
    DataFrame
        ``product_line``, ``peers``, ``peers_buying``, ``penetration`` (0..1),
        ``median_revenue``, ``mean_revenue``, ``median_share`` (0..1),
        ``indicative_value``; most widely bought first. Empty when there is none.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> whitespace(company_x(), "CX-009")["product_line"].tolist()
    ['drives']
    """
    limits = thresholds_of(thresholds)
    key = portfolio.check_account(account_id)
    lines = _line_revenue_12m(portfolio)
    return _whitespace(key, limits, lines, _peer_group(portfolio, key, limits.min_peers, lines))


def _whitespace(key: str, limits: Thresholds, lines: pd.DataFrame, group: PeerGroup
                ) -> pd.DataFrame:
    if not group.account_ids or lines.empty:
        return pd.DataFrame(columns=_WHITESPACE)
    ours = lines.loc[key] if key in lines.index else pd.Series(0.0, index=lines.columns)
    own_total = float(ours.sum())
    peers = lines.loc[list(group.account_ids)]
    totals = peers.sum(axis=1)
    rows = []
    for line in lines.columns:
        if ours[line] > 0:
            continue
        bought = peers[line] > 0
        n_buying = int(bought.sum())
        penetration = n_buying / len(peers)
        if n_buying < limits.min_buyers or penetration < limits.min_penetration:
            continue
        spend = peers.loc[bought, line]
        share = float((spend / totals[bought]).median())
        rows.append({
            "product_line": str(line),
            "peers": len(peers),
            "peers_buying": n_buying,
            "penetration": penetration,
            "median_revenue": float(spend.median()),
            "mean_revenue": float(spend.mean()),
            "median_share": share,
            "indicative_value": share * own_total if own_total > 0 else float("nan"),
        })
    out = pd.DataFrame(rows, columns=_WHITESPACE)
    return out.sort_values(["penetration", "median_revenue", "product_line"],
                           ascending=[False, False, True], kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class Opportunity:
    """Where the account can grow: stated opportunities and data-driven whitespace.

    Attributes
    ----------
    size : DataFrame
        :func:`size_of_opportunity`: per horizon (1, 3, 5 years) the number of
        opportunities, the pipeline and the probability-weighted value.
    opportunities : DataFrame
        The account's opportunities, ``weighted_1y``/``_3y``/``_5y`` added; largest
        weighted value in year three first.
    whitespace : DataFrame
        :func:`whitespace`.
    peers : PeerGroup
        Who the whitespace compares the account with.
    """

    size: pd.DataFrame
    opportunities: pd.DataFrame
    whitespace: pd.DataFrame
    peers: PeerGroup

    @property
    def weighted(self) -> dict[int, float]:
        """Probability-weighted value by horizon: ``{1: ..., 3: ..., 5: ...}``."""
        return {int(h): float(w) for h, w in zip(self.size["horizon"], self.size["weighted"],
                                                 strict=True)}


def opportunity(portfolio: Portfolio, account_id: str, *,
                thresholds: Thresholds | Mapping[str, Any] | None = None) -> Opportunity:
    """The size of opportunity next year, in year three and five, and the whitespace.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : Thresholds or mapping, optional
        For :func:`whitespace`.

    Returns
    -------
    Opportunity

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> o = opportunity(company_x(), "CX-001")
    >>> o.weighted
    {1: 470000.0, 3: 1560000.0, 5: 2010000.0}
    >>> o.whitespace["product_line"].tolist(), o.peers.basis
    (['displays'], 'segment')
    """
    limits = thresholds_of(thresholds)
    key = portfolio.check_account(account_id)
    opps = portfolio.table_for("opportunities", key)
    columns = [c for c in ("opportunity_id", "opportunity", "product_line", "kind",
                           "value_1y", "value_3y", "value_5y", "probability")
               if c in opps.columns]
    table = opps[columns].copy()
    for horizon, column in HORIZONS.items():
        table[f"weighted_{horizon}y"] = (table[column].fillna(0.0)
                                         * table["probability"].fillna(0.0))
    sort = ["weighted_3y", "opportunity_id" if "opportunity_id" in table else "opportunity"]
    table = table.sort_values(sort, ascending=[False, True], kind="stable").reset_index(
        drop=True)
    lines = _line_revenue_12m(portfolio)
    group = _peer_group(portfolio, key, limits.min_peers, lines)
    return Opportunity(
        size=size_of_opportunity(portfolio, key),
        opportunities=table,
        whitespace=_whitespace(key, limits, lines, group),
        peers=group,
    )


# --------------------------------------------------------------------------------------
# 3. The decision-making unit

_CONTACT_COLUMNS = ["name", "title", "department", "level", "buying_role", "influence",
                    "attitude", "relationship_strength", "our_owner", "last_contact",
                    "days_since_contact"]


@dataclass(frozen=True, eq=False)
class DecisionMakingUnit:
    """Every actor in the customer's decision, and how far our relationships reach.

    Attributes
    ----------
    contacts : DataFrame
        One row per person: ``name``, ``title``, ``department``, ``level``,
        ``buying_role``, ``influence``, ``attitude``, ``relationship_strength``,
        ``our_owner``, ``last_contact``, ``days_since_contact`` (days before
        ``as_of``; NaN when never). Highest level first, then most influential.
    by_level : DataFrame
        Every level of the customer's hierarchy (executive first): ``level``,
        ``contacts``, ``strong`` (relationships at ``strong_relationship`` or more),
        ``sponsors``, ``strongest``. Zeros show the levels we do not reach.
    roles : DataFrame
        Every buying role, the required ones first: ``buying_role``, ``covered``,
        ``contacts``, ``holders`` (names), ``strongest``.
    coverage : DataFrame
        The grid of levels x departments: ``level``, ``department``, ``contacts``,
        ``strongest`` (NaN where we know nobody); every level, and every department
        in which we know someone.
    """

    contacts: pd.DataFrame
    by_level: pd.DataFrame
    roles: pd.DataFrame
    coverage: pd.DataFrame

    @property
    def empty(self) -> bool:
        """Whether no contact is recorded."""
        return self.contacts.empty


def decision_making_unit(portfolio: Portfolio, account_id: str, *,
                         thresholds: Thresholds | Mapping[str, Any] | None = None
                         ) -> DecisionMakingUnit:
    """Section 3 of the dossier: the decision-making unit and our coverage of it.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : Thresholds or mapping, optional
        ``strong_relationship`` and ``required_roles`` are used.

    Returns
    -------
    DecisionMakingUnit

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> dmu = decision_making_unit(company_x(), "CX-010")
    >>> dmu.roles.loc[~dmu.roles["covered"], "buying_role"].tolist()[:1]
    ['economic_buyer']
    >>> dmu.by_level[["level", "contacts"]].to_dict("list")
    {'level': ['executive', 'senior', 'middle', 'operational'], 'contacts': [1, 2, 1, 1]}
    """
    from kamkit.data.schema import BUYING_ROLES

    limits = thresholds_of(thresholds)
    key = portfolio.check_account(account_id)
    raw = portfolio.table_for("contacts", key)
    frame = raw.assign(days_since_contact=(portfolio.as_of - raw["last_contact"]).dt.days
                       .astype("float64"))
    frame = frame.assign(_level=_order(frame["level"], CONTACT_LEVELS)).sort_values(
        ["_level", "influence", "relationship_strength", "name"],
        ascending=[True, False, False, True], kind="stable")
    contacts = frame[_CONTACT_COLUMNS].reset_index(drop=True)

    strong = contacts["relationship_strength"] >= limits.strong_relationship
    levels = []
    for level in CONTACT_LEVELS:
        here = contacts["level"] == level
        levels.append({
            "level": level,
            "contacts": int(here.sum()),
            "strong": int((here & strong).sum()),
            "sponsors": int((here & (contacts["attitude"] == "sponsor")).sum()),
            "strongest": float(contacts.loc[here, "relationship_strength"].max())
            if here.any() else float("nan"),
        })
    by_level = pd.DataFrame(levels, columns=["level", "contacts", "strong", "sponsors",
                                             "strongest"])

    order = list(limits.required_roles) + [r for r in BUYING_ROLES
                                           if r not in limits.required_roles]
    roles = []
    for role in order:
        holders = contacts[contacts["buying_role"] == role]
        roles.append({
            "buying_role": role,
            "covered": not holders.empty,
            "contacts": len(holders),
            "holders": ", ".join(holders["name"].astype(str)),
            "strongest": float(holders["relationship_strength"].max())
            if not holders.empty else float("nan"),
        })
    roles_frame = pd.DataFrame(roles, columns=["buying_role", "covered", "contacts",
                                               "holders", "strongest"])

    departments = sorted({str(d) for d in contacts["department"].dropna()})
    cells = []
    for level in CONTACT_LEVELS:
        for dept in departments:
            here = (contacts["level"] == level) & (contacts["department"] == dept)
            cells.append({
                "level": level,
                "department": dept,
                "contacts": int(here.sum()),
                "strongest": float(contacts.loc[here, "relationship_strength"].max())
                if here.any() else float("nan"),
            })
    coverage = pd.DataFrame(cells, columns=["level", "department", "contacts", "strongest"])
    return DecisionMakingUnit(contacts, by_level, roles_frame, coverage)


# --------------------------------------------------------------------------------------
# 4. Competitors


@dataclass(frozen=True, eq=False)
class Competition:
    """Direct competitors at the account and how the customer's spend is split.

    Attributes
    ----------
    year : int or None
        The wallet year of ``split`` (the latest one).
    split : DataFrame
        :func:`share_of_wallet` rows of that year: us, each competitor, the rest.
        Empty without a wallet estimate.
    history : DataFrame
        :func:`share_of_wallet` for every year.
    competitors : DataFrame
        One row per competitor, side by side: ``competitor``, ``share_of_wallet``
        (latest estimate), ``share_change`` (latest minus earliest estimate),
        ``threat``, ``strengths``, ``weaknesses``; highest threat, then largest share
        first.
    our_share : float
        Our share in ``year`` (NaN without a wallet estimate).
    """

    year: int | None
    split: pd.DataFrame
    history: pd.DataFrame
    competitors: pd.DataFrame
    our_share: float

    @property
    def ahead_of_us(self) -> pd.DataFrame:
        """Competitors of ``split`` whose share is larger than ours."""
        if self.split.empty or self.our_share != self.our_share:
            return self.split.iloc[0:0]
        rivals = self.split[~self.split["party"].isin([US, REST])]
        return rivals[rivals["share"] > self.our_share].reset_index(drop=True)


def competition(portfolio: Portfolio, account_id: str) -> Competition:
    """Section 4 of the dossier: competitors and the split of the customer's wallet.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str

    Returns
    -------
    Competition

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> c = competition(company_x(), "CX-009")
    >>> c.year, c.ahead_of_us["party"].tolist()
    (2026, ['Brevi Automazione'])
    """
    key = portfolio.check_account(account_id)
    history = share_of_wallet(portfolio, key)
    comp = portfolio.table_for("competitors", key)
    columns = ["competitor", "share_of_wallet", "share_change", "threat", "strengths",
               "weaknesses"]
    if comp.empty:
        competitors = pd.DataFrame(columns=columns)
    else:
        latest_year = comp["year"].max()
        year = comp["year"].astype("Float64").fillna(
            float(latest_year) if pd.notna(latest_year) else 0.0)
        frame = comp.assign(_year=year.astype(float)).sort_values(
            ["competitor", "_year"], kind="stable")
        rows = []
        for name, g in frame.groupby("competitor", sort=True):
            last, first = g.iloc[-1], g.iloc[0]
            rows.append({
                "competitor": name,
                "share_of_wallet": float(last["share_of_wallet"]),
                "share_change": float(last["share_of_wallet"] - first["share_of_wallet"])
                if len(g) > 1 else float("nan"),
                "threat": last["threat"],
                "strengths": _scalar(last["strengths"]),
                "weaknesses": _scalar(last["weaknesses"]),
            })
        competitors = pd.DataFrame(rows, columns=columns)
        competitors = competitors.assign(
            _threat=_order(competitors["threat"], ("high", "medium", "low"))).sort_values(
            ["_threat", "share_of_wallet", "competitor"], ascending=[True, False, True],
            kind="stable")[columns].reset_index(drop=True)
    if history.empty:
        return Competition(None, history, history, competitors, float("nan"))
    year = int(history["year"].max())
    split = history[history["year"] == year].reset_index(drop=True)
    ours = float(split.loc[split["party"] == US, "share"].iloc[0])
    return Competition(year, split, history, competitors, ours)


# --------------------------------------------------------------------------------------
# Needs, pain points and the customer SWOT

_NEED_COLUMNS = ["need_id", "need", "kind", "priority", "source", "date"]
_KINDS = ("pain_point", "hidden", "stated")
_PRIORITIES = ("high", "medium", "low")
_QUADRANTS = ("strength", "weakness", "opportunity", "threat")


@dataclass(frozen=True, eq=False)
class Needs:
    """What the customer needs, what hurts, and its own SWOT.

    Attributes
    ----------
    needs : DataFrame
        ``need_id``, ``need``, ``kind`` (stated, hidden, pain_point), ``priority``,
        ``source``, ``date``; by priority (high first), then pain points, hidden and
        stated needs, newest first.
    swot : DataFrame
        ``quadrant``, ``item``; strengths, weaknesses, opportunities, threats.
    """

    needs: pd.DataFrame
    swot: pd.DataFrame

    def of_kind(self, kind: str) -> pd.DataFrame:
        """The needs of one kind (``stated``, ``hidden`` or ``pain_point``)."""
        return self.needs[self.needs["kind"] == kind].reset_index(drop=True)

    @property
    def by_source(self) -> pd.DataFrame:
        """How many needs of each kind each source found: ``source``, ``kind``,
        ``needs``."""
        if self.needs.empty:
            return pd.DataFrame(columns=["source", "kind", "needs"])
        counts = self.needs.groupby(["source", "kind"], sort=True).size()
        return counts.rename("needs").reset_index()


register_fields({"needs": Field(N_("Needs"), "int")})


def needs(portfolio: Portfolio, account_id: str) -> Needs:
    """The customer's needs and pain points, by priority, and its SWOT.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str

    Returns
    -------
    Needs

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> n = needs(company_x(), "CX-001")
    >>> n.needs[["kind", "priority"]].iloc[0].tolist()
    ['pain_point', 'high']
    >>> n.swot["quadrant"].unique().tolist()
    ['strength', 'weakness', 'opportunity', 'threat']
    """
    key = portfolio.check_account(account_id)
    raw = portfolio.table_for("needs", key)
    frame = raw.assign(_p=_order(raw["priority"], _PRIORITIES), _k=_order(raw["kind"], _KINDS),
                       _d=raw["date"])
    columns = [c for c in _NEED_COLUMNS if c in raw.columns]
    table = frame.sort_values(["_p", "_k", "_d", *columns[:1]],
                              ascending=[True, True, False, True], kind="stable",
                              na_position="last")[columns].reset_index(drop=True)
    swot = portfolio.table_for("swot", key)
    swot = swot.assign(_q=_order(swot["quadrant"], _QUADRANTS)).sort_values(
        "_q", kind="stable")[["quadrant", "item"]].reset_index(drop=True)
    return Needs(table, swot)


# --------------------------------------------------------------------------------------
# Freshness: the three-month rule, and the sections without data

#: Parts of the dossier, in the method's order: code -> title.
SECTIONS: dict[str, str] = {
    "flags": N_("Relationship risks"),
    "general": N_("1. General information"),
    "relationship": N_("2. The account seen by us"),
    "opportunity": N_("Size of opportunity and whitespace"),
    "dmu": N_("3. The decision-making unit"),
    "competitors": N_("4. Competitors"),
    "needs": N_("Needs, pain points and the customer SWOT"),
    "freshness": N_("Freshness and gaps"),
}

#: Data a dossier may lack: code -> (table, dossier section, short name, what is missing,
#: why it matters).
_MISSING: dict[str, tuple[str, str, str, str, str]] = {
    "profile": ("accounts", "general", N_("customer profile"), N_(
        "No description, decision process, headcount or revenue of the customer is "
        "recorded."), N_(
        "Without knowing the customer's business and how it decides, the team cannot "
        "judge its needs or plan whom to meet.")),
    "sales": ("transactions", "relationship", N_("sales"), N_(
        "The account has no sales lines."), N_(
        "There is no history of revenue or margin to build on, and no share of wallet: "
        "every figure of the relationship starts from zero.")),
    "wallet": ("wallet", "relationship", N_("wallet estimate"), N_(
        "No estimate of the customer's total spend in our categories."), N_(
        "Our share of wallet and the headroom left cannot be measured, nor whether a "
        "competitor takes more of the customer's spend than we do.")),
    "opportunities": ("opportunities", "opportunity", N_("opportunities"), N_(
        "No opportunities are recorded."), N_(
        "The size of opportunity shows zero because nobody has sized the openings, not "
        "because there are none; the plan has nothing to aim at next year or in three to "
        "five years.")),
    "contacts": ("contacts", "dmu", N_("contacts"), N_(
        "No contacts are recorded."), N_(
        "Without the decision-making unit nobody can tell whether the relationship hangs "
        "on one person, whether the executives back us or whether an anti-sponsor works "
        "against us: the stakeholder map and the relationship risk checks cannot run.")),
    "competitors": ("competitors", "competitors", N_("competitors"), N_(
        "No competitors are recorded."), N_(
        "We cannot see who else takes the customer's spend or how we compare with them, "
        "so the plan cannot protect the account against them.")),
    "needs": ("needs", "needs", N_("needs"), N_(
        "No needs or pain points are recorded."), N_(
        "The plan's goals cannot be linked to what the customer needs: interviews, sales "
        "data and feedback have not yet been turned into stated and hidden needs.")),
    "swot": ("swot", "needs", N_("customer SWOT"), N_(
        "No customer SWOT is recorded."), N_(
        "The customer's own strengths, weaknesses, opportunities and threats show where "
        "we can help it reach its goals: the step from supplier to strategic partner.")),
}


@dataclass(frozen=True)
class MissingSection:
    """Data the dossier lacks, said in the current language.

    Attributes
    ----------
    code : str
        ``profile``, ``sales``, ``wallet``, ``opportunities``, ``contacts``,
        ``competitors``, ``needs`` or ``swot``.
    table_present : bool
        Whether the portfolio has the table at all (for other accounts); when it does
        not, the message says the portfolio lacks it.
    """

    code: str
    table_present: bool = True

    @property
    def table(self) -> str:
        """The portfolio table the data would come from."""
        return _MISSING[self.code][0]

    @property
    def section(self) -> str:
        """Code of the dossier section (see :data:`SECTIONS`) it leaves empty."""
        return _MISSING[self.code][1]

    @property
    def label(self) -> str:
        """A short name of the missing data."""
        return _(_MISSING[self.code][2])

    @property
    def what(self) -> str:
        """What is missing."""
        if not self.table_present:
            return _("The portfolio has no {table} table.").format(table=self.table)
        return _(_MISSING[self.code][3])

    @property
    def why(self) -> str:
        """Why it matters."""
        return _(_MISSING[self.code][4])

    @property
    def message(self) -> str:
        """What is missing and why it matters, in one line."""
        return _("{what} {why}").format(what=self.what, why=self.why)


@dataclass(frozen=True)
class Freshness:
    """How current the dossier is, and what it lacks.

    Attributes
    ----------
    as_of : Timestamp
        The portfolio's "today".
    last_review : Timestamp or None
    review_due : Timestamp or None
        ``last_review`` plus ``review_months``: the date the next review is due.
    age_days : int or None
        Days from the last review to ``as_of``.
    stale : bool
        Never reviewed, or reviewed more than ``review_months`` months before ``as_of``.
    missing : tuple of MissingSection
        Data the dossier lacks entirely, in the order of the dossier.
    """

    as_of: pd.Timestamp
    last_review: pd.Timestamp | None
    review_due: pd.Timestamp | None
    age_days: int | None
    stale: bool
    missing: tuple[MissingSection, ...] = ()

    @property
    def missing_sections(self) -> list[str]:
        """Codes of the missing data (see :class:`MissingSection`)."""
        return [m.code for m in self.missing]

    def missing_table(self) -> pd.DataFrame:
        """What is missing and why it matters: ``section``, ``what``, ``why`` (text)."""
        return pd.DataFrame({
            "section": [_(SECTIONS[m.section]) for m in self.missing],
            "gap": [m.what for m in self.missing],
            "why": [m.why for m in self.missing],
        }, columns=["section", "gap", "why"])


def freshness(portfolio: Portfolio, account_id: str, *,
              thresholds: Thresholds | Mapping[str, Any] | None = None) -> Freshness:
    """When the dossier was last reviewed, whether that breaks the three-month rule,
    and which parts of it have no data at all.

    Age is measured from the portfolio's ``as_of``, never from the wall clock, so the
    same data gives the same answer on any day.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : Thresholds or mapping, optional
        ``review_months`` is used.

    Returns
    -------
    Freshness

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> f = freshness(company_x(), "CX-011")
    >>> f.stale, f.last_review, f.missing_sections
    (True, None, ['wallet', 'opportunities', 'contacts', 'competitors', 'needs', 'swot'])
    >>> freshness(company_x(), "CX-003").review_due.date()
    datetime.date(2026, 2, 20)
    """
    limits = thresholds_of(thresholds)
    key = portfolio.check_account(account_id)
    info = portfolio.account(key)
    as_of = portfolio.as_of
    review = _scalar(info.get("last_review"))
    if review is None:
        due, age, stale = None, None, True
    else:
        review = pd.Timestamp(review)
        due = review + pd.DateOffset(months=limits.review_months)
        age = int((as_of - review).days)
        stale = bool(review < as_of - pd.DateOffset(months=limits.review_months))
    missing = []
    if all(is_blank(info.get(c)) for c in ("description", "decision_process", "employees",
                                           "annual_revenue")):
        missing.append(MissingSection("profile"))
    for code, (table, *_rest) in _MISSING.items():
        if code == "profile":
            continue
        if (portfolio.tables[table]["account_id"] == key).any():
            continue
        missing.append(MissingSection(code, portfolio.has(table)))
    return Freshness(as_of, review, due, age, stale, tuple(missing))


# --------------------------------------------------------------------------------------
# Relationship risk flags

#: Every flag the dossier raises, in the order they are shown.
FLAG_CODES: tuple[str, ...] = ("empty_dossier", "stale_dossier", "single_threaded",
                               "no_executive_sponsor", "anti_sponsor",
                               "uncovered_buying_role", "stale_contact", "competitor_ahead")

# Titles of the flags. Not registered as category values: "anti_sponsor" is also an
# attitude, whose label must stay "Anti-sponsor".
_FLAG_TITLES = {
    "empty_dossier": N_("Empty dossier"),
    "stale_dossier": N_("Dossier out of date"),
    "single_threaded": N_("Single-threaded"),
    "no_executive_sponsor": N_("No executive sponsor"),
    "anti_sponsor": N_("Influential anti-sponsor"),
    "uncovered_buying_role": N_("Buying role not covered"),
    "stale_contact": N_("Key contact out of touch"),
    "competitor_ahead": N_("Competitor ahead of us"),
}

_SEVERE = frozenset({"empty_dossier", "single_threaded", "anti_sponsor", "competitor_ahead"})


@dataclass(frozen=True, eq=False)
class Flag:
    """A relationship risk, and the evidence that raised it.

    Attributes
    ----------
    code : str
        One of :data:`FLAG_CODES`.
    evidence : dict
        Plain values (names, dates, numbers, thresholds) that show why the flag was
        raised; the message is written from them.
    """

    code: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The flag's short name in the current language."""
        return _(_FLAG_TITLES[self.code])

    @property
    def severity(self) -> str:
        """``alert`` for risks to the relationship itself, ``warning`` for gaps."""
        return "alert" if self.code in _SEVERE else "warning"

    @property
    def message(self) -> str:
        """What was found, with the evidence, in the current language."""
        return _FLAG_MESSAGES[self.code](self.evidence)

    def as_dict(self) -> dict[str, Any]:
        """``{code, message, evidence}`` for the results file."""
        from kamkit.artifacts import to_jsonable

        return {"code": self.code, "message": self.message,
                "evidence": to_jsonable(dict(self.evidence))}


def _who(person: Mapping[str, Any]) -> str:
    name = _isolate(person["name"])
    if is_blank(person.get("title")):
        return name
    return _("{name} ({title})").format(name=name, title=_isolate(person["title"]))


def _msg_empty(e: Mapping[str, Any]) -> str:
    return _("Empty dossier: no contacts, competitors or needs are recorded, so nobody can "
             "judge the relationship, the competition or what the customer needs.")


def _msg_stale_dossier(e: Mapping[str, Any]) -> str:
    months = int(e["months"])
    if e.get("last_review") is None:
        return ngettext("The dossier has never been reviewed; the method asks for a review "
                        "at least every {months} month.",
                        "The dossier has never been reviewed; the method asks for a review "
                        "at least every {months} months.", months).format(
            months=format_number(months))
    return ngettext("The dossier was last reviewed on {date}, more than {months} month "
                    "before {as_of} ({days} days).",
                    "The dossier was last reviewed on {date}, more than {months} months "
                    "before {as_of} ({days} days).", months).format(
        date=format_date(pd.Timestamp(e["last_review"])), months=format_number(months),
        as_of=format_date(pd.Timestamp(e["as_of"])), days=format_number(e["age_days"]))


def _msg_single(e: Mapping[str, Any]) -> str:
    n = int(e["contacts"])
    strong = e["strong_contacts"]
    if not strong:
        return ngettext("No strong relationship: our one contact rates below {threshold} on "
                        "relationship strength.",
                        "No strong relationship: none of our {n} contacts rates {threshold} "
                        "or more on relationship strength.", n).format(
            n=format_number(n), threshold=format_number(e["threshold"]))
    return ngettext("Single-threaded: {who} is our only contact and our only strong "
                    "relationship. If this person leaves, the relationship goes too.",
                    "Single-threaded: of {n} contacts only {who} has a strong relationship "
                    "with us (strength {threshold} or more). If this person leaves, the "
                    "relationship goes too.", n).format(
        n=format_number(n), who=_who(strong[0]), threshold=format_number(e["threshold"]))


def _msg_no_exec(e: Mapping[str, Any]) -> str:
    execs = e["executives"]
    if not execs:
        return _("No executive sponsor: we know nobody at executive level.")
    people = _join([_("{who}: {attitude}").format(who=_who(p), attitude=value_label(
        p["attitude"])) for p in execs])
    return ngettext("No executive sponsor: the one executive we know is not a sponsor "
                    "({people}).",
                    "No executive sponsor: none of the {n} executives we know is a sponsor "
                    "({people}).", len(execs)).format(n=format_number(len(execs)),
                                                      people=people)


def _msg_anti(e: Mapping[str, Any]) -> str:
    people = e["contacts"]
    who = "; ".join(_("{who}, influence {influence}").format(
        who=_who(p), influence=format_number(p["influence"])) for p in people)
    return ngettext("Influential anti-sponsor working against us: {people}.",
                    "Influential anti-sponsors working against us: {people}.",
                    len(people)).format(people=who)


def _msg_roles(e: Mapping[str, Any]) -> str:
    roles = e["roles"]
    return ngettext("Buying role nobody covers: {roles}. We know no one in this role.",
                    "Buying roles nobody covers: {roles}. We know no one in these roles.",
                    len(roles)).format(roles=_join([value_label(r) for r in roles]))


def _msg_stale_contact(e: Mapping[str, Any]) -> str:
    people = e["contacts"]
    items = []
    for p in people:
        if p.get("last_contact") is None:
            items.append(_("{who}, never").format(who=_who(p)))
        else:
            items.append(_("{who}, last contact {date}").format(
                who=_who(p), date=format_date(pd.Timestamp(p["last_contact"]))))
    return ngettext("Key contact not reached for more than {days} days: {people}.",
                    "Key contacts not reached for more than {days} days: {people}.",
                    len(people)).format(days=format_number(e["days"]), people="; ".join(items))


def _msg_ahead(e: Mapping[str, Any]) -> str:
    rivals = e["competitors"]
    names = _join([_("{name} with {share}").format(name=_isolate(c["competitor"]),
                                                   share=format_percent(c["share"]))
                   for c in rivals])
    return ngettext("Competitor ahead of us in {year}: {competitors} of the customer's "
                    "spend, against our {ours}.",
                    "Competitors ahead of us in {year}: {competitors} of the customer's "
                    "spend, against our {ours}.", len(rivals)).format(
        year=e["year_label"], competitors=names, ours=format_percent(e["our_share"]))


_FLAG_MESSAGES = {
    "empty_dossier": _msg_empty,
    "stale_dossier": _msg_stale_dossier,
    "single_threaded": _msg_single,
    "no_executive_sponsor": _msg_no_exec,
    "anti_sponsor": _msg_anti,
    "uncovered_buying_role": _msg_roles,
    "stale_contact": _msg_stale_contact,
    "competitor_ahead": _msg_ahead,
}
assert set(_FLAG_MESSAGES) == set(_FLAG_TITLES) == set(FLAG_CODES)


def _people(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    from kamkit.artifacts import to_jsonable

    return [to_jsonable({c: r[c] for c in ("name", "title", *columns)})
            for _i, r in frame.iterrows()]


def _raise_flags(dmu: DecisionMakingUnit, comp: Competition, needs_: Needs,
                 fresh: Freshness, limits: Thresholds) -> tuple[Flag, ...]:
    """The flags, from the sections already computed (one rule per flag)."""
    flags: list[Flag] = []
    c = dmu.contacts
    if c.empty and comp.competitors.empty and needs_.needs.empty:
        flags.append(Flag("empty_dossier", {"contacts": 0, "competitors": 0, "needs": 0}))
    if fresh.stale:
        flags.append(Flag("stale_dossier", {
            "last_review": fresh.last_review, "as_of": fresh.as_of,
            "age_days": fresh.age_days, "months": limits.review_months}))
    if not c.empty:
        strong = c[c["relationship_strength"] >= limits.strong_relationship]
        if len(strong) <= 1:
            flags.append(Flag("single_threaded", {
                "contacts": len(c), "threshold": limits.strong_relationship,
                "strong_contacts": _people(strong, ["relationship_strength"])}))
        execs = c[c["level"] == "executive"]
        if not (execs["attitude"] == "sponsor").any():
            flags.append(Flag("no_executive_sponsor", {
                "executives": _people(execs, ["attitude"])}))
        anti = c[(c["attitude"] == "anti_sponsor")
                 & (c["influence"] >= limits.anti_sponsor_influence)]
        if not anti.empty:
            flags.append(Flag("anti_sponsor", {
                "threshold": limits.anti_sponsor_influence,
                "contacts": _people(anti, ["influence", "buying_role"])}))
        held = set(c["buying_role"].dropna())
        open_roles = [r for r in limits.required_roles if r not in held]
        if open_roles:
            flags.append(Flag("uncovered_buying_role", {
                "roles": open_roles, "required": list(limits.required_roles)}))
        key = c[c["influence"] >= limits.key_influence]
        late = key[key["days_since_contact"].isna()
                   | (key["days_since_contact"] > limits.contact_days)]
        if not late.empty:
            flags.append(Flag("stale_contact", {
                "days": limits.contact_days, "threshold": limits.key_influence,
                "contacts": _people(late, ["influence", "last_contact",
                                           "days_since_contact"])}))
    ahead = comp.ahead_of_us
    if not ahead.empty:
        flags.append(Flag("competitor_ahead", {
            "year": comp.year, "year_label": str(comp.split["label"].iloc[0]),
            "our_share": comp.our_share,
            "wallet_spend": float(comp.split["wallet_spend"].iloc[0]),
            "competitors": [{"competitor": str(r["party"]), "share": float(r["share"]),
                             "threat": _scalar(r["threat"])} for _i, r in ahead.iterrows()]}))
    order = {code: i for i, code in enumerate(FLAG_CODES)}
    return tuple(sorted(flags, key=lambda f: order[f.code]))


def relationship_flags(portfolio: Portfolio, account_id: str, *,
                       thresholds: Thresholds | Mapping[str, Any] | None = None
                       ) -> tuple[Flag, ...]:
    """The relationship risks of an account, each with the evidence that raised it.

    ============================  =========================================================
    flag                          raised when
    ============================  =========================================================
    ``empty_dossier``             no contacts, no competitors and no needs are recorded
    ``stale_dossier``             never reviewed, or last reviewed more than
                                  ``review_months`` months before ``as_of``
    ``single_threaded``           at most one contact has ``relationship_strength`` of
                                  ``strong_relationship`` or more
    ``no_executive_sponsor``      no contact at executive level is a sponsor
    ``anti_sponsor``              an anti-sponsor has influence of
                                  ``anti_sponsor_influence`` or more
    ``uncovered_buying_role``     nobody we know holds one of ``required_roles``
    ``stale_contact``             a key contact (influence ``key_influence`` or more) was
                                  not reached in the ``contact_days`` days before
                                  ``as_of``, or never
    ``competitor_ahead``          in the latest wallet year a competitor's share of wallet
                                  is larger than ours
    ============================  =========================================================

    The contact rules need contacts: an account without any gets ``empty_dossier`` (or
    a missing section) rather than a row of contact flags that would all say the same.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : Thresholds or mapping, optional

    Returns
    -------
    tuple of Flag
        In the order of :data:`FLAG_CODES`.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> [f.code for f in relationship_flags(company_x(), "CX-009")]
    ['anti_sponsor', 'competitor_ahead']
    >>> print(relationship_flags(company_x(), "CX-007")[0].message)
    Single-threaded: of 5 contacts only Hélène Faure (Chief Engineer) has a strong
    relationship with us (strength 4 or more). If this person leaves, the relationship goes too.
    """
    limits = thresholds_of(thresholds)
    key = portfolio.check_account(account_id)
    return _raise_flags(decision_making_unit(portfolio, key, thresholds=limits),
                        competition(portfolio, key), needs(portfolio, key),
                        freshness(portfolio, key, thresholds=limits), limits)


# --------------------------------------------------------------------------------------
# The whole dossier


@dataclass(frozen=True, eq=False)
class Dossier:
    """The account dossier: the four parts of the method, needs, freshness and flags.

    Attributes
    ----------
    account_id, name : str
    as_of : Timestamp
        The portfolio's "today".
    currency : str or None
    portfolio_name : str
    thresholds : Thresholds
    general : GeneralInformation
    relationship : Relationship
    opportunity : Opportunity
    dmu : DecisionMakingUnit
    competition : Competition
    needs : Needs
    freshness : Freshness
    flags : tuple of Flag
    """

    account_id: str
    name: str
    as_of: pd.Timestamp
    currency: str | None
    portfolio_name: str
    thresholds: Thresholds
    general: GeneralInformation
    relationship: Relationship
    opportunity: Opportunity
    dmu: DecisionMakingUnit
    competition: Competition
    needs: Needs
    freshness: Freshness
    flags: tuple[Flag, ...]

    @property
    def flag_codes(self) -> list[str]:
        """Codes of the raised flags, in the order of :data:`FLAG_CODES`."""
        return [f.code for f in self.flags]

    @property
    def stale(self) -> bool:
        """Whether the dossier breaks the review rule."""
        return self.freshness.stale

    @property
    def missing_sections(self) -> list[str]:
        """Codes of the data the dossier lacks (see :class:`MissingSection`)."""
        return self.freshness.missing_sections

    def missing(self, section: str) -> list[MissingSection]:
        """The missing data that leaves dossier section ``section`` (a :data:`SECTIONS`
        code) incomplete."""
        return [m for m in self.freshness.missing if m.section == section]

    def flags_table(self) -> pd.DataFrame:
        """The flags for reading: ``flag`` (its title) and ``message``, as text in the
        current language."""
        return pd.DataFrame({"flag_title": [f.title for f in self.flags],
                             "message": [f.message for f in self.flags]},
                            columns=["flag_title", "message"])

    def key_figures(self) -> dict[str, Any]:
        """The dossier's results file (``dossier.json``, docs/architecture.md).

        Messages are in the current language; values are plain JSON: fractions 0..1,
        money in the portfolio's currency, dates ``YYYY-MM-DD``, NaN as null.
        """
        from kamkit.artifacts import to_jsonable

        r, o, c = self.relationship, self.opportunity, self.competition
        needs_by_kind = self.needs.needs["kind"].value_counts()
        data = {
            "account_id": self.account_id,
            "name": self.name,
            "as_of": self.as_of,
            "currency": self.currency,
            "revenue_12m": r.revenue_12m,
            "gross_margin_12m": r.gross_margin_12m,
            "margin_rate": r.margin_rate,
            "revenue_growth": r.revenue_growth,
            "share_of_wallet": r.our_share,
            "wallet_year": r.wallet_year,
            "wallet_spend": r.wallet_spend,
            "headroom": r.headroom,
            "opportunity": o.weighted,
            "pipeline": {int(h): float(v) for h, v in zip(o.size["horizon"],
                                                          o.size["pipeline"], strict=True)},
            "whitespace": o.whitespace[["product_line", "penetration", "median_revenue",
                                        "indicative_value"]],
            "peers": {"basis": o.peers.basis, "value": o.peers.value,
                      "count": len(o.peers.account_ids)},
            "contacts": len(self.dmu.contacts),
            "levels_reached": int((self.dmu.by_level["contacts"] > 0).sum()),
            "competitors": c.competitors[["competitor", "share_of_wallet", "threat"]],
            "needs": {k: int(needs_by_kind.get(k, 0)) for k in _KINDS},
            "last_review": self.freshness.last_review,
            "review_due": self.freshness.review_due,
            "stale": self.stale,
            "missing_sections": self.missing_sections,
            "flags": [f.as_dict() for f in self.flags],
            "thresholds": self.thresholds,
        }
        return to_jsonable(data)

    def render(self) -> str:
        """A short text summary in the current language (what ``kamkit dossier`` prints).

        Examples
        --------
        >>> from kamkit.data.synth import company_x
        >>> print(account_dossier(company_x(), "CX-011").render())  # doctest: +ELLIPSIS
        Account dossier: ...Isartal Sensorik GmbH... (CX-011)
        As of: Jun 30, 2026
        ...
        Flags:
          - Empty dossier: no contacts, competitors or needs are recorded, ...
          - The dossier has never been reviewed; ...
        """
        cur = self.currency
        r, o = self.relationship, self.opportunity
        w = o.weighted
        lines = [
            _("Account dossier: {name} ({id})").format(name=_isolate(self.name),
                                                       id=_isolate(self.account_id)),
            _("As of: {date}").format(date=format_date(self.as_of)),
            _("Revenue, last 12 months: {amount}; growth {growth}; gross margin {margin}")
            .format(amount=format_money(r.revenue_12m, cur),
                    growth=format_percent(r.revenue_growth),
                    margin=format_percent(r.margin_rate)),
        ]
        if r.wallet_year is None:
            lines.append(_("Share of wallet: not measured (no estimate of the customer's "
                           "spend)"))
        else:
            lines.append(_("Share of wallet: {share} of {spend} ({year})").format(
                share=format_percent(r.our_share), spend=format_money(r.wallet_spend, cur),
                year=str(r.wallet.loc[r.wallet["year"] == r.wallet_year, "label"].iloc[0])))
        lines.append(_("Size of opportunity, probability-weighted: {y1} next year, {y3} in "
                       "year 3, {y5} in year 5").format(
            y1=format_money(w[1], cur), y3=format_money(w[3], cur), y5=format_money(w[5], cur)))
        if not o.whitespace.empty:
            lines.append(_("Whitespace: {lines}").format(lines=_join([
                _("{line} ({share} of peers buy it)").format(
                    line=_isolate(row["product_line"]),
                    share=format_percent(row["penetration"], 0))
                for _i, row in o.whitespace.iterrows()])))
        lines.append(ngettext("Decision-making unit: {n} contact at {levels} of 4 levels",
                              "Decision-making unit: {n} contacts at {levels} of 4 levels",
                              len(self.dmu.contacts)).format(
            n=format_number(len(self.dmu.contacts)),
            levels=format_number(int((self.dmu.by_level["contacts"] > 0).sum()))))
        f = self.freshness
        if f.last_review is None:
            lines.append(_("Last review: never"))
        else:
            lines.append((_("Last review: {date} (out of date)") if f.stale
                          else _("Last review: {date}")).format(date=format_date(f.last_review)))
        if f.missing:
            lines.append(_("Missing: {what}").format(what=_join(
                [m.label for m in f.missing])))
        if self.flags:
            lines.append(_("Flags:"))
            lines.extend(f"  - {flag.message}" for flag in self.flags)
        else:
            lines.append(_("Flags: none"))
        return "\n".join(lines)


def account_dossier(portfolio: Portfolio, account_id: str, *,
                    thresholds: Thresholds | Mapping[str, Any] | None = None,
                    years: int = 5) -> Dossier:
    """Build the dossier of one account: stage 2 of the KAM method.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
        Any account of the portfolio (a case-insensitive match is accepted).
    thresholds : Thresholds or mapping, optional
        The rules of the checks (defaults: :class:`Thresholds`).
    years : int
        Rolling years of sales history to show.

    Returns
    -------
    Dossier

    Raises
    ------
    UnknownAccountError
        At once, when the portfolio has no such account; the message lists close
        matches among ids and names.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> d = account_dossier(company_x(), "CX-002")
    >>> d.name, d.flag_codes
    ('АО «Казэнергоприбор»', ['anti_sponsor'])
    >>> account_dossier(company_x(), "CX-02")
    Traceback (most recent call last):
    ...
    kamkit.exceptions.UnknownAccountError: Unknown account id 'CX-02'. Did you mean: ...?
    """
    limits = thresholds_of(thresholds)
    key = portfolio.check_account(account_id)
    general = general_information(portfolio, key)
    dmu = decision_making_unit(portfolio, key, thresholds=limits)
    comp = competition(portfolio, key)
    need = needs(portfolio, key)
    fresh = freshness(portfolio, key, thresholds=limits)
    return Dossier(
        account_id=key,
        name=general.name,
        as_of=portfolio.as_of,
        currency=portfolio.currency,
        portfolio_name=portfolio.meta.name,
        thresholds=limits,
        general=general,
        relationship=relationship(portfolio, key, years=years, thresholds=limits),
        opportunity=opportunity(portfolio, key, thresholds=limits),
        dmu=dmu,
        competition=comp,
        needs=need,
        freshness=fresh,
        flags=_raise_flags(dmu, comp, need, fresh, limits),
    )


# --------------------------------------------------------------------------------------
# Tables for reading, and the standalone HTML document

#: The dossier's tables as people read them: name -> (where in the dossier, columns).
VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "facts": ("general.fact_sheet", ("fact", "value")),
    "by_year": ("relationship.by_year", ("label", "revenue", "gross_margin", "margin_rate",
                                         "revenue_growth", "discount")),
    "by_line": ("relationship.by_line", ("product_line", "label", "revenue", "gross_margin",
                                         "margin_rate")),
    "our_people": ("relationship.our_people", ("our_owner", "contacts", "key_contacts",
                                               "strongest", "last_contact")),
    "size": ("opportunity.size", ("horizon", "opportunities", "pipeline", "weighted")),
    "opportunities": ("opportunity.opportunities", ("opportunity", "product_line", "kind",
                                                    "value_1y", "value_3y", "value_5y",
                                                    "probability", "weighted_3y")),
    "whitespace": ("opportunity.whitespace", ("product_line", "peers_buying", "penetration",
                                              "median_revenue", "mean_revenue",
                                              "median_share", "indicative_value")),
    "contacts": ("dmu.contacts", ("name", "title", "department", "level", "buying_role",
                                  "influence", "attitude", "relationship_strength",
                                  "our_owner", "last_contact")),
    "by_level": ("dmu.by_level", ("level", "contacts", "strong", "sponsors", "strongest")),
    "roles": ("dmu.roles", ("buying_role", "covered", "holders", "strongest")),
    "competitors": ("competition.competitors", ("competitor", "share_of_wallet",
                                                "share_change", "threat", "strengths",
                                                "weaknesses")),
    "needs": ("needs.needs", ("need", "kind", "priority", "source", "date")),
    "swot": ("needs.swot", ("quadrant", "item")),
    "missing": ("freshness.missing_table", ("section", "gap", "why")),
    "flags": ("flags_table", ("flag_title", "message")),
}


def _view_frame(dossier: Dossier, name: str) -> pd.DataFrame:
    if name not in VIEWS:
        raise ParameterError("name", _("no dossier table is called {name!r}; choose one of "
                                       "{names}").format(name=name, names=", ".join(VIEWS)))
    target: Any = dossier
    for part in VIEWS[name][0].split("."):
        target = getattr(target, part)
    if name == "facts":
        return target(dossier.currency)
    return target() if callable(target) else target


def table(dossier: Dossier, name: str, *, language: str | None = None) -> pd.DataFrame:
    """One of the dossier's tables, formatted for reading (:func:`kamkit.reports.present.table`).

    Parameters
    ----------
    dossier : Dossier
    name : str
        A key of :data:`VIEWS`: ``facts``, ``by_year``, ``by_line``, ``our_people``,
        ``size``, ``opportunities``, ``whitespace``, ``contacts``, ``by_level``,
        ``roles``, ``competitors``, ``needs``, ``swot``, ``missing`` or ``flags``.
    language : str, optional
        Defaults to the current language.

    Returns
    -------
    DataFrame
        Text cells and translated headers.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> d = account_dossier(company_x(), "CX-001")
    >>> table(d, "size", language="en")
      Years ahead  Opportunities Pipeline (unweighted) Probability-weighted
    1           1              3         1,000,000 EUR          470,000 EUR
    2           3              3         3,500,000 EUR        1,560,000 EUR
    3           5              3         4,500,000 EUR        2,010,000 EUR
    """
    from kamkit.reports.present import table as present_table

    with use_language(language):
        frame = _view_frame(dossier, name)
        columns = [c for c in VIEWS[name][1] if c in frame.columns]
        return present_table(frame, columns=columns, currency=dossier.currency)


def _notes(d: Dossier, section: str) -> list[tuple[str, str]]:
    """What a section of the dossier says in words: ``(text, level)`` pairs, where level
    is ``text``, ``warning`` (data missing), ``alert`` or ``warning`` (flags)."""
    gaps = [(m.message, "warning") for m in d.missing(section)]
    o, cur = d.opportunity, d.currency
    if section == "flags":
        notes = [(f.message, f.severity) for f in d.flags] or [
            (_("No relationship risk was found with the rules below."), "text")]
        return [*notes, (_rules_text(d.thresholds), "text")]
    if section == "general":
        g = d.general
        notes = [(g.description, "text")] if g.description else []
        if g.decision_process:
            notes.append((_("How it decides: {text}").format(text=g.decision_process),
                          "text"))
        return notes + gaps
    if section == "relationship":
        return [(_relationship_text(d), "text"), *gaps]
    if section == "opportunity":
        w = o.weighted
        notes = list(gaps)
        if not o.opportunities.empty:
            notes.append((_("Weighted by their probability, the recorded opportunities would "
                            "bring {y1} next year, {y3} in year three and {y5} in year five."
                            ).format(y1=format_money(w[1], cur), y3=format_money(w[3], cur),
                                     y5=format_money(w[5], cur)), "text"))
        return [*notes, (_whitespace_text(d), "text")]
    if section == "dmu":
        if d.dmu.empty:
            return gaps
        levels = d.dmu.by_level
        open_roles = d.dmu.roles.loc[~d.dmu.roles["covered"]
                                     & d.dmu.roles["buying_role"].isin(
                                         d.thresholds.required_roles), "buying_role"]
        n = len(d.dmu.contacts)
        text = ngettext("We know {n} person at {levels} of the customer's {all} levels "
                        "(strong relationships: {strong}; sponsors: {sponsors}).",
                        "We know {n} people at {levels} of the customer's {all} levels "
                        "(strong relationships: {strong}; sponsors: {sponsors}).", n).format(
            n=format_number(n), levels=format_number(int((levels["contacts"] > 0).sum())),
            all=format_number(len(levels)), strong=format_number(int(levels["strong"].sum())),
            sponsors=format_number(int(levels["sponsors"].sum())))
        if open_roles.empty:
            text += " " + _("Every required buying role is covered.")
        return [(text, "text"), *gaps]
    if section == "competitors":
        c = d.competition
        notes = list(gaps)
        if not c.competitors.empty and c.year is None:
            notes.append((_("Without an estimate of the customer's spend, our own share "
                            "cannot be set beside the competitors' shares."), "warning"))
        if c.year is not None:
            rivals = c.split[~c.split["party"].isin([US, REST])]
            text = _("In {year} we get {ours} of the customer's spend in our categories.")
            if not rivals.empty:
                top = rivals.iloc[0]
                text += " " + _("The largest competitor, {name}, gets {share}.")
                text = text.format(year=str(c.split["label"].iloc[0]),
                                   ours=format_percent(c.our_share),
                                   name=_isolate(top["party"]),
                                   share=format_percent(float(top["share"])))
            else:
                text = text.format(year=str(c.split["label"].iloc[0]),
                                   ours=format_percent(c.our_share))
            notes.append((text, "text"))
        return notes
    if section == "needs":
        table_ = d.needs.needs
        notes = list(gaps)
        if not table_.empty:
            kinds = table_["kind"].value_counts()
            notes.insert(0, (ngettext(
                "{n} need recorded (pain points: {pain}; hidden: {hidden}; stated: "
                "{stated}; high priority: {high}).",
                "{n} needs recorded (pain points: {pain}; hidden: {hidden}; stated: "
                "{stated}; high priority: {high}).", len(table_)).format(
                n=format_number(len(table_)),
                pain=format_number(int(kinds.get("pain_point", 0))),
                hidden=format_number(int(kinds.get("hidden", 0))),
                stated=format_number(int(kinds.get("stated", 0))),
                high=format_number(int((table_["priority"] == "high").sum()))), "text"))
        return notes
    if section == "freshness":
        notes = [(_freshness_text(d), "warning" if d.stale else "text")]
        if d.freshness.missing:
            notes.append((_("Without data: {what}.").format(
                what=_join([m.label for m in d.freshness.missing])), "warning"))
        else:
            notes.append((_("Every part of the dossier has data."), "text"))
        return notes
    raise ParameterError("section", _("choose one of {sections}").format(
        sections=", ".join(SECTIONS)))


def narrative(dossier: Dossier, section: str, *, language: str | None = None) -> str:
    """What one section of the dossier says in words, in the current language.

    The sentences read the data aloud (revenue, share, peers, coverage, the last
    review), and say what is missing and why it matters; the flags section lists every
    flag with its evidence and the rules that raised it. The notebook prints them and
    the HTML export shows them, so both say the same.

    Parameters
    ----------
    dossier : Dossier
    section : str
        A key of :data:`SECTIONS`: ``flags``, ``general``, ``relationship``,
        ``opportunity``, ``dmu``, ``competitors``, ``needs`` or ``freshness``.
    language : str, optional

    Returns
    -------
    str
        Paragraphs separated by blank lines.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> print(narrative(account_dossier(company_x(), "CX-003"), "freshness"))
    Last reviewed on Nov 20, 2025, 222 days before Jun 30, 2026: the review was due on
    Feb 20, 2026.
    <BLANKLINE>
    Every part of the dossier has data.
    >>> print(narrative(account_dossier(company_x(), "CX-011"), "dmu"))
    No contacts are recorded. Without the decision-making unit nobody can tell ...
    """
    with use_language(language):
        return "\n\n".join(text for text, _level in _notes(dossier, section))


def document(dossier: Dossier, language: str | None = None):  # -> kamkit.reports.html.Document
    """The dossier as a :class:`kamkit.reports.html.Document`: sections in the method's order,
    with the narrative, the flags, what is missing, the charts and the tables.

    Parameters
    ----------
    dossier : Dossier
    language : str, optional
        Language of the text, tables and charts; defaults to the current language.

    Returns
    -------
    kamkit.reports.html.Document

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> doc = document(account_dossier(company_x(), "CX-011"))
    >>> doc.title, [s.anchor for s in doc.sections][:3]
    ('Account dossier: Isartal Sensorik GmbH', ['flags', 'general', 'relationship'])
    """
    from kamkit.charts import dossier as charts
    from kamkit.reports import html

    code = check_language(language)
    with use_language(code):
        d, r = dossier, dossier.relationship
        cur = d.currency

        def view(name: str, caption: str = "") -> html.Table:
            frame = _view_frame(d, name)
            return html.Table(frame, [c for c in VIEWS[name][1] if c in frame.columns],
                              caption)

        def words(section: str) -> list[Any]:
            return [html.Paragraph(text) if level == "text" else html.Notice(text, level)
                    for text, level in _notes(d, section)]

        content: dict[str, list[Any]] = {
            "flags": [],
            "general": [view("facts")],
            "relationship": [
                html.Figure(charts.revenue_history(r.by_line, r.by_year, currency=cur)),
                view("by_year", _("Revenue and margin by year")),
                view("by_line", _("By product line"))],
            "opportunity": [view("size", _("Size of opportunity"))],
            "dmu": [html.Figure(charts.stakeholder_map(d.dmu.contacts)),
                    html.Figure(charts.coverage_grid(d.dmu.coverage))],
            "competitors": [html.Figure(charts.share_of_wallet_bar(r.wallet))],
            "needs": [],
            "freshness": [],
        }
        if not r.our_people.empty:
            content["relationship"].append(view("our_people", _("Our people in contact")))
        if not d.opportunity.opportunities.empty:
            content["opportunity"].append(view("opportunities", _("Opportunities")))
        if not d.opportunity.whitespace.empty:
            content["opportunity"].append(view("whitespace", _("Whitespace")))
        if not d.dmu.empty:
            content["dmu"] += [view("contacts", _("Decision-making unit")),
                               view("by_level", _("Levels we reach")),
                               view("roles", _("Buying roles"))]
        if not d.competition.competitors.empty:
            content["competitors"].append(view("competitors"))
        if not d.needs.needs.empty:
            content["needs"].append(view("needs"))
        content["needs"].append(html.Figure(charts.swot_grid(d.needs.swot)))
        if d.freshness.missing:
            content["freshness"].append(view("missing"))
        sections = [html.Section(_(title), words(key) + content[key], key)
                    for key, title in SECTIONS.items()]

        g = d.general
        facts = [(_("Account"), d.account_id),
                 (_("Key account manager"), g.owner or "\u2013"),
                 (_("Revenue, last 12 months"), format_money(r.revenue_12m, cur)),
                 (_("Share of wallet"), format_percent(r.our_share)),
                 (_("Last review"), format_date(d.freshness.last_review))]
        return html.Document(
            title=_("Account dossier: {name}").format(name=_isolate(d.name)),
            subtitle=_("{portfolio}, as of {date}").format(
                portfolio=_isolate(d.portfolio_name), date=format_date(d.as_of)),
            facts=facts, sections=sections, currency=cur,
            footer=_("Written by kamkit from the portfolio's data as of {date}. Review the "
                     "dossier at least every {months} months.").format(
                date=format_date(d.as_of), months=format_number(d.thresholds.review_months)))


def to_html(dossier: Dossier, path: str | Path, *, language: str | None = None) -> Path:
    """Write the dossier as one self-contained HTML page that can be sent by e-mail.

    Every name is escaped, text in any script renders, and the page carries the
    language's ``lang`` and direction (``<html lang="fa" dir="rtl">`` for Persian).

    Parameters
    ----------
    dossier : Dossier
    path : str or Path
        The file to write (atomically).
    language : str, optional
        Defaults to the current language.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kamkit.data.synth import company_x
    >>> d = account_dossier(company_x(), "CX-005")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = to_html(d, pathlib.Path(tmp) / "d.html", language="fa").read_text("utf-8")
    >>> '<html lang="fa" dir="rtl">' in page, d.name in page
    (True, True)
    """
    from kamkit.reports import html

    code = check_language(language)
    return html.write(document(dossier, code), path, code)


def _rules_text(t: Thresholds) -> str:
    return _("Rules: a strong relationship rates {strong} or more; a key contact has "
             "influence {key} or more and is met at least every {days} days; an "
             "anti-sponsor is flagged from influence {anti}; these roles must be covered: "
             "{roles}; the dossier is reviewed at least every {months} months.").format(
        strong=format_number(t.strong_relationship), key=format_number(t.key_influence),
        days=format_number(t.contact_days), anti=format_number(t.anti_sponsor_influence),
        roles=_join([value_label(r) for r in t.required_roles]),
        months=format_number(t.review_months))


def _relationship_text(d: Dossier) -> str:
    r, g, cur = d.relationship, d.general, d.currency
    parts = []
    if g.first_year is not None:
        parts.append(ngettext("Customer since {year} ({n} year).",
                              "Customer since {year} ({n} years).",
                              g.years_as_customer or 0).format(
            year=g.first_year, n=format_number(g.years_as_customer)))
    parts.append(_("In the last 12 months it bought {revenue} from us ({growth} on the year "
                   "before) at a gross margin of {margin}.").format(
        revenue=format_money(r.revenue_12m, cur), growth=format_percent(r.revenue_growth),
        margin=format_percent(r.margin_rate)))
    if r.wallet_year is not None:
        parts.append(_("Its spend in our categories is {spend}; our share is {share}, which "
                       "leaves {headroom} to other suppliers.").format(
            spend=format_money(r.wallet_spend, cur), share=format_percent(r.our_share),
            headroom=format_money(r.headroom, cur)))
    if r.relationship_stage or r.ladder_step:
        parts.append(_("Relationship stage: {stage}; the customer sees us as: {step}.").format(
            stage=value_label(r.relationship_stage), step=value_label(r.ladder_step)))
    if r.previous_suppliers:
        parts.append(_("Before us it worked with {names}.").format(
            names=_join([_isolate(n) for n in r.previous_suppliers])))
    return " ".join(parts)


def _whitespace_text(d: Dossier) -> str:
    o = d.opportunity
    share = format_percent(d.thresholds.min_penetration, 0)
    if not o.peers.account_ids:
        return _("Whitespace: no other customer bought from us in the last 12 months, so "
                 "there are no peers to compare with.")
    if o.whitespace.empty:
        return _("Whitespace: compared with {peers}, the account already buys every "
                 "product line that at least {share} of them buy.").format(
            peers=o.peers.describe(), share=share)
    return _("Whitespace: {lines}. These are product lines that at least {share} of the "
             "peers buy and this account does not; the peers are {peers}. The indicative "
             "value applies a typical buying peer's share of the line to this account's "
             "revenue: it opens a conversation, it is not a forecast.").format(
        lines=_join([_isolate(x) for x in o.whitespace["product_line"]]), share=share,
        peers=o.peers.describe())


def _freshness_text(d: Dossier) -> str:
    f = d.freshness
    months = d.thresholds.review_months
    if f.last_review is None:
        return ngettext("The dossier has never been reviewed. Review it now, and then at "
                        "least every {months} month.",
                        "The dossier has never been reviewed. Review it now, and then at "
                        "least every {months} months.", months).format(
            months=format_number(months))
    if f.stale:
        return _("Last reviewed on {date}, {days} days before {as_of}: the review was due "
                 "on {due}.").format(date=format_date(f.last_review),
                                     days=format_number(f.age_days),
                                     as_of=format_date(f.as_of), due=format_date(f.review_due))
    return _("Last reviewed on {date}; the next review is due by {due}.").format(
        date=format_date(f.last_review), due=format_date(f.review_due))
