"""Pages of improvement: improvement processes, plans (seed 002's table), incidents and the efficiency register.

Thin: parse a form, call one service or selector, render. Everyone of the alliance reads; who may write is the
services' rule (a refusal is 403); another alliance's record is not found (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer
from alliance.dates import local_today
from alliance.views import add_service_errors
from performance import periods, permissions
from performance.forms import (
    ActionAddForm,
    ActionUpdateForm,
    AimAddForm,
    EfficiencyAssureForm,
    EfficiencyFilterForm,
    EfficiencyLogForm,
    IncidentCloseForm,
    IncidentDecideForm,
    IncidentRecordForm,
    PlanCloseForm,
    PlanNewForm,
    PlanQueryAnswerForm,
    PlanQueryForm,
    PlanReportForm,
)
from performance.models import Assurance, Incident, PlanStatus, ProcessStatus
from performance.scenarios import SCENARIOS
from performance.selectors import improvement as selectors
from performance.services import improvement as services

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


class _Echo:
    def write(self, value):
        return value


# --- Processes -------------------------------------------------------------------------------------------------


def processes(request):
    permissions.require_improvement_reader(request.user)
    status = request.GET.get("status") if request.GET.get("status") in ProcessStatus.values else None
    return render(request, "performance/improvement/processes.html", {
        "page": _page(request, selectors.improvement_processes_of(request.user, status=status)),
        "status": status, "statuses": ProcessStatus.choices, "scenarios": SCENARIOS,
    })


def process(request, pk: int):
    permissions.require_improvement_reader(request.user)
    record = selectors.improvement_process_for(request.user, pk)
    return render(request, "performance/improvement/process.html", {
        "process": record, "scenario": SCENARIOS[record.scenario], "today": local_today(),
        "clocks": selectors.process_clocks(record), "plans": record.plans.order_by("-created_at"),
        "findings": record.findings.select_related("quarter").order_by("quarter__year", "quarter__number"),
        "history": record.history.select_related("history_user").order_by("-history_date")[:50],
        "can_plan": services.process_plan_allowed(request.user, record),
    })


# --- Plans -----------------------------------------------------------------------------------------------------


def plans(request):
    permissions.require_improvement_reader(request.user)
    status = request.GET.get("status") if request.GET.get("status") in PlanStatus.values else None
    return render(request, "performance/improvement/plans.html", {
        "page": _page(request, selectors.improvement_plans_of(request.user, status=status)),
        "status": status, "statuses": PlanStatus.choices,
        "can_create": permissions.can_manage_improvement(request.user),
    })


def plan_new(request):
    permissions.require_improvement_manager(request.user, services.ERR_PLAN_NOT_AM)
    open_processes = selectors.improvement_processes_of(request.user).exclude(status=ProcessStatus.CLOSED)
    investigating = selectors.incidents_of(request.user, status=Incident.Status.INVESTIGATING)
    initial = {}
    for kind in ("process", "incident"):
        value = request.GET.get(kind, "")
        if value.isascii() and value.isdecimal():
            initial["subject"] = f"{kind}-{value}"
    form = PlanNewForm(request.POST or None, initial=initial, processes=open_processes, incidents=investigating)
    if request.method == "POST" and form.is_valid():
        kind, _, pk = form.cleaned_data["subject"].partition("-")
        try:
            plan = services.plan_create(
                actor=request.user, title=form.cleaned_data["title"],
                process=selectors.improvement_process_for(request.user, int(pk)) if kind == "process" else None,
                incident=selectors.incident_for(request.user, int(pk)) if kind == "incident" else None,
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "The plan is drafted: add its aims and actions, then submit it.")
            return redirect("plan-edit", pk=plan.pk)
    return render(request, "performance/improvement/plan_new.html", {"form": form},
                  status=400 if form.errors else 200)


def _plan_context(request, plan, **forms) -> dict:
    user = request.user
    queries = list(plan.queries.select_related("raised_by", "answered_by"))
    context = {
        "plan": plan, "rows": selectors.plan_rows(plan), "queries": queries,
        "reports": plan.reports.select_related("submitted_by").order_by("-month"),
        "clocks": selectors.plan_clocks(plan), "timeline": selectors.plan_timeline(plan), "today": local_today(),
        "open_queries": sum(1 for q in queries if q.answered_at is None),
        "can_edit": services.plan_step_allowed(user, plan, "edit"),
        "can_submit": services.plan_step_allowed(user, plan, "submit"),
        "can_approve": services.plan_step_allowed(user, plan, "approve"),
        "query_form": None, "answer_forms": {}, "report_form": None, "close_form": None,
    }
    if services.plan_step_allowed(user, plan, "query"):
        context["query_form"] = forms.get("query_form") or PlanQueryForm()
    if services.plan_step_allowed(user, plan, "answer"):
        failed = forms.get("answer_form")
        context["answer_forms"] = {
            q.pk: (failed if failed is not None and getattr(failed, "query_pk", None) == q.pk
                   else PlanQueryAnswerForm(prefix=f"q{q.pk}"))
            for q in queries if q.answered_at is None}
    if services.plan_step_allowed(user, plan, "report"):
        context["report_form"] = forms.get("report_form") or PlanReportForm(initial={"month": local_today()})
    if services.plan_step_allowed(user, plan, "close"):
        context["close_form"] = forms.get("close_form") or PlanCloseForm()
    return context


def improvement_plan(request, pk: int):
    permissions.require_improvement_reader(request.user)
    plan = selectors.improvement_plan_for(request.user, pk)
    return render(request, "performance/improvement/plan.html", _plan_context(request, plan))


def _plan_post(request, pk: int, form, context_key: str, call, message: str):
    """Validate the step's form, call its service; on refusal show the plan again with the form in error."""
    permissions.require_improvement_reader(request.user)
    plan = selectors.improvement_plan_for(request.user, pk)
    if form.is_valid():
        try:
            call(plan, form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect("improvement-plan", pk=pk)
    plan = selectors.improvement_plan_for(request.user, pk)
    context = _plan_context(request, plan, **{context_key: form})
    if context_key != "answer_form":
        context[context_key] = form
    context["errors_form"] = form
    return render(request, "performance/improvement/plan.html", context, status=400)


class _NoFields(PlanCloseForm):
    """A form with nothing to fill in, to carry a service's refusal to the page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.clear()


def plan_edit(request, pk: int):
    """Aims and actions while the plan is a draft, or amended after an effectiveness review once approved."""
    permissions.require_improvement_manager(request.user, services.ERR_PLAN_NOT_AM)
    plan = selectors.improvement_plan_for(request.user, pk)
    rows = selectors.plan_rows(plan)
    which = request.POST.get("form") if request.method == "POST" else None
    aim_form = AimAddForm(request.POST if which == "aim" else None, prefix="aim")
    action_form = ActionAddForm(request.POST if which == "action" else None, aims=rows, prefix="action")
    update_form = ActionUpdateForm(request.POST if which == "update" else None, prefix="update")
    form = {"aim": aim_form, "action": action_form, "update": update_form}.get(which)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "aim":
                services.plan_aim_add(actor=request.user, plan=plan, aim=data["aim"], finding=data["finding"])
            elif which == "action":
                aim = next(a for a in rows if str(a.pk) == data["aim"])
                services.plan_action_add(actor=request.user, aim=aim, action=data["action"], owner=data["owner"],
                                         due_on=data["due_on"], status=data["status"], evidence=data["evidence"])
            else:
                action = next((x for a in rows for x in a.actions.all() if x.pk == data["action_id"]), None)
                if action is None:
                    raise ValidationError("That action is not on this plan.")
                services.plan_action_update(actor=request.user, action=action, status=data["status"],
                                            evidence=data["evidence"], due_on=data["due_on"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "The plan is updated.")
            return redirect("plan-edit", pk=pk)
    return render(request, "performance/improvement/plan_edit.html", {
        "plan": plan, "rows": rows, "aim_form": aim_form, "action_form": action_form,
        "update_choices": ActionUpdateForm.base_fields["status"].choices, "errors_form": form,
        "editable": services.plan_step_allowed(request.user, plan, "edit"),
    }, status=400 if form is not None and form.errors else 200)


@require_POST
def plan_submit(request, pk: int):
    return _plan_post(request, pk, _NoFields(request.POST), "errors_form",
                      lambda plan, _: services.plan_submit(actor=request.user, plan=plan),
                      "The plan is submitted for the client's review at the Alliance Board (para 177).")


@require_POST
def plan_query(request, pk: int):
    return _plan_post(request, pk, PlanQueryForm(request.POST), "query_form",
                      lambda plan, d: services.plan_query_raise(actor=request.user, plan=plan, question=d["question"]),
                      "The query is raised; the plan is approved once all are answered.")


@require_POST
def plan_answer(request, pk: int, query_pk: int):
    form = PlanQueryAnswerForm(request.POST, prefix=f"q{query_pk}")

    def call(plan, data):
        query = selectors.plan_query_for(request.user, query_pk)
        if query.plan_id != plan.pk:
            raise ValidationError("That query is not on this plan.")
        services.plan_query_answer(actor=request.user, query=query, answer=data["answer"])

    form.query_pk = query_pk
    return _plan_post(request, pk, form, "answer_form", call, "The query is answered.")


@require_POST
def plan_approve(request, pk: int):
    return _plan_post(request, pk, _NoFields(request.POST), "errors_form",
                      lambda plan, _: services.plan_approve(actor=request.user, plan=plan), "The plan is approved.")


@require_POST
def plan_report(request, pk: int):
    return _plan_post(request, pk, PlanReportForm(request.POST), "report_form",
                      lambda plan, d: services.plan_report(actor=request.user, plan=plan, month=d["month"],
                                                           progress=d["progress"], effectiveness=d["effectiveness"]),
                      "The report is recorded and the next one is due.")


@require_POST
def plan_close(request, pk: int):
    return _plan_post(request, pk, PlanCloseForm(request.POST), "close_form",
                      lambda plan, d: services.plan_close(actor=request.user, plan=plan, note=d["note"]),
                      "The plan is closed.")


# --- Incidents --------------------------------------------------------------------------------------------------


def incidents(request):
    permissions.require_improvement_reader(request.user)
    status = request.GET.get("status") if request.GET.get("status") in Incident.Status.values else None
    return render(request, "performance/improvement/incidents.html", {
        "page": _page(request, selectors.incidents_of(request.user, status=status)), "status": status,
        "statuses": Incident.Status.choices, "can_record": permissions.can_manage_improvement(request.user),
    })


def incident_new(request):
    permissions.require_improvement_manager(request.user, services.ERR_INCIDENT_NOT_AM)
    schemes = selectors.improvement_schemes_of(request.user)
    form = IncidentRecordForm(request.POST or None, schemes=schemes, initial={"occurred_on": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_record(
                actor=request.user, scheme=schemes.filter(pk=data["scheme"]).first(), occurred_on=data["occurred_on"],
                title=data["title"], description=data["description"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, "The incident is recorded: decide whether to investigate (para 180).")
            return redirect("incident", pk=incident.pk)
    return render(request, "performance/improvement/incident_new.html", {"form": form},
                  status=400 if form.errors else 200)


def _incident_context(request, incident, **forms) -> dict:
    user = request.user
    return {
        "incident": incident, "plans": incident.plans.order_by("-created_at"), "today": local_today(),
        "history": incident.history.select_related("history_user").order_by("-history_date")[:50],
        "decide_form": (forms.get("decide_form") or IncidentDecideForm())
                       if services.incident_step_allowed(user, incident, "investigate") else None,
        "close_form": (forms.get("close_form") or IncidentCloseForm())
                      if services.incident_step_allowed(user, incident, "close") else None,
        "can_plan": services.incident_step_allowed(user, incident, "open_plan"),
    }


def incident(request, pk: int):
    permissions.require_improvement_reader(request.user)
    record = selectors.incident_for(request.user, pk)
    return render(request, "performance/improvement/incident.html", _incident_context(request, record))


def _incident_post(request, pk: int, form, key: str, call, message: str):
    permissions.require_improvement_reader(request.user)
    record = selectors.incident_for(request.user, pk)
    if form.is_valid():
        try:
            call(record, form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect("incident", pk=pk)
    record = selectors.incident_for(request.user, pk)
    context = _incident_context(request, record, **{key: form})
    context[key], context["errors_form"] = form, form
    return render(request, "performance/improvement/incident.html", context, status=400)


@require_POST
def incident_decide(request, pk: int):
    return _incident_post(request, pk, IncidentDecideForm(request.POST), "decide_form",
                          lambda i, d: services.incident_decide(actor=request.user, incident=i,
                                                                investigate=d["investigate"], reason=d["reason"]),
                          "The decision is recorded.")


@require_POST
def incident_close(request, pk: int):
    return _incident_post(request, pk, IncidentCloseForm(request.POST), "close_form",
                          lambda i, d: services.incident_close(actor=request.user, incident=i, reason=d["reason"]),
                          "The incident is closed (para 183).")


# --- The efficiency register ------------------------------------------------------------------------------------


def _register(request):
    form = EfficiencyFilterForm(request.GET or None)
    quarter, assurance = None, None
    if form.is_valid():
        parsed = periods.parse(form.cleaned_data["quarter"] or "")
        if parsed is not None:
            quarter = selectors.improvement_quarters_of(request.user).filter(year=parsed[0], number=parsed[1]).first()
            if quarter is None:
                return form, selectors.efficiencies_of(request.user).none()
        assurance = form.cleaned_data["assurance"] or None
    return form, selectors.efficiencies_of(request.user, quarter=quarter, assurance=assurance)


def efficiencies(request):
    permissions.require_improvement_reader(request.user)
    if request.GET.get("format") == "csv":
        return efficiencies_csv(request)
    form, entries = _register(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "performance/improvement/efficiencies.html", {
        "form": form, "page": _page(request, entries), "totals": selectors.efficiency_totals(request.user),
        "levels": Assurance.choices, "query": query.urlencode(),
        "can_log": permissions.can_log_efficiency(request.user),
        "can_assure": permissions.can_manage_improvement(request.user),
        "next_level": {Assurance.LOGGED: Assurance.ASSURED, Assurance.ASSURED: Assurance.DELIVERED},
    })


def efficiencies_csv(request):
    """The whole filtered register as CSV, streamed row by row."""
    permissions.require_improvement_reader(request.user)
    _, entries = _register(request)
    writer = csv_writer(_Echo())

    def rows():
        yield writer.writerow(["quarter", "title", "scheme", "value", "assurance", "logged by", "logged at"])
        for e in entries.iterator(chunk_size=500):
            yield writer.writerow([e.quarter.label, e.title, e.scheme.code if e.scheme else "", f"{e.value:.2f}",
                                   e.get_assurance_display(), str(e.logged_by), e.logged_at.date().isoformat()])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="efficiency-register.csv"'
    return response


def efficiency_new(request):
    permissions.require_efficiency_logger(request.user)
    schemes = selectors.improvement_schemes_of(request.user)
    form = EfficiencyLogForm(request.POST or None, schemes=schemes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.efficiency_log(
                actor=request.user, title=data["title"], value=data["value"],
                period=data["quarter"],
                scheme=schemes.filter(pk=data["scheme"]).first() if data["scheme"] else None)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{entry.title} is logged.")
            return redirect("efficiencies")
    return render(request, "performance/improvement/efficiency_new.html", {"form": form},
                  status=400 if form.errors else 200)


@require_POST
def efficiency_assure(request, pk: int):
    permissions.require_improvement_reader(request.user)
    entry = selectors.efficiency_for(request.user, pk)
    form = EfficiencyAssureForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the assurance level.")
    else:
        try:
            entry = services.efficiency_assure(actor=request.user, entry=entry, to=form.cleaned_data["to"])
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"{entry.title} is {entry.get_assurance_display().lower()}.")
    return redirect("efficiencies")
