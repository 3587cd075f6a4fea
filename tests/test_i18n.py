"""Languages: catalogs complete and current, plural rules, number and date formats, reports.

The catalog tests run the same checks as ``python3 tasks.py catalogs check``
(:func:`kamkit.text.catalogs.check`), and then make sure the checks themselves catch each
kind of problem, on broken copies of the real catalogs.
"""

from __future__ import annotations

import contextvars
import copy
import datetime as dt
import re
import shutil

import pandas as pd
import pytest
from babel import Locale

from kamkit.data import labels
from kamkit.exceptions import ParameterError, UnknownAccountError
from kamkit.text import catalogs as i18n_tools
from kamkit.text import i18n
from kamkit.text.i18n import (
    LANGUAGES,
    N_,
    PLURAL_FORMS,
    _,
    check_language,
    format_date,
    format_money,
    format_number,
    format_percent,
    get_language,
    get_numerals,
    ngettext,
    set_language,
    set_numerals,
    text_direction,
    use_language,
    use_numerals,
)
from tests.conftest import SMALL

TRANSLATED = i18n_tools.TRANSLATED
NBSP = "\xa0"


@pytest.fixture(scope="module")
def template():
    return i18n_tools.extract()


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


# --------------------------------------------------------------------------------------
# Extraction and catalogs


def test_extraction_finds_messages_marked_at_import_time(template):
    ids = {_key(m) for m in template if m.id}
    assert "Unique id of the account, as in the CRM." in ids  # Column(...) in a dataclass
    assert "The account this row belongs to." in ids  # N_() as a default argument
    assert "Share of wallet" in ids  # register_fields({... Field(N_(...))})
    assert "Anti-sponsor" in ids  # register_values({...})
    assert "ISO 4217 code of the one currency all money is in." in ids  # META_KEYS
    assert template["{n} error"].id == ("{n} error", "{n} errors")  # ngettext
    assert "python-brace-format" in template["Valid: {path}"].flags


def test_every_message_defined_at_import_time_is_extracted(template):
    """Strings that reach _() through a variable must have been marked where defined."""
    from kamkit.data import schema, validation

    ids = {_key(m) for m in template if m.id}
    runtime = {schema.TRANSACTION_SIGN_RULE, *schema.META_KEYS.values(),
               *labels._VALUES.values(), *(f.label for f in labels._FIELDS.values()),
               *validation.EXPECTED.values()}
    for table in schema.SCHEMAS.values():
        runtime |= {table.description, *(c.description for c in table.columns)}
        if table.enables:
            runtime.add(table.enables)
    assert sorted(runtime - ids) == []


def test_template_is_current():
    problems = i18n_tools.check_template()
    assert not problems, "run: python3 tasks.py catalogs"


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_is_complete_current_and_consistent(language, template):
    problems = i18n_tools.check(language, template)
    assert not problems, "\n".join(str(p) for p in problems)


def _broken(language: str):
    """A copy of a real catalog with one problem of each kind."""
    catalog = copy.deepcopy(i18n_tools.read_catalog(i18n_tools.po_path(language), language))
    catalog.delete("Contents")  # missing
    catalog["Errors"].string = ""  # untranslated
    catalog["Warnings"].flags.add("fuzzy")  # fuzzy
    catalog.add("A message nobody uses any more", "Wiadomość")  # stale
    catalog["Valid: {path}"].string = "Poprawne: {sciezka}"  # placeholders
    catalog["Portfolio: {name}"].string = "Portfolio: {name"  # malformed
    catalog["Share of wallet"].string = "Udział w rynku"  # terminology
    return catalog


def test_check_finds_each_kind_of_problem(template):
    problems = i18n_tools.check("pl", template, catalog=_broken("pl"))
    found = {(p.kind, p.msgid) for p in problems}
    assert found == {
        ("missing", "Contents"),
        ("untranslated", "Errors"),
        ("fuzzy", "Warnings"),
        ("stale", "A message nobody uses any more"),
        ("placeholders", "Valid: {path}"),
        ("malformed", "Portfolio: {name}"),
        ("terminology", "Share of wallet"),
    }


