"""Text in charts: every language's letters are in the font, Persian is shaped and in order.

matplotlib >= 3.11 lays out right-to-left text itself (libraqm); with older versions a
plain Persian string comes out as separate letters in reverse order. These tests pin
the behaviour the kit relies on: glyph coverage of everything the catalogs and the
glossary can put on a chart, joined letters, words in right-to-left order, and the
sample images in docs/images as the code draws them.
"""

from __future__ import annotations

import re
import tomllib
from io import BytesIO

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from packaging.version import Version
from PIL import Image

from kamkit.charts import style, to_png
from kamkit.charts.fonts import covers, font_files, missing_glyphs
from kamkit.charts.samples import SAMPLE_NUMERALS, revenue_by_product_line, sample_revenue
from kamkit.text import catalogs as i18n_tools
from kamkit.text.glossary import TERMS
from kamkit.text.i18n import LANGUAGES, _, use_language, use_numerals
from tests.conftest import ROOT

ZWNJ = "\u200c"


def test_matplotlib_that_shapes_right_to_left_text_is_required():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "matplotlib>=3.11" in project["dependencies"]
    assert Version(matplotlib.__version__) >= Version("3.11")


def test_charts_draw_with_dejavu_sans():
    assert [p.name for p in font_files()] == ["DejaVuSans.ttf"]


def test_missing_glyphs_names_what_the_font_cannot_draw():
    assert missing_glyphs("KAM: ключевой клиент, kluczowy klient, مشتری کلیدی") == ""
    assert missing_glyphs("客户 客户 sales") == "客户"
    assert covers(f"نیم{ZWNJ}فاصله\u200e") and not covers("客")


def _catalog_texts() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for language in i18n_tools.TRANSLATED:
        catalog = i18n_tools.read_catalog(i18n_tools.po_path(language), language)
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (
                message.string,)
            texts.setdefault(language, []).extend(s for s in strings if s)
    return texts


@pytest.mark.parametrize("language", i18n_tools.TRANSLATED)
def test_font_covers_every_translation_and_glossary_entry(language):
    texts = _catalog_texts()[language]
    texts += [t.names[language] for t in TERMS] + [t.definitions[language] for t in TERMS]
    texts += sample_revenue(language)["product_line"].tolist()
    with use_language(language), use_numerals("native"):
        from kamkit.text.i18n import format_date, format_number, format_percent

        texts += [format_number(-1234567.5, 1), format_percent(0.5),
                  format_date(np.datetime64("2026-06-30").astype(object))]
    assert missing_glyphs("".join(texts)) == ""


def _render_text(text: str, size: float = 40) -> tuple[float, np.ndarray]:
    """Draw ``text`` alone; return its rendered width and the ink mask of the canvas."""
    with style("fa"):
        fig = Figure(figsize=(8, 1.5), dpi=100)
        FigureCanvasAgg(fig)
        artist = fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=size)
        fig.canvas.draw()
        width = artist.get_window_extent(fig.canvas.get_renderer()).width
        pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    return width, pixels.min(axis=2) < 128


def _ink_runs(ink: np.ndarray) -> list[int]:
    """Widths of the runs of inked columns, left to right."""
    columns = np.flatnonzero(ink.any(axis=0))
    breaks = np.flatnonzero(np.diff(columns) > 1)
    starts = np.r_[columns[0], columns[breaks + 1]]
    ends = np.r_[columns[breaks], columns[-1]]
    return (ends - starts + 1).tolist()


def test_persian_chart_title_is_covered_and_shaped():
    fig = revenue_by_product_line(sample_revenue("fa"), "EUR", language="fa")
    title = fig.axes[0].get_title(loc="right")
    with use_language("fa"):
        assert title == _("Revenue by product line") == "درآمد به تفکیک خط محصول"
    assert missing_glyphs(title) == ""
    joined, _ink = _render_text(title)
    separate, _ink = _render_text(ZWNJ.join(title))
    # Joined (contextual) letter forms are much narrower than isolated ones; unshaped
    # text would be as wide as the ZWNJ-separated letters.
    assert joined < 0.9 * separate


