"""Writes of the client's assurance calendar (paras 22-24): the quarterly PCF milestone review, the bi-annual
benefits review and the annual external assurance, each an obligation of the client, recorded once held.

Its transitions table is below; the helpers it shares with commitments.py are imported from there.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance import selectors as alliance_selectors
from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import Alliance, ObligationKind, Organisation, OrganisationKind
from alliance.permissions import alliance_id_of
from alliance.workflow import require, save_with_reason, step
from governance import permissions
from governance.models.commitments import (
    ASSURANCE_INTERVAL_MONTHS,
    AssuranceKind,
    AssuranceReview,
    AssuranceStatus,
)

if TYPE_CHECKING:
    from alliance.models import Person

# --- Error texts (tests assert on them) ------------------------------------------------------------------

ERR_ASSURANCE_NOT_RECORDER = "Only the client's reviewers or the SRO record the client's assurance (paras 22-24)."
ERR_ASSURANCE_OTHER_ALLIANCE = "That belongs to another alliance."
ERR_ASSURANCE_STATE = "This review is {status}: it cannot be {action}."
ERR_ASSURANCE_HELD_IN_FUTURE = "A review is recorded once held: the date cannot be in the future."
ERR_ASSURANCE_FINDINGS_REQUIRED = "Enter the review's findings."
ERR_ASSURANCE_AUDIT_WITHOUT_MISSED_MILESTONE = (
    "The MPPH may initiate an audit only after a PCF milestone was missed (para 22)."
)
ERR_ASSURANCE_MILESTONE_NOT_PCF = "Missed PCF milestones are recorded by the quarterly PCF milestone review (para 22)."
ERR_ASSURANCE_REASON_REQUIRED = "Give a reason: it is kept in the review's history."

# --- The workflow ---------------------------------------------------------------------------------------

# A review of the assurance calendar: due, then held (with its record) or cancelled.
# The workflow, one table (alliance.workflow.step): step -> (the statuses it may be taken from, the status it leads to).
ASSURANCE_REVIEW_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "record": (frozenset({AssuranceStatus.DUE}), AssuranceStatus.HELD),
    "cancel": (frozenset({AssuranceStatus.DUE}), AssuranceStatus.CANCELLED),
}
ASSURANCE_PARAGRAPHS: dict[str, str] = {
    AssuranceKind.PCF_MILESTONES: "para 22", AssuranceKind.BENEFITS: "para 23", AssuranceKind.EXTERNAL: "para 24",
}


# --- The client's assurance calendar (paras 22-24) --------------------------------------------------------


def _next_due(alliance: Alliance, kind: str, *, after: dt.date) -> dt.date:
    """The kind's next review day after ``after``, counted from the Alliance Start Date (quarterly,
    bi-annually, annually)."""
    interval = ASSURANCE_INTERVAL_MONTHS[AssuranceKind(kind)]
    months = interval
    while add_months(alliance.start_date, months) <= after:
        months += interval
    return add_months(alliance.start_date, months)


def _schedule_review(alliance: Alliance, kind: str, due_on: dt.date, *, actor: Person | None) -> AssuranceReview:
    existing = AssuranceReview.objects.filter(alliance=alliance, kind=kind, due_on=due_on).first()
    if existing is not None:
        return existing
    review = AssuranceReview(alliance=alliance, kind=kind, due_on=due_on)
    review._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    review.save()
    interval = ASSURANCE_INTERVAL_MONTHS[AssuranceKind(kind)]
    client = Organisation.objects.get(alliance=alliance, kind=OrganisationKind.CLIENT)
    alliance_services.obligation_open(
        actor=actor, alliance=alliance, kind=ObligationKind.ASSURANCE_REVIEW, paragraph=ASSURANCE_PARAGRAPHS[kind],
        title=f"{AssuranceKind(kind).label.split(' (')[0]} due {due_on:%-d %b %Y}",
        start_date=min(add_months(due_on, -interval), local_today()), due_date=due_on, subject=review,
        responsible_organisation=client, by_workflow=True,
    )
    return review


@transaction.atomic
def assurance_calendar_start(alliance: Alliance, *, actor: Person | None = None) -> list[AssuranceReview]:
    """Put the next review of each kind on the calendar, each an obligation of the client: the quarterly PCF
    milestone review (para 22), the bi-annual benefits review (para 23), the annual external assurance
    (para 24). Idempotent: a kind that already has a review due is left alone."""
    if actor is not None:
        require(permissions.can_record_assurance(actor), ERR_ASSURANCE_NOT_RECORDER)
        require(alliance_id_of(actor) == alliance.pk, ERR_ASSURANCE_OTHER_ALLIANCE)
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)  # two starts at once: one calendar
    reviews = []
    for kind in AssuranceKind.values:
        if AssuranceReview.objects.filter(alliance=alliance, kind=kind, status=AssuranceStatus.DUE).exists():
            continue
        due = _next_due(alliance, kind, after=local_today() - dt.timedelta(days=1))
        reviews.append(_schedule_review(alliance, kind, due, actor=actor))
    return reviews


def _review_for_recorder(actor: Person, review: AssuranceReview) -> AssuranceReview:
    require(alliance_id_of(actor) == review.alliance_id, ERR_ASSURANCE_OTHER_ALLIANCE)
    require(permissions.can_record_assurance(actor), ERR_ASSURANCE_NOT_RECORDER)
    # Locked: two people recording the same review at once must not both schedule the next.
    return AssuranceReview.objects.select_for_update().select_related("alliance").get(pk=review.pk)


@transaction.atomic
def assurance_review_record(
    *, actor: Person, review: AssuranceReview, held_on: dt.date, reviewer: str, findings: str, actions: str = "",
    milestone_missed: bool = False, audit_initiated: bool = False,
) -> AssuranceReview:
    """Record a review held (date, who, findings, actions): its obligation is met and the next review of its
    kind goes on the calendar. A missed PCF milestone may lead the MPPH to initiate an audit (para 22)."""
    review = _review_for_recorder(actor, review)
    errors: dict[str, list[str]] = {}
    if held_on > local_today():
        errors["held_on"] = [ERR_ASSURANCE_HELD_IN_FUTURE]
    if not findings.strip():
        errors["findings"] = [ERR_ASSURANCE_FINDINGS_REQUIRED]
    if milestone_missed and review.kind != AssuranceKind.PCF_MILESTONES:
        errors["milestone_missed"] = [ERR_ASSURANCE_MILESTONE_NOT_PCF]
    elif audit_initiated and not milestone_missed:
        errors["audit_initiated"] = [ERR_ASSURANCE_AUDIT_WITHOUT_MISSED_MILESTONE]
    if errors:
        raise ValidationError(errors)
    step(review, ASSURANCE_REVIEW_STEPS, ERR_ASSURANCE_STATE, "record", "recorded",
         status=review.get_status_display().lower())
    review.held_on, review.reviewer, review.findings, review.actions = held_on, reviewer.strip(), findings, actions
    review.milestone_missed, review.audit_initiated = milestone_missed, audit_initiated
    review.recorded_by, review.recorded_at = actor, timezone.now()
    save_with_reason(review, actor, "Held")
    alliance_services.obligations_meet(obligations=alliance_selectors.open_obligations_of(review, kind=ObligationKind.ASSURANCE_REVIEW), actor=actor, on=held_on,
          reason=f"Held on {held_on:%-d %b %Y}")
    if audit_initiated:
        manager = alliance_selectors.alliance_manager(review.alliance_id)
        alliance_services.notification_send(
            recipients=[manager] if manager else [], title="The MPPH has initiated an audit of the Alliance (para 22)",
            body=f"After the PCF milestone review held on {held_on:%-d %b %Y}: {findings[:200]}",
        )
    _schedule_review(review.alliance, review.kind, _next_due(review.alliance, review.kind, after=review.due_on),
                     actor=actor)
    return review


@transaction.atomic
def assurance_review_cancel(*, actor: Person, review: AssuranceReview, reason: str) -> AssuranceReview:
    """A review that will not be held (superseded, merged with another): its obligation is cancelled with the
    reason, and the next review of its kind goes on the calendar so that the cycle carries on."""
    review = _review_for_recorder(actor, review)
    if not reason.strip():
        raise ValidationError({"reason": [ERR_ASSURANCE_REASON_REQUIRED]})
    step(review, ASSURANCE_REVIEW_STEPS, ERR_ASSURANCE_STATE, "cancel", "cancelled",
         status=review.get_status_display().lower())
    save_with_reason(review, actor, reason.strip(), update_fields=["status"])
    for obligation in alliance_selectors.open_obligations_of(review, kind=ObligationKind.ASSURANCE_REVIEW):
        alliance_services.obligation_cancel(actor=actor, obligation=obligation, reason=reason.strip(), by_workflow=True)
    _schedule_review(review.alliance, review.kind, _next_due(review.alliance, review.kind, after=review.due_on),
                     actor=actor)
    return review
