"""Pages of the Supply Chain Management Plan (paras 132-134) under /supply-chain/plans/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.views import add_service_errors, record_step
from supplychain import permissions, selectors, services
from supplychain.forms.plans import PlanChangeForm, PlanConfirmForm, PlanReturnForm, PlanSectionsForm

ERR_NOT_MEMBER = "The supply chain pages are for the members of an alliance."
TEMPLATE = "supplychain/plans_detail.html"


def _member(request) -> None:
    if not permissions.can_view_supply_chain(request.user):
        raise PermissionDenied(ERR_NOT_MEMBER)


def plans_index(request):
    _member(request)
    user = request.user
    rows = selectors.plans_by_partner(user)
    own = next((r for r in rows if r.organisation.pk == user.organisation_id), None)
    return render(request, "supplychain/plans_index.html", {
        "rows": rows, "own": own, "can_draft": permissions.can_draft_plan(user), "today": local_today(),
        "is_manager": permissions.is_alliance_manager(user),
    })


@require_POST
def plan_new(request):
    _member(request)
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
    _member(request)
    return render(request, TEMPLATE, _context(request, selectors.plan_for(request.user, pk)))


def _step(request, pk: int, form_class, key: str, call):
    _member(request)
    return record_step(request, pk, form_class, key, call, load=selectors.plan_for, context=_context,
                       template=TEMPLATE, url_name="supplychain-plan")


@require_POST
def plan_edit(request, pk: int):
    def call(plan, data):
        form = PlanSectionsForm(request.POST)
        form.is_valid()
        services.plan_sections_save(actor=request.user, plan=plan, sections=form.sections(),
                                    change_note=data["change_note"])
        return "The plan is saved."

    return _step(request, pk, PlanSectionsForm, "sections_form", call)


@require_POST
def plan_submit(request, pk: int):
    def call(plan, data):
        services.plan_submit(actor=request.user, plan=plan)
        return "The plan is submitted to the Alliance Manager (para 132)."

    return _step(request, pk, PlanConfirmForm, "submit_form", call)


@require_POST
def plan_accept(request, pk: int):
    def call(plan, data):
        services.plan_accept(actor=request.user, plan=plan)
        return f"Version {plan.version} is accepted; the next resubmission is due in six months (para 134)."

    return _step(request, pk, PlanConfirmForm, "accept_form", call)


@require_POST
def plan_return(request, pk: int):
    def call(plan, data):
        services.plan_return(actor=request.user, plan=plan, missing=data["missing"], comments=data["comments"])
        return "The plan is returned to the partner, naming what it misses."

    return _step(request, pk, PlanReturnForm, "return_form", call)


def plan_compare(request, pk: int):
    _member(request)
    plan = selectors.plan_for(request.user, pk)
    previous = selectors.plan_previous(plan)
    if previous is not None and not permissions.can_view_plan(request.user, previous):
        previous = None
    return render(request, "supplychain/plans_compare.html", {
        "plan": plan, "previous": previous, "rows": selectors.plan_compare(plan, previous)})


def plan_change(request):
    """A significant change brings a partner's resubmission forward (para 134): the Alliance Manager for any
    partner, a partner's people for their own."""
    _member(request)
    user = request.user
    manager = permissions.is_alliance_manager(user)
    if not manager and not permissions.can_draft_plan(user):
        raise PermissionDenied(services.ERR_PLAN_NOT_AM)
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
