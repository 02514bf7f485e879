"""Improvement plans (para 177; seed 002's shape), the six-month sustain rule (para 177), incidents (paras
180-184) and the efficiency register (seed 001): each transition, and each refusal changing nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance import services as alliance_services
from alliance.dates import add_months
from alliance.models import ObligationKind, ObligationStatus, Role
from performance.models import (
    ActionStatus,
    Assurance,
    EfficiencyEntry,
    ImprovementPlan,
    Incident,
    MonthlyReport,
    PlanQuery,
    PlanStatus,
    ProcessStatus,
)
from performance.permissions import ERR_EFFICIENCY_NOT_ALLOWED
from performance.selectors import improvement as selectors
from performance.services import improvement
from performance.services import scorecard as services
from performance.services.scorecard import _process_clocks
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY
from tests.performance._improvement_fixtures import *  # noqa: F403
from tests.performance._improvement_fixtures import at, freeze, reload, score

pytestmark = pytest.mark.django_db


# --- Plans: drafting -------------------------------------------------------------------------------------------


def test_the_alliance_manager_drafts_a_plan_in_seed_002s_shape(people, plan):
    rows = selectors.plan_rows(plan)
    assert plan.status == PlanStatus.DRAFT
    assert [(a.aim, a.finding) for a in rows] == [("Risk management", "The risk register does not log actions.")]
    action = rows[0].actions.all()[0]
    assert (action.owner, action.due_on, action.status, action.evidence) == (
        "RC / MA", dt.date(2026, 12, 31), ActionStatus.IN_PROGRESS, "Minutes")


@pytest.mark.parametrize("username", ["sro", "client-reviewer", "wsp-rep", "wsp-staff"])
def test_only_the_alliance_manager_drafts_a_plan(people, process, username):
    with pytest.raises(PermissionDenied, match="Only the Alliance Manager"):
        improvement.plan_create(actor=people[username], process=process, title="x")
    assert not ImprovementPlan.objects.exists()


def test_a_second_plan_in_progress_for_a_process_is_refused(people, plan, process):
    with pytest.raises(ValidationError, match="already has a plan in progress"):
        improvement.plan_create(actor=people["alliance-manager"], process=process, title="Again")
    assert ImprovementPlan.objects.count() == 1


def test_a_plan_needs_a_title_and_one_subject(people, process):
    am = people["alliance-manager"]
    with pytest.raises(ValidationError):
        improvement.plan_create(actor=am, process=process, title="  ")
    with pytest.raises(ValidationError, match="one improvement process or one incident"):
        improvement.plan_create(actor=am, title="Nothing")
    assert not ImprovementPlan.objects.exists()


def test_an_action_needs_its_lead_and_due_date(people, plan):
    aim = plan.aims.get()
    with pytest.raises(ValidationError, match=re.escape(improvement.ERR_PLAN_ACTION_REQUIRED)):
        improvement.plan_action_add(actor=people["alliance-manager"], aim=aim, action="Do", owner="", due_on=None)
    assert aim.actions.count() == 1


# --- Plans: submission (para 177: within 14 days) ----------------------------------------------------------------


def test_submitting_meets_the_14_day_plan_clock_para_177(people, plan, process):
    clock = _process_clocks(process).get(kind=ObligationKind.IMPROVEMENT_PLAN)
    assert clock.due_date == TODAY + dt.timedelta(days=14) and clock.status == ObligationStatus.OPEN
    plan = improvement.plan_submit(actor=people["alliance-manager"], plan=plan)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at is not None
    clock.refresh_from_db()
    assert clock.status == ObligationStatus.MET and clock.closed_on == TODAY


def test_a_late_plan_is_accepted_and_recorded_late_para_177(people, plan, process):
    clock = _process_clocks(process).get(kind=ObligationKind.IMPROVEMENT_PLAN)
    with at(dt.date(2026, 12, 20)):
        improvement.plan_submit(actor=people["alliance-manager"], plan=plan)
    clock.refresh_from_db()
    assert clock.status == ObligationStatus.MET and clock.closed_on > clock.due_date


def test_an_empty_plan_or_an_aim_without_action_cannot_be_submitted(people, process):
    clock = _process_clocks(process).get(kind=ObligationKind.IMPROVEMENT_PLAN)
    am = people["alliance-manager"]
    plan = improvement.plan_create(actor=am, process=process, title="Empty")
    with pytest.raises(ValidationError, match="at least one aim"):
        improvement.plan_submit(actor=am, plan=plan)
    improvement.plan_aim_add(actor=am, plan=plan, aim="Aim", finding="Finding")
    with pytest.raises(ValidationError, match="at least one aim"):
        improvement.plan_submit(actor=am, plan=plan)
    assert reload(plan).status == PlanStatus.DRAFT
    assert reload(clock).status == ObligationStatus.OPEN


def test_a_submitted_plan_is_not_edited_nor_submitted_again(people, submitted):
    am = people["alliance-manager"]
    with pytest.raises(ValidationError, match="cannot be changed"):
        improvement.plan_aim_add(actor=am, plan=submitted, aim="Late aim", finding="x")
    with pytest.raises(ValidationError, match="cannot be submitted"):
        improvement.plan_submit(actor=am, plan=submitted)
    assert submitted.aims.count() == 1


def test_only_the_alliance_manager_submits(people, plan):
    with pytest.raises(PermissionDenied):
        improvement.plan_submit(actor=people["sro"], plan=plan)
    assert reload(plan).status == PlanStatus.DRAFT


# --- Plans: the client's queries and approval (para 177) ----------------------------------------------------------


def test_approval_is_refused_while_a_client_query_is_open_para_177(people, submitted):
    query = improvement.plan_query_raise(actor=people["client-reviewer"], plan=submitted, question="Who chairs it?")
    with pytest.raises(ValidationError, match="1 of the client's queries still need an answer"):
        improvement.plan_approve(actor=people["sro"], plan=submitted)
    assert reload(submitted).status == PlanStatus.SUBMITTED and reload(submitted).approved_at is None
    improvement.plan_query_answer(actor=people["alliance-manager"], query=query, answer="The Alliance Manager.")
    plan = improvement.plan_approve(actor=people["sro"], plan=submitted)
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == people["sro"]


@pytest.mark.parametrize("username", ["alliance-manager", "wsp-rep", "wsp-staff"])
def test_only_the_client_raises_queries(people, submitted, username):
    with pytest.raises(PermissionDenied, match=re.escape(improvement.ERR_PLAN_NOT_QUERIER)):
        improvement.plan_query_raise(actor=people[username], plan=submitted, question="?")
    assert not PlanQuery.objects.exists()


def test_only_the_alliance_manager_answers_and_only_once(people, submitted):
    query = improvement.plan_query_raise(actor=people["sro"], plan=submitted, question="Why?")
    with pytest.raises(PermissionDenied):
        improvement.plan_query_answer(actor=people["sro"], query=query, answer="Because.")
    improvement.plan_query_answer(actor=people["alliance-manager"], query=query, answer="Because.")
    with pytest.raises(ValidationError, match=re.escape(improvement.ERR_PLAN_ALREADY_ANSWERED)):
        improvement.plan_query_answer(actor=people["alliance-manager"], query=query, answer="Again.")
    assert reload(query).answer == "Because."


@pytest.mark.parametrize("username", ["alliance-manager", "client-reviewer", "wsp-rep"])
def test_only_the_sro_approves_a_process_plan(people, submitted, username):
    with pytest.raises(PermissionDenied, match="Only the SRO approves"):
        improvement.plan_approve(actor=people[username], plan=submitted)
    assert reload(submitted).status == PlanStatus.SUBMITTED


def test_a_draft_is_neither_queried_approved_nor_reported_on(people, plan):
    with pytest.raises(ValidationError, match="draft: it cannot be approved"):
        improvement.plan_approve(actor=people["sro"], plan=plan)
    with pytest.raises(ValidationError, match="cannot be queried"):
        improvement.plan_query_raise(actor=people["sro"], plan=plan, question="?")
    with pytest.raises(ValidationError, match="cannot be reported on"):
        improvement.plan_report(actor=people["alliance-manager"], plan=plan, month=TODAY, progress="p",
                                effectiveness="e")
    assert reload(plan).status == PlanStatus.DRAFT and not MonthlyReport.objects.exists()


def test_queries_close_once_approved(people, approved):
    with pytest.raises(ValidationError, match="cannot be queried"):
        improvement.plan_query_raise(actor=people["sro"], plan=approved, question="Late?")


# --- Plans: monthly reports and amendments (para 177) -------------------------------------------------------------


def test_a_monthly_report_meets_the_report_clock_and_opens_the_next_a_month_later(people, approved, process):
    clock = _process_clocks(process).get(kind=ObligationKind.IMPROVEMENT_REPORT)
    assert clock.due_date == add_months(TODAY, 1)
    improvement.plan_report(actor=people["alliance-manager"], plan=approved, month=TODAY, progress="Risk board met.",
                            effectiveness="Working; add a second action.")
    clock.refresh_from_db()
    assert clock.status == ObligationStatus.MET and clock.closed_on == TODAY
    following = _process_clocks(process).get(kind=ObligationKind.IMPROVEMENT_REPORT)
    assert following.start_date == clock.due_date and following.due_date == add_months(clock.due_date, 1)
    assert MonthlyReport.objects.get().month == dt.date(2026, 11, 1)


def test_one_report_a_month_and_none_for_a_month_not_begun(people, approved, process):
    am = people["alliance-manager"]
    improvement.plan_report(actor=am, plan=approved, month=dt.date(2026, 11, 5), progress="p", effectiveness="e")
    with pytest.raises(ValidationError, match="November 2026 has already been reported on"):
        improvement.plan_report(actor=am, plan=approved, month=dt.date(2026, 11, 20), progress="p", effectiveness="e")
    with pytest.raises(ValidationError, match=re.escape(improvement.ERR_PLAN_MONTH_FUTURE)):
        improvement.plan_report(actor=am, plan=approved, month=dt.date(2026, 12, 1), progress="p", effectiveness="e")
    assert MonthlyReport.objects.count() == 1
    assert _process_clocks(process).filter(kind=ObligationKind.IMPROVEMENT_REPORT).count() == 1


def test_only_the_alliance_manager_reports(people, approved):
    with pytest.raises(PermissionDenied):
        improvement.plan_report(actor=people["sro"], plan=approved, month=TODAY, progress="p", effectiveness="e")
    assert not MonthlyReport.objects.exists()


def test_an_approved_plan_is_amended_after_the_effectiveness_review_para_177(people, approved):
    am = people["alliance-manager"]
    aim = improvement.plan_aim_add(actor=am, plan=approved, aim="Reporting", finding="Reports are late.")
    action = improvement.plan_action_add(actor=am, aim=aim, action="Weekly check", owner="AM",
                                         due_on=dt.date(2027, 1, 31))
    improvement.plan_action_update(actor=am, action=action, status=ActionStatus.COMPLETE, evidence="Log")
    assert reload(approved).status == PlanStatus.APPROVED
    assert "effectiveness review" in aim.history.first().history_change_reason
    assert reload(action).status == ActionStatus.COMPLETE and reload(action).evidence == "Log"


# --- Plans: closing --------------------------------------------------------------------------------------------


def test_a_plan_closes_only_once_its_process_has_recovered_para_177(people, approved, process):
    am = people["alliance-manager"]
    with pytest.raises(ValidationError, match="not recovered yet"):
        improvement.plan_close(actor=am, plan=approved, note="Done")
    assert reload(approved).status == PlanStatus.APPROVED
    with at(dt.date(2027, 1, 10)):
        services.process_recover(process=process, on=dt.date(2027, 1, 10))
        with pytest.raises(PermissionDenied):
            improvement.plan_close(actor=people["wsp-rep"], plan=approved, note="Done")
        plan = improvement.plan_close(actor=am, plan=approved, note="Overall above 6 again.")
    assert plan.status == PlanStatus.CLOSED and plan.closing_note == "Overall above 6 again."
    with pytest.raises(ValidationError, match="closed: it cannot be reported on"):
        improvement.plan_report(actor=am, plan=plan, month=TODAY, progress="p", effectiveness="e")


def test_another_alliances_person_cannot_touch_a_plan(people, submitted):
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))
    alliance_services.role_assign(person=outsider, role=Role.SRO)
    with pytest.raises(PermissionDenied, match="another alliance"):
        improvement.plan_approve(actor=outsider, plan=submitted)
    assert reload(submitted).status == PlanStatus.SUBMITTED


# --- The six-month sustain rule (para 177, last bullet) -------------------------------------------------------------


def test_para_177_worked_example_failing_two_months_then_again_leaves_one_month(smp, people, process):
    """Failing for two months, recovered for under six, then failing again: one month before the right to
    terminate (scenario 1: three months, para 170)."""
    assert process.termination_right_on == dt.date(2027, 2, 23)  # 23 Nov 2026 + 3 months
    with at(dt.date(2027, 1, 23)):  # two months failing
        process = services.process_recover(process=process, on=dt.date(2027, 1, 23))
    assert process.status == ProcessStatus.RECOVERING and process.months_used == 2
    with at(dt.date(2027, 4, 23)):  # three months recovered, fewer than six: failing again
        process = services.process_resume(process=process, on=dt.date(2027, 4, 23))
    assert process.status == ProcessStatus.OPEN
    assert process.termination_right_on == dt.date(2027, 5, 23)  # one month later
    rights = _process_clocks(process).filter(kind=ObligationKind.INTERVENTION_RIGHT, due_date=dt.date(2027, 5, 23))
    assert rights.exists()


def test_a_recovery_sustained_six_months_closes_the_process_para_177(smp, people, process):
    with at(dt.date(2027, 1, 23)):
        services.process_recover(process=process, on=dt.date(2027, 1, 23))
    with at(dt.date(2027, 7, 23)):
        with pytest.raises(ValidationError, match="sustained for six months"):
            services.process_resume(process=process, on=dt.date(2027, 7, 23))
    with at(dt.date(2027, 10, 5)):  # 2027-Q2 scored well and frozen, more than six months after recovering
        score(people, "2027-Q2", 10)
        freeze(smp, "2027-Q2", dt.date(2027, 10, 5))
    process.refresh_from_db()
    assert process.status == ProcessStatus.CLOSED and process.closed_on == dt.date(2027, 10, 5)
    assert not _process_clocks(process).exists()


# --- Incidents (paras 180-184) ------------------------------------------------------------------------------------


def test_the_alliance_manager_records_an_incident_para_180(incident):
    assert incident.status == Incident.Status.REPORTED and incident.scheme.code == "S1"


@pytest.mark.parametrize("username", ["sro", "wsp-rep", "client-reviewer"])
def test_only_the_alliance_manager_records_an_incident(people, schemes, username):
    with pytest.raises(PermissionDenied, match=re.escape(improvement.ERR_INCIDENT_NOT_AM)):
        improvement.incident_record(actor=people[username], scheme=schemes[0], occurred_on=TODAY, title="t",
                                    description="d")
    assert not Incident.objects.exists()


def test_an_incident_cannot_be_in_the_future(people, schemes):
    with pytest.raises(ValidationError, match=re.escape(improvement.ERR_INCIDENT_DATE_IN_FUTURE)):
        improvement.incident_record(actor=people["alliance-manager"], scheme=schemes[0],
                                    occurred_on=TODAY + dt.timedelta(days=1), title="t", description="d")
    assert not Incident.objects.exists()


def test_the_decision_needs_a_reason_and_is_taken_once(people, incident):
    am = people["alliance-manager"]
    with pytest.raises(ValidationError, match=re.escape(improvement.ERR_INCIDENT_REASON_REQUIRED)):
        improvement.incident_decide(actor=am, incident=incident, investigate=True, reason=" ")
    assert reload(incident).status == Incident.Status.REPORTED
    improvement.incident_decide(actor=am, incident=incident, investigate=False, reason="A one-off.")
    with pytest.raises(ValidationError, match="cannot be decided on"):
        improvement.incident_decide(actor=am, incident=incident, investigate=True, reason="Changed my mind.")
    incident = reload(incident)
    assert incident.status == Incident.Status.NOT_INVESTIGATED and incident.decision_reason == "A one-off."


def test_no_plan_without_a_formal_investigation_para_181(people, incident):
    with pytest.raises(ValidationError, match=re.escape(improvement.ERR_PLAN_INCIDENT_NOT_INVESTIGATING)):
        improvement.plan_create(actor=people["alliance-manager"], incident=incident, title="Plan")
    assert not ImprovementPlan.objects.exists()


def test_an_investigations_plan_reports_monthly_and_the_alliance_manager_approves_it_paras_181_182(
        people, investigating):
    am = people["alliance-manager"]
    plan = improvement.plan_create(actor=am, incident=investigating, title="Closure planning")
    clock = selectors.plan_clocks(plan).get()
    assert clock.kind == ObligationKind.IMPROVEMENT_REPORT and clock.due_date == add_months(TODAY, 1)
    assert clock.paragraph == "para 181"
    aim = improvement.plan_aim_add(actor=am, plan=plan, aim="Closures", finding="Overruns")
    improvement.plan_action_add(actor=am, aim=aim, action="Review plans", owner="WSP", due_on=dt.date(2027, 1, 1))
    improvement.plan_submit(actor=am, plan=plan)
    query = improvement.plan_query_raise(actor=am, plan=plan, question="Which crews?")
    with pytest.raises(PermissionDenied):
        improvement.plan_approve(actor=people["sro"], plan=plan)
    with pytest.raises(ValidationError, match="still need an answer"):
        improvement.plan_approve(actor=am, plan=plan)
    improvement.plan_query_answer(actor=am, query=query, answer="Night crews.")
    assert improvement.plan_approve(actor=am, plan=plan).status == PlanStatus.APPROVED
    improvement.plan_report(actor=am, plan=plan, month=TODAY, progress="p", effectiveness="e")
    assert selectors.plan_clocks(plan).filter(status=ObligationStatus.OPEN).get().due_date == add_months(TODAY, 2)


def test_closing_an_incident_closes_its_plan_and_its_clock_para_183(people, investigating):
    am = people["alliance-manager"]
    plan = improvement.plan_create(actor=am, incident=investigating, title="Closure planning")
    with pytest.raises(ValidationError, match=re.escape(improvement.ERR_INCIDENT_REASON_REQUIRED)):
        improvement.incident_close(actor=am, incident=investigating, reason="")
    assert reload(investigating).status == Incident.Status.INVESTIGATING
    incident = improvement.incident_close(actor=am, incident=investigating, reason="Sufficient progress.")
    assert incident.status == Incident.Status.CLOSED and incident.closed_on == TODAY
    assert reload(plan).status == PlanStatus.CLOSED
    assert not selectors.plan_clocks(plan).filter(status=ObligationStatus.OPEN).exists()


def test_a_reported_incident_is_decided_before_it_closes(people, incident):
    with pytest.raises(ValidationError, match="cannot be closed"):
        improvement.incident_close(actor=people["alliance-manager"], incident=incident, reason="r")
    assert reload(incident).status == Incident.Status.REPORTED


# --- The efficiency register (seed 001) -------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["alliance-manager", "wsp-staff", "costain-rep"])
def test_the_alliance_manager_and_partners_people_log_efficiencies(people, schemes, username):
    entry = improvement.efficiency_log(actor=people[username], title="Modular gantries", value=Decimal("125000"),
                                       period="2026-Q4", scheme=schemes[0])
    assert entry.assurance == Assurance.LOGGED and entry.quarter.label == "2026-Q4"


@pytest.mark.parametrize("username", ["sro", "client-reviewer"])
def test_the_client_does_not_log_efficiencies(people, username):
    with pytest.raises(PermissionDenied, match=re.escape(ERR_EFFICIENCY_NOT_ALLOWED)):
        improvement.efficiency_log(actor=people[username], title="x", value=Decimal(1), period="2026-Q4")
    assert not EfficiencyEntry.objects.exists()


@pytest.mark.parametrize(("value", "period", "message"), [
    (Decimal(0), "2026-Q4", improvement.ERR_EFFICIENCY_VALUE),
    (Decimal(-5), "2026-Q4", improvement.ERR_EFFICIENCY_VALUE),
    (Decimal(5), "2027-Q1", "2027-Q1 has not started"),
])
def test_an_efficiency_is_worth_more_than_nothing_in_a_quarter_begun(people, value, period, message):
    with pytest.raises(ValidationError, match=message):
        improvement.efficiency_log(actor=people["wsp-staff"], title="x", value=value, period=period)
    assert not EfficiencyEntry.objects.exists()


def test_assurance_moves_forward_one_level_at_a_time_by_the_alliance_manager(people):
    am = people["alliance-manager"]
    entry = improvement.efficiency_log(actor=people["wsp-staff"], title="Lean", value=Decimal(10), period="2026-Q4")
    with pytest.raises(PermissionDenied):
        improvement.efficiency_assure(actor=people["wsp-rep"], entry=entry, to=Assurance.ASSURED)
    with pytest.raises(ValidationError, match="only moves forward"):
        improvement.efficiency_assure(actor=am, entry=entry, to=Assurance.DELIVERED)
    assert reload(entry).assurance == Assurance.LOGGED
    improvement.efficiency_assure(actor=am, entry=entry, to=Assurance.ASSURED)
    entry = improvement.efficiency_assure(actor=am, entry=entry, to=Assurance.DELIVERED)
    assert entry.assurance == Assurance.DELIVERED
    for back in (Assurance.LOGGED, Assurance.ASSURED, Assurance.DELIVERED):
        with pytest.raises(ValidationError):
            improvement.efficiency_assure(actor=am, entry=entry, to=back)
    assert reload(entry).assurance == Assurance.DELIVERED


def test_the_register_totals_per_quarter_and_assurance_level(people, schemes):
    am = people["alliance-manager"]
    log = improvement.efficiency_log
    a = log(actor=am, title="A", value=Decimal("100.50"), period="2026-Q3")
    log(actor=am, title="B", value=Decimal(200), period="2026-Q3", scheme=schemes[1])
    log(actor=am, title="C", value=Decimal(50), period="2026-Q4")
    improvement.efficiency_assure(actor=am, entry=a, to=Assurance.ASSURED)
    totals = selectors.efficiency_totals(am)
    assert totals.rows == [
        {"quarter": "2026-Q4", "total": Decimal(50), "count": 1, "logged": Decimal(50), "assured": 0,
         "delivered": 0},
        {"quarter": "2026-Q3", "total": Decimal("300.50"), "count": 2, "logged": Decimal(200),
         "assured": Decimal("100.50"), "delivered": 0},
    ]
    assert totals.by_level == {"logged": Decimal(250), "assured": Decimal("100.50"), "delivered": Decimal(0)}
    assert totals.total == Decimal("350.50") and totals.count == 3
