"""Stage 5 — the portfolio review: every key account's results, and the next cycle.

The review closes the loop of the method (methodology, stage 4/5: feedback and
continuous improvement lead back to identification). It reads what the per-account
stages produced — ``identification.json`` and, per account, ``dossier.json``,
``plan.json`` and ``evaluation.json`` (docs/architecture.md) — and shows the portfolio:

* the **health table** of the key accounts (:func:`health_table`);
* the attractiveness x strength **matrix and its movement** since one period earlier
  (:func:`matrix_movement`);
* **stale dossiers** and **overdue plans** (:func:`stale_dossiers`, :func:`overdue_plans`);
* the **retention** of the key accounts identified one period earlier
  (:func:`key_account_retention`);
* the **recommendations for the next cycle** (:func:`recommendations`): promote a
  potential key account, demote one that no longer qualifies, rebalance managers who
  carry more than three key accounts, intervene where health is red or falling fast.

Where the results come from
---------------------------
:func:`read_results` reads the plain JSON files a ``kamkit run`` wrote under its run
folder. A missing or unreadable file is recorded per account in
:attr:`Results.problems` and the review goes on without it; it never stops on one.

:func:`build_results` builds the same results **in process**, with exactly the
functions the notebooks call to write them, with their default parameters:
``identification.result_data(identify(p), portfolio_matrix(...))`` (01, without the
weight-stability experiment), ``dossier.account_dossier(p, id).key_figures()`` (02),
``plan.plan_summary(p, id)`` (03) and ``evaluation.result_data(evaluation.evaluate(p,
id))`` (04). One code path: a figure in the review is the figure the per-account
notebook shows.

:func:`portfolio_review` reads the files when given an ``output_dir`` and builds the
results in process otherwise, then computes every part of the review. The portfolio is
needed in both cases: for the account managers (``accounts.owner``) and for the matrix
one period earlier, which identification computes again on the data cut at
``as_of - period`` (:func:`kamkit.evaluation.measures.portfolio_at`) with the definition stored
in ``identification.json`` (weights, cap, minimum score, overrides).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kamkit.artifacts import RESULT_FILES, account_slug, read_json, result_path, to_jsonable
from kamkit.data.labels import Field, register_fields, register_values, value_label
from kamkit.data.portfolio import Portfolio
from kamkit.exceptions import KamkitError, whole_number
from kamkit.text.i18n import N_, _, format_date, format_number, ngettext

__all__ = [
    "ACCOUNT_KINDS",
    "FALLING",
    "AccountResults",
    "Results",
    "Review",
    "read_results",
    "build_results",
    "health_table",
    "previous_identification",
    "matrix_movement",
    "stale_dossiers",
    "overdue_plans",
    "manager_load",
    "key_account_retention",
    "recommendations",
    "portfolio_review",
    "review_data",
]

#: The per-account results the review reads, in the order of the stages.
ACCOUNT_KINDS = ("dossier", "plan", "evaluation")
#: A fall of the health score by this many points in one period calls for intervention
#: even when the band is not red.
FALLING = 10.0

register_values({
    "promote": N_("Promote"),
    "demote": N_("Demote"),
    "rebalance": N_("Rebalance"),
    "intervene": N_("Intervene"),
    "kept": N_("Kept"),
    "joined": N_("Joined"),
    "left": N_("Left"),
    "missing_file": N_("Missing"),
    "unreadable": N_("Unreadable"),
    "not_computed": N_("Could not be computed"),
})
register_fields({
    "health_score": Field(N_("Health score"), "score"),
    "health_band": Field(N_("Health"), "category"),
    "health_trend": Field(N_("Change since last period"), "number", 1),
    "previous_score": Field(N_("Score a period earlier"), "score"),
    "previous_band": Field(N_("Health a period earlier"), "category"),
    "main_lift": Field(N_("Lifts the score most"), "category"),
    "main_drag": Field(N_("Pulls the score down most"), "category"),
    "clv_expected": Field(N_("Lifetime value (expected)"), "money"),
    "nps_12m": Field(N_("NPS, 12 months"), "number", 0),
    "satisfaction_12m": Field(N_("Satisfaction, 12 months"), "number", 2),
    "attainment_score": Field(N_("Plan attainment"), "score"),
    "overdue_actions": Field(N_("Overdue actions"), "int"),
    "stale": Field(N_("Dossier out of date"), "bool"),
    "review_due": Field(N_("Review was due"), "date"),
    "missing_results": Field(N_("Results missing"), "text"),
    "key_before": Field(N_("Key a period earlier"), "bool"),
    "key_now": Field(N_("Key now"), "bool"),
    "change": Field(N_("Change"), "category"),
    "attractiveness_before": Field(N_("Attractiveness before"), "score"),
    "strength_before": Field(N_("Strength before"), "score"),
    "quadrant_before": Field(N_("Quadrant before"), "category"),
    "moved": Field(N_("Changed quadrant"), "bool"),
    "manager": Field(N_("Key account manager"), "text"),
    "key_accounts": Field(N_("Key accounts"), "int"),
    "held": Field(N_("Accounts held"), "text"),
    "room": Field(N_("Places left"), "int"),
    "population": Field(N_("Accounts followed"), "text"),
    "result": Field(N_("Result"), "text"),
    "problem": Field(N_("Problem"), "category"),
    "detail": Field(N_("Detail"), "text"),
    "recommendation": Field(N_("Recommendation"), "text"),
})


# --------------------------------------------------------------------------------------
# The results of the per-account stages


@dataclass(frozen=True)
class AccountResults:
    """What the per-account stages produced for one account (None where missing).

    Examples
    --------
    >>> a = AccountResults("CX-002", plan={"account_id": "CX-002", "name": "Kaz"})
    >>> a.name, a.get("plan")["name"], a.get("evaluation")
    ('Kaz', 'Kaz', None)
    """

    account_id: str
    dossier: dict | None = None
    plan: dict | None = None
    evaluation: dict | None = None

    def get(self, kind: str) -> dict | None:
        """The result of ``kind`` (``dossier``, ``plan`` or ``evaluation``)."""
        return getattr(self, kind)

    @property
    def name(self) -> str:
        """The account's name as the results give it ("" when none does)."""
        for data in (self.evaluation, self.dossier, self.plan):
            if data and data.get("name"):
                return str(data["name"])
        return ""


