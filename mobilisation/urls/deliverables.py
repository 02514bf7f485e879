"""URLs of the mobilisation plan: pages under /mobilisation/, the API under /api/mobilisation/."""

from __future__ import annotations

from django.urls import path

from mobilisation.api import deliverables as api
from mobilisation.views import deliverables as views

urlpatterns = [
    path("", views.overview, name="mobilisation"),
    path("timeline/", views.timeline, name="mobilisation-timeline"),
    path("plan/", views.plan_detail, name="mobilisation-plan"),
    path("plan/send/", views.plan_send, name="mobilisation-plan-send"),
    path("plan/review/", views.plan_review, name="mobilisation-plan-review"),
    path("plan/baseline/", views.plan_baseline, name="mobilisation-plan-baseline"),
    path("deliverables/", views.deliverables_table, name="mobilisation-deliverables"),
    path("deliverables/export.csv", views.deliverables_csv, name="mobilisation-deliverables-csv"),
    path("deliverables/table-7/", views.deliverables_seed, name="mobilisation-deliverables-seed"),
    path("deliverables/new/", views.deliverable_new, name="mobilisation-deliverable-new"),
    path("deliverables/<int:pk>/", views.deliverable_detail, name="mobilisation-deliverable"),
    path("deliverables/<int:pk>/edit/", views.deliverable_edit, name="mobilisation-deliverable-edit"),
    path("deliverables/<int:pk>/start/", views.deliverable_start, name="mobilisation-deliverable-start"),
    path("deliverables/<int:pk>/submit/", views.deliverable_submit, name="mobilisation-deliverable-submit"),
    path("deliverables/<int:pk>/approve/", views.deliverable_approve, name="mobilisation-deliverable-approve"),
    path("deliverables/<int:pk>/return/", views.deliverable_return, name="mobilisation-deliverable-return"),
    path("deliverables/<int:pk>/evidence/", views.evidence_add, name="mobilisation-deliverable-evidence"),
    path("evidence/<int:pk>/", views.evidence_download, name="mobilisation-evidence"),
]

api_urlpatterns = [
    path("deliverables/", api.DeliverableListView.as_view(), name="api-mobilisation-deliverables"),
    path("deliverables/<int:pk>/", api.DeliverableDetailView.as_view(), name="api-mobilisation-deliverable"),
]
