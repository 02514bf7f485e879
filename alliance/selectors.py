"""Reads of the core: every query that is more than a get() lives here (docs/architecture.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from alliance import permissions
from alliance.models import (
    Area,
    CalendarToken,
    Notification,
    Obligation,
    ObligationStatus,
    Organisation,
    Person,
    Reminder,
    Role,
    RoleAssignment,
)
from alliance.rules import reminder_horizon

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import Model

DUE_SOON_DAYS = 14


def obligation_scope(user: Person) -> Q | None:
    """Which obligations concern the user, as a condition on an obligation's own fields (so it reads their
    history rows too, alliance/visibility.py); None for nobody. Must agree with permissions.can_view_obligation."""
    alliance_id = permissions.alliance_id_of(user)
    if alliance_id is None:
        return None
    scope = Q(alliance_id=alliance_id)
    if not permissions.sees_whole_alliance(user):
        scope &= Q(responsible_person_id=user.pk) | Q(responsible_organisation_id=user.organisation_id)
    return scope


def obligations_visible_to(user: Person) -> QuerySet[Obligation]:
    """Obligations that concern the user: their own, their organisation's, or (for the SRO, the Alliance
    Manager and administrators) the whole alliance."""
    scope = obligation_scope(user)
    return Obligation.objects.none() if scope is None else Obligation.objects.filter(scope)


def whats_due(
    user: Person,
    *,
    kind: str | None = None,
    overdue_on: dt.date | None = None,
    due_before: dt.date | None = None,
    due_after: dt.date | None = None,
) -> QuerySet[Obligation]:
    """Open obligations that concern the user, overdue first (earliest due date first).

    Two related rows per obligation are joined, never fetched one by one, so the number of queries
    does not grow with the number of obligations.
    """
    qs = obligations_visible_to(user).filter(status=ObligationStatus.OPEN)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue_on is not None:
        qs = qs.filter(due_date__lt=overdue_on)
    if due_before is not None:
        qs = qs.filter(due_date__lte=due_before)
    if due_after is not None:
        qs = qs.filter(due_date__gte=due_after)
    return qs.select_related("responsible_organisation", "responsible_person").order_by("due_date", "id")


def whats_due_counts(user: Person, *, today: dt.date) -> dict[str, int]:
    """Counts for the home page and the navigation badge, in one aggregate query."""
    return obligations_visible_to(user).filter(status=ObligationStatus.OPEN).aggregate(
        overdue=Count("id", filter=Q(due_date__lt=today)),
        due_soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))),
        open=Count("id"),
    )


def obligation_for(user: Person, pk: int) -> Obligation:
    """One obligation the user may see, else 404 (another organisation's obligation is not revealed)."""
    return get_object_or_404(
        obligations_visible_to(user).select_related(
            "responsible_organisation", "responsible_person", "subject_type", "alliance"
        ),
        pk=pk,
    )


def obligation_history(obligation: Obligation) -> QuerySet:
    return obligation.history.select_related("history_user").order_by("-history_date", "-history_id")


def obligations_needing_reminders(*, today: dt.date) -> QuerySet[Obligation]:
    return Obligation.objects.filter(
        status=ObligationStatus.OPEN, due_date__lte=reminder_horizon(today)
    ).order_by("due_date", "id")


def reminders_already_sent(keys: Iterable[tuple[int, dt.date, int]]) -> set[tuple[int, dt.date, int]]:
    keys = list(keys)
    if not keys:
        return set()
    wanted = set(keys)
    rows = Reminder.objects.filter(obligation_id__in={k[0] for k in keys}).values_list(
        "obligation_id", "due_date", "offset_days"
    )
    return {row for row in rows if row in wanted}


def reminders_unconfirmed(*, claimed_before: dt.datetime) -> QuerySet[Reminder]:
    """Reminders of open obligations claimed before ``claimed_before`` whose email was never confirmed sent."""
    return (Reminder.objects.filter(emailed=False, recipients__gt=0, sent_at__lt=claimed_before,
                                    obligation__status=ObligationStatus.OPEN)
            .select_related("obligation").order_by("sent_at", "pk"))


def reminder_recipients(obligations: Iterable[Obligation]) -> dict[int, list[Person]]:
    """Who is reminded of each obligation: its responsible person; else every active person of its
    responsible organisation; else (an alliance-wide obligation) the Alliance Manager."""
    obligations = list(obligations)
    person_ids = {o.responsible_person_id for o in obligations if o.responsible_person_id}
    org_ids = {o.responsible_organisation_id for o in obligations if o.responsible_organisation_id and not o.responsible_person_id}
    alliance_ids = {o.alliance_id for o in obligations if not o.responsible_person_id and not o.responsible_organisation_id}
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids, is_active=True)}
    by_org: dict[int, list[Person]] = defaultdict(list)
    for p in Person.objects.filter(organisation_id__in=org_ids, is_active=True).order_by("pk"):
        if p.organisation_id is not None:
            by_org[p.organisation_id].append(p)
    managers: dict[int, list[Person]] = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(
        role=Role.ALLIANCE_MANAGER, organisation__alliance_id__in=alliance_ids, person__is_active=True
    ).select_related("person", "organisation"):
        managers[assignment.organisation.alliance_id].append(assignment.person)
    result: dict[int, list[Person]] = {}
    for o in obligations:
        if o.responsible_person_id:
            result[o.pk] = [people[o.responsible_person_id]] if o.responsible_person_id in people else []
        elif o.responsible_organisation_id:
            result[o.pk] = by_org.get(o.responsible_organisation_id, [])
        else:
            result[o.pk] = managers.get(o.alliance_id, [])
    return result


