"""Standalone HTML documents: dossiers, plans, report pages.

One renderer serves every document kamkit writes, so they look alike and are safe alike:
every string from the data is escaped (Jinja2 autoescape), its control characters shown
rather than obeyed (:func:`kamkit.artifacts.visible_controls`: a right-to-left override
in a name cannot reverse the page around it), tables come from
:func:`kamkit.reports.present.table` with names and ids isolated in ``<bdi>``, figures are
embedded as PNG data, and the page carries the reader's language and direction
(``<html lang="fa" dir="rtl">`` for Persian). A document is one self-contained file: it
opens offline and can be sent by e-mail.
"""

from __future__ import annotations

import base64
import functools
import html as _html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pandas as pd
from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from kamkit.artifacts import atomic_write, visible_controls
from kamkit.text.i18n import _, check_language, text_direction, use_language

__all__ = ["Paragraph", "Table", "Figure", "Notice", "Section", "Document", "render",
           "write", "notebook_page", "page_exporter"]


@dataclass(frozen=True)
class Paragraph:
    """Plain text (escaped); blank lines separate paragraphs."""

    text: str


@dataclass(frozen=True)
class Notice:
    """A highlighted remark: ``level`` is ``info``, ``warning`` or ``alert``."""

    text: str
    level: str = "info"


@dataclass(frozen=True)
class Table:
    """A table, formatted with :func:`kamkit.reports.present.table` when rendered.

    ``links`` maps a shown column to a column of ``frame`` holding relative URLs: the
    cell then links there. Only relative links are rendered (no scheme, no ``//``).
    """

    frame: pd.DataFrame
    columns: Sequence[str] | None = None
    caption: str = ""
    links: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """A matplotlib figure, embedded as PNG; ``alt`` defaults to its title."""

    figure: object
    alt: str = ""


Block = Paragraph | Notice | Table | Figure


@dataclass
class Section:
    """A headed part of a document."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Document:
    """A whole document: title, optional subtitle and facts line, sections."""

    title: str
    sections: list[Section]
    subtitle: str = ""
    facts: Sequence[tuple[str, str]] = ()
    currency: str | None = None
    footer: str = ""


_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}" dir="{{ dir }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kamkit">
<title>{{ doc.title }}</title>
<style>
body { font-family: "DejaVu Sans", "Vazirmatn", "Noto Sans", "Segoe UI", Arial, sans-serif;
       margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: #1d2430; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-block: 0 .25rem; }
h2 { font-size: 1.2rem; margin-block-start: 2rem; border-block-end: 2px solid #0072B2;
     padding-block-end: .2rem; }
.subtitle { color: #4a5565; margin-block: 0 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin-block: .5rem 1rem; font-size: .9rem; }
th, td { border-block-end: 1px solid #d8dde6; padding: .3rem .6rem; text-align: start;
         vertical-align: top; }
th { background: #eef2f7; }
caption { caption-side: top; text-align: start; font-weight: bold; padding-block: .3rem; }
img { max-width: 100%; height: auto; display: block; margin-block: .5rem 1rem; }
.notice { padding: .5rem .8rem; border-inline-start: 4px solid #56B4E9; background: #f1f8fc;
          margin-block: .5rem; }
.notice.warning { border-color: #E69F00; background: #fdf6e7; }
.notice.alert { border-color: #D55E00; background: #fcefe8; }
footer { margin-block-start: 2rem; color: #6b7585; font-size: .8rem; }
nav ul { padding-inline-start: 1.2rem; }
</style>
</head>
<body>
<header>
<h1>{{ doc.title }}</h1>
{% if doc.subtitle %}<p class="subtitle">{{ doc.subtitle }}</p>{% endif %}
{% if doc.facts %}<dl class="facts">
{% for k, v in doc.facts %}<dt>{{ k }}</dt><dd>{{ v }}</dd>
{% endfor %}</dl>{% endif %}
</header>
{% if doc.sections|length > 2 %}<nav><h2>{{ contents }}</h2><ul>
{% for s in doc.sections %}<li><a href="#{{ s.anchor }}">{{ s.title }}</a></li>
{% endfor %}</ul></nav>{% endif %}
<main>
{% for s in doc.sections %}<section id="{{ s.anchor }}">
<h2>{{ s.title }}</h2>
{% for b in s.blocks %}{{ b }}
{% endfor %}</section>
{% endfor %}</main>
{% if doc.footer %}<footer>{{ doc.footer }}</footer>{% endif %}
</body>
</html>
"""

