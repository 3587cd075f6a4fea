"""Module M1 — Identifying key accounts: the tables and the self-checks.

The notebook ``notebooks/workshop/M1_identifying_key_accounts.ipynb`` teaches stage 1
with :mod:`kamkit.identification.selection` (the definition, the scores, the cap, the stability
test) and its weight sliders (:func:`kamkit.widgets.identification.weight_panel`). This
module adds what the exercises need:

* :func:`largest_customers`: the customers revenue alone would choose, with what the
  definition decided for each;
* :func:`anchors` and :func:`small_market_leader`: the accounts exercise 2 is about,
  found in the data;
* the self-checks :func:`check_big_not_key`, :func:`check_leader_weights`,
  :func:`check_cap` (the one of module M0, asked for another number of managers) and
  :func:`check_depends_on_weights`.

Every check computes its answer from the portfolio and the identification result, so
it works on an organisation's own data too, or says which data it lacks.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from kamkit.data.portfolio import Portfolio
from kamkit.exceptions import ParameterError
from kamkit.identification import selection as idn
from kamkit.text.i18n import _, format_number, format_percent, ngettext
from kamkit.workshop.checks import (
    AnswerError,
    CheckResult,
    correct,
    incorrect,
    is_none,
    read_account,
    read_accounts,
    read_choice,
    read_mapping,
    read_weights,
    self_check,
)
from kamkit.workshop.what_makes_key import check_cap

__all__ = ["ANCHORS", "largest_customers", "anchors", "small_market_leader",
           "check_big_not_key", "check_leader_weights", "check_cap",
           "check_depends_on_weights"]

#: How many of the largest customers are the *anchors* whose place the definition keeps.
ANCHORS = 3
#: A criterion score (0-100) from which an account counts as strong on it.
STRONG_SCORE = 75.0
#: Answer to "why is it not key?" meaning "the customer does not accept key status".
DECLINED = "declined"


def _declines(value: object) -> bool:
    """Whether an ``accepts_key_status`` value says no (unknown is not no)."""
    return value is not None and not pd.isna(value) and not bool(value)


def _revenue_order(result: idn.Identification) -> pd.DataFrame:
    """The result's table, largest revenue first (ties by account id)."""
    t = result.table
    return t.iloc[np.lexsort((t["account_id"].to_numpy(dtype=str),
                              -t["revenue_12m"].to_numpy(dtype=float)))]


def largest_customers(result: idn.Identification, n: int | None = None, *,
                      points: bool = False) -> pd.DataFrame:
    """The ``n`` largest customers by revenue, with what the definition decided.

    Parameters
    ----------
    result : Identification
    n : int, optional
        How many (default: the cap, the size of the list revenue alone would choose).
    points : bool
        Add the points of every weighted criterion (``<criterion>_points``, as in
        :func:`kamkit.identification.selection.ranking`): the score explained in one row.

    Returns
    -------
    DataFrame
        ``revenue_rank``, ``account_id``, ``name``, ``revenue_12m``, ``score``,
        ``selected``, ``group``, ``reason`` (and the points); largest first (ties by
        account id).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> t = largest_customers(idn.identify(company_x()), 5)
    >>> t[["account_id", "selected"]].values.tolist()[3]
    ['CX-004', False]
    """
    n = result.cap if n is None else n
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ParameterError("n", _("ask for at least one customer"))
    top = _revenue_order(result).head(int(n)).copy()
    top.insert(0, "revenue_rank", range(1, len(top) + 1))
    top = top[["revenue_rank", "account_id", "name", "revenue_12m", "score", "selected",
               "group", "reason"]].reset_index(drop=True)
    if points:
        explained = idn.ranking(result).set_index("account_id")
        columns = [f"{name}_points" for name in result.weights]
        top = top.join(explained[columns], on="account_id")
    return top


