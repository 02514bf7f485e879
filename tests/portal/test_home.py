"""The home page by role (issue 10): each person lands on what needs them now, with counts, and nothing that is not
theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alliance import services
from alliance.models import Obligation, ObligationKind, Organisation, Person
from governance.demo import seed_matrix
from governance.models import DecisionType
from governance.services import board as governance
from performance.models import QuarterStatus
from performance.services.scorecard import quarter_for
from portal.home import home_for
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def person(username: str) -> Person:
    return Person.objects.select_related("organisation").get(username=username)


def panels(username: str) -> dict:
    return {p.key: p for p in home_for(person(username), today=TODAY).panels}


def titles(panel) -> list[str]:
    return [item.title for item in panel.items]


def obligation(title: str, kind: str, *, organisation: str | None = None, holder: str | None = None,
               due: dt.date | None = None) -> Obligation:
    smp_org = Organisation.objects.get(slug=organisation or "national-highways")
    return services.obligation_open(
        actor=None, alliance=smp_org.alliance, kind=kind, title=title, start_date=TODAY - dt.timedelta(days=30),
        due_date=due or TODAY + dt.timedelta(days=10),
        responsible_organisation=smp_org if organisation else None,
        responsible_person=person(holder) if holder else None,
    )


@pytest.fixture
def decision(smp):
    seed_matrix(smp)
    return governance.decision_table(
        actor=person("alliance-manager"), alliance=smp, title="Appoint the Commercial Lead",
        decision_type=DecisionType.objects.get(alliance=smp, code="key-person-appointment"),
        closes_at=timezone.now() + dt.timedelta(days=3),
    )


def test_a_partner_representative_sees_the_decision_to_vote_on_until_their_organisation_votes(decision):
    assert titles(panels("wsp-rep")["votes"]) == ["Appoint the Commercial Lead"]
    assert panels("wsp-rep")["votes"].count == 1
    governance.vote_cast(actor=person("wsp-rep"), decision=decision, choice="for")
    assert panels("wsp-rep")["votes"].count == 0
    # another organisation's vote does not take it off the list of those who have not voted
    assert panels("costain-rep")["votes"].count == 1


def test_the_vote_obligation_is_not_counted_twice_as_a_clock(decision):
    rep = panels("wsp-rep")
    assert Obligation.objects.filter(kind=ObligationKind.BOARD_VOTE, responsible_person__username="wsp-rep").exists()
    assert not any("Vote" in t for t in titles(rep["clocks"]))


def test_staff_and_the_alliance_manager_have_no_votes_panel_table_2(decision):
    assert "votes" not in panels("wsp-staff")
    assert "votes" not in panels("alliance-manager")
    assert "votes" not in panels("client-reviewer")


def test_the_sro_votes_for_the_client(decision):
    assert titles(panels("sro")["votes"]) == ["Appoint the Commercial Lead"]


def test_a_delegate_sees_a_decision_only_when_named_for_it_para_35(decision):
    assert "votes" not in panels("wsp-delegate") or panels("wsp-delegate")["votes"].count == 0
    governance.delegation_grant(actor=person("wsp-rep"), delegate=person("wsp-delegate"), decision=decision)
    assert titles(panels("wsp-delegate")["votes"]) == ["Appoint the Commercial Lead"]


def test_plans_and_cvs_due_are_the_partners_own_and_shown_to_its_staff(smp):
    obligation("Supply Chain Management Plan from WSP", ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN, organisation="wsp")
    obligation("CVs from Costain", ObligationKind.CV_CALL, organisation="costain")
    wsp = panels("wsp-staff")
    assert "Supply Chain Management Plan from WSP" in titles(wsp["documents"])
    assert "CVs from Costain" not in titles(wsp["documents"]) + titles(wsp["clocks"])
    assert "CVs from Costain" in titles(panels("costain-rep")["documents"])
    assert "Supply Chain Management Plan from WSP" not in titles(panels("costain-rep")["documents"])


def test_clocks_held_by_a_person_are_theirs_alone(smp):
    obligation("Impact assessment of CI-001", ObligationKind.IMPACT_ASSESSMENT, organisation="national-highways",
               holder="alliance-manager")
    assert "Impact assessment of CI-001" in titles(panels("alliance-manager")["clocks"])
    assert "Impact assessment of CI-001" not in titles(panels("sro")["clocks"])
    assert "Impact assessment of CI-001" not in titles(panels("client-reviewer")["clocks"])


def test_a_client_obligation_without_a_person_goes_to_the_role_that_acts_for_the_client(smp):
    obligation("Right to intervene on scheme S-01", ObligationKind.INTERVENTION_RIGHT, organisation="national-highways")
    obligation("Assurance review of Q3", ObligationKind.ASSURANCE_REVIEW, organisation="national-highways")
    obligation("Deliverable MOB-99", ObligationKind.MOBILISATION_DELIVERABLE, organisation="national-highways")
    assert titles(panels("sro")["clocks"]) == ["Right to intervene on scheme S-01"]
    assert "Assurance review of Q3" in titles(panels("client-reviewer")["clocks"])
    assert "Deliverable MOB-99" in titles(panels("alliance-manager")["documents"])
    assert "Deliverable MOB-99" not in titles(panels("sro")["documents"])


def test_overdue_items_are_counted(smp):
    before = panels("wsp-rep")["documents"]
    obligation("Late plan", ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN, organisation="wsp", due=TODAY - dt.timedelta(days=3))
    obligation("Plan due later", ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN, organisation="wsp")
    documents = panels("wsp-rep")["documents"]
    assert (documents.count, documents.overdue) == (before.count + 2, before.overdue + 1)
    late = next(item for item in documents.items if item.title == "Late plan")
    assert late.overdue_by == 3


def test_the_client_reviewer_and_the_sro_see_scorecards_to_accept_para_160(smp):
    quarter = quarter_for(smp, 2026, 3)
    assert panels("client-reviewer")["scorecards"].count == 0
    Quarterish = type(quarter)
    Quarterish.objects.filter(pk=quarter.pk).update(status=QuarterStatus.FROZEN, frozen_at=timezone.now())
    assert titles(panels("client-reviewer")["scorecards"]) == ["Scorecard for 2026-Q3"]
    assert panels("sro")["scorecards"].count == 1
    assert "scorecards" not in panels("wsp-rep")
    assert "scorecards" not in panels("alliance-manager")
    Quarterish.objects.filter(pk=quarter.pk).update(status=QuarterStatus.ACCEPTED)
    assert panels("client-reviewer")["scorecards"].count == 0


def test_the_whole_alliance_counts_are_shown_apart_only_to_those_who_oversee_it(smp, client_for):
    obligation("Costain overdue", ObligationKind.OTHER, organisation="costain", due=TODAY - dt.timedelta(days=1))
    assert home_for(person("alliance-manager"), today=TODAY).alliance_counts["overdue"] >= 1
    assert home_for(person("wsp-rep"), today=TODAY).alliance_counts is None
    page = client_for(person("wsp-rep")).get("/").content.decode()
    assert "Across the whole alliance" not in page
    assert "Costain overdue" not in page


def test_the_home_page_renders_each_panel_with_its_count(decision, client_for):
    documents = panels("wsp-rep")["documents"].count
    obligation("Supply Chain Management Plan from WSP", ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN, organisation="wsp")
    page = client_for(person("wsp-rep")).get("/").content.decode()
    assert "Decisions to vote on (1)" in page
    assert f"Plans and CVs due ({documents + 1})" in page
    assert "Appoint the Commercial Lead" in page
    assert "closes " in page


def test_the_home_page_query_count_does_not_grow_with_the_items(decision, client_for, django_assert_max_num_queries):
    before = panels("wsp-rep")["documents"].count
    for i in range(30):
        obligation(f"Plan {i}", ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN, organisation="wsp")
    c = client_for(person("wsp-rep"))
    with django_assert_max_num_queries(20):
        response = c.get("/")
    assert response.context["home"].panels[2].count == before + 30
    assert f"{before + 25} more." in response.content.decode()
