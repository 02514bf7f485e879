"""Pages of Performance Periods and the Performance Table: versions, their rows, agreement and the events
requiring an update. Thin: parse a form, call one service or selector, render. Every member of the alliance
reads them; the Alliance Manager writes them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.views import add_service_errors
from governance import permissions
from governance.forms.performance_table import (
    PerformancePeriodForm,
    PerformanceTableDraftForm,
    PerformanceTableRowForm,
    PerformanceTableTriggerForm,
)
from governance.models.commitments import PerformanceTableStatus
from governance.selectors import performance_table as performance_table_selectors
from governance.services import performance_table as performance_table_services
from governance.views.commitments import _status

# --- Performance Periods and the Performance Table -------------------------------------------------------


def performance_periods(request):
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_COMMITMENTS_PAGES)
    form = None
    if permissions.is_alliance_manager(request.user):
        form = PerformancePeriodForm(request.POST or None)
    elif request.method == "POST":
        raise PermissionDenied(performance_table_services.ERR_TABLE_NOT_MANAGER)
    if request.method == "POST" and form.is_valid():
        try:
            period = performance_table_services.performance_period_create(actor=request.user, alliance=alliance, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The Performance Period {period.name} is added.")
            return redirect("performance-periods")
    return render(request, "governance/commitments/periods.html", {
        "periods": performance_table_selectors.performance_periods(alliance.pk), "form": form,
    }, status=_status(form) if form else 200)


def performance_table(request, draft_form=None):
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_COMMITMENTS_PAGES)
    is_manager = permissions.is_alliance_manager(request.user)
    return render(request, "governance/commitments/performance_table.html", {
        "periods": performance_table_selectors.performance_periods(alliance.pk),
        "current": performance_table_selectors.performance_table_current(alliance.pk),
        "triggers": performance_table_selectors.performance_table_triggers(alliance.pk),
        "obligations": performance_table_selectors.performance_table_obligations(alliance.pk),
        "is_manager": is_manager,
        "draft_form": draft_form or (PerformanceTableDraftForm(alliance_id=alliance.pk) if is_manager else None),
        "today": local_today(),
    }, status=_status(draft_form) if draft_form else 200)


@require_POST
def performance_table_draft(request):
    alliance = permissions.require_alliance_manager(
        request.user, performance_table_services.ERR_TABLE_NOT_MANAGER, member_message=permissions.ERR_COMMITMENTS_PAGES)
    form = PerformanceTableDraftForm(request.POST, alliance_id=alliance.pk)
    if form.is_valid():
        try:
            table = performance_table_services.performance_table_draft(actor=request.user, period=form.cleaned_data["period"],
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
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_COMMITMENTS_PAGES)
    table = performance_table_selectors.performance_table_for(request.user, pk)
    is_manager = permissions.is_alliance_manager(request.user)
    editable = is_manager and table.status == PerformanceTableStatus.DRAFT
    form = PerformanceTableRowForm(request.POST or None, alliance_id=alliance.pk) if editable else None
    if request.method == "POST":
        if not is_manager:
            raise PermissionDenied(performance_table_services.ERR_TABLE_NOT_MANAGER)
        if form is None:
            messages.error(request, performance_table_services.ERR_TABLE_STATE.format(status=table.get_status_display().lower(),
                                                                     action="changed"))
            return redirect("performance-table-version", pk=pk)
        if form.is_valid():
            try:
                performance_table_services.performance_table_row_save(actor=request.user, table=table, **form.cleaned_data)
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
    alliance = permissions.require_alliance_manager(
        request.user, performance_table_services.ERR_TABLE_NOT_MANAGER, member_message=permissions.ERR_COMMITMENTS_PAGES)
    table = performance_table_selectors.performance_table_for(request.user, pk)
    row = performance_table_selectors.performance_table_row_for(table, row_pk)
    initial = {"indicator": row.indicator, "measure": row.measure, "target": row.target, "commitment": row.commitment}
    form = PerformanceTableRowForm(request.POST or None, initial=initial, alliance_id=alliance.pk)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                performance_table_services.performance_table_row_remove(actor=request.user, row=row)
                messages.success(request, "The row is removed.")
                return redirect("performance-table-version", pk=pk)
            if form.is_valid():
                performance_table_services.performance_table_row_save(actor=request.user, table=table, row=row, **form.cleaned_data)
                messages.success(request, "The row is saved.")
                return redirect("performance-table-version", pk=pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "governance/commitments/table_row.html", {"form": form, "table": table, "row": row},
                  status=_status(form))


@require_POST
def performance_table_agree(request, pk: int):
    permissions.require_alliance_manager(
        request.user, performance_table_services.ERR_TABLE_NOT_MANAGER, member_message=permissions.ERR_COMMITMENTS_PAGES)
    table = performance_table_selectors.performance_table_for(request.user, pk)
    try:
        table = performance_table_services.performance_table_agree(actor=request.user, table=table)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"Version {table.version} of the Performance Table for {table.period.name} is agreed.")
    return redirect("performance-table-version", pk=pk)


def performance_table_trigger_new(request):
    alliance = permissions.require_alliance_manager(
        request.user, performance_table_services.ERR_TABLE_NOT_MANAGER, member_message=permissions.ERR_COMMITMENTS_PAGES)
    form = PerformanceTableTriggerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            performance_table_services.performance_table_trigger_record(actor=request.user, alliance=alliance, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The event is recorded: the Performance Table is to be updated within 3 months "
                                      "(para 224).")
            return redirect("performance-table")
    return render(request, "governance/commitments/trigger_form.html", {"form": form}, status=_status(form))
