"""Module M3 — The key account plan: SMART goals, departments, the three moves.

The notebook ``notebooks/workshop/M3_key_account_plan.ipynb`` teaches stage 3 with
:mod:`kamkit.plan.smart` (the SMART check and its checker widget) and
:mod:`kamkit.plan.account_plan` (moves, actions, balance). This module adds what the exercises need:

* :func:`flawed_goals` and :func:`check_flaws`: find the letter each weak goal fails;
* :func:`check_rewrite`: rewrite a weak goal until :func:`kamkit.plan.smart.check_text`
  accepts it; the reply names the letter that still fails, why, and how to fix it;
* :data:`PROPOSED_ACTIONS`, :func:`departments_for` and :func:`check_departments`:
  assign actions to the departments that can carry them, by a written rule
  (:data:`DEPARTMENT_RULES`);
* :func:`check_protect_goal`: a goal that protects the account, as
  :func:`kamkit.plan.account_plan.classify_move` reads it, where a strong competitor
  (:func:`kamkit.plan.account_plan.strong_competitors`) makes one necessary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from kamkit.data.labels import value_label
from kamkit.data.portfolio import Portfolio
from kamkit.exceptions import ParameterError
from kamkit.plan import account_plan as plan
from kamkit.plan import smart
from kamkit.text.i18n import N_, _, format_percent, ngettext
from kamkit.workshop.checks import (
    AnswerError,
    CheckResult,
    close_matches,
    correct,
    incorrect,
    is_unanswered,
    read_choice,
    read_mapping,
    read_text,
    self_check,
)

__all__ = ["DEPARTMENTS", "DepartmentRule", "DEPARTMENT_RULES", "PROPOSED_ACTIONS", "FIXES",
           "flawed_goals", "check_flaws", "check_rewrite", "proposed_actions",
           "departments_for", "check_departments", "check_protect_goal"]

#: The departments of Company X that carry actions of a key account plan.
DEPARTMENTS = ("sales", "marketing", "service", "production", "logistics", "finance",
               "engineering")
_DEPARTMENT_WORDS = {
    "sales": ("key account manager", "kam", "account manager", "commercial"),
    "marketing": ("communication", "communications", "events"),
    "service": ("after-sales", "after sales", "customer service", "field service"),
    "production": ("manufacturing", "plant", "operations", "factory"),
    "logistics": ("warehouse", "warehousing", "supply chain", "shipping", "distribution"),
    "finance": ("controlling", "accounting", "pricing"),
    "engineering": ("r&d", "development", "application engineering", "design"),
}

#: How to fix a letter, by the reason code of :mod:`kamkit.plan.smart`, where the reason
#: itself does not say it (most reasons do: "No deadline: say by when ...").
FIXES = {
    "absurd": N_("Ask for less, or give it more time: the check compares the growth with "
                 "the account's own history and with the opportunities in the dossier."),
    "beyond_opportunities": N_("Aim within the opportunities the dossier sizes, or size the "
                               "new opportunity first."),
    "not_linked": N_("Give the id of the need or opportunity it answers (N-... or O-...) as "
                     "the link."),
    "unknown_link": N_("Use the id of one of this account's needs or opportunities."),
    "linked_elsewhere": N_("Use the id of one of this account's needs or opportunities."),
}
_LETTER_WORDS = {code: (label, column.replace("_", " ")) for code, column, label in
                 smart.LETTERS}


def _fix(letter: smart.LetterVerdict) -> str:
    fix = FIXES.get(letter.code)
    return f"{letter.reason} {_(fix)}" if fix else letter.reason


def _fold(text: object) -> str:
    return " ".join(str(text).casefold().split())


# --------------------------------------------------------------------------------------
# Exercise 1: find the flaw


def _details(portfolio: Portfolio, goal_ids: list[str] | None = None) -> pd.DataFrame:  # noqa: ANN001
    """:func:`kamkit.plan.smart.smart_details` of the accounts with goals (those of
    ``goal_ids`` only, when given), one frame."""
    columns = ["goal_id", "letter", "verdict", "reason", "code"]
    if not portfolio.has("goals"):
        return pd.DataFrame(columns=columns)
    goals = portfolio.goals
    if goal_ids is not None:
        goals = goals[goals["goal_id"].isin(goal_ids)]
    frames = [smart.smart_details(portfolio, a) for a in sorted(
        goals["account_id"].dropna().astype(str).unique())]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def _failed(details: pd.DataFrame) -> dict[str, list[str]]:
    """goal id -> the letters it fails (empty for a SMART goal)."""
    return {str(g): part.loc[part["verdict"] == "fail", "letter"].tolist()
            for g, part in details.groupby("goal_id", sort=True)}


def flawed_goals(portfolio: Portfolio) -> pd.DataFrame:  # noqa: ANN001 - Portfolio
    """Every goal of the portfolio that fails the SMART check (without the verdict).

    Returns
    -------
    DataFrame
        ``goal_id``, ``account_id``, ``name`` (of the account), ``goal``,
        ``linked_to``; by goal id. Empty when every goal is SMART or no goals are
        recorded.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> flawed_goals(company_x())["goal_id"].tolist()
    ['G-002-1', 'G-003-1', 'G-004-1', 'G-006-1', 'G-008-1', 'G-013-1']
    """
    columns = ["goal_id", "account_id", "name", "goal", "linked_to"]
    failed = _failed(_details(portfolio))
    flawed = sorted(g for g, letters in failed.items() if letters)
    if not flawed:
        return pd.DataFrame(columns=columns)
    goals = portfolio.goals.set_index("goal_id").loc[flawed].reset_index()
    names = portfolio.accounts.set_index("account_id")["name"]
    goals["name"] = goals["account_id"].map(names)
    return goals[columns].reset_index(drop=True)


@self_check
def check_flaws(answer: object, portfolio: Portfolio) -> CheckResult:  # noqa: ANN001
    """Exercise "find the flaw": one failing letter per goal.

    Parameters
    ----------
    answer : dict
        Goal id -> a letter (``"S"`` ... ``"T"``, or its word, ``"time-bound"``).
    portfolio : Portfolio

    Returns
    -------
    CheckResult
        Correct when every letter named fails for its goal (a goal may fail several;
        any of them is right).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> check_flaws({"G-008-1": "T", "G-006-1": "A"}, p).ok
    True
    >>> check_flaws({"G-008-1": "R"}, p).status
    'incorrect'
    """
    if not isinstance(answer, Mapping):
        raise AnswerError(_("the answer is not a dictionary of goals and letters."),
                          _("fill in the dictionary the exercise gives, for example "
                            "{example}.").format(example='{"G-008-1": "T"}'))
    if not portfolio.has("goals"):
        raise AnswerError(_("no goals are recorded, so there is no goal to judge."),
                          _("trainer: fill in the goals table of the portfolio."))
    ids = portfolio.goals["goal_id"].astype(str).tolist()
    unknown = [str(k) for k in answer if str(k).strip() not in ids]
    if unknown:
        near = close_matches(unknown[0], ids)
        raise AnswerError(_("{key!r} is not a goal of the portfolio.").format(key=unknown[0]),
                          _("did you mean {choices}?").format(choices=_(" or ").join(
                              f'"{s}"' for s in near)) if near else
                          _("copy the goal id from the table."))
    values = read_mapping(answer, list(answer))
    details = _details(portfolio, [str(k).strip() for k in values])
    failed = _failed(details)
    wrong = []
    for goal_id, value in values.items():
        try:
            letter = read_choice(value, _LETTER_WORDS, what=_("letter of SMART"))
        except AnswerError as exc:
            raise AnswerError(f"{goal_id}: {exc.message}", exc.hint) from None
        key = str(goal_id).strip()
        if letter not in failed[key]:
            wrong.append((key, letter))
    right = len(values) - len(wrong)
    if not wrong:
        return correct(_("{n} of {n}: each goal fails the letter you named.").format(
            n=len(values)))
    goal_id, letter = wrong[0]
    found = details[(details["goal_id"] == goal_id) & (details["letter"] == letter)].iloc[0]
    if not failed[goal_id]:
        hint = _("{goal}: every letter passes; this goal is SMART.").format(goal=goal_id)
    elif found["verdict"] == "not_judged":
        hint = _("{goal}: {letter} cannot be judged yet. {reason} Another letter fails "
                 "first: which?").format(goal=goal_id, letter=letter, reason=found["reason"])
    else:
        hint = _("{goal}: {letter} passes. {reason} Look at the other letters.").format(
            goal=goal_id, letter=letter, reason=found["reason"])
    return incorrect(_("{right} of {n} right; look again at {goals}.").format(
        right=right, n=len(values), goals=", ".join(g for g, _l in wrong)), hint)


# --------------------------------------------------------------------------------------
# Exercise 2: rewrite the goal


def _link(value: object) -> str | None:
    if is_unanswered(value) or value == "":
        return None
    return read_text(value, what="N-001-01")


@self_check
def check_rewrite(answer: object, portfolio: Portfolio, goal_id: str,  # noqa: ANN001
                  linked_to: object = None) -> CheckResult:
    """Exercise "rewrite the goal": is the new text SMART?

    Parameters
    ----------
    answer : str
        The goal as rewritten.
    portfolio : Portfolio
    goal_id : str
        The weak goal of the plan that is rewritten; its account, and its link to a
        need or opportunity unless ``linked_to`` says otherwise.
    linked_to : str, optional
        The need or opportunity the rewritten goal answers.

    Returns
    -------
    CheckResult
        Correct when every letter passes (:func:`kamkit.plan.smart.check_text`); the hint
        then raises the ambition (stretch, easy) or a change of scope. Otherwise the
        message names the letters that fail, and the hint says why the first one fails
        and how to fix it.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> check_rewrite("+10% spare-parts revenue at ZAŚ by 2027-03-31", p, "G-003-1").ok
    True
    >>> check_rewrite("Grow spare-parts revenue at ZAŚ by 2027-03-31", p, "G-003-1").status
    'incorrect'
    """
    goals = portfolio.goals if portfolio.has("goals") else pd.DataFrame(columns=["goal_id"])
    row = goals[goals["goal_id"] == goal_id]
    if row.empty:
        raise ParameterError("goal_id", _("no goal {id} in the portfolio").format(id=goal_id))
    original = row.iloc[0]
    text = read_text(answer, what=str(original["goal"]))
    link = _link(linked_to)
    if link is None and not pd.isna(original["linked_to"]):
        link = str(original["linked_to"])
    account_id = str(original["account_id"])
    verdict = smart.check_text(portfolio, account_id, text, linked_to=link)
    if not verdict.smart:
        failed = verdict.failed
        first = verdict.letter(failed[0])
        message = ngettext("Not SMART yet: {letters} fails.", "Not SMART yet: {letters} fail.",
                           len(failed)).format(letters=", ".join(failed))
        if _fold(text) == _fold(original["goal"]):
            message = _("That is the goal as the plan writes it.") + " " + message
        return incorrect(message, f"{first.letter}: {_fix(first)}")
    message = _("SMART: every letter passes.")
    remarks = []
    if verdict.ambition:
        remarks.append(_("Talk about the ambition: {reason}").format(
            reason=verdict.letter("A").reason))
    scope = None if pd.isna(original["scope"]) else str(original["scope"])
    if scope and verdict.goal.scope and not smart.same_scope(scope, verdict.goal.scope):
        remarks.append(_("The plan's goal is about {old}, yours about {new}: is that still "
                         "the same goal?").format(old=scope, new=verdict.goal.scope))
    return CheckResult("correct", message, " ".join(remarks))


# --------------------------------------------------------------------------------------
# Exercise 3: who does what


@dataclass(frozen=True)
class DepartmentRule:
    """One line of the rule that says which departments can carry an action.

    Attributes
    ----------
    departments : tuple of str
        The departments that can carry an action this rule matches.
    words : tuple of str
        Words of the action that make the rule match (``stock*`` matches every word it
        begins, as in :data:`kamkit.plan.account_plan.CLIMBING_MOVES`).
    why : str
        The reason, in the participant's words (``N_``).
    """

    departments: tuple[str, ...]
    words: tuple[str, ...]
    why: str


#: The rule, in order: the first line whose words appear in an action decides. Work with
#: the customer's service people comes first, then what reaches many people (events,
#: publications), prices, the customer's decision makers, failures, stock, shipping,
#: technical work, and last making the parts.
DEPARTMENT_RULES: tuple[DepartmentRule, ...] = (
    DepartmentRule(("service",), (
        "train*", "technician*", "repair*", "troubleshoot*", "service review",
        "service offer", "service contract", "on site", "maintenance", "after-sales",
        "spare-parts review", "forecast meeting", "spare-parts list"),
        N_("Training, repairs, service offers and regular reviews with the customer's "
           "service people are the service department's work.")),
    DepartmentRule(("marketing",), (
        "seminar", "webinar", "fair", "catalogue", "brochure", "case study", "reference",
        "documentation", "translat*", "*-language", "survey", "pulse", "open day",
        "launch", "newsletter", "manual*"),
        N_("Events, publications, documentation and surveys that reach many people at the "
           "customer are marketing's work.")),
    DepartmentRule(("finance", "sales"), (
        "price*", "pricing", "rebate*", "discount*", "payment*", "credit", "total-cost*",
        "total cost", "tco", "lifetime-cost*", "lifetime cost", "warranty terms"),
        N_("Prices, rebates, payment terms and cost studies are finance's work, with sales, "
           "who negotiates them.")),
    DepartmentRule(("sales",), (
        "offer*", "negotiat*", "contract*", "tender", "bid", "executive", "visit", "meet*",
        "meeting", "dinner", "who approves", "find out", "technical day", "agree*"),
        N_("Meetings with the customer's decision makers, offers, contracts and bids are "
           "the key account manager's work: sales.")),
    DepartmentRule(("production", "engineering"), (
        "root-cause", "root cause", "failure analysis", "field-failure", "quality",
        "second source"),
        N_("Finding and fixing the cause of failures, and second sources for parts, are "
           "production's work, with engineering.")),
    DepartmentRule(("logistics", "production"), (
        "stock*", "warehouse*", "buffer", "consignment", "bonded", "kanban", "store*",
        "stored", "pool"),
        N_("Spare-part availability (stock, warehouses, buffer and consignment stock) is "
           "logistics' work, with production, which builds the parts. Sales can promise "
           "availability, but cannot make parts arrive.")),
    DepartmentRule(("logistics",), (
        "ship*", "freight", "customs", "transport*", "courier", "air"),
        N_("Moving goods to the customer (shipping, freight, customs) is logistics' "
           "work.")),
    DepartmentRule(("engineering",), (
        "sample*", "prototype*", "design", "co-design", "firmware", "certif*", "qualif*",
        "test report", "test bench", "trial", "demonstration", "pilot", "emc", "atex",
        "iec", "portal", "engineering support", "roadmap"),
        N_("Samples, prototypes, certification, technical trials and tools are "
           "engineering's work.")),
    DepartmentRule(("production",), (
        "build", "built", "slot", "capacity", "smt", "manufactur*", "production line",
        "assembl*", "kit*", "priority dispatch"),
        N_("Building parts, kits and capacity is production's work. Sales can promise "
           "availability, but only production can build the parts.")),
)

#: Actions the account team agreed at the review of Zakłady Automatyki Śląsk (CX-003),
#: the anchor whose plan production carries almost alone: action id -> what is to be done.
PROPOSED_ACTIONS: dict[str, str] = {
    "A1": "Keep a buffer stock of spare drive boards in a warehouse near the Silesian mines",
    "A2": "Reserve a weekly build slot for ZAŚ spare drive boards",
    "A3": "Meet the head of procurement, not met since December, to agree a spare-parts "
          "frame contract",
    "A4": "Train the mine service technicians to swap drive boards on site",
    "A5": "Price a spare-parts availability contract from lifetime-cost data",
    "A6": "ATEX display samples for the underground control panels",
    "A7": "Case study of the Silesian buffer stock for the mining trade fair",
}


def _matches(text: str, words: tuple[str, ...]) -> bool:
    return bool(plan._words_at_start(text, words))


def departments_for(action: str) -> tuple[tuple[str, ...], str]:
    """The departments that can carry an action, and why, by :data:`DEPARTMENT_RULES`.

    Parameters
    ----------
    action : str
        What is to be done, as the plan writes it.

    Returns
    -------
    (departments, why) : tuple
        Every department of :data:`DEPARTMENTS` and an empty reason when no line of the
        rule matches (the rule cannot judge that action).

    Examples
    --------
    >>> departments_for("Open a consignment stock in Almaty")[0]
    ('logistics', 'production')
    >>> departments_for("Write the reference case study with the R&D director")[0]
    ('marketing',)
    """
    for rule in DEPARTMENT_RULES:
        if _matches(str(action), rule.words):
            return rule.departments, _(rule.why)
    return DEPARTMENTS, ""


def proposed_actions(actions: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The actions of exercise 3 as a table: ``action_id``, ``what``.

    Parameters
    ----------
    actions : mapping, optional
        Action id -> text (default :data:`PROPOSED_ACTIONS`).

    Examples
    --------
    >>> proposed_actions({"A1": "Open a buffer stock"}).values.tolist()
    [['A1', 'Open a buffer stock']]
    """
    actions = PROPOSED_ACTIONS if actions is None else actions
    return pd.DataFrame({"action_id": list(actions), "what": list(actions.values())})


