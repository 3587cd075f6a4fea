"""Charts of stage 1: they draw what they are given, empty inputs included."""

from __future__ import annotations

import functools

import pandas as pd
import pytest
from matplotlib.figure import Figure

from kamkit.charts import identification as charts
from kamkit.charts import title_of, to_png
from kamkit.identification import selection as idn


@functools.cache
def company_x():
    from tests.conftest import company_x_copy as build

    p = build()
    return p, idn.identify(p)


def figures():
    p, r = company_x()
    curve = idn.concentration(p)
    return {
        "concentration": lambda **kw: charts.concentration_chart(
            curve, top_share=idn.top_share(curve), **kw),
        "score": lambda **kw: charts.score_chart(idn.ranking(r, 12), r.min_score, **kw),
        "matrix": lambda **kw: charts.matrix_chart(idn.portfolio_matrix(r), **kw),
        "stability": lambda **kw: charts.stability_chart(
            idn.weight_stability(r, draws=40).table, **kw),
    }


@pytest.mark.parametrize("name", ["concentration", "score", "matrix", "stability"])
def test_charts_draw_and_are_deterministic(name):
    fig = figures()[name]()
    assert isinstance(fig, Figure) and title_of(fig) != "chart"
    assert to_png(fig) == to_png(figures()[name]())
    assert isinstance(figures()[name](language="fa"), Figure)


def test_empty_inputs_say_what_is_missing():
    p, r = company_x()
    empty = {
        "concentration": charts.concentration_chart(idn.concentration(p).iloc[0:0]),
        "score": charts.score_chart(idn.ranking(r).iloc[0:0]),
        "matrix": charts.matrix_chart(idn.portfolio_matrix(r).iloc[0:0]),
        "stability": charts.stability_chart(pd.DataFrame(
            columns=["account_id", "name", "selected", "selected_share",
                     "depends_on_weights"])),
    }
    for fig in empty.values():
        texts = [t.get_text() for ax in fig.axes for t in ax.texts]
        assert any(t.startswith("No ") for t in texts)
