"""Stage 2, the account dossier: every section, every flag, the gaps, on hand-built data.

Each relationship risk flag has a case that raises it and one that does not, on a
small portfolio built with :func:`kamkit.from_frames` around a "healthy" account that
raises nothing. Company X's story accounts are checked in test_dossier_story.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kamkit
from kamkit.charts import dossier as charts
from kamkit.data import labels
from kamkit.data.schema import ATTITUDES, BUYING_ROLES, CONTACT_LEVELS
from kamkit.exceptions import ParameterError, UnknownAccountError
from kamkit.needs import dossier

AS_OF = "2026-06-30"
META = {"currency": "EUR", "as_of": AS_OF, "portfolio": "Test"}


def person(name, level="senior", role="technical_buyer", influence=3, attitude="neutral",
           strength=3, last="2026-06-01", dept="engineering", title="Engineer",
           account="A"):
    return {"account_id": account, "name": name, "title": title, "department": dept,
            "level": level, "buying_role": role, "influence": influence,
            "attitude": attitude, "relationship_strength": strength,
            "our_owner": "Anna Nowak", "last_contact": last}


#: A decision-making unit that raises no flag: two strong relationships, an executive
#: sponsor, every required role covered, every key contact met within 90 days.
HEALTHY = [
    person("Clara Vogt", "executive", "economic_buyer", 5, "sponsor", 4, "2026-06-10",
           "management", "Chief Executive Officer"),
    person("Jonas Weber", "senior", "technical_buyer", 4, "supporter", 4, "2026-06-01",
           "engineering", "Head of Engineering"),
    person("Mia Braun", "middle", "user_buyer", 3, "supporter", 3, "2026-05-15",
           "production", "Production Manager"),
    person("Paul Klein", "operational", "coach", 2, "sponsor", 3, "2026-06-20",
           "quality", "Test Engineer"),
]


def sales(account, line, revenue, date="2026-03-31"):
    return {"date": date, "account_id": account, "product": line[:3].upper(),
            "product_line": line, "quantity": 1, "revenue": revenue, "cost": revenue * 0.7}


def build(contacts=HEALTHY, competitors=None, wallet=None, needs=None, swot=None,
          opportunities=None, last_review="2026-05-01", accounts=None, transactions=None,
          name="Alpha Werke GmbH"):
    """A portfolio around account A; ``None`` tables are left out entirely."""
    frames = {
        "accounts": pd.DataFrame(accounts if accounts is not None else [
            {"account_id": "A", "name": name, "industry": "automation", "segment": "OEM",
             "country": "DE", "owner": "Anna Nowak", "first_year": 2015,
             "last_review": last_review, "description": "Builds automation cells.",
             "decision_process": "Tenders every three years.",
             "previous_suppliers": "Vendor A; Vendor B, Inc."},
            {"account_id": "B", "name": "Beta AG", "industry": "automation",
             "segment": "OEM"},
        ]),
        "transactions": pd.DataFrame(transactions if transactions is not None else [
            sales("A", "power supplies", 1000.0, "2025-03-31"),
            sales("A", "power supplies", 1200.0),
            sales("A", "sensors", 300.0),
            sales("B", "drives", 500.0),
        ]),
    }
    if contacts is not None:
        frames["contacts"] = pd.DataFrame(contacts)
    if competitors is not None:
        frames["competitors"] = pd.DataFrame(competitors)
    if wallet is not None:
        frames["wallet"] = pd.DataFrame(wallet)
    if needs is not None:
        frames["needs"] = pd.DataFrame(needs)
    if swot is not None:
        frames["swot"] = pd.DataFrame(swot)
    if opportunities is not None:
        frames["opportunities"] = pd.DataFrame(opportunities)
    return kamkit.from_frames(frames, META)


RIVAL = {"account_id": "A", "competitor": "Rival Corp", "year": 2026, "share_of_wallet": 0.2,
         "strengths": "price", "weaknesses": "service", "threat": "medium"}
WALLET = [{"account_id": "A", "year": 2026, "spend": 3000.0}]  # our 1500 -> 50%
NEED = {"account_id": "A", "need": "Spare parts in 48 hours", "kind": "pain_point",
        "priority": "high", "source": "interview", "date": "2026-02-01"}


def full(**changes):
    """The healthy account with competitors, wallet and needs, and some changes."""
    args = {"competitors": [RIVAL], "wallet": WALLET, "needs": [NEED]}
    args.update(changes)
    return build(**args)


def flags(p, **thresholds):
    return {f.code: f for f in dossier.relationship_flags(p, "A", thresholds=thresholds)}


def contacts_with(**by_name):
    """HEALTHY with some people's fields replaced: ``contacts_with(Clara_Vogt={...})``."""
    out = []
    for row in HEALTHY:
        key = row["name"].replace(" ", "_")
        if by_name.get(key) is None and key in by_name:
            continue  # None removes the person
        out.append({**row, **by_name.get(key, {})})
    return out


