"""kamkit: a Key Account Management methodology and training kit.

The package follows the KAM process, one module per stage, in the order of the
notebooks: :mod:`kamkit.identification` (which customers are key),
:mod:`kamkit.dossier` (needs analysis), :mod:`kamkit.plan` (the key account plan) and
:mod:`kamkit.evaluation` (measures, health and the portfolio review). Around them:
:mod:`kamkit.portfolio` loads and validates data (:mod:`kamkit.schema` is the data
model), :mod:`kamkit.charts` draws, :mod:`kamkit.i18n` speaks the user's language, and
:mod:`kamkit.cli` is the ``kamkit`` command.
"""

from kamkit.exceptions import (
    DataError,
    KamkitError,
    ParameterError,
    PortfolioValidationError,
    UnknownAccountError,
)
from kamkit.i18n import set_language, use_language
from kamkit.portfolio import Portfolio, from_frames, load, validate

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "DataError",
    "KamkitError",
    "ParameterError",
    "Portfolio",
    "PortfolioValidationError",
    "UnknownAccountError",
    "from_frames",
    "load",
    "set_language",
    "use_language",
    "validate",
]
