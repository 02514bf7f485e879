"""What the OpenAPI schema (drf-spectacular) states beyond what it infers from serializers, so that it tells the
truth about what the API accepts: a client (and schemathesis, tests/security/test_api_schema.py) that sends what
the schema allows gets past the shape checks, and what the schema forbids is refused with 400.

- ``AutoSchema`` (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS): a list body of a ``ListSerializer`` that may not be
  empty (``allow_empty=False``, ``min_length``, ``max_length``) says so with ``minItems``/``maxItems``.
- a date a request carries in a BoundedDateField or BoundedDateTimeField states the accepted range (a pattern).
- ``refuse_nul_in_request_strings`` (a postprocessing hook, SPECTACULAR_SETTINGS): every free-text string a
  request carries (a body property, a query parameter) says it may not hold NUL. DRF's CharField refuses it
  (ProhibitNullCharactersValidator: PostgreSQL cannot store it), so the schema says so with a pattern; one that
  may not be blank also says that white space alone is blank (DRF trims it).

- ``decimals_as_string_or_number`` (a postprocessing hook): a decimal a request carries may be a string with the
  field's pattern or a JSON number within the field's digits (alliance.api_input reads both).

The standard error answers every operation documents are alliance.api_support.add_error_responses.
"""

from __future__ import annotations

import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer

# Any text without U+0000 (an ECMA-262 pattern, as OpenAPI patterns are); and, for a field that may not be blank
# (minLength 1: DRF trims the text first, so "  " is blank), text with something other than white space.
NO_NUL_PATTERN = "^[^\\u0000]*$"
NOT_BLANK_PATTERN = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
_REF_PREFIX = "#/components/schemas/"


# The range of the dates people enter (alliance.dates: 1 January 2000 to 31 December 2100) as a pattern on the
# request side of alliance.api_support's BoundedDateField and BoundedDateTimeField, so that a client (and
# schemathesis) knows which dates are accepted: the days of 2000 to 2100, 29 February left out (a pattern cannot
# tell leap years; the field accepts it in a leap year). A date and time takes the years 2001 to 2099 only: its
# offset can move the day it names across the range's ends (2000-01-01T00:30+01:00 is still 1999 in London).
_MONTH_DAY = r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
DATE_PATTERN = rf"^(20[0-9]{{2}}|2100)-{_MONTH_DAY}$"
DATETIME_PATTERN = (rf"^20(0[1-9]|[1-9][0-9])-{_MONTH_DAY}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{{1,6}})?)?"
                    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$")


class BoundedDateFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "alliance.api_support.BoundedDateField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "format": "date"}
        return schema | ({"pattern": DATE_PATTERN} if direction == "request" else {})


class BoundedDateTimeFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "alliance.api_support.BoundedDateTimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "format": "date-time"}
        return schema | ({"pattern": DATETIME_PATTERN} if direction == "request" else {})


class AutoSchema(SpectacularAutoSchema):
    def _unwrap_list_serializer(self, serializer, direction):
        schema = super()._unwrap_list_serializer(serializer, direction)
        if schema and is_list_serializer(serializer):
            least = max(serializer.min_length or 0, 0 if serializer.allow_empty else 1)
            if least:
                schema["minItems"] = least
            if serializer.max_length is not None:
                schema["maxItems"] = serializer.max_length
        return schema


def _is_free_text(schema: dict) -> bool:
    return (schema.get("type") == "string" and "enum" not in schema and "format" not in schema
            and "pattern" not in schema)


def _constrain(schema, components: dict, seen: set[str]) -> None:
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref", "")
    if ref.startswith(_REF_PREFIX):
        name = ref[len(_REF_PREFIX):]
        if name not in seen:
            seen.add(name)
            _constrain(components.get(name), components, seen)
        return
    if _is_free_text(schema):
        schema["pattern"] = NOT_BLANK_PATTERN if schema.get("minLength", 0) >= 1 else NO_NUL_PATTERN
    for prop in schema.get("properties", {}).values():
        _constrain(prop, components, seen)
    for key in ("items", "additionalProperties"):
        _constrain(schema.get(key), components, seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            _constrain(part, components, seen)


def refuse_nul_in_request_strings(result, generator, request, public):
    """drf-spectacular postprocessing hook: free-text strings of requests (bodies and query parameters) exclude NUL.

    Only what requests carry: with COMPONENT_SPLIT_REQUEST the bodies' components are their own (``...Request``),
    never a response's, so a response's text (which may be anything stored) keeps no such pattern."""
    components = result.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    _constrain(parameter.get("schema"), components, seen)
            for media in operation.get("requestBody", {}).get("content", {}).values():
                _constrain(media.get("schema"), components, seen)
    return result


# The digits a decimal's pattern allows (drf-spectacular writes "^-?\d{0,12}(?:\.\d{0,2})?$" for max_digits=14,
# decimal_places=2): the same bound for a JSON number.
_DECIMAL_PATTERN = re.compile(r"^\^-\?\\d\{0,(\d+)\}")


def _decimal_or_number(schema, components: dict, seen: set[str]) -> None:
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref", "")
    if ref.startswith(_REF_PREFIX):
        name = ref[len(_REF_PREFIX):]
        if name not in seen:
            seen.add(name)
            _decimal_or_number(components.get(name), components, seen)
        return
    for prop in list(schema.get("properties", {}).values()):
        if isinstance(prop, dict) and prop.get("type") == "string" and prop.get("format") == "decimal":
            whole = _DECIMAL_PATTERN.match(prop.get("pattern", ""))
            number = {"type": "number"}
            if whole:
                bound = 10 ** int(whole.group(1))
                number |= {"minimum": -bound, "maximum": bound, "exclusiveMinimum": True, "exclusiveMaximum": True}
            text = {key: prop.pop(key) for key in ("type", "format", "pattern") if key in prop}
            prop["anyOf"] = [text, number]
        else:
            _decimal_or_number(prop, components, seen)
    for key in ("items", "additionalProperties"):
        _decimal_or_number(schema.get(key), components, seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            _decimal_or_number(part, components, seen)


def decimals_as_string_or_number(result, generator, request, public):
    """drf-spectacular postprocessing hook: in request bodies, a decimal is a string with its pattern or a number
    within the same digits (a JSON number with more decimal places than the field keeps is refused with 400)."""
    components = result.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict):
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    _decimal_or_number(media.get("schema"), components, seen)
    return result
