"""The ``kamkit`` command: the same functions the notebooks call, from a terminal.

Exit codes (:data:`EXIT_CODES`): 0 success; 1 a run finished but some notebooks failed
(or the command could not finish, the message says why); 2 the data or the arguments are
wrong (the message says where; no traceback); 3 another ``kamkit run`` is writing to the
same run folder; 4 a file could not be read or written (disk full, read-only, no
permission, a file where a folder should be); 130 interrupted.

Everything printed passes through :func:`_say`: ids and names are the user's data, and
their control characters (an escape sequence, a right-to-left override) are shown, not
obeyed by the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from kamkit import __version__
from kamkit.artifacts import CONTROLS, visible_controls
from kamkit.exceptions import (
    DataError,
    FileSystemError,
    KamkitError,
    ParameterError,
    RunInProgress,
)
from kamkit.text.i18n import LANGUAGES, NUMERALS, _, format_number, use_language, use_numerals

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_DATA, EXIT_BUSY, EXIT_FILES, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_PIPE = 141  # 128 + SIGPIPE: the output's reader closed it (not in EXIT_CODES: Unix's)

#: What each exit code means (``kamkit --help`` shows it too).
EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_FAILED: "a run finished but some notebooks failed (the summary names each, with "
                 "its failing cell), or the command could not finish",
    EXIT_DATA: "the data or the arguments are wrong; the message says where",
    EXIT_BUSY: "another kamkit run is writing to the same run folder",
    EXIT_FILES: "a file could not be read or written (disk full, read-only, no "
                "permission, a file where a folder should be)",
    EXIT_INTERRUPTED: "interrupted (Ctrl+C)",
}

Handler = Callable[[argparse.Namespace], int]


def _say(text: object = "", *, file: TextIO | None = None, end: str = "\n",
         data: bool = False) -> None:
    """Print ``text`` with its control characters shown (:func:`visible_controls`).

    ``data`` output (CSV) goes out unchanged when it is not read on a terminal (a file or
    a pipe gets the data as it is).
    """
    out = file or sys.stdout
    text = str(text)
    if not (data and not out.isatty()):
        text = visible_controls(text)
    print(text, file=out, end=end)


def _json(data: object) -> str:
    """JSON text whose strings carry no raw control character (they become ``\\u202e``)."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", "-L", choices=LANGUAGES, default=None,
                        help="language of messages, tables and charts (default: en)")
    parser.add_argument("--numerals", choices=NUMERALS, default=None,
                        help="digits in numbers and dates: latin (default) or the "
                             "language's native digits (Persian ۱۲۳)")


def _cmd_validate(args: argparse.Namespace) -> int:
    from kamkit.data.portfolio import load, validate

    report = validate(args.path)
    if not report.ok:
        _say(report.render(notices=not args.quiet), file=sys.stderr)
        return _invalid_code(report)
    portfolio = load(args.path)
    if not args.quiet:
        if report.warnings or report.notices:
            _say(report.render())
            _say()
        _say(portfolio.summary().render())
    _say(_("Valid: {path}").format(path=args.path))
    return EXIT_OK


def _invalid_code(report: Any) -> int:
    """EXIT_FILES when the system refused a file of the portfolio, else EXIT_DATA: the
    data is not what is wrong then, the file's permissions (or the disk) are."""
    from kamkit.data.readers import REFUSED_BY_SYSTEM

    refused = any(p.code == "unreadable" and p.expected == REFUSED_BY_SYSTEM
                  for p in report.errors)
    return EXIT_FILES if refused else EXIT_DATA


def _cmd_synth(args: argparse.Namespace) -> int:
    from kamkit.data import synth

    if args.preset == "company_x":
        portfolio = synth.company_x()
    else:
        portfolio = synth.generate(accounts=args.accounts, years=args.years, seed=args.seed)
    out = synth.write(portfolio, Path(args.out), format=args.format, overwrite=args.force)
    _say(_("Wrote {n} accounts and {lines} transaction lines to {out}").format(
        n=len(portfolio.accounts), lines=len(portfolio.transactions), out=out))
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from kamkit.data.template import write_template

    out = write_template(Path(args.out), format=args.format, overwrite=args.force)
    _say(_("Wrote the empty portfolio template to {out}").format(out=out))
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from kamkit.run.batch import run

    summary = run(args.portfolio, args.out, accounts=args.accounts or None,
                  workers=args.workers, scheduler=args.scheduler, force=args.force,
                  quiet=args.quiet, language=args.language or "en", run_name=args.run,
                  notebooks=args.notebooks)
    _say(summary.render(), file=sys.stderr if summary.failed else sys.stdout)
    if summary.refused:  # the file system, not a notebook, is what went wrong
        _say(_("The notebooks that finished are kept; once the problem is solved, the same "
               "command completes the run."), file=sys.stderr)
        return EXIT_FILES
    return EXIT_OK if summary.ok else EXIT_FAILED


