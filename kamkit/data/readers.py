"""Read the raw tables of a portfolio from a CSV folder, an .xlsx workbook or Parquet files.

Readers only read: they keep every value as the file has it (text from CSV, typed cells
from workbooks and Parquet), remember where each row came from, and report what they
cannot read as :class:`~kamkit.data.validation.Problem` objects instead of raising. Typing
and checking happen in :mod:`kamkit.data.validation`.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import errno
import io
import stat
import warnings
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kamkit._fast import codes
from kamkit.data.schema import SCHEMAS, normalise_header
from kamkit.data.validation import Location, Problem
from kamkit.text.i18n import N_

__all__ = ["RawTable", "read_portfolio_files", "detect_format", "files_by_table", "what_is"]

FORMATS = ("csv", "xlsx", "parquet")


@dataclass
class RawTable:
    """One table as read from its file, before typing.

    Attributes
    ----------
    name : str
        Table name (``accounts``, ``transactions`` ...).
    frame : pandas.DataFrame
        Values as read; headers normalised to snake_case; fully empty rows dropped.
    rows : range or numpy.ndarray
        For each row of ``frame``, its row number as the user sees it in the file.
    location : Location
        File, sheet and format, for messages.
    headers : dict
        Normalised header -> header as written in the file.
    decimal_comma : bool
        The file writes decimals with a comma (European Excel CSV).
    skipped : tuple of str
        Columns the file has but the caller chose not to read (a lean load): they are
        neither typed nor checked, and the report says so.
    formulas : dict
        Workbooks only: normalised column -> {row: formula} for the cells of a required
        column that hold a formula whose value was never saved (they read as empty).
    """

    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    location: Location
    headers: dict[str, str] = field(default_factory=dict)
    decimal_comma: bool = False
    skipped: tuple[str, ...] = ()
    formulas: dict[str, dict[int, str]] = field(default_factory=dict)


def what_is(path: Path) -> str | None:
    """What is at ``path`` when it is not a regular file or a folder, else ``None``.

    Looks without opening anything: a named pipe opened for reading would wait for a
    writer forever. The answer is English source text, translated where it is shown.

    Examples
    --------
    >>> import tempfile
    >>> what_is(Path(tempfile.gettempdir())) is None
    True
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return N_("a symbolic link that leads back to itself (a loop), not a file")
        if path.is_symlink():
            return N_("a symbolic link to something that does not exist")
        if isinstance(exc, FileNotFoundError):
            return None
        return N_("something kamkit may not look at (permission denied)")
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return N_("a named pipe (FIFO), not a file: kamkit does not read from pipes")
    if stat.S_ISSOCK(mode):
        return N_("a socket, not a file")
    return N_("a device, not a file")


def _not_a_file(name: str, entry: Path, fmt: str, what: str) -> Problem:
    return Problem("error", "not_a_file", name, Location(entry.name, None, fmt),
                   note=N_("this is {what}; put the table's {format} file here"),
                   params=(("what", what), ("format", {"csv": "CSV", "parquet": "Parquet"}
                                            .get(fmt, fmt))))


def detect_format(path: Path) -> str:
    """Say whether ``path`` is a CSV folder, a workbook or a Parquet folder.

    Raises
    ------
    FileNotFoundError
        When nothing is at ``path``.
    """
    if not path.exists():
        raise FileNotFoundError(path)
    if path.is_file():
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return "xlsx"
        if path.suffix.lower() == ".parquet":
            return "parquet"
        return "unknown"
    # Every entry counts, files or not: a folder named accounts.csv is a CSV portfolio
    # whose accounts are not readable, and the reader says so.
    kinds = {p.suffix.lower() for p in path.iterdir()}
    if ".csv" in kinds:
        return "csv"
    if ".parquet" in kinds:
        return "parquet"
    if ".xlsx" in kinds:
        return "xlsx"
    return "unknown"


