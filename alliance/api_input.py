"""Request bodies read with the types the OpenAPI schema gives them, in JSON and in form bodies alike.

DRF's fields are lenient: a CharField takes ``0`` as "0", a BooleanField takes ``0``, ``"yes"`` or ``"on"``,
an IntegerField takes ``"5"`` or ``"5.0"``, a DecimalField takes ``1250.5``. The schema says a string, a boolean,
an integer, a decimal (a string or a number): a client sending anything else has a bug, and the API accepting it
made the schema untrue (schemathesis' negative_data_rejection: "Schema-violating request accepted").

Every API serializer that reads a body inherits ``InputSerializer``: a value of the wrong type is refused with 400
naming the field, before DRF's own validation.

- JSON: each value must have the JSON type of the schema (``null`` is left to the field's ``allow_null``).
- Form and multipart bodies (which the API also reads: a nomination with its CV, scripts posting forms) carry
  text only: a boolean must read ``true`` or ``false``, an integer must be digits; and ``null`` given for a
  field that may be null is null, as a JSON ``null`` would be (a form has no other way to say it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.http import QueryDict
from rest_framework import serializers

ERR_TEXT = "Must be text (a JSON string)."
ERR_BOOLEAN = "Must be true or false (a JSON boolean)."
ERR_INTEGER = "Must be a whole number (a JSON integer)."
ERR_NUMBER = "Must be a number."
ERR_DECIMAL = 'Must be a decimal number: a JSON number or a string such as "1250.50".'
ERR_FORM_BOOLEAN = "Must be true or false."
ERR_FORM_INTEGER = "Must be a whole number."

# A related field (a person named by username, an organisation by slug) is left to itself: it refuses what names
# no record with its own message (alliance.serializers.NamedPersonField: the same for any wrong value).
_TEXT_FIELDS = (serializers.CharField, serializers.DateField, serializers.DateTimeField, serializers.TimeField,
                serializers.DurationField)
_FORM_BOOLEANS = {"true", "false"}  # any case: Django's test client and Python send True as "True"
_FORM_INTEGER = re.compile(r"-?[0-9]+")


def json_type_error(field: serializers.Field, value) -> str | None:
    """Why ``value`` (as parsed from JSON) is not of the JSON type the schema documents for ``field``, or None."""
    if value is None:
        return None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else ERR_BOOLEAN
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else ERR_INTEGER
    if isinstance(field, serializers.DecimalField):
        # A decimal is written as a string ("1250.50", as the API answers it: COERCE_DECIMAL_TO_STRING) or as a JSON
        # number: partners' scripts send amounts as numbers (the allocation contract posts "design_value": 100),
        # and the request schema says both (alliance.api_schema.decimals_as_string_or_number).
        return None if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ERR_DECIMAL
    if isinstance(field, serializers.FloatField):
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else ERR_NUMBER
    if isinstance(field, serializers.MultipleChoiceField):
        return None
    if isinstance(field, serializers.ChoiceField):
        # An enum of strings (every one here): 0 is not "0".
        textual = all(isinstance(key, str) for key in field.choices)
        return ERR_TEXT if textual and not isinstance(value, str) else None
    if isinstance(field, _TEXT_FIELDS):
        return None if isinstance(value, str) else ERR_TEXT
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        return next((error for item in value if (error := json_type_error(field.child, item))), None)
    if isinstance(field, serializers.DictField) and isinstance(value, dict):
        return next((error for item in value.values() if (error := json_type_error(field.child, item))), None)
    return None


def form_type_error(field: serializers.Field, text: str) -> str | None:
    """Why the text of a form field does not read as the type the schema documents for ``field``, or None."""
    if not isinstance(text, str) or text == "":
        return None  # a file, or an empty field: the field's own required/blank rules apply
    if isinstance(field, serializers.BooleanField):
        return None if text.lower() in _FORM_BOOLEANS else ERR_FORM_BOOLEAN
    if isinstance(field, serializers.IntegerField):
        return None if _FORM_INTEGER.fullmatch(text) else ERR_FORM_INTEGER
    return None


class InputSerializer(serializers.Serializer):
    """The base of the API's input serializers: a body's values have the types of the schema."""

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, QueryDict):
            nulls = [name for name, field in self.fields.items()
                     if field.allow_null and not field.read_only and str(data.get(name, "")).lower() == "null"]
            if nulls:
                # A shallow copy (QueryDict.copy() deep-copies, uploaded files included).
                copied = QueryDict(mutable=True)
                for key, values in data.lists():
                    copied.setlist(key, values)
                for name in nulls:
                    copied[name] = ""  # an empty form field is null to a field that allows null (DRF)
                data = copied
            for name, field in self.fields.items():
                if not field.read_only and name in data and (error := form_type_error(field, data.get(name))):
                    errors[name] = [error]
        elif isinstance(data, Mapping):
            for name, field in self.fields.items():
                if not field.read_only and name in data and (error := json_type_error(field, data[name])):
                    errors[name] = [error]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
