"""Check a portfolio against its schemas and report every problem at once.

Checking is lazy in pandera's sense: nothing stops at the first failure. Each problem
names the file (and sheet), the column, the rows as the user sees them (header = row 1)
and what was expected, so one read of the report is enough to fix the whole file. Values
are typed on the way: the result of a clean check is a set of DataFrames with one dtype
per schema kind, the same whatever format the data came from.

Rules that are decisions, not facts of the format, are stated where they are applied:

* **Returns and credit notes** (:data:`kamkit.data.schema.TRANSACTION_SIGN_RULE`): a negative
  line is legitimate only on a document marked ``return`` (negative quantity, revenue and
  cost 0 or less) or ``credit_note`` (quantity 0, revenue below 0, cost 0). A negative
  line on an invoice, or in a file without ``doc_type``, is an error.
* **Numbers**: ``1234.5``, ``1,234.5``, ``1 234,5`` (any file), ``1.234,5`` (in a
  ``;``-separated file, where ``,`` is the decimal sign), ``(12.5)`` for -12.5, Persian
  and Arabic-Indic digits.
* **Dates**: ISO ``2026-03-31``, or day-first ``31.03.2026`` as European Excel writes
  it. Slashed dates are refused: ``03/04/2026`` means different days in different
  countries. A time of day (``2026-03-31 14:20``, or a workbook's date-time cell) is
  dropped and the day kept, with a warning naming the rows: the columns hold days.
* **Ids** are compared exactly, but two ids of one column that differ only by letter
  case, Unicode form (NFKC) or invisible characters (``CX-001`` and ``cx-001``) are an
  error: people, and many tools, take them for the same id.
* **Text** may not hold control characters (NUL and the like, which damaged or
  binary-exported files carry); free text may hold tabs and line breaks.
* **Future**: a date that records a fact (a sale, a contact, a review) may not lie after
  ``as_of`` from ``meta``; without ``as_of``, not after today, and ``as_of`` becomes the
  last transaction date.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from kamkit._fast import codes
from kamkit.artifacts import shown_character
from kamkit.data.schema import (
    MAX_MAGNITUDE,
    META_KEYS,
    REQUIRED_TABLES,
    SCHEMAS,
    TRANSACTION_SIGN_RULE,
    Column,
    TableSchema,
)
from kamkit.text.i18n import N_, _, format_number, ngettext

__all__ = ["Location", "Problem", "ValidationReport", "type_tables", "sign_rule_breaches",
           "is_blank", "to_numbers", "MAX_ROWS_SHOWN"]

Severity = Literal["error", "warning", "notice"]
#: Parameters whose values are messages (schema texts), translated when a problem is
#: rendered, like the problem's own text, so a report reads in the reader's language.
MESSAGE_PARAMS = frozenset({"description", "enables", "rule", "what"})
#: Rows listed per problem before "and N more".
MAX_ROWS_SHOWN = 8
_MAX_VALUES_SHOWN = 4


@dataclass(frozen=True)
class Location:
    """Where a table came from: file name, sheet (workbooks only) and format."""

    file: str
    sheet: str | None
    format: str

    def describe(self) -> str:
        """``transactions.csv`` or ``portfolio.xlsx, sheet "goals"``."""
        if self.sheet:
            return _('{file}, sheet "{sheet}"').format(file=self.file, sheet=self.sheet)
        return self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about the data.

    Attributes
    ----------
    severity : {"error", "warning", "notice"}
        Errors make the portfolio invalid; warnings and notices do not.
    code : str
        A stable reason code (``not_a_number``, ``duplicate``, ``unknown_account`` ...).
    table : str
    location : Location
    column : str or None
    rows : tuple of int
        Rows as the user sees them in the file (header = row 1; Parquet: record number).
    found : tuple of str
        Examples of the offending values.
    expected : str
        What was expected, in English source text (translated when rendered).
    note : str
        Instead of ``expected``: a whole statement (for warnings and notices).
    count : int
        Number of rows affected (may exceed ``len(rows)``).
    """

    severity: Severity
    code: str
    table: str
    location: Location
    column: str | None = None
    rows: tuple[int, ...] = ()
    found: tuple[str, ...] = ()
    expected: str = ""
    count: int = 0
    params: tuple[tuple[str, str], ...] = field(default=())
    note: str = ""

    def message(self) -> str:
        """Render the problem as one readable sentence in the current language."""
        params = {k: _(v) if k in MESSAGE_PARAMS else v for k, v in self.params}
        parts = [self.location.describe()]
        if self.column:
            parts.append(_('column "{column}"').format(column=self.column))
        if self.rows:
            label = _("record") if self.location.format == "parquet" else _("row")
            labels = _("records") if self.location.format == "parquet" else _("rows")
            shown = ", ".join(str(r) for r in self.rows[:MAX_ROWS_SHOWN])
            total = max(self.count, len(self.rows))
            more = total - min(len(self.rows), MAX_ROWS_SHOWN)
            text = f"{label if total == 1 else labels} {shown}"
            if more > 0:
                text += " " + ngettext("and {n} more", "and {n} more", more).format(
                    n=format_number(more))
            parts.append(text)
        where = ", ".join(parts)
        if self.note:
            sentence = f"{where}: " + _(self.note).format(**params)
        elif self.expected:
            sentence = f"{where}: " + _("expected {what}").format(
                what=_(self.expected).format(**params))
        else:
            sentence = where
        if self.found:
            shown = ", ".join(f'"{v}"' for v in self.found[:_MAX_VALUES_SHOWN])
            sentence += "; " + _("found {values}").format(values=shown)
        return sentence + "."


