"""Self-checks: a participant's answer in, a specific reply out.

Every exercise of the workshop ends with a call such as
``m0.check_big_not_key(big_not_key, p)``. The call never raises: it returns a
:class:`CheckResult` whose ``status`` is one of

* ``correct``: ``ok`` is true; ``message`` says why the answer is right;
* ``incorrect``: a well-formed answer that is wrong; ``hint`` points at what to look
  at, specific to the wrong answer given (not just "try again");
* ``not_answered``: the answer is still the placeholder ``...`` the participant
  edition puts there (or ``None``), so an unanswered exercise never stops the notebook;
* ``invalid``: the answer cannot be read (wrong type, empty, a misspelt name, a
  number out of range); ``hint`` says what the check expected, with close matches.

A result shows itself in a notebook as a coloured box (``text/html``) and as plain
text (``text/plain``), in the current language.

Writing a check for a new exercise
----------------------------------
Decorate the function with :func:`self_check`, read the answer with the ``read_*``
helpers (they raise :class:`AnswerError` for malformed answers, which the decorator
turns into an ``invalid`` result), and return :func:`correct` or :func:`incorrect`::

    @self_check
    def check_cap(answer, portfolio):
        cap = read_number(answer, whole=True, minimum=1)
        if cap == 9:
            return correct(_("Right: ..."))
        return incorrect(_("Not quite."), _("Hint specific to {cap} ...").format(cap=cap))

The decorator also answers ``not_answered`` when the first argument is ``...``,
``None`` or a container whose values are all ``...``.
"""

from __future__ import annotations

import difflib
import functools
import html as _html
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec

from kamkit.data.portfolio import Portfolio
from kamkit.exceptions import KamkitError, UnknownAccountError
from kamkit.text.i18n import (
    LANGUAGES,
    N_,
    _,
    format_number,
    get_language,
    text_direction,
    use_language,
)

__all__ = ["CheckResult", "AnswerError", "STATUSES", "correct", "incorrect", "not_answered",
           "invalid", "self_check", "is_unanswered", "is_none", "read_choice", "read_number",
           "read_text", "read_mapping", "read_weights", "read_account", "read_accounts",
           "close_matches", "label_choices", "NONE_WORDS"]

#: Answers that mean "there is none" (an exercise whose right answer may be nobody).
NONE_WORDS = ("none", "nobody", "no one", "noone", "nothing", "no")

#: The four outcomes of a check, in the order a participant meets them.
STATUSES = ("not_answered", "invalid", "incorrect", "correct")

_TITLES = {
    "correct": N_("Correct"),
    "incorrect": N_("Not yet"),
    "not_answered": N_("Not answered yet"),
    "invalid": N_("Cannot read this answer"),
}
_MARKS = {"correct": "\u2714", "incorrect": "\u2718", "not_answered": "\u2026",
          "invalid": "?"}
_COLOURS = {"correct": "#009E73", "incorrect": "#D55E00", "not_answered": "#56B4E9",
            "invalid": "#E69F00"}


@dataclass(frozen=True)
class CheckResult:
    """The reply of a self-check.

    Parameters
    ----------
    status : str
        One of :data:`STATUSES`.
    message : str
        What the check found, already in the reader's language.
    hint : str
        What to look at next (empty when there is nothing to add).

    Examples
    --------
    >>> r = correct("Nine: three managers with up to three accounts each.")
    >>> r.ok, r.status
    (True, 'correct')
    >>> print(r)
    ✔ Correct: Nine: three managers with up to three accounts each.
    """

    status: str
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def ok(self) -> bool:
        """Whether the answer is right."""
        return self.status == "correct"

    @property
    def title(self) -> str:
        """The translated name of the status (``Correct``, ``Not yet`` ...)."""
        return _(_TITLES[self.status])

    def __str__(self) -> str:
        text = f"{_MARKS[self.status]} {self.title}: {self.message}"
        if self.hint:
            text += "\n  " + _("Hint: {hint}").format(hint=self.hint)
        return text

    def __bool__(self) -> bool:
        return self.ok

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        esc = _html.escape
        def lines(text: str) -> str:
            return "<br>".join(esc(line) for line in text.splitlines())

        hint = (f'<div class="kamkit-check-hint">{lines(_("Hint: {hint}").format(hint=self.hint))}'
                "</div>") if self.hint else ""
        return (f'<div class="kamkit-check kamkit-check-{self.status}" '
                f'dir="{text_direction()}" lang="{get_language()}" '
                f'style="border-inline-start: 4px solid {_COLOURS[self.status]}; '
                'padding: .4rem .7rem; margin-block: .3rem; background: #f7f9fb;">'
                f'<strong>{_MARKS[self.status]} {esc(self.title)}</strong>: '
                f"{lines(self.message)}{hint}</div>")


