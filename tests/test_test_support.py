"""The test suite's own machinery, checked like the rest: the browser watcher's rule for failed requests, and the
test database template's fingerprint (tests/db_template.py)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from tests import db_template


@dataclass
class FailedRequest:
    url: str
    failure: str
    resource_type: str
    navigation: bool
    method: str = "GET"

    def is_navigation_request(self) -> bool:
        return self.navigation


def _watch():
    from tests.browser.conftest import BrowserWatch

    return BrowserWatch("localhost:8081")


def test_a_page_load_replaced_by_the_next_navigation_is_not_a_failure():
    watch = _watch()
    watch._on_request_failed(FailedRequest("http://localhost:8081/plan/", "net::ERR_ABORTED", "document", True))
    watch._on_request_failed(FailedRequest("http://localhost:8081/static/img/favicon.svg", "net::ERR_ABORTED",
                                           "image", False))
    assert watch.problems == []


def test_failed_sub_resources_and_real_navigation_failures_are_reported():
    watch = _watch()
    watch._on_request_failed(FailedRequest("http://localhost:8081/static/css/app.css", "net::ERR_ABORTED",
                                           "stylesheet", False))
    watch._on_request_failed(FailedRequest("http://localhost:8081/board/", "net::ERR_CONNECTION_REFUSED",
                                           "document", True))
    assert len(watch.problems) == 2
    assert "app.css" in watch.problems[0] and "ERR_CONNECTION_REFUSED" in watch.problems[1]


def test_the_template_fingerprint_follows_the_migration_files(tmp_path, monkeypatch):
    from django.apps import apps

    migrations = tmp_path / "app" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_initial.py").write_text("operations = []\n")
    monkeypatch.setattr(apps, "get_app_configs", lambda: [SimpleNamespace(label="app", path=str(tmp_path / "app"))])
    first = db_template.migrations_fingerprint()
    assert first == db_template.migrations_fingerprint() and len(first) == 12
    (migrations / "0001_initial.py").write_text("operations = ['changed']\n")
    changed = db_template.migrations_fingerprint()
    (migrations / "0002_more.py").write_text("operations = []\n")
    assert len({first, changed, db_template.migrations_fingerprint()}) == 3


def test_the_template_is_built_from_a_url_of_the_same_server():
    config = {"USER": "postgres", "PASSWORD": "p@ss", "HOST": "127.0.0.1", "PORT": 5432}
    assert db_template._database_url(config, "alliance_test_tpl_x") == (
        "postgres://postgres:p%40ss@127.0.0.1:5432/alliance_test_tpl_x")


def test_the_sqlite_template_is_built_once_per_fingerprint_and_copied_per_worker(tmp_path):
    """tests/db_template.py on SQLite: the first worker migrates the template (under the lock), the next ones
    reuse it; new migrations build a new one and drop the old and a build cut short; each worker's database is
    its own copy (here two in-memory databases as two xdist workers would have)."""
    builds = []

    def migrate(path):
        builds.append(path.name)
        with sqlite3.connect(path) as built:
            built.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
            built.execute("INSERT INTO django_migrations VALUES ('alliance', '0001_initial')")
        built.close()

    first = db_template.ensure_sqlite_template(tmp_path, fingerprint="aaaaaaaaaaaa", migrate=migrate)
    assert db_template.ensure_sqlite_template(tmp_path, fingerprint="aaaaaaaaaaaa", migrate=migrate) == first
    assert builds == [f"{first.name}.building"] and first.exists()

    cut_short = tmp_path / "alliance_test_tpl_cccccccccccc.sqlite3.building"
    cut_short.write_bytes(b"half a database")
    second = db_template.ensure_sqlite_template(tmp_path, fingerprint="bbbbbbbbbbbb", migrate=migrate)
    assert len(builds) == 2 and second != first
    assert sorted(p.name for p in tmp_path.glob("*.sqlite3*")) == [second.name]

    workers = [db_template.sqlite_copy(second, f"file:memorydb_gw{n}?mode=memory&cache=shared") for n in (0, 1)]
    try:
        workers[0].execute("INSERT INTO django_migrations VALUES ('alliance', '0002_worker_0_only')")
        workers[0].commit()
        counts = [w.execute("SELECT count(*) FROM django_migrations").fetchone()[0] for w in workers]
        assert counts == [2, 1]
        with sqlite3.connect(second) as template:
            assert template.execute("SELECT count(*) FROM django_migrations").fetchone()[0] == 1
        template.close()
    finally:
        for worker in workers:
            worker.close()


def test_sqlite_test_databases_are_the_templates_copy_kept_by_django(db, request):
    """This very run: on SQLite the worker's in-memory database was filled from the template before Django
    opened it, and Django was told to keep it (not to create an empty one and migrate it again)."""
    from django.db import connection

    if connection.vendor != "sqlite" or request.config.getvalue("reuse_db"):
        pytest.skip("SQLite without --reuse-db only: PostgreSQL's copy is CREATE DATABASE … TEMPLATE")
    from tests import conftest

    assert request.getfixturevalue("django_db_keepdb") is True
    assert conftest._sqlite_copies, "the worker's in-memory database was not filled from the template"
    with sqlite3.connect(db_template.ensure_sqlite_template()) as template:
        recorded = template.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    template.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] == recorded > 20