def anchors(portfolio: Portfolio, n: int = ANCHORS) -> list[str]:  # noqa: ANN001 - Portfolio
    """The anchors: the ``n`` largest customers by revenue that accept key status.

    The three largest customers of Company X buy more than half of its sales; a
    definition of "key" that drops one of them has to be defended very well.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> anchors(company_x())
    ['CX-001', 'CX-002', 'CX-003']
    """
    curve = idn.concentration(portfolio)
    accepts = portfolio.accounts.set_index("account_id").get("accepts_key_status")
    out = []
    for account_id, revenue in zip(curve["account_id"], curve["revenue_12m"], strict=True):
        declined = accepts is not None and _declines(accepts.get(account_id))
        if revenue > 0 and not declined:
            out.append(str(account_id))
        if len(out) == n:
            break
    return out


def small_market_leader(portfolio: Portfolio, cap: int | None = None) -> str | None:  # noqa: ANN001
    """The small market leader: key on strategic role, not on volume.

    Among the customers outside the ``cap`` largest by revenue that do not decline key
    status, the one rated highest on strategic role; ties go to the higher
    collaboration rating, then to the larger revenue. None when no account has a
    strategic-role rating.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> small_market_leader(company_x())
    'CX-005'
    """
    cap = idn.key_account_cap(portfolio) if cap is None else cap
    values = idn.criterion_values(portfolio, ["revenue_12m", "strategic_role",
                                              "collaboration"])
    accepts = portfolio.accounts.set_index("account_id").get("accepts_key_status")
    order = values.sort_values("revenue_12m", ascending=False, kind="stable")
    small = order.iloc[cap:]
    small = small[small["strategic_role"].notna()]
    if accepts is not None:
        small = small[[not _declines(accepts.get(a)) for a in small.index]]
    if small.empty:
        return None
    best = small.assign(_c=small["collaboration"].fillna(-1.0)).sort_values(
        ["strategic_role", "_c", "revenue_12m"], ascending=False, kind="stable")
    return str(best.index[0])


# --------------------------------------------------------------------------------------
# Exercise 1: big but not key


def _reason_choices(result: idn.Identification) -> dict[str, list[str]]:
    choices: dict[str, list[str]] = {
        name: [c.label, _(c.label), name.replace("_", " ")]
        for name, c in result.criteria.items()}
    extra = {"strategic_role": ["strategic", "role", "market leader"],
             "collaboration": ["willingness to collaborate", "cooperation", "partnership"],
             "margin": ["profit", "profitability"],
             "revenue_12m": ["revenue", "sales", "size", "volume"],
             "opportunity_value": ["opportunities", "opportunity"],
             "headroom": ["wallet"],
             "relationship_stage": ["relationship", "stage"]}
    for name, words in extra.items():
        if name in choices:
            choices[name] += words
    choices[DECLINED] = ["accepts key status", "accepts_key_status", "key status",
                         "does not accept key status", "declines key status", "declines",
                         "refuses", "refuses key status", _(idn.DECISIONS["declined"])]
    return choices


def _weakest(result: idn.Identification, account_id: str, k: int = 2) -> list[str]:
    """The weighted criteria outside revenue on which the account loses most points."""
    scores = result.scores.loc[account_id]
    names = [n for n in result.weights if result.criteria[n].group != "revenue"]
    return sorted(names, key=lambda n: (-(100.0 - scores[n]) * result.weights[n],
                                        list(result.weights).index(n)))[:k]


def _labels(result: idn.Identification, names: list[str]) -> str:
    return _(" and ").join(_(result.criteria[n].label) for n in names)


