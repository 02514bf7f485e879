"""URLs of mobilisation: ``urlpatterns`` are the pages under /mobilisation/, ``api_urlpatterns`` the API under
/api/mobilisation/ (config/urls.py mounts both). The phases and the self-assessment have pages only: the issue's API
contract asks for no endpoint of theirs."""

from __future__ import annotations

from django.urls import path

from mobilisation import api
from mobilisation.views import assessment, deliverables, maturity, phases

urlpatterns = [
    # The mobilisation plan and its deliverables.
    path("", deliverables.overview, name="mobilisation"),
    path("timeline/", deliverables.timeline, name="mobilisation-timeline"),
    path("plan/", deliverables.plan_detail, name="mobilisation-plan"),
    path("plan/send/", deliverables.plan_send, name="mobilisation-plan-send"),
    path("plan/review/", deliverables.plan_review, name="mobilisation-plan-review"),
    path("plan/baseline/", deliverables.plan_baseline, name="mobilisation-plan-baseline"),
    path("deliverables/", deliverables.deliverables_table, name="mobilisation-deliverables"),
    path("deliverables/export.csv", deliverables.deliverables_csv, name="mobilisation-deliverables-csv"),
    path("deliverables/table-7/", deliverables.deliverables_seed, name="mobilisation-deliverables-seed"),
    path("deliverables/new/", deliverables.deliverable_new, name="mobilisation-deliverable-new"),
    path("deliverables/<int:pk>/", deliverables.deliverable_detail, name="mobilisation-deliverable"),
    path("deliverables/<int:pk>/edit/", deliverables.deliverable_edit, name="mobilisation-deliverable-edit"),
    path("deliverables/<int:pk>/start/", deliverables.deliverable_start, name="mobilisation-deliverable-start"),
    path("deliverables/<int:pk>/submit/", deliverables.deliverable_submit, name="mobilisation-deliverable-submit"),
    path("deliverables/<int:pk>/approve/", deliverables.deliverable_approve, name="mobilisation-deliverable-approve"),
    path("deliverables/<int:pk>/return/", deliverables.deliverable_return, name="mobilisation-deliverable-return"),
    path("deliverables/<int:pk>/evidence/", deliverables.evidence_add, name="mobilisation-deliverable-evidence"),
    path("evidence/<int:pk>/", deliverables.evidence_download, name="mobilisation-evidence"),
    # The phases and their go / no-go assessments (paras 208-210).
    path("phases/", phases.phases_index, name="mobilisation-phases"),
    path("phases/lay-out/", phases.phases_seed, name="mobilisation-phases-seed"),
    path("phases/<int:pk>/", phases.phase_detail, name="mobilisation-phase"),
    path("phases/<int:pk>/assess/", phases.phase_assess, name="mobilisation-phase-assess"),
    path("phases/assessments/<int:pk>/", phases.assessment_detail, name="mobilisation-phase-assessment"),
    path("phases/assessments/<int:pk>/criteria/", phases.assessment_criterion_add,
         name="mobilisation-phase-assessment-criterion"),
    path("phases/assessments/<int:pk>/mark/", phases.assessment_mark, name="mobilisation-phase-assessment-mark"),
    path("phases/assessments/<int:pk>/outcome/", phases.assessment_outcome,
         name="mobilisation-phase-assessment-outcome"),
    path("phases/actions/<int:pk>/done/", phases.no_go_action_done, name="mobilisation-no-go-action-done"),
    # The five-year rolling maturity plan (paras 216-221).
    path("maturity/", maturity.maturity_current, name="mobilisation-maturity"),
    path("maturity/new/", maturity.maturity_draft, name="mobilisation-maturity-draft"),
    path("maturity/<int:pk>/", maturity.maturity_plan, name="mobilisation-maturity-plan"),
    path("maturity/<int:pk>/edit/", maturity.maturity_edit, name="mobilisation-maturity-edit"),
    path("maturity/<int:pk>/actions/", maturity.maturity_action_add, name="mobilisation-maturity-action-add"),
    path("maturity/<int:pk>/actions/<int:action_pk>/remove/", maturity.maturity_action_remove,
         name="mobilisation-maturity-action-remove"),
    path("maturity/<int:pk>/submit/", maturity.maturity_submit, name="mobilisation-maturity-submit"),
    # The self-assessment against the Alliancing Code of Practice (seed 003).
    path("assessments/", assessment.assessments_index, name="mobilisation-assessments"),
    path("assessments/new/", assessment.assessment_new, name="mobilisation-assessment-new"),
    path("assessments/<int:pk>/", assessment.assessment_detail, name="mobilisation-assessment"),
    path("assessments/<int:pk>/rate/", assessment.assessment_rate, name="mobilisation-assessment-rate"),
    path("assessments/<int:pk>/close/", assessment.assessment_close, name="mobilisation-assessment-close"),
    path("assessments/<int:pk>/gap-action/", assessment.assessment_gap_action,
         name="mobilisation-assessment-gap-action"),
]

api_urlpatterns = [
    path("deliverables/", api.DeliverableListView.as_view(), name="api-mobilisation-deliverables"),
    path("deliverables/<int:pk>/", api.DeliverableDetailView.as_view(), name="api-mobilisation-deliverable"),
    path("maturity-plan/", api.MaturityPlanCurrentView.as_view(), name="api-mobilisation-maturity-plan"),
]
