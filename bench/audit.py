"""Benchmark of the audit page: about 50,000 history rows across the historical tables, on PostgreSQL.

It measures, with django.test.Client in this process (DEBUG off), as ``alliance-manager``:

* ``GET /audit/``                                  the first page (50 changes of every app, newest first)
* ``GET /audit/?page=100``                         deep in the list (OFFSET 4,950)
* ``GET /audit/?person=<id>``                      one person's changes
* ``GET /audit/?organisation=<WSP>``               the changes WSP's people made
* ``GET /audit/?app=supplychain``                  one app
* ``GET /audit/?object_type=...&object_id=...``    one obligation's history
* ``GET /audit/?date_from=...&date_to=...``        one month
* ``GET /audit/export.csv?app=supplychain&date...`` a month of one app as CSV (about 1,000 changes)

the median and p95 of ``--runs`` requests and the SQL queries per request at the full size and at about a
tenth of it (the history rows beyond every tenth deleted inside a transaction that is rolled back). The counts
depend on which models a page shows, never on its rows: each page is checked against its bound (an empty page's
queries, one for the people, two per model on the page, one per model a changed foreign key names).
Target: p95 under 200 ms for the pages, queries within the bound.

Data: ``--obligations`` benchmark obligations with ten history rows each (created, then re-dated, handed to
another person, met), ``--risks`` benchmark risks with fifteen (likelihood, impact, score, owner, status), and
``--other`` rows of changes to the demo's own records of every other tracked model (a text field revised, or
saved again with a reason). Dates spread over the last year; people drawn from the demo alliance. History rows
are bulk-inserted (they are benchmark data): their change reasons start "Bench". Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_audit .venv/bin/python bench/audit.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

from measure import count_queries, timed

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
# This script's folder comes first for its helpers (measure, whats_due); setup_django() puts the project root
# back in front before any project import, so that `audit` is the audit app, not this file.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_audit"
TARGET_P95_MS = 200.0
PARAGRAPH = "bench:audit"  # the benchmark obligations
RISK_PREFIX = "BA-"  # the benchmark risks' references
REASONS = ["Bench: monthly review", "Bench: programme slipped", "Bench: Board asked", "Bench"]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--obligations", type=int, default=2_500, help="benchmark obligations, 10 rows each")
    parser.add_argument("--risks", type=int, default=1_000, help="benchmark risks, 15 rows each")
    parser.add_argument("--other", type=int, default=10_000, help="rows of changes to other demo records")
    parser.add_argument("--runs", type=int, default=60)
    return parser.parse_args(argv)


def _base(history_model, obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in history_model.tracked_fields}


def _dates(rng, count: int, now: dt.datetime) -> list[dt.datetime]:
    """``count`` increasing moments within the last year."""
    return sorted(now - dt.timedelta(seconds=rng.randint(60, 365 * 86_400)) for _ in range(count))


def _row(history_model, values: dict, when, kind: str, user_id, rng):
    return history_model(**values, history_date=when, history_type=kind, history_user_id=user_id,
                         history_change_reason=rng.choice(REASONS))


def add_obligation_history(alliance, how_many: int, people, rng, now) -> int:
    from alliance.models import Obligation, ObligationKind, ObligationStatus

    history = Obligation.history.model
    obligations = Obligation.objects.bulk_create(
        [Obligation(alliance=alliance, kind=ObligationKind.OTHER, title=f"Benchmark obligation {i}", paragraph=PARAGRAPH,
                    start_date=now.date() - dt.timedelta(days=400), due_date=now.date() + dt.timedelta(days=30))
         for i in range(how_many)], batch_size=2_000)
    rows = []
    for obligation in obligations:
        values = _base(history, obligation)
        values["due_date"] = now.date() - dt.timedelta(days=rng.randint(0, 300))
        dates = _dates(rng, 10, now)
        rows.append(_row(history, dict(values), dates[0], "+", rng.choice(people), rng))
        for step, when in enumerate(dates[1:], start=1):
            if step == 9:
                values["status"], values["closed_on"] = ObligationStatus.MET, when.date()
            elif step % 4 == 0:
                values["responsible_person_id"] = rng.choice(people)
            else:
                values["due_date"] += dt.timedelta(days=rng.randint(1, 21))
            rows.append(_row(history, dict(values), when, "~", rng.choice(people), rng))
    history.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)


def add_risk_history(alliance, how_many: int, people, rng, now) -> int:
    from alliance.dates import local_today
    from supplychain.models import Risk

    history = Risk.history.model
    today = local_today()
    risks = Risk.objects.bulk_create(
        [Risk(alliance=alliance, reference=f"{RISK_PREFIX}{i:05d}", title=f"Benchmark risk {i}", owner_id=people[0],
              cause="Benchmark cause", effect="Benchmark effect", likelihood=3, impact=3, score=9, strategy="treat",
              status="open", raised_by_id=people[0], raised_on=today - dt.timedelta(days=365), last_updated_on=today)
         for i in range(how_many)], batch_size=2_000)
    rows = []
    for risk in risks:
        values = _base(history, risk)
        dates = _dates(rng, 15, now)
        rows.append(_row(history, dict(values), dates[0], "+", rng.choice(people), rng))
        for step, when in enumerate(dates[1:], start=1):
            if step % 5 == 0:
                values["owner_id"] = rng.choice(people)
            else:
                values["likelihood"], values["impact"] = rng.randint(1, 5), rng.randint(1, 5)
                values["score"] = values["likelihood"] * values["impact"]
                values["last_updated_on"] = when.date()
            if step == 14 and rng.random() < 0.2:
                values["status"] = "closed"
            rows.append(_row(history, dict(values), when, "~", rng.choice(people), rng))
    history.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)


def add_other_history(how_many: int, people, rng, now) -> int:
    """Changes to the demo's own records of every other tracked model: a text field revised where the model
    has one, else the record saved again with a reason."""
    from django.db import models

    from audit.sources import sources as audit_sources

    skip = {"alliance.Obligation", "supplychain.Risk"}
    objects = []
    for source in audit_sources():
        if source.label in skip:
            continue
        objects.extend((source, obj) for obj in source.model._base_manager.order_by("pk")[:50])
    if not objects:
        return 0
    per_object = max(1, how_many // len(objects))
    rows_by_model: dict = {}
    for source, obj in objects:
        history = source.history_model
        values = _base(history, obj)
        text = next((f.attname for f in history.tracked_fields if isinstance(f, models.CharField)
                     and not f.choices and not f.unique and f.max_length >= 40 and f.editable), None)
        for when in _dates(rng, per_object, now):
            if text is not None:
                values[text] = f"{getattr(obj, text)[:20]} (revision {rng.randint(1, 999)})"
            rows_by_model.setdefault(history, []).append(_row(history, dict(values), when, "~", rng.choice(people), rng))
    for history, rows in rows_by_model.items():
        history.objects.bulk_create(rows, batch_size=5_000)
    return sum(len(rows) for rows in rows_by_model.values())


def ensure_history(alliance, args) -> None:
    from django.db import connection
    from django.utils import timezone

    from alliance.models import Obligation, Person
    from audit.sources import sources as audit_sources

    if Obligation.objects.filter(alliance=alliance, paragraph=PARAGRAPH).exists():
        return
    started = time.perf_counter()
    people = list(Person.objects.filter(organisation__alliance=alliance).order_by("pk").values_list("pk", flat=True))
    rng = random.Random(20261123)  # noqa: S311 (benchmark data)
    now = timezone.now()
    made = add_obligation_history(alliance, args.obligations, people, rng, now)
    made += add_risk_history(alliance, args.risks, people, rng, now)
    made += add_other_history(args.other, people, rng, now)
    with connection.cursor() as cursor:
        for source in audit_sources():
            cursor.execute(f'VACUUM ANALYZE "{source.history_model._meta.db_table}"')
    print(f"Loaded {made:,} benchmark history rows in {time.perf_counter() - started:.1f} s")


def shrink() -> None:
    """Inside a transaction to roll back: keep every tenth benchmark history row only."""
    from django.db import connection

    from audit.sources import sources as audit_sources

    with connection.cursor() as cursor:
        for source in audit_sources():
            table = source.history_model._meta.db_table
            cursor.execute(f'DELETE FROM "{table}" WHERE history_change_reason LIKE %s AND history_id %% 10 <> 0',  # noqa: S608 (a table of _meta)
                           ["Bench%"])
            cursor.execute(f'ANALYZE "{table}"')


def total_rows() -> int:
    """Every history row, whoever may read it (the audit shows each person only what they may open)."""
    from audit.sources import sources as audit_sources

    return sum(s.history_model._default_manager.count() for s in audit_sources())


def probes(alliance) -> list[str]:
    from django.utils import timezone

    from alliance.models import Obligation, Organisation, Person

    person = Person.objects.get(username="wsp-rep").pk
    wsp = Organisation.objects.get(slug="wsp").pk
    obligation = Obligation.objects.filter(alliance=alliance, paragraph=PARAGRAPH).order_by("pk").first().pk
    today = timezone.localdate()
    month_from, month_to = today - dt.timedelta(days=120), today - dt.timedelta(days=90)
    month = f"date_from={month_from:%Y-%m-%d}&date_to={month_to:%Y-%m-%d}"
    pages = ["/audit/", "/audit/?page=100", f"/audit/?person={person}", f"/audit/?organisation={wsp}",
             "/audit/?app=supplychain", f"/audit/?object_type=alliance.Obligation&object_id={obligation}",
             f"/audit/?{month}"]
    return pages, f"/audit/export.csv?app=supplychain&{month}"


def csv_export(client, path: str, runs: int) -> tuple[int, int, float, float]:
    """(rows, queries, median ms, p95 ms) of downloading the CSV whole (its queries run as it streams)."""
    import statistics

    from django.db import connection

    def fetch() -> int:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        return b"".join(response.streaming_content).count(b"\n")

    fetch()
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted by a wrapper, not CaptureQueriesContext: the test client's request_started resets the query log
    # before the streamed body runs its queries.
    with connection.execute_wrapper(counted):
        lines = fetch()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fetch()
        samples.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]
    return lines - 1, len(queries), statistics.median(samples), p95


def signed_in_client(person):
    """A test client signed in as ``person``, past the second factor when django-otp is installed."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    if "django_otp.plugins.otp_totp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=person, name="bench-audit", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def query_bound(person, path: str, fixed: int) -> tuple[int, int]:
    """(models on the page, the most queries the page may make): the queries of an empty page, plus the page's
    rows and the people who made the changes, plus two per model on the page (its records with those before them; its live objects)
    plus one per model that a changed foreign key names. Nothing may be per row."""
    from django.http import QueryDict

    from audit.entries import audit_entries
    from audit.forms import AuditFilterForm
    from audit.views import AUDIT_PAGE_SIZE

    query = QueryDict(path.partition("?")[2], mutable=True)
    page = int(query.pop("page", ["1"])[0])
    form = AuditFilterForm(query or None, viewer=person)
    if form.is_bound and not form.is_valid():
        raise SystemExit(f"{path}: {form.errors.as_text()}")
    entries = audit_entries(person, form.filters(), offset=(page - 1) * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE)
    models = {e.source for e in entries}
    related = set()
    for entry in entries:
        for change in entry.changes:
            field = entry.source.history_model._meta.get_field(change.name)
            if field.many_to_one or field.one_to_one:
                related.add(field.related_model)
    rows = 1 if entries else 0  # the UNION's page (an empty page skips it)
    people = 1 if any(e.person_id for e in entries) else 0
    return len(models), fixed + rows + people + 2 * len(models) + len(related)


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    from whats_due import ensure_database, machine, setup_django

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings
    from whats_due import demo_alliance

    from alliance.models import Person
    from audit.sources import sources as audit_sources

    call_command("migrate", verbosity=0)
    alliance = demo_alliance()
    ensure_history(alliance, args)
    manager = Person.objects.get(username="alliance-manager")
    client = signed_in_client(manager)
    paths, export = probes(alliance)
    with override_settings(DEBUG=False):
        with transaction.atomic():  # about a tenth of the history, rolled back
            shrink()
            small_total = total_rows()
            small = count_queries(client, paths)
            transaction.set_rollback(True)
        full = count_queries(client, paths)
        empty = "/audit/?date_from=2099-01-01"
        fixed = count_queries(client, [empty])[empty]
        bounds = {path: query_bound(manager, path, fixed) for path in paths}
        timings = timed(client, paths, args.runs)
        csv_rows, csv_queries, csv_median, csv_p95 = csv_export(client, export, max(5, args.runs // 6))
    print(f"{total_rows():,} history rows in {len(audit_sources())} historical tables "
          f"({small_total:,} at the small size); {args.runs} runs each")
    header = (f"{'request':<72} {'median ms':>9} {'p95 ms':>7} {'q @small':>8} {'q @full':>8} {'models':>6} "
              f"{'bound':>5}  within")
    print(header)
    print("-" * len(header))
    ok = True
    for path in paths:
        median, p95 = timings[path]
        models, bound = bounds[path]
        within = full[path] <= bound
        ok &= within and p95 < TARGET_P95_MS
        print(f"{path:<72} {median:>9.1f} {p95:>7.1f} {small[path]:>8} {full[path]:>8} {models:>6} {bound:>5}  "
              f"{'yes' if within else 'NO'}")
    print(f"{export:<72} {csv_median:>9.1f} {csv_p95:>7.1f} {'':>8} {csv_queries:>8}  "
          f"({csv_rows:,} CSV rows, read whole; {max(5, args.runs // 6)} runs)")
    print()
    for line in machine():
        print(line)
    print(f"An empty page makes {fixed} queries (session, person, roles, second factor, form's lists, count).")
    print(f"Target: pages' p95 under {TARGET_P95_MS:.0f} ms, queries within the bound: {'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
