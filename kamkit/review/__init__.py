"""The portfolio review that closes the cycle.

* :mod:`kamkit.review.portfolio` - the portfolio's health, its movement in the matrix, and
  what to do: promote, demote, rebalance and intervene, with the evidence.

``from kamkit import review`` gives its functions.
"""

from kamkit.review.portfolio import *  # noqa: F403
from kamkit.review.portfolio import __all__  # noqa: F401
