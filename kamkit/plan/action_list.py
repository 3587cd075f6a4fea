"""The action list as a workbook an owner can update and give back.

Implementation (stage 4) happens outside kamkit: the people who own the actions update
their status, dates and budgets. :func:`write_action_list` writes one account's actions
as an ``.xlsx`` workbook (a sheet ``actions`` with the columns of the data dictionary,
a read-me sheet and the plan's goals for reference); :func:`read_action_list` loads the
updated workbook and checks it exactly like a portfolio table, reporting every problem
with sheet, column and row; :func:`update_actions` puts the rows back into a copy of
the portfolio, which :func:`kamkit.data.portfolio.save` writes to a new place. Nothing here
replaces an existing file unless asked to, and the original portfolio is never touched.

The round trip loses nothing: ids, dates, statuses, budgets, milestones and text in any
script come back as they went out. Text that begins with ``=`` stays text (a CRM
export must never become a spreadsheet formula).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from kamkit.artifacts import atomic_write
from kamkit.data.portfolio import Portfolio
from kamkit.data.readers import RawTable, read_portfolio_files
from kamkit.data.schema import SCHEMAS
from kamkit.data.validation import Location, Problem, ValidationReport, type_tables
from kamkit.exceptions import DataError, ParameterError, PortfolioValidationError
from kamkit.text.i18n import N_, _

__all__ = ["SHEET", "write_action_list", "read_action_list", "update_actions",
           "apply_action_list"]

#: The sheet that holds the actions (a table sheet, read like any portfolio workbook).
SHEET = "actions"
_COLUMNS = SCHEMAS["actions"].names
_STATUSES = SCHEMAS["actions"].column("status").choices or ()
_DATE_COLUMNS = [c.name for c in SCHEMAS["actions"].columns if c.kind == "date"]
_WIDTHS = {"action": 60, "strategy": 36, "owner": 22, "department": 16}


def _refuse_existing(path: Path, overwrite: bool) -> None:
    if path.exists() and not overwrite:
        raise ParameterError("path", _("{path} already exists; pass overwrite=True (or "
                                       "--force) to replace it").format(path=path))


def _cell(value: object, column: str) -> object:
    """A value as the workbook should hold it: real dates, numbers, yes/no, text."""
    if value is None or value is pd.NA or value is pd.NaT or (
            isinstance(value, float) and np.isnan(value)):
        return None
    if column in _DATE_COLUMNS:
        return pd.Timestamp(value).date()
    if column == "milestone":
        return "yes" if bool(value) else "no"
    if column == "budget":
        f = float(value)
        return int(f) if f.is_integer() else f
    return str(value)


def write_action_list(portfolio: Portfolio, account_id: str, path: str | Path, *,
                      overwrite: bool = False) -> Path:
    """Write an account's actions as a workbook its owners can update.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    path : str or Path
        The ``.xlsx`` file to write.
    overwrite : bool
        Replace an existing file; without it an existing file stops the write.

    Returns
    -------
    Path

    Raises
    ------
    ParameterError
        When ``path`` exists and ``overwrite`` is false, or does not end in ``.xlsx``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> book = pathlib.Path(tempfile.mkdtemp()) / "actions-CX-002.xlsx"
    >>> _ = write_action_list(cx, "CX-002", book)
    >>> back = read_action_list(book, cx, "CX-002")
    >>> back.equals(cx.table_for("actions", "CX-002"))
    True
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ParameterError("path", _("an action list is an .xlsx workbook: end the name "
                                       "with .xlsx"))
    _refuse_existing(path, overwrite)
    key = portfolio.check_account(account_id)
    actions = portfolio.table_for("actions", key)
    goals = portfolio.table_for("goals", key)
    name = str(portfolio.account(key)["name"])

    book = Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append(_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(actions[_COLUMNS].itertuples(index=False), start=2):
        for c, (column, value) in enumerate(zip(_COLUMNS, row, strict=True), start=1):
            cell = ws.cell(row=r, column=c, value=_cell(value, column))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            if column in _DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
    last = max(len(actions) + 1, 200)
    status = DataValidation(type="list", formula1='"' + ",".join(_STATUSES) + '"',
                            allow_blank=False)
    status.add(f"{get_column_letter(_COLUMNS.index('status') + 1)}2:"
               f"{get_column_letter(_COLUMNS.index('status') + 1)}{last}")
    yes_no = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    yes_no.add(f"{get_column_letter(_COLUMNS.index('milestone') + 1)}2:"
               f"{get_column_letter(_COLUMNS.index('milestone') + 1)}{last}")
    ws.add_data_validation(status)
    ws.add_data_validation(yes_no)
    ws.freeze_panes = "A2"
    for i, column in enumerate(_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(column, 13)

    readme = book.create_sheet(_("read me"))
    lines = [
        [_("Action list of {name} ({id})").format(name=name, id=key)],
        [_("Portfolio: {portfolio}, as of {date}").format(
            portfolio=portfolio.meta.name, date=portfolio.as_of.strftime("%Y-%m-%d"))],
        [],
        [_("Update the sheet \u201cactions\u201d: status, done_date, owner, dates and "
           "budgets. Keep the header row and the ids. Add an action with a new action_id; "
           "delete a row to drop an action.")],
        [_("Dates are written YYYY-MM-DD. status is one of: {choices}. milestone is yes "
           "or no.").format(choices=", ".join(_STATUSES))],
        [_("Load it back with: kamkit plan PORTFOLIO {id} --update-actions THIS-FILE "
           "--out NEW-FOLDER (the original portfolio is not changed).").format(id=key)],
    ]
    for line in lines:
        readme.append(line)
    readme.column_dimensions["A"].width = 110

    ref = book.create_sheet(_("goals (reference)"))
    ref.append(["goal_id", "goal", "deadline", "owner"])
    for g in goals.itertuples(index=False):
        ref.append([_cell(g.goal_id, "goal_id"), _cell(g.goal, "goal"),
                    _cell(g.deadline, "deadline"), _cell(g.owner, "owner")])
        for cell in ref[ref.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
        ref.cell(row=ref.max_row, column=3).number_format = "yyyy-mm-dd"
    ref.column_dimensions["B"].width = 90
    # A fixed creation time keeps the file the same for the same data.
    stamp = _dt.datetime.combine(pd.Timestamp(portfolio.as_of).date(), _dt.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    atomic_write(path, lambda tmp: book.save(tmp))
    return path


def _memory_raw(name: str, frame: pd.DataFrame) -> RawTable:
    return RawTable(name, frame.reset_index(drop=True), np.arange(1, len(frame) + 1),
                    Location(name, None, "memory"), {c: c for c in frame.columns})


def read_action_list(path: str | Path, portfolio: Portfolio, account_id: str | None = None
                     ) -> pd.DataFrame:
    """Load an updated action list and check it like any portfolio table.

    The sheet ``actions`` is typed and checked with the data dictionary's rules
    (:mod:`kamkit.data.validation`) against the portfolio's accounts and goals, and against
    the other accounts' actions: an action id another account uses, a goal of another
    account, or a row of another account (when ``account_id`` is given) is an error.

    Parameters
    ----------
    path : str or Path
        The workbook (written by :func:`write_action_list`, then edited).
    portfolio : Portfolio
        The portfolio the list belongs to.
    account_id : str, optional
        The account the list is for.

    Returns
    -------
    DataFrame
        The actions, typed like ``portfolio.actions``.

    Raises
    ------
    PortfolioValidationError
        With every problem found, each naming the file, sheet, column and rows.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> book = write_action_list(cx, "CX-012", pathlib.Path(tempfile.mkdtemp()) / "a.xlsx")
    >>> wb = load_workbook(book)
    >>> wb["actions"]["J3"] = "finished"
    >>> wb.save(book)
    >>> try:
    ...     read_action_list(book, cx, "CX-012")
    ... except PortfolioValidationError as err:
    ...     print(err.report.errors[0].message())
    a.xlsx, sheet "actions", column "status", row 3: expected one of: planned, ...
    """
    path = Path(path)
    key = portfolio.check_account(account_id) if account_id is not None else None
    report = ValidationReport(str(path))
    loc = Location(path.name, None, "xlsx")
    if not path.exists():
        raise FileNotFoundError(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        report.problems.append(Problem("error", "not_a_workbook", SHEET, loc, expected=N_(
            "an .xlsx workbook with a sheet named actions")))
        raise PortfolioValidationError(report)
    raw, problems, _fmt = read_portfolio_files(path)
    sheet = next((t for t in raw if t.name == SHEET), None)
    report.extend(p for p in problems if p.table in (SHEET, ""))
    if sheet is None:
        if report.ok:
            report.problems.append(Problem("error", "missing_table", SHEET, loc, expected=N_(
                "a sheet named actions, with the header row of the action list")))
        raise PortfolioValidationError(report)
    meta = pd.DataFrame({"key": ["as_of", "currency"],
                         "value": [portfolio.as_of.strftime("%Y-%m-%d"),
                                   portfolio.currency or ""]})
    context = [_memory_raw("accounts", portfolio.accounts),
               _memory_raw("goals", portfolio.goals), _memory_raw("meta", meta)]
    found: list[Problem] = []
    tables, _meta = type_tables([*context, sheet], found)
    report.extend(p for p in found if p.table == SHEET)
    typed = tables[SHEET]
    rows = np.asarray(sheet.rows)

    def problem(code: str, column: str, mask: np.ndarray, expected: str,
                params: tuple[tuple[str, str], ...] = ()) -> None:
        idx = np.flatnonzero(mask)
        report.problems.append(Problem(
            "error", code, SHEET, sheet.location, column=column,
            rows=tuple(int(r) for r in rows[idx[:8]]), count=len(idx),
            found=tuple(dict.fromkeys(str(v) for v in typed[column].to_numpy()[idx]))[:4],
            expected=expected, params=params))

    if "action_id" in sheet.frame.columns and len(typed):
        others = portfolio.actions
        if key is not None:
            others = others[others["account_id"] != key]
        taken = typed["action_id"].isin(others["action_id"]).to_numpy()
        if taken.any():
            problem("duplicate", "action_id", taken, N_(
                "a new action id: another account's action already has this one"))
    if key is not None and "account_id" in sheet.frame.columns and len(typed):
        wrong = (typed["account_id"].notna() & (typed["account_id"] != key)).to_numpy()
        if wrong.any():
            problem("other_account", "account_id", wrong, N_(
                "{account} (this action list is for that account only)"),
                (("account", key),))
        if "goal_id" in sheet.frame.columns:
            mine = portfolio.table_for("goals", key)["goal_id"]
            stray = (typed["goal_id"].notna() & ~typed["goal_id"].isin(mine)
                     & typed["goal_id"].isin(portfolio.goals["goal_id"])).to_numpy()
            if stray.any():
                problem("other_account", "goal_id", stray, N_(
                    "one of the goals of {account} (this one belongs to another account)"),
                    (("account", key),))
    if not report.ok:
        raise PortfolioValidationError(report)
    return typed[[c for c in portfolio.actions.columns if c in typed.columns]]


def update_actions(portfolio: Portfolio, account_id: str, actions: pd.DataFrame):
    """A copy of the portfolio whose actions of ``account_id`` are ``actions``.

    The other accounts' actions keep their place; the account's rows take the place of
    its old ones. The result is validated as a whole, like a loaded portfolio.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    actions : DataFrame
        The account's new actions (as :func:`read_action_list` returns them).

    Returns
    -------
    Portfolio

    Raises
    ------
    PortfolioValidationError
        When the updated portfolio is not valid.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> mine = cx.table_for("actions", "CX-012")
    >>> mine.loc[mine["action_id"] == "A-012-02", "status"] = "cancelled"
    >>> updated = update_actions(cx, "CX-012", mine)
    >>> updated.actions.set_index("action_id").loc["A-012-02", "status"]
    'cancelled'
    >>> cx.actions.set_index("action_id").loc["A-012-02", "status"]
    'planned'
    """
    from kamkit.data.portfolio import from_frames

    key = portfolio.check_account(account_id)
    old = portfolio.actions
    mine = (old["account_id"] == key).to_numpy()
    at = int(np.flatnonzero(mine)[0]) if mine.any() else len(old)
    keep = old.loc[~mine]
    before = keep.iloc[: int((~mine[:at]).sum())]
    after = keep.iloc[int((~mine[:at]).sum()):]
    new = pd.concat([before, actions[list(old.columns)], after], ignore_index=True)
    frames = {name: portfolio.tables[name] for name in portfolio.present
              if name not in ("actions", "meta")}
    frames["actions"] = new
    meta = {"portfolio": portfolio.meta.name, "company": portfolio.meta.company,
            "currency": portfolio.meta.currency, "as_of": portfolio.as_of,
            "key_account_managers": portfolio.meta.key_account_managers}
    return from_frames(frames, {k: v for k, v in meta.items() if v is not None},
                       source=_("{source} with updated actions of {account}").format(
                           source=portfolio.source, account=key))


def apply_action_list(source: str | Path, account_id: str, workbook: str | Path,
                      out: str | Path, *, overwrite: bool = False) -> Path:
    """Load a portfolio, put an updated action list into it, save the copy to ``out``.

    The copy is written in the source's format (a CSV folder, a Parquet folder or an
    ``.xlsx`` workbook); ``source`` itself is never written.

    Parameters
    ----------
    source : str or Path
        The portfolio.
    account_id : str
    workbook : str or Path
        The updated action list.
    out : str or Path
        Where the updated copy goes (a folder, or a workbook path for an ``.xlsx``
        portfolio). Must differ from ``source``.
    overwrite : bool
        Replace files already at ``out``.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kamkit.data import synth
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> source = synth.write(synth.company_x(), tmp / "company_x")
    >>> book = write_action_list(synth.company_x(), "CX-012", tmp / "a.xlsx")
    >>> out = apply_action_list(source, "CX-012", book, tmp / "copy")
    >>> sorted(f.name for f in out.iterdir())[:2]
    ['accounts.csv', 'actions.csv']
    """
    from kamkit.data.portfolio import load, save
    from kamkit.data.readers import detect_format

    source, out = Path(source), Path(out)
    if out.resolve() == source.resolve():
        raise ParameterError("out", _("write the updated portfolio to a new place; the "
                                      "original stays as it is"))
    fmt = detect_format(source)
    if fmt not in ("csv", "parquet", "xlsx"):
        raise DataError(_("{path}: not a portfolio kamkit can read").format(path=source))
    portfolio = load(source)
    actions = read_action_list(workbook, portfolio, account_id)
    updated = update_actions(portfolio, account_id, actions)
    return save(updated, out, fmt, overwrite=overwrite)