@dataclass
class ValidationReport:
    """Every problem found in a portfolio, with rendering for people and for programs.

    Attributes
    ----------
    source : str
        What was checked (a path, or "in-memory tables").
    problems : list of Problem
    """

    source: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the portfolio unusable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems kamkit can work around, said so the user can fix them."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notices(self) -> list[Problem]:
        """Facts about what the data allows (missing optional tables ...)."""
        return [p for p in self.problems if p.severity == "notice"]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors

    def render(self, *, notices: bool = True) -> str:
        """Render the report as text: a headline, then one line per problem."""
        lines = [
            _("{source}: {errors}, {warnings}").format(
                source=self.source,
                errors=ngettext("{n} error", "{n} errors", len(self.errors)).format(
                    n=len(self.errors)),
                warnings=ngettext("{n} warning", "{n} warnings", len(self.warnings)).format(
                    n=len(self.warnings)),
            )
        ]
        groups: list[tuple[str, list[Problem]]] = [(_("Errors"), self.errors),
                                                   (_("Warnings"), self.warnings)]
        if notices:
            groups.append((_("Notes"), self.notices))
        order = {name: i for i, name in enumerate(SCHEMAS)}
        for title, items in groups:
            items = sorted(items, key=lambda p: order.get(p.table, -1))
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  - {p.message()}" for p in items)
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: severity, code, file, sheet, column, rows, found, message."""
        return pd.DataFrame(
            [
                {
                    "severity": p.severity,
                    "code": p.code,
                    "table": p.table,
                    "file": p.location.file,
                    "sheet": p.location.sheet,
                    "column": p.column,
                    "rows": list(p.rows),
                    "count": max(p.count, len(p.rows)),
                    "found": list(p.found),
                    "message": p.message(),
                }
                for p in self.problems
            ],
            columns=["severity", "code", "table", "file", "sheet", "column", "rows", "count",
                     "found", "message"],
        )

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems."""
        self.problems.extend(problems)


# --------------------------------------------------------------------------------------
# Typing values column by column


_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_THOUSANDS_COMMA = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]([0-9:.]+))?$")
#: Control characters no text may hold, and those free text may not hold either
#: (free text keeps tab and line breaks).
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_CONTROL_IN_TEXT = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
#: Characters that show nothing: zero-width spaces and joiners, direction marks, BOM,
#: soft hyphen. Two ids that differ only by them look the same.
_INVISIBLE = "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
_SHOWN_ESCAPED = re.compile(f"{_CONTROL}|{_INVISIBLE}")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_TRUE = {"true", "yes", "y", "1", "x", "tak", "да", "بله", "1.0"}
_FALSE = {"false", "no", "n", "0", "nie", "нет", "خیر", "0.0"}

EXPECTED: dict[str, str] = {
    "id": N_("a non-empty identifier such as {example}"),
    "text": N_("text"),
    "int": N_("a whole number such as {example}"),
    "number": N_("a number such as {example}"),
    "money": N_("an amount such as {example}"),
    "fraction": N_("a fraction between 0 and 1 such as 0.35 (or 35%)"),
    "rating": N_("a rating from {minimum} to {maximum}"),
    "date": N_("a date written YYYY-MM-DD, such as {example}"),
    "category": N_("one of: {choices}"),
    "bool": N_("yes or no"),
}


