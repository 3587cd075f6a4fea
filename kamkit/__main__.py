"""``python -m kamkit`` runs the ``kamkit`` command."""

import sys

from kamkit.cli import main

if __name__ == "__main__":  # not when a worker process re-imports the main module
    sys.exit(main())
