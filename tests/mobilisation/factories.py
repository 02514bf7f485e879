"""factory_boy factories of mobilisation and maturity (mobilisation/): deliverables and maturity plans."""

from __future__ import annotations

import factory

from alliance.dates import add_months
from mobilisation.models import Deliverable, Dimension, DuePeriod, MaturityPlan
from tests.alliance.factories import AllianceFactory, PartnerFactory, member_of


class DeliverableFactory(factory.django.DjangoModelFactory):
    """A deliverable due within three months of the Alliance Start Date (Table 7), owned by a partner."""

    class Meta:
        model = Deliverable

    alliance = factory.SubFactory(AllianceFactory)
    reference = factory.Sequence(lambda n: f"MOB-{n:02d}")
    title = factory.Sequence(lambda n: f"Mobilisation deliverable {n}")
    due_period = DuePeriod.THREE_MONTHS
    due_on = factory.LazyAttribute(lambda d: add_months(d.alliance.start_date, 3))
    owner = factory.SubFactory(PartnerFactory, alliance=factory.SelfAttribute("..alliance"))
    dimension = Dimension.PURE_MOBILISATION


class MaturityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaturityPlan

    alliance = factory.SubFactory(AllianceFactory)
    version = factory.Sequence(lambda n: n + 1)
    summary = "The plan on a page"
    drafted_by = member_of()
