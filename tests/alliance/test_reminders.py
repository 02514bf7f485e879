"""Reminders: 7 days before, 1 day before, on the day, then weekly while overdue; each exactly once."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection

from alliance import rules, services
from alliance.models import Notification, ObligationKind, OrganisationKind, Reminder, Role
from tests.alliance.factories import AllianceFactory, LotFactory, OrganisationFactory, PersonFactory

DUE = dt.date(2026, 12, 1)


@pytest.fixture
def tiny(db):
    """A small alliance: a client with an Alliance Manager, one partner with two people."""
    alliance = AllianceFactory()
    client = OrganisationFactory(alliance=alliance, kind=OrganisationKind.CLIENT)
    partner = OrganisationFactory(alliance=alliance, kind=OrganisationKind.PARTNER, lot=LotFactory(alliance=alliance))
    manager = PersonFactory(organisation=client, username="am")
    services.role_assign(person=manager, role=Role.ALLIANCE_MANAGER)
    rep = PersonFactory(organisation=partner, username="rep")
    staff = PersonFactory(organisation=partner, username="staff")
    return {"alliance": alliance, "client": client, "partner": partner, "manager": manager, "rep": rep, "staff": staff}


def _open(tiny, **fields):
    defaults = {"kind": ObligationKind.OTHER, "title": "Plan", "start_date": dt.date(2026, 11, 1), "due_date": DUE}
    return services.obligation_open(actor=None, alliance=tiny["alliance"], **{**defaults, **fields})


@pytest.mark.parametrize(
    ("days_left", "offset"),
    [(30, None), (8, None), (7, 7), (3, 7), (2, 7), (1, 1), (0, 0), (-1, 0), (-6, 0), (-7, -7), (-13, -7),
     (-14, -14), (-70, -70)],
)
def test_the_current_reminder_for_each_day(days_left, offset):
    today = DUE - dt.timedelta(days=days_left)
    assert rules.reminder_offset_for(due_date=DUE, today=today) == offset


@pytest.mark.django_db
def test_each_reminder_is_sent_once_over_the_life_of_an_obligation(tiny, django_capture_on_commit_callbacks):
    obligation = _open(tiny, responsible_person=tiny["rep"])
    sent_on = {}
    day = dt.date(2026, 11, 20)
    while day <= dt.date(2026, 12, 20):
        with django_capture_on_commit_callbacks(execute=True):
            sent_on[day] = services.reminders_send(today=day)
            assert services.reminders_send(today=day) == 0  # a second run the same day sends nothing
        day += dt.timedelta(days=1)
    days_with_reminders = [d for d, n in sent_on.items() if n]
    assert days_with_reminders == [
        dt.date(2026, 11, 24),  # 7 days before
        dt.date(2026, 11, 30),  # 1 day before
        dt.date(2026, 12, 1),  # on the day
        dt.date(2026, 12, 8),  # overdue by a week
        dt.date(2026, 12, 15),  # overdue by two weeks
    ]
    assert sorted(obligation.reminders.values_list("offset_days", flat=True)) == [-14, -7, 0, 1, 7]
    assert len(mail.outbox) == 5
    assert mail.outbox[0].to == ["rep@example.org"]
    assert "is due in 7 days, on 1 Dec 2026" in mail.outbox[0].subject
    assert "is overdue by 14 days" in mail.outbox[-1].body


@pytest.mark.django_db
def test_nothing_is_sent_for_met_or_cancelled_obligations(tiny, django_capture_on_commit_callbacks):
    met = _open(tiny, title="Met")
    cancelled = _open(tiny, title="Cancelled")
    services.obligation_meet(actor=None, obligation=met, by_workflow=True)
    services.obligation_cancel(actor=None, obligation=cancelled, reason="withdrawn", by_workflow=True)
    with django_capture_on_commit_callbacks(execute=True):
        for days in range(-30, 10):
            services.reminders_send(today=DUE + dt.timedelta(days=days))
    assert Reminder.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_redated_obligation_is_reminded_for_its_new_date(tiny):
    obligation = _open(tiny)
    assert services.reminders_send(today=dt.date(2026, 11, 30)) == 1  # 1 day before 1 Dec
    services.obligation_redate(actor=tiny["manager"], obligation=obligation, due_date=dt.date(2026, 12, 10),
                               reason="Board meeting moved")
    assert services.reminders_send(today=dt.date(2026, 12, 1)) == 0  # the old due day: no longer due
    assert services.reminders_send(today=dt.date(2026, 12, 3)) == 1  # 7 days before 10 Dec
    assert services.reminders_send(today=dt.date(2026, 12, 9)) == 1
    assert set(obligation.reminders.values_list("due_date", "offset_days")) == {
        (dt.date(2026, 12, 1), 1), (dt.date(2026, 12, 10), 7), (dt.date(2026, 12, 10), 1)}


@pytest.mark.django_db
def test_recipients_are_the_person_else_the_organisation_else_the_alliance_manager(tiny):
    _open(tiny, title="Person's", responsible_person=tiny["staff"])
    _open(tiny, title="Organisation's", responsible_organisation=tiny["partner"])
    _open(tiny, title="Alliance's")
    services.reminders_send(today=DUE)
    got = {(n.obligation.title, n.recipient.username) for n in Notification.objects.select_related("obligation", "recipient")}
    assert got == {("Person's", "staff"), ("Organisation's", "rep"), ("Organisation's", "staff"), ("Alliance's", "am")}
    assert all("is due today" in n.title for n in Notification.objects.all())


@pytest.mark.django_db
def test_a_sweep_that_dies_midway_leaves_the_rest_for_the_next_sweep(tiny):
    for n in range(5):
        _open(tiny, title=f"Obligation {n}", responsible_person=tiny["rep"])
    real_bulk_create = Notification.objects.bulk_create
    calls = {"n": 0}

    def dies_on_the_third(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker lost")
        return real_bulk_create(objs, *args, **kwargs)

    with mock.patch.object(Notification.objects, "bulk_create", side_effect=dies_on_the_third), \
            pytest.raises(RuntimeError):
        services.reminders_send(today=DUE)
    # The third reminder's row was rolled back with its notifications: it was never claimed as sent.
    assert Reminder.objects.count() == 2
    assert services.reminders_send(today=DUE) == 3
    assert Reminder.objects.count() == 5
    assert Notification.objects.count() == 5  # one each: nothing sent twice


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_reminder_exactly_once(tiny):
    """Four sweeps at the same moment against PostgreSQL: the unique Reminder row lets one win."""
    for n in range(40):
        _open(tiny, title=f"Obligation {n}", responsible_organisation=tiny["partner"])
    barrier = threading.Barrier(4)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait()
            results.append(services.reminders_send(today=DUE))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(results) == 40
    assert Reminder.objects.count() == 40
    assert Notification.objects.count() == 80  # two people in the partner, one notification each
    assert len(mail.outbox) == 80  # one email each


@pytest.mark.django_db
def test_a_workflow_notification_emails_only_after_its_transaction_commits(tiny, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notification_send(recipients=[tiny["rep"], tiny["staff"]], title="A decision needs your vote",
                                   link="/board/")
    assert Notification.objects.filter(title="A decision needs your vote").count() == 2
    assert mail.outbox == []  # nothing leaves while the transaction may still roll back
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["rep@example.org", "staff@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees another recipient's address
