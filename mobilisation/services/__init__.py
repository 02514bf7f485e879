"""Writes of mobilisation and maturity, one module per workflow; each module's ``__all__`` is re-exported here."""

from mobilisation.services import assessment, deliverables, maturity, phases
from mobilisation.services.assessment import *  # noqa: F403
from mobilisation.services.deliverables import *  # noqa: F403
from mobilisation.services.maturity import *  # noqa: F403
from mobilisation.services.phases import *  # noqa: F403

WORKFLOWS = (deliverables, phases, maturity, assessment)
__all__ = [name for module in WORKFLOWS for name in module.__all__]
