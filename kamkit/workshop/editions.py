"""Trainer and participant editions from one source, and static HTML editions.

The committed notebooks in ``notebooks/workshop/`` are the **trainer edition**: they hold
the solutions, between markers (nbgrader's convention), and the instructor notes, in
cells tagged ``instructor``::

    # in a code cell                      <!-- in a Markdown cell -->
    ### BEGIN SOLUTION                    <!-- BEGIN SOLUTION -->
    big_not_key = "CX-004"                A model answer ...
    ### END SOLUTION                      <!-- END SOLUTION -->
    m0.check_big_not_key(big_not_key, p)

:func:`participant_notebook` makes the **participant edition**: instructor cells are
dropped, outputs cleared, and every solution block is replaced by a stub that keeps the
*names* and blanks the *values* with Python's ``...``:

* ``name = value`` becomes ``name = ...  # your answer here``;
* a dictionary entry ``"key": value,`` becomes ``"key": ...,`` (the participant sees the
  keys to fill in);
* any other line of the block is removed; a block with nothing to keep becomes
  ``# your answer here``;
* in Markdown, the block becomes *Your answer here (double-click to edit).*

So an unanswered participant notebook still runs top to bottom: the self-checks after an
exercise answer ``...`` with "not answered yet" (:mod:`kamkit.workshop.checks`), and
cells after an exercise use the answer only through a check. Nothing between markers
survives, in sources or outputs.

:func:`build_handout` writes a folder to hand out (participant notebooks, the data they
read, a README); :func:`build_html` writes a static HTML page per module, for a
participant who cannot install anything. Both write into a temporary folder next to the
target and rename it into place at the end, and refuse to replace an existing folder
unless ``force=True``.
"""

from __future__ import annotations

import ast
import copy
import io
import re
import shutil
import tempfile
import textwrap
import tokenize
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat

from kamkit.exceptions import EditionError, FileSystemError, ParameterError
from kamkit.text.i18n import _, check_language, use_language
from kamkit.workshop.modules import INSTRUCTOR_TAG, MODULES, module_notebooks

__all__ = ["CODE_MARKERS", "MARKDOWN_MARKERS", "EDITIONS", "strip_solutions",
           "solution_lines", "exercise_cells", "code_exercises", "participant_notebook",
           "set_parameters", "build_handout", "build_html", "html_page", "execute"]

CODE_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
MARKDOWN_MARKERS = ("<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->")
EDITIONS = ("participant", "trainer")
EDITION_KEY = "kamkit_edition"

_DICT_ENTRY = re.compile(r"""^\s*((["'])[^"']+\2)\s*:""")


def _markers(cell_type: str) -> tuple[str, str]:
    return CODE_MARKERS if cell_type == "code" else MARKDOWN_MARKERS


def _blocks(source: str, cell_type: str) -> Iterator[tuple[int, int]]:
    """(begin, end) line indexes of each solution block; raises on unbalanced markers."""
    begin, end = _markers(cell_type)
    other = MARKDOWN_MARKERS if cell_type == "code" else CODE_MARKERS
    lines = source.splitlines()
    start = None
    for i, line in enumerate(lines):
        text = line.strip()
        if text in other:
            raise EditionError(_("line {line}: {marker!r} belongs in a {kind} cell; in this "
                                 "cell use {right!r}").format(
                line=i + 1, marker=text, kind=_("Markdown") if cell_type == "code"
                else _("code"), right=begin if text == other[0] else end))
        if text == begin:
            if start is not None:
                raise EditionError(_("line {line}: a solution starts inside another "
                                     "one").format(line=i + 1))
            start = i
        elif text == end:
            if start is None:
                raise EditionError(_("line {line}: {marker!r} without a start").format(
                    line=i + 1, marker=end))
            yield start, i
            start = None
    if start is not None:
        raise EditionError(_("line {line}: the solution is never closed with {marker!r}")
                           .format(line=start + 1, marker=end))


def _code_stub(block: list[str], indent: str, placeholder: str) -> list[str]:
    text = textwrap.dedent("\n".join(block))
    try:
        tree = ast.parse(text)
    except SyntaxError:
        tree = None
    stubs: list[str] = []
    if tree is not None:
        for node in tree.body:
            if isinstance(node, ast.Assign):
                targets = [ast.get_source_segment(text, t) for t in node.targets]
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets = [ast.get_source_segment(text, node.target)]
            else:
                continue
            stubs.append(f"{indent}{' = '.join(t or '' for t in targets)} = ...")
    else:
        for line in block:
            found = _DICT_ENTRY.match(line)
            if found:
                stubs.append(f"{indent}{found[1]}: ...,")
    if not stubs:
        return [f"{indent}# {placeholder}"]
    stubs[0] += f"  # {placeholder}"
    return stubs


