"""The runner's processes: nothing from the working folder runs, kernels end with their
notebook, nothing of a run outlives it (kill -9 of the main process included), and no
temporary folder is left behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from kamkit.run.batch import run
from kamkit.run.kernels import fork_supported
from tests.conftest import SMALL, write_portfolio
from tests.pipeline import STAGES, write_pipeline

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="reads /proc")]

KAMKIT = Path(sys.executable).with_name("kamkit")

#: Standard modules a Python process or the runner imports; a copy of each in the
#: working folder records that it ran.
SHADOWS = ("json", "socket", "selectors", "signal", "pandas", "papermill", "nbformat",
           "uuid", "tempfile", "zmq")


def _processes() -> dict[int, tuple[int, int]]:
    """Every live process: pid -> (parent pid, session id); zombies left out."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            found[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return found


def _run_processes(main: int, known: set[int] = frozenset()) -> set[int]:
    """The run's processes still alive: ``main``'s session, its descendants, and any of
    ``known`` (seen earlier, perhaps adopted by another parent since)."""
    table = _processes()
    found = {pid for pid, (_ppid, sid) in table.items() if sid == main}
    found |= {pid for pid in known if pid in table}
    if main in table:
        found.add(main)
    grew = True
    while grew:
        more = {pid for pid, (ppid, _sid) in table.items() if ppid in found} - found
        found |= more
        grew = bool(more)
    return found


