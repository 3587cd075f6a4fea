"""Real faults under a run, found by probing the merged fixes of issue 14: notebooks that
could not be written, a file system error that names no file, an input the system will
not give, a staging folder named instead of the folder asked for, and (where the system
allows mounting) a really full disk."""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
import subprocess
import uuid

import pytest

from kamkit import cli
from kamkit.cli import EXIT_FAILED, EXIT_FILES, main
from kamkit.exceptions import FileSystemError
from kamkit.run import batch
from kamkit.run.batch import RunSummary, TaskResult
from tests.pipeline import leftovers, run_args, write_pipeline

DISK_FULL = ("FileSystemError: Could not write /r/small/01_identification.html. The disk "
             "is full (or your quota is used up): free some space, or write somewhere "
             "else, and try again.")


@pytest.fixture
def pipeline(tmp_path):
    return write_pipeline(tmp_path / "notebooks")


def _summary(*errors: str) -> RunSummary:
    summary = RunSummary(pathlib.Path("/r/small"))
    summary.results = [TaskResult(f"k{i}", "01_identification", None, "failed", error=e,
                                  output="/r/small/01_identification.ipynb")
                       for i, e in enumerate(errors)]
    return summary


# --------------------------------------------------------------------------------------
# A notebook whose files the file system refused: exit code 4, not "a notebook failed"


@pytest.mark.parametrize("errors, code", [
    ((DISK_FULL,), EXIT_FILES),
    (("ValueError: no goals", DISK_FULL), EXIT_FILES),
    (("ValueError: no goals",), EXIT_FAILED),
])
def test_a_run_the_file_system_stopped_exits_with_the_files_code(monkeypatch, capsys,
                                                                   tmp_path, errors, code):
    monkeypatch.setattr(batch, "run", lambda *a, **k: _summary(*errors))
    assert main(["run", str(tmp_path), "--quiet"]) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert ("the same command completes the run" in err) == (code == EXIT_FILES)


@pytest.mark.slow
def test_a_file_where_an_account_folder_should_be_exits_4(small, tmp_path, pipeline,
                                                           capsys):
    (tmp_path / "out" / "small").mkdir(parents=True)
    (tmp_path / "out" / "small" / "accounts").write_text("x", encoding="utf-8")
    assert main(run_args(small, tmp_path / "out", pipeline, "--accounts", "A-1")) == EXIT_FILES
    err = capsys.readouterr().err
    assert "2 notebooks run, 0 unchanged and skipped, 1 failed" in err
    assert f"{tmp_path / 'out' / 'small' / 'accounts'} is a file where a folder should be" \
        in err
    assert "the same command completes the run" in err and "Traceback" not in err


def test_a_file_system_error_without_a_file_names_the_notebook(tmp_path):
    # papermill writing the executed notebook on a full disk: the OSError names no file.
    target = tmp_path / "02_needs_analysis.ipynb"
    text = batch._error_text(OSError(errno.ENOSPC, "No space left on device"), target)
    assert text.startswith(f"FileSystemError: Could not write {target}.")
    assert "disk is full" in text
    # Other errors are left as they are.
    assert batch._error_text(RuntimeError("kernel died"), target) == \
        "RuntimeError: kernel died"
    assert batch._error_text(OSError(errno.EIO, "I/O error"), target) == \
        "OSError: [Errno 5] I/O error"


# --------------------------------------------------------------------------------------
# An input the system will not give: exit code 4 (as README says), from every command


def _refuse_transactions(monkeypatch):
    # The tests may run as root, for whom chmod 000 hides nothing: refuse the read instead.
    read_bytes = pathlib.Path.read_bytes

    def refuse(self):
        if self.name == "transactions.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)


@pytest.mark.parametrize("command", [["validate"], ["identify"], ["dossier", "A-1"]])
def test_an_unreadable_input_exits_with_the_files_code(small, monkeypatch, capsys, command):
    _refuse_transactions(monkeypatch)
    assert main([command[0], str(small), *command[1:]]) == EXIT_FILES
    err = capsys.readouterr().err
    assert "transactions.csv" in err and "Permission denied" in err
    assert "Traceback" not in err


def test_an_unreadable_input_stops_a_run_with_the_files_code(small, tmp_path, pipeline,
                                                             monkeypatch, capsys):
    _refuse_transactions(monkeypatch)
    assert main(run_args(small, tmp_path / "out", pipeline)) == EXIT_FILES
    assert "transactions.csv" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_invalid_data_still_exits_2(make_portfolio):
    bad = make_portfolio({"transactions.csv": "date,account_id\n2026-01-01,A-1\n"})
    assert main(["validate", str(bad), "--quiet"]) == cli.EXIT_DATA


# --------------------------------------------------------------------------------------
# The workshop's staging folder: the message names the folder asked for


