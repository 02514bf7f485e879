"""Pages and API of optimisation (paras 90-102): everyone in the alliance reads, each step is offered to its
role only (403 otherwise), another alliance's records are not found (404), and the forms drive the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from allocation.models import (
    BusinessCaseStatus,
    MinorChange,
    MinorChangeStatus,
    OptimisationBusinessCase,
    OptimisationStage,
    SchemeAllocation,
)
from allocation.services.business_cases import ProposedChange, business_case_draft, business_case_submit
from allocation.services.minor_changes import minor_change_agree, minor_change_raise, minor_change_table
from tests.allocation._optimisation_fixtures import *  # noqa: F403
from tests.allocation._optimisation_fixtures import close_with

pytestmark = pytest.mark.django_db

READERS = ["sro", "alliance-manager", "client-reviewer", "wsp-rep", "jacobs-staff"]


@pytest.fixture
def case(people, orgs, schemes):
    return business_case_draft(
        actor=people["alliance-manager"], title="Move P1's on-site work", stage=OptimisationStage.PRE_AWARD_WITHIN_LOT,
        scope="Gangs nearby.", changes=[ProposedChange(scheme=schemes["P1"], lot=3, proposed_partner=orgs["bam-msjv"])],
        effect_on_budget=Decimal("-250000"), criteria_met=True,
    )


@pytest.fixture
def minor(people, orgs, schemes):
    return minor_change_raise(actor=people["alliance-manager"], scheme=schemes["A1"], lot=2,
                                       supporting_partner=orgs["wsp"], description="Drainage design support")


def _api(person) -> APIClient:
    c = APIClient()
    c.force_authenticate(person)
    return c


def _case_post(schemes, orgs, **overrides) -> dict:
    data = {
        "title": "Swap on-site work", "stage": OptimisationStage.PRE_AWARD_WITHIN_LOT, "scope": "Closer gangs.",
        "effect_on_budget": "-1000", "effect_on_time_days": "-7", "criteria_met": "on",
        "changes-TOTAL_FORMS": "3", "changes-INITIAL_FORMS": "0", "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "40",
        "changes-0-scheme": str(schemes["P2"].pk), "changes-0-lot": "3",
        "changes-0-proposed_partner": str(orgs["costain"].pk),
    }
    return {**data, **overrides}


# --- Who sees what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", READERS)
def test_every_member_of_the_alliance_reads_the_pages_and_the_api(people, client_for, case, minor, username):
    c = client_for(people[username])
    for url in [reverse("business-cases"), reverse("business-case", args=[case.pk]), reverse("minor-changes"),
                reverse("minor-change", args=[minor.pk]), reverse("lot1-client"), reverse("api-business-cases"),
                reverse("api-business-case", args=[case.pk]), reverse("api-minor-changes")]:
        assert c.get(url).status_code == 200, url


def test_the_business_case_page_shows_each_line_the_criteria_and_the_board(people, client_for, case):
    page = client_for(people["wsp-staff"]).get(reverse("business-case", args=[case.pk])).content.decode()
    assert "Costain" in page and "→ BAM Nuttall / Morgan Sindall JV" in page
    assert "Met</strong>" in page and "Not yet tabled" in page and 'data-testid="timeline"' in page
    assert "Submit to the Board" not in page  # not the staff's step
    business_case_submit(actor=people["alliance-manager"], business_case=case)
    case.refresh_from_db()
    page = client_for(people["wsp-staff"]).get(reverse("business-case", args=[case.pk])).content.decode()
    assert reverse("board-decision", args=[case.decision_id]) in page and "With the Board" in page


@pytest.mark.parametrize("username", ["sro", "wsp-rep", "client-reviewer"])
def test_drafting_pages_are_for_the_alliance_manager_only(people, client_for, case, minor, username):
    c = client_for(people[username])
    for url in [reverse("business-case-new"), reverse("business-case-edit", args=[case.pk]),
                reverse("minor-change-new")]:
        assert c.get(url).status_code == 403, url
    assert c.post(reverse("business-case-submit", args=[case.pk])).status_code == 403
    assert c.post(reverse("minor-change-table", args=[minor.pk])).status_code == 403
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.DRAFT


def test_other_steps_refuse_the_wrong_role_with_403(people, orgs, schemes, client_for, case, minor):
    business_case_submit(actor=people["alliance-manager"], business_case=case)
    case.refresh_from_db()
    close_with(case.decision, people, "for")
    am = client_for(people["alliance-manager"])
    assert am.post(reverse("business-case-client-decision", args=[case.pk]), {"approve": "yes"}).status_code == 403
    assert am.post(reverse("lot1-client"), {"schemes": [schemes["P1"].pk], "reason": "x"}).status_code == 403
    outsider_partner = client_for(people["costain-rep"])  # not affected by the minor change
    assert outsider_partner.post(reverse("minor-change-agree", args=[minor.pk]), {"agreed": "yes"}).status_code == 403
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.WITH_CLIENT
    assert SchemeAllocation.objects.get(scheme=schemes["P1"], lot=1).current_partner.slug == "fluor"
    assert not minor.agreements.exists()


def test_another_alliances_records_are_not_found(people, client_for, case, minor, outsider):
    c = client_for(outsider)
    for url in [reverse("business-case", args=[case.pk]), reverse("business-case-edit", args=[case.pk]),
                reverse("minor-change", args=[minor.pk]), reverse("api-business-case", args=[case.pk])]:
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("business-case-submit", args=[case.pk])).status_code == 404
    assert c.post(reverse("minor-change-table", args=[minor.pk])).status_code == 404
    assert _api(outsider).get(reverse("api-business-cases")).json()["results"] == []
    assert _api(outsider).get(reverse("api-minor-changes")).json()["results"] == []
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.DRAFT


# --- The forms drive the workflow ---------------------------------------------------------------------------


def test_the_manager_drafts_submits_and_the_client_approves_through_the_pages(people, orgs, schemes, client_for):
    """Para 92: criteria met, the Board, then the client; the current Responsible Partner changes."""
    am = client_for(people["alliance-manager"])
    assert am.get(reverse("business-case-new")).status_code == 200
    response = am.post(reverse("business-case-new"), _case_post(schemes, orgs))
    case = OptimisationBusinessCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("business-case", args=[case.pk])
    assert case.changes.get().current_partner == orgs["balfour-beatty"]
    assert am.get(reverse("business-case-edit", args=[case.pk])).status_code == 200
    response = am.post(reverse("business-case-edit", args=[case.pk]), _case_post(schemes, orgs, title="Renamed"))
    assert response.status_code == 302
    assert am.post(reverse("business-case-submit", args=[case.pk]), {"closes_on": ""}).status_code == 302
    case.refresh_from_db()
    assert (case.title, case.status) == ("Renamed", BusinessCaseStatus.WITH_BOARD)
    close_with(case.decision, people, "for")
    sro = client_for(people["sro"])
    assert "The client's approval" in sro.get(reverse("business-case", args=[case.pk])).content.decode()
    response = sro.post(reverse("business-case-client-decision", args=[case.pk]), {"approve": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.APPROVED
    allocation = SchemeAllocation.objects.get(scheme=schemes["P2"], lot=3)
    assert (allocation.current_partner.slug, allocation.initial_partner.slug) == ("costain", "balfour-beatty")
    page = client_for(people["costain-staff"]).get(reverse("business-case", args=[case.pk])).content.decode()
    assert "Approved: allocation changed" in page and "The allocation is changed" in page
    assert "Approved by the client: the allocation is changed (para 92)" in page  # the record of changes


def test_a_proposed_partner_of_another_lot_is_shown_as_an_error_and_saves_nothing(people, orgs, schemes, client_for):
    am = client_for(people["alliance-manager"])
    response = am.post(reverse("business-case-new"),
                       _case_post(schemes, orgs, **{"changes-0-proposed_partner": str(orgs["wsp"].pk)}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "WSP is not a partner of Lot 3" in page
    assert not OptimisationBusinessCase.objects.exists()
    response = am.post(reverse("business-case-new"), _case_post(schemes, orgs, **{"changes-0-lot": ""}))
    assert response.status_code == 400 and "or leave the row empty" in response.content.decode()
    assert not OptimisationBusinessCase.objects.exists()


def test_submitting_without_the_criteria_met_shows_para_92(people, orgs, schemes, client_for):
    am = client_for(people["alliance-manager"])
    am.post(reverse("business-case-new"), _case_post(schemes, orgs, criteria_met=""))
    case = OptimisationBusinessCase.objects.get()
    response = am.post(reverse("business-case-submit", args=[case.pk]), {"closes_on": ""})
    assert response.status_code == 400 and "(para 92)" in response.content.decode()
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.DRAFT


def test_a_minor_change_is_raised_agreed_and_tabled_through_the_pages(people, orgs, schemes, client_for):
    """Paras 99-100: the affected partners agree, then the Alliance Manager tables it."""
    am = client_for(people["alliance-manager"])
    assert am.get(reverse("minor-change-new")).status_code == 200
    response = am.post(reverse("minor-change-new"), {"scheme": schemes["A1"].pk, "lot": "2",
                                                     "supporting_partner": orgs["wsp"].pk, "description": "Help"})
    change = MinorChange.objects.get()
    assert response.status_code == 302 and change.responsible_partner == orgs["jacobs"]
    response = am.post(reverse("minor-change-table", args=[change.pk]), {"closes_on": ""})
    assert response.status_code == 400 and "still to record: Jacobs and WSP" in response.content.decode()
    jacobs = client_for(people["jacobs-rep"])
    assert "Jacobs's answer" in jacobs.get(reverse("minor-change", args=[change.pk])).content.decode()
    assert jacobs.post(reverse("minor-change-agree", args=[change.pk]), {"agreed": "yes"}).status_code == 302
    wsp = client_for(people["wsp-delegate"])
    assert wsp.post(reverse("minor-change-agree", args=[change.pk]), {"agreed": "yes", "note": "OK"}).status_code == 302
    assert am.post(reverse("minor-change-table", args=[change.pk]), {"closes_on": ""}).status_code == 302
    change.refresh_from_db()
    assert change.status == MinorChangeStatus.WITH_BOARD and change.decision is not None
    close_with(change.decision, people, "for", against=("fluor-rep",))
    page = client_for(people["fluor-staff"]).get(reverse("minor-change", args=[change.pk])).content.decode()
    assert "Not approved" in page and "Refused" in page


def test_the_sro_hands_lot_1_to_the_client_through_the_page(people, schemes, client_for):
    """Para 102."""
    sro = client_for(people["sro"])
    assert 'data-testid="lot1-form"' in sro.get(reverse("lot1-client")).content.decode()
    response = sro.post(reverse("lot1-client"), {"reason": "x"})
    assert response.status_code == 400 and "Choose at least one scheme" in response.content.decode()
    response = sro.post(reverse("lot1-client"), {"schemes": [schemes["P1"].pk], "reason": "Own PMO"})
    assert response.status_code == 302
    assert SchemeAllocation.objects.get(scheme=schemes["P1"], lot=1).current_partner.slug == "national-highways"
    assert 'data-testid="lot1-form"' not in client_for(people["alliance-manager"]).get(
        reverse("lot1-client")).content.decode()


def test_the_api_names_partners_by_slug_and_filters_by_status(people, case, minor):
    body = _api(people["jacobs-staff"]).get(reverse("api-business-case", args=[case.pk])).json()
    assert body["changes"] == [{"scheme": "P1", "lot": 3, "current_partner": "costain",
                                "proposed_partner": "bam-msjv"}]
    assert body["status"] == "draft" and body["board_outcome"] is None
    listed = _api(people["sro"]).get(reverse("api-business-cases"), {"status": "approved"}).json()
    assert listed["results"] == []
    assert _api(people["sro"]).get(reverse("api-business-cases"), {"status": "nonsense"}).status_code == 400
    minors = _api(people["sro"]).get(reverse("api-minor-changes")).json()["results"]
    assert minors[0]["responsible_partner"] == "jacobs" and minors[0]["agreements"] == []


# --- Withdrawing ---------------------------------------------------------------------------------------------


def _withdraw_through_the_page(client, page_url: str, withdraw_url: str) -> str:
    """The Alliance Manager finds the button, presses it, and is back on the record's page, without the button."""
    assert 'data-testid="withdraw-form"' in client.get(page_url).content.decode()
    response = client.post(withdraw_url)
    assert response.status_code == 302 and response.url == page_url
    page = client.get(page_url).content.decode()
    assert 'data-testid="withdraw-form"' not in page and "Withdrawn by the Alliance Manager" in page
    return page