def _text(value: object) -> object:
    """Text for the page: control characters shown (escaping follows); markup as it is."""
    return value if isinstance(value, Markup) or not isinstance(value, str) else \
        visible_controls(value)


_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True),
                   keep_trailing_newline=True, finalize=_text)
_TEMPLATE = _ENV.from_string(_PAGE)


def _block(block: Block, currency: str | None) -> Markup:
    if isinstance(block, Paragraph):
        paras = [p.strip() for p in visible_controls(block.text).split("\n\n") if p.strip()]
        return Markup("").join(
            Markup("<p>{}</p>").format(Markup("<br>\n").join(p.splitlines())) for p in paras)
    if isinstance(block, Notice):
        return Markup('<div class="notice {}">{}</div>').format(block.level,
                                                                 _text(block.text))
    if isinstance(block, Table):
        return _table(block, currency)
    if isinstance(block, Figure):
        from kamkit.charts import title_of, to_png

        data = base64.b64encode(to_png(block.figure)).decode("ascii")  # type: ignore[arg-type]
        alt = block.alt or title_of(block.figure)  # type: ignore[arg-type]
        return Markup('<img alt="{}" src="data:image/png;base64,{}">').format(_text(alt), data)
    raise TypeError(f"unknown block {type(block).__name__}")


def _safe_href(href: object) -> str | None:
    """A relative URL, percent-encoded; None for anything that could leave the report."""
    if not isinstance(href, str) or not href:
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("/", "\\")):
        return None
    return quote(href, safe="/#.-_~")


def _table(block: Table, currency: str | None) -> Markup:
    from kamkit.data.labels import field, label
    from kamkit.reports.present import table

    names = list(block.columns) if block.columns is not None else [
        c for c in block.frame.columns if c not in block.links.values()]
    shown = table(block.frame, columns=names, currency=currency)
    # Free text (names, ids, titles) takes its direction from itself, apart from the
    # page's: a Persian name in an English table, or the reverse, keeps its letters and
    # its neighbours in order. Numbers and categories follow the page.
    isolated = [field(c).fmt == "text" for c in names]
    out = [Markup("<table>")]
    if block.caption:
        out.append(Markup("<caption>{}</caption>").format(_text(block.caption)))
    out.append(Markup("<thead><tr>") + Markup("").join(
        Markup("<th>{}</th>").format(_text(label(c))) for c in names) + Markup("</tr></thead>"))
    out.append(Markup("<tbody>"))
    for i in range(len(shown)):
        cells = []
        for j, name in enumerate(names):
            text = shown.iat[i, j]
            text = Markup("<bdi>{}</bdi>").format(_text(text)) if isolated[j] else _text(text)
            href = _safe_href(block.frame[block.links[name]].iloc[i]) if name in block.links \
                else None
            cell = Markup('<a href="{}">{}</a>').format(href, text) if href else \
                Markup("{}").format(text)
            cells.append(Markup("<td>{}</td>").format(cell))
        out.append(Markup("<tr>") + Markup("").join(cells) + Markup("</tr>"))
    out.append(Markup("</tbody></table>"))
    return Markup("\n").join(out)


def render(document: Document, language: str | None = None) -> str:
    """Render ``document`` as one self-contained HTML page.

    Parameters
    ----------
    document : Document
    language : str, optional
        Sets ``lang`` and ``dir`` of the page and the language of table headers;
        defaults to the current language.

    Returns
    -------
    str

    Examples
    --------
    >>> doc = Document("<Dossier>", [Section("One", [Paragraph("a < b")])])
    >>> page = render(doc, language="fa")
    >>> '<html lang="fa" dir="rtl">' in page, "&lt;Dossier&gt;" in page, "<Dossier>" in page
    (True, True, False)
    """
    code = check_language(language)
    with use_language(code):
        sections = []
        for i, s in enumerate(document.sections):
            anchor = s.anchor or f"s{i + 1}"
            blocks = [_block(b, document.currency) for b in s.blocks]
            sections.append(Section(s.title, blocks, anchor))  # type: ignore[arg-type]
        doc = Document(document.title, sections, document.subtitle, document.facts,
                       document.currency, document.footer)
        return _TEMPLATE.render(doc=doc, lang=code, dir=text_direction(code),
                                contents=_("Contents"))


