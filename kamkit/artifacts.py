"""Files kamkit writes: atomic writes, safe names, and plain JSON results.

Per-account notebooks hand their key figures to the portfolio review as small JSON
files. Everything written goes through :func:`atomic_write`, so a reader never sees a
half-written file and an interrupted run leaves either the old file or the new one.
Account ids are user data: :func:`account_slug` turns any id into a file name that
stays inside its folder, whatever the id holds (``/``, ``..``, quotes, ``<script>``,
Persian or Cyrillic letters), and :func:`visible_controls` shows the control characters
an id or a name may hold instead of letting them steer a terminal or flip a page.

A file that cannot be written (disk full, read-only, no permission, a file or folder in
the way) raises :class:`kamkit.exceptions.FileSystemError` naming it, and leaves no
temporary file behind.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import hashlib
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kamkit.exceptions import FileSystemError

__all__ = ["atomic_write", "write_json", "read_json", "account_slug", "to_jsonable",
           "account_dir", "inside", "result_path", "write_result", "RESULT_FILES",
           "visible_controls", "shown_character", "CONTROLS"]

_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
_MAX_SLUG = 60
_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(target: str | Path, write: Callable[[Path], object]) -> Path:
    """Write ``target`` through a temporary file in the same folder, then rename it.

    Parameters
    ----------
    target : str or Path
        The file to create or replace.
    write : callable
        Called with the temporary path; must write the complete file there.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    FileSystemError
        When the file cannot be written (disk full, read-only, no permission, a file
        where a folder should be, a folder where the file should be); the temporary file
        is removed.
    """
    target = Path(target)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        write(Path(tmp))
        # mkstemp makes owner-only files; give the file the mode an ordinary one would get.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):  # the folder itself went away
                Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            # The parent's mkdir names the folder in the way; everything else names the
            # file being written (not the temporary name the user never sees).
            blocked = exc.errno in (errno.ENOTDIR, errno.EEXIST) and exc.filename and \
                Path(exc.filename) != Path(tmp or "")
            raise FileSystemError.from_os_error(
                exc, exc.filename if blocked else target) from exc
        raise
    return target


#: C0 and C1 controls (but tab and newline), DEL, and the bidirectional embeddings,
#: overrides, isolates and marks: in an id or a name they colour or clear a terminal, or
#: reverse the text around them.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                       "\u2066-\u2069]")
_ISOLATE_OPEN, _ISOLATE_CLOSE = "\u2066\u2067\u2068", "\u2069"
_MARKS, _SIGNS = "\u061c\u200e\u200f", "\u2212-+"


def visible_controls(text: object) -> str:
    r"""``text`` with its control characters shown (``\x1b``, ``<U+202E>``), not obeyed.

    Ids and names are data: an escape sequence in one must not recolour or clear the
    terminal, and a right-to-left override must not reverse the text that follows it.
    Kept as they are: tab and newline, isolates that close again on the same line
    (kamkit wraps names written against the language's direction in them), and a
    direction mark before a sign (the Persian minus sign carries one).

    Examples
    --------
    >>> visible_controls("ACME\x1b[2J")
    'ACME\\x1b[2J'
    >>> visible_controls("abc\u202etxt.exe")
    'abc<U+202E>txt.exe'
    >>> visible_controls("\u2068پارس\u2069") == "\u2068پارس\u2069"
    True
    """
    text = str(text)
    if not CONTROLS.search(text):
        return text
    kept: set[int] = set()
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            opened.clear()
        elif ch in _ISOLATE_OPEN:
            opened.append(i)
        elif ch == _ISOLATE_CLOSE and opened:
            kept.update((opened.pop(), i))
        elif ch in _MARKS and text[i + 1:i + 2] in tuple(_SIGNS):
            kept.add(i)
    return "".join(shown_character(ch) if i not in kept and CONTROLS.match(ch) else ch
                   for i, ch in enumerate(text))


def shown_character(ch: str) -> str:
    """How one control or invisible character is shown: ``\\x1b`` or ``<U+202E>``."""
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"<U+{code:04X}>"


def to_jsonable(value: Any) -> Any:
    """Turn pandas/numpy values, dataclasses and dates into plain JSON values.

    NaN and missing values become ``None``; timestamps become ISO dates
    (``2026-06-30``) or date-times; DataFrames become lists of records.

    Examples
    --------
    >>> to_jsonable({"a": np.float64(1.5), "b": pd.Timestamp("2026-06-30"), "c": float("nan")})
    {'a': 1.5, 'b': '2026-06-30', 'c': None}
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        return [to_jsonable(v) for v in items]
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_jsonable(getattr(value, k)) for k in value.__dataclass_fields__
                if not k.startswith("_")}
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict())
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_json(path: str | Path, data: Any) -> Path:
    """Write ``data`` as UTF-8 JSON atomically, with sorted keys (stable diffs).

    Returns
    -------
    Path
        The written file.
    """
    text = json.dumps(to_jsonable(data), ensure_ascii=False, indent=2, sort_keys=True,
                      allow_nan=False) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_json(path: str | Path) -> Any:
    """Read a JSON file written by :func:`write_json`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def account_slug(account_id: object) -> str:
    """A file-name-safe, unique, readable name for an account id.

    Letters and digits of any script are kept; anything else becomes ``-``. When the
    id had to change (or is empty, reserved on Windows, or too long) a short hash of
    the original id is appended, so two different ids never share a slug.

    Examples
    --------
    >>> account_slug("CX-007")
    'CX-007'
    >>> account_slug("../etc/passwd")
    'etc-passwd-7fef78f5'
    >>> account_slug("پارس")
    'پارس'
    """
    text = unicodedata.normalize("NFC", str(account_id))
    slug = _UNSAFE.sub("-", text).strip("-_")[:_MAX_SLUG].strip("-_")
    if slug != text or not slug or slug.lower() in _RESERVED:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else f"account-{digest}"
    return slug


def account_dir(root: str | Path, account_id: object) -> Path:
    """The folder under ``root`` where one account's outputs live (not created)."""
    return Path(root) / "accounts" / account_slug(account_id)


#: Result files of the stages, by kind: portfolio-level ones sit in the run folder,
#: per-account ones in :func:`account_dir`. Their contents are described in
#: docs/architecture.md ("Results the notebooks write").
RESULT_FILES = {"identification": "identification.json", "dossier": "dossier.json",
                "plan": "plan.json", "evaluation": "evaluation.json",
                "review": "review.json"}


def result_path(output_dir: str | Path, kind: str, account_id: object | None = None) -> Path:
    """Where a stage writes its result: ``<output_dir>/[accounts/<slug>/]<kind>.json``.

    Examples
    --------
    >>> result_path("reports/x", "dossier", "CX-001").as_posix()
    'reports/x/accounts/CX-001/dossier.json'
    """
    name = RESULT_FILES[kind]
    folder = Path(output_dir) if account_id is None else account_dir(output_dir, account_id)
    return folder / name


def write_result(output_dir: str | Path | None, kind: str, data: Any,
                 account_id: object | None = None) -> Path | None:
    """Write a stage's result where the review and the batch runner look for it.

    ``output_dir=None`` (a notebook opened for reading or teaching) writes nothing.
    """
    if output_dir is None:
        return None
    return write_json(result_path(output_dir, kind, account_id), data)


def inside(root: str | Path, path: str | Path) -> bool:
    """Whether ``path`` resolves to a place inside ``root`` (symlinks followed)."""
    root_r = Path(root).resolve()
    try:
        Path(path).resolve().relative_to(root_r)
    except ValueError:
        return False
    return True
