"""Writes of the core: organisations, roles, obligations, reminders, notifications, calendar tokens.

A service is the only way these records change state: views, the API, the admin, management commands
and Celery tasks all call these functions (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alliance import permissions, selectors
from alliance.dates import add_period, local_today
from alliance.models import (
    Alliance,
    CalendarToken,
    Notification,
    Obligation,
    ObligationKind,
    ObligationStatus,
    Organisation,
    OrganisationKind,
    Person,
    Reminder,
    Role,
    RoleAssignment,
)
from alliance.rules import reminder_offset_for
from alliance.workflow import require_nameable, save_with_reason, step

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)

# Error texts: constants, so that tests assert on exactly what a person reads.
ERR_DUE_BEFORE_START = "The due date cannot be before the start date."
ERR_DUE_OR_PERIOD = "Give either a due date or a period (days, weeks or months), not both."
ERR_NO_DUE = "Give a due date or a period."
ERR_NOT_OPEN = "This obligation is {status}: only an open obligation can be {action}."
ERR_REASON_REQUIRED = "Give a reason: it is kept in the obligation's history."
ERR_SAME_DUE_DATE = "The new due date is the same as the current one."
ERR_NOT_ALLOWED_OBLIGATIONS = "Only the Alliance Manager or the SRO can change obligations by hand."
ERR_OTHER_ALLIANCE = "That belongs to another alliance."
ERR_PERSON_NOT_IN_ORGANISATION = "The responsible person must belong to the responsible organisation."
ERR_ROLE_NEEDS_ORGANISATION = "A person must belong to an organisation before holding a role."
ERR_ROLE_TAKEN = "{organisation} already has a {role}: {holder}."
ERR_CLIENT_ONLY_ROLE = "Only a person of the client can hold the role {role}."


CLIENT_ONLY_ROLES = frozenset({Role.SRO, Role.ALLIANCE_MANAGER, Role.CLIENT_REVIEWER})
ONE_PER_ORGANISATION_ROLES = frozenset({Role.BOARD_REPRESENTATIVE, Role.SRO, Role.ALLIANCE_MANAGER})


# --- Organisations and roles ------------------------------------------------------------------------------


def role_assignment_validate(*, person: Person, role: str, exclude_pk: int | None = None) -> None:
    """One board representative, SRO and Alliance Manager per organisation; client roles for the client."""
    organisation = person.organisation
    if organisation is None:
        raise ValidationError(ERR_ROLE_NEEDS_ORGANISATION)
    role_label = Role(role).label
    if role in CLIENT_ONLY_ROLES and organisation.kind != OrganisationKind.CLIENT:
        raise ValidationError(ERR_CLIENT_ONLY_ROLE.format(role=role_label))
    if role in ONE_PER_ORGANISATION_ROLES:
        others = RoleAssignment.objects.filter(organisation_id=organisation.pk, role=role).exclude(person=person)
        holder = (
            (others if exclude_pk is None else others.exclude(pk=exclude_pk))
            .select_related("person")
            .first()
        )
        if holder is not None:
            raise ValidationError(
                ERR_ROLE_TAKEN.format(organisation=person.organisation, role=role_label, holder=holder.person)
            )


@transaction.atomic
def role_assign(*, person: Person, role: str) -> RoleAssignment:
    """Give a person a role for their organisation (idempotent)."""
    role_assignment_validate(person=person, role=role)
    assignment, _ = RoleAssignment.objects.get_or_create(
        person=person, role=role, defaults={"organisation_id": person.organisation_id}
    )
    person._alliance_roles = None
    return assignment


@transaction.atomic
def person_roles_follow_organisation(*, person: Person) -> None:
    """Keep each role row's organisation equal to the person's (the database holds uniqueness on it)."""
    organisation_id = person.organisation_id
    if organisation_id is None:
        if person.role_assignments.exists():
            raise ValidationError(ERR_ROLE_NEEDS_ORGANISATION)
        return
    for assignment in person.role_assignments.exclude(organisation_id=organisation_id):
        role_assignment_validate(person=person, role=assignment.role, exclude_pk=assignment.pk)
        assignment.organisation_id = organisation_id
        assignment.save(update_fields=["organisation"])


# --- Obligations ----------------------------------------------------------------------------------------

# The workflow of an obligation, {step: (from states, to)}: only an open obligation is met or cancelled.
OBLIGATION_STEPS: dict[str, tuple[set[str], str]] = {
    "meet": ({ObligationStatus.OPEN}, ObligationStatus.MET),
    "cancel": ({ObligationStatus.OPEN}, ObligationStatus.CANCELLED),
}


def _require_manager(actor: Person | None, obligation: Obligation | None, alliance: Alliance | None) -> None:
    if actor is None or not permissions.can_manage_obligations(actor):
        raise PermissionDenied(ERR_NOT_ALLOWED_OBLIGATIONS)
    alliance_id = obligation.alliance_id if obligation is not None else alliance.pk if alliance else None
    if alliance_id != permissions.alliance_id_of(actor):
        raise PermissionDenied(ERR_OTHER_ALLIANCE)


def _locked(obligation: Obligation) -> Obligation:
    """Re-read the row under a lock: two people meeting and re-dating at once must not interleave."""
    return Obligation.objects.select_for_update().get(pk=obligation.pk)


def _obligation_built(
    *,
    actor: Person | None,
    alliance: Alliance,
    kind: str,
    title: str,
    start_date: dt.date,
    due_date: dt.date | None = None,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    paragraph: str = "",
    subject: Model | None = None,
    responsible_organisation: Organisation | None = None,
    responsible_person: Person | None = None,
    by_workflow: bool = True,
) -> Obligation:
    """Check an obligation's fields and build it, unsaved: the one rule for obligation_open and its bulk form."""
    if not by_workflow:
        _require_manager(actor, None, alliance)
    has_period = any((days, weeks, months))
    if due_date is not None and has_period:
        raise ValidationError({"due_date": [ERR_DUE_OR_PERIOD]})
    if due_date is None:
        if not has_period:
            raise ValidationError({"due_date": [ERR_NO_DUE]})
        due_date = add_period(start_date, days=days, weeks=weeks, months=months)
    if due_date < start_date:
        raise ValidationError({"due_date": [ERR_DUE_BEFORE_START]})
    if kind not in ObligationKind.values:
        raise ValidationError({"kind": [f"Unknown kind of obligation: {kind!r}."]})
    for organisation in (responsible_organisation,):
        if organisation is not None and organisation.alliance_id != alliance.pk:
            raise ValidationError({"responsible_organisation": [ERR_OTHER_ALLIANCE]})
    if responsible_person is not None and actor is not None and not by_workflow:
        # By hand, the person is named by the actor: one rule for every field that names a person. A workflow's
        # own service has already checked the person it names (a risk's owner, say).
        require_nameable(actor, responsible_person, field="responsible_person")
    if responsible_person is not None:
        person_alliance = permissions.alliance_id_of(responsible_person)
        if person_alliance != alliance.pk:
            raise ValidationError({"responsible_person": [ERR_OTHER_ALLIANCE]})
        if responsible_organisation is not None and responsible_person.organisation_id != responsible_organisation.pk:
            raise ValidationError({"responsible_person": [ERR_PERSON_NOT_IN_ORGANISATION]})
    obligation = Obligation(
        alliance=alliance,
        kind=kind,
        title=title,
        paragraph=paragraph,
        start_date=start_date,
        due_date=due_date,
        responsible_organisation=responsible_organisation,
        responsible_person=responsible_person,
    )
    if subject is not None:
        obligation.subject_type = ContentType.objects.get_for_model(subject)
        obligation.subject_id = subject.pk
    return obligation


