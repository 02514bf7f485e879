"""Pages of commitments, the Performance Table and the assurance calendar. Thin: parse a form, call one service
or selector, render. Every member of the alliance reads commitments and tables; the Alliance Manager writes
them; assurance is for ``can_view_assurance`` and recorded by ``can_record_assurance``."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.views import add_service_errors
from governance import permissions, selectors, services
from governance.forms import (
    AssuranceCancelForm,
    AssuranceRecordForm,
    CommitmentDeselectForm,
    CommitmentForm,
    CommitmentReviewForm,
    CommitmentSelectForm,
    PerformancePeriodForm,
    PerformanceTableDraftForm,
    PerformanceTableRowForm,
    PerformanceTableTriggerForm,
)
from governance.models import AssuranceStatus, PerformanceTableStatus

ERR_VIEW_NOT_MEMBER = "Only people of the alliance's organisations can see its commitments and Performance Table."
ERR_VIEW_NOT_ASSURANCE = "Only the client's reviewers, the SRO and the Alliance Manager see the assurance calendar."


def _member(request):
    if not permissions.is_alliance_member(request.user):
        raise PermissionDenied(ERR_VIEW_NOT_MEMBER)
    return request.user.organisation.alliance


def _manager(request, message: str = services.ERR_COMMITMENT_NOT_MANAGER):
    alliance = _member(request)
    if not permissions.is_alliance_manager(request.user):
        raise PermissionDenied(message)
    return alliance


def _status(form) -> int:
    return 400 if form.errors else 200


# --- The Commitment SLA Register ------------------------------------------------------------------------


def commitments(request, review_form=None):
    alliance = _member(request)
    is_manager = permissions.is_alliance_manager(request.user)
    return render(request, "governance/commitments/register.html", {
        "commitments": selectors.commitment_register(alliance.pk),
        "obligations": selectors.commitment_obligations(alliance.pk),
        "is_manager": is_manager,
        "can_view_board": permissions.can_view_board(request.user),
        "review_form": review_form or (CommitmentReviewForm() if is_manager else None),
        "today": local_today(),
    }, status=_status(review_form) if review_form else 200)


def commitments_csv(request):
    alliance = _member(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commitment-sla-register.csv"'
    writer = csv.writer(response)
    writer.writerow(["reference", "title", "lead partner", "depends on", "conflicts with", "in the register",
                     "selections"])
    for c in selectors.commitment_register(alliance.pk):
        writer.writerow([
            c.reference, c.title, c.lead_partner.name, "; ".join(o.name for o in c.dependent_partners.all()),
            "; ".join(x.reference for x in c.conflicts_with.all()), "yes" if c.is_active else "no",
            "; ".join(f"{s.period.name}: {s.get_status_display()}" for s in c.selections.all()),
        ])
    return response


@require_POST
def commitments_review(request):
    alliance = _manager(request)
    form = CommitmentReviewForm(request.POST)
    if form.is_valid():
        try:
            obligation = services.commitments_review_record(
                actor=request.user, alliance=alliance, on=form.cleaned_data["on"], note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The quarterly review is recorded. The next is due {obligation.due_date:%-d %b %Y}.")
            return redirect("commitments")
    return commitments(request, review_form=form)


def commitment_edit(request, pk: int | None = None):
    alliance = _manager(request)
    commitment = selectors.commitment_for(request.user, pk) if pk else None
    initial = None
    if commitment is not None:
        initial = {"reference": commitment.reference, "title": commitment.title, "description": commitment.description,
                   "lead_partner": commitment.lead_partner, "dependent_partners": list(commitment.dependent_partners.all()),
                   "conflicts_with": list(commitment.conflicts_with.all()), "is_active": commitment.is_active}
    form = CommitmentForm(request.POST or None, initial=initial, alliance_id=alliance.pk,
                          exclude_pk=commitment.pk if commitment else None)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_save(actor=request.user, alliance=alliance, commitment=commitment,
                                                  **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{commitment.reference} is saved in the Commitment SLA Register.")
            return redirect("commitments")
    history = commitment.history.select_related("history_user").order_by("-history_date")[:50] if commitment else []
    return render(request, "governance/commitments/commitment_form.html",
                  {"form": form, "commitment": commitment, "history": history}, status=_status(form))


def commitment_select(request, pk: int):
    alliance = _manager(request)
    commitment = selectors.commitment_for(request.user, pk)
    form = CommitmentSelectForm(request.POST or None, alliance_id=alliance.pk)
    if request.method == "POST" and form.is_valid():
        try:
            selection = services.commitment_select(actor=request.user, commitment=commitment,
                                                   period=form.cleaned_data["period"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if selection.decision_id:
                messages.success(request, f"{commitment.reference} needs the Board's approval (Table 8): a decision is "
                                          "tabled, majority with client veto.")
            else:
                messages.success(request, f"{commitment.reference} is selected for {selection.period.name}: "
                                          "no approval is needed (Table 8).")
            return redirect("commitments")
    return render(request, "governance/commitments/commitment_select.html", {
        "form": form, "commitment": commitment,
        "dependants": commitment.dependent_partners.order_by("name"),
        "conflicts": commitment.conflicts_with.order_by("reference"),
    }, status=_status(form))


def commitment_deselect(request, pk: int):
    _manager(request)
    selection = selectors.commitment_selection_for(request.user, pk)
    form = CommitmentDeselectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_deselect(actor=request.user, selection=selection, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{selection.commitment.reference} is deselected for {selection.period.name}.")
            return redirect("commitments")
    return render(request, "governance/commitments/commitment_deselect.html",
                  {"form": form, "selection": selection}, status=_status(form))


# --- Performance Periods and the Performance Table -------------------------------------------------------


def performance_periods(request):
    alliance = _member(request)
    form = None
    if permissions.is_alliance_manager(request.user):
        form = PerformancePeriodForm(request.POST or None)
    elif request.method == "POST":
        raise PermissionDenied(services.ERR_TABLE_NOT_MANAGER)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.performance_period_create(actor=request.user, alliance=alliance, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The Performance Period {period.name} is added.")
            return redirect("performance-periods")
    return render(request, "governance/commitments/periods.html", {
        "periods": selectors.performance_periods(alliance.pk), "form": form,
    }, status=_status(form) if form else 200)


def performance_table(request, draft_form=None):
    alliance = _member(request)
    is_manager = permissions.is_alliance_manager(request.user)
    return render(request, "governance/commitments/performance_table.html", {
        "periods": selectors.performance_periods(alliance.pk),
        "current": selectors.performance_table_current(alliance.pk),
        "triggers": selectors.performance_table_triggers(alliance.pk),
        "obligations": selectors.performance_table_obligations(alliance.pk),
        "is_manager": is_manager,
        "draft_form": draft_form or (PerformanceTableDraftForm(alliance_id=alliance.pk) if is_manager else None),
        "today": local_today(),
    }, status=_status(draft_form) if draft_form else 200)


@require_POST
def performance_table_draft(request):
    alliance = _manager(request, services.ERR_TABLE_NOT_MANAGER)
    form = PerformanceTableDraftForm(request.POST, alliance_id=alliance.pk)
    if form.is_valid():
        try:
            table = services.performance_table_draft(actor=request.user, period=form.cleaned_data["period"],
                                                     reason=form.cleaned_data["reason"] or None,
                                                     notes=form.cleaned_data["notes"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {table.version} is drafted from the version before it.")
            return redirect("performance-table-version", pk=table.pk)
    return performance_table(request, draft_form=form)


def performance_table_version(request, pk: int):
    """A version with its rows; while it is a draft the Alliance Manager adds rows here."""
    alliance = _member(request)
    table = selectors.performance_table_for(request.user, pk)
    is_manager = permissions.is_alliance_manager(request.user)
    editable = is_manager and table.status == PerformanceTableStatus.DRAFT
    form = PerformanceTableRowForm(request.POST or None, alliance_id=alliance.pk) if editable else None
    if request.method == "POST":
        if not is_manager:
            raise PermissionDenied(services.ERR_TABLE_NOT_MANAGER)
        if form is None:
            messages.error(request, services.ERR_TABLE_STATE.format(status=table.get_status_display().lower(),
                                                                     action="changed"))
            return redirect("performance-table-version", pk=pk)
        if form.is_valid():
            try:
                services.performance_table_row_save(actor=request.user, table=table, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The row is added.")
                return redirect("performance-table-version", pk=pk)
    return render(request, "governance/commitments/table_version.html", {
        "table": table, "rows": table.rows.all(), "form": form, "editable": editable,
        "history": table.history.select_related("history_user").order_by("-history_date")[:50],
    }, status=_status(form) if form else 200)


def performance_table_row(request, pk: int, row_pk: int):
    alliance = _manager(request, services.ERR_TABLE_NOT_MANAGER)
    table = selectors.performance_table_for(request.user, pk)
    row = selectors.performance_table_row_for(table, row_pk)
    initial = {"indicator": row.indicator, "measure": row.measure, "target": row.target, "commitment": row.commitment}
    form = PerformanceTableRowForm(request.POST or None, initial=initial, alliance_id=alliance.pk)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.performance_table_row_remove(actor=request.user, row=row)
                messages.success(request, "The row is removed.")
                return redirect("performance-table-version", pk=pk)
            if form.is_valid():
                services.performance_table_row_save(actor=request.user, table=table, row=row, **form.cleaned_data)
                messages.success(request, "The row is saved.")
                return redirect("performance-table-version", pk=pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "governance/commitments/table_row.html", {"form": form, "table": table, "row": row},
                  status=_status(form))


@require_POST
def performance_table_agree(request, pk: int):
    _manager(request, services.ERR_TABLE_NOT_MANAGER)
    table = selectors.performance_table_for(request.user, pk)
    try:
        table = services.performance_table_agree(actor=request.user, table=table)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"Version {table.version} of the Performance Table for {table.period.name} is agreed.")
    return redirect("performance-table-version", pk=pk)


def performance_table_trigger_new(request):
    alliance = _manager(request, services.ERR_TABLE_NOT_MANAGER)
    form = PerformanceTableTriggerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.performance_table_trigger_record(actor=request.user, alliance=alliance, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The event is recorded: the Performance Table is to be updated within 3 months "
                                      "(para 224).")
            return redirect("performance-table")
    return render(request, "governance/commitments/trigger_form.html", {"form": form}, status=_status(form))


# --- The assurance calendar ------------------------------------------------------------------------------


def _assurance_viewer(request):
    if not permissions.can_view_assurance(request.user):
        raise PermissionDenied(ERR_VIEW_NOT_ASSURANCE)
    return request.user.organisation.alliance


def _assurance_recorder(request):
    alliance = _assurance_viewer(request)
    if not permissions.can_record_assurance(request.user):
        raise PermissionDenied(services.ERR_ASSURANCE_NOT_RECORDER)
    return alliance


def assurance(request):
    alliance = _assurance_viewer(request)
    return render(request, "governance/commitments/assurance.html", selectors.assurance_calendar(alliance.pk) | {
        "can_record": permissions.can_record_assurance(request.user), "today": local_today(),
    })


@require_POST
def assurance_start(request):
    alliance = _assurance_recorder(request)
    reviews = services.assurance_calendar_start(alliance, actor=request.user)
    messages.success(request, f"{len(reviews)} review(s) added to the calendar." if reviews
                     else "Every kind of review already has one due.")
    return redirect("assurance")


def assurance_record(request, pk: int):
    _assurance_recorder(request)
    review = selectors.assurance_review_for(request.user, pk)
    form = AssuranceRecordForm(request.POST or None, initial={"held_on": local_today()})
    cancel_form = AssuranceCancelForm()
    if request.method == "POST" and "cancel" in request.POST:
        cancel_form = AssuranceCancelForm(request.POST)
        form = AssuranceRecordForm(initial={"held_on": local_today()})
        if cancel_form.is_valid():
            try:
                services.assurance_review_cancel(actor=request.user, review=review, **cancel_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(cancel_form, error)
            else:
                messages.success(request, "The review is cancelled; the next one of its kind is on the calendar.")
                return redirect("assurance")
    elif request.method == "POST" and form.is_valid():
        try:
            services.assurance_review_record(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The review is recorded; the next one of its kind is on the calendar.")
            return redirect("assurance")
    failed = [f for f in (form, cancel_form) if f.errors]
    return render(request, "governance/commitments/assurance_record.html", {
        "review": review, "form": form, "cancel_form": cancel_form, "forms_with_errors": failed,
        "is_due": review.status == AssuranceStatus.DUE,
    }, status=400 if failed else 200)
