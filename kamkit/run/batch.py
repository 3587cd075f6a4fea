"""Run the kit's notebooks for a whole portfolio: in parallel, resumable, with reports.

``kamkit run PORTFOLIO`` (and :func:`run`) executes, with papermill:

1. ``01_identification`` on the portfolio, which writes the selected key accounts;
2. ``02``-``04`` for every key account (or the accounts named), side by side;
3. ``05_portfolio_review``, which reads what the per-account notebooks wrote;

and writes ``<out>/<run>/``: every executed notebook, an HTML page of each (code
hidden), and ``index.html`` linking them all.

How it stays fast and safe:

* Notebooks run on a pool of local worker processes, or on a Dask cluster
  (``scheduler="tcp://..."``). On Linux each worker forks its kernels from a warm
  template over IPC sockets (:mod:`kamkit.run.kernels`): no import cost per notebook, no TCP
  ports to collide. A kernel that fails to *start* is retried with a fresh one.
* Every output is written atomically (temporary file, then rename). A notebook counts as
  done when its stamp is written, after its outputs; the stamp records a digest of its
  inputs (notebook file, parameters, portfolio files, kamkit version and code, and for
  the review the digests of what it reads). A later run skips what is done and
  unchanged, so an interrupted run started again completes without redoing work.
* A failing notebook never stops the others. It is kept, with papermill's marker at the
  failing cell; the summary names the account, the error and the failing cell (its
  number, line and code), and the run ends with exit code 1.
* A file that cannot be written (disk full, read-only, no permission, a file or folder in
  the way) fails the notebook writing it, or, for the run's own files, stops the run
  with a :class:`kamkit.exceptions.FileSystemError` that names the file and carries the
  summary of what ran; nothing half-written is left, and finished notebooks stay
  stamped, so the same run started again completes the rest.
* Account ids become paths only through :func:`kamkit.artifacts.account_slug` and HTML
  only escaped; everything a run writes stays inside its run folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import gc
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kamkit.artifacts import (
    account_dir,
    account_slug,
    atomic_write,
    read_json,
    visible_controls,
    write_json,
)
from kamkit.exceptions import FileSystemError, KamkitError, ParameterError, RunInProgress
from kamkit.text.i18n import _, check_language
from kamkit.text.narrative import notebook_key

__all__ = ["Scope", "Status", "Stage", "Task", "TaskResult", "RunSummary", "DEFAULT_STAGES",
           "plan_tasks", "run", "execute_task", "notebooks_dir"]

STATE_DIR = ".kamkit"
IDENTIFICATION_FILE = "identification.json"
START_RETRIES = 2
# Errors of the file system that a retry with a new kernel cannot cure.
_FS_REFUSALS = frozenset({errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM,
                          errno.EDQUOT})


class Scope(StrEnum):
    """When a notebook of the pipeline runs."""

    PORTFOLIO = "portfolio"  # once, before the accounts (identification)
    ACCOUNT = "account"  # once per key account
    REVIEW = "review"  # once, after the accounts, reading their results


class Status(StrEnum):
    """What became of a task."""

    DONE = "done"
    SKIPPED = "skipped"  # unchanged since its last run
    FAILED = "failed"


def _scope(value: object) -> Scope:
    try:
        return Scope(value)
    except ValueError:
        raise ParameterError("scope", _("expected one of {choices}, got {value!r}").format(
            choices=", ".join(s.value for s in Scope), value=value)) from None


@dataclass(frozen=True)
class Stage:
    """One notebook of the pipeline.

    Attributes
    ----------
    notebook : str
        File name in the notebooks folder (``02_needs_analysis.ipynb``).
    scope : Scope
        Runs once before the accounts, once per account, or once after them (a string
        such as ``"account"`` is read as its :class:`Scope`).
    """

    notebook: str
    scope: Scope

    def __post_init__(self) -> None:
        object.__setattr__(self, "scope", _scope(self.scope))

    @property
    def name(self) -> str:
        """The notebook's stem, used in file names and messages."""
        return Path(self.notebook).stem


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("01_identification.ipynb", Scope.PORTFOLIO),
    Stage("02_needs_analysis.ipynb", Scope.ACCOUNT),
    Stage("03_account_plan.ipynb", Scope.ACCOUNT),
    Stage("04_evaluation.ipynb", Scope.ACCOUNT),
    Stage("05_portfolio_review.ipynb", Scope.REVIEW),
)


