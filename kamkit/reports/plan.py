"""The key account plan as a standalone HTML document (one file, opens offline).

:func:`plan_document` assembles the tables and charts of :mod:`kamkit.plan.account_plan` and
:mod:`kamkit.charts.plan` into a :class:`kamkit.reports.html.Document`; :func:`write_plan_html`
renders and writes it. Every text from the data is escaped by :mod:`kamkit.reports.html`, and
the page carries the reader's language and direction.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kamkit.data.labels import value_label
from kamkit.data.portfolio import Portfolio
from kamkit.exceptions import ParameterError
from kamkit.plan.smart import SmartThresholds
from kamkit.reports import html
from kamkit.text.i18n import (
    _,
    format_date,
    format_money,
    format_number,
    format_percent,
    use_language,
)

__all__ = ["plan_document", "write_plan_html", "plan_text"]

_LEVEL = {"no_plan": "alert", "goals_not_smart": "warning", "goal_without_actions": "warning",
          "action_without_owner": "warning", "overdue_actions": "alert",
          "department_overload": "warning", "no_protect_goal": "alert"}


def plan_document(portfolio: Portfolio, account_id: str, *,
                  thresholds: SmartThresholds | None = None
                  ) -> html.Document:
    """The plan of one account as a document: goals, balance, actions, resources, return.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : SmartThresholds, optional

    Returns
    -------
    kamkit.reports.html.Document

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> doc = plan_document(company_x(), "CX-009")
    >>> [s.title for s in doc.sections][:3]
    ['Goals and the SMART check', 'Balance of the plan', 'Actions']
    """
    from kamkit.charts.plan import action_timeline, budget_by_department
    from kamkit.plan import account_plan as plan
    from kamkit.plan.smart import smart_check

    key = portfolio.check_account(account_id)
    account = portfolio.account(key)
    currency = portfolio.currency
    summary = plan.plan_summary(portfolio, key, thresholds=thresholds)
    smart = smart_check(portfolio, key, thresholds=thresholds)
    goals = plan.plan_goals(portfolio, key, thresholds=thresholds)
    actions = plan.plan_actions(portfolio, key)
    milestones = plan.plan_milestones(portfolio, key)
    resources = plan.plan_resources(portfolio, key)
    ret = plan.expected_return(portfolio, key, thresholds=thresholds)

    facts = [
        (_("Account"), f"{account['name']} ({key})"),
        (_("Key account manager"), str(account.get("owner") or "\u2013")),
        (_("As of"), format_date(portfolio.as_of)),
        (_("SMART goals"), _("{smart} of {goals}").format(
            smart=format_number(summary["smart_goals"]), goals=format_number(summary["goals"]))),
        (_("Actions"), _("{n}, of which {late} overdue").format(
            n=format_number(summary["actions"]), late=format_number(summary["overdue_actions"]))),
        (_("Budget"), format_money(summary["budget"], currency)),
        (_("Expected extra gross margin ({years} years)").format(years=ret.years),
         format_money(summary["expected_return"], currency)),
        (_("ROI"), "\u2013" if summary["roi"] is None else format_percent(summary["roi"], 0)),
    ]

    goal_blocks: list = []
    if smart.empty:
        goal_blocks.append(html.Notice(_("The account has no goals yet: the plan starts with "
                                         "goals built on the needs in the dossier."), "alert"))
    else:
        goal_blocks.append(html.Table(smart, ["goal_id", "goal", "specific", "measurable",
                                              "achievable", "relevant", "time_bound",
                                              "ambition"]))
        for row in smart[smart["issues"] != ""].to_dict(orient="records"):
            level = "info" if row["smart"] else "warning"
            goal_blocks.append(html.Notice(f"{row['goal_id']}: {row['issues']}", level))
        goal_blocks.append(html.Table(goals, ["goal_id", "move", "move_reason", "owner",
                                              "actions", "departments", "budget"],
                                      caption=_("Moves and the work behind each goal")))

    balance: list = []
    flags = plan.plan_flags(portfolio, key, thresholds=thresholds)
    if flags.empty:
        balance.append(html.Notice(_("No balance flag: every goal has actions and owners, "
                                     "nothing is overdue, the work is shared and the "
                                     "account is protected where it needs to be."), "info"))
    for f in flags.to_dict(orient="records"):
        text = f"{value_label(f['flag'])}: {f['message']}"
        if f["evidence"]:
            text += " " + _("Evidence: {evidence}.").format(evidence=f["evidence"])
        balance.append(html.Notice(text, _LEVEL.get(f["flag"], "warning")))
    moves = summary["moves"]
    balance.append(html.Paragraph(_("Moves: {penetrate} penetrate, {expand} expand, {protect} "
                                    "protect.").format(**moves)))
    balance.append(html.Table(plan.climbing_moves(portfolio, key),
                              ["ladder_move", "addressed", "actions", "action_ids"],
                              caption=_("Moves up the perception ladder")))

    action_blocks: list = [html.Figure(action_timeline(actions, portfolio.as_of, milestones))]
    if not actions.empty:
        action_blocks.append(html.Table(
            actions.sort_values("action_id", kind="stable"),
            ["action_id", "goal_id", "action", "strategy", "department", "owner", "start", "due",
             "status", "budget", "days_overdue", "ladder"]))

    matrix = plan.responsibility_matrix(portfolio, key)
    resource_blocks: list = []
    if not matrix.empty:
        resource_blocks.append(html.Table(matrix.reset_index(),
                                          caption=_("Responsibility matrix: actions per "
                                                    "department and goal")))
        resource_blocks.append(html.Table(resources, ["department", "actions", "open_actions",
                                                      "goals", "owners", "budget",
                                                      "budget_share"]))
    resource_blocks.append(html.Figure(budget_by_department(resources, currency)))

    kpi_blocks: list = [html.Table(plan.plan_kpis(portfolio, key),
                                   ["goal_id", "kpi", "reading", "deadline", "measured_by"],
                                   caption=_("The measure of each goal"))]
    if not milestones.empty:
        kpi_blocks.append(html.Table(milestones, ["date", "milestone_kind", "ref", "what",
                                                  "department", "status", "overdue"],
                                     caption=_("Milestones")))

    totals = ret.totals()
    return_blocks: list = [
        html.Table(totals),
        html.Table(ret.goals, ["goal_id", "move", "budget", "incremental_revenue",
                               "incremental_margin", "probability", "probability_source",
                               "expected_margin", "note"]),
        html.Paragraph("\n\n".join(ret.assumptions)),
    ]
    sections = [
        html.Section(_("Goals and the SMART check"), goal_blocks, "goals"),
        html.Section(_("Balance of the plan"), balance, "balance"),
        html.Section(_("Actions"), action_blocks, "actions"),
        html.Section(_("Responsibilities and resources"), resource_blocks, "resources"),
        html.Section(_("Milestones and KPIs"), kpi_blocks, "kpis"),
        html.Section(_("Return on the plan"), return_blocks, "return"),
    ]
    return html.Document(
        title=_("Key account plan: {name}").format(name=account["name"]),
        subtitle=_("{portfolio} \u00b7 as of {date}").format(
            portfolio=portfolio.meta.name, date=format_date(portfolio.as_of)),
        sections=sections, facts=facts, currency=currency,
        footer=_("Written by kamkit from the portfolio's data as of {date}.").format(
            date=pd.Timestamp(portfolio.as_of).strftime("%Y-%m-%d")))


def plan_text(portfolio: Portfolio, account_id: str, *, thresholds: SmartThresholds | None = None
              ) -> str:
    """The plan's verdict as a few lines of text, for the terminal (``kamkit plan``).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> print(plan_text(company_x(), "CX-008").splitlines()[2])
      G-008-1  S✓ M✓ A? R✓ T✗  +12% revenue from drives with Moravské pohony
    """
    from kamkit.plan import account_plan as plan
    from kamkit.plan.smart import LETTERS, smart_check

    key = portfolio.check_account(account_id)
    currency = portfolio.currency
    summary = plan.plan_summary(portfolio, key, thresholds=thresholds)
    smart = smart_check(portfolio, key, thresholds=thresholds)
    icons = {"pass": "\u2713", "warn": "!", "fail": "\u2717", "not_judged": "?"}
    lines = [
        _("Key account plan: {name} ({id}), as of {date}").format(
            name=summary["name"], id=key, date=format_date(portfolio.as_of)),
        _("Goals: {n}, of which SMART: {smart}").format(n=summary["goals"],
                                                        smart=summary["smart_goals"]),
    ]
    for row in smart.to_dict(orient="records"):
        verdict = " ".join(f"{code}{icons[row[column]]}" for code, column, _l in LETTERS)
        lines.append(f"  {row['goal_id']}  {verdict}  {row['goal']}")
        if row["issues"]:
            lines.append(f"      {row['issues']}")
    lines.append(_("Actions: {n}, of which {late} overdue; budget {budget}").format(
        n=summary["actions"], late=summary["overdue_actions"],
        budget=format_money(summary["budget"], currency)))
    lines.append(_("Expected extra gross margin: {margin}; ROI {roi}").format(
        margin=format_money(summary["expected_return"], currency),
        roi="\u2013" if summary["roi"] is None else format_percent(summary["roi"], 0)))
    lines.append(_("Moves: {penetrate} penetrate, {expand} expand, {protect} protect").format(
        **summary["moves"]))
    if summary["climbing_moves"]["missing"]:
        lines.append(_("Ladder moves no action makes: {moves}").format(moves=", ".join(
            value_label(m) for m in summary["climbing_moves"]["missing"])))
    if summary["flags"]:
        lines.append(_("Flags:"))
        for f in summary["flags"]:
            evidence = f" ({f['evidence']})" if f["evidence"] else ""
            lines.append(f"  - {value_label(f['code'])}: {f['message']}{evidence}")
    return "\n".join(lines)


def write_plan_html(portfolio: Portfolio, account_id: str, path: str | Path, *,
                    language: str | None = None, overwrite: bool = False,
                    thresholds: SmartThresholds | None = None) -> Path:
    """Write the plan of one account as a standalone HTML file.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    path : str or Path
        The file to write.
    language : str, optional
        Language of the document (default: the current one).
    overwrite : bool
        Replace an existing file; without it an existing file stops the write.
    thresholds : SmartThresholds, optional

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kamkit.data.synth import company_x
    >>> out = write_plan_html(company_x(), "CX-005",
    ...                       pathlib.Path(tempfile.mkdtemp()) / "plan.html", language="fa")
    >>> out.read_text(encoding="utf-8").count('<html lang="fa" dir="rtl">')
    1
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise ParameterError("path", _("{path} already exists; pass overwrite=True (or "
                                       "--force) to replace it").format(path=path))
    with use_language(language) as code:
        document = plan_document(portfolio, account_id, thresholds=thresholds)
        return html.write(document, path, language=code)