# --------------------------------------------------------------------------------------
# The healthy account raises nothing


def test_healthy_account_raises_no_flag():
    p = full()
    assert flags(p) == {}
    d = dossier.account_dossier(p, "A")
    assert d.flags == ()
    assert d.missing_sections == ["opportunities", "swot"]
    assert "Flags: none" in d.render()


# --------------------------------------------------------------------------------------
# Each flag: raised, and not raised


def test_single_threaded_raised_with_the_one_strong_contact():
    p = full(contacts=contacts_with(Jonas_Weber={"relationship_strength": 3}))
    f = flags(p)["single_threaded"]
    assert [c["name"] for c in f.evidence["strong_contacts"]] == ["Clara Vogt"]
    assert f.evidence["contacts"] == 4 and f.evidence["threshold"] == 4
    assert "Clara Vogt" in f.message and "Single-threaded" in f.message


def test_single_threaded_raised_when_nobody_is_strong():
    p = full(contacts=contacts_with(Jonas_Weber={"relationship_strength": 2},
                                    Clara_Vogt={"relationship_strength": 3}))
    f = flags(p)["single_threaded"]
    assert f.evidence["strong_contacts"] == []
    assert "No strong relationship" in f.message


def test_single_threaded_not_raised_with_two_strong_contacts_or_a_lower_bar():
    assert "single_threaded" not in flags(full())
    p = full(contacts=contacts_with(Jonas_Weber={"relationship_strength": 3}))
    assert "single_threaded" not in flags(p, strong_relationship=3)


def test_no_executive_sponsor_raised_with_the_executives_attitudes():
    p = full(contacts=contacts_with(Clara_Vogt={"attitude": "supporter"}))
    f = flags(p)["no_executive_sponsor"]
    assert f.evidence["executives"] == [{"name": "Clara Vogt",
                                         "title": "Chief Executive Officer",
                                         "attitude": "supporter"}]
    assert "Clara Vogt" in f.message and "Supporter" in f.message


def test_no_executive_sponsor_raised_when_we_know_no_executive():
    p = full(contacts=contacts_with(Clara_Vogt={"level": "senior"}))
    f = flags(p)["no_executive_sponsor"]
    assert f.evidence["executives"] == []
    assert "nobody at executive level" in f.message


def test_no_executive_sponsor_not_raised_with_a_sponsor_at_the_top():
    assert "no_executive_sponsor" not in flags(full())


def test_influential_anti_sponsor_raised():
    anti = person("Olga Roth", "senior", "gatekeeper", 4, "anti_sponsor", 1, "2026-06-01",
                  "procurement", "Head of Procurement")
    f = flags(full(contacts=[*HEALTHY, anti]))["anti_sponsor"]
    assert f.evidence["contacts"] == [{"name": "Olga Roth", "title": "Head of Procurement",
                                       "influence": 4.0, "buying_role": "gatekeeper"}]
    assert "Olga Roth" in f.message


def test_anti_sponsor_without_influence_is_not_flagged():
    anti = person("Olga Roth", "operational", "influencer", 2, "anti_sponsor", 1)
    assert "anti_sponsor" not in flags(full(contacts=[*HEALTHY, anti]))
    assert "anti_sponsor" in flags(full(contacts=[*HEALTHY, anti]), anti_sponsor_influence=2)
    assert "anti_sponsor" not in flags(full())


def test_uncovered_buying_role_raised_with_the_roles():
    p = full(contacts=contacts_with(Paul_Klein=None, Mia_Braun={"buying_role": None}))
    f = flags(p)["uncovered_buying_role"]
    assert f.evidence["roles"] == ["user_buyer", "coach"]
    assert "User buyer" in f.message and "Coach" in f.message