@dataclass(frozen=True)
class Task:
    """One notebook execution: what to run, with which parameters, where to write."""

    key: str
    stage: str
    scope: Scope
    notebook: str
    output: str
    html: str
    parameters: dict[str, Any]
    account_id: str | None
    digest: str
    language: str = "en"
    timeout: int = 900
    narrative: str = ""  # the notebook's key in the narrative catalogs (kamkit.text.narrative)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scope", _scope(self.scope))

    def to_dict(self) -> dict[str, Any]:
        """Plain data, to cross process boundaries."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class TaskResult:
    """What became of a task: ``done``, ``skipped`` (unchanged) or ``failed``.

    A failed task's ``error`` is the exception and its message's first line
    (``ValueError: no goals``); ``cell`` says where in the notebook, as IPython does
    (``Cell In[4], line 2: plan = account_plan(p, account_id)``).
    """

    key: str
    stage: str
    account_id: str | None
    status: Status
    seconds: float = 0.0
    error: str = ""
    output: str = ""
    html: str = ""
    cell: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))


@dataclass
class RunSummary:
    """The outcome of a run."""

    run_dir: Path
    results: list[TaskResult] = field(default_factory=list)
    seconds: float = 0.0
    index: Path | None = None
    names: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> list[TaskResult]:
        """Tasks that failed."""
        return [r for r in self.results if r.status is Status.FAILED]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed

    @property
    def refused(self) -> list[TaskResult]:
        """Tasks that failed because a file could not be read or written (disk full,
        read-only, a file in the way): the same run completes once that is solved."""
        prefix = FileSystemError.__name__ + ":"
        return [r for r in self.failed if r.error.startswith(prefix)]

    def count(self, status: Status | str) -> int:
        """Number of tasks with ``status``."""
        return sum(r.status == status for r in self.results)

    def render(self) -> str:
        """A short report: counts, time, every failure with its error and failing cell."""
        lines = [_("{done} notebooks run, {skipped} unchanged and skipped, {failed} failed, "
                   "in {seconds:.1f} s").format(done=self.count(Status.DONE),
                                                skipped=self.count(Status.SKIPPED),
                                                failed=self.count(Status.FAILED),
                                                seconds=self.seconds)]
        for r in self.failed:
            who = r.account_id or _("whole portfolio")
            name = self.names.get(r.account_id or "", "")
            label = f"{who} ({name})" if name and name != who else who
            lines.append(_("FAILED {who}: {stage}: {error}").format(who=label, stage=r.stage,
                                                                   error=r.error))
            if r.cell:
                lines.append("    " + _("failing cell: {cell}").format(cell=r.cell))
            lines.append("    " + _("notebook: {path}").format(path=r.output))
        if self.index:
            lines.append(_("Report: {path}").format(path=self.index))
        return "\n".join(lines)


def notebooks_dir() -> Path:
    """The kit's notebooks folder (next to the package in a checkout)."""
    here = Path(__file__).resolve().parents[2] / "notebooks"
    if not here.is_dir():
        raise KamkitError(_("The kit's notebooks folder was not found next to the kamkit "
                            "package; pass notebooks= (or --notebooks) to say where it is."))
    return here


# --------------------------------------------------------------------------------------
# Digests: what a task's result depends on


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(
            part, sort_keys=True, default=str).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _tree_digest(path: Path, skip: Path | None = None) -> str:
    """Digest of a file, or of every file under a folder (names and contents).

    Files under ``skip`` do not count: a run folder inside the portfolio's folder
    (``kamkit run .`` from within it) would otherwise change the digest at every run.
    """
    h = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        if skip is not None and f.is_relative_to(skip):
            continue
        rel = f.name if path.is_file() else f.relative_to(path).as_posix()
        if any(part.startswith(".") or part == "__pycache__" for part in Path(rel).parts):
            continue
        h.update(rel.encode("utf-8") + b"\0")
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def _kamkit_digest() -> str:
    """kamkit's version and the digest of its code: a change to either reruns everything."""
    from kamkit import __version__

    return _digest(__version__, _tree_digest(Path(__file__).resolve().parents[1]))


