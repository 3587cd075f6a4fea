"""The notebooks' narrative in the kit's languages.

The story a notebook tells lives in its Markdown cells, written in English in the
committed notebooks. Their translations are gettext catalogs of their own (the
``notebooks`` domain, beside the code's ``kamkit`` domain): each Markdown cell is a
message whose context is the notebook's path under ``notebooks/``. The same tools keep
them current (``python3 tasks.py catalogs``; ``python -m kamkit.text.catalogs export
--domain notebooks`` lists what awaits a translator), and the same test fails when a
paragraph lacks its translation or a translation outlived its paragraph.

:func:`translated` gives a copy of a notebook whose Markdown is in another language;
``kamkit run --language fa`` executes that copy, so the executed notebooks and their HTML
pages tell the story in Persian, and the workshop's editions
(``kamkit workshop build --language pl``) hand out Polish notebooks. Code cells are
never changed: only what a reader reads.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog

from kamkit.text.i18n import DEFAULT_LANGUAGE, LOCALE_DIR, check_language

__all__ = ["DOMAIN", "NOTEBOOKS", "extract", "translated", "notebook_key"]

DOMAIN = "notebooks"
#: The kit's notebooks folder (in a checkout).
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def notebook_key(path: str | Path, root: str | Path = NOTEBOOKS) -> str:
    """The catalog context of a notebook: its path under ``root`` (POSIX), else its name.

    Examples
    --------
    >>> notebook_key(NOTEBOOKS / "workshop" / "M1_identifying_key_accounts.ipynb")
    'workshop/M1_identifying_key_accounts.ipynb'
    """
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return path.name


def extract(root: str | Path = NOTEBOOKS) -> Catalog:
    """Every Markdown cell of the notebooks under ``root``, as a template catalog.

    Examples
    --------
    >>> template = extract()
    >>> any(m.context == "01_identification.ipynb" for m in template if m.id)
    True
    """
    from kamkit.run.notebooks import find_notebooks
    from kamkit.text.catalogs import _FIXED_HEADER

    catalog = Catalog(fuzzy=False, **_FIXED_HEADER)  # type: ignore[arg-type]
    root = Path(root)
    for path in find_notebooks(root):
        key = notebook_key(path, root)
        nb = nbformat.read(str(path), as_version=4)
        for index, cell in enumerate(nb.cells):
            text = cell.source.strip("\n")
            if cell.cell_type == "markdown" and text.strip():
                comment = [f"cell {cell.get('id', index)}"]
                if "instructor" in cell.get("metadata", {}).get("tags", []):
                    comment.append("instructor note")
                catalog.add(text, None, [(f"notebooks/{key}", index)], auto_comments=comment,
                            context=key)
    return catalog


@functools.cache
def _translations(language: str) -> dict[tuple[str, str], str]:
    path = Path(LOCALE_DIR) / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    return {(m.context or "", m.id): m.string for m in catalog
            if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def translated(nb: nbformat.NotebookNode, key: str, language: str | None
               ) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose Markdown cells are in ``language`` where a translation exists.

    Parameters
    ----------
    nb : NotebookNode
    key : str
        The notebook's catalog context (:func:`notebook_key`).
    language : str or None
        ``None`` or English returns an unchanged copy.

    Returns
    -------
    NotebookNode
        Code cells untouched; a paragraph without a (current) translation stays English.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
    >>> translated(nb, "none.ipynb", "fa").cells[0].source
    '# Title'
    """
    out = copy.deepcopy(nb)
    code = check_language(language) if language else DEFAULT_LANGUAGE
    if code == DEFAULT_LANGUAGE:
        return out
    table = _translations(code)
    for cell in out.cells:
        if cell.cell_type == "markdown":
            text = table.get((key, cell.source.strip("\n")))
            if text:
                cell.source = text
    return out
