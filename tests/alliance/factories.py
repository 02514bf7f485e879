"""factory_boy factories of the core (alliance/), for tests and benchmarks, and ``an_alliance``: a complete
minimal alliance built with them (docs/domain.md section 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import factory

from alliance import services
from alliance.models import (
    Alliance,
    Area,
    Lot,
    Obligation,
    ObligationKind,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)

# The password every factory-built person signs in with.
PASSWORD = "correct horse battery"


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"Alliance {n}")
    slug = factory.Sequence(lambda n: f"alliance-{n}")
    start_date = dt.date(2026, 7, 23)


class LotFactory(factory.django.DjangoModelFactory):
    """A lot of an alliance; asking twice for the same number gives the same lot (one per number, paras 7-11)."""

    class Meta:
        model = Lot
        django_get_or_create = ("alliance", "number")

    alliance = factory.SubFactory(AllianceFactory)
    number = 1
    name = "Production Hub"
    function = "Production management"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    alliance = factory.SubFactory(AllianceFactory)
    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.CLIENT


class PartnerFactory(OrganisationFactory):
    """A partner: one lot of its alliance (Lot 1 unless told), and the area a Lot 2 or 3 partner is awarded."""

    kind = OrganisationKind.PARTNER
    lot = factory.SubFactory(LotFactory, alliance=factory.SelfAttribute("..alliance"))
    area = factory.LazyAttribute(lambda o: Area.NORTH if o.lot.number in (2, 3) else "")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person-{n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(PASSWORD)


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    alliance = factory.SubFactory(AllianceFactory)
    kind = ObligationKind.OTHER
    title = factory.Sequence(lambda n: f"Obligation {n}")
    paragraph = "para 27"
    start_date = dt.date(2026, 11, 1)
    due_date = dt.date(2026, 11, 29)


# --- A whole alliance ------------------------------------------------------------------------------------------

LOT_NAMES = {
    1: ("Production Hub", "Production management"),
    2: ("Digitally Enabled Design", "Design"),
    3: ("On-site Assembly and Delivery", "On-site assembly and delivery"),
}
# (lot, area) of each partner: the Production Management Partner, a design partner and an on-site partner.
DEFAULT_PARTNERS: tuple[tuple[int, str], ...] = ((1, ""), (2, Area.NORTH), (3, Area.NORTH))
PARTNER_ROLES = {"rep": Role.BOARD_REPRESENTATIVE, "delegate": Role.DELEGATE, "staff": Role.STAFF}


@dataclass(frozen=True)
class BuiltAlliance:
    """What ``an_alliance`` made. ``people`` by key: "sro", "alliance-manager", "client-reviewer" and, per
    partner, "<partner slug>-rep" / "-delegate" / "-staff" (the demo's pattern)."""

    alliance: Alliance
    lots: dict[int, Lot]
    client: Organisation
    partners: list[Organisation]
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def sro(self) -> Person:
        return self.people["sro"]

    @property
    def alliance_manager(self) -> Person:
        return self.people["alliance-manager"]

    @property
    def client_reviewer(self) -> Person:
        return self.people["client-reviewer"]

    def rep(self, partner: Organisation) -> Person:
        return self.people[f"{partner.slug}-rep"]

    def delegate(self, partner: Organisation) -> Person:
        return self.people[f"{partner.slug}-delegate"]

    def staff(self, partner: Organisation) -> Person:
        return self.people[f"{partner.slug}-staff"]


def _holder(username: str, organisation: Organisation, *roles: str, **fields: object) -> Person:
    person = PersonFactory(username=username, organisation=organisation, **fields)
    for role in roles:
        services.role_assign(person=person, role=role)
    return person


def an_alliance(
    *, partners: Sequence[tuple[int, str]] = DEFAULT_PARTNERS, partner_roles: Sequence[str] = ("rep", "staff"),
    **alliance_fields: object,
) -> BuiltAlliance:
    """A complete minimal alliance: the three lots, the client with its SRO (who also sits on the Board for the
    client, para 25), Alliance Manager and a client reviewer, and the partners given as (lot, area), each with a
    board representative (para 35) and, by default, a member of staff ("delegate" too if asked)."""
    alliance = AllianceFactory(**alliance_fields)
    lots = {
        number: LotFactory(alliance=alliance, number=number, name=name, function=function)
        for number, (name, function) in LOT_NAMES.items()
    }
    client = OrganisationFactory(alliance=alliance, slug=f"{alliance.slug}-client", name=f"{alliance.name} client")
    people = {
        "sro": _holder(f"{alliance.slug}-sro", client, Role.SRO, Role.BOARD_REPRESENTATIVE),
        "alliance-manager": _holder(f"{alliance.slug}-alliance-manager", client, Role.ALLIANCE_MANAGER),
        "client-reviewer": _holder(f"{alliance.slug}-client-reviewer", client, Role.CLIENT_REVIEWER),
    }
    built_partners = []
    for index, (lot, area) in enumerate(partners, start=1):
        slug = f"{alliance.slug}-p{index}"
        partner = PartnerFactory(alliance=alliance, slug=slug, name=f"Partner {index} (Lot {lot})", lot=lots[lot],
                                 area=area)
        built_partners.append(partner)
        for suffix in ("rep", *partner_roles):
            if f"{slug}-{suffix}" not in people:
                people[f"{slug}-{suffix}"] = _holder(f"{slug}-{suffix}", partner, PARTNER_ROLES[suffix])
    return BuiltAlliance(alliance=alliance, lots=lots, client=client, partners=built_partners, people=people)


def member_of(alliance: str = "..alliance") -> factory.SubFactory:
    """A declaration for a person field: someone of a partner of the record's alliance. ``alliance`` is the path
    to that alliance seen from the person (``"..alliance"``: the record's own ``alliance`` field)."""
    return factory.SubFactory(
        PersonFactory, organisation=factory.SubFactory(PartnerFactory, alliance=factory.SelfAttribute("." + alliance))
    )
