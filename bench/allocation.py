"""Benchmark of allocation: the pure balancing function at 1,000 to 10,000 proposed schemes, and the allocation
pages with 2,000 schemes.

1. ``allocation.balancing.balance`` (no database) on a Lot 3 of three on-site partners (25-40%) where every
   proposed scheme starts with one partner, so that balancing has to move many of them: values drawn from a
   fixed seed between £10k and £5m, awarded work of the other two partners. For each size it prints the
   median of ``--repeat`` runs, the number of moves, and the time divided by (n + moves)·log2(n): that ratio
   must stay flat (the function is O((n + m) log n) with its heaps). Target: under 1 s at 10,000.
2. The pages, with django.test.Client in this process (DEBUG off), as ``alliance-manager`` and as
   ``costain-staff``: the allocation overview, the schemes register (first page, own schemes first), a
   package of 2,000 schemes, the result of its allocation run (shares and the whole trace), and the JSON
   schemes list. The median and p95 of ``--runs`` requests, and the SQL queries at 200 and at 2,000 schemes.
   Target: p95 under 200 ms, queries constant. It also prints how long the allocation service took for the
   2,000-scheme package (load, balance, save 6,000 allocations and the trace).

Run it from the project root against a PostgreSQL database of its own (created if missing, migrated, seeded)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_allocation .venv/bin/python bench/allocation.py
"""

from __future__ import annotations

