"""Backups of the whole platform, and the drill that proves one restores (README "Backups").

A backup is ONE tar file, ``alliance-backup-<UTC time>.tar``, mode 0600 (it holds CVs), holding:

- ``database.dump``: ``pg_dump --format=custom`` of the whole database;
- ``files.tar.gz``: ``PRIVATE_FILES_ROOT`` under ``private/`` and ``MEDIA_ROOT`` under ``media/``;
- ``manifest.json``: when, the applied migrations (latest per app), the row count of every table, a sha256 of
  the votes table and of every historical table (rows in primary key order), a sha256 of every stored file,
  and a sha256 of the two members above.

The counts and checksums are computed inside the very snapshot that pg_dump dumps (``pg_export_snapshot`` and
``pg_dump --snapshot``): a vote cast while the backup runs is in neither or in both, so a restore check never
reports a difference that is only a race. Files are not transactional: they are archived after the snapshot is
taken, so every file a dumped row names is present unless the CV purge deleted it meanwhile.

``restore_check`` restores an archive into a fresh scratch database and a temporary folder, recomputes the same
figures and compares them with the manifest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import subprocess  # noqa: S404 - runs pg_dump and pg_restore, with argument lists, never a shell
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django
import psycopg2
from django.conf import settings
from django.db import connections
from psycopg2 import sql

FORMAT_VERSION = 1
DUMP_MEMBER = "database.dump"
FILES_MEMBER = "files.tar.gz"
MANIFEST_MEMBER = "manifest.json"
FILE_ROOTS = {"private": "PRIVATE_FILES_ROOT", "media": "MEDIA_ROOT"}
VOTES_TABLE = "governance_vote"
SCRATCH_PREFIX = "alliance_restore_"
CHUNK = 1024 * 1024

ERR_NOT_POSTGRES = (
    "Backups need PostgreSQL: DATABASE_URL points at a {vendor} database. "
    "Set DATABASE_URL=postgres://... (the SQLite demo database is a file under var/; copy it instead)."
)
ERR_NOT_EMPTY = (
    "Database {name!r} already has {count} tables in schema public: refusing to restore over it. "
    "Restore into a new, empty database, or pass --force to replace its contents."
)
ERR_EXISTS = "Database {name!r} already exists: a scratch database must be new."


class BackupError(Exception):
    """A backup or restore could not be made; the message says why, for the operator."""


# --- Connections ---------------------------------------------------------------------------------------------


def database_settings(alias: str = "default") -> dict:
    """The configured database (from DATABASE_URL), refusing anything but PostgreSQL."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise BackupError(ERR_NOT_POSTGRES.format(vendor=connection.vendor))
    return dict(connection.settings_dict)


def _libpq_env(db: dict) -> dict[str, str]:
    """Connection for pg_dump/pg_restore through the environment: a password never appears in ``ps``."""
    env = dict(os.environ)
    for key, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")), ("PGUSER", db.get("USER")),
                       ("PGPASSWORD", db.get("PASSWORD")), ("PGSSLMODE", db.get("OPTIONS", {}).get("sslmode"))):
        if value:
            env[key] = str(value)
    return env


@contextlib.contextmanager
def _connect(db: dict, name: str | None = None, *, autocommit: bool = False):
    """A psycopg2 connection of its own to the configured server (never Django's: a test's or a request's open
    transaction must not be joined, and pg_dump cannot see uncommitted rows anyway)."""
    params = {"dbname": name or db["NAME"], **db.get("OPTIONS", {})}
    for key, setting in (("user", "USER"), ("password", "PASSWORD"), ("host", "HOST"), ("port", "PORT")):
        if db.get(setting):
            params[key] = db[setting]
    for option in ("isolation_level", "assume_role", "pool", "server_side_binding"):
        params.pop(option, None)
    raw = psycopg2.connect(**params)
    try:
        raw.autocommit = autocommit
        yield raw
    finally:
        raw.close()


def _canonical_session(cursor) -> None:
    # COPY's text output of timestamps and floats depends on session settings: fix them, so that a backup
    # taken on one server checks against a restore on another.
    cursor.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; "
                   "SET extra_float_digits = 3; SET bytea_output = 'hex'")


# --- Figures: migrations, counts, checksums ------------------------------------------------------------------


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _primary_key(cursor, table: str) -> list[str]:
    cursor.execute(
        """
        SELECT a.attname FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = %s::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey, a.attnum)
        """,
        [f'public."{table}"'],
    )
    return [row[0] for row in cursor.fetchall()]


def checksummed(table: str) -> bool:
    """The votes and every django-simple-history table, across all apps."""
    return table == VOTES_TABLE or "_historical" in table


def table_checksum(cursor, table: str) -> str:
    """sha256 of the table's rows in COPY text form, ordered by primary key (by every column if it has none);
    streamed, so a history table of any size never sits in memory."""
    key = _primary_key(cursor, table)
    order = sql.SQL(", ").join(sql.Identifier(c) for c in key) if key else sql.SQL("t")
    query = sql.SQL("COPY (SELECT * FROM public.{} t ORDER BY {}) TO STDOUT").format(sql.Identifier(table), order)
    digest = _HashWriter()
    cursor.copy_expert(query.as_string(cursor.connection), digest)
    return digest.hexdigest()


