"""Writes of the Board: the Decision Matrix, meetings, decisions, votes, delegations, papers, minutes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import local_today
from alliance.documents import document_content_type, stored_name
from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation, Role
from alliance.permissions import alliance_id_of, has_role, roles_of
from alliance.workflow import move, require, require_nameable, save_with_reason
from governance import outcomes, permissions, rules
from governance.models.board import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Authority,
    Capacity,
    Choice,
    Decision,
    DecisionStatus,
    DecisionType,
    Delegation,
    Meeting,
    MeetingStatus,
    Outcome,
    Paper,
    Vote,
)
from governance.selectors import board as board_selectors

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import Model

    from alliance.models import Alliance, Person

# Error texts (tests assert on them); the voting ones live with the voting predicate in permissions.py.
ERR_NOT_CHAIR = "Only the chair (the SRO) can do that (para 33)."
ERR_OTHER_ALLIANCE = "That belongs to another alliance."
ERR_DECISION_CLOSED = "Voting on this decision has closed."
ERR_ALREADY_CLOSED = "This decision is already closed."
ERR_NO_VOTE_NEEDED = "This decision needs no approval: it is recorded without a vote."
ERR_BAD_CHOICE = "Choose for, against or abstain."
ERR_MEETING_NOT_IN_PROGRESS = "Votes on a meeting's decisions are cast while the meeting is in progress."
ERR_CLOSES_IN_PAST = "The closing date and time must be in the future."
ERR_NEEDS_CLOSING_TIME = "A written resolution needs a closing date and time."
ERR_TYPE_INACTIVE = "That decision type is no longer in the Decision Matrix."
ERR_NO_CHAIR = (
    "The meeting cannot go ahead without the SRO or the SRO's delegate: rearrange it (para 36)."
)
ERR_MEETING_STATE = "This meeting is {status}: it cannot be {action}."
ERR_MINUTES_LOCKED = "The minutes are approved and locked."
ERR_MINUTES_BEFORE_HELD = "Minutes are approved once the meeting has been held."
ERR_NOT_REPRESENTATIVE = "Only the organisation's board representative can name a delegate."
ERR_DELEGATE_ROLE = "The delegate must be a delegate of your own organisation."
ERR_PAPER_TYPE = "A paper must be a PDF, Word, Excel or PowerPoint file."
ERR_PAPER_SIZE = "A paper must be smaller than 20 MB."
ERR_NEW_DATE_IN_PAST = "The new date and time must be in the future."


# A decision's workflow: open → closed (with its outcome frozen). A closed decision is immutable.
DECISION_TRANSITIONS: dict[str, set[str]] = {DecisionStatus.OPEN: {DecisionStatus.CLOSED}, DecisionStatus.CLOSED: set()}
# A meeting's workflow (para 36: without its chair it is rearranged, not opened).
MEETING_TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.SCHEDULED: {MeetingStatus.IN_PROGRESS, MeetingStatus.REARRANGED},
    MeetingStatus.IN_PROGRESS: {MeetingStatus.HELD, MeetingStatus.REARRANGED},
    MeetingStatus.HELD: set(),
    MeetingStatus.REARRANGED: set(),
}


def _same_alliance(actor: Person, alliance_id: int) -> None:
    require(alliance_id_of(actor) == alliance_id, ERR_OTHER_ALLIANCE)


def _meeting_for_runner(actor: Person, meeting: Meeting) -> Meeting:
    """Check the actor runs this alliance's Board, then re-read the meeting under a row lock: two people
    opening, ending or rearranging the same meeting at once must not both succeed."""
    require(permissions.can_run_board(actor), permissions.ERR_NOT_BOARD_RUNNER)
    _same_alliance(actor, meeting.alliance_id)
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


# --- The Decision Matrix --------------------------------------------------------------------------------


@transaction.atomic
def decision_type_save(
    *, actor: Person, alliance: Alliance, code: str, name: str, authority: str, paragraph: str = "",
    notes: str = "", is_active: bool = True, decision_type: DecisionType | None = None,
) -> DecisionType:
    """Add or change a row of the Decision Matrix; history keeps every version. Decisions already tabled
    keep the rule they were opened under (it is copied onto them)."""
    require(permissions.can_edit_matrix(actor), permissions.ERR_MATRIX_EDITOR)
    _same_alliance(actor, alliance.pk)
    if authority not in Authority.values:
        raise ValidationError({"authority": [f"Unknown authority {authority!r}."]})
    if decision_type is None:
        if DecisionType.objects.filter(alliance=alliance, code=code).exists():
            raise ValidationError({"code": ["A decision type with this code already exists."]})
        decision_type = DecisionType(alliance=alliance, code=code)
    elif decision_type.alliance_id != alliance.pk:
        raise PermissionDenied(ERR_OTHER_ALLIANCE)
    decision_type.name, decision_type.authority = name, authority
    decision_type.paragraph, decision_type.notes, decision_type.is_active = paragraph, notes, is_active
    decision_type._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    decision_type.save()
    return decision_type


# --- Decisions and votes --------------------------------------------------------------------------------


def _vote_due_date(decision: Decision) -> dt.date:
    moment = decision.closes_at or cast("Meeting", decision.meeting).starts_at  # a decision closes by time or at its meeting
    return timezone.localtime(moment).date()


@transaction.atomic
def decision_table(
    *,
    actor: Person,
    alliance: Alliance,
    title: str,
    decision_type: DecisionType,
    description: str = "",
    closes_at: dt.datetime | None = None,
    meeting: Meeting | None = None,
    subject: Model | None = None,
    by_workflow: bool = False,
) -> Decision:
    """Table a decision, in a meeting or as a written resolution closing at ``closes_at``.

    Other apps table decisions about their own records with ``subject=`` and ``by_workflow=True`` (their
    service has checked its actor); governance calls their outcome handler when the decision closes.
    """
    if not by_workflow:
        require(permissions.can_run_board(actor), permissions.ERR_NOT_BOARD_RUNNER)
    _same_alliance(actor, alliance.pk)
    if decision_type.alliance_id != alliance.pk:
        raise ValidationError({"decision_type": [ERR_OTHER_ALLIANCE]})
    if not decision_type.is_active:
        raise ValidationError({"decision_type": [ERR_TYPE_INACTIVE]})
    if meeting is not None:
        if meeting.alliance_id != alliance.pk:
            raise ValidationError({"meeting": [ERR_OTHER_ALLIANCE]})
        if meeting.status in (MeetingStatus.HELD, MeetingStatus.REARRANGED):
            raise ValidationError({"meeting": [ERR_MEETING_STATE.format(status=meeting.get_status_display().lower(),
                                                                        action="given new decisions")]})
    elif closes_at is None:
        raise ValidationError({"closes_at": [ERR_NEEDS_CLOSING_TIME]})
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"closes_at": [ERR_CLOSES_IN_PAST]})
    latest_version = decision_type.history.order_by("-history_id").values_list("history_id", flat=True).first()
    decision = Decision(
        alliance=alliance, title=title, description=description, decision_type=decision_type,
        authority=decision_type.authority, rule_paragraph=decision_type.paragraph, matrix_version=latest_version,
        meeting=meeting, closes_at=closes_at, tabled_by=actor,
    )
    if subject is not None:
        decision.subject_type = ContentType.objects.get_for_model(subject)
        decision.subject_id = subject.pk
    decision._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    decision.save()
    if decision.authority == Authority.NONE:
        # "No approval required": recorded, not voted on (Table 8).
        return _close(decision, actor=actor, outcome=Outcome.APPROVED)
    _open_vote_obligations(decision, actor)
    return decision


@transaction.atomic
def decision_table_with_paper(*, actor: Person, paper: UploadedFile | None = None, **fields) -> Decision:
    """Table a decision and attach its paper, both or neither."""
    decision = decision_table(actor=actor, **fields)
    if paper is not None:
        paper_attach(actor=actor, decision=decision, title=paper.name or "", upload=paper)
    return decision


def _open_vote_obligations(decision: Decision, actor: Person | None,
                           organisations: list[Organisation] | None = None) -> None:
    """Each voting organisation's representative (or only those of ``organisations``: a member whose seat
    began after the decision was tabled, para 98) gets "Vote on … by …", met when the organisation votes."""
    representatives = board_selectors.board_representatives(decision.alliance_id)
    due = _vote_due_date(decision)
    start = min(local_today(), due)
    link = reverse("board-decision", args=[decision.pk])
    people = []
    for organisation in board_selectors.voters_of(decision) if organisations is None else organisations:
        representative = representatives.get(organisation.pk)
        alliance_services.obligation_open(
            actor=actor, alliance=decision.alliance, kind=ObligationKind.BOARD_VOTE,
            title=f"Vote on “{decision.title}” by {due:%-d %b %Y}", paragraph="para 37",
            start_date=start, due_date=due, subject=decision,
            responsible_organisation=organisation, responsible_person=representative,
        )
        if representative is not None:
            people.append(representative)
    alliance_services.notification_send(
        recipients=people, title=f"A decision needs your organisation's vote: {decision.title}", link=link,
        body=f"{decision.get_authority_display()}. Voting closes {_vote_due_date(decision):%-d %b %Y}.",
    )


@transaction.atomic
def vote_cast(*, actor: Person, decision: Decision, choice: str, organisation: Organisation | None = None) -> Decision:
    """Cast or change the organisation's vote while the decision is open.

    The decision row is locked first: a vote racing the close either lands before the outcome is frozen
    or sees the decision closed, never after.
    """
    _same_alliance(actor, decision.alliance_id)
    decision = Decision.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=decision.pk)
    if decision.status != DecisionStatus.OPEN or (decision.closes_at and decision.closes_at <= timezone.now()):
        raise ValidationError(ERR_DECISION_CLOSED)
    if decision.authority == Authority.NONE:
        raise ValidationError(ERR_NO_VOTE_NEEDED)
    if choice not in Choice.values:
        raise ValidationError({"choice": [ERR_BAD_CHOICE]})
    # Re-read: its membership dates decide whether it still has a seat (paras 12, 95-98).
    organisation = Organisation.objects.get(pk=cast("Organisation", organisation or actor.organisation).pk)
    capacity = board_selectors.voting_capacity(actor, decision, organisation)
    if decision.meeting is not None and decision.meeting.status != MeetingStatus.IN_PROGRESS and not decision.closes_at:
        raise ValidationError(ERR_MEETING_NOT_IN_PROGRESS)
    vote = Vote.objects.filter(decision=decision, organisation=organisation).first()
    if vote is None:
        vote = Vote(decision=decision, organisation=organisation)
    vote.choice, vote.cast_by, vote.capacity, vote.cast_at = choice, actor, capacity, timezone.now()
    vote._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    vote.save()
    for obligation in _vote_obligations(decision).filter(responsible_organisation=organisation):
        alliance_services.obligation_meet(actor=actor, obligation=obligation, by_workflow=True,
                                          reason=f"{organisation} voted")
    return decision


def _vote_obligations(decision: Decision):
    return Obligation.objects.filter(
        subject_type=ContentType.objects.get_for_model(Decision), subject_id=decision.pk,
        kind=ObligationKind.BOARD_VOTE, status=ObligationStatus.OPEN,
    )


@transaction.atomic
def decision_close(*, actor: Person | None, decision: Decision, automatic: bool = False) -> Decision:
    """Close a decision and freeze its outcome: by the chair or the Alliance Manager, or automatically at
    its closing time (``automatic=True``, the Celery sweep). Closing twice automatically changes nothing."""
    if not automatic:
        require(actor is not None and permissions.can_run_board(actor), permissions.ERR_NOT_BOARD_RUNNER)
        _same_alliance(cast("Person", actor), decision.alliance_id)
    decision = Decision.objects.select_for_update(of=("self",)).select_related("meeting", "decision_type").get(pk=decision.pk)
    if decision.status == DecisionStatus.CLOSED:
        if automatic:
            return decision
        raise ValidationError(ERR_ALREADY_CLOSED)
    if decision.meeting is not None and decision.meeting.status == MeetingStatus.REARRANGED:
        return _close(decision, actor=actor, outcome=Outcome.NOT_TAKEN)
    votes = dict(decision.votes.values_list("organisation_id", "choice"))
    voters = {o.pk for o in board_selectors.voters_of(decision)}
    outcome = Outcome(rules.outcome_of(
        authority=decision.authority, votes=votes, voters=voters, client_id=board_selectors.client_of(decision.alliance_id).pk
    ))
    return _close(decision, actor=actor, outcome=outcome, votes=votes, voters=voters)


def _close(decision: Decision, *, actor: Person | None, outcome: str, votes=None, voters=None) -> Decision:
    count = rules.tally(votes or {}, voters or set())
    decision.status, decision.outcome = DecisionStatus.CLOSED, outcome
    decision.closed_at, decision.closed_by = timezone.now(), actor
    decision.votes_for, decision.votes_against = count.votes_for, count.against
    decision.votes_abstain, decision.votes_missing = count.abstain, count.missing
    save_with_reason(decision, actor, "Closed at its closing time" if actor is None else "Closed")
    for obligation in _vote_obligations(decision):
        alliance_services.obligation_cancel(actor=actor, obligation=obligation, by_workflow=True,
                                            reason="The decision closed before this organisation voted")
    handler = outcomes.handler_for(decision.decision_type.code)
    if handler is not None:
        handler(decision)  # inside the closing transaction: the subject changes with the outcome or not at all
    return decision


# --- Seats on the Board (paras 12, 35, 95-98) ----------------------------------------------------------------

# History keeps a change reason of at most 100 characters: the organisation is the obligation's own.
SEAT_ENDED_REASON = "No vote: its seat on the Board ended on {day} (termination, paras 95-96)"
SEAT_NOT_YET_REASON = "No vote: its seat on the Board begins on {day} (para 98)"


@transaction.atomic
def board_seats_sync(*, actor: Person | None, alliance_id: int) -> dict[str, int]:
    """Bring the open decisions' "Vote on …" obligations in line with who votes on them (voters_of): an
    organisation without a seat (terminated, paras 95-96) has its open ones cancelled with the reason; one with
    a seat, no vote and no open obligation (a new partner from its start date, para 98; a termination
    withdrawn) gets one, as a member does when a decision is tabled.

    Who votes is read from membership dates at read time, so tallies and refusals are right on the day
    whatever runs; this aligns the Board duties. Called by the membership services that change the dates, and
    daily for dates that arrive later (governance.sync_board_seats). Idempotent: a second run changes nothing.
    """
    counts = {"cancelled": 0, "opened": 0}
    # Lock the open decisions: a decision closing meanwhile cancels its remaining obligations itself, and
    # two runs at once (the sweep and a membership change) must not both open the same organisation's one.
    decisions = (Decision.objects.select_for_update(of=("self",)).select_related("meeting")
                 .filter(alliance_id=alliance_id, status=DecisionStatus.OPEN).exclude(authority=Authority.NONE)
                 .order_by("pk"))
    for decision in decisions:
        day = board_selectors.voting_day(decision)
        voters = board_selectors.voters_of(decision)
        seated = {o.pk for o in voters}
        open_obligations = list(_vote_obligations(decision).select_related("responsible_organisation"))
        for obligation in open_obligations:
            organisation = obligation.responsible_organisation
            if organisation is None or organisation.pk in seated:
                continue
            template = (SEAT_ENDED_REASON if organisation.member_until is not None and organisation.member_until <= day
                        else SEAT_NOT_YET_REASON)
            when = organisation.member_until if template is SEAT_ENDED_REASON else organisation.member_since
            alliance_services.obligation_cancel(
                actor=actor, obligation=obligation, by_workflow=True,
                reason=template.format(day=f"{when:%-d %B %Y}"))
            counts["cancelled"] += 1
        reminded = {o.responsible_organisation_id for o in open_obligations}
        voted = set(decision.votes.values_list("organisation_id", flat=True))
        missing = [o for o in voters if o.pk not in reminded and o.pk not in voted]
        if missing:
            _open_vote_obligations(decision, actor, missing)
            counts["opened"] += len(missing)
    return counts


def board_seats_sync_all() -> int:
    """The daily sweep: every alliance's Board duties in line with the day's members. Idempotent."""
    from alliance.models import Alliance

    return sum(sum(board_seats_sync(actor=None, alliance_id=pk).values())
               for pk in Alliance.objects.order_by("pk").values_list("pk", flat=True))


def decisions_close_due(*, now: dt.datetime | None = None) -> int:
    """The Celery sweep: close every decision whose closing time has passed. Idempotent."""
    closed = 0
    for pk in board_selectors.decisions_due_to_close(now):
        decision = Decision.objects.get(pk=pk)
        if decision_close(actor=None, decision=decision, automatic=True).closed_at is not None:
            closed += 1
    return closed


# --- Delegation ------------------------------------------------------------------------------------------


@transaction.atomic
def delegation_grant(
    *, actor: Person, delegate: Person, meeting: Meeting | None = None, decision: Decision | None = None
) -> Delegation:
    """A representative names their delegate to vote for the organisation at a meeting or on a decision."""
    require(has_role(actor, Role.BOARD_REPRESENTATIVE), ERR_NOT_REPRESENTATIVE)
    # A terminated partner has no vote to hand on (paras 95-96).
    refusal = board_selectors.seat_refusal(Organisation.objects.get(pk=cast(int, actor.organisation_id)), local_today())
    if refusal is not None:
        raise PermissionDenied(refusal)
    require_nameable(actor, delegate, field="delegate")  # the one naming rule: own organisation, active
    # Narrower still: a delegate votes for the representative's own organisation, even the SRO's (who names
    # anyone elsewhere).
    if delegate.organisation_id != actor.organisation_id or not has_role(delegate, Role.DELEGATE):
        raise ValidationError({"delegate": [ERR_DELEGATE_ROLE]})
    scope = cast("Meeting | Decision", meeting or decision)  # one of them, by the caller
    _same_alliance(actor, scope.alliance_id)
    return Delegation.objects.create(
        organisation_id=cast(int, actor.organisation_id), representative=actor, delegate=delegate, meeting=meeting, decision=decision
    )


def delegation_revoke(*, actor: Person, delegation: Delegation) -> None:
    require(delegation.representative_id == actor.pk, ERR_NOT_REPRESENTATIVE)
    Delegation.objects.filter(pk=delegation.pk, revoked_at=None).update(revoked_at=timezone.now())


# --- Meetings --------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *, actor: Person, alliance: Alliance, title: str, starts_at: dt.datetime, location: str,
    agenda: list[tuple[str, str]] | None = None,
) -> Meeting:
    """The chair sets the agenda (para 33); the Alliance Manager prepares it for them."""
    require(permissions.can_run_board(actor), permissions.ERR_NOT_BOARD_RUNNER)
    _same_alliance(actor, alliance.pk)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": [ERR_NEW_DATE_IN_PAST]})
    meeting = Meeting(alliance=alliance, title=title, starts_at=starts_at, location=location, created_by=actor)
    meeting._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    meeting.save()
    for position, (item_title, description) in enumerate(agenda or [], start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=item_title, description=description)
    return meeting


@transaction.atomic
def agenda_item_add(*, actor: Person, meeting: Meeting, title: str, description: str = "") -> AgendaItem:
    meeting = _meeting_for_runner(actor, meeting)  # two items added at once get distinct positions
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS):
        raise ValidationError(ERR_MEETING_STATE.format(status=meeting.get_status_display().lower(), action="changed"))
    position = (meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    return AgendaItem.objects.create(meeting=meeting, position=position, title=title, description=description)


def _attendance_capacity(person: Person, meeting: Meeting) -> str:
    # A terminated partner's people no longer sit for it (paras 95-96), nor a new partner's before its start.
    organisation = Organisation.objects.get(pk=cast(int, person.organisation_id))  # its membership dates as they are now
    if not board_selectors.has_seat(organisation, timezone.localtime(meeting.starts_at).date()):
        return Capacity.NON_VOTING
    roles = roles_of(person)
    if Role.BOARD_REPRESENTATIVE in roles or Role.SRO in roles:
        return Capacity.REPRESENTATIVE
    if Role.DELEGATE in roles:
        return Capacity.DELEGATE
    return Capacity.NON_VOTING


@transaction.atomic
def attendance_record(*, actor: Person, meeting: Meeting, person: Person, status: str) -> Attendance:
    """Record who is present or sent apologies; the capacity follows the person's role (Table 2)."""
    require(permissions.can_run_board(actor), permissions.ERR_NOT_BOARD_RUNNER)
    _same_alliance(actor, meeting.alliance_id)
    if alliance_id_of(person) != meeting.alliance_id:
        raise ValidationError({"person": [ERR_OTHER_ALLIANCE]})
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": ["Choose present or apologies."]})
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS):
        raise ValidationError(ERR_MEETING_STATE.format(status=meeting.get_status_display().lower(), action="changed"))
    attendance = Attendance.objects.filter(meeting=meeting, person=person).first() or Attendance(meeting=meeting, person=person)
    attendance.organisation_id = cast(int, person.organisation_id)  # of the meeting's alliance (checked above)
    attendance.status, attendance.capacity = status, _attendance_capacity(person, meeting)
    attendance._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    attendance.save()
    return attendance


