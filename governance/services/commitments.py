"""Writes of commitments (section 13): the Commitment SLA Register (para 228), selection for a Performance
Period with Table 8's approval (para 229) and the quarterly review (para 227).

Its transitions table is below. Every dated duty is an Obligation opened, met or cancelled through
alliance.services; Board approval (Table 8) is put to the Board (governance/tabling.py), whose outcome comes
back to ``_on_board_outcome`` (BOARD_OUTCOMES, registered in governance/apps.py). The calendar started here also opens the first
Performance Table's clock (para 223), which performance_table.py meets; the helpers at the top are shared
with performance_table.py and assurance.py, which import them from here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance import selectors as alliance_selectors
from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import (
    Alliance,
    Obligation,
    ObligationKind,
    ObligationStatus,
    Organisation,
    OrganisationKind,
)
from alliance.workflow import require, save_with_reason, step
from governance.models.board import Outcome
from governance.models.commitments import Commitment, CommitmentSelection, PerformancePeriod, SelectionStatus
from governance.outcomes import BoardOutcomes
from governance.permissions import require_manager_of
from governance.tabling import put_to_board

if TYPE_CHECKING:
    from collections.abc import Iterable

    from alliance.models import Person
    from governance.models.board import Decision

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

# --- The workflow ---------------------------------------------------------------------------------------

# A selection for a Performance Period (Table 8): selected at once, or awaiting the Board's majority with
# client veto; the Alliance Manager may deselect a selection or withdraw one before the Board decides.
# The workflow, one table (alliance.workflow.step): step -> (the statuses it may be taken from, the status it leads to).
COMMITMENT_SELECTION_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({SelectionStatus.AWAITING_BOARD}), SelectionStatus.SELECTED),
    "refuse": (frozenset({SelectionStatus.AWAITING_BOARD}), SelectionStatus.REFUSED),
    "deselect": (frozenset({SelectionStatus.AWAITING_BOARD, SelectionStatus.SELECTED}), SelectionStatus.DESELECTED),
}

# Table 8's two approvals, as Decision Matrix codes (governance/matrix.py).
COMMITMENT_APPROVAL_NONE = "commitment-lead-partner-only"
COMMITMENT_APPROVAL_BOARD = "commitment-with-dependencies"

REVIEW_COMMITMENTS_TITLE = "Review the commitments"  # + " for the quarter to <date>"; distinguishes it from the first
FIRST_COMMITMENTS_TITLE = "Select the first commitments and obtain the Board's approval"
# The first Performance Table's clock runs from the Alliance Start Date with the first commitments' (para 223):
# commitments_calendar_start opens both; performance_table_agree meets it.
FIRST_TABLE_TITLE = "Agree the first Performance Table"

# --- Helpers shared with performance_table.py and assurance.py (which import them from here) ---------------


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
    require_manager_of(actor, alliance.pk, ERR_COMMITMENT_NOT_MANAGER)
    if commitment is not None:
        require(commitment.alliance_id == alliance.pk, ERR_COMMITMENT_OTHER_ALLIANCE)
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
    commitment._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    commitment.save()
    commitment.dependent_partners.set(dependent_partners)  # history records the m2m change too
    commitment.conflicts_with.set(conflicts_with)  # symmetrical: the other commitment lists this one
    return commitment


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
    require_manager_of(actor, commitment.alliance_id, ERR_COMMITMENT_NOT_MANAGER)
    require(period.alliance_id == commitment.alliance_id, ERR_COMMITMENT_OTHER_ALLIANCE)
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
    save_with_reason(selection, actor, "Selected: awaiting the Board (Table 8)" if needs_board else "Selected (Table 8: no approval)")
    if not needs_board:
        _selected(selection, actor=actor)
        return selection
    why = []
    if dependants:
        why.append("it depends on " + ", ".join(o.name for o in dependants))
    if conflicts:
        why.append("it conflicts with " + ", ".join(str(s.commitment) for s in conflicts) + " selected for the period")
    # A written resolution closing at put_to_board's default time (17:00, BOARD_DAYS from today).
    decision = put_to_board(
        actor=actor, subject=selection, alliance=commitment.alliance, code=COMMITMENT_APPROVAL_BOARD,
        title=f"Select commitment {commitment.reference} for {period.name}",
        description=(f"{commitment.title}. Lead partner: {commitment.lead_partner}. Board approval is needed because "
                     f"{' and '.join(why)} (Table 8).{' ' + reason if reason else ''}"),
    )
    selection.decision = decision
    selection._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    selection.save(update_fields=["decision"])
    return selection


def _selected(selection: CommitmentSelection, *, actor: Person | None) -> None:
    """A selection took effect: the first selection meets the "first commitments" obligation (para 227) and
    starts the quarterly reviews."""
    alliance = selection.commitment.alliance
    first = _first_commitments_obligation(alliance)
    if first is not None and first.status == ObligationStatus.OPEN:
        alliance_services.obligations_meet(obligations=[first], actor=actor, reason=f"{selection.commitment.reference} selected for {selection.period.name}")
        _open_next_review(alliance, after=first.due_date, actor=actor)


def _on_board_outcome(selection: CommitmentSelection, decision: Decision) -> None:
    """The Board decided on a selection (Table 8): approved → selected; rejected or not taken → refused. Runs
    inside the closing transaction, with the selection locked; a selection withdrawn meanwhile, or one whose
    decision this no longer is, never gets here (governance/outcomes.py)."""
    approved = decision.outcome == Outcome.APPROVED
    step(selection, COMMITMENT_SELECTION_STEPS, ERR_COMMITMENT_SELECTION_STATE, "approve" if approved else "refuse",
         "decided", status=selection.get_status_display().lower())
    save_with_reason(selection, decision.closed_by, f"The Board's decision: {decision.get_outcome_display().lower()}", update_fields=["status"])
    if approved:
        _selected(selection, actor=decision.closed_by)


# What the Board's decisions on selections do (registered in governance/apps.py).
BOARD_OUTCOMES = BoardOutcomes(
    CommitmentSelection, waiting=SelectionStatus.AWAITING_BOARD, handlers={COMMITMENT_APPROVAL_BOARD: _on_board_outcome},
    select_related=("commitment__alliance", "period"),
)


@transaction.atomic
def commitment_deselect(*, actor: Person, selection: CommitmentSelection, reason: str = "") -> CommitmentSelection:
    """Deselect a commitment for its period at a quarterly review (para 227), or withdraw a selection still
    awaiting the Board (its decision's outcome then changes nothing)."""
    require_manager_of(actor, selection.commitment.alliance_id, ERR_COMMITMENT_NOT_MANAGER)
    # Locked: a deselection racing the Board's outcome either lands first or sees the decided status.
    selection = CommitmentSelection.objects.select_for_update().get(pk=selection.pk)
    step(selection, COMMITMENT_SELECTION_STEPS, ERR_COMMITMENT_SELECTION_STATE, "deselect", "deselected",
         status=selection.get_status_display().lower())
    selection.deselected_at, selection.deselected_by = timezone.now(), actor
    save_with_reason(selection, actor, reason.strip() or "Deselected", update_fields=["status", "deselected_at", "deselected_by"])
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


def _quarter_after(alliance: Alliance, *dates: dt.date) -> dt.date:
    """The first quarter day (start + 3k months, k >= 1) after every given date. Counted from the Alliance Start
    Date each time, so that a start on 30 Nov keeps 30 May and 30 Aug rather than drifting to the 28th."""
    months = 3
    while add_months(alliance.start_date, months) <= max(dates):
        months += 3
    return add_months(alliance.start_date, months)


def _open_next_review(alliance: Alliance, *, after: dt.date, actor: Person | None) -> Obligation:
    due = _quarter_after(alliance, after, local_today())
    start = min(add_months(due, -3), local_today())
    return alliance_services.obligation_open(
        actor=actor, alliance=alliance, kind=ObligationKind.COMMITMENTS, paragraph="para 227",
        title=f"{REVIEW_COMMITMENTS_TITLE} for the quarter to {due:%-d %b %Y}", start_date=start, due_date=due,
        responsible_person=alliance_selectors.alliance_manager(alliance.pk), by_workflow=True,
    )


@transaction.atomic
def commitments_calendar_start(alliance: Alliance, *, actor: Person | None = None) -> list[Obligation]:
    """Open the clocks that run from the Alliance Start Date, once: the first commitments (para 227) and the
    first Performance Table (para 223), each due 3 months after it. Idempotent: what exists is left alone;
    a quarterly review is opened if the first selection is done and none is open."""
    # Lock the alliance row: two starts at once would otherwise both see nothing and open each twice.
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    manager = alliance_selectors.alliance_manager(alliance.pk)
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
    first = cast(Obligation, _first_commitments_obligation(alliance))  # opened above if it was not there
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
    require_manager_of(actor, alliance.pk, ERR_COMMITMENT_NOT_MANAGER)
    on = on or local_today()
    if on > local_today():
        raise ValidationError({"on": [ERR_COMMITMENT_REVIEW_IN_FUTURE]})
    review = _review_obligations(alliance).filter(status=ObligationStatus.OPEN).select_for_update().order_by(
        "due_date").first()
    if review is None:
        raise ValidationError(ERR_COMMITMENT_NO_REVIEW_DUE)
    alliance_services.obligations_meet(obligations=[review], actor=actor, on=on, reason=note.strip() or "Quarterly review of the commitments held")
    return _open_next_review(alliance, after=max(review.due_date, on), actor=actor)
