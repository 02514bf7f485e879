"""Writes of commitments (section 13), the Performance Table (section 12) and the client's assurance (paras 22-24).

Three workflows, each with its transitions table below. Every dated duty is an Obligation opened, met or
cancelled through alliance.services; Board approval (Table 8) goes through governance's decision_table, whose
outcome comes back to ``_on_board_outcome`` (registered through OUTCOME_HANDLERS).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import add_days, add_months, local_today
from alliance.models import (
    Alliance,
    Obligation,
    ObligationKind,
    ObligationStatus,
    Organisation,
    OrganisationKind,
    Role,
    RoleAssignment,
)
from alliance.permissions import alliance_id_of
from governance import permissions
from governance.models import (
    ASSURANCE_INTERVAL_MONTHS,
    AssuranceKind,
    AssuranceReview,
    AssuranceStatus,
    Commitment,
    CommitmentSelection,
    DecisionType,
    Outcome,
    PerformancePeriod,
    PerformanceTable,
    PerformanceTableReason,
    PerformanceTableRow,
    PerformanceTableStatus,
    PerformanceTableTrigger,
    SelectionStatus,
)
from governance.services.board import decision_table

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import Model

    from alliance.models import Person
    from governance.models import Decision

__all__ = [
    "ASSURANCE_REVIEW_TRANSITIONS",
    "COMMITMENT_APPROVAL_BOARD",
    "COMMITMENT_APPROVAL_NONE",
    "COMMITMENT_BOARD_DAYS",
    "COMMITMENT_SELECTION_TRANSITIONS",
    "ERR_ASSURANCE_AUDIT_WITHOUT_MISSED_MILESTONE",
    "ERR_ASSURANCE_FINDINGS_REQUIRED",
    "ERR_ASSURANCE_HELD_IN_FUTURE",
    "ERR_ASSURANCE_MILESTONE_NOT_PCF",
    "ERR_ASSURANCE_NOT_RECORDER",
    "ERR_ASSURANCE_OTHER_ALLIANCE",
    "ERR_ASSURANCE_REASON_REQUIRED",
    "ERR_ASSURANCE_STATE",
    "ERR_COMMITMENT_CONFLICT_NOT_IN_REGISTER",
    "ERR_COMMITMENT_CONFLICT_WITH_ITSELF",
    "ERR_COMMITMENT_DEPENDENCY_IS_LEAD",
    "ERR_COMMITMENT_DEPENDENCY_NOT_PARTNER",
    "ERR_COMMITMENT_INACTIVE",
    "ERR_COMMITMENT_LEAD_NOT_PARTNER",
    "ERR_COMMITMENT_NOT_MANAGER",
    "ERR_COMMITMENT_NO_REVIEW_DUE",
    "ERR_COMMITMENT_OTHER_ALLIANCE",
    "ERR_COMMITMENT_PERIOD_ENDED",
    "ERR_COMMITMENT_REFERENCE_TAKEN",
    "ERR_COMMITMENT_REVIEW_IN_FUTURE",
    "ERR_COMMITMENT_SELECTED_ALREADY",
    "ERR_COMMITMENT_SELECTION_STATE",
    "ERR_TABLE_COMMITMENT_NOT_SELECTED",
    "ERR_TABLE_DRAFT_EXISTS",
    "ERR_TABLE_EMPTY",
    "ERR_TABLE_FIRST_ALREADY_AGREED",
    "ERR_TABLE_NOT_MANAGER",
    "ERR_TABLE_OTHER_ALLIANCE",
    "ERR_TABLE_PERIOD_BEFORE_START",
    "ERR_TABLE_PERIOD_ENDS_BEFORE_START",
    "ERR_TABLE_PERIOD_OVERLAP",
    "ERR_TABLE_STATE",
    "ERR_TABLE_TRIGGER_IN_FUTURE",
    "ERR_TABLE_TRIGGER_REASON",
    "PERFORMANCE_TABLE_TRANSITIONS",
    "PERFORMANCE_TABLE_TRIGGER_REASONS",
    "REVIEW_COMMITMENTS_TITLE",
    "assurance_calendar_start",
    "assurance_review_cancel",
    "assurance_review_record",
    "commitment_deselect",
    "commitment_save",
    "commitment_select",
    "commitments_calendar_start",
    "commitments_review_record",
    "performance_period_create",
    "performance_table_agree",
    "performance_table_draft",
    "performance_table_row_remove",
    "performance_table_row_save",
    "performance_table_trigger_record",
]

# --- Error texts (tests assert on them) ------------------------------------------------------------------

ERR_COMMITMENT_NOT_MANAGER = "Only the Alliance Manager can do that (para 226)."
ERR_COMMITMENT_OTHER_ALLIANCE = "That belongs to another alliance."
ERR_COMMITMENT_LEAD_NOT_PARTNER = "The lead partner must be a partner of this alliance (para 228)."
ERR_COMMITMENT_DEPENDENCY_NOT_PARTNER = "A commitment can only depend on partners of this alliance (Table 8)."
ERR_COMMITMENT_DEPENDENCY_IS_LEAD = "The lead partner cannot be one of the other partners it depends on (Table 8)."
ERR_COMMITMENT_CONFLICT_NOT_IN_REGISTER = "A commitment can only conflict with commitments of this alliance's register."
ERR_COMMITMENT_CONFLICT_WITH_ITSELF = "A commitment cannot conflict with itself."
ERR_COMMITMENT_REFERENCE_TAKEN = "A commitment with this reference is already in the register."
ERR_COMMITMENT_INACTIVE = "This commitment is withdrawn from the register: it cannot be selected."
ERR_COMMITMENT_PERIOD_ENDED = "That Performance Period has ended: select commitments for a current or future one."
ERR_COMMITMENT_SELECTED_ALREADY = "This commitment is already selected, or awaiting the Board, for {period}."
ERR_COMMITMENT_SELECTION_STATE = "This selection is {status}: it cannot be {action}."
ERR_COMMITMENT_NO_REVIEW_DUE = (
    "No quarterly review of the commitments is open: the first follows the first selection (para 227)."
)
ERR_COMMITMENT_REVIEW_IN_FUTURE = "The review cannot be recorded for a day that has not come yet."

ERR_TABLE_NOT_MANAGER = "Only the Alliance Manager can do that (paras 223-225)."
ERR_TABLE_OTHER_ALLIANCE = "That belongs to another alliance."
ERR_TABLE_PERIOD_ENDS_BEFORE_START = "A Performance Period must end after it starts."
ERR_TABLE_PERIOD_BEFORE_START = "A Performance Period cannot start before the Alliance Start Date ({start})."
ERR_TABLE_PERIOD_OVERLAP = "This Performance Period overlaps {name} ({starts} to {ends})."
ERR_TABLE_DRAFT_EXISTS = "Version {version} of this period's Performance Table is still a draft: agree or change it."
ERR_TABLE_STATE = "This version of the Performance Table is {status}: it cannot be {action}."
ERR_TABLE_EMPTY = "A Performance Table without rows cannot be agreed."
ERR_TABLE_FIRST_ALREADY_AGREED = "The first Performance Table is already agreed: choose the reason for this update."
ERR_TABLE_COMMITMENT_NOT_SELECTED = (
    "Only a commitment selected for this Performance Period can be in its Performance Table (para 230)."
)
ERR_TABLE_TRIGGER_REASON = (
    "Choose a Scheme Order, a membership change, a partner's termination or a scheme's cancellation (para 224)."
)
ERR_TABLE_TRIGGER_IN_FUTURE = "Record the event once it has happened: its date cannot be in the future."

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

# --- The workflows --------------------------------------------------------------------------------------

# A selection for a Performance Period (Table 8): selected at once, or awaiting the Board's majority with
# client veto; the Alliance Manager may deselect a selection or withdraw one before the Board decides.
COMMITMENT_SELECTION_TRANSITIONS: dict[str, set[str]] = {
    SelectionStatus.AWAITING_BOARD: {SelectionStatus.SELECTED, SelectionStatus.REFUSED, SelectionStatus.DESELECTED},
    SelectionStatus.SELECTED: {SelectionStatus.DESELECTED},
    SelectionStatus.REFUSED: set(),
    SelectionStatus.DESELECTED: set(),
}
# A version of the Performance Table: drafted, agreed, then superseded by the next agreed version.
PERFORMANCE_TABLE_TRANSITIONS: dict[str, set[str]] = {
    PerformanceTableStatus.DRAFT: {PerformanceTableStatus.AGREED},
    PerformanceTableStatus.AGREED: {PerformanceTableStatus.SUPERSEDED},
    PerformanceTableStatus.SUPERSEDED: set(),
}
# A review of the assurance calendar: due, then held (with its record) or cancelled.
ASSURANCE_REVIEW_TRANSITIONS: dict[str, set[str]] = {
    AssuranceStatus.DUE: {AssuranceStatus.HELD, AssuranceStatus.CANCELLED},
    AssuranceStatus.HELD: set(),
    AssuranceStatus.CANCELLED: set(),
}

# Table 8's two approvals, as Decision Matrix codes (governance/matrix.py).
COMMITMENT_APPROVAL_NONE = "commitment-lead-partner-only"
COMMITMENT_APPROVAL_BOARD = "commitment-with-dependencies"
# A selection needing the Board is a written resolution closing this many days later at 17:00 London time.
COMMITMENT_BOARD_DAYS = 14
COMMITMENT_BOARD_CLOSES_AT = dt.time(17, 0)

REVIEW_COMMITMENTS_TITLE = "Review the commitments"  # + " for the quarter to <date>"; distinguishes it from the first
FIRST_COMMITMENTS_TITLE = "Select the first commitments and obtain the Board's approval"
FIRST_TABLE_TITLE = "Agree the first Performance Table"
PERFORMANCE_TABLE_TRIGGER_REASONS = (
    PerformanceTableReason.SCHEME_ORDER, PerformanceTableReason.MEMBERSHIP_CHANGE,
    PerformanceTableReason.TERMINATION, PerformanceTableReason.CANCELLATION,
)
ASSURANCE_PARAGRAPHS = {
    AssuranceKind.PCF_MILESTONES: "para 22", AssuranceKind.BENEFITS: "para 23", AssuranceKind.EXTERNAL: "para 24",
}


def _transition(record, table: dict[str, set[str]], to: str, message: str, action: str) -> None:
    if to not in table[record.status]:
        raise ValidationError(message.format(status=record.get_status_display().lower(), action=action))
    record.status = to


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _manager(actor: Person, alliance_id: int, message: str) -> None:
    """The Alliance Manager of this alliance, or PermissionDenied (another alliance's manager included)."""
    _require(permissions.is_alliance_manager(actor), message)
    _require(alliance_id_of(actor) == alliance_id, ERR_COMMITMENT_OTHER_ALLIANCE)


def _alliance_manager_of(alliance: Alliance) -> Person | None:
    assignment = (
        RoleAssignment.objects.filter(organisation__alliance=alliance, role=Role.ALLIANCE_MANAGER, person__is_active=True)
        .select_related("person").first()
    )
    return assignment.person if assignment else None


def _subject_obligations(subject: Model, *, kind: str):
    return Obligation.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk, kind=kind,
        status=ObligationStatus.OPEN,
    )


