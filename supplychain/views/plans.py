"""Pages of the Supply Chain Management Plan (paras 132-134) under /supply-chain/plans/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.views import add_service_errors, record_step
from supplychain import permissions
from supplychain.forms import PlanChangeForm, PlanConfirmForm, PlanReturnForm, PlanSectionsForm
from supplychain.permissions import ERR_PLANS_NOT_MEMBER
from supplychain.selectors import plans as selectors
from supplychain.services import plans as services

TEMPLATE = "supplychain/plans_detail.html"


def plans_index(request):
    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    user = request.user
    rows = selectors.plans_by_partner(user)
    own = next((r for r in rows if r.organisation.pk == user.organisation_id), None)
    return render(request, "supplychain/plans_index.html", {
        "rows": rows, "own": own, "can_draft": permissions.can_draft_plan(user), "today": local_today(),
        "is_manager": permissions.is_alliance_manager(user),
    })


@require_POST
def plan_new(request):
    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    try:
        plan = services.plan_draft(actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("supplychain-plans")
    messages.success(request, f"Version {plan.version} is started from your latest version.")
    return redirect("supplychain-plan", pk=plan.pk)


def _context(request, plan, **forms) -> dict:
    user = request.user
    editable = plan.status in ("draft", "returned") and permissions.can_write_plan(user, plan)
    manager = permissions.is_alliance_manager(user, plan.alliance_id) and plan.status == "submitted"
    initial = {**plan.sections, "change_note": plan.change_note}
    not_addressed = services.plan_missing_items(plan.sections)
    context = {
        "plan": plan, "items": selectors.plan_items(plan), "previous": selectors.plan_previous(plan),
        "not_addressed": not_addressed, "addressed_count": len(selectors.plan_items(plan)) - len(not_addressed),
        "history": selectors.plan_history(user, plan),
        "sections_form": PlanSectionsForm(initial=initial) if editable else None,
        "can_submit": editable, "can_decide": manager,
        "return_form": PlanReturnForm(initial={"missing": not_addressed}) if manager else None,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def plan_detail(request, pk: int):
    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    return render(request, TEMPLATE, _context(request, selectors.plan_for(request.user, pk)))


# How a step is taken from a plan's page (alliance.views.record_step).
PLAN_PAGE = {"load": selectors.plan_for, "context": _context, "template": TEMPLATE, "url_name": "supplychain-plan"}


@require_POST
def plan_edit(request, pk: int):
    def call(plan, data):
        form = PlanSectionsForm(request.POST)
        form.is_valid()
        services.plan_sections_save(actor=request.user, plan=plan, sections=form.sections(),
                                    change_note=data["change_note"])
        return "The plan is saved."

    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    return record_step(request, pk, PlanSectionsForm, "sections_form", call, **PLAN_PAGE)


@require_POST
def plan_submit(request, pk: int):
    def call(plan, data):
        services.plan_submit(actor=request.user, plan=plan)
        return "The plan is submitted to the Alliance Manager (para 132)."

    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    return record_step(request, pk, PlanConfirmForm, "submit_form", call, **PLAN_PAGE)


@require_POST
def plan_accept(request, pk: int):
    def call(plan, data):
        services.plan_accept(actor=request.user, plan=plan)
        return f"Version {plan.version} is accepted; the next resubmission is due in six months (para 134)."

    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    return record_step(request, pk, PlanConfirmForm, "accept_form", call, **PLAN_PAGE)


@require_POST
def plan_return(request, pk: int):
    def call(plan, data):
        services.plan_return(actor=request.user, plan=plan, missing=data["missing"], comments=data["comments"])
        return "The plan is returned to the partner, naming what it misses."

    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    return record_step(request, pk, PlanReturnForm, "return_form", call, **PLAN_PAGE)


def plan_compare(request, pk: int):
    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    plan = selectors.plan_for(request.user, pk)
    previous = selectors.plan_previous(plan)
    if previous is not None and not permissions.can_view_plan(request.user, previous):
        previous = None
    return render(request, "supplychain/plans_compare.html", {
        "plan": plan, "previous": previous, "rows": selectors.plan_compare(plan, previous)})


def plan_change(request):
    """A significant change brings a partner's resubmission forward (para 134): the Alliance Manager for any
    partner, a partner's people for their own."""
    permissions.require_member(request.user, ERR_PLANS_NOT_MEMBER)
    user = request.user
    manager = permissions.require_plan_change(user)
    organisations = selectors.partners_for_change(user, any_partner=manager)
    form = PlanChangeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            obligation = services.plan_change_require(actor=user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"The resubmission of {form.cleaned_data['organisation']} is now due "
                                      f"{obligation.due_date:%-d %b %Y} (para 134).")
            return redirect("supplychain-plans")
    return render(request, "supplychain/plans_change.html", {"form": form}, status=400 if form.errors else 200)
