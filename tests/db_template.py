"""The test database, migrated once per set of migrations and copied for each pytest-xdist worker.

Running the project's migrations (188 tables with their history twins) took about 40 s of CPU, and each xdist
worker ran them for its own database: on two cores, over a minute of every CI run. Here the first worker to
arrive migrates a template, named after a hash of every installed app's migration files and of Django's
version, under a file lock; every worker's test database is then a copy of it, and Django's own migrate finds
nothing left to apply. When a migration (or Django) changes, the hash changes, a new template is built and the
old ones are dropped.

- PostgreSQL: a template database ``alliance_test_tpl_<database name>_<hash>``; each worker's test database is
  ``CREATE DATABASE … TEMPLATE`` of it (a file copy of about a second).
- SQLite (the README's default): a template file ``var/test-db/alliance_test_tpl_<hash>.sqlite3``; each
  worker's test database stays Django's usual in-memory one, filled from the file with SQLite's backup API
  (a fraction of a second) before Django opens it, and kept (``keepdb``) rather than created afresh.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PREFIX = "alliance_test_tpl_"


def migrations_fingerprint() -> str:
    """A hash of every installed app's migration files (the project's and Django's, django-otp's, axes'…) and of
    Django's version: what decides the schema. Other packages (pip itself, the test tools) do not count, so a
    virtualenv with another pip reuses the same template."""
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _admin_connection(config: dict):
    import psycopg2

    connection = psycopg2.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
                                  host=config["HOST"] or None, port=config["PORT"] or None, connect_timeout=10)
    connection.autocommit = True  # CREATE / DROP DATABASE cannot run inside a transaction
    return connection


def _database_url(config: dict, name: str) -> str:
    from urllib.parse import quote

    auth = quote(config["USER"] or "")
    if config["PASSWORD"]:
        auth += ":" + quote(config["PASSWORD"])
    host = config["HOST"] or "localhost"
    port = f":{config['PORT']}" if config["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{name}"


def ensure_template(config: dict) -> str:
    """The name of a migrated template database for the current migrations; built if missing (one process at a
    time, the others waiting on the lock)."""
    from psycopg2 import sql

    # Named after the configured database too, so that two checkouts sharing one server (each with its own
    # DATABASE_URL) keep their own templates instead of dropping each other's as stale.
    prefix = f"{TEMPLATE_PREFIX}{config['NAME']}_"
    name = prefix + migrations_fingerprint()
    lock_path = Path(tempfile.gettempdir()) / f"alliance-test-template-{config['HOST']}-{config['PORT']}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        admin = _admin_connection(config)
        try:
            with admin.cursor() as cursor:
                cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix])
                own = re.compile(re.escape(prefix) + r"[0-9a-f]{12}(_building)?")
                existing = {row[0] for row in cursor.fetchall() if own.fullmatch(row[0])}
                if name in existing:
                    return name
                building = name + "_building"
                for stale in existing | {building}:  # older migrations' templates, or a build that was cut short
                    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(stale)))
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
                env = os.environ | {"DATABASE_URL": _database_url(config, building), "CONN_MAX_AGE": "0"}
                subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],  # noqa: S603
                               cwd=PROJECT_ROOT, env=env, check=True, timeout=600)
                # Renamed only once complete: a template under its final name is always fully migrated.
                cursor.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(building), sql.Identifier(name)))
        finally:
            admin.close()
    return name


# --- SQLite ---------------------------------------------------------------------------------------------

SQLITE_TEMPLATE_GLOB = f"{TEMPLATE_PREFIX}*.sqlite3"


def sqlite_template_dir() -> Path:
    """Where this checkout keeps its SQLite templates: under var/ (VAR_DIR), so that two checkouts with other
    migrations never drop each other's."""
    from django.conf import settings

    return Path(settings.VAR_DIR) / "test-db"


def _migrate_sqlite(path: Path) -> None:
    env = os.environ | {"DATABASE_URL": f"sqlite:///{path}", "CONN_MAX_AGE": "0"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],  # noqa: S603
                   cwd=PROJECT_ROOT, env=env, check=True, timeout=600)


def ensure_sqlite_template(directory: Path | None = None, *, fingerprint: str | None = None,
                           migrate=_migrate_sqlite) -> Path:
    """The path of a migrated SQLite template file for the current migrations; built if missing (one process
    at a time, the others waiting on the lock), the templates of other migrations removed."""
    directory = directory or sqlite_template_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{TEMPLATE_PREFIX}{fingerprint or migrations_fingerprint()}.sqlite3"
    with (directory / "template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return path
        for stale in directory.glob(SQLITE_TEMPLATE_GLOB + "*"):  # other migrations', or a build cut short
            stale.unlink()
        building = path.with_name(path.name + ".building")
        migrate(building)
        # Renamed only once complete: a template under its final name is always fully migrated.
        os.replace(building, path)
    return path


def sqlite_copy(template: Path, name: str) -> sqlite3.Connection:
    """Copy the template into the database ``name`` (a file, or Django's shared in-memory test database
    ``file:memorydb_default?mode=memory&cache=shared``), and return the open connection: an in-memory database
    lives only as long as a connection to it, so the caller keeps this one open until Django has its own."""
    # Shared lock: a run with other migrations (another engineer's, in this checkout) may not drop the template
    # while it is being read.
    with (template.parent / "template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        source = sqlite3.connect(f"{template.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(name, uri=name.startswith("file:"), check_same_thread=False)
            source.backup(target)
        finally:
            source.close()
    return target


def sqlite_test_database(name: str) -> sqlite3.Connection:
    """The worker's test database ``name`` filled from the current template (see ``sqlite_copy``). Tried again
    when a run with other migrations dropped the template between finding it and reading it."""
    for _ in range(2):
        template = ensure_sqlite_template()
        try:
            return sqlite_copy(template, name)
        except sqlite3.OperationalError:
            if template.exists():
                raise
    return sqlite_copy(ensure_sqlite_template(), name)


if __name__ == "__main__":  # python -m tests.db_template: build the template ahead of the tests (.ci/run)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        print(f"test database template: {ensure_template(database)}")
    else:
        print(f"test database template: {ensure_sqlite_template()}")
