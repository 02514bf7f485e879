"""The Board on the demo alliance: the seeded Decision Matrix and helpers to table and vote."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alliance.models import Person
from governance.demo import seed_matrix
from governance.models.board import DecisionType
from governance.services import board as board_services

PARTNERS = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
VOTERS = ["sro"] + [f"{p}-rep" for p in PARTNERS]


@pytest.fixture
def board(smp):
    seed_matrix(smp)
    return smp


@pytest.fixture
def people(board) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation").all()}


@pytest.fixture
def table(board, people):
    """Table a written resolution of a Decision Matrix type, closing in three days."""

    def make(code: str = "key-person-appointment", **fields):
        defaults = {"title": f"A {code} decision", "closes_at": timezone.now() + dt.timedelta(days=3)}
        return board_services.decision_table(
            actor=people["alliance-manager"], alliance=board,
            decision_type=DecisionType.objects.get(alliance=board, code=code), **{**defaults, **fields},
        )

    return make


@pytest.fixture
def vote(people):
    def cast(decision, username: str, choice: str):
        return board_services.vote_cast(actor=people[username], decision=decision, choice=choice)

    return cast
