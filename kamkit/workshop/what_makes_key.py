"""Module M0 — What makes an account key: the quiz, the tables and the self-checks.

The notebook ``notebooks/workshop/M0_what_makes_an_account_key.ipynb`` calls:

* :data:`QUIZ` (shown with :func:`kamkit.workshop.widgets.quiz`): six questions on the
  definition of KAM and its six points, each option with its own feedback;
* :func:`biggest_customers`: the largest customers by revenue with the ratings that
  decide whether they are *key*;
* :func:`check_big_not_key` and :func:`check_cap`: the self-checks of the exercises.

The checks read the answer from the portfolio, not from a list of Company X answers, so
they work on an organisation's own data too.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kamkit.data.labels import Field, register_fields, value_label
from kamkit.data.portfolio import Portfolio
from kamkit.data.sales import gross_margin_rate, period, sales_by_account
from kamkit.exceptions import ParameterError
from kamkit.text.i18n import LANGUAGES, N_, _, format_number, format_percent
from kamkit.workshop.checks import (
    AnswerError,
    CheckResult,
    correct,
    incorrect,
    read_account,
    read_number,
    self_check,
)
from kamkit.workshop.quiz import Option, Question

__all__ = ["QUIZ", "TOP", "biggest_customers", "big_not_key", "check_big_not_key",
           "check_cap", "ACCOUNTS_PER_MANAGER", "four_languages"]

#: How many of the largest customers the "big but not key" exercise looks at.
TOP = 5
#: A key account manager carries one to three key accounts (methodology, source 004).
ACCOUNTS_PER_MANAGER = (1, 3)
#: Ratings (1..5) at or below which a big customer is "merely big".
LOW_RATING = 2

register_fields({
    "en": Field(N_("English"), "text"),
    "fa": Field(N_("Persian"), "text"),
    "pl": Field(N_("Polish"), "text"),
    "ru": Field(N_("Russian"), "text"),
    "revenue_rank": Field(N_("Rank by revenue"), "int"),
    "revenue_share": Field(N_("Share of our revenue"), "percent"),
    "accepts_key_status": Field(N_("Accepts key status"), "bool"),
})

QUIZ: tuple[Question, ...] = (
    Question("key_not_biggest", N_("Which customers are key accounts?"), (
        Option(N_("The biggest customers by revenue."),
               N_("Revenue is one criterion among several. A big customer that buys only on "
                  "price and will not work with us long-term is big, not key.")),
        Option(N_("The customers the organisation chose by its own written criteria, such "
                  "as revenue, growth potential, strategic role and willingness to "
                  "collaborate."),
               N_("Yes. The organisation decides which criteria matter and how much, and "
                  "writes it down, so every manager means the same thing."), correct=True),
        Option(N_("Every customer that buys more than a fixed amount a year."),
               N_("A revenue threshold is still 'biggest by revenue'. It misses a small market "
                  "leader and keeps a big price-only buyer.")),
        Option(N_("The customers who ask for the most attention."),
               N_("Asking loudly is not a criterion. Key status is our choice, made by "
                  "criteria, and the customer must accept it too.")),
    )),
    Question("limited_set", N_("Company X has three key account managers. How many key "
                               "accounts should it have at most?"), (
        Option(N_("As many as possible: more key accounts means more growth."),
               N_("An uncontrolled key list destroys value: each key account needs real "
                  "investment, and the managers' time runs out.")),
        Option(N_("Nine: one to three key accounts for each manager."),
               N_("Yes. The set is limited and controlled: a key account manager carries one "
                  "to three key accounts."), correct=True),
        Option(N_("The top 20% of customers, by the Pareto principle."),
               N_("The Pareto principle shows why focus pays, but it does not choose the "
                  "accounts. For Company X the top fifth would be 30 customers.")),
        Option(N_("Three: one for each manager."),
               N_("That is the lower bound. A key account manager can carry up to three key "
                  "accounts.")),
    )),
    Question("partners", N_("What does a key account relationship look like?"), (
        Option(N_("A long-term business partnership: shared value and innovation together."),
               N_("Yes. Key accounts are business partners: co-innovation, shared value, "
                  "long-term thinking."), correct=True),
        Option(N_("The same as with any customer, with bigger discounts."),
               N_("Discounts buy volume, not partnership. A key account gets investment in "
                  "joint value, not just lower prices.")),
        Option(N_("A sale closed each quarter, then the next one."),
               N_("That is selling. KAM thinks in years: the plan, the team and the "
                  "relationship outlive any single deal.")),
    )),
    Question("three_moves", N_("Which three moves does KAM focus on?"), (
        Option(N_("Prospect, pitch, close."),
               N_("Those are steps of a single sale, not of managing an account over "
                  "years.")),
        Option(N_("Penetrate, expand, protect."),
               N_("Yes: reach more of the customer's buying centres, sell more of what it "
                  "needs, and defend the account against competitors."), correct=True),
        Option(N_("Discount, bundle, renew."),
               N_("These are pricing tactics. They may serve a move, but they are not the "
                  "moves.")),
    )),
    Question("assets", N_("Key accounts are assets. What follows from that?"), (
        Option(N_("They need continuous investment, and the return is judged as long-term "
                  "strategy."),
               N_("Yes. Structures, processes and systems are investments; their return shows "
                  "over years, not in one quarter."), correct=True),
        Option(N_("They must pay back every investment within the quarter."),
               N_("Short payback is the logic of a transaction. The return on a key account "
                  "is judged over the long term.")),
        Option(N_("Once won, they need no more attention."),
               N_("Assets lose value without upkeep: competitors keep calling on your key "
                  "accounts.")),
    )),
    Question("skills", N_("Which of these is an account-management skill rather than a "
                          "selling skill?"), (
        Option(N_("Answering a customer's complaint."),
               N_("An important selling skill, but it is done deal by deal.")),
        Option(N_("Building a business case for an offer."),
               N_("A selling skill: it wins one opportunity.")),
        Option(N_("Leading a plan for the account with a team from several departments."),
               N_("Yes. Planning, strategy, leading a team across departments and long-term "
                  "engagement are account-management skills; KAM needs both kinds."),
               correct=True),
        Option(N_("Getting into a new buying centre of the customer."),
               N_("That is penetration, a selling skill, although a key account plan "
                  "schedules it.")),
    )),
)


def four_languages(keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Glossary terms side by side in the kit's four languages.

    Parameters
    ----------
    keys : sequence of str, optional
        Term keys of :data:`kamkit.text.glossary.TERMS`, in the order wanted (default: all).

    Returns
    -------
    DataFrame
        One column per language (``en``, ``fa``, ``pl``, ``ru``), one row per term.

    Examples
    --------
    >>> four_languages(["key_account"]).iloc[0].tolist()
    ['key account', 'مشتری کلیدی', 'kluczowy klient', 'ключевой клиент']
    """
    from kamkit.text.glossary import TERMS

    by_key = {t.key: t for t in TERMS}
    chosen = [by_key[k] for k in keys] if keys is not None else list(TERMS)
    return pd.DataFrame([{code: t.names[code] for code in LANGUAGES} for t in chosen],
                        columns=list(LANGUAGES))


