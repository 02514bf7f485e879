"""Periodic Instruction for the Production Management Partner (paras 103-107): the client asks for a cost
resource profile for a period and scope (para 104); the Alliance Manager attaches it; the Board agrees
unanimously; the client issues it (para 107)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.models import Obligation, ObligationStatus, Person
from allocation.models import PeriodicInstruction, PeriodicInstructionStatus
from allocation.selectors.periodic import periodic_instruction_obligations
from allocation.services import periodic as services
from governance.demo import seed_matrix
from governance.models import Decision
from governance.models.board import Outcome
from governance.services import board as governance_services
from tests.conftest import TODAY
from tests.pdf_samples import minimal_pdf

pytestmark = pytest.mark.django_db

PARTNERS = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
VOTERS = ["sro"] + [f"{p}-rep" for p in PARTNERS]
Q1 = (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
PDF = minimal_pdf()


@pytest.fixture
def board(smp):
    seed_matrix(smp)
    return smp


@pytest.fixture
def people(board) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation").all()}


@pytest.fixture
def requested(people) -> PeriodicInstruction:
    return services.periodic_instruction_request(actor=people["sro"], period_start=Q1[0], period_end=Q1[1],
                                                 scope="PMP work on RIS2 schemes at PCF stages 3 to 5")


def attach(people, instruction, **fields) -> PeriodicInstruction:
    return services.periodic_profile_attach(
        actor=people["alliance-manager"], instruction=instruction,
        summary=fields.pop("summary", "12 FTE programme controls, 4 FTE commercial"),
        total=fields.pop("total", Decimal("1250000.00")), **fields)


def tabled(people, instruction) -> PeriodicInstruction:
    return services.periodic_instruction_table(actor=people["alliance-manager"], instruction=attach(people, instruction))


def close_with(people, decision: Decision, choices: dict[str, str]) -> Decision:
    for username in VOTERS:
        governance_services.vote_cast(actor=people[username], decision=decision, choice=choices.get(username, "for"))
    return governance_services.decision_close(actor=people["sro"], decision=decision)


def _state():
    return (list(PeriodicInstruction.objects.values_list("pk", "status", "profile_total", "decision_id")),
            list(Obligation.objects.filter(paragraph="para 104").values_list("pk", "status")),
            Decision.objects.count())


def test_the_whole_path_request_profile_unanimous_board_then_issue(board, people, requested):
    """Paras 104 and 107: requested → profile attached → tabled → agreed unanimously → issued."""
    [clock] = periodic_instruction_obligations(requested)
    # Our choice: 28 days for the profile (paras 103-107 set no period); the Alliance Manager holds it.
    assert (clock.start_date, clock.due_date, clock.status) == (TODAY, dt.date(2026, 12, 21), ObligationStatus.OPEN)
    assert clock.responsible_person == people["alliance-manager"] and clock.paragraph == "para 104"
    profiled = attach(people, requested, document=SimpleUploadedFile("profile.pdf", PDF))
    assert profiled.status == PeriodicInstructionStatus.REQUESTED and profiled.profile_file
    clock.refresh_from_db()
    assert (clock.status, clock.closed_on) == (ObligationStatus.MET, TODAY)
    with_board = services.periodic_instruction_table(actor=people["alliance-manager"], instruction=profiled)
    assert with_board.status == PeriodicInstructionStatus.WITH_BOARD
    decision = with_board.decision
    assert decision.decision_type.code == "periodic-instruction" and decision.subject_id == with_board.pk
    assert close_with(people, decision, {}).outcome == Outcome.APPROVED
    with_board.refresh_from_db()
    assert with_board.status == PeriodicInstructionStatus.AGREED
    issued = services.periodic_instruction_issue(actor=people["sro"], instruction=with_board)
    assert issued.status == PeriodicInstructionStatus.ISSUED and issued.issued_by == people["sro"]
    assert list(issued.history.values_list("status", flat=True)) == [
        "issued", "agreed", "with_board", "requested", "requested"]


def test_one_against_means_not_agreed_unanimity(board, people, requested):
    """Para 107: the Board must agree unanimously; one partner against and it is not agreed."""
    instruction = tabled(people, requested)
    assert close_with(people, instruction.decision, {"wsp-rep": "against"}).outcome == Outcome.REJECTED
    instruction.refresh_from_db()
    assert instruction.status == PeriodicInstructionStatus.REJECTED
    with pytest.raises(ValidationError, match="not agreed by the board: it cannot be issued"):
        services.periodic_instruction_issue(actor=people["sro"], instruction=instruction)


def test_an_abstention_also_breaks_unanimity(board, people, requested):
    instruction = tabled(people, requested)
    close_with(people, instruction.decision, {"fluor-rep": "abstain"})
    instruction.refresh_from_db()
    assert instruction.status == PeriodicInstructionStatus.REJECTED


def test_a_decision_that_is_not_the_current_one_changes_nothing(board, people, requested):
    instruction = tabled(people, requested)
    PeriodicInstruction.objects.filter(pk=instruction.pk).update(decision=None)
    close_with(people, instruction.decision, {})
    instruction.refresh_from_db()
    assert instruction.status == PeriodicInstructionStatus.WITH_BOARD


@pytest.mark.parametrize("username", ["alliance-manager", "fluor-rep", "client-reviewer", "wsp-staff"])
def test_only_the_sro_requests(board, people, username):
    with pytest.raises(PermissionDenied, match=re.escape(services.ERR_PERIODIC_NOT_SRO)):
        services.periodic_instruction_request(actor=people[username], period_start=Q1[0], period_end=Q1[1],
                                              scope="x")
    assert _state() == ([], [], 0)


@pytest.mark.parametrize(("start", "end", "scope", "message"), [
    (Q1[1], Q1[0], "Scope", services.ERR_PERIODIC_PERIOD_ORDER),
    (Q1[0], Q1[0], "Scope", services.ERR_PERIODIC_PERIOD_ORDER),
    (Q1[0], Q1[1], "  ", services.ERR_PERIODIC_SCOPE_REQUIRED),
])
def test_a_request_needs_a_period_in_order_and_a_scope(board, people, start, end, scope, message):
    """Para 104: the instruction includes the relevant period of time and the relevant Scheme Scope."""
    with pytest.raises(ValidationError, match=re.escape(message)):
        services.periodic_instruction_request(actor=people["sro"], period_start=start, period_end=end, scope=scope)
    assert _state() == ([], [], 0)


def test_refusals_on_the_profile_change_nothing(board, people, requested):
    before = _state()
    with pytest.raises(PermissionDenied, match=re.escape(services.ERR_PERIODIC_NOT_AM)):
        services.periodic_profile_attach(actor=people["sro"], instruction=requested, summary="x", total=Decimal(1))
    with pytest.raises(ValidationError, match=re.escape(services.ERR_PERIODIC_SUMMARY_REQUIRED)):
        attach(people, requested, summary=" ")
    with pytest.raises(ValidationError, match=re.escape(services.ERR_PERIODIC_TOTAL)):
        attach(people, requested, total=Decimal("-1"))
    with pytest.raises(ValidationError, match="PDF, Word, Excel or PowerPoint"):
        attach(people, requested, document=SimpleUploadedFile("profile.exe", b"MZ\x90\x00binary"))
    assert _state() == before


def test_tabling_needs_the_profile_and_the_alliance_manager(board, people, requested):
    before = _state()
    with pytest.raises(ValidationError, match=re.escape(services.ERR_PERIODIC_NO_PROFILE)):
        services.periodic_instruction_table(actor=people["alliance-manager"], instruction=requested)
    assert _state() == before
    profiled = attach(people, requested)
    with pytest.raises(PermissionDenied, match=re.escape(services.ERR_PERIODIC_NOT_AM)):
        services.periodic_instruction_table(actor=people["sro"], instruction=profiled)
    instruction = services.periodic_instruction_table(actor=people["alliance-manager"], instruction=profiled)
    with pytest.raises(ValidationError, match="with the board: it cannot be tabled for the Board"):
        services.periodic_instruction_table(actor=people["alliance-manager"], instruction=instruction)
    with pytest.raises(ValidationError, match="with the board: it cannot be given a cost resource profile"):
        attach(people, instruction)


def test_only_the_sro_issues_and_only_once_agreed(board, people, requested):
    instruction = tabled(people, requested)
    with pytest.raises(ValidationError, match="with the board: it cannot be issued"):
        services.periodic_instruction_issue(actor=people["sro"], instruction=instruction)
    close_with(people, instruction.decision, {})
    instruction.refresh_from_db()
    with pytest.raises(PermissionDenied, match=re.escape(services.ERR_PERIODIC_NOT_SRO)):
        services.periodic_instruction_issue(actor=people["alliance-manager"], instruction=instruction)
    instruction.refresh_from_db()
    assert instruction.status == PeriodicInstructionStatus.AGREED


def test_the_demo_requests_one_for_the_next_quarter(board, people):
    from allocation.demo import seed_periodic

    seed_periodic(board)
    seed_periodic(board)
    [instruction] = PeriodicInstruction.objects.filter(alliance=board)
    assert (instruction.period_start, instruction.period_end, instruction.status) == (
        dt.date(2027, 1, 1), dt.date(2027, 3, 31), PeriodicInstructionStatus.REQUESTED)
