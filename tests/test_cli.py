"""The kamkit command: exit codes, messages without tracebacks, nothing overwritten."""

from __future__ import annotations

import pytest

from kamkit.cli import main
from tests.conftest import SMALL


def test_validate_valid_portfolio_prints_summary(small, capsys):
    assert main(["validate", str(small)]) == 0
    out = capsys.readouterr().out
    assert "Portfolio: Small" in out
    assert "Revenue, last 12 months: 7,280 EUR" in out
    assert f"Valid: {small}" in out


def test_validate_invalid_portfolio_exits_2_without_traceback(make_portfolio, capsys):
    path = make_portfolio({"accounts.csv": SMALL["accounts.csv"].replace("cooperative", "pal")})
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert 'accounts.csv, column "relationship_stage", row 2' in captured.err


def test_validate_missing_path(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert "there is no folder or workbook at this path" in capsys.readouterr().err


def test_validate_quiet_prints_errors_only(make_portfolio, capsys):
    path = make_portfolio({"transactions.csv": SMALL["transactions.csv"].replace(
        "1800.50", "x")})
    assert main(["validate", "--quiet", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Notes:" not in err and "not_a_number" not in err and '"x"' in err


def test_template_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "tpl"
    assert main(["template", "--out", str(out)]) == 0
    (out / "accounts.csv").write_text("my data\n", encoding="utf-8")
    assert main(["template", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (out / "accounts.csv").read_text(encoding="utf-8") == "my data\n"
    assert main(["template", "--out", str(out), "--force"]) == 0
    assert (out / "accounts.csv").read_text(encoding="utf-8").startswith("account_id,name")


def test_xlsx_template_has_instructions_and_a_sheet_per_table(tmp_path):
    from openpyxl import load_workbook

    from kamkit.data.schema import SCHEMAS

    book = tmp_path / "t.xlsx"
    assert main(["template", "--out", str(book), "--format", "xlsx"]) == 0
    wb = load_workbook(book)
    assert wb.sheetnames == ["instructions", *SCHEMAS]
    assert [c.value for c in wb["goals"][1]] == SCHEMAS["goals"].names


def test_unknown_language_is_refused(small):
    with pytest.raises(SystemExit) as info:
        main(["validate", str(small), "--language", "xx"])
    assert info.value.code == 2
