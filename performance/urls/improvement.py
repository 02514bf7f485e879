"""URLs of improvement: pages under /performance/, the API under /api/performance/."""

from __future__ import annotations

from django.urls import path

from performance.api import improvement as api
from performance.views import improvement as views

urlpatterns = [
    path("processes/", views.processes, name="processes"),
    path("processes/<int:pk>/", views.process, name="process"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.improvement_plan, name="improvement-plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/queries/", views.plan_query, name="plan-query"),
    path("plans/<int:pk>/queries/<int:query_pk>/answer/", views.plan_answer, name="plan-answer"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/reports/", views.plan_report, name="plan-report"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan-close"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/new/", views.incident_new, name="incident-new"),
    path("incidents/<int:pk>/", views.incident, name="incident"),
    path("incidents/<int:pk>/decide/", views.incident_decide, name="incident-decide"),
    path("incidents/<int:pk>/close/", views.incident_close, name="incident-close"),
    path("efficiencies/", views.efficiencies, name="efficiencies"),
    path("efficiencies/register.csv", views.efficiencies_csv, name="efficiencies-csv"),
    path("efficiencies/new/", views.efficiency_new, name="efficiency-new"),
    path("efficiencies/<int:pk>/assurance/", views.efficiency_assure, name="efficiency-assure"),
]

api_urlpatterns = [
    path("processes/", api.ProcessListView.as_view(), name="api-performance-processes"),
    path("plans/", api.PlanListView.as_view(), name="api-performance-plans"),
    path("plans/<int:pk>/", api.PlanDetailView.as_view(), name="api-performance-plan"),
    path("incidents/", api.IncidentListView.as_view(), name="api-performance-incidents"),
    path("efficiencies/", api.EfficiencyListView.as_view(), name="api-performance-efficiencies"),
]
