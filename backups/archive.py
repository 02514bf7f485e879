"""Writing a backup archive (bin/backup)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess  # noqa: S404 - runs pg_dump and pg_restore, with argument lists, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import django

from backups.figures import (
    DUMP_MEMBER,
    FILES_MEMBER,
    FORMAT_VERSION,
    MANIFEST_MEMBER,
    BackupError,
    configured_file_roots,
    connect,
    database_figures,
    database_settings,
    file_figures,
    libpq_env,
    sha256_file,
    walk_files,
)

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


def run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()}")


def _archive_files(roots: dict[str, Path], target: Path) -> None:
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        for prefix, root in sorted(roots.items()):
            if root.is_dir():
                for path in walk_files(root):
                    archive.add(path, arcname=f"{prefix}/{path.relative_to(root).as_posix()}", recursive=False)


def backup_create(*, output_dir: Path, now: dt.datetime | None = None) -> BackupResult:
    """Write one dated backup archive into ``output_dir`` (created 0700), atomically, mode 0600."""
    started = dt.datetime.now(tz=dt.UTC)
    now = now or started
    db = database_settings()
    env = libpq_env(db)
    roots = configured_file_roots()
    output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = output_dir / f"alliance-backup-{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}.tar"
    if final.exists():
        raise BackupError(f"{final} already exists: a backup is never overwritten.")
    # mkdtemp makes a 0700 folder: the CVs are never readable by others, even half-written.
    with tempfile.TemporaryDirectory(prefix=".alliance-backup-", dir=output_dir) as work:
        work_dir = Path(work)
        dump = work_dir / DUMP_MEMBER
        with connect(db) as snapshot_connection:
            snapshot_connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with snapshot_connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                # pg_dump reads the same snapshot while this transaction stays open.
                run_tool(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", "--dbname", db["NAME"]],
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
