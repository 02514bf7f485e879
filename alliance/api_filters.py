"""The query parameters of the API's lists, read one way everywhere.

Each list declares its filters once, as a serializer: ``@extend_schema(parameters=[TheQuerySerializer])``
documents them in the OpenAPI schema, and ``read_query(request, TheQuerySerializer)`` reads them in the view. So
what the schema promises is what the view checks: a value outside a documented enum (``status=AAA``), a word
where a number belongs, ``null`` or ``false`` for a date, a NUL character... is refused with 400 in the API's
error body (alliance.api_support), naming the parameter, instead of being ignored (which answered 200 with an
unfiltered list, as if the filter had been applied). So are a declared parameter given twice and one given
empty (``?status=``), which the schema does not allow either. Parameters no list declares are ignored.
"""

from __future__ import annotations

from rest_framework import serializers

from alliance.database import ID_MAX

ERR_BLANK = "Give a value, or leave the parameter out."
ERR_REPEATED = "Give this parameter once."
ERR_BOOLEAN = "Must be true or false."


def read_query(request, serializer_class: type[serializers.Serializer]) -> dict:
    """The validated filters of ``serializer_class`` from the request's query string; 400 naming each bad one."""
    query = serializer_class(data=request.query_params)
    refused = repeated_or_blank(request, query.fields)
    if refused:
        raise serializers.ValidationError(refused)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def repeated_or_blank(request, fields) -> dict[str, list[str]]:
    """The declared single-valued parameters given twice (``?status=open&status=closed``: which one?) or empty
    (``?status=``: the schema gives each a type, an enum or a minimum length that "" does not meet), by name.
    A parameter whose field allows blank text may be empty."""
    refused = {}
    for name, field in fields.items():
        values = request.query_params.getlist(name)
        if len(values) > 1 and not isinstance(field, serializers.ListField):
            refused[name] = [ERR_REPEATED]
        elif "" in values and not getattr(field, "allow_blank", False):
            refused[name] = [ERR_BLANK]
    return refused


class QueryBooleanField(serializers.BooleanField):
    """A yes/no filter: ``true`` or ``false`` as the schema documents (DRF's other spellings, 1/0, yes/no, on/off,
    are read too); absent filters nothing; anything else, ``null`` included, is refused."""

    default_error_messages = {"invalid": ERR_BOOLEAN}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", False)
        super().__init__(**kwargs)


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """An enum filter (documented as an enum, with its values): any other value is refused."""
    kwargs.setdefault("required", False)
    return serializers.ChoiceField(choices=choices, **kwargs)


def record_id(**kwargs) -> serializers.IntegerField:
    """A filter by a record's id: a whole number from 1 to ID_MAX (an id that names no record filters everything
    out; one above any table's would overflow SQLite's integers in the query, a 500)."""
    kwargs.setdefault("required", False)
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def text(**kwargs) -> serializers.CharField:
    """A free-text or slug filter: NUL refused (PostgreSQL cannot compare it); an unknown value finds nothing."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("max_length", 200)
    return serializers.CharField(**kwargs)
