"""Benchmark of voting on the Board: response time and SQL queries of a vote, and a burst of votes.

What it measures, first with django.test.Client in this process (no network, no web server), on a written
resolution (``key-person-appointment``, majority) with ``--history`` rows of vote history:

* ``POST /board/decisions/<pk>/vote/``          one-click vote, htmx (``HX-Request: true``: the vote panel)
* ``POST /api/governance/decisions/<pk>/vote/`` the API vote, JSON ``{"choice": ...}``
* ``GET  /board/decisions/<pk>/``               the decision page, as ``fluor-rep``
* ``GET  /api/governance/decisions/<pk>/``      the decision in JSON, as ``fluor-rep``

The seven representatives (``sro`` and ``<partner>-rep``) take turns and every vote is a real change of
their organisation's vote. For each request it prints the median and 95th percentile of ``--runs`` timed
requests (after warm-up, DEBUG off) and the SQL queries of one request at four states: a fresh decision
with 1 vote and with 7 votes, and the benchmark decision with ``--history`` and ``--big-history`` rows of
vote history (the larger one inside a transaction that is rolled back). The decision page's count must not
grow with the votes or the history. Target: p95 under 50 ms for a vote, decision page queries constant.

Then a burst against a real server: gunicorn (3 sync workers, DEBUG off) on a free port of 127.0.0.1, a
new decision, a DRF token per representative, and ``--burst`` API votes fired at once from ``--threads``
threads (each a random representative voting for, against or abstain). It reports status codes, the
latency and throughput, then checks the database: exactly one current vote per voting organisation and
one history row per successful request. gunicorn is stopped at the end, also on error.

Run it from the project root against PostgreSQL (the default URL is the one below)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_voting .venv/bin/python bench/voting.py
    .venv/bin/python bench/voting.py --runs 500 --burst 400 --threads 200 --explain

The database is created if missing, migrated and seeded (``portal.demo.seed``, idempotent). Each run
tables three decisions titled "Benchmark voting …" and closes them at the end. ``--explain`` prints
EXPLAIN ANALYZE of every query of one htmx vote.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import http.client
import itertools
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
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

    from alliance.models import Alliance, Person
    from governance.models import Decision

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_voting"
HOST = "127.0.0.1"  # the only address this script ever talks to
TARGET_VOTE_P95_MS = 50.0
WARM_UP_ROUNDS = 5
DECISION_TYPE = "key-person-appointment"
TITLE_PREFIX = "Benchmark voting"
MANAGER = "alliance-manager"
PARTNERS = ("fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty")
REPRESENTATIVES = ("sro", *(f"{slug}-rep" for slug in PARTNERS))
READER = "fluor-rep"  # who reads the decision page and the API decision
CHOICES = ("for", "against", "abstain")
TIMED_PHASE_SECONDS = 900  # the in-process phase gives up after this long, whatever --runs says
SERVER_START_SECONDS = 30
REQUEST_TIMEOUT_SECONDS = 30
BURST_SECONDS = 120
STOP_SECONDS = 15

VOTE_HTML, VOTE_API, PAGE, API_GET = "vote (htmx)", "vote (API)", "decision page", "decision (API)"
PROBES = (VOTE_HTML, VOTE_API, PAGE, API_GET)
VOTES = (VOTE_HTML, VOTE_API)


@dataclass(frozen=True)
class Timing:
    runs: int
    median_ms: float
    p95_ms: float
    max_ms: float


@dataclass(frozen=True)
class QueryCount:
    count: int
    sql_ms: float
    statements: tuple[str, ...]


@dataclass
class Burst:
    requests: int
    threads: int
    elapsed_s: float = 0.0
    statuses: Counter = field(default_factory=Counter)  # status code, or "no answer"
    latencies_ms: list[float] = field(default_factory=list)
    ok_by_organisation: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    checks: list[tuple[str, bool]] = field(default_factory=list)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed requests per endpoint")
    parser.add_argument("--history", type=int, default=50, help="vote history rows before the timings")
    parser.add_argument("--big-history", type=int, default=200, help="the larger history the counts compare at")
    parser.add_argument("--burst", type=int, default=200, help="concurrent API votes against gunicorn")
    parser.add_argument("--threads", type=int, default=200, help="client threads of the burst")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of one htmx vote's queries")
    args = parser.parse_args(argv)
    if not 2 <= args.runs <= 10_000:
        parser.error("--runs must be from 2 to 10,000")
    if not len(REPRESENTATIVES) <= args.history < args.big_history <= 5_000:
        parser.error(f"need {len(REPRESENTATIVES)} <= --history < --big-history <= 5,000")
    if not 1 <= args.burst <= 5_000 or not 1 <= args.threads <= 500 or not 1 <= args.workers <= 16:
        parser.error("--burst 1..5,000, --threads 1..500, --workers 1..16")
    return args


# --- Set-up ---------------------------------------------------------------------------------------------


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database of ``url`` if it does not exist; True if it was created."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"DATABASE_URL must point at PostgreSQL, not {config['ENGINE']}")
    if config["HOST"] not in ("127.0.0.1", "localhost", "", None):
        raise SystemExit(f"DATABASE_URL must point at this machine (127.0.0.1), not {config['HOST']}")
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        connect_timeout=10,
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


def people() -> dict[str, Person]:
    from alliance.models import Person

    wanted = (MANAGER, *REPRESENTATIVES)
    found = {p.username: p for p in Person.objects.select_related("organisation").filter(username__in=wanted)}
    if missing := set(wanted) - set(found):
        raise SystemExit(f"The demo has no {', '.join(sorted(missing))}")
    return found


def table_decision(alliance: Alliance, manager: Person, label: str) -> Decision:
    from django.utils import timezone

    from governance.selectors import board as selectors
    from governance.services import board as services

    decision_type = selectors.decision_types(alliance.pk).get(code=DECISION_TYPE)
    return services.decision_table(
        actor=manager, alliance=alliance, decision_type=decision_type,
        title=f"{TITLE_PREFIX} {label} {timezone.localtime():%Y-%m-%d %H:%M:%S}",
        description="Tabled by bench/voting.py.", closes_at=timezone.now() + dt.timedelta(days=1),
    )


def history_rows(decision: Decision) -> int:
    from governance.models import Vote

    return Vote.history.filter(decision_id=decision.pk).count()


class Ballots:
    """Each representative's current choice, so that the next vote is always a change."""

    def __init__(self) -> None:
        self.current: dict[str, str | None] = dict.fromkeys(REPRESENTATIVES)

    def next_choice(self, username: str) -> str:
        now = self.current[username]
        choice = CHOICES[(CHOICES.index(now) + 1) % len(CHOICES)] if now else CHOICES[0]
        self.current[username] = choice
        return choice


