"""Reads of the supply chain, one module per workflow; each module's ``__all__`` is re-exported here."""

from supplychain.selectors import documents, plans, risks, suppliers
from supplychain.selectors.documents import *  # noqa: F403
from supplychain.selectors.plans import *  # noqa: F403
from supplychain.selectors.risks import *  # noqa: F403
from supplychain.selectors.suppliers import *  # noqa: F403

WORKFLOWS = (documents, plans, suppliers, risks)
__all__ = [name for module in WORKFLOWS for name in module.__all__]
