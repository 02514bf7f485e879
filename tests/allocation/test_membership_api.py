"""Membership changes through the API (paras 19, 95-98): recorded and applied by the same services as the pages,
with the same refusals, and the terminated partner's seat on the Board ending on the effective date (para 12)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from alliance.models import Organisation, OrganisationKind, Person
from allocation.models import MembershipChange, MembershipChangeStatus
from allocation.services import membership as services
from governance.demo import seed_matrix
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db

URL = "/api/allocation/membership-changes/"


@pytest.fixture
def people(smp) -> dict[str, Person]:
    seed_matrix(smp)
    return {p.username: p for p in Person.objects.select_related("organisation").all()}


def _api(person) -> APIClient:
    c = APIClient()
    c.force_authenticate(person)
    return c


def _terminate(api: APIClient, partner: str = "wsp", effective_on: dt.date = TODAY, **extra):
    return api.post(URL, {"kind": "termination", "partner": partner, "effective_on": effective_on.isoformat(),
                          "reason": "Clause 91.4", **extra}, format="json")


def test_the_sro_records_a_termination_and_applies_it(people):
    """Paras 95-96: recorded with its reallocation proposed, then applied by the client (the SRO)."""
    created = _terminate(_api(people["sro"]))
    assert created.status_code == 201
    body = created.json()
    assert {"id", "kind", "partner", "status", "effective_on"} <= set(body)
    assert (body["kind"], body["partner"], body["organisation"], body["status"], body["effective_on"], body["reason"]) == (
        "termination", "wsp", "wsp", "proposed", TODAY.isoformat(), "Clause 91.4")
    assert body["reallocations"] == [] and body["recorded_by"] == "sro"
    applied = _api(people["sro"]).post(f"{URL}{body['id']}/apply/")
    assert applied.status_code == 200
    assert (applied.json()["id"], applied.json()["status"], applied.json()["applied_by"]) == (body["id"], "applied", "sro")
    # Para 12: its seat on the Board has ended; the Board's API no longer lists it.
    seats = _api(people["sro"]).get("/api/governance/voting-organisations/").json()
    assert "wsp" not in [s["slug"] for s in seats]
    assert _api(people["sro"]).get(f"{URL}{body['id']}/").json()["partner"] == "wsp"


def test_the_alliance_manager_records_but_only_the_sro_applies(people):
    """Para 19: the termination and the allocation of work are the client's; the Alliance Manager records it."""
    created = _terminate(_api(people["alliance-manager"]))
    assert created.status_code == 201
    refused = _api(people["alliance-manager"]).post(f"{URL}{created.json()['id']}/apply/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == services.ERR_MEMBERSHIP_NOT_SRO
    assert MembershipChange.objects.get(pk=created.json()["id"]).status == MembershipChangeStatus.PROPOSED


def test_a_partner_cannot_record_a_membership_change(people):
    refused = _terminate(_api(people["jacobs-rep"]))
    assert refused.status_code == 403 and refused.json()["detail"] == services.ERR_MEMBERSHIP_NOT_RECORDER
    assert not MembershipChange.objects.exists()


def test_the_api_requires_what_the_page_requires_before_applying(people):
    """The page refuses to apply before the effective date (the partner keeps its work and its seat until then):
    the API refuses the same, with the same message, and nothing changes."""
    effective = TODAY + dt.timedelta(days=7)
    created = _terminate(_api(people["sro"]), effective_on=effective)
    assert created.status_code == 201 and created.json()["status"] == "proposed"
    refused = _api(people["sro"]).post(f"{URL}{created.json()['id']}/apply/")
    assert refused.status_code == 400
    assert refused.json()["detail"] == services.ERR_MEMBERSHIP_NOT_YET_EFFECTIVE.format(
        date=f"{effective:%-d %B %Y}")
    assert MembershipChange.objects.get(pk=created.json()["id"]).status == MembershipChangeStatus.PROPOSED
    # And an applied change cannot be applied again.
    now = _terminate(_api(people["sro"]), partner="costain")
    assert _api(people["sro"]).post(f"{URL}{now.json()['id']}/apply/").status_code == 200
    again = _api(people["sro"]).post(f"{URL}{now.json()['id']}/apply/")
    assert again.status_code == 400 and "cannot be applied" in again.json()["detail"]


def test_bad_input_is_refused_field_by_field_and_records_nothing(people):
    api = _api(people["sro"])
    unknown = _terminate(api, partner="nobody")
    assert unknown.status_code == 400 and "partner" in unknown.json()["errors"]
    client = _terminate(api, partner="national-highways")  # the client is not a partner
    assert client.status_code == 400 and "partner" in client.json()["errors"]
    bad = api.post(URL, {"kind": "merger", "partner": "wsp", "effective_on": "23/11/2026"}, format="json")
    assert bad.status_code == 400 and {"kind", "effective_on"} <= set(bad.json()["errors"])
    assert not MembershipChange.objects.exists()
    assert Organisation.objects.get(slug="wsp").member_until is None


def test_another_alliances_partner_and_change_are_out_of_reach(people):
    other = AllianceFactory()
    OrganisationFactory(alliance=other, slug="other-client", kind=OrganisationKind.CLIENT)
    refused = _terminate(_api(people["sro"]), partner="other-client")
    assert refused.status_code == 400 and "partner" in refused.json()["errors"]
    change = _terminate(_api(people["sro"])).json()
    outsider = PersonFactory(organisation=Organisation.objects.get(slug="other-client"))
    assert _api(outsider).post(f"{URL}{change['id']}/apply/").status_code == 404
    assert _api(outsider).get(f"{URL}{change['id']}/").status_code == 404
    assert MembershipChange.objects.get(pk=change["id"]).status == MembershipChangeStatus.PROPOSED


def test_a_newly_procured_partner_is_recorded_through_the_api(people, smp):
    """Para 98: the administrator created the organisation; the SRO records it, applied at once, with its seat."""
    termination = _terminate(_api(people["sro"])).json()  # the vacancy it fills (Lot 2 South)
    assert _api(people["sro"]).post(f"{URL}{termination['id']}/apply/").status_code == 200
    Organisation.objects.create(alliance=smp, slug="arup", name="Arup", kind=OrganisationKind.PARTNER,
                                lot=smp.lots.get(number=2), area="south")
    created = _api(people["sro"]).post(URL, {"kind": "new_partner", "partner": "arup",
                                             "effective_on": TODAY.isoformat()}, format="json")
    assert created.status_code == 201
    assert (created.json()["kind"], created.json()["partner"], created.json()["status"]) == (
        "new_partner", "arup", "applied")
    seats = {s["slug"]: s for s in _api(people["sro"]).get("/api/governance/voting-organisations/").json()}
    assert seats["arup"] == {"slug": "arup", "name": "Arup", "kind": "partner", "since": TODAY.isoformat()}
    future = _api(people["sro"]).post(URL, {"kind": "new_partner", "partner": "arup",
                                            "effective_on": (TODAY + dt.timedelta(days=1)).isoformat()}, format="json")
    assert future.status_code == 400


def test_the_schema_documents_the_new_operations_and_their_refusals(people):
    schema = _api(people["sro"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    create = schema["paths"]["/api/allocation/membership-changes/"]["post"]
    assert {"201", "400", "403"} <= set(create["responses"])
    apply = schema["paths"]["/api/allocation/membership-changes/{id}/apply/"]["post"]
    assert {"200", "400", "403", "404"} <= set(apply["responses"])
    seats = schema["paths"]["/api/governance/voting-organisations/"]["get"]
    assert {"200", "403"} <= set(seats["responses"])
    body = schema["components"]["schemas"]["MembershipChangeCreateRequest"]
    assert set(body["properties"]) == {"kind", "partner", "effective_on", "reason"}
    assert set(schema["components"]["schemas"]["VotingOrganisation"]["properties"]) == {"slug", "name", "kind", "since"}
