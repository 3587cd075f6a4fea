"""Collection rules for the whole repository (see pyproject.toml [tool.pytest.ini_options])."""

import pytest
from _pytest.doctest import DoctestItem

# ``python -m kamkit`` entry point: importing it would run the command.
collect_ignore = ["kamkit/__main__.py"]


def pytest_collection_modifyitems(items):
    """nbval's cells run notebooks: they are ``slow`` like every other notebook run, so
    ``-m "not slow"`` (``python3 tasks.py test --quick``) leaves them out."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _company_x_built_once(request, monkeypatch):
    """Dozens of doctests start with ``company_x()``: during a doctest it hands out a copy
    of the case study built once per process (``tests.conftest.company_x_copy``)."""
    if isinstance(request.node, DoctestItem):
        from kamkit.data import synth
        from tests.conftest import company_x_copy

        monkeypatch.setattr(synth, "company_x", company_x_copy)
