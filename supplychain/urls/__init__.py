"""URLs of the supply chain: pages under /supply-chain/, the API under /api/supplychain/ (one module per workflow,
each with ``urlpatterns`` and ``api_urlpatterns``)."""

from __future__ import annotations

from supplychain.urls import documents, plans, risks, suppliers

_WORKFLOWS = (documents, plans, suppliers, risks)
urlpatterns = [pattern for module in _WORKFLOWS for pattern in module.urlpatterns]
api_urlpatterns = [pattern for module in _WORKFLOWS for pattern in module.api_urlpatterns]
