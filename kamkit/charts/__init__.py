"""Charts: matplotlib figures drawn from tables that the stage modules computed.

Charts never compute metrics; they draw what they are given. Each chart function
returns a :class:`matplotlib.figure.Figure` built with the object-oriented API (no
pyplot state, safe in threads and worker processes). In a notebook, :func:`show`
displays it as a PNG with a one-line text alternative, so the notebook stores no
``<Figure size ...>`` text and no memory addresses, and nbval compares only the
deterministic text.

Text in any script renders as it should: matplotlib >= 3.11 lays out right-to-left
scripts itself (libraqm), and the default font, DejaVu Sans, covers Latin, Cyrillic and
Persian letters. Pass plain strings; never pre-shape them. :mod:`kamkit.charts.fonts`
says whether the chart font has a glyph for every character of a text, and
:func:`number_formatter` writes axis numbers like the tables do (language's separators,
Persian digits when chosen).

Text from the data is drawn as it is written: a ``$`` in an account name, a SWOT item
or an action is a dollar sign, never the start of TeX math (matplotlib's mathtext).
:data:`STYLE` turns ``text.parse_math`` off and :func:`new_figure` makes a
:class:`ChartFigure`, which keeps it off for the tick labels matplotlib creates while it
draws. A text that is meant as math says so itself: ``ax.text(..., parse_math=True)``.

The stage modules' charts live in submodules (``kamkit.charts.identification`` ...).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from kamkit.text.i18n import format_number, get_language, get_numerals, text_direction, use_language

__all__ = ["STYLE", "PALETTE", "NONE_COLOUR", "ChartFigure", "chart", "new_figure", "placeholder",
           "show", "to_png", "save_png", "title_of", "chart_text", "chart_title", "style",
           "number_formatter", "wrap"]

#: Colours used across kamkit, colour-blind safe (Okabe-Ito), in a fixed order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")
RAG = {"red": "#D55E00", "amber": "#E69F00", "green": "#009E73"}
#: Background of what has no data (an empty cell, a chart without data).
NONE_COLOUR = "#f2f4f7"

STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.5,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "svg.hashsalt": "kamkit",
    # Names, SWOT items and actions are data: "$5 and $6" keeps its dollar signs.
    "text.parse_math": False,
}

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def style(language: str | None = None) -> Iterator[str]:
    """Apply kamkit's chart style and a language while a chart is built."""
    with matplotlib.rc_context(STYLE), use_language(language) as code:
        yield code


def chart(func: Callable[P, Figure]) -> Callable[P, Figure]:
    """Decorate a chart function: kamkit style, and a ``language`` keyword it honours."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        language = kwargs.pop("language", None)
        with style(language):  # type: ignore[arg-type]
            fig = func(*args, **kwargs)
            fig.set_layout_engine("constrained")
            return fig

    return wrapper


class ChartFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` whose tick labels are plain text.

    Every text made inside a :func:`chart` function is plain (``text.parse_math`` is off
    in :data:`STYLE`), but matplotlib makes most tick labels later, while it lays out or
    draws the figure, outside the style. Then an account name like ``Nordwerk $\\foo$``
    on an axis would be read as TeX and stop the drawing. This figure draws and measures
    itself with ``text.parse_math`` off and makes any tick labels that already exist
    plain, so whoever draws it (``savefig``, a notebook, :func:`to_png`) gets the text
    as written. Other texts keep what they were made with (``parse_math=True`` if a
    chart asked for math).
    """

    def _plain_tick_labels(self) -> None:
        for ax in self.axes:
            for axis in ax._axis_map.values():
                for tick in (*axis.majorTicks, *axis.minorTicks):
                    tick.label1.set_parse_math(False)
                    tick.label2.set_parse_math(False)

    def draw(self, renderer: Any) -> None:  # noqa: D102 - as Figure.draw
        with matplotlib.rc_context({"text.parse_math": False}):
            self._plain_tick_labels()
            super().draw(renderer)

    def get_tightbbox(self, renderer: Any = None, **kwargs: Any) -> Any:  # noqa: D102
        with matplotlib.rc_context({"text.parse_math": False}):
            self._plain_tick_labels()
            return super().get_tightbbox(renderer, **kwargs)


