"""Demo records of mobilisation and maturity, one module per workflow; ``seed_demo`` is what alliance.demo finds."""

from __future__ import annotations

from alliance.models import Alliance
from mobilisation.demo import assessment, deliverables, maturity, phases

__all__ = ["seed_demo"]


def seed_demo(alliance: Alliance) -> None:
    deliverables.seed_demo(alliance)
    phases.seed_demo(alliance)
    maturity.seed_demo(alliance)
    assessment.seed_demo(alliance)
