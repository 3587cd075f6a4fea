"""Transactions summed as they are read (``load(..., lines=False)``, kamkit._fast.streaming).

The promise: the same report and the same sums as the full check, whatever the file
holds. A clean Parquet file takes the fast path; anything else falls back to the full
check, so its report is the full one.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import kamkit
from kamkit import ParameterError, PortfolioValidationError
from kamkit._fast import streaming
from kamkit.data import portfolio as portfolio_module
from kamkit.data.sales import sales_by_year, year_offsets, years_back
from kamkit.identification import selection as idn
from tests.conftest import COMPANY_X

LEAN_TABLES = idn.LEAN["tables"]
LEAN_COLUMNS = idn.LEAN["columns"]


@pytest.fixture(scope="module")
def full():
    return kamkit.load(COMPANY_X)


@pytest.fixture
def fast(monkeypatch):
    """Records, per load, whether the fast path summed the file (True) or fell back."""
    calls: list[bool] = []
    original = streaming.ParquetSums.sum

    def spy(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(streaming.ParquetSums, "sum", spy)
    return calls


def _folder(tmp_path, full, name="p", transactions=None, table=None, meta=None,
            row_group_size=None):
    """Company X as Parquet, with its transactions frame (or Arrow table) replaced."""
    folder = kamkit.data.portfolio.save(full, tmp_path / name, "parquet")
    if table is None:
        frame = full.transactions if transactions is None else transactions
        table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, folder / "transactions.parquet", row_group_size=row_group_size)
    if meta is not None:
        pd.DataFrame(list(meta.items()), columns=["key", "value"]).to_parquet(
            folder / "meta.parquet", index=False)
    return folder


def _messages(report):
    return [(p.severity, p.table, p.code, p.message()) for p in report.problems]


def _both(folder):
    """The summing check and the full (lean) check of the same folder."""
    summed = portfolio_module._check(folder, None, LEAN_TABLES, LEAN_COLUMNS, lines=False)
    lines = portfolio_module._check(folder, None, LEAN_TABLES, LEAN_COLUMNS, lines=True)
    return summed, lines


def _assert_same(summed, lines):
    assert _messages(summed.report) == _messages(lines.report)
    if lines.report.ok:
        t = lines.tables["transactions"]
        expected = sales_by_year(t, lines.meta["as_of"], summed.sales.years)
        pd.testing.assert_frame_equal(summed.sales.frame, expected, check_exact=True)
        assert summed.sales.lines == len(t)
        assert summed.sales.first_sale == t["date"].min()
        assert summed.sales.last_sale == t["date"].max()
    else:
        assert summed.sales is None


def test_a_clean_parquet_file_is_summed_as_read_with_the_full_checks_result(
        tmp_path, full, fast):
    folder = _folder(tmp_path, full)
    summed, lines = _both(folder)
    assert fast == [True]
    _assert_same(summed, lines)
    assert summed.sales.years == years_back(full.as_of, full.transactions["date"].min())
    assert "transactions" in summed.present and "transactions" not in summed.tables


def test_identification_on_the_sums_equals_identification_on_the_lines(tmp_path, full, fast):
    folder = _folder(tmp_path, full)
    lean = kamkit.load(folder, **idn.LEAN)
    assert fast == [True]
    a, b = idn.identify(full), idn.identify(lean)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    pd.testing.assert_frame_equal(idn.concentration(full), idn.concentration(lean),
                                  check_exact=True)
    lines = kamkit.load(folder, tables=LEAN_TABLES, columns=LEAN_COLUMNS)
    assert lean.summary().render() == lines.summary().render()
    assert "Transactions: 23,880 lines" in lean.summary().render()


def test_many_batches_and_row_groups_add_up_in_line_order(tmp_path, full, fast, monkeypatch):
    # Row groups of 500 lines read in batches of 128: sums carried across batches.
    monkeypatch.setattr(streaming, "BATCH_LINES", 128)
    for size, name in ((500, "groups"), (400_000, "one_group")):
        folder = _folder(tmp_path, full, name, row_group_size=size)
        _assert_same(*_both(folder))
    assert fast == [True, True]


@pytest.mark.parametrize("unit", ["date32", "us", "ms", "s"])
def test_dates_of_other_arrow_types(tmp_path, full, fast, unit):
    table = pa.Table.from_pandas(full.transactions, preserve_index=False)
    at = table.schema.get_field_index("date")
    kind = pa.date32() if unit == "date32" else pa.timestamp(unit)
    table = table.set_column(at, "date", table.column("date").cast(kind))
    _assert_same(*_both(_folder(tmp_path, full, table=table)))
    assert fast == [True]


def _changed(full, **cells):
    """Company X's transactions with some cells of the first lines replaced."""
    t = full.transactions.copy()
    for column, values in cells.items():
        if isinstance(values, str) and values == "text":
            t[column] = t[column].map(lambda v: f"{v:.2f}")
            continue
        t[column] = t[column].astype(object)
        for i, value in enumerate(values):
            t.loc[i + 3, column] = value
    return t


BAD_OR_REPAIRED = {
    "unknown id": dict(account_id=["CX-999"]),
    "padded id": dict(account_id=[" CX-001 "]),
    "blank id": dict(account_id=[None]),
    "future date": dict(date=[pd.Timestamp("2027-01-05")]),
    "time of day": dict(date=[pd.Timestamp("2026-01-05 14:30")]),
    "missing date": dict(date=[pd.NaT]),
    "wrong doc_type": dict(doc_type=["refund"]),
    "doc_type in capitals": dict(doc_type=["Invoice"]),
    "blank doc_type": dict(doc_type=[None]),
    "negative invoice": dict(revenue=[-10.0]),
    "missing revenue": dict(revenue=[np.nan]),
    "revenue as text": dict(revenue="text"),
}


