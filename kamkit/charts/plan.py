"""Charts of stage 3, the key account plan: the action timeline and the budget.

Both draw tables that :mod:`kamkit.plan.account_plan` computed
(:func:`~kamkit.plan.account_plan.plan_actions`,
:func:`~kamkit.plan.account_plan.plan_milestones`,
:func:`~kamkit.plan.account_plan.plan_resources`); nothing is computed here, not even what
is overdue.
"""

from __future__ import annotations

import pandas as pd
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from kamkit.charts import PALETTE, chart, new_figure, number_formatter, placeholder
from kamkit.text.i18n import _, format_date, format_money, format_percent, get_language, ngettext

__all__ = ["action_timeline", "budget_by_department"]

_LABEL_CHARS = 42
#: Overdue outlines: a dark red no department colour uses.
_OVERDUE = "#9B1B30"
_STATUS_STYLE = {
    "planned": {"alpha": 0.35, "hatch": None},
    "in_progress": {"alpha": 0.9, "hatch": None},
    "done": {"alpha": 0.55, "hatch": None},
    "blocked": {"alpha": 0.9, "hatch": "xxx"},
    "cancelled": {"alpha": 0.12, "hatch": None},
}


def _short(text: object) -> str:
    text = str(text)
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1].rstrip() + "\u2026"


def _month_formatter() -> FuncFormatter:
    from babel.dates import format_date as babel_date

    language = get_language()

    def fmt(value: float, _pos: int) -> str:
        return babel_date(mdates.num2date(value).date(), "MMM y", locale=language)

    return FuncFormatter(fmt)


@chart
def action_timeline(actions: pd.DataFrame, as_of: pd.Timestamp,
                    milestones: pd.DataFrame | None = None) -> Figure:
    """The plan as a timeline (Gantt): one bar per action, coloured by department.

    Bars run from ``start`` to ``due``; their shading shows the status (planned light,
    in progress solid, done muted with a tick, blocked cross-hatched, cancelled faint)
    and a dark red outline marks an overdue action. Diamonds mark milestones (at the
    due date, or the day a done milestone was finished), dotted lines the goals'
    deadlines, and the dashed line is today: the portfolio's ``as_of`` date.

    Parameters
    ----------
    actions : DataFrame
        :func:`kamkit.plan.account_plan.plan_actions` (rows in the order they should be drawn,
        top to bottom).
    as_of : Timestamp
        The portfolio's "today".
    milestones : DataFrame, optional
        :func:`kamkit.plan.account_plan.plan_milestones`, for the goals' deadlines.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> from kamkit.plan.account_plan import plan_actions, plan_milestones
    >>> cx = company_x()
    >>> fig = action_timeline(plan_actions(cx, "CX-003"), cx.as_of,
    ...                       plan_milestones(cx, "CX-003"))
    >>> fig.axes[0].get_title()
    'Action plan: who does what, and when'
    >>> empty = action_timeline(plan_actions(cx, "CX-011"), cx.as_of)
    >>> empty.axes[0].texts[0].get_text().startswith("No actions in the plan yet")
    True
    """
    title = _("Action plan: who does what, and when")
    if actions is None or actions.empty:
        return placeholder(title, _("No actions in the plan yet: add actions with a department, "
                                    "an owner and dates to see the timeline."), height=2.2)
    as_of = pd.Timestamp(as_of)
    n = len(actions)
    fig = new_figure(9.0, 1.6 + 0.32 * n)
    ax = fig.add_subplot()
    departments = list(dict.fromkeys(actions["department"].astype(str)))
    colour = {d: PALETTE[i % len(PALETTE)] for i, d in enumerate(departments)}
    for row, a in enumerate(actions.to_dict(orient="records")):
        y = n - 1 - row
        start, due = pd.Timestamp(a["start"]), pd.Timestamp(a["due"])
        width = max((due - start).days, 1)
        style = _STATUS_STYLE.get(str(a["status"]), _STATUS_STYLE["planned"])
        overdue = bool(a.get("overdue", False))
        ax.barh(y, width, left=mdates.date2num(start), height=0.62,
                color=colour[str(a["department"])], alpha=style["alpha"],
                hatch=style["hatch"], hatchcolor="#333333",
                edgecolor=_OVERDUE if overdue else "none", linewidth=2.2 if overdue else 0.0)
        if a["status"] == "done":
            ax.text(mdates.date2num(due), y, " \u2713", va="center", fontsize=9,
                    color="#333333")
        if bool(a.get("milestone", False)):
            when = a["done_date"] if a["status"] == "done" and pd.notna(a.get(
                "done_date")) else a["due"]
            ax.plot(mdates.date2num(pd.Timestamp(when)), y, marker="D", markersize=7,
                    color="black", zorder=5)
    labels = [f"{a} \u00b7 {_short(t)}" for a, t in zip(actions["action_id"],
                                                         actions["action"], strict=True)]
    ax.set_yticks(range(n), labels[::-1])
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", visible=False)
    ax.axvline(mdates.date2num(as_of), color="black", linestyle="--", linewidth=1.2)
    ax.annotate(_("today ({date})").format(date=format_date(as_of)),
                (mdates.date2num(as_of), n - 0.4), xytext=(3, 0), textcoords="offset points",
                color="black", fontsize=8, va="bottom")
    if milestones is not None and len(milestones):
        deadlines = milestones[milestones["milestone_kind"] == "goal_deadline"]
        for date, group in deadlines.groupby("date", sort=True):
            x = mdates.date2num(pd.Timestamp(date))
            ax.axvline(x, color="#555555", linestyle=":", linewidth=1.0)
            ax.annotate(", ".join(group["ref"].astype(str)), (x, -0.6), xytext=(2, 0),
                        textcoords="offset points", rotation=90, fontsize=7, va="bottom",
                        color="#555555")
    ax.set_ylim(-0.8, n)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(_month_formatter())
    # Month names are long in some languages (Persian, Polish): slant them, never overlap.
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    ax.set_title(title)
    handles = [Patch(color=colour[d], label=d) for d in departments]
    handles += [Patch(facecolor="#888888", alpha=0.35, label=_("planned")),
                Patch(facecolor="#888888", alpha=0.55, label=_("done \u2713")),
                Patch(facecolor="#888888", hatch="xxx", label=_("blocked")),
                Patch(facecolor="white", edgecolor=_OVERDUE, linewidth=2,
                      label=_("overdue")),
                Line2D([], [], marker="D", color="black", linestyle="none",
                       label=_("milestone")),
                Line2D([], [], color="#555555", linestyle=":", label=_("goal deadline"))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              frameon=False)
    return fig


