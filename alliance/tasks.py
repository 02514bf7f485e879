"""Celery tasks: thin, idempotent wrappers around services (CONVENTIONS.md)."""

from __future__ import annotations

from celery import shared_task

from alliance import services


@shared_task(name="alliance.send_reminders", acks_late=True)
def send_reminders() -> int:
    """The reminder sweep; running it twice sends nothing the second time."""
    return services.reminders_send()


@shared_task(name="alliance.purge_cvs", acks_late=True)
def purge_cvs() -> int:
    """Delete the CVs of nominations decided more than CV_RETENTION_MONTHS ago; idempotent (a purged CV has no
    file left)."""
    from alliance.people.services import cvs_purge

    return cvs_purge()