def cast_until(decision: Decision, reps: dict[str, Person], ballots: Ballots, rows: int) -> None:
    """Representatives cast and change votes in turn (services.vote_cast) until the decision's vote
    history has ``rows`` rows. Each vote adds exactly one history row."""
    from governance.services import board as services

    deadline = time.monotonic() + 120
    for username in itertools.islice(itertools.cycle(REPRESENTATIVES), 10_000):
        if history_rows(decision) >= rows:
            return
        if time.monotonic() > deadline:
            break
        services.vote_cast(actor=reps[username], decision=decision, choice=ballots.next_choice(username))
    raise SystemExit(f"Could not build {rows} history rows on decision {decision.pk}")


# --- In-process measuring -------------------------------------------------------------------------------


class Voting:
    """Signed-in clients and the requests of the four probes on one decision."""

    def __init__(self, reps: dict[str, Person], decision: Decision, ballots: Ballots) -> None:
        self.reps, self.decision, self.ballots = reps, decision, ballots
        self.clients = {}
        for username in REPRESENTATIVES:
            client = Client()
            client.force_login(reps[username])
            self.clients[username] = client

    def request(self, probe: str, voter: str) -> HttpResponse:
        """One request; a vote is cast by ``voter`` and changes their organisation's vote."""
        pk = self.decision.pk
        if probe == VOTE_HTML:
            choice = self.ballots.next_choice(voter)
            response = self.clients[voter].post(
                f"/board/decisions/{pk}/vote/", {"choice": choice}, headers={"HX-Request": "true"}
            )
            self._check(response, probe, b'data-testid="vote-confirmed"' in response.content)
        elif probe == VOTE_API:
            choice = self.ballots.next_choice(voter)
            response = self.clients[voter].post(
                f"/api/governance/decisions/{pk}/vote/", json.dumps({"choice": choice}),
                content_type="application/json",
            )
            slug = self.reps[voter].organisation.slug
            ok = response.status_code == 200 and {"organisation": slug, "choice": choice} in [
                {"organisation": v["organisation"], "choice": v["choice"]} for v in response.json()["votes"]
            ]
            self._check(response, probe, ok)
        elif probe == PAGE:
            response = self.clients[READER].get(f"/board/decisions/{pk}/")
            self._check(response, probe, b'data-testid="vote-panel"' in response.content)
        else:
            response = self.clients[READER].get(f"/api/governance/decisions/{pk}/")
            self._check(response, probe, response.status_code == 200 and response.json()["id"] == pk)
        return response

    @staticmethod
    def _check(response: HttpResponse, probe: str, ok: bool) -> None:
        if response.status_code != 200 or not ok:
            raise SystemExit(f"{probe} answered {response.status_code}: {response.content[:500]!r}")

    def count_queries(self, voter: str) -> dict[str, QueryCount]:
        """Queries of one request per probe; the reads first, so that they see the state as it was set up.
        ``voter`` must already have voted: a vote request is then a change, as in the timings."""
        counts = {}
        for probe in (PAGE, API_GET, VOTE_HTML, VOTE_API):
            with CaptureQueriesContext(connection) as captured:
                self.request(probe, voter)
            counts[probe] = QueryCount(
                count=len(captured),
                sql_ms=sum(float(q["time"]) for q in captured.captured_queries) * 1000,
                statements=tuple(q["sql"] for q in captured.captured_queries),
            )
        return counts

    def time_requests(self, runs: int) -> dict[str, Timing]:
        """Warm up, then ``runs`` rounds of the four probes in turn; the votes cycle over the seven
        representatives (the API vote three places behind the htmx vote)."""
        deadline = time.monotonic() + TIMED_PHASE_SECONDS
        samples: dict[str, list[float]] = {probe: [] for probe in PROBES}
        for number in range(-WARM_UP_ROUNDS, runs):
            if time.monotonic() > deadline:
                raise SystemExit(f"The timings took longer than {TIMED_PHASE_SECONDS} s; stopped")
            voters = {VOTE_HTML: REPRESENTATIVES[number % 7], VOTE_API: REPRESENTATIVES[(number + 3) % 7]}
            for probe in PROBES:
                started = time.perf_counter()
                self.request(probe, voters.get(probe, READER))
                if number >= 0:
                    samples[probe].append((time.perf_counter() - started) * 1000)
        return {
            probe: Timing(
                runs=len(times),
                median_ms=statistics.median(times),
                p95_ms=statistics.quantiles(times, n=20, method="inclusive")[18],
                max_ms=max(times),
            )
            for probe, times in samples.items()
        }