def test_uncovered_buying_role_not_raised_when_covered_or_not_required():
    assert "uncovered_buying_role" not in flags(full())
    p = full(contacts=contacts_with(Paul_Klein=None))
    assert "uncovered_buying_role" in flags(p)
    assert "uncovered_buying_role" not in flags(
        p, required_roles=("economic_buyer", "technical_buyer", "user_buyer"))


def test_stale_contact_raised_for_key_contacts_out_of_touch():
    p = full(contacts=contacts_with(Clara_Vogt={"last_contact": "2026-03-01"},
                                    Jonas_Weber={"last_contact": None}))
    f = flags(p)["stale_contact"]
    people = {c["name"]: c for c in f.evidence["contacts"]}
    assert set(people) == {"Clara Vogt", "Jonas Weber"}
    assert people["Clara Vogt"]["days_since_contact"] == 121
    assert people["Clara Vogt"]["last_contact"] == "2026-03-01"
    assert people["Jonas Weber"]["last_contact"] is None
    assert "Mar 1, 2026" in f.message and "never" in f.message


def test_stale_contact_not_raised_within_the_rule_or_for_minor_contacts():
    exactly_90 = full(contacts=contacts_with(Clara_Vogt={"last_contact": "2026-04-01"}))
    assert "stale_contact" not in flags(exactly_90)  # 90 days is still within the rule
    assert "stale_contact" in flags(exactly_90, contact_days=60)
    minor = full(contacts=contacts_with(Paul_Klein={"last_contact": "2025-01-01"}))
    assert "stale_contact" not in flags(minor)  # influence 2 is not a key contact
    assert "stale_contact" not in flags(full())


def test_competitor_ahead_raised_with_both_shares():
    ahead = {**RIVAL, "share_of_wallet": 0.6, "threat": "high"}
    p = full(competitors=[ahead], wallet=[{"account_id": "A", "year": 2026,
                                           "spend": 5000.0}])
    f = flags(p)["competitor_ahead"]
    assert f.evidence["our_share"] == pytest.approx(0.3)
    assert f.evidence["competitors"] == [{"competitor": "Rival Corp", "share": 0.6,
                                          "threat": "high"}]
    assert f.evidence["year"] == 2026 and f.evidence["year_label"] == "2025/26"
    assert "Rival Corp" in f.message and "60.0%" in f.message and "30.0%" in f.message


def test_competitor_ahead_not_raised_behind_us_or_without_a_wallet():
    assert "competitor_ahead" not in flags(full())
    ahead = {**RIVAL, "share_of_wallet": 0.6}
    no_wallet = full(competitors=[ahead], wallet=None)
    assert "competitor_ahead" not in flags(no_wallet)
    assert "wallet" in dossier.account_dossier(no_wallet, "A").missing_sections


def test_stale_dossier_follows_the_three_month_rule_from_as_of():
    assert "stale_dossier" in flags(full(last_review="2026-03-29"))
    assert "stale_dossier" not in flags(full(last_review="2026-03-30"))
    f = flags(full(last_review=None))["stale_dossier"]
    assert f.evidence["last_review"] is None and "never been reviewed" in f.message
    assert "stale_dossier" not in flags(full(last_review="2026-01-15"), review_months=6)


def test_freshness_is_measured_from_as_of_not_the_wall_clock():
    frames = {"accounts": pd.DataFrame([{"account_id": "A", "name": "Old",
                                         "last_review": "2019-05-01"}]),
              "transactions": pd.DataFrame([sales("A", "x", 10.0, "2019-06-01")])}
    p = kamkit.from_frames(frames, {"currency": "EUR", "as_of": "2019-06-30"})
    f = dossier.freshness(p, "A")
    assert not f.stale and f.age_days == 60
    assert f.review_due == pd.Timestamp("2019-08-01")


def test_empty_dossier_raised_without_contacts_competitors_and_needs():
    p = build(contacts=None)
    d = dossier.account_dossier(p, "A")
    assert d.flag_codes == ["empty_dossier"]  # no contact flags: there are no contacts
    assert d.flags[0].evidence == {"contacts": 0, "competitors": 0, "needs": 0}


