"""Personas on the demo alliance (the SMP Alliance of docs/domain.md), and helpers every test uses."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance import demo
from alliance.models import Alliance, Person
from twofactor.selectors import app_device_of, two_factor_required

# Every test runs on a fixed day unless it travels itself: 23 Nov 2026, a Monday, London time.
TODAY = dt.date(2026, 11, 23)


def pytest_configure(config):
    """The tests run as production does: two-factor codes required of the SRO, the Alliance Manager and
    administrators (the embedded demo leaves them optional with DEBUG on; settings.TWO_FACTOR_REQUIRED)."""
    from django.conf import settings

    settings.TWO_FACTOR_REQUIRED = True


_sqlite_copies: list = []  # the open connections that keep each worker's in-memory copy alive


def _sqlite_template_wanted(config) -> bool:
    from django.conf import settings

    return (settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
            and not config.getvalue("reuse_db") and not config.getvalue("create_db"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """Each worker's test database is a copy of one migrated template (tests/db_template.py) rather than migrated
    again: on PostgreSQL a ``CREATE DATABASE … TEMPLATE``; on SQLite Django's in-memory test database, filled
    from the template file before Django opens it (``django_db_keepdb`` below then keeps it). ``--reuse-db``
    runs keep their database as before, and ``--create-db`` migrates afresh."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if _sqlite_template_wanted(request.config):
        from django.db import connection

        from tests.db_template import sqlite_test_database

        _sqlite_copies.append(sqlite_test_database(connection.creation._get_test_db_name()))
        return
    if config["ENGINE"] != "django.db.backends.postgresql" or request.config.getvalue("reuse_db"):
        return
    from tests.db_template import ensure_template

    config.setdefault("TEST", {})["TEMPLATE"] = ensure_template(config)


@pytest.fixture(scope="session")
def django_db_keepdb(request) -> bool:
    """pytest-django's (``--reuse-db``), and on SQLite with the template: Django must keep the copied database
    (its migrate then finds nothing to apply) rather than create an empty one and migrate it for 40 s. The
    copy is in memory: it goes with the worker, nothing to tear down."""
    return bool(request.config.getvalue("reuse_db")) or _sqlite_template_wanted(request.config)


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


def totp_code(who: Person | TOTPDevice) -> str:
    """The code a person's authenticator app shows now, computed from their confirmed device's secret key (or
    from the given device's, e.g. one being set up).

    A code is accepted once (django-otp refuses a time step at or before the last one used), so after an
    earlier sign-in within the same 30 seconds this is the next step's code, which the device's tolerance of
    one step accepts, as a real app would show it a moment later."""
    if isinstance(who, TOTPDevice):
        device = TOTPDevice.objects.get(pk=who.pk)
    else:
        device = TOTPDevice.objects.get(user=who, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():0{device.digits}d}"


def second_factor_pass(client: Client, person: Person) -> None:
    """Mark the client's session as having passed the second factor, as ``django_otp.login`` does after the
    code page; a person who must have an authenticator app and has none is given one first."""
    device = app_device_of(person) or TOTPDevice.objects.create(
        user=person, name="Test authenticator", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_for():
    """A signed-in test client for a person. The SRO, the Alliance Manager and administrators (and anyone with
    an authenticator app) have passed the second factor too, unless ``second_factor=False``."""

    def make(person: Person, *, second_factor: bool = True) -> Client:
        c = Client()
        c.force_login(person)
        if second_factor and (two_factor_required(person) or app_device_of(person)):
            second_factor_pass(c, person)
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

