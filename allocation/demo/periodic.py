"""Demo records of Periodic Instructions. Idempotent: one requested Periodic Instruction for the next quarter."""

from __future__ import annotations

import datetime as dt

from alliance.dates import add_months, local_today
from alliance.models import Alliance, Role
from allocation.models import PeriodicInstruction
from allocation.services.periodic import periodic_instruction_request
from governance.selectors.instructions import role_holder


def _next_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = add_months(start, 3)
    return start, add_months(start, 3) - dt.timedelta(days=1)


def seed_demo(alliance: Alliance) -> None:
    if PeriodicInstruction.objects.filter(alliance=alliance).exists():
        return
    sro = role_holder(alliance.pk, Role.SRO)
    if sro is None:
        return
    start, end = _next_quarter(local_today())
    periodic_instruction_request(
        actor=sro, period_start=start, period_end=end,
        scope="Production Management Partner work on the RIS2 smart motorway schemes at PCF stages 3 to 5: "
              "programme controls, commercial management and the Production Hub's core resources.",
    )
