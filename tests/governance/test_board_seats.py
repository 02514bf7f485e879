"""Seats on the Alliance Board follow membership (paras 12, 35, 37, 95-98): the Board is the Alliance's members on
the day. A terminated partner votes until the day before its termination's effective date, then has no vote and no
Board duties (its history stays); a newly procured partner votes from its start date; open decisions count and
tally the members of the day."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from alliance.models import (
    Lot,
    Obligation,
    ObligationKind,
    ObligationStatus,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from alliance.services import role_assign
from allocation.services import membership as membership_services
from config.celery import app
from governance import permissions
from governance.models.board import AttendanceStatus, Capacity, Decision, Outcome, Vote
from governance.selectors import board as board_selectors
from governance.services import board as board_services
from governance.tasks import sync_board_seats
from tests.alliance.factories import PersonFactory
from tests.conftest import TODAY
from tests.governance.conftest import VOTERS

pytestmark = pytest.mark.django_db

REMAINING = [v for v in VOTERS if v != "wsp-rep"]


def _terminate(people, slug: str = "wsp", effective_on: dt.date = TODAY, *, apply: bool = True):
    """The SRO records a partner's termination (and, when effective, applies its reallocation, para 96)."""
    change = membership_services.membership_termination_record(
        actor=people["sro"], organisation=Organisation.objects.get(slug=slug), effective_on=effective_on,
        reason="Terminated under the conditions of contract")
    if apply:
        change = membership_services.membership_change_apply(actor=people["sro"], change=change)
    return change


def _fresh(username: str) -> Person:
    """The person as the next request loads them, with their organisation's membership dates as they are now."""
    return Person.objects.select_related("organisation").get(username=username)


def _vote_obligation(decision: Decision, slug: str) -> Obligation:
    return Obligation.objects.filter(kind=ObligationKind.BOARD_VOTE, subject_id=decision.pk,
                                     responsible_organisation__slug=slug).latest("pk")


def _travel(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC), tick=True)


def test_after_a_termination_is_applied_its_representative_and_delegate_cannot_vote(table, vote, people):
    """Paras 12, 95-96: a terminated partner is no longer a member, so it has no seat and no vote."""
    decision = table()
    board_services.delegation_grant(actor=people["wsp-rep"], delegate=people["wsp-delegate"], decision=decision)
    _terminate(people)
    expected = permissions.ERR_NO_SEAT.format(
        organisation="WSP", day=f"{TODAY:%-d %B %Y}",
        reason=f"ended on {TODAY:%-d %B %Y}, its termination's effective date")
    for username in ("wsp-rep", "wsp-delegate"):
        with pytest.raises(PermissionDenied, match=re.escape(expected)):
            vote(decision, username, "for")
    assert not Vote.objects.filter(decision=decision).exists()
    assert board_selectors.vote_refusal(_fresh("wsp-rep"), decision) == expected
    # Nor can its representative name a delegate for it any more: it has no vote to hand on (para 35).
    with pytest.raises(PermissionDenied, match=re.escape("WSP has no seat on the Alliance Board")):
        board_services.delegation_grant(actor=people["wsp-rep"], delegate=people["wsp-delegate"], decision=decision)


def test_a_unanimous_decision_passes_with_six_for_of_the_six_remaining_members(table, vote, people):
    """Para 37: unanimous = every current voting member For. Tabled before the termination, decided after."""
    decision = table("periodic-instruction")
    _terminate(people)
    for username in REMAINING:
        vote(decision, username, "for")
    closed = board_services.decision_close(actor=people["alliance-manager"], decision=decision)
    assert closed.outcome == Outcome.APPROVED
    assert (closed.votes_for, closed.votes_against, closed.votes_abstain, closed.votes_missing) == (6, 0, 0, 0)


def test_without_the_termination_six_for_of_seven_is_not_unanimous(table, vote, people):
    """The rule the termination fixes (para 37): with WSP still a member, its missing vote blocks unanimity."""
    decision = table("periodic-instruction")
    for username in REMAINING:
        vote(decision, username, "for")
    assert board_services.decision_close(actor=people["alliance-manager"], decision=decision).outcome == Outcome.REJECTED


