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

from kamkit.html import Document, Notice, Paragraph, Section, Table, render
from kamkit.i18n import LANGUAGES, text_direction, use_language

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
    cells = re.findall(r"<td>(.*?)</td>", page)
    assert cells[:5] == ["A-1", "Nordwerk GmbH", "1,234,567 EUR", "حامی", "10 آوریل 2026"]
    assert cells[5:] == ["A-2", "پارس پزشکی", "-5,200 EUR", "عامل ضدحمایتی", "\u2013"]


def test_the_same_document_reads_left_to_right_in_polish():
    page = render(_document(), language="pl")
    assert re.findall(r"<th>(.*?)</th>", page)[:3] == ["Klient", "Nazwa", "Przychód"]
    assert "<h2>Spis treści</h2>" in page
    with use_language("fa"):  # the page's language wins over the current one
        assert '<html lang="pl" dir="ltr">' in render(_document(), language="pl")
