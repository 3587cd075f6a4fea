"""The whole pipeline on Company X, run by papermill through ``kamkit run``.

One shared run (``company_x_run``, tests/conftest.py) executes identification, then the
dossier, the plan and the evaluation of every key account identification selects, then
the portfolio review from the files they wrote. These tests read what it wrote: the
results contract of docs/architecture.md, the case study's story, the index page. A
second shared run (``company_x_edge_run``) covers story accounts that are not key
accounts, where data is thin or missing: no notebook may fail on them.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from kamkit.artifacts import read_json, result_path
from kamkit.data import synth
from kamkit.needs import dossier
from tests.test_plan import check_plan_json

pytestmark = pytest.mark.slow

STORY = json.loads(synth.STORY_PATH.read_text(encoding="utf-8"))
CAST = {a["account_id"]: a for a in STORY["accounts"]}
STAGES = {"01_identification", "02_needs_analysis", "03_account_plan", "04_evaluation",
          "05_portfolio_review"}


def key_accounts(run) -> list[str]:
    data = read_json(result_path(run.run_dir, "identification"))
    return [a["account_id"] for a in data["key_accounts"]]


def test_every_notebook_of_the_pipeline_succeeds(company_x_run):
    summary = company_x_run
    assert summary.ok, summary.render()
    assert {r.stage for r in summary.results} == STAGES
    keys = key_accounts(summary)
    assert len(keys) == 9
    assert sorted(r.account_id for r in summary.results if r.stage == "04_evaluation") == \
        sorted(keys)
    for path in summary.run_dir.rglob("*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, path


def test_the_selection_tells_the_story(company_x_run):
    data = read_json(result_path(company_x_run.run_dir, "identification"))
    keys = key_accounts(company_x_run)
    assert {"CX-001", "CX-002", "CX-003", "CX-005"} <= set(keys)  # anchors, small leader
    assert "CX-004" in {a["account_id"] for a in data["big_not_key"]}
    assert "CX-006" in {a["account_id"] for a in data["potential_key"]}


def test_dossiers_carry_the_story_s_flags(company_x_run):
    for key in key_accounts(company_x_run):
        data = read_json(result_path(company_x_run.run_dir, "dossier", key))
        for field in ("name", "revenue_12m", "margin_rate", "share_of_wallet", "opportunity",
                      "last_review", "stale", "missing_sections", "flags"):
            assert field in data, (key, field)
        assert data["account_id"] == key and data["revenue_12m"] > 0
        assert set(data["opportunity"]) == {"1", "3", "5"}
        codes = {f["code"] for f in data["flags"]}
        assert codes == set(CAST[key]["flags"]) & set(dossier.FLAG_CODES), key
        assert all(f["message"] and isinstance(f["evidence"], dict) for f in data["flags"])
        assert data["stale"] == ("stale_dossier" in codes)


def test_plans_follow_the_contract(company_x_run):
    for key in key_accounts(company_x_run):
        check_plan_json(read_json(result_path(company_x_run.run_dir, "plan", key)), key)


def test_every_key_account_is_evaluated_and_reviewed_from_the_files(company_x_run):
    run_dir = company_x_run.run_dir
    keys = key_accounts(company_x_run)
    bands = {}
    for key in keys:
        data = read_json(result_path(run_dir, "evaluation", key))
        assert data["account_id"] == key
        assert {"score", "band", "trend", "components"} <= set(data["health"])
        bands[key] = data["health"]["band"]
    assert set(bands.values()) <= {"red", "amber", "green"}
    assert bands["CX-001"] == "green" and bands["CX-009"] == "red"
    rv = read_json(result_path(run_dir, "review"))
    assert rv["source"] == "files" and rv["problems"] == []
    assert [h["account_id"] for h in rv["health"]] == keys
    assert {h["account_id"]: h["health_band"] for h in rv["health"]} == bands
    assert {r["kind"] for r in rv["recommendations"]} >= {"promote", "rebalance"}


def test_index_links_every_page_and_shows_health_and_advice(company_x_run):
    page = (company_x_run.run_dir / "index.html").read_text(encoding="utf-8")
    for label in ("Green", "Amber", "Red"):
        assert f"<td>{label}</td>" in page
    for key in key_accounts(company_x_run):
        for stage in ("02_needs_analysis", "03_account_plan", "04_evaluation"):
            href = f'href="accounts/{key}/{stage}.html"'
            assert href in page, href
            assert (company_x_run.run_dir / "accounts" / key / f"{stage}.html").exists()
    assert "Next cycle" in page and "<td>Promote</td>" in page


def test_accounts_with_thin_data_still_run(company_x_edge_run):
    run = company_x_edge_run
    assert run.ok, run.render()
    empty = read_json(result_path(run.run_dir, "dossier", "CX-011"))
    assert empty["missing_sections"] == ["wallet", "opportunities", "contacts",
                                         "competitors", "needs", "swot"]
    no_plan = read_json(result_path(run.run_dir, "plan", "CX-011"))
    assert no_plan["goals"] == 0 and [f["code"] for f in no_plan["flags"]] == ["no_plan"]
    for key in ("CX-004", "CX-006", "CX-011"):
        check_plan_json(read_json(result_path(run.run_dir, "plan", key)), key)
        evaluation = read_json(result_path(run.run_dir, "evaluation", key))
        assert evaluation["account_id"] == key and evaluation["health"]["band"]


def _english_fragments(min_words: int = 4) -> set[str]:
    """Every stretch of at least ``min_words`` English words in the code's catalog.

    A message is cut at its ``{placeholders}``, so "Net revenue {now} in {year} against
    {before}" gives nothing, and "No satisfaction answer in the last 12 months." gives
    itself: whatever piece of a catalog message could reach a page untranslated.
    """
    import re

    from babel.messages.pofile import read_po

    from kamkit.text.i18n import LOCALE_DIR

    with open(LOCALE_DIR / "kamkit.pot", "rb") as handle:
        template = read_po(handle)
    fragments = set()
    for message in template:
        for text in ([message.id] if isinstance(message.id, str) else message.id):
            for piece in re.split(r"\{[^{}]*\}", text or ""):
                piece = " ".join(piece.split()).strip(" .,:;()-")
                if len(re.findall(r"[A-Za-z]{2,}", piece)) >= min_words:
                    fragments.add(piece)
    return fragments


def _visible_text(page: str) -> str:
    import html
    import re

    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_a_persian_run_is_persian_throughout(company_x_run_fa, company_x_run):
    run = company_x_run_fa
    assert run.ok, run.render()
    pages = sorted(run.run_dir.rglob("*.html"))
    assert len(pages) == 1 + 2 + 3 * len(key_accounts(run))  # index, 01, 05, 3 per account
    fragments = _english_fragments()
    # the scan is worth something: it finds plenty in the same pages of the English run
    for english in ("index.html", "accounts/CX-001/04_evaluation.html"):
        text = _visible_text((company_x_run.run_dir / english).read_text(encoding="utf-8"))
        assert sum(f in text for f in fragments) >= 5, english
    for page in pages:
        source = page.read_text(encoding="utf-8")
        assert '<html lang="fa" dir="rtl">' in source, page
        text = _visible_text(source)
        assert "missing from font" not in text, page  # a chart with empty boxes
        left = sorted(f for f in fragments if f in text)
        assert not left, (page.relative_to(run.run_dir), left[:5])


def test_a_persian_run_tells_the_story_in_persian(company_x_run_fa):
    """Every Markdown cell of the executed notebooks is its Persian translation."""
    import re

    from kamkit.text.narrative import NOTEBOOKS

    english = {}
    for source in NOTEBOOKS.glob("0*.ipynb"):
        nb = nbformat.read(str(source), as_version=4)
        english[source.name] = {c.source for c in nb.cells if c.cell_type == "markdown"}
    for path in sorted(company_x_run_fa.run_dir.rglob("0*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and re.search(r"[A-Za-z]{3}", cell.source):
                assert cell.source not in english[path.name], (path.name, cell.source[:80])
                assert re.search("[\u0600-\u06ff]", cell.source), (path.name, cell.source[:80])
