"""Writes of Production Hub resourcing (paras 63-71).

Core resources (paras 65-66), one round after the Alliance Start Date and then one per later package:
1. the Alliance Manager asks the Production Management Partner for its proposal; the round's clock opens (the
   first must be complete within three months of the Alliance Start Date, para 66);
2. the PMP names the services it will provide core capability for and adds a CV for each, then submits;
3. the Alliance Manager returns it with comments, or approves it and sends it to the Board (a decision of the
   Decision Matrix type ``production-hub-resources``);
4. the Board's approval deploys the candidates and meets the clock; a rejection returns it to the PMP.

Remaining roles (paras 67-70):
5. the Alliance Manager issues a call for CVs with a window of two to four weeks: every partner owes CVs by its
   close (an obligation each, met by its first CV);
6. partners submit CVs while the window is open; the Alliance Manager shortlists and interviews;
7. after the close, the Alliance Manager recommends a balanced portfolio to the Board (para 68); approval deploys
   the people (para 70), rejection comes back with the Board's comments (para 69).
A vacancy repeats the process (para 71): a new round or a new call. The tables are ``PROPOSAL_STEPS`` and
``PORTFOLIO_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import Alliance, ObligationKind, OrganisationKind
from alliance.permissions import alliance_id_of
from alliance.workflow import require, save_with_reason, step
from governance.models import Decision
from governance.models.board import Outcome
from governance.outcomes import BoardOutcomes
from governance.tabling import put_to_board
from people import selectors
from people.models import (
    Appointment,
    CvCall,
    HubService,
    Nomination,
    NominationRoute,
    NominationStatus,
    PortfolioRecommendation,
    PortfolioStatus,
    ProposalStatus,
    ResourcingProposal,
)
from people.permissions import can_nominate, can_run_selection, is_pmp
from people.services.cvs import cv_check, save_with_cv
from people.services.key_persons import _appoint, _move, _notify_manager, _notify_organisation

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from alliance.models import Person

ERR_HUB_NOT_AM = "Only the Alliance Manager can do that (paras 66-68)."
ERR_HUB_NOT_PMP = "Only the Production Management Partner prepares its proposal (para 65)."
ERR_HUB_NOT_PARTNER = "Only a partner's staff, representative or delegate can submit CVs in a call (para 67)."
ERR_HUB_OTHER_ALLIANCE = "That belongs to another alliance."
ERR_HUB_NO_PMP = "This alliance has no Production Management Partner (Lot 1) to ask."
ERR_PROPOSAL_TITLE = "Name the round, for example \"Alliance Start Date\" or \"Package 3\"."
ERR_PROPOSAL_OPEN_ROUND = "The round \"{title}\" is still open: finish it before asking for another."
ERR_PROPOSAL_STEP = "This proposal is {status}: it cannot be {action}."
ERR_PROPOSAL_INCOMPLETE = "Name at least one service and give every service you name a candidate's CV (para 65)."
ERR_PROPOSAL_COMMENTS = "Say why, for the Production Management Partner: comments are required (para 66)."
ERR_CALL_WINDOW = "Partners have two to four weeks to submit CVs: the call must close 14 to 28 days after it opens (para 67)."
ERR_CALL_OPENS_PAST = "A call cannot open before today."
ERR_CALL_NO_SERVICES = "Choose the Production Hub services the remaining roles are in."
ERR_CALL_ROLES = "Describe the remaining roles the call is for."
ERR_CALL_CLOSED = "This call closed on {closes:%-d %b %Y}: CVs can no longer be submitted (para 67)."
ERR_CALL_SERVICE = "That service is not part of this call."
ERR_CALL_NOT_OPEN = "This call opens on {opens:%-d %b %Y}: CVs can be submitted from then (para 67)."
ERR_CALL_NOT_CLOSED = "The call is open until {closes:%-d %b %Y}: partners still have time to submit CVs (para 67)."
ERR_PORTFOLIO_EMPTY = "Choose the shortlisted candidates the portfolio recommends."
ERR_PORTFOLIO_SUMMARY = "Explain how the portfolio is balanced (para 68)."
ERR_PORTFOLIO_NOT_SHORTLISTED = "Only shortlisted candidates of this call can be recommended: {names}."
ERR_PORTFOLIO_PENDING = "A recommendation for this call is already before the Board."
ERR_PORTFOLIO_STEP = "This recommendation is {status}: it cannot be {action}."
ERR_PRESENCE_SERVICE = "The client keeps a presence only in the services para 46 names."

CV_CALL_MIN_DAYS, CV_CALL_MAX_DAYS = 14, 28  # para 67: two to four weeks
CORE_RESOURCES_MONTHS = 3  # para 66
DECISION_CODE = "production-hub-resources"  # paras 66, 69

PROPOSAL_STEPS: dict[str, tuple[set[str], str]] = {
    "edit": ({ProposalStatus.REQUESTED, ProposalStatus.RETURNED}, ProposalStatus.REQUESTED),
    "submit": ({ProposalStatus.REQUESTED, ProposalStatus.RETURNED}, ProposalStatus.SUBMITTED),
    "return": ({ProposalStatus.SUBMITTED}, ProposalStatus.RETURNED),
    "approve": ({ProposalStatus.SUBMITTED}, ProposalStatus.WITH_BOARD),
    "board_approves": ({ProposalStatus.WITH_BOARD}, ProposalStatus.APPROVED),
    "board_rejects": ({ProposalStatus.WITH_BOARD}, ProposalStatus.RETURNED),
}
PORTFOLIO_STEPS: dict[str, tuple[set[str], str]] = {
    "board_approves": ({PortfolioStatus.WITH_BOARD}, PortfolioStatus.APPROVED),
    "board_rejects": ({PortfolioStatus.WITH_BOARD}, PortfolioStatus.REJECTED),
    "comment": ({PortfolioStatus.REJECTED}, PortfolioStatus.REJECTED),
}
_ACTIVE = (NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED)


def _proposal_link(proposal: ResourcingProposal) -> str:
    return reverse("people-proposal", args=[proposal.pk])


def _call_link(call: CvCall) -> str:
    return reverse("people-call", args=[call.pk])


def _locked_proposal(proposal: ResourcingProposal) -> ResourcingProposal:
    return ResourcingProposal.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=proposal.pk)


def _proposal_step(proposal: ResourcingProposal, name: str, action: str) -> None:
    step(proposal, PROPOSAL_STEPS, ERR_PROPOSAL_STEP, name, action)


@transaction.atomic
def proposal_request(*, actor: Person, alliance: Alliance, title: str, due_date: dt.date | None = None) -> ResourcingProposal:
    """The Alliance Manager asks the PMP for its proposal of core services; the round's clock opens: for the
    first round, three months from the Alliance Start Date (para 66); for a later one, three months from today
    unless another date is given."""
    require(can_run_selection(actor, alliance.pk), ERR_HUB_NOT_AM)
    if not title.strip():
        raise ValidationError({"title": [ERR_PROPOSAL_TITLE]})
    pmp = selectors.production_management_partner(alliance.pk)
    if pmp is None:
        raise ValidationError(ERR_HUB_NO_PMP)
    open_round = selectors.open_resourcing_round(alliance.pk)
    if open_round is not None:
        raise ValidationError(ERR_PROPOSAL_OPEN_ROUND.format(title=open_round.title))
    today = local_today()
    if due_date is None:
        first = not ResourcingProposal.objects.filter(alliance=alliance).exists()
        due_date = add_months(alliance.start_date if first else today, CORE_RESOURCES_MONTHS)
    proposal = ResourcingProposal(alliance=alliance, title=title.strip(), organisation=pmp, due_date=due_date,
                                  requested_by=actor)
    save_with_reason(proposal, actor, "Proposal requested from the PMP (para 65)")
    alliance_services.obligation_open(
        actor=actor, alliance=alliance, kind=ObligationKind.PMP_CORE_RESOURCES,
        title=f"Production Hub core resources selected — {proposal.title}", paragraph="paras 65-66",
        start_date=min(today, due_date), due_date=due_date, responsible_organisation=pmp, subject=proposal,
    )
    _notify_organisation(pmp.pk, f"The Alliance Manager asks for your Production Hub proposal ({proposal.title}) "
                         f"by {due_date:%-d %b %Y}", _proposal_link(proposal))
    return proposal


def _pmp_editing(actor: Person, proposal: ResourcingProposal, action: str) -> ResourcingProposal:
    proposal = _locked_proposal(proposal)
    require(is_pmp(actor, proposal), ERR_HUB_NOT_PMP)
    if proposal.status not in PROPOSAL_STEPS["edit"][0]:
        raise ValidationError(ERR_PROPOSAL_STEP.format(status=proposal.get_status_display().lower(), action=action))
    return proposal


def _check_services(alliance_id: int, services: list[HubService]) -> None:
    if any(s.alliance_id != alliance_id for s in services):
        raise ValidationError({"services": [ERR_HUB_OTHER_ALLIANCE]})


@transaction.atomic
def proposal_services_set(*, actor: Person, proposal: ResourcingProposal, services: list[HubService],
                          note: str = "") -> ResourcingProposal:
    """The PMP names the services it will provide core capability for (para 65)."""
    proposal = _pmp_editing(actor, proposal, "changed")
    _check_services(proposal.alliance_id, services)
    proposal.note = note.strip()
    save_with_reason(proposal, actor, "Services and note updated")
    proposal.services.set(services)
    return proposal


@transaction.atomic
def proposal_candidate_add(
    *, actor: Person, proposal: ResourcingProposal, hub_service: HubService, person_name: str, statement: str = "",
    cv: UploadedFile | None,
) -> Nomination:
    """The PMP adds a candidate's CV for one of its core services (para 65); the service joins the proposal."""
    proposal = _pmp_editing(actor, proposal, "changed")
    _check_services(proposal.alliance_id, [hub_service])
    if not person_name.strip():
        raise ValidationError({"person_name": ["Enter the candidate's name."]})
    content_type = cv_check(cv)
    candidate = Nomination(
        alliance_id=proposal.alliance_id, route=NominationRoute.HUB_CORE, hub_service=hub_service, proposal=proposal,
        organisation=proposal.organisation, person_name=person_name.strip(), statement=statement.strip(),
        submitted_by=actor,
    )
    save_with_cv(candidate, cv, content_type, actor, f"CV added to the proposal {proposal.title}")
    proposal.services.add(hub_service)
    return candidate


