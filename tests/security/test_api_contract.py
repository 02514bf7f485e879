"""The API's schema is the truth (issue 16 item 9), checked rule by rule and deterministically (schemathesis checks
the same at random in test_api_schema.py):

- every filter a list documents refuses, with 400 in the API's error body naming it, any value the schema
  forbids (an unknown enum value, a word where a number belongs, ``null``, an empty value, the parameter twice),
  instead of ignoring it and answering the unfiltered list (``status=AAA``, ``page_size=null`` answered 200);
- a JSON body's values have the JSON types the schema gives them (``"title": 0`` is refused, not read as "0");
- the schema documents the error answers every operation can give, and the limits of what it accepts (no NUL
  in text, the range of dates, a list that may not be empty).
"""

from __future__ import annotations

import re

import orjson
import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from alliance import api_filters, api_input, api_support
from alliance.api_schema import DATE_PATTERN, DATETIME_PATTERN, NO_NUL_PATTERN, NOT_BLANK_PATTERN

pytestmark = pytest.mark.django_db

SCHEMA = orjson.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
COMPONENTS = SCHEMA["components"]["schemas"]

# Every list (a GET without a path id) with the query parameters it documents.
LISTS = {
    path: item["get"]["parameters"]
    for path, item in SCHEMA["paths"].items()
    if "get" in item and "{" not in path and any(p["in"] == "query" for p in item["get"].get("parameters", []))
}


def _forbidden_values(schema: dict) -> list[str]:
    """Query values the parameter's schema does not allow, as a client would type them."""
    pattern = schema.get("pattern", NO_NUL_PATTERN)
    typed = schema.get("type") != "string" or "enum" in schema or not re.search(pattern, "null")
    values = ["", "null"] if typed and not schema.get("nullable") else [""]
    if "enum" in schema:
        values.append("AAA")
    elif schema.get("type") == "integer":
        values += ["abc", "1.5", "²"]
        if "minimum" in schema:
            values.append(str(schema["minimum"] - 1))
        if "maximum" in schema:
            values.append(str(schema["maximum"] + 1))
    elif schema.get("type") == "boolean":
        values.append("maybe")
    elif schema.get("format") == "date":
        values += ["2026-13-45", "0000-01-01"]
    elif pattern in (NO_NUL_PATTERN, NOT_BLANK_PATTERN):
        values.append("a\x00b")
        if pattern == NOT_BLANK_PATTERN:
            values.append("   ")
    elif not re.search(pattern, "A A"):
        values.append("A A")
    return values


def _cases():
    for path, parameters in LISTS.items():
        for parameter in parameters:
            if parameter["in"] == "query":
                yield pytest.param(path, parameter["name"], parameter["schema"], id=f"{path}?{parameter['name']}")


def test_the_lists_the_issue_named_are_checked_here():
    assert "/api/allocation/schemes/" in LISTS and "/api/governance/performance-tables/" in LISTS
    assert len(LISTS) >= 25  # every paginated list has page and page_size


@pytest.mark.parametrize(("path", "name", "schema"), list(_cases()))
def test_every_documented_filter_refuses_what_its_schema_forbids(path, name, schema, alliance_manager, client_for):
    c = client_for(alliance_manager)
    for value in _forbidden_values(schema):
        response = c.get(path, {name: value})
        assert response.status_code == 400, (value, response.status_code, response.content[:300])
        body = response.json()
        assert body["code"] == "invalid" and name in body["errors"], (value, body)
    twice = c.get(f"{path}?{name}=1&{name}=1")
    assert twice.status_code == 400 and twice.json()["errors"][name] == [api_filters.ERR_REPEATED]


@pytest.mark.parametrize(("path", "name", "schema"), [c for c in _cases() if "enum" in c.values[2]])
def test_every_value_of_a_documented_enum_filter_is_accepted(path, name, schema, alliance_manager, client_for):
    c = client_for(alliance_manager)
    for value in schema["enum"]:
        query = {name: value} if path != "/api/performance/scorecard/" else {name: value, "year": 2026}
        assert c.get(path, query).status_code == 200, (value,)


def test_an_unknown_status_and_a_null_page_size_are_refused_naming_them(alliance_manager, client_for):
    c = client_for(alliance_manager)
    body = c.get("/api/allocation/schemes/", {"status": "AAA"}).json()
    assert body["status"] == 400 and body["errors"] == {"status": ['"AAA" is not a valid choice.']}
    body = c.get("/api/governance/performance-tables/", {"page_size": "null"}).json()
    assert body["status"] == 400 and body["errors"] == {"page_size": [api_support.ERR_PAGE_SIZE]}
    body = c.get("/api/supplychain/risks/", {"page": "0"}).json()
    assert body["status"] == 400 and body["errors"] == {"page": [api_support.ERR_PAGE]}


