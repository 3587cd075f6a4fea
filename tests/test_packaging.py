"""The project's own files agree with each other: dependencies, docs, templates, README."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kamkit.data.template import data_dictionary
from tests.conftest import ROOT

# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES = {"duckdb": "python-duckdb", "jupyter-client": "jupyter_client"}


def _requirement(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(.*)$", spec)
    assert m, spec
    name = re.sub(r"\[.*\]", "", m[1]).lower().replace("_", "-")
    return name, m[2].replace(" ", "")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _conda_dependencies() -> dict[str, str]:
    deps: dict[str, str] = {}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+)(.*)$", line)
        if m and m[1] not in ("python", "pip"):
            deps[m[1].lower()] = m[2].strip().replace(" ", "")
    return deps


def test_environment_yml_mirrors_pyproject():
    project = _pyproject()["project"]
    extras = [spec for group in project["optional-dependencies"].values() for spec in group]
    wanted = [*project["dependencies"], *extras]
    expected = {CONDA_NAMES.get(n, n): v for n, v in map(_requirement, wanted)}
    assert _conda_dependencies() == expected


def test_required_packages_are_dependencies():
    names = {_requirement(s)[0] for s in _pyproject()["project"]["dependencies"]}
    assert {"jupyterlab", "ipywidgets", "pandas", "matplotlib", "papermill",
            "nbval"} <= names


def test_constraints_pin_every_dependency():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = version
    project = _pyproject()["project"]
    extras = [spec for group in project["optional-dependencies"].values() for spec in group]
    for spec in [*project["dependencies"], *extras]:
        name, _ = _requirement(spec)
        assert name in pins, f"{name} is not pinned in constraints.txt (python3 tasks.py lock)"


def test_data_dictionary_is_current():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == data_dictionary(), "run: python3 tasks.py docs"


def test_csv_template_is_current(tmp_path):
    from kamkit.data.template import write_template

    fresh = write_template(tmp_path / "t", "csv")
    committed = ROOT / "datasets" / "template"
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in committed.iterdir())
    for name in names:
        assert (committed / name).read_bytes() == (fresh / name).read_bytes(), name


def test_xlsx_template_is_current(tmp_path):
    from openpyxl import load_workbook

    from kamkit.data.template import write_template

    fresh = load_workbook(write_template(tmp_path / "t.xlsx", "xlsx"))
    committed = load_workbook(ROOT / "datasets" / "template.xlsx")
    assert fresh.sheetnames == committed.sheetnames
    for name in fresh.sheetnames:
        a = [list(r) for r in fresh[name].iter_rows(values_only=True)]
        b = [list(r) for r in committed[name].iter_rows(values_only=True)]
        assert a == b, name


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 tasks.py test" in readme and "python3 tasks.py test" in ci


def test_version_is_single_sourced():
    import kamkit

    assert kamkit.__version__ == _pyproject()["project"]["version"]


@pytest.mark.parametrize("command", [["--help"], ["validate", "--help"], ["--version"]])
def test_console_entry_point_runs(command):
    result = subprocess.run([sys.executable, "-m", "kamkit", *command], capture_output=True,
                            text=True, cwd=Path(ROOT))
    assert result.returncode == 0, result.stderr


def test_code_is_lint_free():
    pytest.importorskip("ruff")
    from ruff.__main__ import find_ruff_bin

    paths = [p for p in ("kamkit", "tests", "benchmarks", "tasks.py", "conftest.py")
             if (ROOT / p).exists()]
    result = subprocess.run([find_ruff_bin(), "check", "--output-format", "concise", *paths],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_imports_together():
    """Importing everything at once proves no two modules give a column two meanings."""
    import importlib
    import pkgutil

    import kamkit

    for info in pkgutil.walk_packages(kamkit.__path__, "kamkit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
