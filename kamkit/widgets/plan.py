"""The SMART checker: type a goal, see the verdict letter by letter (stage 3 workshops).

:func:`smart_checker` builds the widget; everything it shows comes from
:func:`checker_html`, a plain function of the typed text and the chosen link, so the
behaviour is tested without a browser. The verdict itself is
:func:`kamkit.plan.smart.check_text`.
"""

from __future__ import annotations

import itertools
from typing import Any

from markupsafe import Markup

from kamkit.data.labels import value_label
from kamkit.data.portfolio import Portfolio
from kamkit.plan.smart import LETTERS, GoalVerdict, SmartThresholds, check_text
from kamkit.reports.present import NO_TEX
from kamkit.text.i18n import _, format_date, format_money, format_number, get_language, use_language

__all__ = ["verdict_html", "checker_html", "link_options", "smart_checker"]

_ICONS = {"pass": "\u2713", "warn": "!", "fail": "\u2717", "not_judged": "?"}
_COLOURS = {"pass": "#009E73", "warn": "#E69F00", "fail": "#D55E00", "not_judged": "#6b7585"}
# Widgets shown in a committed notebook carry their model id in the output; a counter
# instead of a random id keeps a fresh run byte-for-byte the same.
_IDS = itertools.count(1)


def _read(verdict: GoalVerdict, currency: str | None) -> str:
    """What kamkit read in the goal, as one line."""
    g = verdict.goal

    def number(value: float | None) -> str:
        if value is None:
            return "\u2013"
        if g.metric == "revenue":
            return format_money(value, currency)
        if g.metric in ("share_of_wallet", "margin"):
            return format_number(100 * value, 1) + "%"
        return format_number(value, 0 if float(value).is_integer() else 1)

    parts = [
        _("metric: {value}").format(value=value_label(g.metric) if g.metric else "\u2013"),
        _("scope: {value}").format(value=g.scope or "\u2013"),
        _("from {baseline} to {target}").format(baseline=number(g.baseline),
                                                target=number(g.target)),
        _("deadline: {value}").format(value=format_date(g.deadline)),
    ]
    return " \u00b7 ".join(parts)


def verdict_html(verdict: GoalVerdict, currency: str | None = None) -> str:
    """The verdict as a small HTML table: one row per letter, with its reason.

    Every text from the goal or the data is escaped.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> from kamkit.plan.smart import check_text
    >>> html = verdict_html(check_text(company_x(), "CX-001", "<b>Improve</b> things"))
    >>> "&lt;b&gt;Improve&lt;/b&gt;" in html, "<b>Improve" in html
    (True, False)
    """
    rows = []
    for (code, _column, label), letter in zip(LETTERS, verdict.letters, strict=True):
        colour = _COLOURS[letter.status]
        rows.append(Markup(
            '<tr><td style="font-weight:bold;color:{c}">{icon} {code}</td>'
            '<td style="font-weight:bold">{label}</td><td>{reason}</td></tr>').format(
            c=colour, icon=_ICONS[letter.status], code=code, label=_(label),
            reason=letter.reason))
    if verdict.smart:
        headline = _("SMART \u2014 every letter passes.")
        if verdict.ambition:
            headline += " " + _("Talk about the ambition: {what}.").format(
                what=value_label(verdict.ambition).lower())
    else:
        headline = _("Not SMART yet: fix {letters}.").format(letters=", ".join(verdict.failed)
                                                             or "\u2013")
    return str(Markup(
        '<div class="kamkit-smart {no_tex}"><p><i>\u201c{goal}\u201d</i></p>'
        '<p><b>{headline}</b></p>'
        '<p style="color:#4a5565">{read_label} {read}</p>'
        '<table style="border-collapse:collapse">{rows}</table></div>').format(
        no_tex=NO_TEX, goal=verdict.goal.text, headline=headline, read_label=_("kamkit read:"),
        read=_read(verdict, currency), rows=Markup("").join(rows)))