def test_check_counts_plural_forms(template):
    catalog = copy.deepcopy(i18n_tools.read_catalog(i18n_tools.po_path("ru"), "ru"))
    catalog["{n} error"].string = ("{n} ошибка", "{n} ошибки")
    problems = i18n_tools.check("ru", template, catalog=catalog)
    assert [(p.kind, p.msgid) for p in problems] == [("untranslated", "{n} error")]


def test_placeholders_compare_conversions_and_specs():
    assert i18n_tools.placeholders("{id!r} and {n}") == ["{id!r}", "{n}"]
    assert i18n_tools.placeholders("{n} i {id}") != i18n_tools.placeholders("{id!r} and {n}")


def _copy_locale(tmp_path):
    target = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, target)
    return target


def test_update_changes_nothing_when_catalogs_are_current(tmp_path):
    locale = _copy_locale(tmp_path)
    lines: list[str] = []
    assert i18n_tools.update(report=lines.append, locale_dir=locale) == []
    assert lines == []


def test_update_keeps_translations_and_marks_nothing_fuzzy(tmp_path):
    locale = _copy_locale(tmp_path)
    path = i18n_tools.po_path("pl", locale)
    catalog = i18n_tools.read_catalog(path, "pl")
    catalog.delete("Contents")  # as if "Contents" were new in the source
    catalog.add("Table of contents", "Spis treści")  # ... and an older wording removed
    path.write_bytes(i18n_tools._render(catalog))
    lines: list[str] = []
    written = i18n_tools.update(["pl"], report=lines.append, locale_dir=locale)
    assert written == [path]
    assert "pl: new, untranslated 'Contents'" in lines
    assert "pl: removed (no longer in the source) 'Table of contents'" in lines
    updated = i18n_tools.read_catalog(path, "pl")
    assert updated["Contents"].string == "" and not updated["Contents"].fuzzy
    assert "Table of contents" not in updated and not updated.obsolete
    assert updated["Share of wallet"].string == "Udział w portfelu"  # kept
    assert not any(m.fuzzy for m in updated)
    kinds = {(p.kind, p.msgid) for p in i18n_tools.check("pl", locale_dir=locale)}
    assert kinds == {("untranslated", "Contents")}


@pytest.mark.slow
def test_update_with_fuzzy_lists_every_guess(tmp_path):
    locale = _copy_locale(tmp_path)
    path = i18n_tools.po_path("ru", locale)
    catalog = i18n_tools.read_catalog(path, "ru")
    catalog.delete("Other tables: {tables}")
    catalog.add("Other table: {tables}", "Другие таблицы: {tables}")
    path.write_bytes(i18n_tools._render(catalog))
    lines: list[str] = []
    i18n_tools.update(["ru"], fuzzy=True, report=lines.append, locale_dir=locale)
    assert any(line.startswith("ru: GUESSED (fuzzy, check it) 'Other tables: {tables}'")
               for line in lines)
    updated = i18n_tools.read_catalog(path, "ru")
    assert updated["Other tables: {tables}"].fuzzy
    with use_language("ru"):  # fuzzy entries are never shown
        assert i18n_tools.check("ru", locale_dir=locale)[0].kind == "fuzzy"


@pytest.mark.slow
def test_catalogs_command_check_exits_zero(capsys):
    assert i18n_tools.main(["check"]) == 0
    assert "catalogs are complete and current" in capsys.readouterr().out


def test_persian_uses_persian_letters_not_arabic():
    """Persian keyboards sometimes type Arabic ي and ك; the catalogs must not."""
    catalog = i18n_tools.read_catalog(i18n_tools.po_path("fa"), "fa")
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert not re.search("[يك]", text or ""), message.id


# --------------------------------------------------------------------------------------
# Choosing the language


