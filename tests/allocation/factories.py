"""factory_boy factories of work allocation (allocation/): regions, packages, schemes and their Responsible
Partners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from alliance.models import Area, Region
from allocation.models import Package, Scheme, SchemeAllocation, SchemeType
from tests.alliance.factories import AllianceFactory, LotFactory, PartnerFactory, member_of


class RegionFactory(factory.django.DjangoModelFactory):
    """A region in the North of both Lot 2 and Lot 3 (docs/domain.md section 4) unless told."""

    class Meta:
        model = Region

    alliance = factory.SubFactory(AllianceFactory)
    slug = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    lot2_area = Area.NORTH
    lot3_area = Area.NORTH


class PackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Package

    alliance = factory.SubFactory(AllianceFactory)
    code = factory.Sequence(lambda n: f"RIS{n}")
    name = factory.Sequence(lambda n: f"Road Investment Strategy {n}")
    notified_on = dt.date(2026, 8, 3)
    created_by = member_of()


class SchemeFactory(factory.django.DjangoModelFactory):
    """A proposed Smart Motorway Scheme whose Alliance Budget is its design plus construction elements."""

    class Meta:
        model = Scheme

    alliance = factory.SubFactory(AllianceFactory)
    package = factory.SubFactory(PackageFactory, alliance=factory.SelfAttribute("..alliance"))
    code = factory.Sequence(lambda n: f"SM{n:03d}")
    name = factory.Sequence(lambda n: f"M{n} junctions 1-2")
    scheme_type = SchemeType.SMART_MOTORWAY
    region = factory.SubFactory(RegionFactory, alliance=factory.SelfAttribute("..alliance"))
    pcf_stage = 3
    design_value = Decimal("250000.00")
    construction_value = Decimal("1750000.00")
    alliance_budget = Decimal("2000000.00")


def _partner_of_lot(allocation: factory.builder.Resolver):
    alliance = allocation.scheme.alliance
    return PartnerFactory(alliance=alliance, lot=LotFactory(alliance=alliance, number=allocation.lot))


class SchemeAllocationFactory(factory.django.DjangoModelFactory):
    """Lot 2's Responsible Partner of a scheme, a partner of that lot, not (yet) moved by optimisation."""

    class Meta:
        model = SchemeAllocation

    scheme = factory.SubFactory(SchemeFactory)
    lot = 2
    initial_partner = factory.LazyAttribute(_partner_of_lot)
    current_partner = factory.SelfAttribute("initial_partner")
