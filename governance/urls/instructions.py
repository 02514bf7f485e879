"""URLs of client instructions: pages under /instructions/ and the API under /api/governance/instructions/."""

from __future__ import annotations

from django.urls import path

from governance.api import instructions as api
from governance.views import instructions as views

urlpatterns = [
    path("", views.register, name="instructions"),
    path("instructions.csv", views.register_csv, name="instructions-csv"),
    path("new/", views.issue, name="instruction-new"),
    path("<int:pk>/", views.detail, name="instruction"),
    path("<int:pk>/assessment/", views.assessment_submit, name="instruction-assessment"),
    path("<int:pk>/client-decision/", views.client_decide, name="instruction-client-decision"),
    path("<int:pk>/instruct/", views.instruct, name="instruction-instruct"),
    path("<int:pk>/withdraw/", views.withdraw, name="instruction-withdraw"),
    path("<int:pk>/retable/", views.retable, name="instruction-retable"),
    path("<int:pk>/documents/", views.document_attach, name="instruction-document-attach"),
    path("documents/<int:pk>/", views.document_download, name="instruction-document"),
]

api_urlpatterns = [
    path("instructions/", api.InstructionListView.as_view(), name="api-instructions"),
    path("instructions/<int:pk>/", api.InstructionDetailView.as_view(), name="api-instruction"),
    path("instructions/<int:pk>/impact-assessment/", api.ImpactAssessmentView.as_view(),
         name="api-instruction-impact-assessment"),
    path("instructions/<int:pk>/client-decision/", api.ClientDecisionView.as_view(),
         name="api-instruction-client-decision"),
    path("instructions/<int:pk>/instruct/", api.InstructView.as_view(), name="api-instruction-instruct"),
]
