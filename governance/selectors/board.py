"""Reads of the Board: voters, decisions with their votes, meetings, the Decision Matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alliance.dates import local_today
from alliance.models import Alliance, Organisation, OrganisationKind, Person, Role, RoleAssignment
from alliance.permissions import alliance_id_of, roles_of
from alliance.selectors import organisations_in_order
from governance import permissions, rules
from governance.models.board import (
    Attendance,
    AttendanceStatus,
    Authority,
    Capacity,
    Decision,
    DecisionStatus,
    DecisionType,
    Delegation,
    Meeting,
    MeetingStatus,
    Vote,
)
from governance.rules import Tally, tally

if TYPE_CHECKING:
    from collections.abc import Iterable


def has_seat(organisation: Organisation, on: dt.date | None = None) -> bool:
    """Does the organisation sit on the Alliance Board on the day (today by default)? Read from its membership
    dates (paras 12, 95-98; governance.rules.holds_seat), so a termination or a new partner's start date takes
    effect on its day without anything having to run."""
    return rules.holds_seat(since=organisation.member_since, until=organisation.member_until,
                            on=on or local_today())


def voting_organisations(alliance_id: int, on: dt.date | None = None) -> list[Organisation]:
    """Who votes on the day (today by default): the Alliance's members then, the client (through the SRO) and
    every partner, one vote each, a joint venture included (Table 2; paras 12, 35). A terminated partner votes
    until the day before its termination's effective date (paras 95-96), a newly procured partner from its
    start date (para 98).

    The one answer to "who votes": tallies and closing (voters_of), voting capacity, vote obligations, the
    home page's "Decisions to vote on", meetings' absent members (para 35), the Board page and the API."""
    on = on or local_today()
    return [o for o in organisations_in_order(alliance_id) if has_seat(o, on)]


def voting_day(decision: Decision) -> dt.date:
    """The day whose members vote on a decision: for an open one today, or its closing day once its closing
    time has passed (the sweep closing it moments later counts the members of the day it closed); for a closed
    one the day it closed, so its ballot and minutes keep the members who voted then."""
    today = local_today()
    if decision.status == DecisionStatus.CLOSED and decision.closed_at is not None:
        return timezone.localtime(decision.closed_at).date()
    if decision.closes_at is None:
        return today
    return min(today, timezone.localtime(decision.closes_at).date())


@dataclass(frozen=True)
class Seat:
    """An organisation's seat on the Alliance Board: since when, and until when when it has ended or will."""

    organisation: Organisation
    since: dt.date
    until: dt.date | None


# The Board page lists seats ended within this many days besides today's (a terminated partner's history stays).
RECENTLY_ENDED_SEAT_DAYS = 365


def board_seats(alliance_id: int, on: dt.date | None = None) -> list[Seat]:
    """Today's seats (voting_organisations), each with the day it began: a founding member's is the Alliance
    Start Date. ``until`` is set when a termination will take effect."""
    on = on or local_today()
    start = Alliance.objects.values_list("start_date", flat=True).get(pk=alliance_id)
    return [Seat(o, o.member_since or start, o.member_until) for o in voting_organisations(alliance_id, on)]


def ended_seats(alliance_id: int, on: dt.date | None = None) -> list[Seat]:
    """Seats ended within RECENTLY_ENDED_SEAT_DAYS of the day, the latest first."""
    on = on or local_today()
    start = Alliance.objects.values_list("start_date", flat=True).get(pk=alliance_id)
    ended = organisations_in_order(alliance_id).filter(
        member_until__lte=on, member_until__gt=on - dt.timedelta(days=RECENTLY_ENDED_SEAT_DAYS))
    # An ended seat has its ``until`` (the filter above): latest first.
    return sorted((Seat(o, o.member_since or start, o.member_until) for o in ended),
                  key=lambda seat: seat.until or on, reverse=True)


def client_of(alliance_id: int) -> Organisation:
    return Organisation.objects.get(alliance_id=alliance_id, kind=OrganisationKind.CLIENT)


