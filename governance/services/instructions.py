"""Writes of client instructions: from the client's proposed instruction to the Alliance's instruction.

Paras 20, 27-31 (docs/domain.md section 2). The two contractual clocks are Obligations whose subject is the
instruction: the impact assessment within 28 days of issue (para 27) and the Board's review within 28 days
of the recommendation (para 28), both 14 days for a ministerial instruction (para 31). Each step is a
service below; the stages it may start from are in ``INSTRUCTION_STEPS``, the one table of the workflow.

A step taken after its clock's due date is allowed (the contract has no other remedy) and recorded late:
the clock is met on the day the step was taken, so the timeline shows by how many days.

The Board's step: submitting the assessment tables a decision of the matrix type
``instruction-recommendation`` (para 28). Its outcome moves the instruction on: approved sends the
recommendation to the client; rejected means the Board did not approve the recommendation and asks the
client for a change event instead (our reading of para 28's "approve it or request a change event": a Board
decision has two outcomes). A decision "not taken" (its meeting went ahead without the chair) leaves the
instruction with the Board, its clock still running, and the Alliance Manager tables it again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import local_today
from alliance.documents import document_content_type, stored_name
from alliance.models import Alliance, Obligation, ObligationKind, Role
from alliance.money import pounds
from alliance.permissions import alliance_id_of
from alliance.workflow import require, save_with_reason
from governance import permissions
from governance.models.board import Decision, Outcome
from governance.models.instructions import (
    BoardRecommendation,
    ClientInstruction,
    ImpactAssessment,
    InstructionDocument,
    InstructionDocumentKind,
    InstructionStage,
)
from governance.outcomes import BoardOutcomes
from governance.selectors.instructions import instruction_clocks_open, role_holder
from governance.tabling import BOARD_CLOSING_HOUR, put_to_board

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.core.files.uploadedfile import UploadedFile

    from alliance.models import Person

ERR_INSTRUCTION_NOT_SRO = "Only the SRO can do that for the client (paras 20, 29)."
ERR_INSTRUCTION_NOT_AM = "Only the Alliance Manager can do that (paras 27, 30)."
ERR_INSTRUCTION_OTHER_ALLIANCE = "That instruction belongs to another alliance."
ERR_INSTRUCTION_TITLE_REQUIRED = "Enter the instruction's title."
ERR_INSTRUCTION_SUMMARY_REQUIRED = "Enter the impact assessment and the recommendation."
ERR_INSTRUCTION_DATE_IN_FUTURE = "The date cannot be in the future."
ERR_INSTRUCTION_DATE_BEFORE_ISSUE = "The impact assessment cannot be submitted before the instruction was issued."
ERR_INSTRUCTION_REASON_REQUIRED = "Enter the reason."
ERR_INSTRUCTION_TEXT_REQUIRED = "Enter what the Alliance is instructed to do."
ERR_INSTRUCTION_STEP = "{reference} is {stage}: it cannot be {action}."
ERR_INSTRUCTION_CLOSED = "{reference} is closed ({stage}): nothing more can be done on it."
ERR_INSTRUCTION_ALREADY_ASSESSED = "The impact assessment of {reference} has already been submitted."
ERR_INSTRUCTION_BOARD_NOT_DECIDED = (
    "The client accepts or rejects once the Board has approved the recommendation or a change event (para 29)."
)
ERR_INSTRUCTION_NOT_ACCEPTED = "The Alliance is instructed only once the client has accepted (para 30)."
ERR_INSTRUCTION_DECISION_OPEN = "The Board's decision on {reference} is still open."

# The workflow, one table: step -> (the stages it may be taken from, the stage it leads to).
INSTRUCTION_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "submit_assessment": (frozenset({InstructionStage.PROPOSED}), InstructionStage.BOARD_REVIEW),
    "retable": (frozenset({InstructionStage.BOARD_REVIEW}), InstructionStage.BOARD_REVIEW),
    "board_decides": (frozenset({InstructionStage.BOARD_REVIEW}), InstructionStage.CLIENT_REVIEW),
    "client_accepts": (frozenset({InstructionStage.CLIENT_REVIEW}), InstructionStage.ACCEPTED),
    "client_rejects": (frozenset({InstructionStage.CLIENT_REVIEW}), InstructionStage.REJECTED),
    "instruct": (frozenset({InstructionStage.ACCEPTED}), InstructionStage.INSTRUCTED),
    "withdraw": (frozenset({InstructionStage.PROPOSED}), InstructionStage.WITHDRAWN),
}
_STEP_ACTIONS = {
    "submit_assessment": "given an impact assessment",
    "retable": "tabled again at the Board",
    "board_decides": "decided by the Board",
    "client_accepts": "accepted",
    "client_rejects": "rejected",
    "instruct": "instructed",
    "withdraw": "withdrawn",
}
# What a wrong stage means for the common mistakes, in the words of the contract.
_OUT_OF_ORDER: dict[tuple[str, str], str] = {
    ("submit_assessment", InstructionStage.BOARD_REVIEW): ERR_INSTRUCTION_ALREADY_ASSESSED,
    ("submit_assessment", InstructionStage.CLIENT_REVIEW): ERR_INSTRUCTION_ALREADY_ASSESSED,
    ("submit_assessment", InstructionStage.ACCEPTED): ERR_INSTRUCTION_ALREADY_ASSESSED,
    ("client_accepts", InstructionStage.PROPOSED): ERR_INSTRUCTION_BOARD_NOT_DECIDED,
    ("client_accepts", InstructionStage.BOARD_REVIEW): ERR_INSTRUCTION_BOARD_NOT_DECIDED,
    ("client_rejects", InstructionStage.PROPOSED): ERR_INSTRUCTION_BOARD_NOT_DECIDED,
    ("client_rejects", InstructionStage.BOARD_REVIEW): ERR_INSTRUCTION_BOARD_NOT_DECIDED,
    ("instruct", InstructionStage.PROPOSED): ERR_INSTRUCTION_NOT_ACCEPTED,
    ("instruct", InstructionStage.BOARD_REVIEW): ERR_INSTRUCTION_NOT_ACCEPTED,
    ("instruct", InstructionStage.CLIENT_REVIEW): ERR_INSTRUCTION_NOT_ACCEPTED,
}
INSTRUCTION_DECISION_CODE = "instruction-recommendation"  # the Decision Matrix row (para 28)
CLOCK_TITLES: dict[str, str] = {
    ObligationKind.IMPACT_ASSESSMENT: "Impact assessment and recommendation on {reference}",
    ObligationKind.BOARD_REVIEW: "Board review of the recommendation on {reference}",
}


def _locked_for(actor: Person, instruction: ClientInstruction) -> ClientInstruction:
    """Re-read the instruction under a row lock after checking it is the actor's alliance's."""
    require(alliance_id_of(actor) == instruction.alliance_id, ERR_INSTRUCTION_OTHER_ALLIANCE)
    return ClientInstruction.objects.select_for_update(of=("self",)).select_related("alliance").get(pk=instruction.pk)


def _step(instruction: ClientInstruction, step: str) -> None:
    """Move the instruction by one step of ``INSTRUCTION_STEPS`` or refuse, saying why."""
    allowed_from, to = INSTRUCTION_STEPS[step]
    if instruction.stage not in allowed_from:
        stage = instruction.get_stage_display().lower()
        if instruction.is_closed:
            raise ValidationError(ERR_INSTRUCTION_CLOSED.format(reference=instruction.reference, stage=stage))
        message = _OUT_OF_ORDER.get((step, instruction.stage), ERR_INSTRUCTION_STEP)
        raise ValidationError(message.format(reference=instruction.reference, stage=stage, action=_STEP_ACTIONS[step]))
    instruction.stage = to


def _check_date(on: dt.date) -> None:
    if on > local_today():
        raise ValidationError({"on": [ERR_INSTRUCTION_DATE_IN_FUTURE]})


def _paragraph(instruction: ClientInstruction, para: str) -> str:
    return f"{para}, 31" if instruction.ministerial else para


def _open_clock(instruction: ClientInstruction, kind: str, *, start: dt.date, actor: Person | None, para: str,
                holder: Person | None) -> Obligation:
    return alliance_services.obligation_open(
        actor=actor, alliance=instruction.alliance, kind=kind,
        title=CLOCK_TITLES[kind].format(reference=instruction.reference) + f": {instruction.title}"[:200],
        start_date=start, days=instruction.period_days, paragraph=_paragraph(instruction, para), subject=instruction,
        responsible_person=holder, responsible_organisation=holder.organisation if holder else None,
    )


def _meet_clock(instruction: ClientInstruction, kind: str, *, actor: Person | None, on: dt.date, reason: str) -> None:
    for clock in instruction_clocks_open(instruction).filter(kind=kind):
        alliance_services.obligation_meet(actor=actor, obligation=clock, on=max(on, clock.start_date), reason=reason,
                                          by_workflow=True)


def _attach(instruction: ClientInstruction, actor: Person, upload: UploadedFile, kind: str) -> InstructionDocument:
    content_type = document_content_type(upload, field="document")
    title = (upload.name or "")[:200]
    upload.name = stored_name(content_type)  # on disk by a random name, never the client's
    return InstructionDocument.objects.create(
        instruction=instruction, kind=kind, title=title, file=upload, content_type=content_type,
        size=upload.size or 0, uploaded_by=actor,
    )


# --- The steps ---------------------------------------------------------------------------------------------


@transaction.atomic
def instruction_issue(
    *, actor: Person, title: str, issued_on: dt.date, ministerial: bool = False, description: str = "",
    documents: Sequence[UploadedFile] = (),
) -> ClientInstruction:
    """The client, through the SRO, issues a proposed instruction (para 20): the first clock starts (para 27)."""
    require(permissions.is_sro(actor), ERR_INSTRUCTION_NOT_SRO)
    if not title.strip():
        raise ValidationError({"title": [ERR_INSTRUCTION_TITLE_REQUIRED]})
    if issued_on > local_today():
        raise ValidationError({"issued_on": [ERR_INSTRUCTION_DATE_IN_FUTURE]})
    # Lock the alliance row: two instructions issued at once must not take the same number.
    alliance = Alliance.objects.select_for_update().get(pk=cast(int, alliance_id_of(actor)))  # the SRO's
    number = (ClientInstruction.objects.filter(alliance=alliance).aggregate(n=Max("number"))["n"] or 0) + 1
    instruction = ClientInstruction(
        alliance=alliance, number=number, title=title.strip(), description=description.strip(),
        issued_on=issued_on, ministerial=ministerial, issued_by=actor,
    )
    save_with_reason(instruction, actor, "Issued")
    for upload in documents:
        _attach(instruction, actor, upload, InstructionDocumentKind.INSTRUCTION)
    _open_clock(instruction, ObligationKind.IMPACT_ASSESSMENT, start=issued_on, actor=actor, para="para 27",
                holder=role_holder(alliance.pk, Role.ALLIANCE_MANAGER))
    return instruction


@transaction.atomic
def impact_assessment_submit(
    *, actor: Person, instruction: ClientInstruction, summary: str, cost_effect: Decimal | None = None,
    time_effect_days: int | None = None, risk_effect: str = "", document: UploadedFile | None = None,
    submitted_on: dt.date | None = None,
) -> ClientInstruction:
    """The Alliance Manager submits the impact assessment and recommendation to the Board (para 27).

    Stops the first clock, starts the Board's (para 28) and tables the Board's decision on it.
    """
    require(permissions.is_alliance_manager(actor), ERR_INSTRUCTION_NOT_AM)
    instruction = _locked_for(actor, instruction)
    _step(instruction, "submit_assessment")
    if not summary.strip():
        raise ValidationError({"summary": [ERR_INSTRUCTION_SUMMARY_REQUIRED]})
    submitted_on = submitted_on or local_today()
    _check_date(submitted_on)
    if submitted_on < instruction.issued_on:
        raise ValidationError({"submitted_on": [ERR_INSTRUCTION_DATE_BEFORE_ISSUE]})
    ImpactAssessment.objects.create(
        instruction=instruction, summary=summary.strip(), cost_effect=cost_effect, time_effect_days=time_effect_days,
        risk_effect=risk_effect.strip(), submitted_on=submitted_on, submitted_by=actor,
    )
    if document is not None:
        _attach(instruction, actor, document, InstructionDocumentKind.ASSESSMENT)
    _meet_clock(instruction, ObligationKind.IMPACT_ASSESSMENT, actor=actor, on=submitted_on,
                reason="Impact assessment and recommendation submitted to the Board")
    clock = _open_clock(instruction, ObligationKind.BOARD_REVIEW, start=submitted_on, actor=actor, para="para 28",
                        holder=role_holder(instruction.alliance_id, Role.SRO))
    instruction.decision = _table_board_decision(actor, instruction, clock.due_date)
    save_with_reason(instruction, actor, "Impact assessment submitted; with the Board")
    return instruction


def _board_closes_at(due: dt.date) -> dt.datetime:
    """17:00 (BOARD_CLOSING_HOUR) on the Board clock's due day; a recommendation recorded so late that this has passed closes a
    day from now, so that the Board can still vote (the clock shows it late)."""
    closes = timezone.make_aware(dt.datetime.combine(due, dt.time(BOARD_CLOSING_HOUR)))
    return max(closes, timezone.now() + dt.timedelta(days=1))


def _table_board_decision(actor: Person, instruction: ClientInstruction, due: dt.date) -> Decision:
    assessment = instruction.impact_assessment
    effects = [f"Cost: {pounds(assessment.cost_effect)}" if assessment.cost_effect is not None else "",
               f"Time: {assessment.time_effect_days} days" if assessment.time_effect_days is not None else "",
               f"Risk: {assessment.risk_effect}" if assessment.risk_effect else ""]
    description = "\n\n".join(part for part in [
        f"Proposed client instruction {instruction.reference}, issued {instruction.issued_on:%d %B %Y}"
        f"{' (ministerial)' if instruction.ministerial else ''}.",
        assessment.summary, "\n".join(e for e in effects if e),
        "For: approve the recommendation. Against: do not approve it and request a change event to the client "
        "(para 28).",
    ] if part)
    return put_to_board(
        actor=actor, subject=instruction, code=INSTRUCTION_DECISION_CODE,
        title=f"Recommendation on {instruction.reference}: {instruction.title}"[:300], description=description,
        closes_at=_board_closes_at(due),
    )


@transaction.atomic
def instruction_board_retable(*, actor: Person, instruction: ClientInstruction) -> ClientInstruction:
    """Table the recommendation again when the Board's decision was not taken (a meeting without its chair,
    para 36); the Board's clock keeps running from the submission."""
    require(permissions.is_alliance_manager(actor), ERR_INSTRUCTION_NOT_AM)
    instruction = _locked_for(actor, instruction)
    _step(instruction, "retable")
    if instruction.decision is not None and instruction.decision.outcome != Outcome.NOT_TAKEN:
        raise ValidationError(ERR_INSTRUCTION_DECISION_OPEN.format(reference=instruction.reference))
    board_clock = instruction_clocks_open(instruction).filter(kind=ObligationKind.BOARD_REVIEW).first()
    due = board_clock.due_date if board_clock else local_today()
    instruction.decision = _table_board_decision(actor, instruction, due)
    save_with_reason(instruction, actor, "Recommendation tabled again at the Board")
    return instruction


