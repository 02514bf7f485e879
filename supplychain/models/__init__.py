"""Models of the supply chain (section 7), one module per workflow; each module's ``__all__`` is re-exported."""

from supplychain.models import documents, plans, risks, suppliers
from supplychain.models.documents import *  # noqa: F403
from supplychain.models.plans import *  # noqa: F403
from supplychain.models.risks import *  # noqa: F403
from supplychain.models.suppliers import *  # noqa: F403

__all__ = [name for module in (documents, plans, risks, suppliers) for name in module.__all__]
