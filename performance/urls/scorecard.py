"""URLs of scorecard: pages under /performance/, the API under /api/performance/."""

from __future__ import annotations

from django.urls import path

from performance.api import scorecard as scorecard_api
from performance.views import scorecard as views

urlpatterns = [
    path("", views.scorecard, name="scorecard"),
    path("scorecard.csv", views.scorecard_csv, name="scorecard-csv"),
    path("scorecard.xlsx", views.scorecard_xlsx, name="scorecard-xlsx"),
    path("trend/", views.trend, name="scorecard-trend"),
    path("scores/", views.scores_enter, name="scores-enter"),
    path("scores/upload/", views.scores_upload, name="scores-upload"),
    path("quarters/<str:period>/freeze/", views.quarter_freeze, name="scorecard-freeze"),
    path("quarters/<str:period>/decide/", views.quarter_decide, name="scorecard-decide"),
    path("metrics/", views.metrics, name="metrics"),
]
api_urlpatterns = [
    path("metrics/", scorecard_api.MetricListView.as_view(), name="api-performance-metrics"),
    path("scores/", scorecard_api.ScoreListView.as_view(), name="api-performance-scores"),
    path("scorecard/", scorecard_api.ScorecardView.as_view(), name="api-performance-scorecard"),
]