def test_empty_dossier_not_raised_when_any_of_the_three_exists():
    assert "empty_dossier" not in flags(build(contacts=None, needs=[NEED]))
    assert "empty_dossier" not in flags(build(contacts=None, competitors=[RIVAL]))
    assert "empty_dossier" not in flags(full())


# --------------------------------------------------------------------------------------
# Sections without data say what is missing and why; nothing crashes


def test_account_without_contacts_gets_a_dossier_that_says_so():
    d = dossier.account_dossier(build(contacts=[person("Xu", account="B")],
                                      competitors=[RIVAL], wallet=WALLET, needs=[NEED]), "A")
    assert "contacts" in d.missing_sections and d.dmu.empty
    text = dossier.narrative(d, "dmu")
    assert "No contacts are recorded" in text and "one person" in text
    assert set(d.dmu.by_level["contacts"]) == {0}
    assert not d.dmu.roles["covered"].any()
    fig = charts.stakeholder_map(d.dmu.contacts)
    assert "No contacts" in fig.axes[0].texts[0].get_text()
    fig = charts.coverage_grid(d.dmu.coverage)
    assert "No contacts" in fig.axes[0].texts[0].get_text()


def test_account_without_competitors_gets_a_dossier_that_says_so():
    d = dossier.account_dossier(full(competitors=None), "A")
    assert "competitors" in d.missing_sections
    assert "protect" in dossier.narrative(d, "competitors")
    assert d.competition.competitors.empty
    # The wallet is known: the bar shows us and the rest, and says nothing is missing.
    assert list(d.competition.split["party"]) == ["us", "rest"]


def test_account_without_wallet_or_competitors_draws_an_explained_chart():
    d = dossier.account_dossier(build(), "A")
    fig = charts.share_of_wallet_bar(d.relationship.wallet)
    assert "share of wallet" in fig.axes[0].texts[0].get_text()
    assert d.relationship.our_share != d.relationship.our_share  # NaN, not 0
    assert d.key_figures()["share_of_wallet"] is None


def test_account_without_needs_gets_a_dossier_that_says_so():
    d = dossier.account_dossier(full(needs=[{**NEED, "account_id": "B"}]), "A")
    assert {"needs", "swot"} <= set(d.missing_sections)
    text = dossier.narrative(d, "needs")
    assert "No needs or pain points are recorded" in text and "goals" in text
    fig = charts.swot_grid(d.needs.swot)
    assert "SWOT" in fig.axes[0].texts[0].get_text()


def test_account_without_sales_gets_a_dossier_that_says_so():
    p = build(transactions=[sales("B", "drives", 500.0)])
    d = dossier.account_dossier(p, "A")
    assert "sales" in d.missing_sections
    assert d.relationship.revenue_12m == 0.0
    assert d.relationship.margin_rate != d.relationship.margin_rate
    fig = charts.revenue_history(d.relationship.by_line, d.relationship.by_year)
    assert "no sales" in fig.axes[0].texts[0].get_text()


def test_missing_table_versus_missing_rows():
    no_table = dossier.account_dossier(build(contacts=None), "A")
    other_account_only = dossier.account_dossier(
        build(contacts=[person("X", account="B")]), "A")
    m1 = next(m for m in no_table.freshness.missing if m.code == "contacts")
    m2 = next(m for m in other_account_only.freshness.missing if m.code == "contacts")
    assert "portfolio has no contacts table" in m1.what
    assert m2.what == "No contacts are recorded."
    assert m1.why == m2.why


def test_missing_table_has_one_row_per_gap():
    d = dossier.account_dossier(build(contacts=None), "A")
    table = d.freshness.missing_table()
    assert len(table) == len(d.missing_sections)
    assert table["why"].str.len().min() > 40


# --------------------------------------------------------------------------------------
# Unknown accounts


def test_unknown_account_fails_at_once_with_close_matches():
    p = full()
    with pytest.raises(UnknownAccountError) as err:
        dossier.account_dossier(p, "AA")
    assert "Did you mean" in str(err.value) and "'A'" in str(err.value)
    with pytest.raises(UnknownAccountError) as err:
        dossier.account_dossier(p, "Alpha")  # a name is not an id, but it is suggested
    assert err.value.suggestions == ("A",)
    with pytest.raises(UnknownAccountError) as err:
        dossier.account_dossier(p, "Beta")
    assert err.value.suggestions == ("B",)


