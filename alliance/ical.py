"""The What's due list as an iCalendar feed: one all-day event per open obligation."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

if TYPE_CHECKING:
    from collections.abc import Iterable

    from alliance.models import Obligation, Person

logger = logging.getLogger(__name__)


def whats_due_calendar(person: Person, obligations: Iterable[Obligation], *, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Alliance governance//What's due//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"What's due — {person}")
    calendar.add("x-wr-timezone", "Europe/London")
    stamp = timezone.now()
    base = base_url.rstrip("/")
    for obligation in obligations:
        try:
            day_after = obligation.due_date + dt.timedelta(days=1)
        except OverflowError:
            # A due date with no day after it (31 Dec 9999, saved before alliance.dates bounded what people
            # enter) cannot be an all-day event: it is left out rather than failing the voter's whole feed.
            logger.warning("Obligation %s left out of a calendar feed: due %s", obligation.pk, obligation.due_date)
            continue
        event = Event()
        event.add("uid", f"obligation-{obligation.pk}@alliance-governance")
        event.add("dtstamp", stamp)
        event.add("summary", f"Due: {obligation.title}")
        event.add("dtstart", obligation.due_date)
        event.add("dtend", day_after)
        details = [obligation.get_kind_display()]
        if obligation.paragraph:
            details.append(f"Source: {obligation.paragraph}")
        if obligation.responsible_organisation_id:
            details.append(f"Responsible: {obligation.responsible_organisation}")
        event.add("description", "\n".join(details))
        event.add("url", f"{base}{reverse('obligation-detail', args=[obligation.pk])}")
        calendar.add_component(event)
    return calendar.to_ical()
