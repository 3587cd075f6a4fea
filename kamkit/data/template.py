"""The data model rendered for people: the empty template and the data dictionary.

Both are generated from :mod:`kamkit.data.schema`, so they cannot disagree with what the
validator checks. ``python tasks.py docs`` rewrites ``docs/data-dictionary.md``,
``datasets/template/`` and ``datasets/template.xlsx``; tests fail when a committed copy
is out of date.
"""

from __future__ import annotations

from pathlib import Path

from kamkit.artifacts import atomic_write
from kamkit.data.schema import (
    MAX_MAGNITUDE,
    META_KEYS,
    SCHEMAS,
    TRANSACTION_SIGN_RULE,
    Column,
    TableSchema,
)
from kamkit.exceptions import ParameterError
from kamkit.text.i18n import _

__all__ = ["write_template", "data_dictionary", "column_type"]

_KIND_NAMES = {
    "id": "identifier",
    "text": "text",
    "int": "whole number",
    "number": "number",
    "money": "money",
    "fraction": "fraction 0-1",
    "rating": "rating 1-5",
    "date": "date YYYY-MM-DD",
    "category": "category",
    "bool": "yes/no",
}


def column_type(column: Column) -> str:
    """Short type name of a column, for people."""
    return _KIND_NAMES[column.kind]


def _allowed(column: Column) -> str:
    if column.choices:
        return ", ".join(f"`{c}`" for c in column.choices)
    bounds = []
    if column.minimum is not None:
        bounds.append(f">= {column.minimum:g}")
    if column.maximum is not None:
        bounds.append(f"<= {column.maximum:g}")
    if column.references:
        bounds.append(f"an id in `{column.references}`")
    if column.unique:
        bounds.append("unique")
    if column.past_only:
        bounds.append("not after `as_of`")
    return "; ".join(bounds)


def _presence(column: Column) -> str:
    if column.required and not column.nullable:
        return "required"
    if column.required:
        return "required, may be empty"
    default = "" if column.default is None else f", default `{column.default}`"
    return f"optional{default}"


def _table_md(schema: TableSchema) -> list[str]:
    status = "required" if schema.required else "optional"
    lines = [f"## `{schema.name}` ({status})", "", schema.description, ""]
    if schema.enables and not schema.required:
        lines += [f"Without it the kit cannot show {schema.enables}.", ""]
    lines += ["| column | type | presence | meaning | allowed values | example |",
              "|---|---|---|---|---|---|"]
    for c in schema.columns:
        lines.append(f"| `{c.name}` | {column_type(c)} | {_presence(c)} | {c.description} | "
                     f"{_allowed(c)} | `{c.example}` |")
    lines.append("")
    return lines