@self_check
def check_big_not_key(answer: object, portfolio: Portfolio, result: idn.Identification  # noqa: ANN001
                      ) -> CheckResult:
    """Exercise "big but not key": which customer, and what keeps it off the list?

    Parameters
    ----------
    answer : dict
        ``{"account": ..., "because": ...}``: an account id or a part of its name, and
        a criterion (its name or label, such as ``"collaboration"``) or
        ``"declines key status"``. ``"account": "none"`` when the definition names no
        big-but-not-key account.
    portfolio : Portfolio
    result : Identification
        The definition of the exercise.

    Returns
    -------
    CheckResult
        Correct for an account of ``result.big_not_key`` with one of its two weakest
        criteria outside revenue (by points lost), or "declines key status" when it
        does.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> r = idn.identify(p)
    >>> check_big_not_key({"account": "CX-004", "because": "collaboration"}, p, r).ok
    True
    >>> check_big_not_key({"account": "CX-004", "because": "revenue"}, p, r).status
    'incorrect'
    """
    values = read_mapping(answer, ["account", "because"])
    big = result.big_not_key["account_id"].tolist()
    if is_none(values["account"]):
        if not big:
            return correct(_("This definition names no big-but-not-key account: every large "
                             "customer it leaves out is strong on other criteria too."))
        return incorrect(_("This definition does name a big customer that is not key."),
                         _("Look at the largest customers that are not on the list."))
    account_id = read_account(values["account"], portfolio)
    because = read_choice(values["because"], _reason_choices(result),
                          what=_("criterion"))
    table = _revenue_order(result).reset_index(drop=True)
    position = table.index[table["account_id"] == account_id]
    row = table.iloc[int(position[0])]
    facts = {"name": row["name"], "rank": int(position[0]) + 1, "cap": result.cap,
             "total": format_number(row["score"], 1)}
    if account_id in big:
        return _check_because(result, account_id, because, facts)
    if facts["rank"] > result.cap:
        message = _("{name} is number {rank} by revenue, not among the {cap} largest that "
                    "revenue alone would choose.").format(**facts)
        if row["selected"]:
            message += " " + _("It is on the key list all the same: key, not big.")
        elif row["group"] == "potential_key":
            message += " " + _("It may become key: that is another group.")
        return incorrect(message, _("The question is about a big customer: look in the "
                                    "table of the {cap} largest.").format(**facts))
    if row["selected"]:
        return incorrect(_("{name} is on the key list (number {rank} by revenue, score "
                           "{total}): big and key.").format(**facts),
                         _("Look for a large customer the definition leaves out: the "
                           "column 'Key account' of the table says no."))
    other = format_number(row["other_score"], 1)
    return incorrect(_("{name} is big (number {rank}) and not selected, but it scores {other} "
                       "on the criteria other than revenue: not weak, just below the "
                       "cut-off.").format(other=other, **facts),
                     _("Big but not key means weak on everything but revenue: read the "
                       "reasons in the table."))


def _check_because(result: idn.Identification, account_id: str, because: str,
                   facts: dict) -> CheckResult:
    weakest = _weakest(result, account_id)
    declined = result.table.set_index("account_id").at[account_id, "decision"] == "declined"
    facts = facts | {"weakest": _labels(result, weakest)}
    if because == DECLINED:
        if declined:
            return correct(_("{name} is number {rank} by revenue but does not accept key "
                             "status; on top of that it is weak on {weakest}. Big, not "
                             "key.").format(**facts))
        return incorrect(_("{name} accepts key status.").format(**facts),
                         _("Read its reason in the table: on which criteria is it "
                           "weak?"))
    label = _(result.criteria[because].label) if because in result.criteria else because
    if because in weakest:
        return correct(_("{name} is number {rank} by revenue, but it loses the most points "
                         "on {weakest}. Big, not key.").format(**facts))
    if result.criteria[because].group == "revenue":
        return incorrect(_("Revenue is where {name} is strong (number {rank}): that makes it "
                           "big.").format(**facts),
                         _("What keeps it off the list? Look at the criteria where it scores "
                           "lowest."))
    if because not in result.weights:
        return incorrect(_("{criterion} has no weight in this definition, so it cannot keep "
                           "{name} out.").format(criterion=label, **facts),
                         _("Name one of the weighted criteria: {names}.").format(
                             names=_labels(result, list(result.weights))))
    score = float(result.scores.at[account_id, because])
    if score >= idn.MIDDLE:
        return incorrect(_("{name} scores {score} of 100 on {criterion}: one of its better "
                           "criteria.").format(score=format_number(score, 0),
                                               criterion=label, **facts),
                         _("Look for the criteria where it scores lowest."))
    return CheckResult("correct", _("{name} is weak on {criterion} (score {score} of 100)."
                                    ).format(score=format_number(score, 0), criterion=label,
                                             **facts),
                       _("It loses even more points on {weakest}.").format(**facts))


