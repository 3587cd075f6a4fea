"""Module M2 — The account dossier: an interview write-up, the DMU, the customer SWOT.

The notebook ``notebooks/workshop/M2_account_dossier.ipynb`` gives participants a
one-page visit report (:func:`interview_note`, kept in ``kamkit/data/``) and has them
turn it into the parts of the dossier that stage 2 (:mod:`kamkit.needs.dossier`) records:

* the decision-making unit: every person's level, buying role, attitude and influence,
  compared with the account's recorded contacts (:func:`check_dmu`), and drawn as a
  stakeholder map next to the record's (:func:`answer_contacts`, :func:`answer_map`);
* the anti-sponsor (:func:`check_anti_sponsor`) and a buying role nobody holds
  (:func:`check_uncovered_role`);
* the customer's SWOT (:func:`check_swot`): four quadrants about the *customer*, with a
  hint for every item that belongs elsewhere (a supplier issue, a need towards us, an
  item of another quadrant).

The checks compare with what the portfolio records for the account, so with an
organisation's own data they work for any account whose contacts, needs and SWOT are
recorded (the note itself is Company X's; write one for your own account).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from importlib import resources

import pandas as pd
from matplotlib.figure import Figure

from kamkit.data.labels import value_label
from kamkit.data.portfolio import Portfolio
from kamkit.data.schema import ATTITUDES, BUYING_ROLES, CONTACT_LEVELS
from kamkit.exceptions import UnknownAccountError
from kamkit.needs import dossier
from kamkit.text.i18n import N_, _, format_number, ngettext
from kamkit.workshop.checks import (
    AnswerError,
    CheckResult,
    close_matches,
    correct,
    incorrect,
    is_none,
    label_choices,
    read_choice,
    read_mapping,
    read_number,
    read_text,
    self_check,
)

__all__ = ["INTERVIEW_ACCOUNT", "SWOT_KEYS", "interview_note", "read_dmu", "check_dmu",
           "answer_contacts", "answer_map", "check_anti_sponsor", "check_uncovered_role",
           "read_swot", "check_swot"]

#: The account of the visit report that ships with the kit (Officine Brambilla).
INTERVIEW_ACCOUNT = "CX-009"
#: The keys of the SWOT answer, in the order of the quadrants.
SWOT_KEYS = {"strengths": "strength", "weaknesses": "weakness",
             "opportunities": "opportunity", "threats": "threat"}
#: Influence (1-5) may differ from the record by this much: it is a judgement.
INFLUENCE_TOLERANCE = 1
_FIELDS = ("level", "buying_role", "attitude", "influence")
#: Everyday words a participant may type for the values (besides their labels).
WORDS = {
    "executive": ("board", "top management", "c-level"),
    "senior": ("senior management",),
    "middle": ("middle management",),
    "economic_buyer": ("economic", "budget holder", "decision maker"),
    "technical_buyer": ("technical",),
    "user_buyer": ("user",),
    "skeptic": ("sceptic", "sceptical", "skeptical"),
    "anti_sponsor": ("antisponsor", "anti sponsor", "opponent"),
}

#: What each value means, for the hints (English source, translated when shown).
MEANINGS = {
    "executive": N_("on the board or in top management"),
    "senior": N_("heads a function, one level below the board"),
    "middle": N_("leads a team or an area"),
    "operational": N_("does the day-to-day work"),
    "economic_buyer": N_("signs off the money"),
    "technical_buyer": N_("sets the specification and can veto on technical grounds"),
    "user_buyer": N_("uses what we sell, day to day"),
    "coach": N_("guides us inside the account"),
    "influencer": N_("is heard, but neither signs nor specifies"),
    "gatekeeper": N_("controls access: supplier lists, tenders, who may quote"),
    "sponsor": N_("argues for us inside the customer"),
    "supporter": N_("likes working with us, but does not campaign for us"),
    "neutral": N_("neither for us nor against us"),
    "skeptic": N_("doubts us, but is open to evidence"),
    "anti_sponsor": N_("works against us, often for a competitor"),
}
QUADRANT_MEANINGS = {
    "strength": N_("what the customer does better than its own competitors (inside the "
                   "company)"),
    "weakness": N_("where the customer itself struggles (inside the company)"),
    "opportunity": N_("developments outside the customer that it can use: markets, rules, "
                      "trends"),
    "threat": N_("developments outside the customer that could hurt it"),
}
_QUADRANT_LABELS = {"strength": N_("Strengths"), "weakness": N_("Weaknesses"),
                    "opportunity": N_("Opportunities"), "threat": N_("Threats")}


def interview_note(account_id: str = INTERVIEW_ACCOUNT) -> str:
    """The visit report of the exercise, as Markdown.

    The kit ships one: ``kamkit/data/interview_CX-009.md``, written after a visit to
    Officine Brambilla (CX-009) and consistent with its recorded contacts, needs and
    SWOT.

    Examples
    --------
    >>> interview_note().splitlines()[0]
    '**Visit report — Officine Brambilla S.p.A. (CX-009), Bologna, 16 April 2026**'
    """
    path = resources.files("kamkit") / "data" / f"interview_{account_id}.md"
    if not path.is_file():
        raise UnknownAccountError(account_id, [INTERVIEW_ACCOUNT])
    return path.read_text(encoding="utf-8")


def _fold(text: object) -> str:
    return " ".join(str(text).casefold().replace("_", " ").replace("-", " ").split())


# --------------------------------------------------------------------------------------
# The decision-making unit


def _recorded(portfolio: Portfolio, account_id: str) -> pd.DataFrame:  # noqa: ANN001
    contacts = dossier.decision_making_unit(portfolio, account_id).contacts
    if contacts.empty:
        raise AnswerError(_("no contacts are recorded for this account, so there is nothing "
                            "to compare with."), _("trainer: fill in the contacts table for "
                                                   "{account}.").format(account=account_id))
    return contacts


def _person(name: object, names: Sequence[str]) -> str:
    """The recorded name a written name means: exact (any case), or a unique part of it."""
    text = read_text(name, what=names[0] if names else "")
    folded = {_fold(n): n for n in names}
    if _fold(text) in folded:
        return folded[_fold(text)]
    hits = [n for n in names if _fold(text) in _fold(n)]
    if len(hits) == 1:
        return hits[0]
    near = close_matches(text, names)
    hint = (_("did you mean {choices}?").format(choices=_(" or ").join(
        f'"{s}"' for s in near)) if near else _("the people recorded are {names}.").format(
        names=", ".join(f'"{n}"' for n in names)))
    raise AnswerError(_("{name!r} is not one of the recorded contacts.").format(name=text),
                      hint)


def read_dmu(answer: object, portfolio: Portfolio, account_id: str) -> pd.DataFrame:  # noqa: ANN001
    """The participant's DMU table as a frame, every value checked.

    Parameters
    ----------
    answer : dict
        Name -> ``(level, buying role, attitude, influence)``, for example
        ``{"Luca Greco": ("executive", "technical buyer", "anti-sponsor", 5)}``. Names
        are matched to the recorded contacts (any case, or a unique part); values may be
        codes or labels in any kit language.
    portfolio : Portfolio
    account_id : str

    Returns
    -------
    DataFrame
        ``name`` (as recorded), ``level``, ``buying_role``, ``attitude``, ``influence``.

    Raises
    ------
    AnswerError
        For anything that cannot be read, with what was expected.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> read_dmu({"greco": ("Executive", "technical buyer", "anti-sponsor", 5)},
    ...          company_x(), "CX-009").to_dict("records")
    [{'name': 'Luca Greco', 'level': 'executive', 'buying_role': 'technical_buyer', \
'attitude': 'anti_sponsor', 'influence': 5}]
    """
    example = '("executive", "economic buyer", "sponsor", 5)'
    if not isinstance(answer, Mapping):
        raise AnswerError(_("the answer is not a table of people."),
                          _("fill in the dictionary the exercise gives: each name gets "
                            "{example}.").format(example=example))
    names = _recorded(portfolio, account_id)["name"].astype(str).tolist()
    missing = [str(k) for k, v in answer.items() if v is Ellipsis]
    if missing:
        raise AnswerError(_("some people have no answer yet: {names}.").format(
            names=", ".join(missing)), _("give each of them {example}, then run the cell "
                                         "again.").format(example=example))
    rows = []
    for key, value in answer.items():
        name = _person(key, names)
        if not isinstance(value, (tuple, list)) or len(value) != 4:
            raise AnswerError(_("{name}: write four values in brackets.").format(name=name),
                              _("level, buying role, attitude and influence (1-5), for "
                                "example {example}.").format(example=example))
        level, role, attitude, influence = value
        try:
            rows.append({
                "name": name,
                "level": read_choice(level, label_choices(CONTACT_LEVELS, WORDS),
                                     what=_("level")),
                "buying_role": read_choice(role, label_choices(BUYING_ROLES, WORDS),
                                           what=_("buying role")),
                "attitude": read_choice(attitude, label_choices(ATTITUDES, WORDS),
                                        what=_("type of attitude")),
                "influence": int(read_number(influence, whole=True, minimum=1, maximum=5)),
            })
        except AnswerError as exc:
            raise AnswerError(f"{name}: {exc.message}", exc.hint) from None
    frame = pd.DataFrame(rows, columns=["name", *_FIELDS])
    twice = frame["name"][frame["name"].duplicated()].tolist()
    if twice:
        raise AnswerError(_("{name} is in the table twice.").format(name=twice[0]),
                          _("give each person one line."))
    return frame


def _differences(yours: pd.Series, record: pd.Series) -> list[str]:
    out = [f for f in _FIELDS[:3] if yours[f] != record[f]]
    if abs(int(yours["influence"]) - int(record["influence"])) > INFLUENCE_TOLERANCE:
        out.append("influence")
    return out


_FIELD_LABELS = {"level": N_("level"), "buying_role": N_("buying role"),
                 "attitude": N_("attitude"), "influence": N_("influence")}


def _field_hint(name: str, field: str, yours: pd.Series, record: pd.Series) -> str:
    if field == "influence":
        more = int(yours["influence"]) > int(record["influence"])
        return (_("{name}: you rated the influence {yours}. Does {name} decide, or give "
                  "input that others weigh?") if more else
                _("{name}: you rated the influence {yours}. Can {name} stop or push the "
                  "decision more than you think?")).format(name=name,
                                                           yours=int(yours["influence"]))
    value = yours[field]
    text = _("{name}: you wrote {value}, which means someone who {meaning}.").format(
        name=name, value=value_label(value), meaning=_(MEANINGS[value]))
    if field == "attitude":
        rank = {a: i for i, a in enumerate(ATTITUDES)}
        if rank[value] < rank[record[field]]:
            text += " " + _("Re-read what the note says {name} did about our proposals: "
                            "is that friendlier than it is?").format(name=name)
        else:
            text += " " + _("Re-read the note: {name} may be more on our side than "
                            "that.").format(name=name)
        if {value, record[field]} == {"skeptic", "anti_sponsor"}:
            text += " " + _("A skeptic doubts us; an anti-sponsor works against us.")
        return text
    return text + " " + _("Re-read what the note says about {name}'s part in the "
                          "decision.").format(name=name)


@self_check
def check_dmu(answer: object, portfolio: Portfolio, account_id: str) -> CheckResult:  # noqa: ANN001
    """Exercise "the decision-making unit": does the table match the recorded contacts?

    Level, buying role and attitude must match; influence may differ by one point.

    Parameters
    ----------
    answer : dict
        See :func:`read_dmu`.
    portfolio : Portfolio
    account_id : str

    Returns
    -------
    CheckResult
        The message names every person and field that differs (not the recorded
        value); the hint explains the first, the anti-sponsor first of all.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> check_dmu({"Luca Greco": ("executive", "technical buyer", "neutral", 5)},
    ...           p, "CX-009").status
    'incorrect'
    """
    yours = read_dmu(answer, portfolio, account_id).set_index("name")
    record = _recorded(portfolio, account_id).set_index("name")
    absent = [n for n in record.index if n not in yours.index]
    wrong: dict[str, list[str]] = {}
    close: list[str] = []
    for name in yours.index:
        diff = _differences(yours.loc[name], record.loc[name])
        if diff:
            wrong[name] = diff
        elif int(yours.at[name, "influence"]) != int(record.at[name, "influence"]):
            close.append(name)
    n = len(record)
    if not wrong and not absent:
        hint = (ngettext("Influence is a judgement: {names} differs from the record by one "
                         "point; talk about it.",
                         "Influence is a judgement: {names} differ from the record by one "
                         "point; talk about it.", len(close)).format(names=", ".join(close))
                if close else "")
        return CheckResult("correct", _("Your table matches the record for all {n} people."
                                        ).format(n=n), hint)
    lines = [ngettext("{right} of {n} person matches the record.",
                      "{right} of {n} people match the record.", n).format(
        right=n - len(wrong) - len(absent), n=n)]
    if wrong:
        lines.append(_("Look again at: {people}.").format(people="; ".join(
            f"{name} ({', '.join(_(_FIELD_LABELS[f]) for f in fields)})"
            for name, fields in wrong.items())))
    if absent:
        lines.append(_("Not in your table: {names}.").format(names=", ".join(absent)))
    if wrong:
        first = sorted(wrong, key=lambda k: (record.at[k, "attitude"] != "anti_sponsor",
                                             list(record.index).index(k)))[0]
        field = wrong[first][0]
        hint = _field_hint(first, field, yours.loc[first], record.loc[first])
    else:
        hint = _("The note mentions everyone who takes part in the decision: add a line "
                 "for {name}.").format(name=absent[0])
    return incorrect("\n".join(lines), hint)


def answer_contacts(answer: object, portfolio: Portfolio, account_id: str) -> pd.DataFrame | None:  # noqa: ANN001
    """The participant's table as contacts for :func:`kamkit.charts.dossier.stakeholder_map`.

    The relationship strength (marker size) is the recorded one: the note does not say
    it. None when the answer is not there yet or cannot be read.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> answer_contacts(..., company_x(), "CX-009") is None
    True
    """
    from kamkit.workshop.checks import is_unanswered

    if is_unanswered(answer):
        return None
    try:
        yours = read_dmu(answer, portfolio, account_id)
        record = _recorded(portfolio, account_id)
    except AnswerError:
        return None
    return yours.merge(record[["name", "relationship_strength"]], on="name", how="left")


def answer_map(answer: object, portfolio: Portfolio, account_id: str) -> Figure:  # noqa: ANN001
    """The stakeholder map of the participant's table (or a figure saying it is missing).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> answer_map(..., company_x(), "CX-009").axes[0].texts[0].get_text()[:22]
    'Fill in the table of e'
    """
    from kamkit.charts.dossier import empty_figure, stakeholder_map

    title = _("Your stakeholder map")
    contacts = answer_contacts(answer, portfolio, account_id)
    if contacts is None:
        return empty_figure(title, _("Fill in the table of exercise 1 (and run its cell) to "
                                     "see your map here."))
    return stakeholder_map(contacts, title=title)


# --------------------------------------------------------------------------------------
# The anti-sponsor and the uncovered buying role


@self_check
def check_anti_sponsor(answer: object, portfolio: Portfolio, account_id: str) -> CheckResult:  # noqa: ANN001
    """Exercise "the anti-sponsor": who works against us? (``"none"`` if nobody does.)

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> [check_anti_sponsor(a, p, "CX-009").status for a in ("Greco", "Marino", "none")]
    ['correct', 'incorrect', 'incorrect']
    """
    record = _recorded(portfolio, account_id)
    against = record[record["attitude"] == "anti_sponsor"]
    look = _("Look for someone who works against us, for example for a competitor, and "
             "ask how much influence that person has.")
    if is_none(answer):
        if against.empty:
            return correct(_("Nobody is recorded as working against us here."))
        return incorrect(_("Someone in this account works against us."), look)
    name = _person(answer, record["name"].astype(str).tolist())
    row = record.set_index("name").loc[name]
    facts = {"name": name, "title": row["title"], "influence": format_number(
        row["influence"]), "attitude": value_label(row["attitude"]).lower()}
    if row["attitude"] == "anti_sponsor":
        others = [n for n in against["name"] if n != name]
        message = _("{name} ({title}) works against us, with influence {influence} of 5: "
                    "enough to block the decision.").format(**facts)
        hint = _("There is another one: {names}.").format(names=", ".join(others)) \
            if others else ""
        return CheckResult("correct", message, hint)
    if row["attitude"] == "skeptic":
        return incorrect(_("{name} is a skeptic: doubts us, but does not work against us."
                           ).format(**facts), look)
    return incorrect(_("{name} is recorded as {attitude}.").format(**facts), look)


@self_check
def check_uncovered_role(answer: object, portfolio: Portfolio, account_id: str,  # noqa: ANN001
                         thresholds: dossier.Thresholds | None = None) -> CheckResult:
    """Exercise "the uncovered buying role": which required role does nobody hold?

    The required roles are those of :class:`kamkit.needs.dossier.Thresholds` (economic,
    technical and user buyer, coach); ``"none"`` when all are held.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> [check_uncovered_role(a, p, "CX-010").status
    ...  for a in ("economic buyer", "coach", "Economic buyr")]
    ['correct', 'incorrect', 'invalid']
    """
    limits = thresholds or dossier.Thresholds()
    roles = dossier.decision_making_unit(portfolio, account_id, thresholds=limits).roles
    required = list(limits.required_roles)
    uncovered = roles.loc[roles["buying_role"].isin(required) & ~roles["covered"],
                          "buying_role"].tolist()
    names = ", ".join(value_label(r) for r in required)
    look = _("Compare the buying roles in the table with the ones every key account needs "
             "covered: {roles}.").format(roles=names)
    if is_none(answer):
        if not uncovered:
            return correct(_("Every required buying role has someone we know: {roles}.")
                           .format(roles=names))
        return incorrect(_("One of the required buying roles has nobody in it."), look)
    role = read_choice(answer, label_choices(BUYING_ROLES, WORDS), what=_("buying role"))
    label = value_label(role)
    if role in uncovered:
        others = [value_label(r) for r in uncovered if r != role]
        message = _("Nobody we know is the {role} ({meaning}).").format(
            role=label.lower(), meaning=_(MEANINGS[role]))
        return CheckResult("correct", message, _("Also uncovered: {roles}.").format(
            roles=", ".join(others)) if others else "")
    holders = roles.set_index("buying_role").at[role, "holders"]
    if role not in required:
        return incorrect(_("{role} is not one of the roles the method requires to be "
                           "covered.").format(role=label), look)
    return incorrect(_("{role} is covered: {holders}.").format(role=label, holders=holders),
                     look)


# --------------------------------------------------------------------------------------
# The customer SWOT

#: Words a short similarity test ignores.
_STOPWORDS = frozenset((
    "and", "the", "for", "with", "from", "are", "been", "its", "their", "they", "them",
    "this", "that", "than", "more", "less", "very", "not", "into", "per", "each", "has",
    "have", "had", "over", "under", "about", "all", "any", "our", "ours"))
_PRONOUNS = re.compile(r"(?<!\w)(we|our|ours|us)(?!\w)", re.IGNORECASE)


def _stems(text: str) -> set[str]:
    words = re.findall(r"\w+", str(text).casefold())
    return {w[:6] for w in words if len(w) > 2 and w not in _STOPWORDS}


def _similar(a: str, b: str) -> float:
    """Share of the shorter text's words that the other has too (0 unless two match)."""
    x, y = _stems(a), _stems(b)
    shared = len(x & y)
    if shared < 2:
        return 0.0
    return shared / min(len(x), len(y))


