"""Languages: message catalogs and locale-aware formatting.

Every user-facing string kamkit produces goes through :func:`_` (or is marked with
:func:`N_` where it is defined at import time and translated where it is shown). The
catalogs are standard gettext ``.po`` files under ``kamkit/locale/<lang>/LC_MESSAGES``,
extracted and updated with Babel (``python tasks.py catalogs``). They are read with
Babel at first use, so there is no compiled ``.mo`` file to fall out of date.

The current language is a context variable: set it once with :func:`set_language`
(what a notebook's ``language`` parameter does), or for a block with
:func:`use_language`. English is the default and the source language.

Numbers, money, percentages and dates follow the language's CLDR conventions (Babel):
decimal comma and a non-breaking space between thousands in Polish and Russian,
Gregorian dates with Persian month names in Persian. Digits are Latin by default; the
numeral setting (:func:`set_numerals`, :func:`use_numerals` or the ``numerals=``
keyword of every ``format_*`` function) switches to the language's native digits
(Persian ``۱۲۳``). Plural rules come from :data:`PLURAL_FORMS`, the gettext form of
Babel's CLDR rules for whole numbers. ``docs/languages.md`` explains it all.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import datetime as _dt
import decimal
import functools
import math
from collections.abc import Callable, Iterator
from gettext import c2py
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "NUMERALS",
    "PLURAL_FORMS",
    "_",
    "N_",
    "gettext",
    "ngettext",
    "plural_index",
    "reload_catalogs",
    "set_language",
    "get_language",
    "use_language",
    "check_language",
    "text_direction",
    "set_numerals",
    "get_numerals",
    "use_numerals",
    "check_numerals",
    "format_number",
    "format_money",
    "format_percent",
    "format_date",
]

#: Languages kamkit speaks, by ISO 639-1 code.
LANGUAGES: tuple[str, ...] = ("en", "fa", "pl", "ru")
DEFAULT_LANGUAGE = "en"
_RTL = frozenset({"fa"})
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "kamkit"

#: Digit styles: ``latin`` (0-9, the default) or ``native`` (the language's own digits
#: in CLDR, e.g. Persian ۰-۹; for English, Polish and Russian the same as ``latin``).
NUMERALS: tuple[str, ...] = ("latin", "native")
DEFAULT_NUMERALS = "latin"

#: gettext plural rules per language. They are Babel's CLDR plural rules restricted to
#: whole numbers (counts are whole): Polish and Russian distinguish one / few / many
#: (CLDR's fourth category, "other", only occurs for fractions), Persian one (0 and 1) /
#: other. The catalogs' ``Plural-Forms`` headers are written from this table, and
#: ``tests/test_i18n.py`` checks it against Babel for 0..1000.
PLURAL_FORMS: dict[str, str] = {
    "en": "nplurals=2; plural=(n != 1);",
    "fa": "nplurals=2; plural=(n > 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) "
          "? 1 : 2);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
}

#: Digits of CLDR numbering systems that Babel leaves to the caller.
_SYSTEM_DIGITS = {"arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}

_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "kamkit_language", default=DEFAULT_LANGUAGE
)
_numerals: contextvars.ContextVar[str] = contextvars.ContextVar(
    "kamkit_numerals", default=DEFAULT_NUMERALS
)


def check_language(language: str | None) -> str:
    """Return a supported language code, or raise a clear :class:`ParameterError`.

    Parameters
    ----------
    language : str or None
        A code such as ``"fa"``; ``None`` means the current language.

    Returns
    -------
    str
        The normalised code.

    Examples
    --------
    >>> check_language("PL")
    'pl'
    """
    if language is None:
        return get_language()
    code = str(language).strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        from kamkit.exceptions import ParameterError

        raise ParameterError(
            "language",
            f"{language!r} is not a language kamkit speaks; choose one of {', '.join(LANGUAGES)}",
        )
    return code


def set_language(language: str) -> str:
    """Make ``language`` the current language for everything kamkit says.

    Returns
    -------
    str
        The normalised language code.
    """
    code = check_language(language)
    _language.set(code)
    return code


def get_language() -> str:
    """Return the current language code."""
    return _language.get()


@contextlib.contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Speak ``language`` inside a ``with`` block (``None`` keeps the current one).

    Examples
    --------
    >>> with use_language("ru"):
    ...     get_language()
    'ru'
    """
    code = check_language(language)
    token = _language.set(code)
    try:
        yield code
    finally:
        _language.reset(token)


def text_direction(language: str | None = None) -> str:
    """Return ``"rtl"`` for right-to-left languages, ``"ltr"`` otherwise.

    Examples
    --------
    >>> text_direction("fa"), text_direction("pl")
    ('rtl', 'ltr')
    """
    return "rtl" if check_language(language) in _RTL else "ltr"