# --------------------------------------------------------------------------------------
# Exercise 2: the small market leader


def _read_weights(answer: object, criteria: Mapping[str, idn.Criterion]) -> dict[str, float]:
    return read_weights(
        answer, criteria, example='{"revenue_12m": 0.3, "strategic_role": 0.2}',
        unknown=_("{key!r} is not a criterion."), listing=_("the criteria are {keys}."),
        every=_("give every criterion a weight (0 leaves it out), then run the cell again."),
        one=_("give at least one criterion a weight above 0."))


def _strong_on(result: idn.Identification, account_id: str, k: int = 3) -> list[str]:
    """The criteria of the sliders, revenue aside, on which the account scores best."""
    scores = result.scores.loc[account_id]
    names = [n for n in idn.DEFAULT_WEIGHTS if n in scores.index
             and result.criteria[n].group != "revenue" and scores[n] >= STRONG_SCORE]
    return sorted(names, key=lambda n: (-scores[n], list(idn.DEFAULT_WEIGHTS).index(n)))[:k]


@self_check
def check_leader_weights(answer: object, portfolio: Portfolio, start: idn.Identification,  # noqa: ANN001
                         leader: str | None = None) -> CheckResult:
    """Exercise "the small market leader": weights that select it and keep the anchors.

    Parameters
    ----------
    answer : dict
        Criterion name -> weight (any numbers of 0 or more; they are normalised).
    portfolio : Portfolio
    start : Identification
        The definition the exercise starts from; its cap, minimum score and overrides
        are kept (as the weight sliders keep them).
    leader : str, optional
        The account to bring in (default: :func:`small_market_leader`).

    Returns
    -------
    CheckResult
        Correct when the weights select the leader and every one of the
        :func:`anchors`.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> by_revenue = idn.identify(p, {"revenue_12m": 1})
    >>> check_leader_weights({"revenue_12m": 0.6, "strategic_role": 0.2,
    ...                       "collaboration": 0.2}, p, by_revenue).ok
    True
    >>> check_leader_weights({"strategic_role": 1}, p, by_revenue).status
    'incorrect'
    """
    from kamkit.widgets.identification import panel_state

    weights = _read_weights(answer, start.criteria)
    leader = leader or small_market_leader(portfolio, start.cap)
    if leader is None:
        raise AnswerError(_("no account is rated on strategic role, so there is no small "
                            "market leader to find."),
                          _("trainer: fill in the accounts' strategic_role (1-5)."))
    state = panel_state(portfolio, start, weights)
    if state.result is None:
        raise AnswerError(state.message, _("give each criterion a weight of 0 or more."))
    result = state.result
    keys = result.key_accounts["account_id"].tolist()
    table = result.table.set_index("account_id")
    names = table["name"]
    dropped = [a for a in anchors(portfolio) if a not in keys]
    facts = {"leader": names[leader], "rank": table.at[leader, "score_rank"],
             "score": format_number(table.at[leader, "score"], 1)}
    joined = [a for a in keys if a not in start.key_accounts["account_id"].tolist()
              and a != leader]
    if leader in keys and not dropped:
        message = _("{leader} is on the list (score {score}, rank {rank}) and every anchor "
                    "stays. {weights}").format(weights=state.message, **facts)
        hint = ""
        if joined:
            hint = _("Would you defend each account that joined with it in front of the "
                     "board? {accounts}").format(
                accounts=", ".join(f"{a} {names[a]}" for a in joined))
        return CheckResult("correct", message, hint)
    cutoff = result.key_accounts["score"].min()
    lost = ngettext("The anchor {accounts} left the list.",
                    "The anchors {accounts} left the list.", len(dropped)).format(
        accounts=", ".join(f"{a} {names[a]}" for a in dropped)) if dropped else ""
    if leader not in keys:
        strong = _strong_on(start, leader)
        message = _("{leader} is not selected: score {score}, rank {rank}; the lowest "
                    "selected score is {cutoff}.").format(
            cutoff=format_number(cutoff, 1), **facts)
        if lost:
            message += " " + lost
        given = ", ".join(_("{criterion} {weight}").format(
            criterion=_(start.criteria[n].label),
            weight=format_percent(result.weights.get(n, 0.0), 0)) for n in strong)
        hint = (_("{leader} is strong on {criteria}; your weights give them {given}.").format(
            criteria=_labels(start, strong), given=given, **facts) if strong else
            _("Give more weight to what makes {leader} important besides revenue.").format(
                **facts))
        return incorrect(message, hint)
    anchor = dropped[0]
    rank = _revenue_order(result)["account_id"].tolist().index(anchor) + 1
    return incorrect(_("{leader} joined the list, but not every anchor stayed.").format(
        **facts) + " " + lost,
        _("{anchor} is number {rank} by revenue: keep enough weight on revenue "
          "({criteria}) for the customers the business rests on.").format(
            anchor=names[anchor], rank=rank,
            criteria=_labels(start, [n for n in ("revenue_12m", "revenue_3y")
                                     if n in start.criteria])))