@self_check
def check_departments(answer: object, actions: Mapping[str, str] | None = None
                      ) -> CheckResult:
    """Exercise "who does what": is each action with a department that can carry it?

    Parameters
    ----------
    answer : dict
        Action id -> department (``"logistics"``; ``"warehouse"``, ``"R&D"`` ... are
        understood).
    actions : mapping, optional
        Action id -> text (default :data:`PROPOSED_ACTIONS`).

    Returns
    -------
    CheckResult
        Correct when every action sits with a department :func:`departments_for`
        allows. A department that gets :data:`kamkit.plan.account_plan.OVERLOAD_SHARE` of the
        actions or more is pointed out: one department carrying the plan is the warning sign of
        stage 3.

    Examples
    --------
    >>> answer = {"A1": "logistics", "A2": "production", "A3": "sales", "A4": "service",
    ...           "A5": "finance", "A6": "engineering", "A7": "marketing"}
    >>> check_departments(answer).ok
    True
    >>> check_departments(answer | {"A1": "sales"}).status
    'incorrect'
    """
    actions = PROPOSED_ACTIONS if actions is None else actions
    values = read_mapping(answer, list(actions))
    choices = {d: [d, *_DEPARTMENT_WORDS.get(d, ())] for d in DEPARTMENTS}
    given: dict[str, str] = {}
    for action_id, value in values.items():
        try:
            given[action_id] = read_choice(value, choices, what=_("department"))
        except AnswerError as exc:
            raise AnswerError(f"{action_id}: {exc.message}", exc.hint) from None
    wrong = []
    for action_id, department in given.items():
        allowed, why = departments_for(actions[action_id])
        if department not in allowed:
            wrong.append((action_id, department, allowed, why))
    counts = pd.Series(list(given.values())).value_counts()
    share = float(counts.iloc[0]) / len(given) if len(given) else 0.0
    overload = ""
    if len(given) >= 3 and share >= plan.OVERLOAD_SHARE:
        overload = _("{department} carries {share} of the actions: the plan becomes one "
                     "department's job, not the whole company's.").format(
            department=counts.index[0], share=format_percent(share, 0))
    if not wrong:
        return CheckResult("correct", _("Every action sits with a department that can carry "
                                        "it; the work is spread over {n} departments.")
                           .format(n=len(counts)), overload)
    action_id, department, allowed, why = wrong[0]
    message = _("{right} of {n} actions sit with a department that can carry them; look "
                "again at {ids}.").format(right=len(given) - len(wrong), n=len(given),
                                          ids=", ".join(w[0] for w in wrong))
    if overload:
        message += " " + overload
    hint = _("{id} ({department}): {why}").format(id=action_id, department=department, why=why)
    return incorrect(message, hint)


