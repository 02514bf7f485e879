"""Celery tasks of performance: thin, idempotent wrappers around services."""

from __future__ import annotations

from celery import shared_task

from performance.services import scorecard as services


@shared_task(name="performance.freeze_quarters", acks_late=True)
def freeze_quarters() -> int:
    """Freeze every alliance's last quarter once it has ended (para 159); a frozen quarter is left as it is."""
    return services.quarters_freeze_due()