_PROBLEM_COLUMNS = ["account_id", "result", "problem", "detail"]


@dataclass(frozen=True, eq=False)
class Results:
    """The stages' results for a portfolio, read from files or built in process.

    Attributes
    ----------
    identification : dict or None
        The content of ``identification.json``.
    accounts : tuple of AccountResults
        Key accounts in rank order, then any other account with results, by id.
    problems : DataFrame
        ``account_id`` ("" for the portfolio's own file), ``result`` (the file name),
        ``problem`` (``missing_file``, ``unreadable`` or ``not_computed``) and ``detail``.
    source : str
        ``files`` or ``in_process``.
    location : str
        The folder read (``files``); "" in process.

    Examples
    --------
    >>> r = Results({"key_accounts": [{"account_id": "K1"}, {"account_id": "K2"}]},
    ...             (AccountResults("K1"),))
    >>> r.key_accounts, r.account("K1").account_id, r.account("K2"), r.problems.empty
    (['K1', 'K2'], 'K1', None, True)
    """

    identification: dict | None
    accounts: tuple[AccountResults, ...]
    problems: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_PROBLEM_COLUMNS))
    source: str = "in_process"
    location: str = ""

    def account(self, account_id: str) -> AccountResults | None:
        """The results of one account, or None."""
        return next((a for a in self.accounts if a.account_id == account_id), None)

    @property
    def key_accounts(self) -> list[str]:
        """Ids of the key accounts identification selected, in rank order."""
        data = self.identification or {}
        return [str(a["account_id"]) for a in data.get("key_accounts", [])
                if isinstance(a, dict) and "account_id" in a]


def _read(path: Path, account_id: str | None) -> tuple[dict | None, str | None]:
    """A result file's content, or (None, why it cannot be used)."""
    try:
        data = read_json(path)
    except FileNotFoundError:
        return None, "missing_file"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, _("cannot be read: {error}").format(error=f"{type(exc).__name__}: {exc}")
    if not isinstance(data, dict):
        return None, _("holds {kind}, not a JSON object").format(kind=type(data).__name__)
    if account_id is not None and str(data.get("account_id")) != account_id:
        return None, _("belongs to account {other!r}, not {id!r}").format(
            other=data.get("account_id"), id=account_id)
    return data, None


def read_results(output_dir: str | Path) -> Results:
    """Read the results a ``kamkit run`` (or the notebooks) wrote under ``output_dir``.

    The accounts are the key accounts of ``identification.json``, then every other
    account with a results folder under ``accounts/``. Every expected file that is
    missing, unreadable, not a JSON object or about another account is recorded in
    :attr:`Results.problems`; nothing raises.

    Parameters
    ----------
    output_dir : str or Path

    Returns
    -------
    Results

    Examples
    --------
    >>> import tempfile
    >>> from kamkit.artifacts import write_result
    >>> with tempfile.TemporaryDirectory() as out:
    ...     _ = write_result(out, "identification", {"key_accounts": [{"account_id": "A"}]})
    ...     _ = write_result(out, "plan", {"account_id": "A", "goals": 2}, "A")
    ...     r = read_results(out)
    >>> r.account("A").plan["goals"], r.problems[["result", "problem"]].values.tolist()
    (2, [['dossier.json', 'missing_file'], ['evaluation.json', 'missing_file']])
    """
    root = Path(output_dir)
    problems: list[dict[str, str]] = []
    identification, why = _read(root / RESULT_FILES["identification"], None)
    if why:
        problems.append({"account_id": "", "result": RESULT_FILES["identification"],
                         "problem": "missing_file" if why == "missing_file" else "unreadable",
                         "detail": "" if why == "missing_file" else why})
    ids: list[str] = []
    if identification:
        for a in identification.get("key_accounts", []):
            key = a.get("account_id") if isinstance(a, dict) else a
            if key is not None and str(key) not in ids:
                ids.append(str(key))
    known = {account_slug(i) for i in ids}
    extra: list[str] = []
    folder = root / "accounts"
    if folder.is_dir():
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            if sub.name in known:
                continue
            found, why = None, {}
            for kind in ACCOUNT_KINDS:
                data, why[kind] = _read(sub / RESULT_FILES[kind], None)
                if data and data.get("account_id") is not None and account_slug(
                        data["account_id"]) == sub.name:
                    found = str(data["account_id"])
                    break
                if data is not None:
                    why[kind] = _("names no account of this folder")
            if found is not None:
                extra.append(found)
            elif any(w != "missing_file" for w in why.values()):
                # Results nobody can attribute: reported under the folder's name.
                for kind, w in why.items():
                    problems.append({"account_id": sub.name, "result": RESULT_FILES[kind],
                                     "problem": "missing_file" if w == "missing_file"
                                     else "unreadable",
                                     "detail": "" if w == "missing_file" else w})
    accounts = []
    for key in ids + sorted(set(extra)):
        parts: dict[str, dict | None] = {}
        for kind in ACCOUNT_KINDS:
            data, why = _read(result_path(root, kind, key), key)
            parts[kind] = data
            if why:
                problems.append({"account_id": key, "result": RESULT_FILES[kind],
                                 "problem": "missing_file" if why == "missing_file"
                                 else "unreadable",
                                 "detail": "" if why == "missing_file" else why})
        accounts.append(AccountResults(key, **parts))
    return Results(identification, tuple(accounts),
                   pd.DataFrame(problems, columns=_PROBLEM_COLUMNS), "files", str(root))


