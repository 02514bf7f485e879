"""Client instructions on their contractual clocks (paras 20, 27-31; docs/domain.md sections 2 and 8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliance import services as alliance_services
from alliance.models import Obligation, ObligationKind, ObligationStatus, Role
from governance.models.board import Decision
from governance.models.instructions import (
    BoardRecommendation,
    ClientInstruction,
    ImpactAssessment,
    InstructionStage,
)
from governance.selectors import instructions as instructions_selectors
from governance.services import board as board_services
from governance.services import instructions as instructions_services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY
from tests.governance.conftest import VOTERS
from tests.pdf_samples import minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(board, people):
    def make(*, issued_on: dt.date = TODAY, ministerial: bool = False, title: str = "Add a gantry at J10"):
        return instructions_services.instruction_issue(actor=people["sro"], title=title, issued_on=issued_on,
                                          ministerial=ministerial, description="Install a signal gantry.")

    return make


@pytest.fixture
def assess(people):
    def make(instruction, **fields):
        return instructions_services.impact_assessment_submit(
            actor=people["alliance-manager"], instruction=instruction,
            summary=fields.pop("summary", "Recommend: proceed within the current programme."),
            cost_effect=Decimal("125000.00"), time_effect_days=14, risk_effect="Night closures", **fields,
        )

    return make


def _clocks(instruction):
    return list(Obligation.objects.filter(subject_id=instruction.pk, kind__in=[
        ObligationKind.IMPACT_ASSESSMENT, ObligationKind.BOARD_REVIEW]).order_by("start_date", "pk"))


def _close_with(decision: Decision, people, choice: str) -> Decision:
    for username in VOTERS:
        board_services.vote_cast(actor=people[username], decision=decision, choice=choice)
    return board_services.decision_close(actor=people["sro"], decision=decision)


# --- The clocks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("issued_on", "ministerial", "due_on"), [
    (dt.date(2026, 11, 20), False, dt.date(2026, 12, 18)),  # para 27: 28 calendar days
    (dt.date(2026, 11, 20), True, dt.date(2026, 12, 4)),    # para 31: 14 days when ministerial
    (dt.date(2026, 1, 31), False, dt.date(2026, 2, 28)),    # across a month end (February)
    (dt.date(2026, 1, 31), True, dt.date(2026, 2, 14)),
    (dt.date(2025, 12, 20), False, dt.date(2026, 1, 17)),   # across a year end
])
def test_issuing_starts_the_impact_assessment_clock_28_or_14_days(issue, issued_on, ministerial, due_on):
    instruction = issue(issued_on=issued_on, ministerial=ministerial)
    [clock] = _clocks(instruction)
    assert (clock.kind, clock.start_date, clock.due_date, clock.status) == (
        ObligationKind.IMPACT_ASSESSMENT, issued_on, due_on, ObligationStatus.OPEN)
    assert clock.paragraph == ("para 27, 31" if ministerial else "para 27")
    assert clock.responsible_person.username == "alliance-manager"  # who holds the clock is reminded
    assert instruction.stage == InstructionStage.PROPOSED and instruction.reference == "CI-001"


@pytest.mark.parametrize(("ministerial", "board_due"), [(False, dt.date(2027, 3, 2)), (True, dt.date(2027, 2, 16))])
def test_submitting_stops_the_first_clock_and_starts_the_boards_with_time_frozen_across_month_end(
        issue, assess, ministerial, board_due):
    """para 28: the Board has 28 days (14 ministerial, para 31) from the recommendation's submission."""
    instruction = issue(issued_on=dt.date(2026, 11, 23), ministerial=ministerial)
    with time_machine.travel(dt.datetime(2027, 2, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        instruction = assess(instruction)
    impact, board_clock = _clocks(instruction)
    assert impact.status == ObligationStatus.MET and impact.closed_on == dt.date(2027, 2, 2)
    assert (board_clock.kind, board_clock.start_date, board_clock.due_date) == (
        ObligationKind.BOARD_REVIEW, dt.date(2027, 2, 2), board_due)
    assert board_clock.responsible_person.username == "sro"  # the chair holds the Board's clock
    assert instruction.stage == InstructionStage.BOARD_REVIEW


def test_a_late_assessment_is_allowed_and_recorded_late_with_its_days(issue, assess):
    instruction = issue(issued_on=dt.date(2026, 10, 19))  # due 16 Nov: a week overdue on 23 Nov
    instruction = assess(instruction)
    clocks = instructions_selectors.instruction_clocks(instruction)
    assert clocks[0].met_on == TODAY and clocks[0].late_by_days == 7
    step = instructions_selectors.instruction_timeline(instruction, clocks)[1]
    assert (step.state, step.late_by_days) == ("late", 7)


def test_the_assessment_tables_a_board_decision_of_the_matrix_type_with_its_rule(board, issue, assess):
    instruction = assess(issue(ministerial=True))
    decision = instruction.decision
    assert decision.decision_type.code == "instruction-recommendation"
    assert decision.authority == "majority" and decision.rule_paragraph == "para 28"
    assert decision.subject == instruction
    closes = timezone.localtime(decision.closes_at)
    assert (closes.date(), closes.hour, closes.minute) == (dt.date(2026, 12, 7), 17, 0)  # due day, 17:00 London
    assert ImpactAssessment.objects.get(instruction=instruction).cost_effect == Decimal("125000.00")


# --- The Board's outcome moves the instruction (para 28) -----------------------------------------------------


def test_board_approval_sends_the_recommendation_to_the_client_and_meets_the_boards_clock(issue, assess, people):
    instruction = assess(issue())
    _close_with(instruction.decision, people, "for")
    instruction.refresh_from_db()
    assert instruction.stage == InstructionStage.CLIENT_REVIEW
    assert instruction.board_recommendation == BoardRecommendation.RECOMMENDATION
    assert all(c.status == ObligationStatus.MET for c in _clocks(instruction))


def test_board_not_approving_requests_a_change_event(issue, assess, people):
    instruction = assess(issue())
    _close_with(instruction.decision, people, "against")
    instruction.refresh_from_db()
    assert instruction.stage == InstructionStage.CLIENT_REVIEW
    assert instruction.board_recommendation == BoardRecommendation.CHANGE_EVENT


def test_the_decision_closing_by_itself_at_its_time_moves_the_instruction(issue, assess, people):
    instruction = assess(issue())
    for username in VOTERS[:4]:  # 4 of 7: a majority (para 17)
        board_services.vote_cast(actor=people[username], decision=instruction.decision, choice="for")
    with time_machine.travel(instruction.decision.closes_at + dt.timedelta(minutes=1)):
        assert board_services.decisions_close_due() == 1
    instruction.refresh_from_db()
    assert instruction.board_recommendation == BoardRecommendation.RECOMMENDATION


def test_a_decision_not_taken_leaves_it_with_the_board_to_table_again(board, issue, assess, people):
    meeting = board_services.meeting_schedule(actor=people["alliance-manager"], alliance=board, title="Board",
                                        location="Birmingham", starts_at=timezone.now() + dt.timedelta(days=2))
    other = assess(issue())
    # The recommendation is taken to a meeting which cannot go ahead without its chair (para 36).
    Decision.objects.filter(pk=other.decision.pk).update(meeting=meeting, closes_at=None)
    board_services.meeting_rearrange(actor=people["alliance-manager"], meeting=meeting,
                               starts_at=timezone.now() + dt.timedelta(days=9))
    other.refresh_from_db()
    assert other.decision.outcome == "not_taken" and other.stage == InstructionStage.BOARD_REVIEW
    retabled = instructions_services.instruction_board_retable(actor=people["alliance-manager"], instruction=other)
    assert retabled.decision_id != other.decision_id and retabled.decision.status == "open"
    board_clock = [c for c in _clocks(other) if c.kind == ObligationKind.BOARD_REVIEW]
    assert len(board_clock) == 1 and board_clock[0].status == ObligationStatus.OPEN  # still running


# --- The client and the instruction (paras 29, 30) ------------------------------------------------------------


def test_the_whole_path_from_issue_to_instruction(issue, assess, people):
    instruction = assess(issue(ministerial=True))
    _close_with(instruction.decision, people, "for")
    instruction = instructions_services.instruction_client_decide(actor=people["sro"], instruction=instruction, accept=True)
    assert instruction.stage == InstructionStage.ACCEPTED
    instruction = instructions_services.instruction_instruct(actor=people["alliance-manager"], instruction=instruction,
                                                instruction_text="Proceed with the gantry in the J10 package.")
    assert instruction.stage == InstructionStage.INSTRUCTED and instruction.is_closed
    states = [s.state for s in instructions_selectors.instruction_timeline(instruction, instructions_selectors.instruction_clocks(instruction))]
    assert states == ["done"] * 5
    users = [h.history_user.username for h in instruction.history.order_by("history_id")]
    assert users == ["sro", "alliance-manager", "sro", "sro", "alliance-manager"]  # who did each step


def test_a_client_rejection_closes_it_as_rejected_with_its_reason(issue, assess, people):
    instruction = assess(issue())
    _close_with(instruction.decision, people, "against")
    with pytest.raises(ValidationError) as refused:
        instructions_services.instruction_client_decide(actor=people["sro"], instruction=instruction, accept=False)
    assert instructions_services.ERR_INSTRUCTION_REASON_REQUIRED in str(refused.value)
    instruction = instructions_services.instruction_client_decide(actor=people["sro"], instruction=instruction, accept=False,
                                                     reason="Not affordable this year.")
    assert instruction.stage == InstructionStage.REJECTED and instruction.is_closed
    with pytest.raises(ValidationError, match="closed"):
        instructions_services.instruction_instruct(actor=people["alliance-manager"], instruction=instruction, instruction_text="x")


# --- Refusals: each changes nothing ----------------------------------------------------------------------


def _snapshot(instruction):
    instruction.refresh_from_db()
    return (instruction.stage, instruction.history.count(), Obligation.objects.count(), Decision.objects.count(),
            ImpactAssessment.objects.count())


@pytest.mark.parametrize("username", ["alliance-manager", "fluor-rep", "client-reviewer", "admin"])
def test_only_the_sro_issues_an_instruction(board, people, username):
    with pytest.raises(PermissionDenied, match="Only the SRO"):
        instructions_services.instruction_issue(actor=people[username], title="x", issued_on=TODAY)
    assert not ClientInstruction.objects.exists() and not Obligation.objects.filter(
        kind=ObligationKind.IMPACT_ASSESSMENT).exists()


def test_an_issue_date_in_the_future_is_refused(board, people):
    with pytest.raises(ValidationError, match="future"):
        instructions_services.instruction_issue(actor=people["sro"], title="x", issued_on=TODAY + dt.timedelta(days=1))
    assert not ClientInstruction.objects.exists()


@pytest.mark.parametrize("username", ["sro", "fluor-rep", "client-reviewer"])
def test_only_the_alliance_manager_submits_the_assessment(issue, assess, people, username):
    instruction = issue()
    before = _snapshot(instruction)
    with pytest.raises(PermissionDenied, match="Only the Alliance Manager"):
        instructions_services.impact_assessment_submit(actor=people[username], instruction=instruction, summary="x")
    assert _snapshot(instruction) == before


def test_submitting_twice_is_refused_and_changes_nothing(issue, assess):
    instruction = assess(issue())
    before = _snapshot(instruction)
    with pytest.raises(ValidationError) as refused:
        assess(instruction)
    assert refused.value.messages == [instructions_services.ERR_INSTRUCTION_ALREADY_ASSESSED.format(reference="CI-001")]
    assert _snapshot(instruction) == before


def test_an_assessment_without_text_or_dated_before_issue_is_refused(issue, assess):
    instruction = issue(issued_on=dt.date(2026, 11, 10))
    before = _snapshot(instruction)
    with pytest.raises(ValidationError, match="Enter the impact assessment"):
        assess(instruction, summary="  ")
    with pytest.raises(ValidationError, match="before the instruction was issued"):
        assess(instruction, submitted_on=dt.date(2026, 11, 9))
    with pytest.raises(ValidationError, match="future"):
        assess(instruction, submitted_on=TODAY + dt.timedelta(days=1))
    assert _snapshot(instruction) == before


def test_accepting_before_the_board_decided_is_refused_and_changes_nothing(issue, assess, people):
    instruction = assess(issue())
    before = _snapshot(instruction)
    with pytest.raises(ValidationError) as refused:
        instructions_services.instruction_client_decide(actor=people["sro"], instruction=instruction, accept=True)
    assert refused.value.messages == [instructions_services.ERR_INSTRUCTION_BOARD_NOT_DECIDED]
    assert _snapshot(instruction) == before


def test_instructing_before_the_client_accepted_is_refused(issue, assess, people):
    instruction = assess(issue())
    _close_with(instruction.decision, people, "for")
    before = _snapshot(instruction)
    with pytest.raises(ValidationError) as refused:
        instructions_services.instruction_instruct(actor=people["alliance-manager"], instruction=instruction, instruction_text="Go")
    assert refused.value.messages == [instructions_services.ERR_INSTRUCTION_NOT_ACCEPTED]
    assert _snapshot(instruction) == before


def test_only_the_sro_accepts_and_only_the_alliance_manager_instructs(issue, assess, people):
    instruction = assess(issue())
    _close_with(instruction.decision, people, "for")
    with pytest.raises(PermissionDenied):
        instructions_services.instruction_client_decide(actor=people["alliance-manager"], instruction=instruction, accept=True)
    instruction = instructions_services.instruction_client_decide(actor=people["sro"], instruction=instruction, accept=True)
    with pytest.raises(PermissionDenied):
        instructions_services.instruction_instruct(actor=people["sro"], instruction=instruction, instruction_text="Go")


def test_an_instruction_of_another_alliance_is_refused(issue, people):
    instruction = issue()
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))
    alliance_services.role_assign(person=outsider, role=Role.ALLIANCE_MANAGER)
    before = _snapshot(instruction)
    with pytest.raises(PermissionDenied, match="another alliance"):
        instructions_services.impact_assessment_submit(actor=outsider, instruction=instruction, summary="x")
    assert _snapshot(instruction) == before