def biggest_customers(portfolio: Portfolio, n: int = 10) -> pd.DataFrame:  # noqa: ANN001 - Portfolio
    """The ``n`` largest customers of the last twelve months, with the key ratings.

    Parameters
    ----------
    portfolio : Portfolio
    n : int
        How many customers.

    Returns
    -------
    DataFrame
        ``rank``, ``account_id``, ``name``, ``revenue``, ``revenue_share`` (of all
        sales), ``margin_rate``, ``strategic_role``, ``collaboration``, ``ladder_step``,
        ``accepts_key_status``; largest first (ties by account id).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> biggest_customers(company_x(), 5)["account_id"].tolist()
    ['CX-001', 'CX-002', 'CX-003', 'CX-004', 'CX-007']
    """
    if n < 1:
        raise ParameterError("n", _("ask for at least one customer"))
    start, end = period(portfolio.as_of)
    sales = sales_by_account(portfolio.transactions, start, end).reset_index()
    total = float(sales["revenue"].sum())
    sales = sales.sort_values(["revenue", "account_id"], ascending=[False, True],
                              kind="stable").head(n)
    columns = ["account_id", "name", "strategic_role", "collaboration", "ladder_step",
               "accepts_key_status"]
    accounts = portfolio.accounts.reindex(columns=columns)
    out = sales.merge(accounts, on="account_id", how="left")
    out["revenue_share"] = out["revenue"] / total if total > 0 else float("nan")
    out["margin_rate"] = gross_margin_rate(out["revenue"], out["cost"])
    out.insert(0, "revenue_rank", range(1, len(out) + 1))
    return out[["revenue_rank", "account_id", "name", "revenue", "revenue_share", "margin_rate",
                "strategic_role", "collaboration", "ladder_step", "accepts_key_status"]
               ].reset_index(drop=True)


def _merely_big(row: pd.Series) -> bool:
    refuses = row["accepts_key_status"] is False or (
        not pd.isna(row["accepts_key_status"]) and not bool(row["accepts_key_status"]))
    low = all(not pd.isna(row[c]) and row[c] <= LOW_RATING
              for c in ("strategic_role", "collaboration"))
    return bool(refuses or low)


def big_not_key(portfolio: Portfolio, top: int = TOP) -> list[str]:  # noqa: ANN001
    """Accounts among the ``top`` largest that are big but not key.

    Big but not key: the customer does not accept key status, or the team rates both its
    strategic role and its willingness to collaborate at most 2 of 5.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> big_not_key(company_x())
    ['CX-004']
    """
    table = biggest_customers(portfolio, top)
    return [r["account_id"] for _i, r in table.iterrows() if _merely_big(r)]


def _ratings(row: pd.Series) -> str:
    return _("strategic role {role} of 5, collaboration {collab} of 5, {step}").format(
        role=format_number(row["strategic_role"]), collab=format_number(row["collaboration"]),
        step=value_label(row["ladder_step"]).lower())


