"""Writes of the Alliance key person selection (paras 48-60).

1. A member's nominators put a person forward for a role, with a CV; the person must be available full time
   (para 55). Who may nominate for which role follows para 57 (``permissions.may_nominate_for``). A nomination
   may be withdrawn or replaced until it is decided.
2. The Alliance Manager shortlists, interviews (para 56), rejects with comments, and may ask the partners for
   alternative candidates (para 58): an obligation for each, met when it nominates for the role.
3. A partner-specific role is appointed on the Alliance Manager's approval (paras 50, 57); any other is proposed
   to the Board (para 59) as a decision of the Decision Matrix type ``key-person-appointment``; approval
   appoints. A pan-alliance role nobody was nominated for is put to the Board by the Alliance Manager (para 54).
4. A key person leaving (para 60) opens the post for selection again; their successor's appointment opens a
   one-month handover obligation for the outgoing person's organisation.

The workflow's table is ``NOMINATION_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import local_today
from alliance.models import ObligationKind, Organisation
from alliance.permissions import alliance_id_of
from alliance.selectors import alliance_manager, nominators_of
from alliance.workflow import require, save_with_reason, step
from governance.models import Decision
from governance.models.board import Outcome
from governance.outcomes import BoardOutcomes
from governance.tabling import put_to_board
from people import selectors
from people.models import (
    Appointment,
    CandidateRequest,
    Interview,
    KeyPersonRole,
    Nomination,
    NominationRoute,
    NominationStatus,
    Selection,
)
from people.permissions import (
    can_change_nomination,
    can_nominate,
    can_run_selection,
    may_nominate_for,
)
from people.services.cvs import cv_check, save_with_cv

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from alliance.models import Person

ERR_NOMINATION_NOT_NOMINATOR = "Only the staff, board representative or delegate of a member can nominate."
ERR_NOMINATION_NOT_AM = "Only the Alliance Manager can do that (paras 56-59)."
ERR_NOMINATION_OTHER_ALLIANCE = "That role belongs to another alliance."
ERR_NOMINATION_ROLE_CLOSED = "That role is no longer in the catalogue."
ERR_NOMINATION_ROLE_NOT_OPEN = ("Your organisation cannot nominate for this role: a partner-specific role is for the "
                                "partners of its lot, a lot-specific role for its lot's partners and the client (para 57).")
ERR_NOMINATION_NOT_FULL_TIME = "Key person nominees must be available to work full time within the Alliance (para 55)."
ERR_NOMINATION_NAME = "Enter the name of the person you nominate."
ERR_NOMINATION_FILLED = "This post is held by {holder}; it opens for nominations when they leave (para 60)."
ERR_NOMINATION_STEP = "This nomination is {status}: it cannot be {action}."
ERR_NOMINATION_NEEDS_BOARD = "This role is appointed by the Board: propose the nomination to the Board (para 59)."
ERR_NOMINATION_NEEDS_AM = "A partner-specific role is appointed on the Alliance Manager's approval (paras 50, 57)."
ERR_NOMINATION_ALREADY_PROPOSED = "{name} is already before the Board for this post; wait for its decision."
ERR_NOMINATION_COMMENTS = "Say why, for the partner: comments are required."
ERR_INTERVIEW_FUTURE = "An interview is recorded once it has been held: the date cannot be in the future."
ERR_INTERVIEW_PANEL = "Name the interview panel."
ERR_REQUEST_DUE = "Give the partners a date after today."
ERR_REQUEST_MESSAGE = "Tell the partners what kind of candidate you are looking for."
ERR_REFERRAL_NOT_PAN = "Only a pan-alliance role nobody holds can be put to the Board directly (para 54)."
ERR_APPOINTMENT_LEAVING = "This person's departure is already recorded."
ERR_APPOINTMENT_LEAVING_ORDER = "The leaving date cannot be before the appointment started."
ERR_HANDOVER_NONE = "This appointment has no handover to complete."

HANDOVER_MONTHS = 1  # para 60
DECISION_CODE = "key-person-appointment"  # para 59

_UNDECIDED: set[str] = {NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED}
# The nomination workflow (docs/architecture.md: one transitions table): step -> (from states, to state).
NOMINATION_STEPS: dict[str, tuple[set[str], str]] = {
    "shortlist": ({NominationStatus.SUBMITTED}, NominationStatus.SHORTLISTED),
    "withdraw": (_UNDECIDED, NominationStatus.WITHDRAWN),
    "replace": (_UNDECIDED, NominationStatus.REPLACED),
    "reject": (_UNDECIDED, NominationStatus.REJECTED),
    "approve": (_UNDECIDED, NominationStatus.APPOINTED),
    "propose": (_UNDECIDED, NominationStatus.PROPOSED),
    "board_approves": ({NominationStatus.PROPOSED}, NominationStatus.APPOINTED),
    "board_does_not_approve": ({NominationStatus.PROPOSED}, NominationStatus.NOT_APPOINTED),
    "another_appointed": (_UNDECIDED, NominationStatus.NOT_APPOINTED),
}
_ACTIONS = {"shortlist": "shortlisted", "withdraw": "withdrawn", "replace": "replaced", "reject": "rejected",
            "approve": "approved", "propose": "proposed to the Board", "board_approves": "appointed",
            "board_does_not_approve": "closed", "another_appointed": "closed"}
_FINAL = {NominationStatus.APPOINTED, NominationStatus.NOT_APPOINTED, NominationStatus.REJECTED,
          NominationStatus.WITHDRAWN, NominationStatus.REPLACED}


def _move(nomination: Nomination, name: str) -> None:
    step(nomination, NOMINATION_STEPS, ERR_NOMINATION_STEP, name, _ACTIONS[name])
    if nomination.status in _FINAL:
        nomination.decided_at = timezone.now()


def _locked(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update(of=("self",)).select_related("role", "organisation").get(pk=nomination.pk)


def _link(nomination: Nomination) -> str:
    return reverse("people-nomination", args=[nomination.pk])


def _notify_organisation(organisation_id: int, title: str, link: str) -> None:
    alliance_services.notification_send(recipients=nominators_of(organisation_id), title=title, link=link)


def _notify_manager(alliance_id: int, title: str, link: str) -> None:
    manager = alliance_manager(alliance_id)
    if manager is not None:
        alliance_services.notification_send(recipients=[manager], title=title, link=link)


def _check_role(actor: Person, role: KeyPersonRole) -> None:
    if role.alliance_id != alliance_id_of(actor):
        raise ValidationError({"role": [ERR_NOMINATION_OTHER_ALLIANCE]})
    if not role.is_active:
        raise ValidationError({"role": [ERR_NOMINATION_ROLE_CLOSED]})


def _check_person(person_name: str, full_time: bool) -> str:
    if not person_name.strip():
        raise ValidationError({"person_name": [ERR_NOMINATION_NAME]})
    if not full_time:
        raise ValidationError({"full_time": [ERR_NOMINATION_NOT_FULL_TIME]})
    return person_name.strip()


def _check_post_open(role: KeyPersonRole, post_organisation_id: int | None) -> None:
    holder = selectors.post_holder(role.pk, post_organisation_id)
    if holder is not None and holder.leaving_on is None:
        raise ValidationError({"role": [ERR_NOMINATION_FILLED.format(holder=holder.person_name)]})


@transaction.atomic
def nomination_submit(
    *, actor: Person, role: KeyPersonRole, person_name: str, statement: str = "", full_time: bool,
    cv: UploadedFile | None, via: str = "web",
) -> Nomination:
    """A member nominates a person for a key person role, with their CV (paras 48-52, 55, 57)."""
    require(can_nominate(actor), ERR_NOMINATION_NOT_NOMINATOR)
    _check_role(actor, role)
    organisation = cast("Organisation", actor.organisation)  # can_nominate: a member's nominator
    if not may_nominate_for(organisation, role):
        raise ValidationError({"role": [ERR_NOMINATION_ROLE_NOT_OPEN]})
    person_name = _check_person(person_name, full_time)
    post_organisation_id = organisation.pk if role.is_partner_specific else None
    _check_post_open(role, post_organisation_id)
    content_type = cv_check(cv)
    nomination = Nomination(
        alliance_id=role.alliance_id, route=NominationRoute.KEY_PERSON, role=role,
        post_organisation_id=post_organisation_id, organisation=organisation, person_name=person_name,
        statement=statement.strip(), full_time=True, submitted_by=actor,
    )
    save_with_cv(nomination, cv, content_type, actor, f"Nominated by {organisation} ({via})")
    # Para 58: a request for alternative candidates is answered by nominating for the role.
    for request in CandidateRequest.objects.filter(role=role):
        alliance_services.obligations_meet_for(
            actor=actor, subject=request, kind=ObligationKind.KEY_PERSON_CANDIDATES, organisation_id=organisation.pk,
            reason=f"{organisation} nominated {person_name}",
        )
    _notify_manager(role.alliance_id, f"{organisation} nominated {person_name} for {role}", _link(nomination))
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor: Person, nomination: Nomination) -> Nomination:
    """The nominating organisation withdraws its nomination until it is decided."""
    nomination = _locked(nomination)
    require(can_change_nomination(actor, nomination), ERR_NOMINATION_NOT_NOMINATOR)
    _move(nomination, "withdraw")
    save_with_reason(nomination, actor, "Withdrawn by the nominating organisation")
    return nomination


@transaction.atomic
def nomination_replace(
    *, actor: Person, nomination: Nomination, person_name: str, statement: str = "", full_time: bool,
    cv: UploadedFile | None,
) -> Nomination:
    """Put another person forward in place of an undecided nomination (a Production Hub CV stays in its
    proposal or call, for the same service)."""
    nomination = _locked(nomination)
    require(can_change_nomination(actor, nomination), ERR_NOMINATION_NOT_NOMINATOR)
    person_name = _check_person(person_name, full_time or nomination.route != NominationRoute.KEY_PERSON)
    content_type = cv_check(cv)
    _move(nomination, "replace")
    save_with_reason(nomination, actor, f"Replaced by {person_name}")
    replacement = Nomination(
        alliance_id=nomination.alliance_id, route=nomination.route, role=nomination.role,
        post_organisation=nomination.post_organisation, hub_service=nomination.hub_service,
        proposal=nomination.proposal, call=nomination.call, organisation=nomination.organisation,
        person_name=person_name, statement=statement.strip(), full_time=full_time, replaces=nomination,
        submitted_by=actor,
    )
    save_with_cv(replacement, cv, content_type, actor, f"Replaces {nomination.person_name}")
    _notify_manager(nomination.alliance_id, f"{nomination.organisation} replaced {nomination.person_name} with "
                    f"{person_name} for {nomination.post_title}", _link(replacement))
    return replacement


def _manager_step(actor: Person, nomination: Nomination) -> Nomination:
    require(can_run_selection(actor, nomination.alliance_id), ERR_NOMINATION_NOT_AM)
    return _locked(nomination)


@transaction.atomic
def nomination_shortlist(*, actor: Person, nomination: Nomination) -> Nomination:
    """The Alliance Manager shortlists a nomination or a Production Hub CV (paras 56, 68)."""
    nomination = _manager_step(actor, nomination)
    _move(nomination, "shortlist")
    save_with_reason(nomination, actor, "Shortlisted by the Alliance Manager")
    _notify_organisation(nomination.organisation_id, f"{nomination.person_name} was shortlisted for "
                         f"{nomination.post_title}", _link(nomination))
    return nomination


@transaction.atomic
def nomination_reject(*, actor: Person, nomination: Nomination, comments: str) -> Nomination:
    """The Alliance Manager rejects a nomination, with comments for the partner (paras 58, 66)."""
    nomination = _manager_step(actor, nomination)
    if not comments.strip():
        raise ValidationError({"comments": [ERR_NOMINATION_COMMENTS]})
    _move(nomination, "reject")
    nomination.comments = comments.strip()
    save_with_reason(nomination, actor, "Rejected by the Alliance Manager")
    _notify_organisation(nomination.organisation_id, f"{nomination.person_name} was not selected for "
                         f"{nomination.post_title}", _link(nomination))
    return nomination


@transaction.atomic
def interview_record(
    *, actor: Person, nomination: Nomination, held_on: dt.date, panel: str, notes: str = "", outcome: str,
) -> Interview:
    """The Alliance Manager records an interview held with a nominee (paras 56, 66, 68)."""
    nomination = _manager_step(actor, nomination)
    if nomination.status not in _UNDECIDED | {NominationStatus.PROPOSED}:
        raise ValidationError(ERR_NOMINATION_STEP.format(status=nomination.get_status_display().lower(),
                                                         action="interviewed"))
    if held_on > local_today():
        raise ValidationError({"held_on": [ERR_INTERVIEW_FUTURE]})
    if not panel.strip():
        raise ValidationError({"panel": [ERR_INTERVIEW_PANEL]})
    interview = Interview(nomination=nomination, held_on=held_on, panel=panel.strip(), notes=notes.strip(),
                          outcome=outcome, recorded_by=actor)
    interview.full_clean(exclude=["nomination", "recorded_by"])
    save_with_reason(interview, actor, "Interview recorded")
    return interview


@transaction.atomic
def candidates_request(*, actor: Person, role: KeyPersonRole, message: str, due_date: dt.date) -> CandidateRequest:
    """The Alliance Manager asks the partners for alternative candidates for a role (para 58): each partner that
    may nominate for it owes an answer by ``due_date``, met when it nominates."""
    require(can_run_selection(actor, role.alliance_id), ERR_NOMINATION_NOT_AM)
    _check_role(actor, role)
    if not message.strip():
        raise ValidationError({"message": [ERR_REQUEST_MESSAGE]})
    if due_date <= local_today():
        raise ValidationError({"due_date": [ERR_REQUEST_DUE]})
    request = CandidateRequest(role=role, message=message.strip(), due_date=due_date, requested_by=actor)
    save_with_reason(request, actor, "Alternative candidates requested (para 58)")
    link = reverse("people-role", args=[role.pk])
    for organisation in selectors.partners_who_may_nominate(role):
        alliance_services.obligation_open(
            actor=actor, alliance=organisation.alliance, kind=ObligationKind.KEY_PERSON_CANDIDATES,
            title=f"Alternative candidates for {role} — {organisation.name}", paragraph="para 58",
            start_date=local_today(), due_date=due_date, responsible_organisation=organisation, subject=request,
        )
        _notify_organisation(organisation.pk, f"The Alliance Manager asks for alternative candidates for {role} by "
                             f"{due_date:%-d %b %Y}", link)
    return request


def _appoint(nomination: Nomination, actor: Person | None, reason: str) -> Appointment:
    """Appoint a nominee to their post or service from today; close the post's other undecided nominations; a
    successor to someone leaving opens the one-month handover (para 60)."""
    today = local_today()
    appointment = Appointment(
        alliance_id=nomination.alliance_id, role=nomination.role, post_organisation=nomination.post_organisation,
        hub_service=nomination.hub_service, organisation=nomination.organisation,
        person_name=nomination.person_name, nomination=nomination, started_on=today, appointed_by=actor,
    )
    if nomination.role_id is not None:
        appointment.predecessor = selectors.departing_holder(nomination.role_id, nomination.post_organisation_id)
        for other in selectors.undecided_for_post(nomination.role_id, nomination.post_organisation_id, nomination.pk):
            _move(other, "another_appointed")
            other.comments = f"{nomination.person_name} was appointed."
            save_with_reason(other, actor, "Another nominee was appointed")
    save_with_reason(appointment, actor, reason)
    predecessor = appointment.predecessor
    if predecessor is not None:
        alliance_services.obligation_open(
            actor=actor, alliance=nomination.alliance, kind=ObligationKind.KEY_PERSON_HANDOVER,
            title=f"One-month handover from {predecessor.person_name} to {appointment.person_name} — "
                  f"{nomination.post_title}",
            paragraph="para 60", start_date=today, months=HANDOVER_MONTHS,
            responsible_organisation=predecessor.organisation, subject=appointment,
        )
    _notify_organisation(nomination.organisation_id, f"{nomination.person_name} was appointed: {nomination.post_title}",
                         _link(nomination))
    return appointment


@transaction.atomic
def nomination_approve(*, actor: Person, nomination: Nomination) -> Appointment:
    """The Alliance Manager approves a partner's nominee for its partner-specific post (paras 50, 57)."""
    nomination = _manager_step(actor, nomination)
    role = nomination.role
    if nomination.route != NominationRoute.KEY_PERSON or role is None or not role.is_partner_specific:
        raise ValidationError(ERR_NOMINATION_NEEDS_BOARD)
    selectors.lock_post(role.pk)
    _check_post_open(role, nomination.post_organisation_id)
    _move(nomination, "approve")
    save_with_reason(nomination, actor, "Approved by the Alliance Manager (para 57)")
    return _appoint(nomination, actor, "Appointed on the Alliance Manager's approval (para 57)")