def correct(message: str) -> CheckResult:
    """A right answer, with ``message`` saying why it is right."""
    return CheckResult("correct", message)


def incorrect(message: str, hint: str) -> CheckResult:
    """A readable but wrong answer; ``hint`` is specific to the answer given."""
    return CheckResult("incorrect", message, hint)


def not_answered(hint: str = "") -> CheckResult:
    """The placeholder is still there: say how to answer, do not fail."""
    return CheckResult("not_answered", _("replace the ... with your answer and run the cell "
                                         "again."), hint)


def invalid(message: str, hint: str = "") -> CheckResult:
    """An answer the check cannot read; ``hint`` says what it expects."""
    return CheckResult("invalid", message, hint)


class AnswerError(KamkitError):
    """An answer that cannot be read; :func:`self_check` turns it into ``invalid``.

    Parameters
    ----------
    message : str
        What is wrong with the answer (translated).
    hint : str
        What the check expects instead (translated).
    """

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.hint))


def is_unanswered(value: object) -> bool:
    """Whether ``value`` is still a placeholder: ``...``, ``None``, or all ``...`` inside.

    Examples
    --------
    >>> is_unanswered(...), is_unanswered({"a": ..., "b": ...}), is_unanswered({"a": 1})
    (True, True, False)
    """
    if value is Ellipsis or value is None:
        return True
    if isinstance(value, Mapping):
        return bool(value) and all(v is Ellipsis for v in value.values())
    if isinstance(value, (list, tuple)):
        return bool(value) and all(v is Ellipsis for v in value)
    return False


P = ParamSpec("P")