@self_check
def check_big_not_key(answer: object, portfolio: Portfolio, top: int = TOP) -> CheckResult:  # noqa: ANN001
    """Exercise "big but not key": which of the largest customers is merely big?

    Parameters
    ----------
    answer : str
        An account id (any case) or a part of its name.
    portfolio : Portfolio
    top : int
        How many of the largest customers the exercise shows.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> check_big_not_key("cx-004", p).ok, check_big_not_key("CX-001", p).status
    (True, 'incorrect')
    >>> check_big_not_key(..., p).status
    'not_answered'
    """
    account_id = read_account(answer, portfolio)
    table = biggest_customers(portfolio, top)
    merely = set(big_not_key(portfolio, top))
    if account_id in set(table["account_id"]):
        row = table.loc[table["account_id"] == account_id].iloc[0]
        facts = {"name": row["name"], "rank": int(row["revenue_rank"]), "ratings": _ratings(row),
                 "margin": format_percent(row["margin_rate"])}
        if account_id in merely:
            refuses = not pd.isna(row["accepts_key_status"]) and not bool(
                row["accepts_key_status"])
            message = _("{name} is number {rank} by revenue, but it has {ratings} and a "
                        "margin of {margin}.").format(**facts)
            if refuses:
                message += " " + _("It does not even accept key status. Big, not key.")
            return correct(message)
        hint = (_("Look for a big customer with low ratings on strategic role and "
                  "collaboration, a thin margin, or that does not accept key status.")
                if merely else _("None of the {top} biggest is merely big by this "
                                 "definition; say so in the discussion.").format(top=top))
        return incorrect(_("{name} is big (number {rank}) and also has {ratings}: big and "
                           "key.").format(**facts), hint)
    start, end = period(portfolio.as_of)
    sales = sales_by_account(portfolio.transactions, start, end)
    ranked = sales.sort_values("revenue", ascending=False, kind="stable").index.tolist()
    rank = ranked.index(account_id) + 1 if account_id in ranked else None
    row = portfolio.account(account_id)
    name = row["name"]
    role = row.get("strategic_role")
    if rank and not pd.isna(role) and role >= 4:
        return incorrect(_("{name} is the opposite case: small (number {rank} by revenue) but "
                           "rated {role} of 5 on strategic role. Key, not big.").format(
            name=name, rank=rank, role=format_number(role)),
            _("The question asks for a big customer that is not key: look in the table of "
              "the {top} biggest.").format(top=top))
    message = (_("{name} is number {rank} by revenue, not among the {top} biggest.").format(
        name=name, rank=rank, top=top) if rank else
        _("{name} bought nothing in the last twelve months.").format(name=name))
    return incorrect(message, _("The question is about a big customer: look in the table "
                                "of the {top} biggest.").format(top=top))


@self_check
def check_cap(answer: object, portfolio: Portfolio, key_account_managers: int | None = None  # noqa: ANN001
              ) -> CheckResult:
    """Exercise "a limited set": the most key accounts the managers can carry.

    Parameters
    ----------
    answer : int
        The participant's number.
    portfolio : Portfolio
        Its ``meta.key_account_managers`` says how many managers there are.
    key_account_managers : int, optional
        Ask about another number of managers than the portfolio has ("what if we hire a
        fourth?"); the cap is then this number times three.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> [check_cap(n, p).status for n in (9, 3, 15, -1)]
    ['correct', 'incorrect', 'incorrect', 'invalid']
    >>> check_cap(12, p, key_account_managers=4).ok
    True
    """
    today = portfolio.meta.key_account_managers
    managers = key_account_managers if key_account_managers is not None else today
    if not managers:
        raise AnswerError(_("the portfolio does not say how many key account managers there "
                            "are."), _("trainer: add the key 'key_account_managers' to the "
                                       "portfolio's meta table."))
    low, high = (managers * k for k in ACCOUNTS_PER_MANAGER)
    cap = read_number(answer, whole=True, minimum=0)
    facts = {"cap": cap, "managers": managers, "high": high, "today": today}
    if cap == high:
        return correct(_("{cap}: {managers} managers with up to three key accounts each. A "
                         "limited, controlled set.").format(**facts))
    if cap == 0:
        return incorrect(_("With no key accounts there is nothing to manage."),
                         _("Each of the {managers} managers carries one to three key "
                           "accounts.").format(**facts))
    if today and managers != today and cap == today * ACCOUNTS_PER_MANAGER[1]:
        return incorrect(_("{cap} is the cap for today's {today} managers.").format(**facts),
                         _("The question asks about {managers} managers: each of them can "
                           "carry up to three key accounts.").format(**facts))
    if cap > high:
        return incorrect(_("{cap} key accounts for {managers} managers is more than three "
                           "each.").format(**facts),
                         _("An uncontrolled key list destroys value: a key account manager "
                           "carries one to three key accounts. Having more good candidates "
                           "is not a reason to take them all."))
    if cap == low:
        return incorrect(_("{cap} is one key account per manager: the lower bound.").format(
            **facts), _("A key account manager can carry up to three key accounts."))
    return incorrect(_("{cap} fits, but it is not the most the team can carry.").format(
        **facts), _("How many key accounts can one manager carry at most? Multiply by "
                    "{managers}.").format(**facts))
