"""Faces of the plan: charts, the SMART checker widget, the HTML document, the action-list
workbook (and its round trip), and the ``kamkit plan`` command."""

from __future__ import annotations

import datetime as dt
import filecmp
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from kamkit.charts.plan import action_timeline, budget_by_department
from kamkit.cli import main
from kamkit.data.portfolio import load
from kamkit.exceptions import ParameterError, PortfolioValidationError
from kamkit.plan import account_plan as plan
from kamkit.plan.action_list import (
    apply_action_list,
    read_action_list,
    update_actions,
    write_action_list,
)
from kamkit.reports.plan import plan_document, write_plan_html
from kamkit.widgets.plan import checker_html, smart_checker
from tests.conftest import COMPANY_X, company_x_copy


@pytest.fixture(scope="module")
def cx():
    return company_x_copy()


# --------------------------------------------------------------------------------------
# Charts


def test_timeline_draws_one_bar_per_action_and_today(cx):
    actions = plan.plan_actions(cx, "CX-003")
    fig = action_timeline(actions, cx.as_of, plan.plan_milestones(cx, "CX-003"))
    ax = fig.axes[0]
    assert len(ax.patches) == len(actions)
    overdue = [p for p in ax.patches if p.get_linewidth() > 1]
    assert len(overdue) == int(actions["overdue"].sum()) == 2
    from matplotlib import dates as mdates

    today = mdates.date2num(cx.as_of)
    assert any(line.get_xdata()[0] == today for line in ax.get_lines())


@pytest.mark.parametrize("chart", [
    lambda: action_timeline(pd.DataFrame(), pd.Timestamp("2026-06-30")),
    lambda: budget_by_department(pd.DataFrame()),
])
def test_charts_of_an_empty_plan_say_what_is_missing(chart):
    fig = chart()
    text = fig.axes[0].texts[0].get_text()
    assert text.startswith("No actions in the plan yet")


def test_charts_speak_the_language(cx):
    fig = budget_by_department(plan.plan_resources(cx, "CX-001"), "EUR", language="pl")
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels[0].startswith("180\u00a0000 EUR")  # Polish grouping


# --------------------------------------------------------------------------------------
# The SMART checker widget


def test_checker_updates_as_the_trainer_types(cx):
    w = smart_checker(cx, "CX-001")
    box, link, out = w.children
    assert "Type a goal" in out.value
    box.value = "+10% spare-parts revenue in the next 9 months"
    assert "Not SMART yet: fix R." in out.value
    link.value = "N-001-02"
    assert "SMART \u2014 every letter passes." in out.value
    assert out.value == checker_html(cx, "CX-001", box.value, "N-001-02")
    box.value = ""
    assert "Type a goal" in out.value


def test_checker_model_ids_are_deterministic(cx):
    first = smart_checker(cx, "CX-001").model_id
    second = smart_checker(cx, "CX-001").model_id
    assert first.startswith("kamkit-smart-checker-") and first != second


def test_checker_keeps_its_language(cx):
    from kamkit.text.i18n import use_language

    with use_language("pl"):
        w = smart_checker(cx, "CX-001", text="+10% sensor revenue by 2027-03-31")
    w.children[1].value = "N-001-03"  # an update outside the with block
    assert "31 mar 2027" in w.children[2].value


def test_checker_escapes_what_is_typed(cx):
    html = checker_html(cx, "CX-001", '<img src=x onerror="alert(1)"> +10% sensors')
    assert "<img" not in html and "&lt;img" in html


# --------------------------------------------------------------------------------------
# The plan as an HTML document


def test_plan_html_is_escaped_and_carries_language(cx, tmp_path):
    evil = cx.accounts.copy()
    evil.loc[evil["account_id"] == "CX-009", "name"] = "<script>alert(1)</script> S.p.A."
    tables = dict(cx.tables, accounts=evil)
    from kamkit.data.portfolio import Portfolio

    p = Portfolio(tables=tables, meta=cx.meta, present=cx.present)
    out = write_plan_html(p, "CX-009", tmp_path / "plan.html", language="fa")
    page = out.read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Brevi Automazione" in page  # the strong competitor is named in the flag


def test_plan_html_refuses_to_overwrite(cx, tmp_path):
    target = tmp_path / "plan.html"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(ParameterError):
        write_plan_html(cx, "CX-001", target)
    assert target.read_text(encoding="utf-8") == "keep me"
    write_plan_html(cx, "CX-001", target, overwrite=True)
    assert "Nordwerk" in target.read_text(encoding="utf-8")


