"""Restoring an archive into a scratch (or a named) database and comparing it with its manifest (bin/restore-check)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from psycopg2 import sql

from backups.archive import run_tool
from backups.figures import (
    DUMP_MEMBER,
    ERR_EXISTS,
    ERR_NOT_EMPTY,
    FILE_ROOTS,
    FILES_MEMBER,
    FORMAT_VERSION,
    MANIFEST_MEMBER,
    SCRATCH_PREFIX,
    BackupError,
    connect,
    database_figures,
    database_settings,
    file_figures,
    libpq_env,
    sha256_file,
)


@dataclass
class Difference:
    kind: str
    name: str
    expected: str
    found: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass
class CheckReport:
    database: str
    lines: list[tuple[str, str, str, str, bool]] = field(default_factory=list)  # kind, name, expected, found, ok
    differences: list[Difference] = field(default_factory=list)

    def add(self, kind: str, name: str, expected, found) -> None:
        expected_text = "(missing)" if expected is None else str(expected)
        found_text = "(missing)" if found is None else str(found)
        ok = expected == found
        self.lines.append((kind, name, expected_text, found_text, ok))
        if not ok:
            self.differences.append(Difference(kind, name, expected_text, found_text))

    @property
    def ok(self) -> bool:
        return not self.differences


def _short(value: str) -> str:
    return value[:12] if len(value) == 64 else value


def report_table(report: CheckReport, *, all_rows: bool = True) -> str:
    rows = [line for line in report.lines if all_rows or not line[4]]
    if not rows:
        return ""
    header = ("what", "name", "backup", "restored", "")
    cells = [(k, n, _short(e), _short(f), "ok" if ok else "DIFFERS") for k, n, e, f, ok in rows]
    widths = [max(len(str(c[i])) for c in [header, *cells]) for i in range(5)]
    aligned = [(">" if i in (2, 3) else "<") for i in range(5)]
    out = []
    for c in [header, *cells]:
        out.append("  ".join(f"{str(v):{aligned[i]}{widths[i]}}" for i, v in enumerate(c)).rstrip())
    return "\n".join(out)


def compare(manifest: dict, figures: dict, files: dict[str, dict], members: dict[str, str],
            database: str) -> CheckReport:
    report = CheckReport(database=database)
    for name in sorted(set(manifest.get("members", {})) | set(members)):
        report.add("archive", name, manifest.get("members", {}).get(name), members.get(name))
    for app in sorted(set(manifest["migrations"]) | set(figures["migrations"])):
        report.add("migration", app, manifest["migrations"].get(app), figures["migrations"].get(app))
    for table in sorted(set(manifest["rows"]) | set(figures["rows"])):
        report.add("rows", table, manifest["rows"].get(table), figures["rows"].get(table))
    for table in sorted(set(manifest["checksums"]) | set(figures["checksums"])):
        report.add("sha256", table, manifest["checksums"].get(table), figures["checksums"].get(table))
    for name in sorted(set(manifest["files"]) | set(files)):
        expected, found = manifest["files"].get(name), files.get(name)
        report.add("file", name, expected and expected["sha256"], found and found["sha256"])
    return report


def _count_tables(db: dict, name: str) -> int:
    with connect(db, name) as raw, raw.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0]


def _maintenance(db: dict):
    """A connection for CREATE/DROP DATABASE: to the ``postgres`` database, as Django's test runner does, so that
    the configured database may itself be missing (the real restore onto a new server); else to the configured."""
    try:
        with connect(db, "postgres"):
            name = "postgres"
    except psycopg2.OperationalError:
        name = db["NAME"]
    return connect(db, name, autocommit=True)


def database_exists(db: dict, name: str) -> bool:
    with _maintenance(db) as raw, raw.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def database_create(db: dict, name: str) -> None:
    # template0: nothing a local template1 gained (extensions, tables) can collide with the dump.
    with _maintenance(db) as raw, raw.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))


def database_drop(db: dict, name: str) -> None:
    if name == db["NAME"]:
        raise BackupError(f"Refusing to drop the configured database {name!r}.")
    with _maintenance(db) as raw, raw.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def scratch_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(tz=dt.UTC)
    return f"{SCRATCH_PREFIX}{now.astimezone(dt.UTC):%Y%m%d%H%M%S}_{secrets.token_hex(3)}"


def read_archive(archive_path: Path, work_dir: Path) -> tuple[dict, dict[str, str]]:
    """Unpack the three members into ``work_dir``; return the manifest and each member's sha256."""
    with tarfile.open(archive_path, "r:") as archive:
        names = set(archive.getnames())
        missing = {MANIFEST_MEMBER, DUMP_MEMBER, FILES_MEMBER} - names
        if missing:
            raise BackupError(f"{archive_path} is not a backup archive: {', '.join(sorted(missing))} missing.")
        archive.extractall(work_dir, members=[archive.getmember(n) for n in (MANIFEST_MEMBER, DUMP_MEMBER,
                                                                              FILES_MEMBER)], filter="data")
    manifest = json.loads((work_dir / MANIFEST_MEMBER).read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    members = {name: sha256_file(work_dir / name) for name in (DUMP_MEMBER, FILES_MEMBER)}
    return manifest, members


def unpack_files(work_dir: Path, target: Path) -> dict[str, dict]:
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tarfile.open(work_dir / FILES_MEMBER, "r:gz") as archive:
        # filter="data": no absolute paths, no "..", no links out, no device files (PEP 706).
        archive.extractall(target, filter="data")
    return file_figures({prefix: target / prefix for prefix in FILE_ROOTS})


def pg_restore(db: dict, dump: Path, name: str, *, clean: bool = False) -> None:
    args = ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--dbname", name]
    if clean:
        args += ["--clean", "--if-exists"]
    run_tool([*args, str(dump)], libpq_env(db), "pg_restore")


@dataclass
class RestoreOutcome:
    report: CheckReport
    database: str
    kept: bool
    seconds: float


def restore_check(*, archive_path: Path, target_database: str | None = None, force: bool = False,
                  keep: bool = False, verify_only: bool = False, scratch: str | None = None) -> RestoreOutcome:
    """Restore the archive into a scratch (or the named) database and temp folder, and compare with its manifest.

    A scratch database is dropped afterwards, whatever happens, unless ``keep``; a named target never is.
    ``verify_only`` restores nothing: it compares the named, already restored, database.
    """
    started = dt.datetime.now(tz=dt.UTC)
    db = database_settings()
    if verify_only and not target_database:
        raise BackupError("--verify-only needs --target-database: the database to compare with the backup.")
    name = target_database or scratch or scratch_name()
    is_scratch = target_database is None
    created = False
    with tempfile.TemporaryDirectory(prefix="alliance-restore-") as work:
        work_dir = Path(work)
        manifest, members = read_archive(archive_path, work_dir)
        try:
            if not verify_only:
                if is_scratch:
                    if database_exists(db, name):
                        raise BackupError(ERR_EXISTS.format(name=name))
                    database_create(db, name)
                    created = True
                    pg_restore(db, work_dir / DUMP_MEMBER, name)
                else:
                    if not database_exists(db, name):
                        database_create(db, name)
                    count = _count_tables(db, name)
                    if count and not force:
                        raise BackupError(ERR_NOT_EMPTY.format(name=name, count=count))
                    pg_restore(db, work_dir / DUMP_MEMBER, name, clean=bool(count))
            with connect(db, name) as raw:
                raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
                with raw.cursor() as cursor:
                    figures = database_figures(cursor)
                raw.rollback()
            files = unpack_files(work_dir, work_dir / "files")
        finally:
            if created and not keep:
                database_drop(db, name)
    report = compare(manifest, figures, files, members, name)
    seconds = (dt.datetime.now(tz=dt.UTC) - started).total_seconds()
    return RestoreOutcome(report=report, database=name, kept=created and keep, seconds=seconds)
