"""Benchmark of key persons: a 10 MB CV upload, and the nominations pages with 500 nominations, on PostgreSQL.

1. The upload, against a real server: gunicorn with one sync worker (DEBUG off) on a free port of 127.0.0.1;
   ``wsp-staff`` posts ``--uploads`` nominations to ``POST /api/people/nominations/`` (multipart, token auth),
   each with a PDF of exactly 10 MB (the CV limit). For each it reads the worker's resident memory from
   /proc before the request and its peak (VmHWM, reset before each request through /proc/<pid>/clear_refs),
   and prints the median time and the largest rise of peak memory over the resident size. Django spools an
   upload over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) to a temporary file, the check reads it in 1 MB steps and the
   private storage moves the file into place: the rise must stay well under the file's size (target: under
   10 MB, i.e. the file is never held in memory whole, let alone twice).
2. The pages, with django.test.Client in this process (DEBUG off): ``--nominations`` nominations spread over
   the roles and partners, then the median and p95 of ``--runs`` requests and the SQL queries per request, at
   100 and at ``--nominations`` (the count must not grow with the rows; target p95 under 100 ms):
   ``/people/nominations/`` and page 5 as ``alliance-manager``, ``/people/nominations/`` as ``wsp-staff``, a
   role's side-by-side page, ``/people/`` (quotas), ``/people/chart/`` and ``GET /api/people/nominations/``.

Run it from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_people .venv/bin/python bench/people.py

The database is created if missing, migrated and seeded (the demo, idempotent); the benchmark's nominations
are made inside a transaction that is rolled back; the uploaded CVs go to a temporary folder that is removed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alliance_bench_people"
TARGET_P95_MS = 100.0
TARGET_UPLOAD_RISE_MB = 10.0
UPLOAD_ROLE = "lead-digital-design"  # vacant in the demo, open to WSP (Lot 2, lot-specific)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--nominations", type=int, default=500)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--runs", type=int, default=100)
    return parser.parse_args(argv)


# --- 1. The upload against gunicorn ----------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise SystemExit(f"/proc/{pid}/status has no {field}")


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="cv"; filename="{filename}"\r\n'
                 "Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload_bench(database_url: str, uploads: int) -> dict:
    from rest_framework.authtoken.models import Token
    from voting import Server, http_request

    from alliance.models import Person
    from people.models import Nomination
    from people.services.cvs import CV_MAX_BYTES
    from tests.pdf_samples import minimal_pdf

    token, _ = Token.objects.get_or_create(user=Person.objects.get(username="wsp-staff"))
    headers = {"Authorization": f"Token {token.key}"}
    cv = minimal_pdf(CV_MAX_BYTES)  # a genuine PDF (uploads are read by pypdf), padded to the CV limit
    body, content_type = _multipart({"role": UPLOAD_ROLE, "person_name": "Benchmark Upload", "statement": "bench",
                                     "full_time": "true"}, "cv.pdf", cv)
    small, small_type = _multipart({"role": UPLOAD_ROLE, "person_name": "Benchmark Upload", "statement": "bench",
                                    "full_time": "true"}, "cv.pdf", minimal_pdf(1_000))
    server = Server(database_url, workers=1)
    created: list[int] = []
    try:
        server.wait_until_healthy()
        worker = _worker_pid(server.process.pid)
        status, answer = http_request(server.port, "POST", "/api/people/nominations/", small,
                                      headers | {"Content-Type": small_type}, timeout=60)
        if status != 201:
            raise SystemExit(f"warm-up upload answered {status}: {answer[:300]!r}")
        created.append(int(json.loads(answer)["id"]))
        times, rises, resident = [], [], []
        for _ in range(uploads):
            Path(f"/proc/{worker}/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current size
            before = _status_kb(worker, "VmRSS")
            started = time.perf_counter()
            status, answer = http_request(server.port, "POST", "/api/people/nominations/", body,
                                          headers | {"Content-Type": content_type}, timeout=120)
            times.append((time.perf_counter() - started) * 1000)
            if status != 201:
                raise SystemExit(f"10 MB upload answered {status}: {answer[:300]!r}")
            created.append(int(json.loads(answer)["id"]))
            rises.append((_status_kb(worker, "VmHWM") - before) / 1024)
            resident.append(before / 1024)
    finally:
        server.stop()
        for nomination in Nomination.objects.filter(pk__in=created):
            nomination.cv.storage.delete(nomination.cv.name)
        Nomination.objects.filter(pk__in=created).delete()
    return {"size_mb": len(cv) / 1024 / 1024, "median_ms": statistics.median(times), "max_ms": max(times),
            "rise_mb": max(rises), "rss_mb": statistics.median(resident), "uploads": uploads}


# --- 2. The pages with many nominations ---------------------------------------------------------------


def add_nominations(alliance, how_many: int) -> None:
    """Nominations spread over the roles each partner may nominate for, in every status (no CV files: the
    pages never open them)."""
    from alliance.models import Organisation, OrganisationKind, Person
    from people.models import KeyPersonRole, Nomination, NominationStatus
    from people.permissions import may_nominate_for

    partners = list(Organisation.objects.filter(alliance=alliance, kind=OrganisationKind.PARTNER))
    staff = {p.organisation_id: p for p in Person.objects.filter(username__endswith="-staff")}
    roles = list(KeyPersonRole.objects.filter(alliance=alliance))
    pairs = [(o, r) for o in partners for r in roles if may_nominate_for(o, r)]
    statuses = [NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED, NominationStatus.REJECTED,
                NominationStatus.WITHDRAWN]
    existing = Nomination.objects.filter(alliance=alliance).count()
    rows = []
    for i in range(max(0, how_many - existing)):
        organisation, role = pairs[i % len(pairs)]
        rows.append(Nomination(
            alliance=alliance, role=role, organisation=organisation, person_name=f"Bench Nominee {i:04d}",
            post_organisation=organisation if role.is_partner_specific else None, statement="Benchmark",
            status=statuses[i % len(statuses)], cv="cvs/bench.pdf", cv_name="bench.pdf",
            cv_content_type="application/pdf", cv_size=1000, submitted_by=staff[organisation.pk],
        ))
    Nomination.objects.bulk_create(rows)


def probes(alliance) -> list[tuple[str, str]]:
    from people.models import KeyPersonRole

    role = KeyPersonRole.objects.get(alliance=alliance, code="head-of-supply-chain")
    return [("alliance-manager", "/people/nominations/"), ("alliance-manager", "/people/nominations/?page=5"),
            ("wsp-staff", "/people/nominations/"), ("alliance-manager", f"/people/roles/{role.pk}/"),
            ("alliance-manager", "/people/"), ("wsp-staff", "/people/"), ("wsp-staff", "/people/chart/"),
            ("alliance-manager", "/api/people/nominations/")]


def count_queries(clients, paths) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for who, path in paths:
        clients[who].get(path)
        with CaptureQueriesContext(connection) as captured:
            response = clients[who].get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} as {who} answered {response.status_code}")
        counts[(who, path)] = len(captured)
    return counts


def timed(clients, paths, runs) -> dict:
    samples = {p: [] for p in paths}
    for _ in range(runs):
        for who, path in paths:
            started = time.perf_counter()
            clients[who].get(path)
            samples[(who, path)].append((time.perf_counter() - started) * 1000)
    return {p: (statistics.median(t), statistics.quantiles(t, n=20, method="inclusive")[18]) for p, t in samples.items()}


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    private = tempfile.mkdtemp(prefix="bench-people-cvs-")
    os.environ["PRIVATE_FILES_ROOT"] = private  # this process and the gunicorn it starts
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")  # the demo's emails
    from whats_due import demo_alliance, ensure_database, machine, setup_django

    ensure_database(os.environ["DATABASE_URL"])
    setup_django()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings

    from alliance.models import Person
    from people.models import Nomination

    call_command("migrate", verbosity=0)
    alliance = demo_alliance()
    upload = upload_bench(os.environ["DATABASE_URL"], args.uploads)
    clients = {}
    for username in ("alliance-manager", "wsp-staff"):
        clients[username] = Client()
        clients[username].force_login(Person.objects.get(username=username))
    with override_settings(DEBUG=False), transaction.atomic():
        add_nominations(alliance, args.small)
        paths = probes(alliance)
        small = count_queries(clients, paths)
        add_nominations(alliance, args.nominations)
        total = Nomination.objects.filter(alliance=alliance).count()
        full = count_queries(clients, paths)
        timings = timed(clients, paths, args.runs)
        transaction.set_rollback(True)
    shutil.rmtree(private, ignore_errors=True)

    print("\n".join(machine()))
    print(f"\nUpload: {upload['uploads']} × POST /api/people/nominations/ with a {upload['size_mb']:.1f} MB PDF, "
          "gunicorn 1 sync worker")
    print(f"  time median {upload['median_ms']:.0f} ms, max {upload['max_ms']:.0f} ms; worker resident "
          f"{upload['rss_mb']:.0f} MB, peak rise during an upload {upload['rise_mb']:.1f} MB "
          f"(target under {TARGET_UPLOAD_RISE_MB:.0f} MB: {'OK' if upload['rise_mb'] < TARGET_UPLOAD_RISE_MB else 'MISSED'})")
    print(f"\nPages: {total} nominations; {args.runs} runs each (DEBUG off, in-process client)")
    header = f"{'request':<52} {'median ms':>10} {'p95 ms':>8} {f'q @{args.small}':>7} {f'q @{total}':>7}  constant"
    print(header)
    print("-" * len(header))
    ok = upload["rise_mb"] < TARGET_UPLOAD_RISE_MB
    for key in paths:
        median, p95 = timings[key]
        constant = small[key] == full[key]
        ok &= constant and p95 < TARGET_P95_MS
        print(f"{key[1] + ' (' + key[0] + ')':<52} {median:>10.1f} {p95:>8.1f} {small[key]:>7} {full[key]:>7}  "
              f"{'yes' if constant else 'NO'}")
    print(f"\nTargets (p95 under {TARGET_P95_MS:.0f} ms, constant queries, upload rise under 10 MB): "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