def test_use_language_nests_and_restores():
    assert get_language() == "en"
    with use_language("fa") as code:
        assert code == "fa" and text_direction() == "rtl"
        with use_language("pl"):
            assert get_language() == "pl" and text_direction() == "ltr"
        with use_language(None):
            assert get_language() == "fa"
        assert _("Contents") == "فهرست مطالب"
    assert get_language() == "en" and _("Contents") == "Contents"


def test_set_language_stays_in_its_context():
    def notebook_run() -> str:
        set_language("ru")
        return _("Contents")

    assert contextvars.copy_context().run(notebook_run) == "Содержание"
    assert get_language() == "en"


@pytest.mark.parametrize("given, code", [("PL", "pl"), ("ru_RU", "ru"), ("fa-IR", "fa")])
def test_check_language_normalises(given, code):
    assert check_language(given) == code


def test_unknown_language_is_a_parameter_error():
    with pytest.raises(ParameterError, match="choose one of en, fa, pl, ru"):
        use_language("de").__enter__()


def test_marked_messages_translate_where_shown():
    label = N_("Share of wallet")
    assert label == "Share of wallet"
    with use_language("fa"):
        assert _(label) == "سهم کیف پول"


def test_untranslated_text_passes_through():
    with use_language("pl"):
        assert _("a text no catalog knows") == "a text no catalog knows"
        assert ngettext("{n} thing", "{n} things", 5) == "{n} things"


# --------------------------------------------------------------------------------------
# Plurals


def test_plural_forms_are_babels_cldr_rules_for_whole_numbers():
    for language in LANGUAGES:
        rule = Locale.parse(language).plural_form
        categories = [rule(n) for n in range(1001)]
        order = [c for c in ("zero", "one", "two", "few", "many", "other") if c in categories]
        expected = [order.index(c) for c in categories]
        assert [i18n.plural_index(n, language) for n in range(1001)] == expected, language
        nplurals = int(PLURAL_FORMS[language].split("nplurals=")[1].split(";")[0])
        assert nplurals == len(order), language


@pytest.mark.parametrize("language, expected", [
    ("pl", ["1 błąd", "2 błędy", "5 błędów", "21 błędów", "22 błędy"]),
    ("ru", ["1 ошибка", "2 ошибки", "5 ошибок", "21 ошибка", "22 ошибки"]),
    ("fa", ["1 خطا", "2 خطا", "5 خطا", "21 خطا", "22 خطا"]),
    ("en", ["1 error", "2 errors", "5 errors", "21 errors", "22 errors"]),
])
def test_plural_selection(language, expected):
    with use_language(language):
        got = [ngettext("{n} error", "{n} errors", n).format(n=n) for n in (1, 2, 5, 21, 22)]
    assert got == expected


def test_plural_selection_in_more_messages():
    with use_language("pl"):
        assert [ngettext("{n} warning", "{n} warnings", n).format(n=n)
                for n in (1, 4, 12, 14, 104)] == [
            "1 ostrzeżenie", "4 ostrzeżenia", "12 ostrzeżeń", "14 ostrzeżeń",
            "104 ostrzeżenia"]
    with use_language("ru"):
        assert [ngettext("and {n} more", "and {n} more", n).format(n=n)
                for n in (1, 11)] == ["и ещё 1", "и ещё 11"]


# --------------------------------------------------------------------------------------
# Numbers, money, percentages, dates


@pytest.mark.parametrize("language, number, percent, money", [
    ("en", "1,234,567.89", "25.3%", "1,500,000 EUR"),
    ("pl", f"1{NBSP}234{NBSP}567,89", "25,3%", f"1{NBSP}500{NBSP}000 EUR"),
    ("ru", f"1{NBSP}234{NBSP}567,89", f"25,3{NBSP}%", f"1{NBSP}500{NBSP}000 EUR"),
    ("fa", "1,234,567.89", "25.3%", "1,500,000 EUR"),
])
def test_formats_per_locale(language, number, percent, money):
    assert format_number(1234567.891, 2, language=language) == number
    assert format_percent(0.253, language=language) == percent
    assert format_money(1_500_000, "EUR", language=language) == money


