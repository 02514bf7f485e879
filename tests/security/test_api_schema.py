"""The API keeps the promises of its OpenAPI schema, for every role: no server error, and every answer (success
or error) has a documented status code and the documented body.

Schemathesis reads the schema that /api/schema/ serves and sends requests for every operation to the WSGI
application in-process, as each persona of tests/conftest.py (and without credentials):

- every persona: ``SCHEMATHESIS_MAX_EXAMPLES`` random cases per operation (5 by default), about half of the
  path ids taken from records the demo lists;
- the Alliance Manager, whose writes get past the permission checks on most operations, also gets
  schemathesis's coverage phase (boundary values, wrong types, unexpected methods: about 40 cases an
  operation) and a fixed sweep of odd input (NUL bytes, 30-digit numbers, "²", far dates, non-UTF-8 bodies);
  ``SCHEMATHESIS_COVERAGE=all`` (or a comma-separated list of personas) widens that.

Generation is derandomised with a fixed seed, so CI sends the same requests every time (about 4,000 requests,
under 3 minutes on 2 cores). A longer manual run:
``SCHEMATHESIS_MAX_EXAMPLES=100 SCHEMATHESIS_COVERAGE=all pytest tests/security/test_api_schema.py``.

Data: the full demo (``alliance.demo.seed``) is seeded once for the module inside a transaction that is rolled
back at the end, so no other test sees it; each test nests in it (pytest-django's ``db``), and each request runs
in its own savepoint, rolled back after it, so one case's writes (a vote, a closed decision) never change what
the next case finds. The requests go through Django's WSGI handler in this thread and so share the test's
database connection.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections.abc import Iterator

import orjson
import pytest
import schemathesis
import time_machine
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from django.test import Client, override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.settings import spectacular_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from alliance import api_support, demo
from alliance.models import Person

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))
SEED = 20261123

# The personas of tests/conftest.py, by login; None is a caller without credentials.
PERSONAS = {
    "partner_staff": "wsp-staff",
    "partner_rep": "wsp-rep",
    "other_partner_staff": "costain-staff",
    "client_reviewer": "client-reviewer",
    "sro": "sro",
    "alliance_manager": "alliance-manager",
    "anonymous": None,
}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
# Who also gets the coverage phase's boundary cases (about 3,000 requests a persona): by default the Alliance
# Manager, whose writes get past the permission checks on most operations; SCHEMATHESIS_COVERAGE=all for every
# persona (a longer manual run), or a comma-separated list of personas.
_coverage = os.environ.get("SCHEMATHESIS_COVERAGE", "alliance_manager")
DEEP_PERSONAS = list(PERSONAS) if _coverage == "all" else [p for p in _coverage.split(",") if p in PERSONAS]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The full demo, once for the module, rolled back afterwards, and an API token per persona."""
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=md5),
        time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=True),
        transaction.atomic(),
    ):
        demo.seed()
        tokens = {
            name: Token.objects.create(user=Person.objects.get(username=username)).key
            for name, username in PERSONAS.items()
            if username is not None
        }
        # Fire the demo's deferred foreign-key checks now, outside any savepoint: each test's teardown checks
        # constraints inside its own savepoint, and PostgreSQL would re-run every pending demo check there (a
        # rolled-back savepoint un-fires them), about 0.3 s a test.
        connection.check_constraints()
        yield {"tokens": tokens}
        transaction.set_rollback(True)


def in_test_transaction(handler):
    """Django's WSGI handler without its end-of-request ``close_old_connections``: inside the test's transaction
    that would close the shared connection and lose the demo (Django's test client does the same per request)."""

    def app(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
            body = list(response)
            response.close()  # sends request_finished while close_old_connections is disconnected
            return body
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return app


# Filled by the ``existing_ids`` fixture once the demo is seeded: list path -> ids of records listed there.
EXISTING_IDS: dict[str, list[int]] = {}


def before_generate_path_parameters(context, strategy):
    """Most generated ids name no record (a 404 is right); about half the cases use a record that exists."""
    path = context.operation.path
    if "{id}" not in path:
        return strategy
    list_path = path[: path.index("{id}")]

    def known():
        ids = EXISTING_IDS.get(list_path)
        # Deferred: the demo is seeded after collection, when the first case is drawn.
        return st.fixed_dictionaries({"id": st.sampled_from(ids)}) if ids else strategy

    return st.one_of(st.deferred(known), strategy)


def _served_schema() -> bytes:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    if api_support.add_error_responses not in spectacular_settings.POSTPROCESSING_HOOKS:
        raw = api_support.add_error_responses(result=raw, generator=None, request=None, public=True)
    # As JSON, as the view serves it (enums, lazy strings and tuples become plain JSON).
    return OpenApiJsonRenderer().render(raw)


_SERVED_SCHEMA = _served_schema()


def _load_schema(*, coverage: bool):
    """The schema /api/schema/ serves (the same generator), loaded at collection so that each operation and
    persona is a test of its own. Until SPECTACULAR_SETTINGS registers ``api_support.add_error_responses``, the
    hook is applied here. With ``coverage``, schemathesis's coverage phase adds the schema's boundary and
    wrong-type cases (about 40 per operation) to the random ones."""
    config = schemathesis.Config.from_dict({"seed": SEED, "phases": {"coverage": {"enabled": coverage}}})
    loaded = schemathesis.openapi.from_dict(orjson.loads(_SERVED_SCHEMA), config=config)
    loaded.app = in_test_transaction(get_wsgi_application())
    loaded.hook(before_generate_path_parameters)
    return loaded


schema = _load_schema(coverage=False)
deep_schema = _load_schema(coverage=True)


@pytest.fixture(scope="module")
def existing_ids(demo_world) -> dict[str, list[int]]:
    """For each list endpoint, the ids that any persona sees there (page_size 500 holds the whole demo)."""
    client = Client()
    paths = schema.raw_schema["paths"]
    for path in paths:
        if "{id}" not in path:
            continue
        list_path = path[: path.index("{id}")]
        if list_path in EXISTING_IDS or "get" not in paths.get(list_path, {}):
            continue
        found: set[int] = set()
        for token in demo_world["tokens"].values():
            body = client.get(list_path, {"page_size": 500}, HTTP_AUTHORIZATION=f"Token {token}").json()
            rows = body.get("results", []) if isinstance(body, dict) else body
            found.update(row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int))
        EXISTING_IDS[list_path] = sorted(found)
    yield EXISTING_IDS
    EXISTING_IDS.clear()