def build_results(portfolio: Portfolio, account_ids: Sequence[str] | None = None) -> Results:
    """Build the stages' results in process, as the notebooks would write them.

    Calls the functions the notebooks call, with their default parameters (module
    documentation): identification for the whole portfolio, then the dossier, plan and
    evaluation of each key account (or of ``account_ids``). An account whose result
    cannot be computed (a :class:`~kamkit.exceptions.KamkitError`) is recorded in
    :attr:`Results.problems`, as a missing file would be.

    Parameters
    ----------
    portfolio : Portfolio
    account_ids : sequence of str, optional
        Default: the key accounts identification selects.

    Returns
    -------
    Results
        Values in the same plain-JSON form the files hold (dates as text).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> r = build_results(company_x(), ["CX-002"])
    >>> r.source, r.account("CX-002").evaluation["health"]["band"], r.problems.empty
    ('in_process', 'amber', True)
    """
    from kamkit.evaluation import measures as evaluation
    from kamkit.identification import selection as identification
    from kamkit.needs import dossier
    from kamkit.plan import account_plan as plan

    result = identification.identify(portfolio)
    ident = to_jsonable(identification.result_data(
        result, identification.portfolio_matrix(result)))
    ids = [portfolio.check_account(a) for a in account_ids] if account_ids is not None \
        else [str(a["account_id"]) for a in ident["key_accounts"]]
    problems: list[dict[str, str]] = []
    steps = {
        "dossier": lambda key: dossier.account_dossier(portfolio, key).key_figures(),
        "plan": lambda key: plan.plan_summary(portfolio, key),
        "evaluation": lambda key: evaluation.result_data(evaluation.evaluate(portfolio, key)),
    }
    accounts = []
    for key in ids:
        parts: dict[str, dict | None] = {}
        for kind, step in steps.items():
            try:
                parts[kind] = to_jsonable(step(key))
            except KamkitError as exc:
                parts[kind] = None
                problems.append({"account_id": key, "result": RESULT_FILES[kind],
                                 "problem": "not_computed", "detail": str(exc)})
        accounts.append(AccountResults(key, **parts))
    return Results(ident, tuple(accounts), pd.DataFrame(problems, columns=_PROBLEM_COLUMNS),
                   "in_process")


# --------------------------------------------------------------------------------------
# The parts of the review


def _owners(portfolio: Portfolio) -> dict[str, str]:
    acc = portfolio.accounts
    owners = acc["owner"] if "owner" in acc.columns else pd.Series("", index=acc.index)
    return {str(i): ("" if pd.isna(o) else str(o).strip())
            for i, o in zip(acc["account_id"], owners, strict=True)}


def _names(portfolio: Portfolio) -> dict[str, str]:
    return dict(zip(portfolio.accounts["account_id"].astype(str),
                    portfolio.accounts["name"].astype(str), strict=True))


def _missing_text(results: Results, account_id: str) -> str:
    p = results.problems
    return ", ".join(p.loc[p["account_id"] == account_id, "result"].tolist())


