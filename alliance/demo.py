"""The demo: the SMP Alliance of seed 001 as publicly awarded in 2020 (docs/domain.md section 1).

The organisations are real; the people are invented; every demo login's password is "demo".
Running it twice changes nothing: each record is looked up by its natural key before it is made.
Later apps add their own demo records in <app>/demo.py; the whole demo, core and apps, is portal/demo.py.
"""

from __future__ import annotations

import datetime as dt
from base64 import b32decode
from dataclasses import dataclass

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance import services
from alliance.dates import add_months, local_today
from alliance.models import (
    Alliance,
    Area,
    Lot,
    Obligation,
    ObligationKind,
    Organisation,
    OrganisationKind,
    Person,
    Region,
    Role,
)

DEMO_PASSWORD = "demo"
# Where two-factor codes are required (settings.TWO_FACTOR_REQUIRED), the demo's SRO, Alliance Manager and
# administrator must give one (twofactor/selectors.py): they share this authenticator secret (base32, as an authenticator app takes it; printed in README.md, demo only).
# A real person sets up their own app on first sign-in.
DEMO_TOTP_SECRET = "ALLIANCEGOVERNANCEDEMOTOTPSECRET"
ALLIANCE_SLUG = "smp-alliance"

LOTS = [
    (1, "Production Hub", "Production management (the Production Management Partner)"),
    (2, "Digitally Enabled Design", "Design (the Design Partners)"),
    (3, "On-site Assembly and Delivery", "On-site assembly and delivery (the On-site Assembly Partners)"),
]

# docs/domain.md section 4: six regions, each in one Lot 2 area and one Lot 3 area.
REGIONS = [
    ("north-west", "North West", Area.NORTH, Area.NORTH),
    ("north-east", "North East", Area.NORTH, Area.NORTH),
    ("midlands", "Midlands", Area.NORTH, Area.MIDLANDS),
    ("east", "East", Area.SOUTH, Area.MIDLANDS),
    ("south-east", "South East", Area.SOUTH, Area.SOUTH),
    ("south-west", "South West", Area.SOUTH, Area.SOUTH),
]


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    lot: int
    area: str
    joint_venture: bool
    people: tuple[tuple[str, str], ...]  # (first name, last name) for rep, delegate, staff


# Which Lot 2 partner holds North is not public: the demo assumes Jacobs North, WSP South (docs/domain.md).
PARTNERS = [
    DemoPartner("fluor", "Fluor", 1, "", False, (("Daniel", "Whitcombe"), ("Aisha", "Begum"), ("Liam", "Corrigan"))),
    DemoPartner("jacobs", "Jacobs", 2, Area.NORTH, False, (("Rachel", "Dunmore"), ("Owen", "Pryce"), ("Mei", "Chen"))),
    DemoPartner("wsp", "WSP", 2, Area.SOUTH, False, (("Martin", "Feld"), ("Sophie", "Lang"), ("Kwame", "Asante"))),
    DemoPartner("costain", "Costain", 3, Area.NORTH, False, (("Fiona", "McAllister"), ("Gareth", "Lloyd"), ("Nadia", "Rahman"))),
    DemoPartner(
        "bam-msjv", "BAM Nuttall / Morgan Sindall JV", 3, Area.MIDLANDS, True,
        (("Stephen", "Rourke"), ("Hannah", "Ellis"), ("Tariq", "Hussain")),
    ),
    DemoPartner(
        "balfour-beatty", "Balfour Beatty", 3, Area.SOUTH, False,
        (("Claire", "Winterton"), ("Joseph", "Mensah"), ("Ruth", "Adeyemi")),
    ),
]

# (username, first, last, job title, roles, staff flag) for the client's people.
CLIENT_PEOPLE = [
    ("sro", "Priya", "Raman", "Programme Director (SRO)", [Role.SRO, Role.BOARD_REPRESENTATIVE], False),
    ("alliance-manager", "Tom", "Ashworth", "Alliance Manager", [Role.ALLIANCE_MANAGER], False),
    ("client-reviewer", "Grace", "Okafor", "Assurance Lead", [Role.CLIENT_REVIEWER], False),
    ("admin", "Sam", "Hill", "Platform administrator", [Role.ADMINISTRATOR], True),
]

PARTNER_ROLES = [("rep", Role.BOARD_REPRESENTATIVE, "Board representative"),
                 ("delegate", Role.DELEGATE, "Delegate board representative"),
                 ("staff", Role.STAFF, "Alliance team member")]


def _person(username: str, first: str, last: str, organisation: Organisation, job_title: str, *, staff: bool = False) -> Person:
    person = Person.objects.filter(username=username).first()
    if person is None:
        person = Person(
            username=username, first_name=first, last_name=last, email=f"{username}@example.org",
            organisation=organisation, job_title=job_title, is_staff=staff, is_superuser=staff,
        )
        person.set_password(DEMO_PASSWORD)
        person.save()
    return person


def _ensure_obligation(alliance: Alliance, *, met_on: dt.date | None = None, **fields) -> Obligation:
    existing = Obligation.objects.filter(
        alliance=alliance, kind=fields["kind"], title=fields["title"],
        responsible_organisation=fields.get("responsible_organisation"),
    ).first()
    if existing is not None:
        return existing
    obligation = services.obligation_open(actor=None, alliance=alliance, **fields)
    if met_on is not None:
        obligation = services.obligation_meet(actor=None, obligation=obligation, on=met_on, by_workflow=True)
    return obligation


