"""Charts of stage 1 — identification: concentration, scores, portfolio matrix, stability.

Each function draws a table that :mod:`kamkit.identification.selection` computed and returns the
figure; none of them computes a metric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kamkit.charts import PALETTE, chart, new_figure, placeholder
from kamkit.data.labels import label, value_label
from kamkit.text.i18n import _, format_percent

__all__ = ["concentration_chart", "score_chart", "matrix_chart", "matrix_frame",
           "stability_chart"]

#: Colour of each group of accounts, the same in every chart.
GROUP_COLOURS = {"key": PALETTE[0], "big_not_key": PALETTE[3], "potential_key": PALETTE[2],
                 "other": "#9a9a9a"}


@chart
def concentration_chart(curve: pd.DataFrame, top: float = 0.2,
                        top_share: float | None = None) -> Figure:
    """The concentration (Pareto) curve: share of customers against share of revenue.

    Parameters
    ----------
    curve : DataFrame
        :func:`kamkit.identification.selection.concentration`.
    top : float
        The share of customers marked on the curve (0.2 for the 80/20 rule).
    top_share : float, optional
        Their share of revenue (:func:`kamkit.identification.selection.top_share`), for the mark.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit import identification
    >>> from kamkit.charts import title_of
    >>> from kamkit.data.synth import company_x
    >>> title_of(concentration_chart(identification.concentration(company_x())))
    'Concentration of revenue (Pareto curve)'
    """
    fig = new_figure(7.0, 4.2)
    title = _("Concentration of revenue (Pareto curve)")
    if curve.empty or float(curve["cumulative_share"].iloc[-1]) <= 0:
        return placeholder(title, _("No revenue in the last twelve months: there is no "
                                    "concentration to show."), fig=fig)
    ax = fig.add_subplot()
    x = np.concatenate([[0.0], curve["customer_share"].to_numpy(dtype=float)]) * 100
    y = np.concatenate([[0.0], curve["cumulative_share"].to_numpy(dtype=float)]) * 100
    shades = {"A": 0.16, "B": 0.09, "C": 0.03}
    start = 0.0
    for cls in ("A", "B", "C"):
        part = curve[curve["abc"] == cls]
        if part.empty:
            continue
        end = float(part["customer_share"].max()) * 100
        ax.axvspan(start, end, color=PALETTE[0], alpha=shades[cls], lw=0)
        ax.text((start + end) / 2, 4, _("{abc} ({n})").format(abc=cls, n=len(part)),
                ha="center", va="bottom", fontsize=8.5)
        start = end
    ax.plot([0, 100], [0, 100], color="#9a9a9a", lw=1, ls="--",
            label=_("every customer buys the same"))
    ax.plot(x, y, color=PALETTE[0], lw=2, label=_("our customers"))
    if top_share is not None and top_share == top_share:
        ax.plot([top * 100, top * 100, 0], [0, top_share * 100, top_share * 100],
                color=PALETTE[3], lw=1)
        ax.annotate(_("top {customers} of customers: {revenue} of revenue").format(
            customers=format_percent(top, 0), revenue=format_percent(top_share, 0)),
            (top * 100, top_share * 100), xytext=(8, -16), textcoords="offset points",
            color=PALETTE[3])
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 102)
    ax.set_xlabel(_("Share of customers, largest first (%)"))
    ax.set_ylabel(_("Cumulative share of revenue (%)"))
    ax.set_title(title)
    ax.legend(loc="center right", frameon=False)
    return fig


@chart
def score_chart(ranking: pd.DataFrame, min_score: float | None = None) -> Figure:
    """The best accounts' scores as stacked bars, one segment per criterion's points.

    Parameters
    ----------
    ranking : DataFrame
        :func:`kamkit.identification.selection.ranking` (usually its top rows).
    min_score : float, optional
        Drawn as a vertical line.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit import identification
    >>> from kamkit.data.synth import company_x
    >>> fig = score_chart(identification.ranking(identification.identify(company_x()), 5))
    >>> [t.get_text()[:6] for t in fig.axes[0].get_yticklabels()]
    ['CX-001', 'CX-005', 'CX-002', 'CX-003', 'CX-013']
    """
    title = _("Score by criterion")
    fig = new_figure(7.5, 0.32 * max(len(ranking), 4) + 1.6)
    if ranking.empty:
        return placeholder(title, _("No accounts to rank."), fig=fig)
    ax = fig.add_subplot()
    columns = [c for c in ranking.columns if c.endswith("_points")]
    colours = list(PALETTE) + ["#666666", "#bbbbbb", "#8c564b", "#17becf"]
    y = np.arange(len(ranking))[::-1]
    left = np.zeros(len(ranking))
    for i, column in enumerate(columns):
        values = ranking[column].to_numpy(dtype=float)
        ax.barh(y, values, left=left, color=colours[i % len(colours)], height=0.7,
                label=label(column))
        left += values
    names = [f"{a}  {n}"[:38] for a, n in zip(ranking["account_id"], ranking["name"],
                                              strict=True)]
    ax.set_yticks(y, names)
    for tick, group in zip(ax.get_yticklabels(), ranking["group"], strict=True):
        tick.set_color(GROUP_COLOURS.get(group, "black"))
        if group == "key":
            tick.set_fontweight("bold")
    if min_score is not None:
        ax.axvline(min_score, color="black", lw=1, ls=":")
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("Score (points from each criterion)"))
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    return fig


def matrix_frame(ax: Axes, middle: float = 50.0) -> None:
    """The portfolio matrix's frame: the split at ``middle``, the quadrants' strategies in
    their corners (:data:`kamkit.identification.selection.QUADRANTS`), the axes 0-100 and
    their labels.

    Shared by :func:`matrix_chart` and :func:`kamkit.charts.evaluation.matrix_movement_chart`.
    """
    ax.axvline(middle, color="black", lw=0.8)
    ax.axhline(middle, color="black", lw=0.8)
    corners = {"invest_selectively": (2, 98, "left"), "invest_for_growth": (98, 98, "right"),
               "manage_for_cash": (2, 2, "left"), "maintain": (98, 2, "right")}
    for quadrant, (qx, qy, ha) in corners.items():
        ax.text(qx, qy, value_label(quadrant), ha=ha, va="top" if qy > 50 else "bottom",
                fontsize=9, color="#444444")  # no italic: DejaVu's has no Persian
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel(_("Our relative strength: relationship stage, share of wallet, margin"))
    ax.set_ylabel(_("Account attractiveness"))


@chart
def matrix_chart(matrix: pd.DataFrame, middle: float = 50.0) -> Figure:
    """Account attractiveness against our relative strength, bubbles sized by revenue.

    Relative strength grows to the right and attractiveness upwards; the quadrants
    carry their strategy (:data:`kamkit.identification.selection.QUADRANTS`).

    Parameters
    ----------
    matrix : DataFrame
        :func:`kamkit.identification.selection.portfolio_matrix`.
    middle : float
        Where the axes split into low and high.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit import identification
    >>> from kamkit.data.synth import company_x
    >>> result = identification.identify(company_x())
    >>> fig = matrix_chart(identification.portfolio_matrix(result), language="pl")
    >>> len(fig.axes)
    1
    """
    title = _("Account attractiveness and our relative strength")
    fig = new_figure(7.5, 5.6)
    if matrix.empty:
        return placeholder(title, _("No accounts to place in the matrix."), fig=fig)
    ax = fig.add_subplot()
    revenue = matrix["revenue"].clip(lower=0).to_numpy(dtype=float)
    top = revenue.max() if len(revenue) and revenue.max() > 0 else 1.0
    sizes = 30 + 1500 * np.sqrt(revenue / top)
    for group, colour in GROUP_COLOURS.items():
        part = matrix["group"].to_numpy() == group
        if part.any():
            ax.scatter(matrix["strength"][part], matrix["attractiveness"][part],
                       s=sizes[part], color=colour, alpha=0.55, edgecolor="white",
                       label=value_label(group))
    for row in matrix.itertuples():
        ax.annotate(row.account_id, (row.strength, row.attractiveness), fontsize=7.5,
                    ha="center", va="center")
    matrix_frame(ax, middle)
    ax.set_title(title)
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                       title=_("Bubble size: revenue"), fontsize=8, title_fontsize=8)
    for handle in legend.legend_handles:
        handle.set_sizes([60])
    return fig


@chart
def stability_chart(stability: pd.DataFrame, tolerance: float = 0.1) -> Figure:
    """How often each account is selected when the weights move a little.

    Parameters
    ----------
    stability : DataFrame
        ``Stability.table`` of :func:`kamkit.identification.selection.weight_stability`.
    tolerance : float
        The band drawn at both ends: inside it, the decision does not depend on the
        weights.

    Returns
    -------
    Figure

    Examples
    --------
    >>> from kamkit import identification
    >>> from kamkit.data.synth import company_x
    >>> result = identification.identify(company_x())
    >>> stability = identification.weight_stability(result, draws=20)
    >>> [float(x) for x in stability_chart(stability.table).axes[0].get_xlim()]
    [0.0, 100.0]
    """
    title = _("How often each account is selected when the weights move")
    fig = new_figure(8.0, 0.3 * max(len(stability), 4) + 1.5)
    if stability.empty:
        return placeholder(title, _("No account was selected in any draw."), fig=fig)
    ax = fig.add_subplot()
    y = np.arange(len(stability))[::-1]
    colours = [GROUP_COLOURS["key"] if s else GROUP_COLOURS["other"]
               for s in stability["selected"]]
    ax.barh(y, stability["selected_share"].to_numpy(dtype=float) * 100, color=colours,
            height=0.7)
    names = [f"{a}  {n}"[:38] for a, n in zip(stability["account_id"], stability["name"],
                                              strict=True)]
    ax.set_yticks(y, names)
    for tick, fragile in zip(ax.get_yticklabels(), stability["depends_on_weights"],
                             strict=True):
        if fragile:
            tick.set_color(PALETTE[3])
            tick.set_fontweight("bold")
    ax.axvspan(0, tolerance * 100, color="#9a9a9a", alpha=0.15, lw=0)
    ax.axvspan(100 - tolerance * 100, 100, color=PALETTE[0], alpha=0.12, lw=0)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("Share of draws that select the account (%)"))
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=GROUP_COLOURS["key"], label=_("selected today")),
                       Patch(color=GROUP_COLOURS["other"], label=_("not selected today")),
                       Patch(color=PALETTE[3], label=_("name in red: depends on the weights"))],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    return fig