def test_the_majority_threshold_is_recomputed_over_the_current_members_and_old_votes_stay_in_history(
        table, vote, people):
    """Para 37: majority = more than half of the current voting members. WSP's For, cast while a member, stays in
    the record and its history but no longer counts: three For of six is not a majority."""
    decision = table()  # key-person-appointment: majority
    for username in ("wsp-rep", "sro", "fluor-rep", "jacobs-rep"):
        vote(decision, username, "for")
    assert board_selectors.decision_tally(decision).votes_for == 4
    _terminate(people)
    live = Decision.objects.get(pk=decision.pk)
    assert board_selectors.decision_tally(live).as_dict() == {"for": 3, "against": 0, "abstain": 0, "not_voted": 3}
    closed = board_services.decision_close(actor=people["alliance-manager"], decision=live)
    assert closed.outcome == Outcome.REJECTED and (closed.votes_for, closed.votes_missing) == (3, 3)
    assert Vote.objects.filter(decision=decision, organisation__slug="wsp", choice="for").exists()
    assert Vote.history.filter(decision_id=decision.pk, organisation__slug="wsp").count() == 1


def test_a_decision_closed_before_the_termination_keeps_the_terminated_partner_in_its_ballot(table, vote, people):
    """The history stays (paras 33, 95): the ballot and the minutes of an earlier decision still show WSP."""
    decision = table()
    vote(decision, "wsp-rep", "against")
    board_services.decision_close(actor=people["alliance-manager"], decision=decision)
    _terminate(people)
    closed = Decision.objects.get(pk=decision.pk)
    ballot = {row["organisation"].slug: row["vote"] for row in board_selectors.decision_ballot(closed, list(closed.votes.all()))}
    assert len(ballot) == 7 and ballot["wsp"].choice == "against"
    assert board_selectors.decision_tally(closed).as_dict() == {"for": 0, "against": 1, "abstain": 0, "not_voted": 6}


def test_with_two_partners_terminated_three_for_of_five_is_a_majority(table, vote, people):
    """Para 37 with five members left: more than half of five is three."""
    decision = table()
    _terminate(people, "wsp")
    _terminate(people, "costain")
    for username in ("sro", "fluor-rep", "jacobs-rep"):
        vote(decision, username, "for")
    assert [o.slug for o in board_selectors.voters_of(decision)] == [
        "national-highways", "fluor", "jacobs", "bam-msjv", "balfour-beatty"]
    closed = board_services.decision_close(actor=people["alliance-manager"], decision=decision)
    assert closed.outcome == Outcome.APPROVED and (closed.votes_for, closed.votes_missing) == (3, 2)


def test_a_terminated_partners_vote_obligations_are_cancelled_with_the_reason(table, people):
    """Paras 95-96: no Board duties from the effective date; the other members are still asked (para 37)."""
    first, second = table(), table("maturity-plan")
    _terminate(people, apply=False)  # recording it is enough: the termination takes effect on its date
    for decision in (first, second):
        obligation = _vote_obligation(decision, "wsp")
        assert obligation.status == ObligationStatus.CANCELLED
        assert obligation.history.latest().history_change_reason == (
            f"No vote: its seat on the Board ended on {TODAY:%-d %B %Y} (termination, paras 95-96)")
        others = Obligation.objects.filter(kind=ObligationKind.BOARD_VOTE, subject_id=decision.pk,
                                           status=ObligationStatus.OPEN)
        assert others.count() == 6
    # A decision tabled after the termination asks only the six members.
    later = table()
    assert set(Obligation.objects.filter(kind=ObligationKind.BOARD_VOTE, subject_id=later.pk)
               .values_list("responsible_person__username", flat=True)) == set(REMAINING)
    # The sync is idempotent: running it again changes nothing.
    assert board_services.board_seats_sync(actor=None, alliance_id=first.alliance_id) == {"cancelled": 0, "opened": 0}


def test_the_home_page_decisions_to_vote_on_leave_out_a_terminated_partner(table, people, client_for):
    decision = table()
    assert board_selectors.decisions_awaiting_vote(people["wsp-rep"]) == [decision]
    _terminate(people)
    assert board_selectors.decisions_awaiting_vote(_fresh("wsp-rep")) == []
    assert board_selectors.decisions_awaiting_vote(people["jacobs-rep"]) == [decision]
    page = client_for(_fresh("wsp-rep")).get("/").content.decode()
    panel = page.split('data-testid="panel-votes"')[1].split("</section>")[0]
    assert decision.title not in panel
    assert "Your organisation has no seat on the Alliance Board today (paras 12, 95-98)." in panel
    assert _vote_obligation(decision, "wsp").status == ObligationStatus.CANCELLED


