"""Reads of client instructions: the register, an instruction's clocks and its timeline (paras 27-31).

The register is read in a constant number of queries whatever the number of instructions: the current
clock is annotated by a subquery and the clocks of a page are fetched in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from alliance.dates import local_today
from alliance.models import Obligation, ObligationKind, ObligationStatus, Person, RoleAssignment
from alliance.permissions import alliance_id_of
from governance import permissions
from governance.models.instructions import ClientInstruction, InstructionDocument, InstructionStage

if TYPE_CHECKING:
    from collections.abc import Iterable

CLOCK_NAMES: dict[str, str] = {
    ObligationKind.IMPACT_ASSESSMENT: "Impact assessment and recommendation",
    ObligationKind.BOARD_REVIEW: "Board review of the recommendation",
}
_CLOCK_KINDS = tuple(CLOCK_NAMES)


@dataclass(frozen=True)
class Clock:
    """One contractual clock of an instruction, as the register, the page and the API show it."""

    obligation_id: int
    kind: str
    name: str
    paragraph: str
    started_on: dt.date
    due_on: dt.date
    met_on: dt.date | None
    status: str  # open, met, cancelled

    def days_left(self, today: dt.date) -> int | None:
        return (self.due_on - today).days if self.status == ObligationStatus.OPEN else None

    @property
    def late_by_days(self) -> int | None:
        """Days late when it was met after its due date (a late step is allowed but recorded as late)."""
        if self.met_on is None:
            return None
        return max(0, (self.met_on - self.due_on).days)

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == ObligationStatus.OPEN and self.due_on < today


def role_holder(alliance_id: int, role: str) -> Person | None:
    """The person holding a one-per-alliance role (the SRO, the Alliance Manager), if anyone does."""
    assignment = (RoleAssignment.objects.filter(organisation__alliance_id=alliance_id, role=role)
                  .select_related("person__organisation").order_by("pk").first())
    return assignment.person if assignment else None


def _instruction_type() -> ContentType:
    return ContentType.objects.get_for_model(ClientInstruction)


def _clocks_of(ids: Iterable[int]) -> QuerySet[Obligation]:
    return Obligation.objects.filter(subject_type=_instruction_type(), subject_id__in=list(ids), kind__in=_CLOCK_KINDS)


def instruction_clocks_open(instruction: ClientInstruction) -> QuerySet[Obligation]:
    return _clocks_of([instruction.pk]).filter(status=ObligationStatus.OPEN).order_by("start_date", "pk")


def _clock(obligation: Obligation) -> Clock:
    return Clock(
        obligation_id=obligation.pk, kind=obligation.kind, name=CLOCK_NAMES[obligation.kind],
        paragraph=obligation.paragraph, started_on=obligation.start_date, due_on=obligation.due_date,
        met_on=obligation.closed_on if obligation.status == ObligationStatus.MET else None, status=obligation.status,
    )


def instructions_clocks_by_id(ids: Iterable[int]) -> dict[int, list[Clock]]:
    """The clocks of many instructions in one query, in the order they started."""
    clocks: dict[int, list[Clock]] = defaultdict(list)
    for obligation in _clocks_of(ids).order_by("subject_id", "start_date", "pk"):
        clocks[obligation.subject_id or 0].append(_clock(obligation))  # every clock has its instruction
    return clocks


def instruction_clocks(instruction: ClientInstruction) -> list[Clock]:
    return instructions_clocks_by_id([instruction.pk]).get(instruction.pk, [])


def instructions_register(
    user: Person,
    *,
    stage: str | None = None,
    overdue: bool | None = None,
    ministerial: bool | None = None,
    today: dt.date | None = None,
) -> QuerySet[ClientInstruction]:
    """The instructions of the user's alliance, annotated with their current clock (the open one).

    Each row carries ``clock_kind``, ``clock_due_on`` and ``is_overdue``; overdue ones come first, then the
    soonest due, then the most recently issued.
    """
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not permissions.can_view_instructions(user):
        return ClientInstruction.objects.none()
    today = today or local_today()
    open_clock = Obligation.objects.filter(
        subject_type=_instruction_type(), subject_id=OuterRef("pk"), kind__in=_CLOCK_KINDS, status=ObligationStatus.OPEN,
    ).order_by("due_date", "pk")
    qs = (
        ClientInstruction.objects.filter(alliance_id=alliance_id)
        .annotate(
            clock_kind=Subquery(open_clock.values("kind")[:1]),
            clock_due_on=Subquery(open_clock.values("due_date")[:1]),
            is_overdue=Exists(open_clock.filter(due_date__lt=today)),
        )
    )
    if stage:
        qs = qs.filter(stage=stage)
    if overdue is not None:
        qs = qs.filter(is_overdue=overdue)
    if ministerial is not None:
        qs = qs.filter(ministerial=ministerial)
    return qs.order_by("-is_overdue", F("clock_due_on").asc(nulls_last=True), "-issued_on", "-number")


def instruction_for(user: Person, pk: int) -> ClientInstruction:
    """An instruction of the user's alliance that the user may see, else 404."""
    if not permissions.can_view_instructions(user):
        raise Http404("No such instruction.")
    alliance_id = alliance_id_of(user)
    instruction = (ClientInstruction.objects.filter(alliance_id=alliance_id, pk=pk)
                   .select_related("issued_by", "decision", "client_decided_by", "instructed_by").first()
                   if alliance_id is not None else None)
    if instruction is None:
        raise Http404("No such instruction.")
    return instruction


