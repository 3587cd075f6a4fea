"""The ``kamkit`` command: the same functions the notebooks call, from a terminal.

Exit codes: 0 success; 1 a run finished but something in it failed; 2 the data or the
arguments are wrong (the message says where; no traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kamkit import __version__
from kamkit.exceptions import DataError, KamkitError, ParameterError
from kamkit.i18n import LANGUAGES, NUMERALS, _, use_language, use_numerals

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_DATA, EXIT_INTERRUPTED = 0, 1, 2, 130

Handler = Callable[[argparse.Namespace], int]


def _add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", "-L", choices=LANGUAGES, default=None,
                        help="language of messages, tables and charts (default: en)")
    parser.add_argument("--numerals", choices=NUMERALS, default=None,
                        help="digits in numbers and dates: latin (default) or the "
                             "language's native digits (Persian ۱۲۳)")


def _cmd_validate(args: argparse.Namespace) -> int:
    from kamkit.portfolio import load, validate

    report = validate(args.path)
    if not report.ok:
        print(report.render(notices=not args.quiet), file=sys.stderr)
        return EXIT_DATA
    portfolio = load(args.path)
    if not args.quiet:
        if report.warnings or report.notices:
            print(report.render())
            print()
        print(portfolio.summary().render())
    print(_("Valid: {path}").format(path=args.path))
    return EXIT_OK


def _cmd_synth(args: argparse.Namespace) -> int:
    from kamkit import synth

    if args.preset == "company_x":
        portfolio = synth.company_x()
    else:
        portfolio = synth.generate(accounts=args.accounts, years=args.years, seed=args.seed)
    out = synth.write(portfolio, Path(args.out), format=args.format, overwrite=args.force)
    print(_("Wrote {n} accounts and {lines} transaction lines to {out}").format(
        n=len(portfolio.accounts), lines=len(portfolio.transactions), out=out))
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from kamkit.template import write_template

    out = write_template(Path(args.out), format=args.format, overwrite=args.force)
    print(_("Wrote the empty portfolio template to {out}").format(out=out))
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from kamkit.batch import run

    summary = run(args.portfolio, args.out, accounts=args.accounts or None,
                  workers=args.workers, scheduler=args.scheduler, force=args.force,
                  quiet=args.quiet, language=args.language or "en", run_name=args.run,
                  notebooks=args.notebooks)
    print(summary.render(), file=sys.stderr if summary.failed else sys.stdout)
    return EXIT_OK if summary.ok else EXIT_FAILED


def _cmd_dossier(args: argparse.Namespace) -> int:
    from kamkit.dossier import account_dossier, to_html
    from kamkit.portfolio import load

    dossier = account_dossier(load(args.path), args.account_id)
    print(dossier.render())
    if args.html:
        out = to_html(dossier, Path(args.html))
        print(_("Wrote the dossier to {out}").format(out=out))
    return EXIT_OK


def _cmd_plan(args: argparse.Namespace) -> int:
    from kamkit.action_list import apply_action_list, write_action_list
    from kamkit.plan_report import plan_text, write_plan_html
    from kamkit.portfolio import load

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
        print(_("Wrote the portfolio with the updated actions of {account} to {out}").format(
            account=args.account_id, out=written))
        portfolio = load(written)
    else:
        if args.out:
            raise ParameterError("--out", _("--out goes with --update-actions"))
        portfolio = load(args.path)
    print(plan_text(portfolio, args.account_id))
    if args.html:
        out = write_plan_html(portfolio, args.account_id, args.html, overwrite=args.force)
        print(_("Wrote the plan to {out}").format(out=out))
    if args.actions_xlsx:
        out = write_action_list(portfolio, args.account_id, args.actions_xlsx,
                                overwrite=args.force)
        print(_("Wrote the action list to {out}").format(out=out))
    return EXIT_OK


def _cmd_workshop(args: argparse.Namespace) -> int:
    from kamkit.workshop import editions
    from kamkit.workshop.modules import agenda_markdown

    language = args.language or "en"
    if args.action == "build":
        out = editions.build_handout(args.out, language=language, html=args.html,
                                     force=args.force, portfolio=args.portfolio)
        print(_("Wrote the participant edition to {out}").format(out=out))
    elif args.action == "html":
        out = editions.build_html(args.out, edition=args.edition, language=language,
                                  force=args.force)
        print(_("Wrote the static HTML edition to {out}").format(out=out))
    else:
        print(agenda_markdown(), end="")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``kamkit`` command (one sub-command per task)."""
    parser = argparse.ArgumentParser(
        prog="kamkit",
        description="Key Account Management kit: validate portfolios, identify key "
                    "accounts, run the per-account notebooks and reports.")
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
                                   "notebook failed, 2 when the data is invalid.")
    p.add_argument("portfolio", help="portfolio folder or .xlsx workbook")
    p.add_argument("--out", default="reports", help="parent folder of the run (default: "
                                                    "reports)")
    p.add_argument("--run", default=None, help="name of the run folder (default: the "
                                               "portfolio's name)")
    p.add_argument("--accounts", nargs="+", metavar="ID", help="run these accounts instead "
                                                               "of the selected key accounts")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: "
                                                             "number of cores)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://host:8786")
    p.add_argument("--force", action="store_true", help="run every notebook again")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar (for logs)")
    p.add_argument("--notebooks", default=None, help="folder of the notebooks (default: the "
                                                     "kit's)")
    _add_language(p)
    p.set_defaults(handler=_cmd_run)

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kamkit`` command; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # Language and digits hold for this command only: main() may run many times in one
    # process (tests, notebooks), and must not change what the next caller gets.
    with (use_language(getattr(args, "language", None)),
          use_numerals(getattr(args, "numerals", None))):
        try:
            return int(args.handler(args))
        except DataError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_DATA
        except ParameterError as exc:
            print(_("kamkit {command}: {message}").format(command=args.command, message=exc),
                  file=sys.stderr)
            return EXIT_DATA
        except FileNotFoundError as exc:
            print(_("kamkit {command}: no such file or folder: {path}").format(
                command=args.command, path=exc.filename or exc), file=sys.stderr)
            return EXIT_DATA
        except KamkitError as exc:
            print(_("kamkit {command}: {message}").format(command=args.command, message=exc),
                  file=sys.stderr)
            return EXIT_FAILED
        except KeyboardInterrupt:
            print(_("Interrupted."), file=sys.stderr)
            return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
