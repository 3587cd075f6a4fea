"""Stage 1 at scale: 100,000 customers, 10 million transaction lines, against DuckDB.

What "the identification stage" means here, for an analyst: from the Parquet files on
disk to the scored, selected table of key accounts with a reason for every account.
That is ``kamkit.load(path, **kamkit.identification.selection.LEAN)`` (the tables and columns the
stage uses, every one of them validated: types, allowed values, ids known to the
accounts table, dates not in the future, the sign rule of returns and credit notes)
followed by ``kamkit.identification.selection.identify`` with the default definition.

The baseline is the same computation written directly in DuckDB SQL over the same
Parquet files: revenue by account and rolling year, growth, margin, weighted
opportunities, wallet headroom, the percentile scores, the weighted score and the
selection. It validates nothing. Both run in fresh processes (so peak memory is each
one's own), several times; the medians are compared, and the two selections must agree.

    python -m benchmarks identification            # 100,000 accounts (data reused)
    python -m benchmarks identification --accounts 2000 --repeat 1   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
#: Lines per account and year that give a little over 10 million lines for 100,000
#: customers over three years (the generator's default, 33, gives 9.6 million).
LINES_PER_ACCOUNT_YEAR = 34.5
TARGET_SECONDS = 10.0
TARGET_MEMORY_MIB = 3 * 1024
TARGET_RATIO = 2.0

_DUCKDB_SQL = """
WITH meta AS (
    SELECT max(CASE WHEN key = 'as_of' THEN value END)::DATE AS as_of,
           max(CASE WHEN key = 'key_account_managers' THEN value END)::INTEGER AS managers
    FROM read_parquet('{d}/meta.parquet')
), lines AS (
    SELECT t.account_id, t.revenue, t.cost,
           CASE WHEN t.date > m.as_of - INTERVAL 1 YEAR AND t.date <= m.as_of THEN 0
                WHEN t.date > m.as_of - INTERVAL 2 YEAR
                     AND t.date <= m.as_of - INTERVAL 1 YEAR THEN 1
                WHEN t.date > m.as_of - INTERVAL 3 YEAR
                     AND t.date <= m.as_of - INTERVAL 2 YEAR THEN 2 END AS yr
    FROM read_parquet('{d}/transactions.parquet') t, meta m
), sales AS (
    SELECT account_id,
           sum(revenue) FILTER (WHERE yr = 0) AS r0,
           sum(revenue) FILTER (WHERE yr = 1) AS r1,
           sum(revenue) FILTER (WHERE yr = 2) AS r2,
           sum(revenue - cost) FILTER (WHERE yr = 0) AS gm0
    FROM lines WHERE yr IS NOT NULL GROUP BY account_id
), opps AS (
    SELECT account_id, sum(coalesce(value_3y, 0) * coalesce(probability, 0)) AS opp
    FROM read_parquet('{d}/opportunities.parquet') GROUP BY account_id
), wallet AS (
    SELECT w.account_id, w.spend,
           CASE year(m.as_of) - w.year WHEN 0 THEN s.r0 WHEN 1 THEN s.r1 WHEN 2 THEN s.r2
           END AS ours
    FROM (SELECT account_id, arg_max(spend, year) AS spend, max(year) AS year
          FROM read_parquet('{d}/wallet.parquet') GROUP BY account_id) w
    CROSS JOIN meta m LEFT JOIN sales s USING (account_id)
), crit AS (
    SELECT a.account_id, a.accepts_key_status,
           coalesce(s.r0, 0) AS revenue_12m,
           coalesce(s.r0, 0) + coalesce(s.r1, 0) + coalesce(s.r2, 0) AS revenue_3y,
           CASE WHEN s.r2 > 0 THEN pow(greatest(coalesce(s.r0, 0), 0) / s.r2, 0.5) - 1 END
               AS growth,
           CASE WHEN s.r0 > 0 THEN s.gm0 / s.r0 END AS margin,
           coalesce(o.opp, 0) AS opportunity_value,
           CASE WHEN w.spend IS NOT NULL THEN greatest(0, w.spend - coalesce(w.ours, 0)) END
               AS headroom,
           a.strategic_role, a.collaboration,
           CASE a.relationship_stage WHEN 'exploratory' THEN 0 WHEN 'basic' THEN 1
               WHEN 'cooperative' THEN 2 WHEN 'interdependent' THEN 3
               WHEN 'integrated' THEN 4 END AS relationship_stage
    FROM read_parquet('{d}/accounts.parquet') a
    LEFT JOIN sales s USING (account_id) LEFT JOIN opps o USING (account_id)
    LEFT JOIN wallet w USING (account_id)
), scored AS (
    SELECT account_id, accepts_key_status, {score} AS score FROM crit
)
SELECT account_id, score FROM scored, meta
WHERE coalesce(accepts_key_status, TRUE) AND score >= {min_score} - 1e-9
ORDER BY score DESC, account_id
LIMIT (SELECT managers * 3 FROM meta)
"""


def _percentile_sql(column: str) -> str:
    # kamkit's percentile rule: 100 x (accounts strictly lower) / (known - 1); missing 0
    return (f"CASE WHEN {column} IS NULL THEN 0 ELSE 100 * percent_rank() OVER "
            f"(PARTITION BY {column} IS NULL ORDER BY {column}) END")


def duckdb_sql(folder: Path) -> str:
    """The identification stage as one DuckDB query over the Parquet files."""
    from kamkit.identification.selection import DEFAULT_MIN_SCORE, DEFAULT_WEIGHTS

    score = " + ".join(f"{w!r} * ({_percentile_sql(c)})" for c, w in DEFAULT_WEIGHTS.items())
    return _DUCKDB_SQL.format(d=folder.as_posix(), score=score, min_score=DEFAULT_MIN_SCORE)


# --------------------------------------------------------------------------------------
# One measurement, in a fresh process


def _peak_mib() -> float:
    """This process's peak resident memory. ``ru_maxrss`` would not do: Linux carries it
    over fork and exec, so a child would report the parent's peak (data generation)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_kamkit(folder: Path) -> dict:
    """Load (lean, validated) and identify; the phases' times and the key accounts."""
    start = time.perf_counter()
    import kamkit
    from kamkit.identification import selection as identification

    imported = time.perf_counter()
    portfolio = kamkit.load(folder, **identification.LEAN)
    loaded = time.perf_counter()
    result = identification.identify(portfolio)
    done = time.perf_counter()
    keys = result.key_accounts
    return {"seconds": done - imported, "load": loaded - imported, "identify": done - loaded,
            "import": imported - start, "peak_mib": _peak_mib(),
            "lines": portfolio.sales.lines, "accounts": len(portfolio.accounts),
            "keys": keys["account_id"].tolist(), "scores": keys["score"].round(6).tolist()}


