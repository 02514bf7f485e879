"""What several benchmarks share: the SQL queries of one request, and the median and p95 of timed requests."""

from __future__ import annotations

import statistics
import time


def count_queries(client, paths):
    """{path: queries of the second GET} (the first warms caches); stops on a non-200 answer."""
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


def timed(client, paths, runs):
    """{path: (median ms, p95 ms)} of ``runs`` GETs of each path, in turn, after one warm-up each."""
    for path in paths:
        client.get(path)
    samples = {p: [] for p in paths}
    for _ in range(runs):
        for path in paths:
            started = time.perf_counter()
            client.get(path)
            samples[path].append((time.perf_counter() - started) * 1000)
    return {p: (statistics.median(t), statistics.quantiles(t, n=20, method="inclusive")[18]) for p, t in samples.items()}


def small_and_full(client, paths, runs, shrink):
    """Queries and timings of ``paths`` with DEBUG off, first at the small size (``shrink()``, which returns the
    number of records left, inside a transaction rolled back after), then at the full size.

    Returns (records at the small size, {path: queries small}, {path: timing small}, {path: queries full},
    {path: timing full})."""
    from django.db import transaction
    from django.test.utils import override_settings

    with override_settings(DEBUG=False):
        with transaction.atomic():
            small_total = shrink()
            small = count_queries(client, paths)
            small_times = timed(client, paths, runs)
            transaction.set_rollback(True)
        full = count_queries(client, paths)
        timings = timed(client, paths, runs)
    return small_total, small, small_times, full, timings


def print_constant_queries_table(paths, small, small_times, full, timings, target_p95_ms, machine_lines) -> bool:
    """Prints, per path, the timings at both sizes and whether the number of queries stayed the same; True when
    every path kept its query count and its full-size p95 is under the target."""
    width = max(48, *(len(p) + 2 for p in paths))
    header = (f"{'request':<{width}} {'ms @small med/p95':>18} {'ms @full med':>13} {'p95':>7} "
              f"{'q @small':>8} {'q @full':>8}  constant")
    print(header)
    print("-" * len(header))
    ok = True
    for path in paths:
        median, p95 = timings[path]
        s_median, s_p95 = small_times[path]
        constant = small[path] == full[path]
        ok &= constant and p95 < target_p95_ms
        print(f"{path:<{width}} {s_median:>8.1f}/{s_p95:>8.1f} {median:>13.1f} {p95:>7.1f} {small[path]:>8} "
              f"{full[path]:>8}  {'yes' if constant else 'NO'}")
    print()
    for line in machine_lines:
        print(line)
    print(f"Target: p95 under {target_p95_ms:.0f} ms with constant queries: {'MET' if ok else 'NOT MET'}")
    return ok