def _table(actor: Person, nomination: Nomination, closes_on: dt.date | None, description: str) -> Decision:
    return put_to_board(
        actor=actor, subject=nomination, code=DECISION_CODE,
        title=f"Appoint {nomination.person_name} ({nomination.organisation}) as {nomination.post_title}",
        description=description, closes_on=closes_on,
    )


def _check_none_proposed(nomination: Nomination) -> None:
    proposed = selectors.proposed_for_post(nomination.role_id, nomination.post_organisation_id)
    if proposed is not None and proposed.pk != nomination.pk:
        raise ValidationError(ERR_NOMINATION_ALREADY_PROPOSED.format(name=proposed.person_name))


@transaction.atomic
def nomination_propose(*, actor: Person, nomination: Nomination, closes_on: dt.date | None = None) -> Decision:
    """The Alliance Manager proposes the chosen nominee to the Board (para 59): a written resolution of the
    Decision Matrix type ``key-person-appointment``; its approval appoints."""
    nomination = _manager_step(actor, nomination)
    role = nomination.role
    if nomination.route != NominationRoute.KEY_PERSON or role is None:
        raise ValidationError(ERR_NOMINATION_STEP.format(status="a Production Hub CV", action="proposed alone"))
    if role.is_partner_specific:
        raise ValidationError(ERR_NOMINATION_NEEDS_AM)
    selectors.lock_post(role.pk)
    _check_post_open(role, nomination.post_organisation_id)
    _check_none_proposed(nomination)
    _move(nomination, "propose")
    interviews = nomination.interviews.count()
    nomination.decision = _table(actor, nomination, closes_on, (
        f"The Alliance Manager proposes {nomination.person_name} of {nomination.organisation} for the "
        f"{role.get_selection_display().lower()} role of {role} (para 59). "
        f"Interviews held: {interviews}."))
    save_with_reason(nomination, actor, "Proposed to the Board (para 59)")
    _notify_organisation(nomination.organisation_id, f"{nomination.person_name} was proposed to the Board for "
                         f"{nomination.post_title}", _link(nomination))
    return nomination.decision


