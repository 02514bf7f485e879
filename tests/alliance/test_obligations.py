"""Obligations: opened, met, cancelled and re-dated only through their services (issue 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance import services
from alliance.models import Obligation, ObligationKind, ObligationStatus
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _open(alliance, **fields):
    defaults = {"kind": ObligationKind.OTHER, "title": "A dated obligation", "start_date": dt.date(2026, 11, 1)}
    return services.obligation_open(actor=None, alliance=alliance, **{**defaults, **fields})


def test_due_date_is_computed_from_a_period_in_calendar_days(alliance):
    # para 27: the impact assessment is due 28 days after the instruction is issued.
    obligation = _open(alliance, kind=ObligationKind.IMPACT_ASSESSMENT, start_date=dt.date(2026, 11, 23), days=28,
                       paragraph="para 27")
    assert obligation.due_date == dt.date(2026, 12, 21)
    assert obligation.status == ObligationStatus.OPEN


def test_due_date_from_months_is_clamped_to_month_end(alliance):
    obligation = _open(alliance, start_date=dt.date(2027, 1, 31), months=1)
    assert obligation.due_date == dt.date(2027, 2, 28)


def test_due_date_before_start_is_refused_and_nothing_is_saved(alliance):
    before = Obligation.objects.count()
    with pytest.raises(ValidationError) as error:
        _open(alliance, start_date=dt.date(2026, 11, 23), due_date=dt.date(2026, 11, 22))
    assert error.value.message_dict["due_date"] == [services.ERR_DUE_BEFORE_START]
    assert Obligation.objects.count() == before


def test_database_refuses_a_due_date_before_its_start(alliance):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Obligation.objects.create(alliance=alliance, kind="other", title="x", start_date=dt.date(2026, 11, 2),
                                  due_date=dt.date(2026, 11, 1))


def test_both_a_due_date_and_a_period_is_refused(alliance):
    with pytest.raises(ValidationError) as error:
        _open(alliance, due_date=dt.date(2026, 12, 1), days=28)
    assert error.value.message_dict["due_date"] == [services.ERR_DUE_OR_PERIOD]


def test_responsible_organisation_of_another_alliance_is_refused(alliance):
    stranger = OrganisationFactory(alliance=AllianceFactory())
    with pytest.raises(ValidationError) as error:
        _open(alliance, days=5, responsible_organisation=stranger)
    assert error.value.message_dict["responsible_organisation"] == [services.ERR_OTHER_ALLIANCE]


def test_responsible_person_must_belong_to_the_responsible_organisation(alliance, partner_staff, other_partner_staff):
    other_partner = other_partner_staff.organisation
    with pytest.raises(ValidationError) as error:
        _open(alliance, days=5, responsible_organisation=other_partner, responsible_person=partner_staff)
    assert error.value.message_dict["responsible_person"] == [services.ERR_PERSON_NOT_IN_ORGANISATION]


def test_alliance_manager_meets_an_obligation_and_history_keeps_it(alliance, alliance_manager):
    obligation = _open(alliance, days=10)
    services.obligation_meet(actor=alliance_manager, obligation=obligation, reason="Submitted to the Board")
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.MET
    assert obligation.closed_on == dt.date(2026, 11, 23)
    latest = obligation.history.first()
    assert latest.history_change_reason == "Submitted to the Board"
    assert latest.history_user == alliance_manager


def test_a_met_obligation_cannot_be_met_again_or_redated(alliance, alliance_manager):
    obligation = _open(alliance, days=10)
    services.obligation_meet(actor=alliance_manager, obligation=obligation)
    with pytest.raises(ValidationError) as error:
        services.obligation_meet(actor=alliance_manager, obligation=obligation)
    assert "only an open obligation can be met" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.obligation_redate(actor=alliance_manager, obligation=obligation, due_date=dt.date(2027, 1, 1),
                                   reason="late")


def test_cancel_needs_a_reason_and_keeps_it(alliance, alliance_manager):
    obligation = _open(alliance, days=10)
    with pytest.raises(ValidationError) as error:
        services.obligation_cancel(actor=alliance_manager, obligation=obligation, reason="  ")
    assert error.value.message_dict["reason"] == [services.ERR_REASON_REQUIRED]
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN
    services.obligation_cancel(actor=alliance_manager, obligation=obligation, reason="Instruction withdrawn")
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.CANCELLED
    assert obligation.history.first().history_change_reason == "Instruction withdrawn"


def test_redate_keeps_the_old_date_and_the_reason_in_history(alliance, sro):
    obligation = _open(alliance, due_date=dt.date(2026, 12, 1))
    services.obligation_redate(actor=sro, obligation=obligation, due_date=dt.date(2026, 12, 15),
                               reason="Board meeting moved")
    dates = list(obligation.history.order_by("history_date").values_list("due_date", "history_change_reason"))
    assert dates == [(dt.date(2026, 12, 1), "Opened"), (dt.date(2026, 12, 15), "Board meeting moved")]


def test_redate_before_the_start_is_refused(alliance, sro):
    obligation = _open(alliance, start_date=dt.date(2026, 11, 10), due_date=dt.date(2026, 12, 1))
    with pytest.raises(ValidationError) as error:
        services.obligation_redate(actor=sro, obligation=obligation, due_date=dt.date(2026, 11, 9), reason="x")
    assert error.value.message_dict["due_date"] == [services.ERR_DUE_BEFORE_START]
    obligation.refresh_from_db()
    assert obligation.due_date == dt.date(2026, 12, 1)


@pytest.mark.parametrize("persona", ["partner_rep", "partner_staff", "client_reviewer", "a Lot 1 delegate"])
def test_only_the_alliance_manager_or_sro_change_obligations_by_hand(request, core, alliance, persona):
    person = core.delegate(core.partners[0]) if persona == "a Lot 1 delegate" else request.getfixturevalue(persona)
    obligation = _open(alliance, days=10, responsible_organisation=person.organisation)
    with pytest.raises(PermissionDenied):
        services.obligation_meet(actor=person, obligation=obligation)
    with pytest.raises(PermissionDenied):
        services.obligation_add(actor=person, alliance=alliance, kind="other", title="x",
                                start_date=dt.date(2026, 11, 23), due_date=dt.date(2026, 11, 30))
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN


def test_a_manager_of_another_alliance_cannot_touch_this_one(alliance):
    from alliance.models import Role

    other_alliance = AllianceFactory()
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=other_alliance))
    services.role_assign(person=outsider, role=Role.ALLIANCE_MANAGER)
    obligation = _open(alliance, days=10)
    with pytest.raises(PermissionDenied):
        services.obligation_cancel(actor=outsider, obligation=obligation, reason="not mine")


def test_a_workflow_meets_the_obligation_it_fulfils(alliance, partner_staff):
    # Later workflows (a partner submitting a plan) meet their obligation with by_workflow=True.
    obligation = _open(alliance, days=10, responsible_organisation=partner_staff.organisation)
    services.obligation_meet(actor=partner_staff, obligation=obligation, by_workflow=True)
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.MET
    assert obligation.history.first().history_user == partner_staff


def test_obligation_links_to_its_subject_record(alliance, partner_staff):
    obligation = _open(alliance, days=10, subject=partner_staff.organisation)
    assert obligation.subject == partner_staff.organisation


def test_obligation_page_links_its_record_only_for_those_who_may_open_that_area(alliance, client_for, partner_staff,
                                                                               alliance_manager):
    """A partner's staff sees that its obligation is about a Board decision, without a link to the Board's pages
    it may not open; the Alliance Manager gets the link."""
    from governance.services import board as governance_services
    from tests.governance.factories import DecisionTypeFactory

    decision = governance_services.decision_table(
        actor=alliance_manager, alliance=alliance, title="Appoint the Head of Finance",
        decision_type=DecisionTypeFactory(alliance=alliance, code="key-person-appointment", paragraph="para 59"),
        closes_at=timezone.now() + dt.timedelta(days=3))
    obligation = _open(alliance, days=10, subject=decision, responsible_organisation=partner_staff.organisation)
    url = reverse("obligation-detail", args=[obligation.pk])
    board_link = f'href="{decision.get_absolute_url()}"'
    staff_page = client_for(partner_staff).get(url).content.decode()
    assert "Appoint the Head of Finance" in staff_page and board_link not in staff_page
    assert board_link in client_for(alliance_manager).get(url).content.decode()