def test_plan_document_of_an_account_without_plan(cx):
    doc = plan_document(cx, "CX-011")
    texts = [getattr(b, "text", "") for s in doc.sections for b in s.blocks]
    assert any("no goals" in t for t in texts)


# --------------------------------------------------------------------------------------
# The action list workbook


@pytest.mark.parametrize("account", sorted({a for a in company_x_copy().actions["account_id"]}))
def test_action_list_round_trip_loses_nothing(cx, tmp_path, account):
    book = write_action_list(cx, account, tmp_path / "actions.xlsx")
    back = read_action_list(book, cx, account)
    pd.testing.assert_frame_equal(back, cx.table_for("actions", account))


def test_round_trip_of_non_latin_text_formulas_and_new_rows(cx, tmp_path):
    book = write_action_list(cx, "CX-002", tmp_path / "actions.xlsx")
    wb = load_workbook(book)
    ws = wb["actions"]
    header = [c.value for c in ws[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    ws.cell(row=3, column=col["owner"], value="Асель Касымова")
    ws.cell(row=3, column=col["status"], value="done")
    ws.cell(row=3, column=col["done_date"], value=dt.date(2026, 6, 29))
    ws.cell(row=4, column=col["action"], value="پیگیری با مدیر فنی")
    ws.cell(row=5, column=col["action"], value="=1+1 is not a formula")
    ws.cell(row=5, column=col["action"]).data_type = "s"
    new = ["A-002-99", "CX-002", "G-002-2", "Obsolescence review «Казэнергоприбор»",
           "Make service a reason to stay", "service", "Jan Kowalski",
           dt.date(2026, 7, 1), dt.date(2026, 9, 30), "planned", 1234.5, None, "yes"]
    ws.append(new)
    wb.save(book)
    back = read_action_list(book, cx, "CX-002").set_index("action_id")
    original = cx.table_for("actions", "CX-002").set_index("action_id")
    row2 = original.index[1]
    assert back.loc[row2, "owner"] == "Асель Касымова"
    assert back.loc[row2, "status"] == "done"
    assert back.loc[row2, "done_date"] == pd.Timestamp("2026-06-29")
    assert back.loc[original.index[2], "action"] == "پیگیری با مدیر فنی"
    assert back.loc[original.index[3], "action"] == "=1+1 is not a formula"
    added = back.loc["A-002-99"]
    assert added["budget"] == 1234.5 and bool(added["milestone"]) is True
    assert added["due"] == pd.Timestamp("2026-09-30")
    assert added["action"] == "Obsolescence review «Казэнергоприбор»"
    unchanged = [i for i in original.index if i not in (row2, original.index[2],
                                                         original.index[3])]
    pd.testing.assert_frame_equal(back.loc[unchanged], original.loc[unchanged])


def test_text_that_looks_like_a_formula_is_written_as_text(cx, tmp_path):
    actions = cx.actions.copy()
    actions.loc[actions["action_id"] == "A-001-01", "action"] = "=HYPERLINK(\"x\")"
    p = update_actions(cx, "CX-001", actions[actions["account_id"] == "CX-001"])
    book = write_action_list(p, "CX-001", tmp_path / "a.xlsx")
    cell = load_workbook(book)["actions"]["D2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"x\")"


def test_action_list_refuses_to_overwrite(cx, tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"mine")
    with pytest.raises(ParameterError):
        write_action_list(cx, "CX-001", target)
    assert target.read_bytes() == b"mine"
    with pytest.raises(ParameterError):
        write_action_list(cx, "CX-001", tmp_path / "a.csv")


def test_errors_name_sheet_column_and_row(cx, tmp_path):
    book = write_action_list(cx, "CX-003", tmp_path / "a.xlsx")
    wb = load_workbook(book)
    ws = wb["actions"]
    ws["J3"] = "finished"          # status
    ws["H4"] = "soon"              # start
    ws["C5"] = "G-003-9"           # goal that does not exist
    ws["A6"] = "A-001-01"          # another account's action id
    ws["C7"] = "G-001-1"           # another account's goal
    ws["B8"] = "CX-001"            # another account's row
    ws["K2"] = -5                  # negative budget
    wb.save(book)
    with pytest.raises(PortfolioValidationError) as err:
        read_action_list(book, cx, "CX-003")
    problems = err.value.report.to_frame()
    assert set(problems["sheet"]) == {"actions"}
    found = {(r.column, tuple(r.rows)) for r in problems.itertuples()}
    assert {("status", (3,)), ("start", (4,)), ("goal_id", (5,)), ("action_id", (6,)),
            ("goal_id", (7,)), ("account_id", (8,)), ("budget", (2,))} <= found
    message = str(err.value)
    assert 'a.xlsx, sheet "actions", column "status", row 3' in message


def test_a_workbook_without_the_actions_sheet(cx, tmp_path):
    book = write_action_list(cx, "CX-003", tmp_path / "a.xlsx")
    wb = load_workbook(book)
    wb["actions"].title = "my actions"
    wb.save(book)
    with pytest.raises(PortfolioValidationError, match="a sheet named actions"):
        read_action_list(book, cx, "CX-003")


@pytest.mark.slow
def test_apply_writes_a_copy_and_leaves_the_original(tmp_path):
    source = tmp_path / "company_x"
    shutil.copytree(COMPANY_X, source)
    before = {f.name: f.read_bytes() for f in source.iterdir()}
    p = load(source)
    book = write_action_list(p, "CX-012", tmp_path / "a.xlsx")
    wb = load_workbook(book)
    wb["actions"]["J3"] = "done"
    wb["actions"]["L3"] = dt.date(2026, 6, 20)
    wb.save(book)
    out = apply_action_list(source, "CX-012", book, tmp_path / "updated")
    assert {f.name: f.read_bytes() for f in source.iterdir()} == before
    updated = load(out)
    a = updated.actions.set_index("action_id")
    assert a.loc["A-012-02", "status"] == "done"
    assert "overdue_actions" not in set(plan.plan_flags(updated, "CX-012")["flag"])
    same = sorted(f.name for f in source.iterdir() if f.name != "actions.csv")
    _match, mismatch, errors = filecmp.cmpfiles(source, out, same, shallow=False)
    assert mismatch == [] and errors == []  # every other table comes out byte for byte
    with pytest.raises(ParameterError):
        apply_action_list(source, "CX-012", book, tmp_path / "updated")  # exists
    with pytest.raises(ParameterError):
        apply_action_list(source, "CX-012", book, source)


# --------------------------------------------------------------------------------------
# kamkit plan


@pytest.mark.slow
def test_cli_plan_prints_the_verdict_and_writes_files(tmp_path, capsys):
    html, xlsx = tmp_path / "p.html", tmp_path / "a.xlsx"
    assert main(["plan", str(COMPANY_X), "CX-003", "--html", str(html),
                 "--actions-xlsx", str(xlsx)]) == 0
    out = capsys.readouterr().out
    assert "G-003-1  S\u2713 M\u2717 A? R\u2713 T\u2713" in out
    assert "One department carries the plan" in out
    assert html.exists() and xlsx.exists()
    assert main(["plan", str(COMPANY_X), "CX-003", "--html", str(html)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_cli_update_actions(tmp_path, capsys):
    xlsx = tmp_path / "a.xlsx"
    assert main(["plan", str(COMPANY_X), "CX-002", "--actions-xlsx", str(xlsx)]) == 0
    wb = load_workbook(xlsx)
    wb["actions"]["G3"] = "Milan Jovanović"  # the consignment stock gets an owner
    wb.save(xlsx)
    capsys.readouterr()
    assert main(["plan", str(COMPANY_X), "CX-002", "--update-actions", str(xlsx),
                 "--out", str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert "Wrote the portfolio with the updated actions of CX-002" in out
    assert "Action without owner" not in out
    assert main(["plan", str(COMPANY_X), "CX-002", "--update-actions", str(xlsx)]) == 2
    assert "--out" in capsys.readouterr().err


def test_cli_bad_action_list_exits_2_without_traceback(tmp_path, capsys):
    xlsx = tmp_path / "a.xlsx"
    assert main(["plan", str(COMPANY_X), "CX-002", "--actions-xlsx", str(xlsx)]) == 0
    wb = load_workbook(xlsx)
    wb["actions"]["J2"] = "nearly"
    wb.save(xlsx)
    capsys.readouterr()
    assert main(["plan", str(COMPANY_X), "CX-002", "--update-actions", str(xlsx),
                 "--out", str(tmp_path / "new")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and 'sheet "actions", column "status", row 2' in err
    assert not (tmp_path / "new").exists()


def test_cli_unknown_account(capsys):
    assert main(["plan", str(COMPANY_X), "CX-0001"]) == 2
    assert "CX-001" in capsys.readouterr().err
