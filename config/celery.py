"""The Celery application. Periodic schedules are declared here, in code, in one place."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _declare_periodic_tasks(sender: Celery, **kwargs) -> None:
    from django.conf import settings

    # Reminders are a sweep over due dates held in the database, never delayed tasks (docs/architecture.md):
    # the sweep is idempotent, so it runs every REMINDER_SWEEP_SECONDS and a missed run costs minutes.
    sender.add_periodic_task(
        float(settings.REMINDER_SWEEP_SECONDS), sender.signature("alliance.send_reminders"), name="send-reminders"
    )
    # Decisions close at their closing time, to the minute (the closing time lives on the row, not in a
    # delayed task); votes after closes_at are refused even before the sweep gets there.
    sender.add_periodic_task(
        float(settings.DECISION_CLOSE_SWEEP_SECONDS), sender.signature("governance.close_due_decisions"),
        name="close-due-decisions",
    )
    # A quarter's scorecard is computed and frozen once the quarter has ended (para 159): a daily sweep over the
    # quarters in the database, idempotent (a frozen quarter is left alone), so a missed day only delays it.
    sender.add_periodic_task(
        crontab(hour=2, minute=10), sender.signature("performance.freeze_quarters"), name="freeze-quarters",
    )
    # The Board is the Alliance's members on the day (paras 12, 95-98): who votes is read from membership dates,
    # and a daily sweep cancels a terminated partner's "Vote on" obligations (or opens a new partner's) on the day
    # its date arrives. Idempotent; a missed day leaves an obligation visible a day longer, never a vote counted.
    sender.add_periodic_task(
        crontab(hour=0, minute=20), sender.signature("governance.sync_board_seats"), name="sync-board-seats",
    )
    # CVs are personal data: a decided nomination's CV goes CV_RETENTION_MONTHS after the decision. A daily sweep
    # over decision dates in the database; a missed day only delays a deletion by a day.
    sender.add_periodic_task(crontab(hour=2, minute=40), sender.signature("alliance.purge_cvs"), name="purge-cvs")