@transaction.atomic
def proposal_submit(*, actor: Person, proposal: ResourcingProposal) -> ResourcingProposal:
    """The PMP submits its proposal to the Alliance Manager: every service named has a candidate."""
    proposal = _pmp_editing(actor, proposal, "submitted")
    services = set(proposal.services.values_list("pk", flat=True))
    covered = set(proposal.candidates.filter(status__in=_ACTIVE).values_list("hub_service_id", flat=True))
    if not services or not services <= covered:
        raise ValidationError(ERR_PROPOSAL_INCOMPLETE)
    _proposal_step(proposal, "submit", "submitted")
    proposal.submitted_at = timezone.now()
    save_with_reason(proposal, actor, "Submitted to the Alliance Manager (para 65)")
    _notify_manager(proposal.alliance_id, f"The PMP submitted its Production Hub proposal ({proposal.title})",
                    _proposal_link(proposal))
    return proposal


@transaction.atomic
def proposal_return(*, actor: Person, proposal: ResourcingProposal, comments: str) -> ResourcingProposal:
    """The Alliance Manager rejects the proposal with comments (para 66); the PMP revises and resubmits."""
    require(can_run_selection(actor, proposal.alliance_id), ERR_HUB_NOT_AM)
    proposal = _locked_proposal(proposal)
    if not comments.strip():
        raise ValidationError({"comments": [ERR_PROPOSAL_COMMENTS]})
    _proposal_step(proposal, "return", "returned")
    proposal.comments = comments.strip()
    save_with_reason(proposal, actor, "Returned by the Alliance Manager with comments (para 66)")
    _notify_organisation(proposal.organisation_id, f"The Alliance Manager returned your Production Hub proposal "
                         f"({proposal.title}) with comments", _proposal_link(proposal))
    return proposal