def test_persian_words_run_right_to_left():
    # Two words whose letters all join, so each word is one blob of ink.
    first, second = "بیشتر", "سهم"
    a = _ink_runs(_render_text(first)[1])
    b = _ink_runs(_render_text(second)[1])
    assert len(a) == len(b) == 1 and abs(a[0] - b[0]) > 10
    left, right = _ink_runs(_render_text(f"{first} {second}")[1])
    # The first word stands on the right. (The old arabic_reshaper + bidi recipe on
    # matplotlib >= 3.11 puts it on the left.)
    assert abs(right - a[0]) <= 2 and abs(left - b[0]) <= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_sample_chart_speaks_the_language(language):
    with use_numerals(SAMPLE_NUMERALS[language]):
        fig = revenue_by_product_line(sample_revenue(language), "EUR", language=language)
    ax = fig.axes[0]
    with use_language(language):
        assert ax.get_title(loc="right" if language == "fa" else "left") == _(
            "Revenue by product line")
        assert ax.get_xlabel() == _("Revenue ({currency})").format(currency="EUR")
        assert ax.get_ylabel() == _("Product line")
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert missing_glyphs("".join(texts)) == ""
    fig.canvas.draw()  # tick labels exist once drawn
    ticks = " ".join(t.get_text() for t in ax.get_xticklabels())
    digits = "۰۱۲۳۴۵۶۷۸۹" if SAMPLE_NUMERALS[language] == "native" else "0123456789"
    assert re.search(f"[{digits}]", ticks) and not re.search(
        "[0-9]" if digits != "0123456789" else "[۰-۹]", ticks)


def test_sample_chart_mirrors_for_right_to_left():
    fa = revenue_by_product_line(sample_revenue("fa"), "EUR", language="fa").axes[0]
    en = revenue_by_product_line(sample_revenue("en"), "EUR", language="en").axes[0]
    assert fa.xaxis_inverted() and not en.xaxis_inverted()
    assert fa.yaxis.get_label_position() == "right" and en.yaxis.get_label_position() == "left"


def test_sample_chart_without_data_says_so():
    fig = revenue_by_product_line(sample_revenue("pl").iloc[:0], language="pl")
    assert "Brak sprzedaży do pokazania" in [t.get_text() for t in fig.axes[0].texts]


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(BytesIO(data)).convert("RGB"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_sample_images_are_current(language):
    """docs/images/chart-<lang>.png is what the code draws (python3 tasks.py docs)."""
    with use_numerals(SAMPLE_NUMERALS[language]):
        fresh = to_png(revenue_by_product_line(sample_revenue(language), "EUR",
                                               language=language))
    committed = (ROOT / "docs" / "images" / f"chart-{language}.png").read_bytes()
    a, b = _pixels(fresh), _pixels(committed)
    assert a.shape == b.shape, "run: python3 tasks.py docs"
    # Same pinned matplotlib (with its bundled FreeType and DejaVu Sans) draws the same
    # pixels; a few anti-aliasing differences are tolerated, a different text is not.
    differ = np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 48
    assert differ.mean() < 0.001, "run: python3 tasks.py docs"


# -- Text from the data is text: "$" is a dollar sign, never TeX math -----------------------

FOO = r"$\foo$"  # unknown TeX: as mathtext it stops the drawing
DOLLARS = "$5 and $6"  # as mathtext it would lose its dollar signs

#: Free-text columns (names, items, actions ...) that charts may show.
_TEXT_COLUMNS = {
    "accounts": ["name"],
    "transactions": ["product", "product_line"],
    "contacts": ["name", "title", "department", "our_owner"],
    "competitors": ["competitor"],
    "swot": ["item"],
    "opportunities": ["opportunity", "product_line"],
    "goals": ["goal", "owner"],
    "actions": ["action", "department", "owner"],
}


def _hostile(value: object, k: int) -> object:
    if not isinstance(value, str):
        return value
    return f"{DOLLARS} {value}" if k % 2 else f"{value} {FOO}"


@pytest.fixture(scope="module")
def dollar_portfolio():
    """Company X with a ``$`` pair in every free text, some account ids and goal ids."""
    import dataclasses

    from tests.conftest import company_x_copy as company_x

    p = company_x()
    tables = {}
    ids = {a: (f"{a} {FOO}" if i % 3 == 1 else a)
           for i, a in enumerate(p.accounts["account_id"]) if a != "CX-002"}
    ids["CX-002"] = "CX-002"
    for name, frame in p.tables.items():
        frame = frame.copy()
        for column in _TEXT_COLUMNS.get(name, []):
            # the same text stays the same text (product lines group, departments match)
            values = dict.fromkeys(frame[column].dropna())
            frame[column] = frame[column].map(
                {v: _hostile(v, k) for k, v in enumerate(values)})
        if "account_id" in frame.columns:
            frame["account_id"] = frame["account_id"].map(ids)
        if "goal_id" in frame.columns:
            frame["goal_id"] = frame["goal_id"].map(
                lambda g: g if pd.isna(g) else f"{g} {DOLLARS}")
        tables[name] = frame
    return dataclasses.replace(p, tables=tables)


def _dollar_charts(p):
    from kamkit.charts import dossier as dc
    from kamkit.charts import evaluation as ec
    from kamkit.charts import identification as ic
    from kamkit.charts import plan as pc
    from kamkit.evaluation import measures as evaluation
    from kamkit.identification import selection as identification
    from kamkit.needs import dossier
    from kamkit.plan import account_plan as plan
    from kamkit.review import portfolio as review

    key = "CX-002"
    result = identification.identify(p)
    curve = identification.concentration(p)
    d = dossier.account_dossier(p, key)
    ev = evaluation.evaluate(p, key)
    rv = review.portfolio_review(p, account_ids=[key, *p.accounts["account_id"][1:4]])
    h = ev.health
    actions, resources = plan.plan_actions(p, key), plan.plan_resources(p, key)
    return {
        "concentration": lambda: ic.concentration_chart(
            curve, top_share=identification.top_share(curve)),
        "score": lambda: ic.score_chart(identification.ranking(result, 40), result.min_score),
        "matrix": lambda: ic.matrix_chart(identification.portfolio_matrix(result)),
        "stability": lambda: ic.stability_chart(
            identification.weight_stability(result, draws=20).table),
        "revenue_history": lambda: dc.revenue_history(
            d.relationship.by_line, d.relationship.by_year, currency=d.currency,
            title=f"{FOO} {DOLLARS}"),
        "stakeholder_map": lambda: dc.stakeholder_map(d.dmu.contacts),
        "coverage_grid": lambda: dc.coverage_grid(d.dmu.coverage),
        "share_of_wallet": lambda: dc.share_of_wallet_bar(d.relationship.wallet),
        "swot": lambda: dc.swot_grid(d.needs.swot),
        "empty": lambda: dc.empty_figure(FOO, DOLLARS),
        "action_timeline": lambda: pc.action_timeline(actions, p.as_of,
                                                      plan.plan_milestones(p, key)),
        "budget": lambda: pc.budget_by_department(resources, "EUR"),
        "revenue_margin": lambda: ec.revenue_margin_chart(ev.financial, "EUR"),
        "clv": lambda: ec.clv_chart(ev.clv, "EUR"),
        "feedback": lambda: ec.feedback_chart(ev.history, ev.feedback),
        "health": lambda: ec.health_waterfall(h.components, h.score, h.band),
        "goals": lambda: ec.goal_attainment_chart(ev.goals),
        "health_overview": lambda: ec.health_overview(rv.health),
        "movement": lambda: ec.matrix_movement_chart(rv.movement),
        "sample": lambda: revenue_by_product_line(
            sample_revenue("en").assign(product_line=[FOO, DOLLARS, "x", "y", "z"][:5]),
            "EUR"),
    }


_SHOWS_DATA = {"score", "matrix", "stability", "revenue_history", "stakeholder_map",
               "coverage_grid", "swot", "empty", "action_timeline", "budget", "goals",
               "health_overview", "movement", "sample"}


@pytest.fixture(scope="module")
def dollar_charts(dollar_portfolio):
    return _dollar_charts(dollar_portfolio)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_SHOWS_DATA | {
    "concentration", "share_of_wallet", "revenue_margin", "clv", "feedback", "health"}))