@transaction.atomic
def obligation_open(*, actor: Person | None, **fields) -> Obligation:
    """Open a dated obligation: due on ``due_date`` or after a period from ``start_date`` (or ``days``,
    ``weeks``, ``months``), with its ``kind``, ``title``, ``paragraph``, ``subject`` and who is responsible.

    Other apps' services call this with ``by_workflow=True`` (the default): their own service has already
    checked that the actor may take the step that starts the clock. A person adding an obligation by hand
    goes through ``obligation_add``, which checks that they manage obligations.
    """
    obligation = _obligation_built(actor=actor, **fields)
    save_with_reason(obligation, actor, "Opened")
    return obligation


@transaction.atomic
def obligations_open_bulk(*, actor: Person | None, obligations: list[dict]) -> list[Obligation]:
    """Open many obligations at once (a frozen quarter opening a thousand improvement processes): each is
    checked exactly as by obligation_open, then all are written with their history rows in bulk."""
    built = [_obligation_built(actor=actor, **fields) for fields in obligations]
    if not built:
        return []
    return bulk_create_with_history(built, Obligation, batch_size=1_000, default_user=actor,
                                    default_change_reason="Opened")


def obligation_add(*, actor: Person, **fields) -> Obligation:
    """An obligation added by hand by the Alliance Manager or the SRO ("every other dated obligation")."""
    return obligation_open(actor=actor, by_workflow=False, **fields)


