"""URLs of plan: pages (mounted by config/urls.py) and API under /api/governance/."""

from __future__ import annotations

from django.urls import path

from governance.api import plan as api
from governance.views import plan as views

urlpatterns = [
    path("", views.plan, name="plan"),
    path("versions/<int:number>/", views.plan_version, name="plan-version"),
    path("compare/", views.plan_compare, name="plan-compare"),
    path("publish/", views.plan_publish, name="plan-publish"),
    path("proposals/", views.plan_proposals, name="plan-proposals"),
    path("proposals/new/", views.plan_proposal_new, name="plan-proposal-new"),
    path("proposals/<int:pk>/", views.plan_proposal, name="plan-proposal"),
    path("proposals/<int:pk>/review/", views.plan_proposal_review, name="plan-proposal-review"),
    path("proposals/<int:pk>/withdraw/", views.plan_proposal_withdraw, name="plan-proposal-withdraw"),
]

api_urlpatterns = [
    path("plan/", api.PlanCurrentView.as_view(), name="api-plan"),
    path("plan/versions/", api.PlanVersionListView.as_view(), name="api-plan-versions"),
    path("plan/proposals/", api.PlanProposalListView.as_view(), name="api-plan-proposals"),
    path("plan/proposals/<int:pk>/", api.PlanProposalDetailView.as_view(), name="api-plan-proposal"),
]
