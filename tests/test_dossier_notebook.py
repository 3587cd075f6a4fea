"""notebooks/02_needs_analysis.ipynb, run by papermill for every Company X key candidate.

Each run gets its own ``output_dir`` under ``tmp_path`` and must write a valid
``dossier.json`` whose flags are the story's. The runs share two worker threads (CI has
two cores). papermill changes the working directory when given ``cwd``, which is not
thread-safe, so the portfolio is passed as an absolute path instead.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kamkit import dossier, synth
from kamkit.artifacts import result_path
from kamkit.notebooks import read_parameters
from tests.conftest import COMPANY_X, ROOT

NOTEBOOK = ROOT / "notebooks" / "02_needs_analysis.ipynb"
STORY = json.loads(synth.STORY_PATH.read_text(encoding="utf-8"))
WORKERS = 2


def key_candidates() -> list[str]:
    """The Company X accounts stage 2 is run for.

    Until ``kamkit.identification`` lands this is the case study's list of credible
    candidates (docs/case-study.md): every story account except the one that does not
    accept key status (the distributor CX-004). To switch, return the accounts that
    identification selects (and names as potential key accounts) for Company X.
    """
    return [a["account_id"] for a in STORY["accounts"]
            if a.get("accepts_key_status") is not False]


def test_candidates_are_the_fourteen_of_the_case_study():
    candidates = key_candidates()
    assert len(candidates) == 14 and "CX-004" not in candidates


def test_committed_notebook_shows_a_key_candidate():
    params = read_parameters(NOTEBOOK)
    assert params["account_id"] in key_candidates()
    assert params["output_dir"] is None and params["portfolio"] == "../datasets/company_x"


def _run(account_id: str, root: Path) -> dict:
    import papermill

    out = root / account_id
    papermill.execute_notebook(
        str(NOTEBOOK), str(root / f"{account_id}.ipynb"),
        parameters={"portfolio": str(COMPANY_X), "account_id": account_id,
                    "output_dir": str(out), "language": "en"},
        kernel_name="python3", progress_bar=False, log_output=False)
    return json.loads(result_path(out, "dossier", account_id).read_text(encoding="utf-8"))


@pytest.mark.slow
def test_notebook_runs_for_every_key_candidate(tmp_path):
    candidates = key_candidates()
    with ThreadPoolExecutor(WORKERS) as pool:
        results = dict(zip(candidates, pool.map(lambda a: _run(a, tmp_path), candidates),
                           strict=True))
    cast = {a["account_id"]: a for a in STORY["accounts"]}
    for account_id, data in results.items():
        assert data["account_id"] == account_id
        for key in ("name", "revenue_12m", "margin_rate", "share_of_wallet", "opportunity",
                    "last_review", "stale", "missing_sections", "flags"):
            assert key in data, (account_id, key)
        assert set(data["opportunity"]) == {"1", "3", "5"}
        assert data["revenue_12m"] > 0
        codes = [f["code"] for f in data["flags"]]
        assert set(codes) == set(cast[account_id]["flags"]) & set(dossier.FLAG_CODES), \
            account_id
        for flag in data["flags"]:
            assert flag["message"] and isinstance(flag["evidence"], dict)
        assert data["stale"] == ("stale_dossier" in codes)
    assert results["CX-011"]["missing_sections"] == [
        "wallet", "opportunities", "contacts", "competitors", "needs", "swot"]
