"""Benchmark of the scorecard: 1,000 schemes × 20 metrics × 8 quarters (160,000 scores) on PostgreSQL.

It measures, with django.test.Client in this process (DEBUG off), as ``alliance-manager``:

* ``GET /api/performance/scorecard/?period=<latest>``  the JSON scorecard of a quarter (20,000 cells)
* ``GET /api/performance/scorecard/?year=<year>``      a year (the mean of its quarters, para 153)
* ``GET /performance/?period=<latest>``                 the scorecard page (a page of 50 schemes' cells, every
                                                         average over all 1,000)

the median and p95 of ``--runs`` requests and the SQL queries per request at 100 and at 1,000 schemes (they
must not grow: the aggregation is done by the database). Then the quarterly computation: the selector that
computes a quarter's four views (``performance.selectors.scorecard``), timed, beside the same aggregation
written as raw SQL GROUP BY queries (the floor), and the whole freeze of a quarter (compute, snapshot, findings,
improvement processes and their obligations) on a copy of the data rolled back afterwards.
Targets: p95 under 300 ms, constant queries, the quarterly computation under 2 s.

Scores are drawn from a fixed seed, mostly 6-10 with one in twenty below 6. Run it from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_scorecard .venv/bin/python bench/scorecard.py
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from measure import count_queries, timed

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_scorecard"
TARGET_P95_MS = 300.0
TARGET_COMPUTE_S = 2.0
PACKAGE = "BENCH-SC"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemes", type=int, default=1_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--runs", type=int, default=50)
    return parser.parse_args(argv)


def ensure_scores(alliance, schemes_wanted: int, quarter_count: int):
    """Bulk-create benchmark schemes and every score of the last ``quarter_count`` quarters for them."""
    from django.db import connection

    from alliance.dates import local_today
    from alliance.models import Person, Region
    from allocation.models import Package, Scheme
    from performance import periods
    from performance.models import Metric, Quarter, Score
    from performance.services import scorecard as services

    services.metrics_seed(alliance)
    manager = Person.objects.get(username="alliance-manager")
    package, _ = Package.objects.get_or_create(alliance=alliance, code=PACKAGE, defaults={
        "name": "Scorecard benchmark", "notified_on": alliance.start_date, "created_by": manager})
    region = Region.objects.get(alliance=alliance, slug="north-west")
    have = package.schemes.count()
    Scheme.objects.bulk_create([
        Scheme(alliance=alliance, package=package, code=f"SC-{i:05d}", name=f"Scorecard scheme {i}",
               scheme_type="smart_motorway", region=region, pcf_stage=5, design_value=1, construction_value=1,
               alliance_budget=2, status="awarded", awarded_on=alliance.start_date)
        for i in range(have, schemes_wanted)
    ], batch_size=2_000)
    schemes = list(package.schemes.order_by("code")[:schemes_wanted])
    metrics = list(Metric.objects.filter(alliance=alliance).order_by("order"))
    labels = [periods.previous(*periods.containing(local_today()))]
    while len(labels) < quarter_count:
        labels.insert(0, periods.previous(*labels[0]))
    quarters = [services.quarter_for(alliance, y, n) for y, n in labels]
    rng = random.Random(schemes_wanted)  # noqa: S311 (benchmark data)
    for quarter in quarters:
        done = set(Score.objects.filter(quarter=quarter, scheme__package=package).values_list("scheme_id", flat=True))
        rows = [Score(quarter=quarter, scheme=s, metric=m, entered_by=manager,
                      score=rng.choice((6, 8, 8, 10)) if rng.random() > 0.05 else rng.choice((0, 2, 4)))
                for s in schemes if s.pk not in done for m in metrics]
        Score.objects.bulk_create(rows, batch_size=5_000)
    Quarter.objects.filter(pk__in=[q.pk for q in quarters]).update(status="open", frozen_at=None, snapshot=None)
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE "performance_score"' if connection.in_atomic_block else
                       'VACUUM ANALYZE "performance_score"')
    return quarters, schemes


def probes(quarters) -> list[str]:
    latest = quarters[-1]
    return [f"/api/performance/scorecard/?period={latest.label}", f"/api/performance/scorecard/?year={latest.year}",
            f"/performance/?period={latest.label}"]



RAW_SQL = [
    'SELECT AVG(score) FROM performance_score WHERE quarter_id = %s',
    'SELECT scheme_id, AVG(score), COUNT(*) FROM performance_score WHERE quarter_id = %s GROUP BY scheme_id',
    'SELECT metric_id, AVG(score), COUNT(*) FROM performance_score WHERE quarter_id = %s GROUP BY metric_id',
    'SELECT scheme_id, metric_id, score FROM performance_score WHERE quarter_id = %s',
]


def compute_times(alliance, quarter, repeat=5):
    from django.db import connection, transaction

    from performance import scenarios
    from performance.selectors import scorecard as selectors
    from performance.services import scorecard as services

    orm, raw = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        card = selectors.scorecard(alliance.pk, [quarter])
        scenarios.detect_findings(card)
        orm.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in RAW_SQL:
                cursor.execute(statement, [quarter.pk])
                cursor.fetchall()
        raw.append(time.perf_counter() - started)
    with transaction.atomic():
        started = time.perf_counter()
        services.quarter_freeze(actor=None, quarter=quarter)
        freeze = time.perf_counter() - started
        from performance.models import Finding, ImprovementProcess

        findings, processes = Finding.objects.filter(quarter=quarter).count(), ImprovementProcess.objects.count()
        transaction.set_rollback(True)
    return statistics.median(orm), statistics.median(raw), freeze, findings, processes


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    from whats_due import ensure_database, machine, setup_django

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from whats_due import demo_alliance

    from alliance.models import Person

    call_command("migrate", verbosity=0)
    alliance = demo_alliance()
    client = Client()
    client.force_login(Person.objects.get(username="alliance-manager"))
    with override_settings(DEBUG=False):
        from django.db import transaction

        with transaction.atomic():  # the small size, rolled back
            quarters, _ = ensure_scores(alliance, args.small, args.quarters)
            small = count_queries(client, probes(quarters))
            transaction.set_rollback(True)
        quarters, schemes = ensure_scores(alliance, args.schemes, args.quarters)
        paths = probes(quarters)
        full = count_queries(client, paths)
        timings = timed(client, paths, args.runs)
        orm_s, raw_s, freeze_s, findings, processes = compute_times(alliance, quarters[-1])
    from performance.models import Score

    total = Score.objects.filter(scheme__package__code=PACKAGE).count()
    print(f"{total:,} scores: {len(schemes):,} schemes × 20 metrics × {len(quarters)} quarters; {args.runs} runs each")
    header = f"{'request':<48} {'median ms':>10} {'p95 ms':>8} {f'q @{args.small}':>7} {f'q @{args.schemes}':>8}  constant"
    print(header)
    print("-" * len(header))
    ok = True
    for path in paths:
        median, p95 = timings[path]
        constant = small[path] == full[path]
        ok &= constant and p95 < TARGET_P95_MS
        print(f"{path:<48} {median:>10.1f} {p95:>8.1f} {small[path]:>7} {full[path]:>8}  {'yes' if constant else 'NO'}")
    print()
    print(f"Quarterly computation of {quarters[-1].label} (20,000 scores), median of 5:")
    print(f"  selector (four views and findings, ORM GROUP BYs): {orm_s * 1000:.1f} ms")
    print(f"  raw SQL GROUP BY floor (the same four queries):     {raw_s * 1000:.1f} ms")
    print(f"  whole freeze (compute, snapshot, {findings:,} findings, {processes:,} improvement processes and their "
          f"obligations): {freeze_s:.2f} s (rolled back)")
    ok &= orm_s < TARGET_COMPUTE_S and freeze_s < TARGET_COMPUTE_S
    print()
    for line in machine():
        print(line)
    print(f"Targets: p95 under {TARGET_P95_MS:.0f} ms with constant queries, quarterly computation under "
          f"{TARGET_COMPUTE_S:.0f} s: {'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
