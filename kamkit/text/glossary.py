"""The KAM glossary in four languages: the terms the kit and its trainers use.

Each term has its English, Persian, Polish and Russian form and a one-line definition
in each language. The translations follow the source texts of the method (the seeds:
Persian "مشتری کلیدی", "پلکان ادراک مشتری", "نقاط درد"; Polish "kluczowy klient",
"plan dla kluczowego klienta"; Russian "ключевой клиент", "досье", "объём
возможностей") and the usual business vocabulary of each language where the seeds are
silent. The message catalogs must use the same words: :func:`terminology_problems`
checks every translation of a message that contains a glossary term, and
``tests/test_i18n.py`` runs it.

Polish and Russian inflect nouns and adjectives ("kluczowego klienta", "ключевыми
клиентами"), so a translation need not contain the dictionary form; each term may give
a regular expression of the forms it accepts (``forms``), kept as small as the grammar
allows. Persian spellings are compared with the zero-width non-joiner read as a space
("تأمین‌کننده" = "تأمین کننده").

``docs/glossary.md`` is generated from this module (``python3 tasks.py docs``); a test
keeps it current. For a workshop, :func:`glossary` gives the table in one language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from kamkit.data.labels import Field, register_fields
from kamkit.text.i18n import LANGUAGES, N_, check_language

__all__ = ["Term", "TERMS", "GLOSSARY", "glossary", "glossary_markdown", "term",
           "terminology_problems"]


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    Parameters
    ----------
    key : str
        Stable snake_case id.
    names : mapping
        Language code -> the term in that language.
    definitions : mapping
        Language code -> a one-line definition in that language.
    forms : mapping, optional
        Language code -> regular expression of the (inflected) forms a translation may
        use; default: the term itself.
    source : tuple of str, optional
        English words that are this term inside a longer message (default: the English
        term). Empty for terms that are also everyday English words.
    labels : tuple of str, optional
        Whole messages that are this term (a table's category label such as
        ``"Exploratory"``).
    """

    key: str
    names: Mapping[str, str]
    definitions: Mapping[str, str]
    forms: Mapping[str, str] = field(default_factory=dict)
    source: tuple[str, ...] | None = None
    labels: tuple[str, ...] = ()

    def pattern(self, language: str) -> re.Pattern[str]:
        """The regular expression a translation into ``language`` must match."""
        text = self.forms.get(language) or re.escape(_normalise(self.names[language]))
        return re.compile(text, re.IGNORECASE)

    @property
    def english_sources(self) -> tuple[str, ...]:
        """English words that mark this term inside a message."""
        return (self.names["en"],) if self.source is None else self.source


def _t(key: str, en: str, fa: str, pl: str, ru: str, *, defs: Sequence[str],
       forms: Mapping[str, str] | None = None, source: tuple[str, ...] | None = None,
       labels: tuple[str, ...] = ()) -> Term:
    return Term(key, dict(zip(LANGUAGES, (en, fa, pl, ru), strict=True)),
                dict(zip(LANGUAGES, defs, strict=True)), dict(forms or {}), source, labels)


