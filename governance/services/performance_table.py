"""Writes of Performance Periods and the Performance Table (section 12, paras 222-225, 230): versions drafted,
changed and agreed per period, and the events after which an update is due within 3 months (para 224).

Its transitions table is below. The first Performance Table's obligation (para 223) is opened with the
commitments' calendar (commitments.py), whose shared helpers this module uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from alliance import selectors as alliance_selectors
from alliance import services as alliance_services
from alliance.dates import local_today
from alliance.models import Alliance, ObligationKind, ObligationStatus
from alliance.permissions import alliance_id_of
from alliance.workflow import require, save_with_reason, step
from governance import permissions
from governance.models.commitments import (
    Commitment,
    CommitmentSelection,
    PerformancePeriod,
    PerformanceTable,
    PerformanceTableReason,
    PerformanceTableRow,
    PerformanceTableStatus,
    PerformanceTableTrigger,
    SelectionStatus,
)
from governance.permissions import require_manager_of
from governance.services.commitments import (
    _first_table_obligation,
    commitments_calendar_start,
)

if TYPE_CHECKING:
    import datetime as dt

    from alliance.models import Person

# --- Error texts (tests assert on them) ------------------------------------------------------------------

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

# --- The workflow ---------------------------------------------------------------------------------------

# A version of the Performance Table: drafted, agreed, then superseded by the next agreed version.
# The workflow, one table (alliance.workflow.step): step -> (the statuses it may be taken from, the status it leads to).
PERFORMANCE_TABLE_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "agree": (frozenset({PerformanceTableStatus.DRAFT}), PerformanceTableStatus.AGREED),
    "supersede": (frozenset({PerformanceTableStatus.AGREED}), PerformanceTableStatus.SUPERSEDED),
}
PERFORMANCE_TABLE_TRIGGER_REASONS = (
    PerformanceTableReason.SCHEME_ORDER, PerformanceTableReason.MEMBERSHIP_CHANGE,
    PerformanceTableReason.TERMINATION, PerformanceTableReason.CANCELLATION,
)


# --- Performance Periods and the Performance Table (paras 222-225, 230) ------------------------------------


@transaction.atomic
def performance_period_create(
    *, actor: Person, alliance: Alliance, name: str, starts_on: dt.date, ends_on: dt.date
) -> PerformancePeriod:
    """A Performance Period (para 225). A later period's annual Performance Table is due by its first day; the
    period that starts with the alliance is answered by the first Performance Table (para 223)."""
    require_manager_of(actor, alliance.pk, ERR_TABLE_NOT_MANAGER)
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
            due_date=starts_on, subject=period, responsible_person=alliance_selectors.alliance_manager(alliance.pk), by_workflow=True,
        )
    commitments_calendar_start(alliance, actor=actor)
    return period


def _table_for_manager(actor: Person, table: PerformanceTable) -> PerformanceTable:
    require_manager_of(actor, table.alliance_id, ERR_TABLE_NOT_MANAGER)
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
    require_manager_of(actor, period.alliance_id, ERR_TABLE_NOT_MANAGER)
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
    table._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
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
    save_with_reason(table, actor, reason)


@transaction.atomic
def performance_table_agree(*, actor: Person, table: PerformanceTable) -> PerformanceTable:
    """The Alliance agrees this version (the Alliance Manager records it). The period's previous agreed version
    is superseded; it meets whatever it answers: the first Performance Table (para 223), updates after events
    (para 224) up to the end of its period, and the period's annual one (para 225)."""
    table = _table_for_manager(actor, table)
    if table.status == PerformanceTableStatus.DRAFT and not table.rows.exists():
        raise ValidationError(ERR_TABLE_EMPTY)
    step(table, PERFORMANCE_TABLE_STEPS, ERR_TABLE_STATE, "agree", "agreed", status=table.get_status_display().lower())
    for previous in PerformanceTable.objects.select_for_update().filter(
        period=table.period, status=PerformanceTableStatus.AGREED
    ):
        step(previous, PERFORMANCE_TABLE_STEPS, ERR_TABLE_STATE, "supersede", "superseded",
             status=previous.get_status_display().lower())
        save_with_reason(previous, actor, f"Superseded by version {table.version}", update_fields=["status"])
    table.agreed_on, table.agreed_by = local_today(), actor
    save_with_reason(table, actor, "Agreed", update_fields=["status", "agreed_on", "agreed_by"])
    alliance = table.alliance
    done = f"Performance Table {table.period.name} version {table.version} agreed"
    first = _first_table_obligation(alliance)
    if first is not None and first.status == ObligationStatus.OPEN:
        alliance_services.obligations_meet(obligations=[first], actor=actor, reason=done)
    alliance_services.obligations_meet(obligations=alliance_selectors.open_obligations_of(table.period, kind=ObligationKind.PERFORMANCE_TABLE), actor=actor, reason=done)
    for trigger in PerformanceTableTrigger.objects.select_for_update().filter(
        alliance=alliance, answered_by=None, occurred_on__lte=table.period.ends_on
    ):
        trigger.answered_by = table
        trigger._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
        trigger.save(update_fields=["answered_by"])
        alliance_services.obligations_meet(obligations=alliance_selectors.open_obligations_of(trigger, kind=ObligationKind.PERFORMANCE_TABLE), actor=actor, reason=done)
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
        require(actor is not None and permissions.is_alliance_manager(actor), ERR_TABLE_NOT_MANAGER)
        require(alliance_id_of(cast("Person", actor)) == alliance.pk, ERR_TABLE_OTHER_ALLIANCE)
    if reason not in PERFORMANCE_TABLE_TRIGGER_REASONS:
        raise ValidationError({"reason": [ERR_TABLE_TRIGGER_REASON]})
    if occurred_on > local_today():
        raise ValidationError({"occurred_on": [ERR_TABLE_TRIGGER_IN_FUTURE]})
    trigger = PerformanceTableTrigger(alliance=alliance, reason=reason, occurred_on=occurred_on,
                                      description=description.strip(), recorded_by=actor)
    trigger._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    trigger.save()
    alliance_services.obligation_open(
        actor=actor, alliance=alliance, kind=ObligationKind.PERFORMANCE_TABLE, paragraph="para 224",
        title=f"Update the Performance Table after: {trigger.description}"[:300], start_date=occurred_on, months=3,
        subject=trigger, responsible_person=alliance_selectors.alliance_manager(alliance.pk), by_workflow=True,
    )
    return trigger
