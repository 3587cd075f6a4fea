"""The portfolio review that closes the cycle.

* :mod:`kamkit.review.recommendations` - promote, demote, rebalance and intervene, with
  their evidence.

``from kamkit import review`` gives its functions.
"""

from kamkit.review.recommendations import *  # noqa: F403
from kamkit.review.recommendations import __all__  # noqa: F401
