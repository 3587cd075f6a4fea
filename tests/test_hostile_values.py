"""Valid-looking data that used to break a run: ``$`` pairs, infinite and huge numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kamkit
from kamkit import PortfolioValidationError
from kamkit.data.portfolio import save
from kamkit.data.schema import MAX_MAGNITUDE
from kamkit.reports import present
from tests.conftest import SMALL

DOLLARS = "$5 and $6"
FOO = r"Nordwerk $\foo$ GmbH"


# -- Tables: MathJax leaves a "$" in the data alone ----------------------------------------

def test_tables_for_reading_are_no_tex_for_mathjax():
    shown = present.table(pd.DataFrame({"name": [DOLLARS, FOO], "revenue": [1.0, 2.0]}),
                          currency="USD")
    assert isinstance(shown, present.Table) and isinstance(shown, pd.DataFrame)
    for page in (shown._repr_html_(), shown.to_html()):
        # MathJax 2 (nbconvert's pages) skips tex2jax_ignore, MathJax 3 mathjax_ignore
        assert 'class="dataframe tex2jax_ignore mathjax_ignore"' in page
        assert DOLLARS in page and r"$\foo$" in page
    assert shown["Name"].tolist() == [DOLLARS, FOO]
    # only the table itself: the reader's own tables keep pandas' defaults
    assert "mathjax_ignore" not in pd.DataFrame({"a": [DOLLARS]})._repr_html_()
    assert type(shown.iloc[:1]) is pd.DataFrame


def test_report_page_keeps_tables_out_of_mathjax():
    import nbformat
    from IPython.core.formatters import format_display_data
    from nbconvert import HTMLExporter

    data, _meta = format_display_data(present.table(pd.DataFrame({"name": [DOLLARS]})))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data=data)])])
    body, _resources = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert "tex2jax_ignore" in body.split("<table", 1)[1].split(">", 1)[0]


# -- Numbers: infinite, NaN and overflowing values are refused, naming the cell -----------

def _tx(**cells: str) -> str:
    """The small portfolio's transactions with revenue cells replaced (by line)."""
    text = SMALL["transactions.csv"]
    for old, new in cells.items():
        text = text.replace(old, new, 1)
    return text


FIRST_REVENUE, THIRD_REVENUE = "5200.00", "1800.50"


@pytest.mark.parametrize("cell", ["inf", "-inf", "+Infinity", "INF", "1e309", "-1e309",
                                  "nan", "NaN", "∞", "9" * 400])
def test_non_finite_amount_in_a_csv_is_refused(make_portfolio, cell):
    path = make_portfolio({"transactions.csv": _tx(**{FIRST_REVENUE: cell})})
    [error] = kamkit.validate(path).errors
    message = error.message()
    assert message.startswith('transactions.csv, column "revenue", row 2: expected ')
    assert f'found "{cell[:37]}' in message
    with pytest.raises(PortfolioValidationError):
        kamkit.load(path)


def test_amounts_whose_sums_overflow_are_refused_with_the_limit(make_portfolio):
    path = make_portfolio({"transactions.csv": _tx(**{FIRST_REVENUE: "1e308",
                                                      THIRD_REVENUE: "1e308"})})
    [error] = kamkit.validate(path).errors
    assert error.code == "too_large" and error.rows == (2, 4)
    message = error.message()
    assert message.startswith('transactions.csv, column "revenue", rows 2, 4: expected a '
                              "number between -1,000,000,000,000,000,000 and "
                              "1,000,000,000,000,000,000")
    assert 'found "1e308"' in message
    assert f"{MAX_MAGNITUDE:.0e}" == "1e+18"


def test_the_limit_itself_is_an_amount(make_portfolio):
    path = make_portfolio({"transactions.csv": _tx(**{FIRST_REVENUE: "1e18"})})
    p = kamkit.load(path)
    assert p.transactions["revenue"].iloc[0] == MAX_MAGNITUDE


def test_huge_whole_numbers_are_refused_not_crashed(make_portfolio):
    accounts = SMALL["accounts.csv"].replace("Anna Nowak,2015", "Anna Nowak,1e30")
    [error] = kamkit.validate(make_portfolio({"accounts.csv": accounts})).errors
    assert error.code == "too_large" and error.column == "first_year"
    assert error.message().startswith('accounts.csv, column "first_year", row 2:')


def test_infinite_key_account_managers_in_meta_is_refused(make_portfolio):
    meta = SMALL["meta.csv"] + "key_account_managers,inf\n"
    [error] = kamkit.validate(make_portfolio({"meta.csv": meta})).errors
    assert "key_account_managers: a whole number of 1 or more" in error.message()
    assert 'found "inf"' in error.message()


