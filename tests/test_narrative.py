"""The notebooks' narrative in the kit's languages (kamkit.text.narrative)."""

from __future__ import annotations

import nbformat
import pytest

from kamkit.run.notebooks import find_notebooks
from kamkit.text import catalogs as i18n_tools
from kamkit.text import narrative
from tests.conftest import ROOT

MODULE = "workshop/M0_what_makes_an_account_key.ipynb"


@pytest.fixture
def catalog(monkeypatch):
    """A stand-in Polish narrative catalog with two paragraphs."""
    table = {("demo.ipynb", "# Title"): "# Tytuł",
             ("demo.ipynb", "Some *story*."): "Jakaś *historia*."}
    monkeypatch.setattr(narrative, "_translations", lambda language: table)
    return table


def _demo() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("x = 1  # code is never translated"),
        nbformat.v4.new_markdown_cell("Some *story*.\n"),
        nbformat.v4.new_markdown_cell("A paragraph nobody translated yet.")])


def test_markdown_is_translated_and_code_is_not(catalog):
    nb = _demo()
    out = narrative.translated(nb, "demo.ipynb", "pl")
    assert [c.source for c in out.cells] == ["# Tytuł", "x = 1  # code is never translated",
                                             "Jakaś *historia*.",
                                             "A paragraph nobody translated yet."]
    assert nb.cells[0].source == "# Title"  # the original is not changed


def test_english_and_other_notebooks_are_left_alone(catalog):
    nb = _demo()
    assert narrative.translated(nb, "demo.ipynb", "en").cells[0].source == "# Title"
    assert narrative.translated(nb, "other.ipynb", "pl").cells[0].source == "# Title"


def test_every_markdown_cell_of_every_notebook_is_a_message():
    template = narrative.extract()
    keys = {(m.context, m.id) for m in template if m.id}
    for path in find_notebooks(ROOT / "notebooks"):
        key = narrative.notebook_key(path)
        for cell in nbformat.read(str(path), as_version=4).cells:
            if cell.cell_type == "markdown" and cell.source.strip():
                assert (key, cell.source.strip("\n")) in keys


def test_solution_markers_must_survive_translation():
    source = "Answer:\n\n<!-- BEGIN SOLUTION -->\nCX-004\n<!-- END SOLUTION -->"
    assert i18n_tools._markers(source) == ["<!-- BEGIN SOLUTION -->",
                                           "<!-- END SOLUTION -->"]
    assert i18n_tools._markers("Odpowiedź: CX-004") != i18n_tools._markers(source)


def test_short_keys_name_long_messages():
    template = narrative.extract()
    message = next(m for m in template if m.id and m.context == MODULE)
    assert len(i18n_tools.short_key(message)) == 12
    assert i18n_tools.message_key(message).startswith(MODULE + "\x04")
