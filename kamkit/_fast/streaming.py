"""Transactions summed as they are read: a load that never holds the lines.

``kamkit.load(path, lines=False)`` keeps a portfolio's transactions only as their sums
by account and rolling year (:class:`SummedSales`, in ``portfolio.sales``). That is all
identification needs, and on ten million lines it is the difference between holding
half a gigabyte of lines in pandas and holding a few hundred thousand sums.

For a Parquet file the lines are never held at all (:class:`ParquetSums`): each batch
of lines is checked as it is read, with the same rules as a full load (every id listed
in ``accounts``, every date a day on or before the as-of date, every ``doc_type`` one of
the allowed ones, every amount a number, the sign rule of returns and credit notes),
and then added to the sums. The first line that is not plainly right stops the reading:
the load then falls back to the full check, which reads everything again and reports
each problem with its file, column and rows as always. So a clean file is summed fast
and a file with problems gets the full report; only the time differs. Lines a full
load would accept after a repair of its own (ids with white space around them, dates
with a time of day, blank ``doc_type`` cells read as invoices, amounts written as text)
take the full load too.

The sums are the ones :func:`kamkit.data.sales.sales_by_year` gives from the typed lines,
to the last bit: both add each line's amount to its account and year in the order of
the file.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kamkit.data.sales import (
    SALES_COLUMNS,
    sales_by_year,
    timestamp_ticks,
    year_label,
    year_offsets,
    years_back,
)
from kamkit.data.schema import DOC_TYPES, MAX_MAGNITUDE, SCHEMAS, normalise_header
from kamkit.data.validation import sign_rule_breaches

__all__ = ["SummedSales", "ParquetSums", "sum_lines"]

#: Lines read and checked at a time: large enough for the vector operations to pay,
#: small enough that the memory stays small and is reused.
BATCH_LINES = 1 << 20
#: The columns :class:`ParquetSums` can check and sum; a lean load asking for any other
#: transaction column takes the full check.
SUMMABLE = ("date", "account_id", "doc_type", "quantity", "revenue", "cost", "discount")
_AMOUNTS = ("quantity", "revenue", "cost", "discount")


@dataclass(frozen=True)
class SummedSales:
    """A portfolio's transactions as sums by account and rolling year.

    Attributes
    ----------
    frame : DataFrame
        ``account_id``, ``year`` (0 = last twelve months), ``label`` and the sales
        columns (revenue, cost, gross_margin, quantity, discount, lines), one row per
        account and year with lines, sorted as :func:`kamkit.data.sales.sales_by_year` sorts.
        ``discount`` is 0 where the load did not read it.
    years : int
        How many rolling years the frame covers: every line is in one of them.
    lines : int
        Transaction lines summed.
    first_sale, last_sale : Timestamp or None
        The oldest and the latest line's date.
    columns : tuple of str
        The transaction columns that were read and checked.
    """

    frame: pd.DataFrame
    years: int
    lines: int
    first_sale: pd.Timestamp | None
    last_sale: pd.Timestamp | None
    columns: tuple[str, ...]

    def by_year(self, years: int) -> pd.DataFrame:
        """The sums of the last ``years`` rolling years (as ``sales_by_year`` gives)."""
        frame = self.frame
        if years < self.years:
            frame = frame[frame["year"].to_numpy() < years]
        return frame.reset_index(drop=True)


def sum_lines(transactions: pd.DataFrame, as_of: pd.Timestamp) -> SummedSales:
    """The :class:`SummedSales` of typed transactions (the full load's way)."""
    dates = transactions["date"]
    first = dates.min() if len(dates) else None
    last = dates.max() if len(dates) else None
    years = years_back(as_of, first)
    frame = sales_by_year(transactions, as_of, years)
    return SummedSales(frame, years, len(transactions), first, last,
                       tuple(transactions.columns))


class _Unsure(Exception):
    """A line the fast path cannot vouch for: the full check must read the file."""


class ParquetSums:
    """A Parquet transactions file being read ahead, to be checked and summed.

    Creating it checks the file's layout (columns, types); entering it starts reading the
    batches on another thread, so the reading overlaps whatever the caller does next
    (typing the accounts, whose ids :meth:`sum` needs); leaving it stops the reading.

    Parameters
    ----------
    file : Path
        The transactions file.
    wanted : set of str or None
        The columns to read (normalised names; None: every column).
    """

    def __init__(self, file: Path, wanted: set[str] | None) -> None:
        import pyarrow.parquet as pq

        self._ahead: _ReadAhead | None = None
        try:
            reader = pq.ParquetFile(file)
            self._read, self.skipped = _layout(reader.schema_arrow, wanted)
            self._oldest = _oldest(reader, self._read["date"])
            self._ahead = _ReadAhead(_batches(reader, list(self._read.values())), depth=3)
        except Exception:  # noqa: BLE001 - _Unsure, or unreadable: the full check says
            self._ahead = None

    def __enter__(self) -> ParquetSums:
        if self._ahead is not None:
            self._ahead.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._ahead is not None:
            self._ahead.stop()

    def sum(self, ids: pd.Series, as_of: pd.Timestamp
            ) -> tuple[SummedSales, tuple[str, ...]] | None:
        """Check every line and sum it, or say that the full check must read the file.

        Parameters
        ----------
        ids : Series
            The accounts' ids, typed (trimmed text, no duplicates).
        as_of : Timestamp
            The declared as-of date: no line may be later; the rolling years end there.

        Returns
        -------
        (SummedSales, skipped) or None
            ``skipped``: the file's columns that were not read. None when any line (or
            the file's layout) needs the full check; nothing is reported here.
        """
        if self._ahead is None:
            return None
        self._ahead.start()
        try:
            summer = _Summer(ids, as_of, years_back(as_of, self._oldest), self._read)
            for batch in self._ahead:
                summer.add(batch)
        except Exception:  # noqa: BLE001 - _Unsure, or unreadable: the full check says
            return None
        finally:
            self._ahead.stop()
        if not summer.lines:  # no lines is an error the full check words
            return None
        return summer.result(), self.skipped


def _batches(reader, columns: list[str]):
    """The file's lines in batches: its row groups, unless one is very large."""
    meta = reader.metadata
    groups = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    if max(groups, default=0) <= 4 * BATCH_LINES:  # cheaper to read than smaller batches
        for g in range(len(groups)):
            yield reader.read_row_group(g, columns=columns, use_threads=False)
    else:
        yield from reader.iter_batches(batch_size=BATCH_LINES, columns=columns)


class _ReadAhead:
    """Iterate ``batches`` with the next one read on another thread meanwhile.

    Reading and decompressing a batch (Arrow, without the GIL) and checking and summing
    the one before (NumPy and Arrow kernels, mostly without the GIL) then share the two
    cores. At most ``depth`` batches wait, so memory stays bounded; :meth:`stop` ends the
    reading early.
    """

    _END = object()

    def __init__(self, batches, depth: int = 2) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(batches,), daemon=True,
                                        name="kamkit-read-ahead")

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _read(self, batches) -> None:
        try:
            for batch in batches:
                if not self._put(batch):
                    return
            self._put(self._END)
        except BaseException as exc:  # an unreadable batch: raised in the reader's thread
            self._put(exc)

    def start(self) -> None:
        if self._thread.ident is None:  # once
            self._thread.start()

    def __iter__(self):
        while True:
            item = self._queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _layout(arrow_schema, wanted: set[str] | None) -> tuple[dict[str, str], tuple[str, ...]]:
    """The columns to read (normalised name -> name in the file) and those skipped."""
    import pyarrow as pa

    schema = SCHEMAS["transactions"]
    headers: dict[str, str] = {}
    for name in arrow_schema.names:
        norm = normalise_header(str(name))
        if not norm or norm.startswith("unnamed") or norm in headers:
            raise _Unsure  # blank or repeated headers: the full check reports them
        headers[norm] = name
    if any(c.required and c.name not in headers for c in schema.columns):
        raise _Unsure  # a missing column is an error the full check words
    read = {n: h for n, h in headers.items() if wanted is None or n in wanted}
    if set(read) - set(SUMMABLE) or not {"date", "account_id", "quantity", "revenue",
                                          "cost"} <= set(read):
        raise _Unsure
    types = {n: arrow_schema.field(h).type for n, h in read.items()}
    date = types["date"]
    if not ((pa.types.is_timestamp(date) and date.tz is None) or pa.types.is_date(date)):
        raise _Unsure
    for name in ("account_id", "doc_type"):
        if name in types and not _is_text(types[name]):
            raise _Unsure
    for name in _AMOUNTS:
        if name in types and not (pa.types.is_floating(types[name])
                                  or pa.types.is_integer(types[name])):
            raise _Unsure
    skipped = tuple(n for n in headers if n not in read)
    return read, skipped