@transaction.atomic
def proposal_approve(*, actor: Person, proposal: ResourcingProposal, closes_on: dt.date | None = None) -> Decision:
    """The Alliance Manager approves the proposal and issues it to the Board (para 66)."""
    require(can_run_selection(actor, proposal.alliance_id), ERR_HUB_NOT_AM)
    proposal = _locked_proposal(proposal)
    _proposal_step(proposal, "approve", "approved")
    names = ", ".join(f"{c.person_name} ({c.hub_service})" for c in
                      proposal.candidates.filter(status__in=_ACTIVE, hub_service__in=proposal.services.all())
                      .select_related("hub_service"))
    proposal.decision = put_to_board(
        actor=actor, subject=proposal, code=DECISION_CODE,
        title=f"Production Hub core resources from the PMP: {proposal.title}",
        description=f"Approved by the Alliance Manager (para 66). Services and candidates: {names}.",
        closes_on=closes_on,
    )
    proposal.comments = ""
    save_with_reason(proposal, actor, "Approved by the Alliance Manager and issued to the Board (para 66)")
    return proposal.decision


def _on_proposal_outcome(proposal: ResourcingProposal, decision: Decision) -> None:
    """The Board's decision on the PMP's core resources closed (para 66)."""
    actor = decision.closed_by
    if decision.outcome != Outcome.APPROVED:
        _proposal_step(proposal, "board_rejects", "rejected")
        proposal.comments = f"Not approved by the Board ({decision.get_outcome_display().lower()})."
        save_with_reason(proposal, actor, proposal.comments)
        _notify_organisation(proposal.organisation_id, f"The Board did not approve the Production Hub proposal "
                             f"({proposal.title})", _proposal_link(proposal))
        return
    _proposal_step(proposal, "board_approves", "approved")
    save_with_reason(proposal, actor, "Approved by the Board (para 66)")
    chosen = set(proposal.services.values_list("pk", flat=True))
    for candidate in proposal.candidates.select_for_update().filter(status__in=_ACTIVE).select_related("alliance"):
        if candidate.hub_service_id not in chosen:
            # A CV for a service the PMP later took out of its proposal: the Board did not approve that service.
            _move(candidate, "another_appointed")
            candidate.comments = "Its service is not in the proposal the Board approved."
            save_with_reason(candidate, actor, "Service not in the approved proposal")
            continue
        candidate.status = NominationStatus.APPOINTED
        candidate.decided_at = timezone.now()
        save_with_reason(candidate, actor, "Deployed: the Board approved the PMP's proposal (para 66)")
        _appoint(candidate, actor, "Core resource deployed (para 66)")
    alliance_services.obligations_meet_for(actor=actor, subject=proposal, kind=ObligationKind.PMP_CORE_RESOURCES,
                                           reason="The Board approved the core resources")