def test_a_future_dated_termination_keeps_the_seat_until_that_day(table, vote, people):
    """Paras 95-96: the seat ends on the effective date, not when the termination is recorded. On the day, who
    votes is read from the dates at once; the daily sweep then cancels the partner's vote obligations."""
    effective = TODAY + dt.timedelta(days=5)
    early = table(closes_at=timezone.now() + dt.timedelta(days=3))  # voting closes before the termination
    late = table("periodic-instruction", closes_at=timezone.now() + dt.timedelta(days=10))
    _terminate(people, effective_on=effective, apply=False)
    vote(early, "wsp-rep", "for")  # still a member today
    assert "wsp" in [o.slug for o in board_selectors.voting_organisations(late.alliance_id)]
    assert sync_board_seats() == 0
    assert _vote_obligation(late, "wsp").status == ObligationStatus.OPEN
    with _travel(effective - dt.timedelta(days=1)):
        assert board_selectors.vote_refusal(people["wsp-rep"], late) is None
    with _travel(effective):
        with pytest.raises(PermissionDenied, match="WSP has no seat on the Alliance Board"):
            vote(late, "wsp-rep", "for")
        assert "wsp" not in [o.slug for o in board_selectors.voters_of(late)]
        assert sync_board_seats() == 1
        assert _vote_obligation(late, "wsp").status == ObligationStatus.CANCELLED
        assert sync_board_seats() == 0  # idempotent
        # The decision whose voting closed before the effective date counts the members of its closing day.
        board_services.decisions_close_due()
        early.refresh_from_db()
        assert early.votes_for == 1 and early.votes_missing == 6
        # Six For of the six members now carries the unanimous decision (para 37).
        for username in REMAINING:
            vote(late, username, "for")
        assert board_services.decision_close(actor=people["sro"], decision=late).outcome == Outcome.APPROVED


def test_a_withdrawn_termination_restores_the_seat_and_asks_for_the_vote_again(table, vote, people):
    decision = table()
    change = _terminate(people, apply=False)
    assert _vote_obligation(decision, "wsp").status == ObligationStatus.CANCELLED
    membership_services.membership_change_withdraw(actor=people["sro"], change=change, reason="Settled")
    assert Organisation.objects.get(slug="wsp").member_until is None
    assert _vote_obligation(decision, "wsp").status == ObligationStatus.OPEN
    vote(decision, "wsp-rep", "for")
    assert _vote_obligation(decision, "wsp").status == ObligationStatus.MET


@pytest.fixture
def newcomer(board, people):
    """A newly procured Lot 2 South partner, created by an administrator to start in three days (para 98)."""
    _terminate(people)
    organisation = Organisation.objects.create(
        alliance=board, slug="arup", name="Arup", kind=OrganisationKind.PARTNER,
        lot=Lot.objects.get(alliance=board, number=2), area="south", member_since=TODAY + dt.timedelta(days=3))
    rep = PersonFactory(username="arup-rep", organisation=organisation)
    role_assign(person=rep, role=Role.BOARD_REPRESENTATIVE)
    people["arup-rep"] = rep
    return organisation


def test_a_new_partner_votes_from_its_start_date(table, vote, people, newcomer):
    """Para 98: the incoming partner joins the Board from its start date, and is asked for its vote on the
    decisions then open, as a member is when a decision is tabled (para 37)."""
    decision = table("periodic-instruction", closes_at=timezone.now() + dt.timedelta(days=10))
    assert "arup" not in [o.slug for o in board_selectors.voters_of(decision)]
    with pytest.raises(PermissionDenied, match=re.escape(
            f"its membership begins on {newcomer.member_since:%-d %B %Y} (paras 12, 95-98)")):
        vote(decision, "arup-rep", "for")
    assert not Obligation.objects.filter(subject_id=decision.pk, responsible_organisation=newcomer).exists()
    with _travel(newcomer.member_since):
        membership_services.membership_new_partner_record(
            actor=people["sro"], organisation=newcomer, effective_on=newcomer.member_since, reason="Procured")
        obligation = _vote_obligation(decision, "arup")
        assert (obligation.status, obligation.responsible_person.username) == (ObligationStatus.OPEN, "arup-rep")
        assert sync_board_seats() == 0  # the recording opened it; the sweep does not open another
        for username in REMAINING:
            vote(decision, username, "for")
        # Unanimous now needs the newcomer too: six of the seven members is not enough.
        assert board_selectors.decision_tally(Decision.objects.get(pk=decision.pk)).missing == 1
        vote(decision, "arup-rep", "for")
        assert board_services.decision_close(actor=people["sro"], decision=decision).outcome == Outcome.APPROVED