import argparse
import math
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
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_allocation"
SIZES = (1_000, 2_000, 5_000, 10_000)
TARGET_BALANCE_S = 1.0
TARGET_P95_MS = 200.0
BENCH_PACKAGE = "BENCH-NW"
REGIONS = ["north-west", "north-east", "midlands", "east", "south-east", "south-west"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of the function per size")
    parser.add_argument("--runs", type=int, default=100, help="timed requests per page")
    parser.add_argument("--schemes", type=int, default=2_000, help="schemes in the benchmark package")
    parser.add_argument("--small", type=int, default=200, help="the smaller size query counts are compared at")
    return parser.parse_args(argv)


# --- 1. The pure function ------------------------------------------------------------------------------------


def function_items(n: int):
    from allocation.balancing import Item

    rng = random.Random(n)
    items = [Item(("awarded", p), Decimal(rng.randint(1_000_000, 50_000_000)), p, awarded=True)
             for p in ("bam-msjv", "balfour-beatty")]
    items += [Item(i, Decimal(rng.randint(1_000_000, 500_000_000)) / 100, "costain") for i in range(n)]
    return items


def bench_function(repeat: int) -> list[tuple[int, float, int, float, bool]]:
    from allocation.balancing import balance

    partners = ["costain", "bam-msjv", "balfour-beatty"]
    rows = []
    for n in SIZES:
        items = function_items(n)
        times, result = [], None
        for _ in range(repeat):
            started = time.perf_counter()
            result = balance(items, partners, Decimal("0.25"), Decimal("0.40"))
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        moves = len(result.moves)
        ratio = median / ((n + moves) * math.log2(n)) * 1e6  # microseconds per (n + m)·log2 n
        rows.append((n, median, moves, ratio, result.within_tolerance))
    return rows


# --- 2. The pages --------------------------------------------------------------------------------------------


def ensure_package(alliance, target: int):
    """The benchmark package with ``target`` proposed schemes (bulk-created), allocated by the service."""
    from django.db import connection

    from alliance.models import Person, Region
    from allocation.models import Package, Scheme
    from allocation.services import packages as services

    manager = Person.objects.get(username="alliance-manager")
    package = Package.objects.filter(alliance=alliance, code=BENCH_PACKAGE).first()
    if package is None:
        package = services.package_register(actor=Person.objects.get(username="sro"), code=BENCH_PACKAGE,
                                            name="Benchmark package", notified_on=alliance.start_date)
    have = package.schemes.count()
    regions = {r.slug: r for r in Region.objects.filter(alliance=alliance)}
    rng = random.Random(have)
    Scheme.objects.bulk_create([
        Scheme(alliance=alliance, package=package, code=f"B-{i:05d}", name=f"Benchmark scheme {i}",
               # Three in four in the North West: Jacobs and Costain take most, and balancing has to move many.
               scheme_type="smart_motorway", pcf_stage=rng.randint(0, 7),
               region=regions["north-west" if rng.random() < 0.75 else rng.choice(REGIONS)],
               design_value=Decimal(rng.randint(10_000, 2_000_000)), construction_value=Decimal(
                   rng.randint(50_000, 9_000_000)), alliance_budget=Decimal(0))
        for i in range(have, target)
    ], batch_size=1_000)
    started = time.perf_counter()
    run = services.package_allocate(actor=manager, package=package)
    took = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("allocation_scheme", "allocation_schemeallocation", "allocation_allocationmove"):
            cursor.execute(f'VACUUM ANALYZE "{table}"')
    return package, run, took


def paths(package, run) -> list[tuple[str, str]]:
    return [("alliance-manager", "/allocation/"), ("costain-staff", "/allocation/schemes/"),
            ("alliance-manager", f"/allocation/packages/{package.pk}/"),
            ("alliance-manager", f"/allocation/runs/{run.pk}/"), ("costain-staff", "/api/allocation/schemes/")]


def count_queries(clients, probes) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for persona, path in probes:
        clients[persona].get(path)
        with CaptureQueriesContext(connection) as captured:
            response = clients[persona].get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        counts[path] = len(captured)
    return counts


def time_pages(clients, probes, runs: int) -> dict:
    for persona, path in probes:
        for _ in range(3):
            clients[persona].get(path)
    samples = {path: [] for _, path in probes}
    for _ in range(runs):
        for persona, path in probes:
            started = time.perf_counter()
            clients[persona].get(path)
            samples[path].append((time.perf_counter() - started) * 1000)
    return {p: (statistics.median(t), statistics.quantiles(t, n=20, method="inclusive")[18]) for p, t in samples.items()}


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    from whats_due import ensure_database, machine, setup_django

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    print("1. allocation.balancing.balance, Lot 3 (25-40%), every proposed scheme starting with one partner")
    header = f"{'proposed':>9} {'median s':>9} {'moves':>7} {'µs per (n+m)·log2 n':>20}  within"
    print(header)
    print("-" * len(header))
    rows = bench_function(args.repeat)
    for n, median, moves, ratio, within in rows:
        print(f"{n:>9,} {median:>9.3f} {moves:>7,} {ratio:>20.3f}  {'yes' if within else 'no'}")
    ok = rows[-1][1] < TARGET_BALANCE_S
    growth = rows[-1][3] / rows[0][3]
    print(f"The ratio at 10,000 is {growth:.2f}x the ratio at 1,000 (flat = O((n + m) log n)).")
    print()

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from whats_due import demo_alliance

    from alliance.models import Person

    call_command("migrate", verbosity=0)
    alliance = demo_alliance()
    clients = {}
    for username in ("alliance-manager", "costain-staff"):
        clients[username] = Client()
        clients[username].force_login(Person.objects.get(username=username))
    with override_settings(DEBUG=False):
        package, run, _ = ensure_package(alliance, args.small)
        small_probes = paths(package, run)
        small = count_queries(clients, small_probes)
        package, run, took = ensure_package(alliance, args.schemes)
        probes = paths(package, run)
        full = count_queries(clients, probes)
        timings = time_pages(clients, probes, args.runs)
    moves = run.moves.count()
    print(f"2. Pages with a package of {args.schemes:,} schemes (its allocation run: {moves:,} moves; the service "
          f"took {took:.2f} s to allocate and save it), {args.runs} runs each")
    header = f"{'request':<36} {'as':<17} {'median ms':>10} {'p95 ms':>8} {f'q @{args.small}':>7} " \
             f"{f'q @{args.schemes}':>8}  constant"
    print(header)
    print("-" * len(header))
    shown = {f"/allocation/packages/{package.pk}/": "/allocation/packages/<pk>/",
             f"/allocation/runs/{run.pk}/": "/allocation/runs/<pk>/"}
    for (persona, path), (_, small_path) in zip(probes, small_probes, strict=True):
        median, p95 = timings[path]
        small_count = small[small_path]
        constant = small_count == full[path]
        ok &= p95 < TARGET_P95_MS and constant
        print(f"{shown.get(path, path):<36} {persona:<17} {median:>10.1f} {p95:>8.1f} {small_count:>7} "
              f"{full[path]:>8}  {'yes' if constant else 'NO'}")
    print()
    for line in machine():
        print(line)
    print(f"Targets: balance under {TARGET_BALANCE_S:.0f} s at 10,000; pages p95 under {TARGET_P95_MS:.0f} ms with "
          f"constant queries: {'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