# --------------------------------------------------------------------------------------
# Planning


def _relative(path: Path, start: Path) -> str:
    """``path`` relative to ``start`` when possible (keeps notebooks free of machine paths)."""
    try:
        return os.path.relpath(path, start)
    except ValueError:  # another drive on Windows
        return str(path)


def plan_tasks(portfolio: Path, run_dir: Path, stages: Sequence[Stage], notebooks: Path,
               accounts: Sequence[str], language: str, data_digest: str, code_digest: str,
               upstream: Sequence[str] = ()) -> list[Task]:
    """Tasks for ``stages`` (all of one scope), with their input digests.

    Parameters
    ----------
    portfolio : Path
        The portfolio the notebooks read.
    run_dir : Path
        Where the run writes.
    stages : sequence of Stage
    notebooks : Path
        Folder of the source notebooks; kernels run there.
    accounts : sequence of str
        Account ids, for ``account`` stages.
    language : str
    data_digest, code_digest : str
        Digests of the portfolio files and of kamkit.
    upstream : sequence of str
        Digests of the tasks whose outputs a ``review`` stage reads.

    Returns
    -------
    list of Task
    """
    tasks = []
    for stage in stages:
        src = notebooks / stage.notebook
        nb_digest = _tree_digest(src)
        targets: Iterable[str | None] = accounts if stage.scope is Scope.ACCOUNT else [None]
        for account_id in targets:
            folder = account_dir(run_dir, account_id) if account_id is not None else run_dir
            params: dict[str, Any] = {
                "portfolio": _relative(portfolio, notebooks),
                "language": language,
                "output_dir": _relative(run_dir, notebooks),
            }
            if account_id is not None:
                params["account_id"] = account_id
            rel = folder.relative_to(run_dir)
            key = (rel / stage.name).as_posix()
            digest = _digest(nb_digest, params, data_digest, code_digest,
                             list(upstream) if stage.scope is Scope.REVIEW else [])
            tasks.append(Task(key=key, stage=stage.name, scope=stage.scope,
                              notebook=str(src), output=str(folder / f"{stage.name}.ipynb"),
                              html=str(folder / f"{stage.name}.html"), parameters=params,
                              account_id=account_id, digest=digest, language=language,
                              narrative=notebook_key(src, notebooks)))
    return tasks


def _stamp_path(run_dir: Path, task: Task) -> Path:
    return run_dir / STATE_DIR / "done" / f"{hashlib.sha256(task.key.encode()).hexdigest()}.json"


def _is_done(run_dir: Path, task: Task) -> bool:
    stamp = _stamp_path(run_dir, task)
    if not stamp.exists():
        return False
    try:
        record = read_json(stamp)
    except (OSError, ValueError):
        return False
    return (record.get("digest") == task.digest and Path(task.output).exists()
            and Path(task.html).exists())


def _mark_done(run_dir: Path, task: Task, result: TaskResult) -> TaskResult:
    """Stamp a finished task; when the stamp cannot be written the task counts as failed
    (it runs again next time) and the run goes on."""
    try:
        write_json(_stamp_path(run_dir, task), {"key": task.key, "digest": task.digest})
    except FileSystemError as exc:
        return dataclasses.replace(result, status=Status.FAILED, error=_error_text(exc))
    return result


# --------------------------------------------------------------------------------------
# Executing one task (in a worker process or on a Dask worker)

_FORK: Any = None  # this process's way to fork kernels: a ForkClient/ForkServer, or False


