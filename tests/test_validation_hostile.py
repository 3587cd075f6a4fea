"""Hostile inputs (issue 14, point 7): what validation used to accept without a word, and
files whose messages misled. Each test asserts what the report says and where."""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pandas as pd
import pytest

import kamkit
from kamkit.cli import main
from kamkit.data.portfolio import save
from tests.conftest import SMALL

ACCOUNTS = SMALL["accounts.csv"]
TRANSACTIONS = SMALL["transactions.csv"]
EMPTY_ROW = ",,,,,,,,,,"  # the eleven optional columns after account_id and name

GOALS = (
    "goal_id,account_id,goal,metric,scope,baseline,target,deadline,linked_to,owner\n"
    "G-1,A-1,More drives,revenue,drives,100,120,2026-12-31,,Anna Nowak\n"
    "G-2,A-2,More sensors,revenue,sensors,100,130,2026-12-31,,Ivan Petrenko\n"
)
ACTIONS = (
    "action_id,account_id,goal_id,action,strategy,department,owner,start,due,status,budget\n"
    "X-1,A-1,G-1,Visit the plant,,sales,Anna Nowak,2026-07-01,2026-07-31,planned,1000\n"
    "X-2,A-1,G-2,Offer sensors,,sales,Anna Nowak,2026-07-01,2026-08-31,planned,500\n"
)


def errors(path) -> list:
    return kamkit.validate(path).errors


def only_error(path):
    found = errors(path)
    assert len(found) == 1, [p.message() for p in found]
    return found[0]


# --- a. ids that differ only by case, Unicode form or invisible characters ------------------


@pytest.mark.parametrize("other", ["a-1", "A-1\u200b", "\ufeffA-1", "Ａ-1"])
def test_lookalike_account_ids_are_an_error_naming_both_rows(make_portfolio, other):
    path = make_portfolio({"accounts.csv": ACCOUNTS + f"{other},Other GmbH{EMPTY_ROW}\n"})
    problem = only_error(path)
    assert problem.code == "lookalike_ids" and problem.column == "account_id"
    assert problem.rows == (2, 5)
    assert "letter case" in problem.message()
    # An invisible character is shown, not left to look like the other id.
    shown = "<U+200B>" if "\u200b" in other else "<U+FEFF>" if "\ufeff" in other else other
    assert any(shown in value for value in problem.found), problem.found


def test_distinct_ids_that_only_share_letters_are_fine(make_portfolio):
    path = make_portfolio({"accounts.csv": ACCOUNTS + f"A-10,Other GmbH{EMPTY_ROW}\n"})
    assert kamkit.validate(path).ok


# --- b. an action on another account's goal --------------------------------------------------


def test_action_on_another_accounts_goal_names_both_accounts(make_portfolio):
    path = make_portfolio({"goals.csv": GOALS, "actions.csv": ACTIONS})
    problem = only_error(path)
    assert problem.code == "goal_of_other_account"
    assert problem.location.file == "actions.csv" and problem.column == "goal_id"
    assert problem.rows == (3,)
    assert problem.found == ("X-2: account A-1, but goal G-2 is of account A-2",)


def test_actions_on_their_own_accounts_goals_pass(make_portfolio):
    path = make_portfolio({"goals.csv": GOALS, "actions.csv": ACTIONS.replace(
        "X-2,A-1,G-2", "X-2,A-2,G-2")})
    assert kamkit.validate(path).ok


# --- c. a meta key given twice ----------------------------------------------------------------


@pytest.mark.parametrize("again", ["currency", "Currency", " CURRENCY"])
def test_a_meta_key_given_twice_names_both_rows(make_portfolio, again):
    meta = f"key,value\nportfolio,Small\ncurrency,EUR\n{again},USD\nas_of,2026-06-30\n"
    problem = only_error(make_portfolio({"meta.csv": meta}))
    assert problem.table == "meta" and problem.column == "key"
    assert problem.rows == (3, 4)


# --- d. control characters in text ----------------------------------------------------------


def test_nul_in_a_name_names_file_column_and_row(make_portfolio):
    path = make_portfolio({"accounts.csv": ACCOUNTS.replace("Nordwerk GmbH", "Nord\x00werk")})
    problem = only_error(path)
    assert (problem.code, problem.location.file, problem.column, problem.rows) == (
        "control_character", "accounts.csv", "name", (2,))
    assert problem.found == ("Nord\\x00werk",)


