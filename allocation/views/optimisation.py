"""Pages of optimisation: business cases (paras 90-94, 101), minor changes (paras 99-100) and the client
taking Lot 1 elements (para 102). Thin: parse a form, call one service or selector, render. Everyone in the
alliance reads; who may take a step is the services' rule, and a page only offers the forms a person may use.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.permissions import alliance_id_of
from alliance.views import add_service_errors
from allocation import permissions, selectors, services
from allocation.forms import (
    BoardSubmitForm,
    BusinessCaseClientForm,
    BusinessCaseFilterForm,
    BusinessCaseForm,
    ChangeLineFormSet,
    Lot1ClientForm,
    MinorAgreementForm,
    MinorChangeFilterForm,
    MinorChangeForm,
)
from allocation.models import BusinessCaseStatus, MinorChangeStatus

PAGE_SIZE = 50


def _member(request) -> int:
    if not permissions.can_view_allocation(request.user):
        raise PermissionDenied("Only members of the alliance can see its allocation.")
    return alliance_id_of(request.user)


def _manager(request) -> int:
    alliance_id = _member(request)
    if not permissions.can_allocate(request.user):
        raise PermissionDenied(services.ERR_CASE_NOT_AM)
    return alliance_id


def _page(request, queryset):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


# --- Business cases ---------------------------------------------------------------------------------------


def business_cases(request):
    _member(request)
    form = BusinessCaseFilterForm(request.GET or None)
    page, query = _page(request, selectors.business_cases_of(request.user, **form.filters()))
    return render(request, "allocation/optimisation/business_cases.html", {
        "form": form, "page": page, "query": query, "can_draft": permissions.can_allocate(request.user),
    })


def _case_forms(request, alliance_id: int, case=None):
    choices = {"schemes": selectors.optimisation_schemes(alliance_id),
               "partners": selectors.optimisation_partners(alliance_id)}
    if request.method == "POST":
        return (BusinessCaseForm(request.POST),
                ChangeLineFormSet(request.POST, prefix="changes", **choices))
    initial, lines = {}, []
    if case is not None:
        initial = {name: getattr(case, name) for name in BusinessCaseForm.base_fields}
        lines = [{"scheme": line.scheme, "lot": line.lot, "proposed_partner": line.proposed_partner}
                 for line in selectors.business_case_lines(case)]
    return BusinessCaseForm(initial=initial), ChangeLineFormSet(initial=lines, prefix="changes", **choices)


def _case_fields(form: BusinessCaseForm, lines: ChangeLineFormSet) -> dict:
    data = dict(form.cleaned_data)
    data["changes"] = [services.ProposedChange(scheme=row["scheme"], lot=row["lot"],
                                               proposed_partner=row["proposed_partner"]) for row in lines.rows()]
    return data


def _case_form_page(request, *, case=None):
    alliance_id = _manager(request)
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
        "candidates": selectors.optimisation_candidates(alliance_id),
    }, status=400 if has_errors else 200)


def business_case_new(request):
    return _case_form_page(request)


def business_case_edit(request, pk: int):
    _manager(request)
    case = selectors.business_case_for(request.user, pk)
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
        "lines": selectors.business_case_lines(case),
        "timeline": selectors.business_case_timeline(case),
        "history": selectors.business_case_history(case),
        "can_edit": is_manager and case.status == BusinessCaseStatus.DRAFT,
        "submit_form": (forms.get("submit_form") or BoardSubmitForm())
        if is_manager and case.status == BusinessCaseStatus.DRAFT else None,
        "client_form": (forms.get("client_form") or BusinessCaseClientForm())
        if is_client and case.status == BusinessCaseStatus.WITH_CLIENT else None,
    }


def business_case(request, pk: int):
    _member(request)
    case = selectors.business_case_for(request.user, pk)
    return render(request, "allocation/optimisation/business_case.html", _case_context(request, case))


def _case_step(request, pk: int, form_class, key: str, call):
    """Validate the step's form, call its service; on refusal show the page again with the form in error."""
    _member(request)
    case = selectors.business_case_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = call(case, form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect("business-case", pk=pk)
    case = selectors.business_case_for(request.user, pk)
    context = _case_context(request, case, **{key: form})
    context[key] = form  # shown even if the case moved on meanwhile, so the error is seen
    context["errors_form"] = form
    return render(request, "allocation/optimisation/business_case.html", context, status=400)


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


# --- Minor changes ----------------------------------------------------------------------------------------


def minor_changes(request):
    _member(request)
    form = MinorChangeFilterForm(request.GET or None)
    page, query = _page(request, selectors.minor_changes_of(request.user, **form.filters()))
    return render(request, "allocation/optimisation/minor_changes.html", {
        "form": form, "page": page, "query": query, "can_raise": permissions.can_allocate(request.user),
    })


def minor_change_new(request):
    alliance_id = _member(request)
    if not permissions.can_allocate(request.user):
        raise PermissionDenied(services.ERR_MINOR_NOT_AM)
    form = MinorChangeForm(request.POST or None, schemes=selectors.optimisation_schemes(alliance_id),
                           partners=selectors.optimisation_supporters(alliance_id))
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
    speaks_for = selectors.agreeing_organisation(user, change)
    answers = selectors.minor_change_agreements(change)
    proposed = change.status == MinorChangeStatus.PROPOSED
    return {
        "change": change,
        "answers": answers,
        "timeline": selectors.minor_change_timeline(change),
        "history": selectors.minor_change_history(change),
        "speaks_for": speaks_for,
        "agreement_form": (forms.get("agreement_form") or MinorAgreementForm())
        if speaks_for is not None and proposed else None,
        "table_form": (forms.get("table_form") or BoardSubmitForm())
        if permissions.can_allocate(user) and proposed else None,
    }


def minor_change(request, pk: int):
    _member(request)
    change = selectors.minor_change_for(request.user, pk)
    return render(request, "allocation/optimisation/minor_change.html", _minor_context(request, change))


def _minor_step(request, pk: int, form_class, key: str, call):
    _member(request)
    change = selectors.minor_change_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = call(change, form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect("minor-change", pk=pk)
    change = selectors.minor_change_for(request.user, pk)
    context = _minor_context(request, change, **{key: form})
    context[key] = form
    context["errors_form"] = form
    return render(request, "allocation/optimisation/minor_change.html", context, status=400)


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


# --- The client takes Lot 1 elements (para 102) -----------------------------------------------------------


def lot1_client(request):
    """Every scheme's Lot 1 Responsible Partner; the SRO instructs that the client takes some (para 102)."""
    alliance_id = _member(request)
    is_client = permissions.is_client_decider(request.user)
    if request.method == "POST" and not is_client:
        raise PermissionDenied(services.ERR_LOT1_NOT_CLIENT)
    allocations = selectors.lot1_allocations(alliance_id)
    client = selectors.client_of(alliance_id)
    form = Lot1ClientForm(request.POST or None, schemes=selectors.lot1_takeable_schemes(alliance_id)) if is_client else None
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.lot1_client_take(actor=request.user, schemes=form.cleaned_data["schemes"],
                                                reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"The client is now the Responsible Partner for Lot 1 of {len(changed)} "
                                      f"scheme{'s' if len(changed) != 1 else ''} (para 102).")
            return redirect("lot1-client")
    return render(request, "allocation/optimisation/lot1.html", {
        "allocations": allocations, "client": client, "form": form,
    }, status=400 if form is not None and form.errors else 200)