def _meet(obligations: Iterable[Obligation], *, actor: Person | None, on: dt.date | None = None, reason: str) -> int:
    met = 0
    for obligation in obligations:
        day = max(on or local_today(), obligation.start_date)
        alliance_services.obligation_meet(actor=actor, obligation=obligation, on=day, reason=reason, by_workflow=True)
        met += 1
    return met


def _quarter_after(alliance: Alliance, *dates: dt.date) -> dt.date:
    """The first quarter day (start + 3k months, k >= 1) after every given date. Counted from the Alliance Start
    Date each time, so that a start on 30 Nov keeps 30 May and 30 Aug rather than drifting to the 28th."""
    months = 3
    while add_months(alliance.start_date, months) <= max(dates):
        months += 3
    return add_months(alliance.start_date, months)


# --- The Commitment SLA Register ------------------------------------------------------------------------


@transaction.atomic
def commitment_save(
    *, actor: Person, alliance: Alliance, reference: str, title: str, lead_partner: Organisation,
    description: str = "", dependent_partners: Iterable[Organisation] = (), conflicts_with: Iterable[Commitment] = (),
    is_active: bool = True, commitment: Commitment | None = None,
) -> Commitment:
    """Add a commitment to the register or change one (the Alliance Manager, para 226). The lead partner is the
    partner who submitted it at tender (para 228); the others it depends on, and the commitments it conflicts
    with, decide the approval it needs (Table 8)."""
    _manager(actor, alliance.pk, ERR_COMMITMENT_NOT_MANAGER)
    if commitment is not None:
        _require(commitment.alliance_id == alliance.pk, ERR_COMMITMENT_OTHER_ALLIANCE)
    dependent_partners, conflicts_with = list(dependent_partners), list(conflicts_with)
    errors: dict[str, list[str]] = {}
    if lead_partner.alliance_id != alliance.pk or lead_partner.kind != OrganisationKind.PARTNER:
        errors["lead_partner"] = [ERR_COMMITMENT_LEAD_NOT_PARTNER]
    if any(o.alliance_id != alliance.pk or o.kind != OrganisationKind.PARTNER for o in dependent_partners):
        errors["dependent_partners"] = [ERR_COMMITMENT_DEPENDENCY_NOT_PARTNER]
    elif any(o.pk == lead_partner.pk for o in dependent_partners):
        errors["dependent_partners"] = [ERR_COMMITMENT_DEPENDENCY_IS_LEAD]
    if any(c.alliance_id != alliance.pk for c in conflicts_with):
        errors["conflicts_with"] = [ERR_COMMITMENT_CONFLICT_NOT_IN_REGISTER]
    elif commitment is not None and any(c.pk == commitment.pk for c in conflicts_with):
        errors["conflicts_with"] = [ERR_COMMITMENT_CONFLICT_WITH_ITSELF]
    reference = reference.strip()
    taken = Commitment.objects.filter(alliance=alliance, reference__iexact=reference)
    if commitment is not None:
        taken = taken.exclude(pk=commitment.pk)
    if taken.exists():
        errors["reference"] = [ERR_COMMITMENT_REFERENCE_TAKEN]
    if errors:
        raise ValidationError(errors)
    commitment = commitment or Commitment(alliance=alliance)
    commitment.reference, commitment.title, commitment.description = reference, title, description
    commitment.lead_partner, commitment.is_active = lead_partner, is_active
    commitment._history_user = actor
    commitment.save()
    commitment.dependent_partners.set(dependent_partners)  # history records the m2m change too
    commitment.conflicts_with.set(conflicts_with)  # symmetrical: the other commitment lists this one
    return commitment


