"""kamkit run at scale: peak memory of the whole run and time, by number of notebooks.

The portfolio of issue 14: ``kamkit synth --accounts 20000 --seed 3 --format parquet``
(20,000 customers). ``kamkit run`` is started as an analyst starts it, once for each
number of key accounts (default 5, 16 and 50: 17, 50 and 152 notebooks), from scratch.
While it runs, every process of the run (its session and every descendant) is sampled
every 0.1 s; the peak of their summed proportional set size (PSS: a page shared by n
processes counts 1/n to each, so forked kernels are not counted twice) is the run's
peak memory. The peak number of processes alive at once is recorded with it.

    python -m benchmarks scale                      # 17, 50 and 152 notebooks
    python -m benchmarks scale --keys 50            # one size

What must hold (issue 14): the peak memory does not grow with the number of notebooks
(it is set by the workers and the kernels running at once, not by how many ran).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"


def portfolio(accounts: int, seed: int) -> Path:
    """The synthetic Parquet portfolio (written once, reused)."""
    folder = DATA / f"scale-{accounts}-{seed}"
    if not (folder / "accounts.parquet").exists():
        subprocess.run([sys.executable, "-m", "kamkit", "synth", "--accounts", str(accounts),
                        "--seed", str(seed), "--format", "parquet", "--out", str(folder),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    return folder


def key_candidates(folder: Path, keys: int) -> list[str]:
    """The first ``keys`` accounts with a full dossier (the generator's key candidates)."""
    import kamkit

    p = kamkit.load(folder)
    candidates = sorted(set(p.contacts["account_id"]) & set(p.goals["account_id"]))
    if len(candidates) < keys:
        raise SystemExit(f"only {len(candidates)} key candidates in {folder}")
    return candidates[:keys]


def _table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, session) of every live process."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            table[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return table


def run_processes(main: int) -> set[int]:
    """``main``'s session and every descendant of ``main``."""
    table = _table()
    found = {pid for pid, (_ppid, sid) in table.items() if sid == main} | {main}
    while True:
        more = {pid for pid, (ppid, _sid) in table.items() if ppid in found} - found
        if not more:
            return found & set(table)
        found |= more


def pss_kib(pid: int) -> int:
    """Proportional set size of ``pid`` in KiB (0 when it has ended)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(folder: Path, out: Path, ids: list[str], workers: int) -> dict[str, float]:
    """One ``kamkit run`` from scratch: seconds, peak PSS of the run, peak processes."""
    shutil.rmtree(out, ignore_errors=True)
    args = [str(Path(sys.executable).with_name("kamkit")), "run", str(folder), "--out",
            str(out), "--quiet", "--workers", str(workers), "--accounts", *ids]
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, start_new_session=True)
    peak_kib, peak_procs = 0, 0
    while proc.poll() is None:
        pids = run_processes(proc.pid)
        peak_procs = max(peak_procs, len(pids))
        peak_kib = max(peak_kib, sum(pss_kib(p) for p in pids))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"kamkit run failed ({proc.returncode})")
    return {"seconds": seconds, "peak_gib": peak_kib / 2**20, "processes": peak_procs}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keys", type=int, nargs="+", default=[5, 16, 50],
                        help="numbers of key accounts to run (3 notebooks each, plus 2)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    folder = portfolio(args.accounts, args.seed)
    ids = key_candidates(folder, max(args.keys))
    print(f"portfolio {folder.name}; {args.workers} workers; "
          f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores", flush=True)
    print(f"{'notebooks':>9} {'seconds':>9} {'s/notebook':>11} {'peak memory':>12} "
          f"{'peak processes':>15}")
    results = []
    for keys in args.keys:
        notebooks = 3 * keys + 2
        r = measure(folder, DATA / "scale-runs", ids[:keys], args.workers)
        results.append(r)
        print(f"{notebooks:>9} {r['seconds']:>9.1f} {r['seconds'] / notebooks:>11.2f} "
              f"{r['peak_gib']:>9.2f} GiB {r['processes']:>15}", flush=True)
    if len(results) > 1:
        ratio = results[-1]["peak_gib"] / results[0]["peak_gib"]
        more = (3 * args.keys[-1] + 2) / (3 * args.keys[0] + 2)
        print(f"\npeak memory, largest / smallest run: {ratio:.2f}x "
              f"(for {more:.0f}x the notebooks)")
    shutil.rmtree(DATA / "scale-runs", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