# --- Notifications --------------------------------------------------------------------------------------


def notifications_for(user: Person) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_notifications(user: Person) -> QuerySet[Notification]:
    return notifications_for(user).filter(read_at=None)


def notification_for(user: Person, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=user)


def unread_notification_count(user: Person) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


# --- Calendar feed --------------------------------------------------------------------------------------


def calendar_token_live(user: Person) -> CalendarToken | None:
    return CalendarToken.objects.filter(person=user, revoked_at=None).first()


def person_for_calendar_key(key: str) -> Person:
    token = get_object_or_404(
        CalendarToken.objects.select_related("person__organisation"), key=key, revoked_at=None, person__is_active=True
    )
    return token.person


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


# --- Who is who -----------------------------------------------------------------------------------------


AREA_ORDER = [When(area=area, then=Value(i)) for i, area in enumerate(Area.values, start=1)]  # north to south


def organisations_by_slug() -> QuerySet[Organisation]:
    """Every organisation, for a field that names one by its slug; the service then refuses any but the
    actor's own alliance's (a vote for another organisation, say)."""
    return Organisation.objects.all()


def organisations_in_order(alliance_id: int) -> QuerySet[Organisation]:
    """The alliance's organisations as everyone lists them: the client, then Lots 1-3, north to south."""
    return (
        Organisation.objects.filter(alliance_id=alliance_id)
        .select_related("lot")
        .annotate(area_order=Case(*AREA_ORDER, default=Value(0)))
        .order_by("kind", "lot__number", "area_order", "name")
    )


def organisations_of_alliance(alliance_id: int) -> QuerySet[Organisation]:
    """The directory: organisations with their lot and their people's roles, in three queries."""
    return organisations_in_order(alliance_id).prefetch_related(
        Prefetch("people", queryset=Person.objects.filter(is_active=True).prefetch_related("role_assignments"))
    )


def board_representatives(alliance_id: int) -> dict[int, Person]:
    return {
        a.organisation_id: a.person
        for a in RoleAssignment.objects.filter(
            organisation__alliance_id=alliance_id, role=Role.BOARD_REPRESENTATIVE
        ).select_related("person")
    }


def person_role_labels(user: Person) -> list[str]:
    return [Role(r).label for r in sorted(permissions.roles_of(user))]


def open_obligations_of(subject: Model, *, kind: str, organisation_id: int | None = None) -> QuerySet[Obligation]:
    """The open obligations of one kind on a record (optionally, one organisation's)."""
    obligations = Obligation.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, kind=kind,
        status=ObligationStatus.OPEN,
    )
    if organisation_id is not None:
        obligations = obligations.filter(responsible_organisation_id=organisation_id)
    return obligations



def people_nameable_by(actor: Person, *, across_alliance: bool = False) -> QuerySet[Person]:
    """The people ``actor`` may name as an owner, lead or approver (permissions.may_name_person), for a
    form's choices: their own organisation's, or the whole Alliance's for the SRO and the Alliance Manager."""
    return (Person.objects.filter(permissions.nameable_people(actor, across_alliance=across_alliance))
            .select_related("organisation").order_by("organisation__name", "last_name", "first_name", "username"))


# --- People to tell ---------------------------------------------------------------------------------------
# Who puts names forward for their organisation and hears about its submissions: its staff, its board
# representative and delegate (para 48).
NOMINATING_ROLES = (Role.STAFF, Role.BOARD_REPRESENTATIVE, Role.DELEGATE)


def nominators_of(organisation_id: int) -> list[Person]:
    """The people of an organisation who put names forward: they hear about its nominations."""
    return list(Person.objects.filter(
        organisation_id=organisation_id, is_active=True, role_assignments__role__in=NOMINATING_ROLES,
    ).distinct())


def alliance_manager(alliance_id: int) -> Person | None:
    assignment = (RoleAssignment.objects.filter(organisation__alliance_id=alliance_id, role=Role.ALLIANCE_MANAGER,
                                                person__is_active=True)
                  .select_related("person").order_by("pk").first())
    return assignment.person if assignment else None