def read_portfolio_files(path: str | Path, tables: Collection[str] | None = None,
                         columns: Mapping[str, Collection[str]] | None = None
                         ) -> tuple[list[RawTable], list[Problem], str]:
    """Read every table found at ``path`` (or only some tables and columns).

    Parameters
    ----------
    path : str or Path
        A folder of ``<table>.csv`` files, a folder of ``<table>.parquet`` files, or one
        ``.xlsx`` workbook with one sheet per table.
    tables : collection of str, optional
        Read only these tables (``meta`` is always read). Default: all.
    columns : mapping of table name to column names, optional
        Read only these columns of a table (normalised names); the others are recorded
        in :attr:`RawTable.skipped`. Parquet and CSV files are read column by column,
        so the columns left out cost (almost) nothing.

    Returns
    -------
    tables : list of RawTable
        The tables that could be read, in schema order.
    problems : list of Problem
        What could not be read (encoding, empty file, ambiguous files, ...).
    fmt : str
        ``"csv"``, ``"xlsx"`` or ``"parquet"``.
    """
    path = Path(path)
    what = what_is(path)
    if what is not None:
        return [], [Problem("error", "not_a_file", "", Location(path.name, None, "unknown"),
                            note=N_("this is {what}; give the path of a folder of CSV or "
                                    "Parquet files, or of an .xlsx workbook"),
                            params=(("what", what),))], "unknown"
    try:
        fmt = detect_format(path)
    except OSError as exc:  # a folder kamkit may not list
        return [], [_unreadable("", Location(path.name, None, "unknown"), exc)], "unknown"
    select = _Selection(tables, columns)
    if fmt == "csv":
        read, problems = _read_folder(path, ".csv", _read_csv, select)
    elif fmt == "parquet":
        if path.is_file():
            path = path.parent
        read, problems = _read_folder(path, ".parquet", _read_parquet, select)
    elif fmt == "xlsx":
        if path.is_dir():
            books = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx")
            if len(books) != 1:
                loc = Location(path.name, None, "xlsx")
                return [], [Problem("error", "ambiguous_files", "", loc, expected=N_(
                    "one .xlsx workbook in the folder, or the path of the workbook itself"),
                    found=tuple(b.name for b in books))], fmt
            path = books[0]
        read, problems = _read_workbook(path, select)
    else:
        loc = Location(path.name, None, "unknown")
        return [], [Problem("error", "no_tables", "", loc, expected=N_(
            "a folder of CSV files (accounts.csv, transactions.csv ...), a folder of Parquet "
            "files, or one .xlsx workbook with a sheet per table"))], fmt
    return read, problems, fmt


class _Selection:
    """Which tables and columns a (lean) read wants."""

    def __init__(self, tables: Collection[str] | None,
                 columns: Mapping[str, Collection[str]] | None) -> None:
        self.tables = None if tables is None else {*tables, "meta"}
        self.columns = {k: set(v) for k, v in (columns or {}).items()}

    def table(self, name: str) -> bool:
        return self.tables is None or name in self.tables

    def wanted(self, name: str) -> set[str] | None:
        return self.columns.get(name)


def files_by_table(folder: Path, suffix: str) -> dict[str, list[Path]]:
    """The folder's files ending in ``suffix``, by the table their name gives (sorted)."""
    by_table: dict[str, list[Path]] = {}
    for file in sorted(folder.iterdir()):
        if file.is_file() and file.suffix.lower() == suffix:
            by_table.setdefault(normalise_header(file.stem), []).append(file)
    return by_table


#: What an ``unreadable`` problem expects when the operating system refused the file
#: (permissions, I/O error), rather than its content being unreadable: the command then
#: exits with the code of file errors, not of invalid data.
REFUSED_BY_SYSTEM = N_("a file kamkit may read (check the file's permissions, or copy it to "
                       "a folder of your own)")


def _unreadable(name: str, loc: Location, exc: OSError) -> Problem:
    """A file the operating system refuses to give kamkit (permissions, I/O error)."""
    return Problem("error", "unreadable", name, loc, expected=REFUSED_BY_SYSTEM,
                   found=(exc.strerror or type(exc).__name__,))


def _odd_entries(folder: Path, suffix: str) -> Iterator[tuple[str, Path, str]]:
    """(table, entry, what it is) for entries named like a table's file that are not files."""
    for entry in sorted(folder.iterdir()):
        if entry.suffix.lower() == suffix and normalise_header(entry.stem) in SCHEMAS:
            what = N_("a folder") if entry.is_dir() and not entry.is_symlink() else \
                what_is(entry)
            if what is not None:
                yield normalise_header(entry.stem), entry, what


def _close_table(name: str) -> str | None:
    """The table name a misspelt file or sheet name most likely meant."""
    near = difflib.get_close_matches(name, list(SCHEMAS), n=1, cutoff=0.75)
    return near[0] if near else None


