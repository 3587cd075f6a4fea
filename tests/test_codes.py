"""Codes of text columns (kamkit._fast.codes) and the checks and sums that use them.

The encoded paths must give exactly what the plain string operations give: trimmed ids,
unknown references with their rows, categories checked, sums by account. Each is tried
on clean and on dirty data, and on data long enough to take the encoded path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kamkit
from kamkit._fast import codes
from kamkit.data import validation
from kamkit.data.portfolio import save
from kamkit.data.sales import sales_by_year
from tests.conftest import SMALL


def test_encode_looks_lines_up_in_known_ids_and_numbers_the_rest_after_them():
    s = pd.Series(["B", "A", None, "B", "Z", "Y", "Z"], dtype="str")
    e = codes.encode(s, known=pd.Series(["A", "B", "C"], dtype="str"))
    assert e.values.tolist() == ["A", "B", "C", "Z", "Y"]
    assert e.codes.tolist() == [1, 0, -1, 1, 3, 4, 3]
    assert e.present().tolist() == ["A", "B", "Z", "Y"]
    assert not e.ordered  # "Z", "Y" after the known ids
    ordered = e.sorted()
    assert ordered.values.tolist() == ["A", "B", "C", "Y", "Z"]
    assert [ordered.values[c] if c >= 0 else None for c in ordered.codes] == \
        ["B", "A", None, "B", "Z", "Y", "Z"]


def test_encode_without_known_ids_and_sorted_known_ids_give_sorted_codes():
    s = pd.Series(["b", "a", "b", None], dtype="str")
    e = codes.encode(s)
    assert [e.values[c] if c >= 0 else None for c in e.codes] == ["b", "a", "b", None]
    known = codes.encode(pd.Series(["b", "a"], dtype="str"), known=pd.Index(["a", "b"]))
    assert known.ordered and known.codes.tolist() == [1, 0]


def test_encoding_is_remembered_while_the_column_is_unchanged():
    s = pd.Series(["x", "y", "x"], dtype="str")
    first = codes.encode(s)
    assert codes.cached(s) is first and codes.encode(s) is first
    s.iloc[1] = "x"  # pandas swaps in new data: the old codes must not be used
    assert codes.cached(s) is None
    assert codes.equals(s, "x").tolist() == [True, True, True]


def test_equals_and_isin_by_codes_match_the_string_operations():
    rng = np.random.default_rng(3)
    words = np.array(["invoice", "return", "credit_note", None], dtype=object)
    s = pd.Series(words[rng.integers(0, 4, 5000)], dtype="str")
    plain = {v: (s == v).to_numpy(dtype=bool, na_value=False) for v in words[:3]}
    wanted = pd.Series(["return", "other"], dtype="str")
    plain_in = s.isin(wanted).to_numpy()
    np.testing.assert_array_equal(codes.isin(s, wanted), plain_in)  # Arrow's kernel
    codes.encode(s)
    for value, expected in plain.items():
        np.testing.assert_array_equal(codes.equals(s, value), expected)
    np.testing.assert_array_equal(codes.equals(s, "nothing"), np.zeros(len(s), bool))
    np.testing.assert_array_equal(codes.isin(s, wanted), plain_in)  # by codes


def test_object_columns_are_encoded_but_not_remembered():
    s = pd.Series(["a", None, "b"], dtype=object)
    e = codes.encode(s)
    assert e.codes.tolist() == [0, -1, 1] and codes.cached(s) is None


# --- the checks on long columns (the encoded path) ------------------------------------


@pytest.fixture
def encode_everything(monkeypatch):
    """Take the encoded path on the small test tables too."""
    monkeypatch.setattr(validation, "_ENCODE_FROM", 0)


def _load_errors(path):
    with pytest.raises(kamkit.PortfolioValidationError) as info:
        kamkit.load(path)
    return info.value.report.errors


def test_padded_ids_are_trimmed_and_found_in_accounts(make_portfolio, encode_everything):
    padded = SMALL["transactions.csv"].replace(",A-2,invoice", ",  A-2 ,invoice")
    p = kamkit.load(make_portfolio({"transactions.csv": padded}))
    assert p.transactions["account_id"].tolist() == ["A-1", "A-1", "A-2", "A-2", "A-3"]
    clean = kamkit.load(make_portfolio({}))
    pd.testing.assert_frame_equal(sales_by_year(p.transactions, p.as_of),
                                  sales_by_year(clean.transactions, clean.as_of))


def test_unknown_ids_are_reported_with_their_rows(make_portfolio, encode_everything):
    unknown = SMALL["transactions.csv"].replace("2026-05-30,A-3", "2026-05-30,A-9")
    (error,) = [e for e in _load_errors(make_portfolio({"transactions.csv": unknown}))
                if e.code == "unknown_reference"]
    assert error.column == "account_id" and error.rows == (6,) and error.found == ("A-9",)


def test_a_blank_id_is_blank_on_the_encoded_path(make_portfolio, encode_everything):
    blank = SMALL["transactions.csv"].replace("2026-05-30,A-3", "2026-05-30,  ")
    errors = _load_errors(make_portfolio({"transactions.csv": blank}))
    assert {(e.code, e.column, e.rows) for e in errors} == {("empty_value", "account_id", (6,))}


def _parquet(small, tmp_path, edit):
    out = save(kamkit.load(small), tmp_path / "pq", "parquet")
    frame = pd.read_parquet(out / "transactions.parquet")
    edit(frame)
    frame.to_parquet(out / "transactions.parquet", index=False)
    return out


def test_parquet_doc_type_is_read_by_its_dictionary_and_checked(small, tmp_path):
    out = _parquet(small, tmp_path, lambda f: None)
    p = kamkit.load(out)
    assert p.transactions["doc_type"].dtype == "str"
    assert p.transactions["doc_type"].tolist() == [
        "invoice", "return", "invoice", "credit_note", "invoice"]
    assert codes.cached(p.transactions["doc_type"]) is not None  # codes came with it

    def wrong(frame):
        frame.loc[2, "doc_type"] = "gift"
    (error,) = _load_errors(_parquet(small, tmp_path / "b", wrong))
    assert (error.code, error.column, error.rows, error.found) == (
        "not_allowed", "doc_type", (3,), ("gift",))


def test_parquet_sign_rule_and_missing_doc_type_by_codes(small, tmp_path):
    def negative_invoice(frame):
        frame.loc[0, ["quantity", "revenue", "cost"]] = [-1.0, -10.0, -5.0]
    (error,) = _load_errors(_parquet(small, tmp_path, negative_invoice))
    assert (error.code, error.rows) == ("sign_rule", (1,))

    def no_type(frame):  # a missing doc_type is an invoice, as in a CSV file
        frame["doc_type"] = frame["doc_type"].astype(object)
        frame.loc[0, "doc_type"] = None
    p = kamkit.load(_parquet(small, tmp_path / "b", no_type))
    assert p.transactions["doc_type"].tolist()[:2] == ["invoice", "return"]


def test_parquet_times_of_day_are_dropped_and_plain_dates_kept(small, tmp_path):
    def with_time(frame):
        frame.loc[0, "date"] = pd.Timestamp("2025-09-15 13:45")
    p = kamkit.load(_parquet(small, tmp_path, with_time))
    assert p.transactions["date"].iloc[0] == pd.Timestamp("2025-09-15")
    assert p.transactions["date"].dtype == "datetime64[ns]"
    plain = kamkit.load(_parquet(small, tmp_path / "b", lambda f: None))
    pd.testing.assert_series_equal(plain.transactions["date"],
                                   kamkit.load(small).transactions["date"])


def test_sums_by_codes_equal_groupby_with_ids_in_any_order():
    rng = np.random.default_rng(5)
    ids = np.array([f"K-{i:03d}" for i in rng.permutation(60)], dtype=object)
    n = 4000
    t = pd.DataFrame({
        "date": pd.Timestamp("2026-06-30") - pd.to_timedelta(rng.integers(0, 1200, n), "D"),
        "account_id": pd.Series(ids[rng.integers(0, 60, n)], dtype="str"),
        "revenue": rng.normal(100, 30, n), "cost": rng.normal(60, 10, n),
        "quantity": rng.integers(1, 5, n).astype(float), "discount": np.zeros(n)})
    codes.encode(t["account_id"], known=pd.Series(ids, dtype="str"))  # unsorted known ids
    got = sales_by_year(t, pd.Timestamp("2026-06-30"), 3)
    start = pd.Timestamp("2026-06-30")
    year = np.select([t["date"] > start - pd.DateOffset(years=k + 1) for k in range(3)],
                     [0, 1, 2], -1)
    expected = (t.assign(year=year)[year >= 0].groupby(["account_id", "year"])
                [["revenue", "cost"]].sum().sort_index(ascending=[True, False]))
    assert got["account_id"].is_monotonic_increasing
    np.testing.assert_allclose(got["revenue"], expected["revenue"])
    np.testing.assert_allclose(got["cost"], expected["cost"])


def test_positions_agree_with_get_indexer_for_arrow_and_object_columns():
    values = pd.Index(["É-3", "A-1", "b-2"], dtype="str")
    cells = ["b-2", None, "A-1", "nope", "É-3", " A-1"]
    for series in (pd.Series(cells, dtype="str"), pd.Series(cells, dtype=object)):
        expected = values.get_indexer(series.astype(object))
        assert codes.positions(series, values).tolist() == expected.tolist()
    assert codes.positions(pd.Series(["x"], dtype="str"), []).tolist() == [-1]
