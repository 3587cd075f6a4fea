"""Weight sliders for the health score (stages 4-5): move the weights, watch the band.

The computation behind the sliders is :func:`health_state`, a plain function over
:func:`kamkit.evaluation.measures.reweigh` (nothing is measured again); :class:`HealthWeightPanel`
only wires sliders to it::

    from kamkit.widgets.evaluation import health_weight_panel
    health_weight_panel(evaluation)          # in a notebook cell

The panel shows the score and band the weights give, against the score the evaluation
started from, and every component's push from the neutral 50. Its text form is a
deterministic summary, so a notebook that displays it stores text, not a model id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from kamkit.data.labels import value_label
from kamkit.evaluation import measures as ev_
from kamkit.exceptions import ParameterError
from kamkit.reports.present import table
from kamkit.text.i18n import _, format_number, format_percent
from kamkit.widgets import StaticForm, lines_html, set_outputs

__all__ = ["HealthState", "health_state", "HealthWeightPanel", "health_weight_panel",
           "SLIDER_MAX", "SLIDER_STEP"]

#: Largest weight a slider offers (weights are normalised afterwards anyway).
SLIDER_MAX = 0.5
SLIDER_STEP = 0.05
_COLUMNS = ["component", "measured", "score", "weight", "drive"]


@dataclass(frozen=True, eq=False)
class HealthState:
    """What the panel shows for one position of the sliders.

    Attributes
    ----------
    health : Health or None
        The health score with these weights; None when the weights are not valid.
    start : Health
        The health score the panel started from.
    message : str
        The score and band with these weights against the start, the weights in use and
        the component that pulls the score down most; or what is wrong with the weights.
    components : DataFrame
        ``component``, ``measured``, ``score``, ``weight`` (normalised), ``drive``;
        empty when the weights are not valid.
    """

    health: ev_.Health | None
    start: ev_.Health
    message: str
    components: pd.DataFrame

    @property
    def band(self) -> str | None:
        """The band with these weights (None when they are not valid or score nothing)."""
        return self.health.band if self.health is not None else None


def _score_text(h: ev_.Health) -> str:
    if h.score != h.score:
        return _("not scored: no evidence")
    return _("{score} ({band})").format(score=format_number(h.score, 1),
                                        band=value_label(h.band))


def health_state(evaluation: ev_.Evaluation, weights: Mapping[str, float], *,
                 bands: Mapping[str, float] | None = None) -> HealthState:
    """Score the evaluation again with slider weights and compare with where it started.

    Parameters
    ----------
    evaluation : Evaluation
        :func:`kamkit.evaluation.measures.evaluate`; its health is the starting point.
    weights : mapping of component to weight
        The sliders' values (need not sum to 1; 0 leaves a component out).
    bands : mapping, optional
        Lower bounds of amber and green (default :data:`kamkit.evaluation.measures.BANDS`).

    Returns
    -------
    HealthState

    Examples
    --------
    >>> from kamkit.evaluation.measures import DEFAULT_HEALTH_WEIGHTS, evaluate
    >>> from kamkit.data.synth import company_x
    >>> ev = evaluate(company_x(), "CX-009")
    >>> health_state(ev, DEFAULT_HEALTH_WEIGHTS).band
    'red'
    >>> health_state(ev, {**DEFAULT_HEALTH_WEIGHTS, "satisfaction": 0.2}).band
    'amber'
    >>> health_state(ev, {"nps": 0.0}).message
    'weights: at least one weight must be above 0'
    """
    start = evaluation.health
    try:
        health = ev_.reweigh(evaluation, weights, bands=bands).health
    except ParameterError as exc:
        return HealthState(None, start, str(exc), pd.DataFrame(columns=_COLUMNS))
    lines = [_("Health with these weights: {now}; with the starting weights: {start}.").format(
        now=_score_text(health), start=_score_text(start))]
    lines.append(_("Weights: {weights}").format(weights=", ".join(
        f"{value_label(c)} {format_percent(w, 0)}"
        for c, w in zip(health.components["component"], health.components["weight"],
                        strict=True) if w > 0)))
    scored = health.components.dropna(subset=["drive"])
    if len(scored) and scored["drive"].min() < 0:
        worst = scored.sort_values(["drive", "component"], kind="stable").iloc[0]
        lines.append(_("Pulls the score down most: {component} ({drive}).").format(
            component=value_label(worst["component"]),
            drive=format_number(worst["drive"], 1)))
    if health.missing:
        lines.append(_("Not scored (no evidence): {names}").format(
            names=", ".join(value_label(c) for c in health.missing)))
    return HealthState(health, start, "\n".join(lines),
                       health.components[_COLUMNS].reset_index(drop=True))


class HealthWeightPanel(StaticForm, widgets.VBox):
    """A slider per component of the health score, and the score and band they give.

    Its text form is the summary of the current state, so a notebook that displays it
    stores deterministic text (the interactive view needs a live kernel).
    """

    def __init__(self, evaluation: ev_.Evaluation, weights: Mapping[str, float] | None = None,
                 *, bands: Mapping[str, float] | None = None) -> None:
        self._evaluation = evaluation
        self._bands = bands
        start = dict(zip(evaluation.health.components["component"],
                         evaluation.health.components["weight"], strict=True))
        start |= dict(weights or {})
        self.sliders = {
            c: widgets.FloatSlider(value=round(float(start.get(c, 0.0)), 2), min=0.0,
                                   max=SLIDER_MAX, step=SLIDER_STEP,
                                   description=value_label(c), continuous_update=False,
                                   readout_format=".2f",
                                   style={"description_width": "12em"},
                                   layout=widgets.Layout(width="30em"))
            for c in ev_.HEALTH_COMPONENTS}
        self.output = widgets.Output()
        self.state = health_state(evaluation, self.weights(), bands=bands)
        for slider in self.sliders.values():
            slider.observe(self._changed, names="value")
        super().__init__([*self.sliders.values(), self.output])
        self._render()

    def weights(self) -> dict[str, float]:
        """The sliders' current values."""
        return {c: float(s.value) for c, s in self.sliders.items()}

    def _changed(self, _change: object) -> None:
        self.state = health_state(self._evaluation, self.weights(), bands=self._bands)
        self._render()

    def _table(self) -> pd.DataFrame:
        return table(self.state.components)

    def _render(self) -> None:
        set_outputs(self.output, self.state.message,
                    self._table() if len(self.state.components) else None)

    def summary(self) -> str:
        """The state as text: score and band, weights, then the components."""
        lines = [self.state.message]
        if len(self.state.components):
            lines.append(self._table().to_string())
        return "\n".join(lines)

    def static_text(self) -> str:  # noqa: D102 - StaticForm
        return self.summary()

    def static_html(self) -> str:  # noqa: D102 - StaticForm
        shown = self._table().to_html() if len(self.state.components) else ""
        return (f'<div class="kamkit-health-weights"><p>{lines_html(self.state.message)}</p>'
                f"{shown}</div>")


def health_weight_panel(evaluation: ev_.Evaluation, weights: Mapping[str, float] | None = None,
                        *, bands: Mapping[str, float] | None = None) -> HealthWeightPanel:
    """Sliders over the health weights of one evaluated account.

    Parameters
    ----------
    evaluation : Evaluation
        :func:`kamkit.evaluation.measures.evaluate`.
    weights : mapping, optional
        Where the sliders start (default: the evaluation's weights).
    bands : mapping, optional
        Lower bounds of amber and green.

    Returns
    -------
    HealthWeightPanel

    Examples
    --------
    >>> from kamkit.evaluation.measures import evaluate
    >>> from kamkit.data.synth import company_x
    >>> panel = health_weight_panel(evaluate(company_x(), "CX-009"))
    >>> panel.sliders["satisfaction"].value, panel.state.band
    (0.15, 'red')
    >>> panel.sliders["satisfaction"].value = 0.2
    >>> panel.state.band
    'amber'
    """
    return HealthWeightPanel(evaluation, weights, bands=bands)
