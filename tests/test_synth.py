"""Tests of kamkit.data.synth: determinism, validity, shape of the sales, and the Company X story.

The story tests read the intended gaps of each story account from the story file
(``flags``, and ``flaw`` on goals) and recompute them from the tables with the simple
definitions the file states, so the data and its documentation cannot drift apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kamkit
from kamkit.data import synth
from kamkit.data.portfolio import from_frames, save
from kamkit.data.sales import period, sales_by_account, sales_by_year
from kamkit.exceptions import ParameterError
from tests.conftest import company_x_copy

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO / "datasets" / "company_x"
STORY = json.loads(synth.STORY_PATH.read_text(encoding="utf-8"))
AS_OF = pd.Timestamp(STORY["meta"]["as_of"])
CAST = {a["account_id"]: a for a in STORY["accounts"]}

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
PERSIAN = re.compile(r"[\u0600-\u06ff]")
LATIN_DIACRITIC = re.compile(r"[\u00c0-\u017f]")


# --------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def small():
    return synth.generate_frames(accounts=150, years=3, seed=7)


@pytest.fixture(scope="module")
def cx():
    return company_x_copy()


@pytest.fixture(scope="module")
def cx_sales(cx):
    """Net revenue per account and rolling year (0 = last 12 months), and last-year facts."""
    years = sales_by_year(cx.transactions, cx.as_of, 3)
    table = years.pivot(index="account_id", columns="year", values="revenue").fillna(0.0)
    last = sales_by_account(cx.transactions, *period(cx.as_of))
    table["rank"] = table[0].rank(ascending=False, method="first")
    table["margin"] = last["gross_margin"] / last["revenue"]
    table["discount_rate"] = last["discount"] / (last["revenue"] + last["discount"])
    return table


def sign_rule_violations(t: pd.DataFrame) -> pd.DataFrame:
    q, r, c, kind = t["quantity"], t["revenue"], t["cost"], t["doc_type"]
    ok = (((kind == "invoice") & (q > 0) & (r >= 0) & (c >= 0))
          | ((kind == "return") & (q < 0) & (r <= 0) & (c <= 0))
          | ((kind == "credit_note") & (q == 0) & (r < 0) & (c == 0)))
    return t[~ok]


# --------------------------------------------------------------------------------------
# The generic generator


def test_same_seed_gives_identical_frames(small):
    again = synth.generate_frames(accounts=150, years=3, seed=7)
    assert small[1] == again[1]
    assert list(small[0]) == list(again[0])
    for name, frame in small[0].items():
        pd.testing.assert_frame_equal(frame, again[0][name], obj=name)


def test_different_seed_gives_different_frames(small):
    other, _ = synth.generate_frames(accounts=150, years=3, seed=8)
    assert not other["transactions"].equals(small[0]["transactions"])
    assert not other["accounts"]["name"].equals(small[0]["accounts"]["name"])


def test_frames_are_typed_exactly_as_validation_types_them(small):
    frames, meta = small
    p = from_frames(frames, meta)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(p.tables[name], frame, obj=name)


def test_generated_portfolio_is_valid_without_warnings(small):
    p = from_frames(*small)
    assert p.report.errors == [] and p.report.warnings == [], p.report.render()
    assert p.missing_tables == []
    assert synth.generate(accounts=20, years=1, seed=3).report.ok


def test_every_line_obeys_the_sign_rule(small, cx):
    assert sign_rule_violations(small[0]["transactions"]).empty
    assert sign_rule_violations(cx.transactions).empty


def test_returns_and_credit_notes_are_rare_and_present(small):
    share = small[0]["transactions"]["doc_type"].value_counts(normalize=True)
    assert 0.01 <= share["return"] <= 0.02
    assert 0.003 <= share["credit_note"] <= 0.008


def test_revenue_is_pareto_like(small):
    revenue = small[0]["transactions"].groupby("account_id")["revenue"].sum()
    revenue = revenue.sort_values(ascending=False)
    top = revenue.head(int(0.2 * len(revenue))).sum() / revenue.sum()
    assert top >= 0.65


def test_sales_are_seasonal(small):
    t = small[0]["transactions"]
    by_month = t.groupby(t["date"].dt.month)["revenue"].sum()
    assert by_month[[10, 11, 12]].mean() > 1.15 * by_month.mean()
    assert by_month[8] < 0.75 * by_month.mean()


def test_product_lines_differ_in_margin_and_discounts_exist(small):
    t = small[0]["transactions"]
    inv = t[t["doc_type"] == "invoice"]
    margin = 1 - inv.groupby("product_line")["cost"].sum() / inv.groupby("product_line")[
        "revenue"].sum()
    assert len(margin) >= 6
    assert margin.max() - margin.min() > 0.15
    assert (inv["discount"] > 0).mean() > 0.5


def test_only_key_candidates_have_dossiers(small):
    frames, _ = small
    ids = set(frames["accounts"]["account_id"])
    dossier = set(frames["contacts"]["account_id"])
    assert len(dossier) == 15  # 10% of 150
    for table in ("competitors", "wallet", "needs", "swot", "opportunities", "goals",
                  "actions"):
        assert set(frames[table]["account_id"]) <= dossier, table
    tail_feedback = set(frames["feedback"]["account_id"]) - dossier
    assert tail_feedback and tail_feedback <= ids - dossier
    # the candidates are among the largest customers
    revenue = frames["transactions"].groupby("account_id")["revenue"].sum()
    assert revenue[sorted(dossier)].median() > revenue.quantile(0.8)


def test_shares_of_wallet_fit_in_the_wallet(small, cx):
    for frames in (small[0], cx.tables):
        comp = frames["competitors"]
        total = comp.groupby(["account_id", "year"])["share_of_wallet"].sum()
        assert (total < 1.0).all()


def test_names_use_several_scripts_and_countries(small):
    accounts = small[0]["accounts"]
    names = accounts["name"]
    assert names.str.contains(CYRILLIC).any()
    assert names.str.contains(PERSIAN).any()
    assert names.str.contains(LATIN_DIACRITIC).any()
    assert accounts["country"].nunique() >= 10


def test_as_of_and_years_bound_the_dates():
    frames, meta = synth.generate_frames(accounts=60, years=2, seed=4, as_of="2025-12-31",
                                         currency="PLN")
    dates = frames["transactions"]["date"]
    assert meta["as_of"] == "2025-12-31" and meta["currency"] == "PLN"
    assert dates.max() <= pd.Timestamp("2025-12-31")
    assert dates.min() > pd.Timestamp("2023-12-31")
    assert from_frames(frames, meta).report.ok


def test_rows_grow_linearly_with_accounts():
    """The engine is vectorised: ten times the customers, about ten times the lines."""
    small_n = len(synth.generate_frames(accounts=500, years=2, seed=11)[0]["transactions"])
    large_n = len(synth.generate_frames(accounts=5000, years=2, seed=11)[0]["transactions"])
    assert 8.0 < large_n / small_n < 12.0
    # the default density: about 33 lines per customer and year
    assert 25 * 5000 * 2 < large_n < 45 * 5000 * 2


@pytest.mark.parametrize("kwargs, parameter", [
    ({"accounts": 0}, "accounts"),
    ({"years": 0}, "years"),
    ({"lines_per_account_year": 0.5}, "lines_per_account_year"),
    ({"as_of": "not a date"}, "as_of"),
])
def test_bad_parameters_are_named(kwargs, parameter):
    with pytest.raises(ParameterError) as err:
        synth.generate_frames(**kwargs)
    assert err.value.parameter == parameter


def test_write_frames_as_parquet_loads_back(tmp_path):
    frames, meta = synth.generate_frames(accounts=40, years=2, seed=5)
    out = synth.write((frames, meta), tmp_path / "p", format="parquet")
    p = kamkit.load(out)
    assert p.report.ok
    pd.testing.assert_frame_equal(p.transactions, frames["transactions"])
    with pytest.raises(ParameterError):
        synth.write((frames, meta), out, format="parquet")
    synth.write(from_frames(frames, meta), out, format="parquet", overwrite=True)


# --------------------------------------------------------------------------------------
# Company X: the committed dataset


def test_committed_dataset_is_what_the_generator_makes(cx, tmp_path):
    fresh = save(cx, tmp_path / "company_x", "csv")
    committed = sorted(p.name for p in DATASET.iterdir())
    assert committed == sorted(p.name for p in fresh.iterdir())
    for name in committed:
        assert (fresh / name).read_bytes() == (DATASET / name).read_bytes(), (
            f"{name} differs from a fresh company_x(): regenerate datasets/company_x")


def test_committed_dataset_loads_cleanly():
    p = kamkit.load(DATASET)
    assert p.report.errors == [] and p.report.warnings == [], p.report.render()
    assert p.missing_tables == []
    assert 15_000 <= len(p.transactions) <= 35_000
    assert sum(f.stat().st_size for f in DATASET.iterdir()) < 5_000_000


def test_company_x_is_deterministic(cx):
    again = synth.company_x()
    for name in cx.tables:
        pd.testing.assert_frame_equal(cx.tables[name], again.tables[name], obj=name)


# --------------------------------------------------------------------------------------
# Company X: the portfolio


def test_company_x_meta_and_shape(cx):
    m = cx.meta
    assert (m.name, m.company, m.currency, m.key_account_managers) == (
        "Company X", "Company X", "EUR", 3)
    assert cx.as_of == pd.Timestamp("2026-06-30")
    t = cx.transactions
    assert t["date"].min() >= pd.Timestamp("2023-07-01")
    assert t["date"].max() <= cx.as_of
    assert 140 <= len(cx.accounts) <= 160
    assert cx.accounts["country"].nunique() >= 10
    assert {"power supplies", "spare parts", "service contracts"} <= set(t["product_line"])


def test_company_x_ids_put_the_story_first(cx):
    ids = cx.accounts["account_id"].tolist()
    assert ids == sorted(ids)
    assert ids[:len(CAST)] == list(CAST)
    assert ids[len(CAST)] == f"CX-{len(CAST) + 1:03d}"


def test_three_largest_customers_buy_over_half(cx, cx_sales):
    assert cx.summary().top3_share > 0.5
    top3 = cx_sales.sort_values("rank").index[:3]
    assert set(top3) == {"CX-001", "CX-002", "CX-003"}
    last = cx_sales[0].sort_values(ascending=False)
    assert last.head(int(0.2 * len(last))).sum() / last.sum() >= 0.65


def test_names_in_latin_cyrillic_and_persian(cx):
    names = cx.accounts.set_index("account_id")["name"]
    anchors = names[["CX-001", "CX-002", "CX-003"]]
    assert anchors.str.contains(CYRILLIC).sum() == 1
    assert names.str.contains(PERSIAN).any() and names.str.contains(LATIN_DIACRITIC).any()
    assert cx.contacts["name"].str.contains(PERSIAN).any()
    assert cx.contacts["name"].str.contains(CYRILLIC).any()


def test_price_only_customer_is_big_but_not_key_material(cx, cx_sales):
    acc = cx.account("CX-004")
    assert 4 <= cx_sales.loc["CX-004", "rank"] <= 6
    top15 = cx_sales[cx_sales["rank"] <= 15]
    assert cx_sales.loc["CX-004", "margin"] == top15["margin"].min()
    assert cx_sales.loc["CX-004", "margin"] < 0.15
    assert cx_sales.loc["CX-004", "discount_rate"] == top15["discount_rate"].max()
    assert cx_sales.loc["CX-004", "discount_rate"] > 0.15
    assert (acc["strategic_role"], acc["collaboration"]) == (1, 1)
    assert acc["growth_potential"] <= 2
    assert (acc["relationship_stage"], acc["ladder_step"]) == ("basic", "commodity_broker")
    assert acc["accepts_key_status"] is False or acc["accepts_key_status"] == False  # noqa: E712


def test_small_market_leader_is_strategic_not_big(cx, cx_sales):
    acc = cx.account("CX-005")
    assert PERSIAN.search(acc["name"])
    assert cx_sales.loc["CX-005", "rank"] > 15
    assert (acc["strategic_role"], acc["collaboration"]) == (5, 5)
    assert cx_sales.loc["CX-005", "margin"] > 0.4
    assert cx_sales.loc["CX-005", "margin"] == cx_sales.loc[list(CAST), "margin"].max()


def test_fast_grower_grows_fastest(cx, cx_sales):
    meaningful = cx_sales[(cx_sales[2] >= 100_000) & (cx_sales[0] >= 100_000)]
    cagr = ((meaningful[0] / meaningful[2]) ** 0.5 - 1).sort_values(ascending=False)
    assert cagr.index[0] == "CX-006"
    assert cagr.iloc[0] > 1.0 and cagr.iloc[0] > 3 * cagr.iloc[1]
    assert 5 <= cx_sales.loc["CX-006", "rank"] <= 15
    assert cx.account("CX-006")["growth_potential"] == 5
    opp = cx.opportunities.groupby("account_id")["value_3y"].sum()
    assert opp.idxmax() == "CX-006"


def test_enough_credible_candidates_for_a_cap_of_nine(cx):
    with_dossier = set(cx.contacts["account_id"]) | set(cx.goals["account_id"])
    credible = [a for a in CAST if a != "CX-004"]
    assert 12 <= len(credible) <= 15
    assert set(credible) - with_dossier == {"CX-011"}  # the empty dossier
    tail = set(cx.accounts["account_id"]) - set(CAST)
    for table in ("contacts", "competitors", "wallet", "needs", "swot", "opportunities",
                  "goals", "actions"):
        assert not set(cx.tables[table]["account_id"]) & tail, table


# --------------------------------------------------------------------------------------
# Company X: every intended gap is there, and only where intended


def _flags(p) -> dict[str, set[str]]:
    """Recompute each story flag with the definitions of the story file."""
    as_of = p.as_of
    out: dict[str, set[str]] = {a: set() for a in CAST}
    c = p.contacts
    for aid, g in c.groupby("account_id"):
        if (g["relationship_strength"] >= 4).sum() == 1:
            out[aid].add("single_threaded")
        if not ((g["level"] == "executive") & (g["attitude"] == "sponsor")).any():
            out[aid].add("no_executive_sponsor")
        if {"economic_buyer", "technical_buyer", "user_buyer", "coach"} - set(g["buying_role"]):
            out[aid].add("uncovered_buying_role")
        key = g[g["influence"] >= 4]
        if (key["last_contact"].isna() | (key["last_contact"] < as_of - pd.Timedelta(
                days=90))).any():
            out[aid].add("stale_contact")
        if (g["attitude"] == "anti_sponsor").sum() == 1:
            out[aid].add("anti_sponsor")
    revenue = sales_by_account(p.transactions, *period(as_of))["revenue"]
    wallet = p.wallet[p.wallet["year"] == as_of.year].set_index("account_id")["spend"]
    comp = p.competitors[p.competitors["year"] == as_of.year]
    for aid, g in comp.groupby("account_id"):
        if g["share_of_wallet"].max() > revenue[aid] / wallet[aid]:
            out[aid].add("competitor_ahead")
    acc = p.accounts.set_index("account_id")
    for aid in CAST:
        review = acc.loc[aid, "last_review"]
        if pd.isna(review) or review < as_of - pd.DateOffset(months=3):
            out[aid].add("stale_dossier")
        if not any((p.tables[t]["account_id"] == aid).any() for t in (
                "contacts", "competitors", "needs")):
            out[aid].add("empty_dossier")
    a = p.actions
    overdue = (a["due"] < as_of) & ~a["status"].isin(["done", "cancelled"])
    for aid in a.loc[overdue, "account_id"]:
        out[aid].add("overdue_actions")
    for aid in a.loc[a["owner"].isna(), "account_id"]:
        out[aid].add("action_without_owner")
    for aid in p.goals.loc[~p.goals["goal_id"].isin(a["goal_id"]), "account_id"]:
        out[aid].add("goal_without_actions")
    threatened = set(p.competitors.loc[p.competitors["threat"] == "high", "account_id"])
    protected = set(p.goals.loc[p.goals["move"] == "protect", "account_id"])
    for aid in threatened - protected:
        out[aid].add("no_protect_goal")
    for aid, g in a.groupby("account_id"):
        if len(g) >= 5 and g["department"].value_counts(normalize=True).iloc[0] >= 0.6:
            out[aid].add("department_overload")
    return out


def test_story_flags_are_exactly_the_intended_ones(cx):
    found = _flags(cx)
    for aid, spec in CAST.items():
        assert found[aid] == set(spec["flags"]), aid
    assert set(STORY["flag_definitions"]) == {f for v in found.values() for f in v}


def test_anchors_are_clean_at_stage_two(cx):
    found = _flags(cx)
    stage2 = {"single_threaded", "no_executive_sponsor", "uncovered_buying_role",
              "competitor_ahead", "empty_dossier"}
    for aid in ("CX-001", "CX-002", "CX-003"):
        assert not found[aid] & stage2, aid
    assert found["CX-001"] == set()


def test_decision_making_units(cx):
    sizes = cx.contacts.groupby("account_id").size()
    assert sizes.between(4, 9).all()
    anti = cx.contacts[cx.contacts["attitude"] == "anti_sponsor"]
    assert set(anti["account_id"]) == {"CX-002", "CX-009"}
    assert (anti["influence"] >= 4).all()
    assert set(cx.contacts["level"]) == {"executive", "senior", "middle", "operational"}
    assert set(cx.contacts["attitude"]) == {"sponsor", "supporter", "neutral", "skeptic",
                                             "anti_sponsor"}


def test_empty_dossier_candidate(cx, cx_sales):
    for table in ("contacts", "needs", "competitors", "wallet", "swot", "opportunities",
                  "goals"):
        assert not (cx.tables[table]["account_id"] == "CX-011").any(), table
    assert cx_sales.loc["CX-011", "rank"] <= 15
    assert pd.isna(cx.account("CX-011")["last_review"])


def _smart_failures(goal: pd.Series, p) -> set[str]:
    """Which SMART test a goal fails, judged simply (the workshop's reading)."""
    fails = set()
    if pd.isna(goal["metric"]):
        fails.add("vague")
    elif pd.isna(goal["baseline"]) or pd.isna(goal["target"]):
        fails.add("no_numbers")
    if pd.isna(goal["deadline"]):
        fails.add("no_deadline")
    elif goal["deadline"] <= p.as_of:
        fails.add("deadline_passed")
    elif goal["deadline"] > p.as_of + pd.DateOffset(years=1):
        fails.add("too_far")
    known = set(p.needs["need_id"]) | set(p.opportunities["opportunity_id"])
    if pd.isna(goal["linked_to"]) or goal["linked_to"] not in known:
        fails.add("not_linked")
    if not (pd.isna(goal["baseline"]) or pd.isna(goal["target"]) or pd.isna(
            goal["deadline"])):
        years = max((goal["deadline"] - goal["start"]).days / 365.25, 1 / 12)
        if goal["baseline"]:
            if abs(goal["target"] - goal["baseline"]) / abs(goal["baseline"]) / years > 1.0:
                fails.add("absurd_target")
        else:
            opp = p.opportunities.set_index("opportunity_id")
            if goal["linked_to"] in opp.index and goal["target"] > opp.loc[
                    goal["linked_to"], "value_1y"]:
                fails.add("absurd_target")
    return fails


def test_goals_are_smart_except_the_deliberate_ones(cx):
    intended = {}
    for aid, spec in CAST.items():
        for i, g in enumerate(spec.get("dossier", {}).get("goals", []), start=1):
            intended[f"G-{aid[3:]}-{i}"] = g.get("flaw")
    flawed = {gid: f for gid, f in intended.items() if f}
    assert len(flawed) >= 4
    assert set(flawed.values()) == {"vague", "no_numbers", "absurd_target", "no_deadline",
                                    "deadline_passed", "not_linked"}
    for _, goal in cx.goals.iterrows():
        found = _smart_failures(goal, cx)
        flaw = intended[goal["goal_id"]]
        assert found == ({flaw} if flaw else set()), (goal["goal_id"], found)


def test_plan_dates_statuses_and_departments(cx):
    a = cx.actions
    assert (a["due"] >= a["start"]).all()
    done = a["status"] == "done"
    assert a.loc[done, "done_date"].notna().all() and a.loc[~done, "done_date"].isna().all()
    assert (a.loc[a["status"] == "planned", "due"] > cx.as_of).sum() >= 1
    assert {"sales", "marketing", "service", "production", "logistics", "finance",
            "engineering"} <= set(a["department"])
    assert {"done", "in_progress", "planned", "blocked"} <= set(a["status"])
    assert a["milestone"].any() and a["budget"].gt(0).any()
    overdue = (a["due"] < cx.as_of) & ~a["status"].isin(["done", "cancelled"])
    assert 3 <= overdue.sum() <= 6
    assert (a["owner"].isna()).sum() == 2


def test_spare_parts_story_runs_through_the_anchors(cx):
    for aid in ("CX-001", "CX-002", "CX-003"):
        needs = cx.table_for("needs", aid)
        pain = needs[needs["kind"] == "pain_point"]["need"].str.lower()
        assert pain.str.contains("spare").any(), aid
        fb = cx.table_for("feedback", aid)
        dips = fb[fb["satisfaction"] <= 2]
        assert len(dips) >= 1 and dips["comment"].str.lower().str.contains("spare").all(), aid
        goals = cx.table_for("goals", aid)
        assert (goals["scope"] == "spare parts").any(), aid
    anchor_actions = cx.actions[cx.actions["account_id"].isin(["CX-001", "CX-002", "CX-003"])]
    assert {"production", "logistics"} <= set(anchor_actions["department"])
    assert anchor_actions["action"].str.contains("spare|warehouse|stock", case=False).sum() >= 5


def test_needs_and_swot_are_complete(cx):
    assert set(cx.needs["kind"]) == {"stated", "hidden", "pain_point"}
    assert {"interview", "data", "swot", "market_trend", "feedback"} <= set(cx.needs["source"])
    for aid, g in cx.swot.groupby("account_id"):
        assert set(g["quadrant"]) == {"strength", "weakness", "opportunity", "threat"}, aid


def test_cross_sell_opportunities_are_whitespace(cx):
    last = cx.transactions[cx.transactions["date"] > cx.as_of - pd.DateOffset(years=1)]
    bought = last.groupby("account_id")["product_line"].unique().map(set)
    cross = cx.opportunities[cx.opportunities["kind"] == "cross_sell"]
    assert len(cross) >= 3
    for _, o in cross.iterrows():
        assert o["product_line"] not in bought[o["account_id"]], o["opportunity_id"]
    assert (cx.opportunities["value_1y"] <= cx.opportunities["value_3y"]).all()


def test_wallet_and_competitors_per_year(cx, cx_sales):
    years = sorted(cx.wallet["year"].unique())
    assert years == [2024, 2025, 2026]
    w = cx.wallet.set_index(["account_id", "year"])["spend"]
    comp = cx.competitors.groupby(["account_id", "year"])["share_of_wallet"].sum()
    for (aid, year), spend in w.items():
        ours = cx_sales.loc[aid, 2026 - year] / spend
        assert ours + comp.get((aid, year), 0.0) <= 1.0, (aid, year)
    shenmao = cx.competitors[(cx.competitors["account_id"] == "CX-002")
                             & (cx.competitors["competitor"] == "Shenmao Electronics")]
    assert shenmao.sort_values("year")["share_of_wallet"].is_monotonic_increasing


def test_stale_dossiers_and_contacts(cx):
    acc = cx.accounts.set_index("account_id").loc[list(CAST)]
    stale = acc["last_review"].isna() | (acc["last_review"] < cx.as_of - pd.DateOffset(
        months=3))
    assert set(acc.index[stale]) == {"CX-003", "CX-011", "CX-012"}
    old = cx.contacts[cx.contacts["last_contact"] < cx.as_of - pd.Timedelta(days=90)]
    assert {"CX-003", "CX-012"} <= set(old["account_id"])


def test_quarterly_feedback_for_every_story_account(cx):
    fb = cx.feedback[cx.feedback["account_id"].isin(list(CAST))]
    assert (fb.groupby("account_id").size() == 12).all()
    assert fb["satisfaction"].between(1, 5).all() and fb["nps"].between(0, 10).all()
    assert np.isin(cx.feedback["account_id"], list(CAST)).mean() < 0.9  # the tail answers too


def test_relationship_starts_before_the_first_invoice(small, cx):
    for accounts, t in ((small[0]["accounts"], small[0]["transactions"]),
                        (cx.accounts, cx.transactions)):
        first_sale = t.groupby("account_id")["date"].min().dt.year
        first_year = accounts.set_index("account_id")["first_year"]
        assert (first_year[first_sale.index] <= first_sale).all()


def test_generated_plans_use_the_three_moves(small):
    frames, _ = small
    goals = frames["goals"]
    assert set(goals["move"]) == {"penetrate", "expand", "protect"}
    known = set(frames["needs"]["need_id"]) | set(frames["opportunities"]["opportunity_id"])
    assert goals["linked_to"].isin(known).all()
    assert (goals["deadline"] > pd.Timestamp("2026-06-30")).all()
