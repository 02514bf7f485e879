"""Celery tasks of the Board: thin, idempotent wrappers around services."""

from __future__ import annotations

from celery import shared_task

from governance.services import board as board_services


@shared_task(name="governance.close_due_decisions", acks_late=True)
def close_due_decisions() -> int:
    """Close every decision whose closing time has passed (no manual step); closing twice changes nothing."""
    return board_services.decisions_close_due()


@shared_task(name="governance.sync_board_seats", acks_late=True)
def sync_board_seats() -> int:
    """Align the open decisions' vote obligations with the day's members (paras 12, 95-98): a termination
    or a new partner's start date that arrives today. Idempotent: a second run changes nothing."""
    return board_services.board_seats_sync_all()