def test_the_workshop_names_its_folder_not_the_staging_folder(tmp_path, monkeypatch):
    from kamkit.workshop import editions

    def read_only(prefix="", suffix="", dir=None):
        raise OSError(errno.EROFS, "Read-only file system", f"{dir}/{prefix}abc{suffix}")

    monkeypatch.setattr(editions.tempfile, "mkdtemp", read_only)
    out = tmp_path / "ws"
    with pytest.raises(FileSystemError) as info, editions._staging(out, force=False):
        pass
    assert info.value.path == str(out) and ".tmp" not in str(info.value)
    assert "read-only" in str(info.value)


# --------------------------------------------------------------------------------------
# A really full disk, where the system lets the test mount one


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs mounted under tmp_path; skips where mounting is not permitted."""
    mount = shutil.which("mount")
    if os.name != "posix" or os.geteuid() != 0 or not mount:
        pytest.skip("mounting a small disk needs root and mount(8)")
    point = tmp_path / f"disk-{uuid.uuid4().hex[:8]}"
    point.mkdir()
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "size=3M", "tmpfs", str(point)],
                          capture_output=True, check=False)
    if done.returncode:
        pytest.skip("mount is not permitted here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


def _fill(folder: pathlib.Path) -> None:
    """Write into ``folder`` until its disk has no room left."""
    with open(folder / "fill", "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@pytest.mark.slow
def test_a_really_full_disk_exits_4_leaves_nothing_half_written_and_resumes(
        small, pipeline, small_disk, capsys):
    out = small_disk / "out"
    (out / "small").mkdir(parents=True)
    _fill(small_disk)
    assert main(run_args(small, out, pipeline, "--accounts", "A-1")) == EXIT_FILES
    err = capsys.readouterr().err
    assert "Traceback" not in err and "[Errno" not in err
    assert "disk is full" in err and str(out / "small") in err
    assert "the same command completes the run" in err
    assert leftovers(out) == []
    (small_disk / "fill").unlink()
    assert main(run_args(small, out, pipeline, "--accounts", "A-1")) == 0
    assert (out / "small" / "index.html").exists() and leftovers(out) == []


# --------------------------------------------------------------------------------------
# A notebooks folder without the pipeline's notebooks is a wrong argument (exit code 2)


def test_a_notebooks_folder_without_notebooks_is_a_wrong_argument(small, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (empty, tmp_path / "missing"):
        assert main(run_args(small, tmp_path / "out", folder)) == cli.EXIT_DATA
        err = capsys.readouterr().err
        assert f"notebooks: No notebook of the pipeline is in {folder}." in err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------------------
# Output piped into a reader that stops early (kamkit identify | head)


class _ClosedPipe:
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        pass

    def isatty(self):
        return False


def test_a_closed_pipe_ends_quietly(small, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert main(["dossier", str(small), "A-1"]) == cli.EXIT_PIPE == 141
    assert capsys.readouterr().err == ""


def test_a_real_closed_pipe_ends_quietly(small):
    import sys

    env = dict(os.environ, PYTHONPATH=str(pathlib.Path(__file__).resolve().parents[1]))
    proc = subprocess.Popen([sys.executable, "-m", "kamkit", "identify", str(small),
                             "--max-key", "2", "--format", "json"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


# --------------------------------------------------------------------------------------
# A run folder inside the portfolio's folder (kamkit run . from within it)


def test_the_run_folder_does_not_count_as_portfolio_data(small, tmp_path):
    before = batch._tree_digest(small)
    (small / "reports" / "small").mkdir(parents=True)
    (small / "reports" / "small" / "index.html").write_text("<html>", encoding="utf-8")
    assert batch._tree_digest(small, skip=small / "reports" / "small") == before
    assert batch._tree_digest(small) != before  # anything else there still counts


@pytest.mark.slow
def test_a_second_run_into_the_portfolio_folder_skips_what_is_done(small, pipeline, capsys):
    args = run_args(small, small / "reports", pipeline, "--accounts", "A-1")
    assert main(args) == 0
    assert main(args) == 0
    assert "0 notebooks run, 3 unchanged and skipped, 0 failed" in capsys.readouterr().out


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04not a workbook", b"\x00\x01 random"])
def test_a_broken_workbook_is_invalid_data_not_a_file_error(tmp_path, content, capsys):
    book = tmp_path / "portfolio.xlsx"
    book.write_bytes(content)
    assert main(["validate", str(book)]) == cli.EXIT_DATA
    assert "expected an .xlsx workbook" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# SIGTERM (kill, a CI timeout, docker stop) ends a command as Ctrl+C does


def test_sigterm_ends_a_run_like_ctrl_c(tmp_path, monkeypatch, capsys):
    import signal
    import threading

    stopped = threading.Event()

    def run(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        try:
            stopped.wait(60)  # the handler raises here, in the main thread
        finally:
            stopped.set()
        raise AssertionError("SIGTERM did not stop the run")

    monkeypatch.setattr(batch, "run", run)
    before = signal.getsignal(signal.SIGTERM)
    assert main(["run", str(tmp_path), "--quiet"]) == 128 + signal.SIGTERM
    assert "Interrupted." in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is before  # restored for the next caller
