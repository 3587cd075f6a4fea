"""The kit's own notebooks: find them, read their parameters, regenerate them in place.

Committed notebooks carry outputs produced from the bundled data, and ``pytest --nbval``
checks that the code still produces them. After a change to kamkit or the data, run

    python3 tasks.py regen            # all notebooks
    python3 tasks.py regen notebooks/01_identification.ipynb

which executes each notebook top to bottom with its default parameters, in its own
folder, and writes it back without volatile metadata (no timings, no widget model ids),
so a regeneration that changes nothing changes no byte.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from kamkit.artifacts import atomic_write

__all__ = ["find_notebooks", "parameters_cell", "read_parameters", "clean",
           "execute_in_place", "main"]

PARAMETERS_TAG = "parameters"
_VOLATILE_CELL_METADATA = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled")
_VOLATILE_NB_METADATA = ("papermill", "widgets")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def find_notebooks(root: str | Path) -> list[Path]:
    """Every ``.ipynb`` under ``root`` (checkpoints and hidden folders excluded), sorted."""
    root = Path(root)
    return sorted(p for p in root.rglob("*.ipynb")
                  if not any(part.startswith(".") for part in p.relative_to(root).parts))


def parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The one cell tagged ``parameters``.

    Raises
    ------
    ValueError
        When there is no such cell, or more than one.
    """
    cells = [c for c in nb.cells if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"expected one cell tagged {PARAMETERS_TAG!r}, found {len(cells)}")
    return cells[0]


def read_parameters(path: str | Path) -> dict[str, Any]:
    """The default parameters of a notebook: names and literal values of its parameters cell.

    Only plain assignments of literals are allowed there (what papermill can override).
    """
    nb = nbformat.read(str(path), as_version=4)
    tree = ast.parse(parameters_cell(nb).source)
    values: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            values[node.target.id] = ast.literal_eval(node.value) if node.value else None
        elif not isinstance(node, ast.Expr):  # comments/docstrings are fine
            raise ValueError(f"{path}: the parameters cell may only assign literals")
    return values




def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what changes on every run (timings, papermill records, widget ids).

    A widget's live view (``application/vnd.jupyter.widget-view+json``) names a random
    model id and cannot show without the kernel that made it; where the output has
    another form (kamkit's widgets give a deterministic ``text/plain`` and a static
    ``text/html``), the view is dropped, so the committed notebook and its HTML show
    that form until the notebook runs again.
    """
    for key in _VOLATILE_NB_METADATA:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if _WIDGET_VIEW in data and len(data) > 1:
                del data[_WIDGET_VIEW]
    return nb


def execute_in_place(path: str | Path, *, timeout: int = 900,
                     kernel_name: str = "python3") -> Path:
    """Execute ``path`` top to bottom in its own folder and save it with its new outputs.

    The notebook is written atomically, and only when every cell succeeded: a failing
    notebook raises and the committed file stays as it was.
    """
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, store_widget_state=False,
                            shutdown_kernel="immediate")
    client.execute()
    clean(nb)
    text = nbformat.writes(nb) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kamkit.run.notebooks regenerate [NOTEBOOK ...]``."""
    parser = argparse.ArgumentParser(prog="python -m kamkit.run.notebooks")
    sub = parser.add_subparsers(dest="command", required=True)
    regen = sub.add_parser("regenerate", help="re-execute committed notebooks in place")
    regen.add_argument("notebooks", nargs="*", help="default: every notebook in notebooks/")
    regen.add_argument("--root", default="notebooks")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or find_notebooks(args.root)
    failed = []
    for path in paths:
        print(f"executing {path} ...", flush=True)
        try:
            execute_in_place(path)
        except Exception as exc:  # report every notebook, then fail
            print(f"  FAILED: {type(exc).__name__}: {str(exc).strip().splitlines()[-1]}",
                  file=sys.stderr)
            failed.append(path)
    if failed:
        print(f"{len(failed)} notebook(s) failed; they were left unchanged: "
              + ", ".join(map(str, failed)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
