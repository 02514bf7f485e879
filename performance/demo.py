"""Demo scorecard: Table 6's metrics, four frozen quarters of scores on the awarded RIS1 schemes (one scheme
slipping into underperformance in the latest), and the last quarter left open and empty for scores to be
entered. Idempotent (skipped once any score exists)."""

from __future__ import annotations

import datetime as dt
import random

from alliance.dates import local_today
from alliance.models import Alliance, Person
from allocation.models import Scheme, SchemeStatus
from performance import periods
from performance.models import Metric, Score
from performance.services import scorecard as services


def seed_demo(alliance: Alliance) -> None:
    services.metrics_seed(alliance)
    if Score.objects.filter(quarter__alliance=alliance).exists():
        return
    schemes = list(Scheme.objects.filter(alliance=alliance, status=SchemeStatus.AWARDED).order_by("code"))
    if not schemes:
        return
    manager = Person.objects.get(username="alliance-manager")
    metrics = list(Metric.objects.filter(alliance=alliance).order_by("order").values_list("code", flat=True))
    today = local_today()
    last = periods.previous(*periods.containing(today))  # left open: the quarter scores are being entered for
    quarters = [last]
    for _ in range(4):
        quarters.insert(0, periods.previous(*quarters[0]))
    rng = random.Random(20)  # noqa: S311 (demo data, not security)
    for index, (year, number) in enumerate(quarters[:-1]):
        rows = []
        for s, scheme in enumerate(schemes):
            slipping = s == 2 and index == 3  # the third scheme underperforms (average about 5) in the last frozen quarter
            for code in metrics:
                score = rng.choice([4, 4, 6, 6, 6]) if slipping else rng.choice([6, 6, 8, 8, 8, 10, 10])
                rows.append({"scheme": scheme.code, "metric": code, "period": periods.label(year, number),
                             "score": score, "evidence": "Quarterly return"})
        services.scores_record(actor=manager, rows=rows)
        quarter = services.quarter_for(alliance, year, number)
        services.quarter_freeze(actor=None, quarter=quarter, on=min(quarter.ends_on + dt.timedelta(days=10), today))
