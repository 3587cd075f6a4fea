"""What a run says when things go wrong: files it cannot write or read, failing cells,
control characters in the data, and the exit codes of the command (issue 14, points 5
and 8)."""

from __future__ import annotations

import errno
import json
import pathlib
import re

import nbformat
import pytest

from kamkit.artifacts import atomic_write, visible_controls
from kamkit.cli import EXIT_BUSY, EXIT_DATA, EXIT_FAILED, EXIT_FILES, main
from kamkit.exceptions import FileSystemError, ParameterError
from kamkit.reports import html
from kamkit.run import batch
from kamkit.run.batch import Stage, run
from tests.conftest import SMALL
from tests.pipeline import STAGES, leftovers, notebook, run_args, write_pipeline


@pytest.fixture
def pipeline(tmp_path):
    return write_pipeline(tmp_path / "notebooks")


def _disk_full(monkeypatch, module, name: str) -> None:
    """Make ``module``'s atomic_write fail as on a full disk when it writes ``name``."""
    def full(target, write):
        def write_until_full(tmp):
            if pathlib.Path(target).name == name:
                tmp.write_text("half a fi", encoding="utf-8")
                raise OSError(errno.ENOSPC, "No space left on device", str(tmp))
            write(tmp)
        return atomic_write(target, write_until_full)

    monkeypatch.setattr(module, "atomic_write", full)


# --------------------------------------------------------------------------------------
# Point 5: files that cannot be written or read


def test_atomic_write_names_the_file_and_leaves_nothing_on_a_full_disk(tmp_path):
    def fill(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp))

    with pytest.raises(FileSystemError) as info:
        atomic_write(tmp_path / "out" / "index.html", fill)
    message = str(info.value)
    assert str(tmp_path / "out" / "index.html") in message and ".tmp" not in message
    assert "disk is full" in message
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.slow
def test_disk_full_at_the_index_reports_what_ran_and_the_next_run_completes(
        small, tmp_path, pipeline, monkeypatch, capsys):
    _disk_full(monkeypatch, html, "index.html")
    out = tmp_path / "out"
    assert main(run_args(small, out, pipeline, "--accounts", "A-1")) == EXIT_FILES
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "3 notebooks run, 0 unchanged and skipped, 0 failed" in err  # what ran, first
    assert str(out / "small" / "index.html") in err and "disk is full" in err
    assert "the same command completes the run" in err
    run_dir = out / "small"
    assert leftovers(run_dir) == [] and not (run_dir / "index.html").exists()
    assert len(list((run_dir / ".kamkit" / "done").iterdir())) == 3  # finished and stamped
    monkeypatch.undo()
    again = run(small, out, notebooks=pipeline, stages=STAGES, accounts=["A-1"],
                workers=1, quiet=True)
    assert again.count("skipped") == 3 and (run_dir / "index.html").exists()


@pytest.mark.slow
def test_the_api_error_carries_the_summary(small, tmp_path, pipeline, monkeypatch):
    _disk_full(monkeypatch, html, "index.html")
    with pytest.raises(FileSystemError) as info:
        run(small, tmp_path / "out", notebooks=pipeline, stages=STAGES, accounts=["A-1"],
            workers=1, quiet=True)
    summary = info.value.summary
    assert summary.count("done") == 3 and summary.index is None
    assert info.value.errno == errno.ENOSPC


def _task(small, tmp_path, pipeline) -> dict:
    stage = Stage("02_needs_analysis.ipynb", "account")
    [task] = batch.plan_tasks(small.resolve(), (tmp_path / "out" / "small").resolve(),
                              [stage], pipeline.resolve(), ["A-1"], "en", "d", "c")
    return task.to_dict()


@pytest.mark.slow
def test_a_notebook_whose_outputs_cannot_be_written_fails_alone(small, tmp_path, pipeline,
                                                                monkeypatch):
    monkeypatch.setenv("KAMKIT_NO_FORK", "1")
    monkeypatch.setattr(batch, "_FORK", None)
    _disk_full(monkeypatch, batch, "02_needs_analysis.html")
    spec = _task(small, tmp_path, pipeline)
    result = batch.execute_task(spec)  # returns, does not raise
    assert result["status"] == "failed"
    assert result["error"].startswith("FileSystemError: Could not write ")
    assert "02_needs_analysis.html" in result["error"] and "disk is full" in result["error"]
    assert leftovers(tmp_path / "out") == []


