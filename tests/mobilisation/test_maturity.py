"""The five-year rolling maturity plan (paras 216-221): para 217's focus areas, a level per period of para 218
(para 219's levels), the Board's unanimous sign-off and the annual update (para 221), the pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance.dates import add_months
from alliance.models import Obligation, ObligationKind, ObligationStatus
from governance.models import Decision
from governance.models.board import Outcome
from governance.services import board as governance_services
from mobilisation.demo import seed_maturity as seed_demo
from mobilisation.focus_areas import FOCUS_AREA_GROUPS, FOCUS_AREAS
from mobilisation.models import (
    FocusArea,
    MaturityAction,
    MaturityPlan,
    MaturityPlanStatus,
    TargetLevel,
    TargetPeriod,
)
from mobilisation.services import maturity as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY
from tests.mobilisation.conftest import VOTERS

pytestmark = pytest.mark.django_db

PERIODS = TargetPeriod.values
RISING = ["base", "base", "developing", "developing", "advanced", "advanced"]


def all_targets(levels=None) -> dict[str, dict[str, str]]:
    return {spec.code: dict(zip(PERIODS, levels or RISING, strict=True)) for spec in FOCUS_AREAS}


def drafted(people, *, targets=None) -> MaturityPlan:
    manager = people["alliance-manager"]
    plan = services.maturity_plan_draft(actor=manager, alliance=manager.organisation.alliance)
    return services.maturity_plan_edit(actor=manager, plan=plan,
                                       targets=all_targets() if targets is None else targets)


def close_with(people, decision: Decision, choices: dict[str, str] | None = None) -> Decision:
    for username in VOTERS:
        governance_services.vote_cast(actor=people[username], decision=decision,
                                      choice=(choices or {}).get(username, "for"))
    return governance_services.decision_close(actor=people["sro"], decision=decision)


def signed_off(people) -> MaturityPlan:
    plan = drafted(people)
    close_with(people, services.maturity_plan_submit(actor=people["alliance-manager"], plan=plan))
    plan.refresh_from_db()
    return plan


def clocks(**filters):
    return Obligation.objects.filter(kind=ObligationKind.MATURITY_PLAN, **filters).order_by("pk")


@pytest.fixture
def other_plan():
    """A version of another alliance's plan."""
    organisation = OrganisationFactory(alliance=AllianceFactory())
    return MaturityPlan.objects.create(alliance=organisation.alliance, version=1,
                                       drafted_by=PersonFactory(organisation=organisation))


# --- Drafting --------------------------------------------------------------------------------------------------
def test_version_1_has_every_focus_area_of_para_217_under_its_heading(mob, people):
    manager = people["alliance-manager"]
    plan = services.maturity_plan_draft(actor=manager, alliance=mob)
    areas = list(FocusArea.objects.filter(plan=plan).order_by("order"))
    assert [a.code for a in areas] == [spec.code for spec in FOCUS_AREAS]
    assert len(areas) == 29 and {a.group for a in areas} == set(FOCUS_AREA_GROUPS)
    assert areas[0].group == "People structure and location" and areas[-1].title == "Health, safety and wellbeing"
    assert plan.version == 1 and plan.status == MaturityPlanStatus.DRAFT


def test_only_the_alliance_manager_drafts_and_one_version_at_a_time(mob, people):
    with pytest.raises(PermissionDenied):
        services.maturity_plan_draft(actor=people["wsp-staff"], alliance=mob)
    drafted(people)
    with pytest.raises(ValidationError) as refusal:
        services.maturity_plan_draft(actor=people["alliance-manager"], alliance=mob)
    assert "Version 1 of the maturity plan is draft" in refusal.value.messages[0]
    assert MaturityPlan.objects.count() == 1


