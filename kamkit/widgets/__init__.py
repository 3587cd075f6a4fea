"""Interactive front ends (ipywidgets) for workshops, over plain, tested functions.

Each widget module keeps its logic in ordinary functions that take values and return
text or HTML, so tests call them directly; the widget only wires inputs to them.
"""