def _cmd_dossier(args: argparse.Namespace) -> int:
    from kamkit.data.portfolio import load
    from kamkit.needs.dossier import account_dossier, to_html

    dossier = account_dossier(load(args.path), args.account_id)
    _say(dossier.render())
    if args.html:
        out = to_html(dossier, Path(args.html))
        _say(_("Wrote the dossier to {out}").format(out=out))
    return EXIT_OK


def _cmd_plan(args: argparse.Namespace) -> int:
    from kamkit.data.portfolio import load
    from kamkit.plan.action_list import apply_action_list, write_action_list
    from kamkit.reports.plan import plan_text, write_plan_html

    # Refuse before any work: an existing file is only replaced with --force.
    for target in (args.html, args.actions_xlsx):
        if target and Path(target).exists() and not args.force:
            raise ParameterError(target, _("already exists; pass --force to replace it"))
    if args.update_actions:
        if not args.out:
            raise ParameterError("--out", _("say where the updated portfolio goes: --out "
                                            "NEW-FOLDER (the original is not changed)"))
        written = apply_action_list(args.path, args.account_id, args.update_actions, args.out,
                                    overwrite=args.force)
        _say(_("Wrote the portfolio with the updated actions of {account} to {out}").format(
            account=args.account_id, out=written))
        portfolio = load(written)
    else:
        if args.out:
            raise ParameterError("--out", _("--out goes with --update-actions"))
        portfolio = load(args.path)
    _say(plan_text(portfolio, args.account_id))
    if args.html:
        out = write_plan_html(portfolio, args.account_id, args.html, overwrite=args.force)
        _say(_("Wrote the plan to {out}").format(out=out))
    if args.actions_xlsx:
        out = write_action_list(portfolio, args.account_id, args.actions_xlsx,
                                overwrite=args.force)
        _say(_("Wrote the action list to {out}").format(out=out))
    return EXIT_OK


def _cmd_workshop(args: argparse.Namespace) -> int:
    from kamkit.workshop import editions
    from kamkit.workshop.modules import agenda_markdown

    language = args.language or "en"
    if args.action == "build":
        out = editions.build_handout(args.out, language=language, html=args.html,
                                     force=args.force, portfolio=args.portfolio)
        _say(_("Wrote the participant edition to {out}").format(out=out))
    elif args.action == "html":
        out = editions.build_html(args.out, edition=args.edition, language=language,
                                  force=args.force)
        _say(_("Wrote the static HTML edition to {out}").format(out=out))
    else:
        _say(agenda_markdown(), end="")
    return EXIT_OK


def _pairs(option: str, text: str | None, numbers: bool) -> dict[str, object]:
    """``name=value,name=value`` (or one ``id=reason`` per option) as a dict."""
    out: dict[str, object] = {}
    if not text:
        return out
    items = text.split(",") if numbers else [text]
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            example = "revenue_12m=0.3,strategic_role=0.2" if numbers else \
                '"CX-006=board decision"'
            raise ParameterError(option, _("write NAME=VALUE, such as {example}; got {text!r}"
                                           ).format(example=example, text=item))
        if numbers:
            try:
                out[name.strip()] = float(value)
            except ValueError:
                raise ParameterError(option, _("the weight of {name} must be a number; got "
                                               "{value!r}").format(name=name.strip(),
                                                                   value=value)) from None
        else:
            out[name.strip()] = value.strip()
    return out


