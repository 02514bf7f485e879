"""Commitments (section 13), the Performance Table (section 12) and the client's assurance (paras 22-24).

Every refusal asserts that nothing changed. Today is 23 Nov 2026; the demo alliance started 23 Jul 2026.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from alliance import services as alliance_services
from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation, OrganisationKind, Role
from governance.models.board import Authority, Decision
from governance.models.commitments import (
    AssuranceKind,
    AssuranceReview,
    AssuranceStatus,
    Commitment,
    CommitmentSelection,
    PerformancePeriod,
    PerformanceTable,
    PerformanceTableReason,
    PerformanceTableStatus,
    PerformanceTableTrigger,
    SelectionStatus,
)
from governance.services import assurance as assurance_services
from governance.services import board as board_services
from governance.services import commitments as commitments_services
from governance.services import performance_table as performance_table_services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def am(people):
    return people["alliance-manager"]


@pytest.fixture
def orgs(board):
    return {o.slug: o for o in Organisation.objects.filter(alliance=board)}


@pytest.fixture
def period(board, am):
    return performance_table_services.performance_period_create(actor=am, alliance=board, name="Year 1", starts_on=dt.date(2026, 7, 23),
                                              ends_on=dt.date(2027, 7, 22))


@pytest.fixture
def commit(board, am, orgs):
    counter = iter(range(1, 100))

    def make(lead="fluor", depends_on=(), conflicts=(), **fields):
        number = next(counter)
        return commitments_services.commitment_save(
            actor=am, alliance=board, reference=fields.pop("reference", f"C-{number:02d}"),
            title=fields.pop("title", f"Commitment {number}"), lead_partner=orgs[lead],
            dependent_partners=[orgs[p] for p in depends_on], conflicts_with=list(conflicts), **fields,
        )

    return make


def _snapshot(alliance) -> tuple:
    """Everything these workflows write: a refused step must leave all of it as it was."""
    return (
        list(Commitment.objects.filter(alliance=alliance).values_list("pk", "reference", "title", "lead_partner_id",
                                                                        "is_active").order_by("pk")),
        list(CommitmentSelection.objects.filter(commitment__alliance=alliance).values_list("pk", "status").order_by("pk")),
        Decision.objects.filter(alliance=alliance).count(),
        list(PerformancePeriod.objects.filter(alliance=alliance).values_list("pk", "starts_on", "ends_on").order_by("pk")),
        list(PerformanceTable.objects.filter(alliance=alliance).values_list("pk", "status").order_by("pk")),
        list(PerformanceTableTrigger.objects.filter(alliance=alliance).values_list("pk", "answered_by").order_by("pk")),
        list(AssuranceReview.objects.filter(alliance=alliance).values_list("pk", "status", "held_on").order_by("pk")),
        list(Obligation.objects.filter(alliance=alliance).values_list("pk", "status", "due_date").order_by("pk")),
    )


def _refused(alliance, call, error=ValidationError, message: str | None = None):
    before = _snapshot(alliance)
    with pytest.raises(error) as raised:
        call()
    assert _snapshot(alliance) == before
    if message is not None:
        text = " ".join(raised.value.messages) if isinstance(raised.value, ValidationError) else str(raised.value)
        assert message in text, text
    return raised.value


def _close(decision, people, votes: dict[str, str]):
    for username, choice in votes.items():
        board_services.vote_cast(actor=people[username], decision=decision, choice=choice)
    return board_services.decision_close(actor=people["alliance-manager"], decision=decision)


def _obligations_of(subject, kind):
    return Obligation.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
                                     kind=kind)


# --- The Commitment SLA Register (para 228, Table 8) ------------------------------------------------------


def test_the_alliance_manager_adds_a_commitment_with_its_lead_partner_and_history(commit, am, orgs):
    commitment = commit(lead="wsp", depends_on=["costain"])
    assert commitment.lead_partner == orgs["wsp"]
    assert list(commitment.dependent_partners.all()) == [orgs["costain"]]
    assert commitment.history.first().history_user == am


def test_the_lead_partner_must_be_a_partner_of_the_alliance_para_228(board, commit):
    _refused(board, lambda: commit(lead="national-highways"), message=commitments_services.ERR_COMMITMENT_LEAD_NOT_PARTNER)


def test_dependencies_are_other_partners_only(board, commit):
    _refused(board, lambda: commit(lead="wsp", depends_on=["wsp"]), message=commitments_services.ERR_COMMITMENT_DEPENDENCY_IS_LEAD)
    _refused(board, lambda: commit(lead="wsp", depends_on=["national-highways"]),
             message=commitments_services.ERR_COMMITMENT_DEPENDENCY_NOT_PARTNER)


def test_conflicts_stay_within_the_alliances_register_and_are_mutual(board, commit, am, orgs):
    first = commit()
    second = commit(lead="jacobs", conflicts=[first])
    assert list(first.conflicts_with.all()) == [second]  # symmetrical
    foreign = Commitment.objects.create(alliance=AllianceFactory(), reference="X-1", title="Elsewhere",
                                        lead_partner=OrganisationFactory())
    _refused(board, lambda: commit(conflicts=[foreign]), message=commitments_services.ERR_COMMITMENT_CONFLICT_NOT_IN_REGISTER)
    _refused(board, lambda: commitments_services.commitment_save(
        actor=am, alliance=board, commitment=first, reference=first.reference, title=first.title,
        lead_partner=orgs["fluor"], conflicts_with=[first]), message=commitments_services.ERR_COMMITMENT_CONFLICT_WITH_ITSELF)


def test_a_reference_is_used_once_in_the_register(board, commit):
    commit(reference="C-10")
    _refused(board, lambda: commit(reference="c-10"), message=commitments_services.ERR_COMMITMENT_REFERENCE_TAKEN)


@pytest.mark.parametrize("username", ["sro", "wsp-rep", "fluor-staff", "client-reviewer"])
def test_only_the_alliance_manager_keeps_the_register_para_226(board, people, orgs, username):
    _refused(board, lambda: commitments_services.commitment_save(
        actor=people[username], alliance=board, reference="C-99", title="Mine", lead_partner=orgs["fluor"]),
        error=PermissionDenied, message=commitments_services.ERR_COMMITMENT_NOT_MANAGER)


# --- Selection with Table 8's approval (para 229) ---------------------------------------------------------


def test_a_commitment_the_lead_partner_delivers_alone_is_selected_without_approval_table_8(board, commit, period, am):
    selection = commitments_services.commitment_select(actor=am, commitment=commit(), period=period, reason="Quick win")
    assert (selection.status, selection.approval, selection.decision) == (
        SelectionStatus.SELECTED, "commitment-lead-partner-only", None)
    assert not Decision.objects.filter(alliance=board).exists()
    assert selection.history.first().history_user == am


def test_a_commitment_depending_on_other_partners_awaits_a_board_majority_with_client_veto_table_8(
        board, commit, period, am):
    commitment = commit(lead="jacobs", depends_on=["costain", "bam-msjv"])
    selection = commitments_services.commitment_select(actor=am, commitment=commitment, period=period)
    decision = selection.decision
    assert selection.status == SelectionStatus.AWAITING_BOARD
    assert selection.approval == "commitment-with-dependencies"
    assert decision.decision_type.code == "commitment-with-dependencies"
    assert decision.authority == Authority.MAJORITY_CLIENT_VETO
    assert decision.subject == selection
    assert decision.closes_at == dt.datetime(2026, 12, 7, 17, 0, tzinfo=LONDON)  # 14 days, 17:00 London


def test_a_commitment_conflicting_with_one_selected_for_the_period_needs_the_board_table_8(board, commit, period, am):
    first = commit()
    second = commit(lead="wsp", conflicts=[first])
    assert commitments_services.commitment_select(actor=am, commitment=first, period=period).status == SelectionStatus.SELECTED
    selection = commitments_services.commitment_select(actor=am, commitment=second, period=period)
    assert selection.status == SelectionStatus.AWAITING_BOARD
    assert "conflicts with" in selection.decision.description


def test_a_conflict_with_a_commitment_not_selected_for_the_period_needs_no_approval(commit, period, am):
    first = commit()
    second = commit(lead="wsp", conflicts=[first])
    assert commitments_services.commitment_select(actor=am, commitment=second, period=period).status == SelectionStatus.SELECTED


def test_the_boards_approval_selects_the_commitment(board, commit, period, am, people):
    selection = commitments_services.commitment_select(actor=am, commitment=commit(lead="jacobs", depends_on=["wsp"]), period=period)
    _close(selection.decision, people, {"sro": "for", "fluor-rep": "for", "jacobs-rep": "for", "wsp-rep": "for"})
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.SELECTED
    assert selection.history.first().history_change_reason == "The Board's decision: approved"


def test_the_clients_veto_refuses_the_selection(board, commit, period, am, people):
    selection = commitments_services.commitment_select(actor=am, commitment=commit(lead="jacobs", depends_on=["wsp"]), period=period)
    votes = {f"{p}-rep": "for" for p in ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]}
    decision = _close(selection.decision, people, {**votes, "sro": "against"})
    assert decision.outcome == "rejected"
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.REFUSED


def test_a_decision_closed_without_a_majority_refuses_the_selection(commit, period, am, people):
    selection = commitments_services.commitment_select(actor=am, commitment=commit(lead="jacobs", depends_on=["wsp"]), period=period)
    _close(selection.decision, people, {"wsp-rep": "for"})
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.REFUSED


def test_selecting_a_commitment_twice_for_one_period_is_refused(board, commit, period, am):
    commitment = commit()
    commitments_services.commitment_select(actor=am, commitment=commitment, period=period)
    _refused(board, lambda: commitments_services.commitment_select(actor=am, commitment=commitment, period=period),
             message=commitments_services.ERR_COMMITMENT_SELECTED_ALREADY.format(period="Year 1"))


def test_a_withdrawn_commitment_or_an_ended_period_cannot_be_selected(board, commit, period, am):
    withdrawn = commit(is_active=False)
    _refused(board, lambda: commitments_services.commitment_select(actor=am, commitment=withdrawn, period=period),
             message=commitments_services.ERR_COMMITMENT_INACTIVE)
    period.delete()
    ended = performance_table_services.performance_period_create(actor=am, alliance=board, name="Stub", starts_on=dt.date(2026, 7, 23),
                                               ends_on=dt.date(2026, 8, 31))
    active = commit()
    _refused(board, lambda: commitments_services.commitment_select(actor=am, commitment=active, period=ended),
             message=commitments_services.ERR_COMMITMENT_PERIOD_ENDED)


def test_only_the_alliance_manager_selects(board, commit, period, people):
    commitment = commit()
    _refused(board, lambda: commitments_services.commitment_select(actor=people["sro"], commitment=commitment, period=period),
             error=PermissionDenied, message=commitments_services.ERR_COMMITMENT_NOT_MANAGER)


def test_deselecting_ends_a_selection_once(board, commit, period, am):
    selection = commitments_services.commitment_select(actor=am, commitment=commit(), period=period)
    commitments_services.commitment_deselect(actor=am, selection=selection, reason="Quarterly review: no longer needed")
    selection.refresh_from_db()
    assert (selection.status, selection.deselected_by) == (SelectionStatus.DESELECTED, am)
    assert selection.history.first().history_change_reason == "Quarterly review: no longer needed"
    _refused(board, lambda: commitments_services.commitment_deselect(actor=am, selection=selection),
             message=commitments_services.ERR_COMMITMENT_SELECTION_STATE.format(status="deselected", action="deselected"))


def test_a_selection_withdrawn_before_the_board_decides_stays_withdrawn(commit, period, am, people):
    selection = commitments_services.commitment_select(actor=am, commitment=commit(lead="jacobs", depends_on=["wsp"]), period=period)
    commitments_services.commitment_deselect(actor=am, selection=selection)
    _close(selection.decision, people, {"sro": "for", "fluor-rep": "for", "jacobs-rep": "for", "wsp-rep": "for"})
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.DESELECTED


# --- The commitments' calendar (para 227) -----------------------------------------------------------------


def _first_commitments(alliance):
    return Obligation.objects.get(alliance=alliance, kind=ObligationKind.COMMITMENTS, paragraph="para 227",
                                  title="First commitments selected and approved by the Board")


def _reviews(alliance):
    return Obligation.objects.filter(alliance=alliance, title__startswith=commitments_services.REVIEW_COMMITMENTS_TITLE)


def test_the_first_selection_meets_the_first_commitments_obligation_and_starts_the_quarterly_review_para_227(
        board, commit, period, am):
    assert _first_commitments(board).status == ObligationStatus.OPEN  # opened by the core, due 23 Oct 2026
    commitments_services.commitment_select(actor=am, commitment=commit(), period=period)
    assert _first_commitments(board).status == ObligationStatus.MET
    review = _reviews(board).get()
    assert (review.status, review.due_date, review.responsible_person) == (ObligationStatus.OPEN, dt.date(2027, 1, 23), am)


def test_an_approval_by_the_board_also_counts_as_the_first_selection(board, commit, period, am, people):
    selection = commitments_services.commitment_select(actor=am, commitment=commit(lead="jacobs", depends_on=["wsp"]), period=period)
    assert _first_commitments(board).status == ObligationStatus.OPEN
    _close(selection.decision, people, {"sro": "for", "fluor-rep": "for", "jacobs-rep": "for", "wsp-rep": "for"})
    assert _first_commitments(board).status == ObligationStatus.MET


def test_the_quarterly_review_rolls_on_to_the_next_quarter_para_227(board, commit, period, am):
    commitments_services.commitment_select(actor=am, commitment=commit(), period=period)
    first = _reviews(board).get()
    following = commitments_services.commitments_review_record(actor=am, alliance=board, note="Reviewed at the Board")
    first.refresh_from_db()
    assert first.status == ObligationStatus.MET
    assert following.status == ObligationStatus.OPEN
    assert following.due_date == dt.date(2027, 4, 23)  # the quarter after the one met, counted from the start
    assert _reviews(board).filter(status=ObligationStatus.OPEN).count() == 1


def test_a_quarterly_review_before_the_first_selection_is_refused(board, am):
    _refused(board, lambda: commitments_services.commitments_review_record(actor=am, alliance=board),
             message=commitments_services.ERR_COMMITMENT_NO_REVIEW_DUE)


def test_the_calendar_start_is_idempotent_and_respects_the_cores_obligations(board, am):
    commitments_services.commitments_calendar_start(board, actor=am)  # the core already opened both firsts
    before = _snapshot(board)
    assert commitments_services.commitments_calendar_start(board, actor=am) == []
    assert _snapshot(board) == before


def test_first_commitments_and_first_table_are_due_3_months_after_start_clamped_to_month_end_paras_223_227():
    alliance = AllianceFactory(start_date=dt.date(2026, 11, 30))
    opened = commitments_services.commitments_calendar_start(alliance)
    assert {(o.paragraph, o.due_date) for o in opened} == {("para 227", dt.date(2027, 2, 28)),
                                                            ("para 223", dt.date(2027, 2, 28))}
    assert commitments_services.commitments_calendar_start(alliance) == []


# --- Performance Periods (para 225) -----------------------------------------------------------------------


def test_overlapping_periods_are_refused(board, period, am):
    message = performance_table_services.ERR_TABLE_PERIOD_OVERLAP.format(name="Year 1", starts="23 Jul 2026", ends="22 Jul 2027")
    _refused(board, lambda: performance_table_services.performance_period_create(
        actor=am, alliance=board, name="Overlap", starts_on=dt.date(2027, 7, 1), ends_on=dt.date(2028, 6, 30)),
        message=message)


def test_a_period_ending_before_it_starts_or_starting_before_the_alliance_is_refused(board, am):
    _refused(board, lambda: performance_table_services.performance_period_create(
        actor=am, alliance=board, name="Back", starts_on=dt.date(2027, 7, 23), ends_on=dt.date(2027, 7, 1)),
        message=performance_table_services.ERR_TABLE_PERIOD_ENDS_BEFORE_START)
    _refused(board, lambda: performance_table_services.performance_period_create(
        actor=am, alliance=board, name="Early", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)),
        message=performance_table_services.ERR_TABLE_PERIOD_BEFORE_START.format(start="23 Jul 2026"))


def test_only_the_alliance_manager_creates_periods(board, people):
    _refused(board, lambda: performance_table_services.performance_period_create(
        actor=people["sro"], alliance=board, name="Y", starts_on=dt.date(2027, 7, 23), ends_on=dt.date(2028, 7, 22)),
        error=PermissionDenied)


def test_a_later_period_opens_its_annual_performance_table_obligation_para_225(board, period, am):
    assert not _obligations_of(period, ObligationKind.PERFORMANCE_TABLE).exists()  # para 223's first answers it
    year_2 = performance_table_services.performance_period_create(actor=am, alliance=board, name="Year 2", starts_on=dt.date(2027, 7, 23),
                                                ends_on=dt.date(2028, 7, 22))
    annual = _obligations_of(year_2, ObligationKind.PERFORMANCE_TABLE).get()
    assert (annual.paragraph, annual.due_date, annual.status) == ("para 225", dt.date(2027, 7, 23), ObligationStatus.OPEN)
    table = performance_table_services.performance_table_draft(actor=am, period=year_2)
    performance_table_services.performance_table_row_save(actor=am, table=table, indicator="Safety", target="Zero harm")
    performance_table_services.performance_table_agree(actor=am, table=table)
    annual.refresh_from_db()
    assert annual.status == ObligationStatus.MET


# --- The Performance Table (paras 223-225, 230) ------------------------------------------------------------


def _table_with_a_row(am, period, **row):
    table = performance_table_services.performance_table_draft(actor=am, period=period)
    performance_table_services.performance_table_row_save(actor=am, table=table, indicator=row.get("indicator", "PCF milestones met"),
                                        measure="Share on time", target="90%")
    return table


def test_a_new_version_copies_the_rows_of_the_version_before_it(board, period, am):
    first = _table_with_a_row(am, period)
    performance_table_services.performance_table_agree(actor=am, table=first)
    second = performance_table_services.performance_table_draft(actor=am, period=period)
    assert second.version == 2
    assert list(second.rows.values_list("indicator", "target")) == [("PCF milestones met", "90%")]
    assert second.reason == PerformanceTableReason.ANNUAL


def test_one_draft_per_period_at_a_time(board, period, am):
    performance_table_services.performance_table_draft(actor=am, period=period)
    _refused(board, lambda: performance_table_services.performance_table_draft(actor=am, period=period),
             message=performance_table_services.ERR_TABLE_DRAFT_EXISTS.format(version=1))


def test_agreeing_supersedes_the_previous_agreed_version(board, period, am):
    first = _table_with_a_row(am, period)
    performance_table_services.performance_table_agree(actor=am, table=first)
    second = performance_table_services.performance_table_draft(actor=am, period=period)
    performance_table_services.performance_table_agree(actor=am, table=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (PerformanceTableStatus.SUPERSEDED, PerformanceTableStatus.AGREED)
    assert (second.agreed_on, second.agreed_by) == (TODAY, am)
    assert second.history.first().history_user == am


def test_an_empty_table_or_an_agreed_one_cannot_be_agreed_or_changed(board, period, am):
    empty = performance_table_services.performance_table_draft(actor=am, period=period)
    _refused(board, lambda: performance_table_services.performance_table_agree(actor=am, table=empty), message=performance_table_services.ERR_TABLE_EMPTY)
    performance_table_services.performance_table_row_save(actor=am, table=empty, indicator="Safety", target="Zero harm")
    performance_table_services.performance_table_agree(actor=am, table=empty)
    _refused(board, lambda: performance_table_services.performance_table_agree(actor=am, table=empty),
             message=performance_table_services.ERR_TABLE_STATE.format(status="agreed", action="agreed"))
    _refused(board, lambda: performance_table_services.performance_table_row_save(actor=am, table=empty, indicator="X", target="Y"),
             message=performance_table_services.ERR_TABLE_STATE.format(status="agreed", action="changed"))
    _refused(board, lambda: performance_table_services.performance_table_row_remove(actor=am, row=empty.rows.get()),
             message=performance_table_services.ERR_TABLE_STATE.format(status="agreed", action="changed"))


def test_rows_change_while_the_version_is_a_draft(period, am):
    table = _table_with_a_row(am, period)
    row = table.rows.get()
    performance_table_services.performance_table_row_save(actor=am, table=table, row=row, indicator="PCF milestones", target="95%")
    row.refresh_from_db()
    assert row.target == "95%"
    performance_table_services.performance_table_row_remove(actor=am, row=row)
    assert not table.rows.exists()


def test_a_row_names_only_a_commitment_selected_for_the_period_para_230(board, commit, period, am):
    table = performance_table_services.performance_table_draft(actor=am, period=period)
    commitment = commit()
    _refused(board, lambda: performance_table_services.performance_table_row_save(
        actor=am, table=table, indicator="C-01", target="Done", commitment=commitment),
        message=performance_table_services.ERR_TABLE_COMMITMENT_NOT_SELECTED)
    commitments_services.commitment_select(actor=am, commitment=commitment, period=period)
    row = performance_table_services.performance_table_row_save(actor=am, table=table, indicator="C-01", target="Done",
                                              commitment=commitment)
    assert row.commitment == commitment


def test_the_first_table_is_refused_as_first_once_one_is_agreed(board, period, am):
    performance_table_services.performance_table_agree(actor=am, table=_table_with_a_row(am, period))
    _refused(board, lambda: performance_table_services.performance_table_draft(actor=am, period=period, reason="first"),
             message=performance_table_services.ERR_TABLE_FIRST_ALREADY_AGREED)


def test_agreeing_the_first_table_meets_the_para_223_obligation():
    alliance = AllianceFactory(start_date=dt.date(2026, 11, 30))
    manager = PersonFactory(organisation=OrganisationFactory(alliance=alliance, kind=OrganisationKind.CLIENT))
    alliance_services.role_assign(person=manager, role=Role.ALLIANCE_MANAGER)
    period = performance_table_services.performance_period_create(actor=manager, alliance=alliance, name="Year 1",
                                                starts_on=dt.date(2026, 11, 30), ends_on=dt.date(2027, 11, 29))
    first = Obligation.objects.get(alliance=alliance, paragraph="para 223")
    assert (first.due_date, first.status, first.responsible_person) == (dt.date(2027, 2, 28), ObligationStatus.OPEN, manager)
    table = performance_table_services.performance_table_draft(actor=manager, period=period)
    assert table.reason == PerformanceTableReason.FIRST
    performance_table_services.performance_table_row_save(actor=manager, table=table, indicator="Safety", target="Zero harm")
    performance_table_services.performance_table_agree(actor=manager, table=table)
    first.refresh_from_db()
    assert first.status == ObligationStatus.MET


def test_an_event_opens_a_3_month_update_met_by_agreeing_para_224(board, period, am):
    trigger = performance_table_services.performance_table_trigger_record(
        actor=am, alliance=board, reason=PerformanceTableReason.SCHEME_ORDER, occurred_on=dt.date(2026, 8, 31),
        description="Scheme Order SO-001 issued")
    clock = _obligations_of(trigger, ObligationKind.PERFORMANCE_TABLE).get()
    assert (clock.paragraph, clock.start_date, clock.due_date) == ("para 224", dt.date(2026, 8, 31), dt.date(2026, 11, 30))
    table = _table_with_a_row(am, period)
    assert table.reason == PerformanceTableReason.FIRST
    performance_table_services.performance_table_agree(actor=am, table=table)
    clock.refresh_from_db()
    trigger.refresh_from_db()
    assert clock.status == ObligationStatus.MET
    assert trigger.answered_by == table


def test_a_workflow_records_an_event_without_a_person(board):
    trigger = performance_table_services.performance_table_trigger_record(
        actor=None, alliance=board, reason=PerformanceTableReason.SCHEME_ORDER, occurred_on=TODAY,
        description="Scheme Order SO-002 issued", by_workflow=True)
    assert trigger.recorded_by is None
    assert _obligations_of(trigger, ObligationKind.PERFORMANCE_TABLE).get().due_date == dt.date(2027, 2, 23)


def test_events_are_refused_in_the_future_for_other_reasons_or_from_other_people(board, am, people):
    _refused(board, lambda: performance_table_services.performance_table_trigger_record(
        actor=am, alliance=board, reason=PerformanceTableReason.TERMINATION, occurred_on=TODAY + dt.timedelta(days=1),
        description="Tomorrow"), message=performance_table_services.ERR_TABLE_TRIGGER_IN_FUTURE)
    _refused(board, lambda: performance_table_services.performance_table_trigger_record(
        actor=am, alliance=board, reason=PerformanceTableReason.ANNUAL, occurred_on=TODAY, description="Annual"),
        message=performance_table_services.ERR_TABLE_TRIGGER_REASON)
    _refused(board, lambda: performance_table_services.performance_table_trigger_record(
        actor=people["wsp-rep"], alliance=board, reason=PerformanceTableReason.CANCELLATION, occurred_on=TODAY,
        description="Cancelled"), error=PermissionDenied, message=performance_table_services.ERR_TABLE_NOT_MANAGER)


@pytest.mark.parametrize("username", ["sro", "wsp-rep"])
def test_only_the_alliance_manager_drafts_and_agrees_tables(board, period, am, people, username):
    table = _table_with_a_row(am, period)
    _refused(board, lambda: performance_table_services.performance_table_draft(actor=people[username], period=period),
             error=PermissionDenied)
    _refused(board, lambda: performance_table_services.performance_table_agree(actor=people[username], table=table),
             error=PermissionDenied)


# --- The assurance calendar (paras 22-24) ------------------------------------------------------------------


@pytest.fixture
def calendar(board):
    return {r.kind: r for r in assurance_services.assurance_calendar_start(board)}


def test_the_calendar_puts_the_next_review_of_each_kind_on_the_clients_obligations_paras_22_24(board, calendar, orgs):
    assert {k: r.due_on for k, r in calendar.items()} == {
        AssuranceKind.PCF_MILESTONES: dt.date(2027, 1, 23),  # quarterly from 23 Jul 2026
        AssuranceKind.BENEFITS: dt.date(2027, 1, 23),  # bi-annual
        AssuranceKind.EXTERNAL: dt.date(2027, 7, 23),  # annual
    }
    for kind, paragraph in [("pcf_milestones", "para 22"), ("benefits", "para 23"), ("external", "para 24")]:
        obligation = _obligations_of(calendar[kind], ObligationKind.ASSURANCE_REVIEW).get()
        assert (obligation.paragraph, obligation.responsible_organisation) == (paragraph, orgs["national-highways"])
    before = _snapshot(board)
    assert assurance_services.assurance_calendar_start(board) == []
    assert _snapshot(board) == before


def test_recording_a_review_meets_its_obligation_and_schedules_the_next(board, calendar, people):
    review = assurance_services.assurance_review_record(
        actor=people["client-reviewer"], review=calendar["pcf_milestones"], held_on=TODAY, reviewer="MPPH",
        findings="Two schemes behind PCF stage 3", actions="Recovery plans", milestone_missed=True, audit_initiated=True)
    assert (review.status, review.held_on, review.audit_initiated) == (AssuranceStatus.HELD, TODAY, True)
    assert review.history.first().history_user == people["client-reviewer"]
    obligation = _obligations_of(review, ObligationKind.ASSURANCE_REVIEW).get()
    assert (obligation.status, obligation.closed_on) == (ObligationStatus.MET, TODAY)
    following = AssuranceReview.objects.get(alliance=board, kind="pcf_milestones", status=AssuranceStatus.DUE)
    assert following.due_on == dt.date(2027, 4, 23)
    assert _obligations_of(following, ObligationKind.ASSURANCE_REVIEW).get().status == ObligationStatus.OPEN


def test_an_audit_without_a_missed_milestone_is_refused_para_22(board, calendar, people):
    _refused(board, lambda: assurance_services.assurance_review_record(
        actor=people["client-reviewer"], review=calendar["pcf_milestones"], held_on=TODAY, reviewer="MPPH",
        findings="All on track", audit_initiated=True), message=assurance_services.ERR_ASSURANCE_AUDIT_WITHOUT_MISSED_MILESTONE)


def test_a_missed_milestone_belongs_to_the_pcf_review(board, calendar, people):
    _refused(board, lambda: assurance_services.assurance_review_record(
        actor=people["sro"], review=calendar["benefits"], held_on=TODAY, reviewer="CPM", findings="Fine",
        milestone_missed=True), message=assurance_services.ERR_ASSURANCE_MILESTONE_NOT_PCF)


def test_a_review_in_the_future_or_without_findings_is_refused(board, calendar, people):
    _refused(board, lambda: assurance_services.assurance_review_record(
        actor=people["client-reviewer"], review=calendar["external"], held_on=TODAY + dt.timedelta(days=1),
        reviewer="IPA", findings="Fine"), message=assurance_services.ERR_ASSURANCE_HELD_IN_FUTURE)
    _refused(board, lambda: assurance_services.assurance_review_record(
        actor=people["client-reviewer"], review=calendar["external"], held_on=TODAY, reviewer="IPA", findings=" "),
        message=assurance_services.ERR_ASSURANCE_FINDINGS_REQUIRED)


@pytest.mark.parametrize("username", ["alliance-manager", "wsp-rep"])
def test_only_the_clients_reviewers_and_the_sro_record_assurance(board, calendar, people, username):
    _refused(board, lambda: assurance_services.assurance_review_record(
        actor=people[username], review=calendar["external"], held_on=TODAY, reviewer="IPA", findings="Fine"),
        error=PermissionDenied, message=assurance_services.ERR_ASSURANCE_NOT_RECORDER)


def test_a_review_is_recorded_once(board, calendar, people):
    review = calendar["benefits"]
    assurance_services.assurance_review_record(actor=people["sro"], review=review, held_on=TODAY, reviewer="CPM", findings="Fine")
    _refused(board, lambda: assurance_services.assurance_review_record(
        actor=people["sro"], review=review, held_on=TODAY, reviewer="CPM", findings="Again"),
        message=assurance_services.ERR_ASSURANCE_STATE.format(status="held", action="recorded"))


def test_cancelling_a_review_cancels_its_obligation_and_keeps_the_cycle(board, calendar, people):
    _refused(board, lambda: assurance_services.assurance_review_cancel(actor=people["sro"], review=calendar["external"],
                                                             reason=" "), message=assurance_services.ERR_ASSURANCE_REASON_REQUIRED)
    review = assurance_services.assurance_review_cancel(actor=people["sro"], review=calendar["external"],
                                              reason="Merged with the programme's gateway review")
    assert review.status == AssuranceStatus.CANCELLED
    assert _obligations_of(review, ObligationKind.ASSURANCE_REVIEW).get().status == ObligationStatus.CANCELLED
    assert AssuranceReview.objects.get(alliance=board, kind="external", status=AssuranceStatus.DUE).due_on == dt.date(
        2028, 7, 23)


# --- The demo ---------------------------------------------------------------------------------------------


def test_the_demo_seeds_every_workflow_and_is_idempotent(board):
    from governance.demo import seed_commitments

    seed_commitments(board)
    before = _snapshot(board)
    seed_commitments(board)
    assert _snapshot(board) == before
    statuses = dict(CommitmentSelection.objects.values_list("commitment__reference", "status"))
    assert statuses == {"C-01": SelectionStatus.SELECTED, "C-02": SelectionStatus.AWAITING_BOARD}
    assert Commitment.objects.filter(alliance=board).count() == 6
    table = PerformanceTable.objects.get(alliance=board)
    assert table.status == PerformanceTableStatus.DRAFT and table.rows.count() == 3
    assert AssuranceReview.objects.filter(alliance=board, status=AssuranceStatus.DUE).count() == 3
