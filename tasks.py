#!/usr/bin/env python3
"""Project tasks, with nothing but Python 3.11+ installed (Linux, macOS, Windows).

    python3 tasks.py demo      set up .venv, then run the kit on datasets/company_x
                               (reports/company_x/index.html)
    python3 tasks.py test      set up .venv, then run every test (unit, notebooks, docs)
    python3 tasks.py test --quick   the fast path: unit tests and doctests in parallel,
                               without the notebook and pipeline runs (seconds, not minutes)
    python3 tasks.py regen     re-execute every committed notebook in place
    python3 tasks.py docs      regenerate the data dictionary, templates, glossary, images
    python3 tasks.py catalogs  extract the messages and update the translation catalogs
    python3 tasks.py lock      re-pin constraints.txt from a fresh resolution
    python3 tasks.py bench     run the benchmarks (see benchmarks/README.md)

The environment is created once in ``.venv`` with the versions pinned in
``constraints.txt`` and refreshed only when ``pyproject.toml`` or ``constraints.txt``
change, so the second run of any task starts at once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".kamkit-install-stamp"
CONSTRAINTS = ROOT / "constraints.txt"


def _run(*cmd: object, env: dict[str, str] | None = None) -> None:
    printable = " ".join(str(c) for c in cmd)
    print(f"+ {printable}", flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)


def _stamp() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        path = ROOT / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_env() -> None:
    """Create .venv and install kamkit with its pinned dependencies (once)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may be run by an older Python
        sys.exit(f"kamkit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"Creating the virtual environment in {VENV.name}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _stamp():
        return
    pip = [PYTHON, "-m", "pip", "install", "--disable-pip-version-check"]
    _run(*pip, "--upgrade", "pip")
    _run(*pip, "-c", CONSTRAINTS, "-e", ".[dev]")
    STAMP.write_text(_stamp())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYTHONHASHSEED", "0")
    env.pop("PYTHONPATH", None)  # the checkout is installed; never mix in another copy
    return env


def task_demo(args: list[str]) -> None:
    """The main job on the bundled case study: check it, then run every notebook for
    every key account and write the reports (reports/company_x/index.html)."""
    ensure_env()
    _run(BIN / "kamkit", "validate", "datasets/company_x", env=_env())
    _run(BIN / "kamkit", "run", "datasets/company_x", "--out", "reports", *args, env=_env())


#: ``test --quick``: everything but what runs notebooks (nbval over notebooks/, the
#: pipeline and papermill runs, the browser tests: all marked ``slow``), spread over
#: every core by pytest-xdist. The full suite, which CI runs, keeps them all.
QUICK = ("-o", "testpaths=tests kamkit", "-m", "not slow and not browser", "-n", "auto")


def task_test(args: list[str]) -> None:
    """Run every test: unit tests, doctests, notebooks against their committed outputs.

    ``--quick`` leaves out the notebook and pipeline runs and runs the rest in
    parallel; any other argument goes to pytest as it is.
    """
    ensure_env()
    if "--quick" in args:
        args = [*QUICK, *(a for a in args if a != "--quick")]
    _run(PYTHON, "-m", "pytest", *args, env=_env())


def task_regen(args: list[str]) -> None:
    """Re-execute every committed notebook in place (after a change to kamkit or data)."""
    ensure_env()
    _run(PYTHON, "-m", "kamkit.run.notebooks", "regenerate", *args, env=_env())


def task_docs(args: list[str]) -> None:
    """Regenerate the data dictionary, templates, glossary and sample chart images."""
    ensure_env()
    code = (
        "from pathlib import Path\n"
        "from kamkit.data.template import data_dictionary, write_template\n"
        "from kamkit.text.glossary import glossary_markdown\n"
        "from kamkit.charts.samples import write_samples\n"
        "Path('docs/data-dictionary.md').write_text(data_dictionary(), encoding='utf-8')\n"
        "write_template(Path('datasets/template'), 'csv', overwrite=True)\n"
        "write_template(Path('datasets/template.xlsx'), 'xlsx', overwrite=True)\n"
        "Path('docs/glossary.md').write_text(glossary_markdown(), encoding='utf-8')\n"
        "write_samples('docs/images')\n"
        "print('docs/data-dictionary.md, docs/glossary.md, docs/images/chart-*.png and '\n"
        "      'datasets/template* regenerated')\n"
    )
    _run(PYTHON, "-c", code, env=_env())


def task_catalogs(args: list[str]) -> None:
    """Extract the messages and update the .po catalogs (see docs/languages.md).

    Translations of unchanged messages are kept, new messages arrive untranslated,
    removed ones are dropped; each change is listed. ``catalogs check`` lists every
    problem, ``catalogs stats`` counts; ``--fuzzy`` lets Babel guess (and lists guesses).
    """
    ensure_env()
    _run(PYTHON, "-m", "kamkit.text.catalogs", *args, env=_env())


def task_lock(args: list[str]) -> None:
    """Resolve the dependencies afresh in a scratch venv and pin them in constraints.txt."""
    scratch = ROOT / "build" / "lock-venv"
    shutil.rmtree(scratch, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(scratch)
    py = scratch / ("Scripts" if os.name == "nt" else "bin") / "python"
    _run(py, "-m", "pip", "install", "--disable-pip-version-check", "--upgrade", "pip")
    _run(py, "-m", "pip", "install", "--disable-pip-version-check", ".[dev]")
    frozen = subprocess.run([str(py), "-m", "pip", "freeze", "--exclude-editable"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    pins = sorted((line for line in frozen.splitlines()
                   if line and not line.lower().startswith("kamkit")), key=str.lower)
    header = ("# Versions the committed notebook outputs were produced with.\n"
              "# Regenerate with: python3 tasks.py lock   (then: python3 tasks.py regen)\n")
    CONSTRAINTS.write_text(header + "\n".join(pins) + "\n", encoding="utf-8")
    print(f"{len(pins)} pins written to {CONSTRAINTS.name}")


def task_bench(args: list[str]) -> None:
    """Run the benchmarks; pass a name to run one (see benchmarks/README.md)."""
    ensure_env()
    _run(PYTHON, "-m", "benchmarks", *args, env=_env())


TASKS = {name[5:]: fn for name, fn in globals().items() if name.startswith("task_")}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TASKS:
        print(__doc__)
        sys.exit(0 if not argv else 2)
    TASKS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
