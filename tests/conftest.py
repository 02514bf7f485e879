"""Personas on the demo alliance (the SMP Alliance of DOMAIN.md), and helpers every test uses."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client

from alliance import demo
from alliance.models import Alliance, Person

# Every test runs on a fixed day unless it travels itself: 23 Nov 2026, a Monday, London time.
TODAY = dt.date(2026, 11, 23)


def pytest_collection_modifyitems(config, items):
    on_postgres = connection.vendor == "postgresql"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=True):
        yield TODAY


@pytest.fixture
def smp(db, frozen_today) -> Alliance:
    """The demo alliance's core: seven organisations, 22 demo logins, the core's demo obligations (start
    23 Jul 2026). Other apps' demo records are left out so that each app's tests start from the same core."""
    demo.seed_core()
    return Alliance.objects.get(slug=demo.ALLIANCE_SLUG)


def _person(username: str) -> Person:
    return Person.objects.select_related("organisation").get(username=username)


@pytest.fixture
def sro(smp) -> Person:
    return _person("sro")


@pytest.fixture
def alliance_manager(smp) -> Person:
    return _person("alliance-manager")


@pytest.fixture
def client_reviewer(smp) -> Person:
    return _person("client-reviewer")


@pytest.fixture
def partner_rep(smp) -> Person:
    return _person("wsp-rep")


@pytest.fixture
def partner_staff(smp) -> Person:
    return _person("wsp-staff")


@pytest.fixture
def other_partner_staff(smp) -> Person:
    return _person("costain-staff")


@pytest.fixture
def client_for():
    """A signed-in test client for a person."""

    def make(person: Person) -> Client:
        c = Client()
        c.force_login(person)
        return c

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo makes 22 logins per test: hash with MD5 in tests only (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """CVs uploaded by a test go to its own temporary folder, never to var/private."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return settings.PRIVATE_FILES_ROOT