@pytest.mark.parametrize(("raw", "shown"), [("\x1b[2J", "\\x1b[2J"), ("\x9b31m", "\\x9b31m")])
def test_terminal_escapes_c0_and_c1_in_a_name_are_refused(make_portfolio, raw, shown):
    path = make_portfolio({"accounts.csv": ACCOUNTS.replace("Nordwerk GmbH", f"Nord{raw}")})
    problem = only_error(path)
    assert (problem.code, problem.column, problem.rows) == ("control_character", "name", (2,))
    assert problem.found == (f"Nord{shown}",)


def test_control_characters_in_a_long_encoded_column(make_portfolio, monkeypatch):
    # Long columns are checked by their distinct values (the 10 M-line path).
    monkeypatch.setattr("kamkit.data.validation._ENCODE_FROM", 1)
    tx = TRANSACTIONS.replace("DRV-10,drives,2,", "DRV-10,dri\x01ves,2,")
    problem = only_error(make_portfolio({"transactions.csv": tx}))
    assert (problem.column, problem.rows) == ("product_line", (4,))


def test_line_breaks_and_tabs_are_allowed_in_free_text(make_portfolio):
    accounts = ACCOUNTS.replace("Nordwerk GmbH", '"Nordwerk\tGmbH\nWerk 2"')
    assert kamkit.validate(make_portfolio({"accounts.csv": accounts})).ok


def test_a_tab_in_an_id_is_an_error(make_portfolio):
    accounts = ACCOUNTS.replace("A-3,", '"A\t3",')
    tx = TRANSACTIONS.replace(",A-3,", ',"A\t3",')
    path = make_portfolio({"accounts.csv": accounts, "transactions.csv": tx})
    assert {(p.code, p.table, p.column) for p in errors(path)} == {
        ("control_character", "accounts", "account_id"),
        ("control_character", "transactions", "account_id")}


def test_nul_in_parquet_text(small, tmp_path):
    out = save(kamkit.load(small), tmp_path / "pq", "parquet")
    frame = pd.read_parquet(out / "accounts.parquet")
    frame.loc[2, "owner"] = "Reza\x00"
    frame.to_parquet(out / "accounts.parquet", index=False)
    problem = only_error(out)
    assert (problem.code, problem.column, problem.rows) == ("control_character", "owner", (3,))


# --- e. a time of day in a date column --------------------------------------------------------


def _time_warning(report):
    found = [p for p in report.warnings if p.code == "time_of_day"]
    assert len(found) == 1, report.render()
    return found[0]


def test_time_of_day_in_csv_is_a_warning_naming_the_row(make_portfolio):
    path = make_portfolio({"transactions.csv": TRANSACTIONS.replace(
        "2026-02-01", "2026-02-01 13:45")})
    report = kamkit.validate(path)
    assert report.ok
    warning = _time_warning(report)
    assert (warning.location.file, warning.column, warning.rows) == (
        "transactions.csv", "date", (4,))
    assert warning.found == ("2026-02-01 13:45",)
    p = kamkit.load(path)
    assert p.transactions["date"][2] == pd.Timestamp("2026-02-01")


def test_midnight_is_no_time_of_day(make_portfolio):
    path = make_portfolio({"transactions.csv": TRANSACTIONS.replace(
        "2026-02-01", "2026-02-01 00:00:00")})
    assert not kamkit.validate(path).warnings


def test_time_of_day_in_a_workbook_is_dropped_and_said(small, tmp_path):
    import datetime as dt

    from openpyxl import load_workbook

    book = save(kamkit.load(small), tmp_path / "p.xlsx", "xlsx")
    wb = load_workbook(book)
    wb["transactions"]["A6"] = dt.datetime(2026, 6, 30, 18, 30)  # on the as-of day
    wb.save(book)
    report = kamkit.validate(book)
    assert report.ok, report.render()  # not "in the future": the day counts
    warning = _time_warning(report)
    assert (warning.location.sheet, warning.column, warning.rows) == (
        "transactions", "date", (6,))
    assert kamkit.load(book).transactions["date"].max() == pd.Timestamp("2026-06-30")


