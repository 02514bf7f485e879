"""Mixed load with Locust (headless) against gunicorn and PostgreSQL, production-like settings (DEBUG off).

Users (bench/load_locustfile.py), weights 4 : 3 : 1:

* board members: the seven voting organisations' representatives (``sro``, ``<partner>-rep``) read the Board
  page and decisions, vote For / Against / Abstain with the one-click form (htmx POST, session and CSRF) and the
  API (``/api/governance/decisions/<pk>/vote/``, DRF token), on ``--decisions`` open written resolutions;
* partners (``<partner>-staff``): the scorecard (``/performance/``), What's due (``/due/``) and home;
* the Alliance Manager: the risk register, the instructions register, allocation and the schemes register.

Everyone but the SRO and the Alliance Manager signs in through the sign-in form (CSRF included) once, before the
clock starts (the Locust users of one person share the session). Those two are
the logins two-factor protects: the seed step makes their sessions directly in the session store, with a TOTP
device's id in the session when django-otp is installed (so a verified session either way).

Phases: (1) offered load of ``--rps`` requests per second for ``--seconds``: ``--users`` users, each starting its
requests as a Poisson process of ``rps / users`` per second, so that together they offer a Poisson stream, as
independent people do (Locust's ``constant_throughput`` kept all users in step: a burst of one request per user
every half second, which queued for 300 ms at 4 workers and measured the load generator more than the server);
(2) the maximum: ``--max-users`` users sending as fast as answers come for ``--max-seconds``.
Locust runs on the same two cores as gunicorn and PostgreSQL, so phase 2 is a floor of the server's capacity.
It prints, per endpoint, requests, requests per second, p50 / p95 / p99 / max and errors (5xx separately), the
CPU each request cost (the machine's, gunicorn's, PostgreSQL's, Locust's: from /proc over the phase), checks the
database (one vote history row per acknowledged vote) and writes the figures into bench/RESULTS.md.

Run from the project root (the database ``alliance_bench_load`` on the shared PostgreSQL is dropped and created
again, migrated and seeded by the script, so that every run starts from the same data; nothing else there is
touched)::

    .venv/bin/python bench/load.py                    # 60 s at 50 rps, then 30 s flat out
    .venv/bin/python bench/load.py --seconds 20 --max-seconds 10 --workers 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h  # noqa: E402

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_load"
LOCUSTFILE = Path(__file__).resolve().parent / "load_locustfile.py"
TARGET_P95_MS = 200.0
PARTNERS = ("fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty")
REPRESENTATIVES = ("sro", *(f"{p}-rep" for p in PARTNERS))
STAFF = tuple(f"{p}-staff" for p in PARTNERS)
TWO_FACTOR_USERS = ("sro", "alliance-manager")
VOTES = ("POST vote (htmx form)", "POST vote (API)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rps", type=float, default=50.0, help="offered load of phase 1")
    parser.add_argument("--users", type=int, default=25, help="Locust users of phase 1")
    parser.add_argument("--seconds", type=int, default=60, help="length of phase 1")
    parser.add_argument("--max-users", type=int, default=24, help="Locust users of phase 2 (0: skip it)")
    parser.add_argument("--max-seconds", type=int, default=30, help="length of phase 2")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gthread)")
    parser.add_argument("--decisions", type=int, default=20, help="open decisions the board votes on")
    parser.add_argument("--no-results", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args(argv)
    if not (5 <= args.seconds <= 600 and 0 <= args.max_seconds <= 600 and 1 <= args.users <= 200
            and 0 <= args.max_users <= 200 and 1 <= args.workers <= 16 and 1 <= args.decisions <= 200):
        parser.error("out of range: --seconds 5..600, --users 1..200, --workers 1..16, --decisions 1..200")
    return args


# --- Seed -------------------------------------------------------------------------------------------------


def seed(args: argparse.Namespace, samples_path: Path) -> dict:
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from alliance import demo
    from alliance.models import Alliance, Person
    from governance.selectors import board as selectors
    from governance.services import board as services

    alliance = Alliance.objects.get(slug=demo.ALLIANCE_SLUG)
    people = {p.username: p for p in Person.objects.filter(username__in=[*REPRESENTATIVES, "alliance-manager"])}
    decision_type = selectors.decision_types(alliance.pk).get(code="key-person-appointment")
    decisions = [
        services.decision_table(
            actor=people["alliance-manager"], alliance=alliance, decision_type=decision_type,
            title=f"Load test resolution {i + 1}", description="Tabled by bench/load.py.",
            closes_at=timezone.now() + dt.timedelta(days=1),
        ).pk
        for i in range(args.decisions)
    ]
    return {
        "decisions": decisions,
        "tokens": {u: Token.objects.get_or_create(user=people[u])[0].key for u in REPRESENTATIVES},
        "sessions": {u: h.verified_session(people[u]) for u in TWO_FACTOR_USERS},
        "samples_path": str(samples_path),
    }


def sign_in(port: int, username: str) -> tuple[str, float]:
    """Sign in through the sign-in form over HTTP (CSRF cookie and field, as a browser sends them); the session
    id and the milliseconds it took. The session cookie is Secure with DEBUG off, so it is read off the reply."""
    csrf = secrets.token_hex(16)
    started = time.perf_counter()
    conn = http.client.HTTPConnection(h.HOST, port, timeout=60)
    try:
        conn.request("POST", "/accounts/login/", body=urlencode(
            {"username": username, "password": "demo", "csrfmiddlewaretoken": csrf}).encode(),
            headers={"Host": h.HOST, "Cookie": f"csrftoken={csrf}",
                     "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    finally:
        conn.close()
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"Sign-in of {username} answered {response.status}, no session")
    return cookies["sessionid"].value, (time.perf_counter() - started) * 1000


def vote_history_rows(decision_ids: list[int]) -> int:
    from governance.models import Vote

    return Vote.history.filter(decision_id__in=decision_ids).count()


# --- Run --------------------------------------------------------------------------------------------------


def run_locust(port: int, config_path: Path, users: int, rate_per_user: float, seconds: int) -> dict:
    env = os.environ | {"LOAD_CONFIG": str(config_path), "LOAD_RATE_PER_USER": str(rate_per_user)}
    command = [str(h.VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r", str(users),
               "--run-time", f"{seconds}s", "--host", f"http://{h.HOST}:{port}", "--only-summary",
               "--loglevel", "WARNING", "--stop-timeout", "5", "--exit-code-on-error", "0"]
    started = time.monotonic()
    done = subprocess.run(command, cwd=h.PROJECT_ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=seconds + 120, check=False)
    elapsed = time.monotonic() - started
    samples_path = Path(json.loads(config_path.read_text())["samples_path"])
    if done.returncode != 0 or not samples_path.exists():
        raise SystemExit(f"locust failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    data = json.loads(samples_path.read_text())
    samples_path.unlink()
    data["seconds"] = seconds
    data["elapsed"] = elapsed
    return data


def summarise(data: dict) -> list[dict]:
    rows = []
    names = sorted(data["samples"])
    everything: list[float] = []
    totals: Counter = Counter()
    for name in names:
        times = sorted(data["samples"][name])
        everything += times
        statuses = Counter({k: v for k, v in data["statuses"][name].items()})
        totals += statuses
        rows.append(row(name, times, statuses, data["seconds"]))
    rows.append(row("All", sorted(everything), totals, data["seconds"]))
    return rows


def row(name: str, times: list[float], statuses: Counter, seconds: int) -> dict:
    five = sum(n for s, n in statuses.items() if s.isdigit() and int(s) >= 500)
    errors = sum(n for s, n in statuses.items() if not (s.isdigit() and 200 <= int(s) < 400))
    return {"name": name, "count": len(times), "rps": len(times) / seconds, "p50": h.percentile(times, 50),
            "p95": h.percentile(times, 95), "p99": h.percentile(times, 99), "max": max(times, default=float("nan")),
            "errors": errors, "5xx": five, "statuses": dict(statuses)}


def cpu_line(data: dict, total: dict) -> str:
    """Where the CPU went in the phase: per request, the machine's, gunicorn's, PostgreSQL's and Locust's."""
    cpu, count = data.get("cpu"), total["count"]
    if not cpu or not count:
        return ""
    per = {k: v * 1000 / count for k, v in cpu.items()}
    busy = cpu["machine"] / data["elapsed"] / (os.cpu_count() or 1) * 100
    return (f"CPU per request: {per['machine']:.1f} ms in all (the machine {busy:.0f} % busy over the phase): "
            f"gunicorn {per['gunicorn']:.1f} ms, PostgreSQL {per['postgres']:.1f} ms, Locust {per['children']:.1f} ms, "
            f"the rest {per['machine'] - per['gunicorn'] - per['postgres'] - per['children']:.1f} ms.")


def table(rows: list[dict]) -> list[str]:
    lines = [f"| {'endpoint':<30} | {'requests':>8} | {'req/s':>6} | {'p50 ms':>6} | {'p95 ms':>6} | {'p99 ms':>6} "
             f"| {'max ms':>6} | {'errors':>6} | {'5xx':>4} |",
             f"|{'-' * 32}|{'-' * 9}:|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|{'-' * 7}:|{'-' * 5}:|"]
    for r in rows:
        name = f"**{r['name']}**" if r["name"] == "All" else r["name"]
        lines.append(f"| {name:<30} | {r['count']:>8} | {r['rps']:>6.1f} | {r['p50']:>6.0f} | {r['p95']:>6.0f} "
                     f"| {r['p99']:>6.0f} | {r['max']:>6.0f} | {r['errors']:>6} | {r['5xx']:>4} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = h.django_env(DATABASE_URL)
    h.apply_env(env)
    print("Migrating and seeding alliance_bench_load…", flush=True)
    h.ensure_database(DATABASE_URL, fresh=True)
    h.collectstatic()
    h.setup_django_and_seed()
    from django.conf import settings

    scratch = Path(tempfile.mkdtemp(prefix="bench-load-"))
    config_path = scratch / "config.json"
    config = seed(args, scratch / "samples.json")
    config_path.write_text(json.dumps(config))
    two_factor = "django_otp" in settings.INSTALLED_APPS
    server = h.Gunicorn(env, workers=args.workers, threads=args.threads)
    phases: list[tuple[str, dict, list[dict]]] = []
    try:
        ready = server.wait_healthy()
        # Sign-ins happen once per person, before the clock starts: a password hash costs about a second of
        # CPU by design, and people do not sign in fifty times a minute.
        sign_in_ms = []
        for username in (*REPRESENTATIVES, *STAFF):
            if username not in config["sessions"]:
                config["sessions"][username], ms = sign_in(server.port, username)
                sign_in_ms.append(ms)
        config_path.write_text(json.dumps(config))
        # Warm-up: every worker imports its views and opens its connection before the clock starts.
        run_locust(server.port, config_path, users=args.workers * 2, rate_per_user=5, seconds=5)
        history_before = vote_history_rows(config["decisions"])
        print(f"gunicorn ready in {ready:.1f} s; phase 1: {args.rps:.0f} rps offered for {args.seconds} s…", flush=True)
        clock = h.CpuClock(server.process.pid)
        clock.start()
        data = run_locust(server.port, config_path, args.users, args.rps / args.users, args.seconds)
        data["cpu"] = clock.stop()
        phases.append((f"offered {args.rps:.0f} req/s ({args.users} users) for {args.seconds} s", data, summarise(data)))
        if args.max_users:
            print(f"phase 2: {args.max_users} users flat out for {args.max_seconds} s…", flush=True)
            clock.start()
            data = run_locust(server.port, config_path, args.max_users, 0, args.max_seconds)
            data["cpu"] = clock.stop()
            phases.append((f"maximum: {args.max_users} users without pause for {args.max_seconds} s", data,
                           summarise(data)))
        log_5xx = server.log_tail(20) if any(p[2][-1]["5xx"] for p in phases) else ""
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    acknowledged = sum(int(s.get("200", 0)) for _, d, _ in phases for n, s in d["statuses"].items() if n in VOTES)
    history_rows = vote_history_rows(config["decisions"]) - history_before

    worker_kind = f"{args.workers} {'gthread ×' + str(args.threads) if args.threads > 1 else 'sync'} workers"
    lines = [f"Date {h.run_date()}; machine: {h.machine()}.",
             f"gunicorn {worker_kind}, DEBUG off, PostgreSQL 15 (shared server, own database), "
             f"{args.decisions} open decisions; Locust on the same 2 cores; two-factor app "
             f"{'installed (SRO and Alliance Manager sessions verified by a TOTP device)' if two_factor else 'not installed yet'}.",
             f"Sign-in through the form before the clock starts: {len(sign_in_ms)} people, median "
             f"{h.percentile(sign_in_ms, 50):.0f} ms, max {max(sign_in_ms):.0f} ms (one at a time). "
             f"Load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min; "
             "this run's own processes included; anything above 3 means something else ran too).",
             ""]
    verdicts = []
    for title, data, rows in phases:
        total = rows[-1]
        lines += [f"**{title}**: sustained {total['rps']:.1f} req/s, p95 {total['p95']:.0f} ms, "
                  f"{total['errors']} errors ({total['5xx']} 5xx).", "", *table(rows), "", cpu_line(data, total), ""]
    first = phases[0][2]
    worst = max(first[:-1], key=lambda r: r["p95"])
    met = first[-1]["5xx"] == 0 and first[-1]["errors"] == 0 and worst["p95"] < TARGET_P95_MS
    verdicts.append(f"Target at {args.rps:.0f} req/s (zero 5xx, every endpoint's p95 under {TARGET_P95_MS:.0f} ms): "
                    f"{'MET' if met else 'NOT MET'} (worst p95 {worst['p95']:.0f} ms, {worst['name']}).")
    consistent = acknowledged == history_rows
    verdicts.append(f"Database: {history_rows} vote history rows for {acknowledged} acknowledged votes: "
                    f"{'consistent' if consistent else 'NOT consistent'}.")
    lines += verdicts
    print()
    print("\n".join(lines))
    if log_5xx:
        print("\ngunicorn log tail:\n" + log_5xx)
    if not args.no_results:
        h.write_results("bench/load.py", lines)
    return 0 if met and consistent else 1


if __name__ == "__main__":
    sys.exit(main())
