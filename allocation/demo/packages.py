"""Demo packages: RIS1 awarded and balanced within tolerance, RIS2 proposed and allocated with moves in its
trace. Idempotent (skipped once any package exists). Values in pounds, design and construction elements."""

from __future__ import annotations

import datetime as dt

from alliance.dates import local_today
from alliance.models import Alliance, Person
from allocation import services
from allocation.models import Package

RIS1 = [
    ("M6-J21A-26", "M6 J21a-26 all lane running", "smart_motorway", "north-west", 5, "1200000", "9000000"),
    ("M62-J10-12", "M62 J10-12 all lane running", "smart_motorway", "north-east", 5, "900000", "7000000"),
    ("M1-J13-16", "M1 J13-16 all lane running", "smart_motorway", "midlands", 6, "1000000", "8000000"),
    ("M11-J8-14", "M11 J8-14 technology upgrade", "technology_overlay", "east", 4, "1100000", "8500000"),
    ("M25-J10-16", "M25 J10-16 emergency areas", "smart_motorway", "south-east", 5, "1300000", "9500000"),
    ("M4-J3-12", "M4 J3-12 all lane running", "smart_motorway", "south-west", 6, "800000", "7500000"),
]
RIS2 = [
    ("M60-J24-4", "M60 J24-4 all lane running", "smart_motorway", "north-west", 3, "2000000", "14000000"),
    ("M56-J6-8", "M56 J6-8 emergency areas", "supporting_work", "north-west", 2, "400000", "3000000"),
    ("M18-J4-5", "M18 J4-5 stopped vehicle detection", "technology_overlay", "north-east", 2, "600000", "4500000"),
    ("A1-J48", "A1(M) J48 signalling overlay", "technology_overlay", "midlands", 1, "300000", "2000000"),
    ("M20-J3-5", "M20 J3-5 emergency areas", "supporting_work", "south-east", 2, "500000", "4000000"),
]
COLUMNS = ("code", "name", "scheme_type", "region", "pcf_stage", "design_value", "construction_value")


def seed_demo(alliance: Alliance) -> None:
    if Package.objects.filter(alliance=alliance).exists():
        return
    sro, manager = Person.objects.get(username="sro"), Person.objects.get(username="alliance-manager")
    today = local_today()
    ris1 = services.package_register(actor=sro, code="RIS1", name="Road Investment Strategy 1 and mobilisation",
                                     notified_on=today - dt.timedelta(days=100))
    services.schemes_add(actor=sro, package=ris1, rows=[dict(zip(COLUMNS, row, strict=True)) for row in RIS1])
    services.package_allocate(actor=manager, package=ris1)
    services.package_award(actor=sro, package=ris1, awarded_on=today - dt.timedelta(days=60))
    ris2 = services.package_register(actor=sro, code="RIS2", name="Road Investment Strategy 2",
                                     notified_on=today - dt.timedelta(days=10))
    services.schemes_add(actor=manager, package=ris2, rows=[dict(zip(COLUMNS, row, strict=True)) for row in RIS2])
    services.package_allocate(actor=manager, package=ris2)
