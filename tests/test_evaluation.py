"""Stages 4-5: every measure on a hand-computed portfolio, the gaps, and the results file.

The portfolio ``TINY`` (as of 2026-06-30) is small enough to compute by hand:

* account A buys 62.5 in 2023/24, 80 in 2024/25 and 90 in 2025/26 (after a discount of
  10, cost 60), answers four surveys in the last year and one before, has three contacts,
  two wallet estimates, five goals and six actions;
* account B buys only in the last twelve months and has no feedback, plan or contacts;
* account C bought in the first two years and then stopped.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from kamkit import from_frames
from kamkit.artifacts import write_json
from kamkit.evaluation import measures as ev
from kamkit.exceptions import ParameterError, UnknownAccountError

AS_OF = "2026-06-30"


def _tx(date, account, revenue, cost, discount=0.0, line="drives"):
    return {"date": date, "account_id": account, "product": f"P-{line}",
            "product_line": line, "quantity": 1, "revenue": revenue, "cost": cost,
            "discount": discount}


def _person(name, department, level, strength, account="A"):
    return {"contact_id": f"P-{name}", "account_id": account, "name": name, "title": "",
            "department": department,
            "level": level, "buying_role": "", "influence": 3, "attitude": "neutral",
            "relationship_strength": strength, "our_owner": "", "last_contact": ""}


def _goal(gid, goal, metric, baseline, target, start, deadline, actual=None):
    return {"goal_id": gid, "account_id": "A", "goal": goal, "metric": metric, "scope": "",
            "baseline": baseline, "target": target, "start": start, "deadline": deadline,
            "linked_to": "", "owner": "Ann", "actual": actual}


def _action(aid, due, status, done=None, milestone=False, goal="G-A-1"):
    return {"action_id": aid, "account_id": "A", "goal_id": goal, "action": f"Do {aid}",
            "strategy": "", "department": "sales", "owner": "Ann", "start": "2025-10-01",
            "due": due, "status": status, "budget": 1000, "done_date": done,
            "milestone": "yes" if milestone else "no"}


def tiny_frames(drop: tuple[str, ...] = (), no_discounts: bool = False) -> dict:
    tx = [
        _tx("2024-01-15", "A", 62.5, 40.0),
        _tx("2025-01-15", "A", 80.0, 50.0),
        _tx("2026-01-15", "A", 90.0, 60.0, 10.0),
        _tx("2026-02-15", "B", 50.0, 30.0),
        _tx("2024-02-15", "C", 20.0, 10.0),
        _tx("2025-02-15", "C", 20.0, 10.0),
    ]
    if no_discounts:
        for row in tx:
            row["discount"] = 0.0
    frames = {
        "accounts": pd.DataFrame({"account_id": ["A", "B", "C"],
                                  "name": ["Acme", "Bolt", "Cork"],
                                  "owner": ["Ann", "Ben", "Ann"]}),
        "transactions": pd.DataFrame(tx),
        "feedback": pd.DataFrame([
            {"account_id": "A", "date": "2025-03-15", "satisfaction": 3, "nps": 5,
             "referrals": 0},
            {"account_id": "A", "date": "2025-09-15", "satisfaction": 4, "nps": 10,
             "referrals": 1},
            {"account_id": "A", "date": "2025-12-15", "satisfaction": 3, "nps": 9,
             "referrals": 0},
            {"account_id": "A", "date": "2026-03-15", "satisfaction": 5, "nps": 6,
             "referrals": 2},
            {"account_id": "A", "date": "2026-06-15", "satisfaction": 2, "nps": 8,
             "referrals": 0},
        ]),
        "contacts": pd.DataFrame([_person("Eve", "management", "executive", 5),
                                  _person("Bo", "procurement", "senior", 4),
                                  _person("Cy", "engineering", "middle", 2)]),
        "wallet": pd.DataFrame({"account_id": ["A", "A"], "year": [2025, 2026],
                                "spend": [400.0, 300.0]}),
        "goals": pd.DataFrame([
            _goal("G-A-1", "Revenue from 80 to 120 by 2026-12-31", "revenue", 80, 120,
                  "2025-12-31", "2026-12-31"),
            _goal("G-A-2", "Lead time score from 10 to 20", "other", 10, 20, "2026-01-01",
                  "2026-12-31", actual=20),
            _goal("G-A-3", "Satisfaction from 3 to 4 by 2026-03-31", "satisfaction", 3, 4,
                  "2025-09-30", "2026-03-31", actual=3.5),
            _goal("G-A-4", "Keep our share of wallet at 30%", "share_of_wallet", 0.3, 0.3,
                  "2026-01-01", "2026-12-31"),
            _goal("G-A-5", "Grow revenue", "revenue", None, None, "2026-01-01",
                  "2026-12-31"),
        ]),
        "actions": pd.DataFrame([
            _action("A-1", "2026-03-31", "done", "2026-03-20"),
            _action("A-2", "2026-04-30", "done", "2026-05-10", milestone=True),
            _action("A-3", "2026-05-31", "in_progress", milestone=True),
            _action("A-4", "2026-09-30", "planned", milestone=True),
            _action("A-5", "2026-02-28", "cancelled"),
            _action("A-6", "2026-12-31", "done", "2026-06-01"),
        ]),
    }
    for name in drop:
        frames.pop(name)
    return frames


@pytest.fixture(scope="module")
def tiny():
    return from_frames(tiny_frames(), {"currency": "EUR", "as_of": AS_OF})


@pytest.fixture(scope="module")
def evaluated(tiny):
    return ev.evaluate(tiny, "A")


# --------------------------------------------------------------------------------------
# Financial measures


def test_revenue_growth_margin_and_discount_erosion(tiny):
    f = ev.financial_trend(tiny, "A").set_index("label")
    assert f["revenue"].tolist() == [62.5, 80.0, 90.0]
    now = f.loc["2025/26"]
    assert now["revenue_growth"] == pytest.approx(90 / 80 - 1)
    assert now["margin_rate"] == pytest.approx(30 / 90)
    assert now["list_revenue"] == pytest.approx(100.0)
    assert now["discount_share"] == pytest.approx(0.10)
    assert now["list_margin_rate"] == pytest.approx(0.40)
    assert now["margin_erosion"] == pytest.approx(0.40 - 30 / 90)
    assert now["margin_given_away"] == pytest.approx(0.25)
    assert f.loc["2024/25", "margin_given_away"] == 0.0


def test_cagr_over_the_years_shown(tiny):
    assert ev.revenue_cagr(ev.financial_trend(tiny, "A")) == pytest.approx(0.2)
    assert math.isnan(ev.revenue_cagr(ev.financial_trend(tiny, "B")))  # new customer


def test_share_of_wallet_trend(tiny):
    w = ev.wallet_trend(tiny, "A")
    assert w["share"].tolist() == pytest.approx([0.2, 0.3])
    assert w["share_of_wallet_change"].iloc[-1] == pytest.approx(0.1)
    assert ev.wallet_trend(tiny, "B").empty


# --------------------------------------------------------------------------------------
# Customer lifetime value


def test_margin_multiple_by_hand():
    assert ev.clv_multiple(0.8, 0.10) == pytest.approx(0.8 / 0.3)
    assert round(ev.clv_multiple(0.8, 0.10), 3) == 2.667
    assert ev.clv_multiple(0.8, 0.10, 0.05) == pytest.approx(0.8 / (1.1 - 0.84))
    assert ev.clv_multiple(0.0, 0.10) == 0.0


def test_growth_form_refuses_an_infinite_value_and_names_the_condition():
    with pytest.raises(ParameterError) as err:
        ev.clv_multiple(0.95, 0.10, 0.20)
    text = str(err.value)
    assert "1 + i > r(1 + g)" in text
    assert "r = 0.95" in text and "i = 0.1" in text and "g = 0.2" in text
    with pytest.raises(ParameterError):
        ev.clv_multiple(1.0, 0.0)  # r(1 + g) = 1 = 1 + i: the boundary is refused too


@pytest.mark.parametrize("args", [(1.2, 0.1), (-0.1, 0.1), (0.8, -0.1), (0.8, 0.1, -1.0),
                                  (True, 0.1), ("0.8", 0.1), (float("nan"), 0.1)])
def test_clv_parameters_out_of_range(args):
    with pytest.raises(ParameterError):
        ev.clv_multiple(*args)


def test_scenarios_side_by_side(evaluated):
    clv = evaluated.clv.set_index("scenario")
    assert list(clv.index) == ["pessimistic", "expected", "optimistic"]
    assert evaluated.annual_margin == pytest.approx(30.0)  # gross margin, last 12 months
    assert clv.loc["expected", "clv"] == pytest.approx(30.0 * 0.85 / 0.25)
    assert clv.loc["expected", "lifetime_years"] == pytest.approx(1 / 0.15)
    assert clv["clv"].is_monotonic_increasing


def test_scenarios_are_checked():
    with pytest.raises(ParameterError, match="retention and discount_rate"):
        ev.check_scenarios({"x": {"retention": 0.8}})
    with pytest.raises(ParameterError, match="1 \\+ i > r"):
        ev.check_scenarios({"x": {"retention": 0.99, "discount_rate": 0.01,
                                  "margin_growth": 0.5}})
    with pytest.raises(ParameterError):
        ev.check_scenarios({})


# --------------------------------------------------------------------------------------
# Qualitative measures


@pytest.mark.parametrize(("answers", "expected"), [
    ([10, 9, 8, 7, 6, 0], 0.0), ([10, 10, 9, 5], 50.0), ([0, 6], -100.0), ([9, 10], 100.0),
    ([7, 8], 0.0), ([10, None, float("nan")], 100.0)])
def test_nps_by_hand(answers, expected):
    assert ev.nps_score(answers) == expected


def test_nps_without_answers_or_out_of_range():
    assert math.isnan(ev.nps_score([]))
    with pytest.raises(ParameterError):
        ev.nps_score([11])


def test_feedback_per_rolling_year(tiny):
    f = ev.feedback_trend(tiny, "A").set_index("label")
    last = f.loc["2025/26"]
    assert last["responses"] == 4 and last["satisfaction"] == 3.5
    assert (last["promoters"], last["passives"], last["detractors"]) == (2, 1, 1)
    assert last["nps_score"] == 25.0 and last["referrals"] == 3
    assert f.loc["2024/25", "nps_score"] == -100.0
    assert f.loc["2023/24", "responses"] == 0 and math.isnan(f.loc["2023/24", "nps_score"])


def test_depth_of_relationship(tiny):
    d = ev.relationship_depth(tiny, "A")
    assert (d.levels, d.departments, d.strong_contacts, d.contacts) == (
        2, ("management", "procurement"), 2, 3)
    assert d.index == pytest.approx(0.5 * 2 / 4 + 0.5 * 2 / 4)
    assert ev.relationship_depth(tiny, "A", target_departments=2).index == pytest.approx(0.75)
    weaker = ev.relationship_depth(tiny, "A", thresholds={"strong_relationship": 5})
    assert weaker.index == pytest.approx(0.5 * 1 / 4 + 0.5 * 1 / 4)
    assert ev.relationship_depth(tiny, "B").index == 0.0  # nobody known: a finding


def test_retention_year_over_year(tiny):
    r = ev.retention(tiny).set_index("label")
    assert r.loc["2024/25", ["buying_before", "retained"]].tolist() == [2, 2]
    assert r.loc["2025/26", ["buying_before", "retained", "retention_rate"]].tolist() == [
        2, 1, 0.5]
    keys = ev.retention(tiny, ["A", "B"]).set_index("label")
    assert keys.loc["2025/26", "retention_rate"] == 1.0
    with pytest.raises(UnknownAccountError):
        ev.retention(tiny, ["Z"])


def test_account_retention(evaluated, tiny):
    assert evaluated.retention == {"retained": True, "revenue_retention": 90 / 80,
                                   "years_buying": 3, "years_shown": 3}
    assert ev.evaluate(tiny, "C").retention["retained"] is False


# --------------------------------------------------------------------------------------
# Plan attainment


def test_goal_attainment(tiny):
    g = ev.goal_attainment(tiny, "A").set_index("goal_id")
    elapsed = 181 / 365  # 2025-12-31 .. 2026-06-30 of 2025-12-31 .. 2026-12-31
    one = g.loc["G-A-1"]
    assert (one["current"], one["measured_by"]) == (90.0, "transactions")
    assert one["progress"] == pytest.approx(0.25)
    assert one["time_elapsed"] == pytest.approx(elapsed)
    assert one["goal_status"] == "behind" and one["pace"] == pytest.approx(0.25 / elapsed)
    assert g.loc["G-A-2", ["goal_status", "measured_by", "pace"]].tolist() == [
        "achieved", "recorded", 1.0]
    assert g.loc["G-A-3", ["goal_status", "progress", "pace"]].tolist() == [
        "missed", 0.5, 0.5]
    held = g.loc["G-A-4"]
    assert (held["measured_by"], held["goal_status"], held["pace"]) == ("wallet", "on_track",
                                                                       1.0)
    assert g.loc["G-A-5", "goal_status"] == "not_measured"
    assert "no numbers" in g.loc["G-A-5", "note"]


def test_a_goal_without_numbers_takes_them_as_the_smart_check_measures_them(tiny):
    frames = tiny_frames()
    frames["goals"] = pd.DataFrame([_goal("G-A-9", "+50% drives revenue by 2026-12-31",
                                          "revenue", None, None, "2026-01-20", "2026-12-31")])
    frames["actions"] = frames["actions"].iloc[0:0]
    p = from_frames(frames, {"currency": "EUR", "as_of": AS_OF})
    g = ev.goal_attainment(p, "A").iloc[0]
    # the scope's revenue in the twelve months up to the start: the sale of 2026-01-15
    # (90), not that of 2025-01-15; the target is +50% on it
    assert (g["baseline"], g["target"], g["baseline_from"]) == (90.0, 135.0, "transactions")


def test_action_delivery_and_milestones(tiny):
    d = ev.action_delivery(tiny, "A").set_index("action_id")
    assert d["delivery"].to_dict() == {"A-1": "on_time", "A-2": "late", "A-3": "overdue",
                                       "A-4": "not_due", "A-5": "cancelled",
                                       "A-6": "on_time"}
    assert d.loc[["A-2", "A-3"], "days_late"].tolist() == [10, 30]
    m = ev.milestone_slippage(tiny, "A").set_index("action_id")
    assert m.loc["A-2", "slip_days"] == 10 and m.loc["A-3", "slip_days"] == 30
    assert math.isnan(m.loc["A-4", "slip_days"])
    assert m["reached"].tolist() == [True, False, False]


# --------------------------------------------------------------------------------------
# The health score


def test_component_scores_by_hand():
    assert ev.component_score("revenue_growth", 0.125) == 81.25
    assert ev.component_score("revenue_growth", 0.5) == 100.0
    assert ev.component_score("margin_trend", -1 / 24) == pytest.approx(50 - 1000 / 24)
    assert ev.component_score("discount_erosion", 0.25) == 50.0
    assert ev.component_score("wallet_trend", 0.1) == 100.0
    assert ev.component_score("satisfaction", 1.0) == 0.0
    assert ev.component_score("nps", 25.0) == 62.5
    assert math.isnan(ev.component_score("nps", float("nan")))
    with pytest.raises(ParameterError):
        ev.component_score("loyalty", 1.0)


def test_health_of_the_hand_computed_account(evaluated):
    h = evaluated.health
    pace = (0.25 / (181 / 365) + 1.0 + 0.5 + 1.0) / 4
    expected = {"revenue_growth": 81.25, "margin_trend": 50 - 1000 * (0.375 - 1 / 3),
                "discount_erosion": 50.0, "wallet_trend": 100.0, "satisfaction": 62.5,
                "nps": 62.5, "relationship_depth": 50.0, "plan_attainment": 100 * pace,
                "action_delivery": 50.0}
    scores = h.components.set_index("component")["score"]
    for component, value in expected.items():
        assert scores[component] == pytest.approx(value), component
    total = sum(ev.DEFAULT_HEALTH_WEIGHTS[c] * v for c, v in expected.items())
    assert h.score == pytest.approx(total)
    assert h.coverage == pytest.approx(1.0) and h.band == "green"
    assert h.components["points"].sum() == pytest.approx(h.score)
    assert h.components["drive"].sum() == pytest.approx(h.score - 50)
    assert h.drivers(3)["component"].tolist() == ["wallet_trend", "revenue_growth",
                                                  "margin_trend"]
    assert "Net revenue 90 EUR in 2025/26 against 80 EUR in 2024/25." in h.explain()


def test_trend_against_one_period_earlier(evaluated):
    prev = evaluated.previous
    assert str(prev.as_of.date()) == "2025-06-30"
    # known then: growth 80 / 62.5 (+28%, capped at 100), margin 36% -> 37.5%, no
    # discount, one survey (satisfaction 3, NPS -100), the same contacts; no wallet trend
    # (one estimate), no goal started yet.
    assert set(prev.missing) == {"wallet_trend", "plan_attainment", "action_delivery"}
    weights = ev.DEFAULT_HEALTH_WEIGHTS
    used = {"revenue_growth": 100.0, "margin_trend": 65.0, "discount_erosion": 100.0,
            "satisfaction": 50.0, "nps": 0.0, "relationship_depth": 50.0}
    expected = sum(weights[c] * v for c, v in used.items()) / sum(weights[c] for c in used)
    assert prev.score == pytest.approx(expected)
    assert evaluated.trend == pytest.approx(evaluated.health.score - expected)


def test_quarter_as_the_period(tiny):
    quarter = ev.evaluate(tiny, "A", period_months=3)
    assert str(quarter.previous.as_of.date()) == "2026-03-31"


def test_health_weights_are_validated_like_identification_s():
    assert ev.check_health_weights({"nps": 2, "satisfaction": 2}) == {"satisfaction": 0.5,
                                                                      "nps": 0.5}
    with pytest.raises(ParameterError, match="did you mean 'nps'"):
        ev.check_health_weights({"nsp": 1})
    with pytest.raises(ParameterError, match="0 or more"):
        ev.check_health_weights({"nps": -1})
    with pytest.raises(ParameterError, match="above 0"):
        ev.check_health_weights({"nps": 0})


def test_reweigh_changes_only_the_weighting(evaluated):
    only = ev.reweigh(evaluated, {"nps": 1.0})
    assert only.health.score == 62.5 and only.health.band == "green"
    assert only.goals is evaluated.goals
    assert ev.reweigh(evaluated, {"margin_trend": 1.0}).health.band == "red"


def test_bands_and_their_parameters():
    assert [ev.health_band(s) for s in (0, 44.99, 45, 59.99, 60, 100)] == [
        "red", "red", "amber", "amber", "green", "green"]
    assert ev.health_band(50, {"amber": 55, "green": 70}) == "red"
    with pytest.raises(ParameterError):
        ev.health_band(50, {"amber": 70, "green": 60})
    with pytest.raises(ParameterError):
        ev.health_band(50, {"green": 60})


@pytest.mark.parametrize("months", [0, 25, 1.5, "12"])
def test_period_is_checked(tiny, months):
    with pytest.raises(ParameterError):
        ev.evaluate(tiny, "A", period_months=months)


def test_unknown_account(tiny):
    with pytest.raises(UnknownAccountError):
        ev.evaluate(tiny, "Z")


# --------------------------------------------------------------------------------------
# What is missing is said, never an error


def test_one_year_of_history_no_feedback_and_no_plan(tiny):
    b = ev.evaluate(tiny, "B")
    codes = [g.code for g in b.gaps]
    assert {"one_year", "no_feedback", "no_plan", "no_wallet"} <= set(codes)
    assert set(b.health.missing) == {"revenue_growth", "margin_trend", "wallet_trend",
                                     "satisfaction", "nps", "plan_attainment",
                                     "action_delivery"}
    assert b.health.band is not None and 0 < b.health.coverage < 1
    evidence = b.health.components.set_index("component")["evidence"]
    assert "two years" in evidence["revenue_growth"]
    assert "no key account plan" in evidence["plan_attainment"]
    assert b.goals.empty and b.actions.empty and b.milestones.empty
    assert ev.result_data(b)["attainment"]["score"] is None


def test_an_account_without_sales_in_the_last_year(tiny):
    c = ev.evaluate(tiny, "C")
    assert "no_sales" in [g.code for g in c.gaps]
    assert c.annual_margin == 0.0 and (c.clv["clv"] == 0).all()
    assert c.health.components.set_index("component").loc["revenue_growth", "score"] == 0.0


def test_a_portfolio_without_contacts_or_discounts():
    p = from_frames(tiny_frames(drop=("contacts",), no_discounts=True),
                    {"currency": "EUR", "as_of": AS_OF})
    a = ev.evaluate(p, "A")
    assert math.isnan(a.depth.index)
    assert {"no_contacts", "no_discounts"} <= {g.code for g in a.gaps}
    assert {"relationship_depth", "discount_erosion"} <= set(a.health.missing)


def test_an_account_with_recent_feedback_missing():
    frames = tiny_frames()
    frames["feedback"] = frames["feedback"].iloc[:1]  # one answer, 15 months old
    p = from_frames(frames, {"currency": "EUR", "as_of": AS_OF})
    assert "no_recent_feedback" in [g.code for g in ev.evaluate(p, "A").gaps]


def test_no_evidence_at_all_gives_no_score():
    h = ev.health_score({})
    assert math.isnan(h.score) and h.band is None and h.coverage == 0
    assert len(h.missing) == len(ev.HEALTH_COMPONENTS)


# --------------------------------------------------------------------------------------
# The portfolio at an earlier date


def test_portfolio_at_keeps_what_was_known_then(tiny):
    then = ev.portfolio_at(tiny, "2026-03-31")
    assert then.transactions["date"].max() <= pd.Timestamp("2026-03-31")
    assert then.feedback["date"].max() == pd.Timestamp("2026-03-15")
    actions = then.table_for("actions", "A").set_index("action_id")
    assert actions.loc["A-2", "status"] == "in_progress"  # finished in May
    assert pd.isna(actions.loc["A-2", "done_date"])
    assert actions.loc["A-1", "status"] == "done"
    assert then.goals["actual"].isna().all()
    assert then.wallet["year"].tolist() == [2025, 2026]
    earlier = ev.portfolio_at(tiny, "2025-12-30")
    assert earlier.goals["goal_id"].tolist() == ["G-A-3"]  # started on 2025-09-30
    assert tiny.transactions["date"].max() == pd.Timestamp("2026-02-15")  # unchanged
    with pytest.raises(ParameterError):
        ev.portfolio_at(tiny, "2026-07-01")


# --------------------------------------------------------------------------------------
# The results file


def test_result_data_holds_the_contract(evaluated, tmp_path):
    data = ev.result_data(evaluated)
    for key in ("account_id", "health", "clv", "nps", "satisfaction", "retention",
                "attainment"):
        assert key in data
    assert {"score", "band", "trend", "components"} <= set(data["health"])
    assert data["health"]["band"] == "green"
    assert [c["component"] for c in data["health"]["components"]] == list(
        ev.HEALTH_COMPONENTS)
    assert data["nps"]["score"] == 25.0 and data["satisfaction"]["mean"] == 3.5
    assert data["clv"]["expected"] == pytest.approx(102.0)
    assert data["attainment"]["goals"]["missed"] == 1
    assert data["attainment"]["actions"]["overdue"] == 1
    assert data["attainment"]["milestones"] == {"total": 3, "reached": 1, "slipped": 2,
                                                "max_slip_days": 30}
    path = write_json(tmp_path / "evaluation.json", data)
    assert json.loads(path.read_text(encoding="utf-8")) == data


def test_render_speaks_the_language(tiny):
    text = ev.evaluate(tiny, "B").render()
    assert "Not measured:" in text and "one rolling year only" in text
    from kamkit.text.i18n import use_language

    with use_language("pl"):
        assert "Bolt" in ev.evaluate(tiny, "B").render()
