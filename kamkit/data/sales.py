"""Sales arithmetic every stage shares: periods, revenue and margin by account and year.

A "year" here is a rolling twelve-month period ending at the portfolio's ``as_of`` date:
year 0 is the last twelve months, year 1 the twelve before, and so on. That keeps the
current year complete and the comparison fair on any as-of date. Returns and credit
notes are ordinary signed lines, so every sum below is net of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kamkit._fast import codes

if TYPE_CHECKING:  # kamkit.data.portfolio imports this module
    from kamkit.data.portfolio import Portfolio

__all__ = ["period", "sales_by_account", "sales_by_year", "year_label", "year_offset",
           "year_offsets", "years_back", "yearly", "gross_margin_rate", "timestamp_ticks"]

SALES_COLUMNS = ["revenue", "cost", "gross_margin", "quantity", "discount", "lines"]


def period(as_of: pd.Timestamp, months: int = 12, offset_years: int = 0
           ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the half-open period ``(start, end]`` of ``months`` months ending at ``as_of``.

    Parameters
    ----------
    as_of : Timestamp
        End of the period (inclusive).
    months : int
        Length of the period.
    offset_years : int
        Shift the period this many years back.

    Returns
    -------
    (start, end) : tuple of Timestamp
        ``start`` is exclusive, ``end`` inclusive.

    Examples
    --------
    >>> period(pd.Timestamp("2026-06-30"))
    (Timestamp('2025-06-30 00:00:00'), Timestamp('2026-06-30 00:00:00'))
    """
    end = pd.Timestamp(as_of) - pd.DateOffset(years=offset_years)
    start = end - pd.DateOffset(months=months)
    return pd.Timestamp(start), pd.Timestamp(end)


_SUMMED = ("revenue", "cost", "quantity", "discount")


