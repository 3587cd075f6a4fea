"""Charts of stages 4 and 5 — evaluation of an account and the portfolio review.

Each function draws a table that :mod:`kamkit.evaluation.measures` or
:mod:`kamkit.review.portfolio` computed and returns the figure; none of them
computes a measure (the only arithmetic is where to put a bar). Every chart says what
is missing when its table is empty.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from kamkit.charts import PALETTE, RAG, chart, new_figure, number_formatter, placeholder, rtl
from kamkit.charts.identification import matrix_frame
from kamkit.data.labels import value_label
from kamkit.text.i18n import _, format_money, format_number, format_percent

__all__ = ["revenue_margin_chart", "clv_chart", "feedback_chart", "health_waterfall",
           "goal_attainment_chart", "health_overview", "matrix_movement_chart"]

_GREY = "#9a9a9a"
_STATUS_COLOURS = {"achieved": RAG["green"], "on_track": PALETTE[5], "open": _GREY,
                   "behind": RAG["amber"], "missed": RAG["red"], "not_measured": "#d0d0d0"}
_CHANGE_COLOURS = {"kept": PALETTE[0], "joined": PALETTE[2], "left": PALETTE[3], None: _GREY}


def _percent_axis() -> FuncFormatter:
    """Axis ticks as whole percentages in the current language (fixed when made)."""
    from kamkit.text.i18n import get_language, get_numerals

    language, numerals = get_language(), get_numerals()
    return FuncFormatter(lambda v, _p: format_percent(v, 0, language, numerals=numerals))


def _short(text: object, width: int = 38) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


@chart
def revenue_margin_chart(financial: pd.DataFrame, currency: str | None = None) -> Figure:
    """Net revenue per rolling year, the discounts on top of it, and the margin they erode.

    Bars show net revenue with the discounts stacked above them (hatched): together
    they are the revenue at list prices. The lines show the gross margin rate on net
    revenue and at list prices; the shaded gap between them is the margin eroded by
    discounts.

    Parameters
    ----------
    financial : DataFrame
        :func:`kamkit.evaluation.measures.financial_trend`.
    currency : str, optional

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit.evaluation.measures import financial_trend
    >>> from kamkit.data.synth import company_x
    >>> fig = revenue_margin_chart(financial_trend(company_x(), "CX-004"), "EUR")
    >>> fig.axes[0].get_title()
    'Revenue, discounts and the margin they erode'
    >>> empty = revenue_margin_chart(financial_trend(company_x(), "CX-004").iloc[0:0])
    >>> empty.axes[0].texts[0].get_text().startswith("No sales")
    True
    """
    title = _("Revenue, discounts and the margin they erode")
    if financial is None or financial.empty or not (financial["revenue"] != 0).any():
        return placeholder(title, _("No sales in the years shown: there is no revenue or margin "
                               "to evaluate."))
    fig = new_figure(8.0, 4.6)
    ax = fig.add_subplot()
    x = np.arange(len(financial))
    revenue = financial["revenue"].clip(lower=0).to_numpy(dtype=float)
    discount = financial["discount"].fillna(0.0).clip(lower=0).to_numpy(dtype=float)
    ax.bar(x, revenue, width=0.6, color=PALETTE[0], label=_("Net revenue"))
    ax.bar(x, discount, width=0.6, bottom=revenue, color="white", edgecolor=PALETTE[1],
           hatch="///", linewidth=0.8, label=_("Discounts (to list price)"))
    ax.set_xticks(x, financial["label"].astype(str).tolist())
    top = float((revenue + discount).max()) or 1.0
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_formatter(number_formatter(0))
    ax.set_ylabel(_("Revenue ({currency})").format(currency=currency) if currency
                  else _("Revenue"))
    ax.grid(axis="x", visible=False)
    rate = ax.twinx()
    net = financial["margin_rate"].to_numpy(dtype=float)
    listed = financial["list_margin_rate"].to_numpy(dtype=float)
    rate.plot(x, net, color=PALETTE[3], marker="o", label=_("Margin % of net revenue"))
    rate.plot(x, listed, color=PALETTE[3], marker="o", linestyle="--", alpha=0.6,
              label=_("Margin % at list prices"))
    rate.fill_between(x, net, listed, color=PALETTE[3], alpha=0.12,
                      label=_("Eroded by discounts"))
    for k in range(len(x)):
        if net[k] == net[k]:
            rate.annotate(format_percent(net[k]), (x[k], net[k]), textcoords="offset points",
                          xytext=(0, -14), ha="center", fontsize=8, color=PALETTE[3])
    low = np.nanmin(net) if np.isfinite(net).any() else 0.0
    high = np.nanmax(listed) if np.isfinite(listed).any() else 1.0
    rate.set_ylim(min(0.0, low) - 0.02, max(high, 0.05) * 1.35)
    rate.yaxis.set_major_formatter(_percent_axis())
    rate.set_ylabel(_("Gross margin %"))
    rate.grid(False)
    rate.spines["right"].set_visible(True)
    handles = ax.get_legend_handles_labels()
    more = rate.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left", fontsize=8,
              frameon=False, ncols=2)
    if rtl():
        ax.invert_xaxis()
    ax.set_title(title)
    return fig


@chart
def clv_chart(clv: pd.DataFrame, currency: str | None = None) -> Figure:
    """Customer lifetime value under each scenario, side by side.

    Each bar is one scenario's CLV; the label above it gives the margin multiple and
    the assumptions (retention r, discount rate i, margin growth g) under it.

    Parameters
    ----------
    clv : DataFrame
        :func:`kamkit.evaluation.measures.clv_scenarios`.
    currency : str, optional

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit.evaluation.measures import clv_scenarios
    >>> fig = clv_chart(clv_scenarios(300000.0), "EUR")
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()][:1]
    ['Pessimistic\\nr 75%, i 12%, g -2%']
    """
    title = _("Customer lifetime value: three sets of assumptions")
    if clv is None or clv.empty:
        return placeholder(title, _("No scenario to value: give at least one set of retention, "
                               "discount rate and margin growth."))
    margin = float(clv["annual_margin"].iloc[0])
    if margin <= 0:
        return placeholder(title, _("The account earned no gross margin in the last 12 months, so "
                               "its lifetime value has no margin to build on."))
    fig = new_figure(7.0, 4.2)
    ax = fig.add_subplot()
    x = np.arange(len(clv))
    colours = [RAG["amber"] if s == "pessimistic" else RAG["green"] if s == "optimistic"
               else PALETTE[0] for s in clv["scenario"]]
    values = clv["clv"].to_numpy(dtype=float)
    ax.bar(x, values, width=0.6, color=colours)
    for k, row in enumerate(clv.itertuples()):
        ax.text(k, values[k], _("{clv}\n{multiple} \u00d7 margin").format(
            clv=format_money(row.clv, currency), multiple=format_number(row.clv_multiple, 2)),
            ha="center", va="bottom", fontsize=8.5)
    labels = [_("{scenario}\nr {r}, i {i}, g {g}").format(
        scenario=value_label(r.scenario), r=format_percent(r.retention, 0),
        i=format_percent(r.discount_rate, 0), g=format_percent(r.margin_growth, 0))
        for r in clv.itertuples()]
    ax.set_xticks(x, labels)
    ax.set_ylim(0, float(values.max()) * 1.25)
    ax.yaxis.set_major_formatter(number_formatter(0))
    ax.set_ylabel(_("Lifetime value ({currency})").format(currency=currency) if currency
                  else _("Lifetime value"))
    ax.grid(axis="x", visible=False)
    ax.set_title(title)
    ax.text(0.0, -0.28, _("Annual gross margin m = {m}; CLV = m \u00d7 r / (1 + i \u2212 "
                          "r(1 + g))").format(m=format_money(margin, currency)),
            transform=ax.transAxes, fontsize=8, color="#444444")
    if rtl():
        ax.invert_xaxis()
    return fig


@chart
def feedback_chart(history: pd.DataFrame, by_year: pd.DataFrame | None = None) -> Figure:
    """Satisfaction answer by answer, and NPS and referrals per rolling year.

    Top: every satisfaction answer (1-5) over time; answers that came with a comment are
    ringed. Bottom: NPS per rolling year (-100 to 100), with the referrals of the year.

    Parameters
    ----------
    history : DataFrame
        :func:`kamkit.evaluation.measures.feedback_history`.
    by_year : DataFrame, optional
        :func:`kamkit.evaluation.measures.feedback_trend`.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit import evaluation
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> fig = feedback_chart(evaluation.feedback_history(cx, "CX-002"),
    ...                      evaluation.feedback_trend(cx, "CX-002"))
    >>> len(fig.axes)
    2
    >>> text = feedback_chart(evaluation.feedback_history(cx, "CX-150")).axes[0].texts[0]
    >>> text.get_text().startswith("No feedback is recorded for this account")
    True
    """
    title = _("What the customer says: satisfaction and NPS")
    if history is None or history.empty:
        return placeholder(title, _("No feedback is recorded for this account: ask the customer (a "
                               "short survey each quarter)."))
    fig = new_figure(8.0, 5.4)
    top, bottom = fig.subplots(2, 1, height_ratios=[3, 2])
    sat = history.dropna(subset=["satisfaction"])
    top.plot(sat["date"], sat["satisfaction"], color=PALETTE[0], marker="o",
             label=_("Satisfaction (1-5)"))
    commented = sat[sat["comment"].notna() & (sat["comment"].astype(str).str.strip() != "")]
    if len(commented):
        top.scatter(commented["date"], commented["satisfaction"], s=140, facecolors="none",
                    edgecolors=PALETTE[3], linewidths=1.5, label=_("With a comment"), zorder=3)
    top.set_ylim(0.5, 5.5)
    top.set_yticks([1, 2, 3, 4, 5])
    top.set_ylabel(_("Satisfaction"))
    top.legend(loc="lower left", fontsize=8, frameon=False, ncols=2)
    top.set_title(title)
    if by_year is not None and not by_year.empty:
        x = np.arange(len(by_year))
        nps = by_year["nps_score"].to_numpy(dtype=float)
        colours = [RAG["green"] if v > 0 else RAG["red"] if v < 0 else _GREY for v in
                   np.nan_to_num(nps)]
        bottom.bar(x, np.nan_to_num(nps), color=colours, width=0.55)
        for k, row in enumerate(by_year.itertuples()):
            text = _("no answers") if row.nps_answers == 0 else _(
                "NPS {nps}, {n} referrals").format(nps=format_number(row.nps_score, 0),
                                                   n=int(row.referrals))
            y = 0.0 if nps[k] != nps[k] else nps[k]
            bottom.text(k, y + (6 if y >= 0 else -6), text, ha="center",
                        va="bottom" if y >= 0 else "top", fontsize=8)
        bottom.axhline(0, color="black", lw=0.8)
        bottom.set_ylim(-110, 110)
        bottom.set_xticks(x, by_year["label"].astype(str).tolist())
        bottom.set_ylabel(_("NPS"))
        bottom.grid(axis="x", visible=False)
        if rtl():
            bottom.invert_xaxis()
    else:
        bottom.set_axis_off()
    if rtl():
        top.invert_xaxis()
    return fig


@chart
def health_waterfall(components: pd.DataFrame, score: float | None = None,
                     band: str | None = None) -> Figure:
    """The health score built up from neutral: what each component adds or takes away.

    Starting from the neutral 50, each component's bar is its drive (weight x (score -
    50)): green bars lift the score, red bars pull it down. The last bar is the score,
    in its band's colour. Components without evidence are named below the chart.

    Parameters
    ----------
    components : DataFrame
        :attr:`kamkit.evaluation.measures.Health.components`.
    score : float, optional
        The health score (the end of the waterfall).
    band : str, optional

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit.evaluation.measures import evaluate
    >>> from kamkit.data.synth import company_x
    >>> h = evaluate(company_x(), "CX-002").health
    >>> fig = health_waterfall(h.components, h.score, h.band)
    >>> fig.axes[0].get_title()
    'What drives the health score'
    """
    title = _("What drives the health score")
    scored = components.dropna(subset=["drive"]) if components is not None else None
    if scored is None or scored.empty:
        return placeholder(title, _("No component of the health score has evidence yet: record "
                               "sales, feedback, contacts and a plan for this account."))
    fig = new_figure(8.5, 4.4)
    ax = fig.add_subplot()
    level = 50.0
    names, lows, heights, colours = [_("Neutral")], [0.0], [50.0], [_GREY]
    for row in scored.itertuples():
        drive = float(row.drive)
        names.append(value_label(row.component))
        lows.append(level if drive >= 0 else level + drive)
        heights.append(abs(drive))
        colours.append(RAG["green"] if drive >= 0 else RAG["red"])
        level += drive
    end = float(score) if score is not None and score == score else level
    names.append(_("Health score"))
    lows.append(0.0)
    heights.append(end)
    colours.append(RAG.get(band or "", PALETTE[0]))
    x = np.arange(len(names))
    ax.bar(x, heights, bottom=lows, color=colours, width=0.62)
    for k in range(1, len(names) - 1):
        drive = float(scored.iloc[k - 1]["drive"])
        ax.text(k, lows[k] + heights[k], ("+" if drive >= 0 else "") + format_number(drive, 1),
                ha="center", va="bottom", fontsize=8)
    ax.text(len(names) - 1, end, format_number(end, 1), ha="center", va="bottom",
            fontsize=9, fontweight="bold")
    ax.axhline(50.0, color="black", lw=0.6, ls=":")
    ax.set_xticks(x, [textwrap.fill(n, 12) for n in names], fontsize=8)
    # Zoom on the moves: the neutral and total bars run from the bottom of the axis,
    # and their values are written on them.
    tops = [lo + h for lo, h in zip(lows[1:-1], heights[1:-1], strict=True)] + [end, 50.0]
    bottom = max(0.0, 10.0 * np.floor((min(lows[1:-1] + [end, 50.0]) - 8.0) / 10.0))
    ax.set_ylim(bottom, min(100.0, 10.0 * np.ceil((max(tops) + 8.0) / 10.0)))
    ax.text(0, 50.0, format_number(50.0, 0), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel(_("Score (0-100); the axis starts at {bottom}").format(
        bottom=format_number(bottom, 0)) if bottom > 0 else _("Score (0-100)"))
    ax.grid(axis="x", visible=False)
    ax.set_title(title)
    missing = components.loc[components["score"].isna() & (components["weight"] > 0),
                             "component"]
    if len(missing):
        ax.text(0.0, -0.3, _("Not scored (no evidence): {names}").format(
            names=", ".join(value_label(c) for c in missing)), transform=ax.transAxes,
            fontsize=8, color="#444444")
    if rtl():
        ax.invert_xaxis()
    return fig


@chart
def goal_attainment_chart(goals: pd.DataFrame) -> Figure:
    """Progress of each goal from its baseline (0%) to its target (100%), and the pace due.

    Bars are coloured by the goal's status; the black tick on each bar is the time
    elapsed, the progress a straight path would have reached by now. Goals that cannot
    be measured are named at 0.

    Parameters
    ----------
    goals : DataFrame
        :func:`kamkit.evaluation.measures.goal_attainment`.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit.evaluation.measures import goal_attainment
    >>> from kamkit.data.synth import company_x
    >>> fig = goal_attainment_chart(goal_attainment(company_x(), "CX-002"))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][0]
    'G-002-1'
    >>> empty = goal_attainment_chart(goal_attainment(company_x(), "CX-011"))
    >>> " ".join(empty.axes[0].texts[0].get_text().split())  # wrapped in its box
    'The account has no key account plan: there is no goal to measure (stage 3).'
    """
    title = _("Goal attainment: progress from baseline to target")
    if goals is None or goals.empty:
        return placeholder(title, _("The account has no key account plan: there is no goal to "
                               "measure (stage 3)."))
    n = len(goals)
    fig = new_figure(8.5, 1.6 + 0.5 * n)
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    progress = goals["progress"].to_numpy(dtype=float)
    shown = np.clip(np.nan_to_num(progress), -0.25, 1.5)
    colours = [_STATUS_COLOURS.get(s, _GREY) for s in goals["goal_status"]]
    ax.barh(y, shown, color=colours, height=0.55)
    for k, row in enumerate(goals.itertuples()):
        if row.time_elapsed == row.time_elapsed:
            ax.plot([row.time_elapsed, row.time_elapsed], [y[k] - 0.35, y[k] + 0.35],
                    color="black", lw=2)
        text = value_label(row.goal_status) if row.progress != row.progress else _(
            "{progress} \u2013 {status}").format(progress=format_percent(row.progress, 0),
                                                status=value_label(row.goal_status))
        ax.text(max(shown[k], 0.0) + 0.02, y[k], text, va="center", fontsize=8)
    ax.axvline(1.0, color=RAG["green"], lw=1, ls="--")
    ax.axvline(0.0, color="black", lw=0.8)
    ax.set_yticks(y, goals["goal_id"].astype(str).tolist())
    ax.set_xlim(-0.3, 1.9)
    ax.xaxis.set_major_formatter(_percent_axis())
    ax.set_xlabel(_("Progress: 0% = baseline, 100% = target; the tick marks the time "
                    "elapsed"))
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


@chart
def health_overview(health: pd.DataFrame, bands: dict[str, float] | None = None) -> Figure:
    """The portfolio's key accounts by health score, with where each stood a period ago.

    One bar per account (worst at the bottom), coloured by band; the hollow marker is the score
    one period earlier, so the arrow between them is the trend. Dotted lines mark where
    amber and green begin.

    Parameters
    ----------
    health : DataFrame
        :func:`kamkit.review.portfolio.health_table`.
    bands : mapping, optional
        Lower bounds of amber and green (default :data:`kamkit.evaluation.measures.BANDS`).

    Returns
    -------
    Figure

    Examples
    --------
    >>> table = pd.DataFrame({"account_id": ["A", "B"], "name": ["Acme", "Bolt"],
    ...     "health_score": [72.5, 43.9], "health_band": ["green", "red"],
    ...     "previous_score": [58.6, 48.9]})
    >>> [t.get_text() for t in health_overview(table).axes[0].get_yticklabels()]
    ['B Bolt', 'A Acme']
    """
    from kamkit.evaluation.measures import BANDS

    title = _("Health of the key accounts")
    data = health.dropna(subset=["health_score"]) if health is not None and \
        "health_score" in health.columns else None
    if data is None or data.empty:
        return placeholder(title, _("No account has a health score yet: run the evaluation "
                               "(notebook 04) for the key accounts."))
    limits = dict(BANDS if bands is None else bands)
    data = data.iloc[np.lexsort((data["account_id"].to_numpy(dtype=str),
                                 data["health_score"].to_numpy(dtype=float)))]
    n = len(data)
    fig = new_figure(8.5, 1.4 + 0.42 * n)
    ax = fig.add_subplot()
    y = np.arange(n)
    score = data["health_score"].to_numpy(dtype=float)
    ax.barh(y, score, color=[RAG.get(b, _GREY) for b in data["health_band"]], height=0.6)
    previous = data["previous_score"].to_numpy(dtype=float) if "previous_score" in \
        data.columns else np.full(n, np.nan)
    for k in range(n):
        if previous[k] == previous[k]:
            ax.plot(previous[k], y[k], marker="o", markerfacecolor="white",
                    markeredgecolor="black", markersize=6, zorder=3)
            if abs(score[k] - previous[k]) >= 1:
                ax.annotate("", xy=(score[k], y[k]), xytext=(previous[k], y[k]),
                            arrowprops={"arrowstyle": "->", "color": "black", "lw": 1})
        ax.text(101, y[k], format_number(score[k], 1), va="center", fontsize=8)
    for edge in (limits["amber"], limits["green"]):
        ax.axvline(edge, color="black", lw=0.7, ls=":")
    ax.set_yticks(y, [_short(f"{a} {nm}", 40) for a, nm in zip(
        data["account_id"], data["name"], strict=True)], fontsize=8)
    ax.set_xlim(0, 108)
    ax.set_xlabel(_("Health score (0-100); \u25cb a period earlier"))
    ax.grid(axis="y", visible=False)
    ax.legend(handles=[Patch(color=RAG[b], label=value_label(b)) for b in
                       ("red", "amber", "green")], loc="upper left",
              bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    ax.set_title(title)
    return fig


@chart
def matrix_movement_chart(movement: pd.DataFrame, middle: float = 50.0) -> Figure:
    """The attractiveness x strength matrix, with each account's move since a period ago.

    Each account sits where it stands now, coloured by how its key status changed
    (kept, joined, left, or never key); an arrow runs from where it stood one period
    earlier. The quadrants carry their strategy, as in
    :func:`kamkit.charts.identification.matrix_chart`.

    Parameters
    ----------
    movement : DataFrame
        :func:`kamkit.review.portfolio.matrix_movement`.
    middle : float
        Where the axes split into low and high.

    Returns
    -------
    Figure

    Examples
    --------
    >>> empty = matrix_movement_chart(pd.DataFrame())
    >>> empty.axes[0].texts[0].get_text().startswith("No identification result")
    True
    """
    title = _("The portfolio matrix: where the accounts moved in one period")
    if movement is None or movement.empty:
        return placeholder(title, _("No identification result to place the accounts: run the "
                               "identification (notebook 01) first."))
    fig = new_figure(8.0, 6.0)
    ax = fig.add_subplot()
    for row in movement.itertuples():
        colour = _CHANGE_COLOURS.get(row.change, _GREY)
        now = (row.strength, row.attractiveness)
        before = (row.strength_before, row.attractiveness_before)
        have_now = now[0] == now[0] and now[1] == now[1]
        have_before = before[0] == before[0] and before[1] == before[1]
        if have_now and have_before:
            ax.annotate("", xy=now, xytext=before, arrowprops={
                "arrowstyle": "->", "color": colour, "lw": 1.2, "alpha": 0.8})
        if have_before and not have_now:
            ax.scatter(*before, s=60, facecolors="none", edgecolors=colour)
        if have_now:
            ax.scatter(*now, s=80, color=colour, edgecolor="white", zorder=3)
            ax.annotate(row.account_id, now, textcoords="offset points", xytext=(5, 4),
                        fontsize=7.5)
    matrix_frame(ax, middle)
    ax.set_title(title)
    labels = {"kept": value_label("kept"), "joined": value_label("joined"),
              "left": value_label("left"), None: _("Not key")}
    present = [c for c in labels if (movement["change"].isna().any() if c is None
                                      else (movement["change"] == c).any())]
    ax.legend(handles=[Patch(color=_CHANGE_COLOURS[c], label=labels[c]) for c in present],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8,
              title=_("Key status"), title_fontsize=8)
    return fig