def test_workbook_with_infinite_and_huge_amounts(small, tmp_path):
    from openpyxl import load_workbook

    book = save(kamkit.load(small), tmp_path / "p.xlsx", "xlsx")
    wb = load_workbook(book)
    sheet = wb["transactions"]
    at = {cell.value: cell.column for cell in sheet[1]}
    sheet.cell(2, at["revenue"], "inf")  # first line, as text
    sheet.cell(3, at["revenue"], 1e308)  # second line, a number
    sheet.cell(4, at["cost"], -1e308)
    wb.save(book)
    errors = [e.message() for e in kamkit.validate(book).errors]
    assert len(errors) == 3, errors
    assert errors[0].startswith('p.xlsx, sheet "transactions", column "revenue", row 2: '
                                'expected an amount such as 5200.00; found "inf"')
    assert errors[1].startswith('p.xlsx, sheet "transactions", column "revenue", row 3: '
                                "expected a number between")
    assert errors[2].startswith('p.xlsx, sheet "transactions", column "cost", row 4: '
                                "expected a number between")


@pytest.mark.parametrize("lines", [True, False])
def test_parquet_with_infinite_and_huge_amounts(small, tmp_path, lines):
    folder = save(kamkit.load(small), tmp_path / "pq", "parquet")
    frame = pd.read_parquet(folder / "transactions.parquet")
    frame.loc[0, "revenue"] = np.inf
    frame.loc[[1, 2], "cost"] = 1e308
    frame.loc[3, "revenue"] = np.nan
    frame.to_parquet(folder / "transactions.parquet", index=False)
    kwargs = {} if lines else {"lines": False, "tables": ["accounts", "transactions"]}
    with pytest.raises(PortfolioValidationError) as info:
        kamkit.load(folder, **kwargs)
    errors = [e.message() for e in info.value.report.errors]
    assert errors[0].startswith('transactions.parquet, column "revenue", record 1: '
                                'expected an amount such as 5200.00; found "inf"'), errors
    assert any(e.startswith('transactions.parquet, column "cost", records 2, 3: expected '
                            "a number between") for e in errors), errors
    assert any('column "revenue", record 4: expected a value in every row' in e
               for e in errors), errors


def test_summing_parquet_reader_refuses_amounts_whose_sums_overflow(small, tmp_path):
    # Finite lines, infinite sum: the summing reader (kamkit._fast.streaming) leaves such a file
    # to the full check, which names the lines.
    folder = save(kamkit.load(small), tmp_path / "pq", "parquet")
    frame = pd.read_parquet(folder / "transactions.parquet")
    frame.loc[[0, 1], "revenue"] = [1e308, -1e308]
    frame.loc[1, ["doc_type", "quantity", "cost"]] = ["return", -1.0, -1.0]
    frame.to_parquet(folder / "transactions.parquet", index=False)
    with pytest.raises(PortfolioValidationError) as info:
        kamkit.load(folder, lines=False, tables=["accounts", "transactions"])
    [error] = info.value.report.errors
    assert error.message().startswith('transactions.parquet, column "revenue", records 1, 2: '
                                      "expected a number between")


def test_goal_values_beyond_the_limit_are_refused_naming_the_goal_row(tmp_path):
    from tests.conftest import company_x_copy as company_x

    folder = save(company_x(), tmp_path / "cx", "csv")
    goals = pd.read_csv(folder / "goals.csv", dtype=str)
    goals.loc[1, "target"] = "1e26"
    goals.to_csv(folder / "goals.csv", index=False)
    [error] = kamkit.validate(folder).errors
    assert error.message().startswith('goals.csv, column "target", row 3: expected a number '
                                      "between")
    assert 'found "1e26"' in error.message()


@pytest.mark.parametrize("value", [1e26, -1e30, 1.7976931348623157e308])
@pytest.mark.parametrize("language", ["en", "fa", "pl", "ru"])
def test_any_finite_number_is_written_out(value, language):
    from kamkit.text.i18n import format_money, format_number, format_percent

    text = format_number(value, 2, language, numerals="native")
    assert len(text) > 26
    assert format_money(value, "EUR", language=language).endswith("EUR")
    assert format_percent(value / 1000, 1, language)


@pytest.mark.parametrize("answer", ["inf", "1e999", float("-inf")])
def test_an_infinite_workshop_answer_is_no_whole_number(answer):
    from kamkit.workshop.checks import AnswerError, read_number

    with pytest.raises(AnswerError, match="is not a whole number"):
        read_number(answer, whole=True, minimum=0, maximum=10)