#: The glossary, in the order of the method: the idea, identification, needs and the
#: decision-making unit, the plan, evaluation, and the relationship stages.
TERMS: tuple[Term, ...] = (
    _t("key_account_management", "key account management", "مدیریت مشتریان کلیدی",
       "zarządzanie kluczowymi klientami", "управление ключевыми клиентами",
       defs=("A systematic approach to managing and growing a limited, identified set of the "
             "organisation's most important customers, to maximise value and mutually "
             "beneficial goals.",
             "رویکردی نظام‌مند برای مدیریت و رشد مجموعه‌ای محدود و شناخته‌شده از مهم‌ترین "
             "مشتریان سازمان، برای بیشینه کردن ارزش و رسیدن به اهداف سودمند مشترک.",
             "Systematyczne podejście do zarządzania i rozwoju ograniczonej, wskazanej grupy "
             "najważniejszych klientów organizacji, tak by zmaksymalizować wartość i "
             "obopólne korzyści.",
             "Системный подход к управлению и развитию ограниченного, чётко определённого "
             "круга важнейших клиентов компании ради максимальной ценности и взаимовыгодных "
             "целей."),
       forms={"pl": r"zarządza\w*\s+kluczowymi\s+klientami",
              "ru": r"управлени\w*\s+ключевыми\s+клиентами"}),
    _t("key_account", "key account", "مشتری کلیدی", "kluczowy klient", "ключевой клиент",
       defs=("A customer the organisation has chosen, by its own written criteria, to manage "
             "as a long-term partner; not simply one of the biggest by revenue.",
             "مشتری‌ای که سازمان بر پایه معیارهای مکتوب خود برگزیده تا آن را همچون شریک "
             "بلندمدت مدیریت کند؛ نه صرفاً یکی از بزرگ‌ترین مشتریان از نظر درآمد.",
             "Klient wybrany przez organizację według jej własnych, spisanych kryteriów, by "
             "prowadzić go jako długoterminowego partnera; nie po prostu jeden z "
             "największych pod względem przychodu.",
             "Клиент, которого компания выбрала по своим письменно закреплённым критериям, "
             "чтобы вести его как долгосрочного партнёра; не просто один из крупнейших по "
             "выручке."),
       forms={"fa": r"مشتری\S*\s+کلیدی",
              "pl": r"kluczow\w*\s+klien[tc]\w*|klien[tc]\w*\s+kluczow\w*",
              "ru": r"ключев\w*\s+клиент\w*"}),
    _t("key_account_manager", "key account manager", "مدیر مشتریان کلیدی",
       "key account manager", "менеджер по работе с ключевыми клиентами",
       defs=("The person responsible for one to three key accounts: plans, coordinates our "
             "departments and keeps the relationship alive on several levels of the "
             "customer.",
             "فردی که مسئول یک تا سه مشتری کلیدی است: برنامه‌ریزی می‌کند، واحدهای سازمان ما "
             "را هماهنگ می‌کند و رابطه را در چند سطح سازمان مشتری زنده نگه می‌دارد.",
             "Osoba odpowiedzialna za jednego do trzech kluczowych klientów: planuje, "
             "koordynuje działy naszej firmy i utrzymuje relacje na kilku szczeblach "
             "organizacji klienta.",
             "Сотрудник, отвечающий за одного–трёх ключевых клиентов: планирует, "
             "координирует наши отделы и поддерживает отношения на нескольких уровнях "
             "компании клиента."),
       forms={"fa": r"مدیر\S*\s+مشتریان\s+کلیدی", "pl": r"key\s+account\s+manager\w*",
              "ru": r"менеджер\w*\s+по\s+работе\s+с\s+ключевыми\s+клиентами"}),
    _t("pareto_principle", "Pareto principle", "اصل پارتو", "zasada Pareto",
       "принцип Парето",
       defs=("Typically about 20% of customers bring about 80% of sales; it motivates the "
             "focus on key accounts but does not decide which they are.",
             "معمولاً حدود ۲۰ درصد مشتریان حدود ۸۰ درصد فروش را می‌سازند؛ این اصل تمرکز بر "
             "مشتریان کلیدی را توجیه می‌کند، اما تعیین نمی‌کند کدام مشتری کلیدی است.",
             "Zwykle około 20% klientów daje około 80% sprzedaży; zasada uzasadnia "
             "skupienie na kluczowych klientach, ale nie rozstrzyga, którzy to są.",
             "Обычно около 20% клиентов дают около 80% продаж; принцип объясняет, зачем "
             "сосредоточиться на ключевых клиентах, но не решает, кто из них ключевой."),
       forms={"pl": r"zasad\w*\s+Pareto", "ru": r"принцип\w*\s+Парето"}),
    _t("share_of_wallet", "share of wallet", "سهم کیف پول", "udział w portfelu",
       "доля кошелька",
       defs=("Our share of what the customer spends, with all its suppliers, on what we "
             "could sell it.",
             "سهم ما از کل خرید مشتری، از همه تأمین‌کنندگان، در اقلامی که ما هم می‌توانیم "
             "بفروشیم.",
             "Nasz udział w tym, co klient wydaje u wszystkich dostawców na to, co "
             "moglibyśmy mu sprzedać.",
             "Наша доля в том, что клиент тратит у всех поставщиков на то, что мы могли бы "
             "ему продать."),
       forms={"fa": r"سهم\s+(از\s+)?کیف\s+پول", "pl": r"udzia\w*\s+w\s+portfelu",
              "ru": r"дол\w*\s+кошелька"}),
    _t("whitespace", "whitespace", "فضای سفید", "białe plamy", "белые пятна",
       defs=("Products or product lines that peers in the same segment buy from us and the "
             "customer does not yet: room for cross-selling and up-selling.",
             "محصولات یا خطوط محصولی که مشتریان هم‌بخش از ما می‌خرند و این مشتری هنوز "
             "نمی‌خرد: جای فروش مکمل و فروش ارتقایی.",
             "Produkty lub linie produktów, które klienci z tego samego segmentu kupują u "
             "nas, a ten klient jeszcze nie: miejsce na sprzedaż krzyżową i sprzedaż w górę.",
             "Продукты или продуктовые линейки, которые клиенты того же сегмента покупают у "
             "нас, а этот клиент пока нет: резерв для перекрёстных и повышающих продаж."),
       forms={"pl": r"biał\w*\s+plam\w*", "ru": r"бел\w*\s+пят\w*"}),
    _t("dossier", "dossier", "پرونده مشتری", "dossier klienta", "досье клиента",
       defs=("The file kept on each key account: general facts, the relationship as we see "
             "it, the size of opportunity, how decisions are made and the competitors; "
             "revised at least every three months.",
             "پرونده‌ای که برای هر مشتری کلیدی نگه داشته می‌شود: اطلاعات عمومی، رابطه از "
             "نگاه ما، اندازه فرصت، سازوکار تصمیم‌گیری و رقبا؛ دست‌کم هر سه ماه بازبینی "
             "می‌شود.",
             "Dokumentacja prowadzona dla każdego kluczowego klienta: informacje ogólne, "
             "relacja z naszej perspektywy, wielkość szansy sprzedażowej, sposób "
             "podejmowania decyzji i konkurenci; przeglądana co najmniej raz na trzy "
             "miesiące.",
             "Досье на каждого ключевого клиента: общие сведения, отношения глазами "
             "компании, объём возможностей, механизм принятия решений и конкуренты; "
             "пересматривается не реже одного раза в три месяца."),
       forms={"fa": r"پرونده", "pl": r"dossier", "ru": r"досье"}),
    _t("size_of_opportunity", "size of opportunity", "اندازه فرصت",
       "wielkość szansy sprzedażowej", "объём возможностей",
       defs=("The revenue the account could bring: next year, and better at three and five "
             "years.",
             "درآمدی که این مشتری می‌تواند بیاورد: در سال آینده، و بهتر از آن در افق سه و "
             "پنج سال.",
             "Przychód, jaki klient może przynieść: w przyszłym roku, a lepiej w horyzoncie "
             "trzech i pięciu lat.",
             "Выручка, которую может принести клиент: на ближайший год, а лучше на три–пять "
             "лет."),
       forms={"pl": r"wielkoś\w*\s+szans\w*", "ru": r"объ[её]м\w*\s+возможностей"}),
    _t("customer_swot", "customer SWOT", "تحلیل SWOT مشتری", "analiza SWOT klienta",
       "SWOT-анализ клиента",
       defs=("Strengths, weaknesses, opportunities and threats of the customer's business, "
             "to see where we can help it.",
             "نقاط قوت، ضعف‌ها، فرصت‌ها و تهدیدهای کسب‌وکار مشتری، برای دیدن جاهایی که "
             "می‌توانیم به او کمک کنیم.",
             "Mocne i słabe strony, szanse i zagrożenia biznesu klienta, by zobaczyć, gdzie "
             "możemy mu pomóc.",
             "Сильные и слабые стороны, возможности и угрозы бизнеса клиента, чтобы увидеть, "
             "где мы можем ему помочь."),
       forms={"fa": r"SWOT", "pl": r"SWOT", "ru": r"SWOT"}),
    _t("pain_point", "pain point", "نقطه درد", "bolączka", "болевая точка",
       defs=("A problem that costs the customer money, time or peace of mind, and that it "
             "wants solved; e.g. spare parts that do not arrive on time.",
             "مشکلی که برای مشتری هزینه، وقت یا دردسر دارد و می‌خواهد حل شود؛ مثلاً "
             "قطعات یدکی که به‌موقع نمی‌رسند.",
             "Problem, który kosztuje klienta pieniądze, czas lub spokój i który chce "
             "rozwiązać; np. części zamienne, które nie docierają na czas.",
             "Проблема, которая стоит клиенту денег, времени или нервов и которую он хочет "
             "решить; например, запчасти, не приходящие вовремя."),
       forms={"fa": r"(نقطه|نقاط)\s+درد", "pl": r"bolącz\w*", "ru": r"болев\w*\s+точк\w*"}),
    _t("hidden_need", "hidden need", "نیاز پنهان", "ukryta potrzeba", "скрытая потребность",
       defs=("A need the customer does not state, found through deep interviews, active "
             "listening and analysis of its data.",
             "نیازی که مشتری به زبان نمی‌آورد و با مصاحبه عمیق، گوش دادن فعال و تحلیل "
             "داده‌های او کشف می‌شود.",
             "Potrzeba, której klient nie wyraża wprost, odkrywana w pogłębionych wywiadach, "
             "przez aktywne słuchanie i analizę danych.",
             "Потребность, которую клиент не называет; её выявляют глубинными интервью, "
             "активным слушанием и анализом данных."),
       forms={"fa": r"پنهان", "pl": r"ukryt\w*", "ru": r"скрыт\w*"}, labels=("Hidden",)),
    _t("stated_need", "stated need", "نیاز بیان‌شده", "potrzeba wyrażona",
       "заявленная потребность",
       defs=("A need the customer tells us about itself.",
             "نیازی که خود مشتری به ما می‌گوید.",
             "Potrzeba, o której klient sam nam mówi.",
             "Потребность, о которой клиент говорит сам."),
       forms={"fa": r"بیان\s*شده", "pl": r"wyrażon\w*", "ru": r"заявленн\w*"},
       labels=("Stated",)),
    _t("decision_making_unit", "decision-making unit", "واحد تصمیم‌گیری", "centrum zakupowe",
       "центр принятия решений",
       defs=("Everyone at the customer who takes part in a buying decision, each with a "
             "buying role, an influence and an attitude towards us.",
             "همه افرادی در سازمان مشتری که در تصمیم خرید نقش دارند، هر یک با نقش خرید، "
             "میزان نفوذ و نگرشی نسبت به ما.",
             "Wszystkie osoby po stronie klienta, które biorą udział w decyzji zakupowej, "
             "każda z rolą zakupową, wpływem i nastawieniem do nas.",
             "Все люди у клиента, участвующие в решении о покупке, у каждого своя роль, "
             "влияние и отношение к нам."),
       forms={"pl": r"centr\w*\s+zakupow\w*", "ru": r"центр\w*\s+принятия\s+решений"}),
    _t("stakeholder", "stakeholder", "ذی‌نفع", "interesariusz", "заинтересованное лицо",
       defs=("A person or group at the customer whose interests the decision touches; big "
             "customers have many, with different interests.",
             "فرد یا گروهی در سازمان مشتری که تصمیم بر منافعش اثر دارد؛ مشتریان بزرگ ذی‌نفعان "
             "بسیاری با منافع متفاوت دارند.",
             "Osoba lub grupa po stronie klienta, której interesów dotyczy decyzja; duzi "
             "klienci mają ich wielu, o różnych interesach.",
             "Человек или группа у клиента, чьи интересы затрагивает решение; у крупных "
             "клиентов их много, и интересы у них разные."),
       forms={"fa": r"ذی\s*نفع", "pl": r"interesariusz\w*",
              "ru": r"заинтересованн\w*\s+лиц\w*"}),
    _t("economic_buyer", "economic buyer", "خریدار اقتصادی", "nabywca ekonomiczny",
       "экономический покупатель",
       defs=("The person who controls the budget and gives the final yes to a purchase.",
             "کسی که بودجه را در اختیار دارد و تأیید نهایی خرید را می‌دهد.",
             "Osoba, która dysponuje budżetem i ostatecznie zatwierdza zakup.",
             "Человек, который распоряжается бюджетом и даёт окончательное согласие на "
             "покупку."),
       forms={"pl": r"nabywc\w*\s+ekonomiczn\w*", "ru": r"экономическ\w*\s+покупател\w*"}),
    _t("technical_buyer", "technical buyer", "خریدار فنی", "nabywca techniczny",
       "технический покупатель",
       defs=("A person who checks that an offer meets the specifications and can rule it "
             "out, but cannot approve it alone.",
             "کسی که تطابق پیشنهاد با مشخصات را بررسی می‌کند و می‌تواند آن را رد کند، اما "
             "به‌تنهایی نمی‌تواند تأییدش کند.",
             "Osoba, która sprawdza zgodność oferty ze specyfikacją i może ją odrzucić, ale "
             "sama jej nie zatwierdzi.",
             "Человек, который проверяет соответствие предложения требованиям и может его "
             "отклонить, но не может одобрить сам."),
       forms={"pl": r"nabywc\w*\s+techniczn\w*", "ru": r"техническ\w*\s+покупател\w*"}),
    _t("user_buyer", "user buyer", "خریدار کاربر", "nabywca-użytkownik",
       "покупатель-пользователь",
       defs=("A person who will use what we sell and judges it by its effect on their work.",
             "کسی که از آنچه می‌فروشیم استفاده خواهد کرد و آن را با اثرش بر کار خود "
             "می‌سنجد.",
             "Osoba, która będzie korzystać z tego, co sprzedajemy, i ocenia to po wpływie "
             "na swoją pracę.",
             "Человек, который будет пользоваться тем, что мы продаём, и оценивает это по "
             "влиянию на свою работу."),
       forms={"pl": r"nabywc\w*-użytkownik\w*", "ru": r"покупател\w*-пользовател\w*"}),
    _t("coach", "coach", "راهنمای داخلی", "przewodnik", "наставник",
       defs=("A person, usually inside the customer, who wants us to win and guides us "
             "through its organisation and decision process.",
             "فردی، معمولاً درون سازمان مشتری، که موفقیت ما را می‌خواهد و ما را در سازمان و "
             "فرایند تصمیم‌گیری آن راهنمایی می‌کند.",
             "Osoba, zwykle u klienta, której zależy na naszym sukcesie i która prowadzi "
             "nas przez swoją organizację i proces decyzyjny (ang. coach).",
             "Человек, обычно внутри компании клиента, заинтересованный в нашем успехе и "
             "помогающий разобраться в организации и процессе принятия решений (англ. "
             "coach)."),
       forms={"pl": r"przewodni\w*", "ru": r"наставни\w*"}, source=(), labels=("Coach",)),
    _t("sponsor", "sponsor", "حامی", "sponsor", "спонсор",
       defs=("A person at the customer who actively promotes our offer inside their "
             "organisation.",
             "فردی در سازمان مشتری که فعالانه پیشنهاد ما را در سازمان خود پیش می‌برد.",
             "Osoba po stronie klienta, która aktywnie promuje naszą ofertę w swojej "
             "organizacji.",
             "Человек у клиента, который активно продвигает наше предложение внутри своей "
             "компании."),
       forms={"fa": r"حامی", "pl": r"sponsor\w*", "ru": r"спонсор\w*"}),
    _t("anti_sponsor", "anti-sponsor", "عامل ضدحمایتی", "antysponsor", "антиспонсор",
       defs=("A person at the customer who works against us, for personal or organisational "
             "reasons; identify and manage them, do not ignore them.",
             "فردی در سازمان مشتری که به دلایل شخصی یا سازمانی علیه ما کار می‌کند؛ باید او را "
             "شناسایی و مدیریت کرد، نه نادیده گرفت.",
             "Osoba po stronie klienta, która działa przeciwko nam z powodów osobistych lub "
             "organizacyjnych; trzeba ją rozpoznać i nią zarządzać, a nie ją ignorować.",
             "Человек у клиента, который работает против нас по личным или организационным "
             "причинам; его нужно выявить и работать с ним, а не игнорировать."),
       forms={"fa": r"ضد\s*حمایتی", "pl": r"antysponsor\w*", "ru": r"антиспонсор\w*"}),
    _t("multi_level_relationship", "multi-level relationship", "رابطه چندسطحی",
       "relacja wielopoziomowa", "многоуровневые отношения",
       defs=("Contacts with several people on several levels of the customer, so that the "
             "relationship never hangs on one person.",
             "ارتباط با چند نفر در چند سطح سازمان مشتری، تا رابطه هرگز به یک نفر وابسته "
             "نباشد.",
             "Kontakty z wieloma osobami na kilku szczeblach organizacji klienta, tak by "
             "relacja nigdy nie zależała od jednej osoby.",
             "Контакты с несколькими людьми на разных уровнях компании клиента, чтобы "
             "отношения никогда не держались на одном человеке."),
       forms={"fa": r"چند\s*سطحی", "pl": r"wielopoziom\w*", "ru": r"многоуровнев\w*"}),
    _t("perception_ladder", "perception ladder", "پلکان ادراک مشتری",
       "drabina percepcji klienta", "лестница восприятия клиента",
       defs=("How the customer sees us, in three steps: commodity broker, product/service "
             "supplier, value enhancer / strategic partner.",
             "اینکه مشتری ما را چگونه می‌بیند، در سه پله: دلال کالا، تأمین‌کننده "
             "محصول/خدمات، خلق‌کننده ارزش / شریک استراتژیک.",
             "To, jak klient nas postrzega, w trzech szczeblach: pośrednik towarowy, dostawca "
             "produktów/usług, kreator wartości / partner strategiczny.",
             "То, как клиент нас видит, в три ступени: товарный посредник, поставщик "
             "продуктов/услуг, создатель ценности / стратегический партнёр."),
       forms={"fa": r"پلکان\s+ادراک", "pl": r"drabin\w*\s+percepcji",
              "ru": r"лестниц\w*\s+восприятия"}),
    _t("commodity_broker", "commodity broker", "دلال کالا", "pośrednik towarowy",
       "товарный посредник",
       defs=("First step of the perception ladder: the customer buys from us on price "
             "alone, with no loyalty.",
             "پله اول پلکان ادراک: مشتری فقط بر اساس قیمت از ما می‌خرد و هیچ وفاداری ندارد.",
             "Pierwszy szczebel drabiny percepcji: klient kupuje u nas wyłącznie ze względu "
             "na cenę, bez lojalności.",
             "Первая ступень лестницы восприятия: клиент покупает у нас только из-за цены, "
             "без всякой лояльности."),
       forms={"pl": r"pośredni\w*\s+towarow\w*", "ru": r"товарн\w*\s+посредни\w*"}),
    _t("product_supplier", "product/service supplier", "تأمین‌کننده محصول/خدمات",
       "dostawca produktów/usług", "поставщик продуктов/услуг",
       defs=("Second step: the customer sees some advantages in our offer, but loyalty is "
             "weak and price still weighs heavily.",
             "پله دوم: مشتری مزایایی در پیشنهاد ما می‌بیند، اما وفاداری ضعیف است و قیمت "
             "هنوز وزن زیادی دارد.",
             "Drugi szczebel: klient widzi pewne zalety naszej oferty, ale lojalność jest "
             "słaba, a cena wciąż waży dużo.",
             "Вторая ступень: клиент видит некоторые преимущества нашего предложения, но "
             "лояльность слабая и цена по-прежнему много значит."),
       forms={"pl": r"dostawc\w*\s+produktów/usług", "ru": r"поставщик\w*\s+продуктов/услуг"}),
    _t("value_enhancer", "value enhancer / strategic partner",
       "خلق‌کننده ارزش / شریک استراتژیک", "kreator wartości / partner strategiczny",
       "создатель ценности / стратегический партнёр",
       defs=("Third step: we help the customer reach its strategic goals, and it is willing "
             "to pay more for that.",
             "پله سوم: ما به مشتری کمک می‌کنیم به اهداف استراتژیک خود برسد و او حاضر است "
             "برای آن بیشتر بپردازد.",
             "Trzeci szczebel: pomagamy klientowi osiągać jego cele strategiczne, a on jest "
             "gotów za to więcej zapłacić.",
             "Третья ступень: мы помогаем клиенту достигать его стратегических целей, и он "
             "готов за это платить больше."),
       forms={"fa": r"خلق\s*کننده\s+ارزش", "pl": r"kreator\w*\s+wartości",
              "ru": r"создател\w*\s+ценности"},
       source=("value enhancer", "strategic partner")),
    _t("key_account_plan", "key account plan", "برنامه مشتری کلیدی",
       "plan dla kluczowego klienta", "план работы с ключевым клиентом",
       defs=("The written plan for one key account: SMART goals, strategies, actions with "
             "owners and departments, resources, milestones and KPIs.",
             "برنامه مکتوب برای یک مشتری کلیدی: اهداف SMART، استراتژی‌ها، اقدام‌ها با "
             "مسئول و واحد، منابع، نقاط عطف و شاخص‌های کلیدی عملکرد.",
             "Spisany plan dla jednego kluczowego klienta: cele SMART, strategie, działania "
             "z odpowiedzialnymi osobami i działami, zasoby, kamienie milowe i KPI.",
             "Письменный план по одному ключевому клиенту: цели SMART, стратегии, действия "
             "с ответственными и отделами, ресурсы, вехи и KPI."),
       forms={"fa": r"برنامه\S*\s+مشتری\S*\s+کلیدی",
              "pl": r"plan\w*\s+dla\s+kluczow\w*\s+klien[tc]\w*",
              "ru": r"план\w*\s+работы\s+с\s+ключевым\s+клиентом"}),
    _t("smart_goal", "SMART goal", "هدف SMART", "cel SMART", "цель SMART",
       defs=("A goal that is specific, measurable, achievable, relevant and time-bound, e.g. "
             "+15% sales of product X to customer Y in the next 6 months.",
             "هدفی مشخص، قابل اندازه‌گیری، دست‌یافتنی، مرتبط و زمان‌بندی‌شده؛ مثلاً ۱۵ درصد "
             "افزایش فروش محصول X به مشتری Y در ۶ ماه آینده.",
             "Cel konkretny, mierzalny, osiągalny, istotny i określony w czasie, np. +15% "
             "sprzedaży produktu X klientowi Y w ciągu najbliższych 6 miesięcy.",
             "Цель конкретная, измеримая, достижимая, значимая и ограниченная по времени, "
             "например +15% продаж продукта X клиенту Y за ближайшие 6 месяцев."),
       forms={"fa": r"(هدف|اهداف)\s+SMART", "pl": r"cel\w*\s+SMART",
              "ru": r"цел\w*\s+SMART|SMART-цел\w*"}),
    _t("milestone", "milestone", "نقطه عطف", "kamień milowy", "веха",
       defs=("An action of the plan whose completion marks visible progress towards a goal.",
             "اقدامی از برنامه که پایانش پیشرفت آشکاری به سوی هدف را نشان می‌دهد.",
             "Działanie planu, którego ukończenie oznacza widoczny postęp w drodze do celu.",
             "Действие плана, завершение которого означает заметный шаг к цели."),
       forms={"fa": r"(نقطه|نقاط)\s+عطف", "pl": r"kamie\w*\s+milow\w*", "ru": r"вех\w*"}),
    _t("kpi", "key performance indicator (KPI)", "شاخص کلیدی عملکرد (KPI)",
       "kluczowy wskaźnik efektywności (KPI)", "ключевой показатель эффективности (KPI)",
       defs=("A measure chosen to show whether the plan is on track.",
             "معیاری که برای نشان دادن درستی مسیر برنامه انتخاب می‌شود.",
             "Miara wybrana po to, by pokazać, czy plan jest realizowany zgodnie z założeniami.",
             "Показатель, выбранный, чтобы видеть, идёт ли план по курсу."),
       forms={"fa": r"KPI", "pl": r"KPI", "ru": r"KPI"}, source=("KPI",)),
    _t("penetrate", "penetrate", "نفوذ", "penetracja", "проникновение",
       defs=("Win business in parts of the customer we do not sell to yet: new buying "
             "centres, sites or product lines.",
             "به دست آوردن کسب‌وکار در بخش‌هایی از سازمان مشتری که هنوز به آن‌ها نمی‌فروشیم: "
             "مراکز خرید، واحدها یا خطوط محصول تازه.",
             "Zdobywanie sprzedaży w tych częściach organizacji klienta, w których jeszcze "
             "nie sprzedajemy: nowe centra zakupowe, zakłady lub linie produktów.",
             "Выход в те подразделения клиента, где мы ещё не продаём: новые закупочные "
             "центры, площадки или продуктовые линейки."),
       forms={"pl": r"penetr\w*", "ru": r"проникнов\w*"}, source=(), labels=("Penetrate",)),
    _t("expand", "expand", "گسترش", "rozszerzanie", "расширение",
       defs=("Grow the business we already have with the customer: more volume, "
             "cross-selling and up-selling.",
             "رشد دادن کسب‌وکاری که اکنون با مشتری داریم: حجم بیشتر، فروش مکمل و فروش "
             "ارتقایی.",
             "Zwiększanie sprzedaży, którą już mamy u klienta: większy wolumen, sprzedaż "
             "krzyżowa i sprzedaż w górę.",
             "Рост уже существующего бизнеса с клиентом: больше объёмов, перекрёстные и "
             "повышающие продажи."),
       forms={"pl": r"rozszerza\w*", "ru": r"расширени\w*"}, source=(), labels=("Expand",)),
    _t("protect", "protect", "حفاظت", "ochrona", "защита",
       defs=("Defend the business we have with the customer against competitors.",
             "دفاع از کسب‌وکاری که با مشتری داریم در برابر رقبا.",
             "Obrona sprzedaży, którą mamy u klienta, przed konkurencją.",
             "Защита имеющегося бизнеса с клиентом от конкурентов."),
       forms={"pl": r"ochron\w*", "ru": r"защит\w*"}, source=(), labels=("Protect",)),
    _t("cross_sell", "cross-selling", "فروش مکمل", "sprzedaż krzyżowa",
       "перекрёстная продажа",
       defs=("Selling the customer other products or lines that complement what it buys.",
             "فروش محصولات یا خطوط دیگری به مشتری که مکمل خرید فعلی او هستند (کراس‌سلینگ).",
             "Sprzedaż klientowi innych produktów lub linii, które uzupełniają to, co już "
             "kupuje (cross-selling).",
             "Продажа клиенту других продуктов или линеек, дополняющих то, что он уже "
             "покупает (cross-selling)."),
       forms={"pl": r"sprzeda\w*\s+krzyżow\w*", "ru": r"перекр[её]стн\w*\s+продаж\w*"},
       source=("cross-selling", "cross-sell")),
    _t("up_sell", "up-selling", "فروش ارتقایی", "sprzedaż w górę", "повышающая продажа",
       defs=("Selling the customer a higher-value version of what it buys.",
             "فروش نسخه‌ای باارزش‌تر از آنچه مشتری می‌خرد (آپ‌سلینگ).",
             "Sprzedaż klientowi droższej, bardziej wartościowej wersji tego, co kupuje "
             "(up-selling).",
             "Продажа клиенту более ценной версии того, что он покупает (up-selling)."),
       forms={"pl": r"sprzeda\w*\s+w\s+górę", "ru": r"повышающ\w*\s+продаж\w*"},
       source=("up-selling", "up-sell")),
    _t("customer_lifetime_value", "customer lifetime value (CLV)",
       "ارزش طول عمر مشتری (CLV)", "wartość życiowa klienta (CLV)",
       "пожизненная ценность клиента (CLV)",
       defs=("The profit a customer brings over the whole relationship, not just this year.",
             "سودی که مشتری در تمام طول رابطه می‌آورد، نه فقط امسال.",
             "Zysk, jaki klient przynosi przez cały czas trwania relacji, nie tylko w tym "
             "roku.",
             "Прибыль, которую клиент приносит за всё время отношений, а не только в этом "
             "году."),
       forms={"fa": r"ارزش\s+طول\s+عمر", "pl": r"wartoś\w*\s+życiow\w*",
              "ru": r"пожизненн\w*\s+ценност\w*"},
       source=("customer lifetime value", "lifetime value")),
    _t("gross_margin", "gross margin", "حاشیه سود ناخالص", "marża brutto", "валовая маржа",
       defs=("Revenue minus the cost of the goods sold; watch whether discounts erode it.",
             "درآمد منهای بهای تمام‌شده کالای فروش‌رفته؛ باید دید تخفیف‌ها آن را از بین "
             "نمی‌برند.",
             "Przychód minus koszt sprzedanych towarów; warto pilnować, czy rabaty jej nie "
             "zjadają.",
             "Выручка минус себестоимость проданных товаров; следите, не съедают ли её "
             "скидки."),
       forms={"fa": r"حاشیه\s+سود\s+ناخالص", "pl": r"marż\w*\s+brutto",
              "ru": r"валов\w*\s+марж\w*"}),
    _t("retention_rate", "retention rate", "نرخ نگهداری مشتری",
       "wskaźnik utrzymania klientów", "коэффициент удержания клиентов",
       defs=("The share of key accounts we keep from one period to the next.",
             "درصد مشتریان کلیدی که از یک دوره به دوره بعد حفظ می‌کنیم.",
             "Odsetek kluczowych klientów, których zatrzymujemy z okresu na okres.",
             "Доля ключевых клиентов, которых мы сохраняем от периода к периоду."),
       forms={"fa": r"نرخ\s+نگهداری", "pl": r"utrzymani\w*\s+klient\w*",
              "ru": r"удержани\w*\s+клиент\w*"}),
    _t("nps", "Net Promoter Score (NPS)", "شاخص خالص ترویج‌کنندگان (NPS)", "wskaźnik NPS",
       "индекс NPS",
       defs=("Share of customers who would recommend us (answers 9-10 out of 10) minus the "
             "share who would not (0-6).",
             "درصد مشتریانی که ما را توصیه می‌کنند (پاسخ ۹ تا ۱۰ از ۱۰) منهای درصد کسانی "
             "که توصیه نمی‌کنند (۰ تا ۶).",
             "Odsetek klientów, którzy by nas polecili (odpowiedzi 9–10 na 10), minus "
             "odsetek tych, którzy by nie polecili (0–6).",
             "Доля клиентов, готовых нас рекомендовать (ответы 9–10 из 10), минус доля тех, "
             "кто не готов (0–6)."),
       forms={"fa": r"NPS", "pl": r"NPS", "ru": r"NPS"}, source=("NPS",)),
    _t("health_score", "health score", "امتیاز سلامت", "wskaźnik kondycji",
       "индекс здоровья",
       defs=("One score from 0 to 100 that sums up how a key account relationship is doing, "
             "from financial and qualitative measures; a low score flags an account at "
             "risk.",
             "امتیازی از ۰ تا ۱۰۰ که وضعیت رابطه با یک مشتری کلیدی را از روی شاخص‌های مالی "
             "و کیفی خلاصه می‌کند؛ امتیاز پایین یعنی مشتری در خطر است.",
             "Jedna ocena od 0 do 100 podsumowująca stan relacji z kluczowym klientem na "
             "podstawie miar finansowych i jakościowych; niska wartość oznacza klienta "
             "zagrożonego.",
             "Единая оценка от 0 до 100, которая по финансовым и качественным показателям "
             "показывает состояние отношений с ключевым клиентом; низкое значение — "
             "клиент под угрозой."),
       forms={"fa": r"امتیاز\s+سلامت", "pl": r"wskaźnik\w*\s+kondycji",
              "ru": r"индекс\w*\s+здоровья"}),
    _t("relationship_stage", "relationship stage", "مرحله رابطه", "etap relacji",
       "стадия отношений",
       defs=("How far a key account relationship has developed, from exploratory to "
             "integrated (McDonald and Rogers).",
             "اینکه رابطه با مشتری کلیدی تا کجا پیش رفته است، از اکتشافی تا یکپارچه "
             "(مک‌دونالد و راجرز).",
             "Jak daleko rozwinęła się relacja z kluczowym klientem, od etapu "
             "rozpoznawczego do zintegrowanego (McDonald i Rogers).",
             "Насколько развились отношения с ключевым клиентом, от исследовательской до "
             "интегрированной стадии (Макдональд и Роджерс)."),
       forms={"fa": r"مرحله\s+(رابطه|همکاری)", "pl": r"etap\w*\s+relacji",
              "ru": r"стади\w*\s+отношений"}),
    _t("stage_exploratory", "exploratory stage", "مرحله اکتشافی", "etap rozpoznawczy",
       "исследовательская стадия",
       defs=("Supplier and customer are sounding each other out; little or no business yet.",
             "تأمین‌کننده و مشتری یکدیگر را می‌سنجند؛ هنوز معامله‌ای نیست یا اندک است.",
             "Dostawca i klient badają się nawzajem; współpracy jeszcze nie ma albo jest "
             "niewielka.",
             "Поставщик и клиент присматриваются друг к другу; сделок ещё нет или их мало."),
       forms={"fa": r"اکتشافی", "pl": r"rozpoznawcz\w*", "ru": r"исследовательск\w*"},
       labels=("Exploratory",)),
    _t("stage_basic", "basic stage", "مرحله پایه", "etap podstawowy", "базовая стадия",
       defs=("Transactional: one salesperson and one buyer, business driven by price and "
             "efficiency.",
             "معامله‌محور: یک فروشنده و یک خریدار، و کسب‌وکاری که قیمت و کارایی آن را پیش "
             "می‌برد.",
             "Transakcyjny: jeden handlowiec i jeden kupiec, współpraca napędzana ceną i "
             "sprawnością.",
             "Транзакционная: один продавец и один закупщик, всё решают цена и "
             "эффективность."),
       forms={"fa": r"پایه", "pl": r"podstawow\w*", "ru": r"базов\w*"}, labels=("Basic",)),
    _t("stage_cooperative", "cooperative stage", "مرحله همکاری", "etap kooperacyjny",
       "кооперативная стадия",
       defs=("Several contacts on both sides; we are a preferred supplier, but not the "
             "only one.",
             "چند نقطه تماس در هر دو طرف؛ ما تأمین‌کننده ترجیحی هستیم، اما نه تنها "
             "تأمین‌کننده.",
             "Kilka kontaktów po obu stronach; jesteśmy preferowanym dostawcą, ale nie "
             "jedynym.",
             "Несколько контактов с обеих сторон; мы предпочтительный поставщик, но не "
             "единственный."),
       forms={"fa": r"همکاری", "pl": r"kooperacyjn\w*", "ru": r"кооперативн\w*"},
       labels=("Cooperative",)),
    _t("stage_interdependent", "interdependent stage", "مرحله وابستگی متقابل",
       "etap współzależności", "взаимозависимая стадия",
       defs=("Each side depends on the other: many links across functions and joint "
             "planning.",
             "هر طرف به دیگری وابسته است: پیوندهای بسیار میان واحدها و برنامه‌ریزی مشترک.",
             "Każda strona zależy od drugiej: wiele powiązań między działami i wspólne "
             "planowanie.",
             "Стороны зависят друг от друга: множество связей между функциями и совместное "
             "планирование."),
       forms={"fa": r"وابستگی\s+متقابل", "pl": r"współzależn\w*", "ru": r"взаимозависим\w*"},
       labels=("Interdependent",)),
    _t("stage_integrated", "integrated stage", "مرحله یکپارچه", "etap zintegrowany",
       "интегрированная стадия",
       defs=("The two organisations work as one team across functions, with shared goals and "
             "systems.",
             "دو سازمان در همه واحدها چون یک تیم کار می‌کنند، با اهداف و سامانه‌های مشترک.",
             "Obie organizacje działają jak jeden zespół we wszystkich obszarach, ze "
             "wspólnymi celami i systemami.",
             "Две компании работают как одна команда во всех функциях, с общими целями и "
             "системами."),
       forms={"fa": r"یکپارچه", "pl": r"zintegrowan\w*", "ru": r"интегрированн\w*"},
       labels=("Integrated",)),
)

