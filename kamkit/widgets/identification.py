"""Weight sliders for stage 1: change the definition of "key" and watch the list move.

The computation behind the sliders is :func:`panel_state`, a plain function over
:func:`kamkit.identification.selection.reweigh`; :class:`WeightPanel` only wires sliders to it::

    from kamkit.widgets.identification import weight_panel
    weight_panel(portfolio, result)          # in a notebook cell
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from kamkit.data.labels import Field, register_fields, register_values
from kamkit.data.portfolio import Portfolio
from kamkit.exceptions import ParameterError
from kamkit.identification import selection as idn
from kamkit.reports.present import table
from kamkit.text.i18n import N_, _, format_percent
from kamkit.widgets import StaticForm, lines_html, set_outputs

__all__ = ["PanelState", "panel_state", "WeightPanel", "weight_panel"]

register_fields({"change": Field(N_("Change"), "category")})
register_values({"kept": N_("Kept"), "joined": N_("Joined"), "left": N_("Left")})

#: Largest weight a slider offers (weights are normalised afterwards anyway).
SLIDER_MAX = 0.5
SLIDER_STEP = 0.05


@dataclass(frozen=True)
class PanelState:
    """What the panel shows for one position of the sliders.

    Attributes
    ----------
    result : Identification or None
        None when the sliders do not make a valid definition.
    message : str
        One line: the weights in use, or what is wrong with them.
    changes : DataFrame
        The key accounts now and the ones that left, against the starting definition:
        ``account_id``, ``name``, ``score``, ``rank``, ``change`` (``kept``,
        ``joined``, ``left``).
    """

    result: idn.Identification | None
    message: str
    changes: pd.DataFrame


def panel_state(portfolio: Portfolio, start: idn.Identification, weights: Mapping[str, float],
                max_key: int | None = None) -> PanelState:
    """Recompute the selection for slider positions and compare it with ``start``.

    Parameters
    ----------
    portfolio : Portfolio
    start : Identification
        The result the sliders started from (its cap, minimum score and overrides are
        kept).
    weights : mapping of str to float
        The sliders' values (need not sum to 1).
    max_key : int, optional
        The cap slider; default: the starting cap.

    Returns
    -------
    PanelState

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> start = idn.identify(p)
    >>> state = panel_state(p, start, {"revenue_12m": 1.0})
    >>> state.changes.set_index("account_id").at["CX-008", "change"]
    'joined'
    >>> panel_state(p, start, {"revenue_12m": 0.0}).message
    'weights: at least one weight must be above 0'
    """
    columns = ["account_id", "name", "score", "rank", "change"]
    try:
        result = idn.reweigh(start, portfolio, weights,
                             max_key=start.cap if max_key is None else max_key,
                             min_score=start.min_score, force_in=start.force_in or None,
                             force_out=start.force_out or None)
    except ParameterError as exc:
        return PanelState(None, str(exc), pd.DataFrame(columns=columns))
    before = set(start.key_accounts["account_id"])
    now = result.key_accounts[["account_id", "name", "score", "rank"]].copy()
    now["change"] = ["kept" if a in before else "joined" for a in now["account_id"]]
    gone = start.table[start.table["account_id"].isin(
        before - set(now["account_id"]))].copy()
    gone = gone.merge(result.table[["account_id", "score"]], on="account_id",
                      suffixes=("_start", ""))
    gone = gone.assign(rank=pd.array([pd.NA] * len(gone), dtype="Int64"), change="left")
    changes = pd.concat([now, gone[columns]], ignore_index=True) if len(gone) else now
    message = _("Weights: {weights}").format(weights=", ".join(
        f"{_(result.criteria[n].label)} {format_percent(w, 0)}"
        for n, w in result.weights.items()))
    return PanelState(result, message, changes[columns].reset_index(drop=True))


class WeightPanel(StaticForm, widgets.VBox):
    """Sliders for the weights and the cap, and the key accounts they select.

    Its text form is the summary of the current state, so a notebook that displays it
    stores deterministic text (the interactive view needs a live kernel).
    """

    def __init__(self, portfolio: Portfolio, start: idn.Identification,
                 criteria: list[str] | None = None) -> None:
        self._portfolio = portfolio
        self._start = start
        names = criteria or list(dict.fromkeys([*start.weights, *idn.DEFAULT_WEIGHTS]))
        self.sliders = {
            n: widgets.FloatSlider(value=round(start.weights.get(n, 0.0), 2), min=0.0,
                                   max=SLIDER_MAX, step=SLIDER_STEP,
                                   description=_(start.criteria[n].label),
                                   continuous_update=False, readout_format=".2f",
                                   style={"description_width": "12em"},
                                   layout=widgets.Layout(width="30em"))
            for n in names}
        self.cap = widgets.IntSlider(value=start.cap, min=1, max=max(3 * start.cap, 10),
                                     description=_("Cap"), continuous_update=False,
                                     style={"description_width": "12em"},
                                     layout=widgets.Layout(width="30em"))
        self.output = widgets.Output()
        self.state = panel_state(portfolio, start, start.weights, start.cap)
        for slider in [*self.sliders.values(), self.cap]:
            slider.observe(self._changed, names="value")
        super().__init__([*self.sliders.values(), self.cap, self.output])
        self._render()

    def weights(self) -> dict[str, float]:
        """The sliders' current values."""
        return {n: s.value for n, s in self.sliders.items()}

    def _changed(self, _change: object) -> None:
        self.state = panel_state(self._portfolio, self._start, self.weights(),
                                 self.cap.value)
        self._render()

    def _render(self) -> None:
        set_outputs(self.output, self.state.message,
                    table(self.state.changes, currency=self._start.currency)
                    if len(self.state.changes) else None)

    def summary(self) -> str:
        """The state as text: weights, then the key accounts and what changed."""
        lines = [self.state.message]
        if len(self.state.changes):
            lines.append(table(self.state.changes, currency=self._start.currency)
                         .to_string())
        return "\n".join(lines)

    def static_text(self) -> str:  # noqa: D102 - StaticForm
        return self.summary()

    def static_html(self) -> str:
        """The state as a page shows it without a kernel: the message and the changes."""
        shown = table(self.state.changes, currency=self._start.currency).to_html() \
            if len(self.state.changes) else ""
        return (f'<div class="kamkit-weight-panel"><p>{lines_html(self.state.message)}</p>'
                f"{shown}</div>")


def weight_panel(portfolio: Portfolio, start: idn.Identification,
                 criteria: list[str] | None = None) -> WeightPanel:
    """Sliders over the weights of ``start`` (and the default criteria) and the cap.

    Parameters
    ----------
    portfolio : Portfolio
    start : Identification
        The definition the sliders start from.
    criteria : list of str, optional
        Which criteria get a slider (default: the weighted ones and the defaults).

    Returns
    -------
    WeightPanel

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> panel = weight_panel(p, idn.identify(p))
    >>> panel.sliders["strategic_role"].value, panel.cap.value
    (0.15, 9)
    """
    return WeightPanel(portfolio, start, criteria)
