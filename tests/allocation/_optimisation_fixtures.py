"""Fixtures of the optimisation tests (paras 90-102): the Board's Decision Matrix, the personas, and schemes
with their Responsible Partners written straight to the database (the allocation run is another workflow).

Imported by the optimisation test modules (``from ... import *``), not a conftest: other allocation tests
keep their own fixtures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from alliance import services as alliance_services
from alliance.models import Organisation, Person, Region, Role
from allocation.models import Package, Scheme, SchemeAllocation, SchemeStatus, SchemeType
from governance.demo import seed_matrix
from governance.services import board as governance_services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

__all__ = ["VOTERS", "board", "close_with", "orgs", "outsider", "people", "schemes"]

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
def orgs(board) -> dict[str, Organisation]:
    return {o.slug: o for o in Organisation.objects.filter(alliance=board)}


def _scheme(board, package, code: str, region: str, partners: tuple[str, str, str], orgs, *,
            status: str = SchemeStatus.PROPOSED) -> Scheme:
    scheme = Scheme.objects.create(
        alliance=board, package=package, code=code, name=f"Scheme {code}", scheme_type=SchemeType.SMART_MOTORWAY,
        region=Region.objects.get(alliance=board, slug=region), pcf_stage=3, design_value=Decimal("1000000"),
        construction_value=Decimal("5000000"), alliance_budget=Decimal("6000000"), status=status,
        awarded_on=dt.date(2026, 11, 1) if status == SchemeStatus.AWARDED else None,
    )
    for lot, slug in zip((1, 2, 3), partners, strict=True):
        SchemeAllocation.objects.create(scheme=scheme, lot=lot, initial_partner=orgs[slug], current_partner=orgs[slug])
    return scheme


@pytest.fixture
def schemes(board, people, orgs) -> dict[str, Scheme]:
    """P1, P2 proposed; A1 awarded; each with the default Responsible Partner per lot (para 86). U1 proposed
    and not yet allocated."""
    package = Package.objects.create(alliance=board, code="RIS2", name="Road Investment Strategy 2",
                                     notified_on=dt.date(2026, 10, 1), created_by=people["sro"])
    made = {
        "P1": _scheme(board, package, "P1", "north-west", ("fluor", "jacobs", "costain"), orgs),
        "P2": _scheme(board, package, "P2", "south-east", ("fluor", "wsp", "balfour-beatty"), orgs),
        "A1": _scheme(board, package, "A1", "midlands", ("fluor", "jacobs", "bam-msjv"), orgs,
                      status=SchemeStatus.AWARDED),
    }
    made["U1"] = Scheme.objects.create(
        alliance=board, package=package, code="U1", name="Scheme U1", scheme_type=SchemeType.SUPPORTING_WORK,
        region=Region.objects.get(alliance=board, slug="east"), pcf_stage=1, design_value=Decimal("1"),
        construction_value=Decimal("1"), alliance_budget=Decimal("2"),
    )
    return made


@pytest.fixture
def outsider() -> Person:
    """The Alliance Manager (and SRO) of another alliance."""
    person = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))
    alliance_services.role_assign(person=person, role=Role.ALLIANCE_MANAGER)
    alliance_services.role_assign(person=person, role=Role.SRO)
    return person


def close_with(decision, people, choice: str = "for", *, against: tuple[str, ...] = ()):
    """Every voter votes ``choice`` (those named in ``against`` vote Against), then the SRO closes it."""
    for username in VOTERS:
        governance_services.vote_cast(actor=people[username], decision=decision,
                                      choice="against" if username in against else choice)
    return governance_services.decision_close(actor=people["sro"], decision=decision)
