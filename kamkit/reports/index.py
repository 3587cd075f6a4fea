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

from kamkit.artifacts import read_json, result_path
from kamkit.data.labels import Field, register_fields
from kamkit.evaluation.measures import BANDS  # also registers how the bands are shown
from kamkit.identification.selection import Identification  # noqa: F401 - registers rank, score
from kamkit.reports import html
from kamkit.review.portfolio import Review  # noqa: F401 - registers the review's columns
from kamkit.text.i18n import N_, _, format_date, use_language

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
    "failed_cell": Field(N_("Failing cell"), "text"),
    "health_band": Field(N_("Health"), "category"),
    "key_account": Field(N_("Key account"), "bool"),
})


def _href(run_dir: Path, path: str | Path) -> str:
    return Path(path).resolve().relative_to(run_dir.resolve()).as_posix()


def _status_text(status: str) -> str:
    return {"done": _("ok"), "skipped": _("ok (unchanged)"), "failed": _("FAILED")}.get(
        status, status)


def _read(path: Path) -> dict[str, Any]:
    """A result file as a dict; {} when it is missing or unreadable (a failed notebook)."""
    try:
        data = read_json(path)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _health(run_dir: Path, account_id: str) -> dict[str, Any]:
    """The health columns of an account from its evaluation.json (empty when missing)."""
    health = _read(result_path(run_dir, "evaluation", account_id)).get("health") or {}
    if not isinstance(health, dict) or health.get("band") not in BANDS:
        return {}
    return {"health_band": health.get("band"), "health_score": health.get("score"),
            "health_trend": health.get("trend")}


def _selection(run_dir: Path) -> dict[str, dict[str, Any]]:
    """Rank and score of the selected key accounts, from identification.json."""
    keys = _read(result_path(run_dir, "identification")).get("key_accounts") or []
    return {k["account_id"]: {"rank": k.get("rank"), "score": k.get("score")}
            for k in keys if isinstance(k, dict) and "account_id" in k}


def write_index(run_dir: Path, portfolio: Any, results: Sequence[Any], *,
                language: str = "en") -> Path:
    """Write ``run_dir/index.html`` for a finished run and return its path.

    Parameters
    ----------
    run_dir : Path
    portfolio : Portfolio
    results : sequence of TaskResult
    language : str

    Raises
    ------
    FileSystemError
        When the page cannot be written (disk full, no permission, a folder named
        ``index.html`` in the way); nothing half-written is left.
    """
    with use_language(language):
        names = dict(zip(portfolio.accounts["account_id"], portfolio.accounts["name"],
                         strict=True))
        summary = portfolio.summary()
        portfolio_rows, account_rows, failures = [], {}, []
        selection = _selection(run_dir)
        for r in sorted(results, key=lambda r: r.key):
            href = _href(run_dir, r.html) if Path(r.html).exists() else ""
            if r.status == "failed":
                failures.append({"account_id": r.account_id or "",
                                 "page": _(STAGE_LABELS.get(r.stage, r.stage)),
                                 "error": r.error, "failed_cell": getattr(r, "cell", ""),
                                 "href": _href(run_dir, r.output) if Path(r.output).exists()
                                 else ""})
            if r.account_id is None:
                portfolio_rows.append({"page": _(STAGE_LABELS.get(r.stage, r.stage)),
                                       "run_status": _status_text(r.status), "href": href})
            else:
                row = account_rows.setdefault(r.account_id, {
                    "account_id": r.account_id, "name": names.get(r.account_id, ""),
                    **selection.get(r.account_id, {}), **_health(run_dir, r.account_id)})
                row[r.stage] = _("open") if href else _status_text(r.status)
                row[f"{r.stage}_href"] = href
        sections = [html.Section(_("Portfolio"), [
            html.Paragraph(summary.render()),
            html.Table(pd.DataFrame(portfolio_rows, columns=["page", "run_status", "href"]),
                       links={"page": "href"}),
        ])]
        if account_rows:
            frame = pd.DataFrame(list(account_rows.values()))
            for column in ("rank", "score", "health_band", "health_score", "health_trend"):
                if column not in frame:
                    frame[column] = None
            frame = frame.sort_values(["rank", "account_id"], na_position="last",
                                      kind="stable")
            stages = sorted({r.stage for r in results if r.account_id is not None})
            sections.append(html.Section(_("Accounts"), [html.Table(
                frame, columns=["rank", "account_id", "name", "score", "health_band",
                                "health_score", "health_trend", *stages],
                links={s: f"{s}_href" for s in stages})]))
        advice = _read(result_path(run_dir, "review")).get("recommendations") or []
        advice = [a for a in advice if isinstance(a, dict)]
        if advice:
            sections.append(html.Section(_("Next cycle"), [
                html.Paragraph(_("What the portfolio review recommends; the review page "
                                 "gives the evidence for each.")),
                html.Table(pd.DataFrame(advice), columns=["kind", "account_id", "name",
                                                          "recommendation"])]))
        if failures:
            sections.append(html.Section(_("Failures"), [
                html.Notice(_("These notebooks failed; each is kept with the error marked at "
                              "the failing cell."), "alert"),
                html.Table(pd.DataFrame(failures),
                           columns=["account_id", "page", "error", "failed_cell"],
                           links={"page": "href"})]))
        doc = html.Document(
            # The name is isolated: whatever its script, the title keeps its order.
            title=_("{portfolio}: key account reports").format(
                portfolio=f"\u2068{portfolio.meta.name}\u2069"),
            sections=sections,
            facts=[(_("As of"), format_date(portfolio.as_of)),
                   (_("Currency"), portfolio.currency or "\u2013")],
            currency=portfolio.currency,
            footer=_("Generated by kamkit from the portfolio's data; every figure is "
                     "computed by kamkit."))
        return html.write(doc, run_dir / INDEX_FILE, language=language)
