"""Pages of optimisation business cases (paras 90-94, 101). Thin: parse a form, call one service or selector,
render. Everyone in the alliance reads; who may take a step is the services' rule, and a page only offers the
forms a person may use."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.views import add_service_errors, record_step
from allocation import permissions
from allocation.forms import (
    BoardSubmitForm,
    BusinessCaseClientForm,
    BusinessCaseFilterForm,
    BusinessCaseForm,
    ChangeLineFormSet,
    WithdrawForm,
)
from allocation.models import BusinessCaseStatus
from allocation.selectors.business_cases import (
    business_case_for,
    business_case_history,
    business_case_lines,
    business_case_timeline,
    business_cases_of,
    optimisation_candidates,
    optimisation_partners,
    optimisation_schemes,
)
from allocation.services import business_cases as services
from allocation.views.paging import paginate


def business_cases(request):
    permissions.require_member(request.user)
    form = BusinessCaseFilterForm(request.GET or None)
    page, query = paginate(request, business_cases_of(request.user, **form.filters()))
    return render(request, "allocation/optimisation/business_cases.html", {
        "form": form, "page": page, "query": query, "can_draft": permissions.can_allocate(request.user),
    })


def _case_forms(request, alliance_id: int, case=None):
    choices = {"schemes": optimisation_schemes(alliance_id),
               "partners": optimisation_partners(alliance_id)}
    if request.method == "POST":
        return (BusinessCaseForm(request.POST),
                ChangeLineFormSet(request.POST, prefix="changes", **choices))
    initial, lines = {}, []
    if case is not None:
        initial = {name: getattr(case, name) for name in BusinessCaseForm.base_fields}
        lines = [{"scheme": line.scheme, "lot": line.lot, "proposed_partner": line.proposed_partner}
                 for line in business_case_lines(case)]
    return BusinessCaseForm(initial=initial), ChangeLineFormSet(initial=lines, prefix="changes", **choices)


def _case_fields(form: BusinessCaseForm, lines: ChangeLineFormSet) -> dict:
    data = dict(form.cleaned_data)
    data["changes"] = [services.ProposedChange(scheme=row["scheme"], lot=row["lot"],
                                               proposed_partner=row["proposed_partner"]) for row in lines.rows()]
    return data


def _case_form_page(request, *, case=None):
    alliance_id = permissions.require_case_drafter(request.user)
    form, lines = _case_forms(request, alliance_id, case)
    if request.method == "POST" and form.is_valid() & lines.is_valid():
        try:
            if case is None:
                case = services.business_case_draft(actor=request.user, **_case_fields(form, lines))
                messages.success(request, "The business case is drafted. Mark the criteria met and submit it to "
                                          "the Board when it is ready (para 92).")
            else:
                case = services.business_case_edit(actor=request.user, business_case=case,
                                                   **_case_fields(form, lines))
                messages.success(request, "The business case is saved.")
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            return redirect("business-case", pk=case.pk)
    has_errors = bool(form.errors) or any(f.errors for f in lines.forms) or bool(lines.non_form_errors())
    return render(request, "allocation/optimisation/business_case_form.html", {
        "form": form, "lines": lines, "case": case, "has_errors": has_errors,
        "candidates": optimisation_candidates(alliance_id),
    }, status=400 if has_errors else 200)


def business_case_new(request):
    return _case_form_page(request)


def business_case_edit(request, pk: int):
    permissions.require_case_drafter(request.user)
    case = business_case_for(request.user, pk)
    if case.status != BusinessCaseStatus.DRAFT:
        shown = case.get_status_display()
        messages.error(request, services.ERR_CASE_STEP.format(status=shown[0].lower() + shown[1:], action="edited"))
        return redirect("business-case", pk=pk)
    return _case_form_page(request, case=case)


def _case_context(request, case, **forms) -> dict:
    user = request.user
    is_manager, is_client = permissions.can_allocate(user), permissions.is_client_decider(user)
    return {
        "case": case,
        "lines": business_case_lines(case),
        "timeline": business_case_timeline(case),
        "history": business_case_history(case),
        "can_edit": is_manager and case.status == BusinessCaseStatus.DRAFT,
        "submit_form": (forms.get("submit_form") or BoardSubmitForm())
        if is_manager and case.status == BusinessCaseStatus.DRAFT else None,
        "client_form": (forms.get("client_form") or BusinessCaseClientForm())
        if is_client and case.status == BusinessCaseStatus.WITH_CLIENT else None,
        # Offered while the workflow's table allows the step.
        "withdraw_form": (forms.get("withdraw_form") or WithdrawForm())
        if permissions.can_withdraw_optimisation(user) and case.status in services.BUSINESS_CASE_STEPS["withdraw"][0]
        else None,
    }


def business_case(request, pk: int):
    permissions.require_member(request.user)
    case = business_case_for(request.user, pk)
    return render(request, "allocation/optimisation/business_case.html", _case_context(request, case))


# A step from the case's page: _case_step(request, pk, form_class, key, call).
_case_step = partial(record_step, load=business_case_for, context=_case_context,
                     template="allocation/optimisation/business_case.html", url_name="business-case",
                     guard=permissions.require_member)


@require_POST
def business_case_submit(request, pk: int):
    def call(case, data):
        services.business_case_submit(actor=request.user, business_case=case, closes_on=data["closes_on"])
        return "The business case is with the Board: a decision is tabled (para 92)."

    return _case_step(request, pk, BoardSubmitForm, "submit_form", call)


@require_POST
def business_case_client_decision(request, pk: int):
    def call(case, data):
        case = services.business_case_client_decide(actor=request.user, business_case=case, approve=data["approve"],
                                                    reason=data["reason"])
        if case.status == BusinessCaseStatus.APPROVED:
            return "The business case is approved: the Responsible Partners are changed (para 92)."
        return "The business case is not approved: the initial allocation stands (para 93)."

    return _case_step(request, pk, BusinessCaseClientForm, "client_form", call)



@require_POST
def business_case_withdraw(request, pk: int):
    def call(case, data):
        services.business_case_withdraw(actor=request.user, business_case=case)
        return "The business case is withdrawn: the allocation is unchanged."

    return _case_step(request, pk, WithdrawForm, "withdraw_form", call)