def test_the_manager_withdraws_a_draft_from_its_page(people, client_for, case):
    page = _withdraw_through_the_page(client_for(people["alliance-manager"]), reverse("business-case", args=[case.pk]),
                                      reverse("business-case-withdraw", args=[case.pk]))
    assert "Submit to the Board" not in page
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.WITHDRAWN


@pytest.mark.parametrize("username", ["sro", "wsp-rep", "client-reviewer"])
def test_withdrawing_is_the_alliance_managers_only(people, client_for, case, minor, username):
    c = client_for(people[username])
    for page_url in [reverse("business-case", args=[case.pk]), reverse("minor-change", args=[minor.pk])]:
        assert 'data-testid="withdraw-form"' not in c.get(page_url).content.decode()
    assert c.post(reverse("business-case-withdraw", args=[case.pk])).status_code == 403
    assert c.post(reverse("minor-change-withdraw", args=[minor.pk])).status_code == 403
    case.refresh_from_db()
    minor.refresh_from_db()
    assert (case.status, minor.status) == (BusinessCaseStatus.DRAFT, MinorChangeStatus.PROPOSED)


def test_another_alliances_manager_cannot_reach_the_withdraw_steps(client_for, case, minor, outsider):
    c = client_for(outsider)
    assert c.post(reverse("business-case-withdraw", args=[case.pk])).status_code == 404
    assert c.post(reverse("minor-change-withdraw", args=[minor.pk])).status_code == 404
    case.refresh_from_db()
    minor.refresh_from_db()
    assert (case.status, minor.status) == (BusinessCaseStatus.DRAFT, MinorChangeStatus.PROPOSED)