@transaction.atomic
def call_issue(
    *, actor: Person, alliance: Alliance, title: str, roles: str, services: list[HubService],
    closes_on: dt.date, opens_on: dt.date | None = None,
) -> CvCall:
    """The Alliance Manager calls for CVs for the remaining roles: every partner, the PMP included, has two to
    four weeks (para 67)."""
    require(can_run_selection(actor, alliance.pk), ERR_HUB_NOT_AM)
    opens_on = opens_on or local_today()
    if not title.strip():
        raise ValidationError({"title": ["Give the call a title."]})
    if not roles.strip():
        raise ValidationError({"roles": [ERR_CALL_ROLES]})
    if not services:
        raise ValidationError({"services": [ERR_CALL_NO_SERVICES]})
    _check_services(alliance.pk, services)
    if opens_on < local_today():
        raise ValidationError({"opens_on": [ERR_CALL_OPENS_PAST]})
    if not CV_CALL_MIN_DAYS <= (closes_on - opens_on).days <= CV_CALL_MAX_DAYS:
        raise ValidationError({"closes_on": [ERR_CALL_WINDOW]})
    call = CvCall(alliance=alliance, title=title.strip(), roles=roles.strip(), opens_on=opens_on, closes_on=closes_on,
                  issued_by=actor)
    save_with_reason(call, actor, "Call for CVs issued (para 67)")
    call.services.set(services)
    for partner in selectors.partners_of(alliance.pk):
        alliance_services.obligation_open(
            actor=actor, alliance=alliance, kind=ObligationKind.CV_CALL, title=f"CVs for {call.title} — {partner.name}",
            paragraph="para 67", start_date=opens_on, due_date=closes_on, responsible_organisation=partner, subject=call,
        )
        _notify_organisation(partner.pk, f"Call for CVs: {call.title}, closing {closes_on:%-d %b %Y}", _call_link(call))
    return call


