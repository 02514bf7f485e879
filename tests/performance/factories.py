"""factory_boy factories of the balanced scorecard (performance/): metrics, score bands, quarters and scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from alliance.dates import add_months
from performance.models import Direction, Metric, Quarter, Score, ScoreBand
from tests.alliance.factories import AllianceFactory, member_of
from tests.allocation.factories import SchemeFactory


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    alliance = factory.SubFactory(AllianceFactory)
    code = factory.Sequence(lambda n: f"metric-{n}")
    order = factory.Sequence(lambda n: n + 1)
    imperative = "Delivery"
    outcome = "Schemes delivered to programme"
    indicator = "Milestones met"
    title = factory.Sequence(lambda n: f"Milestones met on time {n}")
    informs_intervention = True
    unit = "%"
    direction = Direction.HIGHER


class ScoreBandFactory(factory.django.DjangoModelFactory):
    """A band of a metric: a raw value at or above 90 scores 6 (scores run 0 to 10 in steps of 2, para 151)."""

    class Meta:
        model = ScoreBand

    metric = factory.SubFactory(MetricFactory)
    score = 6
    threshold = Decimal("90.0000")


def _quarter_start(quarter: factory.builder.Resolver) -> dt.date:
    return dt.date(quarter.year, 3 * quarter.number - 2, 1)


class QuarterFactory(factory.django.DjangoModelFactory):
    """Successive calendar quarters from 2026-Q3, open for scores."""

    class Meta:
        model = Quarter

    alliance = factory.SubFactory(AllianceFactory)
    year = factory.Sequence(lambda n: 2026 + (n + 2) // 4)
    number = factory.Sequence(lambda n: (n + 2) % 4 + 1)
    starts_on = factory.LazyAttribute(_quarter_start)
    ends_on = factory.LazyAttribute(lambda q: add_months(_quarter_start(q), 3) - dt.timedelta(days=1))


class ScoreFactory(factory.django.DjangoModelFactory):
    """A score of 6 for one metric on one scheme in one quarter, all of the same alliance."""

    class Meta:
        model = Score

    quarter = factory.SubFactory(QuarterFactory)
    scheme = factory.SubFactory(SchemeFactory, alliance=factory.SelfAttribute("..quarter.alliance"))
    metric = factory.SubFactory(MetricFactory, alliance=factory.SelfAttribute("..quarter.alliance"))
    score = 6
    evidence = "Milestone report"
    entered_by = member_of("..quarter.alliance")
