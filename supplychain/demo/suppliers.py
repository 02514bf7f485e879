"""Demo suppliers (para 128): twelve on the register, some SME or VCSE, one whose accreditation has expired and
one that failed a criterion; 360° reviews over the last two quarters; spend on the first demo schemes (when
allocation's demo has seeded schemes); and this year's procurement pipeline (para 123). Idempotent (skipped once
the alliance has a supplier). Everything goes through the services, as the supply chain team would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alliance.dates import add_period, local_today
from alliance.models import Alliance, Person
from allocation.models import Scheme
from performance import periods
from supplychain.models import Segment, Supplier
from supplychain.services import suppliers as services

# (name, category, segment, SME, VCSE, relationship owner, accreditation: None, "current", "expired" or "failed")
SUPPLIERS = [
    ("Northern Traffic Management Ltd", "Traffic management", Segment.KEY, True, False, "fluor-staff", "current"),
    ("Pennine Surfacing Ltd", "Surfacing", Segment.KEY, False, False, "fluor-delegate", "current"),
    ("Highway Barrier Systems plc", "Vehicle restraint systems", Segment.KEY, False, False, "fluor-rep", "current"),
    ("Mersey Drainage Services Ltd", "Drainage", Segment.COMMODITY, True, False, "jacobs-staff", "current"),
    ("Signal & Detect Ltd", "Technology", Segment.KEY, True, False, "wsp-staff", "current"),
    ("Green Verge Landscapes CIC", "Landscaping", Segment.COMMODITY, True, True, "costain-staff", "current"),
    ("Roadside Skills Trust", "Training", Segment.COMMODITY, False, True, "alliance-manager", "current"),
    ("Midland Lining Co Ltd", "Road markings", Segment.COMMODITY, True, False, "bam-msjv-staff", "expired"),
    ("Concrete Products UK Ltd", "Precast concrete", Segment.COMMODITY, False, False, "balfour-beatty-staff",
     "current"),
    ("Eastern Fencing Ltd", "Fencing", Segment.COMMODITY, True, False, None, "failed"),
    ("Gantry Steel Fabrications Ltd", "Steel", Segment.KEY, False, False, "fluor-staff", None),
    ("Lighting Maintenance Partners Ltd", "Street lighting", Segment.COMMODITY, True, False, None, "current"),
]
REVIEWERS = ["alliance-manager", "fluor-staff", "fluor-delegate"]
# (title, category, value, route, months after 1 January for the advert, months from advert to award)
PIPELINE = [
    ("Traffic management framework 2027-2031", "Traffic management", "12000000", "Open tender", 1, 4),
    ("Emergency area surfacing lots", "Surfacing", "4500000", "Framework call-off", 3, 2),
    ("Stopped vehicle detection supply", "Technology", "3200000", "CCS agreement", 4, 3),
    ("Landscape and biodiversity works", "Landscaping", "650000", "Open tender (SME lots)", 6, 2),
    ("Drainage survey and repair", "Drainage", "900000", "Framework call-off", 8, 2),
]


def _people() -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation__lot")}


def _add_months(day: dt.date, months: int) -> dt.date:
    return add_period(day, months=months)


def seed_demo(alliance: Alliance) -> None:
    if Supplier.objects.filter(alliance=alliance).exists():
        return
    people = _people()
    manager = people["alliance-manager"]
    today = local_today()
    suppliers = {}
    for name, category, segment, sme, vcse, owner, accreditation in SUPPLIERS:
        supplier = services.supplier_register(
            actor=manager, name=name, category=category, segment=segment, is_sme=sme, is_vcse=vcse,
            inducted_on=today - dt.timedelta(days=60) if accreditation == "current" else None,
            relationship_owner=people.get(owner) if owner else None)
        suppliers[name] = supplier
        if accreditation == "expired":
            services.accreditation_record(
                actor=manager, supplier=supplier, assessed_on=today - dt.timedelta(days=400),
                expires_on=today - dt.timedelta(days=35), safety_performance=True, financial_standing=True,
                capacity_and_capability=True, management_systems=True, resilience=True,
                notes="Renewal overdue: the supplier has not returned its updated financial statements.")
        elif accreditation is not None:
            passed = accreditation == "current"
            services.accreditation_record(
                actor=manager, supplier=supplier, assessed_on=today - dt.timedelta(days=90),
                expires_on=today - dt.timedelta(days=90) + dt.timedelta(days=365), safety_performance=True,
                financial_standing=passed, capacity_and_capability=True, management_systems=True, resilience=True,
                notes="" if passed else "Financial standing below the threshold: reassess after the next accounts.")
    this_quarter = periods.containing(today)
    last_quarter = periods.previous(*this_quarter)
    quarters = [periods.label(*periods.previous(*last_quarter)), periods.label(*last_quarter)]
    for index, supplier in enumerate(list(suppliers.values())[:8]):
        for q, period in enumerate(quarters):
            for r, username in enumerate(REVIEWERS):
                score = max(0, min(10, 6 + (index + r) % 4 - (1 if q == 0 and index % 3 == 0 else 0)
                                   + (1 if q == 1 and index % 2 == 0 else 0)))
                services.review_record(actor=people[username], supplier=supplier, period=period, score=score,
                                       comments="Responsive and safe on site." if score >= 7 else
                                       "Late paperwork on two occasions; agreed an action plan.")
    schemes = list(Scheme.objects.filter(alliance=alliance).order_by("code")[:4])
    if schemes:
        rows = []
        for s, scheme in enumerate(schemes):
            for q, period in enumerate(quarters):
                for i, supplier in enumerate(list(suppliers.values())[:9]):
                    amount = Decimal(20_000 + 7_500 * ((i * 3 + s + q) % 7))
                    rows.append({"supplier": supplier.name, "scheme": scheme.code, "period": period,
                                 "amount": str(amount)})
        services.spend_record(actor=manager, rows=rows)
    year = today.year + 1 if today.month >= 10 else today.year
    january = dt.date(year, 1, 1)
    for title, category, value, route, advert_month, award_months in PIPELINE:
        advert_on = _add_months(january, advert_month)
        services.opportunity_add(actor=manager, title=title, category=category, value=Decimal(value), route=route,
                                 pipeline_year=year, advert_on=advert_on, award_on=_add_months(advert_on, award_months))
    services.pipeline_publish(actor=manager, year=year)