def write(document: Document, path: str | Path, language: str | None = None) -> Path:
    """Render ``document`` and write it atomically to ``path`` (UTF-8)."""
    page = render(document, language)
    return atomic_write(path, lambda tmp: tmp.write_text(page, encoding="utf-8"))


# --------------------------------------------------------------------------------------
# Pages of executed notebooks

_CDN_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*')
_CDN_MODULE = re.compile(r'<script type="module">(?:(?!</script>).)*?https?://.*?</script>\s*',
                         re.S)
_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->\s*",
                      re.S)
_PNG = re.compile(r'<img src="data:image/png;base64,([^"]*)"')
_FOCUSABLE = re.compile(r'(<div class="[^"]*\bjp-(?:Cell-inputWrapper|OutputArea-output)\b[^"]*")')
#: nbconvert's words for an image that says nothing about itself.
NO_DESCRIPTION = "No description has been provided for this image"


def notebook_page(nb: Any, language: str = "en", *, code: bool = True) -> str:
    """A static HTML page of an executed notebook that opens offline.

    The page holds what the notebook holds: narrative, tables, charts (embedded), the
    static form of the widgets and, with ``code``, the code. Scripts from the internet
    (require.js, MathJax, Mermaid) are left out: a page for someone without a kernel
    needs none of them, and the page then never waits for the network. Every chart's
    alternative text is the text the notebook gave it (``[chart: title]`` from
    :func:`kamkit.charts.show`: the title); outputs can take the keyboard's focus.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("show(fig)", outputs=[nbformat.v4.new_output(
    ...     "display_data", data={"image/png": "iVBORw0K", "text/plain": "[chart: A < B]"})])
    >>> page = notebook_page(nbformat.v4.new_notebook(cells=[cell]), "fa", code=False)
    >>> '<html lang="fa" dir="rtl">' in page, 'alt="A &lt; B"' in page, "show(fig)" in page
    (True, True, False)
    """
    lang = check_language(language)
    body, _resources = page_exporter(code).from_notebook_node(nb)
    body = _MATHJAX.sub("", body)
    body = _CDN_SCRIPT.sub("", _CDN_MODULE.sub("", body))
    alt = _chart_texts(nb)
    body = _PNG.sub(lambda m: f'<img alt="{_html.escape(alt.get(m.group(1), NO_DESCRIPTION))}"'
                    f' src="data:image/png;base64,{m.group(1)}"', body)
    body = _FOCUSABLE.sub(r'\1 tabindex="0"', body)
    return re.sub(r"<html[^>]*>", f'<html lang="{lang}" dir="{text_direction(lang)}">', body,
                  count=1)


def _chart_texts(nb: Any) -> dict[str, str]:
    """Each PNG output's data -> its alternative text (the chart's title)."""
    from kamkit.charts import chart_title

    texts = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            png = data.get("image/png")
            if isinstance(png, str):
                plain = data.get("text/plain", "")
                plain = "".join(plain) if isinstance(plain, list) else str(plain)
                title = chart_title(plain)
                texts[png.strip()] = NO_DESCRIPTION if title is None else title
    return texts


@functools.cache
def page_exporter(code: bool) -> Any:
    """nbconvert's HTML exporter (``lab`` template), one per process and kind of page.

    nbconvert's own ``HTMLExporter`` parses the whole page again with BeautifulSoup to
    add an image's alternative text and the outputs' ``tabindex``: about two thirds of
    a page's cost, for two attributes. This exporter renders the template the same way
    and adds them with :func:`notebook_page`'s patterns (the page is the template's
    output, whose markup nbconvert's pinned version fixes).
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.html import Highlight2HTML, WidgetsDataTypeFilter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class _Exporter(HTMLExporter):  # type: ignore[misc]
        def from_notebook_node(self, nb: Any, resources: Any = None,
                               **kw: Any) -> tuple[str, Any]:  # type: ignore[override]
            # HTMLExporter.from_notebook_node up to its BeautifulSoup pass.
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return _Exporter(template_name="lab", exclude_input=not code, exclude_input_prompt=True,
                     exclude_output_prompt=True)
