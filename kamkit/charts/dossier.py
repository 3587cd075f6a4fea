"""Charts of stage 2, the account dossier.

Each function draws one table that :mod:`kamkit.needs.dossier` computed and returns the
figure; none computes a metric. An empty table draws a figure that says what is
missing, so a notebook or report never shows a blank chart without a word.

* :func:`stakeholder_map` - influence x attitude of every contact, sized by the
  strength of our relationship, marked by level (``Dossier.dmu.contacts``);
* :func:`coverage_grid` - the customer's levels x departments we reach
  (``Dossier.dmu.coverage``);
* :func:`share_of_wallet_bar` - us, each competitor and the rest, year by year
  (``Dossier.relationship.wallet``);
* :func:`swot_grid` - the customer SWOT in four quadrants (``Dossier.needs.swot``);
* :func:`revenue_history` - revenue by product line and year, with the margin rate
  (``Dossier.relationship.by_line`` and ``by_year``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from kamkit.charts import NONE_COLOUR, PALETTE, chart, new_figure, placeholder, rtl, wrap
from kamkit.data.labels import value_label
from kamkit.data.schema import ATTITUDES, CONTACT_LEVELS
from kamkit.text.i18n import _, format_money, format_number, format_percent

__all__ = ["stakeholder_map", "coverage_grid", "share_of_wallet_bar", "swot_grid",
           "revenue_history", "empty_figure"]

#: Marker and colour of each level of the customer's hierarchy.
LEVEL_STYLE = {
    "executive": ("D", PALETTE[0]),
    "senior": ("s", PALETTE[2]),
    "middle": ("o", PALETTE[1]),
    "operational": ("^", PALETTE[4]),
}
REST_COLOUR = "#c9ced6"


@chart
def empty_figure(title: str, message: str) -> Figure:
    """A figure that says what is missing instead of drawing an empty chart.

    Examples
    --------
    >>> fig = empty_figure("Stakeholder map", "No contacts are recorded.")
    >>> fig.axes[0].texts[0].get_text()
    'No contacts are recorded.'
    """
    return placeholder(title, message)


@chart
def stakeholder_map(contacts: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Every contact by attitude towards us (x) and influence on the decision (y).

    Marker size is the strength of our relationship with the person, marker shape and
    colour their level. Contacts who share a cell are spread side by side.

    Parameters
    ----------
    contacts : DataFrame
        ``Dossier.dmu.contacts``: ``name``, ``level``, ``influence``, ``attitude``,
        ``relationship_strength``.
    title : str, optional

    Returns
    -------
    Figure

    Examples
    --------
    >>> c = pd.DataFrame({"name": ["Ana", "Reza"], "level": ["executive", "middle"],
    ...                   "influence": [5, 3], "attitude": ["sponsor", "anti_sponsor"],
    ...                   "relationship_strength": [4, 2]})
    >>> [t.get_text() for t in stakeholder_map(c).axes[0].texts]
    ['Ana', 'Reza']
    """
    title = title or _("Stakeholder map")
    if contacts.empty:
        return placeholder(title, _("No contacts are recorded, so there is nobody to place on "
                               "the map: who decides, who backs us and who works against "
                               "us is unknown."))
    fig = new_figure(8.0, 5.2)
    ax = fig.add_subplot()
    x_of = {a: len(ATTITUDES) - 1 - i for i, a in enumerate(ATTITUDES)}  # sponsor right
    frame = contacts.reset_index(drop=True)
    x = frame["attitude"].map(x_of).astype(float).to_numpy()
    y = frame["influence"].astype(float).to_numpy()
    # Side by side within a cell: positions only, no numbers change.
    cells = pd.Series(list(zip(x, y, strict=True)))
    rank = cells.groupby(cells).cumcount().to_numpy()
    count = cells.map(cells.value_counts()).to_numpy()
    x = x + (rank - (count - 1) / 2) * np.minimum(0.8 / np.maximum(count, 1), 0.25)
    ax.axvspan(-0.5, 1.5, color=PALETTE[3], alpha=0.06, lw=0)
    ax.axvspan(2.5, len(ATTITUDES) - 0.5, color=PALETTE[2], alpha=0.06, lw=0)
    strength = frame["relationship_strength"].astype(float).fillna(1.0).to_numpy()
    for level in CONTACT_LEVELS:
        here = (frame["level"] == level).to_numpy()
        if not here.any():
            continue
        marker, colour = LEVEL_STYLE[level]
        ax.scatter(x[here], y[here], s=40 + 45 * strength[here], marker=marker, color=colour,
                   edgecolor="white", linewidth=0.8, alpha=0.9, zorder=3)
    # Names of people sharing a cell are stacked, so that none covers another.
    for xi, yi, k, name in zip(x, y, rank, frame["name"], strict=True):
        ax.annotate(wrap(name, 22), (xi, yi), xytext=(0, 9 + 11 * int(k)),
                    textcoords="offset points", ha="center", va="bottom", fontsize=8,
                    zorder=4)
    ax.set_xlim(-0.5, len(ATTITUDES) - 0.5)
    ax.set_ylim(0.4, 5.9)
    ax.set_xticks(range(len(ATTITUDES)),
                  [value_label(a) for a in sorted(ATTITUDES, key=x_of.get)])
    ax.set_yticks(range(1, 6))
    ax.set_xlabel(_("Attitude towards us"))
    ax.set_ylabel(_("Influence on the decision (1-5)"))
    ax.set_title(title)
    if rtl():
        ax.invert_xaxis()
    handles = [Line2D([], [], marker=LEVEL_STYLE[lv][0], color=LEVEL_STYLE[lv][1], ls="",
                      markersize=8, label=value_label(lv))
               for lv in CONTACT_LEVELS if (frame["level"] == lv).any()]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
               frameon=False, title=_("Level; marker size: strength of our relationship"),
               title_fontsize=8.5)
    return fig


