"""factory_boy factories for tests and benchmarks."""

from __future__ import annotations

import datetime as dt

import factory

from alliance.models import (
    Alliance,
    Lot,
    Obligation,
    ObligationKind,
    Organisation,
    OrganisationKind,
    Person,
)


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"Alliance {n}")
    slug = factory.Sequence(lambda n: f"alliance-{n}")
    start_date = dt.date(2026, 7, 23)


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

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


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person-{n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("correct horse battery")


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    alliance = factory.SubFactory(AllianceFactory)
    kind = ObligationKind.OTHER
    title = factory.Sequence(lambda n: f"Obligation {n}")
    paragraph = "para 27"
    start_date = dt.date(2026, 11, 1)
    due_date = dt.date(2026, 11, 29)
