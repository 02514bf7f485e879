"""factory_boy factories of the supply chain (supplychain/): strategy documents, suppliers and risks."""

from __future__ import annotations

import datetime as dt

import factory

from supplychain.models import DocumentKind, Risk, RiskStrategy, Segment, StrategyDocument, Supplier
from tests.alliance.factories import AllianceFactory, member_of


class StrategyDocumentFactory(factory.django.DjangoModelFactory):
    """A draft Supply Chain Strategy over a five-year horizon (para 112)."""

    class Meta:
        model = StrategyDocument

    alliance = factory.SubFactory(AllianceFactory)
    kind = DocumentKind.STRATEGY
    version = factory.Sequence(lambda n: n + 1)
    title = "Supply Chain Strategy"
    horizon_from = 2027
    horizon_to = 2031
    drafted_by = member_of()


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Supplier {n} Ltd")
    category = "Steel"
    segment = Segment.COMMODITY
    is_sme = True


class RiskFactory(factory.django.DjangoModelFactory):
    """An open risk, treated, whose score is its likelihood times its impact."""

    class Meta:
        model = Risk

    alliance = factory.SubFactory(AllianceFactory)
    reference = factory.Sequence(lambda n: f"R-{n:03d}")
    title = factory.Sequence(lambda n: f"Steel price rise {n}")
    owner = member_of()
    likelihood = 3
    impact = 4
    score = factory.LazyAttribute(lambda r: r.likelihood * r.impact)
    strategy = RiskStrategy.TREAT
    raised_by = factory.SelfAttribute("owner")
    raised_on = dt.date(2026, 11, 2)
    last_updated_on = factory.SelfAttribute("raised_on")