@transaction.atomic
def meeting_open(*, actor: Person, meeting: Meeting) -> Meeting:
    """Open the meeting; refused without the SRO or the SRO's delegate present (para 36)."""
    meeting = _meeting_for_runner(actor, meeting)
    if meeting.status == MeetingStatus.SCHEDULED and not board_selectors.chair_present(meeting):
        raise ValidationError(ERR_NO_CHAIR)
    move(meeting, MEETING_TRANSITIONS, MeetingStatus.IN_PROGRESS, ERR_MEETING_STATE, "opened", status=meeting.get_status_display().lower())
    meeting.opened_at = timezone.now()
    meeting._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    meeting.save()
    return meeting


@transaction.atomic
def meeting_rearrange(*, actor: Person, meeting: Meeting, starts_at: dt.datetime, location: str = "") -> Meeting:
    """Rearrange a meeting (para 36): a new meeting with the same agenda; decisions tabled at the old one
    close as not taken."""
    meeting = _meeting_for_runner(actor, meeting)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": [ERR_NEW_DATE_IN_PAST]})
    move(meeting, MEETING_TRANSITIONS, MeetingStatus.REARRANGED, ERR_MEETING_STATE, "rearranged", status=meeting.get_status_display().lower())
    new = Meeting.objects.create(alliance_id=meeting.alliance_id, title=meeting.title, starts_at=starts_at,
                                 location=location or meeting.location, created_by=actor)
    for item in meeting.agenda_items.all():
        AgendaItem.objects.create(meeting=new, position=item.position, title=item.title, description=item.description)
    meeting.rearranged_to = new
    meeting._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    meeting.save()
    for decision in meeting.decisions.filter(status=DecisionStatus.OPEN):
        decision_close(actor=actor, decision=decision)
    return new


