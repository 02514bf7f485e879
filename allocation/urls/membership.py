"""URLs of membership: pages under /allocation/ and the API under /api/allocation/."""

from __future__ import annotations

from django.urls import path

from allocation.api import membership as api
from allocation.views import membership as views

urlpatterns = [
    path("membership/", views.changes, name="membership-changes"),
    path("membership/termination/", views.termination_new, name="membership-termination-new"),
    path("membership/new-partner/", views.new_partner, name="membership-new-partner"),
    path("membership/transition-plan/", views.transition_plan_deliver, name="membership-transition-plan"),
    path("membership/<int:pk>/", views.detail, name="membership-change"),
    path("membership/<int:pk>/apply/", views.apply, name="membership-change-apply"),
    path("membership/<int:pk>/repropose/", views.repropose, name="membership-change-repropose"),
    path("membership/<int:pk>/withdraw/", views.withdraw, name="membership-change-withdraw"),
]
api_urlpatterns = [
    path("membership-changes/", api.MembershipChangeListView.as_view(), name="api-membership-changes"),
    path("membership-changes/<int:pk>/", api.MembershipChangeDetailView.as_view(), name="api-membership-change"),
    path("membership-changes/<int:pk>/apply/", api.MembershipChangeApplyView.as_view(),
         name="api-membership-change-apply"),
]
