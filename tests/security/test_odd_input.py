"""Odd input never makes a server error (issue 16 item 6): every page form and every API write, as the people who
may use them, posted odd numbers (1e308, NaN, Infinity, -1e20, 30 digits, integers beyond 64 bits), dates
(0000-01-01, 9999-12-31, 2026-02-30) and strings (NUL bytes, 100,000 characters, RTL marks, emoji) answers
4xx or success, never 500; and every date a form or a write serializer takes is bounded (alliance/dates.py).

Forms are found as people find them: the pages each persona can open are crawled from the home page (one page
per URL pattern), and every ``<form method="post">`` on them is fuzzed with hypothesis, field by field after
its input type. API writes are every POST/PUT/PATCH operation of the OpenAPI schema, their bodies built from
the request schema. Each request runs in a savepoint rolled back after it, on the full demo seeded once for the
module (as in test_api_schema.py, whose schemathesis conformance run is separate). Bounded for CI: a few
examples per form and operation, derandomised.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django import forms as django_forms
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers as drf_serializers
from rest_framework.authtoken.models import Token

from alliance.dates import validate_date_range
from alliance.models import Person
from tests.demo_world import seeded_demo

APPS = ["alliance", "governance", "allocation", "performance", "supplychain", "mobilisation"]
PERSONAS = ["alliance-manager", "sro", "wsp-rep", "wsp-staff", "client-reviewer"]
API_PERSONAS = ["alliance-manager", "wsp-rep"]
EXAMPLES = 2
PAGES_PER_PERSONA = 400

ODD_NUMBERS = ["1e308", "-1e308", "NaN", "nan", "Infinity", "-inf", "-1e20", "9" * 30, "-" + "9" * 30,
               str(2**64), str(-(2**63) - 1), "-1", "0", "1.00001", "²"]
ODD_DATES = ["0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "1999-12-31", "2101-01-01"]
ODD_DATETIMES = [f"{d}T12:00" for d in ODD_DATES] + ["9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00"]
ODD_STRINGS = ["\x00", "a\x00b", "x" * 100_000, "\u202eevil\u202c", "\u200f\u05e9\u05dc\u05d5\u05dd", "🙂" * 50,
               "ü" * 300, "' OR 1=1 --", "=HYPERLINK(\"http://evil\")", " ", "\r\n"]
JSON_NUMBERS = [1e308, -1e308, -1e20, 10**30, 2**64, -(2**63) - 1, -1, 0.00001]
SKIP_ACTIONS = {"logout", "two-factor", "two-factor-setup", "password_change", "calendar-revoke", "calendar-issue"}

HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
                      suppress_health_check=list(HealthCheck))


# --- Every date a form or a write serializer takes is bounded ----------------------------------------------------


def _project_classes(base: type) -> list[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if any(part in info.name for part in ("forms", "serializers", "views", "api")) and \
                    "migrations" not in info.name:
                importlib.import_module(info.name)
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.append(sub)
    return found


def test_every_date_a_form_takes_is_bounded():
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _project_classes(django_forms.BaseForm)
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, django_forms.DateField | django_forms.DateTimeField)
        and validate_date_range not in field.validators
    ]
    assert unbounded == []


def _input_serializer_names() -> set[str]:
    """The serializers that read input: those an API view builds with ``data=`` or names as its
    ``input_serializer`` (the rest only shape answers, where a date field takes nothing)."""
    names: set[str] = set()
    for app in APPS:
        for source in Path(importlib.import_module(app).__path__[0]).rglob("*.py"):
            text = source.read_text()
            names |= set(re.findall(r"\b(\w+Serializer)\((?:\w+=[\w.]+, *)*data=", text))
            names |= set(re.findall(r"input_serializer = (\w+Serializer)", text))
    return names


def test_every_date_a_serializer_takes_is_bounded():
    readers = _input_serializer_names()
    assert len(readers) >= 15  # the finder still finds the API's input serializers
    unbounded = []
    for cls in _project_classes(drf_serializers.BaseSerializer):
        if issubclass(cls, drf_serializers.ListSerializer) or cls.__name__ not in readers:
            continue
        try:
            fields = cls().fields
        except Exception:  # noqa: BLE001,S112 - a serializer that needs its context is checked through its callers
            continue
        unbounded += [
            f"{cls.__module__}.{cls.__name__}.{name}" for name, field in fields.items()
            if isinstance(field, drf_serializers.DateField | drf_serializers.DateTimeField)
            and not field.read_only and validate_date_range not in field.validators
        ]
    assert unbounded == []


# --- The demo, once for the module -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker) -> Iterator[dict]:
    with seeded_demo(django_db_blocker):
        people = {username: Person.objects.get(username=username) for username in PERSONAS}
        tokens = {username: Token.objects.create(user=people[username]).key for username in API_PERSONAS}
        yield {"people": people, "tokens": tokens}


def _answer(send) -> int:
    """One request in a savepoint rolled back after it: one case's writes never change what the next finds."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response.status_code