# --------------------------------------------------------------------------------------
# Exercise 4: the missing move


@self_check
def check_protect_goal(answer: object, portfolio: Portfolio, account_id: str,  # noqa: ANN001
                       linked_to: object = None) -> CheckResult:
    """Exercise "the missing move": a SMART goal that protects the account.

    Parameters
    ----------
    answer : str
        The goal, as text.
    portfolio : Portfolio
    account_id : str
    linked_to : str, optional
        The need or opportunity it answers (``...`` or empty: none).

    Returns
    -------
    CheckResult
        Correct when :func:`kamkit.plan.account_plan.classify_move` calls the goal *protect* and
        :func:`kamkit.plan.smart.check_text` finds it SMART. The message names the strong
        competitors (:func:`kamkit.plan.account_plan.strong_competitors`) it defends against.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> check_protect_goal("Keep our share of wallet at 28% or more against Brevi "
    ...                    "through 2027-06-30", p, "CX-009", "N-009-01").ok
    True
    >>> check_protect_goal("+20% sensor revenue by 2027-06-30", p, "CX-009",
    ...                    "N-009-01").status
    'incorrect'
    """
    text = read_text(answer, what=_("Keep our share of wallet at 30% through 2027-06-30"))
    link = _link(linked_to)
    account_id = portfolio.check_account(account_id)
    verdict = smart.check_text(portfolio, account_id, text, linked_to=link)
    g = verdict.goal
    goal = {"goal": text, "metric": g.metric, "scope": g.scope, "baseline": g.baseline,
            "target": g.target, "linked_to": link}
    move, why = plan.classify_move(goal, needs=portfolio.table_for("needs", account_id),
                                   opportunities=portfolio.table_for("opportunities",
                                                                     account_id))
    strong = plan.strong_competitors(portfolio, account_id)
    rivals = ", ".join(strong["competitor"].astype(str))
    what = _("A protect goal defends what we have: keep a share of wallet, raise "
             "satisfaction, or fix a pain point with a service level and link it to that "
             "pain point.") + (" " + _("Against {rivals}.").format(rivals=rivals)
                               if rivals else "")
    if move != "protect":
        shown = value_label(move).lower() if move else value_label("unclassified").lower()
        return incorrect(_("This goal is {move}: {why}.").format(move=shown, why=why), what)
    # Protect only through its link to a pain point, while it asks for more sales: a
    # growth goal under another name.
    alone, _why = plan.classify_move(goal)
    if alone != "protect" and g.metric in smart.SALES_METRICS and not (
            g.baseline is not None and g.target is not None and g.target <= g.baseline):
        return incorrect(_("It counts as protect only because it is linked to a pain point; "
                           "what it measures is more {metric}.").format(
            metric=value_label(g.metric).lower()),
            _("Measure the pain point itself (a service level, a lead time) or what a "
              "competitor could take (our share of wallet, satisfaction)."))
    if not verdict.smart:
        first = verdict.letter(verdict.failed[0])
        return incorrect(_("It protects ({why}), but it is not SMART yet: fix {letters}.")
                         .format(why=why, letters=", ".join(verdict.failed)),
                         f"{first.letter}: {_fix(first)}")
    if rivals:
        return correct(_("A SMART protect goal ({why}): the plan now defends the account "
                         "against {rivals}.").format(why=why, rivals=rivals))
    return CheckResult("correct", _("A SMART protect goal ({why}).").format(why=why),
                       _("No competitor is strong at this account today, so the rule does not "
                         "ask for one; it still guards what the plan has won."))
