"""Pages of executed notebooks (kamkit.reports.html.notebook_page): nbconvert's page, faster."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from kamkit.reports.html import NO_DESCRIPTION, notebook_page

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


class _Text(HTMLParser):
    """The text a reader sees (scripts and styles left out) and every tag's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words += data.split()


def _parse(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("code", [False, True])
def test_the_page_says_what_nbconverts_page_says(code):
    from nbconvert import HTMLExporter

    nb = nbformat.read(NOTEBOOKS / "03_account_plan.ipynb", as_version=4)
    ours = _parse(notebook_page(nb, code=code))
    theirs, _resources = HTMLExporter(template_name="lab", exclude_input=not code,
                                      exclude_input_prompt=True,
                                      exclude_output_prompt=True).from_notebook_node(nb)
    assert ours.words == _parse(theirs).words
    assert ("smart_check" in ours.words) is code  # code only where asked for


def test_charts_are_described_and_outputs_take_the_focus():
    nb = nbformat.read(NOTEBOOKS / "02_needs_analysis.ipynb", as_version=4)
    charts = [o["data"]["text/plain"] for c in nb.cells for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert charts and all(t.startswith("[chart: ") for t in charts)
    parsed = _parse(notebook_page(nb, code=False))
    alts = [a["alt"] for tag, a in parsed.tags if tag == "img"]
    assert alts == [t[len("[chart: "):-1] for t in charts]
    outputs = [a for tag, a in parsed.tags
               if tag == "div" and "jp-OutputArea-output" in (a.get("class") or "")]
    assert outputs and all(a.get("tabindex") == "0" for a in outputs)


def test_an_image_without_a_title_gets_nbconverts_words_and_text_stays_text():
    cells = [nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": png, "text/plain": text})])
        for png, text in (("iVBORw0KGgo=", '[chart: "Nord" <b>&</b>]'),
                          ("iVBORw0KGgp=", "<Figure size 640x480 with 1 Axes>"))]
    page = notebook_page(nbformat.v4.new_notebook(cells=cells), "pl", code=False)
    alts = [a["alt"] for tag, a in _parse(page).tags if tag == "img"]
    assert alts == ['"Nord" <b>&</b>', NO_DESCRIPTION]
    assert "<b>&</b>" not in page  # the title is escaped, not markup
    assert '<html lang="pl" dir="ltr">' in page


def test_the_page_fetches_nothing_from_the_internet():
    nb = nbformat.read(NOTEBOOKS / "01_identification.ipynb", as_version=4)
    page = notebook_page(nb, code=False)
    assert not re.search(r"<script[^>]*src=\"https?://", page)
    assert not re.search(r"<script type=\"module\">[^<]*https?://", page)
    assert "Load mathjax" not in page
