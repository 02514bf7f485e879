"""Benchmark of the self-assessment results (seed 003): 50 participants × every outcome of the Code, twice.

Two benchmark assessments of the demo alliance, the earlier closed and the later its successor, each rated by
``--participants`` benchmark people on every one of the Code's 144 outcomes (7,200 ratings each, bulk-created
without history rows: they are benchmark data). It measures, in this process against PostgreSQL (DEBUG off):

* the results computation in the database, ``selectors.self_assessment_results`` (its GROUP BY over the
  ratings of both assessments joined to the outcomes, and the count of participants): median and p95 of
  ``--computations`` runs;
* ``GET /mobilisation/assessments/<id>/`` as ``alliance-manager`` (results, chart, table, gaps; the closed
  assessment) and ``GET /mobilisation/assessments/`` : median and p95 of ``--runs`` requests and the SQL queries
  of one request.

Target: the results page p95 under 200 ms with a constant number of queries. Run it from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_selfassessment .venv/bin/python bench/self_assessment.py
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
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import count_queries, timed  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_selfassessment"
TARGET_P95_MS = 200.0
PREFIX = "bench-sa-"  # the benchmark participants' usernames
TITLES = ("Benchmark self-assessment, earlier", "Benchmark self-assessment, later")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--computations", type=int, default=20)
    parser.add_argument("--runs", type=int, default=50)
    return parser.parse_args(argv)


def ensure_participants(alliance, wanted: int) -> list:
    """``wanted`` benchmark people spread over the partners (bulk-created, no password: they never sign in)."""
    from django.contrib.auth.hashers import make_password

    from alliance.models import Organisation, OrganisationKind, Person

    partners = list(Organisation.objects.filter(alliance=alliance, kind=OrganisationKind.PARTNER).order_by("pk"))
    have = set(Person.objects.filter(username__startswith=PREFIX).values_list("username", flat=True))
    unusable = make_password(None)
    Person.objects.bulk_create([
        Person(username=f"{PREFIX}{i:03d}", first_name="Bench", last_name=f"Participant {i}", password=unusable,
               email=f"{PREFIX}{i:03d}@example.org", organisation=partners[i % len(partners)])
        for i in range(wanted) if f"{PREFIX}{i:03d}" not in have])
    return list(Person.objects.filter(username__startswith=PREFIX).order_by("username")[:wanted])


def ensure_assessments(alliance, participants: list):
    """The two benchmark assessments, each with every participant's rating of every outcome."""
    from django.db import connection

    from alliance.dates import local_today
    from alliance.models import Person
    from mobilisation.models import CodeOutcome, Rating, SelfAssessment, SelfAssessmentStatus
    from mobilisation.services.assessment import code_outcomes_seed

    code_outcomes_seed(alliance)
    outcomes = list(CodeOutcome.objects.filter(alliance=alliance).order_by("order"))
    manager = Person.objects.get(username="alliance-manager")
    today = local_today()
    previous = None
    made = []
    for n, title in enumerate(TITLES):
        assessment = SelfAssessment.objects.filter(alliance=alliance, title=title).first()
        if assessment is None:
            # Created closed, outside the one-open-at-a-time rule of the service: benchmark rows.
            assessment = SelfAssessment.objects.create(
                alliance=alliance, title=title, opens_on=today - dt.timedelta(days=90 - 60 * n),
                closes_on=today - dt.timedelta(days=80 - 60 * n), status=SelfAssessmentStatus.CLOSED,
                previous=previous, created_by=manager)
        have = Rating.objects.filter(assessment=assessment).count()
        if have < len(participants) * len(outcomes):
            Rating.objects.filter(assessment=assessment).delete()
            rng = random.Random(n)  # noqa: S311 (benchmark data)
            Rating.objects.bulk_create(
                [Rating(assessment=assessment, participant=p, outcome=o, score=rng.randint(1, 5))
                 for p in participants for o in outcomes], batch_size=5_000)
        previous = assessment
        made.append(assessment)
    with connection.cursor() as cursor:
        cursor.execute('VACUUM ANALYZE "mobilisation_rating"')
    return made


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
    from mobilisation.models import CodeOutcome, Rating
    from mobilisation.selectors.assessment import self_assessment_results

    call_command("migrate", verbosity=0)
    alliance = demo_alliance()
    participants = ensure_participants(alliance, args.participants)
    earlier, later = ensure_assessments(alliance, participants)
    outcomes = CodeOutcome.objects.filter(alliance=alliance).count()

    samples = []
    for _ in range(args.computations + 1):
        started = time.perf_counter()
        results = self_assessment_results(later)
        samples.append((time.perf_counter() - started) * 1000)
    samples = samples[1:]  # the first warms the connection and the plan cache
    compute_median = statistics.median(samples)
    compute_p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]

    client = Client()
    client.force_login(Person.objects.get(username="alliance-manager"))
    paths = [f"/mobilisation/assessments/{later.pk}/", "/mobilisation/assessments/"]
    with override_settings(DEBUG=False):
        queries = count_queries(client, paths)
        timings = timed(client, paths, args.runs)

    print(f"{len(participants)} participants × {outcomes} outcomes = "
          f"{Rating.objects.filter(assessment=later).count():,} ratings per assessment, two assessments "
          f"({Rating.objects.filter(assessment__alliance=alliance).count():,} ratings in the alliance)")
    print(f"Results computation (self_assessment_results, 2 queries): median {compute_median:.1f} ms, "
          f"p95 {compute_p95:.1f} ms over {args.computations} runs; overall average "
          f"{results.overall.average_shown}, {results.participants} participants, {len(results.gaps)} gaps")
    header = f"{'request':<40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    print(header)
    print("-" * len(header))
    ok = True
    for path in paths:
        median, p95 = timings[path]
        ok &= p95 < TARGET_P95_MS
        print(f"{path:<40} {median:>10.1f} {p95:>8.1f} {queries[path]:>8}")
    print()
    for line in machine():
        print(line)
    print(f"Target: p95 under {TARGET_P95_MS:.0f} ms: {'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