def _fork_client() -> Any:
    """How this process gets kernels: the run's shared template, else one of its own.

    Local workers are given the run's template address (``KAMKIT_FORK_SERVER``); a Dask
    worker, possibly on another machine, starts its own template on first use. Returns
    None where forking is unavailable (kernels then start the usual way).
    """
    global _FORK
    if _FORK is None:
        from kamkit.run.kernels import ForkClient, ForkServer, ForkServerUnavailable, fork_supported

        address = os.environ.get("KAMKIT_FORK_SERVER")
        if os.environ.get("KAMKIT_NO_FORK") or not fork_supported():
            _FORK = False
        elif address:
            _FORK = ForkClient(address)
        else:
            try:
                _FORK = ForkServer()
                import atexit

                atexit.register(_FORK.close)
            except ForkServerUnavailable:
                _FORK = False
    return _FORK or None


def warm_worker(fork_address: str | None = None, owner: int | None = None) -> None:
    """A worker's one-time set-up: papermill, the HTML exporter, the template's address.

    With ``owner`` (the pid of the run's main process) the worker is ended by the system
    when that process ends, however it ends: no orphan goes on running notebooks.
    """
    if owner is not None:
        from kamkit.run.kernels import die_with_parent

        die_with_parent(parent=owner)
    if fork_address:
        os.environ["KAMKIT_FORK_SERVER"] = fork_address
    import papermill  # noqa: F401

    from kamkit.reports.html import page_exporter

    page_exporter(code=False)
    # What the worker imported lives as long as the worker: out of the collector's way.
    gc.collect()
    gc.freeze()


_VOLATILE_PAPERMILL = ("start_time", "end_time", "duration", "input_path", "output_path",
                       "environment_variables")


def _clean_executed(nb: Any) -> Any:
    """Drop timings and machine paths papermill records, keep parameters and errors."""
    meta = nb.metadata.get("papermill", {})
    for key in _VOLATILE_PAPERMILL:
        meta.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        pm = cell.metadata.get("papermill")
        if pm is not None:
            for key in ("start_time", "end_time", "duration"):
                pm.pop(key, None)
    return nb


def _html(nb: Any, language: str) -> str:
    from kamkit.reports.html import notebook_page

    return notebook_page(nb, language, code=False)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# SyntaxError's message names the temporary file IPython compiled the cell from.
_COMPILED_AS = re.compile(r" \([^()]*\.py, line \d+\)$")
_CODE_WIDTH = 80


def _error_line(ename: str, evalue: str) -> str:
    """``ValueError: <the message's first line that says something>`` (not a ``^``)."""
    for line in str(evalue).splitlines():
        line = _COMPILED_AS.sub("", line.strip())
        if any(ch.isalnum() for ch in line):
            return f"{ename}: {line}"
    return ename


def _error_text(exc: BaseException, path: str | Path | None = None) -> str:
    """How a task's own exception is reported; a file error names its file and the fix.

    An error of the file system that names no file (papermill writing the notebook on a
    full disk) names ``path``, the file the task was writing.
    """
    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
        if exc.filename:
            exc = FileSystemError.from_os_error(exc)
        elif path is not None and exc.errno in _FS_REFUSALS:
            exc = FileSystemError.from_os_error(exc, path)
    return _error_line(type(exc).__name__, str(exc))


def _failing_cell(exc: Any) -> str:
    """Where a notebook failed, as IPython says it: ``Cell In[4], line 2: <the code>``.

    ``exc`` is papermill's execution error: the cell's execution count and source, and
    the traceback, whose first frame gives the line in the cell.
    """
    number = exc.exec_count if exc.exec_count is not None else exc.cell_index
    lines = str(exc.source or "").splitlines()
    found = re.search(r"Cell In\[\d+\], line (\d+)", _ANSI.sub("", "\n".join(
        exc.traceback or [])))
    if found and 0 < int(found.group(1)) <= len(lines):
        line = int(found.group(1))
        where, code = f"Cell In[{number}], line {line}", lines[line - 1].strip()
    else:
        where = f"Cell In[{number}]"
        code = next((c.strip() for c in lines if c.strip()
                     and not c.strip().startswith("#")), "")
    if len(code) > _CODE_WIDTH:
        code = code[:_CODE_WIDTH - 1] + "\u2026"
    return f"{where}: {code}" if code else where


