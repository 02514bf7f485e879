"""The test suite's own machinery, checked like the rest: the browser watcher's rule for failed requests, and the
test database template's fingerprint (tests/db_template.py)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

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
