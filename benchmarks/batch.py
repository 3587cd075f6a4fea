"""The whole pipeline for 50 key accounts: kamkit run against the papermill CLI and the floor.

Three ways to produce the same results for a synthetic portfolio with 50 key accounts:
``01_identification``, then ``02``-``04`` for each of the 50 accounts (150 notebooks),
then ``05_portfolio_review`` - 152 notebooks in all:

(a) **naive baseline**: one ``papermill`` command-line call per notebook, one after
    another, as a script would do it;
(b) **floor**: the same notebooks' code executed cell by cell in one plain Python process
    (a fresh namespace per notebook, the same parameters, every chart rendered to PNG,
    every result file written) - the computations and figures without any notebook
    machinery: no kernels, no messages, no executed .ipynb, no HTML;
(c) **kamkit run** with its defaults (one worker process per core), from scratch
    (``--force``), and then once more with nothing changed.

    python -m benchmarks batch                       # everything (the baseline takes long)
    python -m benchmarks batch --baseline-sample 10  # time every 10th CLI call, scale up

Targets (issue 7): (c) at least 6x faster than (a), within 2.5x of (b), and the
unchanged re-run under 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
NOTEBOOKS = ROOT / "notebooks"
PER_ACCOUNT = ("02_needs_analysis", "03_account_plan", "04_evaluation")


def portfolio(accounts: int, keys: int, seed: int) -> tuple[Path, list[str]]:
    """The synthetic portfolio (written once, reused) and the ids of its key accounts."""
    from kamkit.data import synth

    folder = DATA / f"batch-{accounts}-{seed}"
    if not (folder / "accounts.csv").exists():
        synth.write(synth.generate(accounts=accounts, seed=seed), folder, format="csv",
                    overwrite=True)
    import kamkit

    p = kamkit.load(folder)
    # The accounts with a full dossier (contacts, goals ...): the generator's key candidates.
    candidates = sorted(set(p.contacts["account_id"]) & set(p.goals["account_id"]))
    if len(candidates) < keys:
        raise SystemExit(f"only {len(candidates)} key candidates in {folder}; "
                         "use more --accounts")
    return folder, candidates[:keys]


def notebook_runs(folder: Path, out: Path, ids: list[str]) -> list[tuple[str, dict]]:
    """The 152 notebook runs: (notebook stem, parameters), in pipeline order."""
    base = {"portfolio": os.path.relpath(folder, NOTEBOOKS), "language": "en",
            "output_dir": os.path.relpath(out, NOTEBOOKS)}
    runs = [("01_identification", dict(base))]
    runs += [(stem, {**base, "account_id": i}) for i in ids for stem in PER_ACCOUNT
             if (NOTEBOOKS / f"{stem}.ipynb").exists()]
    if (NOTEBOOKS / "05_portfolio_review.ipynb").exists():
        runs.append(("05_portfolio_review", dict(base)))
    return runs


def baseline_cli(runs: list[tuple[str, dict]], out: Path, sample: int) -> tuple[float, int]:
    """(a): one papermill command per notebook; with ``sample`` > 1 every sample-th only."""
    papermill = shutil.which("papermill", path=str(Path(sys.executable).parent)) or "papermill"
    chosen = runs[::sample]
    started = time.perf_counter()
    for n, (stem, params) in enumerate(chosen):
        args = [papermill, str(NOTEBOOKS / f"{stem}.ipynb"), str(out / f"{n:03d}-{stem}.ipynb"),
                "--cwd", str(NOTEBOOKS), "--no-progress-bar", "--log-level", "ERROR"]
        for key, value in params.items():
            args += ["-p", key, str(value)]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    return elapsed * len(runs) / len(chosen), len(chosen)


_FLOOR = r'''
import json, sys, time
import nbformat
import kamkit.charts

def show(fig, alt=None):          # the figure is drawn to PNG, as a notebook would
    kamkit.charts.to_png(fig)

kamkit.charts.show = show
runs = json.loads(sys.argv[1])
started = time.perf_counter()
for stem, params in runs:
    nb = nbformat.read(f"{stem}.ipynb", as_version=4)
    namespace = {"__name__": "__main__"}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        exec(compile(source, stem, "exec"), namespace)
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(params)            # what papermill's injected cell does
print(json.dumps({"seconds": time.perf_counter() - started}))
'''


def floor(runs: list[tuple[str, dict]]) -> float:
    """(b): the notebooks' code in one plain Python process (its start-up included)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _FLOOR, json.dumps(runs)], cwd=NOTEBOOKS,
                            check=True, capture_output=True, text=True,
                            env={**os.environ, "MPLBACKEND": "Agg"})
    total = time.perf_counter() - started
    json.loads(result.stdout.strip().splitlines()[-1])
    return total


def kamkit_run(folder: Path, out: Path, ids: list[str], force: bool) -> float:
    """(c): the kamkit command, in its own process, as an analyst runs it."""
    started = time.perf_counter()
    args = [sys.executable, "-m", "kamkit", "run", str(folder), "--out", str(out), "--quiet",
            "--accounts", *ids]
    if force:
        args.append("--force")
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks batch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=600, help="customers in the portfolio")
    parser.add_argument("--keys", type=int, default=50, help="key accounts to run")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=1, help="runs of (b) and (c)")
    parser.add_argument("--baseline-sample", type=int, default=1,
                        help="time every N-th papermill CLI call and scale (default: all)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)

    folder, ids = portfolio(args.accounts, args.keys, args.seed)
    work = DATA / "batch-runs"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    runs = notebook_runs(folder, work / "floor", ids)
    print(f"portfolio {folder.name}: {len(ids)} key accounts, {len(runs)} notebooks; "
          f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores", flush=True)

    floors, kamkits = [], []
    for _ in range(args.repeat):
        shutil.rmtree(work / "floor", ignore_errors=True)
        floors.append(floor(runs))
        kamkits.append(kamkit_run(folder, work / "run", ids, force=True))
    rerun = kamkit_run(folder, work / "run", ids, force=False)
    b, c = statistics.median(floors), statistics.median(kamkits)
    rows = [("(b) floor: the notebooks' code in one process", b),
            ("(c) kamkit run, from scratch", c),
            ("(c') kamkit run again, nothing changed", rerun)]
    if not args.skip_baseline:
        (work / "cli").mkdir()
        a, timed = baseline_cli(notebook_runs(folder, work / "cli-out", ids), work / "cli",
                                args.baseline_sample)
        label = "(a) papermill CLI, one call per notebook"
        if timed != len(runs):
            label += f" ({timed} timed, scaled to {len(runs)})"
        rows.insert(0, (label, a))
    print()
    for label, seconds in rows:
        print(f"{label:<58} {seconds:8.1f} s  {seconds / len(runs):6.2f} s/notebook")
    print()
    if not args.skip_baseline:
        print(f"(a) / (c) = {rows[0][1] / c:.1f}x faster than the papermill CLI (target >= 6)")
    print(f"(c) / (b) = {c / b:.2f}x the floor (target <= 2.5)")
    print(f"unchanged re-run: {rerun:.1f} s (target < 5)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
