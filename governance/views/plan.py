"""Pages of the Implementation Plan. Thin: parse a form, call one service or selector, render.

Every member reads the plan and proposes changes (para 3); the Alliance Manager reviews them (para 4) and
publishes new versions (para 6). Another alliance's proposal or version is 404; a wrong role is 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.permissions import is_partner
from alliance.views import add_service_errors
from governance import permissions
from governance.forms.plan import (
    PlanCompareForm,
    PlanInitialForm,
    PlanProposalFilterForm,
    PlanProposalForm,
    PlanPublishForm,
    PlanReviewForm,
)
from governance.models.plan import ChangeProposal, ChangeProposalStatus
from governance.selectors import plan as plan_selectors
from governance.services import plan as plan_services

PROPOSALS_PAGE_SIZE = 25


def _version_page(request, version, *, is_current: bool):
    alliance = request.user.organisation.alliance
    return render(request, "governance/plan/plan.html", {
        "version": version,
        "is_current": is_current,
        "sections": plan_selectors.plan_sections(version) if version else [],
        "versions": plan_selectors.plan_versions(alliance.pk),
        "is_partner": is_partner(request.user),
        "is_manager": permissions.is_alliance_manager(request.user),
        "awaiting_review": plan_selectors.plan_proposals_visible_to(request.user, status=ChangeProposalStatus.PROPOSED).count(),
        "approved": plan_selectors.plan_proposals_visible_to(request.user, status=ChangeProposalStatus.APPROVED).count(),
    })


def plan(request):
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
    return _version_page(request, plan_selectors.plan_current_version(alliance.pk), is_current=True)


def plan_version(request, number: int):
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
    version = plan_selectors.plan_version_for(request.user, number)
    current = plan_selectors.plan_current_version(alliance.pk)
    return _version_page(request, version, is_current=current is not None and current.pk == version.pk)


def plan_compare(request):
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
    numbers = list(plan_selectors.plan_versions(alliance.pk).values_list("number", flat=True))
    rows, version_a, version_b = [], None, None
    initial = {"a": numbers[1], "b": numbers[0]} if len(numbers) >= 2 else {}
    form = PlanCompareForm(request.GET if "a" in request.GET else None, numbers=numbers, initial=initial)
    if form.is_bound and form.is_valid():
        chosen = (form.cleaned_data["a"], form.cleaned_data["b"])
    else:
        chosen = (initial.get("a"), initial.get("b"))
    if None not in chosen and not form.errors:
        version_a = plan_selectors.plan_version_for(request.user, chosen[0])
        version_b = plan_selectors.plan_version_for(request.user, chosen[1])
        rows = plan_selectors.plan_compare(version_a, version_b)
    return render(request, "governance/plan/compare.html", {
        "form": form, "rows": rows, "version_a": version_a, "version_b": version_b,
        "changed_count": sum(1 for r in rows if r["status"] != "unchanged"),
    }, status=400 if form.errors else 200)


def plan_proposals(request):
    permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
    form = PlanProposalFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else None
    proposals = plan_selectors.plan_proposals_visible_to(request.user, status=status or None)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "governance/plan/proposals.html", {
        "form": form, "page": Paginator(proposals, PROPOSALS_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    })


def plan_proposal_new(request):
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
    current = plan_selectors.plan_current_version(alliance.pk)
    section = plan_selectors.plan_section(current, request.GET.get("section", ""))
    initial = {"section_number": section.number, "section_heading": section.heading,
               "proposed_text": section.text} if section else {}
    form = PlanProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = plan_services.plan_change_propose(actor=request.user, alliance=alliance, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your proposal is made. The Alliance Manager has been asked to review it (para 4).")
            return redirect("plan-proposal", pk=proposal.pk)
    return render(request, "governance/plan/proposal_new.html", {
        "form": form, "section": section, "version": current,
        "reserved_for_you": bool(section and section.client_reserved and is_partner(request.user)),
    }, status=400 if form.errors else 200)


def _proposal_context(request, proposal: ChangeProposal) -> dict:
    base = plan_selectors.plan_section(proposal.base_version, proposal.section_number)
    user = request.user
    return {
        "proposal": proposal,
        "base_section": base,
        "fragments": plan_selectors.plan_text_diff(base.text if base else "", proposal.proposed_text),
        "timeline": plan_selectors.plan_proposal_timeline(proposal),
        "can_review": permissions.is_alliance_manager(user) and proposal.status == ChangeProposalStatus.PROPOSED,
        "can_withdraw": proposal.proposed_by_id == user.pk and proposal.status == ChangeProposalStatus.PROPOSED,
        "can_publish": permissions.is_alliance_manager(user) and proposal.status == ChangeProposalStatus.APPROVED,
        "can_view_decision": proposal.decision_id is not None and permissions.can_view_board(user),
    }


def plan_proposal(request, pk: int):
    permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
    proposal = plan_selectors.plan_proposal_for(request.user, pk)
    return render(request, "governance/plan/proposal_detail.html", _proposal_context(request, proposal))


def plan_proposal_review(request, pk: int):
    permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
    proposal = plan_selectors.plan_proposal_for(request.user, pk)  # another alliance's: 404 before the role's 403
    permissions.require_alliance_manager(
        request.user, plan_services.ERR_PLAN_NOT_MANAGER, member_message=permissions.ERR_PLAN_VIEWER)
    form = PlanReviewForm(request.POST or None, initial={"impact_assessment": proposal.impact_assessment})
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            proposal = plan_services.plan_change_review(actor=request.user, proposal=proposal, accept=accept,
                                                   impact_assessment=form.cleaned_data["impact_assessment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Accepted: the Board has been asked to approve it (para 5)." if accept
                             else "The proposal is rejected; the proposer can see your reasons.")
            return redirect("plan-proposal", pk=proposal.pk)
    return render(request, "governance/plan/proposal_review.html", _proposal_context(request, proposal) | {
        "form": form}, status=400 if form.errors else 200)


@require_POST
def plan_proposal_withdraw(request, pk: int):
    permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
    proposal = plan_selectors.plan_proposal_for(request.user, pk)
    try:
        plan_services.plan_change_withdraw(actor=request.user, proposal=proposal)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, "Your proposal is withdrawn.")
    return redirect("plan-proposal", pk=pk)


def plan_publish(request):
    alliance = permissions.require_alliance_manager(
        request.user, plan_services.ERR_PLAN_NOT_MANAGER, member_message=permissions.ERR_PLAN_VIEWER)
    current = plan_selectors.plan_current_version(alliance.pk)
    if current is None:
        return _publish_initial(request, alliance)
    approved = plan_selectors.plan_approved_proposals(alliance.pk)
    form = PlanPublishForm(request.POST or None, proposals=plan_selectors.plan_approved_queryset(alliance.pk))
    if request.method == "POST" and form.is_valid():
        try:
            version = plan_services.plan_version_publish(actor=request.user, alliance=alliance,
                                                    proposals=form.cleaned_data["proposals"], note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {version.number} of the Implementation Plan is published (para 6).")
            return redirect("plan")
    chosen = {str(v) for v in form["proposals"].value() or []}
    return render(request, "governance/plan/publish.html", {
        "form": form, "version": current, "approved": approved, "chosen": chosen,
    }, status=400 if form.errors else 200)


def _publish_initial(request, alliance):
    form = PlanInitialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.plan_publish_initial(actor=request.user, alliance=alliance,
                                          sections=form.cleaned_data["sections"], note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Version 1 of the Implementation Plan is published.")
            return redirect("plan")
    return render(request, "governance/plan/publish_initial.html", {"form": form}, status=400 if form.errors else 200)
