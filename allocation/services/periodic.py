"""Writes of Periodic Instructions for the Production Management Partner (paras 103-107).

The Partner Fee and resources for the PMP's work are agreed period by period (para 103):
1. the client, through the SRO, asks the Alliance Manager for a PMP cost resource profile for a period of
   time and a Scheme Scope (para 104) — an obligation for the Alliance Manager opens;
2. the Alliance Manager attaches the cost resource profile (a summary, a total and optionally a document),
   which meets that obligation; the profile may be replaced until it goes to the Board;
3. the Alliance Manager tables it for the Board: a decision of the Decision Matrix type
   ``periodic-instruction``, unanimous (para 107);
4. the decision's outcome: approved → agreed; rejected or not taken → not agreed (the client asks again for
   a new one if it still wants it);
5. the client, through the SRO, issues the agreed Periodic Instruction (para 107, Clause Z20).

Paras 103-107 set no period for the profile: OUR choice is 28 days from the request
(``PERIODIC_PROFILE_DUE_DAYS``), the period the Alliance Manager has for an impact assessment (para 27).
The workflow's one table is ``PERIODIC_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import local_today
from alliance.documents import document_content_type, stored_name
from alliance.models import Alliance, Obligation, ObligationKind, ObligationStatus, Role
from alliance.money import pounds
from alliance.permissions import alliance_id_of, own_alliance_id
from alliance.workflow import require, save_with_reason, step
from allocation.models import PeriodicInstruction, PeriodicInstructionStatus
from allocation.permissions import (
    can_issue_periodic_instruction,
    can_prepare_periodic_instruction,
    can_request_periodic_instruction,
)
from governance.models import Decision
from governance.models.board import Outcome
from governance.outcomes import BoardOutcomes
from governance.selectors.instructions import role_holder
from governance.tabling import put_to_board

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from alliance.models import Person


ERR_PERIODIC_NOT_SRO = "Only the SRO can do that for the client (paras 104, 107)."
ERR_PERIODIC_NOT_AM = "Only the Alliance Manager can do that (para 104)."
ERR_PERIODIC_OTHER_ALLIANCE = "That Periodic Instruction belongs to another alliance."
ERR_PERIODIC_PERIOD_ORDER = "The period must end after it starts."
ERR_PERIODIC_SCOPE_REQUIRED = "Enter the Scheme Scope the cost resource profile is to cover (para 104)."
ERR_PERIODIC_SUMMARY_REQUIRED = "Enter the cost resource profile."
ERR_PERIODIC_TOTAL = "Enter the profile's total cost in pounds, zero or more."
ERR_PERIODIC_NO_PROFILE = "Attach the cost resource profile before tabling it for the Board."
ERR_PERIODIC_CLOSES_IN_PAST = "The Board's decision must close after today."
ERR_PERIODIC_STEP = "This Periodic Instruction is {status}: it cannot be {action}."

# The workflow, one table: step -> (the statuses it may be taken from, the status it leads to).
PERIODIC_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "attach_profile": (frozenset({PeriodicInstructionStatus.REQUESTED}), PeriodicInstructionStatus.REQUESTED),
    "table": (frozenset({PeriodicInstructionStatus.REQUESTED}), PeriodicInstructionStatus.WITH_BOARD),
    "board_agrees": (frozenset({PeriodicInstructionStatus.WITH_BOARD}), PeriodicInstructionStatus.AGREED),
    "board_does_not_agree": (frozenset({PeriodicInstructionStatus.WITH_BOARD}), PeriodicInstructionStatus.REJECTED),
    "issue": (frozenset({PeriodicInstructionStatus.AGREED}), PeriodicInstructionStatus.ISSUED),
}
_STEP_ACTIONS = {
    "attach_profile": "given a cost resource profile", "table": "tabled for the Board",
    "board_agrees": "agreed", "board_does_not_agree": "refused", "issue": "issued",
}
# Our choice (paras 103-107 set none): the profile within 28 days of the request, as an impact assessment.
PERIODIC_PROFILE_DUE_DAYS = 28


def _step(instruction: PeriodicInstruction, name: str) -> None:
    # This workflow's refusals show the whole status label in lower case ("with the board"), as they always have.
    step(instruction, PERIODIC_STEPS, ERR_PERIODIC_STEP, name, _STEP_ACTIONS[name],
         status=instruction.get_status_display().lower())


def _locked_for(actor: Person, instruction: PeriodicInstruction) -> PeriodicInstruction:
    require(alliance_id_of(actor) == instruction.alliance_id, ERR_PERIODIC_OTHER_ALLIANCE)
    return PeriodicInstruction.objects.select_for_update(of=("self",)).select_related("alliance").get(
        pk=instruction.pk)


def _profile_obligations(instruction: PeriodicInstruction):
    return Obligation.objects.filter(
        subject_type=ContentType.objects.get_for_model(PeriodicInstruction), subject_id=instruction.pk,
        kind=ObligationKind.OTHER, paragraph="para 104", status=ObligationStatus.OPEN,
    )


@transaction.atomic
def periodic_instruction_request(
    *, actor: Person, period_start: dt.date, period_end: dt.date, scope: str,
) -> PeriodicInstruction:
    """The client instructs the Alliance Manager to produce the PMP cost resource profile for a period and a
    Scheme Scope (para 104); the Alliance Manager's obligation to produce it opens."""
    require(can_request_periodic_instruction(actor), ERR_PERIODIC_NOT_SRO)
    if period_end <= period_start:
        raise ValidationError({"period_end": [ERR_PERIODIC_PERIOD_ORDER]})
    if not scope.strip():
        raise ValidationError({"scope": [ERR_PERIODIC_SCOPE_REQUIRED]})
    alliance = Alliance.objects.get(pk=own_alliance_id(actor))
    instruction = PeriodicInstruction(alliance=alliance, period_start=period_start, period_end=period_end,
                                      scope=scope.strip(), requested_by=actor)
    save_with_reason(instruction, actor, "Cost resource profile requested")
    alliance_services.obligation_open(
        actor=actor, alliance=alliance, kind=ObligationKind.OTHER,
        title=f"PMP cost resource profile for {period_start:%-d %b %Y} to {period_end:%-d %b %Y}",
        start_date=local_today(), days=PERIODIC_PROFILE_DUE_DAYS, paragraph="para 104", subject=instruction,
        responsible_person=role_holder(alliance.pk, Role.ALLIANCE_MANAGER), by_workflow=True,
    )
    return instruction