def _read_folder(folder: Path, suffix: str, reader, select: _Selection
                 ) -> tuple[list[RawTable], list[Problem]]:
    tables: list[RawTable] = []
    problems: list[Problem] = []
    for name, entry, what in _odd_entries(folder, suffix):
        if select.table(name):
            problems.append(_not_a_file(name, entry, suffix[1:], what))
    for name, files in files_by_table(folder, suffix).items():
        if name in SCHEMAS and not select.table(name):
            continue
        if name not in SCHEMAS:
            near = _close_table(name)
            problems.append(Problem("warning", "unknown_table", name,
                                    Location(files[0].name, None, suffix[1:]),
                                    note=N_("no table of the data dictionary has this name, "
                                            "so the file is ignored") if near is None else
                                    N_("no table of the data dictionary has this name, so "
                                       "the file is ignored; if it holds the table {table}, "
                                       "rename it to {file}"),
                                    params=(("table", near or ""),
                                            ("file", f"{near}{suffix}")) if near else ()))
            continue
        if len(files) > 1:
            problems.append(Problem("error", "ambiguous_files", name,
                                    Location(files[0].name, None, suffix[1:]),
                                    expected=N_("one file per table"),
                                    found=tuple(f.name for f in files)))
            continue
        table, file_problems = reader(name, files[0], select.wanted(name))
        problems.extend(file_problems)
        if table is not None:
            tables.append(table)
    order = list(SCHEMAS)
    tables.sort(key=lambda t: order.index(t.name))
    return tables, problems


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(name: str, file: Path, wanted: set[str] | None = None
              ) -> tuple[RawTable | None, list[Problem]]:
    loc = Location(file.name, None, "csv")
    try:
        data = file.read_bytes()
    except OSError as exc:
        return None, [_unreadable(name, loc, exc)]
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        return None, [Problem("error", "empty_file", name, loc, expected=N_(
            "a header row naming the columns, then one row per record"))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem("error", "not_utf8", name, loc, rows=(line,), expected=N_(
            "text encoded as UTF-8 (in Excel: Save As > CSV UTF-8)"),
            found=(repr(data[exc.start: exc.start + 4])[1:],))]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            usecols = None if wanted is None else (
                lambda header: not normalise_header(header) or normalise_header(header)
                in wanted or str(header).startswith("Unnamed"))
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str,
                                keep_default_na=False, skip_blank_lines=False,
                                quoting=csv.QUOTE_MINIMAL, index_col=False, engine="c",
                                usecols=usecols)
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        quote = _open_quote(text, delimiter)
        if quote is not None:
            return None, [quote.problem(name, loc)]
        ragged = _ragged_rows(text, delimiter)
        if ragged:
            width, rows = ragged
            return None, [Problem("error", "ragged_row", name, loc,
                                  rows=tuple(r for r, _n in rows), count=len(rows),
                                  expected=N_("{n} fields like the header; a value that "
                                              "contains the separator {sep} must be in "
                                              "double quotes"),
                                  params=(("n", str(width)), ("sep", repr(delimiter))),
                                  found=tuple(f"{n} fields" for _r, n in rows))]
        return None, [Problem("error", "unreadable", name, loc, expected=N_(
            "the same number of fields on every row"), found=(str(exc).strip(),))]
    # Fewer records than lines: some value spans lines. Legitimate in quoted free text,
    # but an unclosed quote also makes one value of many rows (and pandas pads the short
    # record it leaves), so look closer; counting the lines costs one pass in C.
    lines = text.count("\n") + (not text.endswith("\n"))
    if len(frame) < lines - 1:
        quote = _open_quote(text, delimiter)
        if quote is not None:
            return None, [quote.problem(name, loc)]
    return _finish(name, frame, loc, first_row=2, decimal_comma=delimiter == ";",
                   wanted=wanted, all_headers=_csv_headers(first_line, delimiter))


