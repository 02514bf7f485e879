"""The URLs of performance, mounted at /performance/ (pages: the scorecard, the framework's changes,
improvement); the API under /api/performance/ (config/urls.py)."""

from __future__ import annotations

from django.urls import path

from performance import api
from performance.views import framework, improvement, scorecard

urlpatterns = [
    path("", scorecard.scorecard, name="scorecard"),
    path("scorecard.csv", scorecard.scorecard_csv, name="scorecard-csv"),
    path("scorecard.xlsx", scorecard.scorecard_xlsx, name="scorecard-xlsx"),
    path("trend/", scorecard.trend, name="scorecard-trend"),
    path("scores/", scorecard.scores_enter, name="scores-enter"),
    path("scores/upload/", scorecard.scores_upload, name="scores-upload"),
    path("quarters/<str:period>/freeze/", scorecard.quarter_freeze, name="scorecard-freeze"),
    path("quarters/<str:period>/decide/", scorecard.quarter_decide, name="scorecard-decide"),
    path("metrics/", scorecard.metrics, name="metrics"),
    path("processes/", improvement.processes, name="processes"),
    path("processes/<int:pk>/", improvement.process, name="process"),
    path("plans/", improvement.plans, name="plans"),
    path("plans/new/", improvement.plan_new, name="plan-new"),
    path("plans/<int:pk>/", improvement.improvement_plan, name="improvement-plan"),
    path("plans/<int:pk>/edit/", improvement.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/submit/", improvement.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/queries/", improvement.plan_query, name="plan-query"),
    path("plans/<int:pk>/queries/<int:query_pk>/answer/", improvement.plan_answer, name="plan-answer"),
    path("plans/<int:pk>/approve/", improvement.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/reports/", improvement.plan_report, name="plan-report"),
    path("plans/<int:pk>/close/", improvement.plan_close, name="plan-close"),
    path("incidents/", improvement.incidents, name="incidents"),
    path("incidents/new/", improvement.incident_new, name="incident-new"),
    path("incidents/<int:pk>/", improvement.incident, name="incident"),
    path("incidents/<int:pk>/decide/", improvement.incident_decide, name="incident-decide"),
    path("incidents/<int:pk>/close/", improvement.incident_close, name="incident-close"),
    path("efficiencies/", improvement.efficiencies, name="efficiencies"),
    path("efficiencies/register.csv", improvement.efficiencies_csv, name="efficiencies-csv"),
    path("efficiencies/new/", improvement.efficiency_new, name="efficiency-new"),
    path("efficiencies/<int:pk>/assurance/", improvement.efficiency_assure, name="efficiency-assure"),
    path("framework/", framework.framework_changes, name="framework-changes"),
]

api_urlpatterns = [
    path("metrics/", api.MetricListView.as_view(), name="api-performance-metrics"),
    path("scores/", api.ScoreListView.as_view(), name="api-performance-scores"),
    path("scorecard/", api.ScorecardView.as_view(), name="api-performance-scorecard"),
    path("processes/", api.ProcessListView.as_view(), name="api-performance-processes"),
    path("plans/", api.PlanListView.as_view(), name="api-performance-plans"),
    path("plans/<int:pk>/", api.PlanDetailView.as_view(), name="api-performance-plan"),
    path("incidents/", api.IncidentListView.as_view(), name="api-performance-incidents"),
    path("efficiencies/", api.EfficiencyListView.as_view(), name="api-performance-efficiencies"),
]