def strip_solutions(source: str, cell_type: str = "code") -> str:
    """Replace every solution block of a cell's source by its participant stub.

    Parameters
    ----------
    source : str
        The cell's source.
    cell_type : {"code", "markdown"}

    Returns
    -------
    str

    Raises
    ------
    EditionError
        When markers are unbalanced, nested, or of the other cell type.

    Examples
    --------
    >>> print(strip_solutions('### BEGIN SOLUTION\\nanswer = "CX-004"\\n### END SOLUTION\\n'
    ...                       'check(answer)'))
    answer = ...  # your answer here
    check(answer)
    >>> print(strip_solutions('x = {\\n    ### BEGIN SOLUTION\\n    "a": 5,\\n    "b": 1,\\n'
    ...                       '    ### END SOLUTION\\n}'))
    x = {
        "a": ...,  # your answer here
        "b": ...,
    }
    """
    blocks = list(_blocks(source, cell_type))
    if not blocks:
        return source
    lines = source.splitlines()
    out: list[str] = []
    position = 0
    for begin, end in blocks:
        out += lines[position:begin]
        indent = re.match(r"\s*", lines[begin])[0]  # type: ignore[index]
        if cell_type == "code":
            out += _code_stub(lines[begin + 1:end], indent, _("your answer here"))
        else:
            placeholder = _("Your answer here (double-click to edit).")
            out.append(f"{indent}*{placeholder}*")
        position = end + 1
    out += lines[position:]
    return "\n".join(out)


def solution_lines(nb: nbformat.NotebookNode) -> list[str]:
    """Every non-blank line between solution markers in a notebook, stripped."""
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type not in ("code", "markdown"):
            continue
        lines = cell.source.splitlines()
        for begin, end in _blocks(cell.source, cell.cell_type):
            found += [line.strip() for line in lines[begin + 1:end] if line.strip()]
    return found


def exercise_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indexes of the cells that hold a solution block (code or Markdown)."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type in ("code", "markdown")
            and any(True for _b in _blocks(c.source, c.cell_type))]


def code_exercises(nb: nbformat.NotebookNode) -> list[int]:
    """Indexes of the code cells that hold a solution block."""
    return [i for i in exercise_cells(nb) if nb.cells[i].cell_type == "code"]


def _parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    from kamkit.run.notebooks import parameters_cell

    return parameters_cell(nb)


def set_parameters(nb: nbformat.NotebookNode, values: Mapping[str, Any]) -> None:
    """Set literal values in the notebook's ``parameters`` cell, in place.

    An assignment that is there keeps its place and its trailing comment; a name that
    is not there is added at the end.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells.append(nbformat.v4.new_code_cell('language = "en"  # en, fa, pl, ru',
    ...                                           metadata={"tags": ["parameters"]}))
    >>> set_parameters(nb, {"language": "pl", "portfolio": "data"})
    >>> print(nb.cells[0].source)
    language = 'pl'  # en, fa, pl, ru
    portfolio = 'data'
    """
    cell = _parameters_cell(nb)
    lines = cell.source.splitlines()
    tree = ast.parse(cell.source)
    comments = {tok.start[0]: tok.string for tok in tokenize.generate_tokens(
        io.StringIO(cell.source).readline) if tok.type == tokenize.COMMENT}
    remaining = dict(values)
    for node in reversed(tree.body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name) and node.targets[0].id in remaining:
            name = node.targets[0].id
            end = node.end_lineno or node.lineno
            comment = comments.get(end)
            line = f"{name} = {remaining.pop(name)!r}" + (f"  {comment}" if comment else "")
            lines[node.lineno - 1:end] = [line]
    lines += [f"{name} = {value!r}" for name, value in remaining.items()]
    cell.source = "\n".join(lines)


