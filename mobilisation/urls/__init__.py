"""URLs of mobilisation: pages under /mobilisation/, the API under /api/mobilisation/ (one module per workflow,
each with ``urlpatterns`` and ``api_urlpatterns``)."""

from __future__ import annotations

from mobilisation.urls import assessment, deliverables, maturity, phases

_WORKFLOWS = (deliverables, phases, maturity, assessment)
urlpatterns = [pattern for module in _WORKFLOWS for pattern in module.urlpatterns]
api_urlpatterns = [pattern for module in _WORKFLOWS for pattern in module.api_urlpatterns]