def check_numerals(numerals: str | None) -> str:
    """Return a valid digit style, or raise a clear :class:`ParameterError`.

    Parameters
    ----------
    numerals : str or None
        ``"latin"`` or ``"native"``; ``None`` means the current setting.

    Returns
    -------
    str

    Examples
    --------
    >>> check_numerals("Native")
    'native'
    """
    if numerals is None:
        return get_numerals()
    value = str(numerals).strip().lower()
    if value not in NUMERALS:
        from kamkit.exceptions import ParameterError

        raise ParameterError(
            "numerals", f"{numerals!r} is not a digit style; choose one of {', '.join(NUMERALS)}")
    return value


def set_numerals(numerals: str) -> str:
    """Write numbers and dates with ``"latin"`` (default) or ``"native"`` digits from now on.

    Native digits are the language's own in CLDR: Persian ``۱۲۳``; English, Polish and
    Russian write Latin digits either way. Only formatting changes: kamkit reads both
    kinds of digits in data files.

    Returns
    -------
    str
        The normalised setting.
    """
    value = check_numerals(numerals)
    _numerals.set(value)
    return value


def get_numerals() -> str:
    """Return the current digit style, ``"latin"`` or ``"native"``."""
    return _numerals.get()


@contextlib.contextmanager
def use_numerals(numerals: str | None) -> Iterator[str]:
    """Use a digit style inside a ``with`` block (``None`` keeps the current one).

    Examples
    --------
    >>> with use_numerals("native"):
    ...     format_number(1234.5, 1, language="fa")
    '۱٬۲۳۴٫۵'
    """
    value = check_numerals(numerals)
    token = _numerals.set(value)
    try:
        yield value
    finally:
        _numerals.reset(token)


@functools.cache
def _catalog(language: str) -> dict[str, str | tuple[str, ...]]:
    """Read one language's .po file into {msgid: msgstr}; untranslated entries are left out."""
    if language == DEFAULT_LANGUAGE:
        return {}
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    table: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            strings = tuple(message.string)
            if all(strings):
                table[message.id[0]] = strings
        elif message.string:
            table[message.id] = message.string
    return table


def gettext(message: str) -> str:
    """Translate ``message`` into the current language (English passes through)."""
    translated = _catalog(get_language()).get(message)
    return translated if isinstance(translated, str) else message


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for translation without translating it now."""
    return message


def reload_catalogs() -> None:
    """Forget the catalogs read so far, so the next message reads the .po files again."""
    _catalog.cache_clear()


@functools.cache
def _plural_rule(language: str) -> Callable[[int], int]:
    expression = PLURAL_FORMS[language].split("plural=", 1)[1].rstrip("; ")
    return c2py(expression)


def plural_index(n: int, language: str | None = None) -> int:
    """Which plural form (0, 1, 2 ...) a count takes in ``language``.

    Examples
    --------
    >>> [plural_index(n, "pl") for n in (1, 2, 5, 12, 22)]
    [0, 1, 2, 2, 1]
    """
    return _plural_rule(check_language(language))(abs(int(n)))


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count, using the current language's plural rules.

    Examples
    --------
    >>> with use_language("ru"):
    ...     [ngettext("{n} error", "{n} errors", n).format(n=n) for n in (1, 3, 5)]
    ['1 ошибка', '3 ошибки', '5 ошибок']
    """
    language = get_language()
    forms = _catalog(language).get(singular)
    if isinstance(forms, tuple):
        return forms[min(plural_index(n, language), len(forms) - 1)]
    return singular if n == 1 else plural


def _babel_locale(language: str | None) -> str:
    return check_language(language)


@functools.cache
def _native_digits(code: str) -> str | None:
    """The digits of the locale's own numbering system, or None when it is Latin."""
    return _SYSTEM_DIGITS.get(_locale(code).default_numbering_system)


def _localise_digits(text: str, code: str, numerals: str) -> str:
    digits = _native_digits(code) if numerals == "native" else None
    return text.translate(str.maketrans("0123456789", digits)) if digits else text


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


#: Digits Babel may keep while it rounds: enough for any float (up to 1.8e308) with its
#: decimals. Python's default of 28 made a value of 1e26 or more raise
#: ``decimal.InvalidOperation`` instead of being written out.
_DIGITS_KEPT = 400


def _apply(pattern, value: float, code: str, numerals: str) -> str:  # noqa: ANN001
    """Apply a Babel number pattern with the digits and symbols of ``numerals``."""
    with decimal.localcontext(prec=_DIGITS_KEPT):
        return _apply_babel(pattern, value, code, numerals)


def _apply_babel(pattern, value: float, code: str, numerals: str) -> str:  # noqa: ANN001
    locale = _locale(code)
    if numerals == "native" and _native_digits(code):
        system = locale.default_numbering_system
        text = pattern.apply(value, locale, numbering_system=system)
        # Babel swaps the separators but leaves digits, percent and minus signs to us.
        symbols = locale.number_symbols[system]
        text = text.replace("%", symbols["percentSign"])
        if text.startswith("-"):
            text = symbols["minusSign"] + text[1:]
        return _localise_digits(text, code, numerals)
    return pattern.apply(value, locale)


