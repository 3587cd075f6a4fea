"""``python -m kamkit`` runs the ``kamkit`` command."""

import sys

from kamkit.cli import main

sys.exit(main())
