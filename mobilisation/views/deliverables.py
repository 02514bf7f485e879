"""Pages of the mobilisation plan (section 10) under /mobilisation/: the overview, the timeline, the table of
deliverables (filters, sort, CSV), a deliverable's page with its steps and evidence, and the plan's review."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer
from alliance.dates import local_today
from alliance.documents import private_file_response
from alliance.views import add_service_errors, record_step
from mobilisation import permissions
from mobilisation.forms import (
    DeliverableConfirmForm,
    DeliverableFilterForm,
    DeliverableForm,
    DeliverableReturnForm,
    EvidenceForm,
    PlanReviewForm,
)
from mobilisation.models import DeliverableStatus, MobilisationPlanStatus
from mobilisation.selectors import deliverables as selectors
from mobilisation.services import deliverables as services

TABLE_PAGE_SIZE = 50
DETAIL_TEMPLATE = "mobilisation/deliverables_detail.html"
PLAN_TEMPLATE = "mobilisation/deliverables_plan.html"
# Pages of the other mobilisation workflows: linked from the overview once their URLs exist.
OTHER_PAGES = [("mobilisation-phases", "Phases and go / no-go assessments", "paras 208-209"),
               ("mobilisation-maturity", "Maturity plan", "paras 216-221"),
               ("mobilisation-assessments", "Self-assessments against the Code of Practice", "seed 003")]


def _alliance(request):
    permissions.require_member(request.user)
    return request.user.organisation.alliance


def overview(request):
    alliance = _alliance(request)
    today = local_today()
    links = []
    for name, label, paragraphs in OTHER_PAGES:
        links.append((reverse(name), label, paragraphs))
    plan = selectors.mobilisation_plan_for(alliance)
    return render(request, "mobilisation/overview.html", {
        "alliance": alliance, "today": today, "counts": selectors.deliverables_counts(alliance.pk, today=today),
        "plan": plan, "other_links": links, "is_manager": permissions.is_alliance_manager(request.user, alliance.pk),
        "statuses": DeliverableStatus.choices,
    })


def timeline(request):
    alliance = _alliance(request)
    today = local_today()
    return render(request, "mobilisation/deliverables_timeline.html", {
        "timeline": selectors.deliverables_timeline(alliance, today=today), "today": today, "alliance": alliance,
        "fills": [(label, selectors.STATUS_FILL[value]) for value, label in DeliverableStatus.choices],
    })


def _filtered(request, alliance_id: int):
    form = DeliverableFilterForm(request.GET or None, alliance_id=alliance_id)
    filters = {}
    today = local_today()
    if form.is_valid():
        data = form.cleaned_data
        filters = {"dimension": data["dimension"], "status": data["status"], "owner": data["owner"],
                   "sort": data["sort"] or "due_on", "overdue_on": today if data["overdue"] else None}
    return form, selectors.deliverables_list(alliance_id, **filters), today


def deliverables_table(request):
    alliance_id = permissions.require_member(request.user)
    form, qs, today = _filtered(request, alliance_id)
    page = Paginator(qs, TABLE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort = request.GET.get("sort") or "due_on"
    sort_query = request.GET.copy()
    sort_query.pop("page", None)
    sort_query["sort"] = "-due_on" if sort == "due_on" else "due_on"
    rows = [{"d": d, "slippage": selectors.slippage_days(d),
             "overdue": d.status != DeliverableStatus.APPROVED and d.due_on < today} for d in page.object_list]
    return render(request, "mobilisation/deliverables_table.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(), "today": today,
        "sort": sort, "sort_query": sort_query.urlencode(),
        "is_manager": permissions.is_alliance_manager(request.user, alliance_id),
    })


def deliverables_csv(request):
    alliance_id = permissions.require_member(request.user)
    _, qs, today = _filtered(request, alliance_id)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerows(selectors.deliverables_export(qs, today=today))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mobilisation-deliverables-{today.isoformat()}.csv"'
    return response


@require_POST
def deliverables_seed(request):
    alliance = _alliance(request)
    try:
        created = services.deliverables_seed(alliance, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"{len(created)} deliverable{'s' if len(created) != 1 else ''} of Table 7 added.")
    return redirect("mobilisation-deliverables")


def deliverable_new(request):
    alliance = _alliance(request)
    permissions.require_deliverables_manager(request.user, alliance.pk)
    form = DeliverableForm(request.POST or None, alliance_id=alliance.pk, actor=request.user, adding=True)
    if request.method == "POST" and form.is_valid():
        try:
            deliverable = services.deliverable_add(actor=request.user, alliance=alliance, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{deliverable.reference} is added, due {deliverable.due_on:%-d %b %Y}.")
            return redirect("mobilisation-deliverable", pk=deliverable.pk)
    return render(request, "mobilisation/deliverables_new.html", {"form": form}, status=400 if form.errors else 200)


def _context(request, deliverable, **forms) -> dict:
    user = request.user
    manager = permissions.is_alliance_manager(user, deliverable.alliance_id)
    worker = permissions.can_work_on_deliverable(user, deliverable.owner_id, deliverable.alliance_id)
    approver = (deliverable.approver_id == user.pk) if deliverable.approver_id else manager
    status = deliverable.status
    context = {
        "d": deliverable, "today": local_today(), "slippage": selectors.slippage_days(deliverable),
        "overdue": status != DeliverableStatus.APPROVED and deliverable.due_on < local_today(),
        "evidence": deliverable.evidence.select_related("added_by").all(),
        "history": selectors.deliverable_history(deliverable),
        "can_start": worker and status == DeliverableStatus.NOT_STARTED,
        "can_submit": worker and status in (DeliverableStatus.NOT_STARTED, DeliverableStatus.IN_PROGRESS),
        "can_approve": approver and status == DeliverableStatus.SUBMITTED,
        "evidence_form": EvidenceForm() if worker else None,
        "return_form": DeliverableReturnForm() if approver and status == DeliverableStatus.SUBMITTED else None,
        "edit_form": DeliverableForm(alliance_id=deliverable.alliance_id, actor=user,
                                     approver_before=deliverable.approver_id, initial={
            "title": deliverable.title, "source": deliverable.source, "due_period": deliverable.due_period,
            "due_on": deliverable.due_on, "owner": deliverable.owner_id, "approver": deliverable.approver_id,
            "dimension": deliverable.dimension, "stage": deliverable.stage, "phase": deliverable.phase,
        }) if manager else None,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def deliverable_detail(request, pk: int):
    permissions.require_member(request.user)
    return render(request, DETAIL_TEMPLATE, _context(request, selectors.deliverable_for(request.user, pk)))


# How a step is taken from a deliverable's page (alliance.views.record_step).
DELIVERABLE_PAGE = {"load": selectors.deliverable_for, "context": _context, "template": DETAIL_TEMPLATE,
                    "url_name": "mobilisation-deliverable"}


@require_POST
def deliverable_edit(request, pk: int):
    permissions.require_member(request.user)
    deliverable = selectors.deliverable_for(request.user, pk)
    permissions.require_deliverables_manager(request.user, deliverable.alliance_id)

    def form_class(data, files=None):
        return DeliverableForm(data, alliance_id=deliverable.alliance_id, actor=request.user,
                               approver_before=deliverable.approver_id)

    def call(d, data):
        d = services.deliverable_update(actor=request.user, deliverable=d, **data)
        return f"{d.reference} is saved; due {d.due_on:%-d %b %Y}."

    return record_step(request, pk, form_class, "edit_form", call, **DELIVERABLE_PAGE)


@require_POST
def deliverable_start(request, pk: int):
    def call(d, data):
        services.deliverable_start(actor=request.user, deliverable=d)
        return "The deliverable is in progress."

    permissions.require_member(request.user)
    return record_step(request, pk, DeliverableConfirmForm, "start_form", call, **DELIVERABLE_PAGE)


@require_POST
def deliverable_submit(request, pk: int):
    def call(d, data):
        services.deliverable_submit(actor=request.user, deliverable=d)
        return "The deliverable is submitted for approval."

    permissions.require_member(request.user)
    return record_step(request, pk, DeliverableConfirmForm, "submit_form", call, **DELIVERABLE_PAGE)


@require_POST
def deliverable_approve(request, pk: int):
    def call(d, data):
        d = services.deliverable_approve(actor=request.user, deliverable=d)
        late = d.late_by_days
        return f"Approved {late} day{'s' if late != 1 else ''} late." if late else "Approved on time."

    permissions.require_member(request.user)
    return record_step(request, pk, DeliverableConfirmForm, "approve_form", call, **DELIVERABLE_PAGE)


@require_POST
def deliverable_return(request, pk: int):
    def call(d, data):
        services.deliverable_return(actor=request.user, deliverable=d, comments=data["comments"])
        return "The deliverable is returned to its owner."

    permissions.require_member(request.user)
    return record_step(request, pk, DeliverableReturnForm, "return_form", call, **DELIVERABLE_PAGE)


@require_POST
def evidence_add(request, pk: int):
    def call(d, data):
        services.evidence_add(actor=request.user, deliverable=d, title=data["title"], file=data["file"],
                              link=data["link"])
        return "The evidence is added."

    permissions.require_member(request.user)
    return record_step(request, pk, EvidenceForm, "evidence_form", call, **DELIVERABLE_PAGE)


def evidence_download(request, pk: int):
    permissions.require_member(request.user)
    evidence = selectors.evidence_for(request.user, pk)
    handle = services.evidence_open(actor=request.user, evidence=evidence)
    extension = evidence.file.name.rsplit(".", 1)[-1] if "." in evidence.file.name else ""
    return private_file_response(handle, filename=f"{slugify(evidence.title) or 'evidence'}.{extension}",
                                 content_type=evidence.content_type)


# --- The plan: review and baseline ---------------------------------------------------------------------
def _plan_context(request, alliance, **forms) -> dict:
    user = request.user
    plan = selectors.mobilisation_plan_for(alliance)
    rows = selectors.plan_review_rows(plan)
    in_review = plan.status == MobilisationPlanStatus.IN_REVIEW
    manager = permissions.is_alliance_manager(user, alliance.pk)
    own = next((r.review for r in rows if r.organisation.pk == user.organisation_id), None)
    context = {
        "plan": plan, "rows": rows, "approved_count": sum(1 for r in rows if r.review and r.review.verdict == "approved"),
        "can_send": manager and plan.status == MobilisationPlanStatus.DRAFT,
        "can_baseline": manager and in_review,
        "review_form": PlanReviewForm(initial={"verdict": own.verdict, "comments": own.comments} if own else None)
        if in_review and permissions.can_review_plan(user, alliance.pk) else None,
        "own_review": own,
        "history": plan.history.select_related("history_user").order_by("-history_date")[:20] if plan.pk else [],
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def plan_detail(request):
    alliance = _alliance(request)
    return render(request, PLAN_TEMPLATE, _plan_context(request, alliance))


def _plan_step(request, form_class, key: str, call):
    alliance = _alliance(request)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = call(alliance, form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect("mobilisation-plan")
    page = _plan_context(request, alliance, **{key: form})
    page["errors_form"] = form
    return render(request, PLAN_TEMPLATE, page, status=400)


@require_POST
def plan_send(request):
    def call(alliance, data):
        services.mobilisation_plan_send(actor=request.user, alliance=alliance)
        return "The plan is with the partners for review (para 214)."

    return _plan_step(request, DeliverableConfirmForm, "send_form", call)


@require_POST
def plan_review(request):
    def call(alliance, data):
        services.mobilisation_plan_review(actor=request.user, alliance=alliance, **data)
        return "Your organisation's review is recorded."

    return _plan_step(request, PlanReviewForm, "review_form", call)


@require_POST
def plan_baseline(request):
    def call(alliance, data):
        services.mobilisation_plan_baseline(actor=request.user, alliance=alliance)
        return "The plan is baselined (para 214): later changes of due dates show as slippage."

    return _plan_step(request, DeliverableConfirmForm, "baseline_form", call)