#: Two texts whose similarity reaches this say the same thing.
SAME = 0.5


def read_swot(answer: object) -> dict[str, list[str]]:
    """The SWOT answer: quadrant (``strength`` ...) -> its items.

    A quadrant holds a list of short texts, or one text with items separated by ``;``.

    Examples
    --------
    >>> read_swot({"strengths": "Leader; exporter", "weaknesses": [],
    ...            "opportunities": ["Retrofits"], "threats": ""})["strength"]
    ['Leader', 'exporter']
    """
    values = read_mapping(answer, list(SWOT_KEYS))
    out: dict[str, list[str]] = {}
    for key, quadrant in SWOT_KEYS.items():
        value = values[key]
        if isinstance(value, str):
            items = value.split(";")
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            raise AnswerError(_("{key}: write the items as a list of texts.").format(key=key),
                              _("for example {example}.").format(
                                  example='["Technology leader", "Strong export network"]'))
        bad = [i for i in items if not isinstance(i, str)]
        if bad:
            raise AnswerError(_("{key}: {item!r} is not a text.").format(key=key, item=bad[0]),
                              _("put every item in quotes."))
        out[quadrant] = [i.strip() for i in items if i.strip()]
    return out


def _supplier_words(portfolio: Portfolio, account_id: str) -> list[str]:  # noqa: ANN001
    """Names that make an item about suppliers: our company and the competitors."""
    names = []
    company = portfolio.meta.company
    if company:
        names.append(str(company))
    if portfolio.has("competitors"):
        names += sorted({str(c) for c in portfolio.competitors["competitor"].dropna()})
    return names


