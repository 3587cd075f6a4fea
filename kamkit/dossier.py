"""Stage 2 — needs analysis: the account dossier.

This module grows into the whole dossier (see the stage-2 issue). It starts with the
one piece two stages share: the **size of opportunity** of an account, which the
dossier shows and the SMART check of the plan (stage 3) uses to judge whether a goal
is achievable.
"""

from __future__ import annotations

import pandas as pd

from kamkit.i18n import N_
from kamkit.present import Field, register_fields, register_values
from kamkit.sales import sales_by_year, year_label, year_offset

__all__ = ["size_of_opportunity", "share_of_wallet", "HORIZONS", "US"]

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


def share_of_wallet(portfolio, account_id: str) -> pd.DataFrame:
    """Who gets the customer's spend in our categories, year by year.

    Our share is measured: our net revenue in the year divided by the customer's total
    spend from the ``wallet`` table. Competitors' shares are the estimates of the
    ``competitors`` table (a row without a year counts for the latest wallet year).
    ``rest`` is what neither we nor a named competitor get.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str

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
    >>> from kamkit.synth import company_x
    >>> sow = share_of_wallet(company_x(), "CX-009")
    >>> latest = sow[sow["year"] == sow["year"].max()]
    >>> latest.loc[latest["party"] == "us", "share"].round(2).item()
    0.28
    >>> latest["party"].tolist()
    ['us', 'Brevi Automazione', 'Nordic Sense', 'rest']
    """
    columns = ["year", "label", "party", "share", "threat", "wallet_spend", "our_revenue"]
    wallet = portfolio.table_for("wallet", account_id)
    if wallet.empty:
        return pd.DataFrame(columns=columns)
    as_of = portfolio.as_of
    years = sorted(int(y) for y in wallet["year"].dropna())
    depth = max(year_offset(as_of, y) for y in years) + 1
    sales = sales_by_year(portfolio.table_for("transactions", account_id), as_of,
                          years=max(depth, 1), by=())
    revenue = dict(zip(sales["year"], sales["revenue"], strict=True))
    comp = portfolio.table_for("competitors", account_id)
    comp_year = comp["year"].astype("Float64").fillna(float(years[-1])).astype(int)
    rows = []
    for year in years:
        spend = float(wallet.loc[wallet["year"] == year, "spend"].iloc[0])
        ours = float(revenue.get(year_offset(as_of, year), 0.0))
        label = year_label(as_of, year_offset(as_of, year))
        base = {"year": year, "label": label, "wallet_spend": spend, "our_revenue": ours}
        share_us = ours / spend if spend > 0 else float("nan")
        rows.append({**base, "party": US, "share": share_us, "threat": None})
        here = comp[comp_year.to_numpy() == year].sort_values(
            ["share_of_wallet", "competitor"], ascending=[False, True], kind="stable")
        for _, c in here.iterrows():
            rows.append({**base, "party": c["competitor"], "share": float(c["share_of_wallet"]),
                         "threat": c["threat"]})
        named = (share_us if share_us == share_us else 0.0) + float(here["share_of_wallet"].sum())
        rows.append({**base, "party": REST, "share": max(0.0, 1.0 - named), "threat": None})
    return pd.DataFrame(rows, columns=columns)


def size_of_opportunity(portfolio, account_id: str) -> pd.DataFrame:
    """Possible annual revenue from an account's opportunities, next year and at 3 and 5.

    Each opportunity states the annual revenue it would bring in year 1, 3 and 5 and
    its probability; the size of opportunity is the sum over opportunities, plain
    (``pipeline``) and probability-weighted (``weighted``, the figure to plan with).

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str

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
    >>> from kamkit.synth import company_x
    >>> size_of_opportunity(company_x(), "CX-001")[["horizon", "weighted"]]
       horizon   weighted
    0        1   470000.0
    1        3  1560000.0
    2        5  2010000.0
    """
    opps = portfolio.table_for("opportunities", account_id)
    rows = []
    for horizon, column in HORIZONS.items():
        values = opps[column].fillna(0.0)
        rows.append({
            "horizon": horizon,
            "opportunities": int((values > 0).sum()),
            "pipeline": float(values.sum()),
            "weighted": float((values * opps["probability"].fillna(0.0)).sum()),
        })
    return pd.DataFrame(rows, columns=["horizon", "opportunities", "pipeline", "weighted"])
