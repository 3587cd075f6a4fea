"""Interactive front ends (ipywidgets) over plain kamkit functions, for workshops.

A widget only wires sliders to a function of :mod:`kamkit` that tests can call without
a browser; its text form (what a notebook stores and what nbval compares) is a
deterministic summary of what it shows, never a model id.
"""

from __future__ import annotations

from typing import Any

__all__ = ["set_outputs"]


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
    outputs = [{"output_type": "stream", "name": "stdout", "text": message + "\n"}]
    if shown is not None and len(shown):
        outputs.append({"output_type": "display_data", "metadata": {},
                        "data": {"text/plain": shown.to_string(), "text/html": shown.to_html()}})
    output.outputs = tuple(outputs)
