"""The run's front page: ``index.html`` with the portfolio summary and links to every page.

It reads only what the run wrote (the identification result, the per-account results,
the task outcomes) and the portfolio, and is rewritten atomically at the end of every
run, so it always describes the notebooks that are on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from kamkit import html
from kamkit.artifacts import account_dir, read_json
from kamkit.evaluation import BANDS  # also registers how the bands are shown
from kamkit.i18n import N_, _, format_date, use_language
from kamkit.present import Field, register_fields

__all__ = ["write_index", "INDEX_FILE"]

INDEX_FILE = "index.html"

#: How each notebook of the pipeline is named on the page.
STAGE_LABELS = {
    "01_identification": N_("Identification"),
    "02_needs_analysis": N_("Needs analysis"),
    "03_account_plan": N_("Account plan"),
    "04_evaluation": N_("Evaluation"),
    "05_portfolio_review": N_("Portfolio review"),
}

register_fields({
    **{name: Field(text, "text") for name, text in STAGE_LABELS.items()},
    "page": Field(N_("Page"), "text"),
    "run_status": Field(N_("Status"), "text"),
    "error": Field(N_("Error"), "text"),
    "health_band": Field(N_("Health"), "category"),
    "key_account": Field(N_("Key account"), "bool"),
})


def _href(run_dir: Path, path: str | Path) -> str:
    return Path(path).resolve().relative_to(run_dir.resolve()).as_posix()


def _status_text(status: str) -> str:
    return {"done": _("ok"), "skipped": _("ok (unchanged)"), "failed": _("FAILED")}.get(
        status, status)


def _health(run_dir: Path, account_id: str) -> Any:
    path = account_dir(run_dir, account_id) / "evaluation.json"
    if not path.exists():
        return None
    try:
        band = (read_json(path).get("health") or {}).get("band")
    except (OSError, ValueError, AttributeError):
        return None
    return band if band in BANDS else None


def write_index(run_dir: Path, portfolio: Any, results: Sequence[Any], *,
                language: str = "en") -> Path:
    """Write ``run_dir/index.html`` for a finished run and return its path.

    Parameters
    ----------
    run_dir : Path
    portfolio : Portfolio
    results : sequence of TaskResult
    language : str
    """
    with use_language(language):
        names = dict(zip(portfolio.accounts["account_id"], portfolio.accounts["name"],
                         strict=True))
        summary = portfolio.summary()
        portfolio_rows, account_rows, failures = [], {}, []
        for r in sorted(results, key=lambda r: r.key):
            href = _href(run_dir, r.html) if Path(r.html).exists() else ""
            if r.status == "failed":
                failures.append({"account_id": r.account_id or "",
                                 "page": _(STAGE_LABELS.get(r.stage, r.stage)),
                                 "error": r.error,
                                 "href": _href(run_dir, r.output) if Path(r.output).exists()
                                 else ""})
            if r.account_id is None:
                portfolio_rows.append({"page": _(STAGE_LABELS.get(r.stage, r.stage)),
                                       "run_status": _status_text(r.status), "href": href})
            else:
                row = account_rows.setdefault(r.account_id, {
                    "account_id": r.account_id, "name": names.get(r.account_id, ""),
                    "health_band": _health(run_dir, r.account_id)})
                row[r.stage] = _("open") if href else _status_text(r.status)
                row[f"{r.stage}_href"] = href
        sections = [html.Section(_("Portfolio"), [
            html.Paragraph(summary.render()),
            html.Table(pd.DataFrame(portfolio_rows, columns=["page", "run_status", "href"]),
                       links={"page": "href"}),
        ])]
        if account_rows:
            frame = pd.DataFrame(list(account_rows.values()))
            stages = sorted({r.stage for r in results if r.account_id is not None})
            sections.append(html.Section(_("Accounts"), [html.Table(
                frame, columns=["account_id", "name", "health_band", *stages],
                links={s: f"{s}_href" for s in stages})]))
        if failures:
            sections.append(html.Section(_("Failures"), [
                html.Notice(_("These notebooks failed; each is kept with the error marked at "
                              "the failing cell."), "alert"),
                html.Table(pd.DataFrame(failures), columns=["account_id", "page", "error"],
                           links={"page": "href"})]))
        doc = html.Document(
            title=_("{portfolio}: key account reports").format(portfolio=portfolio.meta.name),
            sections=sections,
            facts=[(_("As of"), format_date(portfolio.as_of)),
                   (_("Currency"), portfolio.currency or "\u2013")],
            currency=portfolio.currency,
            footer=_("Generated by kamkit from the portfolio's data; every figure is "
                     "computed by kamkit."))
        return html.write(doc, run_dir / INDEX_FILE, language=language)