def _on_board_outcome(instruction: ClientInstruction, decision: Decision) -> None:
    """The Board's decision on a recommendation closed (para 28): its outcome moves the instruction on. Only
    the instruction's current decision, while it is with the Board, gets here (governance/outcomes.py): a
    decision superseded by a re-tabled one changes nothing."""
    if decision.outcome == Outcome.NOT_TAKEN:
        save_with_reason(instruction, decision.closed_by, "The Board's decision was not taken: to be tabled again")
        return
    _step(instruction, "board_decides")
    instruction.board_recommendation = (
        BoardRecommendation.RECOMMENDATION if decision.outcome == Outcome.APPROVED else BoardRecommendation.CHANGE_EVENT
    )
    instruction.board_decided_at = decision.closed_at
    decided_on = timezone.localtime(decision.closed_at).date()
    _meet_clock(instruction, ObligationKind.BOARD_REVIEW, actor=decision.closed_by, on=decided_on,
                reason=f"The Board decided: {instruction.get_board_recommendation_display().lower()}")
    save_with_reason(instruction, decision.closed_by, f"Board: {instruction.get_board_recommendation_display()}")


@transaction.atomic
def instruction_client_decide(
    *, actor: Person, instruction: ClientInstruction, accept: bool, reason: str = ""
) -> ClientInstruction:
    """The client, through the SRO, accepts or rejects the recommendation or change event (para 29)."""
    require(permissions.is_sro(actor), ERR_INSTRUCTION_NOT_SRO)
    instruction = _locked_for(actor, instruction)
    _step(instruction, "client_accepts" if accept else "client_rejects")
    if not accept and not reason.strip():
        raise ValidationError({"reason": [ERR_INSTRUCTION_REASON_REQUIRED]})
    instruction.client_decided_at, instruction.client_decided_by = timezone.now(), actor
    instruction.client_reason = reason.strip()
    save_with_reason(instruction, actor, "Accepted by the client" if accept else "Rejected by the client")
    return instruction


