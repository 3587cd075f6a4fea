"""Stage 1 — identification: hand-computed scores, properties, the Company X story, errors."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamkit import ParameterError, UnknownAccountError, from_frames
from kamkit.artifacts import read_json, result_path, write_result
from kamkit.identification import selection as idn

AS_OF = "2026-06-30"


def tiny(accounts: dict | None = None, extra_lines: list | None = None, **meta):
    """Four accounts whose scores are worked out by hand below.

    revenue (12 months): A 1000, B 400, C 100, D 0 (D bought only in 2024/25)
    strategic_role:      A 2,    B 5,   C 4,   D 1
    collaboration:       A 3,    B 5,   C -,   D 1
    """
    frame = {"account_id": ["A", "B", "C", "D"], "name": ["Alfa", "Beta", "Gamma", "Delta"],
             "strategic_role": [2, 5, 4, 1], "collaboration": [3, 5, None, 1],
             "relationship_stage": ["basic", "cooperative", "exploratory", "basic"]}
    frame.update(accounts or {})
    lines = [
        ("2023-12-01", "A", 250.0, 100.0),   # year 2 (Jul 2023 - Jun 2024)
        ("2026-01-15", "A", 1000.0, 600.0),  # year 0
        ("2024-03-01", "B", 400.0, 300.0),
        ("2026-03-01", "B", 400.0, 300.0),
        ("2026-05-01", "C", 100.0, 50.0),
        ("2024-09-01", "D", 300.0, 100.0),   # year 1 only
        *(extra_lines or []),
    ]
    transactions = pd.DataFrame({
        "date": [d for d, *_ in lines], "account_id": [a for _, a, *_ in lines],
        "product": "P", "product_line": "p", "quantity": 1.0,
        "revenue": [r for *_, r, _c in lines], "cost": [c for *_, c in lines]})
    return from_frames({"accounts": pd.DataFrame(frame), "transactions": transactions},
                       {"currency": "EUR", "as_of": AS_OF, **meta})


HAND_WEIGHTS = {"revenue_12m": 5, "strategic_role": 3, "collaboration": 2}


# --------------------------------------------------------------------------------------
# Hand-computed


def test_values_by_hand():
    v = idn.criterion_values(tiny(), ["revenue_12m", "revenue_3y", "growth", "margin",
                                      "relationship_stage"])
    assert v["revenue_12m"].tolist() == [1000.0, 400.0, 100.0, 0.0]
    assert v["revenue_3y"].tolist() == [1250.0, 800.0, 100.0, 300.0]
    # CAGR over two years: A (1000 / 250) ** 0.5 - 1 = 100%; B flat; C and D had no
    # revenue in the first year, so their growth is missing.
    assert v["growth"].iloc[:2].tolist() == [1.0, 0.0]
    assert v["growth"].iloc[2:].isna().all()
    assert v["margin"].iloc[:3].tolist() == [0.4, 0.25, 0.5]
    assert np.isnan(v.at["D", "margin"])
    assert v["relationship_stage"].tolist() == [1.0, 2.0, 0.0, 1.0]


def test_scores_by_hand():
    # revenue: A beats 3 of 3 others -> 100; B 2/3 -> 66.7; C 1/3 -> 33.3; D 0
    # strategic role (1, 2, 4, 5): A 33.3, B 100, C 66.7, D 0
    # collaboration, known for A, B, D only (n = 3): A 50, B 100, D 0; C missing -> 0
    # weights 5:3:2 -> 0.5, 0.3, 0.2
    r = idn.identify(tiny(), HAND_WEIGHTS, max_key=2)
    scores = r.table.set_index("account_id")["score"].round(1).to_dict()
    assert scores == {"B": 83.3, "A": 70.0, "C": 36.7, "D": 0.0}
    assert r.weights == {"revenue_12m": 0.5, "strategic_role": 0.3, "collaboration": 0.2}
    points = r.points.round(2)
    assert points.loc["A"].tolist() == [50.0, 10.0, 10.0]
    assert points.loc["C"].tolist() == [16.67, 20.0, 0.0]
    assert r.table["account_id"].tolist() == ["B", "A", "C", "D"]
    assert r.key_accounts["account_id"].tolist() == ["B", "A"]
    assert r.key_accounts["rank"].tolist() == [1, 2]
    assert r.table.set_index("account_id").at["C", "missing"] == "collaboration"


def test_points_add_up_to_the_score_and_explain_each_line():
    r = idn.identify(tiny(), HAND_WEIGHTS, max_key=2)
    assert np.allclose(r.points.sum(axis=1), r.table.set_index("account_id")["score"]
                       .reindex(r.points.index))
    e = idn.explain(r, "A")
    assert e["criterion"].tolist() == ["Revenue (12 months)", "Strategic role", "Collaboration"]
    assert e["value"].tolist() == ["1,000 EUR", "2", "3"]
    assert e["points"].sum() == pytest.approx(70.0)
    assert idn.explain(r, "a ").equals(e)  # ids match as forgivingly as everywhere
    both = idn.explain(r, ["A", "B"])
    assert both["account_id"].tolist() == ["A"] * 3 + ["B"] * 3
    assert idn.explain(r, []).empty
    with pytest.raises(UnknownAccountError, match="Did you mean: 'A'"):
        idn.explain(r, "A1")


def test_selection_reasons_by_hand():
    r = idn.identify(tiny(), HAND_WEIGHTS, max_key=2, min_score=50)
    t = r.table.set_index("account_id")
    assert t.at["C", "decision"] == "below_min_score"
    assert t.at["C", "reason"] == "Not selected: score 36.7 is below the minimum of 50.0."
    assert t.at["B", "reason"] == ("Selected: rank 1 of 4 by score (83.3), strongest on "
                                   "Revenue (12 months) and Strategic role.")
    r = idn.identify(tiny(), HAND_WEIGHTS, max_key=1, min_score=0)
    assert r.table.set_index("account_id").at["A", "reason"] == (
        "Not selected: score 70.0 is below 83.3, the lowest selected score, and all 1 "
        "places are taken. Big but not key: number 1 by revenue, but weak on Strategic "
        "role and Collaboration.")


def test_big_but_not_key_and_potential_by_hand():
    # A is the biggest but has the lowest ratings: with ratings-only weights it is big
    # but not key. Potential key needs potential criteria: growth (A 100%, B 0%).
    r = idn.identify(tiny(), {"revenue_12m": 1, "strategic_role": 2, "collaboration": 2},
                     max_key=1, min_score=0)
    assert r.key_accounts["account_id"].tolist() == ["B"]
    assert r.big_not_key["account_id"].tolist() == ["A"]
    assert "Big but not key: number 1 by revenue, but weak on" in r.big_not_key["reason"][0]
    r = idn.identify(tiny(), {"strategic_role": 1, "growth": 1}, max_key=1, min_score=0)
    # B: sr 100, growth 0 (A 100%, B 0%: n = 2) -> 50; A: sr 33.3 + growth 100 -> 66.7
    assert r.key_accounts["account_id"].tolist() == ["A"]
    r = idn.identify(tiny(), {"strategic_role": 3, "growth": 1}, max_key=1, min_score=0)
    assert r.key_accounts["account_id"].tolist() == ["B"]
    assert r.potential_key["account_id"].tolist() == ["A"]


def test_declined_status_is_respected_unless_forced_in():
    p = tiny({"accepts_key_status": ["no", "yes", None, None]})
    r = idn.identify(p, HAND_WEIGHTS, max_key=2, min_score=0)
    assert r.key_accounts["account_id"].tolist() == ["B", "C"]
    assert r.table.set_index("account_id").at["A", "decision"] == "declined"
    r = idn.identify(p, HAND_WEIGHTS, max_key=2, min_score=0,
                     force_in={"A": "the board insists"})
    assert set(r.key_accounts["account_id"]) == {"A", "B"}
    assert r.table.set_index("account_id").at["A", "reason"] == "Forced in: the board insists"


def test_extra_numeric_column_is_a_criterion():
    p = tiny({"innovation": ["1", "9", "3", ""]})
    assert "innovation" in idn.available_criteria(p)
    r = idn.identify(p, {"innovation": 1}, max_key=1, min_score=0)
    assert r.key_accounts["account_id"].tolist() == ["B"]
    assert r.scores["innovation"].round(1).tolist() == [0.0, 100.0, 50.0, 0.0]


def test_text_column_cannot_be_weighted():
    p = tiny({"tier": ["gold", "silver", "", "gold"]})
    with pytest.raises(ParameterError, match="tier.*not numbers"):
        idn.identify(p, {"tier": 1}, max_key=1)


def test_pareto_share_on_a_known_case():
    p = tiny(extra_lines=[("2026-04-01", "D", 500.0, 0.0)])  # 1000, 400, 100, 500
    curve = idn.concentration(p)
    assert curve["account_id"].tolist() == ["A", "D", "B", "C"]
    assert curve["cumulative_share"].tolist() == [0.5, 0.75, 0.95, 1.0]
    # B takes the cumulative share from 75% past 80%: it still belongs to A
    assert curve["abc"].tolist() == ["A", "A", "A", "C"]
    # top 20% of 4 customers = 0.8 of the first: 0.8 x 50%
    assert idn.top_share(curve) == pytest.approx(0.4)
    assert idn.top_share(curve, 0.5) == pytest.approx(0.75)
    summary = idn.abc_summary(curve)
    assert summary["accounts"].tolist() == [3, 0, 1]


# --------------------------------------------------------------------------------------
# Properties


@functools.cache
def synthetic():
    from kamkit.data.synth import generate

    p = generate(accounts=60, years=3, seed=11)
    return p, idn.identify(p)


weights_strategy = st.dictionaries(
    st.sampled_from(["revenue_12m", "revenue_3y", "growth", "margin", "opportunity_value",
                     "headroom", "strategic_role", "collaboration", "relationship_stage"]),
    st.floats(0.01, 10), min_size=1)
slow = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@slow
@given(weights=weights_strategy, factor=st.floats(0.001, 1000))
def test_scaling_all_weights_changes_nothing(weights, factor):
    p, base = synthetic()
    a = idn.reweigh(base, p, weights)
    b = idn.reweigh(base, p, {k: v * factor for k, v in weights.items()})
    assert np.allclose(a.table["score"], b.table["score"])
    assert a.table["account_id"].tolist() == b.table["account_id"].tolist()
    assert a.key_accounts["account_id"].tolist() == b.key_accounts["account_id"].tolist()


@given(values=st.lists(st.one_of(st.none(), st.floats(-1e9, 1e9)), min_size=1,
                       max_size=30),
       index=st.integers(0, 29), raise_by=st.floats(0, 1e9))
def test_raising_a_value_never_lowers_its_score(values, index, raise_by):
    index %= len(values)
    before = idn.percentile_scores(pd.Series(values, dtype="float64"))
    if values[index] is None:
        return
    raised = list(values)
    raised[index] = values[index] + raise_by
    after = idn.percentile_scores(pd.Series(raised, dtype="float64"))
    assert after[index] >= before[index]
    assert ((after >= 0) & (after <= 100)).all()


def test_raising_revenue_never_lowers_the_revenue_contribution():
    before = idn.identify(tiny(), HAND_WEIGHTS, max_key=2)
    for amount in (1.0, 350.0, 5000.0):
        after = idn.identify(tiny(extra_lines=[("2026-06-01", "C", amount, 0.0)]),
                             HAND_WEIGHTS, max_key=2)
        assert after.points.at["C", "revenue_12m"] >= before.points.at["C", "revenue_12m"]


@slow
@given(weights=weights_strategy, cap=st.integers(1, 12), min_score=st.floats(0, 100))
def test_cap_is_never_exceeded(weights, cap, min_score):
    p, base = synthetic()
    r = idn.reweigh(base, p, weights, max_key=cap, min_score=min_score)
    assert len(r.key_accounts) <= cap
    assert r.key_accounts["rank"].tolist() == list(range(1, len(r.key_accounts) + 1))
    assert (r.key_accounts["score"] >= min_score - 1e-9).all()


@slow
@given(data=st.data())
def test_overrides_win(data):
    p, base = synthetic()
    ids = base.table["account_id"].tolist()
    cap = data.draw(st.integers(1, 8))
    forced_in = data.draw(st.lists(st.sampled_from(ids), max_size=cap, unique=True))
    rest = [i for i in ids if i not in forced_in]
    forced_out = data.draw(st.lists(st.sampled_from(rest), max_size=5, unique=True))
    r = idn.reweigh(base, p, max_key=cap, min_score=data.draw(st.floats(0, 100)),
                    force_in={i: "manager's call" for i in forced_in},
                    force_out={i: "no capacity" for i in forced_out})
    keys = set(r.key_accounts["account_id"])
    assert set(forced_in) <= keys
    assert not keys & set(forced_out)
    assert len(keys) <= cap
    assert set(r.overrides["account_id"]) == set(forced_in) | set(forced_out)


def test_a_criterion_without_spread_contributes_nothing():
    p = tiny({"strategic_role": [3, 3, 3, 3]})
    r = idn.identify(p, HAND_WEIGHTS, max_key=2)
    assert (r.points["strategic_role"] == 0).all()
    assert idn.percentile_scores([7.0, 7.0, None]).tolist() == [0.0, 0.0, 0.0]
    # known for one account only: no spread either
    assert idn.percentile_scores([None, 7.0]).tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------------------
# Company X tells its story


@functools.cache
def company_x_result():
    from tests.conftest import company_x_copy as company_x

    return idn.identify(company_x())


def test_company_x_story():
    r = company_x_result()
    t = r.table.set_index("account_id")
    assert r.cap == 9  # three key account managers x three accounts
    # The big price-only distributor is big but not key.
    assert not t.at["CX-004", "selected"]
    assert t.at["CX-004", "group"] == "big_not_key"
    # The small market leader is key, on strategic role (and collaboration), not volume.
    assert t.at["CX-005", "selected"]
    assert t.at["CX-005", "reason"].endswith("strongest on Strategic role and Collaboration.")
    top = idn.explain(r, "CX-005").sort_values("points", ascending=False)
    assert top["criterion"].iloc[0] == "Strategic role"
    # The fast grower may become key, and is not selected by default.
    assert not t.at["CX-006", "selected"]
    assert t.at["CX-006", "group"] == "potential_key"
    # The anchors are key.
    assert {"CX-001", "CX-002", "CX-003"} <= set(r.key_accounts["account_id"])
    # Revenue alone would have picked CX-004 and not CX-005.
    by_revenue = t.sort_values("revenue_12m", ascending=False).index[:9]
    assert "CX-004" in by_revenue and "CX-005" not in by_revenue


def test_company_x_concentration_matches_the_case_study():
    from tests.conftest import company_x_copy as company_x

    curve = idn.concentration(company_x())
    assert idn.top_share(curve) == pytest.approx(0.94, abs=0.005)
    assert curve["cumulative_share"].iloc[2] > 0.5  # three customers buy over half


def test_company_x_stability_flags_the_border():
    s = idn.weight_stability(company_x_result(), draws=300, seed=4)
    t = s.table.set_index("account_id")
    assert t.at["CX-001", "selected_share"] == 1.0
    assert not t.at["CX-001", "depends_on_weights"]
    assert t.at["CX-006", "depends_on_weights"]  # the group should discuss it
    assert "CX-004" not in t.index  # declines key status: never selected
    again = idn.weight_stability(company_x_result(), draws=300, seed=4)
    pd.testing.assert_frame_equal(s.table, again.table)


def test_stability_pruning_is_exact():
    p, base = synthetic()
    r = idn.reweigh(base, p, max_key=5, min_score=40)
    s = idn.weight_stability(r, draws=80, spread=0.3, seed=9)
    names = list(r.weights)
    rng = np.random.default_rng(9)
    factors = rng.uniform(0.7, 1.3, size=(80, len(names)))
    w = np.array([r.weights[n] for n in names]) * factors
    w /= w.sum(axis=1, keepdims=True)
    scores = r.scores[names].to_numpy()
    none = np.zeros(len(scores), dtype=bool)
    declined = (r._accounts["accepts_key_status"] == False).fillna(False).to_numpy(bool)  # noqa: E712
    counts = sum(idn._select(scores @ w[k], none, declined, 5, 40) for k in range(80))
    brute = pd.Series(counts / 80, index=r.scores.index)
    brute = brute[brute > 0]
    got = s.table.set_index("account_id")["selected_share"]
    got = got[got > 0]
    pd.testing.assert_series_equal(got.sort_index(), brute.sort_index(), check_names=False)


def test_stability_without_spread_agrees_with_itself():
    s = idn.weight_stability(company_x_result(), draws=20, spread=0.0)
    assert s.same_list_share == 1.0
    assert set(s.table["selected_share"]) == {1.0}


def test_matrix_quadrants():
    m = idn.portfolio_matrix(company_x_result())
    t = m.set_index("account_id")
    assert {"CX-001", "CX-004", "CX-005", "CX-006"} <= set(t.index)
    assert t.at["CX-001", "quadrant"] == "invest_for_growth"
    assert t.at["CX-004", "strength"] < 50  # price-only, basic stage, 11% margin
    high_a = m["attractiveness"] >= 50
    high_s = m["strength"] >= 50
    expected = np.where(high_a & high_s, "invest_for_growth", np.where(
        high_a, "invest_selectively", np.where(high_s, "maintain", "manage_for_cash")))
    assert m["quadrant"].tolist() == expected.tolist()
    assert len(idn.portfolio_matrix(company_x_result(), "all")) == 150


def test_result_file(tmp_path):
    r = company_x_result()
    m = idn.portfolio_matrix(r)
    path = write_result(tmp_path, "identification", idn.result_data(r, m))
    assert path == result_path(tmp_path, "identification")
    data = read_json(path)
    keys = data["key_accounts"]
    assert [k["rank"] for k in keys] == list(range(1, 10))
    assert {"account_id", "name", "score", "rank"} <= set(keys[0])
    assert keys == sorted(keys, key=lambda k: k["rank"])
    assert data["big_not_key"][0]["account_id"] == "CX-004"
    assert "CX-006" in [a["account_id"] for a in data["potential_key"]]
    assert data["cap"] == 9 and data["weights"] == idn.DEFAULT_WEIGHTS
    assert {"account_id", "attractiveness", "strength", "quadrant", "revenue"} <= set(
        data["matrix"][0])


def test_default_weights_are_a_valid_definition():
    assert sum(idn.DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert idn.check_weights(None) == idn.DEFAULT_WEIGHTS
    assert set(idn.DEFAULT_WEIGHTS) <= set(idn.CRITERIA)


# --------------------------------------------------------------------------------------
# Bad parameters get clear messages


@pytest.mark.parametrize(("kwargs", "parameter", "message"), [
    ({"weights": {"revenue_12m": -0.1}}, "weights", "revenue_12m is -0.1; weights must be 0"),
    ({"weights": {"revenue_12": 1}}, "weights", "did you mean 'revenue_12m'"),
    ({"weights": {"strategic": 1}}, "weights", "'strategic_role'"),
    ({"weights": {"growth": 0}}, "weights", "at least one weight must be above 0"),
    ({"weights": {"growth": "high"}}, "weights", "must be a number"),
    ({"weights": [0.5, 0.5]}, "weights", "a mapping of criterion name"),
    ({"max_key": 0}, "max_key", "1 or more; got 0"),
    ({"max_key": 2.5}, "max_key", "a whole number"),
    ({"accounts_per_manager": 4}, "accounts_per_manager", "from 1 to 3; got 4"),
    ({"accounts_per_manager": 0}, "accounts_per_manager", "from 1 to 3; got 0"),
    ({"key_account_managers": 0}, "key_account_managers", "1 or more"),
    ({"min_score": 120}, "min_score", "from 0 to 100"),
    ({"force_in": {"A": ""}}, "force_in", "give the reason for A"),
    ({"force_in": ["A"]}, "force_in", "a mapping of account id to the reason"),
    ({"force_in": {"A": "x"}, "force_out": {"A": "y"}}, "force_out",
     "cannot be forced both in and out"),
    ({"force_in": {"A": "x", "B": "y"}, "max_key": 1}, "force_in",
     "2 accounts are forced in, but the cap allows 1"),
])
def test_bad_parameters(kwargs, parameter, message):
    p = tiny(key_account_managers=1)
    with pytest.raises(ParameterError) as info:
        idn.identify(p, **kwargs)
    assert info.value.parameter == parameter
    assert message in info.value.message


def test_cap_needs_managers_or_max_key():
    with pytest.raises(ParameterError, match="pass key_account_managers or max_key"):
        idn.identify(tiny())
    assert idn.key_account_cap(tiny(), key_account_managers=2, accounts_per_manager=2) == 4
    assert idn.key_account_cap(tiny(key_account_managers=2)) == 6


def test_unknown_account_in_an_override_suggests_close_ids():
    with pytest.raises(UnknownAccountError, match="Did you mean: 'A'"):
        idn.identify(tiny(), force_in={"Alf": "typo"}, max_key=1)


def test_bad_stability_parameters():
    r = idn.identify(tiny(), HAND_WEIGHTS, max_key=1)
    with pytest.raises(ParameterError, match="spread: a number from 0 to 0.9"):
        idn.weight_stability(r, spread=1.0)
    with pytest.raises(ParameterError, match="draws: a whole number of 1 or more"):
        idn.weight_stability(r, draws=0)


def test_portfolio_without_optional_tables_still_scores():
    r = idn.identify(tiny(), max_key=2)  # default weights: no opportunities, no wallet
    table = idn.criteria_table(r).set_index("criterion")
    assert table.at["Wallet headroom", "known"] == 0
    assert (r.points["headroom"] == 0).all() and (r.points["opportunity_value"] == 0).all()


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_score_range_is_the_exact_range_over_jittered_weights(data):
    import itertools

    k = data.draw(st.integers(1, 5))
    rows = data.draw(st.integers(1, 6))
    scores = np.array(data.draw(st.lists(st.lists(st.floats(0, 100), min_size=k, max_size=k),
                                         min_size=rows, max_size=rows)))
    weights = np.array(data.draw(st.lists(st.floats(0.01, 1), min_size=k, max_size=k)))
    weights /= weights.sum()
    spread = data.draw(st.floats(0, 0.9))
    low, high = idn._score_range(scores, weights, spread)
    # a linear-fractional function over a box takes its extremes at the vertices
    vertices = np.array([weights * (1 + spread * np.array(signs))
                         for signs in itertools.product((-1, 1), repeat=k)])
    totals = scores @ (vertices / vertices.sum(axis=1, keepdims=True)).T
    assert np.allclose(low, totals.min(axis=1)) and np.allclose(high, totals.max(axis=1))