def test_dollar_signs_in_the_data_are_drawn_as_written(dollar_charts, name):
    fig = dollar_charts[name]()
    # Drawn with any canvas, and after the figure left the chart's style (a notebook,
    # savefig, to_png): no "Unknown symbol: \foo", whichever texts matplotlib makes late.
    assert to_png(fig)[:4] == b"\x89PNG"
    FigureCanvasAgg(fig).draw()
    fig.savefig(BytesIO(), format="png", bbox_inches="tight")
    texts = [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]
    assert all(not t.get_parse_math() for t in texts), [t.get_text() for t in texts]
    shown = " ".join(t.get_text() for t in texts)
    if name in _SHOWS_DATA:
        assert "$" in shown and ("$\\f" in shown or "$5" in shown), shown


def test_ticks_made_outside_the_style_stay_plain():
    from kamkit.charts import chart, new_figure

    @chart
    def bars(names: list[str]) -> Figure:
        fig = new_figure()
        fig.add_subplot().barh(names, range(len(names)))
        return fig

    names = ["plain", DOLLARS, f"Nordwerk {FOO} GmbH"]
    fig = bars(names)
    FigureCanvasAgg(fig).draw()  # the category ticks are made here, outside the style
    labels = fig.axes[0].get_yticklabels()
    assert [t.get_text() for t in labels] == names
    assert not any(t.get_parse_math() for t in labels)
    # Tick labels asked for before any drawing are made outside the style too.
    fig = bars(names)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == names
    assert to_png(fig)[:4] == b"\x89PNG"
    assert not any(t.get_parse_math() for t in fig.axes[0].get_yticklabels())


def test_a_chart_can_still_ask_for_math():
    from kamkit.charts import chart, new_figure

    @chart
    def formula() -> Figure:
        fig = new_figure()
        fig.text(0.5, 0.5, r"$\sqrt{x}$", parse_math=True)
        fig.text(0.5, 0.2, r"$\sqrt{x}$")
        return fig

    fig = formula()
    fig.canvas.draw()
    maths, plain = fig.texts
    assert maths.get_parse_math() and not plain.get_parse_math()