@transaction.atomic
def obligation_meet(
    *, actor: Person | None, obligation: Obligation, on: dt.date | None = None, reason: str = "", by_workflow: bool = False
) -> Obligation:
    """Mark an obligation met (by hand, or by the workflow that fulfils it with ``by_workflow=True``)."""
    if not by_workflow:
        _require_manager(actor, obligation, None)
    obligation = _locked(obligation)
    step(obligation, OBLIGATION_STEPS, ERR_NOT_OPEN, "meet", "met")
    obligation.closed_on = on or local_today()
    if obligation.closed_on < obligation.start_date:
        raise ValidationError({"on": ["An obligation cannot be met before it started."]})
    save_with_reason(obligation, actor, reason or "Met", update_fields=["status", "closed_on"])
    return obligation


@transaction.atomic
def obligation_cancel(
    *, actor: Person | None, obligation: Obligation, reason: str, by_workflow: bool = False
) -> Obligation:
    """Cancel an obligation that no longer applies; the reason is kept in its history."""
    if not by_workflow:
        _require_manager(actor, obligation, None)
    if not reason.strip():
        raise ValidationError({"reason": [ERR_REASON_REQUIRED]})
    obligation = _locked(obligation)
    step(obligation, OBLIGATION_STEPS, ERR_NOT_OPEN, "cancel", "cancelled")
    obligation.closed_on = local_today()
    save_with_reason(obligation, actor, reason.strip(), update_fields=["status", "closed_on"])
    return obligation


@transaction.atomic
def obligation_redate(
    *, actor: Person | None, obligation: Obligation, due_date: dt.date, reason: str, by_workflow: bool = False
) -> Obligation:
    """Move an open obligation's due date; reminders then run afresh for the new date."""
    if not by_workflow:
        _require_manager(actor, obligation, None)
    if not reason.strip():
        raise ValidationError({"reason": [ERR_REASON_REQUIRED]})
    obligation = _locked(obligation)
    if obligation.status != ObligationStatus.OPEN:
        raise ValidationError(
            ERR_NOT_OPEN.format(status=obligation.get_status_display().lower(), action="re-dated")
        )
    if due_date < obligation.start_date:
        raise ValidationError({"due_date": [ERR_DUE_BEFORE_START]})
    if due_date == obligation.due_date:
        raise ValidationError({"due_date": [ERR_SAME_DUE_DATE]})
    obligation.due_date = due_date
    save_with_reason(obligation, actor, reason.strip(), update_fields=["due_date"])
    return obligation


# --- Reminders ------------------------------------------------------------------------------------------


def _reminder_text(obligation: Obligation, today: dt.date) -> str:
    days_left = obligation.days_left(today)
    due = f"{obligation.due_date:%-d %b %Y}"
    if days_left > 1:
        when = f"is due in {days_left} days, on {due}"
    elif days_left == 1:
        when = f"is due tomorrow, {due}"
    elif days_left == 0:
        when = f"is due today, {due}"
    else:
        plural = "s" if days_left < -1 else ""
        when = f"is overdue by {-days_left} day{plural} (it was due on {due})"
    source = f" ({obligation.paragraph})" if obligation.paragraph else ""
    return f"{obligation.title}{source} {when}."


