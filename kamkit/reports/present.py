"""Tables for people: translated headers, translated categories, locale number formats.

Stage functions return tables with stable snake_case column names and raw values, so
tests and other code can compute with them. Before a table is shown in a notebook or a
report, :func:`table` turns it into text in the reader's language: each column is
looked up in the field registry (label and format), each category value in the value
registry. Modules register what they add with :func:`register_fields` and
:func:`register_values`, next to the code that produces the columns.

The cells are data, shown as written: a ``$`` in an account name is a dollar sign. A
notebook's HTML (JupyterLab, and the report pages nbconvert makes) runs MathJax over the
page, which would set ``$5 and $6`` as TeX; a :class:`Table` marks its HTML so MathJax
leaves it alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kamkit.artifacts import visible_controls
from kamkit.data.schema import (
    ATTITUDES,
    BUYING_ROLES,
    CONTACT_LEVELS,
    DOC_TYPES,
    LADDER_STEPS,
    RELATIONSHIP_STAGES,
)
from kamkit.text.i18n import (
    N_,
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

FORMATS = ("text", "category", "money", "number", "int", "percent", "score", "date", "bool")


@dataclass(frozen=True)
class Field:
    """How one column is shown.

    Parameters
    ----------
    label : str
        Header text (English source, marked with ``N_``).
    fmt : str
        One of :data:`FORMATS`: ``money`` (currency, no decimals), ``number``
        (``digits`` decimals), ``int``, ``percent`` (a 0..1 fraction), ``score``
        (0..100, one decimal), ``date``, ``bool``, ``category`` (value translated),
        ``text`` (shown as it is).
    digits : int
        Decimals for ``number`` and ``percent``.
    """

    label: str
    fmt: str = "text"
    digits: int = 1


_FIELDS: dict[str, Field] = {}
_VALUES: dict[str, str] = {}


def register_fields(fields: Mapping[str, Field]) -> None:
    """Add column descriptions.

    A column name means one thing everywhere: registering a name again with a different
    label or format is an error (it would make a table's headers depend on which module
    happened to be imported last). Re-registering the same field is harmless.
    """
    for name, f in fields.items():
        if f.fmt not in FORMATS:
            raise ValueError(f"{name}: unknown format {f.fmt!r}")
        known = _FIELDS.get(name)
        if known is not None and known != f:
            raise ValueError(f"column {name!r} is already shown as {known}; give the new "
                             f"column another name than {name!r} ({f})")
        _FIELDS[name] = f


def register_values(values: Mapping[str, str]) -> None:
    """Add display labels for category values (``anti_sponsor`` -> ``Anti-sponsor``).

    As with fields, a value keeps one label everywhere; a different one is an error.
    """
    for value, text in values.items():
        known = _VALUES.get(value)
        if known is not None and known != text:
            raise ValueError(f"category value {value!r} is already shown as {known!r}, not "
                             f"{text!r}; use another value name")
        _VALUES[value] = text


def field(name: str) -> Field:
    """The registered field of a column, or a plain text field named after it."""
    return _FIELDS.get(name) or Field(name.replace("_", " ").capitalize(), "text")


def label(name: str) -> str:
    """The translated header of column ``name``."""
    f = _FIELDS.get(name)
    return _(f.label) if f else name.replace("_", " ").capitalize()


def value_label(value: object) -> str:
    """The translated label of a category value; unknown values are shown as they are."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "\u2013"
    text = str(value)
    known = _VALUES.get(text)
    return _(known) if known else text


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


register_values({
    "commodity_broker": N_("Commodity broker"),
    "product_supplier": N_("Product/service supplier"),
    "value_enhancer": N_("Value enhancer / strategic partner"),
    "executive": N_("Executive"),
    "senior": N_("Senior management"),
    "middle": N_("Middle management"),
    "operational": N_("Operational"),
    "economic_buyer": N_("Economic buyer"),
    "technical_buyer": N_("Technical buyer"),
    "user_buyer": N_("User buyer"),
    "coach": N_("Coach"),
    "influencer": N_("Influencer"),
    "gatekeeper": N_("Gatekeeper"),
    "sponsor": N_("Sponsor"),
    "supporter": N_("Supporter"),
    "neutral": N_("Neutral"),
    "skeptic": N_("Skeptic"),
    "anti_sponsor": N_("Anti-sponsor"),
    "exploratory": N_("Exploratory"),
    "basic": N_("Basic"),
    "cooperative": N_("Cooperative"),
    "interdependent": N_("Interdependent"),
    "integrated": N_("Integrated"),
    "invoice": N_("Invoice"),
    "return": N_("Return"),
    "credit_note": N_("Credit note"),
    "stated": N_("Stated"),
    "hidden": N_("Hidden"),
    "pain_point": N_("Pain point"),
    "high": N_("High"),
    "medium": N_("Medium"),
    "low": N_("Low"),
    "strength": N_("Strength"),
    "weakness": N_("Weakness"),
    "opportunity": N_("Opportunity"),
    "threat": N_("Threat"),
    "cross_sell": N_("Cross-sell"),
    "up_sell": N_("Up-sell"),
    "new_business": N_("New business"),
    "penetrate": N_("Penetrate"),
    "expand": N_("Expand"),
    "protect": N_("Protect"),
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "blocked": N_("Blocked"),
    "cancelled": N_("Cancelled"),
    "interview": N_("Interview"),
    "data": N_("Data analysis"),
    "swot": N_("SWOT"),
    "market_trend": N_("Market trend"),
    "feedback": N_("Feedback"),
    "other": N_("Other"),
})
# Every category of the data model has a label (checked at import: a new category
# without one would show raw snake_case to readers).
assert set(CONTACT_LEVELS + BUYING_ROLES + ATTITUDES + LADDER_STEPS + RELATIONSHIP_STAGES
           + DOC_TYPES) <= set(_VALUES)

