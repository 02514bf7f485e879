"""Models of mobilisation and maturity (sections 10-11, seed 003), one module per workflow."""

from mobilisation.models import assessment, deliverables, maturity, phases
from mobilisation.models.assessment import *  # noqa: F403
from mobilisation.models.deliverables import *  # noqa: F403
from mobilisation.models.maturity import *  # noqa: F403
from mobilisation.models.phases import *  # noqa: F403

__all__ = [name for module in (deliverables, phases, maturity, assessment) for name in module.__all__]
