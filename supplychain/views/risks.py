"""Pages of the risk register (the Production Hub's risk management service; seed 002). Thin: parse a form,
call one service or selector, render. Every member reads the register (open book) and raises risks; the owner
or the supply chain team updates a risk; the Alliance Manager or the SRO escalates it."""

from __future__ import annotations

import io
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer, spreadsheet_safe
from alliance.dates import add_months, local_today
from alliance.views import add_service_errors, record_step
from supplychain.forms import (
    RiskActionForm,
    RiskActionProgressForm,
    RiskCloseForm,
    RiskEscalateForm,
    RiskFilterForm,
    RiskRaiseForm,
    RiskUpdateForm,
)
from supplychain.permissions import (
    ERR_RISKS_NOT_MEMBER,
    can_escalate_risk,
    can_raise_risk,
    can_update_risk,
    require_member,
    require_risk_escalator,
    require_risk_raiser,
    require_risk_updater,
)
from supplychain.selectors import risks as selectors
from supplychain.services import risks as services

REGISTER_PAGE_SIZE = 50


def _filtered(request, alliance_id: int):
    """The register with the filters of the query string (the same for the page and both exports)."""
    form = RiskFilterForm(request.GET or None, alliance_id=alliance_id)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    today = local_today()
    return form, selectors.risks_register(alliance_id, today=today, **filters), today


def risks(request):
    alliance_id = require_member(request.user, ERR_RISKS_NOT_MEMBER)
    form, register, today = _filtered(request, alliance_id)
    page = Paginator(register, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    stale_before = selectors.risk_stale_before(today)
    rows = [{"risk": r, "band": selectors.risk_band(r.score),
             "stale": r.status == "open" and r.last_updated_on < stale_before} for r in page.object_list]
    return render(request, "supplychain/risks_register.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(), "heat": selectors.risk_heat_map(register),
        "stale_before": stale_before, "can_raise": can_raise_risk(request.user),
    })


def _export_rows(request) -> list[list]:
    alliance_id = require_member(request.user, ERR_RISKS_NOT_MEMBER)
    _, register, today = _filtered(request, alliance_id)
    return selectors.risks_export(register, today=today)


def risks_csv(request):
    rows = _export_rows(request)
    out = io.StringIO()
    writer = csv_writer(out)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="risk-register-{local_today().isoformat()}.csv"'
    return response


def risks_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    rows = _export_rows(request)
    book = Workbook(write_only=True)  # write-only: thousands of rows without building every cell object
    sheet = book.create_sheet("Risk register")
    sheet.freeze_panes = "C2"
    header = []
    for value in rows[0]:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows[1:]:
        sheet.append([spreadsheet_safe(v) for v in row])  # a partner's text is never a formula
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="risk-register-{local_today().isoformat()}.xlsx"'
    return response


def risk_new(request):
    require_member(request.user, ERR_RISKS_NOT_MEMBER)
    require_risk_raiser(request.user)
    form = RiskRaiseForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_raise(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            due = add_months(risk.raised_on, 1)
            messages.success(request, f"{risk.reference} is on the register; its owner's first monthly update is "
                             f"due by {due:%-d %b %Y}.")
            return redirect("supplychain-risk", pk=risk.pk)
    return render(request, "supplychain/risks_new.html", {"form": form}, status=400 if form.errors else 200)


# --- One risk ---------------------------------------------------------------------------------------------------


def _context(request, risk, **forms) -> dict:
    today = local_today()
    return selectors.risk_detail(risk) | {
        "risk": risk,
        "band": selectors.risk_band(risk.score),
        "stale": risk.status == "open" and risk.last_updated_on < selectors.risk_stale_before(today),
        "can_update": can_update_risk(request.user, risk) and risk.status == "open",
        "can_escalate": can_escalate_risk(request.user, risk) and risk.status == "open",
        "update_form": forms.get("update_form") or RiskUpdateForm(),
        "action_form": forms.get("action_form") or RiskActionForm(actor=request.user),
        "progress_form": forms.get("progress_form"),
        "close_form": forms.get("close_form") or RiskCloseForm(),
        "escalate_form": forms.get("escalate_form") or RiskEscalateForm(),
        "today": today,
    }


def risk_detail(request, pk: int):
    require_member(request.user, ERR_RISKS_NOT_MEMBER)
    risk = selectors.risk_for(request.user, pk)
    return render(request, "supplychain/risks_detail.html", _context(request, risk))


# How a step is taken from a risk's page (alliance.views.record_step).
RISK_PAGE = {"load": selectors.risk_for, "context": _context, "template": "supplychain/risks_detail.html",
             "url_name": "supplychain-risk"}


@require_POST
def risk_update(request, pk: int):
    def call(risk, data):
        update = services.risk_update(actor=request.user, risk=risk, **data)
        return f"{risk.reference} updated for this month (score {update.likelihood * update.impact})."

    require_member(request.user, ERR_RISKS_NOT_MEMBER)
    require_risk_updater(request.user, selectors.risk_for(request.user, pk))  # 404 for another alliance's
    return record_step(request, pk, RiskUpdateForm, "update_form", call, **RISK_PAGE)


@require_POST
def risk_action_add(request, pk: int):
    def call(risk, data):
        services.risk_action_add(actor=request.user, risk=risk, **data)
        return f"Action added to {risk.reference}."

    form_class = partial(RiskActionForm, actor=request.user)
    require_member(request.user, ERR_RISKS_NOT_MEMBER)
    require_risk_updater(request.user, selectors.risk_for(request.user, pk))  # 404 for another alliance's
    return record_step(request, pk, lambda data, files=None: form_class(data), "action_form", call, **RISK_PAGE)


@require_POST
def risk_action_progress(request, pk: int):
    def call(risk, data):
        action = selectors.risk_action_for(risk, data["action"])
        action = services.risk_action_progress(actor=request.user, action=action, progress=data["progress"],
                                               done=data["done"])
        return "Action done." if action.done_on else "Progress recorded."

    require_member(request.user, ERR_RISKS_NOT_MEMBER)
    require_risk_updater(request.user, selectors.risk_for(request.user, pk))  # 404 for another alliance's
    return record_step(request, pk, RiskActionProgressForm, "progress_form", call, **RISK_PAGE)


@require_POST
def risk_close(request, pk: int):
    def call(risk, data):
        services.risk_close(actor=request.user, risk=risk, **data)
        return f"{risk.reference} is closed; its monthly update is no longer due."

    require_member(request.user, ERR_RISKS_NOT_MEMBER)
    require_risk_updater(request.user, selectors.risk_for(request.user, pk))  # 404 for another alliance's
    return record_step(request, pk, RiskCloseForm, "close_form", call, **RISK_PAGE)


@require_POST
def risk_escalate(request, pk: int):
    def call(risk, data):
        escalation = services.risk_escalate(actor=request.user, risk=risk, **data)
        return f"{risk.reference} escalated to {escalation.get_target_display()}."

    require_member(request.user, ERR_RISKS_NOT_MEMBER)
    require_risk_escalator(request.user, selectors.risk_for(request.user, pk))
    return record_step(request, pk, RiskEscalateForm, "escalate_form", call, **RISK_PAGE)