def voters_of(decision: Decision, organisations: list[Organisation] | None = None) -> list[Organisation]:
    """Who votes on this decision: the client alone for a client decision, else every voting organisation (of
    ``organisations`` when the caller has read them once for many decisions)."""
    if organisations is None:
        organisations = voting_organisations(decision.alliance_id, voting_day(decision))
    if decision.authority == Authority.CLIENT:
        return [o for o in organisations if o.kind == OrganisationKind.CLIENT]
    if decision.authority == Authority.NONE:
        return []
    return organisations


def board_representatives(alliance_id: int) -> dict[int, Person]:
    return {
        a.organisation_id: a.person
        for a in RoleAssignment.objects.filter(
            organisation__alliance_id=alliance_id, role=Role.BOARD_REPRESENTATIVE, person__is_active=True
        ).select_related("person")
    }


def has_delegation(person: Person, decision: Decision) -> bool:
    """Has the organisation's representative named this person to vote on this decision or its meeting?"""
    if person.organisation_id is None:
        return False
    scope = Q(decision=decision)
    if decision.meeting_id:
        scope |= Q(meeting_id=decision.meeting_id)
    return Delegation.objects.filter(scope, delegate=person, revoked_at=None,
                                     organisation_id=person.organisation_id).exists()


VOTES_IN_ORDER = ("organisation__kind", "organisation__name")


def decision_votes(decision: Decision) -> list[Vote]:
    """The decision's votes with their organisations: read from a prefetch (with_votes) when there is one."""
    prefetched = getattr(decision, "_prefetched_objects_cache", {}).get("votes")
    if prefetched is not None:
        return list(prefetched)
    return list(decision.votes.select_related("organisation", "cast_by").order_by(*VOTES_IN_ORDER))


def with_votes(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """Decisions with their votes (and each vote's organisation and caster) in one more query, for lists."""
    return decisions.prefetch_related(
        Prefetch("votes", queryset=Vote.objects.select_related("organisation", "cast_by").order_by(*VOTES_IN_ORDER))
    )


def decision_tally(decision: Decision, votes: Iterable[Vote] | None = None, voters=None) -> Tally:
    """The frozen tally of a closed decision, or the live one of an open decision."""
    if decision.status == DecisionStatus.CLOSED and decision.votes_for is not None:
        # Closing froze all four counts together (services/board.py ``_close``).
        return Tally(decision.votes_for, decision.votes_against or 0, decision.votes_abstain or 0,
                     decision.votes_missing or 0)
    votes = decision_votes(decision) if votes is None else votes
    voters = voters_of(decision) if voters is None else voters
    return tally({v.organisation_id: v.choice for v in votes}, {o.pk for o in voters})


def decision_ballot(decision: Decision, votes: list[Vote], voters=None) -> list[dict]:
    """Each voting organisation with its current vote (or none): the tally by organisation. A closed decision
    also keeps the vote of an organisation whose seat ended later the same day (its frozen tally counted it:
    the history stays, paras 33, 95)."""
    by_org = {v.organisation_id: v for v in votes}
    voters = voters_of(decision) if voters is None else voters
    if decision.status == DecisionStatus.CLOSED:
        seated = {o.pk for o in voters}
        voters = list(voters) + [v.organisation for v in votes if v.organisation_id not in seated]
    return [{"organisation": o, "vote": by_org.get(o.pk)} for o in voters]


def decisions_visible_to(user: Person) -> QuerySet[Decision]:
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not permissions.can_view_board(user):
        return Decision.objects.none()
    return Decision.objects.filter(alliance_id=alliance_id)


def decisions_awaiting_vote(user: Person) -> list[Decision]:
    """Open decisions the user may vote on for their organisation and on which it has not voted yet, closing
    soonest first (the home page's "Decisions to vote on"). A delegate sees only those they were named for."""
    if user.organisation_id is None:
        return []
    voted = Vote.objects.filter(decision=OuterRef("pk"), organisation_id=user.organisation_id)
    open_ = (
        decisions_visible_to(user)
        .filter(status=DecisionStatus.OPEN)
        .exclude(Exists(voted))
        .select_related("decision_type", "meeting")
        .order_by(F("closes_at").asc(nulls_last=True), "tabled_at")
    )
    return [d for d in open_ if vote_refusal(user, d) is None]


def decision_for(user: Person, pk: int, *, lock: bool = False) -> Decision:
    """A decision of the user's alliance that the user may see on the Board, else 404."""
    alliance_id = alliance_id_of(user)
    qs = Decision.objects.filter(alliance_id=alliance_id) if alliance_id is not None else Decision.objects.none()
    decision = qs.select_related("decision_type", "meeting", "tabled_by", "closed_by").filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision.")
    return decision


def board_decisions(
    user: Person,
    *,
    status: str | None = None,
    decision_type: str | None = None,
    outcome: str | None = None,
    search: str | None = None,
    closed_from: dt.date | None = None,
    closed_to: dt.date | None = None,
) -> QuerySet[Decision]:
    """Decisions for the Board page; open ones the user's organisation has not voted on come first."""
    if user.organisation_id is None:
        return Decision.objects.none()  # of no alliance: sees no decision (decisions_visible_to)
    qs = decisions_visible_to(user).select_related("decision_type", "meeting")
    if status:
        qs = qs.filter(status=status)
    if decision_type:
        qs = qs.filter(decision_type__code=decision_type)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(description__icontains=search))
    if closed_from:
        qs = qs.filter(closed_at__date__gte=closed_from)
    if closed_to:
        qs = qs.filter(closed_at__date__lte=closed_to)
    voted = Vote.objects.filter(decision=OuterRef("pk"), organisation_id=user.organisation_id)
    return qs.annotate(my_organisation_voted=Exists(voted)).order_by("my_organisation_voted", "closes_at", "-tabled_at")


