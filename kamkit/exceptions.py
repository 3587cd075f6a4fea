"""Every error kamkit raises, under one base class.

Data errors (:class:`DataError` and its children) are the user's to fix: the CLI prints
their message without a traceback and exits with code 2. Parameter errors
(:class:`ParameterError`) say which argument was wrong and what was expected.
:class:`FileSystemError` is a file that could not be read or written (disk full,
read-only, no permission, a file where a folder should be): exit code 4. Every
exception pickles with its arguments intact, because notebooks run in worker processes
and on Dask workers, and an error must arrive at the parent as it was raised.
"""

from __future__ import annotations

import errno as _errno
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from kamkit.data.validation import ValidationReport

__all__ = [
    "RunInProgress",
    "KamkitError",
    "DataError",
    "PortfolioValidationError",
    "UnknownAccountError",
    "ParameterError",
    "EditionError",
    "FileSystemError",
    "whole_number",
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
        from kamkit.text.i18n import _

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


class FileSystemError(KamkitError):
    """A file or folder could not be read or written; the message says which and what to do.

    Raised instead of a bare :class:`OSError` where kamkit writes (every file goes through
    :func:`kamkit.artifacts.atomic_write`) and where a run reads its inputs: disk full,
    read-only file system, no permission, a file where a folder should be or the reverse.

    Parameters
    ----------
    errno : int or None
        The operating system's error number (``errno.ENOSPC`` ...).
    reason : str
        The operating system's description, for errors without advice of their own.
    path : str
        The file or folder kamkit was reading or writing.
    action : {"write", "read", ""}
        What kamkit was doing; ``""`` when it is not known.
    summary : object, optional
        What a run had done before it stopped (a :class:`kamkit.run.batch.RunSummary`).

    Examples
    --------
    >>> import errno
    >>> print(FileSystemError(errno.ENOSPC, "No space left on device", "out/index.html"))
    Could not write out/index.html. The disk is full (or your quota is used up): free some \
space, or write somewhere else, and try again.
    """

    def __init__(self, errno: int | None, reason: str, path: str, action: str = "write",
                 summary: Any = None) -> None:
        self.errno = errno
        self.reason = reason
        self.path = str(path)
        self.action = action
        self.summary = summary
        super().__init__(errno, reason, self.path)

    @classmethod
    def from_os_error(cls, exc: OSError, path: str | Path | None = None,
                      action: str = "write") -> FileSystemError:
        """The error for ``exc``, naming ``path`` (default: the file the error names)."""
        name = path if path is not None else (exc.filename or exc.filename2 or "")
        return cls(exc.errno, exc.strerror or str(exc), str(name), action)

    def __str__(self) -> str:
        from kamkit.text.i18n import _

        path = self.path
        head = {"read": _("Could not read {path}."), "write": _("Could not write {path}.")}.get(
            self.action, _("Could not use {path}.")).format(path=path)
        code = self.errno
        if code in (_errno.ENOSPC, getattr(_errno, "EDQUOT", -1)):
            why = _("The disk is full (or your quota is used up): free some space, or write "
                    "somewhere else, and try again.")
        elif code == _errno.EROFS:
            why = _("The file system is read-only: write somewhere else.")
        elif code in (_errno.EACCES, _errno.EPERM):
            why = {"read": _("Permission denied: make it readable for your user and try "
                             "again."),
                   "write": _("Permission denied: write somewhere you may write to, or "
                              "change the folder's permissions.")}.get(
                self.action, _("Permission denied: check the permissions of the file and "
                               "of its folder."))
        elif code == _errno.ENOTDIR:
            why = _("{blocker} is a file where a folder should be: move or rename it, or "
                    "write somewhere else.").format(blocker=_blocking_file(path))
        elif code == _errno.EISDIR:
            why = _("There is a folder where a file should be: move or rename the folder.")
        elif code == _errno.EEXIST:
            why = _("There is a file where a folder should be: move or rename the file, or "
                    "write somewhere else.")
        else:
            why = self.reason
        return f"{head} {why}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errno, self.reason, self.path, self.action, self.summary))


def _blocking_file(path: str) -> str:
    """The file among ``path`` and its parents that stands where a folder should be."""
    for candidate in (Path(path), *Path(path).parents):
        if candidate.exists() and not candidate.is_dir():
            return str(candidate)
    return path


def whole_number(name: str, value: object, low: int, high: int | None = None) -> int:
    """``value`` as a whole number from ``low`` to ``high``, or a :class:`ParameterError`
    that names the argument ``name`` (a float such as ``3.0`` is read as 3, a bool never).

    >>> whole_number("years", 3.0, 1)
    3
    >>> whole_number("cap", 0, 1, 50)
    Traceback (most recent call last):
    ...
    kamkit.exceptions.ParameterError: cap: a whole number from 1 to 50; got 0
    """
    import numpy as np

    from kamkit.text.i18n import _

    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ParameterError(name, _("a whole number; got {value!r}").format(value=value))
    number = int(value)
    if number < low or (high is not None and number > high):
        if high is None:
            raise ParameterError(name, _("a whole number of {low} or more; got {value}"
                                         ).format(low=low, value=number))
        raise ParameterError(name, _("a whole number from {low} to {high}; got {value}"
                                     ).format(low=low, high=high, value=number))
    return number