def _board_closes_at() -> dt.datetime:
    day = add_days(local_today(), COMMITMENT_BOARD_DAYS)
    return timezone.make_aware(dt.datetime.combine(day, COMMITMENT_BOARD_CLOSES_AT))


def _conflicting_selections(commitment: Commitment, period: PerformancePeriod):
    return CommitmentSelection.objects.filter(
        period=period, commitment__in=commitment.conflicts_with.all(),
        status__in=[SelectionStatus.SELECTED, SelectionStatus.AWAITING_BOARD],
    ).select_related("commitment")


@transaction.atomic
def commitment_select(
    *, actor: Person, commitment: Commitment, period: PerformancePeriod, reason: str = ""
) -> CommitmentSelection:
    """Select a commitment for a Performance Period with the approval Table 8 requires (para 229).

    Delivered by the lead partner alone, conflicting with nothing selected for the period: selected, no
    approval. Dependent on other partners, or conflicting with a commitment selected (or awaiting the Board)
    for the period: a Board decision by majority with client veto; the selection awaits its outcome.
    """
    _manager(actor, commitment.alliance_id, ERR_COMMITMENT_NOT_MANAGER)
    _require(period.alliance_id == commitment.alliance_id, ERR_COMMITMENT_OTHER_ALLIANCE)
    # Lock the commitment: two selections of it for one period racing must not both pass the check below
    # (the partial unique constraint would stop the second with an IntegrityError instead of a message).
    commitment = Commitment.objects.select_for_update().select_related("alliance").get(pk=commitment.pk)
    if not commitment.is_active:
        raise ValidationError(ERR_COMMITMENT_INACTIVE)
    if period.ends_on < local_today():
        raise ValidationError({"period": [ERR_COMMITMENT_PERIOD_ENDED]})
    if CommitmentSelection.objects.filter(
        commitment=commitment, period=period, status__in=[SelectionStatus.SELECTED, SelectionStatus.AWAITING_BOARD]
    ).exists():
        raise ValidationError(ERR_COMMITMENT_SELECTED_ALREADY.format(period=period.name))
    dependants = list(commitment.dependent_partners.order_by("name"))
    conflicts = list(_conflicting_selections(commitment, period))
    needs_board = bool(dependants or conflicts)
    selection = CommitmentSelection(
        commitment=commitment, period=period, selected_by=actor, reason=reason,
        status=SelectionStatus.AWAITING_BOARD if needs_board else SelectionStatus.SELECTED,
        approval=COMMITMENT_APPROVAL_BOARD if needs_board else COMMITMENT_APPROVAL_NONE,
    )
    selection._history_user = actor
    selection._change_reason = "Selected: awaiting the Board (Table 8)" if needs_board else "Selected (Table 8: no approval)"
    selection.save()
    if not needs_board:
        _selected(selection, actor=actor)
        return selection
    why = []
    if dependants:
        why.append("it depends on " + ", ".join(o.name for o in dependants))
    if conflicts:
        why.append("it conflicts with " + ", ".join(str(s.commitment) for s in conflicts) + " selected for the period")
    decision_type = DecisionType.objects.get(alliance_id=commitment.alliance_id, code=COMMITMENT_APPROVAL_BOARD)
    decision = decision_table(
        actor=actor, alliance=commitment.alliance, decision_type=decision_type,
        title=f"Select commitment {commitment.reference} for {period.name}",
        description=(f"{commitment.title}. Lead partner: {commitment.lead_partner}. Board approval is needed because "
                     f"{' and '.join(why)} (Table 8).{' ' + reason if reason else ''}"),
        closes_at=_board_closes_at(), subject=selection, by_workflow=True,
    )
    selection.decision = decision
    selection._history_user = actor
    selection.save(update_fields=["decision"])
    return selection


