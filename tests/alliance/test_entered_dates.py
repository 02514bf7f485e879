"""Dates people enter lie between 1 January 2000 and 31 December 2100 (alliance/dates.py), and the calendar feed
survives a date that cannot be represented (issue 16 item 6: a decision closing on 9999-12-31 was accepted and
then broke every voter's calendar feed with an OverflowError)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from rest_framework.test import APIClient

from alliance.dates import EARLIEST_DATE, ERR_DATE_RANGE, LATEST_DATE, date_in_range, validate_date_range
from alliance.models import Obligation, ObligationKind, Person
from governance.models.board import Decision
from tests.governance.factories import DecisionTypeFactory

pytestmark = pytest.mark.django_db

FAR_DATES = ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]


def test_the_range_is_2000_to_2100_inclusive():
    assert date_in_range(EARLIEST_DATE) and date_in_range(LATEST_DATE)
    assert not date_in_range(dt.date(1999, 12, 31)) and not date_in_range(dt.date(2101, 1, 1))
    assert not date_in_range(dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC))
    validate_date_range(None)  # an empty optional date is the field's business, not the range's
    with pytest.raises(ValidationError) as refused:
        validate_date_range(dt.date(9999, 12, 31))
    assert refused.value.messages == [ERR_DATE_RANGE]


@pytest.fixture
def matrix(alliance):
    """The Decision Matrix row the decisions below are tabled under (para 59)."""
    return DecisionTypeFactory(alliance=alliance, code="key-person-appointment", name="Key person appointment",
                               paragraph="para 59")


def _api(person: Person) -> APIClient:
    c = APIClient()
    c.force_authenticate(person)
    return c


@pytest.mark.parametrize("closes_at", [f"{d}T12:00:00Z" for d in FAR_DATES] + ["9999-12-31T23:59:59+14:00"])
def test_api_refuses_a_decision_closing_outside_the_range(matrix, alliance_manager, closes_at):
    response = _api(alliance_manager).post("/api/governance/decisions/", {
        "title": "Appoint the Commercial Lead", "decision_type": "key-person-appointment", "closes_at": closes_at,
    }, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["closes_at"] == [ERR_DATE_RANGE]
    assert not Decision.objects.exists()


def test_the_decision_page_refuses_a_decision_closing_on_9999_12_31(matrix, client_for, alliance_manager):
    decision_type = matrix
    response = client_for(alliance_manager).post(reverse("board-decision-new"), {
        "title": "Appoint the Commercial Lead", "decision_type": decision_type.pk, "closes_at": "9999-12-31T12:00",
    })
    assert response.status_code == 400
    assert response.context["form"].errors["closes_at"] == [ERR_DATE_RANGE]
    assert not Decision.objects.exists()


@pytest.mark.parametrize("due", FAR_DATES)
def test_an_obligation_due_outside_the_range_is_refused_on_its_page(client_for, alliance_manager, due):
    response = client_for(alliance_manager).post(reverse("obligation-add"), {
        "kind": ObligationKind.OTHER, "title": "Odd", "start_date": "2026-11-23", "due_date": due})
    assert response.status_code in {200, 400}
    assert ERR_DATE_RANGE in response.context["form"].errors["due_date"]
    assert not Obligation.objects.filter(title="Odd").exists()


def test_api_refuses_an_obligation_redated_to_9999(alliance, dues, alliance_manager):
    obligation = Obligation.objects.filter(alliance=alliance, status="open").first()
    response = _api(alliance_manager).post(f"/api/obligations/{obligation.pk}/redate/",
                                             {"due_date": "9999-12-31", "reason": "typo"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["due_date"] == [ERR_DATE_RANGE]
    obligation.refresh_from_db()
    assert obligation.due_date.year < 2100


def test_feed_leaves_out_an_obligation_due_on_the_last_representable_day(alliance, dues, client_for,
                                                                         alliance_manager):
    """An obligation saved before dates were bounded (or by a data fix) cannot break the feed: it is left out."""
    manager = alliance_manager
    c = client_for(manager)
    c.post(reverse("calendar-issue"))
    url = c.get(reverse("calendar-settings")).context["feed_url"]
    kept = Obligation.objects.filter(alliance=alliance, status="open", responsible_organisation__isnull=True).first() \
        or Obligation.objects.filter(alliance=alliance, status="open").first()
    broken = Obligation.objects.create(
        alliance=alliance, kind=ObligationKind.OTHER, title="Closing never", start_date=dt.date(2026, 11, 23),
        due_date=dt.date(9999, 12, 31), responsible_person=manager)
    response = Client().get(url)
    assert response.status_code == 200
    uids = {str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert f"obligation-{broken.pk}@alliance-governance" not in uids
    assert uids  # the rest of the feed is still there
    assert kept is not None
