"""URLs of the Supply Chain Management Plan."""

from __future__ import annotations

from django.urls import path

from supplychain.api import plans as api
from supplychain.views import plans as views

urlpatterns = [
    path("plans/", views.plans_index, name="supplychain-plans"),
    path("plans/new/", views.plan_new, name="supplychain-plan-new"),
    path("plans/significant-change/", views.plan_change, name="supplychain-plan-change"),
    path("plans/<int:pk>/", views.plan_detail, name="supplychain-plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="supplychain-plan-edit"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="supplychain-plan-submit"),
    path("plans/<int:pk>/accept/", views.plan_accept, name="supplychain-plan-accept"),
    path("plans/<int:pk>/return/", views.plan_return, name="supplychain-plan-return"),
    path("plans/<int:pk>/compare/", views.plan_compare, name="supplychain-plan-compare"),
]

api_urlpatterns = [
    path("management-plans/", api.PlanListView.as_view(), name="api-supplychain-plans"),
    path("management-plans/checklist/", api.ChecklistView.as_view(), name="api-supplychain-checklist"),
    path("management-plans/<int:pk>/", api.PlanDetailView.as_view(), name="api-supplychain-plan"),
    path("management-plans/<int:pk>/submit/", api.PlanSubmitView.as_view(), name="api-supplychain-plan-submit"),
    path("management-plans/<int:pk>/accept/", api.PlanAcceptView.as_view(), name="api-supplychain-plan-accept"),
    path("management-plans/<int:pk>/return/", api.PlanReturnView.as_view(), name="api-supplychain-plan-return"),
]