def explain(statements: tuple[str, ...]) -> list[str]:
    """EXPLAIN ANALYZE of the SELECTs (a write would be repeated by ANALYZE, so writes are only listed)."""
    lines = []
    with connection.cursor() as cursor:
        for statement in statements:
            lines += ["", f"  {statement}"]
            if statement.lstrip().upper().startswith("SELECT"):
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
                lines += [f"    {row[0]}" for row in cursor.fetchall()]
    return lines


# --- The burst against gunicorn -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def http_request(port: int, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None, timeout: float = REQUEST_TIMEOUT_SECONDS) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Host": HOST, "Connection": "close", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """gunicorn on 127.0.0.1, started in its own process group and always stopped."""

    def __init__(self, database_url: str, workers: int) -> None:
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bench-voting-gunicorn-", suffix=".log", delete=False)
        env = os.environ | {
            "DEBUG": "false", "SECRET_KEY": "bench-only", "ALLOWED_HOSTS": HOST, "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        command = [
            str(PROJECT_ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", str(workers), "--timeout", "30",
        ]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
            command, cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_until_healthy(self) -> float:
        started = time.monotonic()
        while time.monotonic() - started < SERVER_START_SECONDS:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, _ = http_request(self.port, "GET", "/healthz", timeout=2)
                if status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz within {SERVER_START_SECONDS} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the gunicorn master (it stops its workers), then SIGKILL to its process group."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_SECONDS)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def burst(server: Server, decision: Decision, reps: dict[str, Person], tokens: dict[str, str],
          requests: int, threads: int) -> Burst:
    """``requests`` API votes, released together once the threads are waiting; random voter and choice."""
    result = Burst(requests=requests, threads=min(threads, requests))
    rng = random.Random(decision.pk)
    plan = [(rng.choice(REPRESENTATIVES), rng.choice(CHOICES)) for _ in range(requests)]
    path = f"/api/governance/decisions/{decision.pk}/vote/"
    go = threading.Event()

    def vote(username: str, choice: str) -> tuple[str, int | str, float, bytes]:
        go.wait(timeout=BURST_SECONDS)
        started = time.perf_counter()
        try:
            status, body = http_request(
                server.port, "POST", path, body=json.dumps({"choice": choice}).encode(),
                headers={"Authorization": f"Token {tokens[username]}", "Content-Type": "application/json",
                         "Accept": "application/json"},
            )
        except OSError as error:
            return username, "no answer", (time.perf_counter() - started) * 1000, repr(error).encode()
        return username, status, (time.perf_counter() - started) * 1000, body

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=result.threads, thread_name_prefix="vote")
    try:
        futures = [executor.submit(vote, username, choice) for username, choice in plan]
        time.sleep(0.5)  # let the threads start and wait on the event
        started = time.perf_counter()
        go.set()
        done, not_done = concurrent.futures.wait(futures, timeout=BURST_SECONDS)
        result.elapsed_s = time.perf_counter() - started
    finally:
        go.set()
        executor.shutdown(wait=False, cancel_futures=True)
    result.statuses["no answer"] += len(not_done)
    for future in done:
        username, status, ms, body = future.result()
        result.statuses[status] += 1
        if status == 200:
            result.latencies_ms.append(ms)
            result.ok_by_organisation[reps[username].organisation_id] += 1
        elif len(result.errors) < 5:
            result.errors.append(f"{username}: {status} {body[:300]!r}")
    return result