def test_account_id_is_matched_case_insensitively():
    p = kamkit.from_frames({
        "accounts": pd.DataFrame([{"account_id": "CX-1", "name": "X"}]),
        "transactions": pd.DataFrame([sales("CX-1", "x", 10.0)])}, META)
    assert dossier.account_dossier(p, "cx-1").account_id == "CX-1"


# --------------------------------------------------------------------------------------
# The sections themselves


def test_general_information_and_fact_sheet():
    d = dossier.account_dossier(full(), "A")
    g = d.general
    assert g.previous_suppliers == ("Vendor A", "Vendor B, Inc.")
    assert g.years_as_customer == 11
    sheet = g.fact_sheet("EUR")
    facts = dict(zip(sheet["fact"], sheet["value"], strict=True))
    assert facts["Name"] == "Alpha Werke GmbH" and facts["Customer since"] == "2015"
    assert "Employees" not in facts  # unknown facts are left out


def test_relationship_revenue_margin_and_growth():
    d = dossier.account_dossier(full(), "A")
    r = d.relationship
    assert list(r.by_year["label"]) == ["2024/25", "2025/26"]
    assert list(r.by_year["revenue"]) == [1000.0, 1500.0]
    assert r.revenue_12m == 1500.0 and r.revenue_growth == pytest.approx(0.5)
    assert r.margin_rate == pytest.approx(0.3)
    assert r.our_share == pytest.approx(0.5) and r.headroom == pytest.approx(1500.0)
    lines = r.by_line[r.by_line["year"] == 0]
    assert list(lines["product_line"]) == ["power supplies", "sensors"]
    assert list(r.our_people["our_owner"]) == ["Anna Nowak"]
    assert r.our_people["contacts"].iloc[0] == 4
    assert r.our_people["key_contacts"].iloc[0] == 2


def test_decision_making_unit_tables():
    d = dossier.account_dossier(full(), "A")
    assert list(d.dmu.contacts["name"]) == ["Clara Vogt", "Jonas Weber", "Mia Braun",
                                            "Paul Klein"]
    assert list(d.dmu.by_level["level"]) == list(CONTACT_LEVELS)
    assert list(d.dmu.by_level["strong"]) == [1, 1, 0, 0]
    assert list(d.dmu.roles["buying_role"][:4]) == ["economic_buyer", "technical_buyer",
                                                    "user_buyer", "coach"]
    grid = d.dmu.coverage
    assert len(grid) == 4 * 4  # every level x every department we know someone in
    cell = grid[(grid["level"] == "executive") & (grid["department"] == "management")]
    assert cell["contacts"].item() == 1 and cell["strongest"].item() == 4.0


def test_competition_side_by_side_and_change():
    comps = [RIVAL, {**RIVAL, "year": 2025, "share_of_wallet": 0.1},
             {**RIVAL, "competitor": "Small Co", "share_of_wallet": 0.05, "threat": "high",
              "year": 2026}]
    d = dossier.account_dossier(full(competitors=comps), "A")
    c = d.competition.competitors
    assert list(c["competitor"]) == ["Small Co", "Rival Corp"]  # high threat first
    assert c.set_index("competitor").loc["Rival Corp", "share_change"] == pytest.approx(0.1)
    assert list(d.competition.split["party"]) == ["us", "Rival Corp", "Small Co", "rest"]


def test_needs_are_ordered_by_priority_then_pain_points():
    rows = [{**NEED, "need": "later", "priority": "low", "kind": "pain_point"},
            {**NEED, "need": "stated high", "kind": "stated"},
            {**NEED, "need": "hidden high", "kind": "hidden", "source": "data"},
            NEED]
    d = dossier.account_dossier(full(needs=rows), "A")
    assert list(d.needs.needs["need"]) == ["Spare parts in 48 hours", "hidden high",
                                           "stated high", "later"]
    assert len(d.needs.of_kind("pain_point")) == 2
    assert d.needs.by_source.set_index(["source", "kind"])["needs"].sum() == 4


# --------------------------------------------------------------------------------------
# Whitespace


