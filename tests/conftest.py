"""Shared fixtures: a small valid portfolio written as CSV, to break in each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamkit.data.synth import company_x as _build_company_x

ROOT = Path(__file__).resolve().parents[1]
COMPANY_X = ROOT / "datasets" / "company_x"

SMALL = {
    "accounts.csv": (
        "account_id,name,industry,country,owner,first_year,strategic_role,collaboration,"
        "growth_potential,relationship_stage,ladder_step,last_review\n"
        "A-1,Nordwerk GmbH,automation,DE,Anna Nowak,2015,4,4,3,cooperative,"
        "product_supplier,2026-04-10\n"
        "A-2,Энергомаш,energy,UA,Ivan Petrenko,2019,2,3,3,basic,commodity_broker,\n"
        "A-3,پارس پزشکی,medical devices,IR,Reza Ahmadi,2020,5,5,4,basic,value_enhancer,"
        "2026-05-01\n"
    ),
    "transactions.csv": (
        "date,account_id,doc_type,product,product_line,quantity,revenue,cost\n"
        "2025-09-15,A-1,invoice,PSU-600,power supplies,10,5200.00,3600.00\n"
        "2026-01-20,A-1,return,PSU-600,power supplies,-1,-520.00,-360.00\n"
        "2026-02-01,A-2,invoice,DRV-10,drives,2,1800.50,1200.00\n"
        "2026-03-05,A-2,credit_note,DRV-10,drives,0,-100.00,0\n"
        "2026-05-30,A-3,invoice,SNS-1,sensors,40,900.00,450.00\n"
    ),
    "meta.csv": "key,value\nportfolio,Small\ncurrency,EUR\nas_of,2026-06-30\n",
}


def write_portfolio(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (name -> text or bytes) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A valid three-account portfolio as a CSV folder."""
    return write_portfolio(tmp_path / "small", SMALL)


@pytest.fixture
def make_portfolio(tmp_path: Path):
    """Write the small portfolio with some files replaced: ``make_portfolio(**{name: text})``."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes | None]) -> Path:
        merged: dict[str, str | bytes] = dict(SMALL)
        for name, content in files.items():
            if content is None:
                merged.pop(name, None)
            else:
                merged[name] = content
        return write_portfolio(tmp_path / f"p{next(counter)}", merged)

    return make


_BUILT: dict[str, object] = {}


def company_x_copy():
    """The Company X case study (``kamkit.data.synth.company_x()``), built once per process.

    Building it takes a second or more, and dozens of tests and doctests start from it;
    each caller gets its own deep copy, so no test sees another's changes.
    """
    import copy

    if "company_x" not in _BUILT:
        _BUILT["company_x"] = _build_company_x()
    return copy.deepcopy(_BUILT["company_x"])


def _shared_run(tmp_path_factory, worker_id: str, name: str, **options):
    """One ``kamkit run`` shared by every test (and every xdist worker) that asks for it.

    The first caller runs it; another worker arriving meanwhile meets the run folder's
    lock, waits, and then runs it again, which finds everything done and unchanged and
    only rereads it (the runner's own incremental guarantee, exercised for free).
    """
    import time

    from kamkit.exceptions import RunInProgress
    from kamkit.run.batch import run

    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # shared by the xdist workers of this session
    out = root / "shared-runs" / name
    deadline = time.monotonic() + 1800
    while True:
        try:
            return run(COMPANY_X, out, workers=2, quiet=True, **options)
        except RunInProgress:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


@pytest.fixture(scope="session")
def company_x_run(tmp_path_factory, worker_id):
    """The whole pipeline on Company X in English: every key account, every notebook."""
    return _shared_run(tmp_path_factory, worker_id, "en")


@pytest.fixture(scope="session")
def company_x_run_fa(tmp_path_factory, worker_id):
    """The whole pipeline on Company X in Persian (right to left, its own catalogs)."""
    return _shared_run(tmp_path_factory, worker_id, "fa", language="fa")


@pytest.fixture(scope="session")
def company_x_edge_run(tmp_path_factory, worker_id):
    """The per-account notebooks for story accounts that are not key accounts: the
    distributor that declines key status (CX-004), the fast grower (CX-006) and the
    account whose dossier is empty (CX-011). No notebook may fail on them."""
    from kamkit.run.batch import DEFAULT_STAGES

    stages = [s for s in DEFAULT_STAGES if s.scope == "account"]
    return _shared_run(tmp_path_factory, worker_id, "edge", stages=stages,
                       accounts=["CX-004", "CX-006", "CX-011"])