@contextlib.contextmanager
def _no_field_limit(text: str) -> Iterator[None]:
    """Let the csv module read values as long as ``text`` (its default stops at 131,072
    characters, where pandas, which reads the data, has no limit)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, len(text) + 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_headers(first_line: str, delimiter: str) -> list[str]:
    with _no_field_limit(first_line):
        return next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])


@dataclass(frozen=True)
class _OpenQuote:
    """A double quote that was not closed on its row, and how far its value reached."""

    row: int
    end: int
    start_of_value: str

    def problem(self, name: str, loc: Location) -> Problem:
        shown = self.start_of_value.split("\n", 1)[0][:40]
        return Problem("error", "unclosed_quote", name, loc, rows=(self.row,),
                       expected=N_("a closing double quote on the same row: the quote "
                                   "opened on row {row} is not closed, so rows {row} to "
                                   "{end} were read as one value. Close the quote, or "
                                   "write a double quote inside a value as two (\"\")"),
                       params=(("row", str(self.row)), ("end", str(self.end))),
                       found=(shown,))


def _open_quote(text: str, delimiter: str) -> _OpenQuote | None:
    """The first value that swallowed whole rows because its opening quote never closed.

    A value spanning lines is taken for an unclosed quote when its record has another
    number of fields than the header (the rows it swallowed are missing), or when it
    holds as many separators as a whole row (a record that still has the header's width
    lost exactly that many to the value): multi-line free text (an address, a comment)
    rarely does.
    """
    with _no_field_limit(text):
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        header = next(reader, None)
        if not header:
            return None
        width = len(header)
        start = reader.line_num + 1
        for record in reader:
            end = reader.line_num
            if end > start:
                long = [v for v in record if "\n" in v]
                swallowed = len(record) != width or any(
                    value.count(delimiter) >= max(width - 1, 1) for value in long)
                if swallowed and long:
                    first = next(i for i, v in enumerate(record) if "\n" in v)
                    row = start + sum(v.count("\n") for v in record[:first])
                    return _OpenQuote(row, end, long[0])
            start = end + 1
    return None


def _ragged_rows(text: str, delimiter: str) -> tuple[int, list[tuple[int, int]]] | None:
    """Rows whose number of fields differs from the header's: (width, [(row, fields)])."""
    with _no_field_limit(text):
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return None
        rows: list[tuple[int, int]] = []
        for record in reader:
            if record and len(record) != len(header):
                rows.append((reader.line_num, len(record)))
    return (len(header), rows) if rows else None


def _read_parquet(name: str, file: Path, wanted: set[str] | None = None
                  ) -> tuple[RawTable | None, list[Problem]]:
    loc = Location(file.name, None, "parquet")
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pq.read_schema(file)
        headers = list(schema.names)
        read = headers if wanted is None else [
            h for h in headers if normalise_header(h) in wanted]
        # Columns of a few allowed values (doc_type ...) are read as Arrow dictionaries:
        # their codes come with them, so no check has to look at their strings.
        small = [h for h in read if _is_category(name, h) and _is_text(schema.field(h).type)]
        table = pq.read_table(file, columns=read, read_dictionary=small or None)
        encoded = {}
        for h in small:
            column = table.column(h)
            if pa.types.is_dictionary(column.type):
                text, encoded[normalise_header(h)] = _decode_dictionary(column)
                table = table.set_column(table.schema.get_field_index(h), h, text)
        # split_blocks: each column keeps its own memory (no copy into one 2-D block).
        frame = table.to_pandas(split_blocks=True)
    except Exception as exc:  # pyarrow raises many kinds; each means "not readable"
        return None, [Problem("error", "unreadable", name, loc, expected=N_(
            "a readable Parquet file"), found=(f"{type(exc).__name__}: {exc}",))]
    raw, problems = _finish(name, frame, loc, first_row=1, decimal_comma=False,
                            wanted=wanted, all_headers=headers)
    if raw is not None and len(raw.frame) == len(frame):  # no blank rows left out
        for column, value in encoded.items():
            if column in raw.frame.columns:
                codes.remember(raw.frame[column], value)
    return raw, problems


def _is_category(table: str, header: str) -> bool:
    schema = SCHEMAS[table]
    column = normalise_header(header)
    return schema.has_column(column) and schema.column(column).kind == "category"


def _is_text(arrow_type) -> bool:
    import pyarrow as pa

    return pa.types.is_dictionary(arrow_type) or pa.types.is_string(
        arrow_type) or pa.types.is_large_string(arrow_type)


