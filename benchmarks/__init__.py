"""Measured performance of kamkit, with the commands to reproduce it.

Each benchmark is a module of this package with a ``main(argv)`` function; run one with
``python -m benchmarks NAME`` (``python -m benchmarks`` lists them). Results are ratios
against a baseline measured in the same run, never timed assertions in tests; the
figures measured on the project's machine are recorded in ``benchmarks/README.md``.
Generated data goes to ``benchmarks/data/`` (not committed) and is reused.
"""