@transaction.atomic
def instruction_instruct(*, actor: Person, instruction: ClientInstruction, instruction_text: str) -> ClientInstruction:
    """The Alliance Manager instructs the Alliance as per the outcome (para 30); the instruction is closed."""
    require(permissions.is_alliance_manager(actor), ERR_INSTRUCTION_NOT_AM)
    instruction = _locked_for(actor, instruction)
    _step(instruction, "instruct")
    if not instruction_text.strip():
        raise ValidationError({"instruction_text": [ERR_INSTRUCTION_TEXT_REQUIRED]})
    instruction.instructed_at, instruction.instructed_by = timezone.now(), actor
    instruction.instruction_text = instruction_text.strip()
    save_with_reason(instruction, actor, "The Alliance is instructed")
    return instruction


@transaction.atomic
def instruction_withdraw(*, actor: Person, instruction: ClientInstruction, reason: str) -> ClientInstruction:
    """The client withdraws a proposed instruction before it is assessed; its clock is cancelled."""
    require(permissions.is_sro(actor), ERR_INSTRUCTION_NOT_SRO)
    instruction = _locked_for(actor, instruction)
    _step(instruction, "withdraw")
    if not reason.strip():
        raise ValidationError({"reason": [ERR_INSTRUCTION_REASON_REQUIRED]})
    instruction.withdrawn_reason = reason.strip()
    for clock in instruction_clocks_open(instruction):
        alliance_services.obligation_cancel(actor=actor, obligation=clock, reason=f"Withdrawn: {reason.strip()}",
                                            by_workflow=True)
    save_with_reason(instruction, actor, "Withdrawn by the client")
    return instruction


@transaction.atomic
def instruction_document_attach(*, actor: Person, instruction: ClientInstruction, upload: UploadedFile) -> InstructionDocument:
    """The SRO adds a document to the proposed instruction, the Alliance Manager to the assessment."""
    if permissions.is_sro(actor):
        kind = InstructionDocumentKind.INSTRUCTION
    elif permissions.is_alliance_manager(actor):
        kind = InstructionDocumentKind.ASSESSMENT
    else:
        raise PermissionDenied("Only the SRO or the Alliance Manager can attach documents to an instruction.")
    instruction = _locked_for(actor, instruction)
    if instruction.is_closed:
        raise ValidationError(ERR_INSTRUCTION_CLOSED.format(reference=instruction.reference,
                                                            stage=instruction.get_stage_display().lower()))
    return _attach(instruction, actor, upload, kind)


# What the Board's decisions on recommendations do (registered in governance/apps.py).
BOARD_OUTCOMES = BoardOutcomes(
    ClientInstruction, waiting=lambda instruction: instruction.stage == InstructionStage.BOARD_REVIEW,
    handlers={INSTRUCTION_DECISION_CODE: _on_board_outcome}, select_related=("alliance",),
)