class _HashWriter(io.RawIOBase):
    def __init__(self):
        self._hash = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._hash.update(data if isinstance(data, bytes | bytearray | memoryview) else data.encode())
        return len(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def database_figures(cursor) -> dict:
    """Migrations applied (latest per app), rows per table, checksums of the votes and history tables."""
    _canonical_session(cursor)
    tables = _tables(cursor)
    migrations: dict[str, str] = {}
    if "django_migrations" in tables:
        # Migration names start with a zero-padded number, so the greatest name is the latest applied.
        cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
        migrations = dict(cursor.fetchall())
    rows = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM public.{}").format(sql.Identifier(table)))
        rows[table] = cursor.fetchone()[0]
    checksums = {table: table_checksum(cursor, table) for table in tables if checksummed(table)}
    return {"migrations": migrations, "rows": rows, "checksums": checksums}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    for directory, subdirs, names in os.walk(root):
        subdirs.sort()
        for name in sorted(names):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                yield path


def file_figures(roots: dict[str, Path]) -> dict[str, dict]:
    """sha256 and size of every stored file, named ``private/...`` or ``media/...``."""
    files = {}
    for prefix, root in sorted(roots.items()):
        if root.is_dir():
            for path in _walk(root):
                files[f"{prefix}/{path.relative_to(root).as_posix()}"] = {
                    "sha256": sha256_file(path), "size": path.stat().st_size}
    return files


def configured_file_roots() -> dict[str, Path]:
    return {prefix: Path(getattr(settings, name)) for prefix, name in FILE_ROOTS.items()}


# --- Backup --------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    tables: int
    rows: int
    files: int


def _tool_version(tool: str) -> str:
    return subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()}")


def _archive_files(roots: dict[str, Path], target: Path) -> None:
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        for prefix, root in sorted(roots.items()):
            if root.is_dir():
                for path in _walk(root):
                    archive.add(path, arcname=f"{prefix}/{path.relative_to(root).as_posix()}", recursive=False)


def backup_create(*, output_dir: Path, now: dt.datetime | None = None) -> BackupResult:
    """Write one dated backup archive into ``output_dir`` (created 0700), atomically, mode 0600."""
    started = dt.datetime.now(tz=dt.UTC)
    now = now or started
    db = database_settings()
    env = _libpq_env(db)
    roots = configured_file_roots()
    output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = output_dir / f"alliance-backup-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.tar"
    if final.exists():
        raise BackupError(f"{final} already exists: a backup is never overwritten.")
    # mkdtemp makes a 0700 folder: the CVs are never readable by others, even half-written.
    with tempfile.TemporaryDirectory(prefix=".alliance-backup-", dir=output_dir) as work:
        work_dir = Path(work)
        dump = work_dir / DUMP_MEMBER
        with _connect(db) as snapshot_connection:
            snapshot_connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with snapshot_connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                # pg_dump reads the same snapshot while this transaction stays open.
                _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", "--dbname", db["NAME"]],
                     env, "pg_dump")
                figures = database_figures(cursor)
            snapshot_connection.rollback()
        files = work_dir / FILES_MEMBER
        file_sums = file_figures(roots)
        _archive_files(roots, files)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "database": db["NAME"],
            "server_version": server_version,
            "pg_dump_version": _tool_version("pg_dump"),
            "django_version": django.get_version(),
            **figures,
            "files": file_sums,
            "members": {DUMP_MEMBER: sha256_file(dump), FILES_MEMBER: sha256_file(files)},
        }
        (work_dir / MANIFEST_MEMBER).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        partial = work_dir / (final.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w") as archive:
                # The manifest first: restore_check and a person with `tar -tvf` see what it holds at once.
                for member in (MANIFEST_MEMBER, DUMP_MEMBER, FILES_MEMBER):
                    archive.add(work_dir / member, arcname=member)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(partial, 0o600)
        # link() refuses to replace an existing file (two backups in one second); the name appears complete.
        os.link(partial, final)
    _fsync_dir(output_dir)
    seconds = (dt.datetime.now(tz=dt.UTC) - started).total_seconds()
    return BackupResult(path=final, size=final.stat().st_size, seconds=seconds, tables=len(figures["rows"]),
                        rows=sum(figures["rows"].values()), files=len(file_sums))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- Restore and check ---------------------------------------------------------------------------------------


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
    with _connect(db, name) as raw, raw.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0]


def _maintenance(db: dict):
    """A connection for CREATE/DROP DATABASE: to the ``postgres`` database, as Django's test runner does, so that
    the configured database may itself be missing (the real restore onto a new server); else to the configured."""
    try:
        with _connect(db, "postgres"):
            name = "postgres"
    except psycopg2.OperationalError:
        name = db["NAME"]
    return _connect(db, name, autocommit=True)


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
    _run([*args, str(dump)], _libpq_env(db), "pg_restore")


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
            with _connect(db, name) as raw:
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
