"""Pages of the balanced scorecard (paras 151-160, Figure 8): the scorecard of a quarter or a year, its exports and
trends, entering and uploading scores, freezing a quarter, the client's acceptance and the metric catalogue.

Thin: parse a form, call one service or selector, render. Everyone of the alliance reads; who may enter scores,
freeze or decide is the services' rule, and the pages offer only what a person may use.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer, spreadsheet_safe
from alliance.dates import local_today
from alliance.views import add_service_errors
from performance import periods, permissions
from performance.forms import PeriodForm, QuarterDecisionForm, ScoreGridForm, ScoreUploadForm, TrendForm
from performance.models import Quarter, QuarterStatus
from performance.scenarios import tier_of
from performance.selectors import scorecard as selectors
from performance.services import scorecard as services

GRID_PAGE_SIZE = 50  # schemes per page of the scorecard
ENTRY_PAGE_SIZE = 10  # schemes per page of the score grid: 10 x 20 metrics x 3 inputs stays under Django's 1,000 fields
TIER_CLASS = {"failure": "failure", "underperformance": "under", None: "ok"}
TIER_WORD = {"failure": "failure", "underperformance": "under", None: "satisfactory"}


# --- The period -------------------------------------------------------------------------------------------------


def _period(request, alliance_id: int) -> tuple[PeriodForm, list[Quarter], str]:
    """The quarters asked for: ?period=2025-Q3, ?year=2026, else the latest frozen quarter or the current one."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404("No such period.")
    data = form.cleaned_data if form.is_bound else {}
    if data.get("period"):
        quarter = selectors.quarter_by_label(alliance_id, data["period"])
        return form, [quarter], "quarter"
    if data.get("year"):
        quarters = selectors.quarters_of_year(alliance_id, data["year"])
        if not quarters:
            raise Http404(f"No quarter of {data['year']}.")
        return form, quarters, "year"
    default = selectors.quarter_default(alliance_id)
    return form, [default] if default else [], "quarter"


def _cell(value, corrected: bool = False) -> dict:
    if value is None:
        return {"value": None, "css": "missing", "word": "missing", "corrected": False}
    tier = tier_of(value)
    return {"value": value, "css": TIER_CLASS[tier], "word": TIER_WORD[tier], "corrected": corrected}


def _average(average) -> dict:
    return _cell(average.average if average is not None else None)


# --- The scorecard ----------------------------------------------------------------------------------------------


def _scorecard_context(request, alliance_id: int, **forms) -> dict:
    form, quarters, kind = _period(request, alliance_id)
    all_quarters = list(selectors.quarters_of(request.user))
    context = {"form": form, "quarters": quarters, "kind": kind, "all_quarters": all_quarters,
               "years": sorted({q.year for q in all_quarters}, reverse=True), "card": None}
    if not quarters:
        return context
    metrics = list(selectors.metrics_of(alliance_id))
    page = Paginator(selectors.scorecard_schemes(alliance_id, quarters), GRID_PAGE_SIZE).get_page(
        request.GET.get("page"))
    scheme_ids = [s.pk for s in page.object_list]
    card = selectors.scorecard(alliance_id, quarters, scheme_ids=scheme_ids)
    corrected = selectors.corrected_cells(quarters, scheme_ids)
    rows = [{"scheme": scheme, "average": _average(card.schemes.get(scheme.pk)),
             "cells": [_cell(card.cells.get((scheme.pk, m.pk)), (scheme.pk, m.pk) in corrected) for m in metrics]}
            for scheme in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    quarter = quarters[0] if kind == "quarter" else None
    context.update({
        "card": card, "metrics": metrics, "page": page, "rows": rows, "query": query.urlencode(),
        "export_query": urlencode({"period": quarter.label} if quarter else {"year": quarters[0].year}),
        "metric_averages": [_average(card.metrics.get(m.pk)) for m in metrics],
        "overall": _average(card.overall), "quarter": quarter,
    })
    if kind == "year":
        context["quarter_rows"] = [
            {"quarter": q, "overall": _average(selectors.scorecard(alliance_id, [q], with_cells=False).overall)}
            for q in quarters]
    if quarter is not None:
        context.update({
            "findings": selectors.quarter_findings(quarter),
            "corrections": selectors.corrections_of(quarter) if quarter.status != QuarterStatus.OPEN else [],
            "snapshot_overall": (quarter.snapshot or {}).get("overall"),
            "can_freeze": services.quarter_freeze_allowed(request.user, quarter),
            "decision_form": (forms.get("decision_form") or QuarterDecisionForm())
                             if services.quarter_decide_allowed(request.user, quarter) else None,
        })
    context["can_enter"] = permissions.can_enter_scores(request.user)
    return context


def scorecard(request):
    alliance_id = permissions.require_member(request.user)
    return render(request, "performance/scorecard.html", _scorecard_context(request, alliance_id))


def _export_rows(request) -> tuple[str, list[list]]:
    """The whole grid (every scheme) as Figure 8 lays it out: schemes down, metrics across, averages last."""
    alliance_id = permissions.require_member(request.user)
    _, quarters, kind = _period(request, alliance_id)
    if not quarters:
        raise Http404("No quarter has scores yet.")
    metrics = list(selectors.metrics_of(alliance_id))
    card = selectors.scorecard(alliance_id, quarters)
    schemes = selectors.scorecard_schemes(alliance_id, quarters)

    def num(value):
        return None if value is None else round(float(value), 2)

    def avg(average):
        return num(average.average) if average is not None else None

    rows = [["scheme", "name", *[m.code for m in metrics], "average"]]
    for scheme in schemes:
        rows.append([scheme.code, scheme.name, *[num(card.cells.get((scheme.pk, m.pk))) for m in metrics],
                     avg(card.schemes.get(scheme.pk))])
    rows.append(["average", "", *[avg(card.metrics.get(m.pk)) for m in metrics], avg(card.overall)])
    return card.label, rows


def scorecard_csv(request):
    label, rows = _export_rows(request)
    out = io.StringIO()
    writer = csv_writer(out)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])  # missing stays empty, never 0
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scorecard-{label}.csv"'
    return response