def participant_notebook(nb: nbformat.NotebookNode,
                         parameters: Mapping[str, Any] | None = None
                         ) -> nbformat.NotebookNode:
    """The participant edition of a trainer notebook (a new notebook; ``nb`` is unchanged).

    Parameters
    ----------
    nb : NotebookNode
        The trainer edition.
    parameters : mapping, optional
        Values to set in the parameters cell (``language``, ``portfolio`` ...).

    Returns
    -------
    NotebookNode
        Instructor cells dropped, solutions replaced by stubs, no outputs.

    Raises
    ------
    EditionError
        When solution markers are unbalanced (the message names the cell).
    """
    out = copy.deepcopy(nb)
    cells = []
    for i, cell in enumerate(out.cells):
        if INSTRUCTOR_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type in ("code", "markdown"):
            try:
                cell.source = strip_solutions(cell.source, cell.cell_type)
            except EditionError as exc:
                raise EditionError(_("cell {cell}: {problem}").format(cell=i,
                                                                      problem=exc)) from None
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    if parameters:
        set_parameters(out, parameters)
    out.metadata[EDITION_KEY] = "participant"
    return out


def execute(nb: nbformat.NotebookNode, folder: str | Path, *, timeout: int = 600
            ) -> nbformat.NotebookNode:
    """Run ``nb`` top to bottom in ``folder`` (where its relative paths resolve), in place.

    Raises the first cell error (nbclient's ``CellExecutionError``).
    """
    from nbclient import NotebookClient

    from kamkit.run.notebooks import clean

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}},
                            record_timing=False, store_widget_state=False,
                            shutdown_kernel="immediate")
    client.execute()
    return clean(nb)


def html_page(nb: nbformat.NotebookNode, language: str = "en") -> str:
    """A static HTML page of an executed notebook, code included, that opens offline
    (:func:`kamkit.reports.html.notebook_page`)."""
    from kamkit.reports.html import notebook_page

    return notebook_page(nb, language, code=True)


