"""Suppliers (para 128): the register, accreditation and its renewal, 360° reviews, spend and the SME share
feeding the scorecard (Table 6), and the annual procurement pipeline (para 123). The supply chain team edits;
every member reads (open book)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import Obligation, ObligationKind, ObligationStatus, Region
from alliance.permissions import ERR_NAME_UNAVAILABLE
from allocation.models import Package, Scheme
from performance.models import Quarter, QuarterStatus, Score
from performance.services import scorecard as performance
from supplychain.models import Opportunity, Spend, Supplier, SupplierReview
from supplychain.selectors import suppliers as selectors
from supplychain.services import suppliers as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

Q3, Q4 = "2026-Q3", "2026-Q4"
ALL_MET = {"safety_performance": True, "financial_standing": True, "capacity_and_capability": True,
           "management_systems": True, "resilience": True}


@pytest.fixture
def am(people):
    return people["alliance-manager"]


@pytest.fixture
def schemes(sc, people):
    package = Package.objects.create(alliance=sc, code="RIS1", name="r1", notified_on=dt.date(2026, 1, 5),
                                     created_by=people["sro"])
    region = Region.objects.get(alliance=sc, slug="north-west")
    return [Scheme.objects.create(alliance=sc, package=package, code=f"S{i}", name=f"Scheme {i}",
                                  scheme_type="smart_motorway", region=region, pcf_stage=5, design_value=1,
                                  construction_value=1, alliance_budget=2, status="awarded",
                                  awarded_on=dt.date(2026, 2, 1)) for i in (1, 2)]


def _supplier(actor, name="Acme Ltd", **fields) -> Supplier:
    return services.supplier_register(actor=actor, name=name, category=fields.pop("category", "Drainage"), **fields)


def _accredit(actor, supplier, assessed_on=dt.date(2026, 6, 1), expires_on=dt.date(2027, 6, 1), **criteria):
    return services.accreditation_record(actor=actor, supplier=supplier, assessed_on=assessed_on,
                                         expires_on=expires_on, **{**ALL_MET, **criteria})


@pytest.fixture
def outsider(sc):
    """A person of another alliance."""
    return PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))


# --- The register --------------------------------------------------------------------------------------------


def test_supply_chain_team_registers_a_supplier_with_its_relationship_owner_para_136(am, people):
    supplier = _supplier(people["fluor-staff"], is_sme=True, relationship_owner=people["jacobs-staff"])
    assert supplier.relationship_owner == people["jacobs-staff"]
    assert supplier.history.count() == 1


def test_a_partner_outside_the_supply_chain_team_cannot_register_a_supplier(people):
    with pytest.raises(PermissionDenied, match="supply chain team"):
        _supplier(people["wsp-staff"])
    assert not Supplier.objects.exists()


def test_relationship_owner_must_be_of_the_alliance_and_names_are_unique(am, outsider):
    _supplier(am)
    with pytest.raises(ValidationError) as error:
        _supplier(am, name="acme ltd ")
    assert services.ERR_SUPPLIER_NAME_TAKEN in error.value.message_dict["name"]
    with pytest.raises(ValidationError) as error:
        _supplier(am, name="Other Ltd", relationship_owner=outsider)
    assert error.value.message_dict["relationship_owner"] == [ERR_NAME_UNAVAILABLE]


def test_a_name_differing_only_in_the_case_of_an_accented_letter_is_taken_on_every_database(am, schemes):
    """The spend CSV finds a supplier by its name in any case: two names that fold alike would be ambiguous.
    SQLite's LIKE (Django's iexact) folds only ASCII letters, so this is checked alike on every database."""
    first = _supplier(am, "Émile Ltd", is_sme=True)
    with pytest.raises(ValidationError) as error:
        _supplier(am, name="éMILE LTD")
    assert error.value.message_dict["name"] == [services.ERR_SUPPLIER_NAME_TAKEN]
    services.spend_from_csv(actor=am, upload=_csv("supplier,scheme,period,amount\némile ltd,S1,2026-Q3,10\n"))
    assert Spend.objects.get().supplier == first


def test_register_filters_by_category_segment_sme_vcse_and_accreditation_state(am):
    current = _supplier(am, "Current Ltd", is_sme=True)
    _accredit(am, current)
    expired = _supplier(am, "Expired Ltd", category="Fencing", is_vcse=True)
    _accredit(am, expired, assessed_on=dt.date(2025, 6, 1), expires_on=dt.date(2026, 6, 1))
    failed = _supplier(am, "Failed Ltd", segment="key")
    _accredit(am, failed, resilience=False)
    never = _supplier(am, "Never Ltd")

    def names(**filters):
        return [s.name for s in selectors.suppliers_register(am, **filters)]

    assert names(accreditation="current") == ["Current Ltd"]
    assert names(accreditation="expired") == ["Expired Ltd"]
    assert names(accreditation="none") == ["Failed Ltd", "Never Ltd"]
    assert names(sme=True) == ["Current Ltd"]
    assert names(vcse=True) == ["Expired Ltd"]
    assert names(segment="key") == ["Failed Ltd"]
    assert names(category="fencing") == ["Expired Ltd"]
    assert never.pk


# --- Accreditation (para 128) ------------------------------------------------------------------------------------


def test_accreditation_opens_a_renewal_due_on_expiry_for_the_relationship_owner_and_meets_the_previous(am, people):
    """Para 128: the accreditation system assures the five criteria; its renewal is a dated obligation."""
    owner = people["fluor-delegate"]
    supplier = _supplier(am, relationship_owner=owner)
    _accredit(am, supplier, assessed_on=dt.date(2025, 12, 1), expires_on=dt.date(2026, 12, 1))
    first = Obligation.objects.get(kind=ObligationKind.ACCREDITATION_RENEWAL)
    assert (first.due_date, first.responsible_person, first.status) == (dt.date(2026, 12, 1), owner,
                                                                         ObligationStatus.OPEN)
    _accredit(am, supplier, assessed_on=dt.date(2026, 11, 20), expires_on=dt.date(2027, 11, 20))
    first.refresh_from_db()
    assert first.status == ObligationStatus.MET
    renewal = Obligation.objects.get(kind=ObligationKind.ACCREDITATION_RENEWAL, status=ObligationStatus.OPEN)
    assert renewal.due_date == dt.date(2027, 11, 20)
    assert renewal.subject_id == supplier.pk


def test_renewal_goes_to_the_alliance_manager_when_the_supplier_has_no_relationship_owner(am):
    _accredit(am, _supplier(am))
    assert Obligation.objects.get(kind=ObligationKind.ACCREDITATION_RENEWAL).responsible_person == am


def test_accreditation_must_expire_after_the_assessment(am):
    supplier = _supplier(am)
    with pytest.raises(ValidationError) as error:
        _accredit(am, supplier, assessed_on=dt.date(2026, 6, 1), expires_on=dt.date(2026, 6, 1))
    assert services.ERR_SUPPLIER_EXPIRES_BEFORE_ASSESSMENT in error.value.message_dict["expires_on"]
    assert not supplier.accreditations.exists()
    assert not Obligation.objects.filter(kind=ObligationKind.ACCREDITATION_RENEWAL).exists()


def test_expired_and_failed_accreditation_are_shown_in_words(am, people, client_for):
    expired = _supplier(am, "Expired Ltd")
    _accredit(am, expired, assessed_on=dt.date(2025, 6, 1), expires_on=dt.date(2026, 6, 1))
    failed = _supplier(am, "Failed Ltd")
    _accredit(am, failed, financial_standing=False)
    client = client_for(people["costain-staff"])
    assert "Accreditation expired" in client.get(reverse("supplychain-supplier", args=[expired.pk])).text
    assert "Not accredited" in client.get(reverse("supplychain-supplier", args=[failed.pk])).text
    register = client.get(reverse("supplychain-suppliers")).text
    assert "Accreditation expired" in register and "Not accredited" in register


# --- 360° reviews ------------------------------------------------------------------------------------------------


def test_one_review_per_reviewer_per_quarter(am):
    """Para 128: a 360° performance management process."""
    supplier = _supplier(am)
    services.review_record(actor=am, supplier=supplier, period=Q3, score=7)
    with pytest.raises(ValidationError) as error:
        services.review_record(actor=am, supplier=supplier, period=Q3, score=9)
    assert "one review per reviewer per quarter" in str(error.value)
    assert SupplierReview.objects.count() == 1


def test_review_score_is_0_to_10_and_the_quarter_must_have_started(am):
    supplier = _supplier(am)
    with pytest.raises(ValidationError) as error:
        services.review_record(actor=am, supplier=supplier, period="2027-Q1", score=11)
    assert set(error.value.message_dict) == {"period", "score"}


def test_supplier_page_shows_the_average_per_quarter_and_the_trend(am, people, client_for):
    supplier = _supplier(am)
    for username, q3, q4 in (("alliance-manager", 6, 8), ("fluor-staff", 7, 8), ("fluor-delegate", 8, 9)):
        services.review_record(actor=people[username], supplier=supplier, period=Q3, score=q3)
        services.review_record(actor=people[username], supplier=supplier, period=Q4, score=q4)
    quarters = selectors.review_quarters(supplier)
    assert [(q.period, q.average, q.reviews, q.direction) for q in quarters] == [
        (Q4, Decimal("8.3"), 3, "up"), (Q3, Decimal("7.0"), 3, "none")]
    assert quarters[0].trend == "Up from 7.0"
    page = client_for(people["wsp-staff"]).get(reverse("supplychain-supplier", args=[supplier.pk])).text
    assert "Up from 7.0" in page and "8.3" in page


# --- Spend and the SME share -------------------------------------------------------------------------------------


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("spend.csv", text.encode(), content_type="text/csv")


def test_spend_csv_refuses_bad_rows_with_their_line_numbers_and_saves_nothing(am, schemes):
    _supplier(am, "Acme Ltd", is_sme=True)
    upload = _csv("supplier,scheme,period,amount\nAcme Ltd,S1,2026-Q3,1000\nNobody Ltd,S1,2026-Q3,5\n"
                  "Acme Ltd,S9,2026-Q3,5\nAcme Ltd,S2,2026-Q7,-3\nAcme Ltd,S2,2027-Q1,1\nAcme Ltd,S2,2026-Q3,2,500\n")
    with pytest.raises(ValidationError) as error:
        services.spend_from_csv(actor=am, upload=upload)
    messages = error.value.message_dict["spend"]
    assert any(m.startswith("Line 3, column supplier") for m in messages)
    assert any(m.startswith("Line 4, column scheme") for m in messages)
    assert any(m.startswith("Line 5, column period") for m in messages)
    assert any(m.startswith("Line 5, column amount") for m in messages)
    assert any(m.startswith("Line 6, column period") and "has not started" in m for m in messages)
    assert any(m.startswith("Line 7, column row") and "more values" in m for m in messages)
    assert not any(m.startswith("Line 2") for m in messages)
    assert not Spend.objects.exists()


def test_spend_csv_replaces_an_existing_row_for_the_same_supplier_scheme_and_quarter(am, schemes):
    _supplier(am, "Acme Ltd")
    services.spend_from_csv(actor=am, upload=_csv("supplier,scheme,period,amount\nAcme Ltd,S1,2026-Q3,1000\n"))
    services.spend_from_csv(actor=am, upload=_csv("supplier,scheme,period,amount\nacme ltd,S1,2026-Q3,\"£2,500.50\"\n"))
    spend = Spend.objects.get()
    assert spend.amount == Decimal("2500.50")
    assert spend.history.count() == 2


def test_spend_csv_without_the_columns_is_refused(am, schemes):
    with pytest.raises(ValidationError) as error:
        services.spend_from_csv(actor=am, upload=_csv("name,amount\nAcme,1\n"))
    assert error.value.message_dict["file"] == [services.ERR_SPEND_CSV_HEADER.format(
        columns="supplier,scheme,period,amount")]


def test_sme_share_per_scheme_and_quarter_is_one_query(am, schemes):
    """Table 6: % of value spend through SME Subcontractors."""
    _supplier(am, "Small Ltd", is_sme=True)
    _supplier(am, "Big plc")
    services.spend_record(actor=am, rows=[
        {"supplier": "Small Ltd", "scheme": "S1", "period": Q3, "amount": "300"},
        {"supplier": "Big plc", "scheme": "S1", "period": Q3, "amount": "700"},
        {"supplier": "Big plc", "scheme": "S2", "period": Q3, "amount": "500"},
        {"supplier": "Small Ltd", "scheme": "S2", "period": Q4, "amount": "1"},
        {"supplier": "Big plc", "scheme": "S2", "period": Q4, "amount": "2"},
    ])
    with CaptureQueriesContext(connection) as queries:
        shares = list(selectors.sme_shares(schemes[0].alliance_id))
    assert len(queries) == 1
    assert [(r["period"], r["scheme_code"], r["share"]) for r in shares] == [
        (Q4, "S2", Decimal("33.33")), (Q3, "S1", Decimal("30.00")), (Q3, "S2", Decimal("0.00"))]


def test_sme_share_has_two_places_on_every_database(am, schemes):
    """Table 6's SME share to two places, rounded half up, with its two places shown (100.00, not 100) also on
    SQLite, which holds whole amounts as integers and would divide them as integers."""
    _supplier(am, "Small Ltd", is_sme=True)
    _supplier(am, "Big plc")
    services.spend_record(actor=am, rows=[
        {"supplier": "Small Ltd", "scheme": "S1", "period": Q3, "amount": "2"},
        {"supplier": "Big plc", "scheme": "S1", "period": Q3, "amount": "1"},
        {"supplier": "Small Ltd", "scheme": "S2", "period": Q3, "amount": "5"},
        {"supplier": "Small Ltd", "scheme": "S1", "period": Q4, "amount": "1"},
        {"supplier": "Big plc", "scheme": "S1", "period": Q4, "amount": "7"},
    ])
    assert [(r["period"], r["scheme_code"], str(r["share"])) for r in selectors.sme_shares(schemes[0].alliance_id)] == [
        (Q4, "S1", "12.50"), (Q3, "S1", "66.67"), (Q3, "S2", "100.00")]


def test_sme_share_feed_records_the_raw_percentage_in_the_scorecard(am, schemes):
    performance.metrics_seed(schemes[0].alliance)
    _supplier(am, "Small Ltd", is_sme=True)
    _supplier(am, "Big plc")
    services.spend_record(actor=am, rows=[
        {"supplier": "Small Ltd", "scheme": "S1", "period": Q3, "amount": "300"},
        {"supplier": "Big plc", "scheme": "S1", "period": Q3, "amount": "700"},
    ])
    [score] = services.sme_share_feed(actor=am, period=Q3)
    assert (score.metric.code, score.scheme.code, score.raw_value, score.score, score.derived) == (
        services.SME_METRIC, "S1", Decimal("30.00"), 8, True)


def test_sme_share_feed_of_a_frozen_quarter_needs_a_reason(am, schemes):
    alliance = schemes[0].alliance
    performance.metrics_seed(alliance)
    _supplier(am, "Small Ltd", is_sme=True)
    services.spend_record(actor=am, rows=[{"supplier": "Small Ltd", "scheme": "S1", "period": Q3, "amount": "1"}])
    quarter = performance.quarter_for(alliance, 2026, 3)
    Quarter.objects.filter(pk=quarter.pk).update(status=QuarterStatus.FROZEN)
    with pytest.raises(ValidationError) as error:
        services.sme_share_feed(actor=am, period=Q3)
    assert "correction_reason" in error.value.message_dict
    assert not Score.objects.exists()
    [score] = services.sme_share_feed(actor=am, period=Q3, correction_reason="Late spend returns")
    assert score.score == 10 and score.correction_reason == "Late spend returns"


def test_only_the_alliance_manager_feeds_the_sme_share(people, schemes):
    with pytest.raises(PermissionDenied):
        services.sme_share_feed(actor=people["fluor-rep"], period=Q3)


def test_sme_share_feed_without_spend_is_refused(am, schemes):
    with pytest.raises(ValidationError, match="no spend recorded for 2026-Q3"):
        services.sme_share_feed(actor=am, period=Q3)


# --- The procurement pipeline (para 123) -------------------------------------------------------------------------


def _opportunity(actor, **fields) -> Opportunity:
    values = {"title": "Drainage framework", "category": "Drainage", "value": Decimal("900000"),
              "route": "Open tender", "pipeline_year": 2027, "advert_on": dt.date(2027, 2, 1),
              "award_on": dt.date(2027, 5, 1), **fields}
    return services.opportunity_add(actor=actor, **values)


def test_award_cannot_come_before_the_advert(am):
    with pytest.raises(ValidationError) as error:
        _opportunity(am, award_on=dt.date(2027, 1, 31))
    assert services.ERR_PIPELINE_AWARD_BEFORE_ADVERT in error.value.message_dict["award_on"]
    assert not Opportunity.objects.exists()


def test_publishing_the_years_pipeline_stamps_its_unpublished_opportunities_para_123(am):
    first = _opportunity(am)
    other_year = _opportunity(am, pipeline_year=2028)
    assert services.pipeline_publish(actor=am, year=2027) == 1
    first.refresh_from_db()
    other_year.refresh_from_db()
    assert first.published_at is not None and other_year.published_at is None
    with pytest.raises(ValidationError):
        services.pipeline_publish(actor=am, year=2027)


def test_choosing_a_supplier_without_current_accreditation_needs_a_recorded_reason(am):
    """Para 128: the accreditation system assures suppliers before they join the supply chain."""
    opportunity = _opportunity(am)
    expired = _supplier(am, "Expired Ltd")
    _accredit(am, expired, assessed_on=dt.date(2025, 6, 1), expires_on=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError) as error:
        services.opportunity_choose_supplier(actor=am, opportunity=opportunity, supplier=expired)
    assert "accreditation expired" in error.value.message_dict["override_reason"][0]
    opportunity.refresh_from_db()
    assert opportunity.supplier is None
    chosen = services.opportunity_choose_supplier(actor=am, opportunity=opportunity, supplier=expired,
                                                  override_reason="Sole supplier of the signalling kit")
    assert chosen.supplier == expired and chosen.override_reason == "Sole supplier of the signalling kit"
    assert "override" in chosen.history.first().history_change_reason


def test_choosing_an_accredited_supplier_needs_no_reason(am):
    opportunity = _opportunity(am)
    supplier = _supplier(am)
    _accredit(am, supplier)
    chosen = services.opportunity_choose_supplier(actor=am, opportunity=opportunity, supplier=supplier,
                                                  override_reason="not needed")
    assert chosen.supplier == supplier and chosen.override_reason == ""


def test_pipeline_exports_as_a_csv_attachment(am, people, client_for):
    _opportunity(am)
    response = client_for(people["client-reviewer"]).get(reverse("supplychain-pipeline-csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("title,category,value")
    assert "Drainage framework,Drainage,900000.00,Open tender,2027,2027-02-01,2027-05-01" in body


# --- Pages: allowed, wrong role (403), another alliance (404) ----------------------------------------------------


@pytest.mark.parametrize("url_name", ["supplychain-suppliers", "supplychain-spend", "supplychain-pipeline"])
def test_every_member_reads_the_supplier_pages(people, client_for, url_name, am):
    _supplier(am, is_sme=True)
    for username in ("client-reviewer", "wsp-staff", "alliance-manager", "fluor-staff"):
        assert client_for(people[username]).get(reverse(url_name)).status_code == 200


def test_team_sees_the_forms_and_others_do_not(people, client_for):
    assert 'data-testid="add-supplier"' in client_for(people["fluor-staff"]).get(reverse("supplychain-suppliers")).text
    assert 'data-testid="add-supplier"' not in client_for(people["wsp-rep"]).get(
        reverse("supplychain-suppliers")).text


def test_supplier_pages_allow_the_team_and_refuse_other_partners(am, people, client_for):
    data = {"name": "Posted Ltd", "category": "Surfacing", "segment": "key", "is_sme": "on"}
    assert client_for(people["wsp-staff"]).post(reverse("supplychain-supplier-new"), data).status_code == 403
    response = client_for(people["fluor-staff"]).post(reverse("supplychain-supplier-new"), data)
    assert response.status_code == 302
    supplier = Supplier.objects.get(name="Posted Ltd")
    assert supplier.is_sme
    accredit = {"assessed_on": "2026-11-01", "expires_on": "2027-11-01", **dict.fromkeys(ALL_MET, "on")}
    url = reverse("supplychain-supplier-accredit", args=[supplier.pk])
    assert client_for(people["costain-rep"]).post(url, accredit).status_code == 403
    assert client_for(am).post(url, accredit).status_code == 302
    review_url = reverse("supplychain-supplier-review", args=[supplier.pk])
    # A 360° review gathers scores from across the alliance (para 128): a design partner's staff reviews too.
    assert client_for(people["jacobs-staff"]).post(review_url, {"period": Q4, "score": 7}).status_code == 302
    assert client_for(am).post(review_url, {"period": Q4, "score": 7}).status_code == 302
    again = client_for(am).post(review_url, {"period": Q4, "score": 8})
    assert again.status_code == 400 and "one review per reviewer per quarter" in again.text
    edit_url = reverse("supplychain-supplier-edit", args=[supplier.pk])
    assert client_for(people["wsp-staff"]).get(edit_url).status_code == 403
    assert client_for(am).post(edit_url, {**data, "name": "Renamed Ltd"}).status_code == 302
    assert Supplier.objects.get(pk=supplier.pk).name == "Renamed Ltd"


def test_another_alliances_supplier_and_opportunity_are_404(am, outsider, client_for):
    supplier = _supplier(am)
    opportunity = _opportunity(am)
    client = client_for(outsider)
    for url in (reverse("supplychain-supplier", args=[supplier.pk]),
                reverse("supplychain-supplier-edit", args=[supplier.pk]),
                reverse("supplychain-opportunity", args=[opportunity.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("supplychain-supplier-accredit", args=[supplier.pk]), {}).status_code == 404
    assert client.post(reverse("supplychain-opportunity-choose", args=[opportunity.pk]), {}).status_code == 404
    assert client.get(reverse("supplychain-suppliers")).status_code == 200
    assert "Acme Ltd" not in client.get(reverse("supplychain-suppliers")).text


def test_spend_pages_allow_the_team_and_refuse_other_partners(am, people, client_for, schemes):
    _supplier(am, "Acme Ltd", is_sme=True)
    row = {"supplier": "Acme Ltd", "scheme": "S1", "period": Q3, "amount": "1250000"}
    assert client_for(people["jacobs-rep"]).post(reverse("supplychain-spend-add"), row).status_code == 403
    assert client_for(people["fluor-rep"]).post(reverse("supplychain-spend-add"), row).status_code == 302
    page = client_for(people["client-reviewer"]).get(reverse("supplychain-spend")).text
    assert "£1,250,000.00" in page and "100.00%" in page
    upload = _csv("supplier,scheme,period,amount\nAcme Ltd,S404,2026-Q3,1\n")
    response = client_for(am).post(reverse("supplychain-spend-upload"), {"file": upload})
    assert response.status_code == 400 and "Line 2, column scheme" in response.text
    assert client_for(people["fluor-rep"]).post(reverse("supplychain-spend-feed"), {"period": Q3}).status_code == 403


def test_pipeline_pages_allow_the_team_and_refuse_other_partners(am, people, client_for):
    data = {"title": "Barrier works", "category": "VRS", "value": "250000", "route": "Open tender",
            "pipeline_year": "2027", "advert_on": "2027-03-01", "award_on": "2027-02-01"}
    assert client_for(people["balfour-beatty-staff"]).post(reverse("supplychain-opportunity-add"),
                                                           data).status_code == 403
    refused = client_for(am).post(reverse("supplychain-opportunity-add"), data)
    assert refused.status_code == 400 and services.ERR_PIPELINE_AWARD_BEFORE_ADVERT in refused.text
    assert client_for(am).post(reverse("supplychain-opportunity-add"),
                               {**data, "award_on": "2027-06-01"}).status_code == 302
    assert client_for(people["wsp-rep"]).post(reverse("supplychain-pipeline-publish"),
                                              {"year": "2027"}).status_code == 403
    assert client_for(people["fluor-staff"]).post(reverse("supplychain-pipeline-publish"),
                                                  {"year": "2027"}).status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.published_at is not None
    supplier = _supplier(am)
    url = reverse("supplychain-opportunity-choose", args=[opportunity.pk])
    assert client_for(people["wsp-rep"]).post(url, {"supplier": supplier.pk}).status_code == 403
    refused = client_for(am).post(url, {"supplier": supplier.pk})
    assert refused.status_code == 400 and "not accredited" in refused.text
    assert client_for(am).post(url, {"supplier": supplier.pk, "override_reason": "Only bidder"}).status_code == 302
    assert client_for(people["wsp-rep"]).get(reverse("supplychain-opportunity", args=[opportunity.pk])).status_code == 200


def test_read_api_lists_suppliers_and_the_pipeline(am, people, client_for, client, outsider):
    supplier = _supplier(am, is_sme=True)
    _accredit(am, supplier)
    _opportunity(am)
    api = client_for(people["wsp-staff"])
    suppliers = api.get("/api/supplychain/suppliers/?sme=true").json()
    assert [(s["name"], s["accreditation_state"]) for s in suppliers["results"]] == [("Acme Ltd", "current")]
    assert api.get("/api/supplychain/pipeline/?year=2027").json()["results"][0]["title"] == "Drainage framework"
    assert client.get("/api/supplychain/suppliers/").status_code == 401
    assert client_for(outsider).get("/api/supplychain/suppliers/").json()["results"] == []


# --- Demo ---------------------------------------------------------------------------------------------------------


def test_demo_seeds_suppliers_reviews_spend_and_a_pipeline_once(sc, am):
    from allocation.demo import seed_demo as seed_allocation
    from supplychain.demo import seed_suppliers as seed_demo

    seed_allocation(sc)
    seed_demo(sc)
    seed_demo(sc)
    assert Supplier.objects.filter(alliance=sc).count() == 12
    states = [s.accreditation_state for s in selectors.suppliers_register(am)]
    assert states.count("expired") == 1
    assert SupplierReview.objects.filter(supplier__alliance=sc).exists()
    assert Spend.objects.filter(supplier__alliance=sc).exists()
    assert Opportunity.objects.filter(alliance=sc, published_at__isnull=False).count() == 5
