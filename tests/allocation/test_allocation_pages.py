"""Pages and API of packages, schemes and allocation runs: the contract, who sees what, bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import Person, Role
from allocation.models import Package, Scheme
from allocation.services import packages as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db

CONTRACT_ROWS = [{"code": c, "name": c, "scheme_type": "smart_motorway", "region": r, "pcf_stage": 2,
                  "design_value": 100, "construction_value": 100}
                 for c, r in (("EX-A", "north-west"), ("EX-B", "south-east"), ("EX-C", "midlands"), ("EX-D", "east"),
                              ("EX-E", "south-west"))]


@pytest.fixture
def people(smp):
    return {p.username: p for p in Person.objects.select_related("organisation")}


@pytest.fixture
def allocated(people):
    package = services.package_register(actor=people["sro"], code="RIS2", name="r2", notified_on=TODAY)
    services.schemes_add(actor=people["sro"], package=package, rows=CONTRACT_ROWS)
    run = services.package_allocate(actor=people["alliance-manager"], package=package)
    return package, run


@pytest.fixture
def outsider():
    person = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))
    alliance_services.role_assign(person=person, role=Role.ALLIANCE_MANAGER)
    return person


def test_the_api_contract_package_schemes_allocate_and_schemes(people, client_for):
    am = client_for(people["alliance-manager"])
    response = am.post(reverse("api-allocation-packages"), {"code": "EX1", "name": "Example", "notified_on":
                                                            TODAY.isoformat()}, content_type="application/json")
    assert response.status_code == 201
    package_id = response.json()["id"]
    response = am.post(reverse("api-allocation-package-schemes", args=[package_id]), CONTRACT_ROWS,
                       content_type="application/json")
    assert response.status_code == 201 and len(response.json()) == 5
    response = am.post(reverse("api-allocation-package-allocate", args=[package_id]))
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"within_tolerance", "lots", "moves", "schemes"}
    lot2 = next(lot for lot in body["lots"] if lot["lot"] == 2)
    assert {s["partner"] for s in lot2["shares"]} == {"jacobs", "wsp"}
    assert set(lot2["shares"][0]) >= {"partner", "value", "share_before", "share_after"}
    a = next(s for s in body["schemes"] if s["code"] == "EX-A")
    assert (a["lot1"], a["lot2"], a["lot3"]) == ("fluor", "jacobs", "costain")
    listed = am.get(reverse("api-allocation-schemes")).json()["results"]
    ex_a = next(s for s in listed if s["code"] == "EX-A")
    assert ex_a["lot2"] == "jacobs" and ex_a["initial"] == {"lot1": "fluor", "lot2": "jacobs", "lot3": "costain"}


def test_api_scheme_rows_are_all_or_nothing_with_positions(people, client_for):
    package = services.package_register(actor=people["sro"], code="RIS2", name="r2", notified_on=TODAY)
    rows = [*CONTRACT_ROWS[:2], {**CONTRACT_ROWS[2], "pcf_stage": 9}]
    response = client_for(people["sro"]).post(reverse("api-allocation-package-schemes", args=[package.pk]), rows,
                                              content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["schemes"] == ["Line 3, column pcf_stage: 9 is not a PCF stage from 0 to 7."]
    assert not Scheme.objects.exists()


def test_api_roles_and_other_alliance(people, client_for, allocated, outsider):
    package, _ = allocated
    partner = client_for(people["wsp-staff"])
    assert partner.get(reverse("api-allocation-schemes")).status_code == 200  # any member reads
    response = partner.post(reverse("api-allocation-packages"), {"code": "X", "name": "x", "notified_on": "2026-11-01"},
                            content_type="application/json")
    assert response.status_code == 403
    assert partner.post(reverse("api-allocation-package-allocate", args=[package.pk])).status_code == 403
    assert client_for(outsider).post(reverse("api-allocation-package-allocate", args=[package.pk])).status_code == 404
    assert Package.objects.count() == 1


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "jacobs-staff", "costain-rep", "client-reviewer"])
def test_pages_are_open_to_every_member(people, client_for, allocated, username):
    package, run = allocated
    c = client_for(people[username])
    for url in [reverse("allocation"), reverse("allocation-schemes"), reverse("allocation-package", args=[package.pk]),
                reverse("allocation-run", args=[run.pk]), reverse("allocation-schemes-csv")]:
        assert c.get(url).status_code == 200, url


def test_other_alliance_gets_404_and_partners_403_on_writes(people, client_for, allocated, outsider):
    package, run = allocated
    c = client_for(outsider)
    assert c.get(reverse("allocation-package", args=[package.pk])).status_code == 404
    assert c.get(reverse("allocation-run", args=[run.pk])).status_code == 404
    assert client_for(people["jacobs-rep"]).get(reverse("allocation-package-new")).status_code == 403
    response = client_for(people["jacobs-rep"]).post(reverse("allocation-package-allocate", args=[package.pk]))
    assert response.status_code == 403


def test_the_run_page_shows_bars_verdict_and_trace(people, client_for):
    package = services.package_register(actor=people["sro"], code="RIS2", name="r2", notified_on=TODAY)
    services.schemes_add(actor=people["sro"], package=package, rows=[
        {**CONTRACT_ROWS[0], "code": "BIG", "design_value": 2000000},
        {**CONTRACT_ROWS[0], "code": "SMALL", "design_value": 300000},
        {**CONTRACT_ROWS[1], "code": "SOUTH", "design_value": 500000},
    ])
    response = client_for(people["alliance-manager"]).post(reverse("allocation-package-allocate", args=[package.pk]))
    page = client_for(people["wsp-staff"]).get(response["Location"]).content.decode()
    assert 'data-testid="trace"' in page and "SMALL" in page
    assert "<svg class=\"app-share-bar\"" in page and "style=" not in page.split("<main")[1]  # CSP: no inline styles
    assert "The tolerance could not be reached" in page or "Every share is within tolerance" in page


def test_the_csv_upload_page_reports_the_wrong_line_and_saves_nothing(people, client_for):
    package = services.package_register(actor=people["sro"], code="RIS2", name="r2", notified_on=TODAY)
    text = ("code,name,scheme_type,region,pcf_stage,design_value,construction_value\n"
            "OK-1,ok,smart_motorway,north-west,2,1,1\n"
            "BAD-2,bad,smart_motorway,atlantis,2,1,1\n")
    response = client_for(people["sro"]).post(reverse("allocation-package-upload", args=[package.pk]),
                                              {"file": SimpleUploadedFile("s.csv", text.encode())})
    assert response.status_code == 400
    assert "Line 3, column region: &#x27;atlantis&#x27; is not a region code" in response.content.decode()
    assert not Scheme.objects.exists()


def test_a_partner_sees_its_own_schemes_first(people, client_for, allocated):
    rows = client_for(people["balfour-beatty-staff"]).get(reverse("allocation-schemes")).context["page"].object_list
    codes = [s.code for s in rows]
    # Balfour Beatty (Lot 3 South) is responsible for EX-B (south-east) and EX-E (south-west).
    assert set(codes[:2]) == {"EX-B", "EX-E"}


def test_the_trace_is_paged_and_downloadable_whole(people, client_for):
    package = services.package_register(actor=people["sro"], code="RIS2", name="r2", notified_on=TODAY)
    services.schemes_add(actor=people["sro"], package=package, rows=[
        {**CONTRACT_ROWS[0], "code": f"N{i:03d}", "design_value": 1000 + i} for i in range(150)])
    run = services.package_allocate(actor=people["alliance-manager"], package=package)
    moves = run.moves.count()
    assert moves > 100  # all in the North West: many move south
    c = client_for(people["wsp-staff"])
    assert len(c.get(reverse("allocation-run", args=[run.pk])).context["moves"]) == 100
    response = c.get(reverse("allocation-run-trace-csv", args=[run.pk]))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == moves + 1 and lines[1].startswith("1,2,N000,")
