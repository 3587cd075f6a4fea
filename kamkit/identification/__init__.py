"""Stage 1 of the method: identification of key accounts.

* :mod:`kamkit.identification.selection` - criteria, scores, selection, the portfolio
  matrix and its result.

``from kamkit import identification`` gives its functions.
"""

from kamkit.identification.selection import *  # noqa: F403
from kamkit.identification.selection import __all__  # noqa: F401