def health_table(results: Results, portfolio: Portfolio) -> pd.DataFrame:
    """The portfolio's health table: one row per account with results.

    Parameters
    ----------
    results : Results
    portfolio : Portfolio
        For names and owners.

    Returns
    -------
    DataFrame
        In the order of :attr:`Results.accounts` (key accounts by rank): ``rank``,
        ``account_id``, ``name``, ``owner``, ``health_score``, ``health_band``,
        ``health_trend``, ``previous_score``, ``previous_band``, ``main_lift`` and
        ``main_drag`` (the components that push the score up and down most), ``clv_expected``,
        ``nps_12m``, ``satisfaction_12m``, ``attainment_score``, ``overdue_actions``,
        ``stale``, ``missing_results``. Values missing from the results are empty.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> results = Results({"key_accounts": [{"account_id": "CX-002", "rank": 3}]}, (
    ...     AccountResults("CX-002", evaluation={"health": {"score": 51.2, "band": "amber",
    ...         "components": [{"component": "nps", "drive": -2.5},
    ...                        {"component": "satisfaction", "drive": 0.9}]}},
    ...         plan={"overdue_actions": 1}),))
    >>> row = health_table(results, company_x()).iloc[0]
    >>> row["owner"], row["health_band"], row["main_drag"], int(row["overdue_actions"])
    ('Leila Karimi', 'amber', 'nps', 1)
    """
    names, owners = _names(portfolio), _owners(portfolio)
    ranks = {str(a["account_id"]): a.get("rank") for a in (results.identification or {}).get(
        "key_accounts", []) if isinstance(a, dict)}
    rows = []
    for a in results.accounts:
        ev, pl, do = a.evaluation or {}, a.plan or {}, a.dossier or {}
        health = ev.get("health") or {}
        components = [c for c in health.get("components", []) if c.get("drive") is not None]
        lift = max(components, key=lambda c: (c["drive"], c["component"]), default=None)
        drag = min(components, key=lambda c: (c["drive"], c["component"]), default=None)
        rows.append({
            "rank": ranks.get(a.account_id),
            "account_id": a.account_id,
            "name": names.get(a.account_id, a.name),
            "owner": owners.get(a.account_id, ""),
            "health_score": health.get("score"),
            "health_band": health.get("band"),
            "health_trend": health.get("trend"),
            "previous_score": health.get("previous_score"),
            "previous_band": health.get("previous_band"),
            "main_lift": lift["component"] if lift and lift["drive"] > 0 else None,
            "main_drag": drag["component"] if drag and drag["drive"] < 0 else None,
            "clv_expected": (ev.get("clv") or {}).get("expected"),
            "nps_12m": (ev.get("nps") or {}).get("score"),
            "satisfaction_12m": (ev.get("satisfaction") or {}).get("mean"),
            "attainment_score": (ev.get("attainment") or {}).get("score"),
            "overdue_actions": pl.get("overdue_actions"),
            "stale": do.get("stale"),
            "missing_results": _missing_text(results, a.account_id),
        })
    columns = ["rank", "account_id", "name", "owner", "health_score", "health_band",
               "health_trend", "previous_score", "previous_band", "main_lift", "main_drag",
               "clv_expected", "nps_12m", "satisfaction_12m", "attainment_score",
               "overdue_actions", "stale", "missing_results"]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("health_score", "health_trend", "previous_score", "clv_expected", "nps_12m",
                "satisfaction_12m", "attainment_score"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame["rank"] = pd.array(frame["rank"].tolist(), dtype="Int64")
    frame["overdue_actions"] = pd.array(frame["overdue_actions"].tolist(), dtype="Int64")
    frame["stale"] = pd.array(frame["stale"].tolist(), dtype="boolean")
    return frame


def _definition(identification: dict | None) -> dict[str, Any]:
    """The keyword arguments of :func:`kamkit.identification.selection.identify` that reproduce
    the definition stored in ``identification.json`` (defaults where it says nothing)."""
    data = identification or {}
    out: dict[str, Any] = {}
    if isinstance(data.get("weights"), dict) and data["weights"]:
        out["weights"] = {str(k): float(v) for k, v in data["weights"].items()}
    if data.get("cap") is not None:
        out["max_key"] = int(data["cap"])
    if data.get("min_score") is not None:
        out["min_score"] = float(data["min_score"])
    force_in, force_out = {}, {}
    for o in data.get("overrides", []) or []:
        if isinstance(o, dict) and o.get("override") == "forced_in":
            force_in[str(o["account_id"])] = str(o.get("reason") or "")
        elif isinstance(o, dict) and o.get("override") == "forced_out":
            force_out[str(o["account_id"])] = str(o.get("reason") or "")
    if force_in:
        out["force_in"] = force_in
    if force_out:
        out["force_out"] = force_out
    return out


def previous_identification(portfolio: Portfolio, identification: dict | None, *,
                            period_months: int = 12):
    """Identification one period earlier, with the definition of ``identification.json``.

    The data is cut at ``as_of - period_months`` (:func:`kamkit.evaluation.measures.portfolio_at`)
    and scored with the same weights, cap, minimum score and overrides.

    Returns
    -------
    kamkit.identification.selection.Identification

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> before = previous_identification(company_x(), None)
    >>> str(before.as_of.date()), len(before.key_accounts)
    ('2025-06-30', 9)
    """
    from kamkit.evaluation.measures import portfolio_at, previous_as_of
    from kamkit.identification.selection import identify

    months = whole_number("period_months", period_months, 1, 24)
    earlier = portfolio_at(portfolio, previous_as_of(portfolio.as_of, months))
    return identify(earlier, **_definition(identification))


def matrix_movement(results: Results, portfolio: Portfolio, previous=None, *,
                    period_months: int = 12) -> pd.DataFrame:
    """Where the accounts stand in the attractiveness x strength matrix, then and now.

    *Now* is the matrix of ``identification.json``; *before* is identification's matrix
    one period earlier (:func:`previous_identification`). Shown: the key accounts now
    and a period earlier, the accounts that may become key, and every account with
    results.

    Parameters
    ----------
    results : Results
    portfolio : Portfolio
    previous : kamkit.identification.selection.Identification, optional
        Identification one period earlier (computed when not given).
    period_months : int

    Returns
    -------
    DataFrame
        ``account_id``, ``name``, ``key_before``, ``key_now``, ``change`` (``kept``,
        ``joined``, ``left`` or empty), ``attractiveness_before``, ``strength_before``,
        ``quadrant_before``, ``attractiveness``, ``strength``, ``quadrant``, ``moved``
        (quadrant changed), ``revenue``; key accounts now first, by rank. Empty when
        ``identification.json`` is missing.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> m = matrix_movement(build_results(cx, []), cx).set_index("account_id")
    >>> m.loc["CX-010", "change"], m.loc["CX-008", "change"], m.loc["CX-001", "change"]
    ('joined', 'left', 'kept')
    """
    from kamkit.identification.selection import portfolio_matrix

    columns = ["account_id", "name", "key_before", "key_now", "change",
               "attractiveness_before", "strength_before", "quadrant_before",
               "attractiveness", "strength", "quadrant", "moved", "revenue"]
    ident = results.identification
    if not ident:
        return pd.DataFrame(columns=columns)
    if previous is None:
        previous = previous_identification(portfolio, ident, period_months=period_months)
    before = portfolio_matrix(previous, accounts="all").set_index("account_id")
    now = pd.DataFrame([m for m in ident.get("matrix", []) if isinstance(m, dict)],
                       columns=["account_id", "attractiveness", "strength", "quadrant",
                                "revenue"]).set_index("account_id")
    key_now = results.key_accounts
    key_before = previous.key_accounts["account_id"].astype(str).tolist()
    potential = [str(a["account_id"]) for a in ident.get("potential_key", [])
                 if isinstance(a, dict)]
    shown = list(dict.fromkeys(key_now + key_before + potential
                               + [a.account_id for a in results.accounts]))
    names = _names(portfolio)
    rows = []
    for key in shown:
        b = before.loc[key] if key in before.index else None
        n = now.loc[key] if key in now.index else None
        was, is_ = key in key_before, key in key_now
        change = "kept" if was and is_ else ("joined" if is_ else ("left" if was else None))
        rows.append({
            "account_id": key, "name": names.get(key, ""), "key_before": was,
            "key_now": is_, "change": change,
            "attractiveness_before": float(b["attractiveness"]) if b is not None else np.nan,
            "strength_before": float(b["strength"]) if b is not None else np.nan,
            "quadrant_before": b["quadrant"] if b is not None else None,
            "attractiveness": float(n["attractiveness"]) if n is not None else np.nan,
            "strength": float(n["strength"]) if n is not None else np.nan,
            "quadrant": n["quadrant"] if n is not None else None,
            "moved": bool(b is not None and n is not None and b["quadrant"] != n["quadrant"]),
            "revenue": float(n["revenue"]) if n is not None else np.nan,
        })
    return pd.DataFrame(rows, columns=columns)


def stale_dossiers(results: Results, portfolio: Portfolio) -> pd.DataFrame:
    """Accounts whose dossier breaks the review rule (``dossier.json``: ``stale``).

    Returns
    -------
    DataFrame
        ``account_id``, ``name``, ``owner``, ``last_review``, ``review_due``,
        ``missing`` (the dossier's missing sections, comma-separated).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> results = Results(None, (
    ...     AccountResults("CX-001", dossier={"stale": False}),
    ...     AccountResults("CX-003", dossier={"stale": True, "last_review": "2025-11-20",
    ...                                       "review_due": "2026-02-20"})))
    >>> stale_dossiers(results, company_x())[["account_id", "owner", "last_review"]]
      account_id       owner last_review
    0     CX-003  Anna Nowak  2025-11-20
    """
    owners, names = _owners(portfolio), _names(portfolio)
    rows = []
    for a in results.accounts:
        d = a.dossier
        if not d or not d.get("stale"):
            continue
        rows.append({"account_id": a.account_id, "name": names.get(a.account_id, a.name),
                     "owner": owners.get(a.account_id, ""),
                     "last_review": d.get("last_review"), "review_due": d.get("review_due"),
                     "missing": ", ".join(str(m) for m in d.get("missing_sections") or [])})
    frame = pd.DataFrame(rows, columns=["account_id", "name", "owner", "last_review",
                                        "review_due", "missing"])
    return frame.astype({"last_review": "datetime64[ns]", "review_due": "datetime64[ns]"})


def overdue_plans(results: Results, portfolio: Portfolio) -> pd.DataFrame:
    """Accounts whose plan has overdue actions (``plan.json``), with the evidence.

    Returns
    -------
    DataFrame
        ``account_id``, ``name``, ``owner``, ``overdue_actions``, ``evidence`` (the
        overdue flag's evidence: which actions, how late); most overdue first.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> results = Results(None, (
    ...     AccountResults("CX-001", plan={"overdue_actions": 0}),
    ...     AccountResults("CX-003", plan={"overdue_actions": 2, "flags": [
    ...         {"code": "overdue_actions", "evidence": "A-003-01, A-003-02"}]})))
    >>> overdue_plans(results, company_x())[["account_id", "overdue_actions", "evidence"]]
      account_id  overdue_actions            evidence
    0     CX-003                2  A-003-01, A-003-02
    """
    owners, names = _owners(portfolio), _names(portfolio)
    rows = []
    for a in results.accounts:
        p = a.plan
        if not p or not p.get("overdue_actions"):
            continue
        flag = next((f for f in p.get("flags", []) if isinstance(f, dict)
                     and f.get("code") == "overdue_actions"), {})
        rows.append({"account_id": a.account_id, "name": names.get(a.account_id, a.name),
                     "owner": owners.get(a.account_id, ""),
                     "overdue_actions": int(p["overdue_actions"]),
                     "evidence": str(flag.get("evidence", ""))})
    frame = pd.DataFrame(rows, columns=["account_id", "name", "owner", "overdue_actions",
                                        "evidence"])
    order = np.lexsort((frame["account_id"].to_numpy(), -frame["overdue_actions"].to_numpy(
        dtype=float))) if len(frame) else []
    return frame.iloc[order].reset_index(drop=True)


def manager_load(results: Results, portfolio: Portfolio, previous=None, *, per_manager: int = 3
                 ) -> pd.DataFrame:
    """How many key accounts each key account manager carries (``accounts.owner``).

    The managers are the owners of the key accounts now and, when ``previous`` is given,
    of the key accounts one period earlier (a manager whose accounts all left still has
    room).

    Returns
    -------
    DataFrame
        ``manager`` ("" for key accounts without an owner), ``key_accounts``, ``held``
        (their ids, by rank), ``room`` (``per_manager`` minus the count; below 0 when
        overloaded); most loaded first.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> manager_load(build_results(cx, []), cx)[["manager", "key_accounts", "room"]]
            manager  key_accounts  room
    0    Anna Nowak             4    -1
    1  Leila Karimi             3     0
    2  Jonas Becker             2     1
    """
    from kamkit.identification.selection import PER_MANAGER_RANGE

    per = whole_number("per_manager", per_manager, *PER_MANAGER_RANGE)
    owners = _owners(portfolio)
    keys = results.key_accounts or [a.account_id for a in results.accounts]
    held: dict[str, list[str]] = {}
    for key in keys:
        held.setdefault(owners.get(key, ""), []).append(key)
    if previous is not None:
        for key in previous.key_accounts["account_id"].astype(str):
            held.setdefault(owners.get(key, ""), [])
    rows = [{"manager": m, "key_accounts": len(ids), "held": ", ".join(ids),
             "room": per - len(ids)} for m, ids in held.items()]
    frame = pd.DataFrame(rows, columns=["manager", "key_accounts", "held", "room"])
    order = np.lexsort((frame["manager"].to_numpy(dtype=str),
                        -frame["key_accounts"].to_numpy(dtype=float))) if len(frame) else []
    return frame.iloc[order].reset_index(drop=True)


def key_account_retention(portfolio: Portfolio, previous) -> pd.DataFrame:
    """Are the key accounts of one period earlier still buying? And all customers?

    :func:`kamkit.evaluation.measures.retention` for the key accounts identified one period
    earlier (``previous``), and for every account as the reference.

    Returns
    -------
    DataFrame
        ``population`` (in words), ``label``, ``buying_before``, ``retained``,
        ``retention_rate``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> r = key_account_retention(cx, previous_identification(cx, None))
    >>> r[["label", "buying_before", "retention_rate"]].iloc[[1, 3]].values.tolist()
    [['2025/26', 9, 1.0], ['2025/26', 143, 0.986013986013986]]
    """
    from kamkit.evaluation.measures import retention

    ids = previous.key_accounts["account_id"].astype(str).tolist()
    parts = [retention(portfolio, ids).assign(population=_(
        "Key accounts of {date}").format(date=format_date(previous.as_of))),
             retention(portfolio).assign(population=_("All customers"))]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["population", "label", "buying_before", "retained", "retention_rate"]]