def decisions_due_to_close(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Decision.objects.filter(status=DecisionStatus.OPEN, closes_at__lte=now).order_by("closes_at").values_list("pk", flat=True)
    )


def decision_types(alliance_id: int, *, active_only: bool = False) -> QuerySet[DecisionType]:
    qs = DecisionType.objects.filter(alliance_id=alliance_id)
    return qs.filter(is_active=True) if active_only else qs


def decision_type_for(user: Person, pk: int) -> DecisionType:
    alliance_id = alliance_id_of(user)
    found = DecisionType.objects.filter(alliance_id=alliance_id, pk=pk).first() if alliance_id is not None else None
    if found is None:
        raise Http404("No such decision type.")
    return found


# --- Meetings -------------------------------------------------------------------------------------------


def meetings_of(user: Person) -> QuerySet[Meeting]:
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not permissions.can_view_board(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(alliance_id=alliance_id)


def meetings_upcoming(user: Person) -> QuerySet[Meeting]:
    return meetings_of(user).filter(status__in=[MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS]).order_by("starts_at")


def meetings_past(user: Person) -> QuerySet[Meeting]:
    return meetings_of(user).filter(status__in=[MeetingStatus.HELD, MeetingStatus.REARRANGED]).order_by("-starts_at")


def meeting_for(user: Person, pk: int) -> Meeting:
    alliance_id = alliance_id_of(user)
    meeting = (Meeting.objects.filter(alliance_id=alliance_id, pk=pk).select_related("rearranged_to").first()
               if alliance_id is not None else None)
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def meeting_attendances(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("person", "organisation").order_by("organisation__kind", "organisation__name"))


def chair_present(meeting: Meeting) -> bool:
    """The SRO, or the SRO's delegate for the client, is recorded present (para 36)."""
    present = meeting.attendances.filter(status=AttendanceStatus.PRESENT)
    sro_present = present.filter(person__role_assignments__role=Role.SRO).exists()
    delegate_present = present.filter(
        organisation__kind=OrganisationKind.CLIENT, capacity=Capacity.DELEGATE
    ).exists()
    return sro_present or delegate_present


def unrepresented_organisations(meeting: Meeting) -> list[Organisation]:
    """Organisations with a seat on the meeting's day with neither their representative nor a delegate present
    (para 35); a terminated partner is not asked to attend (paras 95-96)."""
    represented = set(
        meeting.attendances.filter(
            status=AttendanceStatus.PRESENT, capacity__in=[Capacity.REPRESENTATIVE, Capacity.DELEGATE]
        ).values_list("organisation_id", flat=True)
    )
    day = timezone.localtime(meeting.starts_at).date()
    return [o for o in voting_organisations(meeting.alliance_id, day) if o.pk not in represented]


def board_people(alliance_id: int) -> QuerySet[Person]:
    """People who may be recorded at a Board meeting."""
    return Person.objects.filter(organisation__alliance_id=alliance_id, is_active=True).select_related("organisation").order_by(
        "organisation__kind", "organisation__name", "last_name")


def delegates_of(user: Person) -> QuerySet[Person]:
    """The people a representative may name as delegate: their organisation's delegates."""
    if user.organisation_id is None:
        return Person.objects.none()
    return Person.objects.filter(
        organisation_id=user.organisation_id, role_assignments__role=Role.DELEGATE, is_active=True
    ).exclude(pk=user.pk)


def decision_vote_history(decision: Decision) -> QuerySet:
    """Every vote as cast and changed, newest first (the history django-simple-history keeps)."""
    return Vote.history.filter(decision_id=decision.pk).select_related("organisation", "cast_by").order_by("-history_date")


def decision_papers(decision: Decision) -> QuerySet:
    return decision.papers.all()


def paper_for(user: Person, pk: int):
    from governance.models.board import Paper

    paper = Paper.objects.filter(pk=pk).select_related("meeting", "decision").first()
    scope = (paper.meeting or paper.decision) if paper else None
    if paper is None or scope is None or not permissions.can_view_board(user, scope.alliance_id):
        raise Http404("No such paper.")
    return paper



def minutes_content(meeting: Meeting) -> dict:
    """What the minutes are assembled from: attendance, agenda, each decision with its votes (para 33)."""
    decisions = []
    for decision in meeting.decisions.select_related("decision_type").order_by("tabled_at"):
        votes = decision_votes(decision)
        decisions.append({"decision": decision, "ballot": decision_ballot(decision, votes),
                          "tally": decision_tally(decision, votes)})
    return {"meeting": meeting, "agenda": list(meeting.agenda_items.all()),
            "attendances": meeting_attendances(meeting), "decisions": decisions}


# --- Who votes: the permission predicates that read the Board's data (paras 12, 19, 35, 95-98) ----------


def seat_refusal(organisation: Organisation, day: dt.date) -> str | None:
    """Why the organisation does not vote on the day, or None when it holds a seat (paras 12, 95-98)."""
    if has_seat(organisation, day):
        return None
    if organisation.member_until is not None and organisation.member_until <= day:
        reason = f"ended on {organisation.member_until:%-d %B %Y}, its termination's effective date"
    else:
        reason = f"begins on {organisation.member_since:%-d %B %Y}"
    return permissions.ERR_NO_SEAT.format(organisation=organisation.name, day=f"{day:%-d %B %Y}", reason=reason)


def voting_capacity(user: Person, decision: Decision, organisation: Organisation) -> str:
    """In which capacity the user may vote for the organisation on the decision, or PermissionDenied
    saying why not (Table 2: one vote per organisation; paras 12, 95-98: members only; para 19: client
    decisions; para 35: delegates)."""
    if user.organisation_id != organisation.pk:
        raise PermissionDenied(permissions.ERR_OTHER_ORGANISATION)
    # A terminated partner's representative and delegates no longer vote; a new partner's from its start date.
    refusal = seat_refusal(organisation, voting_day(decision))
    if refusal is not None:
        raise PermissionDenied(refusal)
    if decision.authority == Authority.CLIENT and organisation.kind != OrganisationKind.CLIENT:
        raise PermissionDenied(permissions.ERR_CLIENT_ONLY)
    roles = roles_of(user)
    if Role.BOARD_REPRESENTATIVE in roles or (organisation.kind == OrganisationKind.CLIENT and Role.SRO in roles):
        return Capacity.REPRESENTATIVE
    if Role.DELEGATE in roles:
        if has_delegation(user, decision):
            return Capacity.DELEGATE
        raise PermissionDenied(permissions.ERR_DELEGATE_WITHOUT_DELEGATION)
    raise PermissionDenied(permissions.ERR_NOT_A_VOTER)


def vote_refusal(user: Person, decision: Decision) -> str | None:
    """Why the user cannot vote on this decision for their organisation, or None when they can."""
    if user.organisation is None:
        return permissions.ERR_NOT_A_VOTER
    try:
        voting_capacity(user, decision, user.organisation)
    except PermissionDenied as refusal:
        return str(refusal)
    return None