@pytest.mark.parametrize("case", sorted(BAD_OR_REPAIRED))
def test_a_line_that_is_not_plainly_right_gets_the_full_check(tmp_path, full, fast, case):
    t = _changed(full, **BAD_OR_REPAIRED[case])
    for column in ("date",):
        if t[column].dtype == object:
            t[column] = pd.to_datetime(t[column])
    summed, lines = _both(_folder(tmp_path, full, transactions=t))
    assert fast == [False]  # the fast path stopped; the report is the full check's
    _assert_same(summed, lines)


def test_an_error_in_another_table_gives_the_full_report(tmp_path, full, fast):
    folder = _folder(tmp_path, full)
    accounts = full.accounts.copy()
    accounts.loc[1, "account_id"] = accounts.loc[0, "account_id"]  # a duplicate id
    accounts.to_parquet(folder / "accounts.parquet", index=False)
    summed, lines = _both(folder)
    assert fast == []  # not even tried: the accounts' report must be the full one
    assert not summed.report.ok
    _assert_same(summed, lines)


def test_a_missing_required_column_and_an_unreadable_file(tmp_path, full, fast):
    folder = _folder(tmp_path, full, transactions=full.transactions.drop(columns="product"))
    summed, lines = _both(folder)
    assert ("missing_column", "product") in {(p.code, p.column) for p in summed.report.errors}
    _assert_same(summed, lines)
    (folder / "transactions.parquet").write_bytes(b"PAR1 not really parquet")
    summed, lines = _both(folder)
    assert "unreadable" in {p.code for p in summed.report.errors}
    _assert_same(summed, lines)
    assert fast == [False, False]
    assert not [t for t in threading.enumerate() if t.name == "kamkit-read-ahead"]


def test_a_file_without_lines_is_the_full_checks_error(tmp_path, full, fast):
    summed, lines = _both(_folder(tmp_path, full, transactions=full.transactions.iloc[:0]))
    assert fast == [False]
    assert "no_rows" in {p.code for p in summed.report.errors}
    _assert_same(summed, lines)


def test_without_a_declared_as_of_the_full_check_sums(tmp_path, full, fast):
    meta = {"portfolio": "Company X", "currency": "EUR"}
    summed, lines = _both(_folder(tmp_path, full, meta=meta))
    assert fast == []
    assert summed.meta["as_of_source"] == "transactions"
    _assert_same(summed, lines)


def test_csv_sums_the_typed_lines():
    lean = kamkit.load(COMPANY_X, **idn.LEAN)
    lines = kamkit.load(COMPANY_X, tables=LEAN_TABLES, columns=LEAN_COLUMNS)
    expected = sales_by_year(lines.transactions, lines.as_of, lean.sales.years)
    pd.testing.assert_frame_equal(lean.sales.frame, expected, check_exact=True)
    pd.testing.assert_frame_equal(lean.sales.by_year(2),
                                  sales_by_year(lines.transactions, lines.as_of, 2),
                                  check_exact=True)
    assert (lean.sales.frame["discount"] == 0).all()  # not read by this load


def test_ids_are_ordered_as_the_full_sums_order_them(tmp_path, fast):
    ids = ["b-1", "A-2", "É-3", "a-10", "Ж-4", "A-1"]
    accounts = pd.DataFrame({"account_id": ids, "name": ids})
    lines = pd.DataFrame({
        "date": pd.to_datetime(["2026-05-01", "2025-05-01", "2026-01-01", "2024-09-01",
                                "2026-06-30", "2025-12-24"] * 2),
        "account_id": ids + ids[::-1], "product": "x", "product_line": "y",
        "quantity": 1.0, "revenue": np.arange(12, dtype=float) * 10.5, "cost": 1.0})
    p = kamkit.from_frames({"accounts": accounts, "transactions": lines},
                           {"currency": "EUR", "as_of": "2026-06-30"})
    folder = kamkit.data.portfolio.save(p, tmp_path / "ids", "parquet")
    summed, full_check = _both(folder)
    assert fast == [True]
    _assert_same(summed, full_check)


def test_a_portfolio_without_lines_says_so_instead_of_guessing(tmp_path, full):
    lean = kamkit.load(_folder(tmp_path, full), **idn.LEAN)
    assert lean.has("transactions")
    for attempt in (lambda: lean.transactions,
                    lambda: lean.table_for("transactions", "CX-001"),
                    lambda: kamkit.data.portfolio.save(lean, tmp_path / "copy", "csv")):
        with pytest.raises(ParameterError, match="loaded with lines=False"):
            attempt()
    assert not (tmp_path / "copy").exists()


def test_a_bad_file_still_raises_the_validation_error(tmp_path, full):
    t = _changed(full, account_id=["CX-999"])
    with pytest.raises(PortfolioValidationError) as info:
        kamkit.load(_folder(tmp_path, full, transactions=t), **idn.LEAN)
    assert "unknown_reference" in {p.code for p in info.value.report.errors}


def test_a_days_year_does_not_depend_on_how_many_years_are_asked():
    as_of = pd.Timestamp("2024-02-29")
    days = pd.to_datetime(["2020-02-29", "2020-02-28", "2023-03-01", "2024-02-29"])
    ticks = days.to_numpy().astype("datetime64[ns]").view("int64")
    five = year_offsets(ticks, as_of, 5)
    assert five.tolist() == [3, 4, 0, 0]  # 29 Feb 2020 ends year 4 and starts year 3
    assert year_offsets(ticks, as_of, 4).tolist() == [3, -1, 0, 0]
    assert years_back(as_of, pd.Timestamp("2020-02-28")) == 5
    assert years_back(as_of, None) == 1
