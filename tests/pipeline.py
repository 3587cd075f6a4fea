"""Small stand-in notebooks with the kit's parameter conventions, for testing the runner.

They are written into a temporary folder by the tests (never committed: nbval would
collect them) and exercise what the batch runner relies on: the identification notebook
writes the selected accounts, per-account notebooks write into their account folder,
the review reads what they wrote. A ``FAIL`` in an account id makes its notebook raise.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from kamkit.run.batch import Stage

PARAMS = """portfolio = "../datasets/company_x"
language = "en"
output_dir = None
account_id = None
keys = 3
sleep = 0.0
"""

IDENTIFICATION = """import time
from pathlib import Path
import kamkit
from kamkit.artifacts import write_json
p = kamkit.load(portfolio)
time.sleep(sleep)
ids = sorted(p.accounts["account_id"])[:keys]
write_json(Path(output_dir) / "identification.json", {"key_accounts": ids})
print(len(ids), "key accounts")
"""

ACCOUNT = """import time
from kamkit.artifacts import account_dir, write_json
import kamkit
p = kamkit.load(portfolio)
name = p.account(account_id)["name"]
time.sleep(sleep)
if "FAIL" in account_id:
    raise ValueError("deliberate failure for " + account_id)
write_json(account_dir(output_dir, account_id) / "dossier.json",
           {"account_id": account_id, "name": name})
print(name)
"""

REVIEW = """from pathlib import Path
from kamkit.artifacts import read_json
found = sorted(read_json(f)["account_id"] for f in Path(output_dir).glob("accounts/*/dossier.json"))
print(len(found), "dossiers")
"""

STAGES = (
    Stage("01_identification.ipynb", "portfolio"),
    Stage("02_needs_analysis.ipynb", "account"),
    Stage("05_portfolio_review.ipynb", "review"),
)


def notebook(body: str) -> nbformat.NotebookNode:
    """A stand-in notebook: a title, the parameters cell, then ``body`` in one cell."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(PARAMS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# test notebook"), params,
                nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def write_pipeline(folder: Path, sleep: float = 0.0) -> Path:
    """Write the stand-in notebooks into ``folder`` and return it; each per-account
    notebook waits ``sleep`` seconds (to catch a run in the middle)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stage, body in zip(STAGES, (IDENTIFICATION, ACCOUNT, REVIEW), strict=True):
        nb = notebook(body)
        if stage.scope == "account":
            nb.cells[1].source = PARAMS.replace("sleep = 0.0", f"sleep = {sleep!r}")
        nbformat.write(nb, str(folder / stage.notebook))
    return folder


def run_args(portfolio: object, out: object, notebooks: object, *more: str) -> list[str]:
    """``kamkit run`` arguments for the stand-in notebooks, one worker, no progress bar."""
    return ["run", str(portfolio), "--out", str(out), "--notebooks", str(notebooks),
            "--quiet", "--workers", "1", *more]


def leftovers(folder: Path) -> list[str]:
    """Half-written files: atomic temporary files and papermill's partial notebooks."""
    return sorted(p.name for p in folder.rglob("*")
                  if p.name.endswith((".tmp", ".partial.ipynb")))
