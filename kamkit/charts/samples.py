"""Sample charts in every language: the pictures in ``docs/images``.

One small chart, revenue by product line, drawn in English, Persian, Polish and Russian
from the catalogs, so a reader of ``docs/languages.md`` sees what each language looks
like and a test can check that regenerating the pictures gives the same pictures.
The Persian one uses Persian digits (``numerals="native"``), to show that option; the
default is Latin digits.

Regenerate with ``python3 tasks.py docs`` (it calls :func:`write_samples`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kamkit.charts import PALETTE, chart, new_figure, number_formatter, rtl, save_png
from kamkit.text.i18n import LANGUAGES, _, format_number, use_numerals

__all__ = ["revenue_by_product_line", "sample_revenue", "write_samples", "SAMPLE_NUMERALS"]

#: Product lines of the sample, as a trainer in each language would name them in data.
_LINES = {
    "en": ("Power supplies", "Drives", "Sensors", "Spare parts", "Service"),
    "fa": ("منابع تغذیه", "درایوها", "حسگرها", "قطعات یدکی", "خدمات"),
    "pl": ("Zasilacze", "Napędy", "Czujniki", "Części zamienne", "Serwis"),
    "ru": ("Блоки питания", "Приводы", "Датчики", "Запасные части", "Сервис"),
}
_REVENUE = (1_840_000.0, 1_215_000.0, 762_500.0, 431_000.0, 214_800.0)
#: Digit style of each sample picture.
SAMPLE_NUMERALS = {"en": "latin", "fa": "native", "pl": "latin", "ru": "latin"}


def sample_revenue(language: str = "en") -> pd.DataFrame:
    """The sample table: ``product_line`` and ``revenue`` (EUR), product lines named in
    ``language``.

    Examples
    --------
    >>> sample_revenue("pl")["product_line"].iloc[0]
    'Zasilacze'
    """
    return pd.DataFrame({"product_line": list(_LINES[language]), "revenue": list(_REVENUE)})


@chart
def revenue_by_product_line(frame: pd.DataFrame, currency: str | None = None) -> Figure:
    """Horizontal bars of revenue per product line, the largest on top.

    Right-to-left languages get a mirrored layout: bars grow from the right and the
    product lines stand on the right, where a reader starts.

    Parameters
    ----------
    frame : DataFrame
        Columns ``product_line`` and ``revenue``.
    currency : str, optional
        Currency code shown in the axis label.

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = revenue_by_product_line(sample_revenue("ru"), "EUR", language="ru")
    >>> fig.axes[0].get_title(loc="left")
    'Выручка по продуктовым линейкам'
    """
    fig = new_figure(6.4, 3.2)
    ax = fig.add_subplot()
    side = "right" if rtl() else "left"
    ax.set_title(_("Revenue by product line"), loc=side)
    if frame.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, _("No sales to show"), ha="center", va="center",
                transform=ax.transAxes)
        return fig
    data = frame.sort_values("revenue", kind="stable")
    ax.barh(data["product_line"], data["revenue"], color=PALETTE[0])
    offset, align = (-3, "right") if rtl() else (3, "left")
    for y, value in enumerate(data["revenue"]):
        ax.annotate(format_number(value), (value, y), xytext=(offset, 0),
                    textcoords="offset points", ha=align, va="center", fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(_("Revenue ({currency})").format(currency=currency) if currency
                  else _("Revenue"))
    ax.set_ylabel(_("Product line"))
    ax.margins(x=0.15)
    if rtl():
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.spines["right"].set_visible(True)
        ax.spines["left"].set_visible(False)
    return fig


def write_samples(folder: str | Path) -> list[Path]:
    """Draw the sample chart in every language into ``folder/chart-<lang>.png``.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`kamkit.text.i18n.LANGUAGES`.
    """
    folder = Path(folder)
    written = []
    for language in LANGUAGES:
        with use_numerals(SAMPLE_NUMERALS[language]):
            fig = revenue_by_product_line(sample_revenue(language), "EUR", language=language)
        written.append(save_png(fig, folder / f"chart-{language}.png"))
    return written
