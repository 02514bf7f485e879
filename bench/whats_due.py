"""Benchmark of What's due: response time and SQL queries of the open-obligation lists.

What it measures, with django.test.Client in this process (no network, no web server):

* ``GET /due/``               the What's due page (HTML), first page, as ``alliance-manager``
* ``GET /due/?page=100``      the same page deep in the list (OFFSET 4,950), as ``alliance-manager``
* ``GET /api/obligations/``   the JSON list, first page, as ``alliance-manager``
* ``GET /due/``               the What's due page, first page, as ``wsp-staff``

``alliance-manager`` sees the whole alliance; ``wsp-staff`` only WSP's obligations and their own. For each
request it prints the median and 95th percentile of ``--runs`` timed requests (after warm-up requests,
with DEBUG off so that Django does not log every query), and the number of SQL queries per request at
two sizes of the alliance (``--small-obligations`` and ``--obligations`` open obligations): the count
must not grow with the number of obligations. Target: p95 under 150 ms, query counts constant.

Run it from the project root against PostgreSQL (the default URL is the one below)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench .venv/bin/python bench/whats_due.py
    .venv/bin/python bench/whats_due.py --obligations 10000 --runs 200 --explain

The database is created if missing and migrated; the demo alliance is seeded (``portal.demo.seed``,
idempotent) and then given exactly ``--obligations`` open obligations by bulk-creating benchmark rows
(paragraph ``bench:whats_due``) or, if it has too many, by deleting benchmark rows only. The smaller
size is set up inside a transaction that is rolled back, so it leaves nothing behind. ``--explain``
prints EXPLAIN ANALYZE of every obligation query the requests ran at the full size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import dj_database_url
import django
import psycopg2
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from psycopg2 import sql

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alliance.models import Alliance

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench"
BENCH_PARAGRAPH = "bench:whats_due"  # marks the rows this script creates (and may delete)
TARGET_P95_MS = 150.0
WARM_UP_REQUESTS = 5
DUE_DAYS_FROM_TODAY = (-60, 300)
MANAGER = "alliance-manager"
PARTNER_STAFF = "wsp-staff"
DEEP_PAGE = 100


@dataclass(frozen=True)
class Probe:
    """One request the benchmark makes: a path, as one persona."""

    path: str
    persona: str


PROBES: tuple[Probe, ...] = (
    Probe("/due/", MANAGER),
    Probe(f"/due/?page={DEEP_PAGE}", MANAGER),
    Probe("/api/obligations/", MANAGER),
    Probe("/due/", PARTNER_STAFF),
)


@dataclass(frozen=True)
class QueryCount:
    """The queries of one request: how many, and their SQL (for EXPLAIN)."""

    count: int
    sql_ms: float
    statements: tuple[str, ...]


@dataclass(frozen=True)
class Timing:
    runs: int
    median_ms: float
    p95_ms: float


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--obligations", type=int, default=10_000, help="open obligations in the alliance")
    parser.add_argument(
        "--small-obligations",
        type=int,
        default=1_000,
        help="the smaller size the query counts are compared at",
    )
    parser.add_argument("--runs", type=int, default=200, help="timed requests per endpoint")
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of the obligation queries"
    )
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error("--runs must be at least 2")
    if not 0 < args.small_obligations < args.obligations:
        parser.error("--small-obligations must be positive and smaller than --obligations")
    return args


# --- Set-up ---------------------------------------------------------------------------------------------


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of ``url`` if it does not exist; True if it was created."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"DATABASE_URL must point at PostgreSQL, not {config['ENGINE']}")
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    admin.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone() is not None:
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        admin.close()


def setup_django() -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def demo_alliance() -> Alliance:
    from alliance import demo
    from alliance.models import Alliance
    from portal import demo as whole_demo

    whole_demo.seed()
    return Alliance.objects.get(slug=demo.ALLIANCE_SLUG)


def open_obligation_count(alliance: Alliance) -> int:
    from alliance.models import Obligation, ObligationStatus

    return Obligation.objects.filter(alliance=alliance, status=ObligationStatus.OPEN).count()


def add_bench_obligations(alliance: Alliance, how_many: int, *, today: dt.date) -> None:
    """Bulk-create open obligations due from 60 days ago to 300 days ahead, spread over the seven
    organisations, single people and the alliance as a whole (no one responsible)."""
    from alliance.models import Obligation, ObligationKind, Organisation, Person

    organisations = list(Organisation.objects.filter(alliance=alliance).order_by("pk"))
    people = list(Person.objects.filter(organisation__alliance=alliance).order_by("pk"))
    kinds = list(ObligationKind.values)
    already = Obligation.objects.filter(alliance=alliance, paragraph=BENCH_PARAGRAPH).count()
    rng = random.Random(already)  # deterministic for a given starting point
    rows = []
    for number in range(already + 1, already + how_many + 1):
        due = today + dt.timedelta(days=rng.randint(*DUE_DAYS_FROM_TODAY))
        # One slot per organisation, one for a single person, one for the alliance as a whole.
        slot = rng.randrange(len(organisations) + 2)
        rows.append(
            Obligation(
                alliance=alliance,
                kind=rng.choice(kinds),
                title=f"Benchmark obligation {number}",
                paragraph=BENCH_PARAGRAPH,
                start_date=due - dt.timedelta(days=rng.randint(0, 120)),
                due_date=due,
                responsible_organisation=organisations[slot] if slot < len(organisations) else None,
                responsible_person=rng.choice(people) if slot == len(organisations) else None,
            )
        )
    Obligation.objects.bulk_create(rows, batch_size=2_000)


def resize(alliance: Alliance, target: int, *, today: dt.date, delete: bool) -> None:
    """Give the alliance exactly ``target`` open obligations, adding or removing benchmark rows only.

    Removing deletes them when ``delete`` (a permanent change), else cancels them with one UPDATE (quick,
    for a transaction that is rolled back anyway).
    """
    from alliance.models import Obligation, ObligationStatus

    current = open_obligation_count(alliance)
    if current < target:
        add_bench_obligations(alliance, target - current, today=today)
    elif current > target:
        excess = current - target
        ids = list(
            Obligation.objects.filter(
                alliance=alliance, status=ObligationStatus.OPEN, paragraph=BENCH_PARAGRAPH
            )
            .order_by("-pk")
            .values_list("pk", flat=True)[:excess]
        )
        if len(ids) < excess:
            raise SystemExit(
                f"Cannot bring the alliance down to {target} open obligations: too few benchmark rows"
            )
        extra = Obligation.objects.filter(pk__in=ids)
        if delete:
            extra.delete()
        else:
            extra.update(status=ObligationStatus.CANCELLED, closed_on=today)
    if (now := open_obligation_count(alliance)) != target:
        raise SystemExit(f"Expected {target} open obligations, found {now}")


def vacuum_analyze() -> None:
    """Bring the planner statistics and visibility map up to date after a bulk load, as autovacuum would."""
    from alliance.models import Obligation

    with connection.cursor() as cursor:
        cursor.execute(f'VACUUM ANALYZE "{Obligation._meta.db_table}"')


# --- Measuring ------------------------------------------------------------------------------------------


def signed_in_clients() -> dict[str, Client]:
    from alliance.models import Person

    clients = {}
    for username in {probe.persona for probe in PROBES}:
        client = Client()
        client.force_login(Person.objects.get(username=username))
        clients[username] = client
    return clients


def get_ok(client: Client, path: str) -> HttpResponse:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}, not 200")
    return response


def visible_count(username: str) -> int:
    """How many open obligations the persona's What's due lists."""
    from alliance import selectors
    from alliance.models import Person

    return selectors.whats_due(Person.objects.select_related("organisation").get(username=username)).count()


def count_queries(clients: dict[str, Client]) -> dict[Probe, QueryCount]:
    """Queries of one warmed-up request per probe (the second request: the first may fill caches)."""
    counts = {}
    for probe in PROBES:
        get_ok(clients[probe.persona], probe.path)
        with CaptureQueriesContext(connection) as captured:
            get_ok(clients[probe.persona], probe.path)
        counts[probe] = QueryCount(
            count=len(captured),
            sql_ms=sum(float(q["time"]) for q in captured.captured_queries) * 1000,
            statements=tuple(q["sql"] for q in captured.captured_queries),
        )
    return counts


def check_listing(clients: dict[str, Client], visible: dict[str, int]) -> None:
    """The pages list what we think they list: the HTML shows the total, the API counts it."""
    for probe in PROBES:
        response = get_ok(clients[probe.persona], probe.path)
        if probe.path.startswith("/api/"):
            found = response.json()["count"]
            if found != visible[probe.persona]:
                raise SystemExit(f"GET {probe.path} counts {found}, expected {visible[probe.persona]}")
        elif f"{visible[probe.persona]} in all" not in response.content.decode():
            raise SystemExit(
                f"GET {probe.path} as {probe.persona} does not show {visible[probe.persona]} in all"
            )


def time_requests(clients: dict[str, Client], runs: int) -> dict[Probe, Timing]:
    """Warm up, then time ``runs`` rounds of every probe in turn, so that any noise from other work on
    the machine falls on all of them alike."""
    for probe in PROBES:
        for _ in range(WARM_UP_REQUESTS):
            get_ok(clients[probe.persona], probe.path)
    samples: dict[Probe, list[float]] = {probe: [] for probe in PROBES}
    for _ in range(runs):
        for probe in PROBES:
            started = time.perf_counter()
            response = clients[probe.persona].get(probe.path)
            samples[probe].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"GET {probe.path} answered {response.status_code}, not 200")
    return {
        probe: Timing(
            runs=runs,
            median_ms=statistics.median(times),
            p95_ms=statistics.quantiles(times, n=20, method="inclusive")[18],
        )
        for probe, times in samples.items()
    }


def explain(statements: tuple[str, ...]) -> list[str]:
    """EXPLAIN ANALYZE of the statements that read the obligation table."""
    from alliance.models import Obligation

    table = f'"{Obligation._meta.db_table}"'
    lines = []
    with connection.cursor() as cursor:
        for statement in statements:
            if table not in statement or not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
            lines += ["", f"  {statement}", *(f"    {row[0]}" for row in cursor.fetchall())]
    return lines


# --- Report ---------------------------------------------------------------------------------------------


def machine() -> list[str]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    return [
        f"Machine:  nproc {cpus}{f' ({model})' if model else ''}, {platform.system()} {platform.release()}, "
        f"load average {os.getloadavg()[0]:.2f} (1 min, at the end)",
        f"Software: Python {platform.python_version()} ({platform.python_implementation()}), "
        f"Django {django.get_version()}, database {connection.vendor} {server_version}",
    ]


def report(
    args: argparse.Namespace,
    timings: dict[Probe, Timing],
    small: dict[Probe, QueryCount],
    full: dict[Probe, QueryCount],
    visible: dict[str, int],
    small_visible: dict[str, int],
) -> bool:
    """Print the table and the verdict; True when the target is met."""
    from alliance.views import WHATS_DUE_PAGE_SIZE

    at_small, at_full = f"queries @{args.small_obligations:,}", f"queries @{args.obligations:,}"
    header = (
        f"{'endpoint':<20} {'persona':<17} {'listed':>7} {'runs':>5} {'median ms':>10} {'p95 ms':>8} "
        f"{'sql ms':>7} {at_small:>{len(at_small)}} {at_full:>{len(at_full)}}  constant"
    )
    print(header)
    print("-" * len(header))
    for probe in PROBES:
        timing, constant = timings[probe], small[probe].count == full[probe].count
        print(
            f"{probe.path:<20} {probe.persona:<17} {visible[probe.persona]:>7,} {timing.runs:>5} "
            f"{timing.median_ms:>10.1f} {timing.p95_ms:>8.1f} {full[probe].sql_ms:>7.1f} "
            f"{small[probe].count:>{len(at_small)}} {full[probe].count:>{len(at_full)}}  "
            f"{'yes' if constant else 'NO'}"
        )
    print()
    print(
        f"listed: open obligations the persona's list holds at {args.obligations:,}; sql ms: database time "
        f"of one request (from the query count run, DEBUG cursor)."
    )
    for size, listed in (
        (args.small_obligations, small_visible[MANAGER]),
        (args.obligations, visible[MANAGER]),
    ):
        pages = -(-listed // WHATS_DUE_PAGE_SIZE)
        if pages < DEEP_PAGE:
            print(
                f"At {size:,} obligations page {DEEP_PAGE} does not exist: Paginator.get_page serves the "
                f"last page ({pages}), with the same queries."
            )
    worst = max(timings.values(), key=lambda t: t.p95_ms)
    all_constant = all(small[p].count == full[p].count for p in PROBES)
    met = worst.p95_ms < TARGET_P95_MS and all_constant
    print()
    print(
        f"Target: p95 under {TARGET_P95_MS:.0f} ms on every endpoint; "
        "queries per request constant in the number of obligations."
    )
    print(
        f"Result: {'MET' if met else 'NOT MET'} — worst p95 {worst.p95_ms:.1f} ms; "
        f"query counts {'constant' if all_constant else 'NOT constant'}."
    )
    return met


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    created = ensure_database(database_url)
    setup_django()
    from alliance.dates import local_today

    name = connection.settings_dict["NAME"]
    print(f"Database {name}{' (created)' if created else ''}: migrating and seeding…")
    call_command("migrate", interactive=False, verbosity=0)
    alliance = demo_alliance()
    today = local_today()

    # 1. Query counts at the small size, inside a transaction that is rolled back.
    with transaction.atomic():
        resize(alliance, args.small_obligations, today=today, delete=False)
        small_visible = {username: visible_count(username) for username in {p.persona for p in PROBES}}
        small = count_queries(signed_in_clients())
        transaction.set_rollback(True)

    # 2. The full size, kept: query counts again, then the timings.
    resize(alliance, args.obligations, today=today, delete=True)
    vacuum_analyze()
    clients = signed_in_clients()
    visible = {username: visible_count(username) for username in clients}
    check_listing(clients, visible)
    full = count_queries(clients)
    with override_settings(DEBUG=False):
        timings = time_requests(clients, args.runs)

    print()
    print(f"What's due benchmark — {alliance.name}, {today:%-d %b %Y}")
    for line in machine():
        print(line)
    print(
        f"Method:   in-process django.test.Client; {WARM_UP_REQUESTS} warm-up requests, then "
        f"{args.runs} timed per endpoint (round-robin);\n          DEBUG off; persistent connection; "
        "obligation table VACUUM ANALYZEd after loading."
    )
    print()
    report(args, timings, small, full, visible, small_visible)
    if args.explain:
        print()
        print(f"EXPLAIN ANALYZE of the obligation queries at {args.obligations:,} open obligations:")
        for probe in PROBES:
            print()
            print(f"== GET {probe.path} as {probe.persona}")
            for line in explain(full[probe].statements):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
