"""Stage 2 of the method: needs analysis, the account dossier.

* :mod:`kamkit.needs.dossier` - the dossier's sections, flags and aggregate.
"""

from kamkit.needs.dossier import *  # noqa: F403
from kamkit.needs.dossier import __all__  # noqa: F401
