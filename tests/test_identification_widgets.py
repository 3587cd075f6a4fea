"""The weight sliders of stage 1: plain callbacks, deterministic text."""

from __future__ import annotations

import functools

from kamkit.identification import selection as idn
from kamkit.widgets.identification import panel_state, weight_panel


@functools.cache
def company_x():
    from tests.conftest import company_x_copy as build

    p = build()
    return p, idn.identify(p)


def test_unchanged_sliders_keep_every_account():
    p, start = company_x()
    state = panel_state(p, start, start.weights)
    assert state.changes["change"].tolist() == ["kept"] * 9
    assert state.result.key_accounts["account_id"].tolist() == \
        start.key_accounts["account_id"].tolist()
    assert state.message.startswith("Weights: Revenue (12 months) 15%")


def test_more_weight_on_growth_brings_in_the_fast_grower():
    p, start = company_x()
    weights = {**start.weights, "relationship_stage": 0.0, "growth": 0.3}
    changes = panel_state(p, start, weights).changes.set_index("account_id")["change"]
    assert changes["CX-006"] == "joined"
    assert (changes == "left").sum() == (changes == "joined").sum()


def test_cap_slider_and_invalid_positions():
    p, start = company_x()
    state = panel_state(p, start, start.weights, max_key=3)
    assert state.changes["change"].value_counts().to_dict() == {"kept": 3, "left": 6}
    bad = panel_state(p, start, {n: 0.0 for n in start.weights})
    assert bad.result is None and bad.changes.empty
    assert "at least one weight must be above 0" in bad.message


def test_overrides_are_kept_by_the_sliders():
    p, _ = company_x()
    start = idn.identify(p, force_in={"CX-006": "board decision"})
    state = panel_state(p, start, {"revenue_12m": 1.0})
    assert "CX-006" in set(state.result.key_accounts["account_id"])


def test_panel_text_is_deterministic_and_follows_the_sliders():
    p, start = company_x()
    panel = weight_panel(p, start)
    text = panel._repr_mimebundle_()["text/plain"]
    assert text == weight_panel(p, start)._repr_mimebundle_()["text/plain"]
    assert " at 0x" not in text and "CX-005" in text
    panel.sliders["relationship_stage"].value = 0.0
    panel.sliders["growth"].value = 0.3
    assert "Joined" in panel.summary()
    panel.cap.value = 2
    assert panel.state.result.cap == 2


def test_committed_notebook_stores_the_panel_as_text_only():
    import nbformat

    from kamkit.run.notebooks import clean
    from tests.conftest import ROOT

    nb = nbformat.read(str(ROOT / "notebooks" / "01_identification.ipynb"), as_version=4)
    panel = [o for c in nb.cells if c.cell_type == "code" and "weight_panel(" in c.source
             for o in c.outputs]
    assert panel and panel[0]["data"]["text/plain"].startswith("Weights: ")
    assert all("application/vnd.jupyter.widget-view+json" not in o.get("data", {})
               for c in nb.cells for o in c.get("outputs", []))
    view = nbformat.from_dict({"cells": [{"cell_type": "code", "metadata": {}, "source": "",
                                          "execution_count": 1, "outputs": [{
                                              "output_type": "execute_result",
                                              "execution_count": 1, "metadata": {},
                                              "data": {"text/plain": "x",
                                                       "application/vnd.jupyter.widget-"
                                                       "view+json": {"model_id": "abc"}}}]}],
                               "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    assert clean(view).cells[0].outputs[0].data == {"text/plain": "x"}
