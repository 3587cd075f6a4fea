"""The scale benchmark runs, and DuckDB's SQL selects what kamkit selects (no timing here)."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import available
from benchmarks.__main__ import main as benchmarks_main
from benchmarks.identification import main


def test_benchmark_is_listed(capsys):
    assert "identification" in available()
    assert benchmarks_main([]) == 0
    assert "identification" in capsys.readouterr().out
    assert benchmarks_main(["nope"]) == 2


@pytest.mark.slow
def test_small_run_agrees_with_duckdb(tmp_path, capsys):
    assert main(["--accounts", "400", "--repeat", "1", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "same key accounts and scores in both: yes" in out
    assert "ratio kamkit / duckdb:" in out
