"""Reminders across a lost worker: the Reminder row is the email's outbox (bench/faults/worker_kill.py).

A worker killed after the reminder's row commits but before the mail server accepts the email used to lose that
email for good; now a later sweep claims it again and sends it, once.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail

from alliance import selectors, services
from alliance.models import ObligationKind, OrganisationKind, Reminder, Role
from tests.alliance.factories import AllianceFactory, LotFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 12, 1)
MORNING = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def obligation(db):
    alliance = AllianceFactory()
    client = OrganisationFactory(alliance=alliance, kind=OrganisationKind.CLIENT)
    services.role_assign(person=PersonFactory(organisation=client, username="am"), role=Role.ALLIANCE_MANAGER)
    partner = OrganisationFactory(alliance=alliance, kind=OrganisationKind.PARTNER, lot=LotFactory(alliance=alliance))
    rep = PersonFactory(organisation=partner, username="rep")
    return services.obligation_open(actor=None, alliance=alliance, kind=ObligationKind.OTHER, title="Plan",
                                    start_date=dt.date(2026, 11, 1), due_date=DUE, responsible_person=rep)


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def _sweep(capture, today=DUE, execute=True) -> int:
    with capture(execute=execute):
        return services.reminders_send(today=today)


def test_an_email_lost_between_claim_and_send_is_sent_by_a_later_sweep(obligation, clock, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.REMINDER_EMAIL_RETRY_SECONDS = 900
    # The worker dies after the claim commits and before its on_commit email runs.
    assert _sweep(django_capture_on_commit_callbacks, execute=False) == 1
    assert mail.outbox == []
    assert Reminder.objects.get().emailed is False

    _sweep(django_capture_on_commit_callbacks)  # the claim is fresh: its worker may still be sending
    assert mail.outbox == []

    clock.shift(dt.timedelta(minutes=16))
    _sweep(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["rep@example.org"]]
    assert "is due today" in mail.outbox[0].subject
    assert Reminder.objects.get().emailed is True

    clock.shift(dt.timedelta(minutes=16))
    _sweep(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # confirmed: never again
    assert Reminder.objects.count() == 1


def test_a_confirmed_email_is_never_sent_again(obligation, clock, django_capture_on_commit_callbacks):
    _sweep(django_capture_on_commit_callbacks)
    clock.shift(dt.timedelta(hours=2))
    _sweep(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_two_sweeps_retrying_the_same_claim_send_one_email(obligation, clock, django_capture_on_commit_callbacks):
    _sweep(django_capture_on_commit_callbacks, execute=False)
    clock.shift(dt.timedelta(minutes=16))
    seen_by_both = list(selectors.reminders_unconfirmed(claimed_before=MORNING + dt.timedelta(minutes=1)))
    assert services._reminder_emails_retry(today=DUE) == 1
    # The second sweep read the row before the first claimed it again: its compare-and-set finds nothing.
    with mock.patch.object(selectors, "reminders_unconfirmed", return_value=seen_by_both):
        assert services._reminder_emails_retry(today=DUE) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_tried_again_later(obligation, clock, django_capture_on_commit_callbacks):
    with mock.patch.object(services, "_send_each", side_effect=smtplib.SMTPServerDisconnected("gone")):
        _sweep(django_capture_on_commit_callbacks)
    assert Reminder.objects.get().emailed is False
    clock.shift(dt.timedelta(minutes=16))
    _sweep(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().emailed is True


def test_a_superseded_unconfirmed_reminder_is_not_sent_late(obligation, clock, django_capture_on_commit_callbacks):
    _sweep(django_capture_on_commit_callbacks, today=DUE - dt.timedelta(days=7), execute=False)  # 7 days before
    clock.shift(dt.timedelta(days=6))
    _sweep(django_capture_on_commit_callbacks, today=DUE - dt.timedelta(days=1))  # 1 day before supersedes it
    assert [m.subject for m in mail.outbox] == ["Reminder: Plan is due tomorrow, 1 Dec 2026."]
