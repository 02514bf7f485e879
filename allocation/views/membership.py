"""Pages of membership changes (paras 95-98) and the transition plan (para 83).

Thin: parse a form, call one service or selector, render. Everyone in the alliance reads; the services decide
who may write (the SRO or the Alliance Manager records, the SRO applies).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.permissions import alliance_id_of
from alliance.views import add_service_errors
from allocation import permissions
from allocation.forms import (
    MembershipNewPartnerForm,
    MembershipTerminationForm,
    MembershipWithdrawForm,
    TransitionPlanDeliverForm,
)
from allocation.models import MembershipChangeKind, MembershipChangeStatus
from allocation.selectors.membership import (
    membership_change_for,
    membership_change_history,
    membership_changes_of,
    membership_lot_shares,
    membership_reallocations,
    new_partner_candidates,
    termination_candidates,
    transition_plan_obligation,
)
from allocation.services import membership as services

PAGE_SIZE = 50


def changes(request):
    permissions.require_membership_viewer(request.user)
    user = request.user
    page = Paginator(membership_changes_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    plan = transition_plan_obligation(alliance_id_of(user))
    return render(request, "allocation/membership/list.html", {
        "page": page, "plan": plan, "today": local_today(),
        "can_record": permissions.can_record_membership_change(user),
        "plan_form": (TransitionPlanDeliverForm() if permissions.can_record_transition_plan(user)
                      and (plan is None or plan.status == "open") else None),
    })


def _record(request, form_class, partners, call, template: str):
    permissions.require_membership_recorder(request.user)
    form = form_class(request.POST or None, partners=partners, initial={"effective_on": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = call(actor=request.user, organisation=data["organisation"], effective_on=data["effective_on"],
                          reason=data["reason"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{change.get_kind_display()}: {change.organisation.name} is recorded.")
            return redirect("membership-change", pk=change.pk)
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


def termination_new(request):
    return _record(request, MembershipTerminationForm,
                   termination_candidates(alliance_id_of(request.user) or 0),
                   services.membership_termination_record, "allocation/membership/termination.html")


def new_partner(request):
    return _record(request, MembershipNewPartnerForm,
                   new_partner_candidates(alliance_id_of(request.user) or 0),
                   services.membership_new_partner_record, "allocation/membership/new_partner.html")


def _detail_context(request, change, **forms) -> dict:
    user = request.user
    proposed = change.status == MembershipChangeStatus.PROPOSED
    return {
        "change": change,
        "is_termination": change.kind == MembershipChangeKind.TERMINATION,
        "reallocations": membership_reallocations(change),
        "lots": membership_lot_shares(change),
        "history": membership_change_history(change),
        "today": local_today(),
        "can_apply": proposed and permissions.can_apply_membership_change(user),
        "can_repropose": proposed and permissions.can_record_membership_change(user),
        "withdraw_form": (forms.get("withdraw_form") or MembershipWithdrawForm()) if (
            proposed and permissions.can_record_membership_change(user)) else None,
    }


def detail(request, pk: int):
    permissions.require_membership_viewer(request.user)
    change = membership_change_for(request.user, pk)
    return render(request, "allocation/membership/detail.html", _detail_context(request, change))


@require_POST
def apply(request, pk: int):
    permissions.require_membership_viewer(request.user)
    change = membership_change_for(request.user, pk)
    try:
        services.membership_change_apply(actor=request.user, change=change)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"The reallocation of {change.organisation.name}'s work is applied.")
    return redirect("membership-change", pk=pk)


@require_POST
def repropose(request, pk: int):
    permissions.require_membership_viewer(request.user)
    change = membership_change_for(request.user, pk)
    try:
        services.membership_termination_record(actor=request.user, organisation=change.organisation,
                                               effective_on=change.effective_on, reason=change.reason)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, "The reallocation is computed again from today's allocation.")
    return redirect("membership-change", pk=pk)


@require_POST
def withdraw(request, pk: int):
    permissions.require_membership_viewer(request.user)
    change = membership_change_for(request.user, pk)
    form = MembershipWithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_withdraw(actor=request.user, change=change, reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "The membership change is withdrawn: nothing is reallocated.")
            return redirect("membership-change", pk=pk)
    else:
        permissions.require_membership_recorder(request.user)  # the wrong role is refused, not shown the form
    context = _detail_context(request, change, withdraw_form=form)
    context["withdraw_form"], context["errors_form"] = form, form
    return render(request, "allocation/membership/detail.html", context, status=400)


@require_POST
def transition_plan_deliver(request):
    permissions.require_membership_viewer(request.user)
    form = TransitionPlanDeliverForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("membership-changes")
    try:
        services.transition_plan_deliver(actor=request.user, on=form.cleaned_data["on"])
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, "The transition plan is recorded as delivered (para 83).")
    return redirect("membership-changes")