@chart
def coverage_grid(coverage: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Which levels and departments of the customer we reach, and how strongly.

    Each cell shows how many contacts we have there; its colour is our strongest
    relationship in it. Grey cells are the gaps.

    Parameters
    ----------
    coverage : DataFrame
        ``Dossier.dmu.coverage``: ``level``, ``department``, ``contacts``,
        ``strongest``.
    title : str, optional

    Returns
    -------
    Figure

    Examples
    --------
    >>> g = pd.DataFrame({"level": ["executive", "senior"], "department": ["it", "it"],
    ...                   "contacts": [0, 2], "strongest": [float("nan"), 4.0]})
    >>> [t.get_text() for t in coverage_grid(g).axes[0].texts]
    ['–', '2']
    """
    title = title or _("Coverage of the customer's organisation")
    if coverage.empty or not (coverage["contacts"] > 0).any():
        return placeholder(title, _("No contacts are recorded, so we cannot tell which levels "
                               "and departments of the customer we reach: a relationship "
                               "that hangs on one level can break with one person."))
    departments = list(dict.fromkeys(coverage["department"]))
    levels = [lv for lv in CONTACT_LEVELS if lv in set(coverage["level"])]
    grid = coverage.pivot(index="level", columns="department", values="strongest").reindex(
        index=levels, columns=departments)
    counts = coverage.pivot(index="level", columns="department", values="contacts").reindex(
        index=levels, columns=departments).fillna(0).astype(int)
    fig = new_figure(max(5.5, 1.1 * len(departments) + 2.5), 1.0 * len(levels) + 1.8)
    ax = fig.add_subplot()
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]
                          ).with_extremes(bad=NONE_COLOUR)
    image = ax.imshow(np.ma.masked_invalid(grid.to_numpy(dtype=float)), cmap=cmap, vmin=0.5,
                      vmax=5.5, aspect="auto")
    for i in range(len(levels)):
        for j in range(len(departments)):
            n = int(counts.iat[i, j])
            strong = grid.iat[i, j]
            colour = "white" if n and strong >= 3.5 else "#1d2430"
            ax.text(j, i, format_number(n) if n else "\u2013", ha="center", va="center",
                    fontsize=10, color=colour)
    ax.set_xticks(range(len(departments)), [wrap(d, 12) for d in departments])
    ax.set_yticks(range(len(levels)), [value_label(lv) for lv in levels])
    ax.grid(False)
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    if rtl():
        ax.invert_xaxis()
    bar = fig.colorbar(image, ax=ax, ticks=range(1, 6), shrink=0.85)
    bar.set_label(_("Strongest relationship (1-5)"))
    return fig


@chart
def share_of_wallet_bar(wallet: pd.DataFrame, *, title: str | None = None) -> Figure:
    """The customer's spend in our categories split between us, competitors and the rest.

    One bar per wallet year, the latest on top.

    Parameters
    ----------
    wallet : DataFrame
        :func:`kamkit.needs.dossier.share_of_wallet` (``Dossier.relationship.wallet``):
        ``label``, ``party``, ``share``.
    title : str, optional

    Returns
    -------
    Figure

    Examples
    --------
    >>> w = pd.DataFrame({"year": [2026] * 3, "label": ["2025/26"] * 3,
    ...                   "party": ["us", "Rival", "rest"], "share": [0.5, 0.3, 0.2]})
    >>> len(share_of_wallet_bar(w).axes[0].patches)
    3
    """
    from kamkit.needs.dossier import REST, US

    title = title or _("Share of the customer's wallet")
    if wallet.empty:
        return placeholder(title, _("No estimate of the customer's total spend in our categories "
                               "is recorded, so our share of wallet and that of our "
                               "competitors cannot be shown."))
    labels = list(dict.fromkeys(wallet["label"]))
    latest = wallet[wallet["label"] == labels[-1]]
    rivals = [p for p in latest["party"] if p not in (US, REST)]
    rivals += [p for p in dict.fromkeys(wallet["party"]) if p not in (US, REST, *rivals)]
    parties = [US, *rivals, REST]
    colours = {US: PALETTE[0], REST: REST_COLOUR}
    for i, p in enumerate(rivals):
        colours[p] = PALETTE[1 + i % (len(PALETTE) - 2)]
    fig = new_figure(8.0, 1.0 + 0.7 * len(labels) + 0.6)
    ax = fig.add_subplot()
    left = np.zeros(len(labels))
    for party in parties:
        rows = wallet[wallet["party"] == party].set_index("label")["share"]
        values = np.array([float(rows.get(lb, 0.0)) for lb in labels])
        name = value_label(party) if party in (US, REST) else str(party)
        ax.barh(range(len(labels)), values, left=left, color=colours[party], label=name,
                edgecolor="white", linewidth=0.8, height=0.6)
        for k, v in enumerate(values):
            if v >= 0.06:
                ax.text(left[k] + v / 2, k, format_percent(v, 0), ha="center", va="center",
                        fontsize=8.5, color="white" if party != REST else "#1d2430")
        left = left + values
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlim(0, max(1.0, float(left.max())))
    ax.set_xticks(np.linspace(0, 1, 5), [format_percent(v, 0) for v in np.linspace(0, 1, 5)])
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    if rtl():
        ax.invert_xaxis()
    fig.legend(loc="outside lower center", ncols=min(len(parties), 4), frameon=False)
    return fig


@chart
def swot_grid(swot: pd.DataFrame, *, title: str | None = None) -> Figure:
    """The customer's SWOT: strengths, weaknesses, opportunities, threats.

    Parameters
    ----------
    swot : DataFrame
        ``Dossier.needs.swot``: ``quadrant``, ``item``.
    title : str, optional

    Returns
    -------
    Figure

    Examples
    --------
    >>> s = pd.DataFrame({"quadrant": ["strength", "threat"], "item": ["Brand", "Tariffs"]})
    >>> [ax.get_title() for ax in swot_grid(s).axes]
    ['Strengths', 'Weaknesses', 'Opportunities', 'Threats']
    """
    title = title or _("Customer SWOT")
    if swot.empty:
        return placeholder(title, _("No customer SWOT is recorded: the customer's own strengths, "
                               "weaknesses, opportunities and threats show where we can "
                               "help it reach its goals."))
    names = {"strength": _("Strengths"), "weakness": _("Weaknesses"),
             "opportunity": _("Opportunities"), "threat": _("Threats")}
    colours = {"strength": PALETTE[2], "weakness": PALETTE[3], "opportunity": PALETTE[0],
               "threat": PALETTE[1]}
    fig = new_figure(8.0, 5.2)
    axes = fig.subplots(2, 2)
    order = [["strength", "weakness"], ["opportunity", "threat"]]
    right_to_left = rtl()
    for r in range(2):
        for c in range(2):
            quadrant = order[r][c]
            ax = axes[r][1 - c] if right_to_left else axes[r][c]
            items = swot.loc[swot["quadrant"] == quadrant, "item"].astype(str).tolist()
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for side in ("top", "right", "bottom", "left"):
                ax.spines[side].set_visible(True)
                ax.spines[side].set_color(colours[quadrant])
            ax.set_facecolor(colours[quadrant] + "14")
            ax.set_title(names[quadrant], color=colours[quadrant])
            text = "\n".join("\u2022 " + wrap(i, 42).replace("\n", "\n   ") for i in items) \
                if items else "\u2013"
            ax.text(0.97 if right_to_left else 0.03, 0.95, text, transform=ax.transAxes,
                    ha="right" if right_to_left else "left", va="top", fontsize=8.5)
    fig.suptitle(title, fontweight="bold")
    return fig


@chart
def revenue_history(by_line: pd.DataFrame, by_year: pd.DataFrame | None = None, *,
                    currency: str | None = None, title: str | None = None) -> Figure:
    """Our revenue from the account per rolling year, stacked by product line.

    The gross margin rate of each year (from ``by_year``) is written above its bar.

    Parameters
    ----------
    by_line : DataFrame
        ``Dossier.relationship.by_line``: ``product_line``, ``label``, ``revenue``.
    by_year : DataFrame, optional
        ``Dossier.relationship.by_year``: ``label``, ``revenue``, ``margin_rate``.
    currency : str, optional
        Shown in the axis label.
    title : str, optional

    Returns
    -------
    Figure

    Examples
    --------
    >>> lines = pd.DataFrame({"product_line": ["a", "a", "b"], "year": [1, 0, 0],
    ...                       "label": ["2024/25", "2025/26", "2025/26"],
    ...                       "revenue": [100.0, 120.0, 30.0]})
    >>> [t.get_text() for t in revenue_history(lines).axes[0].get_xticklabels()]
    ['2024/25', '2025/26']
    """
    title = title or _("Revenue by product line")
    if by_line.empty or not (by_line["revenue"] != 0).any():
        return placeholder(title, _("The account has no sales in the years shown, so there is no "
                               "history of revenue or margin to build on."))
    ordered = by_line.sort_values("year", ascending=False, kind="stable")
    labels = list(dict.fromkeys(ordered["label"]))
    if by_year is not None and not by_year.empty:
        labels = list(dict.fromkeys([*by_year["label"], *labels]))
    lines = list(dict.fromkeys(by_line["product_line"]))
    fig = new_figure(8.0, 4.6)
    ax = fig.add_subplot()
    bottom = np.zeros(len(labels))
    for i, line in enumerate(lines):
        rows = by_line[by_line["product_line"] == line].set_index("label")["revenue"]
        values = np.array([max(0.0, float(rows.get(lb, 0.0))) for lb in labels])
        ax.bar(range(len(labels)), values, bottom=bottom, label=str(line),
               color=PALETTE[i % len(PALETTE)] if i < len(PALETTE) - 1 else "#8c96a5",
               edgecolor="white", linewidth=0.6, width=0.62)
        bottom = bottom + values
    if by_year is not None and not by_year.empty:
        rates = by_year.set_index("label")["margin_rate"]
        for k, lb in enumerate(labels):
            if lb in rates.index and rates[lb] == rates[lb]:
                ax.text(k, bottom[k], _("margin {rate}").format(
                    rate=format_percent(float(rates[lb]))), ha="center", va="bottom",
                    fontsize=8.5)
    ax.set_xticks(range(len(labels)), labels)
    top = float(bottom.max()) or 1.0
    ax.set_ylim(0, top * 1.12)
    ticks = ax.get_yticks()
    ax.set_yticks(ticks, [format_money(t) for t in ticks])
    ax.set_ylim(0, top * 1.12)
    ax.set_ylabel(_("Net revenue ({currency})").format(currency=currency)
                  if currency else _("Net revenue"))
    ax.grid(axis="x", visible=False)
    ax.set_title(title)
    if rtl():
        ax.invert_xaxis()
    fig.legend(loc="outside right center", frameon=False, title=_("Product line"),
               title_fontsize=8.5)
    return fig