def peers_portfolio(segment_peers=5, industry_peers=0, line_share=1.0):
    """A buys x; its segment peers buy x and y (some of them y), industry peers z."""
    accounts = [{"account_id": "A", "name": "A", "segment": "S", "industry": "I"}]
    rows = [sales("A", "x", 100.0)]
    for i in range(segment_peers):
        pid = f"S{i}"
        accounts.append({"account_id": pid, "name": pid, "segment": "S", "industry": "J"})
        rows.append(sales(pid, "x", 100.0 * (i + 1)))
        if i < round(segment_peers * line_share):
            rows.append(sales(pid, "y", 50.0 * (i + 1)))
    for i in range(industry_peers):
        pid = f"I{i}"
        accounts.append({"account_id": pid, "name": pid, "segment": "T", "industry": "I"})
        rows.append(sales(pid, "z", 10.0))
    accounts.append({"account_id": "Q", "name": "Quiet", "segment": "S", "industry": "I"})
    rows.append(sales("Q", "y", 100.0, "2024-01-31"))  # no sales in the last 12 months
    return kamkit.from_frames({"accounts": pd.DataFrame(accounts),
                               "transactions": pd.DataFrame(rows)}, META)


def test_whitespace_by_segment_with_median_and_mean():
    p = peers_portfolio(5)
    group = dossier.peer_group(p, "A")
    assert group.basis == "segment" and group.account_ids == ("S0", "S1", "S2", "S3", "S4")
    ws = dossier.whitespace(p, "A")
    assert ws["product_line"].tolist() == ["y"]
    row = ws.iloc[0]
    assert row["peers"] == 5 and row["peers_buying"] == 5 and row["penetration"] == 1.0
    assert row["median_revenue"] == 150.0 and row["mean_revenue"] == 150.0
    # Every peer buys y for a third of its purchases: 1/3 of A's 100.
    assert row["median_share"] == pytest.approx(1 / 3)
    assert row["indicative_value"] == pytest.approx(100 / 3)


def test_whitespace_widens_to_industry_then_portfolio():
    p = peers_portfolio(segment_peers=2, industry_peers=5)
    group = dossier.peer_group(p, "A")
    assert group.basis == "industry" and group.value == "I" and len(group.account_ids) == 5
    assert dossier.whitespace(p, "A")["product_line"].tolist() == ["z"]
    p = peers_portfolio(segment_peers=2, industry_peers=1)
    assert dossier.peer_group(p, "A").basis == "portfolio"
    assert dossier.peer_group(p, "A", min_peers=2).basis == "segment"


def test_whitespace_needs_enough_peers_buying():
    p = peers_portfolio(5, line_share=0.2)  # one peer of five buys y
    assert dossier.whitespace(p, "A").empty  # below min_buyers=3
    assert dossier.whitespace(p, "A", thresholds={"min_buyers": 1})["product_line"].tolist() \
        == ["y"]
    assert dossier.whitespace(p, "A", thresholds={"min_buyers": 1,
                                                  "min_penetration": 0.5}).empty


# --------------------------------------------------------------------------------------
# Parameters


def test_thresholds_are_checked():
    with pytest.raises(ParameterError, match="key_influence"):
        dossier.Thresholds(key_influence=0)
    with pytest.raises(ParameterError, match="contact_days"):
        dossier.Thresholds(contact_days=0)
    with pytest.raises(ParameterError, match="required_roles"):
        dossier.Thresholds(required_roles=("boss",))
    with pytest.raises(ParameterError, match="unknown thresholds: contact_dayz"):
        dossier.account_dossier(full(), "A", thresholds={"contact_dayz": 30})
    with pytest.raises(ParameterError, match="years"):
        dossier.relationship(full(), "A", years=0)


def test_thresholds_are_recorded_in_the_results():
    d = dossier.account_dossier(full(), "A", thresholds={"contact_days": 45})
    assert d.key_figures()["thresholds"]["contact_days"] == 45


# --------------------------------------------------------------------------------------
# Results file, text and languages


