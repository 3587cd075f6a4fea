"""``kamkit identify``: readable, CSV or JSON output of the selection; exit 2 on bad input."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from kamkit.cli import main
from tests.conftest import COMPANY_X


def run(capsys, *argv):
    code = main(["identify", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_table_output_tells_the_story(capsys):
    code, out, err = run(capsys, COMPANY_X)
    assert code == 0, err
    assert "Key accounts: 9 of at most 9 (minimum score 50)" in out
    key_part, rest = out.split("Big but not key", 1)
    assert "CX-005" in key_part and "CX-004" not in key_part
    big, maybe = rest.split("May become key", 1)
    assert "CX-004" in big and "CX-006" in maybe


def test_json_is_the_identification_result(capsys):
    code, out, _ = run(capsys, COMPANY_X, "--format", "json", "--max-key", "4")
    assert code == 0
    data = json.loads(out)
    assert data["cap"] == 4
    assert [k["account_id"] for k in data["key_accounts"]] == ["CX-001", "CX-005", "CX-002",
                                                               "CX-003"]
    assert data["matrix"]


def test_csv_lists_every_account(capsys):
    code, out, _ = run(capsys, COMPANY_X, "--format", "csv", "--weights",
                       "revenue_12m=1,strategic_role=1", "--per-manager", "2",
                       "--force-in", "CX-006=board decision", "--lean")
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert len(table) == 150 and table["selected"].sum() == 6
    row = table.set_index("account_id").loc["CX-006"]
    assert row["decision"] == "forced_in" and row["reason"] == "Forced in: board decision"


@pytest.mark.parametrize(("argv", "message"), [
    (["--weights", "revenue_12m=-1"], "weights must be 0 or more"),
    (["--weights", "revenu_12m=1"], "did you mean 'revenue_12m'"),
    (["--weights", "revenue_12m"], "write NAME=VALUE"),
    (["--weights", "revenue_12m=lots"], "must be a number"),
    (["--max-key", "0"], "max_key: a whole number of 1 or more"),
    (["--per-manager", "4"], "accounts_per_manager: a whole number from 1 to 3"),
    (["--force-in", "CX-999=why"], "Unknown account id 'CX-999'"),
    (["--force-in", "CX-006="], "write NAME=VALUE"),
])
def test_bad_parameters_exit_2_without_traceback(capsys, argv, message):
    code, out, err = run(capsys, COMPANY_X, *argv)
    assert code == 2
    assert message in err and "Traceback" not in err + out


def test_bad_data_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "nowhere")
    assert code == 2 and "there is no folder or workbook at this path" in err
