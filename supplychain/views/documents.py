"""Pages of the supply chain's overview, its strategy documents (paras 108-130) and the client's supply chain
report (para 137), under /supply-chain/.

Thin: parse a form, call one service or selector, render. Every member of the alliance reads the documents (open
book); another alliance's document is 404. The services decide who takes each step (PermissionDenied is 403); the
step's view checks it first too, so that a wrong role gets 403 rather than a form error.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.permissions import can_view_obligation
from alliance.views import add_service_errors, record_step
from supplychain import permissions
from supplychain.forms import (
    DocumentAcceptForm,
    DocumentEditForm,
    DocumentReturnForm,
    DocumentSubmitForm,
    initial_for,
)
from supplychain.models import DocumentKind, DocumentStatus
from supplychain.permissions import ERR_DOCUMENTS_NOT_MEMBER
from supplychain.selectors import documents as selectors
from supplychain.services import documents as services

# Kinds in URLs, in the alliance's order.
KIND_SLUGS = {
    "strategy": DocumentKind.STRATEGY,
    "industrial-plan": DocumentKind.INDUSTRIAL_PLAN,
    "procurement-hub-plan": DocumentKind.PROCUREMENT_HUB_PLAN,
}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}
KIND_INTROS = {
    DocumentKind.STRATEGY: "Produced within six months of the Alliance Start Date (para 108) with its objectives "
                           "(para 110) and nine principles (paras 115-128), over a five-year horizon refreshed every "
                           "year (para 112); approved by the Alliance Board and recommended to the client for "
                           "acceptance (para 113).",
    DocumentKind.INDUSTRIAL_PLAN: "Developed by the Alliance Supply Chain team so that Alliance funding is reinvested "
                                  "intelligently through an effective regional sourcing plan (paras 117, 125); "
                                  "approved by the Board, then accepted by the client.",
    DocumentKind.PROCUREMENT_HUB_PLAN: "Proposals on the composition of the Collaborative Procurement Hub, submitted "
                                       "by the Alliance Manager to the Alliance Board for acceptance within six months "
                                       "of the Alliance Start Date (paras 129-130).",
}


def _kind(slug: str) -> str:
    kind = KIND_SLUGS.get(slug)
    if kind is None:
        raise Http404("No such kind of document.")
    return kind


# --- The overview ---------------------------------------------------------------------------------------------
def supply_chain_overview(request):
    alliance_id = permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    summaries = selectors.documents_overview(alliance_id)
    for summary in summaries:
        summary.slug = SLUG_OF[summary.kind]
    return render(request, "supplychain/overview.html", {
        "summaries": summaries,
        "can_read_report": permissions.can_read_report(request.user),
    })


# --- A kind's versions ----------------------------------------------------------------------------------------
def documents_kind(request, kind: str):
    alliance_id = permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    kind = _kind(kind)
    versions = list(selectors.documents_of_kind(alliance_id, kind))
    in_progress = next((d for d in versions if d.status in (DocumentStatus.DRAFT, DocumentStatus.WITH_BOARD,
                                                            DocumentStatus.WITH_CLIENT)), None)
    return render(request, "supplychain/documents_kind.html", {
        "kind": kind, "label": DocumentKind(kind).label, "slug": SLUG_OF[kind], "intro": KIND_INTROS[kind],
        "versions": versions, "in_progress": in_progress,
        "current": next((d for d in versions if d.status == DocumentStatus.ACCEPTED), None),
        "can_draft": permissions.can_draft_document(request.user, kind, alliance_id) and in_progress is None,
    })


@require_POST
def document_draft(request, kind: str):
    alliance_id = permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    kind = _kind(kind)
    permissions.require_document_drafter(request.user, kind, alliance_id)
    try:
        document = services.document_draft(actor=request.user, alliance=request.user.organisation.alliance, kind=kind)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("supplychain-documents", kind=SLUG_OF[kind])
    messages.success(request, f"Version {document.version} is started as a copy of the latest: edit its sections.")
    return redirect("supplychain-document-edit", pk=document.pk)


# --- A version --------------------------------------------------------------------------------------------------
def _document_context(request, document, **forms) -> dict:
    user = request.user
    drafting = (permissions.can_draft_document(user, document.kind, document.alliance_id)
                and document.status == DocumentStatus.DRAFT)
    deciding = (permissions.is_client_decider(user, document.alliance_id)
                and document.status == DocumentStatus.WITH_CLIENT)
    previous = selectors.document_previous(document)
    sections = selectors.document_comparison(document, previous)
    return {
        "document": document,
        "slug": SLUG_OF[document.kind],
        "previous": previous,
        "sections": sections,
        "changed_count": sum(1 for s in sections if s.changed),
        "empty_count": sum(1 for s in sections if not s.text.strip()),
        "history": selectors.document_history(document),
        "clocks": [(clock, can_view_obligation(request.user, clock)) for clock in selectors.document_clocks(document)],
        "today": local_today(),
        "can_edit": drafting,
        "submit_form": (forms.get("submit_form") or DocumentSubmitForm()) if drafting else None,
        "accept_form": (forms.get("accept_form") or DocumentAcceptForm()) if deciding else None,
        "return_form": (forms.get("return_form") or DocumentReturnForm()) if deciding else None,
    }


def document_detail(request, pk: int):
    permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    document = selectors.document_for(request.user, pk)
    return render(request, "supplychain/documents_detail.html", _document_context(request, document))


def document_edit(request, pk: int):
    permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    document = selectors.document_for(request.user, pk)
    permissions.require_document_drafter(request.user, document.kind, document.alliance_id)
    if request.method == "POST":
        form = DocumentEditForm(request.POST, kind=document.kind)
        if form.is_valid():
            try:
                services.document_edit(actor=request.user, document=document, title=form.cleaned_data["title"],
                                       horizon_from=form.cleaned_data["horizon_from"], sections=form.sections())
            except ValidationError as refusal:
                add_service_errors(form, refusal)
            else:
                messages.success(request, "The draft is saved.")
                return redirect("supplychain-document", pk=document.pk)
    else:
        form = DocumentEditForm(initial=initial_for(document), kind=document.kind)
    return render(request, "supplychain/documents_edit.html", {
        "document": document, "form": form, "editable": document.status == DocumentStatus.DRAFT,
        "horizon_years": services.HORIZON_YEARS,
    }, status=400 if form.errors else 200)


# How a step is taken from a version's page (alliance.views.record_step).
DOCUMENT_PAGE = {"load": selectors.document_for, "context": _document_context,
                 "template": "supplychain/documents_detail.html", "url_name": "supplychain-document"}


@require_POST
def document_submit(request, pk: int):
    permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    document = selectors.document_for(request.user, pk)
    permissions.require_document_drafter(request.user, document.kind, document.alliance_id)

    def call(document, data):
        decision = services.document_submit(actor=request.user, document=document, closes_on=data["closes_on"])
        return f"Version {document.version} is with the Board: its decision closes on {decision.closes_at:%-d %b %Y}."

    return record_step(request, pk, DocumentSubmitForm, "submit_form", call, **DOCUMENT_PAGE)


@require_POST
def document_accept(request, pk: int):
    permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    permissions.require_client_decider(request.user, selectors.document_for(request.user, pk).alliance_id)

    def call(document, data):
        services.document_accept(actor=request.user, document=document)
        return f"You accepted version {document.version} of the {document.get_kind_display()} (para 113)."

    return record_step(request, pk, DocumentAcceptForm, "accept_form", call, **DOCUMENT_PAGE)


@require_POST
def document_return(request, pk: int):
    permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    permissions.require_client_decider(request.user, selectors.document_for(request.user, pk).alliance_id)

    def call(document, data):
        services.document_return(actor=request.user, document=document, comments=data["comments"])
        return f"Version {document.version} is returned to the Alliance Supply Chain team with your comments."

    return record_step(request, pk, DocumentReturnForm, "return_form", call, **DOCUMENT_PAGE)


# --- The client's supply chain report (para 137) ----------------------------------------------------------------
def supply_chain_report(request):
    alliance_id = permissions.require_member(request.user, ERR_DOCUMENTS_NOT_MEMBER)
    permissions.require_report_reader(request.user)
    today = local_today()
    asked = request.GET.get("period", "").strip()
    year, number = selectors.report_period(asked, today)
    report = selectors.supply_chain_report(alliance_id, year, number, today=today)
    quarters = list(selectors.report_quarters(today))
    if report.label not in quarters:
        quarters.insert(0, report.label)
    return render(request, "supplychain/report.html", {
        "report": report, "quarters": quarters, "today": today,
        "period_invalid": bool(asked) and asked != report.label,
    })
