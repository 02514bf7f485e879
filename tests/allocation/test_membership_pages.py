"""Pages and API of membership changes (paras 95-98) and Periodic Instructions (paras 103-107): everyone in the
alliance reads, writes per role (403 otherwise), another alliance's records are not found (404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import Person, Role
from allocation.models import (
    MembershipChange,
    MembershipChangeStatus,
    PeriodicInstructionStatus,
    SchemeAllocation,
)
from allocation.services import membership as membership_services
from allocation.services import periodic as periodic_services
from governance.demo import seed_matrix
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.allocation.test_membership import make_package, make_scheme, org
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(smp):
    seed_matrix(smp)
    return smp


@pytest.fixture
def people(board) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation").all()}


@pytest.fixture
def schemes(board, people):
    package = make_package(board, people)
    return {
        "M1": make_scheme(package, "M1", "midlands", construction="5000000"),
        "E1": make_scheme(package, "E1", "east", construction="5000000"),
    }


@pytest.fixture
def change(people, schemes) -> MembershipChange:
    return membership_services.membership_termination_record(actor=people["sro"], organisation=org("bam-msjv"),
                                                              effective_on=TODAY)


@pytest.fixture
def instruction(people):
    return periodic_services.periodic_instruction_request(
        actor=people["sro"], period_start=dt.date(2027, 1, 1), period_end=dt.date(2027, 3, 31), scope="RIS2 PMP")


@pytest.fixture
def outsider():
    person = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))
    alliance_services.role_assign(person=person, role=Role.SRO)
    return person


def _read_urls(change, instruction) -> list[str]:
    return [reverse("membership-changes"), reverse("membership-change", args=[change.pk]),
            reverse("api-membership-changes"), reverse("api-membership-change", args=[change.pk]),
            reverse("periodic-instructions"), reverse("periodic-instruction", args=[instruction.pk]),
            reverse("api-periodic-instructions"), reverse("api-periodic-instruction", args=[instruction.pk])]


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "client-reviewer", "wsp-rep", "costain-staff",
                                      "bam-msjv-staff"])
def test_everyone_in_the_alliance_reads_every_page_and_endpoint(change, instruction, people, client_for, username):
    c = client_for(people[username])
    for url in _read_urls(change, instruction):
        assert c.get(url).status_code == 200, url


def test_the_detail_shows_the_proposed_reallocation_and_the_shares(change, people, client_for):
    """Para 96: M1 (midlands, Lot 2 North) → Costain, E1 (east, South) → Balfour Beatty, 50/50."""
    page = client_for(people["wsp-staff"]).get(reverse("membership-change", args=[change.pk])).content.decode()
    assert "M1 Scheme M1" in page and "E1 Scheme E1" in page and "Proposed reallocation" in page
    assert 'data-testid="shares-lot-3"' in page and "50.0%" in page and "Within tolerance" in page
    assert "Apply the reallocation" not in page  # partner staff only read
    sro_page = client_for(people["sro"]).get(reverse("membership-change", args=[change.pk])).content.decode()
    assert "Apply the reallocation" in sro_page


def test_another_alliances_records_are_not_found(change, instruction, outsider, client_for):
    c = client_for(outsider)
    for url in _read_urls(change, instruction):
        response = c.get(url)
        if url.rstrip("/").split("/")[-1].isdigit():
            assert response.status_code == 404, url
        elif "/api/" in url:
            assert response.status_code == 200 and response.json()["count"] == 0, url  # its own: none
        else:
            assert response.status_code == 200 and "BAM Nuttall" not in response.content.decode(), url
    assert c.post(reverse("membership-change-apply", args=[change.pk])).status_code == 404
    assert c.post(reverse("periodic-instruction-issue", args=[instruction.pk])).status_code == 404
    assert MembershipChange.objects.get(pk=change.pk).status == MembershipChangeStatus.PROPOSED


def test_wrong_roles_get_403_and_nothing_changes(change, instruction, people, client_for):
    rep = client_for(people["wsp-rep"])
    assert rep.get(reverse("membership-termination-new")).status_code == 403
    assert rep.get(reverse("membership-new-partner")).status_code == 403
    assert rep.post(reverse("membership-change-withdraw", args=[change.pk]), {"reason": "x"}).status_code == 403
    manager = client_for(people["alliance-manager"])
    assert manager.post(reverse("membership-change-apply", args=[change.pk])).status_code == 403
    assert manager.get(reverse("periodic-instruction-new")).status_code == 403
    assert manager.post(reverse("periodic-instruction-issue", args=[instruction.pk])).status_code == 403
    sro = client_for(people["sro"])
    assert sro.post(reverse("periodic-instruction-profile", args=[instruction.pk]),
                    {"summary": "x", "total": "1"}).status_code == 403
    assert sro.post(reverse("periodic-instruction-table", args=[instruction.pk]), {}).status_code == 403
    assert MembershipChange.objects.get(pk=change.pk).status == MembershipChangeStatus.PROPOSED
    instruction.refresh_from_db()
    assert instruction.status == PeriodicInstructionStatus.REQUESTED and instruction.profile_total is None


def test_a_person_of_no_organisation_gets_403(change, client_for):
    nobody = PersonFactory(organisation=None)
    assert client_for(nobody).get(reverse("membership-changes")).status_code == 403
    assert client_for(nobody).get(reverse("api-periodic-instructions")).status_code == 403


def test_the_sro_records_and_applies_a_termination_through_the_pages(schemes, people, client_for):
    sro = client_for(people["sro"])
    assert sro.get(reverse("membership-termination-new")).status_code == 200
    response = sro.post(reverse("membership-termination-new"), {
        "organisation": org("bam-msjv").pk, "effective_on": TODAY.isoformat(), "reason": "Clause 90"})
    change = MembershipChange.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("membership-change", args=[change.pk])
    assert sro.post(reverse("membership-change-apply", args=[change.pk])).status_code == 302
    assert SchemeAllocation.objects.get(scheme=schemes["M1"], lot=3).current_partner.slug == "costain"
    api = sro.get(reverse("api-membership-changes")).json()
    assert api["results"][0]["status"] == "applied" and {r["to_partner"] for r in api["results"][0]["reallocations"]} \
        == {"costain", "balfour-beatty"}
    refused = sro.post(reverse("membership-termination-new"), {
        "organisation": org("bam-msjv").pk, "effective_on": TODAY.isoformat()})
    assert refused.status_code == 400  # no longer offered: already terminated


def test_a_withdrawal_without_a_reason_shows_the_error(change, people, client_for):
    response = client_for(people["alliance-manager"]).post(reverse("membership-change-withdraw", args=[change.pk]),
                                                           {"reason": ""})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()


def test_the_periodic_instruction_through_the_pages(board, people, client_for):
    sro, manager = client_for(people["sro"]), client_for(people["alliance-manager"])
    bad = sro.post(reverse("periodic-instruction-new"), {"period_start": "2027-03-31", "period_end": "2027-01-01",
                                                         "scope": "x"})
    assert bad.status_code == 400 and periodic_services.ERR_PERIODIC_PERIOD_ORDER in bad.content.decode()
    response = sro.post(reverse("periodic-instruction-new"), {"period_start": "2027-01-01",
                                                              "period_end": "2027-03-31", "scope": "RIS2 PMP"})
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    assert manager.post(reverse("periodic-instruction-profile", args=[pk]),
                        {"summary": "16 FTE", "total": "1250000.00"}).status_code == 302
    page = manager.get(reverse("periodic-instruction", args=[pk])).content.decode()
    assert "£1,250,000" in page and "Table for the Board" in page
    assert manager.post(reverse("periodic-instruction-table", args=[pk]), {}).status_code == 302
    api = client_for(people["fluor-staff"]).get(reverse("api-periodic-instruction", args=[pk])).json()
    assert api["status"] == "with_board" and Decimal(api["profile_total"]) == Decimal("1250000.00")


def test_the_alliance_manager_records_the_transition_plan_from_the_page(board, people, client_for):
    from alliance.models import Obligation, ObligationKind

    Obligation.objects.filter(alliance=board, kind=ObligationKind.TRANSITION_PLAN).delete()
    page = client_for(people["alliance-manager"]).get(reverse("membership-changes")).content.decode()
    assert "Record the transition plan as delivered" in page
    assert client_for(people["sro"]).post(reverse("membership-transition-plan"), {}).status_code == 403
    assert client_for(people["alliance-manager"]).post(reverse("membership-transition-plan"), {}).status_code == 302
    assert Obligation.objects.get(alliance=board, kind=ObligationKind.TRANSITION_PLAN).status == "met"