def _mentions(item: str, name: str) -> bool:
    folded = item.casefold()
    if name.casefold() in folded:
        return True
    first = name.split()[0].casefold()
    return len(first) > 3 and re.search(rf"(?<!\w){re.escape(first)}(?!\w)", folded) is not None


def _belongs_elsewhere(item: str, quadrant: str, portfolio: Portfolio, account_id: str,  # noqa: ANN001
                       recorded: pd.DataFrame, needs: pd.DataFrame) -> str | None:
    """Why an item does not belong in this quadrant of the customer's SWOT, or None."""
    quote = f"\u201c{item}\u201d"
    pronoun = [m for m in _PRONOUNS.finditer(item) if m.group(0) != "US"]
    named = [n for n in _supplier_words(portfolio, account_id) if _mentions(item, n)]
    if pronoun or named:
        who = named[0] if named else _("us")
        return _("{item} is about {who}, a supplier, not about the customer's own business: "
                 "it belongs in our competitor analysis or in the plan, not in the customer's "
                 "SWOT.").format(item=quote, who=who)
    best_need = max(((float(_similar(item, n)), n) for n in needs["need"].astype(str)),
                    default=(0.0, ""))
    best_swot = max(((float(_similar(item, i)), q, i) for q, i in zip(
        recorded["quadrant"], recorded["item"].astype(str), strict=True)), default=(0.0, "",
                                                                                    ""))
    if best_need[0] >= SAME and best_need[0] > best_swot[0]:
        return _("{item} is what the customer needs from a supplier (the note's needs and "
                 "pain points): it belongs in the needs, not in the customer's SWOT.").format(
            item=quote)
    if best_swot[0] >= SAME and best_swot[1] != quadrant:
        other = best_swot[1]
        return _("{item} looks like the recorded {quadrant} \u201c{recorded}\u201d: {meaning}."
                 ).format(item=quote, quadrant=value_label(other).lower(), recorded=best_swot[2],
                          meaning=_(QUADRANT_MEANINGS[other]))
    return None