def test_formats_follow_the_current_language():
    with use_language("ru"):
        assert format_number(0.5, 1) == "0,5"
        assert format_date(dt.date(2026, 3, 5)) == "5 мар. 2026\u202fг."


@pytest.mark.parametrize("language, expected", [
    ("en", "Jun 30, 2026"), ("pl", "30 cze 2026"), ("ru", "30 июн. 2026\u202fг."),
    ("fa", "30 ژوئن 2026"),
])
def test_dates_per_locale(language, expected):
    assert format_date(dt.date(2026, 6, 30), language=language) == expected
    assert format_date(pd.Timestamp("2026-06-30 15:00"), language=language) == expected


@pytest.mark.parametrize("value", [None, float("nan"), pd.NaT])
def test_missing_values_are_a_dash(value):
    assert format_date(value) == "\u2013"
    if value is not pd.NaT:
        assert format_number(value) == format_percent(value) == format_money(value, "EUR") \
            == "\u2013"


def test_persian_digits_by_keyword_block_and_setting():
    assert format_number(1234.5, 1, language="fa", numerals="native") == "۱٬۲۳۴٫۵"
    assert format_number(-12, language="fa", numerals="native") == "\u200e\u2212۱۲"
    assert format_percent(0.253, language="fa", numerals="native") == "۲۵٫۳٪"
    assert format_money(1_500_000, "IRR", language="fa", numerals="native") == "۱٬۵۰۰٬۰۰۰ IRR"
    assert format_date(dt.date(2026, 6, 30), language="fa", numerals="native") == "۳۰ ژوئن ۲۰۲۶"
    with use_language("fa"), use_numerals("native"):
        assert format_number(2026) == "۲٬۰۲۶"
        assert format_number(2026, numerals="latin") == "2,026"
    assert get_numerals() == "latin" and format_number(2026, language="fa") == "2,026"


def test_set_numerals_stays_in_its_context():
    def notebook_run() -> str:
        set_numerals("native")
        return format_number(7, language="fa")

    assert contextvars.copy_context().run(notebook_run) == "۷"
    assert get_numerals() == "latin"


@pytest.mark.parametrize("language", ["en", "pl", "ru"])
def test_native_digits_are_latin_where_the_language_writes_latin(language):
    assert format_number(1234.5, 1, language=language, numerals="native") == format_number(
        1234.5, 1, language=language)


def test_unknown_digit_style_is_a_parameter_error():
    with pytest.raises(ParameterError, match="latin, native"):
        format_number(1, numerals="roman")


def test_tables_are_formatted_in_the_reader_language():
    from kamkit.reports.present import table

    frame = pd.DataFrame({"account_id": ["A-1"], "revenue": [1234.5], "margin_rate": [0.253],
                          "attitude": ["anti_sponsor"],
                          "last_review": [pd.Timestamp("2026-04-10")]})
    shown = table(frame, currency="PLN", language="pl")
    assert list(shown.columns) == ["Klient", "Przychód", "Marża %", "Nastawienie",
                                   "Ostatni przegląd"]
    assert shown.iloc[0].tolist() == ["A-1", f"1{NBSP}234 PLN", "25,3%", "Antysponsor",
                                      "10 kwi 2026"]
    with use_numerals("native"):
        shown = table(frame, currency="EUR", language="fa")
    assert shown.iloc[0].tolist() == ["A-1", "۱٬۲۳۴ EUR", "۲۵٫۳٪", "عامل ضدحمایتی",
                                      "۱۰ آوریل ۲۰۲۶"]


# --------------------------------------------------------------------------------------
# What users read: validation reports, summaries, errors


