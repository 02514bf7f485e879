"""REST API of the scorecard under /api/performance/. Thin: parse, call one service or selector, answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from alliance.api_support import FastJSONRenderer
from alliance.dates import local_today
from alliance.permissions import alliance_id_of, is_alliance_member
from performance import periods, selectors, services
from performance.models import QuarterStatus
from performance.serializers import (
    MetricSerializer,
    ScorecardQuerySerializer,
    ScorecardSerializer,
    ScoreInputSerializer,
    ScoresQuerySerializer,
    scorecard_answer,
)


def _alliance_id(request) -> int:
    if not is_alliance_member(request.user):
        raise PermissionDenied("Only members of an alliance see its scorecard.")
    return alliance_id_of(request.user)


class MetricListView(APIView):
    @extend_schema(responses=MetricSerializer(many=True), summary="The metrics of Table 6, in its order")
    def get(self, request):
        return Response(MetricSerializer(selectors.metrics_of(_alliance_id(request)), many=True).data)


def _plain_rows(rows: list) -> list:
    """Refuse (400, naming the line) a row value that is no plain text or number: the service reads every value
    as text, and a nested object or list would fail as an unhashable key (500); PostgreSQL refuses NUL in text.
    Only the columns the service reads (those of ScoreInputSerializer): others are ignored, as the schema allows."""
    columns = ScoreInputSerializer().fields
    for line, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue  # the service names a row that is no object
        for column, value in row.items():
            if column not in columns:
                continue
            if isinstance(value, (dict, list)):
                raise ValidationError({"scores": [f"Line {line}, column {column}: must be a single value."]})
            if isinstance(value, str) and "\x00" in value:
                raise ValidationError({"scores": [f"Line {line}, column {column}: null characters are not allowed."]})
    return rows


class ScoreListView(APIView):
    parser_classes = [JSONParser]  # a list of rows: a form cannot carry one (the pages and the command take CSV)
    @extend_schema(request=ScoreInputSerializer(many=True, allow_empty=False),
                   responses={201: inline_serializer("ScoresRecorded", {"recorded": serializers.IntegerField()})},
                   parameters=[ScoresQuerySerializer],
                   summary="Record scores: all or none; each wrong row named with its position")
    def post(self, request):
        _alliance_id(request)
        rows = _plain_rows(request.data if isinstance(request.data, list) else [request.data])
        reason = read_query(request, ScoresQuerySerializer)["correction_reason"]
        saved = services.scores_record(actor=request.user, rows=rows, correction_reason=reason)
        return Response({"recorded": len(saved)}, status=status.HTTP_201_CREATED)


class ScorecardView(APIView):
    renderer_classes = [FastJSONRenderer]
    @extend_schema(parameters=[ScorecardQuerySerializer], responses=ScorecardSerializer,
                   summary="The scorecard of a quarter or a year (without either: the current quarter), with its "
                           "findings")
    def get(self, request):
        alliance_id = _alliance_id(request)
        query = read_query(request, ScorecardQuerySerializer)
        period, year = query.get("period"), query.get("year")
        if not period and year is None:
            period = periods.label(*periods.containing(local_today()))
        if period:
            if periods.parse(period) is None:
                raise ValidationError({"period": [f"{period!r} is not a quarter like 2025-Q3."]})
            quarters = [selectors.quarter_by_label(alliance_id, period)]
        else:
            quarters = selectors.quarters_of_year(alliance_id, year)
        card = selectors.scorecard(alliance_id, quarters, label=period or str(year))
        if len(quarters) == 1 and quarters[0].status != QuarterStatus.OPEN:
            findings = list(selectors.quarter_findings(quarters[0]))  # as frozen
        else:
            findings = selectors.detect_findings(card)
        scheme_ids = {s for s, _ in card.cells} | set(card.schemes)
        schemes = selectors.scheme_codes(scheme_ids)
        metrics = dict(selectors.metrics_of(alliance_id).values_list("pk", "code"))
        return Response(scorecard_answer(card, schemes=schemes, metrics=metrics, findings=findings))
