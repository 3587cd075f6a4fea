"""The dossier on the Company X case study: flags as the story intends, charts in any
script, the HTML export and the ``kamkit dossier`` command."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import kamkit
from kamkit.charts import dossier as charts
from kamkit.charts import title_of, to_png
from kamkit.cli import main
from kamkit.data import synth
from kamkit.needs import dossier
from tests.conftest import COMPANY_X

STORY = json.loads(synth.STORY_PATH.read_text(encoding="utf-8"))
CAST = {a["account_id"]: a for a in STORY["accounts"]}


@pytest.fixture(scope="module")
def cx():
    return kamkit.load(COMPANY_X)


@pytest.fixture(scope="module")
def dossiers(cx):
    return {aid: dossier.account_dossier(cx, aid) for aid in CAST}


# --------------------------------------------------------------------------------------
# The story's flags


@pytest.mark.parametrize("account_id", list(CAST))
def test_flags_match_the_story(dossiers, account_id):
    intended = set(CAST[account_id]["flags"]) & set(dossier.FLAG_CODES)
    assert set(dossiers[account_id].flag_codes) == intended


def test_the_story_raises_every_flag_somewhere():
    raised = {f for spec in CAST.values() for f in spec["flags"]}
    assert set(dossier.FLAG_CODES) <= raised
    for code in dossier.FLAG_CODES:
        assert code in STORY["flag_definitions"]


def test_evidence_names_the_people_and_numbers(dossiers):
    anti = {f.code: f for f in dossiers["CX-009"].flags}
    assert [c["title"] for c in anti["anti_sponsor"].evidence["contacts"]] == [
        "Technical Director"]
    ahead = anti["competitor_ahead"].evidence
    assert ahead["competitors"][0]["competitor"] == "Brevi Automazione"
    assert ahead["competitors"][0]["share"] == pytest.approx(0.42)
    assert ahead["our_share"] == pytest.approx(0.28, abs=0.005)
    stale = {f.code: f for f in dossiers["CX-003"].flags}["stale_contact"].evidence
    assert [c["title"] for c in stale["contacts"]] == ["Head of Procurement"]
    roles = {f.code: f for f in dossiers["CX-010"].flags}["uncovered_buying_role"]
    assert roles.evidence["roles"] == ["economic_buyer"]


def test_the_empty_dossier_says_what_is_missing(dossiers):
    d = dossiers["CX-011"]
    assert d.flag_codes == ["empty_dossier", "stale_dossier"]
    assert d.missing_sections == ["wallet", "opportunities", "contacts", "competitors",
                                  "needs", "swot"]
    assert d.general.description  # what the accounts table knows is still shown
    for section in ("dmu", "competitors", "needs", "opportunity"):
        assert "recorded" in dossier.narrative(d, section), section
    for fig in (charts.stakeholder_map(d.dmu.contacts), charts.coverage_grid(d.dmu.coverage),
                charts.share_of_wallet_bar(d.relationship.wallet),
                charts.swot_grid(d.needs.swot)):
        assert fig.axes[0].texts, title_of(fig)  # a message, not a blank chart
    assert d.relationship.revenue_12m > 0  # sales exist: the revenue chart draws them
    assert d.key_figures()["missing_sections"] == d.missing_sections


def test_whitespace_of_the_case_study(dossiers):
    for aid, line in (("CX-001", "displays"), ("CX-003", "displays"), ("CX-009", "drives")):
        assert line in dossiers[aid].opportunity.whitespace["product_line"].tolist(), aid
        assert dossiers[aid].opportunity.peers.basis == "segment"


def test_the_rising_competitor(dossiers):
    comp = dossiers["CX-002"].competition.competitors.set_index("competitor")
    assert comp.loc["Shenmao Electronics", "share_of_wallet"] == pytest.approx(0.28)
    assert comp.loc["Shenmao Electronics", "share_change"] == pytest.approx(0.08)
    assert comp.index[0] == "Shenmao Electronics"  # the high threat first


def test_key_figures_are_plain_json(dossiers):
    for d in dossiers.values():
        data = d.key_figures()
        assert json.loads(json.dumps(data, allow_nan=False)) == data
        assert data["account_id"] == d.account_id


# --------------------------------------------------------------------------------------
# Charts: names in any script, every language


@pytest.mark.parametrize("language", ["en", "fa", "pl", "ru"])
def test_charts_draw_in_every_language(dossiers, language):
    d = dossiers["CX-005"]  # Persian names
    figures = [
        charts.stakeholder_map(d.dmu.contacts, language=language),
        charts.coverage_grid(d.dmu.coverage, language=language),
        charts.share_of_wallet_bar(d.relationship.wallet, language=language),
        charts.swot_grid(d.needs.swot, language=language),
        charts.revenue_history(d.relationship.by_line, d.relationship.by_year,
                               currency=d.currency, language=language),
    ]
    for fig in figures:
        assert to_png(fig).startswith(b"\x89PNG")


def test_names_reach_the_chart_as_plain_strings(dossiers):
    for aid in ("CX-002", "CX-005"):  # Cyrillic, Persian
        contacts = dossiers[aid].dmu.contacts
        texts = [t.get_text() for t in charts.stakeholder_map(contacts).axes[0].texts]
        assert sorted(texts) == sorted(contacts["name"])  # never reshaped or reversed


def test_charts_are_deterministic(dossiers):
    d = dossiers["CX-002"]
    assert to_png(charts.stakeholder_map(d.dmu.contacts)) == to_png(
        charts.stakeholder_map(d.dmu.contacts))


# --------------------------------------------------------------------------------------
# HTML export


@pytest.mark.slow
def test_html_has_language_direction_and_names(dossiers, tmp_path):
    page = dossier.to_html(dossiers["CX-005"], tmp_path / "fa.html", language="fa").read_text(
        encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="fa" dir="rtl">')
    assert "شرکت تجهیزات پزشکی آریا طب" in page
    for name in dossiers["CX-005"].dmu.contacts["name"]:
        assert name in page
    page = dossier.to_html(dossiers["CX-002"], tmp_path / "en.html", language="en").read_text(
        encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in page
    assert "АО «Казэнергоприбор»" in page and "Ерлан Омаров" in page
    assert page.count("data:image/png;base64,") == 5


def test_html_escapes_every_name(tmp_path):
    evil = "<script>alert('x')</script>"
    frames = {
        "accounts": pd.DataFrame([{"account_id": "<b>A</b>", "name": f"{evil} GmbH",
                                   "description": "<i>bold</i> & more",
                                   "previous_suppliers": "<u>Old</u>"}]),
        "transactions": pd.DataFrame([{"date": "2026-03-01", "account_id": "<b>A</b>",
                                       "product": "P", "product_line": "<em>line</em>",
                                       "quantity": 1, "revenue": 10.0, "cost": 5.0}]),
        "contacts": pd.DataFrame([{"account_id": "<b>A</b>", "name": evil,
                                   "title": "<img src=x onerror=alert(1)>",
                                   "department": "<hr>", "level": "executive",
                                   "buying_role": "economic_buyer", "influence": 5,
                                   "attitude": "anti_sponsor", "relationship_strength": 1,
                                   "our_owner": "<s>me</s>", "last_contact": "2026-01-01"}]),
        "competitors": pd.DataFrame([{"account_id": "<b>A</b>", "competitor": "<svg/onload=x>",
                                      "share_of_wallet": 0.5, "strengths": "<script>",
                                      "weaknesses": None, "threat": "high"}]),
    }
    p = kamkit.from_frames(frames, {"currency": "EUR", "as_of": "2026-06-30"})
    d = dossier.account_dossier(p, "<b>A</b>")
    assert "anti_sponsor" in d.flag_codes
    page = dossier.to_html(d, tmp_path / "evil.html").read_text(encoding="utf-8")
    for raw in ("<script", "<img src=x", "<svg", "<b>", "<i>", "<u>", "<em>", "<hr>", "<s>"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert(" in page
    assert "&lt;svg/onload=x&gt;" in page


# --------------------------------------------------------------------------------------
# The command


def test_cli_prints_the_dossier_and_writes_html(tmp_path, capsys):
    out = tmp_path / "dossier.html"
    assert main(["dossier", str(COMPANY_X), "cx-009", "--html", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Account dossier: Officine Brambilla S.p.A. (CX-009)" in text
    assert "Competitor ahead of us" in text and str(out) in text
    assert '<html lang="en" dir="ltr">' in out.read_text(encoding="utf-8")


def test_cli_honours_the_language(tmp_path):
    out = tmp_path / "fa.html"
    assert main(["dossier", str(COMPANY_X), "CX-014", "--html", str(out), "--language",
                 "fa"]) == 0
    kamkit.set_language("en")  # the command set it for the process
    assert '<html lang="fa" dir="rtl">' in out.read_text(encoding="utf-8")


def test_cli_unknown_account_lists_close_matches(capsys):
    assert main(["dossier", str(COMPANY_X), "CX-0099"]) == 2
    err = capsys.readouterr().err
    assert "Did you mean" in err and "'CX-099'" in err and "Traceback" not in err
