"""Reads of mobilisation and maturity, one module per workflow; each module's ``__all__`` is re-exported here."""

from mobilisation.selectors import assessment, deliverables, maturity, phases
from mobilisation.selectors.assessment import *  # noqa: F403
from mobilisation.selectors.deliverables import *  # noqa: F403
from mobilisation.selectors.maturity import *  # noqa: F403
from mobilisation.selectors.phases import *  # noqa: F403

WORKFLOWS = (deliverables, phases, maturity, assessment)
__all__ = [name for module in WORKFLOWS for name in module.__all__]
