"""Benchmark of the client instructions register: response time and SQL queries with 2,000 instructions.

What it measures, with django.test.Client in this process (no network, no web server), as
``alliance-manager``:

* ``GET /instructions/``                       the register (HTML), first page of 50, overdue first
* ``GET /instructions/?overdue=true``          the register filtered to overdue clocks
* ``GET /instructions/?page=20``               a page deep in the register
* ``GET /api/governance/instructions/``        the JSON register, first page of 100, with every clock
* ``GET /instructions/<pk>/``                  one instruction's page (clocks, timeline, history)

For each it prints the median and 95th percentile of ``--runs`` timed requests (after warm-up, DEBUG off)
and the SQL queries of one request at two sizes of the register (``--small`` and ``--instructions``): the
count must not grow with the number of instructions. Target: p95 under 150 ms, query counts constant.

Instructions are bulk-created with their clocks (Obligations) in a realistic mix: half awaiting their
impact assessment (a third of those overdue), a quarter with the Board, a quarter instructed; titles start
with "Benchmark instruction" and only those rows are ever added. Run it from the project root against a
PostgreSQL database of its own (created if missing, migrated and seeded with the demo)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_instructions .venv/bin/python bench/instructions.py
    .venv/bin/python bench/instructions.py --instructions 2000 --runs 200
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_instructions"
TARGET_P95_MS = 150.0
WARM_UP_REQUESTS = 5
MANAGER = "alliance-manager"
BENCH_TITLE = "Benchmark instruction"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instructions", type=int, default=2_000, help="instructions in the register")
    parser.add_argument("--small", type=int, default=200, help="the smaller size the query counts are compared at")
    parser.add_argument("--runs", type=int, default=200, help="timed requests per endpoint")
    args = parser.parse_args(argv)
    if args.runs < 2 or not 0 < args.small < args.instructions:
        parser.error("--runs must be at least 2 and 0 < --small < --instructions")
    return args


def top_up(alliance, target: int, today: dt.date) -> None:
    """Bulk-create benchmark instructions (and their clocks) until the register holds ``target``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max

    from alliance.models import Obligation, ObligationKind, ObligationStatus, Person
    from governance.models import ClientInstruction
    from governance.models.instructions import BoardRecommendation, InstructionStage

    have = ClientInstruction.objects.filter(alliance=alliance).count()
    if have >= target:
        return
    sro, manager = Person.objects.get(username="sro"), Person.objects.get(username=MANAGER)
    rng = random.Random(have)
    number = ClientInstruction.objects.filter(alliance=alliance).aggregate(n=Max("number"))["n"] or 0
    rows = []
    for _ in range(target - have):
        number += 1
        ministerial = rng.random() < 0.2
        days = 14 if ministerial else 28
        roll = rng.random()
        if roll < 0.5:
            stage, issued = InstructionStage.PROPOSED, today - dt.timedelta(days=rng.randint(0, days * 3 // 2))
        elif roll < 0.75:
            stage, issued = InstructionStage.BOARD_REVIEW, today - dt.timedelta(days=rng.randint(days, days * 2))
        else:
            stage, issued = InstructionStage.INSTRUCTED, today - dt.timedelta(days=rng.randint(days * 2, 400))
        rows.append(ClientInstruction(
            alliance=alliance, number=number, title=f"{BENCH_TITLE} {number}", description="Bulk-created.",
            issued_on=issued, ministerial=ministerial, stage=stage, issued_by=sro,
            board_recommendation=BoardRecommendation.RECOMMENDATION if stage == InstructionStage.INSTRUCTED else "",
        ))
    created = ClientInstruction.objects.bulk_create(rows, batch_size=1_000)
    kind = ContentType.objects.get_for_model(ClientInstruction)
    clocks = []
    for i in created:
        days = 14 if i.ministerial else 28
        impact_due = i.issued_on + dt.timedelta(days=days)
        common = {"alliance": alliance, "subject_type": kind, "subject_id": i.pk, "paragraph": "para 27",
                  "responsible_person": manager, "responsible_organisation": manager.organisation}
        if i.stage == InstructionStage.PROPOSED:
            clocks.append(Obligation(kind=ObligationKind.IMPACT_ASSESSMENT, title=f"Impact assessment on {i.title}",
                                     start_date=i.issued_on, due_date=impact_due, **common))
            continue
        submitted = min(impact_due, today)
        clocks.append(Obligation(kind=ObligationKind.IMPACT_ASSESSMENT, title=f"Impact assessment on {i.title}",
                                 start_date=i.issued_on, due_date=impact_due, status=ObligationStatus.MET,
                                 closed_on=submitted, **common))
        board_due = submitted + dt.timedelta(days=days)
        met = i.stage == InstructionStage.INSTRUCTED
        clocks.append(Obligation(kind=ObligationKind.BOARD_REVIEW, title=f"Board review of {i.title}",
                                 start_date=submitted, due_date=board_due,
                                 status=ObligationStatus.MET if met else ObligationStatus.OPEN,
                                 closed_on=min(board_due, today) if met else None, **common))
    Obligation.objects.bulk_create(clocks, batch_size=2_000)
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (ClientInstruction._meta.db_table, Obligation._meta.db_table):
            cursor.execute(f'VACUUM ANALYZE "{table}"')


def probes(alliance) -> list[str]:
    from governance.models import ClientInstruction

    one = ClientInstruction.objects.filter(alliance=alliance, title__startswith=BENCH_TITLE,
                                           stage="board_review").order_by("pk").first()
    return ["/instructions/", "/instructions/?overdue=true", "/instructions/?page=20",
            "/api/governance/instructions/", f"/instructions/{one.pk}/"]


def count_queries(client, paths) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        counts[path] = len(captured)
    return counts


def time_requests(client, paths, runs: int) -> dict[str, tuple[float, float]]:
    for path in paths:
        for _ in range(WARM_UP_REQUESTS):
            client.get(path)
    samples = {path: [] for path in paths}
    for _ in range(runs):
        for path in paths:
            started = time.perf_counter()
            response = client.get(path)
            samples[path].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}")
    return {p: (statistics.median(t), statistics.quantiles(t, n=20, method="inclusive")[18]) for p, t in samples.items()}


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

    from alliance.dates import local_today
    from alliance.models import Person

    call_command("migrate", verbosity=0)
    alliance = demo_alliance()
    today = local_today()
    client = Client()
    client.force_login(Person.objects.get(username=MANAGER))
    with override_settings(DEBUG=False):
        top_up(alliance, args.small, today)
        paths = probes(alliance)
        small = count_queries(client, paths)
        top_up(alliance, args.instructions, today)
        full = count_queries(client, paths)
        timings = time_requests(client, paths, args.runs)
    from governance.models import ClientInstruction

    total = ClientInstruction.objects.filter(alliance=alliance).count()
    overdue = client.get("/api/governance/instructions/?overdue=true").json()["count"]
    print(f"Register of {total:,} instructions ({overdue:,} with an overdue clock), {args.runs} runs each, "
          f"as {MANAGER}.")
    header = f"{'request':<34} {'median ms':>10} {'p95 ms':>8} {f'queries @{args.small}':>13} " \
             f"{f'queries @{total}':>14}  constant"
    print(header)
    print("-" * len(header))
    ok = True
    for path in paths:
        median, p95 = timings[path]
        constant = small[path] == full[path]
        ok &= constant and p95 < TARGET_P95_MS
        shown = path if not path.startswith("/instructions/") or path.count("/") < 3 or "?" in path \
            else "/instructions/<pk>/"
        print(f"{shown:<34} {median:>10.1f} {p95:>8.1f} {small[path]:>13} {full[path]:>14}  "
              f"{'yes' if constant else 'NO'}")
    print()
    for line in machine():
        print(line)
    print(f"Target: p95 under {TARGET_P95_MS:.0f} ms, queries constant: {'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