#: The glossary by key.
GLOSSARY: dict[str, Term] = {t.key: t for t in TERMS}

register_fields({
    "term": Field(N_("Term"), "text"),
    "english": Field(N_("English"), "text"),
    "definition": Field(N_("Definition"), "text"),
})


def term(key: str, language: str | None = None) -> str:
    """One term in a language (default: the current one).

    Examples
    --------
    >>> term("perception_ladder", "fa")
    'پلکان ادراک مشتری'
    """
    return GLOSSARY[key].names[check_language(language)]


def glossary(language: str | None = None) -> pd.DataFrame:
    """The glossary as a table for a workshop, in one language.

    Parameters
    ----------
    language : str, optional
        Defaults to the current language.

    Returns
    -------
    DataFrame
        Indexed by ``key``, in the order of the method; columns ``term``,
        ``definition`` and, except in English, ``english`` (the English term, which
        participants meet in the literature). Show it with
        ``present.table(frame, language=...)``.

    Examples
    --------
    >>> glossary("ru").loc["key_account", ["term", "english"]].tolist()
    ['ключевой клиент', 'key account']
    """
    code = check_language(language)
    rows = {t.key: {"term": t.names[code], "english": t.names["en"],
                    "definition": t.definitions[code]} for t in TERMS}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "key"
    columns = ["term", "definition"] if code == "en" else ["term", "english", "definition"]
    return frame[columns]