def test_the_daily_sweep_opens_the_vote_of_a_partner_whose_start_date_arrives(table, people, newcomer):
    """Para 98: a start date set ahead (by an administrator) takes effect on its day without anyone acting."""
    decision = table(closes_at=timezone.now() + dt.timedelta(days=10))
    with _travel(newcomer.member_since):
        assert sync_board_seats() == 1
        assert _vote_obligation(decision, "arup").status == ObligationStatus.OPEN
        assert sync_board_seats() == 0


def test_a_meeting_flags_only_members_as_absent_and_a_terminated_partners_people_attend_without_a_vote(
        board, people):
    """Para 35: each member is represented at the Board; a terminated partner is no longer one."""
    meeting = board_services.meeting_schedule(actor=people["alliance-manager"], alliance=board, title="Board",
                                        starts_at=timezone.now() + dt.timedelta(days=2), location="Leeds")
    assert "wsp" in [o.slug for o in board_selectors.unrepresented_organisations(meeting)]
    _terminate(people)
    assert [o.slug for o in board_selectors.unrepresented_organisations(meeting)] == [
        "national-highways", "fluor", "jacobs", "costain", "bam-msjv", "balfour-beatty"]
    attendance = board_services.attendance_record(actor=people["alliance-manager"], meeting=meeting,
                                            person=people["wsp-rep"], status=AttendanceStatus.PRESENT)
    assert attendance.capacity == Capacity.NON_VOTING


def test_the_board_page_shows_the_seats_and_the_ended_ones(board, people, client_for):
    _terminate(people)
    page = client_for(people["jacobs-rep"]).get("/board/")
    assert page.status_code == 200
    html = page.content.decode()
    seats = html.split('data-testid="seats"')[1].split("</table>")[0]
    assert "Voting organisations today (6)" in seats
    assert "Jacobs" in seats and "WSP" not in seats
    assert f"{board.start_date:%-d %b %Y}" in seats
    ended = html.split('data-testid="ended-seats"')[1].split("</table>")[0]
    assert "WSP" in ended and f"{TODAY:%-d %b %Y}" in ended


def test_the_board_page_refuses_partner_staff(board, people, client_for):
    assert client_for(people["wsp-staff"]).get("/board/").status_code == 403


# --- API: GET /api/governance/voting-organisations/ -----------------------------------------------------------


def _api(person) -> APIClient:
    c = APIClient()
    c.force_authenticate(person)
    return c


def test_the_api_lists_the_organisations_that_vote_today(board, people):
    """The contract: ``[{slug, name, kind, since}]``, the members today (paras 12, 35)."""
    body = _api(people["jacobs-rep"]).get("/api/governance/voting-organisations/").json()
    assert body[0] == {"slug": "national-highways", "name": "National Highways", "kind": "client",
                       "since": board.start_date.isoformat()}
    assert all(set(row) == {"slug", "name", "kind", "since"} for row in body)
    assert [row["slug"] for row in body] == ["national-highways", "fluor", "jacobs", "wsp", "costain", "bam-msjv",
                                             "balfour-beatty"]
    _terminate(people)
    after = _api(people["sro"]).get("/api/governance/voting-organisations/").json()
    assert "wsp" not in [row["slug"] for row in after] and len(after) == 6


def test_the_voting_organisations_api_refuses_partner_staff_and_the_anonymous(board, people):
    assert _api(people["wsp-staff"]).get("/api/governance/voting-organisations/").status_code == 403
    assert APIClient().get("/api/governance/voting-organisations/").status_code in (401, 403)


def test_the_daily_seat_sweep_is_declared_with_the_other_schedules():
    app.loader.import_default_modules()
    app.finalize()
    assert app.conf.beat_schedule["sync-board-seats"]["task"] == "governance.sync_board_seats"