def new_figure(width: float = 7.0, height: float = 4.0) -> Figure:
    """A new, empty figure (call inside a :func:`chart` function to get the style)."""
    return ChartFigure(figsize=(width, height))


def placeholder(title: str, message: str, *, fig: Figure | None = None, width: float = 7.0,
                height: float = 2.4) -> Figure:
    """A figure that says what is missing instead of drawing an empty chart.

    Every chart draws this when its table is empty: the chart's title and, in a box, what
    is missing and how to get it. Call it inside a :func:`chart` function (the style);
    ``fig`` draws it on a figure the chart has made already.

    Examples
    --------
    >>> with style("en"):
    ...     fig = placeholder("Stakeholder map", "No contacts are recorded.")
    >>> fig.axes[0].get_title(), fig.axes[0].texts[0].get_text()
    ('Stakeholder map', 'No contacts are recorded.')
    """
    fig = fig if fig is not None else new_figure(width, height)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, wrap(message, 70), ha="center", va="center", transform=ax.transAxes,
            fontsize=10, color="#4a5565",
            bbox={"boxstyle": "round,pad=0.8", "facecolor": NONE_COLOUR, "edgecolor": "#d8dde6"})
    return fig


def wrap(text: object, width: int) -> str:
    r"""``text`` in lines of at most ``width`` characters, words kept whole (a longer
    word stands on its own line).

    >>> wrap("Revenue by product line", 12)
    'Revenue by\nproduct line'
    """
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


def rtl() -> bool:
    """Whether the current language is written right to left (mirror layouts then)."""
    return text_direction() == "rtl"


def number_formatter(digits: int = 0) -> FuncFormatter:
    """Axis tick labels in the current language's number format (and digit style).

    The language and digit style are fixed when the formatter is made (inside a
    :func:`chart` function), because matplotlib formats ticks later, when it draws.

    Examples
    --------
    >>> from kamkit.text.i18n import use_language
    >>> with use_language("pl"):
    ...     number_formatter(1)(1234.5, 0)
    '1\xa0234,5'
    """
    language, numerals = get_language(), get_numerals()
    return FuncFormatter(lambda value, _pos: format_number(value, digits, language,
                                                           numerals=numerals))


def title_of(fig: Figure) -> str:
    """The figure's title: its suptitle, else the first axes title, else ``chart``."""
    sup = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""
    if sup:
        return sup
    for ax in fig.axes:
        for loc in ("center", "left", "right"):
            text = ax.get_title(loc)
            if text:
                return text
    return "chart"


def chart_text(title: str) -> str:
    """A chart's text form in a notebook (what :func:`show` stores beside the PNG).

    >>> chart_text("Stakeholder map")
    '[chart: Stakeholder map]'
    """
    return f"[chart: {title}]"


def chart_title(text: str) -> str | None:
    """The title in a chart's text form (:func:`chart_text`); None for other text.

    >>> chart_title("[chart: Stakeholder map]"), chart_title("<Figure size 640x480>")
    ('Stakeholder map', None)
    """
    found = re.fullmatch(r"\[chart: (.*)\]", text.strip(), re.S)
    return found.group(1) if found else None


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """Render ``fig`` to PNG bytes, identical for identical figures (no metadata)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None},
                facecolor="white")
    return buf.getvalue()


def save_png(fig: Figure, path: str | Path, dpi: int = 100) -> Path:
    """Write ``fig`` as a PNG file atomically."""
    from kamkit.artifacts import atomic_write

    data = to_png(fig, dpi)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def show(fig: Figure, alt: str | None = None) -> None:
    """Display ``fig`` in a notebook as a PNG, with ``[chart: title]`` as its text form.

    Parameters
    ----------
    fig : Figure
    alt : str, optional
        Text alternative; defaults to the figure's title.
    """
    from IPython.display import display

    data = base64.b64encode(to_png(fig)).decode("ascii")
    display({"image/png": data, "text/plain": chart_text(alt or title_of(fig))}, raw=True)