def glossary_markdown() -> str:
    """``docs/glossary.md``: an overview table, then every term in four languages."""
    names = {"en": "English", "fa": "فارسی", "pl": "Polski", "ru": "Русский"}
    lines = [
        "# KAM glossary — English, فارسی, Polski, Русский",
        "",
        "<!-- Generated from kamkit/text/glossary.py by `python3 tasks.py docs`; do not edit. -->",
        "",
        "The words kamkit and its trainers use for Key Account Management, with a one-line",
        "definition in each language. The message catalogs use the same words (a test checks",
        "it); in a notebook, `kamkit.text.glossary.glossary(language)` gives this table in one",
        "language.",
        "",
        "| " + " | ".join(names[c] for c in LANGUAGES) + " |",
        "|" + "---|" * len(LANGUAGES),
    ]
    for t in TERMS:
        lines.append("| " + " | ".join(f"[{t.names[c]}](#{t.key})" if c == "en"
                                       else t.names[c] for c in LANGUAGES) + " |")
    lines.append("")
    for t in TERMS:
        lines += [f'<a id="{t.key}"></a>', "", f"## {t.names['en']}", ""]
        for c in LANGUAGES:
            direction = ' dir="rtl"' if c == "fa" else ""
            text = f"**{t.names[c]}** — {t.definitions[c]}"
            lines.append(f"- {names[c]}: <span{direction}>{text}</span>" if direction
                         else f"- {names[c]}: {text}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _normalise(text: str) -> str:
    """Read a zero-width non-joiner as a space (Persian spellings vary)."""
    return text.replace("\u200c", " ")


def _english_matches(msgid: str) -> list[Term]:
    """Glossary terms in an English message, longest first, without overlaps."""
    found: list[Term] = []
    taken: list[tuple[int, int]] = []
    candidates = sorted(((s, t) for t in TERMS for s in t.english_sources),
                        key=lambda pair: -len(pair[0]))
    for text, t in candidates:
        pattern = rf"(?<![\w-]){re.escape(text)}(?:e?s)?(?![\w-])"  # plural -s, -es too
        for m in re.finditer(pattern, msgid, re.IGNORECASE):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            if t not in found:
                found.append(t)
    for t in TERMS:
        if msgid.strip() in t.labels and t not in found:
            found.append(t)
    return found


def terminology_problems(pairs: Iterable[tuple[str, str]], language: str
                         ) -> list[tuple[str, str]]:
    """Translations that do not use the glossary's term for a term in the source.

    Parameters
    ----------
    pairs : iterable of (msgid, translation)
    language : str

    Returns
    -------
    list of (msgid, detail)

    Examples
    --------
    >>> terminology_problems([("Perception ladder", "Drabina percepcji"),
    ...                       ("Share of wallet", "Udział w rynku")], "pl")
    [('Share of wallet', 'uses no form of the glossary term "udział w portfelu"')]
    """
    problems = []
    for msgid, translation in pairs:
        text = _normalise(translation)
        for t in _english_matches(msgid):
            if not t.pattern(language).search(text):
                problems.append((msgid, f'uses no form of the glossary term '
                                        f'"{t.names[language]}"'))
    return problems


def _check_complete() -> None:
    for t in TERMS:
        for mapping in (t.names, t.definitions):
            missing = set(LANGUAGES) - {k for k, v in mapping.items() if v}
            if missing:
                raise AssertionError(f"glossary term {t.key} lacks {sorted(missing)}")


_check_complete()