def test_levels_may_not_go_down_from_one_period_to_the_next_para_216(mob, people):
    plan = drafted(people, targets={})
    targets = {"edi": dict(zip(PERIODS, ["base", "developing", "base", "developing", "advanced", "advanced"],
                               strict=True)),
               "location": dict(zip(PERIODS, RISING, strict=True))}
    with pytest.raises(ValidationError) as refusal:
        services.maturity_plan_edit(actor=people["alliance-manager"], plan=plan, targets=targets)
    message = refusal.value.message_dict["targets"][0]
    assert message == services.ERR_MATURITY_LEVEL_DOWN.format(areas="EDI")
    assert not TargetLevel.objects.exists()  # nothing saved, not even the focus area that was right
    # A gap is not a fall: unset periods are skipped, and the same level twice is allowed.
    services.maturity_plan_edit(actor=people["alliance-manager"], plan=plan,
                                targets={"edi": {"six_months": "developing", "year_3": "developing"}})
    assert TargetLevel.objects.count() == 2


def test_an_empty_level_clears_the_target_and_an_unknown_level_is_refused(mob, people):
    plan = drafted(people)
    manager = people["alliance-manager"]
    services.maturity_plan_edit(actor=manager, plan=plan, targets={"edi": {"year_5": ""}})
    assert not TargetLevel.objects.filter(focus_area__code="edi", period="year_5").exists()
    with pytest.raises(ValidationError) as refusal:
        services.maturity_plan_edit(actor=manager, plan=plan, targets={"edi": {"year_5": "excellent"}})
    assert refusal.value.message_dict["targets"] == [services.ERR_MATURITY_LEVEL]


def test_incomplete_targets_are_refused_naming_the_focus_areas_para_218(mob, people):
    plan = drafted(people)
    manager = people["alliance-manager"]
    services.maturity_plan_edit(actor=manager, plan=plan, targets={"edi": {"year_5": ""},
                                                                    "efficiencies": {"six_months": ""}})
    with pytest.raises(ValidationError) as refusal:
        services.maturity_plan_submit(actor=manager, plan=plan)
    assert refusal.value.messages == [services.ERR_MATURITY_INCOMPLETE.format(areas="EDI; Efficiencies")]
    plan.refresh_from_db()
    assert plan.status == MaturityPlanStatus.DRAFT and plan.decision is None
    assert not Decision.objects.exists()


def test_actions_have_an_owner_due_date_and_source(mob, people):
    plan = drafted(people)
    manager = people["alliance-manager"]
    area = FocusArea.objects.get(plan=plan, code="culture-and-behaviours")
    action = services.maturity_action_add(
        actor=manager, plan=plan, focus_area_id=area.pk, description="Run the behaviours survey.",
        owner=people["wsp-staff"].organisation, due_on=dt.date(2027, 3, 31), source="Self-assessment gap")
    assert action.focus_area == area and action.owner.slug == "wsp"
    with pytest.raises(ValidationError):
        services.maturity_action_add(actor=manager, plan=plan, focus_area_id=area.pk, description="  ")
    with pytest.raises(ValidationError):
        services.maturity_action_add(actor=manager, plan=plan, focus_area_id=area.pk, description="x",
                                     owner=OrganisationFactory(alliance=AllianceFactory()))
    with pytest.raises(PermissionDenied):
        services.maturity_action_add(actor=people["wsp-staff"], plan=plan, focus_area_id=area.pk, description="x")
    services.maturity_action_remove(actor=manager, plan=plan, action_id=action.pk)
    assert not MaturityAction.objects.exists()


