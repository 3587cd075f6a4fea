"""Conventions every committed notebook keeps (nbval then checks the outputs themselves)."""

from __future__ import annotations

import json
import os
import re
import tempfile

import nbformat
import pytest

from kamkit.run.notebooks import find_notebooks, parameters_cell, read_parameters
from tests.conftest import ROOT

NOTEBOOKS = find_notebooks(ROOT / "notebooks")
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
MACHINE = [m for m in {str(ROOT), os.path.expanduser("~"), tempfile.gettempdir()} if len(m) > 1]

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks committed yet")


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def notebook(request):
    return request.param, nbformat.read(str(request.param), as_version=4)


def test_one_parameters_cell_of_literals(notebook):
    path, nb = notebook
    parameters_cell(nb)
    params = read_parameters(path)
    assert "portfolio" in params and "language" in params, sorted(params)


def test_executed_top_to_bottom(notebook):
    _, nb = notebook
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), "regenerate with: python3 tasks.py regen"


def test_outputs_are_clean(notebook):
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"cell {i} has an error output"
            text = json.dumps(out.get("data", out.get("text", "")))
            assert "<Figure size" not in text, f"cell {i} prints a Figure repr"
            assert not re.search(r" at 0x[0-9a-f]{6,}", text), f"cell {i} shows an address"
            for mark in MACHINE:
                assert mark not in text, f"cell {i} shows a machine path"
    assert "widgets" not in nb.metadata
    assert path.stat().st_size < 2_000_000


def test_logic_lives_in_kamkit(notebook):
    path, nb = notebook
    if "workshop" in path.parts:
        pytest.skip("workshop exercises may ask for a few lines of code")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class) ", cell.source, re.M), (
                f"cell {i} defines a function: move it into kamkit")
            assert "import notebooks" not in cell.source and "%run" not in cell.source
