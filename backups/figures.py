"""What a backup records and a restore is checked against: the database's counts and checksums, the files' hashes; the connection helpers."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

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


def libpq_env(db: dict) -> dict[str, str]:
    """Connection for pg_dump/pg_restore through the environment: a password never appears in ``ps``."""
    env = dict(os.environ)
    for key, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")), ("PGUSER", db.get("USER")),
                       ("PGPASSWORD", db.get("PASSWORD")), ("PGSSLMODE", db.get("OPTIONS", {}).get("sslmode"))):
        if value:
            env[key] = str(value)
    return env


@contextlib.contextmanager
def connect(db: dict, name: str | None = None, *, autocommit: bool = False):
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


def walk_files(root: Path) -> Iterator[Path]:
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
            for path in walk_files(root):
                files[f"{prefix}/{path.relative_to(root).as_posix()}"] = {
                    "sha256": sha256_file(path), "size": path.stat().st_size}
    return files


def configured_file_roots() -> dict[str, Path]:
    return {prefix: Path(getattr(settings, name)) for prefix, name in FILE_ROOTS.items()}