def _cmd_identify(args: argparse.Namespace) -> int:

    from kamkit.artifacts import to_jsonable
    from kamkit.data.portfolio import load
    from kamkit.identification import selection as idn
    from kamkit.reports.present import table

    weights = _pairs("--weights", args.weights, numbers=True) or None
    force_in: dict[str, object] = {}
    for item in args.force_in or []:
        force_in.update(_pairs("--force-in", item, numbers=False))
    force_out: dict[str, object] = {}
    for item in args.force_out or []:
        force_out.update(_pairs("--force-out", item, numbers=False))
    portfolio = load(args.path, **idn.LEAN) if args.lean else load(args.path)
    result = idn.identify(portfolio, weights, max_key=args.max_key,
                          key_account_managers=args.key_account_managers,
                          accounts_per_manager=args.per_manager, min_score=args.min_score,
                          force_in=force_in, force_out=force_out)
    if args.format == "json":
        data = idn.result_data(result, idn.portfolio_matrix(result))
        _say(_json(to_jsonable(data)))
    elif args.format == "csv":
        columns = ["score_rank", "account_id", "name", "revenue_12m", "score", "selected",
                   "rank", "group", "decision", "reason", "missing"]
        _say(result.table[columns].to_csv(index=False, lineterminator="\n"), end="",
             data=True)
    else:
        cur = portfolio.currency
        sections = [
            (_("Key accounts: {n} of at most {cap} (minimum score {minimum})").format(
                n=len(result.key_accounts), cap=result.cap,
                minimum=format_number(result.min_score, 0)),
             result.key_accounts, ["rank", "account_id", "name", "score", "revenue_12m",
                                   "reason"]),
            (_("Big but not key"), result.big_not_key,
             ["account_id", "name", "score", "revenue_12m", "reason"]),
            (_("May become key"), result.potential_key,
             ["account_id", "name", "score", "potential_score", "reason"]),
        ]
        for title, frame, columns in sections:
            _say(title)
            if frame.empty:
                _say("  \u2013")
            else:
                _say(table(frame, columns=columns, currency=cur).to_string())
            _say()
        _say(_("Weights: {weights}").format(weights=", ".join(
            f"{name} {format_number(value, 2)}" for name, value in result.weights.items())))
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:

    from kamkit.data.portfolio import load
    from kamkit.evaluation import measures as evaluation
    from kamkit.reports.present import table

    weights = _pairs("--weights", args.weights, numbers=True) or None
    portfolio = load(args.path)
    result = evaluation.evaluate(portfolio, args.account_id, weights=weights,
                                 period_months=args.period_months)
    if args.format == "json":
        _say(_json(evaluation.result_data(result)))
        return EXIT_OK
    _say(result.render())
    _say()
    _say(_("Health components"))
    _say(table(result.health.components, columns=["component", "measured", "score", "weight",
                                                   "points", "drive"]).to_string())
    if len(result.goals):
        _say()
        _say(_("Goal attainment"))
        _say(table(result.goals, columns=["goal_id", "metric", "baseline", "target",
                                           "current", "measured_by", "progress",
                                           "time_elapsed", "goal_status"],
                    currency=portfolio.currency).to_string())
    _say()
    _say(_("Customer lifetime value"))
    _say(table(result.clv, columns=["scenario", "retention", "discount_rate",
                                     "margin_growth", "clv_multiple", "clv"],
                currency=portfolio.currency).to_string())
    return EXIT_OK