# --- The Board: unanimous (para 221) ----------------------------------------------------------------------------
def test_submission_tables_a_unanimous_written_resolution_closing_in_14_days(mob, people):
    plan = drafted(people)
    decision = services.maturity_plan_submit(actor=people["alliance-manager"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == MaturityPlanStatus.WITH_BOARD and plan.decision == decision
    assert decision.decision_type.code == "maturity-plan" and decision.authority == "unanimous"
    assert decision.closes_at.date() == TODAY + dt.timedelta(days=14) and decision.subject == plan
    with pytest.raises(PermissionDenied):
        services.maturity_plan_submit(actor=people["wsp-staff"], plan=plan)


def test_six_for_and_one_abstain_is_not_signed_off_para_221(mob, people):
    plan = drafted(people)
    decision = close_with(people, services.maturity_plan_submit(actor=people["alliance-manager"], plan=plan),
                          {"costain-rep": "abstain"})
    assert decision.outcome == Outcome.REJECTED and decision.votes_for == 6
    plan.refresh_from_db()
    assert plan.status == MaturityPlanStatus.RETURNED and plan.signed_off_on is None
    assert not clocks().exists()
    # Returned, it is editable again and can go back to the Board.
    services.maturity_plan_edit(actor=people["alliance-manager"], plan=plan, targets={}, summary="Revised.")
    plan.refresh_from_db()
    assert plan.status == MaturityPlanStatus.DRAFT
    assert services.maturity_plan_submit(actor=people["alliance-manager"], plan=plan) != decision


def test_seven_for_signs_off_and_opens_the_annual_update_para_221(mob, people):
    plan = signed_off(people)
    assert plan.decision.outcome == Outcome.APPROVED and plan.decision.votes_for == 7
    assert plan.status == MaturityPlanStatus.SIGNED_OFF
    assert plan.signed_off_on == TODAY == dt.date(2026, 11, 23)
    assert plan.next_update_due == dt.date(2027, 11, 23)
    (clock,) = clocks()
    assert clock.due_date == dt.date(2027, 11, 23) and clock.status == ObligationStatus.OPEN
    assert clock.subject == plan and clock.paragraph == "para 221"
    assert clock.responsible_person == people["alliance-manager"]


def test_a_new_version_copies_the_signed_off_one_and_supersedes_it_when_signed_off(mob, people):
    first = signed_off(people)
    manager = people["alliance-manager"]
    area = FocusArea.objects.get(plan=first, code="edi")
    MaturityAction.objects.create(focus_area=area, description="Publish the EDI policy.", source="Gap")
    second = services.maturity_plan_draft(actor=manager, alliance=mob)
    assert second.version == 2 and FocusArea.objects.filter(plan=second).count() == 29
    assert TargetLevel.objects.filter(focus_area__plan=second).count() == 29 * 6
    assert MaturityAction.objects.filter(focus_area__plan=second, description="Publish the EDI policy.").exists()
    close_with(people, services.maturity_plan_submit(actor=manager, plan=second))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == MaturityPlanStatus.SUPERSEDED and second.status == MaturityPlanStatus.SIGNED_OFF
    old, new = clocks()
    assert old.subject == first and old.status == ObligationStatus.MET and old.closed_on == TODAY
    assert new.subject == second and new.status == ObligationStatus.OPEN


def test_a_decision_that_is_no_longer_the_plans_is_ignored(mob, people):
    plan = drafted(people)
    decision = services.maturity_plan_submit(actor=people["alliance-manager"], plan=plan)
    MaturityPlan.objects.filter(pk=plan.pk).update(decision=None)
    close_with(people, decision)
    plan.refresh_from_db()
    assert plan.status == MaturityPlanStatus.WITH_BOARD and not clocks().exists()


# --- API ---------------------------------------------------------------------------------------------------------
def test_api_shows_the_current_plan(mob, people, client_for):
    url = reverse("api-mobilisation-maturity-plan")
    staff = client_for(people["wsp-staff"])
    missing = staff.get(url)
    assert missing.status_code == 404 and missing.json()["detail"]
    draft = drafted(people)
    assert staff.get(url).json()["status"] == "draft"
    close_with(people, services.maturity_plan_submit(actor=people["alliance-manager"], plan=draft))
    plan = MaturityPlan.objects.get(pk=draft.pk)
    MaturityAction.objects.create(focus_area=FocusArea.objects.get(plan=plan, code="edi"), description="Do it",
                                  owner=people["wsp-staff"].organisation, due_on=dt.date(2027, 1, 31))
    # A later draft does not replace the signed-off plan as the current one.
    services.maturity_plan_draft(actor=people["alliance-manager"], alliance=mob)
    body = staff.get(url).json()
    assert set(body) >= {"id", "version", "status", "focus_areas", "decision", "signed_off_on", "next_update_due"}
    assert body["id"] == plan.pk and body["version"] == 1 and body["status"] == "signed_off"
    assert body["signed_off_on"] == "2026-11-23" and body["next_update_due"] == "2027-11-23"
    assert body["decision"]["id"] == plan.decision_id and body["decision"]["outcome"] == "approved"
    assert body["decision"]["closed_at"]
    assert len(body["focus_areas"]) == 29
    edi = next(a for a in body["focus_areas"] if a["code"] == "edi")
    assert edi["group"] == "People structure and location" and edi["title"] == "EDI"
    assert edi["targets"] == {"six_months": "base", "year_1": "base", "year_2": "developing",
                              "year_3": "developing", "year_4": "advanced", "year_5": "advanced"}
    assert edi["actions"] == [{"id": edi["actions"][0]["id"], "description": "Do it", "owner": "WSP",
                               "due_on": "2027-01-31", "source": ""}]


def test_api_draft_has_no_decision_and_refuses_strangers(mob, people, client_for):
    url = reverse("api-mobilisation-maturity-plan")
    drafted(people)
    body = client_for(people["alliance-manager"]).get(url).json()
    assert body["decision"] is None and body["signed_off_on"] is None
    assert client_for(PersonFactory(organisation=None)).get(url).status_code == 403
    other = OrganisationFactory(alliance=AllianceFactory())
    assert client_for(PersonFactory(organisation=other)).get(url).status_code == 404  # its alliance has none


# --- Pages -------------------------------------------------------------------------------------------------------
def test_current_page_shows_the_plan_on_a_page_para_220(mob, people, client_for):
    url = reverse("mobilisation-maturity")
    empty = client_for(people["wsp-staff"]).get(url)
    assert empty.status_code == 200 and 'data-testid="no-plan"' in empty.content.decode()
    signed_off(people)
    html = client_for(people["wsp-staff"]).get(url).content.decode()
    assert html.count('data-testid="grid-group"') == 5
    for heading in FOCUS_AREA_GROUPS:
        assert heading in html
    assert "Developing integration" in html and "govuk-tag--blue" in html  # the word, and a colour besides
    assert "23 Nov 2027" in html
    assert 'data-testid="draft"' not in html
    assert 'data-testid="draft"' in client_for(people["alliance-manager"]).get(url).content.decode()
    assert client_for(PersonFactory(organisation=None)).get(url).status_code == 403


def test_detail_page_links_the_decision_only_for_who_sees_the_board(mob, people, client_for, other_plan):
    plan = signed_off(people)
    url = reverse("mobilisation-maturity-plan", args=[plan.pk])
    board = client_for(people["sro"]).get(url)
    assert board.status_code == 200
    html = board.content.decode()
    assert 'data-testid="decision"' in html and reverse("board-decision", args=[plan.decision_id]) in html
    staff = client_for(people["wsp-staff"]).get(url).content.decode()
    assert 'data-testid="decision"' not in staff and plan.decision.title in staff
    assert 'data-testid="history"' in staff and "Signed off unanimously" in staff
    assert client_for(PersonFactory(organisation=None)).get(url).status_code == 403
    other = reverse("mobilisation-maturity-plan", args=[other_plan.pk])
    assert client_for(people["wsp-staff"]).get(other).status_code == 404


def test_draft_page_step(mob, people, client_for):
    url = reverse("mobilisation-maturity-draft")
    assert client_for(people["wsp-staff"]).post(url).status_code == 403
    response = client_for(people["alliance-manager"]).post(url)
    plan = MaturityPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mobilisation-maturity-edit",
                                                                            args=[plan.pk])
    again = client_for(people["alliance-manager"]).post(url)
    assert again.status_code == 302 and MaturityPlan.objects.count() == 1


def test_edit_page(mob, people, client_for, other_plan):
    plan = drafted(people, targets={})
    url = reverse("mobilisation-maturity-edit", args=[plan.pk])
    manager = client_for(people["alliance-manager"])
    assert manager.get(url).status_code == 200
    assert client_for(people["wsp-staff"]).get(url).status_code == 403
    assert client_for(people["wsp-staff"]).post(url, {}).status_code == 403
    assert manager.get(reverse("mobilisation-maturity-edit", args=[other_plan.pk])).status_code == 404
    data = {"summary": "Aspirations.", **{f"t__edi__{p}": level for p, level in zip(PERIODS, RISING, strict=True)}}
    assert manager.post(url, data).status_code == 302
    assert TargetLevel.objects.filter(focus_area__code="edi").count() == 6
    data["t__edi__year_5"] = "base"
    refused = manager.post(url, data)
    assert refused.status_code == 400
    assert "Goes down: EDI." in refused.content.decode()
    assert TargetLevel.objects.get(focus_area__code="edi", period="year_5").level == "advanced"


def test_action_pages(mob, people, client_for, other_plan):
    plan = drafted(people)
    area = FocusArea.objects.get(plan=plan, code="edi")
    url = reverse("mobilisation-maturity-action-add", args=[plan.pk])
    data = {"focus_area": area.pk, "description": "Publish the EDI policy.", "due_on": "2027-02-01",
            "source": "Self-assessment gap"}
    assert client_for(people["wsp-staff"]).post(url, data).status_code == 403
    other = reverse("mobilisation-maturity-action-add", args=[other_plan.pk])
    assert client_for(people["alliance-manager"]).post(other, data).status_code == 404
    assert client_for(people["alliance-manager"]).post(url, data).status_code == 302
    action = MaturityAction.objects.get()
    assert action.due_on == dt.date(2027, 2, 1) and action.source == "Self-assessment gap"
    assert client_for(people["alliance-manager"]).post(url, {"focus_area": area.pk}).status_code == 400
    remove = reverse("mobilisation-maturity-action-remove", args=[plan.pk, action.pk])
    assert client_for(people["wsp-staff"]).post(remove).status_code == 403
    assert client_for(people["alliance-manager"]).post(remove).status_code == 302
    assert not MaturityAction.objects.exists()


def test_submit_page_step(mob, people, client_for, other_plan):
    plan = drafted(people)
    url = reverse("mobilisation-maturity-submit", args=[plan.pk])
    assert client_for(people["wsp-staff"]).post(url).status_code == 403
    other = reverse("mobilisation-maturity-submit", args=[other_plan.pk])
    assert client_for(people["alliance-manager"]).post(other).status_code == 404
    services.maturity_plan_edit(actor=people["alliance-manager"], plan=plan, targets={"edi": {"year_5": ""}})
    refused = client_for(people["alliance-manager"]).post(url)
    assert refused.status_code == 400 and "Incomplete: EDI." in refused.content.decode()
    services.maturity_plan_edit(actor=people["alliance-manager"], plan=plan, targets=all_targets())
    response = client_for(people["alliance-manager"]).post(url, {"closes_on": "2026-12-01"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == MaturityPlanStatus.WITH_BOARD
    assert plan.decision.closes_at.date() == dt.date(2026, 12, 1)


# --- Demo --------------------------------------------------------------------------------------------------------
def test_demo_plan_is_signed_off_by_a_unanimous_board_a_month_after_the_start(mob):
    seed_demo(mob)
    seed_demo(mob)  # idempotent
    plan = MaturityPlan.objects.get(alliance=mob)
    signed = add_months(mob.start_date, 1)
    assert plan.version == 1 and plan.status == MaturityPlanStatus.SIGNED_OFF
    assert plan.signed_off_on == signed and plan.next_update_due == add_months(signed, 12)
    assert plan.decision.outcome == Outcome.APPROVED and plan.decision.votes_for == 7
    assert plan.decision.closed_at.date() == signed
    assert MaturityAction.objects.filter(focus_area__plan=plan).count() >= 3
    (clock,) = clocks(alliance=mob)
    assert clock.due_date == plan.next_update_due and clock.status == ObligationStatus.OPEN
    # Targets rise over the years: no focus area goes down.
    for area in FocusArea.objects.filter(plan=plan).prefetch_related("targets"):
        levels = {t.period: t.level for t in area.targets.all()}
        assert len(levels) == 6
        assert not services._going_down(levels)
