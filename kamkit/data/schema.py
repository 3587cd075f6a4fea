"""The portfolio data model: one declarative schema per table.

A portfolio is a set of tables, each with one meaning. This module says which tables
and columns exist, their types, allowed values and links; :mod:`kamkit.data.validation`
checks data against it, ``docs/data-dictionary.md`` and the templates in
``datasets/template`` are generated from it (``python tasks.py docs``), and tests keep
all three in step. Column names are the headers a file must carry; matching is
forgiving about case, spaces and hyphens (``Account ID`` is ``account_id``).

Conventions
-----------
* Dates are ISO (``2026-03-31``). Money is in the one currency named in ``meta``.
* Fractions are 0..1 (``0.35``); ``35%`` written as text is accepted too.
* Ratings are 1 (low) .. 5 (high), as the organisation rates them.
* ``meta`` holds ``as_of``, the portfolio's "today": every "last 12 months", "overdue"
  or "stale" is measured from it, so the same data gives the same answers on any day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kamkit.text.i18n import N_

__all__ = [
    "Column",
    "TableSchema",
    "SCHEMAS",
    "TABLES",
    "REQUIRED_TABLES",
    "META_KEYS",
    "RELATIONSHIP_STAGES",
    "LADDER_STEPS",
    "CONTACT_LEVELS",
    "BUYING_ROLES",
    "ATTITUDES",
    "DOC_TYPES",
    "MAX_MAGNITUDE",
    "normalise_header",
]

Kind = Literal["id", "text", "int", "number", "money", "fraction", "rating", "date",
               "category", "bool"]

#: McDonald & Rogers' stages of a key account relationship, earliest first.
RELATIONSHIP_STAGES = ("exploratory", "basic", "cooperative", "interdependent", "integrated")
#: The customer perception ladder (Jones), lowest step first.
LADDER_STEPS = ("commodity_broker", "product_supplier", "value_enhancer")
#: Levels of the customer's hierarchy, highest first.
CONTACT_LEVELS = ("executive", "senior", "middle", "operational")
#: Buying roles in the decision-making unit.
BUYING_ROLES = ("economic_buyer", "technical_buyer", "user_buyer", "coach", "influencer",
                "gatekeeper")
#: Attitude towards us, most favourable first.
ATTITUDES = ("sponsor", "supporter", "neutral", "skeptic", "anti_sponsor")
#: Kinds of transaction document; see :data:`TRANSACTION_SIGN_RULE`.
DOC_TYPES = ("invoice", "return", "credit_note")

#: The largest size, either way, of any number or amount in a table (10**18, a million
#: million million). Far above any real amount, even in a currency of small units such
#: as the rial, and small enough that sums over billions of lines stay finite and whole
#: numbers fit a 64-bit integer; ``inf``, ``nan`` and ``1e309`` are no numbers at all.
MAX_MAGNITUDE = 1e18

TRANSACTION_SIGN_RULE = N_(
    "invoice lines sell goods: quantity above 0, revenue and cost 0 or more; return lines "
    "take goods back: quantity below 0, revenue and cost 0 or less; credit_note lines "
    "correct a price without moving goods: quantity 0, revenue below 0, cost 0"
)


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        The header, in snake_case.
    kind : str
        ``id``, ``text``, ``int``, ``number``, ``money``, ``fraction``, ``rating``,
        ``date``, ``category`` or ``bool``.
    description : str
        What the column means (English source text, translatable).
    example : str
        A value as a user would type it.
    required : bool
        The column must be present in the file.
    nullable : bool
        Cells may be empty.
    choices : tuple of str, optional
        Allowed values of a ``category`` column.
    minimum, maximum : float, optional
        Inclusive bounds of a numeric column.
    unique : bool
        No two rows may share a value.
    references : str, optional
        ``"table.column"`` that every non-empty value must exist in.
    past_only : bool
        A date column that records a fact, so it cannot lie after ``as_of``.
    default : object, optional
        Value of an optional column that the file does not have.
    """

    name: str
    kind: Kind
    description: str
    example: str
    required: bool = True
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    references: str | None = None
    past_only: bool = False
    default: object = None


