"""Fonts of the charts: which files matplotlib draws with, and what they cover.

Charts use the families of :data:`kamkit.charts.STYLE` (DejaVu Sans, which covers Latin,
Cyrillic and Persian letters and the Persian digits). A character that no family has a
glyph for comes out as an empty box, so before trusting a new script or a user's data
in a chart, ask :func:`missing_glyphs`. The check reads the character map of the very
font files matplotlib resolves (with fontTools, installed with matplotlib), so it
answers for this machine, not for a font's documentation.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from matplotlib import font_manager

__all__ = ["font_files", "missing_glyphs", "covers"]

#: Control and format characters (ZWNJ, bidi marks, line breaks) are not drawn.
_NOT_DRAWN = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _families(families: Sequence[str] | None) -> list[str]:
    if families is not None:
        return list(families)
    from kamkit.charts import STYLE

    return list(STYLE["font.sans-serif"])


def font_files(families: Sequence[str] | None = None) -> tuple[Path, ...]:
    """The font files matplotlib uses for ``families`` (default: the chart style's).

    Families matplotlib cannot find are left out (it would fall back to another font).

    Examples
    --------
    >>> [p.name for p in font_files()]
    ['DejaVuSans.ttf']
    """
    files: list[Path] = []
    for family in _families(families):
        try:
            found = font_manager.findfont(font_manager.FontProperties(family=family),
                                          fallback_to_default=False)
        except ValueError:
            continue
        path = Path(found)
        if path not in files:
            files.append(path)
    return tuple(files)


@functools.cache
def _codepoints(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True, fontNumber=0)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def missing_glyphs(text: str, families: Sequence[str] | None = None) -> str:
    """The characters of ``text`` that none of the chart fonts can draw, in order.

    Parameters
    ----------
    text : str
    families : sequence of str, optional
        Font families to check (default: the chart style's).

    Returns
    -------
    str
        Each missing character once; empty when the fonts cover the whole text.

    Examples
    --------
    >>> missing_glyphs("درآمد به تفکیک خط محصول ۱۲۳ – Выручка, przychód")
    ''
    >>> missing_glyphs("売上 sales")
    '売上'
    """
    available: set[int] = set()
    for path in font_files(families):
        available |= _codepoints(path)
    missing = []
    for ch in text:
        if unicodedata.category(ch) in _NOT_DRAWN or ord(ch) in available:
            continue
        if ch not in missing:
            missing.append(ch)
    return "".join(missing)


def covers(text: str, families: Sequence[str] | None = None) -> bool:
    """Whether the chart fonts have a glyph for every character of ``text``."""
    return not missing_glyphs(text, families)