@transaction.atomic
def role_refer_to_board(
    *, actor: Person, role: KeyPersonRole, person_name: str, organisation: Organisation, statement: str = "",
    closes_on: dt.date | None = None,
) -> Decision:
    """A pan-alliance role left unfilled goes to the Board, which fills it during mobilisation (para 54): the
    Alliance Manager names the person the Board is asked to appoint (no CV: the Board knows them)."""
    require(can_run_selection(actor, role.alliance_id), ERR_NOMINATION_NOT_AM)
    _check_role(actor, role)
    if role.selection != Selection.PAN_ALLIANCE or selectors.post_holder(role.pk, None) is not None:
        raise ValidationError({"role": [ERR_REFERRAL_NOT_PAN]})
    if organisation.alliance_id != role.alliance_id:
        raise ValidationError({"organisation": [ERR_NOMINATION_OTHER_ALLIANCE]})
    person_name = _check_person(person_name, True)
    selectors.lock_post(role.pk)
    nomination = Nomination(
        alliance_id=role.alliance_id, route=NominationRoute.KEY_PERSON, role=role, organisation=organisation,
        person_name=person_name, statement=statement.strip(), board_referral=True,
        status=NominationStatus.SUBMITTED, submitted_by=actor,
    )
    _check_none_proposed(nomination)
    save_with_reason(nomination, actor, "Put to the Board for an unfilled pan-alliance role (para 54)")
    _move(nomination, "propose")
    nomination.decision = _table(actor, nomination, closes_on, (
        f"Nobody holds the pan-alliance role of {role}; the Board fills it as part of mobilisation (para 54). "
        f"The Alliance Manager asks the Board to appoint {person_name} of {organisation}."))
    save_with_reason(nomination, actor, "Proposed to the Board (para 54)")
    return nomination.decision