@transaction.atomic
def meeting_end(*, actor: Person, meeting: Meeting) -> Meeting:
    """End the meeting; the chair confirms its decisions (para 33): each open one closes now."""
    meeting = _meeting_for_runner(actor, meeting)
    move(meeting, MEETING_TRANSITIONS, MeetingStatus.HELD, ERR_MEETING_STATE, "ended", status=meeting.get_status_display().lower())
    meeting.ended_at = timezone.now()
    meeting._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    meeting.save()
    for decision in meeting.decisions.filter(status=DecisionStatus.OPEN, closes_at__isnull=True):
        decision_close(actor=actor, decision=decision)
    return meeting


@transaction.atomic
def minutes_update(*, actor: Person, meeting: Meeting, notes: str) -> Meeting:
    meeting = _meeting_for_runner(actor, meeting)
    if meeting.minutes_locked:
        raise ValidationError(ERR_MINUTES_LOCKED)
    meeting.minutes_notes = notes
    meeting._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    meeting.save(update_fields=["minutes_notes"])
    return meeting


@transaction.atomic
def minutes_approve(*, actor: Person, meeting: Meeting) -> Meeting:
    """The chair approves the minutes (para 33); they are then locked."""
    require(permissions.is_chair(actor), ERR_NOT_CHAIR)
    _same_alliance(actor, meeting.alliance_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_locked:
        raise ValidationError(ERR_MINUTES_LOCKED)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(ERR_MINUTES_BEFORE_HELD)
    meeting.minutes_approved_at, meeting.minutes_approved_by = timezone.now(), actor
    meeting._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    meeting.save(update_fields=["minutes_approved_at", "minutes_approved_by"])
    return meeting


# --- Papers ----------------------------------------------------------------------------------------------


@transaction.atomic
def paper_attach(
    *, actor: Person, title: str, upload: UploadedFile, meeting: Meeting | None = None, decision: Decision | None = None
) -> Paper:
    require(permissions.can_run_board(actor), permissions.ERR_NOT_BOARD_RUNNER)
    scope = cast("Meeting | Decision", meeting or decision)  # one of them, by the caller
    _same_alliance(actor, scope.alliance_id)
    content_type = document_content_type(upload, type_error=ERR_PAPER_TYPE, size_error=ERR_PAPER_SIZE)
    title = title or upload.name or ""
    upload.name = stored_name(content_type)  # on disk by a random name, never the client's
    return Paper.objects.create(meeting=meeting, decision=decision, title=title, file=upload,
                                content_type=content_type, size=upload.size or 0, uploaded_by=actor)