def verify_burst(result: Burst, decision: Decision) -> None:
    """The database after the burst: one current vote per voting organisation, one history row per
    successful request, each current vote the organisation's latest history row, no vote left to cast."""
    from django.contrib.contenttypes.models import ContentType

    from alliance.models import Obligation, ObligationKind, ObligationStatus
    from governance.models import Decision as DecisionModel
    from governance.models import Vote
    from governance.selectors import board as selectors

    voters = {o.pk for o in selectors.voters_of(decision)}
    votes = list(Vote.objects.filter(decision=decision))
    by_org = Counter(v.organisation_id for v in votes)
    voted = set(result.ok_by_organisation)
    result.checks.append(
        (f"current Vote rows: {len(votes)} for {len(by_org)} organisations (expected {len(voted)}, one each)",
         len(votes) == len(voted) == len(by_org) and set(by_org) == voted and voted <= voters)
    )
    history = Vote.history.filter(decision_id=decision.pk)
    ok = sum(result.ok_by_organisation.values())
    result.checks.append((f"history rows: {history.count()} for {ok} successful requests", history.count() == ok))
    per_org = Counter(history.values_list("organisation_id", flat=True))
    result.checks.append(("history rows per organisation = its successful requests",
                          per_org == result.ok_by_organisation))
    latest = {}
    for row in history.order_by("history_date", "history_id"):
        latest[row.organisation_id] = row.choice
    result.checks.append(("each current vote = its organisation's latest history row",
                          all(latest.get(v.organisation_id) == v.choice for v in votes)))
    open_asks = Obligation.objects.filter(
        subject_type=ContentType.objects.get_for_model(DecisionModel), subject_id=decision.pk,
        kind=ObligationKind.BOARD_VOTE, status=ObligationStatus.OPEN,
    ).count()
    result.checks.append((f"'Vote on …' obligations left open: {open_asks} (expected {len(voters - voted)})",
                          open_asks == len(voters - voted)))


def server_phase(args: argparse.Namespace, database_url: str, alliance: Alliance,
                 reps: dict[str, Person], manager: Person) -> tuple[Burst, float, Decision]:
    from rest_framework.authtoken.models import Token

    server = Server(database_url, args.workers)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops gunicorn
    try:
        ready_s = server.wait_until_healthy()
        decision = table_decision(alliance, manager, "burst")
        tokens = {u: Token.objects.get_or_create(user=reps[u])[0].key for u in REPRESENTATIVES}
        # Warm-up: a few reads so that the workers have imported everything and opened their connection.
        for _ in range(3 * args.workers):
            http_request(server.port, "GET", f"/api/governance/decisions/{decision.pk}/",
                         headers={"Authorization": f"Token {tokens[READER]}", "Accept": "application/json"})
        result = burst(server, decision, reps, tokens, args.burst, args.threads)
        if any(isinstance(s, int) and s >= 500 for s in result.statuses):
            result.errors.append(f"gunicorn log:\n{server.log_tail()}")
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    verify_burst(result, decision)
    return result, ready_s, decision


