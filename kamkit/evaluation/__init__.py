"""Stage 5 of the method: evaluation of each key account.

* :mod:`kamkit.evaluation.measures` - financial measures, CLV, NPS, depth, plan attainment, health.

``from kamkit import evaluation`` gives its functions.
"""

from kamkit.evaluation.measures import *  # noqa: F403
from kamkit.evaluation.measures import __all__  # noqa: F401