def _is_text_dtype(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(
        series.dtype)


def _is_blank(series: pd.Series) -> np.ndarray:
    """Cells that are empty: missing, or text of nothing but white space (vectorised)."""
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(
            series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return series.isna().to_numpy()
    if not _is_text_dtype(series):
        series = series.astype("str")  # numbers and dates are never blank; NaN stays NaN
    return series.isna().to_numpy() | (series.str.strip() == "").to_numpy(
        dtype=bool, na_value=False)


#: Lines from which a text column is encoded before it is checked (below, a pass over the
#: strings costs less than encoding them).
_ENCODE_FROM = 500_000


def _distinct(text: pd.Series) -> list:
    """The distinct values of a text column (by its codes when it has them)."""
    encoded = codes.cached(text)
    return list(encoded.present()) if encoded is not None else list(text.dropna().unique())


def _as_text(series: pd.Series, known: pd.Series | None = None) -> pd.Series:
    """Cells as stripped text; whole floats from workbooks lose their '.0'.

    A long text column, or one whose values are expected among ``known`` ids, is
    encoded first (:func:`kamkit._fast.codes.encode`): when none of its distinct values needs
    trimming, which is the usual case, the column is the result as it is, with its codes,
    and no line is touched.
    """
    def one(v: object) -> object:
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
            return np.nan
        if isinstance(v, (bool, np.bool_)):
            return "yes" if v else "no"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (_dt.datetime, _dt.date)):
            return v.isoformat()[:10] if not isinstance(v, _dt.datetime) or (
                v.hour == v.minute == v.second == 0) else v.isoformat()
        text = str(v).strip()
        return text if text else np.nan

    if _is_text_dtype(series):
        if known is not None or len(series) >= _ENCODE_FROM or codes.cached(
                series) is not None:
            distinct = codes.encode(series, known).values
            trimmed = distinct.str.strip()
            if not (trimmed == "").any() and (trimmed == distinct).all():
                return series.astype("str")
        out = series.str.strip()
        return out.where(out != "", np.nan).astype("str")
    return series.map(one).astype("str")


def _parse_number_text(text: str, decimal_comma: bool) -> float:
    raw = text.translate(_DIGITS).replace("\u2212", "-")
    negative = raw.startswith("(") and raw.endswith(")")
    if negative:
        raw = raw[1:-1]
    raw = _SPACES.sub("", raw)
    if decimal_comma:
        if _THOUSANDS_DOT.match(raw) or ("," in raw and raw.count(",") == 1):
            raw = raw.replace(".", "").replace(",", ".")
    elif _THOUSANDS_COMMA.match(raw):
        raw = raw.replace(",", "")
    elif raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    value = float(raw)  # raises ValueError on anything else
    if not np.isfinite(value):
        raise ValueError(text)
    return -value if negative else value


def to_numbers(series: pd.Series, decimal_comma: bool, percent: bool = False
                ) -> tuple[pd.Series, np.ndarray]:
    """Parse numbers as validation reads them (a decimal comma where the portfolio uses
    one, ``12%`` with ``percent``); return the values (NaN where blank or bad) and a mask
    of the cells that are not numbers."""
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype("object")
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.astype("float64")
        bad = ~np.isfinite(values.to_numpy()) & values.notna().to_numpy()
        return values.where(~bad, np.nan), bad
    blank = _is_blank(series)
    fast = pd.to_numeric(series.where(~blank, np.nan), errors="coerce")
    values = fast.astype("float64").to_numpy().copy()
    todo = np.flatnonzero(np.isnan(values) & ~blank)
    # pandas reads "inf", "-Infinity" and "1e309" as infinite: no amount, like "nan"
    bad = np.isinf(values)
    values[bad] = np.nan
    obj = series.to_numpy(dtype=object)
    for i in todo:
        cell = obj[i]
        if isinstance(cell, bool):
            bad[i] = True
            continue
        text = str(cell).strip()
        scale = 1.0
        if percent and text.endswith("%"):
            text, scale = text[:-1].strip(), 0.01
        try:
            values[i] = _parse_number_text(text, decimal_comma) * scale
        except ValueError:
            bad[i] = True
    return pd.Series(values, index=series.index, dtype="float64"), bad


_DAY_NS = 86_400 * 10**9


def _time_of_day(ticks: np.ndarray) -> np.ndarray:
    """Nanoseconds since midnight of each datetime64[ns] tick (0 for NaT)."""
    time_of_day = ticks % _DAY_NS
    time_of_day[ticks == np.iinfo(np.int64).min] = 0  # NaT has no time
    return time_of_day


def _to_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse days; return values (NaT where blank or bad), bad cells, and cells whose time
    of day was dropped."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        values = values.astype("datetime64[ns]")
        ticks = values.to_numpy().view(np.int64)
        none = np.zeros(len(series), bool)
        if not (ticks % _DAY_NS).any():  # dates without times, the usual case
            return values, none, none
        timed = _time_of_day(ticks).astype(bool)  # (NaT leaves a remainder too)
        if not timed.any():
            return values, none, timed
        return values.dt.normalize(), none, timed
    blank = _is_blank(series)
    obj = series.to_numpy(dtype=object)
    out = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = np.zeros(len(series), dtype=bool)
    text = series.where(~blank, None)
    # Fast path: ISO strings in bulk (and date cells of a workbook, times and all).
    parsed = pd.to_datetime(text.astype("object"), format="%Y-%m-%d", errors="coerce")
    ok = parsed.notna().to_numpy()
    out[ok] = parsed[ok].to_numpy(dtype="datetime64[ns]")
    ticks = out.view(np.int64)
    time_of_day = _time_of_day(ticks)
    timed = time_of_day.astype(bool)
    if timed.any():
        out = (ticks - time_of_day).view("datetime64[ns]")
    for i in np.flatnonzero(~ok & ~blank):
        cell = obj[i]
        if isinstance(cell, (_dt.datetime, pd.Timestamp)):
            stamp = pd.Timestamp(cell)
            out[i] = np.datetime64(stamp.normalize().to_datetime64(), "ns")
            timed[i] = stamp != stamp.normalize()
            continue
        if isinstance(cell, _dt.date):
            out[i] = np.datetime64(cell.isoformat(), "ns")
            continue
        s = str(cell).strip().translate(_DIGITS)
        m = _ISO.match(s)
        d = None
        try:
            if m:
                d = _dt.date(int(m[1]), int(m[2]), int(m[3]))
                timed[i] = bool(m[4]) and bool(m[4].strip("0:."))
            else:
                m = _DOTTED.match(s)
                if m:
                    d = _dt.date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            d = None
        if d is None:
            bad[i] = True
            timed[i] = False
        else:
            out[i] = np.datetime64(d.isoformat(), "ns")
    return pd.Series(out, index=series.index), bad, timed


def _visible(text: str) -> str:
    """``text`` with control and invisible characters shown as the terminal shows them
    (``\\x00``, ``<U+202E>``: :func:`kamkit.artifacts.visible_controls`)."""
    return _SHOWN_ESCAPED.sub(lambda m: shown_character(m[0]), text)


def _category_key(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


def _sample(values: Sequence[object], width: int = 40) -> tuple[str, ...]:
    seen: list[str] = []
    for v in values:
        s = _visible(str(v))
        if len(s) > width:
            s = s[:width - 3] + "..."
        if s not in seen:
            seen.append(s)
        if len(seen) >= _MAX_VALUES_SHOWN:
            break
    return tuple(seen)


def _expected(column: Column) -> tuple[str, tuple[tuple[str, str], ...]]:
    params = {"example": column.example}
    if column.kind == "category":
        params["choices"] = ", ".join(column.choices or ())
    if column.kind == "rating":
        params["minimum"] = format_number(column.minimum or 1)
        params["maximum"] = format_number(column.maximum or 5)
    return EXPECTED[column.kind], tuple(params.items())


class _TableChecker:
    """Types one raw table and collects its problems."""

    def __init__(self, schema: TableSchema, raw, problems: list[Problem]) -> None:
        self.schema = schema
        self.raw = raw
        self.problems = problems
        self.rows = raw.rows if isinstance(raw.rows, range) else np.asarray(raw.rows)
        #: Ids a reference column's values are expected among (the referenced table's
        #: typed ids, when that table was typed first): its codes are looked up in them.
        self.known: dict[str, pd.Series] = {}

    def problem(self, severity: Severity, code: str, column: str | None, mask: np.ndarray | None,
                expected: str, found: Sequence[object] = (),
                params: Iterable[tuple[str, str]] = (), note: str = "", width: int = 40
                ) -> None:
        rows: tuple[int, ...] = ()
        count = 0
        if mask is not None:
            idx = np.flatnonzero(mask)
            count = len(idx)
            rows = tuple(int(self.rows[int(i)]) for i in idx[:MAX_ROWS_SHOWN])
        self.problems.append(Problem(severity, code, self.schema.name, self.raw.location,
                                     column=column, rows=rows,
                                     found=_sample(found, width),
                                     expected=expected, count=count, params=tuple(params),
                                     note=note))

    def run(self) -> pd.DataFrame:
        frame = self.raw.frame
        schema = self.schema
        out: dict[str, pd.Series] = {}
        skipped = set(getattr(self.raw, "skipped", ()))
        missing = [c.name for c in schema.columns if c.required and c.name not in frame.columns
                   and c.name not in skipped]
        for name in missing:
            self.problem("error", "missing_column", name, None,
                         N_("a column named {column} ({description})"),
                         params=(("column", name),
                                 ("description", schema.column(name).description)))
        extra = [c for c in frame.columns if not schema.has_column(c)]
        for name in extra:
            self.problem("warning", "unknown_column", self.raw.headers.get(name, name), None,
                         "", note=N_("a column the data dictionary does not know; it is kept "
                                     "as it is, but no check or analysis uses it"))
        for column in schema.columns:
            if column.name in frame.columns:
                out[column.name] = self.type_column(column, frame[column.name])
            elif column.kind == "id" and column.unique and column.name not in skipped:
                # An optional id the file lacks (contact_id, need_id ...): named after the
                # row it was read from, so every row has one, the same on every load, and
                # a saved copy loads back.
                out[column.name] = pd.Series(
                    [f"{self.schema.name}-{r}" for r in self.rows], dtype="str")
            elif column.name not in missing and column.name not in skipped:
                out[column.name] = _default_series(column, len(frame))
        for name in extra:
            out[name] = frame[name]
        # copy=False: the columns are new already; consolidating them would copy again
        typed = pd.DataFrame(out, index=pd.RangeIndex(len(frame)), copy=False)
        if not missing:
            self.check_keys(typed)
        return typed

    def type_column(self, column: Column, series: pd.Series) -> pd.Series:
        kind = column.kind
        expected, params = _expected(column)
        if kind in ("id", "text", "category", "bool"):
            # _as_text strips and turns empty cells into NaN: its gaps are the blanks
            # (one pass over the strings, not two).
            text = _as_text(series, self.known.get(column.name))
            blank = text.isna().to_numpy()
        else:
            blank = _is_blank(series)
        if kind in ("id", "text"):
            values = text
            self.check_control(column, text)
        elif kind == "category":
            mapping = {v: _category_key(v) for v in _distinct(text)}
            # Usually every value is written as its key already: then the text is the
            # result, and 10 M rows need no per-row mapping.
            keys = text if all(k == v for v, k in mapping.items()) else text.map(mapping)
            allowed = set(column.choices or ())
            wrong = [v for v in mapping.values() if v not in allowed]
            bad = codes.isin(keys, pd.Series(wrong, dtype="str")) if wrong else np.zeros(
                len(keys), dtype=bool)
            if bad.any():
                self.problem("error", "not_allowed", column.name, bad, expected,
                             text[bad].tolist(), params)
            values = keys.where(~bad, np.nan).astype("str") if bad.any() else \
                keys.astype("str")
        elif kind == "bool":
            text = text.str.lower()
            truthy = text.isin(_TRUE).to_numpy()
            falsy = text.isin(_FALSE).to_numpy()
            bad = text.notna().to_numpy() & ~truthy & ~falsy
            if bad.any():
                self.problem("error", "not_a_bool", column.name, bad, expected,
                             text[bad].tolist(), params)
            values = pd.Series(pd.arrays.BooleanArray(truthy.copy(), ~(truthy | falsy)),
                               index=series.index)
            if column.default is not None and not column.nullable:
                values = values.fillna(bool(column.default))
                blank = np.zeros(len(series), dtype=bool)
        elif kind == "date":
            values, bad, timed = _to_dates(series)
            if bad.any():
                self.problem("error", "not_a_date", column.name, bad, expected,
                             series[bad].tolist(), params)
            if timed.any():
                self.problem("warning", "time_of_day", column.name, timed, "",
                             series[timed].astype(str).tolist(),
                             note=N_("this column holds days, but these cells have a time "
                                     "of day too; kamkit keeps the day and drops the time"))
        else:
            values, bad = to_numbers(series, self.raw.decimal_comma,
                                      percent=kind == "fraction")
            if bad.any():
                self.problem("error", "not_a_number", column.name, bad, expected,
                             series[bad].tolist(), params)
            with np.errstate(invalid="ignore"):
                huge = np.abs(values.to_numpy()) > MAX_MAGNITUDE
            if huge.any():
                # Sums of such amounts overflow to infinity and whole numbers leave int64.
                self.problem("error", "too_large", column.name, huge, N_(
                    "a number between -{limit} and {limit} (kamkit's limit: far above any "
                    "real amount, and sums of larger numbers cannot be computed)"),
                    series[huge].tolist(), (("limit", format_number(MAX_MAGNITUDE)),))
                values = values.where(~huge, np.nan)
            nums = values.to_numpy()
            if kind == "int":
                frac = ~np.isnan(nums) & (np.floor(np.nan_to_num(nums)) != np.nan_to_num(nums))
                if frac.any():
                    self.problem("error", "not_whole", column.name, frac, expected,
                                 series[frac].tolist(), params)
                    values = values.where(~frac, np.nan)
            low = column.minimum if column.minimum is not None else (
                0.0 if kind == "fraction" else None)
            high = column.maximum if column.maximum is not None else (
                1.0 if kind == "fraction" else None)
            with np.errstate(invalid="ignore"):
                if low is not None:
                    under = ~np.isnan(nums) & (nums < low)
                    if under.any():
                        self.problem("error", "below_minimum", column.name, under,
                                     N_("a value of at least {minimum}"),
                                     series[under].tolist(),
                                     (("minimum", format_number(low, 2 if low % 1 else 0)),))
                        values = values.where(~under, np.nan)
                if high is not None:
                    over = ~np.isnan(nums) & (nums > high)
                    if over.any():
                        hint = N_("a value of at most {maximum}")
                        if kind == "fraction" and np.nanmax(nums[over]) <= 100:
                            hint = N_("a fraction between 0 and 1: write 0.35 or 35% for 35 "
                                      "percent")
                        self.problem("error", "above_maximum", column.name, over, hint,
                                     series[over].tolist(),
                                     (("maximum", format_number(high, 2 if high % 1 else 0)),))
                        values = values.where(~over, np.nan)

            if kind == "int":
                values = values.round().astype("Int64")
        if not column.nullable:
            empty = blank
            if empty.any() and column.default is None:
                empty = self.check_formulas(column, empty)
            if empty.any() and column.default is None:
                self.problem("error", "empty_value", column.name, empty,
                             N_("a value in every row"))
            elif empty.any():
                values = values.where(~empty, column.default)
        return values

    def check_control(self, column: Column, text: pd.Series) -> None:
        """Control characters (NUL ...) in text: by distinct values when encoded."""
        pattern = _CONTROL_IN_TEXT if column.kind == "text" else _CONTROL
        if not _may_hold_control(text, column.kind == "text"):
            return
        encoded = codes.cached(text)
        if encoded is not None:
            distinct = pd.Series(encoded.values, dtype="str")  # no pass over the lines
            wrong = distinct[distinct.str.contains(pattern, regex=True).to_numpy(
                dtype=bool, na_value=False)]
            bad = codes.isin(text, wrong) if len(wrong) else None
        else:
            bad = text.str.contains(pattern, regex=True).to_numpy(dtype=bool,
                                                                  na_value=False)
        if bad is not None and bad.any():
            self.problem("error", "control_character", column.name, bad,
                         N_("text without control characters such as NUL (shown here as "
                            "\\x00): a damaged file or an export from another program "
                            "leaves them; delete them in the file"), text[bad].tolist())

    def check_formulas(self, column: Column, empty: np.ndarray) -> np.ndarray:
        """Empty cells of a workbook that hold a formula whose value was never saved:
        said so (they are not empty to the user); the other empty cells are returned."""
        cells = getattr(self.raw, "formulas", {}).get(column.name)
        if not cells:
            return empty
        rows = np.asarray(self.rows)
        formula = empty & np.isin(rows, np.fromiter(cells, dtype=np.int64))
        if formula.any():
            self.problem("error", "formula_without_value", column.name, formula,
                         N_("a value; these cells hold a formula whose value was never "
                            "saved (a program wrote the workbook without calculating it). "
                            "Open the workbook in Excel or LibreOffice and save it, or "
                            "paste the values over the formulas"),
                         [cells[int(r)] for r in rows[formula]])
        return empty & ~formula

    def check_keys(self, typed: pd.DataFrame) -> None:
        for column in self.schema.columns:
            if column.unique and column.name in self.raw.frame.columns:
                s = typed[column.name]
                dup = s.notna().to_numpy() & s.duplicated(keep=False).to_numpy()
                if dup.any():
                    self.problem("error", "duplicate", column.name, dup,
                                 N_("each value only once"), s[dup].tolist())
                self.check_lookalikes(column, s)
        key = [k for k in self.schema.key if k in typed.columns]
        if len(key) > 1 and len(typed):
            dup = typed.duplicated(subset=key, keep=False).to_numpy()
            if dup.any():
                shown = typed.loc[dup, key].astype(str).agg(" / ".join, axis=1).tolist()
                self.problem("error", "duplicate", ", ".join(key), dup,
                             N_("one row per {key}"), shown, (("key", " + ".join(key)),))

    def check_lookalikes(self, column: Column, s: pd.Series) -> None:
        """Values of a unique column that differ only by case, Unicode form or invisible
        characters (``CX-001``, ``cx-001``): one check per distinct value."""
        distinct = pd.Series(s.dropna().unique(), dtype="str")
        if len(distinct) < 2:
            return
        folded = _folded(distinct)
        alike = folded.duplicated(keep=False).to_numpy()
        if not alike.any():
            return
        mask = codes.isin(s, distinct[alike])
        order = np.argsort(folded[alike].to_numpy(), kind="stable")  # pairs side by side
        shown = distinct[alike].to_numpy()[order].tolist()
        self.problem("error", "lookalike_ids", column.name, mask,
                     N_("values that differ in more than letter case, Unicode form or "
                        "invisible characters: these are taken as different but read as "
                        "the same, which is ambiguous. Write each one the same way "
                        "everywhere, or make them clearly different"), shown)


def _may_hold_control(text: pd.Series, in_text: bool) -> bool:
    """False when no value of ``text`` can hold a control character (:data:`_CONTROL`,
    or :data:`_CONTROL_IN_TEXT` with ``in_text``): a vectorised look at the column's UTF-8
    bytes instead of a pattern match per value. True when one may (or when the column
    is not Arrow text): the check per value then says which.

    In UTF-8 a C0 control is one byte below 0x20 (or 0x7F), which no multi-byte
    character contains; a C1 control (U+0080-U+009F) is 0xC2 followed by 0x80-0x9F,
    and 0xC2 only ever starts a character.
    """
    to_arrow = getattr(text.array, "__arrow_array__", None)
    if to_arrow is None:
        return True
    arrow = to_arrow()
    for chunk in (arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]):
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True
        data = chunk.buffers()[2]
        if data is None:
            continue
        b = np.frombuffer(data, dtype=np.uint8)
        c0 = (b < 0x20) | (b == 0x7F)
        if in_text:  # tabs and line breaks are text
            c0 &= (b != 0x09) & (b != 0x0A) & (b != 0x0D)
        lead = np.flatnonzero(b[:-1] == 0xC2)
        if c0.any() or (len(lead) and ((b[lead + 1] & 0xE0) == 0x80).any()):
            return True
    return False


def _folded(values: pd.Series) -> pd.Series:
    """Text as people read it: NFKC form, no invisible characters, no case.

    ASCII text (most ids) is its own NFKC form and holds no invisible character (they
    are all beyond ASCII), so lower case is all it needs; only the rest is normalised.

    >>> _folded(pd.Series(["CX-001 ", "ＣＸ-001", "cx\u200b-001", "Straße"], dtype="str")).tolist()
    ['cx-001', 'cx-001', 'cx-001', 'strasse']
    """
    folded = values.str.strip().str.lower()
    ascii_ = values.str.isascii().to_numpy(dtype=bool, na_value=True)
    if not ascii_.all():
        rest = values[~ascii_]
        folded = folded.copy()
        folded[~ascii_] = (rest.str.normalize("NFKC").str.replace(_INVISIBLE, "", regex=True)
                           .str.strip().str.casefold())
    return folded


def _default_series(column: Column, n: int) -> pd.Series:
    kind = column.kind
    if kind in ("id", "text", "category"):
        value = column.default if column.default is not None else np.nan
        return pd.Series([value] * n, dtype="str")
    if kind == "date":
        return pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"))
    if kind == "int":
        return pd.Series(pd.array([column.default] * n if column.default is not None
                                  else [pd.NA] * n, dtype="Int64"))
    if kind == "bool":
        return pd.Series(pd.array([column.default] * n if column.default is not None
                                  else [pd.NA] * n, dtype="boolean"))
    value = float(column.default) if column.default is not None else np.nan
    return pd.Series(np.full(n, value, dtype="float64"))


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the schema's columns and dtypes (for missing optional tables)."""
    schema = SCHEMAS[name]
    return pd.DataFrame({c.name: _default_series(c, 0) for c in schema.columns})


# --------------------------------------------------------------------------------------
# Checks across rows and tables


def _meta_values(meta: pd.DataFrame | None) -> dict[str, str]:
    if meta is None or meta.empty:
        return {}
    return {str(k): (None if pd.isna(v) else str(v)) for k, v in zip(
        meta["key"], meta["value"], strict=True) if isinstance(k, str)}


def _check_meta(raw, meta_table: pd.DataFrame | None, problems: list[Problem]
                ) -> tuple[dict[str, object], pd.Timestamp | None]:
    """Type the meta values; return them and the declared as-of date (or None)."""
    values = _meta_values(meta_table)
    out: dict[str, object] = dict(values)
    as_of = None
    loc = raw.location if raw is not None else Location("meta", None, "memory")
    rows = dict(zip(meta_table["key"], raw.rows, strict=False)) if raw is not None and \
        meta_table is not None else {}

    def bad(key: str, expected: str, value: str) -> None:
        problems.append(Problem("error", "bad_meta", "meta", loc, column="value",
                                rows=(int(rows[key]),) if key in rows else (), found=(value,),
                                expected=expected, params=(("key", key),)))

    for key in values:
        if key not in META_KEYS:
            problems.append(Problem("warning", "unknown_meta_key", "meta", loc, column="key",
                                    rows=(int(rows[key]),) if key in rows else (),
                                    found=(key,), note=N_("a key kamkit does not know (it "
                                                          "knows {keys}); it is ignored"),
                                    params=(("keys", ", ".join(META_KEYS)),)))
    if values.get("as_of"):
        dates, wrong, _timed = _to_dates(pd.Series([values["as_of"]], dtype=object))
        if wrong.any():
            bad("as_of", N_("{key}: a date written YYYY-MM-DD"), values["as_of"])
        else:
            as_of = pd.Timestamp(dates.iloc[0])
            out["as_of"] = as_of
    if values.get("currency"):
        cur = values["currency"].strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", cur):
            bad("currency", N_("{key}: a three-letter ISO 4217 code such as EUR"),
                values["currency"])
        out["currency"] = cur
    else:
        problems.append(Problem("warning", "no_currency", "meta", loc,
                                note=N_("no currency in meta (add a row: currency, EUR); "
                                        "amounts are shown without a currency")))
    if values.get("key_account_managers"):
        try:
            n = int(float(values["key_account_managers"]))
            if n < 1:
                raise ValueError
            out["key_account_managers"] = n
        except (ValueError, OverflowError):  # OverflowError: "inf"
            bad("key_account_managers", N_("{key}: a whole number of 1 or more"),
                values["key_account_managers"])
            out.pop("key_account_managers", None)
    return out, as_of


def type_tables(raw_tables: Sequence, problems: list[Problem], today: _dt.date | None = None
                ) -> tuple[dict[str, pd.DataFrame], dict[str, object]]:
    """Type every raw table and run the checks across rows and tables.

    Parameters
    ----------
    raw_tables : sequence of RawTable
    problems : list of Problem
        Extended in place with everything found.
    today : datetime.date, optional
        The real date, for the future-date check when ``meta`` has no ``as_of``.

    Returns
    -------
    tables : dict
        Typed DataFrames by table name; missing tables are empty frames with the schema.
    meta : dict
        Typed meta values; ``as_of`` is always set (a Timestamp).
    """
    raw_by_name = {t.name: t for t in raw_tables}
    tables: dict[str, pd.DataFrame] = {}
    for raw in raw_tables:
        checker = _TableChecker(SCHEMAS[raw.name], raw, problems)
        for column in checker.schema.columns:
            ref_table, _dot, ref_column = (column.references or "").partition(".")
            if ref_table in tables and ref_column in tables[ref_table]:
                checker.known[column.name] = tables[ref_table][ref_column]
        tables[raw.name] = checker.run()
    present = set(raw_by_name)
    for name in REQUIRED_TABLES:
        if name not in present and not any(p.table == name and p.code in (
                "empty_file", "not_utf8", "unreadable", "ambiguous_files", "ragged_row",
                "not_a_file", "missing_sheet", "unclosed_quote") for p in problems):
            fmt = next((t.location.format for t in raw_tables
                        if t.location.format in ("csv", "parquet")), "csv")
            problems.append(Problem("error", "missing_table", name,
                                    Location(f"{name}.{fmt}", None, fmt),
                                    expected=N_("a table named {table}"),
                                    params=(("table", name),)))
    for name, schema in SCHEMAS.items():
        if name not in present and not schema.required and name != "meta":
            problems.append(Problem("notice", "missing_table", name,
                                    Location(name, None, "none"),
                                    note=N_("no {table} table, so the kit cannot show "
                                            "{enables}"),
                                    params=(("table", name),
                                            ("enables", schema.enables))))
        if name not in tables:
            tables[name] = empty_table(name)
    for name in REQUIRED_TABLES:
        raw = raw_by_name.get(name)
        if raw is not None and tables[name].empty and not any(
                p.table == name and p.code == "missing_column" for p in problems):
            problems.append(Problem("error", "no_rows", name, raw.location,
                                    expected=N_("at least one row of data under the header")))
    meta, as_of = _check_meta(raw_by_name.get("meta"), tables.get("meta"), problems)
    if as_of is None:
        dates = tables["transactions"]["date"].dropna() if "date" in tables[
            "transactions"] else pd.Series(dtype="datetime64[ns]")
        limit = pd.Timestamp(today or _dt.date.today())
        _check_future(tables, raw_by_name, problems, limit, declared=False)
        within = dates[dates <= limit]
        as_of = within.max() if len(within) else limit
        meta["as_of"] = pd.Timestamp(as_of).normalize()
        meta["as_of_source"] = "transactions" if len(within) else "today"
    else:
        _check_future(tables, raw_by_name, problems, as_of, declared=True)
        meta["as_of_source"] = "meta"
    _check_references(tables, raw_by_name, problems)
    _check_rules(tables, raw_by_name, problems)
    return tables, meta


def _checker(raw_by_name, name, problems) -> _TableChecker | None:
    raw = raw_by_name.get(name)
    return _TableChecker(SCHEMAS[name], raw, problems) if raw is not None else None


def _check_future(tables, raw_by_name, problems, limit: pd.Timestamp, declared: bool) -> None:
    for name, schema in SCHEMAS.items():
        checker = _checker(raw_by_name, name, problems)
        if checker is None:
            continue
        for column in schema.columns:
            if column.past_only and column.name in raw_by_name[name].frame.columns:
                s = tables[name][column.name]
                late = (s > limit).to_numpy(dtype=bool, na_value=False)
                if late.any():
                    expected = N_("a date on or before the portfolio's as-of date {date} "
                                  "(meta); this is in the future") if declared else N_(
                        "a date on or before today ({date}); this is in the future")
                    checker.problem("error", "future_date", column.name, late, expected,
                                    s[late].dt.strftime("%Y-%m-%d").tolist(),
                                    (("date", limit.strftime("%Y-%m-%d")),))


def _close(value: str, candidates: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(value, candidates, n=3, cutoff=0.6)


def _check_references(tables, raw_by_name, problems) -> None:
    for name, schema in SCHEMAS.items():
        checker = _checker(raw_by_name, name, problems)
        if checker is None:
            continue
        for column in schema.columns:
            if not column.references or column.name not in raw_by_name[name].frame.columns:
                continue
            ref_table, ref_column = column.references.split(".")
            if ref_table not in raw_by_name:
                continue
            known = tables[ref_table][ref_column].dropna()
            s = tables[name][column.name]
            unknown = s.notna().to_numpy() & ~codes.isin(s, known)
            if unknown.any():
                values = pd.unique(s[unknown])
                hints = []
                candidates = known.astype(str).tolist()
                if len(candidates) <= 20000:
                    for v in values[:3]:
                        near = _close(str(v), candidates)
                        if near:
                            hints.append(f"{v} \u2192 {near[0]}")
                expected = N_("an id listed in {ref} ({file})")
                params = [("ref", column.references),
                          ("file", raw_by_name[ref_table].location.describe())]
                if hints:
                    expected = N_("an id listed in {ref} ({file}); did you mean: {hints}")
                    params.append(("hints", "; ".join(hints)))
                checker.problem("error", "unknown_reference", column.name, unknown, expected,
                                s[unknown].tolist(), params)


def _check_rules(tables, raw_by_name, problems) -> None:
    _check_transactions(tables, raw_by_name, problems)
    _check_plan_dates(tables, raw_by_name, problems)
    _check_shares(tables, raw_by_name, problems)
    _check_links(tables, raw_by_name, problems)
    _check_action_goals(tables, raw_by_name, problems)


def sign_rule_breaches(q: np.ndarray, r: np.ndarray, c: np.ndarray, invoice: np.ndarray,
                       ret: np.ndarray, credit: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lines that break :data:`kamkit.data.schema.TRANSACTION_SIGN_RULE`, by kind of document.

    ``q``, ``r``, ``c``: quantity, revenue and cost per line; ``invoice``, ``ret``,
    ``credit``: which lines are of each kind. A line with a missing amount breaks nothing
    here (the missing amount is its own problem).

    Examples
    --------
    >>> yes, no = np.array([True, False]), np.array([False, False])
    >>> [m.tolist() for m in sign_rule_breaches(np.array([2.0, -1.0]), np.array([-5.0, 9.0]),
    ...                                         np.array([1.0, -1.0]), yes, ~yes, no)]
    [[True, False], [False, True], [False, False]]
    """
    with np.errstate(invalid="ignore"):
        known = ~(np.isnan(q) | np.isnan(r) | np.isnan(c))
        return (known & invoice & ((q <= 0) | (r < 0) | (c < 0)),
                known & ret & ((q >= 0) | (r > 0) | (c > 0)),
                known & credit & ((q != 0) | (r >= 0) | (c != 0)))


def _check_transactions(tables, raw_by_name, problems) -> None:
    checker = _checker(raw_by_name, "transactions", problems)
    if checker is None:
        return
    t = tables["transactions"]
    needed = {"quantity", "revenue", "cost"}
    if not needed.issubset(raw_by_name["transactions"].frame.columns):
        return
    q = t["quantity"].to_numpy()
    r = t["revenue"].to_numpy()
    c = t["cost"].to_numpy()
    doc = t["doc_type"]

    def is_kind(value: str) -> np.ndarray:  # by codes: no Python string per row
        return codes.equals(doc, value)

    has_doc_type = "doc_type" in raw_by_name["transactions"].frame.columns
    bad_invoice, bad_return, bad_credit = sign_rule_breaches(
        q, r, c, is_kind("invoice") | doc.isna().to_numpy(), is_kind("return"),
        is_kind("credit_note"))
    if bad_invoice.any():
        found = [f"quantity {a:g}, revenue {b:g}, cost {d:g}" for a, b, d in zip(
            q[bad_invoice][:4], r[bad_invoice][:4], c[bad_invoice][:4], strict=True)]
        expected = N_("{rule}. Mark the lines that take goods back as doc_type return "
                      "and price corrections as credit_note") if has_doc_type else N_(
            "{rule}. The file has no doc_type column, so every line counts as an invoice: "
            "add doc_type and mark negative lines as return or credit_note")
        checker.problem("error", "sign_rule", "quantity, revenue, cost", bad_invoice,
                        expected, found, (("rule", TRANSACTION_SIGN_RULE),))
    for mask in (bad_return, bad_credit):
        if mask.any():
            kind = doc[mask].iloc[:4].fillna("invoice").tolist()
            found = [f"{k}: quantity {a:g}, revenue {b:g}, cost {d:g}" for k, a, b, d in zip(
                kind, q[mask][:4], r[mask][:4], c[mask][:4], strict=True)]
            checker.problem("error", "sign_rule", "quantity, revenue, cost", mask,
                            N_("{rule}"), found, (("rule", TRANSACTION_SIGN_RULE),))


def _check_plan_dates(tables, raw_by_name, problems) -> None:
    checker = _checker(raw_by_name, "actions", problems)
    if checker is not None:
        a = tables["actions"]
        cols = raw_by_name["actions"].frame.columns
        if {"start", "due"}.issubset(cols):
            wrong = (a["due"] < a["start"]).to_numpy(dtype=bool, na_value=False)
            if wrong.any():
                found = [f"{s:%Y-%m-%d} \u2192 {d:%Y-%m-%d}" for s, d in zip(
                    a.loc[wrong, "start"], a.loc[wrong, "due"], strict=True)]
                checker.problem("error", "due_before_start", "due", wrong,
                                N_("a due date on or after the start date"), found)
        if "status" in cols and "done_date" in cols:
            undated = ((a["status"] == "done").to_numpy(dtype=bool, na_value=False)
                       & a["done_date"].isna().to_numpy())
            if undated.any():
                checker.problem("warning", "done_without_date", "done_date", undated,
                                "", note=N_("these actions are done but have no done_date, so "
                                            "their punctuality cannot be measured"))
    checker = _checker(raw_by_name, "goals", problems)
    if checker is not None:
        g = tables["goals"]
        if "start" in raw_by_name["goals"].frame.columns:
            wrong = (g["deadline"] < g["start"]).to_numpy(dtype=bool, na_value=False)
            if wrong.any():
                checker.problem("error", "deadline_before_start", "deadline", wrong,
                                N_("a deadline on or after the start date"),
                                g.loc[wrong, "deadline"].dt.strftime("%Y-%m-%d").tolist())


def _check_shares(tables, raw_by_name, problems) -> None:
    checker = _checker(raw_by_name, "competitors", problems)
    if checker is None:
        return
    comp = tables["competitors"]
    if comp.empty or "share_of_wallet" not in raw_by_name["competitors"].frame.columns:
        return
    year = comp["year"].astype("float64").fillna(-1)
    total = comp.groupby([comp["account_id"], year])["share_of_wallet"].transform("sum")
    over = (total > 1.0 + 1e-9).to_numpy()
    if over.any():
        found = [f"{a}{f' {int(y)}' if y >= 0 else ''}: {t:.2f}" for a, y, t in
                 zip(comp.loc[over, "account_id"], year[over], total[over], strict=True)]
        checker.problem("error", "shares_over_one", "share_of_wallet", over,
                        N_("competitors' shares of one account's wallet adding up to at most "
                           "1"), found)


def _check_links(tables, raw_by_name, problems) -> None:
    checker = _checker(raw_by_name, "goals", problems)
    if checker is None or "linked_to" not in raw_by_name["goals"].frame.columns:
        return
    g = tables["goals"]
    known = pd.concat([tables["needs"]["need_id"], tables["opportunities"]["opportunity_id"]])
    s = g["linked_to"]
    unknown = s.notna().to_numpy() & ~s.isin(known.dropna()).to_numpy()
    if unknown.any():
        checker.problem("warning", "unknown_link", "linked_to", unknown,
                        "", s[unknown].tolist(),
                        note=N_("no need_id in needs and no opportunity_id in opportunities "
                                "has this value, so the goal counts as not linked"))


def _check_action_goals(tables, raw_by_name, problems) -> None:
    """An action serves a goal of its own account (both ids listed, yet not matching)."""
    checker = _checker(raw_by_name, "actions", problems)
    if checker is None or "goals" not in raw_by_name or not {"goal_id", "account_id"} <= set(
            raw_by_name["actions"].frame.columns):
        return
    a, g = tables["actions"], tables["goals"].drop_duplicates("goal_id")
    if a.empty or g.empty:
        return
    where = pd.Index(g["goal_id"]).get_indexer(a["goal_id"])
    goal_account = pd.Series(g["account_id"].to_numpy()[where], dtype="str").where(
        where >= 0)
    other = (a["account_id"].notna().to_numpy() & goal_account.notna().to_numpy()
             & (a["account_id"].to_numpy(dtype=object) != goal_account.to_numpy(dtype=object)))
    if other.any():
        found = [_("{action}: account {account}, but goal {goal} is of account {other}").format(
            action=act, account=acc, goal=goal, other=oth) for act, acc, goal, oth in zip(
            a.loc[other, "action_id"], a.loc[other, "account_id"], a.loc[other, "goal_id"],
            goal_account[other], strict=True)]
        checker.problem("error", "goal_of_other_account", "goal_id", other,
                        N_("a goal of the action's own account (goals, column "
                           "account_id)"), found, width=120)


def is_blank(value: object) -> bool:
    """Whether a cell holds nothing: None, a missing value (NA, NaT, NaN) or white space.

    >>> [is_blank(v) for v in (None, float("nan"), "  ", 0, "x")]
    [True, True, True, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()