# --- Report ---------------------------------------------------------------------------------------------


def machine() -> list[str]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
             if line.startswith("model name")),
            "",
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"Machine:  nproc {cpus}{f' ({model})' if model else ''}, {platform.system()} {platform.release()}, "
        f"load average {load} (1, 5, 15 min, at the end)",
        f"Software: Python {platform.python_version()} ({platform.python_implementation()}), "
        f"Django {django.get_version()}, database {connection.vendor} {server_version}",
    ]


def percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def report(args: argparse.Namespace, timings: dict[str, Timing], counts: dict[str, dict[str, QueryCount]],
           history_span: tuple[int, int], result: Burst, ready_s: float) -> bool:
    """Print the tables and the verdict; True when the targets are met."""
    states = list(counts)
    header = (f"{'request':<15} {'runs':>5} {'median ms':>10} {'p95 ms':>7} {'max ms':>7} {'sql ms':>7}  "
              + " ".join(f"{s:>{len(s)}}" for s in states) + "  constant")
    print(f"In-process (django.test.Client), vote history {history_span[0]} → {history_span[1]} rows during "
          "the timings; queries per request at:")
    print(header)
    print("-" * len(header))
    constant = {}
    for probe in PROBES:
        timing, per_state = timings[probe], [counts[s][probe].count for s in states]
        constant[probe] = len(set(per_state)) == 1
        print(f"{probe:<15} {timing.runs:>5} {timing.median_ms:>10.1f} {timing.p95_ms:>7.1f} {timing.max_ms:>7.1f} "
              f"{counts[states[-1]][probe].sql_ms:>7.1f}  "
              + " ".join(f"{c:>{len(s)}}" for s, c in zip(states, per_state, strict=True))
              + f"  {'yes' if constant[probe] else 'NO'}")
    print("sql ms: database time of one request at the last state (DEBUG cursor). A vote here is always a "
          "change of an\norganisation's vote; an organisation's first vote also meets its 'Vote on …' "
          "obligation (a few more queries).")
    print()
    print(f"constant: {'yes' if constant[PAGE] else 'no'} (decision page queries at 1 vote, 7 votes, "
          f"{args.history} and {args.big_history} history rows)")

    print()
    print(f"Burst: gunicorn {args.workers} sync workers on {HOST} (ready in {ready_s:.1f} s), "
          f"{result.requests} API votes from {result.threads} threads released together")
    answered = result.requests - result.statuses["no answer"]
    five_xx = sum(n for s, n in result.statuses.items() if isinstance(s, int) and s >= 500)
    ok = result.statuses[200]
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(result.statuses.items(), key=lambda x: str(x[0])) if n)
    lat = sorted(result.latencies_ms)
    rows = [
        ("answered", f"{answered} of {result.requests}{' (all)' if answered == result.requests else ''}"),
        ("status codes", statuses),
        ("5xx", str(five_xx)),
        ("elapsed", f"{result.elapsed_s:.2f} s"),
        ("throughput", f"{answered / result.elapsed_s:.0f} requests/s" if result.elapsed_s else "-"),
        ("latency (200s)", f"p50 {percentile(lat, 50):.0f} ms, p95 {percentile(lat, 95):.0f} ms, "
                           f"p99 {percentile(lat, 99):.0f} ms, max {max(lat, default=float('nan')):.0f} ms"),
    ]
    for label, value in rows:
        print(f"  {label:<16} {value}")
    print("  database checks:")
    for label, passed in result.checks:
        print(f"    [{'ok' if passed else 'FAILED'}] {label}")
    for error in result.errors:
        print(f"  error: {error}")

    worst_vote = max((timings[p] for p in VOTES), key=lambda t: t.p95_ms)
    burst_ok = answered == result.requests and five_xx == 0 and ok == result.requests and all(
        passed for _, passed in result.checks)
    met = worst_vote.p95_ms < TARGET_VOTE_P95_MS and constant[PAGE] and burst_ok
    print()
    print(f"Targets: p95 under {TARGET_VOTE_P95_MS:.0f} ms for a vote (htmx and API); decision page queries "
          "constant in votes and history;\n         burst all answered 200, no 5xx, database consistent.")
    print(
        f"Result: {'MET' if met else 'NOT MET'} — worst vote p95 {worst_vote.p95_ms:.1f} ms; page queries "
        f"{'constant' if constant[PAGE] else 'NOT constant'}; burst {ok}/{result.requests} OK, {five_xx} 5xx, "
        f"database {'consistent' if all(p for _, p in result.checks) else 'NOT consistent'}."
    )
    return met