def _health_of(results: Results, account_id: str) -> dict:
    a = results.account(account_id)
    return ((a.evaluation or {}).get("health") or {}) if a else {}


def recommendations(results: Results, portfolio: Portfolio, movement: pd.DataFrame,
                    managers: pd.DataFrame, previous=None, *, per_manager: int = 3,
                    falling: float = FALLING) -> pd.DataFrame:
    """The recommendations for the next cycle, each with its evidence.

    * **promote** every account identification names as *may become key*;
    * **demote** every account that no longer qualifies: key one period earlier but not
      selected now, reviewed although identification does not select it, or kept only
      by an override below the minimum score;
    * **rebalance** every manager carrying more than ``per_manager`` key accounts: hand
      the lowest-ranked of them to the manager with the most room (or name that nobody
      has room);
    * **intervene** where a key account's health is red, or fell by ``falling`` points or
      more in one period: the components pulling the score down say where.

    Returns
    -------
    DataFrame
        ``kind``, ``account_id``, ``name``, ``owner``, ``recommendation``, ``evidence``;
        in that order of kinds, then by rank or id.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> r = build_results(cx, [])
    >>> before = previous_identification(cx, r.identification)
    >>> recs = recommendations(r, cx, matrix_movement(r, cx, before),
    ...                        manager_load(r, cx, before), before)
    >>> recs[["kind", "account_id"]].head(3).values.tolist()
    [['promote', 'CX-006'], ['demote', 'CX-008'], ['rebalance', 'CX-009']]
    """
    from kamkit.evaluation.measures import HEALTH_COMPONENTS

    names, owners = _names(portfolio), _owners(portfolio)
    ident = results.identification or {}
    rows: list[dict[str, Any]] = []

    def add(kind: str, key: str, text: str, evidence: str) -> None:
        rows.append({"kind": kind, "account_id": key, "name": names.get(key, ""),
                     "owner": owners.get(key, ""), "recommendation": text,
                     "evidence": evidence})

    left = set(movement.loc[movement["change"] == "left", "account_id"]) if len(movement) \
        else set()
    for a in ident.get("potential_key", []) or []:
        if isinstance(a, dict) and a.get("account_id") is not None and str(
                a["account_id"]) not in left:
            add("promote", str(a["account_id"]), _(
                "Consider it for key-account status in the next cycle: its growth potential "
                "matches that of a typical key account."), str(a.get("reason", "")))
    potential = {str(a["account_id"]) for a in ident.get("potential_key", []) or []
                 if isinstance(a, dict) and a.get("account_id") is not None}
    keys = results.key_accounts
    # Why identification decided as it did: its file names the reasons of the accounts it
    # lists; for any other account the definition is applied again (same data, same rules).
    reasons = {str(a["account_id"]): str(a.get("reason", "")) for group in (
        "key_accounts", "big_not_key", "potential_key") for a in ident.get(group, []) or []
        if isinstance(a, dict) and a.get("account_id") is not None}
    candidates = set(movement.loc[movement["change"] == "left", "account_id"]) if len(
        movement) else set()
    candidates |= {a.account_id for a in results.accounts if a.account_id not in keys}
    if ident and candidates - set(reasons):
        from kamkit.identification.selection import identify

        try:
            now_full = identify(portfolio, **_definition(ident))
            reasons.update(zip(now_full.table["account_id"].astype(str),
                               now_full.table["reason"], strict=True))
        except KamkitError:
            pass
    if len(movement):
        date = format_date(previous.as_of) if previous is not None else "\u2013"
        for r in movement[movement["change"] == "left"].itertuples():
            if r.account_id in potential:
                text = _("It was a key account on {date} and is no longer selected, though it "
                         "may become key again: keep it with an override and its reason, or "
                         "demote it.").format(date=date)
            else:
                text = _("It was a key account on {date} and no longer qualifies: return it "
                         "to the sales team's care and free the manager's time.").format(
                    date=date)
            add("demote", r.account_id, text, reasons.get(r.account_id, ""))
    if ident:
        for a in results.accounts:
            if a.account_id not in keys and a.account_id not in left:
                add("demote", a.account_id, _(
                    "It is reviewed as a key account, but identification does not select "
                    "it: confirm the decision with an override and its reason, or demote "
                    "it."), reasons.get(a.account_id, ""))
        minimum = ident.get("min_score")
        for a in ident.get("key_accounts", []) or []:
            if (isinstance(a, dict) and minimum is not None and a.get("score") is not None
                    and float(a["score"]) < float(minimum)):
                add("demote", str(a["account_id"]), _(
                    "It is key only by an override, with a score of {score} below the "
                    "minimum of {minimum}: confirm the reason still holds, or demote it."
                ).format(score=format_number(a["score"], 1),
                         minimum=format_number(minimum, 1)), str(a.get("reason", "")))
    rank = {k: i for i, k in enumerate(keys)}
    room = managers[managers["room"] > 0].sort_values(
        ["room", "manager"], ascending=[False, True], kind="stable") if len(managers) \
        else managers
    for m in managers.itertuples():
        if m.room >= 0:
            continue
        held = [k for k in m.held.split(", ") if k]
        lowest = max(held, key=lambda k: (rank.get(k, len(rank)), k))
        who = m.manager or _("(no owner)")
        if len(room):
            target = room.iloc[0]
            text = _("{manager} carries {n} key accounts, more than the {cap} the method "
                     "allows: hand {account} to {other}, who carries {m}.").format(
                manager=who, n=m.key_accounts, cap=per_manager,
                account=lowest, other=target["manager"], m=int(target["key_accounts"]))
        else:
            text = _("{manager} carries {n} key accounts, more than the {cap} the method "
                     "allows, and no manager has room: appoint another key account manager "
                     "or shorten the list.").format(manager=who, n=m.key_accounts,
                                                    cap=per_manager)
        add("rebalance", lowest, text, _("{manager}: {accounts}").format(
            manager=who, accounts=m.held))
    for key in keys:
        h = _health_of(results, key)
        if not h:
            continue
        trend = h.get("trend")
        red = h.get("band") == "red"
        fell = trend is not None and trend <= -falling
        if not (red or fell):
            continue
        drags = sorted((c for c in h.get("components", []) if c.get("drive") is not None
                        and c["drive"] < 0), key=lambda c: (c["drive"], c["component"]))[:2]
        where = ", ".join(_(HEALTH_COMPONENTS.get(c["component"], c["component"]))
                          for c in drags) or "\u2013"
        if red:
            text = _("Health is red ({score}). Pulling it down most: {where}. Agree corrective "
                     "actions with the account team before the next review.").format(
                score=format_number(h.get("score"), 1), where=where)
        else:
            text = _("Health fell by {fall} points in one period, to {score}. Pulling it down "
                     "most: {where}. Find out why before the account turns red.").format(
                fall=format_number(-trend, 1), score=format_number(h.get("score"), 1),
                where=where)
        add("intervene", key, text, " ".join(str(c.get("evidence", "")) for c in drags))
    order = {"promote": 0, "demote": 1, "rebalance": 2, "intervene": 3}
    frame = pd.DataFrame(rows, columns=["kind", "account_id", "name", "owner",
                                        "recommendation", "evidence"])
    if len(frame):
        pos = frame["account_id"].map(lambda k: rank.get(k, len(rank))).to_numpy()
        idx = np.lexsort((frame["account_id"].to_numpy(dtype=str), pos,
                          frame["kind"].map(order).to_numpy()))
        # promotions keep identification's order (best candidate first)
        promote = frame.index[frame["kind"] == "promote"].to_numpy()
        idx = np.concatenate([promote, [i for i in idx if i not in set(promote)]])
        frame = frame.iloc[idx].reset_index(drop=True)
    return frame