def test_withdrawing_a_case_with_the_board_shows_why_and_changes_nothing(people, client_for, case):
    business_case_submit(actor=people["alliance-manager"], business_case=case)
    am = client_for(people["alliance-manager"])
    assert 'data-testid="withdraw-form"' not in am.get(reverse("business-case", args=[case.pk])).content.decode()
    response = am.post(reverse("business-case-withdraw", args=[case.pk]))
    assert response.status_code == 400
    assert "The business case is with the Board: it cannot be withdrawn." in response.content.decode()
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.WITH_BOARD


def test_the_manager_withdraws_a_refused_minor_change_from_its_page(people, client_for, minor):
    """Para 100: WSP did not agree, so the Alliance Manager takes the change back."""
    minor_change_agree(actor=people["wsp-rep"], minor_change=minor, agreed=False)
    page = _withdraw_through_the_page(client_for(people["alliance-manager"]), reverse("minor-change", args=[minor.pk]),
                                      reverse("minor-change-withdraw", args=[minor.pk]))
    assert "Table at the Board" not in page
    minor.refresh_from_db()
    assert minor.status == MinorChangeStatus.WITHDRAWN


def test_withdrawing_a_tabled_minor_change_shows_why_and_changes_nothing(people, client_for, minor):
    for rep in ("jacobs-rep", "wsp-rep"):
        minor_change_agree(actor=people[rep], minor_change=minor, agreed=True)
    minor_change_table(actor=people["alliance-manager"], minor_change=minor)
    response = client_for(people["alliance-manager"]).post(reverse("minor-change-withdraw", args=[minor.pk]))
    assert response.status_code == 400
    assert "The minor change is with the Board: it cannot be withdrawn." in response.content.decode()
    minor.refresh_from_db()
    assert minor.status == MinorChangeStatus.WITH_BOARD