def test_withdrawing_cancels_the_clock_and_only_before_assessment(issue, assess, people):
    instruction = issue()
    instructions_services.instruction_withdraw(actor=people["sro"], instruction=instruction, reason="Superseded by CI-002")
    instruction.refresh_from_db()
    assert instruction.stage == InstructionStage.WITHDRAWN
    assert [c.status for c in _clocks(instruction)] == [ObligationStatus.CANCELLED]
    assessed = assess(issue(title="Other"))
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        instructions_services.instruction_withdraw(actor=people["sro"], instruction=assessed, reason="x")


def test_a_document_must_be_a_pdf_or_office_file(issue, people):
    instruction = issue()
    with pytest.raises(ValidationError, match="PDF"):
        instructions_services.instruction_document_attach(actor=people["sro"], instruction=instruction,
                                             upload=SimpleUploadedFile("brief.pdf", b"plain text"))
    assert not instruction.documents.exists()
    instructions_services.instruction_document_attach(actor=people["sro"], instruction=instruction,
                                         upload=SimpleUploadedFile("brief.pdf", minimal_pdf()))
    assert instruction.documents.get().kind == "instruction"


def test_numbers_follow_in_order_of_issue(issue):
    assert [issue(title=str(i)).reference for i in range(3)] == ["CI-001", "CI-002", "CI-003"]


