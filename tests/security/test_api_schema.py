"""The API keeps the promises of its OpenAPI schema, for every role, with every check schemathesis has (issue 16
item 9): no server error; every answer (success or error) has a documented status code, content type, headers
and body; what the schema forbids is refused (negative_data_rejection) and what it allows is accepted
(positive_data_acceptance, but for the rules listed in RULES_THE_SCHEMA_CANNOT_STATE); an undocumented method is
405 with ``Allow``; credentials are enforced (ignored_auth); and the stateful checks (use_after_free,
ensure_resource_availability, object_level_authorization), which can only fire on a resource deleted or created
earlier in a stateful run, are applied to every case too.

Schemathesis reads the schema that /api/schema/ serves and sends requests for every operation to the WSGI
application in-process, as each persona of tests/conftest.py (and without credentials):

- every persona: ``SCHEMATHESIS_MAX_EXAMPLES`` random cases per operation (5 by default), about half of the
  path ids taken from records the demo lists;
- the Alliance Manager, whose writes get past the permission checks on most operations, also gets
  schemathesis's coverage phase (boundary values, wrong types, unexpected methods: about 40 cases an
  operation) and a fixed sweep of odd input (NUL bytes, 30-digit numbers, "²", far dates, non-UTF-8 bodies);
  ``SCHEMATHESIS_COVERAGE=all`` (or a comma-separated list of personas) widens that.

Generation is derandomised with a fixed seed, so CI sends the same requests every time (about 4,000 requests,
about 3 minutes on one core). A longer manual run:
``SCHEMATHESIS_MAX_EXAMPLES=100 SCHEMATHESIS_COVERAGE=all pytest tests/security/test_api_schema.py``.
``SCHEMATHESIS_TALLY=failures.jsonl`` records every failure (persona, check, operation, status, response) instead
of failing, each check run on its own, to count them per persona and check.

Data: the full demo (``portal.demo.seed``) is seeded once for the module inside a transaction that is rolled
back at the end, so no other test sees it; each test nests in it (pytest-django's ``db``), and each request runs
in its own savepoint, rolled back after it, so one case's writes (a vote, a closed decision) never change what
the next case finds. The requests go through Django's WSGI handler in this thread and so share the test's
database connection.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator

import orjson
import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS as CHECKS_REGISTRY
from schemathesis.checks import load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance

from alliance.models import Person
from tests.demo_world import seeded_demo

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

# Operations whose schema-valid requests the API refuses (400, its error body naming the field) by a rule an OpenAPI
# 3.0 schema cannot state: a code or slug that must name a record of the alliance's data (a Decision Matrix row, a
# partner, a key person role, a scheme), a person the caller may name (alliance.permissions.may_name_person), a
# date relative to today or to another field, one of two fields required, or the state of the record (a plan
# already accepted, an instruction not yet approved). The API answers every refusal by a rule with 400 (its
# contract: clients and the pages rely on it), where schemathesis's positive_data_acceptance expects a 2xx or a
# 409. For these operations only, and only when every field the 400 names is one of the fields listed (so a shape
# the schema allows but the API refuses still fails), the refusal is accepted. "non_field_errors" is the record's
# state. Every other check applies to them in full.
RULES_THE_SCHEMA_CANNOT_STATE: dict[str, set[str]] = {
    # responsible_organisation: a slug of the alliance; responsible_person: someone the caller may name; the due
    # date may not precede the start date.
    "POST /api/obligations/": {"responsible_organisation", "responsible_person", "due_date"},
    "POST /api/obligations/{id}/meet/": {"non_field_errors", "on"},  # only an open obligation; not before it starts
    "POST /api/obligations/{id}/cancel/": {"non_field_errors"},  # only an open obligation
    "POST /api/obligations/{id}/redate/": {"non_field_errors", "due_date"},  # open; not before its start date
    "POST /api/notifications/{id}/read/": {"non_field_errors"},
    # a row of the alliance's Decision Matrix; a closing time in the future
    "POST /api/governance/decisions/": {"decision_type", "closes_at"},
    "POST /api/governance/decisions/{id}/vote/": {"non_field_errors", "choice"},  # open; the choices of its rule
    "POST /api/governance/decisions/{id}/close/": {"non_field_errors"},  # only an open decision
    "POST /api/governance/decision-types/": {"code"},  # a code not yet in the Decision Matrix
    "POST /api/governance/instructions/": {"issued_on"},  # not in the future
    # para 27; a cost sent as a JSON number with more decimal places than pence
    "POST /api/governance/instructions/{id}/impact-assessment/": {"non_field_errors", "submitted_on", "cost_effect"},
    "POST /api/governance/instructions/{id}/client-decision/": {"non_field_errors", "reason"},  # para 29
    "POST /api/governance/instructions/{id}/instruct/": {"non_field_errors"},  # para 30: once accepted
    # a section the client reserves (para 3); text that is not blank once trimmed
    "POST /api/governance/plan/proposals/": {"section_number", "section_heading", "proposed_text", "reason"},
    "POST /api/allocation/packages/": {"code", "notified_on"},  # a new code; notified on or before today
    # rows naming regions and scheme types by code, each checked by the service (paras 79-81)
    "POST /api/allocation/packages/{id}/schemes/": {"schemes"},
    "POST /api/allocation/packages/{id}/allocate/": {"non_field_errors"},  # a package with proposed schemes
    # a partner that can be terminated or newly procured (paras 95-98), on a date its membership allows
    "POST /api/allocation/membership-changes/": {"partner", "effective_on", "non_field_errors"},
    "POST /api/allocation/membership-changes/{id}/apply/": {"non_field_errors"},  # proposed, effective date reached
    "POST /api/people/nominations/": {"role", "cv", "full_time"},  # a role's code; a CV checked by its content
    "POST /api/performance/scores/": {"scores"},  # rows naming schemes and metrics by code, quarters that started
    "POST /api/supplychain/management-plans/": {"non_field_errors", "sections"},  # checklist codes; one draft
    "POST /api/supplychain/management-plans/{id}/submit/": {"non_field_errors"},  # para 132: a draft
    "POST /api/supplychain/management-plans/{id}/accept/": {"non_field_errors"},  # para 132: a submitted plan
    # para 132: a submitted plan, returned naming the missing items or with comments (one of the two)
    "POST /api/supplychain/management-plans/{id}/return/": {"non_field_errors", "comments", "missing"},
    # a person the caller may name (issue 16 item 8); an exposure sent as a JSON number with more places than pence
    "POST /api/supplychain/risks/": {"owner", "financial_exposure"},
    # a note, a likelihood and an impact, unless no_change (seed 002)
    "POST /api/supplychain/risks/{id}/updates/": {"note", "likelihood", "impact", "non_field_errors"},
}


def positive_data_acceptance_but_documented_rules(ctx, response, case):
    """schemathesis's positive_data_acceptance, but a 400 that only names fields of RULES_THE_SCHEMA_CANNOT_STATE."""
    fields = RULES_THE_SCHEMA_CANNOT_STATE.get(f"{case.method.upper()} {case.path}")
    if fields and response.status_code == 400:
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            body = None
        if isinstance(body, dict) and body.get("code") == "invalid" and set(body.get("errors", {})) <= fields:
            return None
    return positive_data_acceptance(ctx, response, case)


