"""Fault: Redis (the Celery broker) is down for ``--seconds`` (default 60) while board members vote.

A private PostgreSQL (5439) and Redis (6391) used as REDIS_URL / CELERY_BROKER_URL by gunicorn (4 sync workers)
and a Celery worker; an SMTP sink on loopback. Eight HTTP clients vote through the API and read pages for
``--before`` seconds, then Redis is stopped for ``--seconds`` and started again (empty, as after a crash without
persistence), then ``--after`` seconds more. While it is down this script also tries to enqueue the reminder
sweep itself, to time how long a publish blocks (no request path enqueues a task: see the report).

Checks: no 5xx and no unanswered request at any time; latency bounded during the outage (p99 below
``--bound-ms``); every acknowledged vote stored (vote history rows = votes answered 200, and the current votes
consistent); the worker reconnects by itself and, triggered after Redis is back, the reminder sweep sends every
due reminder once (one Reminder row per due reminder, one email per reminder and address).

    .venv/bin/python bench/faults/redis_down.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import _harness as h  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long Redis stays down")
    parser.add_argument("--before", type=int, default=10)
    parser.add_argument("--after", type=int, default=15)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--bound-ms", type=float, default=5000, help="p99 allowed while Redis is down")
    parser.add_argument("--pg-port", type=int, default=5439)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    if not 5 <= args.seconds <= 600 or not 1 <= args.threads <= 64:
        parser.error("--seconds 5..600, --threads 1..64")
    return args


def timed_publish() -> tuple[float, str]:
    """Enqueue the sweep with the app's own settings while the broker is down: how long until it gives up."""
    from alliance.tasks import send_reminders

    outcome: list[str] = []

    def publish() -> None:
        try:
            send_reminders.delay()
            outcome.append("accepted (?)")
        except Exception as error:  # noqa: BLE001 - what kombu raises is the figure
            outcome.append(type(error).__name__)

    started = time.monotonic()
    thread = threading.Thread(target=publish, daemon=True)
    thread.start()
    thread.join(timeout=60)
    return time.monotonic() - started, outcome[0] if outcome else "still blocked after 60 s"


def stats(rows: list) -> str:
    times = sorted(r[3] for r in rows)
    codes = Counter(r[2] for r in rows)
    return (f"{len(rows)} requests, p50 {h.percentile(times, 50):.0f} ms, p95 {h.percentile(times, 95):.0f} ms, "
            f"p99 {h.percentile(times, 99):.0f} ms, max {max(times, default=0):.0f} ms; statuses "
            + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items(), key=str)))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sink = h.SmtpSink()
    extra = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": h.HOST,
             "EMAIL_PORT": str(sink.port), "REMINDER_SWEEP_SECONDS": "86400"}
    checks: list[tuple[str, bool]] = []
    figures: list[str] = []
    try:
        with h.PrivateStack(redis=True, pg_port=args.pg_port, redis_port=args.redis_port, **extra) as stack:
            from alliance.models import Reminder
            from alliance.tasks import send_reminders
            from governance.models import Vote

            decisions, tokens, session = h.board_fixture(5, "Redis fault resolution")
            server = stack.start(h.Gunicorn(stack.env, workers=4))
            worker = stack.start(h.CeleryWorker(stack.env))
            server.wait_healthy()
            worker.wait_ready()
            sink.messages.clear()
            history_before = Vote.history.filter(decision_id__in=decisions).count()
            load = h.BoardLoad(server.port, decisions, tokens, session, threads=args.threads)
            load.start()
            time.sleep(args.before)
            down_at = time.monotonic() - load.t0
            stack.redis.stop()
            print(f"Redis stopped at {down_at:.1f} s; down for {args.seconds} s…", flush=True)
            time.sleep(min(5, args.seconds / 4))
            publish_s, publish_outcome = timed_publish()
            time.sleep(max(0.0, down_at + args.seconds - (time.monotonic() - load.t0)))
            stack.redis.start()
            up_at = time.monotonic() - load.t0
            time.sleep(args.after)
            load.stop()
            worker_alive = worker.alive()

            before, during, after = (load.in_window(0, down_at), load.in_window(down_at, up_at),
                                     load.in_window(up_at, 1e9))
            everything = before + during + after
            errors = [r for r in everything if h.is_error(r[2])]
            during_times = sorted(r[3] for r in during)
            history_rows = Vote.history.filter(decision_id__in=decisions).count() - history_before
            figures += [f"- before ({down_at:.0f} s): {stats(before)}",
                        f"- Redis down ({up_at - down_at:.0f} s): {stats(during)}",
                        f"- after ({args.after} s): {stats(after)}",
                        f"- votes acknowledged: {len(load.acknowledged)}, vote history rows: {history_rows}",
                        f"- a publish (send_reminders.delay()) with the broker down: {publish_outcome} after "
                        f"{publish_s:.1f} s",
                        f"- Celery worker still running after the outage: {worker_alive}"]
            checks += [(f"no 5xx or unanswered request ({len(errors)} of {len(everything)})", not errors),
                       (f"p99 while Redis was down under {args.bound_ms:.0f} ms",
                        h.percentile(during_times, 99) < args.bound_ms),
                       ("every acknowledged vote stored (history rows = votes answered 200)",
                        history_rows == len(load.acknowledged)),
                       *h.votes_consistent(decisions),
                       ("the worker survived the outage", worker_alive)]

            # Reminders: nothing was sent while the broker was away; after it is back the sweep goes through
            # the reconnected worker and sends each due reminder once.
            due = h.due_reminder_keys()
            done_before = worker.log_text().count("succeeded in")
            send_reminders.delay()
            h.wait_for(lambda: worker.log_text().count("succeeded in") > done_before, 300, "the sweep after Redis")
            send_reminders.delay()  # a second sweep sends nothing more
            h.wait_for(lambda: worker.log_text().count("succeeded in") > done_before + 1, 300, "a second sweep")
            time.sleep(0.5)
            keys = Counter(Reminder.objects.values_list("obligation_id", "due_date", "offset_days"))
            expected = h.expected_emails()
            received = Counter(sink.messages)
            lost = sum(max(0, n - received.get(k, 0)) for k, n in expected.items())
            duplicates = sum(max(0, n - expected.get(k, 0)) for k, n in received.items())
            figures.append(f"- reminders due: {len(due)}; Reminder rows: {sum(keys.values())}; emails: "
                           f"{sink.count()} (expected {sum(expected.values())}), lost {lost}, duplicated {duplicates}")
            checks += [("every due reminder has exactly one Reminder row",
                        set(keys) >= due and max(keys.values(), default=1) == 1),
                       ("each reminder emailed once per address", lost == 0 and duplicates == 0)]
            if errors:
                figures.append(f"- first errors: {[(round(e[0], 1), e[4], e[2]) for e in errors[:5]]}")
                figures.append("```\n" + server.log_tail(15) + "\n```")
    finally:
        sink.stop()
    ok = h.report_checks(
        "bench/faults/redis_down.py",
        f"gunicorn 4 sync workers, {args.threads} client threads (API votes 50 %, API reads 20 %, pages 30 %); "
        f"private Redis stopped for {args.seconds} s.",
        figures, checks, write=not args.no_results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
