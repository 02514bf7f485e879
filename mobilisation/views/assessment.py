"""Pages of the self-assessment against the Alliancing Code of Practice (seed 003) under
/mobilisation/assessments/: the list, opening one, an assessment with the rating form, its results and gaps."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.views import add_service_errors, record_step
from mobilisation import permissions
from mobilisation.forms import AssessmentCloseForm, AssessmentOpenForm, GapActionForm, RatingsForm
from mobilisation.models import SelfAssessmentStatus
from mobilisation.permissions import ERR_SELF_ASSESSMENT_NOT_MEMBER
from mobilisation.selectors import assessment as selectors
from mobilisation.services import assessment as services

TEMPLATE = "mobilisation/assessment_detail.html"
PAGE_SIZE = 20
DEFAULT_DAYS_OPEN = 14  # only the form's suggestion: the seed sets no period


def assessments_index(request):
    alliance_id = permissions.require_member(request.user, ERR_SELF_ASSESSMENT_NOT_MEMBER)
    page = Paginator(selectors.self_assessments(alliance_id), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mobilisation/assessment_list.html", {
        "page": page, "assessments": page.object_list, "is_manager": permissions.is_alliance_manager(request.user),
        "open_now": selectors.self_assessment_open_now(alliance_id), "gap_below": selectors.GAP_BELOW,
    })


def assessment_new(request):
    permissions.require_member(request.user, ERR_SELF_ASSESSMENT_NOT_MEMBER)
    permissions.require_self_assessment_manager(request.user)
    today = local_today()
    form = AssessmentOpenForm(request.POST or None, initial={
        "title": f"Self-assessment, {today:%B %Y}", "opens_on": today,
        "closes_on": today + dt.timedelta(days=DEFAULT_DAYS_OPEN)})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.self_assessment_open(actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"“{assessment.title}” is open for ratings until "
                                      f"{assessment.closes_on:%-d %b %Y}.")
            return redirect("mobilisation-assessment", pk=assessment.pk)
    return render(request, "mobilisation/assessment_new.html", {"form": form}, status=400 if form.errors else 200)


def _can_rate_now(user, assessment) -> bool:
    today = local_today()
    return (assessment.status == SelfAssessmentStatus.OPEN and assessment.opens_on <= today <= assessment.closes_on
            and permissions.can_rate(user, assessment.alliance_id))


def _context(request, assessment, **forms) -> dict:
    user = request.user
    is_manager = permissions.is_alliance_manager(user, assessment.alliance_id)
    is_open = assessment.status == SelfAssessmentStatus.OPEN
    groups = selectors.code_outcomes_grouped(assessment.alliance_id)
    ratings_form = None
    own: dict[str, int] = {}
    if _can_rate_now(user, assessment):
        own = selectors.ratings_of(assessment, user)
        outcomes = [o for g in groups for o in g.outcomes]
        ratings_form = RatingsForm(outcomes=outcomes, initial={code: str(score) for code, score in own.items()})
    show_results = not is_open or is_manager
    results = selectors.self_assessment_results(assessment) if show_results else None
    plan = selectors.maturity_plan_draft(assessment.alliance_id) if is_manager and results and results.gaps else None
    focus_areas = list(selectors.maturity_draft_focus_areas(plan).values_list("pk", "title"))
    gap_forms = []
    if results is not None:
        for cell in results.gaps:
            form = None
            if plan is not None:
                form = GapActionForm(focus_areas=focus_areas, initial={"theme": cell.theme, "phase": cell.phase},
                                     prefix=f"gap-{cell.theme}-{cell.phase}")
            gap_forms.append((cell, form))
    context = {
        "assessment": assessment, "is_manager": is_manager, "is_open": is_open, "groups": groups,
        "ratings_form": ratings_form, "rated_count": len(own), "outcome_count": sum(len(g.outcomes) for g in groups),
        "participants": results.participants if results else selectors.self_assessment_participants(assessment),
        "results": results, "gap_forms": gap_forms, "draft_plan": plan, "gap_below": selectors.GAP_BELOW,
        "can_close": is_manager and is_open, "today": local_today(),
        "history": (assessment.history.select_related("history_user").order_by("-history_date")[:20]
                    if is_manager else ()),
    }
    failed = forms.pop("gap_failed", None)
    if failed is not None:
        context["gap_forms"] = [(c, failed if (c.theme, c.phase) == (failed.initial.get("theme"), failed.initial.get("phase"))
                                 else f) for c, f in gap_forms]
    context.update({k: v for k, v in forms.items() if v is not None})
    form = context["ratings_form"]
    context["rating_groups"] = ([(g, [form[o.code] for o in g.outcomes if o.code in form.fields]) for g in groups]
                                if form is not None else [])
    return context


def assessment_detail(request, pk: int):
    permissions.require_member(request.user, ERR_SELF_ASSESSMENT_NOT_MEMBER)
    return render(request, TEMPLATE, _context(request, selectors.self_assessment_for(request.user, pk)))


@require_POST
def assessment_rate(request, pk: int):
    permissions.require_member(request.user, ERR_SELF_ASSESSMENT_NOT_MEMBER)
    assessment = selectors.self_assessment_for(request.user, pk)
    permissions.require_rater(request.user, assessment.alliance_id)
    groups = selectors.code_outcomes_grouped(assessment.alliance_id)
    form = RatingsForm(request.POST, outcomes=[o for g in groups for o in g.outcomes])
    if form.is_valid():
        try:
            changed = services.ratings_save(actor=request.user, assessment=assessment, scores=form.scores())
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"Your ratings are saved ({changed} added or changed). You can come back and "
                                      "change them until the self-assessment closes.")
            return redirect("mobilisation-assessment", pk=pk)
    # The form is shown even if the assessment closed meanwhile, so that the refusal is seen.
    page = _context(request, assessment, ratings_form=form)
    page["errors_form"] = form
    return render(request, TEMPLATE, page, status=400)


@require_POST
def assessment_close(request, pk: int):
    permissions.require_member(request.user, ERR_SELF_ASSESSMENT_NOT_MEMBER)
    permissions.require_self_assessment_manager(request.user)

    def call(assessment, data):
        services.self_assessment_close(actor=request.user, assessment=assessment)
        return f"“{assessment.title}” is closed: its results are open to every member."

    return record_step(request, pk, AssessmentCloseForm, "close_form", call, load=selectors.self_assessment_for,
                       context=_context, template=TEMPLATE, url_name="mobilisation-assessment")


@require_POST
def assessment_gap_action(request, pk: int):
    """Turn a gap into an action of the current draft maturity plan; the form's prefix names the gap."""
    permissions.require_member(request.user, ERR_SELF_ASSESSMENT_NOT_MEMBER)
    permissions.require_self_assessment_manager(request.user)
    assessment = selectors.self_assessment_for(request.user, pk)
    prefix = request.POST.get("prefix", "")
    plan = selectors.maturity_plan_draft(assessment.alliance_id)
    form = GapActionForm(request.POST, prefix=prefix or None,
                         focus_areas=list(selectors.maturity_draft_focus_areas(plan).values_list("pk", "title")))
    if form.is_valid():
        data = form.cleaned_data
        try:
            action = services.self_assessment_gap_to_action(
                actor=request.user, assessment=assessment, theme=data["theme"], phase=data["phase"],
                focus_area_id=data["focus_area"], description=data["description"], due_on=data["due_on"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"The action is added to “{action.focus_area.title}” of the draft maturity "
                                      f"plan (version {action.focus_area.plan.version}).")
            return redirect("mobilisation-assessment", pk=pk)
    form.initial.update({"theme": request.POST.get(f"{prefix}-theme"), "phase": request.POST.get(f"{prefix}-phase")})
    page = _context(request, assessment, gap_failed=form)
    page["errors_form"] = form
    return render(request, TEMPLATE, page, status=400)
