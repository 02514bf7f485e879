"""Pages and API of improvement: everyone of the alliance reads; writes by role (403 otherwise); another
alliance's records are not found (404). Each workflow through the browser's forms."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import Role
from performance.models import Assurance, EfficiencyEntry, ImprovementPlan, Incident, PlanStatus
from performance.services import improvement
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY
from tests.performance._improvement_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(people):
    return improvement.efficiency_log(actor=people["wsp-staff"], title="Modular gantries", value=Decimal("125000"),
                                      period="2026-Q4")


@pytest.fixture
def outsider():
    person = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))
    alliance_services.role_assign(person=person, role=Role.ALLIANCE_MANAGER)
    return person


def _read_urls(process, plan, incident) -> list[str]:
    return [
        reverse("processes"), reverse("process", args=[process.pk]), reverse("plans"),
        reverse("improvement-plan", args=[plan.pk]), reverse("incidents"), reverse("incident", args=[incident.pk]),
        reverse("efficiencies"), reverse("efficiencies-csv"), reverse("api-performance-processes"),
        reverse("api-performance-plans"), reverse("api-performance-plan", args=[plan.pk]),
        reverse("api-performance-incidents"), reverse("api-performance-efficiencies"),
    ]


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "client-reviewer", "wsp-staff", "costain-rep"])
def test_everyone_of_the_alliance_reads(people, process, submitted, incident, entry, client_for, username):
    c = client_for(people[username])
    for url in _read_urls(process, submitted, incident):
        assert c.get(url).status_code == 200, url


def test_another_alliance_gets_404_and_sees_none_of_ours(process, submitted, incident, entry, outsider, client_for):
    c = client_for(outsider)
    for url in [reverse("process", args=[process.pk]), reverse("improvement-plan", args=[submitted.pk]),
                reverse("plan-edit", args=[submitted.pk]), reverse("incident", args=[incident.pk]),
                reverse("api-performance-plan", args=[submitted.pk])]:
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("plan-approve", args=[submitted.pk])).status_code == 404
    assert c.post(reverse("incident-decide", args=[incident.pk]),
                  {"investigate": "yes", "reason": "r"}).status_code == 404
    assert c.post(reverse("efficiency-assure", args=[entry.pk]), {"to": "assured"}).status_code == 404
    assert ImprovementPlan.objects.get().status == PlanStatus.SUBMITTED
    assert Incident.objects.get().status == Incident.Status.REPORTED
    assert EfficiencyEntry.objects.get().assurance == Assurance.LOGGED
    assert c.get(reverse("api-performance-plans")).json()["count"] == 0
    assert "Recover overall performance" not in c.get(reverse("plans")).content.decode()


def test_wrong_roles_get_403(people, process, plan, incident, entry, client_for):
    staff = client_for(people["wsp-staff"])
    for url in [reverse("plan-new"), reverse("plan-edit", args=[plan.pk]), reverse("incident-new")]:
        assert staff.get(url).status_code == 403, url
    assert staff.post(reverse("plan-submit", args=[plan.pk])).status_code == 403
    assert staff.post(reverse("efficiency-assure", args=[entry.pk]), {"to": "assured"}).status_code == 403
    assert client_for(people["client-reviewer"]).get(reverse("efficiency-new")).status_code == 403
    assert ImprovementPlan.objects.get().status == PlanStatus.DRAFT
    assert EfficiencyEntry.objects.get().assurance == Assurance.LOGGED


def test_the_sro_cannot_submit_nor_the_alliance_manager_approve_a_process_plan(people, plan, client_for):
    assert client_for(people["sro"]).post(reverse("plan-submit", args=[plan.pk])).status_code == 403
    improvement.plan_submit(actor=people["alliance-manager"], plan=plan)
    assert client_for(people["alliance-manager"]).post(reverse("plan-approve", args=[plan.pk])).status_code == 403
    assert ImprovementPlan.objects.get().status == PlanStatus.SUBMITTED


def test_the_api_is_read_only(people, plan, client_for):
    c = client_for(people["alliance-manager"])
    assert c.post(reverse("api-performance-plans"), {}, content_type="application/json").status_code == 405


def test_a_plan_from_draft_to_approval_through_the_pages_para_177(people, process, client_for):
    am, sro = client_for(people["alliance-manager"]), client_for(people["sro"])
    response = am.post(reverse("plan-new"), {"title": "Recover", "subject": f"process-{process.pk}"})
    plan = ImprovementPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plan-edit", args=[plan.pk])
    edit = reverse("plan-edit", args=[plan.pk])
    assert am.post(edit, {"form": "aim", "aim-aim": "Risk management",
                          "aim-finding": "Actions not logged"}).status_code == 302
    aim = plan.aims.get()
    assert am.post(edit, {"form": "action", "action-aim": aim.pk, "action-action": "Monthly risk board",
                          "action-owner": "RC", "action-due_on": "2026-12-31", "action-status": "in_progress",
                          "action-evidence": "Minutes"}).status_code == 302
    action = aim.actions.get()
    assert am.post(edit, {"form": "update", "update-action_id": action.pk, "update-status": "complete",
                          "update-evidence": "Minutes of 1 Dec"}).status_code == 302
    assert am.post(reverse("plan-submit", args=[plan.pk])).status_code == 302
    assert sro.post(reverse("plan-query", args=[plan.pk]), {"question": "Who chairs it?"}).status_code == 302
    query = plan.queries.get()
    refused = sro.post(reverse("plan-approve", args=[plan.pk]))
    assert refused.status_code == 400 and "still need an answer" in refused.content.decode()
    assert ImprovementPlan.objects.get().status == PlanStatus.SUBMITTED
    assert am.post(reverse("plan-answer", args=[plan.pk, query.pk]),
                   {f"q{query.pk}-answer": "The Alliance Manager."}).status_code == 302
    assert sro.post(reverse("plan-approve", args=[plan.pk])).status_code == 302
    assert am.post(reverse("plan-report", args=[plan.pk]), {"month": TODAY.isoformat(), "progress": "On track",
                                                             "effectiveness": "Working"}).status_code == 302
    page = client_for(people["wsp-staff"]).get(reverse("improvement-plan", args=[plan.pk])).content.decode()
    for text in ("Risk management", "Actions not logged", "Monthly risk board", "31 Dec 2026", "RC", "Complete",
                 "Minutes of 1 Dec", "Who chairs it?", "The Alliance Manager.", "November 2026", "On track",
                 "Approved: all the client&#x27;s queries addressed (para 177)"):
        assert text in page, text
    assert ImprovementPlan.objects.get().status == PlanStatus.APPROVED


def test_a_refused_report_shows_the_error_at_the_top(people, approved, client_for):
    am = client_for(people["alliance-manager"])
    response = am.post(reverse("plan-report", args=[approved.pk]),
                       {"month": "2027-01-01", "progress": "p", "effectiveness": "e"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode() and improvement.ERR_PLAN_MONTH_FUTURE in (
        response.content.decode())


def test_an_incident_through_the_pages_paras_180_183(people, schemes, client_for):
    am = client_for(people["alliance-manager"])
    future = am.post(reverse("incident-new"), {"scheme": schemes[0].pk, "occurred_on": "2026-12-01", "title": "t",
                                               "description": "d"})
    assert future.status_code == 400 and improvement.ERR_INCIDENT_DATE_IN_FUTURE in future.content.decode()
    response = am.post(reverse("incident-new"), {"scheme": schemes[0].pk, "occurred_on": "2026-11-20",
                                                 "title": "Closure overran", "description": "Four hours."})
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("incident", args=[incident.pk])
    assert am.post(reverse("incident-decide", args=[incident.pk]),
                   {"investigate": "yes", "reason": "Third time"}).status_code == 302
    assert "Open an improvement plan" in am.get(reverse("incident", args=[incident.pk])).content.decode()
    assert am.get(reverse("plan-new") + f"?incident={incident.pk}").status_code == 200
    assert am.post(reverse("plan-new"), {"title": "Closures", "subject": f"incident-{incident.pk}"}).status_code == 302
    assert am.post(reverse("incident-close", args=[incident.pk]), {"reason": "Sufficient"}).status_code == 302
    assert Incident.objects.get().status == Incident.Status.CLOSED
    assert ImprovementPlan.objects.get().status == PlanStatus.CLOSED


def test_the_efficiency_register_through_the_pages(people, schemes, client_for):
    staff, am = client_for(people["wsp-staff"]), client_for(people["alliance-manager"])
    assert staff.post(reverse("efficiency-new"), {"title": "Lean", "value": "0", "quarter": "2026-Q4"}).status_code == 400
    assert staff.post(reverse("efficiency-new"), {"title": "Lean", "value": "1250.50", "quarter": "2026-Q4",
                                                  "scheme": schemes[0].pk}).status_code == 302
    staff.post(reverse("efficiency-new"), {"title": "Gantries", "value": "100", "quarter": "2026-Q3"})
    lean = EfficiencyEntry.objects.get(title="Lean")
    assert am.post(reverse("efficiency-assure", args=[lean.pk]), {"to": "assured"}).status_code == 302
    assert EfficiencyEntry.objects.get(pk=lean.pk).assurance == Assurance.ASSURED
    page = staff.get(reverse("efficiencies")).content.decode()
    assert "£1,350.50" in page and "£1,250.50" in page and "Mark assured" not in page
    assert "Mark delivered" in am.get(reverse("efficiencies")).content.decode()
    response = staff.get(reverse("efficiencies-csv"), {"assurance": "assured"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["quarter", "title", "scheme", "value"]
    assert rows[1][:5] == ["2026-Q4", "Lean", "S1", "1250.50", "Assured"] and len(rows) == 2
    api = staff.get(reverse("api-performance-efficiencies")).json()
    assert api["count"] == 2


def test_the_processes_list_shows_scenario_subject_dates_and_status(people, process, client_for):
    page = client_for(people["client-reviewer"]).get(reverse("processes")).content.decode()
    assert "Scenario 1" in page and "Overall Alliance" in page and "23 Feb 2027" in page and "23 Nov 2026" in page
    detail = client_for(people["client-reviewer"]).get(reverse("process", args=[process.pk])).content.decode()
    assert "Performance improvement plan for the Alliance overall" in detail
    assert dt.date(2027, 2, 23).strftime("%-d %B %Y") in detail
