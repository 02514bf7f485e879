"""The Supply Chain Management Plan (paras 132-134): the checklist of para 133, acceptance only when every item is
addressed, the six-monthly resubmission, a significant change, versions compared, who sees a draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST
from supplychain.models import ManagementPlan, PlanStatus
from supplychain.services import plans as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CODES = [code for code, _ in MANAGEMENT_PLAN_CHECKLIST]


def complete() -> dict[str, str]:
    return {code: f"How we handle {code}." for code in CODES}


def submitted(people, username="wsp-staff", sections=None) -> ManagementPlan:
    plan = services.plan_draft(actor=people[username], sections=complete() if sections is None else sections)
    return services.plan_submit(actor=people[username], plan=plan)


def scmp_clocks(organisation=None):
    return Obligation.objects.filter(kind=ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN, status=ObligationStatus.OPEN,
                                     responsible_organisation=organisation)


# --- The checklist of para 133 ------------------------------------------------------------------------------


def test_the_checklist_has_every_required_content_of_para_133_in_its_order(people, client_for):
    response = client_for(people["wsp-staff"]).get("/api/supplychain/management-plans/checklist/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["code"] for r in rows] == CODES
    assert len(rows) == 20  # 16 items, "Supplier management" counted as its four sub-items
    assert rows[0]["text"] == "Client-led procurement activities"
    assert rows[-1]["text"] == "Project Bank Account details"


def test_acceptance_is_refused_naming_each_missing_item_and_the_plan_stays_submitted(people):
    """Para 132: a reason for not accepting the plan is that it does not address all the requirements."""
    plan = submitted(people, sections={CODES[0]: "Client-led: we follow the client's frameworks.", CODES[1]: "  "})
    with pytest.raises(services.PlanIncomplete) as refusal:
        services.plan_accept(actor=people["alliance-manager"], plan=plan)
    assert refusal.value.missing == CODES[1:]
    assert "Alliance-led procurement activities" in refusal.value.messages[0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.decided_at is None


def test_the_alliance_manager_returns_a_plan_naming_what_it_misses(people):
    plan = submitted(people, sections={CODES[0]: "x"})
    services.plan_return(actor=people["alliance-manager"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.missing == CODES[1:]
    with pytest.raises(ValidationError, match="Not an item"):
        services.plan_return(actor=people["alliance-manager"], plan=submitted(people, "costain-staff"), missing=["nope"])


def test_a_returned_plan_is_completed_resubmitted_and_accepted(people):
    plan = submitted(people, sections={CODES[0]: "x"})
    services.plan_return(actor=people["alliance-manager"], plan=plan)
    services.plan_sections_save(actor=people["wsp-staff"], plan=plan, sections=complete())
    services.plan_submit(actor=people["wsp-staff"], plan=plan)
    accepted = services.plan_accept(actor=people["alliance-manager"], plan=plan)
    assert accepted.status == PlanStatus.ACCEPTED and accepted.missing == []


# --- Clocks: six-monthly resubmission and a significant change (para 134) ---------------------------------------


def test_acceptance_opens_the_next_resubmission_six_months_later(people):
    """Para 134: the plan is submitted for acceptance every six months."""
    wsp = Organisation.objects.get(slug="wsp")
    services.plan_accept(actor=people["alliance-manager"], plan=submitted(people))
    clock = scmp_clocks(wsp).get()
    assert clock.due_date == dt.date(2027, 5, 23) and clock.paragraph == "para 134"
    # The next accepted version meets it and opens the one after.
    version_2 = services.plan_draft(actor=people["wsp-staff"], change_note="New steel supplier")
    services.plan_submit(actor=people["wsp-staff"], plan=version_2)
    services.plan_accept(actor=people["alliance-manager"], plan=version_2)
    clock.refresh_from_db()
    assert clock.status == ObligationStatus.MET
    assert scmp_clocks(wsp).count() == 1


def test_the_alliances_first_clock_is_met_when_every_partner_has_an_accepted_plan(people):
    """Para 132: the plan is due within six months of the start (the core's demo clock, for the AM)."""
    first = scmp_clocks(None).get()
    slugs = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
    for slug in slugs[:-1]:
        services.plan_accept(actor=people["alliance-manager"], plan=submitted(people, f"{slug}-staff"))
    first.refresh_from_db()
    assert first.status == ObligationStatus.OPEN
    services.plan_accept(actor=people["alliance-manager"], plan=submitted(people, "balfour-beatty-staff"))
    first.refresh_from_db()
    assert first.status == ObligationStatus.MET


def test_a_significant_change_brings_the_resubmission_forward(people):
    """Para 134: ... or if there is a significant change to the processes within it."""
    wsp = Organisation.objects.get(slug="wsp")
    services.plan_accept(actor=people["alliance-manager"], plan=submitted(people))
    clock = services.plan_change_require(actor=people["alliance-manager"], organisation=wsp,
                                         reason="New Material Subcontractor for steel", due_date=dt.date(2026, 12, 21))
    assert clock.due_date == dt.date(2026, 12, 21) and scmp_clocks(wsp).count() == 1
    with pytest.raises(ValidationError):
        services.plan_change_require(actor=people["alliance-manager"], organisation=wsp, reason=" ",
                                     due_date=dt.date(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        services.plan_change_require(actor=people["costain-staff"], organisation=wsp, reason="x",
                                     due_date=dt.date(2026, 12, 1))


# --- Versions ------------------------------------------------------------------------------------------------


def test_a_new_version_starts_from_the_latest_and_only_one_draft_at_a_time(people):
    services.plan_accept(actor=people["alliance-manager"], plan=submitted(people))
    version_2 = services.plan_draft(actor=people["wsp-staff"], sections={CODES[7]: "Steel from UK mills."})
    assert version_2.version == 2
    assert version_2.sections[CODES[0]] == f"How we handle {CODES[0]}."
    assert version_2.sections[CODES[7]] == "Steel from UK mills."
    with pytest.raises(ValidationError, match="already has a draft"):
        services.plan_draft(actor=people["wsp-staff"])


def test_versions_are_compared_item_by_item(people, client_for):
    services.plan_accept(actor=people["alliance-manager"], plan=submitted(people))
    version_2 = services.plan_draft(actor=people["wsp-staff"], sections={CODES[7]: "Steel from UK mills only."})
    page = client_for(people["wsp-staff"]).get(reverse("supplychain-plan-compare", args=[version_2.pk]))
    assert page.status_code == 200
    rows = {r.code: r for r in page.context["rows"]}
    assert rows[CODES[7]].change == "changed" and rows[CODES[0]].change == "unchanged"
    assert "<ins>" in rows[CODES[7]].diff and "<del>" in rows[CODES[7]].diff


def test_unknown_items_and_non_text_sections_are_refused(people):
    with pytest.raises(ValidationError, match="Not an item"):
        services.plan_draft(actor=people["wsp-staff"], sections={"colour": "blue"})
    with pytest.raises(ValidationError):
        services.plan_draft(actor=people["wsp-staff"], sections={CODES[0]: 3})
    assert not ManagementPlan.objects.exists()


# --- Who may do what --------------------------------------------------------------------------------------------


def test_only_the_partners_people_write_and_only_the_alliance_manager_decides(people):
    with pytest.raises(PermissionDenied):
        services.plan_draft(actor=people["alliance-manager"])  # the client has no plan of its own
    plan = services.plan_draft(actor=people["wsp-staff"], sections=complete())
    with pytest.raises(PermissionDenied):
        services.plan_submit(actor=people["costain-staff"], plan=plan)
    services.plan_submit(actor=people["wsp-rep"], plan=plan)
    for username in ("wsp-staff", "sro"):
        with pytest.raises(PermissionDenied):
            services.plan_accept(actor=people[username], plan=plan)


def test_another_organisations_draft_is_404_until_submitted(people, client_for):
    plan = services.plan_draft(actor=people["wsp-staff"], sections=complete())
    url = reverse("supplychain-plan", args=[plan.pk])
    api = f"/api/supplychain/management-plans/{plan.pk}/"
    assert client_for(people["wsp-staff"]).get(url).status_code == 200
    for username in ("costain-staff", "alliance-manager"):
        assert client_for(people[username]).get(url).status_code == 404
        assert client_for(people[username]).get(api).status_code == 404
    services.plan_submit(actor=people["wsp-staff"], plan=plan)
    assert client_for(people["costain-staff"]).get(url).status_code == 200  # open book once submitted


def test_the_plans_record_of_changes_shows_others_no_draft_version_paras_132_134(people, client_for):
    """A plan is its organisation's while a draft: once submitted, another partner's people and the Alliance
    Manager read its record of changes from the submission on, as in the audit (alliance/visibility.py)."""
    plan = services.plan_draft(actor=people["wsp-staff"], sections=complete())
    services.plan_sections_save(actor=people["wsp-staff"], plan=plan, sections=complete(), change_note="Tidied")
    services.plan_submit(actor=people["wsp-staff"], plan=plan)
    url = reverse("supplychain-plan", args=[plan.pk])
    own = client_for(people["wsp-staff"]).get(url).context["history"]
    assert [h.status for h in own] == ["submitted", "draft", "draft"]
    for username in ("costain-staff", "alliance-manager"):
        theirs = client_for(people[username]).get(url).context["history"]
        assert [h.status for h in theirs] == ["submitted"]


def test_another_alliance_cannot_see_a_submitted_plan(people, client_for):
    plan = submitted(people)
    other = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    assert client_for(other).get(reverse("supplychain-plan", args=[plan.pk])).status_code == 404


# --- The API contract -------------------------------------------------------------------------------------------


def test_api_draft_submit_and_accept_with_missing_items(people, client_for):
    staff, manager = client_for(people["wsp-staff"]), client_for(people["alliance-manager"])
    created = staff.post("/api/supplychain/management-plans/", {"sections": {CODES[0]: "text"}},
                         content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert {"id", "organisation", "version", "status"} <= set(body)
    assert (body["organisation"], body["version"], body["status"]) == ("wsp", 1, "draft")
    assert staff.post(f"/api/supplychain/management-plans/{body['id']}/submit/").status_code == 200
    refused = manager.post(f"/api/supplychain/management-plans/{body['id']}/accept/")
    assert refused.status_code == 400
    assert refused.json()["missing"] == CODES[1:]
    assert ManagementPlan.objects.get(pk=body["id"]).status == PlanStatus.SUBMITTED
    assert staff.post(f"/api/supplychain/management-plans/{body['id']}/accept/").status_code == 403


def test_api_accepts_a_complete_plan(people, client_for):
    staff, manager = client_for(people["wsp-staff"]), client_for(people["alliance-manager"])
    plan = staff.post("/api/supplychain/management-plans/", {"sections": complete()},
                      content_type="application/json").json()
    staff.post(f"/api/supplychain/management-plans/{plan['id']}/submit/")
    accepted = manager.post(f"/api/supplychain/management-plans/{plan['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_api_needs_credentials(sc, client):
    assert client.get("/api/supplychain/management-plans/checklist/").status_code == 401


# --- Pages ------------------------------------------------------------------------------------------------------


def test_plans_page_lists_every_partner(people, client_for):
    services.plan_accept(actor=people["alliance-manager"], plan=submitted(people))
    page = client_for(people["costain-staff"]).get(reverse("supplychain-plans"))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 6
    assert "Version 1" in page.content.decode()


def test_accepting_an_incomplete_plan_on_the_page_names_the_missing_items(people, client_for):
    plan = submitted(people, sections={CODES[0]: "x"})
    response = client_for(people["alliance-manager"]).post(reverse("supplychain-plan-accept", args=[plan.pk]))
    assert response.status_code == 400
    assert "Project Bank Account details" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_a_partner_drafts_edits_and_submits_on_the_pages(people, client_for):
    staff = client_for(people["wsp-staff"])
    response = staff.post(reverse("supplychain-plan-new"))
    plan = ManagementPlan.objects.get(organisation__slug="wsp")
    assert response["Location"] == reverse("supplychain-plan", args=[plan.pk])
    edited = staff.post(reverse("supplychain-plan-edit", args=[plan.pk]), {**complete(), "change_note": "First"})
    assert edited.status_code == 302
    staff.post(reverse("supplychain-plan-submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.sections == complete()
    assert client_for(people["costain-staff"]).post(reverse("supplychain-plan-accept", args=[plan.pk])).status_code == 403


def test_the_significant_change_page_offers_each_person_the_partners_they_may_act_for(people, client_for):
    """Para 134: the Alliance Manager for any partner; a partner's people for their own; nobody else."""
    url = reverse("supplychain-plan-change")
    manager_page = client_for(people["alliance-manager"]).get(url)
    assert manager_page.status_code == 200
    assert manager_page.context["form"].fields["organisation"].queryset.count() == 6
    staff_page = client_for(people["wsp-staff"]).get(url)
    assert [o.slug for o in staff_page.context["form"].fields["organisation"].queryset] == ["wsp"]
    assert client_for(people["client-reviewer"]).get(url).status_code == 403
    costain = Organisation.objects.get(slug="costain")
    refused = client_for(people["wsp-staff"]).post(url, {"organisation": costain.pk, "reason": "x",
                                                         "due_date": "2026-12-20"})
    assert refused.status_code == 400 and not scmp_clocks(costain).exists()