positive_data_acceptance_but_documented_rules.__name__ = "positive_data_acceptance"

# Every check schemathesis offers, from its registry (a check a later version adds is applied too).
load_all_checks()
CHECKS = [positive_data_acceptance_but_documented_rules if check is positive_data_acceptance else check
          for check in CHECKS_REGISTRY.get_all()]
# Who also gets the coverage phase's boundary cases (about 3,000 requests a persona): by default the Alliance
# Manager, whose writes get past the permission checks on most operations; SCHEMATHESIS_COVERAGE=all for every
# persona (a longer manual run), or a comma-separated list of personas.
_coverage = os.environ.get("SCHEMATHESIS_COVERAGE", "alliance_manager")
DEEP_PERSONAS = list(PERSONAS) if _coverage == "all" else [p for p in _coverage.split(",") if p in PERSONAS]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The full demo, once for the module, rolled back afterwards, and an API token per persona."""
    with seeded_demo(django_db_blocker):
        tokens = {
            name: Token.objects.create(user=Person.objects.get(username=username)).key
            for name, username in PERSONAS.items()
            if username is not None
        }
        yield {"tokens": tokens}


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
    # As JSON, as the view serves it (enums, lazy strings and tuples become plain JSON), the postprocessing hooks
    # of SPECTACULAR_SETTINGS applied (the standard error answers, the limits of request text).
    return OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))


_SERVED_SCHEMA = _served_schema()


def _load_schema(*, coverage: bool):
    """The schema /api/schema/ serves (the same generator), loaded at collection so that each operation and
    persona is a test of its own. With ``coverage``, schemathesis's coverage phase adds the schema's boundary and
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


TALLY = os.environ.get("SCHEMATHESIS_TALLY")


def _tally(case, persona, headers, response) -> None:
    """Record each failing check of this case (each check run on its own) instead of failing."""
    for check in CHECKS:
        try:
            case.validate_response(response, checks=[check], headers=headers)
        except BaseException as failure:  # a failure group or a single failure: recorded
            with open(TALLY, "ab") as out:
                for each in getattr(failure, "exceptions", (failure,)):
                    out.write(orjson.dumps({
                        "persona": persona, "check": check.__name__, "operation": f"{case.method} {case.path}",
                        "status": response.status_code, "title": getattr(each, "title", str(each))[:200],
                        "message": str(getattr(each, "message", ""))[:600], "query": case.query,
                        "body": str(case.body)[:300], "path_parameters": case.path_parameters,
                        "response": response.text[:300],
                    }, default=str) + b"\n")


def _answers_as_documented(case, persona, headers, server_errors) -> None:
    """One request in its own savepoint, checked inside it (some checks send more requests: ignored_auth's
    probes without credentials), then rolled back."""
    server_errors.clear()
    try:
        with transaction.atomic():
            response = case.call(headers=headers)
            try:
                if TALLY:
                    _tally(case, persona, headers, response)
                else:
                    case.validate_response(response, checks=CHECKS, headers=headers)
            finally:
                transaction.set_rollback(True)
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
