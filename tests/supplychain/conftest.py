"""The supply chain on the demo alliance: the Decision Matrix seeded, people by username."""

from __future__ import annotations

import pytest

from alliance.models import Person
from governance.demo import seed_matrix

PARTNERS = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
VOTERS = ["sro"] + [f"{p}-rep" for p in PARTNERS]


@pytest.fixture
def sc(smp):
    """The demo core with the Decision Matrix (the strategy documents go to the Board)."""
    seed_matrix(smp)
    return smp


@pytest.fixture
def people(sc) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation__lot").all()}
