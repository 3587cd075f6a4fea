"""Languages: message catalogs and locale-aware formatting.

Every user-facing string kamkit produces goes through :func:`_` (or is marked with
:func:`N_` where it is defined at import time and translated where it is shown). The
catalogs are standard gettext ``.po`` files under ``kamkit/locale/<lang>/LC_MESSAGES``,
extracted and updated with Babel (``python tasks.py catalogs``). They are read with
Babel at first use, so there is no compiled ``.mo`` file to fall out of date.

The current language is a context variable: set it once with :func:`set_language`
(what a notebook's ``language`` parameter does), or for a block with
:func:`use_language`. English is the default and the source language.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
import functools
import math
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "_",
    "N_",
    "gettext",
    "ngettext",
    "set_language",
    "get_language",
    "use_language",
    "check_language",
    "text_direction",
    "format_number",
    "format_money",
    "format_percent",
    "format_date",
]

#: Languages kamkit speaks, by ISO 639-1 code.
LANGUAGES: tuple[str, ...] = ("en", "fa", "pl", "ru")
DEFAULT_LANGUAGE = "en"
_RTL = frozenset({"fa"})
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "kamkit"

_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "kamkit_language", default=DEFAULT_LANGUAGE
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
    """Return ``"rtl"`` for right-to-left languages, ``"ltr"`` otherwise."""
    return "rtl" if check_language(language) in _RTL else "ltr"


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


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count, using the current language's plural rules."""
    language = get_language()
    forms = _catalog(language).get(singular)
    if isinstance(forms, tuple):
        from babel.messages.plurals import get_plural

        rule = get_plural(language)
        index = int(eval(rule.plural_expr, {"n": n}))  # noqa: S307 - Babel's own rule text
        return forms[min(index, len(forms) - 1)]
    return singular if n == 1 else plural


def _babel_locale(language: str | None) -> str:
    return check_language(language)


def format_number(value: float | int | None, digits: int = 0, language: str | None = None) -> str:
    """Format a number with the language's grouping and decimal signs.

    Parameters
    ----------
    value : float, int or None
        The number; ``None`` and NaN come out as an en dash.
    digits : int
        Decimal places shown.
    language : str, optional
        Defaults to the current language.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(1234567.891, 2, language="en")
    '1,234,567.89'
    >>> format_number(0.5, 2, language="pl")
    '0,50'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    return _decimal_pattern(_babel_locale(language), digits).apply(
        round(float(value), digits), _locale(_babel_locale(language)))


@functools.cache
def _locale(code: str):  # noqa: ANN202 - babel.Locale, imported lazily
    from babel import Locale

    return Locale.parse(code)


@functools.cache
def _decimal_pattern(code: str, digits: int):  # noqa: ANN202
    """The locale's own decimal pattern (grouping rules included) with fixed decimals."""
    import copy

    pattern = copy.copy(_locale(code).decimal_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


def format_money(value: float | None, currency: str | None = None, digits: int = 0,
                 language: str | None = None) -> str:
    """Format an amount of money, with the currency code after the number.

    Examples
    --------
    >>> format_money(1500000, "EUR", language="en")
    '1,500,000 EUR'
    """
    text = format_number(value, digits, language)
    return f"{text} {currency}" if currency and text != "\u2013" else text


def format_percent(fraction: float | None, digits: int = 1, language: str | None = None) -> str:
    """Format a fraction (0.253) as a percentage ('25.3%').

    Examples
    --------
    >>> format_percent(0.253, language="en")
    '25.3%'
    """
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "\u2013"
    return format_number(100.0 * float(fraction), digits, language) + "%"


def format_date(value: _dt.date | None, language: str | None = None) -> str:
    """Format a date in the language's medium form ('Jun 30, 2026' in English).

    Examples
    --------
    >>> import datetime
    >>> format_date(datetime.date(2026, 6, 30), language="en")
    'Jun 30, 2026'
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
    return _format_date(value, format="medium", locale=_babel_locale(language))
