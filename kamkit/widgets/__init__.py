"""Interactive front ends (ipywidgets) over plain kamkit functions, for workshops.

A widget only wires sliders to a function of :mod:`kamkit` that tests can call without
a browser; its text form (what a notebook stores and what nbval compares) is a
deterministic summary of what it shows, never a model id.
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["StaticForm", "lines_html", "set_outputs"]


def lines_html(text: str) -> str:
    r"""Plain text as HTML: escaped, its lines kept (``<br>``).

    >>> lines_html("a < b\nc")
    'a &lt; b<br>c'
    """
    return "<br>".join(html.escape(line) for line in text.splitlines())


class StaticForm:
    """Mixin of a widget: what a notebook stores beside the live view.

    ``text/plain`` is :meth:`static_text` (what nbval compares: deterministic, never a
    model id) and ``text/html`` is :meth:`static_html` (what a page without a kernel
    shows). The widget's own view (``application/vnd.jupyter.widget-view+json``) stays.
    """

    def static_text(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def static_html(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.static_text()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        data["text/plain"] = self.static_text()
        data["text/html"] = self.static_html()
        return data


def set_outputs(output: Any, message: str, shown: Any = None) -> None:
    """Show ``message`` and then the table ``shown`` (a DataFrame, or None) in ``output``.

    The outputs of the ``ipywidgets.Output`` are set, not captured: capturing
    (``with output:``) depends on the kernel's message routing, and nbclient cannot
    execute it without storing widget state.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> out = SimpleNamespace(outputs=())
    >>> set_outputs(out, "Score 40.0")
    >>> out.outputs
    ({'output_type': 'stream', 'name': 'stdout', 'text': 'Score 40.0\\n'},)
    """
    outputs: list[dict[str, Any]] = [{"output_type": "stream", "name": "stdout",
                                      "text": message + "\n"}]
    if shown is not None and len(shown):
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"text/plain": shown.to_string(), "text/html": shown.to_html()}})
    output.outputs = tuple(outputs)
