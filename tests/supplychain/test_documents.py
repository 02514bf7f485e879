"""The strategy documents of section 7 (the Supply Chain Strategy, paras 108-116; the Alliance industrial plan,
para 117; the Collaborative Procurement Hub plan, paras 129-130), the supply chain overview and the client's
supply chain report (para 137)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import Obligation, ObligationKind, ObligationStatus, Region
from allocation.models import Package, Scheme
from governance import outcomes
from governance.models import Decision
from governance.services import board as governance_services
from performance.models import Assurance, EfficiencyEntry
from performance.services.scorecard import quarter_for
from supplychain.checklists import INDUSTRIAL_PLAN_SECTIONS, PROCUREMENT_HUB_SECTIONS, STRATEGY_SECTIONS
from supplychain.demo import seed_documents as seed_demo
from supplychain.models import (
    Accreditation,
    DocumentKind,
    DocumentStatus,
    Opportunity,
    Risk,
    Spend,
    StrategyDocument,
    Supplier,
    SupplierReview,
)
from supplychain.permissions import ERR_DOCUMENT_NOT_AM
from supplychain.services import documents as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY
from tests.supplychain.conftest import VOTERS

pytestmark = pytest.mark.django_db

FULL = {
    DocumentKind.STRATEGY: {code: f"Text of {code}." for code, _h, _p in STRATEGY_SECTIONS},
    DocumentKind.INDUSTRIAL_PLAN: {code: f"Text of {code}." for code, _h, _p in INDUSTRIAL_PLAN_SECTIONS},
    DocumentKind.PROCUREMENT_HUB_PLAN: {code: f"Text of {code}." for code, _h, _p in PROCUREMENT_HUB_SECTIONS},
}


def drafted(people, kind=DocumentKind.STRATEGY, by="fluor-staff", sections=None, alliance=None) -> StrategyDocument:
    actor = people[by]
    document = services.document_draft(actor=actor, alliance=alliance or actor.organisation.alliance, kind=kind)
    return services.document_edit(actor=actor, document=document, title=f"{DocumentKind(kind).label}",
                                  horizon_from=2026, sections=FULL[kind] if sections is None else sections)


def close_with(people, decision: Decision, choice: str = "for") -> Decision:
    for username in VOTERS:
        governance_services.vote_cast(actor=people[username], decision=decision, choice=choice)
    return governance_services.decision_close(actor=people["sro"], decision=decision)


def with_client(people, kind=DocumentKind.STRATEGY) -> StrategyDocument:
    document = drafted(people, kind)
    close_with(people, services.document_submit(actor=people["fluor-staff"], document=document))
    document.refresh_from_db()
    return document


def accepted(people, kind=DocumentKind.STRATEGY) -> StrategyDocument:
    return services.document_accept(actor=people["sro"], document=with_client(people, kind))


def obligations(kind: str, **filters):
    return Obligation.objects.filter(kind=kind, **filters).order_by("pk")


@pytest.fixture
def outsider():
    """Someone of another alliance's client."""
    return PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))


# --- Drafting ---------------------------------------------------------------------------------------------------
def test_the_supply_chain_team_drafts_the_strategy_over_five_years(sc, people):
    """Paras 112, 116: the Lot 1 team drafts; the horizon is five years from its first year."""
    document = services.document_draft(actor=people["fluor-staff"], alliance=sc, kind=DocumentKind.STRATEGY)
    assert (document.version, document.status, document.horizon_from, document.horizon_to) == (1, "draft", 2026, 2030)
    document = services.document_edit(actor=people["fluor-staff"], document=document, title="Strategy",
                                      horizon_from=2027, sections={"principle-2-safety": " Safety first. ",
                                                                   "not-a-section": "ignored"})
    assert (document.horizon_from, document.horizon_to) == (2027, 2031)
    assert document.sections == {"principle-2-safety": "Safety first."}


