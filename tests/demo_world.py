"""The whole demo seeded once for a test module, inside a transaction rolled back afterwards (the schema and
odd-input fuzz tests share it)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import time_machine
from django.db import connection, transaction
from django.test import override_settings

from portal import demo


@contextlib.contextmanager
def seeded_demo(django_db_blocker) -> Iterator[None]:
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=md5),
        time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=True),
        transaction.atomic(),
    ):
        demo.seed()
        # Fire the demo's deferred foreign-key checks now, outside any savepoint: each test's teardown checks
        # constraints inside its own savepoint, and PostgreSQL would re-run every pending demo check there (a
        # rolled-back savepoint un-fires them), about 0.3 s a test.
        connection.check_constraints()
        yield
        transaction.set_rollback(True)
