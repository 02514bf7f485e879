"""URLs of packages, schemes and allocation runs: pages under /allocation/, the API under /api/allocation/."""

from __future__ import annotations

from django.urls import path

from allocation.api import packages as api
from allocation.views import packages as views

urlpatterns = [
    path("", views.overview, name="allocation"),
    path("schemes/", views.schemes, name="allocation-schemes"),
    path("schemes.csv", views.schemes_csv, name="allocation-schemes-csv"),
    path("schemes/<int:pk>/cancel/", views.scheme_cancel, name="allocation-scheme-cancel"),
    path("packages/new/", views.package_new, name="allocation-package-new"),
    path("packages/<int:pk>/", views.package_detail, name="allocation-package"),
    path("packages/<int:pk>/schemes/", views.package_schemes_add, name="allocation-package-schemes"),
    path("packages/<int:pk>/upload/", views.package_schemes_upload, name="allocation-package-upload"),
    path("packages/<int:pk>/allocate/", views.package_allocate, name="allocation-package-allocate"),
    path("packages/<int:pk>/award/", views.package_award, name="allocation-package-award"),
    path("runs/<int:pk>/", views.run_detail, name="allocation-run"),
    path("runs/<int:pk>/trace.csv", views.run_trace_csv, name="allocation-run-trace-csv"),
]

api_urlpatterns = [
    path("packages/", api.PackageListView.as_view(), name="api-allocation-packages"),
    path("packages/<int:pk>/schemes/", api.PackageSchemesView.as_view(), name="api-allocation-package-schemes"),
    path("packages/<int:pk>/allocate/", api.PackageAllocateView.as_view(), name="api-allocation-package-allocate"),
    path("schemes/", api.SchemeListView.as_view(), name="api-allocation-schemes"),
]