def run_duckdb(folder: Path) -> dict:
    """The same stage in DuckDB SQL."""
    sql = duckdb_sql(folder)  # written before the clock starts
    start = time.perf_counter()
    import duckdb

    imported = time.perf_counter()
    con = duckdb.connect()
    rows = con.sql(sql).fetchall()
    done = time.perf_counter()
    return {"seconds": done - imported, "import": imported - start, "peak_mib": _peak_mib(),
            "keys": [r[0] for r in rows], "scores": [round(r[1], 6) for r in rows]}


def _child(engine: str, folder: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-m", "benchmarks.identification", "--child",
                          engine, "--data", str(folder)], capture_output=True, text=True,
                         env=env, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"{engine} run failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------
# Data


def ensure_data(accounts: int, seed: int, lines: float, data: Path = DATA) -> Path:
    """Generate the synthetic portfolio as Parquet once; reuse it afterwards."""
    folder = Path(data) / f"identification-{accounts}-seed{seed}-lines{lines:g}"
    done = folder / ".complete"
    if done.exists():
        return folder
    from kamkit.data.synth import generate_frames, write

    print(f"generating {accounts:,} accounts into {_shown(folder)} ...", flush=True)
    t = time.perf_counter()
    write(generate_frames(accounts=accounts, years=3, seed=seed,
                          lines_per_account_year=lines), folder, "parquet", overwrite=True)
    done.write_text("ok\n", encoding="utf-8")  # only a finished folder is reused
    print(f"  done in {time.perf_counter() - t:.0f} s", flush=True)
    return folder