@contextmanager
def _staging(out: Path, force: bool) -> Iterator[Path]:
    """A temporary folder next to ``out`` that replaces it when the block succeeds."""
    out = Path(out)
    if out.exists() and not force:
        raise ParameterError("out", _("{out} already exists; choose another folder or use "
                                      "--force to replace it").format(out=out))
    tmp: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        yield tmp
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old",
                                        dir=out.parent))
            old.rmdir()
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):  # a missing source names itself
            raise
        # Name the folder the user asked for, not the staging folder they never see.
        raise FileSystemError.from_os_error(exc, out) from exc
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _copy_portfolio(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _readme(language: str, modules: Mapping[str, str], portfolio: str, html: bool) -> str:
    with use_language(language):
        rows = "\n".join(f"| {code} | {title} | `{name}` |"
                         for code, (title, name) in modules.items())
        parts = [
            "# " + _("Key Account Management workshop: your notebooks"),
            _("This folder holds the workshop's notebooks, one per module, and the data they "
              "read ({portfolio}). All companies, people and figures in the data are "
              "invented.").format(portfolio=f"`{portfolio}`"),
            "## " + _("Modules"),
            f"| {_('Module')} | {_('Title')} | {_('Notebook')} |\n|---|---|---|\n{rows}",
            "## " + _("How to work"),
            _("Open the folder in JupyterLab (your trainer has set it up on your laptop), "
              "open a module and run it from the top: menu Run, then Run All Cells."),
            _("An exercise shows `...` where your answer goes. Replace the `...` with your "
              "answer and run the cell with Shift+Enter. The check below it replies at "
              "once: ✔ correct, ✘ not yet (with a hint), … not answered yet, or ? it "
              "cannot read the answer (with what it expected). Nothing breaks if you skip "
              "an exercise."),
            _("Written exercises say *Your answer here*: double-click the cell, write, then "
              "press Shift+Enter."),
        ]
        if html:
            parts += ["## " + _("Without Python"),
                      _("Cannot install anything? Open `html/index.html` in a web browser: "
                        "every module is there to read, and you answer the exercises on "
                        "paper or in the discussion.")]
        return "\n\n".join(parts) + "\n"


def _trainer_notebook(path: Path, language: str) -> nbformat.NotebookNode:
    """The trainer edition of a module, its narrative in ``language`` (kamkit.text.narrative).

    Solutions are stripped after the translation, whose solution markers the catalog
    check keeps identical to the English ones.
    """
    from kamkit.text.narrative import notebook_key, translated

    return translated(nbformat.read(str(path), as_version=4), notebook_key(path), language)


def _participant_editions(language: str, root: Path | None,
                          parameters: Mapping[str, Any] | None = None
                          ) -> Iterator[tuple[str, Path, nbformat.NotebookNode]]:
    for code, path in module_notebooks(root).items():
        trainer = _trainer_notebook(path, language)
        values = {"language": language, **(parameters or {})}
        yield code, path, participant_notebook(trainer, values)


def build_handout(out: str | Path, *, language: str = "en", html: bool = False,
                  force: bool = False, root: str | Path | None = None,
                  portfolio: str | Path | None = None) -> Path:
    """Write the folder to hand out to participants.

    ``out/`` receives the participant edition of every module that has a notebook, the
    portfolio they read (copied to ``out/datasets/<name>``, and the notebooks' parameter
    pointed at it), a ``README.md`` in ``language`` and, with ``html=True``, the static
    HTML editions in ``out/html/``.

    Parameters
    ----------
    out : path
        The folder to create.
    language : str
        Language of the notebooks' outputs and the README.
    html : bool
        Also write the static HTML editions (runs every module once).
    force : bool
        Replace ``out`` if it exists.
    root : path, optional
        Folder of the trainer notebooks (default: the kit's ``notebooks/workshop``).
    portfolio : path, optional
        Hand out this portfolio (a folder or an ``.xlsx`` workbook, e.g. the
        organisation's own, checked with ``kamkit validate``) instead of the one the
        notebooks name.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    ParameterError
        When ``out`` exists and ``force`` is false.
    EditionError
        When a notebook's solution markers are broken.
    """
    from kamkit.run.notebooks import read_parameters

    language = check_language(language)
    out = Path(out)
    with _staging(out, force) as tmp:
        titles: dict[str, tuple[str, str]] = {}
        copied: dict[Path, str] = {}
        for code, path, nb in _participant_editions(language, Path(root) if root else None):
            source = (Path(portfolio) if portfolio is not None else
                      path.parent / str(read_parameters(path)["portfolio"])).resolve()
            if not source.exists():
                raise ParameterError("portfolio", _("no such file or folder: {path}").format(
                    path=source))
            if source not in copied:
                relative = f"datasets/{source.name}"
                _copy_portfolio(source, tmp / relative)
                copied[source] = relative
            set_parameters(nb, {"portfolio": copied[source]})
            target = tmp / path.name
            nbformat.write(nb, str(target))
            with use_language(language):
                titles[code] = (_(next(m.title for m in MODULES if m.code == code)),
                                path.name)
        if html:
            _write_html(tmp / "html", "participant", language, Path(root) if root else None)
        (tmp / "README.md").write_text(
            _readme(language, titles, ", ".join(sorted(copied.values())), html),
            encoding="utf-8")
    return out


def _write_html(folder: Path, edition: str, language: str, root: Path | None) -> None:
    from kamkit.reports.html import Document, Paragraph, Section, Table, write
    from kamkit.run.notebooks import read_parameters

    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for code, path in module_notebooks(root).items():
        trainer = _trainer_notebook(path, language)
        if edition == "participant":
            nb = execute(participant_notebook(trainer, {"language": language}), path.parent)
        elif read_parameters(path).get("language") != language:
            nb = copy.deepcopy(trainer)
            set_parameters(nb, {"language": language})
            nb = execute(nb, path.parent)
        else:
            nb = trainer  # committed with its outputs, checked by nbval
        name = f"{path.stem}.html"
        (folder / name).write_text(html_page(nb, language), encoding="utf-8")
        with use_language(language):
            title = _(next(m.title for m in MODULES if m.code == code))
        rows.append({"module": code, "module_title": title, "href": name})
    import pandas as pd

    with use_language(language):
        intro = (_("Participant edition: the exercises are open; answer them on paper or in "
                   "the discussion.") if edition == "participant" else
                 _("Trainer edition: with solutions and instructor notes."))
        doc = Document(_("Key Account Management workshop"), [Section(_("Modules"), [
            Paragraph(intro), Table(pd.DataFrame(rows), columns=["module", "module_title"],
                                    links={"module_title": "href"})])])
    write(doc, folder / "index.html", language)


def build_html(out: str | Path, *, edition: str = "participant", language: str = "en",
               force: bool = False, root: str | Path | None = None) -> Path:
    """Write a static HTML page per module and an ``index.html`` into ``out``.

    The participant edition is built and run (its exercises unanswered); the trainer
    edition is the committed notebook as it is (run again only for another language).
    Pages open offline in any browser; widgets show their static form.

    Parameters
    ----------
    out : path
    edition : {"participant", "trainer"}
    language : str
    force : bool
        Replace ``out`` if it exists.
    root : path, optional
        Folder of the trainer notebooks.

    Returns
    -------
    Path
    """
    if edition not in EDITIONS:
        raise ParameterError("edition", _("choose one of {editions}").format(
            editions=", ".join(EDITIONS)))
    language = check_language(language)
    with _staging(Path(out), force) as tmp:
        _write_html(tmp, edition, language, Path(root) if root else None)
    return Path(out)
