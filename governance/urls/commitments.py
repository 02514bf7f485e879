"""URLs of commitments: pages (mounted at the site root by alliance/urls.py) and API under /api/governance/."""

from __future__ import annotations

from django.urls import path

from governance.api import commitments as api
from governance.views import commitments as views

urlpatterns = [
    path("commitments/", views.commitments, name="commitments"),
    path("commitments.csv", views.commitments_csv, name="commitments-csv"),
    path("commitments/new/", views.commitment_edit, name="commitment-new"),
    path("commitments/review/", views.commitments_review, name="commitments-review"),
    path("commitments/<int:pk>/", views.commitment_edit, name="commitment-edit"),
    path("commitments/<int:pk>/select/", views.commitment_select, name="commitment-select"),
    path("commitments/selections/<int:pk>/deselect/", views.commitment_deselect, name="commitment-deselect"),
    path("performance-table/", views.performance_table, name="performance-table"),
    path("performance-table/periods/", views.performance_periods, name="performance-periods"),
    path("performance-table/new/", views.performance_table_draft, name="performance-table-draft"),
    path("performance-table/events/new/", views.performance_table_trigger_new, name="performance-table-trigger-new"),
    path("performance-table/<int:pk>/", views.performance_table_version, name="performance-table-version"),
    path("performance-table/<int:pk>/agree/", views.performance_table_agree, name="performance-table-agree"),
    path("performance-table/<int:pk>/rows/<int:row_pk>/", views.performance_table_row, name="performance-table-row"),
    path("assurance/", views.assurance, name="assurance"),
    path("assurance/start/", views.assurance_start, name="assurance-start"),
    path("assurance/<int:pk>/", views.assurance_record, name="assurance-record"),
]

api_urlpatterns = [
    path("commitments/", api.CommitmentListView.as_view(), name="api-commitments"),
    path("performance-tables/", api.PerformanceTableListView.as_view(), name="api-performance-tables"),
    path("assurance-reviews/", api.AssuranceReviewListView.as_view(), name="api-assurance-reviews"),
]