def _on_board_outcome(nomination: Nomination, decision: Decision) -> None:
    """The Board's decision on a key person appointment closed (para 59)."""
    if decision.outcome == Outcome.APPROVED:
        _move(nomination, "board_approves")
        save_with_reason(nomination, decision.closed_by, "Approved by the Board (para 59)")
        _appoint(nomination, decision.closed_by, "Appointed by the Board (para 59)")
        return
    _move(nomination, "board_does_not_approve")
    nomination.comments = f"Not approved by the Board ({decision.get_outcome_display().lower()})."
    save_with_reason(nomination, decision.closed_by, nomination.comments)
    _notify_organisation(nomination.organisation_id, f"The Board did not approve {nomination.person_name} for "
                         f"{nomination.post_title}", _link(nomination))
    _notify_manager(nomination.alliance_id, f"The Board did not approve {nomination.person_name} for "
                    f"{nomination.post_title}", _link(nomination))


@transaction.atomic
def appointment_leave(*, actor: Person, appointment: Appointment, leaving_on: dt.date, reason: str = "") -> Appointment:
    """A key person or Production Hub resource leaves (paras 60, 71): the post opens for selection again."""
    require(can_run_selection(actor, appointment.alliance_id), ERR_NOMINATION_NOT_AM)
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related("role", "hub_service").get(pk=appointment.pk)
    if appointment.leaving_on is not None:
        raise ValidationError(ERR_APPOINTMENT_LEAVING)
    if leaving_on < appointment.started_on:
        raise ValidationError({"leaving_on": [ERR_APPOINTMENT_LEAVING_ORDER]})
    appointment.leaving_on, appointment.leaving_reason = leaving_on, reason.strip()
    save_with_reason(appointment, actor, f"Leaving on {leaving_on:%-d %b %Y}")
    role = appointment.role
    if role is not None:
        link = reverse("people-role", args=[role.pk])
        title = f"{role} is open for nominations: {appointment.person_name} leaves on {leaving_on:%-d %b %Y}"
        for organisation in selectors.partners_who_may_nominate(role, appointment.post_organisation_id):
            _notify_organisation(organisation.pk, title, link)
    return appointment


@transaction.atomic
def handover_complete(*, actor: Person, appointment: Appointment) -> Appointment:
    """The Alliance Manager records that the one-month handover to a successor took place (para 60)."""
    require(can_run_selection(actor, appointment.alliance_id), ERR_NOMINATION_NOT_AM)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.predecessor_id is None or appointment.handover_completed_on is not None:
        raise ValidationError(ERR_HANDOVER_NONE)
    appointment.handover_completed_on = local_today()
    save_with_reason(appointment, actor, "Handover completed (para 60)")
    alliance_services.obligations_meet_for(actor=actor, subject=appointment, kind=ObligationKind.KEY_PERSON_HANDOVER,
                                           reason="Handover completed")
    return appointment


BOARD_OUTCOMES = BoardOutcomes(
    Nomination, waiting=NominationStatus.PROPOSED, handlers={DECISION_CODE: _on_board_outcome},
    select_related=("role", "organisation"),
)
