"""Load, validate, hold and save a portfolio::

    from kamkit.data import portfolio
    p = portfolio.load("datasets/company_x")
    p.accounts.head()

:func:`load` reads a folder of CSV files, a folder of Parquet files or one ``.xlsx``
workbook, checks every table (:mod:`kamkit.data.validation`) and returns a
:class:`Portfolio`, or raises :class:`~kamkit.exceptions.PortfolioValidationError`
carrying the whole report. :func:`validate` returns the report without raising.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from kamkit._fast.streaming import ParquetSums, SummedSales, sum_lines
from kamkit.artifacts import atomic_write
from kamkit.data.readers import RawTable, detect_format, files_by_table, read_portfolio_files
from kamkit.data.sales import period, sales_by_account, sales_by_year
from kamkit.data.schema import SCHEMAS, TABLES
from kamkit.data.validation import Location, Problem, ValidationReport, type_tables
from kamkit.exceptions import ParameterError, PortfolioValidationError, UnknownAccountError
from kamkit.text.i18n import N_, _

__all__ = ["Portfolio", "PortfolioMeta", "load", "validate", "from_frames", "save",
           "PortfolioSummary", "lean_columns", "CHECKED_TOGETHER"]


@dataclass(frozen=True)
class PortfolioMeta:
    """Facts about a portfolio as a whole.

    Attributes
    ----------
    name : str
        Shown in reports.
    company : str or None
        Our company.
    currency : str or None
        ISO 4217 code of all money in the portfolio.
    as_of : Timestamp
        The portfolio's "today"; every period and deadline is measured from it.
    as_of_source : str
        ``meta`` (declared), ``transactions`` (last sale) or ``today``.
    key_account_managers : int or None
        Number of key account managers, for the cap on key accounts.
    """

    name: str
    company: str | None
    currency: str | None
    as_of: pd.Timestamp
    as_of_source: str = "meta"
    key_account_managers: int | None = None


@dataclass
class Portfolio:
    """A validated portfolio: one typed DataFrame per table, and its metadata.

    Tables the source did not have are present as empty frames with the schema's
    columns, so every stage can run; :meth:`has` says whether a table had data, and
    :attr:`report` keeps the warnings and notices of validation.
    """

    tables: dict[str, pd.DataFrame]
    meta: PortfolioMeta
    source: str = ""
    report: ValidationReport = field(default_factory=lambda: ValidationReport(""))
    present: frozenset[str] = frozenset()
    #: The transactions as sums by account and rolling year, when the portfolio was
    #: loaded with ``lines=False`` (then it has no transaction lines).
    sales: SummedSales | None = None

    # One property per table keeps notebooks short: ``p.accounts``, ``p.contacts`` ...
    @property
    def accounts(self) -> pd.DataFrame:
        """The accounts table."""
        return self.tables["accounts"]

    @property
    def transactions(self) -> pd.DataFrame:
        """The transactions table.

        Raises
        ------
        ParameterError
            When the portfolio was loaded with ``lines=False``: it kept only the sums.
        """
        return self._table("transactions")

    def _table(self, name: str) -> pd.DataFrame:
        if name == "transactions" and name not in self.tables and self.sales is not None:
            raise ParameterError("lines", _(
                "{source} was loaded with lines=False, so it keeps its transactions only as "
                "sums by account and rolling year (portfolio.sales), not as lines; load it "
                "without lines=False for this").format(source=self.source or "the portfolio"))
        return self.tables[name]

    @property
    def contacts(self) -> pd.DataFrame:
        """The contacts table (decision-making units)."""
        return self.tables["contacts"]

    @property
    def competitors(self) -> pd.DataFrame:
        """The competitors table."""
        return self.tables["competitors"]

    @property
    def wallet(self) -> pd.DataFrame:
        """The wallet table (customers' total spend per year)."""
        return self.tables["wallet"]

    @property
    def needs(self) -> pd.DataFrame:
        """The needs table."""
        return self.tables["needs"]

    @property
    def swot(self) -> pd.DataFrame:
        """The customer SWOT table."""
        return self.tables["swot"]

    @property
    def opportunities(self) -> pd.DataFrame:
        """The opportunities table."""
        return self.tables["opportunities"]

    @property
    def goals(self) -> pd.DataFrame:
        """The plan goals table."""
        return self.tables["goals"]

    @property
    def actions(self) -> pd.DataFrame:
        """The plan actions table."""
        return self.tables["actions"]

    @property
    def feedback(self) -> pd.DataFrame:
        """The customer feedback table."""
        return self.tables["feedback"]

    @property
    def as_of(self) -> pd.Timestamp:
        """The portfolio's "today"."""
        return self.meta.as_of

    @property
    def currency(self) -> str | None:
        """The portfolio's currency code."""
        return self.meta.currency

    def has(self, table: str) -> bool:
        """Whether ``table`` was in the source and holds at least one row."""
        if table not in SCHEMAS:
            raise KeyError(table)
        if table == "transactions" and self.sales is not None:
            return table in self.present and self.sales.lines > 0
        return table in self.present and not self.tables[table].empty

    @property
    def missing_tables(self) -> list[str]:
        """Optional tables without data, in schema order."""
        return [t for t in TABLES if t != "meta" and not self.has(t)]

    def check_account(self, account_id: object) -> str:
        """Return ``account_id`` as the portfolio spells it, or raise with close matches.

        Raises
        ------
        UnknownAccountError
            With up to three close matches among ids and names.
        """
        key = str(account_id).strip()
        ids = self.accounts["account_id"]
        if (ids == key).any():
            return key
        folded = ids.str.casefold() == key.casefold()
        if folded.sum() == 1:
            return str(ids[folded].iloc[0])
        candidates = ids.astype(str).tolist()
        near = difflib.get_close_matches(key, candidates, n=3, cutoff=0.5)
        by_name = self.accounts.loc[self.accounts["name"].str.casefold().str.contains(
            key.casefold(), regex=False, na=False), "account_id"].astype(str).tolist()
        suggestions = list(dict.fromkeys(near + by_name))[:3]
        raise UnknownAccountError(key, suggestions)

    def account(self, account_id: object) -> pd.Series:
        """The accounts row of ``account_id`` (see :meth:`check_account` for errors)."""
        key = self.check_account(account_id)
        return self.accounts.loc[self.accounts["account_id"] == key].iloc[0]

    def table_for(self, table: str, account_id: object) -> pd.DataFrame:
        """Rows of ``table`` that belong to ``account_id``."""
        key = self.check_account(account_id)
        frame = self._table(table)
        return frame.loc[frame["account_id"] == key].reset_index(drop=True)

    def summary(self) -> PortfolioSummary:
        """A short description of the portfolio: size, period, revenue, concentration."""
        return PortfolioSummary.of(self)


@dataclass(frozen=True)
class PortfolioSummary:
    """Headline figures of a portfolio, as printed by ``kamkit validate``.

    Attributes
    ----------
    rows : dict
        Rows per table that has data.
    first_sale, last_sale : Timestamp or None
    revenue_12m : float
        Net revenue in the twelve months up to ``as_of``.
    revenue_by_year : dict
        Rolling-year label -> net revenue, oldest first.
    top3_share : float
        Share of the last twelve months' revenue bought by the three largest accounts.
    active_accounts : int
        Accounts with net revenue above zero in the last twelve months.
    countries : int
    """

    meta: PortfolioMeta
    rows: dict[str, int]
    first_sale: pd.Timestamp | None
    last_sale: pd.Timestamp | None
    revenue_12m: float
    revenue_by_year: dict[str, float]
    top3_share: float
    active_accounts: int
    countries: int
    missing_tables: tuple[str, ...]

    @classmethod
    def of(cls, p: Portfolio) -> PortfolioSummary:
        """Compute the summary of ``p`` (with its lines, or from the sums it kept)."""
        if p.sales is None:
            t = p.transactions
            start, end = period(p.as_of)
            last12 = sales_by_account(t, start, end)["revenue"]
            years = sales_by_year(t, p.as_of, years=3, by=())
            by_year = dict(zip(years["label"], years["revenue"].astype(float), strict=True))
            first, last, lines = (t["date"].min(), t["date"].max(), len(t)) if len(t) else (
                None, None, 0)
        else:
            sums = p.sales.by_year(3)
            last12 = sums.loc[sums["year"] == 0, "revenue"]
            years = sums.groupby(["year", "label"])["revenue"].sum().sort_index(ascending=False)
            by_year = {label: float(v) for (_y, label), v in years.items()}
            first, last, lines = p.sales.first_sale, p.sales.last_sale, p.sales.lines
        rows = {name: lines if name == "transactions" else len(p.tables[name])
                for name in TABLES if p.has(name)}
        total = float(last12.sum())
        top3 = float(last12.sort_values(ascending=False).head(3).sum())
        return cls(
            meta=p.meta,
            rows=rows,
            first_sale=first,
            last_sale=last,
            revenue_12m=total,
            revenue_by_year=by_year,
            top3_share=top3 / total if total > 0 else float("nan"),
            active_accounts=int((last12 > 0).sum()),
            countries=int(p.accounts["country"].nunique()),
            missing_tables=tuple(p.missing_tables),
        )

    def render(self) -> str:
        """The summary as a few lines of text in the current language."""
        from kamkit.text.i18n import format_date, format_money, format_number, format_percent

        m = self.meta
        cur = m.currency
        lines = [
            _("Portfolio: {name}").format(name=m.name)
            + (f" ({m.company})" if m.company else ""),
            _("As of: {date}").format(date=format_date(m.as_of)),
            _("Accounts: {n} in {countries} countries, {active} buying in the last 12 months"
              ).format(n=format_number(self.rows.get("accounts", 0)),
                       countries=format_number(self.countries),
                       active=format_number(self.active_accounts)),
            _("Transactions: {n} lines from {first} to {last}").format(
                n=format_number(self.rows.get("transactions", 0)),
                first=format_date(self.first_sale), last=format_date(self.last_sale)),
            _("Revenue, last 12 months: {amount}").format(
                amount=format_money(self.revenue_12m, cur)),
            _("Revenue by year: {years}").format(years="; ".join(
                f"{label} {format_money(v, cur)}" for label, v in self.revenue_by_year.items())),
            _("Three largest accounts: {share} of the last 12 months' revenue").format(
                share=format_percent(self.top3_share)),
        ]
        other = [f"{name} {format_number(n)}" for name, n in self.rows.items()
                 if name not in ("accounts", "transactions", "meta")]
        if other:
            lines.append(_("Other tables: {tables}").format(tables=", ".join(other)))
        if self.missing_tables:
            lines.append(_("Tables without data: {tables}").format(
                tables=", ".join(self.missing_tables)))
        return "\n".join(lines)


def _portfolio_from(tables: dict[str, pd.DataFrame], meta: dict[str, object], source: str,
                    report: ValidationReport, present: set[str],
                    sales: SummedSales | None = None) -> Portfolio:
    name = meta.get("portfolio") or Path(source).stem or "portfolio"
    return Portfolio(
        tables=tables,
        meta=PortfolioMeta(
            name=str(name),
            company=meta.get("company"),  # type: ignore[arg-type]
            currency=meta.get("currency"),  # type: ignore[arg-type]
            as_of=pd.Timestamp(meta["as_of"]),  # type: ignore[arg-type]
            as_of_source=str(meta.get("as_of_source", "meta")),
            key_account_managers=meta.get("key_account_managers"),  # type: ignore[arg-type]
        ),
        source=source,
        report=report,
        present=frozenset(present),
        sales=sales,
    )


#: Columns a lean load always reads with a table, because a check needs them: links
#: between tables (``account_id`` ...), keys, and the sign rule of transactions (a
#: negative revenue is only valid on a return or credit note).
CHECKED_TOGETHER: dict[str, tuple[str, ...]] = {
    "transactions": ("date", "account_id", "doc_type", "quantity", "revenue", "cost"),
}


def lean_columns(table: str, columns: Iterable[str]) -> set[str]:
    """``columns`` of ``table`` plus every column its checks need (see :func:`load`).

    Examples
    --------
    >>> sorted(lean_columns("transactions", ["revenue"]))
    ['account_id', 'cost', 'date', 'doc_type', 'quantity', 'revenue']
    """
    schema = SCHEMAS[table]
    wanted = set(columns) | set(CHECKED_TOGETHER.get(table, ()))
    wanted |= {c.name for c in schema.columns if c.references or c.unique}
    wanted |= set(schema.key)
    unknown = sorted(c for c in columns if not schema.has_column(c))
    if unknown:
        raise ParameterError("columns", _("{table} has no column {columns}").format(
            table=table, columns=", ".join(unknown)))
    return wanted


class _Checked(NamedTuple):
    report: ValidationReport
    tables: dict[str, pd.DataFrame]
    meta: dict[str, object]
    present: set[str]
    sales: SummedSales | None = None


def _check(path: str | Path, today: _dt.date | None = None,
           tables: Iterable[str] | None = None,
           columns: Mapping[str, Iterable[str]] | None = None, lines: bool = True
           ) -> _Checked:
    path = Path(path)
    report = ValidationReport(str(path))
    if not path.exists() and not path.is_symlink():  # a broken link: the reader says so
        report.problems.append(Problem("error", "not_found", "", Location(str(path), None, ""),
                                       note=N_("there is no folder or workbook at this path")))
        return _Checked(report, {}, {}, set())
    selected = None
    if tables is not None:
        unknown = sorted(set(tables) - set(SCHEMAS))
        if unknown:
            raise ParameterError("tables", _("no table of the data dictionary is called "
                                             "{names}").format(names=", ".join(unknown)))
        selected = {*tables, *(n for n, sch in SCHEMAS.items() if sch.required), "meta"}
    wanted = {name: lean_columns(name, cols) for name, cols in (columns or {}).items()}
    if not lines:
        fast = _check_summing(path, today, selected, wanted)
        if fast is not None:
            return fast
    raw, problems, _fmt = read_portfolio_files(path, selected, wanted)
    if not raw and any(p.severity == "error" and not p.table for p in problems):
        # Nothing at the path could be read at all: that one problem is the report (not
        # also every table missing and the currency unknown).
        report.extend(problems)
        return _Checked(report, {}, {}, set())
    tables_, meta = type_tables(raw, problems, today=today)
    return _finish_check(report, raw, problems, selected, tables_, meta,
                         sum_transactions=not lines)


def _finish_check(report: ValidationReport, raw: list[RawTable], problems: list[Problem],
                  selected: set[str] | None, tables_: dict[str, pd.DataFrame],
                  meta: dict[str, object], sum_transactions: bool) -> _Checked:
    """The lean load's notices added to the problems; the transactions summed if asked."""
    if selected is not None:
        # A table left out on purpose is not "missing": say that it was not read.
        problems = [q for q in problems if not (q.code == "missing_table" and
                                                q.severity == "notice" and
                                                q.table not in selected)]
        for name in TABLES:
            if name not in selected:
                problems.append(Problem("notice", "not_loaded", name,
                                        Location(name, None, "none"),
                                        note=N_("not read by this lean load, so neither "
                                                "checked nor available")))
    for t in raw:
        if t.skipped:
            problems.append(Problem("notice", "not_loaded", t.name, t.location,
                                    note=N_("columns not read by this lean load, so "
                                            "neither checked nor available: {columns}"),
                                    params=(("columns", ", ".join(t.skipped)),)))
    report.extend(problems)
    sales = None
    if sum_transactions and report.ok:
        sales = sum_lines(tables_.pop("transactions"), pd.Timestamp(meta["as_of"]))
    return _Checked(report, tables_, meta, {t.name for t in raw}, sales)


def _check_summing(path: Path, today: _dt.date | None, selected: set[str] | None,
                   wanted: dict[str, set[str]]) -> _Checked | None:
    """A load that sums a Parquet transactions file as it reads it (:mod:`kamkit._fast.streaming`).

    The other tables are read and checked as always; the transactions are checked batch by
    batch while they are summed. None (and nothing reported) when the full check must
    read the data instead: not Parquet, no declared as-of date, an error in another table
    (its report must be the full one), or a transaction line that is not plainly right.
    """
    folder = path if path.is_dir() else path.parent
    if detect_format(path) != "parquet":
        return None
    files = files_by_table(folder, ".parquet").get("transactions", [])
    if len(files) != 1:
        return None
    others = {n for n in (selected or SCHEMAS) if n != "transactions"}
    # The transactions are read ahead while the other tables are read and typed.
    with ParquetSums(files[0], wanted.get("transactions")) as pending:
        raw, problems, _fmt = read_portfolio_files(path, others, wanted)
        tables_, meta = type_tables(raw, problems, today=today)
        # Without the transactions, type_tables says they are missing; nothing else it
        # checks depends on them when the as-of date is declared.
        problems = [q for q in problems if q.table != "transactions"]
        tables_.pop("transactions", None)  # the empty stand-in type_tables put there
        if meta.get("as_of_source") != "meta" or any(q.severity == "error"
                                                     for q in problems):
            return None
        summed = pending.sum(tables_["accounts"]["account_id"], pd.Timestamp(meta["as_of"]))
    if summed is None:
        return None
    sales, skipped = summed
    # The transactions in the reader's place among the tables, for the lean notices.
    stand_in = RawTable("transactions", pd.DataFrame(), range(0),
                        Location(files[0].name, None, "parquet"), skipped=skipped)
    raw = sorted([*raw, stand_in], key=lambda t: list(SCHEMAS).index(t.name))
    checked = _finish_check(ValidationReport(str(path)), raw, problems, selected, tables_,
                            meta, sum_transactions=False)
    return checked._replace(sales=sales)


def validate(path: str | Path, *, today: _dt.date | None = None) -> ValidationReport:
    """Check the portfolio at ``path`` and return every problem found; never raises for data.

    Parameters
    ----------
    path : str or Path
        A folder of CSV or Parquet files, or an ``.xlsx`` workbook.
    today : datetime.date, optional
        The date the future-date check uses when ``meta`` has no ``as_of``.

    Returns
    -------
    ValidationReport
        ``report.ok`` is True when there is no error.
    """
    return _check(path, today).report


def load(path: str | Path, *, today: _dt.date | None = None,
         tables: Iterable[str] | None = None,
         columns: Mapping[str, Iterable[str]] | None = None, lines: bool = True
         ) -> Portfolio:
    """Load and validate the portfolio at ``path``.

    Parameters
    ----------
    path : str or Path
        A folder of CSV or Parquet files, or an ``.xlsx`` workbook.
    today : datetime.date, optional
        See :func:`validate`.
    tables : iterable of str, optional
        A *lean load*: read only these tables (the required ``accounts`` and
        ``transactions`` and ``meta`` are always read). Default: every table.
    columns : mapping of table name to column names, optional
        A lean load of columns: read only these columns of a table, plus those its
        checks need (:func:`lean_columns`: ids, keys, links between tables, and the
        sign rule's ``doc_type``, ``quantity``, ``revenue`` and ``cost``).

        Everything that is read is validated as in a full load. What is left out is
        neither checked nor available (``portfolio.has`` is false for a table not
        read, and a column not read is absent from its table), and the report lists
        it as a ``not_loaded`` notice. Use it for one stage on large data, e.g.
        ``load(path, **kamkit.identification.selection.LEAN)``.
    lines : bool
        False keeps the transactions only as sums by account and rolling year
        (``portfolio.sales``, a :class:`~kamkit._fast.streaming.SummedSales`), which is all
        identification needs; ``portfolio.transactions`` then raises. Every line is
        checked as in a full load. A Parquet file is checked and summed batch by batch
        as it is read, so its lines are never held (:mod:`kamkit._fast.streaming`).

    Returns
    -------
    Portfolio

    Raises
    ------
    PortfolioValidationError
        When any error is found; its ``report`` lists every problem.
    """
    lean = tables is not None or columns is not None or not lines
    key = None if lean else _cache_key(Path(path), today)
    if key is not None and key in _CACHE:
        _CACHE.move_to_end(key)
        return _shared(_CACHE[key], str(path))
    checked = _check(path, today, tables, columns, lines)
    if not checked.report.ok:
        raise PortfolioValidationError(checked.report)
    portfolio = _portfolio_from(checked.tables, checked.meta, str(path), checked.report,
                                checked.present, checked.sales)
    if key is not None:
        _CACHE[key] = portfolio
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        return _shared(portfolio, str(path))
    return portfolio


# Loading validates every row, which is the slow part of a short notebook. A full load is
# kept (for the last few sources) and handed out again while the files are unchanged: the
# key holds every file's size and modification time, so an edited file is read afresh.
# Each caller gets its own Portfolio whose tables share memory with the kept one until
# either side changes them (pandas copy-on-write), so no caller sees another's changes.
# A batch run's kernel template loads the portfolio once before forking the kernels, so
# every notebook finds it here (kamkit.run.batch, kamkit.run.kernels).
_CACHE: OrderedDict[tuple[object, ...], Portfolio] = OrderedDict()
_CACHE_SIZE = 2


def _cache_key(path: Path, today: _dt.date | None) -> tuple[object, ...] | None:
    try:
        resolved = path.resolve(strict=True)
        files = [resolved] if resolved.is_file() else sorted(
            f for f in resolved.iterdir() if f.is_file())
        stats = tuple((f.name, st.st_size, st.st_mtime_ns) for f in files
                      for st in (f.stat(),))
    except OSError:
        return None
    return (str(resolved), stats, today or _dt.date.today())


def _shared(portfolio: Portfolio, source: str) -> Portfolio:
    """A Portfolio sharing ``portfolio``'s data until written to, named as the caller named it."""
    report = dataclasses.replace(portfolio.report, source=source,
                                 problems=list(portfolio.report.problems))
    return dataclasses.replace(portfolio, source=source, report=report,
                               tables={k: v.copy(deep=False) for k, v in
                                       portfolio.tables.items()})


def from_frames(frames: Mapping[str, pd.DataFrame], meta: Mapping[str, object] | None = None,
                *, source: str = "in-memory tables", today: _dt.date | None = None
                ) -> Portfolio:
    """Build a validated :class:`Portfolio` from DataFrames (tests, generators, notebooks).

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Tables by name; values may be typed or text.
    meta : mapping, optional
        Meta keys and values (``currency``, ``as_of`` ...), instead of a ``meta`` frame.
    source : str
        How the portfolio is named in messages.

    Raises
    ------
    PortfolioValidationError
        As :func:`load`.

    Examples
    --------
    >>> p = from_frames({
    ...     "accounts": pd.DataFrame({"account_id": ["A"], "name": ["Acme"]}),
    ...     "transactions": pd.DataFrame({"date": ["2026-01-31"], "account_id": ["A"],
    ...         "product": ["X"], "product_line": ["x"], "quantity": [1], "revenue": [10.0],
    ...         "cost": [6.0]})}, {"currency": "EUR", "as_of": "2026-06-30"})
    >>> p.meta.currency, len(p.transactions)
    ('EUR', 1)
    """
    raw: list[RawTable] = []
    frames = dict(frames)
    if meta is not None:
        frames["meta"] = pd.DataFrame({"key": list(meta), "value": [
            None if v is None else (v.strftime("%Y-%m-%d") if isinstance(v, (
                _dt.date, pd.Timestamp)) else str(v)) for v in meta.values()]})
    for name in TABLES:
        if name in frames:
            frame = frames[name].reset_index(drop=True)
            from kamkit.data.schema import normalise_header

            raw.append(RawTable(name, frame.rename(columns=normalise_header),
                                np.arange(1, len(frame) + 1),
                                Location(name, None, "memory"), {c: c for c in frame.columns}))
    unknown = set(frames) - set(TABLES)
    report = ValidationReport(source)
    problems: list[Problem] = [
        Problem("warning", "unknown_table", n, Location(n, None, "memory"),
                note=N_("no table of the data dictionary has this name, so it is ignored"))
        for n in sorted(unknown)]
    tables, typed_meta = type_tables(raw, problems, today=today)
    report.extend(problems)
    if not report.ok:
        raise PortfolioValidationError(report)
    return _portfolio_from(tables, typed_meta, source, report, {r.name for r in raw})


# --------------------------------------------------------------------------------------
# Saving


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the text a CSV holds: ISO dates, yes/no, no '.0' on whole numbers."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[col] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.map(lambda v: "" if v is pd.NA else ("yes" if v else "no"))
        elif pd.api.types.is_float_dtype(s.dtype):
            out[col] = s.map(lambda v: "" if np.isnan(v) else repr(float(v)).removesuffix(".0"))
        else:
            out[col] = s
    return pd.DataFrame(out)


def _meta_frame(p: Portfolio) -> pd.DataFrame:
    m = p.meta
    rows = [("portfolio", m.name), ("company", m.company), ("currency", m.currency),
            ("as_of", m.as_of.strftime("%Y-%m-%d")),
            ("key_account_managers", m.key_account_managers)]
    return pd.DataFrame([(k, v) for k, v in rows if v is not None], columns=["key", "value"]
                        ).astype({"value": "str"})


def save(p: Portfolio, path: str | Path, format: str = "csv", *,  # noqa: A002
         overwrite: bool = False) -> Path:
    """Write a portfolio as a CSV folder, Parquet folder or one ``.xlsx`` workbook.

    Every file is written atomically. Existing files are never replaced unless
    ``overwrite`` is true, so a user's data cannot be lost by accident.

    Parameters
    ----------
    p : Portfolio
    path : str or Path
        Folder (csv, parquet) or workbook file (xlsx).
    format : {"csv", "parquet", "xlsx"}
    overwrite : bool
        Replace files that already exist.

    Returns
    -------
    Path
        Where the portfolio was written.
    """
    path = Path(path)
    names = [n for n in TABLES if n != "meta" and p.has(n)]
    frames = {n: p._table(n) for n in names}  # not a portfolio without its lines
    frames["meta"] = _meta_frame(p)
    if format in ("csv", "parquet"):
        targets = {n: path / f"{n}.{format}" for n in frames}
    elif format == "xlsx":
        targets = {"*": path}
    else:
        raise ParameterError("format", _("choose csv, parquet or xlsx"))
    clash = [t for t in targets.values() if t.exists()]
    if clash and not overwrite:
        raise ParameterError("path", _("{path} already exists; pass overwrite=True to "
                                       "replace it").format(path=clash[0]))
    if format == "csv":
        for n, frame in frames.items():
            text = _text_frame(frame)
            atomic_write(targets[n], lambda tmp, text=text: text.to_csv(
                tmp, index=False, encoding="utf-8", lineterminator="\n"))
    elif format == "parquet":
        for n, frame in frames.items():
            atomic_write(targets[n], lambda tmp, frame=frame: frame.to_parquet(
                tmp, index=False))
    else:
        def write_book(tmp: Path) -> None:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                for n, frame in frames.items():
                    out = frame.copy()
                    for col in out.columns:
                        if pd.api.types.is_bool_dtype(out[col].dtype):
                            out[col] = _text_frame(out[[col]])[col]
                        elif pd.api.types.is_datetime64_any_dtype(out[col].dtype):
                            out[col] = out[col].dt.date
                    out.to_excel(writer, sheet_name=n, index=False)

        atomic_write(path, write_book)
    return path
