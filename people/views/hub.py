"""Pages of Production Hub resourcing (paras 63-71) under /people/hub/.

Thin: parse a form, call one service or selector, render. Every member of the alliance reads the overview and
the calls; a round's page is for the PMP, the Alliance Manager and the Board once it decides (404 to anyone
else). The services decide who may take each step (PermissionDenied answers 403).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.models import OrganisationKind
from alliance.views import add_service_errors, record_step
from people import permissions, selectors
from people.forms.hub import (
    CallIssueForm,
    HubCandidateForm,
    PortfolioCommentsForm,
    PortfolioRecommendForm,
    PresenceForm,
    ProposalApproveForm,
    ProposalRequestForm,
    ProposalReturnForm,
    ProposalServicesForm,
    ProposalSubmitForm,
)
from people.models import PortfolioStatus, ProposalStatus
from people.services import hub as services

_EDITABLE = (ProposalStatus.REQUESTED, ProposalStatus.RETURNED)


def _with_cv_flags(user, candidates) -> list:
    """Each candidate with ``cv_visible``: the CV link shows only to those who may open it."""
    candidates = list(candidates)
    for candidate in candidates:
        candidate.cv_visible = permissions.can_view_cv(user, candidate)
    return candidates


# --- Overview -----------------------------------------------------------------------------------------------
def hub_overview(request):
    alliance_id = permissions.require_member(request.user)
    return render(request, "people/hub_overview.html", {
        "proposals": selectors.proposals_visible_to(request.user),
        "calls": selectors.calls_of(alliance_id),
        "table": selectors.portfolio_table(alliance_id),
        "is_manager": permissions.can_run_selection(request.user, alliance_id),
        "today": local_today(),
    })


# --- Core resources from the PMP (paras 65-66) ----------------------------------------------------------------
def proposal_request(request):
    permissions.require_selection_runner(request.user, permissions.require_member(request.user), services.ERR_HUB_NOT_AM)
    form = ProposalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_request(actor=request.user, alliance=request.user.organisation.alliance,
                                                 **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"The Production Management Partner is asked for its proposal; selection must "
                                      f"be complete by {proposal.due_date:%-d %b %Y} (para 66).")
            return redirect("people-proposal", pk=proposal.pk)
    return render(request, "people/hub_proposal_request.html", {"form": form}, status=400 if form.errors else 200)


def _proposal_context(request, proposal, **forms) -> dict:
    user = request.user
    editing = permissions.is_pmp(user, proposal) and proposal.status in _EDITABLE
    reviewing = (permissions.can_run_selection(user, proposal.alliance_id)
                 and proposal.status == ProposalStatus.SUBMITTED)
    services_qs = selectors.hub_services(proposal.alliance_id)
    return {
        "proposal": proposal,
        "chosen_services": proposal.services.all(),
        "candidates": _with_cv_flags(user, selectors.proposal_candidates(user, proposal)),
        "today": local_today(),
        "services_form": (forms.get("services_form") or ProposalServicesForm(
            services=services_qs, initial={"services": list(proposal.services.all()), "note": proposal.note},
        )) if editing else None,
        "candidate_form": (forms.get("candidate_form") or HubCandidateForm(services=services_qs)) if editing else None,
        "can_submit": editing,
        "return_form": (forms.get("return_form") or ProposalReturnForm()) if reviewing else None,
        "approve_form": (forms.get("approve_form") or ProposalApproveForm()) if reviewing else None,
    }


def proposal_detail(request, pk: int):
    permissions.require_member(request.user)
    proposal = selectors.proposal_for(request.user, pk)
    return render(request, "people/hub_proposal.html", _proposal_context(request, proposal))


def _proposal_step(request, pk: int, form_class, key: str, call):
    """One step from the round's page (alliance.views.record_step); 404 for a round the user may not see."""
    permissions.require_member(request.user)
    return record_step(request, pk, form_class, key, call, load=selectors.proposal_for, context=_proposal_context,
                       template="people/hub_proposal.html", url_name="people-proposal")


@require_POST
def proposal_services(request, pk: int):
    def call(proposal, data):
        services.proposal_services_set(actor=request.user, proposal=proposal, services=list(data["services"]),
                                       note=data["note"])
        return "The services of the proposal are saved."

    form_class = partial(ProposalServicesForm, services=selectors.hub_services(permissions.require_member(request.user)))
    return _proposal_step(request, pk, form_class, "services_form", call)


@require_POST
def proposal_candidate_add(request, pk: int):
    def call(proposal, data):
        candidate = services.proposal_candidate_add(actor=request.user, proposal=proposal, **data)
        return f"The CV of {candidate.person_name} is added for {candidate.hub_service}."

    form_class = partial(HubCandidateForm, services=selectors.hub_services(permissions.require_member(request.user)))
    return _proposal_step(request, pk, form_class, "candidate_form", call)


@require_POST
def proposal_submit(request, pk: int):
    def call(proposal, data):
        services.proposal_submit(actor=request.user, proposal=proposal)
        return "The proposal is with the Alliance Manager (para 65)."

    return _proposal_step(request, pk, ProposalSubmitForm, "submit_form", call)


@require_POST
def proposal_return(request, pk: int):
    def call(proposal, data):
        services.proposal_return(actor=request.user, proposal=proposal, comments=data["comments"])
        return "The proposal is returned to the Production Management Partner with your comments (para 66)."

    return _proposal_step(request, pk, ProposalReturnForm, "return_form", call)


@require_POST
def proposal_approve(request, pk: int):
    def call(proposal, data):
        services.proposal_approve(actor=request.user, proposal=proposal, closes_on=data["closes_on"])
        return "You approved the proposal: it is with the Board for its review and approval (para 66)."

    return _proposal_step(request, pk, ProposalApproveForm, "approve_form", call)