# --------------------------------------------------------------------------------------
# The whole review


@dataclass(frozen=True, eq=False)
class Review:
    """The portfolio review (:func:`portfolio_review`).

    Attributes
    ----------
    results : Results
    as_of, previous_as_of : Timestamp
    currency : str or None
    period_months : int
    health, movement, stale, overdue, managers, retention, recommendations : DataFrame
        :func:`health_table`, :func:`matrix_movement`, :func:`stale_dossiers`,
        :func:`overdue_plans`, :func:`manager_load`, :func:`key_account_retention`,
        :func:`recommendations`.
    previous_key_accounts : list of str
        The key accounts identified one period earlier, by rank.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> r = portfolio_review(company_x(), account_ids=["CX-009"])
    >>> print(r.source_text())  # doctest: +NORMALIZE_WHITESPACE
    The figures were computed in this notebook with the functions the per-account
    notebooks use to write their results, with their default parameters.
    >>> print(r.problems_text())
    Every expected result was found.
    >>> print(r.recommendations_text().splitlines()[0])  # doctest: +ELLIPSIS
    Promote CX-006 (Voltra Charging AB): Consider it for key-account status in the next ...
    """

    results: Results
    as_of: pd.Timestamp
    previous_as_of: pd.Timestamp
    currency: str | None
    period_months: int
    health: pd.DataFrame
    movement: pd.DataFrame
    stale: pd.DataFrame
    overdue: pd.DataFrame
    managers: pd.DataFrame
    retention: pd.DataFrame
    recommendations: pd.DataFrame
    previous_key_accounts: list[str] = field(default_factory=list)

    @property
    def problems(self) -> pd.DataFrame:
        """Results that were missing, unreadable or could not be computed."""
        return self.results.problems

    def recommendations_text(self) -> str:
        """Each recommendation and its evidence, in the current language."""
        if self.recommendations.empty:
            return _("No recommendation: the key list, the managers' load and the accounts' "
                     "health need no change.")
        return "\n\n".join(_("{kind} {account} ({name}): {text}\n  Evidence: {evidence}").format(
            kind=value_label(r.kind), account=r.account_id, name=r.name,
            text=r.recommendation, evidence=r.evidence or "\u2013")
            for r in self.recommendations.itertuples())

    def problems_text(self) -> str:
        """Every result that was missing, unreadable or not computed, one line each; a
        sentence saying so when there is none."""
        if self.problems.empty:
            return _("Every expected result was found.")
        return "\n".join(_("{account}: {result} {problem}{detail}").format(
            account=r.account_id or _("portfolio"), result=r.result,
            problem=value_label(r.problem).lower(),
            detail=f" ({r.detail})" if r.detail else "")
            for r in self.problems.itertuples())

    def source_text(self) -> str:
        """Where the figures come from, in one sentence of the current language."""
        if self.results.source == "files":
            return _("The figures were read from the results the notebooks wrote under "
                     "{folder}.").format(folder=Path(self.results.location).name or
                                         self.results.location)
        return _("The figures were computed in this notebook with the functions the "
                 "per-account notebooks use to write their results, with their default "
                 "parameters.")

    def summary(self) -> str:
        """The review's headline in a few sentences, in the current language.

        Examples
        --------
        >>> from kamkit.data.synth import company_x
        >>> print(portfolio_review(company_x(), account_ids=["CX-002", "CX-009"]).summary())
        2 key accounts reviewed: 0 green, 1 amber, 1 red.
        1 action is overdue in 1 plan.
        Recommendations for the next cycle: Promote 1, Demote 1, Rebalance 1, Intervene 2.
        """
        h = self.health
        bands = h["health_band"].value_counts()
        lines = [ngettext(
            "{n} key account reviewed: {green} green, {amber} amber, {red} red.",
            "{n} key accounts reviewed: {green} green, {amber} amber, {red} red.",
            len(h)).format(n=len(h), **{b: int(bands.get(b, 0))
                                         for b in ("green", "amber", "red")})]
        if len(self.stale):
            lines.append(ngettext("{n} dossier is out of date.", "{n} dossiers are out of date.",
                                  len(self.stale)).format(n=len(self.stale)))
        if len(self.overdue):
            n = int(self.overdue["overdue_actions"].sum())
            lines.append(ngettext("{n} action is overdue", "{n} actions are overdue", n).format(
                n=n) + " " + ngettext("in {k} plan.", "in {k} plans.", len(self.overdue)
                                      ).format(k=len(self.overdue)))
        if len(self.recommendations):
            kinds = self.recommendations["kind"].value_counts()
            lines.append(_("Recommendations for the next cycle: {items}.").format(
                items=", ".join(f"{value_label(k)} {int(kinds[k])}" for k in
                                ("promote", "demote", "rebalance", "intervene")
                                if k in kinds)))
        if len(self.problems):
            lines.append(ngettext("{n} result is missing or unreadable.",
                                  "{n} results are missing or unreadable.",
                                  len(self.problems)).format(n=len(self.problems)))
        return "\n".join(lines)


