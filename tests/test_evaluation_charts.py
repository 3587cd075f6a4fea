"""Charts of stages 4-5: each draws its table, in every language, and says what is missing."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from matplotlib.figure import Figure

from kamkit.charts import evaluation as charts
from kamkit.charts import title_of, to_png
from kamkit.evaluation import measures as evaluation
from kamkit.review import portfolio as review
from kamkit.text.i18n import LANGUAGES
from tests.conftest import company_x_copy


@pytest.fixture(scope="module")
def cx():
    return company_x_copy()


@pytest.fixture(scope="module")
def ev(cx):
    return evaluation.evaluate(cx, "CX-002")


@pytest.fixture(scope="module")
def rv(cx):
    return review.portfolio_review(cx, account_ids=["CX-002", "CX-009"])


def _drawings(ev, rv):
    h = ev.health
    return [
        lambda **kw: charts.revenue_margin_chart(ev.financial, "EUR", **kw),
        lambda **kw: charts.clv_chart(ev.clv, "EUR", **kw),
        lambda **kw: charts.feedback_chart(ev.history, ev.feedback, **kw),
        lambda **kw: charts.health_waterfall(h.components, h.score, h.band, **kw),
        lambda **kw: charts.goal_attainment_chart(ev.goals, **kw),
        lambda **kw: charts.health_overview(rv.health, **kw),
        lambda **kw: charts.matrix_movement_chart(rv.movement, **kw),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chart_draws_in_every_language(ev, rv, language):
    for draw in _drawings(ev, rv):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = draw(language=language)
            assert isinstance(fig, Figure) and title_of(fig) != "chart"
            assert to_png(fig)[:4] == b"\x89PNG"
        # a glyph the font lacks would be drawn as an empty box
        assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _message(fig: Figure) -> str:
    ax = fig.axes[0]
    assert not ax.axison
    return ax.texts[0].get_text().replace("\n", " ")


def test_empty_inputs_say_what_is_missing(ev):
    none = pd.DataFrame()
    assert "No sales" in _message(charts.revenue_margin_chart(ev.financial.iloc[0:0]))
    assert "No scenario" in _message(charts.clv_chart(ev.clv.iloc[0:0]))
    assert "no gross margin" in _message(charts.clv_chart(evaluation.clv_scenarios(0.0)))
    assert "No feedback" in _message(charts.feedback_chart(ev.history.iloc[0:0]))
    blank = ev.health.components.assign(drive=float("nan"), score=float("nan"))
    assert "No component" in _message(charts.health_waterfall(blank))
    assert "no key account plan" in _message(charts.goal_attainment_chart(ev.goals.iloc[0:0]))
    assert "No account has a health score" in _message(charts.health_overview(none))
    assert "No identification result" in _message(charts.matrix_movement_chart(none))


def test_a_health_table_without_scores_is_empty(rv):
    blank = rv.health.assign(health_score=float("nan"))
    assert "No account has a health score" in _message(charts.health_overview(blank))


def test_waterfall_names_what_it_could_not_score(cx):
    b = evaluation.evaluate(cx, "CX-011")  # no plan, no wallet estimate
    fig = charts.health_waterfall(b.health.components, b.health.score, b.health.band)
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith("Not scored (no evidence): Share of wallet trend") for t in notes)