def _is_text(arrow_type) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)


def _oldest(reader, column: str) -> pd.Timestamp | None:
    """The oldest date in the file: from the row groups' statistics, else by reading it."""
    import pyarrow.compute as pc

    position = reader.schema_arrow.get_field_index(column)
    lows = []
    meta = reader.metadata
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(position).statistics
        if stats is None or not stats.has_min_max:
            lows = None
            break
        lows.append(pd.Timestamp(stats.min))
    if lows is not None:
        return min(lows) if lows else None
    low = pc.min(reader.read(columns=[column]).column(0)).as_py()
    return None if low is None else pd.Timestamp(low)


class _Summer:
    """Checks batches of lines and adds them to sums by account and year."""

    def __init__(self, ids: pd.Series, as_of: pd.Timestamp, years: int,
                 read: dict[str, str]) -> None:
        import pyarrow as pa

        self.ids = ids.reset_index(drop=True)
        self.known = {t: pa.array(self.ids.to_numpy(dtype=object), type=t)
                      for t in (pa.string(), pa.large_string())}
        self.kinds = {t: pa.array(DOC_TYPES, type=t) for t in (pa.string(), pa.large_string())}
        self.as_of = pd.Timestamp(as_of)
        self.limit = timestamp_ticks(as_of)
        self.years = years
        self.read = read
        self.schema = SCHEMAS["transactions"]
        size = len(self.ids) * years
        self.sums = {name: np.zeros(size) for name in _AMOUNTS if name in read}
        self.count = np.zeros(size, dtype=np.int64)
        self.lines = 0
        self.first: int | None = None
        self.last: int | None = None

    def add(self, batch) -> None:
        if not len(batch):
            return
        columns = {n: batch.column(h) for n, h in self.read.items()}
        dates = self._dates(columns["date"])
        account = self._codes(columns["account_id"], self.known)
        year = year_offsets(dates, self.as_of, self.years)
        if (year < 0).any():  # in the future, or older than the statistics said
            raise _Unsure
        amounts = {n: self._numbers(n, columns[n]) for n in self.sums}
        self._sign_rule(columns.get("doc_type"), amounts)
        key = year * len(self.ids) + account
        for name, values in amounts.items():
            np.add.at(self.sums[name], key, values)  # in line order, as the full load sums
        np.add.at(self.count, key, 1)
        self.lines += len(batch)
        low, high = int(dates.min()), int(dates.max())
        self.first = low if self.first is None else min(self.first, low)
        self.last = high if self.last is None else max(self.last, high)

    def _dates(self, column) -> np.ndarray:
        import pyarrow as pa

        if column.null_count:
            raise _Unsure
        if pa.types.is_date(column.type):
            column = column.cast(pa.date32()).cast(pa.timestamp("ns"))
        elif column.type.unit != "ns":
            column = column.cast(pa.timestamp("ns"))  # raises beyond the years 1677-2262
        ticks = column.to_numpy().view(np.int64)
        if (ticks % (86_400 * 10**9)).any() or ticks.max() > self.limit:
            raise _Unsure  # a time of day (the full load drops it), or a future date
        return ticks

    def _codes(self, column, values) -> np.ndarray:
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        found = pc.index_in(column, value_set=values[column.type])
        if found.null_count:  # blank, untrimmed or unknown: the full check says which
            raise _Unsure
        return found.to_numpy().astype(np.int64)

    def _numbers(self, name: str, column) -> np.ndarray:
        if column.null_count:
            raise _Unsure
        values = column.to_numpy().astype("float64", copy=False)
        if not len(values):
            return values
        # Two reductions answer every question without a temporary array: infinite, NaN
        # (min and max are NaN then, and every comparison false) or beyond MAX_MAGNITUDE
        # (sums overflow), or outside the column's range. The full check names them.
        low, high = values.min(), values.max()
        if not (low >= -MAX_MAGNITUDE and high <= MAX_MAGNITUDE):
            raise _Unsure
        spec = self.schema.column(name)
        if (spec.minimum is not None and low < spec.minimum) or (
                spec.maximum is not None and high > spec.maximum):
            raise _Unsure
        return values

    def _sign_rule(self, doc_type, amounts: dict[str, np.ndarray]) -> None:
        """:data:`kamkit.data.schema.TRANSACTION_SIGN_RULE`, as the full check applies it."""
        q, r, c = amounts["quantity"], amounts["revenue"], amounts["cost"]
        kind = np.zeros(len(q), dtype=np.int64) if doc_type is None else self._codes(
            doc_type, self.kinds)
        invoice, ret, credit = (kind == DOC_TYPES.index(k)
                                for k in ("invoice", "return", "credit_note"))
        if any(bad.any() for bad in sign_rule_breaches(q, r, c, invoice, ret, credit)):
            raise _Unsure

    def result(self) -> SummedSales:
        n = len(self.ids)
        seen = np.flatnonzero(self.count)
        year, account = np.divmod(seen, n)
        # Rows in sales_by_year's order (ids ascending, then the latest year first),
        # sorted as integers: the ids' sorted positions are found once.
        position = np.empty(n, dtype=np.int64)
        position[self.ids.argsort(kind="stable")] = np.arange(n)
        order = np.lexsort((-year, position[account]))
        seen, year, account = seen[order], year[order], account[order]
        data = {"account_id": self.ids.take(account).array, "year": year,
                "label": pd.Series(year).map({k: year_label(self.as_of, k)
                                              for k in range(self.years)}).to_numpy()}
        for name in _AMOUNTS:
            data[name] = self.sums[name][seen] if name in self.sums else np.zeros(len(seen))
        data["lines"] = self.count[seen]
        out = pd.DataFrame(data)
        out["gross_margin"] = out["revenue"] - out["cost"]
        out = out[["account_id", "year", "label", *SALES_COLUMNS]]

        def day(ticks: int | None) -> pd.Timestamp | None:
            return None if ticks is None else pd.Timestamp(ticks)

        return SummedSales(out, self.years, self.lines, day(self.first), day(self.last),
                           tuple(self.read))
