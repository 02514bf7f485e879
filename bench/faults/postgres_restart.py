"""Fault: PostgreSQL restarts (``pg_ctl restart -m fast``) while board members vote and read pages.

A private PostgreSQL cluster (5439) and gunicorn (4 sync workers, DEBUG off) on it; ``--threads`` HTTP clients
vote through the API and read pages for ``--before`` seconds, then the cluster restarts, then ``--after`` seconds
more. gunicorn is never restarted.

Checks: the settings keep persistent connections with health checks (CONN_MAX_AGE 60, CONN_HEALTH_CHECKS); errors
(5xx or no answer) only inside the restart window (from the restart command to ``--grace`` seconds after it
returned); every request after that succeeds; no partial writes: each current vote equals its latest history row,
no history without its vote, no organisation that voted with its 'Vote on …' obligation still open, and vote
history rows between the votes acknowledged and those plus the vote requests that failed (a commit whose answer
was lost). Figures: the errors, the restart command's length and the window in which errors were seen.

    .venv/bin/python bench/faults/postgres_restart.py [--before 10 --after 15]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import _harness as h  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=int, default=10)
    parser.add_argument("--after", type=int, default=15)
    parser.add_argument("--grace", type=float, default=2.0, help="seconds after the restart errors may still show")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pg-port", type=int, default=5439)
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)
    if not 3 <= args.before <= 300 or not 5 <= args.after <= 300 or not 1 <= args.threads <= 64:
        parser.error("--before 3..300, --after 5..300, --threads 1..64")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    checks: list[tuple[str, bool]] = []
    figures: list[str] = []
    with h.PrivateStack(redis=False, pg_port=args.pg_port) as stack:
        from django.conf import settings
        from django.db import connections

        from governance.models import Vote

        db = settings.DATABASES["default"]
        checks.append((f"settings: CONN_MAX_AGE {db['CONN_MAX_AGE']}, CONN_HEALTH_CHECKS {db['CONN_HEALTH_CHECKS']}",
                       db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True))
        decisions, tokens, session = h.board_fixture(5, "Restart fault resolution")
        history_before = Vote.history.filter(decision_id__in=decisions).count()
        connections.close_all()
        server = stack.start(h.Gunicorn(stack.env, workers=4))
        server.wait_healthy()
        pids_before = server.pid
        load = h.BoardLoad(server.port, decisions, tokens, session, threads=args.threads, timeout=20)
        load.start()
        time.sleep(args.before)
        restart_from = time.monotonic() - load.t0
        stack.pg.restart()
        restart_to = time.monotonic() - load.t0
        print(f"PostgreSQL restarted from {restart_from:.1f} s to {restart_to:.1f} s", flush=True)
        time.sleep(args.after)
        load.stop()
        gunicorn_same = server.alive() and server.pid == pids_before

        rows = load.in_window(0, 1e9)
        errors = [r for r in rows if h.is_error(r[2])]
        window_end = restart_to + args.grace
        # A request counts as inside when it was in flight at any moment of the window.
        outside = [r for r in errors if r[0] + r[3] / 1000 < restart_from or r[0] > window_end]
        after = [r for r in rows if r[0] > window_end]
        failed_votes = sum(1 for r in errors if r[1] == "vote (API)")
        connections.close_all()  # this process's connection died with the restart too
        history_rows = Vote.history.filter(decision_id__in=decisions).count() - history_before
        acked = len(load.acknowledged)
        codes = Counter(r[2] for r in rows)
        first = min((r[0] for r in errors), default=None)
        last = max((r[0] + r[3] / 1000 for r in errors), default=None)
        times_after = sorted(r[3] for r in after)
        figures += [
            f"- requests: {len(rows)}; statuses " + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items(), key=str)),
            f"- restart command: {restart_to - restart_from:.2f} s (from {restart_from:.1f} s to {restart_to:.1f} s)",
            f"- errors (5xx or no answer): {len(errors)}"
            + (f", seen from {first:.2f} s to {last:.2f} s: a window of {last - first:.2f} s" if errors else ""),
            f"- after the window: {len(after)} requests, p50 {h.percentile(times_after, 50):.0f} ms, "
            f"p95 {h.percentile(times_after, 95):.0f} ms",
            f"- votes acknowledged {acked}, vote history rows {history_rows}, vote requests failed {failed_votes}",
            f"- gunicorn master the same process throughout: {gunicorn_same}",
        ]
        checks += [
            (f"errors only in the restart window ({len(outside)} outside)", not outside),
            (f"every request after the window succeeded ({sum(1 for r in after if h.is_error(r[2]))} failed)",
             bool(after) and not any(h.is_error(r[2]) for r in after)),
            ("acknowledged votes <= history rows <= acknowledged + failed vote requests",
             acked <= history_rows <= acked + failed_votes),
            *h.votes_consistent(decisions),
            ("recovered without restarting gunicorn", gunicorn_same),
        ]
        if errors:
            figures.append(f"- first errors: {[(round(e[0], 2), e[4], e[2]) for e in errors[:4]]}")
    ok = h.report_checks(
        "bench/faults/postgres_restart.py",
        f"gunicorn 4 sync workers, {args.threads} client threads (API votes 50 %, API reads 20 %, pages 30 %); "
        f"`pg_ctl restart -m fast` after {args.before} s, {args.after} s more after it.",
        figures, checks, write=not args.no_results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
