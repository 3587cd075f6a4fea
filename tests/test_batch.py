"""The batch runner: parallel, incremental, resumable, isolating failures, writing safely."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from kamkit.artifacts import account_dir, account_slug
from kamkit.cli import main
from kamkit.run.batch import RunSummary, run
from tests.conftest import ROOT, SMALL, write_portfolio
from tests.pipeline import STAGES, write_pipeline

pytestmark = pytest.mark.slow


@pytest.fixture
def pipeline(tmp_path):
    return write_pipeline(tmp_path / "notebooks")


def _run(portfolio, out, notebooks, **kw) -> RunSummary:
    kw.setdefault("workers", 2)
    kw.setdefault("quiet", True)
    return run(portfolio, out, notebooks=notebooks, stages=STAGES, **kw)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_run_writes_every_page_and_the_index(small, tmp_path, pipeline):
    summary = _run(small, tmp_path / "out", pipeline)
    assert summary.ok, summary.render()
    assert summary.count("done") == 5  # identification, 3 accounts, review
    run_dir = tmp_path / "out" / "small"
    for account in ("A-1", "A-2", "A-3"):
        folder = account_dir(run_dir, account)
        assert (folder / "02_needs_analysis.ipynb").exists()
        assert (folder / "02_needs_analysis.html").exists()
    review = nbformat.read(str(run_dir / "05_portfolio_review.ipynb"), as_version=4)
    assert "3 dossiers" in review.cells[-1].outputs[0]["text"]
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="accounts/A-1/02_needs_analysis.html"' in index
    assert "Энергомаш" in index and "پارس پزشکی" in index


def test_html_pages_hide_code_and_carry_the_language(small, tmp_path, pipeline):
    _run(small, tmp_path / "out", pipeline, language="fa")
    page = (tmp_path / "out/small/accounts/A-3/02_needs_analysis.html").read_text("utf-8")
    assert '<html lang="fa" dir="rtl">' in page
    assert "write_json(account_dir" not in page  # the code is hidden
    assert "پارس پزشکی" in page  # the output is there


def test_executed_notebooks_hold_no_timings_or_machine_paths(small, tmp_path, pipeline):
    _run(small, tmp_path / "out", pipeline)
    text = (tmp_path / "out/small/accounts/A-1/02_needs_analysis.ipynb").read_text("utf-8")
    assert str(tmp_path) not in text
    assert "start_time" not in text and "duration" not in text
    nb = nbformat.reads(text, as_version=4)
    assert nb.metadata["papermill"]["parameters"]["account_id"] == "A-1"


def test_second_run_skips_unchanged_work(small, tmp_path, pipeline):
    _run(small, tmp_path / "out", pipeline)
    before = _snapshot(tmp_path / "out")
    again = _run(small, tmp_path / "out", pipeline)
    assert again.count("skipped") == 5 and again.count("done") == 0
    after = _snapshot(tmp_path / "out")
    assert {k: v for k, v in after.items() if k != "small/index.html"} == {
        k: v for k, v in before.items() if k != "small/index.html"}


def test_changed_data_reruns_and_force_reruns(small, tmp_path, pipeline):
    _run(small, tmp_path / "out", pipeline)
    (small / "transactions.csv").write_text(
        SMALL["transactions.csv"] + "2026-06-01,A-1,invoice,PSU-600,power supplies,1,520,360\n",
        encoding="utf-8")
    assert _run(small, tmp_path / "out", pipeline).count("done") == 5
    assert _run(small, tmp_path / "out", pipeline).count("skipped") == 5
    assert _run(small, tmp_path / "out", pipeline, force=True).count("done") == 5


def test_changed_notebook_reruns_only_its_tasks(small, tmp_path, pipeline):
    _run(small, tmp_path / "out", pipeline)
    path = pipeline / "05_portfolio_review.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print('more')"))
    nbformat.write(nb, str(path))
    again = _run(small, tmp_path / "out", pipeline)
    assert [r.stage for r in again.results if r.status == "done"] == ["05_portfolio_review"]


def test_failure_is_isolated_kept_and_reported(make_portfolio, tmp_path, pipeline, capsys):
    accounts = SMALL["accounts.csv"] + "A-FAIL,Broken Ltd,x,PL,,2020,1,1,1,basic,,\n"
    portfolio = make_portfolio({"accounts.csv": accounts})
    summary = _run(portfolio, tmp_path / "out", pipeline, accounts=["A-1", "A-FAIL", "A-2"])
    assert not summary.ok
    assert [r.account_id for r in summary.failed] == ["A-FAIL"]
    assert summary.failed[0].error == "ValueError: deliberate failure for A-FAIL"
    assert "FAILED A-FAIL (Broken Ltd): 02_needs_analysis: ValueError" in summary.render()
    run_dir = tmp_path / "out" / portfolio.name
    assert (account_dir(run_dir, "A-1") / "dossier.json").exists()
    assert (account_dir(run_dir, "A-2") / "dossier.json").exists()
    failed = nbformat.read(str(account_dir(run_dir, "A-FAIL") / "02_needs_analysis.ipynb"),
                           as_version=4)
    marked = [c for c in failed.cells if "papermill-error-cell" in c.source]
    assert marked, "the failing cell is marked"
    assert "Failures" in (run_dir / "index.html").read_text("utf-8")
    # The failed task is not stamped: the next run tries it again, the others are skipped.
    again = _run(portfolio, tmp_path / "out", pipeline, accounts=["A-1", "A-FAIL", "A-2"])
    assert {r.account_id: r.status for r in again.results if r.account_id} == {
        "A-1": "skipped", "A-FAIL": "failed", "A-2": "skipped"}


def test_cli_exit_codes(make_portfolio, tmp_path, pipeline, capsys):
    accounts = SMALL["accounts.csv"] + "A-FAIL,Broken Ltd,x,PL,,2020,1,1,1,basic,,\n"
    portfolio = make_portfolio({"accounts.csv": accounts})
    args = ["run", str(portfolio), "--out", str(tmp_path / "out"), "--notebooks",
            str(pipeline), "--quiet", "--workers", "2"]
    assert main([*args, "--accounts", "A-1", "A-FAIL"]) == 1
    err = capsys.readouterr().err
    assert "FAILED A-FAIL (Broken Ltd)" in err and "Traceback" not in err
    assert main([*args, "--accounts", "A-1"]) == 0
    assert main([*args, "--accounts", "NOPE"]) == 2
    assert "Unknown account id 'NOPE'" in capsys.readouterr().err


def test_unknown_account_is_a_data_error(small, tmp_path, pipeline):
    from kamkit.exceptions import UnknownAccountError

    with pytest.raises(UnknownAccountError, match="A-1"):
        _run(small, tmp_path / "out", pipeline, accounts=["A-9"])


def test_invalid_portfolio_runs_nothing(make_portfolio, tmp_path, pipeline):
    from kamkit.exceptions import PortfolioValidationError

    bad = make_portfolio({"accounts.csv": SMALL["accounts.csv"].replace("cooperative", "?")})
    with pytest.raises(PortfolioValidationError):
        _run(bad, tmp_path / "out", pipeline)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.ipynb"))


UNSAFE = ["../escape", "a/b", "x y", 'quote"s', "<script>alert(1)</script>", "پارس-۱",
          "Мега", "..", "CON"]


def test_unsafe_ids_stay_inside_the_run_folder(tmp_path, pipeline):
    rows = "".join(f'"{i.replace(chr(34), chr(34) * 2)}",Name {n},x,PL,,2020,1,1,1,basic,,\n'
                   for n, i in enumerate(UNSAFE))
    tx = "".join(f'2026-01-{n + 1:02d},"{i.replace(chr(34), chr(34) * 2)}",invoice,P,l,1,10,5\n'
                 for n, i in enumerate(UNSAFE))
    portfolio = write_portfolio(tmp_path / "data" / "p", {
        "accounts.csv": SMALL["accounts.csv"].split("\n", 1)[0] + "\n" + rows,
        "transactions.csv": SMALL["transactions.csv"].split("\n", 1)[0] + "\n" + tx,
        "meta.csv": SMALL["meta.csv"]})
    before_data = _snapshot(tmp_path / "data")
    out = tmp_path / "work" / "out"
    summary = _run(portfolio, out, pipeline, accounts=UNSAFE)
    assert summary.ok, summary.render()
    run_dir = (out / "p").resolve()
    written = [p.resolve() for p in tmp_path.rglob("*") if p.is_file()]
    outside = [p for p in written if not p.is_relative_to(run_dir)
               and not p.is_relative_to((tmp_path / "data").resolve())
               and not p.is_relative_to(pipeline.resolve())]
    assert outside == []
    assert _snapshot(tmp_path / "data") == before_data
    slugs = {account_slug(i) for i in UNSAFE}
    assert len(slugs) == len(UNSAFE)
    assert {p.name for p in (run_dir / "accounts").iterdir()} == slugs
    index = (run_dir / "index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index


@pytest.mark.parametrize("round_", range(3))
def test_sixteen_notebooks_start_at_once(tmp_path, pipeline, round_):
    ids = [f"C{i:02d}" for i in range(16)]
    rows = "".join(f"{i},Customer {i},x,PL,,2020,1,1,1,basic,,\n" for i in ids)
    tx = "".join(f"2026-01-{n + 1:02d},{i},invoice,P,l,1,10,5\n" for n, i in enumerate(ids))
    portfolio = write_portfolio(tmp_path / "p16", {
        "accounts.csv": SMALL["accounts.csv"].split("\n", 1)[0] + "\n" + rows,
        "transactions.csv": SMALL["transactions.csv"].split("\n", 1)[0] + "\n" + tx,
        "meta.csv": SMALL["meta.csv"]})
    summary = _run(portfolio, tmp_path / "out", pipeline, accounts=ids, workers=16)
    assert summary.ok, summary.render()
    assert summary.count("done") == 18


def test_interrupted_run_completes_on_restart(small, tmp_path, pipeline):
    """Kill a run in the middle (SIGKILL: no clean-up at all), start again, finish."""
    out = tmp_path / "out"
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from kamkit.run.batch import run\n"
        "from tests.pipeline import STAGES\n"
        "if __name__ == '__main__':\n"
        f"    run({str(small)!r}, {str(out)!r}, notebooks={str(pipeline)!r},\n"
        "        stages=STAGES, workers=1, quiet=True)\n"
    )
    nb = nbformat.read(str(pipeline / "02_needs_analysis.ipynb"), as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace("sleep = 0.0", "sleep = 1.0")
    nbformat.write(nb, str(pipeline / "02_needs_analysis.ipynb"))
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path,
                            start_new_session=True)
    run_dir = out / "small"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if list(run_dir.glob("accounts/*/dossier.json")):
            break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    summary = _run(small, out, pipeline)
    assert summary.ok, summary.render()
    assert summary.count("skipped") >= 1  # identification (and maybe an account) was kept
    assert not list(run_dir.rglob("*.partial.ipynb")) and not list(run_dir.rglob(".*.tmp"))
    for path in run_dir.rglob("*.ipynb"):
        nbformat.read(str(path), as_version=4)  # every notebook on disk is whole
    for path in run_dir.rglob("*.json"):
        json.loads(path.read_text("utf-8"))


def test_dask_cluster_runs_the_same_tasks(small, tmp_path, pipeline):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        summary = _run(small, tmp_path / "out", pipeline, scheduler=cluster.scheduler_address)
    assert summary.ok, summary.render()
    assert summary.count("done") == 5
    assert (tmp_path / "out/small/accounts/A-2/dossier.json").exists()


def test_scopes_and_statuses_are_fixed_vocabularies():
    from kamkit.exceptions import ParameterError
    from kamkit.run.batch import Scope, Stage, Status, TaskResult

    assert Stage("02_needs_analysis.ipynb", "account").scope is Scope.ACCOUNT
    with pytest.raises(ParameterError, match="portfolio, account, review"):
        Stage("02_needs_analysis.ipynb", "weekly")
    result = TaskResult("k", "02_needs_analysis", "A-1", "failed")
    assert result.status is Status.FAILED
    assert json.loads(json.dumps(dataclasses.asdict(result)))["status"] == "failed"
    with pytest.raises(ValueError):
        TaskResult("k", "02_needs_analysis", "A-1", "half-done")