def _selected(selection: CommitmentSelection, *, actor: Person | None) -> None:
    """A selection took effect: the first selection meets the "first commitments" obligation (para 227) and
    starts the quarterly reviews."""
    alliance = selection.commitment.alliance
    first = _first_commitments_obligation(alliance)
    if first is not None and first.status == ObligationStatus.OPEN:
        _meet([first], actor=actor, reason=f"{selection.commitment.reference} selected for {selection.period.name}")
        _open_next_review(alliance, after=first.due_date, actor=actor)


def _on_board_outcome(decision: Decision) -> None:
    """The Board decided on a selection (Table 8): approved → selected; rejected or not taken → refused. Runs
    inside the closing transaction; a selection withdrawn meanwhile is left as it is."""
    selection = (
        CommitmentSelection.objects.select_for_update(of=("self",))
        .select_related("commitment__alliance", "period").filter(pk=decision.subject_id, decision=decision).first()
    )
    if selection is None or selection.status != SelectionStatus.AWAITING_BOARD:
        return
    approved = decision.outcome == Outcome.APPROVED
    _transition(selection, COMMITMENT_SELECTION_TRANSITIONS,
                SelectionStatus.SELECTED if approved else SelectionStatus.REFUSED,
                ERR_COMMITMENT_SELECTION_STATE, "decided")
    selection._history_user = decision.closed_by
    selection._change_reason = f"The Board's decision: {decision.get_outcome_display().lower()}"
    selection.save(update_fields=["status"])
    if approved:
        _selected(selection, actor=decision.closed_by)


