"""A real Celery worker against Redis runs the reminder task (issue 2)."""

from __future__ import annotations

import datetime as dt
import socket
import time
from urllib.parse import urlparse

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from alliance import services
from alliance.dates import local_today
from alliance.models import ObligationKind, Reminder
from alliance.tasks import send_reminders
from config.celery import app


def _redis_answers() -> bool:
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        return False
    url = urlparse(settings.CELERY_BROKER_URL)
    try:
        with socket.create_connection((url.hostname, url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_sends_the_due_reminders(alliance):
    if not _redis_answers():
        pytest.skip("needs Redis: set REDIS_URL to a running server")
    obligation = services.obligation_open(
        actor=None, alliance=alliance, kind=ObligationKind.OTHER, title="Due today", start_date=dt.date(2026, 11, 1),
        due_date=local_today(),
    )
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        send_reminders.delay()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not Reminder.objects.filter(obligation=obligation).exists():
            time.sleep(0.2)
    assert Reminder.objects.filter(obligation=obligation, offset_days=0).count() == 1