def execute_task(spec: dict[str, Any]) -> dict[str, Any]:
    """Execute one task (given as :meth:`Task.to_dict`) and write its outputs atomically.

    Returns the :class:`TaskResult` as a dict. Never raises for a notebook's own error:
    the failed notebook is written with papermill's error marker and reported.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from kamkit.run.kernels import running_kernel

    task = Task(**spec)
    # In another language the notebook tells its story in that language: its Markdown
    # comes from the narrative catalogs (code cells are untouched).
    source: Any = task.notebook
    if task.language != "en":
        from kamkit.text.narrative import translated

        source = translated(nbformat.read(task.notebook, as_version=4), task.narrative,
                            task.language)
    output = Path(task.output)
    html = Path(task.html)
    partial = output.with_name(f".{output.stem}.{os.getpid()}.partial.ipynb")
    started = time.perf_counter()
    status, error, cell = Status.DONE, "", ""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where the account's folder should be
        return dataclasses.asdict(TaskResult(task.key, task.stage, task.account_id, Status.FAILED,
                                             0.0, _error_text(exc), str(output), str(html)))
    attempts = 0
    while True:
        attempts += 1
        partial.unlink(missing_ok=True)
        try:
            # The kernel ends with its notebook (papermill leaves a kernel it was
            # handed running) and its private folder goes with it.
            with running_kernel(_fork_client()) as km:
                papermill.execute_notebook(
                    source, str(partial), parameters=task.parameters,
                    km=km, kernel_name="python3",
                    progress_bar=False, request_save_on_cell_execute=False,
                    resources={"metadata": {"path": str(Path(task.notebook).parent)}},
                    record_timing=False, shutdown_kernel="immediate", start_timeout=120,
                    execution_timeout=task.timeout)
            break
        except PapermillExecutionError as exc:
            status, error, cell = Status.FAILED, _error_line(exc.ename, exc.evalue), \
                _failing_cell(exc)
            break
        except Exception as exc:  # the kernel did not start or died: retry with a new one
            # ... unless the file system refused: a new kernel would meet it again.
            if attempts <= START_RETRIES and not partial.exists() \
                    and getattr(exc, "errno", None) not in _FS_REFUSALS:
                from kamkit.run.kernels import ForkServerUnavailable

                if isinstance(exc, ForkServerUnavailable):
                    global _FORK
                    _FORK = False  # the template is gone: plain kernels from now on
                continue
            status, error = Status.FAILED, _error_text(exc, output)
            break
    try:
        if partial.exists():
            nb = _clean_executed(nbformat.read(str(partial), as_version=4))
            text = nbformat.writes(nb) + "\n"
            page = _html(nb, task.language)
            atomic_write(html, lambda tmp: tmp.write_text(page, encoding="utf-8"))
            atomic_write(output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except Exception as exc:  # the disk is full, or papermill could not write it whole
        # The notebook's own error, if any, comes first: it is what went wrong.
        status, error = Status.FAILED, error or _error_text(exc, output)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return dataclasses.asdict(TaskResult(task.key, task.stage, task.account_id, status,
                                         time.perf_counter() - started, error,
                                         str(output), str(html), cell))


# --------------------------------------------------------------------------------------
# Running many tasks


class _Runner:
    """Submits tasks to local worker processes or to a Dask cluster.

    Local workers are started fresh (multiprocessing's *spawn*) and share one kernel
    template (:class:`kamkit.run.kernels.ForkServer`) owned by this process. Every process
    of a run is in this process's session and ends with it, however it ends:

    * the workers are ended by the system when this process ends (kill -9 included),
      so none goes on running queued notebooks;
    * the template sees its stdin close, kills the kernels still running and removes
      the run's private folder (its socket, every kernel's connection file and sockets);
    * nothing is imported from the working folder: the workers' and the template's
      module path is this process's without it, and ``PYTHONSAFEPATH`` is set for them.
    """

    def __init__(self, workers: int, scheduler: str | None, preload: Sequence[str] = (),
                 warm: Sequence[tuple[str, str, Sequence[Any]]] = ()) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self.preload = tuple(preload)
        self.warm = tuple(warm)
        self._pool: Any = None
        self._client: Any = None
        self._template: Any = None

    def __enter__(self) -> _Runner:
        if self.scheduler:
            try:
                from distributed import Client
            except ImportError as exc:  # pragma: no cover - a declared dependency
                raise KamkitError(_("--scheduler needs the dask distributed package")) from exc
            self._client = Client(self.scheduler, set_as_default=False)
        return self

    def _ensure_pool(self) -> None:
        if self._pool is not None or self._client is not None:
            return
        import multiprocessing

        from kamkit.run.kernels import (
            DEFAULT_PRELOAD,
            ForkServer,
            ForkServerUnavailable,
            fork_supported,
        )

        address = None
        if fork_supported() and not os.environ.get("KAMKIT_NO_FORK"):
            try:
                self._template = ForkServer(preload=[*DEFAULT_PRELOAD, *self.preload],
                                            warm=self.warm)
                address = self._template.address
            except ForkServerUnavailable:
                self._template = None
        self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                         mp_context=multiprocessing.get_context("spawn"),
                                         initializer=warm_worker,
                                         initargs=(address, os.getpid()))

    def submit(self, task: Task) -> Any:
        if self._client is not None:
            return self._client.submit(execute_task, task.to_dict(),
                                       key=f"kamkit-{task.digest[:16]}-{task.key}", pure=False)
        # Processes start here (multiprocessing's resource tracker with the pool, the
        # workers on demand): each copies this process's module path.
        with _without_working_folder():
            self._ensure_pool()
            return self._pool.submit(execute_task, task.to_dict())

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        try:
            if self._pool is not None:
                self._pool.shutdown(wait=exc_type is None, cancel_futures=True)
        finally:
            if self._template is not None:
                self._template.close()
            if self._client is not None:
                self._client.close()


@contextlib.contextmanager
def _without_working_folder() -> Iterator[None]:
    """While new processes start: this process's module path without the working folder
    (``""`` or the current folder, unless named in ``PYTHONPATH``), ``PYTHONSAFEPATH``
    set so that their own start does not add it either."""
    cwd = os.path.realpath(os.getcwd())
    asked = {os.path.realpath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
             if p}

    def working(entry: str) -> bool:
        if entry == "":
            return True
        real = os.path.realpath(entry)
        return real == cwd and real not in asked

    saved_path, saved_env = list(sys.path), os.environ.get("PYTHONSAFEPATH")
    sys.path[:] = [p for p in sys.path if not working(p)]
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        sys.path[:] = saved_path
        if saved_env is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = saved_env


def _wait_all(runner: _Runner, tasks: list[Task], run_dir: Path,
              progress: Callable[[TaskResult], None]) -> list[TaskResult]:
    futures: dict[Any, Task] = {runner.submit(t): t for t in tasks}
    if runner._client is not None:
        from distributed import as_completed

        finished: Iterable[Any] = as_completed(list(futures), loop=runner._client.loop)
    else:
        from concurrent.futures import as_completed as local_completed

        finished = local_completed(futures)
    results: list[TaskResult] = []
    for fut in finished:
        task = futures[fut]
        try:
            result = TaskResult(**fut.result())
        except Exception as exc:  # a worker died: the task failed, the run goes on
            result = TaskResult(task.key, task.stage, task.account_id, Status.FAILED, 0.0,
                                _error_text(exc), task.output, task.html)
        if result.status is Status.DONE:
            result = _mark_done(run_dir, task, result)
        results.append(result)
        progress(result)
    return results


class _Progress:
    """A progress bar (counts, time left) on a terminal; nothing with ``quiet``."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None

    def start(self, total: int) -> None:
        if not self.quiet and total:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit="notebook", file=sys.stderr,
                            dynamic_ncols=True, desc="kamkit run")

    def add(self, extra: int) -> None:
        if self.bar is not None:
            self.bar.total += extra
            self.bar.refresh()

    def __call__(self, result: TaskResult) -> None:
        if self.bar is not None:
            self.bar.update(1)
            if result.status is Status.FAILED:
                self.bar.write(visible_controls(_("failed: {key}: {error}").format(
                    key=result.key, error=result.error)))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """Modules the notebooks import (``import a.b``, ``from a.b import c``), in order.

    The run's kernel template imports them once, so no notebook pays for them.
    """
    import ast

    import nbformat

    found: dict[str, None] = {}
    for path in paths:
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(line for line in cell.source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        found[alias.name] = None
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found[node.module] = None
    return list(found)


def _selected_accounts(run_dir: Path, portfolio: Any) -> list[str]:
    path = run_dir / IDENTIFICATION_FILE
    if not path.exists():
        raise KamkitError(_("The identification notebook wrote no {file}; the key accounts "
                            "are unknown.").format(file=IDENTIFICATION_FILE))
    data = read_json(path)
    ids = [a["account_id"] if isinstance(a, dict) else a for a in data.get("key_accounts", [])]
    return [portfolio.check_account(i) for i in ids]


def _sweep(run_dir: Path) -> None:
    """Remove what an interrupted run left half-written (only kamkit's own temporary names)."""
    for pattern in (".*.partial.ipynb", ".*.tmp"):
        for path in run_dir.rglob(pattern):
            path.unlink(missing_ok=True)


class _RunLock:
    """One run at a time per run folder (POSIX advisory lock; a no-op elsewhere)."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / STATE_DIR / "lock"
        self.handle: Any = None

    def __enter__(self) -> _RunLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.path.open("a")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.handle.close()
            raise RunInProgress(_("Another kamkit run is writing to {path}; wait for it to "
                                "finish.").format(path=self.path.parent.parent)) from exc
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


def run(portfolio: str | Path, out: str | Path = "reports", *,
        accounts: Sequence[str] | None = None, workers: int | None = None,
        scheduler: str | None = None, force: bool = False, quiet: bool = False,
        language: str = "en", run_name: str | None = None,
        notebooks: str | Path | None = None,
        stages: Sequence[Stage] = DEFAULT_STAGES) -> RunSummary:
    """Run the pipeline for a portfolio and write the reports.

    Parameters
    ----------
    portfolio : str or Path
        The portfolio (validated first; invalid data stops the run before any notebook).
    out : str or Path
        Parent folder of the run folder.
    accounts : sequence of str, optional
        Run the per-account notebooks for these accounts instead of the key accounts
        selected by the identification notebook.
    workers : int, optional
        Local worker processes (default: the number of cores).
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://host:8786``) to run on instead.
    force : bool
        Run every notebook even if its inputs are unchanged.
    quiet : bool
        No progress bar.
    language : str
        Language of every notebook.
    run_name : str, optional
        Name of the run folder (default: the portfolio's folder name).
    notebooks : str or Path, optional
        Folder of the notebooks (default: the kit's).
    stages : sequence of Stage
        The pipeline (default: the kit's five notebooks).

    Returns
    -------
    RunSummary

    Raises
    ------
    FileSystemError
        A file of the run could not be written, or an input read (disk full, read-only,
        no permission, a file where the run folder should be ...). Its ``summary`` holds
        what ran before, when anything did; the finished notebooks are kept and stamped.
    RunInProgress
        Another run is writing to the same run folder.
    """
    from kamkit.data.portfolio import load

    started = time.perf_counter()
    language = check_language(language)
    if workers is not None and int(workers) < 1:
        raise ParameterError("workers", _("must be at least 1 (got {n})").format(n=workers))
    workers = int(workers) if workers is not None else (os.cpu_count() or 1)
    portfolio_path = Path(portfolio).resolve()
    out_dir = Path(out).resolve()
    run_dir = out_dir / account_slug(run_name or portfolio_path.stem)
    try:
        data = load(portfolio_path)  # raises PortfolioValidationError for bad data
        if accounts:
            accounts = [data.check_account(a) for a in accounts]
        notebook_root = Path(notebooks).resolve() if notebooks else notebooks_dir()
        stages = [s for s in stages if (notebook_root / s.notebook).exists()]
        if not stages:
            message = _("No notebook of the pipeline is in {path}.").format(path=notebook_root)
            if notebooks:  # the caller's folder: a wrong argument (exit code 2)
                raise ParameterError("notebooks", message)
            raise KamkitError(message)
        run_dir.mkdir(parents=True, exist_ok=True)
        with _RunLock(run_dir):
            _sweep(run_dir)
            try:
                return _run_locked(data, portfolio_path, run_dir, accounts, workers, scheduler,
                                   force, quiet, language, notebook_root, stages, started)
            except (FileSystemError, OSError):
                with contextlib.suppress(OSError):
                    _sweep(run_dir)  # nothing half-written stays behind
                raise
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        # What the run writes lies under out; anything else it only reads.
        action = "write" if exc.filename and _is_under(exc.filename, out_dir) else "read"
        raise FileSystemError.from_os_error(exc, exc.filename or out_dir, action) from exc


def _is_under(path: str | Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(folder)


def _run_locked(data: Any, portfolio_path: Path, run_dir: Path, accounts: Sequence[str] | None,
                workers: int, scheduler: str | None, force: bool, quiet: bool, language: str,
                notebook_root: Path, stages: Sequence[Stage], started: float) -> RunSummary:
    data_digest = _tree_digest(portfolio_path, skip=run_dir)
    code_digest = _kamkit_digest()
    by_scope = {s: [st for st in stages if st.scope is s] for s in Scope}
    summary = RunSummary(run_dir, names=dict(zip(data.accounts["account_id"],
                                                 data.accounts["name"], strict=True)))
    progress = _Progress(quiet)

    def plan(scope: Scope, ids: Sequence[str] = (), upstream: Sequence[str] = ()) -> list[Task]:
        return plan_tasks(portfolio_path, run_dir, by_scope[scope], notebook_root, ids,
                          language, data_digest, code_digest, upstream)

    def split(tasks: list[Task]) -> tuple[list[Task], list[TaskResult]]:
        todo, skipped = [], []
        for t in tasks:
            if not force and _is_done(run_dir, t):
                skipped.append(TaskResult(t.key, t.stage, t.account_id, Status.SKIPPED,
                                          output=t.output, html=t.html))
            else:
                todo.append(t)
        return todo, skipped

    first = plan(Scope.PORTFOLIO)
    todo, skipped = split(first)
    summary.results += skipped
    progress.start(len(todo))
    try:
        preload = notebook_imports(notebook_root / s.notebook for s in stages)
        # The template loads the portfolio once; every kernel forked from it finds the
        # validated tables in kamkit.data.portfolio's cache instead of reading the files again.
        warm = [("kamkit.data.portfolio", "load", [str(portfolio_path)])]
        with _Runner(workers, scheduler, preload, warm) as runner:
            if accounts:
                # The accounts are given: the per-account notebooks need nothing from the
                # identification notebook, so they all run side by side with it.
                per_account = plan(Scope.ACCOUNT, list(accounts))
                more, skipped = split(per_account)
                summary.results += skipped
                progress.add(len(more))
                if todo + more:
                    summary.results += _wait_all(runner, todo + more, run_dir, progress)
            else:
                if todo:
                    summary.results += _wait_all(runner, todo, run_dir, progress)
                if any(r.status is Status.FAILED for r in summary.results):
                    return _finish(summary, started, data, run_dir, language)
                ids = _selected_accounts(run_dir, data) if by_scope[Scope.PORTFOLIO] else []
                per_account = plan(Scope.ACCOUNT, ids)
                todo, skipped = split(per_account)
                summary.results += skipped
                progress.add(len(todo))
                if todo:
                    summary.results += _wait_all(runner, todo, run_dir, progress)
            review = plan(Scope.REVIEW, upstream=[t.digest for t in first + per_account])
            todo, skipped = split(review)
            summary.results += skipped
            progress.add(len(todo))
            if todo:
                summary.results += _wait_all(runner, todo, run_dir, progress)
    finally:
        progress.close()
    return _finish(summary, started, data, run_dir, language)


def _finish(summary: RunSummary, started: float, data: Any, run_dir: Path,
            language: str) -> RunSummary:
    from kamkit.reports.index import write_index

    summary.seconds = time.perf_counter() - started
    try:
        summary.index = write_index(run_dir, data, summary.results, language=language)
    except FileSystemError as exc:
        exc.summary = summary  # the caller reports what ran before the page failed
        raise
    summary.seconds = time.perf_counter() - started
    return summary