@transaction.atomic
def periodic_profile_attach(
    *, actor: Person, instruction: PeriodicInstruction, summary: str, total: Decimal,
    document: UploadedFile | None = None,
) -> PeriodicInstruction:
    """The Alliance Manager attaches the PMP cost resource profile (para 104); it may be replaced until it is
    tabled. The first one meets the obligation to produce it."""
    require(can_prepare_periodic_instruction(actor), ERR_PERIODIC_NOT_AM)
    instruction = _locked_for(actor, instruction)
    _step(instruction, "attach_profile")
    if not summary.strip():
        raise ValidationError({"summary": [ERR_PERIODIC_SUMMARY_REQUIRED]})
    if total is None or total < 0:
        raise ValidationError({"total": [ERR_PERIODIC_TOTAL]})
    if document is not None:
        document.name = stored_name(document_content_type(document, field="document"))  # never the client's name
        instruction.profile_file = document
    instruction.profile_summary, instruction.profile_total = summary.strip(), total
    instruction.profile_by, instruction.profile_at = actor, timezone.now()
    save_with_reason(instruction, actor, "Cost resource profile attached")
    today = local_today()
    for obligation in _profile_obligations(instruction):
        alliance_services.obligation_meet(actor=actor, obligation=obligation, on=max(today, obligation.start_date),
                                          reason="Cost resource profile attached", by_workflow=True)
    return instruction


@transaction.atomic
def periodic_instruction_table(
    *, actor: Person, instruction: PeriodicInstruction, closes_at: dt.datetime | None = None,
) -> PeriodicInstruction:
    """The Alliance Manager tables the proposed Periodic Instruction for the Board's unanimous agreement
    (para 107), as a written resolution closing at ``closes_at`` (by default 17:00 in 14 days)."""
    require(can_prepare_periodic_instruction(actor), ERR_PERIODIC_NOT_AM)
    instruction = _locked_for(actor, instruction)
    _step(instruction, "table")
    if not instruction.profile_summary or instruction.profile_total is None:
        raise ValidationError(ERR_PERIODIC_NO_PROFILE)
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError({"closes_at": [ERR_PERIODIC_CLOSES_IN_PAST]})
    description = "\n\n".join([
        f"Proposed Periodic Instruction for the Production Management Partner, "
        f"{instruction.period_start:%-d %B %Y} to {instruction.period_end:%-d %B %Y}.",
        f"Scheme Scope: {instruction.scope}",
        f"Cost resource profile ({pounds(instruction.profile_total)}): {instruction.profile_summary}",
        "For: agree the Periodic Instruction, which the client then issues. Agreement must be unanimous "
        "(para 107).",
    ])
    # By default the written resolution closes at 17:00 BOARD_DAYS from today (governance.tabling).
    instruction.decision = put_to_board(
        actor=actor, subject=instruction, code="periodic-instruction",
        title=f"Periodic Instruction for the PMP, {instruction.period_start:%-d %b %Y} to "
              f"{instruction.period_end:%-d %b %Y}",
        description=description, closes_at=closes_at, field="closes_at",
    )
    save_with_reason(instruction, actor, "Tabled for the Board (para 107)")
    return instruction


def _on_board_outcome(instruction: PeriodicInstruction, decision: Decision) -> None:
    """The Board's decision on a Periodic Instruction closed: unanimous agreement or not (para 107)."""
    agreed = decision.outcome == Outcome.APPROVED
    _step(instruction, "board_agrees" if agreed else "board_does_not_agree")
    save_with_reason(instruction, decision.closed_by, "Agreed unanimously by the Board" if agreed else
          f"Not agreed by the Board ({decision.get_outcome_display().lower()})")


@transaction.atomic
def periodic_instruction_issue(*, actor: Person, instruction: PeriodicInstruction) -> PeriodicInstruction:
    """The client issues the Periodic Instruction the Board agreed (para 107, Clause Z20)."""
    require(can_issue_periodic_instruction(actor), ERR_PERIODIC_NOT_SRO)
    instruction = _locked_for(actor, instruction)
    _step(instruction, "issue")
    instruction.issued_by, instruction.issued_at = actor, timezone.now()
    save_with_reason(instruction, actor, "Issued by the client (para 107)")
    return instruction


# Registered in allocation/apps.py; governance calls the handler only while the instruction waits on its current
# decision.
BOARD_OUTCOMES = BoardOutcomes(
    PeriodicInstruction, waiting=PeriodicInstructionStatus.WITH_BOARD,
    handlers={"periodic-instruction": _on_board_outcome},
)