def _decode_dictionary(column):
    """A dictionary-encoded Arrow column as plain text, and its codes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = column.unify_dictionaries()
    values = column.chunk(0).dictionary if column.num_chunks else pa.array([], pa.string())
    parts = [(chunk.indices if not chunk.indices.null_count else pc.fill_null(
        chunk.indices, -1)).to_numpy() for chunk in column.chunks]
    code = np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)
    text = column.cast(column.type.value_type)
    return text, codes.Encoded(code, pd.Index(np.asarray(values.to_pylist(), dtype=object),
                                              dtype="str"))


def _read_workbook(book: Path, select: _Selection | None = None
                   ) -> tuple[list[RawTable], list[Problem]]:
    select = select or _Selection(None, None)
    from openpyxl import load_workbook

    tables: list[RawTable] = []
    problems: list[Problem] = []
    try:
        wb = load_workbook(book, read_only=True, data_only=True)
    except OSError as exc:
        return [], [_unreadable("", Location(book.name, None, "xlsx"), exc)]
    except Exception as exc:  # openpyxl/zipfile errors all mean "not a workbook"
        return [], [Problem("error", "unreadable", "", Location(book.name, None, "xlsx"),
                            expected=N_("an .xlsx workbook saved by Excel or LibreOffice"),
                            found=(f"{type(exc).__name__}: {exc}",))]
    formulas = _Formulas(book)
    try:
        seen: dict[str, str] = {}
        for sheet_name in wb.sheetnames:
            name = normalise_header(sheet_name)
            loc = Location(book.name, sheet_name, "xlsx")
            if name not in SCHEMAS or not select.table(name):
                continue  # instructions and the user's own sheets are left alone
            if name in seen:
                problems.append(Problem("error", "ambiguous_files", name, loc,
                                        expected=N_("one sheet per table"),
                                        found=(seen[name], sheet_name)))
                continue
            seen[name] = sheet_name
            values = list(wb[sheet_name].iter_rows(values_only=True))
            while values and all(v is None or str(v).strip() == "" for v in values[-1]):
                values.pop()
            if not values:
                problems.append(Problem("error", "empty_file", name, loc, expected=N_(
                    "a header row naming the columns, then one row per record")))
                continue
            header, body = values[0], values[1:]
            width = max(i + 1 for i, h in enumerate(header) if h is not None) if any(
                h is not None for h in header) else 0
            frame = pd.DataFrame([list(r[:width]) + [None] * (width - len(r[:width]))
                                  for r in body],
                                 columns=[("" if h is None else str(h)) for h in header[:width]],
                                 dtype=object)
            table, sheet_problems = _finish(name, frame, loc, first_row=2, decimal_comma=False,
                                            wanted=select.wanted(name),
                                            all_headers=list(frame.columns))
            problems.extend(sheet_problems)
            if table is not None:
                table.formulas = formulas.unsaved(sheet_name, table)
                tables.append(table)
        problems.extend(_missing_sheets(book, wb.sheetnames, seen, select))
    finally:
        wb.close()
        formulas.close()
    order = list(SCHEMAS)
    tables.sort(key=lambda t: order.index(t.name))
    return tables, problems


def _missing_sheets(book: Path, sheets: list[str], seen: Mapping[str, str],
                    select: _Selection) -> list[Problem]:
    """A required table without its sheet: name the workbook, list its sheets, guess."""
    problems: list[Problem] = []
    loc = Location(book.name, None, "xlsx")
    listed = ", ".join(f'"{s}"' for s in sheets) or "-"
    for name, schema in SCHEMAS.items():
        if name in seen or not select.table(name):
            continue
        near = [s for s in sheets if normalise_header(s) not in SCHEMAS
                and _close_table(normalise_header(s)) == name]
        if schema.required:
            expected = N_('a sheet named "{table}"; the workbook has the sheets {sheets}')
            params = [("table", name), ("sheets", listed)]
            if near:
                expected = N_('a sheet named "{table}"; the workbook has the sheets '
                              '{sheets}. If the sheet "{sheet}" holds the table, rename it '
                              'to "{table}"')
                params.append(("sheet", near[0]))
            problems.append(Problem("error", "missing_sheet", name, loc,
                                    expected=expected, params=tuple(params)))
        elif near:
            problems.append(Problem("warning", "unknown_table", name,
                                    Location(book.name, near[0], "xlsx"),
                                    note=N_('no table of the data dictionary has this name, '
                                            'so the sheet is ignored; if it holds the table '
                                            '{table}, rename it to "{table}"'),
                                    params=(("table", name),)))
    return problems


class _Formulas:
    """The formulas behind empty cells of a workbook, read only when a check needs them.

    A workbook written by a program (or saved without recalculation) may hold formulas
    whose values were never saved: read for their values, they are empty. Only a table
    with an empty cell in a required column costs a second read of the workbook.
    """

    def __init__(self, book: Path) -> None:
        self.book = book
        self._wb = None

    def unsaved(self, sheet_name: str, table: RawTable) -> dict[str, dict[int, str]]:
        schema = SCHEMAS[table.name]
        columns = [c for c in table.frame.columns if schema.has_column(c)
                   and not schema.column(c).nullable and table.frame[c].isna().any()]
        if not columns:
            return {}
        if self._wb is None:
            from openpyxl import load_workbook

            try:
                self._wb = load_workbook(self.book, read_only=True, data_only=False)
            except Exception:  # noqa: BLE001 - it was readable a moment ago; say "empty"
                return {}
        rows = np.asarray(table.rows)
        wanted = {table.headers[c]: c for c in columns}
        found: dict[str, dict[int, str]] = {}
        positions: dict[int, str] = {}
        for number, cells in enumerate(self._wb[sheet_name].iter_rows(values_only=True),
                                       start=1):
            if number == 1:
                positions = {i: wanted[str(h)] for i, h in enumerate(cells)
                             if h is not None and str(h) in wanted}
                continue
            for i, column in positions.items():
                cell = cells[i] if i < len(cells) else None
                formula = getattr(cell, "text", cell)  # array formulas carry .text
                if isinstance(formula, str) and formula.startswith("="):
                    found.setdefault(column, {})[number] = formula
        # Only the cells that read as empty: a formula with a saved value is fine.
        out: dict[str, dict[int, str]] = {}
        for column, cells in found.items():
            empty = set(rows[table.frame[column].isna().to_numpy()].tolist())
            kept = {r: f for r, f in cells.items() if r in empty}
            if kept:
                out[column] = kept
        return out

    def close(self) -> None:
        if self._wb is not None:
            self._wb.close()


def _blank(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty (None, NaN or white space)."""
    if frame.empty or frame.shape[1] == 0:
        return np.zeros(len(frame), dtype=bool)
    blank = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        s = frame[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            cell = s.isna().to_numpy() | (s.astype(str).str.strip() == "").to_numpy()
        else:
            cell = s.isna().to_numpy()
        blank &= cell
        if not blank.any():
            break
    return blank


def _finish(name: str, frame: pd.DataFrame, loc: Location, first_row: int,
            decimal_comma: bool, wanted: set[str] | None = None,
            all_headers: list[str] | None = None) -> tuple[RawTable | None, list[Problem]]:
    problems: list[Problem] = []
    skipped: tuple[str, ...] = ()
    if wanted is not None:
        # Columns the file has and the caller did not ask for: recorded, not read.
        present = [normalise_header(h) for h in (all_headers or [])]
        skipped = tuple(dict.fromkeys(h for h in present if h and h not in wanted
                                      and not h.startswith("unnamed")))
        drop = [c for c in frame.columns if normalise_header(c) in skipped]
        frame = frame.drop(columns=drop)
    headers: dict[str, str] = {}
    columns: list[str] = []
    for i, original in enumerate(frame.columns):
        original = str(original)
        norm = normalise_header(original)
        if not norm or norm.startswith("unnamed"):
            if frame.iloc[:, i].isna().all() or (frame.iloc[:, i].astype(str).str.strip() == ""
                                                 ).all():
                columns.append(f"__blank_{i}")
                continue
            problems.append(Problem("error", "blank_header", name, loc, expected=N_(
                "a name in every header cell of a column that holds data"),
                found=(f"#{i + 1}",)))
            columns.append(f"__blank_{i}")
            continue
        if norm in headers:
            problems.append(Problem("error", "duplicate_column", name, loc, column=norm,
                                    expected=N_("each column once"),
                                    found=(headers[norm], original)))
            columns.append(f"__dup_{i}")
            continue
        headers[norm] = original
        columns.append(norm)
    # set_axis, not copy + assign: with copy-on-write no data is copied (10 M rows).
    frame = frame.set_axis(columns, axis=1)
    frame = frame[[c for c in columns if not c.startswith("__")]]
    rows: range | np.ndarray = range(first_row, first_row + len(frame))  # no 10 M array
    keep = ~_blank(frame)
    if not keep.all():
        frame = frame.loc[keep]
        rows = np.arange(first_row, first_row + len(keep))[keep]
    frame = frame.reset_index(drop=True)
    return RawTable(name, frame, rows, loc, headers, decimal_comma, skipped), problems
