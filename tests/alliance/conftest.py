"""The core's tests build their own alliance with the factories (tests/alliance/factories.py ``an_alliance``),
not the demo. The personas keep the names of tests/conftest.py's demo personas but are factory-built here:
the SRO, the Alliance Manager and a client reviewer of the client; a board representative and a member of staff
of one partner (Lot 2); a member of staff of another partner (Lot 3). The demo's ``smp`` (tests/conftest.py) is
left to the few tests that check the demo itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from alliance import services
from alliance.models import Alliance, Obligation, ObligationKind, Person
from tests.alliance.factories import BuiltAlliance, an_alliance


@pytest.fixture
def core(db, frozen_today) -> BuiltAlliance:
    """A Production Management Partner (Lot 1), a design partner (Lot 2) and an on-site partner (Lot 3), each
    with a board representative, a delegate and staff; starting 23 Jul 2026, four months before today."""
    return an_alliance(partner_roles=("rep", "delegate", "staff"))


@pytest.fixture
def alliance(core) -> Alliance:
    return core.alliance


@pytest.fixture
def sro(core) -> Person:
    return core.sro


@pytest.fixture
def alliance_manager(core) -> Person:
    return core.alliance_manager


@pytest.fixture
def client_reviewer(core) -> Person:
    return core.client_reviewer


@pytest.fixture
def partner_rep(core) -> Person:
    return core.rep(core.partners[1])


@pytest.fixture
def partner_staff(core) -> Person:
    return core.staff(core.partners[1])


@pytest.fixture
def other_partner_staff(core) -> Person:
    return core.staff(core.partners[2])


@dataclass(frozen=True)
class Dues:
    """The obligations of ``dues``: what is open, and one met."""

    handover: Obligation  # the other partner's (Lot 3), overdue by 9 days
    cv_calls: list[Obligation]  # one per partner, due in 4 days (27 Nov 2026)
    commitments: Obligation  # the Alliance Manager's, overdue since 23 Oct 2026
    strategy: Obligation  # the Alliance Manager's, due 23 Jan 2027
    met: Obligation  # the Alliance Manager's transition plan, met on time

    @property
    def open(self) -> list[Obligation]:
        return [self.handover, *self.cv_calls, self.commitments, self.strategy]


@pytest.fixture
def dues(core, frozen_today) -> Dues:
    """Obligations as a running alliance has them on 23 Nov 2026 (the demo's kinds and clocks): a partner's
    overdue key person handover (para 60), a call for CVs to every partner ending in four days (para 67), the
    first commitments overdue (para 227), the Supply Chain Strategy due in two months (para 108) and a met
    transition plan (para 83)."""
    start = core.alliance.start_date
    manager = core.alliance_manager

    def opened(**fields) -> Obligation:
        return services.obligation_open(actor=None, alliance=core.alliance, **fields)

    met = opened(kind=ObligationKind.TRANSITION_PLAN, title="Transition plan for schemes in progress",
                 paragraph="para 83", responsible_person=manager, start_date=start, months=3)
    met = services.obligation_meet(actor=None, obligation=met, on=start + dt.timedelta(days=76), by_workflow=True)
    return Dues(
        handover=opened(kind=ObligationKind.KEY_PERSON_HANDOVER, title="Handover to the new delivery lead",
                        paragraph="para 60", responsible_organisation=core.partners[2],
                        start_date=frozen_today - dt.timedelta(days=40), months=1),
        cv_calls=[
            opened(kind=ObligationKind.CV_CALL, title=f"CVs for the remaining Production Hub roles — {partner.name}",
                   paragraph="para 67", responsible_organisation=partner,
                   start_date=frozen_today - dt.timedelta(days=10), days=14)
            for partner in core.partners
        ],
        commitments=opened(kind=ObligationKind.COMMITMENTS,
                           title="First commitments selected and approved by the Board", paragraph="para 227",
                           responsible_person=manager, start_date=start, months=3),
        strategy=opened(kind=ObligationKind.SUPPLY_CHAIN_STRATEGY, title="Supply Chain Strategy", paragraph="para 108",
                        responsible_person=manager, start_date=start, months=6),
        met=met,
    )
