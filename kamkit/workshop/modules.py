"""The workshop's modules, the day's agenda, and the episode template every module keeps.

A module is one notebook in ``notebooks/workshop/`` named ``<code>_<slug>.ipynb``
(``M0_what_makes_an_account_key.ipynb``). :data:`MODULES` holds each module's title,
length and content, in the order of the day; a module whose notebook is not written yet
is *planned*: it is on the agenda, and the editions skip it.

Every module notebook follows the Carpentries episode template, which
:func:`episode_problems` checks (``tests/test_workshop.py`` runs it on every module):

* the first Markdown cell has the title ``# <code> — <title>`` and the sections
  **Questions**, **Objectives** and **Timing** (``Timing: N min``, as in :data:`MODULES`);
* one code cell tagged ``parameters`` sets at least ``portfolio`` and ``language``;
* exercises are marked with solution markers (:mod:`kamkit.workshop.editions`), and a
  code exercise is followed by a self-check (a ``check_`` call in the same cell or the
  next code cell);
* the last learner cell is Markdown with the **Key points**;
* instructor notes are cells tagged ``instructor``; the participant edition drops them.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd

from kamkit.data.labels import Field, register_fields
from kamkit.text.i18n import N_, _

__all__ = ["Module", "MODULES", "BREAKS", "module", "notebooks_dir", "module_notebooks",
           "agenda", "agenda_markdown", "episode_problems", "INSTRUCTOR_TAG"]

#: Cells with this tag are for the trainer only (dropped from the participant edition).
INSTRUCTOR_TAG = "instructor"


@dataclass(frozen=True)
class Module:
    """One module of the workshop day.

    Attributes
    ----------
    code : str
        ``M0`` ... ``M5``; the notebook's file name starts with it.
    title : str
        English source, marked with ``N_``.
    minutes : int
        Length, teaching and exercises together.
    covers : str
        What it teaches, in one line (``N_``).
    """

    code: str
    title: str
    minutes: int
    covers: str


MODULES: tuple[Module, ...] = (
    Module("M0", N_("What makes an account key"), 60, N_(
        "The definition of KAM and its six points, KAM versus selling skills, a quiz, "
        "the four-language glossary.")),
    Module("M1", N_("Identifying key accounts"), 75, N_(
        "Concentration (Pareto) curve, criteria and weights, the cap on key accounts; "
        "big but not key, the small market leader, may become key; stability of the "
        "list.")),
    Module("M2", N_("The account dossier"), 75, N_(
        "A visit report turned into the decision-making unit; the anti-sponsor and an "
        "uncovered buying role; the customer SWOT; needs, pain points, share of "
        "wallet.")),
    Module("M3", N_("The key account plan"), 75, N_(
        "SMART goals (find the flaw, rewrite the goal), actions by department, "
        "penetrate / expand / protect.")),
    Module("M4", N_("Evaluation and continuous improvement"), 60, N_(
        "Customer lifetime value under scenarios and where the model refuses; the "
        "health score and what drags it down; plan delivery; the next cycle: promote, "
        "demote, rebalance, intervene.")),
    Module("M5", N_("The perception ladder"), 45, N_(
        "Self-assessment of an account on the three steps, moves to climb, the team's "
        "view against the record.")),
)

#: Breaks after a module: module code -> (kind, minutes). The day closes with a wrap-up.
BREAKS: dict[str, tuple[str, int]] = {"M1": ("break", 15), "M2": ("lunch", 60),
                                      "M3": ("break", 15), "M5": ("wrap_up", 15)}

BREAK_LABELS = {"break": N_("Break"), "lunch": N_("Lunch"),
                "wrap_up": N_("Wrap-up and feedback")}
register_fields({
    "start_time": Field(N_("Start"), "text"),
    "end_time": Field(N_("End"), "text"),
    "module": Field(N_("Module"), "text"),
    "module_title": Field(N_("Module title"), "text"),
    "minutes": Field(N_("Minutes"), "int"),
    "covers": Field(N_("What it covers"), "text"),
    "notebook": Field(N_("Notebook"), "text"),
})


def module(code: str) -> Module:
    """The module with ``code`` (``"M5"``)."""
    for m in MODULES:
        if m.code == code.upper():
            return m
    raise KeyError(code)


def notebooks_dir() -> Path:
    """The folder of the trainer notebooks: ``notebooks/workshop`` in the checkout."""
    return Path(__file__).resolve().parents[2] / "notebooks" / "workshop"


def module_notebooks(root: str | Path | None = None) -> dict[str, Path]:
    """The modules that have a notebook: code -> path, in the order of :data:`MODULES`."""
    folder = Path(root) if root is not None else notebooks_dir()
    found: dict[str, Path] = {}
    for m in MODULES:
        hits = sorted(folder.glob(f"{m.code}_*.ipynb"))
        if hits:
            found[m.code] = hits[0]
    return found


def agenda(start: str = "09:00", root: str | Path | None = None) -> pd.DataFrame:
    """The one-day agenda: modules, breaks and lunch with their times.

    Parameters
    ----------
    start : str
        Start of the day, ``HH:MM``.
    root : path, optional
        Folder of the module notebooks (default: the kit's).

    Returns
    -------
    DataFrame
        ``start_time``, ``end_time``, ``module`` (code and title, or the break),
        ``minutes``, ``covers``, ``notebook`` (file name, or "planned").

    Examples
    --------
    >>> day = agenda()
    >>> day["start_time"].iloc[0], day["end_time"].iloc[-1]
    ('09:00', '17:15')
    """
    notebooks = module_notebooks(root)
    clock = _dt.datetime.combine(_dt.date(2000, 1, 1), _dt.time.fromisoformat(start))
    rows = []

    def add(label: str, minutes: int, covers: str, notebook: str) -> None:
        nonlocal clock
        end = clock + _dt.timedelta(minutes=minutes)
        rows.append({"start_time": clock.strftime("%H:%M"), "end_time": end.strftime("%H:%M"),
                     "module": label, "minutes": minutes, "covers": covers,
                     "notebook": notebook})
        clock = end

    for m in MODULES:
        path = notebooks.get(m.code)
        add(f"{m.code} \u2014 {_(m.title)}", m.minutes, _(m.covers),
            path.name if path else _("planned"))
        if m.code in BREAKS:
            kind, minutes = BREAKS[m.code]
            add(_(BREAK_LABELS[kind]), minutes, "", "")
    return pd.DataFrame(rows)


def agenda_markdown(start: str = "09:00", root: str | Path | None = None) -> str:
    """The agenda as a Markdown table (the trainer guide holds exactly this table)."""
    day = agenda(start, root)
    lines = ["| " + " | ".join([_("Time"), _("Module"), _("Minutes"), _("What it covers"),
                                _("Notebook")]) + " |", "|---|---|---|---|---|"]
    for _i, r in day.iterrows():
        notebook = f"`{r['notebook']}`" if r["notebook"].endswith(".ipynb") else r["notebook"]
        lines.append(f"| {r['start_time']}\u2013{r['end_time']} | {r['module']} | "
                     f"{r['minutes']} | {r['covers']} | {notebook} |")
    return "\n".join(lines) + "\n"


_TIMING = re.compile(r"Timing\**:?\**\s*(\d+)\s*min", re.IGNORECASE)


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def episode_problems(path: str | Path) -> list[str]:
    """Every way a module notebook departs from the episode template (empty: none).

    Examples
    --------
    >>> episode_problems(module_notebooks()["M0"])
    []
    """
    from kamkit.run.notebooks import read_parameters
    from kamkit.workshop.editions import code_exercises, exercise_cells

    path = Path(path)
    problems: list[str] = []
    code = path.name.split("_", 1)[0]
    try:
        expected = module(code)
    except KeyError:
        return [f"{path.name}: the file name must start with a module code "
                f"({', '.join(m.code for m in MODULES)})"]
    nb = nbformat.read(str(path), as_version=4)
    learner = [c for c in nb.cells if INSTRUCTOR_TAG not in _tags(c)]
    first = next((c for c in learner if c.cell_type == "markdown"), None)
    if first is None:
        return [f"{path.name}: no Markdown cell"]
    head = first.source
    if not head.startswith(f"# {code} \u2014 {expected.title}"):
        problems.append(f"first cell: the title must be '# {code} \u2014 {expected.title}'")
    for section in ("Questions", "Objectives", "Timing"):
        if section not in head:
            problems.append(f"first cell: no '{section}' section")
    found = _TIMING.search(head)
    if found and int(found[1]) != expected.minutes:
        problems.append(f"first cell: Timing says {found[1]} min, MODULES says "
                        f"{expected.minutes}")
    last = learner[-1]
    if last.cell_type != "markdown" or "Key points" not in last.source:
        problems.append("the last learner cell must be Markdown with the 'Key points'")
    try:
        params = read_parameters(path)
        for name in ("portfolio", "language"):
            if name not in params:
                problems.append(f"parameters cell: no '{name}'")
    except ValueError as exc:
        problems.append(str(exc))
    if not exercise_cells(nb):
        problems.append("no exercise (no solution markers)")
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    for i in code_exercises(nb):
        following = [j for j in code_cells if j > i][:1]
        sources = [nb.cells[i].source] + [nb.cells[j].source for j in following]
        if not any("check_" in s for s in sources):
            problems.append(f"cell {i}: a code exercise without a self-check after it")
    return problems
