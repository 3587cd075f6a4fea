"""Stage 3 — the SMART check of key account goals, letter by letter.

A goal of a key account plan should be **S**\\ pecific, **M**\\ easurable,
**A**\\ chievable, **R**\\ elevant and **T**\\ ime-bound (methodology, stage 3: "+15% sales
of product X to customer Y in the next 6 months"). This module judges each letter and
says why, in words a trainee can follow. It checks the goals of a plan
(:func:`smart_check`, one row per goal of the ``goals`` table) and a goal typed as free
text in a workshop (:func:`check_text`), with the same rules.

The rules
---------
S — Specific
    A metric is named (revenue, volume, margin, share of wallet, satisfaction, NPS or
    another measure such as lead time) **and** a scope: a product, a product line or a
    site. Share of wallet, margin, satisfaction and NPS are measures of the whole
    account (:data:`ACCOUNT_WIDE_METRICS`): there the account is the scope.
M — Measurable
    A numeric baseline (where we start) and target (where we want to be). A typed
    goal that gives only a change ("+15%") or only a target amount is measurable when
    kamkit can measure the baseline itself: the scope's revenue (or units) in the
    twelve months before the goal was set.
A — Achievable
    The growth the goal asks for, per year, is compared with the account's own
    history and with the size of opportunity from the dossier
    (:func:`kamkit.needs.dossier.size_of_opportunity`):

    * *growth goals* (revenue or volume, baseline above 0): ``required`` = change per
      year, ``(target / baseline - 1) / years``; ``trend`` = the scope's own growth per
      year (compound, over up to :attr:`SmartThresholds.history_years` rolling years
      ending when the goal was set; the whole account's when the scope has too little
      history). Asking more than ``trend + absurd`` a year fails; more than
      ``trend + stretch`` is a **stretch**; no more than ``trend + easy`` is
      **trivially easy** (the trend alone gets there). The part of the increase the
      trend will not bring is also compared with the probability-weighted size of
      opportunity next year: above it, the goal is a stretch.
    * *new business* (baseline 0): the target is compared with the size of
      opportunity next year: above everything the dossier lists (every opportunity
      won) fails; above the probability-weighted size is a stretch. Nothing is ever
      divided by a baseline of 0.
    * *other measures* (lead time, satisfaction ...): the target must lie on the
      measure's scale (a share at most 100%, satisfaction 1-5 ...) and the change may
      not exceed ``absurd`` a year; kamkit has no history to judge the effort beyond
      that, and says so.

    Stretch and easy are warnings: the goal stays SMART, but the team should talk
    about it. The thresholds are parameters (:class:`SmartThresholds`).
R — Relevant
    ``linked_to`` names a need or an opportunity recorded for *this* account.
T — Time-bound
    A deadline after the portfolio's ``as_of`` date (never the wall clock) and no
    later than the plan horizon (:attr:`SmartThresholds.horizon_months` after
    ``as_of``).

Reading free text
-----------------
:func:`parse_goal` extracts what a typed goal says: percentages (``+15%``, ``15
percent``), ``from X to Y``, currency amounts (``EUR 450,000``, ``€1.2m``, ``300k
PLN``), dates (``2027-03-31``, ``31.03.2027``, ``31 March 2027``, ``March 2027``,
``Q3 2027``, ``H1 2027``, ``end of 2026``, ``by 2027``), deadlines relative to
``as_of`` (``in 6 months``, ``within two quarters``, ``in the next year``, ``by the end
of the year``), the metric (from keywords, :data:`METRIC_WORDS`) and product lines or
products the portfolio knows. What it cannot find is listed, so the verdict can say
what is missing. Durations in days or hours ("within 48 hours") describe the measure,
not the deadline, and are not read as deadlines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from kamkit.data.labels import Field, register_fields, register_values
from kamkit.data.portfolio import Portfolio
from kamkit.data.sales import period, sales_by_year
from kamkit.exceptions import ParameterError
from kamkit.text.i18n import N_, _, format_date, format_money, format_number, format_percent

__all__ = [
    "SmartThresholds",
    "ParsedGoal",
    "LetterVerdict",
    "GoalVerdict",
    "LETTERS",
    "ACCOUNT_WIDE_METRICS",
    "METRIC_WORDS",
    "parse_goal",
    "check_goal",
    "check_text",
    "smart_check",
    "smart_details",
    "verdicts_table",
    "same_scope",
    "our_share",
]

#: The five letters, in order: (code, column of :func:`smart_check`, label).
LETTERS: tuple[tuple[str, str, str], ...] = (
    ("S", "specific", N_("Specific")),
    ("M", "measurable", N_("Measurable")),
    ("A", "achievable", N_("Achievable")),
    ("R", "relevant", N_("Relevant")),
    ("T", "time_bound", N_("Time-bound")),
)
#: Verdict of one letter: passes, passes with a remark, fails, or cannot be judged
#: because another letter failed first (no numbers, no deadline).
STATUSES = ("pass", "warn", "fail", "not_judged")
#: Metrics that describe the whole account, so they need no product, line or site.
ACCOUNT_WIDE_METRICS = frozenset({"share_of_wallet", "margin", "satisfaction", "nps"})
#: Metrics kamkit measures from transactions (baseline and history).
SALES_METRICS = {"revenue": "revenue", "volume": "quantity"}
#: The scale each metric lives on, for the Achievable check (None = open).
METRIC_SCALES: dict[str, tuple[float | None, float | None]] = {
    "share_of_wallet": (0.0, 1.0),
    "margin": (-1.0, 1.0),
    "satisfaction": (1.0, 5.0),
    "nps": (-100.0, 100.0),
    "revenue": (0.0, None),
    "volume": (0.0, None),
}

register_fields({
    "specific": Field(N_("Specific"), "category"),
    "measurable": Field(N_("Measurable"), "category"),
    "achievable": Field(N_("Achievable"), "category"),
    "relevant": Field(N_("Relevant"), "category"),
    "time_bound": Field(N_("Time-bound"), "category"),
    "smart": Field(N_("SMART"), "bool"),
    "ambition": Field(N_("Ambition"), "category"),
    "issues": Field(N_("What to fix or discuss"), "text"),
    "letter": Field(N_("Letter"), "category"),
    "verdict": Field(N_("Verdict"), "category"),
    "reason": Field(N_("Reason"), "text"),
    "code": Field(N_("Reason code"), "text"),
    "required_growth": Field(N_("Growth asked per year"), "percent", 0),
    "trend": Field(N_("Own trend per year"), "percent", 0),
})
register_values({
    "pass": N_("\u2713 yes"),
    "warn": N_("! check"),
    "fail": N_("\u2717 no"),
    "not_judged": N_("? cannot judge"),
    "stretch": N_("Stretch"),
    "easy": N_("Trivially easy"),
    "S": N_("Specific"),
    "M": N_("Measurable"),
    "A": N_("Achievable"),
    "R": N_("Relevant"),
    "T": N_("Time-bound"),
    "revenue": N_("Revenue"),
    "volume": N_("Volume"),
    "margin": N_("Margin"),
    "share_of_wallet": N_("Share of wallet"),
    "satisfaction": N_("Satisfaction"),
    "nps": N_("NPS"),
})


@dataclass(frozen=True)
class SmartThresholds:
    """The parameters of the SMART check; every one is a choice the trainer can change.

    Parameters
    ----------
    horizon_months : int
        The plan horizon: a deadline later than this many months after ``as_of`` is
        outside the plan (default 12: a key account plan is revised yearly).
    stretch : float
        Growth per year above the account's own trend that makes a goal a stretch
        (default 0.15: fifteen percentage points above the trend).
    absurd : float
        Growth per year above the trend (or, for other measures, change per year)
        beyond which a goal is not achievable (default 1.0: doubling on top of the
        trend within a year).
    easy : float
        A growth goal that asks at least this much a year *less* than the account's
        own trend is trivially easy: the trend alone gets there (default 0.10; a
        single year's growth is noisy, so only a clear gap counts).
    history_years : int
        Rolling years of history the trend is measured over (default 3).

    Examples
    --------
    >>> SmartThresholds(stretch=0.25).stretch
    0.25
    >>> SmartThresholds(horizon_months=0)
    Traceback (most recent call last):
    ...
    kamkit.exceptions.ParameterError: horizon_months: must be at least 1 month
    """

    horizon_months: int = 12
    stretch: float = 0.15
    absurd: float = 1.0
    easy: float = 0.10
    history_years: int = 3

    def __post_init__(self) -> None:
        if self.horizon_months < 1:
            raise ParameterError("horizon_months", _("must be at least 1 month"))
        if not 0 <= self.easy < self.stretch < self.absurd:
            raise ParameterError("stretch", _("the thresholds must grow: 0 <= easy < stretch "
                                              "< absurd"))
        if self.history_years < 2:
            raise ParameterError("history_years", _("a trend needs at least 2 years"))


# --------------------------------------------------------------------------------------
# Reading a goal written as free text

#: Keywords that name a metric in a typed goal, by metric (lower case; matched at the
#: start of a word, so ``sale`` finds "sales"). Trainers may extend the lists.
METRIC_WORDS: dict[str, tuple[str, ...]] = {
    "share_of_wallet": ("share of wallet", "wallet share", "share of spend", "udział w portfelu",
                        "доля кошелька", "سهم کیف پول"),
    "nps": ("nps", "net promoter"),
    "satisfaction": ("satisfaction", "satisfied", "csat", "zadowolen", "удовлетворен",
                     "رضایت"),
    "margin": ("margin", "marż", "маржин", "حاشیه سود"),
    "volume": ("units", "unit sales", "volume", "pieces", "pcs", "quantity", "sztuk",
               "штук", "تعداد"),
    "revenue": ("revenue", "sales", "sale of", "turnover", "sell", "sold", "orders worth",
                "przychod", "przychód", "sprzedaż", "sprzedaz", "выручк", "продаж", "درآمد",
                "فروش"),
    "other": ("lead time", "deliver", "delivery", "dispatch", "on time", "on-time",
              "availability", "stock", "response time", "downtime", "reference", "uptime",
              "complaints", "dostaw", "dostępnoś", "reklamac", "поставк", "доставк",
              "наличи", "рекламац", "تحویل", "موجودی", "شکایت"),
}
_CURRENCIES = {"eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "usd": "USD",
               "$": "USD", "dollars": "USD", "pln": "PLN", "zł": "PLN", "zl": "PLN",
               "gbp": "GBP", "£": "GBP", "rub": "RUB", "₽": "RUB", "irr": "IRR",
               "rial": "IRR", "kzt": "KZT", "uah": "UAH", "czk": "CZK", "sek": "SEK",
               "chf": "CHF"}
_SCALE = {"k": 1e3, "thousand": 1e3, "tys": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6,
          "million": 1e6, "millions": 1e6, "bn": 1e9, "billion": 1e9}
_NUMBER_WORDS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                 "twelve": 12, "eighteen": 18, "twenty-four": 24}
_MONTHS = {m: i + 1 for i, m in enumerate(("january", "february", "march", "april", "may",
                                           "june", "july", "august", "september", "october",
                                           "november", "december"))}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_UP_WORDS = ("increase", "grow", "raise", "boost", "lift", "expand", "win", "add", "more",
             "improve", "up ")
_DOWN_WORDS = ("reduce", "cut", "decrease", "lower", "shorten", "down ", "less", "fewer",
               "zmniejsz", "obniż", "skróć", "redukc", "сниз", "сократ", "уменьш", "کاهش")
# Words before a percentage that make it a change ("grow by 15%"), in the kit's languages.
_CHANGE_WORDS = ("by", "grow", "increase", "raise", "cut", "reduce", "o", "на", "wzrost",
                 "zwiększ", "podnie", "obniż", "zmniejsz", "рост", "увелич", "повыс", "сниз",
                 "сократ", "افزایش", "رشد", "کاهش")

_NUM = r"(?P<num>[+\-\u2212]?\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?)"
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
    ("dotted", re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b")),
    ("day_month", re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mn>" + _MONTH_NAMES
                             + r")\.?,?\s+(?P<y>\d{4})\b", re.I)),
    ("month_day", re.compile(r"\b(?P<mn>" + _MONTH_NAMES + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd"
                             r"|th)?,?\s+(?P<y>\d{4})\b", re.I)),
    ("month", re.compile(r"\b(?P<mn>" + _MONTH_NAMES + r")\.?\s+(?P<y>\d{4})\b", re.I)),
    ("quarter", re.compile(r"\b(?:q(?P<q>[1-4])|(?P<q2>[1-4])(?:st|nd|rd|th)\s+quarter"
                           r"(?:\s+of)?)\s*[/\-]?\s*(?P<y>\d{4})?\b", re.I)),
    ("half", re.compile(r"\bh(?P<h>[12])\s*[/\-]?\s*(?P<y>\d{4})?\b", re.I)),
    ("end_of_year", re.compile(r"\b(?:the\s+)?end\s+of\s+(?:(?P<y>\d{4})|(?:the|this)\s+"
                               r"year)\b|\byear[\s\-]end\b", re.I)),
    ("year", re.compile(r"\b(?:by|in|until|till|before|through|during)\s+(?P<y>20\d{2})\b",
                        re.I)),
)
_RELATIVE = re.compile(
    r"\b(?:in|within|over|during)\s+(?:the\s+)?(?:next\s+|coming\s+)?"
    r"(?P<n>\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")?\s*"
    r"(?P<unit>months?|quarters?|years?|weeks?)\b", re.I)
_NEXT = re.compile(r"\b(?:by\s+)?next\s+(?P<unit>year|quarter|month)\b", re.I)
# The same in the kit's other languages: "w ciągu 6 miesięcy", "через 6 месяцев",
# "в течение года", "ظرف ۶ ماه" (digits are made Latin first). The unit's stem decides
# months (m), quarters (q), years (y) or weeks (w).
_NUMBER_WORDS_INTL = {"jeden": 1, "jednego": 1, "dwa": 2, "dwóch": 2, "trzy": 3, "trzech": 3,
                      "cztery": 4, "sześć": 6, "sześciu": 6, "один": 1, "одного": 1, "два": 2,
                      "двух": 2, "три": 3, "трёх": 3, "трех": 3, "четыре": 4, "шесть": 6,
                      "шести": 6, "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "شش": 6}
_UNITS_INTL = (("m", r"miesi\w*|месяц\w*|ماه"), ("q", r"kwarta\w*|квартал\w*|فصل"),
               ("y", r"rok\w*|roku|lat\w*|год\w*|лет|سال"),
               ("w", r"tydzie\w*|tygod\w*|недел\w*|هفته"))
_RELATIVE_INTL = re.compile(
    r"(?:w\s+ciągu|w\s+przeciągu|przez|za|в\s+течение|через|за|в\s+ближайшие|ظرف|طی|در)\s+"
    r"(?:najbliższ\w*\s+|następn\w*\s+|ближайш\w*\s+|следующ\w*\s+)?"
    r"(?P<n>\d+|" + "|".join(sorted(_NUMBER_WORDS_INTL, key=len, reverse=True)) + r")?\s*"
    r"(?P<unit>" + "|".join(f"(?P<{k}>{v})" for k, v in _UNITS_INTL) + r")", re.I)
_CURRENCY_WORDS = "|".join(re.escape(c) for c in sorted(_CURRENCIES, key=len, reverse=True))
_AMOUNT = re.compile(
    r"(?:(?P<cur1>" + _CURRENCY_WORDS + r")\s?" + _NUM
    + r"\s?(?P<scale1>k|m|mn|mln|bn|thousand|million|millions|billion|tys)?\b"
    r"|" + _NUM.replace("num", "num2")
    + r"\s?(?P<scale2>k|m|mn|mln|bn|thousand|million|millions|billion|tys)?\.?\s?(?P<cur2>"
    + _CURRENCY_WORDS + r"))(?![\w])", re.I)
_PERCENT = re.compile(_NUM + r"\s?(?:%|\u066a|percent\b|per\s+cent\b|pct\b|procent\w*|процент\w*|"
                      r"درصد)", re.I)
_PLAIN = re.compile(r"(?<![\w.,\-/])" + _NUM + r"(?![\w%]|[.,]\d)")


@dataclass(frozen=True)
class ParsedGoal:
    """What a goal says, from its columns or from its text.

    Attributes
    ----------
    text : str
        The goal as written.
    metric, scope : str or None
        The measure and what it is about (a product line, product or site).
    baseline, target : float or None
        Where the goal starts and where it should end. Percent values of a share or a
        margin are fractions (0.5 for 50%).
    change : float or None
        A relative change the text states ("+15%" is 0.15), when it states no target.
    start, deadline : Timestamp or None
        When the goal was set (``as_of`` for a typed goal) and when it is due.
    linked_to : str or None
        The need or opportunity id the goal answers.
    sources : dict
        Where each value came from: ``column``, ``text`` or ``data`` (measured by
        kamkit from the transactions).
    found : tuple of (str, str)
        What the text gave, as ``(what, snippet)`` pairs, for the reader.
    missing : tuple of str
        What the text did not give (``metric``, ``scope``, ``baseline``, ``target``,
        ``deadline``, ``link``).
    """

    text: str
    metric: str | None = None
    scope: str | None = None
    baseline: float | None = None
    target: float | None = None
    change: float | None = None
    start: pd.Timestamp | None = None
    deadline: pd.Timestamp | None = None
    linked_to: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict)
    found: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, ...] = ()


def _to_float(text: str) -> float:
    raw = text.translate(_DIGITS).replace("\u2212", "-").replace("\u00a0", " ").replace(
        "\u202f", " ")
    raw = re.sub(r"(?<=\d) (?=\d{3}\b)", "", raw)
    if re.fullmatch(r"[+\-]?\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    else:
        raw = raw.replace(",", ".")
    return float(raw)


def _month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)


def _next_end(as_of: pd.Timestamp, month: int) -> pd.Timestamp:
    """The first end of ``month`` (a quarter's or half's last month) after ``as_of``."""
    end = _month_end(as_of.year, month)
    return end if end > as_of else _month_end(as_of.year + 1, month)


def _reachable(date: pd.Timestamp) -> pd.Timestamp:
    """``date`` if kamkit can compute with it (to 2262), else OutOfBoundsDatetime.

    OutOfBoundsDatetime is a ValueError: a goal "by H1 9999" then names no date, like a
    goal "by 2027-02-30", instead of failing every later subtraction of dates.
    """
    date.as_unit("ns")  # raises beyond 2262-04-11
    return date


def _after(as_of: pd.Timestamp, n: int, unit: str) -> pd.Timestamp | None:
    """``as_of`` plus ``n`` months (``m``), quarters, years or weeks; None if unreachable."""
    try:
        offset = {"m": pd.DateOffset(months=n), "q": pd.DateOffset(months=3 * n),
                  "y": pd.DateOffset(years=n), "w": pd.DateOffset(weeks=n)}[unit]
        return _reachable(pd.Timestamp(as_of + offset))
    except (ValueError, OverflowError):  # "in the next 99999 years"
        return None


def _find_dates(text: str, as_of: pd.Timestamp | None
                ) -> tuple[pd.Timestamp | None, str | None, list[tuple[int, int]]]:
    """The deadline the text gives, the snippet it came from, and every date span."""
    spans: list[tuple[int, int]] = []
    found: list[tuple[int, pd.Timestamp, str]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in spans):
                continue
            g = m.groupdict()
            year = int(g["y"]) if g.get("y") else None
            try:
                if kind in ("iso", "dotted", "day_month", "month_day"):
                    month = int(g["m"]) if g.get("m") else _MONTHS[g["mn"].lower().rstrip(".")]
                    date = pd.Timestamp(year=year, month=month, day=int(g["d"]))
                elif kind == "month":
                    date = _month_end(year, _MONTHS[g["mn"].lower().rstrip(".")])
                elif kind == "quarter":
                    q = int(g["q"] or g["q2"])
                    if year is None and as_of is None:
                        continue
                    date = _month_end(year, 3 * q) if year else _next_end(as_of, 3 * q)
                elif kind == "half":
                    h = int(g["h"])
                    if year is None and as_of is None:
                        continue
                    date = _month_end(year, 6 * h) if year else _next_end(as_of, 6 * h)
                elif kind == "end_of_year":
                    if year is None and as_of is None:
                        continue
                    date = pd.Timestamp(year=year or as_of.year, month=12, day=31)
                else:  # "by 2027": the end of that year
                    date = pd.Timestamp(year=year, month=12, day=31)
                date = _reachable(date)
            except (ValueError, KeyError, TypeError, OverflowError):
                continue
            spans.append((m.start(), m.end()))
            found.append((m.start(), date, m.group(0).strip()))
    if found:
        found.sort(key=lambda f: f[1])
        _pos, date, snippet = found[-1]  # the latest date a goal names is its deadline
        return date, snippet, spans
    if as_of is not None:
        m = _RELATIVE.search(text)
        if m and m.group("unit").lower().startswith(("month", "quarter", "year", "week")):
            n_text = (m.group("n") or "1").lower()
            n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS[n_text]
            date = _after(as_of, n, m.group("unit").lower()[0])
            if date is not None:
                spans.append((m.start(), m.end()))
                return date, m.group(0).strip(), spans
        m = _RELATIVE_INTL.search(text)
        if m:
            n_text = (m.group("n") or "1").lower()
            n = int(n_text) if n_text.isdigit() else _NUMBER_WORDS_INTL[n_text]
            unit = next(k for k, _v in _UNITS_INTL if m.group(k))
            date = _after(as_of, n, unit)
            if date is not None:
                spans.append((m.start(), m.end()))
                return date, m.group(0).strip(), spans
        m = _NEXT.search(text)
        if m:
            unit = m.group("unit").lower()
            if unit == "year":
                date = pd.Timestamp(year=as_of.year + 1, month=12, day=31)
            elif unit == "quarter":
                this_quarter_end = _month_end(as_of.year, 3 * ((as_of.month - 1) // 3 + 1))
                date = this_quarter_end + pd.offsets.QuarterEnd(1)
            else:
                date = as_of + pd.offsets.MonthEnd(0) + pd.offsets.MonthEnd(1)
            spans.append((m.start(), m.end()))
            return date, m.group(0).strip(), spans
    return None, None, spans


def _stem(word: str) -> str:
    word = word.lower()
    for suffix, repl in (("ies", "y"), ("ses", "s"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in re.findall(r"\w+", text.lower().replace("-", " "))]


def same_scope(a: object, b: object) -> bool:
    """Whether two names mean the same product line or product (plural, case, hyphens).

    Examples
    --------
    >>> same_scope("Spare-parts", "spare parts"), same_scope("sensor", "sensors")
    (True, True)
    """
    return " ".join(_words(str(a))) == " ".join(_words(str(b)))


def _find_scope(text: str, names: Sequence[str]) -> str | None:
    """The longest known product line or product the text mentions (plural or singular)."""
    words = _words(text)
    joined = f" {' '.join(words)} "
    best = None
    for name in names:
        stems = _words(str(name))
        if stems and f" {' '.join(stems)} " in joined and (
                best is None or len(str(name)) > len(best)):
            best = str(name)
    return best


def _find_metric(text: str) -> tuple[str | None, str | None]:
    low = f" {text.lower()} "
    for metric, words in METRIC_WORDS.items():
        for word in words:
            if re.search(r"(?<!\w)" + re.escape(word), low):
                return metric, word
    return None, None


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


@dataclass
class _Number:
    value: float
    kind: str  # "percent", "money", "plain"
    start: int
    end: int
    snippet: str
    signed: bool = False
    currency: str | None = None


def _numbers(text: str, skip: Sequence[tuple[int, int]]) -> list[_Number]:
    out: list[_Number] = []
    taken = list(skip)
    for m in _PERCENT.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        raw = m.group("num")
        out.append(_Number(_to_float(raw), "percent", *m.span(), m.group(0),
                           signed=raw[0] in "+-\u2212"))
        taken.append(m.span())
    for m in _AMOUNT.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        raw = m.group("num") or m.group("num2")
        scale = (m.group("scale1") or m.group("scale2") or "").lower()
        cur = (m.group("cur1") or m.group("cur2")).lower()
        if scale == "m" and cur in ("m",):
            continue
        value = _to_float(raw) * _SCALE.get(scale, 1.0)
        out.append(_Number(value, "money", *m.span(), m.group(0).strip(),
                           signed=raw[0] in "+-\u2212", currency=_CURRENCIES[cur]))
        taken.append(m.span())
    for m in _PLAIN.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        raw = m.group("num")
        out.append(_Number(_to_float(raw), "plain", *m.span(), m.group(0).strip(),
                           signed=raw[0] in "+-\u2212"))
    out.sort(key=lambda n: n.start)
    return out


def _preceded_by(text: str, number: _Number, words: Sequence[str], reach: int = 12) -> bool:
    before = text[max(0, number.start - reach): number.start].lower()
    return any(re.search(r"(?<!\w)" + w + r"\s*\(?\s*$", before) for w in words)


def _as_fraction(value: float, number: _Number, metric: str | None) -> float:
    """Percent values of a share or margin are fractions in the data model."""
    if number.kind == "percent" and metric in ("share_of_wallet", "margin"):
        return value / 100.0
    return value


def parse_goal(text: str, *, as_of: pd.Timestamp | None = None,
               product_lines: Sequence[str] = (), products: Sequence[str] = ()
               ) -> ParsedGoal:
    """Read a goal written as free text: numbers, dates, metric and scope.

    Parameters
    ----------
    text : str
        The goal as typed ("+15% sensor revenue in the next 6 months").
    as_of : Timestamp, optional
        The portfolio's "today", for relative deadlines ("in 6 months", "by Q3");
        without it those are not read.
    product_lines, products : sequence of str
        Names the portfolio knows; the longest one the text mentions (singular or
        plural, hyphens or spaces) becomes the scope.

    Returns
    -------
    ParsedGoal
        ``baseline`` and ``target`` from "from X to Y" (or "X ... (from Y)"), a target
        from "to/reach/at X" or a currency amount, ``change`` from a signed or
        verb-led percentage ("+15%", "grow by 15%"); ``missing`` lists what is absent.

    Examples
    --------
    >>> g = parse_goal("+15% sales of sensors in the next 6 months",
    ...                as_of=pd.Timestamp("2026-06-30"), product_lines=["sensors"])
    >>> g.metric, g.scope, g.change, g.deadline.date()
    ('revenue', 'sensors', 0.15, datetime.date(2026, 12, 30))
    >>> g.missing
    ('baseline', 'link')
    >>> g = parse_goal("Raise satisfaction from 3,5 to 4.3 by Q1 2027")
    >>> g.metric, g.baseline, g.target, g.deadline.date()
    ('satisfaction', 3.5, 4.3, datetime.date(2027, 3, 31))
    >>> parse_goal("Win EUR 450k of display revenue by end of 2026",
    ...            product_lines=["displays"]).target
    450000.0
    >>> parse_goal("Improve the relationship").missing
    ('metric', 'scope', 'baseline', 'target', 'deadline', 'link')
    """
    text = str(text or "").strip()
    norm = text.translate(_DIGITS)
    as_of = None if as_of is None else pd.Timestamp(as_of).normalize()
    found: list[tuple[str, str]] = []
    sources: dict[str, str] = {}

    deadline, date_snippet, date_spans = _find_dates(norm, as_of)
    if deadline is not None:
        found.append(("deadline", date_snippet or ""))
        sources["deadline"] = "text"
    metric, metric_word = _find_metric(norm)
    if metric:
        found.append(("metric", metric_word or ""))
        sources["metric"] = "text"
    scope = _find_scope(norm, list(product_lines)) or _find_scope(norm, list(products))
    if scope:
        found.append(("scope", scope))
        sources["scope"] = "text"
        if metric is None:
            metric = "revenue" if re.search(r"(?<!\w)(grow|win|sell|\+)", norm.lower()) or (
                "%" in norm or _AMOUNT.search(norm)) else None
            if metric:
                sources["metric"] = "text"

    # Spans of names that contain digits ("SIL 2", "PSU-600W") are not numbers of the goal.
    name_spans = [m.span() for name in (*product_lines, *products) if re.search(r"\d", str(
        name)) for m in re.finditer(re.escape(str(name)), norm, re.I)]
    relative_spans = [m.span() for m in re.finditer(
        r"\b(?:within|in|under|below)\s+\d+\s*(?:working\s+)?(?:hours?|days?|h)\b", norm, re.I)]
    numbers = _numbers(norm, date_spans + name_spans + relative_spans)
    baseline = target = change = None
    low = norm.lower()
    m = re.search(r"from\s+(?P<a>[^\s]+(?:\s?%)?)\s+(?:\w+\s+){0,2}?to\s+(?P<b>[^\s]+)", low)
    pair = None
    if m:
        inside = [n for n in numbers if m.start() <= n.start < m.end()]
        if len(inside) >= 2:
            pair = (inside[0], inside[1])
    if pair is None:
        froms = [n for n in numbers if _preceded_by(norm, n, ("from", "z", "с", "از"))]
        if froms:
            base = froms[0]
            others = [n for n in numbers if n is not base and not n.signed and (
                n.kind == base.kind or base.kind == "plain" or n.kind == "plain")]
            if others:
                pair = (base, others[0])
    if pair is not None:
        a, b = pair
        if b.kind == "percent" and a.kind == "plain":
            a = replace(a, kind="percent")
        if a.kind == "percent" and b.kind == "plain":
            b = replace(b, kind="percent")
        baseline = _as_fraction(a.value, a, metric)
        target = _as_fraction(b.value, b, metric)
        found += [("baseline", a.snippet), ("target", b.snippet)]
    else:
        percents = [n for n in numbers if n.kind == "percent"]
        moneys = [n for n in numbers if n.kind == "money"]
        targets = [n for n in numbers if _preceded_by(norm, n, (
            "to", "reach", "at", "of", "least", "keep", "hold", "do", "до", "تا"))]
        signed = [n for n in percents if n.signed or _preceded_by(norm, n, _CHANGE_WORDS, 20)]
        if signed:
            n = signed[0]
            value = n.value / 100.0
            down = n.value < 0 or any(w in low for w in _DOWN_WORDS)
            change = -abs(value) if down else abs(value)
            found.append(("change", n.snippet))
        elif moneys:
            target = moneys[0].value
            found.append(("target", moneys[0].snippet))
        elif targets:
            n = targets[0]
            target = _as_fraction(n.value, n, metric)
            found.append(("target", n.snippet))
        elif percents:
            n = percents[0]
            target = _as_fraction(n.value, n, metric)
            found.append(("target", n.snippet))
    for name, value in (("baseline", baseline), ("target", target), ("change", change)):
        if value is not None:
            sources[name] = "text"

    missing = []
    if metric is None:
        missing.append("metric")
    if scope is None and metric not in ACCOUNT_WIDE_METRICS:
        missing.append("scope")
    if baseline is None:
        missing.append("baseline")
    if target is None and change is None:
        missing.append("target")
    if deadline is None:
        missing.append("deadline")
    missing.append("link")
    return ParsedGoal(text=text, metric=metric, scope=scope, baseline=baseline, target=target,
                      change=change, start=as_of, deadline=deadline, linked_to=None,
                      sources=sources, found=tuple(found), missing=tuple(missing))


# --------------------------------------------------------------------------------------
# Verdicts


@dataclass(frozen=True)
class LetterVerdict:
    """The verdict on one letter of SMART.

    Attributes
    ----------
    letter : str
        ``S``, ``M``, ``A``, ``R`` or ``T``.
    status : str
        ``pass``, ``warn`` (passes, but discuss it), ``fail`` or ``not_judged``
        (another letter's failure leaves nothing to judge).
    code : str
        Stable reason code (``no_metric``, ``stretch``, ``deadline_passed`` ...).
    reason : str
        The reason in words, in the current language.
    """

    letter: str
    status: str
    code: str
    reason: str

    @property
    def ok(self) -> bool:
        """Whether the letter passes (a warning passes)."""
        return self.status in ("pass", "warn")


@dataclass(frozen=True)
class GoalVerdict:
    """The SMART verdict of one goal.

    Attributes
    ----------
    goal_id : str or None
        None for a typed goal.
    goal : ParsedGoal
        What was judged (columns, text and data combined).
    letters : tuple of LetterVerdict
        S, M, A, R, T in order.
    required_growth, trend : float or None
        Growth per year the goal asks for, and the account's own trend (growth goals).
    """

    goal_id: str | None
    goal: ParsedGoal
    letters: tuple[LetterVerdict, ...]
    required_growth: float | None = None
    trend: float | None = None

    @property
    def smart(self) -> bool:
        """True when every letter passes (warnings included)."""
        return all(v.ok for v in self.letters)

    @property
    def failed(self) -> tuple[str, ...]:
        """Letters that fail, in SMART order."""
        return tuple(v.letter for v in self.letters if v.status == "fail")

    @property
    def ambition(self) -> str | None:
        """``stretch``, ``easy`` or None, from the Achievable letter."""
        a = self.letter("A")
        return a.code if a.code in ("stretch", "easy") else None

    def letter(self, code: str) -> LetterVerdict:
        """The verdict on one letter (``"S"`` ... ``"T"``)."""
        return next(v for v in self.letters if v.letter == code)

    def details(self) -> pd.DataFrame:
        """The letter-by-letter verdict: ``letter``, ``verdict``, ``reason``, ``code``."""
        return pd.DataFrame([{"letter": v.letter, "verdict": v.status, "reason": v.reason,
                              "code": v.code} for v in self.letters],
                            columns=["letter", "verdict", "reason", "code"])


@dataclass
class _Context:
    """What the checks need to know about one account, gathered once."""

    as_of: pd.Timestamp
    currency: str | None
    transactions: pd.DataFrame
    links: dict[str, str]  # id -> text of this account's needs and opportunities
    elsewhere: dict[str, str]  # id -> account of other accounts' needs and opportunities
    opportunity_pipeline: float
    opportunity_weighted: float
    opportunity_count: int
    product_lines: list[str]
    products: list[str]
    opportunities: pd.DataFrame
    data_start: pd.Timestamp
    our_share: float | None


def _context(portfolio: Portfolio, account_id: str) -> _Context:
    from kamkit.needs.dossier import size_of_opportunity

    key = portfolio.check_account(account_id)
    needs = portfolio.table_for("needs", key)
    opps = portfolio.table_for("opportunities", key)
    links = {str(i): str(t) for i, t in zip(needs["need_id"], needs["need"], strict=True)
             if pd.notna(i)}
    links.update({str(i): str(t) for i, t in zip(opps["opportunity_id"], opps["opportunity"],
                                                 strict=True) if pd.notna(i)})
    elsewhere = {}
    for table, column in (("needs", "need_id"), ("opportunities", "opportunity_id")):
        frame = portfolio.tables[table]
        other = frame[(frame["account_id"] != key) & frame[column].notna()]
        elsewhere.update(dict(zip(other[column].astype(str), other["account_id"].astype(str),
                                  strict=True)))
    size = size_of_opportunity(portfolio, key).set_index("horizon")
    tx = portfolio.table_for("transactions", key)
    all_tx = portfolio.transactions
    lines = sorted({str(v) for v in all_tx["product_line"].dropna().unique()} | {
        str(v) for v in opps["product_line"].dropna().unique()})
    return _Context(
        as_of=pd.Timestamp(portfolio.as_of).normalize(),
        currency=portfolio.currency,
        transactions=tx,
        links=links,
        elsewhere=elsewhere,
        opportunity_pipeline=float(size.loc[1, "pipeline"]),
        opportunity_weighted=float(size.loc[1, "weighted"]),
        opportunity_count=int(size.loc[1, "opportunities"]),
        product_lines=lines,
        products=sorted(str(v) for v in all_tx["product"].dropna().unique()),
        opportunities=opps,
        # The day before the first recorded sale: rolling periods are (start, end].
        data_start=(all_tx["date"].min() - pd.Timedelta(days=1)) if len(all_tx) else
        pd.Timestamp(portfolio.as_of),
        our_share=our_share(portfolio, key),
    )


def our_share(portfolio: Portfolio, account_id: str) -> float | None:
    """Our share of the customer's wallet in the latest wallet year, or None.

    Read from :func:`kamkit.needs.dossier.share_of_wallet` (our revenue over the customer's
    spend); None when the account has no wallet figures.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> round(our_share(company_x(), "CX-009"), 2)
    0.28
    """
    from kamkit.needs.dossier import US, share_of_wallet

    sow = share_of_wallet(portfolio, account_id)
    ours = sow[(sow["party"] == US) & (sow["year"] == sow["year"].max())]["share"] if len(
        sow) else sow
    if not len(ours) or pd.isna(ours.iloc[0]):
        return None
    return float(ours.iloc[0])


def _scope_rows(ctx: _Context, scope: str | None) -> tuple[pd.DataFrame, str]:
    """The account's transactions of the scope, and ``line``/``product``/``account``."""
    tx = ctx.transactions
    if scope:
        key = " ".join(_words(scope))
        for column, kind in (("product_line", "line"), ("product", "product")):
            values = tx[column].dropna().astype(str)
            names = {v for v in values.unique() if " ".join(_words(v)) == key}
            if names:
                return tx[tx[column].isin(names)], kind
            if any(" ".join(_words(v)) == key for v in ctx.product_lines) and column == \
                    "product_line":
                return tx.iloc[0:0], "line"  # a line we sell, which this account never bought
    return tx, "account"


def _measured_baseline(ctx: _Context, metric: str, scope: str | None, start: pd.Timestamp
                       ) -> float | None:
    """What kamkit can measure itself: where a goal set on ``start`` started.

    Revenue or units of the scope in the twelve months before ``start``; the gross
    margin rate of the scope in those months; our share of the customer's wallet in the
    latest wallet year (:func:`kamkit.needs.dossier.share_of_wallet`). None when the scope is
    named but not found in the sales data, or the data is missing.
    """
    if metric == "share_of_wallet":
        return ctx.our_share
    if metric not in SALES_METRICS and metric != "margin":
        return None
    rows, kind = _scope_rows(ctx, scope)
    if kind == "account" and scope:
        return None
    window = rows[(rows["date"] > start - pd.DateOffset(months=12)) & (rows["date"] <= start)]
    if metric == "margin":
        revenue = float(window["revenue"].sum())
        return (revenue - float(window["cost"].sum())) / revenue if revenue > 0 else None
    return float(window[SALES_METRICS[metric]].sum())


def _trend(ctx: _Context, metric: str, start: pd.Timestamp, years: int) -> float | None:
    """The account's compound growth per year over the complete rolling years before ``start``.

    The whole account, not the product line: one line's year-to-year sales swing with
    single orders, while the account's total is the history the team can plan from.
    """
    column = SALES_METRICS.get(metric, "revenue")
    # Only rolling years the data covers completely: a year cut in half by the start of
    # the records would look like a collapse, and the next one like a boom.
    complete = [k for k in range(years) if period(start, 12, k)[0] >= ctx.data_start]
    if ctx.transactions.empty or len(complete) < 2:
        return None
    by_year = sales_by_year(ctx.transactions, start, years=max(complete) + 1, by=())
    values = dict(zip(by_year["year"], by_year[column], strict=True))
    series = [float(values.get(k, 0.0)) for k in sorted(complete, reverse=True)]
    while series and series[0] <= 0:
        series.pop(0)
    if len(series) < 2 or series[-1] <= 0:
        return None
    return (series[-1] / series[0]) ** (1.0 / (len(series) - 1)) - 1.0


def _pct(value: float | None) -> str:
    return format_percent(value, 0)


def _value(value: float | None, metric: str | None, currency: str | None) -> str:
    if value is None:
        return "\u2013"
    if metric == "revenue":
        return format_money(value, currency)
    if metric in ("share_of_wallet", "margin"):
        return format_percent(value, 0)
    return format_number(value, 0 if float(value).is_integer() else 1)


def _metric_label(metric: str | None) -> str:
    from kamkit.data.labels import value_label

    return value_label(metric) if metric and metric != "other" else _("the measure")


def _judge_specific(g: ParsedGoal) -> LetterVerdict:
    if not g.metric:
        return LetterVerdict("S", "fail", "no_metric", _(
            "No metric: say what will be measured (revenue, units, margin, share of "
            "wallet, satisfaction, lead time ...)."))
    if g.metric in ACCOUNT_WIDE_METRICS and not g.scope:
        return LetterVerdict("S", "pass", "account_wide", _(
            "{metric} is measured for the whole account, so the account is the scope."
            ).format(metric=_metric_label(g.metric)))
    if not g.scope:
        return LetterVerdict("S", "fail", "no_scope", _(
            "It names {metric} but not what it is about: add the product, product line or "
            "site.").format(metric=_metric_label(g.metric).lower()))
    return LetterVerdict("S", "pass", "specific", _("{metric} of {scope}.").format(
        metric=_metric_label(g.metric), scope=g.scope))


def _judge_measurable(g: ParsedGoal, ctx: _Context) -> LetterVerdict:
    if g.baseline is None and g.target is None:
        return LetterVerdict("M", "fail", "no_numbers", _(
            "No numbers: state where you start and where you want to be (\"from 62% to "
            "85%\", \"+15%\")."))
    if g.baseline is None:
        return LetterVerdict("M", "fail", "no_baseline", _(
            "A target but no baseline: say where you start, or name a product line whose "
            "sales kamkit can measure."))
    if g.target is None and g.change is not None and g.baseline == 0:
        return LetterVerdict("M", "fail", "change_of_nothing", _(
            "A change of {change} from nothing is still nothing: the baseline is 0, so "
            "state the target itself (an amount or a number of units).").format(
            change=_pct(g.change)))
    if g.target is None:
        return LetterVerdict("M", "fail", "no_target", _(
            "A baseline but no target: say where you want to be."))
    text = _("From {baseline} to {target}.").format(
        baseline=_value(g.baseline, g.metric, ctx.currency),
        target=_value(g.target, g.metric, ctx.currency))
    if g.sources.get("baseline") == "data":
        if g.metric == "share_of_wallet":
            text += " " + _("The baseline is our share of the customer's wallet in the "
                            "latest wallet year.")
        else:
            text += " " + _("The baseline is measured from the sales data: the twelve "
                            "months before {date}.").format(date=format_date(g.start))
        return LetterVerdict("M", "pass", "baseline_from_data", text)
    return LetterVerdict("M", "pass", "measurable", text)


def _years(g: ParsedGoal) -> float:
    days = (g.deadline - g.start).days
    return max(days / 365.25, 1.0 / 12.0)


def _judge_achievable(g: ParsedGoal, ctx: _Context, th: SmartThresholds
                      ) -> tuple[LetterVerdict, float | None, float | None]:
    if g.baseline is None or g.target is None:
        return LetterVerdict("A", "not_judged", "needs_numbers", _(
            "Cannot be judged without a baseline and a target.")), None, None
    if g.deadline is None or g.start is None:
        return LetterVerdict("A", "not_judged", "needs_deadline", _(
            "Cannot be judged without a deadline: the same growth is easy in three years "
            "and absurd in three weeks.")), None, None
    if g.deadline <= g.start:
        return LetterVerdict("A", "not_judged", "needs_deadline", _(
            "Cannot be judged: the deadline is not after the day the goal was set, so "
            "there is no time to reach it.")), None, None
    metric = g.metric or "other"
    years = _years(g)
    low, high = METRIC_SCALES.get(metric, (None, None))
    if (low is not None and g.target < low) or (high is not None and g.target > high):
        return LetterVerdict("A", "fail", "off_scale", _(
            "The target {target} is outside what {metric} can be ({low} to {high})."
        ).format(target=_value(g.target, metric, ctx.currency), metric=_metric_label(metric),
                 low=_value(low, metric, ctx.currency), high=_value(high, metric,
                                                                    ctx.currency)
                 if high is not None else "\u221e")), None, None
    if g.target == g.baseline:
        return LetterVerdict("A", "pass", "hold", _(
            "It holds today's level ({value}); whether that is hard depends on the "
            "competition, which the plan's protect actions address.").format(
            value=_value(g.target, metric, ctx.currency))), None, None
    if metric in SALES_METRICS:
        if g.baseline <= 0:
            return (_judge_new_business(g, ctx), None, None)
        if g.target < g.baseline:
            return LetterVerdict("A", "warn", "decline", _(
                "The target is below the baseline: the goal plans for less {metric} than "
                "today. Is that intended?").format(
                metric=_metric_label(metric).lower())), None, None
        return _judge_growth(g, ctx, th, years)
    if g.baseline == 0:
        return LetterVerdict("A", "pass", "from_zero", _(
            "Starts from zero, so there is no growth rate to compare; kamkit has no "
            "history for this measure: the team judges whether {target} is within reach."
        ).format(target=_value(g.target, metric, ctx.currency))), None, None
    rate = abs(g.target - g.baseline) / abs(g.baseline) / years
    if rate > th.absurd:
        return LetterVerdict("A", "fail", "absurd", _(
            "It asks for a change of {rate} a year, more than the {limit} a year kamkit "
            "treats as achievable.").format(rate=_pct(rate), limit=_pct(th.absurd))), rate, None
    return LetterVerdict("A", "pass", "no_history", _(
        "A change of {rate} a year. kamkit has no history for this measure: the team "
        "judges the effort.").format(rate=_pct(rate))), rate, None


def _judge_new_business(g: ParsedGoal, ctx: _Context) -> LetterVerdict:
    target = _value(g.target, g.metric, ctx.currency)
    if ctx.opportunity_count == 0:
        return LetterVerdict("A", "warn", "no_opportunities", _(
            "New business of {target}, but the dossier sizes no opportunity at this account "
            "to compare it with: record the opportunity first.").format(target=target))
    pipeline = format_money(ctx.opportunity_pipeline, ctx.currency)
    weighted = format_money(ctx.opportunity_weighted, ctx.currency)
    if g.target > ctx.opportunity_pipeline:
        return LetterVerdict("A", "fail", "beyond_opportunities", _(
            "New business of {target} is more than every opportunity in the dossier would "
            "bring next year if all were won ({pipeline}).").format(
            target=target, pipeline=pipeline))
    if g.target > ctx.opportunity_weighted:
        return LetterVerdict("A", "warn", "stretch", _(
            "A stretch: new business of {target} is more than the probability-weighted size "
            "of opportunity next year ({weighted}, of {pipeline} if everything were won)."
        ).format(target=target, weighted=weighted, pipeline=pipeline))
    return LetterVerdict("A", "pass", "within_opportunity", _(
        "New business of {target}, within the probability-weighted size of opportunity next "
        "year ({weighted}).").format(target=target, weighted=weighted))


def _judge_growth(g: ParsedGoal, ctx: _Context, th: SmartThresholds, years: float
                  ) -> tuple[LetterVerdict, float | None, float | None]:
    required = (g.target / g.baseline - 1.0) / years
    trend = _trend(ctx, g.metric, g.start, th.history_years)
    own = max(trend, 0.0) if trend is not None else 0.0
    asked = _("It asks for {required} a year").format(required=_pct(required))
    if trend is None:
        history = _("the account has too little history for a trend, so it is compared "
                    "with no growth")
    else:
        history = _("the account's revenue changed by {trend} a year before the goal was "
                    "set").format(trend=_pct(trend))
    if required - own > th.absurd:
        return LetterVerdict("A", "fail", "absurd", _(
            "{asked}; {history}. That is more than {limit} a year above the trend: not "
            "achievable.").format(asked=asked, history=history, limit=_pct(th.absurd))
        ), required, trend
    beyond_trend = g.target - g.baseline * (1.0 + own * years)
    if required - own > th.stretch:
        return LetterVerdict("A", "warn", "stretch", _(
            "A stretch. {asked}; {history}: {gap} a year above the trend.").format(
            asked=asked, history=history, gap=_pct(required - own))), required, trend
    if ctx.opportunity_count and beyond_trend > ctx.opportunity_weighted and (
            g.metric == "revenue"):
        return LetterVerdict("A", "warn", "stretch", _(
            "A stretch. {asked}; {history}. The {extra} the trend will not bring is more "
            "than the probability-weighted size of opportunity next year ({weighted})."
        ).format(asked=asked, history=history, extra=format_money(beyond_trend, ctx.currency),
                 weighted=format_money(ctx.opportunity_weighted, ctx.currency))
        ), required, trend
    if trend is not None and required <= trend - th.easy:
        return LetterVerdict("A", "warn", "easy", _(
            "Trivially easy. {asked}; {history}: the trend alone gets there. Ask for more, "
            "or say what the plan adds.").format(asked=asked, history=history)
        ), required, trend
    return LetterVerdict("A", "pass", "achievable", _(
        "{asked}; {history}: ambitious but within reach.").format(
        asked=asked, history=history)), required, trend


def _judge_relevant(g: ParsedGoal, ctx: _Context) -> LetterVerdict:
    link = g.linked_to
    if link and link in ctx.links:
        return LetterVerdict("R", "pass", "linked", _("It answers {id}: \u201c{text}\u201d."
                                                       ).format(id=link, text=ctx.links[link]))
    if link and link in ctx.elsewhere:
        return LetterVerdict("R", "fail", "linked_elsewhere", _(
            "It is linked to {id}, which belongs to account {account}, not to this one."
        ).format(id=link, account=ctx.elsewhere[link]))
    if link:
        return LetterVerdict("R", "fail", "unknown_link", _(
            "It is linked to {id}, but no need or opportunity has that id.").format(id=link))
    hint = _suggest_links(g, ctx)
    text = _("Not linked to any need or opportunity of this account: which customer need "
             "does it answer?")
    if hint:
        text += " " + _("Candidates: {ids}.").format(ids=", ".join(hint))
    return LetterVerdict("R", "fail", "not_linked", text)


def _suggest_links(g: ParsedGoal, ctx: _Context) -> list[str]:
    """Needs and opportunities that share the goal's scope or words (at most three)."""
    if not g.scope and not g.text:
        return []
    goal_words = set(_words(g.scope or "")) | {w for w in _words(g.text) if len(w) > 4}
    scored = []
    for link, text in ctx.links.items():
        words = set(_words(text))
        opp = ctx.opportunities[ctx.opportunities["opportunity_id"] == link]
        if len(opp):
            words |= set(_words(str(opp["product_line"].iloc[0])))
        overlap = len(goal_words & words)
        if overlap:
            scored.append((-overlap, link))
    return [link for _n, link in sorted(scored)[:3]]


def _judge_time(g: ParsedGoal, ctx: _Context, th: SmartThresholds) -> LetterVerdict:
    if g.deadline is None:
        return LetterVerdict("T", "fail", "no_deadline", _(
            "No deadline: say by when (a date, \"by Q3 2027\", \"in 6 months\")."))
    horizon = ctx.as_of + pd.DateOffset(months=th.horizon_months)
    due = format_date(g.deadline)
    if g.deadline <= ctx.as_of:
        return LetterVerdict("T", "fail", "deadline_passed", _(
            "The deadline {due} has passed (today is {today}): set a new one or close the "
            "goal.").format(due=due, today=format_date(ctx.as_of)))
    if g.start is not None and g.deadline < g.start:
        return LetterVerdict("T", "fail", "deadline_before_start", _(
            "The deadline {due} lies before the goal was set ({start}).").format(
            due=due, start=format_date(g.start)))
    if g.deadline > horizon:
        return LetterVerdict("T", "fail", "beyond_horizon", _(
            "The deadline {due} lies beyond the plan horizon ({horizon}): split it into a "
            "milestone within the plan.").format(due=due, horizon=format_date(horizon)))
    return LetterVerdict("T", "pass", "in_horizon", _("Due {due}, within the plan.").format(
        due=due))


def _judge(goal_id: str | None, g: ParsedGoal, ctx: _Context, th: SmartThresholds
           ) -> GoalVerdict:
    achievable, required, trend = _judge_achievable(g, ctx, th)
    letters = (_judge_specific(g), _judge_measurable(g, ctx), achievable,
               _judge_relevant(g, ctx), _judge_time(g, ctx, th))
    return GoalVerdict(goal_id, g, letters, required, trend)


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _complete(g: ParsedGoal, ctx: _Context) -> ParsedGoal:
    """Fill a missing baseline from the data, and a target from a stated change."""
    baseline, target, sources = g.baseline, g.target, dict(g.sources)
    start = g.start if g.start is not None else ctx.as_of
    if baseline is None and g.metric and (g.change is not None or target is not None):
        measured = _measured_baseline(ctx, g.metric, g.scope, start)
        if measured is not None:
            baseline = measured
            sources["baseline"] = "data"
    if target is None and g.change is not None and baseline:
        target = baseline * (1.0 + g.change)
        sources["target"] = sources.get("change", "text")
    return replace(g, baseline=baseline, target=target, start=start, sources=sources)


def _from_row(row: Mapping[str, Any], ctx: _Context) -> ParsedGoal:
    """A goal of the goals table; empty columns are filled from its text where it says."""
    text = str(_clean(row.get("goal")) or "")
    read = parse_goal(text, as_of=ctx.as_of, product_lines=ctx.product_lines,
                      products=ctx.products)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in ("metric", "scope", "baseline", "target", "deadline", "linked_to"):
        value = _clean(row.get(name))
        if value is not None:
            values[name] = float(value) if name in ("baseline", "target") else value
            sources[name] = "column"
        elif name != "linked_to" and getattr(read, name) is not None:
            values[name] = getattr(read, name)
            sources[name] = "text"
    start = _clean(row.get("start"))
    g = ParsedGoal(text=text, metric=values.get("metric"), scope=values.get("scope"),
                   baseline=values.get("baseline"), target=values.get("target"),
                   change=read.change if "target" not in values else None,
                   start=pd.Timestamp(start) if start is not None else None,
                   deadline=pd.Timestamp(values["deadline"]) if "deadline" in values else None,
                   linked_to=str(values["linked_to"]) if "linked_to" in values else None,
                   sources={**sources, **({"change": "text"} if read.change is not None
                                          and "target" not in values else {})},
                   found=read.found, missing=read.missing)
    return _complete(g, ctx)


def check_goal(portfolio: Portfolio, account_id: str, goal: Mapping[str, Any] | pd.Series, *,
               thresholds: SmartThresholds | None = None) -> GoalVerdict:
    """Check one structured goal (a row of the ``goals`` table, or a dict like it).

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
        The account the goal belongs to.
    goal : mapping
        Keys as the ``goals`` table's columns; missing ones count as empty, and empty
        ones are filled from the goal's text where the text says them.
    thresholds : SmartThresholds, optional

    Returns
    -------
    GoalVerdict

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> v = check_goal(cx, "CX-008", {"goal": "+12% revenue from drives",
    ...     "metric": "revenue", "scope": "drives", "baseline": 521000, "target": 584000,
    ...     "start": "2026-03-01", "linked_to": "O-008-01"})
    >>> v.smart, v.failed, v.letter("T").code
    (False, ('T',), 'no_deadline')
    """
    th = thresholds or SmartThresholds()
    ctx = _context(portfolio, account_id)
    row = dict(goal)
    return _judge(_clean(row.get("goal_id")), _from_row(row, ctx), ctx, th)


def check_text(portfolio: Portfolio, account_id: str, text: str, *, linked_to: str | None = None,
               thresholds: SmartThresholds | None = None) -> GoalVerdict:
    """Check a goal typed as free text (the workshop exercise), letter by letter.

    The goal is read with :func:`parse_goal` against the product lines and products of
    the portfolio; a revenue or volume goal that states a change but no baseline gets
    its baseline from the data (the scope's last twelve months before ``as_of``). The
    goal counts as set today (``as_of``).

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
        The account the goal is for (its history, opportunities, needs).
    text : str
        The goal as typed.
    linked_to : str, optional
        The need or opportunity id it answers (text alone cannot say that).
    thresholds : SmartThresholds, optional

    Returns
    -------
    GoalVerdict

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> v = check_text(cx, "CX-001", "+10% spare-parts revenue in the next 9 months",
    ...                linked_to="N-001-02")
    >>> [(x.letter, x.status) for x in v.letters]
    [('S', 'pass'), ('M', 'pass'), ('A', 'pass'), ('R', 'pass'), ('T', 'pass')]
    >>> check_text(cx, "CX-001", "Improve the relationship").failed
    ('S', 'M', 'R', 'T')
    """
    th = thresholds or SmartThresholds()
    ctx = _context(portfolio, account_id)
    parsed = parse_goal(text, as_of=ctx.as_of, product_lines=ctx.product_lines,
                        products=ctx.products)
    link = _clean(linked_to)
    parsed = replace(parsed, linked_to=link,
                     missing=tuple(m for m in parsed.missing if not (m == "link" and link)))
    return _judge(None, _complete(parsed, ctx), ctx, th)


def _verdicts(portfolio: Portfolio, account_id: str, thresholds: SmartThresholds | None
              ) -> list[GoalVerdict]:
    th = thresholds or SmartThresholds()
    ctx = _context(portfolio, account_id)
    goals = portfolio.table_for("goals", account_id)
    return [_judge(str(row["goal_id"]), _from_row(row, ctx), ctx, th)
            for row in goals.to_dict(orient="records")]


def verdicts_table(verdicts: Sequence[GoalVerdict]) -> pd.DataFrame:
    """One row per goal: the five letters, ``smart``, ``ambition`` and the ``issues``.

    ``issues`` joins the reasons of every letter that fails or asks for discussion.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> typed = [check_text(cx, "CX-001", t) for t in ("Improve the relationship",
    ...          "+10% spare-parts revenue by 2027-03-31")]
    >>> verdicts_table(typed)[["specific", "measurable", "relevant", "smart"]]
      specific measurable relevant  smart
    0     fail       fail     fail  False
    1     pass       pass     fail  False
    """
    columns = ["goal_id", "goal", *[c for _l, c, _t in LETTERS], "smart", "ambition",
               "required_growth", "trend", "issues"]
    rows = []
    for v in verdicts:
        row: dict[str, Any] = {"goal_id": v.goal_id, "goal": v.goal.text}
        for (code, column, _label), verdict in zip(LETTERS, v.letters, strict=True):
            assert verdict.letter == code
            row[column] = verdict.status
        row["smart"] = v.smart
        row["ambition"] = v.ambition
        row["required_growth"] = v.required_growth
        row["trend"] = v.trend
        row["issues"] = " ".join(f"{x.letter}: {x.reason}" for x in v.letters
                                 if x.status in ("fail", "warn"))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"required_growth": "float64", "trend": "float64"})


