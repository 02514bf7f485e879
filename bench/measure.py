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