def _cmd_review(args: argparse.Namespace) -> int:

    from kamkit.data.portfolio import load
    from kamkit.reports.present import table
    from kamkit.review import portfolio as review

    if args.run_dir is not None and not Path(args.run_dir).is_dir():
        raise FileNotFoundError(2, "no such folder", args.run_dir)
    portfolio = load(args.portfolio)
    result = review.portfolio_review(portfolio, args.run_dir,
                                     period_months=args.period_months)
    if args.format == "json":
        _say(_json(review.review_data(result)))
        return EXIT_OK
    _say(result.summary())
    _say(result.source_text())
    sections = [
        (_("Health of the key accounts"), result.health,
         ["rank", "account_id", "name", "owner", "health_score", "health_band",
          "health_trend", "main_drag"]),
        (_("Recommendations for the next cycle"), result.recommendations,
         ["kind", "account_id", "name", "recommendation"]),
        (_("Stale dossiers"), result.stale, ["account_id", "name", "last_review"]),
        (_("Overdue plans"), result.overdue, ["account_id", "name", "overdue_actions",
                                              "evidence"]),
        (_("Missing or unreadable results"), result.problems,
         ["account_id", "result", "problem", "detail"]),
    ]
    for title, frame, columns in sections:
        _say()
        _say(title)
        _say(table(frame, columns=columns).to_string() if len(frame) else "  \u2013")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``kamkit`` command (one sub-command per task)."""
    parser = argparse.ArgumentParser(
        prog="kamkit",
        description="Key Account Management kit: validate portfolios, identify key "
                    "accounts, run the per-account notebooks and reports.",
        epilog="exit codes:\n" + "\n".join(f"  {code:<4} {text}"
                                            for code, text in EXIT_CODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"kamkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a portfolio and print every problem at once",
                       description="Check every table of a portfolio (CSV folder, .xlsx "
                                   "workbook or Parquet folder) and print all problems with "
                                   "file, column, row and what was expected. Exit code 0 "
                                   "when valid, 2 when not.")
    p.add_argument("path", help="portfolio folder or .xlsx workbook")
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    _add_language(p)
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser("run", help="run every notebook for a portfolio and write the reports",
                       description="Run identification, then needs analysis, account plan and "
                                   "evaluation for every key account (in parallel), then the "
                                   "portfolio review; write executed notebooks, HTML pages "
                                   "and index.html under OUT/RUN. Unchanged notebooks are not "
                                   "run again. Exit code 0 when all succeeded, 1 when any "
                                   "notebook failed, 2 when the data or an argument is "
                                   "invalid, 3 when another run is writing to the run "
                                   "folder, 4 when a file cannot be read or written (see "
                                   "kamkit --help).")
    p.add_argument("portfolio", help="portfolio folder or .xlsx workbook")
    p.add_argument("--out", default="reports", help="parent folder of the run (default: "
                                                    "reports)")
    p.add_argument("--run", default=None, help="name of the run folder (default: the "
                                               "portfolio's name)")
    p.add_argument("--accounts", nargs="+", metavar="ID", help="run these accounts instead "
                                                               "of the selected key accounts")
    p.add_argument("--workers", type=int, default=None, help="worker processes, at least 1 "
                                                             "(default: number of cores)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://host:8786")
    p.add_argument("--force", action="store_true", help="run every notebook again")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar (for logs)")
    p.add_argument("--notebooks", default=None, help="folder of the notebooks (default: the "
                                                     "kit's)")
    _add_language(p)
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("identify", help="score the accounts and select the key accounts",
                       description="Score every account against the weighted criteria of "
                                   "stage 1 and select the key accounts (cap, minimum "
                                   "score, overrides). Exit code 2 for bad data or "
                                   "parameters.")
    p.add_argument("path", help="portfolio folder or .xlsx workbook")
    p.add_argument("--weights", metavar="NAME=VALUE,...",
                   help="criterion weights, e.g. revenue_12m=0.3,strategic_role=0.2 "
                        "(default: kamkit's definition; normalised to sum to 1)")
    p.add_argument("--max-key", type=int, default=None, metavar="N",
                   help="cap on key accounts (default: managers x accounts per manager)")
    p.add_argument("--key-account-managers", type=int, default=None, metavar="N",
                   help="number of key account managers (default: from the portfolio's meta)")
    p.add_argument("--per-manager", type=int, default=3, metavar="N",
                   help="key accounts per manager, 1 to 3 (default: 3)")
    p.add_argument("--min-score", type=float, default=50.0, metavar="X",
                   help="minimum score 0-100 of a selected account (default: 50)")
    p.add_argument("--force-in", action="append", metavar="ID=REASON",
                   help="select this account whatever its score (repeatable)")
    p.add_argument("--force-out", action="append", metavar="ID=REASON",
                   help="never select this account (repeatable)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="table for reading, csv (every account) or json (identification.json)")
    p.add_argument("--lean", action="store_true",
                   help="load and validate only the tables and columns identification "
                        "uses, keeping the transactions only as sums by account and year "
                        "(large portfolios; the rest is not read)")
    _add_language(p)
    p.set_defaults(handler=_cmd_identify)

    p = sub.add_parser("synth", help="generate a seeded synthetic portfolio",
                       description="Generate a synthetic portfolio (the same seed always "
                                   "gives the same files), or the Company X case study.")
    p.add_argument("--preset", choices=["company_x"], default=None,
                   help="generate a named case study instead of a random portfolio")
    p.add_argument("--accounts", type=int, default=150, help="number of customers")
    p.add_argument("--years", type=int, default=3, help="years of transactions")
    p.add_argument("--seed", type=int, default=7, help="random seed")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv")
    p.add_argument("--force", action="store_true", help="replace existing files")
    _add_language(p)
    p.set_defaults(handler=_cmd_synth)

    p = sub.add_parser("template", help="write an empty portfolio template to fill in",
                       description="Write the empty portfolio template: CSV files with "
                                   "headers, or one .xlsx workbook with an instructions sheet.")
    p.add_argument("--out", required=True, help="folder (csv) or workbook path (xlsx)")
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--force", action="store_true", help="replace existing files")
    _add_language(p)
    p.set_defaults(handler=_cmd_template)

    p = sub.add_parser("dossier", help="the account dossier of one account (stage 2)",
                       description="Print the key figures and relationship risk flags of "
                                   "one account's dossier, and write the whole dossier as a "
                                   "standalone HTML page with --html.")
    p.add_argument("path", help="portfolio folder or .xlsx workbook")
    p.add_argument("account_id", help="the account's id, as in the accounts table")
    p.add_argument("--html", metavar="OUT", default=None,
                   help="write the dossier as a self-contained HTML file")
    _add_language(p)
    p.set_defaults(handler=_cmd_dossier)

    p = sub.add_parser("plan", help="check an account's key account plan and export it",
                       description="Check the key account plan of one account (the SMART "
                                   "check of its goals, the balance flags, the expected "
                                   "return), write it as an HTML document or its action "
                                   "list as an .xlsx workbook, or load an updated action "
                                   "list into a copy of the portfolio.")
    p.add_argument("path", help="portfolio folder or .xlsx workbook")
    p.add_argument("account_id", help="the account whose plan to check")
    p.add_argument("--html", metavar="OUT", help="write the plan as a standalone HTML file")
    p.add_argument("--actions-xlsx", metavar="OUT",
                   help="write the action list as an .xlsx workbook owners can update")
    p.add_argument("--update-actions", metavar="FILE",
                   help="load an updated action list (.xlsx) into a copy of the portfolio")
    p.add_argument("--out", metavar="NEWDIR",
                   help="where the updated copy goes (with --update-actions)")
    p.add_argument("--force", action="store_true", help="replace existing files")
    _add_language(p)
    p.set_defaults(handler=_cmd_plan)

    p = sub.add_parser("evaluate", help="evaluate one key account: measures and health "
                                        "(stages 4-5)",
                       description="Evaluate one account: revenue growth, margin and discount "
                                   "erosion, share of wallet, customer lifetime value, "
                                   "satisfaction, NPS, depth of relationship, plan attainment "
                                   "and the health score with its trend. --format json prints "
                                   "evaluation.json.")
    p.add_argument("path", help="portfolio folder or .xlsx workbook")
    p.add_argument("account_id", help="the account's id, as in the accounts table")
    p.add_argument("--format", choices=["table", "json"], default="table",
                   help="table for reading (default) or json (evaluation.json)")
    p.add_argument("--weights", metavar="NAME=VALUE,...",
                   help="health weights, e.g. satisfaction=0.3,revenue_growth=0.2 (default: "
                        "kamkit's; normalised to sum to 1)")
    p.add_argument("--period-months", type=int, default=12, metavar="N",
                   help="the trend compares with N months earlier (default 12; 3 = a quarter)")
    _add_language(p)
    p.set_defaults(handler=_cmd_evaluate)

    p = sub.add_parser("review", help="the portfolio review of the key accounts (stage 5)",
                       description="Review every key account: the health table, the "
                                   "recommendations for the next cycle, stale dossiers and "
                                   "overdue plans. With RUN_DIR, read the results a "
                                   "'kamkit run' wrote there; without, compute them. "
                                   "--format json prints review.json.")
    p.add_argument("portfolio", help="portfolio folder or .xlsx workbook")
    p.add_argument("run_dir", nargs="?", default=None,
                   help="a run folder of 'kamkit run' to read the results from")
    p.add_argument("--format", choices=["table", "json"], default="table",
                   help="table for reading (default) or json (review.json)")
    p.add_argument("--period-months", type=int, default=12, metavar="N",
                   help="matrix movement and retention look N months back (default 12)")
    _add_language(p)
    p.set_defaults(handler=_cmd_review)

    p = sub.add_parser("workshop", help="build the workshop's participant and HTML editions",
                       description="The KAM workshop (notebooks/workshop, trainer edition): "
                                   "'build' writes the folder to hand out (participant "
                                   "notebooks without solutions, the data, a README); 'html' "
                                   "writes a static HTML page per module for participants "
                                   "who cannot install anything; 'agenda' prints the day's "
                                   "agenda. An existing folder is never replaced without "
                                   "--force.")
    w = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    b = w.add_parser("build", help="write the participant edition and data to hand out")
    b.add_argument("--out", required=True, help="folder to create")
    b.add_argument("--html", action="store_true", help="also write the static HTML pages "
                                                       "into OUT/html")
    b.add_argument("--portfolio", default=None, help="hand out this portfolio (folder or "
                                                      ".xlsx) instead of the case study")
    b.add_argument("--force", action="store_true", help="replace OUT if it exists")
    _add_language(b)
    h = w.add_parser("html", help="write a static HTML page per module")
    h.add_argument("--out", required=True, help="folder to create")
    h.add_argument("--edition", choices=["participant", "trainer"], default="participant",
                   help="participant (exercises open, default) or trainer (with solutions "
                        "and instructor notes)")
    h.add_argument("--force", action="store_true", help="replace OUT if it exists")
    _add_language(h)
    a = w.add_parser("agenda", help="print the day's agenda (Markdown)")
    _add_language(a)
    p.set_defaults(handler=_cmd_workshop)
    return parser


def _file_error(command: str, exc: FileSystemError) -> int:
    """Report a file that could not be read or written, after what a run had done."""
    if exc.summary is not None:
        _say(exc.summary.render(), file=sys.stderr)
    _say(_("kamkit {command}: {message}").format(command=command, message=exc),
         file=sys.stderr)
    if exc.summary is not None:
        _say(_("The notebooks that finished are kept; once the problem is solved, the same "
               "command completes the run."), file=sys.stderr)
    return EXIT_FILES


def _silence_stdout() -> None:
    """Point stdout at the null device, so that flushing it at exit raises nothing."""
    import os

    # No file descriptor behind it (tests, notebooks): nothing to point elsewhere.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a CI timeout, ``docker stop``), ended like Ctrl+C."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise _Terminated


@contextlib.contextmanager
def _terminate_like_interrupt() -> Iterator[None]:
    """While the command runs, SIGTERM unwinds it as Ctrl+C does: the run's workers and
    kernels are stopped and its lock released in order, instead of the process
    vanishing mid-write."""
    try:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread: leave signals to whoever owns them
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kamkit`` command; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with _terminate_like_interrupt():
        return _main(args)


def _main(args: argparse.Namespace) -> int:
    # Language and digits hold for this command only: main() may run many times in one
    # process (tests, notebooks), and must not change what the next caller gets.
    with (use_language(getattr(args, "language", None)),
          use_numerals(getattr(args, "numerals", None))):
        try:
            code = int(args.handler(args))
            sys.stdout.flush()  # a closed pipe is met here, not at exit
            return code
        except FileSystemError as exc:
            return _file_error(args.command, exc)
        except RunInProgress as exc:
            _say(_("kamkit {command}: {message}").format(command=args.command, message=exc),
                 file=sys.stderr)
            return EXIT_BUSY
        except DataError as exc:
            _say(str(exc), file=sys.stderr)
            report = getattr(exc, "report", None)
            return _invalid_code(report) if report is not None else EXIT_DATA
        except ParameterError as exc:
            _say(_("kamkit {command}: {message}").format(command=args.command, message=exc),
                  file=sys.stderr)
            return EXIT_DATA
        except FileNotFoundError as exc:
            _say(_("kamkit {command}: no such file or folder: {path}").format(
                command=args.command, path=exc.filename or exc), file=sys.stderr)
            return EXIT_DATA
        except BrokenPipeError:
            # The reader stopped reading (kamkit identify | head): end quietly with the
            # code of a process the closed pipe ended, as grep or cat do.
            _silence_stdout()
            return EXIT_PIPE
        except OSError as exc:  # a command that reads and writes without atomic_write
            return _file_error(args.command, FileSystemError.from_os_error(exc, action=""))
        except KamkitError as exc:
            _say(_("kamkit {command}: {message}").format(command=args.command, message=exc),
                  file=sys.stderr)
            return EXIT_FAILED
        except KeyboardInterrupt as exc:
            _say(_("Interrupted."), file=sys.stderr)
            return 128 + signal.SIGTERM if isinstance(exc, _Terminated) else EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
