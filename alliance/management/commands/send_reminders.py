from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from alliance import services


class Command(BaseCommand):
    help = "Send every obligation reminder whose day has come (the same service the Celery beat job runs)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today: str | None = None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today must be a date as YYYY-MM-DD, not {today!r}") from exc
        sent = services.reminders_send(today=day)
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent.")