def smart_check(portfolio: Portfolio, account_id: str, *, thresholds: SmartThresholds | None = None
                ) -> pd.DataFrame:
    """The SMART check of every goal of an account's plan.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    thresholds : SmartThresholds, optional
        Plan horizon and the stretch / easy / absurd limits.

    Returns
    -------
    DataFrame
        One row per goal, in the goals table's order: ``goal_id``, ``goal``, one column
        per letter (``specific``, ``measurable``, ``achievable``, ``relevant``,
        ``time_bound``; values ``pass``, ``warn``, ``fail``, ``not_judged``),
        ``smart`` (bool), ``ambition`` (``stretch``, ``easy`` or empty),
        ``required_growth`` and ``trend`` (growth goals), ``issues`` (the reasons to
        read). Empty when the account has no goals.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> table = smart_check(company_x(), "CX-003")
    >>> table[["goal_id", "measurable", "smart"]]
       goal_id measurable  smart
    0  G-003-1       fail  False
    1  G-003-2       pass   True
    2  G-003-3       pass   True
    """
    return verdicts_table(_verdicts(portfolio, account_id, thresholds))


def smart_details(portfolio: Portfolio, account_id: str, *,
                  thresholds: SmartThresholds | None = None
                  ) -> pd.DataFrame:
    """The letter-by-letter verdicts of every goal: one row per goal and letter.

    Returns
    -------
    DataFrame
        ``goal_id``, ``letter`` (S, M, A, R, T), ``verdict``, ``reason``, ``code``.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> d = smart_details(company_x(), "CX-006")
    >>> d[(d["goal_id"] == "G-006-1") & (d["letter"] == "A")]["code"].item()
    'absurd'
    """
    frames = [v.details().assign(goal_id=v.goal_id) for v in _verdicts(
        portfolio, account_id, thresholds)]
    columns = ["goal_id", "letter", "verdict", "reason", "code"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