# --- Calls for CVs and the portfolio (paras 67-70) ----------------------------------------------------------
def call_issue(request):
    alliance_id = permissions.require_selection_runner(
        request.user, permissions.require_member(request.user), services.ERR_HUB_NOT_AM)
    form = CallIssueForm(request.POST or None, services=selectors.hub_services(alliance_id))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cv_call = services.call_issue(actor=request.user, alliance=request.user.organisation.alliance,
                                          title=data["title"], roles=data["roles"], services=list(data["services"]),
                                          opens_on=data["opens_on"], closes_on=data["closes_on"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"The call is issued: every partner has until "
                                      f"{cv_call.closes_on:%-d %b %Y} to submit CVs (para 67).")
            return redirect("people-call", pk=cv_call.pk)
    return render(request, "people/hub_call_issue.html", {"form": form}, status=400 if form.errors else 200)


def _call_context(request, cv_call, **forms) -> dict:
    user = request.user
    today = local_today()
    is_open = cv_call.opens_on <= today <= cv_call.closes_on
    closed = today > cv_call.closes_on
    organisation = user.organisation
    may_submit = is_open and permissions.can_nominate(user) and organisation.kind == OrganisationKind.PARTNER
    is_manager = permissions.can_run_selection(user, cv_call.alliance_id)
    candidates = _with_cv_flags(user, selectors.call_candidates(user, cv_call))
    recommendations = list(selectors.call_recommendations(cv_call))
    latest = recommendations[0] if recommendations else None
    pending = next((r for r in recommendations if r.status == PortfolioStatus.WITH_BOARD), None)
    # The recommended names show to those who may see every candidate in it (the Alliance Manager, the Board
    # while it decides): another partner's candidates are personal data.
    shown = pending if pending and all(permissions.can_view_nomination(user, c) for c in pending.candidates.all()) else None
    return {
        "call": cv_call,
        "call_services": cv_call.services.all(),
        "today": today,
        "is_open": is_open,
        "closed": closed,
        "days_left": (cv_call.closes_on - today).days,
        "candidates": candidates,
        "cv_form": (forms.get("cv_form") or HubCandidateForm(services=cv_call.services.all())) if may_submit else None,
        "recommend_form": (forms.get("recommend_form") or PortfolioRecommendForm(
            candidates=selectors.call_candidates(user, cv_call))) if (is_manager and closed and not pending) else None,
        "recommendations": recommendations,
        "comments_form": (forms.get("comments_form") or PortfolioCommentsForm())
        if (is_manager and latest is not None and latest.status == PortfolioStatus.REJECTED) else None,
        "comments_for": latest,
        "table": selectors.portfolio_table(cv_call.alliance_id, shown),
        "table_recommendation": shown,
    }


def call_detail(request, pk: int):
    permissions.require_member(request.user)
    cv_call = selectors.call_for(request.user, pk)
    return render(request, "people/hub_call.html", _call_context(request, cv_call))


def _call_step(request, pk: int, form_class, key: str, call):
    permissions.require_member(request.user)
    return record_step(request, pk, form_class, key, call, load=selectors.call_for, context=_call_context,
                       template="people/hub_call.html", url_name="people-call")


@require_POST
def call_cv_submit(request, pk: int):
    def call(cv_call, data):
        candidate = services.call_cv_submit(actor=request.user, call=cv_call, **data)
        return f"The CV of {candidate.person_name} is submitted for {candidate.hub_service}."

    permissions.require_member(request.user)
    cv_call = selectors.call_for(request.user, pk)
    return _call_step(request, pk, partial(HubCandidateForm, services=cv_call.services.all()), "cv_form", call)


@require_POST
def portfolio_recommend(request, pk: int):
    def call(cv_call, data):
        services.portfolio_recommend(actor=request.user, call=cv_call, candidates=list(data["candidates"]),
                                     summary=data["summary"], closes_on=data["closes_on"])
        return "The portfolio is recommended to the Board (para 68)."

    permissions.require_member(request.user)
    cv_call = selectors.call_for(request.user, pk)
    # Before the form: others see fewer candidates, and would get "not a valid choice" instead of a 403.
    permissions.require_selection_runner(request.user, cv_call.alliance_id, services.ERR_HUB_NOT_AM)
    form_class = partial(PortfolioRecommendForm, candidates=selectors.call_candidates(request.user, cv_call))
    return _call_step(request, pk, form_class, "recommend_form", call)


@require_POST
def portfolio_comments(request, pk: int):
    """The Board's comments on a rejected recommendation; the page is the call's."""
    permissions.require_member(request.user)
    recommendation = selectors.recommendation_for(request.user, pk)

    def call(cv_call, data):
        services.portfolio_comments_record(actor=request.user, recommendation=recommendation,
                                           comments=data["comments"])
        return "The Board's comments are recorded (para 69)."

    return _call_step(request, recommendation.call_id, PortfolioCommentsForm, "comments_form", call)


# --- The client's presence (paras 46, 64) ---------------------------------------------------------------------
def client_presence(request):
    alliance_id = permissions.require_selection_runner(
        request.user, permissions.require_member(request.user), services.ERR_HUB_NOT_AM)
    form = PresenceForm(request.POST or None, services=selectors.hub_services(alliance_id))
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.client_presence_deploy(actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{appointment.person_name} is recorded in {appointment.hub_service}.")
            return redirect("people-presence")
    table = selectors.portfolio_table(alliance_id)
    rows = [(service, cells[0]) for service, cells in table.rows if service.client_presence]
    return render(request, "people/hub_presence.html", {"form": form, "rows": rows, "client": table.columns[0]},
                  status=400 if form.errors else 200)
