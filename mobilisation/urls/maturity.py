"""URLs of the maturity plan: pages under /mobilisation/maturity/, the API at /api/mobilisation/maturity-plan/."""

from __future__ import annotations

from django.urls import path

from mobilisation.api import maturity as api
from mobilisation.views import maturity as views

urlpatterns = [
    path("maturity/", views.maturity_current, name="mobilisation-maturity"),
    path("maturity/new/", views.maturity_draft, name="mobilisation-maturity-draft"),
    path("maturity/<int:pk>/", views.maturity_plan, name="mobilisation-maturity-plan"),
    path("maturity/<int:pk>/edit/", views.maturity_edit, name="mobilisation-maturity-edit"),
    path("maturity/<int:pk>/actions/", views.maturity_action_add, name="mobilisation-maturity-action-add"),
    path("maturity/<int:pk>/actions/<int:action_pk>/remove/", views.maturity_action_remove,
         name="mobilisation-maturity-action-remove"),
    path("maturity/<int:pk>/submit/", views.maturity_submit, name="mobilisation-maturity-submit"),
]
api_urlpatterns = [
    path("maturity-plan/", api.MaturityPlanCurrentView.as_view(), name="api-mobilisation-maturity-plan"),
]
