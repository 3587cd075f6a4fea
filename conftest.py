"""Collection rules for the whole repository (see pyproject.toml [tool.pytest.ini_options])."""

# ``python -m kamkit`` entry point: importing it would run the command.
collect_ignore = ["kamkit/__main__.py"]
