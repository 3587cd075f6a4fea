"""The KAM workshop: modules, self-checks, editions for trainers and participants.

The workshop is a day of modules (:data:`MODULES`, M0 ... M5), each a notebook in
``notebooks/workshop/`` that follows the Carpentries episode template (questions,
objectives and timing; challenges with solutions; key points; instructor notes apart).
The pieces:

* :mod:`kamkit.workshop.checks` — self-checks: a participant's answer in, a
  :class:`CheckResult` out (``ok``, ``message``, a specific ``hint``); the framework for
  every module's checks;
* :mod:`kamkit.workshop.quiz` — multiple-choice questions with feedback per option;
* :mod:`kamkit.workshop.widgets` — the quiz and the perception-ladder form (ipywidgets);
* one module of the package per workshop module, named by its topic, with its quiz,
  tables and checks: :mod:`~kamkit.workshop.what_makes_key` (M0),
  :mod:`~kamkit.workshop.identifying` (M1), :mod:`~kamkit.workshop.account_dossier` (M2),
  :mod:`~kamkit.workshop.account_plan` (M3), :mod:`~kamkit.workshop.evaluation` (M4) and
  :mod:`~kamkit.workshop.perception_ladder` (M5); a notebook imports its own as ``m0``
  ... ``m5``, the names the participants' exercises use;
* :mod:`kamkit.workshop.modules` — the agenda and the episode template check;
* :mod:`kamkit.workshop.editions` — the participant edition (solutions removed), the
  folder to hand out, and the static HTML editions (``kamkit workshop build|html``).

The perception ladder itself is part of the method, in :mod:`kamkit.plan.ladder`.
"""

from kamkit.workshop.checks import (
    AnswerError,
    CheckResult,
    correct,
    incorrect,
    invalid,
    not_answered,
    self_check,
)
from kamkit.workshop.editions import build_handout, build_html, participant_notebook
from kamkit.workshop.modules import MODULES, Module, agenda, episode_problems

__all__ = ["AnswerError", "CheckResult", "MODULES", "Module", "agenda", "build_handout",
           "build_html", "correct", "episode_problems", "incorrect", "invalid",
           "not_answered", "participant_notebook", "self_check"]
