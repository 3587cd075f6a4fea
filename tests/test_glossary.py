"""The KAM glossary: complete in four languages, current in docs, used by the catalogs."""

from __future__ import annotations

import re

import pytest

from kamkit.reports.present import table
from kamkit.text.glossary import (
    GLOSSARY,
    TERMS,
    glossary,
    glossary_markdown,
    term,
    terminology_problems,
)
from kamkit.text.i18n import LANGUAGES
from tests.conftest import ROOT

REQUIRED = {
    "key_account", "key_account_management", "key_account_manager", "decision_making_unit",
    "sponsor", "anti_sponsor", "coach", "economic_buyer", "share_of_wallet", "whitespace",
    "smart_goal", "perception_ladder", "commodity_broker", "product_supplier",
    "value_enhancer", "penetrate", "expand", "protect", "customer_lifetime_value", "nps",
    "health_score", "dossier", "pain_point", "hidden_need", "relationship_stage",
    "stage_exploratory", "stage_basic", "stage_cooperative", "stage_interdependent",
    "stage_integrated", "pareto_principle",
}


def test_glossary_has_the_terms_of_the_method():
    assert set(GLOSSARY) >= REQUIRED
    assert len(GLOSSARY) == len(TERMS)  # keys are unique


@pytest.mark.parametrize("entry", TERMS, ids=lambda t: t.key)
def test_every_term_has_four_languages_and_one_line_definitions(entry):
    for language in LANGUAGES:
        assert entry.names[language].strip()
        definition = entry.definitions[language]
        assert definition.strip() and "\n" not in definition
        assert definition.rstrip().endswith((".", "。", "؟", "?"))
    for language in ("fa",):
        assert not re.search("[يك]", entry.names[language] + entry.definitions[language])


@pytest.mark.parametrize("entry", TERMS, ids=lambda t: t.key)
def test_every_term_matches_its_own_pattern(entry):
    for language in LANGUAGES[1:]:
        assert entry.pattern(language).search(entry.names[language].replace("\u200c", " ")), (
            entry.key, language)


def test_terms_follow_the_seed_texts():
    assert term("key_account", "fa") == "مشتری کلیدی"
    assert term("perception_ladder", "fa") == "پلکان ادراک مشتری"
    assert term("key_account", "pl") == "kluczowy klient"
    assert term("dossier", "ru") == "досье клиента"
    assert term("size_of_opportunity", "ru") == "объём возможностей"


def test_glossary_table_for_a_workshop():
    frame = glossary("pl")
    assert list(frame.columns) == ["term", "english", "definition"]
    assert frame.loc["whitespace", "term"] == "białe plamy"
    assert list(glossary("en").columns) == ["term", "definition"]
    shown = table(frame, language="pl")
    assert list(shown.columns) == ["Termin", "Angielski", "Definicja"]
    assert len(shown) == len(TERMS)


def test_docs_glossary_is_current():
    committed = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert committed == glossary_markdown(), "run: python3 tasks.py docs"


def test_terminology_check_accepts_inflections_and_rejects_other_words():
    good = [("Whether the customer accepts being treated as a key account.",
             "Czy klient zgadza się na traktowanie go jako kluczowego klienta."),
            ("Number of key account managers, for the cap on key accounts.",
             "Число менеджеров по работе с ключевыми клиентами — ... ключевых клиентов.")]
    assert terminology_problems(good[:1], "pl") == []
    assert terminology_problems(good[1:], "ru") == []
    bad = [("One row per need, expectation or pain point found at an account.",
            "Jeden wiersz na potrzebę, oczekiwanie lub problem klienta.")]
    assert terminology_problems(bad, "pl") == [
        (bad[0][0], 'uses no form of the glossary term "bolączka"')]


def test_terminology_check_reads_zwnj_as_a_space():
    assert terminology_problems([("Product/service supplier", "تأمین کننده محصول/خدمات")],
                                "fa") == []


def test_category_labels_are_checked_as_whole_messages():
    assert terminology_problems([("Basic", "Zwykły")], "pl") != []
    # Everyday words ("expand" in a sentence) are not held to the glossary.
    assert terminology_problems([("Expand the table", "Rozwiń tabelę")], "pl") == []
