"""URLs of the risk register (seed 002): pages under /supply-chain/risks/, the API under /api/supplychain/risks/."""

from __future__ import annotations

from django.urls import path

from supplychain.api import risks as api
from supplychain.views import risks as views

urlpatterns = [
    path("risks/", views.risks, name="supplychain-risks"),
    path("risks/export.csv", views.risks_csv, name="supplychain-risks-csv"),
    path("risks/export.xlsx", views.risks_xlsx, name="supplychain-risks-xlsx"),
    path("risks/new/", views.risk_new, name="supplychain-risk-new"),
    path("risks/<int:pk>/", views.risk_detail, name="supplychain-risk"),
    path("risks/<int:pk>/update/", views.risk_update, name="supplychain-risk-update"),
    path("risks/<int:pk>/actions/", views.risk_action_add, name="supplychain-risk-action-add"),
    path("risks/<int:pk>/actions/progress/", views.risk_action_progress, name="supplychain-risk-action-progress"),
    path("risks/<int:pk>/close/", views.risk_close, name="supplychain-risk-close"),
    path("risks/<int:pk>/escalate/", views.risk_escalate, name="supplychain-risk-escalate"),
]

api_urlpatterns = [
    path("risks/", api.RiskListView.as_view(), name="api-supplychain-risks"),
    path("risks/<int:pk>/", api.RiskDetailView.as_view(), name="api-supplychain-risk"),
    path("risks/<int:pk>/updates/", api.RiskUpdateCreateView.as_view(), name="api-supplychain-risk-updates"),
]