def seed_core() -> Alliance:
    today = local_today()
    alliance, _ = Alliance.objects.get_or_create(
        slug=ALLIANCE_SLUG,
        # About four months ago, so that some obligations are met, some due soon and some overdue.
        defaults={"name": "Smart Motorways Programme Alliance", "start_date": add_months(today, -4)},
    )
    lots = {}
    for number, name, function in LOTS:
        lots[number], _ = Lot.objects.get_or_create(
            alliance=alliance, number=number, defaults={"name": name, "function": function}
        )
    for slug, name, lot2, lot3 in REGIONS:
        Region.objects.get_or_create(
            alliance=alliance, slug=slug, defaults={"name": name, "lot2_area": lot2, "lot3_area": lot3}
        )
    client, _ = Organisation.objects.get_or_create(
        slug="national-highways",
        defaults={"alliance": alliance, "name": "National Highways", "kind": OrganisationKind.CLIENT},
    )
    people = {}
    for username, first, last, title, roles, staff in CLIENT_PEOPLE:
        people[username] = _person(username, first, last, client, title, staff=staff)
        for role in roles:
            services.role_assign(person=people[username], role=role)
    partners = {}
    for p in PARTNERS:
        partners[p.slug], _ = Organisation.objects.get_or_create(
            slug=p.slug,
            defaults={
                "alliance": alliance, "name": p.name, "kind": OrganisationKind.PARTNER,
                "lot": lots[p.lot], "area": p.area, "is_joint_venture": p.joint_venture,
            },
        )
        for (suffix, role, title), (first, last) in zip(PARTNER_ROLES, p.people, strict=True):
            person = _person(f"{p.slug}-{suffix}", first, last, partners[p.slug], title)
            services.role_assign(person=person, role=role)
    if settings.TWO_FACTOR_REQUIRED:
        for username in ("sro", "alliance-manager", "admin"):
            _demo_authenticator(people[username])
    _seed_obligations(alliance, people["alliance-manager"], partners, today)
    return alliance


def _demo_authenticator(person: Person) -> None:
    """A confirmed authenticator app holding DEMO_TOTP_SECRET, unless the person already has one."""
    if not TOTPDevice.objects.filter(user=person, confirmed=True).exists():
        TOTPDevice.objects.create(
            user=person, name="Demo authenticator", confirmed=True, key=b32decode(DEMO_TOTP_SECRET).hex()
        )


def _seed_obligations(alliance: Alliance, manager: Person, partners: dict[str, Organisation], today: dt.date) -> None:
    start = alliance.start_date
    three_months = {"start_date": start, "months": 3}
    six_months = {"start_date": start, "months": 6}
    _ensure_obligation(
        alliance, kind=ObligationKind.TRANSITION_PLAN, title="Transition plan for schemes in progress",
        paragraph="para 83", responsible_person=manager, met_on=start + dt.timedelta(days=76), **three_months,
    )
    _ensure_obligation(
        alliance, kind=ObligationKind.PERFORMANCE_TABLE, title="First Performance Table agreed",
        paragraph="para 223", responsible_person=manager, met_on=start + dt.timedelta(days=88), **three_months,
    )
    _ensure_obligation(
        alliance, kind=ObligationKind.PMP_CORE_RESOURCES, title="Production Hub core resources selected",
        paragraph="paras 65-66", responsible_organisation=partners["fluor"],
        met_on=start + dt.timedelta(days=85), **three_months,
    )
    _ensure_obligation(
        alliance, kind=ObligationKind.COMMITMENTS, title="First commitments selected and approved by the Board",
        paragraph="para 227", responsible_person=manager, **three_months,
    )
    for kind, title, paragraph in [
        (ObligationKind.SUPPLY_CHAIN_STRATEGY, "Supply Chain Strategy", "para 108"),
        (ObligationKind.INDUSTRIAL_PLAN, "Alliance industrial plan", "para 117"),
        (ObligationKind.PROCUREMENT_HUB_PLAN, "Collaborative Procurement Hub plan to the Board", "para 130"),
        (ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN, "Supply Chain Management Plan for acceptance", "para 132"),
    ]:
        _ensure_obligation(alliance, kind=kind, title=title, paragraph=paragraph, responsible_person=manager, **six_months)
    # A call for CVs for the remaining Production Hub roles: two weeks, ending in a few days (para 67).
    call_date = today - dt.timedelta(days=10)
    for partner in partners.values():
        _ensure_obligation(
            alliance, kind=ObligationKind.CV_CALL, title=f"CVs for the remaining Production Hub roles — {partner.name}",
            paragraph="para 67", responsible_organisation=partner, start_date=call_date, days=14,
        )
    # A key person left Costain's team; the replacement's one-month handover has run out (para 60).
    _ensure_obligation(
        alliance, kind=ObligationKind.KEY_PERSON_HANDOVER, title="Handover to the new Costain delivery lead",
        paragraph="para 60", responsible_organisation=partners["costain"],
        start_date=today - dt.timedelta(days=40), months=1,
    )
