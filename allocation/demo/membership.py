"""Demo records of membership changes. Idempotent: only the transition plan's obligation (para 83), which the
core demo usually seeds already; no termination in the demo."""

from __future__ import annotations

from alliance.models import Alliance
from allocation.services.membership import transition_plan_obligation_open


def seed_demo(alliance: Alliance) -> None:
    transition_plan_obligation_open(alliance)