# --- The register -------------------------------------------------------------------------------------------


def test_the_register_puts_overdue_first_and_filters(issue, assess, people):
    on_time = issue(issued_on=dt.date(2026, 11, 20), title="On time")
    overdue = issue(issued_on=dt.date(2026, 10, 1), title="Overdue")
    ministerial = issue(issued_on=dt.date(2026, 11, 1), ministerial=True, title="Ministerial")  # due 15 Nov
    rows = list(instructions_selectors.instructions_register(people["alliance-manager"]))
    assert [r.title for r in rows] == ["Overdue", "Ministerial", "On time"]
    assert [r.is_overdue for r in rows] == [True, True, False]
    assert rows[0].clock_due_on == dt.date(2026, 10, 29)
    overdue_only = instructions_selectors.instructions_register(people["alliance-manager"], overdue=True)
    assert {r.pk for r in overdue_only} == {overdue.pk, ministerial.pk}
    assert [r.pk for r in instructions_selectors.instructions_register(people["sro"], ministerial=True)] == [ministerial.pk]
    assess(on_time)
    assert [r.pk for r in instructions_selectors.instructions_register(people["sro"], stage="board_review")] == [on_time.pk]


def test_partner_staff_do_not_see_the_register(issue, people):
    issue()
    assert not instructions_selectors.instructions_register(people["wsp-staff"]).exists()
    assert instructions_selectors.instructions_register(people["wsp-rep"]).count() == 1  # board members do
    assert instructions_selectors.instructions_register(people["client-reviewer"]).count() == 1


def test_the_demo_has_an_instruction_at_each_stage_one_overdue(board, people):
    from governance.demo import seed_instructions

    seed_instructions(board)
    seed_instructions(board)  # idempotent
    stages = sorted(ClientInstruction.objects.values_list("stage", flat=True))
    assert stages == ["board_review", "instructed", "proposed", "proposed"]
    assert instructions_selectors.instructions_register(people["alliance-manager"], overdue=True).count() == 1