def self_check(func: Callable[P, CheckResult]) -> Callable[P, CheckResult]:
    """Make ``func`` a self-check: placeholders and unreadable answers never raise.

    The first argument is the participant's answer. ``...`` or ``None`` gives
    ``not_answered``; an :class:`AnswerError` raised while reading the answer gives
    ``invalid``. Other exceptions are bugs (or wrong arguments from the notebook's own
    code) and propagate.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> CheckResult:
        answer = args[0] if args else next(iter(kwargs.values()), None)
        if is_unanswered(answer):
            return not_answered()
        try:
            return func(*args, **kwargs)
        except AnswerError as exc:
            return invalid(exc.message, exc.hint)

    return wrapper


def close_matches(text: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Choices that look like ``text`` (case and spacing ignored), best first.

    Examples
    --------
    >>> close_matches("loyality", ["price_focus", "loyalty", "joint_value"])
    ['loyalty']
    """
    choices = list(choices)
    folded = {_fold(c): c for c in choices}
    found = difflib.get_close_matches(_fold(text), list(folded), n=n, cutoff=0.6)
    return [folded[f] for f in found]


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().replace("_", " ").replace("-", " ").split())


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return _("yes/no value")
    if isinstance(value, numbers.Number):
        return _("number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, Mapping):
        return _("dictionary")
    if isinstance(value, (list, tuple, set)):
        return _("list")
    return type(value).__name__


def read_text(answer: object, *, what: str = "") -> str:
    """The answer as stripped text; raise :class:`AnswerError` if it is not non-empty text.

    Parameters
    ----------
    answer : object
    what : str
        Example of what is expected, shown in the hint (e.g. ``"CX-001"``).

    Examples
    --------
    >>> read_text("  CX-004 ")
    'CX-004'
    """
    if not isinstance(answer, str):
        raise AnswerError(_("the answer is a {kind}, not text.").format(kind=_type_name(answer)),
                          _("write it as text in quotes, for example \"{example}\".").format(
                              example=what or "CX-001"))
    text = answer.strip()
    if not text:
        raise AnswerError(_("the answer is empty."),
                          _("write your answer between the quotes."))
    return text


def read_number(answer: object, *, whole: bool = False, minimum: float | None = None,
                maximum: float | None = None) -> float:
    """The answer as a number; text that holds a number is accepted.

    Raises :class:`AnswerError` for anything else, for fractions when ``whole`` and for
    numbers outside ``[minimum, maximum]``.

    Examples
    --------
    >>> read_number("9", whole=True)
    9
    >>> read_number(4.0, whole=True)
    4
    """
    value: object = answer
    if isinstance(answer, str):
        text = answer.strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise AnswerError(
                _("{answer!r} is not a number.").format(answer=answer),
                _("write the number without quotes, for example 5.")) from None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or (
            isinstance(value, float) and math.isnan(value)):
        raise AnswerError(_("the answer is a {kind}, not a number.").format(
            kind=_type_name(answer)), _("write the number without quotes, for example 5."))
    number = float(value)
    if whole:
        if not math.isfinite(number) or number != int(number):  # inf: no whole number
            raise AnswerError(_("{value} is not a whole number.").format(
                value=format_number(number, 2)), _("count in whole accounts or points."))
        number = int(number)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        shown = format_number(number, 0 if whole else 2)
        if maximum is None:
            hint = _("choose a number of at least {low}.").format(low=format_number(minimum))
        elif minimum is None:
            hint = _("choose a number of at most {high}.").format(high=format_number(maximum))
        else:
            hint = _("choose a number from {low} to {high}.").format(
                low=format_number(minimum), high=format_number(maximum))
        raise AnswerError(_("{value} is outside the range the question allows.").format(
            value=shown), hint)
    return number


def read_choice(answer: object, choices: Mapping[str, Iterable[str]], *,
                what: str = "") -> str:
    """Which of ``choices`` the answer names; spelling variants and case are forgiven.

    Parameters
    ----------
    answer : object
        Text typed by the participant.
    choices : mapping
        Choice key -> the words that name it (its key, labels in any language ...).
    what : str
        What kind of thing is asked for, for the messages ("step of the ladder").

    Returns
    -------
    str
        The key of the choice.

    Examples
    --------
    >>> read_choice("Commodity Broker", {"commodity_broker": ["Commodity broker"],
    ...                                  "value_enhancer": ["Value enhancer"]})
    'commodity_broker'
    """
    text = read_text(answer, what=next(iter(choices), ""))
    names: dict[str, str] = {}
    for key, words in choices.items():
        names[_fold(key)] = key
        for word in words:
            names.setdefault(_fold(word), key)
    if _fold(text) in names:
        return names[_fold(text)]
    near = close_matches(text, names)
    suggestions = list(dict.fromkeys(names[_fold(n)] for n in near))
    if suggestions:
        hint = _("did you mean {choices}?").format(
            choices=_(" or ").join(f'"{s}"' for s in suggestions))
    else:
        hint = _("choose one of {choices}.").format(
            choices=", ".join(f'"{k}"' for k in choices))
    raise AnswerError(_("{answer!r} is not a {what} this exercise knows.").format(
        answer=text, what=what or _("choice")), hint)


def label_choices(values: Iterable[str], words: Mapping[str, Iterable[str]] | None = None
                  ) -> dict[str, list[str]]:
    """Choices for :func:`read_choice`: each category value with its label in every kit
    language (``anti_sponsor``: "Anti-sponsor", "Антиспонсор" ...) and extra ``words``.

    Examples
    --------
    >>> read_choice("Anti-Sponsor", label_choices(["sponsor", "anti_sponsor"]))
    'anti_sponsor'
    """
    from kamkit.data.labels import value_label

    words = words or {}
    choices: dict[str, list[str]] = {}
    for value in values:
        names = list(words.get(value, ()))
        for language in LANGUAGES:
            with use_language(language):
                names.append(value_label(value))
        choices[value] = names
    return choices


def read_weights(answer: object, names: Iterable[str], *, example: str, unknown: str,
                 listing: str, every: str, one: str) -> dict[str, float]:
    """A dictionary name -> weight (0 or more, not all 0), as a form of sliders gives it.

    The texts name what is weighted (criteria, components ...), already translated:
    ``unknown`` (with ``{key!r}``) for a name not in ``names``, ``listing`` (with
    ``{keys}``) to list them, ``every`` when a weight is left ``...``, ``one`` when all are
    0; ``example`` is a dictionary to show.

    Examples
    --------
    >>> texts = dict(example="{}", unknown="{key!r}?", listing="{keys}", every="", one="")
    >>> read_weights({"a": "0.5", "b": 0}, ["a", "b"], **texts)
    {'a': 0.5, 'b': 0.0}
    >>> read_weights({"c": 1}, ["a", "b"], **texts)
    Traceback (most recent call last):
    ...
    kamkit.workshop.checks.AnswerError: 'c'?
    """
    names = list(names)
    if not isinstance(answer, Mapping):
        raise AnswerError(_("the answer is not a dictionary of weights."),
                          _("fill in the dictionary the exercise gives, for example "
                            "{example}.").format(example=example))
    weights: dict[str, float] = {}
    missing = []
    for key, value in answer.items():
        name = str(key).strip()
        if name not in names:
            near = close_matches(name, names)
            hint = (_("did you mean {choices}?").format(choices=_(" or ").join(
                f'"{s}"' for s in near)) if near else listing.format(
                keys=", ".join(f'"{k}"' for k in names)))
            raise AnswerError(unknown.format(key=name), hint)
        if value is Ellipsis:
            missing.append(name)
            continue
        try:
            weights[name] = read_number(value, minimum=0)
        except AnswerError as exc:
            raise AnswerError(f"{name}: {exc.message}", exc.hint) from None
    if missing:
        raise AnswerError(_("some answers are missing: {keys}.").format(
            keys=", ".join(missing)), every)
    if not any(w > 0 for w in weights.values()):
        raise AnswerError(_("every weight is 0."), one)
    return weights


def read_mapping(answer: object, keys: Iterable[str]) -> dict[str, object]:
    """A dictionary with exactly ``keys``; misspelt keys get a "did you mean".

    Values that are still ``...`` are reported as missing answers.

    Examples
    --------
    >>> read_mapping({"loyalty": 2, "price_focus": 4}, ["price_focus", "loyalty"])
    {'price_focus': 4, 'loyalty': 2}
    """
    keys = list(keys)
    if not isinstance(answer, Mapping):
        raise AnswerError(_("the answer is a {kind}, not a dictionary.").format(
            kind=_type_name(answer)), _("fill in the dictionary the exercise gives: {keys}.")
            .format(keys=", ".join(f'"{k}": ...' for k in keys)))
    unknown = [k for k in answer if k not in keys]
    if unknown:
        name = str(unknown[0])
        near = close_matches(name, keys)
        hint = (_("did you mean {choices}?").format(choices=_(" or ").join(
            f'"{s}"' for s in near)) if near else
            _("the keys are {keys}.").format(keys=", ".join(f'"{k}"' for k in keys)))
        raise AnswerError(_("{key!r} is not one of the questions.").format(key=name), hint)
    missing = [k for k in keys if k not in answer or answer[k] is Ellipsis]
    if missing:
        raise AnswerError(_("some answers are missing: {keys}.").format(
            keys=", ".join(missing)), _("give a value for every key, then run the cell again."))
    return {k: answer[k] for k in keys}


def is_none(answer: object) -> bool:
    """Whether the answer says "there is none" (:data:`NONE_WORDS`, or an empty list).

    Examples
    --------
    >>> is_none("None"), is_none([]), is_none("CX-001")
    (True, True, False)
    """
    if isinstance(answer, (list, tuple, set)):
        return not answer
    return isinstance(answer, str) and _fold(answer) in NONE_WORDS


def read_account(answer: object, portfolio: Portfolio) -> str:  # noqa: ANN001 - Portfolio
    """The account an answer names: its id (any case) or a part of its name.

    Raises :class:`AnswerError` with close matches when no account, or more than one,
    fits.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> p = company_x()
    >>> read_account(" cx-004", p), read_account("voltmarkt", p)
    ('CX-004', 'CX-004')
    """
    if isinstance(answer, (list, tuple, set)):
        raise AnswerError(_("the answer is a list."), _("name one account, as text in quotes."))
    text = read_text(answer, what=str(portfolio.accounts["account_id"].iloc[0]))
    try:
        return portfolio.check_account(text)
    except UnknownAccountError as exc:
        names = portfolio.accounts["name"].astype(str)
        hits = portfolio.accounts.loc[names.str.casefold().str.contains(
            text.casefold(), regex=False), "account_id"].tolist()
        if len(hits) == 1:
            return str(hits[0])
        hint = (_("did you mean {choices}?").format(choices=_(" or ").join(
            f'"{s}"' for s in exc.suggestions)) if exc.suggestions else
            _("copy the account id from the table, for example \"{example}\".").format(
                example=portfolio.accounts["account_id"].iloc[0]))
        raise AnswerError(_("there is no account {answer!r}.").format(answer=text),
                          hint) from None


def read_accounts(answer: object, portfolio: Portfolio) -> list[str]:  # noqa: ANN001 - Portfolio
    """Several accounts: a list of ids or names, or one text with commas between them.

    ``"none"`` (or an empty list) is no account at all. Each account is read with
    :func:`read_account`; the ids come back in the order given, without repeats.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> read_accounts("CX-006, cx-008; CX-006", company_x())
    ['CX-006', 'CX-008']
    >>> read_accounts("none", company_x())
    []
    """
    if is_none(answer):
        return []
    if isinstance(answer, str):
        parts = [x for x in answer.replace(";", ",").split(",") if x.strip()]
    elif isinstance(answer, (list, tuple, set)):
        parts = sorted(answer, key=str) if isinstance(answer, set) else list(answer)
    else:
        raise AnswerError(_("the answer is a {kind}, not a list of accounts.").format(
            kind=_type_name(answer)), _("write the account ids in a list, for example "
                                        "[\"CX-001\", \"CX-002\"], or \"none\"."))
    return list(dict.fromkeys(read_account(x, portfolio) for x in parts))
