"""The whole pipeline on Company X: all five notebooks in a batch run, health on the index.

One run of ``kamkit.batch.run`` with two workers: identification, the dossier, plan and
evaluation of every selected key account, then the portfolio review from the files they
wrote. The run must succeed, every key account must have its ``evaluation.json``, the
review must have read them (not rebuilt them), and ``index.html`` must show each
account's health band.
"""

from __future__ import annotations

import pytest

from kamkit.artifacts import read_json, result_path
from kamkit.batch import run
from tests.conftest import COMPANY_X

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def company_x_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch-evaluation")
    return run(COMPANY_X, out, workers=2, quiet=True)


def test_all_five_notebooks_complete(company_x_run):
    summary = company_x_run
    assert summary.ok, summary.render()
    stages = {r.stage for r in summary.results}
    assert stages == {"01_identification", "02_needs_analysis", "03_account_plan",
                      "04_evaluation", "05_portfolio_review"}


def test_every_key_account_is_evaluated_and_reviewed_from_the_files(company_x_run):
    run_dir = company_x_run.run_dir
    keys = [a["account_id"] for a in read_json(result_path(run_dir, "identification"))[
        "key_accounts"]]
    assert len(keys) == 9
    bands = {}
    for key in keys:
        data = read_json(result_path(run_dir, "evaluation", key))
        assert data["account_id"] == key
        assert {"score", "band", "trend", "components"} <= set(data["health"])
        bands[key] = data["health"]["band"]
    assert set(bands.values()) <= {"red", "amber", "green"}
    assert bands["CX-001"] == "green" and bands["CX-009"] == "red"
    rv = read_json(result_path(run_dir, "review"))
    assert rv["source"] == "files" and rv["problems"] == []
    assert [h["account_id"] for h in rv["health"]] == keys
    assert {h["account_id"]: h["health_band"] for h in rv["health"]} == bands
    assert {r["kind"] for r in rv["recommendations"]} >= {"promote", "rebalance"}


def test_index_shows_the_health_bands(company_x_run):
    page = (company_x_run.run_dir / "index.html").read_text(encoding="utf-8")
    for label in ("Green", "Amber", "Red"):
        assert f"<td>{label}</td>" in page
