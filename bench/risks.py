"""Benchmark of the risk register: 5,000 risks and 60,000 monthly updates on PostgreSQL.

It measures, with django.test.Client in this process (DEBUG off), as ``alliance-manager``:

* ``GET /supply-chain/risks/``                    the register page (50 risks, filters, the 5×5 heat map of all)
* ``GET /supply-chain/risks/?stale=on&strategy=treat``  the same, filtered
* ``GET /api/supplychain/risks/?stale=true``      the stale risks through the API (a page of 100)
* ``GET /supply-chain/risks/export.csv``          the whole register as CSV
* ``GET /supply-chain/risks/<id>/``               one risk with its twelve updates

the median and p95 of ``--runs`` requests and the SQL queries per request at ``--small`` and at ``--risks``
risks (they must not grow). The heat map is part of the register page (one GROUP BY). Target: p95 under
200 ms with constant queries. The smaller size is measured inside a transaction that deletes the extra risks and
is rolled back. Rows are bulk-created without history rows (they are benchmark data). Run it from the project
root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_risks .venv/bin/python bench/risks.py
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
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_risks"
TARGET_P95_MS = 200.0
PREFIX = "B-"  # benchmark risks' references, apart from the demo's R-001...
UPDATES_PER_RISK = 12


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=5_000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--runs", type=int, default=100)
    return parser.parse_args(argv)


def ensure_risks(alliance, wanted: int) -> None:
    """Bulk-create benchmark risks up to ``wanted``, each with twelve monthly updates; one in ten stale, one
    in ten closed, spread over the 5×5 grid and every strategy."""
    from django.db import connection

    from alliance.dates import add_months, local_today
    from alliance.models import Person
    from supplychain.models import Risk, RiskUpdate

    have = Risk.objects.filter(alliance=alliance, reference__startswith=PREFIX).count()
    if have >= wanted:
        return
    today = local_today()
    people = list(Person.objects.filter(organisation__alliance=alliance, is_active=True).order_by("pk"))
    rng = random.Random(wanted)  # noqa: S311 (benchmark data)
    strategies = ["accept", "tolerate", "transfer", "treat"]
    risks = []
    for i in range(have, wanted):
        likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
        stale = rng.random() < 0.1
        last = today - dt.timedelta(days=rng.randint(35, 90) if stale else rng.randint(0, 28))
        owner = rng.choice(people)
        risks.append(Risk(alliance=alliance, reference=f"{PREFIX}{i:05d}", title=f"Benchmark risk {i}", owner=owner,
                          cause="Benchmark cause", effect="Benchmark effect", likelihood=likelihood, impact=impact,
                          score=likelihood * impact, strategy=rng.choice(strategies),
                          status="closed" if rng.random() < 0.1 else "open", raised_by=owner,
                          raised_on=add_months(last, -UPDATES_PER_RISK), last_updated_on=last))
    created = Risk.objects.bulk_create(risks, batch_size=2_000)
    updates = [RiskUpdate(risk=r, updated_on=add_months(r.last_updated_on, -m), note="Monthly review",
                          likelihood=r.likelihood, impact=r.impact, no_change=m > 0, updated_by=r.owner)
               for r in created for m in range(UPDATES_PER_RISK)]
    RiskUpdate.objects.bulk_create(updates, batch_size=5_000)
    with connection.cursor() as cursor:
        for table in ("supplychain_risk", "supplychain_riskupdate"):
            cursor.execute(f'VACUUM ANALYZE "{table}"')


def shrink_to(alliance, keep: int) -> None:
    """Inside a transaction to roll back: delete the benchmark risks beyond the first ``keep``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_gone ON COMMIT DROP AS SELECT id FROM supplychain_risk "
                       "WHERE alliance_id = %s AND reference LIKE %s AND reference >= %s",
                       [alliance.pk, f"{PREFIX}%", f"{PREFIX}{keep:05d}"])
        cursor.execute("DELETE FROM supplychain_riskupdate WHERE risk_id IN (SELECT id FROM bench_gone)")
        cursor.execute("DELETE FROM supplychain_riskaction WHERE risk_id IN (SELECT id FROM bench_gone)")
        cursor.execute("DELETE FROM supplychain_riskescalation WHERE risk_id IN (SELECT id FROM bench_gone)")
        cursor.execute("DELETE FROM supplychain_risk WHERE id IN (SELECT id FROM bench_gone)")
        cursor.execute("ANALYZE supplychain_risk")


def probes(alliance) -> list[str]:
    from supplychain.models import Risk

    first = Risk.objects.filter(alliance=alliance, reference=f"{PREFIX}00000").values_list("pk", flat=True).get()
    return ["/supply-chain/risks/", "/supply-chain/risks/?stale=on&strategy=treat", "/api/supplychain/risks/?stale=true",
            "/supply-chain/risks/export.csv", f"/supply-chain/risks/{first}/"]




def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    from whats_due import ensure_database, machine, setup_django

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.core.management import call_command
    from django.test import Client
    from whats_due import demo_alliance

    from alliance.models import Person
    from supplychain.models import Risk, RiskUpdate

    call_command("migrate", verbosity=0)
    alliance = demo_alliance()
    ensure_risks(alliance, args.risks)
    client = Client()
    client.force_login(Person.objects.get(username="alliance-manager"))
    paths = probes(alliance)

    def shrink() -> int:
        shrink_to(alliance, args.small)
        return Risk.objects.filter(alliance=alliance).count()

    small_total, small, small_times, full, timings = small_and_full(client, paths, args.runs, shrink)
    total = Risk.objects.filter(alliance=alliance).count()
    updates = RiskUpdate.objects.filter(risk__alliance=alliance).count()
    print(f"{total:,} risks ({small_total:,} at the small size) and {updates:,} monthly updates; "
          f"{args.runs} runs each")
    ok = print_constant_queries_table(paths, small, small_times, full, timings, TARGET_P95_MS, machine())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