@pytest.fixture
def temp():
    """A temporary folder for the run (``TMPDIR``), short enough that the run keeps its
    private folder there (socket paths are limited to 107 bytes); removed afterwards."""
    import shutil

    folder = Path(tempfile.mkdtemp(prefix="kt-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _kernel_dirs(temp: Path) -> set[str]:
    return {p.name for p in temp.iterdir() if p.name.startswith(("kk-", "kamkit-"))}


def _command(portfolio: Path, out: Path, notebooks: Path, *extra: str) -> list[str]:
    """``kamkit run`` as a user types it (the console script, not ``python -m``)."""
    exe = str(KAMKIT) if KAMKIT.exists() else None
    head = [exe] if exe else [sys.executable, "-P", "-m", "kamkit"]
    return [*head, "run", str(portfolio), "--out", str(out), "--notebooks", str(notebooks),
            "--quiet", *extra]


def _env(temp: Path) -> dict[str, str]:
    env = dict(os.environ, TMPDIR=str(temp))
    return env


def test_nothing_from_the_working_folder_runs(small, tmp_path, temp):
    pipeline = write_pipeline(tmp_path / "notebooks")
    work = tmp_path / "work"
    work.mkdir()
    marks = tmp_path / "marks"
    marks.mkdir()
    for name in SHADOWS:
        (work / f"{name}.py").write_text(
            f"open({str(marks / name)!r}, 'w').close()\n"
            f"raise ImportError('the working folder copy of {name} ran')\n")
    done = subprocess.run(_command(small, tmp_path / "out", pipeline, "--workers", "2"),
                          cwd=work, env=_env(temp), capture_output=True, text=True,
                          timeout=300)
    assert sorted(p.name for p in marks.iterdir()) == []
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 dossiers" in nbformat.read(
        str(tmp_path / "out/small/05_portfolio_review.ipynb"), as_version=4
    ).cells[-1].outputs[0]["text"]


def _portfolio(tmp_path: Path, n: int) -> tuple[Path, list[str]]:
    ids = [f"C{i:02d}" for i in range(n)]
    rows = "".join(f"{i},Customer {i},x,PL,,2020,1,1,1,basic,,\n" for i in ids)
    tx = "".join(f"2026-01-{k % 28 + 1:02d},{i},invoice,P,l,1,10,5\n"
                 for k, i in enumerate(ids))
    folder = write_portfolio(tmp_path / f"p{n}", {
        "accounts.csv": SMALL["accounts.csv"].split("\n", 1)[0] + "\n" + rows,
        "transactions.csv": SMALL["transactions.csv"].split("\n", 1)[0] + "\n" + tx,
        "meta.csv": SMALL["meta.csv"]})
    return folder, ids


@pytest.mark.skipif(not fork_supported(), reason="kernel processes are forked on Linux")
def test_kernels_end_with_their_notebook_and_leave_no_folder(tmp_path, temp):
    """Twelve notebooks on two workers: never more than a few processes at once, and
    after the run no process of it and no temporary folder."""
    pipeline = write_pipeline(tmp_path / "notebooks", sleep=0.3)
    portfolio, ids = _portfolio(tmp_path, 12)
    proc = subprocess.Popen(_command(portfolio, tmp_path / "out", pipeline, "--workers", "2",
                                     "--accounts", *ids),
                            env=_env(temp), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, seen = 0, set()
    try:
        while proc.poll() is None:
            alive = _run_processes(proc.pid)
            seen |= alive
            peak = max(peak, len(alive))
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    out, err = proc.communicate()
    assert proc.returncode == 0, out + err
    # main, kernel template, multiprocessing's resource tracker,
    # two workers and at most one kernel per worker (plus one being reaped).
    assert peak <= 9, f"{peak} processes alive at once for 2 workers"
    deadline = time.monotonic() + 10
    while _run_processes(proc.pid, seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _run_processes(proc.pid, seen) == set()
    assert _kernel_dirs(temp) == set(), sorted(temp.iterdir())
    assert sorted(p.name for p in temp.iterdir()) == []


def test_kill_9_of_the_main_process_ends_the_whole_run(tmp_path, temp):
    pipeline = write_pipeline(tmp_path / "notebooks", sleep=2.0)
    portfolio, ids = _portfolio(tmp_path, 8)
    out = tmp_path / "out"
    proc = subprocess.Popen(_command(portfolio, out, pipeline, "--workers", "2",
                                     "--accounts", *ids),
                            env=_env(temp), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Wait until notebooks are running: the run's kernels sleep in their notebooks.
        deadline = time.monotonic() + 120
        seen: set[int] = set()
        while time.monotonic() < deadline:
            seen |= _run_processes(proc.pid)
            if len(_run_processes(proc.pid)) >= 6 and list((out / "p8").rglob(
                    ".*.partial.ipynb")):
                break
            time.sleep(0.05)
        else:
            pytest.fail("the run did not start its notebooks")
        assert _kernel_dirs(temp), "the run keeps its private folder in TMPDIR"
        alive_before = _run_processes(proc.pid, seen)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 15
        while _run_processes(proc.pid, alive_before) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = _run_processes(proc.pid, alive_before)
        assert survivors == set(), f"{len(survivors)} of {len(alive_before)} survived"
        # ... and nothing runs any more: no notebook is finished after the kill.
        stamps = sorted((out / "p8/.kamkit/done").glob("*.json"))
        time.sleep(3)
        assert sorted((out / "p8/.kamkit/done").glob("*.json")) == stamps
        # The template removes the run's private folder on its way out.
        deadline = time.monotonic() + 15
        while list(temp.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(p.name for p in temp.iterdir()) == []
    finally:
        for pid in _run_processes(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_the_in_process_runner_leaves_no_temporary_folder(small, tmp_path, temp,
                                                         monkeypatch):
    """The Python API too: the run's private folder is gone when run() returns."""
    pipeline = write_pipeline(tmp_path / "notebooks")
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    summary = run(small, tmp_path / "out", notebooks=pipeline, stages=STAGES, workers=2,
                  quiet=True)
    assert summary.ok, summary.render()
    assert sorted(p.name for p in temp.iterdir()) == []


@pytest.mark.timeout(60)
@pytest.mark.skipif(not fork_supported(), reason="kernel processes are forked on Linux")
def test_the_template_ends_a_kernel_that_has_not_made_its_group_yet():
    """The owner may die just after a fork, before the new kernel leads its own process
    group: the template must still kill it, and never wait for it forever."""
    from kamkit.run.kernels import _end_kernels

    pid = os.fork()
    if pid == 0:  # a kernel-to-be that has not called setpgid yet
        try:
            while True:
                signal.pause()
        finally:
            os._exit(0)
    try:
        assert os.getpgid(pid) != pid
        _end_kernels({pid})
        assert not Path(f"/proc/{pid}").exists()  # killed and reaped
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
