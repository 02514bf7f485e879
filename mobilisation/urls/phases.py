"""URLs of the mobilisation phases and their go / no-go assessments (paras 208-210)."""

from __future__ import annotations

from django.urls import path

from mobilisation.views import phases as views

urlpatterns = [
    path("phases/", views.phases_index, name="mobilisation-phases"),
    path("phases/lay-out/", views.phases_seed, name="mobilisation-phases-seed"),
    path("phases/<int:pk>/", views.phase_detail, name="mobilisation-phase"),
    path("phases/<int:pk>/assess/", views.phase_assess, name="mobilisation-phase-assess"),
    path("phases/assessments/<int:pk>/", views.assessment_detail, name="mobilisation-phase-assessment"),
    path("phases/assessments/<int:pk>/criteria/", views.assessment_criterion_add,
         name="mobilisation-phase-assessment-criterion"),
    path("phases/assessments/<int:pk>/mark/", views.assessment_mark, name="mobilisation-phase-assessment-mark"),
    path("phases/assessments/<int:pk>/outcome/", views.assessment_outcome,
         name="mobilisation-phase-assessment-outcome"),
    path("phases/actions/<int:pk>/done/", views.no_go_action_done, name="mobilisation-no-go-action-done"),
]

# The API contract asks for no endpoint of the phases; their pages are the way in.
api_urlpatterns: list = []
