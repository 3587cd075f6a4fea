"""Interactive front ends (ipywidgets) over plain kamkit functions, for workshops.

A widget only wires sliders to a function of :mod:`kamkit` that tests can call without
a browser; its text form (what a notebook stores and what nbval compares) is a
deterministic summary of what it shows, never a model id.
"""