@transaction.atomic
def call_cv_submit(
    *, actor: Person, call: CvCall, hub_service: HubService, person_name: str, statement: str = "",
    cv: UploadedFile | None,
) -> Nomination:
    """A partner submits a candidate's CV while the call is open (para 67); its first CV meets its obligation."""
    organisation = actor.organisation
    if organisation is None or not (can_nominate(actor) and organisation.kind == OrganisationKind.PARTNER):
        raise PermissionDenied(ERR_HUB_NOT_PARTNER)
    if call.alliance_id != alliance_id_of(actor):
        raise ValidationError(ERR_HUB_OTHER_ALLIANCE)
    if local_today() > call.closes_on:
        raise ValidationError(ERR_CALL_CLOSED.format(closes=call.closes_on))
    if local_today() < call.opens_on:
        raise ValidationError(ERR_CALL_NOT_OPEN.format(opens=call.opens_on))
    if not call.services.filter(pk=hub_service.pk).exists():
        raise ValidationError({"hub_service": [ERR_CALL_SERVICE]})
    if not person_name.strip():
        raise ValidationError({"person_name": ["Enter the candidate's name."]})
    content_type = cv_check(cv)
    candidate = Nomination(
        alliance_id=call.alliance_id, route=NominationRoute.HUB_CALL, hub_service=hub_service, call=call,
        organisation=organisation, person_name=person_name.strip(), statement=statement.strip(), submitted_by=actor,
    )
    save_with_cv(candidate, cv, content_type, actor, f"CV submitted to {call.title}")
    alliance_services.obligations_meet_for(actor=actor, subject=call, kind=ObligationKind.CV_CALL,
                                           organisation_id=organisation.pk, reason=f"{organisation} submitted CVs")
    return candidate


@transaction.atomic
def portfolio_recommend(
    *, actor: Person, call: CvCall, candidates: list[Nomination], summary: str, closes_on: dt.date | None = None,
) -> PortfolioRecommendation:
    """After the call closes, the Alliance Manager recommends a balanced portfolio of shortlisted candidates to
    the Board (para 68)."""
    require(can_run_selection(actor, call.alliance_id), ERR_HUB_NOT_AM)
    call = CvCall.objects.select_for_update().get(pk=call.pk)
    if local_today() <= call.closes_on:
        raise ValidationError(ERR_CALL_NOT_CLOSED.format(closes=call.closes_on))
    if not candidates:
        raise ValidationError({"candidates": [ERR_PORTFOLIO_EMPTY]})
    if not summary.strip():
        raise ValidationError({"summary": [ERR_PORTFOLIO_SUMMARY]})
    if call.recommendations.filter(status=PortfolioStatus.WITH_BOARD).exists():
        raise ValidationError(ERR_PORTFOLIO_PENDING)
    chosen = list(Nomination.objects.select_for_update(of=("self",)).filter(pk__in=[c.pk for c in candidates])
                  .select_related("hub_service", "organisation"))
    wrong = [c.person_name for c in chosen if c.call_id != call.pk or c.status != NominationStatus.SHORTLISTED]
    if wrong or len(chosen) != len({c.pk for c in candidates}):
        raise ValidationError({"candidates": [ERR_PORTFOLIO_NOT_SHORTLISTED.format(names=", ".join(wrong) or "?")]})
    recommendation = PortfolioRecommendation(alliance_id=call.alliance_id, call=call, summary=summary.strip(),
                                             recommended_by=actor)
    save_with_reason(recommendation, actor, "Recommended to the Board (para 68)")
    for candidate in chosen:
        candidate.recommendation = recommendation
        save_with_reason(candidate, actor, "In the portfolio recommended to the Board")
    names = "; ".join(f"{c.hub_service}: {c.person_name} ({c.organisation})" for c in chosen)
    recommendation.decision = put_to_board(
        actor=actor, subject=recommendation, alliance=call.alliance, code=DECISION_CODE,
        title=f"Production Hub resource portfolio: {call.title}",
        description=f"{recommendation.summary}\n\nRecommended (para 68): {names}.", closes_on=closes_on,
    )
    save_with_reason(recommendation, actor, "Tabled for the Board (para 69)")
    return recommendation


