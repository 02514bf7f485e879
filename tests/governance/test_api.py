"""The Board's API contract (issue 3): paths, fields and values are promises to partners' systems."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from governance import permissions
from governance.models.board import Decision
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.governance.conftest import VOTERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(people):
    def make(username: str) -> APIClient:
        c = APIClient()
        c.force_authenticate(people[username])
        return c

    return make


def _new(api, code="key-person-appointment", closes_at="2099-01-01T12:00:00Z"):
    return api("alliance-manager").post("/api/governance/decisions/", {
        "title": "Appoint the Commercial Lead", "description": "para 59", "decision_type": code, "closes_at": closes_at,
    }, format="json")


def test_decision_types_list_the_matrix(api):
    body = api("wsp-rep").get("/api/governance/decision-types/").json()
    row = next(t for t in body if t["code"] == "funding")
    assert row == {"code": "funding", "name": "Funding", "authority": "client", "paragraph": "para 19", "is_active": True}
    assert {t["authority"] for t in body} == {"client", "unanimous", "majority", "majority_client_veto", "none"}


def test_table_vote_and_close_through_the_api(api):
    created = _new(api)
    assert created.status_code == 201
    decision_id = created.json()["id"]
    for username in VOTERS[:4]:
        response = api(username).post(f"/api/governance/decisions/{decision_id}/vote/", {"choice": "for"}, format="json")
        assert response.status_code == 200
    body = api("sro").get(f"/api/governance/decisions/{decision_id}/").json()
    assert body["status"] == "open" and body["outcome"] is None
    assert body["tally"] == {"for": 4, "against": 0, "abstain": 0, "not_voted": 3}
    closed = api("alliance-manager").post(f"/api/governance/decisions/{decision_id}/close/").json()
    assert (closed["status"], closed["outcome"], closed["authority"]) == ("closed", "approved", "majority")
    assert set(closed) >= {"id", "title", "decision_type", "authority", "status", "outcome", "closes_at", "votes", "tally"}
    vote = closed["votes"][0]
    assert set(vote) == {"organisation", "choice", "cast_by", "capacity", "cast_at"}
    assert (vote["organisation"], vote["cast_by"], vote["capacity"]) == ("national-highways", "sro", "representative")


def test_the_sro_approves_a_client_decision_with_for(api):
    decision_id = _new(api, code="funding").json()["id"]
    refused = api("fluor-rep").post(f"/api/governance/decisions/{decision_id}/vote/", {"choice": "for"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == permissions.ERR_CLIENT_ONLY
    api("sro").post(f"/api/governance/decisions/{decision_id}/vote/", {"choice": "for"}, format="json")
    assert api("sro").post(f"/api/governance/decisions/{decision_id}/close/").json()["outcome"] == "approved"


def test_a_vote_after_close_answers_400_and_changes_nothing(api):
    decision_id = _new(api).json()["id"]
    api("alliance-manager").post(f"/api/governance/decisions/{decision_id}/close/")
    response = api("wsp-rep").post(f"/api/governance/decisions/{decision_id}/vote/", {"choice": "for"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Voting on this decision has closed."
    assert Decision.objects.get(pk=decision_id).votes.count() == 0


def test_a_vote_for_another_organisation_answers_403(api):
    decision_id = _new(api).json()["id"]
    response = api("wsp-rep").post(f"/api/governance/decisions/{decision_id}/vote/",
                                   {"choice": "for", "organisation": "costain"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == permissions.ERR_OTHER_ORGANISATION


def test_a_bad_choice_or_closing_time_answers_400_naming_the_field(api):
    decision_id = _new(api).json()["id"]
    bad_choice = api("wsp-rep").post(f"/api/governance/decisions/{decision_id}/vote/", {"choice": "maybe"}, format="json")
    assert bad_choice.status_code == 400 and list(bad_choice.json()["errors"]) == ["choice"]
    bad_date = _new(api, closes_at="next tuesday")
    assert bad_date.status_code == 400 and list(bad_date.json()["errors"]) == ["closes_at"]
    past = _new(api, closes_at="2020-01-01T12:00:00Z")
    assert past.status_code == 400 and past.json()["errors"] == {"closes_at": ["The closing date and time must be in the future."]}
    unknown = _new(api, code="no-such-type")
    assert unknown.status_code == 400 and list(unknown.json()["errors"]) == ["decision_type"]


@pytest.mark.parametrize("username", ["wsp-staff", "client-reviewer"])
def test_people_off_the_board_get_403(api, username):
    decision_id = _new(api).json()["id"]
    assert api(username).get("/api/governance/decision-types/").status_code == 403
    assert api(username).get(f"/api/governance/decisions/{decision_id}/").status_code == 403
    assert api(username).post(f"/api/governance/decisions/{decision_id}/vote/", {"choice": "for"}).status_code == 403


def test_wrong_role_cannot_table_or_close_403(api):
    decision_id = _new(api).json()["id"]
    tabled = api("wsp-rep").post("/api/governance/decisions/", {
        "title": "x", "decision_type": "funding", "closes_at": "2099-01-01T12:00:00Z"}, format="json")
    assert tabled.status_code == 403
    assert api("wsp-rep").post(f"/api/governance/decisions/{decision_id}/close/").status_code == 403


def test_another_alliances_decision_is_404(api, table):
    decision = table()
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    from alliance import services as alliance_services
    from alliance.models import Role

    alliance_services.role_assign(person=outsider, role=Role.ALLIANCE_MANAGER)
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(f"/api/governance/decisions/{decision.pk}/").status_code == 404
    assert client.post(f"/api/governance/decisions/{decision.pk}/vote/", {"choice": "for"}).status_code == 404
    assert client.post(f"/api/governance/decisions/{decision.pk}/close/").status_code == 404


def test_decision_list_puts_what_i_must_vote_on_first(api, table, vote):
    voted = table(title="Voted")
    pending = table(title="Pending")
    vote(voted, "wsp-rep", "for")
    titles = [d["title"] for d in api("wsp-rep").get("/api/governance/decisions/", {"status": "open"}).json()["results"]]
    assert titles == ["Pending", "Voted"]
    assert pending.pk


def test_decision_list_reads_votes_in_a_fixed_number_of_queries(api, table, vote):
    def count_for(n_decisions: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = api("wsp-rep").get("/api/governance/decisions/")
        assert len(response.json()["results"]) == n_decisions
        return len(queries)

    for i in range(3):
        decision = table(title=f"Decision {i}")
        vote(decision, "wsp-rep", "for")
        vote(decision, "costain-rep", "against")
    few = count_for(3)
    for i in range(3, 12):
        decision = table(title=f"Decision {i}")
        vote(decision, "jacobs-rep", "abstain")
    assert count_for(12) <= few  # not one more per decision (the first call also warms a cache)
    first = api("wsp-rep").get("/api/governance/decisions/").json()["results"][-1]
    assert first["tally"]["for"] == 1 and first["tally"]["against"] == 1 and len(first["votes"]) == 2