OUTCOME_HANDLERS = {COMMITMENT_APPROVAL_BOARD: _on_board_outcome}


@transaction.atomic
def commitment_deselect(*, actor: Person, selection: CommitmentSelection, reason: str = "") -> CommitmentSelection:
    """Deselect a commitment for its period at a quarterly review (para 227), or withdraw a selection still
    awaiting the Board (its decision's outcome then changes nothing)."""
    _manager(actor, selection.commitment.alliance_id, ERR_COMMITMENT_NOT_MANAGER)
    # Locked: a deselection racing the Board's outcome either lands first or sees the decided status.
    selection = CommitmentSelection.objects.select_for_update().get(pk=selection.pk)
    _transition(selection, COMMITMENT_SELECTION_TRANSITIONS, SelectionStatus.DESELECTED,
                ERR_COMMITMENT_SELECTION_STATE, "deselected")
    selection.deselected_at, selection.deselected_by = timezone.now(), actor
    selection._history_user = actor
    selection._change_reason = reason.strip() or "Deselected"
    selection.save(update_fields=["status", "deselected_at", "deselected_by"])
    return selection


# --- The commitments' calendar: first selection, then quarterly reviews (para 227) ------------------------


def _first_commitments_obligation(alliance: Alliance) -> Obligation | None:
    # Any para 227 obligation that is not a quarterly review: the demo core opens one under its own title.
    return (
        Obligation.objects.filter(alliance=alliance, kind=ObligationKind.COMMITMENTS, paragraph="para 227")
        .exclude(title__startswith=REVIEW_COMMITMENTS_TITLE).order_by("id").first()
    )


def _first_table_obligation(alliance: Alliance) -> Obligation | None:
    return Obligation.objects.filter(
        alliance=alliance, kind=ObligationKind.PERFORMANCE_TABLE, paragraph="para 223"
    ).order_by("id").first()


def _review_obligations(alliance: Alliance):
    return Obligation.objects.filter(
        alliance=alliance, kind=ObligationKind.COMMITMENTS, title__startswith=REVIEW_COMMITMENTS_TITLE
    )


def _open_next_review(alliance: Alliance, *, after: dt.date, actor: Person | None) -> Obligation:
    due = _quarter_after(alliance, after, local_today())
    start = min(add_months(due, -3), local_today())
    return alliance_services.obligation_open(
        actor=actor, alliance=alliance, kind=ObligationKind.COMMITMENTS, paragraph="para 227",
        title=f"{REVIEW_COMMITMENTS_TITLE} for the quarter to {due:%-d %b %Y}", start_date=start, due_date=due,
        responsible_person=_alliance_manager_of(alliance), by_workflow=True,
    )


@transaction.atomic
def commitments_calendar_start(alliance: Alliance, *, actor: Person | None = None) -> list[Obligation]:
    """Open the clocks that run from the Alliance Start Date, once: the first commitments (para 227) and the
    first Performance Table (para 223), each due 3 months after it. Idempotent: what exists is left alone;
    a quarterly review is opened if the first selection is done and none is open."""
    # Lock the alliance row: two starts at once would otherwise both see nothing and open each twice.
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    manager = _alliance_manager_of(alliance)
    opened = []
    if _first_commitments_obligation(alliance) is None:
        opened.append(alliance_services.obligation_open(
            actor=actor, alliance=alliance, kind=ObligationKind.COMMITMENTS, title=FIRST_COMMITMENTS_TITLE,
            paragraph="para 227", start_date=alliance.start_date, months=3, responsible_person=manager,
            by_workflow=True,
        ))
    if _first_table_obligation(alliance) is None:
        opened.append(alliance_services.obligation_open(
            actor=actor, alliance=alliance, kind=ObligationKind.PERFORMANCE_TABLE, title=FIRST_TABLE_TITLE,
            paragraph="para 223", start_date=alliance.start_date, months=3, responsible_person=manager,
            by_workflow=True,
        ))
    first = _first_commitments_obligation(alliance)
    if first.status == ObligationStatus.MET and not _review_obligations(alliance).filter(
        status=ObligationStatus.OPEN
    ).exists():
        last = _review_obligations(alliance).order_by("-due_date").values_list("due_date", flat=True).first()
        opened.append(_open_next_review(alliance, after=last or first.due_date, actor=actor))
    return opened


