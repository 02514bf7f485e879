"""URLs of optimisation (business cases, minor changes, the client taking Lot 1): pages under /allocation/ and the
API under /api/allocation/. One module for the three workflows' pages, which share the /allocation/ paths."""

from __future__ import annotations

from django.urls import path

from allocation.api import optimisation as api
from allocation.views import business_cases, lot1, minor_changes

urlpatterns = [
    path("business-cases/", business_cases.business_cases, name="business-cases"),
    path("business-cases/new/", business_cases.business_case_new, name="business-case-new"),
    path("business-cases/<int:pk>/", business_cases.business_case, name="business-case"),
    path("business-cases/<int:pk>/edit/", business_cases.business_case_edit, name="business-case-edit"),
    path("business-cases/<int:pk>/submit/", business_cases.business_case_submit, name="business-case-submit"),
    path("business-cases/<int:pk>/client-decision/", business_cases.business_case_client_decision,
         name="business-case-client-decision"),
    path("business-cases/<int:pk>/withdraw/", business_cases.business_case_withdraw, name="business-case-withdraw"),
    path("minor-changes/", minor_changes.minor_changes, name="minor-changes"),
    path("minor-changes/new/", minor_changes.minor_change_new, name="minor-change-new"),
    path("minor-changes/<int:pk>/", minor_changes.minor_change, name="minor-change"),
    path("minor-changes/<int:pk>/agree/", minor_changes.minor_change_agree, name="minor-change-agree"),
    path("minor-changes/<int:pk>/table/", minor_changes.minor_change_table, name="minor-change-table"),
    path("minor-changes/<int:pk>/withdraw/", minor_changes.minor_change_withdraw, name="minor-change-withdraw"),
    path("lot1/", lot1.lot1_client, name="lot1-client"),
]

api_urlpatterns = [
    path("business-cases/", api.BusinessCaseListView.as_view(), name="api-business-cases"),
    path("business-cases/<int:pk>/", api.BusinessCaseDetailView.as_view(), name="api-business-case"),
    path("minor-changes/", api.MinorChangeListView.as_view(), name="api-minor-changes"),
]
