"""The Implementation Plan's pages and API: allowed personas (200), wrong role (403), another alliance (404),
the comparison page's highlighting, and the refusals shown on the forms (paras 3-6)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alliance.models import Role
from alliance.services import role_assign
from governance.models.plan import ChangeProposal, ChangeProposalStatus, PlanVersion
from governance.services import board as board_services
from governance.services import plan as plan_services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

SECTIONS = [
    {"number": "1.1", "heading": "Purpose", "text": "How the Alliance operates."},
    {"number": "1.3", "heading": "Client reserved matters", "text": "Funding and termination.", "client_reserved": True},
    {"number": "2.4", "heading": "Proposed instruction to the Alliance Manager",
     "text": "An impact assessment within 28 days."},
]
MEMBERS = ["wsp-staff", "wsp-rep", "costain-delegate", "client-reviewer", "sro", "alliance-manager", "admin"]


@pytest.fixture
def v1(board, people):
    return plan_services.plan_publish_initial(actor=people["alliance-manager"], alliance=board, sections=SECTIONS)


@pytest.fixture
def proposal(v1, board, people):
    return plan_services.plan_change_propose(
        actor=people["wsp-rep"], alliance=board, section_number="2.4",
        section_heading="Proposed instruction to the Alliance Manager",
        proposed_text="An impact assessment within 21 days.", reason="Faster answers to the client.")


@pytest.fixture
def approved(proposal, people, vote):
    proposal = plan_services.plan_change_review(actor=people["alliance-manager"], proposal=proposal, accept=True,
                                           impact_assessment="Low impact.")
    for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep"]:
        vote(proposal.decision, username, "for")
    board_services.decision_close(actor=people["sro"], decision=proposal.decision)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def outsider():
    """The Alliance Manager of another alliance."""
    person = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    role_assign(person=person, role=Role.ALLIANCE_MANAGER)
    return person


@pytest.fixture
def api(people):
    def make(person) -> APIClient:
        c = APIClient()
        c.force_authenticate(people[person] if isinstance(person, str) else person)
        return c

    return make


def _member_pages(proposal):
    return [reverse("plan"), reverse("plan-version", args=[1]), reverse("plan-compare"), reverse("plan-proposals"),
            reverse("plan-proposals") + "?status=proposed", reverse("plan-proposal-new"),
            reverse("plan-proposal-new") + "?section=2.4", reverse("plan-proposal", args=[proposal.pk])]


# --- Who sees what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", MEMBERS)
def test_every_member_sees_the_plan_pages(proposal, people, client_for, username):
    """Para 3: any member of the Alliance may propose, so every member reads the plan and its proposals."""
    c = client_for(people[username])
    for url in _member_pages(proposal):
        assert c.get(url).status_code == 200, url


def test_someone_of_no_member_organisation_gets_403(proposal, client_for, api):
    nobody = PersonFactory(organisation=None)
    c = client_for(nobody)
    for url in _member_pages(proposal)[:4]:
        assert c.get(url).status_code == 403, url
    assert api(nobody).get("/api/governance/plan/").status_code == 403


def test_the_alliance_manager_sees_the_review_and_publish_pages(proposal, people, client_for):
    c = client_for(people["alliance-manager"])
    assert c.get(reverse("plan-proposal-review", args=[proposal.pk])).status_code == 200
    assert c.get(reverse("plan-publish")).status_code == 200


@pytest.mark.parametrize("username", ["sro", "wsp-rep", "admin"])
def test_other_roles_cannot_review_or_publish_403(proposal, people, client_for, username):
    c = client_for(people[username])
    assert c.get(reverse("plan-proposal-review", args=[proposal.pk])).status_code == 403
    assert c.post(reverse("plan-proposal-review", args=[proposal.pk]),
                  {"decision": "accept", "impact_assessment": "x"}).status_code == 403
    assert c.get(reverse("plan-publish")).status_code == 403
    assert ChangeProposal.objects.get().status == ChangeProposalStatus.PROPOSED


def test_another_alliances_plan_and_proposals_are_404(proposal, outsider, client_for, api):
    c = client_for(outsider)
    assert c.get(reverse("plan-version", args=[1])).status_code == 404
    for name in ["plan-proposal", "plan-proposal-review"]:
        assert c.get(reverse(name, args=[proposal.pk])).status_code == 404, name
    assert c.post(reverse("plan-proposal-withdraw", args=[proposal.pk])).status_code == 404
    assert list(c.get(reverse("plan-proposals")).context["page"].object_list) == []
    assert api(outsider).get(f"/api/governance/plan/proposals/{proposal.pk}/").status_code == 404
    assert api(outsider).get("/api/governance/plan/").status_code == 404  # their alliance has no plan
    assert api(outsider).get("/api/governance/plan/proposals/").json()["results"] == []
    assert ChangeProposal.objects.get().status == ChangeProposalStatus.PROPOSED


def test_the_navigation_shows_the_implementation_plan_to_members(v1, people, client_for):
    page = client_for(people["wsp-staff"]).get(reverse("home")).content.decode()
    assert 'href="/plan/"' in page and "Implementation Plan" in page


# --- The plan page ---------------------------------------------------------------------------------------


def test_the_plan_tags_reserved_matters_and_offers_partners_no_change_to_them(v1, people, client_for):
    """Para 3: a partner cannot propose a change to a client reserved matter; the client can."""
    partner = client_for(people["wsp-rep"]).get(reverse("plan")).content.decode()
    assert "Client reserved matter" in partner
    assert "?section=1.1" in partner and "?section=2.4" in partner and "?section=1.3" not in partner
    client = client_for(people["sro"]).get(reverse("plan")).content.decode()
    assert "?section=1.3" in client


def test_before_the_first_version_the_alliance_manager_publishes_it_from_the_page(board, people, client_for):
    c = client_for(people["alliance-manager"])
    assert "Publish the first version" in c.get(reverse("plan")).content.decode()
    response = c.post(reverse("plan-publish"), {"sections": (
        "# 1.1 Purpose\nHow the Alliance operates.\n\n# 1.3 Client reserved matters [client reserved]\nFunding.")})
    assert response.status_code == 302
    sections = list(PlanVersion.objects.get().sections.values_list("number", "heading", "client_reserved", "text"))
    assert sections == [("1.1", "Purpose", False, "How the Alliance operates."),
                        ("1.3", "Client reserved matters", True, "Funding.")]


# --- Proposing, reviewing, withdrawing, publishing through the pages -------------------------------------


def test_a_member_proposes_through_the_page(v1, people, client_for):
    response = client_for(people["costain-staff"]).post(reverse("plan-proposal-new"), {
        "section_number": "2.5", "section_heading": "Ministerial instructions", "proposed_text": "14 days.",
        "reason": "Para 31."})
    proposal = ChangeProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plan-proposal", args=[proposal.pk])
    assert proposal.proposed_by == people["costain-staff"]


def test_a_partner_proposing_a_reserved_matter_is_refused_on_the_form(v1, people, client_for):
    """Para 3: the refusal is shown on the form; nothing is created."""
    c = client_for(people["wsp-rep"])
    assert "client reserved matter" in c.get(reverse("plan-proposal-new") + "?section=1.3").content.decode()
    response = c.post(reverse("plan-proposal-new"), {
        "section_number": "1.3", "section_heading": "Client reserved matters", "proposed_text": "Partners decide.",
        "reason": "Why not."})
    assert response.status_code == 400
    assert plan_services.ERR_PLAN_CLIENT_RESERVED.format(number="1.3") in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_the_alliance_manager_accepts_through_the_page_and_the_board_is_asked(proposal, people, client_for):
    c = client_for(people["alliance-manager"])
    response = c.post(reverse("plan-proposal-review", args=[proposal.pk]),
                      {"decision": "accept", "impact_assessment": "Low impact on cost."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposalStatus.WITH_BOARD
    page = client_for(people["wsp-rep"]).get(reverse("plan-proposal", args=[proposal.pk])).content.decode()
    assert reverse("board-decision", args=[proposal.decision_id]) in page and "Low impact on cost." in page


def test_a_review_without_an_assessment_is_refused_on_the_form(proposal, people, client_for):
    response = client_for(people["alliance-manager"]).post(
        reverse("plan-proposal-review", args=[proposal.pk]), {"decision": "reject", "impact_assessment": ""})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposalStatus.PROPOSED


def test_only_the_proposer_withdraws_through_the_page(proposal, people, client_for):
    assert client_for(people["wsp-staff"]).post(reverse("plan-proposal-withdraw", args=[proposal.pk])).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposalStatus.PROPOSED
    page = client_for(people["wsp-rep"]).get(reverse("plan-proposal", args=[proposal.pk])).content.decode()
    assert "Withdraw my proposal" in page
    assert client_for(people["wsp-rep"]).post(reverse("plan-proposal-withdraw", args=[proposal.pk])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposalStatus.WITHDRAWN


def test_publishing_from_the_page_and_comparing_shows_the_changed_words(approved, people, client_for):
    c = client_for(people["alliance-manager"])
    assert "2.4 Proposed instruction" in c.get(reverse("plan-publish")).content.decode()
    response = c.post(reverse("plan-publish"), {"proposals": [approved.pk], "note": ""})
    assert response.status_code == 302
    assert PlanVersion.objects.get(number=2).sections.get(number="2.4").text == "An impact assessment within 21 days."
    page = client_for(people["wsp-staff"]).get(reverse("plan-compare") + "?a=1&b=2")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<del><span class="govuk-visually-hidden">[removed: </span>28' in html
    assert '<ins><span class="govuk-visually-hidden">[added: </span>21' in html
    assert "1 section differs" in html
    assert page.context["rows"][0]["status"] == "unchanged"


def test_publishing_with_nothing_chosen_is_refused_on_the_form(approved, people, client_for):
    response = client_for(people["alliance-manager"]).post(reverse("plan-publish"), {"note": "x"})
    assert response.status_code == 400
    assert PlanVersion.objects.count() == 1


def test_proposed_text_is_escaped_never_marked_safe(v1, board, people, client_for):
    proposal = plan_services.plan_change_propose(
        actor=people["sro"], alliance=board, section_number="1.1", section_heading="Purpose",
        proposed_text="How the <script>alert(1)</script> Alliance operates.", reason="<b>bold</b>")
    html = client_for(people["wsp-staff"]).get(reverse("plan-proposal", args=[proposal.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_comparing_an_unknown_version_is_refused(approved, people, client_for):
    response = client_for(people["wsp-staff"]).get(reverse("plan-compare") + "?a=1&b=9")
    assert response.status_code == 400


# --- API -------------------------------------------------------------------------------------------------


def test_the_api_gives_the_current_plan_and_its_versions(v1, api):
    body = api("wsp-staff").get("/api/governance/plan/").json()
    assert body["number"] == 1 and body["published_by"] == "alliance-manager"
    assert body["sections"][1] == {"number": "1.3", "heading": "Client reserved matters",
                                   "text": "Funding and termination.", "order": 2, "client_reserved": True}
    versions = api("wsp-staff").get("/api/governance/plan/versions/").json()["results"]
    assert [(v["number"], v["section_count"]) for v in versions] == [(1, 3)]


def test_the_api_before_any_version_is_404(board, api):
    response = api("wsp-staff").get("/api/governance/plan/")
    assert response.status_code == 404 and response.json()["detail"] == plan_services.ERR_PLAN_NO_VERSION


def test_a_member_proposes_through_the_api(v1, api):
    response = api("jacobs-staff").post("/api/governance/plan/proposals/", {
        "section_number": "2.4", "section_heading": "Proposed instruction to the Alliance Manager",
        "proposed_text": "Within 21 days.", "reason": "Faster."}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "proposed" and body["organisation"] == "jacobs" and body["base_version"] == 1
    detail = api("sro").get(f"/api/governance/plan/proposals/{body['id']}/").json()
    assert detail["proposed_by"] == "jacobs-staff"
    listed = api("wsp-staff").get("/api/governance/plan/proposals/?status=proposed").json()["results"]
    assert [p["id"] for p in listed] == [body["id"]]
    assert api("wsp-staff").get("/api/governance/plan/proposals/?status=approved").json()["results"] == []


def test_a_partner_proposing_a_reserved_matter_through_the_api_is_refused(v1, api):
    """Para 3, in the API's error shape."""
    response = api("wsp-rep").post("/api/governance/plan/proposals/", {
        "section_number": "1.3", "section_heading": "Client reserved matters", "proposed_text": "Changed.",
        "reason": "x"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["section_number"] == [plan_services.ERR_PLAN_CLIENT_RESERVED.format(number="1.3")]
    assert not ChangeProposal.objects.exists()


def test_the_plan_pages_require_sign_in(v1):
    from django.test import Client

    response = Client().get(reverse("plan"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