@transaction.atomic
def commitments_review_record(
    *, actor: Person, alliance: Alliance, on: dt.date | None = None, note: str = ""
) -> Obligation:
    """The Alliance Manager has reviewed the commitments for the quarter (para 227): the open review is met and
    the next quarter's opens."""
    _manager(actor, alliance.pk, ERR_COMMITMENT_NOT_MANAGER)
    on = on or local_today()
    if on > local_today():
        raise ValidationError({"on": [ERR_COMMITMENT_REVIEW_IN_FUTURE]})
    review = _review_obligations(alliance).filter(status=ObligationStatus.OPEN).select_for_update().order_by(
        "due_date").first()
    if review is None:
        raise ValidationError(ERR_COMMITMENT_NO_REVIEW_DUE)
    _meet([review], actor=actor, on=on, reason=note.strip() or "Quarterly review of the commitments held")
    return _open_next_review(alliance, after=max(review.due_date, on), actor=actor)


# --- Performance Periods and the Performance Table (paras 222-225, 230) ------------------------------------


@transaction.atomic
def performance_period_create(
    *, actor: Person, alliance: Alliance, name: str, starts_on: dt.date, ends_on: dt.date
) -> PerformancePeriod:
    """A Performance Period (para 225). A later period's annual Performance Table is due by its first day; the
    period that starts with the alliance is answered by the first Performance Table (para 223)."""
    _manager(actor, alliance.pk, ERR_TABLE_NOT_MANAGER)
    # Lock the alliance row: two overlapping periods created at once must not both pass the overlap check.
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": [ERR_TABLE_PERIOD_ENDS_BEFORE_START]})
    if starts_on < alliance.start_date:
        raise ValidationError({"starts_on": [ERR_TABLE_PERIOD_BEFORE_START.format(start=f"{alliance.start_date:%-d %b %Y}")]})
    overlap = PerformancePeriod.objects.filter(alliance=alliance, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlap is not None:
        raise ValidationError(ERR_TABLE_PERIOD_OVERLAP.format(
            name=overlap.name, starts=f"{overlap.starts_on:%-d %b %Y}", ends=f"{overlap.ends_on:%-d %b %Y}"))
    period = PerformancePeriod.objects.create(alliance=alliance, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    if starts_on > alliance.start_date:
        alliance_services.obligation_open(
            actor=actor, alliance=alliance, kind=ObligationKind.PERFORMANCE_TABLE, paragraph="para 225",
            title=f"Agree the Performance Table for {period.name}", start_date=min(local_today(), starts_on),
            due_date=starts_on, subject=period, responsible_person=_alliance_manager_of(alliance), by_workflow=True,
        )
    commitments_calendar_start(alliance, actor=actor)
    return period


def _table_for_manager(actor: Person, table: PerformanceTable) -> PerformanceTable:
    _manager(actor, table.alliance_id, ERR_TABLE_NOT_MANAGER)
    # Locked: a row added while the version is being agreed either lands first or sees it agreed.
    return PerformanceTable.objects.select_for_update().select_related("period").get(pk=table.pk)


def _require_draft(table: PerformanceTable, action: str) -> None:
    if table.status != PerformanceTableStatus.DRAFT:
        raise ValidationError(ERR_TABLE_STATE.format(status=table.get_status_display().lower(), action=action))


def _default_reason(alliance: Alliance) -> str:
    if not PerformanceTable.objects.filter(alliance=alliance, status__in=[
            PerformanceTableStatus.AGREED, PerformanceTableStatus.SUPERSEDED]).exists():
        return PerformanceTableReason.FIRST
    trigger = PerformanceTableTrigger.objects.filter(alliance=alliance, answered_by=None).order_by("occurred_on").first()
    return trigger.reason if trigger else PerformanceTableReason.ANNUAL


@transaction.atomic
def performance_table_draft(
    *, actor: Person, period: PerformancePeriod, reason: str | None = None, notes: str = ""
) -> PerformanceTable:
    """A new version of the period's Performance Table, starting from the rows of the version before it (of this
    period, else the latest agreed one of the alliance)."""
    _manager(actor, period.alliance_id, ERR_TABLE_NOT_MANAGER)
    # Lock the period: two drafts at once would otherwise take the same version number.
    period = PerformancePeriod.objects.select_for_update().select_related("alliance").get(pk=period.pk)
    alliance = period.alliance
    draft = PerformanceTable.objects.filter(period=period, status=PerformanceTableStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(ERR_TABLE_DRAFT_EXISTS.format(version=draft.version))
    reason = reason or _default_reason(alliance)
    if reason not in PerformanceTableReason.values:
        raise ValidationError({"reason": [f"Unknown reason {reason!r}."]})
    if reason == PerformanceTableReason.FIRST and _default_reason(alliance) != PerformanceTableReason.FIRST:
        raise ValidationError({"reason": [ERR_TABLE_FIRST_ALREADY_AGREED]})
    previous = period.performance_tables.order_by("-version").first() or PerformanceTable.objects.filter(
        alliance=alliance, status=PerformanceTableStatus.AGREED).order_by("-period__starts_on", "-version").first()
    version = (period.performance_tables.aggregate(v=Max("version"))["v"] or 0) + 1
    table = PerformanceTable(alliance=alliance, period=period, version=version, reason=reason, notes=notes,
                             created_by=actor)
    table._history_user = actor
    table.save()
    if previous is not None:
        PerformanceTableRow.objects.bulk_create(
            PerformanceTableRow(table=table, order=r.order, indicator=r.indicator, measure=r.measure, target=r.target,
                                commitment_id=r.commitment_id)
            for r in previous.rows.all()
        )
    return table


@transaction.atomic
def performance_table_row_save(
    *, actor: Person, table: PerformanceTable, indicator: str, target: str, measure: str = "",
    commitment: Commitment | None = None, row: PerformanceTableRow | None = None,
) -> PerformanceTableRow:
    """Add a row to a draft, or change one of its rows. A commitment in it must be selected for the period
    (para 230)."""
    table = _table_for_manager(actor, table)
    _require_draft(table, "changed")
    if row is not None and row.table_id != table.pk:
        raise PermissionDenied(ERR_TABLE_OTHER_ALLIANCE)
    if commitment is not None and not CommitmentSelection.objects.filter(
        commitment=commitment, period=table.period, status=SelectionStatus.SELECTED
    ).exists():
        raise ValidationError({"commitment": [ERR_TABLE_COMMITMENT_NOT_SELECTED]})
    if row is None:
        order = (table.rows.aggregate(o=Max("order"))["o"] or 0) + 1
        row = PerformanceTableRow(table=table, order=order)
    row.indicator, row.measure, row.target, row.commitment = indicator, measure, target, commitment
    row.save()
    _touch(table, actor, f"Row {row.order} saved")
    return row


@transaction.atomic
def performance_table_row_remove(*, actor: Person, row: PerformanceTableRow) -> None:
    table = _table_for_manager(actor, row.table)
    _require_draft(table, "changed")
    row.delete()
    _touch(table, actor, f"Row {row.order} removed")


def _touch(table: PerformanceTable, actor: Person, reason: str) -> None:
    """Rows have no history of their own: each change to them is a history entry of their version."""
    table._history_user = actor
    table._change_reason = reason
    table.save()


@transaction.atomic
def performance_table_agree(*, actor: Person, table: PerformanceTable) -> PerformanceTable:
    """The Alliance agrees this version (the Alliance Manager records it). The period's previous agreed version
    is superseded; it meets whatever it answers: the first Performance Table (para 223), updates after events
    (para 224) up to the end of its period, and the period's annual one (para 225)."""
    table = _table_for_manager(actor, table)
    if table.status == PerformanceTableStatus.DRAFT and not table.rows.exists():
        raise ValidationError(ERR_TABLE_EMPTY)
    _transition(table, PERFORMANCE_TABLE_TRANSITIONS, PerformanceTableStatus.AGREED, ERR_TABLE_STATE, "agreed")
    for previous in PerformanceTable.objects.select_for_update().filter(
        period=table.period, status=PerformanceTableStatus.AGREED
    ):
        _transition(previous, PERFORMANCE_TABLE_TRANSITIONS, PerformanceTableStatus.SUPERSEDED, ERR_TABLE_STATE,
                    "superseded")
        previous._history_user = actor
        previous._change_reason = f"Superseded by version {table.version}"
        previous.save(update_fields=["status"])
    table.agreed_on, table.agreed_by = local_today(), actor
    table._history_user = actor
    table._change_reason = "Agreed"
    table.save(update_fields=["status", "agreed_on", "agreed_by"])
    alliance = table.alliance
    done = f"Performance Table {table.period.name} version {table.version} agreed"
    first = _first_table_obligation(alliance)
    if first is not None and first.status == ObligationStatus.OPEN:
        _meet([first], actor=actor, reason=done)
    _meet(_subject_obligations(table.period, kind=ObligationKind.PERFORMANCE_TABLE), actor=actor, reason=done)
    for trigger in PerformanceTableTrigger.objects.select_for_update().filter(
        alliance=alliance, answered_by=None, occurred_on__lte=table.period.ends_on
    ):
        trigger.answered_by = table
        trigger._history_user = actor
        trigger.save(update_fields=["answered_by"])
        _meet(_subject_obligations(trigger, kind=ObligationKind.PERFORMANCE_TABLE), actor=actor, reason=done)
    return table


@transaction.atomic
def performance_table_trigger_record(
    *, actor: Person | None, alliance: Alliance, reason: str, occurred_on: dt.date, description: str,
    by_workflow: bool = False,
) -> PerformanceTableTrigger:
    """An event after which the Alliance agrees an update of the Performance Table within 3 months (para 224).

    The Alliance Manager records one by hand; a workflow that causes one (allocation issuing a Scheme Order)
    calls this with ``by_workflow=True`` once its own service has checked its actor, who may be None.
    """
    if not by_workflow:
        _require(actor is not None and permissions.is_alliance_manager(actor), ERR_TABLE_NOT_MANAGER)
        _require(alliance_id_of(actor) == alliance.pk, ERR_TABLE_OTHER_ALLIANCE)
    if reason not in PERFORMANCE_TABLE_TRIGGER_REASONS:
        raise ValidationError({"reason": [ERR_TABLE_TRIGGER_REASON]})
    if occurred_on > local_today():
        raise ValidationError({"occurred_on": [ERR_TABLE_TRIGGER_IN_FUTURE]})
    trigger = PerformanceTableTrigger(alliance=alliance, reason=reason, occurred_on=occurred_on,
                                      description=description.strip(), recorded_by=actor)
    trigger._history_user = actor
    trigger.save()
    alliance_services.obligation_open(
        actor=actor, alliance=alliance, kind=ObligationKind.PERFORMANCE_TABLE, paragraph="para 224",
        title=f"Update the Performance Table after: {trigger.description}"[:300], start_date=occurred_on, months=3,
        subject=trigger, responsible_person=_alliance_manager_of(alliance), by_workflow=True,
    )
    return trigger


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
    review._history_user = actor
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
        _require(permissions.can_record_assurance(actor), ERR_ASSURANCE_NOT_RECORDER)
        _require(alliance_id_of(actor) == alliance.pk, ERR_ASSURANCE_OTHER_ALLIANCE)
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)  # two starts at once: one calendar
    reviews = []
    for kind in AssuranceKind.values:
        if AssuranceReview.objects.filter(alliance=alliance, kind=kind, status=AssuranceStatus.DUE).exists():
            continue
        due = _next_due(alliance, kind, after=local_today() - dt.timedelta(days=1))
        reviews.append(_schedule_review(alliance, kind, due, actor=actor))
    return reviews


def _review_for_recorder(actor: Person, review: AssuranceReview) -> AssuranceReview:
    _require(alliance_id_of(actor) == review.alliance_id, ERR_ASSURANCE_OTHER_ALLIANCE)
    _require(permissions.can_record_assurance(actor), ERR_ASSURANCE_NOT_RECORDER)
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
    _transition(review, ASSURANCE_REVIEW_TRANSITIONS, AssuranceStatus.HELD, ERR_ASSURANCE_STATE, "recorded")
    review.held_on, review.reviewer, review.findings, review.actions = held_on, reviewer.strip(), findings, actions
    review.milestone_missed, review.audit_initiated = milestone_missed, audit_initiated
    review.recorded_by, review.recorded_at = actor, timezone.now()
    review._history_user = actor
    review._change_reason = "Held"
    review.save()
    _meet(_subject_obligations(review, kind=ObligationKind.ASSURANCE_REVIEW), actor=actor, on=held_on,
          reason=f"Held on {held_on:%-d %b %Y}")
    if audit_initiated:
        manager = _alliance_manager_of(review.alliance)
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
    _transition(review, ASSURANCE_REVIEW_TRANSITIONS, AssuranceStatus.CANCELLED, ERR_ASSURANCE_STATE, "cancelled")
    review._history_user = actor
    review._change_reason = reason.strip()
    review.save(update_fields=["status"])
    for obligation in _subject_obligations(review, kind=ObligationKind.ASSURANCE_REVIEW):
        alliance_services.obligation_cancel(actor=actor, obligation=obligation, reason=reason.strip(), by_workflow=True)
    _schedule_review(review.alliance, review.kind, _next_due(review.alliance, review.kind, after=review.due_on),
                     actor=actor)
    return review