def test_pages_and_filters_still_work_as_documented(alliance_manager, client_for):
    c = client_for(alliance_manager)
    every = c.get("/api/obligations/", {"page_size": 9999}).json()  # 500 rows at most
    assert every["count"] > 1, "the core's demo has obligations"
    assert c.get("/api/obligations/", {"page": "last", "page_size": 1}).json()["count"] == every["count"]
    assert c.get("/api/obligations/", {"page": 999}).status_code == 404  # past the last page
    kind = every["results"][0]["kind"]
    some = c.get("/api/obligations/", {"kind": kind, "page_size": 500}).json()["results"]
    assert some and {o["kind"] for o in some} == {kind}
    # An unknown owner finds no risks rather than failing.
    assert c.get("/api/supplychain/risks/", {"owner": "nobody-here"}).json()["count"] == 0


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"title": 0, "start_date": "2026-11-23", "due_date": "2026-12-01"}, "title", api_input.ERR_TEXT),
    ({"title": "Send the report", "start_date": 20261123, "due_date": "2026-12-01"}, "start_date", api_input.ERR_TEXT),
    ({"title": "Send the report", "start_date": "2026-11-23", "due_date": "2026-12-01", "kind": 0}, "kind",
     api_input.ERR_TEXT),
])
def test_a_json_value_of_the_wrong_type_is_refused_not_converted(body, field, message, alliance_manager, client_for):
    response = client_for(alliance_manager).post("/api/obligations/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"] == {field: [message]}


def test_booleans_integers_and_decimals_keep_their_json_types(alliance_manager, client_for):
    c = client_for(alliance_manager)
    row = {"code": "X9", "name": "Row", "authority": "board", "is_active": 0}
    body = c.post("/api/governance/decision-types/", row, content_type="application/json").json()
    assert body["errors"] == {"is_active": [api_input.ERR_BOOLEAN]}
    risk = {"title": "Late steel", "owner": "alliance-manager", "likelihood": "3", "impact": 3,
            "financial_exposure": True}
    body = c.post("/api/supplychain/risks/", risk, content_type="application/json").json()
    assert body["errors"] == {"likelihood": [api_input.ERR_INTEGER], "financial_exposure": [api_input.ERR_DECIMAL]}


def test_a_decimal_may_be_a_json_number_or_a_string(alliance_manager, client_for):
    """Partners' scripts send amounts as JSON numbers (the allocation contract posts "design_value": 100); the API
    answers decimals as strings and reads both, as its request schema says."""
    c = client_for(alliance_manager)
    for exposure, stored in ((2500.5, "2500.50"), ("2500.50", "2500.50"), (100, "100.00")):
        risk = {"title": "Late steel", "owner": "alliance-manager", "likelihood": 3, "impact": 3,
                "strategy": "treat", "financial_exposure": exposure}
        response = c.post("/api/supplychain/risks/", risk, content_type="application/json")
        assert response.status_code == 201, response.content
        assert response.json()["financial_exposure"] == stored
    too_precise = {"title": "Late steel", "owner": "alliance-manager", "likelihood": 3, "impact": 3,
                   "strategy": "treat", "financial_exposure": 2500.125}
    response = c.post("/api/supplychain/risks/", too_precise, content_type="application/json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["financial_exposure"]
    exposure = SCHEMA["components"]["schemas"]["RiskCreateRequest"]["properties"]["financial_exposure"]
    assert [part["type"] for part in exposure["anyOf"]] == ["string", "number"]


def _operations():
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_operation_documents_its_error_answers_with_the_error_body():
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in _operations():
        responses = operation["responses"]
        takes_query = any(p["in"] == "query" for p in operation.get("parameters", []))
        expected = {"401", "403", "404"} | ({"400"} if method != "get" or takes_query else set())
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            content = responses[code].get("content", {}).get("application/json", {})
            assert content.get("schema") == error_ref or "$ref" in content.get("schema", {}), (method, path, code)


def _strings(schema, seen=None):
    seen = set() if seen is None else seen
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _strings(COMPONENTS[name], seen)
        return
    if schema.get("type") == "string":
        yield schema
    for sub in [*schema.get("properties", {}).values(), schema.get("items"), schema.get("additionalProperties")]:
        yield from _strings(sub, seen)


def test_request_text_excludes_nul_and_request_dates_state_their_range():
    texts = dates = 0
    for _path, _method, operation in _operations():
        for media in operation.get("requestBody", {}).get("content", {}).values():
            for string in _strings(media["schema"]):
                if "enum" in string or string.get("format") == "binary":
                    continue
                if string.get("format") == "date":
                    dates += 1
                    assert string["pattern"] == DATE_PATTERN
                elif string.get("format") == "date-time":
                    assert string["pattern"] == DATETIME_PATTERN
                else:
                    texts += 1
                    assert "pattern" in string, string
    assert texts > 50 and dates > 5


def test_a_list_body_that_may_not_be_empty_says_so():
    body = SCHEMA["paths"]["/api/allocation/packages/{id}/schemes/"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["minItems"] == 1


def test_the_scorecard_without_a_period_is_the_current_quarters(alliance_manager, client_for):
    """OpenAPI cannot say "give period or year": without either, the scorecard is the current quarter's (today
    23 Nov 2026: 2026-Q4, which the core's demo has not opened, so not found), rather than a refusal."""
    body = client_for(alliance_manager).get("/api/performance/scorecard/").json()
    assert body == {"status": 404, "code": "not_found", "detail": "No quarter 2026-Q4."}
