"""URLs of the self-assessment against the Alliancing Code of Practice (seed 003), pages only."""

from __future__ import annotations

from django.urls import path

from mobilisation.views import assessment as views

urlpatterns = [
    path("assessments/", views.assessments_index, name="mobilisation-assessments"),
    path("assessments/new/", views.assessment_new, name="mobilisation-assessment-new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="mobilisation-assessment"),
    path("assessments/<int:pk>/rate/", views.assessment_rate, name="mobilisation-assessment-rate"),
    path("assessments/<int:pk>/close/", views.assessment_close, name="mobilisation-assessment-close"),
    path("assessments/<int:pk>/gap-action/", views.assessment_gap_action, name="mobilisation-assessment-gap-action"),
]

api_urlpatterns: list = []
