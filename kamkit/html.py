"""Standalone HTML documents: dossiers, plans, report pages.

One renderer serves every document kamkit writes, so they look alike and are safe alike:
every string from the data is escaped (Jinja2 autoescape), its control characters shown
rather than obeyed (:func:`kamkit.artifacts.visible_controls`: a right-to-left override
in a name cannot reverse the page around it), tables come from
:func:`kamkit.present.table` with names and ids isolated in ``<bdi>``, figures are
embedded as PNG data, and the page carries the reader's language and direction
(``<html lang="fa" dir="rtl">`` for Persian). A document is one self-contained file: it
opens offline and can be sent by e-mail.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd
from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from kamkit.artifacts import atomic_write, visible_controls
from kamkit.i18n import _, check_language, text_direction, use_language

__all__ = ["Paragraph", "Table", "Figure", "Notice", "Section", "Document", "render",
           "write"]


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
    """A table, formatted with :func:`kamkit.present.table` when rendered.

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
    from kamkit.present import field, label, table

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
