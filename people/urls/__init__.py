"""URLs of key persons and Production Hub resourcing: pages under /people/, the API under /api/people/."""

from __future__ import annotations

from django.urls import include, path

from people import api
from people.views import cvs

api_urlpatterns = [
    path("roles/", api.RoleListView.as_view(), name="api-people-roles"),
    path("nominations/", api.NominationListView.as_view(), name="api-people-nominations"),
    path("nominations/<int:pk>/", api.NominationDetailView.as_view(), name="api-people-nomination"),
    path("nominations/<int:pk>/cv/", api.NominationCvView.as_view(), name="api-people-nomination-cv"),
]

urlpatterns = [
    path("nominations/<int:pk>/cv/", cvs.cv_download, name="people-cv"),
    path("nominations/<int:pk>/cv/delete/", cvs.cv_delete, name="people-cv-delete"),
    path("", include("people.urls.key_persons")),
    path("hub/", include("people.urls.hub")),
]
