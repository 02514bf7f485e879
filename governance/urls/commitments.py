"""URLs of commitments, the Performance Table and assurance: pages (mounted at the site root by config/urls.py)
and API under /api/governance/. One module for the three workflows, whose views are in governance/views/
commitments.py, performance_table.py and assurance.py."""

from __future__ import annotations

from django.urls import path

from governance.api import commitments as api
from governance.views import assurance as assurance_views
from governance.views import commitments as views
from governance.views import performance_table as table_views

urlpatterns = [
    path("commitments/", views.commitments, name="commitments"),
    path("commitments.csv", views.commitments_csv, name="commitments-csv"),
    path("commitments/new/", views.commitment_edit, name="commitment-new"),
    path("commitments/review/", views.commitments_review, name="commitments-review"),
    path("commitments/<int:pk>/", views.commitment_edit, name="commitment-edit"),
    path("commitments/<int:pk>/select/", views.commitment_select, name="commitment-select"),
    path("commitments/selections/<int:pk>/deselect/", views.commitment_deselect, name="commitment-deselect"),
    path("performance-table/", table_views.performance_table, name="performance-table"),
    path("performance-table/periods/", table_views.performance_periods, name="performance-periods"),
    path("performance-table/new/", table_views.performance_table_draft, name="performance-table-draft"),
    path("performance-table/events/new/", table_views.performance_table_trigger_new, name="performance-table-trigger-new"),
    path("performance-table/<int:pk>/", table_views.performance_table_version, name="performance-table-version"),
    path("performance-table/<int:pk>/agree/", table_views.performance_table_agree, name="performance-table-agree"),
    path("performance-table/<int:pk>/rows/<int:row_pk>/", table_views.performance_table_row, name="performance-table-row"),
    path("assurance/", assurance_views.assurance, name="assurance"),
    path("assurance/start/", assurance_views.assurance_start, name="assurance-start"),
    path("assurance/<int:pk>/", assurance_views.assurance_record, name="assurance-record"),
]

api_urlpatterns = [
    path("commitments/", api.CommitmentListView.as_view(), name="api-commitments"),
    path("performance-tables/", api.PerformanceTableListView.as_view(), name="api-performance-tables"),
    path("assurance-reviews/", api.AssuranceReviewListView.as_view(), name="api-assurance-reviews"),
]
