"""Pages and API of commitments, the Performance Table and assurance: allowed persona 200, wrong role 403,
another alliance's object 404; the forms call the services and show their refusals."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alliance import services as alliance_services
from alliance.models import Organisation, Role
from governance.demo import seed_commitments
from governance.models.commitments import (
    AssuranceReview,
    AssuranceStatus,
    Commitment,
    CommitmentSelection,
    PerformancePeriod,
    PerformanceTable,
    SelectionStatus,
)
from governance.services import assurance as assurance_services
from governance.services import commitments as commitments_services
from governance.services import performance_table as performance_table_services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def seeded(board):
    seed_commitments(board)
    return board


@pytest.fixture
def objects(seeded):
    table = PerformanceTable.objects.get(alliance=seeded)
    return {
        "commitment": Commitment.objects.get(alliance=seeded, reference="C-03"),
        "selection": CommitmentSelection.objects.get(commitment__reference="C-01"),
        "table": table,
        "row": table.rows.first(),
        "review": AssuranceReview.objects.filter(alliance=seeded, status=AssuranceStatus.DUE).first(),
    }


def _read_pages(o):
    return [reverse("commitments"), reverse("commitments-csv"), reverse("performance-table"),
            reverse("performance-periods"), reverse("performance-table-version", args=[o["table"].pk])]


def _manager_pages(o):
    return [reverse("commitment-new"), reverse("commitment-edit", args=[o["commitment"].pk]),
            reverse("commitment-select", args=[o["commitment"].pk]),
            reverse("commitment-deselect", args=[o["selection"].pk]), reverse("performance-table-trigger-new"),
            reverse("performance-table-row", args=[o["table"].pk, o["row"].pk])]


@pytest.mark.parametrize("username", ["alliance-manager", "sro", "client-reviewer", "wsp-rep", "costain-staff"])
def test_every_member_of_the_alliance_reads_commitments_and_tables(objects, people, client_for, username):
    c = client_for(people[username])
    for url in _read_pages(objects):
        assert c.get(url).status_code == 200, url


def test_the_alliance_manager_opens_every_form(objects, people, client_for):
    c = client_for(people["alliance-manager"])
    for url in _manager_pages(objects):
        assert c.get(url).status_code == 200, url


@pytest.mark.parametrize("username", ["sro", "client-reviewer", "wsp-rep", "costain-staff"])
def test_other_roles_get_403_on_the_alliance_managers_forms(objects, people, client_for, username):
    c = client_for(people[username])
    for url in _manager_pages(objects):
        assert c.get(url).status_code == 403, url
    assert c.post(reverse("performance-table-agree", args=[objects["table"].pk])).status_code == 403
    assert c.post(reverse("performance-table-version", args=[objects["table"].pk]),
                  {"indicator": "X", "target": "Y"}).status_code == 403
    assert c.post(reverse("performance-periods"), {"name": "Y2"}).status_code == 403
    assert c.post(reverse("commitments-review")).status_code == 403
    objects["table"].refresh_from_db()
    assert objects["table"].status == "draft" and objects["table"].rows.count() == 3


def test_someone_outside_any_alliance_gets_403(objects, client_for):
    c = client_for(PersonFactory(organisation=None))
    for url in _read_pages(objects) + [reverse("assurance")]:
        assert c.get(url).status_code == 403, url


def test_another_alliances_objects_are_404(objects, client_for):
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    alliance_services.role_assign(person=outsider, role=Role.ALLIANCE_MANAGER)
    alliance_services.role_assign(person=outsider, role=Role.CLIENT_REVIEWER)
    c = client_for(outsider)
    for url in _manager_pages(objects)[1:4] + _manager_pages(objects)[5:] + [reverse("performance-table-version", args=[objects["table"].pk]),
                                              reverse("assurance-record", args=[objects["review"].pk])]:
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("performance-table-agree", args=[objects["table"].pk])).status_code == 404
    assert "C-01" not in c.get(reverse("commitments")).content.decode()


@pytest.mark.parametrize("username,status", [("client-reviewer", 200), ("sro", 200), ("alliance-manager", 200),
                                             ("wsp-rep", 403), ("wsp-staff", 403)])
def test_the_assurance_calendar_is_for_the_client_the_sro_and_the_alliance_manager(objects, people, client_for,
                                                                                  username, status):
    assert client_for(people[username]).get(reverse("assurance")).status_code == status


@pytest.mark.parametrize("username,status", [("client-reviewer", 200), ("sro", 200), ("alliance-manager", 403),
                                             ("wsp-rep", 403)])
def test_assurance_is_recorded_by_the_clients_reviewers_and_the_sro(objects, people, client_for, username, status):
    assert client_for(people[username]).get(reverse("assurance-record", args=[objects["review"].pk])).status_code == status


def test_the_navigation_shows_each_area_to_its_readers(seeded, people, client_for):
    staff = client_for(people["wsp-staff"]).get(reverse("home")).content.decode()
    assert 'href="/commitments/"' in staff and 'href="/performance-table/"' in staff
    assert 'href="/assurance/"' not in staff
    assert 'href="/assurance/"' in client_for(people["client-reviewer"]).get(reverse("home")).content.decode()


# --- The register ---------------------------------------------------------------------------------------


def test_the_register_shows_lead_partners_dependencies_conflicts_and_selections(objects, people, client_for):
    page = client_for(people["wsp-rep"]).get(reverse("commitments")).content.decode()
    assert "Jacobs" in page and "BAM Nuttall / Morgan Sindall JV, Costain" in page  # C-02's dependencies
    assert "Awaiting Board approval" in page and "No approval needed" in page
    decision = CommitmentSelection.objects.get(commitment__reference="C-02").decision
    assert reverse("board-decision", args=[decision.pk]) in page  # a board member follows the link
    staff_page = client_for(people["wsp-staff"]).get(reverse("commitments")).content.decode()
    assert reverse("board-decision", args=[decision.pk]) not in staff_page  # not on the Board: no link


def test_the_register_downloads_as_csv(objects, people, client_for):
    response = client_for(people["wsp-staff"]).get(reverse("commitments-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["reference", "title", "lead partner"]
    c02 = next(r for r in rows if r[0] == "C-02")
    assert c02[3] == "BAM Nuttall / Morgan Sindall JV; Costain" and "Awaiting Board approval" in c02[6]
    assert next(r for r in rows if r[0] == "C-06")[4] == "C-05"


def test_adding_a_commitment_through_the_form(seeded, people, client_for):
    orgs = {o.slug: o for o in Organisation.objects.filter(alliance=seeded)}
    response = client_for(people["alliance-manager"]).post(reverse("commitment-new"), {
        "reference": "C-07", "title": "Apprentices on every scheme", "lead_partner": orgs["wsp"].pk,
        "dependent_partners": [orgs["fluor"].pk], "is_active": "on",
    })
    assert response.status_code == 302
    assert list(Commitment.objects.get(reference="C-07").dependent_partners.all()) == [orgs["fluor"]]


def test_the_form_shows_the_services_refusal_and_saves_nothing(seeded, people, client_for):
    orgs = {o.slug: o for o in Organisation.objects.filter(alliance=seeded)}
    response = client_for(people["alliance-manager"]).post(reverse("commitment-new"), {
        "reference": "C-08", "title": "Lead by itself", "lead_partner": orgs["wsp"].pk,
        "dependent_partners": [orgs["wsp"].pk],
    })
    assert response.status_code == 400
    assert commitments_services.ERR_COMMITMENT_DEPENDENCY_IS_LEAD in response.content.decode()
    assert not Commitment.objects.filter(reference="C-08").exists()


def test_selecting_through_the_form_tables_the_board_decision_when_table_8_needs_it(seeded, objects, people, client_for):
    period = PerformancePeriod.objects.get(alliance=seeded)
    c05 = Commitment.objects.get(alliance=seeded, reference="C-05")
    c = client_for(people["alliance-manager"])
    assert c.post(reverse("commitment-select", args=[c05.pk]), {"period": period.pk}).status_code == 302
    assert CommitmentSelection.objects.get(commitment=c05).status == SelectionStatus.SELECTED
    c06 = Commitment.objects.get(alliance=seeded, reference="C-06")  # conflicts with C-05, now selected
    response = c.post(reverse("commitment-select", args=[c06.pk]), {"period": period.pk}, follow=True)
    assert "needs the Board&#x27;s approval" in response.content.decode()
    assert CommitmentSelection.objects.get(commitment=c06).status == SelectionStatus.AWAITING_BOARD
    again = c.post(reverse("commitment-select", args=[c05.pk]), {"period": period.pk})
    assert again.status_code == 400
    assert "already selected" in again.content.decode()


def test_deselecting_through_the_form(objects, people, client_for):
    response = client_for(people["alliance-manager"]).post(
        reverse("commitment-deselect", args=[objects["selection"].pk]), {"reason": "Done"})
    assert response.status_code == 302
    objects["selection"].refresh_from_db()
    assert objects["selection"].status == SelectionStatus.DESELECTED


def test_recording_the_quarterly_review_from_the_register(objects, people, client_for):
    response = client_for(people["alliance-manager"]).post(reverse("commitments-review"), {"note": "Q3"}, follow=True)
    assert "The next is due 23 Apr 2027" in response.content.decode()


# --- Periods and the Performance Table ---------------------------------------------------------------------


def test_an_overlapping_period_is_refused_on_the_page(seeded, people, client_for):
    response = client_for(people["alliance-manager"]).post(reverse("performance-periods"), {
        "name": "Overlap", "starts_on": "2027-01-01", "ends_on": "2027-12-31"})
    assert response.status_code == 400
    assert "overlaps" in response.content.decode()
    assert PerformancePeriod.objects.filter(alliance=seeded).count() == 1


def test_editing_and_agreeing_a_draft_on_its_page(objects, people, client_for):
    table = objects["table"]
    c = client_for(people["alliance-manager"])
    assert c.post(reverse("performance-table-version", args=[table.pk]),
                  {"indicator": "Safety", "target": "Zero harm"}).status_code == 302
    assert c.post(reverse("performance-table-row", args=[table.pk, objects["row"].pk]),
                  {"indicator": "PCF on time", "target": "95%"}).status_code == 302
    assert table.rows.count() == 4 and table.rows.get(pk=objects["row"].pk).target == "95%"
    response = c.post(reverse("performance-table-agree", args=[table.pk]), follow=True)
    assert "is agreed" in response.content.decode()
    table.refresh_from_db()
    assert table.status == "agreed"
    page = c.get(reverse("performance-table")).content.decode()
    assert 'data-testid="current-table"' in page and "Zero harm" in page


def test_drafting_a_new_version_from_the_overview(objects, people, client_for):
    performance_table_services.performance_table_agree(actor=people["alliance-manager"], table=objects["table"])
    response = client_for(people["alliance-manager"]).post(reverse("performance-table-draft"),
                                                           {"period": objects["table"].period_id})
    assert response.status_code == 302
    assert PerformanceTable.objects.get(version=2).rows.count() == 3


def test_recording_an_event_shows_its_3_month_deadline(seeded, people, client_for):
    c = client_for(people["alliance-manager"])
    response = c.post(reverse("performance-table-trigger-new"), {
        "reason": "scheme_order", "occurred_on": "2026-11-20", "description": "Scheme Order SO-003 issued"})
    assert response.status_code == 302
    page = c.get(reverse("performance-table")).content.decode()
    assert "Scheme Order SO-003 issued" in page and "20 Feb 2027" in page


# --- Assurance ---------------------------------------------------------------------------------------------


def test_recording_a_review_on_its_page(objects, people, client_for):
    review = AssuranceReview.objects.get(alliance=objects["table"].alliance, kind="pcf_milestones",
                                         status=AssuranceStatus.DUE)
    response = client_for(people["client-reviewer"]).post(reverse("assurance-record", args=[review.pk]), {
        "held_on": "2026-11-20", "reviewer": "MPPH", "findings": "On track", "actions": ""}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "On track" in page and "20 Nov 2026" in page
    review.refresh_from_db()
    assert review.status == AssuranceStatus.HELD


def test_an_audit_without_a_missed_milestone_is_refused_on_the_page(objects, people, client_for):
    review = AssuranceReview.objects.get(alliance=objects["table"].alliance, kind="pcf_milestones",
                                         status=AssuranceStatus.DUE)
    response = client_for(people["client-reviewer"]).post(reverse("assurance-record", args=[review.pk]), {
        "held_on": "2026-11-20", "findings": "On track", "audit_initiated": "on"})
    assert response.status_code == 400
    assert assurance_services.ERR_ASSURANCE_AUDIT_WITHOUT_MISSED_MILESTONE in response.content.decode()
    review.refresh_from_db()
    assert review.status == AssuranceStatus.DUE


def test_cancelling_a_review_on_its_page(objects, people, client_for):
    review = objects["review"]
    c = client_for(people["sro"])
    assert c.post(reverse("assurance-record", args=[review.pk]), {"cancel": "1", "reason": ""}).status_code == 400
    assert c.post(reverse("assurance-record", args=[review.pk]), {"cancel": "1", "reason": "Merged"}).status_code == 302
    review.refresh_from_db()
    assert review.status == AssuranceStatus.CANCELLED


def test_overdue_reviews_are_marked_in_words_not_only_in_red(board, people, client_for):
    AssuranceReview.objects.create(alliance=board, kind="benefits", due_on=TODAY - dt.timedelta(days=3))
    page = client_for(people["client-reviewer"]).get(reverse("assurance")).content.decode()
    assert "app-overdue" in page and "Overdue" in page


def test_starting_the_calendar_from_the_page(board, people, client_for):
    assert client_for(people["wsp-rep"]).post(reverse("assurance-start")).status_code == 403
    assert client_for(people["client-reviewer"]).post(reverse("assurance-start")).status_code == 302
    assert AssuranceReview.objects.filter(alliance=board).count() == 3


# --- API ---------------------------------------------------------------------------------------------------


@pytest.fixture
def api(people):
    def make(person) -> APIClient:
        c = APIClient()
        c.force_authenticate(people[person] if isinstance(person, str) else person)
        return c

    return make


def test_the_api_lists_the_register_for_a_partners_system(objects, api):
    body = api("wsp-staff").get("/api/governance/commitments/").json()
    c02 = next(c for c in body["results"] if c["reference"] == "C-02")
    assert set(c02) == {"id", "reference", "title", "description", "lead_partner", "dependent_partners",
                        "conflicts_with", "is_active", "selections"}
    assert (c02["lead_partner"], sorted(c02["dependent_partners"])) == ("jacobs", ["bam-msjv", "costain"])
    selection = c02["selections"][0]
    assert (selection["status"], selection["approval"]) == ("awaiting_board", "commitment-with-dependencies")
    assert selection["period"]["starts_on"] == "2026-07-23" and selection["decision"] is not None


def test_the_api_lists_performance_tables_with_rows(objects, api):
    body = api("costain-rep").get("/api/governance/performance-tables/").json()
    table = body["results"][0]
    assert (table["version"], table["status"], table["reason"]) == (1, "draft", "first")
    assert table["rows"][2] == {"order": 3, "indicator": "Production control tower in use",
                                "measure": "Schemes reporting through it", "target": "All schemes by month 9",
                                "commitment": "C-01"}
    assert api("costain-rep").get("/api/governance/performance-tables/?status=agreed").json()["count"] == 0


def test_the_api_lists_assurance_reviews_to_the_client(objects, api):
    body = api("client-reviewer").get("/api/governance/assurance-reviews/").json()
    assert {r["kind"] for r in body["results"]} == {"pcf_milestones", "benefits", "external"}
    assert set(body["results"][0]) >= {"kind", "due_on", "status", "held_on", "findings", "actions", "audit_initiated"}


def test_the_api_refuses_wrong_roles_403(objects, api):
    assert api("wsp-rep").get("/api/governance/assurance-reviews/").status_code == 403
    nobody = PersonFactory(organisation=None)
    for path in ["/api/governance/commitments/", "/api/governance/performance-tables/"]:
        response = api(nobody).get(path)
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"


def test_the_api_shows_nothing_of_another_alliance(objects, api):
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    alliance_services.role_assign(person=outsider, role=Role.CLIENT_REVIEWER)
    for path in ["/api/governance/commitments/", "/api/governance/performance-tables/",
                 "/api/governance/assurance-reviews/"]:
        assert api(outsider).get(path).json()["count"] == 0, path