def instruction_documents(instruction: ClientInstruction) -> list[InstructionDocument]:
    return list(instruction.documents.select_related("uploaded_by"))


def instruction_document_for(user: Person, pk: int) -> InstructionDocument:
    document = InstructionDocument.objects.select_related("instruction").filter(pk=pk).first()
    if document is None or not permissions.can_view_instructions(user, document.instruction.alliance_id):
        raise Http404("No such document.")
    return document


def instruction_history(instruction: ClientInstruction) -> list:
    return list(instruction.history.select_related("history_user").order_by("-history_date", "-history_id")[:100])


@dataclass(frozen=True)
class TimelineStep:
    """A step of the instruction's path, against its due date where the contract sets one."""

    label: str
    paragraph: str
    due_on: dt.date | None
    done_on: dt.date | None
    by: Person | None
    note: str
    state: str  # done, late, open, overdue, waiting, skipped

    @property
    def late_by_days(self) -> int | None:
        if self.done_on and self.due_on and self.done_on > self.due_on:
            return (self.done_on - self.due_on).days
        return None


def _state(done_on, due_on, today, reached: bool) -> str:
    if done_on is not None:
        return "late" if due_on and done_on > due_on else "done"
    if not reached:
        return "waiting"
    return "overdue" if due_on and due_on < today else "open"


def instruction_timeline(instruction: ClientInstruction, clocks: list[Clock], *, today: dt.date | None = None) -> list[TimelineStep]:
    """Issue, assessment, Board, client and instruction, each with who, when and its due date (paras 27-30)."""
    today = today or local_today()
    stage = instruction.stage
    by_kind = {}
    for clock in clocks:  # the latest clock of each kind
        by_kind[clock.kind] = clock
    assessment = getattr(instruction, "impact_assessment", None)  # the reverse one-to-one raises when absent
    impact, board = by_kind.get(ObligationKind.IMPACT_ASSESSMENT), by_kind.get(ObligationKind.BOARD_REVIEW)
    closed_early = stage == InstructionStage.WITHDRAWN
    steps = [TimelineStep("Proposed instruction issued by the client", "para 20", None, instruction.issued_on,
                          instruction.issued_by, "Ministerial: 14-day clocks (para 31)" if instruction.ministerial else "",
                          "done")]
    steps.append(TimelineStep(
        "Impact assessment and recommendation submitted to the Board", impact.paragraph if impact else "para 27",
        impact.due_on if impact else None, assessment.submitted_on if assessment else None,
        assessment.submitted_by if assessment else None, "",
        "skipped" if closed_early and not assessment else _state(assessment.submitted_on if assessment else None,
                                                                 impact.due_on if impact else None, today, True),
    ))
    board_done = timezone.localtime(instruction.board_decided_at).date() if instruction.board_decided_at else None
    steps.append(TimelineStep(
        "The Board approves the recommendation or requests a change event", board.paragraph if board else "para 28",
        board.due_on if board else None, board_done, None,
        instruction.get_board_recommendation_display() if instruction.board_recommendation else "",
        "skipped" if closed_early else _state(board_done, board.due_on if board else None, today, board is not None),
    ))
    client_done = timezone.localtime(instruction.client_decided_at).date() if instruction.client_decided_at else None
    client_note = ""
    if instruction.client_decided_at:
        client_note = "Accepted" if stage in (InstructionStage.ACCEPTED, InstructionStage.INSTRUCTED) else "Rejected"
        if instruction.client_reason:
            client_note += f": {instruction.client_reason}"
    steps.append(TimelineStep(
        "The client accepts or rejects", "para 29", None, client_done, instruction.client_decided_by, client_note,
        "skipped" if closed_early else _state(client_done, None, today, bool(instruction.board_recommendation)),
    ))
    instructed_done = timezone.localtime(instruction.instructed_at).date() if instruction.instructed_at else None
    steps.append(TimelineStep(
        "The Alliance Manager instructs the Alliance", "para 30", None, instructed_done, instruction.instructed_by,
        instruction.instruction_text,
        "skipped" if stage in (InstructionStage.REJECTED, InstructionStage.WITHDRAWN)
        else _state(instructed_done, None, today, stage in (InstructionStage.ACCEPTED, InstructionStage.INSTRUCTED)),
    ))
    return steps