def test_the_alliance_manager_is_in_the_supply_chain_team(sc, people):
    """Para 116: the Alliance Manager drafts the industrial plan too."""
    document = services.document_draft(actor=people["alliance-manager"], alliance=sc, kind=DocumentKind.INDUSTRIAL_PLAN)
    assert document.kind == DocumentKind.INDUSTRIAL_PLAN


@pytest.mark.parametrize("username", ["wsp-staff", "jacobs-rep", "sro", "client-reviewer"])
def test_only_the_supply_chain_team_drafts_the_strategy(sc, people, username):
    """Paras 113, 116-117: the Alliance Supply Chain team (the Alliance Manager and Lot 1) drafts."""
    with pytest.raises(PermissionDenied, match="Alliance Supply Chain team"):
        services.document_draft(actor=people[username], alliance=sc, kind=DocumentKind.STRATEGY)
    assert not StrategyDocument.objects.exists()


def test_only_the_alliance_manager_drafts_and_submits_the_procurement_hub_plan(sc, people):
    """Para 130: the Alliance Manager submits the Collaborative Procurement Hub plan to the Board."""
    with pytest.raises(PermissionDenied) as refused:
        services.document_draft(actor=people["fluor-staff"], alliance=sc, kind=DocumentKind.PROCUREMENT_HUB_PLAN)
    assert str(refused.value) == ERR_DOCUMENT_NOT_AM
    document = drafted(people, DocumentKind.PROCUREMENT_HUB_PLAN, by="alliance-manager")
    with pytest.raises(PermissionDenied):
        services.document_submit(actor=people["fluor-staff"], document=document)
    services.document_submit(actor=people["alliance-manager"], document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.WITH_BOARD


def test_only_one_version_of_a_kind_is_in_progress(sc, people):
    """One draft per kind at a time: a second is refused while the first is a draft, with the Board or the client."""
    document = drafted(people)
    with pytest.raises(ValidationError, match="Version 1 of the Supply Chain Strategy is draft"):
        services.document_draft(actor=people["alliance-manager"], alliance=sc, kind=DocumentKind.STRATEGY)
    services.document_submit(actor=people["fluor-staff"], document=document)
    with pytest.raises(ValidationError, match="with the Board"):
        services.document_draft(actor=people["fluor-staff"], alliance=sc, kind=DocumentKind.STRATEGY)
    # Another kind is independent.
    assert drafted(people, DocumentKind.INDUSTRIAL_PLAN).version == 1
    assert StrategyDocument.objects.filter(kind=DocumentKind.STRATEGY).count() == 1


def test_a_submitted_version_cannot_be_edited(sc, people):
    document = drafted(people)
    services.document_submit(actor=people["fluor-staff"], document=document)
    with pytest.raises(ValidationError, match="with the Board: it cannot be changed"):
        services.document_edit(actor=people["fluor-staff"], document=document, title="x", horizon_from=2026,
                               sections={})


# --- Submission to the Board --------------------------------------------------------------------------------------
def test_submission_names_every_empty_section_and_changes_nothing(sc, people):
    """Para 110 and the nine principles: every section of the catalogue must be filled."""
    sections = dict(FULL[DocumentKind.STRATEGY])
    sections["principle-9-suppliers"] = "  "
    del sections["objective-risk"]
    document = drafted(people, sections=sections)
    with pytest.raises(ValidationError) as refused:
        services.document_submit(actor=people["fluor-staff"], document=document)
    message = refused.value.messages[0]
    assert message.startswith("Every section must be filled")
    assert "Principle 9: Supplier management" in message and "Objective: effective risk management" in message
    assert "Principle 1" not in message
    document.refresh_from_db()
    assert (document.status, document.decision_id, Decision.objects.count()) == ("draft", None, 0)


def test_submission_tables_a_written_resolution_of_the_kinds_matrix_type(sc, people):
    """Para 113: the Board approves the strategy; a written resolution closing in 14 days at 17:00."""
    document = drafted(people)
    decision = services.document_submit(actor=people["fluor-staff"], document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.WITH_BOARD and document.decision == decision
    assert decision.decision_type.code == "supply-chain-strategy"
    assert decision.subject == document
    assert decision.closes_at.date() == TODAY + dt.timedelta(days=14) and decision.closes_at.hour == 17
    # The module's handlers are registered for all three codes.
    assert {code for code in ("supply-chain-strategy", "industrial-plan", "procurement-hub-plan")
            if outcomes.handler_for(code) is not None} == {"supply-chain-strategy", "industrial-plan",
                                                            "procurement-hub-plan"}


@pytest.mark.parametrize(("kind", "code"), [(DocumentKind.INDUSTRIAL_PLAN, "industrial-plan"),
                                            (DocumentKind.PROCUREMENT_HUB_PLAN, "procurement-hub-plan")])
def test_each_kind_goes_to_the_board_under_its_own_type(sc, people, kind, code):
    """Paras 117 and 130."""
    by = "alliance-manager" if kind == DocumentKind.PROCUREMENT_HUB_PLAN else "fluor-staff"
    decision = services.document_submit(actor=people[by], document=drafted(people, kind, by=by))
    assert decision.decision_type.code == code


# --- The Board's outcome ------------------------------------------------------------------------------------------
def test_board_approval_recommends_the_strategy_to_the_client(sc, people):
    """Para 113: approved by the Board, then recommended for acceptance by the client (the SRO, 28 days)."""
    document = with_client(people)
    assert document.status == DocumentStatus.WITH_CLIENT
    [clock] = obligations(ObligationKind.CLIENT_ACCEPTANCE, subject_id=document.pk)
    assert (clock.start_date, clock.due_date, clock.responsible_person) == (TODAY, dt.date(2026, 12, 21), people["sro"])
    assert clock.paragraph == "para 113"
    # The six-month clock waits for the client's acceptance.
    assert obligations(ObligationKind.SUPPLY_CHAIN_STRATEGY).get().status == ObligationStatus.OPEN


@pytest.mark.parametrize("kind", [DocumentKind.STRATEGY, DocumentKind.INDUSTRIAL_PLAN])
def test_board_rejection_returns_the_document_with_a_comment(sc, people, kind):
    document = drafted(people, kind)
    close_with(people, services.document_submit(actor=people["fluor-staff"], document=document), choice="against")
    document.refresh_from_db()
    assert document.status == DocumentStatus.RETURNED
    assert document.comments.startswith("Not approved by the Board (rejected)")
    assert not obligations(ObligationKind.CLIENT_ACCEPTANCE).exists()
    # The team revises it in a new version.
    assert services.document_draft(actor=people["fluor-staff"], alliance=sc, kind=kind).version == 2


def test_the_board_accepts_the_procurement_hub_plan_itself(sc, people):
    """Para 130: submitted to the Board "for acceptance": its approval accepts the plan and meets the clock."""
    document = drafted(people, DocumentKind.PROCUREMENT_HUB_PLAN, by="alliance-manager")
    close_with(people, services.document_submit(actor=people["alliance-manager"], document=document))
    document.refresh_from_db()
    assert (document.status, document.accepted_on) == (DocumentStatus.ACCEPTED, TODAY)
    assert obligations(ObligationKind.PROCUREMENT_HUB_PLAN).get().status == ObligationStatus.MET
    assert not obligations(ObligationKind.CLIENT_ACCEPTANCE).exists()
    assert not obligations(ObligationKind.STRATEGY_REFRESH).exists()


def test_a_decision_no_longer_current_changes_nothing(sc, people):
    """The handler ignores a decision that is not its record's current one."""
    document = drafted(people)
    decision = services.document_submit(actor=people["fluor-staff"], document=document)
    StrategyDocument.objects.filter(pk=document.pk).update(decision=None)
    close_with(people, decision)
    document.refresh_from_db()
    assert document.status == DocumentStatus.WITH_BOARD


# --- The client's acceptance --------------------------------------------------------------------------------------
def test_client_acceptance_meets_the_six_month_clock_and_opens_the_annual_refresh(sc, people):
    """Paras 108, 112, 113: accepted by the client; the clock is met; a refresh is due in 12 months."""
    document = accepted(people)
    assert (document.status, document.accepted_on) == (DocumentStatus.ACCEPTED, TODAY)
    assert obligations(ObligationKind.SUPPLY_CHAIN_STRATEGY).get().status == ObligationStatus.MET
    assert obligations(ObligationKind.CLIENT_ACCEPTANCE).get().status == ObligationStatus.MET
    [refresh] = obligations(ObligationKind.STRATEGY_REFRESH)
    assert (refresh.due_date, refresh.status, refresh.paragraph) == (dt.date(2027, 11, 23), "open", "para 112")
    assert refresh.subject == document and refresh.responsible_person == people["alliance-manager"]
    # The other kinds' clocks are untouched.
    assert obligations(ObligationKind.INDUSTRIAL_PLAN).get().status == ObligationStatus.OPEN


def test_the_industrial_plan_is_accepted_by_the_client_and_refreshed_every_year(sc, people):
    """Para 117 (and 113, 112)."""
    document = accepted(people, DocumentKind.INDUSTRIAL_PLAN)
    assert obligations(ObligationKind.INDUSTRIAL_PLAN).get().status == ObligationStatus.MET
    assert obligations(ObligationKind.STRATEGY_REFRESH).get().subject == document


def test_the_next_version_copies_the_latest_and_supersedes_it_on_acceptance(sc, people):
    """Para 112: the annual refresh is a new version; its acceptance meets the refresh and opens the next."""
    first = accepted(people)
    second = services.document_draft(actor=people["fluor-staff"], alliance=sc, kind=DocumentKind.STRATEGY)
    assert (second.version, second.sections, second.horizon_from) == (2, first.sections, 2026)
    second = services.document_edit(actor=people["fluor-staff"], document=second, title=first.title, horizon_from=2027,
                                    sections={"principle-3-market": "Meet the buyer events in every region."})
    close_with(people, services.document_submit(actor=people["fluor-staff"], document=second))
    second.refresh_from_db()
    services.document_accept(actor=people["sro"], document=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (DocumentStatus.SUPERSEDED, DocumentStatus.ACCEPTED)
    refreshes = list(obligations(ObligationKind.STRATEGY_REFRESH))
    assert [(r.subject_id, r.status) for r in refreshes] == [(first.pk, "met"), (second.pk, "open")]


def test_the_client_returns_with_comments_only(sc, people):
    """Para 113: the client may decline the recommendation; it says why."""
    document = with_client(people)
    with pytest.raises(ValidationError) as refused:
        services.document_return(actor=people["sro"], document=document, comments="  ")
    assert refused.value.message_dict == {"comments": [services.ERR_DOCUMENT_COMMENTS]}
    document = services.document_return(actor=people["sro"], document=document, comments="Add the steel plan.")
    assert (document.status, document.comments) == (DocumentStatus.RETURNED, "Add the steel plan.")
    assert obligations(ObligationKind.CLIENT_ACCEPTANCE).get().status == ObligationStatus.MET
    assert obligations(ObligationKind.SUPPLY_CHAIN_STRATEGY).get().status == ObligationStatus.OPEN
    with pytest.raises(ValidationError, match="returned: it cannot be accepted"):
        services.document_accept(actor=people["sro"], document=document)


@pytest.mark.parametrize("username", ["alliance-manager", "client-reviewer", "fluor-rep"])
def test_only_the_sro_accepts_for_the_client(sc, people, username):
    """Para 113: the client accepts; the SRO decides for it."""
    document = with_client(people)
    with pytest.raises(PermissionDenied, match="Senior Responsible Owner"):
        services.document_accept(actor=people[username], document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.WITH_CLIENT


def test_the_client_cannot_accept_before_the_board_approves(sc, people):
    document = drafted(people)
    with pytest.raises(ValidationError, match="draft: it cannot be accepted"):
        services.document_accept(actor=people["sro"], document=document)


# --- Pages --------------------------------------------------------------------------------------------------------
def test_overview_links_every_area(sc, people, client_for):
    drafted(people)
    response = client_for(people["wsp-staff"]).get("/supply-chain/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("supplychain-plans", "supplychain-suppliers", "supplychain-pipeline", "supplychain-risks"):
        assert f'href="{reverse(name)}"' in html
    assert reverse("supplychain-documents", args=["strategy"]) in html
    assert reverse("supplychain-report") not in html  # a partner outside the team does not read the report
    assert reverse("supplychain-report") in client_for(people["sro"]).get("/supply-chain/").content.decode()


def test_overview_is_for_members_only(sc, client_for):
    stranger = PersonFactory(organisation=None)
    assert client_for(stranger).get(reverse("supplychain")).status_code == 403


def test_kind_page_lists_versions_and_offers_a_draft_to_the_team(sc, people, client_for):
    drafted(people)
    url = reverse("supplychain-documents", args=["strategy"])
    page = client_for(people["wsp-staff"]).get(url)
    assert page.status_code == 200 and 'data-testid="draft"' not in page.content.decode()
    assert client_for(people["wsp-staff"]).get("/supply-chain/documents/nonsense/").status_code == 404
    hub = client_for(people["alliance-manager"]).get(reverse("supplychain-documents", args=["procurement-hub-plan"]))
    assert 'data-testid="draft"' in hub.content.decode()


def test_draft_page_step(sc, people, client_for, outsider):
    url = reverse("supplychain-document-draft", args=["strategy"])
    assert client_for(people["wsp-staff"]).post(url).status_code == 403
    assert client_for(people["alliance-manager"]).post(
        reverse("supplychain-document-draft", args=["procurement-hub-plan"])).status_code == 302
    response = client_for(people["fluor-staff"]).post(url)
    document = StrategyDocument.objects.get(kind=DocumentKind.STRATEGY)
    assert response.status_code == 302 and response["Location"] == reverse("supplychain-document-edit", args=[document.pk])
    again = client_for(people["fluor-staff"]).post(url, follow=True)
    assert "finish it before starting another" in again.content.decode()
    assert client_for(outsider).post(url).status_code == 403  # no right to draft anything here
    assert StrategyDocument.objects.filter(alliance=sc).count() == 2


def test_document_page_shows_sections_decision_comparison_and_history(sc, people, client_for, outsider):
    first = accepted(people)
    second = services.document_draft(actor=people["fluor-staff"], alliance=sc, kind=DocumentKind.STRATEGY)
    services.document_edit(actor=people["fluor-staff"], document=second, title=first.title, horizon_from=2026,
                           sections={"principle-3-market": "Quarterly meet the buyer events."})
    page = client_for(people["wsp-staff"]).get(reverse("supplychain-document", args=[first.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Principle 2: Safety, health and wellbeing" in html and "paras 118-119" in html
    # The decision is named for everyone, linked only for those who may open the Board's pages.
    decision_link = f'href="{reverse("board-decision", args=[first.decision_id])}"'
    assert decision_link not in html
    rep_page = client_for(people["wsp-rep"]).get(reverse("supplychain-document", args=[first.pk]))
    assert decision_link in rep_page.content.decode()
    assert "23 Nov 2026" in html and "Accepted by the client (para 113)" in html
    page = client_for(people["wsp-staff"]).get(reverse("supplychain-document", args=[second.pk]))
    html = page.content.decode()
    assert "1 section changed" in html and 'data-testid="diff-principle-3-market"' in html
    assert "<ins><span class=\"govuk-visually-hidden\">added: </span>Quarterly meet the buyer events.</ins>" in html
    assert "<del><span class=\"govuk-visually-hidden\">removed: </span>Text of principle-3-market.</del>" in html
    assert 'data-testid="edit"' not in html  # wsp is not in the team
    assert client_for(outsider).get(reverse("supplychain-document", args=[first.pk])).status_code == 404


def test_edit_page(sc, people, client_for, outsider):
    document = drafted(people, sections={})
    url = reverse("supplychain-document-edit", args=[document.pk])
    team = client_for(people["fluor-staff"])
    assert team.get(url).status_code == 200
    assert client_for(people["wsp-staff"]).get(url).status_code == 403
    assert client_for(people["wsp-staff"]).post(url, {"title": "x", "horizon_from": 2026}).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    bad = team.post(url, {"title": "", "horizon_from": "1999"})
    assert bad.status_code == 400 and services.ERR_DOCUMENT_HORIZON in bad.content.decode()
    response = team.post(url, {"title": "The strategy", "horizon_from": "2027",
                               "section_principle_2_safety": "Safety first."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.horizon_to, document.sections["principle-2-safety"]) == \
        ("The strategy", 2031, "Safety first.")


def test_edit_page_of_a_submitted_version_changes_nothing(sc, people, client_for):
    document = drafted(people)
    services.document_submit(actor=people["fluor-staff"], document=document)
    url = reverse("supplychain-document-edit", args=[document.pk])
    page = client_for(people["fluor-staff"]).get(url)
    assert page.status_code == 200 and "it can no longer be changed" in page.content.decode()
    refused = client_for(people["fluor-staff"]).post(url, {"title": "Changed", "horizon_from": "2026"})
    assert refused.status_code == 400 and "with the Board: it cannot be changed" in refused.content.decode()
    document.refresh_from_db()
    assert document.title != "Changed"


def test_submit_page(sc, people, client_for, outsider):
    document = drafted(people, sections={"objective-safety": "Safety."})
    url = reverse("supplychain-document-submit", args=[document.pk])
    assert client_for(people["wsp-staff"]).post(url).status_code == 403
    assert client_for(people["alliance-manager"]).post(
        reverse("supplychain-document-submit", args=[drafted(people, DocumentKind.PROCUREMENT_HUB_PLAN,
                                                             by="alliance-manager", sections={}).pk])
    ).status_code == 400
    assert client_for(outsider).post(url).status_code == 404
    refused = client_for(people["fluor-staff"]).post(url)
    assert refused.status_code == 400 and "Still empty: Objective: innovative" in refused.content.decode()
    services.document_edit(actor=people["fluor-staff"], document=document, title="S", horizon_from=2026,
                           sections=FULL[DocumentKind.STRATEGY])
    assert client_for(people["fluor-staff"]).post(url).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.WITH_BOARD


def test_accept_and_return_pages(sc, people, client_for, outsider):
    document = with_client(people)
    accept = reverse("supplychain-document-accept", args=[document.pk])
    back = reverse("supplychain-document-return", args=[document.pk])
    assert 'data-testid="accept"' in client_for(people["sro"]).get(
        reverse("supplychain-document", args=[document.pk])).content.decode()
    assert client_for(people["alliance-manager"]).post(accept).status_code == 403
    assert client_for(people["client-reviewer"]).post(back, {"comments": "No"}).status_code == 403
    assert client_for(outsider).post(accept).status_code == 404
    empty = client_for(people["sro"]).post(back, {"comments": ""})
    assert empty.status_code == 400 and services.ERR_DOCUMENT_COMMENTS in empty.content.decode()
    assert client_for(people["sro"]).post(accept).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.ACCEPTED


def test_return_page(sc, people, client_for):
    document = with_client(people)
    response = client_for(people["sro"]).post(reverse("supplychain-document-return", args=[document.pk]),
                                              {"comments": "Say more on steel."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.comments) == (DocumentStatus.RETURNED, "Say more on steel.")


# --- The client's supply chain report (para 137) -------------------------------------------------------------------
@pytest.fixture
def scheme(sc, people):
    package = Package.objects.create(alliance=sc, code="RIS1", name="r1", notified_on=dt.date(2026, 1, 5),
                                     created_by=people["sro"])
    region = Region.objects.get(alliance=sc, slug="north-west")
    return Scheme.objects.create(alliance=sc, package=package, code="S1", name="Scheme 1", scheme_type="smart_motorway",
                                 region=region, pcf_stage=5, design_value=1, construction_value=1, alliance_budget=2,
                                 status="awarded", awarded_on=dt.date(2026, 2, 1))


def grow(alliance, people, scheme, n: int) -> None:
    """n more of everything the report reads, in 2026-Q4."""
    staff = people["fluor-staff"]
    quarter = quarter_for(alliance, 2026, 4)
    start = Supplier.objects.filter(alliance=alliance).count()
    for i in range(start, start + n):
        supplier = Supplier.objects.create(alliance=alliance, name=f"Supplier {i}", category="Surfacing",
                                           is_sme=i % 2 == 0)
        Accreditation.objects.create(supplier=supplier, assessed_on=dt.date(2025, 1, 1), expires_on=dt.date(2026, 1, 1),
                                     safety_performance=True, financial_standing=True, capacity_and_capability=True,
                                     management_systems=True, resilience=True, recorded_by=staff)
        Accreditation.objects.create(supplier=supplier, assessed_on=dt.date(2026, 1, 1),
                                     expires_on=dt.date(2026, 11, 1) if i % 2 else dt.date(2027, 6, 1),
                                     safety_performance=True, financial_standing=True, capacity_and_capability=True,
                                     management_systems=True, resilience=True, recorded_by=staff)
        for reviewer, score in ((people["fluor-staff"], 6), (people["jacobs-staff"], 8)):
            SupplierReview.objects.create(supplier=supplier, period="2026-Q4", reviewer=reviewer, score=score)
        Spend.objects.create(supplier=supplier, scheme=scheme, period="2026-Q4", amount=Decimal("1000.00"),
                             entered_by=staff)
        Opportunity.objects.create(alliance=alliance, title=f"Opportunity {i}", category="Drainage",
                                   value=Decimal("50000.00"), route="Open tender", pipeline_year=2026,
                                   advert_on=dt.date(2026, 10, 5), award_on=dt.date(2027, 1, 20), supplier=supplier,
                                   created_by=staff)
        likelihood, impact = (5, 4) if i % 2 else (1, 2)
        Risk.objects.create(alliance=alliance, reference=f"R{i}", title=f"Risk {i}", owner=staff, likelihood=likelihood,
                            impact=impact, score=likelihood * impact, strategy="treat", raised_by=staff,
                            raised_on=TODAY, last_updated_on=TODAY)
        EfficiencyEntry.objects.create(alliance=alliance, quarter=quarter, title=f"Efficiency {i}",
                                       value=Decimal("2500.00"),
                                       assurance=Assurance.DELIVERED if i % 2 else Assurance.LOGGED, logged_by=staff)


def test_report_figures_for_the_quarter(sc, people, scheme, client_for):
    """Para 137: procurement programme, supplier performance, risk, benefits; and the SME share of spend."""
    grow(sc, people, scheme, 4)
    # Out of the quarter: an opportunity of 2027 and spend of 2026-Q3 are left out.
    Opportunity.objects.create(alliance=sc, title="Later", category="x", value=1, route="x", pipeline_year=2027,
                               advert_on=dt.date(2027, 2, 1), award_on=dt.date(2027, 3, 1),
                               created_by=people["fluor-staff"])
    Supplier.objects.create(alliance=sc, name="Never accredited", category="x")
    response = client_for(people["client-reviewer"]).get(reverse("supplychain-report"), {"period": "2026-Q4"})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.label, report.opportunities_count, report.opportunities_value) == ("2026-Q4", 4, Decimal("200000"))
    assert (report.advertised_count, report.awarded_count) == (4, 0)
    assert [(s["supplier__name"], s["average"], s["reviews"]) for s in report.supplier_scores][0] == ("Supplier 0", 7, 2)
    # The latest accreditation counts: suppliers 1 and 3 expired on 1 Nov 2026; 0 and 2 hold until 2027.
    assert (report.suppliers_count, report.suppliers_expired, report.suppliers_unaccredited) == (5, 2, 1)
    assert report.risk_bands == [("high", "High (15 to 25)", 2), ("medium", "Medium (5 to 12)", 0),
                                 ("low", "Low (1 to 4)", 2)]
    assert [r.reference for r in report.top_risks] == ["R1", "R3", "R0", "R2"]
    assert (report.benefits_forecast, report.benefits_realised) == (Decimal("10000"), Decimal("5000"))
    assert (report.spend_total, report.spend_sme, report.sme_share) == (Decimal("4000"), Decimal("2000"), Decimal("50.0"))
    html = response.content.decode()
    assert "50.0% of £4,000.00" in html and "1 Oct 2026 to 31 Dec 2026" in html


def test_report_defaults_to_the_current_quarter(sc, people, client_for):
    response = client_for(people["sro"]).get(reverse("supplychain-report"), {"period": "nonsense"})
    assert response.status_code == 200 and response.context["report"].label == "2026-Q4"
    assert "Choose a quarter such as 2026-Q3" in response.content.decode()
    assert client_for(people["sro"]).get(reverse("supplychain-report")).context["report"].label == "2026-Q4"


@pytest.mark.parametrize(("username", "status"), [("sro", 200), ("client-reviewer", 200), ("alliance-manager", 200),
                                                  ("fluor-staff", 200), ("wsp-staff", 403), ("jacobs-rep", 403)])
def test_report_is_for_the_client_and_the_supply_chain_team(sc, people, client_for, username, status):
    """Para 137: the supply chain team reports to the client."""
    assert client_for(people[username]).get(reverse("supplychain-report")).status_code == status


def test_report_shows_only_its_own_alliance(sc, people, scheme, client_for, outsider):
    grow(sc, people, scheme, 2)
    response = client_for(outsider).get(reverse("supplychain-report"), {"period": "2026-Q4"})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.opportunities_count, report.suppliers_count, report.risks_open, report.spend_total) == \
        (0, 0, 0, Decimal("0"))


def test_report_query_count_does_not_grow_with_the_data(sc, people, scheme, client_for):
    url = reverse("supplychain-report") + "?period=2026-Q4"
    reader = client_for(people["sro"])
    grow(sc, people, scheme, 1)
    reader.get(url)
    with CaptureQueriesContext(connection) as few:
        reader.get(url)
    grow(sc, people, scheme, 12)
    with CaptureQueriesContext(connection) as many:
        assert reader.get(url).status_code == 200
    assert len(many) == len(few)


# --- Demo ----------------------------------------------------------------------------------------------------------
def test_demo_is_idempotent_and_meets_the_core_clock(sc):
    seed_demo(sc)
    seed_demo(sc)
    strategy = StrategyDocument.objects.get(alliance=sc, kind=DocumentKind.STRATEGY)
    assert (strategy.version, strategy.status) == (1, DocumentStatus.ACCEPTED)
    clock = Obligation.objects.get(alliance=sc, kind=ObligationKind.SUPPLY_CHAIN_STRATEGY)
    assert (clock.subject, clock.status) == (strategy, ObligationStatus.MET)
    industrial = StrategyDocument.objects.get(alliance=sc, kind=DocumentKind.INDUSTRIAL_PLAN)
    assert industrial.status == DocumentStatus.DRAFT
    hub = StrategyDocument.objects.get(alliance=sc, kind=DocumentKind.PROCUREMENT_HUB_PLAN)
    assert hub.status == DocumentStatus.WITH_BOARD and hub.decision.status == "open"
    assert StrategyDocument.objects.filter(alliance=sc).count() == 3
