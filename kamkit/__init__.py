"""kamkit: a Key Account Management methodology and training kit.

The package is laid out as the KAM process, one package per stage, in the order of
the notebooks: :mod:`kamkit.identification` (which customers are key),
:mod:`kamkit.needs` (needs analysis: the account dossier), :mod:`kamkit.plan` (the key
account plan), :mod:`kamkit.evaluation` (measures and health) and :mod:`kamkit.review`
(the portfolio review). Around them: :mod:`kamkit.data` loads and validates data
(:mod:`kamkit.data.schema` is the data model), :mod:`kamkit.reports` writes what people
read, :mod:`kamkit.charts` draws, :mod:`kamkit.widgets` and :mod:`kamkit.workshop` serve
trainers, :mod:`kamkit.text` speaks the user's language, :mod:`kamkit.run` runs the
notebooks, and :mod:`kamkit.cli` is the ``kamkit`` command. ``docs/architecture.md``
draws the layout and its import rules.
"""

from kamkit.data.portfolio import Portfolio, from_frames, load, validate
from kamkit.exceptions import (
    DataError,
    KamkitError,
    ParameterError,
    PortfolioValidationError,
    UnknownAccountError,
)
from kamkit.text.i18n import set_language, use_language

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