# --------------------------------------------------------------------------------------
# Exercise 4: would another manager pick the same?


@self_check
def check_depends_on_weights(answer: object, portfolio: Portfolio, stability: idn.Stability  # noqa: ANN001
                             ) -> CheckResult:
    """Exercise "stability": which accounts depend on the weights?

    Parameters
    ----------
    answer : list of str or str
        Account ids (or parts of names), as a list or one text with commas; ``"none"``
        when no account depends on the weights.
    portfolio : Portfolio
    stability : Stability
        :func:`kamkit.identification.selection.weight_stability` of the exercise's definition.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> s = idn.weight_stability(idn.identify(p), draws=200)
    >>> check_depends_on_weights(s.fragile["account_id"].tolist(), p, s).ok
    True
    >>> check_depends_on_weights("CX-001", p, s).status
    'incorrect'
    """
    given = read_accounts(answer, portfolio)
    fragile = stability.fragile["account_id"].tolist()
    shares = stability.table.set_index("account_id")["selected_share"]
    tolerance = stability.tolerance
    band = {"low": format_percent(tolerance, 0), "high": format_percent(1 - tolerance, 0)}
    extra = [a for a in given if a not in fragile]
    missing = [a for a in fragile if a not in given]
    if not extra and not missing:
        if not fragile:
            return correct(_("No account depends on the weights: a small change of "
                             "priorities picks the same list."))
        return correct(_("{accounts}: selected in some draws and not in others. That is where "
                         "the team should talk, not the computer decide.").format(
            accounts=", ".join(fragile)))
    if extra:
        account = extra[0]
        name = portfolio.account(account)["name"]
        if account in shares.index:
            message = _("{name} is selected in {share} of the draws: a safe decision.").format(
                name=name, share=format_percent(shares[account], 0))
        else:
            message = _("{name} is not selected in any draw: a safe decision.").format(
                name=name)
        return incorrect(message, _("An account depends on the weights when it is selected "
                                    "in more than {low} and fewer than {high} of the draws.")
                         .format(**band))
    if not given:
        return incorrect(_("Some accounts do depend on the weights."),
                         _("Look for bars between {low} and {high}: names in red.").format(
                             **band))
    return incorrect(_("Right so far: {found} of {total}.").format(
        found=len(fragile) - len(missing), total=len(fragile)),
        _("Look again for bars between {low} and {high}, on the list and off it.").format(
            **band))