def format_number(value: float | int | None, digits: int = 0, language: str | None = None,
                  *, numerals: str | None = None) -> str:
    """Format a number with the language's grouping and decimal signs.

    Parameters
    ----------
    value : float, int or None
        The number; ``None`` and NaN come out as an en dash.
    digits : int
        Decimal places shown.
    language : str, optional
        Defaults to the current language.
    numerals : {"latin", "native"}, optional
        Digit style; defaults to the current setting (see :func:`set_numerals`).

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(1234567.891, 2, language="en")
    '1,234,567.89'
    >>> format_number(0.5, 2, language="pl")
    '0,50'
    >>> format_number(-1234.5, 1, language="ru")
    '-1\xa0234,5'
    >>> format_number(1234.5, 1, language="fa"), format_number(1234.5, 1, language="fa",
    ...                                                         numerals="native")
    ('1,234.5', '۱٬۲۳۴٫۵')
    """
    if _missing(value):
        return "\u2013"
    code = _babel_locale(language)
    return _apply(_decimal_pattern(code, digits), round(float(value), digits), code,
                  check_numerals(numerals))


@functools.cache
def _locale(code: str):  # noqa: ANN202 - babel.Locale, imported lazily
    from babel import Locale

    return Locale.parse(code)


@functools.cache
def _decimal_pattern(code: str, digits: int):  # noqa: ANN202
    """The locale's own decimal pattern (grouping rules included) with fixed decimals."""
    pattern = copy.copy(_locale(code).decimal_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


@functools.cache
def _percent_pattern(code: str, digits: int):  # noqa: ANN202
    """The locale's percent pattern (``25,3 %`` in Russian) with fixed decimals."""
    pattern = copy.copy(_locale(code).percent_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


def format_money(value: float | None, currency: str | None = None, digits: int = 0,
                 language: str | None = None, *, numerals: str | None = None) -> str:
    """Format an amount of money, with the currency code after the number.

    The code (``EUR``) follows the number in every language, so amounts read the same in
    tables of all four languages and never depend on a currency symbol's placement.

    Examples
    --------
    >>> format_money(1500000, "EUR", language="en")
    '1,500,000 EUR'
    >>> format_money(1500000, "PLN", language="pl")
    '1\xa0500\xa0000 PLN'
    >>> format_money(1500000, "IRR", language="fa", numerals="native")
    '۱٬۵۰۰٬۰۰۰ IRR'
    >>> format_money(-5, "IRR", language="fa", numerals="native")
    '\u2068\u200e−۵\u2069 IRR'
    """
    text = format_number(value, digits, language, numerals=numerals)
    if not currency or text == "\u2013":
        return text
    if text.startswith("\u200e"):
        # CLDR's Persian minus carries a left-to-right mark that keeps it left of the
        # digits; isolate the number so the mark does not pull the code along with it
        # (right-to-left text then reads number, code, as for positive amounts).
        text = f"\u2068{text}\u2069"
    return f"{text} {currency}"


def format_percent(fraction: float | None, digits: int = 1, language: str | None = None,
                   *, numerals: str | None = None) -> str:
    """Format a fraction (0.253) as a percentage, with the language's percent pattern.

    Examples
    --------
    >>> format_percent(0.253, language="en")
    '25.3%'
    >>> format_percent(0.253, language="pl"), format_percent(0.253, language="ru")
    ('25,3%', '25,3\xa0%')
    >>> format_percent(0.253, language="fa", numerals="native")
    '۲۵٫۳٪'
    """
    if _missing(fraction):
        return "\u2013"
    code = _babel_locale(language)
    value = round(100.0 * float(fraction), digits) / 100.0
    return _apply(_percent_pattern(code, digits), value, code, check_numerals(numerals))


def format_date(value: _dt.date | None, language: str | None = None, *,
                numerals: str | None = None) -> str:
    """Format a date in the language's medium form ('Jun 30, 2026' in English).

    Dates are Gregorian in every language. Persian uses the Persian names of the
    Gregorian months (CLDR, as Babel gives them): the kit's data, as-of dates and
    deadlines are Gregorian, and a Solar Hijri rendering would show a trainer different
    day numbers than the data files hold.

    Examples
    --------
    >>> import datetime
    >>> day = datetime.date(2026, 6, 30)
    >>> format_date(day, language="en")
    'Jun 30, 2026'
    >>> format_date(day, language="pl"), format_date(day, language="ru")
    ('30 cze 2026', '30 июн. 2026\u202fг.')
    >>> format_date(day, language="fa"), format_date(day, language="fa", numerals="native")
    ('30 ژوئن 2026', '۳۰ ژوئن ۲۰۲۶')
    """
    if value is None:
        return "\u2013"
    try:
        if value != value:  # NaT
            return "\u2013"
    except (TypeError, ValueError):
        pass
    from babel.dates import format_date as _format_date

    if isinstance(value, _dt.datetime):  # also pandas.Timestamp
        value = value.date()
    code = _babel_locale(language)
    return _localise_digits(_format_date(value, format="medium", locale=code), code,
                            check_numerals(numerals))