def _on_portfolio_outcome(recommendation: PortfolioRecommendation, decision: Decision) -> None:
    """The Board's decision on the portfolio for the residual posts closed (paras 69-70)."""
    actor = decision.closed_by
    if decision.outcome != Outcome.APPROVED:
        step(recommendation, PORTFOLIO_STEPS, ERR_PORTFOLIO_STEP, "board_rejects", "rejected")
        save_with_reason(recommendation, actor, f"Not approved by the Board ({decision.get_outcome_display().lower()})")
        _notify_manager(recommendation.alliance_id, f"The Board did not approve the portfolio for {recommendation.call}",
                        _call_link(recommendation.call))
        return
    step(recommendation, PORTFOLIO_STEPS, ERR_PORTFOLIO_STEP, "board_approves", "approved")
    save_with_reason(recommendation, actor, "Approved by the Board (para 69)")
    for candidate in recommendation.candidates.select_for_update().filter(status__in=_ACTIVE).select_related("alliance"):
        candidate.status = NominationStatus.APPOINTED
        candidate.decided_at = timezone.now()
        save_with_reason(candidate, actor, "Deployed: the Board approved the portfolio (para 70)")
        _appoint(candidate, actor, "Deployed (para 70)")
    # Close every other undecided CV of the call, those of an earlier recommendation the Board rejected included
    # (they still point at it, so "recommendation=None" would leave them open for ever).
    for other in (recommendation.call.candidates.select_for_update().filter(status__in=_ACTIVE)
                  .exclude(recommendation=recommendation)):
        _move(other, "another_appointed")
        other.comments = "Not in the portfolio the Board approved."
        save_with_reason(other, actor, "Not in the approved portfolio")


@transaction.atomic
def portfolio_comments_record(*, actor: Person, recommendation: PortfolioRecommendation, comments: str) -> PortfolioRecommendation:
    """The Alliance Manager records the Board's comments on a rejected recommendation (para 69)."""
    require(can_run_selection(actor, recommendation.alliance_id), ERR_HUB_NOT_AM)
    recommendation = PortfolioRecommendation.objects.select_for_update().get(pk=recommendation.pk)
    step(recommendation, PORTFOLIO_STEPS, ERR_PORTFOLIO_STEP, "comment", "commented on")
    if not comments.strip():
        raise ValidationError({"comments": ["Enter the Board's comments."]})
    recommendation.board_comments = comments.strip()
    save_with_reason(recommendation, actor, "The Board's comments recorded (para 69)")
    return recommendation


@transaction.atomic
def client_presence_deploy(*, actor: Person, hub_service: HubService, person_name: str) -> Appointment:
    """The Alliance Manager records a client person in a service where the client keeps a presence (paras 46, 64)."""
    require(can_run_selection(actor, hub_service.alliance_id), ERR_HUB_NOT_AM)
    if not hub_service.client_presence:
        raise ValidationError({"hub_service": [ERR_PRESENCE_SERVICE]})
    if not person_name.strip():
        raise ValidationError({"person_name": ["Enter the person's name."]})
    appointment = Appointment(
        alliance_id=hub_service.alliance_id, hub_service=hub_service, organisation=selectors.client_of(hub_service.alliance_id),
        person_name=person_name.strip(), started_on=local_today(), appointed_by=actor,
    )
    save_with_reason(appointment, actor, "Client presence recorded (para 64)")
    return appointment


PROPOSAL_OUTCOMES = BoardOutcomes(
    ResourcingProposal, waiting=ProposalStatus.WITH_BOARD, handlers={DECISION_CODE: _on_proposal_outcome},
)
PORTFOLIO_OUTCOMES = BoardOutcomes(
    PortfolioRecommendation, waiting=PortfolioStatus.WITH_BOARD, handlers={DECISION_CODE: _on_portfolio_outcome},
)