@chart
def budget_by_department(resources: pd.DataFrame, currency: str | None = None) -> Figure:
    """The plan's budget per department, largest first, with open actions noted.

    Parameters
    ----------
    resources : DataFrame
        :func:`kamkit.plan.account_plan.plan_resources`.
    currency : str, optional
        Currency code for the labels.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> from kamkit.plan.account_plan import plan_resources
    >>> fig = budget_by_department(plan_resources(company_x(), "CX-001"), "EUR")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2]
    ['logistics', 'engineering']
    """
    title = _("Budget by department")
    if resources is None or resources.empty:
        return placeholder(title, _("No actions in the plan yet, so no department is asked for "
                                    "a budget."), height=2.2)
    fig = new_figure(7.0, 1.4 + 0.42 * len(resources))
    ax = fig.add_subplot()
    n = len(resources)
    ys = list(range(n))[::-1]
    ax.barh(ys, resources["budget"], color=[PALETTE[i % len(PALETTE)] for i in range(n)],
            height=0.6)
    ax.set_yticks(ys, resources["department"].astype(str).tolist())
    peak = float(resources["budget"].max()) or 1.0
    for y, budget, share, open_, total in zip(
            ys, resources["budget"], resources["budget_share"], resources["open_actions"],
            resources["actions"], strict=True):
        text = ngettext("{amount} ({share}) \u00b7 {open} of {total} action open",
                        "{amount} ({share}) \u00b7 {open} of {total} actions open",
                        int(total)).format(amount=format_money(budget, currency),
                                           share=format_percent(share, 0), open=int(open_),
                                           total=int(total))
        ax.text(float(budget) + peak * 0.01, y, text, va="center", fontsize=8)
    ax.set_xlim(0, peak * 1.75)
    ax.xaxis.set_major_formatter(number_formatter())  # the language is fixed now, not at draw
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(_("Budget ({currency})").format(currency=currency or "\u2013"))
    ax.set_title(title)
    return fig
