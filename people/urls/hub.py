"""Pages of Production Hub resourcing (paras 63-71) under /people/hub/."""

from __future__ import annotations

from django.urls import path

from people.views import hub as views

urlpatterns = [
    path("", views.hub_overview, name="people-hub"),
    path("proposals/new/", views.proposal_request, name="people-proposal-request"),
    path("proposals/<int:pk>/", views.proposal_detail, name="people-proposal"),
    path("proposals/<int:pk>/services/", views.proposal_services, name="people-proposal-services"),
    path("proposals/<int:pk>/candidates/", views.proposal_candidate_add, name="people-proposal-candidate"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="people-proposal-submit"),
    path("proposals/<int:pk>/return/", views.proposal_return, name="people-proposal-return"),
    path("proposals/<int:pk>/approve/", views.proposal_approve, name="people-proposal-approve"),
    path("calls/new/", views.call_issue, name="people-call-issue"),
    path("calls/<int:pk>/", views.call_detail, name="people-call"),
    path("calls/<int:pk>/cv/", views.call_cv_submit, name="people-call-cv"),
    path("calls/<int:pk>/recommend/", views.portfolio_recommend, name="people-call-recommend"),
    path("recommendations/<int:pk>/comments/", views.portfolio_comments, name="people-recommendation-comments"),
    path("presence/", views.client_presence, name="people-presence"),
]
