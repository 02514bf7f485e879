"""Celery tasks of the Board: thin, idempotent wrappers around services."""

from __future__ import annotations

from celery import shared_task

from governance import services


@shared_task(name="governance.close_due_decisions", acks_late=True)
def close_due_decisions() -> int:
    """Close every decision whose closing time has passed (no manual step); closing twice changes nothing."""
    return services.decisions_close_due()