@pytest.mark.parametrize("lines", [True, False])
def test_time_of_day_in_parquet_takes_the_full_check(small, tmp_path, lines):
    out = save(kamkit.load(small), tmp_path / "pq", "parquet")
    frame = pd.read_parquet(out / "transactions.parquet")
    frame.loc[1, "date"] = pd.Timestamp("2026-01-20 09:15")
    frame.to_parquet(out / "transactions.parquet", index=False)
    warning = _time_warning(kamkit.validate(out))
    assert (warning.location.file, warning.rows) == ("transactions.parquet", (2,))
    p = kamkit.load(out, lines=lines)
    _time_warning(p.report)  # the summing load fell back to the full check, which says it
    if not lines:
        assert p.sales.lines == 5


# --- f. a table's path that is not a file -----------------------------------------------------


def _make_folder(path):
    path.mkdir()


def _make_fifo(path):
    os.mkfifo(path)


def _make_loop(path):
    path.symlink_to(path.name)


def _make_dangling(path):
    path.symlink_to("elsewhere.csv")


@pytest.mark.parametrize(("make", "said"), [
    (_make_folder, "a folder"), (_make_fifo, "a named pipe (FIFO)"),
    (_make_loop, "a symbolic link that leads back to itself"),
    (_make_dangling, "a symbolic link to something that does not exist")])
@pytest.mark.timeout(60)  # a FIFO opened for reading would wait forever
def test_a_table_that_is_not_a_file_is_said_so(make_portfolio, make, said):
    path = make_portfolio({"accounts.csv": None})
    make(path / "accounts.csv")
    problem = only_error(path)
    assert problem.code == "not_a_file" and problem.location.file == "accounts.csv"
    assert said in problem.message()
    assert "expected a table named" not in problem.message()
    kamkit.data.portfolio._CACHE.clear()
    with pytest.raises(kamkit.exceptions.PortfolioValidationError):
        kamkit.load(path)


@pytest.mark.timeout(60)
def test_the_portfolio_path_itself_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "portfolio")
    problem = only_error(tmp_path / "portfolio")
    assert "a named pipe (FIFO)" in problem.message()


def test_a_misspelt_file_name_gets_a_hint(make_portfolio):
    path = make_portfolio({"accounts.csv": None, "account.csv": ACCOUNTS})
    report = kamkit.validate(path)
    assert "rename it to accounts.csv" in report.render()


# --- g. an unclosed quote -----------------------------------------------------------------


def test_unclosed_quote_closed_by_a_later_quote_names_the_row(make_portfolio):
    accounts = ACCOUNTS.replace("Энергомаш", '"Энергомаш').replace(
        "پارس پزشکی", '"پارس" پزشکی')
    problem = only_error(make_portfolio({"accounts.csv": accounts}))
    assert problem.code == "unclosed_quote" and problem.rows == (3,)
    assert "rows 3 to 4" in problem.message()
    assert "did you mean" not in problem.message()


def test_unclosed_quote_to_the_end_of_the_file_names_the_row(make_portfolio):
    tx = TRANSACTIONS.replace("2026-02-01,A-2,invoice,DRV-10", '2026-02-01,A-2,invoice,"DRV-10')
    problem = only_error(make_portfolio({"transactions.csv": tx}))
    assert (problem.code, problem.location.file, problem.rows) == (
        "unclosed_quote", "transactions.csv", (4,))


def test_a_quoted_multi_line_comment_is_not_an_unclosed_quote(make_portfolio):
    accounts = ACCOUNTS.replace("Nordwerk GmbH", '"Nordwerk GmbH, Werk 2\nHalle 3, Tor 4"')
    p = kamkit.load(make_portfolio({"accounts.csv": accounts}))
    assert p.accounts["name"][0] == "Nordwerk GmbH, Werk 2\nHalle 3, Tor 4"


# --- h. a workbook with other sheet names -----------------------------------------------------


def test_workbook_with_misnamed_sheets_lists_them(small, tmp_path):
    from openpyxl import load_workbook

    book = save(kamkit.load(small), tmp_path / "p.xlsx", "xlsx")
    wb = load_workbook(book)
    wb["accounts"].title = "Accts"
    wb.save(book)
    problem = only_error(book)
    assert problem.code == "missing_sheet" and problem.location.file == "p.xlsx"
    message = problem.message()
    assert '"accounts"' in message and '"Accts"' in message and '"transactions"' in message
    assert 'If the sheet "Accts" holds the table, rename it to "accounts"' in message
    assert "accounts.csv" not in message


# --- i. formulas whose values were never saved ------------------------------------------------