def scorecard_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    label, rows = _export_rows(request)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Scorecard {label}"
    for row in rows:
        sheet.append([spreadsheet_safe(v) for v in row])  # missing cells stay empty, never 0; text never a formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="scorecard-{label}.xlsx"'
    return response


# --- Trend ------------------------------------------------------------------------------------------------------

CHART_W, CHART_H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 260, 40, 20, 15, 40


def _chart(points: list[tuple[str, object]]) -> dict:
    """Coordinates for an inline SVG line chart, 0-10 up the side (attributes only: the CSP forbids inline
    styles). The failure and underperformance bands are drawn behind the line."""
    inner_w, inner_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B

    def y(value) -> float:
        return round(PAD_T + inner_h * (1 - float(value) / 10), 1)

    step = inner_w / max(len(points) - 1, 1)
    dots = [{"x": round(PAD_L + i * step if len(points) > 1 else PAD_L + inner_w / 2, 1), "y": y(v), "label": label,
             "value": v, "css": TIER_CLASS[tier_of(v)]} for i, (label, v) in enumerate(points)]
    return {
        "width": CHART_W, "height": CHART_H, "left": PAD_L, "right": CHART_W - PAD_R, "inner_w": inner_w, "bottom": y(0),
        "failure_y": y(2), "failure_h": round(y(0) - y(2), 1), "under_y": y(6), "under_h": round(y(2) - y(6), 1),
        "ticks": [{"value": v, "y": y(v)} for v in (0, 2, 4, 6, 8, 10)], "dots": dots,
        "line": " ".join(f"{d['x']},{d['y']}" for d in dots), "label_y": CHART_H - PAD_B + 18,
    }


def trend(request):
    alliance_id = permissions.require_member(request.user)
    metrics = list(selectors.metrics_of(alliance_id))
    schemes = list(selectors.scorecard_schemes(alliance_id, list(selectors.quarters_of(request.user))))
    form = TrendForm(request.GET or None, metrics=metrics, schemes=schemes)
    metric = scheme = None
    if form.is_bound and form.is_valid():
        metric = next((m for m in metrics if m.code == form.cleaned_data["metric"]), None)
        scheme = next((s for s in schemes if s.code == form.cleaned_data["scheme"]), None)
    points = selectors.trend(alliance_id, metric_id=metric.pk if metric else None,
                             scheme_id=scheme.pk if scheme else None)
    subject = (f"{metric.title} on {scheme.code}" if metric and scheme else metric.title if metric
               else f"{scheme.code} {scheme.name}" if scheme else "Overall Alliance")
    return render(request, "performance/trend.html", {
        "form": form, "subject": subject, "points": [_cell(v) | {"label": label} for label, v in points],
        "chart": _chart(points) if points else None,
    }, status=400 if form.errors else 200)


# --- Entering scores --------------------------------------------------------------------------------------------