def test_papermill_unable_to_write_the_notebook_fails_the_task(small, tmp_path, pipeline,
                                                               monkeypatch):
    import papermill

    def full(source, output, **kwargs):
        pathlib.Path(output).write_text('{"cells": [', encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", output)

    monkeypatch.setattr(papermill, "execute_notebook", full)
    monkeypatch.setattr(batch, "_FORK", False)
    result = batch.execute_task(_task(small, tmp_path, pipeline))
    assert result["status"] == "failed" and "disk is full" in result["error"]
    assert leftovers(tmp_path / "out") == []


@pytest.mark.parametrize("workers", ["0", "-2"])
def test_workers_below_one_are_refused(small, tmp_path, pipeline, workers, capsys):
    with pytest.raises(ParameterError, match="workers: must be at least 1"):
        run(small, tmp_path / "out", notebooks=pipeline, stages=STAGES, workers=int(workers))
    args = run_args(small, tmp_path / "out", pipeline)
    args[args.index("--workers") + 1] = workers
    assert main(args) == EXIT_DATA
    assert "workers: must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_file_where_the_run_folder_should_be(small, tmp_path, pipeline, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "small").write_text("not a folder", encoding="utf-8")
    assert main(run_args(small, tmp_path / "out", pipeline)) == EXIT_FILES
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"Could not write {tmp_path / 'out' / 'small'}." in err
    assert "There is a file where a folder should be" in err


def test_out_naming_a_file(small, tmp_path, pipeline, capsys):
    (tmp_path / "out.txt").write_text("a file", encoding="utf-8")
    assert main(run_args(small, tmp_path / "out.txt", pipeline)) == EXIT_FILES
    err = capsys.readouterr().err
    assert f"{tmp_path / 'out.txt'} is a file where a folder should be" in err
    assert "Traceback" not in err


def test_a_file_where_the_state_folder_should_be(small, tmp_path, pipeline, capsys):
    (tmp_path / "out" / "small").mkdir(parents=True)
    (tmp_path / "out" / "small" / ".kamkit").write_text("x", encoding="utf-8")
    assert main(run_args(small, tmp_path / "out", pipeline)) == EXIT_FILES
    err = capsys.readouterr().err
    assert str(tmp_path / "out" / "small" / ".kamkit") in err
    assert "There is a file where a folder should be" in err


@pytest.mark.slow
def test_a_folder_where_index_html_should_be(small, tmp_path, pipeline, capsys):
    (tmp_path / "out" / "small" / "index.html").mkdir(parents=True)
    assert main(run_args(small, tmp_path / "out", pipeline, "--accounts", "A-1")) == EXIT_FILES
    err = capsys.readouterr().err
    assert "3 notebooks run" in err and "There is a folder where a file should be" in err
    assert str(tmp_path / "out" / "small" / "index.html") in err
    assert leftovers(tmp_path / "out") == []


def test_an_unreadable_input_is_named(small, tmp_path, pipeline, monkeypatch, capsys):
    # The tests may run as root, for whom chmod 000 hides nothing: refuse the read instead.
    read_bytes = pathlib.Path.read_bytes

    def refuse(self):
        if self.name == "accounts.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    assert main(run_args(small, tmp_path / "out", pipeline)) == EXIT_FILES
    err = capsys.readouterr().err
    # The loader reports it among the portfolio's problems (tests/test_faults.py).
    assert "accounts.csv: expected a file kamkit may read (check the file's permissions" \
        in err
    assert "Permission denied" in err and "Traceback" not in err


def test_the_error_pickles_with_its_summary():
    import pickle

    exc = FileSystemError(errno.EROFS, "Read-only file system", "/r/index.html",
                          summary={"done": 2})
    back = pickle.loads(pickle.dumps(exc))
    assert str(back) == str(exc) and back.summary == {"done": 2} and back.errno == errno.EROFS
    assert "read-only" in str(back)


# --------------------------------------------------------------------------------------
# Point 8: the failing cell, control characters, exit codes

RAISES = """import kamkit
p = kamkit.load(portfolio)
if account_id == "A-1":
    raise ValueError("deliberate failure for " + account_id)
"""

SYNTAX = """value = 1
if value > 0
    print(value)
"""


@pytest.mark.slow
def test_the_failure_summary_names_the_cell_and_a_meaningful_error(small, tmp_path, capsys):
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    nbformat.write(notebook(RAISES), str(notebooks / "02_needs_analysis.ipynb"))
    nbformat.write(notebook(SYNTAX), str(notebooks / "03_account_plan.ipynb"))
    stages = [Stage("02_needs_analysis.ipynb", "account"), Stage("03_account_plan.ipynb",
                                                                 "account")]
    summary = run(small, tmp_path / "out", notebooks=notebooks, stages=stages,
                  accounts=["A-1"], workers=2, quiet=True)
    failed = {r.stage: r for r in summary.failed}
    value, syntax = failed["02_needs_analysis"], failed["03_account_plan"]
    assert value.error == "ValueError: deliberate failure for A-1"
    assert re.fullmatch(r"Cell In\[\d+\], line 4: raise ValueError\(\"deliberate failure "
                        r"for \" \+ account_id\)", value.cell), value.cell
    assert syntax.error.startswith("SyntaxError: ") and "^" not in syntax.error
    assert ".py" not in syntax.error  # not IPython's temporary file name
    assert re.fullmatch(r"Cell In\[\d+\], line 2: if value > 0", syntax.cell), syntax.cell
    text = summary.render()
    assert "failing cell: Cell In[" in text and "if value > 0" in text
    index = (tmp_path / "out" / "small" / "index.html").read_text("utf-8")
    assert "Failing cell" in index and "if value &gt; 0" in index


@pytest.mark.slow
def test_the_command_exits_1_for_failed_notebooks_and_3_for_a_busy_run_folder(
        make_portfolio, tmp_path, pipeline, capsys):
    accounts = SMALL["accounts.csv"] + "A-FAIL,Broken Ltd,x,PL,,2020,1,1,1,basic,,\n"
    portfolio = make_portfolio({"accounts.csv": accounts})
    args = run_args(portfolio, tmp_path / "out", pipeline, "--accounts", "A-FAIL")
    assert main(args) == EXIT_FAILED
    assert "failing cell: Cell In[" in capsys.readouterr().err
    with batch._RunLock(tmp_path / "out" / portfolio.name):
        assert main(args) == EXIT_BUSY
    assert "Another kamkit run is writing to" in capsys.readouterr().err


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "exit codes:" in out
    for code in ("0", "1", "2", "3", "4", "130"):
        assert re.search(rf"^  {code} +\S", out, re.M), code
    readme = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    assert "| 3 | another" in readme and "| 4 | a file" in readme


HOSTILE = "Nord\x1b[2J\x1b]0;pwned\x07werk \u202eHbmG\u202c \x9b31m"


# What of HOSTILE passes validation (C0 and C1 controls are refused there, with the
# row: tests/test_validation_hostile.py): the direction controls.
ADMITTED = "Nordwerk \u202eHbmG\u202c \u202dx"


def _hostile(make_portfolio):
    accounts = SMALL["accounts.csv"].replace("Nordwerk GmbH", ADMITTED)
    return make_portfolio({"accounts.csv": accounts})


def _raw(text: str) -> bool:
    return any(ch in text for ch in "\x1b\x07\x9b\u202e\u202c\u202d")


def test_the_dossier_shows_control_characters_instead_of_obeying_them(make_portfolio,
                                                                      capsys):
    path = _hostile(make_portfolio)
    assert main(["dossier", str(path), "A-1"]) == 0
    out = capsys.readouterr().out
    assert not _raw(out)
    assert "Nordwerk <U+202E>HbmG<U+202C> <U+202D>x" in out


def test_tables_and_json_of_the_command_carry_no_raw_controls(make_portfolio, capsys):
    path = _hostile(make_portfolio)
    assert main(["identify", str(path), "--min-score", "0", "--max-key", "3"]) == 0
    out = capsys.readouterr().out
    assert not _raw(out) and "<U+202E>" in out
    assert main(["identify", str(path), "--format", "json", "--max-key", "3"]) == 0
    out = capsys.readouterr().out
    assert not _raw(out)
    again = json.dumps(json.loads(out), ensure_ascii=False)
    assert json.dumps(ADMITTED, ensure_ascii=False)[1:-1] in again  # the data is whole


def test_error_messages_show_control_characters(make_portfolio, capsys):
    bad = SMALL["accounts.csv"].replace("cooperative", "coop\x1b[31m\u202e")
    assert main(["validate", str(make_portfolio({"accounts.csv": bad}))]) == EXIT_DATA
    err = capsys.readouterr().err
    assert not _raw(err) and "<U+202E>" in err


def test_kamkits_own_isolates_and_persian_minus_reach_the_terminal_unchanged():
    text = "\u2068\u200e\u2212\u06f5\u2069 IRR and \u2068\u067e\u0627\u0631\u0633\u2069"
    assert visible_controls(text) == text
    assert visible_controls("open \u2068 never closed") == "open <U+2068> never closed"


def test_html_isolates_names_and_shows_overrides():
    import pandas as pd

    frame = pd.DataFrame({"account_id": ["A-1"], "name": [HOSTILE]})
    doc = html.Document(f"Dossier {HOSTILE}", [html.Section("S", [
        html.Paragraph(f"About {HOSTILE}."), html.Notice(HOSTILE),
        html.Table(frame, columns=["account_id", "name"])])])
    page = html.render(doc, language="en")
    assert not _raw(page)
    assert "&lt;U+202E&gt;HbmG&lt;U+202C&gt;" in page
    assert "<td><bdi>Nord\\x1b[2J" in page
