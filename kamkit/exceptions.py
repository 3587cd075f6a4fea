"""Every error kamkit raises, under one base class.

Data errors (:class:`DataError` and its children) are the user's to fix: the CLI prints
their message without a traceback and exits with code 2. Parameter errors
(:class:`ParameterError`) say which argument was wrong and what was expected. Every
exception pickles with its arguments intact, because notebooks run in worker processes
and on Dask workers, and an error must arrive at the parent as it was raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from kamkit.validation import ValidationReport

__all__ = [
    "RunInProgress",
    "KamkitError",
    "DataError",
    "PortfolioValidationError",
    "UnknownAccountError",
    "ParameterError",
    "EditionError",
]


class KamkitError(Exception):
    """Base class of every error raised by kamkit."""


class DataError(KamkitError):
    """The user's data cannot be used as it is; the message says where and why."""


class PortfolioValidationError(DataError):
    """A portfolio failed validation.

    Parameters
    ----------
    report : ValidationReport
        Every problem found, errors and warnings, with file, column, row and expectation.
    """

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.render())

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.report,))


class UnknownAccountError(DataError, KeyError):
    """An account id that the portfolio does not hold.

    Parameters
    ----------
    account_id : str
        The id that was asked for.
    suggestions : sequence of str
        Close matches among the portfolio's ids, best first.
    """

    def __init__(self, account_id: str, suggestions: Sequence[str] = ()) -> None:
        self.account_id = account_id
        self.suggestions = tuple(suggestions)
        super().__init__(account_id)

    def __str__(self) -> str:
        from kamkit.i18n import _

        if self.suggestions:
            return _("Unknown account id {id!r}. Did you mean: {matches}?").format(
                id=self.account_id, matches=", ".join(repr(s) for s in self.suggestions)
            )
        return _("Unknown account id {id!r}: no account in the portfolio has this id.").format(
            id=self.account_id
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.account_id, self.suggestions))


class ParameterError(KamkitError, ValueError):
    """A parameter of a kamkit function is outside what the method allows.

    Parameters
    ----------
    parameter : str
        The name of the argument, as the caller wrote it.
    message : str
        What was wrong and what is expected, in the current language.
    """

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        self.message = message
        super().__init__(f"{parameter}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.parameter, self.message))


class RunInProgress(KamkitError):
    """Another ``kamkit run`` is writing to the same run folder; wait for it to finish."""


class EditionError(KamkitError):
    """A workshop edition cannot be built: broken solution markers, or a folder in the way.

    The message names the notebook cell or the folder, and what to do.
    """
