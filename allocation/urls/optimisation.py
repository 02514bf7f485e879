"""URLs of optimisation: pages under /allocation/ and the API under /api/allocation/."""

from __future__ import annotations

from django.urls import path

from allocation.api import optimisation as api
from allocation.views import optimisation as views

urlpatterns = [
    path("business-cases/", views.business_cases, name="business-cases"),
    path("business-cases/new/", views.business_case_new, name="business-case-new"),
    path("business-cases/<int:pk>/", views.business_case, name="business-case"),
    path("business-cases/<int:pk>/edit/", views.business_case_edit, name="business-case-edit"),
    path("business-cases/<int:pk>/submit/", views.business_case_submit, name="business-case-submit"),
    path("business-cases/<int:pk>/client-decision/", views.business_case_client_decision,
         name="business-case-client-decision"),
    path("minor-changes/", views.minor_changes, name="minor-changes"),
    path("minor-changes/new/", views.minor_change_new, name="minor-change-new"),
    path("minor-changes/<int:pk>/", views.minor_change, name="minor-change"),
    path("minor-changes/<int:pk>/agree/", views.minor_change_agree, name="minor-change-agree"),
    path("minor-changes/<int:pk>/table/", views.minor_change_table, name="minor-change-table"),
    path("lot1/", views.lot1_client, name="lot1-client"),
]

api_urlpatterns = [
    path("business-cases/", api.BusinessCaseListView.as_view(), name="api-business-cases"),
    path("business-cases/<int:pk>/", api.BusinessCaseDetailView.as_view(), name="api-business-case"),
    path("minor-changes/", api.MinorChangeListView.as_view(), name="api-minor-changes"),
]
