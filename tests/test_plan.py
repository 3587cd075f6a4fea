"""The key account plan: moves, balance flags, responsibilities, return, charts, exports.

Small portfolios built here make each rule visible with numbers one can check by hand;
Company X shows that the flags fire exactly where the case study says they should.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kamkit.artifacts import to_jsonable
from kamkit.data import synth
from kamkit.data.portfolio import from_frames
from kamkit.exceptions import ParameterError
from kamkit.plan import account_plan as plan
from tests.conftest import company_x_copy

STORY = json.loads(synth.STORY_PATH.read_text(encoding="utf-8"))
PLAN_FLAGS = {"overdue_actions", "action_without_owner", "goal_without_actions",
              "no_protect_goal", "department_overload"}


@pytest.fixture(scope="module")
def cx():
    return company_x_copy()


# --------------------------------------------------------------------------------------
# A tiny portfolio: account A buys 1,000 EUR of sensors a month at a 40% margin.


def _goal(goal_id="G-1", **kw):
    row = {"goal_id": goal_id, "account_id": "A", "goal": "+10% sensor revenue by 2027-06-30",
           "metric": "revenue", "scope": "sensors", "baseline": 12000.0, "target": 13200.0,
           "start": "2026-06-30", "deadline": "2027-06-30", "linked_to": "O-1",
           "owner": "Anna", "move": None}
    row.update(kw)
    return row


def _action(action_id, goal_id="G-1", department="sales", **kw):
    row = {"action_id": action_id, "account_id": "A", "goal_id": goal_id,
           "action": "Technical day with the design team", "strategy": "Grow",
           "department": department, "owner": "Jan", "start": "2026-05-01",
           "due": "2026-12-31", "status": "in_progress", "budget": 100.0,
           "done_date": None, "milestone": "no"}
    row.update(kw)
    return row


def tiny(goals=(), actions=(), competitors=(), wallet=(), as_of="2026-06-30"):
    dates = pd.date_range(end=as_of, periods=24, freq="ME")
    tx = pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "account_id": "A",
                       "product": "S-1", "product_line": "sensors", "quantity": 10,
                       "revenue": 1000.0, "cost": 600.0})
    frames = {
        "accounts": pd.DataFrame({"account_id": ["A", "B"], "name": ["Acme", "Борей"]}),
        "transactions": tx,
        "needs": pd.DataFrame({"need_id": ["N-1"], "account_id": ["A"],
                               "need": ["Faster spare parts"], "kind": ["pain_point"],
                               "priority": ["high"], "source": ["interview"],
                               "date": [None]}),
        "opportunities": pd.DataFrame({"opportunity_id": ["O-1"], "account_id": ["A"],
                                       "opportunity": ["More sensors"],
                                       "product_line": ["sensors"], "kind": ["up_sell"],
                                       "value_1y": [5000.0], "value_3y": [8000.0],
                                       "value_5y": [9000.0], "probability": [0.5]}),
    }
    columns = {"goals": plan_columns("goals"), "actions": plan_columns("actions")}
    frames["goals"] = pd.DataFrame(list(goals), columns=columns["goals"])
    frames["actions"] = pd.DataFrame(list(actions), columns=columns["actions"])
    if competitors:
        frames["competitors"] = pd.DataFrame(list(competitors))
    if wallet:
        frames["wallet"] = pd.DataFrame(list(wallet))
    return from_frames(frames, {"currency": "EUR", "as_of": as_of})


def plan_columns(table):
    from kamkit.data.schema import SCHEMAS

    return SCHEMAS[table].names


def flags(p, account="A", **kw):
    return set(plan.plan_flags(p, account, **kw)["flag"])


# --------------------------------------------------------------------------------------
# Penetrate, expand, protect


def test_rule_reproduces_the_moves_company_x_gives(cx):
    needs, opps = cx.needs, cx.opportunities
    given = cx.goals[cx.goals["move"].notna()]
    assert len(given) >= 25
    for g in given.to_dict(orient="records"):
        bought = plan._lines_before(cx, g["account_id"], pd.Timestamp(g["start"]))
        move, reason = plan.classify_move(
            g, needs=needs[needs["account_id"] == g["account_id"]],
            opportunities=opps[opps["account_id"] == g["account_id"]], lines_bought=bought)
        assert move == g["move"], (g["goal_id"], reason)


@pytest.mark.parametrize(("goal", "move"), [
    ({"metric": "satisfaction", "baseline": 3, "target": 4}, "protect"),
    ({"metric": "margin", "baseline": 0.1, "target": 0.12}, "protect"),
    ({"metric": "revenue", "scope": "sensors", "baseline": 100, "target": 100}, "protect"),
    ({"metric": "other", "linked_to": "N-1", "baseline": 35, "target": 21}, "protect"),
    ({"metric": "revenue", "goal": "Defend our drive business", "baseline": 9,
      "target": 10}, "protect"),
    ({"metric": "revenue", "scope": "displays", "baseline": 0, "target": 5000}, "penetrate"),
    ({"metric": "revenue", "scope": "displays", "baseline": 10, "target": 50}, "penetrate"),
    ({"metric": "revenue", "scope": "sensors", "baseline": 10, "target": 12}, "expand"),
    ({"metric": None, "goal": "Improve the relationship"}, None),
])
def test_classify_move_rule(goal, move):
    needs = pd.DataFrame({"need_id": ["N-1"], "kind": ["pain_point"]})
    got, reason = plan.classify_move({"goal": "", **goal}, needs=needs,
                                     lines_bought=["sensors"])
    assert got == move and reason


def test_plan_goals_says_where_the_move_came_from(cx):
    g = plan.plan_goals(cx, "CX-004").set_index("goal_id")
    assert g.loc["G-004-2", "move_source"] == "given"
    assert g.loc["G-004-1", "move_source"] == "rule" and pd.isna(g.loc["G-004-1", "move"])
    p = tiny([_goal(move=None)], [_action("A-1")])
    assert plan.plan_goals(p, "A").loc[0, ["move", "move_source"]].tolist() == [
        "expand", "rule"]


# --------------------------------------------------------------------------------------
# Balance flags: each raised once and not raised once


def test_company_x_plan_flags_are_the_story_s(cx):
    for account in STORY["accounts"]:
        found = flags(cx, account["account_id"]) & PLAN_FLAGS
        assert found == set(account["flags"]) & PLAN_FLAGS, account["account_id"]


def test_no_plan(cx):
    assert flags(cx, "CX-011") == {"no_plan"}
    assert "no_plan" not in flags(cx, "CX-001")


def test_goals_not_smart():
    bad = tiny([_goal(deadline=None, goal="+10% sensor revenue")], [_action("A-1")])
    raised = plan.plan_flags(bad, "A").set_index("flag")
    assert raised.loc["goals_not_smart", "evidence"] == "G-1 (T)"
    assert "goals_not_smart" not in flags(tiny([_goal()], [_action("A-1")]))


def test_goal_without_actions():
    p = tiny([_goal(), _goal("G-2")], [_action("A-1")])
    assert plan.plan_flags(p, "A").set_index("flag").loc["goal_without_actions",
                                                         "evidence"] == "G-2"
    assert "goal_without_actions" not in flags(tiny([_goal()], [_action("A-1")]))


def test_action_without_owner():
    p = tiny([_goal()], [_action("A-1"), _action("A-2", owner=None), _action("A-3", owner=" ")])
    assert plan.plan_flags(p, "A").set_index("flag").loc["action_without_owner",
                                                         "evidence"] == "A-2, A-3"
    assert "action_without_owner" not in flags(tiny([_goal()], [_action("A-1")]))


def test_overdue_actions_are_measured_from_as_of():
    acts = [_action("A-1", due="2026-06-15"), _action("A-2", due="2026-06-15", status="done",
                                                      done_date="2026-06-14"),
            _action("A-3", due="2026-06-15", status="cancelled"),
            _action("A-4", due="2026-06-30")]
    p = tiny([_goal()], acts)
    assert plan.plan_flags(p, "A").set_index("flag").loc["overdue_actions",
                                                         "evidence"] == "A-1 (15 days late)"
    a = plan.plan_actions(p, "A").set_index("action_id")
    assert a["overdue"].to_dict() == {"A-1": True, "A-2": False, "A-3": False, "A-4": False}
    # The same plan seen a year earlier has nothing overdue.
    early = tiny([_goal(start="2025-06-30", deadline="2026-06-30")],
                 [_action("A-1", due="2026-06-15")], as_of="2025-06-30")
    assert "overdue_actions" not in flags(early)


@pytest.mark.parametrize(("departments", "raised"), [
    (["production"] * 3 + ["sales", "service"], True),  # 60% of five
    (["production"] * 4, False),  # too few actions to judge
    (["production"] * 2 + ["sales"] * 2 + ["service"], False),
    (["production"] * 5 + ["sales"] * 4, False),  # 56%
])
def test_department_overload(departments, raised):
    acts = [_action(f"A-{i}", department=d) for i, d in enumerate(departments)]
    assert ("department_overload" in flags(tiny([_goal()], acts))) == raised


def test_department_overload_thresholds_are_parameters():
    acts = [_action(f"A-{i}", department=d) for i, d in enumerate(
        ["production"] * 2 + ["sales"] * 2)]
    assert "department_overload" not in flags(tiny([_goal()], acts))
    assert "department_overload" in flags(tiny([_goal()], acts), overload_share=0.5,
                                          overload_min_actions=4)
    with pytest.raises(ParameterError):
        plan.plan_flags(tiny([_goal()], acts), "A", overload_share=0)


def _competitor(share, threat, name="Rival"):
    return {"account_id": "A", "competitor": name, "year": 2026, "share_of_wallet": share,
            "strengths": "", "weaknesses": "", "threat": threat}


WALLET = [{"account_id": "A", "year": 2026, "spend": 40000.0}]  # our share: 12,000 / 40,000


@pytest.mark.parametrize(("competitors", "wallet", "protect", "raised"), [
    ([_competitor(0.5, "medium")], WALLET, False, True),   # ahead of our 30%
    ([_competitor(0.2, "high")], WALLET, False, True),     # a high threat
    ([_competitor(0.2, "low")], WALLET, False, False),     # neither
    ([_competitor(0.5, "high")], WALLET, True, False),     # a protect goal answers it
    ([_competitor(0.2, "high")], [], False, True),         # no wallet: the threat rating
    ([], [], False, False),                                # no competitor known
])
def test_no_protect_goal(competitors, wallet, protect, raised):
    goals = [_goal(), _goal("G-2", metric="satisfaction", scope=None, baseline=3.0,
                            target=4.0, linked_to="N-1", goal="Satisfaction 3 to 4")]
    if not protect:
        goals = goals[:1]
    p = tiny(goals, [_action("A-1"), _action("A-2", goal_id=goals[-1]["goal_id"])],
             competitors, wallet)
    assert ("no_protect_goal" in flags(p)) == raised


def test_strong_competitor_uses_the_dossier_share_of_wallet(cx):
    strong = plan.strong_competitors(cx, "CX-009")
    assert strong["competitor"].tolist() == ["Brevi Automazione"]
    assert strong.loc[0, "our_share"] == pytest.approx(0.28, abs=0.005)
    assert plan.strong_competitors(cx, "CX-001").empty


# --------------------------------------------------------------------------------------
# Ladder, matrix, milestones, KPIs, resources


def test_climbing_moves(cx):
    m = plan.climbing_moves(cx, "CX-009").set_index("ladder_move")
    assert m["addressed"].to_dict() == {
        "uncover_hidden_needs": False, "tailored_solutions": True, "continuous_value": False,
        "trust_transparency": False, "multi_level_relationships": False}
    assert plan.climbing_moves(cx, "CX-001")["addressed"].all()
    assert list(plan.climbing_moves(cx, "CX-011")["actions"]) == [0] * 5


def test_climbing_moves_have_translatable_labels():
    from kamkit.data.labels import value_label

    for code, (label, words) in plan.CLIMBING_MOVES.items():
        assert value_label(code) == label and words


def test_ladder_words_match_whole_words_or_marked_stems():
    text = "Grow with the customer's roadmap on spare drive boards"
    assert plan._ladder_moves(text) == ["continuous_value"]  # "spare", not "custom"/"board"
    assert plan._ladder_moves("Executive dinner") == ["multi_level_relationships"]
    assert "tailored_solutions" in plan._ladder_moves("Serbian-language guide")


def test_responsibility_matrix(cx):
    m = plan.responsibility_matrix(cx, "CX-007")
    assert list(m.columns) == ["G-007-1", "G-007-2", "total"]
    assert m["G-007-2"].sum() == 0  # the goal nobody works on shows as an empty column
    assert m["total"].sum() == len(cx.table_for("actions", "CX-007"))
    assert m.index[0] in ("engineering", "production", "sales")
    assert plan.responsibility_matrix(cx, "CX-011").empty


def test_resources_add_up(cx):
    r = plan.plan_resources(cx, "CX-001")
    assert r["budget"].sum() == cx.table_for("actions", "CX-001")["budget"].sum()
    assert r["budget_share"].sum() == pytest.approx(1.0)
    assert r["budget"].is_monotonic_decreasing
    assert r.set_index("department").loc["engineering", "owners"] == "Dmytro Kovalenko"


def test_milestones_and_kpis(cx):
    m = plan.plan_milestones(cx, "CX-001")
    assert m["date"].is_monotonic_increasing
    assert set(m["milestone_kind"]) == {"action_milestone", "goal_deadline"}
    done = m.set_index("ref").loc["A-001-01"]
    assert done["date"] == pd.Timestamp("2026-04-28")  # finished early: the day it was done
    k = plan.plan_kpis(cx, "CX-002").set_index("goal_id")
    assert k.loc["G-002-2", "measured_by"] == "wallet"
    assert k.loc["G-002-1", "measured_by"] == "recorded" and k.loc["G-002-1", "current"] == 24


# --------------------------------------------------------------------------------------
# The return on the plan, by hand


def test_expected_return_by_hand():
    # +1,200 EUR a year of sensor revenue at a 40% margin, probability 0.5 from the
    # opportunity, for 3 years: 1,200 * 0.4 * 0.5 * 3 = 720 against a budget of 400.
    p = tiny([_goal()], [_action(f"A-{i}") for i in range(4)])
    r = plan.expected_return(p, "A")
    assert r.margin_rate == pytest.approx(0.4)
    row = r.goals.iloc[0]
    assert row["incremental_revenue"] == pytest.approx(1200)
    assert row["incremental_margin"] == pytest.approx(480)
    assert (row["probability"], row["probability_source"]) == (0.5, "opportunity")
    assert r.expected_margin == pytest.approx(720)
    assert r.budget == 400 and r.roi == pytest.approx(0.8)
    assert plan.expected_return(p, "A", years=1).expected_margin == pytest.approx(240)


def test_protect_and_absurd_goals_are_not_valued():
    goals = [_goal(),
             _goal("G-2", metric="satisfaction", scope=None, baseline=3.0, target=4.0,
                   linked_to="N-1", goal="Satisfaction from 3 to 4"),
             _goal("G-3", baseline=12000.0, target=120000.0, deadline="2026-09-30",
                   goal="Ten times the sensor revenue")]
    acts = [_action("A-1"), _action("A-2", goal_id="G-2", budget=300.0),
            _action("A-3", goal_id="G-3", budget=50.0)]
    r = plan.expected_return(tiny(goals, acts), "A")
    valued = r.goals.set_index("goal_id")["valued"].to_dict()
    assert valued == {"G-1": True, "G-2": False, "G-3": False}
    assert r.expected_margin == pytest.approx(720)
    assert r.budget == 450 and r.roi == pytest.approx((720 - 450) / 450)
    assert r.valued_budget == 100 and r.valued_roi == pytest.approx(6.2)
    assert r.protect_budget == 300
    assert r.margin_at_stake == pytest.approx(4800)
    assert len(r.assumptions) >= 5


def test_goal_linked_to_a_need_uses_the_default_probability():
    p = tiny([_goal(linked_to="N-1")], [_action("A-1")])
    r = plan.expected_return(p, "A", default_probability=0.25)
    assert r.goals.loc[0, "probability_source"] == "default"
    assert r.expected_margin == pytest.approx(480 * 0.25 * 3)


def test_no_budget_no_roi():
    r = plan.expected_return(tiny([_goal()], [_action("A-1", budget=None)]), "A")
    assert r.budget == 0 and r.roi is None
    with pytest.raises(ParameterError):
        plan.expected_return(tiny([_goal()], []), "A", default_probability=1.5)


# --------------------------------------------------------------------------------------
# plan.json


REQUIRED = {"account_id", "goals", "smart_goals", "actions", "overdue_actions", "budget",
            "expected_return", "roi", "moves", "flags"}


def check_plan_json(data: dict, account_id: str) -> None:
    """The contract of docs/architecture.md, and that the figures agree with each other."""
    assert set(data) >= REQUIRED
    assert data["account_id"] == account_id
    assert 0 <= data["smart_goals"] <= data["goals"]
    assert 0 <= data["overdue_actions"] <= data["actions"]
    assert set(data["moves"]) == {"penetrate", "expand", "protect", "unclassified"}
    assert sum(data["moves"].values()) == data["goals"]
    assert data["budget"] >= 0 and data["expected_return"] >= 0
    assert data["roi"] is None or isinstance(data["roi"], float)
    for f in data["flags"]:
        assert set(f) == {"code", "message", "evidence"} and f["message"]
    assert len(data["goal_verdicts"]) == data["goals"]
    assert sum(data["budget_by_department"].values()) == pytest.approx(data["budget"])


@pytest.mark.parametrize("account", [a["account_id"] for a in STORY["accounts"]])
def test_plan_summary_is_plain_json(cx, account):
    data = json.loads(json.dumps(to_jsonable(plan.plan_summary(cx, account)),
                                 allow_nan=False))
    check_plan_json(data, account)
    assert data["as_of"] == "2026-06-30"