def reminders_send(*, today: dt.date | None = None) -> int:
    """Send every reminder whose day has come, each exactly once; returns how many were sent.

    Exactly once is held by the database: the Reminder row (unique per obligation, due date and offset)
    is inserted in the same transaction as the in-app notifications. A concurrent sweep blocks on the
    same unique key and then fails to insert it; a worker that dies before committing leaves no row, so
    the next sweep sends it. Email goes out only after that commit (``on_commit``), never inside it.

    The row is also the email's outbox: ``emailed`` turns true only once the mail transport has accepted the
    message. A worker killed between the commit and that moment would otherwise lose the email for good (the
    row says "sent"); so each sweep also re-sends the current reminders whose email is still unconfirmed
    REMINDER_EMAIL_RETRY_SECONDS after their claim (``sent_at``), claiming each again by compare-and-set.
    Residual window, at-least-once for email: a worker killed after the transport accepted but before
    ``emailed`` is written causes one repeat, that many seconds later.
    """
    today = today or local_today()
    candidates = selectors.obligations_needing_reminders(today=today)
    sent = 0
    pending = []
    for obligation in candidates:
        offset = reminder_offset_for(due_date=obligation.due_date, today=today)
        if offset is not None:
            pending.append((obligation, offset))
    already = selectors.reminders_already_sent([(o.pk, o.due_date, offset) for o, offset in pending])
    pending = [(o, offset) for o, offset in pending if (o.pk, o.due_date, offset) not in already]
    recipients = selectors.reminder_recipients([o for o, _ in pending])
    for obligation, offset in pending:
        if _reminder_send_one(obligation, offset, today, recipients.get(obligation.pk, [])):
            sent += 1
    _reminder_emails_retry(today=today)
    return sent


def _reminder_emails_retry(*, today: dt.date) -> int:
    """Re-send the emails of reminders claimed more than REMINDER_EMAIL_RETRY_SECONDS ago and never confirmed
    (the worker died, or the mail server failed); only a reminder that is still the current one for its
    obligation, so a stale one is superseded rather than retried for ever. Returns how many were re-sent."""
    stale = timezone.now() - dt.timedelta(seconds=settings.REMINDER_EMAIL_RETRY_SECONDS)
    unconfirmed = [
        r for r in selectors.reminders_unconfirmed(claimed_before=stale)
        if r.due_date == r.obligation.due_date
        and reminder_offset_for(due_date=r.due_date, today=today) == r.offset_days
    ]
    recipients = selectors.reminder_recipients([r.obligation for r in unconfirmed])
    resent = 0
    for reminder in unconfirmed:
        addresses = [p.email for p in recipients.get(reminder.obligation_id, []) if p.email]
        if not addresses:
            continue
        # Compare-and-set on the claim time: of two sweeps retrying at once, one gets the row (count 1),
        # so each claim sends at most one email.
        if not Reminder.objects.filter(pk=reminder.pk, emailed=False, sent_at=reminder.sent_at).update(
                sent_at=timezone.now()):
            continue
        text = _reminder_text(reminder.obligation, today)
        _reminder_email(reminder.pk, text, reverse("obligation-detail", args=[reminder.obligation_id]), addresses)
        resent += 1
    return resent


def _reminder_send_one(obligation: Obligation, offset: int, today: dt.date, people: list[Person]) -> bool:
    text = _reminder_text(obligation, today)
    link = reverse("obligation-detail", args=[obligation.pk])
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                obligation=obligation,
                due_date=obligation.due_date,
                offset_days=offset,
                sent_at=timezone.now(),
                recipients=len(people),
            )
            Notification.objects.bulk_create(
                Notification(recipient=p, obligation=obligation, reminder=reminder, title=text, link=link)
                for p in people
            )
            addresses = [p.email for p in people if p.email]
            if addresses:
                transaction.on_commit(lambda: _reminder_email(reminder.pk, text, link, addresses))
    except IntegrityError:
        # Another sweep inserted this reminder first: it is theirs to send.
        return False
    return True