@pytest.fixture
def broken_report(make_portfolio):
    from kamkit.data.portfolio import validate

    path = make_portfolio({
        "accounts.csv": SMALL["accounts.csv"].replace("cooperative", "pal").replace(
            ",4,4,3,", ",9,4,3,") + "A-1,Copy,x,DE,Anna,2015,4,4,3,basic,product_supplier,"
                                    "2030-01-01\n",
        "transactions.csv": SMALL["transactions.csv"].replace("1800.50", "x").replace(
            "A-3,invoice", "A-9,invoice").replace("-1,-520.00", "1,-520.00"),
        "meta.csv": "key,value\nportfolio,Small\nas_of,2026-06-30\nfoo,bar\n",
        "contacts.csv": "account_id,name,level\nA-1,Jan,senior\n",
        "notes.csv": "a,b\n1,2\n",
    })
    report = validate(path)
    assert len(report.errors) > 10 and report.warnings and report.notices
    return report


def _source_fragments() -> dict[str, list[str]]:
    """Per language, English pieces (between placeholders) of each translated message.

    Table and column names and the meta table's keys are left out: a report quotes them
    as they are in the user's files ("the actions table", "portfolio" in meta.csv), in
    every language.
    """
    from kamkit.data.schema import META_KEYS, SCHEMAS

    names = {n for n, schema in SCHEMAS.items()} | set(META_KEYS) | {
        c.name for schema in SCHEMAS.values() for c in schema.columns}
    out: dict[str, list[str]] = {}
    for language in TRANSLATED:
        catalog = i18n_tools.read_catalog(i18n_tools.po_path(language), language)
        pieces = []
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (
                message.string,)
            for source in ids:
                for piece in re.split(r"\{[^}]*\}", source):
                    piece = piece.strip(" .,;:()")
                    if sum(ch.isalpha() for ch in piece) >= 4 and piece not in names and not any(
                            piece in s for s in strings):
                        pieces.append(piece)
        out[language] = pieces
    return out


@pytest.mark.parametrize("language", TRANSLATED)
def test_validation_report_speaks_the_language_only(broken_report, language):
    with use_language(language):
        text = broken_report.render()
        messages = " ".join(broken_report.to_frame()["message"])
    # Whole words only: a path in the report (e.g. pytest's "popen-gw0") is not English.
    english = [p for p in _source_fragments()[language]
               if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", f"{text} {messages}")]
    assert english == []
    with use_language(language):
        assert ngettext("{n} error", "{n} errors", len(broken_report.errors)).format(
            n=len(broken_report.errors)) in text


def test_validation_report_in_english_is_unchanged(broken_report):
    text = broken_report.render()
    assert "Errors:" in text and "expected a value of at most 5" in text
    assert "Job title." in text  # schema descriptions are translated when shown


def test_portfolio_summary_in_each_language(small):
    from kamkit.data.portfolio import load

    portfolio = load(small)
    with use_language("pl"):
        assert f"Przychód z ostatnich 12 miesięcy: 7{NBSP}280 EUR" in portfolio.summary().render()
    with use_language("ru"):
        assert "По состоянию на: 30 июн. 2026\u202fг." in portfolio.summary().render()
    with use_language("fa"), use_numerals("native"):
        assert "درآمد 12 ماه گذشته: ۷٬۲۸۰ EUR" in portfolio.summary().render()


def test_errors_speak_the_language():
    error = UnknownAccountError("CX-9", ["CX-1"])
    with use_language("ru"):
        assert str(error) == "Неизвестный идентификатор клиента 'CX-9'. Возможно, вы имели в " \
                             "виду: 'CX-1'?"


def test_cli_language_and_digits(small, capsys):
    from kamkit.cli import main

    assert main(["validate", "--language", "fa", "--numerals", "native", str(small)]) == 0
    out = capsys.readouterr().out
    assert "درآمد 12 ماه گذشته: ۷٬۲۸۰ EUR" in out and f"معتبر است: {small}" in out
    assert get_language() == "en" and get_numerals() == "latin"  # nothing leaks
