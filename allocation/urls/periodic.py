"""URLs of periodic: pages under /allocation/ and the API under /api/allocation/."""

from __future__ import annotations

from django.urls import path

from allocation.api import periodic as api
from allocation.views import periodic as views

urlpatterns = [
    path("periodic-instructions/", views.register, name="periodic-instructions"),
    path("periodic-instructions/new/", views.request_new, name="periodic-instruction-new"),
    path("periodic-instructions/<int:pk>/", views.detail, name="periodic-instruction"),
    path("periodic-instructions/<int:pk>/profile/", views.profile, name="periodic-instruction-profile"),
    path("periodic-instructions/<int:pk>/table/", views.table, name="periodic-instruction-table"),
    path("periodic-instructions/<int:pk>/issue/", views.issue, name="periodic-instruction-issue"),
]
api_urlpatterns = [
    path("periodic-instructions/", api.PeriodicInstructionListView.as_view(), name="api-periodic-instructions"),
    path("periodic-instructions/<int:pk>/", api.PeriodicInstructionDetailView.as_view(),
         name="api-periodic-instruction"),
]
