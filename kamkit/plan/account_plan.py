"""Stage 3 — the key account plan: goals, strategies, actions, responsibilities, return.

A key account plan (methodology, stage 3) turns the dossier into **goals** (checked by
:mod:`kamkit.plan.smart`), **strategies** to reach them and **actions** that departments
carry out — sales, marketing, service, production, logistics, finance, engineering —
each with an owner, dates, a status and a budget. Key accounts are assets whose return
on investment is judged (definition, points 5 and 6), so the plan also states what it
is expected to return against what it costs.

Tables (one function each, pure, ``as_of`` is "today"):

* :func:`plan_goals` — goals with their move (penetrate / expand / protect), the SMART
  verdict, the number of actions and their budget.
* :func:`plan_actions` — actions with overdue days and the perception-ladder moves
  they address.
* :func:`responsibility_matrix` — departments x goals (how many actions each carries).
* :func:`plan_milestones` and :func:`plan_kpis` — when the plan can be checked, and by
  which measure each goal is judged.
* :func:`plan_resources` — what each department is asked for (actions, people, budget).
* :func:`expected_return` — the plan's expected return and ROI, with its assumptions.
* :func:`climbing_moves` — which moves up the perception ladder the actions make.
* :func:`plan_flags` — the balance checks; :func:`plan_summary` — the ``plan.json``
  result for the portfolio review.

Penetrate, expand, protect
--------------------------
The ``move`` column says it when the plan gives it. Otherwise :func:`classify_move`
applies this rule, in order:

1. **protect** when the goal defends what we have: its metric is share of wallet,
   margin, satisfaction or NPS; its target holds the baseline; it answers a need the
   dossier records as a pain point; or its text says keep, defend, retain, protect,
   hold or maintain.
2. **penetrate** when it wins business we do not have: the baseline is 0, the scope is
   a product line the account did not buy in the twelve months before the goal was
   set, or it answers a cross-sell or new-business opportunity.
3. **expand** when it grows revenue, volume or another measure of existing business.
4. none (shown as unclassified) when the goal names no metric.

The expected return
-------------------
:func:`expected_return` values a goal only when its SMART check can measure it and
finds it achievable (letters M and A pass), so an absurd target never inflates the
return:

* revenue goals: the increase in annual revenue, ``target - baseline``, times the
  account's gross margin rate over the last twelve months;
* volume goals: the extra units at the scope's average price over the last twelve
  months, times the margin rate;
* margin goals: the rise in margin rate times the account's revenue over the last
  twelve months;
* share-of-wallet goals: the rise in share times the customer's latest wallet spend,
  times the margin rate;
* other goals (satisfaction, lead time, holding a share) protect revenue. The loss they
  avoid is not estimated, so they add nothing: a plan heavy on protection shows a
  lower ROI than it earns.

Each value is weighted by a probability: the linked opportunity's probability, or
``default_probability`` (0.5) when the goal answers a need rather than an opportunity,
and counted for ``years`` years (default 3) at the target level: key accounts are
assets whose return is judged over the long term (definition, points 5 and 6), and the
dossier sizes opportunities three years ahead. There is no discounting and no growth
beyond the target. The cost is the budget of every action of the plan;
``roi = (expected margin - cost) / cost``. Because protect goals are not valued, the
result also shows the ROI of the goals valued in money against their own actions'
budget, and the cost of the protect actions next to the gross margin a year they
defend (the account's last twelve months). People's time outside the action budgets is
not counted. It is a deliberately simple, conservative reading, and the notebook says
so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kamkit.data.labels import Field, register_fields, register_values, value_label
from kamkit.data.portfolio import Portfolio
from kamkit.data.sales import gross_margin_rate, period, sales_by_account
from kamkit.data.validation import is_blank
from kamkit.exceptions import ParameterError
from kamkit.plan.ladder import MOVES as LADDER_MOVES
from kamkit.plan.smart import SmartThresholds, our_share, same_scope, smart_check
from kamkit.text.i18n import N_, _, format_money, format_number, format_percent, ngettext

__all__ = [
    "MOVES",
    "CLIMBING_MOVES",
    "PROTECT_METRICS",
    "PROTECT_WORDS",
    "OVERLOAD_SHARE",
    "OVERLOAD_MIN_ACTIONS",
    "DEFAULT_PROBABILITY",
    "PlanReturn",
    "classify_move",
    "plan_goals",
    "plan_actions",
    "responsibility_matrix",
    "plan_milestones",
    "plan_kpis",
    "plan_resources",
    "expected_return",
    "climbing_moves",
    "strong_competitors",
    "plan_flags",
    "plan_summary",
]

#: The three moves of key account management (definition, point 4).
MOVES = ("penetrate", "expand", "protect")
#: Metrics whose goals defend what we have (rule 1 of :func:`classify_move`).
PROTECT_METRICS = frozenset({"share_of_wallet", "margin", "satisfaction", "nps"})
#: Words that make a goal a protect goal (rule 1), matched at the start of a word.
PROTECT_WORDS = ("keep*", "defend*", "retain*", "protect*", "hold*", "maintain*", "secure*",
                 "utrzyma*", "удерж*", "сохран*", "حفظ*")
#: Opportunity kinds that open business we do not have (rule 2).
PENETRATE_KINDS = frozenset({"cross_sell", "new_business"})
#: A department carries "most of the work" when it has this share of the actions ...
OVERLOAD_SHARE = 0.6
#: ... in a plan of at least this many actions.
OVERLOAD_MIN_ACTIONS = 5
#: Probability given to a goal that answers a need rather than a sized opportunity.
DEFAULT_PROBABILITY = 0.5
_CLOSED = ("done", "cancelled")

#: The moves up the customer perception ladder (methodology, stage 3), with the words
#: in an action or its strategy that show the action makes the move. A word ending in
#: ``*`` matches any word it begins (``certif*``: certified, certification); other words
#: match whole (a plural too). The mapping is a teaching aid: it reads what the plan
#: *says*, so one action can make several moves and a vaguely written action none.
#: Extend the lists freely.
_CLIMBING_WORDS: dict[str, tuple[str, ...]] = {
    "uncover_hidden_needs": (
        "interview", "workshop", "survey", "pulse", "find out", "analys*", "analyz*",
        "study", "root-cause", "root cause", "forecast", "research", "listen*",
        "discover*", "field trial", "co-design", "needs"),
    "tailored_solutions": (
        "tailor*", "customi*", "custom-made", "co-design", "package", "prototype",
        "sample", "kit", "design-in", "engineering support", "pilot", "certif*", "qualif*",
        "qualify", "*-language", "translat*", "local", "offer", "bundle", "complete",
        "trial", "demonstration", "joint bid", "joint tender"),
    "continuous_value": (
        "service", "buffer", "stock", "consignment", "monitoring", "guarantee",
        "availability", "train*", "kanban", "slot", "priority", "dispatch", "quarterly",
        "monthly", "weekly", "seminar", "webinar", "capacity", "spare", "spare-part*",
        "warranty", "reliable", "review"),
    "trust_transparency": (
        "status", "portal", "transparen*", "total-cost*", "total cost", "tco",
        "lifetime-cost", "lifetime cost", "price review", "net price", "price agreement",
        "report", "failure analysis", "field-failure", "open book", "share the",
        "announce*", "audit", "comparison"),
    "multi_level_relationships": (
        "executive", "ceo", "cfo", "managing director", "board member", "procurement board",
        "dinner", "visit", "meets", "meet the", "meeting", "director", "who approves",
        "relationship*",
        "technical day", "open day", "invite", "multi-level", "sponsor*", "committee"),
}
#: Each move's label (from :data:`kamkit.plan.ladder.MOVES`, the one definition of the moves)
#: and the words of :data:`_CLIMBING_WORDS` that show an action makes it.
CLIMBING_MOVES: dict[str, tuple[str, tuple[str, ...]]] = {
    code: (LADDER_MOVES[code][0], words) for code, words in _CLIMBING_WORDS.items()}
assert set(CLIMBING_MOVES) == set(LADDER_MOVES), "the plan reads every move of the ladder"

register_fields({
    "move_source": Field(N_("Move from"), "category"),
    "move_reason": Field(N_("Why this move"), "text"),
    "ref": Field(N_("Goal or action"), "text"),
    "our_share": Field(N_("Our share"), "percent", 0),
    "ahead": Field(N_("Ahead of us"), "bool"),
    "actions": Field(N_("Actions"), "int"),
    "open_actions": Field(N_("Open actions"), "int"),
    "departments": Field(N_("Departments"), "int"),
    "smart": Field(N_("SMART"), "bool"),
    "failed": Field(N_("Fails on"), "text"),
    "overdue": Field(N_("Overdue"), "bool"),
    "days_overdue": Field(N_("Days overdue"), "int"),
    "climbing": Field(N_("Ladder moves (codes)"), "text"),
    "ladder": Field(N_("Ladder moves"), "text"),
    "reading": Field(N_("Baseline \u2192 target (latest)"), "text"),
    "total": Field(N_("Total"), "int"),
    "kpi": Field(N_("KPI"), "text"),
    "current": Field(N_("Latest value"), "number", 1),
    "measured_by": Field(N_("Measured by"), "category"),
    "milestone_kind": Field(N_("Milestone"), "category"),
    "what": Field(N_("What"), "text"),
    "owners": Field(N_("People"), "text"),
    "goals": Field(N_("Goals"), "int"),
    "budget_share": Field(N_("Share of budget"), "percent", 0),
    "valued": Field(N_("Valued"), "bool"),
    "incremental_revenue": Field(N_("Extra revenue a year"), "money"),
    "incremental_margin": Field(N_("Extra gross margin a year"), "money"),
    "probability_source": Field(N_("Probability from"), "category"),
    "expected_margin": Field(N_("Expected margin"), "money"),
    "note": Field(N_("Note"), "text"),
    "ladder_move": Field(N_("Move up the ladder"), "category"),
    "addressed": Field(N_("Addressed"), "bool"),
    "action_ids": Field(N_("By actions"), "text"),
    "flag": Field(N_("Flag"), "category"),
    "figure": Field(N_("Figure"), "text"),
    "figure_value": Field(N_("Value"), "text"),
    "message": Field(N_("Finding"), "text"),
    "evidence": Field(N_("Evidence"), "text"),
})
register_values({
    "given": N_("the plan"),
    "rule": N_("kamkit's rule"),
    "unclassified": N_("Unclassified"),
    "transactions": N_("Sales data"),
    "wallet": N_("Share of wallet"),
    "recorded": N_("Recorded actual"),
    "action_milestone": N_("Action"),
    "goal_deadline": N_("Goal deadline"),
    "default": N_("Default"),
    "no_plan": N_("No plan"),
    "goals_not_smart": N_("Goals not SMART"),
    "goal_without_actions": N_("Goal without actions"),
    "action_without_owner": N_("Action without owner"),
    "overdue_actions": N_("Overdue actions"),
    "department_overload": N_("One department carries the plan"),
    "no_protect_goal": N_("No protect goal"),
})



def _pattern(word: str) -> str:
    """``stem*`` matches words it begins, ``*-suffix`` words it ends; others whole words."""
    if word.endswith("*"):
        return r"(?<!\w)" + re.escape(word[:-1])
    if word.startswith("*"):
        return re.escape(word[1:]) + r"(?!\w)"
    return r"(?<!\w)" + re.escape(word) + r"(?:s|es)?(?!\w)"


def _words_at_start(text: str, words: Sequence[str]) -> list[str]:
    """The words of ``words`` that ``text`` contains (see :data:`CLIMBING_MOVES`)."""
    low = text.lower()
    return [w for w in words if re.search(_pattern(w), low)]


# --------------------------------------------------------------------------------------
# Goals


def classify_move(goal: Any, *, needs: pd.DataFrame | None = None,
                  opportunities: pd.DataFrame | None = None,
                  lines_bought: Sequence[str] = ()) -> tuple[str | None, str]:
    """Penetrate, expand or protect, by the rule in the module docstring.

    Parameters
    ----------
    goal : mapping
        A row of the ``goals`` table (``move`` is not read: this is the rule for goals
        without one).
    needs, opportunities : DataFrame, optional
        The account's needs and opportunities (for the kind of need or opportunity the
        goal answers).
    lines_bought : sequence of str
        Product lines the account bought in the twelve months before the goal was set.

    Returns
    -------
    (move, reason) : tuple
        ``move`` is ``penetrate``, ``expand``, ``protect`` or None; ``reason`` says
        which part of the rule decided, in the current language.

    Examples
    --------
    >>> classify_move({"goal": "Keep our share of wallet at 50%",
    ...                "metric": "share_of_wallet"})[0]
    'protect'
    >>> classify_move({"goal": "Win the displays", "metric": "revenue", "scope": "displays",
    ...                "baseline": 0, "target": 450000})
    ('penetrate', 'it starts from zero: new business')
    >>> classify_move({"goal": "+20% drive revenue", "metric": "revenue",
    ...                "scope": "drives", "baseline": 100, "target": 120},
    ...               lines_bought=["drives"])[0]
    'expand'
    """
    get = goal.get if hasattr(goal, "get") else (lambda k, d=None: getattr(goal, k, d))
    metric = None if is_blank(get("metric")) else str(get("metric"))
    text = "" if is_blank(get("goal")) else str(get("goal"))
    link = None if is_blank(get("linked_to")) else str(get("linked_to"))
    baseline = None if is_blank(get("baseline")) else float(get("baseline"))
    target = None if is_blank(get("target")) else float(get("target"))
    scope = None if is_blank(get("scope")) else str(get("scope"))
    need_kind = opp_kind = None
    if link and needs is not None and len(needs):
        hit = needs[needs["need_id"] == link]
        need_kind = hit["kind"].iloc[0] if len(hit) else None
    if link and opportunities is not None and len(opportunities):
        hit = opportunities[opportunities["opportunity_id"] == link]
        opp_kind = hit["kind"].iloc[0] if len(hit) else None
    if metric in PROTECT_METRICS:
        return "protect", _("its metric, {metric}, defends the business we have").format(
            metric=value_label(metric))
    if baseline is not None and target is not None and baseline == target and baseline:
        return "protect", _("its target holds today's level")
    if need_kind == "pain_point":
        return "protect", _("it answers a pain point of the customer")
    words = _words_at_start(text, PROTECT_WORDS)
    if words:
        return "protect", _("its text says \u201c{word}\u201d").format(
            word=words[0].rstrip("*"))
    if baseline == 0 and target:
        return "penetrate", _("it starts from zero: new business")
    if opp_kind in PENETRATE_KINDS:
        return "penetrate", _("it answers a {kind} opportunity").format(
            kind=value_label(opp_kind).lower())
    if scope and metric in ("revenue", "volume") and lines_bought and scope.lower() not in {
            str(x).lower() for x in lines_bought}:
        return "penetrate", _("the account did not buy {scope} before").format(scope=scope)
    if metric:
        return "expand", _("it grows business the account already gives us")
    return None, _("it names no metric: too vague to classify")


def _lines_before(portfolio: Portfolio, account_id: str, start: pd.Timestamp) -> list[str]:
    tx = portfolio.table_for("transactions", account_id)
    window = tx[(tx["date"] > start - pd.DateOffset(months=12)) & (tx["date"] <= start)]
    return sorted(set(window.loc[window["revenue"] > 0, "product_line"].dropna().astype(str)))


def plan_goals(portfolio: Portfolio, account_id: str, *, thresholds: SmartThresholds | None = None
               ) -> pd.DataFrame:
    """The plan's goals: move, SMART verdict, actions and budget per goal.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : SmartThresholds, optional
        Passed to :func:`kamkit.plan.smart.smart_check`.

    Returns
    -------
    DataFrame
        One row per goal, in the plan's order: ``goal_id``, ``goal``, ``move``
        (``penetrate``/``expand``/``protect``, or None when unclassifiable),
        ``move_source`` (``given`` or ``rule``), ``move_reason``, ``metric``,
        ``scope``, ``baseline``, ``target``, ``deadline``, ``owner``, ``linked_to``,
        the five letters of :func:`kamkit.plan.smart.smart_check` (``specific`` ...
        ``time_bound``), ``smart`` (bool), ``failed`` (letters that fail, e.g. ``"M"``),
        ``actions``, ``departments``, ``budget``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> g = plan_goals(company_x(), "CX-004")
    >>> g[["goal_id", "move", "move_source", "smart", "failed"]]
       goal_id     move move_source  smart failed
    0  G-004-1      NaN        rule  False     SM
    1  G-004-2  protect       given   True
    """
    key = portfolio.check_account(account_id)
    goals = portfolio.table_for("goals", key)
    actions = portfolio.table_for("actions", key)
    needs = portfolio.table_for("needs", key)
    opps = portfolio.table_for("opportunities", key)
    verdicts = smart_check(portfolio, key, thresholds=thresholds)
    letters = {"specific": "S", "measurable": "M", "achievable": "A", "relevant": "R",
               "time_bound": "T"}
    rows = []
    for i, goal in enumerate(goals.to_dict(orient="records")):
        given = goal.get("move")
        if not is_blank(given):
            move, source, reason = str(given), "given", _("set in the plan")
        else:
            start = goal.get("start")
            start = portfolio.as_of if is_blank(start) else pd.Timestamp(start)
            move, reason = classify_move(goal, needs=needs, opportunities=opps,
                                         lines_bought=_lines_before(portfolio, key, start))
            source = "rule"
        mine = actions[actions["goal_id"] == goal["goal_id"]]
        verdict = verdicts.iloc[i]
        rows.append({
            "goal_id": goal["goal_id"], "goal": goal["goal"], "move": move,
            "move_source": source, "move_reason": reason, "metric": goal.get("metric"),
            "scope": goal.get("scope"), "baseline": goal.get("baseline"),
            "target": goal.get("target"), "deadline": goal.get("deadline"),
            "owner": goal.get("owner"), "linked_to": goal.get("linked_to"),
            **{col: verdict[col] for col in letters},
            "smart": bool(verdict["smart"]),
            "failed": "".join(code for col, code in letters.items() if verdict[col] == "fail"),
            "actions": len(mine),
            "departments": int(mine["department"].nunique()),
            "budget": float(mine["budget"].fillna(0.0).sum()),
        })
    columns = ["goal_id", "goal", "move", "move_source", "move_reason", "metric", "scope",
               "baseline", "target", "deadline", "owner", "linked_to", *letters, "smart",
               "failed", "actions", "departments", "budget"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"baseline": "float64", "target": "float64", "budget": "float64",
                         "deadline": "datetime64[ns]"})


# --------------------------------------------------------------------------------------
# Actions


def _ladder_moves(text: str) -> list[str]:
    return [code for code, (_label, words) in CLIMBING_MOVES.items()
            if _words_at_start(text, words)]


def plan_actions(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """The plan's actions, with overdue days and the ladder moves each one makes.

    An action is **overdue** when its due date lies before ``as_of`` and it is neither
    done nor cancelled.

    Returns
    -------
    DataFrame
        The ``actions`` columns (``action_id``, ``goal_id``, ``action``, ``strategy``,
        ``department``, ``owner``, ``start``, ``due``, ``status``, ``budget``,
        ``done_date``, ``milestone``) plus ``overdue`` (bool), ``days_overdue`` (0 when
        not overdue), ``climbing`` (codes of :data:`CLIMBING_MOVES`, comma-separated)
        and ``ladder`` (the same moves in words, in the current language). Sorted by
        department, start and id.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> a = plan_actions(company_x(), "CX-003")
    >>> a.loc[a["overdue"], ["action_id", "days_overdue"]].to_dict("records")
    [{'action_id': 'A-003-01', 'days_overdue': 30}, {'action_id': 'A-003-02', 'days_overdue': 61}]
    """
    key = portfolio.check_account(account_id)
    a = portfolio.table_for("actions", key)
    columns = ["action_id", "goal_id", "action", "strategy", "department", "owner", "start",
               "due", "status", "budget", "done_date", "milestone"]
    a = a[columns].copy()
    as_of = pd.Timestamp(portfolio.as_of)
    overdue = (a["due"] < as_of) & ~a["status"].isin(_CLOSED)
    a["overdue"] = overdue.astype(bool)
    a["days_overdue"] = ((as_of - a["due"]).dt.days.where(overdue, 0)).astype("int64")
    moves = [_ladder_moves(f"{x} {s if not is_blank(s) else ''}")
             for x, s in zip(a["action"], a["strategy"], strict=True)]
    a["climbing"] = [", ".join(m) for m in moves]
    a["ladder"] = ["; ".join(value_label(code) for code in m) for m in moves]
    a["department"] = a["department"].astype("str").str.strip()
    return a.sort_values(["department", "start", "action_id"], kind="stable"
                         ).reset_index(drop=True)


def responsibility_matrix(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """Departments x goals: how many actions each department carries for each goal.

    Returns
    -------
    DataFrame
        Indexed by ``department`` (most actions first, then by name), one column per
        goal id in the plan's order (goals without actions included, with zeros), and
        ``total``. Empty when the plan has no actions.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> m = responsibility_matrix(company_x(), "CX-003")
    >>> m["total"].to_dict()
    {'production': 5, 'sales': 1, 'service': 1}
    """
    key = portfolio.check_account(account_id)
    goals = portfolio.table_for("goals", key)["goal_id"].tolist()
    a = portfolio.table_for("actions", key)
    if a.empty:
        return pd.DataFrame(columns=[*goals, "total"], index=pd.Index([], name="department"))
    dept = a["department"].astype("str").str.strip()
    matrix = pd.crosstab(dept.rename("department"), a["goal_id"])
    for g in goals:
        if g not in matrix.columns:
            matrix[g] = 0
    extra = [c for c in matrix.columns if c not in goals]
    matrix = matrix[goals + extra].astype("int64")
    matrix["total"] = matrix.sum(axis=1)
    matrix = matrix.reset_index().sort_values(["total", "department"], ascending=[False, True],
                                              kind="stable").set_index("department")
    matrix.columns.name = None
    return matrix


def plan_milestones(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """The dates the plan can be checked against: milestone actions and goal deadlines.

    Returns
    -------
    DataFrame
        ``date``, ``milestone_kind`` (``action_milestone`` or ``goal_deadline``),
        ``ref`` (the action or goal id), ``what``, ``department``, ``status`` (actions;
        goals: None), ``overdue`` (bool). Sorted by date.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> plan_milestones(company_x(), "CX-007")[["date", "ref"]].head(2)
            date      ref
    0 2026-09-30  A-007-01
    1 2027-03-31  G-007-2
    """
    key = portfolio.check_account(account_id)
    as_of = pd.Timestamp(portfolio.as_of)
    rows = []
    a = portfolio.table_for("actions", key)
    for r in a[a["milestone"].fillna(False).astype(bool)].to_dict(orient="records"):
        done = r["status"] == "done"
        rows.append({"date": r["done_date"] if done and not is_blank(r["done_date"]) else r["due"],
                     "milestone_kind": "action_milestone", "ref": r["action_id"],
                     "what": r["action"], "department": r["department"],
                     "status": r["status"],
                     "overdue": bool(r["due"] < as_of and r["status"] not in _CLOSED)})
    for r in portfolio.table_for("goals", key).to_dict(orient="records"):
        if is_blank(r["deadline"]):
            continue
        rows.append({"date": r["deadline"], "milestone_kind": "goal_deadline",
                     "ref": r["goal_id"], "what": r["goal"], "department": None,
                     "status": None, "overdue": False})
    frame = pd.DataFrame(rows, columns=["date", "milestone_kind", "ref", "what", "department",
                                        "status", "overdue"])
    frame = frame.astype({"date": "datetime64[ns]", "overdue": "bool"})
    return frame.sort_values(["date", "ref"], kind="stable").reset_index(drop=True)


def plan_kpis(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """The measure (KPI) of each goal, where it comes from, and its latest value.

    Revenue, volume and margin are measured from the transactions (the scope's last
    twelve months up to ``as_of``, comparable with a baseline taken the same way);
    share of wallet from :func:`kamkit.needs.dossier.share_of_wallet`; every other measure
    from the ``actual`` the plan records.

    Returns
    -------
    DataFrame
        ``goal_id``, ``kpi`` (what is measured, in words), ``metric``, ``baseline``,
        ``target``, ``deadline``, ``current``, ``measured_by`` (``transactions``,
        ``wallet``, ``recorded`` or None when nothing measures it yet) and ``reading``
        (baseline, target and latest value in words, formatted for the metric).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> k = plan_kpis(company_x(), "CX-001")
    >>> k["measured_by"].tolist()
    ['recorded', 'transactions', 'transactions', 'recorded']
    """
    key = portfolio.check_account(account_id)
    goals = portfolio.table_for("goals", key)
    tx = portfolio.table_for("transactions", key)
    start, end = period(portfolio.as_of)
    last = tx[(tx["date"] > start) & (tx["date"] <= end)]
    rows = []
    for g in goals.to_dict(orient="records"):
        metric = None if is_blank(g["metric"]) else str(g["metric"])
        scope = None if is_blank(g["scope"]) else str(g["scope"])
        current, source = None, None
        rows_scope = last
        if scope:
            match = last["product_line"].astype(str).map(lambda v, s=scope: same_scope(v, s))
            if not match.any():
                match = last["product"].astype(str).map(lambda v, s=scope: same_scope(v, s))
            rows_scope = last[match]
        if metric == "revenue":
            current, source = float(rows_scope["revenue"].sum()), "transactions"
        elif metric == "volume":
            current, source = float(rows_scope["quantity"].sum()), "transactions"
        elif metric == "margin":
            current = gross_margin_rate(float(rows_scope["revenue"].sum()),
                                        float(rows_scope["cost"].sum()))
            source = "transactions"
        elif metric == "share_of_wallet":
            current = our_share(portfolio, key)
            source = "wallet" if current is not None else None
        if current is None and not is_blank(g.get("actual")):
            current, source = float(g["actual"]), "recorded"
        if metric == "other":
            kpi = _("{scope}: the measure the goal names").format(scope=scope) if scope else _(
                "The measure the goal names")
        else:
            label = value_label(metric) if metric else _("no measure named")
            kpi = _("{metric} of {scope}").format(metric=label, scope=scope) if scope else label
        reading = _("{baseline} \u2192 {target} ({current})").format(
            baseline=_reading(g["baseline"], metric, portfolio.currency),
            target=_reading(g["target"], metric, portfolio.currency),
            current=_reading(current, metric, portfolio.currency))
        rows.append({"goal_id": g["goal_id"], "kpi": kpi, "metric": metric,
                     "baseline": g["baseline"], "target": g["target"],
                     "deadline": g["deadline"], "current": current, "measured_by": source,
                     "reading": reading})
    frame = pd.DataFrame(rows, columns=["goal_id", "kpi", "metric", "baseline", "target",
                                        "deadline", "current", "measured_by", "reading"])
    return frame.astype({"baseline": "float64", "target": "float64", "current": "float64",
                         "deadline": "datetime64[ns]"})


def _reading(value: Any, metric: str | None, currency: str | None) -> str:
    if is_blank(value):
        return "\u2013"
    value = float(value)
    if metric == "revenue":
        return format_money(value, currency)
    if metric in ("share_of_wallet", "margin"):
        return format_percent(value, 1)
    return format_number(value, 0 if value.is_integer() else 1)


def plan_resources(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """What the plan asks of each department: actions, open actions, people, budget.

    Returns
    -------
    DataFrame
        One row per department, largest budget first: ``department``, ``actions``,
        ``open_actions`` (neither done nor cancelled), ``goals`` (how many goals it
        works for), ``owners`` (the people named, comma-separated), ``budget``,
        ``budget_share`` (0..1 of the plan's budget).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> r = plan_resources(company_x(), "CX-001")
    >>> r[["department", "actions", "budget"]].head(2)
      department  actions    budget
    0  logistics        1  180000.0
    1  engineering      3   97000.0
    """
    key = portfolio.check_account(account_id)
    a = portfolio.table_for("actions", key)
    columns = ["department", "actions", "open_actions", "goals", "owners", "budget",
               "budget_share"]
    if a.empty:
        return pd.DataFrame(columns=columns)
    a = a.assign(department=a["department"].astype("str").str.strip(),
                 budget=a["budget"].fillna(0.0))
    total = float(a["budget"].sum())
    rows = []
    for dept, g in a.groupby("department", sort=True):
        owners = sorted({str(o).strip() for o in g["owner"] if not is_blank(o)})
        rows.append({"department": dept, "actions": len(g),
                     "open_actions": int((~g["status"].isin(_CLOSED)).sum()),
                     "goals": int(g["goal_id"].nunique()), "owners": ", ".join(owners),
                     "budget": float(g["budget"].sum()),
                     "budget_share": float(g["budget"].sum()) / total if total > 0 else 0.0})
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["budget", "department"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Return on the plan


@dataclass(frozen=True)
class PlanReturn:
    """The plan's expected return against its cost (model: module docstring).

    Attributes
    ----------
    goals : DataFrame
        One row per goal: ``goal_id``, ``move``, ``metric``, ``budget`` (of its
        actions), ``valued`` (bool), ``incremental_revenue`` and ``incremental_margin``
        (a year, at the target level), ``probability``, ``probability_source``
        (``opportunity`` or ``default``), ``expected_margin`` (over ``years``) and
        ``note`` (why a goal is not valued).
    years : int
        Years the extra margin is counted for.
    budget : float
        The cost: the budget of every action of the plan.
    expected_margin : float
        Sum of the goals' probability-weighted extra gross margin over ``years``.
    roi : float or None
        ``(expected_margin - budget) / budget``; None when the plan has no budget.
    valued_budget : float
        Budget of the actions that serve the goals valued in money.
    valued_roi : float or None
        The same ratio for the valued goals alone: their expected margin against their
        own actions' budget.
    protect_budget : float
        Budget of the actions that serve protect goals not valued in money.
    margin_at_stake : float
        The account's gross margin of the last twelve months: what protect goals defend.
    margin_rate : float
        The account's gross margin rate of the last twelve months (NaN without sales).
    assumptions : tuple of str
        The model's assumptions in words, for the reader.
    """

    goals: pd.DataFrame
    years: int
    budget: float
    expected_margin: float
    roi: float | None
    valued_budget: float
    valued_roi: float | None
    protect_budget: float
    margin_at_stake: float
    margin_rate: float
    assumptions: tuple[str, ...] = field(default=())

    @property
    def net(self) -> float:
        """Expected margin minus cost."""
        return self.expected_margin - self.budget

    def totals(self) -> pd.DataFrame:
        """The headline figures as a two-column table (``figure``, ``figure_value``).

        The values are already formatted (money, percentages) in the current language.
        """
        from kamkit.text.i18n import format_number

        def money(v: float) -> str:
            return format_money(v, self._currency)

        def ratio(v: float | None) -> str:
            return "\u2013" if v is None else format_percent(v, 0)

        rows = [
            (_("Cost of the plan (action budgets)"), money(self.budget)),
            (_("Expected extra gross margin over {n} years").format(
                n=format_number(self.years)), money(self.expected_margin)),
            (_("Return on the plan (ROI)"), ratio(self.roi)),
            (_("Cost of the actions for goals valued in money"), money(self.valued_budget)),
            (_("Return on those goals (ROI)"), ratio(self.valued_roi)),
        ]
        if "move" in self.goals and (self.goals["move"] == "protect").any():
            rows += [
                (_("Cost of the protect goals' actions"), money(self.protect_budget)),
                (_("Gross margin a year the protect goals defend"),
                 money(self.margin_at_stake)),
            ]
        return pd.DataFrame(rows, columns=["figure", "figure_value"])

    _currency: str | None = None


def expected_return(portfolio: Portfolio, account_id: str, *, years: int = 3,
                    default_probability: float = DEFAULT_PROBABILITY,
                    thresholds: SmartThresholds | None = None) -> PlanReturn:
    """The plan's expected extra gross margin, its cost and its ROI.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    years : int
        Years the extra margin is counted for once a goal is reached (default 3: key
        accounts are assets judged over the long term, and the dossier sizes
        opportunities three years ahead).
    default_probability : float
        Probability for goals that answer a need rather than a sized opportunity.
    thresholds : SmartThresholds, optional
        For the SMART check that decides which goals can be valued.

    Returns
    -------
    PlanReturn

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> r = expected_return(company_x(), "CX-001")
    >>> round(r.budget), round(r.expected_margin), round(r.roi, 2), round(r.valued_roi, 1)
    (355000, 316153, -0.11, 5.2)
    """
    if not 0.0 <= default_probability <= 1.0:
        raise ParameterError("default_probability", _("a probability between 0 and 1"))
    if years < 1:
        raise ParameterError("years", _("at least one year"))
    key = portfolio.check_account(account_id)
    return _expected_return(portfolio, key, plan_goals(portfolio, key, thresholds=thresholds),
                            years, default_probability)


def _expected_return(portfolio: Portfolio, key: str, goals: pd.DataFrame, years: int,
                     default_probability: float) -> PlanReturn:
    raw = portfolio.table_for("goals", key).set_index("goal_id")
    opps = portfolio.table_for("opportunities", key)
    prob_of = dict(zip(opps["opportunity_id"], opps["probability"], strict=True))
    tx = portfolio.table_for("transactions", key)
    start, end = period(portfolio.as_of)
    last = sales_by_account(tx, start, end)
    revenue_12m = float(last["revenue"].sum()) if len(last) else 0.0
    cost_12m = float(last["cost"].sum()) if len(last) else 0.0
    rate = gross_margin_rate(revenue_12m, cost_12m)
    spend = _latest_spend(portfolio, key)
    rows = []
    for g in goals.to_dict(orient="records"):
        gid = g["goal_id"]
        metric = g["metric"] if not is_blank(g["metric"]) else None
        inc_rev = inc_margin = 0.0
        note = ""
        valued = g["measurable"] in ("pass", "warn") and g["achievable"] in ("pass", "warn")
        base, target = g["baseline"], g["target"]
        if not valued:
            note = _("not valued: the SMART check cannot measure it or finds it not "
                     "achievable")
        elif metric == "revenue" and target > base:
            inc_rev = target - base
        elif metric == "volume" and target > base:
            inc_rev = (target - base) * _unit_price(tx, g["scope"], start, end)
        elif metric == "margin" and target > base:
            inc_margin = (target - base) * revenue_12m
        elif metric == "share_of_wallet" and spend is not None and target > base:
            inc_rev = (target - base) * spend
        else:
            valued = False
            note = _("not valued in money: it protects revenue, and the loss it avoids is "
                     "not estimated")
        if inc_rev and rate == rate:
            inc_margin = inc_rev * rate
        link = raw.loc[gid, "linked_to"]
        if not is_blank(link) and link in prob_of and not is_blank(prob_of[link]):
            probability, source = float(prob_of[link]), "opportunity"
        else:
            probability, source = default_probability, "default"
        rows.append({"goal_id": gid, "move": g["move"], "metric": metric,
                     "budget": g["budget"], "valued": valued,
                     "incremental_revenue": inc_rev, "incremental_margin": inc_margin,
                     "probability": probability, "probability_source": source,
                     "expected_margin": inc_margin * probability * years, "note": note})
    frame = pd.DataFrame(rows, columns=["goal_id", "move", "metric", "budget", "valued",
                                        "incremental_revenue", "incremental_margin",
                                        "probability", "probability_source",
                                        "expected_margin", "note"])
    frame = frame.astype({"budget": "float64", "valued": "bool",
                          "incremental_revenue": "float64", "incremental_margin": "float64",
                          "probability": "float64", "expected_margin": "float64"})
    budget = float(portfolio.table_for("actions", key)["budget"].fillna(0.0).sum())
    expected = float(frame["expected_margin"].sum())
    valued_budget = float(frame.loc[frame["valued"], "budget"].sum())
    valued_expected = float(frame.loc[frame["valued"], "expected_margin"].sum())
    protect_budget = float(frame.loc[~frame["valued"] & (frame["move"] == "protect"),
                                     "budget"].sum())

    def ratio(gain: float, cost: float) -> float | None:
        return (gain - cost) / cost if cost > 0 else None

    currency = portfolio.currency
    assumptions = (
        _("A goal's extra gross margin is counted for {n} years at the target level, with "
          "no discounting and no growth beyond the target.").format(n=years),
        _("Extra revenue earns the account's gross margin rate of the last twelve months "
          "({rate}).").format(rate=format_percent(rate)),
        _("Each goal is weighted by its opportunity's probability, or by {p} when it "
          "answers a need rather than a sized opportunity.").format(
            p=format_percent(default_probability, 0)),
        _("Goals the SMART check cannot measure or finds not achievable are not valued."),
        _("Protect goals (satisfaction, lead times, holding a share) are not valued: the "
          "loss they avoid is not estimated. Their cost is set against the gross margin "
          "they defend ({margin} a year) instead.").format(
            margin=format_money(revenue_12m - cost_12m, currency)),
        _("The cost is the budget of every action of the plan ({budget}); people's time "
          "outside those budgets is not counted.").format(
            budget=format_money(budget, currency)),
    )
    return PlanReturn(frame, years, budget, expected, ratio(expected, budget), valued_budget,
                      ratio(valued_expected, valued_budget), protect_budget,
                      revenue_12m - cost_12m, float(rate), assumptions, currency)


def _latest_spend(portfolio: Portfolio, account_id: str) -> float | None:
    wallet = portfolio.table_for("wallet", account_id)
    if wallet.empty:
        return None
    latest = wallet.sort_values("year", kind="stable").iloc[-1]
    return float(latest["spend"])


def _unit_price(tx: pd.DataFrame, scope: Any, start: pd.Timestamp, end: pd.Timestamp
                ) -> float:
    window = tx[(tx["date"] > start) & (tx["date"] <= end)]
    if not is_blank(scope):
        window = window[window["product_line"].astype(str).map(lambda v: same_scope(v, scope))]
    units = float(window["quantity"].sum())
    return float(window["revenue"].sum()) / units if units > 0 else 0.0


# --------------------------------------------------------------------------------------
# Balance checks


def climbing_moves(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """Which moves up the perception ladder the plan's actions make, and which none does.

    Returns
    -------
    DataFrame
        One row per move of :data:`CLIMBING_MOVES`, in the methodology's order:
        ``ladder_move`` (code), ``actions`` (how many make it), ``action_ids``,
        ``covered`` (bool).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> m = climbing_moves(company_x(), "CX-003")
    >>> m.loc[~m["addressed"], "ladder_move"].tolist()
    ['trust_transparency']
    """
    actions = plan_actions(portfolio, account_id).sort_values("action_id", kind="stable")
    rows = []
    for code in CLIMBING_MOVES:
        ids = [aid for aid, moves in zip(actions["action_id"], actions["climbing"],
                                         strict=True) if code in moves.split(", ")]
        rows.append({"ladder_move": code, "actions": len(ids), "action_ids": ", ".join(ids),
                     "addressed": bool(ids)})
    return pd.DataFrame(rows, columns=["ladder_move", "actions", "action_ids", "addressed"])


def strong_competitors(portfolio: Portfolio, account_id: str) -> pd.DataFrame:
    """Competitors strong enough that the plan needs a protect goal.

    Strong: in the latest wallet year a competitor has a larger share of the customer's
    wallet than ours, or is rated a high threat (read through
    :func:`kamkit.needs.dossier.share_of_wallet`; when the account has no wallet figures, the
    threat ratings of its latest competitor rows).

    Returns
    -------
    DataFrame
        ``competitor``, ``share`` (0..1 or NaN), ``our_share`` (0..1 or NaN),
        ``threat``, ``ahead`` (bool: larger share than ours).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> strong_competitors(company_x(), "CX-009")[["competitor", "ahead", "threat"]]
              competitor  ahead threat
    0  Brevi Automazione   True   high
    """
    from kamkit.needs.dossier import REST, US, share_of_wallet

    columns = ["competitor", "share", "our_share", "threat", "ahead"]
    sow = share_of_wallet(portfolio, account_id)
    if len(sow):
        latest = sow[sow["year"] == sow["year"].max()]
        ours = latest.loc[latest["party"] == US, "share"]
        our_share = float(ours.iloc[0]) if len(ours) and pd.notna(ours.iloc[0]) else float(
            "nan")
        comp = latest[~latest["party"].isin([US, REST])]
        rows = [{"competitor": r["party"], "share": float(r["share"]), "our_share": our_share,
                 "threat": r["threat"], "ahead": bool(our_share == our_share and float(
                     r["share"]) > our_share)} for r in comp.to_dict(orient="records")]
    else:
        comp = portfolio.table_for("competitors", account_id)
        if len(comp) and comp["year"].notna().any():
            comp = comp[comp["year"] == comp["year"].max()]
        rows = [{"competitor": r["competitor"], "share": float(r["share_of_wallet"]),
                 "our_share": float("nan"), "threat": r["threat"], "ahead": False}
                for r in comp.to_dict(orient="records")]
    frame = pd.DataFrame(rows, columns=columns)
    strong = frame[frame["ahead"] | (frame["threat"] == "high")] if len(frame) else frame
    return strong.astype({"share": "float64", "our_share": "float64", "ahead": "bool"}
                         ).reset_index(drop=True)


def _flag(code: str, message: str, evidence: str) -> dict[str, str]:
    return {"flag": code, "message": message, "evidence": evidence}


def plan_flags(portfolio: Portfolio, account_id: str, *, overload_share: float = OVERLOAD_SHARE,
               overload_min_actions: int = OVERLOAD_MIN_ACTIONS,
               thresholds: SmartThresholds | None = None) -> pd.DataFrame:
    """The balance checks of a plan, each raised with the evidence behind it.

    Flags (codes):

    * ``no_plan`` — the account has no goals.
    * ``goals_not_smart`` — goals that fail a letter of the SMART check.
    * ``goal_without_actions`` — goals no action serves.
    * ``action_without_owner`` — actions nobody owns.
    * ``overdue_actions`` — actions due before ``as_of`` that are neither done nor
      cancelled.
    * ``department_overload`` — in a plan of at least ``overload_min_actions`` actions,
      one department carries ``overload_share`` or more of them: key accounts are
      served by the whole company, not by one department.
    * ``no_protect_goal`` — no goal is a protect goal although a competitor is strong
      (:func:`strong_competitors`).

    Returns
    -------
    DataFrame
        ``flag`` (code), ``message`` (what it means, in the current language),
        ``evidence`` (the ids and figures behind it). Empty when the plan is balanced.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> plan_flags(company_x(), "CX-003")["flag"].tolist()
    ['goals_not_smart', 'overdue_actions', 'department_overload']
    """
    if not 0.0 < overload_share <= 1.0:
        raise ParameterError("overload_share", _("a share between 0 and 1"))
    key = portfolio.check_account(account_id)
    return _plan_flags(portfolio, key, plan_goals(portfolio, key, thresholds=thresholds),
                       plan_actions(portfolio, key), overload_share, overload_min_actions)


def _plan_flags(portfolio: Portfolio, key: str, goals: pd.DataFrame, actions: pd.DataFrame,
                overload_share: float, overload_min_actions: int) -> pd.DataFrame:
    actions = actions.sort_values("action_id", kind="stable")
    flags = []
    columns = ["flag", "message", "evidence"]
    if goals.empty:
        flags.append(_flag("no_plan", _("The account has no goals: there is no key account "
                                        "plan to check yet."), ""))
        return pd.DataFrame(flags, columns=columns)
    bad = goals[~goals["smart"]]
    if len(bad):
        flags.append(_flag("goals_not_smart", ngettext(
            "{n} goal is not SMART: rewrite it before the plan is agreed.",
            "{n} goals are not SMART: rewrite them before the plan is agreed.",
            len(bad)).format(n=len(bad)), ", ".join(
            f"{g} ({f})" for g, f in zip(bad["goal_id"], bad["failed"], strict=True))))
    idle = goals[goals["actions"] == 0]
    if len(idle):
        flags.append(_flag("goal_without_actions", ngettext(
            "{n} goal has no action: nobody works towards it.",
            "{n} goals have no action: nobody works towards them.", len(idle)).format(
            n=len(idle)), ", ".join(idle["goal_id"])))
    orphans = actions[actions["owner"].map(is_blank)]
    if len(orphans):
        flags.append(_flag("action_without_owner", ngettext(
            "{n} action has no owner: an action nobody owns is not done.",
            "{n} actions have no owner: an action nobody owns is not done.",
            len(orphans)).format(n=len(orphans)), ", ".join(orphans["action_id"])))
    late = actions[actions["overdue"]]
    if len(late):
        flags.append(_flag("overdue_actions", ngettext(
            "{n} action is overdue.", "{n} actions are overdue.", len(late)).format(
            n=len(late)), ", ".join(ngettext("{action} ({days} day late)",
                                             "{action} ({days} days late)", int(d)).format(
                action=a, days=int(d)) for a, d in zip(late["action_id"], late["days_overdue"],
                                                       strict=True))))
    if len(actions) >= overload_min_actions:
        counts = actions["department"].value_counts()
        top = counts.sort_values(ascending=False, kind="stable")
        share = float(top.iloc[0]) / len(actions)
        if share >= overload_share:
            flags.append(_flag("department_overload", _(
                "{department} carries {share} of the actions: the plan treats the account "
                "as one department's job, not the whole company's.").format(
                department=top.index[0], share=format_percent(share, 0)),
                _("{n} of {total} actions").format(n=int(top.iloc[0]), total=len(actions))))
    strong = strong_competitors(portfolio, key)
    if len(strong) and not (goals["move"] == "protect").any():
        evidence = "; ".join(
            _("{competitor}: {share} of wallet against our {ours}, {threat} threat").format(
                competitor=r["competitor"], share=format_percent(r["share"], 0),
                ours=format_percent(r["our_share"], 0),
                threat=value_label(r["threat"]).lower())
            for r in strong.to_dict(orient="records"))
        flags.append(_flag("no_protect_goal", _(
            "No goal protects the account although a competitor is strong: add a protect "
            "goal (share of wallet, satisfaction, service level)."), evidence))
    return pd.DataFrame(flags, columns=columns)


def plan_summary(portfolio: Portfolio, account_id: str, *,
                 thresholds: SmartThresholds | None = None,
                 years: int = 3, default_probability: float = DEFAULT_PROBABILITY
                 ) -> dict[str, Any]:
    """The plan's key figures for the portfolio review: the content of ``plan.json``.

    Returns
    -------
    dict
        ``account_id``, ``name``, ``as_of``, ``currency``, ``goals`` (count),
        ``smart_goals`` (count), ``actions`` (count), ``overdue_actions`` (count),
        ``budget``, ``expected_return`` (probability-weighted extra gross margin a
        year), ``roi`` (or None), ``moves`` (counts of ``penetrate``, ``expand``,
        ``protect`` and ``unclassified``), ``flags`` (list of ``{code, message,
        evidence}``), ``climbing_moves`` (``{covered: [...], missing: [...]}``),
        ``goal_verdicts`` (list of ``{goal_id, smart, failed, move}``) and
        ``budget_by_department`` (department -> budget).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> s = plan_summary(company_x(), "CX-009")
    >>> s["goals"], s["smart_goals"], s["moves"], [f["code"] for f in s["flags"]]
    (2, 2, {'penetrate': 1, 'expand': 1, 'protect': 0, 'unclassified': 0}, ['no_protect_goal'])
    """
    key = portfolio.check_account(account_id)
    if not 0.0 <= default_probability <= 1.0:
        raise ParameterError("default_probability", _("a probability between 0 and 1"))
    if years < 1:
        raise ParameterError("years", _("at least one year"))
    goals = plan_goals(portfolio, key, thresholds=thresholds)
    actions = plan_actions(portfolio, key)
    ret = _expected_return(portfolio, key, goals, years, default_probability)
    flags = _plan_flags(portfolio, key, goals, actions, OVERLOAD_SHARE, OVERLOAD_MIN_ACTIONS)
    ladder = climbing_moves(portfolio, key)
    resources = plan_resources(portfolio, key)
    moves = {m: int((goals["move"] == m).sum()) for m in MOVES}
    moves["unclassified"] = int(goals["move"].isna().sum())
    return {
        "account_id": key,
        "name": str(portfolio.account(key)["name"]),
        "as_of": pd.Timestamp(portfolio.as_of),
        "currency": portfolio.currency,
        "goals": len(goals),
        "smart_goals": int(goals["smart"].sum()),
        "actions": len(actions),
        "overdue_actions": int(actions["overdue"].sum()),
        "budget": ret.budget,
        "expected_return": ret.expected_margin,
        "roi": ret.roi,
        "moves": moves,
        "flags": [{"code": f["flag"], "message": f["message"], "evidence": f["evidence"]}
                  for f in flags.to_dict(orient="records")],
        "climbing_moves": {
            "covered": ladder.loc[ladder["addressed"], "ladder_move"].tolist(),
            "missing": ladder.loc[~ladder["addressed"], "ladder_move"].tolist(),
        },
        "goal_verdicts": [{"goal_id": g["goal_id"], "smart": bool(g["smart"]),
                           "failed": list(g["failed"]), "move": g["move"]}
                          for g in goals.to_dict(orient="records")],
        "budget_by_department": dict(zip(resources["department"], resources["budget"],
                                         strict=True)),
    }