def test_formula_without_saved_value_is_not_called_empty(small, tmp_path):
    from openpyxl import load_workbook

    book = save(kamkit.load(small), tmp_path / "p.xlsx", "xlsx")
    wb = load_workbook(book)
    wb["transactions"]["H3"] = "=-2*260"  # openpyxl saves no value for it
    wb.save(book)
    problem = only_error(book)
    assert (problem.code, problem.location.sheet, problem.column, problem.rows) == (
        "formula_without_value", "transactions", "revenue", (3,))
    assert problem.found == ("=-2*260",)
    assert "Open the workbook in Excel or LibreOffice and save it" in problem.message()


def test_workbook_formulas_read_only_when_a_required_value_is_empty(small, tmp_path,
                                                                     monkeypatch):
    import openpyxl

    book = save(kamkit.load(small), tmp_path / "p.xlsx", "xlsx")
    opened = []
    real = openpyxl.load_workbook

    def counting(*args, **kwargs):
        opened.append(kwargs.get("data_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    assert kamkit.validate(book).ok
    assert opened == [True]


# --- j. files the system will not give, and very long values ----------------------------------


def test_unreadable_file_is_a_problem_not_a_traceback(make_portfolio, monkeypatch, capsys):
    path = make_portfolio({})
    real = pathlib.Path.read_bytes

    def refuse(self):
        if self.name == "accounts.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    problem = only_error(path)
    assert (problem.code, problem.location.file) == ("unreadable", "accounts.csv")
    assert "Permission denied" in problem.message()
    assert main(["validate", str(path)]) == 4  # a file could not be read (README)
    assert "Traceback" not in capsys.readouterr().err


def test_a_value_longer_than_the_csv_modules_limit_is_read(make_portfolio):
    name = "N" * 140_000
    p = kamkit.load(make_portfolio({"accounts.csv": ACCOUNTS.replace("Nordwerk GmbH", name)}))
    assert p.accounts["name"][0] == name


def test_a_long_value_in_a_ragged_file_gets_the_ragged_message(make_portfolio):
    accounts = ACCOUNTS.replace("Nordwerk GmbH", "N" * 140_000) + "A-9,x" + ",y" * 14 + "\n"
    problem = only_error(make_portfolio({"accounts.csv": accounts}))
    assert (problem.code, problem.rows) == ("ragged_row", (5,))


def test_a_long_value_in_an_unclosed_quote(make_portfolio):
    accounts = ACCOUNTS.replace("Энергомаш", '"Энергомаш') + "".join(
        f"A-{i},{'x' * 2000}{EMPTY_ROW}\n" for i in range(10, 90))
    problem = only_error(make_portfolio({"accounts.csv": accounts}))
    assert (problem.code, problem.rows) == ("unclosed_quote", (3,))


# --- the command line: one readable message, exit code 2 --------------------------------------


def _broken(make_portfolio, tmp_path, case: str):
    if case == "lookalike":
        return make_portfolio({"accounts.csv": ACCOUNTS + f"a-1,Other{EMPTY_ROW}\n"})
    if case == "other_goal":
        return make_portfolio({"goals.csv": GOALS, "actions.csv": ACTIONS})
    if case == "nul":
        return make_portfolio({"accounts.csv": ACCOUNTS.replace("GmbH", "\x00")})
    if case == "fifo":
        path = make_portfolio({"accounts.csv": None})
        os.mkfifo(path / "accounts.csv")
        return path
    if case == "quote":
        return make_portfolio({"accounts.csv": ACCOUNTS.replace("Энергомаш", '"Энергомаш')})
    if case == "long_ragged":
        return make_portfolio({"accounts.csv": ACCOUNTS.replace("GmbH", "N" * 140_000)
                               + "A-9" + ",y" * 14 + "\n"})
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["lookalike", "other_goal", "nul", "fifo", "quote",
                                  "long_ragged"])
@pytest.mark.timeout(60)
def test_cli_validate_prints_one_message_and_exits_2(make_portfolio, tmp_path, capsys, case):
    path = _broken(make_portfolio, tmp_path, case)
    assert main(["validate", "--quiet", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.count("\n  - ") == 1, captured.err


def test_checks_look_at_distinct_values_not_rows():
    # The look-alike check folds each distinct id once.
    from kamkit.data.validation import _folded

    ids = pd.Series(np.array(["CX-001", "cx-001", "CX-002"], dtype=object), dtype="str")
    assert _folded(ids).duplicated(keep=False).tolist() == [True, True, False]