def test_key_figures_hold_the_contract():
    ahead = {**RIVAL, "share_of_wallet": 0.6}
    d = dossier.account_dossier(full(competitors=[ahead], opportunities=[
        {"account_id": "A", "opportunity": "Service", "product_line": "service",
         "kind": "cross_sell", "value_1y": 100.0, "value_3y": 300.0, "value_5y": 500.0,
         "probability": 0.5}]), "A")
    data = d.key_figures()
    for key in ("account_id", "name", "revenue_12m", "margin_rate", "share_of_wallet",
                "opportunity", "last_review", "stale", "missing_sections", "flags"):
        assert key in data, key
    assert data["opportunity"] == {"1": 50.0, "3": 150.0, "5": 250.0}
    assert data["last_review"] == "2026-05-01" and data["stale"] is False
    assert data["flags"][0]["code"] == "competitor_ahead"
    assert set(data["flags"][0]) == {"code", "message", "evidence"}
    import json

    json.dumps(data, allow_nan=False)


def test_messages_follow_the_language():
    p = full(last_review="2026-01-15")
    f = flags(p)["stale_dossier"]
    with kamkit.use_language("pl"):
        polish = f.message
    assert "Jan 15, 2026" in f.message
    assert "15 sty 2026" in polish


def test_right_to_left_names_are_isolated_only_against_the_direction():
    p = full(contacts=[{**HEALTHY[0], "name": "زهرا محمدی"},
                       {**HEALTHY[1], "relationship_strength": 3}, *HEALTHY[2:]])
    message = flags(p)["single_threaded"].message
    assert "\u2068زهرا محمدی\u2069" in message
    with kamkit.use_language("fa"):
        assert "\u2068زهرا" not in flags(p)["single_threaded"].message


def test_render_summarises_the_dossier():
    text = dossier.account_dossier(full(), "A").render()
    assert text.splitlines()[0] == "Account dossier: Alpha Werke GmbH (A)"
    assert "Share of wallet: 50.0% of 3,000 EUR (2025/26)" in text


def test_every_displayed_column_is_registered():

    for name, (_where, columns) in dossier.VIEWS.items():
        for column in columns:
            assert column in labels._FIELDS, (name, column)


def test_every_view_renders_for_a_full_and_an_empty_dossier():
    for p in (full(), build(contacts=None)):
        d = dossier.account_dossier(p, "A")
        for name in dossier.VIEWS:
            shown = dossier.table(d, name, language="ru")
            assert all(isinstance(c, str) for c in shown.columns)
        for section in dossier.SECTIONS:
            assert dossier.narrative(d, section).strip()
    with pytest.raises(ParameterError):
        dossier.table(d, "nope")


# --------------------------------------------------------------------------------------
# Robustness: any decision-making unit gives a dossier, and the flags follow their rules


people = st.fixed_dictionaries({
    # Any printable text: control characters (Cc) are refused by validation.
    "name": st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1,
                    max_size=12).filter(str.strip),
    "level": st.sampled_from(CONTACT_LEVELS),
    "buying_role": st.one_of(st.none(), st.sampled_from(BUYING_ROLES)),
    "influence": st.integers(1, 5),
    "attitude": st.sampled_from(ATTITUDES),
    "relationship_strength": st.integers(1, 5),
    "last_contact": st.one_of(st.none(), st.dates(
        min_value=pd.Timestamp("2024-01-01").date(),
        max_value=pd.Timestamp(AS_OF).date()).map(str)),
    "department": st.one_of(st.none(), st.sampled_from(["sales", "it", "خرید", "отдел"])),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(people, min_size=1, max_size=8))
def test_any_decision_making_unit_gives_a_dossier(contacts):
    rows = [{"account_id": "A", "title": None, "our_owner": None, **c} for c in contacts]
    d = dossier.account_dossier(build(contacts=rows), "A")
    frame = pd.DataFrame(rows)
    codes = set(d.flag_codes)
    assert ("single_threaded" in codes) == ((frame["relationship_strength"] >= 4).sum() <= 1)
    assert ("no_executive_sponsor" in codes) == (not (
        (frame["level"] == "executive") & (frame["attitude"] == "sponsor")).any())
    assert ("anti_sponsor" in codes) == (
        (frame["attitude"] == "anti_sponsor") & (frame["influence"] >= 3)).any()
    assert len(d.dmu.contacts) == len(rows)
    charts.stakeholder_map(d.dmu.contacts)
    charts.coverage_grid(d.dmu.coverage)
