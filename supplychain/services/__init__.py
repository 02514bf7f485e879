"""Writes of the supply chain, one module per workflow; each module's ``__all__`` is re-exported here."""

from supplychain.services import documents, plans, risks, suppliers
from supplychain.services.documents import *  # noqa: F403
from supplychain.services.plans import *  # noqa: F403
from supplychain.services.risks import *  # noqa: F403
from supplychain.services.suppliers import *  # noqa: F403

WORKFLOWS = (documents, plans, suppliers, risks)
__all__ = [name for module in WORKFLOWS for name in module.__all__]
