"""Celery tasks: thin, idempotent wrappers around services (docs/architecture.md)."""

from __future__ import annotations

from celery import shared_task

from alliance import services


@shared_task(name="alliance.send_reminders", acks_late=True)
def send_reminders() -> int:
    """The reminder sweep; running it twice sends nothing the second time."""
    return services.reminders_send()
