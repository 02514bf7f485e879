"""Demo records of the supply chain, one module per workflow; ``seed_demo`` is what alliance.demo discovers."""

from __future__ import annotations

from alliance.models import Alliance
from supplychain.demo import documents, plans, risks, suppliers

__all__ = ["seed_demo"]


def seed_demo(alliance: Alliance) -> None:
    documents.seed_demo(alliance)
    plans.seed_demo(alliance)
    suppliers.seed_demo(alliance)
    risks.seed_demo(alliance)
