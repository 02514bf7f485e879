"""Pages of the mobilisation phases and their go / no-go assessments (paras 208-210) under
/mobilisation/phases/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.views import add_service_errors, record_step
from mobilisation import permissions
from mobilisation.forms import (
    AssessmentPrepareForm,
    CriteriaMarkForm,
    CriterionAddForm,
    OutcomeForm,
    PhaseConfirmForm,
)
from mobilisation.models import AssessmentOutcome, PhaseStatus
from mobilisation.selectors import phases as selectors
from mobilisation.services import phases as services

PHASE_TEMPLATE = "mobilisation/phases_phase.html"
ASSESSMENT_TEMPLATE = "mobilisation/phases_assessment.html"
PHASE_COUNT = 4  # transition, interim (accelerated), interim (full), enduring: para 208


def phases_index(request):
    permissions.require_member(request.user)
    phases = list(selectors.phases_of(request.user))
    return render(request, "mobilisation/phases_index.html", {
        "phases": phases,
        "can_seed": permissions.is_alliance_manager(request.user) and len(phases) < PHASE_COUNT,
    })


@require_POST
def phases_seed(request):
    permissions.require_member(request.user)
    services.phases_seed(request.user.organisation.alliance, actor=request.user)
    messages.success(request, "The phases are laid out from the Alliance Start Date (para 208).")
    return redirect("mobilisation-phases")


def _phase_context(request, phase, **forms) -> dict:
    assessments = list(phase.assessments.all())
    may_prepare = (permissions.is_alliance_manager(request.user, phase.alliance_id)
                   and phase.status == PhaseStatus.OPEN and not any(not a.outcome for a in assessments))
    context = {
        "phase": phase, "assessments": assessments,
        "history": phase.history.select_related("history_user").order_by("-history_date")[:50],
        "prepare_form": AssessmentPrepareForm(initial={"held_on": phase.ends_on}) if may_prepare else None,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def phase_detail(request, pk: int):
    permissions.require_member(request.user)
    return render(request, PHASE_TEMPLATE, _phase_context(request, selectors.phase_for(request.user, pk)))


@require_POST
def phase_assess(request, pk: int):
    """The Alliance Manager prepares the phase's go / no-go assessment; the new assessment's page follows."""
    permissions.require_member(request.user)
    phase = selectors.phase_for(request.user, pk)
    form = AssessmentPrepareForm(request.POST)
    if form.is_valid():
        try:
            assessment = services.assessment_prepare(actor=request.user, phase=phase, criteria=form.criteria(),
                                                     held_on=form.cleaned_data["held_on"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "The assessment is prepared: mark each criterion with its evidence.")
            return redirect("mobilisation-phase-assessment", pk=assessment.pk)
    phase = selectors.phase_for(request.user, pk)
    page = _phase_context(request, phase)
    page["prepare_form"] = page["errors_form"] = form
    return render(request, PHASE_TEMPLATE, page, status=400)


def _assessment_context(request, assessment, **forms) -> dict:
    user = request.user
    alliance_id = assessment.phase.alliance_id
    preparing = not assessment.outcome
    levels = selectors.assessment_criteria_by_level(assessment)
    criteria = [c for group in levels for c in group.criteria]
    manager = preparing and permissions.is_alliance_manager(user, alliance_id)
    sro = preparing and permissions.is_sro(user, alliance_id)
    context = {
        "assessment": assessment, "phase": assessment.phase, "levels": levels,
        "unmarked": sum(c.met is None for c in criteria), "unmet": sum(c.met is False for c in criteria),
        "actions": [(a, a.done_on is None and permissions.can_work_on_deliverable(user, a.owner_id, alliance_id))
                    for a in assessment.actions.all()],
        "history": selectors.assessment_history(assessment),
        "criterion_form": CriterionAddForm() if manager else None,
        "mark_form": CriteriaMarkForm(criteria=criteria) if manager and criteria else None,
        "outcome_form": OutcomeForm(organisations=selectors.phase_organisations(alliance_id)) if sro else None,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def assessment_detail(request, pk: int):
    permissions.require_member(request.user)
    return render(request, ASSESSMENT_TEMPLATE,
                  _assessment_context(request, selectors.assessment_for(request.user, pk)))


# How a step is taken from an assessment's page (alliance.views.record_step).
ASSESSMENT_PAGE = {"load": selectors.assessment_for, "context": _assessment_context,
                   "template": ASSESSMENT_TEMPLATE, "url_name": "mobilisation-phase-assessment"}


@require_POST
def assessment_criterion_add(request, pk: int):
    def call(assessment, data):
        services.assessment_criterion_add(actor=request.user, assessment=assessment, **data)
        return "The criterion is added."

    permissions.require_member(request.user)
    return record_step(request, pk, CriterionAddForm, "criterion_form", call, **ASSESSMENT_PAGE)


@require_POST
def assessment_mark(request, pk: int):
    permissions.require_member(request.user)
    assessment = selectors.assessment_for(request.user, pk)
    criteria = [c for group in selectors.assessment_criteria_by_level(assessment) for c in group.criteria]
    built = []

    def make(data, files=None):
        built.append(CriteriaMarkForm(data, files, criteria=criteria))
        return built[-1]

    def call(assessment, data):
        changed = services.criteria_mark(actor=request.user, assessment=assessment, marks=built[-1].marks())
        return f"{changed} criterion marking{'s' if changed != 1 else ''} saved."

    return record_step(request, pk, make, "mark_form", call, **ASSESSMENT_PAGE)


@require_POST
def assessment_outcome(request, pk: int):
    permissions.require_member(request.user)
    assessment = selectors.assessment_for(request.user, pk)
    built = []

    def make(data, files=None):
        built.append(OutcomeForm(data, files, organisations=selectors.phase_organisations(assessment.phase.alliance_id)))
        return built[-1]

    def call(assessment, data):
        decided = services.assessment_outcome_record(
            actor=request.user, assessment=assessment, outcome=data["outcome"], notes=data["notes"],
            actions=built[-1].actions())
        if decided.outcome == AssessmentOutcome.GO:
            return "Go recorded: the phase is closed (para 209)."
        return "No go recorded: the phase stays open and each action's owner has a dated obligation."

    return record_step(request, pk, make, "outcome_form", call, **ASSESSMENT_PAGE)


@require_POST
def no_go_action_done(request, pk: int):
    permissions.require_member(request.user)
    action = selectors.no_go_action_for(request.user, pk)
    form = PhaseConfirmForm(request.POST)
    form.is_valid()
    try:
        services.no_go_action_done(actor=request.user, action=action)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, "The action is marked done; its obligation is met.")
    return redirect("mobilisation-phase-assessment", pk=action.assessment_id)

