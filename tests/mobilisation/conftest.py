"""Mobilisation on the demo alliance: the Decision Matrix seeded, people by username."""

from __future__ import annotations

import pytest

from alliance.models import Person
from governance.demo import seed_matrix

PARTNERS = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
VOTERS = ["sro"] + [f"{p}-rep" for p in PARTNERS]


@pytest.fixture
def mob(smp):
    """The demo core (started 23 Jul 2026, today 23 Nov 2026) with the Decision Matrix."""
    seed_matrix(smp)
    return smp


@pytest.fixture
def people(mob) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation__lot").all()}
