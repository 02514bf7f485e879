"""The core's pure rules: when an obligation's reminders fall due, and which lot and area an organisation may
hold. Plain Python, no Django and no database, like governance/rules.py: the services and the models call
them with plain values, and their tests need nothing else."""

from __future__ import annotations

import datetime as dt

# --- Reminders (docs/domain.md section 8) --------------------------------------------------------------------

# 7 days before, 1 day before and on the due day, then weekly while overdue (issue 2).
REMINDER_DAYS_BEFORE = (7, 1, 0)
OVERDUE_REMINDER_EVERY_DAYS = 7


def reminder_offset_for(*, due_date: dt.date, today: dt.date) -> int | None:
    """Which reminder is current today: 7, 1 or 0 days before, then -7, -14, ... while overdue.

    The latest reminder whose day has come is the current one, so a sweep that missed a day sends the
    reminder that fits today rather than a backlog of stale ones.
    """
    days_left = (due_date - today).days
    if days_left > max(REMINDER_DAYS_BEFORE):
        return None
    overdue = -days_left
    if overdue >= OVERDUE_REMINDER_EVERY_DAYS:
        return -OVERDUE_REMINDER_EVERY_DAYS * (overdue // OVERDUE_REMINDER_EVERY_DAYS)
    return min(d for d in REMINDER_DAYS_BEFORE if d >= days_left) if days_left >= 0 else 0


def reminder_horizon(today: dt.date) -> dt.date:
    """The latest due date that may have a reminder today (the earliest reminder is 7 days before)."""
    return today + dt.timedelta(days=max(REMINDER_DAYS_BEFORE))


# --- Lots and areas (paras 7-11, 85-86; docs/domain.md section 4) -------------------------------------------

ERR_PARTNER_NEEDS_LOT = "A partner belongs to exactly one lot."
ERR_CLIENT_HAS_NO_LOT = "The client does not belong to a lot."
ERR_AREA_FOR_LOT = "A Lot {lot} partner is awarded one of these areas: {areas}."
ERR_AREA_NOT_FOR_LOT = "Only Lot 2 and Lot 3 partners are awarded an area."
ERR_LOT_OF_OTHER_ALLIANCE = "The lot belongs to another alliance."

# The areas each lot's partners are awarded (Area values), in the order the message lists them.
AREAS_FOR_LOT: dict[int, tuple[str, ...]] = {2: ("north", "south"), 3: ("north", "midlands", "south")}


def organisation_errors(
    *, is_partner: bool, is_client: bool, lot_number: int | None, lot_of_other_alliance: bool, area: str,
    area_labels: dict[str, str],
) -> dict[str, list[str]]:
    """What is wrong with an organisation's lot and area, by field: a partner has one lot, the client none; a
    Lot 2 partner holds North or South, a Lot 3 partner North, Midlands or South; no other lot an area."""
    errors: dict[str, list[str]] = {}
    if is_partner and lot_number is None:
        errors["lot"] = [ERR_PARTNER_NEEDS_LOT]
    if is_client and lot_number is not None:
        errors["lot"] = [ERR_CLIENT_HAS_NO_LOT]
    if lot_number is not None and lot_of_other_alliance:
        errors["lot"] = [ERR_LOT_OF_OTHER_ALLIANCE]
    if lot_number is not None and lot_number in AREAS_FOR_LOT:
        areas = AREAS_FOR_LOT[lot_number]
        if area not in areas:
            errors["area"] = [ERR_AREA_FOR_LOT.format(lot=lot_number, areas=", ".join(area_labels[a] for a in areas))]
    elif area:
        errors["area"] = [ERR_AREA_NOT_FOR_LOT]
    return errors
