"""Fault: the Celery worker is SIGKILLed in the middle of the reminder sweep; is each reminder sent exactly once?

A private PostgreSQL (5439) and Redis (6391, the Celery broker), an SMTP sink on loopback (the mail transport;
a message counts as sent when the sink answers 250 to its DATA). ``--obligations`` obligations (default 2,000)
fall due today, each with one responsible representative, so ``alliance.send_reminders`` has that many reminders
to send (plus the demo's own). A worker (``--pool solo``) takes the sweep; when about ``--kill-at`` of them have
gone out, the worker's process group gets SIGKILL (no clean-up). A new worker starts, the sweep is triggered
again, and once more after ``REMINDER_EMAIL_RETRY_SECONDS`` (set to a few seconds here).

Checks: one Reminder row per due reminder; every Reminder row confirmed emailed; each (reminder, address)
received by the sink exactly once. A duplicate is possible only if the kill lands between the transport's
250 and the ``emailed`` flag's commit (the residual window, reported); a lost email is a failure.

    .venv/bin/python bench/faults/worker_kill.py [--obligations 2000] [--kill-at 0.4]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import _harness as h  # noqa: E402

TITLE = "Fault reminder"
RETRY_SECONDS = 5
SWEEP_SECONDS = 600  # a sweep that has not finished by then is a failure


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--obligations", type=int, default=2000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="fraction of the emails sent when the kill lands")
    parser.add_argument("--pg-port", type=int, default=5439)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    if not 10 <= args.obligations <= 20_000 or not 0.05 <= args.kill_at <= 0.95:
        parser.error("--obligations 10..20,000, --kill-at 0.05..0.95")
    return args


def make_obligations(count: int) -> None:
    from alliance import demo, services
    from alliance.dates import local_today
    from alliance.models import Alliance, ObligationKind, Person

    alliance = Alliance.objects.get(slug=demo.ALLIANCE_SLUG)
    reps = list(Person.objects.filter(username__endswith="-rep").order_by("username"))
    today = local_today()
    services.obligations_open_bulk(actor=None, obligations=[
        {"alliance": alliance, "kind": ObligationKind.OTHER, "title": f"{TITLE} {i:05d}", "start_date": today,
         "due_date": today, "responsible_organisation": reps[i % len(reps)].organisation,
         "responsible_person": reps[i % len(reps)]}
        for i in range(count)
    ])


def sweep_done(worker: h.CeleryWorker, runs: int) -> bool:
    text = worker.log_text()
    return text.count("alliance.send_reminders") and text.count("succeeded in") >= runs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sink = h.SmtpSink()
    extra = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": h.HOST,
             "EMAIL_PORT": str(sink.port), "REMINDER_EMAIL_RETRY_SECONDS": str(RETRY_SECONDS),
             "REMINDER_SWEEP_SECONDS": "86400"}
    figures: dict[str, object] = {}
    try:
        with h.PrivateStack(redis=True, pg_port=args.pg_port, redis_port=args.redis_port, **extra) as stack:
            from alliance.models import Reminder
            from alliance.tasks import send_reminders

            make_obligations(args.obligations)
            due = h.due_reminder_keys()
            figures["due reminders"] = len(due)
            worker = stack.start(h.CeleryWorker(stack.env, "worker1"))
            worker.wait_ready()
            sink.messages.clear()
            send_reminders.delay()
            target = int(len(due) * args.kill_at)
            h.wait_for(lambda: sink.count() >= target, SWEEP_SECONDS, f"{target} emails")
            worker.kill()
            killed_at = time.monotonic()
            figures["emails when killed"] = sink.count()
            figures["Reminder rows when killed"] = Reminder.objects.count()
            figures["claimed, email unconfirmed, when killed"] = Reminder.objects.filter(emailed=False,
                                                                                        recipients__gt=0).count()
            worker2 = stack.start(h.CeleryWorker(stack.env, "worker2"))
            worker2.wait_ready()
            send_reminders.delay()
            h.wait_for(lambda: sweep_done(worker2, 1), SWEEP_SECONDS, "the second sweep")
            figures["emails after the second sweep"] = sink.count()
            time.sleep(max(0.0, RETRY_SECONDS + 1 - (time.monotonic() - killed_at)))
            send_reminders.delay()  # after the retry period: unconfirmed claims are claimed again
            h.wait_for(lambda: sweep_done(worker2, 2), SWEEP_SECONDS, "the third sweep")
            time.sleep(0.5)

            rows = list(Reminder.objects.all())
            keys = Counter((r.obligation_id, r.due_date, r.offset_days) for r in rows)
            expected = h.expected_emails()
            received = Counter(sink.messages)
            lost = sum(max(0, n - received.get(k, 0)) for k, n in expected.items())
            duplicates = sum(max(0, n - expected.get(k, 0)) for k, n in received.items())
            figures |= {
                "Reminder rows": len(rows), "rows per reminder key (max)": max(keys.values(), default=0), "due reminders without a row": len(due - set(keys)),
                "rows unconfirmed (emailed=False) at the end": sum(1 for r in rows if not r.emailed and r.recipients),
                "emails expected (reminder × address)": sum(expected.values()), "emails received": sink.count(),
                "lost emails": lost, "duplicate emails": duplicates,
            }
    finally:
        sink.stop()
    ok = (figures["due reminders without a row"] == 0 and figures["lost emails"] == 0
          and figures["rows unconfirmed (emailed=False) at the end"] == 0 and figures["duplicate emails"] <= 1)
    verdict = "PASS" if ok else "FAIL"
    lines = [f"Date {h.run_date()}; machine: {h.machine()}.",
             f"{args.obligations} obligations due today; worker SIGKILLed at about {args.kill_at:.0%} of the emails; "
             f"restarted; sweep triggered twice more (the second after REMINDER_EMAIL_RETRY_SECONDS={RETRY_SECONDS}).", ""]
    lines += [f"- {k}: {v}" for k, v in figures.items()]
    lines += ["", f"**{verdict}**: every due reminder has one row and every row its email"
              f"{'' if figures['duplicate emails'] == 0 else ' (a duplicate from the residual window)'}; "
              f"lost {figures['lost emails']}, duplicated {figures['duplicate emails']}."]
    print("\n".join(lines))
    if not args.no_results:
        h.write_results("bench/faults/worker_kill.py", lines)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