def close_bench_decisions(manager: Person) -> int:
    """Close this script's open decisions, so that runs do not pile up open decisions in the database."""
    from governance.models import Decision
    from governance.models.board import DecisionStatus
    from governance.services import board as services

    closed = 0
    for decision in Decision.objects.filter(status=DecisionStatus.OPEN, title__startswith=TITLE_PREFIX)[:50]:
        services.decision_close(actor=manager, decision=decision)
        closed += 1
    return closed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    # The tabling services email each representative: not from a benchmark (nor onto its output).
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    created = ensure_database(database_url)
    setup_django()
    from alliance.dates import local_today

    name = connection.settings_dict["NAME"]
    print(f"Database {name}{' (created)' if created else ''}: migrating and seeding…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    alliance = demo_alliance()
    everyone = people()
    manager, reps = everyone[MANAGER], {u: everyone[u] for u in REPRESENTATIVES}
    from governance.services import board as services

    # 1. Query counts on a fresh decision: 1 vote, then all 7.
    counts: dict[str, dict[str, QueryCount]] = {}
    fresh, fresh_ballots = table_decision(alliance, manager, "fresh"), Ballots()
    services.vote_cast(actor=reps["sro"], decision=fresh, choice=fresh_ballots.next_choice("sro"))
    on_fresh = Voting(reps, fresh, fresh_ballots)
    counts["@1 vote"] = on_fresh.count_queries("sro")
    for username in REPRESENTATIVES[1:]:
        services.vote_cast(actor=reps[username], decision=fresh, choice=fresh_ballots.next_choice(username))
    counts["@7 votes"] = on_fresh.count_queries("sro")

    # 2. The benchmark decision with --history rows, and --big-history inside a rolled-back transaction.
    decision, ballots = table_decision(alliance, manager, "timed"), Ballots()
    cast_until(decision, reps, ballots, args.history)
    voting = Voting(reps, decision, ballots)
    counts[f"@{args.history} hist"] = voting.count_queries("sro")
    saved = dict(ballots.current)
    with transaction.atomic():
        cast_until(decision, reps, ballots, args.big_history)
        counts[f"@{args.big_history} hist"] = voting.count_queries("sro")
        transaction.set_rollback(True)
    ballots.current = saved

    # 3. The timings, DEBUG off.
    before = history_rows(decision)
    print(f"Timing {args.runs} rounds in-process…", flush=True)
    with override_settings(DEBUG=False):
        timings = voting.time_requests(args.runs)
    history_span = (before, history_rows(decision))
    vote_statements = voting.count_queries("sro")[VOTE_HTML].statements if args.explain else ()

    # 4. The burst against gunicorn.
    print(f"Burst of {args.burst} API votes against gunicorn…", flush=True)
    result, ready_s, _ = server_phase(args, database_url, alliance, reps, manager)

    closed = close_bench_decisions(manager)
    print()
    print(f"Voting benchmark — {alliance.name}, {local_today():%-d %b %Y}; decision type {DECISION_TYPE} "
          f"(majority); {closed} benchmark decisions closed at the end")
    for line in machine():
        print(line)
    print(f"Method:   in-process: {WARM_UP_ROUNDS} warm-up rounds, then {args.runs} timed rounds of the four "
          f"requests in turn;\n          DEBUG off; persistent connection; page and API read as {READER}.")
    print()
    report(args, timings, counts, history_span, result, ready_s)
    if args.explain:
        print()
        print("EXPLAIN ANALYZE of one htmx vote's queries:")
        for line in explain(vote_statements):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