def _shown(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(ROOT))
    except ValueError:
        return str(folder)


def machine() -> str:
    """The machine in one line (CPUs, memory, Python and library versions, load)."""
    import duckdb
    import numpy
    import pandas
    import pyarrow

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, {mem:.0f} GiB; "
            f"Python {platform.python_version()}, pandas {pandas.__version__}, "
            f"numpy {numpy.__version__}, pyarrow {pyarrow.__version__}, "
            f"duckdb {duckdb.__version__}; load average {load}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures (exit code 0 even when a target is missed)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks identification",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lines-per-account-year", type=float,
                        default=LINES_PER_ACCOUNT_YEAR)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine")
    parser.add_argument("--data-dir", type=Path, default=DATA,
                        help="where generated portfolios are kept (default: benchmarks/data)")
    parser.add_argument("--child", choices=["kamkit", "duckdb"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = (run_kamkit if args.child == "kamkit" else run_duckdb)(args.data)
        print(json.dumps(result))
        return 0

    folder = ensure_data(args.accounts, args.seed, args.lines_per_account_year, args.data_dir)
    print(f"machine: {machine()}")
    runs: dict[str, list[dict]] = {"kamkit": [], "duckdb": []}
    for _ in range(args.repeat):  # interleaved, so both see the same machine
        for engine in runs:
            runs[engine].append(_child(engine, folder))
    k, d = runs["kamkit"], runs["duckdb"]

    def med(items: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in items)

    print(f"data: {k[0]['accounts']:,} accounts, {k[0]['lines']:,} transaction lines, "
          f"Parquet in {_shown(folder)}")
    print(f"runs: {args.repeat} of each, in fresh processes; medians (min)")
    rows = [
        ("kamkit: lean validated load + identify", med(k, "seconds"),
         min(r["seconds"] for r in k), max(r["peak_mib"] for r in k)),
        ("  of which load and validation", med(k, "load"), min(r["load"] for r in k), None),
        ("  of which identify", med(k, "identify"), min(r["identify"] for r in k), None),
        ("duckdb: the same stage in SQL", med(d, "seconds"), min(r["seconds"] for r in d),
         max(r["peak_mib"] for r in d)),
    ]
    for name, median, low, peak in rows:
        memory = f"{peak:8,.0f} MiB peak" if peak is not None else ""
        print(f"  {name:<42} {median:7.2f} s ({low:.2f})  {memory}")
    ratio = med(k, "seconds") / med(d, "seconds")
    peak = max(r["peak_mib"] for r in k)
    print(f"ratio kamkit / duckdb: {ratio:.2f}")
    same = k[0]["keys"] == d[0]["keys"]
    close = same and all(abs(a - b) < 1e-6 for a, b in zip(k[0]["scores"], d[0]["scores"],
                                                           strict=True))
    print(f"same key accounts and scores in both: {'yes' if close else 'NO'}")
    print("targets: " + "; ".join([
        f"under {TARGET_SECONDS:g} s: {'yes' if med(k, 'seconds') < TARGET_SECONDS else 'no'}",
        f"under {TARGET_MEMORY_MIB / 1024:g} GiB: {'yes' if peak < TARGET_MEMORY_MIB else 'no'}",
        f"within {TARGET_RATIO:g}x DuckDB: {'yes' if ratio <= TARGET_RATIO else 'no'}"]))
    return 0 if close else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
