"""Stage 3 of the method: the key account plan.

* :mod:`kamkit.plan.account_plan` - goals, actions, resources, KPIs, flags and the plan's
  expected return;
* :mod:`kamkit.plan.smart` - the SMART check of a goal, in four languages;
* :mod:`kamkit.plan.ladder` - the relationship ladder and the moves up it;
* :mod:`kamkit.plan.action_list` - the action list as a workbook its owners update.

``from kamkit import plan`` gives :mod:`kamkit.plan.account_plan`'s functions.
"""

from kamkit.plan.account_plan import *  # noqa: F403
from kamkit.plan.account_plan import __all__  # noqa: F401
