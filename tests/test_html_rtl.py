"""Reports in right-to-left languages: direction from the page, logical CSS only.

A report reads correctly in Persian when the page declares ``dir="rtl"`` and nothing in
the page fixes a physical side: the stylesheet uses logical properties
(``margin-inline-start``, ``border-inline-start``, ``text-align: start`` ...) and the
tables carry no inline alignment, so tables start on the right, notices have their
stripe on the right, and lists indent from the right, exactly mirrored from the
left-to-right languages.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kamkit.reports.html import Document, Notice, Paragraph, Section, Table, render
from kamkit.text.i18n import LANGUAGES, text_direction, use_language

_PHYSICAL = re.compile(
    r"(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)\b"
    r"|float:\s*(?:left|right)\b|(?<![-\w])(?:left|right)\s*:|caption-side:\s*(?:left|right)")


def _document() -> Document:
    frame = pd.DataFrame({"account_id": ["A-1", "A-2"], "name": ["Nordwerk GmbH", "پارس پزشکی"],
                          "revenue": [1234567.0, -5200.0], "attitude": ["sponsor", "anti_sponsor"],
                          "last_review": [pd.Timestamp("2026-04-10"), pd.NaT]})
    return Document("Dossier", [
        Section("One", [Paragraph("Text."), Table(frame, caption="Accounts"),
                        Notice("Careful", "warning")]),
        Section("Two"), Section("Three")], currency="EUR")


def _style(page: str) -> str:
    return page.split("<style>", 1)[1].split("</style>", 1)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_declares_language_and_direction(language):
    page = render(_document(), language=language)
    assert f'<html lang="{language}" dir="{text_direction(language)}">' in page


def test_stylesheet_uses_logical_sides_only():
    css = _style(render(_document(), language="fa"))
    assert _PHYSICAL.findall(css) == []
    # The rules that would break in RTL with physical sides are there, in logical form.
    assert "text-align: start" in css and "border-inline-start" in css
    assert "padding-inline-start" in css


def test_tables_and_notices_carry_no_physical_alignment():
    page = render(_document(), language="fa")
    body = page.split("<body>", 1)[1]
    assert "style=" not in body and 'align="' not in body
    assert '<div class="notice warning">Careful</div>' in body


def test_persian_report_is_translated_and_formatted():
    page = render(_document(), language="fa")
    headers = re.findall(r"<th>(.*?)</th>", page)
    assert headers == ["مشتری", "نام", "درآمد", "نگرش", "آخرین بازبینی"]
    assert "<h2>فهرست مطالب</h2>" in page
    cells = re.findall(r"<td>(?:<bdi>)?(.*?)(?:</bdi>)?</td>", page)
    assert cells[:5] == ["A-1", "Nordwerk GmbH", "1,234,567 EUR", "حامی", "10 آوریل 2026"]
    assert cells[5:] == ["A-2", "پارس پزشکی", "-5,200 EUR", "عامل ضدحمایتی", "\u2013"]


def test_the_same_document_reads_left_to_right_in_polish():
    page = render(_document(), language="pl")
    assert re.findall(r"<th>(.*?)</th>", page)[:3] == ["Klient", "Nazwa", "Przychód"]
    assert "<h2>Spis treści</h2>" in page
    with use_language("fa"):  # the page's language wins over the current one
        assert '<html lang="pl" dir="ltr">' in render(_document(), language="pl")


_PROBE = """<span id="joined">مشتریان کلیدی</span> <span id="apart">%s</span>
<script>
const box = (e) => e.getBoundingClientRect();
const th = [...document.querySelectorAll("th")].map(box);
const notice = getComputedStyle(document.querySelector(".notice"));
const main = box(document.querySelector("main"));
const item = box(document.querySelector("nav li a"));
document.body.setAttribute("data-probe", JSON.stringify({
  headers_right_to_left: th.every((r, i) => i === 0 || r.right <= th[i - 1].left + 1),
  first_header_at_right_edge: Math.abs(th[0].right - main.right) < 2,
  stripe_right: notice.borderRightWidth, stripe_left: notice.borderLeftWidth,
  list_at_right: Math.abs(item.right - main.right) < 40,
  joined: box(document.getElementById("joined")).width,
  apart: box(document.getElementById("apart")).width,
}));
</script>
"""


@pytest.mark.browser
def test_persian_report_in_a_real_browser(tmp_path):
    """Chromium lays the Persian page out mirrored, with joined letters."""
    import json
    import os
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no headless Chromium installed")
    word = "مشتریان کلیدی"
    page = render(_document(), language="fa").replace(
        "</body>", _PROBE % "\u200c".join(word) + "</body>")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    # Chromium's profile and sockets go to a short private folder (a socket path in
    # pytest's deep tmp_path is too long for Unix sockets), removed afterwards.
    scratch = Path(tempfile.mkdtemp(prefix="kk-"))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={scratch / 'profile'}",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
    try:
        result = subprocess.run([browser, *flags, "--dump-dom", path.as_uri()],
                                capture_output=True, text=True, timeout=120,
                                env={"TMPDIR": str(scratch), "HOME": str(scratch),
                                     "PATH": os.environ.get("PATH", "")})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    found = re.search(r'data-probe="([^"]*)"', result.stdout)
    assert found, result.stderr[-2000:]
    probe = json.loads(found[1].replace("&quot;", '"'))
    assert probe["headers_right_to_left"] and probe["first_header_at_right_edge"]
    assert probe["stripe_right"] == "4px" and probe["stripe_left"] == "0px"
    assert probe["list_at_right"]
    assert probe["joined"] < 0.9 * probe["apart"]