def checker_html(portfolio: Portfolio, account_id: str, text: str, linked_to: str | None = None, *,
                 thresholds: SmartThresholds | None = None) -> str:
    """What the checker shows for a typed goal: a prompt when empty, else the verdict.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
    text : str
        The goal as typed.
    linked_to : str, optional
        The need or opportunity chosen in the checker ("" or None: none).
    thresholds : SmartThresholds, optional

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> cx = company_x()
    >>> "Type a goal" in checker_html(cx, "CX-001", "   ")
    True
    >>> "Not SMART yet: fix R." in checker_html(
    ...     cx, "CX-001", "+10% spare-parts revenue in the next 9 months")
    True
    """
    if not str(text or "").strip():
        return str(Markup('<p style="color:#4a5565">{}</p>').format(_(
            "Type a goal above, for example \u201c+15% sensor revenue in the next 6 "
            "months\u201d, and choose the need or opportunity it answers.")))
    verdict = check_text(portfolio, account_id, text, linked_to=linked_to or None,
                         thresholds=thresholds)
    return verdict_html(verdict, portfolio.currency)


def link_options(portfolio: Portfolio, account_id: str) -> list[tuple[str, str]]:
    """Choices for "which need or opportunity does it answer?": ``(label, id)`` pairs.

    The first choice is "none" (id ``""``); then the account's needs and opportunities.

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> [link for _label, link in link_options(company_x(), "CX-007")]
    ['', 'N-007-01', 'N-007-02', 'N-007-03', 'O-007-01', 'O-007-02']
    """
    options = [(_("\u2014 none \u2014"), "")]
    for table, id_col, text_col in (("needs", "need_id", "need"),
                                    ("opportunities", "opportunity_id", "opportunity")):
        frame = portfolio.table_for(table, account_id)
        for link, text in zip(frame[id_col], frame[text_col], strict=True):
            if isinstance(link, str) and link:
                options.append((f"{link} \u00b7 {text}", link))
    return options


def smart_checker(portfolio: Portfolio, account_id: str, *, text: str = "", linked_to: str = "",
                  thresholds: SmartThresholds | None = None, language: str | None = None
                  ) -> Any:
    """The SMART checker widget: a text box, a link chooser and the live verdict.

    Parameters
    ----------
    portfolio : Portfolio
    account_id : str
        The account the goals are written for.
    text : str
        A goal to start with.
    linked_to : str
        The need or opportunity chosen at the start ("" for none).
    thresholds : SmartThresholds, optional
    language : str, optional
        The language of the verdicts (default: the current one, kept for later updates).

    Returns
    -------
    ipywidgets.VBox
        Its ``children`` are the text box, the link chooser and the verdict (an
        ``HTML`` widget whose ``value`` is :func:`checker_html`).

    Examples
    --------
    >>> from kamkit.data.synth import company_x
    >>> box, link, verdict = smart_checker(company_x(), "CX-001").children
    >>> box.value = "+10% spare-parts revenue in the next 9 months"
    >>> link.value = "N-001-02"
    >>> "every letter passes" in verdict.value
    True
    """
    import ipywidgets as widgets

    account_id = portfolio.check_account(account_id)
    language = language or get_language()
    with use_language(language):
        box = widgets.Textarea(value=text, placeholder=_("Type a goal for the account"),
                               description=_("Goal"),
                               layout=widgets.Layout(width="95%", height="4em"))
        link = widgets.Dropdown(options=link_options(portfolio, account_id), value=linked_to,
                                description=_("Answers"),
                                layout=widgets.Layout(width="95%"))
        out = widgets.HTML(value=checker_html(portfolio, account_id, text, linked_to,
                                              thresholds=thresholds))

    def update(_change: object = None) -> None:
        with use_language(language):
            out.value = checker_html(portfolio, account_id, box.value, link.value,
                                     thresholds=thresholds)

    box.observe(update, names="value")
    link.observe(update, names="value")
    return widgets.VBox([box, link, out], model_id=f"kamkit-smart-checker-{next(_IDS)}")