# Columns of the data model, so raw portfolio tables display well too.
register_fields({
    "account_id": Field(N_("Account"), "text"),
    "name": Field(N_("Name"), "text"),
    "industry": Field(N_("Industry"), "text"),
    "segment": Field(N_("Segment"), "text"),
    "country": Field(N_("Country"), "text"),
    "owner": Field(N_("Owner"), "text"),
    "first_year": Field(N_("Customer since"), "text"),
    "strategic_role": Field(N_("Strategic role"), "number", 0),
    "collaboration": Field(N_("Collaboration"), "number", 0),
    "growth_potential": Field(N_("Growth potential"), "number", 0),
    "relationship_stage": Field(N_("Relationship stage"), "category"),
    "ladder_step": Field(N_("Perception ladder"), "category"),
    "last_review": Field(N_("Last review"), "date"),
    "date": Field(N_("Date"), "date"),
    "product": Field(N_("Product"), "text"),
    "product_line": Field(N_("Product line"), "text"),
    "doc_type": Field(N_("Document type"), "category"),
    "quantity": Field(N_("Quantity"), "number", 0),
    "revenue": Field(N_("Revenue"), "money"),
    "cost": Field(N_("Cost"), "money"),
    "discount": Field(N_("Discount"), "money"),
    "gross_margin": Field(N_("Gross margin"), "money"),
    "margin_rate": Field(N_("Margin %"), "percent"),
    "lines": Field(N_("Lines"), "int"),
    "year": Field(N_("Year"), "text"),
    "label": Field(N_("Year"), "text"),
    "title": Field(N_("Title"), "text"),
    "department": Field(N_("Department"), "text"),
    "level": Field(N_("Level"), "category"),
    "buying_role": Field(N_("Buying role"), "category"),
    "influence": Field(N_("Influence"), "number", 0),
    "attitude": Field(N_("Attitude"), "category"),
    "relationship_strength": Field(N_("Relationship"), "number", 0),
    "our_owner": Field(N_("Our contact owner"), "text"),
    "last_contact": Field(N_("Last contact"), "date"),
    "competitor": Field(N_("Competitor"), "text"),
    "share_of_wallet": Field(N_("Share of wallet"), "percent"),
    "strengths": Field(N_("Strengths"), "text"),
    "weaknesses": Field(N_("Weaknesses"), "text"),
    "threat": Field(N_("Threat"), "category"),
    "spend": Field(N_("Customer spend"), "money"),
    "need": Field(N_("Need"), "text"),
    "kind": Field(N_("Kind"), "category"),
    "priority": Field(N_("Priority"), "category"),
    "source": Field(N_("Source"), "category"),
    "quadrant": Field(N_("Quadrant"), "category"),
    "item": Field(N_("Item"), "text"),
    "opportunity": Field(N_("Opportunity"), "text"),
    "value_1y": Field(N_("Value next year"), "money"),
    "value_3y": Field(N_("Value in year 3"), "money"),
    "value_5y": Field(N_("Value in year 5"), "money"),
    "probability": Field(N_("Probability"), "percent", 0),
    "goal_id": Field(N_("Goal ID"), "text"),
    "goal": Field(N_("Goal"), "text"),
    "metric": Field(N_("Metric"), "category"),
    "scope": Field(N_("Scope"), "text"),
    "baseline": Field(N_("Baseline"), "number", 0),
    "target": Field(N_("Target"), "number", 0),
    "start": Field(N_("Start"), "date"),
    "deadline": Field(N_("Deadline"), "date"),
    "linked_to": Field(N_("Linked to"), "text"),
    "move": Field(N_("Move"), "category"),
    "actual": Field(N_("Actual"), "number", 0),
    "action_id": Field(N_("Action ID"), "text"),
    "action": Field(N_("Action"), "text"),
    "strategy": Field(N_("Strategy"), "text"),
    "due": Field(N_("Due"), "date"),
    "status": Field(N_("Status"), "category"),
    "budget": Field(N_("Budget"), "money"),
    "done_date": Field(N_("Done on"), "date"),
    "milestone": Field(N_("Milestone"), "bool"),
    "satisfaction": Field(N_("Satisfaction"), "number", 1),
    "nps": Field(N_("NPS answer"), "int"),
    "referrals": Field(N_("Referrals"), "int"),
    "comment": Field(N_("Comment"), "text"),
    "respondent": Field(N_("Respondent"), "text"),
})