def _factorized(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Sorted integer codes of ``series`` (-1 where missing) and the values they index.

    The codes of a text column are computed once while its data lives
    (:mod:`kamkit._fast.codes`): a validated load has usually encoded the ids already, and a
    stage aggregates the same transactions several times. The values may include some
    that no line holds (ids listed in ``accounts`` without sales); groups without lines
    are left out of every result.
    """
    if pd.api.types.is_string_dtype(series.dtype) and not isinstance(
            series.dtype, pd.CategoricalDtype):
        encoded = codes.encode(series)
        ordered = encoded.sorted()
        if ordered is not encoded:
            codes.remember(series, ordered)
    else:
        code, unique = pd.factorize(series, sort=False)
        ordered = codes.Encoded(np.asarray(code, dtype=np.int64), pd.Index(unique)).sorted()
    return ordered.codes, ordered.values


def _aggregate(frame: pd.DataFrame, by: list[str], year: np.ndarray | None = None,
               years: int = 0) -> pd.DataFrame:
    """Sums and line counts per group of ``by``, groups sorted, only groups with lines.

    ``year`` (with ``years``) adds a last level ``year`` from integer codes 0..years-1
    given per line; lines with a negative code are left out.

    The same table ``frame.groupby(by, sort=True, observed=True).sum()`` gives, computed
    with one integer code per group and :func:`numpy.bincount`: about ten times faster
    on millions of lines. (Sums are accumulated in line order, so they may differ from
    pandas' compensated sums in the last bits: a millionth of a cent.)
    """
    codes: list[np.ndarray] = []
    uniques: list[pd.Index] = []
    for column in by:
        code, unique = _factorized(frame[column])
        codes.append(code)
        uniques.append(unique.rename(column))
    if year is not None:
        codes.append(np.asarray(year, dtype=np.int64))
        uniques.append(pd.Index(np.arange(years, dtype=np.int64), name="year"))
        by = [*by, "year"]
    shape = tuple(max(len(u), 1) for u in uniques)
    known = np.ones(len(frame), dtype=bool)
    for code in codes:
        known &= code >= 0  # a missing key belongs to no group, as in groupby
    every = bool(known.all())  # the usual case: no copies of the columns needed
    key = np.ravel_multi_index([c if every else c[known] for c in codes], shape) if by \
        else np.zeros(int(known.sum()), dtype=np.int64)
    size = int(np.prod(shape)) if by else 1
    lines = np.bincount(key, minlength=size)
    seen = np.flatnonzero(lines)
    data = {}
    for column in _SUMMED:
        if column not in frame.columns:  # a lean load without discount: zero
            data[column] = np.zeros(len(seen))
            continue
        values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
        values = values if every else values[known]
        missing = np.isnan(values)
        if missing.any():  # skipped, as a pandas sum skips them
            values = np.where(missing, 0.0, values)
        data[column] = np.bincount(key, weights=values, minlength=size)[seen].astype(
            "float64")
    data["lines"] = lines[seen].astype(np.int64)
    out = pd.DataFrame(data)
    out["gross_margin"] = out["revenue"] - out["cost"]
    if by:
        positions = np.unravel_index(seen, shape)
        levels = [u.take(pos) for u, pos in zip(uniques, positions, strict=True)]
        out.index = levels[0] if len(by) == 1 else pd.MultiIndex.from_arrays(levels)
    return out[SALES_COLUMNS]


def sales_by_account(transactions: pd.DataFrame, start: pd.Timestamp | None = None,
                     end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Net revenue, cost, gross margin, quantity and discount per account in ``(start, end]``.

    Parameters
    ----------
    transactions : DataFrame
        The portfolio's transactions table.
    start, end : Timestamp, optional
        Period bounds; ``start`` exclusive, ``end`` inclusive. ``None`` leaves a side open.

    Returns
    -------
    DataFrame
        Indexed by ``account_id``, sorted; accounts without lines in the period are absent.

    Examples
    --------
    >>> t = pd.DataFrame({"account_id": ["A", "A", "B"], "revenue": [100.0, -20.0, 50.0],
    ...                   "cost": [60.0, -12.0, 30.0], "quantity": [2.0, -1.0, 1.0],
    ...                   "discount": [0.0, 0.0, 5.0],
    ...                   "date": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-03-01"])})
    >>> sales_by_account(t)[["revenue", "gross_margin"]]
                revenue  gross_margin
    account_id
    A              80.0          32.0
    B              50.0          20.0
    """
    mask = np.ones(len(transactions), dtype=bool)
    if start is not None:
        mask &= (transactions["date"] > start).to_numpy()
    if end is not None:
        mask &= (transactions["date"] <= end).to_numpy()
    return _aggregate(transactions.loc[mask], ["account_id"])


def year_label(as_of: pd.Timestamp, offset: int) -> str:
    """Label of the rolling year ``offset`` years before ``as_of`` ('2025/26').

    Examples
    --------
    >>> year_label(pd.Timestamp("2026-06-30"), 0)
    '2025/26'
    >>> year_label(pd.Timestamp("2026-12-31"), 1)
    '2025'
    """
    start, end = period(as_of, 12, offset)
    first = start + pd.Timedelta(days=1)
    if first.year == end.year:
        return str(end.year)
    return f"{first.year}/{str(end.year)[-2:]}"


def year_offset(as_of: pd.Timestamp, year: int) -> int:
    """The rolling-year offset of a ``year`` column value (wallet, competitors).

    ``year`` Y means the twelve months ending on the as-of day of Y, so with as_of
    2026-06-30 the year 2026 is offset 0 (July 2025 - June 2026) and 2025 is offset 1.

    Examples
    --------
    >>> year_offset(pd.Timestamp("2026-06-30"), 2025)
    1
    """
    return int(pd.Timestamp(as_of).year) - int(year)


def sales_by_year(transactions: pd.DataFrame, as_of: pd.Timestamp, years: int = 3,
                  by: tuple[str, ...] = ("account_id",)) -> pd.DataFrame:
    """Sales per rolling year (0 = last twelve months) and per ``by`` columns.

    Parameters
    ----------
    transactions : DataFrame
    as_of : Timestamp
        End of year 0.
    years : int
        How many rolling years.
    by : tuple of str
        Grouping columns besides the year (``()`` for the whole portfolio).

    Returns
    -------
    DataFrame
        Columns ``by`` + ``year`` (int offset) + ``label`` + the sales columns; rows for
        every group that sold anything in a year, sorted by the groups, oldest year first.
    """
    as_of = pd.Timestamp(as_of)
    dates = transactions["date"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    # The year is given to the sums as codes: no copy of ten million lines is made.
    out = _aggregate(transactions, list(by), year=year_offsets(dates, as_of, years),
                     years=years).reset_index()
    labels = {k: year_label(as_of, k) for k in range(years)}
    out.insert(len(by) + 1, "label", out["year"].map(labels))
    return out.sort_values([*by, "year"], ascending=[True] * len(by) + [False],
                           kind="stable").reset_index(drop=True)


def timestamp_ticks(when: pd.Timestamp) -> int:
    """``when`` in nanoseconds since 1970, as the date columns store it (for comparisons
    on the integer view of a date column).

    >>> timestamp_ticks(pd.Timestamp("1970-01-02"))
    86400000000000
    """
    return int(np.datetime64(pd.Timestamp(when).to_datetime64(), "ns").view(np.int64))


def year_offsets(dates: np.ndarray, as_of: pd.Timestamp, years: int) -> np.ndarray:
    """The rolling year (0 = last twelve months) of each date; -1 outside ``years`` years.

    ``dates`` are nanoseconds since the epoch (``datetime64[ns]`` viewed as ``int64``;
    NaT, the smallest integer, is in no year). Where two years touch on the same day
    (29 February: a year back from it is 28 February, twelve months back from that
    is 28 February too, but four years back is 29 February again), the more recent year
    wins, so a line's year never depends on how many years are asked for.

    Examples
    --------
    >>> days = pd.to_datetime(["2026-06-30", "2025-07-01", "2025-06-30", "2023-01-01"])
    >>> ticks = days.to_numpy().astype("datetime64[ns]").view("int64")
    >>> year_offsets(ticks, pd.Timestamp("2026-06-30"), 2)
    array([ 0,  0,  1, -1])
    """
    offset = np.full(len(dates), -1, dtype=np.int64)
    for k in reversed(range(years)):  # the more recent year written last: it wins
        start, end = (timestamp_ticks(t) for t in period(as_of, 12, k))
        offset[(dates > start) & (dates <= end)] = k
    return offset


def years_back(as_of: pd.Timestamp, oldest: pd.Timestamp | None) -> int:
    """How many rolling years up to ``as_of`` reach back to the date ``oldest``.

    Every date from ``oldest`` to ``as_of`` falls in one of these years, and no year
    further back can hold any of them (at least 1).

    Examples
    --------
    >>> years_back(pd.Timestamp("2026-06-30"), pd.Timestamp("2024-01-15"))
    3
    """
    years = 1
    if oldest is None or pd.isna(oldest):
        return years
    while period(as_of, 12, years)[1] >= pd.Timestamp(oldest):
        years += 1
    return years


def yearly(portfolio: Portfolio, years: int = 3) -> pd.DataFrame:
    """:func:`sales_by_year` by account for a portfolio, with or without its lines.

    A portfolio loaded with ``lines=False`` (:func:`kamkit.load`) kept only its sales by
    account and rolling year (:class:`kamkit._fast.streaming.SummedSales`); they answer this
    exactly, for any number of years. Otherwise the transactions are summed.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> yearly(company_x(), 2)[["account_id", "year", "label"]].head(2)
      account_id  year    label
    0     CX-001     1  2024/25
    1     CX-001     0  2025/26
    """
    summed = getattr(portfolio, "sales", None)
    if summed is not None:
        return summed.by_year(years)
    return sales_by_year(portfolio.transactions, portfolio.as_of, years)


def gross_margin_rate(revenue: float | pd.Series, cost: float | pd.Series) -> float | pd.Series:
    """Gross margin as a fraction of revenue; NaN where revenue is not positive.

    Examples
    --------
    >>> gross_margin_rate(200.0, 150.0)
    0.25
    """
    if isinstance(revenue, pd.Series):
        rate = (revenue - cost) / revenue
        return rate.where(revenue > 0)
    return (revenue - cost) / revenue if revenue > 0 else float("nan")