def portfolio_review(portfolio: Portfolio, output_dir: str | Path | None = None, *,
                     period_months: int = 12, per_manager: int = 3,
                     falling: float = FALLING,
                     account_ids: Sequence[str] | None = None) -> Review:
    """The portfolio review: read (or build) every result, then every part of the review.

    Parameters
    ----------
    portfolio : Portfolio
    output_dir : str or Path, optional
        A run folder to read the results from (:func:`read_results`); None builds them
        in process (:func:`build_results`).
    period_months : int
        How far back the matrix movement and the retention look (1-24; default 12).
    per_manager : int
        Key accounts a manager may carry (1-3; the method's rule is up to three).
    falling : float
        Fall of the health score, in points per period, that calls for intervention.
    account_ids : sequence of str, optional
        In process only: review these accounts instead of the selected key accounts.

    Returns
    -------
    Review

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> review = portfolio_review(company_x(), account_ids=["CX-002", "CX-009"])
    >>> review.results.source, review.health["health_band"].tolist(), review.problems.empty
    ('in_process', ['amber', 'red'], True)
    """

    months = whole_number("period_months", period_months, 1, 24)
    results = read_results(output_dir) if output_dir is not None else build_results(
        portfolio, account_ids)
    previous = previous_identification(portfolio, results.identification,
                                       period_months=months)
    movement = matrix_movement(results, portfolio, previous, period_months=months)
    managers = manager_load(results, portfolio, previous, per_manager=per_manager)
    return Review(
        results=results, as_of=pd.Timestamp(portfolio.as_of), previous_as_of=previous.as_of,
        currency=portfolio.currency, period_months=months,
        health=health_table(results, portfolio), movement=movement,
        stale=stale_dossiers(results, portfolio), overdue=overdue_plans(results, portfolio),
        managers=managers, retention=key_account_retention(portfolio, previous),
        recommendations=recommendations(results, portfolio, movement, managers, previous,
                                        per_manager=per_manager, falling=falling),
        previous_key_accounts=previous.key_accounts["account_id"].astype(str).tolist())


