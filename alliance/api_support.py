"""What every app's API shares: one error shape, pagination, and the JSON 404 for unknown /api/ paths.

Every error answers ``{"status": 400, "code": "invalid", "detail": "...", "errors": {"field": ["..."]}}``
(``errors`` only for validation). Services raise Django's ValidationError and PermissionDenied; they are
turned into 400 and 403 here, so API views never translate them one by one.
"""

from __future__ import annotations

import orjson
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

from alliance.api_filters import ERR_REPEATED
from alliance.dates import validate_date_range

NON_FIELD = "non_field_errors"


ERR_PAGE = "A page number: a whole number from 1."
ERR_PAGE_SIZE = "A page size: a whole number from 1 (at most 500 rows come back, whatever is asked)."


class Pagination(PageNumberPagination):
    """Pages of 100 rows; ``page_size`` up to 500. Both parameters are whole numbers from 1, as the schema says:
    anything else (``page_size=null``, ``page=-1``, ``page=abc``) is refused with 400 naming the parameter,
    instead of DRF's silent default size (or its 404 "Invalid page"). A page past the last is 404."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def _whole_number(self, request, name: str, message: str) -> int | None:
        values = request.query_params.getlist(name)
        if len(values) > 1:
            raise exceptions.ValidationError({name: [ERR_REPEATED]})
        value = values[0] if values else None
        if value is None or (name == self.page_query_param and value in self.last_page_strings):
            return None
        # isdecimal, not isdigit: "²".isdigit() is true and int("²") fails.
        if not (value.isascii() and value.isdecimal()) or int(value) < 1:
            raise exceptions.ValidationError({name: [message]})
        return int(value)

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param, ERR_PAGE_SIZE)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self._whole_number(request, self.page_query_param, ERR_PAGE)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = f"Rows per page: {self.page_size} unless asked; at most {self.max_page_size}."
        return parameters


def _django_validation_to_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        detail = {
            (NON_FIELD if field == "__all__" else field): [m for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    else:
        detail = {NON_FIELD: list(error.messages)}
    return exceptions.ValidationError(detail)


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for value in errors.values():
            return _first_message(value)
    if isinstance(errors, list) and errors:
        return _first_message(errors[0])
    return str(errors)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {NON_FIELD: data}
        body = {"status": response.status_code, "code": "invalid", "detail": _first_message(errors), "errors": errors}
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, Http404):
            code = "not_found"
        elif isinstance(exc, DjangoPermissionDenied):
            code = "permission_denied"
        detail = data.get("detail", "") if isinstance(data, dict) else data
        body = {"status": response.status_code, "code": code, "detail": str(detail)}
        if isinstance(data, dict):
            body.update({k: v for k, v in data.items() if k != "detail"})
    response.data = body
    return response


def api_error(status_code: int, code: str, detail: str) -> JsonResponse:
    """An error answer in the shape above, for what happens outside a DRF view (no such endpoint, a CSRF
    failure, a server error): a client reads the same body whatever refused its request."""
    return JsonResponse({"status": status_code, "code": code, "detail": detail}, status=status_code)


def api_not_found(request, exception=None):
    """404 for an /api/ path that matches no endpoint, in the same JSON shape."""
    return api_error(status.HTTP_404_NOT_FOUND, "not_found", "No such endpoint.")


# Fields of every write serializer that takes a date: as the pages' (alliance.forms.BoundedDateField), a date
# outside alliance.dates' range (2000 to 2100) is refused with its message instead of breaking what is computed
# from it later (a vote's due date, a calendar feed).
class BoundedDateField(serializers.DateField):
    default_validators = [validate_date_range]


class BoundedDateTimeField(serializers.DateTimeField):
    default_validators = [validate_date_range]


class FastJSONRenderer(JSONRenderer):
    """JSON through orjson, for the large answers (a year's scorecard holds 20,000 cells): the same bytes as
    DRF's renderer for plain data (dicts, lists, strings, numbers, None), several times faster."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=str)


# --- OpenAPI: the standard error answers ------------------------------------------------------------------
# Every operation can answer with the error shape above (the exception handler makes every 4xx look the same),
# yet views document only their successes. One drf-spectacular postprocessing hook documents the standard
# errors on every operation instead of an ``@extend_schema(responses=...)`` on each view; a response a view
# documents itself is kept as it is (a missing body gets the error shape).
# Registered in SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"].
ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answer: the status again, a short machine code, a message for people, and for "
    "validation errors (400) the messages per field (``non_field_errors`` for the record as a whole).",
    "properties": {
        "status": {"type": "integer", "example": 400},
        "code": {"type": "string", "example": "invalid"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {}},
    },
    "required": ["status", "code", "detail"],
}
STANDARD_ERRORS = {
    "400": "Invalid input, or a step the workflow refuses now: ``errors`` says which field and why.",
    "401": "No credentials, or credentials that are not valid.",
    "403": "Signed in, but this role may not do this.",
    "404": "No such record, or one of another organisation that you may not see.",
    "415": "A request body in a media type that this operation does not read.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document 400/401/403/404/415 with the error shape on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            # A write can be refused by its service (400) even without a body; a read only for its query.
            takes_input = method != "get" or any(p.get("in") == "query" for p in operation.get("parameters", []))
            authenticated = {} not in operation.get("security", [{}])
            for code, description in STANDARD_ERRORS.items():
                if code == "400" and not takes_input:
                    continue
                if code == "415" and "requestBody" not in operation:
                    continue
                if code in {"401", "403"} and not authenticated:
                    continue
                documented = responses.get(code)
                if documented is None:
                    responses[code] = {"description": description, "content": content}
                elif "content" not in documented:
                    documented["content"] = content
    return result

