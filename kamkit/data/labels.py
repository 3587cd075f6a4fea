"""Column labels and category labels: how each column and each category value is named.

Stage functions return tables with stable snake_case column names and raw values, so
tests and other code can compute with them. Each column has one :class:`Field` (its
header, in English marked for translation, and its format) and each category value one
label, the same everywhere: naming a column again with another label is an error. The
data model's columns and vocabularies are named here; a stage names the columns it adds
with :func:`register_fields` and :func:`register_values`, next to the code that makes
them. :func:`kamkit.reports.present.table` turns a table into text in the reader's
language with these names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from kamkit.data.schema import (
    ATTITUDES,
    BUYING_ROLES,
    CONTACT_LEVELS,
    DOC_TYPES,
    LADDER_STEPS,
    RELATIONSHIP_STAGES,
)
from kamkit.text.i18n import N_, _

__all__ = ["FORMATS", "Field", "register_fields", "register_values", "field", "label",
           "value_label"]

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
