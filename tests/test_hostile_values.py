"""Valid-looking data that used to break a run: ``$`` pairs, infinite and huge numbers."""

from __future__ import annotations

import pandas as pd

from kamkit import present

DOLLARS = "$5 and $6"
FOO = r"Nordwerk $\foo$ GmbH"


# -- Tables: MathJax leaves a "$" in the data alone ----------------------------------------

def test_tables_for_reading_are_no_tex_for_mathjax():
    shown = present.table(pd.DataFrame({"name": [DOLLARS, FOO], "revenue": [1.0, 2.0]}),
                          currency="USD")
    assert isinstance(shown, present.Table) and isinstance(shown, pd.DataFrame)
    for page in (shown._repr_html_(), shown.to_html()):
        # MathJax 2 (nbconvert's pages) skips tex2jax_ignore, MathJax 3 mathjax_ignore
        assert 'class="dataframe tex2jax_ignore mathjax_ignore"' in page
        assert DOLLARS in page and r"$\foo$" in page
    assert shown["Name"].tolist() == [DOLLARS, FOO]
    # only the table itself: the reader's own tables keep pandas' defaults
    assert "mathjax_ignore" not in pd.DataFrame({"a": [DOLLARS]})._repr_html_()
    assert type(shown.iloc[:1]) is pd.DataFrame


def test_report_page_keeps_tables_out_of_mathjax():
    import nbformat
    from IPython.core.formatters import format_display_data
    from nbconvert import HTMLExporter

    data, _meta = format_display_data(present.table(pd.DataFrame({"name": [DOLLARS]})))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data=data)])])
    body, _resources = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert "tex2jax_ignore" in body.split("<table", 1)[1].split(">", 1)[0]