@pytest.fixture
def headers(persona, demo_world) -> dict[str, str]:
    token = demo_world["tokens"].get(persona)
    return {"Authorization": f"Token {token}"} if token else {}


@pytest.fixture
def server_errors() -> Iterator[list[str]]:
    """Tracebacks of exceptions that Django turned into a 500, to show with the failing case."""
    caught: list[str] = []

    def record(sender, request=None, **kwargs):
        caught.append(traceback.format_exc())

    got_request_exception.connect(record)
    try:
        yield caught
    finally:
        got_request_exception.disconnect(record)


def _answers_as_documented(case, persona, headers, server_errors) -> None:
    server_errors.clear()
    with transaction.atomic():
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except BaseException as failure:
        failure.add_note(f"persona: {persona}")
        for tb in server_errors:
            failure.add_note(tb)
        raise


HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    # Each case rolls back its own savepoint, so the function-scoped fixtures are safe to share between cases.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schema.parametrize()
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in DEEP_PERSONAS])
@HYPOTHESIS
def test_api_answers_as_its_schema_says(case, persona, headers, server_errors, db, existing_ids):
    _answers_as_documented(case, persona, headers, server_errors)


@deep_schema.parametrize()
@pytest.mark.parametrize("persona", DEEP_PERSONAS)
@HYPOTHESIS
def test_api_answers_boundary_cases_as_its_schema_says(case, persona, headers, server_errors, db, existing_ids):
    _answers_as_documented(case, persona, headers, server_errors)


# Odd input that random generation meets only now and then, sent to every query parameter, path id and request
# body, so that CI always asks: PostgreSQL refuses NUL in text, integers beyond 64 bits, non-ASCII digits
# ("²".isdigit() is true, int("²") fails), dates beyond datetime's years, non-UTF-8 bytes.
ODD_QUERY_VALUES = [
    "\x00", "a\x00b", "9" * 30, "-9" * 15, "²", "1e309", "NaN", "0000-01-01", "9999-12-31", "10000-01-01",
    "2026-02-30", "2025-Q9", "99999-Q1", "ü" * 300, "' OR 1=1 --",
]
ODD_IDS = ["0", "9" * 30, "2147483648", "9223372036854775808"]
ODD_BODIES = [
    (b"\xff\xfe\x00", "application/json"),
    (b'{"title": "\\u0000"}', "application/json"),
    (b"[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "application/json"),
    (b"title=%00&reason=%FF", "application/x-www-form-urlencoded"),
]
OPERATIONS = [(op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())]


@pytest.mark.parametrize("persona", DEEP_PERSONAS)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_odd_input_is_refused_as_documented(method, path, persona, headers, server_errors, db, existing_ids):
    operation = schema[path][method]
    known = existing_ids.get(path.split("{id}")[0]) if "{id}" in path else None
    path_ids = ([str(known[0])] if known else ["1"]) if "{id}" in path else [None]
    cases = []
    for path_id in path_ids:
        path_parameters = {"id": path_id} if path_id else None
        for param in operation.query:
            for value in ODD_QUERY_VALUES:
                cases.append(operation.Case(path_parameters=path_parameters, query={param.name: value}))
        # Unknown parameters are ignored; an ordering one must not reach order_by() unchecked either.
        cases.append(operation.Case(path_parameters=path_parameters, query={"ordering": "-nonexistent__x"}))
        if method != "GET":
            for raw, media_type in ODD_BODIES:
                cases.append(operation.Case(path_parameters=path_parameters, body=raw, media_type=media_type))
    if "{id}" in path:
        cases += [operation.Case(path_parameters={"id": odd}) for odd in ODD_IDS]
    for case in cases:
        _answers_as_documented(case, persona, headers, server_errors)
