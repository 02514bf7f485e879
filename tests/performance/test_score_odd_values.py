"""Odd numbers and periods in a score import are refused per row with a clear message, and nothing is saved
(issue 16 item 6): a raw value the column cannot hold (1e308, -1e20, 30 digits), no number at all (NaN,
Infinity), or a quarter outside the years people may enter (0000-Q1) was a server error. Scores are para 151."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from alliance.models import Person, Region
from allocation.models import Package, Scheme, SchemeAllocation
from performance import periods
from performance.models import Metric, Score
from performance.services import scorecard as services

pytestmark = pytest.mark.django_db

ODD_RAW_VALUES = ["1e308", "NaN", "-1e20", "Infinity", "-Infinity", "9" * 30, "1e-400"]


@pytest.fixture
def manager(smp) -> Person:
    services.metrics_seed(smp)
    person = Person.objects.get(username="alliance-manager")
    package = Package.objects.create(alliance=smp, code="RIS1", name="r1", notified_on=dt.date(2026, 1, 5),
                                     created_by=person)
    scheme = Scheme.objects.create(
        alliance=smp, package=package, code="S1", name="Scheme 1", scheme_type="smart_motorway",
        region=Region.objects.get(alliance=smp, slug="north-west"), pcf_stage=5, design_value=1,
        construction_value=1, alliance_budget=2, status="awarded", awarded_on=dt.date(2026, 2, 1))
    partner = Person.objects.get(username="wsp-rep").organisation
    SchemeAllocation.objects.create(scheme=scheme, lot=1, initial_partner=partner, current_partner=partner)
    return person


def _metric() -> str:
    return Metric.objects.order_by("order").values_list("code", flat=True)[0]


def _api(person: Person) -> APIClient:
    c = APIClient()
    c.force_authenticate(person)
    return c


@pytest.mark.parametrize("raw", ODD_RAW_VALUES)
def test_api_refuses_a_raw_value_the_column_cannot_hold_and_saves_nothing(manager, raw):
    rows = [{"scheme": "S1", "metric": _metric(), "period": "2026-Q3", "score": 8},  # a good row: not saved either
            {"scheme": "S1", "metric": _metric(), "period": "2026-Q2", "raw_value": raw}]
    response = _api(manager).post("/api/performance/scores/", rows, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    [message] = body["errors"]["scores"]
    assert message.startswith("Line 2, column raw_value: ")
    assert ("not a finite number" in message or "too large" in message or "decimal places" in message)
    assert not Score.objects.exists()


@pytest.mark.parametrize("raw", [1e308, -1e20, 10**30, 2**70])
def test_api_refuses_a_raw_value_sent_as_a_json_number_the_column_cannot_hold(manager, raw):
    rows = [{"scheme": "S1", "metric": _metric(), "period": "2026-Q3", "raw_value": raw}]
    response = _api(manager).post("/api/performance/scores/", rows, format="json")
    assert response.status_code == 400, response.content
    assert "too large: at most 12 digits before the decimal point" in response.json()["errors"]["scores"][0]
    assert not Score.objects.exists()


@pytest.mark.parametrize("period", ["0000-Q1", "1999-Q4", "2101-Q1", "9999-Q4"])
def test_api_refuses_a_quarter_outside_the_years_people_enter(manager, period):
    rows = [{"scheme": "S1", "metric": _metric(), "period": period, "score": 8}]
    response = _api(manager).post("/api/performance/scores/", rows, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["scores"] == [
        f"Line 1, column period: {period!r} is not a quarter like 2025-Q3 (from 2000-Q1 to 2100-Q4)."]
    assert not Score.objects.exists()


def test_a_raw_value_within_the_column_is_scored_by_the_bands(manager):
    rows = [{"scheme": "S1", "metric": _metric(), "period": "2026-Q3", "raw_value": "-12345678.1234"}]
    response = _api(manager).post("/api/performance/scores/", rows, format="json")
    assert response.status_code == 201, response.content
    assert Score.objects.get().raw_value == Decimal("-12345678.1234")


@pytest.mark.parametrize("raw", ODD_RAW_VALUES)
def test_csv_upload_refuses_each_odd_raw_value_on_its_line_and_saves_nothing(manager, client_for, raw):
    metric = _metric()
    text = f"scheme,metric,period,score,raw_value\nS1,{metric},2026-Q3,8,\nS1,{metric},2026-Q2,,{raw}\n"
    response = client_for(manager).post(reverse("scores-upload"), {
        "file": SimpleUploadedFile("scores.csv", text.encode(), content_type="text/csv")})
    assert response.status_code == 400
    [refused] = response.context["refused"]
    assert refused.startswith("Line 3, column raw_value: ")
    assert not Score.objects.exists()


def test_csv_upload_refuses_quarter_zero_on_its_line(manager, client_for):
    text = f"scheme,metric,period,score\nS1,{_metric()},0000-Q1,8\n"
    response = client_for(manager).post(reverse("scores-upload"), {
        "file": SimpleUploadedFile("scores.csv", text.encode(), content_type="text/csv")})
    assert response.status_code == 400
    assert response.context["refused"] == [
        "Line 2, column period: '0000-Q1' is not a quarter like 2025-Q3 (from 2000-Q1 to 2100-Q4)."]
    assert not Score.objects.exists()


def test_scorecard_api_refuses_quarter_zero(manager):
    response = _api(manager).get("/api/performance/scorecard/", {"period": "0000-Q1"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_quarter_is_read_only_within_the_years_people_enter():
    assert periods.parse("2000-Q1") == (2000, 1)
    assert periods.parse("2100-Q4") == (2100, 4)
    assert periods.parse("0000-Q1") is None
    assert periods.parse("1999-Q4") is None
    assert periods.parse("2101-Q1") is None