@self_check
def check_swot(answer: object, portfolio: Portfolio, account_id: str) -> CheckResult:  # noqa: ANN001
    """Exercise "the customer's SWOT": four quadrants, each item in its place.

    The SWOT describes the customer's own business. Every quadrant needs at least one
    item; an item is sent elsewhere when it is about a supplier (us, our company, a
    competitor of ours), when it says what the customer needs from a supplier (it
    matches a recorded need), or when it matches a recorded SWOT item of another
    quadrant. Matching compares words, so it reads the language of the record.

    Parameters
    ----------
    answer : dict
        ``strengths``, ``weaknesses``, ``opportunities``, ``threats``: lists of texts.
    portfolio : Portfolio
    account_id : str

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> swot = {"strengths": ["Technology leader in pharma packaging"],
    ...         "weaknesses": ["Many machine variants"],
    ...         "opportunities": ["Serialisation retrofits in pharma"],
    ...         "threats": ["Our spare parts are slow abroad"]}
    >>> check_swot(swot, p, "CX-009").status
    'incorrect'
    """
    swot = read_swot(answer)
    found = dossier.needs(portfolio, account_id)
    recorded, needs = found.swot, found.needs
    empty = [q for q in SWOT_KEYS.values() if not swot[q]]
    problems = []
    for quadrant, items in swot.items():
        for item in items:
            why = _belongs_elsewhere(item, quadrant, portfolio, account_id, recorded, needs)
            if why:
                problems.append((quadrant, item, why))
    if not empty and not problems:
        matching = sum(1 for q, items in swot.items() for i in items
                       if any(_similar(i, r) >= SAME for r in recorded.loc[
                           recorded["quadrant"] == q, "item"].astype(str)))
        total = sum(len(v) for v in swot.values())
        message = _("Four quadrants, {total} items, all about the customer.").format(
            total=total)
        if len(recorded):
            message += " " + _("{n} of them match what the account team recorded.").format(
                n=matching)
        return correct(message)
    lines = []
    if empty:
        lines.append(_("Empty: {quadrants}.").format(quadrants=", ".join(
            _(_QUADRANT_LABELS[q]) for q in empty)))
    if problems:
        lines.append(_("In the wrong place: {items}.").format(items="; ".join(
            f"\u201c{item}\u201d ({_(_QUADRANT_LABELS[q]).lower()})"
            for q, item, _why in problems)))
    if empty:
        hint = _("{quadrant}: {meaning}. The note has at least one.").format(
            quadrant=_(_QUADRANT_LABELS[empty[0]]), meaning=_(QUADRANT_MEANINGS[empty[0]]))
    else:
        hint = problems[0][2]
    return incorrect("\n".join(lines), hint)