def review_data(review: Review) -> dict[str, Any]:
    """The review as plain data for ``review.json``.

    Holds ``as_of``, ``previous_as_of``, ``period_months``, ``source``, ``health`` (the
    health table), ``recommendations``, ``movement``, ``stale_dossiers``,
    ``overdue_plans``, ``managers``, ``retention``, ``key_accounts``,
    ``previous_key_accounts`` and ``problems``. Scores are rounded to 0.01.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> data = review_data(portfolio_review(company_x(), account_ids=["CX-009"]))
    >>> data["health"][0]["health_band"], data["recommendations"][0]["kind"]
    ('red', 'promote')
    """
    def rounded(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
        frame = frame.copy()
        for c in columns:
            if c in frame.columns:
                frame[c] = frame[c].astype("float64").round(2)
        return frame

    return to_jsonable({
        "as_of": review.as_of,
        "previous_as_of": review.previous_as_of,
        "period_months": review.period_months,
        "source": review.results.source,
        "key_accounts": review.results.key_accounts,
        "previous_key_accounts": review.previous_key_accounts,
        "health": rounded(review.health, ["health_score", "health_trend", "previous_score",
                                          "clv_expected",
                                          "nps_12m", "satisfaction_12m", "attainment_score"]),
        "recommendations": review.recommendations,
        "movement": rounded(review.movement, ["attractiveness_before", "strength_before",
                                              "attractiveness", "strength", "revenue"]),
        "stale_dossiers": review.stale,
        "overdue_plans": review.overdue,
        "managers": review.managers,
        "retention": rounded(review.retention, ["retention_rate"]),
        "problems": review.results.problems,
    })
