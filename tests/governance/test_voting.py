"""Decisions and votes: one vote per organisation, who may vote, closing and freezing (paras 19, 35, 37)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation
from governance import outcomes, permissions
from governance.models.board import Authority, Capacity, Decision, DecisionType, Outcome, Vote
from governance.services import board as board_services
from governance.tasks import close_due_decisions
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.governance.conftest import VOTERS

pytestmark = pytest.mark.django_db


def _vote_obligations(decision):
    return Obligation.objects.filter(kind=ObligationKind.BOARD_VOTE, subject_id=decision.pk)


def test_tabling_asks_each_of_the_seven_organisations_to_vote(table):
    decision = table()
    obligations = _vote_obligations(decision)
    assert obligations.count() == 7
    assert {o.responsible_person.username for o in obligations} == set(VOTERS)
    assert all(o.title.startswith("Vote on “A key-person-appointment decision” by ") for o in obligations)
    assert decision.authority == Authority.MAJORITY and decision.rule_paragraph == "para 59"


def test_an_organisation_that_voted_is_no_longer_reminded(table, vote):
    decision = table()
    vote(decision, "wsp-rep", "for")
    statuses = dict(_vote_obligations(decision).values_list("responsible_organisation__slug", "status"))
    assert statuses["wsp"] == ObligationStatus.MET
    assert [s for slug, s in statuses.items() if slug != "wsp"] == [ObligationStatus.OPEN] * 6


def test_one_current_vote_per_organisation_and_a_change_keeps_the_earlier_in_history(table, vote):
    decision = table()
    vote(decision, "costain-rep", "for")
    vote(decision, "costain-rep", "against")
    assert Vote.objects.filter(decision=decision).count() == 1
    assert Vote.objects.get(decision=decision).choice == "against"
    assert list(Vote.history.filter(decision_id=decision.pk).order_by("history_date").values_list("choice", flat=True)) == [
        "for", "against"]


def test_the_database_holds_one_vote_per_organisation(table, people):
    decision = table()
    wsp = people["wsp-rep"]
    Vote.objects.create(decision=decision, organisation=wsp.organisation, choice="for", cast_by=wsp,
                        capacity=Capacity.REPRESENTATIVE, cast_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(decision=decision, organisation=wsp.organisation, choice="against", cast_by=wsp,
                            capacity=Capacity.REPRESENTATIVE, cast_at=timezone.now())


def test_a_joint_venture_has_one_vote(table, vote, people):
    # Table 2 note: a joint venture has one representative and one vote.
    decision = table()
    vote(decision, "bam-msjv-rep", "for")
    assert Vote.objects.filter(decision=decision, organisation__slug="bam-msjv").count() == 1
    assert people["bam-msjv-rep"].organisation.is_joint_venture


def test_a_vote_after_close_is_refused_and_changes_nothing(table, vote, people):
    decision = table()
    vote(decision, "sro", "for")
    board_services.decision_close(actor=people["sro"], decision=decision)
    with pytest.raises(ValidationError) as error:
        vote(decision, "wsp-rep", "for")
    assert error.value.messages == [board_services.ERR_DECISION_CLOSED]
    assert Vote.objects.filter(decision=decision).count() == 1


def test_a_vote_after_the_closing_time_is_refused_before_the_sweep_runs(table, vote):
    decision = table(closes_at=timezone.now() + dt.timedelta(hours=1))
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)), pytest.raises(ValidationError):
        vote(decision, "wsp-rep", "for")
    assert not Vote.objects.filter(decision=decision).exists()


def test_a_vote_for_another_organisation_is_refused(table, people):
    decision = table()
    with pytest.raises(PermissionDenied) as error:
        board_services.vote_cast(actor=people["wsp-rep"], decision=decision, choice="for",
                           organisation=Organisation.objects.get(slug="costain"))
    assert str(error.value) == permissions.ERR_OTHER_ORGANISATION
    assert not Vote.objects.exists()


@pytest.mark.parametrize("username", ["alliance-manager", "client-reviewer", "wsp-staff", "admin"])
def test_people_without_a_vote_are_refused(table, vote, username):
    # Table 2: the Alliance Manager and SMRs attend without a vote; staff are not on the Board.
    decision = table()
    with pytest.raises(PermissionDenied) as error:
        vote(decision, username, "for")
    assert str(error.value) == permissions.ERR_NOT_A_VOTER
    assert not Vote.objects.exists()


def test_a_vote_on_another_alliances_decision_is_refused(table):
    decision = table()
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    with pytest.raises(PermissionDenied):
        board_services.vote_cast(actor=outsider, decision=decision, choice="for")


def test_only_the_sro_decides_a_client_decision(table, vote):
    # para 19: funding is retained by the client.
    decision = table("funding")
    with pytest.raises(PermissionDenied) as error:
        vote(decision, "fluor-rep", "for")
    assert str(error.value) == permissions.ERR_CLIENT_ONLY
    assert _vote_obligations(decision).count() == 1  # only the SRO is asked
    vote(decision, "sro", "for")
    closed = board_services.decision_close(actor=None, decision=decision, automatic=True)
    assert closed.outcome == Outcome.APPROVED


def test_a_delegate_votes_only_when_named_by_the_representative(table, vote, people):
    # para 35: a partner whose representative cannot attend sends a delegate.
    decision = table()
    with pytest.raises(PermissionDenied) as error:
        vote(decision, "wsp-delegate", "for")
    assert str(error.value) == permissions.ERR_DELEGATE_WITHOUT_DELEGATION
    board_services.delegation_grant(actor=people["wsp-rep"], delegate=people["wsp-delegate"], decision=decision)
    vote(decision, "wsp-delegate", "for")
    cast = Vote.objects.get(decision=decision)
    assert (cast.cast_by.username, cast.capacity) == ("wsp-delegate", Capacity.DELEGATE)


def test_a_representative_cannot_name_another_organisations_delegate(table, people):
    decision = table()
    with pytest.raises(ValidationError):
        board_services.delegation_grant(actor=people["wsp-rep"], delegate=people["costain-delegate"], decision=decision)


def test_closing_freezes_outcome_and_tally_under_the_rule_it_was_opened_with(table, vote, people, board):
    decision = table()
    for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep"]:
        vote(decision, username, "for")
    # The matrix changes after tabling: the decision keeps its majority rule.
    row = DecisionType.objects.get(alliance=board, code="key-person-appointment")
    board_services.decision_type_save(actor=people["alliance-manager"], alliance=board, decision_type=row, code=row.code,
                                name=row.name, authority=Authority.UNANIMOUS, paragraph="para 59")
    closed = board_services.decision_close(actor=people["alliance-manager"], decision=decision)
    assert (closed.status, closed.outcome) == ("closed", Outcome.APPROVED)
    assert (closed.votes_for, closed.votes_against, closed.votes_abstain, closed.votes_missing) == (4, 0, 0, 3)
    assert row.history.count() == 2  # the matrix's versions are kept
    statuses = set(_vote_obligations(decision).values_list("status", flat=True))
    assert statuses == {ObligationStatus.MET, ObligationStatus.CANCELLED}


def test_a_closed_decision_is_immutable(table, people):
    decision = table()
    board_services.decision_close(actor=people["sro"], decision=decision)
    with pytest.raises(ValidationError) as error:
        board_services.decision_close(actor=people["sro"], decision=decision)
    assert error.value.messages == [board_services.ERR_ALREADY_CLOSED]


def test_only_the_chair_or_alliance_manager_closes_early(table, people):
    decision = table()
    with pytest.raises(PermissionDenied):
        board_services.decision_close(actor=people["wsp-rep"], decision=decision)


def test_decisions_close_at_their_closing_time_without_a_manual_step(table, vote):
    soon = table(closes_at=timezone.now() + dt.timedelta(minutes=5), title="Soon")
    later = table(title="Later")
    for username in VOTERS[:4]:
        vote(soon, username, "for")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert close_due_decisions() == 1
        assert close_due_decisions() == 0  # idempotent
    soon.refresh_from_db()
    later.refresh_from_db()
    assert (soon.status, soon.outcome, soon.closed_by) == ("closed", Outcome.APPROVED, None)
    assert later.status == "open"


def test_no_approval_required_is_recorded_without_a_vote(table):
    # Table 8: a commitment the lead partner delivers alone needs no approval.
    decision = table("commitment-lead-partner-only")
    assert (decision.status, decision.outcome) == ("closed", Outcome.APPROVED)
    assert not _vote_obligations(decision).exists()


def test_the_subjects_outcome_handler_runs_inside_the_closing_transaction(table, vote, people, monkeypatch):
    seen = []
    # In place of any real handler of the code, restored after the test (monkeypatch), never left unregistered.
    monkeypatch.setitem(outcomes._HANDLERS, "design-requirements", lambda d: seen.append((d.pk, d.outcome, d.status)))
    decision = table("design-requirements")
    for username in VOTERS:
        vote(decision, username, "for")
    board_services.decision_close(actor=people["sro"], decision=decision)
    assert seen == [(decision.pk, Outcome.APPROVED, "closed")]


def test_a_failing_outcome_handler_leaves_the_decision_open(table, people, monkeypatch):
    def fails(decision):
        raise RuntimeError("subject could not be updated")

    monkeypatch.setitem(outcomes._HANDLERS, "annual-metric-review", fails)
    decision = table("annual-metric-review")
    with pytest.raises(RuntimeError):
        board_services.decision_close(actor=people["sro"], decision=decision)
    decision.refresh_from_db()
    assert decision.status == "open"


def test_a_written_resolution_needs_a_future_closing_time(board, people):
    row = DecisionType.objects.get(alliance=board, code="design-requirements")
    with pytest.raises(ValidationError) as error:
        board_services.decision_table(actor=people["alliance-manager"], alliance=board, title="x", decision_type=row)
    assert error.value.message_dict == {"closes_at": [board_services.ERR_NEEDS_CLOSING_TIME]}
    with pytest.raises(ValidationError):
        board_services.decision_table(actor=people["alliance-manager"], alliance=board, title="x", decision_type=row,
                                closes_at=timezone.now() - dt.timedelta(minutes=1))
    assert not Decision.objects.exists()


@pytest.mark.parametrize("username", ["wsp-rep", "wsp-staff", "client-reviewer"])
def test_only_the_alliance_manager_or_sro_tables_decisions(board, people, username):
    row = DecisionType.objects.get(alliance=board, code="design-requirements")
    with pytest.raises(PermissionDenied):
        board_services.decision_table(actor=people[username], alliance=board, title="x", decision_type=row,
                                closes_at=timezone.now() + dt.timedelta(days=1))
