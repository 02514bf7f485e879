"""Pages of the five-year rolling maturity plan (paras 216-221) under /mobilisation/maturity/.

Thin: parse a form, call one service or selector, render. Every member of the alliance reads the plan; another
alliance's version is 404. Only the Alliance Manager drafts, edits and submits (403 for anyone else, checked
before the form so that a wrong role gets 403 rather than a form error).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.permissions import can_view_obligation
from alliance.views import add_service_errors, record_step
from mobilisation.forms import MaturityActionForm, MaturityEditForm, MaturitySubmitForm
from mobilisation.models import MaturityLevel, MaturityPlanStatus, TargetPeriod
from mobilisation.permissions import (
    ERR_MATURITY_NOT_MEMBER,
    can_draft_maturity_plan,
    require_maturity_drafter,
    require_member,
)
from mobilisation.selectors import maturity as selectors
from mobilisation.services import maturity as services

_EDITABLE = (MaturityPlanStatus.DRAFT, MaturityPlanStatus.RETURNED)


def _common() -> dict:
    return {"periods": TargetPeriod.choices, "levels": MaturityLevel.choices}


def maturity_current(request):
    """The plan on a page (para 220): the current version's focus areas by period, and every version."""
    alliance_id = require_member(request.user, ERR_MATURITY_NOT_MEMBER)
    plan = selectors.maturity_plan_current(alliance_id)
    in_progress = selectors.maturity_plan_in_progress(alliance_id)
    return render(request, "mobilisation/maturity_current.html", {
        **_common(),
        "plan": plan,
        "grid": selectors.maturity_grid(plan) if plan else [],
        "versions": selectors.maturity_plans(alliance_id),
        "in_progress": in_progress,
        "can_draft": can_draft_maturity_plan(request.user, alliance_id) and in_progress is None,
    })


@require_POST
def maturity_draft(request):
    alliance_id = require_member(request.user, ERR_MATURITY_NOT_MEMBER)
    require_maturity_drafter(request.user, alliance_id)
    try:
        plan = services.maturity_plan_draft(actor=request.user, alliance=request.user.organisation.alliance)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("mobilisation-maturity")
    messages.success(request, f"Version {plan.version} is started: set its targets and actions.")
    return redirect("mobilisation-maturity-edit", pk=plan.pk)


def _plan_context(request, plan, **forms) -> dict:
    drafting = can_draft_maturity_plan(request.user, plan.alliance_id) and plan.status in _EDITABLE
    grid = selectors.maturity_grid(plan)
    return {
        **_common(),
        "plan": plan,
        "grid": grid,
        "incomplete": [row.focus_area.title for group in grid for row in group.rows if not row.complete],
        "history": selectors.maturity_plan_history(plan),
        "clocks": [(clock, can_view_obligation(request.user, clock))
                   for clock in selectors.maturity_plan_clocks(plan)],
        "today": local_today(),
        "can_edit": drafting,
        "submit_form": (forms.get("submit_form") or MaturitySubmitForm()) if drafting else None,
    }


def maturity_plan(request, pk: int):
    require_member(request.user, ERR_MATURITY_NOT_MEMBER)
    plan = selectors.maturity_plan_for(request.user, pk)
    return render(request, "mobilisation/maturity_detail.html", _plan_context(request, plan))


def _edit_page(request, plan, form=None, action_form=None, status: int = 200):
    grid = selectors.maturity_grid(plan)
    form = form or MaturityEditForm(initial={"summary": plan.summary}, grid=grid)
    action_form = action_form or MaturityActionForm(plan=plan, grid=grid)
    return render(request, "mobilisation/maturity_edit.html", {
        **_common(), "plan": plan, "form": form, "action_form": action_form, "grid": grid,
        "errors_form": form if form.errors else action_form,
        "editable": plan.status in _EDITABLE,
    }, status=status)


def maturity_edit(request, pk: int):
    require_member(request.user, ERR_MATURITY_NOT_MEMBER)
    plan = selectors.maturity_plan_for(request.user, pk)
    require_maturity_drafter(request.user, plan.alliance_id)
    if request.method != "POST":
        return _edit_page(request, plan)
    form = MaturityEditForm(request.POST, grid=selectors.maturity_grid(plan))
    if form.is_valid():
        try:
            services.maturity_plan_edit(actor=request.user, plan=plan, targets=form.targets(),
                                        summary=form.cleaned_data["summary"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "The draft is saved.")
            return redirect("mobilisation-maturity-plan", pk=plan.pk)
    return _edit_page(request, plan, form=form, status=400)


@require_POST
def maturity_action_add(request, pk: int):
    require_member(request.user, ERR_MATURITY_NOT_MEMBER)
    plan = selectors.maturity_plan_for(request.user, pk)
    require_maturity_drafter(request.user, plan.alliance_id)
    form = MaturityActionForm(request.POST, plan=plan, grid=selectors.maturity_grid(plan))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.maturity_action_add(actor=request.user, plan=plan, focus_area_id=data["focus_area"],
                                         description=data["description"], owner=data["owner"],
                                         due_on=data["due_on"], source=data["source"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "The action is added.")
            return redirect("mobilisation-maturity-edit", pk=plan.pk)
    return _edit_page(request, selectors.maturity_plan_for(request.user, pk), action_form=form, status=400)


@require_POST
def maturity_action_remove(request, pk: int, action_pk: int):
    require_member(request.user, ERR_MATURITY_NOT_MEMBER)
    plan = selectors.maturity_plan_for(request.user, pk)
    require_maturity_drafter(request.user, plan.alliance_id)
    try:
        services.maturity_action_remove(actor=request.user, plan=plan, action_id=action_pk)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The action is removed.")
    return redirect("mobilisation-maturity-edit", pk=plan.pk)


@require_POST
def maturity_submit(request, pk: int):
    require_member(request.user, ERR_MATURITY_NOT_MEMBER)
    plan = selectors.maturity_plan_for(request.user, pk)
    require_maturity_drafter(request.user, plan.alliance_id)

    def call(plan, data):
        decision = services.maturity_plan_submit(actor=request.user, plan=plan, closes_on=data["closes_on"])
        return (f"Version {plan.version} is with the Board for unanimous sign-off: its decision closes on "
                f"{decision.closes_at:%-d %b %Y}.")

    return record_step(request, pk, MaturitySubmitForm, "submit_form", call, load=selectors.maturity_plan_for,
                       context=_plan_context, template="mobilisation/maturity_detail.html",
                       url_name="mobilisation-maturity-plan")
