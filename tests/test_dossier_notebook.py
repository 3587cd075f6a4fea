"""notebooks/02_needs_analysis.ipynb: its committed parameters.

The notebook is run by papermill for every Company X key account (and for the story's
accounts with thin data) in tests/test_pipeline.py, through ``kamkit run``.
"""

from __future__ import annotations

import json

from kamkit.data import synth
from kamkit.run.notebooks import read_parameters
from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "02_needs_analysis.ipynb"
STORY = json.loads(synth.STORY_PATH.read_text(encoding="utf-8"))


def key_candidates() -> list[str]:
    """The Company X accounts stage 2 is run for.

    Until ``kamkit.identification.selection`` lands this is the case study's list of credible
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
