"""The What's due iCal feed: a per-user secret URL that can be revoked (issue 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from alliance.models import CalendarToken, Obligation, ObligationStatus

pytestmark = pytest.mark.django_db


def _feed_url(c: Client) -> str:
    c.post(reverse("calendar-issue"))
    return c.get(reverse("calendar-settings")).context["feed_url"]


def test_feed_holds_one_event_per_open_obligation(alliance, dues, client_for, alliance_manager):
    url = _feed_url(client_for(alliance_manager))
    response = Client().get(url)  # no session: the secret in the URL is the credential
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    open_obligations = Obligation.objects.filter(alliance=alliance, status=ObligationStatus.OPEN)
    assert len(events) == open_obligations.count() == len(dues.open)  # not the met one
    by_uid = {str(e["UID"]): e for e in events}
    handover = open_obligations.get(paragraph="para 60")
    event = by_uid[f"obligation-{handover.pk}@alliance-governance"]
    assert event.decoded("DTSTART") == handover.due_date
    assert event.decoded("DTEND") == handover.due_date + dt.timedelta(days=1)
    assert "para 60" in str(event["DESCRIPTION"])


def test_feed_of_a_partner_holds_only_its_organisations_obligations(dues, client_for, other_partner_staff):
    calendar = Calendar.from_ical(Client().get(_feed_url(client_for(other_partner_staff))).content)
    assert len(calendar.walk("VEVENT")) == 2  # its organisation's handover and CV call


def test_revoked_token_gives_404(dues, client_for, partner_staff):
    c = client_for(partner_staff)
    url = _feed_url(c)
    c.post(reverse("calendar-revoke"))
    assert Client().get(url).status_code == 404
    assert CalendarToken.objects.filter(person=partner_staff, revoked_at=None).count() == 0


def test_a_new_address_stops_the_old_one(dues, client_for, partner_staff):
    c = client_for(partner_staff)
    old = _feed_url(c)
    new = _feed_url(c)
    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_unknown_token_gives_404(dues):
    assert Client().get(reverse("calendar-feed", args=["not-a-real-token"])).status_code == 404


def test_feed_of_a_deactivated_person_gives_404(dues, client_for, partner_staff):
    url = _feed_url(client_for(partner_staff))
    partner_staff.is_active = False
    partner_staff.save()
    assert Client().get(url).status_code == 404