def _send_each(*, subject: str, body: str, addresses: Iterable[str]) -> int:
    """One message per recipient over one connection: partners never see each other's addresses."""
    messages = [EmailMessage(subject=subject[:200], body=body, to=[address]) for address in addresses]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def _reminder_email(reminder_pk: int, text: str, link: str, addresses: Iterable[str]) -> None:
    try:
        _send_each(subject=f"Reminder: {text}", body=f"{text}\n\nOpen it: {settings.SITE_URL}{link}\n",
                   addresses=addresses)
    except Exception:  # the in-app notification stands; the failure is logged for the operator
        logger.exception("Reminder %s: email could not be sent", reminder_pk)
        return
    Reminder.objects.filter(pk=reminder_pk).update(emailed=True)


# --- Notifications --------------------------------------------------------------------------------------


def notification_mark_read(*, actor: Person, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("That notification is not yours.")
    Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())


def notifications_mark_all_read(*, actor: Person) -> int:
    return Notification.objects.filter(recipient=actor, read_at=None).update(read_at=timezone.now())


def notification_send(*, recipients: Iterable[Person], title: str, body: str = "", link: str = "") -> None:
    """An in-app notification (and email) for a workflow's event; call it from inside the service's
    transaction: the email waits for the commit."""
    people = list(recipients)
    Notification.objects.bulk_create(
        Notification(recipient=p, title=title, body=body, link=link) for p in people
    )
    addresses = [p.email for p in people if p.email]
    if addresses:
        transaction.on_commit(lambda: _notification_email(title, body, link, addresses))


def _notification_email(title: str, body: str, link: str, addresses: list[str]) -> None:
    try:
        _send_each(subject=title, body=f"{body}\n\n{settings.SITE_URL}{link}\n".lstrip(), addresses=addresses)
    except Exception:  # the in-app notification stands
        logger.exception("Notification email %r could not be sent", title)


# --- Calendar feed --------------------------------------------------------------------------------------


@transaction.atomic
def calendar_token_issue(*, actor: Person) -> CalendarToken:
    """A new secret feed URL for the actor; any earlier one stops working."""
    CalendarToken.objects.filter(person=actor, revoked_at=None).update(revoked_at=timezone.now())
    return CalendarToken.objects.create(person=actor, key=secrets.token_urlsafe(32))


def calendar_token_revoke(*, actor: Person) -> int:
    return CalendarToken.objects.filter(person=actor, revoked_at=None).update(revoked_at=timezone.now())


def obligations_meet(*, actor: Person | None, obligations: Iterable[Obligation], reason: str,
                     on: dt.date | None = None) -> int:
    """Meet each of these open obligations: the workflow step that fulfils them was taken on ``on`` (today by
    default; never before an obligation started). Returns how many were met."""
    met = 0
    for obligation in obligations:
        day = max(on or local_today(), obligation.start_date)
        obligation_meet(actor=actor, obligation=obligation, on=day, reason=reason, by_workflow=True)
        met += 1
    return met


def obligations_meet_for(*, actor: Person | None, subject: Model, kind: str, reason: str,
                         organisation_id: int | None = None, on: dt.date | None = None) -> int:
    """Meet a record's open obligations of one kind (one organisation's, if named): the workflow step that
    fulfils them was taken on ``on`` (today by default). Returns how many were met."""
    return obligations_meet(actor=actor, reason=reason, on=on,
                            obligations=selectors.open_obligations_of(subject, kind=kind, organisation_id=organisation_id))


def obligations_cancel_for(*, actor: Person | None, subject: Model, kind: str, reason: str) -> int:
    """Cancel a record's open obligations of one kind (the step they waited for will not come)."""
    cancelled = 0
    for obligation in selectors.open_obligations_of(subject, kind=kind):
        obligation_cancel(actor=actor, obligation=obligation, reason=reason, by_workflow=True)
        cancelled += 1
    return cancelled


@transaction.atomic
def obligation_attach(*, actor: Person | None, obligation: Obligation, subject: Model) -> Obligation:
    """Attach an obligation opened without a record (by hand, or before its workflow existed) to the record
    that now carries it, so that its page links there; kept in its history."""
    obligation = _locked(obligation)
    obligation.subject_type = ContentType.objects.get_for_model(subject)
    obligation.subject_id = subject.pk
    save_with_reason(obligation, actor, f"Attached to {subject}", update_fields=["subject_type", "subject_id"])
    return obligation

