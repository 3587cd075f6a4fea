"""Sales arithmetic shared by every stage: sums per account and rolling year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamkit.data.sales import sales_by_account, sales_by_year


def _lines() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-01-05", "2026-02-01", "2025-03-01", "2024-12-01"]),
        "account_id": pd.Series(["B", "A", "A", "B"], dtype="str"),
        "revenue": [100.0, 50.0, 30.0, 20.0], "cost": [60.0, 20.0, 10.0, 5.0],
        "quantity": [1.0, 1.0, 1.0, 1.0], "discount": [0.0, 5.0, 0.0, np.nan]})


def test_sums_match_pandas_groupby():
    lines = _lines()
    ours = sales_by_account(lines)
    theirs = lines.groupby("account_id")[["revenue", "cost", "discount"]].sum()
    pd.testing.assert_frame_equal(ours[["revenue", "cost", "discount"]], theirs,
                                  check_names=False)
    assert ours["lines"].tolist() == [2, 2]


def test_rolling_years_end_at_as_of():
    years = sales_by_year(_lines(), pd.Timestamp("2026-06-30"), years=2)
    assert years[["account_id", "year", "label", "revenue"]].values.tolist() == [
        ["A", 1, "2024/25", 30.0], ["A", 0, "2025/26", 50.0],
        ["B", 1, "2024/25", 20.0], ["B", 0, "2025/26", 100.0]]


def test_a_changed_id_is_grouped_afresh():
    """Ids are factorised once per column; editing a value must not reuse stale codes."""
    lines = _lines()
    assert sales_by_account(lines).index.tolist() == ["A", "B"]
    lines.loc[0, "account_id"] = "C"
    again = sales_by_account(lines)
    assert again.index.tolist() == ["A", "B", "C"]
    assert again.loc["C", "revenue"] == 100.0 and again.loc["B", "revenue"] == 20.0
