"""Demo records of allocation, one module per workflow; ``seed_demo`` is what alliance.demo discovers."""

from __future__ import annotations

from alliance.models import Alliance
from allocation.demo import membership, optimisation, packages, periodic

__all__ = ["seed_demo"]


def seed_demo(alliance: Alliance) -> None:
    packages.seed_demo(alliance)
    optimisation.seed_demo(alliance)
    membership.seed_demo(alliance)
    periodic.seed_demo(alliance)
