"""Celery tasks of the People area: thin, idempotent wrappers around services (docs/architecture.md)."""

from __future__ import annotations

from celery import shared_task

from people.services.cvs import cvs_purge


# The name stays "alliance.purge_cvs" (the beat schedule in config/celery.py and any message already queued
# name it so): the task was the core's before key persons became an app of their own.
@shared_task(name="alliance.purge_cvs", acks_late=True)
def purge_cvs() -> int:
    """Delete the CVs of nominations decided more than CV_RETENTION_MONTHS ago; idempotent (a purged CV has no
    file left)."""
    return cvs_purge()
