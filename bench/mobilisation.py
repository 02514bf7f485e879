"""Benchmark of the mobilisation plan's pages: 500 deliverables on PostgreSQL.

It measures, with django.test.Client in this process (DEBUG off), as ``alliance-manager``:

* ``GET /mobilisation/timeline/``            the Gantt-style SVG of every deliverable and its table alternative
* ``GET /mobilisation/deliverables/``        the table (a page of 50, filters)
* ``GET /mobilisation/deliverables/?overdue=on&sort=-due_on``  the same, filtered and sorted
* ``GET /api/mobilisation/deliverables/``    the API (a page of 100)
* ``GET /mobilisation/deliverables/export.csv``  every deliverable as CSV

the median and p95 of ``--runs`` requests and the SQL queries per request at ``--small`` and at
``--deliverables`` deliverables (they must not grow). The timeline draws every deliverable on one page, so its
time grows with their number; the target is p95 under 200 ms at 500. The demo's 28 Table 7 deliverables are
topped up with bulk-created benchmark rows (references ``B-0001``...; no history rows or obligations: they are
benchmark data); the smaller size is measured inside a transaction that deletes the extra rows and is rolled
back. Run it from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_mobilisation .venv/bin/python bench/mobilisation.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

from measure import print_constant_queries_table, small_and_full

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_mobilisation"
TARGET_P95_MS = 200.0
PREFIX = "B-"
PATHS = ["/mobilisation/timeline/", "/mobilisation/deliverables/",
         "/mobilisation/deliverables/?overdue=on&sort=-due_on", "/api/mobilisation/deliverables/",
         "/mobilisation/deliverables/export.csv"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliverables", type=int, default=500)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--runs", type=int, default=100)
    return parser.parse_args(argv)


def seeded_alliance():
    """The demo alliance with every app's demo; if another app's demo fails, the core and this one's only."""
    from whats_due import demo_alliance

    try:
        return demo_alliance()
    except Exception as error:  # noqa: BLE001 (another workflow's demo may be unfinished: say so and go on)
        print(f"Full demo failed ({type(error).__name__}: {error}); seeding the core and mobilisation only.")
        from alliance import demo
        from alliance.models import Alliance
        from mobilisation.demo import seed_deliverables as seed_demo

        demo.seed_core()
        alliance = Alliance.objects.get(slug=demo.ALLIANCE_SLUG)
        seed_demo(alliance)
        return alliance


def ensure_deliverables(alliance, wanted: int) -> None:
    """Bulk-create benchmark deliverables until the alliance has ``wanted``: every dimension, status and owner,
    due within a year of the start, half of them with a baseline a few days off."""
    from django.db import connection

    from alliance.models import Organisation
    from mobilisation.models import Deliverable, DeliverableStatus, Dimension, DuePeriod, Stage

    have = Deliverable.objects.filter(alliance=alliance).count()
    if have >= wanted:
        return
    rng = random.Random(wanted)  # noqa: S311 (benchmark data)
    owners = list(Organisation.objects.filter(alliance=alliance)) + [None]
    start = alliance.start_date
    offset = Deliverable.objects.filter(alliance=alliance, reference__startswith=PREFIX).count()
    rows = []
    for i in range(offset, offset + wanted - have):
        due = start + dt.timedelta(days=rng.randint(28, 365))
        status = rng.choice(DeliverableStatus.values)
        rows.append(Deliverable(
            alliance=alliance, reference=f"{PREFIX}{i + 1:04d}", title=f"Benchmark deliverable {i + 1}",
            due_period=DuePeriod.DATE, due_on=due, dimension=rng.choice(Dimension.values),
            stage=rng.choice(Stage.values), status=status, owner=rng.choice(owners), order=100 + i,
            approved_on=due + dt.timedelta(days=rng.randint(-10, 10)) if status == "approved" else None,
            baseline_due_on=due - dt.timedelta(days=rng.randint(0, 20)) if rng.random() < 0.5 else None))
    Deliverable.objects.bulk_create(rows, batch_size=1_000)
    with connection.cursor() as cursor:
        cursor.execute('VACUUM ANALYZE "mobilisation_deliverable"')


def shrink_to(alliance, keep: int) -> int:
    """Inside a transaction to roll back: delete benchmark deliverables until ``keep`` remain."""
    from django.db import connection

    from mobilisation.models import Deliverable

    extra = Deliverable.objects.filter(alliance=alliance, reference__startswith=PREFIX).order_by("reference")
    total = Deliverable.objects.filter(alliance=alliance).count()
    gone = list(extra.values_list("pk", flat=True)[max(keep - (total - extra.count()), 0):])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mobilisation_deliverable WHERE id = ANY(%s)", [gone])
        cursor.execute("ANALYZE mobilisation_deliverable")
    return Deliverable.objects.filter(alliance=alliance).count()


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    from whats_due import ensure_database, machine, setup_django

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.core.management import call_command
    from django.test import Client

    from alliance.models import Person
    from mobilisation.models import Deliverable

    call_command("migrate", verbosity=0)
    alliance = seeded_alliance()
    ensure_deliverables(alliance, args.deliverables)
    client = Client()
    client.force_login(Person.objects.get(username="alliance-manager"))
    small_total, small, small_times, full, timings = small_and_full(
        client, PATHS, args.runs, lambda: shrink_to(alliance, args.small))
    total = Deliverable.objects.filter(alliance=alliance).count()
    print(f"{total:,} deliverables ({small_total:,} at the small size); {args.runs} runs each")
    ok = print_constant_queries_table(PATHS, small, small_times, full, timings, TARGET_P95_MS, machine())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
