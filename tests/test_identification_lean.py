"""The lean load identification uses on large data: less is read, nothing read goes unchecked."""

from __future__ import annotations

import pandas as pd
import pytest

import kamkit
from kamkit import ParameterError, PortfolioValidationError
from kamkit.identification import selection as idn
from tests.conftest import COMPANY_X, SMALL


def _notices(portfolio):
    return {(p.table, p.code): p.message() for p in portfolio.report.notices}


def test_lean_load_reads_only_what_identification_needs():
    p = kamkit.load(COMPANY_X, **idn.LEAN)
    assert set(p.sales.columns) == {"date", "account_id", "doc_type", "quantity", "revenue",
                                    "cost"}
    assert p.sales.lines == 23880 and "transactions" not in p.tables  # sums, not lines
    assert p.has("opportunities") and p.has("wallet")
    assert not p.has("contacts") and not p.has("goals")
    notes = _notices(p)
    assert "not read by this lean load" in notes[("contacts", "not_loaded")]
    assert "document, product, product_line, discount" in notes[
        ("transactions", "not_loaded")]
    # nothing of the optional tables is reported as missing: they were left out on purpose
    assert ("contacts", "missing_table") not in notes


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_lean_and_full_loads_identify_the_same(tmp_path, fmt):
    full = kamkit.load(COMPANY_X)
    folder = kamkit.data.portfolio.save(full, tmp_path / fmt, fmt)
    lean = kamkit.load(folder, **idn.LEAN)
    a, b = idn.identify(full), idn.identify(lean)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_checks_still_run_on_what_is_read(make_portfolio):
    bad_sign = SMALL["transactions.csv"].replace("2026-02-01,A-2,invoice,DRV-10,drives,2,1800.50",
                                                 "2026-02-01,A-2,invoice,DRV-10,drives,2,-1800.50")
    with pytest.raises(PortfolioValidationError) as info:
        kamkit.load(make_portfolio({"transactions.csv": bad_sign}), **idn.LEAN)
    assert "sign_rule" in {p.code for p in info.value.report.errors}
    unknown = SMALL["transactions.csv"].replace("2026-05-30,A-3", "2026-05-30,A-9")
    with pytest.raises(PortfolioValidationError) as info:
        kamkit.load(make_portfolio({"transactions.csv": unknown}), **idn.LEAN)
    assert "unknown_reference" in {p.code for p in info.value.report.errors}


def test_a_required_column_absent_from_the_file_is_still_an_error(make_portfolio):
    no_product = "\n".join(",".join(f for i, f in enumerate(line.split(",")) if i != 3)
                           for line in SMALL["transactions.csv"].splitlines()) + "\n"
    with pytest.raises(PortfolioValidationError) as info:
        kamkit.load(make_portfolio({"transactions.csv": no_product}), **idn.LEAN)
    assert ("missing_column", "product") in {(p.code, p.column)
                                             for p in info.value.report.errors}


def test_columns_not_read_are_not_checked_and_the_report_says_so(make_portfolio):
    # A bad value in a column the lean load does not read is not seen: by design, and
    # said in the report; a full load still finds it.
    bad_product = SMALL["transactions.csv"].replace("PSU-600,power supplies,10",
                                                    "PSU-600,,10")
    path = make_portfolio({"transactions.csv": bad_product})
    lean = kamkit.load(path, **idn.LEAN)
    assert "product_line" in _notices(lean)[("transactions", "not_loaded")]
    with pytest.raises(PortfolioValidationError):
        kamkit.load(path)


def test_lean_load_parameters_are_checked(small):
    with pytest.raises(ParameterError, match="no table of the data dictionary is called nope"):
        kamkit.load(small, tables=["nope"])
    with pytest.raises(ParameterError, match="transactions has no column colour"):
        kamkit.load(small, columns={"transactions": ["colour"]})