# --- Page forms --------------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The links and the POST forms of a page: each form's action and fields (name, input type, a valid value)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "textarea", "select"} and a.get("name"):
            kind = "select" if tag == "select" else "textarea" if tag == "textarea" else (a.get("type") or "text")
            if a.get("inputmode") in {"numeric", "decimal"}:
                kind = "number"
            if kind not in {"submit", "file", "button"} and a["name"] != "csrfmiddlewaretoken":
                self._form["fields"].setdefault(a["name"], {"kind": kind, "value": a.get("value") or ""})
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._select and self._form is not None and a.get("value"):
            field = self._form["fields"][self._select]
            field["value"] = field["value"] or a["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _route(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route


def _crawl(client: Client) -> list[tuple[str, dict]]:
    """(page URL, form) for every POST form on the pages a persona reaches, one page per URL pattern."""
    seen_routes, queue, found = set(), ["/"], {}
    pages = 0
    while queue and pages < PAGES_PER_PERSONA:
        url = queue.pop(0)
        route = _route(url)
        if route is None or route in seen_routes or url.startswith(("/api/", "/admin/", "/static/")):
            continue
        seen_routes.add(route)
        response = client.get(url)
        pages += 1
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        page = _Page()
        page.feed(response.content.decode())
        for href in page.links:
            target = urljoin(url, href)
            if target.startswith("/") and not target.startswith("//"):
                queue.append(target.split("#")[0])
        for form in page.forms:
            action = urlsplit(urljoin(url, form["action"] or url)).path
            try:
                name = resolve(action).url_name
            except Resolver404:
                continue
            if name in SKIP_ACTIONS:
                continue
            found.setdefault((_route(action), tuple(sorted(form["fields"]))), (action, form))
    return list(found.values())


def _field_values(field: dict) -> st.SearchStrategy:
    kind, valid = field["kind"], field["value"]
    odd = {"number": ODD_NUMBERS, "date": ODD_DATES, "datetime-local": ODD_DATETIMES}.get(kind)
    if odd is None:  # text, textarea, select, hidden: any of the odd values, or what the page offers
        odd = ODD_STRINGS + ODD_NUMBERS[:6] + ODD_DATES[:3]
    if kind in {"checkbox", "radio"}:
        return st.sampled_from([valid or "on", "", "\x00"])
    return st.sampled_from([valid, *odd]) if valid else st.sampled_from(odd)


@pytest.mark.django_db
@pytest.mark.parametrize("username", PERSONAS)
def test_no_page_form_answers_a_server_error_on_odd_input(demo_world, username):
    client = Client()
    client.force_login(demo_world["people"][username])
    from tests.conftest import second_factor_pass

    second_factor_pass(client, demo_world["people"][username])
    forms_found = _crawl(client)
    assert len(forms_found) >= 5, "the crawl finds the forms each persona uses (9 to 20 in the demo)"
    for action, form in forms_found:
        _fuzz_form(client, username, action, form)


def _fuzz_form(client: Client, username: str, action: str, form: dict) -> None:
    @HYPOTHESIS
    @given(data=st.fixed_dictionaries({name: _field_values(f) for name, f in form["fields"].items()}))
    def post(data):
        status = _answer(lambda: client.post(action, data))
        assert status < 500, f"{username} POST {action} {data!r}: {status}"

    post()


# --- API writes --------------------------------------------------------------------------------------------------


_SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
WRITES = [(method, path) for path, item in _SCHEMA["paths"].items() for method in item
          if method in {"post", "put", "patch"}]


def _resolve_ref(schema: dict) -> dict:
    while "$ref" in schema:
        schema = _SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _value_for(schema: dict, depth: int = 0) -> st.SearchStrategy:
    schema = _resolve_ref(schema)
    if "allOf" in schema or "oneOf" in schema or "anyOf" in schema:
        schema = _resolve_ref((schema.get("allOf") or schema.get("oneOf") or schema.get("anyOf"))[0])
    kind, fmt = schema.get("type"), schema.get("format")
    if "enum" in schema:
        return st.sampled_from([*schema["enum"], *ODD_STRINGS[:4]])
    if fmt == "date":
        return st.sampled_from(ODD_DATES)
    if fmt == "date-time":
        return st.sampled_from(ODD_DATETIMES)
    if kind in {"integer", "number"} or fmt == "decimal":
        return st.sampled_from(JSON_NUMBERS + ODD_NUMBERS)
    if kind == "boolean":
        return st.sampled_from([True, False, "\x00", 2**70])
    if kind == "array" and depth < 2:
        return st.lists(_value_for(schema.get("items", {}), depth + 1), min_size=1, max_size=2)
    if kind == "object" and depth < 2:
        return _body_for(schema, depth + 1)
    return st.sampled_from(ODD_STRINGS + ODD_NUMBERS[:4] + ODD_DATES[:2])


def _body_for(schema: dict, depth: int = 0) -> st.SearchStrategy:
    schema = _resolve_ref(schema)
    if schema.get("type") == "array":
        return _value_for(schema, depth)
    properties = {name: _value_for(prop, depth) for name, prop in schema.get("properties", {}).items()
                  if not _resolve_ref(prop).get("readOnly")}
    return st.fixed_dictionaries(properties)


def _request_schema(method: str, path: str) -> dict:
    content = _SCHEMA["paths"][path][method].get("requestBody", {}).get("content", {})
    return (content.get("application/json") or next(iter(content.values()), {})).get("schema", {})


def _an_id(client: Client, headers: dict, path: str) -> str:
    """An id the list endpoint shows (the write's path is the list's plus {id}), or 1."""
    listing = re.sub(r"\{id\}.*$", "", path)
    response = client.get(listing, {"page_size": 5}, headers=headers)
    if response.status_code == 200:
        body = response.json()
        rows = body.get("results", []) if isinstance(body, dict) else body
        ids = [row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)]
        if ids:
            return str(ids[0])
    return "1"


@pytest.mark.django_db
@pytest.mark.parametrize("username", API_PERSONAS)
@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m.upper()} {p}" for m, p in WRITES])
def test_no_api_write_answers_a_server_error_on_odd_input(demo_world, username, method, path):
    client = Client()
    headers = {"Authorization": f"Token {demo_world['tokens'][username]}"}
    url = path.replace("{id}", _an_id(client, headers, path)) if "{id}" in path else path

    @HYPOTHESIS
    @given(body=_body_for(_request_schema(method, path)))
    def send(body):
        raw = json.dumps(body)
        status = _answer(lambda: getattr(client, method)(url, raw, content_type="application/json",
                                                         headers=headers))
        assert status < 500, f"{username} {method.upper()} {url} {raw[:300]}: {status}"

    send()
