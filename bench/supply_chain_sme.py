"""Benchmark of the SME share (Table 6, "% of value spend through SME Subcontractors") over 100,000 spend rows
on PostgreSQL: 250 schemes × 8 quarters × 50 suppliers (a third of 500 suppliers are SMEs).

It times, median of ``--runs`` (5):

* ``supplychain.selectors.sme_shares(period=<latest>)``   one quarter's share per scheme (one GROUP BY)
* ``supplychain.selectors.sme_shares()``                  every quarter's share per scheme (one GROUP BY)
* ``GET /supply-chain/suppliers/spend/?period=<latest>``  the page (a page of 50 rows, as alliance-manager)
* ``sme_share_feed`` of the latest quarter: the shares recorded as the scorecard's raw values (rolled back)

The spend rows are bulk-created once (without history rows: benchmark data) and reused on the next run. Run it
from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_supplychain .venv/bin/python bench/supply_chain_sme.py
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_supplychain"
PACKAGE = "BENCH-SME"
SCHEMES, QUARTERS, SUPPLIERS, PER_SCHEME_QUARTER = 250, 8, 500, 50


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args(argv)


def ensure_spend(alliance) -> tuple[list[str], int]:
    """Bulk-create the benchmark's schemes, suppliers and spend rows if they are not there yet."""
    from alliance.dates import local_today
    from alliance.models import Person
    from performance import periods
    from supplychain.models import Spend

    manager = Person.objects.get(username="alliance-manager")
    labels = [periods.previous(*periods.containing(local_today()))]
    while len(labels) < QUARTERS:
        labels.insert(0, periods.previous(*labels[0]))
    quarters = [periods.label(*q) for q in labels]
    bench_spend = Spend.objects.filter(scheme__package__alliance=alliance, scheme__package__code=PACKAGE)
    if bench_spend.filter(period__in=quarters).count() != SCHEMES * QUARTERS * PER_SCHEME_QUARTER:
        _create(alliance, manager, quarters, bench_spend)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics: bulk-created tables otherwise look empty to the planner
        cursor.execute("ANALYZE supplychain_spend, supplychain_supplier, allocation_scheme")
    return quarters, bench_spend.count()


def _create(alliance, manager, quarters, bench_spend) -> None:
    from django.db import transaction

    from alliance.models import Region
    from allocation.models import Package, Scheme
    from supplychain.models import Spend, Supplier

    with transaction.atomic():
        bench_spend.delete()
        package, _ = Package.objects.get_or_create(alliance=alliance, code=PACKAGE, defaults={
            "name": "SME share benchmark", "notified_on": alliance.start_date, "created_by": manager})
        region = Region.objects.filter(alliance=alliance).order_by("pk").first()
        have = set(package.schemes.values_list("code", flat=True))
        Scheme.objects.bulk_create([
            Scheme(alliance=alliance, package=package, code=f"SME-{i:04d}", name=f"SME benchmark scheme {i}",
                   scheme_type="smart_motorway", region=region, pcf_stage=5, design_value=1, construction_value=1,
                   alliance_budget=2, status="awarded", awarded_on=alliance.start_date)
            for i in range(SCHEMES) if f"SME-{i:04d}" not in have], batch_size=1_000)
        taken = set(Supplier.objects.filter(alliance=alliance).values_list("name", flat=True))
        Supplier.objects.bulk_create([
            Supplier(alliance=alliance, name=f"Bench supplier {i:04d}", category="Benchmark", is_sme=i % 3 == 0)
            for i in range(SUPPLIERS) if f"Bench supplier {i:04d}" not in taken], batch_size=1_000)
        schemes = list(package.schemes.order_by("code").values_list("pk", flat=True))
        suppliers = list(Supplier.objects.filter(alliance=alliance, category="Benchmark").order_by("name")
                         .values_list("pk", flat=True))
        rng = random.Random(100_000)  # noqa: S311 (benchmark data)
        rows = []
        for scheme in schemes:
            for period in quarters:
                for supplier in rng.sample(suppliers, PER_SCHEME_QUARTER):
                    rows.append(Spend(supplier_id=supplier, scheme_id=scheme, period=period, entered_by=manager,
                                      amount=Decimal(rng.randrange(1_000_00, 500_000_00)) / 100))
        Spend.objects.bulk_create(rows, batch_size=5_000)


def median_time(call, runs: int) -> float:
    call()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    from whats_due import ensure_database, machine, setup_django

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from whats_due import demo_alliance

    from alliance.models import Person
    from performance.services import scorecard as performance
    from supplychain.selectors.suppliers import sme_shares
    from supplychain.services.suppliers import sme_share_feed

    call_command("migrate", verbosity=0)
    alliance = demo_alliance()
    performance.metrics_seed(alliance)
    quarters, total = ensure_spend(alliance)
    latest = quarters[-1]
    manager = Person.objects.get(username="alliance-manager")
    client = Client()
    client.force_login(manager)

    with CaptureQueriesContext(connection) as queries:
        one = list(sme_shares(alliance.pk, period=latest))
    assert len(queries) == 1
    every = list(sme_shares(alliance.pk))
    quarter_s = median_time(lambda: list(sme_shares(alliance.pk, period=latest)), args.runs)
    all_s = median_time(lambda: list(sme_shares(alliance.pk)), args.runs)
    with override_settings(DEBUG=False):
        def page():
            response = client.get(f"/supply-chain/suppliers/spend/?period={latest}")
            assert response.status_code == 200, response.status_code

        page_s = median_time(page, args.runs)

    def feed():
        with transaction.atomic():
            sme_share_feed(actor=manager, period=latest, correction_reason="Benchmark")
            transaction.set_rollback(True)

    feed_s = median_time(feed, args.runs)

    print(f"{total:,} spend rows: {SCHEMES} schemes × {QUARTERS} quarters × {PER_SCHEME_QUARTER} of {SUPPLIERS} "
          f"suppliers (one in three an SME), plus the demo's; median of {args.runs} runs")
    print(f"  SME share of one quarter ({latest}, {len(one):,} scheme rows, 1 query):  {quarter_s * 1000:8.1f} ms")
    print(f"  SME share of all quarters ({len(every):,} scheme-quarter rows, 1 query): {all_s * 1000:8.1f} ms")
    print(f"  GET /supply-chain/suppliers/spend/?period={latest} (page of 50):       {page_s * 1000:8.1f} ms")
    print(f"  sme_share_feed({latest}): {len(one):,} scorecard raw values recorded (rolled back): {feed_s * 1000:8.1f} ms")
    print()
    for line in machine():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
