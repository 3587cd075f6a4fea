"""Stage 5: the portfolio review reads plain result files (or builds them in process the
same way), reports what is missing per account, and recommends the next cycle."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kamkit import from_frames
from kamkit.artifacts import account_dir, read_json, result_path, write_result
from kamkit.cli import main
from kamkit.review import portfolio as review
from tests.test_evaluation import AS_OF, tiny_frames


@pytest.fixture(scope="module")
def tiny():
    return from_frames(tiny_frames(), {"currency": "EUR", "as_of": AS_OF,
                                       "key_account_managers": 1})


@pytest.fixture(scope="module")
def built(tiny):
    return review.build_results(tiny, ["A", "B"])


def _write(results: review.Results, out, keys=("A", "B")) -> None:
    """Write results as the notebooks do: one JSON file per stage and account (with
    ``keys`` as the key accounts identification selected)."""
    ident = dict(results.identification, key_accounts=[
        {"account_id": k, "name": k, "rank": i + 1, "score": 60.0, "reason": "test"}
        for i, k in enumerate(keys)])
    write_result(out, "identification", ident)
    for a in results.accounts:
        for kind in review.ACCOUNT_KINDS:
            write_result(out, kind, a.get(kind), a.account_id)


def test_in_process_results_are_what_the_files_hold(built, tmp_path):
    _write(built, tmp_path)
    read = review.read_results(tmp_path)
    assert read.source == "files" and built.source == "in_process"
    assert read.problems.empty and built.problems.empty
    assert {k: v for k, v in read.identification.items() if k != "key_accounts"} == {
        k: v for k, v in built.identification.items() if k != "key_accounts"}
    ids = [a.account_id for a in read.accounts]
    assert set(ids) == {"A", "B"}
    for a in built.accounts:
        other = read.account(a.account_id)
        for kind in review.ACCOUNT_KINDS:
            assert other.get(kind) == a.get(kind), (a.account_id, kind)


def test_missing_and_unreadable_files_are_reported_per_account(built, tmp_path):
    _write(built, tmp_path)
    folder = account_dir(tmp_path, "B")
    (folder / "dossier.json").write_text("{not json", encoding="utf-8")
    (folder / "plan.json").write_text(json.dumps({"account_id": "A"}), encoding="utf-8")
    (folder / "evaluation.json").unlink()
    stray = tmp_path / "accounts" / "stray"
    stray.mkdir()
    (stray / "plan.json").write_text("[1, 2]", encoding="utf-8")
    write_result(tmp_path, "dossier", {"account_id": "C", "stale": True}, "C")
    results = review.read_results(tmp_path)
    problems = results.problems.set_index(["account_id", "result"])["problem"].to_dict()
    assert problems == {("B", "dossier.json"): "unreadable", ("B", "plan.json"): "unreadable",
                        ("B", "evaluation.json"): "missing_file",
                        ("stray", "dossier.json"): "missing_file",
                        ("stray", "plan.json"): "unreadable",
                        ("stray", "evaluation.json"): "missing_file",
                        ("C", "plan.json"): "missing_file",
                        ("C", "evaluation.json"): "missing_file"}
    assert [a.account_id for a in results.accounts] == ["A", "B", "C"]
    detail = results.problems.set_index(["account_id", "result"])["detail"]
    assert "belongs to account 'A'" in detail[("B", "plan.json")]
    b = results.account("B")
    assert b.dossier is None and b.plan is None and b.evaluation is None
    assert results.account("C").dossier["stale"] is True


def test_a_run_folder_without_anything_is_reviewed_without_a_crash(tiny, tmp_path):
    r = review.portfolio_review(tiny, tmp_path)
    assert r.results.problems["result"].tolist() == ["identification.json"]
    assert r.health.empty and r.movement.empty and r.recommendations.empty
    assert "identification.json" in r.problems_text()
    data = review.review_data(r)
    assert data["source"] == "files" and data["problems"][0]["problem"] == "missing_file"


def test_review_of_files_with_gaps(built, tiny, tmp_path):
    _write(built, tmp_path)
    (account_dir(tmp_path, "B") / "evaluation.json").unlink()
    r = review.portfolio_review(tiny, tmp_path)
    table = r.health.set_index("account_id")
    assert table.loc["A", "health_band"] == "green"
    assert pd.isna(table.loc["B", "health_score"])
    assert table.loc["B", "missing_results"] == "evaluation.json"
    assert "B: evaluation.json missing" in r.problems_text()
    path = write_result(tmp_path, "review", review.review_data(r))
    assert read_json(path)["health"][0]["account_id"] in {"A", "B"}


# --------------------------------------------------------------------------------------
# Recommendations, on hand-made results


def _portfolio():
    ids = ["K1", "K2", "K3", "K4", "K5", "P1", "R1"]
    owners = ["Xavier", "Xavier", "Xavier", "Xavier", "Yara", "Yara", "Xavier"]
    tx = [{"date": "2026-03-01", "account_id": i, "product": "p", "product_line": "l",
           "quantity": 1, "revenue": 100.0, "cost": 50.0} for i in ids]
    return from_frames({"accounts": pd.DataFrame({"account_id": ids, "name": ids,
                                                  "owner": owners}),
                        "transactions": pd.DataFrame(tx)},
                       {"currency": "EUR", "as_of": AS_OF, "key_account_managers": 2})


def _health(score, band, trend, drives):
    return {"health": {"score": score, "band": band, "trend": trend, "components": [
        {"component": c, "drive": d, "evidence": f"{c} evidence"} for c, d in drives.items()]}}


@pytest.fixture(scope="module")
def hand_made():
    keys = [{"account_id": f"K{i}", "name": f"K{i}", "rank": i, "score": 80 - i,
             "reason": "selected"} for i in range(1, 6)]
    keys[4]["score"] = 40.0  # K5 is key by an override only
    ident = {"key_accounts": keys, "min_score": 50.0, "cap": 6,
             "potential_key": [{"account_id": "P1", "reason": "growing fast"}],
             "big_not_key": [], "overrides": [], "matrix": []}
    accounts = (
        review.AccountResults("K1", evaluation=_health(70.0, "green", 5.0, {"nps": 4.0})),
        review.AccountResults("K2", evaluation=_health(40.0, "red", -2.0, {
            "nps": -5.0, "satisfaction": -3.0, "revenue_growth": 1.0})),
        review.AccountResults("K3", evaluation=_health(55.0, "amber", -12.0, {
            "plan_attainment": -4.0})),
        review.AccountResults("K4", evaluation=_health(50.0, "amber", -9.9, {})),
        review.AccountResults("K5"),
        review.AccountResults("R1", dossier={"account_id": "R1"}),
    )
    return review.Results(ident, accounts)


def test_manager_load_from_owners_and_selection(hand_made):
    load = review.manager_load(hand_made, _portfolio())
    assert load.to_dict("records") == [
        {"manager": "Xavier", "key_accounts": 4, "held": "K1, K2, K3, K4", "room": -1},
        {"manager": "Yara", "key_accounts": 1, "held": "K5", "room": 2}]
    assert review.manager_load(hand_made, _portfolio(), per_manager=2)["room"].tolist() == [
        -2, 1]


def test_recommendations_for_the_next_cycle(hand_made):
    p = _portfolio()
    movement = pd.DataFrame(columns=["account_id", "change"])
    recs = review.recommendations(hand_made, p, movement, review.manager_load(hand_made, p))
    got = recs[["kind", "account_id"]].values.tolist()
    assert got == [["promote", "P1"], ["demote", "K5"], ["demote", "R1"],
                   ["rebalance", "K4"], ["intervene", "K2"], ["intervene", "K3"]]
    text = recs.set_index(["kind", "account_id"])["recommendation"]
    assert "hand K4 to Yara, who carries 1" in text[("rebalance", "K4")]
    assert "score of 40.0 below the minimum of 50.0" in text[("demote", "K5")]
    assert "identification does not select it" in text[("demote", "R1")]
    assert "Health is red (40.0)" in text[("intervene", "K2")]
    assert "NPS, Satisfaction" in text[("intervene", "K2")]
    assert "fell by 12.0 points" in text[("intervene", "K3")]
    evidence = recs.set_index(["kind", "account_id"])["evidence"]
    assert evidence[("promote", "P1")] == "growing fast"
    assert evidence[("intervene", "K2")] == "nps evidence satisfaction evidence"


def test_nobody_with_room_is_said(hand_made):
    p = _portfolio()
    load = review.manager_load(hand_made, p, per_manager=1)
    recs = review.recommendations(hand_made, p, pd.DataFrame(columns=["account_id", "change"]),
                                  load, per_manager=1)
    rebalance = recs[recs["kind"] == "rebalance"]
    assert rebalance["recommendation"].str.contains("no manager has room").all()


def test_key_accounts_that_left_are_demoted_and_joiners_kept():
    results = review.Results({"key_accounts": [{"account_id": "K1", "rank": 1}],
                              "potential_key": [{"account_id": "K2", "reason": "close"}]}, ())
    movement = pd.DataFrame({"account_id": ["K1", "K2", "K3"],
                             "change": ["joined", "left", "left"]})
    recs = review.recommendations(results, _portfolio(), movement,
                                  pd.DataFrame(columns=["manager", "key_accounts", "held",
                                                        "room"]))
    assert recs[["kind", "account_id"]].values.tolist() == [["demote", "K2"], ["demote", "K3"]]
    assert "may become key again" in recs.loc[0, "recommendation"]
    assert "no longer qualifies" in recs.loc[1, "recommendation"]


def test_matrix_movement_needs_identification(tiny):
    assert review.matrix_movement(review.Results(None, ()), tiny).empty


# --------------------------------------------------------------------------------------
# The command line


def test_cli_evaluate_prints_evaluation_json(capsys):
    from tests.conftest import COMPANY_X

    assert main(["evaluate", str(COMPANY_X), "CX-009", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["account_id"] == "CX-009" and data["health"]["band"] == "red"


def test_cli_evaluate_table_and_bad_weights(capsys):
    from tests.conftest import COMPANY_X

    assert main(["evaluate", str(COMPANY_X), "CX-011"]) == 0
    out = capsys.readouterr().out
    assert "Health components" in out and "Not measured:" in out
    assert main(["evaluate", str(COMPANY_X), "CX-011", "--weights", "nsp=1"]) == 2
    assert "did you mean 'nps'" in capsys.readouterr().err
    assert main(["evaluate", str(COMPANY_X), "CX-999"]) == 2


def test_cli_review_reads_a_run_folder(built, tmp_path, capsys, tiny):
    from kamkit.data.portfolio import save

    folder = save(tiny, tmp_path / "tiny", "csv")
    run = tmp_path / "run"
    _write(built, run)
    assert main(["review", str(folder), str(run), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "files" and {r["account_id"] for r in data["health"]} == {"A", "B"}
    assert main(["review", str(folder), str(tmp_path / "nowhere")]) == 2
    assert result_path(run, "review").exists() is False  # the command writes nothing
