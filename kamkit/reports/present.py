"""Tables for people: translated headers, translated categories, locale number formats.

Stage functions return tables with stable snake_case column names and raw values, so
tests and other code can compute with them. Before a table is shown in a notebook or a
report, :func:`table` turns it into text in the reader's language: each column is
named and formatted as :mod:`kamkit.data.labels` says (its :class:`Field`), each
category value labelled there too. (``Field``, ``register_fields`` and the other names
of :mod:`kamkit.data.labels` can also be imported from here.)

The cells are data, shown as written: a ``$`` in an account name is a dollar sign. A
notebook's HTML (JupyterLab, and the report pages nbconvert makes) runs MathJax over the
page, which would set ``$5 and $6`` as TeX; a :class:`Table` marks its HTML so MathJax
leaves it alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kamkit.artifacts import visible_controls
from kamkit.data.labels import (
    FORMATS,
    Field,
    field,
    label,
    register_fields,
    register_values,
    value_label,
)
from kamkit.text.i18n import (
    _,
    format_date,
    format_money,
    format_number,
    format_percent,
    use_language,
)

__all__ = ["Field", "Table", "NO_TEX", "register_fields", "register_values", "field", "label",
           "value_label", "table", "FORMATS"]

#: HTML classes that tell MathJax 2 and 3 to leave an element's ``$`` alone: for any
#: kamkit HTML that shows data in a notebook (tables, the SMART checker's verdict).
NO_TEX = "tex2jax_ignore mathjax_ignore"

def _format(series: pd.Series, f: Field, currency: str | None) -> pd.Series:
    if f.fmt == "money":
        return series.map(lambda v: format_money(_num(v), currency))
    if f.fmt == "number":
        return series.map(lambda v: format_number(_num(v), f.digits))
    if f.fmt == "int":
        return series.map(lambda v: format_number(_num(v), 0))
    if f.fmt == "percent":
        return series.map(lambda v: format_percent(_num(v), f.digits))
    if f.fmt == "score":
        return series.map(lambda v: format_number(_num(v), 1))
    if f.fmt == "date":
        return series.map(lambda v: format_date(None if pd.isna(v) else pd.Timestamp(v)))
    if f.fmt == "bool":
        return series.map(lambda v: "\u2013" if v is None or v is pd.NA or v != v
                          else (_("yes") if bool(v) else _("no")))
    if f.fmt == "category":
        return series.map(value_label)
    return series.map(lambda v: "\u2013" if v is None or v is pd.NA or (
        isinstance(v, float) and v != v) else str(v))


def _num(v: object) -> float | None:
    if v is None or v is pd.NA:
        return None
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if f != f else f


class Table(pd.DataFrame):
    """A table for reading (what :func:`table` returns): a DataFrame whose HTML is no TeX.

    MathJax (in JupyterLab and in nbconvert's HTML pages) typesets ``$...$`` anywhere on a
    page unless an element has the class ``tex2jax_ignore`` (MathJax 2) or
    ``mathjax_ignore`` (MathJax 3). pandas adds both when ``display.html.use_mathjax``
    is off; a :class:`Table` turns it off for its own HTML only, so the reader's other
    tables are untouched. Anything computed from a Table is a plain DataFrame again.

    Examples
    --------
    >>> t = Table({"Account": ["$5 and $6"]})
    >>> "mathjax_ignore" in t._repr_html_() and "$5 and $6" in t.to_html()
    True
    """

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _repr_html_(self) -> str | None:
        with pd.option_context("display.html.use_mathjax", False):
            return super()._repr_html_()

    def to_html(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201, D102 - as pandas'
        with pd.option_context("display.html.use_mathjax", False):
            return super().to_html(*args, **kwargs)


def table(frame: pd.DataFrame, *, columns: Iterable[str] | None = None,
          currency: str | None = None, language: str | None = None,
          index: bool = False) -> pd.DataFrame:
    """Format a table for reading: text cells, translated headers and categories.

    Parameters
    ----------
    frame : DataFrame
        A table as a kamkit function returned it.
    columns : iterable of str, optional
        Columns to keep, in this order (default: all).
    currency : str, optional
        Currency code appended to money columns.
    language : str, optional
        Defaults to the current language.
    index : bool
        Keep the index as the first column (formatted like a column of the same name).

    Returns
    -------
    Table
        A DataFrame: same rows, every cell a string, headers translated; the index is a
        plain 1..n range so the display carries no internal labels. Its HTML is marked
        so MathJax leaves a ``$`` in the data alone.

    Examples
    --------
    >>> df = pd.DataFrame({"account_id": ["CX-001"], "revenue": [1234567.8]})
    >>> table(df, currency="EUR", language="en")
      Account      Revenue
    1  CX-001  1,234,568 EUR
    """
    with use_language(language):
        data = frame.reset_index() if index else frame
        names = list(columns) if columns is not None else list(data.columns)
        # Built by position, then labelled: two columns may share a label ("goal_id" and
        # "goal" are both "Goal") and a dict keyed by label would silently drop one.
        # Control characters in the data are shown, not obeyed (visible_controls).
        out = Table({i: _format(data[c], field(c), currency).map(
            visible_controls).to_numpy() for i, c in enumerate(names)})
        out.columns = [label(c) for c in names]
        out.index = pd.RangeIndex(1, len(out) + 1)
        return out