def data_dictionary() -> str:
    """The data dictionary as Markdown (English), generated from the schemas."""
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated from kamkit/data/schema.py by `python tasks.py docs`; do not edit. -->",
        "",
        "A portfolio is a folder of CSV files named after the tables below "
        "(`accounts.csv`, ...), a folder of Parquet files with the same names, or one "
        "`.xlsx` workbook with one sheet per table. Only `accounts` and `transactions` "
        "are required; each optional table enables more of the analysis. Start from "
        "`datasets/template/` or `datasets/template.xlsx`.",
        "",
        "Headers are matched forgivingly: case, spaces and hyphens do not matter "
        "(`Account ID` is `account_id`). Columns the dictionary does not know are kept "
        "and reported as a warning.",
        "",
        "Values:",
        "",
        "- **dates**: `2026-03-31`, or day-first `31.03.2026`; slashed dates are refused "
        "because `03/04/2026` means different days in different countries;",
        "- **numbers**: `1234.5`, `1,234.5`, `1 234,5`; in a `;`-separated file (European "
        "Excel) the comma is the decimal sign, so `1.234,5` works there; `(12.5)` means "
        "-12.5; Persian and Arabic-Indic digits are read; every number and amount lies "
        f"between -{MAX_MAGNITUDE:,.0f} and {MAX_MAGNITUDE:,.0f} (10^18, far above any "
        "real amount, so that sums stay computable), and `inf`, `nan` and the like are "
        "refused;",
        "- **fractions**: `0.35` or `35%`;",
        "- **categories**: case and spaces do not matter (`Anti-sponsor` is "
        "`anti_sponsor`);",
        "- **yes/no**: yes/no, true/false, 1/0, x (and tak/nie, да/нет, بله/خیر);",
        "- **files**: UTF-8 (a byte-order mark is fine); in Excel use *Save As > CSV "
        "UTF-8*.",
        "",
        f"**Returns and credit notes.** {TRANSACTION_SIGN_RULE[0].upper()}"
        f"{TRANSACTION_SIGN_RULE[1:]}. A negative line anywhere else is an error, so a "
        "typo cannot silently lower revenue. Without a `doc_type` column every line is "
        "an invoice.",
        "",
        "**Dates in the future.** Dates that record facts (a sale, a contact, a review, "
        "feedback, a finished action) may not lie after the portfolio's `as_of` date; "
        "planned dates (starts, deadlines, due dates) may.",
        "",
        "## `meta`",
        "",
        "Facts about the whole portfolio, one `key,value` row each:",
        "",
        "| key | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{k}` | {v} |" for k, v in META_KEYS.items()]
    lines.append("")
    for name, schema in SCHEMAS.items():
        if name != "meta":
            lines += _table_md(schema)
    return "\n".join(lines).rstrip() + "\n"


def _instructions() -> list[list[str]]:
    rows = [
        [_("kamkit portfolio template")],
        [_("Paste your CRM export into the sheets named after the tables. Keep the header "
           "row; the columns may come in any order. Only accounts and transactions are "
           "required.")],
        [_("Check the workbook with: kamkit validate this-file.xlsx")],
        [],
        [_("table"), _("column"), _("type"), _("presence"), _("meaning"), _("example")],
    ]
    for name, schema in SCHEMAS.items():
        for c in schema.columns:
            rows.append([name, c.name, column_type(c), _presence(c), _(c.description),
                         c.example])
    return rows


def write_template(out: Path, format: str = "csv", *, overwrite: bool = False  # noqa: A002
                   ) -> Path:
    """Write the empty portfolio template.

    Parameters
    ----------
    out : Path
        A folder for ``csv`` (one header-only file per table, plus ``meta.csv`` with the
        keys to fill), or the workbook path for ``xlsx`` (an *instructions* sheet, then
        one sheet per table).
    format : {"csv", "xlsx"}
    overwrite : bool
        Replace existing files; without it an existing file stops the write.

    Returns
    -------
    Path
    """
    out = Path(out)
    if format not in ("csv", "xlsx"):
        raise ParameterError("format", _("choose csv or xlsx"))
    targets = [out / f"{n}.csv" for n in SCHEMAS] if format == "csv" else [out]
    existing = [t for t in targets if t.exists()]
    if existing and not overwrite:
        raise ParameterError("out", _("{path} already exists; pass --force to replace "
                                      "it").format(path=existing[0]))
    meta_rows = [["portfolio", "My portfolio"], ["company", ""], ["currency", "EUR"],
                 ["as_of", ""], ["key_account_managers", ""]]
    if format == "csv":
        for name, schema in SCHEMAS.items():
            body = ",".join(schema.names) + "\n"
            if name == "meta":
                body += "".join(f"{k},{v}\n" for k, v in meta_rows)
            atomic_write(out / f"{name}.csv", lambda tmp, body=body: tmp.write_text(
                body, encoding="utf-8"))
        return out

    from openpyxl import Workbook
    from openpyxl.styles import Font

    def write_book(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = "instructions"
        for row in _instructions():
            ws.append(row)
        ws["A1"].font = Font(bold=True, size=14)
        for cell in ws[5]:
            cell.font = Font(bold=True)
        for name, schema in SCHEMAS.items():
            sheet = wb.create_sheet(name)
            sheet.append(schema.names)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            if name == "meta":
                for row in meta_rows:
                    sheet.append(row)
        wb.save(tmp)

    atomic_write(out, write_book)
    return out
