"""Pages of minor post-allocation changes (paras 99-100): the list, raising one, the affected partners'
answers, tabling and withdrawing. As thin as the business cases' pages; the services hold the rules."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.views import add_service_errors, record_step
from allocation import permissions
from allocation.forms import (
    BoardSubmitForm,
    MinorAgreementForm,
    MinorChangeFilterForm,
    MinorChangeForm,
    WithdrawForm,
)
from allocation.models import MinorChangeStatus
from allocation.selectors.business_cases import optimisation_schemes
from allocation.selectors.minor_changes import (
    agreeing_organisation,
    minor_change_agreements,
    minor_change_for,
    minor_change_history,
    minor_change_timeline,
    minor_changes_of,
    optimisation_supporters,
)
from allocation.services import minor_changes as services
from allocation.views.paging import paginate


def minor_changes(request):
    permissions.require_member(request.user)
    form = MinorChangeFilterForm(request.GET or None)
    page, query = paginate(request, minor_changes_of(request.user, **form.filters()))
    return render(request, "allocation/optimisation/minor_changes.html", {
        "form": form, "page": page, "query": query, "can_raise": permissions.can_allocate(request.user),
    })


def minor_change_new(request):
    alliance_id = permissions.require_member(request.user)
    if not permissions.can_allocate(request.user):
        raise PermissionDenied(services.ERR_MINOR_NOT_AM)
    form = MinorChangeForm(request.POST or None, schemes=optimisation_schemes(alliance_id),
                           partners=optimisation_supporters(alliance_id))
    if request.method == "POST" and form.is_valid():
        try:
            change = services.minor_change_raise(actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "The minor change is raised: the affected partners now record their "
                                      "agreement (para 100).")
            return redirect("minor-change", pk=change.pk)
    return render(request, "allocation/optimisation/minor_change_form.html", {"form": form},
                  status=400 if form.errors else 200)


def _minor_context(request, change, **forms) -> dict:
    user = request.user
    speaks_for = agreeing_organisation(user, change)
    answers = minor_change_agreements(change)
    proposed = change.status == MinorChangeStatus.PROPOSED
    return {
        "change": change,
        "answers": answers,
        "timeline": minor_change_timeline(change),
        "history": minor_change_history(change),
        "speaks_for": speaks_for,
        "agreement_form": (forms.get("agreement_form") or MinorAgreementForm())
        if speaks_for is not None and proposed else None,
        "table_form": (forms.get("table_form") or BoardSubmitForm())
        if permissions.can_allocate(user) and proposed else None,
        # Offered while the workflow's table allows the step.
        "withdraw_form": (forms.get("withdraw_form") or WithdrawForm())
        if permissions.can_withdraw_optimisation(user)
        and change.status in services.MINOR_CHANGE_STEPS["withdraw"][0] else None,
    }


def minor_change(request, pk: int):
    permissions.require_member(request.user)
    change = minor_change_for(request.user, pk)
    return render(request, "allocation/optimisation/minor_change.html", _minor_context(request, change))

# A step from the change's page: _minor_step(request, pk, form_class, key, call).
_minor_step = partial(record_step, load=minor_change_for, context=_minor_context,
                      template="allocation/optimisation/minor_change.html", url_name="minor-change",
                      guard=permissions.require_member)


@require_POST
def minor_change_agree(request, pk: int):
    def call(change, data):
        agreement = services.minor_change_agree(actor=request.user, minor_change=change, agreed=data["agreed"],
                                                note=data["note"])
        return f"{agreement.organisation}'s answer is recorded: {'agreed' if agreement.agreed else 'did not agree'}."

    return _minor_step(request, pk, MinorAgreementForm, "agreement_form", call)


@require_POST
def minor_change_table(request, pk: int):
    def call(change, data):
        services.minor_change_table(actor=request.user, minor_change=change, closes_on=data["closes_on"])
        return "The minor change is tabled at the Board: unanimous approval is needed (para 100)."

    return _minor_step(request, pk, BoardSubmitForm, "table_form", call)


@require_POST
def minor_change_withdraw(request, pk: int):
    def call(change, data):
        services.minor_change_withdraw(actor=request.user, minor_change=change)
        return "The minor change is withdrawn: the affected partners are told."

    return _minor_step(request, pk, WithdrawForm, "withdraw_form", call)
