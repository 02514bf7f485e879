"""send_reminders by hand runs the same service as the Celery beat job."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from alliance.models import Reminder
from config.celery import app

pytestmark = pytest.mark.django_db


def test_send_reminders_command_sends_and_is_idempotent(dues, capsys):
    # One reminder per obligation due within a week or overdue: the three CV calls, the handover and the
    # commitments; not the strategy (due in two months) nor the met transition plan.
    call_command("send_reminders", "--today", "2026-11-23")
    assert "5 reminders sent." in capsys.readouterr().out
    call_command("send_reminders", "--today", "2026-11-23")
    assert "0 reminders sent." in capsys.readouterr().out
    assert Reminder.objects.count() == 5


def test_send_reminders_command_rejects_a_malformed_date(dues):
    with pytest.raises(CommandError, match="--today must be a date as YYYY-MM-DD"):
        call_command("send_reminders", "--today", "23/11/2026")


def test_beat_schedule_declares_the_reminder_sweep_in_code():
    app.loader.import_default_modules()
    app.finalize()
    schedule = app.conf.beat_schedule
    assert schedule["send-reminders"]["task"] == "alliance.send_reminders"
    assert schedule["close-due-decisions"]["task"] == "governance.close_due_decisions"