@dataclass(frozen=True)
class TableSchema:
    """One table of the portfolio.

    Parameters
    ----------
    name : str
        Table name; also the CSV/Parquet file stem and the workbook sheet name.
    description : str
        What one row is.
    columns : tuple of Column
    required : bool
        A portfolio without this table is invalid.
    enables : str
        What the kit can show with this table, said when the table is missing.
    key : tuple of str
        Columns that together identify a row (checked for duplicates).
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    required: bool = False
    enables: str = ""
    key: tuple[str, ...] = ()
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        return self._by_name[name]

    def has_column(self, name: str) -> bool:
        """Whether the schema defines a column called ``name``."""
        return name in self._by_name

    @property
    def names(self) -> list[str]:
        """Column names in schema order."""
        return [c.name for c in self.columns]


def _account_ref(description: str = N_("The account this row belongs to.")) -> Column:
    return Column("account_id", "id", description, "CX-0007", references="accounts.account_id")


ACCOUNTS = TableSchema(
    "accounts",
    N_("One row per customer account."),
    (
        Column("account_id", "id", N_("Unique id of the account, as in the CRM."), "CX-0007",
               unique=True),
        Column("name", "text", N_("Customer name, in any script."), "Nordwerk Automation GmbH"),
        Column("industry", "text", N_("Industry the customer is in."), "medical devices",
               required=False, nullable=True),
        Column("segment", "text", N_("Segment the organisation places the customer in; peers "
                                     "for whitespace analysis share it."), "OEM",
               required=False, nullable=True),
        Column("country", "text", N_("Country, as an ISO 3166 code or a name."), "DE",
               required=False, nullable=True),
        Column("owner", "text", N_("Account manager responsible for the account."),
               "Anna Nowak", required=False, nullable=True),
        Column("first_year", "int", N_("Year the relationship began."), "2015",
               required=False, nullable=True, minimum=1900, maximum=2100),
        Column("strategic_role", "rating", N_("Strategic role in its market: a leader or "
                                              "reference customer rates high even with "
                                              "modest volume (1-5)."), "4",
               required=False, nullable=True, minimum=1, maximum=5),
        Column("collaboration", "rating", N_("Willingness to collaborate long term and take "
                                             "advice (1-5)."), "3",
               required=False, nullable=True, minimum=1, maximum=5),
        Column("growth_potential", "rating", N_("Growth potential as the account team rates "
                                                "it (1-5)."), "5",
               required=False, nullable=True, minimum=1, maximum=5),
        Column("relationship_stage", "category", N_("Stage of the relationship, earliest "
                                                    "first."), "cooperative",
               required=False, nullable=True, choices=RELATIONSHIP_STAGES),
        Column("ladder_step", "category", N_("Where the customer places us on the perception "
                                             "ladder."), "product_supplier",
               required=False, nullable=True, choices=LADDER_STEPS),
        Column("last_review", "date", N_("Date the account dossier was last reviewed."),
               "2026-04-15", required=False, nullable=True, past_only=True),
        Column("employees", "int", N_("Headcount of the customer."), "1200", required=False,
               nullable=True, minimum=0),
        Column("annual_revenue", "money", N_("The customer's own annual revenue."),
               "250000000", required=False, nullable=True, minimum=0),
        Column("description", "text", N_("Short description: business, history, mission, "
                                         "positioning."), "Maker of MRI scanners",
               required=False, nullable=True),
        Column("decision_process", "text", N_("How the customer makes buying decisions."),
               "Framework tenders every 3 years", required=False, nullable=True),
        Column("previous_suppliers", "text", N_("Suppliers the customer worked with before "
                                                "us."), "Vendor A; Vendor B", required=False,
               nullable=True),
        Column("accepts_key_status", "bool", N_("Whether the customer accepts being treated "
                                                "as a key account."), "yes", required=False,
               nullable=True),
    ),
    required=True,
    key=("account_id",),
)

TRANSACTIONS = TableSchema(
    "transactions",
    N_("One row per invoice, return or credit-note line."),
    (
        Column("date", "date", N_("Date of the document."), "2026-03-31", past_only=True),
        _account_ref(),
        Column("document", "text", N_("Document number (invoice, return, credit note)."),
               "INV-2026-00012", required=False, nullable=True),
        Column("doc_type", "category", N_("Kind of document: invoice, return or credit_note. "
                                          "Negative lines are only valid on returns and "
                                          "credit notes."), "invoice", required=False,
               choices=DOC_TYPES, default="invoice"),
        Column("product", "text", N_("Product or SKU."), "PSU-600W"),
        Column("product_line", "text", N_("Product line the product belongs to."),
               "power supplies"),
        Column("quantity", "number", N_("Units; below 0 on a return, 0 on a credit note."),
               "40"),
        Column("revenue", "money", N_("Net revenue of the line, after discounts."), "5200.00"),
        Column("cost", "money", N_("Cost of the goods on the line."), "3600.00"),
        Column("discount", "money", N_("Discount given off list price on the line (0 or "
                                       "more)."), "260.00", required=False, minimum=0,
               default=0.0),
    ),
    required=True,
    enables=N_("revenue, margin, growth and every analysis built on sales"),
)

CONTACTS = TableSchema(
    "contacts",
    N_("One row per person at a customer: the decision-making unit."),
    (
        Column("contact_id", "id", N_("Unique id of the contact."), "P-0101", required=False,
               unique=True),
        _account_ref(),
        Column("name", "text", N_("Person's name."), "Reza Ahmadi"),
        Column("title", "text", N_("Job title."), "Head of Procurement", nullable=True),
        Column("department", "text", N_("Department at the customer."), "procurement",
               nullable=True),
        Column("level", "category", N_("Level in the customer's hierarchy."), "senior",
               choices=CONTACT_LEVELS),
        Column("buying_role", "category", N_("Role in the buying decision."), "economic_buyer",
               nullable=True, choices=BUYING_ROLES),
        Column("influence", "rating", N_("Influence on the decision (1-5)."), "4", minimum=1,
               maximum=5),
        Column("attitude", "category", N_("Attitude towards us, from sponsor to "
                                          "anti_sponsor."), "neutral", choices=ATTITUDES),
        Column("relationship_strength", "rating", N_("Strength of our relationship with the "
                                                     "person (1-5)."), "3", minimum=1,
               maximum=5),
        Column("our_owner", "text", N_("Who at our company owns the relationship."),
               "Anna Nowak", nullable=True),
        Column("last_contact", "date", N_("Date of the last meaningful contact."),
               "2026-05-20", nullable=True, past_only=True),
    ),
    enables=N_("the decision-making unit, the stakeholder map and the relationship risk flags"),
)

COMPETITORS = TableSchema(
    "competitors",
    N_("One row per competitor at an account (per year, when the year is given)."),
    (
        _account_ref(),
        Column("competitor", "text", N_("Competitor's name."), "Vendor A"),
        Column("year", "int", N_("Year the estimate is for: the twelve months ending on the "
                                 "as-of day of that year (the calendar year when as_of is 31 "
                                 "December); empty means the latest."), "2026",
               required=False, nullable=True, minimum=1900, maximum=2100),
        Column("share_of_wallet", "fraction", N_("Competitor's share of the customer's spend "
                                                 "in our categories (0-1)."), "0.30",
               minimum=0, maximum=1),
        Column("strengths", "text", N_("What the competitor does better."), "price",
               nullable=True),
        Column("weaknesses", "text", N_("Where the competitor is weaker."), "lead times",
               nullable=True),
        Column("threat", "category", N_("How much the competitor threatens our position."),
               "high", choices=("low", "medium", "high")),
    ),
    key=("account_id", "competitor", "year"),
    enables=N_("share of wallet by competitor and the competitor flags"),
)

WALLET = TableSchema(
    "wallet",
    N_("One row per account and year: the customer's total spend in our categories."),
    (
        _account_ref(),
        Column("year", "int", N_("The twelve months ending on the as-of day of this year (the "
                                 "calendar year when as_of is 31 December)."), "2026",
               minimum=1900, maximum=2100),
        Column("spend", "money", N_("The customer's total spend on what we could sell it, "
                                    "from all suppliers."), "4800000", minimum=0),
    ),
    key=("account_id", "year"),
    enables=N_("our share of wallet and the headroom it leaves"),
)

NEEDS = TableSchema(
    "needs",
    N_("One row per need, expectation or pain point found at an account."),
    (
        Column("need_id", "id", N_("Unique id of the need."), "N-014", required=False,
               unique=True),
        _account_ref(),
        Column("need", "text", N_("The need, in the customer's words where possible."),
               "Spare parts delivered within 48 hours"),
        Column("kind", "category", N_("stated, hidden or pain_point."), "pain_point",
               choices=("stated", "hidden", "pain_point")),
        Column("priority", "category", N_("Priority for the customer."), "high",
               choices=("high", "medium", "low")),
        Column("source", "category", N_("How we learned it."), "interview",
               choices=("interview", "data", "swot", "market_trend", "feedback", "other")),
        Column("date", "date", N_("When it was recorded."), "2026-02-10", nullable=True,
               past_only=True),
    ),
    enables=N_("needs and pain points in the dossier, and the relevance check of goals"),
)

SWOT = TableSchema(
    "swot",
    N_("One row per item of the customer's SWOT analysis."),
    (
        _account_ref(),
        Column("quadrant", "category", N_("strength, weakness, opportunity or threat."),
               "threat", choices=("strength", "weakness", "opportunity", "threat")),
        Column("item", "text", N_("The item."), "New EU tender rules"),
    ),
    enables=N_("the customer SWOT"),
)

OPPORTUNITIES = TableSchema(
    "opportunities",
    N_("One row per sales opportunity at an account."),
    (
        Column("opportunity_id", "id", N_("Unique id of the opportunity."), "O-031",
               required=False, unique=True),
        _account_ref(),
        Column("opportunity", "text", N_("What could be sold."), "Service contract for line 3"),
        Column("product_line", "text", N_("Product line it concerns."), "service",
               nullable=True),
        Column("kind", "category", N_("cross_sell, up_sell or new_business."), "cross_sell",
               choices=("cross_sell", "up_sell", "new_business")),
        Column("value_1y", "money", N_("Annual revenue it would bring next year."), "120000",
               minimum=0),
        Column("value_3y", "money", N_("Annual revenue it would bring in year three."),
               "300000", minimum=0),
        Column("value_5y", "money", N_("Annual revenue it would bring in year five."),
               "400000", minimum=0),
        Column("probability", "fraction", N_("Probability of winning it (0-1)."), "0.4",
               minimum=0, maximum=1),
    ),
    enables=N_("the size of opportunity and the potential criterion"),
)

GOALS = TableSchema(
    "goals",
    N_("One row per goal of a key account plan."),
    (
        Column("goal_id", "id", N_("Unique id of the goal."), "G-0007-1", unique=True),
        _account_ref(),
        Column("goal", "text", N_("The goal as written in the plan."),
               "+15% revenue from drives by 2026-12-31"),
        Column("metric", "category", N_("What measures it."), "revenue", nullable=True,
               choices=("revenue", "volume", "margin", "share_of_wallet", "satisfaction",
                        "nps", "other")),
        Column("scope", "text", N_("Product, product line or site the goal is about."),
               "drives", nullable=True),
        Column("baseline", "number", N_("Value of the metric when the goal was set."),
               "800000", nullable=True),
        Column("target", "number", N_("Value to reach."), "920000", nullable=True),
        Column("start", "date", N_("Date the goal was set; the baseline is measured up to "
                                   "it."), "2026-01-01", required=False, nullable=True),
        Column("deadline", "date", N_("Date by which the target is due."), "2026-12-31",
               nullable=True),
        Column("linked_to", "text", N_("need_id or opportunity_id the goal answers."), "N-014",
               nullable=True),
        Column("owner", "text", N_("Person responsible for the goal."), "Anna Nowak",
               nullable=True),
        Column("move", "category", N_("penetrate, expand or protect; empty lets kamkit "
                                      "classify it."), "expand", required=False, nullable=True,
               choices=("penetrate", "expand", "protect")),
        Column("actual", "number", N_("Latest recorded value, for metrics kamkit cannot "
                                      "compute from transactions."), "4.1", required=False,
               nullable=True),
    ),
    enables=N_("the key account plan, the SMART check and plan attainment"),
)

ACTIONS = TableSchema(
    "actions",
    N_("One row per action of a key account plan."),
    (
        Column("action_id", "id", N_("Unique id of the action."), "A-0007-03", unique=True),
        _account_ref(),
        Column("goal_id", "id", N_("The goal the action serves."), "G-0007-1",
               references="goals.goal_id"),
        Column("action", "text", N_("What will be done."), "Open a spare-parts buffer stock"),
        Column("strategy", "text", N_("The strategy the action belongs to."),
               "Make spare parts reliable", nullable=True),
        Column("department", "text", N_("Our department that carries it out."), "logistics"),
        Column("owner", "text", N_("Person responsible."), "Jan Kowalski", nullable=True),
        Column("start", "date", N_("Planned start."), "2026-07-01"),
        Column("due", "date", N_("Planned finish."), "2026-09-30"),
        Column("status", "category", N_("planned, in_progress, done, blocked or cancelled."),
               "in_progress",
               choices=("planned", "in_progress", "done", "blocked", "cancelled")),
        Column("budget", "money", N_("Budget the action needs."), "25000", nullable=True,
               minimum=0),
        Column("done_date", "date", N_("Date it was finished."), "2026-09-12", required=False,
               nullable=True, past_only=True),
        Column("milestone", "bool", N_("Whether finishing it is a milestone of the plan."),
               "no", required=False, default=False),
    ),
    enables=N_("the action plan, the responsibility matrix and the Gantt chart"),
)

FEEDBACK = TableSchema(
    "feedback",
    N_("One row per piece of customer feedback (survey answer, review)."),
    (
        _account_ref(),
        Column("date", "date", N_("Date of the answer."), "2026-03-15", past_only=True),
        Column("respondent", "text", N_("Who answered (name or role)."), "Head of Operations",
               required=False, nullable=True),
        Column("satisfaction", "number", N_("Satisfaction from 1 (very unhappy) to 5 (very "
                                            "happy)."), "4", nullable=True, minimum=1,
               maximum=5),
        Column("nps", "int", N_("Answer to 'how likely are you to recommend us?' (0-10)."),
               "9", nullable=True, minimum=0, maximum=10),
        Column("referrals", "int", N_("Referrals the customer gave us since the last "
                                      "answer."), "1", nullable=True, minimum=0),
        Column("comment", "text", N_("Free text."), "Spare parts late again", required=False,
               nullable=True),
    ),
    enables=N_("satisfaction, NPS and referral measures"),
)

META = TableSchema(
    "meta",
    N_("Facts about the portfolio as a whole, one key and value per row."),
    (
        Column("key", "text", N_("One of the keys listed in the data dictionary."), "currency",
               unique=True),
        Column("value", "text", N_("Its value."), "EUR", nullable=True),
    ),
    enables=N_("the portfolio's name, currency and as-of date"),
)

#: Keys that ``meta`` may hold, with their meaning.
META_KEYS: dict[str, str] = {
    "portfolio": N_("Name of the portfolio, shown in reports."),
    "company": N_("Our company's name."),
    "currency": N_("ISO 4217 code of the one currency all money is in."),
    "as_of": N_("The portfolio's 'today' (YYYY-MM-DD); defaults to the last transaction date."),
    "key_account_managers": N_("Number of key account managers, for the cap on key accounts."),
}

SCHEMAS: dict[str, TableSchema] = {
    s.name: s
    for s in (ACCOUNTS, TRANSACTIONS, CONTACTS, COMPETITORS, WALLET, NEEDS, SWOT,
              OPPORTUNITIES, GOALS, ACTIONS, FEEDBACK, META)
}
#: Table names in the order they are documented and loaded.
TABLES: tuple[str, ...] = tuple(SCHEMAS)
REQUIRED_TABLES: tuple[str, ...] = tuple(n for n, s in SCHEMAS.items() if s.required)


def normalise_header(header: object) -> str:
    """Turn a header as users write it into the schema's snake_case name.

    Examples
    --------
    >>> normalise_header("\\ufeffAccount ID ")
    'account_id'
    >>> normalise_header("Share-of-Wallet")
    'share_of_wallet'
    """
    text = str(header).replace("\ufeff", "").strip().lower()
    out = []
    for ch in text:
        out.append(ch if ch.isalnum() else "_")
    name = "_".join(part for part in "".join(out).split("_") if part)
    return name