def scores_enter(request):
    alliance_id = permissions.require_score_entry(request.user)
    period = (request.GET.get("period") or request.POST.get("period") or "").strip() or periods.label(
        *periods.containing(local_today()))
    parsed = periods.parse(period)
    if parsed is None:
        raise Http404("No such quarter.")
    quarter = selectors.quarter_if_any(alliance_id, *parsed)
    metrics = list(selectors.metrics_of(alliance_id))
    page = Paginator(selectors.scorable_schemes(request.user, alliance_id), ENTRY_PAGE_SIZE).get_page(request.GET.get("page"))
    schemes = list(page.object_list)
    existing = selectors.scores_of(quarter, [s.pk for s in schemes])
    form = ScoreGridForm(request.POST or None, schemes=schemes, metrics=metrics, existing=existing)
    frozen = quarter is not None and quarter.status != QuarterStatus.OPEN
    if request.method == "POST" and form.is_valid():
        rows = form.rows(period)
        if not rows:
            form.add_error(None, "No score changed: enter a score or a raw value in at least one cell.")
        else:
            try:
                saved = services.scores_record(actor=request.user, rows=rows,
                                               correction_reason=form.cleaned_data["correction_reason"])
            except ValidationError as refusal:
                if hasattr(refusal, "error_dict") and "scores" in refusal.error_dict:
                    form.add_row_errors([m for e in refusal.error_dict.pop("scores") for m in e.messages])
                    if refusal.error_dict:
                        add_service_errors(form, refusal)
                else:
                    add_service_errors(form, refusal)
            else:
                messages.success(request, f"{len(saved)} score{'s' if len(saved) != 1 else ''} recorded for {period}.")
                query = {"period": period} | ({"page": page.number} if page.number > 1 else {})
                return redirect(f"{reverse('scores-enter')}?{urlencode(query)}")
    query = request.GET.copy()
    query.pop("page", None)
    query["period"] = period
    return render(request, "performance/scores_enter.html", {
        "form": form, "period": period, "quarter": quarter, "frozen": frozen, "metrics": metrics, "page": page,
        "query": query.urlencode(), "grid": form.grid(),
        "recent": [periods.label(*periods.previous(*parsed)), periods.label(*periods.containing(local_today()))],
    }, status=400 if form.errors else 200)


def scores_upload(request):
    permissions.require_score_entry(request.user)
    form = ScoreUploadForm(request.POST or None, request.FILES or None)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.scores_from_csv(actor=request.user, upload=form.cleaned_data["file"],
                                             correction_reason=form.cleaned_data["correction_reason"])
        except ValidationError as refusal:
            if hasattr(refusal, "error_dict") and "scores" in refusal.error_dict:
                refused = [m for e in refusal.error_dict.pop("scores") for m in e.messages]
                form.add_error("file", f"{len(refused)} line{'s' if len(refused) != 1 else ''} refused: nothing "
                                       "of the file is saved. Correct them and upload the file again.")
            if not hasattr(refusal, "error_dict") or refusal.error_dict:
                add_service_errors(form, refusal)
        else:
            messages.success(request, f"{len(saved)} score{'s' if len(saved) != 1 else ''} recorded from the file.")
            return redirect("scorecard")
    return render(request, "performance/scores_upload.html", {"form": form, "refused": refused},
                  status=400 if form.errors else 200)


# --- Freezing and the client's decision -------------------------------------------------------------------------


def _scorecard_url(quarter: Quarter) -> str:
    return f"{reverse('scorecard')}?{urlencode({'period': quarter.label})}"


@require_POST
def quarter_freeze(request, period: str):
    alliance_id = permissions.require_member(request.user)
    quarter = selectors.quarter_by_label(alliance_id, period)
    permissions.require_quarter_freezer(request.user)
    try:
        quarter = services.quarter_freeze(actor=request.user, quarter=quarter)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"{quarter.label} is computed and frozen; later changes are corrections.")
    return redirect(_scorecard_url(quarter))


@require_POST
def quarter_decide(request, period: str):
    alliance_id = permissions.require_member(request.user)
    quarter = selectors.quarter_by_label(alliance_id, period)
    permissions.require_quarter_decider(request.user)
    form = QuarterDecisionForm(request.POST)
    if form.is_valid():
        try:
            quarter = services.quarter_client_decide(actor=request.user, quarter=quarter,
                                                     accept=form.cleaned_data["accept"],
                                                     comment=form.cleaned_data["comment"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"The {quarter.label} scorecard is {quarter.get_status_display().lower()}.")
            return redirect(_scorecard_url(quarter))
    request.GET = request.GET.copy()
    request.GET["period"] = quarter.label
    context = _scorecard_context(request, alliance_id, decision_form=form)
    context["decision_form"] = form  # shown even if the status moved on meanwhile, so the error is seen
    return render(request, "performance/scorecard.html", context, status=400)


# --- The metric catalogue (Table 6) -----------------------------------------------------------------------------


def metrics(request):
    alliance_id = permissions.require_member(request.user)
    catalogue = selectors.metrics_of(alliance_id).prefetch_related("bands")
    return render(request, "performance/metrics.html", {
        "metrics": catalogue,
        "intervention_count": sum(1 for m in catalogue if m.informs_intervention),
    })

