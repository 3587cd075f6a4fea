"""Stage 2 — needs analysis: the account dossier.

This module grows into the whole dossier (see the stage-2 issue). It starts with the
one piece two stages share: the **size of opportunity** of an account, which the
dossier shows and the SMART check of the plan (stage 3) uses to judge whether a goal
is achievable.
"""

from __future__ import annotations

import pandas as pd

from kamkit.i18n import N_
from kamkit.present import Field, register_fields

__all__ = ["size_of_opportunity", "HORIZONS"]

#: Years ahead the opportunity is sized for, and the column of the opportunities table.
HORIZONS: dict[int, str] = {1: "value_1y", 3: "value_3y", 5: "value_5y"}

register_fields({
    "horizon": Field(N_("Years ahead"), "int"),
    "opportunities": Field(N_("Opportunities"), "int"),
    "pipeline": Field(N_("Pipeline (unweighted)"), "money"),
    "weighted": Field(N_("Probability-weighted"), "money"),
})


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
